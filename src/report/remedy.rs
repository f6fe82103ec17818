//! What a unit's remediation documents say, whatever they are written as: the appendix
//! workbook ([`super::appendix`]) and the letter with its Phụ lục ([`super::letter`])
//! print the same sentences, headings and table from here, so that the two can never
//! tell a commune different things; and the per-unit writer both run on.

use crate::analyse::YearAnalyses;
use crate::analyse::distance::{Cover, ToBand, ToRank};
use crate::analyse::followup::{Status, UnitFollowup};
use crate::analyse::losses::Loss;
use crate::analyse::stats::Stats;
use crate::collate::Collator;
use crate::error::Result;
use crate::findings::Findings;
use crate::model::code::Code;
use crate::model::points::{Percent, Points};
use crate::model::unit::{UnitId, UnitKind};
use crate::report::ranking::{SHEET_CHECKS, rank_change_text};
use crate::score::{UnitResult, YearResult};
use crate::text::slug;
use crate::write::output::write_parallel;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// A name for documents: names typed in capitals ("CÔNG TÁC CHỈ ĐẠO …") in sentence case,
/// keeping the usual acronyms; others as they are.
fn sentence_case(name: &str) -> String {
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

/// One area of a year, as the appendices print it.
#[derive(Debug, Clone)]
pub struct AreaInfo {
    /// Area code ("1"; printed "I").
    pub code: Code,
    /// Display name (sentence case when the framework holds capitals).
    pub name: String,
}

/// What every appendix of a year shares, computed once per year rather than per unit:
/// the areas' display names, the district mean per area.
pub struct YearShared<'a> {
    year: &'a YearResult,
    /// The year's areas, framework order.
    pub areas: Vec<AreaInfo>,
    /// District mean of the units' area percentages, area order; `None` where no unit has
    /// anything applicable in the area.
    pub means: Vec<Option<Percent>>,
    /// Display names of the framework nodes whose framework name is in capitals.
    recased: HashMap<String, String>,
    /// The kinds of unit the year ranks, as titles list them ("xã, thị trấn").
    pub kinds: String,
    /// The ranks two or more units share.
    tied: std::collections::HashSet<u32>,
}

/// The kinds of unit a year ranks, as titles list them: "xã, thị trấn".
pub fn kinds_text(a: &Findings, y: &YearResult) -> String {
    let present = |k: UnitKind| y.units.iter().any(|u| a.units[u.unit].kind == k);
    let kinds: Vec<&str> =
        [UnitKind::Xa, UnitKind::Phuong, UnitKind::ThiTran].into_iter().filter(|k| present(*k)).map(UnitKind::label).collect();
    if kinds.is_empty() { "xã".to_string() } else { kinds.join(", ") }
}

/// The ranks two or more units of a year share, counted once.
pub fn tied_ranks(y: &YearResult) -> std::collections::HashSet<u32> {
    let mut seen = std::collections::HashSet::new();
    y.units.iter().filter(|u| !seen.insert(u.rank)).map(|u| u.rank).collect()
}

/// A unit's percentage of an area's applicable max (hundredths); `None` when nothing applies.
pub fn area_percent(points: Points, max: Points) -> Option<Percent> {
    Percent::of_applicable(points, max)
}

impl<'a> YearShared<'a> {
    /// Precomputes what the year's appendices and letters share.
    pub fn new(a: &Findings, y: &'a YearResult) -> YearShared<'a> {
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
        YearShared { year: y, areas, means, recased, kinds: kinds_text(a, y), tied: tied_ranks(y) }
    }

    /// Whether a rank is shared.
    pub fn is_tied(&self, rank: u32) -> bool {
        self.tied.contains(&rank)
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
pub fn distance_sentence(a: &Findings, y: &YearResult, u: &UnitResult, losses: &[&Loss]) -> Option<String> {
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

/// The leaves that would cover a distance, most points lost first.
fn cover_text(c: &Cover) -> String {
    if c.leaves.is_empty() {
        return "không còn tiêu chí thành phần nào bị trừ điểm".to_string();
    }
    let codes: Vec<String> = c.leaves.iter().map(ToString::to_string).collect();
    let more = if c.enough { "" } else { " (khắc phục hết vẫn chưa đủ)" };
    format!("tiêu chí thành phần nên khắc phục trước: {}{more}", codes.join(", "))
}

/// The way to the unit ranked above, `above` its name: "Cần thêm 0,95 điểm để lên hạng 4
/// (bằng Đông Sơn), 0,96 điểm để vượt; tiêu chí thành phần nên khắc phục trước: 2.1".
pub fn to_rank_text(t: &ToRank, above: &str) -> String {
    let (tie, pass) = (t.to_tie.to_vi(), t.to_pass.to_vi());
    format!("Cần thêm {tie} điểm để lên hạng {} (bằng {above}), {pass} điểm để vượt; {}", t.rank, cover_text(&t.cover))
}

/// The way to the next band: "Cần thêm 1 điểm để đạt loại Tốt; tiêu chí thành phần nên
/// khắc phục trước: 2.1".
pub fn to_band_text(t: &ToBand) -> String {
    format!("Cần thêm {} điểm để đạt loại {}; {}", t.points.to_vi(), t.band.label(), cover_text(&t.cover))
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

/// How an index is stated where the framework totals other than 100 (Bảng IV totals
/// 60): the points and the percentage, as provinces publish them, "đạt 45/60 điểm, chỉ
/// số 75,00%"; `None` on a 100-point framework, where the index is stated as points.
pub fn out_of_other_than_hundred(u: &UnitResult, total: Points) -> Option<String> {
    (total != Points::HUNDRED)
        .then(|| format!("đạt {}/{} điểm, chỉ số {}%", u.points.to_vi(), u.applicable_max.to_vi(), u.index.to_vi_fixed()))
}

/// The sentence on the index, band and rank ("Chỉ số CCHC năm 2022 của xã Triệu Trạch
/// là 90,74 điểm, xếp loại Tốt, đứng thứ 1/18, tăng 10 bậc so với năm 2021.").
///
/// Where the framework totals other than 100 (Bảng IV totals 60), the points and the
/// percentage are both given, as provinces publish: "… đạt 45/60 điểm, chỉ số 75,00%".
pub fn index_sentence(year: i32, kind: &str, name: &str, u: &UnitResult, total: Points, standing: &str) -> String {
    let mut s = match out_of_other_than_hundred(u, total) {
        None => format!("Chỉ số CCHC năm {year} của {kind} {name} là {} điểm", u.index.to_vi()),
        Some(points) => format!("Chỉ số CCHC năm {year} của {kind} {name}: {points}"),
    };
    let mut parts = Vec::new();
    if total == Points::HUNDRED && (u.applicable_max != Points::HUNDRED || u.bonus > Points::ZERO || u.penalty > Points::ZERO) {
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

/// The file of each unit of a year with criteria, aligned with `y.units` (`None` for a
/// unit known only from a published results table): `file(slug, year)` names it in
/// `dir`. Units whose names fold to the same slug (Mỹ Thành, Mỹ Thạnh) get "-2", "-3" in
/// Vietnamese order, so none overwrites another.
fn paths_of(a: &Findings, y: &YearResult, dir: &Path, file: fn(&str, i32) -> String, collator: &Collator) -> Vec<Option<PathBuf>> {
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
    a: &Findings,
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
        let shared = YearShared::new(a, y);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capitals_in_sentence_case_keeping_acronyms() {
        assert_eq!(sentence_case("CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CCHC"), "Công tác chỉ đạo, điều hành CCHC");
        assert_eq!(sentence_case("Cải cách thủ tục hành chính"), "Cải cách thủ tục hành chính");
        assert_eq!(sentence_case("ĐIỂM (TTHC)"), "Điểm (TTHC)");
    }
}
