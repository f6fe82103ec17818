//! `cchc run` end to end: the ranking workbook (re-opened and read back), the
//! exports, the summary and the exit codes.

use crate::common::*;
use calamine::{Data, Reader, open_workbook_auto};

fn small_district(w: &Workdir) {
    w.xlsx("input/2021/a.xlsx", &[scoring_sheet("Biểu", Some("XÃ AN PHÚ"), 2021, &[("2.2", Val::Num(20.0))])]);
    w.xlsx("input/2021/b.xlsx", &[scoring_sheet("Biểu", Some("XÃ BÌNH AN"), 2021, &[])]);
    w.xlsx("input/2022/a.xlsx", &[scoring_sheet("Biểu", Some("XÃ AN PHÚ"), 2022, &[("1.2", Val::Num(19.25))])]);
    w.xlsx("input/2022/b.xlsx", &[scoring_sheet("Biểu", Some("XÃ BÌNH AN"), 2022, &[("2.1", Val::Num(25.0))])]);
    w.xlsx("input/2022/c.xlsx", &[scoring_sheet("Biểu", Some("THỊ TRẤN CỬA TÙNG"), 2022, &[("2.1", Val::Num(10.0))])]);
}

#[test]
fn ranking_workbook_reads_back_with_values_and_chart() {
    let w = Workdir::new();
    small_district(&w);
    let out = w.cchc(&["run"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let path = w.path("output/2022/xep-hang-chi-so-cchc-2022.xlsx");
    let mut wb = open_workbook_auto(&path).unwrap();
    assert_eq!(
        wb.sheet_names(),
        [
            "Xếp hạng",
            "So sánh tiêu chí",
            "Điểm bị trừ",
            "Khắc phục so với năm trước",
            "Xu hướng",
            "Tự đánh giá – Thẩm định",
            "Độ ổn định xếp hạng",
            "Kiểm tra dữ liệu",
            "Khung tiêu chí"
        ]
    );
    let r = wb.worksheet_range("Xếp hạng").unwrap();
    let cell = |row: u32, col: u32| r.get_value((row, col)).cloned().unwrap_or(Data::Empty);
    assert!(matches!(cell(3, 0), Data::String(s) if s.contains("NĂM 2022")));
    let header: Vec<String> = (0..8).map(|c| cell(6, c).to_string()).collect();
    assert_eq!(header[..5], ["Xếp hạng", "Đơn vị", "Loại đơn vị", "Chỉ số CCHC (%)", "Xếp loại"]);
    assert_eq!(header[5], "Lĩnh vực I (40 điểm)");
    // An Phú 99,25 (1st, was 2nd: up 1), Bình An 95 (2nd, was 1st), Cửa Tùng 80.
    assert_eq!(cell(7, 1), Data::String("An Phú".into()));
    assert_eq!(cell(7, 0), Data::Float(1.0));
    assert_eq!(cell(7, 3), Data::Float(99.25));
    assert_eq!(cell(7, 5), Data::Float(39.25));
    assert_eq!(cell(8, 1), Data::String("Bình An".into()));
    assert_eq!(cell(9, 2), Data::String("thị trấn".into()));
    assert_eq!(cell(9, 4), Data::String("Khá".into()));
    let change_col = (0..20).find(|&c| cell(6, c) == "Thay đổi thứ hạng").unwrap();
    assert_eq!(cell(7, change_col), Data::String("tăng 1 bậc".into()));
    assert_eq!(cell(8, change_col), Data::String("giảm 1 bậc".into()));
    assert_eq!(cell(9, change_col), Data::Empty);
    // The chart and the print set-up are in the package.
    let zip = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
    let names: Vec<String> = zip.file_names().map(|n| n.unwrap().into_owned()).collect();
    assert!(names.iter().any(|n| n.starts_with("xl/charts/chart")), "{names:?}");
    // Exports.
    for f in [
        "output/scores.parquet",
        "output/scores.csv",
        "output/rankings.csv",
        "output/diagnostics.json",
        "output/2021/xep-hang-chi-so-cchc-2021.xlsx",
    ] {
        assert!(w.path(f).is_file(), "{f} missing");
    }
    let rankings = std::fs::read_to_string(w.path("output/rankings.csv")).unwrap();
    assert_eq!(rankings.lines().count(), 1 + 2 + 3);
    let scores = std::fs::read_to_string(w.path("output/scores.csv")).unwrap();
    // 5 files × (8 framework rows + total row).
    assert_eq!(scores.lines().count(), 1 + 5 * 9);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("Năm 2022: 3 đơn vị") && err.contains("0 lỗi"), "{err}");
}

#[test]
fn problems_give_exit_1_and_are_listed_in_the_workbook() {
    let w = Workdir::new();
    small_district(&w);
    // Stated total 99 where the leaves give 100.
    let mut s = scoring_sheet("Biểu", Some("XÃ DIÊN SANH"), 2022, &[]);
    let last = s.rows.len() - 1;
    s.rows[last] = vec![t(""), t("TỔNG CỘNG"), n(100.0), n(99.0), n(99.0)];
    w.xlsx("input/2022/d.xlsx", &[s]);
    w.write("input/2022/hong.xlsx", b"this is not a zip file");
    let out = w.cchc(&["run"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("2 lỗi"), "{err}");
    assert!(err.contains("2022/d.xlsx › Biểu › E13"), "{err}");
    // The good units are all ranked, Diên Sanh with its leaves' 100.
    let ranking = w.ranking(2022);
    assert_eq!(ranking[0], ("Diên Sanh".to_string(), 100.0, 1));
    assert_eq!(ranking.len(), 4);
    let mut wb = open_workbook_auto(w.path("output/2022/xep-hang-chi-so-cchc-2022.xlsx")).unwrap();
    let r = wb.worksheet_range("Kiểm tra dữ liệu").unwrap();
    let kinds: Vec<String> = r.rows().skip(4).map(|row| row[1].to_string()).collect();
    assert!(kinds.contains(&"total_mismatch".to_string()) && kinds.contains(&"not_a_workbook".to_string()), "{kinds:?}");
}

#[test]
fn no_year_folder_exits_2_with_a_message() {
    let w = Workdir::new();
    std::fs::create_dir_all(w.path("input")).unwrap();
    let out = w.cchc(&["run"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("thư mục năm"));
}

#[test]
fn help_of_every_command_has_an_example() {
    let w = Workdir::new();
    for cmd in ["run", "rank", "sample", "validate", "losses"] {
        let out = w.cchc(&[cmd, "--help"]);
        assert!(out.status.success());
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("Ví dụ:") && text.contains(&format!("cchc {cmd}")), "{cmd}: {text}");
    }
}
