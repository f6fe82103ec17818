//! Where points were lost: every applicable leaf below its max, per unit, with the
//! sheet's note or cause, rolled up by area.
//!
//! The leaves are the typed sheets' ([`leaves`]); the max is the unit's framework max
//! (as scoring uses), and all arithmetic is in exact [`Points`].

use super::leaves::{self, Leaf};
use crate::findings::Findings;
use crate::model::code::{Code, ancestor_at, cmp_codes};
use crate::model::points::{Percent, Points};
use crate::model::unit::UnitId;
use crate::score::YearResult;

/// One leaf below its max.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loss {
    /// The unit.
    pub unit: UnitId,
    /// Dotted arabic code ("1.1.3").
    pub code: Code,
    /// Criterion name.
    pub name: String,
    /// Framework max.
    pub max: Points,
    /// Appraised points (blank counts 0).
    pub score: Points,
    /// max − score.
    pub lost: Points,
    /// The sheet's note or cause, if any.
    pub note: Option<String>,
}

impl Loss {
    /// A leaf as a row of the losses (max and lost 0 where the leaf has no max).
    pub fn of(l: &Leaf) -> Loss {
        Loss {
            unit: l.unit,
            code: l.code.clone(),
            name: l.name().to_string(),
            max: l.max.unwrap_or_default(),
            score: l.score(),
            lost: l.lost().unwrap_or_default(),
            note: l.note().map(str::to_string),
        }
    }
}

/// Whether a leaf lost points.
fn losing(l: &Leaf) -> bool {
    l.lost().is_some_and(|p| p > Points::ZERO)
}

/// Every applicable leaf below max in a year, units in Vietnamese order, codes in
/// framework order.
pub fn losses(a: &Findings, year: &YearResult) -> Vec<Loss> {
    below_max(&leaves::applicable(a, year))
}

/// The losses among a year's applicable leaves ([`leaves::applicable`]), in their order.
pub fn below_max(applicable: &[Leaf]) -> Vec<Loss> {
    applicable.iter().filter(|l| losing(l)).map(Loss::of).collect()
}

/// Losses rolled up to the ancestor of each leaf at `depth` (1 = area, 2 = criterion):
/// (code, points lost), in code order. Leaves shallower than `depth` stand for themselves.
pub fn rolled_up(losses: &[Loss], depth: usize) -> Vec<(String, Points)> {
    let mut out: Vec<(String, Points)> = Vec::new();
    for l in losses {
        let key = ancestor_at(&l.code, depth).to_string();
        match out.iter_mut().find(|(c, _)| *c == key) {
            Some((_, p)) => *p += l.lost,
            None => out.push((key, l.lost)),
        }
    }
    out.sort_by(|a, b| cmp_codes(&a.0, &b.0));
    out
}

/// A unit's loss per area: (area code, points lost), in area order.
pub fn by_area(losses: &[Loss]) -> Vec<(String, Points)> {
    rolled_up(losses, 1)
}

/// One leaf in the district view of losses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DistrictLeaf {
    /// Leaf code.
    pub code: Code,
    /// Leaf name.
    pub name: String,
    /// Points lost on it across all units.
    pub lost: Points,
    /// Units losing points on it.
    pub units_losing: usize,
    /// Units it applies to.
    pub units_applicable: usize,
    /// Share of the district's total loss (percent, hundredths).
    pub share: Percent,
    /// Cumulative share down the Pareto order.
    pub cumulative: Percent,
}

impl DistrictLeaf {
    /// Units with full marks on it ("đạt điểm tuyệt đối").
    pub fn full_marks(&self) -> usize {
        self.units_applicable - self.units_losing
    }
}

/// The district's Pareto of lost points: every applicable leaf, most points lost
/// first (then code order), with units losing, share and cumulative share.
pub fn pareto(a: &Findings, year: &YearResult) -> Vec<DistrictLeaf> {
    pareto_of(&leaves::applicable(a, year), year)
}

/// [`pareto`] from the year's applicable leaves.
pub fn pareto_of(applicable: &[Leaf], year: &YearResult) -> Vec<DistrictLeaf> {
    // Per code: units it applies to, points lost, units losing.
    let mut at: foldhash::HashMap<&str, usize> = Default::default();
    let mut per_code: Vec<(&Code, usize, Points, usize)> = Vec::new();
    for l in applicable {
        let k = *at.entry(l.code.as_str()).or_insert_with(|| {
            per_code.push((l.code, 0, Points::ZERO, 0));
            per_code.len() - 1
        });
        let row = &mut per_code[k];
        row.1 += 1;
        if losing(l) {
            row.2 += l.lost().unwrap_or_default();
            row.3 += 1;
        }
    }
    let total = Points(per_code.iter().map(|r| r.2.0).sum::<i64>().max(1));
    let mut rows: Vec<DistrictLeaf> = per_code
        .into_iter()
        .map(|(code, applicable, lost, losing)| DistrictLeaf {
            name: year.node(code).map(|n| n.name.clone()).unwrap_or_default(),
            code: code.clone(),
            lost,
            units_losing: losing,
            units_applicable: applicable,
            share: Percent::of(lost, total),
            cumulative: Percent::default(),
        })
        .collect();
    rows.sort_by(|a, b| b.lost.cmp(&a.lost).then_with(|| cmp_codes(&a.code, &b.code)));
    let mut running = Points::ZERO;
    for r in &mut rows {
        running += r.lost;
        r.cumulative = Percent::of(running, total);
    }
    rows
}
