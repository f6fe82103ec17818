//! `cchc template` (issue #17): the blank scoring sheets the office sends, re-opened as
//! written (validations, protection, formulas with values, print set-up), and the round
//! trip: templates filled as a commune would fill them are read back exactly, with no
//! warning and no error, for the sample district's framework (from its sheets) and for
//! a framework file totalling 60.

use crate::common::Workdir;
use cchc::model::points::Points;
use cchc::model::unit::UnitKind;
use cchc::read::framework_file::read_framework_file;
use cchc::report::template::{Entry, Scores, Template, TemplateUnit, file_name};
use cchc::resolve::framework::Framework;
use std::collections::{HashMap, HashSet};
use std::io::Read;
use std::path::Path;

/// The text of one part of an .xlsx.
fn part(path: &Path, name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut s = String::new();
    zip.by_name(name).unwrap().read_to_string(&mut s).unwrap();
    s
}

/// The .xlsx with `from` replaced by `to` in its shared strings: a commune typing its
/// name into the blank template's first line.
fn retype(path: &Path, from: &str, to: &str) {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(std::fs::read(path).unwrap())).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        let mut bytes = Vec::new();
        f.read_to_end(&mut bytes).unwrap();
        if name == "xl/sharedStrings.xml" {
            let text = String::from_utf8(bytes).unwrap();
            assert!(text.contains(from), "{from} not in the shared strings");
            bytes = text.replace(from, to).into_bytes();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default()).unwrap();
        std::io::Write::write_all(&mut out, &bytes).unwrap();
    }
    std::fs::write(path, out.finish().unwrap().into_inner()).unwrap();
}

/// Scores typed into a template, as a commune would in Excel: by leaf code, (self,
/// appraised); bonus and penalty.
#[derive(Debug, Clone, Default)]
struct Fill {
    leaves: HashMap<String, (Entry, Entry)>,
    bonus: Option<Points>,
    penalty: Option<Points>,
}

impl Scores for Fill {
    fn leaf(&self, code: &str) -> Option<(Entry, Entry)> {
        self.leaves.get(code).copied()
    }
    fn bonus(&self) -> Option<Points> {
        self.bonus
    }
    fn penalty(&self) -> Option<Points> {
        self.penalty
    }
}

/// Fills every leaf: the first leaf not applicable where allowed, every third leaf
/// 0.25 below its max (self-assessed at the max), the rest full; bonus 1.5, penalty
/// 0.5. Returns the fill and the index worked out by hand in hundredths.
fn fill_all(fw: &Framework, not_applicable: &HashSet<String>) -> (Fill, i64) {
    let mut fill = Fill { bonus: Some(Points(150)), penalty: Some(Points(50)), ..Fill::default() };
    let (mut points, mut applicable, mut na_done) = (0i64, 0i64, false);
    for (i, n) in fw.nodes.iter().filter(|n| n.leaf).enumerate() {
        let code = n.code.as_str().to_string();
        if !na_done && not_applicable.contains(&code) {
            na_done = true;
            fill.leaves.insert(code, (Entry::NotApplicable, Entry::NotApplicable));
            continue;
        }
        let appraised = if i % 3 == 2 { n.max.0 - 25 } else { n.max.0 };
        points += appraised;
        applicable += n.max.0;
        fill.leaves.insert(code, (Entry::Points(n.max), Entry::Points(Points(appraised))));
    }
    // Index: points ÷ applicable max × 100, to hundredths half up, plus bonus minus penalty.
    let index = (points * 10_000 * 2 + applicable) / (2 * applicable) + 150 - 50;
    (fill, index)
}

fn check_clean(w: &Workdir, input: &str) {
    let out = w.cchc(&["validate", "--input", input, "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // Units filled alike tie: those close calls are about the results, not the template.
    let about_the_sheets: Vec<&serde_json::Value> =
        json["diagnostics"].as_array().unwrap().iter().filter(|d| d["kind"] != "close_call").collect();
    assert!(about_the_sheets.is_empty(), "a filled template reads without a warning or an error: {about_the_sheets:?}");
    assert_eq!(out.status.code(), Some(0));
}

fn index_of(w: &Workdir, input: &str, year: i32, unit: &str) -> i64 {
    let out = w.cchc(&["rank", "--input", input, "--year", &year.to_string(), "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let u = json["units"].as_array().unwrap().iter().find(|u| u["unit"] == unit).unwrap_or_else(|| panic!("{unit}: {json}"));
    (u["index"].as_f64().unwrap() * 100.0).round() as i64
}

#[test]
fn template_workbooks_carry_validation_protection_formulas_and_print_setup() {
    let w = Workdir::new();
    assert!(w.cchc(&["sample", "--output", "input", "--units", "18", "--years", "2022,2023"]).status.success());
    let out = w.cchc(&["template", "--year", "2024", "--output", "bm"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("19 biểu") && stderr.contains("năm 2023"), "{stderr}");
    let files: Vec<String> =
        std::fs::read_dir(w.path("bm")).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert_eq!(files.len(), 19, "{files:?}");
    assert!(files.contains(&"bieu-cham-diem-xa-trieu-trach-2024.xlsx".to_string()), "{files:?}");
    assert!(files.contains(&"bieu-cham-diem-2024.xlsx".to_string()));

    let a = cchc::pipeline::analyse(&w.path("input")).unwrap();
    let fw = &a.year(2023).unwrap().framework;
    let leaves = fw.nodes.iter().filter(|n| n.leaf).count();
    let path = w.path("bm/bieu-cham-diem-xa-trieu-trach-2024.xlsx");
    let sheet = part(&path, "xl/worksheets/sheet1.xml");
    // Two score cells per leaf, plus bonus and penalty, each checked by Excel.
    assert_eq!(sheet.matches("<dataValidation ").count(), 2 * leaves + 4);
    assert!(sheet.contains("showInputMessage=\"1\"") && sheet.contains("showErrorMessage=\"1\""));
    // IF, so that a text ("Không áp dụng") never reaches ROUND, which Excel would turn
    // into an error refusing it.
    assert_eq!(sheet.matches("<formula1>IF(ISNUMBER(").count(), 2 * leaves);
    assert!(sheet.contains("<sheetProtection"), "structure protected");
    assert!(!sheet.contains("password"), "without a password");
    assert!(sheet.contains("ySplit=\"7\""), "header frozen");
    assert!(sheet.contains("paperSize=\"9\""), "A4");
    assert!(part(&path, "xl/workbook.xml").contains("_xlnm.Print_Titles"), "header rows repeated on every page");
    let parents = fw.nodes.iter().filter(|n| !n.leaf).count();
    // Parents and the total as formulas, each with its value.
    assert_eq!(sheet.matches("<f>SUM(").count(), 2 * (parents + 1));
    assert_eq!(sheet.matches("</f><v>").count(), 2 * (parents + 1), "every formula carries its value");
    let shared = part(&path, "xl/sharedStrings.xml");
    for text in [
        "BIỂU TỰ ĐÁNH GIÁ, CHẤM ĐIỂM CHỈ SỐ CCHC NĂM 2024",
        "XÃ TRIỆU TRẠCH",
        "Điểm thẩm định",
        "Tài liệu kiểm chứng",
        "NGƯỜI LẬP BIỂU",
        "Điểm thưởng",
    ] {
        assert!(shared.contains(text), "{text}");
    }
    // Unlocked cells: the score, evidence and note cells of every row, nothing else.
    let styles = part(&path, "xl/styles.xml");
    assert!(styles.contains("locked=\"0\""));
}

#[test]
fn filled_templates_of_the_sample_framework_read_back_exactly() {
    let w = Workdir::new();
    assert!(w.cchc(&["sample", "--output", "input", "--units", "18", "--years", "2023"]).status.success());
    let a = cchc::pipeline::analyse(&w.path("input")).unwrap();
    let fw = a.year(2023).unwrap().framework.clone();
    // Leaves some commune marked not applicable in 2023, as `cchc template` collects them.
    let na: HashSet<String> = fw.nodes.iter().filter(|n| n.leaf).map(|n| n.code.as_str().to_string()).take(3).collect();
    let t = Template {
        year: 2024,
        framework: &fw,
        not_applicable: na.clone(),
        office: Some("UBND huyện Triệu Phong"),
        bonus_max: Some(Points(500)),
        penalty_max: None,
    };
    let (fill, index) = fill_all(&fw, &na);
    for (name, kind) in [("Triệu Trạch", UnitKind::Xa), ("Ái Tử", UnitKind::ThiTran)] {
        let unit = TemplateUnit { name: name.into(), kind };
        let path = w.path(&format!("rt/2024/{}", file_name(Some(&unit), 2024)));
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, t.workbook(Some(&unit), &fill).unwrap().save_to_buffer().unwrap()).unwrap();
    }
    // The blank one, the unit typed in by the commune.
    let path = w.path("rt/2024/bieu-cham-diem-2024.xlsx");
    std::fs::write(&path, t.workbook(None, &fill).unwrap().save_to_buffer().unwrap()).unwrap();
    retype(&path, "XÃ (PHƯỜNG, THỊ TRẤN) …………", "XÃ TRIỆU ÁI");
    check_clean(&w, "rt");
    for unit in ["Triệu Trạch", "Ái Tử", "Triệu Ái"] {
        assert_eq!(index_of(&w, "rt", 2024, unit), index, "{unit}");
    }
}

#[test]
fn a_framework_file_totalling_60_round_trips() {
    let w = Workdir::new();
    let csv = "Mã,Tên tiêu chí,Điểm tối đa,Không áp dụng\n\
               I,Công tác chỉ đạo điều hành,30,\n1.1,Kế hoạch CCHC,20,\n1.1.1,Ban hành kế hoạch,10,\n1.1.2,Thực hiện kế hoạch,10,có\n1.2,Báo cáo,10,\n\
               II,Cải cách thủ tục hành chính,30,\n2.1,Công khai thủ tục,15,\n2.2,Giải quyết hồ sơ đúng hạn,15,\n";
    w.write("khung-2025.csv", csv.as_bytes());
    // No input folder: only the blank template.
    let out = w.cchc(&["template", "--year", "2025", "--framework", "khung-2025.csv", "--input", "khong-co", "--output", "bm"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("tổng điểm tối đa 60"));
    let files: Vec<_> = std::fs::read_dir(w.path("bm")).unwrap().collect();
    assert_eq!(files.len(), 1);
    let written = part(&w.path("bm/bieu-cham-diem-2025.xlsx"), "xl/worksheets/sheet1.xml");
    assert!(
        written.contains(",D11=\"Không áp dụng\")</formula1>") && written.contains(",E11=\"Không áp dụng\")</formula1>"),
        "1.1.2 may be not applicable: its validation accepts the words"
    );

    let rows = read_framework_file(&w.path("khung-2025.csv")).unwrap();
    let fw = Framework::from_rows(2025, &rows).unwrap();
    assert_eq!(fw.total(), Points(6000));
    let na: HashSet<String> = rows.iter().filter(|r| r.not_applicable).map(|r| r.code.as_str().to_string()).collect();
    assert_eq!(na, HashSet::from(["1.1.2".to_string()]));
    let t = Template { year: 2025, framework: &fw, not_applicable: na.clone(), office: None, bonus_max: None, penalty_max: None };
    let (fill, index) = fill_all(&fw, &na);
    // 1.1.2 not applicable (max 60 - 10 = 50); 1.2, the third leaf, 9.75: 49.75 / 50 = 99.50 %, + 1.5 - 0.5.
    assert_eq!(index, 10050);
    let unit = TemplateUnit { name: "Hải An".into(), kind: UnitKind::Xa };
    let path = w.path("rt/2025/a.xlsx");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, t.workbook(Some(&unit), &fill).unwrap().save_to_buffer().unwrap()).unwrap();
    check_clean(&w, "rt");
    assert_eq!(index_of(&w, "rt", 2025, "Hải An"), index);
}

#[test]
fn validate_per_unit_writes_one_check_sheet_per_unit_with_problems() {
    use crate::common::{Val, scoring_sheet};
    use calamine::{Data, Reader, open_workbook_auto};
    let w = Workdir::new();
    // An Phú: a score above the max (error) and a text score (error); Bình An: clean;
    // Cửa Tùng: more than two decimals (warning).
    w.xlsx("input/2022/a.xlsx", &[scoring_sheet("Biểu", Some("XÃ AN PHÚ"), 2022, &[("1.2", Val::Num(25.0)), ("2.1", Val::Text("đạt"))])]);
    w.xlsx("input/2022/b.xlsx", &[scoring_sheet("Biểu", Some("XÃ BÌNH AN"), 2022, &[])]);
    w.xlsx("input/2022/c.xlsx", &[scoring_sheet("Biểu", Some("THỊ TRẤN CỬA TÙNG"), 2022, &[("2.2", Val::Num(19.555))])]);
    let out = w.cchc(&["validate", "--input", "input", "--per-unit", "phieu"]);
    assert_eq!(out.status.code(), Some(1), "errors found");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("Đã ghi 2 phiếu kiểm tra") && stderr.contains("1 đơn vị không có vấn đề"), "{stderr}");
    let mut files: Vec<String> =
        std::fs::read_dir(w.path("phieu")).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    files.sort();
    assert_eq!(files, ["phieu-kiem-tra-thi-tran-cua-tung-2022.xlsx", "phieu-kiem-tra-xa-an-phu-2022.xlsx"]);

    let json: serde_json::Value = serde_json::from_slice(&w.cchc(&["validate", "--input", "input", "--format", "json"]).stdout).unwrap();
    let an_phu: Vec<&serde_json::Value> = json["diagnostics"].as_array().unwrap().iter().filter(|d| d["unit"] == "An Phú").collect();
    assert!(an_phu.len() >= 2);
    let mut wb = open_workbook_auto(w.path("phieu/phieu-kiem-tra-xa-an-phu-2022.xlsx")).unwrap();
    assert_eq!(wb.sheet_names(), ["Phiếu kiểm tra"]);
    let range = wb.worksheet_range("Phiếu kiểm tra").unwrap();
    let text = |r: u32, c: u32| range.get_value((r, c)).map(|v| v.to_string()).unwrap_or_default();
    assert_eq!(text(3, 0), "PHIẾU KIỂM TRA BIỂU CHẤM ĐIỂM NĂM 2022");
    assert_eq!(text(4, 0), "Đơn vị: UBND xã An Phú");
    assert_eq!(text(7, 6), "Ngày đã sửa");
    // One row per problem, in sheet order, each with its file, sheet, cell and message,
    // and an empty column for the date fixed.
    let rows: Vec<u32> = (8..8 + an_phu.len() as u32).collect();
    for (r, d) in rows.iter().zip(&an_phu) {
        assert_eq!(range.get_value((*r, 0)), Some(&Data::Float((r - 7) as f64)));
        assert_eq!(text(*r, 1), "2022/a.xlsx");
        assert_eq!(text(*r, 2), "Biểu");
        assert_eq!(text(*r, 3), d["cell"].as_str().unwrap_or(""));
        assert_eq!(text(*r, 4), if d["severity"] == "error" { "Lỗi" } else { "Cảnh báo" });
        assert_eq!(text(*r, 5), d["message"].as_str().unwrap());
        assert_eq!(text(*r, 6), "");
    }
    assert!(text(8 + an_phu.len() as u32, 5).is_empty(), "no row beyond the problems");
}
