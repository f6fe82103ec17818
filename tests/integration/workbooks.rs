//! The full ranking workbook (`output/<năm>/xep-hang-chi-so-cchc-<năm>.xlsx`), re-opened
//! with calamine and unzipped: sheet names and order, headers, values worked out by
//! hand on a small district, number formats, conditional formats, autofilters, frozen
//! panes, charts, print titles, page set-up and document properties.

use crate::common::*;
use calamine::{Data, Range, Reader, open_workbook_auto};
use std::io::Read;
use std::path::Path;

const FULL: [&str; 9] = [
    "Xếp hạng",
    "So sánh tiêu chí",
    "Điểm bị trừ",
    "Khắc phục so với năm trước",
    "Xu hướng",
    "Tự đánh giá – Thẩm định",
    "Độ ổn định xếp hạng",
    "Kiểm tra dữ liệu",
    "Khung tiêu chí",
];

/// Sets a leaf's self-assessed cell (column D) of a fixture sheet.
fn set_self(s: &mut Sheet, code: &str, v: f64) {
    let row = s.rows.iter_mut().find(|r| matches!(r.first(), Some(Cell::Text(c)) if c == code)).unwrap();
    row[3] = n(v);
}

/// The district worked by hand (framework: I 40 = 1.1 (1.1.1 10, 1.1.2 10) + 1.2 20;
/// II 60 = 2.1 30 + 2.2 30).
///
/// 2021: Bình An 100 (1st), Cửa Tùng 95 (1.2 = 15; 2nd), An Phú 90 (2.2 = 20; 3rd).
/// 2022: Cửa Tùng 2.1 not applicable, 2.2 = 27 → 67 / 70 = 95,71 (1st, ▲ 1);
/// Bình An 2.1 = 25 (claimed 30) → 95 (2nd, ▼ 1); An Phú 1.2 = 18 (claimed 20),
/// 2.2 = 25,5 → 93,5 (3rd, =); Đông Sơn (new) 1.1.1 = 5 (claimed 4), 1.1.2 = 5,
/// 2.2 = 20 → 80, Khá (4th). Every lost leaf carries the note "Chưa đạt yêu cầu".
fn district(w: &Workdir) {
    w.xlsx("input/2021/an_phu.xlsx", &[scoring_sheet("Biểu", Some("XÃ AN PHÚ"), 2021, &[("2.2", Val::Num(20.0))])]);
    w.xlsx("input/2021/binh_an.xlsx", &[scoring_sheet("Biểu", Some("XÃ BÌNH AN"), 2021, &[])]);
    w.xlsx("input/2021/cua_tung.xlsx", &[scoring_sheet("Biểu", Some("THỊ TRẤN CỬA TÙNG"), 2021, &[("1.2", Val::Num(15.0))])]);
    let mut a = scoring_sheet("Biểu", Some("XÃ AN PHÚ"), 2022, &[("1.2", Val::Num(18.0)), ("2.2", Val::Num(25.5))]);
    set_self(&mut a, "1.2", 20.0);
    let mut b = scoring_sheet("Biểu", Some("XÃ BÌNH AN"), 2022, &[("2.1", Val::Num(25.0))]);
    set_self(&mut b, "2.1", 30.0);
    let c = scoring_sheet("Biểu", Some("THỊ TRẤN CỬA TÙNG"), 2022, &[("2.1", Val::Text("Không áp dụng")), ("2.2", Val::Num(27.0))]);
    let mut d =
        scoring_sheet("Biểu", Some("XÃ ĐÔNG SƠN"), 2022, &[("1.1.1", Val::Num(5.0)), ("1.1.2", Val::Num(5.0)), ("2.2", Val::Num(20.0))]);
    set_self(&mut d, "1.1.1", 4.0);
    w.xlsx("input/2022/an_phu.xlsx", &[a]);
    w.xlsx("input/2022/binh_an.xlsx", &[b]);
    w.xlsx("input/2022/cua_tung.xlsx", &[c]);
    w.xlsx("input/2022/dong_son.xlsx", &[d]);
}

fn run(w: &Workdir) {
    let out = w.cchc(&["run", "--no-appendices"]);
    assert!(out.status.code().is_some_and(|c| c <= 1), "{}", String::from_utf8_lossy(&out.stderr));
    assert_rows_in_order(&out);
}

/// The ranking sheets stream their rows (low memory): a write to a row already
/// streamed is dropped, and rust_xlsxwriter says so on stderr.
fn assert_rows_in_order(out: &std::process::Output) {
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("Ignoring write"), "a sheet wrote a row out of order:\n{err}");
}

/// The attributes of a row element of a sheet's XML (e.g. its height, `ht`).
fn row_tag(xml: &str, row: u32) -> &str {
    let start = xml.find(&format!("<row r=\"{row}\"")).unwrap_or_else(|| panic!("no row {row}"));
    &xml[start..start + xml[start..].find('>').unwrap()]
}

/// A sheet's cells, read back.
struct SheetData(Range<Data>);

impl SheetData {
    fn cell(&self, row: u32, col: u32) -> Data {
        self.0.get_value((row, col)).cloned().unwrap_or(Data::Empty)
    }

    fn text(&self, row: u32, col: u32) -> String {
        self.cell(row, col).to_string()
    }

    fn num(&self, row: u32, col: u32) -> f64 {
        match self.cell(row, col) {
            Data::Float(v) => v,
            Data::Int(v) => v as f64,
            other => panic!("({row}, {col}) is not a number: {other:?}"),
        }
    }

    /// The row whose column `col` reads `text`.
    fn row_of(&self, col: u32, text: &str) -> u32 {
        (0..self.0.height() as u32 + 1).find(|&r| self.text(r, col) == text).unwrap_or_else(|| panic!("{text} not in column {col}"))
    }
}

struct Book {
    path: std::path::PathBuf,
}

impl Book {
    fn open(path: &Path) -> Book {
        assert!(path.is_file(), "{} missing", path.display());
        Book { path: path.to_path_buf() }
    }

    fn sheet_names(&self) -> Vec<String> {
        open_workbook_auto(&self.path).unwrap().sheet_names()
    }

    fn sheet(&self, name: &str) -> SheetData {
        SheetData(open_workbook_auto(&self.path).unwrap().worksheet_range(name).unwrap())
    }

    /// A part of the package as text.
    fn part(&self, name: &str) -> String {
        let mut zip = zip::ZipArchive::new(std::fs::File::open(&self.path).unwrap()).unwrap();
        let mut s = String::new();
        zip.by_name(name).unwrap_or_else(|_| panic!("{name} not in the package")).read_to_string(&mut s).unwrap();
        s
    }

    fn parts(&self) -> Vec<String> {
        let zip = zip::ZipArchive::new(std::fs::File::open(&self.path).unwrap()).unwrap();
        zip.file_names().map(|n| n.unwrap().into_owned()).collect()
    }

    /// The XML of the n-th sheet (1-based, workbook order).
    fn sheet_xml(&self, n: usize) -> String {
        self.part(&format!("xl/worksheets/sheet{n}.xml"))
    }
}

fn book(w: &Workdir, year: i32) -> Book {
    Book::open(&w.path(&format!("output/{year}/xep-hang-chi-so-cchc-{year}.xlsx")))
}

#[test]
fn sheets_in_order_with_print_setup_and_properties() {
    let w = Workdir::new();
    district(&w);
    run(&w);
    for year in [2021, 2022] {
        let b = book(&w, year);
        assert_eq!(b.sheet_names(), FULL);
        // Every sheet: A4 landscape fitted to one page wide, a repeated header.
        for n in 1..=FULL.len() {
            let xml = b.sheet_xml(n);
            assert!(xml.contains(r#"<pageSetUpPr fitToPage="1"/>"#), "sheet {n}: {xml:.400}");
            assert!(xml.contains(r#"paperSize="9""#) && xml.contains(r#"orientation="landscape""#), "sheet {n}");
            assert!(xml.contains(r#"fitToHeight="0""#), "sheet {n}");
        }
        let wbxml = b.part("xl/workbook.xml");
        assert_eq!(wbxml.matches("_xlnm.Print_Titles").count(), FULL.len(), "{wbxml}");
        assert!(wbxml.contains("'Xếp hạng'!$7:$7"), "{wbxml}");
        assert!(wbxml.contains("'So sánh tiêu chí'!$4:$5"), "{wbxml}");
        let core = b.part("docProps/core.xml");
        assert!(core.contains(&format!("<dc:title>Kết quả xếp hạng Chỉ số CCHC năm {year}</dc:title>")), "{core}");
        assert!(core.contains("<dc:creator>Phòng Nội vụ</dc:creator>") && core.contains("<cp:keywords>"), "{core}");
        assert!(core.contains("<dc:subject>") && core.contains("<dc:description>Gồm các trang: Xếp hạng;"), "{core}");
        // Times New Roman and the number formats.
        let styles = b.part("xl/styles.xml");
        assert!(styles.contains(r#"<name val="Times New Roman"/>"#), "{styles}");
        assert!(styles.contains(r#"formatCode="0.00""#) && styles.contains(r#"formatCode="+0.00;-0.00;0.00""#), "{styles}");
    }
}

#[test]
fn ranking_sheet_band_summary_and_chart_below() {
    let w = Workdir::new();
    district(&w);
    run(&w);
    let b = book(&w, 2022);
    let s = b.sheet("Xếp hạng");
    let ranked: Vec<(f64, String, f64, String)> = (7..11).map(|r| (s.num(r, 0), s.text(r, 1), s.num(r, 3), s.text(r, 4))).collect();
    let want =
        [(1.0, "Cửa Tùng", 95.71, "Tốt"), (2.0, "Bình An", 95.0, "Tốt"), (3.0, "An Phú", 93.5, "Tốt"), (4.0, "Đông Sơn", 80.0, "Khá")];
    assert_eq!(ranked, want.map(|(r, u, i, b)| (r, u.to_string(), i, b.to_string())));
    // The band summary two rows under the table: Tốt 3 (75 %), Khá 1 (25 %), none below.
    assert_eq!(s.text(12, 1), "TỔNG HỢP XẾP LOẠI");
    assert_eq!([s.text(13, 1), s.text(13, 2), s.text(13, 3)], ["Xếp loại", "Số đơn vị", "Tỷ lệ (%)"]);
    let bands: Vec<(String, f64, f64)> = (14..18).map(|r| (s.text(r, 1), s.num(r, 2), s.num(r, 3))).collect();
    let want = [("Tốt", 3.0, 75.0), ("Khá", 1.0, 25.0), ("Trung bình", 0.0, 0.0), ("Yếu", 0.0, 0.0)];
    assert_eq!(bands, want.map(|(b, n, p)| (b.to_string(), n, p)));
    assert_eq!((s.text(18, 1), s.num(18, 2), s.num(18, 3)), ("Tổng cộng".to_string(), 4.0, 100.0));
    // The chart is anchored under the summary (row 21, 0-based 20), not over it.
    let drawing = b.part("xl/drawings/drawing1.xml");
    assert!(drawing.contains("<xdr:row>20</xdr:row>"), "{drawing}");
    let xml = b.sheet_xml(1);
    assert!(xml.contains(r#"<pane xSplit="2" ySplit="7""#), "{xml:.600}");
    // A note explains the index.
    assert!(b.parts().iter().any(|p| p.starts_with("xl/comments")));
    assert!(b.part("xl/comments1.xml").contains("Chỉ số = tổng điểm thẩm định"));
}

#[test]
fn comparison_by_area_and_criterion_in_alphabetical_order() {
    let w = Workdir::new();
    district(&w);
    run(&w);
    let b = book(&w, 2022);
    let s = b.sheet("So sánh tiêu chí");
    assert_eq!([s.text(3, 0), s.text(3, 1), s.text(3, 2), s.text(3, 3)], ["STT", "Đơn vị", "Chỉ số CCHC (%)", "Xếp hạng"]);
    let nodes: Vec<String> = (0..6).map(|k| s.text(3, 4 + 2 * k)).collect();
    assert_eq!(
        nodes,
        [
            "I. Công tác chỉ đạo, điều hành cải cách hành chính (40 điểm)",
            "1.1. Kế hoạch cải cách hành chính (20 điểm)",
            "1.2. Báo cáo cải cách hành chính định kỳ (20 điểm)",
            "II. Cải cách thủ tục hành chính (60 điểm)",
            "2.1. Công khai thủ tục hành chính (30 điểm)",
            "2.2. Kết quả giải quyết hồ sơ (30 điểm)",
        ]
    );
    assert_eq!([s.text(4, 4), s.text(4, 5)], ["Điểm", "% tối đa"]);
    let units: Vec<String> = (5..9).map(|r| s.text(r, 1)).collect();
    assert_eq!(units, ["An Phú", "Bình An", "Cửa Tùng", "Đông Sơn"]);
    // An Phú: 93,5, 3rd; I 38 (95 %); 1.2 18 (90 %); II 55,5 (92,5 %); 2.2 25,5 (85 %).
    let an_phu: Vec<f64> = [2, 3, 4, 5, 8, 9, 10, 11, 14, 15].iter().map(|&c| s.num(5, c)).collect();
    assert_eq!(an_phu, [93.5, 3.0, 38.0, 95.0, 18.0, 90.0, 55.5, 92.5, 25.5, 85.0]);
    // Cửa Tùng: 2.1 not applicable; II is 27 of the 30 that apply (90 %).
    assert_eq!((s.text(7, 12), s.text(7, 13)), ("KAD".to_string(), "KAD".to_string()));
    assert_eq!((s.num(7, 10), s.num(7, 11)), (27.0, 90.0));
    // Đông Sơn: I 30 (75 %), 1.1 10 (50 %), II 50 of 60 (83,33 %).
    assert_eq!([s.num(8, 4), s.num(8, 5), s.num(8, 6), s.num(8, 7), s.num(8, 11)], [30.0, 75.0, 10.0, 50.0, 83.33]);
    // Statistics: index 93,5 / 95 / 95,71 / 80 → mean 91,05, median 94,25; area I
    // 95 / 100 / 100 / 75 % → 92,5, 97,5, 75, 100 (points 37, 39, 30, 40); 2.1 over the
    // three units it applies to: 100, 83,33, 100 % → mean 94,44.
    let labels: Vec<String> = (9..13).map(|r| s.text(r, 0)).collect();
    assert_eq!(labels, ["Bình quân", "Trung vị", "Thấp nhất", "Cao nhất"]);
    let col = |c: u32| -> Vec<f64> { (9..13).map(|r| s.num(r, c)).collect() };
    assert_eq!(col(2), [91.05, 94.25, 80.0, 95.71]);
    assert_eq!(col(4), [37.0, 39.0, 30.0, 40.0]);
    assert_eq!(col(5), [92.5, 97.5, 75.0, 100.0]);
    assert_eq!(col(13), [94.44, 100.0, 83.33, 100.0]);
    // Colour scale on each % column (rows 6–9), frozen panes at the first unit.
    let xml = b.sheet_xml(2);
    assert!(xml.contains(r#"<conditionalFormatting sqref="F6:F9"><cfRule type="colorScale""#), "{xml}");
    assert_eq!(xml.matches(r#"type="colorScale""#).count(), 6);
    assert!(xml.contains(r#"<pane xSplit="2" ySplit="5""#));
}

#[test]
fn losses_pareto_with_combined_chart_and_filtered_detail() {
    let w = Workdir::new();
    district(&w);
    run(&w);
    let b = book(&w, 2022);
    let s = b.sheet("Điểm bị trừ");
    // Lost 34,5 in all: 2.2 17,5 (3 units), 1.1.1 5, 1.1.2 5, 2.1 5, 1.2 2.
    assert!(s.text(1, 0).starts_with("Toàn huyện bị trừ 34,5 điểm ở 5 tiêu chí"), "{}", s.text(1, 0));
    assert_eq!(
        [s.text(4, 0), s.text(4, 1), s.text(4, 3), s.text(4, 4), s.text(4, 5), s.text(4, 6)],
        ["Mã tiêu chí", "Tên tiêu chí", "Điểm bị trừ", "Số đơn vị bị trừ", "Tỷ lệ (%)", "Tỷ lệ lũy kế (%)"]
    );
    let pareto: Vec<(String, f64, f64, f64, f64)> =
        (5..10).map(|r| (s.text(r, 0), s.num(r, 3), s.num(r, 4), s.num(r, 5), s.num(r, 6))).collect();
    let want = [
        ("2.2", 17.5, 3.0, 50.72, 50.72),
        ("1.1.1", 5.0, 1.0, 14.49, 65.22),
        ("1.1.2", 5.0, 1.0, 14.49, 79.71),
        ("2.1", 5.0, 1.0, 14.49, 94.2),
        ("1.2", 2.0, 1.0, 5.8, 100.0),
    ];
    assert_eq!(pareto, want.map(|(c, l, n, sh, cu)| (c.to_string(), l, n, sh, cu)));
    assert_eq!(s.text(5, 1), "Kết quả giải quyết hồ sơ");
    // The detail: units in Vietnamese order, codes in framework order, with the notes.
    let h = s.row_of(0, "Đơn vị");
    assert_eq!(
        (1..7).map(|c| s.text(h, c)).collect::<Vec<_>>(),
        ["Mã tiêu chí", "Tên tiêu chí", "Điểm tối đa", "Điểm thẩm định", "Điểm bị trừ", "Ghi chú, nguyên nhân"]
    );
    let detail: Vec<(String, String, f64, f64, f64, String)> =
        (h + 1..h + 8).map(|r| (s.text(r, 0), s.text(r, 1), s.num(r, 3), s.num(r, 4), s.num(r, 5), s.text(r, 6))).collect();
    let note = "Chưa đạt yêu cầu";
    let want = [
        ("An Phú", "1.2", 20.0, 18.0, 2.0),
        ("An Phú", "2.2", 30.0, 25.5, 4.5),
        ("Bình An", "2.1", 30.0, 25.0, 5.0),
        ("Cửa Tùng", "2.2", 30.0, 27.0, 3.0),
        ("Đông Sơn", "1.1.1", 10.0, 5.0, 5.0),
        ("Đông Sơn", "1.1.2", 10.0, 5.0, 5.0),
        ("Đông Sơn", "2.2", 30.0, 20.0, 10.0),
    ];
    assert_eq!(detail, want.map(|(u, c, m, a, l)| (u.to_string(), c.to_string(), m, a, l, note.to_string())));
    assert_eq!(s.text(h + 8, 0), "");
    // Autofilter over the detail only; its header is the printed title row.
    let xml = b.sheet_xml(3);
    assert!(xml.contains(&format!(r#"<autoFilter ref="A{}:G{}"/>"#, h + 1, h + 8)), "{xml}");
    assert!(b.part("xl/workbook.xml").contains(&format!("'Điểm bị trừ'!${0}:${0}", h + 1)));
    // The Pareto chart: columns and a cumulative line on a secondary axis.
    let chart = b.part("xl/charts/chart2.xml");
    assert!(chart.contains("<c:barChart>") && chart.contains("<c:lineChart>"), "{chart}");
    assert_eq!(chart.matches("<c:valAx>").count(), 2, "{chart}");
    assert!(chart.contains("'Điểm bị trừ'!$G$6:$G$10"), "{chart}");
}

#[test]
fn trend_by_year_with_marked_moves_and_line_chart() {
    let w = Workdir::new();
    district(&w);
    run(&w);
    let b = book(&w, 2022);
    let s = b.sheet("Xu hướng");
    assert_eq!([s.text(3, 2), s.text(3, 4)], ["Năm 2021", "Năm 2022"]);
    assert_eq!(
        (2..8).map(|c| s.text(4, c)).collect::<Vec<_>>(),
        ["Chỉ số (%)", "Thứ hạng", "Chỉ số (%)", "Thứ hạng", "± Chỉ số", "± Thứ hạng"]
    );
    // This year's rank order; Đông Sơn has no 2021.
    assert_eq!((5..9).map(|r| s.text(r, 1)).collect::<Vec<_>>(), ["Cửa Tùng", "Bình An", "An Phú", "Đông Sơn"]);
    assert_eq!([s.num(5, 2), s.num(5, 3), s.num(5, 4), s.num(5, 5), s.num(5, 6)], [95.0, 2.0, 95.71, 1.0, 0.71]);
    assert_eq!([s.text(5, 7), s.text(6, 7), s.text(7, 7), s.text(8, 7)], ["▲ 1", "▼ 1", "=", ""]);
    assert_eq!(s.num(6, 6), -5.0);
    assert_eq!((s.cell(8, 2), s.num(8, 4)), (Data::Empty, 80.0));
    // District mean: 2021 (90 + 100 + 95) / 3 = 95; 2022 364,21 / 4 = 91,05.
    assert_eq!((s.text(9, 0), s.num(9, 2), s.num(9, 4)), ("Bình quân huyện".to_string(), 95.0, 91.05));
    // The chart's data: years, the mean, then the leaders of 2022.
    assert_eq!((s.text(12, 1), s.num(12, 2), s.num(12, 3)), ("Năm".to_string(), 2021.0, 2022.0));
    assert_eq!((s.text(13, 1), s.num(13, 3)), ("Bình quân huyện".to_string(), 91.05));
    assert_eq!((14..18).map(|r| s.text(r, 1)).collect::<Vec<_>>(), ["Cửa Tùng", "Bình An", "An Phú", "Đông Sơn"]);
    let chart = b.part("xl/charts/chart3.xml");
    assert!(chart.contains("<c:lineChart>") && !chart.contains("<c:barChart>"), "{chart}");
    assert_eq!(chart.matches("<c:ser>").count(), 5);
    // Moves coloured by conditional formats (text ▲/▼ and signed changes).
    let xml = b.sheet_xml(5);
    assert!(xml.contains(r#"type="containsText""#) && xml.contains("▲") && xml.contains(r#"operator="greaterThan""#), "{xml}");
    assert!(xml.contains(r#"<pane xSplit="2" ySplit="5""#));
}

#[test]
fn self_assessment_gap_and_stability_by_hand() {
    let w = Workdir::new();
    district(&w);
    run(&w);
    let b = book(&w, 2022);
    let s = b.sheet("Tự đánh giá – Thẩm định");
    // Over-claims: Bình An +5 on 2.1, An Phú +2 on 1.2; Đông Sơn −1 on 1.1.1 (under).
    assert_eq!(
        [s.text(4, 0), s.text(4, 1), s.text(4, 2)],
        ["Đơn vị", "Số tiêu chí tự chấm cao hơn", "Tổng điểm tự chấm cao hơn thẩm định"]
    );
    assert_eq!((s.text(5, 0), s.num(5, 1), s.num(5, 2)), ("Bình An".to_string(), 1.0, 5.0));
    assert_eq!((s.text(6, 0), s.num(6, 1), s.num(6, 2)), ("An Phú".to_string(), 1.0, 2.0));
    assert_eq!(s.text(9, 0), "Mã tiêu chí");
    assert_eq!(
        (s.text(10, 0), s.num(10, 1), s.text(10, 2), s.num(10, 3)),
        ("2.1".to_string(), 1.0, "Công khai thủ tục hành chính".to_string(), 5.0)
    );
    assert_eq!(s.text(11, 0), "1.2");
    let h = 14;
    assert_eq!(
        (0..6).map(|c| s.text(h, c)).collect::<Vec<_>>(),
        ["Đơn vị", "Mã tiêu chí", "Tên tiêu chí", "Điểm tự đánh giá", "Điểm thẩm định", "Chênh lệch"]
    );
    let detail: Vec<(String, String, f64, f64, f64)> =
        (15..18).map(|r| (s.text(r, 0), s.text(r, 1), s.num(r, 3), s.num(r, 4), s.num(r, 5))).collect();
    let want = [("An Phú", "1.2", 20.0, 18.0, 2.0), ("Bình An", "2.1", 30.0, 25.0, 5.0), ("Đông Sơn", "1.1.1", 4.0, 5.0, -1.0)];
    assert_eq!(detail, want.map(|(u, c, a, b, g)| (u.to_string(), c.to_string(), a, b, g)));
    assert!(b.sheet_xml(6).contains(r#"<autoFilter ref="A15:F18"/>"#));

    // Without area I (II ÷ its applicable max): An Phú 92,5, Bình An 91,67, Cửa Tùng 90,
    // Đông Sơn 83,33. Without area II (I ÷ 40): Cửa Tùng and Bình An 100 (tied 1st),
    // An Phú 95, Đông Sơn 75.
    let s = b.sheet("Độ ổn định xếp hạng");
    assert_eq!([s.text(3, 3), s.text(3, 5)], ["Bỏ lĩnh vực I (40 điểm)", "Bỏ lĩnh vực II (60 điểm)"]);
    assert_eq!([s.text(4, 3), s.text(4, 4)], ["Xếp hạng", "Thay đổi"]);
    let rows: Vec<(String, f64, f64, String, f64, String)> =
        (5..9).map(|r| (s.text(r, 1), s.num(r, 0), s.num(r, 3), s.text(r, 4), s.num(r, 5), s.text(r, 6))).collect();
    let want = [
        ("Cửa Tùng", 1.0, 3.0, "▼ 2", 1.0, "="),
        ("Bình An", 2.0, 2.0, "=", 1.0, "▲ 1"),
        ("An Phú", 3.0, 1.0, "▲ 2", 3.0, "="),
        ("Đông Sơn", 4.0, 4.0, "=", 4.0, "="),
    ];
    assert_eq!(rows, want.map(|(u, r, a, m, b, n)| (u.to_string(), r, a, m.to_string(), b, n.to_string())));
    assert_eq!((s.text(9, 0), s.num(9, 3), s.num(9, 5)), ("Số đơn vị đổi hạng".to_string(), 2.0, 1.0));
    assert_eq!((s.num(10, 3), s.num(10, 5)), (2.0, 1.0));
    assert!(s.text(1, 0).contains("Lĩnh vực I làm thay đổi thứ hạng nhiều nhất: 2 đơn vị đổi hạng, nhiều nhất 2 bậc."), "{}", s.text(1, 0));
}

#[test]
fn checks_and_framework_sheets() {
    let w = Workdir::new();
    district(&w);
    run(&w);
    let b = book(&w, 2022);
    let s = b.sheet("Kiểm tra dữ liệu");
    // Đông Sơn claims 4 where the office gave 5.
    let r = s.row_of(1, "self_below_appraised");
    assert_eq!((s.text(r, 0), s.text(r, 5)), ("Cảnh báo".to_string(), "Đông Sơn".to_string()));
    let s = b.sheet("Khung tiêu chí");
    assert_eq!(
        (0..5).map(|c| s.text(3, c)).collect::<Vec<_>>(),
        ["Mã", "Lĩnh vực, tiêu chí, tiêu chí thành phần", "Điểm tối đa", "Cấp", "Tiêu chí chấm điểm"]
    );
    let rows: Vec<(String, f64, f64, String)> = (4..12).map(|r| (s.text(r, 0), s.num(r, 2), s.num(r, 3), s.text(r, 4))).collect();
    let want = [
        ("I", 40.0, 1.0, ""),
        ("1.1", 20.0, 2.0, ""),
        ("1.1.1", 10.0, 3.0, "Có"),
        ("1.1.2", 10.0, 3.0, "Có"),
        ("1.2", 20.0, 2.0, "Có"),
        ("II", 60.0, 1.0, ""),
        ("2.1", 30.0, 2.0, "Có"),
        ("2.2", 30.0, 2.0, "Có"),
    ];
    assert_eq!(rows, want.map(|(c, m, d, l)| (c.to_string(), m, d, l.to_string())));
    assert_eq!(s.text(5, 1), "Kế hoạch cải cách hành chính");
    assert_eq!((s.num(12, 2), s.num(12, 4)), (100.0, 5.0));
    // Names indented by depth.
    assert!(b.part("xl/styles.xml").contains(r#"indent="2""#));
}

#[test]
fn results_table_year_keeps_only_the_total_based_sheets() {
    let w = Workdir::new();
    w.fixture("results_2020.xlsx", "input/2020/Ket_qua_chi_so_CCHC_2020.xlsx");
    w.fixture("matrix_2021.xlsx", "input/2021/Tong_hop_tham_dinh_2021.xlsx");
    run(&w);
    let b = book(&w, 2020);
    assert_eq!(b.sheet_names(), ["Xếp hạng", "Xu hướng", "Kiểm tra dữ liệu"]);
    let s = b.sheet("Xếp hạng");
    assert!(s.text(5, 0).starts_with("Năm 2020 chỉ có bảng kết quả đã công bố"), "{}", s.text(5, 0));
    assert!(s.num(7, 3) > 0.0);
    assert!(b.sheet("Xu hướng").text(3, 2).contains("Năm 2020 (kết quả đã công bố)"));
    assert!(b.part("docProps/core.xml").contains("Gồm các trang: Xếp hạng; Xu hướng; Kiểm tra dữ liệu."));
    // The next year, read from a matrix, has every sheet and its trend starts in 2020.
    let b = book(&w, 2021);
    assert_eq!(b.sheet_names(), FULL);
    assert_eq!(b.sheet("Xu hướng").text(3, 2), "Năm 2020 (kết quả đã công bố)");
}

#[test]
fn committed_sample_district() {
    let w = Workdir::new();
    let input = Path::new(env!("CARGO_MANIFEST_DIR")).join("input");
    let out = w.cchc(&["run", "--input", input.to_str().unwrap(), "--output", "output", "--no-appendices"]);
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    assert_rows_in_order(&out);
    for year in 2021..=2023 {
        assert_eq!(book(&w, year).sheet_names(), FULL, "{year}");
    }
    let b = book(&w, 2022);
    // Row heights set on two-row headers survive streaming (rows 4 and 5 in Excel).
    let compare = b.sheet_xml(2);
    assert!(row_tag(&compare, 4).contains(r#"ht="110"#), "{}", row_tag(&compare, 4));
    assert!(row_tag(&compare, 5).contains(r#"ht="30"#), "{}", row_tag(&compare, 5));
    assert!(row_tag(&b.sheet_xml(7), 4).contains(r#"ht="32"#));
    // The comparison of 40-odd nodes prints several pages wide, the unit columns on each.
    assert!(b.sheet_xml(2).contains(r#"fitToWidth=""#));
    assert!(b.part("xl/workbook.xml").contains("'So sánh tiêu chí'!$A:$B"));
    let s = b.sheet("Xếp hạng");
    assert_eq!((s.num(7, 0), s.text(7, 1), s.num(7, 3), s.text(7, 4)), (1.0, "Triệu Trạch".to_string(), 90.74, "Tốt".to_string()));
    assert_eq!(s.text(7, (0..30).find(|&c| s.text(6, c) == "Thay đổi thứ hạng").unwrap()), "tăng 10 bậc");
    // The seed letter's areas: I 17,1; III 20,84; and its losses on 1.5.3 (0 of 1).
    let c = b.sheet("So sánh tiêu chí");
    let r = c.row_of(1, "Triệu Trạch");
    assert_eq!((c.num(r, 4), c.text(3, 4)), (17.1, "I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CẢI CÁCH HÀNH CHÍNH (21 điểm)".to_string()));
    let l = b.sheet("Điểm bị trừ");
    let h = l.row_of(0, "Đơn vị");
    let lost: Vec<(String, f64)> =
        (h + 1..h + 400).filter(|&r| l.text(r, 0) == "Triệu Trạch").map(|r| (l.text(r, 1), l.num(r, 5))).collect();
    assert!(lost.contains(&("1.5.3".to_string(), 1.0)) && lost.contains(&("3.13.3".to_string(), 0.5)), "{lost:?}");
    let t = b.sheet("Xu hướng");
    assert_eq!((t.text(5, 1), t.num(5, 3), t.num(5, 5), t.text(5, 7)), ("Triệu Trạch".to_string(), 11.0, 1.0, "▲ 10".to_string()));
    assert!(b.sheet("Kiểm tra dữ liệu").row_of(1, "total_mismatch") >= 4);
}
