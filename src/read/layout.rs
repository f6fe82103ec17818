//! Layout detection: find the scoring header of a sheet (layout A) and what each column holds.
//!
//! The header is looked for in the first [`HEADER_SCAN_ROWS`] rows by its labels,
//! whatever their case, tones, Unicode form, wording or small typos
//! ("Điểm Thấp định"). A two-row header ("Điểm đạt được" merged over
//! "Tự chấm" | "Thẩm định") is read by joining each column's two labels; a row of
//! column numbers "(1) (2) …" under it is skipped.

use crate::model::sheet::{ColumnMap, Round};
use crate::read::names::is_generic;
use crate::read::workbook::{Grid, Value};
use crate::text::fold;
use regex::Regex;
use std::sync::LazyLock;

/// How far down the header may sit.
pub const HEADER_SCAN_ROWS: usize = 30;

/// What a column of a scoring sheet holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Criterion code (TT, STT, Mã).
    Code,
    /// Criterion name (Lĩnh vực/Tiêu chí/Tiêu chí thành phần, Nội dung).
    Name,
    /// Max points (Điểm tối đa, Điểm chuẩn, Thang điểm).
    Max,
    /// Self-assessed points (Tự đánh giá, Tự chấm).
    SelfScore,
    /// Appraised points of a round (Thẩm định, Thẩm định lần 2, Sau giải trình,
    /// Phúc tra, Điểm chấm thực tế): a sheet may have several, in order.
    Appraised,
    /// Points deducted from the appraised (Bị trừ, Trừ điểm).
    Deduction,
    /// The appraised net of deductions (Điểm thẩm định sau khi trừ, Tổng).
    Net,
    /// Evidence documents (Tài liệu kiểm chứng).
    Evidence,
    /// Notes and causes (Ghi chú, Nguyên nhân, Giải trình).
    Note,
    /// Guidance for the scorer (Hướng dẫn chấm, Cách tính điểm): read, left aside.
    Guidance,
}

/// Letters a word needs, typed and expected, before a typo in it is forgiven: "thap"
/// for "tham" is a typo, "han" for "nhan" is another word (Trần Nguyên Hãn).
const TYPO_MIN_LETTERS: usize = 4;

/// A label split into words once (folded, punctuation as spaces), to be matched
/// against many keywords.
struct Words {
    words: Vec<String>,
}

impl Words {
    fn new(folded: &str) -> Words {
        let words = folded.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_string).collect();
        Words { words }
    }

    /// Whether the label holds the phrase `needle` as whole words, one of them allowed
    /// one typo where both it and the keyword's word are long enough: labels are
    /// phrases, never matched by joining, splitting or cutting words.
    fn fuzzy_contains(&self, needle: &str) -> bool {
        let keys: Vec<&str> = needle.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()).collect();
        self.words.windows(keys.len()).any(|w| {
            let mut typos = 0;
            w.iter().zip(&keys).all(|(typed, key)| {
                typed == key || {
                    typos += 1;
                    typos == 1 && typed.len() >= TYPO_MIN_LETTERS && key.len() >= TYPO_MIN_LETTERS && strsim::levenshtein(typed, key) <= 1
                }
            })
        })
    }
}

/// Whether a header cell names a unit by its kind word and a name ("Phường Trần Nguyên
/// Hãn", "UBND xã Nội Dung"): such a cell is a unit before it is any label. Not where
/// the words after the kind say what the commune scored ("Xã tự chấm").
fn reads_as_unit(folded: &str, label: &str) -> bool {
    let kind_first = ["xa ", "phuong ", "thi tran ", "ubnd ", "uy ban nhan dan "].iter().any(|k| folded.starts_with(k));
    kind_first
        && crate::read::names::parse_unit_name(label, crate::model::sheet::NameSource::Title).is_some_and(|u| {
            u.kind.is_some()
                && !is_generic(&u.name)
                && !matches!(classify(&u.name), Some(Role::SelfScore | Role::Appraised | Role::Deduction | Role::Net))
        })
}

/// Classifies a header label (any form) into a column role.
pub fn classify(label: &str) -> Option<Role> {
    thread_local! {
        static MEMO: crate::text::LabelMemo<Option<Role>> = Default::default();
    }
    crate::text::LabelMemo::get(&MEMO, label, classify_folded)
}

fn classify_folded(label: &str) -> Option<Role> {
    let f = fold(label);
    let f = f.trim_matches(|c: char| !c.is_ascii_alphanumeric()).to_string();
    if f.is_empty() || reads_as_unit(&f, label) {
        return None;
    }
    let words = Words::new(&f);
    let any = |keys: &[&str]| keys.iter().any(|k| words.fuzzy_contains(k));
    if matches!(f.as_str(), "tt" | "stt" | "ma" | "ma so" | "so tt" | "so thu tu" | "ky hieu" | "ma tieu chi" | "ma so tieu chi") {
        return Some(Role::Code);
    }
    if any(&["kiem chung", "tai lieu"]) {
        return Some(Role::Evidence);
    }
    // Rounds after the unit's explanation, before "giải trình" names a note column.
    if any(&["sau giai trinh", "phuc tra"]) {
        return Some(Role::Appraised);
    }
    if any(&["sau khi tru", "sau tru"]) || matches!(f.as_str(), "tong" | "tong diem" | "tong cong") {
        return Some(Role::Net);
    }
    if any(&["bi tru", "tru diem"]) || f == "diem tru" {
        return Some(Role::Deduction);
    }
    if any(&["ghi chu", "nguyen nhan", "giai trinh", "ly do", "nhan xet", "y kien", "thuyet minh"]) {
        return Some(Role::Note);
    }
    if any(&["tu danh gia", "tu cham", "tu dg", "tu chan"]) {
        return Some(Role::SelfScore);
    }
    // "Điểm chấm thực tế": the appraised score in a PAR system's per-unit export.
    if any(&["tham dinh", "ket qua tham", "huyen cham", "diem duoc cham", "cham thuc te"]) {
        return Some(Role::Appraised);
    }
    if any(&["toi da", "diem chuan", "thang diem", "diem quy dinh", "so diem toi"]) {
        return Some(Role::Max);
    }
    if any(&["huong dan", "cach tinh", "cach cham", "phuong phap cham", "phuong phap danh gia"]) {
        return Some(Role::Guidance);
    }
    if any(&["tieu chi", "linh vuc", "noi dung", "chi so thanh phan"]) {
        return Some(Role::Name);
    }
    if any(&["diem dat"]) {
        // "Điểm đạt được" alone: the appraised score when nothing more precise exists.
        return Some(Role::Appraised);
    }
    None
}

/// A row of column numbers under the header: "(1) (2) (3)" or 1 2 3 ….
pub fn is_column_number_row(cells: &[Value]) -> bool {
    let vals: Vec<String> = cells.iter().filter(|v| !v.is_blank()).map(|v| v.as_text().trim().to_string()).collect();
    if vals.len() < 3 {
        return false;
    }
    let nums: Option<Vec<u32>> = vals.iter().map(|s| s.trim_start_matches('(').trim_end_matches(')').trim().parse::<u32>().ok()).collect();
    match nums {
        Some(n) => vals.iter().all(|s| s.starts_with('(')) || n.windows(2).all(|w| w[1] == w[0] + 1),
        None => false,
    }
}

fn labels(grid: &Grid, row: usize, width: usize) -> Vec<String> {
    (0..width).map(|c| grid.get(row, c).as_text()).collect()
}

fn roles_of(labels: &[String]) -> Vec<Option<Role>> {
    labels.iter().map(|l| classify(l)).collect()
}

/// Whether a row under a header is its second line (labels, no data).
fn is_subheader(grid: &Grid, row: usize, width: usize) -> bool {
    let cells: Vec<&Value> = (0..width).map(|c| grid.get(row, c)).collect();
    let texts = cells.iter().filter(|v| !v.is_blank()).count();
    texts > 0
        && cells.iter().all(|v| !matches!(v, Value::Number(_)))
        && !is_column_number_row(&cells.iter().map(|v| (*v).clone()).collect::<Vec<_>>())
        && cells.iter().any(|v| classify(&v.as_text()).is_some())
        && {
            let first = cells.iter().find(|v| !v.is_blank()).map(|v| v.as_text()).unwrap_or_default();
            crate::model::code::split_prefix(&first).is_none() && crate::model::code::Code::parse(&first).is_none()
        }
}

fn build_map(roles: &[Option<Role>], labels: &[String], header_row: usize, data_start: usize) -> Option<ColumnMap> {
    let first = |r: Role| roles.iter().position(|x| *x == Some(r));
    let names: Vec<usize> = roles.iter().enumerate().filter(|(_, r)| **r == Some(Role::Name)).map(|(i, _)| i).collect();
    let bare = |c: usize, words: &[&str]| words.contains(&fold(&labels[c]).trim());
    let (code, name) = match (first(Role::Code), names.as_slice()) {
        // "Tiêu chí | Nội dung" without a code column: the first holds the codes.
        (None, [c, n, ..]) if bare(*c, &["tieu chi", "linh vuc"]) && fold(&labels[*n]).contains("noi dung") => (Some(*c), *n),
        (code, _) => {
            let name = first(Role::Name).or(code)?;
            (code.filter(|&c| c != name), name)
        }
    };
    let rounds: Vec<Round> = roles
        .iter()
        .enumerate()
        .filter(|(_, r)| **r == Some(Role::Appraised))
        .map(|(col, _)| Round { col, label: crate::text::clean(&labels[col]) })
        .collect();
    Some(ColumnMap {
        header_row,
        data_start,
        code,
        name,
        max: first(Role::Max)?,
        self_score: first(Role::SelfScore),
        // The last round until the rows say which rounds were scored.
        appraised: rounds.last()?.col,
        rounds,
        deduction: first(Role::Deduction),
        net: first(Role::Net),
        evidence: first(Role::Evidence),
        notes: roles.iter().enumerate().filter(|(_, r)| **r == Some(Role::Note)).map(|(i, _)| i).collect(),
    })
}

/// Finds the scoring header of a layout-A sheet, or `None` if the sheet has none.
pub fn detect(grid: &Grid) -> Option<ColumnMap> {
    let width = grid.rows.iter().take(HEADER_SCAN_ROWS + 2).map(Vec::len).max().unwrap_or(0);
    for row in 0..grid.rows.len().min(HEADER_SCAN_ROWS) {
        let top = labels(grid, row, width);
        let top_roles = roles_of(&top);
        if top_roles.iter().flatten().count() < 2 {
            continue;
        }
        let mut map = None;
        if is_subheader(grid, row + 1, width) {
            let sub = labels(grid, row + 1, width);
            let joined: Vec<String> = top.iter().zip(&sub).map(|(t, s)| format!("{t} {s}")).collect();
            // Merged top cells hold their label in the first column only; a sub label
            // alone is then what identifies the column.
            let roles: Vec<Option<Role>> =
                joined.iter().zip(&sub).map(|(j, s)| classify(s).filter(|_| !s.trim().is_empty()).or_else(|| classify(j))).collect();
            // A merged top label over several rounds names each of them with its sub label.
            let labels: Vec<String> = joined.iter().map(|j| j.trim().to_string()).collect();
            map = build_map(&roles, &labels, row, row + 2);
        }
        let map = map.or_else(|| build_map(&top_roles, &top, row, row + 1));
        if let Some(mut m) = map {
            while m.data_start < grid.rows.len() && is_column_number_row(grid.rows.get(m.data_start).map_or(&[][..], |r| r)) {
                m.data_start += 1;
            }
            return Some(m);
        }
    }
    None
}

/// Finds a consolidated matrix (layout B): criteria rows with code, name and max, and
/// one column of appraised points per unit, the unit named in the header cell.
/// Returns one column map per unit column (appraised = that column) and its header.
pub fn detect_matrix(grid: &Grid) -> Option<Vec<(ColumnMap, String)>> {
    let width = grid.rows.iter().take(HEADER_SCAN_ROWS + 2).map(Vec::len).max().unwrap_or(0);
    for row in 0..grid.rows.len().min(HEADER_SCAN_ROWS) {
        let top = labels(grid, row, width);
        let roles = roles_of(&top);
        let first = |r: Role| roles.iter().position(|x| *x == Some(r));
        let (Some(max), Some(name)) = (first(Role::Max), first(Role::Name).or_else(|| first(Role::Code))) else { continue };
        if first(Role::Appraised).is_some() || first(Role::SelfScore).is_some() {
            continue;
        }
        // A unit's column holds points, or its header names a unit by its kind word (a
        // unit not scored yet); any other header is left to the sheet's account.
        let has_points = |c: usize| {
            grid.rows.iter().skip(row + 1).any(|r| match r.get(c) {
                Some(Value::Number(_)) => true,
                Some(Value::Text(t)) => crate::model::points::parse_points_text(t).is_ok(),
                _ => false,
            })
        };
        let units: Vec<(usize, String)> = (max + 1..width)
            .filter(|&c| roles[c].is_none() && !top[c].trim().is_empty() && !is_generic(&top[c]))
            .filter(|&c| has_points(c) || reads_as_unit(&fold(&top[c]), &top[c]))
            .map(|c| (c, top[c].trim().to_string()))
            .collect();
        if units.len() < 2 {
            continue;
        }
        let code = first(Role::Code).filter(|&c| c != name);
        let mut data_start = row + 1;
        while data_start < grid.rows.len() && is_column_number_row(&grid.rows[data_start]) {
            data_start += 1;
        }
        return Some(
            units
                .into_iter()
                .map(|(col, header)| {
                    let map = ColumnMap {
                        header_row: row,
                        data_start,
                        code,
                        name,
                        max,
                        self_score: None,
                        appraised: col,
                        rounds: vec![Round { col, label: header.clone() }],
                        deduction: None,
                        net: None,
                        evidence: None,
                        notes: Vec::new(),
                    };
                    (map, header)
                })
                .collect(),
        );
    }
    None
}

/// Columns of a published results table (layout C): one row per unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResultsMap {
    /// Header row.
    pub header_row: usize,
    /// First data row.
    pub data_start: usize,
    /// Unit name column.
    pub unit: usize,
    /// Total (index) column.
    pub total: usize,
    /// Band column (Xếp loại), if any.
    pub band: Option<usize>,
    /// Rank column (Xếp hạng), if any.
    pub rank: Option<usize>,
    /// Deductions to take off the total column (a totals block "TC | TĐ | Bị trừ"
    /// without its net column).
    pub total_minus: Option<usize>,
    /// Areas as column blocks ("<area> (N điểm)" over "TC | TĐ | Bị trừ | Tổng").
    pub areas: Vec<AreaColumns>,
    /// The other columns of those blocks (self-assessed, percentage …): read as parts.
    pub parts: Vec<usize>,
}

/// One area's columns in a results table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AreaColumns {
    /// The area's code: the number under its label, else its place among the areas.
    pub code: crate::model::code::Code,
    /// Its max, where the label gives it ("(20 điểm)", "(tối đa 20điểm)").
    pub max: Option<crate::model::points::Points>,
    /// The column of its points (net, else appraised).
    pub points: usize,
    /// Deductions to take off `points`, where there is no net column.
    pub minus: Option<usize>,
}

/// What a column under an area's (or the totals') label holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sub {
    SelfScore,
    Appraised,
    Deduction,
    Net,
    Percent,
}

fn sub_role(label: &str) -> Option<Sub> {
    let f = fold(label);
    let f = f.trim();
    match f {
        "tc" | "tu cham" | "tu danh gia" | "diem tu cham" => Some(Sub::SelfScore),
        "td" | "tham dinh" | "diem tham dinh" | "diem" => Some(Sub::Appraised),
        "bi tru" | "tru diem" | "diem tru" | "diem bi tru" => Some(Sub::Deduction),
        "tong" | "tong diem" | "sau khi tru" => Some(Sub::Net),
        _ if f.starts_with("chi so") => Some(Sub::Percent),
        _ => None,
    }
}

/// The value columns of a block: net, else appraised less deductions.
fn block_value(subs: &[(usize, Option<Sub>)]) -> Option<(usize, Option<usize>)> {
    let at = |r: Sub| subs.iter().find(|(_, s)| *s == Some(r)).map(|(c, _)| *c);
    match (at(Sub::Net), at(Sub::Appraised)) {
        (Some(net), _) => Some((net, None)),
        (None, Some(app)) => Some((app, at(Sub::Deduction))),
        _ => None,
    }
}

/// One column per area, without sub-headers: "Lĩnh vực I (20 điểm)", "II. Cải cách
/// thủ tục hành chính", "CCHC lĩnh vực 3" (a label naming its max, or starting with
/// an area code or "Lĩnh vực"); the total is the table's own total column.
fn area_columns(grid: &Grid, row: usize, width: usize, skip: &[usize], total: usize, max_re: &Regex) -> Option<Blocks> {
    let mut areas = Vec::new();
    for c in (0..width).filter(|c| !skip.contains(c) && *c != total) {
        let label = grid.get(row, c).as_text();
        let f = fold(&label);
        let max = max_re.captures(&label).and_then(|m| crate::model::points::parse_points_text(&m[1]).ok());
        let lead = crate::model::code::split_prefix(label.trim()).map(|(code, _)| code).filter(crate::model::code::Code::is_area);
        let named = f.starts_with("linh vuc");
        if max.is_none() && lead.is_none() && !named || f.starts_with("tong") {
            continue;
        }
        let number =
            f.trim_start_matches("linh vuc").trim().split(' ').next().and_then(crate::model::code::Code::parse).filter(|c| c.is_area());
        let code = lead.or(number).unwrap_or_else(|| crate::model::code::Code::from_canonical((areas.len() + 1).to_string()));
        areas.push(AreaColumns { code, max, points: c, minus: None });
    }
    (areas.len() >= 2).then_some((areas, None, row + 1, Vec::new()))
}

/// Area blocks under a results table's header row: labels on `row` each over a run
/// of columns whose sub-labels ("TC | TĐ | Bị trừ | Tổng") sit one or two rows
/// below (merged headers keep a label in their first cell only). A sub-label left
/// blank (the totals block's last two) takes the role at its place in the first
/// complete block. Returns the areas, the totals' columns, and the first row below.
/// The areas, the totals' columns, the first row below, and every column of the blocks.
type Blocks = (Vec<AreaColumns>, Option<(usize, Option<usize>)>, usize, Vec<usize>);
fn area_blocks(grid: &Grid, row: usize, width: usize, skip: &[usize], total: usize) -> Option<Blocks> {
    static MAX: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)\((?:tối đa\s*)?(\d{1,3}(?:[.,]\d{1,2})?)\s*điểm\)").expect("valid regex"));
    let Some(sub_row) = (row + 1..=row + 2).find(|&r| (0..width).filter(|&c| sub_role(&grid.get(r, c).as_text()).is_some()).count() >= 2)
    else {
        return area_columns(grid, row, width, skip, total, &MAX);
    };
    let starts: Vec<usize> = (0..width).filter(|c| !skip.contains(c) && !grid.get(row, *c).as_text().trim().is_empty()).collect();
    let last_sub = (0..width).rev().find(|&c| sub_role(&grid.get(sub_row, c).as_text()).is_some())?;
    // Each block: its first column, and each of its columns with what it holds.
    type Block = (usize, Vec<(usize, Option<Sub>)>);
    let mut blocks: Vec<Block> = Vec::new();
    for (i, &start) in starts.iter().enumerate() {
        let end = starts.get(i + 1).copied().unwrap_or(width.max(last_sub + 1));
        let subs: Vec<(usize, Option<Sub>)> = (start..end).map(|c| (c, sub_role(&grid.get(sub_row, c).as_text()))).collect();
        if subs.iter().any(|(_, s)| s.is_some()) {
            blocks.push((start, subs));
        }
    }
    let pattern: Option<Vec<Option<Sub>>> =
        blocks.iter().map(|(_, s)| s.iter().map(|x| x.1).collect::<Vec<_>>()).find(|p| p.iter().all(Option::is_some));
    let mut areas = Vec::new();
    let mut totals = None;
    let parts: Vec<usize> = blocks.iter().flat_map(|(_, subs)| subs.iter().map(|(c, _)| *c)).collect();
    for (start, mut subs) in blocks {
        if let Some(p) = &pattern {
            for (k, s) in subs.iter_mut().enumerate() {
                if s.1.is_none() {
                    s.1 = p.get(k).copied().flatten();
                }
            }
        }
        let Some((points, minus)) = block_value(&subs) else { continue };
        let label = grid.get(row, start).as_text();
        let f = fold(&label);
        if f.starts_with("tong") || f == "cong" || f.starts_with("cong diem") {
            totals = Some((points, minus));
            continue;
        }
        let number = (row + 1..sub_row).find_map(|r| crate::model::code::Code::parse(&grid.get(r, start).as_text()));
        let code = number.unwrap_or_else(|| crate::model::code::Code::from_canonical((areas.len() + 1).to_string()));
        let max = MAX.captures(&label).and_then(|c| crate::model::points::parse_points_text(&c[1]).ok());
        areas.push(AreaColumns { code, max, points, minus });
    }
    (!areas.is_empty() || totals.is_some()).then_some((areas, totals, sub_row + 1, parts))
}

/// Finds a published results table (layout C): unit, total, and maybe band and rank.
/// Older years often exist only in this form; it carries no criteria.
pub fn detect_results(grid: &Grid) -> Option<ResultsMap> {
    let width = grid.rows.iter().take(HEADER_SCAN_ROWS + 2).map(Vec::len).max().unwrap_or(0);
    for row in 0..grid.rows.len().min(HEADER_SCAN_ROWS) {
        let labels: Vec<String> = labels(grid, row, width).iter().map(|l| fold(l)).collect();
        let words: Vec<Words> = labels.iter().map(|l| Words::new(l)).collect();
        let find = |keys: &[&str]| words.iter().position(|w| keys.iter().any(|k| w.fuzzy_contains(k)));
        if labels.iter().any(|l| classify(l) == Some(Role::Max)) {
            continue;
        }
        let unit = find(&["ten don vi", "don vi", "ten xa", "xa, thi tran", "xa, phuong"]);
        let total = find(&["tong diem", "chi so", "diem so", "tong so diem", "ket qua", "diem dat"]);
        if let (Some(unit), Some(total)) = (unit, total)
            && unit != total
        {
            let (band, rank) = (find(&["xep loai"]), find(&["xep hang", "thu hang"]));
            let stt = (0..unit).collect::<Vec<_>>();
            let skip: Vec<usize> = stt.into_iter().chain([unit]).chain(band).chain(rank).collect();
            let (areas, totals, below, parts) =
                area_blocks(grid, row, width, &skip, total).unwrap_or((Vec::new(), None, row + 1, Vec::new()));
            let (total, total_minus) = totals.unwrap_or((total, None));
            let mut data_start = below;
            while data_start < grid.rows.len() && is_column_number_row(&grid.rows[data_start]) {
                data_start += 1;
            }
            return Some(ResultsMap { header_row: row, data_start, unit, total, band, rank, total_minus, areas, parts });
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_label_variants_and_typos() {
        assert_eq!(classify("Điểm Thấp định"), Some(Role::Appraised));
        assert_eq!(classify("KẾT QUẢ THẨM ĐỊNH"), Some(Role::Appraised));
        assert_eq!(classify("Điểm ĐV tự chấm"), Some(Role::SelfScore));
        assert_eq!(classify("Thang điểm"), Some(Role::Max));
        assert_eq!(classify("Điểm chuẩn"), Some(Role::Max));
        assert_eq!(classify("Lĩnh vực/Tiêu chí/Tiêu chí thành phần"), Some(Role::Name));
        assert_eq!(classify("STT"), Some(Role::Code));
        assert_eq!(classify("Mã"), Some(Role::Code));
        assert_eq!(classify("Tài liệu kiểm chứng"), Some(Role::Evidence));
        assert_eq!(classify("Nguyên nhân không đạt điểm tối đa"), Some(Role::Note));
        assert_eq!(classify("Người lập biểu"), None);
        assert_eq!(classify("Tự đánh giá(1)"), Some(Role::SelfScore), "punctuation ends a word");
    }

    /// The bug: "Phường Trần Nguyên Hãn" was a note column ("nguyen han" one letter from
    /// "nguyen nhan"), and the ward left its year without a word. Real names that hold
    /// label words are no labels: a typo is forgiven only inside a long enough word.
    #[test]
    fn unit_names_holding_label_words_are_not_labels() {
        for name in [
            "Phường Trần Nguyên Hãn",
            "Trần Nguyên Hãn",
            "Xã Thẩm Dương",
            "Xã Tự Lạn",
            "Xã Trừ Văn Thố",
            "Xã Tổng Cọt",
            "Phường Tân Định",
            "Xã Nội Duệ",
            "Xã Đạt Hiếu",
            "Xã Lý Do",
        ] {
            assert_eq!(classify(name), None, "{name}");
        }
        assert_eq!(classify("Xã tự chấm"), Some(Role::SelfScore), "what the commune scored, not a commune");
        assert_eq!(classify("Phường thẩm định lại"), Some(Role::Appraised));
    }

    #[test]
    fn single_row_header_below_title() {
        let g = Grid::of_text(&[
            &["ỦY BAN NHÂN DÂN XÃ A"],
            &[""],
            &["Mã", "Tiêu chí", "Điểm tối đa", "Tự chấm", "Điểm Thấp định", "Ghi chú"],
            &["I", "Công tác", "21"],
        ]);
        let m = detect(&g).unwrap();
        assert_eq!((m.header_row, m.data_start, m.code, m.name, m.max, m.self_score, m.appraised), (2, 3, Some(0), 1, 2, Some(3), 4));
        assert_eq!(m.notes, vec![5]);
    }

    #[test]
    fn two_row_header_with_column_numbers() {
        let g = Grid::of_text(&[
            &["TT", "Lĩnh vực/Tiêu chí", "Điểm tối đa", "Điểm đạt được", "", "Tài liệu kiểm chứng", "Giải trình"],
            &["", "", "", "Tự chấm", "Thẩm định", "", ""],
            &["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)"],
            &["1", "CÔNG TÁC", "21"],
        ]);
        let m = detect(&g).unwrap();
        assert_eq!((m.data_start, m.self_score, m.appraised, m.evidence), (3, Some(3), 4, Some(5)));
    }

    #[test]
    fn two_row_header_without_merges_nfd() {
        use unicode_normalization::UnicodeNormalization;
        let nfd = |s: &str| s.nfd().collect::<String>();
        let (a, b, c, d, e) =
            (nfd("Tiêu chí, tiêu chí thành phần"), nfd("Điểm chuẩn"), nfd("Điểm đạt được"), nfd("Tự đánh giá"), nfd("Thẩm định của huyện"));
        let g = Grid::of_text(&[&[&a, &b, &c, ""], &["", "", &d, &e], &["I. CÔNG TÁC", "21"]]);
        let m = detect(&g).unwrap();
        assert_eq!((m.code, m.name, m.max, m.self_score, m.appraised, m.data_start), (None, 0, 1, Some(2), 3, 2));
    }

    #[test]
    fn consolidated_matrix_one_map_per_unit_column() {
        let g = Grid::of_text(&[
            &["BẢNG TỔNG HỢP KẾT QUẢ THẨM ĐỊNH NĂM 2021"],
            &["TT", "Tiêu chí", "Điểm tối đa", "Thị trấn Diên Sanh", "Hải An", "Xã Hải Ba", "Người tổng hợp"],
            &["I", "Công tác", "21"],
            &["1.1", "Kế hoạch", "2", "2", "1,5", "2"],
        ]);
        assert!(detect(&g).is_none());
        let maps = detect_matrix(&g).unwrap();
        let got: Vec<(usize, &str)> = maps.iter().map(|(m, h)| (m.appraised, h.as_str())).collect();
        assert_eq!(got, vec![(3, "Thị trấn Diên Sanh"), (4, "Hải An"), (5, "Xã Hải Ba")]);
        assert_eq!((maps[0].0.code, maps[0].0.name, maps[0].0.max, maps[0].0.data_start), (Some(0), 1, 2, 2));
    }

    /// A header that reads as a unit (a kind word and a name) is a unit before it is any
    /// label, whatever words its name holds.
    #[test]
    fn matrix_headers_with_a_kind_word_are_units_first() {
        let g = Grid::of_text(&[
            &["TT", "Tiêu chí", "Điểm tối đa", "Phường Trần Nguyên Hãn", "Xã Nội Dung", "Xã Lý Do", "Ghi chú"],
            &["I", "Công tác", "21", "20", "19", "18", ""],
        ]);
        let maps = detect_matrix(&g).unwrap();
        let got: Vec<(usize, &str)> = maps.iter().map(|(m, h)| (m.appraised, h.as_str())).collect();
        assert_eq!(got, vec![(3, "Phường Trần Nguyên Hãn"), (4, "Xã Nội Dung"), (5, "Xã Lý Do")]);
    }

    #[test]
    fn published_results_table() {
        let g = Grid::of_text(&[
            &["KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM 2020"],
            &["STT", "Tên đơn vị", "Tổng điểm", "Xếp loại", "Xếp hạng"],
            &["1", "UBND xã Hải Ba", "97,42", "Tốt", "1"],
        ]);
        assert!(detect(&g).is_none() && detect_matrix(&g).is_none());
        let m = detect_results(&g).unwrap();
        assert_eq!((m.header_row, m.data_start, m.unit, m.total, m.band, m.rank), (1, 2, 1, 2, Some(3), Some(4)));
        assert!(m.areas.is_empty() && m.total_minus.is_none());
    }

    #[test]
    fn no_header_no_map() {
        let g = Grid::of_text(&[&["Danh sách"], &["a", "b"]]);
        assert!(detect(&g).is_none());
    }
}
