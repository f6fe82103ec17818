//! Units compared criterion by criterion: points and % of max on each area or
//! criterion at a chosen depth, district statistics, each unit's rank on each
//! criterion, best and worst units.

use crate::extract::{RowKind, ScoreSheet};
use crate::framework::Node;
use crate::pipeline::Analysis;
use crate::score::{YearResult, sheet_leaves};
use crate::text::Points;

/// One unit on one criterion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitOnCriterion {
    /// Index into the run's units.
    pub unit: usize,
    /// Appraised points of the leaves under the criterion.
    pub points: Points,
    /// Max of its applicable leaves.
    pub max: Points,
    /// points ÷ max × 100, hundredths; `None` when nothing under it applies.
    pub percent: Option<Points>,
    /// Rank on this criterion by percent (1, 1, 3); 0 when not applicable.
    pub rank: u32,
}

/// One criterion across the district.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CriterionComparison {
    /// The framework node.
    pub node: Node,
    /// Units, best first.
    pub units: Vec<UnitOnCriterion>,
    /// District mean, median, min and max of the percent.
    pub mean: Points,
    /// Median percent.
    pub median: Points,
    /// Lowest percent.
    pub min: Points,
    /// Highest percent.
    pub max: Points,
}

/// Points and applicable max of one sheet under a code (the code itself if a leaf).
pub fn points_under(sheet: &ScoreSheet, code: &str, year: &YearResult) -> (Points, Points) {
    let leaves = sheet_leaves(sheet);
    let prefix = format!("{code}.");
    let mut seen = std::collections::HashSet::new();
    let (mut points, mut na) = (Points::ZERO, Points::ZERO);
    for r in sheet.rows.iter().filter(|r| r.kind == RowKind::Criterion) {
        let Some(c) = r.code.as_deref() else { continue };
        if !(c == code || c.starts_with(&prefix)) || !leaves.contains(c) || !seen.insert(c) {
            continue;
        }
        match r.appraised.counted() {
            Some(p) => points += p,
            None => na += year.framework.get(c).map(|n| n.max).or(r.max.value()).unwrap_or_default(),
        }
    }
    let max = year.framework.get(code).map(|n| n.max).unwrap_or_default() - na;
    (points, max)
}

/// Compares the units of a year on every framework node of the given depth (1 = areas).
pub fn compare(a: &Analysis, year: &YearResult, depth: usize) -> Vec<CriterionComparison> {
    year.framework
        .nodes
        .iter()
        .filter(|n| n.depth() == depth || (n.leaf && n.depth() < depth))
        .map(|node| compare_one(a, year, node))
        .collect()
}

/// Compares the units of a year on one node.
pub fn compare_one(a: &Analysis, year: &YearResult, node: &Node) -> CriterionComparison {
    let mut units: Vec<UnitOnCriterion> = year
        .units
        .iter()
        .map(|u| {
            let (points, max) = points_under(&a.sheets[u.sheet], &node.code, year);
            let percent = (max.0 > 0).then(|| Points::ratio(points.0 as i128 * 10_000, max.0 as i128));
            UnitOnCriterion { unit: u.unit, points, max, percent, rank: 0 }
        })
        .collect();
    let collator = crate::collate::Collator::new();
    units.sort_by(|x, y| y.percent.cmp(&x.percent).then_with(|| collator.compare(&a.units[x.unit].name, &a.units[y.unit].name)));
    for i in 0..units.len() {
        if units[i].percent.is_none() {
            continue;
        }
        units[i].rank = if i > 0 && units[i].percent == units[i - 1].percent { units[i - 1].rank } else { i as u32 + 1 };
    }
    let mut pcts: Vec<i64> = units.iter().filter_map(|u| u.percent.map(|p| p.0)).collect();
    pcts.sort_unstable();
    let n = pcts.len() as i128;
    let mean = if n > 0 { Points::ratio(pcts.iter().map(|&p| p as i128).sum(), n) } else { Points::ZERO };
    let median = match pcts.len() {
        0 => Points::ZERO,
        l if l % 2 == 1 => Points(pcts[l / 2]),
        l => Points::ratio((pcts[l / 2 - 1] + pcts[l / 2]) as i128, 2),
    };
    CriterionComparison {
        node: node.clone(),
        units,
        mean,
        median,
        min: Points(pcts.first().copied().unwrap_or(0)),
        max: Points(pcts.last().copied().unwrap_or(0)),
    }
}

impl CriterionComparison {
    /// Units sharing the best rank.
    pub fn best(&self) -> Vec<usize> {
        self.units.iter().filter(|u| u.rank == 1).map(|u| u.unit).collect()
    }

    /// Units with the lowest percent.
    pub fn worst(&self) -> Vec<usize> {
        let low = self.units.iter().filter_map(|u| u.percent).min();
        self.units.iter().filter(|u| u.percent.is_some() && u.percent == low).map(|u| u.unit).collect()
    }
}
