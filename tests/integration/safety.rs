//! Nothing the office does loses its files or ends in a backtrace (issue #27): the
//! sample never deletes what it did not write, a panic anywhere is exit 2 with a
//! Vietnamese message and outputs left whole, numbers no score can be are refused,
//! sums are exact, and error messages say what happened.

use crate::common::*;
use proptest::prelude::*;
use std::collections::BTreeMap;
use std::path::Path;

/// Every file under `dir`, relative, with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(dir: &Path, root: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, root, out);
            } else {
                out.insert(p.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/"), std::fs::read(&p).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    if dir.exists() {
        walk(dir, dir, &mut out);
    }
    out
}

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn sample(w: &Workdir, units: &str) -> std::process::Output {
    w.cchc(&["sample", "--output", "input", "--units", units, "--years", "2022,2023"])
}

#[test]
fn sample_replaces_only_what_an_earlier_sample_wrote() {
    let w = Workdir::new();
    assert!(sample(&w, "6").status.success());
    let first = snapshot(&w.path("input"));
    assert!(first.contains_key(".cchc-sample"));
    w.write("input/cchc.toml", b"[office]\nname = \"UBND huyen\"\n");
    // A smaller sample again: the earlier one's files go, the office's settings stay.
    let out = sample(&w, "4");
    assert!(out.status.success(), "{}", stderr(&out));
    let second = snapshot(&w.path("input"));
    assert_eq!(second["cchc.toml"], b"[office]\nname = \"UBND huyen\"\n");
    assert!(second.len() < first.len() + 1, "{:?}", second.keys());
    let listed = String::from_utf8(second[".cchc-sample"].clone()).unwrap();
    for rel in second.keys().filter(|k| *k != ".cchc-sample" && *k != "cchc.toml") {
        assert!(listed.contains(&format!("  {rel}\n")), "{rel} not listed");
    }
    // The same sample a third time changes nothing.
    assert!(sample(&w, "4").status.success());
    assert_eq!(snapshot(&w.path("input")), second);
}

/// The bug: `make sample` ended with `rm -rf input`, and an office's sheets went with it.
#[test]
fn sample_refuses_to_replace_an_office_file_and_deletes_nothing() {
    let w = Workdir::new();
    assert!(sample(&w, "4").status.success());
    w.xlsx("input/2026/bieu_xa_moi.xlsx", &[scoring_sheet("Biểu", Some("XÃ MỚI"), 2026, &[])]);
    let before = snapshot(&w.path("input"));
    let out = sample(&w, "4");
    assert_eq!(out.status.code(), Some(2));
    let msg = stderr(&out);
    assert!(msg.contains("2026/bieu_xa_moi.xlsx") && msg.contains("sẽ bị mất"), "{msg}");
    assert!(!msg.contains("Excel"), "{msg}");
    assert_eq!(snapshot(&w.path("input")), before, "nothing changed");
    // A sample file edited since is the office's too.
    std::fs::remove_file(w.path("input/2026/bieu_xa_moi.xlsx")).unwrap();
    let edited = before.keys().find(|k| k.starts_with("2023/") && k.ends_with(".xlsx")).unwrap().clone();
    w.write(&format!("input/{edited}"), b"changed");
    let out = sample(&w, "4");
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains(&edited), "{}", stderr(&out));
    assert_eq!(std::fs::read(w.path(&format!("input/{edited}"))).unwrap(), b"changed");
    // A folder that was never a sample, with any file in it, is refused as well.
    let v = Workdir::new();
    v.xlsx("input/2023/a.xlsx", &[scoring_sheet("Biểu", Some("XÃ AN PHÚ"), 2023, &[])]);
    assert_eq!(sample(&v, "4").status.code(), Some(2));
    assert_eq!(snapshot(&v.path("input")).len(), 1);
}

/// Outputs of a first run; then a score changes, so the next run's outputs differ.
fn ran_once(w: &Workdir) -> BTreeMap<String, Vec<u8>> {
    district_2022(w);
    let out = w.cchc(&["run", "--input", "input", "--output", "output"]);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    w.xlsx("input/2022/an_phu.xlsx", &[scoring_sheet("Biểu chấm điểm", Some("XÃ AN PHÚ"), 2022, &[("2.2", Val::Num(20.5))])]);
    snapshot(&w.path("output"))
}

fn crashed(w: &Workdir, fault: &str) -> String {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_cchc"))
        .args(["run", "--input", "input", "--output", "output"])
        .current_dir(w.root())
        .env("CCHC_FAULT", fault)
        .env("RUST_BACKTRACE", "1")
        .output()
        .unwrap();
    let msg = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{msg}");
    assert!(msg.contains("lỗi nội bộ") && msg.contains("người bảo trì"), "{msg}");
    assert!(!msg.contains("panicked") && !msg.contains("stack backtrace") && !msg.contains("RUST_BACKTRACE"), "{msg}");
    let log = std::fs::read_to_string(w.path("cchc-loi.log")).expect("the log is written in the working folder");
    assert!(log.contains("panicked at") && log.contains(&format!("CCHC_FAULT={fault}")), "{log}");
    assert!(msg.contains("cchc-loi.log"), "{msg}");
    msg
}

#[test]
fn a_panic_in_the_analysis_is_exit_2_and_changes_no_output() {
    let w = Workdir::new();
    let before = ran_once(&w);
    let msg = crashed(&w, "analyse");
    assert!(msg.contains("phân tích kết quả") && msg.contains("Chưa có tệp kết quả nào bị thay đổi"), "{msg}");
    assert_eq!(snapshot(&w.path("output")), before);
}

#[test]
fn a_panic_while_writing_leaves_every_output_whole() {
    let w = Workdir::new();
    let before = ran_once(&w);
    let msg = crashed(&w, "write:losses.csv");
    assert!(msg.contains("ghi các tệp kết quả") && msg.contains("Không có tệp nào bị ghi dở"), "{msg}");
    let after = snapshot(&w.path("output"));
    assert_eq!(after["tables/losses.csv"], before["tables/losses.csv"], "the file being written when it failed is the earlier one");
    assert_ne!(after["tables/losses.parquet"], before["tables/losses.parquet"], "the one written before it is the new one, whole");
    // The long table's two files are written together, batch by batch: a failure in
    // the CSV leaves both as they were.
    let w = Workdir::new();
    let before = ran_once(&w);
    crashed(&w, "write:scores.csv");
    let after = snapshot(&w.path("output"));
    assert_eq!((&after["scores.csv"], &after["scores.parquet"]), (&before["scores.csv"], &before["scores.parquet"]));
    assert!(after.keys().all(|k| !k.ends_with(".tmp")), "no temporary file left: {:?}", after.keys());
    assert_eq!(after.keys().collect::<Vec<_>>(), before.keys().collect::<Vec<_>>());
}

/// The bug: 9.2e18 in two cells saturated to i64::MAX and wrapped, giving 88,44.
#[test]
fn a_number_no_score_can_be_counts_0_and_is_named_with_its_cell() {
    let w = Workdir::new();
    w.xlsx(
        "input/2022/an_phu.xlsx",
        &[scoring_sheet("Biểu chấm điểm", Some("XÃ AN PHÚ"), 2022, &[("1.2", Val::Num(9.2e18)), ("2.1", Val::Num(9.2e18))])],
    );
    assert_eq!(w.index_of(2022, "An Phú"), 50.0, "1.2 (20) and 2.1 (30) count 0");
    let d = w.diagnostics();
    let big: Vec<_> = d.iter().filter(|d| d["kind"] == "number_too_large").collect();
    assert_eq!(big.len(), 4, "self and appraised cells of both rows: {big:?}");
    assert!(big.iter().all(|d| d["severity"] == "error" && d["cell"].is_string()), "{big:?}");
    assert!(big[0]["message"].as_str().unwrap().contains("số quá lớn"));
    assert!(!serde_json::to_string(&d).unwrap().contains("92233720368547758"));
}

const NAMES: [&str; 5] = ["An Phú", "Bình Minh", "Cát Tiên", "Dương Hòa", "Đông Sơn"];

/// Random sheets (numbers and comma-decimal text, two decimals) summed by the binary
/// equal the sum of their decimal digits, worked out here without floats.
#[test]
fn indexes_equal_an_independent_decimal_sum() {
    let leaf = |max: i64| (0..=max * 100, any::<bool>());
    let sheet = (leaf(10), leaf(10), leaf(20), leaf(30), leaf(30));
    let mut runner = proptest::test_runner::TestRunner::new(proptest::test_runner::Config { cases: 12, ..Default::default() });
    runner
        .run(&proptest::collection::vec(sheet, 1..6), |units| {
            let w = Workdir::new();
            let mut want = Vec::new();
            for (i, s) in units.iter().enumerate() {
                let leaves = [s.0, s.1, s.2, s.3, s.4];
                let text: Vec<String> = leaves.iter().map(|(h, _)| format!("{},{:02}", h / 100, h % 100)).collect();
                let cells: Vec<(&str, Val)> = LEAVES
                    .iter()
                    .zip(leaves.iter().zip(&text))
                    .map(|(code, ((h, as_text), txt))| {
                        (*code, if *as_text { Val::Text(Box::leak(txt.clone().into_boxed_str())) } else { Val::Num(*h as f64 / 100.0) })
                    })
                    .collect();
                let name = NAMES[i];
                w.xlsx(
                    &format!("input/2022/{i}.xlsx"),
                    &[scoring_sheet("Biểu", Some(&format!("XÃ {}", name.to_uppercase())), 2022, &cells)],
                );
                // The decimal digits as typed, summed as integers.
                let digits: i64 = text.iter().map(|t| t.replace(',', "").parse::<i64>().unwrap()).sum();
                want.push((name.to_string(), digits));
            }
            let got = w.ranking(2022);
            for (unit, hundredths) in want {
                let index = got.iter().find(|(u, _, _)| *u == unit).unwrap_or_else(|| panic!("{unit}: {got:?}")).1;
                prop_assert_eq!((index * 100.0).round() as i64, hundredths, "{}", unit);
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn error_messages_say_what_happened_and_blame_excel_only_for_a_held_file() {
    let w = Workdir::new();
    district_2022(&w);
    w.write("input/cchc.toml", b"");
    let out = w.cchc(&["init", "--input", "input"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("đã có") && !stderr(&out).contains("Excel"), "{}", stderr(&out));
    let out = w.cchc(&["sample", "--output", "x", "--units", "0"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!stderr(&out).contains("Excel") && !w.path("x").exists(), "{}", stderr(&out));
    // An output folder that is a file: the system's reason, no advice about Excel.
    w.write("blocked", b"");
    let out = w.cchc(&["run", "--input", "input", "--output", "blocked"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("blocked") && !stderr(&out).contains("Excel"), "{}", stderr(&out));
}

/// The bug: a fixture differing from its committed copy was written over it from inside
/// the tests. Now it fails, naming `make corpus`, and the committed file is untouched.
#[test]
fn a_fixture_that_differs_from_the_committed_corpus_fails_and_writes_nothing() {
    if std::env::var_os(WRITE_CORPUS).is_some() {
        return; // `make corpus` writes the corpus on purpose; this test is not for it.
    }
    let committed = Path::new(env!("CARGO_MANIFEST_DIR")).join(REAL_CORPUS).join("sixty-points");
    let before = snapshot(&committed);
    let rel = before.keys().find(|k| k.ends_with(".xlsx")).expect("a committed workbook").clone();
    let w = Workdir::new();
    let other = [scoring_sheet("Khác", Some("XÃ KHÁC"), 2024, &[])];
    let failed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| w.real("sixty-points", &format!("input/{rel}"), &other)));
    let message = panic_text(failed.expect_err("a differing fixture must fail"));
    assert!(message.contains("make corpus"), "{message}");
    assert_eq!(snapshot(&committed), before, "the committed corpus is left as it is");
}

/// The tests run with overflow checks and debug assertions on (the `checked` profile),
/// so invariants run and a sum that overflows stops instead of wrapping.
#[test]
fn tests_run_with_overflow_checks_and_debug_assertions() {
    const { assert!(cfg!(debug_assertions), "run the tests with `make test` (cargo test --profile checked)") };
    let big = std::hint::black_box(i64::MAX);
    assert!(std::panic::catch_unwind(|| big + std::hint::black_box(1)).is_err(), "i64 overflow wrapped");
    // The library too, whose arithmetic the checks are for.
    assert!(std::panic::catch_unwind(|| cchc::model::points::Points(big) + cchc::model::points::Points(1)).is_err());
}
