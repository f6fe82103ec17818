//! The ranking workbook a district publishes for a year, formatted as a document so
//! that nobody retouches it: Vietnamese labels, Times New Roman, A4 landscape fitted
//! to the page width, header rows repeated on every printed page, document properties.
//!
//! Sheets, in order (one module each):
//! - "Xếp hạng" (`rank`): the ranking, the band summary and a chart of the indexes;
//! - "So sánh tiêu chí" (`compare`): units × areas and criteria, points and % of max;
//! - "Điểm bị trừ" (`losses`): the district Pareto of lost points and every loss;
//! - "Khắc phục so với năm trước" (`followup`): losses new, repeated and fixed since
//!   the year before, and the chronic weak criteria;
//! - "Xu hướng" (`trend`): index and rank by year;
//! - "Tự đánh giá – Thẩm định" (`gap`): self-assessed against appraised;
//! - "Độ ổn định xếp hạng" (`stability`): the ranking with each area left out;
//! - "Kiểm tra dữ liệu" (`checks`): every problem found;
//! - "Khung tiêu chí" (`framework`): the framework as read.
//!
//! A year known only from a published results table has no leaves: its workbook
//! keeps "Xếp hạng", "Xu hướng" and "Kiểm tra dữ liệu" only, and "Xếp hạng" says why.

mod checks;
mod compare;
mod followup;
mod framework;
mod gap;
mod losses;
mod rank;
pub mod rounds;
mod stability;
mod trend;

use super::style::{self, FONT, Orientation};
use crate::analyse::YearAnalyses;
use crate::findings::Findings;
use crate::model::points::Hundredths;
use crate::score::YearResult;
use rayon::prelude::*;
use rust_xlsxwriter::{
    ConditionalFormatCell, ConditionalFormatCellRule, ConditionalFormatText, ConditionalFormatTextRule, DocProperties, Format, FormatAlign,
    FormatBorder, FormatUnderline, Note, Workbook, Worksheet, XlsxError,
};

/// Name of the ranking sheet.
pub const SHEET_RANKING: &str = "Xếp hạng";
/// Name of the sheet comparing units area by area and criterion by criterion.
pub const SHEET_COMPARE: &str = "So sánh tiêu chí";
/// Name of the sheet of lost points (district Pareto and per-unit detail).
pub const SHEET_LOSSES: &str = "Điểm bị trừ";
/// Name of the sheet of losses against the year before.
pub const SHEET_FOLLOWUP: &str = "Khắc phục so với năm trước";
/// Name of the sheet of index and rank by year.
pub const SHEET_TREND: &str = "Xu hướng";
/// Name of the sheet comparing self-assessed and appraised points.
pub const SHEET_GAP: &str = "Tự đánh giá – Thẩm định";
/// Name of the sheet of appraisal rounds (only where sheets record several).
pub const SHEET_ROUNDS: &str = "Các vòng thẩm định";
/// Name of the leave-one-area-out sheet.
pub const SHEET_STABILITY: &str = "Độ ổn định xếp hạng";
/// Name of the problems sheet.
pub const SHEET_CHECKS: &str = "Kiểm tra dữ liệu";
/// Name of the framework sheet.
pub const SHEET_FRAMEWORK: &str = "Khung tiêu chí";
/// The sheets of a year scored from its leaves, in workbook order.
const SHEETS: [&str; 9] =
    [SHEET_RANKING, SHEET_COMPARE, SHEET_LOSSES, SHEET_FOLLOWUP, SHEET_TREND, SHEET_GAP, SHEET_STABILITY, SHEET_CHECKS, SHEET_FRAMEWORK];
/// The sheets of a year known only from a published results table (totals, no leaves).
const SHEETS_TOTALS_ONLY: [&str; 3] = [SHEET_RANKING, SHEET_TREND, SHEET_CHECKS];
/// First row of the ranking table's header (0-based).
pub const HEADER_ROW: u32 = 6;

/// Units from which the workbook is compressed fast rather than small: at 1,000 units
/// deflate's default level was a tenth of a run's cycles.
const LARGE_DISTRICT: usize = 200;
/// Font colours for moves up and down (Excel's "good" and "bad" greens and reds).
const UP_COLOUR: &str = "#006100";
const DOWN_COLOUR: &str = "#C00000";

/// "tăng 10 bậc", "giảm 2 bậc", "giữ nguyên", or empty without a last year.
pub fn rank_change_text(change: Option<i64>) -> String {
    match change {
        Some(0) => "giữ nguyên".to_string(),
        Some(c) if c > 0 => format!("tăng {c} bậc"),
        Some(c) => format!("giảm {} bậc", -c),
        None => String::new(),
    }
}

/// A move as a compact table cell: "▲ 3" (up), "▼ 2" (down), "=" (none), empty when unknown.
pub fn move_mark(change: Option<i64>) -> String {
    match change {
        Some(0) => "=".to_string(),
        Some(c) if c > 0 => format!("▲ {c}"),
        Some(c) => format!("▼ {}", -c),
        None => String::new(),
    }
}

/// The cell formats every sheet shares (one set per workbook, so styles.xml stays small).
pub(crate) struct Formats {
    title: Format,
    subtitle: Format,
    plain_center_bold: Format,
    italic: Format,
    section: Format,
    header: Format,
    header_area: Format,
    text: Format,
    bold_text: Format,
    center: Format,
    number: Format,
    bold_number: Format,
    signed: Format,
    stat_label: Format,
    stat_number: Format,
    up: Format,
    down: Format,
    /// Names in the framework sheet, indented by depth (0 … 5).
    indents: Vec<Format>,
}

impl Formats {
    fn new() -> Formats {
        let base = style::base();
        let cell = base.clone().set_border(FormatBorder::Thin).set_align(FormatAlign::VerticalCenter);
        let stat = cell.clone().set_bold().set_background_color("#F2F2F2");
        Formats {
            title: base.clone().set_bold().set_font_size(14).set_align(FormatAlign::Center).set_text_wrap(),
            subtitle: base.clone().set_bold().set_align(FormatAlign::Center).set_text_wrap(),
            plain_center_bold: base.clone().set_bold().set_underline(FormatUnderline::Single).set_align(FormatAlign::Center),
            italic: base.clone().set_italic().set_align(FormatAlign::Center).set_text_wrap(),
            section: base.clone().set_bold(),
            header: style::header(),
            header_area: style::header().set_background_color("#BDD7EE"),
            text: cell.clone().set_text_wrap(),
            bold_text: cell.clone().set_bold().set_text_wrap(),
            center: cell.clone().set_align(FormatAlign::Center),
            number: cell.clone().set_num_format("0.00"),
            bold_number: cell.clone().set_bold().set_num_format("0.00"),
            signed: cell.clone().set_num_format("+0.00;-0.00;0.00"),
            stat_label: stat.clone(),
            stat_number: stat.set_num_format("0.00"),
            up: Format::new().set_font_color(UP_COLOUR),
            down: Format::new().set_font_color(DOWN_COLOUR),
            indents: (0..6u8).map(|d| cell.clone().set_text_wrap().set_indent(d)).collect(),
        }
    }

    /// Every cell format, each once.
    fn all(&self) -> Vec<&Format> {
        let mut all = vec![
            &self.title,
            &self.subtitle,
            &self.plain_center_bold,
            &self.italic,
            &self.section,
            &self.header,
            &self.header_area,
            &self.text,
            &self.bold_text,
            &self.center,
            &self.number,
            &self.bold_number,
            &self.signed,
            &self.stat_label,
            &self.stat_number,
        ];
        all.extend(&self.indents);
        all
    }

    /// Gives every format its workbook-wide index, on one thread, before the sheets
    /// are filled in parallel. rust_xlsxwriter 0.102 looks a format's index up with a
    /// check-then-insert race (`format_xf_index_global`): two sheets meeting a new
    /// format at once gave it two indices, the formats table shifted, and cells
    /// took other formats at random (seen: a ranking row printed with the number
    /// format of the next column). Once every format is known, the sheets only read.
    fn register(&self, wb: &mut Workbook) -> Result<(), XlsxError> {
        let mut scratch = wb.new_worksheet_with_low_memory()?;
        for (c, format) in self.all().into_iter().enumerate() {
            scratch.write_blank(0, c as u16, format)?;
        }
        Ok(())
    }
}

/// The house page set-up, landscape, with the table's header rows `first..=last`
/// repeated on every page.
fn print_setup(ws: &mut Worksheet, first: u32, last: u32) -> Result<(), XlsxError> {
    style::print_setup(ws, Orientation::Landscape, Some((first, last)))
}

/// A sheet's title over `0..=last_col` of `row`, and an italic line under it if given.
fn title(ws: &mut Worksheet, f: &Formats, last_col: u16, text: &str, under: Option<&str>) -> Result<(), XlsxError> {
    ws.merge_range(0, 0, 0, last_col.max(1), text, &f.title)?;
    ws.set_row_height(0, 24)?;
    if let Some(u) = under {
        ws.merge_range(1, 0, 1, last_col.max(1), u, &f.italic)?;
        // Long explanations wrap: give them room.
        ws.set_row_height(1, if u.chars().count() > 150 { 48 } else { 32 })?;
    }
    Ok(())
}

/// One row of header cells from `col` on.
fn headers(ws: &mut Worksheet, f: &Format, row: u32, col: u16, labels: &[&str]) -> Result<(), XlsxError> {
    for (i, h) in labels.iter().enumerate() {
        ws.write_string_with_format(row, col + i as u16, *h, f)?;
    }
    Ok(())
}

/// A note on a header cell explaining a computation (wide enough for a sentence).
fn explain(ws: &mut Worksheet, row: u32, col: u16, text: &str) -> Result<(), XlsxError> {
    let note = Note::new(text).set_author("cchc").add_author_prefix(false).set_width(300).set_height(120).set_font_name(FONT);
    ws.insert_note(row, col, &note)?;
    Ok(())
}

/// Points as a number cell with two decimals.
fn points(ws: &mut Worksheet, row: u32, col: u16, p: impl Hundredths, f: &Format) -> Result<(), XlsxError> {
    ws.write_number_with_format(row, col, p.as_f64(), f)?;
    Ok(())
}

/// Green font for "▲" and red for "▼" in the given cells (rank moves as text).
fn colour_moves(ws: &mut Worksheet, f: &Formats, r1: u32, c1: u16, r2: u32, c2: u16) -> Result<(), XlsxError> {
    if r2 < r1 {
        return Ok(());
    }
    let up = ConditionalFormatText::new().set_rule(ConditionalFormatTextRule::Contains("▲".into())).set_format(&f.up);
    let down = ConditionalFormatText::new().set_rule(ConditionalFormatTextRule::Contains("▼".into())).set_format(&f.down);
    ws.add_conditional_format(r1, c1, r2, c2, &up)?;
    ws.add_conditional_format(r1, c1, r2, c2, &down)?;
    Ok(())
}

/// Green font above zero and red below it in the given cells (signed changes).
fn colour_signs(ws: &mut Worksheet, f: &Formats, r1: u32, c1: u16, r2: u32, c2: u16) -> Result<(), XlsxError> {
    if r2 < r1 {
        return Ok(());
    }
    let up = ConditionalFormatCell::new().set_rule(ConditionalFormatCellRule::GreaterThan(0)).set_format(&f.up);
    let down = ConditionalFormatCell::new().set_rule(ConditionalFormatCellRule::LessThan(0)).set_format(&f.down);
    ws.add_conditional_format(r1, c1, r2, c2, &up)?;
    ws.add_conditional_format(r1, c1, r2, c2, &down)?;
    Ok(())
}

/// Builds the ranking workbook of one year. `tables` are the year's analyses
/// ([`YearAnalyses::compute_all`]); `None` for a year known only from published totals,
/// which gets the sheets that need no criteria.
pub fn build(a: &Findings, tables: Option<&YearAnalyses>, y: &YearResult) -> Result<Workbook, XlsxError> {
    let f = Formats::new();
    let mut wb = Workbook::new();
    let leaves = tables.is_some();
    let district = a.district.as_deref();
    let office = a.office();
    let rounds = if leaves { crate::analyse::rounds::rounds(a, y) } else { Vec::new() };
    let mut sheets: Vec<&str> = if leaves { SHEETS.to_vec() } else { SHEETS_TOTALS_ONLY.to_vec() };
    if !rounds.is_empty() {
        let at = sheets.iter().position(|s| *s == SHEET_GAP).map_or(sheets.len(), |i| i + 1);
        sheets.insert(at, SHEET_ROUNDS);
    }
    wb.set_properties(
        &DocProperties::new()
            .set_title(format!("Kết quả xếp hạng Chỉ số CCHC năm {}", y.year))
            .set_subject(format!(
                "Chỉ số cải cách hành chính năm {} của UBND các xã, phường, thị trấn{}",
                y.year,
                match &a.settings.office {
                    Some(o) => format!(" thuộc {o}"),
                    None => district.map(|d| format!(" huyện {d}")).unwrap_or_default(),
                }
            ))
            .set_author("Phòng Nội vụ")
            .set_manager(office.clone().unwrap_or_else(|| "UBND huyện".to_string()))
            .set_company(office.unwrap_or_default())
            .set_category("Chỉ số CCHC, xếp hạng")
            .set_keywords(format!("CCHC, chỉ số cải cách hành chính, xếp hạng, {}", y.year))
            .set_status(if a.diagnostics.iter().any(|d| d.year.is_none_or(|dy| dy == y.year)) {
                "Có vấn đề dữ liệu, xem trang Kiểm tra dữ liệu"
            } else {
                "Dữ liệu không có vấn đề"
            })
            .set_comment(format!("Gồm các trang: {}. Lập bằng cchc.", sheets.join("; "))),
    );

    if y.units.len() >= LARGE_DISTRICT {
        // Deflate's default level costs seconds on a province-sized year (10,000 units:
        // 4 s, 14 MB); level 1 roughly halves that time for a file about twice as large.
        wb.set_zip_compression_level(1);
    }
    // Every sheet streams its rows to a temporary file ("low memory"): a province's
    // workbook holds millions of cells, about 200 bytes each when kept in memory. So
    // each sheet writes its rows in order (rust_xlsxwriter drops a write to a row
    // already streamed, with a message on stderr that the tests look for).
    //
    // The sheets are filled in parallel: at 10,000 units the comparison, losses and
    // gap sheets hold millions of formatted cells and the workbook was the write
    // stage's longest path.
    type Sheet<'a> = Box<dyn FnOnce(&mut Worksheet) -> Result<(), XlsxError> + Send + 'a>;
    let f = &f;
    let mut jobs: Vec<Sheet> = vec![Box::new(|ws| rank::write(ws, f, a, y))];
    if let Some(t) = tables {
        jobs.push(Box::new(|ws| compare::write(ws, f, a, t, y)));
        jobs.push(Box::new(|ws| losses::write(ws, f, a, t, y)));
        jobs.push(Box::new(|ws| followup::write(ws, f, a, t, y)));
    }
    jobs.push(Box::new(|ws| trend::write(ws, f, a, y)));
    if let Some(t) = tables {
        jobs.push(Box::new(|ws| gap::write(ws, f, a, t, y)));
        if !rounds.is_empty() {
            let rounds = &rounds;
            jobs.push(Box::new(move |ws| rounds::write(ws, f, a, rounds, y)));
        }
        jobs.push(Box::new(|ws| stability::write(ws, f, a, t, y)));
    }
    jobs.push(Box::new(|ws| checks::write(ws, f, a, y)));
    if leaves {
        jobs.push(Box::new(|ws| framework::write(ws, f, y)));
    }
    f.register(&mut wb)?;
    for _ in &jobs {
        wb.add_worksheet_with_low_memory()?;
    }
    wb.worksheets_mut().par_iter_mut().with_max_len(1).zip(jobs).try_for_each(|(ws, job)| job(ws))?;
    Ok(wb)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_valid() {
        for s in SHEETS {
            assert!(s.chars().count() <= 31 && !s.contains(['[', ']', ':', '*', '?', '/', '\\']), "{s}");
        }
    }

    #[test]
    fn moves() {
        assert_eq!(move_mark(Some(3)), "▲ 3");
        assert_eq!(move_mark(Some(-2)), "▼ 2");
        assert_eq!(move_mark(Some(0)), "=");
        assert_eq!(move_mark(None), "");
    }
}
