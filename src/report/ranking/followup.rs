//! "Khắc phục so với năm trước": each unit's leaves against the year before (new,
//! repeated and fixed losses, full marks kept), units in rank order, then the
//! district's chronic weak criteria. Rows are written top to bottom (the sheet streams).

use super::{Formats, SHEET_FOLLOWUP, headers, print_setup, title};
use crate::analyse::YearAnalyses;
use crate::findings::Findings;
use crate::report::style::block_rows;
use crate::score::YearResult;
use rust_xlsxwriter::{Worksheet, XlsxError};

const LAST_COL: u16 = 6;

/// Writes the follow-up sheet.
pub(super) fn write(ws: &mut Worksheet, f: &Formats, a: &Findings, t: &YearAnalyses, y: &YearResult) -> Result<(), XlsxError> {
    ws.set_name(SHEET_FOLLOWUP)?;
    let previous = crate::analyse::followup::previous_year(a, y).map(|p| p.year);
    let under = match previous {
        Some(p) => format!(
            "So với năm {p}, theo mã tiêu chí: mới bị trừ (năm {p} đạt tối đa), lặp lại (bị trừ cả hai năm), đã khắc phục (năm nay đạt tối đa), \
             duy trì (đạt tối đa cả hai năm)."
        ),
        None => format!("Không có kết quả năm {} theo tiêu chí để so sánh.", y.year - 1),
    };
    title(ws, f, LAST_COL, &format!("KẾT QUẢ KHẮC PHỤC NĂM {} SO VỚI NĂM TRƯỚC", y.year), Some(&under))?;
    for (c, w) in [7.0, 24.0, 14.0, 14.0, 14.0, 16.0, 16.0].iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    let head = 3;
    headers(ws, &f.header, head, 0, &["Xếp hạng", "Đơn vị", "Mới bị trừ", "Lặp lại", "Đã khắc phục", "Duy trì điểm tối đa", "Ghi chú"])?;
    ws.set_row_height(head, 32)?;
    let columns = [(0, &f.center), (1, &f.text), (2, &f.center), (3, &f.center), (4, &f.center), (5, &f.center), (6, &f.text)];
    let units = t.followup.iter().zip(&y.units);
    let mut r = head + units.len() as u32;
    block_rows(ws, head + 1, &columns, units, |row, (fu, u)| {
        row.number(0, u.rank, &f.center)?;
        row.string(1, &a.units[fu.unit].name, &f.text)?;
        if fu.previous.is_none() {
            for c in 2..=5 {
                row.blank(c, &f.center)?;
            }
            row.string(6, &format!("không có kết quả năm {}", y.year - 1), &f.text)?;
            return Ok(());
        }
        let c = fu.counts;
        for (col, n) in [(2, c.new), (3, c.repeated), (4, c.fixed), (5, c.kept)] {
            row.number(col, n as f64, &f.center)?;
        }
        row.blank(6, &f.text)?;
        Ok(())
    })?;
    ws.set_freeze_panes(head + 1, 2)?;
    r += 2;
    ws.merge_range(r, 0, r, LAST_COL, "TIÊU CHÍ YẾU KÉO DÀI: ÍT NHẤT 1/3 SỐ ĐƠN VỊ BỊ TRỪ ĐIỂM, TỪ 2 NĂM LIÊN TIẾP", &f.subtitle)?;
    r += 1;
    headers(ws, &f.header, r, 0, &["Mã", "Tiêu chí", "Số năm liên tiếp", "Đơn vị bị trừ năm nay", "Đơn vị áp dụng", "Đơn vị lặp lại", ""])?;
    ws.set_row_height(r, 32)?;
    if t.chronic.is_empty() {
        r += 1;
        ws.merge_range(r, 0, r, LAST_COL, "Không có tiêu chí nào.", &f.italic)?;
    }
    for c in &t.chronic {
        r += 1;
        ws.write_string_with_format(r, 0, c.code.as_str(), &f.center)?;
        ws.write_string_with_format(r, 1, &c.name, &f.text)?;
        for (col, n) in [(2, c.years), (3, c.units_losing), (4, c.units_applicable), (5, c.units_repeating)] {
            ws.write_number_with_format(r, col, n as f64, &f.center)?;
        }
    }
    print_setup(ws, head, head)?;
    Ok(())
}
