//! "Độ ổn định xếp hạng": does the ranking hang on one area? For each unit (official
//! rank order), its rank and its rank with each area left out, with the move marked
//! "▲ 2" / "▼ 1"; under the units, per area, how many units move and the largest move.

use super::{Formats, SHEET_STABILITY, colour_moves, explain, headers, move_mark, print_setup, title};
use crate::analyse::YearAnalyses;
use crate::analyse::stability::{Moved, WithoutArea};
use crate::findings::Findings;
use crate::report::style::block_rows;
use crate::score::YearResult;
use rust_xlsxwriter::{Worksheet, XlsxError};

const HEAD: u32 = 3;
const FIRST: u32 = HEAD + 2;
/// Columns before the areas: Xếp hạng, Đơn vị, Chỉ số.
const LEAD: u16 = 3;

/// What every part of the sheet shares: the formats, the analysis (unit names), the
/// year (units in rank order) and the ranking without each area (two columns each).
struct Sheet<'a> {
    f: &'a Formats,
    a: &'a Findings,
    y: &'a YearResult,
    without: &'a [WithoutArea],
    /// Per area left out, each unit's move by unit index (no search per cell).
    lookup: Vec<Vec<Option<&'a Moved>>>,
}

impl Sheet<'_> {
    /// The first of area `k`'s two columns ("Xếp hạng"; "Thay đổi" is the next).
    fn col(k: usize) -> u16 {
        LEAD + 2 * k as u16
    }

    /// The last unit's row.
    fn last_row(&self) -> u32 {
        FIRST + self.y.units.len() as u32 - 1
    }
}

/// Writes the stability sheet.
pub(super) fn write(ws: &mut Worksheet, f: &Formats, a: &Findings, t: &YearAnalyses, y: &YearResult) -> Result<(), XlsxError> {
    let without = &t.stability;
    let lookup = without
        .iter()
        .map(|w| {
            let mut v = vec![None; a.units.len()];
            for m in &w.units {
                v[m.unit.index()] = Some(m);
            }
            v
        })
        .collect();
    let s = Sheet { f, a, y, without, lookup };
    ws.set_name(SHEET_STABILITY)?;
    write_header(ws, &s)?;
    write_units(ws, &s)?;
    write_summary(ws, &s)?;
    ws.set_freeze_panes(FIRST, 2)?;
    print_setup(ws, HEAD, HEAD + 1)?;
    Ok(())
}

/// The sentence that answers the sheet's question: which area moves the ranking
/// most, or that leaving any area out changes nothing.
fn verdict(without: &[WithoutArea]) -> String {
    let most = without.iter().max_by_key(|w| (w.moved(), w.max_shift()));
    match most {
        Some(w) if w.moved() > 0 => format!(
            " Lĩnh vực {} làm thay đổi thứ hạng nhiều nhất: {} đơn vị đổi hạng, nhiều nhất {} bậc.",
            w.area.display(),
            w.moved(),
            w.max_shift()
        ),
        _ => " Bỏ bất kỳ lĩnh vực nào, thứ hạng cũng không đổi.".to_string(),
    }
}

/// The title (with the verdict) and the two header rows: each area left out, with
/// its maximum, over its "Xếp hạng" and "Thay đổi" columns.
fn write_header(ws: &mut Worksheet, s: &Sheet) -> Result<(), XlsxError> {
    let (f, without) = (s.f, s.without);
    let last_col = LEAD - 1 + 2 * without.len() as u16;
    let verdict = verdict(without);
    title(
        ws,
        f,
        last_col.max(8),
        &format!("ĐỘ ỔN ĐỊNH CỦA XẾP HẠNG NĂM {} KHI BỎ TỪNG LĨNH VỰC", s.y.year),
        Some(&format!(
            "Xếp hạng lại khi bỏ một lĩnh vực: chỉ số = (tổng điểm − điểm lĩnh vực) ÷ (điểm tối đa áp dụng − điểm tối đa lĩnh vực) × 100, \
             không tính điểm thưởng, điểm trừ. ▲ lên hạng, ▼ xuống hạng, = giữ nguyên.{verdict}"
        )),
    )?;
    // Rows in order, each whole before the next: the sheet streams (low memory).
    ws.set_row_height(HEAD, 32)?;
    for (c, label) in ["Xếp hạng", "Đơn vị", "Chỉ số CCHC (%)"].iter().enumerate() {
        ws.merge_range(HEAD, c as u16, HEAD + 1, c as u16, label, &f.header)?;
    }
    for (c, w) in [9.0, 22.0, 10.0].iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    for (k, w) in without.iter().enumerate() {
        let c = Sheet::col(k);
        let max = s.y.framework.get(&w.area).map(|n| n.max.to_vi()).unwrap_or_default();
        ws.merge_range(HEAD, c, HEAD, c + 1, &format!("Bỏ lĩnh vực {} ({max} điểm)", w.area.display()), &f.header_area)?;
        ws.set_column_width(c, 8.0)?;
        ws.set_column_width(c + 1, 8.0)?;
    }
    for k in 0..without.len() {
        headers(ws, &f.header, HEAD + 1, Sheet::col(k), &["Xếp hạng", "Thay đổi"])?;
    }
    if !without.is_empty() {
        explain(
            ws,
            HEAD + 1,
            LEAD,
            "Thứ hạng theo chỉ số tính lại khi bỏ lĩnh vực: (tổng điểm − điểm lĩnh vực) ÷ (điểm tối đa áp dụng − điểm tối đa lĩnh vực) \
             × 100; bằng chỉ số thì đồng hạng.",
        )?;
    }
    Ok(())
}

/// One row per unit in official rank order: its rank and index, then per area left
/// out its rank without the area and the move, coloured green up and red down.
fn write_units(ws: &mut Worksheet, s: &Sheet) -> Result<(), XlsxError> {
    let f = s.f;
    let mut columns = vec![(0, &f.center), (1, &f.text), (2, &f.number)];
    columns.extend((0..s.lookup.len()).flat_map(|k| [(Sheet::col(k), &f.center), (Sheet::col(k) + 1, &f.center)]));
    block_rows(ws, FIRST, &columns, s.y.units.iter(), |row, u| {
        row.number(0, u.rank, &f.center)?;
        row.string(1, &s.a.units[u.unit].name, &f.text)?;
        row.number(2, u.index.as_f64(), &f.number)?;
        for (k, look) in s.lookup.iter().enumerate() {
            let c = Sheet::col(k);
            match look[u.unit.index()] {
                Some(m) => row.number(c, m.rank_without, &f.center)?.string(c + 1, &move_mark(Some(m.shift())), &f.center)?,
                None => row.blank(c, &f.center)?.blank(c + 1, &f.center)?,
            };
        }
        Ok(())
    })?;
    let last_row = s.last_row();
    for k in 0..s.without.len() {
        let c = Sheet::col(k) + 1;
        colour_moves(ws, f, FIRST, c, last_row, c)?;
    }
    Ok(())
}

/// Two rows under the units, per area left out: how many units change rank, and the
/// largest move in ranks.
fn write_summary(ws: &mut Worksheet, s: &Sheet) -> Result<(), XlsxError> {
    let f = s.f;
    let moved: Vec<f64> = s.without.iter().map(|w| w.moved() as f64).collect();
    let shifts: Vec<f64> = s.without.iter().map(|w| w.max_shift() as f64).collect();
    for (row, (label, values)) in (s.last_row() + 1..).zip([("Số đơn vị đổi hạng", moved), ("Dịch chuyển lớn nhất (bậc)", shifts)])
    {
        ws.merge_range(row, 0, row, LEAD - 1, label, &f.stat_label)?;
        for (k, v) in values.into_iter().enumerate() {
            let c = Sheet::col(k);
            ws.merge_range(row, c, row, c + 1, "", &f.stat_label)?;
            ws.write_number_with_format(row, c, v, &f.stat_label)?;
        }
    }
    Ok(())
}
