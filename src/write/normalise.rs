//! Stage 5: every sheet of every year as one long polars table, one row per sheet
//! row: the shape analysts and later stages query.

use crate::model::code::parent;
use crate::model::sheet::{RowKind, Score, ScoreSheet, SheetRow};
use crate::pipeline::Analysis;
use crate::score::sheet_leaves;
use foldhash::HashSet;
use polars::prelude::*;
use rayon::prelude::*;

fn num(s: &Score) -> Option<f64> {
    s.value().map(|p| p.as_f64())
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
/// sheet, row (1-based, as Excel shows it).
///
/// Each column is built on its own (rayon; no polars query runs inside): at 10,000
/// sheets the table has about a million rows and building it column after column
/// took a second.
pub fn long_table(a: &Analysis) -> PolarsResult<DataFrame> {
    let scored: HashSet<usize> = a.years.iter().flat_map(|y| y.units.iter().map(|u| u.sheet)).collect();
    let leaves: Vec<HashSet<&str>> = a.sheets.par_iter().map(sheet_leaves).collect();
    let rows: Vec<(usize, &ScoreSheet, &SheetRow)> =
        a.sheets.iter().enumerate().flat_map(|(i, s)| s.rows.iter().map(move |r| (i, s, r))).collect();
    let unit = |i: usize| a.sheet_unit[i].map(|u| &a.units[u]);
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
    let columns: [Build; 18] = [
        col!("year", |(_, s, _)| s.year),
        shared!("unit", |(i, _, _)| unit(*i).map(|u| u.name.as_str())),
        col!("unit_kind", |(i, _, _)| unit(*i).map(|u| u.kind)),
        col!("code", |(_, _, r)| r.code.as_deref()),
        col!("parent_code", |(_, _, r)| r.code.as_deref().and_then(parent)),
        col!("depth", |(_, _, r)| r.code.as_deref().map(|c| crate::model::code::depth(c) as u32)),
        shared!("name", |(_, _, r)| Some(r.name.as_str())),
        col!("max", |(_, _, r)| num(&r.max)),
        col!("self", |(_, _, r)| num(&r.self_score)),
        col!("appraised", |(_, _, r)| num(&r.appraised)),
        col!("not_applicable", |(_, _, r)| r.appraised == Score::NotApplicable),
        col!("leaf", |(i, _, r)| r.kind == RowKind::Criterion && r.code.as_deref().is_some_and(|c| leaves[*i].contains(c))),
        col!("row_kind", |(_, _, r)| r.kind.as_str()),
        col!("note", |(_, _, r)| (!r.note.is_empty()).then_some(r.note.as_str())),
        col!("scored", |(i, _, _)| scored.contains(i)),
        shared!("source_file", |(_, s, _)| Some(s.file.as_str())),
        shared!("sheet", |(_, s, _)| Some(s.sheet.as_str())),
        col!("row", |(_, _, r)| r.row + 1),
    ];
    DataFrame::new_infer_height(columns.par_iter().map(|build| build()).collect())
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
