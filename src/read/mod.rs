//! The reading stage: find the input files ([`discover`]), read each workbook into
//! grids ([`workbook`]), find each sheet's layout ([`layout`]), extract its rows
//! ([`extract`]) and name its unit ([`names`]). [`read_file`] does all of it for
//! one file. Files are independent, so this runs in parallel; every problem becomes
//! a diagnostic and the other files go on.

pub mod account;
pub mod discover;
pub mod extract;
pub mod framework_file;
pub mod layout;
pub mod limits;
pub mod lists;
pub mod names;
pub mod results;
pub mod tree;
pub mod vocabulary;
pub mod workbook;

use crate::model::code::Code;
use crate::model::diagnostic::Diagnostic;
use crate::model::kind::Kind;
use crate::model::points::{NumberError, Points};
use crate::model::sheet::{BadNumber, Cell, ColumnMap, NameSource, Origin, ResultsRow, ResultsTable, Score, ScoreSheet, SheetAccount};
use discover::InputFile;
use limits::Limits;
use workbook::{Grid, MAX_COLS, MAX_ROWS, ReadError};

/// What one file gave.
#[derive(Debug, Default)]
pub struct FileResult {
    /// Scoring sheets found (one per unit).
    pub sheets: Vec<ScoreSheet>,
    /// Published results tables found (layout C).
    pub tables: Vec<ResultsTable>,
    /// Problems found.
    pub diagnostics: Vec<Diagnostic>,
    /// Size in bytes, when the file could be read.
    pub size: u64,
    /// BLAKE3 checksum of the bytes read, for the run manifest.
    pub checksum: Option<String>,
    /// What each sheet read was read as, column by column.
    pub accounts: Vec<SheetAccount>,
}

/// Reads one input file completely within `limits`. Never panics: an unexpected
/// failure on one file becomes a diagnostic and the run goes on.
pub fn read_file(file: &InputFile, limits: &Limits) -> FileResult {
    read_file_knowing(file, limits, &[])
}

/// [`read_file`], knowing the office's units (`cchc.toml`): a matrix header that names
/// one is a unit's column before it is any label.
pub fn read_file_knowing(file: &InputFile, limits: &Limits, known: &[String]) -> FileResult {
    let mut out = FileResult::default();
    match workbook::read_bytes(&file.path, limits) {
        Ok(bytes) => read_bytes_knowing(file, bytes, limits, known),
        Err(e) => {
            // A file refused for its size still shows that size in the manifest.
            if let ReadError::OverLimit(limits::OverLimit { limit: limits::Limit::FileBytes { found, .. }, .. }) = e {
                out.size = found;
            }
            out.diagnostics.push(read_error(file, &e));
            out
        }
    }
}

/// Reads one input file already in memory (`file` names it; its extension picks the
/// reader), as [`read_file`] does. The fuzz targets call this.
pub fn read_bytes(file: &InputFile, bytes: Vec<u8>, limits: &Limits) -> FileResult {
    read_bytes_knowing(file, bytes, limits, &[])
}

fn read_bytes_knowing(file: &InputFile, bytes: Vec<u8>, limits: &Limits, known: &[String]) -> FileResult {
    std::panic::catch_unwind(|| read_file_unguarded(file, bytes, limits, known)).unwrap_or_else(|p| FileResult {
        diagnostics: vec![Diagnostic::new(
            Kind::InternalError,
            &file.rel,
            Some(file.year),
            &[("error", &crate::crash::payload_text(p.as_ref()))],
        )],
        ..FileResult::default()
    })
}

fn read_file_unguarded(file: &InputFile, bytes: Vec<u8>, limits: &Limits, known: &[String]) -> FileResult {
    let mut out =
        FileResult { size: bytes.len() as u64, checksum: Some(blake3::hash(&bytes).to_hex().to_string()), ..FileResult::default() };
    let grids = match workbook::read_workbook_bytes(&file.path, bytes, limits) {
        Ok(g) => g,
        Err(e) => {
            out.diagnostics.push(read_error(file, &e));
            return out;
        }
    };
    if grids.iter().all(|g| g.is_blank() && g.stray.is_none()) {
        out.diagnostics.push(file_problem(file, Kind::EmptyWorkbook, &[]));
        return out;
    }
    // Layout A (a unit's sheet) first; else a consolidated matrix (layout B), one
    // column per unit, the unit named by the column's header.
    let found: Vec<(&Grid, ColumnMap, Option<String>)> = grids
        .iter()
        .flat_map(|g| match layout::detect(g) {
            Some(m) => vec![(g, m, None)],
            None => layout::detect_matrix(g, known).unwrap_or_default().into_iter().map(|(m, h)| (g, m, Some(h))).collect(),
        })
        .collect();
    let without_header = report_grids(file, &grids, &found, &mut out.diagnostics);
    for g in &grids {
        let maps: Vec<&ColumnMap> = found.iter().filter(|(f, _, _)| std::ptr::eq(*f, g)).map(|(_, m, _)| m).collect();
        match maps.as_slice() {
            [] => {}
            [one] if found.iter().any(|(f, _, unit)| std::ptr::eq(*f, g) && unit.is_none()) => {
                out.account(file, account::scoring_sheet(g, one));
            }
            _ => out.account(file, account::matrix(g, &maps)),
        }
    }
    if found.is_empty() {
        match grids.iter().find_map(|g| results::detect_results(g).map(|m| (g, m))) {
            Some((grid, map)) => read_results_table(file, grid, &map, &mut out),
            None => {
                let positional: Vec<&Grid> = grids.iter().filter(|g| layout::is_positional_matrix(g)).collect();
                if positional.is_empty() {
                    out.diagnostics.push(file_problem(file, Kind::NoHeader, &[]));
                }
                for g in positional {
                    out.diagnostics.push(file_problem(file, Kind::PositionalMatrix, &[]).in_sheet(&g.name));
                }
            }
        }
        return out;
    }
    for name in without_header {
        out.diagnostics.push(file_problem(file, Kind::SheetWithoutHeader, &[]).in_sheet(&name));
    }
    let several = found.len() > 1;
    for (grid, map, column_unit) in found {
        let sheet = score_sheet(file, grid, map, column_unit, several);
        report(sheet.origin(out.sheets.len()), sheet.title_year, &sheet.bad_numbers, &mut out.diagnostics);
        report_tree(&sheet, out.sheets.len(), &mut out.diagnostics);
        out.sheets.push(sheet);
    }
    out
}

impl FileResult {
    /// Keeps a sheet's account, naming each column nothing reads.
    fn account(&mut self, file: &InputFile, a: SheetAccount) {
        for (cell, label) in &a.ignored {
            self.diagnostics.push(file_problem(file, Kind::UnknownColumn, &[("label", label)]).in_sheet(&a.sheet).at(*cell));
        }
        for (cell, label, rows) in &a.unread_units {
            self.diagnostics
                .push(file_problem(file, Kind::UnitColumnUnread, &[("label", label), ("rows", rows)]).in_sheet(&a.sheet).at(*cell));
        }
        self.accounts.push(a);
    }
}

/// A problem about the whole file.
fn file_problem(file: &InputFile, kind: Kind, args: &[(&str, &dyn std::fmt::Display)]) -> Diagnostic {
    Diagnostic::new(kind, &file.rel, Some(file.year), args)
}

/// The problem that stops a file being read, placed at its sheet and cell when known.
fn read_error(file: &InputFile, e: &ReadError) -> Diagnostic {
    let kind = match e {
        ReadError::NotWorkbook { .. } => Kind::NotAWorkbook,
        ReadError::Truncated => Kind::TruncatedFile,
        ReadError::TooLarge { .. } => Kind::StrayCellRefused,
        ReadError::OverLimit(_) => Kind::FileTooLarge,
        ReadError::Password => Kind::PasswordProtected,
        ReadError::Corrupt(_) => Kind::CorruptFile,
        ReadError::Crashed(_) => Kind::ReaderCrashed,
    };
    let d = file_problem(file, kind, &[("error", e)]);
    match e {
        ReadError::TooLarge { sheet, cell } => d.in_sheet(sheet).at(*cell),
        ReadError::OverLimit(o) => {
            let d = match &o.sheet {
                Some(s) => d.in_sheet(s),
                None => d,
            };
            match o.cell {
                Some(c) => d.at(c),
                None => d,
            }
        }
        _ => d,
    }
}

/// Stray far cells, and the names of the non-blank sheets that are not scoring sheets.
fn report_grids(
    file: &InputFile,
    grids: &[Grid],
    found: &[(&Grid, ColumnMap, Option<String>)],
    diags: &mut Vec<Diagnostic>,
) -> Vec<String> {
    let mut without_header = Vec::new();
    for g in grids {
        if let Some(cell) = g.stray {
            diags.push(
                file_problem(file, Kind::StrayCell, &[("cell", &cell), ("rows", &MAX_ROWS), ("cols", &MAX_COLS)])
                    .in_sheet(&g.name)
                    .at(cell),
            );
        }
        if !found.iter().any(|(f, _, _)| std::ptr::eq(*f, g)) && g.rows.iter().any(|r| r.iter().any(|v| !v.is_blank())) {
            without_header.push(g.name.clone());
        }
    }
    without_header
}

/// A scoring sheet's rows and unit: the matrix column's header, else the title, else
/// the sheet's name (unless generic, when the file holds one sheet), else the file's.
fn score_sheet(file: &InputFile, grid: &Grid, mut map: ColumnMap, column_unit: Option<String>, several: bool) -> ScoreSheet {
    let title = names::read_title(grid, map.header_row);
    let extract::Extracted { rows, bad_numbers: bad, repairs, conflicts, appraised, unscored, option_rows, parents_scored, unread } =
        extract::extract_rows(grid, &map);
    map.appraised = appraised;
    let last_row = rows.iter().map(|r| r.row as usize).max().unwrap_or(map.header_row);
    let unit = match column_unit {
        Some(header) => names::parse_unit_name(&header, NameSource::Title),
        None => title.unit.clone(),
    };
    let file_name = file.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let unit = unit
        .or_else(|| (several || !names::is_generic(&grid.name)).then(|| names::parse_unit_name(&grid.name, NameSource::Sheet)).flatten())
        .or_else(|| (!several).then(|| names::unit_from_file_name(&file_name)).flatten());
    let name_variants = unit.as_ref().map(|u| names::spelling_variants(grid, &u.name, map.header_row, last_row)).unwrap_or_default();
    let mut sheet = ScoreSheet {
        name_variants,
        file: file.rel.clone(),
        sheet: grid.name.clone(),
        year: file.year,
        title_year: title.year,
        district: title.district,
        unit,
        columns: map,
        rows,
        bad_numbers: bad,
        code_repairs: repairs,
        code_conflicts: conflicts,
        unscored_rounds: unscored,
        option_rows,
        parents_scored,
        unread_rows: unread,
        survey_delta: Points::ZERO,
    };
    sheet.mark_leaves();
    sheet
}

/// "58.5/62": the points and the max, both numbers (the max not zero).
fn points_over_max(text: &str) -> Option<(Points, Points)> {
    use crate::model::points::parse_points_text;
    let (a, b) = text.split_once('/')?;
    let (a, b) = (parse_points_text(a).ok()?, parse_points_text(b).ok()?);
    (b.0 > 0).then_some((a, b))
}

/// A block's points on a row: its columns added, less the one taken off (a blank
/// part counts 0; all parts blank is a blank block).
fn block_points(grid: &Grid, r: usize, block: &results::Block, bad: &mut Vec<BadNumber>) -> Score {
    let Some((adds, minus)) = block.points() else { return Score::Blank };
    let mut sum: Option<Points> = None;
    for c in adds {
        match extract::score_cell(grid.get(r, c), r as u32, c, bad) {
            Score::Value(p) => sum = Some(sum.unwrap_or_default() + p),
            Score::Invalid(s) => return Score::Invalid(s),
            Score::Blank | Score::NotApplicable => {}
        }
    }
    let deducted = minus.and_then(|m| extract::score_cell(grid.get(r, m), r as u32, m, bad).value());
    sum.map_or(Score::Blank, Score::Value).net_of(deducted)
}

/// A cell's points, for a check: its problems are named where the cell is read.
fn cell_points(grid: &Grid, r: usize, c: usize) -> Option<Points> {
    extract::score_cell(grid.get(r, c), r as u32, c, &mut Vec::new()).value()
}

/// What a results table's row says against itself or its header: (row, kind, cell, args).
type TableCheck = (usize, Kind, Cell, Vec<(&'static str, String)>);

/// A block's printed parts against its printed total, on a row.
fn check_parts(grid: &Grid, r: usize, block: &results::Block, what: &str, row: usize, checks: &mut Vec<TableCheck>) {
    let Some((adds, minus, net)) = block.parts() else { return };
    let value = |c: usize| cell_points(grid, r, c);
    let (Some(written), Some(parts)) = (value(net), adds.iter().map(|&c| value(c)).collect::<Option<Vec<Points>>>()) else { return };
    let deducted = minus.and_then(value).map_or(Points::ZERO, |d| Points(d.0.abs()));
    let sum = parts.iter().copied().sum::<Points>() - deducted;
    if sum != written {
        let mut shown = parts.iter().map(|p| p.to_vi()).collect::<Vec<_>>().join(" + ");
        if deducted != Points::ZERO {
            shown.push_str(&format!(" − {}", deducted.to_vi()));
        }
        checks.push((
            row,
            Kind::ResultsPartsMismatch,
            Cell::new(r as u32, net),
            vec![("what", what.to_string()), ("written", written.to_vi()), ("parts", format!("các phần ({shown})")), ("sum", sum.to_vi())],
        ));
    }
}

/// Layout C: the table's rows, each a unit's published total, checked against itself
/// where it prints parts, percentages and maxes.
fn read_results_table(file: &InputFile, grid: &Grid, map: &results::ResultsMap, out: &mut FileResult) {
    let title = names::read_title(grid, map.header_row);
    let mut rows = Vec::new();
    let mut checks: Vec<TableCheck> = Vec::new();
    let total_col = map.total_col();
    for (r, cells) in grid.rows.iter().enumerate().skip(map.data_start) {
        let get = |c: usize| cells.get(c).map(|v| v.as_text()).unwrap_or_default();
        let name = get(map.unit);
        // A line of the table's own ("Tổng cộng", "Bình quân") is no unit.
        if results::is_table_line(&name) {
            continue;
        }
        let Some(unit) = names::parse_unit_name(&name, NameSource::Title) else {
            // A total without a unit would leave the year without a word: named.
            if let Some(v) = cell_points(grid, r, total_col) {
                out.diagnostics.push(
                    file_problem(file, Kind::UnitRowUnread, &[("row", &(r + 1)), ("value", &v.to_vi()), ("name", &name.trim())])
                        .in_sheet(&grid.name)
                        .at(Cell::new(r as u32, map.unit)),
                );
            }
            continue;
        };
        let mut bad = Vec::new();
        let areas: Vec<(Code, Score)> = map.areas.iter().map(|ar| (ar.code.clone(), block_points(grid, r, &ar.block, &mut bad))).collect();
        let points = match &map.total {
            Some(t) => block_points(grid, r, t, &mut bad),
            None if areas.iter().any(|(_, s)| s.value().is_some()) => Score::Value(areas.iter().filter_map(|(_, s)| s.value()).sum()),
            None => Score::Blank,
        };
        let total = results_index(grid, r, map, &points, &mut bad);
        if total == Score::Blank {
            continue;
        }
        let row = rows.len();
        for ar in &map.areas {
            check_parts(grid, r, &ar.block, &format!("Điểm lĩnh vực {}", ar.code.display()), row, &mut checks);
        }
        if let Some(t) = &map.total {
            check_parts(grid, r, t, "Tổng điểm", row, &mut checks);
            check_total(grid, r, t, &points, &areas, row, &mut checks);
        }
        rows.push(ResultsRow {
            row: r as u32,
            unit,
            total,
            band: map.band.map(get).filter(|b| !b.trim().is_empty()),
            rank: map.rank.and_then(|c| cell_points(grid, r, c)).map(|p| (p.0 / 100) as u32),
            areas,
            bad_numbers: bad,
        });
    }
    let table = ResultsTable {
        file: file.rel.clone(),
        sheet: grid.name.clone(),
        year: file.year,
        title_year: title.year,
        district: title.district,
        total_col,
        area_max: map.areas.iter().map(|a| (a.code.clone(), a.max())).collect(),
        rows,
    };
    // Each row is a unit's result: its problems are named per unit, as a sheet's are.
    let index = out.tables.len();
    for (i, row) in table.rows.iter().enumerate() {
        report(table.origin(index, i), table.title_year, &row.bad_numbers, &mut out.diagnostics);
    }
    for (i, kind, cell, args) in checks {
        let args: Vec<(&str, &dyn std::fmt::Display)> = args.iter().map(|(k, v)| (*k, v as &dyn std::fmt::Display)).collect();
        out.diagnostics.push(source_problem(&table.origin(index, i), kind, &args).at(cell));
    }
    check_maxes(file, grid, map, &mut out.diagnostics);
    out.account(file, account::results(grid, map, table.rows.len()));
    out.tables.push(table);
}

/// A results row's index: a total printed over its max ("58.5/62") as its percentage;
/// else the totals' printed percentage; else its points over a max other than 100;
/// else its points.
fn results_index(grid: &Grid, r: usize, map: &results::ResultsMap, points: &Score, bad: &mut Vec<BadNumber>) -> Score {
    let total_col = map.total_col();
    if let Some((p, max)) = points_over_max(&grid.get(r, total_col).as_text()) {
        return Score::Value(p.per_hundred(max));
    }
    let Some(t) = &map.total else { return points.clone() };
    match (t.at(results::Sub::Percent).map(|c| extract::score_cell(grid.get(r, c), r as u32, c, bad)), t.max, points.value()) {
        (Some(pct @ Score::Value(_)), _, _) => pct,
        (_, Some((m, _)), Some(p)) if m != Points(10_000) && m > Points::ZERO => Score::Value(p.per_hundred(m)),
        _ => points.clone(),
    }
}

/// The areas' printed maxes against the total's, once for a table.
fn check_maxes(file: &InputFile, grid: &Grid, map: &results::ResultsMap, diags: &mut Vec<Diagnostic>) {
    let Some((total_max, cell)) = map.total.as_ref().and_then(|t| t.max) else { return };
    let maxes: Option<Vec<Points>> = map.areas.iter().map(results::AreaColumns::max).collect();
    if let Some(sum) = maxes.filter(|m| m.len() >= 2).map(|m| m.into_iter().sum::<Points>())
        && sum != total_max
    {
        diags.push(
            file_problem(file, Kind::ResultsMaxMismatch, &[("sum", &sum.to_vi()), ("total", &total_max.to_vi())])
                .in_sheet(&grid.name)
                .at(cell),
        );
    }
}

/// The totals' percentage against its points over its max, and the areas against the
/// total, on a row.
fn check_total(
    grid: &Grid,
    r: usize,
    t: &results::Block,
    points: &Score,
    areas: &[(Code, Score)],
    row: usize,
    checks: &mut Vec<TableCheck>,
) {
    let Some(p) = points.value() else { return };
    if let (Some(c), Some((m, _))) = (t.at(results::Sub::Percent), t.max)
        && let Some(written) = cell_points(grid, r, c)
        && m > Points::ZERO
    {
        let expected = p.per_hundred(m);
        // Printed percentages are rounded by other tools: one hundredth either way.
        if (expected.0 - written.0).abs() > 1 {
            checks.push((
                row,
                Kind::ResultsPercentMismatch,
                Cell::new(r as u32, c),
                vec![("written", written.to_vi()), ("points", p.to_vi()), ("max", m.to_vi()), ("expected", expected.to_vi())],
            ));
        }
    }
    let parts: Option<Vec<Points>> = areas.iter().map(|(_, s)| s.value()).collect();
    if let Some(parts) = parts.filter(|v| v.len() >= 2) {
        let sum: Points = parts.iter().copied().sum();
        if sum != p {
            checks.push((
                row,
                Kind::ResultsPartsMismatch,
                Cell::new(r as u32, t.value_col()),
                vec![
                    ("what", "Tổng điểm".to_string()),
                    ("written", p.to_vi()),
                    ("parts", format!("điểm các lĩnh vực ({})", parts.iter().map(|x| x.to_vi()).collect::<Vec<_>>().join(" + "))),
                    ("sum", sum.to_vi()),
                ],
            ));
        }
    }
}

/// A problem of one unit's source: its file, year, sheet and unit.
fn source_problem(o: &Origin<'_>, kind: Kind, args: &[(&str, &dyn std::fmt::Display)]) -> Diagnostic {
    let d = Diagnostic::new(kind, o.file, Some(o.year), args).in_sheet(o.sheet).about(o.source);
    match o.unit {
        Some(u) => d.for_unit(&u.name),
        None => d,
    }
}

/// The structural repairs of a sheet: the codes read otherwise than typed, those that
/// fit nowhere the sums confirm, and later appraisal rounds left blank.
fn report_tree(sheet: &ScoreSheet, index: usize, diags: &mut Vec<Diagnostic>) {
    let o = sheet.origin(index);
    let base = |kind, cell, args: &[(&str, &dyn std::fmt::Display)]| source_problem(&o, kind, args).at(cell);
    for r in &sheet.code_repairs {
        let under = r.under.as_ref().map_or_else(String::new, |u| format!(" nằm dưới {u}"));
        diags.push(base(
            Kind::CodeOutOfPlace,
            r.cell,
            &[("row", &(r.cell.row + 1)), ("typed", &r.typed), ("under", &under), ("read_as", &r.read_as)],
        ));
    }
    for o in &sheet.option_rows {
        let rows = o.rows.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ");
        let options = sheet
            .rows
            .iter()
            .find(|r| r.code.as_ref() == Some(&o.code))
            .map(|r| r.options.iter().map(|x| format!("{}: {}", x.text, x.points.to_vi())).collect::<Vec<_>>().join("; "))
            .unwrap_or_default();
        diags.push(base(Kind::CodedOptions, o.cell, &[("rows", &rows), ("code", &o.code), ("options", &options)]));
    }
    for u in &sheet.unread_rows {
        let label = if u.label.is_empty() { String::new() } else { format!(" \"{}\"", u.label) };
        diags.push(base(Kind::UnreadRow, u.cell, &[("row", &(u.cell.row + 1)), ("label", &label), ("value", &u.value)]));
    }
    for p in &sheet.parents_scored {
        let children = p.children.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ");
        diags.push(base(Kind::ParentScored, p.cell, &[("code", &p.code), ("score", &p.score.to_vi()), ("children", &children)]));
    }
    if let Some((blank, used)) = &sheet.unscored_rounds {
        // The first blank round's header cell.
        let col = sheet.columns.rounds.iter().find(|k| Some(&k.label) == blank.first()).map_or(sheet.columns.appraised, |k| k.col);
        let labels = blank.iter().map(|b| format!("\"{b}\"")).collect::<Vec<_>>().join(", ");
        diags.push(base(Kind::RoundNotScored, Cell::new(sheet.columns.header_row as u32, col), &[("blank", &labels), ("used", used)]));
    }
    for c in &sheet.code_conflicts {
        let rows: Vec<String> = c.rows.iter().map(u32::to_string).collect();
        diags.push(base(
            Kind::CodeOrderConflict,
            c.cell,
            &[("row", &(c.cell.row + 1)), ("typed", &c.typed), ("suggested", &c.suggested), ("rows", &rows.join(", "))],
        ));
    }
}

/// The reading stage's problems of one unit's source (numbered within its file):
/// its name, its title's year, its number cells.
fn report(o: Origin<'_>, title_year: Option<i32>, bad_numbers: &[BadNumber], diags: &mut Vec<Diagnostic>) {
    let base = |kind, args: &[(&str, &dyn std::fmt::Display)]| source_problem(&o, kind, args);
    if o.unit.is_none() {
        diags.push(base(Kind::UnitUnknown, &[]));
    }
    if let Some(y) = title_year
        && y != o.year
    {
        diags.push(base(Kind::YearMismatch, &[("title_year", &y), ("year", &o.year)]));
    }
    for b in bad_numbers {
        let d = match b.problem {
            NumberError::NotANumber => base(Kind::NotANumber, &[]),
            NumberError::TooLarge => base(Kind::NumberTooLarge, &[("max", &crate::model::points::MAX_CELL.to_vi())]),
            NumberError::TooPrecise(p) => base(Kind::TooManyDecimals, &[("rounded", &p.to_vi())]),
        };
        diags.push(d.at(b.cell));
    }
}
