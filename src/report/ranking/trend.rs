//! "Xu hướng": each unit's index and rank in every year of the analysis up to the
//! workbook's year (whatever layout each year came in), the changes against the year
//! before marked "▲ 3" / "▼ 2" in green and red, the district mean by year, and a
//! line chart of that mean and of this year's five leading units.
//!
//! Units are in this year's rank order (the sheet explains how the ranking came
//! about, and its chart follows the leaders); units absent this year follow in
//! Vietnamese alphabetical order.

use super::{Formats, SHEET_TREND, colour_moves, colour_signs, explain, headers, move_mark, points, print_setup, title};
use crate::analyse::trend::{TrendPoint, trends};
use crate::collate::Collator;
use crate::model::points::Points;
use crate::model::unit::UnitId;
use crate::pipeline::Analysis;
use crate::score::YearResult;
use rust_xlsxwriter::{Chart, ChartMarker, ChartMarkerType, ChartType, Format, Worksheet, XlsxError};

const HEAD: u32 = 3;
const FIRST: u32 = HEAD + 2;
/// Leading units drawn on the chart.
const LEADERS: usize = 5;

/// Writes the trend sheet.
pub(super) fn write(ws: &mut Worksheet, f: &Formats, a: &Analysis, y: &YearResult) -> Result<(), XlsxError> {
    let mut years: Vec<&YearResult> = a.years.iter().filter(|yy| yy.year <= y.year).collect();
    years.sort_by_key(|yy| yy.year);
    // Each unit's points up to this year, by year column.
    let mut rows: Vec<(UnitId, Vec<Option<TrendPoint>>)> = trends(a)
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

    // Columns: STT, Đơn vị, then per year: Chỉ số, Thứ hạng (+ ± chỉ số, ± hạng after the first year).
    let year_col = |k: usize| -> u16 { 2 + if k == 0 { 0 } else { 2 + 4 * (k as u16 - 1) } };
    let width = |k: usize| -> u16 { if k == 0 { 2 } else { 4 } };
    let last_col = year_col(now) + width(now) - 1;

    ws.set_name(SHEET_TREND)?;
    title(
        ws,
        f,
        last_col,
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
        let c = year_col(k);
        let label =
            if !yy.has_criteria() { format!("Năm {} (kết quả đã công bố)", yy.year) } else { format!("Năm {}", yy.year) };
        ws.merge_range(HEAD, c, HEAD, c + width(k) - 1, &label, &f.header_area)?;
        for i in 0..width(k) {
            ws.set_column_width(c + i, 9.0)?;
        }
    }
    // Rows in order, each whole before the next: the sheet streams (low memory).
    for k in 0..years.len() {
        let c = year_col(k);
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

    for (i, (unit, cols)) in rows.iter().enumerate() {
        let r = FIRST + i as u32;
        ws.write_number_with_format(r, 0, (i + 1) as f64, &f.center)?;
        ws.write_string_with_format(r, 1, &a.units[*unit].name, &f.text)?;
        for (k, p) in cols.iter().enumerate() {
            let c = year_col(k);
            let blank = |ws: &mut Worksheet, c: u16, fmt: &Format| ws.write_blank(r, c, fmt).map(|_| ());
            match p {
                Some(p) => {
                    points(ws, r, c, p.result.index, &f.number)?;
                    ws.write_number_with_format(r, c + 1, p.result.rank, &f.center)?;
                }
                None => {
                    blank(ws, c, &f.number)?;
                    blank(ws, c + 1, &f.center)?;
                }
            }
            if k > 0 {
                match p.as_ref().and_then(|p| p.result.index_change) {
                    Some(d) => points(ws, r, c + 2, d, &f.signed)?,
                    None => blank(ws, c + 2, &f.signed)?,
                }
                ws.write_string_with_format(r, c + 3, move_mark(p.as_ref().and_then(|p| p.result.rank_change)), &f.center)?;
            }
        }
    }
    let last_row = FIRST + rows.len() as u32 - 1;
    for k in 1..years.len() {
        let c = year_col(k);
        colour_signs(ws, f, FIRST, c + 2, last_row, c + 2)?;
        colour_moves(ws, f, FIRST, c + 3, last_row, c + 3)?;
    }

    // The district mean, under the units.
    let means: Vec<Points> =
        years.iter().map(|yy| Points::ratio(yy.units.iter().map(|u| u.index.0 as i128).sum(), yy.units.len().max(1) as i128)).collect();
    let mean_row = last_row + 1;
    ws.merge_range(mean_row, 0, mean_row, 1, "Bình quân huyện", &f.stat_label)?;
    for (k, m) in means.iter().enumerate() {
        let c = year_col(k);
        points(ws, mean_row, c, *m, &f.stat_number)?;
        for i in 1..width(k) {
            ws.write_blank(mean_row, c + i, &f.stat_label)?;
        }
    }
    ws.set_freeze_panes(FIRST, 2)?;
    print_setup(ws, HEAD, HEAD + 1)?;

    // The chart's data: one row per series, one column per year, then the chart.
    let top = mean_row + 2;
    let leaders: Vec<UnitId> = y.units.iter().take(LEADERS).map(|u| u.unit).collect();
    ws.merge_range(
        top,
        0,
        top,
        last_col.max(1 + years.len() as u16),
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
