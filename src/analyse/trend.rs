//! Each unit across all years: index, rank, band and their changes, whatever layout
//! each year came in; who improved and declined most.

use crate::analysis::Analysis;
use crate::model::band::Band;
use crate::model::points::Points;
use crate::model::unit::UnitId;
use crate::score::UnitResult;

/// One unit's year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrendPoint {
    /// Year.
    pub year: i32,
    /// The unit's result that year.
    pub result: UnitResult,
}

/// One unit over the years it appears in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitTrend {
    /// Index into the run's units.
    pub unit: UnitId,
    /// Its years, ascending.
    pub points: Vec<TrendPoint>,
}

impl UnitTrend {
    /// Index change from its first year to its last (None with one year only).
    pub fn index_change(&self) -> Option<Points> {
        match (self.points.first(), self.points.last()) {
            (Some(a), Some(b)) if self.points.len() > 1 => Some(b.result.index - a.result.index),
            _ => None,
        }
    }

    /// Places gained from its first year to its last (positive = up).
    pub fn rank_change(&self) -> Option<i64> {
        match (self.points.first(), self.points.last()) {
            (Some(a), Some(b)) if self.points.len() > 1 => Some(a.result.rank as i64 - b.result.rank as i64),
            _ => None,
        }
    }

    /// Band of its last year.
    pub fn last_band(&self) -> Option<Band> {
        self.points.last().map(|p| p.result.band)
    }
}

/// Every unit's trend, units in the order of their last year's rank, then by name.
pub fn trends(a: &Analysis) -> Vec<UnitTrend> {
    // One pass over the years' results (the ranking's output, whatever layout each
    // year came in), grouped by unit.
    let mut by_unit: Vec<Vec<TrendPoint>> = vec![Vec::new(); a.units.len()];
    for y in &a.years {
        for r in &y.units {
            by_unit[r.unit.index()].push(TrendPoint { year: y.year, result: r.clone() });
        }
    }
    let mut out: Vec<UnitTrend> = by_unit
        .into_iter()
        .enumerate()
        .filter(|(_, p)| !p.is_empty())
        .map(|(unit, points)| UnitTrend { unit: UnitId(unit), points })
        .collect();
    out.sort_by(|x, y| {
        let key = |t: &UnitTrend| t.points.last().map(|p| (std::cmp::Reverse(p.year), p.result.rank)).unwrap_or((std::cmp::Reverse(0), 0));
        key(x).cmp(&key(y)).then_with(|| a.alphabetical[x.unit.index()].cmp(&a.alphabetical[y.unit.index()]))
    });
    out
}

/// Units with the largest index gain (or loss, `improved = false`) over their years, at most `n`.
pub fn movers(trends: &[UnitTrend], improved: bool, n: usize) -> Vec<&UnitTrend> {
    let mut with: Vec<&UnitTrend> =
        trends.iter().filter(|t| t.index_change().is_some_and(|c| if improved { c.0 > 0 } else { c.0 < 0 })).collect();
    with.sort_by_key(|t| {
        let c = t.index_change().unwrap_or_default().0;
        if improved { -c } else { c }
    });
    with.truncate(n);
    with
}
