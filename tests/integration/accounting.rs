//! The reader accounts for what it sees (issue #26): coded rows that are a
//! criterion's options, a criterion scored over blank rows, units named like labels.

use crate::common::*;
use serde_json::Value;

/// The row of `sheet` whose first cell is `code`.
fn row_of(sheet: &Sheet, code: &str) -> usize {
    sheet.rows.iter().position(|r| matches!(r.first(), Some(Cell::Text(c)) if c == code)).unwrap_or_else(|| panic!("no row {code}"))
}

/// Sets a row's self-assessed and appraised cells.
fn score(sheet: &mut Sheet, code: &str, v: Cell) {
    let r = row_of(sheet, code);
    let row = &mut sheet.rows[r];
    row.resize(5, Cell::Empty);
    row[3] = v.clone();
    row[4] = v;
}

fn kinds<'a>(d: &'a [Value], kind: &str) -> Vec<&'a Value> {
    d.iter().filter(|d| d["kind"] == kind).collect()
}

/// A real template's 5.4 (max 0,5) over rows coded 5.4.1 "Có quy chế làm việc: 0.5"
/// and 5.4.2 "Không có quy chế làm việc: 0" (maxes as text), rebuilt on 2.2 (max 30):
/// the coded rows are 2.2's options, not two blank leaves. By hand: An Phú typed 30 on
/// 2.2 → 100; Bình Minh 0 → 70; Cát Tiên left 2.2 blank and typed 30 on the "Có" row →
/// 2.2 is 30 → 100.
#[test]
fn coded_option_rows_under_a_criterion_are_its_options() {
    let w = Workdir::new();
    for (file, unit, on_parent, on_option) in [
        ("a.xlsx", "XÃ AN PHÚ", Some(30.0), None),
        ("b.xlsx", "XÃ BÌNH MINH", Some(0.0), None),
        ("c.xlsx", "XÃ CÁT TIÊN", None, Some(30.0)),
    ] {
        let mut s = scoring_sheet("Biểu", Some(unit), 2023, &[]);
        score(&mut s, "2.2", on_parent.map_or(Cell::Empty, n));
        let at = row_of(&s, "2.2") + 1;
        let yes = vec![
            t("2.2.1"),
            t("Có kết quả giải quyết đúng hạn: 30"),
            t("30"),
            on_option.map_or(Cell::Empty, n),
            on_option.map_or(Cell::Empty, n),
        ];
        s.rows.insert(at, yes);
        s.rows.insert(at + 1, vec![t("2.2.2"), t("Không có kết quả giải quyết đúng hạn: 0"), t("0")]);
        w.xlsx(&format!("input/2023/{file}"), &[s]);
    }
    let got: Vec<(String, f64)> = w.ranking(2023).into_iter().map(|(u, i, _)| (u, i)).collect();
    assert_eq!(got, [("An Phú".to_string(), 100.0), ("Cát Tiên".to_string(), 100.0), ("Bình Minh".to_string(), 70.0)]);
    let d = w.diagnostics();
    assert!(kinds(&d, "missing_score").is_empty() && kinds(&d, "missing_code").is_empty(), "{d:#?}");
    let named = kinds(&d, "coded_options");
    assert_eq!(named.len(), 3, "{d:#?}");
    let m = named[0]["message"].as_str().unwrap();
    assert!(m.contains("2.2.1, 2.2.2") && m.contains("tiêu chí 2.2") && m.contains(": 30"), "{m}");
    // The option rows stay options on a score none of them gives.
    let x = Workdir::new();
    let mut s = scoring_sheet("Biểu", Some("XÃ AN PHÚ"), 2023, &[]);
    score(&mut s, "2.2", n(12.0));
    let at = row_of(&s, "2.2") + 1;
    s.rows.insert(at, vec![t("2.2.1"), t("Có: 30"), t("30")]);
    s.rows.insert(at + 1, vec![t("2.2.2"), t("Không: 0"), t("0")]);
    x.xlsx("input/2023/a.xlsx", &[s]);
    assert_eq!(x.index_of(2023, "An Phú"), 82.0);
    assert_eq!(kinds(&x.diagnostics(), "score_not_an_option").len(), 1);
}

/// Coded children that are criteria (their maxes add up, no option wording) stay
/// criteria: the rule reads options, not any pair of rows.
#[test]
fn coded_children_that_are_criteria_stay_criteria() {
    let w = Workdir::new();
    w.xlsx("input/2023/a.xlsx", &[scoring_sheet("Biểu", Some("XÃ AN PHÚ"), 2023, &[("1.1.1", Val::Num(4.0))])]);
    assert_eq!(w.index_of(2023, "An Phú"), 94.0);
    assert!(kinds(&w.diagnostics(), "coded_options").is_empty());
}

/// A criterion scored while every row under it is blank keeps its score, named, instead
/// of 0 with a "missing score" per row. An Phú typed 15 on 1.1 (max 20) and nothing on
/// 1.1.1 and 1.1.2 → 95; Bình Minh scored them (9 + 10) → 99. Area I typed 30 over
/// blank rows (Cát Tiên) → 90.
#[test]
fn a_criterion_scored_over_blank_rows_keeps_its_score() {
    let w = Workdir::new();
    let mut a = scoring_sheet("Biểu", Some("XÃ AN PHÚ"), 2023, &[]);
    score(&mut a, "1.1", n(15.0));
    score(&mut a, "1.1.1", Cell::Empty);
    score(&mut a, "1.1.2", Cell::Empty);
    w.xlsx("input/2023/a.xlsx", &[a]);
    w.xlsx("input/2023/b.xlsx", &[scoring_sheet("Biểu", Some("XÃ BÌNH MINH"), 2023, &[("1.1.1", Val::Num(9.0))])]);
    let mut c = scoring_sheet("Biểu", Some("XÃ CÁT TIÊN"), 2023, &[]);
    score(&mut c, "I", n(30.0));
    for code in ["1.1.1", "1.1.2", "1.2"] {
        score(&mut c, code, Cell::Empty);
    }
    w.xlsx("input/2023/c.xlsx", &[c]);
    let got: Vec<(String, f64)> = w.ranking(2023).into_iter().map(|(u, i, _)| (u, i)).collect();
    assert_eq!(got, [("Bình Minh".to_string(), 99.0), ("An Phú".to_string(), 95.0), ("Cát Tiên".to_string(), 90.0)]);
    let d = w.diagnostics();
    assert!(kinds(&d, "missing_score").is_empty() && kinds(&d, "missing_code").is_empty(), "{d:#?}");
    let named = kinds(&d, "parent_scored");
    assert_eq!(named.len(), 2, "{named:#?}");
    let an_phu = named.iter().find(|d| d["unit"] == "An Phú").unwrap();
    assert_eq!(an_phu["cell"], "E6", "1.1's appraised cell");
    assert!(an_phu["message"].as_str().unwrap().contains("1.1.1, 1.1.2"), "{an_phu}");
    // A criterion with some rows scored and some blank is no such case: the blank ones
    // are missing.
    let x = Workdir::new();
    let mut a = scoring_sheet("Biểu", Some("XÃ AN PHÚ"), 2023, &[]);
    score(&mut a, "1.1", n(15.0));
    score(&mut a, "1.1.2", Cell::Empty);
    x.xlsx("input/2023/a.xlsx", &[a]);
    assert_eq!(kinds(&x.diagnostics(), "missing_score").len(), 1);
    assert_eq!(x.index_of(2023, "An Phú"), 90.0);
}

/// Every header column is read as something or named: `validate` prints each file's
/// account, and a column nothing reads is `unknown_column` with its label and cell.
#[test]
fn validate_accounts_for_every_column_of_every_file() {
    let w = Workdir::new();
    let wards = ["Trần Nguyên Hãn", "Thẩm Dương", "Tự Lạn"];
    let mut header = vec![t("TT"), t("Tiêu chí"), t("Điểm tối đa")];
    header.extend(wards.iter().map(|n| t(&format!("Phường {n}"))));
    header.extend([t("Ghi chú"), t("Người chấm")]);
    let mut rows = vec![vec![t("BẢNG TỔNG HỢP KẾT QUẢ THẨM ĐỊNH NĂM 2023")], header];
    for (code, name, max) in FRAMEWORK {
        let mut row = vec![t(code), t(name), n(max)];
        if LEAVES.contains(&code) {
            row.extend(wards.iter().map(|_| n(max)));
        }
        rows.push(row);
    }
    w.xlsx("input/2023/tong_hop.xlsx", &[Sheet::new("Tổng hợp", rows)]);
    let mut sheet = scoring_sheet("Biểu", Some("XÃ AN PHÚ"), 2023, &[]);
    sheet.rows[3].push(t("Điểm cộng của huyện"));
    w.xlsx("input/2023/an_phu.xlsx", &[sheet]);
    let out = w.cchc(&["validate"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Đã đọc 2 tệp:"), "{text}");
    assert!(
        text.contains("Tổng hợp (bảng tổng hợp (mỗi đơn vị một cột), 3 đơn vị): 3 cột đơn vị; cột mã, tên tiêu chí, điểm tối đa, ghi chú; bỏ qua: H2 \"Người chấm\""),
        "{text}"
    );
    assert!(
        text.contains("Biểu (biểu chấm điểm): cột mã, tên tiêu chí, điểm tối đa, tự đánh giá, thẩm định, tài liệu kiểm chứng, ghi chú; bỏ qua: H4 \"Điểm cộng của huyện\""),
        "{text}"
    );
    let d = w.diagnostics();
    let unknown = kinds(&d, "unknown_column");
    let cells: Vec<(&str, &str)> = unknown.iter().map(|d| (d["file"].as_str().unwrap(), d["cell"].as_str().unwrap())).collect();
    assert_eq!(cells, [("2023/an_phu.xlsx", "H4"), ("2023/tong_hop.xlsx", "H2")]);
    assert!(unknown[1]["message"].as_str().unwrap().contains("\"Người chấm\""));
    let out = w.cchc(&["validate", "--format", "json"]);
    let j: Value = serde_json::from_slice(&out.stdout).unwrap();
    let matrix = j["files"].as_array().unwrap().iter().find(|f| f["file"] == "2023/tong_hop.xlsx").unwrap();
    assert_eq!(matrix["sheets"][0]["columns"]["đơn vị"], 3);
    assert_eq!(matrix["sheets"][0]["shape"], "matrix");
    assert_eq!(matrix["sheets"][0]["ignored"][0]["label"], "Người chấm");
    assert_eq!(w.ranking(2023).len(), 4, "every ward and the commune ranked");
}
