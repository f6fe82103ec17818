"""Agreement of a Python peer's ranking with cchc's (`output/rankings.csv`).

    python bench/compare.py CCHC_OUTPUT_DIR PEER_OUTPUT_DIR [-v]

Units are matched by year and name without tones, case or spacing (the peers do not
normalise tone placement or join toneless file names as cchc does). Prints one line:
`agreement: cchc_units=… peer_units=… matched=… same_index=… same_rank=… spearman=…
cchc_losses=… peer_losses=… same_losses=…` (lost-points rows with the same unit, code and
points lost; cchc's from tables/losses.csv).
Standard library only, so it runs without the venv.
"""

import csv
import sys

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from peer_common import toneless  # noqa: E402


def load(path):
    out = {}
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            key = (row["year"], " ".join(toneless(row["unit"]).replace("_", " ").split()))
            if key in out:  # a toneless twin: keep neither, it cannot be matched reliably
                out[key] = None
                continue
            out[key] = (float(row["index"]), int(float(row["rank"])))
    return {k: v for k, v in out.items() if v is not None}


def load_losses(path, lost="lost"):
    out = {}
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            key = (row["year"], " ".join(toneless(row["unit"]).replace("_", " ").split()), row["code"])
            out[key] = round(float(row[lost]), 2)
    return out


def spearman(pairs):
    def ranks(xs):
        order = sorted(range(len(xs)), key=lambda i: xs[i])
        r = [0.0] * len(xs)
        i = 0
        while i < len(order):
            j = i
            while j + 1 < len(order) and xs[order[j + 1]] == xs[order[i]]:
                j += 1
            for k in range(i, j + 1):
                r[order[k]] = (i + j) / 2
            i = j + 1
        return r

    if len(pairs) < 2:
        return float("nan")
    a, b = ranks([p[0] for p in pairs]), ranks([p[1] for p in pairs])
    ma, mb = sum(a) / len(a), sum(b) / len(b)
    cov = sum((x - ma) * (y - mb) for x, y in zip(a, b))
    va = sum((x - ma) ** 2 for x in a) ** 0.5
    vb = sum((y - mb) ** 2 for y in b) ** 0.5
    return cov / (va * vb) if va and vb else float("nan")


def main(argv):
    ours, theirs = load(f"{argv[1]}/rankings.csv"), load(f"{argv[2]}/rankings.csv")
    lo, lt = load_losses(f"{argv[1]}/tables/losses.csv"), load_losses(f"{argv[2]}/losses.csv")
    same_losses = sum(1 for k, v in lo.items() if lt.get(k) == v)
    keys = sorted(set(ours) & set(theirs))
    same_index = sum(1 for k in keys if abs(ours[k][0] - theirs[k][0]) < 0.005)
    same_rank = sum(1 for k in keys if ours[k][1] == theirs[k][1])
    rho = spearman([(ours[k][0], theirs[k][0]) for k in keys])
    print(
        f"agreement: cchc_units={len(ours)} peer_units={len(theirs)} matched={len(keys)} "
        f"same_index={same_index} same_rank={same_rank} spearman={rho:.6f} "
        f"cchc_losses={len(lo)} peer_losses={len(lt)} same_losses={same_losses}"
    )
    if "-v" in argv:
        for k in keys:
            if abs(ours[k][0] - theirs[k][0]) >= 0.005:
                print("  differs:", k, ours[k], theirs[k])
        for k in sorted(set(ours) - set(theirs))[:20]:
            print("  only cchc:", k)
        for k in sorted(set(theirs) - set(ours))[:20]:
            print("  only peer:", k)


if __name__ == "__main__":
    main(sys.argv)
