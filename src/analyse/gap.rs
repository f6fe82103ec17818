//! Self-assessment gap: self-assessed − appraised, per unit and leaf; the units that
//! over-claim most and the criteria most often over-claimed.

use super::{applicable_leaves, hundredths, integers, sort_by_unit_and_code, strings};
use crate::framework::cmp_codes;
use crate::score::YearResult;
use crate::text::Points;
use polars::prelude::*;

/// One leaf where the unit's own score differs from the appraised one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gap {
    /// Unit name.
    pub unit: String,
    /// Leaf code.
    pub code: String,
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
pub fn gaps(long: &DataFrame, year: &YearResult) -> PolarsResult<Vec<Gap>> {
    let out = applicable_leaves(long, year.year)
        .filter(col("self").is_not_null().and(col("appraised").is_not_null()))
        .with_columns([hundredths(col("self")).alias("self_h"), hundredths(col("appraised")).alias("appraised_h")])
        .with_column((col("self_h") - col("appraised_h")).alias("gap_h"))
        .filter(col("gap_h").neq(lit(0i64)))
        .select([col("unit"), col("code"), col("name"), col("self_h"), col("appraised_h"), col("gap_h")])
        .collect()?;
    let (units, codes, names) = (strings(&out, "unit")?, strings(&out, "code")?, strings(&out, "name")?);
    let (selfs, apps, gaps) = (integers(&out, "self_h")?, integers(&out, "appraised_h")?, integers(&out, "gap_h")?);
    let mut rows: Vec<Gap> = (0..out.height())
        .map(|i| Gap {
            unit: units[i].clone().unwrap_or_default(),
            code: codes[i].clone().unwrap_or_default(),
            name: names[i].clone().unwrap_or_default(),
            self_score: Points(selfs[i]),
            appraised: Points(apps[i]),
            gap: Points(gaps[i]),
        })
        .collect();
    sort_by_unit_and_code(&mut rows, |r| &r.unit, |r| &r.code);
    Ok(rows)
}

/// Units by points over-claimed, most first: (unit, over-claimed points, leaves over).
pub fn by_unit(gaps: &[Gap]) -> Vec<(String, Points, usize)> {
    let mut out: Vec<(String, Points, usize)> = Vec::new();
    for g in gaps.iter().filter(|g| g.gap > Points::ZERO) {
        match out.iter_mut().find(|(u, _, _)| *u == g.unit) {
            Some((_, p, n)) => {
                *p += g.gap;
                *n += 1;
            }
            None => out.push((g.unit.clone(), g.gap, 1)),
        }
    }
    out.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    out
}

/// Criteria by how many units over-claim them: (code, name, units over, points over).
pub fn by_criterion(gaps: &[Gap]) -> Vec<(String, String, usize, Points)> {
    let mut out: Vec<(String, String, usize, Points)> = Vec::new();
    for g in gaps.iter().filter(|g| g.gap > Points::ZERO) {
        match out.iter_mut().find(|(c, _, _, _)| *c == g.code) {
            Some((_, _, n, p)) => {
                *n += 1;
                *p += g.gap;
            }
            None => out.push((g.code.clone(), g.name.clone(), 1, g.gap)),
        }
    }
    out.sort_by(|a, b| b.2.cmp(&a.2).then(b.3.cmp(&a.3)).then_with(|| cmp_codes(&a.0, &b.0)));
    out
}
