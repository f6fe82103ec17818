//! CSV as cchc writes it. A commune's note may begin like a formula
//! (`=HYPERLINK(…)`, `@SUM(…)`, `+84 912 …`); a spreadsheet opening the CSV would
//! run it (OWASP "CSV injection"). Every CSV cchc writes goes through [`write_csv`],
//! which starts such text with an apostrophe; numbers stay numbers. Parquet and JSON
//! keep the text as it was.
//!
//! ```
//! use cchc::write::csv::defuse;
//! assert_eq!(defuse("=HYPERLINK(\"http://x\",\"xem\")"), "'=HYPERLINK(\"http://x\",\"xem\")");
//! assert_eq!(defuse("-0,25"), "-0,25"); // a number, not a formula
//! assert_eq!(defuse("Đạt 100%"), "Đạt 100%");
//! ```

use polars::io::csv::write::BatchedWriter as CsvBatchedWriter;
use polars::prelude::*;
use std::borrow::Cow;
use std::io::Write;

/// The characters a spreadsheet reads as the start of a formula.
const FORMULA_START: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Whether `s` is a plain number ("-0,25", "+3", "1.5"): a spreadsheet reads it as
/// that number, which runs nothing.
fn is_plain_number(s: &str) -> bool {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    let mut parts = digits.splitn(2, ['.', ',']);
    let whole = parts.next().unwrap_or("");
    let all_digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    all_digits(whole) && parts.next().is_none_or(all_digits)
}

/// The text as a CSV cell that cannot start a formula.
pub fn defuse(s: &str) -> Cow<'_, str> {
    if s.starts_with(FORMULA_START) && !is_plain_number(s) { Cow::Owned(format!("'{s}")) } else { Cow::Borrowed(s) }
}

/// Writes `df` as CSV with a header, each text cell defused; `df` itself is left as
/// it was (its other exports keep the text).
pub fn write_csv(df: &DataFrame, out: impl Write) -> PolarsResult<()> {
    CsvWriter::new(out).include_header(true).finish(&mut defused(df)?)
}

/// A CSV writer for a table given in batches ([`CsvBatches::write`] each), with the
/// header once: what [`write_csv`] writes of the batches stacked.
pub struct CsvBatches<W: Write>(CsvBatchedWriter<W>);

impl<W: Write> CsvBatches<W> {
    /// A writer for batches of `schema`.
    pub fn new(out: W, schema: &Schema) -> PolarsResult<Self> {
        Ok(CsvBatches(CsvWriter::new(out).include_header(true).batched(schema)?))
    }

    /// Writes one batch, each text cell defused.
    pub fn write(&mut self, df: &DataFrame) -> PolarsResult<()> {
        self.0.write_batch(&defused(df)?)
    }

    /// Writes the header if no batch came.
    pub fn finish(mut self) -> PolarsResult<()> {
        self.0.finish()
    }
}

/// `df` with every text cell that could start a formula defused.
fn defused(df: &DataFrame) -> PolarsResult<DataFrame> {
    let mut safe = df.clone();
    for column in df.columns() {
        let Ok(text) = column.str() else { continue };
        if text.iter().flatten().any(|s| matches!(defuse(s), Cow::Owned(_))) {
            let defused: StringChunked = text.iter().map(|v| v.map(defuse)).collect();
            safe.with_column(defused.with_name(column.name().clone()).into_column())?;
        }
    }
    Ok(safe)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_that_would_start_a_formula_gets_an_apostrophe() {
        for s in ["=1+1", "+84 912 000 000", "-x", "@SUM(1+1)*cmd|\" /C calc\"!A0", "\tx", "\rx", "=HYPERLINK(\"http://a\",\"xem\")"] {
            assert_eq!(defuse(s), format!("'{s}"), "{s:?}");
        }
        for s in ["-1", "-0,25", "+3.5", "1.5", "Ghi chú", "", "a=b", "-"] {
            let kept = s != "-";
            assert_eq!(defuse(s) == s, kept, "{s:?}");
        }
    }

    #[test]
    fn csv_cells_are_defused_and_numbers_left_alone() {
        let df = df!("note" => [Some("=HYPERLINK(\"http://a\",\"xem\")"), None, Some("ổn")], "points" => [-1.5, 2.0, 3.25]).unwrap();
        let mut out = Vec::new();
        write_csv(&df, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text, "note,points\n\"'=HYPERLINK(\"\"http://a\"\",\"\"xem\"\")\",-1.5\n,2.0\nổn,3.25\n");
        assert_eq!(df.column("note").unwrap().str().unwrap().get(0), Some("=HYPERLINK(\"http://a\",\"xem\")"), "the frame keeps the text");
    }
}
