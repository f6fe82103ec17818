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
    w.xlsx("input/2024/Bang IV - CA Long Hai.xlsx", &[police_sheet("CÔNG AN XÃ LONG HẢI", &[("1.2", Val::Num(15.0))])]);
    w.xlsx("input/2024/Bang IV - CA Phuoc Trung.xlsx", &[police_sheet("Đơn vị: Công an phường Phước Trung", &[])]);
    // The template left unfilled: its unit line is the placeholder, so the file name names it.
    w.xlsx("input/2024/Bang IV - CA An Nhứt 2024.xlsx", &[police_sheet("Đơn vị: Tên đơn vị", &[("2.1", Val::Num(20.0))])]);
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
    w.xlsx("input/2024/long_hai.xlsx", &[sixty_point_sheet("XÃ LONG HẢI", &[("1.2", 5.0)])]);
    w.xlsx("input/2024/phuoc_trung.xlsx", &[sixty_point_sheet("PHƯỜNG PHƯỚC TRUNG", &[])]);
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
    w.xlsx("input/2023/ket_qua.xlsx", &[Sheet::new("Kết quả", rows)]);
    let r = w.ranking(2023);
    // 58,5 of 62 is published as 58,5 ÷ 62 × 100 = 94,354… → 94,35, first.
    assert_eq!(r, [("Cát Tiên".to_string(), 94.35, 1), ("An Phú".to_string(), 92.5, 2), ("Bình An".to_string(), 88.25, 3)]);
}

/// A PAR system's per-unit export: "Nội dung | Điểm chuẩn | Tự chấm | Tài liệu kiểm
/// chứng/Giải trình | Điểm chấm thực tế | Ý kiến", some labels in combining-tone
/// Unicode, code and name in one cell indented five spaces per level, and a multi-line
/// note with "\r\n".
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
            row.extend([n(max), t(""), n(score), t(if code == "2.2" { "Còn hồ sơ trễ hạn\r\nđã giải trình" } else { "" })]);
        }
        rows.push(row);
    }
    w.xlsx("input/2024/export.xlsx", &[Sheet::new("Sheet1", rows)]);
    // Every leaf full but 2.2 = 27,5: 97,5, the self-assessed 100.
    let j = w.rank_json(2024);
    let u = &j["units"][0];
    assert_eq!((u["unit"].as_str(), u["index"].as_f64(), u["self_index"].as_f64()), (Some("Long Hải"), Some(97.5), Some(100.0)));
    let losses = String::from_utf8(w.cchc(&["losses", "--year", "2024", "--format", "json"]).stdout).unwrap();
    assert!(losses.contains("Còn hồ sơ trễ hạn"), "{losses}");
}
