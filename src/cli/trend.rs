//! `cchc trend`: each unit across all years.

use super::{Format, FormatArg, InputArg, pad, pad_left};
use crate::analyse::trend::{self, UnitTrend};
use crate::error::Result;
use crate::findings::Findings;
use crate::report::ranking::rank_change_text;
use crate::write::tables;
use serde_json::{Map, Value, json};

/// Arguments of `cchc trend`.
#[derive(Debug, clap::Args)]
pub struct TrendArgs {
    #[command(flatten)]
    input: InputArg,
    /// Chỉ một đơn vị.
    #[arg(long)]
    unit: Option<String>,
    #[command(flatten)]
    format: FormatArg,
}

/// Each unit's rank per area and its change, by year and unit.
type AreaRanks = std::collections::HashMap<(i32, crate::model::unit::UnitId), Vec<crate::analyse::compare::AreaRank>>;

fn unit_json(a: &Findings, t: &UnitTrend, area_ranks: &AreaRanks) -> Value {
    let years: Vec<Value> = t
        .points
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let areas: Map<String, Value> = p.result.areas.iter().map(|ar| (ar.code.to_string(), json!(ar.points.as_f64()))).collect();
            // Area points against the year before, matched by area code.
            let before = i.checked_sub(1).map(|j| &t.points[j]).filter(|b| b.year == p.year - 1);
            let area_changes: Map<String, Value> = p
                .result
                .areas
                .iter()
                .filter_map(|ar| {
                    let prev = before?.result.areas.iter().find(|x| a.settings.code_in(p.year, &x.code) == ar.code)?;
                    Some((ar.code.to_string(), json!((ar.points - prev.points).as_f64())))
                })
                .collect();
            let ranks = area_ranks.get(&(p.year, t.unit));
            let area_ranks: Map<String, Value> = ranks.iter().flat_map(|v| v.iter()).map(|r| (r.code.to_string(), json!(r.rank))).collect();
            let area_rank_changes: Map<String, Value> =
                ranks.iter().flat_map(|v| v.iter()).filter_map(|r| Some((r.code.to_string(), json!(r.change?)))).collect();
            json!({
                "year": p.year,
                "index": p.result.index.as_f64(),
                "rank": p.result.rank,
                "band": p.result.band.label(),
                "rank_change": p.result.rank_change,
                "index_change": p.result.index_change.map(|d| d.as_f64()),
                "areas": areas,
                "area_changes": area_changes,
                "area_ranks": area_ranks,
                "area_rank_changes": area_rank_changes,
            })
        })
        .collect();
    let mut out = json!({
        "unit": a.units[t.unit].name,
        "kind": a.units[t.unit].kind,
        "years": years,
        "index_change": t.index_change().map(|d| d.as_f64()),
        "rank_change": t.rank_change(),
    });
    if let Some(m) = trend::merger(a, t.unit) {
        out["merger"] = trend::merger_json(&m);
    }
    out
}

/// JSON: `{"years": [...], "units": [{"unit", "kind", "years": [{"year", "index",
/// "rank", "band", "rank_change", "index_change", "areas", "area_changes", "area_ranks",
/// "area_rank_changes"}], "index_change",
/// "rank_change", "merger" (only for a unit formed from others: see
/// [`trend::merger_json`])}], "most_improved": [unit…], "most_declined": [unit…]}`.
pub fn to_json(a: &Findings, trends: &[UnitTrend]) -> Value {
    let area_ranks: AreaRanks =
        a.years.iter().flat_map(|y| crate::analyse::compare::area_ranks(a, y).into_iter().map(move |(u, r)| ((y.year, u), r))).collect();
    let names = |v: Vec<&UnitTrend>| v.into_iter().map(|t| a.units[t.unit].name.clone()).collect::<Vec<_>>();
    json!({
        "years": a.years.iter().map(|y| y.year).collect::<Vec<_>>(),
        "units": trends.iter().map(|t| unit_json(a, t, &area_ranks)).collect::<Vec<_>>(),
        "most_improved": names(trend::movers(trends, true, 5)),
        "most_declined": names(trend::movers(trends, false, 5)),
    })
}

/// Text: units × years, "index (rank)", and the change over the period.
pub fn to_text(a: &Findings, trends: &[UnitTrend]) -> String {
    let years: Vec<i32> = a.years.iter().map(|y| y.year).collect();
    let w = a.units.iter().map(|u| u.name.chars().count()).max().unwrap_or(6).max(6) + 2;
    let mut out = format!("XU HƯỚNG CHỈ SỐ CCHC {}–{}\n\n{}", years.first().unwrap_or(&0), years.last().unwrap_or(&0), pad("Đơn vị", w));
    for y in &years {
        out.push_str(&pad_left(&y.to_string(), 14));
    }
    out.push_str("   Cả giai đoạn\n");
    for t in trends {
        out.push_str(&pad(&a.units[t.unit].name, w));
        for y in &years {
            let cell =
                t.points.iter().find(|p| p.year == *y).map_or("—".to_string(), |p| format!("{} ({})", p.result.index, p.result.rank));
            out.push_str(&pad_left(&cell, 14));
        }
        match (t.index_change(), t.rank_change()) {
            (Some(d), c) => out.push_str(&format!("   {}{} điểm, {}\n", if d.0 >= 0 { "+" } else { "" }, d.to_vi(), rank_change_text(c))),
            _ => out.push_str("   chỉ có một năm\n"),
        }
        for line in trend::merger(a, t.unit).map(|m| m.lines()).unwrap_or_default() {
            out.push_str(&format!("{}↳ {line}\n", pad("", 2)));
        }
    }
    let list = |v: Vec<&UnitTrend>| v.iter().map(|t| a.units[t.unit].name.clone()).collect::<Vec<_>>().join(", ");
    out.push_str(&format!("\nTiến bộ nhất: {}\n", list(trend::movers(trends, true, 3))));
    out.push_str(&format!("Giảm nhiều nhất: {}\n", list(trend::movers(trends, false, 3))));
    out
}

/// Runs `cchc trend`.
pub fn run(args: &TrendArgs) -> Result<u8> {
    let a = args.input.analyse()?;
    let mut trends = trend::trends(&a);
    super::keep_unit(&a, args.unit.as_deref(), &mut trends, |t| t.unit)?;
    match args.format.format {
        Format::Text => print!("{}", to_text(&a, &trends)),
        Format::Json => println!("{}", serde_json::to_string_pretty(&to_json(&a, &trends)).unwrap_or_default()),
        Format::Csv => print!("{}", tables::trends(&a, &trends).csv().map_err(|e| super::analysis_error(&e))?),
    }
    Ok(0)
}
