//! The long table: every sheet of every year as one polars table, one row per sheet
//! row: the shape analysts and later stages query.

use crate::findings::Findings;
use crate::model::code::parent;
use crate::model::sheet::{ResultsRow, RowKind, Score, SheetRow, Source};
use crate::model::unit::Unit;
use foldhash::HashSet;
use polars::prelude::*;
use rayon::prelude::*;

fn num(s: &Score) -> Option<f64> {
    s.value().map(|p| p.as_f64())
}

/// One row of the long table: a sheet's row, or a results-table row (its unit's
/// total), with its source's place in the batch ([`SourceFacts`]). Kept small: a
/// province's table has a million rows.
struct Line<'a> {
    at: u32,
    row: Row<'a>,
}

enum Row<'a> {
    Sheet(&'a SheetRow),
    Published(&'a ResultsRow),
}

impl Line<'_> {
    fn sheet_row(&self) -> Option<&SheetRow> {
        match self.row {
            Row::Sheet(r) => Some(r),
            Row::Published(..) => None,
        }
    }

    fn appraised(&self) -> &Score {
        match self.row {
            Row::Sheet(r) => &r.appraised,
            Row::Published(r) => &r.total,
        }
    }
}

/// What every row of one source shares, found once a source rather than once a row
/// (a million hash lookups a column at 10,000 sheets).
struct SourceFacts<'a> {
    year: i32,
    unit: Option<&'a Unit>,
    file: &'a str,
    sheet: &'a str,
    scored: bool,
}

/// A text column built from a dictionary of its distinct values: polars' string views
/// share the dictionary's buffer when taken, so a column whose texts repeat (criterion
/// names, units, files) holds each text once. At 10,000 sheets the long table fell
/// from 390 to 250 MB, and the analysis tables' columns likewise.
pub(crate) fn shared_text<'a>(name: &str, values: impl Iterator<Item = Option<&'a str>>) -> Column {
    let mut pos: foldhash::HashMap<&str, IdxSize> = Default::default();
    let mut distinct: Vec<&str> = Vec::new();
    let idx: IdxCa = values
        .map(|v| {
            v.map(|s| {
                *pos.entry(s).or_insert_with(|| {
                    distinct.push(s);
                    (distinct.len() - 1) as IdxSize
                })
            })
        })
        .collect();
    let dictionary = StringChunked::from_slice(name.into(), &distinct);
    dictionary.take(&idx).expect("every index is a position in the dictionary").into_column()
}

/// The long table: year, unit, unit_kind, code, parent_code, depth, name, max,
/// self, appraised, not_applicable, leaf, row_kind, note, scored, source_file,
/// sheet, row (1-based, as Excel shows it); and where any sheet has several appraisal
/// rounds or deductions, round_1 … round_N and deduction (appraised is the official
/// score: the last round scored, net of deductions).
///
/// Built a batch of sources at a time ([`LongTable::batches`], [`LongTable::frame`]):
/// the exports write each batch and drop it, so the whole table (a million rows and
/// 200 MB at 10,000 sheets) is never held at once.
pub struct LongTable<'a> {
    a: &'a Findings,
    /// Every source a year's ranking counted.
    scored: HashSet<Source>,
    /// round_1 … round_N and deduction, where any sheet has several rounds.
    rounds: Option<usize>,
}

impl<'a> LongTable<'a> {
    /// The table of a run's sources.
    pub fn new(a: &'a Findings) -> LongTable<'a> {
        let scored = a.years.iter().flat_map(|y| y.units.iter().map(|u| u.source)).collect();
        let staged = a.sheets.iter().filter(|s| super::rounds::has_rounds(s));
        let rounds = staged.map(|s| s.columns.rounds.len()).max();
        LongTable { a, scored, rounds }
    }

    /// The run's sources in file order, cut into batches of about `rows` table rows
    /// (a sheet is never split).
    pub fn batches(&self, rows: usize) -> Vec<&'a [Source]> {
        let order = &self.a.order[..];
        let mut out = Vec::new();
        let (mut start, mut filled) = (0, 0);
        for (i, src) in order.iter().enumerate() {
            filled += match *src {
                Source::Sheet(k) => self.a.sheets[k].rows.len(),
                Source::Published { .. } => 1,
            };
            if filled >= rows {
                out.push(&order[start..=i]);
                (start, filled) = (i + 1, 0);
            }
        }
        if start < order.len() {
            out.push(&order[start..]);
        }
        out
    }

    /// What every row of a source shares, found once a source (in parallel).
    fn facts(&self, sources: &[Source]) -> Vec<SourceFacts<'a>> {
        let a = self.a;
        sources
            .par_iter()
            .map(|&src| {
                let o = a.origin(src);
                SourceFacts {
                    year: o.year,
                    unit: a.unit_of.get(&src).map(|&u| &a.units[u]),
                    file: o.file,
                    sheet: o.sheet,
                    scored: self.scored.contains(&src),
                }
            })
            .collect()
    }

    /// The table's rows, in order: each sheet's rows, then each published total.
    fn lines(&self, sources: &[Source]) -> Vec<Line<'a>> {
        let a = self.a;
        sources
            .iter()
            .enumerate()
            .flat_map(|(k, src)| {
                let (sheet_rows, published) = match *src {
                    Source::Sheet(i) => (&a.sheets[i].rows[..], None),
                    Source::Published { table, row } => (&[][..], Some(Row::Published(&a.tables[table].rows[row]))),
                };
                sheet_rows.iter().map(Row::Sheet).chain(published).map(move |row| Line { at: k as u32, row })
            })
            .collect()
    }

    /// The rows of `sources`, in their order: each sheet's rows, and a results-table
    /// row as its unit's total. Each column is built on its own (rayon; no polars query
    /// runs inside).
    pub fn frame(&self, sources: &[Source]) -> PolarsResult<DataFrame> {
        let shared = self.facts(sources);
        let rows = self.lines(sources);
        let of = |l: &Line| &shared[l.at as usize];
        // Each column: its name and how to build it from the rows, in table order.
        type Build<'a> = Box<dyn Fn() -> Column + Sync + 'a>;
        macro_rules! col {
            ($name:literal, $f:expr) => {
                Box::new(|| Column::new($name.into(), rows.iter().map($f).collect::<Vec<_>>())) as Build
            };
        }
        // Text that repeats down the table (unit, criterion name, file, sheet): each
        // distinct text is stored once and the rows are views of it.
        macro_rules! shared {
            ($name:literal, $f:expr) => {
                Box::new(|| shared_text($name, rows.iter().map($f))) as Build
            };
        }
        let mut columns: Vec<Build> = vec![
            col!("year", |l| of(l).year),
            shared!("unit", |l| of(l).unit.map(|u| u.name.as_str())),
            col!("unit_kind", |l| of(l).unit.map(|u| u.kind.label())),
            col!("code", |l| l.sheet_row().and_then(|r| r.code.as_deref())),
            col!("parent_code", |l| l.sheet_row().and_then(|r| r.code.as_deref()).and_then(parent)),
            col!("depth", |l| l.sheet_row().and_then(|r| r.code.as_ref()).map(|c| c.depth() as u32)),
            shared!("name", |l| Some(match l.row {
                Row::Sheet(r) => &r.name,
                Row::Published(r) => r.unit.name.as_str(),
            })),
            col!("max", |l| l.sheet_row().and_then(|r| num(&r.max))),
            col!("self", |l| l.sheet_row().and_then(|r| num(&r.self_score))),
            col!("appraised", |l| num(l.appraised())),
            col!("not_applicable", |l| *l.appraised() == Score::NotApplicable),
            col!("leaf", |l| match l.row {
                Row::Sheet(r) => r.leaf,
                Row::Published(..) => false,
            }),
            col!("row_kind", |l| l.sheet_row().map_or(RowKind::Total, |r| r.kind).as_str()),
            col!("note", |l| l.sheet_row().and_then(|r| (!r.note.is_empty()).then_some(r.note.as_str()))),
            col!("scored", |l| of(l).scored),
            shared!("source_file", |l| Some(of(l).file)),
            shared!("sheet", |l| Some(of(l).sheet)),
            col!("row", |l| match l.row {
                Row::Sheet(r) => r.row + 1,
                Row::Published(r) => r.row + 1,
            }),
        ];
        // Sheets with several appraisal rounds or deductions keep every stage: round_1 …
        // round_N and deduction (absent when no sheet has them, so the table keeps its shape).
        if let Some(most) = self.rounds {
            for k in 0..most {
                let rows = &rows;
                columns.push(Box::new(move || {
                    let v: Vec<Option<f64>> = rows.iter().map(|l| l.sheet_row().and_then(|r| r.round(k)).and_then(num)).collect();
                    Column::new(format!("round_{}", k + 1).into(), v)
                }));
            }
            columns.push(col!("deduction", |l| l.sheet_row().and_then(|r| r.deduction()).and_then(num)));
        }
        DataFrame::new_infer_height(columns.par_iter().map(|build| build()).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_text_keeps_every_value_and_stores_each_text_once() {
        let long = "Công tác chỉ đạo, điều hành cải cách hành chính";
        let values = [Some(long), None, Some("ngắn"), Some(long), Some(long)];
        let column = shared_text("name", values.iter().copied());
        let ca = column.str().unwrap();
        assert_eq!(ca.iter().collect::<Vec<_>>(), values.to_vec());
        // Three rows of the long name, one copy of it ("ngắn" fits in its view).
        let stored: usize = ca.downcast_iter().map(|a| a.total_buffer_len()).sum();
        assert_eq!(stored, long.len());
    }
}
