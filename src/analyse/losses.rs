//! Where points were lost: every applicable leaf below its max, per unit, with the
//! sheet's note or cause, rolled up by area.
//!
//! The leaves come from the long table (polars); the max is the year's framework max
//! (as scoring uses), and all arithmetic is in integer hundredths.

use crate::collate::Collator;
use crate::framework::{area_of, cmp_codes};
use crate::score::YearResult;
use crate::text::Points;
use polars::prelude::*;

/// One leaf below its max.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loss {
    /// Unit name.
    pub unit: String,
    /// Dotted arabic code ("1.1.3").
    pub code: String,
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

/// Points as exact hundredths from a 2-decimal float column (half away from zero).
pub(crate) fn hundredths(e: Expr) -> Expr {
    let scaled = e * lit(100.0);
    when(scaled.clone().gt_eq(lit(0.0))).then(scaled.clone() + lit(0.5)).otherwise(scaled - lit(0.5)).cast(DataType::Int64)
}

/// Every applicable leaf below max in a year, units in Vietnamese order, codes in
/// framework order. `long` is the normalised table.
pub fn losses(long: &DataFrame, year: &YearResult) -> PolarsResult<Vec<Loss>> {
    let fw = &year.framework;
    let framework = df!(
        "code" => fw.nodes.iter().map(|n| n.code.clone()).collect::<Vec<_>>(),
        "fw_max_h" => fw.nodes.iter().map(|n| n.max.0).collect::<Vec<_>>(),
    )?;
    let out = long
        .clone()
        .lazy()
        .filter(col("year").eq(lit(year.year)).and(col("scored")).and(col("leaf")).and(col("not_applicable").not()))
        .left_join(framework.lazy(), col("code"), col("code"))
        .with_columns([
            col("fw_max_h").fill_null(hundredths(col("max"))).alias("max_h"),
            hundredths(col("appraised")).fill_null(lit(0i64)).alias("score_h"),
        ])
        .with_column((col("max_h") - col("score_h")).alias("lost_h"))
        .filter(col("lost_h").gt(lit(0i64)))
        .select([col("unit"), col("code"), col("name"), col("max_h"), col("score_h"), col("lost_h"), col("note")])
        .collect()?;
    let text =
        |name: &str| -> PolarsResult<Vec<Option<String>>> { Ok(out.column(name)?.str()?.iter().map(|v| v.map(str::to_string)).collect()) };
    let int = |name: &str| -> PolarsResult<Vec<i64>> { Ok(out.column(name)?.i64()?.iter().map(|v| v.unwrap_or(0)).collect()) };
    let (units, codes, names, notes) = (text("unit")?, text("code")?, text("name")?, text("note")?);
    let (maxes, scores, lost) = (int("max_h")?, int("score_h")?, int("lost_h")?);
    let mut rows: Vec<Loss> = (0..out.height())
        .map(|i| Loss {
            unit: units[i].clone().unwrap_or_default(),
            code: codes[i].clone().unwrap_or_default(),
            name: names[i].clone().unwrap_or_default(),
            max: Points(maxes[i]),
            score: Points(scores[i]),
            lost: Points(lost[i]),
            note: notes[i].clone(),
        })
        .collect();
    let collator = Collator::new();
    rows.sort_by(|a, b| collator.compare(&a.unit, &b.unit).then_with(|| cmp_codes(&a.code, &b.code)));
    Ok(rows)
}

/// A unit's loss per area: (area code, points lost), in area order.
pub fn by_area(losses: &[Loss]) -> Vec<(String, Points)> {
    let mut areas: Vec<(String, Points)> = Vec::new();
    for l in losses {
        let a = area_of(&l.code);
        match areas.iter_mut().find(|(c, _)| c == a) {
            Some((_, p)) => *p += l.lost,
            None => areas.push((a.to_string(), l.lost)),
        }
    }
    areas.sort_by(|a, b| cmp_codes(&a.0, &b.0));
    areas
}
