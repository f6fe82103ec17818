//! "So sánh tiêu chí": every unit on every area and criterion (depth 1 and 2, in
//! framework order), points and % of max, a colour scale per % column, and the
//! district statistics (Bình quân, Trung vị, Thấp nhất, Cao nhất) under the units.
//!
//! Printed across as many A4 landscape pages as needed for about ten nodes per page
//! (the unit columns repeated on each), since one page wide would be unreadable.
//!
//! Units are in Vietnamese alphabetical order: this sheet is for looking a unit up
//! and reading its strengths across criteria (the colours carry the comparison);
//! the ranking itself is on "Xếp hạng", and its rank is repeated here in a column.

use super::{Formats, SHEET_COMPARE, explain, headers, points, print_setup, title};
use crate::analyse::YearAnalyses;
use crate::analyse::compare::{CriterionComparison, UnitOnCriterion};
use crate::analyse::stats::Stats;
use crate::analysis::Analysis;
use crate::collate::Collator;
use crate::model::code::cmp_codes;
use crate::score::{UnitResult, YearResult};
use rust_xlsxwriter::{ConditionalFormat3ColorScale, Worksheet, XlsxError};
use std::collections::HashSet;

/// Header rows (two: node over "Điểm" | "% tối đa") and the first data row.
const HEAD: u32 = 3;
const FIRST: u32 = HEAD + 2;
/// Columns before the nodes: STT, Đơn vị, Chỉ số, Xếp hạng.
const LEAD: u16 = 4;
/// Nodes (two columns each) per printed page width, readable on A4 landscape.
const NODES_PER_PAGE: usize = 10;

/// Writes the comparison sheet.
pub(super) fn write(ws: &mut Worksheet, f: &Formats, a: &Analysis, t: &YearAnalyses, y: &YearResult) -> Result<(), XlsxError> {
    // A leaf area appears at both depths: once is enough.
    let mut seen: HashSet<&str> = HashSet::new();
    let mut comps: Vec<&CriterionComparison> =
        t.compare.iter().flat_map(|(_, cs)| cs).filter(|c| seen.insert(c.node.code.as_str())).collect();
    comps.sort_by(|x, z| cmp_codes(&x.node.code, &z.node.code));

    let collator = Collator::new();
    let mut units: Vec<&UnitResult> = y.units.iter().collect();
    units.sort_by(|x, z| collator.compare(&a.units[x.unit].name, &a.units[z.unit].name));

    // Each comparison's units by unit index, once (no search per cell).
    let lookup: Vec<Vec<Option<&UnitOnCriterion>>> = comps
        .iter()
        .map(|c| {
            let mut v = vec![None; a.units.len()];
            for u in &c.units {
                v[u.unit.index()] = Some(u);
            }
            v
        })
        .collect();

    let last_col = LEAD - 1 + 2 * comps.len() as u16;
    ws.set_name(SHEET_COMPARE)?;
    title(
        ws,
        f,
        last_col.min(LEAD + 9),
        &format!("SO SÁNH KẾT QUẢ THEO LĨNH VỰC, TIÊU CHÍ NĂM {}", y.year),
        Some(
            "Đơn vị xếp theo thứ tự chữ cái. % tối đa = điểm thẩm định ÷ điểm tối đa của các tiêu chí áp dụng với đơn vị × 100. \
             KAD: không áp dụng. Màu: đỏ thấp, vàng trung vị, xanh cao trong từng cột.",
        ),
    )?;
    // Rows in order, each whole before the next: the sheet streams (low memory).
    ws.set_row_height(HEAD, 110)?;
    ws.set_row_height(HEAD + 1, 30)?;
    for (c, label) in ["STT", "Đơn vị", "Chỉ số CCHC (%)", "Xếp hạng"].iter().enumerate() {
        ws.merge_range(HEAD, c as u16, HEAD + 1, c as u16, label, &f.header)?;
    }
    for (i, c) in comps.iter().enumerate() {
        let col = LEAD + 2 * i as u16;
        let area = c.node.depth() == 1;
        let code = c.node.code.display();
        let label = format!("{code}. {} ({} điểm)", c.node.name, c.node.max.to_vi());
        ws.merge_range(HEAD, col, HEAD, col + 1, &label, if area { &f.header_area } else { &f.header })?;
        ws.set_column_width(col, 8.0)?;
        ws.set_column_width(col + 1, 8.5)?;
    }
    for i in 0..comps.len() {
        headers(ws, &f.header, HEAD + 1, LEAD + 2 * i as u16, &["Điểm", "% tối đa"])?;
    }
    if !comps.is_empty() {
        explain(
            ws,
            HEAD + 1,
            LEAD + 1,
            "% tối đa = điểm thẩm định của các tiêu chí thành phần ÷ điểm tối đa của các tiêu chí áp dụng với đơn vị × 100, \
             làm tròn 2 chữ số thập phân. Tiêu chí không áp dụng (KAD) không tính.",
        )?;
    }
    for (c, w) in [5.0, 22.0, 10.0, 8.0].iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }

    for (i, u) in units.iter().enumerate() {
        let r = FIRST + i as u32;
        ws.write_number_with_format(r, 0, (i + 1) as f64, &f.center)?;
        ws.write_string_with_format(r, 1, &a.units[u.unit].name, &f.text)?;
        points(ws, r, 2, u.index, &f.number)?;
        ws.write_number_with_format(r, 3, u.rank, &f.center)?;
        for (k, look) in lookup.iter().enumerate() {
            let col = LEAD + 2 * k as u16;
            match look[u.unit.index()].and_then(|x| x.percent.map(|p| (x.points, p))) {
                Some((pts, pct)) => {
                    points(ws, r, col, pts, &f.number)?;
                    points(ws, r, col + 1, pct, &f.number)?;
                }
                None => {
                    ws.write_string_with_format(r, col, "KAD", &f.center)?;
                    ws.write_string_with_format(r, col + 1, "KAD", &f.center)?;
                }
            }
        }
    }
    let last_unit_row = FIRST + units.len() as u32 - 1;

    // District statistics: percent from the comparison, points and index likewise.
    let stats_top = FIRST + units.len() as u32;
    let mut index: Vec<i64> = units.iter().map(|u| u.index.0).collect();
    let index_stats = Stats::of(&mut index).map(|s| s.values());
    let node_points: Vec<Option<[crate::model::points::Points; 4]>> = comps
        .iter()
        .map(|c| {
            let mut v: Vec<i64> = c.units.iter().filter(|u| u.percent.is_some()).map(|u| u.points.0).collect();
            Stats::of(&mut v).map(|s| s.values())
        })
        .collect();
    for (s, label) in Stats::LABELS.iter().enumerate() {
        let r = stats_top + s as u32;
        ws.merge_range(r, 0, r, 1, label, &f.stat_label)?;
        match index_stats {
            Some(st) => points(ws, r, 2, st[s], &f.stat_number)?,
            None => {
                ws.write_blank(r, 2, &f.stat_number)?;
            }
        }
        ws.write_blank(r, 3, &f.stat_label)?;
        for (k, c) in comps.iter().enumerate() {
            let col = LEAD + 2 * k as u16;
            let any = c.units.iter().any(|u| u.percent.is_some());
            match node_points[k] {
                Some(st) if any => {
                    points(ws, r, col, st[s], &f.stat_number)?;
                    points(ws, r, col + 1, [c.mean, c.median, c.min, c.max][s], &f.stat_number)?;
                }
                _ => {
                    ws.write_blank(r, col, &f.stat_number)?;
                    ws.write_blank(r, col + 1, &f.stat_number)?;
                }
            }
        }
    }

    if !units.is_empty() {
        let scale = ConditionalFormat3ColorScale::new();
        for k in 0..comps.len() {
            let col = LEAD + 2 * k as u16 + 1;
            ws.add_conditional_format(FIRST, col, last_unit_row, col, &scale)?;
        }
    }
    ws.set_freeze_panes(FIRST, 2)?;
    print_setup(ws, HEAD, HEAD + 1)?;
    // A full framework is 40 or more nodes: one page wide would print at the 10 %
    // floor. Print about ten nodes per landscape page, the unit columns on each.
    let pages_wide = comps.len().div_ceil(NODES_PER_PAGE).max(1) as u16;
    ws.set_print_fit_to_pages(pages_wide, 0);
    ws.set_repeat_columns(0, 1)?;
    Ok(())
}
