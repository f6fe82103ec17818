//! The remediation letter of one unit and year, as a Word document in the state format
//! (the seed letter's shape): "Công văn … V/v khắc phục Chỉ số cải cách hành chính năm
//! Y" with the unit's index, band, rank and its move since the year before, one line per
//! area, the closing request, "Nơi nhận" and the signature block; then its Phụ lục on
//! landscape pages: the per-area scores, which lost leaves to recover first to reach the
//! next band or rank, and the table of every leaf below its max with its cause, marked
//! new or repeated since the year before, and the columns the commune fills in.
//!
//! Every figure comes from the run's results, as the appendix workbook prints them
//! ([`super::appendix`] holds the sentences both share); what cchc cannot know (the
//! letter's number and date, the signer's name) stays a visible blank.

use super::docx::{self, BLANK, Orientation, Weight, size};
use super::remedy::{
    PART_1, PART_2, Scope, UnitPart, YearShared, area_lines, flagged_note, followup_lines, index_sentence, loss_cause, losses_headers,
    merger_sentence, nothing_lost, out_of_other_than_hundred, part_3, to_band_text, to_rank_text,
};
use crate::analyse::YearAnalyses;
use crate::analyse::distance::{ToBand, ToRank, to_next_band, to_next_rank};
use crate::analyse::followup::Status;
use crate::analyse::losses::Loss;
use crate::config::RegisteredUnit;
use crate::error::{CchcError, Result};
use crate::findings::Findings;
use crate::model::code::area_of;
use crate::score::{UnitResult, YearResult};
use docx_rs::{AlignmentType, Docx, Paragraph, TableRow};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Folder (under the year's output folder) holding the letters.
pub const DIR: &str = "cong-van";

/// The file of a unit's letter in its year's folder: `cong-van/<slug>-<year>.docx`.
pub fn file(slug: &str, year: i32) -> String {
    format!("{DIR}/{slug}-{year}.docx")
}

/// Writes the letter of every unit and year with criteria in `scope`; returns the paths
/// written.
pub fn write_all(a: &Findings, tables: &[Option<YearAnalyses>], output: &Path, scope: Scope) -> Result<Vec<PathBuf>> {
    // The list's spelling is every listed unit's name once the list is applied.
    let listed: HashMap<&str, &RegisteredUnit> = a.registry.iter().map(|r| (r.name.as_str(), r)).collect();
    super::remedy::write_per_unit(a, tables, output, scope, file, |p| {
        let registered = listed.get(a.units[p.unit.unit].name.as_str()).copied();
        build(a, p, registered).map_err(|source| CchcError::Document { path: p.path.to_path_buf(), source })
    })
}

/// "Căn cứ Quyết định số 258/QĐ-UBND ngày 14/02/2023 của UBND huyện Triệu Phong về việc
/// phê duyệt và công bố Chỉ số cải cách hành chính năm 2022 của UBND các xã, thị trấn."
fn grounds(a: &Findings, y: &YearResult, kinds: &str) -> String {
    let d = a.settings.documents.decisions.get(&y.year);
    let number = docx::or_blank(d.and_then(|d| d.number.as_deref()));
    let date = docx::or_blank(d.and_then(|d| d.date.as_deref()));
    let office = a.office().unwrap_or_else(|| BLANK.to_string());
    format!(
        "Căn cứ Quyết định số {number} ngày {date} của {office} về việc phê duyệt và công bố Chỉ số cải cách hành chính năm {} của UBND các {}.",
        y.year, kinds
    )
}

/// The facts as the seed letter states them: "Chỉ số CCHC năm 2022 của xã Triệu Trạch là
/// 90,74 điểm, đạt loại tốt, đứng thứ nhất 1/18 xã, thị trấn, tăng 10 bậc, từ thứ 11 năm
/// 2021 lên thứ 1 năm 2022 (Phụ lục đính kèm)."
pub fn facts(a: &Findings, shared: &YearShared, u: &UnitResult) -> String {
    let y = shared.year();
    let unit = &a.units[u.unit];
    let (year, kind, name) = (y.year, unit.kind.label(), unit.name.as_str());
    let score = out_of_other_than_hundred(u, y.framework_of(u).total()).unwrap_or_else(|| format!("là {} điểm", u.index.to_vi()));
    let place = match (u.rank, shared.is_tied(u.rank)) {
        (_, true) => format!("đồng hạng thứ {}", u.rank),
        (1, false) => "thứ nhất".to_string(),
        (r, false) => format!("thứ {r}"),
    };
    let mut s = format!(
        "Chỉ số CCHC năm {year} của {kind} {name} {score}, đạt loại {}, đứng {place} {}/{} {}",
        u.band.label().to_lowercase(),
        u.rank,
        y.units.len(),
        shared.kinds
    );
    if let Some(g) = a.group_standing(y, u) {
        s.push_str(&format!(" ({g})"));
    }
    if let Some(change) = u.rank_change {
        let before = i64::from(u.rank) + change;
        s.push_str(&match change.signum() {
            1 => format!(", tăng {change} bậc, từ thứ {before} năm {} lên thứ {} năm {year}", year - 1, u.rank),
            -1 => format!(", giảm {} bậc, từ thứ {before} năm {} xuống thứ {} năm {year}", -change, year - 1, u.rank),
            _ => format!(", giữ nguyên thứ {} như năm {}", u.rank, year - 1),
        });
    }
    s.push_str(" (Phụ lục đính kèm).");
    s
}

/// The ways to the next band and past the unit above, worked out once a letter: the
/// Phụ lục's lines say them and its rows mark their leaves "Ưu tiên khắc phục".
struct Ways {
    band: Option<ToBand>,
    rank: Option<ToRank>,
}

impl Ways {
    fn of(a: &Findings, y: &YearResult, u: &UnitResult, losses: &[&Loss]) -> Ways {
        Ways { band: to_next_band(&a.settings.bands, u, losses), rank: to_next_rank(y, u, losses) }
    }

    /// "- Cần thêm … điểm để đạt loại …; tiêu chí thành phần nên khắc phục trước: …."
    fn lines(&self, a: &Findings) -> Vec<String> {
        let band = self.band.as_ref().map(to_band_text);
        let rank = self.rank.as_ref().map(|r| to_rank_text(r, &a.units[r.unit].name));
        band.into_iter().chain(rank).map(|l| format!("- {l}.")).collect()
    }

    /// Whether a leaf is one to recover first.
    fn first(&self, code: &str) -> bool {
        let covers = self.band.as_ref().map(|b| &b.cover).into_iter().chain(self.rank.as_ref().map(|r| &r.cover));
        covers.flat_map(|c| &c.leaves).any(|l| l.as_str() == code)
    }
}

/// Column widths (twips) of the Phụ lục's table on a landscape page: the leaf, its max and
/// score, the cause, the remedy and the deadline.
const WIDTHS: [usize; 6] = [4_300, 1_050, 1_250, 3_150, 3_150, 1_386];

/// Builds one unit's letter for a year; `registered` is its entry in the office's list.
pub fn build(a: &Findings, p: &UnitPart, registered: Option<&RegisteredUnit>) -> std::io::Result<Vec<u8>> {
    let y = p.shared.year();
    let ways = Ways::of(a, y, p.unit, p.losses);
    let letter = letter_pages(a, p, registered);
    let mut doc = docx::document(Orientation::Landscape, true).add_section(letter);
    for para in appendix_intro(a, p, &ways) {
        doc = doc.add_paragraph(para);
    }
    doc = losses_table(doc, a, p, &ways);
    doc = doc.add_paragraph(docx::left(&part_3(y.year), size::BODY, Weight::Bold));
    for line in followup_lines(p.follow, y.year) {
        doc = doc.add_paragraph(docx::body(&line));
    }
    docx::pack(doc)
}

/// The letter's own pages (portrait), ending its section.
fn letter_pages(a: &Findings, p: &UnitPart, registered: Option<&RegisteredUnit>) -> docx_rs::Section {
    let (y, u) = (p.shared.year(), p.unit);
    let unit = &a.units[u.unit];
    let (kind, name, year) = (unit.kind.label(), unit.name.as_str(), y.year);
    let width = Orientation::Portrait.text_width();
    let place = registered.and_then(|r| r.place.as_deref()).unwrap_or(name);
    let below = vec![
        docx::centred("Số: …/UBND", size::HEADING, Weight::Regular),
        docx::centred(&format!("V/v khắc phục Chỉ số cải cách hành chính năm {year}"), size::SMALL, Weight::Regular),
    ];
    let head = docx::letterhead(
        ["ỦY BAN NHÂN DÂN", &format!("{} {}", kind.to_uppercase(), name.to_uppercase())],
        below,
        &format!("{place}, ngày … tháng … năm …"),
        width,
    );
    let docs = &a.settings.documents;
    let to = docs.to.as_deref().map_or_else(|| format!("Các cán bộ, công chức {kind}"), |t| t.replace("{loại}", kind));
    let mut s = docx::section(Orientation::Portrait).add_table(head).add_paragraph(docx::centred("", size::SMALL, Weight::Regular));
    s = s.add_paragraph(docx::centred(&format!("Kính gửi: {to}"), size::BODY, Weight::Regular));
    s = s.add_paragraph(docx::centred("", size::SMALL, Weight::Regular));
    s = s.add_paragraph(docx::body(&format!("{} {}", grounds(a, y, &p.shared.kinds), facts(a, p.shared, u))));
    if u.flagged {
        s = s.add_paragraph(docx::body_runs(vec![docx::run(&flagged_note(kind, name, year), size::BODY, Weight::Italic)]));
    }
    s = s.add_paragraph(docx::body("Kết quả từng tiêu chí (lĩnh vực) như sau:"));
    for line in area_lines(p.shared, u) {
        s = s.add_paragraph(docx::body(&line));
    }
    let lost = p.losses.len();
    let request = if lost == 0 {
        format!(
            "Để giữ vững kết quả trên, UBND {kind} yêu cầu các cán bộ, công chức, các ban, ngành liên quan tiếp tục duy trì các tiêu chí, tiêu chí thành phần đạt điểm tối đa trong năm {}.",
            year + 1
        )
    } else {
        format!(
            "Để khắc phục những tồn tại, hạn chế trên, phấn đấu nâng cao Chỉ số CCHC năm {next}, UBND {kind} yêu cầu các cán bộ, công chức, các ban, ngành liên quan tiếp tục duy trì các tiêu chí, tiêu chí thành phần đạt điểm tối đa; đồng thời căn cứ Phụ lục đính kèm tổ chức khắc phục {lost} tiêu chí thành phần chưa đạt điểm tối đa, hoàn thành trong năm {next}.",
            next = year + 1
        )
    };
    s = s.add_paragraph(docx::body(&request));
    // The signature block never stands alone on a page: the last line goes with it.
    s = s.add_paragraph(docx::body("Yêu cầu các cán bộ, công chức, các ban, ngành triển khai thực hiện kịp thời./.").keep_next(true));
    s.add_table(signature(a, registered, width))
}

/// "Nơi nhận:" and its list on the left, the signature block on the right.
fn signature(a: &Findings, registered: Option<&RegisteredUnit>, width: usize) -> docx_rs::Table {
    let docs = &a.settings.documents;
    let defaults = ["Như trên".to_string(), "Lưu: VT".to_string()];
    let recipients = if docs.recipients.is_empty() { &defaults[..] } else { &docs.recipients[..] };
    let mut left = vec![docx::left("Nơi nhận:", size::SMALL, Weight::BoldItalic)];
    for (i, r) in recipients.iter().enumerate() {
        let end = if i + 1 == recipients.len() { "." } else { ";" };
        left.push(docx::left(&format!("- {r}{end}"), size::LIST, Weight::Regular));
    }
    let title = docs.signer_title.as_deref().unwrap_or("CHỦ TỊCH");
    let signer = docx::or_blank(registered.and_then(|r| r.signer.as_deref()));
    let mut right = vec![docx::centred("TM. ỦY BAN NHÂN DÂN", size::BODY, Weight::Bold), docx::centred(title, size::BODY, Weight::Bold)];
    // Room for the signature and the seal.
    right.extend((0..3).map(|_| docx::centred("", size::BODY, Weight::Regular)));
    right.push(docx::centred(signer, size::BODY, Weight::Bold));
    let l = width * 9 / 20;
    let row = TableRow::new(vec![docx::plain_cell(left, l), docx::plain_cell(right, width - l)]).cant_split();
    docx::table(vec![row], &[l, width - l], true)
}

/// The Phụ lục's title and part 1: the per-area scores, the index sentence, the
/// distances and which leaves to recover first.
fn appendix_intro(a: &Findings, p: &UnitPart, ways: &Ways) -> Vec<Paragraph> {
    let (y, u) = (p.shared.year(), p.unit);
    let unit = &a.units[u.unit];
    let (kind, name, year) = (unit.kind.label(), unit.name.as_str(), y.year);
    let mut out = vec![
        docx::centred("PHỤ LỤC", size::BODY, Weight::Bold),
        docx::centred(
            &format!("Kết quả Chỉ số CCHC năm {year} của UBND {kind} {name}, biện pháp khắc phục trong năm {}", year + 1),
            size::BODY,
            Weight::Bold,
        ),
        docx::centred(&format!("(Đính kèm Công văn số …/UBND ngày … của UBND {kind} {name})"), size::BODY, Weight::Italic),
        docx::centred("", size::BODY, Weight::Regular),
        docx::left(PART_1, size::BODY, Weight::Bold),
    ];
    out.extend(area_lines(p.shared, u).iter().map(|l| docx::body(l)));
    let standing = a.standing(y, u);
    let index = index_sentence(year, kind, name, u, y.framework_of(u).total(), &standing);
    out.push(docx::body_runs(vec![docx::run(&index, size::BODY, Weight::Bold)]));
    if let Some(m) = crate::analyse::trend::merger(a, u.unit) {
        out.push(docx::body(&merger_sentence(kind, name, u, &m)));
    }
    if u.flagged {
        out.push(docx::body_runs(vec![docx::run(&flagged_note(kind, name, year), size::BODY, Weight::Italic)]));
    }
    out.extend(ways.lines(a).iter().map(|l| docx::body(l)));
    out.push(docx::left(PART_2, size::BODY, Weight::Bold));
    out
}

/// Part 2's table (or the sentence saying there is nothing to recover).
fn losses_table(doc: Docx, a: &Findings, p: &UnitPart, ways: &Ways) -> Docx {
    let (y, u) = (p.shared.year(), p.unit);
    let year = y.year;
    if p.losses.is_empty() {
        let unit = &a.units[u.unit];
        return doc.add_paragraph(docx::body(&nothing_lost(year, unit.kind.label(), &unit.name)));
    }
    let headers = losses_headers(year);
    let mut rows = vec![docx::header_row(headers.iter().zip(WIDTHS).map(|(h, w)| docx::header_cell(h, w)).collect())];
    let centre = |t: &str, w: usize, weight: Weight| docx::cell(vec![docx::cell_line(t, size::SMALL, weight, AlignmentType::Center)], w);
    let text = |t: &str, w: usize, weight: Weight| docx::cell(vec![docx::cell_line(t, size::SMALL, weight, AlignmentType::Left)], w);
    let mut current_area: Option<&str> = None;
    for l in p.losses {
        let area = area_of(&l.code);
        if current_area != Some(area) {
            current_area = Some(area);
            let score = u.areas.iter().find(|x| x.code == area);
            let (max, points) = score.map_or((String::new(), String::new()), |s| (s.max.to_vi(), s.points.to_vi()));
            rows.push(TableRow::new(vec![
                text(&p.shared.area_label(area), WIDTHS[0], Weight::Bold),
                centre(&max, WIDTHS[1], Weight::Bold),
                centre(&points, WIDTHS[2], Weight::Bold),
                text("", WIDTHS[3], Weight::Regular),
                text("", WIDTHS[4], Weight::Regular),
                text("", WIDTHS[5], Weight::Regular),
            ]));
        }
        rows.push(loss_row(p, l, ways).cant_split());
    }
    doc.add_table(docx::table(rows, &WIDTHS, false))
}

/// A leaf below its max: code and name, max, score, the cause with its marks, and the
/// two cells the commune fills in.
fn loss_row(p: &UnitPart, l: &Loss, ways: &Ways) -> TableRow {
    let year = p.shared.year().year;
    let label = format!("{}. {}", l.code, p.shared.node_name(&l.code, &l.name));
    let mut cause: Vec<Paragraph> =
        loss_cause(p.follow, year, l).lines().map(|t| docx::cell_line(t, size::SMALL, Weight::Regular, AlignmentType::Left)).collect();
    let new = p
        .follow
        .filter(|f| f.previous.is_some())
        .and_then(|f| f.leaves.iter().find(|x| x.code == l.code))
        .filter(|x| x.status == Status::New);
    if new.is_some() {
        cause.push(docx::cell_line(&format!("Mới bị trừ điểm so với năm {}", year - 1), size::SMALL, Weight::Italic, AlignmentType::Left));
    }
    if ways.first(l.code.as_str()) {
        cause.push(docx::cell_line("Ưu tiên khắc phục", size::SMALL, Weight::BoldItalic, AlignmentType::Left));
    }
    if cause.is_empty() {
        cause.push(docx::cell_line("", size::SMALL, Weight::Regular, AlignmentType::Left));
    }
    let centre = |t: &str, w: usize| docx::cell(vec![docx::cell_line(t, size::SMALL, Weight::Regular, AlignmentType::Center)], w);
    let blank = |w: usize| docx::cell(vec![docx::cell_line("", size::SMALL, Weight::Regular, AlignmentType::Left)], w);
    TableRow::new(vec![
        docx::cell(vec![docx::cell_line(&label, size::SMALL, Weight::Regular, AlignmentType::Left)], WIDTHS[0]),
        centre(&l.max.to_vi(), WIDTHS[1]),
        centre(&l.score.to_vi(), WIDTHS[2]),
        docx::cell(cause, WIDTHS[3]),
        blank(WIDTHS[4]),
        blank(WIDTHS[5]),
    ])
}
