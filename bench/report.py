"""Turns bench/run.sh's raw measurements into bench/results.json and the results
section of bench/README.md (between <!-- results:start --> and <!-- results:end -->).

    python3 bench/report.py RAW.tsv OUT_DIR results.json README.md

Standard library only.
"""

import csv
import datetime
import json
import os
import platform
import re
import subprocess
import sys
from pathlib import Path

START, END = "<!-- results:start -->", "<!-- results:end -->"
TOOLS = ["floor", "cchc-noapp", "cchc", "peer-pandas", "peer-polars", "floor-1t", "cchc-noapp-1t"]
TOOL_NAMES = {
    "floor": "floor (calamine only)",
    "cchc-noapp": "`cchc run --no-appendices`",
    "cchc": "`cchc run` (with appendices)",
    "peer-pandas": "Python: pandas + openpyxl/xlrd",
    "peer-polars": "Python: polars + fastexcel",
    "floor-1t": "floor, 1 thread",
    "cchc-noapp-1t": "`cchc run --no-appendices`, 1 thread",
}
STAGES = ["discover", "read", "validate", "analyse", "write", "appendices", "documents", "total"]
GIB = 1024 * 1024  # KiB


def sh(*cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def machine():
    model = ""
    for line in sh("lscpu").splitlines():
        if line.startswith("Model name:"):
            model = line.split(":", 1)[1].strip()
    mem_kib = 0
    try:
        for line in open("/proc/meminfo"):
            if line.startswith("MemTotal:"):
                mem_kib = int(line.split()[1])
    except OSError:
        pass
    venv_py = Path("bench/.venv/bin/python")
    peers = sh(str(venv_py), "-c", "import pandas,openpyxl,xlrd,polars,fastexcel as f;"
               "print(f'pandas {pandas.__version__}, openpyxl {openpyxl.__version__}, xlrd {xlrd.__version__}, "
               "polars {polars.__version__}, fastexcel {f.__version__}')") if venv_py.exists() else ""
    return {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": model or platform.processor(),
        "nproc": int(sh("nproc") or os.cpu_count() or 0),
        "memory_gib": round(mem_kib / GIB, 1),
        "kernel": platform.release(),
        "rustc": sh("rustc", "--version"),
        "python": sh("python3", "--version"),
        "python_packages": peers,
        "cchc_commit": sh("git", "rev-parse", "--short", "HEAD"),
        "load_average": sh("cat", "/proc/loadavg"),
    }


def kv(detail: str):
    """`tool: a=1 b=2` -> {'a': 1.0, 'b': 2.0} (numbers where they parse)."""
    out = {}
    for k, v in re.findall(r"(\w+)=([^\s]+)", detail.split(":", 1)[1] if ":" in detail else ""):
        try:
            out[k] = float(v)
        except ValueError:
            out[k] = v
    return out


def dataset_size(name):
    name = name.removesuffix("-hostile")
    m = re.match(r"u(\d+)-y(\d{4})-(\d{4})$", name)
    if m:
        return int(m.group(1)), int(m.group(3)) - int(m.group(2)) + 1
    m = re.match(r"u(\d+)-y([\d_]+)$", name)
    if not m:
        return 0, 0
    return int(m.group(1)), len(m.group(2).split("_"))


def load(raw_path, out_dir):
    runs = {}
    with open(raw_path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            rc = int(row["exit"] or 0)
            ok = rc == 0 or (row["tool"].startswith("cchc") and rc == 1)
            rec = {
                "run": int(row["run"]),
                "wall_s": float(row["wall_s"]) if row["wall_s"] else None,
                "max_rss_kib": int(row["max_rss_kb"]) if row["max_rss_kb"] else None,
                "cpu_s": round(float(row["user_s"] or 0) + float(row["sys_s"] or 0), 2),
                "exit": rc,
                "ok": ok,
                "timed_out": rc == 124,
                "detail": kv(row["detail"]),
            }
            runs.setdefault(row["dataset"], {}).setdefault(row["tool"], []).append(rec)
    data = {}
    for ds, tools in runs.items():
        units, years = dataset_size(ds)
        entry = {"units": units, "years": years, "tools": {}}
        for tool, recs in tools.items():
            good = [r for r in recs if r["ok"] and r["wall_s"] is not None]
            best = min(good, key=lambda r: r["wall_s"]) if good else recs[-1]
            entry["tools"][tool] = dict(best, runs=len(recs), all_walls=[r["wall_s"] for r in recs])
            diagnostics = Path(out_dir) / ds / tool / "diagnostics.json"
            if ds.endswith("-hostile") and diagnostics.exists():
                kinds = [d["kind"] for d in json.loads(diagnostics.read_text(encoding="utf-8"))["diagnostics"]]
                entry["tools"][tool]["refused"] = sum(k in ("file_too_large", "corrupt_file") for k in kinds)
            agreement = Path(out_dir) / ds / f"{tool}.agreement"
            if agreement.exists():
                entry["tools"][tool]["agreement"] = kv(agreement.read_text().strip())
        data[ds] = entry
    return data


def fmt_s(x):
    if x is None:
        return "–"
    return f"{x:.2f}" if x < 100 else f"{x:.0f}"


def ratio(a, b):
    return a / b if a and b else None


def wall(data, ds, tool):
    t = data.get(ds, {}).get("tools", {}).get(tool)
    return t["wall_s"] if t and t["ok"] else None


def extrapolate(data, ds, tool):
    """Seconds per unit-year of the largest completed run of `tool`, times this dataset's size."""
    done = [(e["units"] * e["years"], e["tools"][tool]["wall_s"]) for e in data.values()
            if tool in e["tools"] and e["tools"][tool]["ok"]]
    if not done:
        return None, None
    size, secs = max(done)
    me = data[ds]["units"] * data[ds]["years"]
    return secs / size * me, size


def data_threads(tools):
    n = tools.get("floor", {}).get("detail", {}).get("threads")
    return int(n) if isinstance(n, float) else "all"


def render(data, mach):
    L = []
    L.append(f"Measured {mach['date']} on {mach['cpu']}, {mach['nproc']} cores, {mach['memory_gib']} GiB; "
             f"{mach['rustc']}; {mach['python']}" + (f" ({mach['python_packages']})" if mach["python_packages"] else "")
             + f"; cchc {mach['cchc_commit']}. Load average when the report was written: {mach['load_average']}.")
    L.append("")
    L.append("Wall and max RSS from `/usr/bin/time`; the floor and cchc are the fastest of "
             "their runs (`runs`), the peers ran once. CPU = user + system seconds.")
    L.append("")
    L.append("| dataset | files | tool | wall s | CPU s | max RSS MiB | × floor | runs (all walls) |")
    L.append("|---|---:|---|---:|---:|---:|---:|---|")
    for ds, e in data.items():
        floor = wall(data, ds, "floor")
        files = int(e["tools"].get("floor", {}).get("detail", {}).get("files", 0) or 0)
        for tool in TOOLS:
            t = e["tools"].get(tool)
            if not t:
                continue
            if t["timed_out"]:
                est, base = extrapolate(data, ds, tool)
                w = f"> {fmt_s(t['wall_s'])} (stopped)" + (f"; ≈ {fmt_s(est)} extrapolated" if est else "")
            elif not t["ok"]:
                w = f"failed (exit {t['exit']})"
            else:
                w = fmt_s(t["wall_s"])
            rss = f"{t['max_rss_kib'] / 1024:.0f}" if t["max_rss_kib"] else "–"
            x = ratio(t["wall_s"], floor) if t["ok"] else None
            walls = ", ".join(fmt_s(v) for v in t["all_walls"])
            L.append(f"| {ds} | {files} | {TOOL_NAMES[tool]} | {w} | {fmt_s(t['cpu_s'])} | {rss} | "
                     f"{'–' if x is None else f'{x:.2f}'} | {t['runs']} ({walls}) |")
    L.append("")

    # Targets of issue #6.
    L.append("Targets (issue #6):")
    L.append("")
    L.append("| target | measured | met |")
    L.append("|---|---|---|")
    big, small = "u10000-y2023", "u2000-y2023"

    def row(name, value, ok):
        L.append(f"| {name} | {value} | {'–' if ok is None else ('yes' if ok else '**no**')} |")

    r = ratio(wall(data, big, "cchc-noapp"), wall(data, big, "floor"))
    row("`run --no-appendices` ≤ 1.5 × floor at 10,000", "–" if r is None else f"{r:.2f} × floor", None if r is None else r <= 1.5)
    for ds in (big, small):
        r = ratio(wall(data, ds, "peer-polars"), wall(data, ds, "cchc-noapp"))
        row(f"≥ 50 × faster than polars + fastexcel ({ds})", "–" if r is None else f"{r:.1f} ×", None if r is None else r >= 50)
    t = data.get(big, {}).get("tools", {}).get("cchc")
    app = t["detail"].get("appendices") if t else None
    diff = None
    if wall(data, big, "cchc") and wall(data, big, "cchc-noapp"):
        diff = wall(data, big, "cchc") - wall(data, big, "cchc-noapp")
    if isinstance(app, float):
        row("appendices for 10,000 ≤ 10 s", f"{app:.2f} s (stage); run with − without: {fmt_s(diff)} s", (app <= 10) if app > 0 else None)
    else:
        row("appendices for 10,000 ≤ 10 s", f"run with − without: {fmt_s(diff)} s", None)
    for ds in (d for d in data if d.endswith("-hostile")):
        t = data[ds]["tools"].get("cchc-noapp")
        if t and t["max_rss_kib"]:
            mib = t["max_rss_kib"] / 1024
            refused = t.get("refused", 0)
            row(f"hostile folder {ds} (issue #18): peak memory ≤ 1 GiB, the bombs refused",
                f"{mib:.0f} MiB, {fmt_s(t['wall_s'])} s, {refused} files refused", mib <= 1024 and t["ok"] and refused > 0)
    rss = [data.get(big, {}).get("tools", {}).get(k, {}).get("max_rss_kib") for k in ("cchc-noapp", "cchc")]
    rss = [x for x in rss if x]
    row("peak memory < 1 GiB at 10,000", f"{max(rss) / 1024:.0f} MiB" if rss else "–", (max(rss) < GIB) if rss else None)
    for tool in ("cchc-noapp", "cchc"):
        a, b = data.get(small, {}).get("tools", {}).get(tool), data.get(big, {}).get("tools", {}).get(tool)
        if a and b and a["ok"] and b["ok"]:
            tw, tm = b["wall_s"] / a["wall_s"], b["max_rss_kib"] / a["max_rss_kib"]
            row(f"linear 2,000 → 10,000 ({TOOL_NAMES[tool]})", f"time × {tw:.1f}, memory × {tm:.1f} (linear: × 5)",
                tw <= 6 and tm <= 6)
    for ds, e in data.items():
        t = e["tools"]
        pairs = [("floor", "floor-1t"), ("cchc-noapp", "cchc-noapp-1t")]
        if all(a in t and b in t for a, b in pairs):
            f2, f1 = wall(data, ds, "floor"), wall(data, ds, "floor-1t")
            c2, c1 = wall(data, ds, "cchc-noapp"), wall(data, ds, "cchc-noapp-1t")
            r2 = t["cchc-noapp"]["detail"].get("read")
            r1 = t["cchc-noapp-1t"]["detail"].get("read")
            rs = f"; cchc's read stage {fmt_s(r1)} s → {fmt_s(r2)} s (× {r1 / r2:.2f})" if isinstance(r1, float) and isinstance(r2, float) and r2 else ""
            fs = f"× {f1 / f2:.2f}" if f1 and f2 else "–"
            cs = f"× {c1 / c2:.2f}" if c1 and c2 else "–"
            row(f"reading scales with cores ({ds}, 1 → {data_threads(t)} threads)",
                f"floor {fmt_s(f1)} s → {fmt_s(f2)} s ({fs}); cchc {fmt_s(c1)} s → {fmt_s(c2)} s ({cs}){rs}", None)
    L.append("")

    # Targets of issue #28.
    L.append("Targets (issue #28; the full `cchc run` also writes the Word documents of issue #29, so")
    L.append("\"with appendices\" is that run less its `documents` stage):")
    L.append("")
    L.append("| target | measured | met |")
    L.append("|---|---|---|")
    k1 = "u1000-y2023"
    r = ratio(wall(data, big, "cchc-noapp"), wall(data, big, "floor"))
    row("10,000 sheets, `run --no-appendices` ≤ 3.0 × floor", "–" if r is None else f"{r:.2f} × floor", None if r is None else r <= 3.0)
    t = data.get(big, {}).get("tools", {}).get("cchc-noapp")
    mib = t["max_rss_kib"] / 1024 if t and t["max_rss_kib"] else None
    row("10,000 sheets, `run --no-appendices` peak ≤ 600 MiB", "–" if mib is None else f"{mib:.0f} MiB", None if mib is None else mib <= 600)
    t = data.get(big, {}).get("tools", {}).get("cchc")
    docs = t["detail"].get("documents") if t else None
    if t and t["ok"] and isinstance(docs, float) and wall(data, big, "floor"):
        r = (t["wall_s"] - docs) / wall(data, big, "floor")
        row("10,000 sheets, with appendices ≤ 5 × floor", f"{r:.2f} × floor ({fmt_s(t['wall_s'])} s less {docs:.2f} s of documents)", r <= 5)
    r = ratio(wall(data, k1, "cchc-noapp"), wall(data, k1, "floor"))
    row("1,000 sheets, `run --no-appendices` ≤ 2.5 × floor", "–" if r is None else f"{r:.2f} × floor", None if r is None else r <= 2.5)
    r = ratio(wall(data, k1, "peer-polars"), wall(data, k1, "cchc-noapp"))
    row("1,000 sheets, ≥ 15 × faster than polars + fastexcel", "–" if r is None else f"{r:.1f} ×", None if r is None else r >= 15)
    a, b = data.get(k1, {}).get("tools", {}).get("cchc-noapp"), data.get(big, {}).get("tools", {}).get("cchc-noapp")
    if a and b and a["ok"] and b["ok"]:
        tw, tm = b["wall_s"] / a["wall_s"], b["max_rss_kib"] / a["max_rss_kib"]
        row("linear 1,000 → 10,000 (`run --no-appendices`)", f"time × {tw:.1f}, memory × {tm:.1f} (linear: × 10)", tw <= 12 and tm <= 12)
    L.append("")

    # Stage breakdown.
    L.append("Stages of `cchc run --timings` (seconds, the fastest run):")
    L.append("")
    L.append("| dataset | run | " + " | ".join(STAGES) + " |")
    L.append("|---|---|" + "---:|" * len(STAGES))
    for ds, e in data.items():
        for tool in ("cchc-noapp", "cchc", "cchc-noapp-1t"):
            t = e["tools"].get(tool)
            if t and t["detail"]:
                vals = [t["detail"].get(s) for s in STAGES]
                L.append(f"| {ds} | {TOOL_NAMES[tool]} | " + " | ".join("–" if not isinstance(v, float) else f"{v:.3f}" for v in vals) + " |")
    L.append("")

    # Agreement of the peers.
    agree = [(ds, tool, e["tools"][tool]["agreement"]) for ds, e in data.items() for tool in ("peer-pandas", "peer-polars")
             if tool in e["tools"] and "agreement" in e["tools"][tool]]
    if agree:
        L.append("Agreement of the peers with cchc (`bench/compare.py`: units matched by name without tones; "
                 "lost-points rows by unit, code and points lost):")
        L.append("")
        L.append("| dataset | peer | cchc units | peer units | matched | same index | same rank | Spearman | same lost-points rows |")
        L.append("|---|---|---:|---:|---:|---:|---:|---:|---|")
        for ds, tool, a in agree:
            def g(k):
                v = a.get(k)
                return "–" if v is None else (f"{v:.0f}" if isinstance(v, float) and k != "spearman" else (f"{v:.4f}" if isinstance(v, float) else str(v)))
            L.append(f"| {ds} | {TOOL_NAMES[tool]} | {g('cchc_units')} | {g('peer_units')} | {g('matched')} | {g('same_index')} | "
                     f"{g('same_rank')} | {g('spearman')} | {g('same_losses')} of {g('cchc_losses')} |")
        L.append("")
    return "\n".join(L)


def main(argv):
    raw, out_dir, json_path, readme = argv[1:5]
    data = load(raw, out_dir)
    mach = machine()
    Path(json_path).write_text(json.dumps({"machine": mach, "datasets": data}, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    table = render(data, mach)
    text = Path(readme).read_text(encoding="utf-8")
    if START in text and END in text:
        head, rest = text.split(START, 1)
        _, tail = rest.split(END, 1)
        text = f"{head}{START}\n{table}\n{END}{tail}"
    else:
        text += f"\n{START}\n{table}\n{END}\n"
    Path(readme).write_text(text, encoding="utf-8")
    print(table)


if __name__ == "__main__":
    main(sys.argv)
