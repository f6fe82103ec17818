//! The ranking workbook a district publishes for a year ("Xếp hạng"), formatted as a
//! document: title block, bordered table, two decimals, frozen header, A4 print
//! set-up and a column chart of the indexes. Problems found are listed on
//! "Kiểm tra dữ liệu" so the published file says what it rests on.

use crate::diagnostic::{Diagnostic, Severity};
use crate::framework::roman;
use crate::pipeline::Analysis;
use crate::score::YearResult;
use crate::text::Points;
use rust_xlsxwriter::{Chart, ChartType, DocProperties, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};

/// Name of the ranking sheet.
pub const SHEET_RANKING: &str = "Xếp hạng";
/// Name of the problems sheet.
pub const SHEET_CHECKS: &str = "Kiểm tra dữ liệu";
/// First row of the ranking table's header (0-based).
pub const HEADER_ROW: u32 = 6;

const FONT: &str = "Times New Roman";
/// A4 in Excel's paper codes.
const PAPER_A4: u8 = 9;

/// "tăng 10 bậc", "giảm 2 bậc", "giữ nguyên", or empty without a last year.
pub fn rank_change_text(change: Option<i64>) -> String {
    match change {
        Some(0) => "giữ nguyên".to_string(),
        Some(c) if c > 0 => format!("tăng {c} bậc"),
        Some(c) => format!("giảm {} bậc", -c),
        None => String::new(),
    }
}

struct Formats {
    title: Format,
    subtitle: Format,
    plain_center_bold: Format,
    italic: Format,
    header: Format,
    text: Format,
    center: Format,
    number: Format,
    signed: Format,
}

impl Formats {
    fn new() -> Formats {
        let base = Format::new().set_font_name(FONT).set_font_size(12);
        let cell = base.clone().set_border(FormatBorder::Thin).set_align(FormatAlign::VerticalCenter);
        Formats {
            title: base.clone().set_bold().set_font_size(14).set_align(FormatAlign::Center).set_text_wrap(),
            subtitle: base.clone().set_bold().set_align(FormatAlign::Center).set_text_wrap(),
            plain_center_bold: base
                .clone()
                .set_bold()
                .set_underline(rust_xlsxwriter::FormatUnderline::Single)
                .set_align(FormatAlign::Center),
            italic: base.clone().set_italic().set_align(FormatAlign::Center),
            header: cell.clone().set_bold().set_text_wrap().set_align(FormatAlign::Center).set_background_color("#DDEBF7"),
            text: cell.clone().set_text_wrap(),
            center: cell.clone().set_align(FormatAlign::Center),
            number: cell.clone().set_num_format("0.00"),
            signed: cell.set_num_format("+0.00;-0.00;0.00"),
        }
    }
}

fn print_setup(ws: &mut Worksheet, repeat_to: u32) -> Result<(), XlsxError> {
    ws.set_paper_size(PAPER_A4);
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    ws.set_print_center_horizontally(true);
    ws.set_margins(0.5, 0.5, 0.6, 0.6, 0.3, 0.3);
    ws.set_footer("&C&\"Times New Roman\"Trang &P/&N");
    ws.set_repeat_rows(repeat_to, repeat_to)?;
    Ok(())
}

/// Builds the ranking workbook of one year.
pub fn build(a: &Analysis, y: &YearResult) -> Result<Workbook, XlsxError> {
    let f = Formats::new();
    let mut wb = Workbook::new();
    let district = a.district.clone();
    let issuer = match &district {
        Some(d) => format!("ỦY BAN NHÂN DÂN\nHUYỆN {}", d.to_uppercase()),
        None => "ỦY BAN NHÂN DÂN HUYỆN".to_string(),
    };
    wb.set_properties(
        &DocProperties::new()
            .set_title(format!("Kết quả xếp hạng Chỉ số CCHC năm {}", y.year))
            .set_subject("Chỉ số cải cách hành chính cấp xã")
            .set_author("Phòng Nội vụ")
            .set_company(district.as_deref().map(|d| format!("UBND huyện {d}")).unwrap_or_default())
            .set_keywords("CCHC, xếp hạng"),
    );

    let areas: Vec<_> = y.framework.areas().cloned().collect();
    let headers: Vec<String> = ["Xếp hạng", "Đơn vị", "Loại đơn vị", "Chỉ số CCHC (%)", "Xếp loại"]
        .into_iter()
        .map(String::from)
        .chain(areas.iter().map(|ar| format!("Lĩnh vực {} ({} điểm)", roman(ar.code.parse().unwrap_or(0)), ar.max.to_vi())))
        .chain(
            ["Tổng điểm", "Điểm tối đa áp dụng", "Tự đánh giá (%)", "Thay đổi thứ hạng", "Thay đổi chỉ số", "Ghi chú"]
                .into_iter()
                .map(String::from),
        )
        .collect();
    let last_col = headers.len() as u16 - 1;

    let ws = wb.add_worksheet();
    ws.set_name(SHEET_RANKING)?;
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

    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(HEADER_ROW, c as u16, h, &f.header)?;
    }
    ws.set_row_height(HEADER_ROW, 48)?;
    let widths = [9.0, 22.0, 11.0, 11.0, 11.0];
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    for c in 5..=last_col {
        ws.set_column_width(c, 11.0)?;
    }
    ws.set_column_width(last_col, 22.0)?;
    ws.set_freeze_panes(HEADER_ROW + 1, 2)?;

    for (i, u) in y.units.iter().enumerate() {
        let r = HEADER_ROW + 1 + i as u32;
        let unit = &a.units[u.unit];
        ws.write_number_with_format(r, 0, u.rank, &f.center)?;
        ws.write_string_with_format(r, 1, &unit.name, &f.text)?;
        ws.write_string_with_format(r, 2, unit.kind, &f.center)?;
        ws.write_number_with_format(r, 3, u.index.as_f64(), &f.number)?;
        ws.write_string_with_format(r, 4, u.band.label(), &f.center)?;
        let mut c = 5u16;
        for ar in &u.areas {
            ws.write_number_with_format(r, c, ar.points.as_f64(), &f.number)?;
            c += 1;
        }
        ws.write_number_with_format(r, c, u.points.as_f64(), &f.number)?;
        ws.write_number_with_format(r, c + 1, u.applicable_max.as_f64(), &f.number)?;
        match u.self_index {
            Some(p) => ws.write_number_with_format(r, c + 2, p.as_f64(), &f.number)?,
            None => ws.write_blank(r, c + 2, &f.number)?,
        };
        ws.write_string_with_format(r, c + 3, rank_change_text(u.rank_change), &f.center)?;
        match u.index_change {
            Some(d) => ws.write_number_with_format(r, c + 4, d.as_f64(), &f.signed)?,
            None => ws.write_blank(r, c + 4, &f.signed)?,
        };
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
        ws.write_string_with_format(r, c + 5, notes.join("; "), &f.text)?;
    }
    let last_row = HEADER_ROW + y.units.len() as u32;
    print_setup(ws, HEADER_ROW)?;

    if !y.units.is_empty() {
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
        ws.insert_chart(last_row + 3, 0, &chart)?;
    }

    let year_diags: Vec<&Diagnostic> = a.diagnostics.iter().filter(|d| d.year.is_none_or(|dy| dy == y.year)).collect();
    write_checks(wb.add_worksheet(), &f, &year_diags, y.year)?;
    Ok(wb)
}

fn write_checks(ws: &mut Worksheet, f: &Formats, diags: &[&Diagnostic], year: i32) -> Result<(), XlsxError> {
    ws.set_name(SHEET_CHECKS)?;
    ws.merge_range(0, 0, 0, 6, &format!("KẾT QUẢ KIỂM TRA DỮ LIỆU NĂM {year}"), &f.title)?;
    let (errors, warnings) =
        (diags.iter().filter(|d| d.severity == Severity::Error).count(), diags.iter().filter(|d| d.severity == Severity::Warning).count());
    ws.merge_range(1, 0, 1, 6, &format!("{errors} lỗi, {warnings} cảnh báo"), &f.italic)?;
    let headers = ["Mức độ", "Loại", "Tệp", "Trang tính", "Ô", "Đơn vị", "Nội dung và cách xử lý"];
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(3, c as u16, *h, &f.header)?;
    }
    for (c, w) in [10.0, 18.0, 40.0, 16.0, 8.0, 18.0, 80.0].iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    for (i, d) in diags.iter().enumerate() {
        let r = 4 + i as u32;
        let level = if d.severity == Severity::Error { "Lỗi" } else { "Cảnh báo" };
        let cells = [
            level,
            d.kind,
            &d.file,
            d.sheet.as_deref().unwrap_or(""),
            d.cell.as_deref().unwrap_or(""),
            d.unit.as_deref().unwrap_or(""),
            &d.message,
        ];
        for (c, v) in cells.iter().enumerate() {
            ws.write_string_with_format(r, c as u16, *v, &f.text)?;
        }
    }
    if !diags.is_empty() {
        ws.autofilter(3, 0, 3 + diags.len() as u32, 6)?;
    }
    ws.set_freeze_panes(4, 0)?;
    print_setup(ws, 3)?;
    Ok(())
}
