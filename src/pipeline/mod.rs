//! The whole run, stage after stage: discover → read/detect/extract (parallel)
//! → identify units → framework per year → score and check → rank ([`analyse`]),
//! then the analyses, exports, workbooks and manifest ([`write_outputs`]). Commands
//! call [`analyse`] and report or export what it returns.

mod outputs;

pub use outputs::{WriteOptions, ranking_path, write_outputs};

use crate::analysis::origin;
pub use crate::analysis::{Analysis, InputRecord, Timings};
use crate::config::Settings;
use crate::error::Result;
use crate::model::diagnostic::{Diagnostic, Severity};
use crate::model::sheet::{Origin, ResultsTable, ScoreSheet, Source};
use crate::model::unit::{Unit, UnitId};
use crate::read;
use crate::read::discover::{self, Discovery};
use crate::resolve::framework;
use crate::resolve::identity;

use crate::score::{self, YearKind, YearResult};
use crate::validate;
use foldhash::{HashMap, HashMapExt, HashSet};
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

/// Files above which a progress bar is shown.
const PROGRESS_FROM: usize = 40;

/// Runs every stage up to ranking on an input folder, with its `cchc.toml` if it has one.
pub fn analyse(input: &Path) -> Result<Analysis> {
    analyse_with(input, Settings::for_input(input)?)
}

/// Runs every stage up to ranking on an input folder with the given settings.
pub fn analyse_with(input: &Path, settings: Settings) -> Result<Analysis> {
    let mut timings = Timings::default();
    let start = Instant::now();
    let discovery = discover::discover(input)?;
    let start = timings.lap("discover", start);
    let read = read_all(&discovery);
    let start = timings.lap("read", start);
    let Read { sheets, tables, order, mut diagnostics, inputs } = read;
    let origins: Vec<Origin> = order.iter().map(|&s| origin(&sheets, &tables, s)).collect();
    let (ids, id_diags) = identity::resolve(&origins);
    diagnostics.extend(id_diags);
    let district = majority_district(&origins);
    let mut unit_of: HashMap<Source, UnitId> = HashMap::with_capacity(order.len());
    for (&s, u) in order.iter().zip(&ids.of) {
        if let Some(u) = u {
            unit_of.insert(s, *u);
        }
    }
    let mut years = score_years(&sheets, &tables, &order, &unit_of, &ids.units, &settings, &mut diagnostics);
    let start = timings.lap("validate", start);
    let positions = crate::collate::Collator::new().positions(ids.units.iter().map(|u| u.name.as_str()));
    let alphabetical: Vec<usize> = ids.units.iter().map(|u| positions[u.name.as_str()]).collect();
    rank_years(&mut years, &sheets, &tables, &ids.units, &alphabetical, &settings, &mut diagnostics);
    timings.lap("analyse", start);
    Ok(Analysis {
        input: input.to_path_buf(),
        discovery,
        sheets,
        tables,
        order,
        units: ids.units,
        unit_of,
        years,
        district,
        diagnostics,
        alphabetical,
        inputs,
        timings,
        settings,
    })
}

/// What reading every file gave, in file order.
struct Read {
    sheets: Vec<ScoreSheet>,
    tables: Vec<ResultsTable>,
    order: Vec<Source>,
    diagnostics: Vec<Diagnostic>,
    inputs: Vec<InputRecord>,
}

/// Reads every file in parallel (a progress bar for large folders).
fn read_all(discovery: &Discovery) -> Read {
    let bar = if discovery.files.len() >= PROGRESS_FROM {
        let b = ProgressBar::new(discovery.files.len() as u64);
        b.set_style(ProgressStyle::with_template("Đọc tệp {bar:40} {pos}/{len} ({eta})").unwrap_or_else(|_| ProgressStyle::default_bar()));
        b
    } else {
        ProgressBar::hidden()
    };
    let limits = read::limits::Limits::default();
    let results: Vec<read::FileResult> = discovery
        .files
        .par_iter()
        .map(|f| {
            let r = read::read_file(f, &limits);
            bar.inc(1);
            r
        })
        .collect();
    bar.finish_and_clear();
    let mut out = Read { sheets: Vec::new(), tables: Vec::new(), order: Vec::new(), diagnostics: Vec::new(), inputs: Vec::new() };
    for (r, f) in results.into_iter().zip(&discovery.files) {
        let rows: usize = r.tables.iter().map(|t| t.rows.len()).sum();
        out.inputs.push(InputRecord { rel: f.rel.clone(), size: r.size, checksum: r.checksum, sheets: r.sheets.len() + rows });
        let (sheets, tables) = (out.sheets.len(), out.tables.len());
        out.diagnostics.extend(r.diagnostics.into_iter().map(|mut d| {
            d.source = d.source.map(|s| s.after(sheets, tables));
            d
        }));
        for s in r.sheets {
            out.order.push(Source::Sheet(out.sheets.len()));
            out.sheets.push(s);
        }
        for t in r.tables {
            let table = out.tables.len();
            out.order.extend((0..t.rows.len()).map(|row| Source::Published { table, row }));
            out.tables.push(t);
        }
    }
    out
}

/// Builds each year's framework from its scoring sheets and scores every unit's
/// source (a unit's second source of the year is reported, not scored). Years are
/// returned ascending, units unranked.
fn score_years(
    sheets: &[ScoreSheet],
    tables: &[ResultsTable],
    order: &[Source],
    unit_of: &HashMap<Source, UnitId>,
    units: &[Unit],
    settings: &Settings,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<YearResult> {
    let mut by_year: BTreeMap<i32, Vec<Source>> = BTreeMap::new();
    for &s in order.iter().filter(|s| unit_of.contains_key(s)) {
        by_year.entry(origin(sheets, tables, s).year).or_default().push(s);
    }
    let mut years = Vec::with_capacity(by_year.len());
    for (year, sources) in by_year {
        // The framework is what the year's scoring sheets state; results tables have none.
        let scoring: Vec<&ScoreSheet> =
            sources.iter().filter_map(|s| if let Source::Sheet(i) = s { Some(&sheets[*i]) } else { None }).collect();
        let fw = framework::build(year, &scoring);
        let kind = if fw.nodes.is_empty() { YearKind::TotalsOnly } else { YearKind::Criteria };
        if let Some(first) = scoring.first() {
            validate::check_framework(&fw, first, diagnostics);
        }
        let mut seen: HashMap<UnitId, Source> = HashMap::new();
        let jobs: Vec<(Source, UnitId, Option<Diagnostic>)> = sources
            .iter()
            .map(|&s| {
                let unit = unit_of[&s];
                let dup = seen
                    .get(&unit)
                    .map(|&first| validate::duplicate_unit(origin(sheets, tables, first), origin(sheets, tables, s), &units[unit].name));
                seen.entry(unit).or_insert(s);
                (s, unit, dup)
            })
            .collect();
        // Each source is scored and checked on its own, in parallel; problems stay in
        // input order so that runs agree.
        let scored: Vec<(Option<score::UnitResult>, Vec<Diagnostic>)> = jobs
            .into_par_iter()
            .map(|(s, unit, dup)| {
                if let Some(d) = dup {
                    return (None, vec![d]);
                }
                let mut found = Vec::new();
                let result = match s {
                    Source::Sheet(i) => {
                        let result = score::score_sheet(&sheets[i], i, unit, &fw, &settings.bands);
                        validate::check_sheet(&sheets[i], &units[unit].name, &fw, &result, &mut found);
                        result
                    }
                    Source::Published { table, row } => score::score_published(&tables[table].rows[row], s, unit, &settings.bands),
                };
                (Some(result), found)
            })
            .collect();
        let mut results = Vec::with_capacity(scored.len());
        for (result, found) in scored {
            results.extend(result);
            diagnostics.extend(found);
        }
        years.push(YearResult { year, kind, framework: fw, units: results });
    }
    years
}

/// Flags units whose sources carry errors, ranks each year, checks what results tables
/// print against the ranking, the framework against the year before, and links each
/// year to the one before.
fn rank_years(
    years: &mut [YearResult],
    sheets: &[ScoreSheet],
    tables: &[ResultsTable],
    units: &[Unit],
    alphabetical: &[usize],
    settings: &Settings,
    diagnostics: &mut Vec<Diagnostic>,
) {
    // A unit is flagged when an error is in its source (its sheet, or its row of a
    // results table).
    let flagged: HashSet<Source> = diagnostics.iter().filter(|d| d.severity == Severity::Error).filter_map(|d| d.source).collect();
    let mut found = Vec::new();
    for y in years.iter_mut() {
        for u in &mut y.units {
            u.flagged = flagged.contains(&u.source);
        }
        y.units.sort_by(|a, b| b.index.cmp(&a.index).then_with(|| alphabetical[a.unit.index()].cmp(&alphabetical[b.unit.index()])));
        score::assign_ranks(&mut y.units, settings.ranking.method, |u| settings.ranking.group_of(units[u].kind));
        validate::check_published(y, tables, units, &mut found);
    }
    diagnostics.extend(found);
    for pair in years.windows(2) {
        let first = pair[1]
            .units
            .iter()
            .filter_map(|u| if let Source::Sheet(i) = u.source { Some(&sheets[i]) } else { None })
            .min_by_key(|s| (&s.file, &s.sheet));
        if let Some(first) = first {
            validate::check_framework_change(&pair[0].framework, &pair[1].framework, first, diagnostics);
        }
    }
    for i in 0..years.len() {
        let (before, rest) = years.split_at_mut(i);
        score::link_previous(&mut rest[0], before.last());
    }
}

/// The district most titles name (each unit's source counts once).
fn majority_district(origins: &[Origin<'_>]) -> Option<String> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for d in origins.iter().filter_map(|o| o.district) {
        *counts.entry(d).or_default() += 1;
    }
    let best = counts.values().copied().max()?;
    counts.into_iter().find(|(_, n)| *n == best).map(|(d, _)| d.to_string())
}
