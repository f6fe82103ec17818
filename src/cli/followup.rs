//! `cchc followup`: each unit's leaves against the year before (new, repeated, fixed,
//! kept) and the district's chronic weak criteria.

use super::{Format, FormatArg, InputArg, YearArg};
use crate::analyse::followup::{self, Chronic, Status, UnitFollowup};
use crate::error::Result;
use crate::findings::Findings;
use crate::write::tables;
use serde_json::{Value, json};

/// Arguments of `cchc followup`.
#[derive(Debug, clap::Args)]
pub struct FollowupArgs {
    #[command(flatten)]
    input: InputArg,
    #[command(flatten)]
    year: YearArg,
    /// Chỉ một đơn vị.
    #[arg(long)]
    unit: Option<String>,
    #[command(flatten)]
    format: FormatArg,
}

/// The JSON contract: `{"year", "previous", "units": [{"unit", "previous", "counts":
/// {"new", "repeated", "fixed", "kept"}, "leaves": [{"code", "name", "status", "max",
/// "score", "score_before", "lost", "lost_before", "note", "note_before"}]}],
/// "chronic": [{"code", "name", "years", "units_losing", "units_applicable",
/// "units_repeating"}]}`; `leaves` lists every leaf whose status is not `kept`.
pub fn to_json(a: &Findings, year: i32, previous: Option<i32>, units: &[UnitFollowup], chronic: &[Chronic]) -> Value {
    let units: Vec<Value> = units
        .iter()
        .map(|u| {
            let leaves: Vec<Value> = u
                .leaves
                .iter()
                .filter(|l| l.status != Status::Kept)
                .map(|l| {
                    json!({
                        "code": l.code, "name": l.name, "status": l.status.name(), "max": l.max.as_f64(),
                        "score": l.score.as_f64(), "score_before": l.before.as_ref().map(|b| b.0.as_f64()),
                        "lost": l.lost.as_f64(), "lost_before": l.before.as_ref().map(|b| b.1.as_f64()),
                        "note": l.note, "note_before": l.before.as_ref().and_then(|b| b.2.clone()),
                    })
                })
                .collect();
            json!({"unit": a.units[u.unit].name, "previous": u.previous, "counts": u.counts, "leaves": leaves})
        })
        .collect();
    let chronic: Vec<Value> = chronic
        .iter()
        .map(|c| json!({"code": c.code, "name": c.name, "years": c.years, "units_losing": c.units_losing, "units_applicable": c.units_applicable, "units_repeating": c.units_repeating}))
        .collect();
    json!({"year": year, "previous": previous, "units": units, "chronic": chronic})
}

/// Readable text: per unit its counts and every leaf that is not kept, then the
/// chronic criteria.
pub fn to_text(a: &Findings, year: i32, previous: Option<i32>, units: &[UnitFollowup], chronic: &[Chronic]) -> String {
    let Some(prev) = previous else {
        return format!("KHẮC PHỤC SO VỚI NĂM TRƯỚC — NĂM {year}\n\nKhông có dữ liệu theo tiêu chí của năm {} để so sánh.\n", year - 1);
    };
    let mut out = format!("KHẮC PHỤC SO VỚI NĂM TRƯỚC — NĂM {year} so với {prev}\n");
    for u in units {
        let unit = &a.units[u.unit];
        out.push_str(&format!("\n{} {}", unit.kind.label(), unit.name));
        if u.previous.is_none() {
            out.push_str(&format!(": không có kết quả năm {prev}\n"));
            continue;
        }
        let c = u.counts;
        out.push_str(&format!(
            ": {} mới bị trừ, {} lặp lại, {} đã khắc phục, {} duy trì điểm tối đa\n",
            c.new, c.repeated, c.fixed, c.kept
        ));
        for l in u.leaves.iter().filter(|l| l.status != Status::Kept) {
            let before = l.before.as_ref().map(|b| format!(" (năm {prev}: {}/{})", b.0.to_vi(), l.max.to_vi())).unwrap_or_default();
            let note = l.note.as_deref().map(|n| format!(" — {n}")).unwrap_or_default();
            out.push_str(&format!("  [{}] {} {}: {}/{}{before}{note}\n", l.status.label(), l.code, l.name, l.score.to_vi(), l.max.to_vi()));
        }
    }
    out.push_str("\nTiêu chí yếu kéo dài (ít nhất 1/3 số đơn vị bị trừ điểm, từ 2 năm liên tiếp):\n");
    if chronic.is_empty() {
        out.push_str("  không có\n");
    }
    for c in chronic {
        out.push_str(&format!(
            "  {} {}: {} năm liên tiếp; năm nay {}/{} đơn vị bị trừ, {} đơn vị lặp lại\n",
            c.code, c.name, c.years, c.units_losing, c.units_applicable, c.units_repeating
        ));
    }
    out
}

/// Runs `cchc followup`.
pub fn run(args: &FollowupArgs) -> Result<u8> {
    let a = args.input.analyse()?;
    let y = a.year_with_leaves(a.pick_year(args.year.year))?;
    let fail = |e: polars::prelude::PolarsError| super::analysis_error(&e);
    let mut units = followup::followup(&a, y);
    let chronic = followup::chronic(&a, y, &units);
    super::keep_unit(&a, args.unit.as_deref(), &mut units, |u| u.unit)?;
    let previous = followup::previous_year(&a, y).map(|p| p.year);
    match args.format.format {
        Format::Text => print!("{}", to_text(&a, y.year, previous, &units, &chronic)),
        Format::Json => println!("{}", serde_json::to_string_pretty(&to_json(&a, y.year, previous, &units, &chronic)).unwrap_or_default()),
        Format::Csv => print!("{}", tables::followup(&a, &[(y.year, &units)]).csv().map_err(fail)?),
    }
    Ok(0)
}
