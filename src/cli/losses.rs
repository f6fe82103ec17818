//! `cchc losses`: every leaf below max, per unit, with its cause.

use super::{Format, FormatArg, InputArg, YearArg};
use crate::analyse::losses::{self, Loss};
use crate::error::Result;
use crate::findings::Findings;
use crate::model::code::{is_under, roman};
use crate::model::points::Points;
use crate::model::unit::UnitId;
use crate::write::tables;
use serde_json::json;

/// Arguments of `cchc losses`.
#[derive(Debug, clap::Args)]
pub struct LossesArgs {
    #[command(flatten)]
    input: InputArg,
    #[command(flatten)]
    year: YearArg,
    /// Chỉ một đơn vị (tên có dấu hoặc không dấu, có hoặc không "xã").
    #[arg(long)]
    unit: Option<String>,
    #[command(flatten)]
    format: FormatArg,
    /// Toàn huyện: tiêu chí mất nhiều điểm nhất (Pareto) và số đơn vị đạt điểm tuyệt đối.
    #[arg(long, conflicts_with = "unit")]
    district: bool,
}

/// JSON contract: `{"year": Y, "losses": [the rows of losses.csv: {"year", "unit", "code",
/// "name", "max", "score", "lost", "share_of_unit_loss", "note"}]}`.
pub fn to_json(a: &Findings, year: i32, rows: &[Loss]) -> serde_json::Value {
    json!({ "year": year, "losses": tables::losses(a, &[(year, rows)]).records() })
}

/// Text: per unit, per area, the leaves below max with their cause.
pub fn to_text(a: &Findings, year: i32, rows: &[Loss]) -> String {
    let mut out = format!("ĐIỂM BỊ TRỪ NĂM {year}\n");
    let mut units: Vec<UnitId> = rows.iter().map(|l| l.unit).collect();
    units.dedup();
    for unit in units {
        let mine: Vec<Loss> = rows.iter().filter(|l| l.unit == unit).cloned().collect();
        let total: Points = mine.iter().map(|l| l.lost).sum();
        out.push_str(&format!("\n{}: mất {} điểm\n", a.units[unit].name, total.to_vi()));
        for (area, lost) in losses::by_area(&mine) {
            out.push_str(&format!("  Lĩnh vực {}: mất {} điểm\n", roman(area.parse().unwrap_or(0)), lost.to_vi()));
            let in_area: Vec<Loss> = mine.iter().filter(|l| crate::model::code::area_of(&l.code) == area).cloned().collect();
            for (criterion, lost) in losses::rolled_up(&in_area, 2) {
                let leaves: Vec<&Loss> = in_area.iter().filter(|l| l.code == criterion || is_under(&l.code, &criterion)).collect();
                // A criterion with sub-criteria below max gets its own subtotal line.
                if leaves.iter().any(|l| l.code != criterion) {
                    out.push_str(&format!("    Tiêu chí {criterion}: mất {} điểm\n", lost.to_vi()));
                }
                for l in leaves {
                    let note = l.note.as_deref().map(|n| format!(" — {n}")).unwrap_or_default();
                    out.push_str(&format!(
                        "      {} {}: {}/{} (mất {}){note}\n",
                        l.code,
                        l.name,
                        l.score.to_vi(),
                        l.max.to_vi(),
                        l.lost.to_vi()
                    ));
                }
            }
        }
    }
    out
}

/// Runs `cchc losses`.
pub fn run(args: &LossesArgs) -> Result<u8> {
    let a = args.input.analyse()?;
    let year = a.pick_year(args.year.year);
    let y = a.year_with_leaves(year)?;
    let mut rows = losses::losses(&a, y);
    if args.district {
        let rows = losses::pareto(&a, y);
        print_district(year, &rows, args.format.format)?;
        return Ok(0);
    }
    super::keep_unit(&a, args.unit.as_deref(), &mut rows, |l| l.unit)?;
    match args.format.format {
        Format::Text => print!("{}", to_text(&a, year, &rows)),
        Format::Json => println!("{}", serde_json::to_string_pretty(&to_json(&a, year, &rows)).unwrap_or_default()),
        Format::Csv => print!("{}", tables::losses(&a, &[(year, &rows)]).csv().map_err(|e| super::analysis_error(&e))?),
    }
    Ok(0)
}

/// The district view: JSON `{"year", "pareto": [{"code", "name", "lost", "units_losing",
/// "units_applicable", "full_marks", "share", "cumulative"}]}`.
fn print_district(year: i32, rows: &[losses::DistrictLeaf], format: Format) -> Result<()> {
    match format {
        Format::Json => {
            let p: Vec<_> = rows
                .iter()
                .map(|r| {
                    json!({"code": r.code, "name": r.name, "lost": r.lost.as_f64(), "units_losing": r.units_losing, "units_applicable": r.units_applicable,
                        "full_marks": r.full_marks(), "share": r.share.as_f64(), "cumulative": r.cumulative.as_f64()})
                })
                .collect();
            println!("{}", serde_json::to_string_pretty(&json!({"year": year, "pareto": p})).unwrap_or_default());
        }
        Format::Csv => print!("{}", tables::losses_district(&[(year, rows)]).csv().map_err(|e| super::analysis_error(&e))?),
        Format::Text => {
            println!("TOÀN HUYỆN NĂM {year}: TIÊU CHÍ MẤT NHIỀU ĐIỂM NHẤT\n");
            for r in rows.iter().filter(|r| r.lost > Points::ZERO) {
                println!(
                    "  {} {}: mất {} điểm ở {} đơn vị ({}%, cộng dồn {}%)",
                    r.code,
                    r.name,
                    r.lost.to_vi(),
                    r.units_losing,
                    r.share.to_vi(),
                    r.cumulative.to_vi()
                );
            }
            let mut full: Vec<&losses::DistrictLeaf> = rows.iter().collect();
            full.sort_by(|a, b| b.full_marks().cmp(&a.full_marks()).then_with(|| crate::model::code::cmp_codes(&a.code, &b.code)));
            println!("\nĐạt điểm tuyệt đối nhiều nhất:");
            for r in full.iter().take(10) {
                println!("  {} {}: {}/{} đơn vị", r.code, r.name, r.full_marks(), r.units_applicable);
            }
        }
    }
    Ok(())
}
