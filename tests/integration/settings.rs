//! `cchc.toml`, the office's settings, through the real binary: bands, dense ranking,
//! group ranks, the unit list (missing submissions, unregistered names, the list's
//! spelling), a 3 → 1 merger, a survey table, an explicit framework, a crosswalk,
//! errors that name the line, `cchc init`, and settings equal to the defaults changing
//! nothing. Every expected number is worked out by hand in the comments.

use crate::common::*;
use calamine::{Reader, open_workbook_auto};
use serde_json::Value;

fn json(out: &std::process::Output) -> Value {
    assert!(out.status.code().is_some_and(|c| c <= 1), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)))
}

fn unit<'a>(j: &'a Value, name: &str) -> &'a Value {
    j["units"].as_array().unwrap().iter().find(|u| u["unit"] == name).unwrap_or_else(|| panic!("{name} not in {j:#}"))
}

fn diagnostics(w: &Workdir) -> Vec<Value> {
    json(&w.cchc(&["validate", "--format", "json"]))["diagnostics"].as_array().unwrap().clone()
}

fn of_kind<'a>(d: &'a [Value], kind: &str) -> Vec<&'a Value> {
    d.iter().filter(|x| x["kind"] == kind).collect()
}

/// Every text cell of a workbook's sheet.
fn sheet_texts(path: &std::path::Path, sheet: &str) -> Vec<String> {
    let mut wb = open_workbook_auto(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let range = wb.worksheet_range(sheet).unwrap();
    range.cells().map(|(_, _, v)| v.to_string()).filter(|s| !s.is_empty()).collect()
}

#[test]
fn five_bands_dense_ranking_and_group_ranks() {
    let w = Workdir::new();
    district_2022(&w);
    w.write(
        "input/cchc.toml",
        "[ranking]\nmethod = \"dense\"\ngroups = [\"xã\", \"phường, thị trấn\"]\n\n\
         [[bands]]\nname = \"Xuất sắc\"\nfrom = 97\n[[bands]]\nname = \"Tốt\"\nfrom = 90.0\n[[bands]]\nname = \"Khá\"\nfrom = 75\n\
         [[bands]]\nname = \"Trung bình\"\nfrom = 50\n[[bands]]\nname = \"Yếu\"\nfrom = 0\n"
            .as_bytes(),
    );
    let j = w.rank_json(2022);
    // Dense: 98 → 1; the three 95,5 → 2; 80 → 3; 45,4 → 4 (competition would give 5 and 6).
    let ranks: Vec<(&str, u64, &str)> = j["units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| (u["unit"].as_str().unwrap(), u["rank"].as_u64().unwrap(), u["band"].as_str().unwrap()))
        .collect();
    assert_eq!(
        ranks,
        [
            ("Dương Hòa", 1, "Xuất sắc"),
            ("An Phú", 2, "Tốt"),
            ("Bình Minh", 2, "Tốt"),
            ("Cát Tiên", 2, "Tốt"),
            ("Đông Sơn", 3, "Khá"),
            ("Ea Kar", 4, "Yếu")
        ]
    );
    // Within "xã" (dense): Dương Hòa 1, An Phú and Cát Tiên 2, Đông Sơn 3, Ea Kar 4; the
    // town alone in "phường, thị trấn".
    assert_eq!((unit(&j, "Cát Tiên")["group"].as_str(), unit(&j, "Cát Tiên")["group_rank"].as_u64()), (Some("xã"), Some(2)));
    assert_eq!(unit(&j, "Ea Kar")["group_rank"], 4);
    assert_eq!(
        (unit(&j, "Bình Minh")["group"].as_str(), unit(&j, "Bình Minh")["group_rank"].as_u64()),
        (Some("phường, thị trấn"), Some(1))
    );
    let csv = String::from_utf8(w.cchc(&["rank", "--year", "2022", "--format", "csv"]).stdout).unwrap();
    assert!(csv.starts_with("year,rank,group,group_rank,unit,"), "{csv}");
    assert!(csv.contains("2022,2,phường, thị trấn,1,Bình Minh") || csv.contains("2022,2,\"phường, thị trấn\",1,Bình Minh"), "{csv}");
    let text = String::from_utf8(w.cchc(&["unit", "Bình Minh", "--year", "2022"]).stdout).unwrap();
    assert!(text.contains("đứng thứ 2/6, thứ 1/1 trong khối phường, thị trấn"), "{text}");
    // The ranking workbook: the configured bands in the band summary, the dense rule explained.
    assert_eq!(w.cchc(&["run"]).status.code(), Some(0));
    let cells = sheet_texts(&w.path("output/2022/xep-hang-chi-so-cchc-2022.xlsx"), "Xếp hạng");
    for band in ["Xuất sắc", "Tốt", "Khá", "Trung bình", "Yếu"] {
        assert!(cells.iter().any(|c| c == band), "{band} missing from the band summary");
    }
    assert!(cells.iter().any(|c| c.starts_with("thứ 3/5 trong khối xã")), "Đông Sơn's group rank in its notes");
}

#[test]
fn unit_list_missing_submission_unregistered_name_and_the_lists_spelling() {
    let w = Workdir::new();
    district_2022(&w);
    // Đông Sơn's sheet is typed "ĐÔNG SƠM": an unregistered name, and Đông Sơn itself sent
    // nothing; Phú Lộc sent nothing either. The list spells Dương Hoà the old way.
    std::fs::remove_file(w.path("input/2022/dong_son.xlsx")).unwrap();
    w.xlsx(
        "input/2022/dong_som.xlsx",
        &[scoring_sheet("Biểu chấm điểm", Some("XÃ ĐÔNG SƠM"), 2022, &[("2.1", Val::Num(20.0)), ("2.2", Val::Num(20.0))])],
    );
    w.write(
        "input/don-vi.csv",
        "Tên đơn vị,Loại,Mã\nDương Hoà,xã,101\nAn Phú,xã,102\nBình Minh,thị trấn,103\nCát Tiên,xã,104\nĐông Sơn,xã,105\nEa Kar,xã,106\nPhú Lộc,xã,107\n"
            .as_bytes(),
    );
    w.write("input/cchc.toml", b"[units]\nlist = \"don-vi.csv\"\n");
    let d = diagnostics(&w);
    let missing = of_kind(&d, "missing_submission");
    let names: Vec<&str> = missing.iter().map(|m| m["unit"].as_str().unwrap()).collect();
    assert_eq!(names, ["Đông Sơn", "Phú Lộc"]);
    assert!(missing.iter().all(|m| m["year"] == 2022 && m["severity"] == "error"));
    let unreg = of_kind(&d, "unit_not_registered");
    assert_eq!(unreg.len(), 1, "{unreg:?}");
    assert_eq!(unreg[0]["file"], "2022/dong_som.xlsx");
    assert!(unreg[0]["message"].as_str().unwrap().contains("có phải: Đông Sơn"), "{}", unreg[0]["message"]);
    assert_eq!(w.cchc(&["validate"]).status.code(), Some(1));
    // The list's spelling everywhere; the ranking counts the 6 ranked and says 2 sent nothing.
    let j = w.rank_json(2022);
    assert_eq!(j["units"][0]["unit"], "Dương Hoà");
    assert_eq!(j["units"].as_array().unwrap().len(), 6);
    assert_eq!(j["not_submitted"], serde_json::json!(["Đông Sơn", "Phú Lộc"]));
    let text = String::from_utf8(w.cchc(&["rank", "--year", "2022"]).stdout).unwrap();
    assert!(text.contains("Chưa nộp biểu (2): Đông Sơn, Phú Lộc"), "{text}");
    let profile = String::from_utf8(w.cchc(&["unit", "An Phú", "--year", "2022"]).stdout).unwrap();
    assert!(profile.contains("đứng thứ 2/6 (2 đơn vị chưa nộp biểu)"), "{profile}");
    assert_eq!(w.cchc(&["run"]).status.code(), Some(1));
    let cells = sheet_texts(&w.path("output/2022/xep-hang-chi-so-cchc-2022.xlsx"), "Xếp hạng");
    assert_eq!(cells.iter().filter(|c| *c == "Chưa nộp biểu").count(), 2);
    assert!(cells.iter().any(|c| c == "Phú Lộc"));
    // The unit that sent nothing gets its own check sheet.
    let out = w.cchc(&["validate", "--per-unit", "phieu"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(w.path("phieu/phieu-kiem-tra-xa-phu-loc-2022.xlsx").is_file());
}

/// 2024: Triệu An 90 (rank 2), Triệu Vân 80 (3), Triệu Độ 70,5 (4), Ái Tử 95 (1).
/// 2025: Triệu Phong, formed from the three, 88; Ái Tử 92.
#[test]
fn a_merger_of_three_compares_with_its_predecessors() {
    let w = Workdir::new();
    let sheet = |year: i32, title: &str, scores: &[(&str, Val)]| scoring_sheet("Biểu chấm điểm", Some(title), year, scores);
    w.xlsx("input/2024/an.xlsx", &[sheet(2024, "XÃ TRIỆU AN", &[("1.2", Val::Num(10.0))])]);
    w.xlsx("input/2024/van.xlsx", &[sheet(2024, "XÃ TRIỆU VÂN", &[("1.2", Val::Num(0.0))])]);
    w.xlsx("input/2024/do.xlsx", &[sheet(2024, "XÃ TRIỆU ĐỘ", &[("1.2", Val::Num(0.0)), ("2.2", Val::Num(20.5))])]);
    w.xlsx("input/2024/ai_tu.xlsx", &[sheet(2024, "THỊ TRẤN ÁI TỬ", &[("1.2", Val::Num(15.0))])]);
    w.xlsx("input/2025/phong.xlsx", &[sheet(2025, "XÃ TRIỆU PHONG", &[("1.2", Val::Num(8.0))])]);
    w.xlsx("input/2025/ai_tu.xlsx", &[sheet(2025, "THỊ TRẤN ÁI TỬ", &[("1.2", Val::Num(12.0))])]);
    w.write(
        "input/cchc.toml",
        "[[units.unit]]\nname = \"Triệu An\"\nkind = \"xã\"\n[[units.unit]]\nname = \"Triệu Vân\"\nkind = \"xã\"\n\
         [[units.unit]]\nname = \"Triệu Độ\"\nkind = \"xã\"\n[[units.unit]]\nname = \"Ái Tử\"\nkind = \"thị trấn\"\ncode = \"19624\"\n\
         [[units.unit]]\nname = \"Triệu Phong\"\nkind = \"xã\"\nformed_from = [\"Triệu An\", \"Triệu Vân\", \"Triệu Độ\"]\nsince = 2025\n"
            .as_bytes(),
    );
    // No missing submission: the three end in 2025, Triệu Phong begins then.
    let d = diagnostics(&w);
    assert!(of_kind(&d, "missing_submission").is_empty(), "{d:?}");
    let t = json(&w.cchc(&["trend", "--unit", "Triệu Phong", "--format", "json"]));
    let tp = &t["units"][0];
    assert_eq!(tp["years"][0]["rank_change"], Value::Null, "no rank change in its first year");
    let m = &tp["merger"];
    assert_eq!(m["since"], 2025);
    let pred: Vec<(&str, f64, u64)> = m["formed_from"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["unit"].as_str().unwrap(), p["years"][0]["index"].as_f64().unwrap(), p["years"][0]["rank"].as_u64().unwrap()))
        .collect();
    assert_eq!(pred, [("Triệu An", 90.0, 2), ("Triệu Vân", 80.0, 3), ("Triệu Độ", 70.5, 4)]);
    // (90 + 80 + 70,5) ÷ 3 = 80,1666… → 80,17.
    assert_eq!(m["mean"], serde_json::json!([{"year": 2024, "index": 80.17}]));
    // Units without a merger have no such key.
    let all = json(&w.cchc(&["trend", "--format", "json"]));
    assert!(unit(&all, "Ái Tử").get("merger").is_none());
    let text = String::from_utf8(w.cchc(&["unit", "Triệu Phong"]).stdout).unwrap();
    assert!(text.contains("hợp nhất năm 2025 từ Triệu An, Triệu Vân, Triệu Độ"), "{text}");
    assert!(
        text.contains("2024: bình quân các đơn vị cũ 80,17 — Triệu An 90 (thứ 2), Triệu Vân 80 (thứ 3), Triệu Độ 70,5 (thứ 4)"),
        "{text}"
    );
    assert_eq!(w.cchc(&["run"]).status.code(), Some(0));
    // The appendix: 88 against the mean 80,17, 7,83 higher.
    let cells = sheet_texts(&w.path("output/2025/phu-luc/phu-luc-trieu-phong-2025.xlsx"), "Phụ lục");
    let s = cells.iter().find(|c| c.contains("được hợp nhất năm 2025")).expect("merger sentence");
    assert!(s.contains("bình quân 80,17; chỉ số năm nay cao hơn bình quân đó 7,83 điểm"), "{s}");
    let trend = sheet_texts(&w.path("output/2025/xep-hang-chi-so-cchc-2025.xlsx"), "Xu hướng");
    assert!(trend.iter().any(|c| c == "Triệu Phong (hợp nhất năm 2025)"), "{trend:?}");
    assert!(trend.iter().any(|c| c == "← Triệu Độ"));
    // The trend table (CSV, and tables/trend) carries the merger too.
    let csv = String::from_utf8(w.cchc(&["trend", "--format", "csv"]).stdout).unwrap();
    let mut lines = csv.lines();
    let head: Vec<&str> = lines.next().unwrap().split(',').collect();
    assert!(head.ends_with(&["formed_from", "merged_into", "predecessors_mean_index"]), "{head:?}");
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    let col = |name: &str| head.iter().position(|h| *h == name).unwrap();
    let row =
        |unit: &str, year: &str| rows.iter().find(|r| r[col("unit")] == unit && r[col("year")] == year).unwrap_or_else(|| panic!("{csv}"));
    let tp = row("Triệu Phong", "2025");
    assert_eq!((tp[col("formed_from")], tp[col("predecessors_mean_index")]), ("Triệu An; Triệu Vân; Triệu Độ", "80.17"));
    assert_eq!(row("Triệu An", "2024")[col("merged_into")], "Triệu Phong");
    assert_eq!(row("Ái Tử", "2025")[col("formed_from")], "");
}

/// A framework of 110: the two areas of 100 and area III, the survey (10), filled from
/// the survey team's table. An (full) 100 + 8,5 = 108,5 → 98,64; Bình (1.2 = 15) 95 +
/// 7,25 = 102,25 → 92,95 (its own cell says 9: a warning, the table wins); Cường, not in
/// the table, 100 + 0 → 90,91 and an error.
#[test]
fn survey_table_fills_its_area_exactly() {
    let w = Workdir::new();
    let with_survey = |title: &str, own: Option<f64>, scores: &[(&str, Val)]| {
        let mut s = scoring_sheet("Biểu chấm điểm", Some(title), 2022, scores);
        let total = s.rows.pop().unwrap();
        let cell = own.map_or(t(""), n);
        s.rows.push(vec![t("III"), t("Mức độ hài lòng của người dân"), n(10.0), cell.clone(), cell]);
        s.rows.push(total);
        s
    };
    w.xlsx("input/2022/an.xlsx", &[with_survey("XÃ AN", None, &[])]);
    w.xlsx("input/2022/binh.xlsx", &[with_survey("XÃ BÌNH", Some(9.0), &[("1.2", Val::Num(15.0))])]);
    w.xlsx("input/2022/cuong.xlsx", &[with_survey("XÃ CƯỜNG", None, &[])]);
    w.write("input/khao-sat/2022.csv", "STT,Tên đơn vị,Điểm\n1,Xã An,\"8,5\"\n2,Bình,7.25\n3,Xã Không Có,5\n".as_bytes());
    w.write("input/cchc.toml", b"[survey]\narea = \"III\"\nfiles = \"khao-sat/{year}.csv\"\n");
    let r = w.ranking(2022);
    assert_eq!(r, [("An".to_string(), 98.64, 1), ("Bình".to_string(), 92.95, 2), ("Cường".to_string(), 90.91, 3)]);
    let j = w.rank_json(2022);
    assert_eq!(unit(&j, "An")["areas"]["3"], 8.5);
    let d = diagnostics(&w);
    let missing = of_kind(&d, "survey_missing_unit");
    assert_eq!((missing.len(), missing[0]["unit"].as_str()), (1, Some("Cường")));
    let unknown = of_kind(&d, "survey_unknown_unit");
    assert!(unknown.len() == 1 && unknown[0]["message"].as_str().unwrap().contains("Dòng 4"), "{unknown:?}");
    let mismatch = of_kind(&d, "survey_mismatch");
    assert_eq!(mismatch.len(), 1, "{mismatch:?}");
    assert_eq!((mismatch[0]["file"].as_str(), mismatch[0]["cell"].as_str()), (Some("2022/binh.xlsx"), Some("E13")));
    assert!(mismatch[0]["message"].as_str().unwrap().contains("là 9 nhưng bảng điểm khảo sát khao-sat/2022.csv ghi 7,25"));
    // No other problem: the blank survey cells are filled, not missing.
    assert_eq!(d.len(), 3, "{d:?}");
    // Without the table: named, and the sheets keep their own cells.
    std::fs::remove_file(w.path("input/khao-sat/2022.csv")).unwrap();
    let d = diagnostics(&w);
    assert!(of_kind(&d, "survey_unreadable")[0]["message"].as_str().unwrap().contains("khao-sat/2022.csv (không có tệp)"));
}

/// A sheet without the survey's area row gets one from the survey table, and it counts
/// as a leaf: An (no area III row) 100 + 8,5 of 110 → 98,64, as with the row. A sheet's
/// leaves are marked when it is read, before the survey fills them, so the row added
/// must be marked too (regression: left unmarked, An scored 100 of 100, 90,91 of 110).
#[test]
fn survey_row_added_to_a_sheet_counts_as_a_leaf() {
    let w = Workdir::new();
    let with_survey = |title: &str, row: bool| {
        let mut s = scoring_sheet("Biểu chấm điểm", Some(title), 2022, &[]);
        if row {
            let total = s.rows.pop().unwrap();
            s.rows.push(vec![t("III"), t("Mức độ hài lòng của người dân"), n(10.0), t(""), t("")]);
            s.rows.push(total);
        }
        s
    };
    w.xlsx("input/2022/an.xlsx", &[with_survey("XÃ AN", false)]);
    w.xlsx("input/2022/binh.xlsx", &[with_survey("XÃ BÌNH", true)]);
    w.xlsx("input/2022/cuong.xlsx", &[with_survey("XÃ CƯỜNG", true)]);
    w.write("input/khao-sat/2022.csv", "STT,Tên đơn vị,Điểm\n1,Xã An,\"8,5\"\n2,Bình,7.25\n3,Cường,9\n".as_bytes());
    w.write("input/cchc.toml", b"[survey]\narea = \"III\"\nfiles = \"khao-sat/{year}.csv\"\n");
    let r = w.ranking(2022);
    assert_eq!(r, [("Cường".to_string(), 99.09, 1), ("An".to_string(), 98.64, 2), ("Bình".to_string(), 97.5, 3)]);
}

#[test]
fn an_explicit_framework_is_what_sheets_are_checked_against() {
    let w = Workdir::new();
    district_2022(&w);
    // The decision gives 2.1 25 points and 2.2 35; every sheet types 30 and 30.
    let mut csv = String::from("Mã,Tên tiêu chí,Điểm tối đa\n");
    for (code, name, max) in FRAMEWORK {
        let max = match code {
            "2.1" => 25.0,
            "2.2" => 35.0,
            _ => max,
        };
        csv.push_str(&format!("{code},\"{name}\",{max}\n"));
    }
    w.write("input/khung-2022.csv", csv.as_bytes());
    let before = diagnostics(&w);
    assert!(of_kind(&before, "max_mismatch").is_empty());
    w.write("input/cchc.toml", b"[framework]\n2022 = \"khung-2022.csv\"\n");
    let d = diagnostics(&w);
    let mm = of_kind(&d, "max_mismatch");
    // Two codes on each of the six sheets.
    assert_eq!(mm.len(), 12, "{mm:?}");
    assert!(mm.iter().any(|m| m["message"].as_str().unwrap().contains("25")), "{mm:?}");
    // A file that is not there stops the run (exit 2) and names it.
    w.write("input/cchc.toml", b"[framework]\n2022 = \"khung-khac.csv\"\n");
    let out = w.cchc(&["validate"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("khung-khac.csv"));
}

#[test]
fn a_crosswalk_matches_renumbered_codes_across_years() {
    let w = Workdir::new();
    let renumbered = |year: i32| {
        let mut s = scoring_sheet("Biểu chấm điểm", Some("XÃ AN PHÚ"), year, &[]);
        if year == 2023 {
            for row in &mut s.rows {
                if matches!(row.first(), Some(Cell::Text(c)) if c == "1.2") {
                    row[0] = t("1.3");
                }
            }
        }
        s
    };
    w.xlsx("input/2022/an_phu.xlsx", &[renumbered(2022)]);
    w.xlsx("input/2023/an_phu.xlsx", &[renumbered(2023)]);
    let changed = of_kind(&diagnostics(&w), "framework_changed").into_iter().cloned().collect::<Vec<_>>();
    assert_eq!(changed.len(), 1);
    assert!(changed[0]["message"].as_str().unwrap().contains("1.3 mới; 1.2 bỏ"), "{changed:?}");
    w.write("input/cchc.toml", b"[crosswalk.2023]\n\"1.2\" = \"1.3\"\n");
    assert!(of_kind(&diagnostics(&w), "framework_changed").is_empty());
}

#[test]
fn a_bad_setting_names_its_line_and_the_allowed_values() {
    let w = Workdir::new();
    district_2022(&w);
    w.write("input/cchc.toml", "[office]\nname = \"UBND huyện X\"\n\n[ranking]\nmethd = \"dense\"\n".as_bytes());
    let out = w.cchc(&["rank"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("cchc.toml, dòng 5") && err.contains("methd") && err.contains("method"), "{err}");
    w.write("input/cchc.toml", b"[ranking]\nmethod = \"olympic\"\n");
    let err = String::from_utf8_lossy(&w.cchc(&["rank"]).stderr).to_string();
    assert!(err.contains("dòng 2") && err.contains("\"competition\"") && err.contains("\"dense\""), "{err}");
    // --config points elsewhere.
    w.write("khac.toml", b"[ranking]\nmethod = \"dense\"\n");
    let out = w.cchc(&["rank", "--config", "khac.toml", "--format", "json"]);
    let j = json(&out);
    assert_eq!(unit(&j, "Đông Sơn")["rank"], 3);
}

#[test]
fn init_writes_settings_that_read_back_and_keeps_an_existing_file() {
    let w = Workdir::new();
    district_2022(&w);
    let out = w.cchc(&["init"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let text = std::fs::read_to_string(w.path("input/cchc.toml")).unwrap();
    assert!(text.contains("name = \"Bình Minh\"\nkind = \"thị trấn\""), "{text}");
    assert!(text.contains("#   năm 2022: 8 tiêu chí, tổng 100 điểm"), "{text}");
    // Read back: the six units are the list, nothing is missing or unregistered.
    let d = diagnostics(&w);
    assert!(of_kind(&d, "missing_submission").is_empty() && of_kind(&d, "unit_not_registered").is_empty(), "{d:?}");
    assert_eq!(w.cchc(&["init"]).status.code(), Some(2), "an existing cchc.toml is kept");
    assert_eq!(w.cchc(&["init", "--force"]).status.code(), Some(0));
}

#[test]
fn settings_equal_to_the_defaults_change_no_output() {
    let plain = Workdir::new();
    let set = Workdir::new();
    district_2022(&plain);
    district_2022(&set);
    set.write(
        "input/cchc.toml",
        b"[ranking]\nmethod = \"competition\"\n[[bands]]\nname = \"T\xe1\xbb\x91t\"\nfrom = 90\n[[bands]]\nname = \"Kh\xc3\xa1\"\nfrom = 70\n[[bands]]\nname = \"Trung b\xc3\xacnh\"\nfrom = 50\n[[bands]]\nname = \"Y\xe1\xba\xbfu\"\nfrom = 0\n",
    );
    for args in [
        &["rank", "--year", "2022", "--format", "json"][..],
        &["validate", "--format", "json"],
        &["trend", "--format", "csv"],
        &["compare", "--year", "2022", "--format", "csv"],
        &["stability", "--year", "2022", "--format", "json"],
    ] {
        assert_eq!(plain.cchc(args).stdout, set.cchc(args).stdout, "{args:?}");
    }
}

#[test]
fn the_office_name_is_the_issuer_of_the_documents() {
    let w = Workdir::new();
    district_2022(&w);
    w.write("input/cchc.toml", "[office]\nname = \"Sở Nội vụ tỉnh Quảng Trị\"\n".as_bytes());
    assert_eq!(w.cchc(&["run"]).status.code(), Some(0));
    let cells = sheet_texts(&w.path("output/2022/xep-hang-chi-so-cchc-2022.xlsx"), "Xếp hạng");
    assert!(cells.iter().any(|c| c == "SỞ NỘI VỤ TỈNH QUẢNG TRỊ"), "{:?}", &cells[..4]);
    // "UBND …" is printed as the People's Committee over the rest.
    w.write("input/cchc.toml", "[office]\nname = \"UBND huyện Triệu Phong\"\n".as_bytes());
    assert_eq!(w.cchc(&["run"]).status.code(), Some(0));
    let cells = sheet_texts(&w.path("output/2022/xep-hang-chi-so-cchc-2022.xlsx"), "Xếp hạng");
    assert!(cells.iter().any(|c| c == "ỦY BAN NHÂN DÂN\nHUYỆN TRIỆU PHONG"), "{:?}", &cells[..4]);
    let file = std::fs::File::open(w.path("output/2022/phu-luc/phu-luc-an-phu-2022.xlsx")).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    let mut app = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("docProps/app.xml").unwrap(), &mut app).unwrap();
    assert!(app.contains("UBND huyện Triệu Phong"), "{app}");
}

/// Two spellings a tone apart in different years are one unit spelt two ways, unless
/// the office's list has both: then the list decides and they stay two.
#[test]
fn the_unit_list_decides_between_spellings_a_tone_apart() {
    let w = Workdir::new();
    w.xlsx("input/2022/a.xlsx", &[scoring_sheet("Biểu chấm điểm", Some("XÃ MỸ THÀNH"), 2022, &[])]);
    w.xlsx("input/2023/b.xlsx", &[scoring_sheet("Biểu chấm điểm", Some("XÃ MỸ THẠNH"), 2023, &[])]);
    let names = |w: &Workdir| -> Vec<String> {
        let j = json(&w.cchc(&["trend", "--format", "json"]));
        j["units"].as_array().unwrap().iter().map(|u| u["unit"].as_str().unwrap().to_string()).collect()
    };
    assert_eq!(names(&w).len(), 1, "joined without a list");
    assert_eq!(of_kind(&diagnostics(&w), "name_spelling").len(), 1);
    w.write(
        "input/cchc.toml",
        "[[units.unit]]\nname = \"Mỹ Thành\"\nkind = \"xã\"\n[[units.unit]]\nname = \"Mỹ Thạnh\"\nkind = \"xã\"\n".as_bytes(),
    );
    let mut got = names(&w);
    got.sort();
    assert_eq!(got, ["Mỹ Thành", "Mỹ Thạnh"]);
    assert!(of_kind(&diagnostics(&w), "name_spelling").is_empty());
}
