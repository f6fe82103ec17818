//! The remediation appendix ("Phụ lục") of one unit and year, as the commune attaches
//! it to its remediation letter (see the seed letter): part 1, each area's score, the
//! index, band and rank, how far the unit is from the rank above and the next band,
//! and a radar chart of the unit against the district mean by area; part 2, every
//! sub-criterion below max with its cause (marked where it repeats the year before's
//! loss) and two empty columns the commune fills in (who fixes it and how, by when);
//! part 3, what it fixed since the year before and what it keeps at full marks.
//!
//! Every year's losses come from the run's analyses ([`YearAnalyses`], polars queries
//! never inside a rayon task); the workbooks are then built and written in parallel,
//! one per unit.

use super::remedy::{
    PART_1, PART_2, Scope, UnitPart, YearShared, area_lines, area_percent, distance_sentence, flagged_note, followup_lines, index_sentence,
    loss_cause, losses_headers, merger_sentence, nothing_lost, part_3, write_per_unit,
};
use super::style::{self, Orientation};
use crate::analyse::YearAnalyses;
use crate::analyse::followup::UnitFollowup;
use crate::analyse::losses::Loss;
use crate::error::{CchcError, Result};
use crate::findings::Findings;
use crate::model::code::area_of;
use crate::score::UnitResult;
use rust_xlsxwriter::{
    Chart, ChartLegendPosition, ChartType, DocProperties, Format, FormatAlign, FormatBorder, FormatUnderline, Workbook, Worksheet,
    XlsxError,
};
use std::path::{Path, PathBuf};

/// Name of the appendix sheet.
const SHEET_APPENDIX: &str = "Phụ lục";
/// Folder (under the year's output folder) holding the appendices.
pub const DIR: &str = "phu-luc";

/// Column widths of the appendix sheet (Excel character units): the table's six columns.
const WIDTHS: [f64; 6] = [42.0, 9.0, 10.0, 30.0, 32.0, 14.0];
const LAST_COL: u16 = 5;
/// Points per printed line of 12-point text, and the smallest height of a table row,
/// so that the fill-in columns leave room to write.
const LINE_HEIGHT: f64 = 16.0;
const MIN_ROW_HEIGHT: f64 = 48.0;

/// Rows (points) needed for `text` in a column `width` characters wide.
fn lines(text: &str, width: f64) -> f64 {
    // Times New Roman 12 fits about 1.1 characters per width unit.
    let per_line = (width * 1.1).max(1.0);
    text.split('\n').map(|l| (l.chars().count() as f64 / per_line).ceil().max(1.0)).sum()
}

struct Formats {
    heading: Format,
    heading_underlined: Format,
    title: Format,
    subtitle: Format,
    italic: Format,
    part: Format,
    paragraph: Format,
    paragraph_bold: Format,
    note: Format,
    header: Format,
    area_text: Format,
    area_number: Format,
    text: Format,
    number: Format,
    fill_in: Format,
    label: Format,
    percent: Format,
}

impl Formats {
    fn new() -> Formats {
        let base = style::base();
        let cell = base.clone().set_border(FormatBorder::Thin).set_text_wrap().set_align(FormatAlign::Top);
        let left = base.clone().set_text_wrap().set_align(FormatAlign::Left).set_align(FormatAlign::Top);
        Formats {
            heading: base.clone().set_bold().set_align(FormatAlign::Center),
            heading_underlined: base.clone().set_bold().set_underline(FormatUnderline::Single).set_align(FormatAlign::Center),
            title: base.clone().set_bold().set_font_size(14).set_align(FormatAlign::Center),
            subtitle: base.clone().set_bold().set_text_wrap().set_align(FormatAlign::Center).set_align(FormatAlign::VerticalCenter),
            italic: base.clone().set_italic().set_text_wrap().set_align(FormatAlign::Center),
            part: left.clone().set_bold(),
            paragraph: left.clone(),
            paragraph_bold: left.clone().set_bold(),
            note: left.set_italic(),
            header: style::header(),
            area_text: cell.clone().set_bold(),
            area_number: cell.clone().set_bold().set_align(FormatAlign::Center),
            text: cell.clone(),
            // General: 2, 1.6 and 0.34 as typed, no trailing zeros (cells stay numbers).
            number: cell.clone().set_align(FormatAlign::Center),
            fill_in: cell,
            label: base.clone().set_border(FormatBorder::Thin).set_align(FormatAlign::Center).set_align(FormatAlign::VerticalCenter),
            percent: base
                .set_border(FormatBorder::Thin)
                .set_num_format("0.00")
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
        }
    }
}

/// Builds one unit's appendix for a year, in the run's `formats`.
fn build(a: &Findings, p: &UnitPart, formats: &Formats) -> std::result::Result<Workbook, XlsxError> {
    let (u, shared) = (p.unit, p.shared);
    let unit = &a.units[u.unit];
    let letter =
        Letter { a, shared, formats, u, follow: p.follow, kind: unit.kind.label(), name: unit.name.as_str(), year: shared.year().year };
    let mut wb = Workbook::new();
    wb.set_zip_compression_level(1);
    wb.set_properties(&letter.properties(a.office()));
    let ws = wb.add_worksheet();
    ws.set_name(SHEET_APPENDIX)?;
    for (c, w) in WIDTHS.iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    letter.write_letterhead(ws)?;
    let row = letter.write_scores(ws, 7, p.losses)?;
    let row = letter.write_losses(ws, p.losses, row + 1)?;
    letter.write_followup(ws, row + 1)?;
    style::print_setup(ws, Orientation::Landscape, None)?;
    Ok(wb)
}

/// One unit's appendix being written: what every part of it names.
struct Letter<'a> {
    a: &'a Findings,
    /// The unit's leaves against the year before.
    follow: Option<&'a UnitFollowup>,
    shared: &'a YearShared<'a>,
    formats: &'a Formats,
    u: &'a UnitResult,
    kind: &'a str,
    name: &'a str,
    year: i32,
}

/// A paragraph across the page, its row as tall as its text needs.
fn paragraph(ws: &mut Worksheet, row: u32, text: &str, format: &Format) -> std::result::Result<(), XlsxError> {
    let full_width: f64 = WIDTHS.iter().sum();
    ws.merge_range(row, 0, row, LAST_COL, text, format)?;
    ws.set_row_height(row, LINE_HEIGHT * lines(text, full_width) + 2.0)?;
    Ok(())
}

impl Letter<'_> {
    fn properties(&self, office: Option<String>) -> DocProperties {
        let (kind, name, year) = (self.kind, self.name, self.year);
        let props = DocProperties::new()
            .set_title(format!("Phụ lục kết quả Chỉ số CCHC năm {year} của UBND {kind} {name}"))
            .set_subject(format!("Biện pháp khắc phục trong năm {}", year + 1))
            .set_author(format!("UBND {kind} {name}"))
            .set_keywords("CCHC, phụ lục, khắc phục");
        match office {
            Some(o) => props.set_company(o),
            None => props,
        }
    }

    /// The commune's letterhead, the national motto, the title and the attachment line.
    fn write_letterhead(&self, ws: &mut Worksheet) -> std::result::Result<(), XlsxError> {
        let (f, kind, name, year) = (self.formats, self.kind, self.name, self.year);
        let full_width: f64 = WIDTHS.iter().sum();
        ws.merge_range(0, 0, 0, 1, "ỦY BAN NHÂN DÂN", &f.heading)?;
        ws.merge_range(1, 0, 1, 1, &format!("{} {}", kind.to_uppercase(), name.to_uppercase()), &f.heading_underlined)?;
        ws.merge_range(0, 2, 0, LAST_COL, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", &f.heading)?;
        ws.merge_range(1, 2, 1, LAST_COL, "Độc lập - Tự do - Hạnh phúc", &f.heading_underlined)?;
        ws.merge_range(3, 0, 3, LAST_COL, "PHỤ LỤC", &f.title)?;
        let heading =
            format!("Kết quả phê duyệt Chỉ số CCHC năm {year} của UBND {kind} {name}, biện pháp giải quyết trong năm {}", year + 1);
        ws.merge_range(4, 0, 4, LAST_COL, &heading, &f.subtitle)?;
        ws.set_row_height(4, LINE_HEIGHT * lines(&heading, full_width * 0.9) + 4.0)?;
        let attached = format!("(Đính kèm Công văn số …/UBND ngày …/…/{} của UBND {kind} {name})", year + 1);
        ws.merge_range(5, 0, 5, LAST_COL, &attached, &f.italic)?;
        Ok(())
    }

    /// Part 1 from `row`: each area's score, the index sentence, the chart. Returns the
    /// next free row.
    fn write_scores(&self, ws: &mut Worksheet, mut row: u32, losses: &[&Loss]) -> std::result::Result<u32, XlsxError> {
        let (f, u, kind, name, year) = (self.formats, self.u, self.kind, self.name, self.year);
        paragraph(ws, row, PART_1, &f.part)?;
        row += 1;
        for text in area_lines(self.shared, u) {
            paragraph(ws, row, &text, &f.paragraph)?;
            row += 1;
        }
        paragraph(
            ws,
            row,
            &index_sentence(year, kind, name, u, self.shared.year().framework_of(u).total(), &self.a.standing(self.shared.year(), u)),
            &f.paragraph_bold,
        )?;
        row += 1;
        if let Some(text) = distance_sentence(self.a, self.shared.year(), u, losses) {
            paragraph(ws, row, &text, &f.paragraph)?;
            row += 1;
        }
        if let Some(m) = crate::analyse::trend::merger(self.a, u.unit) {
            paragraph(ws, row, &merger_sentence(kind, name, u, &m), &f.paragraph)?;
            row += 1;
        }
        if u.flagged {
            paragraph(ws, row, &flagged_note(kind, name, year), &f.note)?;
            row += 1;
        }
        write_chart(ws, self.shared, self.formats, u, kind, name, row)
    }

    /// Part 2 from `row`: every leaf below max, by area, with its cause and the columns
    /// to fill in; on a page of its own, so that its heading never ends a page without
    /// its table.
    /// Part 2 from `row`; returns the next free row.
    fn write_losses(&self, ws: &mut Worksheet, losses: &[&Loss], mut row: u32) -> std::result::Result<u32, XlsxError> {
        let (f, kind, name, year) = (self.formats, self.kind, self.name, self.year);
        ws.set_page_breaks(&[row])?;
        paragraph(ws, row, PART_2, &f.part)?;
        row += 1;
        if losses.is_empty() {
            paragraph(ws, row, &nothing_lost(year, kind, name), &f.paragraph)?;
            return Ok(row + 1);
        }
        let headers = losses_headers(year);
        for (c, h) in headers.iter().enumerate() {
            ws.write_string_with_format(row, c as u16, h, &f.header)?;
        }
        ws.set_row_height(row, 50.0)?;
        ws.set_repeat_rows(row, row)?;
        row += 1;
        let mut current_area: Option<&str> = None;
        for l in losses {
            let area = area_of(&l.code);
            if current_area != Some(area) {
                current_area = Some(area);
                self.write_area_row(ws, row, area)?;
                row += 1;
            }
            self.write_loss_row(ws, row, l)?;
            row += 1;
        }
        Ok(row)
    }

    /// Part 3 from `row`: what the unit fixed since the year before and the leaves it
    /// keeps at full marks ("tiếp tục duy trì").
    fn write_followup(&self, ws: &mut Worksheet, mut row: u32) -> std::result::Result<u32, XlsxError> {
        let (f, year) = (self.formats, self.year);
        paragraph(ws, row, &part_3(year), &f.part)?;
        row += 1;
        for text in followup_lines(self.follow, year) {
            paragraph(ws, row, &text, &f.paragraph)?;
            row += 1;
        }
        Ok(row)
    }

    /// An area's line in part 2: its name, max and points.
    fn write_area_row(&self, ws: &mut Worksheet, row: u32, area: &str) -> std::result::Result<(), XlsxError> {
        let f = self.formats;
        let label = self.shared.area_label(area);
        ws.write_string_with_format(row, 0, &label, &f.area_text)?;
        match self.u.areas.iter().find(|x| x.code == area) {
            Some(s) => {
                ws.write_number_with_format(row, 1, s.max.as_f64(), &f.area_number)?;
                ws.write_number_with_format(row, 2, s.points.as_f64(), &f.area_number)?;
            }
            None => {
                ws.write_blank(row, 1, &f.area_number)?;
                ws.write_blank(row, 2, &f.area_number)?;
            }
        }
        for c in 3..=LAST_COL {
            ws.write_blank(row, c, &f.area_text)?;
        }
        ws.set_row_height(row, LINE_HEIGHT * lines(&label, WIDTHS[0]) + 4.0)?;
        Ok(())
    }

    /// A leaf below max: code and name, max, score, cause, and the two cells the
    /// commune fills in.
    fn write_loss_row(&self, ws: &mut Worksheet, row: u32, l: &Loss) -> std::result::Result<(), XlsxError> {
        let f = self.formats;
        let label = format!("{}. {}", l.code, self.shared.node_name(&l.code, &l.name));
        let note = loss_cause(self.follow, self.year, l);
        let note = note.as_str();
        ws.write_string_with_format(row, 0, &label, &f.text)?;
        ws.write_number_with_format(row, 1, l.max.as_f64(), &f.number)?;
        ws.write_number_with_format(row, 2, l.score.as_f64(), &f.number)?;
        if note.is_empty() {
            ws.write_blank(row, 3, &f.text)?;
        } else {
            ws.write_string_with_format(row, 3, note, &f.text)?;
        }
        ws.write_blank(row, 4, &f.fill_in)?;
        ws.write_blank(row, 5, &f.fill_in)?;
        let needed = lines(&label, WIDTHS[0]).max(lines(note, WIDTHS[3]));
        ws.set_row_height(row, (LINE_HEIGHT * needed + 4.0).max(MIN_ROW_HEIGHT))?;
        Ok(())
    }
}

/// Height of the chart beside its data table, in points.
const CHART_HEIGHT: f64 = 250.0;

/// The radar chart of the unit against the district mean by area, beside the data it
/// plots (a small table under part 1; on the same sheet, because a second sheet costs
/// as much to write as the rest of the workbook). Returns the next free row.
fn write_chart(
    ws: &mut Worksheet,
    shared: &YearShared,
    f: &Formats,
    u: &UnitResult,
    kind: &str,
    name: &str,
    row: u32,
) -> std::result::Result<u32, XlsxError> {
    if shared.areas.is_empty() {
        return Ok(row);
    }
    let caption = format!("Tỷ lệ điểm đạt từng lĩnh vực so với bình quân huyện năm {} (% điểm tối đa):", shared.year().year);
    ws.merge_range(row, 0, row, LAST_COL, &caption, &f.paragraph)?;
    ws.set_row_height(row, LINE_HEIGHT + 2.0)?;
    let top = row + 1;
    for (c, h) in ["Lĩnh vực", "Đơn vị (%)", "Bình quân huyện (%)"].iter().enumerate() {
        ws.write_string_with_format(top, c as u16, *h, &f.header)?;
    }
    const HEADER_HEIGHT: f64 = 50.0;
    ws.set_row_height(top, HEADER_HEIGHT)?;
    let row_height = ((CHART_HEIGHT - HEADER_HEIGHT) / shared.areas.len() as f64).max(LINE_HEIGHT + 2.0);
    for (i, info) in shared.areas.iter().enumerate() {
        let r = top + 1 + i as u32;
        ws.write_string_with_format(r, 0, info.code.display(), &f.label)?;
        match u.areas.iter().find(|x| x.code == info.code).and_then(|x| area_percent(x.points, x.max)) {
            Some(p) => ws.write_number_with_format(r, 1, p.as_f64(), &f.percent)?,
            None => ws.write_blank(r, 1, &f.percent)?,
        };
        match shared.means[i] {
            Some(p) => ws.write_number_with_format(r, 2, p.as_f64(), &f.percent)?,
            None => ws.write_blank(r, 2, &f.percent)?,
        };
        ws.set_row_height(r, row_height)?;
    }
    let last = top + shared.areas.len() as u32;
    let mut chart = Chart::new(ChartType::Radar);
    chart
        .add_series()
        .set_name(&format!("{} {name}", crate::text::capitalised(kind)))
        .set_categories((SHEET_APPENDIX, top + 1, 0, last, 0))
        .set_values((SHEET_APPENDIX, top + 1, 1, last, 1));
    chart.add_series().set_name("Bình quân huyện").set_categories((SHEET_APPENDIX, top + 1, 0, last, 0)).set_values((
        SHEET_APPENDIX,
        top + 1,
        2,
        last,
        2,
    ));
    chart.y_axis().set_min(0).set_max(100);
    chart.legend().set_position(ChartLegendPosition::Bottom);
    // Beside the table, over the columns D to F (Excel: width × 7 + 5 pixels each).
    let width: f64 = WIDTHS[3..].iter().map(|w| w * 7.0 + 5.0).sum();
    let height = (HEADER_HEIGHT + row_height * shared.areas.len() as f64) * 4.0 / 3.0;
    chart.set_width(width as u32 - 10).set_height(height as u32);
    ws.insert_chart_with_offset(top, 3, &chart, 5, 0)?;
    Ok(last + 2)
}

/// The file of a unit's appendix in its year's folder.
fn appendix_file(slug: &str, year: i32) -> String {
    format!("{DIR}/phu-luc-{slug}-{year}.xlsx")
}

/// Writes every unit's appendix for every year with criteria; returns the paths written.
pub fn write_all(a: &Findings, tables: &[Option<YearAnalyses>], output: &Path) -> Result<Vec<PathBuf>> {
    let formats = Formats::new();
    write_per_unit(a, tables, output, Scope::default(), appendix_file, |p| {
        let fail = |source: XlsxError| CchcError::Workbook { path: p.path.to_path_buf(), source };
        build(a, p, &formats).map_err(fail)?.save_to_buffer().map_err(fail)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::slug;

    #[test]
    fn appendix_paths() {
        assert_eq!(
            Path::new("output/2022").join(appendix_file(&slug("Triệu Trạch"), 2022)),
            Path::new("output/2022/phu-luc/phu-luc-trieu-trach-2022.xlsx")
        );
    }

    #[test]
    fn line_estimates() {
        assert_eq!(lines("", 10.0), 1.0);
        assert_eq!(lines("a\nb", 10.0), 2.0);
        assert_eq!(lines(&"x".repeat(23), 10.0), 3.0);
    }
}
