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
