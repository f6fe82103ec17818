//! `cchc trend`: units across years and layouts, units present in some years only,
//! most improved and declined, and a warning where the framework changed.

use crate::common::*;
use serde_json::Value;

#[test]
fn example_district_across_all_layouts() {
    let w = Workdir::new();
    for (f, rel) in [
        ("results_2020.xlsx", "input/2020/Ket_qua_chi_so_CCHC_2020.xlsx"),
        ("matrix_2021.xlsx", "input/2021/Tong_hop_tham_dinh_2021.xlsx"),
        ("multisheet_2022.xlsx", "input/2022/Bieu_cham_diem_cac_xa_2022.xlsx"),
        ("hai_an_2023.xls", "input/2023/02. Hải An - Biểu chấm điểm 2023.xls"),
        ("hai_ba_2023.ods", "input/2023/03. Hải Ba - Biểu chấm điểm 2023.ods"),
        ("hai_que_2023.xlsx", "input/2023/Hai_Que_2023.xlsx"),
        ("dien_sanh_2023.xlsx", "input/2023/bieu_cham_diem_01.xlsx"),
    ] {
        w.fixture(f, rel);
    }
    let out = w.cchc(&["trend", "--format", "json"]);
    assert!(out.status.success());
    let j: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(j["years"], serde_json::json!([2020, 2021, 2022, 2023]));
    let hq = j["units"].as_array().unwrap().iter().find(|u| u["unit"] == "Hải Quế").unwrap();
    let idx: Vec<f64> = hq["years"].as_array().unwrap().iter().map(|y| y["index"].as_f64().unwrap()).collect();
    assert_eq!(idx, [84.26, 98.8, 98.99, 93.18]);
    let ranks: Vec<u64> = hq["years"].as_array().unwrap().iter().map(|y| y["rank"].as_u64().unwrap()).collect();
    assert_eq!(ranks, [3, 1, 1, 2]);
    // 93,18 − 84,26 = 8,92; 3rd → 2nd.
    assert_eq!(hq["index_change"], 8.92);
    assert_eq!(hq["rank_change"], 1);
    // Hải Quế +8,92, Hải An +6,18; Hải Ba −4,11, Diên Sanh −0,16.
    assert_eq!(j["most_improved"], serde_json::json!(["Hải Quế", "Hải An"]));
    assert_eq!(j["most_declined"], serde_json::json!(["Hải Ba", "Diên Sanh"]));
    let csv = String::from_utf8(w.cchc(&["trend", "--unit", "hai an", "--format", "csv"]).stdout).unwrap();
    assert_eq!(csv.lines().count(), 1 + 4);
    // The trend table: unit, kind, year, index, rank, band, index_change, rank_change.
    assert!(csv.contains("Hải An,xã,2023,82.82,4,Khá,-3.13,0"), "{csv}");
}

#[test]
fn unit_present_in_some_years_only_and_framework_change() {
    let w = Workdir::new();
    w.xlsx("input/2021/a.xlsx", &[scoring_sheet("Biểu", Some("XÃ AN PHÚ"), 2021, &[("2.2", Val::Num(20.0))])]);
    w.xlsx("input/2021/b.xlsx", &[scoring_sheet("Biểu", Some("XÃ BÌNH AN"), 2021, &[])]);
    // 2022: Cát Tiên is new, and 1.2 is renamed in every sheet.
    for (f, u, v) in [("a", "XÃ AN PHÚ", 30.0), ("b", "XÃ BÌNH AN", 25.0), ("c", "XÃ CÁT TIÊN", 28.0)] {
        let mut s = scoring_sheet("Biểu", Some(u), 2022, &[("2.2", Val::Num(v))]);
        let row = s.rows.iter_mut().find(|r| matches!(r.first(), Some(Cell::Text(c)) if c == "1.2")).unwrap();
        row[1] = t("Chế độ báo cáo định kỳ về cải cách hành chính");
        w.xlsx(&format!("input/2022/{f}.xlsx"), &[s]);
    }
    let j: Value = serde_json::from_slice(&w.cchc(&["trend", "--format", "json"]).stdout).unwrap();
    let cat = j["units"].as_array().unwrap().iter().find(|u| u["unit"] == "Cát Tiên").unwrap();
    assert_eq!(cat["years"].as_array().unwrap().len(), 1);
    assert!(cat["index_change"].is_null());
    let text = String::from_utf8(w.cchc(&["trend"]).stdout).unwrap();
    let line = text.lines().find(|l| l.starts_with("Cát Tiên")).unwrap();
    assert!(line.contains("—") && line.contains("chỉ có một năm"), "{line}");
    let out = w.cchc(&["validate", "--format", "json"]);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let d = v["diagnostics"].as_array().unwrap().iter().find(|d| d["kind"] == "framework_changed").expect("framework_changed");
    assert_eq!(d["severity"], "warning");
    assert_eq!(d["file"], "2022/a.xlsx");
    assert!(d["message"].as_str().unwrap().contains("1.2 đổi tên"), "{d:#}");
}

/// Area-level changes, by hand: An Phú's area II goes from 50 (2.2 = 20) in 2021 to
/// 60 in 2022: +10; area I stays 40: 0.
#[test]
fn area_changes_between_years() {
    let w = Workdir::new();
    w.xlsx("input/2021/a.xlsx", &[scoring_sheet("Biểu", Some("XÃ AN PHÚ"), 2021, &[("2.2", Val::Num(20.0))])]);
    w.xlsx("input/2022/a.xlsx", &[scoring_sheet("Biểu", Some("XÃ AN PHÚ"), 2022, &[])]);
    let j: Value = serde_json::from_slice(&w.cchc(&["trend", "--unit", "An Phú", "--format", "json"]).stdout).unwrap();
    let years = j["units"][0]["years"].as_array().unwrap();
    assert_eq!(years[0]["area_changes"], serde_json::json!({}));
    assert_eq!(years[1]["area_changes"], serde_json::json!({"1": 0.0, "2": 10.0}));
    assert_eq!(j["units"][0]["index_change"], 10.0);
}

/// A code renumbered between years (2.2 became 2.3): named in the warning; trends of
/// indexes are unaffected, and each year is scored against its own framework.
#[test]
fn renumbered_code_is_reported_and_indexes_hold() {
    let w = Workdir::new();
    w.xlsx("input/2021/a.xlsx", &[scoring_sheet("Biểu", Some("XÃ AN PHÚ"), 2021, &[("2.2", Val::Num(20.0))])]);
    let mut s = scoring_sheet("Biểu", Some("XÃ AN PHÚ"), 2022, &[("2.2", Val::Num(25.0))]);
    let row = s.rows.iter_mut().find(|r| matches!(r.first(), Some(Cell::Text(c)) if c == "2.2")).unwrap();
    row[0] = t("2.3");
    w.xlsx("input/2022/a.xlsx", &[s]);
    let v: Value = serde_json::from_slice(&w.cchc(&["validate", "--format", "json"]).stdout).unwrap();
    let d = v["diagnostics"].as_array().unwrap().iter().find(|d| d["kind"] == "framework_changed").expect("framework_changed");
    let msg = d["message"].as_str().unwrap();
    assert!(msg.contains("2.3 mới") && msg.contains("2.2 bỏ"), "{msg}");
    let j: Value = serde_json::from_slice(&w.cchc(&["trend", "--format", "json"]).stdout).unwrap();
    let idx: Vec<f64> = j["units"][0]["years"].as_array().unwrap().iter().map(|y| y["index"].as_f64().unwrap()).collect();
    assert_eq!(idx, [90.0, 95.0]);
}
