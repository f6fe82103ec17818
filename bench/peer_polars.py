"""The polars peer of `make bench`: ranking and lost-points table with polars +
fastexcel (calamine underneath), written the way an analyst would: pl.read_excel every
sheet as text, find the header, then one set of polars queries over all rows.

    python bench/peer_polars.py INPUT_DIR OUTPUT_DIR

Writes OUTPUT_DIR/rankings.csv (year, rank, unit, index, points, max) and
OUTPUT_DIR/losses.csv (year, unit, code, max, appraised, lost); prints one line
`peer_polars: files=… sheets=… units=… unreadable=… no_header=… seconds=…`.
"""

import sys
import time
from pathlib import Path

import polars as pl

import peer_common as pc

ROMAN_TO_ARABIC = {r: str(pc.roman_to_int(r)) for r in ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]}
NA_TEXT = ["kad", "không áp dụng", "không đánh giá"]


def num(col: str) -> pl.Expr:
    return pl.col(col).str.strip_chars().str.replace_all(" ", "").str.replace(",", ".").cast(pl.Float64, strict=False)


def sheet_frame(df: pl.DataFrame, path: Path, sheet: str, n_sheets: int, year):
    """One sheet's rows as (year, unit, code, name, max, appraised) text columns."""
    head = df.head(32).rows()
    found = pc.find_header(head)
    if found is None:
        return None
    start, cols = found
    unit = pc.unit_name(head[: max(start - 1, 0)], sheet, n_sheets, path)
    names = df.columns
    return df.slice(start).select(
        pl.lit(year, dtype=pl.Int32).alias("year"),
        pl.lit(unit).alias("unit"),
        (pl.col(names[cols["code"]]) if "code" in cols else pl.lit(None, dtype=pl.String)).alias("code_cell"),
        pl.col(names[cols["name"]]).alias("name"),
        pl.col(names[cols["max"]]).alias("max"),
        pl.col(names[cols["appraised"]]).alias("appraised"),
    )


def main(argv):
    start = time.perf_counter()
    src, out = Path(argv[1]), Path(argv[2])
    out.mkdir(parents=True, exist_ok=True)
    files, skipped = pc.find_files(src)
    frames = []
    n_sheets = unreadable = no_header = 0
    for year, path in files:
        try:
            book = pl.read_excel(path, sheet_id=0, engine="calamine", has_header=False, infer_schema_length=0)
        except Exception as e:  # noqa: BLE001 - an analyst's loop counts and goes on
            unreadable += 1
            print(f"peer_polars: cannot read {path}: {type(e).__name__}: {e}", file=sys.stderr)
            continue
        for sheet, df in book.items():
            n_sheets += 1
            got = sheet_frame(df, path, sheet, len(book), year)
            if got is None:
                no_header += 1
                continue
            frames.append(got)

    rows = pl.concat(frames, how="vertical_relaxed").lazy()
    name = pl.col("name").str.normalize("NFC").str.strip_chars()  # some offices send decomposed (NFD) text
    code_in_cell = pl.col("code_cell").str.strip_chars().str.extract(r"^([IVXL]+|\d+(?:\.\d+)*)\.?$", 1)
    roman_in_name = name.str.extract(r"^([IVXL]+)[.\s]", 1)
    arabic_in_name = name.str.extract(r"^(\d+(?:\.\d+)*)", 1)
    code = pl.when(pl.col("code_cell").is_not_null()).then(code_in_cell).otherwise(pl.coalesce(roman_in_name, arabic_in_name))
    rows = rows.with_columns(
        code=code.replace(ROMAN_TO_ARABIC),
        key=name.str.to_lowercase(),
        na=pl.col("appraised").str.normalize("NFC").str.strip_chars().str.to_lowercase().is_in(NA_TEXT).fill_null(False),
        max=num("max"),
        appraised=num("appraised"),
    ).collect()

    extras = (
        rows.lazy()
        .filter(pl.col("code").is_null())
        .group_by("year", "unit")
        .agg(
            bonus=pl.col("appraised").filter(pl.col("key").str.contains(r"^điểm (thưởng|cộng)")).sum(),
            penalty=pl.col("appraised").filter(pl.col("key").str.contains(r"^điểm (trừ|phạt)")).sum(),
        )
    )
    crit = rows.lazy().filter(pl.col("code").is_not_null()).unique(["year", "unit", "code"], keep="first", maintain_order=True)
    parents = (
        crit.select("year", "unit", parts=pl.col("code").str.split("."))
        .with_columns(k=pl.int_ranges(1, pl.col("parts").list.len()))
        .explode("k")
        .drop_nulls("k")
        .select("year", "unit", code=pl.col("parts").list.head(pl.col("k")).list.join("."))
        .unique()
    )
    leaves = crit.join(parents, on=["year", "unit", "code"], how="anti").filter(~pl.col("na"))
    leaves = leaves.with_columns(pl.col("max").fill_null(0.0), pl.col("appraised").fill_null(0.0))

    units = (
        leaves.group_by("year", "unit")
        .agg(points=pl.col("appraised").sum().round(2), max=pl.col("max").sum())
        .join(extras, on=["year", "unit"], how="left")
        .with_columns(
            index=((pl.col("points") / pl.col("max") * 100).round(2) + pl.col("bonus").fill_null(0) - pl.col("penalty").fill_null(0)).round(2)
        )
        .with_columns(rank=pl.col("index").rank("min", descending=True).over("year").cast(pl.Int32))
        .sort("year", "rank", "unit")
        .select("year", "rank", "unit", "index", "points", "max")
        .collect()
    )
    units.write_csv(out / "rankings.csv")

    losses = (
        leaves.filter(pl.col("appraised") < pl.col("max"))
        .with_columns(lost=(pl.col("max") - pl.col("appraised")).round(2))
        .select("year", "unit", "code", "max", "appraised", "lost")
        .collect()
    )
    losses.write_csv(out / "losses.csv")

    pc.report(
        "peer_polars",
        start,
        files=len(files),
        skipped=skipped,
        sheets=n_sheets,
        units=units.height,
        losses=losses.height,
        unreadable=unreadable,
        no_header=no_header,
    )


if __name__ == "__main__":
    main(sys.argv)
