//! Self-assessment gap: self-assessed − appraised, per unit and leaf; the units that
//! over-claim most and the criteria most often over-claimed.

use super::leaves::{self, Leaf};
use crate::findings::Findings;
use crate::model::code::Code;
use crate::model::points::Points;
use crate::model::unit::UnitId;
use crate::score::YearResult;
use foldhash::{HashMap, HashMapExt};

/// One leaf where the unit's own score differs from the appraised one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gap {
    /// The unit.
    pub unit: UnitId,
    /// Leaf code.
    pub code: Code,
    /// Leaf name.
    pub name: String,
    /// Self-assessed points.
    pub self_score: Points,
    /// Appraised points.
    pub appraised: Points,
    /// self − appraised (positive = over-claimed).
    pub gap: Points,
}

/// Every leaf of a year where self-assessed and appraised differ (both typed,
/// applicable), units in Vietnamese order, codes in framework order.
pub fn gaps(a: &Findings, year: &YearResult) -> Vec<Gap> {
    gaps_of(&leaves::applicable(a, year))
}

/// [`gaps`] from the year's applicable leaves, in their order.
pub fn gaps_of(applicable: &[Leaf]) -> Vec<Gap> {
    applicable
        .iter()
        .filter_map(|l| {
            let (self_score, appraised) = (l.row.self_score.value()?, l.row.appraised.value()?);
            (self_score != appraised).then(|| Gap {
                unit: l.unit,
                code: l.code.clone(),
                name: l.name().to_string(),
                self_score,
                appraised,
                gap: self_score - appraised,
            })
        })
        .collect()
}

/// A unit's over-claims: the points it gave itself above the appraisal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitGap {
    /// The unit.
    pub unit: UnitId,
    /// Points over-claimed, summed over its leaves.
    pub over_claimed: Points,
    /// Leaves over-claimed.
    pub leaves: usize,
}

/// A criterion's over-claims across the units.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CriterionGap {
    /// Leaf code.
    pub code: Code,
    /// Leaf name.
    pub name: String,
    /// Units over-claiming it.
    pub units: usize,
    /// Points over-claimed, summed over the units.
    pub over_claimed: Points,
}

/// Units by points over-claimed, most first, then by leaves over, then in Vietnamese
/// order. `gaps` come in Vietnamese order of units ([`gaps`]), so a stable sort keeps
/// that order for ties; grouped in one pass (thousands of units).
pub fn by_unit(gaps: &[Gap]) -> Vec<UnitGap> {
    let mut at: HashMap<UnitId, usize> = HashMap::new();
    let mut out: Vec<UnitGap> = Vec::new();
    for g in gaps.iter().filter(|g| g.gap > Points::ZERO) {
        let i = *at.entry(g.unit).or_insert_with(|| {
            out.push(UnitGap { unit: g.unit, over_claimed: Points::ZERO, leaves: 0 });
            out.len() - 1
        });
        out[i].over_claimed += g.gap;
        out[i].leaves += 1;
    }
    out.sort_by(|a, b| b.over_claimed.cmp(&a.over_claimed).then(b.leaves.cmp(&a.leaves)));
    out
}

/// Criteria by how many units over-claim them, then by points over, then in code order.
pub fn by_criterion(gaps: &[Gap]) -> Vec<CriterionGap> {
    let mut at: HashMap<&str, usize> = HashMap::new();
    let mut out: Vec<CriterionGap> = Vec::new();
    for g in gaps.iter().filter(|g| g.gap > Points::ZERO) {
        let i = *at.entry(g.code.as_str()).or_insert_with(|| {
            out.push(CriterionGap { code: g.code.clone(), name: g.name.clone(), units: 0, over_claimed: Points::ZERO });
            out.len() - 1
        });
        out[i].units += 1;
        out[i].over_claimed += g.gap;
    }
    out.sort_by(|a, b| b.units.cmp(&a.units).then(b.over_claimed.cmp(&a.over_claimed)).then_with(|| a.code.cmp(&b.code)));
    out
}
