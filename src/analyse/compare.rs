//! Units compared criterion by criterion: points and % of max on each area or
//! criterion at a chosen depth, district statistics, each unit's rank on each
//! criterion, best and worst units.
//!
//! The scored leaves ([`leaves`]) are summed per criterion and unit; ranks (ties in
//! Vietnamese order) and statistics are taken from the sums.

use super::leaves::{self, Leaf};
use super::stats::Stats;
use crate::findings::Findings;
use crate::model::code::{Code, ancestor_at};
use crate::model::points::{Percent, Points};
use crate::model::ranking::RankMethod;
use crate::model::unit::UnitId;
use crate::resolve::framework::Node;
use crate::score::YearResult;

/// One unit on one criterion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitOnCriterion {
    /// Index into the run's units.
    pub unit: UnitId,
    /// Appraised points of the leaves under the criterion.
    pub points: Points,
    /// Max of its applicable leaves.
    pub max: Points,
    /// points ÷ max × 100, hundredths; `None` when nothing under it applies.
    pub percent: Option<Percent>,
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
    pub mean: Percent,
    /// Median percent.
    pub median: Percent,
    /// Lowest percent.
    pub min: Percent,
    /// Highest percent.
    pub max: Percent,
}

/// Per node and unit: appraised points of the applicable leaves under the node and
/// the max of its not-applicable leaves. A leaf shallower than `depth` stands for
/// itself. Each distinct code is cut to its node once; units are indices.
fn sums(leaves: &[Leaf], a: &Findings, nodes: &[&Node], depth: usize) -> Vec<Vec<(Points, Points)>> {
    let node_pos: foldhash::HashMap<&str, usize> = nodes.iter().enumerate().map(|(k, n)| (n.code.as_str(), k)).collect();
    let mut node_of: foldhash::HashMap<&str, Option<usize>> = foldhash::HashMap::default();
    let mut table = vec![vec![(Points::ZERO, Points::ZERO); a.units.len()]; nodes.len()];
    for l in leaves {
        let code = l.code.as_str();
        let node = *node_of.entry(code).or_insert_with(|| node_pos.get(ancestor_at(code, depth)).copied());
        let Some(k) = node else { continue };
        let cell = &mut table[k][l.unit.index()];
        if l.applies() {
            cell.0 += l.score();
        } else {
            cell.1 += l.max.unwrap_or_default();
        }
    }
    table
}

/// Compares the units of a year on the given nodes, all of depth ≤ `depth`; `leaves`
/// are the year's [`leaves::of_year`].
fn compare_nodes(leaves: &[Leaf], a: &Findings, year: &YearResult, nodes: &[&Node], depth: usize) -> Vec<CriterionComparison> {
    let table = sums(leaves, a, nodes, depth);
    nodes
        .iter()
        .zip(&table)
        .map(|(node, sums)| {
            let mut units: Vec<UnitOnCriterion> = year
                .units
                .iter()
                .map(|u| {
                    let (points, na) = sums[u.unit.index()];
                    let max = node.max - na;
                    let percent = Percent::of_applicable(points, max);
                    UnitOnCriterion { unit: u.unit, points, max, percent, rank: 0 }
                })
                .collect();
            units.sort_by(|x, y| {
                y.percent.cmp(&x.percent).then_with(|| a.alphabetical[x.unit.index()].cmp(&a.alphabetical[y.unit.index()]))
            });
            summarise((*node).clone(), units, a.settings.ranking.method)
        })
        .collect()
}

/// Ranks units already sorted best first, and takes the district statistics.
fn summarise(node: Node, mut units: Vec<UnitOnCriterion>, method: RankMethod) -> CriterionComparison {
    let percents: Vec<Option<Percent>> = units.iter().map(|u| u.percent).collect();
    for (u, rank) in units.iter_mut().zip(method.ranks(&percents)) {
        // A unit to which the criterion does not apply has no rank on it.
        u.rank = if u.percent.is_some() { rank } else { 0 };
    }
    let mut pcts: Vec<i64> = units.iter().filter_map(|u| u.percent.map(|p| p.0)).collect();
    let Stats { mean, median, min, max } = Stats::<Percent>::of(&mut pcts).unwrap_or_default();
    CriterionComparison { node, units, mean, median, min, max }
}

/// Compares the units of a year on every framework node of the given depth (1 =
/// areas); leaves shallower than `depth` are compared as they are.
pub fn compare(a: &Findings, year: &YearResult, depth: usize) -> Vec<CriterionComparison> {
    compare_depths(&leaves::of_year(a, year), a, year, [depth]).remove(0).criteria
}

/// [`compare`] at each of `depths`, from the year's leaves ([`leaves::of_year`]).
pub fn compare_depths(leaves: &[Leaf], a: &Findings, year: &YearResult, depths: impl IntoIterator<Item = usize>) -> Vec<Compared> {
    depths
        .into_iter()
        .map(|depth| {
            let depth = depth.max(1);
            let nodes: Vec<&Node> = year.framework.nodes.iter().filter(|n| n.depth() == depth || (n.leaf && n.depth() < depth)).collect();
            Compared { depth, criteria: compare_nodes(leaves, a, year, &nodes, depth) }
        })
        .collect()
}

/// The units compared at one depth of the framework.
#[derive(Debug, Clone)]
pub struct Compared {
    /// 1 = areas, 2 = criteria, …
    pub depth: usize,
    /// One comparison per node of that depth (and leaves above it), in framework order.
    pub criteria: Vec<CriterionComparison>,
}

/// Compares the units of a year on one node.
pub fn compare_one(a: &Findings, year: &YearResult, node: &Node) -> CriterionComparison {
    compare_nodes(&leaves::of_year(a, year), a, year, &[node], node.depth()).remove(0)
}

impl CriterionComparison {
    /// Units sharing the best rank.
    pub fn best(&self) -> Vec<UnitId> {
        self.units.iter().filter(|u| u.rank == 1).map(|u| u.unit).collect()
    }

    /// Units with the lowest percent.
    pub fn worst(&self) -> Vec<UnitId> {
        let low = self.units.iter().filter_map(|u| u.percent).min();
        self.units.iter().filter(|u| u.percent.is_some() && u.percent == low).map(|u| u.unit).collect()
    }
}

/// A unit's rank on one area and its move since the year before.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AreaRank {
    /// The area.
    pub code: Code,
    /// Its rank on the area; None where nothing of the area applies to it.
    pub rank: Option<u32>,
    /// Places moved since the year before (positive = up).
    pub change: Option<i64>,
}

/// Each unit's rank on each area of a year (by % of the area's applicable max, as
/// [`compare`] ranks at depth 1, from the units' area subtotals), and, where the unit
/// has one the year before, the places it moved (positive = up; codes matched through
/// `[crosswalk]`). Units in the year's rank order; areas in area order.
pub fn area_ranks(a: &Findings, y: &YearResult) -> Vec<(UnitId, Vec<AreaRank>)> {
    let now = area_rank_table(a, y);
    let before = a.years.iter().find(|p| p.year == y.year - 1).map(|p| area_rank_table(a, p)).unwrap_or_default();
    let before: foldhash::HashMap<(UnitId, Code), u32> =
        before.into_iter().filter_map(|(u, code, r)| Some(((u, a.settings.code_in(y.year, &code)), r?))).collect();
    let mut out: Vec<(UnitId, Vec<AreaRank>)> = y.units.iter().map(|u| (u.unit, Vec::new())).collect();
    let pos: foldhash::HashMap<UnitId, usize> = out.iter().enumerate().map(|(i, (u, _))| (*u, i)).collect();
    for (u, code, rank) in now {
        let change = rank.and_then(|r| before.get(&(u, code.clone())).map(|b| *b as i64 - r as i64));
        out[pos[&u]].1.push(AreaRank { code, rank, change });
    }
    out
}

/// (unit, area, rank) of every unit and area of a year; no rank where nothing applies.
fn area_rank_table(a: &Findings, y: &YearResult) -> Vec<(UnitId, Code, Option<u32>)> {
    let mut out = Vec::new();
    for area in y.framework.areas() {
        let mut units: Vec<(UnitId, Option<Percent>)> = y
            .units
            .iter()
            .map(|u| (u.unit, u.areas.iter().find(|x| x.code == area.code).and_then(|x| Percent::of_applicable(x.points, x.max))))
            .collect();
        units.sort_by(|x, z| z.1.cmp(&x.1).then_with(|| a.alphabetical[x.0.index()].cmp(&a.alphabetical[z.0.index()])));
        let keys: Vec<Option<Percent>> = units.iter().map(|u| u.1).collect();
        for ((u, p), r) in units.into_iter().zip(a.settings.ranking.method.ranks(&keys)) {
            out.push((u, area.code.clone(), p.map(|_| r)));
        }
    }
    out
}
