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
    w.xlsx("input/2023/tong_hop.xlsx", &[matrix_sheet(vec![header], wards.len(), |_, _, max| max)]);
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

/// One unit of the web report: name, total block (appraised, survey, total, printed
/// %), and per area (survey, appraised, printed total).
type WebRow = (&'static str, (f64, f64, f64, &'static str), [(f64, f64, f64); 3]);

/// A district's PAR web report as the page shows it: four header rows, the first column
/// "TT" merged down, the second a label column ("TTLV", "Lĩnh vực", "Điểm tối đa",
/// "Điểm đánh giá") above the names, a row of maxes (the areas' add to 99,55 under a
/// total of 100), the totals block "Thẩm định | ĐTXHH | Tổng điểm | Chỉ số (%)" and
/// area blocks "Đánh giá qua ĐTXHH | UBND Huyện  thẩm định | Tổng điểm | Chỉ số(%)".
fn web_report(unit_label: &str, totals_last: bool, units: &[WebRow]) -> Sheet {
    let areas =
        [("1", "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH", 40.5), ("2", "CẢI CÁCH THỦ TỤC HÀNH CHÍNH", 30.0), ("3", "HIỆN ĐẠI HÓA HÀNH CHÍNH", 29.05)];
    let total_head = [
        vec![t("Chỉ số cải cách HC năm 2023"), t(""), t(""), t("")],
        vec![t(""), t(""), t(""), t("")],
        vec![n(100.0), t(""), t(""), t("")],
        vec![t("Thẩm định"), t("ĐTXHH"), t("Tổng điểm"), t("Chỉ số (%)")],
    ];
    let area_head = |k: usize| {
        let (code, name, max) = areas[k];
        [
            vec![t(code), t(""), t(""), t("")],
            vec![t(name), t(""), t(""), t("")],
            vec![n(max), t(""), t(""), t("")],
            vec![t("Đánh giá qua ĐTXHH"), t("UBND Huyện  thẩm định"), t("Tổng điểm"), t("Chỉ số(%)")],
        ]
    };
    let firsts = [[t("TT"), t(unit_label)], [t(""), t("Lĩnh vực")], [t(""), t("Điểm tối đa")], [t(""), t("Điểm đánh giá")]];
    let mut rows: Vec<Vec<Cell>> = firsts.iter().map(|f| f.to_vec()).collect();
    for (r, row) in rows.iter_mut().enumerate() {
        let mut blocks: Vec<Vec<Cell>> = (0..3).map(|k| area_head(k)[r].clone()).collect();
        let at = if totals_last { 3 } else { 0 };
        blocks.insert(at, total_head[r].clone());
        row.extend(blocks.into_iter().flatten());
    }
    for (i, (name, (appraised, survey, total, pct), parts)) in units.iter().enumerate() {
        let mut blocks: Vec<Vec<Cell>> = parts
            .iter()
            .zip(areas)
            .map(|((s, a, sum), (_, _, max))| vec![n(*s), n(*a), n(*sum), t(&format!("{:.2}%", sum / max * 100.0))])
            .collect();
        blocks.insert(if totals_last { 3 } else { 0 }, vec![n(*appraised), n(*survey), n(*total), t(pct)]);
        let mut row = vec![n(i as f64 + 1.0), t(name)];
        row.extend(blocks.into_iter().flatten());
        rows.push(row);
    }
    let mut s = Sheet::new("Kết quả", rows);
    s.merges = vec![(0, 0, 3, 0)];
    for b in 0..4u16 {
        let c = 2 + 4 * b;
        s.merges.extend([(0, c, 0, c + 3), (1, c, 1, c + 3), (2, c, 2, c + 3)]);
    }
    s
}

/// The web report is read by its structure: each unit ranked on the total that
/// includes the survey (ranked on the appraised column alone, An Phú and Diên Sanh
/// would tie at 89 under Trần Nguyên Hãn's 90), its index the printed percentage, its
/// areas each block's total; the maxes row is no unit. By hand: Trần Nguyên Hãn 90 + 4
/// = 94; An Phú 89 + 3 = 92; Diên Sanh 89 + 2 = 91, printed 90% (named, used). Named
/// too: area 2 of An Phú prints 28 where 1 + 26 = 27, and the areas' maxes add to
/// 99,55 under 100. The same with "Tên đơn vị" typed over the names, and with the
/// totals' block after the areas.
#[test]
fn a_web_report_results_table_is_read_by_its_structure() {
    let units: [WebRow; 3] = [
        ("Xã An Phú", (89.0, 3.0, 92.0, "92%"), [(2.0, 36.0, 38.0), (1.0, 26.0, 28.0), (0.0, 26.0, 26.0)]),
        ("Phường Trần Nguyên Hãn", (90.0, 4.0, 94.0, "94%"), [(3.0, 37.0, 40.0), (0.0, 29.0, 29.0), (1.0, 24.0, 25.0)]),
        ("Thị trấn Diên Sanh", (89.0, 2.0, 91.0, "90%"), [(0.0, 35.0, 35.0), (2.0, 26.0, 28.0), (0.0, 28.0, 28.0)]),
    ];
    for (label, totals_last) in [("TTLV", false), ("Tên đơn vị", false), ("TTLV", true)] {
        let w = Workdir::new();
        w.xlsx("input/2023/bao_cao.xlsx", &[web_report(label, totals_last, &units)]);
        let got = w.ranking(2023);
        assert_eq!(
            got,
            [("Trần Nguyên Hãn".to_string(), 94.0, 1), ("An Phú".to_string(), 92.0, 2), ("Diên Sanh".to_string(), 90.0, 3)],
            "{label}, totals last: {totals_last}"
        );
        let j: Value = serde_json::from_slice(&w.cchc(&["trend", "--format", "json"]).stdout).unwrap();
        let tnh = j["units"].as_array().unwrap().iter().find(|u| u["unit"] == "Trần Nguyên Hãn").unwrap();
        assert_eq!(tnh["years"][0]["areas"], serde_json::json!({"1": 40.0, "2": 29.0, "3": 25.0}));
        let d = w.diagnostics();
        let named: Vec<(&str, &str, &str)> = d
            .iter()
            .filter(|d| d["kind"].as_str().unwrap().starts_with("results_"))
            .map(|d| (d["kind"].as_str().unwrap(), d["cell"].as_str().unwrap(), d["unit"].as_str().unwrap_or("")))
            .collect();
        let (total, area2) = if totals_last { ("O", "I") } else { ("C", "M") };
        let mut want = vec![
            ("results_max_mismatch", format!("{total}3"), ""),
            ("results_parts_mismatch", format!("{area2}5"), "An Phú"),
            ("results_percent_mismatch", format!("{}7", if totals_last { "R" } else { "F" }), "Diên Sanh"),
        ];
        want.sort();
        let mut got: Vec<(&str, String, &str)> = named.iter().map(|(k, c, u)| (*k, c.to_string(), *u)).collect();
        got.sort();
        assert_eq!(got, want, "{label}, totals last: {totals_last}: {d:#?}");
        let max = d.iter().find(|d| d["kind"] == "results_max_mismatch").unwrap();
        assert!(max["message"].as_str().unwrap().contains("99,55") && max["message"].as_str().unwrap().contains("100"));
        // Every column accounted for, each block's by what it holds.
        let text = String::from_utf8_lossy(&w.cchc(&["validate"]).stdout).into_owned();
        let line = text.lines().find(|l| l.contains("bảng kết quả")).unwrap_or_else(|| panic!("{text}")).to_string();
        for part in [
            "3 đơn vị",
            "3 cột lĩnh vực: điều tra xã hội học",
            "3 cột lĩnh vực: thẩm định",
            "3 cột điểm lĩnh vực",
            "3 cột lĩnh vực: chỉ số (%)",
        ] {
            assert!(line.contains(part), "{part}: {line}");
        }
        for part in
            ["số thứ tự", "đơn vị", "tổng: thẩm định", "tổng: điều tra xã hội học", "tổng điểm", "tổng: chỉ số (%)", "bỏ qua: không có"]
        {
            assert!(line.contains(part), "{part}: {line}");
        }
    }
}

/// Points no criterion carries are named, never dropped without a word: a row without a
/// code in a scoring sheet (`unread_row`), a results table's row whose unit has no
/// readable name (`unit_row_unread`, an error: a unit would leave the year); the
/// table's own total line is no unit.
#[test]
fn points_on_rows_that_are_no_criterion_or_unit_are_named() {
    let w = Workdir::new();
    let mut s = scoring_sheet("Biểu", Some("XÃ AN PHÚ"), 2023, &[]);
    let at = s.rows.iter().position(|r| matches!(r.first(), Some(Cell::Text(c)) if c == "II")).unwrap();
    s.rows.insert(at, vec![t(""), t("Kết quả thực hiện nhiệm vụ khác"), t(""), n(2.0), n(1.5)]);
    w.xlsx("input/2023/an_phu.xlsx", &[s]);
    let rows = vec![
        vec![t("KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM 2022")],
        vec![t("STT"), t("Tên đơn vị"), t("Tổng điểm"), t("Xếp loại")],
        vec![n(1.0), t("Xã An Phú"), n(95.5), t("Tốt")],
        vec![n(2.0), t(""), n(88.0), t("Khá")],
        vec![n(3.0), t("Xã Bình An"), n(92.25), t("Tốt")],
        vec![t(""), t("Tổng cộng"), n(275.75)],
    ];
    w.xlsx("input/2022/ket_qua.xlsx", &[Sheet::new("Kết quả", rows)]);
    assert_eq!(w.index_of(2023, "An Phú"), 100.0, "the row is not counted");
    assert_eq!(w.ranking(2022).len(), 2, "no 'Tổng Cộng' unit");
    let d = w.diagnostics();
    let unread = kinds(&d, "unread_row");
    assert_eq!(unread.len(), 1, "{unread:#?}");
    assert_eq!((unread[0]["cell"].as_str(), unread[0]["severity"].as_str()), (Some("D10"), Some("warning")));
    assert!(unread[0]["message"].as_str().unwrap().contains("\"Kết quả thực hiện nhiệm vụ khác\""));
    let lost = kinds(&d, "unit_row_unread");
    assert_eq!(lost.len(), 1, "{lost:#?}");
    assert_eq!((lost[0]["cell"].as_str(), lost[0]["severity"].as_str()), (Some("B4"), Some("error")));
    assert!(lost[0]["message"].as_str().unwrap().contains("88"));
}

/// A PAR system's "BÁO CÁO PHÂN TÍCH TIÊU CHÍ": areas as rows LV1, LV2, criteria by
/// place TC1, TC2: named as unread with what to do, not "no header".
#[test]
fn a_positional_criteria_report_is_named_as_unread() {
    let w = Workdir::new();
    w.xlsx("input/2023/an_phu.xlsx", &[scoring_sheet("Biểu", Some("XÃ AN PHÚ"), 2023, &[])]);
    let rows = vec![
        vec![t("BÁO CÁO PHÂN TÍCH TIÊU CHÍ XÃ BÌNH AN ĐỢT ĐÁNH GIÁ NĂM 2023")],
        vec![],
        vec![t("TIÊU CHÍ VÀ LĨNH VỰC"), t("TC1"), t(""), t(""), t("TC2"), t(""), t("Điểm")],
        vec![t(""), t("TC TP1"), t("TC TP2"), t("TĐ TC1"), t("TC TP1"), t("TĐ TC2"), t("")],
        vec![t("LV1"), n(2.0), n(1.5), n(3.5), n(4.0), n(4.0), n(7.5)],
        vec![t("LV2"), n(1.0), t(""), n(1.0), n(2.0), n(2.0), n(3.0)],
    ];
    w.xlsx("input/2023/Tong_hop_binh_an.xlsx", &[Sheet::new("Phân tích", rows)]);
    let d = w.diagnostics();
    let named = kinds(&d, "positional_matrix");
    assert_eq!(named.len(), 1, "{d:#?}");
    assert_eq!((named[0]["sheet"].as_str(), named[0]["severity"].as_str()), (Some("Phân tích"), Some("error")));
    assert!(kinds(&d, "no_header").is_empty());
}

/// A unit on the office's list (cchc.toml) is a unit before it is any label: a matrix
/// column headed by a bare name that reads as a label ("Lý Do", a note's word) is that
/// unit's column. Without the list the column, holding points like a unit's, is named
/// as an error: the unit does not leave the year without a word.
#[test]
fn a_unit_on_the_office_list_is_a_unit_before_it_is_a_label() {
    let matrix = || {
        let header = vec![t("TT"), t("Tiêu chí"), t("Điểm tối đa"), t("An Phú"), t("Lý Do"), t("Bình Minh")];
        matrix_sheet(vec![header], 3, |u, code, max| match (u, code) {
            (1, "2.2") => max - 3.0,
            (2, "1.2") => max - 1.0,
            _ => max,
        })
    };
    let w = Workdir::new();
    w.xlsx("input/2023/tong_hop.xlsx", &[matrix()]);
    assert_eq!(w.ranking(2023).len(), 2, "without the list, 'Lý Do' reads as a note's label");
    let d = w.diagnostics();
    let named = kinds(&d, "unit_column_unread");
    assert_eq!(named.len(), 1, "{d:#?}");
    assert_eq!((named[0]["cell"].as_str(), named[0]["severity"].as_str()), (Some("E2"), Some("error")));
    assert!(named[0]["message"].as_str().unwrap().contains("\"Lý Do\" có điểm ở 5 dòng"), "{named:#?}");
    let listed = Workdir::new();
    listed.xlsx("input/2023/tong_hop.xlsx", &[matrix()]);
    let units = ["An Phú", "Lý Do", "Bình Minh"].map(|u| format!("[[units.unit]]\nname = \"{u}\"\nkind = \"xã\"\n")).concat();
    listed.write("input/cchc.toml", units.as_bytes());
    assert_eq!(
        listed.ranking(2023),
        [("An Phú".to_string(), 100.0, 1), ("Bình Minh".to_string(), 99.0, 2), ("Lý Do".to_string(), 97.0, 3)]
    );
}

/// A name seen in the folder's other files is a unit before it is a label too: the
/// 2023 matrix's "Lý Do" column is the unit whose own 2024 sheet says so.
#[test]
fn a_unit_named_in_other_files_is_a_unit_before_it_is_a_label() {
    let w = Workdir::new();
    let header = vec![t("TT"), t("Tiêu chí"), t("Điểm tối đa"), t("An Phú"), t("Lý Do")];
    let matrix = matrix_sheet(vec![header], 2, |u, code, max| if u == 1 && code == "2.2" { max - 3.0 } else { max });
    w.xlsx("input/2023/tong_hop.xlsx", &[matrix]);
    w.xlsx("input/2024/ly_do.xlsx", &[scoring_sheet("Biểu", Some("XÃ LÝ DO"), 2024, &[])]);
    assert_eq!(w.ranking(2023), [("An Phú".to_string(), 100.0, 1), ("Lý Do".to_string(), 97.0, 2)]);
    let j: Value = serde_json::from_slice(&w.cchc(&["rank", "--year", "2024", "--format", "json"]).stdout).unwrap();
    assert_eq!(j["units"][0]["rank_change"], 1, "the ward's two years are one unit: {j}");
}

/// A results table of a framework of other than 100 points, without a percentage
/// column: the index is the total over the printed max. 57 of 60 → 95; 45,6 of 60 → 76.
#[test]
fn a_results_total_over_a_max_other_than_100_is_its_percentage() {
    let w = Workdir::new();
    let rows = vec![
        vec![t("KẾT QUẢ CHẤM ĐIỂM CẢI CÁCH HÀNH CHÍNH NĂM 2024")],
        vec![t("STT"), t("Tên đơn vị"), t("Tổng điểm (60 điểm)"), t("Xếp loại")],
        vec![n(1.0), t("Công an xã Long Hải"), n(57.0), t("Tốt")],
        vec![n(2.0), t("Công an phường Phước Trung"), n(45.6), t("Trung bình")],
    ];
    w.xlsx("input/2024/ket_qua.xlsx", &[Sheet::new("Kết quả", rows)]);
    assert_eq!(w.ranking(2024), [("Long Hải".to_string(), 95.0, 1), ("Phước Trung".to_string(), 76.0, 2)]);
}

/// A matrix whose units' names sit under "Điểm thẩm định" merged over them: every unit
/// is ranked (it used to be read as one unit's sheet, the others lost without a word).
#[test]
fn a_matrix_with_its_units_under_a_merged_label_ranks_every_unit() {
    let w = Workdir::new();
    let headers = vec![
        vec![t("TT"), t("Tiêu chí"), t("Điểm tối đa"), t("Điểm thẩm định")],
        vec![t(""), t(""), t(""), t("Xã An Phú"), t("Trần Nguyên Hãn"), t("Hải An")],
    ];
    let mut s = matrix_sheet(headers, 3, |u, code, max| match (u, code) {
        (1, "2.1") => max - 2.0,
        (2, "1.2") => max - 4.0,
        _ => max,
    });
    s.merges = vec![(1, 3, 1, 5)];
    w.xlsx("input/2023/tong_hop.xlsx", &[s]);
    assert_eq!(
        w.ranking(2023),
        [("An Phú".to_string(), 100.0, 1), ("Trần Nguyên Hãn".to_string(), 98.0, 2), ("Hải An".to_string(), 96.0, 3)]
    );
}
