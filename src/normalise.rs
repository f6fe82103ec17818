//! Stage 5: every sheet of every year as one long polars table, one row per sheet
//! row: the shape analysts and later stages query.

use crate::extract::{RowKind, Score};
use crate::framework::parent;
use crate::pipeline::Analysis;
use crate::score::sheet_leaves;
use polars::prelude::*;
use std::collections::HashSet;

fn num(s: &Score) -> Option<f64> {
    s.value().map(|p| p.as_f64())
}

/// The long table: year, unit, unit_kind, code, parent_code, depth, name, max,
/// self, appraised, not_applicable, leaf, row_kind, note, scored, source_file,
/// sheet, row (1-based, as Excel shows it).
pub fn long_table(a: &Analysis) -> PolarsResult<DataFrame> {
    let scored: HashSet<usize> = a.years.iter().flat_map(|y| y.units.iter().map(|u| u.sheet)).collect();
    let n: usize = a.sheets.iter().map(|s| s.rows.len()).sum();
    let mut year = Vec::with_capacity(n);
    let mut unit = Vec::with_capacity(n);
    let mut kind = Vec::with_capacity(n);
    let mut code = Vec::with_capacity(n);
    let mut parent_code = Vec::with_capacity(n);
    let mut depth = Vec::with_capacity(n);
    let mut name = Vec::with_capacity(n);
    let mut max = Vec::with_capacity(n);
    let mut self_score = Vec::with_capacity(n);
    let mut appraised = Vec::with_capacity(n);
    let mut na = Vec::with_capacity(n);
    let mut leaf = Vec::with_capacity(n);
    let mut row_kind = Vec::with_capacity(n);
    let mut note = Vec::with_capacity(n);
    let mut is_scored = Vec::with_capacity(n);
    let mut file = Vec::with_capacity(n);
    let mut sheet = Vec::with_capacity(n);
    let mut row = Vec::with_capacity(n);
    for (i, s) in a.sheets.iter().enumerate() {
        let u = a.sheet_unit[i].map(|u| &a.units[u]);
        let leaves = sheet_leaves(s);
        for r in &s.rows {
            year.push(s.year);
            unit.push(u.map(|u| u.name.as_str()));
            kind.push(u.map(|u| u.kind));
            code.push(r.code.as_deref());
            parent_code.push(r.code.as_deref().and_then(parent));
            depth.push(r.code.as_deref().map(|c| crate::framework::depth(c) as u32));
            name.push(r.name.as_str());
            max.push(num(&r.max));
            self_score.push(num(&r.self_score));
            appraised.push(num(&r.appraised));
            na.push(r.appraised == Score::NotApplicable);
            leaf.push(r.kind == RowKind::Criterion && r.code.as_deref().is_some_and(|c| leaves.contains(c)));
            row_kind.push(r.kind.as_str());
            note.push((!r.note.is_empty()).then_some(r.note.as_str()));
            is_scored.push(scored.contains(&i));
            file.push(s.file.as_str());
            sheet.push(s.sheet.as_str());
            row.push(r.row + 1);
        }
    }
    df!(
        "year" => year,
        "unit" => unit,
        "unit_kind" => kind,
        "code" => code,
        "parent_code" => parent_code,
        "depth" => depth,
        "name" => name,
        "max" => max,
        "self" => self_score,
        "appraised" => appraised,
        "not_applicable" => na,
        "leaf" => leaf,
        "row_kind" => row_kind,
        "note" => note,
        "scored" => is_scored,
        "source_file" => file,
        "sheet" => sheet,
        "row" => row,
    )
}
