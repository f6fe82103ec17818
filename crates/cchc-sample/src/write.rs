//! Writes grids as .xlsx (rust_xlsxwriter) or .xls (`xls::write_xls`), and
//! the junk an office folder also holds: an Excel lock file and a stray
//! non-workbook file.

use std::collections::HashSet;
use std::io::{self, Write};
use std::path::Path;

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, FormatAlign, Formula, Workbook};

use super::layout::{Cell, Grid};
use super::xls::{XlsMerge, XlsSheet, XlsValue, write_xls};

fn xlsx_err(e: rust_xlsxwriter::XlsxError) -> io::Error {
    io::Error::other(e.to_string())
}

/// Writes `grids` as one .xlsx workbook, a sheet per grid.
pub(crate) fn xlsx(path: &Path, grids: &[Grid], year: i32) -> io::Result<()> {
    let mut wb = Workbook::new();
    // A fixed creation date keeps the files of one seed identical.
    let created = ExcelDateTime::from_ymd((year + 1).clamp(1900, 9999) as u16, 1, 10).map_err(xlsx_err)?;
    wb.set_properties(&DocProperties::new().set_author("UBND").set_creation_datetime(&created));
    let wrap = Format::new().set_text_wrap();
    let bold = Format::new().set_bold().set_text_wrap().set_align(FormatAlign::Center);
    for grid in grids {
        let ws = wb.add_worksheet();
        ws.set_name(grid.name.as_str()).map_err(xlsx_err)?;
        if grid.blank_formula_results {
            ws.set_formula_result_default("");
        }
        for (col, width) in grid.widths.iter().enumerate() {
            ws.set_column_width(col as u16, *width).map_err(xlsx_err)?;
        }
        let bold_rows: HashSet<usize> = grid.bold_rows.iter().copied().collect();
        let mut merged_heads = HashSet::new();
        for &(r1, c1, r2, c2) in &grid.merges {
            let text = match &grid.rows[r1 as usize][c1 as usize] {
                Cell::Text(s) => s.as_str(),
                _ => "",
            };
            let format = if bold_rows.contains(&(r1 as usize)) { &bold } else { &wrap };
            ws.merge_range(r1, c1, r2, c2, text, format).map_err(xlsx_err)?;
            merged_heads.insert((r1, c1));
        }
        for (r, row) in grid.rows.iter().enumerate() {
            let is_bold = bold_rows.contains(&r);
            let r = r as u32;
            for (c, cell) in row.iter().enumerate() {
                let c = c as u16;
                if merged_heads.contains(&(r, c)) {
                    continue;
                }
                match cell {
                    Cell::Empty => {}
                    Cell::Text(s) if is_bold => {
                        ws.write_string_with_format(r, c, s, &bold).map_err(xlsx_err)?;
                    }
                    Cell::Text(s) if s.contains('\n') => {
                        ws.write_string_with_format(r, c, s, &wrap).map_err(xlsx_err)?;
                    }
                    Cell::Text(s) => {
                        ws.write_string(r, c, s).map_err(xlsx_err)?;
                    }
                    Cell::Num(v) => {
                        ws.write_number(r, c, *v).map_err(xlsx_err)?;
                    }
                    Cell::Formula(f) => {
                        ws.write_formula(r, c, Formula::new(f.as_str())).map_err(xlsx_err)?;
                    }
                }
            }
        }
    }
    wb.save(path).map_err(xlsx_err)
}

/// Writes `grids` as one .xls workbook (BIFF8); formulas are not supported
/// there and are written empty.
pub(crate) fn xls(path: &Path, grids: &[Grid]) -> io::Result<()> {
    let sheets: Vec<XlsSheet> = grids
        .iter()
        .map(|grid| XlsSheet {
            name: grid.name.clone(),
            rows: grid
                .rows
                .iter()
                .map(|row| {
                    row.iter()
                        .map(|cell| match cell {
                            Cell::Text(s) => XlsValue::Text(s.clone()),
                            Cell::Num(v) => XlsValue::Number(*v),
                            Cell::Empty | Cell::Formula(_) => XlsValue::Empty,
                        })
                        .collect()
                })
                .collect(),
            merges: grid
                .merges
                .iter()
                .map(|&(r1, c1, r2, c2)| XlsMerge { first_row: r1 as u16, last_row: r2 as u16, first_col: c1, last_col: c2 })
                .collect(),
        })
        .collect();
    write_xls(path, &sheets)
}

/// An Excel owner (lock) file as Excel leaves it beside an open workbook:
/// the user name, padded, 165 bytes. It is not a workbook.
pub(crate) fn lock_file(path: &Path) -> io::Result<()> {
    let user = b"Phong Noi vu";
    let mut bytes = vec![0u8; 165];
    bytes[0] = user.len() as u8;
    bytes[1..1 + user.len()].copy_from_slice(user);
    for (i, b) in bytes.iter_mut().enumerate().skip(54) {
        *b = if i % 2 == 0 { 0x20 } else { 0x00 };
    }
    std::fs::write(path, bytes)
}

/// A Windows thumbnail cache: an OLE compound file like an .xls, but with
/// no `Workbook` stream.
pub(crate) fn thumbs_db(path: &Path) -> io::Result<()> {
    let mut comp = cfb::create(path)?;
    {
        let mut s = comp.create_stream("/Catalog")?;
        s.write_all(&[0x10, 0x00, 0x07, 0x00, 0x02, 0x00, 0x00, 0x00])?;
        s.write_all(&[0u8; 64])?;
    }
    comp.flush()
}

/// A note somebody left in the folder.
pub(crate) fn note_file(path: &Path, year: i32) -> io::Result<()> {
    let text = format!(
        "Ghi chú: các xã gửi lại biểu chấm điểm năm {year} bản đã ký trước ngày 15/01/{}.\n\
         Bộ phận tổng hợp: Phòng Nội vụ huyện.\n",
        year + 1
    );
    std::fs::write(path, text)
}
