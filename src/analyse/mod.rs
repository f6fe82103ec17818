//! Stage: analyses of the normalised table, as polars queries, for the office's
//! study and the communes' remediation letters.
//!
//! Sums over leaves are polars queries on the long table ([`normalise`]: every sheet
//! row of every year, the table the exports also write);
//! what polars cannot do for us stays in Rust on the collected rows: Vietnamese
//! collation for ties and exact ratios of integer hundredths.

pub mod compare;
pub mod distance;
pub mod followup;
pub mod gap;
pub mod losses;
pub mod normalise;
pub mod rounds;
pub mod stability;
pub mod stats;
pub mod trend;

use crate::analysis::Analysis;
use crate::model::code::cmp_codes;
use crate::model::unit::UnitId;
use crate::resolve::framework::Framework;
use crate::score::YearResult;
use polars::prelude::*;

/// Every analysis table of one year with criteria, computed once for the run and
/// shared by the ranking workbook, the exports and the appendices (each query is a
/// full pass over the long table; at 10,000 units they were the write stage's
/// largest repeated cost).
#[derive(Debug)]
pub struct YearAnalyses {
    /// Every leaf below max, by unit then code ([`losses::losses`]).
    pub losses: Vec<losses::Loss>,
    /// The district Pareto of lost points ([`losses::pareto`]).
    pub pareto: Vec<losses::DistrictLeaf>,
    /// Units compared on the areas (depth 1) and, where the framework has them, the
    /// criteria under them (depth 2).
    pub compare: Vec<compare::Compared>,
    /// Self-assessment against appraisal ([`gap::gaps`]).
    pub gaps: Vec<gap::Gap>,
    /// The ranking with each area left out ([`stability::stability`]).
    pub stability: Vec<stability::WithoutArea>,
    /// Each unit's leaves against the year before ([`followup::followup`]).
    pub followup: Vec<followup::UnitFollowup>,
    /// The district's chronic weak criteria ([`followup::chronic_from`]), filled by
    /// [`YearAnalyses::compute_all`] from the years' Pareto tables.
    pub chronic: Vec<followup::Chronic>,
}

/// Comparison depths the workbook and the exports show: areas and the level below.
pub const COMPARE_DEPTHS: usize = 2;

impl YearAnalyses {
    /// Every year's tables, in year order; `None` for a year known only from a published
    /// results table (no leaves to analyse). Each year's applicable leaves are read
    /// once and serve its losses and, the year after, the follow-up; the chronic
    /// criteria come from the Pareto tables of the years before.
    pub fn compute_all(long: &DataFrame, a: &Analysis) -> PolarsResult<Vec<Option<YearAnalyses>>> {
        let mut all = Vec::with_capacity(a.years.len());
        let mut before: Option<(i32, Vec<losses::Loss>)> = None;
        for y in &a.years {
            if !y.has_criteria() {
                all.push(None);
                before = None;
                continue;
            }
            let applicable = losses::applicable(long, a, y)?;
            let prev = followup::previous_year(a, y);
            let last = before.as_ref().filter(|(year, _)| Some(*year) == prev.map(|p| p.year)).map_or(&[][..], |(_, l)| l.as_slice());
            let followup = followup::compare_years(a, y, prev, &applicable, last);
            let max_depth = y.framework.nodes.iter().map(|n| n.depth()).max().unwrap_or(1).min(COMPARE_DEPTHS);
            let compare = compare::compare_depths(long, a, y, 1..=max_depth)?;
            all.push(Some(YearAnalyses {
                followup,
                chronic: Vec::new(),
                losses: applicable.iter().filter(|l| l.lost > crate::model::points::Points::ZERO).cloned().collect(),
                pareto: losses::pareto(long, y)?,
                gaps: gap::gaps(long, a, y)?,
                stability: stability::from_areas(&compare[0].criteria, y, a.settings.ranking.method),
                compare,
            }));
            before = Some((y.year, applicable));
        }
        let chronic: Vec<Vec<followup::Chronic>> = (0..all.len())
            .map(|i| {
                let Some(t) = &all[i] else { return Vec::new() };
                // This year, then each year before it with criteria, newest first.
                let chain: Vec<(&YearResult, &[losses::DistrictLeaf])> =
                    (0..=i).rev().map_while(|k| all[k].as_ref().map(|tk| (&a.years[k], tk.pareto.as_slice()))).collect();
                followup::chronic_from(a, &chain, &t.followup)
            })
            .collect();
        for (t, c) in all.iter_mut().zip(chronic) {
            if let Some(t) = t {
                t.chronic = c;
            }
        }
        Ok(all)
    }
}

/// Points as exact hundredths from a 2-decimal float column (half away from zero).
pub(crate) fn hundredths(e: Expr) -> Expr {
    let scaled = e * lit(100.0);
    when(scaled.clone().gt_eq(lit(0.0))).then(scaled.clone() + lit(0.5)).otherwise(scaled - lit(0.5)).cast(DataType::Int64)
}

/// The leaf rows a year's ranking counted (scored sheets only), "không áp dụng" included.
pub(crate) fn scored_leaves(long: &DataFrame, year: i32) -> LazyFrame {
    long.clone().lazy().filter(col("year").eq(lit(year)).and(col("scored")).and(col("leaf")))
}

/// The leaves a year's ranking counted that apply to their unit.
pub(crate) fn applicable_leaves(long: &DataFrame, year: i32) -> LazyFrame {
    scored_leaves(long, year).filter(col("not_applicable").not())
}

/// The framework as a table: code and max in hundredths (`fw_max_h`), for joins.
pub(crate) fn framework_frame(fw: &Framework) -> PolarsResult<DataFrame> {
    df!(
        "code" => fw.nodes.iter().map(|n| n.code.as_str()).collect::<Vec<_>>(),
        "fw_max_h" => fw.nodes.iter().map(|n| n.max.0).collect::<Vec<_>>(),
    )
}

/// The unit of each row of a collected frame's `unit` column (names as the long
/// table writes them; a row whose unit is not known is dropped by the caller).
pub(crate) fn unit_ids(df: &DataFrame, a: &Analysis) -> PolarsResult<Vec<Option<UnitId>>> {
    let ids: foldhash::HashMap<&str, UnitId> = a.units.iter().enumerate().map(|(i, u)| (u.name.as_str(), UnitId(i))).collect();
    Ok(df.column("unit")?.str()?.iter().map(|v| v.and_then(|name| ids.get(name).copied())).collect())
}

/// A string column of a collected frame.
pub(crate) fn strings(df: &DataFrame, name: &str) -> PolarsResult<Vec<Option<String>>> {
    Ok(df.column(name)?.str()?.iter().map(|v| v.map(str::to_string)).collect())
}

/// An integer column of a collected frame (hundredths or counts), nulls as 0.
pub(crate) fn integers(df: &DataFrame, name: &str) -> PolarsResult<Vec<i64>> {
    Ok(df.column(name)?.cast(&DataType::Int64)?.i64()?.iter().map(|v| v.unwrap_or(0)).collect())
}

/// Sorts rows by unit in Vietnamese order, then by code in framework order. Each
/// distinct code is ordered once and rows sort by two integers: collating names and
/// splitting codes on every comparison of 300,000 loss rows was a visible share of a
/// 10,000-unit run.
pub(crate) fn sort_by_unit_and_code<T>(rows: &mut [T], a: &Analysis, unit: impl Fn(&T) -> UnitId, code: impl Fn(&T) -> &str) {
    let mut codes: Vec<&str> = rows.iter().map(&code).collect::<foldhash::HashSet<_>>().into_iter().collect();
    codes.sort_by(|a, b| cmp_codes(a, b).then_with(|| a.cmp(b)));
    // Owned: a framework has a few hundred codes, and the rows are sorted in place below.
    let codes: foldhash::HashMap<String, usize> = codes.into_iter().enumerate().map(|(i, c)| (c.to_string(), i)).collect();
    // In place, with one (key, index) pair per row: moving the rows out beside their
    // keys held a second copy of a million loss rows at the peak (120 MB at 10,000 units).
    rows.sort_by_cached_key(|r| (a.alphabetical[unit(r).index()], codes[code(r)]));
}
