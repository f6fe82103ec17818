//! Every analysis as a flat table (Parquet and CSV under `output/tables/`), all years
//! stacked with a `year` column, for analysts and other tools: the same numbers the
//! workbooks show, in a shape polars, pandas or Excel's Power Query read directly.
//!
//! Each table is a row type (`rows!`): its columns are the struct's fields, in order,
//! their names and cell types fixed at compile time, so a missing or mistyped cell
//! cannot compile. [`Table`] renders the rows as a polars frame, for the Parquet and
//! CSV files and the commands' `--format csv` alike.

use crate::analyse::YearAnalyses;
use crate::analyse::compare::CriterionComparison;
use crate::analyse::followup::{Chronic, Status, UnitFollowup};
use crate::analyse::gap::Gap;
use crate::analyse::losses::{DistrictLeaf, Loss};
use crate::analyse::normalise::shared_text;
use crate::analyse::rounds::UnitRounds;
use crate::analyse::stability::WithoutArea;
use crate::analyse::trend::{self, UnitTrend};
use crate::error::Result;
use crate::findings::Findings;
use crate::model::code::Code;
use crate::model::points::{Hundredths, Percent, Points};
use crate::model::unit::UnitId;
use crate::score::YearResult;
use crate::write::export::{table_error, write_table};
use polars::prelude::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Folder of the analysis tables under the output folder.
const TABLES_DIR: &str = "tables";

/// What a table's cell can be, and how a column of such cells becomes a polars column:
/// whole numbers (years, ranks, counts), points and percentages (exact hundredths,
/// written as decimals: the only place they become floats), and text.
pub trait Cell {
    /// The columns of these cells: one, named `name`; a [`Spread`] gives one per name
    /// in `spread`.
    fn columns<'c>(name: &str, cells: impl Iterator<Item = &'c Self>, spread: &[String]) -> Vec<Column>
    where
        Self: 'c;

    /// The cell as JSON, under `name` in `record` (a [`Spread`]: one entry per name in
    /// `spread`). Points and percentages are decimals, absent cells `null`.
    fn json(&self, name: &str, spread: &[String], record: &mut JsonRecord);
}

/// One row as a JSON object, its columns in table order.
pub type JsonRecord = serde_json::Map<String, serde_json::Value>;

macro_rules! number_cell {
    ($t:ty, $out:ty, $conv:expr) => {
        impl Cell for $t {
            fn columns<'c>(name: &str, cells: impl Iterator<Item = &'c Self>, _: &[String]) -> Vec<Column> {
                let conv: fn(&$t) -> $out = $conv;
                vec![Column::new(name.into(), cells.map(conv).collect::<Vec<_>>())]
            }

            fn json(&self, name: &str, _: &[String], record: &mut JsonRecord) {
                let conv: fn(&$t) -> $out = $conv;
                record.insert(name.to_string(), serde_json::json!(conv(self)));
            }
        }
    };
}

number_cell!(i64, Option<i64>, |v| Some(*v));
number_cell!(Option<i64>, Option<i64>, |v| *v);
number_cell!(Points, Option<f64>, |v| Some(v.as_f64()));
number_cell!(Option<Points>, Option<f64>, |v| v.map(Hundredths::as_f64));
number_cell!(Percent, Option<f64>, |v| Some(v.as_f64()));
number_cell!(Option<Percent>, Option<f64>, |v| v.map(Hundredths::as_f64));

/// A text cell, maybe absent.
trait Text {
    fn text(&self) -> Option<&str>;
}

impl Text for &str {
    fn text(&self) -> Option<&str> {
        Some(self)
    }
}

impl Text for Option<&str> {
    fn text(&self) -> Option<&str> {
        *self
    }
}

impl Text for String {
    fn text(&self) -> Option<&str> {
        Some(self)
    }
}

impl Text for Option<String> {
    fn text(&self) -> Option<&str> {
        self.as_deref()
    }
}

/// Text cells: each distinct text stored once in the column (`shared_text`).
impl<T: Text> Cell for T {
    fn columns<'c>(name: &str, cells: impl Iterator<Item = &'c Self>, _: &[String]) -> Vec<Column>
    where
        Self: 'c,
    {
        vec![shared_text(name, cells.map(Text::text))]
    }

    fn json(&self, name: &str, _: &[String], record: &mut JsonRecord) {
        record.insert(name.to_string(), serde_json::json!(self.text()));
    }
}

/// Points in as many columns as the table names at run time (`area_1` …, `round_1` …).
#[derive(Debug, Clone, Default)]
pub struct Spread(pub Vec<Option<Points>>);

impl Cell for Spread {
    fn columns<'c>(_: &str, cells: impl Iterator<Item = &'c Self>, spread: &[String]) -> Vec<Column> {
        let cells: Vec<&Spread> = cells.collect();
        let at = |k: usize| cells.iter().map(|c| c.0.get(k).copied().flatten().map(Hundredths::as_f64)).collect::<Vec<_>>();
        spread.iter().enumerate().map(|(k, name)| Column::new(name.as_str().into(), at(k))).collect()
    }

    fn json(&self, _: &str, spread: &[String], record: &mut JsonRecord) {
        for (k, name) in spread.iter().enumerate() {
            record.insert(name.clone(), serde_json::json!(self.0.get(k).copied().flatten().map(Hundredths::as_f64)));
        }
    }
}

/// A table's row type: its file stem and its columns, in order.
pub trait Row: Sized {
    /// File stem under `output/tables/` ("losses").
    const STEM: &'static str;
    /// The columns of these rows; `spread` names the columns of a [`Spread`] field.
    fn columns(rows: &[Self], spread: &[String]) -> Vec<Column>;
    /// This row as a JSON object, the same columns in the same order.
    fn json(&self, spread: &[String]) -> JsonRecord;
}

/// Declares table row types: a struct per table whose fields are its columns, in
/// order (`field("name")` where the column's name is no Rust name, as `self`). Every
/// row borrows some text from the run (`'a`).
macro_rules! rows {
    ($( $(#[$meta:meta])* $row:ident $stem:literal { $( $(#[$fmeta:meta])* $field:ident $(($column:literal))? : $t:ty ),* $(,)? } )*) => {$(
        $(#[$meta])*
        #[derive(Debug, Clone)]
        pub struct $row<'a> {
            $(
                $(#[$fmeta])*
                #[doc = concat!("The `", rows!(@name $field $($column)?), "` column.")]
                pub $field: $t,
            )*
        }

        impl Row for $row<'_> {
            const STEM: &'static str = $stem;
            fn columns(rows: &[Self], spread: &[String]) -> Vec<Column> {
                let mut out = Vec::new();
                $( out.extend(Cell::columns(rows!(@name $field $($column)?), rows.iter().map(|r| &r.$field), spread)); )*
                out
            }

            fn json(&self, spread: &[String]) -> JsonRecord {
                let mut record = JsonRecord::new();
                $( Cell::json(&self.$field, rows!(@name $field $($column)?), spread, &mut record); )*
                record
            }
        }
    )*};
    (@name $field:ident) => { stringify!($field) };
    (@name $field:ident $column:literal) => { $column };
}

/// One table's rows, ready to render: the columns some tables only have under some
/// settings are named in `omit` where absent, and a [`Spread`] field's in `spread`.
pub struct Table<R> {
    rows: Vec<R>,
    spread: Vec<String>,
    omit: Vec<&'static str>,
}

impl<R: Row> Table<R> {
    /// The table of `rows`.
    pub fn new(rows: Vec<R>) -> Table<R> {
        Table { rows, spread: Vec::new(), omit: Vec::new() }
    }

    /// File stem ("losses").
    pub fn stem(&self) -> &'static str {
        R::STEM
    }

    /// The table as a polars frame.
    pub fn frame(&self) -> PolarsResult<DataFrame> {
        let mut columns = R::columns(&self.rows, &self.spread);
        columns.retain(|c| !self.omit.contains(&c.name().as_str()));
        DataFrame::new_infer_height(columns)
    }

    /// The rows as JSON objects, one a row, with the columns of [`Table::frame`] (for
    /// `--format json`).
    pub fn records(&self) -> Vec<serde_json::Value> {
        let record = |r: &R| {
            let mut record = r.json(&self.spread);
            record.retain(|name, _| !self.omit.contains(&name.as_str()));
            serde_json::Value::Object(record)
        };
        self.rows.iter().map(record).collect()
    }

    /// The table as CSV text, as the exports write it (for `--format csv`).
    pub fn csv(&self) -> PolarsResult<String> {
        let df = self.frame()?;
        let mut out = Vec::new();
        crate::write::csv::write_csv(&df, &mut out)?;
        Ok(String::from_utf8(out).expect("polars writes UTF-8"))
    }
}

/// Each year's rows with their year: the builders' input, all years stacked.
fn per_year<'a, T>(years: &[(i32, &'a [T])]) -> impl Iterator<Item = (i32, &'a T)> {
    years.iter().flat_map(|&(year, rows)| rows.iter().map(move |r| (year, r)))
}

rows! {
    /// A unit's result in a year (`rankings.csv`, `cchc rank --format csv`).
    RankingRow "rankings" {
        year: i64, rank: i64,
        /// Absent where no year has groups.
        group: Option<&'a str>,
        /// Absent where no year has groups.
        group_rank: Option<i64>,
        unit: &'a str, kind: &'a str, index: Points, band: &'a str, points: Points, applicable_max: Points,
        bonus: Points, penalty: Points, self_index: Option<Points>, self_rank: Option<i64>, rank_change: Option<i64>,
        index_change: Option<Points>, flagged: i64,
        /// `area_<code>`: each area's points, for every area any year has.
        areas: Spread,
    }
    /// A leaf below max.
    LossRow "losses" {
        year: i64, unit: &'a str, code: &'a str, name: &'a str, max: Points, score: Points, lost: Points,
        share_of_unit_loss: Percent, note: Option<&'a str>,
    }
    /// A leaf against the year before.
    FollowupRow "followup" {
        year: i64, previous: Option<i64>, unit: &'a str, code: &'a str, name: &'a str, status: &'a str, max: Points,
        score: Points, score_before: Option<Points>, lost: Points, lost_before: Option<Points>, note: Option<&'a str>,
        note_before: Option<&'a str>,
    }
    /// A chronic weak criterion.
    ChronicRow "chronic" {
        year: i64, code: &'a str, name: &'a str, years: i64, units_losing: i64, units_applicable: i64, units_repeating: i64,
    }
    /// A leaf in the district Pareto.
    DistrictLossRow "losses_district" {
        year: i64, code: &'a str, name: &'a str, lost: Points, units_losing: i64, units_full_marks: i64,
        units_applicable: i64, share: Percent, cumulative_share: Percent,
    }
    /// A unit on a compared criterion.
    CompareRow "compare" {
        year: i64, level: i64, code: &'a str, name: &'a str, unit: &'a str, points: Points, max: Points,
        percent: Option<Percent>, rank: Option<i64>,
    }
    /// A compared criterion's district statistics.
    CompareStatsRow "compare_stats" {
        year: i64, level: i64, code: &'a str, name: &'a str, max: Points, mean_percent: Percent, median_percent: Percent,
        min_percent: Percent, max_percent: Percent, best: String, worst: String,
    }
    /// A leaf where self-assessed and appraised differ.
    GapRow "gap" {
        year: i64, unit: &'a str, code: &'a str, name: &'a str, self_score("self"): Points, appraised: Points, gap: Points,
    }
    /// A unit's rank with one area left out.
    StabilityRow "stability" {
        year: i64, area_left_out: &'a str, unit: &'a str, rank: i64, index_without: Points, rank_without: i64, shift: i64,
    }
    /// A unit's stages (code empty: its totals) or a leaf a stage changed.
    RoundsRow "rounds" {
        year: i64, unit: &'a str, code: Option<&'a str>, name: Option<&'a str>, max: Option<Points>,
        self_score("self"): Option<Points>,
        /// `round_1` … `round_N`.
        rounds: Spread,
        deduction: Option<Points>, official: Option<Points>,
    }
    /// A unit in a year of its trend.
    TrendRow "trend" {
        unit: &'a str, kind: &'a str, year: i64, index: Points, rank: i64, band: &'a str, index_change: Option<Points>,
        rank_change: Option<i64>,
        /// Absent without a merger.
        formed_from: Option<String>,
        /// Absent without a merger.
        merged_into: Option<&'a str>,
        /// Absent without a merger.
        predecessors_mean_index: Option<Points>,
    }
    /// A unit against the district on a criterion (`cchc unit --format csv`).
    UnitVersusRow "unit" {
        unit: &'a str, year: i64, code: &'a str, name: &'a str, percent: Percent, district_mean: Percent, difference: Percent,
    }
}

/// The ranking of each year, with what the index rests on (applicable max, bonus,
/// penalty), whether the unit's data carries errors, and each area's points:
/// `area_<code>` for every area any of the years has, in code order (empty where a
/// year has no such area). `rankings.csv` and `cchc rank --format csv` are this table.
pub fn rankings<'a>(a: &'a Findings, years: &'a [YearResult]) -> Table<RankingRow<'a>> {
    let mut areas: Vec<&Code> = years.iter().flat_map(|y| y.framework.areas().map(|n| &n.code)).collect();
    areas.sort();
    areas.dedup();
    let rows = years
        .iter()
        .flat_map(|y| y.units.iter().map(move |u| (y, u)))
        .map(|(y, u)| RankingRow {
            year: y.year.into(),
            rank: u.rank.into(),
            group: y.group_of(u),
            group_rank: u.group_rank.map(i64::from),
            unit: &a.units[u.unit].name,
            kind: a.units[u.unit].kind.label(),
            index: u.index,
            band: u.band.label(),
            points: u.points,
            applicable_max: u.applicable_max,
            bonus: u.bonus,
            penalty: u.penalty,
            self_index: u.self_index,
            self_rank: u.self_rank.map(i64::from),
            rank_change: u.rank_change,
            index_change: u.index_change,
            flagged: u.flagged.into(),
            areas: Spread(areas.iter().map(|code| u.areas.iter().find(|ar| &ar.code == *code).map(|ar| ar.points)).collect()),
        })
        .collect();
    let grouped = years.iter().any(|y| !y.groups.is_empty());
    Table {
        rows,
        spread: areas.iter().map(|c| format!("area_{c}")).collect(),
        omit: if grouped { Vec::new() } else { vec!["group", "group_rank"] },
    }
}

/// Every leaf below max, with its share of its unit's loss in the year (%).
pub fn losses<'a>(a: &'a Findings, years: &[(i32, &'a [Loss])]) -> Table<LossRow<'a>> {
    let mut rows = Vec::new();
    for &(year, losses) in years {
        let mut unit_total: HashMap<UnitId, Points> = HashMap::new();
        for l in losses {
            *unit_total.entry(l.unit).or_default() += l.lost;
        }
        rows.extend(losses.iter().map(|l| LossRow {
            year: year.into(),
            unit: &a.units[l.unit].name,
            code: &l.code,
            name: &l.name,
            max: l.max,
            score: l.score,
            lost: l.lost,
            share_of_unit_loss: Percent::of(l.lost, unit_total[&l.unit]),
            note: l.note.as_deref(),
        }));
    }
    Table::new(rows)
}

/// Each unit's leaves against the year before, every leaf whose status is not
/// `kept` (`followup.csv` and `cchc followup --format csv`).
pub fn followup<'a>(a: &'a Findings, years: &[(i32, &'a [UnitFollowup])]) -> Table<FollowupRow<'a>> {
    let rows = per_year(years)
        .flat_map(|(year, u)| u.leaves.iter().filter(|l| l.status != Status::Kept).map(move |l| (year, u, l)))
        .map(|(year, u, l)| FollowupRow {
            year: year.into(),
            previous: u.previous.map(i64::from),
            unit: &a.units[u.unit].name,
            code: &l.code,
            name: &l.name,
            status: l.status.name(),
            max: l.max,
            score: l.score,
            score_before: l.before.as_ref().map(|b| b.0),
            lost: l.lost,
            lost_before: l.before.as_ref().map(|b| b.1),
            note: l.note.as_deref(),
            note_before: l.before.as_ref().and_then(|b| b.2.as_deref()),
        })
        .collect();
    Table::new(rows)
}

/// A count as a table's whole number.
fn count(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// The district's chronic weak criteria per year.
pub fn chronic<'a>(years: &[(i32, &'a [Chronic])]) -> Table<ChronicRow<'a>> {
    let rows = per_year(years)
        .map(|(year, c)| ChronicRow {
            year: year.into(),
            code: &c.code,
            name: &c.name,
            years: count(c.years),
            units_losing: count(c.units_losing),
            units_applicable: count(c.units_applicable),
            units_repeating: count(c.units_repeating),
        })
        .collect();
    Table::new(rows)
}

/// The district Pareto of lost points.
pub fn losses_district<'a>(years: &[(i32, &'a [DistrictLeaf])]) -> Table<DistrictLossRow<'a>> {
    let rows = per_year(years)
        .map(|(year, d)| DistrictLossRow {
            year: year.into(),
            code: &d.code,
            name: &d.name,
            lost: d.lost,
            units_losing: count(d.units_losing),
            units_full_marks: count(d.full_marks()),
            units_applicable: count(d.units_applicable),
            share: d.share,
            cumulative_share: d.cumulative,
        })
        .collect();
    Table::new(rows)
}

/// A year's comparisons at each depth: `(year, depth, comparisons)`.
type Comparisons<'a> = (i32, usize, &'a [CriterionComparison]);

/// Every unit on every compared criterion: points, max, % and rank.
pub fn compare<'a>(a: &'a Findings, years: &[Comparisons<'a>]) -> Table<CompareRow<'a>> {
    let rows = years
        .iter()
        .flat_map(|&(year, depth, comparisons)| comparisons.iter().map(move |c| (year, depth, c)))
        .flat_map(|(year, depth, c)| c.units.iter().map(move |u| (year, depth, c, u)))
        .map(|(year, depth, c, u)| CompareRow {
            year: year.into(),
            level: count(depth),
            code: &c.node.code,
            name: &c.node.name,
            unit: &a.units[u.unit].name,
            points: u.points,
            max: u.max,
            percent: u.percent,
            rank: (u.rank > 0).then_some(u.rank.into()),
        })
        .collect();
    Table::new(rows)
}

/// The district statistics of each compared criterion, with its best and worst units.
pub fn compare_stats<'a>(a: &'a Findings, years: &[Comparisons<'a>]) -> Table<CompareStatsRow<'a>> {
    let names = |us: Vec<UnitId>| us.into_iter().map(|u| a.units[u].name.as_str()).collect::<Vec<_>>().join("; ");
    let rows = years
        .iter()
        .flat_map(|&(year, depth, comparisons)| comparisons.iter().map(move |c| (year, depth, c)))
        .map(|(year, depth, c)| CompareStatsRow {
            year: year.into(),
            level: count(depth),
            code: &c.node.code,
            name: &c.node.name,
            max: c.node.max,
            mean_percent: c.mean,
            median_percent: c.median,
            min_percent: c.min,
            max_percent: c.max,
            best: names(c.best()),
            worst: names(c.worst()),
        })
        .collect();
    Table::new(rows)
}

/// Every leaf where self-assessed and appraised differ.
pub fn gaps<'a>(a: &'a Findings, years: &[(i32, &'a [Gap])]) -> Table<GapRow<'a>> {
    let rows = per_year(years)
        .map(|(year, g)| GapRow {
            year: year.into(),
            unit: &a.units[g.unit].name,
            code: &g.code,
            name: &g.name,
            self_score: g.self_score,
            appraised: g.appraised,
            gap: g.gap,
        })
        .collect();
    Table::new(rows)
}

/// The ranking with each area left out, and how far each unit moves.
pub fn stability<'a>(a: &'a Findings, years: &[(i32, &'a [WithoutArea])]) -> Table<StabilityRow<'a>> {
    let rows = per_year(years)
        .flat_map(|(year, w)| w.units.iter().map(move |m| (year, w, m)))
        .map(|(year, w, m)| StabilityRow {
            year: year.into(),
            area_left_out: &w.area,
            unit: &a.units[m.unit].name,
            rank: m.rank.into(),
            index_without: m.index_without,
            rank_without: m.rank_without.into(),
            shift: m.shift(),
        })
        .collect();
    Table::new(rows)
}

/// Each unit's stages where its sheet records several rounds or deductions: one row
/// for the unit's totals (code empty) and one per leaf a stage changed; round_1 …
/// round_N as many as the sheets have.
pub fn rounds<'a>(a: &'a Findings, years: &[(i32, &'a [UnitRounds])]) -> Table<RoundsRow<'a>> {
    let most = years.iter().flat_map(|(_, us)| us.iter().map(|u| u.labels.len())).max().unwrap_or(0);
    let mut rows = Vec::new();
    for &(year, units) in years {
        for u in units {
            let lines = std::iter::once((None, &u.totals)).chain(u.leaves.iter().map(|l| (Some(l), &l.stages)));
            rows.extend(lines.map(|(leaf, st)| RoundsRow {
                year: year.into(),
                unit: &a.units[u.unit].name,
                code: leaf.map(|l| l.code.as_str()),
                name: leaf.map(|l| l.name.as_str()),
                max: leaf.map(|l| l.max),
                self_score: st.self_score,
                rounds: Spread((0..most).map(|k| st.rounds.get(k).copied().flatten()).collect()),
                deduction: st.deduction,
                official: st.official,
            }));
        }
    }
    Table { rows, spread: (1..=most).map(|k| format!("round_{k}")).collect(), omit: Vec::new() }
}

/// Each unit across the years: index, rank, band and their changes. Where units
/// merged (`formed_from` in the unit list): what each row's unit was formed from or
/// merged into, and the predecessors' mean index the year before the merger; absent
/// without a merger, so other folders keep the table's shape.
pub fn trends<'a>(a: &'a Findings, trends: &'a [UnitTrend]) -> Table<TrendRow<'a>> {
    let merged: Vec<Option<trend::Merger>> = trends.iter().map(|u| trend::merger(a, u.unit)).collect();
    let with_merger = merged.iter().any(Option::is_some);
    let into = |name: &str| a.registry.iter().find(|r| r.formed_from.iter().any(|f| f == name)).map(|r| (r.name.as_str(), r.since));
    let mut rows = Vec::new();
    for (u, merger) in trends.iter().zip(&merged) {
        let name = a.units[u.unit].name.as_str();
        let from = merger.as_ref().map(|m| m.predecessors.iter().map(|p| p.name.as_str()).collect::<Vec<_>>().join("; "));
        rows.extend(
            u.points.iter().map(|p| TrendRow {
                unit: name,
                kind: a.units[u.unit].kind.label(),
                year: p.year.into(),
                index: p.result.index,
                rank: p.result.rank.into(),
                band: p.result.band.label(),
                index_change: p.result.index_change,
                rank_change: p.result.rank_change,
                formed_from: from.clone(),
                merged_into: into(name).filter(|(_, since)| since.is_some_and(|s| p.year < s)).map(|(n, _)| n),
                predecessors_mean_index: merger
                    .as_ref()
                    .filter(|m| m.since == p.year)
                    .and_then(|m| m.means.iter().rev().find(|(y, _)| *y < p.year))
                    .map(|(_, v)| *v),
            }),
        );
    }
    let omit = if with_merger { Vec::new() } else { vec!["formed_from", "merged_into", "predecessors_mean_index"] };
    Table { rows, spread: Vec::new(), omit }
}

/// Writes every analysis table; `tables` are each year's analyses, in `a.years`
/// order. Returns the paths written.
pub fn write_all(a: &Findings, tables: &[Option<YearAnalyses>], output: &Path) -> Result<Vec<PathBuf>> {
    let dir = output.join(TABLES_DIR);
    let with: Vec<(i32, &YearAnalyses)> = a.years.iter().zip(tables).filter_map(|(y, t)| Some((y.year, t.as_ref()?))).collect();
    let comparisons: Vec<Comparisons> =
        with.iter().flat_map(|&(y, t)| t.compare.iter().map(move |c| (y, c.depth, c.criteria.as_slice()))).collect();
    let units_over_years = trend::trends(a);
    let mut written = Vec::new();
    // Each table is built, written and dropped before the next: held all at once they
    // were the run's peak at 10,000 units (200 MB of columns).
    let mut write = |stem: &str, df: PolarsResult<DataFrame>| -> Result<()> {
        written.extend(write_table(&mut df.map_err(|e| table_error(&dir, e))?, &dir, stem)?);
        Ok(())
    };
    macro_rules! export {
        ($table:expr) => {{
            let table = $table;
            write(table.stem(), table.frame())?;
        }};
    }
    export!(rankings(a, &a.years));
    export!(losses(a, &with.iter().map(|&(y, t)| (y, t.losses.as_slice())).collect::<Vec<_>>()));
    export!(losses_district(&with.iter().map(|&(y, t)| (y, t.pareto.as_slice())).collect::<Vec<_>>()));
    export!(compare(a, &comparisons));
    export!(compare_stats(a, &comparisons));
    export!(gaps(a, &with.iter().map(|&(y, t)| (y, t.gaps.as_slice())).collect::<Vec<_>>()));
    export!(stability(a, &with.iter().map(|&(y, t)| (y, t.stability.as_slice())).collect::<Vec<_>>()));
    export!(trends(a, &units_over_years));
    export!(followup(a, &with.iter().map(|&(y, t)| (y, t.followup.as_slice())).collect::<Vec<_>>()));
    export!(chronic(&with.iter().map(|&(y, t)| (y, t.chronic.as_slice())).collect::<Vec<_>>()));
    // Rounds only where some sheet records them (other folders keep their tables).
    let staged: Vec<(i32, Vec<UnitRounds>)> = a
        .years
        .iter()
        .filter(|y| y.has_criteria())
        .map(|y| (y.year, crate::analyse::rounds::rounds(a, y)))
        .filter(|(_, r)| !r.is_empty())
        .collect();
    if !staged.is_empty() {
        export!(rounds(a, &staged.iter().map(|(y, r)| (*y, r.as_slice())).collect::<Vec<_>>()));
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Points {
        crate::model::points::parse_points_text(s).unwrap()
    }

    #[test]
    fn a_tables_json_has_its_frames_columns_and_values() {
        let rows = vec![
            RoundsRow {
                year: 2024,
                unit: "Long Hải",
                code: Some("1.1"),
                name: Some("Ban hành kế hoạch"),
                max: Some(p("2")),
                self_score: Some(p("2")),
                rounds: Spread(vec![Some(p("1.5")), None]),
                deduction: None,
                official: Some(p("1.25")),
            },
            RoundsRow {
                year: 2024,
                unit: "Phước Hải",
                code: None,
                name: None,
                max: None,
                self_score: None,
                rounds: Spread(vec![Some(p("88.04")), Some(p("87.9"))]),
                deduction: Some(p("0.5")),
                official: Some(p("87.4")),
            },
        ];
        let mut table = Table::new(rows);
        table.spread = vec!["round_1".into(), "round_2".into()];
        table.omit = vec!["deduction"];
        let frame = table.frame().unwrap();
        let records = table.records();
        let names: Vec<&str> = frame.get_column_names().iter().map(|n| n.as_str()).collect();
        for (i, record) in records.iter().enumerate() {
            let keys: Vec<&str> = record.as_object().unwrap().keys().map(String::as_str).collect();
            assert_eq!(keys, names, "record {i}");
            for name in &names {
                let cell = frame.column(name).unwrap().get(i).unwrap();
                let want = match cell {
                    AnyValue::Null => serde_json::Value::Null,
                    AnyValue::Int64(v) => serde_json::json!(v),
                    AnyValue::Float64(v) => serde_json::json!(v),
                    other => serde_json::json!(other.get_str().map(str::to_string).unwrap_or_else(|| other.to_string())),
                };
                assert_eq!(record[*name], want, "record {i}, column {name}");
            }
        }
        assert_eq!(records[0]["round_2"], serde_json::Value::Null);
        assert_eq!(records[1]["official"], serde_json::json!(87.4));
        assert_eq!(records[0]["self"], serde_json::json!(2.0));
    }
}
