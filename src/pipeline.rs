//! The whole analysis, stage after stage: discover → read/detect/extract (parallel)
//! → identify units → framework per year → score → rank. Commands call [`analyse`]
//! and then report or export what it returns.

use crate::error::{CchcError, Result};
use crate::model::diagnostic::{Diagnostic, Severity};
use crate::model::kind::Kind;
use crate::model::sheet::ScoreSheet;
use crate::read;
use crate::read::discover::{self, Discovery};
use crate::resolve::framework;
use crate::resolve::identity::{self, Unit};

use crate::score::{self, YearResult};
use crate::text::toned_key;
use crate::validate;
use foldhash::{HashMap, HashMapExt};
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Files above which a progress bar is shown.
const PROGRESS_FROM: usize = 40;

/// Everything the analysis found.
#[derive(Debug)]
pub struct Analysis {
    /// The input folder.
    pub input: PathBuf,
    /// Files found and skipped.
    pub discovery: Discovery,
    /// Every scoring sheet read, in file order.
    pub sheets: Vec<ScoreSheet>,
    /// Units across all years.
    pub units: Vec<Unit>,
    /// Unit of each sheet (same order as `sheets`).
    pub sheet_unit: Vec<Option<usize>>,
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
    /// Scoring sheets found in it.
    pub sheets: usize,
}

/// Wall time per pipeline stage, in the order the stages ran.
#[derive(Debug, Default, Clone)]
pub struct Timings(pub Vec<(&'static str, Duration)>);

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
        for (stage, d) in other.0 {
            self.add(stage, d);
        }
    }

    fn add(&mut self, stage: &'static str, d: Duration) {
        match self.0.iter_mut().find(|(s, _)| *s == stage) {
            Some((_, total)) => *total += d,
            None => self.0.push((stage, d)),
        }
    }

    /// One line, e.g. `timings: discover=0.012 read=1.234 … total=2.345` (seconds).
    pub fn line(&self) -> String {
        let total: Duration = self.0.iter().map(|(_, d)| *d).sum();
        let mut s = String::from("timings:");
        for (stage, d) in &self.0 {
            s.push_str(&format!(" {stage}={:.3}", d.as_secs_f64()));
        }
        s.push_str(&format!(" total={:.3}", total.as_secs_f64()));
        s
    }
}

impl Analysis {
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
        if y.framework.nodes.is_empty() { Err(CchcError::NoLeaves(year)) } else { Ok(y) }
    }

    /// The year asked for, else the most recent year with results.
    pub fn pick_year(&self, year: Option<i32>) -> i32 {
        year.or(self.latest_year()).unwrap_or_default()
    }

    /// The most recent year with results.
    pub fn latest_year(&self) -> Option<i32> {
        self.years.last().map(|y| y.year)
    }

    /// Finds a unit by any spelling the reader accepts (tones, case, prefixes).
    pub fn find_unit(&self, name: &str) -> Option<usize> {
        let parsed = read::names::parse_unit_name(name, crate::model::sheet::NameSource::Title)?;
        let key = toned_key(&parsed.name);
        let folded = crate::text::fold(&parsed.name);
        self.units.iter().position(|u| toned_key(&u.name) == key).or_else(|| {
            let hits: Vec<usize> = (0..self.units.len()).filter(|&i| crate::text::fold(&self.units[i].name) == folded).collect();
            (hits.len() == 1).then(|| hits[0])
        })
    }
}

/// Runs every stage up to ranking on an input folder.
pub fn analyse(input: &Path) -> Result<Analysis> {
    let mut timings = Timings::default();
    let start = Instant::now();
    let discovery = discover::discover(input)?;
    let start = timings.lap("discover", start);
    let bar = if discovery.files.len() >= PROGRESS_FROM {
        let b = ProgressBar::new(discovery.files.len() as u64);
        b.set_style(ProgressStyle::with_template("Đọc tệp {bar:40} {pos}/{len} ({eta})").unwrap_or_else(|_| ProgressStyle::default_bar()));
        b
    } else {
        ProgressBar::hidden()
    };
    let results: Vec<read::FileResult> = discovery
        .files
        .par_iter()
        .map(|f| {
            let r = read::read_file(f);
            bar.inc(1);
            r
        })
        .collect();
    bar.finish_and_clear();
    let start = timings.lap("read", start);
    let mut sheets = Vec::new();
    let mut diagnostics = Vec::new();
    let mut inputs = Vec::with_capacity(results.len());
    for (r, f) in results.into_iter().zip(&discovery.files) {
        inputs.push(InputRecord { rel: f.rel.clone(), size: r.size, checksum: r.checksum, sheets: r.sheets.len() });
        sheets.extend(r.sheets);
        diagnostics.extend(r.diagnostics);
    }
    let (ids, id_diags) = identity::resolve(&sheets);
    diagnostics.extend(id_diags);
    let district = majority_district(&sheets);

    let mut by_year: BTreeMap<i32, Vec<usize>> = BTreeMap::new();
    for (i, s) in sheets.iter().enumerate() {
        if ids.of_sheet[i].is_some() {
            by_year.entry(s.year).or_default().push(i);
        }
    }
    let mut years: Vec<YearResult> = Vec::new();
    for (year, idxs) in by_year {
        let refs: Vec<&ScoreSheet> = idxs.iter().map(|&i| &sheets[i]).collect();
        let fw = framework::build(year, &refs);
        if let Some(first) = refs.iter().find(|s| s.published.is_none()) {
            validate::check_framework(&fw, first, &mut diagnostics);
        }
        // A unit's second sheet of the year is reported, not scored.
        let mut seen: HashMap<usize, usize> = HashMap::new();
        let jobs: Vec<(usize, usize, Option<Diagnostic>)> = idxs
            .iter()
            .map(|&i| {
                let unit = ids.of_sheet[i].expect("filtered");
                let dup = seen.get(&unit).map(|&first| duplicate(&sheets[first], &sheets[i], &ids.units[unit].name));
                seen.entry(unit).or_insert(i);
                (i, unit, dup)
            })
            .collect();
        // Each sheet is scored and checked on its own, in parallel; problems stay in
        // sheet order so that runs agree.
        let scored: Vec<(Option<score::UnitResult>, Vec<Diagnostic>)> = jobs
            .into_par_iter()
            .map(|(i, unit, dup)| {
                if let Some(d) = dup {
                    return (None, vec![d]);
                }
                let result = score::score_sheet(&sheets[i], i, unit, &fw);
                let mut found = Vec::new();
                if sheets[i].published.is_none() {
                    validate::check_sheet(&sheets[i], &ids.units[unit].name, &fw, &result, &mut found);
                }
                (Some(result), found)
            })
            .collect();
        let mut units = Vec::with_capacity(scored.len());
        for (result, found) in scored {
            units.extend(result);
            diagnostics.extend(found);
        }
        years.push(YearResult { year, framework: fw, units });
    }
    let start = timings.lap("validate", start);
    // Flag units whose sheets carry errors (a matrix sheet holds several units: the
    // diagnostic's unit, when named, tells which).
    let mut errors: HashMap<&str, Vec<&Diagnostic>> = HashMap::new();
    for d in diagnostics.iter().filter(|d| d.severity == Severity::Error) {
        errors.entry(d.file.as_str()).or_default().push(d);
    }
    let mut published_diags = Vec::new();
    let positions = crate::collate::Collator::new().positions(ids.units.iter().map(|u| u.name.as_str()));
    let alphabetical: Vec<usize> = ids.units.iter().map(|u| positions[u.name.as_str()]).collect();
    for y in &mut years {
        for u in &mut y.units {
            let s = &sheets[u.sheet];
            let name = ids.units[u.unit].name.as_str();
            u.flagged = errors.get(s.file.as_str()).is_some_and(|ds| {
                ds.iter().any(|d| d.sheet.as_deref().is_none_or(|sh| sh == s.sheet) && d.unit.as_deref().is_none_or(|un| un == name))
            });
        }
        y.units.sort_by(|a, b| b.index.cmp(&a.index).then_with(|| alphabetical[a.unit].cmp(&alphabetical[b.unit])));
        score::assign_ranks(&mut y.units);
        check_published(y, &sheets, &ids.units, &mut published_diags);
    }
    diagnostics.extend(published_diags);
    for pair in years.windows(2) {
        let first = pair[1].units.iter().map(|u| &sheets[u.sheet]).filter(|s| s.published.is_none()).min_by_key(|s| (&s.file, &s.sheet));
        if let Some(first) = first {
            validate::check_framework_change(&pair[0].framework, &pair[1].framework, first, &mut diagnostics);
        }
    }
    for i in 0..years.len() {
        let (before, rest) = years.split_at_mut(i);
        score::link_previous(&mut rest[0], before.last());
    }
    timings.lap("analyse", start);
    Ok(Analysis {
        input: input.to_path_buf(),
        discovery,
        sheets,
        units: ids.units,
        sheet_unit: ids.of_sheet,
        years,
        district,
        diagnostics,
        alphabetical,
        inputs,
        timings,
    })
}

/// A results table's printed rank and band against those computed from its totals.
fn check_published(y: &YearResult, sheets: &[ScoreSheet], units: &[Unit], out: &mut Vec<Diagnostic>) {
    for u in &y.units {
        let s = &sheets[u.sheet];
        let Some(p) = &s.published else { continue };
        let band_differs = p.band.as_deref().is_some_and(|b| crate::text::fold(b) != crate::text::fold(u.band.label()));
        if p.rank.is_some_and(|r| r != u.rank) || band_differs {
            let cell = crate::text::cell_ref(s.rows[0].row, s.columns.appraised as u32);
            out.push(
                Diagnostic::new(
                    Kind::PublishedRankMismatch,
                    &s.file,
                    Some(s.year),
                    &[
                        ("printed_rank", &p.rank.map_or("—".to_string(), |r| r.to_string())),
                        ("printed_band", &p.band.as_deref().unwrap_or("—")),
                        ("index", &u.index.to_vi()),
                        ("rank", &u.rank),
                        ("band", &u.band.label()),
                    ],
                )
                .in_sheet(&s.sheet)
                .at(cell)
                .for_unit(&units[u.unit].name),
            );
        }
    }
}

fn duplicate(first: &ScoreSheet, second: &ScoreSheet, unit: &str) -> Diagnostic {
    Diagnostic::new(
        Kind::DuplicateUnit,
        &second.file,
        Some(second.year),
        &[
            ("unit", &unit),
            ("year", &second.year),
            ("first_file", &first.file),
            ("first_sheet", &first.sheet),
            ("file", &second.file),
            ("sheet", &second.sheet),
        ],
    )
    .in_sheet(&second.sheet)
    .for_unit(unit)
}

fn majority_district(sheets: &[ScoreSheet]) -> Option<String> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for d in sheets.iter().filter_map(|s| s.district.as_deref()) {
        *counts.entry(d).or_default() += 1;
    }
    let best = counts.values().copied().max()?;
    counts.into_iter().find(|(_, n)| *n == best).map(|(d, _)| d.to_string())
}
