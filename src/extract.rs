//! Stage 4: turn a layout-A sheet into rows of criteria, bonus, penalty and total,
//! and read the unit, year and district from its title lines.

use crate::layout::ColumnMap;
use crate::text::{self, NumberError, Points, canonical_code, cell_ref, clean, fold, split_code_prefix};
use crate::workbook::{Grid, Value};
use regex::Regex;
use std::sync::LazyLock;

/// What a row of a scoring sheet is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowKind {
    /// A framework node (area, criterion, sub-criterion …).
    Criterion,
    /// Bonus points (Điểm thưởng, Điểm cộng), outside the max.
    Bonus,
    /// Penalty points (Điểm trừ, Điểm phạt), outside the max.
    Penalty,
    /// The stated total (Tổng cộng, Tổng điểm).
    Total,
}

impl RowKind {
    /// Machine name used in exports.
    pub fn as_str(self) -> &'static str {
        match self {
            RowKind::Criterion => "criterion",
            RowKind::Bonus => "bonus",
            RowKind::Penalty => "penalty",
            RowKind::Total => "total",
        }
    }
}

/// A score cell as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Score {
    /// Empty (or a formula without a cached value).
    Blank,
    /// A number, exact.
    Value(Points),
    /// "Không áp dụng", "KAD": the leaf leaves the unit's max.
    NotApplicable,
    /// Something that is not a number ("đạt", "x"), kept as typed.
    Invalid(String),
}

impl Score {
    /// Points counted: blanks and invalid cells count 0, not-applicable is `None`.
    pub fn counted(&self) -> Option<Points> {
        match self {
            Score::Value(p) => Some(*p),
            Score::NotApplicable => None,
            Score::Blank | Score::Invalid(_) => Some(Points::ZERO),
        }
    }

    /// The value when one was typed.
    pub fn value(&self) -> Option<Points> {
        match self {
            Score::Value(p) => Some(*p),
            _ => None,
        }
    }
}

/// One row of a scoring sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetRow {
    /// 0-based row in the sheet.
    pub row: u32,
    /// What the row is.
    pub kind: RowKind,
    /// Canonical dotted-arabic code ("1.1.3"), for criteria.
    pub code: Option<String>,
    /// Name as written (NFC, single spaces).
    pub name: String,
    /// Max points as written on this sheet.
    pub max: Score,
    /// Self-assessed points.
    pub self_score: Score,
    /// Appraised points.
    pub appraised: Score,
    /// Note or cause written on the row.
    pub note: String,
    /// Whether the appraised cell is a formula (its cached value is not trusted).
    pub appraised_formula: bool,
}

/// Where the unit's name came from, in order of trust.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum NameSource {
    /// "ỦY BAN NHÂN DÂN XÃ …", "Đơn vị: UBND xã …".
    Title,
    /// The sheet's name.
    Sheet,
    /// The file's name.
    File,
}

/// The unit as a sheet names it, before matching across files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitName {
    /// Display form: prefixes removed, capitals title-cased ("Triệu Trạch").
    pub name: String,
    /// "xã", "phường", "thị trấn" when the text says so.
    pub kind: Option<&'static str>,
    /// Where it was read.
    pub source: NameSource,
}

/// One unit's scoring sheet, extracted.
#[derive(Debug, Clone)]
pub struct ScoreSheet {
    /// Path under the input folder.
    pub file: String,
    /// Sheet name.
    pub sheet: String,
    /// Year of the input folder.
    pub year: i32,
    /// Year written in the title, if any.
    pub title_year: Option<i32>,
    /// District named in the title, if any ("Triệu Phong").
    pub district: Option<String>,
    /// The unit, if it could be named.
    pub unit: Option<UnitName>,
    /// Columns found.
    pub columns: ColumnMap,
    /// Criterion, bonus, penalty and total rows, in sheet order.
    pub rows: Vec<SheetRow>,
    /// Cells that held more than two decimals or text that is not a number:
    /// (0-based row, column, problem).
    pub bad_numbers: Vec<(u32, usize, NumberError)>,
    /// For a row of a published results table (layout C): what it published. Such a
    /// "sheet" has no criteria, only its total.
    pub published: Option<Published>,
}

/// What a published results table says of a unit besides its total.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Published {
    /// Band as printed ("Tốt").
    pub band: Option<String>,
    /// Rank as printed.
    pub rank: Option<u32>,
}

impl ScoreSheet {
    /// Excel reference of a cell of a row in a given column.
    pub fn cell(&self, row: u32, col: usize) -> String {
        cell_ref(row, col as u32)
    }
}

/// A name cell cleaned, and its leading code split off if it has one. The framework's
/// names repeat on every sheet of a district; normalising and matching each again
/// was 7 % of a run.
fn name_parts(raw: &str) -> (String, Option<(String, String)>) {
    thread_local! {
        static MEMO: text::LabelMemo<(String, Option<(String, String)>)> = Default::default();
    }
    text::LabelMemo::get(&MEMO, raw, |raw| {
        let cell = clean(raw);
        let prefix = split_code_prefix(&cell);
        (cell, prefix)
    })
}

fn row_kind(label: &str) -> Option<RowKind> {
    thread_local! {
        static MEMO: text::LabelMemo<Option<RowKind>> = Default::default();
    }
    text::LabelMemo::get(&MEMO, label, classify_label)
}

/// What a row's label says it is: a total, bonus or penalty row, or none of these.
fn classify_label(label: &str) -> Option<RowKind> {
    let f = fold(label);
    let f = f.trim_start_matches(|c: char| !c.is_ascii_alphabetic());
    if f.starts_with("tong cong") || f.starts_with("tong diem") || f.starts_with("tong so diem") || f == "tong" || f == "cong" {
        return Some(RowKind::Total);
    }
    if f.contains("diem thuong") || f.contains("diem cong") || f.starts_with("cong diem") {
        return Some(RowKind::Bonus);
    }
    if f.contains("diem tru") || f.contains("diem phat") || f.starts_with("tru diem") {
        return Some(RowKind::Penalty);
    }
    None
}

/// Reads a score cell; problems are collected in `bad` as (row, column, problem).
pub fn score_cell(v: &Value, row: u32, col: usize, bad: &mut Vec<(u32, usize, NumberError)>) -> Score {
    let parsed = match v {
        Value::Empty => return Score::Blank,
        Value::Number(n) => text::parse_points_f64(*n),
        Value::Text(s) if s.trim().is_empty() || s.trim() == "-" => return Score::Blank,
        Value::Text(s) if text::is_not_applicable(s) => return Score::NotApplicable,
        Value::Text(s) => text::parse_points_text(s),
    };
    match parsed {
        Ok(p) => Score::Value(p),
        Err(NumberError::TooPrecise(p)) => {
            bad.push((row, col, NumberError::TooPrecise(p)));
            Score::Value(p)
        }
        Err(NumberError::NotANumber) => {
            bad.push((row, col, NumberError::NotANumber));
            Score::Invalid(v.as_text())
        }
    }
}

/// Extracts the rows of a sheet whose header was found.
pub fn extract_rows(grid: &Grid, map: &ColumnMap) -> (Vec<SheetRow>, Vec<(u32, usize, NumberError)>) {
    let mut rows = Vec::new();
    let mut bad = Vec::new();
    for (r, cells) in grid.rows.iter().enumerate().skip(map.data_start) {
        if cells.iter().all(Value::is_blank) {
            continue;
        }
        let r32 = r as u32;
        let (name_cell, prefix) = name_parts(&grid.get(r, map.name).as_text());
        let code_cell = map.code.map(|c| clean(&grid.get(r, c).as_text())).unwrap_or_default();
        let (code, name) = match prefix {
            Some((code, rest)) => (Some(code), rest),
            None => (canonical_code(&code_cell), name_cell.clone()),
        };
        let label = if name.is_empty() { code_cell.clone() } else { name.clone() };
        let kind = match row_kind(&label).or_else(|| row_kind(&code_cell)) {
            Some(k) => k,
            None if code.is_some() => RowKind::Criterion,
            None => continue,
        };
        // A formula cached as 0 or nothing was written by a tool that does not
        // calculate: its value is unknown, not zero.
        let mut score = |col: Option<usize>| {
            col.map_or(Score::Blank, |c| match score_cell(grid.get(r, c), r32, c, &mut bad) {
                Score::Value(Points::ZERO) if grid.is_formula(r, c) => Score::Blank,
                other => other,
            })
        };
        let max = score(Some(map.max));
        let self_score = score(map.self_score);
        let appraised = score(Some(map.appraised));
        let note = map.notes.iter().map(|&c| clean(&grid.get(r, c).as_text())).filter(|s| !s.is_empty()).collect::<Vec<_>>().join("; ");
        rows.push(SheetRow {
            row: r32,
            kind,
            code: if kind == RowKind::Criterion { code } else { None },
            name: if label.is_empty() { name_cell } else { label },
            max,
            self_score,
            appraised,
            note,
            appraised_formula: grid.is_formula(r, map.appraised),
        });
    }
    (rows, bad)
}

static YEAR: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\bnam (19[9]\d|20\d\d)\b").expect("valid regex"));
static DISTRICT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:uy ban nhan dan|ubnd) (huyen|thi xa|thanh pho|quan) (.+)$").expect("valid regex"));

/// Unit kinds, longest first, folded → display.
const KINDS: [(&str, &str); 3] = [("thi tran", "thị trấn"), ("phuong", "phường"), ("xa", "xã")];

/// Removes "UBND", "Ủy ban nhân dân", the kind word and statistics codes from a name.
pub fn parse_unit_name(raw: &str, source: NameSource) -> Option<UnitName> {
    let mut words: Vec<String> = clean(raw)
        .split([' ', '_'])
        .filter(|w| !w.is_empty())
        .map(|w| w.trim_matches(|c: char| matches!(c, ',' | ';' | ':' | '(' | ')' | '-' | '–')).to_string())
        .filter(|w| !w.is_empty())
        .collect();
    let folded = |ws: &[String]| fold(&ws.join(" "));
    let mut kind = None;
    loop {
        let f = folded(&words);
        if let Some(rest) = ["ubnd ", "uy ban nhan dan ", "don vi ", "tt. ", "tt "].iter().find(|p| f.starts_with(**p)) {
            let n = rest.trim().split(' ').count();
            if *rest == "tt. " || *rest == "tt " {
                kind = Some("thị trấn");
            }
            words.drain(..n.min(words.len()));
            continue;
        }
        if let Some((k, display)) = KINDS.iter().find(|(k, _)| f.starts_with(&format!("{k} "))) {
            kind = Some(*display);
            words.drain(..k.split(' ').count());
            continue;
        }
        break;
    }
    // Statistics codes ("19639") and years are not part of a name.
    words.retain(|w| !(w.len() >= 4 && w.chars().all(|c| c.is_ascii_digit())));
    let name = words.join(" ");
    if name.is_empty() || !name.chars().any(char::is_alphabetic) {
        return None;
    }
    let display = text::modern_tones(&if name.chars().any(char::is_lowercase) { name } else { text::title_case(&name) });
    Some(UnitName { name: display, kind, source })
}

/// Title facts read above the header.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct TitleInfo {
    /// The unit named in the title.
    pub unit: Option<UnitName>,
    /// "NĂM 2022".
    pub year: Option<i32>,
    /// "UBND HUYỆN TRIỆU PHONG".
    pub district: Option<String>,
}

/// Reads unit, year and district from the lines above the header.
pub fn read_title(grid: &Grid, header_row: usize) -> TitleInfo {
    let mut info = TitleInfo::default();
    for r in 0..header_row.min(grid.rows.len()) {
        for v in &grid.rows[r] {
            let text = v.as_text();
            if text.trim().is_empty() {
                continue;
            }
            let lines: Vec<String> = text.lines().map(clean).filter(|l| !l.is_empty()).collect();
            // "ỦY BAN NHÂN DÂN" alone on a line belongs to the next one.
            let mut joined: Vec<String> = Vec::new();
            for l in lines {
                match joined.last_mut() {
                    Some(prev) if matches!(fold(prev).as_str(), "uy ban nhan dan" | "ubnd") => {
                        prev.push(' ');
                        prev.push_str(&l);
                    }
                    _ => joined.push(l),
                }
            }
            for line in joined {
                let f = fold(&line);
                if info.year.is_none()
                    && let Some(c) = YEAR.captures(&f)
                {
                    info.year = c[1].parse().ok();
                }
                if info.district.is_none()
                    && let Some(c) = DISTRICT.captures(&f)
                {
                    let words = c[2].split(' ').count();
                    let all: Vec<&str> = line.split(' ').collect();
                    info.district = Some(text::title_case(&all[all.len().saturating_sub(words)..].join(" ")));
                }
                if info.unit.is_none() {
                    info.unit = unit_in_line(&line, &f);
                }
            }
        }
    }
    info
}

fn unit_in_line(line: &str, f: &str) -> Option<UnitName> {
    let kinds = ["xa ", "phuong ", "thi tran "];
    let starts = |s: &str| kinds.iter().any(|k| s.starts_with(k));
    let mut rest_f = None;
    for prefix in ["don vi:", "don vi ", "ubnd ", "uy ban nhan dan "] {
        if let Some(i) = f.find(prefix) {
            let after = f[i + prefix.len()..].trim_start();
            if starts(after) || prefix.starts_with("don vi") {
                rest_f = Some(after);
                break;
            }
        }
    }
    if rest_f.is_none() && starts(f) {
        rest_f = Some(f);
    }
    let rest_f = rest_f?;
    // The folded line and the line have the same words: cut by word count.
    let skip = f.split(' ').count() - rest_f.split(' ').count();
    let words: Vec<&str> = line.split(' ').skip(skip).collect();
    // Stop at "năm 2022" or other trailing clauses.
    let fw: Vec<&str> = rest_f.split(' ').collect();
    let is_year = |w: &&str| w.len() == 4 && w.chars().all(|c| c.is_ascii_digit());
    let end = (0..fw.len())
        .find(|&i| (fw[i] == "nam" && fw.get(i + 1).is_some_and(is_year)) || fw[i].starts_with('(') || fw[i] == "-")
        .unwrap_or(fw.len());
    parse_unit_name(&words[..end.min(words.len())].join(" "), NameSource::Title).filter(|u| u.kind.is_some() || !u.name.is_empty())
}

const GENERIC_WORDS: [&str; 14] = [
    "sheet",
    "bieu",
    "cham diem",
    "tong hop",
    "trang tinh",
    "chi so",
    "cchc",
    "ket qua",
    "danh gia",
    "du lieu",
    "data",
    "mau",
    "phu luc",
    "bang",
];

/// Whether a sheet or file-name segment is a generic label rather than a unit's name.
pub fn is_generic(name: &str) -> bool {
    let digitless: String = fold(name).chars().map(|c| if c.is_ascii_digit() { ' ' } else { c }).collect();
    let f = format!(" {} ", digitless.split_whitespace().collect::<Vec<_>>().join(" "));
    f.trim().len() < 2 || GENERIC_WORDS.iter().any(|w| f.contains(&format!(" {w} "))) || !f.chars().any(|c| c.is_ascii_alphabetic())
}

/// The unit named by a file name: "02. Hải An - Biểu chấm điểm 2023.xls" → "Hải An".
pub fn unit_from_file_name(file_name: &str) -> Option<UnitName> {
    static NUMBERING: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\s*\d{1,3}\s*[.)_-]\s*").expect("valid regex"));
    let stem = file_name.rsplit_once('.').map_or(file_name, |(s, _)| s);
    let stem = NUMBERING.replace(stem, "");
    stem.split(['-', '–'])
        .map(|seg| seg.replace('_', " "))
        .filter(|seg| !is_generic(seg))
        .find_map(|seg| parse_unit_name(&seg, NameSource::File))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g(rows: &[&[&str]]) -> Grid {
        Grid::from_rows(
            "s",
            rows.iter().map(|r| r.iter().map(|c| if c.is_empty() { Value::Empty } else { Value::Text(c.to_string()) }).collect()).collect(),
        )
    }

    #[test]
    fn unit_from_title_lines() {
        let grid = g(&[
            &["UBND HUYỆN TRIỆU PHONG\nUBND XÃ TRIỆU TRẠCH", "", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
            &["BIỂU TỰ ĐÁNH GIÁ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM 2022"],
            &["TT", "Tiêu chí"],
        ]);
        let t = read_title(&grid, 2);
        assert_eq!(t.unit.as_ref().map(|u| (u.name.as_str(), u.kind)), Some(("Triệu Trạch", Some("xã"))));
        assert_eq!(t.year, Some(2022));
        assert_eq!(t.district.as_deref(), Some("Triệu Phong"));
    }

    #[test]
    fn unit_from_split_title_and_don_vi() {
        let grid = g(&[&["ỦY BAN NHÂN DÂN\nTHỊ TRẤN ÁI TỬ"], &["x"]]);
        let u = read_title(&grid, 1).unit.unwrap();
        assert_eq!((u.name.as_str(), u.kind), ("Ái Tử", Some("thị trấn")));
        let grid = g(&[&["BIỂU CHẤM ĐIỂM CỦA UBND XÃ HẢI NAM NĂM 2023"], &["x"]]);
        let u = read_title(&grid, 1).unit.unwrap();
        assert_eq!(u.name, "Hải Nam");
        let grid = g(&[&["Đơn vị: UBND phường Hoà Bình"], &["x"]]);
        let u = read_title(&grid, 1).unit.unwrap();
        assert_eq!((u.name.as_str(), u.kind), ("Hòa Bình", Some("phường")));
    }

    #[test]
    fn unit_from_file_names() {
        assert_eq!(unit_from_file_name("02. Hải An - Biểu chấm điểm 2023.xls").unwrap().name, "Hải An");
        assert_eq!(unit_from_file_name("Trieu_Trach_2023.xlsx").unwrap().name, "Trieu Trach");
        assert_eq!(unit_from_file_name("UBND xa Trieu Do.xlsx").unwrap().name, "Trieu Do");
        assert!(unit_from_file_name("bieu_cham_diem_01.xlsx").is_none());
    }

    #[test]
    fn rows_codes_specials_and_numbers() {
        let grid = g(&[
            &["Tiêu chí", "Điểm tối đa", "Tự chấm", "Thẩm định", "Ghi chú"],
            &["I. CÔNG TÁC", "21", "", ""],
            &["1.1.3. Mức độ", "2", "2", "1,6", "Hoàn thành 80%"],
            &["1.3.1. Ban hành", "1", "KAD", "Không áp dụng"],
            &["1.4. X", "1", "đạt", "0.333"],
            &["TỔNG CỘNG", "100", "", "92,59"],
            &["Điểm thưởng", "2", "1", "1"],
            &["Người lập biểu"],
        ]);
        let map = crate::layout::detect(&grid).unwrap();
        let (rows, bad) = extract_rows(&grid, &map);
        let kinds: Vec<_> = rows.iter().map(|r| (r.kind, r.code.clone())).collect();
        assert_eq!(
            kinds,
            vec![
                (RowKind::Criterion, Some("1".into())),
                (RowKind::Criterion, Some("1.1.3".into())),
                (RowKind::Criterion, Some("1.3.1".into())),
                (RowKind::Criterion, Some("1.4".into())),
                (RowKind::Total, None),
                (RowKind::Bonus, None),
            ]
        );
        assert_eq!(rows[1].appraised, Score::Value(Points(160)));
        assert_eq!(rows[1].note, "Hoàn thành 80%");
        assert_eq!(rows[2].appraised, Score::NotApplicable);
        assert_eq!(rows[3].self_score, Score::Invalid("đạt".into()));
        assert_eq!(rows[4].appraised, Score::Value(Points(9259)));
        assert_eq!(bad.len(), 2);
        assert_eq!(cell_ref(bad[0].0, bad[0].1 as u32), "C5");
    }
}
