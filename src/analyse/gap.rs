//! Self-assessment gap: self-assessed − appraised, per unit and leaf; the units that
//! over-claim most and the criteria most often over-claimed.

use super::{applicable_leaves, hundredths, integers, sort_by_unit_and_code, strings, unit_ids};
use crate::analysis::Analysis;
use crate::model::code::Code;
use crate::model::points::Points;
use crate::model::unit::UnitId;
use crate::score::YearResult;
use foldhash::{HashMap, HashMapExt};
use polars::prelude::*;

/// One leaf where the unit's own score differs from the appraised one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gap {
    /// The unit.
    pub unit: UnitId,
    /// Leaf code.
    pub code: Code,
    /// Leaf name.
    pub name: String,
    /// Self-assessed points.
    pub self_score: Points,
    /// Appraised points.
    pub appraised: Points,
    /// self − appraised (positive = over-claimed).
    pub gap: Points,
}

/// Every leaf of a year where self-assessed and appraised differ (both typed,
/// applicable), units in Vietnamese order, codes in framework order.
pub fn gaps(long: &DataFrame, a: &Analysis, year: &YearResult) -> PolarsResult<Vec<Gap>> {
    let out = applicable_leaves(long, year.year)
        .filter(col("self").is_not_null().and(col("appraised").is_not_null()))
        .with_columns([hundredths(col("self")).alias("self_h"), hundredths(col("appraised")).alias("appraised_h")])
        .with_column((col("self_h") - col("appraised_h")).alias("gap_h"))
        .filter(col("gap_h").neq(lit(0i64)))
        .select([col("unit"), col("code"), col("name"), col("self_h"), col("appraised_h"), col("gap_h")])
        .collect()?;
    let (units, codes, names) = (unit_ids(&out, a)?, strings(&out, "code")?, strings(&out, "name")?);
    let (selfs, apps, gaps) = (integers(&out, "self_h")?, integers(&out, "appraised_h")?, integers(&out, "gap_h")?);
    let mut rows: Vec<Gap> = (0..out.height())
        .filter_map(|i| Some((i, units[i]?)))
        .map(|(i, unit)| Gap {
            unit,
            code: Code::from_canonical(codes[i].clone().unwrap_or_default()),
            name: names[i].clone().unwrap_or_default(),
            self_score: Points(selfs[i]),
            appraised: Points(apps[i]),
            gap: Points(gaps[i]),
        })
        .collect();
    sort_by_unit_and_code(&mut rows, a, |r| r.unit, |r| &r.code);
    Ok(rows)
}

/// A unit's over-claims: the points it gave itself above the appraisal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitGap {
    /// The unit.
    pub unit: UnitId,
    /// Points over-claimed, summed over its leaves.
    pub over_claimed: Points,
    /// Leaves over-claimed.
    pub leaves: usize,
}

/// A criterion's over-claims across the units.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CriterionGap {
    /// Leaf code.
    pub code: Code,
    /// Leaf name.
    pub name: String,
    /// Units over-claiming it.
    pub units: usize,
    /// Points over-claimed, summed over the units.
    pub over_claimed: Points,
}

/// Units by points over-claimed, most first, then by leaves over, then in Vietnamese
/// order. `gaps` come in Vietnamese order of units ([`gaps`]), so a stable sort keeps
/// that order for ties; grouped in one pass (thousands of units).
pub fn by_unit(gaps: &[Gap]) -> Vec<UnitGap> {
    let mut at: HashMap<UnitId, usize> = HashMap::new();
    let mut out: Vec<UnitGap> = Vec::new();
    for g in gaps.iter().filter(|g| g.gap > Points::ZERO) {
        let i = *at.entry(g.unit).or_insert_with(|| {
            out.push(UnitGap { unit: g.unit, over_claimed: Points::ZERO, leaves: 0 });
            out.len() - 1
        });
        out[i].over_claimed += g.gap;
        out[i].leaves += 1;
    }
    out.sort_by(|a, b| b.over_claimed.cmp(&a.over_claimed).then(b.leaves.cmp(&a.leaves)));
    out
}

/// Criteria by how many units over-claim them, then by points over, then in code order.
pub fn by_criterion(gaps: &[Gap]) -> Vec<CriterionGap> {
    let mut at: HashMap<&str, usize> = HashMap::new();
    let mut out: Vec<CriterionGap> = Vec::new();
    for g in gaps.iter().filter(|g| g.gap > Points::ZERO) {
        let i = *at.entry(g.code.as_str()).or_insert_with(|| {
            out.push(CriterionGap { code: g.code.clone(), name: g.name.clone(), units: 0, over_claimed: Points::ZERO });
            out.len() - 1
        });
        out[i].units += 1;
        out[i].over_claimed += g.gap;
    }
    out.sort_by(|a, b| b.units.cmp(&a.units).then(b.over_claimed.cmp(&a.over_claimed)).then_with(|| a.code.cmp(&b.code)));
    out
}
