//! A year's scored leaves, read from the typed sheets: what every analysis sums.
//!
//! The analyses used to query the long table, where points are floats, and round
//! them back to hundredths with a rule of their own; here they read the same
//! [`Points`] the ranking summed, so a loss, a gap or a comparison adds up to the
//! ranking's totals by construction.

use crate::findings::Findings;
use crate::model::code::{Code, cmp_codes};
use crate::model::points::Points;
use crate::model::sheet::{Score, SheetRow, Source};
use crate::model::unit::UnitId;
use crate::score::{UnitResult, YearResult};
use rayon::prelude::*;

/// One leaf of one unit's scored sheet, borrowed from the sheet.
#[derive(Debug, Clone, Copy)]
pub struct Leaf<'a> {
    /// The unit.
    pub unit: UnitId,
    /// Its sheet's row.
    pub row: &'a SheetRow,
    /// Its code.
    pub code: &'a Code,
    /// The max the ranking used: the unit's framework's, else the sheet's; `None`
    /// when neither gives one.
    pub max: Option<Points>,
}

impl<'a> Leaf<'a> {
    /// Whether it applies to the unit (not "không áp dụng").
    pub fn applies(&self) -> bool {
        self.row.appraised != Score::NotApplicable
    }

    /// The appraised points, a blank or unreadable cell counting 0.
    pub fn score(&self) -> Points {
        self.row.appraised.value().unwrap_or_default()
    }

    /// max − score, where the leaf has a max.
    pub fn lost(&self) -> Option<Points> {
        self.max.map(|m| m - self.score())
    }

    /// The name as the sheet writes it.
    pub fn name(&self) -> &'a str {
        &self.row.name
    }

    /// The sheet's note on it, if any.
    pub fn note(&self) -> Option<&'a str> {
        (!self.row.note.is_empty()).then_some(self.row.note.as_str())
    }
}

/// Every leaf of every scored sheet of a year, units in Vietnamese order, codes in
/// framework order; "không áp dụng" included. A code twice in one
/// sheet counts once, the first, as the ranking counts it. Results-table rows have
/// no leaves.
pub fn of_year<'a>(a: &'a Findings, year: &'a YearResult) -> Vec<Leaf<'a>> {
    // Units in Vietnamese order (ties, units of one name, keep the year's order), each
    // run of one name gathered and sorted by code on its own: the same order as sorting
    // every leaf of the year by (unit, code), built on both cores.
    let position = |u: &UnitResult| a.alphabetical[u.unit.index()];
    let mut units: Vec<&UnitResult> = year.units.iter().filter(|u| matches!(u.source, Source::Sheet(_))).collect();
    units.sort_by_key(|u| position(u));
    let runs: Vec<&[&UnitResult]> = units.chunk_by(|x, y| position(x) == position(y)).collect();
    let by_code = |x: &Leaf, y: &Leaf| cmp_codes(x.code, y.code).then_with(|| x.code.as_str().cmp(y.code.as_str()));
    runs.par_iter()
        .map(|run| {
            let mut out: Vec<Leaf<'a>> = run.iter().flat_map(|u| unit_leaves(a, year, u)).collect();
            // Sheets are mostly in framework order already; the sort is stable.
            if !out.is_sorted_by(|x, y| by_code(x, y).is_le()) {
                out.sort_by(by_code);
            }
            out
        })
        .collect::<Vec<_>>()
        .concat()
}

/// One unit's leaves in its sheet's order; a code twice counts once, the first.
fn unit_leaves<'a>(a: &'a Findings, year: &'a YearResult, u: &UnitResult) -> Vec<Leaf<'a>> {
    let Source::Sheet(i) = u.source else { return Vec::new() };
    let fw = year.framework_of(u);
    let mut seen = foldhash::HashSet::default();
    a.sheets[i]
        .rows
        .iter()
        .filter_map(|row| row.code.as_ref().filter(|_| row.leaf).map(|code| (row, code)))
        .filter(|(_, code)| seen.insert(code.as_str()))
        .map(|(row, code)| Leaf { unit: u.unit, row, code, max: fw.get(code).map(|n| n.max).or_else(|| row.max.value()) })
        .collect()
}

/// The leaves of a year that apply to their unit.
pub fn applicable<'a>(a: &'a Findings, year: &'a YearResult) -> Vec<Leaf<'a>> {
    let mut all = of_year(a, year);
    all.retain(Leaf::applies);
    all
}
