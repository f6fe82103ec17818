//! A year's scored leaves, read from the typed sheets: what every analysis sums.
//!
//! The analyses used to query the long table, where points are floats, and round
//! them back to hundredths with a rule of their own; here they read the same
//! [`Points`] the ranking summed, so a loss, a gap or a comparison adds up to the
//! ranking's totals by construction.

use crate::findings::Findings;
use crate::model::code::Code;
use crate::model::points::Points;
use crate::model::sheet::{Score, SheetRow, Source};
use crate::model::unit::UnitId;
use crate::score::YearResult;

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
    let mut out = Vec::new();
    for u in &year.units {
        let Source::Sheet(i) = u.source else { continue };
        let sheet = &a.sheets[i];
        let fw = year.framework_of(u);
        let mut seen = foldhash::HashSet::default();
        for row in &sheet.rows {
            let Some(code) = row.code.as_ref().filter(|_| row.leaf) else { continue };
            if !seen.insert(code.as_str()) {
                continue;
            }
            let max = fw.get(code).map(|n| n.max).or_else(|| row.max.value());
            out.push(Leaf { unit: u.unit, row, code, max });
        }
    }
    super::sort_by_unit_and_code(&mut out, a, |l| l.unit, |l| l.code.as_str());
    out
}

/// The leaves of a year that apply to their unit.
pub fn applicable<'a>(a: &'a Findings, year: &'a YearResult) -> Vec<Leaf<'a>> {
    let mut all = of_year(a, year);
    all.retain(Leaf::applies);
    all
}
