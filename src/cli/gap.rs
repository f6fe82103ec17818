//! `cchc gap`: self-assessed against appraised.

use super::{Format, FormatArg, InputArg, YearArg};
use crate::analyse::gap::{self, Gap};
use crate::error::Result;
use crate::findings::Findings;
use crate::write::tables;
use serde_json::json;

/// Arguments of `cchc gap`.
#[derive(Debug, clap::Args)]
pub struct GapArgs {
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

/// JSON: `{"year", "gaps": [the rows of gap.csv: {"year", "unit", "code", "name", "self", "appraised", "gap"}],
/// "units": [{"unit", "over_claimed", "leaves"}], "criteria": [{"code", "name",
/// "units", "over_claimed"}]}`.
pub fn to_json(a: &Findings, year: i32, rows: &[Gap]) -> serde_json::Value {
    json!({
        "year": year,
        "gaps": tables::gaps(a, &[(year, rows)]).records(),
        "units": gap::by_unit(rows).into_iter().map(|u| json!({"unit": a.units[u.unit].name, "over_claimed": u.over_claimed.as_f64(), "leaves": u.leaves})).collect::<Vec<_>>(),
        "criteria": gap::by_criterion(rows).into_iter().map(|c| json!({"code": c.code, "name": c.name, "units": c.units, "over_claimed": c.over_claimed.as_f64()})).collect::<Vec<_>>(),
    })
}

/// Runs `cchc gap`.
pub fn run(args: &GapArgs) -> Result<u8> {
    let a = args.input.analyse()?;
    let year = a.pick_year(args.year.year);
    let y = a.year_with_leaves(year)?;
    let mut rows = gap::gaps(&a, y);
    super::keep_unit(&a, args.unit.as_deref(), &mut rows, |g| g.unit)?;
    match args.format.format {
        Format::Json => println!("{}", serde_json::to_string_pretty(&to_json(&a, year, &rows)).unwrap_or_default()),
        Format::Csv => print!("{}", tables::gaps(&a, &[(year, &rows)]).csv().map_err(|e| super::analysis_error(&e))?),
        Format::Text => {
            println!("TỰ ĐÁNH GIÁ SO VỚI THẨM ĐỊNH NĂM {year}\n\nĐơn vị tự chấm cao hơn nhiều nhất:");
            for u in gap::by_unit(&rows).into_iter().take(10) {
                println!("  {}: cao hơn {} điểm ở {} tiêu chí", a.units[u.unit].name, u.over_claimed.to_vi(), u.leaves);
            }
            println!("\nTiêu chí hay bị tự chấm cao hơn:");
            for c in gap::by_criterion(&rows).into_iter().take(10) {
                println!("  {} {}: {} đơn vị, tổng {} điểm", c.code, c.name, c.units, c.over_claimed.to_vi());
            }
        }
    }
    Ok(0)
}
