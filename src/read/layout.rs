//! Layout detection: find the scoring header of a sheet (layout A) and what each column holds.
//!
//! The header is looked for in the first [`HEADER_SCAN_ROWS`] rows by its labels,
//! whatever their case, tones, Unicode form, wording or small typos
//! ("Điểm Thấp định"). A two-row header ("Điểm đạt được" merged over
//! "Tự chấm" | "Thẩm định") is read by joining each column's two labels; a row of
//! column numbers "(1) (2) …" under it is skipped.

use super::vocabulary as vocab;
use crate::model::sheet::{ColumnMap, Round};
use crate::read::names::is_generic;
use crate::read::workbook::{Grid, Value};
use crate::text::fold;

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
/// against many keywords: the one rule for reading labels as phrases.
pub(crate) struct Words {
    words: Vec<String>,
}

impl Words {
    fn new(folded: &str) -> Words {
        let words = folded.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_string).collect();
        Words { words }
    }

    /// The words of a label in any form ("Chỉ số(%)" → chi, so).
    pub(crate) fn of(label: &str) -> Words {
        Words::new(&fold(label))
    }

    /// The words joined by single spaces: the label's plain form ("chi so").
    pub(crate) fn joined(&self) -> String {
        self.words.join(" ")
    }

    /// Whether the label holds the phrase as whole words, exactly.
    pub(crate) fn has(&self, phrase: &str) -> bool {
        let keys: Vec<&str> = phrase.split(' ').collect();
        self.words.windows(keys.len()).any(|w| w.iter().zip(&keys).all(|(a, b)| a == b))
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
    if vocab::SHEET_CODE.contains(&f.as_str()) {
        return Some(Role::Code);
    }
    if any(vocab::EVIDENCE) {
        return Some(Role::Evidence);
    }
    // Rounds after the unit's explanation, before "giải trình" names a note column.
    if any(vocab::LATER_ROUND) {
        return Some(Role::Appraised);
    }
    if any(vocab::NET) || vocab::NET_WHOLE.contains(&f.as_str()) {
        return Some(Role::Net);
    }
    if any(vocab::DEDUCTION) || f == vocab::DEDUCTION_WHOLE {
        return Some(Role::Deduction);
    }
    if any(vocab::NOTE) {
        return Some(Role::Note);
    }
    if any(vocab::SELF_SCORE) {
        return Some(Role::SelfScore);
    }
    // "Điểm chấm thực tế": the appraised score in a PAR system's per-unit export.
    if any(vocab::APPRAISED) {
        return Some(Role::Appraised);
    }
    if any(vocab::MAX) {
        return Some(Role::Max);
    }
    if any(vocab::GUIDANCE) {
        return Some(Role::Guidance);
    }
    if any(vocab::CRITERION) {
        return Some(Role::Name);
    }
    if any(vocab::APPRAISED_LAST) {
        // "Điểm đạt được" alone: the appraised score when nothing more precise exists.
        return Some(Role::Appraised);
    }
    None
}

/// A positional analysis report ("BÁO CÁO PHÂN TÍCH TIÊU CHÍ" of a PAR system): areas
/// as rows (LV1, LV2 …), criteria by their place as columns (TC1, TC2 …, "TC TP1"):
/// no code says which criterion a cell is, so it is named, not guessed.
pub fn is_positional_matrix(grid: &Grid) -> bool {
    let numbered = |v: &Value, prefix: &str| {
        let f = fold(&v.as_text());
        let rest = f.trim().strip_prefix(prefix).map(str::trim);
        rest.is_some_and(|r| !r.is_empty() && r.chars().all(|c| c.is_ascii_digit()))
    };
    let rows = grid.rows.iter().take(HEADER_SCAN_ROWS + 20);
    let header = grid.rows.iter().take(HEADER_SCAN_ROWS).any(|r| r.iter().filter(|v| numbered(v, "tc")).count() >= 2);
    header && rows.filter(|r| r.iter().find(|v| !v.is_blank()).is_some_and(|v| numbered(v, "lv"))).count() >= 2
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
        let map = map.or_else(|| build_map(&top_roles, &top, row, row + 1).filter(|m| !names_below(grid, row, m.max, width)));
        if let Some(mut m) = map {
            while m.data_start < grid.rows.len() && is_column_number_row(grid.rows.get(m.data_start).map_or(&[][..], |r| r)) {
                m.data_start += 1;
            }
            return Some(m);
        }
    }
    None
}

/// Whether the row under a header holds names and nothing else, past the max column and
/// blank before it: units' names under a label merged over them ("Điểm thẩm định"),
/// which makes the sheet a consolidated matrix, not one unit's sheet.
fn names_below(grid: &Grid, row: usize, max: usize, width: usize) -> bool {
    let Some(cells) = grid.rows.get(row + 1) else { return false };
    let text = |c: usize| cells.get(c).map_or(String::new(), |v| v.as_text().trim().to_string());
    !cells.iter().any(|v| matches!(v, Value::Number(_)))
        && (0..=max).all(|c| text(c).is_empty())
        && (max + 1..width).filter(|&c| !text(c).is_empty() && classify(&text(c)).is_none()).count() >= 2
}

/// Finds a consolidated matrix (layout B): criteria rows with code, name and max, and
/// one column of appraised points per unit, the unit named in the header cell.
/// Returns one column map per unit column (appraised = that column) and its header.
pub fn detect_matrix(grid: &Grid, known: &[String]) -> Option<Vec<(ColumnMap, String)>> {
    // A header naming one of the office's units (cchc.toml) is that unit's column.
    let listed = |label: &str| {
        let name = crate::read::names::parse_unit_name(label, crate::model::sheet::NameSource::Title)
            .map_or_else(|| label.to_string(), |u| u.name);
        crate::text::find_name(known.iter().map(String::as_str), &name).is_some()
    };
    let width = grid.rows.iter().take(HEADER_SCAN_ROWS + 2).map(Vec::len).max().unwrap_or(0);
    for row in 0..grid.rows.len().min(HEADER_SCAN_ROWS) {
        let mut top = labels(grid, row, width);
        let mut roles = roles_of(&top);
        let first = |roles: &[Option<Role>], r: Role| roles.iter().position(|x| *x == Some(r));
        let (Some(max), Some(name)) = (first(&roles, Role::Max), first(&roles, Role::Name).or_else(|| first(&roles, Role::Code))) else {
            continue;
        };
        // The units' names one row below, under a label merged over them ("Điểm thẩm
        // định"): the names are the headers, the data starts a row lower.
        let below = labels(grid, row + 1, width);
        let names_below = names_below(grid, row, max, width);
        if names_below {
            for c in (max + 1..width).filter(|&c| !below[c].trim().is_empty()) {
                top[c] = below[c].clone();
                roles[c] = classify(&below[c]);
            }
        }
        if first(&roles, Role::Appraised).is_some() || first(&roles, Role::SelfScore).is_some() {
            continue;
        }
        // A unit's column holds points, or its header names a unit by its kind word (a
        // unit not scored yet); any other header is left to the sheet's account.
        let has_points = |c: usize| grid.rows.iter().skip(row + 1).any(|r| r.get(c).is_some_and(Value::is_number));
        let first = |r: Role| first(&roles, r);
        let units: Vec<(usize, String)> = (max + 1..width)
            .filter(|&c| {
                let listed = !known.is_empty() && listed(&top[c]);
                listed
                    || (roles[c].is_none()
                        && !top[c].trim().is_empty()
                        && !is_generic(&top[c])
                        && (has_points(c) || reads_as_unit(&fold(&top[c]), &top[c])))
            })
            .map(|c| (c, top[c].trim().to_string()))
            .collect();
        if units.len() < 2 {
            continue;
        }
        let code = first(Role::Code).filter(|&c| c != name);
        let mut data_start = row + 1 + usize::from(names_below);
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
    /// label words are no labels: a typo is forgiven only inside a long enough word. Real
    /// units: Trần Nguyên Hãn (Bắc Giang), Thẩm Dương (Văn Bàn, Lào Cai), Tự Lạn (Việt Yên,
    /// Bắc Giang), Trừ Văn Thố (Bàu Bàng, Bình Dương), Tổng Cọt (Hà Quảng, Cao Bằng), Tân
    /// Định (Quận 1), Nội Duệ (Tiên Du, Bắc Ninh).
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
            // Made up to hold a note's label exactly ("lý do"): the kind word decides.
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
        let maps = detect_matrix(&g, &[]).unwrap();
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
        let maps = detect_matrix(&g, &[]).unwrap();
        let got: Vec<(usize, &str)> = maps.iter().map(|(m, h)| (m.appraised, h.as_str())).collect();
        assert_eq!(got, vec![(3, "Phường Trần Nguyên Hãn"), (4, "Xã Nội Dung"), (5, "Xã Lý Do")]);
    }

    /// The units' names under a label merged over them ("Điểm thẩm định"), a row below
    /// the criteria's headers.
    #[test]
    fn matrix_with_the_units_under_a_merged_label() {
        let g = Grid::of_text(&[
            &["TT", "Tiêu chí", "Điểm tối đa", "Điểm thẩm định", "", ""],
            &["", "", "", "Xã An Phú", "Trần Nguyên Hãn", "Hải An"],
            &["I", "Công tác", "21", "20", "19", "18"],
        ]);
        assert!(detect(&g).is_none());
        let maps = detect_matrix(&g, &[]).unwrap();
        let got: Vec<(usize, &str, usize)> = maps.iter().map(|(m, h)| (m.appraised, h.as_str(), m.data_start)).collect();
        assert_eq!(got, vec![(3, "Xã An Phú", 2), (4, "Trần Nguyên Hãn", 2), (5, "Hải An", 2)]);
    }

    #[test]
    fn no_header_no_map() {
        let g = Grid::of_text(&[&["Danh sách"], &["a", "b"]]);
        assert!(detect(&g).is_none());
    }
}
