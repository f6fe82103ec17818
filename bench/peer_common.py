"""What both Python peers share: finding the files, the header row, the columns, the
unit's name and the criterion code of a row, written the way an analyst would.

The peers differ in how they read the workbooks and do the table work (pandas +
openpyxl/xlrd or polars + fastexcel); the sheet-level heuristics are the same, so the
comparison is about the libraries, not about two different heuristics.
"""

import os
import re
import sys
import time
import unicodedata
from pathlib import Path

EXTENSIONS = {".xlsx", ".xlsm", ".xls", ".ods"}

MAX_LABELS = ("toi da", "diem chuan", "thang diem")
APPRAISED_LABELS = ("tham dinh", "thap dinh")  # "Điểm Thấp định" is a typo seen in real sheets
SELF_LABELS = ("tu cham", "tu danh gia")
NA_WORDS = {"kad", "khong ap dung", "khong danh gia"}
GENERIC_SHEETS = {"sheet1", "sheet 1", "bieu cham diem", "cham diem", "sheet"}

ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50}
CODE_RE = re.compile(r"^\s*([IVXL]+|\d+(?:\.\d+)*)\.?\s*$")
CODE_IN_NAME_RE = re.compile(r"^\s*((?:[IVXL]+(?=[.\s]))|(?:\d+(?:\.\d+)*))\.?\s*")
UNIT_RE = re.compile(
    r"(?:UBND|[ỦU][ỶY] BAN NHÂN DÂN)\s+(?:(?:xã|phường|thị trấn)\s+)(.+)",
    re.IGNORECASE,
)
YEAR_RE = re.compile(r"^(19|20)\d\d$")


def toneless(s: str) -> str:
    s = unicodedata.normalize("NFD", s)
    s = "".join(c for c in s if unicodedata.category(c) != "Mn")
    return s.replace("đ", "d").replace("Đ", "D").lower()


def find_files(root: str):
    """Every workbook under root, recursively; Excel lock files (~$…) skipped.
    Returns (files, skipped) with files as (year, path)."""
    files, skipped = [], 0
    for dirpath, _dirs, names in os.walk(root):
        for name in sorted(names):
            path = Path(dirpath) / name
            if name.startswith("~$") or path.suffix.lower() not in EXTENSIONS:
                skipped += 1
                continue
            year = next((int(p) for p in reversed(path.parts) if YEAR_RE.match(p)), None)
            files.append((year, path))
    return sorted(files), skipped


def text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        if v != v:  # NaN from pandas
            return ""
        return str(int(v)) if v.is_integer() else str(v)
    return unicodedata.normalize("NFC", str(v)).strip()


def find_header(rows):
    """Index of the header row among the first 30 rows and the column indexes
    (code, name, max, self, appraised, two_row), or None."""
    for i, row in enumerate(rows[:30]):
        labels = [toneless(text(v)) for v in row]
        if not any(any(m in lab for m in MAX_LABELS) for lab in labels):
            continue
        nxt = [toneless(text(v)) for v in rows[i + 1]] if i + 1 < len(rows) else []
        two_row = any(any(a in lab for a in APPRAISED_LABELS + SELF_LABELS) for lab in nxt)
        if two_row:
            labels = [f"{a} {b}".strip() for a, b in zip(labels, nxt + [""] * (len(labels) - len(nxt)))]
        cols = {}
        for j, lab in enumerate(labels):
            if "max" not in cols and any(m in lab for m in MAX_LABELS):
                cols["max"] = j
            elif "appraised" not in cols and any(a in lab for a in APPRAISED_LABELS):
                cols["appraised"] = j
            elif "self" not in cols and any(s in lab for s in SELF_LABELS):
                cols["self"] = j
            elif "code" not in cols and lab in ("tt", "stt", "ma", "ma so"):
                cols["code"] = j
            elif "name" not in cols and ("tieu chi" in lab or "noi dung" in lab or "linh vuc" in lab):
                cols["name"] = j
        if "max" in cols and "appraised" in cols:
            cols.setdefault("name", cols.get("code", 0) + 1 if "code" in cols else 0)
            return i + (2 if two_row else 1), cols
    return None


def roman_to_int(s: str) -> int:
    total, prev = 0, 0
    for c in reversed(s):
        v = ROMAN[c]
        total = total - v if v < prev else total + v
        prev = max(prev, v)
    return total


def parse_code(code_cell, name_cell):
    """The dotted arabic code of a row ("III" -> "3", "1.1.3." -> "1.1.3"), or None."""
    raw = text(code_cell)
    if raw:
        m = CODE_RE.match(raw)
    else:
        raw = text(name_cell)
        m = CODE_IN_NAME_RE.match(raw)
    if not m:
        return None
    code = m.group(1)
    if code[0] in ROMAN:
        return str(roman_to_int(code))
    return code


def number(v):
    """A score cell as float; 'NA' for not applicable; None when blank or not a number."""
    if v is None:
        return None
    if isinstance(v, (int, float)):
        return None if v != v else float(v)
    s = text(v)
    if not s:
        return None
    try:
        return float(s.replace(" ", "").replace(",", "."))
    except ValueError:
        return "NA" if toneless(s) in NA_WORDS else None


def unit_name(title_rows, sheet_name: str, n_sheets: int, path: Path) -> str:
    """The unit from the title rows ("Đơn vị: UBND xã …", "ỦY BAN NHÂN DÂN\\nXÃ …"),
    else the sheet name of a workbook with a sheet per unit, else the file name."""
    for row in title_rows:
        for v in row:
            t = " ".join(text(v).split())
            m = UNIT_RE.search(t)
            if m:
                name = m.group(1).strip(" .")
                return name.title() if name.isupper() else name
    sheet = text(sheet_name)
    if n_sheets > 1 or toneless(sheet) not in GENERIC_SHEETS:
        return sheet
    stem = unicodedata.normalize("NFC", path.stem)
    stem = re.sub(r"(19|20)\d\d", " ", stem)
    stem = re.sub(r"(?i)bi[eể]u ch[aấ]m [dđ]i[eể]m|ch[iỉ] s[oố] cchc|tham_dinh|bieu_cham_diem|ubnd|\b(xã|phường|thị trấn)\b", " ", stem)
    stem = re.sub(r"^\s*\d+\.\s*", " ", stem)
    return " ".join(stem.replace("_", " ").replace("-", " ").split())


def is_parent(code: str, codes) -> bool:
    prefix = code + "."
    return any(c.startswith(prefix) for c in codes)


def report(tool: str, start: float, **counts):
    parts = " ".join(f"{k}={v}" for k, v in counts.items())
    print(f"{tool}: {parts} seconds={time.perf_counter() - start:.3f}")
    sys.stdout.flush()
