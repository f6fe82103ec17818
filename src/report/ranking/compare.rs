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
use crate::analyse::stats::{self, Stats};
use crate::collate::Collator;
use crate::findings::Findings;
use crate::model::code::cmp_codes;
use crate::model::points::Points;
use crate::report::style::{RowCells, block_rows};
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

/// What every part of the sheet shares: the formats, the analysis (unit names), the
/// year, the nodes compared (one column pair each) and the units (one row each).
struct Sheet<'a> {
    f: &'a Formats,
    a: &'a Findings,
    y: &'a YearResult,
    /// Areas and criteria in framework order, each once.
    comps: Vec<&'a CriterionComparison>,
    /// The year's units in Vietnamese alphabetical order.
    units: Vec<&'a UnitResult>,
    /// Per node, each unit's result by unit index (no search per cell).
    lookup: Vec<Vec<Option<&'a UnitOnCriterion>>>,
}

impl<'a> Sheet<'a> {
    fn new(f: &'a Formats, a: &'a Findings, t: &'a YearAnalyses, y: &'a YearResult) -> Sheet<'a> {
        let comps = nodes(t);
        let collator = Collator::new();
        let mut units: Vec<&UnitResult> = y.units.iter().collect();
        units.sort_by(|x, z| collator.compare(&a.units[x.unit].name, &a.units[z.unit].name));
        let lookup = comps
            .iter()
            .map(|c| {
                let mut v = vec![None; a.units.len()];
                for u in &c.units {
                    v[u.unit.index()] = Some(u);
                }
                v
            })
            .collect();
        Sheet { f, a, y, comps, units, lookup }
    }

    /// The first of node `k`'s two columns ("Điểm"; "% tối đa" is the next).
    fn col(k: usize) -> u16 {
        LEAD + 2 * k as u16
    }
}

/// Writes the comparison sheet.
pub(super) fn write(ws: &mut Worksheet, f: &Formats, a: &Findings, t: &YearAnalyses, y: &YearResult) -> Result<(), XlsxError> {
    let s = Sheet::new(f, a, t, y);
    ws.set_name(SHEET_COMPARE)?;
    write_header(ws, &s)?;
    write_units(ws, &s)?;
    write_stats(ws, &s)?;
    write_area_ranks(ws, &s)?;
    colour_percents(ws, &s)?;
    ws.set_freeze_panes(FIRST, 2)?;
    print_setup(ws, HEAD, HEAD + 1)?;
    // A full framework is 40 or more nodes: one page wide would print at the 10 %
    // floor. Print about ten nodes per landscape page, the unit columns on each.
    let pages_wide = s.comps.len().div_ceil(NODES_PER_PAGE).max(1) as u16;
    ws.set_print_fit_to_pages(pages_wide, 0);
    ws.set_repeat_columns(0, 1)?;
    Ok(())
}

/// The areas and criteria compared, in framework order. A leaf area appears at both
/// depths of the analysis: once is enough.
fn nodes(t: &YearAnalyses) -> Vec<&CriterionComparison> {
    let mut seen: HashSet<&str> = HashSet::new();
    let mut comps: Vec<&CriterionComparison> =
        t.compare.iter().flat_map(|c| &c.criteria).filter(|c| seen.insert(c.node.code.as_str())).collect();
    comps.sort_by(|x, z| cmp_codes(&x.node.code, &z.node.code));
    comps
}

/// The title and the two header rows: each node (areas shaded) over its "Điểm" and
/// "% tối đa" columns, with a note on how the percentage is computed.
fn write_header(ws: &mut Worksheet, s: &Sheet) -> Result<(), XlsxError> {
    let f = s.f;
    let last_col = LEAD - 1 + 2 * s.comps.len() as u16;
    title(
        ws,
        f,
        last_col.min(LEAD + 9),
        &format!("SO SÁNH KẾT QUẢ THEO LĨNH VỰC, TIÊU CHÍ NĂM {}", s.y.year),
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
    for (i, c) in s.comps.iter().enumerate() {
        let col = Sheet::col(i);
        let area = c.node.depth() == 1;
        let code = c.node.code.display();
        let label = format!("{code}. {} ({} điểm)", c.node.name, c.node.max.to_vi());
        ws.merge_range(HEAD, col, HEAD, col + 1, &label, if area { &f.header_area } else { &f.header })?;
        ws.set_column_width(col, 8.0)?;
        ws.set_column_width(col + 1, 8.5)?;
    }
    for i in 0..s.comps.len() {
        headers(ws, &f.header, HEAD + 1, Sheet::col(i), &["Điểm", "% tối đa"])?;
    }
    if !s.comps.is_empty() {
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
    Ok(())
}

/// One row per unit: its index and rank, then points and % of max on every node,
/// "KAD" where no criterion of the node applies to it.
fn write_units(ws: &mut Worksheet, s: &Sheet) -> Result<(), XlsxError> {
    let f = s.f;
    let mut columns = vec![(0, &f.center), (1, &f.text), (2, &f.number), (3, &f.center)];
    columns.extend((0..s.lookup.len()).flat_map(|k| [(Sheet::col(k), &f.number), (Sheet::col(k) + 1, &f.number)]));
    block_rows(ws, FIRST, &columns, s.units.iter().enumerate(), |row, (i, u)| {
        unit_lead(row, s, i, u)?;
        for (k, look) in s.lookup.iter().enumerate() {
            let col = Sheet::col(k);
            match look[u.unit.index()].and_then(|x| x.percent.map(|p| (x.points, p))) {
                Some((pts, pct)) => {
                    row.number(col, pts.as_f64(), &f.number)?;
                    row.number(col + 1, pct.as_f64(), &f.number)?;
                }
                None => {
                    row.string(col, "KAD", &f.center)?;
                    row.string(col + 1, "KAD", &f.center)?;
                }
            }
        }
        Ok(())
    })
}

/// A unit's first four cells in both unit tables: its place in the list, name, index
/// and rank.
fn unit_lead<'f>(row: &mut RowCells<'_, 'f, '_>, s: &Sheet<'f>, i: usize, u: &UnitResult) -> Result<(), XlsxError> {
    let f = s.f;
    row.number(0, (i + 1) as f64, &f.center)?;
    row.string(1, &s.a.units[u.unit].name, &f.text)?;
    row.number(2, u.index.as_f64(), &f.number)?;
    row.number(3, u.rank, &f.center)?;
    Ok(())
}

/// The district statistics under the units, one row per statistic: of the index, and
/// per node of the points and (from the comparison) of the percentage, counting only
/// the units the node applies to.
fn write_stats(ws: &mut Worksheet, s: &Sheet) -> Result<(), XlsxError> {
    let f = s.f;
    let stats_top = FIRST + s.units.len() as u32;
    let mut index: Vec<i64> = s.units.iter().map(|u| u.index.0).collect();
    let index_stats = Stats::<Points>::of(&mut index).map(|x| x.values());
    let node_points: Vec<Option<[Points; 4]>> = s
        .comps
        .iter()
        .map(|c| {
            let mut v: Vec<i64> = c.units.iter().filter(|u| u.percent.is_some()).map(|u| u.points.0).collect();
            Stats::of(&mut v).map(|x| x.values())
        })
        .collect();
    for (st, label) in stats::LABELS.iter().enumerate() {
        let r = stats_top + st as u32;
        ws.merge_range(r, 0, r, 1, label, &f.stat_label)?;
        match index_stats {
            Some(v) => points(ws, r, 2, v[st], &f.stat_number)?,
            None => {
                ws.write_blank(r, 2, &f.stat_number)?;
            }
        }
        ws.write_blank(r, 3, &f.stat_label)?;
        for (k, c) in s.comps.iter().enumerate() {
            let col = Sheet::col(k);
            let any = c.units.iter().any(|u| u.percent.is_some());
            match node_points[k] {
                Some(v) if any => {
                    points(ws, r, col, v[st], &f.stat_number)?;
                    points(ws, r, col + 1, [c.mean, c.median, c.min, c.max][st], &f.stat_number)?;
                }
                _ => {
                    ws.write_blank(r, col, &f.stat_number)?;
                    ws.write_blank(r, col + 1, &f.stat_number)?;
                }
            }
        }
    }
    Ok(())
}

/// Under the statistics: each unit's rank on each area and its move since the year
/// before ("3 ▲ 2"), units in the sheet's order.
fn write_area_ranks(ws: &mut Worksheet, s: &Sheet) -> Result<(), XlsxError> {
    let f = s.f;
    let ranks = crate::analyse::compare::area_ranks(s.a, s.y);
    let areas: Vec<&crate::model::code::Code> = s.y.framework.areas().map(|n| &n.code).collect();
    if areas.is_empty() {
        return Ok(());
    }
    let top = FIRST + s.units.len() as u32 + stats::LABELS.len() as u32 + 1;
    let last = LEAD - 1 + areas.len() as u16;
    ws.merge_range(top, 0, top, last.max(LEAD), "THỨ HẠNG THEO LĨNH VỰC (▲ tăng, ▼ giảm so với năm trước)", &f.subtitle)?;
    headers(ws, &f.header, top + 1, 0, &["STT", "Đơn vị", "Chỉ số CCHC (%)", "Xếp hạng"])?;
    for (k, code) in areas.iter().enumerate() {
        ws.write_string_with_format(top + 1, LEAD + k as u16, format!("Lĩnh vực {}", code.display()), &f.header)?;
    }
    let by_unit: std::collections::HashMap<_, _> = ranks.iter().map(|(u, r)| (*u, r)).collect();
    let mut columns = vec![(0, &f.center), (1, &f.text), (2, &f.number), (3, &f.center)];
    columns.extend((0..areas.len()).map(|k| (LEAD + k as u16, &f.center)));
    let first = top + 2;
    block_rows(ws, first, &columns, s.units.iter().enumerate(), |row, (i, u)| {
        unit_lead(row, s, i, u)?;
        for (k, code) in areas.iter().enumerate() {
            let cell = by_unit.get(&u.unit).and_then(|v| v.iter().find(|x| &x.code == *code));
            let text = match cell.and_then(|x| Some((x.rank?, x.change))) {
                Some((rank, change)) => {
                    let mv = super::move_mark(change);
                    if mv.is_empty() { rank.to_string() } else { format!("{rank} {mv}") }
                }
                _ => "KAD".to_string(),
            };
            row.string(LEAD + k as u16, &text, &f.center)?;
        }
        Ok(())
    })
}

/// A red–yellow–green scale on each "% tối đa" column over the units (not the
/// statistics), so that strengths and weaknesses stand out across the district.
fn colour_percents(ws: &mut Worksheet, s: &Sheet) -> Result<(), XlsxError> {
    if s.units.is_empty() {
        return Ok(());
    }
    let last_unit_row = FIRST + s.units.len() as u32 - 1;
    let scale = ConditionalFormat3ColorScale::new();
    for k in 0..s.comps.len() {
        let col = Sheet::col(k) + 1;
        ws.add_conditional_format(FIRST, col, last_unit_row, col, &scale)?;
    }
    Ok(())
}
