//! `cchc compare`: units × areas (or criteria at a depth), points and % of max,
//! district statistics, ranks per criterion, best and worst.

use super::{Format, FormatArg, InputArg, YearArg, pad, pad_left};
use crate::analyse::compare::{self, CriterionComparison};
use crate::error::Result;
use crate::findings::Findings;
use crate::model::unit::UnitId;
use crate::write::tables;
use serde_json::{Value, json};

/// Arguments of `cchc compare`.
#[derive(Debug, clap::Args)]
pub struct CompareArgs {
    #[command(flatten)]
    input: InputArg,
    #[command(flatten)]
    year: YearArg,
    /// Cấp tiêu chí: 1 = lĩnh vực, 2 = tiêu chí, 3 = tiêu chí thành phần …
    #[arg(long, default_value_t = 1)]
    level: usize,
    #[command(flatten)]
    format: FormatArg,
}

fn pct(p: Option<crate::model::points::Percent>) -> Value {
    p.map_or(Value::Null, |p| json!(p.as_f64()))
}

/// JSON: `{"year", "level", "criteria": [{"code", "name", "max", "mean", "median",
/// "min", "max_percent", "best": [unit…], "worst": [unit…], "units": [{"unit",
/// "points", "max", "percent", "rank"}]}]}`; statistics are percents of max.
pub fn to_json(a: &Findings, year: i32, level: usize, rows: &[CriterionComparison]) -> Value {
    let name = |i: UnitId| a.units[i].name.clone();
    let criteria: Vec<Value> = rows
        .iter()
        .map(|c| {
            json!({
                "code": c.node.code, "name": c.node.name, "max": c.node.max.as_f64(),
                "mean": c.mean.as_f64(), "median": c.median.as_f64(), "min": c.min.as_f64(), "max_percent": c.max.as_f64(),
                "best": c.best().into_iter().map(name).collect::<Vec<_>>(),
                "worst": c.worst().into_iter().map(name).collect::<Vec<_>>(),
                "units": c.units.iter().map(|u| json!({
                    "unit": name(u.unit), "points": u.points.as_f64(), "max": u.max.as_f64(), "percent": pct(u.percent), "rank": u.rank,
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({ "year": year, "level": level, "criteria": criteria })
}

/// Text: per criterion, the statistics and best and worst units.
pub fn to_text(a: &Findings, year: i32, rows: &[CriterionComparison]) -> String {
    let names = |v: Vec<UnitId>| v.into_iter().map(|i| a.units[i].name.clone()).collect::<Vec<_>>().join(", ");
    let mut out = format!("SO SÁNH THEO TIÊU CHÍ NĂM {year} (% điểm tối đa)\n\n");
    out.push_str(&format!(
        "{} {} {} {} {} {}  {}\n",
        pad("Mã", 8),
        pad("Tiêu chí", 40),
        pad_left("TB", 7),
        pad_left("Trung vị", 8),
        pad_left("Thấp", 7),
        pad_left("Cao", 7),
        "Tốt nhất / Thấp nhất"
    ));
    for c in rows {
        let name: String = c.node.name.chars().take(40).collect();
        out.push_str(&format!(
            "{} {} {} {} {} {}  {} / {}\n",
            pad(&c.node.code, 8),
            pad(&name, 40),
            pad_left(&c.mean.to_string(), 7),
            pad_left(&c.median.to_string(), 8),
            pad_left(&c.min.to_string(), 7),
            pad_left(&c.max.to_string(), 7),
            names(c.best()),
            names(c.worst())
        ));
    }
    out
}

/// Runs `cchc compare`.
pub fn run(args: &CompareArgs) -> Result<u8> {
    let a = args.input.analyse()?;
    let year = a.pick_year(args.year.year);
    let y = a.year_with_leaves(year)?;
    let rows = compare::compare(&a, y, args.level.max(1));
    match args.format.format {
        Format::Text => print!("{}", to_text(&a, year, &rows)),
        Format::Json => println!("{}", serde_json::to_string_pretty(&to_json(&a, year, args.level, &rows)).unwrap_or_default()),
        Format::Csv => print!("{}", tables::compare(&a, &[(year, args.level, &rows)]).csv().map_err(|e| super::analysis_error(&e))?),
    }
    Ok(0)
}
