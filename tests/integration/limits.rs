//! Reading limits (issue #18): a folder of hostile files beside good sheets is read
//! within bounded memory, every hostile file is refused by name, and the good units'
//! results are the ones they have without the hostile files. Each limit is also
//! driven alone on the committed fixtures of every format, with the limit set just
//! under what the fixture needs, so each check can be seen to fail.

use crate::common::Workdir;
use cchc::read::limits::{Limit, Limits};
use cchc::read::workbook::{ReadError, read_workbook};
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

/// The limit that refused the fixture under `limits`.
fn refused(name: &str, limits: Limits) -> Limit {
    match read_workbook(&fixture(name), &limits) {
        Err(ReadError::OverLimit(o)) => o.limit,
        other => panic!("{name} not refused by a limit: {other:?}"),
    }
}

const FIXTURES: [&str; 3] = ["hai_que_2023.xlsx", "hai_an_2023.xls", "hai_ba_2023.ods"];

#[test]
fn every_format_is_read_within_the_default_limits() {
    for name in FIXTURES {
        let grids = read_workbook(&fixture(name), &Limits::default()).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(!grids.is_empty(), "{name}");
    }
}

#[test]
fn file_size_limit_refuses_before_reading() {
    for name in FIXTURES {
        let size = std::fs::metadata(fixture(name)).unwrap().len();
        assert_eq!(refused(name, Limits { file_bytes: size - 1, ..Limits::default() }), Limit::FileBytes { found: size, limit: size - 1 });
        assert!(
            read_workbook(&fixture(name), &Limits { file_bytes: size, ..Limits::default() }).is_ok(),
            "{name}: exactly the limit is read"
        );
    }
}

#[test]
fn sheet_limit_counts_the_sheets_of_every_format() {
    for name in FIXTURES {
        let sheets = read_workbook(&fixture(name), &Limits::default()).unwrap().len();
        let limit = sheets - 1;
        assert_eq!(refused(name, Limits { sheets: limit, ..Limits::default() }), Limit::Sheets { found: sheets, limit }, "{name}");
    }
}

#[test]
fn cell_limit_counts_what_each_reader_would_allocate() {
    for name in FIXTURES {
        assert_eq!(refused(name, Limits { cells: 100, ..Limits::default() }), Limit::Cells { limit: 100 }, "{name}");
    }
}

#[test]
fn text_limit_counts_the_text_of_every_format() {
    for name in FIXTURES {
        assert_eq!(refused(name, Limits { text_bytes: 200, ..Limits::default() }), Limit::TextBytes { limit: 200 }, "{name}");
    }
}

#[test]
fn cell_length_limit_names_the_sheet_and_cell() {
    for name in FIXTURES {
        let Err(ReadError::OverLimit(o)) = read_workbook(&fixture(name), &Limits { cell_chars: 10, ..Limits::default() }) else {
            panic!("{name} not refused");
        };
        assert!(matches!(o.limit, Limit::CellChars { limit: 10, found } if found > 10), "{name}: {o}");
        assert!(o.sheet.is_some() && o.cell.is_some(), "{name}: {o}");
    }
}

#[test]
fn zip_limits_count_parts_and_what_each_part_really_inflates_to() {
    for name in ["hai_que_2023.xlsx", "hai_ba_2023.ods"] {
        assert!(matches!(refused(name, Limits { zip_entries: 2, ..Limits::default() }), Limit::ZipEntries { limit: 2, .. }), "{name}");
        assert!(matches!(refused(name, Limits { part_bytes: 1000, ..Limits::default() }), Limit::PartBytes { limit: 1000, .. }), "{name}");
        // Every part under its own limit, too many bytes together.
        let each = Limits { part_bytes: 1 << 20, unpacked_bytes: 5000, ..Limits::default() };
        assert_eq!(refused(name, each), Limit::Unpacked { limit: 5000 }, "{name}");
    }
}

/// Not a test of its own: the small process [`Workdir::cchc_peak`] starts to measure one
/// `cchc` run (it does nothing unless that function started it).
#[cfg(unix)]
#[test]
fn peak_spawner() {
    crate::common::spawn_and_measure();
}

/// The measurement sees one run's own memory: a run that reads more uses more, and a
/// small run is measured small even though the test binary around it is large.
#[cfg(unix)]
#[test]
fn peak_memory_is_measured_per_run() {
    let w = Workdir::new();
    let out = w.cchc(&["sample", "--output", "input", "--units", "4", "--years", "2023"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let help = w.cchc_peak(&["--version"]);
    assert_eq!(help.code, Some(0), "{}", help.stderr);
    let run = w.cchc_peak(&["run", "--input", "input", "--output", "output"]);
    assert!(matches!(run.code, Some(0 | 1)), "{}", run.stderr);
    assert!(help.rss < 64 << 20, "cchc --version measured at {} MB: the test binary's pages are counted", help.rss >> 20);
    assert!(run.rss > help.rss, "a run reads more than --version: {} ≤ {}", run.rss, help.rss);
}

#[cfg(unix)]
#[test]
fn bomb_folder_refuses_every_hostile_file_by_name_within_a_gibibyte() {
    let clean = Workdir::new();
    let out = clean.cchc(&["sample", "--output", "input", "--units", "8", "--years", "2023"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let want = clean.ranking(2023);
    assert_eq!(want.len(), 8);

    let w = Workdir::new();
    let out = w.cchc(&["sample", "--output", "input", "--units", "8", "--years", "2023"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let bombs = cchc_sample::hostile::write_all(&w.path("input/2023")).unwrap();
    assert!(bombs.len() >= 12);
    let run = w.cchc_peak(&["run", "--input", "input", "--output", "output"]);
    assert_eq!(run.code, Some(1), "problems found, results written: {}", run.stderr);
    assert!(run.rss < 1 << 30, "the run used {} MB", run.rss >> 20);

    assert_eq!(w.ranking(2023), want, "the good units' results do not change beside the hostile files");
    let diagnostics: serde_json::Value = serde_json::from_slice(&std::fs::read(w.path("output/diagnostics.json")).unwrap()).unwrap();
    let diagnostics = diagnostics["diagnostics"].as_array().unwrap();
    for bomb in &bombs {
        let file = format!("2023/{}", bomb.file);
        let about: Vec<_> = diagnostics.iter().filter(|d| d["file"] == file.as_str()).collect();
        assert_eq!(about.len(), 1, "{file} ({}): {about:?}", bomb.what);
        assert_eq!(about[0]["kind"], bomb.kind, "{file}");
        assert_eq!(about[0]["severity"], "error", "{file}");
        let message = about[0]["message"].as_str().unwrap();
        assert!(message.contains(bomb.refused_by), "{file}: {message}");
    }
    let cell_of = |file: &str| diagnostics.iter().find(|d| d["file"] == file).map(|d| (d["sheet"].clone(), d["cell"].clone()));
    assert_eq!(cell_of("2023/o-qua-dai.xlsx"), Some(("Biểu".into(), "A1".into())));
}
