//! `cchc rounds`: what each appraisal round changed, per unit and criterion.

use super::{Format, FormatArg, InputArg, YearArg};
use crate::analyse::rounds::{self, Stages, UnitRounds};
use crate::error::Result;
use crate::findings::Findings;
use crate::model::points::Points;
use crate::report::ranking::rounds::round_labels;
use crate::write::tables;
use serde_json::{Value, json};

/// Arguments of `cchc rounds`.
#[derive(Debug, clap::Args)]
pub struct RoundsArgs {
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

fn stages_json(s: &Stages) -> Value {
    json!({
        "self": s.self_score.map(Points::as_f64),
        "rounds": s.rounds.iter().map(|r| r.map(Points::as_f64)).collect::<Vec<_>>(),
        "deduction": s.deduction.map(Points::as_f64),
        "official": s.official.map(Points::as_f64),
    })
}

/// JSON: `{"year", "rounds": [labels], "units": [{"unit", "labels", "totals": {"self",
/// "rounds": [...], "deduction", "official"}, "leaves": [{"code", "name", "max",
/// "self", "rounds", "deduction", "official"}]}]}`; `leaves` lists the leaves a stage
/// changed, `totals` sums every leaf.
pub fn to_json(a: &Findings, year: i32, units: &[UnitRounds]) -> Value {
    let labels = round_labels(units);
    let units: Vec<Value> = units
        .iter()
        .map(|u| {
            let leaves: Vec<Value> = u
                .leaves
                .iter()
                .map(|l| {
                    let mut v = stages_json(&l.stages);
                    v["code"] = json!(l.code);
                    v["name"] = json!(l.name);
                    v["max"] = json!(l.max.as_f64());
                    v
                })
                .collect();
            json!({"unit": a.units[u.unit].name, "labels": u.labels, "totals": stages_json(&u.totals), "leaves": leaves})
        })
        .collect();
    json!({"year": year, "rounds": labels, "units": units})
}

fn vi(p: Option<Points>) -> String {
    p.map_or_else(|| "–".to_string(), |p| p.to_vi())
}

fn stages_text(s: &Stages, labels: &[String]) -> String {
    let mut parts = vec![format!("tự chấm {}", vi(s.self_score))];
    for (k, r) in s.rounds.iter().enumerate() {
        let label = labels.get(k).cloned().unwrap_or_else(|| format!("vòng {}", k + 1));
        parts.push(format!("{} {}", label.to_lowercase(), vi(*r)));
    }
    if let Some(d) = s.deduction {
        parts.push(format!("bị trừ {}", d.to_vi()));
    }
    parts.push(format!("chính thức {}", vi(s.official)));
    parts.join(" → ")
}

/// Readable text: per unit its totals at each stage, then the leaves a stage changed.
pub fn to_text(a: &Findings, year: i32, units: &[UnitRounds]) -> String {
    let mut out = format!("CÁC VÒNG THẨM ĐỊNH NĂM {year}\n");
    if units.is_empty() {
        out.push_str("\nKhông có biểu nào ghi nhiều vòng thẩm định hoặc điểm bị trừ.\n");
        return out;
    }
    for u in units {
        let unit = &a.units[u.unit];
        out.push_str(&format!("\n{} {}: {}\n", unit.kind.label(), unit.name, stages_text(&u.totals, &u.labels)));
        for l in &u.leaves {
            out.push_str(&format!("  {} {} (tối đa {}): {}\n", l.code, l.name, l.max.to_vi(), stages_text(&l.stages, &u.labels)));
        }
    }
    out
}

/// Runs `cchc rounds`.
pub fn run(args: &RoundsArgs) -> Result<u8> {
    let a = args.input.analyse()?;
    let year = a.pick_year(args.year.year);
    let y = a.year_with_leaves(year)?;
    let mut units = rounds::rounds(&a, y);
    super::keep_unit(&a, args.unit.as_deref(), &mut units, |u| u.unit)?;
    match args.format.format {
        Format::Json => println!("{}", serde_json::to_string_pretty(&to_json(&a, year, &units)).unwrap_or_default()),
        Format::Csv => print!("{}", tables::rounds(&a, &[(year, &units)]).csv().map_err(|e| super::analysis_error(&e))?),
        Format::Text => print!("{}", to_text(&a, year, &units)),
    }
    Ok(0)
}
