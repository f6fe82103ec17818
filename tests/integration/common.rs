//! Test harness: a temporary working folder, fixture workbooks written with
//! rust_xlsxwriter, and the real `cchc` binary run on them (as xsv's `Workdir`).
#![allow(dead_code)]

use rust_xlsxwriter::{Format, Workbook};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A cell of a fixture sheet.
#[derive(Debug, Clone)]
pub enum Cell {
    Empty,
    Text(String),
    Num(f64),
    Formula(String),
}

/// Text cell.
pub fn t(s: &str) -> Cell {
    if s.is_empty() { Cell::Empty } else { Cell::Text(s.to_string()) }
}

/// Number cell.
pub fn n(v: f64) -> Cell {
    Cell::Num(v)
}

/// One fixture sheet.
#[derive(Debug, Clone, Default)]
pub struct Sheet {
    pub name: String,
    pub rows: Vec<Vec<Cell>>,
    /// (first_row, first_col, last_row, last_col); the top-left cell's value is used.
    pub merges: Vec<(u32, u16, u32, u16)>,
    /// Columns hidden in Excel (their cells are still written).
    pub hidden_cols: Vec<u16>,
}

impl Sheet {
    pub fn new(name: &str, rows: Vec<Vec<Cell>>) -> Sheet {
        Sheet { name: name.to_string(), rows, merges: Vec::new(), hidden_cols: Vec::new() }
    }
}

/// The small framework the tests compute by hand: two areas, total 100.
/// (code, name, max)
pub const FRAMEWORK: [(&str, &str, f64); 8] = [
    ("I", "Công tác chỉ đạo, điều hành cải cách hành chính", 40.0),
    ("1.1", "Kế hoạch cải cách hành chính", 20.0),
    ("1.1.1", "Ban hành kế hoạch kịp thời", 10.0),
    ("1.1.2", "Mức độ thực hiện kế hoạch", 10.0),
    ("1.2", "Báo cáo cải cách hành chính định kỳ", 20.0),
    ("II", "Cải cách thủ tục hành chính", 60.0),
    ("2.1", "Công khai thủ tục hành chính", 30.0),
    ("2.2", "Kết quả giải quyết hồ sơ", 30.0),
];

/// Leaves of [`FRAMEWORK`].
pub const LEAVES: [&str; 5] = ["1.1.1", "1.1.2", "1.2", "2.1", "2.2"];

/// A leaf's appraised score in a fixture.
#[derive(Debug, Clone)]
pub enum Val {
    Full,
    Num(f64),
    Text(&'static str),
}

/// The max of a framework code.
pub fn max_of(code: &str) -> f64 {
    FRAMEWORK.iter().find(|(c, _, _)| *c == code).map(|(_, _, m)| *m).unwrap()
}

/// A conventional single-row-header scoring sheet: title naming the unit (if any),
/// code column, appraised = self unless given, leaves full unless `scores` says.
pub fn scoring_sheet(name: &str, title_unit: Option<&str>, year: i32, scores: &[(&str, Val)]) -> Sheet {
    let mut rows = vec![];
    if let Some(u) = title_unit {
        rows.push(vec![t(&format!("ỦY BAN NHÂN DÂN\n{u}")), t(""), t("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")]);
    }
    rows.push(vec![t(&format!("BIỂU TỰ ĐÁNH GIÁ, CHẤM ĐIỂM CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {year}"))]);
    rows.push(vec![]);
    rows.push(vec![
        t("STT"),
        t("Lĩnh vực/Tiêu chí/Tiêu chí thành phần"),
        t("Điểm tối đa"),
        t("Điểm tự đánh giá"),
        t("Điểm thẩm định"),
        t("Tài liệu kiểm chứng"),
        t("Ghi chú"),
    ]);
    for (code, cname, max) in FRAMEWORK {
        let mut row = vec![t(code), t(cname), n(max)];
        if LEAVES.contains(&code) {
            let v = scores.iter().find(|(c, _)| *c == code).map(|(_, v)| v.clone()).unwrap_or(Val::Full);
            let cell = match v {
                Val::Full => n(max),
                Val::Num(x) => n(x),
                Val::Text(s) => t(s),
            };
            row.push(cell.clone());
            row.push(cell);
            row.push(t(""));
            row.push(if matches!(v, Val::Num(x) if x < max) { t("Chưa đạt yêu cầu") } else { t("") });
        }
        rows.push(row);
    }
    rows.push(vec![t(""), t("TỔNG CỘNG"), n(100.0)]);
    Sheet::new(name, rows)
}

/// A consolidated matrix of [`FRAMEWORK`] (sheet "Tổng hợp") under its title: the header
/// rows given, then each criterion row with, on a leaf, one cell per unit from
/// `score(unit, code, max)`.
pub fn matrix_sheet(headers: Vec<Vec<Cell>>, units: usize, score: impl Fn(usize, &str, f64) -> f64) -> Sheet {
    let mut rows = vec![vec![t("BẢNG TỔNG HỢP KẾT QUẢ THẨM ĐỊNH NĂM 2023")]];
    rows.extend(headers);
    for (code, name, max) in FRAMEWORK {
        let mut row = vec![t(code), t(name), n(max)];
        if LEAVES.contains(&code) {
            row.extend((0..units).map(|u| n(score(u, code, max))));
        }
        rows.push(row);
    }
    Sheet::new("Tổng hợp", rows)
}

/// Framework total 100: I (1.1.1 10, 1.1.2 10, 1.2 20) and II (2.1 30, 2.2 30).
///
/// 2022, by hand:
/// - Dương Hòa: full but 1.2 = 18 → 98,00 → rank 1.
/// - An Phú: 2.2 = 25,5 → 95,50.
/// - Bình Minh: 1.1.1 = 9,5 and 1.2 = 16 → 95,50 (same total, other leaves).
/// - Cát Tiên: 2.1 not applicable (max 70), 2.2 = 26,85 → 66,85 / 70 = 95,50 exactly
///   (in f64, 66.85 / 70 × 100 = 95.49999…: the tie only holds in exact arithmetic).
/// - Đông Sơn: 2.1 = 20, 2.2 = 20 → 80,00 → Khá, rank 5.
/// - Ea Kar: 1.1.1 = 0, 1.1.2 = 0, 1.2 = 10, 2.1 = 15, 2.2 = 20,4 → 45,40 → Yếu.
///
/// Ranks: 1, 2, 2, 2, 5, 6. Ties are listed in Vietnamese order: An, Bình, Cát.
pub fn district_2022(w: &Workdir) {
    w.xlsx("input/2022/duong_hoa.xlsx", &[scoring_sheet("Biểu chấm điểm", Some("XÃ DƯƠNG HÒA"), 2022, &[("1.2", Val::Num(18.0))])]);
    w.xlsx("input/2022/an_phu.xlsx", &[scoring_sheet("Biểu chấm điểm", Some("XÃ AN PHÚ"), 2022, &[("2.2", Val::Num(25.5))])]);
    w.xlsx(
        "input/2022/binh_minh.xlsx",
        &[scoring_sheet("Biểu chấm điểm", Some("THỊ TRẤN BÌNH MINH"), 2022, &[("1.1.1", Val::Num(9.5)), ("1.2", Val::Num(16.0))])],
    );
    w.xlsx(
        "input/2022/cat_tien.xlsx",
        &[scoring_sheet("Biểu chấm điểm", Some("XÃ CÁT TIÊN"), 2022, &[("2.1", Val::Text("Không áp dụng")), ("2.2", Val::Num(26.85))])],
    );
    w.xlsx(
        "input/2022/dong_son.xlsx",
        &[scoring_sheet("Biểu chấm điểm", Some("XÃ ĐÔNG SƠN"), 2022, &[("2.1", Val::Num(20.0)), ("2.2", Val::Num(20.0))])],
    );
    w.xlsx(
        "input/2022/ea_kar.xlsx",
        &[scoring_sheet(
            "Biểu chấm điểm",
            Some("XÃ EA KAR"),
            2022,
            &[
                ("1.1.1", Val::Num(0.0)),
                ("1.1.2", Val::Num(0.0)),
                ("1.2", Val::Num(10.0)),
                ("2.1", Val::Num(15.0)),
                ("2.2", Val::Num(20.4)),
            ],
        )],
    );
}

/// A working folder with an `input/` tree and the binary to run in it.
pub struct Workdir {
    dir: tempfile::TempDir,
}

impl Workdir {
    pub fn new() -> Workdir {
        Workdir { dir: tempfile::tempdir().expect("temp dir") }
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// A path under the working folder.
    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// Writes an .xlsx under the working folder.
    pub fn xlsx(&self, rel: &str, sheets: &[Sheet]) {
        write_xlsx(&self.path(rel), sheets);
    }

    /// Writes a fixture rebuilding a real sheet's structure (issue #15) into the working
    /// folder, and checks it against the committed corpus, `tests/fixtures/real/<scenario>/`
    /// (`rel` without its "input/"): each scenario there is an input folder `cchc` can be
    /// run on. Tests never write into the tree: a fixture that differs from its committed
    /// copy fails, and `make corpus` (which sets `CCHC_WRITE_CORPUS`) writes the corpus anew.
    pub fn real(&self, scenario: &str, rel: &str, sheets: &[Sheet]) {
        self.xlsx(rel, sheets);
        self.to_corpus(scenario, rel);
    }

    /// [`Workdir::real`] for a file given as bytes (a framework file, a cchc.toml).
    pub fn real_write(&self, scenario: &str, rel: &str, bytes: &[u8]) {
        self.write(rel, bytes);
        self.to_corpus(scenario, rel);
    }

    fn to_corpus(&self, scenario: &str, rel: &str) {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static TMP: AtomicUsize = AtomicUsize::new(0);
        let bytes = std::fs::read(self.path(rel)).unwrap();
        let dest = Path::new(env!("CARGO_MANIFEST_DIR")).join(REAL_CORPUS).join(scenario).join(rel.strip_prefix("input/").unwrap_or(rel));
        if std::fs::read(&dest).ok().as_deref() == Some(&bytes[..]) {
            return;
        }
        assert!(
            std::env::var_os(WRITE_CORPUS).is_some(),
            "{}: the committed corpus differs from what this test writes; run `make corpus` and commit the change",
            dest.display()
        );
        std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
        // Another test may write the same file at once: whole files only.
        let tmp = dest.with_extension(format!("tmp-{}-{}", std::process::id(), TMP.fetch_add(1, Ordering::Relaxed)));
        std::fs::write(&tmp, &bytes).unwrap();
        std::fs::rename(&tmp, &dest).unwrap();
    }

    /// Writes raw bytes under the working folder.
    pub fn write(&self, rel: &str, bytes: &[u8]) {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }

    /// Copies a committed fixture from tests/fixtures.
    pub fn fixture(&self, name: &str, rel: &str) {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name);
        self.write(rel, &std::fs::read(src).expect("fixture"));
    }

    /// Runs the real binary in the working folder.
    pub fn cchc(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_cchc")).args(args).current_dir(self.dir.path()).output().expect("run cchc")
    }

    /// Runs `cchc rank --year Y --format json` and parses it.
    pub fn rank_json(&self, year: i32) -> serde_json::Value {
        let out = self.cchc(&["rank", "--year", &year.to_string(), "--format", "json"]);
        assert!(out.status.success(), "rank failed: {}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice(&out.stdout).expect("json")
    }

    /// Runs `cchc validate --format json` and returns its diagnostics.
    pub fn diagnostics(&self) -> Vec<serde_json::Value> {
        let out = self.cchc(&["validate", "--format", "json"]);
        let j: serde_json::Value = serde_json::from_slice(&out.stdout).expect("validate json");
        j["diagnostics"].as_array().expect("diagnostics").clone()
    }

    /// Units of a rank JSON as (unit, index, rank).
    pub fn ranking(&self, year: i32) -> Vec<(String, f64, u64)> {
        let j = self.rank_json(year);
        j["units"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| (u["unit"].as_str().unwrap().to_string(), u["index"].as_f64().unwrap(), u["rank"].as_u64().unwrap()))
            .collect()
    }

    /// The index of one unit in a year's ranking.
    pub fn index_of(&self, year: i32, unit: &str) -> f64 {
        self.ranking(year)
            .into_iter()
            .find(|(u, _, _)| u == unit)
            .unwrap_or_else(|| panic!("{unit} not ranked in {year}: {:?}", self.ranking(year)))
            .1
    }
}

/// The committed corpus of real structures, under the crate.
pub const REAL_CORPUS: &str = "tests/fixtures/real";

/// Set by `make corpus`: the tests write the corpus instead of checking it.
pub const WRITE_CORPUS: &str = "CCHC_WRITE_CORPUS";

/// Set in the small process that measures a child's peak memory ([`Workdir::cchc_peak`]).
pub const PEAK_ENV: &str = "CCHC_PEAK_RUN";

/// What [`Workdir::cchc_peak`] measured.
pub struct Peak {
    /// The exit code.
    pub code: Option<i32>,
    /// The largest resident set of the `cchc` process alone, in bytes.
    pub rss: u64,
    /// What it printed on stderr.
    pub stderr: String,
}

impl Workdir {
    /// Runs the real binary and measures its peak memory alone. `getrusage(RUSAGE_CHILDREN)`
    /// would count every child of the test binary, and a process forked from the test
    /// binary starts with its pages counted, so the child is spawned from a small process
    /// (this test binary again, running only `limits::peak_spawner`) that reads the child's
    /// own usage with `wait4`.
    pub fn cchc_peak(&self, args: &[&str]) -> Peak {
        let report = self.path(".peak");
        let out = Command::new(std::env::current_exe().expect("test binary"))
            .args(["--exact", "limits::peak_spawner", "--nocapture", "--test-threads", "1"])
            .env(PEAK_ENV, args.join("\u{1f}"))
            .env("CCHC_PEAK_DIR", self.root())
            .env("CCHC_PEAK_REPORT", &report)
            .output()
            .expect("run the test binary again");
        let text = std::fs::read_to_string(&report)
            .unwrap_or_else(|_| panic!("the spawner left no report: {}", String::from_utf8_lossy(&out.stderr)));
        let (code, rss) = text.trim().split_once(' ').expect("code and rss");
        Peak {
            code: code.parse().ok(),
            rss: rss.parse().expect("rss"),
            stderr: std::fs::read_to_string(self.path(".peak-stderr")).unwrap_or_default(),
        }
    }
}

/// In the small process of [`Workdir::cchc_peak`]: spawns `cchc`, waits for it with
/// `wait4` and writes "<exit code> <peak bytes>" to the report file.
#[cfg(unix)]
pub fn spawn_and_measure() {
    let Ok(args) = std::env::var(PEAK_ENV) else { return };
    let dir = PathBuf::from(std::env::var_os("CCHC_PEAK_DIR").expect("dir"));
    let report = PathBuf::from(std::env::var_os("CCHC_PEAK_REPORT").expect("report"));
    // Waited for by wait4 below, which std cannot do: it reaps the child.
    #[allow(clippy::zombie_processes)]
    let child = Command::new(env!("CARGO_BIN_EXE_cchc"))
        .args(args.split('\u{1f}'))
        .current_dir(&dir)
        .stdout(std::process::Stdio::null())
        .stderr(std::fs::File::create(dir.join(".peak-stderr")).unwrap())
        .spawn()
        .expect("spawn cchc");
    let mut status = 0;
    // SAFETY: wait4 writes only the status and the rusage it is given.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    assert_eq!(pid, child.id() as libc::pid_t, "wait4");
    let code = if libc::WIFEXITED(status) { libc::WEXITSTATUS(status).to_string() } else { "signal".to_string() };
    std::fs::write(report, format!("{code} {}", usage.ru_maxrss as u64 * 1024)).unwrap();
}

/// Writes sheets to an .xlsx file (dated 2024-01-01, so equal sheets give equal bytes).
pub fn write_xlsx(path: &Path, sheets: &[Sheet]) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let mut wb = Workbook::new();
    let date = rust_xlsxwriter::ExcelDateTime::from_ymd(2024, 1, 1).unwrap();
    wb.set_properties(&rust_xlsxwriter::DocProperties::new().set_creation_datetime(&date));
    let plain = Format::new();
    for s in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(&s.name).unwrap();
        for (r, row) in s.rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let (r, c) = (r as u32, c as u16);
                if s.merges.iter().any(|m| m.0 == r && m.1 == c) {
                    continue;
                }
                match cell {
                    Cell::Empty => {}
                    Cell::Text(v) => {
                        ws.write_string(r, c, v).unwrap();
                    }
                    Cell::Num(v) => {
                        ws.write_number(r, c, *v).unwrap();
                    }
                    Cell::Formula(f) => {
                        ws.write_formula(r, c, f.as_str()).unwrap();
                    }
                }
            }
        }
        for &(r1, c1, r2, c2) in &s.merges {
            let text = match s.rows.get(r1 as usize).and_then(|row| row.get(c1 as usize)) {
                Some(Cell::Text(v)) => v.clone(),
                _ => String::new(),
            };
            ws.merge_range(r1, c1, r2, c2, &text, &plain).unwrap();
            if let Some(Cell::Num(v)) = s.rows.get(r1 as usize).and_then(|row| row.get(c1 as usize)) {
                ws.write_number(r1, c1, *v).unwrap();
            }
        }
        for &c in &s.hidden_cols {
            ws.set_column_hidden(c).unwrap();
        }
    }
    wb.save(path).unwrap();
}

/// The text of a caught panic.
pub fn panic_text(p: Box<dyn std::any::Any + Send>) -> String {
    p.downcast_ref::<String>().cloned().or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string())).unwrap_or_default()
}

/// The committed sample's Triệu Trạch 2022, one line per area, as the seed letter lists
/// them (its appendix workbook and its letter both print them).
pub const TRIEU_TRACH_2022_AREAS: [&str; 7] = [
    "- Tiêu chí thứ 1: Công tác chỉ đạo, điều hành cải cách hành chính, đạt 17,1/21 điểm;",
    "- Tiêu chí thứ 2: Theo dõi thi hành pháp luật, xây dựng và tổ chức thực hiện văn bản quy phạm pháp luật, đạt 11,8/12 điểm;",
    "- Tiêu chí thứ 3: Cải cách thủ tục hành chính, thực hiện cơ chế một cửa, đạt 20,84/25 điểm;",
    "- Tiêu chí thứ 4: Cải cách tổ chức bộ máy hành chính nhà nước, đạt 7/7 điểm;",
    "- Tiêu chí thứ 5: Cải cách chế độ công vụ, đạt 12/12 điểm;",
    "- Tiêu chí thứ 6: Thực hiện cải cách tài chính công, đạt 10/10 điểm;",
    "- Tiêu chí thứ 7: Xây dựng và phát triển Chính phủ điện tử, Chính phủ số, đạt 12/13 điểm.",
];
