//! Units compared criterion by criterion: points and % of max on each area or
//! criterion at a chosen depth, district statistics, each unit's rank on each
//! criterion, best and worst units.
//!
//! The leaf → criterion sums are one polars query over the long table; ranks (ties
//! in Vietnamese order) and statistics are taken from the collected sums.

use super::{framework_frame, hundredths, integers, scored_leaves};
use crate::framework::Node;
use crate::pipeline::Analysis;
use crate::score::YearResult;
use crate::text::Points;
use polars::prelude::*;
use std::collections::HashMap;

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

/// Per unit and node at `depth`: appraised points of the applicable leaves under it
/// (`points_h`) and the max of its not-applicable leaves (`na_h`), hundredths. A leaf
/// shallower than `depth` stands for itself; a code twice in one sheet counts once.
fn sums_at(long: &DataFrame, year: &YearResult, depth: usize) -> PolarsResult<DataFrame> {
    let ancestor = format!(r"^\d+(?:\.\d+){{0,{}}}", depth.saturating_sub(1));
    scored_leaves(long, year.year)
        .unique_stable_generic(Some(vec![col("unit"), col("code")]), UniqueKeepStrategy::First)
        .left_join(framework_frame(&year.framework)?.lazy(), col("code"), col("code"))
        .with_columns([
            col("code").str().extract(lit(ancestor), 0).alias("node"),
            hundredths(col("appraised")).fill_null(lit(0i64)).alias("score_h"),
            col("fw_max_h").fill_null(hundredths(col("max"))).fill_null(lit(0i64)).alias("leaf_max_h"),
        ])
        .group_by([col("node"), col("unit")])
        .agg([
            col("score_h").filter(col("not_applicable").not()).sum().alias("points_h"),
            col("leaf_max_h").filter(col("not_applicable")).sum().alias("na_h"),
        ])
        .collect()
}

/// Compares the units of a year on the given nodes, all of depth ≤ `depth`.
fn compare_nodes(
    long: &DataFrame,
    a: &Analysis,
    year: &YearResult,
    nodes: &[&Node],
    depth: usize,
) -> PolarsResult<Vec<CriterionComparison>> {
    let sums = sums_at(long, year, depth)?;
    // Sums by node position and unit index: no string hashing per cell.
    let node_pos: HashMap<&str, usize> = nodes.iter().enumerate().map(|(k, n)| (n.code.as_str(), k)).collect();
    let unit_idx: HashMap<&str, usize> = year.units.iter().map(|u| (a.units[u.unit].name.as_str(), u.unit)).collect();
    let mut table: Vec<Vec<(Points, Points)>> = vec![vec![(Points::ZERO, Points::ZERO); a.units.len()]; nodes.len()];
    let (points, na) = (integers(&sums, "points_h")?, integers(&sums, "na_h")?);
    let pairs = sums.column("node")?.str()?.iter().zip(sums.column("unit")?.str()?.iter());
    for (i, (n, u)) in pairs.enumerate() {
        if let (Some(&k), Some(&u)) = (n.and_then(|n| node_pos.get(n)), u.and_then(|u| unit_idx.get(u))) {
            table[k][u] = (Points(points[i]), Points(na[i]));
        }
    }
    Ok(nodes
        .iter()
        .zip(&table)
        .map(|(node, sums)| {
            let mut units: Vec<UnitOnCriterion> = year
                .units
                .iter()
                .map(|u| {
                    let (points, na) = sums[u.unit];
                    let max = node.max - na;
                    let percent = (max.0 > 0).then(|| Points::ratio(points.0 as i128 * 10_000, max.0 as i128));
                    UnitOnCriterion { unit: u.unit, points, max, percent, rank: 0 }
                })
                .collect();
            units.sort_by(|x, y| y.percent.cmp(&x.percent).then_with(|| a.alphabetical[x.unit].cmp(&a.alphabetical[y.unit])));
            summarise((*node).clone(), units)
        })
        .collect())
}

/// Ranks units already sorted best first, and takes the district statistics.
fn summarise(node: Node, mut units: Vec<UnitOnCriterion>) -> CriterionComparison {
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
        node,
        units,
        mean,
        median,
        min: Points(pcts.first().copied().unwrap_or(0)),
        max: Points(pcts.last().copied().unwrap_or(0)),
    }
}

/// Compares the units of a year on every framework node of the given depth (1 =
/// areas); leaves shallower than `depth` are compared as they are. `long` is the
/// normalised table.
pub fn compare(long: &DataFrame, a: &Analysis, year: &YearResult, depth: usize) -> PolarsResult<Vec<CriterionComparison>> {
    let depth = depth.max(1);
    let nodes: Vec<&Node> = year.framework.nodes.iter().filter(|n| n.depth() == depth || (n.leaf && n.depth() < depth)).collect();
    compare_nodes(long, a, year, &nodes, depth)
}

/// Compares the units of a year on one node.
pub fn compare_one(long: &DataFrame, a: &Analysis, year: &YearResult, node: &Node) -> PolarsResult<CriterionComparison> {
    let mut all = compare_nodes(long, a, year, &[node], node.depth())?;
    Ok(all.remove(0))
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
