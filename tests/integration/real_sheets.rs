//! Real sheets nobody here designed (issue #15), rebuilt as fixtures from the
//! structures described in ../shared/realdata (never read from there): here, the unit
//! named by another body's title ("CÔNG AN XÃ …", "Đơn vị: Công an phường …") in B1,
//! a template's placeholders left in, and a date line above the header.

use crate::common::*;

/// A police unit's criteria sheet in the shape of the provincial template: the unit
/// line in B1, the signing date above the header, the sheet still named "TÊN ĐƠN VỊ".
fn police_sheet(unit_line: &str, scores: &[(&str, Val)]) -> Sheet {
    let mut s = scoring_sheet("TÊN ĐƠN VỊ", None, 2024, scores);
    s.rows.insert(0, vec![t(""), t(unit_line)]);
    s.rows.insert(1, vec![t(""), t("Ngày 10 Tháng 01 Năm 2025")]);
    s
}

#[test]
fn police_units_named_by_their_title_line_not_the_placeholder() {
    let w = Workdir::new();
    w.real("police-titles", "input/2024/Bang IV - CA Long Hai.xlsx", &[police_sheet("CÔNG AN XÃ LONG HẢI", &[("1.2", Val::Num(15.0))])]);
    w.real("police-titles", "input/2024/Bang IV - CA Phuoc Trung.xlsx", &[police_sheet("Đơn vị: Công an phường Phước Trung", &[])]);
    // The template left unfilled: its unit line is the placeholder, so the file name names it.
    w.real("police-titles", "input/2024/Bang IV - CA An Nhứt 2024.xlsx", &[police_sheet("Đơn vị: Tên đơn vị", &[("2.1", Val::Num(20.0))])]);
    let j = w.rank_json(2024);
    let units: Vec<(&str, &str, f64)> = j["units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| (u["unit"].as_str().unwrap(), u["kind"].as_str().unwrap(), u["index"].as_f64().unwrap()))
        .collect();
    // Phước Trung full 100; Long Hải 1.2 = 15 → 95; An Nhứt 2.1 = 20 → 90 (a xã by default).
    assert_eq!(units, [("Phước Trung", "phường", 100.0), ("Long Hải", "xã", 95.0), ("An Nhứt", "xã", 90.0)]);
    // The date line (năm 2025) is not the scoring year: no year mismatch with the 2024 folder.
    let out = w.cchc(&["validate", "--format", "json"]);
    let d: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let kinds: Vec<&str> = d["diagnostics"].as_array().unwrap().iter().map(|x| x["kind"].as_str().unwrap()).collect();
    assert!(!kinds.contains(&"year_mismatch"), "{kinds:?}");
    // The body is kept apart from the name and kind.
    let text = String::from_utf8(w.cchc(&["unit", "Phước Trung"]).stdout).unwrap();
    assert!(text.starts_with("CÔNG AN PHƯỜNG PHƯỚC TRUNG — NĂM 2024"), "{text}");
    let j: serde_json::Value = serde_json::from_slice(&w.cchc(&["unit", "An Nhứt", "--format", "json"]).stdout).unwrap();
    assert_eq!((j["unit"].as_str(), j["kind"].as_str(), j["body"].as_str()), (Some("An Nhứt"), Some("xã"), Some("Công an")));
}

/// Bảng IV totals 60, not 100: I (1.1.1 10, 1.1.2 10, 1.2 20) and II (2.1 20).
fn sixty_point_sheet(title: &str, scores: &[(&str, f64)]) -> Sheet {
    let framework = [
        ("I", "Công tác chỉ đạo, điều hành", 40.0, false),
        ("1.1", "Kế hoạch", 20.0, false),
        ("1.1.1", "Ban hành kế hoạch", 10.0, true),
        ("1.1.2", "Thực hiện kế hoạch", 10.0, true),
        ("1.2", "Báo cáo định kỳ", 20.0, true),
        ("II", "Cải cách thủ tục hành chính", 20.0, false),
        ("2.1", "Công khai thủ tục", 20.0, true),
    ];
    let mut rows = vec![
        vec![t(&format!("ỦY BAN NHÂN DÂN\n{title}"))],
        vec![t("BIỂU CHẤM ĐIỂM CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM 2024")],
        vec![t("STT"), t("Tiêu chí"), t("Điểm tối đa"), t("Điểm tự đánh giá"), t("Điểm thẩm định")],
    ];
    for (code, name, max, leaf) in framework {
        let mut row = vec![t(code), t(name), n(max)];
        if leaf {
            let v = scores.iter().find(|(c, _)| *c == code).map_or(max, |(_, v)| *v);
            row.extend([n(v), n(v)]);
        }
        rows.push(row);
    }
    Sheet::new("Biểu", rows)
}

#[test]
fn a_framework_of_sixty_points_gives_points_and_percentage() {
    let w = Workdir::new();
    // Long Hải 1.2 = 5: 45/60 → 75,00 %; Phước Trung full: 60/60 → 100 %.
    w.real("sixty-points", "input/2024/long_hai.xlsx", &[sixty_point_sheet("XÃ LONG HẢI", &[("1.2", 5.0)])]);
    w.real("sixty-points", "input/2024/phuoc_trung.xlsx", &[sixty_point_sheet("PHƯỜNG PHƯỚC TRUNG", &[])]);
    let j = w.rank_json(2024);
    let lh = j["units"].as_array().unwrap().iter().find(|u| u["unit"] == "Long Hải").unwrap();
    assert_eq!((lh["points"].as_f64(), lh["index"].as_f64(), lh["band"].as_str()), (Some(45.0), Some(75.0), Some("Khá")));
    let text = String::from_utf8(w.cchc(&["unit", "Long Hải"]).stdout).unwrap();
    assert!(text.contains("Đạt 45/60 điểm, chỉ số 75,00%, xếp loại khá, đứng thứ 2/2"), "{text}");
    assert_eq!(w.cchc(&["run"]).status.code(), Some(0));
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(w.path("output/2024/phu-luc/phu-luc-long-hai-2024.xlsx")).unwrap();
    let range = calamine::Reader::worksheet_range(&mut wb, "Phụ lục").unwrap();
    let cells: Vec<String> = range.cells().map(|(_, _, v)| v.to_string()).collect();
    assert!(
        cells
            .iter()
            .any(|c| c.starts_with("Chỉ số CCHC năm 2024 của xã Long Hải: đạt 45/60 điểm, chỉ số 75,00%, xếp loại Khá, đứng thứ 2/2.")),
        "{cells:?}"
    );
}

#[test]
fn totals_printed_as_a_percentage_or_over_their_max() {
    let w = Workdir::new();
    let rows = vec![
        vec![t("KẾT QUẢ XẾP HẠNG CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM 2023")],
        vec![t("STT"), t("Đơn vị"), t("Tổng điểm"), t("Xếp loại"), t("Xếp hạng")],
        vec![n(1.0), t("Xã An Phú"), t("92.5%"), t("Tốt"), n(1.0)],
        vec![n(2.0), t("Xã Bình An"), t(" 88,25 % "), t("Khá"), n(2.0)],
        vec![n(3.0), t("Xã Cát Tiên"), t("58.5/62"), t("Trung bình"), n(3.0)],
    ];
    w.real("totals-percent-over-max", "input/2023/ket_qua.xlsx", &[Sheet::new("Kết quả", rows)]);
    let r = w.ranking(2023);
    // 58,5 of 62 is published as 58,5 ÷ 62 × 100 = 94,354… → 94,35, first.
    assert_eq!(r, [("Cát Tiên".to_string(), 94.35, 1), ("An Phú".to_string(), 92.5, 2), ("Bình An".to_string(), 88.25, 3)]);
}

/// A PAR system's per-unit export: "Nội dung | Điểm chuẩn | Tự chấm | Tài liệu kiểm
/// chứng/Giải trình | Điểm chấm thực tế | Ý kiến", some labels in combining-tone
/// Unicode, code and name in one cell indented five spaces per level, and a multi-line
/// note whose lines end in "\r" alone, as the export writes them.
#[test]
fn a_par_system_export_with_indented_codes_and_combining_tones() {
    use unicode_normalization::UnicodeNormalization;
    let w = Workdir::new();
    let nfd = |s: &str| s.nfd().collect::<String>();
    let mut rows = vec![
        vec![t("Đơn vị: UBND xã Long Hải")],
        vec![t("KẾT QUẢ TỰ ĐÁNH GIÁ, CHẤM ĐIỂM CHỈ SỐ CCHC NĂM 2024")],
        vec![
            t(&nfd("Nội dung")),
            t(&nfd("Điểm chuẩn")),
            t("Tự chấm"),
            t("Tài liệu kiểm chứng/Giải trình"),
            t(&nfd("Điểm chấm thực tế")),
            t("Ý kiến"),
        ],
    ];
    let indent = |code: &str| " ".repeat(5 * (code.matches('.').count()));
    for (code, name, max) in FRAMEWORK {
        let cell = t(&format!("{}{code}. {name}", indent(code)));
        let mut row = vec![cell, n(max)];
        if LEAVES.contains(&code) {
            let score = if code == "2.2" { 27.5 } else { max };
            row.extend([
                n(max),
                t(""),
                n(score),
                t(if code == "2.2" { "Giải trình: \r - Còn hồ sơ trễ hạn\r - đã giải trình\r" } else { "" }),
            ]);
        }
        rows.push(row);
    }
    w.real("par-export-indented", "input/2024/export.xlsx", &[Sheet::new("Sheet1", rows)]);
    // Every leaf full but 2.2 = 27,5: 97,5, the self-assessed 100.
    let j = w.rank_json(2024);
    let u = &j["units"][0];
    assert_eq!((u["unit"].as_str(), u["index"].as_f64(), u["self_index"].as_f64()), (Some("Long Hải"), Some(97.5), Some(100.0)));
    let losses = String::from_utf8(w.cchc(&["losses", "--year", "2024", "--format", "json"]).stdout).unwrap();
    // The note's lines, split by "\r" alone, are kept as one line of text.
    assert!(losses.contains("Giải trình: - Còn hồ sơ trễ hạn - đã giải trình"), "{losses}");
}

/// The commune police template's numbering: area and criterion codes in number
/// cells, two leaves typed 1.4.1 / 1.4.2 under 1.3 before the real 1.4 with its own,
/// a number cell 7.11 under 7.1, and rubric option rows (no code, the points at the
/// end of the text and as text in the max column) under the leaves.
/// Framework: 1 (10) = 1.3 (2: 1.3.1 1, 1.3.2 1) + 1.4 (4: 1.4.1 2, 1.4.2 2) + 1.5 (4:
/// 1.5.1 4); 7 (10) = 7.1 (5: 7.1.1 5) + 7.2 (5: 7.2.1 5). Total 20.
fn misnumbered_sheet(unit: &str, max_1_3: f64, scores: &[(&str, f64)]) -> Sheet {
    let mut rows = vec![
        vec![t(""), t(unit)],
        vec![t(""), t("MỨC ĐIỂM TIÊU CHÍ CẢI CÁCH HÀNH CHÍNH\n\n\n")],
        vec![],
        vec![
            t("STT"),
            t("Lĩnh vực/ Tiêu chí/ Tiêu chí thành phần"),
            t("Điểm tối đa (chuẩn)"),
            t("Điểm tự chấm"),
            t("Điểm thẩm định"),
            t("Ghi chú"),
        ],
    ];
    // (code cell, leaf's real code, name, max, options)
    type Line<'a> = (Cell, Option<&'a str>, &'a str, f64, &'a [(&'a str, &'a str)]);
    let lines: [Line; 14] = [
        (n(1.0), None, "CÔNG TÁC CHỈ ĐẠO ĐIỀU HÀNH CẢI CÁCH HÀNH CHÍNH", 10.0, &[]),
        (n(1.3), None, "Công tác tuyên truyền cải cách hành chính", max_1_3, &[]),
        (t("1.4.1"), Some("1.3.1"), "Ban hành kế hoạch tuyên truyền", 1.0, &[("Có kế hoạch: 1", "1"), ("Không có kế hoạch: 0", "0")]),
        (
            t("1.4.2"),
            Some("1.3.2"),
            "Mức độ thực hiện kế hoạch tuyên truyền",
            1.0,
            &[
                ("Thực hiện từ 70% - 100% kế hoạch: 1", "1"),
                ("Thực hiện từ 50% - 70% kế hoạch: 0,5", "0.5"),
                ("Thực hiện dưới 50%  kế hoạch: 0", "0"),
            ],
        ),
        (n(1.4), None, "Sự năng động trong chỉ đạo, điều hành", 4.0, &[]),
        (t("1.4.1"), Some("1.4.1"), "Gắn kết quả với thi đua, khen thưởng", 2.0, &[("Có thực hiện:2", "2"), ("Không thực hiện:0", "0")]),
        (t("1.4.2"), Some("1.4.2"), "Có nội dung sáng tạo khác", 2.0, &[]),
        (n(1.5), None, "Kết quả chỉ đạo, điều hành", 4.0, &[]),
        (
            t("1.5.1"),
            Some("1.5.1"),
            "Chủ động, sáng tạo",
            4.0,
            &[("Từ 02 giải pháp trở lên: 4", "4"), ("01 giải pháp: 2", "2"), ("Không có giải pháp: 0", "0")],
        ),
        (n(7.0), None, "Tổ chức tiếp dân, giải quyết thủ tục hành chính", 10.0, &[]),
        (n(7.1), None, "Hiệu quả tiếp nhận và trả kết quả", 5.0, &[]),
        (n(7.11), Some("7.1.1"), "Hiệu quả tiếp nhận và trả kết quả trong giải quyết TTHC", 5.0, &[]),
        (n(7.2), None, "Điều kiện cơ sở vật chất", 5.0, &[]),
        (t("7.2.1"), Some("7.2.1"), "Diện tích phòng làm việc", 5.0, &[]),
    ];
    for (code, leaf, name, max, options) in lines {
        let mut row = vec![code, t(name), n(max)];
        if let Some(leaf) = leaf {
            let v = scores.iter().find(|(c, _)| *c == leaf).map_or(max, |(_, v)| *v);
            row.extend([n(max), n(v)]);
        }
        rows.push(row);
        for (text, points) in options {
            rows.push(vec![t(""), t(text), t(points)]);
        }
    }
    rows.push(vec![t(""), t("Tổng cộng:"), n(20.0)]);
    rows.push(vec![t("Ghi chú:")]);
    rows.push(vec![t(""), t("Đối với tiêu chí điền điểm đạt được, các đơn vị điền vào ô cột E")]);
    Sheet::new("TÊN ĐƠN VỊ", rows)
}

#[test]
fn misnumbered_codes_are_read_from_their_place_when_the_max_sums_agree() {
    let w = Workdir::new();
    // Long Hải loses 1 on 1.3.2 (typed 1.4.2) and 2 on 1.5.1: 17/20 → 85.
    w.real(
        "misnumbered-codes",
        "input/2024/ca_long_hai.xlsx",
        &[misnumbered_sheet("CÔNG AN XÃ LONG HẢI", 2.0, &[("1.3.2", 0.0), ("1.5.1", 2.0)])],
    );
    // Phước Trung is full marks: 20/20 → 100.
    w.real("misnumbered-codes", "input/2024/ca_phuoc_trung.xlsx", &[misnumbered_sheet("CÔNG AN PHƯỜNG PHƯỚC TRUNG", 2.0, &[])]);
    assert_eq!(w.ranking(2024), [("Phước Trung".to_string(), 100.0, 1), ("Long Hải".to_string(), 85.0, 2)]);
    let diags = w.diagnostics();
    let kinds: Vec<&str> = diags.iter().map(|d| d["kind"].as_str().unwrap()).collect();
    for wrong in ["duplicate_code", "missing_score", "extra_code", "missing_code", "max_sum_mismatch", "code_order_conflict"] {
        assert!(!kinds.contains(&wrong), "{wrong}: {diags:?}");
    }
    let repairs: Vec<(&str, &str)> = diags
        .iter()
        .filter(|d| d["kind"] == "code_out_of_place" && d["unit"] == "Long Hải")
        .map(|d| (d["cell"].as_str().unwrap(), d["message"].as_str().unwrap()))
        .collect();
    // The rows: header on 4, 1 on 5, 1.3 on 6, "1.4.1" on 7 (its options 8–9), "1.4.2" on
    // 10 (options 11–13) … 7.1 on 25, 7.11 on 26.
    assert_eq!(repairs.len(), 3, "{repairs:?}");
    assert_eq!(repairs[0].0, "A7");
    assert!(repairs[0].1.starts_with("Dòng 7 ghi mã 1.4.1 nằm dưới 1.3; hiểu là 1.3.1"), "{}", repairs[0].1);
    assert_eq!(repairs[1].0, "A10");
    assert!(repairs[2].1.starts_with("Dòng 26 ghi mã 7.11 nằm dưới 7.1; hiểu là 7.1.1"), "{}", repairs[2].1);
    // The losses are the leaves' real codes, and the options are not criteria.
    let losses: serde_json::Value = serde_json::from_slice(&w.cchc(&["losses", "--year", "2024", "--format", "json"]).stdout).unwrap();
    let text = losses.to_string();
    assert!(text.contains("\"1.3.2\"") && text.contains("\"1.5.1\"") && !text.contains("Có kế hoạch"), "{text}");
}

#[test]
fn misnumbered_codes_whose_sums_disagree_are_kept_and_the_rows_named() {
    let w = Workdir::new();
    // 1.3 typed with max 3: the two rows under it (1 + 1) do not make it up.
    w.real("misnumbered-codes-conflict", "input/2024/ca_long_hai.xlsx", &[misnumbered_sheet("CÔNG AN XÃ LONG HẢI", 3.0, &[])]);
    let diags = w.diagnostics();
    let conflicts: Vec<&str> =
        diags.iter().filter(|d| d["kind"] == "code_order_conflict").map(|d| d["message"].as_str().unwrap()).collect();
    assert_eq!(conflicts.len(), 2, "{diags:?}");
    assert!(conflicts[0].starts_with("Dòng 7 ghi mã 1.4.1 không khớp vị trí của dòng: theo thứ tự phải là 1.3.1, nhưng điểm tối đa các dòng 6, 7, 10 không cộng lại khớp"), "{}", conflicts[0]);
    assert!(diags.iter().any(|d| d["kind"] == "duplicate_code"), "kept as typed: {diags:?}");
    assert!(diags.iter().all(|d| d["kind"] != "code_out_of_place" || d["message"].as_str().unwrap().contains("7.11")));
}

#[test]
fn a_score_that_is_none_of_its_rubric_options_is_named() {
    let w = Workdir::new();
    // 1.5.1's rubric gives 4, 2 or 0; 3 is none of them. 1.3.2's gives 1, 0,5 or 0.
    w.real(
        "rubric-options",
        "input/2024/ca_long_hai.xlsx",
        &[misnumbered_sheet("CÔNG AN XÃ LONG HẢI", 2.0, &[("1.5.1", 3.0), ("1.3.2", 0.5)])],
    );
    let diags = w.diagnostics();
    let found: Vec<(&str, &str)> = diags
        .iter()
        .filter(|d| d["kind"] == "score_not_an_option")
        .map(|d| (d["cell"].as_str().unwrap(), d["message"].as_str().unwrap()))
        .collect();
    assert_eq!(
        found,
        [(
            "E20",
            "Tiêu chí 1.5.1 được chấm 3 điểm, nhưng thang điểm của tiêu chí chỉ có các mức 4; 2; 0. Hãy kiểm tra lại điểm chấm theo thang điểm."
        )]
    );
    // 20 − 1 − 0,5 = 18,5 of 20 → 92,5.
    assert_eq!(w.index_of(2024, "Long Hải"), 92.5);
}

/// A ministry PAR app's unit sheet: "STT | Lĩnh vực | Điểm tối đa | Điểm tự chấm |
/// Điểm thẩm định | Điểm thẩm định lần 2", area names upper-cased, numbers as text
/// with a dot ("12.50"), bonus and penalty rows after the tree. `rounds[k]` gives
/// round k+1's scores that differ from self (None: the round's column left blank).
fn two_round_sheet(unit: &str, self_scores: &[(&str, f64)], rounds: [Option<&[(&str, f64)]>; 2]) -> Sheet {
    let mut rows = vec![
        vec![t("BẢNG CHẤM ĐIỂM CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM 2024")],
        vec![t(&format!("Đơn vị: {unit}"))],
        vec![],
        vec![t("STT"), t("Lĩnh vực"), t("Điểm tối đa"), t("Điểm tự chấm"), t("Điểm thẩm định"), t("Điểm thẩm định lần 2")],
    ];
    let fixed = |v: f64| t(&format!("{v:.2}"));
    for (code, name, max) in FRAMEWORK {
        let code = match code {
            "I" => "1",
            "II" => "2",
            c => c,
        };
        let name = if code.contains('.') { name.to_string() } else { name.to_uppercase() };
        let mut row = vec![t(code), t(&name), fixed(max)];
        if LEAVES.contains(&code) {
            let own = self_scores.iter().find(|(c, _)| *c == code).map_or(max, |(_, v)| *v);
            row.push(fixed(own));
            for round in rounds {
                row.push(match round {
                    Some(r) => fixed(r.iter().find(|(c, _)| *c == code).map_or(own, |(_, v)| *v)),
                    None => t(""),
                });
            }
        }
        rows.push(row);
    }
    rows.push(vec![t(""), t("Điểm thưởng"), fixed(0.0), fixed(0.0), fixed(0.0), fixed(0.0)]);
    rows.push(vec![t(""), t("Điểm phạt"), fixed(0.0), fixed(0.0), fixed(0.0), fixed(0.0)]);
    Sheet::new("Bảng điểm", rows)
}

#[test]
fn the_last_round_scored_is_official_and_every_round_is_shown() {
    let w = Workdir::new();
    // Long Hải: self full; round 1 gives 2.2 = 25 and 1.2 = 18; after its explanation
    // round 2 gives 2.2 = 28 (1.2 stays 18): official 100 − 2 − 2 = 96.
    w.real(
        "two-rounds",
        "input/2024/long_hai.xlsx",
        &[two_round_sheet("UBND xã Long Hải", &[], [Some(&[("2.2", 25.0), ("1.2", 18.0)]), Some(&[("2.2", 28.0), ("1.2", 18.0)])])],
    );
    // Phước Trung: round 2 not held yet (blank column): round 1 is official, 2.1 = 27 → 97.
    w.real(
        "two-rounds",
        "input/2024/phuoc_trung.xlsx",
        &[two_round_sheet("UBND phường Phước Trung", &[("2.1", 29.0)], [Some(&[("2.1", 27.0)]), None])],
    );
    assert_eq!(w.ranking(2024), [("Phước Trung".to_string(), 97.0, 1), ("Long Hải".to_string(), 96.0, 2)]);
    let diags = w.diagnostics();
    let kinds: Vec<&str> = diags.iter().map(|d| d["kind"].as_str().unwrap()).collect();
    assert!(!kinds.iter().any(|k| *k == "missing_score" || *k == "no_appraised_scores"), "{kinds:?}");
    // The round not held yet is named, with the round used instead (F4: its header).
    let blank: Vec<(&str, &str, &str)> = diags
        .iter()
        .filter(|d| d["kind"] == "round_not_scored")
        .map(|d| (d["unit"].as_str().unwrap(), d["cell"].as_str().unwrap(), d["message"].as_str().unwrap()))
        .collect();
    assert_eq!(
        blank,
        [(
            "Phước Trung",
            "F4",
            "Cột \"Điểm thẩm định lần 2\" chưa có điểm ở tiêu chí nào; điểm chính thức lấy theo cột \"Điểm thẩm định\". Nếu vòng này đã chấm, hãy nhập điểm vào cột đó rồi chạy lại."
        )]
    );

    let j: serde_json::Value = serde_json::from_slice(&w.cchc(&["rounds", "--year", "2024", "--format", "json"]).stdout).unwrap();
    assert_eq!(j["rounds"], serde_json::json!(["Điểm thẩm định", "Điểm thẩm định lần 2"]));
    let lh = j["units"].as_array().unwrap().iter().find(|u| u["unit"] == "Long Hải").unwrap();
    assert_eq!(lh["totals"], serde_json::json!({"self": 100.0, "rounds": [93.0, 96.0], "deduction": null, "official": 96.0}));
    let leaves: Vec<(&str, serde_json::Value)> =
        lh["leaves"].as_array().unwrap().iter().map(|l| (l["code"].as_str().unwrap(), l["rounds"].clone())).collect();
    assert_eq!(leaves, [("1.2", serde_json::json!([18.0, 18.0])), ("2.2", serde_json::json!([25.0, 28.0]))]);
    let pt = j["units"].as_array().unwrap().iter().find(|u| u["unit"] == "Phước Trung").unwrap();
    assert_eq!(pt["totals"]["rounds"], serde_json::json!([97.0, null]));

    let text = String::from_utf8(w.cchc(&["rounds", "--year", "2024"]).stdout).unwrap();
    assert!(
        text.contains("2.2 Kết quả giải quyết hồ sơ (tối đa 30): tự chấm 30 → điểm thẩm định 25 → điểm thẩm định lần 2 28 → chính thức 28"),
        "{text}"
    );
    let csv = String::from_utf8(w.cchc(&["rounds", "--year", "2024", "--format", "csv"]).stdout).unwrap();
    assert!(csv.starts_with("year,unit,code,name,max,self,round_1,round_2,deduction,official\n"), "{csv}");
    assert!(csv.contains("2024,Long Hải,2.2,Kết quả giải quyết hồ sơ,30.0,30.0,25.0,28.0,,28.0"), "{csv}");

    // The workbook's sheet and the long table keep every round.
    assert_eq!(w.cchc(&["run"]).status.code(), Some(0));
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(w.path("output/2024/xep-hang-chi-so-cchc-2024.xlsx")).unwrap();
    let names = calamine::Reader::sheet_names(&wb);
    assert!(names.contains(&"Các vòng thẩm định".to_string()), "{names:?}");
    let range = calamine::Reader::worksheet_range(&mut wb, "Các vòng thẩm định").unwrap();
    let cells: Vec<String> = range.cells().map(|(_, _, v)| v.to_string()).collect();
    assert!(cells.contains(&"Điểm thẩm định lần 2".to_string()) && cells.contains(&"Kết quả giải quyết hồ sơ".to_string()), "{cells:?}");
    let long = std::fs::read_to_string(w.path("output/scores.csv")).unwrap_or_default();
    assert!(long.lines().next().unwrap_or_default().ends_with(",round_1,round_2,deduction"), "{}", long.lines().next().unwrap_or_default());
}

#[test]
fn deductions_are_taken_off_the_round_and_a_net_column_is_used_where_filled() {
    let w = Workdir::new();
    let sheet = |unit: &str, net: bool| {
        let mut rows = vec![
            vec![t(&format!("ỦY BAN NHÂN DÂN\n{unit}"))],
            vec![t("BÁO CÁO CHI TIẾT TỪNG ĐƠN VỊ NĂM 2024")],
            vec![
                t("Tiêu chí"),
                t("Nội dung"),
                t("Điểm tối đa"),
                t("Điểm tự chấm"),
                t("Điểm thẩm định"),
                t("Điểm bị trừ"),
                t("Điểm thẩm định sau khi trừ"),
            ],
        ];
        for (code, name, max) in FRAMEWORK {
            let mut row = vec![t(code), t(name), n(max)];
            if LEAVES.contains(&code) {
                // 2.1: appraised 30, 2 deducted (a late report): 28.
                let deducted = if code == "2.1" { 2.0 } else { 0.0 };
                row.extend([n(max), n(max), n(deducted)]);
                row.push(if net { n(max - deducted) } else { t("") });
            }
            rows.push(row);
        }
        Sheet::new("Sheet1", rows)
    };
    w.real("deductions-net", "input/2024/long_hai.xlsx", &[sheet("XÃ LONG HẢI", true)]);
    // A third unit's net cell for 2.1 says 27 where 30 − 2 = 28: named, and 27 is used.
    let mut off = sheet("XÃ AN PHÚ", true);
    for row in off.rows.iter_mut().filter(|r| matches!(r.first(), Some(Cell::Text(c)) if c == "2.1")) {
        row[6] = n(27.0);
    }
    w.real("deductions-net", "input/2024/an_phu.xlsx", &[off]);
    w.real("deductions-net", "input/2024/phuoc_trung.xlsx", &[sheet("PHƯỜNG PHƯỚC TRUNG", false)]);
    assert_eq!(w.ranking(2024), [("Long Hải".to_string(), 98.0, 1), ("Phước Trung".to_string(), 98.0, 1), ("An Phú".to_string(), 97.0, 3)]);
    let d = w.diagnostics();
    let net: Vec<(&str, &str)> =
        d.iter().filter(|x| x["kind"] == "net_mismatch").map(|x| (x["cell"].as_str().unwrap(), x["message"].as_str().unwrap())).collect();
    assert_eq!(
        net,
        [(
            "G10",
            "Tiêu chí 2.1: cột điểm sau khi trừ ghi 27, nhưng 30 − 2 = 28. Kết quả dùng 27; hãy kiểm tra lại điểm bị trừ hoặc điểm sau khi trừ."
        )]
    );
    let j: serde_json::Value = serde_json::from_slice(&w.cchc(&["rounds", "--year", "2024", "--format", "json"]).stdout).unwrap();
    let u = &j["units"][0];
    assert_eq!(u["totals"], serde_json::json!({"self": 100.0, "rounds": [100.0], "deduction": 2.0, "official": 98.0}));
    assert_eq!(u["leaves"][0]["code"], "2.1");
}

/// A PAR system's results by area: three merged header rows, each area a block
/// "<area> (N điểm)" over its number over "TC | TĐ | Bị trừ | Tổng", a totals block
/// whose last two sub-headers are blank, and the TC columns hidden (the office
/// deducted points). Units: (name, [(TC, TĐ, bị trừ) per area]).
/// One unit's row: its name and (TC, TĐ, bị trừ) per area.
type AreaRow<'a> = (&'a str, [(f64, f64, f64); 2]);

fn results_by_area(units: &[AreaRow]) -> Sheet {
    let mut rows = vec![
        vec![t("UBND THÀNH PHỐ BẮC GIANG"), t(""), t(""), t(""), t(""), t("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")],
        vec![t(""), t(""), t(""), t(""), t(""), t("Độc lập - Tự do - Hạnh phúc")],
        vec![],
        vec![],
        vec![t("BÁO CÁO TỔNG HỢP THEO LĨNH VỰC NĂM 2023")],
        vec![],
        vec![],
        vec![
            t("STT"),
            t("Tên đơn vị"),
            t("Công tác chỉ đạo, điều hành cải cách hành chính (40 điểm)"),
            t(""),
            t(""),
            t(""),
            t("Cải cách thủ tục hành chính (60 điểm)"),
            t(""),
            t(""),
            t(""),
            t("Tổng điểm"),
        ],
        vec![t(""), t(""), n(1.0), t(""), t(""), t(""), n(2.0), t(""), t(""), t(""), n(3.0)],
        ["", "", "TC", "TĐ", "Bị trừ", "Tổng", "TC", "TĐ", "Bị trừ", "Tổng", "TC", "TĐ", "", ""].iter().map(|s| t(s)).collect(),
    ];
    for (i, (name, areas)) in units.iter().enumerate() {
        let mut row = vec![n(i as f64 + 1.0), t(name)];
        let mut sums = [0.0; 4];
        for (tc, td, minus) in areas {
            let net = ((td - minus) * 100.0_f64).round() / 100.0;
            for (k, v) in [*tc, *td, *minus, net].into_iter().enumerate() {
                row.push(n(v));
                sums[k] += v;
            }
        }
        row.extend(sums.map(n));
        rows.push(row);
    }
    let mut s = Sheet::new("Linh_vuc_05_01_2024", rows);
    s.merges = vec![(7, 0, 9, 0), (7, 1, 9, 1), (7, 2, 7, 5), (7, 6, 7, 9), (7, 10, 7, 13), (8, 2, 8, 5), (8, 6, 8, 9), (8, 10, 8, 13)];
    s.hidden_cols = vec![2, 6, 10];
    s
}

#[test]
fn a_results_table_with_area_blocks_is_ranked_on_the_net_total_and_keeps_its_areas() {
    let w = Workdir::new();
    // Trần Phú: area 1 TĐ 38 − 1 = 37, area 2 58 → 95 (self 100).
    // Song Mai: area 1 39, area 2 57 − 2 = 55 → 94 (self 99). The totals block's first
    // column is the self-assessed total: ranked on it, Trần Phú would have 100.
    let sheet = results_by_area(&[
        ("Xã Song Mai", [(39.0, 39.0, 0.0), (60.0, 57.0, 2.0)]),
        ("Phường Trần Phú", [(40.0, 38.0, 1.0), (60.0, 58.0, 0.0)]),
    ]);
    w.real("results-area-blocks", "input/2023/Linh_vuc_05_01_2024_08_00_00.xlsx", &[sheet]);
    assert_eq!(w.ranking(2023), [("Trần Phú".to_string(), 95.0, 1), ("Song Mai".to_string(), 94.0, 2)]);
    // The areas reach the trend: each unit's points per area.
    let j: serde_json::Value = serde_json::from_slice(&w.cchc(&["trend", "--format", "json"]).stdout).unwrap();
    let text = j.to_string();
    let units = j["units"].as_array().unwrap();
    let tp = units.iter().find(|u| u["unit"] == "Trần Phú").unwrap_or_else(|| panic!("{text}"));
    assert_eq!(tp["years"][0]["areas"], serde_json::json!({"1": 37.0, "2": 58.0}), "{text}");
    // Stability reaches back to it: without area 1, Trần Phú 58/60 = 96,67 and Song Mai
    // 55/60 = 91,67 keep their places; without area 2, 37/40 = 92,5 and 39/40 = 97,5 swap.
    let st: serde_json::Value = serde_json::from_slice(&w.cchc(&["stability", "--year", "2023", "--format", "json"]).stdout).unwrap();
    let area2 = st["areas"].as_array().unwrap().iter().find(|x| x["area"] == "2").unwrap_or_else(|| panic!("{st}"));
    assert_eq!((area2["moved"].as_u64(), area2["max_shift"].as_i64()), (Some(2), Some(1)), "{st}");
    let tp = area2["units"].as_array().unwrap().iter().find(|u| u["unit"] == "Trần Phú").unwrap();
    assert_eq!((tp["index_without"].as_f64(), tp["rank_without"].as_u64()), (Some(92.5), Some(2)));
}

#[test]
fn a_notes_ratio_is_checked_against_its_leafs_rubric_by_percentage_bands() {
    let w = Workdir::new();
    // 1.3.2 (typed 1.4.2, row 10): its rubric gives 1 from 70 %, 0,5 from 50 % to 70 %,
    // 0 below 50 %. The note says 5 of 10 (50 %), the score is the full 1.
    let mut s = misnumbered_sheet("CÔNG AN XÃ LONG HẢI", 2.0, &[]);
    s.rows[9].push(t("Thực hiện 5/10 nội dung kế hoạch"));
    w.real("note-rubric-bands", "input/2024/ca_long_hai.xlsx", &[s]);
    let diags = w.diagnostics();
    let found: Vec<(&str, &str)> = diags
        .iter()
        .filter(|d| d["kind"] == "note_ratio_mismatch")
        .map(|d| (d["cell"].as_str().unwrap(), d["message"].as_str().unwrap()))
        .collect();
    assert_eq!(
        found,
        [(
            "F10",
            "Ghi chú của tiêu chí 1.3.2 cho tỷ lệ 50%; theo thang điểm, mức \"Thực hiện từ 50% - 70% kế hoạch\" được 0,5 điểm, nhưng điểm thẩm định là 1. Hãy kiểm tra lại điểm chấm hoặc số liệu trong ghi chú."
        )]
    );
}

/// Communes on the 100-point framework, wards on a 60-point one of their own
/// (1.1.1 10, 1.1.2 10, 1.2 20, 2.1 20): by hand, Long Hải 2.2 = 25,5 → 95,5; An Phú
/// full → 100; Phước Trung full → 60/60 = 100; Bình An 1.2 = 5 → 45/60 = 75.
fn two_framework_district(w: &Workdir, scenario: &str) {
    w.real(scenario, "input/2024/long_hai.xlsx", &[scoring_sheet("Biểu", Some("XÃ LONG HẢI"), 2024, &[("2.2", Val::Num(25.5))])]);
    w.real(scenario, "input/2024/an_phu.xlsx", &[scoring_sheet("Biểu", Some("XÃ AN PHÚ"), 2024, &[])]);
    w.real(scenario, "input/2024/phuoc_trung.xlsx", &[sixty_point_sheet("PHƯỜNG PHƯỚC TRUNG", &[])]);
    w.real(scenario, "input/2024/binh_an.xlsx", &[sixty_point_sheet("PHƯỜNG BÌNH AN", &[("1.2", 5.0)])]);
}

fn groups(w: &Workdir) -> Vec<(String, f64, u64, String, u64)> {
    let j = w.rank_json(2024);
    j["units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            let s = |k: &str| u[k].as_str().unwrap_or_default().to_string();
            (s("unit"), u["index"].as_f64().unwrap(), u["rank"].as_u64().unwrap(), s("group"), u["group_rank"].as_u64().unwrap_or(0))
        })
        .collect()
}

#[test]
fn two_frameworks_in_one_year_check_each_sheet_against_its_own_and_rank_within_each() {
    let w = Workdir::new();
    two_framework_district(&w, "two-frameworks");
    let expected = [
        ("An Phú".to_string(), 100.0, 1, "xã".to_string(), 1),
        ("Phước Trung".to_string(), 100.0, 1, "phường".to_string(), 1),
        ("Long Hải".to_string(), 95.5, 3, "xã".to_string(), 2),
        ("Bình An".to_string(), 75.0, 4, "phường".to_string(), 2),
    ];
    assert_eq!(groups(&w), expected);
    let d = w.diagnostics();
    for wrong in ["max_mismatch", "missing_code", "extra_code", "max_sum_mismatch", "framework_max_sum"] {
        assert!(d.iter().all(|x| x["kind"] != wrong), "{wrong}: {d:?}");
    }
    // Each unit's appendix and profile print its own framework's total.
    let text = String::from_utf8(w.cchc(&["unit", "Bình An"]).stdout).unwrap();
    assert!(text.contains("Đạt 45/60 điểm, chỉ số 75,00%"), "{text}");
    assert!(text.contains("thứ 2/2 trong khối phường"), "{text}");
    // The framework sheet shows both frameworks.
    assert_eq!(w.cchc(&["run", "--no-appendices"]).status.code(), Some(0));
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(w.path("output/2024/xep-hang-chi-so-cchc-2024.xlsx")).unwrap();
    let range = calamine::Reader::worksheet_range(&mut wb, "Khung tiêu chí").unwrap();
    let cells: Vec<String> = range.cells().map(|(_, _, v)| v.to_string()).collect();
    let other = cells.iter().find(|c| c.starts_with("KHUNG TIÊU CHÍ CỦA CÁC BIỂU KHỐI")).unwrap_or_else(|| panic!("{cells:?}"));
    assert!(other.ends_with("tổng điểm tối đa 100") || other.ends_with("tổng điểm tối đa 60"), "{other}");
    // A ward's sheet that misses a leaf is still checked against its own framework.
    w.xlsx(
        "input/2024/binh_an.xlsx",
        &[{
            let mut s = sixty_point_sheet("PHƯỜNG BÌNH AN", &[("1.2", 5.0)]);
            s.rows.retain(|r| !matches!(r.first(), Some(Cell::Text(c)) if c == "2.1"));
            s
        }],
    );
    let d = w.diagnostics();
    let missing: Vec<&str> = d.iter().filter(|x| x["kind"] == "missing_code").map(|x| x["message"].as_str().unwrap()).collect();
    assert_eq!(missing.len(), 1, "{d:?}");
    assert!(missing[0].contains("2.1"), "{missing:?}");
}

#[test]
fn a_framework_file_with_a_group_column_gives_each_group_its_framework() {
    let w = Workdir::new();
    two_framework_district(&w, "framework-file-groups");
    let mut csv = String::from("Nhóm,Mã,Tên tiêu chí,Điểm tối đa\n");
    for (code, name, max) in FRAMEWORK {
        csv.push_str(&format!("xã,{code},\"{name}\",{max}\n"));
    }
    for (code, name, max) in [
        ("I", "Công tác chỉ đạo, điều hành", 40.0),
        ("1.1", "Kế hoạch", 20.0),
        ("1.1.1", "Ban hành kế hoạch", 10.0),
        ("1.1.2", "Thực hiện kế hoạch", 10.0),
        ("1.2", "Báo cáo định kỳ", 20.0),
        ("II", "Cải cách thủ tục hành chính", 20.0),
        ("2.1", "Công khai thủ tục", 20.0),
    ] {
        csv.push_str(&format!("\"phường, thị trấn\",{code},\"{name}\",{max}\n"));
    }
    w.real_write("framework-file-groups", "input/khung-2024.csv", csv.as_bytes());
    w.real_write("framework-file-groups", "input/cchc.toml", b"[framework]\n2024 = \"khung-2024.csv\"\n");
    let got = groups(&w);
    assert_eq!(
        got.iter().map(|g| (g.0.as_str(), g.1, g.3.as_str(), g.4)).collect::<Vec<_>>(),
        [
            ("An Phú", 100.0, "xã", 1),
            ("Phước Trung", 100.0, "phường, thị trấn", 1),
            ("Long Hải", 95.5, "xã", 2),
            ("Bình An", 75.0, "phường, thị trấn", 2),
        ]
    );
    let d = w.diagnostics();
    assert!(d.iter().all(|x| x["severity"] != "error"), "{d:?}");
}

/// The corpus each test above writes is itself a set of input folders: every one runs.
#[test]
fn every_folder_of_the_real_corpus_runs() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(REAL_CORPUS);
    let w = Workdir::new();
    let mut folders: Vec<_> = std::fs::read_dir(&root).unwrap().filter_map(|e| e.ok()).filter(|e| e.path().is_dir()).collect();
    folders.sort_by_key(|e| e.file_name());
    assert!(folders.len() >= 15, "{folders:?}");
    for f in folders {
        let out = w.cchc(&["validate", "--input", f.path().to_str().unwrap()]);
        assert!(matches!(out.status.code(), Some(0 | 1)), "{:?}: {}", f.path(), String::from_utf8_lossy(&out.stderr));
    }
}

/// Areas labelled by position ("LV1", "LV2"), as a PAR system's analysis export labels
/// them, over criteria numbered by position under them: full marks but 2.1 = 24 → 94.
#[test]
fn areas_labelled_by_position_are_read_as_their_codes() {
    let w = Workdir::new();
    let mut rows = vec![
        vec![t("UBND XÃ LONG HẢI")],
        vec![t("BÁO CÁO PHÂN TÍCH TIÊU CHÍ NĂM 2024")],
        vec![t("STT"), t("Tiêu chí và lĩnh vực"), t("Điểm tối đa"), t("Điểm thẩm định")],
    ];
    for (code, name, max) in FRAMEWORK {
        let code = match code {
            "I" => "LV1",
            "II" => "LV2",
            c => c,
        };
        let mut row = vec![t(code), t(name), n(max)];
        if LEAVES.contains(&code) {
            row.push(n(if code == "2.1" { 24.0 } else { max }));
        }
        rows.push(row);
    }
    w.real("positional-codes", "input/2024/long_hai.xlsx", &[Sheet::new("Tong_hop_05_01_2025", rows)]);
    assert_eq!(w.ranking(2024), [("Long Hải".to_string(), 94.0, 1)]);
    let d = w.diagnostics();
    assert!(d.iter().all(|x| x["severity"] != "error"), "{d:?}");
}

/// A results table with one column per area ("I. … (40 điểm)") before its total.
#[test]
fn a_results_table_with_area_columns_keeps_its_areas() {
    let w = Workdir::new();
    let rows = vec![
        vec![t("KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM 2022")],
        vec![
            t("STT"),
            t("Tên đơn vị"),
            t("I. Công tác chỉ đạo, điều hành (40 điểm)"),
            t("II. Cải cách thủ tục hành chính (60 điểm)"),
            t("Tổng điểm"),
            t("Xếp loại"),
        ],
        vec![n(1.0), t("Xã An Phú"), n(38.5), n(57.0), n(95.5), t("Tốt")],
        vec![n(2.0), t("Xã Bình An"), n(40.0), n(52.25), n(92.25), t("Tốt")],
    ];
    w.real("results-area-columns", "input/2022/ket_qua_2022.xlsx", &[Sheet::new("Kết quả", rows)]);
    assert_eq!(w.ranking(2022), [("An Phú".to_string(), 95.5, 1), ("Bình An".to_string(), 92.25, 2)]);
    let j: serde_json::Value = serde_json::from_slice(&w.cchc(&["trend", "--format", "json"]).stdout).unwrap();
    let ba = j["units"].as_array().unwrap().iter().find(|u| u["unit"] == "Bình An").unwrap();
    assert_eq!(ba["years"][0]["areas"], serde_json::json!({"1": 40.0, "2": 52.25}), "{j}");
}

/// Next year's templates in a year of two frameworks: each unit gets its own group's,
/// and each framework a blank template.
#[test]
fn templates_of_a_two_framework_year_give_each_unit_its_own_framework() {
    let w = Workdir::new();
    two_framework_district(&w, "two-frameworks");
    let out = w.cchc(&["template", "--year", "2025", "--output", "bieu"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let cells = |file: &str| {
        let mut wb = calamine::open_workbook_auto(w.path(&format!("bieu/{file}"))).unwrap_or_else(|e| panic!("{file}: {e}"));
        let name = calamine::Reader::sheet_names(&wb)[0].clone();
        let range = calamine::Reader::worksheet_range(&mut wb, &name).unwrap();
        range.cells().map(|(_, _, v)| v.to_string()).collect::<Vec<_>>()
    };
    // 2.2 is a criterion of the communes' framework only.
    assert!(cells("bieu-cham-diem-xa-an-phu-2025.xlsx").iter().any(|c| c == "2.2"));
    assert!(!cells("bieu-cham-diem-phuong-binh-an-2025.xlsx").iter().any(|c| c == "2.2"));
    let blanks: Vec<String> = std::fs::read_dir(w.path("bieu"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.contains("an-phu") && !n.contains("binh-an") && !n.contains("long-hai") && !n.contains("phuoc-trung"))
        .collect();
    assert_eq!(blanks.len(), 2, "{blanks:?}");
    assert!(blanks.contains(&"bieu-cham-diem-2025.xlsx".to_string()), "{blanks:?}");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("tổng điểm tối đa 60 / 100")
            || String::from_utf8_lossy(&out.stderr).contains("tổng điểm tối đa 100 / 60")
    );
}
