//! `cchc unit NAME`: one unit's profile — index, rank, band, trend, strongest and
//! weakest criteria against the district, lost points with causes, self-assessment gap.

use super::{Format, FormatArg, InputArg, YearArg};
use crate::analyse::compare;
use crate::analyse::distance;
use crate::analyse::gap::{self, Gap};
use crate::analyse::losses::{self, Loss};
use crate::analyse::trend::{self, TrendPoint};
use crate::error::{CchcError, Result};
use crate::findings::Findings;
use crate::model::code::Code;
use crate::model::points::{Percent, Points};
use crate::model::unit::{Unit, UnitId};
use crate::report::ranking::rank_change_text;
use crate::score::UnitResult;
use crate::write::tables;
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

/// A criterion against the district, by % of its applicable max.
struct Versus {
    code: Code,
    name: String,
    /// The unit's %.
    percent: Percent,
    /// The district's mean %.
    district_mean: Percent,
    /// percent − district mean.
    difference: Percent,
}

/// Everything the profile shows of one unit in one year.
struct Profile<'a> {
    unit: &'a Unit,
    year: i32,
    units_in_year: usize,
    /// "1/18", with the group rank and the units that sent nothing where there are.
    standing: String,
    /// The framework's total (usually 100).
    total: Points,
    me: &'a UnitResult,
    /// Criteria (depth 2, and leaves above it), strongest against the district first.
    versus: Vec<Versus>,
    lost: Vec<Loss>,
    gaps: Vec<Gap>,
    history: Vec<TrendPoint>,
    /// The units it was formed from, where the unit list says so.
    merger: Option<trend::Merger>,
    /// The distance to the next band and to the unit ranked above.
    to_band: Option<distance::ToBand>,
    to_rank: Option<distance::ToRank>,
    /// The names of the units, for the unit ranked above.
    names: Vec<String>,
}

/// Runs `cchc unit`.
pub fn run(args: &UnitArgs) -> Result<u8> {
    let a = args.input.analyse()?;
    let idx = a.find_unit(&args.name).ok_or_else(|| CchcError::UnitMissing(args.name.clone()))?;
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
    let p = profile(&a, idx, year).map_err(|e| match e {
        CchcError::UnitMissing(_) => CchcError::UnitMissing(format!("{} (năm {year})", args.name)),
        other => other,
    })?;
    match args.format.format {
        Format::Json => println!("{}", serde_json::to_string_pretty(&to_json(&p)).unwrap_or_default()),
        Format::Csv => print!("{}", to_csv(&p)?),
        Format::Text => print!("{}", to_text(&p)),
    }
    Ok(0)
}

fn profile(a: &Findings, idx: UnitId, year: i32) -> Result<Profile<'_>> {
    let y = a.year_with_leaves(year)?;
    let me = y.units.iter().find(|u| u.unit == idx).ok_or_else(|| CchcError::UnitMissing(String::new()))?;
    let lost: Vec<Loss> = losses::losses(a, y).into_iter().filter(|l| l.unit == idx).collect();
    let mut versus: Vec<Versus> = compare::compare(a, y, 2)
        .into_iter()
        .filter_map(|c| {
            let percent = c.units.iter().find(|u| u.unit == idx)?.percent?;
            Some(Versus {
                code: c.node.code.clone(),
                name: c.node.name.clone(),
                percent,
                district_mean: c.mean,
                difference: percent - c.mean,
            })
        })
        .collect();
    versus.sort_by(|x, y| y.difference.cmp(&x.difference).then_with(|| x.code.cmp(&y.code)));
    Ok(Profile {
        unit: &a.units[idx],
        year,
        units_in_year: y.units.len(),
        standing: a.standing(y, me),
        total: y.framework_of(me).total(),
        me,
        versus,

        gaps: gap::gaps(a, y).into_iter().filter(|g| g.unit == idx).collect(),
        history: trend::trends(a).into_iter().find(|t| t.unit == idx).map(|t| t.points).unwrap_or_default(),
        merger: trend::merger(a, idx),
        to_band: distance::to_next_band(&a.settings.bands, me, &lost.iter().collect::<Vec<_>>()),
        to_rank: distance::to_next_rank(y, me, &lost.iter().collect::<Vec<_>>()),
        names: a.units.iter().map(|u| u.name.clone()).collect(),
        lost,
    })
}

impl Profile<'_> {
    fn strongest(&self) -> impl Iterator<Item = &Versus> {
        self.versus.iter().take(3)
    }
    fn weakest(&self) -> impl Iterator<Item = &Versus> {
        self.versus.iter().rev().take(3)
    }
}

/// The JSON contract of `cchc unit`.
fn to_json(p: &Profile) -> serde_json::Value {
    let (unit, me) = (p.unit, p.me);
    let v = |x: &Versus| json!({"code": x.code, "name": x.name, "percent": x.percent.as_f64(), "district_mean": x.district_mean.as_f64(), "difference": x.difference.as_f64()});
    let mut out = json!({
        "unit": unit.name, "kind": unit.kind, "year": p.year,
        "index": me.index.as_f64(), "points": me.points.as_f64(), "rank": me.rank, "of": p.units_in_year, "band": me.band.label(),
        "rank_change": me.rank_change, "index_change": me.index_change.map(|d| d.as_f64()),
        "trend": p.history.iter().map(|t| json!({"year": t.year, "index": t.result.index.as_f64(), "rank": t.result.rank, "band": t.result.band.label()})).collect::<Vec<_>>(),
        "strongest": p.strongest().map(v).collect::<Vec<_>>(),
        "weakest": p.weakest().map(v).collect::<Vec<_>>(),
        "losses": p.lost.iter().map(|l| json!({"code": l.code, "name": l.name, "max": l.max.as_f64(), "score": l.score.as_f64(), "lost": l.lost.as_f64(), "note": l.note})).collect::<Vec<_>>(),
        "gap": p.gaps.iter().map(|g| json!({"code": g.code, "self": g.self_score.as_f64(), "appraised": g.appraised.as_f64(), "gap": g.gap.as_f64()})).collect::<Vec<_>>(),
    });
    if let Some(m) = &p.merger {
        out["merger"] = trend::merger_json(m);
    }
    // Only for a body other than the people's committee (the index's default).
    if let Some(b) = &unit.body {
        out["body"] = json!(b);
    }
    let (band, rank) = distance::to_json(p.to_band.as_ref(), p.to_rank.as_ref(), |id| p.names[id.index()].clone());
    out["to_next_band"] = band;
    out["to_next_rank"] = rank;
    out
}

/// CSV: the unit against the district on every criterion.
fn to_csv(p: &Profile) -> Result<String> {
    let rows = p
        .versus
        .iter()
        .map(|x| tables::UnitVersusRow {
            unit: &p.unit.name,
            year: p.year.into(),
            code: &x.code,
            name: &x.name,
            percent: x.percent,
            district_mean: x.district_mean,
            difference: x.difference,
        })
        .collect();
    let t = tables::Table::new(rows);
    t.csv().map_err(|e| super::analysis_error(&e))
}

/// The readable profile, in Vietnamese.
fn to_text(p: &Profile) -> String {
    let (unit, me) = (p.unit, p.me);
    let body = unit.body.as_ref().map(|b| format!("{} ", b.to_uppercase())).unwrap_or_default();
    let mut out = format!("{body}{} {} — NĂM {}\n", unit.kind.label().to_uppercase(), unit.name.to_uppercase(), p.year);
    let change = me.rank_change.map(|c| format!(", {}", rank_change_text(Some(c)))).unwrap_or_default();
    // A framework of other than 100 points: the points and the percentage, as published.
    let index = match crate::report::remedy::out_of_other_than_hundred(me, p.total) {
        Some(points) => crate::text::capitalised(&points),
        None => format!("Chỉ số {} điểm", me.index.to_vi()),
    };
    out.push_str(&format!("{index}, xếp loại {}, đứng thứ {}{change}\n", me.band.label().to_lowercase(), p.standing));
    if let Some(t) = &p.to_rank {
        out.push_str(&format!("{}\n", crate::report::remedy::to_rank_text(t, &p.names[t.unit.index()])));
    }
    if let Some(t) = &p.to_band {
        out.push_str(&format!("{}\n", crate::report::remedy::to_band_text(t)));
    }
    out.push_str("\nQua các năm:\n");
    for t in &p.history {
        out.push_str(&format!("  {}: {} điểm, thứ {}, {}\n", t.year, t.result.index.to_vi(), t.result.rank, t.result.band.label()));
    }
    for line in p.merger.iter().flat_map(|m| m.lines()) {
        out.push_str(&format!("  ↳ {line}\n"));
    }
    for (title, rows) in [("Mạnh nhất so với huyện:", p.strongest().collect::<Vec<_>>()), ("Yếu nhất so với huyện:", p.weakest().collect())]
    {
        out.push_str(&format!("\n{title}\n"));
        for x in rows {
            out.push_str(&format!("  {} {}: {}% (huyện {}%)\n", x.code, x.name, x.percent.to_vi(), x.district_mean.to_vi()));
        }
    }
    let total: Points = p.lost.iter().map(|l| l.lost).sum();
    out.push_str(&format!("\nĐiểm bị trừ: {} điểm\n", total.to_vi()));
    for l in &p.lost {
        let note = l.note.as_deref().map(|n| format!(" — {n}")).unwrap_or_default();
        out.push_str(&format!("  {} {}: {}/{}{note}\n", l.code, l.name, l.score.to_vi(), l.max.to_vi()));
    }
    let over: Vec<&Gap> = p.gaps.iter().filter(|g| g.gap > Points::ZERO).collect();
    let over_points: Points = over.iter().map(|g| g.gap).sum();
    out.push_str(&format!("\nTự đánh giá cao hơn thẩm định: {} điểm ở {} tiêu chí\n", over_points.to_vi(), over.len()));
    out
}
