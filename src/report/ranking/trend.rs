//! "Xu hướng": each unit's index and rank in every year of the analysis up to the
//! workbook's year (whatever layout each year came in), the changes against the year
//! before marked "▲ 3" / "▼ 2" in green and red, the district mean by year, and a
//! line chart of that mean and of this year's five leading units.
//!
//! Units are in this year's rank order (the sheet explains how the ranking came
//! about, and its chart follows the leaders); units absent this year follow in
//! Vietnamese alphabetical order.

use super::{Formats, SHEET_TREND, colour_moves, colour_signs, explain, headers, move_mark, points, print_setup, title};
use crate::analyse::stats::Stats;
use crate::analyse::trend::{Merger, TrendPoint, merger, trends};
use crate::collate::Collator;
use crate::findings::Findings;
use crate::model::points::Points;
use crate::model::unit::UnitId;
use crate::report::style::block_rows;
use crate::score::YearResult;
use rust_xlsxwriter::{Chart, ChartMarker, ChartMarkerType, ChartType, Worksheet, XlsxError};

const HEAD: u32 = 3;
const FIRST: u32 = HEAD + 2;
/// Leading units drawn on the chart.
const LEADERS: usize = 5;

/// Each unit's points up to the sheet's year, one column per year, in the order of
/// this year's ranking (then Vietnamese order).
type Row = (UnitId, Vec<Option<TrendPoint>>);

/// Where each year's columns are: STT, Đơn vị, then per year Chỉ số, Thứ hạng (and
/// ± chỉ số, ± hạng after the first year).
struct Columns {
    years: usize,
}

impl Columns {
    fn first(&self, k: usize) -> u16 {
        2 + if k == 0 { 0 } else { 2 + 4 * (k as u16 - 1) }
    }
    fn width(&self, k: usize) -> u16 {
        if k == 0 { 2 } else { 4 }
    }
    fn last(&self) -> u16 {
        let now = self.years - 1;
        self.first(now) + self.width(now) - 1
    }
}

/// Writes the trend sheet.
pub(super) fn write(ws: &mut Worksheet, f: &Formats, a: &Findings, y: &YearResult) -> Result<(), XlsxError> {
    let mut years: Vec<&YearResult> = a.years.iter().filter(|yy| yy.year <= y.year).collect();
    years.sort_by_key(|yy| yy.year);
    let rows = unit_rows(a, &years);
    let cols = Columns { years: years.len() };
    ws.set_name(SHEET_TREND)?;
    write_header(ws, f, &cols, &years, y)?;
    write_units(ws, f, a, &cols, &rows)?;
    let last_row = FIRST + rows.len() as u32 - 1;
    // The district mean, under the units.
    let means: Vec<Points> = years
        .iter()
        .map(|yy| Stats::<Points>::of(&mut yy.units.iter().map(|u| u.index.0).collect::<Vec<_>>()).unwrap_or_default().mean)
        .collect();
    let mean_row = last_row + 1;
    ws.merge_range(mean_row, 0, mean_row, 1, "Bình quân huyện", &f.stat_label)?;
    for (k, m) in means.iter().enumerate() {
        let c = cols.first(k);
        points(ws, mean_row, c, *m, &f.stat_number)?;
        for i in 1..cols.width(k) {
            ws.write_blank(mean_row, c + i, &f.stat_label)?;
        }
    }
    let end = write_mergers(ws, f, a, &cols, &years, &rows, mean_row)?;
    ws.set_freeze_panes(FIRST, 2)?;
    print_setup(ws, HEAD, HEAD + 1)?;
    write_chart(ws, f, a, &years, y, &means, end + 2)
}

/// Under the mean, for each unit formed from others (the unit list's `formed_from`):
/// the units it was formed from, their index and rank per year, and their mean.
/// Returns the last row written (`after` when there is no merger).
fn write_mergers(
    ws: &mut Worksheet,
    f: &Formats,
    a: &Findings,
    cols: &Columns,
    years: &[&YearResult],
    rows: &[Row],
    after: u32,
) -> Result<u32, XlsxError> {
    let mergers: Vec<(UnitId, Merger)> = rows.iter().filter_map(|(u, _)| merger(a, *u).map(|m| (*u, m))).collect();
    if mergers.is_empty() {
        return Ok(after);
    }
    let mut r = after + 2;
    ws.merge_range(r, 0, r, cols.last(), "ĐƠN VỊ HỢP NHẤT: CHỈ SỐ VÀ THỨ HẠNG CỦA CÁC ĐƠN VỊ CŨ", &f.subtitle)?;
    for (u, m) in &mergers {
        r += 1;
        ws.merge_range(r, 0, r, 1, &format!("{} (hợp nhất năm {})", a.units[*u].name, m.since), &f.stat_label)?;
        for p in &m.predecessors {
            r += 1;
            ws.write_string_with_format(r, 1, format!("← {}", p.name), &f.text)?;
            for (k, yy) in years.iter().enumerate() {
                if let Some(t) = p.points.iter().find(|t| t.year == yy.year) {
                    points(ws, r, cols.first(k), t.result.index, &f.number)?;
                    ws.write_number_with_format(r, cols.first(k) + 1, t.result.rank, &f.center)?;
                }
            }
        }
        r += 1;
        ws.write_string_with_format(r, 1, "Bình quân các đơn vị cũ", &f.stat_label)?;
        for (k, yy) in years.iter().enumerate() {
            if let Some((_, mean)) = m.means.iter().find(|(year, _)| *year == yy.year) {
                points(ws, r, cols.first(k), *mean, &f.stat_number)?;
            }
        }
    }
    Ok(r)
}

fn unit_rows(a: &Findings, years: &[&YearResult]) -> Vec<Row> {
    let mut rows: Vec<Row> = trends(a)
        .into_iter()
        .filter_map(|t| {
            let mut cols: Vec<Option<TrendPoint>> = vec![None; years.len()];
            let mut any = false;
            for p in t.points {
                if let Some(k) = years.iter().position(|yy| yy.year == p.year) {
                    cols[k] = Some(p);
                    any = true;
                }
            }
            any.then_some((t.unit, cols))
        })
        .collect();
    let now = years.len() - 1;
    let collator = Collator::new();
    rows.sort_by(|(ua, pa), (ub, pb)| {
        let key = |p: &[Option<TrendPoint>]| p[now].as_ref().map_or(u32::MAX, |x| x.result.rank);
        key(pa).cmp(&key(pb)).then_with(|| collator.compare(&a.units[*ua].name, &a.units[*ub].name))
    });
    rows
}

/// The title and the two header rows (years over their columns).
fn write_header(ws: &mut Worksheet, f: &Formats, cols: &Columns, years: &[&YearResult], y: &YearResult) -> Result<(), XlsxError> {
    title(
        ws,
        f,
        cols.last(),
        &format!("CHỈ SỐ VÀ THỨ HẠNG CÁC NĂM {}–{}", years[0].year, y.year),
        Some(&format!(
            "Đơn vị xếp theo thứ hạng năm {}. ▲ tăng bậc, ▼ giảm bậc, = giữ nguyên so với năm trước; ± chỉ số: chỉ số năm đó trừ chỉ số \
             năm trước.",
            y.year
        )),
    )?;
    ws.merge_range(HEAD, 0, HEAD + 1, 0, "STT", &f.header)?;
    ws.merge_range(HEAD, 1, HEAD + 1, 1, "Đơn vị", &f.header)?;
    ws.set_column_width(0, 5.0)?;
    ws.set_column_width(1, 22.0)?;
    for (k, yy) in years.iter().enumerate() {
        let c = cols.first(k);
        let label =
            if !yy.has_criteria() { format!("Năm {} (kết quả đã công bố)", yy.year) } else { format!("Năm {}", yy.year) };
        ws.merge_range(HEAD, c, HEAD, c + cols.width(k) - 1, &label, &f.header_area)?;
        for i in 0..cols.width(k) {
            ws.set_column_width(c + i, 9.0)?;
        }
    }
    // Rows in order, each whole before the next: the sheet streams (low memory).
    for k in 0..years.len() {
        let c = cols.first(k);
        let labels: &[&str] = if k == 0 {
            &["Chỉ số (%)", "Thứ hạng"]
        } else {
            &["Chỉ số (%)", "Thứ hạng", "± Chỉ số", "± Thứ hạng"]
        };
        headers(ws, &f.header, HEAD + 1, c, labels)?;
        if k == 1 {
            explain(ws, HEAD + 1, c + 3, "Số bậc thay đổi so với năm trước: ▲ tăng bậc (xanh), ▼ giảm bậc (đỏ), = giữ nguyên.")?;
        }
    }
    ws.set_row_height(HEAD + 1, 32)?;
    Ok(())
}

/// One row per unit: index and rank of each year, and their changes after the first.
fn write_units(ws: &mut Worksheet, f: &Formats, a: &Findings, cols: &Columns, rows: &[Row]) -> Result<(), XlsxError> {
    let mut columns = vec![(0, &f.center), (1, &f.text)];
    for k in 0..cols.years {
        let c = cols.first(k);
        columns.extend([(c, &f.number), (c + 1, &f.center)]);
        if k > 0 {
            columns.extend([(c + 2, &f.signed), (c + 3, &f.center)]);
        }
    }
    block_rows(ws, FIRST, &columns, rows.iter().enumerate(), |row, (i, (unit, points_by_year))| {
        row.number(0, (i + 1) as f64, &f.center)?;
        row.string(1, &a.units[*unit].name, &f.text)?;
        for (k, p) in points_by_year.iter().enumerate() {
            let c = cols.first(k);
            match p {
                Some(p) => row.number(c, p.result.index.as_f64(), &f.number)?.number(c + 1, p.result.rank, &f.center)?,
                None => row.blank(c, &f.number)?.blank(c + 1, &f.center)?,
            };
            if k > 0 {
                match p.as_ref().and_then(|p| p.result.index_change) {
                    Some(d) => row.number(c + 2, d.as_f64(), &f.signed)?,
                    None => row.blank(c + 2, &f.signed)?,
                };
                row.string(c + 3, &move_mark(p.as_ref().and_then(|p| p.result.rank_change)), &f.center)?;
            }
        }
        Ok(())
    })?;
    let last_row = FIRST + rows.len() as u32 - 1;
    for k in 1..cols.years {
        let c = cols.first(k);
        colour_signs(ws, f, FIRST, c + 2, last_row, c + 2)?;
        colour_moves(ws, f, FIRST, c + 3, last_row, c + 3)?;
    }
    Ok(())
}

/// The chart's data (one row per series, one column per year) at `top`, then the
/// line chart of the district mean and the year's leading units under it.
fn write_chart(
    ws: &mut Worksheet,
    f: &Formats,
    a: &Findings,
    years: &[&YearResult],
    y: &YearResult,
    means: &[Points],
    top: u32,
) -> Result<(), XlsxError> {
    let cols = Columns { years: years.len() };
    let leaders: Vec<UnitId> = y.units.iter().take(LEADERS).map(|u| u.unit).collect();
    ws.merge_range(
        top,
        0,
        top,
        cols.last().max(1 + years.len() as u16),
        &format!("Số liệu biểu đồ: chỉ số bình quân huyện và {} đơn vị dẫn đầu năm {}", leaders.len(), y.year),
        &f.section,
    )?;
    ws.write_string_with_format(top + 1, 1, "Năm", &f.header)?;
    for (k, yy) in years.iter().enumerate() {
        ws.write_number_with_format(top + 1, 2 + k as u16, yy.year, &f.header)?;
    }
    ws.write_string_with_format(top + 2, 1, "Bình quân huyện", &f.bold_text)?;
    for (k, m) in means.iter().enumerate() {
        points(ws, top + 2, 2 + k as u16, *m, &f.bold_number)?;
    }
    for (i, unit) in leaders.iter().enumerate() {
        let r = top + 3 + i as u32;
        ws.write_string_with_format(r, 1, &a.units[*unit].name, &f.text)?;
        for (k, yy) in years.iter().enumerate() {
            match yy.units.iter().find(|u| u.unit == *unit) {
                Some(u) => points(ws, r, 2 + k as u16, u.index, &f.number)?,
                None => {
                    ws.write_blank(r, 2 + k as u16, &f.number)?;
                }
            }
        }
    }
    let last_year_col = 1 + years.len() as u16;
    let mut chart = Chart::new(ChartType::Line);
    for i in 0..=leaders.len() as u32 {
        let r = top + 2 + i;
        let series = chart
            .add_series()
            .set_name((SHEET_TREND, r, 1))
            .set_categories((SHEET_TREND, top + 1, 2, top + 1, last_year_col))
            .set_values((SHEET_TREND, r, 2, r, last_year_col))
            .set_marker(ChartMarker::new().set_type(ChartMarkerType::Circle));
        if i == 0 {
            series.set_format(rust_xlsxwriter::ChartLine::new().set_width(3.0).set_color("#000000"));
        }
    }
    chart.title().set_name(&format!("Chỉ số CCHC bình quân huyện và các đơn vị dẫn đầu năm {}", y.year));
    chart.x_axis().set_name("Năm");
    chart.y_axis().set_name("Chỉ số (%)");
    chart.set_width(900).set_height(400);
    ws.insert_chart(top + 4 + leaders.len() as u32, 1, &chart)?;
    Ok(())
}
