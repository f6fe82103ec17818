//! Where points were lost: every applicable leaf below its max, per unit, with the
//! sheet's note or cause, rolled up by area.
//!
//! The leaves come from the long table (polars); the max is the year's framework max
//! (as scoring uses), and all arithmetic is in integer hundredths.

use super::{applicable_leaves, framework_frame, hundredths, integers, sort_by_unit_and_code, strings, unit_ids};
use crate::analysis::Analysis;
use crate::model::code::{Code, ancestor_at, cmp_codes};
use crate::model::points::{Percent, Points};
use crate::model::unit::UnitId;
use crate::score::YearResult;
use polars::prelude::*;

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

/// Every applicable leaf of a year with max (framework max, as scoring uses), score
/// and lost, in hundredths.
fn scored_against_max(long: &DataFrame, year: &YearResult) -> PolarsResult<LazyFrame> {
    Ok(applicable_leaves(long, year.year)
        .left_join(framework_frame(&year.framework)?.lazy(), col("code"), col("code"))
        .with_columns([
            col("fw_max_h").fill_null(hundredths(col("max"))).alias("max_h"),
            hundredths(col("appraised")).fill_null(lit(0i64)).alias("score_h"),
        ])
        .with_column((col("max_h") - col("score_h")).alias("lost_h")))
}

/// Every applicable leaf below max in a year, units in Vietnamese order, codes in
/// framework order. `long` is the normalised table.
pub fn losses(long: &DataFrame, a: &Analysis, year: &YearResult) -> PolarsResult<Vec<Loss>> {
    leaf_rows(scored_against_max(long, year)?.filter(col("lost_h").gt(lit(0i64))), a)
}

/// Every applicable leaf of a year, at max or below (`lost` 0 at max), in the order
/// of [`losses`]: what the follow-up across years compares.
pub fn applicable(long: &DataFrame, a: &Analysis, year: &YearResult) -> PolarsResult<Vec<Loss>> {
    leaf_rows(scored_against_max(long, year)?, a)
}

fn leaf_rows(leaves: LazyFrame, a: &Analysis) -> PolarsResult<Vec<Loss>> {
    let out = leaves.select([col("unit"), col("code"), col("name"), col("max_h"), col("score_h"), col("lost_h"), col("note")]).collect()?;
    let units = unit_ids(&out, a)?;
    let (mut codes, mut names, mut notes) = (strings(&out, "code")?, strings(&out, "name")?, strings(&out, "note")?);
    let (maxes, scores, lost) = (integers(&out, "max_h")?, integers(&out, "score_h")?, integers(&out, "lost_h")?);
    // Each string moves into its row: cloning them held every name and note twice.
    let mut rows: Vec<Loss> = (0..out.height())
        .filter_map(|i| Some((i, units[i]?)))
        .map(|(i, unit)| Loss {
            unit,
            code: Code::from_canonical(codes[i].take().unwrap_or_default()),
            name: names[i].take().unwrap_or_default(),
            max: Points(maxes[i]),
            score: Points(scores[i]),
            lost: Points(lost[i]),
            note: notes[i].take(),
        })
        .collect();
    sort_by_unit_and_code(&mut rows, a, |r| r.unit, |r| &r.code);
    Ok(rows)
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
pub fn pareto(long: &DataFrame, year: &YearResult) -> PolarsResult<Vec<DistrictLeaf>> {
    let losing = col("lost_h").gt(lit(0i64));
    let per_code = scored_against_max(long, year)?
        .group_by([col("code")])
        .agg([
            len().alias("applicable"),
            col("lost_h").filter(losing.clone()).sum().alias("lost_h"),
            losing.cast(DataType::UInt32).sum().alias("losing"),
        ])
        .collect()?;
    let codes = strings(&per_code, "code")?;
    let (applicable, lost, units_losing) =
        (integers(&per_code, "applicable")?, integers(&per_code, "lost_h")?, integers(&per_code, "losing")?);
    let total: i64 = lost.iter().sum();
    let mut rows: Vec<DistrictLeaf> = (0..per_code.height())
        .map(|i| {
            let code = Code::from_canonical(codes[i].clone().unwrap_or_default());
            DistrictLeaf {
                name: year.node(&code).map(|n| n.name.clone()).unwrap_or_default(),
                code,
                lost: Points(lost[i]),
                units_losing: units_losing[i] as usize,
                units_applicable: applicable[i] as usize,
                share: Percent::of(Points(lost[i]), Points(total.max(1))),
                cumulative: Percent::default(),
            }
        })
        .collect();
    rows.sort_by(|a, b| b.lost.cmp(&a.lost).then_with(|| cmp_codes(&a.code, &b.code)));
    let mut running = 0i64;
    for r in &mut rows {
        running += r.lost.0;
        r.cumulative = Percent::of(Points(running), Points(total.max(1)));
    }
    Ok(rows)
}
