"""The pandas peer of `make bench`: ranking and lost-points table with pandas + openpyxl
(.xlsx) and xlrd (.xls), written the way an analyst would: read every sheet with
pd.read_excel, find the header, keep the leaf rows, group by unit.

    python bench/peer_pandas.py INPUT_DIR OUTPUT_DIR

Writes OUTPUT_DIR/rankings.csv (year, rank, unit, index, points, max) and
OUTPUT_DIR/losses.csv (year, unit, code, max, appraised, lost); prints one line
`peer_pandas: files=… sheets=… units=… unreadable=… no_header=… seconds=…`.
"""

import sys
import time
import warnings
from pathlib import Path

import pandas as pd

import peer_common as pc

warnings.filterwarnings("ignore")  # openpyxl's "unknown extension" and similar chatter


def sheet_rows(df: pd.DataFrame, path: Path, sheet: str, n_sheets: int, year):
    """One sheet as a frame of its leaf rows, plus (bonus, penalty)."""
    head = df.head(32).astype(object).where(df.head(32).notna(), None).values.tolist()
    found = pc.find_header(head)
    if found is None:
        return None
    start, cols = found
    unit = pc.unit_name(head[: max(start - 1, 0)], sheet, n_sheets, path)
    body = df.iloc[start:]
    names = body[cols["name"]].map(pc.text)
    code_cells = body[cols["code"]] if "code" in cols else pd.Series([None] * len(body), index=body.index)
    t = pd.DataFrame(
        {
            "code": [pc.parse_code(c, n) for c, n in zip(code_cells, names)],
            "name": names,
            "max": body[cols["max"]].map(pc.number),
            "appraised": body[cols["appraised"]].map(pc.number),
        }
    )
    extra = t[t["code"].isna()]
    key = extra["name"].map(pc.toneless)
    value = pd.to_numeric(extra["appraised"], errors="coerce").fillna(0)
    bonus = value[key.str.startswith(("diem thuong", "diem cong"))].sum()
    penalty = value[key.str.startswith(("diem tru", "diem phat"))].sum()

    crit = t[t["code"].notna()].drop_duplicates("code")
    parents = {c.rsplit(".", i)[0] for c in crit["code"] for i in range(1, c.count(".") + 1)}
    leaves = crit[~crit["code"].isin(parents)].copy()
    leaves["na"] = leaves["appraised"].eq("NA") | leaves["max"].eq("NA")
    leaves["max"] = pd.to_numeric(leaves["max"], errors="coerce").fillna(0.0)
    leaves["appraised"] = pd.to_numeric(leaves["appraised"], errors="coerce").fillna(0.0)
    leaves.insert(0, "unit", unit)
    leaves.insert(0, "year", year)
    return leaves, (year, unit, bonus, penalty)


def main(argv):
    start = time.perf_counter()
    src, out = Path(argv[1]), Path(argv[2])
    out.mkdir(parents=True, exist_ok=True)
    files, skipped = pc.find_files(src)
    frames, extras = [], []
    n_sheets = unreadable = no_header = 0
    for year, path in files:
        try:
            book = pd.read_excel(path, sheet_name=None, header=None, dtype=object)
        except Exception as e:  # noqa: BLE001 - an analyst's loop counts and goes on
            unreadable += 1
            print(f"peer_pandas: cannot read {path}: {type(e).__name__}: {e}", file=sys.stderr)
            continue
        for sheet, df in book.items():
            n_sheets += 1
            got = sheet_rows(df, path, sheet, len(book), year)
            if got is None:
                no_header += 1
                continue
            frames.append(got[0])
            extras.append(got[1])

    leaves = pd.concat(frames, ignore_index=True)
    bonus = pd.DataFrame(extras, columns=["year", "unit", "bonus", "penalty"]).drop_duplicates(["year", "unit"])
    leaves = leaves.drop_duplicates(["year", "unit", "code"])
    applicable = leaves[~leaves["na"]]
    units = applicable.groupby(["year", "unit"], as_index=False).agg(points=("appraised", "sum"), max=("max", "sum"))
    units = units.merge(bonus, on=["year", "unit"], how="left")
    units["points"] = units["points"].round(2)
    units["index"] = (units["points"] / units["max"] * 100).round(2) + units["bonus"] - units["penalty"]
    units["index"] = units["index"].round(2)
    units["rank"] = units.groupby("year")["index"].rank(method="min", ascending=False).astype(int)
    units = units.sort_values(["year", "rank", "unit"])
    units[["year", "rank", "unit", "index", "points", "max"]].to_csv(out / "rankings.csv", index=False)

    losses = applicable[applicable["appraised"] < applicable["max"]].copy()
    losses["lost"] = (losses["max"] - losses["appraised"]).round(2)
    losses[["year", "unit", "code", "max", "appraised", "lost"]].to_csv(out / "losses.csv", index=False)

    pc.report(
        "peer_pandas",
        start,
        files=len(files),
        skipped=skipped,
        sheets=n_sheets,
        units=len(units),
        losses=len(losses),
        unreadable=unreadable,
        no_header=no_header,
    )


if __name__ == "__main__":
    main(sys.argv)
