//! The example district in every layout (2020 published results table, 2021
//! consolidated matrix, 2022 one workbook with a sheet per unit, 2023 one file per
//! unit in .xlsx, .xls and .ods with real-world mess), against its known answers.

use crate::common::*;

/// year, unit, kind, index, rank, band — the example's expected.csv.
const EXPECTED: [(i32, &str, &str, f64, u64, &str); 16] = [
    (2020, "Hải Ba", "xã", 97.42, 1, "Tốt"),
    (2020, "Diên Sanh", "thị trấn", 90.12, 2, "Tốt"),
    (2020, "Hải Quế", "xã", 84.26, 3, "Khá"),
    (2020, "Hải An", "xã", 76.64, 4, "Khá"),
    (2021, "Hải Quế", "xã", 98.80, 1, "Tốt"),
    (2021, "Hải Ba", "xã", 97.31, 2, "Tốt"),
    (2021, "Diên Sanh", "thị trấn", 92.12, 3, "Tốt"),
    (2021, "Hải An", "xã", 80.75, 4, "Khá"),
    (2022, "Hải Quế", "xã", 98.99, 1, "Tốt"),
    (2022, "Hải Ba", "xã", 95.38, 2, "Tốt"),
    (2022, "Diên Sanh", "thị trấn", 91.21, 3, "Tốt"),
    (2022, "Hải An", "xã", 85.95, 4, "Khá"),
    (2023, "Hải Ba", "xã", 93.31, 1, "Tốt"),
    (2023, "Hải Quế", "xã", 93.18, 2, "Tốt"),
    (2023, "Diên Sanh", "thị trấn", 89.96, 3, "Khá"),
    (2023, "Hải An", "xã", 82.82, 4, "Khá"),
];

fn example(w: &Workdir) {
    w.fixture("results_2020.xlsx", "input/2020/Ket_qua_chi_so_CCHC_2020.xlsx");
    w.fixture("matrix_2021.xlsx", "input/2021/Tong_hop_tham_dinh_2021.xlsx");
    w.fixture("multisheet_2022.xlsx", "input/2022/Bieu_cham_diem_cac_xa_2022.xlsx");
    w.fixture("hai_an_2023.xls", "input/2023/02. Hải An - Biểu chấm điểm 2023.xls");
    w.fixture("hai_ba_2023.ods", "input/2023/03. Hải Ba - Biểu chấm điểm 2023.ods");
    w.fixture("hai_que_2023.xlsx", "input/2023/Hai_Que_2023.xlsx");
    w.fixture("dien_sanh_2023.xlsx", "input/2023/bieu_cham_diem_01.xlsx");
}

#[test]
fn every_layout_gives_the_known_answers_and_ranks_link_across_layouts() {
    let w = Workdir::new();
    example(&w);
    for year in 2020..=2023 {
        let j = w.rank_json(year);
        let got: Vec<(i32, String, String, f64, u64, String)> = j["units"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| {
                (
                    year,
                    u["unit"].as_str().unwrap().to_string(),
                    u["kind"].as_str().unwrap().to_string(),
                    u["index"].as_f64().unwrap(),
                    u["rank"].as_u64().unwrap(),
                    u["band"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        let want: Vec<_> =
            EXPECTED.iter().filter(|e| e.0 == year).map(|e| (e.0, e.1.to_string(), e.2.to_string(), e.3, e.4, e.5.to_string())).collect();
        assert_eq!(got, want, "{year}");
    }
    // 2021 (matrix) links back to 2020 (results table): Hải Quế 3rd → 1st.
    let j = w.rank_json(2021);
    let hq = j["units"].as_array().unwrap().iter().find(|u| u["unit"] == "Hải Quế").unwrap().clone();
    assert_eq!(hq["rank_change"], 2);
    assert_eq!(hq["index_change"], 14.54);
    // A results-table year has totals only: no areas, no self-assessment.
    let j = w.rank_json(2020);
    assert_eq!(j["units"][0]["areas"], serde_json::json!({}));
    assert!(j["units"][0]["self_index"].is_null());
    let out = w.cchc(&["validate"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));
}

#[test]
fn published_rank_that_contradicts_the_totals_is_a_warning() {
    let w = Workdir::new();
    let rows = vec![
        vec![t("KẾT QUẢ CHỈ SỐ CCHC NĂM 2019")],
        vec![t("STT"), t("Tên đơn vị"), t("Tổng điểm"), t("Xếp loại"), t("Xếp hạng")],
        vec![n(1.0), t("UBND xã An Phú"), t("91,5"), t("Tốt"), n(1.0)],
        vec![n(2.0), t("UBND xã Bình An"), t("92,5"), t("Khá"), n(2.0)],
    ];
    w.xlsx("input/2019/ket_qua.xlsx", &[Sheet::new("Kết quả", rows)]);
    let out = w.cchc(&["validate", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let j: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let diags = j["diagnostics"].as_array().unwrap();
    let cells: Vec<(&str, &str)> = diags.iter().map(|d| (d["kind"].as_str().unwrap(), d["cell"].as_str().unwrap())).collect();
    assert_eq!(cells, [("published_rank_mismatch", "C3"), ("published_rank_mismatch", "C4")]);
    assert_eq!(w.ranking(2019), [("Bình An".to_string(), 92.5, 1), ("An Phú".to_string(), 91.5, 2)]);
}

/// `cchc losses` on the example's 2023 (four files in four shapes) gives exactly its
/// expected lost points, not-applicable leaves left out; the JSON contract holds.
#[test]
fn lost_points_2023_match_the_known_answers() {
    let w = Workdir::new();
    example(&w);
    let out = w.cchc(&["losses", "--year", "2023", "--format", "json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let j: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(j["year"], 2023);
    let rows = j["losses"].as_array().unwrap();
    let keys: Vec<&String> = rows[0].as_object().unwrap().keys().collect();
    // The rows of losses.csv (issue #28: one renderer for a table's CSV and JSON).
    assert_eq!(keys, ["year", "unit", "code", "name", "max", "score", "lost", "share_of_unit_loss", "note"]);
    let mut got: Vec<String> = rows
        .iter()
        .map(|r| format!("{},{},{:.2}", r["unit"].as_str().unwrap(), r["code"].as_str().unwrap(), r["lost"].as_f64().unwrap()))
        .collect();
    let expected =
        std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/expected_lost_2023.csv")).unwrap();
    let mut want: Vec<String> = expected.lines().skip(1).map(str::to_string).collect();
    got.sort();
    want.sort();
    assert_eq!(got, want);
    // One unit by a toneless name; its area subtotals in the text view.
    let out = w.cchc(&["losses", "--year", "2023", "--unit", "hai an"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("Hải An: mất 17,18 điểm") && !text.contains("Hải Ba"), "{text}");
    assert!(text.contains("Lĩnh vực III: mất 5,57 điểm"), "{text}");
    // 3.2.1 (0,75) and 3.2.2 (0,2) roll up to criterion 3.2.
    assert!(text.contains("Tiêu chí 3.2: mất 0,95 điểm"), "{text}");
    let csv = String::from_utf8(w.cchc(&["losses", "--year", "2023", "--format", "csv"]).stdout).unwrap();
    assert_eq!(csv.lines().count(), 1 + want.len());
    assert_eq!(w.cchc(&["losses", "--unit", "Không Có"]).status.code(), Some(2));
}

/// The district view of 2023's losses, from the known answers: 5.4.1 first
/// (Diên Sanh 1,32 + Hải Quế 2 = 3,32 of 39,88 = 8,32 %), then 3.1 (2 + 0,2 + 0,2);
/// 1.3.1 is not applicable to Hải Quế, so 2 of its 3 units have full marks.
#[test]
fn district_pareto_and_full_marks_2023() {
    let w = Workdir::new();
    example(&w);
    let out = w.cchc(&["losses", "--year", "2023", "--district", "--format", "json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let j: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let p = j["pareto"].as_array().unwrap();
    assert_eq!(
        (p[0]["code"].as_str(), p[0]["lost"].as_f64(), p[0]["units_losing"].as_u64(), p[0]["share"].as_f64()),
        (Some("5.4.1"), Some(3.32), Some(2), Some(8.32))
    );
    assert_eq!((p[1]["code"].as_str(), p[1]["lost"].as_f64(), p[1]["units_losing"].as_u64()), (Some("3.1"), Some(2.4), Some(3)));
    let last_lossy = p.iter().rfind(|r| r["lost"].as_f64() > Some(0.0)).unwrap();
    assert_eq!(last_lossy["cumulative"], 100.0);
    let k = p.iter().find(|r| r["code"] == "1.3.1").unwrap();
    assert_eq!((k["units_applicable"].as_u64(), k["full_marks"].as_u64()), (Some(3), Some(2)));
    let full = p.iter().find(|r| r["code"] == "1.1.1").unwrap();
    assert_eq!(full["full_marks"], 4);
}

/// A results-table year has totals only: analyses that need criteria say so.
#[test]
fn results_table_year_refuses_analyses_that_need_criteria() {
    let w = Workdir::new();
    example(&w);
    for args in [
        vec!["losses", "--year", "2020"],
        vec!["compare", "--year", "2020"],
        vec!["gap", "--year", "2020"],
        vec!["stability", "--year", "2020"],
        vec!["rank", "--year", "2020", "--by", "1"],
        vec!["unit", "Hải Ba", "--year", "2020"],
    ] {
        let out = w.cchc(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("chỉ có bảng kết quả"), "{args:?}");
    }
    assert!(w.cchc(&["rank", "--year", "2020"]).status.success());
}
