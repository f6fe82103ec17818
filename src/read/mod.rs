//! The reading stage: find the input files ([`discover`]), read each workbook into
//! grids ([`workbook`]), find each sheet's layout ([`layout`]), extract its rows
//! ([`extract`]) and name its unit ([`names`]). [`read_file`] does all of it for
//! one file. Files are independent, so this runs in parallel; every problem becomes
//! a diagnostic and the other files go on.

pub mod discover;
pub mod extract;
pub mod layout;
pub mod names;
pub mod workbook;

use crate::model::diagnostic::Diagnostic;
use crate::model::kind::Kind;
use crate::model::sheet::{ColumnMap, NameSource, Published, RowKind, Score, ScoreSheet, SheetRow};
use crate::text::{NumberError, cell_ref};
use discover::InputFile;
use workbook::{Grid, MAX_COLS, MAX_ROWS, ReadError};

/// What one file gave.
#[derive(Debug, Default)]
pub struct FileResult {
    /// Scoring sheets found (one per unit).
    pub sheets: Vec<ScoreSheet>,
    /// Problems found.
    pub diagnostics: Vec<Diagnostic>,
    /// Size in bytes, when the file could be read.
    pub size: u64,
    /// BLAKE3 checksum of the bytes read, for the run manifest.
    pub checksum: Option<String>,
}

/// Reads one input file completely. Never panics: an unexpected failure on one file
/// becomes a diagnostic and the run goes on.
pub fn read_file(file: &InputFile) -> FileResult {
    std::panic::catch_unwind(|| read_file_unguarded(file)).unwrap_or_else(|p| FileResult {
        sheets: Vec::new(),
        size: 0,
        checksum: None,
        diagnostics: vec![Diagnostic::new(
            Kind::InternalError,
            &file.rel,
            Some(file.year),
            &[("error", &workbook::panic_message(p.as_ref()))],
        )],
    })
}

fn read_file_unguarded(file: &InputFile) -> FileResult {
    let mut out = FileResult::default();
    let diag = |kind, args: &[(&str, &dyn std::fmt::Display)]| Diagnostic::new(kind, &file.rel, Some(file.year), args);
    let read = std::fs::read(&file.path).map_err(|e| ReadError::Corrupt(e.to_string())).and_then(|bytes| {
        out.size = bytes.len() as u64;
        out.checksum = Some(blake3::hash(&bytes).to_hex().to_string());
        workbook::read_workbook_bytes(&file.path, bytes)
    });
    let grids = match read {
        Ok(g) => g,
        Err(e) => {
            let kind = match &e {
                ReadError::NotWorkbook { .. } => Kind::NotAWorkbook,
                ReadError::Truncated => Kind::TruncatedFile,
                ReadError::TooLarge { .. } => Kind::StrayCellRefused,
                ReadError::Password => Kind::PasswordProtected,
                ReadError::Corrupt(_) => Kind::CorruptFile,
                ReadError::Crashed(_) => Kind::ReaderCrashed,
            };
            let mut d = diag(kind, &[("error", &e)]);
            if let ReadError::TooLarge { sheet, cell } = &e {
                d = d.in_sheet(sheet).at(cell.clone());
            }
            out.diagnostics.push(d);
            return out;
        }
    };
    if grids.iter().all(|g| g.is_blank() && g.stray.is_none()) {
        out.diagnostics.push(diag(Kind::EmptyWorkbook, &[]));
        return out;
    }
    let file_name = file.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let mut without_header = Vec::new();
    // Layout A (a unit's sheet) first; else a consolidated matrix (layout B), one
    // column per unit, the unit named by the column's header.
    let found: Vec<(&Grid, ColumnMap, Option<String>)> = grids
        .iter()
        .flat_map(|g| match layout::detect(g) {
            Some(m) => vec![(g, m, None)],
            None => layout::detect_matrix(g).unwrap_or_default().into_iter().map(|(m, h)| (g, m, Some(h))).collect(),
        })
        .collect();
    for g in &grids {
        if let Some((r, c)) = g.stray {
            out.diagnostics.push(
                diag(Kind::StrayCell, &[("cell", &cell_ref(r, c)), ("rows", &MAX_ROWS), ("cols", &MAX_COLS)])
                    .in_sheet(&g.name)
                    .at(cell_ref(r, c)),
            );
        }
        if !found.iter().any(|(f, _, _)| std::ptr::eq(*f, g)) && g.rows.iter().any(|r| r.iter().any(|v| !v.is_blank())) {
            without_header.push(g.name.clone());
        }
    }
    if found.is_empty()
        && let Some((grid, map)) = grids.iter().find_map(|g| layout::detect_results(g).map(|m| (g, m)))
    {
        read_results_table(file, grid, &map, &mut out);
        return out;
    }
    if found.is_empty() {
        out.diagnostics.push(diag(Kind::NoHeader, &[]));
        return out;
    }
    for name in without_header {
        out.diagnostics.push(diag(Kind::SheetWithoutHeader, &[]).in_sheet(&name));
    }
    let several = found.len() > 1;
    for (grid, map, column_unit) in found {
        let title = names::read_title(grid, map.header_row);
        let (rows, bad) = extract::extract_rows(grid, &map);
        let unit = match column_unit {
            Some(header) => names::parse_unit_name(&header, NameSource::Title),
            None => title.unit.clone(),
        };
        let unit = unit
            .or_else(|| {
                (several || !names::is_generic(&grid.name)).then(|| names::parse_unit_name(&grid.name, NameSource::Sheet)).flatten()
            })
            .or_else(|| (!several).then(|| names::unit_from_file_name(&file_name)).flatten());
        let sheet = ScoreSheet {
            file: file.rel.clone(),
            sheet: grid.name.clone(),
            year: file.year,
            title_year: title.year,
            district: title.district,
            unit,
            columns: map,
            rows,
            bad_numbers: bad,
            published: None,
        };
        report_sheet(&sheet, &mut out.diagnostics);
        out.sheets.push(sheet);
    }
    out
}

/// Layout C: one "sheet" per unit row, holding only the published total.
fn read_results_table(file: &InputFile, grid: &Grid, map: &layout::ResultsMap, out: &mut FileResult) {
    let title = names::read_title(grid, map.header_row);
    for (r, cells) in grid.rows.iter().enumerate().skip(map.data_start) {
        let get = |c: usize| cells.get(c).map(|v| v.as_text()).unwrap_or_default();
        let Some(unit) = names::parse_unit_name(&get(map.unit), NameSource::Title) else { continue };
        let mut bad = Vec::new();
        let total = extract::score_cell(grid.get(r, map.total), r as u32, map.total, &mut bad);
        if total == Score::Blank {
            continue;
        }
        let columns = ColumnMap {
            header_row: map.header_row,
            data_start: map.data_start,
            code: None,
            name: map.unit,
            max: map.total,
            self_score: None,
            appraised: map.total,
            evidence: None,
            notes: Vec::new(),
        };
        let row = SheetRow {
            row: r as u32,
            kind: RowKind::Total,
            code: None,
            name: unit.name.clone(),
            max: Score::Blank,
            self_score: Score::Blank,
            appraised: total,
            note: String::new(),
            appraised_formula: false,
        };
        let published = Published {
            band: map.band.map(get).filter(|b| !b.trim().is_empty()),
            rank: map
                .rank
                .and_then(|c| extract::score_cell(grid.get(r, c), r as u32, c, &mut Vec::new()).value())
                .map(|p| (p.0 / 100) as u32),
        };
        let sheet = ScoreSheet {
            file: file.rel.clone(),
            sheet: grid.name.clone(),
            year: file.year,
            title_year: title.year,
            district: title.district.clone(),
            unit: Some(unit),
            columns,
            rows: vec![row],
            bad_numbers: bad,
            published: Some(published),
        };
        report_sheet(&sheet, &mut out.diagnostics);
        out.sheets.push(sheet);
    }
}

fn report_sheet(s: &ScoreSheet, diags: &mut Vec<Diagnostic>) {
    let base = |kind, args: &[(&str, &dyn std::fmt::Display)]| {
        let d = Diagnostic::new(kind, &s.file, Some(s.year), args).in_sheet(&s.sheet);
        match &s.unit {
            Some(u) => d.for_unit(&u.name),
            None => d,
        }
    };
    if s.unit.is_none() {
        diags.push(base(Kind::UnitUnknown, &[]));
    }
    if let Some(y) = s.title_year
        && y != s.year
    {
        diags.push(base(Kind::YearMismatch, &[("title_year", &y), ("year", &s.year)]));
    }
    for (row, col, problem) in &s.bad_numbers {
        let cell = cell_ref(*row, *col as u32);
        let d = match problem {
            NumberError::NotANumber => base(Kind::NotANumber, &[]),
            NumberError::TooPrecise(p) => base(Kind::TooManyDecimals, &[("rounded", &p.to_vi())]),
        };
        diags.push(d.at(cell));
    }
}
