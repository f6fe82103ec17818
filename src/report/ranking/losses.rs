//! "Điểm bị trừ": where the district lost its points. On top the Pareto of the leaves
//! (most points lost first, with units losing, share and cumulative share) and its
//! chart (columns of lost points, cumulative share as a line on a secondary axis);
//! under it every loss per unit (Vietnamese order) with its note, behind an
//! autofilter so the office can filter by unit. The detail's header is the row
//! repeated on printed pages; no frozen pane, as it would freeze the whole Pareto.

use super::{Formats, SHEET_LOSSES, explain, headers, points, print_setup, title};
use crate::analyse::YearAnalyses;
use crate::analyse::losses::{DistrictLeaf, Loss};
use crate::findings::Findings;
use crate::model::points::Points;
use crate::report::style::block_rows;
use crate::score::YearResult;
use rust_xlsxwriter::{Chart, ChartMarkerType, ChartType, Worksheet, XlsxError};

const LAST_COL: u16 = 6;
/// Rows kept free for the Pareto chart (20 px rows).
const CHART_ROWS: u32 = 22;
/// The Pareto's header row; its leaves follow.
const PARETO_HEAD: u32 = 4;

/// What every part of the sheet shares: the formats, the analysis (unit names), the
/// year, the district's leaves and every unit's losses.
struct Sheet<'a> {
    f: &'a Formats,
    a: &'a Findings,
    y: &'a YearResult,
    /// Every leaf of the district, most points lost first.
    leaves: &'a [DistrictLeaf],
    /// The leaves that lost points: the Pareto's rows.
    lost: Vec<&'a DistrictLeaf>,
    /// Every loss of every unit: the detail's rows.
    rows: &'a [Loss],
}

/// Writes the losses sheet.
pub(super) fn write(ws: &mut Worksheet, f: &Formats, a: &Findings, t: &YearAnalyses, y: &YearResult) -> Result<(), XlsxError> {
    let lost = t.pareto.iter().filter(|l| l.lost > Points::ZERO).collect();
    let s = Sheet { f, a, y, leaves: &t.pareto, lost, rows: &t.losses };
    ws.set_name(SHEET_LOSSES)?;
    write_title(ws, &s)?;
    let pareto_end = write_pareto(ws, &s)?;
    let mut next = pareto_end + 2;
    if !s.lost.is_empty() {
        write_chart(ws, &s, pareto_end, next)?;
        next += CHART_ROWS;
    }
    write_detail(ws, &s, next)
}

/// The title, the district's total loss in the line under it (and how many leaves
/// every unit has full marks on), and the column widths.
fn write_title(ws: &mut Worksheet, s: &Sheet) -> Result<(), XlsxError> {
    let (f, lost) = (s.f, &s.lost);
    let total: Points = lost.iter().map(|l| l.lost).sum();
    let full = s.leaves.len() - lost.len();
    title(
        ws,
        f,
        LAST_COL,
        &format!("ĐIỂM BỊ TRỪ NĂM {}", s.y.year),
        Some(&format!(
            "Toàn huyện bị trừ {} điểm ở {} tiêu chí; {} tiêu chí mọi đơn vị đều đạt điểm tối đa. Điểm bị trừ = điểm tối đa − điểm thẩm \
             định (tiêu chí không áp dụng không tính).",
            total.to_vi(),
            lost.len(),
            full
        )),
    )?;
    for (c, w) in [20.0, 9.0, 52.0, 11.0, 11.0, 11.0, 40.0].iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    Ok(())
}

/// Part 1, the Pareto: the leaves that lost points, most first, with the units
/// losing, the share of the district's loss and the cumulative share. Returns the
/// last leaf's row (the header row when nothing was lost).
fn write_pareto(ws: &mut Worksheet, s: &Sheet) -> Result<u32, XlsxError> {
    let (f, lost, ph) = (s.f, &s.lost, PARETO_HEAD);
    ws.merge_range(3, 0, 3, LAST_COL, "1. Các tiêu chí bị trừ điểm, nhiều nhất trước (Pareto)", &f.section)?;
    ws.write_string_with_format(ph, 0, "Mã tiêu chí", &f.header)?;
    ws.merge_range(ph, 1, ph, 2, "Tên tiêu chí", &f.header)?;
    headers(ws, &f.header, ph, 3, &["Điểm bị trừ", "Số đơn vị bị trừ", "Tỷ lệ (%)", "Tỷ lệ lũy kế (%)"])?;
    ws.set_row_height(ph, 32)?;
    explain(ws, ph, 5, "Điểm bị trừ của tiêu chí ÷ tổng điểm bị trừ của toàn huyện × 100.")?;
    explain(ws, ph, 6, "Cộng dồn tỷ lệ từ tiêu chí bị trừ nhiều nhất: các tiêu chí đầu bảng giải thích phần lớn điểm bị trừ.")?;
    for (i, l) in lost.iter().enumerate() {
        let r = ph + 1 + i as u32;
        ws.write_string_with_format(r, 0, &l.code, &f.center)?;
        ws.merge_range(r, 1, r, 2, &l.name, &f.text)?;
        points(ws, r, 3, l.lost, &f.number)?;
        ws.write_number_with_format(r, 4, l.units_losing as f64, &f.center)?;
        points(ws, r, 5, l.share, &f.number)?;
        points(ws, r, 6, l.cumulative, &f.number)?;
    }
    Ok(ph + lost.len() as u32)
}

/// The Pareto chart at `top`, over the Pareto's rows down to `pareto_end`: columns of
/// lost points, and the cumulative share as a line on a secondary axis (0–100 %).
fn write_chart(ws: &mut Worksheet, s: &Sheet, pareto_end: u32, top: u32) -> Result<(), XlsxError> {
    let ph = PARETO_HEAD;
    let mut chart = Chart::new(ChartType::Column);
    chart.add_series().set_name("Điểm bị trừ").set_categories((SHEET_LOSSES, ph + 1, 0, pareto_end, 0)).set_values((
        SHEET_LOSSES,
        ph + 1,
        3,
        pareto_end,
        3,
    ));
    let mut line = Chart::new(ChartType::Line);
    line.add_series()
        .set_name("Tỷ lệ lũy kế (%)")
        .set_categories((SHEET_LOSSES, ph + 1, 0, pareto_end, 0))
        .set_values((SHEET_LOSSES, ph + 1, 6, pareto_end, 6))
        .set_marker(rust_xlsxwriter::ChartMarker::new().set_type(ChartMarkerType::Circle))
        .set_secondary_axis(true);
    chart.combine(&line);
    chart.title().set_name(&format!("Điểm bị trừ theo tiêu chí năm {} (Pareto)", s.y.year));
    chart.x_axis().set_name("Tiêu chí");
    chart.y_axis().set_name("Điểm bị trừ");
    chart.y2_axis().set_name("Tỷ lệ lũy kế (%)").set_min(0).set_max(100);
    chart.set_width(960).set_height(CHART_ROWS * 20 - 20);
    ws.insert_chart(top, 0, &chart)?;
    Ok(())
}

/// Part 2 from `top`: every loss of every unit with its note, behind an autofilter
/// (or a line saying no unit lost points); its header is the row repeated on
/// printed pages.
fn write_detail(ws: &mut Worksheet, s: &Sheet, top: u32) -> Result<(), XlsxError> {
    let (f, rows) = (s.f, s.rows);
    ws.merge_range(top, 0, top, LAST_COL, "2. Chi tiết điểm bị trừ của từng đơn vị (lọc theo đơn vị ở dòng tiêu đề)", &f.section)?;
    let dh = top + 1;
    headers(
        ws,
        &f.header,
        dh,
        0,
        &["Đơn vị", "Mã tiêu chí", "Tên tiêu chí", "Điểm tối đa", "Điểm thẩm định", "Điểm bị trừ", "Ghi chú, nguyên nhân"],
    )?;
    ws.set_row_height(dh, 32)?;
    let columns = [(0, &f.text), (1, &f.center), (2, &f.text), (3, &f.number), (4, &f.number), (5, &f.number), (6, &f.text)];
    block_rows(ws, dh + 1, &columns, rows.iter(), |row, l| {
        row.string(0, &s.a.units[l.unit].name, &f.text)?;
        row.string(1, &l.code, &f.center)?;
        row.string(2, &l.name, &f.text)?;
        row.number(3, l.max.as_f64(), &f.number)?;
        row.number(4, l.score.as_f64(), &f.number)?;
        row.number(5, l.lost.as_f64(), &f.number)?;
        row.string(6, l.note.as_deref().unwrap_or(""), &f.text)?;
        Ok(())
    })?;
    if rows.is_empty() {
        ws.merge_range(dh + 1, 0, dh + 1, LAST_COL, "Không đơn vị nào bị trừ điểm.", &f.italic)?;
    } else {
        ws.autofilter(dh, 0, dh + rows.len() as u32, LAST_COL)?;
    }
    print_setup(ws, dh, dh)?;
    Ok(())
}
