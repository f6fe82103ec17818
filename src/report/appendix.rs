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

use super::style::{self, Orientation};
use crate::analyse::YearAnalyses;
use crate::analyse::followup::{Status, UnitFollowup};
use crate::analyse::losses::Loss;
use crate::analyse::stats::Stats;
use crate::analysis::Analysis;
use crate::collate::Collator;
use crate::error::{CchcError, Result};
use crate::model::code::{Code, area_of};
use crate::model::points::{Percent, Points};
use crate::model::unit::UnitId;
use crate::report::ranking::{SHEET_CHECKS, rank_change_text};
use crate::score::{UnitResult, YearResult};
use crate::text::fold;
use crate::write::output::write_parallel;
use rust_xlsxwriter::{
    Chart, ChartLegendPosition, ChartType, DocProperties, Format, FormatAlign, FormatBorder, FormatUnderline, Workbook, Worksheet,
    XlsxError,
};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Name of the appendix sheet.
pub const SHEET_APPENDIX: &str = "Phụ lục";
/// Folder (under the year's output folder) holding the appendices.
pub const DIR: &str = "phu-luc";

/// Column widths of the appendix sheet (Excel character units): the table's six columns.
const WIDTHS: [f64; 6] = [42.0, 9.0, 10.0, 30.0, 32.0, 14.0];
const LAST_COL: u16 = 5;
/// Points per printed line of 12-point text, and the smallest height of a table row,
/// so that the fill-in columns leave room to write.
const LINE_HEIGHT: f64 = 16.0;
const MIN_ROW_HEIGHT: f64 = 48.0;

/// ASCII-folded, lowercase, hyphenated form of a unit name for file names:
/// "Triệu Trạch" → "trieu-trach".
pub fn slug(name: &str) -> String {
    let folded = fold(name);
    let mut out = String::with_capacity(folded.len());
    for c in folded.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() { "don-vi".to_string() } else { out }
}

/// Where a unit's appendix for a year goes: `output/<year>/phu-luc/phu-luc-<slug>-<year>.xlsx`.
pub fn appendix_path(output: &Path, year: i32, unit_name: &str) -> PathBuf {
    output.join(year.to_string()).join(appendix_file(&slug(unit_name), year))
}

/// A name for documents: names typed in capitals ("CÔNG TÁC CHỈ ĐẠO …") in sentence case,
/// keeping the usual acronyms; others as they are.
pub fn sentence_case(name: &str) -> String {
    if name.chars().any(char::is_lowercase) {
        return name.to_string();
    }
    const ACRONYMS: [&str; 14] =
        ["CCHC", "TTHC", "UBND", "HĐND", "CNTT", "VBQPPL", "QPPL", "DVC", "DVCTT", "PAPI", "PAR", "ISO", "TCVN", "HCNN"];
    let mut out = String::with_capacity(name.len());
    for (i, word) in name.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let core = word.trim_matches(|c: char| !c.is_alphanumeric());
        if ACRONYMS.contains(&core) {
            out.push_str(word);
            continue;
        }
        let lower = word.to_lowercase();
        if i == 0 {
            let mut cs = lower.chars();
            if let Some(f) = cs.next() {
                out.extend(f.to_uppercase());
                out.push_str(cs.as_str());
            }
        } else {
            out.push_str(&lower);
        }
    }
    out
}

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

/// One area of a year, as the appendices print it.
#[derive(Debug, Clone)]
struct AreaInfo {
    /// Area code ("1"; printed "I").
    code: Code,
    /// Display name (sentence case when the framework holds capitals).
    name: String,
}

/// What every appendix of a year shares, computed once per year rather than per unit:
/// the areas' display names, the district mean per area, the formats.
pub struct YearShared<'a> {
    year: &'a YearResult,
    areas: Vec<AreaInfo>,
    /// District mean of the units' area percentages, area order; `None` where no unit has
    /// anything applicable in the area.
    means: Vec<Option<Percent>>,
    /// Display names of the framework nodes whose framework name is in capitals.
    recased: HashMap<String, String>,
    formats: Formats,
}

/// A unit's percentage of an area's applicable max (hundredths); `None` when nothing applies.
fn area_percent(points: Points, max: Points) -> Option<Percent> {
    Percent::of_applicable(points, max)
}

impl<'a> YearShared<'a> {
    /// Precomputes what the year's appendices share.
    pub fn new(y: &'a YearResult) -> YearShared<'a> {
        let recased = recased_names(y);
        let areas: Vec<AreaInfo> = y
            .framework
            .areas()
            .map(|n| AreaInfo { code: n.code.clone(), name: recased.get(n.code.as_str()).cloned().unwrap_or_else(|| n.name.clone()) })
            .collect();
        let means = (0..areas.len())
            .map(|i| {
                let mut percents: Vec<i64> =
                    y.units.iter().filter_map(|u| u.areas.get(i)).filter_map(|ar| area_percent(ar.points, ar.max)).map(|p| p.0).collect();
                Stats::<Percent>::of(&mut percents).map(|s| s.mean)
            })
            .collect();
        YearShared { year: y, areas, means, recased, formats: Formats::new() }
    }

    /// An area's heading in a losses table: "I. Công tác chỉ đạo, điều hành CCHC".
    pub fn area_label(&self, area: &str) -> String {
        match self.areas.iter().find(|x| x.code == area) {
            Some(info) => format!("{}. {}", info.code.display(), info.name),
            None => format!("Lĩnh vực {area}"),
        }
    }

    /// The year these appendices are for.
    pub fn year(&self) -> &YearResult {
        self.year
    }

    /// The name a document prints for a framework code.
    pub fn node_name(&self, code: &str, fallback: &str) -> String {
        if let Some(n) = self.recased.get(code) {
            return n.clone();
        }
        let name = self.year.node(code).map_or(fallback, |n| n.name.as_str());
        let name = if name.is_empty() { fallback } else { name };
        sentence_case(name)
    }
}

/// For framework names typed in capitals: the most common lower-case spelling the
/// year's sheets use for the same words (the framework keeps it), else the
/// sentence-cased name.
fn recased_names(y: &YearResult) -> HashMap<String, String> {
    y.framework
        .nodes
        .iter()
        .filter(|n| !n.name.chars().any(char::is_lowercase) && n.name.chars().any(char::is_uppercase))
        .map(|n| (n.code.to_string(), n.lower_case_name.clone().unwrap_or_else(|| sentence_case(&n.name))))
        .collect()
}

/// The distances to the unit ranked above and to the next band, exactly on the index
/// scale: "Cần thêm 0,42 điểm để lên hạng 2; 1,2 điểm để đạt loại Tốt." None at the top.
pub fn distance_sentence(a: &Analysis, y: &YearResult, u: &UnitResult, losses: &[&Loss]) -> Option<String> {
    use crate::analyse::distance::{to_next_band, to_next_rank};
    let mut parts = Vec::new();
    if let Some(r) = to_next_rank(y, u, losses) {
        parts.push(format!("{} điểm để lên hạng {}", r.to_tie.to_vi(), r.rank));
    }
    if let Some(b) = to_next_band(&a.settings.bands, u, losses) {
        parts.push(format!("{} điểm để đạt loại {}", b.points.to_vi(), b.band.label()));
    }
    (!parts.is_empty()).then(|| format!("Cần thêm {}.", parts.join("; ")))
}

/// The sentence on a merged unit against the units it was formed from, in the last
/// year before the merger: "Xã X được hợp nhất năm 2025 từ A, B; năm 2024 chỉ số CCHC
/// của các đơn vị cũ: A 80 (thứ 5), B 85,2 (thứ 2), bình quân 82,6; chỉ số năm nay cao
/// hơn bình quân đó 3,4 điểm."
pub fn merger_sentence(kind: &str, name: &str, u: &UnitResult, m: &crate::analyse::trend::Merger) -> String {
    let mut s = format!("{} {name} được hợp nhất năm {} từ {}", sentence_case(kind), m.since, m.names());
    if let Some((y, mean)) = m.means.last() {
        s.push_str(&format!("; năm {y} chỉ số CCHC của các đơn vị cũ: {}, bình quân {}", m.year_text(*y), mean.to_vi()));
        let d = u.index - *mean;
        s.push_str(&match d.0.signum() {
            1 => format!("; chỉ số năm nay cao hơn bình quân đó {} điểm", d.to_vi()),
            -1 => format!("; chỉ số năm nay thấp hơn bình quân đó {} điểm", Points(-d.0).to_vi()),
            _ => "; chỉ số năm nay bằng bình quân đó".to_string(),
        });
    }
    s.push('.');
    s
}

/// The sentence on the index, band and rank ("Chỉ số CCHC năm 2022 của xã Triệu Trạch
/// là 90,74 điểm, xếp loại Tốt, đứng thứ 1/18, tăng 10 bậc so với năm 2021.").
///
/// Where the framework totals other than 100 (Bảng IV totals 60), the points and the
/// percentage are both given, as provinces publish: "… đạt 45/60 điểm, chỉ số 75,00%".
pub fn index_sentence(year: i32, kind: &str, name: &str, u: &UnitResult, total: Points, standing: &str) -> String {
    let hundred = Points(10_000);
    let mut s = if total == hundred {
        format!("Chỉ số CCHC năm {year} của {kind} {name} là {} điểm", u.index.to_vi())
    } else {
        format!(
            "Chỉ số CCHC năm {year} của {kind} {name}: đạt {}/{} điểm, chỉ số {}%",
            u.points.to_vi(),
            u.applicable_max.to_vi(),
            u.index.to_vi_fixed()
        )
    };
    let mut parts = Vec::new();
    if total == hundred && (u.applicable_max != hundred || u.bonus > Points::ZERO || u.penalty > Points::ZERO) {
        parts.push(format!("tổng điểm các tiêu chí đạt {}/{}", u.points.to_vi(), u.applicable_max.to_vi()));
    }
    if u.bonus > Points::ZERO {
        parts.push(format!("cộng {} điểm thưởng", u.bonus.to_vi()));
    }
    if u.penalty > Points::ZERO {
        parts.push(format!("trừ {} điểm", u.penalty.to_vi()));
    }
    if !parts.is_empty() {
        s.push_str(&format!(" ({})", parts.join(", ")));
    }
    s.push_str(&format!(", xếp loại {}, đứng thứ {standing}", u.band.label()));
    let change = rank_change_text(u.rank_change);
    if !change.is_empty() {
        s.push_str(&format!(", {change} so với năm {}", year - 1));
    }
    s.push('.');
    s
}

/// Part 1's heading (the seed's words).
pub const PART_1: &str = "1. Điểm số từng tiêu chí đạt được";
/// Part 2's heading (the seed's words).
pub const PART_2: &str =
    "2. Điểm số chưa đạt đối với các tiêu chí thành phần, nguyên nhân, trách nhiệm, biện pháp khắc phục và thời gian hoàn thành:";

/// Part 3's heading.
pub fn part_3(year: i32) -> String {
    format!("3. Kết quả khắc phục so với năm {}:", year - 1)
}

/// Part 2's table header, as the seed's Phụ lục has it.
pub fn losses_headers(year: i32) -> [String; 6] {
    [
        "Lĩnh vực/Tiêu chí/Tiêu chí thành phần".to_string(),
        "Điểm tối đa".to_string(),
        "Điểm thẩm định".to_string(),
        "Nguyên nhân không đạt điểm tối đa".to_string(),
        format!("Phân công nhiệm vụ thực hiện và biện pháp khắc phục trong năm {}", year + 1),
        "Thời gian hoàn thành".to_string(),
    ]
}

/// Part 2 where nothing was lost.
pub fn nothing_lost(year: i32, kind: &str, name: &str) -> String {
    format!(
        "Năm {year}, {kind} {name} đạt điểm tối đa ở tất cả các tiêu chí thành phần được áp dụng; không có tiêu chí nào phải khắc phục."
    )
}

/// One line per area, as the seed letter lists them: "- Tiêu chí thứ 1: Công tác chỉ
/// đạo, điều hành về cải cách hành chính, đạt 17,1/21 điểm;" (the last ends with ".").
pub fn area_lines(shared: &YearShared, u: &UnitResult) -> Vec<String> {
    let fw_areas: HashMap<&str, Points> = shared.year.framework.areas().map(|n| (n.code.as_str(), n.max)).collect();
    u.areas
        .iter()
        .enumerate()
        .map(|(i, ar)| {
            let area_name = shared.areas.iter().find(|x| x.code == ar.code).map_or(ar.code.as_str(), |x| x.name.as_str());
            let end = if i + 1 == u.areas.len() { "." } else { ";" };
            let na = fw_areas.get(ar.code.as_str()).copied().unwrap_or(ar.max) - ar.max;
            let code = &ar.code;
            if ar.max == Points::ZERO {
                format!("- Tiêu chí thứ {code}: {area_name}, không áp dụng{end}")
            } else if na > Points::ZERO {
                let (p, m, n) = (ar.points.to_vi(), ar.max.to_vi(), na.to_vi());
                format!("- Tiêu chí thứ {code}: {area_name}, đạt {p}/{m} điểm ({n} điểm không áp dụng){end}")
            } else {
                format!("- Tiêu chí thứ {code}: {area_name}, đạt {}/{} điểm{end}", ar.points.to_vi(), ar.max.to_vi())
            }
        })
        .collect()
}

/// Said wherever a unit's figures are printed when its sheet had data errors (a stated
/// total the leaves do not add up to, …): the figures are what the leaves add to.
pub fn flagged_note(kind: &str, name: &str, year: i32) -> String {
    format!(
        "Lưu ý: biểu chấm điểm của {kind} {name} năm {year} có lỗi dữ liệu (xem trang \"{SHEET_CHECKS}\" của bảng xếp hạng); điểm trên là tổng điểm thẩm định của các tiêu chí thành phần."
    )
}

/// What the unit fixed since the year before and what it keeps at full marks: a
/// summary line, then "- Đã khắc phục: …" and "- Tiếp tục duy trì điểm tối đa: …" where
/// there are any; one line when the year before has no leaves to compare.
pub fn followup_lines(follow: Option<&UnitFollowup>, year: i32) -> Vec<String> {
    let Some(fu) = follow.filter(|fu| fu.previous.is_some()) else {
        return vec![format!("Không có kết quả năm {} theo tiêu chí để so sánh.", year - 1)];
    };
    let c = fu.counts;
    let mut lines = vec![format!(
        "So với năm {}: {} tiêu chí thành phần đã khắc phục, {} tiêu chí bị trừ điểm lặp lại, {} tiêu chí mới bị trừ điểm, {} tiêu chí tiếp tục đạt điểm tối đa.",
        year - 1,
        c.fixed,
        c.repeated,
        c.new,
        c.kept
    )];
    let fixed: Vec<String> = fu
        .of(Status::Fixed)
        .map(|l| format!("{} ({} → {})", l.code, l.before.as_ref().map_or(String::new(), |b| b.0.to_vi()), l.score.to_vi()))
        .collect();
    if !fixed.is_empty() {
        lines.push(format!("- Đã khắc phục: {}.", fixed.join("; ")));
    }
    let kept: Vec<String> = fu.of(Status::Kept).map(|l| l.code.to_string()).collect();
    if !kept.is_empty() {
        lines.push(format!("- Tiếp tục duy trì điểm tối đa: {}.", kept.join(", ")));
    }
    lines
}

/// A lost leaf's cause as the sheet's note gives it, with a line saying so where the
/// loss repeats the year before's: "Lặp lại từ năm 2021 (năm 2021 đạt 1/2)".
pub fn loss_cause(follow: Option<&UnitFollowup>, year: i32, l: &Loss) -> String {
    let repeated = follow.and_then(|fu| fu.leaves.iter().find(|x| x.code == l.code && x.status == Status::Repeated));
    match repeated.and_then(|x| x.before.as_ref()) {
        Some(b) => {
            let mark = format!("Lặp lại từ năm {} (năm {} đạt {}/{})", year - 1, year - 1, b.0.to_vi(), l.max.to_vi());
            match l.note.as_deref().filter(|n| !n.is_empty()) {
                Some(n) => format!("{n}\n{mark}"),
                None => mark,
            }
        }
        None => l.note.clone().unwrap_or_default(),
    }
}

/// Builds one unit's appendix for a year. `losses` are the unit's leaves below max, in
/// code order (from [`crate::analyse::losses::losses`]).
pub fn build(
    a: &Analysis,
    shared: &YearShared,
    u: &UnitResult,
    losses: &[&Loss],
    follow: Option<&UnitFollowup>,
) -> std::result::Result<Workbook, XlsxError> {
    let unit = &a.units[u.unit];
    let letter = Letter { a, shared, u, follow, kind: unit.kind.label(), name: unit.name.as_str(), year: shared.year.year };
    let mut wb = Workbook::new();
    wb.set_zip_compression_level(1);
    wb.set_properties(&letter.properties(a.office()));
    let ws = wb.add_worksheet();
    ws.set_name(SHEET_APPENDIX)?;
    for (c, w) in WIDTHS.iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    letter.write_letterhead(ws)?;
    let row = letter.write_scores(ws, 7, losses)?;
    let row = letter.write_losses(ws, losses, row + 1)?;
    letter.write_followup(ws, row + 1)?;
    style::print_setup(ws, Orientation::Landscape, None)?;
    Ok(wb)
}

/// One unit's appendix being written: what every part of it names.
struct Letter<'a> {
    a: &'a Analysis,
    /// The unit's leaves against the year before.
    follow: Option<&'a UnitFollowup>,
    shared: &'a YearShared<'a>,
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
        let (f, kind, name, year) = (&self.shared.formats, self.kind, self.name, self.year);
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
        let (f, u, kind, name, year) = (&self.shared.formats, self.u, self.kind, self.name, self.year);
        paragraph(ws, row, PART_1, &f.part)?;
        row += 1;
        for text in area_lines(self.shared, u) {
            paragraph(ws, row, &text, &f.paragraph)?;
            row += 1;
        }
        paragraph(
            ws,
            row,
            &index_sentence(year, kind, name, u, self.shared.year.framework_of(u).total(), &self.a.standing(self.shared.year, u)),
            &f.paragraph_bold,
        )?;
        row += 1;
        if let Some(text) = distance_sentence(self.a, self.shared.year, u, losses) {
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
        write_chart(ws, self.shared, u, kind, name, row)
    }

    /// Part 2 from `row`: every leaf below max, by area, with its cause and the columns
    /// to fill in; on a page of its own, so that its heading never ends a page without
    /// its table.
    /// Part 2 from `row`; returns the next free row.
    fn write_losses(&self, ws: &mut Worksheet, losses: &[&Loss], mut row: u32) -> std::result::Result<u32, XlsxError> {
        let (f, kind, name, year) = (&self.shared.formats, self.kind, self.name, self.year);
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
        let (f, year) = (&self.shared.formats, self.year);
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
        let f = &self.shared.formats;
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
        let f = &self.shared.formats;
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
    u: &UnitResult,
    kind: &str,
    name: &str,
    row: u32,
) -> std::result::Result<u32, XlsxError> {
    let f = &shared.formats;
    if shared.areas.is_empty() {
        return Ok(row);
    }
    let caption = format!("Tỷ lệ điểm đạt từng lĩnh vực so với bình quân huyện năm {} (% điểm tối đa):", shared.year.year);
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

/// The file of each unit of a year with criteria, aligned with `y.units` (`None` for a
/// unit known only from a published results table): `file(slug, year)` names it in
/// `dir`. Units whose names fold to the same slug (Mỹ Thành, Mỹ Thạnh) get "-2", "-3" in
/// Vietnamese order, so none overwrites another.
fn paths_of(a: &Analysis, y: &YearResult, dir: &Path, file: fn(&str, i32) -> String, collator: &Collator) -> Vec<Option<PathBuf>> {
    let mut by_slug: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, u) in y.units.iter().enumerate() {
        if !u.areas.is_empty() {
            by_slug.entry(slug(&a.units[u.unit].name)).or_default().push(i);
        }
    }
    let mut out = vec![None; y.units.len()];
    for (s, mut idx) in by_slug {
        idx.sort_by(|&p, &q| collator.compare(&a.units[y.units[p].unit].name, &a.units[y.units[q].unit].name));
        for (k, i) in idx.into_iter().enumerate() {
            let name = if k == 0 { file(&s, y.year) } else { file(&format!("{s}-{}", k + 1), y.year) };
            out[i] = Some(dir.join(y.year.to_string()).join(name));
        }
    }
    out
}

/// What one unit's document of a year is built from.
pub struct UnitPart<'a> {
    /// What the year's documents share.
    pub shared: &'a YearShared<'a>,
    /// The unit's result.
    pub unit: &'a UnitResult,
    /// Its leaves below max, in code order.
    pub losses: &'a [&'a Loss],
    /// Its leaves against the year before.
    pub follow: Option<&'a UnitFollowup>,
    /// Where the document goes.
    pub path: &'a Path,
}

/// Which years and units a command writes documents for (all where `None`).
#[derive(Debug, Clone, Copy, Default)]
pub struct Scope {
    /// Only this year.
    pub year: Option<i32>,
    /// Only this unit.
    pub unit: Option<UnitId>,
}

/// Writes a document for every unit and year with criteria in `scope` (a year known
/// only from published results has no leaves and gets none) to
/// `output/<year>/<file(slug, year)>`; returns the paths written.
///
/// Each year's losses ([`YearAnalyses::losses`]) are grouped by unit once; the documents
/// are built on rayon's pool and written by [`write_parallel`].
pub fn write_per_unit(
    a: &Analysis,
    tables: &[Option<YearAnalyses>],
    output: &Path,
    scope: Scope,
    file: fn(&str, i32) -> String,
    build: impl Fn(&UnitPart) -> Result<Vec<u8>> + Sync,
) -> Result<Vec<PathBuf>> {
    let collator = Collator::new();
    let mut written = Vec::new();
    let only = scope.unit;
    for (y, t) in a.years.iter().zip(tables).filter(|(y, _)| scope.year.is_none_or(|o| o == y.year)) {
        let Some(t) = t else { continue };
        let mut by_unit: HashMap<UnitId, Vec<&Loss>> = HashMap::new();
        for l in t.losses.iter().filter(|l| only.is_none_or(|o| o == l.unit)) {
            by_unit.entry(l.unit).or_default().push(l);
        }
        let shared = YearShared::new(y);
        let follow: HashMap<UnitId, &UnitFollowup> = t.followup.iter().map(|f| (f.unit, f)).collect();
        let jobs: Vec<(&UnitResult, PathBuf)> = y
            .units
            .iter()
            .zip(paths_of(a, y, output, file, &collator))
            .filter(|(u, _)| only.is_none_or(|o| o == u.unit))
            .filter_map(|(u, p)| p.map(|p| (u, p)))
            .collect();
        write_parallel(&jobs, |(u, path)| {
            let losses = by_unit.get(&u.unit).map_or(&[][..], Vec::as_slice);
            build(&UnitPart { shared: &shared, unit: u, losses, follow: follow.get(&u.unit).copied(), path })
        })?;
        written.extend(jobs.into_iter().map(|(_, p)| p));
    }
    Ok(written)
}

/// The file of a unit's appendix in its year's folder.
fn appendix_file(slug: &str, year: i32) -> String {
    format!("{DIR}/phu-luc-{slug}-{year}.xlsx")
}

/// Writes every unit's appendix for every year with criteria; returns the paths written.
pub fn write_all(a: &Analysis, tables: &[Option<YearAnalyses>], output: &Path) -> Result<Vec<PathBuf>> {
    write_per_unit(a, tables, output, Scope::default(), appendix_file, |p| {
        let fail = |source: XlsxError| CchcError::Workbook { path: p.path.to_path_buf(), source };
        build(a, p.shared, p.unit, p.losses, p.follow).map_err(fail)?.save_to_buffer().map_err(fail)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_and_paths() {
        assert_eq!(slug("Triệu Trạch"), "trieu-trach");
        assert_eq!(slug("Thị trấn  Ái Tử"), "thi-tran-ai-tu");
        assert_eq!(slug("Đông Hà (phường 1)"), "dong-ha-phuong-1");
        assert_eq!(slug("???"), "don-vi");
        assert_eq!(appendix_path(Path::new("output"), 2022, "Triệu Trạch"), Path::new("output/2022/phu-luc/phu-luc-trieu-trach-2022.xlsx"));
    }

    #[test]
    fn capitals_in_sentence_case_keeping_acronyms() {
        assert_eq!(sentence_case("CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CCHC"), "Công tác chỉ đạo, điều hành CCHC");
        assert_eq!(sentence_case("Cải cách thủ tục hành chính"), "Cải cách thủ tục hành chính");
        assert_eq!(sentence_case("ĐIỂM (TTHC)"), "Điểm (TTHC)");
    }

    #[test]
    fn line_estimates() {
        assert_eq!(lines("", 10.0), 1.0);
        assert_eq!(lines("a\nb", 10.0), 2.0);
        assert_eq!(lines(&"x".repeat(23), 10.0), 3.0);
    }
}
