//! `cchc rank`: one year's ranking as text, JSON or CSV.

use super::{Format, FormatArg, InputArg, YearArg, pad, pad_left};
use crate::analyse::distance;
use crate::analyse::losses::{self, Loss};
use crate::error::Result;
use crate::findings::Findings;
use crate::model::unit::UnitId;
use crate::score::YearResult;
use crate::write::tables;
use serde_json::{Map, Value, json};
use std::collections::HashMap;

/// Arguments of `cchc rank`.
#[derive(Debug, clap::Args)]
pub struct RankArgs {
    #[command(flatten)]
    input: InputArg,
    #[command(flatten)]
    year: YearArg,
    #[command(flatten)]
    format: FormatArg,
    /// Xếp hạng theo một lĩnh vực hoặc tiêu chí (mã, ví dụ III hoặc 3.13), theo % điểm tối đa.
    #[arg(long)]
    by: Option<String>,
}

/// The JSON contract: `{"year", "units": [{"unit", "kind", "index", "points",
/// "self_index", "rank", "band", "rank_change", "index_change", "areas": {"1": …},
/// "self_rank", "to_next_band": {"band", "points", "leaves", "enough"} | null,
/// "to_next_rank": {"rank", "unit", "to_tie", "to_pass", "leaves", "enough"} | null}]}`;
/// with `[ranking] groups`, or where the year's sheets carry several frameworks (one group
/// per framework), each unit also has `"group"` and `"group_rank"`; with a unit
/// list, `"not_submitted"` lists the listed units that sent no sheet.
pub fn to_json(a: &Findings, y: &YearResult, losses: &[Loss]) -> Value {
    let mut by_unit: HashMap<UnitId, Vec<&Loss>> = HashMap::new();
    for l in losses {
        by_unit.entry(l.unit).or_default().push(l);
    }
    let units: Vec<Value> = y
        .units
        .iter()
        .map(|u| {
            let areas: Map<String, Value> = u.areas.iter().map(|ar| (ar.code.to_string(), json!(ar.points.as_f64()))).collect();
            let mut entry = json!({
                "unit": a.units[u.unit].name,
                "kind": a.units[u.unit].kind,
                "index": u.index.as_f64(),
                "points": u.points.as_f64(),
                "self_index": u.self_index.map(|p| p.as_f64()),
                "rank": u.rank,
                "band": u.band.label(),
                "rank_change": u.rank_change,
                "index_change": u.index_change.map(|d| d.as_f64()),
                "areas": areas,
                "self_rank": u.self_rank,
            });
            let mine = by_unit.get(&u.unit).map_or(&[][..], Vec::as_slice);
            let (band, rank) = distance::to_json(
                distance::to_next_band(&a.settings.bands, u, mine).as_ref(),
                distance::to_next_rank(y, u, mine).as_ref(),
                |id| a.units[id].name.clone(),
            );
            entry["to_next_band"] = band;
            entry["to_next_rank"] = rank;
            if let Some(label) = y.group_of(u).filter(|_| u.group_rank.is_some()) {
                entry["group"] = json!(label);
                entry["group_rank"] = json!(u.group_rank);
            }
            entry
        })
        .collect();
    let mut out = json!({ "year": y.year, "units": units });
    if !a.registry.is_empty() {
        out["not_submitted"] = json!(a.missing_in(y.year));
    }
    out
}

/// A readable table with Vietnamese headings.
pub fn to_text(a: &Findings, y: &YearResult) -> String {
    let mut out = format!("XẾP HẠNG CHỈ SỐ CCHC NĂM {} ({} đơn vị)\n\n", y.year, y.units.len());
    let w = a.units.iter().map(|u| u.name.chars().count()).max().unwrap_or(6).max(6) + 2;
    out.push_str(&format!(
        "{} {} {} {} {} {} {}\n",
        pad_left("Hạng", 4),
        pad("Đơn vị", w),
        pad("Loại", 9),
        pad_left("Chỉ số", 7),
        pad("Xếp loại", 11),
        pad_left("Tự ĐG", 7),
        "So với năm trước"
    ));
    for u in &y.units {
        let unit = &a.units[u.unit];
        let change = match (u.rank_change, u.index_change) {
            (Some(_), Some(d)) => {
                format!("{} ({}{})", crate::report::ranking::rank_change_text(u.rank_change), if d.0 >= 0 { "+" } else { "" }, d)
            }
            _ => "—".to_string(),
        };
        out.push_str(&format!(
            "{} {} {} {} {} {} {}{}\n",
            pad_left(&u.rank.to_string(), 4),
            pad(&unit.name, w),
            pad(unit.kind.label(), 9),
            pad_left(&u.index.to_string(), 7),
            pad(u.band.label(), 11),
            pad_left(&u.self_index.map_or("—".to_string(), |p| p.to_string()), 7),
            change,
            if u.flagged { "  (!) có lỗi dữ liệu" } else { "" }
        ));
        if let Some(g) = a.group_standing(y, u) {
            out.push_str(&format!("{}   {g}\n", pad_left("", 4)));
        }
    }
    let missing = a.missing_in(y.year);
    if !missing.is_empty() {
        out.push_str(&format!("\nChưa nộp biểu ({}): {}\n", missing.len(), missing.join(", ")));
    }
    out
}

/// Runs `cchc rank`.
pub fn rank(args: &RankArgs) -> Result<u8> {
    let a = args.input.analyse()?;
    let year = a.pick_year(args.year.year);
    let y = a.year(year)?;
    if let Some(by) = &args.by {
        return rank_by(&a, a.year_with_leaves(year)?, by, args.format.format);
    }
    match args.format.format {
        Format::Text => print!("{}", to_text(&a, y)),
        Format::Json => {
            let losses = if y.has_criteria() { losses::losses(&a, y) } else { Vec::new() };
            println!("{}", serde_json::to_string_pretty(&to_json(&a, y, &losses)).unwrap_or_default())
        }
        Format::Csv => print!("{}", tables::rankings(&a, std::slice::from_ref(y)).csv().map_err(|e| super::analysis_error(&e))?),
    }
    Ok(0)
}

/// `rank --by CODE`: units ranked on one area or criterion by % of its applicable max.
fn rank_by(a: &Findings, y: &YearResult, by: &str, format: Format) -> Result<u8> {
    let code = crate::model::code::Code::parse(by).map_or_else(|| by.to_string(), |c| c.as_str().to_string());
    let node = y.node(&code).ok_or_else(|| crate::error::CchcError::CodeMissing { code: by.to_string(), year: y.year })?;
    let c = crate::analyse::compare::compare_one(a, y, node);
    let pct = |p: Option<crate::model::points::Percent>| p.map_or(Value::Null, |p| json!(p.as_f64()));
    match format {
        Format::Json => {
            let units: Vec<Value> = c
                .units
                .iter()
                .map(|u| json!({"unit": a.units[u.unit].name, "kind": a.units[u.unit].kind, "points": u.points.as_f64(), "max": u.max.as_f64(), "percent": pct(u.percent), "rank": u.rank}))
                .collect();
            println!(
                "{}",
                serde_json::to_string_pretty(&json!({"year": y.year, "by": code, "name": node.name, "units": units})).unwrap_or_default()
            );
        }
        // The comparison table, on this one criterion.
        Format::Csv => {
            let table = tables::compare(a, &[(y.year, node.depth(), std::slice::from_ref(&c))]);
            print!("{}", table.csv().map_err(|e| super::analysis_error(&e))?);
        }
        Format::Text => {
            println!("XẾP HẠNG THEO {} {} NĂM {}\n", code, node.name, y.year);
            for u in &c.units {
                let p = u.percent.map_or("không áp dụng".to_string(), |p| format!("{p}%"));
                println!(
                    "{} {} {}/{}  {}",
                    pad_left(&u.rank.to_string(), 4),
                    pad(&a.units[u.unit].name, 20),
                    u.points.to_vi(),
                    u.max.to_vi(),
                    p
                );
            }
        }
    }
    Ok(0)
}
