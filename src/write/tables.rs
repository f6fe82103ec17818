//! Every analysis as a flat table (Parquet and CSV under `output/tables/`), all years
//! stacked with a `year` column, for analysts and other tools: the same numbers the
//! workbooks show, in a shape polars, pandas or Excel's Power Query read directly.

use crate::analyse::YearAnalyses;
use crate::analyse::compare::CriterionComparison;
use crate::analyse::followup::{Chronic, Status, UnitFollowup};
use crate::analyse::gap::Gap;
use crate::analyse::losses::{DistrictLeaf, Loss};
use crate::analyse::normalise::shared_text;
use crate::analyse::rounds::UnitRounds;
use crate::analyse::stability::WithoutArea;
use crate::analyse::trend::{self, UnitTrend};
use crate::findings::Findings;
use crate::error::Result;
use crate::model::code::Code;
use crate::model::points::{Hundredths, Percent, Points};
use crate::model::unit::UnitId;
use crate::score::YearResult;
use crate::write::export::{table_error, write_table};
use polars::prelude::*;
use std::borrow::Cow;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Folder of the analysis tables under the output folder.
pub const TABLES_DIR: &str = "tables";

fn f(p: impl Hundredths) -> f64 {
    p.as_f64()
}

/// A column being filled. Text borrows from the analyses where it can: at 10,000
/// units the comparison table alone has 700,000 rows of names.
enum Col<'a> {
    Text(Vec<Option<Cow<'a, str>>>),
    Int(Vec<Option<i64>>),
    Num(Vec<Option<f64>>),
}

impl Col<'_> {
    fn empty(t: Type) -> Self {
        match t {
            Txt => Col::Text(Vec::new()),
            Int => Col::Int(Vec::new()),
            Num => Col::Num(Vec::new()),
        }
    }
}

/// The type of a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Type {
    /// Text (UTF-8).
    Text,
    /// A whole number (years, ranks, counts).
    Int,
    /// Points or percent, as a decimal number.
    Num,
}

pub(crate) use Type::{Int, Num, Text as Txt};

/// One table: its name (the file stem under `output/tables/`) and its columns,
/// declared up front (so an empty table still has its header and types), then filled
/// row by row by name. The exports and the commands' `--format csv` both print it.
pub struct Table<'a> {
    /// File stem ("losses").
    pub stem: &'static str,
    columns: Vec<(Cow<'static, str>, Col<'a>)>,
}

/// What a text cell can be given as: borrowed, owned, or absent.
pub(crate) trait Text<'a> {
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

impl<'a> Text<'a> for Option<String> {
    fn cell(self) -> Option<Cow<'a, str>> {
        self.map(Cow::Owned)
    }
}

impl<'a> Table<'a> {
    /// An empty table with these columns.
    pub(crate) fn new(stem: &'static str, schema: &[(&'static str, Type)]) -> Table<'a> {
        let columns = schema.iter().map(|&(n, t)| (Cow::Borrowed(n), Col::empty(t))).collect();
        Table { stem, columns }
    }
    /// One more column right after `after`, for columns only some settings have.
    fn add_after(&mut self, after: &str, name: &'static str, t: Type) {
        let at = self.columns.iter().position(|(n, _)| n == after).map_or(self.columns.len(), |i| i + 1);
        self.columns.insert(at, (Cow::Borrowed(name), Col::empty(t)));
    }
    /// One more column of text at the end.
    fn add_text(&mut self, name: &'static str) {
        self.columns.push((Cow::Borrowed(name), Col::empty(Txt)));
    }
    /// One more column of numbers, named at run time (`area_3`).
    fn add_numbers(&mut self, name: String) {
        self.columns.push((Cow::Owned(name), Col::Num(Vec::new())));
    }
    fn col(&mut self, name: &str) -> &mut Col<'a> {
        &mut self.columns.iter_mut().find(|(n, _)| n == name).unwrap_or_else(|| panic!("column {name} not declared")).1
    }
    /// Appends a text cell to a column.
    pub(crate) fn text(&mut self, name: &str, v: impl Text<'a>) {
        if let Col::Text(c) = self.col(name) {
            c.push(v.cell());
        }
    }
    /// Appends a whole number to a column.
    pub(crate) fn int(&mut self, name: &str, v: impl Into<Option<i64>>) {
        if let Col::Int(c) = self.col(name) {
            c.push(v.into());
        }
    }
    /// Appends a decimal number to a column.
    pub(crate) fn num(&mut self, name: &str, v: impl Into<Option<f64>>) {
        if let Col::Num(c) = self.col(name) {
            c.push(v.into());
        }
    }
    /// The table as a polars frame.
    pub fn frame(self) -> PolarsResult<DataFrame> {
        let cols = self.columns.into_iter().map(|(n, c)| match c {
            Col::Text(v) => shared_text(&n, v.iter().map(Option::as_deref)),
            Col::Int(v) => Column::new(n.as_ref().into(), v),
            Col::Num(v) => Column::new(n.as_ref().into(), v),
        });
        DataFrame::new_infer_height(cols.collect())
    }

    /// The table as CSV text, as the exports write it (for `--format csv`).
    pub fn csv(self) -> PolarsResult<String> {
        let df = self.frame()?;
        let mut out = Vec::new();
        crate::write::csv::write_csv(&df, &mut out)?;
        Ok(String::from_utf8(out).expect("polars writes UTF-8"))
    }
}

/// The ranking of each year, with what the index rests on (applicable max, bonus,
/// penalty), whether the unit's data carries errors, and each area's points:
/// `area_<code>` for every area any of the years has, in code order (empty where a
/// year has no such area). `rankings.csv` and `cchc rank --format csv` are this table.
pub fn rankings<'a>(a: &'a Findings, years: &'a [YearResult]) -> Table<'a> {
    let mut t = Table::new(
        "rankings",
        &[
            ("year", Int),
            ("rank", Int),
            ("unit", Txt),
            ("kind", Txt),
            ("index", Num),
            ("band", Txt),
            ("points", Num),
            ("applicable_max", Num),
            ("bonus", Num),
            ("penalty", Num),
            ("self_index", Num),
            ("self_rank", Int),
            ("rank_change", Int),
            ("index_change", Num),
            ("flagged", Int),
        ],
    );
    let grouped = years.iter().any(|y| !y.groups.is_empty());
    if grouped {
        t.add_after("rank", "group_rank", Int);
        t.add_after("rank", "group", Txt);
    }
    let mut areas: Vec<&Code> = years.iter().flat_map(|y| y.framework.areas().map(|n| &n.code)).collect();
    areas.sort();
    areas.dedup();
    let area_columns: Vec<String> = areas.iter().map(|c| format!("area_{c}")).collect();
    for name in &area_columns {
        t.add_numbers(name.clone());
    }
    for y in years {
        for u in &y.units {
            if grouped {
                t.text("group", y.group_of(u));
                t.int("group_rank", u.group_rank.map(i64::from));
            }
            for (code, column) in areas.iter().zip(&area_columns) {
                t.num(column, u.areas.iter().find(|ar| &ar.code == *code).map(|ar| f(ar.points)));
            }
            t.int("year", y.year as i64);
            t.int("rank", u.rank as i64);
            t.text("unit", a.units[u.unit].name.as_str());
            t.text("kind", a.units[u.unit].kind.label());
            t.num("index", f(u.index));
            t.text("band", u.band.label());
            t.num("points", f(u.points));
            t.num("applicable_max", f(u.applicable_max));
            t.num("bonus", f(u.bonus));
            t.num("penalty", f(u.penalty));
            t.num("self_index", u.self_index.map(f));
            t.int("self_rank", u.self_rank.map(i64::from));
            t.int("rank_change", u.rank_change);
            t.num("index_change", u.index_change.map(f));
            t.int("flagged", u.flagged as i64);
        }
    }
    t
}

/// Every leaf below max, with its share of its unit's loss in the year (%).
pub fn losses<'a>(a: &'a Findings, years: &[(i32, &'a [Loss])]) -> Table<'a> {
    let mut t = Table::new(
        "losses",
        &[
            ("year", Int),
            ("unit", Txt),
            ("code", Txt),
            ("name", Txt),
            ("max", Num),
            ("score", Num),
            ("lost", Num),
            ("share_of_unit_loss", Num),
            ("note", Txt),
        ],
    );
    for &(year, losses) in years {
        let mut unit_total: HashMap<UnitId, Points> = HashMap::new();
        for l in losses {
            *unit_total.entry(l.unit).or_default() += l.lost;
        }
        for l in losses {
            t.int("year", year as i64);
            t.text("unit", a.units[l.unit].name.as_str());
            t.text("code", &l.code);
            t.text("name", &l.name);
            t.num("max", f(l.max));
            t.num("score", f(l.score));
            t.num("lost", f(l.lost));
            t.num("share_of_unit_loss", Percent::of(l.lost, unit_total[&l.unit]).as_f64());
            t.text("note", l.note.as_deref());
        }
    }
    t
}

/// Each unit's leaves against the year before, every leaf whose status is not
/// `kept` (`followup.csv` and `cchc followup --format csv`).
pub fn followup<'a>(a: &'a Findings, years: &[(i32, &'a [UnitFollowup])]) -> Table<'a> {
    let mut t = Table::new(
        "followup",
        &[
            ("year", Int),
            ("previous", Int),
            ("unit", Txt),
            ("code", Txt),
            ("name", Txt),
            ("status", Txt),
            ("max", Num),
            ("score", Num),
            ("score_before", Num),
            ("lost", Num),
            ("lost_before", Num),
            ("note", Txt),
            ("note_before", Txt),
        ],
    );
    for &(year, units) in years {
        for u in units {
            for l in u.leaves.iter().filter(|l| l.status != Status::Kept) {
                t.int("year", year as i64);
                t.int("previous", u.previous.map(i64::from));
                t.text("unit", a.units[u.unit].name.as_str());
                t.text("code", &l.code);
                t.text("name", &l.name);
                t.text("status", l.status.name());
                t.num("max", f(l.max));
                t.num("score", f(l.score));
                t.num("score_before", l.before.as_ref().map(|b| f(b.0)));
                t.num("lost", f(l.lost));
                t.num("lost_before", l.before.as_ref().map(|b| f(b.1)));
                t.text("note", l.note.as_deref());
                t.text("note_before", l.before.as_ref().and_then(|b| b.2.as_deref()));
            }
        }
    }
    t
}

/// The district's chronic weak criteria per year.
pub fn chronic<'a>(years: &[(i32, &'a [Chronic])]) -> Table<'a> {
    let mut t = Table::new(
        "chronic",
        &[
            ("year", Int),
            ("code", Txt),
            ("name", Txt),
            ("years", Int),
            ("units_losing", Int),
            ("units_applicable", Int),
            ("units_repeating", Int),
        ],
    );
    for &(year, rows) in years {
        for c in rows {
            t.int("year", year as i64);
            t.text("code", &c.code);
            t.text("name", &c.name);
            t.int("years", c.years as i64);
            t.int("units_losing", c.units_losing as i64);
            t.int("units_applicable", c.units_applicable as i64);
            t.int("units_repeating", c.units_repeating as i64);
        }
    }
    t
}

/// The district Pareto of lost points.
pub fn losses_district<'a>(years: &[(i32, &'a [DistrictLeaf])]) -> Table<'a> {
    let mut t = Table::new(
        "losses_district",
        &[
            ("year", Int),
            ("code", Txt),
            ("name", Txt),
            ("lost", Num),
            ("units_losing", Int),
            ("units_full_marks", Int),
            ("units_applicable", Int),
            ("share", Num),
            ("cumulative_share", Num),
        ],
    );
    for &(year, rows) in years {
        for d in rows {
            t.int("year", year as i64);
            t.text("code", &d.code);
            t.text("name", &d.name);
            t.num("lost", f(d.lost));
            t.int("units_losing", d.units_losing as i64);
            t.int("units_full_marks", d.full_marks() as i64);
            t.int("units_applicable", d.units_applicable as i64);
            t.num("share", f(d.share));
            t.num("cumulative_share", f(d.cumulative));
        }
    }
    t
}

/// A year's comparisons at each depth: `(year, depth, comparisons)`.
pub type Comparisons<'a> = (i32, usize, &'a [CriterionComparison]);

/// Every unit on every compared criterion: points, max, % and rank.
pub fn compare<'a>(a: &'a Findings, years: &[Comparisons<'a>]) -> Table<'a> {
    let mut t = Table::new(
        "compare",
        &[
            ("year", Int),
            ("level", Int),
            ("code", Txt),
            ("name", Txt),
            ("unit", Txt),
            ("points", Num),
            ("max", Num),
            ("percent", Num),
            ("rank", Int),
        ],
    );
    for &(year, depth, comparisons) in years {
        for c in comparisons {
            for u in &c.units {
                t.int("year", year as i64);
                t.int("level", depth as i64);
                t.text("code", &c.node.code);
                t.text("name", &c.node.name);
                t.text("unit", a.units[u.unit].name.as_str());
                t.num("points", f(u.points));
                t.num("max", f(u.max));
                t.num("percent", u.percent.map(f));
                t.int("rank", (u.rank > 0).then_some(u.rank as i64));
            }
        }
    }
    t
}

/// The district statistics of each compared criterion, with its best and worst units.
pub fn compare_stats<'a>(a: &'a Findings, years: &[Comparisons<'a>]) -> Table<'a> {
    let mut t = Table::new(
        "compare_stats",
        &[
            ("year", Int),
            ("level", Int),
            ("code", Txt),
            ("name", Txt),
            ("max", Num),
            ("mean_percent", Num),
            ("median_percent", Num),
            ("min_percent", Num),
            ("max_percent", Num),
            ("best", Txt),
            ("worst", Txt),
        ],
    );
    let names = |us: Vec<UnitId>| us.into_iter().map(|u| a.units[u].name.as_str()).collect::<Vec<_>>().join("; ");
    for &(year, depth, comparisons) in years {
        for c in comparisons {
            t.int("year", year as i64);
            t.int("level", depth as i64);
            t.text("code", &c.node.code);
            t.text("name", &c.node.name);
            t.num("max", f(c.node.max));
            t.num("mean_percent", f(c.mean));
            t.num("median_percent", f(c.median));
            t.num("min_percent", f(c.min));
            t.num("max_percent", f(c.max));
            t.text("best", names(c.best()));
            t.text("worst", names(c.worst()));
        }
    }
    t
}

/// Every leaf where self-assessed and appraised differ.
pub fn gaps<'a>(a: &'a Findings, years: &[(i32, &'a [Gap])]) -> Table<'a> {
    let mut t =
        Table::new("gap", &[("year", Int), ("unit", Txt), ("code", Txt), ("name", Txt), ("self", Num), ("appraised", Num), ("gap", Num)]);
    for &(year, gaps) in years {
        for g in gaps {
            t.int("year", year as i64);
            t.text("unit", a.units[g.unit].name.as_str());
            t.text("code", &g.code);
            t.text("name", &g.name);
            t.num("self", f(g.self_score));
            t.num("appraised", f(g.appraised));
            t.num("gap", f(g.gap));
        }
    }
    t
}

/// The ranking with each area left out, and how far each unit moves.
pub fn stability<'a>(a: &'a Findings, years: &[(i32, &'a [WithoutArea])]) -> Table<'a> {
    let mut t = Table::new(
        "stability",
        &[
            ("year", Int),
            ("area_left_out", Txt),
            ("unit", Txt),
            ("rank", Int),
            ("index_without", Num),
            ("rank_without", Int),
            ("shift", Int),
        ],
    );
    for &(year, rows) in years {
        for w in rows {
            for m in &w.units {
                t.int("year", year as i64);
                t.text("area_left_out", &w.area);
                t.text("unit", a.units[m.unit].name.as_str());
                t.int("rank", m.rank as i64);
                t.num("index_without", f(m.index_without));
                t.int("rank_without", m.rank_without as i64);
                t.int("shift", m.shift());
            }
        }
    }
    t
}

/// Each unit's stages where its sheet records several rounds or deductions: one row
/// for the unit's totals (code empty) and one per leaf a stage changed; round_1 …
/// round_N as many as the sheets have.
pub fn rounds<'a>(a: &'a Findings, years: &[(i32, &'a [UnitRounds])]) -> Table<'a> {
    let mut t = Table::new("rounds", &[("year", Int), ("unit", Txt), ("code", Txt), ("name", Txt), ("max", Num), ("self", Num)]);
    let most = years.iter().flat_map(|(_, us)| us.iter().map(|u| u.labels.len())).max().unwrap_or(0);
    let round_columns: Vec<String> = (1..=most).map(|k| format!("round_{k}")).collect();
    for name in &round_columns {
        t.add_numbers(name.clone());
    }
    t.add_numbers("deduction".to_string());
    t.add_numbers("official".to_string());
    for &(year, units) in years {
        for u in units {
            let lines = std::iter::once((None, &u.totals)).chain(u.leaves.iter().map(|l| (Some(l), &l.stages)));
            for (leaf, st) in lines {
                t.int("year", year as i64);
                t.text("unit", a.units[u.unit].name.as_str());
                t.text("code", leaf.map(|l| l.code.as_str()));
                t.text("name", leaf.map(|l| l.name.as_str()));
                t.num("max", leaf.map(|l| f(l.max)));
                t.num("self", st.self_score.map(f));
                for (k, column) in round_columns.iter().enumerate() {
                    t.num(column, st.rounds.get(k).copied().flatten().map(f));
                }
                t.num("deduction", st.deduction.map(f));
                t.num("official", st.official.map(f));
            }
        }
    }
    t
}

/// Each unit across the years: index, rank, band and their changes.
pub fn trends<'a>(a: &'a Findings, trends: &[UnitTrend]) -> Table<'a> {
    let mut t = Table::new(
        "trend",
        &[
            ("unit", Txt),
            ("kind", Txt),
            ("year", Int),
            ("index", Num),
            ("rank", Int),
            ("band", Txt),
            ("index_change", Num),
            ("rank_change", Int),
        ],
    );
    // Merged units (`formed_from` in the unit list): what each row's unit was formed
    // from or merged into, and the predecessors' mean index the year before the merger.
    // Absent without a merger, so other folders keep the table's shape.
    let merged: Vec<(&str, Option<trend::Merger>)> =
        trends.iter().map(|u| (a.units[u.unit].name.as_str(), trend::merger(a, u.unit))).collect();
    let with_merger = merged.iter().any(|(_, m)| m.is_some());
    let into = |name: &str| a.registry.iter().find(|r| r.formed_from.iter().any(|f| f == name)).map(|r| (r.name.as_str(), r.since));
    if with_merger {
        t.add_text("formed_from");
        t.add_text("merged_into");
        t.add_numbers("predecessors_mean_index".to_string());
    }
    for (u, (_, merger)) in trends.iter().zip(&merged) {
        for p in &u.points {
            if with_merger {
                let from = merger.as_ref().map(|m| m.predecessors.iter().map(|p| p.name.as_str()).collect::<Vec<_>>().join("; "));
                t.text("formed_from", from);
                let target = into(&a.units[u.unit].name).filter(|(_, since)| since.is_some_and(|s| p.year < s)).map(|(n, _)| n);
                t.text("merged_into", target);
                let mean = merger
                    .as_ref()
                    .filter(|m| m.since == p.year)
                    .and_then(|m| m.means.iter().rev().find(|(y, _)| *y < p.year))
                    .map(|(_, v)| f(*v));
                t.num("predecessors_mean_index", mean);
            }
            t.text("unit", a.units[u.unit].name.as_str());
            t.text("kind", a.units[u.unit].kind.label());
            t.int("year", p.year as i64);
            t.num("index", f(p.result.index));
            t.int("rank", p.result.rank as i64);
            t.text("band", p.result.band.label());
            t.num("index_change", p.result.index_change.map(f));
            t.int("rank_change", p.result.rank_change);
        }
    }
    t
}

/// Writes every analysis table; `tables` are each year's analyses, in `a.years`
/// order. Returns the paths written.
pub fn write_all<'a>(a: &'a Findings, tables: &'a [Option<YearAnalyses>], output: &Path) -> Result<Vec<PathBuf>> {
    let dir = output.join(TABLES_DIR);
    let with: Vec<(i32, &YearAnalyses)> = a.years.iter().zip(tables).filter_map(|(y, t)| Some((y.year, t.as_ref()?))).collect();
    let comparisons: Vec<Comparisons> =
        with.iter().flat_map(|&(y, t)| t.compare.iter().map(move |c| (y, c.depth, c.criteria.as_slice()))).collect();
    let losses_of = || with.iter().map(|&(y, t)| (y, t.losses.as_slice())).collect::<Vec<_>>();
    // Each table is built, written and dropped before the next: held all at once they
    // were the run's peak at 10,000 units (200 MB of columns).
    let all: [&dyn Fn() -> Table<'a>; 10] = [
        &|| rankings(a, &a.years),
        &|| losses(a, &losses_of()),
        &|| losses_district(&with.iter().map(|&(y, t)| (y, t.pareto.as_slice())).collect::<Vec<_>>()),
        &|| compare(a, &comparisons),
        &|| compare_stats(a, &comparisons),
        &|| gaps(a, &with.iter().map(|&(y, t)| (y, t.gaps.as_slice())).collect::<Vec<_>>()),
        &|| stability(a, &with.iter().map(|&(y, t)| (y, t.stability.as_slice())).collect::<Vec<_>>()),
        &|| trends(a, &trend::trends(a)),
        &|| followup(a, &with.iter().map(|&(y, t)| (y, t.followup.as_slice())).collect::<Vec<_>>()),
        &|| chronic(&with.iter().map(|&(y, t)| (y, t.chronic.as_slice())).collect::<Vec<_>>()),
    ];
    // Rounds only where some sheet records them (other folders keep their tables).
    let staged: Vec<(i32, Vec<UnitRounds>)> = a
        .years
        .iter()
        .filter(|y| y.has_criteria())
        .map(|y| (y.year, crate::analyse::rounds::rounds(a, y)))
        .filter(|(_, r)| !r.is_empty())
        .collect();
    let mut written = Vec::new();
    let mut write = |table: Table| -> Result<()> {
        let stem = table.stem;
        let mut df = table.frame().map_err(|e| table_error(&dir, e))?;
        written.extend(write_table(&mut df, &dir, stem)?);
        Ok(())
    };
    for build in all {
        write(build())?;
    }
    if !staged.is_empty() {
        write(rounds(a, &staged.iter().map(|(y, r)| (*y, r.as_slice())).collect::<Vec<_>>()))?;
    }
    Ok(written)
}
