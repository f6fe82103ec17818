//! What the stages up to ranking found, as one record: the inputs read, the sheets and
//! results tables, the units, each year's ranked results and every problem.
//! [`crate::pipeline::analyse`] builds it; the analyses, exports and workbooks read it.

use crate::config::{RegisteredUnit, Settings};
use crate::error::{CchcError, Result};
use crate::model::diagnostic::Diagnostic;
use crate::model::sheet::{Origin, ResultsTable, ScoreSheet, Source};
use crate::model::unit::{Unit, UnitId};
use crate::read;
use crate::read::discover::Discovery;
use crate::score::{UnitResult, YearResult};
use foldhash::HashMap;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// Everything the stages up to ranking found: the run's record, which every later
/// stage reads.
#[derive(Debug)]
pub struct Findings {
    /// The input folder.
    pub input: PathBuf,
    /// Files found and skipped.
    pub discovery: Discovery,
    /// Every scoring sheet read, in file order.
    pub sheets: Vec<ScoreSheet>,
    /// Every published results table read (layout C), in file order.
    pub tables: Vec<ResultsTable>,
    /// Every source of a unit's result (sheets and results-table rows), in file order.
    pub order: Vec<Source>,
    /// Units across all years.
    pub units: Vec<Unit>,
    /// Unit of each source that could be named.
    pub unit_of: HashMap<Source, UnitId>,
    /// Results per year, ascending.
    pub years: Vec<YearResult>,
    /// District named in the sheets' titles, by majority.
    pub district: Option<String>,
    /// Every problem found.
    pub diagnostics: Vec<Diagnostic>,
    /// Each unit's position in Vietnamese alphabetical order (same order as `units`):
    /// ties and unranked lists sort by it without collating names again.
    pub alphabetical: Vec<usize>,
    /// Each workbook read, in `discovery.files` order: what the run manifest lists.
    pub inputs: Vec<InputRecord>,
    /// Time spent per stage, for `cchc run --timings` and the benchmark.
    pub timings: Timings,
    /// The office's settings (defaults without `cchc.toml`).
    pub settings: Settings,
    /// The office's unit list (`[units]`), empty without one.
    pub registry: Vec<RegisteredUnit>,
    /// Per year, the listed units that sent no sheet (registry order).
    pub missing: BTreeMap<i32, Vec<String>>,
}

/// One workbook read, as the run manifest records it.
#[derive(Debug, Clone)]
pub struct InputRecord {
    /// Path under the input folder.
    pub rel: String,
    /// Size in bytes (0 if it could not be read).
    pub size: u64,
    /// BLAKE3 checksum of its bytes, if it could be read.
    pub checksum: Option<String>,
    /// Sources found in it: scoring sheets, or the rows of a results table.
    pub sheets: usize,
    /// What each of its sheets was read as, column by column.
    pub accounts: Vec<crate::model::sheet::SheetAccount>,
}

/// Wall time per pipeline stage, in the order the stages ran.
#[derive(Debug, Default, Clone)]
pub struct Timings(Vec<StageTime>);

/// One stage's wall time, summed over its parts.
#[derive(Debug, Clone)]
struct StageTime {
    stage: &'static str,
    time: Duration,
}

impl Timings {
    /// Adds the time since `start` to `stage` (a stage may run in several parts, e.g.
    /// "analyse": the ranking, then the analysis tables) and returns a new start.
    pub fn lap(&mut self, stage: &'static str, start: Instant) -> Instant {
        let now = Instant::now();
        self.add(stage, now - start);
        now
    }

    /// Adds another part's stages (see [`Timings::lap`]).
    pub fn merge(&mut self, other: Timings) {
        for t in other.0 {
            self.add(t.stage, t.time);
        }
    }

    fn add(&mut self, stage: &'static str, time: Duration) {
        match self.0.iter_mut().find(|t| t.stage == stage) {
            Some(t) => t.time += time,
            None => self.0.push(StageTime { stage, time }),
        }
    }

    /// One line, e.g. `timings: discover=0.012 read=1.234 … total=2.345` (seconds).
    pub fn line(&self) -> String {
        let total: Duration = self.0.iter().map(|t| t.time).sum();
        let mut s = String::from("timings:");
        for t in &self.0 {
            s.push_str(&format!(" {}={:.3}", t.stage, t.time.as_secs_f64()));
        }
        s.push_str(&format!(" total={:.3}", total.as_secs_f64()));
        s
    }
}

impl Findings {
    /// Where a unit's result was read.
    pub fn origin(&self, s: Source) -> Origin<'_> {
        origin(&self.sheets, &self.tables, s)
    }

    /// The results of one year, or a clear error listing the years there are.
    pub fn year(&self, year: i32) -> Result<&YearResult> {
        self.years.iter().find(|y| y.year == year).ok_or_else(|| CchcError::YearMissing {
            year,
            available: self.years.iter().map(|y| y.year.to_string()).collect::<Vec<_>>().join(", "),
        })
    }

    /// The results of one year, for analyses that need criteria: a year known only
    /// from a published results table says so instead of inventing.
    pub fn year_with_leaves(&self, year: i32) -> Result<&YearResult> {
        let y = self.year(year)?;
        if y.has_criteria() { Ok(y) } else { Err(CchcError::NoLeaves(year)) }
    }

    /// The year asked for, else the most recent year with results.
    pub fn pick_year(&self, year: Option<i32>) -> i32 {
        year.or(self.latest_year()).unwrap_or_default()
    }

    /// The most recent year with results.
    fn latest_year(&self) -> Option<i32> {
        self.years.last().map(|y| y.year)
    }

    /// The office as documents name it: `[office] name`, else "UBND huyện X" from the
    /// district the titles name.
    pub fn office(&self) -> Option<String> {
        self.settings.office.clone().or_else(|| self.district.as_ref().map(|d| format!("UBND huyện {d}")))
    }

    /// The issuer of a letterhead, in capitals over two lines ("ỦY BAN NHÂN DÂN\nHUYỆN
    /// TRIỆU PHONG"): the configured office, else the district of the titles.
    pub fn issuer(&self) -> String {
        match (&self.settings.office, &self.district) {
            (Some(o), _) => {
                let folded = crate::text::fold(o);
                let rest = ["ubnd ", "uy ban nhan dan "]
                    .iter()
                    .find(|p| folded.starts_with(*p))
                    .map(|p| o.chars().skip(p.chars().count()).collect::<String>());
                match rest {
                    Some(r) => format!("ỦY BAN NHÂN DÂN\n{}", r.trim().to_uppercase()),
                    None => o.to_uppercase(),
                }
            }
            (None, Some(d)) => format!("ỦY BAN NHÂN DÂN\nHUYỆN {}", d.to_uppercase()),
            (None, None) => "ỦY BAN NHÂN DÂN HUYỆN".to_string(),
        }
    }

    /// A unit's standing for sentences: "1/18", with its group's rank where groups are
    /// set ("1/18, thứ 1/12 trong khối xã") and the listed units that sent nothing.
    pub fn standing(&self, y: &YearResult, u: &UnitResult) -> String {
        let mut s = format!("{}/{}", u.rank, y.units.len());
        if let Some(g) = self.group_standing(y, u) {
            s.push_str(", ");
            s.push_str(&g);
        }
        let missing = self.missing_in(y.year).len();
        if missing > 0 {
            s.push_str(&format!(" ({missing} đơn vị chưa nộp biểu)"));
        }
        s
    }

    /// A unit's rank in its group, where the year has groups: "thứ 1/12 trong khối xã".
    pub fn group_standing(&self, y: &YearResult, u: &UnitResult) -> Option<String> {
        let (label, r) = (y.group_of(u)?, u.group_rank?);
        let size = y.units.iter().filter(|x| x.group == u.group).count();
        Some(format!("thứ {r}/{size} trong khối {label}"))
    }

    /// The listed units of a year that sent no sheet.
    pub fn missing_in(&self, year: i32) -> &[String] {
        self.missing.get(&year).map_or(&[], Vec::as_slice)
    }

    /// Finds a unit by any spelling the reader accepts (tones, case, prefixes).
    pub fn find_unit(&self, name: &str) -> Option<UnitId> {
        let parsed = read::names::parse_unit_name(name, crate::model::sheet::NameSource::Title)?;
        crate::text::find_name(self.units.iter().map(|u| u.name.as_str()), &parsed.name).map(UnitId)
    }
}

/// Where a source was read.
pub(crate) fn origin<'a>(sheets: &'a [ScoreSheet], tables: &'a [ResultsTable], s: Source) -> Origin<'a> {
    match s {
        Source::Sheet(i) => sheets[i].origin(i),
        Source::Published { table, row } => tables[table].origin(table, row),
    }
}
