//! Does the ranking hang on one area? For each area, the ranking with that area left
//! out (points rescaled to the remaining max), and how far each unit moves.

use super::compare::{CriterionComparison, UnitOnCriterion, compare};
use crate::analysis::Analysis;
use crate::model::code::Code;
use crate::model::points::Points;
use crate::model::ranking::RankMethod;
use crate::model::unit::UnitId;
use crate::score::YearResult;
use polars::prelude::*;
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
/// comparison by area (a polars query on `long`, the normalised table); the totals
/// are the official ones, so an area's removal is measured against the real ranking.
pub fn stability(long: &DataFrame, a: &Analysis, y: &YearResult) -> PolarsResult<Vec<WithoutArea>> {
    Ok(from_areas(&compare(long, a, y, 1)?, y, a.settings.ranking.method))
}

/// Leave-one-area-out rankings from a year's comparison by area ([`compare`] at
/// depth 1), for callers that have it already.
pub fn from_areas(by_area: &[CriterionComparison], y: &YearResult, method: RankMethod) -> Vec<WithoutArea> {
    by_area
        .iter()
        .filter(|c| c.node.depth() == 1)
        .map(|c| {
            let area: HashMap<UnitId, &UnitOnCriterion> = c.units.iter().map(|u| (u.unit, u)).collect();
            let mut units: Vec<Moved> = y
                .units
                .iter()
                .map(|u| {
                    let (ap, am) = area.get(&u.unit).map_or((Points::ZERO, Points::ZERO), |x| (x.points, x.max));
                    let max = u.applicable_max - am;
                    let index_without = Points::ratio((u.points - ap).0 as i128 * 10_000, max.0 as i128);
                    Moved { unit: u.unit, rank: u.rank, index_without, rank_without: 0 }
                })
                .collect();
            let mut order: Vec<usize> = (0..units.len()).collect();
            order.sort_by(|&i, &j| units[j].index_without.cmp(&units[i].index_without));
            let sorted: Vec<Points> = order.iter().map(|&i| units[i].index_without).collect();
            for (&i, rank) in order.iter().zip(method.ranks(&sorted)) {
                units[i].rank_without = rank;
            }
            WithoutArea { area: c.node.code.clone(), units }
        })
        .collect()
}
