//! Every analysis as a flat table (Parquet and CSV under `output/tables/`), all years
//! stacked with a `year` column, for analysts and other tools: the same numbers the
//! workbooks show, in a shape polars, pandas or Excel's Power Query read directly.

use crate::analyse::{YearAnalyses, trend};
use crate::error::Result;
use crate::model::code::Code;
use crate::model::points::Points;
use crate::model::unit::UnitId;
use crate::pipeline::Analysis;
use crate::write::export::{polars_error, write_table};
use crate::write::normalise::shared_text;
use polars::prelude::*;
use std::borrow::Cow;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Folder of the analysis tables under the output folder.
pub const TABLES_DIR: &str = "tables";

fn f(p: Points) -> f64 {
    p.as_f64()
}

/// A column being filled. Text borrows from the analyses where it can: at 10,000
/// units the comparison table alone has 700,000 rows of names.
enum Col<'a> {
    Text(Vec<Option<Cow<'a, str>>>),
    Int(Vec<Option<i64>>),
    Num(Vec<Option<f64>>),
}

/// Column builder: the columns are declared up front (so an empty table still has its
/// header and types), then filled row by row by name.
struct Rows<'a>(Vec<(&'static str, Col<'a>)>);

/// What a text cell can be given as: borrowed, owned, or absent.
trait Text<'a> {
    fn cell(self) -> Option<Cow<'a, str>>;
}

impl<'a> Text<'a> for &'a str {
    fn cell(self) -> Option<Cow<'a, str>> {
        Some(Cow::Borrowed(self))
    }
}

impl<'a> Text<'a> for &'a Code {
    fn cell(self) -> Option<Cow<'a, str>> {
        Some(Cow::Borrowed(self.as_str()))
    }
}

impl<'a> Text<'a> for &'a String {
    fn cell(self) -> Option<Cow<'a, str>> {
        Some(Cow::Borrowed(self))
    }
}

impl<'a> Text<'a> for String {
    fn cell(self) -> Option<Cow<'a, str>> {
        Some(Cow::Owned(self))
    }
}

impl<'a> Text<'a> for Option<&'a str> {
    fn cell(self) -> Option<Cow<'a, str>> {
        self.map(Cow::Borrowed)
    }
}

impl<'a> Rows<'a> {
    /// `schema` names each column with its type: 't' text, 'i' integer, 'n' number.
    fn new(schema: &[(&'static str, char)]) -> Rows<'a> {
        Rows(
            schema
                .iter()
                .map(|&(n, t)| {
                    (
                        n,
                        match t {
                            't' => Col::Text(Vec::new()),
                            'i' => Col::Int(Vec::new()),
                            _ => Col::Num(Vec::new()),
                        },
                    )
                })
                .collect(),
        )
    }
    fn col(&mut self, name: &str) -> &mut Col<'a> {
        &mut self.0.iter_mut().find(|(n, _)| *n == name).unwrap_or_else(|| panic!("column {name} not declared")).1
    }
    fn text(&mut self, name: &'static str, v: impl Text<'a>) {
        if let Col::Text(c) = self.col(name) {
            c.push(v.cell());
        }
    }
    fn int(&mut self, name: &'static str, v: impl Into<Option<i64>>) {
        if let Col::Int(c) = self.col(name) {
            c.push(v.into());
        }
    }
    fn num(&mut self, name: &'static str, v: impl Into<Option<f64>>) {
        if let Col::Num(c) = self.col(name) {
            c.push(v.into());
        }
    }
    fn frame(self) -> PolarsResult<DataFrame> {
        let cols = self.0.into_iter().map(|(n, c)| match c {
            Col::Text(v) => shared_text(n, v.iter().map(Option::as_deref)),
            Col::Int(v) => Column::new(n.into(), v),
            Col::Num(v) => Column::new(n.into(), v),
        });
        DataFrame::new_infer_height(cols.collect())
    }
}

/// Writes every analysis table; `tables` are each year's analyses, in `a.years`
/// order. Returns the paths written.
pub fn write_all(a: &Analysis, tables: &[Option<YearAnalyses>], output: &Path) -> Result<Vec<PathBuf>> {
    let dir = output.join(TABLES_DIR);
    let err = |e: PolarsError| polars_error(&dir, e);
    let name = |u: UnitId| a.units[u].name.as_str();
    let mut rankings = Rows::new(&[
        ("year", 'i'),
        ("rank", 'i'),
        ("unit", 't'),
        ("kind", 't'),
        ("index", 'n'),
        ("band", 't'),
        ("points", 'n'),
        ("applicable_max", 'n'),
        ("bonus", 'n'),
        ("penalty", 'n'),
        ("self_index", 'n'),
        ("rank_change", 'i'),
        ("index_change", 'n'),
        ("flagged", 'i'),
    ]);
    let mut lost = Rows::new(&[
        ("year", 'i'),
        ("unit", 't'),
        ("code", 't'),
        ("name", 't'),
        ("max", 'n'),
        ("score", 'n'),
        ("lost", 'n'),
        ("share_of_unit_loss", 'n'),
        ("note", 't'),
    ]);
    let mut pareto = Rows::new(&[
        ("year", 'i'),
        ("code", 't'),
        ("name", 't'),
        ("lost", 'n'),
        ("units_losing", 'i'),
        ("units_full_marks", 'i'),
        ("units_applicable", 'i'),
        ("share", 'n'),
        ("cumulative_share", 'n'),
    ]);
    let mut by_criterion = Rows::new(&[
        ("year", 'i'),
        ("level", 'i'),
        ("code", 't'),
        ("name", 't'),
        ("unit", 't'),
        ("points", 'n'),
        ("max", 'n'),
        ("percent", 'n'),
        ("rank", 'i'),
    ]);
    let mut stats = Rows::new(&[
        ("year", 'i'),
        ("level", 'i'),
        ("code", 't'),
        ("name", 't'),
        ("max", 'n'),
        ("mean_percent", 'n'),
        ("median_percent", 'n'),
        ("min_percent", 'n'),
        ("max_percent", 'n'),
        ("best", 't'),
        ("worst", 't'),
    ]);
    let mut gaps =
        Rows::new(&[("year", 'i'), ("unit", 't'), ("code", 't'), ("name", 't'), ("self", 'n'), ("appraised", 'n'), ("gap", 'n')]);
    let mut stable = Rows::new(&[
        ("year", 'i'),
        ("area_left_out", 't'),
        ("unit", 't'),
        ("rank", 'i'),
        ("index_without", 'n'),
        ("rank_without", 'i'),
        ("shift", 'i'),
    ]);
    let mut trends = Rows::new(&[
        ("unit", 't'),
        ("year", 'i'),
        ("index", 'n'),
        ("rank", 'i'),
        ("band", 't'),
        ("index_change", 'n'),
        ("rank_change", 'i'),
    ]);
    for (y, t) in a.years.iter().zip(tables) {
        for u in &y.units {
            rankings.int("year", y.year as i64);
            rankings.int("rank", u.rank as i64);
            rankings.text("unit", name(u.unit));
            rankings.text("kind", a.units[u.unit].kind.to_string());
            rankings.num("index", f(u.index));
            rankings.text("band", u.band.label());
            rankings.num("points", f(u.points));
            rankings.num("applicable_max", f(u.applicable_max));
            rankings.num("bonus", f(u.bonus));
            rankings.num("penalty", f(u.penalty));
            rankings.num("self_index", u.self_index.map(f));
            rankings.int("rank_change", u.rank_change);
            rankings.num("index_change", u.index_change.map(f));
            rankings.int("flagged", u.flagged as i64);
        }
        let Some(t) = t else {
            continue; // a published results table: totals only.
        };
        let mut unit_total: HashMap<UnitId, Points> = HashMap::new();
        for l in &t.losses {
            *unit_total.entry(l.unit).or_default() += l.lost;
        }
        for l in &t.losses {
            lost.int("year", y.year as i64);
            lost.text("unit", name(l.unit));
            lost.text("code", &l.code);
            lost.text("name", &l.name);
            lost.num("max", f(l.max));
            lost.num("score", f(l.score));
            lost.num("lost", f(l.lost));
            lost.num("share_of_unit_loss", f(Points::ratio(l.lost.0 as i128 * 10_000, unit_total[&l.unit].0 as i128)));
            lost.text("note", l.note.as_deref());
        }
        for d in &t.pareto {
            pareto.int("year", y.year as i64);
            pareto.text("code", &d.code);
            pareto.text("name", &d.name);
            pareto.num("lost", f(d.lost));
            pareto.int("units_losing", d.units_losing as i64);
            pareto.int("units_full_marks", d.full_marks() as i64);
            pareto.int("units_applicable", d.units_applicable as i64);
            pareto.num("share", f(d.share));
            pareto.num("cumulative_share", f(d.cumulative));
        }
        for (depth, comparisons) in &t.compare {
            for c in comparisons {
                for u in &c.units {
                    by_criterion.int("year", y.year as i64);
                    by_criterion.int("level", *depth as i64);
                    by_criterion.text("code", &c.node.code);
                    by_criterion.text("name", &c.node.name);
                    by_criterion.text("unit", name(u.unit));
                    by_criterion.num("points", f(u.points));
                    by_criterion.num("max", f(u.max));
                    by_criterion.num("percent", u.percent.map(f));
                    by_criterion.int("rank", (u.rank > 0).then_some(u.rank as i64));
                }
                let names = |us: Vec<UnitId>| us.into_iter().map(name).collect::<Vec<_>>().join("; ");
                stats.int("year", y.year as i64);
                stats.int("level", *depth as i64);
                stats.text("code", &c.node.code);
                stats.text("name", &c.node.name);
                stats.num("max", f(c.node.max));
                stats.num("mean_percent", f(c.mean));
                stats.num("median_percent", f(c.median));
                stats.num("min_percent", f(c.min));
                stats.num("max_percent", f(c.max));
                stats.text("best", names(c.best()));
                stats.text("worst", names(c.worst()));
            }
        }
        for g in &t.gaps {
            gaps.int("year", y.year as i64);
            gaps.text("unit", name(g.unit));
            gaps.text("code", &g.code);
            gaps.text("name", &g.name);
            gaps.num("self", f(g.self_score));
            gaps.num("appraised", f(g.appraised));
            gaps.num("gap", f(g.gap));
        }
        for w in &t.stability {
            for m in &w.units {
                stable.int("year", y.year as i64);
                stable.text("area_left_out", &w.area);
                stable.text("unit", name(m.unit));
                stable.int("rank", m.rank as i64);
                stable.num("index_without", f(m.index_without));
                stable.int("rank_without", m.rank_without as i64);
                stable.int("shift", m.shift());
            }
        }
    }
    for t in trend::trends(a) {
        for p in &t.points {
            trends.text("unit", name(t.unit));
            trends.int("year", p.year as i64);
            trends.num("index", f(p.result.index));
            trends.int("rank", p.result.rank as i64);
            trends.text("band", p.result.band.label());
            trends.num("index_change", p.result.index_change.map(f));
            trends.int("rank_change", p.result.rank_change);
        }
    }
    let mut written = Vec::new();
    for (stem, rows) in [
        ("rankings", rankings),
        ("losses", lost),
        ("losses_district", pareto),
        ("compare", by_criterion),
        ("compare_stats", stats),
        ("gap", gaps),
        ("stability", stable),
        ("trend", trends),
    ] {
        let mut df = rows.frame().map_err(err)?;
        written.extend(write_table(&mut df, &dir, stem)?);
    }
    Ok(written)
}
