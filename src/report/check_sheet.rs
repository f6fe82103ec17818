//! The check sheet the office sends back to a unit with its scoring sheet (`cchc
//! validate --per-unit DIR`): "Phiếu kiểm tra biểu chấm điểm năm Y", each problem with
//! its file, sheet and cell and what to do, and an empty column for the date it was
//! fixed, in the house style of the other documents.
//!
//! ```no_run
//! # fn main() -> cchc::error::Result<()> {
//! let a = cchc::pipeline::analyse(std::path::Path::new("input"))?;
//! let all: Vec<_> = a.diagnostics.iter().collect();
//! let written = cchc::report::check_sheet::write_all(&a, &all, None, std::path::Path::new("phieu-kiem-tra"))?;
//! println!("{} check sheets", written.files.len());
//! # Ok(()) }
//! ```

use super::style;
use crate::error::{CchcError, Result};
use crate::findings::Findings;
use crate::model::diagnostic::{Diagnostic, Severity};
use crate::text::slug;
use crate::write::output::write_bytes;
use rust_xlsxwriter::{DocProperties, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const COLUMNS: [(&str, f64); 7] = [
    ("STT", 5.0),
    ("Tệp", 26.0),
    ("Trang tính", 14.0),
    ("Ô", 7.0),
    ("Mức độ", 10.0),
    ("Nội dung và cách sửa", 70.0),
    ("Ngày đã sửa", 13.0),
];
const LAST_COL: u16 = COLUMNS.len() as u16 - 1;
const HEADER_ROW: u32 = 7;

/// What [`write_all`] wrote.
#[derive(Debug, Default)]
pub struct CheckSheets {
    /// The workbooks, one per unit and year with problems.
    pub files: Vec<PathBuf>,
    /// Units and years read without any problem (no sheet for them).
    pub clean: usize,
    /// Problems that name no unit (a file that cannot be read at all): in no sheet.
    pub without_unit: usize,
}

/// `phieu-kiem-tra-<don-vi>-<Y>.xlsx`.
pub fn file_name(kind: &str, unit: &str, year: i32) -> String {
    format!("phieu-kiem-tra-{}-{year}.xlsx", slug(&format!("{kind} {unit}")))
}

/// One check sheet per unit and year that has problems among `diags` (the problems
/// of `year`, or of every year), into `dir`.
pub fn write_all(a: &Findings, diags: &[&Diagnostic], year: Option<i32>, dir: &Path) -> Result<CheckSheets> {
    let mut by_unit: BTreeMap<(i32, &str), Vec<&Diagnostic>> = BTreeMap::new();
    let mut out = CheckSheets::default();
    for d in diags {
        match (&d.unit, d.year) {
            // One sheet per unit, whichever spelling its files use.
            (Some(u), Some(y)) => {
                let name = a.find_unit(u).map_or(u.as_str(), |id| a.units[id.index()].name.as_str());
                by_unit.entry((y, name)).or_default().push(d)
            }
            _ => out.without_unit += 1,
        }
    }
    let units: usize = a.years.iter().filter(|y| year.is_none_or(|v| v == y.year)).map(|y| y.units.len()).sum();
    out.clean = units.saturating_sub(by_unit.len());
    let formats = Formats::new();
    for ((year, unit), mut problems) in by_unit {
        let kind = a.find_unit(unit).map_or("xã", |id| a.units[id.index()].kind.label());
        let pos = |d: &Diagnostic| d.cell.map(|c| (c.row, c.col));
        problems.sort_by(|x, y| (&x.file, &x.sheet, pos(x)).cmp(&(&y.file, &y.sheet, pos(y))));
        let path = dir.join(file_name(kind, unit, year));
        let fail = |source: XlsxError| CchcError::Workbook { path: path.clone(), source };
        let mut wb = Workbook::new();
        wb.set_properties(
            &DocProperties::new()
                .set_title(format!("Phiếu kiểm tra biểu chấm điểm Chỉ số CCHC năm {year} của UBND {kind} {unit}"))
                .set_keywords("CCHC, kiểm tra, biểu chấm điểm"),
        );
        write_sheet(wb.add_worksheet(), &formats, &a.issuer(), kind, unit, year, &problems).map_err(fail)?;
        write_bytes(&path, &wb.save_to_buffer().map_err(fail)?)?;
        out.files.push(path);
    }
    Ok(out)
}

struct Formats {
    doc: style::DocFormats,
    header: Format,
    cell: Format,
    centre: Format,
    error: Format,
}

impl Formats {
    fn new() -> Formats {
        let cell = style::base().set_border(FormatBorder::Thin).set_align(FormatAlign::VerticalCenter).set_text_wrap();
        Formats {
            doc: style::DocFormats::default(),
            header: style::header(),
            centre: cell.clone().set_align(FormatAlign::Center),
            error: cell.clone().set_align(FormatAlign::Center).set_bold().set_font_color("#C00000"),
            cell,
        }
    }
}

fn write_sheet(
    ws: &mut Worksheet,
    f: &Formats,
    issuer: &str,
    kind: &str,
    unit: &str,
    year: i32,
    problems: &[&Diagnostic],
) -> std::result::Result<(), XlsxError> {
    ws.set_name("Phiếu kiểm tra")?;
    for (c, (_, width)) in COLUMNS.iter().enumerate() {
        ws.set_column_width(c as u16, *width)?;
    }
    style::letterhead(ws, &f.doc, issuer, 3, LAST_COL)?;
    ws.merge_range(3, 0, 3, LAST_COL, &format!("PHIẾU KIỂM TRA BIỂU CHẤM ĐIỂM NĂM {year}"), &f.doc.title)?;
    ws.merge_range(4, 0, 4, LAST_COL, &format!("Đơn vị: UBND {kind} {unit}"), &f.doc.heading)?;
    let errors = problems.iter().filter(|d| d.severity == Severity::Error).count();
    let summary = format!(
        "({errors} lỗi, {} cảnh báo. Đề nghị đơn vị sửa các ô nêu dưới đây trong biểu chấm điểm, ghi ngày đã sửa và gửi lại biểu cùng phiếu này.)",
        problems.len() - errors
    );
    ws.merge_range(5, 0, 5, LAST_COL, &summary, &f.doc.italic)?;
    ws.set_row_height(5, 32)?;
    for (c, (label, _)) in COLUMNS.iter().enumerate() {
        ws.write_string_with_format(HEADER_ROW, c as u16, *label, &f.header)?;
    }
    let mut row = HEADER_ROW + 1;
    for (i, d) in problems.iter().enumerate() {
        ws.write_number_with_format(row, 0, (i + 1) as f64, &f.centre)?;
        ws.write_string_with_format(row, 1, &d.file, &f.cell)?;
        ws.write_string_with_format(row, 2, d.sheet.as_deref().unwrap_or("(cả tệp)"), &f.cell)?;
        ws.write_string_with_format(row, 3, d.cell.map(|c| c.to_string()).unwrap_or_default(), &f.centre)?;
        let (level, level_format) = if d.severity == Severity::Error { ("Lỗi", &f.error) } else { ("Cảnh báo", &f.centre) };
        ws.write_string_with_format(row, 4, level, level_format)?;
        ws.write_string_with_format(row, 5, &d.message, &f.cell)?;
        ws.write_blank(row, 6, &f.cell)?;
        // Long messages wrap: about 80 characters a line in the message column.
        let lines = d.message.chars().count().div_ceil(80).max(1);
        ws.set_row_height(row, 16.0 * lines as f64 + 2.0)?;
        row += 1;
    }
    row += 1;
    ws.merge_range(row, 4, row, LAST_COL, &format!("…………, ngày …… tháng …… năm {}", year + 1), &f.doc.italic)?;
    ws.merge_range(row + 1, 0, row + 1, 2, "ĐƠN VỊ ĐÃ SỬA\n(Ký, ghi rõ họ tên)", &f.doc.signature)?;
    ws.merge_range(row + 1, 4, row + 1, LAST_COL, "NGƯỜI KIỂM TRA\n(Ký, ghi rõ họ tên)", &f.doc.signature)?;
    ws.set_row_height(row + 1, 40)?;
    ws.set_freeze_panes(HEADER_ROW + 1, 0)?;
    style::print_setup(ws, style::Orientation::Landscape, Some((HEADER_ROW, HEADER_ROW)))
}
