//! `cchc stability`: the ranking with each area left out, and who moves.

use super::{Format, FormatArg, InputArg, YearArg, pad, pad_left};
use crate::analyse::stability::{self, WithoutArea};
use crate::error::Result;
use crate::findings::Findings;
use crate::write::tables;
use serde_json::json;

/// Arguments of `cchc stability`.
#[derive(Debug, clap::Args)]
pub struct StabilityArgs {
    #[command(flatten)]
    input: InputArg,
    #[command(flatten)]
    year: YearArg,
    #[command(flatten)]
    format: FormatArg,
}

/// JSON: `{"year", "areas": [{"area", "max_shift", "moved", "units": [{"unit", "rank",
/// "index_without", "rank_without", "shift"}]}]}`.
pub fn to_json(a: &Findings, year: i32, rows: &[WithoutArea]) -> serde_json::Value {
    let areas: Vec<_> = rows
        .iter()
        .map(|w| {
            let units: Vec<_> = w
                .units
                .iter()
                .map(|m| json!({"unit": a.units[m.unit].name, "rank": m.rank, "index_without": m.index_without.as_f64(), "rank_without": m.rank_without, "shift": m.shift()}))
                .collect();
            json!({"area": w.area, "max_shift": w.max_shift(), "moved": w.moved(), "units": units})
        })
        .collect();
    json!({"year": year, "areas": areas})
}

/// Runs `cchc stability`.
pub fn run(args: &StabilityArgs) -> Result<u8> {
    let a = args.input.analyse()?;
    let year = a.pick_year(args.year.year);
    let y = a.year(year)?;
    let rows = if y.has_criteria() {
        stability::stability(&a, y)
    } else {
        // A year known from a results table with area columns is ranked again from them.
        let published = stability::from_published(y, a.settings.ranking.method);
        if published.is_empty() {
            return Err(crate::error::CchcError::NoLeaves(year));
        }
        published
    };
    match args.format.format {
        Format::Json => println!("{}", serde_json::to_string_pretty(&to_json(&a, year, &rows)).unwrap_or_default()),
        Format::Csv => print!("{}", tables::stability(&a, &[(year, &rows)]).csv().map_err(|e| super::analysis_error(&e))?),
        Format::Text => {
            println!("ĐỘ ỔN ĐỊNH XẾP HẠNG NĂM {year}: bỏ từng lĩnh vực, xếp hạng lại\n");
            for w in &rows {
                println!("Bỏ lĩnh vực {}: {} đơn vị đổi hạng, xa nhất {} bậc", w.area.display(), w.moved(), w.max_shift());
                for m in w.units.iter().filter(|m| m.shift() != 0) {
                    println!("    {} {} → {}", pad(&a.units[m.unit].name, 20), pad_left(&m.rank.to_string(), 3), m.rank_without);
                }
            }
        }
    }
    Ok(0)
}
