//! "Kiểm tra dữ liệu": every problem found that concerns the year (or no year), so
//! the published file says what it rests on; autofilter by kind, file or unit.

use super::{Formats, SHEET_CHECKS, headers, print_setup};
use crate::findings::Findings;
use crate::model::diagnostic::{Diagnostic, Severity};
use crate::report::style::block_rows;
use crate::score::YearResult;
use rust_xlsxwriter::{Worksheet, XlsxError};

/// Writes the problems sheet.
pub(super) fn write(ws: &mut Worksheet, f: &Formats, a: &Findings, y: &YearResult) -> Result<(), XlsxError> {
    let diags: Vec<&Diagnostic> = a.diagnostics.iter().filter(|d| d.year.is_none_or(|dy| dy == y.year)).collect();
    ws.set_name(SHEET_CHECKS)?;
    ws.merge_range(0, 0, 0, 6, &format!("KẾT QUẢ KIỂM TRA DỮ LIỆU NĂM {}", y.year), &f.title)?;
    let (errors, warnings) =
        (diags.iter().filter(|d| d.severity == Severity::Error).count(), diags.iter().filter(|d| d.severity == Severity::Warning).count());
    ws.merge_range(1, 0, 1, 6, &format!("{errors} lỗi, {warnings} cảnh báo"), &f.italic)?;
    headers(ws, &f.header, 3, 0, &["Mức độ", "Loại", "Tệp", "Trang tính", "Ô", "Đơn vị", "Nội dung và cách xử lý"])?;
    for (c, w) in [10.0, 18.0, 40.0, 16.0, 8.0, 18.0, 80.0].iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    let columns: Vec<(u16, _)> = (0..7).map(|c| (c, &f.text)).collect();
    block_rows(ws, 4, &columns, diags.iter(), |row, d| {
        let level = if d.severity == Severity::Error { "Lỗi" } else { "Cảnh báo" };
        let cell = d.cell.map(|c| c.to_string()).unwrap_or_default();
        let cells = [level, d.kind.name(), &d.file, d.sheet.as_deref().unwrap_or(""), &cell, d.unit.as_deref().unwrap_or(""), &d.message];
        for (c, v) in cells.iter().enumerate() {
            row.string(c as u16, v, &f.text)?;
        }
        Ok(())
    })?;
    if !diags.is_empty() {
        ws.autofilter(3, 0, 3 + diags.len() as u32, 6)?;
    }
    ws.set_freeze_panes(4, 0)?;
    print_setup(ws, 3, 3)?;
    Ok(())
}
