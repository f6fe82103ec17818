//! Stages 2–4 for one file: read the workbook, detect each sheet's layout, extract
//! it, and name its unit. Files are independent, so this runs in parallel; every
//! problem becomes a diagnostic and the other files go on.

use crate::diagnostic::{Diagnostic, Severity};
use crate::discover::InputFile;
use crate::extract::{self, NameSource, ScoreSheet};
use crate::layout::{self, ColumnMap};
use crate::text::{NumberError, cell_ref};
use crate::workbook::{self, Grid, MAX_COLS, MAX_ROWS, ReadError};

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
        diagnostics: vec![Diagnostic::file(
            Severity::Error,
            "internal_error",
            &file.rel,
            Some(file.year),
            format!(
                "cchc gặp lỗi nội bộ khi đọc tệp này ({}); tệp bị bỏ qua. Hãy gửi tệp cho nhóm phát triển.",
                workbook::panic_message(p.as_ref())
            ),
        )],
    })
}

fn read_file_unguarded(file: &InputFile) -> FileResult {
    let mut out = FileResult::default();
    let diag = |sev, kind, msg: String| Diagnostic::file(sev, kind, &file.rel, Some(file.year), msg);
    let read = std::fs::read(&file.path).map_err(|e| ReadError::Corrupt(e.to_string())).and_then(|bytes| {
        out.size = bytes.len() as u64;
        out.checksum = Some(blake3::hash(&bytes).to_hex().to_string());
        workbook::read_workbook_bytes(&file.path, bytes)
    });
    let grids = match read {
        Ok(g) => g,
        Err(e) => {
            let (kind, hint) = match &e {
                ReadError::NotWorkbook { .. } => {
                    ("not_a_workbook", "Hãy mở tệp bằng Excel và \"Lưu thành\" dạng .xlsx, hoặc bỏ tệp khỏi thư mục.")
                }
                ReadError::Truncated => ("truncated_file", "Hãy chép hoặc tải lại tệp từ bản gốc."),
                ReadError::TooLarge { .. } => ("stray_cell", "Hãy mở tệp, xoá ô đó (hoặc xoá các dòng/cột thừa) rồi lưu lại."),
                ReadError::Password => {
                    ("password_protected", "Hãy mở bằng Excel, gỡ mật khẩu (Tệp › Thông tin › Bảo vệ sổ làm việc) rồi lưu lại.")
                }
                ReadError::Corrupt(_) => ("corrupt_file", "Hãy mở bằng Excel (Excel có thể sửa tệp), lưu lại dạng .xlsx rồi chạy lại."),
                ReadError::Crashed(_) => ("internal_error", "Hãy mở bằng Excel, lưu lại dạng .xlsx và gửi tệp gốc cho nhóm phát triển."),
            };
            let mut d = diag(Severity::Error, kind, format!("Không đọc được tệp: {e}. {hint}"));
            if let ReadError::TooLarge { sheet, cell } = &e {
                d = d.in_sheet(sheet).at(cell.clone());
            }
            out.diagnostics.push(d);
            return out;
        }
    };
    if grids.iter().all(|g| g.is_blank() && g.stray.is_none()) {
        out.diagnostics.push(diag(
            Severity::Error,
            "empty_workbook",
            "Tệp không có dữ liệu (mọi trang tính đều trống). Hãy kiểm tra đã gửi đúng tệp chưa.".into(),
        ));
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
                diag(
                    Severity::Warning,
                    "stray_cell",
                    format!(
                        "Có ô dữ liệu ở rất xa vùng bảng ({}); ô này bị bỏ qua (chỉ đọc {} dòng × {} cột đầu). Hãy xoá ô đó trong Excel.",
                        cell_ref(r, c),
                        MAX_ROWS,
                        MAX_COLS
                    ),
                )
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
        out.diagnostics.push(diag(
            Severity::Error,
            "no_header",
            "Không tìm thấy dòng tiêu đề của biểu chấm điểm (cần các cột như \"Tiêu chí\", \"Điểm tối đa\", \"Thẩm định\") trong 30 dòng đầu của bất kỳ trang tính nào. Hãy kiểm tra tệp có đúng là biểu chấm điểm không.".into(),
        ));
        return out;
    }
    for name in without_header {
        out.diagnostics.push(
            diag(
                Severity::Warning,
                "sheet_without_header",
                "Trang tính này không có dòng tiêu đề của biểu chấm điểm nên được bỏ qua.".into(),
            )
            .in_sheet(&name),
        );
    }
    let several = found.len() > 1;
    for (grid, map, column_unit) in found {
        let title = extract::read_title(grid, map.header_row);
        let (rows, bad) = extract::extract_rows(grid, &map);
        let unit = match column_unit {
            Some(header) => extract::parse_unit_name(&header, NameSource::Title),
            None => title.unit.clone(),
        };
        let unit = unit
            .or_else(|| {
                (several || !extract::is_generic(&grid.name)).then(|| extract::parse_unit_name(&grid.name, NameSource::Sheet)).flatten()
            })
            .or_else(|| (!several).then(|| extract::unit_from_file_name(&file_name)).flatten());
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
    let title = extract::read_title(grid, map.header_row);
    for (r, cells) in grid.rows.iter().enumerate().skip(map.data_start) {
        let get = |c: usize| cells.get(c).map(|v| v.as_text()).unwrap_or_default();
        let Some(unit) = extract::parse_unit_name(&get(map.unit), NameSource::Title) else { continue };
        let mut bad = Vec::new();
        let total = extract::score_cell(grid.get(r, map.total), r as u32, map.total, &mut bad);
        if total == extract::Score::Blank {
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
        let row = extract::SheetRow {
            row: r as u32,
            kind: extract::RowKind::Total,
            code: None,
            name: unit.name.clone(),
            max: extract::Score::Blank,
            self_score: extract::Score::Blank,
            appraised: total,
            note: String::new(),
            appraised_formula: false,
        };
        let published = extract::Published {
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
    let base = |sev, kind, msg: String| {
        let d = Diagnostic::file(sev, kind, &s.file, Some(s.year), msg).in_sheet(&s.sheet);
        match &s.unit {
            Some(u) => d.for_unit(&u.name),
            None => d,
        }
    };
    if s.unit.is_none() {
        diags.push(base(
            Severity::Error,
            "unit_unknown",
            "Không xác định được đơn vị: tiêu đề, tên trang tính và tên tệp đều không nêu tên xã/phường/thị trấn. Hãy thêm dòng \"Đơn vị: UBND xã …\" vào tiêu đề biểu.".into(),
        ));
    }
    if let Some(y) = s.title_year
        && y != s.year
    {
        diags.push(base(
            Severity::Error,
            "year_mismatch",
            format!(
                "Tiêu đề biểu ghi năm {y} nhưng tệp nằm trong thư mục năm {}. Hãy chuyển tệp vào đúng thư mục năm hoặc sửa tiêu đề.",
                s.year
            ),
        ));
    }
    for (row, col, problem) in &s.bad_numbers {
        let cell = cell_ref(*row, *col as u32);
        let d = match problem {
            NumberError::NotANumber => base(
                Severity::Error,
                "not_a_number",
                "Ô điểm không phải là số; được tính 0 điểm. Hãy nhập số (ví dụ 1,5) hoặc \"Không áp dụng\".".into(),
            ),
            NumberError::TooPrecise(p) => base(
                Severity::Warning,
                "too_many_decimals",
                format!("Điểm có hơn 2 chữ số thập phân; đã làm tròn thành {}. Hãy kiểm tra lại.", p.to_vi()),
            ),
        };
        diags.push(d.at(cell));
    }
}
