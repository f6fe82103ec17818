//! "Xếp hạng": the title block as decisions print it, the ranking table (two
//! decimals, frozen header), the band summary under it and a column chart of the
//! indexes under that, so that neither overlaps the other.

use super::{Formats, HEADER_ROW, SHEET_RANKING, explain, headers, points, print_setup, rank_change_text};
use crate::findings::Findings;
use crate::model::band::Bands;
use crate::model::points::{Percent, Points};
use crate::model::ranking::RankMethod;
use crate::report::style::{RowCells, block_rows};
use crate::score::{UnitResult, YearResult};
use rust_xlsxwriter::{Chart, ChartType, Format, Worksheet, XlsxError};

/// Columns before the areas: Xếp hạng, Đơn vị, Loại đơn vị, Chỉ số, Xếp loại.
const LEAD: u16 = 5;

/// What every part of the sheet shares: the formats, the analysis (unit names and
/// the district), the year, and the width of the table, which depends on how many
/// areas the year's framework has.
struct Sheet<'a> {
    f: &'a Formats,
    a: &'a Findings,
    y: &'a YearResult,
    /// The header row's labels, one per column.
    labels: Vec<String>,
}

impl<'a> Sheet<'a> {
    /// Each column of a unit's row with the format most of its cells take.
    fn unit_columns(&self) -> Vec<(u16, &'a Format)> {
        let (f, c) = (self.f, self.total_col());
        let mut columns = vec![(0, &f.center), (1, &f.text), (2, &f.center), (3, &f.number), (4, &f.center)];
        columns.extend((LEAD..c).map(|k| (k, &f.number)));
        columns.extend([(c, &f.number), (c + 1, &f.number), (c + 2, &f.number), (c + 3, &f.center), (c + 4, &f.center)]);
        columns.extend([(c + 5, &f.signed), (c + 6, &f.text)]);
        columns
    }

    /// The last column of the table ("Ghi chú"), which the title rows span.
    fn last_col(&self) -> u16 {
        self.labels.len() as u16 - 1
    }

    /// The "Tổng điểm" column, right after the areas.
    fn total_col(&self) -> u16 {
        self.labels.len() as u16 - 7
    }

    /// The last unit's row (the header row when there is no unit).
    fn last_row(&self) -> u32 {
        HEADER_ROW + self.y.units.len() as u32
    }
}

/// Writes the ranking sheet.
pub(super) fn write(ws: &mut Worksheet, f: &Formats, a: &Findings, y: &YearResult) -> Result<(), XlsxError> {
    let s = Sheet { f, a, y, labels: header_labels(y) };
    ws.set_name(SHEET_RANKING)?;
    write_title(ws, &s)?;
    write_header(ws, &s)?;
    let first = HEADER_ROW + 1;
    block_rows(ws, first, &s.unit_columns(), y.units.iter(), |row, u| write_unit(row, &s, u))?;
    // The listed units that sent nothing, under the ranked ones, unranked.
    let missing = a.missing_in(y.year);
    for (i, name) in missing.iter().enumerate() {
        let r = s.last_row() + 1 + i as u32;
        let kind = a.registry.iter().find(|u| &u.name == name).map_or("", |u| u.kind.label());
        ws.write_string_with_format(r, 0, "—", &f.center)?;
        ws.write_string_with_format(r, 1, name, &f.text)?;
        ws.write_string_with_format(r, 2, kind, &f.center)?;
        ws.write_string_with_format(r, s.last_col(), "Chưa nộp biểu", &f.text)?;
    }
    print_setup(ws, HEADER_ROW, HEADER_ROW)?;
    let previous = a.years.iter().find(|p| p.year == y.year - 1);
    let summary_end = band_summary(ws, f, y, previous, &s.a.settings.bands, s.last_row() + missing.len() as u32 + 2)?;
    write_chart(ws, &s, summary_end + 2)
}

/// The table's column labels: the fixed leading columns, one per area of this year's
/// framework (with its maximum), then the totals, the changes and the notes.
fn header_labels(y: &YearResult) -> Vec<String> {
    ["Xếp hạng", "Đơn vị", "Loại đơn vị", "Chỉ số CCHC (%)", "Xếp loại"]
        .into_iter()
        .map(String::from)
        .chain(y.framework.areas().map(|ar| format!("Lĩnh vực {} ({} điểm)", ar.code.display(), ar.max.to_vi())))
        .chain(
            [
                "Tổng điểm",
                "Điểm tối đa áp dụng",
                "Tự đánh giá (%)",
                "Hạng theo tự đánh giá",
                "Thay đổi thứ hạng",
                "Thay đổi chỉ số",
                "Ghi chú",
            ]
            .into_iter()
            .map(String::from),
        )
        .collect()
}

/// The title block as official decisions print it: the issuer and the national motto
/// side by side, the title, the count of units, and for a year known only from its
/// published totals, why the workbook has no criteria sheets.
fn write_title(ws: &mut Worksheet, s: &Sheet) -> Result<(), XlsxError> {
    let (f, y, last_col) = (s.f, s.y, s.last_col());
    let issuer = s.a.issuer();
    ws.merge_range(0, 0, 1, 2, &issuer, &f.subtitle)?;
    ws.merge_range(0, 3, 0, last_col, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", &f.subtitle)?;
    ws.merge_range(1, 3, 1, last_col, "Độc lập - Tự do - Hạnh phúc", &f.plain_center_bold)?;
    ws.set_row_height(0, 33)?;
    ws.merge_range(
        3,
        0,
        3,
        last_col,
        &format!("KẾT QUẢ XẾP HẠNG CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {} CỦA UBND CÁC XÃ, PHƯỜNG, THỊ TRẤN", y.year),
        &f.title,
    )?;
    ws.set_row_height(3, 36)?;
    ws.merge_range(
        4,
        0,
        4,
        last_col,
        &format!("(Tổng số {} đơn vị; chỉ số tính theo %, điểm làm tròn 2 chữ số thập phân)", y.units.len()),
        &f.italic,
    )?;
    if !y.has_criteria() {
        ws.merge_range(
            5,
            0,
            5,
            last_col,
            &format!(
                "Năm {} chỉ có bảng kết quả đã công bố (tổng điểm, xếp loại, thứ hạng), không có điểm từng tiêu chí, nên bảng tính này \
                 không có các trang phân tích theo tiêu chí.",
                y.year
            ),
            &f.italic,
        )?;
        ws.set_row_height(5, 32)?;
    }
    Ok(())
}

/// The header row with notes explaining the computed columns, the column widths, and
/// the frozen pane that keeps the header and the unit names in view.
fn write_header(ws: &mut Worksheet, s: &Sheet) -> Result<(), XlsxError> {
    let f = s.f;
    let labels: Vec<&str> = s.labels.iter().map(String::as_str).collect();
    headers(ws, &f.header, HEADER_ROW, 0, &labels)?;
    ws.set_row_height(HEADER_ROW, 48)?;
    let ties = match s.a.settings.ranking.method {
        RankMethod::Competition => "(1, 1, 3)",
        RankMethod::Dense => "(1, 1, 2)",
    };
    explain(
        ws,
        HEADER_ROW,
        3,
        &format!(
            "Chỉ số = tổng điểm thẩm định ÷ điểm tối đa áp dụng × 100, làm tròn 2 chữ số thập phân; cộng điểm thưởng, trừ điểm phạt. \
             Đơn vị bằng chỉ số thì đồng hạng {ties}."
        ),
    )?;
    let c_total = s.total_col();
    explain(ws, HEADER_ROW, c_total + 1, "Điểm tối đa của bộ tiêu chí trừ điểm tối đa của các tiêu chí không áp dụng với đơn vị.")?;
    explain(ws, HEADER_ROW, c_total + 3, "Thứ hạng nếu xếp theo chỉ số tự đánh giá của các đơn vị, để so với thứ hạng chính thức.")?;
    explain(ws, HEADER_ROW, c_total + 4, "So với xếp hạng năm trước.")?;
    let widths = [9.0, 22.0, 11.0, 11.0, 11.0];
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    let last_col = s.last_col();
    for c in LEAD..=last_col {
        ws.set_column_width(c, 11.0)?;
    }
    ws.set_column_width(last_col, 22.0)?;
    ws.set_freeze_panes(HEADER_ROW + 1, 2)?;
    Ok(())
}

/// One unit's row: rank, name, kind, index, band, its points per area, the
/// totals, the changes against last year and the notes.
fn write_unit<'f>(row: &mut RowCells<'_, 'f, '_>, s: &Sheet<'f>, u: &UnitResult) -> Result<(), XlsxError> {
    let f = s.f;
    let unit = &s.a.units[u.unit];
    row.number(0, u.rank, &f.center)?;
    row.string(1, &unit.name, &f.text)?;
    row.string(2, unit.kind.label(), &f.center)?;
    row.number(3, u.index.as_f64(), &f.number)?;
    row.string(4, u.band.label(), &f.center)?;
    let mut c = LEAD;
    for ar in &u.areas {
        row.number(c, ar.points.as_f64(), &f.number)?;
        c += 1;
    }
    row.number(c, u.points.as_f64(), &f.number)?;
    row.number(c + 1, u.applicable_max.as_f64(), &f.number)?;
    match u.self_index {
        Some(p) => row.number(c + 2, p.as_f64(), &f.number)?,
        None => row.blank(c + 2, &f.number)?,
    };
    match u.self_rank {
        Some(n) => row.number(c + 3, n, &f.center)?,
        None => row.blank(c + 3, &f.center)?,
    };
    row.string(c + 4, &rank_change_text(u.rank_change), &f.center)?;
    match u.index_change {
        Some(d) => row.number(c + 5, d.as_f64(), &f.signed)?,
        None => row.blank(c + 5, &f.signed)?,
    };
    let mut notes = unit_notes(u);
    if let Some(g) = s.a.group_standing(s.y, u) {
        notes = if notes.is_empty() { g } else { format!("{g}; {notes}") };
    }
    row.string(c + 6, &notes, &f.text)?;
    Ok(())
}

/// The "Ghi chú" cell: bonus and penalty points, and a pointer to the problems sheet
/// when the unit's data has an error.
fn unit_notes(u: &UnitResult) -> String {
    let mut notes = Vec::new();
    if u.bonus > Points::ZERO {
        notes.push(format!("thưởng {}", u.bonus.to_vi()));
    }
    if u.penalty > Points::ZERO {
        notes.push(format!("trừ {}", u.penalty.to_vi()));
    }
    if u.flagged {
        notes.push("có lỗi dữ liệu, xem trang Kiểm tra dữ liệu".to_string());
    }
    notes.join("; ")
}

/// A band's count against the year before: "tăng 2 đơn vị", "giảm 1 đơn vị", "giữ nguyên".
fn band_change_text(change: i64) -> String {
    match change {
        0 => "giữ nguyên".to_string(),
        c if c > 0 => format!("tăng {c} đơn vị"),
        c => format!("giảm {} đơn vị", -c),
    }
}

/// The column chart of every unit's index at `top`, under the band summary so that
/// the two do not overlap; tall enough for the unit names. Nothing without units.
fn write_chart(ws: &mut Worksheet, s: &Sheet, top: u32) -> Result<(), XlsxError> {
    let y = s.y;
    if y.units.is_empty() {
        return Ok(());
    }
    let last_row = s.last_row();
    let mut chart = Chart::new(ChartType::Column);
    chart
        .add_series()
        .set_name(&format!("Chỉ số CCHC năm {}", y.year))
        .set_categories((SHEET_RANKING, HEADER_ROW + 1, 1, last_row, 1))
        .set_values((SHEET_RANKING, HEADER_ROW + 1, 3, last_row, 3));
    chart.title().set_name(&format!("Chỉ số CCHC năm {} theo đơn vị", y.year));
    chart.x_axis().set_name("Đơn vị");
    chart.y_axis().set_name("Chỉ số (%)").set_min(0).set_max(100);
    chart.legend().set_hidden();
    let height = 420.max(18 * y.units.len() as u32).min(900);
    chart.set_width(960).set_height(height);
    ws.insert_chart(top, 0, &chart)?;
    Ok(())
}

/// The band summary ("Tổng hợp xếp loại") from `top`: count and share of units per
/// band, best band first, and the total; with the year before, the count then and the
/// change ("tăng 2 đơn vị"). Returns its last row.
fn band_summary(
    ws: &mut Worksheet,
    f: &Formats,
    y: &YearResult,
    previous: Option<&YearResult>,
    bands: &Bands,
    top: u32,
) -> Result<u32, XlsxError> {
    let n = y.units.len();
    let last = if previous.is_some() { 5 } else { 3 };
    ws.merge_range(top, 1, top, last, "TỔNG HỢP XẾP LOẠI", &f.subtitle)?;
    let header = top + 1;
    headers(ws, &f.header, header, 1, &["Xếp loại", "Số đơn vị", "Tỷ lệ (%)"])?;
    if let Some(p) = previous {
        headers(ws, &f.header, header, 4, &[&format!("Năm {}", p.year), "So với năm trước"])?;
    }
    explain(ws, header, 3, "Số đơn vị của xếp loại ÷ tổng số đơn vị × 100, làm tròn 2 chữ số thập phân.")?;
    let mut r = header;
    for band in bands.all() {
        r += 1;
        let count = y.units.iter().filter(|u| u.band == band).count();
        ws.write_string_with_format(r, 1, band.label(), &f.text)?;
        ws.write_number_with_format(r, 2, count as f64, &f.center)?;
        points(ws, r, 3, Percent::of_count(count, n.max(1)), &f.number)?;
        if let Some(p) = previous {
            let before = p.units.iter().filter(|u| bands.of(u.index) == band).count();
            ws.write_number_with_format(r, 4, before as f64, &f.center)?;
            ws.write_string_with_format(r, 5, band_change_text(count as i64 - before as i64), &f.center)?;
        }
    }
    r += 1;
    ws.write_string_with_format(r, 1, "Tổng cộng", &f.stat_label)?;
    ws.write_number_with_format(r, 2, n as f64, &f.stat_label)?;
    points(ws, r, 3, Percent::of_count(n, n), &f.stat_number)?;
    Ok(r)
}
