//! The whole run, stage after stage: discover → read/detect/extract (parallel)
//! → identify units → framework per year → score and check → rank ([`analyse`]),
//! then the analyses, exports, workbooks and manifest ([`write_outputs`]). Commands
//! call [`analyse`] and report or export what it returns.

mod outputs;

pub use outputs::{WriteOptions, ranking_path, write_documents, write_outputs};

use crate::config::{RegisteredUnit, Settings, UnitList};
use crate::error::Result;
use crate::findings::origin;
pub use crate::findings::{Findings, InputRecord, Timings};
use crate::model::diagnostic::{Diagnostic, Severity};
use crate::model::kind::Kind;
use crate::model::sheet::{Origin, ResultsTable, ScoreSheet, Source};
use crate::model::unit::{Unit, UnitId, UnitKind};
use crate::read;
use crate::read::discover::{self, Discovery};
use crate::resolve::framework;
use crate::resolve::identity;
use crate::resolve::registry;

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
pub fn analyse(input: &Path) -> Result<Findings> {
    analyse_with(input, Settings::for_input(input)?)
}

/// Runs every stage up to ranking on an input folder with the given settings.
pub fn analyse_with(input: &Path, settings: Settings) -> Result<Findings> {
    let mut timings = Timings::default();
    let start = Instant::now();
    crate::crash::set_stage(crate::crash::Stage::Read);
    let discovery = discover::discover(input)?;
    let registry = match &settings.units {
        Some(UnitList::File(path)) => read::lists::read_unit_list(path)?,
        Some(UnitList::Inline(units)) => units.clone(),
        None => Vec::new(),
    };
    let start = timings.lap("discover", start);
    // The office's units are units before they are labels in a matrix's header.
    let known: Vec<String> = registry.iter().flat_map(|u| std::iter::once(&u.name).chain(&u.formed_from)).cloned().collect();
    let read = read_all(&discovery, &known);
    let start = timings.lap("read", start);
    crate::crash::set_stage(crate::crash::Stage::Score);
    let Read { mut sheets, tables, order, mut diagnostics, inputs } = read;
    let origins: Vec<Origin> = order.iter().map(|&s| origin(&sheets, &tables, s)).collect();
    let (mut ids, id_diags) = identity::resolve(&origins, registry.is_empty());
    diagnostics.extend(id_diags);
    if !registry.is_empty() {
        diagnostics.extend(registry::apply(&mut ids, &registry, &origins));
    }
    diagnostics.extend(identity::spelling_warnings(&ids, &origins));
    let district = majority_district(&origins);
    let mut unit_of: HashMap<Source, UnitId> = HashMap::with_capacity(order.len());
    for (&s, u) in order.iter().zip(&ids.of) {
        if let Some(u) = u {
            unit_of.insert(s, *u);
        }
    }
    let mut years = score_years(&mut sheets, &tables, &order, &unit_of, &ids.units, &settings, &mut diagnostics)?;
    let missing = missing_submissions(&years, &ids.units, &registry, &mut diagnostics);
    let start = timings.lap("validate", start);
    let positions = crate::collate::Collator::new().positions(ids.units.iter().map(|u| u.name.as_str()));
    let alphabetical: Vec<usize> = ids.units.iter().map(|u| positions[u.name.as_str()]).collect();
    rank_years(&mut years, &sheets, &tables, &ids.units, &alphabetical, &settings, &mut diagnostics);
    timings.lap("analyse", start);
    crate::crash::set_stage(crate::crash::Stage::Analyse);
    Ok(Findings {
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
        registry,
        missing,
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
fn read_all(discovery: &Discovery, known: &[String]) -> Read {
    let bar = if discovery.files.len() >= PROGRESS_FROM {
        let b = ProgressBar::new(discovery.files.len() as u64);
        b.set_style(ProgressStyle::with_template("Đọc tệp {bar:40} {pos}/{len} ({eta})").unwrap_or_else(|_| ProgressStyle::default_bar()));
        b
    } else {
        ProgressBar::hidden()
    };
    let limits = read::limits::Limits::default();
    let mut results: Vec<read::FileResult> = discovery
        .files
        .par_iter()
        // A file a job: rayon's adaptive split otherwise leaves one thread reading the
        // last few hundred files alone (0.3 s at 10,000 sheets).
        .with_max_len(1)
        .map(|f| {
            let r = read::read_file_knowing(f, &limits, known);
            bar.inc(1);
            r
        })
        .collect();
    bar.finish_and_clear();
    reread_knowing_units(discovery, &mut results, known, &limits);
    let mut out = Read { sheets: Vec::new(), tables: Vec::new(), order: Vec::new(), diagnostics: Vec::new(), inputs: Vec::new() };
    for (r, f) in results.into_iter().zip(&discovery.files) {
        let rows: usize = r.tables.iter().map(|t| t.rows.len()).sum();
        out.inputs.push(InputRecord {
            rel: f.rel.clone(),
            size: r.size,
            checksum: r.checksum,
            sheets: r.sheets.len() + rows,
            accounts: r.accounts,
        });
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

/// A consolidated matrix that left a column aside (a note's, or a header nothing reads),
/// or a file where no table was found, is read again knowing the units the other files
/// name: a unit named like a label ("Lý Do") is a unit before it is a label. Kept where
/// it finds more units.
fn reread_knowing_units(discovery: &Discovery, results: &mut [read::FileResult], known: &[String], limits: &read::limits::Limits) {
    use crate::model::sheet::SheetShape;
    const READ: [&str; 4] = ["đơn vị", "mã", "tên tiêu chí", "điểm tối đa"];
    let aside = |r: &read::FileResult| {
        r.accounts
            .iter()
            .any(|a| a.shape == SheetShape::Matrix && (!a.ignored.is_empty() || a.columns.iter().any(|(role, _)| !READ.contains(role))))
            || r.diagnostics.iter().any(|d| d.kind == Kind::NoHeader)
    };
    let suspects: Vec<usize> = (0..results.len()).filter(|&i| aside(&results[i])).collect();
    if suspects.is_empty() {
        return;
    }
    // Every name read anywhere (a file's own names read again change nothing).
    let mut names: Vec<String> = known.to_vec();
    for r in results.iter() {
        names.extend(r.sheets.iter().filter_map(|s| s.unit.as_ref().map(|u| u.name.clone())));
        names.extend(r.tables.iter().flat_map(|t| t.rows.iter().map(|row| row.unit.name.clone())));
    }
    names.sort_unstable();
    names.dedup();
    // In parallel: a district's matrix files or a folder of headerless sheets can be many.
    let again: Vec<(usize, read::FileResult)> =
        suspects.into_par_iter().map(|i| (i, read::read_file_knowing(&discovery.files[i], limits, &names))).collect();
    for (i, again) in again {
        if again.sheets.len() > results[i].sheets.len() {
            results[i] = again;
        }
    }
}

/// Builds each year's framework from its scoring sheets and scores every unit's
/// source (a unit's second source of the year is reported, not scored). Years are
/// returned ascending, units unranked.
fn score_years(
    sheets: &mut [ScoreSheet],
    tables: &[ResultsTable],
    order: &[Source],
    unit_of: &HashMap<Source, UnitId>,
    units: &[Unit],
    settings: &Settings,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<Vec<YearResult>> {
    let mut by_year: BTreeMap<i32, Vec<Source>> = BTreeMap::new();
    for &s in order.iter().filter(|s| unit_of.contains_key(s)) {
        by_year.entry(origin(sheets, tables, s).year).or_default().push(s);
    }
    let mut years = Vec::with_capacity(by_year.len());
    for (year, sources) in by_year {
        // The framework is what the year's scoring sheets state; results tables have none.
        let scoring: Vec<(usize, UnitId)> =
            sources.iter().filter_map(|s| if let Source::Sheet(i) = s { Some((*i, unit_of[s])) } else { None }).collect();
        let (frameworks, labels, of_sheet) = year_frameworks(year, sheets, &scoring, units, settings)?;
        let framework_of: HashMap<usize, usize> = scoring.iter().zip(&of_sheet).map(|(&(i, _), &k)| (i, k)).collect();
        let fw = &frameworks[0];
        let kind = if fw.nodes.is_empty() { YearKind::TotalsOnly } else { YearKind::Criteria };
        for (k, f) in frameworks.iter().enumerate() {
            if let Some(&(first, _)) = scoring.iter().zip(&of_sheet).find(|(_, g)| **g == k).map(|(s, _)| s) {
                validate::check_framework(f, &sheets[first], diagnostics);
            }
        }
        if let Some(sv) = settings.survey.as_ref().filter(|_| kind == YearKind::Criteria) {
            let path = sv.file(&settings.base, year);
            let rows = if path.is_file() { read::lists::read_survey_table(&path, &sv.area) } else { Err("không có tệp".to_string()) };
            let file = path.strip_prefix(&settings.base).unwrap_or(&path).display().to_string().replace('\\', "/");
            let y = score::survey::YearSurvey { survey: sv, file, rows };
            diagnostics.extend(score::survey::apply(&y, fw, sheets, &scoring, units));
        }
        let year_in = YearSources { sheets, tables, unit_of, units, settings, frameworks: &frameworks, framework_of: &framework_of };
        let mut results = Vec::with_capacity(sources.len());
        for (result, found) in year_in.score(&sources) {
            results.extend(result);
            diagnostics.extend(found);
        }
        let mut frameworks = frameworks.into_iter();
        let framework = frameworks.next().unwrap_or_default();
        let other_frameworks = labels.iter().skip(1).cloned().zip(frameworks).collect();
        let groups = if labels.len() > 1 { labels } else { Vec::new() };
        years.push(YearResult { year, kind, framework, other_frameworks, groups, units: results });
    }
    Ok(years)
}

/// Each sheet's framework for a year: the decision's file (per group of units where it
/// has a group column), else the frameworks the sheets carry; with each framework's
/// label and, per scoring sheet, the framework it is checked against.
fn year_frameworks(
    year: i32,
    sheets: &[ScoreSheet],
    scoring: &[(usize, UnitId)],
    units: &[Unit],
    settings: &Settings,
) -> Result<(Vec<framework::Framework>, Vec<String>, Vec<usize>)> {
    let refs: Vec<&ScoreSheet> = scoring.iter().map(|&(i, _)| &sheets[i]).collect();
    let groups = framework::build_groups(year, &refs);
    match settings.frameworks.get(&year) {
        Some(path) => {
            let kinds: Vec<UnitKind> = scoring.iter().map(|&(_, u)| units[u].kind).collect();
            explicit_frameworks(year, path, &groups.frameworks[0], &kinds)
        }
        None => {
            let labels = group_labels(&groups, scoring, units);
            Ok((groups.frameworks, labels, groups.of_sheet))
        }
    }
}

/// What scoring a year's sources needs.
struct YearSources<'a> {
    sheets: &'a [ScoreSheet],
    tables: &'a [ResultsTable],
    unit_of: &'a HashMap<Source, UnitId>,
    units: &'a [Unit],
    settings: &'a Settings,
    frameworks: &'a [framework::Framework],
    /// The framework of each scoring sheet (by sheet index).
    framework_of: &'a HashMap<usize, usize>,
}

impl YearSources<'_> {
    /// Each source scored and checked on its own, in parallel; a unit's second source is
    /// a `duplicate_unit` problem instead. Problems stay in input order so that runs agree.
    fn score(&self, sources: &[Source]) -> Vec<(Option<score::UnitResult>, Vec<Diagnostic>)> {
        let (sheets, tables, units) = (self.sheets, self.tables, self.units);
        let mut seen: HashMap<UnitId, Source> = HashMap::new();
        let jobs: Vec<(Source, UnitId, Option<Diagnostic>)> = sources
            .iter()
            .map(|&s| {
                let unit = self.unit_of[&s];
                let dup = seen
                    .get(&unit)
                    .map(|&first| validate::duplicate_unit(origin(sheets, tables, first), origin(sheets, tables, s), &units[unit].name));
                seen.entry(unit).or_insert(s);
                (s, unit, dup)
            })
            .collect();
        jobs.into_par_iter()
            .map(|(s, unit, dup)| match dup {
                Some(d) => (None, vec![d]),
                None => {
                    let mut found = Vec::new();
                    let result = self.score_one(s, unit, &mut found);
                    (Some(result), found)
                }
            })
            .collect()
    }

    fn score_one(&self, s: Source, unit: UnitId, found: &mut Vec<Diagnostic>) -> score::UnitResult {
        let bands = &self.settings.bands;
        match s {
            Source::Sheet(i) => {
                let k = self.framework_of.get(&i).copied().unwrap_or(0);
                let fw = &self.frameworks[k];
                let mut result = score::score_sheet(&self.sheets[i], i, unit, fw, bands);
                result.framework = k;
                validate::check_sheet(&self.sheets[i], &self.units[unit].name, fw, &result, found);
                result
            }
            Source::Published { table, row } => {
                let t = &self.tables[table];
                score::score_published(t, &t.rows[row], s, unit, bands)
            }
        }
    }
}

/// Each framework's label: the kinds of the units whose sheets carry it ("xã",
/// "phường, thị trấn"), with its total where two would read alike.
fn group_labels(groups: &framework::Groups, scoring: &[(usize, UnitId)], units: &[Unit]) -> Vec<String> {
    let mut labels: Vec<String> = (0..groups.frameworks.len())
        .map(|k| {
            let mut kinds: Vec<UnitKind> =
                scoring.iter().zip(&groups.of_sheet).filter(|(_, g)| **g == k).map(|(&(_, u), _)| units[u].kind).collect();
            kinds.sort();
            kinds.dedup();
            kinds.iter().map(|k| k.label()).collect::<Vec<_>>().join(", ")
        })
        .collect();
    let repeated: Vec<bool> = labels.iter().map(|l| labels.iter().filter(|m| *m == l).count() > 1).collect();
    for (k, l) in labels.iter_mut().enumerate() {
        if repeated[k] {
            l.push_str(&format!(" (khung {} điểm)", groups.frameworks[k].total().to_vi()));
        }
    }
    labels
}

/// The frameworks of a year's decision (`[framework]` in cchc.toml): one, or one per
/// group where the file has a group column ("xã"; "phường, thị trấn"), each sheet
/// taking its unit's kind's group (else the first). The lower-case spellings the
/// sheets use are kept where the codes match theirs.
fn explicit_frameworks(
    year: i32,
    path: &Path,
    from_sheets: &framework::Framework,
    kinds: &[UnitKind],
) -> Result<(Vec<framework::Framework>, Vec<String>, Vec<usize>)> {
    let fail = |reason: String| crate::error::CchcError::Framework { path: path.to_path_buf(), reason };
    let rows = read::framework_file::read_framework_file(path).map_err(|e| crate::error::CchcError::FrameworkFile(e.into()))?;
    let (labels, mut frameworks): (Vec<String>, Vec<framework::Framework>) =
        framework::Framework::by_group(year, &rows).map_err(fail)?.into_iter().unzip();
    for fw in &mut frameworks {
        for n in &mut fw.nodes {
            n.lower_case_name = from_sheets.get(&n.code).and_then(|m| m.lower_case_name.clone());
        }
    }
    let of_sheet = kinds.iter().map(|&k| framework::group_of_kind(&labels, k)).collect();
    Ok((frameworks, labels, of_sheet))
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
        // The office's groups where it sets them, else one per framework the year has.
        if !settings.ranking.groups.is_empty() {
            y.groups = settings.ranking.groups.iter().map(|g| g.label.clone()).collect();
            for u in &mut y.units {
                u.group = settings.ranking.group_of(units[u.unit].kind);
            }
        } else if !y.groups.is_empty() {
            for u in &mut y.units {
                u.group = Some(u.framework);
            }
        }
        score::assign_ranks(&mut y.units, settings.ranking.method);
        validate::check_published(y, tables, units, &mut found);
        let place = |s: Source| {
            let o = origin(sheets, tables, s);
            (o.file.to_string(), o.sheet.to_string())
        };
        found.extend(validate::close_calls(y, units, place, &settings.bands, settings.ranking.close_margin));
    }
    diagnostics.extend(found);
    for pair in years.windows(2) {
        let first = pair[1]
            .units
            .iter()
            .filter_map(|u| if let Source::Sheet(i) = u.source { Some(&sheets[i]) } else { None })
            .min_by_key(|s| (&s.file, &s.sheet));
        if let Some(first) = first {
            validate::check_framework_change(
                &pair[0].framework,
                &pair[1].framework,
                first,
                |c| settings.code_in(pair[1].year, c),
                diagnostics,
            );
        }
    }
    for i in 0..years.len() {
        let (before, rest) = years.split_at_mut(i);
        score::link_previous(&mut rest[0], before.last());
    }
}

/// The listed units that exist in a year and sent no sheet, per year, each reported.
fn missing_submissions(
    years: &[YearResult],
    units: &[Unit],
    registry: &[RegisteredUnit],
    diagnostics: &mut Vec<Diagnostic>,
) -> BTreeMap<i32, Vec<String>> {
    let mut missing = BTreeMap::new();
    for y in years {
        let sent: HashSet<&str> = y.units.iter().map(|u| units[u.unit].name.as_str()).collect();
        let names: Vec<String> = registry
            .iter()
            .filter(|r| registry::exists_in(registry, r, y.year) && !sent.contains(r.name.as_str()))
            .map(|r| r.name.clone())
            .collect();
        for name in &names {
            diagnostics.push(
                Diagnostic::new(Kind::MissingSubmission, &format!("{}/", y.year), Some(y.year), &[("unit", name), ("year", &y.year)])
                    .for_unit(name),
            );
        }
        if !names.is_empty() {
            missing.insert(y.year, names);
        }
    }
    missing
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
