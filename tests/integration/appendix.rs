//! `cchc run`'s remediation appendices ("Phụ lục", one workbook per unit and year),
//! re-opened and read back: a small district worked out by hand, and the committed
//! sample against the seed letter's figures.

use crate::common::*;
use calamine::{Data, Reader, Xlsx, open_workbook};
use std::io::Read;
use std::path::{Path, PathBuf};

/// A written appendix, read back.
struct Appendix {
    path: PathBuf,
    wb: Xlsx<std::io::BufReader<std::fs::File>>,
    range: calamine::Range<Data>,
}

impl Appendix {
    fn open(path: &Path) -> Appendix {
        assert!(path.is_file(), "{} missing", path.display());
        let mut wb: Xlsx<_> = open_workbook(path).unwrap();
        let range = wb.worksheet_range("Phụ lục").unwrap();
        Appendix { path: path.to_path_buf(), wb, range }
    }

    fn cell(&self, row: u32, col: u32) -> Data {
        self.range.get_value((row, col)).cloned().unwrap_or(Data::Empty)
    }

    fn text(&self, row: u32, col: u32) -> String {
        self.cell(row, col).to_string()
    }

    /// Column A, row by row, non-empty only.
    fn column_a(&self) -> Vec<(u32, String)> {
        let end = self.range.end().map_or(0, |e| e.0);
        (0..=end).map(|r| (r, self.text(r, 0))).filter(|(_, s)| !s.is_empty()).collect()
    }

    /// The row whose column A is exactly `text`.
    fn row_of(&self, text: &str) -> u32 {
        self.column_a()
            .into_iter()
            .find(|(_, s)| s == text)
            .map(|(r, _)| r)
            .unwrap_or_else(|| panic!("no row {text:?} in {}: {:#?}", self.path.display(), self.column_a()))
    }

    /// The table below its header row: (label, max, appraised, note) per row.
    fn table(&self) -> Vec<(String, Data, Data, String)> {
        let header = self.row_of("Lĩnh vực/Tiêu chí/Tiêu chí thành phần");
        // Part 2's table ends at the blank row before part 3 (the follow-up).
        let last = self.range.end().map_or(0, |e| e.0);
        let end = (header + 1..=last).find(|&r| self.text(r, 0).is_empty()).map_or(last, |r| r - 1);
        (header + 1..=end).map(|r| (self.text(r, 0), self.cell(r, 1), self.cell(r, 2), self.text(r, 3))).collect()
    }

    /// A file of the package, as text.
    fn part(&self, name: &str) -> String {
        let mut zip = zip::ZipArchive::new(std::fs::File::open(&self.path).unwrap()).unwrap();
        let mut s = String::new();
        zip.by_name(name).unwrap_or_else(|_| panic!("{name} not in {}", self.path.display())).read_to_string(&mut s).unwrap();
        s
    }
}

fn f(v: f64) -> Data {
    Data::Float(v)
}

/// 2021 only as a published results table (no criteria: no appendix); 2022 by hand:
/// - An Phú (xã): 1.1.2 = 7,5 (note "Hoàn thành 75% kế hoạch"), 1.2 = 18 (no note),
///   2.1 not applicable, 2.2 = 25,5 → 61 / 70 = 87,14 → Khá, 3rd (was 1st: down 2).
///   Areas: I 35,5/40 (88,75 %), II 25,5/30 with 30 not applicable (85 %).
/// - Bình An (thị trấn): full marks → 100, 1st (was 2nd: up 1); nothing lost.
/// - Cửa Tùng (xã): 2.2 = 20, bonus 1,5 → 90 + 1,5 = 91,5, 2nd (was 3rd: up 1).
///   Areas: I 100 %, II 50/60 = 83,33 %.
///
/// District means by area: I (88,75 + 100 + 100) / 3 = 96,25; II (85 + 100 + 83,33) / 3 = 89,44.
fn district(w: &Workdir) {
    w.xlsx(
        "input/2021/ket_qua_2021.xlsx",
        &[Sheet::new(
            "Kết quả",
            vec![
                vec![t("KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM 2021")],
                vec![t("STT"), t("Tên đơn vị"), t("Tổng điểm"), t("Xếp loại"), t("Xếp hạng")],
                vec![n(1.0), t("Xã An Phú"), n(95.0), t("Tốt"), n(1.0)],
                vec![n(2.0), t("Thị trấn Bình An"), n(90.0), t("Tốt"), n(2.0)],
                vec![n(3.0), t("Xã Cửa Tùng"), n(80.0), t("Khá"), n(3.0)],
            ],
        )],
    );
    let mut an_phu = scoring_sheet(
        "Biểu",
        Some("XÃ AN PHÚ"),
        2022,
        &[("1.1.2", Val::Num(7.5)), ("1.2", Val::Num(18.0)), ("2.1", Val::Text("Không áp dụng")), ("2.2", Val::Num(25.5))],
    );
    for row in &mut an_phu.rows {
        match row.first() {
            Some(Cell::Text(c)) if c == "1.1.2" => row[6] = t("Hoàn thành 75% kế hoạch"),
            Some(Cell::Text(c)) if c == "1.2" => row[6] = t(""),
            _ => {}
        }
    }
    w.xlsx("input/2022/an_phu.xlsx", &[an_phu]);
    w.xlsx("input/2022/binh_an.xlsx", &[scoring_sheet("Biểu", Some("THỊ TRẤN BÌNH AN"), 2022, &[])]);
    let mut cua_tung = scoring_sheet("Biểu", Some("XÃ CỬA TÙNG"), 2022, &[("2.2", Val::Num(20.0))]);
    cua_tung.rows.push(vec![t(""), t("Điểm thưởng"), n(2.0), n(1.5), n(1.5)]);
    w.xlsx("input/2022/cua_tung.xlsx", &[cua_tung]);
}

fn run_ok(w: &Workdir, args: &[&str]) -> String {
    let out = w.cchc(args);
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.code().is_some_and(|c| c <= 1), "{err}");
    err
}

#[test]
fn appendix_of_a_unit_with_losses_reads_back() {
    let w = Workdir::new();
    district(&w);
    run_ok(&w, &["run"]);
    let mut a = Appendix::open(&w.path("output/2022/phu-luc/phu-luc-an-phu-2022.xlsx"));
    assert_eq!(a.wb.sheet_names(), ["Phụ lục"]);
    // Header block and title, as the seed's.
    assert_eq!(a.text(0, 0), "ỦY BAN NHÂN DÂN");
    assert_eq!(a.text(1, 0), "XÃ AN PHÚ");
    assert_eq!(a.text(0, 2), "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
    assert_eq!(a.text(1, 2), "Độc lập - Tự do - Hạnh phúc");
    a.row_of("PHỤ LỤC");
    a.row_of("Kết quả phê duyệt Chỉ số CCHC năm 2022 của UBND xã An Phú, biện pháp giải quyết trong năm 2023");
    // Part 1, in order.
    let part1 = a.row_of("1. Điểm số từng tiêu chí đạt được");
    let lines: Vec<String> = (part1 + 1..part1 + 4).map(|r| a.text(r, 0)).collect();
    assert_eq!(
        lines,
        [
            "- Tiêu chí thứ 1: Công tác chỉ đạo, điều hành cải cách hành chính, đạt 35,5/40 điểm;",
            "- Tiêu chí thứ 2: Cải cách thủ tục hành chính, đạt 25,5/30 điểm (30 điểm không áp dụng).",
            "Chỉ số CCHC năm 2022 của xã An Phú là 87,14 điểm (tổng điểm các tiêu chí đạt 61/70), xếp loại Khá, đứng thứ 3/3, giảm 2 bậc so với năm 2021.",
        ]
    );
    // Part 2: the table, area rows then leaves below max; full-mark (1.1.1) and
    // not-applicable (2.1) leaves absent.
    a.row_of("2. Điểm số chưa đạt đối với các tiêu chí thành phần, nguyên nhân, trách nhiệm, biện pháp khắc phục và thời gian hoàn thành:");
    let header = a.row_of("Lĩnh vực/Tiêu chí/Tiêu chí thành phần");
    let headers: Vec<String> = (0..6).map(|c| a.text(header, c)).collect();
    assert_eq!(
        headers,
        [
            "Lĩnh vực/Tiêu chí/Tiêu chí thành phần",
            "Điểm tối đa",
            "Điểm thẩm định",
            "Nguyên nhân không đạt điểm tối đa",
            "Phân công nhiệm vụ thực hiện và biện pháp khắc phục trong năm 2023",
            "Thời gian hoàn thành",
        ]
    );
    let s = String::new;
    assert_eq!(
        a.table(),
        [
            ("I. Công tác chỉ đạo, điều hành cải cách hành chính".into(), f(40.0), f(35.5), s()),
            ("1.1.2. Mức độ thực hiện kế hoạch".into(), f(10.0), f(7.5), "Hoàn thành 75% kế hoạch".into()),
            ("1.2. Báo cáo cải cách hành chính định kỳ".into(), f(20.0), f(18.0), s()),
            ("II. Cải cách thủ tục hành chính".into(), f(30.0), f(25.5), s()),
            ("2.2. Kết quả giải quyết hồ sơ".into(), f(30.0), f(25.5), "Chưa đạt yêu cầu".into()),
        ]
    );
    // The fill-in columns are empty, bordered and wrapped; numbers are numbers in
    // "General" (1.6 and 0.34 as typed); everything in Times New Roman.
    let styles = a.wb.worksheet_style("Phụ lục").unwrap();
    for r in header + 1..=header + 5 {
        for c in [4, 5] {
            assert_eq!(a.cell(r, c), Data::Empty);
            let st = styles.get((r, c)).unwrap_or_else(|| panic!("no style at {r},{c}"));
            assert!(st.borders.as_ref().is_some_and(|b| b.has_visible_borders()), "{r},{c}");
            assert!(st.alignment.as_ref().is_some_and(|al| al.wrap_text), "{r},{c}");
        }
        let num = styles.get((r, 2)).unwrap();
        assert_eq!(num.number_format.as_ref().map_or("General", |n| n.format_code.as_str()), "General");
        assert_eq!(num.font.as_ref().and_then(|f| f.name.as_deref()), Some("Times New Roman"));
    }
    let area_row = styles.get((header + 1, 0)).unwrap();
    assert!(area_row.font.as_ref().is_some_and(|f| f.is_bold()));
    assert!(!styles.get((header + 2, 0)).unwrap().font.as_ref().is_some_and(|f| f.is_bold()));

    // The chart's data beside the chart, under part 1: unit and district mean by area, % of max.
    let top = a.row_of("Lĩnh vực");
    assert!(
        top < a.row_of(
            "2. Điểm số chưa đạt đối với các tiêu chí thành phần, nguyên nhân, trách nhiệm, biện pháp khắc phục và thời gian hoàn thành:"
        )
    );
    assert_eq!((0..3).map(|c| a.text(top, c)).collect::<Vec<_>>(), ["Lĩnh vực", "Đơn vị (%)", "Bình quân huyện (%)"]);
    assert_eq!([a.cell(top + 1, 0), a.cell(top + 1, 1), a.cell(top + 1, 2)], [Data::String("I".into()), f(88.75), f(96.25)]);
    assert_eq!([a.cell(top + 2, 0), a.cell(top + 2, 1), a.cell(top + 2, 2)], [Data::String("II".into()), f(85.0), f(89.44)]);
    assert_eq!(styles.get((top + 1, 1)).unwrap().number_format.as_ref().unwrap().format_code, "0.00");

    // The package: a radar chart on the unit's and the district's series, print titles,
    // A4 landscape fitted to width, page-number footer, document properties.
    let chart_xml = a.part("xl/charts/chart1.xml");
    assert!(chart_xml.contains("radarChart"), "{chart_xml}");
    assert!(chart_xml.contains("Bình quân huyện") && chart_xml.contains("Xã An Phú"), "{chart_xml}");
    let workbook_xml = a.part("xl/workbook.xml");
    assert!(workbook_xml.contains("_xlnm.Print_Titles"), "{workbook_xml}");
    let sheet_xml = a.part("xl/worksheets/sheet1.xml");
    // Part 2 starts a page (manual break at its heading).
    assert!(sheet_xml.contains("<rowBreaks"), "{sheet_xml}");
    assert!(sheet_xml.contains(r#"paperSize="9""#) && sheet_xml.contains(r#"orientation="landscape""#), "{sheet_xml}");
    assert!(sheet_xml.contains(r#"fitToHeight="0""#) && sheet_xml.contains("&amp;P/&amp;N"), "{sheet_xml}");
    let core = a.part("docProps/core.xml");
    assert!(core.contains("<dc:creator>UBND xã An Phú</dc:creator>"), "{core}");
    assert!(core.contains("Phụ lục kết quả Chỉ số CCHC năm 2022 của UBND xã An Phú"), "{core}");
}

#[test]
fn unit_without_loss_says_so_and_bonus_is_mentioned() {
    let w = Workdir::new();
    district(&w);
    run_ok(&w, &["run"]);
    let a = Appendix::open(&w.path("output/2022/phu-luc/phu-luc-binh-an-2022.xlsx"));
    assert_eq!(a.text(1, 0), "THỊ TRẤN BÌNH AN");
    a.row_of("Kết quả phê duyệt Chỉ số CCHC năm 2022 của UBND thị trấn Bình An, biện pháp giải quyết trong năm 2023");
    a.row_of("Chỉ số CCHC năm 2022 của thị trấn Bình An là 100 điểm, xếp loại Tốt, đứng thứ 1/3, tăng 1 bậc so với năm 2021.");
    let part2 = a.row_of(
        "2. Điểm số chưa đạt đối với các tiêu chí thành phần, nguyên nhân, trách nhiệm, biện pháp khắc phục và thời gian hoàn thành:",
    );
    assert_eq!(
        a.text(part2 + 1, 0),
        "Năm 2022, thị trấn Bình An đạt điểm tối đa ở tất cả các tiêu chí thành phần được áp dụng; không có tiêu chí nào phải khắc phục."
    );
    assert!(a.column_a().iter().all(|(_, s)| s != "Lĩnh vực/Tiêu chí/Tiêu chí thành phần"), "{:#?}", a.column_a());
    assert!(a.part("xl/charts/chart1.xml").contains("radarChart"));

    let a = Appendix::open(&w.path("output/2022/phu-luc/phu-luc-cua-tung-2022.xlsx"));
    a.row_of(
        "Chỉ số CCHC năm 2022 của xã Cửa Tùng là 91,5 điểm (tổng điểm các tiêu chí đạt 90/100, cộng 1,5 điểm thưởng), xếp loại Tốt, đứng thứ 2/3, tăng 1 bậc so với năm 2021.",
    );
    assert_eq!(
        a.table(),
        [
            ("II. Cải cách thủ tục hành chính".into(), f(60.0), f(50.0), String::new()),
            ("2.2. Kết quả giải quyết hồ sơ".into(), f(30.0), f(20.0), "Chưa đạt yêu cầu".into())
        ]
    );
}

#[test]
fn one_appendix_per_unit_and_year_with_criteria_only() {
    let w = Workdir::new();
    district(&w);
    run_ok(&w, &["run"]);
    let mut files: Vec<String> =
        std::fs::read_dir(w.path("output/2022/phu-luc")).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    files.sort();
    assert_eq!(files, ["phu-luc-an-phu-2022.xlsx", "phu-luc-binh-an-2022.xlsx", "phu-luc-cua-tung-2022.xlsx"]);
    // 2021 is a published results table: ranked, but no leaves and so no appendix.
    assert!(w.path("output/2021/xep-hang-chi-so-cchc-2021.xlsx").is_file());
    assert!(!w.path("output/2021/phu-luc").exists());
}

#[test]
fn no_appendices_writes_none() {
    let w = Workdir::new();
    district(&w);
    run_ok(&w, &["run", "--no-appendices"]);
    assert!(w.path("output/2022/xep-hang-chi-so-cchc-2022.xlsx").is_file());
    assert!(!w.path("output/2022/phu-luc").exists());
}

/// The committed sample district: Triệu Trạch 2022 carries the seed letter's figures.
/// The seed's Phụ lục lists nine sub-criteria; its area III lost 4,16 points but those
/// listed explain only 2,16, so the sample adds 3.5.1 (1,5/3) and 3.8 (1,5/2), which
/// the appendix lists too.
#[test]
fn sample_triệu_trạch_2022_reproduces_the_seed() {
    let w = Workdir::new();
    let input = Path::new(env!("CARGO_MANIFEST_DIR")).join("input");
    let input = input.to_str().unwrap();
    let err = run_ok(&w, &["run", "--input", input, "--output", "out"]);
    let a = Appendix::open(&w.path("out/2022/phu-luc/phu-luc-trieu-trach-2022.xlsx"));
    assert_eq!(a.text(1, 0), "XÃ TRIỆU TRẠCH");
    a.row_of("Kết quả phê duyệt Chỉ số CCHC năm 2022 của UBND xã Triệu Trạch, biện pháp giải quyết trong năm 2023");
    let part1 = a.row_of("1. Điểm số từng tiêu chí đạt được");
    let lines: Vec<String> = (part1 + 1..part1 + 9).map(|r| a.text(r, 0)).collect();
    assert_eq!(lines[..7], TRIEU_TRACH_2022_AREAS);
    assert_eq!(
        lines[7],
        "Chỉ số CCHC năm 2022 của xã Triệu Trạch là 90,74 điểm, xếp loại Tốt, đứng thứ 1/18, tăng 10 bậc so với năm 2021."
    );
    // The stated 92,59 is flagged, and the appendix says its figures are the leaves'.
    assert!(a.text(part1 + 9, 0).starts_with("Lưu ý: biểu chấm điểm của xã Triệu Trạch năm 2022 có lỗi dữ liệu"));
    assert!(err.contains("92,59"), "{err}");
    let rows: Vec<(String, Data, Data)> =
        a.table().into_iter().map(|(l, m, s, _)| (l.split(' ').next().unwrap().to_string(), m, s)).collect();
    let codes = |c: &str| c.to_string();
    assert_eq!(
        rows,
        [
            (codes("I."), f(21.0), f(17.1)),
            (codes("1.1.3."), f(2.0), f(1.6)),
            (codes("1.2."), f(4.0), f(2.5)),
            (codes("1.5.3."), f(1.0), f(0.0)),
            (codes("1.6."), f(2.0), f(1.0)),
            (codes("II."), f(12.0), f(11.8)),
            (codes("2.4.4."), f(2.0), f(1.8)),
            (codes("III."), f(25.0), f(20.84)),
            (codes("3.5.1."), f(3.0), f(1.5)),
            (codes("3.8."), f(2.0), f(1.5)),
            (codes("3.12."), f(1.0), f(0.0)),
            (codes("3.13.1."), f(1.0), f(0.34)),
            (codes("3.13.3."), f(0.5), f(0.0)),
            (codes("VII."), f(13.0), f(12.0)),
            (codes("7.7."), f(2.0), f(1.0)),
        ]
    );
    let table = a.table();
    let row = |code: &str| table.iter().find(|r| r.0.starts_with(code)).unwrap().clone();
    assert_eq!(row("1.1.3. ").0, "1.1.3. Mức độ thực hiện kế hoạch CCHC");
    assert_eq!(row("1.1.3. ").3, "Hoàn thành 80% nhiệm vụ CCHC theo Kế hoạch");
    assert_eq!(row("1.2. ").3, "BC CCHC thiếu nội dung papi");
    // The one loss that repeats 2021's is marked so (2.4.4 was 0/2 in 2021).
    assert_eq!(row("2.4.4. ").3, "Lặp lại từ năm 2021 (năm 2021 đạt 0/2)");
    assert_eq!(table.iter().filter(|r| r.3.contains("Lặp lại từ năm")).count(), 1);
    let part3 = a.row_of("3. Kết quả khắc phục so với năm 2021:");
    assert!(
        a.text(part3 + 1, 0).starts_with(
            "So với năm 2021: 12 tiêu chí thành phần đã khắc phục, 1 tiêu chí bị trừ điểm lặp lại, 10 tiêu chí mới bị trừ điểm"
        ),
        "{}",
        a.text(part3 + 1, 0)
    );
    assert_eq!(row("7.7. ").0, "7.7. Áp dụng chữ ký số của UBND cấp xã");
    // One appendix per unit and year: 18 units × 3 years.
    for year in [2021, 2022, 2023] {
        let n = std::fs::read_dir(w.path(&format!("out/{year}/phu-luc"))).unwrap().count();
        assert_eq!(n, 18, "{year}");
    }
}
