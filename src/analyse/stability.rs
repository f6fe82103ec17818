//! Does the ranking hang on one area? For each area, the ranking with that area left
//! out (points rescaled to the remaining max), and how far each unit moves.

use super::compare::{CriterionComparison, UnitOnCriterion, compare};
use crate::findings::Findings;
use crate::model::code::Code;
use crate::model::points::Points;
use crate::model::ranking::RankMethod;
use crate::model::unit::UnitId;
use crate::score::YearResult;
use std::collections::HashMap;

/// One unit's rank with an area left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Moved {
    /// Index into the run's units.
    pub unit: UnitId,
    /// Official rank.
    pub rank: u32,
    /// Index without the area: (points − area points) ÷ (max − area max) × 100.
    pub index_without: Points,
    /// Rank on that index (1, 1, 3).
    pub rank_without: u32,
}

impl Moved {
    /// Places gained by leaving the area out (positive = up).
    pub fn shift(&self) -> i64 {
        self.rank as i64 - self.rank_without as i64
    }
}

/// The ranking without one area.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WithoutArea {
    /// Area code left out.
    pub area: Code,
    /// Units in official rank order.
    pub units: Vec<Moved>,
}

impl WithoutArea {
    /// The largest move in either direction.
    pub fn max_shift(&self) -> i64 {
        self.units.iter().map(|m| m.shift().abs()).max().unwrap_or(0)
    }

    /// Units whose rank changes.
    pub fn moved(&self) -> usize {
        self.units.iter().filter(|m| m.shift() != 0).count()
    }
}

/// Leave-one-area-out rankings of a year (years with areas only; bonus and penalty
/// are left out, as they do not belong to an area). The area sums come from the
/// comparison by area; the totals are the official ones, so an area's removal is
/// measured against the real ranking.
pub fn stability(a: &Findings, y: &YearResult) -> Vec<WithoutArea> {
    from_areas(&compare(a, y, 1), y, a.settings.ranking.method)
}

/// Leave-one-area-out rankings from a year's comparison by area ([`compare`] at
/// depth 1), for callers that have it already.
pub fn from_areas(by_area: &[CriterionComparison], y: &YearResult, method: RankMethod) -> Vec<WithoutArea> {
    by_area
        .iter()
        .filter(|c| c.node.depth() == 1)
        .map(|c| {
            let area: HashMap<UnitId, &UnitOnCriterion> = c.units.iter().map(|u| (u.unit, u)).collect();
            without(c.node.code.clone(), y, method, |unit| area.get(&unit).map_or((Points::ZERO, Points::ZERO), |x| (x.points, x.max)))
        })
        .collect()
}

/// Leave-one-area-out rankings of a year known from a results table with area
/// columns ("(N điểm)" giving each area's max): its published totals and areas.
pub fn from_published(y: &YearResult, method: RankMethod) -> Vec<WithoutArea> {
    let mut codes: Vec<Code> =
        y.units.iter().flat_map(|u| u.areas.iter().filter(|a| a.max > Points::ZERO).map(|a| a.code.clone())).collect();
    codes.sort();
    codes.dedup();
    codes
        .into_iter()
        .map(|code| {
            without(code.clone(), y, method, |unit| {
                let u = y.units.iter().find(|u| u.unit == unit);
                u.and_then(|u| u.areas.iter().find(|a| a.code == code)).map_or((Points::ZERO, Points::ZERO), |a| (a.points, a.max))
            })
        })
        .collect()
}

/// The ranking without one area, `area_of(unit)` giving the unit's points and max in it.
fn without(area: Code, y: &YearResult, method: RankMethod, area_of: impl Fn(UnitId) -> (Points, Points)) -> WithoutArea {
    let mut units: Vec<Moved> = y
        .units
        .iter()
        .map(|u| {
            let (ap, am) = area_of(u.unit);
            let max = u.applicable_max - am;
            // Without bonus and penalty, as the sheet explains.
            let index_without = crate::score::index(u.points - ap, max, Points::ZERO, Points::ZERO);
            Moved { unit: u.unit, rank: u.rank, index_without, rank_without: 0 }
        })
        .collect();
    let mut order: Vec<usize> = (0..units.len()).collect();
    order.sort_by(|&i, &j| units[j].index_without.cmp(&units[i].index_without));
    let sorted: Vec<Points> = order.iter().map(|&i| units[i].index_without).collect();
    for (&i, rank) in order.iter().zip(method.ranks(&sorted)) {
        units[i].rank_without = rank;
    }
    WithoutArea { area, units }
}
