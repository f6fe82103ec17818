//! Stage 5: every sheet of every year as one long polars table, one row per sheet
//! row: the shape analysts and later stages query.

use crate::extract::{RowKind, Score, ScoreSheet, SheetRow};
use crate::framework::parent;
use crate::pipeline::Analysis;
use crate::score::sheet_leaves;
use foldhash::HashSet;
use polars::prelude::*;
use rayon::prelude::*;

fn num(s: &Score) -> Option<f64> {
    s.value().map(|p| p.as_f64())
}

/// Columns of the long table, in order.
const COLUMNS: [&str; 18] = [
    "year",
    "unit",
    "unit_kind",
    "code",
    "parent_code",
    "depth",
    "name",
    "max",
    "self",
    "appraised",
    "not_applicable",
    "leaf",
    "row_kind",
    "note",
    "scored",
    "source_file",
    "sheet",
    "row",
];

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
    let column = |name: &str| -> Column {
        macro_rules! col {
            ($f:expr) => {
                Column::new(name.into(), rows.iter().map($f).collect::<Vec<_>>())
            };
        }
        match name {
            "year" => col!(|(_, s, _)| s.year),
            "unit" => col!(|(i, _, _)| unit(*i).map(|u| u.name.as_str())),
            "unit_kind" => col!(|(i, _, _)| unit(*i).map(|u| u.kind)),
            "code" => col!(|(_, _, r)| r.code.as_deref()),
            "parent_code" => col!(|(_, _, r)| r.code.as_deref().and_then(parent)),
            "depth" => col!(|(_, _, r)| r.code.as_deref().map(|c| crate::framework::depth(c) as u32)),
            "name" => col!(|(_, _, r)| r.name.as_str()),
            "max" => col!(|(_, _, r)| num(&r.max)),
            "self" => col!(|(_, _, r)| num(&r.self_score)),
            "appraised" => col!(|(_, _, r)| num(&r.appraised)),
            "not_applicable" => col!(|(_, _, r)| r.appraised == Score::NotApplicable),
            "leaf" => col!(|(i, _, r)| r.kind == RowKind::Criterion && r.code.as_deref().is_some_and(|c| leaves[*i].contains(c))),
            "row_kind" => col!(|(_, _, r)| r.kind.as_str()),
            "note" => col!(|(_, _, r)| (!r.note.is_empty()).then_some(r.note.as_str())),
            "scored" => col!(|(i, _, _)| scored.contains(i)),
            "source_file" => col!(|(_, s, _)| s.file.as_str()),
            "sheet" => col!(|(_, s, _)| s.sheet.as_str()),
            "row" => col!(|(_, _, r)| r.row + 1),
            other => unreachable!("column {other} of the long table"),
        }
    };
    DataFrame::new_infer_height(COLUMNS.par_iter().map(|n| column(n)).collect())
}
