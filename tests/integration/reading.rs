//! Every layout-A reading variant of the end-to-end issue, each on its own fixture,
//! checked through the real binary's ranking (values worked out by hand).

use crate::common::*;
use unicode_normalization::UnicodeNormalization;

fn nfd(s: &str) -> String {
    s.nfd().collect()
}

/// Header deep in the sheet, label variants and the typo "Điểm Thấp định".
#[test]
fn header_found_late_with_variants_and_typo() {
    let w = Workdir::new();
    let mut rows = vec![vec![t("ỦY BAN NHÂN DÂN\nXÃ TÂN PHÚ")]];
    rows.extend((0..20).map(|i| vec![t(&format!("Căn cứ văn bản số {i}"))]));
    rows.push(vec![t("Mã"), t("Tiêu chí, tiêu chí thành phần"), t("Thang điểm"), t("Điểm ĐV tự chấm"), t("Điểm Thấp định"), t("Ghi chú")]);
    for (code, name, max) in FRAMEWORK {
        let v = if code == "2.1" { n(27.5) } else { n(max) };
        let leaf = LEAVES.contains(&code);
        rows.push(vec![t(code), t(name), n(max), if leaf { n(max) } else { t("") }, if leaf { v } else { t("") }]);
    }
    w.xlsx("input/2022/a.xlsx", &[Sheet::new("Sheet1", rows)]);
    assert_eq!(w.index_of(2022, "Tân Phú"), 97.5);
}

/// Two header rows with merged cells, a row of column numbers, codes at the start of
/// the name cell with trailing dots, areas as arabic numerals, numbers as comma text.
#[test]
fn two_row_merged_header_column_numbers_codes_in_names() {
    let w = Workdir::new();
    let mut rows = vec![
        vec![t("Đơn vị: UBND xã Hòa Bình")],
        vec![
            t("TT"),
            t("Lĩnh vực/Tiêu chí/Tiêu chí thành phần"),
            t("Điểm tối đa"),
            t("Điểm đạt được"),
            t(""),
            t("Tài liệu kiểm chứng"),
            t("Giải trình"),
        ],
        vec![t(""), t(""), t(""), t("Tự chấm"), t("Thẩm định"), t(""), t("")],
        vec![t("(1)"), t("(2)"), t("(3)"), t("(4)"), t("(5)"), t("(6)"), t("(7)")],
    ];
    for (i, (code, name, max)) in FRAMEWORK.iter().enumerate() {
        let arabic = code.replace("II", "2").replace('I', "1");
        let leaf = LEAVES.contains(code);
        let appraised = match *code {
            "1.1.2" => t("8,75"),
            "2.2" => t("29.5"),
            _ if leaf => t(&format!("{max}")),
            _ => t(""),
        };
        rows.push(vec![
            n(i as f64 + 1.0),
            t(&format!("{arabic}. {name}")),
            t(&format!("{max}")),
            if leaf { t(&format!("{max}")) } else { t("") },
            appraised,
            t(""),
            t(if *code == "1.1.2" { "Chậm tiến độ" } else { "" }),
        ]);
    }
    let mut s = Sheet::new("Biểu 1", rows);
    s.merges = vec![(1, 3, 1, 4), (1, 0, 2, 0), (1, 1, 2, 1), (1, 2, 2, 2), (1, 5, 2, 5), (1, 6, 2, 6)];
    w.xlsx("input/2022/bieu.xlsx", &[s]);
    // 100 − 1,25 − 0,5 = 98,25
    assert_eq!(w.index_of(2022, "Hòa Bình"), 98.25);
    // The note of 1.1.2 is kept in the long table.
    let out = w.cchc(&["run"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let csv = std::fs::read_to_string(w.path("output/scores.csv")).unwrap();
    let row = csv.lines().find(|l| l.contains(",1.1.2,")).unwrap();
    assert!(row.contains("Chậm tiến độ") && row.contains("8.75"), "{row}");
}

/// NFD text everywhere (labels, names, title) and a two-row header without merges
/// (as .ods keeps it), Roman areas in the name cell, "Không áp dụng" and "KAD".
#[test]
fn nfd_text_two_rows_without_merges_and_not_applicable() {
    let w = Workdir::new();
    let mut rows = vec![
        vec![t(&nfd("ỦY BAN NHÂN DÂN\nXÃ ĐỒNG THỊNH"))],
        vec![t(&nfd("Tiêu chí, tiêu chí thành phần")), t(&nfd("Điểm chuẩn")), t(&nfd("Điểm đạt được")), t(""), t(&nfd("Nguyên nhân"))],
        vec![t(""), t(""), t(&nfd("Tự đánh giá")), t(&nfd("Thẩm định của huyện"))],
    ];
    for (code, name, max) in FRAMEWORK {
        let leaf = LEAVES.contains(&code);
        let v = match code {
            "1.1.1" => t("KAD"),
            "2.1" => t(&nfd("Không áp dụng")),
            "2.2" => n(27.0),
            _ if leaf => n(max),
            _ => t(""),
        };
        rows.push(vec![t(&nfd(&format!("{code}. {name}"))), n(max), v.clone(), v]);
    }
    w.xlsx("input/2023/x.xlsx", &[Sheet::new("Sheet1", rows)]);
    // Applicable max 100 − 10 − 30 = 60; points 10 + 20 + 27 = 57 → 95,00.
    let j = w.rank_json(2023);
    assert_eq!(j["units"][0]["unit"], "Đồng Thịnh");
    assert_eq!(j["units"][0]["index"], 95.0);
    assert_eq!(j["units"][0]["points"], 57.0);
}

/// Blank parent rows, parent formulas without cached values, a deeper level (1.1.2.1)
/// and a code column with "1.1." dots: leaves are the truth.
#[test]
fn blank_and_formula_parents_and_any_depth() {
    let w = Workdir::new();
    let mut rows = vec![vec![t("STT"), t("Nội dung"), t("Điểm tối đa"), t("Tự chấm"), t("Thẩm định")]];
    rows.push(vec![t("I."), t("Công tác chỉ đạo"), n(40.0), Cell::Formula("=SUM(D3:D7)".into()), Cell::Formula("=SUM(E3:E7)".into())]);
    rows.push(vec![t("1.1."), t("Kế hoạch"), n(20.0), t(""), t("")]);
    rows.push(vec![t("1.1.1."), t("Ban hành"), n(10.0), n(10.0), n(10.0)]);
    rows.push(vec![t("1.1.2."), t("Thực hiện"), n(10.0), t(""), t("")]);
    rows.push(vec![t("1.1.2.1."), t("Thực hiện đúng hạn"), n(6.0), n(6.0), n(5.25)]);
    rows.push(vec![t("1.1.2.2."), t("Báo cáo kết quả"), n(4.0), n(4.0), n(4.0)]);
    rows.push(vec![t("1.2."), t("Báo cáo"), n(20.0), n(20.0), n(20.0)]);
    rows.push(vec![t("II."), t("Cải cách TTHC"), n(60.0), t(""), t("")]);
    rows.push(vec![t("2.1."), t("Công khai"), n(30.0), n(30.0), n(30.0)]);
    rows.push(vec![t("2.2."), t("Giải quyết"), n(30.0), n(30.0), n(30.0)]);
    w.xlsx("input/2022/UBND xã Gio An.xlsx", &[Sheet::new("Biểu chấm điểm", rows)]);
    assert_eq!(w.index_of(2022, "Gio An"), 99.25);
}

/// One workbook with a sheet per unit: the sheet names name the units.
#[test]
fn workbook_with_a_sheet_per_unit() {
    let w = Workdir::new();
    w.xlsx(
        "input/2022/tong_hop.xlsx",
        &[
            scoring_sheet("Triệu An", None, 2022, &[("1.2", Val::Num(19.5))]),
            scoring_sheet("Triệu Vân", None, 2022, &[("1.2", Val::Num(17.0))]),
            Sheet::new("Hướng dẫn", vec![vec![t("Ghi chú cách chấm")]]),
        ],
    );
    assert_eq!(w.ranking(2022), vec![("Triệu An".to_string(), 99.5, 1), ("Triệu Vân".to_string(), 97.0, 2)]);
}

/// Unit identity: file name without tones joins the toned unit of another year; old
/// and new tone placement are one unit; prefixes and case are ignored; Mỹ Thành and
/// Mỹ Thạnh stay two units.
#[test]
fn unit_identity_across_files_and_years() {
    let w = Workdir::new();
    w.xlsx("input/2021/a.xlsx", &[scoring_sheet("Biểu", Some("XÃ TRIỆU TRẠCH"), 2021, &[("1.2", Val::Num(10.0))])]);
    w.xlsx("input/2021/b.xlsx", &[scoring_sheet("Biểu", Some("XÃ TRIỆU HOÀ"), 2021, &[("1.2", Val::Num(12.0))])]);
    w.xlsx("input/2021/c.xlsx", &[scoring_sheet("Biểu", Some("XÃ MỸ THÀNH"), 2021, &[])]);
    w.xlsx("input/2021/d.xlsx", &[scoring_sheet("Biểu", Some("XÃ MỸ THẠNH"), 2021, &[("2.2", Val::Num(29.0))])]);
    // 2022: Triệu Trạch known only from a toneless file name; Hòa with new placement.
    w.xlsx("input/2022/Trieu_Trach_2022.xlsx", &[scoring_sheet("Biểu chấm điểm", None, 2022, &[])]);
    w.xlsx("input/2022/b.xlsx", &[scoring_sheet("Biểu", Some("UBND xã Triệu Hòa"), 2022, &[("1.2", Val::Num(18.0))])]);
    // NFD text and double spaces in the title: the same unit as the NFC one of 2021.
    w.xlsx("input/2022/c.xlsx", &[scoring_sheet("Biểu", Some(&nfd("XÃ  MỸ THÀNH")), 2022, &[("1.2", Val::Num(19.0))])]);
    w.xlsx("input/2022/d.xlsx", &[scoring_sheet("Biểu", Some("XÃ MỸ THẠNH"), 2022, &[("1.2", Val::Num(19.5))])]);
    let j = w.rank_json(2022);
    let units = j["units"].as_array().unwrap();
    let names: Vec<&str> = units.iter().map(|u| u["unit"].as_str().unwrap()).collect();
    assert_eq!(names, ["Triệu Trạch", "Mỹ Thạnh", "Mỹ Thành", "Triệu Hòa"]);
    let by = |name: &str| units.iter().find(|u| u["unit"] == name).unwrap().clone();
    // 2021 ranks: Mỹ Thành 100 (1), Mỹ Thạnh 99 (2), Triệu Hoà 92 (3), Triệu Trạch 90 (4).
    assert_eq!(by("Triệu Trạch")["rank_change"], 3);
    assert_eq!(by("Triệu Hòa")["rank_change"], -1);
    assert_eq!(by("Mỹ Thành")["rank_change"], -2);
    assert_eq!(by("Mỹ Thạnh")["rank_change"], 0);
}

/// A toneless name that fits two toned units is not guessed.
#[test]
fn ambiguous_toneless_name_is_reported_not_merged() {
    let w = Workdir::new();
    w.xlsx("input/2022/c.xlsx", &[scoring_sheet("Biểu", Some("XÃ MỸ THÀNH"), 2022, &[])]);
    w.xlsx("input/2022/d.xlsx", &[scoring_sheet("Biểu", Some("XÃ MỸ THẠNH"), 2022, &[])]);
    w.xlsx("input/2022/My_Thanh.xlsx", &[scoring_sheet("Biểu chấm điểm", None, 2022, &[])]);
    let out = w.cchc(&["run"]);
    assert_eq!(out.status.code(), Some(1));
    let diags: serde_json::Value = serde_json::from_slice(&std::fs::read(w.path("output/diagnostics.json")).unwrap()).unwrap();
    let d = diags["diagnostics"].as_array().unwrap().iter().find(|d| d["kind"] == "ambiguous_unit").expect("ambiguous_unit");
    assert_eq!(d["file"], "2022/My_Thanh.xlsx");
    assert_eq!(w.ranking(2022).len(), 3);
}

/// Lock files and non-workbooks are skipped quietly and counted.
#[test]
fn lock_files_and_strays_are_skipped_and_counted() {
    let w = Workdir::new();
    w.xlsx("input/2022/a.xlsx", &[scoring_sheet("Biểu", Some("XÃ AN PHÚ"), 2022, &[])]);
    w.write("input/2022/~$a.xlsx", b"lock");
    w.write("input/2022/Thumbs.db", b"junk");
    w.write("input/2022/ghi chu.txt", "ghi chú".as_bytes());
    let out = w.cchc(&["run"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(err.contains("bỏ qua 3 tệp (1 tệp khóa của Excel, 2 tệp không phải bảng tính)"), "{err}");
}

/// The year's framework is what most sheets say: one sheet's mistyped max does not
/// change it, and the mistyped sheet is still scored against the majority.
#[test]
fn framework_by_majority() {
    let w = Workdir::new();
    for (i, u) in ["XÃ AN PHÚ", "XÃ BÌNH AN", "XÃ CÁT TIÊN"].iter().enumerate() {
        let mut s = scoring_sheet("Biểu", Some(u), 2022, &[("2.2", Val::Num(28.0))]);
        if i == 2 {
            // 2.2's max typed as 40 on this sheet only.
            let row = s.rows.iter_mut().find(|r| matches!(r.first(), Some(Cell::Text(c)) if c == "2.2")).unwrap();
            row[2] = n(40.0);
        }
        w.xlsx(&format!("input/2022/{i}.xlsx"), &[s]);
    }
    for (_, index, _) in w.ranking(2022) {
        assert_eq!(index, 98.0);
    }
    let out = w.cchc(&["run"]);
    assert!(out.status.code().is_some());
    let csv = std::fs::read_to_string(w.path("output/scores.csv")).unwrap();
    assert!(csv.lines().next().unwrap().starts_with("year,unit,unit_kind,code,parent_code,depth,name,max,self,appraised,not_applicable"));
}

/// The real .xls and .ods files of the example district (2023), with their expected
/// indexes: Hải An 82,82 (.xls, comma decimals, "Kết quả thẩm định"), Hải Ba 93,31
/// (.ods, codes in names, two header rows without merges), Hải Quế 93,18 (named only
/// by a toneless file name, "Điểm Thấp định", a "Không áp dụng" leaf), Diên Sanh 89,96.
#[test]
fn committed_xls_and_ods_fixtures() {
    let w = Workdir::new();
    w.fixture("hai_an_2023.xls", "input/2023/02. Hải An - Biểu chấm điểm 2023.xls");
    w.fixture("hai_ba_2023.ods", "input/2023/03. Hải Ba - Biểu chấm điểm 2023.ods");
    w.fixture("hai_que_2023.xlsx", "input/2023/Hai_Que_2023.xlsx");
    w.fixture("dien_sanh_2023.xlsx", "input/2023/bieu_cham_diem_01.xlsx");
    // The toneless "Hai_Que" file joins the toned Hải Quế of 2022's sheet-per-unit workbook.
    w.fixture("multisheet_2022.xlsx", "input/2022/Bieu_cham_diem_cac_xa_2022.xlsx");
    let got = w.ranking(2023);
    assert_eq!(
        got,
        vec![
            ("Hải Ba".to_string(), 93.31, 1),
            ("Hải Quế".to_string(), 93.18, 2),
            ("Diên Sanh".to_string(), 89.96, 3),
            ("Hải An".to_string(), 82.82, 4),
        ]
    );
}

/// .xlsm (macro-enabled) workbooks are read like .xlsx.
#[test]
fn xlsm_files_are_read() {
    let w = Workdir::new();
    w.xlsx("input/2022/a.xlsx", &[scoring_sheet("Biểu", Some("XÃ AN PHÚ"), 2022, &[("2.1", Val::Num(29.0))])]);
    std::fs::rename(w.path("input/2022/a.xlsx"), w.path("input/2022/a.xlsm")).unwrap();
    assert_eq!(w.index_of(2022, "An Phú"), 99.0);
}

/// Layout B, the consolidated matrix of the example district (2021): one appraised
/// column per unit, units named by the header cells (with and without prefixes), a
/// "KAD" leaf; expected indexes from the example's answers.
#[test]
fn consolidated_matrix_year() {
    let w = Workdir::new();
    w.fixture("matrix_2021.xlsx", "input/2021/Tong_hop_tham_dinh_2021.xlsx");
    w.fixture("multisheet_2022.xlsx", "input/2022/Bieu_cham_diem_cac_xa_2022.xlsx");
    let expected = [("Hải Quế", 98.8, 1), ("Hải Ba", 97.31, 2), ("Diên Sanh", 92.12, 3), ("Hải An", 80.75, 4)];
    assert_eq!(w.ranking(2021), expected.map(|(u, i, r)| (u.to_string(), i, r)));
    // 2022 links back to the matrix year: Hải Ba 2nd → 2nd, Diên Sanh 3rd → 3rd.
    let j = w.rank_json(2022);
    let kinds: Vec<(&str, &str, i64)> = j["units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| (u["unit"].as_str().unwrap(), u["kind"].as_str().unwrap(), u["rank_change"].as_i64().unwrap()))
        .collect();
    assert_eq!(kinds, [("Hải Quế", "xã", 0), ("Hải Ba", "xã", 0), ("Diên Sanh", "thị trấn", 0), ("Hải An", "xã", 0)]);
}
