//! Stage: compute each unit's points, index, bands and ranks, exactly.
//!
//! Points are the sum of the appraised leaves (leaves are the truth; parent cells
//! and stated totals are only checked). Not-applicable leaves leave the max. The
//! index is points ÷ applicable max × 100, rounded to hundredths, then bonus added
//! and penalty subtracted. Ranks compare those hundredths, so equal published
//! indexes share a rank (1, 1, 3, or 1, 1, 2 where the office ranks densely).

pub mod survey;

use crate::model::band::{Band, Bands};
use crate::model::code::Code;
use crate::model::code::area_of;
use crate::model::points::Points;
use crate::model::ranking::RankMethod;
use crate::model::sheet::{ResultsRow, ResultsTable, RowKind, Score, ScoreSheet, SheetRow, Source};
use crate::model::unit::UnitId;
use crate::resolve::framework::Framework;
use foldhash::{HashMap, HashSet, HashSetExt};

/// An area's subtotal for one unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AreaScore {
    /// Area code ("1" … "7").
    pub code: Code,
    /// Appraised points of its leaves.
    pub points: Points,
    /// Max of its applicable leaves.
    pub max: Points,
}

/// One unit's result for one year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitResult {
    /// Index into the run's units.
    pub unit: UnitId,
    /// What was scored: a scoring sheet or a results-table row.
    pub source: Source,
    /// Sum of appraised leaves.
    pub points: Points,
    /// Sum of self-assessed leaves.
    pub self_points: Points,
    /// Max of the applicable leaves.
    pub applicable_max: Points,
    /// Bonus points (appraised).
    pub bonus: Points,
    /// Penalty points (appraised), positive.
    pub penalty: Points,
    /// The index (percent, hundredths).
    pub index: Points,
    /// The self-assessed index; `None` when the sheet has no self-assessed column.
    pub self_index: Option<Points>,
    /// Area subtotals in area order.
    pub areas: Vec<AreaScore>,
    /// Rank in the year (1 = best; ties share).
    pub rank: u32,
    /// The unit's group ([`YearResult::groups`]), where the year has groups.
    pub group: Option<usize>,
    /// Rank within the unit's group, where the year has groups.
    pub group_rank: Option<u32>,
    /// Which of the year's frameworks its sheet carries: 0 the main one, k the
    /// k-th of [`YearResult::other_frameworks`].
    pub framework: usize,
    /// Rank by the self-assessed index, among the units that have one.
    pub self_rank: Option<u32>,
    /// Class band.
    pub band: Band,
    /// Places moved since last year (positive = up); `None` without a last year.
    pub rank_change: Option<i64>,
    /// Index change since last year.
    pub index_change: Option<Points>,
    /// Whether the unit's data carries errors (result shown, flagged).
    pub flagged: bool,
}

/// What a year's results rest on: the one place that decides what a year has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum YearKind {
    /// Scoring sheets with a framework: leaves, areas, self-assessment (a results
    /// table in the same year only adds its units' totals).
    Criteria,
    /// Totals only: published results tables (printed bands and ranks), or scoring
    /// sheets whose criteria no majority agrees on; no criteria to analyse.
    TotalsOnly,
}

/// One year's results, in rank order.
#[derive(Debug, Clone)]
pub struct YearResult {
    /// Year.
    pub year: i32,
    /// What the year's results rest on.
    pub kind: YearKind,
    /// The framework read from the year's sheets (the one most sheets carry, where
    /// they carry several).
    pub framework: Framework,
    /// The frameworks other groups of sheets carry (communes and wards with criteria
    /// sets of their own), with the label of the units that carry each; usually empty.
    pub other_frameworks: Vec<(String, Framework)>,
    /// The groups units are also ranked within: `[ranking] groups`, else one per
    /// framework where the year has several; empty otherwise.
    pub groups: Vec<String>,
    /// Units, best first.
    pub units: Vec<UnitResult>,
}

impl YearResult {
    /// Whether the year has criteria (scoring sheets), not only published totals.
    pub fn has_criteria(&self) -> bool {
        self.kind == YearKind::Criteria
    }

    /// The framework a unit's sheet was checked and scored against.
    pub fn framework_of(&self, u: &UnitResult) -> &Framework {
        match u.framework {
            0 => &self.framework,
            k => self.other_frameworks.get(k - 1).map_or(&self.framework, |(_, f)| f),
        }
    }

    /// A criterion of the year: the main framework's, else another group's.
    pub fn node(&self, code: &str) -> Option<&crate::resolve::framework::Node> {
        self.framework.get(code).or_else(|| self.other_frameworks.iter().find_map(|(_, f)| f.get(code)))
    }

    /// The label of a unit's group, where the year has groups.
    pub fn group_of(&self, u: &UnitResult) -> Option<&str> {
        u.group.and_then(|g| self.groups.get(g)).map(String::as_str)
    }
}

/// A results-table row's result: its total is the index; nothing else is known
/// (rank fields left empty).
pub fn score_published(table: &ResultsTable, row: &ResultsRow, source: Source, unit: UnitId, bands: &Bands) -> UnitResult {
    let index = row.total.value().unwrap_or_default();
    // Area columns, where the table has them: each area's points and its printed max.
    let areas = row
        .areas
        .iter()
        .map(|(code, s)| AreaScore {
            code: code.clone(),
            points: s.value().unwrap_or_default(),
            max: table.area_max.iter().find(|(c, _)| c == code).and_then(|(_, m)| *m).unwrap_or_default(),
        })
        .collect();
    UnitResult {
        unit,
        source,
        points: index,
        self_points: Points::ZERO,
        applicable_max: Points(10_000),
        bonus: Points::ZERO,
        penalty: Points::ZERO,
        index,
        self_index: None,
        areas,
        rank: 0,
        group: None,
        group_rank: None,
        framework: 0,
        self_rank: None,
        band: bands.of(index),
        rank_change: None,
        index_change: None,
        flagged: false,
    }
}

/// The index: points out of the applicable max on the 100-point scale, plus the bonus,
/// less the penalty. The one formula the ranking, the distances to the next band or rank
/// and every what-if use.
pub fn index(points: Points, applicable_max: Points, bonus: Points, penalty: Points) -> Points {
    points.per_hundred(applicable_max) + bonus - penalty
}

/// Scores one sheet against its year's framework (rank fields left empty).
pub fn score_sheet(sheet: &ScoreSheet, sheet_idx: usize, unit: UnitId, fw: &Framework, bands: &Bands) -> UnitResult {
    let sums = Sums::of(sheet, fw);
    let applicable_max = fw.total() - sums.na_max;
    let index = index(sums.points, applicable_max, sums.bonus, sums.penalty);
    let self_index = sheet.columns.self_score.map(|_| self::index(sums.self_points, applicable_max, sums.self_bonus, sums.self_penalty));
    let areas = fw
        .areas()
        .map(|a| AreaScore {
            code: a.code.clone(),
            points: sums.area_points.get(a.code.as_str()).copied().unwrap_or_default(),
            max: a.max - sums.area_na.get(a.code.as_str()).copied().unwrap_or_default(),
        })
        .collect();
    UnitResult {
        unit,
        source: Source::Sheet(sheet_idx),
        points: sums.points,
        self_points: sums.self_points,
        applicable_max,
        bonus: sums.bonus,
        penalty: sums.penalty,
        index,
        self_index,
        areas,
        rank: 0,
        group: None,
        group_rank: None,
        framework: 0,
        self_rank: None,
        band: bands.of(index),
        rank_change: None,
        index_change: None,
        flagged: false,
    }
}

/// A sheet's exact sums: appraised and self-assessed leaves, the max of the leaves
/// that do not apply, per area, and bonus and penalty (as positive points).
#[derive(Default)]
struct Sums<'a> {
    points: Points,
    self_points: Points,
    na_max: Points,
    area_points: HashMap<&'a str, Points>,
    area_na: HashMap<&'a str, Points>,
    bonus: Points,
    penalty: Points,
    self_bonus: Points,
    self_penalty: Points,
}

impl<'a> Sums<'a> {
    fn of(sheet: &'a ScoreSheet, fw: &Framework) -> Sums<'a> {
        let mut sums = Sums::default();
        let mut done = HashSet::new();
        let positive = |s: &Score| Points(s.value().unwrap_or_default().0.abs());
        for r in &sheet.rows {
            match r.kind {
                RowKind::Criterion => {
                    let Some(code) = r.code.as_deref() else { continue };
                    // A code twice in one sheet counts once (validation names it).
                    if !r.leaf || !done.insert(code) {
                        continue;
                    }
                    sums.add_leaf(r, code, fw);
                }
                RowKind::Bonus => {
                    sums.bonus += positive(&r.appraised);
                    sums.self_bonus += positive(&r.self_score);
                }
                RowKind::Penalty => {
                    sums.penalty += positive(&r.appraised);
                    sums.self_penalty += positive(&r.self_score);
                }
                RowKind::Total => {}
            }
        }
        sums
    }

    /// A leaf: its points, or (not applicable) its max out of the unit's max.
    fn add_leaf(&mut self, r: &SheetRow, code: &'a str, fw: &Framework) {
        let area = area_of(code);
        match r.appraised.counted() {
            Some(p) => {
                self.points += p;
                *self.area_points.entry(area).or_default() += p;
                self.self_points += r.self_score.counted().unwrap_or_default();
            }
            None => {
                let m = fw.get(code).map(|n| n.max).or(r.max.value()).unwrap_or_default();
                self.na_max += m;
                *self.area_na.entry(area).or_default() += m;
            }
        }
    }
}

/// Ranks by index, highest first, and within each unit's group where it has one
/// ([`UnitResult::group`]). `units` must be sorted by index descending.
pub fn assign_ranks(units: &mut [UnitResult], method: RankMethod) {
    let indexes: Vec<Points> = units.iter().map(|u| u.index).collect();
    for (u, rank) in units.iter_mut().zip(method.ranks(&indexes)) {
        u.rank = rank;
    }
    // The ranking the units would have by their own assessment.
    let mut by_self: Vec<usize> = (0..units.len()).filter(|&i| units[i].self_index.is_some()).collect();
    by_self.sort_by(|&i, &j| units[j].self_index.cmp(&units[i].self_index).then(i.cmp(&j)));
    let keys: Vec<Option<Points>> = by_self.iter().map(|&i| units[i].self_index).collect();
    for (&i, rank) in by_self.iter().zip(method.ranks(&keys)) {
        units[i].self_rank = Some(rank);
    }
    let groups: Vec<Option<usize>> = units.iter().map(|u| u.group).collect();
    let mut seen: Vec<usize> = groups.iter().flatten().copied().collect();
    seen.sort_unstable();
    seen.dedup();
    for g in seen {
        let members: Vec<usize> = (0..units.len()).filter(|&i| groups[i] == Some(g)).collect();
        let keys: Vec<Points> = members.iter().map(|&i| units[i].index).collect();
        for (&i, rank) in members.iter().zip(method.ranks(&keys)) {
            units[i].group_rank = Some(rank);
        }
    }
}

/// Fills rank and index changes against the year before, where the unit has one.
pub fn link_previous(current: &mut YearResult, previous: Option<&YearResult>) {
    let Some(prev) = previous.filter(|p| p.year == current.year - 1) else { return };
    let by_unit: HashMap<UnitId, &UnitResult> = prev.units.iter().map(|u| (u.unit, u)).collect();
    for u in &mut current.units {
        if let Some(p) = by_unit.get(&u.unit) {
            u.rank_change = Some(p.rank as i64 - u.rank as i64);
            u.index_change = Some(u.index - p.index);
        }
    }
}
