//! "Tự đánh giá – Thẩm định": where a unit's own score differs from the appraised
//! one. On top the units over-claiming most (at most ten) and the criteria most often
//! over-claimed; under them every leaf with a difference (units in Vietnamese order)
//! behind an autofilter. Positive gaps (over-claimed) in red, negative in green.

use super::{Formats, SHEET_GAP, explain, headers, points, print_setup, title};
use crate::analyse::YearAnalyses;
use crate::analyse::gap::{CriterionGap, Gap, UnitGap, by_criterion, by_unit};
use crate::findings::Findings;
use crate::report::style::block_rows;
use crate::score::YearResult;
use rust_xlsxwriter::{ConditionalFormatCell, ConditionalFormatCellRule, Worksheet, XlsxError};

const LAST_COL: u16 = 5;
/// Units listed in the summary of over-claims.
const TOP_UNITS: usize = 10;

/// What every part of the sheet shares: the formats, the analysis (unit names), the
/// year, every difference and its two summaries.
struct Sheet<'a> {
    f: &'a Formats,
    a: &'a Findings,
    y: &'a YearResult,
    /// Every leaf with a difference: the detail's rows.
    rows: &'a [Gap],
    /// The units over-claiming, most first.
    units: Vec<UnitGap>,
    /// The criteria over-claimed, most often first.
    criteria: Vec<CriterionGap>,
}

/// Writes the self-assessment sheet.
pub(super) fn write(ws: &mut Worksheet, f: &Formats, a: &Findings, t: &YearAnalyses, y: &YearResult) -> Result<(), XlsxError> {
    let rows = &t.gaps;
    let s = Sheet { f, a, y, rows, units: by_unit(rows), criteria: by_criterion(rows) };
    ws.set_name(SHEET_GAP)?;
    write_title(ws, &s)?;
    let r = write_units(ws, &s)?;
    let r = write_criteria(ws, &s, r + 2)?;
    write_detail(ws, &s, r + 2)
}

/// The title, how many units self-assessed and how many over-claimed in the line
/// under it, and the column widths.
fn write_title(ws: &mut Worksheet, s: &Sheet) -> Result<(), XlsxError> {
    let self_assessed = s.y.units.iter().filter(|u| u.self_index.is_some()).count();
    title(
        ws,
        s.f,
        LAST_COL,
        &format!("ĐIỂM TỰ ĐÁNH GIÁ VÀ ĐIỂM THẨM ĐỊNH NĂM {}", s.y.year),
        Some(&format!(
            "Chênh lệch = điểm tự đánh giá − điểm thẩm định; dương: đơn vị tự chấm cao hơn kết quả thẩm định. {} đơn vị có cột tự đánh \
             giá; {} đơn vị tự chấm cao hơn ở ít nhất một tiêu chí.",
            self_assessed,
            s.units.len()
        )),
    )?;
    for (c, w) in [22.0, 11.0, 52.0, 12.0, 12.0, 12.0].iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    Ok(())
}

/// Part 1: the units over-claiming most (at most [`TOP_UNITS`]), or a line saying
/// none did. Returns its last row.
fn write_units(ws: &mut Worksheet, s: &Sheet) -> Result<u32, XlsxError> {
    let f = s.f;
    ws.merge_range(
        3,
        0,
        3,
        LAST_COL,
        &format!("1. Các đơn vị tự chấm cao hơn thẩm định nhiều nhất (tối đa {TOP_UNITS} đơn vị)"),
        &f.section,
    )?;
    headers(ws, &f.header, 4, 0, &["Đơn vị", "Số tiêu chí tự chấm cao hơn", "Tổng điểm tự chấm cao hơn thẩm định"])?;
    ws.set_row_height(4, 32)?;
    let mut r = 4;
    for u in s.units.iter().take(TOP_UNITS) {
        r += 1;
        ws.write_string_with_format(r, 0, &s.a.units[u.unit].name, &f.text)?;
        ws.write_number_with_format(r, 1, u.leaves as f64, &f.center)?;
        points(ws, r, 2, u.over_claimed, &f.number)?;
    }
    if s.units.is_empty() {
        r += 1;
        ws.merge_range(r, 0, r, 2, "Không đơn vị nào tự chấm cao hơn kết quả thẩm định.", &f.italic)?;
    }
    Ok(r)
}

/// Part 2 from `top`: the criteria most often over-claimed, or a line saying none
/// was. Returns its last row.
fn write_criteria(ws: &mut Worksheet, s: &Sheet, top: u32) -> Result<u32, XlsxError> {
    let f = s.f;
    let mut r = top;
    ws.merge_range(r, 0, r, LAST_COL, "2. Các tiêu chí bị tự chấm cao hơn thẩm định nhiều nhất", &f.section)?;
    r += 1;
    headers(ws, &f.header, r, 0, &["Mã tiêu chí", "Số đơn vị tự chấm cao hơn", "Tên tiêu chí", "Tổng điểm tự chấm cao hơn thẩm định"])?;
    ws.set_row_height(r, 32)?;
    for c in &s.criteria {
        r += 1;
        ws.write_string_with_format(r, 0, &c.code, &f.center)?;
        ws.write_number_with_format(r, 1, c.units as f64, &f.center)?;
        ws.write_string_with_format(r, 2, &c.name, &f.text)?;
        points(ws, r, 3, c.over_claimed, &f.number)?;
    }
    if s.criteria.is_empty() {
        r += 1;
        ws.merge_range(r, 0, r, 3, "Không tiêu chí nào bị tự chấm cao hơn.", &f.italic)?;
    }
    Ok(r)
}

/// Part 3 from `top`: every leaf with a difference, behind an autofilter with the
/// gaps coloured (or a line saying the two scores agree everywhere); its header is
/// the row repeated on printed pages.
fn write_detail(ws: &mut Worksheet, s: &Sheet, top: u32) -> Result<(), XlsxError> {
    let (f, rows) = (s.f, s.rows);
    ws.merge_range(top, 0, top, LAST_COL, "3. Chi tiết các tiêu chí có chênh lệch (lọc theo đơn vị ở dòng tiêu đề)", &f.section)?;
    let dh = top + 1;
    headers(ws, &f.header, dh, 0, &["Đơn vị", "Mã tiêu chí", "Tên tiêu chí", "Điểm tự đánh giá", "Điểm thẩm định", "Chênh lệch"])?;
    ws.set_row_height(dh, 32)?;
    explain(ws, dh, 5, "Điểm tự đánh giá − điểm thẩm định. Dương (đỏ): tự chấm cao hơn; âm (xanh): tự chấm thấp hơn.")?;
    let columns = [(0, &f.text), (1, &f.center), (2, &f.text), (3, &f.number), (4, &f.number), (5, &f.signed)];
    block_rows(ws, dh + 1, &columns, rows.iter(), |row, g| {
        row.string(0, &s.a.units[g.unit].name, &f.text)?;
        row.string(1, &g.code, &f.center)?;
        row.string(2, &g.name, &f.text)?;
        row.number(3, g.self_score.as_f64(), &f.number)?;
        row.number(4, g.appraised.as_f64(), &f.number)?;
        row.number(5, g.gap.as_f64(), &f.signed)?;
        Ok(())
    })?;
    if rows.is_empty() {
        ws.merge_range(dh + 1, 0, dh + 1, LAST_COL, "Điểm tự đánh giá trùng điểm thẩm định ở mọi tiêu chí.", &f.italic)?;
    } else {
        let last = dh + rows.len() as u32;
        ws.autofilter(dh, 0, last, LAST_COL)?;
        colour_gaps(ws, f, dh + 1, last)?;
    }
    print_setup(ws, dh, dh)?;
    Ok(())
}

/// Over-claims are the problem here: red above zero, green below, in the
/// "Chênh lệch" column of rows `first..=last` (the reverse of [`super::colour_signs`]).
fn colour_gaps(ws: &mut Worksheet, f: &Formats, first: u32, last: u32) -> Result<(), XlsxError> {
    let over = ConditionalFormatCell::new().set_rule(ConditionalFormatCellRule::GreaterThan(0)).set_format(&f.down);
    let under = ConditionalFormatCell::new().set_rule(ConditionalFormatCellRule::LessThan(0)).set_format(&f.up);
    ws.add_conditional_format(first, 5, last, 5, &over)?;
    ws.add_conditional_format(first, 5, last, 5, &under)?;
    Ok(())
}
