#!/usr/bin/env python3
"""Unpacks an .xlsx into a folder of parts in a canonical form, for comparing two
workbooks by content: sheets are filled in parallel, so the order of the shared
strings and of the cell and conditional formats differs from run to run while the
workbook is the same. Shared-string indices are replaced by the strings, style and
dxf indices by the formats they point to; document times are blanked.

    scripts/xlsx_canonical.py FILE.xlsx OUT_DIR
"""
import re
import sys
import zipfile
from pathlib import Path

src, out = Path(sys.argv[1]), Path(sys.argv[2])
z = zipfile.ZipFile(src)
parts = {n: z.read(n).decode("utf-8") for n in z.namelist() if not n.endswith("/")}


def children(xml, tag):
    """The <tag …>…</tag> or <tag …/> elements directly listed in a parent's text."""
    return re.findall(r"<%s\b(?:[^>]*/>|[^>]*>.*?</%s>)" % (tag, tag), xml, re.S)


def section(xml, tag):
    m = re.search(r"<%s\b[^>]*>(.*?)</%s>" % (tag, tag), xml, re.S)
    return m.group(1) if m else ""


strings = []
if "xl/sharedStrings.xml" in parts:
    strings = children(section(parts["xl/sharedStrings.xml"], "sst") or parts["xl/sharedStrings.xml"], "si")
    parts["xl/sharedStrings.xml"] = "\n".join(sorted(strings))

styles = parts.get("xl/styles.xml", "")
fonts = children(section(styles, "fonts"), "font")
fills = children(section(styles, "fills"), "fill")
borders = children(section(styles, "borders"), "border")
numfmts = {m.group(1): m.group(0) for m in re.finditer(r'<numFmt numFmtId="(\d+)"[^>]*/>', styles)}
dxfs = children(section(styles, "dxfs"), "dxf")


def resolve_xf(xf):
    def rep(m):
        key, idx = m.group(1), m.group(2)
        table = {"fontId": fonts, "fillId": fills, "borderId": borders}.get(key)
        if table is not None:
            i = int(idx)
            return '%s="%s"' % (key, table[i] if i < len(table) else idx)
        if key == "numFmtId":
            return '%s="%s"' % (key, numfmts.get(idx, idx))
        return m.group(0)

    return re.sub(r'(fontId|fillId|borderId|numFmtId|xfId)="(\d+)"', rep, xf)


xfs = [resolve_xf(x) for x in children(section(styles, "cellXfs"), "xf")]
if styles:
    # Formats are compared where cells use them (below), not as a table.
    del parts["xl/styles.xml"]


def resolve_cell(m):
    cell = m.group(0)
    is_shared = re.search(r'\bt="s"', cell)
    cell = re.sub(r'\bs="(\d+)"', lambda s: 's="%s"' % (xfs[int(s.group(1))] if int(s.group(1)) < len(xfs) else s.group(1)), cell, count=1)
    if is_shared:
        cell = re.sub(r"<v>(\d+)</v>", lambda v: "<v>%s</v>" % strings[int(v.group(1))], cell)
    return cell


for name in list(parts):
    text = parts[name]
    if name.startswith("xl/worksheets/sheet"):
        text = re.sub(r"<c\b[^>]*?(?:/>|>.*?</c>)", resolve_cell, text, flags=re.S)
        # Row styles and column styles point into cellXfs too.
        text = re.sub(r'(<(?:row|col)\b[^>]*?\bs(?:tyle)?=")(\d+)"', lambda s: '%s%s"' % (s.group(1), xfs[int(s.group(2))] if int(s.group(2)) < len(xfs) else s.group(2)), text)
        text = re.sub(r'dxfId="(\d+)"', lambda d: 'dxf="%s"' % (dxfs[int(d.group(1))] if int(d.group(1)) < len(dxfs) else d.group(1)), text)
    if name == "docProps/core.xml":
        text = re.sub(r"<dcterms:(created|modified)[^<]*</dcterms:\w+>", "", text)
    parts[name] = text

for name, text in parts.items():
    p = out / name
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text, encoding="utf-8")
