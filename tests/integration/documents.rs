//! The Word documents `cchc run` and `cchc documents` write (each unit's remediation
//! letter with its Phụ lục, each year's ranking annex), unzipped and read back: the
//! facts of the committed sample's Triệu Trạch 2022 as the seed letter states them, a
//! small district worked out by hand with the office's `cchc.toml`, the page set-up the
//! decree prescribes, and (where LibreOffice is installed) both rendered to PDF.

use crate::common::*;
use std::io::Read;
use std::path::{Path, PathBuf};

/// A written .docx, read back as the text of its paragraphs and tables.
struct Document {
    path: PathBuf,
    xml: String,
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'").replace("&amp;", "&")
}

/// The text of every `<w:t>` inside `xml`, in order.
fn text_of(xml: &str) -> String {
    let t = regex::Regex::new(r"<w:t(?: [^>]*)?>([^<]*)</w:t>").unwrap();
    t.captures_iter(xml).map(|c| unescape(&c[1])).collect()
}

/// `xml` cut at each `<tag …>…</tag>` (not nested in itself).
fn elements<'a>(xml: &'a str, tag: &str) -> Vec<&'a str> {
    let (open, close) = (format!("<{tag}"), format!("</{tag}>"));
    let mut out = Vec::new();
    let mut rest = xml;
    while let Some(i) = rest.find(&open) {
        let after = &rest[i + open.len()..];
        // Not a longer tag name (<w:tbl> vs <w:tblPr>).
        if !after.starts_with([' ', '>', '/']) {
            rest = after;
            continue;
        }
        let Some(j) = after.find(&close) else { break };
        out.push(&rest[i..i + open.len() + j + close.len()]);
        rest = &after[j + close.len()..];
    }
    out
}

impl Document {
    fn open(path: &Path) -> Document {
        assert!(path.is_file(), "{} missing", path.display());
        let xml = part(path, "word/document.xml");
        Document { path: path.to_path_buf(), xml }
    }

    /// Every paragraph's text, tables' cells included, empty ones left out.
    fn paragraphs(&self) -> Vec<String> {
        elements(&self.xml, "w:p").into_iter().map(text_of).filter(|s| !s.is_empty()).collect()
    }

    fn has(&self, text: &str) -> bool {
        self.paragraphs().iter().any(|p| p == text)
    }

    fn assert_has(&self, text: &str) {
        assert!(self.has(text), "no paragraph {text:?} in {}: {:#?}", self.path.display(), self.paragraphs());
    }

    /// The rows of the `n`-th table, each cell's text (its paragraphs joined by "\n").
    fn table(&self, n: usize) -> Vec<Vec<String>> {
        let body = &self.xml[self.xml.find("<w:body>").unwrap()..];
        let tables = elements(body, "w:tbl");
        elements(tables[n], "w:tr")
            .into_iter()
            .map(|tr| {
                elements(tr, "w:tc")
                    .into_iter()
                    .map(|tc| elements(tc, "w:p").into_iter().map(text_of).filter(|s| !s.is_empty()).collect::<Vec<_>>().join("\n"))
                    .collect()
            })
            .collect()
    }

    /// Every section's properties, in order.
    fn sections(&self) -> Vec<&str> {
        elements(&self.xml, "w:sectPr")
    }
}

fn part(path: &Path, name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut s = String::new();
    zip.by_name(name).unwrap_or_else(|_| panic!("{name} not in {}", path.display())).read_to_string(&mut s).unwrap();
    s
}

fn run_ok(w: &Workdir, args: &[&str]) -> String {
    let out = w.cchc(args);
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.code().is_some_and(|c| c <= 1), "{err}");
    err
}

fn sample_run(w: &Workdir) {
    let input = Path::new(env!("CARGO_MANIFEST_DIR")).join("input");
    run_ok(w, &["run", "--input", input.to_str().unwrap(), "--output", "out"]);
}

/// The seed letter's facts, from cchc's own results: 90,74 (the sheet states 92,59; the
/// letter uses what the leaves add to and says so), first of 18, up 10 from 11th, each
/// area "x/y", and in its Phụ lục every leaf below its max with its score and cause.
#[test]
fn sample_triệu_trạch_2022_letter_states_the_seed_facts() {
    let w = Workdir::new();
    sample_run(&w);
    let d = Document::open(&w.path("out/2022/cong-van/trieu-trach-2022.docx"));
    // The letterhead: body and motto, number and subject, place and date left blank.
    let head = d.table(0);
    assert_eq!(head[0][0], "ỦY BAN NHÂN DÂN\nXÃ TRIỆU TRẠCH");
    assert_eq!(head[0][1], "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc");
    assert_eq!(head[1][0], "Số: …/UBND\nV/v khắc phục Chỉ số cải cách hành chính năm 2022");
    assert_eq!(head[1][1], "Triệu Trạch, ngày … tháng … năm …");
    d.assert_has("Kính gửi: Các cán bộ, công chức xã");
    // No decision in the sample's cchc.toml: its number and date stay blank.
    d.assert_has(
        "Căn cứ Quyết định số … ngày … của UBND huyện Triệu Phong về việc phê duyệt và công bố Chỉ số cải cách hành chính năm 2022 của UBND các xã, thị trấn. \
         Chỉ số CCHC năm 2022 của xã Triệu Trạch là 90,74 điểm, đạt loại tốt, đứng thứ nhất 1/18 xã, thị trấn, tăng 10 bậc, từ thứ 11 năm 2021 lên thứ 1 năm 2022 (Phụ lục đính kèm).",
    );
    assert!(d.paragraphs().iter().any(|p| p.starts_with("Lưu ý: biểu chấm điểm của xã Triệu Trạch năm 2022 có lỗi dữ liệu")));
    for line in TRIEU_TRACH_2022_AREAS {
        // Once in the letter, once in its Phụ lục.
        assert_eq!(d.paragraphs().iter().filter(|p| *p == line).count(), 2, "{line}");
    }
    // 11 leaves below max (the seed's nine and the sample's 3.5.1 and 3.8).
    assert!(d.paragraphs().iter().any(|p| p.contains("tổ chức khắc phục 11 tiêu chí thành phần chưa đạt điểm tối đa")));
    // The signature block: the title, the signer's name left blank without a unit list.
    let sign = d.table(1);
    assert!(sign[0][0].starts_with("Nơi nhận:\n- Như trên;\n- Lưu: VT."), "{sign:?}");
    assert_eq!(sign[0][1], "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\n…");

    // The Phụ lục.
    d.assert_has("PHỤ LỤC");
    d.assert_has("Kết quả Chỉ số CCHC năm 2022 của UBND xã Triệu Trạch, biện pháp khắc phục trong năm 2023");
    d.assert_has("(Đính kèm Công văn số …/UBND ngày … của UBND xã Triệu Trạch)");
    let table = d.table(2);
    assert_eq!(
        table[0],
        [
            "Lĩnh vực/Tiêu chí/Tiêu chí thành phần",
            "Điểm tối đa",
            "Điểm thẩm định",
            "Nguyên nhân không đạt điểm tối đa",
            "Phân công nhiệm vụ thực hiện và biện pháp khắc phục trong năm 2023",
            "Thời gian hoàn thành"
        ]
    );
    let rows: Vec<[&str; 3]> = table[1..].iter().map(|r| [r[0].split(' ').next().unwrap(), r[1].as_str(), r[2].as_str()]).collect();
    assert_eq!(
        rows,
        [
            ["I.", "21", "17,1"],
            ["1.1.3.", "2", "1,6"],
            ["1.2.", "4", "2,5"],
            ["1.5.3.", "1", "0"],
            ["1.6.", "2", "1"],
            ["II.", "12", "11,8"],
            ["2.4.4.", "2", "1,8"],
            ["III.", "25", "20,84"],
            ["3.5.1.", "3", "1,5"],
            ["3.8.", "2", "1,5"],
            ["3.12.", "1", "0"],
            ["3.13.1.", "1", "0,34"],
            ["3.13.3.", "0,5", "0"],
            ["VII.", "13", "12"],
            ["7.7.", "2", "1"],
        ]
    );
    let row = |code: &str| table.iter().find(|r| r[0].starts_with(code)).unwrap().clone();
    assert_eq!(row("1.1.3. ")[0], "1.1.3. Mức độ thực hiện kế hoạch CCHC");
    // The cause from the sheet's note, marked new (1.1.3 was at max in 2021) …
    assert_eq!(row("1.1.3. ")[3], "Hoàn thành 80% nhiệm vụ CCHC theo Kế hoạch\nMới bị trừ điểm so với năm 2021");
    // … or repeated (2.4.4 was 0/2 in 2021); the commune's two columns left empty.
    assert_eq!(row("2.4.4. ")[3], "Lặp lại từ năm 2021 (năm 2021 đạt 0/2)");
    assert_eq!([row("1.2. ")[4].as_str(), row("1.2. ")[5].as_str()], ["", ""]);
    assert_eq!(table.iter().filter(|r| r[3].contains("Lặp lại từ năm")).count(), 1);
    d.assert_has("3. Kết quả khắc phục so với năm 2021:");
}

/// A4 portrait for the letter, landscape for its Phụ lục, the decree's margins, page
/// numbers at the top from the second page, Times New Roman at 14 pt.
#[test]
fn documents_follow_the_state_format() {
    let w = Workdir::new();
    sample_run(&w);
    let letter = Document::open(&w.path("out/2022/cong-van/trieu-trach-2022.docx"));
    let sections = letter.sections();
    assert_eq!(sections.len(), 2, "{sections:#?}");
    let margins = r#"w:top="1134" w:right="851" w:bottom="1134" w:left="1701""#;
    assert!(sections[0].contains(r#"<w:pgSz w:w="11906" w:h="16838""#) && !sections[0].contains("landscape"), "{}", sections[0]);
    assert!(sections[1].contains(r#"<w:pgSz w:w="16838" w:h="11906" w:orient="landscape""#), "{}", sections[1]);
    for s in &sections {
        assert!(s.contains(margins), "{s}");
        assert!(s.contains(r#"<w:headerReference w:type="default""#), "{s}");
    }
    // The letter's first page has no number.
    assert!(sections[0].contains("<w:titlePg"), "{}", sections[0]);
    let path = w.path("out/2022/cong-van/trieu-trach-2022.docx");
    let header = part(&path, "word/header1.xml");
    assert!(header.contains("PAGE") && header.contains(r#"w:val="center""#), "{header}");
    let styles = part(&path, "word/styles.xml");
    assert!(styles.contains(r#"w:ascii="Times New Roman""#) && styles.contains(r#"<w:sz w:val="28""#), "{styles}");
    // Body paragraphs justified with a first-line indent.
    assert!(letter.xml.contains(r#"<w:jc w:val="both""#) && letter.xml.contains(r#"w:firstLine="567""#));

    // The Phụ lục's header row repeats on each page it runs onto.
    assert_eq!(letter.xml.matches("<w:tblHeader").count(), 1);
    assert!(!letter.xml.contains("<w:trHeight"), "a header row's mark left in the document");
    let annex = Document::open(&w.path("out/2022/phu-luc-xep-hang-2022.docx"));
    assert_eq!(annex.xml.matches("<w:tblHeader").count(), 2);
    let sections = annex.sections();
    assert_eq!(sections.len(), 1);
    assert!(sections[0].contains(r#"w:orient="landscape""#) && sections[0].contains(margins) && sections[0].contains("<w:titlePg"));
}

/// A district of three communes and one that sent nothing, with the office's settings:
/// the decision of the year, the letters' addressee, recipients and signer.
fn district(w: &Workdir) {
    w.write(
        "input/cchc.toml",
        "[office]\nname = \"UBND huyện Gio Linh\"\nsigner_title = \"PHÓ CHỦ TỊCH\"\nto = \"Các ban, ngành {loại}\"\n\
         recipients = [\"Như trên;\", \"UBND huyện (b/c);\", \"Lưu: VT.\"]\n\
         [office.decision.2022]\nnumber = \"112/QĐ-UBND\"\ndate = \"20/02/2023\"\n\
         [[units.unit]]\nname = \"An Phú\"\nkind = \"xã\"\nsigner = \"Nguyễn Văn An\"\n\
         [[units.unit]]\nname = \"Bình An\"\nkind = \"thị trấn\"\nplace = \"Gio Linh\"\n\
         [[units.unit]]\nname = \"Cửa Tùng\"\nkind = \"xã\"\n\
         [[units.unit]]\nname = \"Đông Hải\"\nkind = \"xã\"\n"
            .as_bytes(),
    );
    // An Phú and Cửa Tùng tie at 90 (2.2 lost 10 of 30 each); Bình An full marks.
    w.xlsx("input/2022/an_phu.xlsx", &[scoring_sheet("Biểu", Some("XÃ AN PHÚ"), 2022, &[("2.2", Val::Num(20.0))])]);
    w.xlsx("input/2022/binh_an.xlsx", &[scoring_sheet("Biểu", Some("THỊ TRẤN BÌNH AN"), 2022, &[])]);
    w.xlsx("input/2022/cua_tung.xlsx", &[scoring_sheet("Biểu", Some("XÃ CỬA TÙNG"), 2022, &[("2.2", Val::Num(20.0))])]);
}

#[test]
fn ranking_annex_lists_every_unit_ties_shared_and_the_missing() {
    let w = Workdir::new();
    district(&w);
    run_ok(&w, &["run"]);
    let d = Document::open(&w.path("output/2022/phu-luc-xep-hang-2022.docx"));
    d.assert_has("Phụ lục");
    d.assert_has("KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM 2022 CỦA UBND CÁC XÃ, THỊ TRẤN");
    d.assert_has("(Kèm theo Quyết định số 112/QĐ-UBND ngày 20/02/2023 của UBND huyện Gio Linh)");
    let table = d.table(0);
    // The areas under one heading, each with its max (I 40, II 60).
    assert_eq!(table[1][2..4], ["I (40)", "II (60)"], "{table:#?}");
    assert_eq!(table[0][0], "STT");
    assert_eq!(table[0][2], "Điểm từng lĩnh vực (điểm tối đa)");
    let tail = &table[0][table[0].len() - 4..];
    assert_eq!(tail, ["Chỉ số", "Xếp loại", "Xếp hạng", "So với năm 2021"]);
    let units: Vec<(String, String, String, String)> = table[2..]
        .iter()
        .map(|r| (r[0].clone(), r[1].clone(), r[r.len().saturating_sub(4)].clone(), r[r.len().saturating_sub(2)].clone()))
        .collect();
    assert_eq!(units[0], ("1".into(), "Thị trấn Bình An".into(), "100,00".into(), "1".into()));
    // The tie is shared, alphabetically listed.
    assert_eq!(units[1], ("2".into(), "Xã An Phú".into(), "90,00".into(), "2 (đồng hạng)".into()));
    assert_eq!(units[2], ("3".into(), "Xã Cửa Tùng".into(), "90,00".into(), "2 (đồng hạng)".into()));
    // The listed unit that sent nothing: named, not ranked.
    assert_eq!(table[5][..3], ["4", "Đông Hải", "Không nộp biểu chấm điểm, không xếp hạng"]);
    let summary = d.paragraphs().into_iter().find(|p| p.starts_with("Tổng hợp xếp loại:")).unwrap();
    assert_eq!(
        summary,
        "Tổng hợp xếp loại: Tốt 3 đơn vị (100,00%); Khá 0 đơn vị (0,00%); Trung bình 0 đơn vị (0,00%); Yếu 0 đơn vị (0,00%); không nộp biểu chấm điểm 1 đơn vị."
    );
}

#[test]
fn letters_print_the_office_settings_and_leave_blanks_for_the_rest() {
    let w = Workdir::new();
    district(&w);
    run_ok(&w, &["run"]);
    let an_phu = Document::open(&w.path("output/2022/cong-van/an-phu-2022.docx"));
    an_phu.assert_has("Kính gửi: Các ban, ngành xã");
    assert!(an_phu.paragraphs().iter().any(|p| p.starts_with(
        "Căn cứ Quyết định số 112/QĐ-UBND ngày 20/02/2023 của UBND huyện Gio Linh về việc phê duyệt và công bố Chỉ số cải cách hành chính năm 2022 của UBND các xã, thị trấn. Chỉ số CCHC năm 2022 của xã An Phú là 90 điểm, đạt loại tốt, đứng đồng hạng thứ 2 2/3 xã, thị trấn"
    )));
    let sign = an_phu.table(1);
    assert_eq!(sign[0][0], "Nơi nhận:\n- Như trên;\n- UBND huyện (b/c);\n- Lưu: VT.");
    assert_eq!(sign[0][1], "TM. ỦY BAN NHÂN DÂN\nPHÓ CHỦ TỊCH\nNguyễn Văn An");
    // Its place name from the unit list; no signer given: a blank.
    let binh_an = Document::open(&w.path("output/2022/cong-van/binh-an-2022.docx"));
    assert_eq!(binh_an.table(0)[1][1], "Gio Linh, ngày … tháng … năm …");
    assert_eq!(binh_an.table(1)[0][1], "TM. ỦY BAN NHÂN DÂN\nPHÓ CHỦ TỊCH\n…");
    binh_an.assert_has(
        "Năm 2022, thị trấn Bình An đạt điểm tối đa ở tất cả các tiêu chí thành phần được áp dụng; không có tiêu chí nào phải khắc phục.",
    );
    // One letter per unit that sent a sheet.
    let mut files: Vec<String> =
        std::fs::read_dir(w.path("output/2022/cong-van")).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    files.sort();
    assert_eq!(files, ["an-phu-2022.docx", "binh-an-2022.docx", "cua-tung-2022.docx"]);
}

#[test]
fn no_documents_and_the_documents_command() {
    let w = Workdir::new();
    district(&w);
    run_ok(&w, &["run", "--no-documents"]);
    assert!(w.path("output/2022/xep-hang-chi-so-cchc-2022.xlsx").is_file());
    assert!(!w.path("output/2022/cong-van").exists() && !w.path("output/2022/phu-luc-xep-hang-2022.docx").exists());

    // One unit's letter alone, into another folder; no annex.
    let out = w.cchc(&["documents", "--year", "2022", "--unit", "cua tung", "--output", "van-ban"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let listed = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(listed.lines().count(), 1, "{listed}");
    assert!(w.path("van-ban/2022/cong-van/cua-tung-2022.docx").is_file());
    assert!(!w.path("van-ban/2022/phu-luc-xep-hang-2022.docx").exists());
    // Every unit's letter and the annex.
    let out = w.cchc(&["documents", "--year", "2022", "--output", "van-ban"]);
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 4, "{}", String::from_utf8_lossy(&out.stderr));
    // An unknown unit is refused with its name.
    let out = w.cchc(&["documents", "--year", "2022", "--unit", "Hải Lăng", "--output", "van-ban"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("Hải Lăng"));
}

/// Both documents open in LibreOffice and print: the letter on its portrait page(s) then
/// the landscape Phụ lục, the annex on landscape pages. Skipped, saying so, where
/// LibreOffice is not installed.
#[test]
fn documents_render_in_libreoffice() {
    let Some(soffice) = ["soffice", "libreoffice"].into_iter().find(|c| std::process::Command::new(c).arg("--version").output().is_ok())
    else {
        eprintln!("documents_render_in_libreoffice: LibreOffice is not installed; skipped (sudo apt-get install libreoffice-writer-nogui)");
        return;
    };
    let w = Workdir::new();
    sample_run(&w);
    let pdf = w.path("pdf");
    let profile = format!("-env:UserInstallation=file://{}", w.path("lo-profile").display());
    let out = std::process::Command::new(soffice)
        .args([profile.as_str(), "--headless", "--convert-to", "pdf", "--outdir"])
        .arg(&pdf)
        .arg(w.path("out/2022/cong-van/trieu-trach-2022.docx"))
        .arg(w.path("out/2022/phu-luc-xep-hang-2022.docx"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    // Each page object of the PDF ("/Type/Page", not the "/Type/Pages" tree).
    let page = regex::Regex::new(r"/Type\s*/Page[^s]").unwrap();
    for (name, pages) in [("trieu-trach-2022.pdf", 3..=8), ("phu-luc-xep-hang-2022.pdf", 1..=2)] {
        let bytes = std::fs::read(pdf.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        let count = page.find_iter(&String::from_utf8_lossy(&bytes)).count();
        assert!(pages.contains(&count), "{name}: {count} pages");
    }
}
