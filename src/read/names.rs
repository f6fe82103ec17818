//! Unit naming: the unit, year and district a sheet's title lines, its sheet name
//! or its file name give.

use crate::model::sheet::{Cell, NameSource, UnitName};
use crate::model::unit::UnitKind;
use crate::read::workbook::{Grid, Value};
use crate::text::{self, clean, fold};
use regex::Regex;
use std::sync::LazyLock;

static YEAR: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\bnam (19[9]\d|20\d\d)\b").expect("valid regex"));
/// "Ngày 10 Tháng 01 Năm 2025", ", ngày … tháng … năm …": a date, not the scoring year.
static DATE_LINE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\bngay\s*(\d{1,2}|\.+|…+)?\s*thang\b").expect("valid regex"));
static DISTRICT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:uy ban nhan dan|ubnd) (huyen|thi xa|thanh pho|quan) (.+)$").expect("valid regex"));

/// Words before a unit's name that name the body or the field, not the unit: "UBND",
/// "Công an" (the same index is kept for other bodies at commune level), "Tên đơn
/// vị:", "Đơn vị:"; "TT." is a town. Folded, longest first where one starts another.
/// ("CA", Công an, only in capitals: see [`parse_unit_name`]; "Cà Mau" is a name.)
const BODIES: [&str; 10] =
    ["ubnd ", "uy ban nhan dan ", "cong an ", "ten don vi: ", "ten don vi ", "don vi: ", "don vi ", "tt. ", "tt ", ": "];

/// Texts left in a template where the unit's name goes: never a name.
fn is_placeholder(name: &str) -> bool {
    let f = fold(name);
    let f = f.trim_matches(|c: char| !c.is_alphanumeric());
    f.is_empty() || matches!(f, "ten don vi" | "don vi" | "ten" | "xa" | "phuong" | "thi tran" | "ten xa" | "ten phuong")
}

/// The police's name at commune level, as titles print it.
const POLICE: &str = "Công an";

/// Removes "UBND", "Ủy ban nhân dân", "Công an", the kind word and statistics codes from
/// a name; a body other than the people's committee is kept in [`UnitName::body`].
pub fn parse_unit_name(raw: &str, source: NameSource) -> Option<UnitName> {
    let mut words: Vec<String> = clean(raw)
        .split([' ', '_'])
        .filter(|w| !w.is_empty())
        .map(|w| w.trim_matches(|c: char| matches!(c, ',' | ';' | ':' | '(' | ')' | '-' | '–')).to_string())
        .filter(|w| !w.is_empty())
        .collect();
    let folded = |ws: &[String]| fold(&ws.join(" "));
    let mut kind = None;
    let mut body = None;
    loop {
        let f = folded(&words);
        if words.first().is_some_and(|w| w == "CA") && words.len() > 1 {
            words.remove(0);
            body = Some(POLICE.to_string());
            continue;
        }
        if let Some(rest) = BODIES.iter().find(|p| f.starts_with(**p)) {
            let n = rest.trim().split(' ').count();
            if *rest == "cong an " {
                body = Some(POLICE.to_string());
            }
            if *rest == "tt. " || *rest == "tt " {
                kind = Some(UnitKind::ThiTran);
            }
            words.drain(..n.min(words.len()));
            continue;
        }
        if let Some((k, display)) = UnitKind::FOLDED.iter().find(|(k, _)| f.starts_with(&format!("{k} "))) {
            kind = Some(*display);
            words.drain(..k.split(' ').count());
            continue;
        }
        break;
    }
    // Statistics codes ("19639") and years are not part of a name.
    words.retain(|w| !(w.len() >= 4 && w.chars().all(|c| c.is_ascii_digit())));
    let name = words.join(" ");
    if name.is_empty() || !name.chars().any(char::is_alphabetic) || is_placeholder(&name) {
        return None;
    }
    let display = text::modern_tones(&if name.chars().any(char::is_lowercase) { name } else { text::title_case(&name) });
    Some(UnitName { name: display, kind, body, source, cell: None })
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
        for (c, v) in grid.rows[r].iter().enumerate() {
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
                    && !DATE_LINE.is_match(&f)
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
                    info.unit = unit_in_line(&line, &f).map(|u| UnitName { cell: Some(Cell { row: r as u32, col: c as u32 }), ..u });
                }
            }
        }
    }
    info
}

fn unit_in_line(line: &str, f: &str) -> Option<UnitName> {
    let kinds = ["xa ", "phuong ", "thi tran "];
    let starts = |s: &str| kinds.iter().any(|k| s.starts_with(k));
    // Report titles about every unit ("… CỦA CÁC ĐƠN VỊ THUỘC …") name none.
    if f.contains("cac don vi") || f.contains("cac xa") {
        return None;
    }
    let mut rest_f = None;
    for prefix in ["ten don vi:", "ten don vi ", "don vi:", "don vi ", "ubnd ", "uy ban nhan dan ", "cong an "] {
        if let Some(i) = f.find(prefix) {
            // A word boundary before the prefix ("don vi" inside a longer word is not it).
            if i > 0 && !f[..i].ends_with([' ', ':', '(']) {
                continue;
            }
            let after = f[i + prefix.len()..].trim_start();
            if starts(after) || prefix.contains("don vi") {
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

const GENERIC_WORDS: [&str; 16] = [
    "bao cao",
    "ten don vi",
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

/// Cells above the header and below the last criterion that spell `name` a tone apart
/// (the same letters without tones, other tones): the seed's "Triệu Trách, ngày …"
/// under Triệu Trạch's sheet. Each cell once, with the variant as typed.
pub fn spelling_variants(grid: &Grid, name: &str, header_row: usize, last_row: usize) -> Vec<(Cell, String)> {
    let want: Vec<String> = name.split_whitespace().map(fold).collect();
    let key = text::toned_key(name);
    let mut out = Vec::new();
    if want.is_empty() {
        return out;
    }
    let rows = (0..header_row.min(grid.rows.len())).chain((last_row + 1).min(grid.rows.len())..grid.rows.len());
    for r in rows {
        for (c, v) in grid.rows[r].iter().enumerate() {
            let Value::Text(t) = v else { continue };
            // A word folds to a piece of its cell's folded text: a cell that lacks a
            // word of the name is passed over with one fold, not one a word.
            let whole = fold(t);
            if !want.iter().all(|w| whole.contains(w.as_str())) {
                continue;
            }
            let words: Vec<&str> = t.split(|ch: char| ch.is_whitespace() || ",.;:()".contains(ch)).filter(|w| !w.is_empty()).collect();
            let found = words.windows(want.len()).find(|w| {
                w.iter().zip(&want).all(|(a, b)| fold(a) == *b)
                    && text::toned_key(&w.join(" ")) != key
                    && w.iter().any(|x| text::has_diacritics(x))
            });
            if let Some(w) = found {
                out.push((Cell { row: r as u32, col: c as u32 }, w.join(" ")));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unit_from_title_lines() {
        let grid = Grid::of_text(&[
            &["UBND HUYỆN TRIỆU PHONG\nUBND XÃ TRIỆU TRẠCH", "", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
            &["BIỂU TỰ ĐÁNH GIÁ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM 2022"],
            &["TT", "Tiêu chí"],
        ]);
        let t = read_title(&grid, 2);
        assert_eq!(t.unit.as_ref().map(|u| (u.name.as_str(), u.kind)), Some(("Triệu Trạch", Some(UnitKind::Xa))));
        assert_eq!(t.year, Some(2022));
        assert_eq!(t.district.as_deref(), Some("Triệu Phong"));
    }

    #[test]
    fn unit_from_split_title_and_don_vi() {
        let grid = Grid::of_text(&[&["ỦY BAN NHÂN DÂN\nTHỊ TRẤN ÁI TỬ"], &["x"]]);
        let u = read_title(&grid, 1).unit.unwrap();
        assert_eq!((u.name.as_str(), u.kind), ("Ái Tử", Some(UnitKind::ThiTran)));
        let grid = Grid::of_text(&[&["BIỂU CHẤM ĐIỂM CỦA UBND XÃ HẢI NAM NĂM 2023"], &["x"]]);
        let u = read_title(&grid, 1).unit.unwrap();
        assert_eq!(u.name, "Hải Nam");
        let grid = Grid::of_text(&[&["Đơn vị: UBND phường Hoà Bình"], &["x"]]);
        let u = read_title(&grid, 1).unit.unwrap();
        assert_eq!((u.name.as_str(), u.kind), ("Hòa Bình", Some(UnitKind::Phuong)));
    }

    #[test]
    fn unit_from_file_names() {
        assert_eq!(unit_from_file_name("02. Hải An - Biểu chấm điểm 2023.xls").unwrap().name, "Hải An");
        assert_eq!(unit_from_file_name("Trieu_Trach_2023.xlsx").unwrap().name, "Trieu Trach");
        assert_eq!(unit_from_file_name("UBND xa Trieu Do.xlsx").unwrap().name, "Trieu Do");
        assert!(unit_from_file_name("bieu_cham_diem_01.xlsx").is_none());
        // Real folders: numbering, a body's abbreviation and a year around the name; a
        // system's export named by its date has none.
        assert_eq!(unit_from_file_name("Bang IV - CA An Nhứt 2024.xlsx").unwrap().name, "An Nhứt");
        assert_eq!(unit_from_file_name("01_Long_Hải.xlsx").unwrap().name, "Long Hải");
        assert!(unit_from_file_name("Bao_cao_10_01_2025_08_00_00.xlsx").is_none());
        assert_eq!(unit_from_file_name("Cà Ná.xlsx").unwrap().name, "Cà Ná", "a name, not the abbreviation CA");
    }

    #[test]
    fn bodies_other_than_the_peoples_committee_and_placeholders() {
        let title = |lines: &[&str]| {
            let rows: Vec<Vec<&str>> = lines.iter().map(|l| vec![*l]).chain([vec!["x"]]).collect();
            let refs: Vec<&[&str]> = rows.iter().map(Vec::as_slice).collect();
            read_title(&Grid::of_text(&refs), lines.len())
        };
        let u = title(&["CÔNG AN XÃ LONG HẢI"]).unit.unwrap();
        assert_eq!((u.name.as_str(), u.kind), ("Long Hải", Some(UnitKind::Xa)));
        let u = title(&["Đơn vị: Công an phường Phước Trung"]).unit.unwrap();
        assert_eq!((u.name.as_str(), u.kind), ("Phước Trung", Some(UnitKind::Phuong)));
        let u = title(&["Tên đơn vị: UBND thị trấn Đất Đỏ"]).unit.unwrap();
        assert_eq!((u.name.as_str(), u.kind), ("Đất Đỏ", Some(UnitKind::ThiTran)));
        assert!(title(&["Đơn vị: Tên đơn vị"]).unit.is_none(), "a placeholder is no name");
        assert!(title(&["KẾT QUẢ CHẤM ĐIỂM CHỈ SỐ CCHC CỦA CÁC ĐƠN VỊ THUỘC CÔNG AN TỈNH NĂM 2024"]).unit.is_none());
        assert!(is_generic("TÊN ĐƠN VỊ") && is_placeholder("TÊN ĐƠN VỊ"));
        // A date line is not the scoring year; the title's year is.
        let t = title(&["Ngày 10 Tháng 01 Năm 2025", "BIỂU CHẤM ĐIỂM CHỈ SỐ CCHC NĂM 2024"]);
        assert_eq!(t.year, Some(2024));
        let t = title(&["Long Hải, ngày … tháng … năm 2025"]);
        assert_eq!(t.year, None);
    }
}
