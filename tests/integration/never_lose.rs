//! Nothing is lost, through the real binary: the inputs are never touched, an output
//! that cannot be replaced stops the run with a clear message and no leftovers, and
//! a failed run keeps the outputs of the run before it.

use crate::common::*;
use calamine::{Reader, open_workbook_auto};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// Output names, as `src/cli/run.rs` and `src/export.rs` write them.
const RANKING_2022: &str = "output/2022/xep-hang-chi-so-cchc-2022.xlsx";
const RANKING_2021: &str = "output/2021/xep-hang-chi-so-cchc-2021.xlsx";
const SCORES_CSV: &str = "output/scores.csv";
const OUTPUTS: [&str; 6] =
    [RANKING_2021, RANKING_2022, "output/scores.parquet", SCORES_CSV, "output/rankings.csv", "output/diagnostics.json"];

/// Every file under `dir`, by path relative to it.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let p = entry.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// Everything that identifies the state of a file.
#[derive(Debug, PartialEq)]
struct FileState {
    bytes: Vec<u8>,
    modified: SystemTime,
    readonly: bool,
}

/// Every file and folder under `dir` with its state (folders map to `None`).
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Option<FileState>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let p = entry.unwrap().path();
            let rel = p.strip_prefix(dir).unwrap().to_path_buf();
            if p.is_dir() {
                out.insert(rel, None);
                stack.push(p);
            } else {
                let meta = std::fs::metadata(&p).unwrap();
                let state = FileState {
                    bytes: std::fs::read(&p).unwrap(),
                    modified: meta.modified().unwrap(),
                    readonly: meta.permissions().readonly(),
                };
                out.insert(rel, Some(state));
            }
        }
    }
    out
}

/// Leftover temporary files of the atomic writes (`.<name>.<pid>.tmp`).
fn temporaries(dir: &Path) -> Vec<PathBuf> {
    files_under(dir)
        .into_iter()
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name.starts_with('.') || name.ends_with(".tmp")
        })
        .collect()
}

/// Two years of good sheets: every run exits 0.
fn two_years(w: &Workdir) {
    w.xlsx("input/2021/an phu.xlsx", &[scoring_sheet("Biểu", Some("XÃ AN PHÚ"), 2021, &[("2.2", Val::Num(20.0))])]);
    w.xlsx("input/2021/binh an.xlsx", &[scoring_sheet("Biểu", Some("XÃ BÌNH AN"), 2021, &[])]);
    w.xlsx("input/2022/an phu.xlsx", &[scoring_sheet("Biểu", Some("XÃ AN PHÚ"), 2022, &[("1.2", Val::Num(19.25))])]);
    w.xlsx("input/2022/binh an.xlsx", &[scoring_sheet("Biểu", Some("XÃ BÌNH AN"), 2022, &[("2.1", Val::Num(25.0))])]);
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Replaces an output file by a folder holding a file: it can no longer be replaced
/// (as an output kept open in Excel on Windows).
fn block(w: &Workdir, rel: &str) {
    let p = w.path(rel);
    std::fs::remove_file(&p).unwrap();
    std::fs::create_dir_all(p.join("giữ chỗ")).unwrap();
    std::fs::write(p.join("giữ chỗ/tệp.txt"), b"x").unwrap();
}

#[test]
fn inputs_are_never_modified() {
    let w = Workdir::new();
    two_years(&w);
    w.xlsx("input/2023/Đợt 1/an phu.xlsx", &[scoring_sheet("Biểu", Some("XÃ AN PHÚ"), 2023, &[("2.1", Val::Text("Không áp dụng"))])]);
    w.fixture("hai_an_2023.xls", "input/2023/Đợt 2/hai_an_2023.xls");
    w.fixture("hai_ba_2023.ods", "input/2023/Đợt 2/hai_ba_2023.ods");
    w.fixture("multisheet_2022.xlsx", "input/2022/multisheet_2022.xlsx");
    // The lock file of an open Excel, a note and a damaged workbook: skipped or reported, never touched.
    w.write("input/2023/Đợt 1/~$an phu.xlsx", b"\x0bNguyen Van A                                          ");
    w.write("input/2023/ghi chu.txt", "Biểu của xã Hải Quế gửi sau.".as_bytes());
    w.write("input/2023/hỏng.xlsx", b"PK\x03\x04 not really a zip");
    // Old modification times, so that any write would show.
    let old = SystemTime::now() - Duration::from_secs(400 * 24 * 3600);
    for f in files_under(&w.path("input")) {
        std::fs::File::options().append(true).open(&f).unwrap().set_modified(old).unwrap();
    }
    let before = snapshot(&w.path("input"));
    assert_eq!(before.values().filter(|s| s.is_some()).count(), 11, "{:?}", before.keys());

    let out = w.cchc(&["run"]);
    // The damaged workbook is an error in the data (exit 1); the run itself goes through.
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(w.path("output/2023/xep-hang-chi-so-cchc-2023.xlsx").is_file());
    for year in [2021, 2022, 2023] {
        let j = w.rank_json(year);
        assert!(!j["units"].as_array().unwrap().is_empty(), "{year}: {j}");
    }
    let hai_an = w.index_of(2023, "Hải An");
    assert!(hai_an > 0.0);
    let out = w.cchc(&["run", "--output", "output again"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));

    let after = snapshot(&w.path("input"));
    assert_eq!(after.keys().collect::<Vec<_>>(), before.keys().collect::<Vec<_>>(), "files appeared or disappeared in input/");
    for (rel, state) in &before {
        assert!(after[rel] == *state, "{} was modified", rel.display());
    }
}

#[test]
fn an_output_that_cannot_be_replaced_stops_the_run_cleanly() {
    let w = Workdir::new();
    two_years(&w);
    let out = w.cchc(&["run"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    block(&w, RANKING_2022);

    let out = w.cchc(&["run"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains(RANKING_2022), "the message must name the file: {err}");
    // A folder in the way is not a file held open: the system's reason, no advice about
    // closing it in Excel (that is for Windows' sharing violations, issue #27).
    assert!(err.contains("os error") && !err.contains("Excel"), "the message must give the reason: {err}");
    assert!(temporaries(&w.path("output")).is_empty(), "leftovers: {:?}", temporaries(&w.path("output")));
    // The folder in the way is left as it was.
    assert!(w.path(RANKING_2022).join("giữ chỗ/tệp.txt").is_file());
}

#[test]
fn a_failed_run_leaves_earlier_outputs_intact() {
    let w = Workdir::new();
    two_years(&w);
    let out = w.cchc(&["run"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    for f in OUTPUTS {
        assert!(w.path(f).is_file(), "{f} not written by the first run");
    }
    let first = snapshot(&w.path("output"));
    block(&w, SCORES_CSV);

    let out = w.cchc(&["run"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains(SCORES_CSV) && err.contains("os error") && !err.contains("Excel"), "{err}");
    assert!(temporaries(&w.path("output")).is_empty(), "leftovers: {:?}", temporaries(&w.path("output")));

    // Every other output of the first run is still there and whole.
    for f in OUTPUTS.iter().filter(|f| **f != SCORES_CSV) {
        let p = w.path(f);
        assert!(p.is_file(), "{f} lost by the failed run");
        let rel = p.strip_prefix(w.path("output")).unwrap().to_path_buf();
        let was = first[&rel].as_ref().unwrap();
        assert!(std::fs::metadata(&p).unwrap().len() > 0, "{f} is empty");
        // Written before the failure (same content) or untouched: never a part.
        if !f.ends_with(".xlsx") && !f.ends_with(".parquet") {
            assert_eq!(std::fs::read(&p).unwrap(), was.bytes, "{f} changed by the failed run");
        }
    }
    for f in [RANKING_2021, RANKING_2022] {
        let mut wb = open_workbook_auto(w.path(f)).unwrap_or_else(|e| panic!("{f} does not open: {e}"));
        assert!(wb.sheet_names().iter().any(|s| s == "Xếp hạng"), "{f}: {:?}", wb.sheet_names());
        let r = wb.worksheet_range("Xếp hạng").unwrap();
        let text: Vec<String> = r.rows().flat_map(|row| row.iter().map(|c| c.to_string())).collect();
        assert!(text.iter().any(|c| c == "An Phú") && text.iter().any(|c| c == "Bình An"), "{f}: {text:?}");
    }
    // The rankings are still those of the data.
    assert_eq!(w.ranking(2022).len(), 2);
}
