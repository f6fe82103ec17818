//! `cchc unit NAME`: one unit's profile — index, rank, band, trend, strongest and
//! weakest criteria against the district, lost points with causes, self-assessment gap.

use super::{Format, FormatArg, InputArg, YearArg, csv_field};
use crate::analyse::{compare, gap, losses, trend};
use crate::error::{CchcError, Result};
use crate::model::points::Points;
use crate::pipeline;
use crate::report::ranking::rank_change_text;
use serde_json::json;

/// Arguments of `cchc unit`.
#[derive(Debug, clap::Args)]
pub struct UnitArgs {
    /// Tên đơn vị (có dấu hoặc không dấu, có hoặc không "xã").
    name: String,
    #[command(flatten)]
    input: InputArg,
    #[command(flatten)]
    year: YearArg,
    #[command(flatten)]
    format: FormatArg,
}

/// A criterion against the district: (code, name, unit %, district mean %, difference).
type Versus = (String, String, Points, Points, Points);

/// Runs `cchc unit`.
pub fn run(args: &UnitArgs) -> Result<u8> {
    let a = pipeline::analyse(&args.input.input)?;
    let idx = a.find_unit(&args.name).ok_or_else(|| CchcError::UnitMissing(args.name.clone()))?;
    let unit = &a.units[idx];
    let year = match args.year.year {
        Some(y) => y,
        None => a
            .years
            .iter()
            .rev()
            .find(|y| y.units.iter().any(|u| u.unit == idx))
            .map(|y| y.year)
            .ok_or_else(|| CchcError::UnitMissing(args.name.clone()))?,
    };
    let y = a.year_with_leaves(year)?;
    let me = y.units.iter().find(|u| u.unit == idx).ok_or_else(|| CchcError::UnitMissing(format!("{} (năm {year})", args.name)))?;
    // Criteria (depth 2 and leaves above it) against the district mean, by % of max.
    let long = super::long_table(&a)?;
    let mut versus: Vec<Versus> = compare::compare(&long, &a, y, 2)
        .map_err(|e| super::analysis_error(&e))?
        .into_iter()
        .filter_map(|c| {
            let mine = c.units.iter().find(|u| u.unit == idx)?.percent?;
            Some((c.node.code.to_string(), c.node.name.clone(), mine, c.mean, mine - c.mean))
        })
        .collect();
    versus.sort_by(|x, y| y.4.cmp(&x.4).then_with(|| crate::model::code::cmp_codes(&x.0, &y.0)));
    let lost: Vec<_> = losses::losses(&long, &a, y).map_err(|e| super::analysis_error(&e))?.into_iter().filter(|l| l.unit == idx).collect();
    let gaps: Vec<_> = gap::gaps(&long, &a, y).map_err(|e| super::analysis_error(&e))?.into_iter().filter(|g| g.unit == idx).collect();
    let history = trend::trends(&a).into_iter().find(|t| t.unit == idx).map(|t| t.points).unwrap_or_default();
    let strongest: Vec<&Versus> = versus.iter().take(3).collect();
    let weakest: Vec<&Versus> = versus.iter().rev().take(3).collect();
    match args.format.format {
        Format::Json => {
            let v = |x: &&Versus| json!({"code": x.0, "name": x.1, "percent": x.2.as_f64(), "district_mean": x.3.as_f64(), "difference": x.4.as_f64()});
            let j = json!({
                "unit": unit.name, "kind": unit.kind, "year": year,
                "index": me.index.as_f64(), "points": me.points.as_f64(), "rank": me.rank, "of": y.units.len(), "band": me.band.label(),
                "rank_change": me.rank_change, "index_change": me.index_change.map(|d| d.as_f64()),
                "trend": history.iter().map(|p| json!({"year": p.year, "index": p.result.index.as_f64(), "rank": p.result.rank, "band": p.result.band.label()})).collect::<Vec<_>>(),
                "strongest": strongest.iter().map(v).collect::<Vec<_>>(),
                "weakest": weakest.iter().map(v).collect::<Vec<_>>(),
                "losses": lost.iter().map(|l| json!({"code": l.code, "name": l.name, "max": l.max.as_f64(), "score": l.score.as_f64(), "lost": l.lost.as_f64(), "note": l.note})).collect::<Vec<_>>(),
                "gap": gaps.iter().map(|g| json!({"code": g.code, "self": g.self_score.as_f64(), "appraised": g.appraised.as_f64(), "gap": g.gap.as_f64()})).collect::<Vec<_>>(),
            });
            println!("{}", serde_json::to_string_pretty(&j).unwrap_or_default());
        }
        Format::Csv => {
            let mut out = String::from("unit,year,code,name,percent,district_mean,difference\n");
            for x in &versus {
                out.push_str(&format!("{},{year},{},{},{},{},{}\n", csv_field(&unit.name), x.0, csv_field(&x.1), x.2, x.3, x.4));
            }
            print!("{out}");
        }
        Format::Text => {
            println!("{} {} — NĂM {year}", unit.kind.label().to_uppercase(), unit.name.to_uppercase());
            let change = me.rank_change.map(|c| format!(", {}", rank_change_text(Some(c)))).unwrap_or_default();
            println!(
                "Chỉ số {} điểm, xếp loại {}, đứng thứ {}/{}{change}",
                me.index.to_vi(),
                me.band.label().to_lowercase(),
                me.rank,
                y.units.len()
            );
            println!("\nQua các năm:");
            for p in &history {
                println!("  {}: {} điểm, thứ {}, {}", p.year, p.result.index.to_vi(), p.result.rank, p.result.band.label());
            }
            let show = |title: &str, rows: &[&Versus]| {
                println!("\n{title}");
                for x in rows {
                    println!("  {} {}: {}% (huyện {}%)", x.0, x.1, x.2.to_vi(), x.3.to_vi());
                }
            };
            show("Mạnh nhất so với huyện:", &strongest);
            show("Yếu nhất so với huyện:", &weakest);
            let total: Points = lost.iter().map(|l| l.lost).sum();
            println!("\nĐiểm bị trừ: {} điểm", total.to_vi());
            for l in &lost {
                let note = l.note.as_deref().map(|n| format!(" — {n}")).unwrap_or_default();
                println!("  {} {}: {}/{}{note}", l.code, l.name, l.score.to_vi(), l.max.to_vi());
            }
            let over: Points = gaps.iter().filter(|g| g.gap > Points::ZERO).map(|g| g.gap).sum();
            println!(
                "\nTự đánh giá cao hơn thẩm định: {} điểm ở {} tiêu chí",
                over.to_vi(),
                gaps.iter().filter(|g| g.gap > Points::ZERO).count()
            );
        }
    }
    Ok(0)
}
