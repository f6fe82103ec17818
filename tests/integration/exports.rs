//! `cchc run`'s data exports: every analysis table as Parquet and CSV under
//! `output/tables/`, and the run manifest, checked against values worked out by hand.

use crate::common::*;
use polars::prelude::*;

/// 2022: An Phú loses 0,75 on 1.2; Bình An 5 on 2.1; Cửa Tùng 20 on 2.1.
fn district(w: &Workdir) {
    w.xlsx("input/2021/a.xlsx", &[scoring_sheet("Biểu", Some("XÃ AN PHÚ"), 2021, &[("2.2", Val::Num(20.0))])]);
    w.xlsx("input/2021/b.xlsx", &[scoring_sheet("Biểu", Some("XÃ BÌNH AN"), 2021, &[])]);
    w.xlsx("input/2022/a.xlsx", &[scoring_sheet("Biểu", Some("XÃ AN PHÚ"), 2022, &[("1.2", Val::Num(19.25))])]);
    w.xlsx("input/2022/b.xlsx", &[scoring_sheet("Biểu", Some("XÃ BÌNH AN"), 2022, &[("2.1", Val::Num(25.0))])]);
    w.xlsx("input/2022/c.xlsx", &[scoring_sheet("Biểu", Some("THỊ TRẤN CỬA TÙNG"), 2022, &[("2.1", Val::Num(10.0))])]);
}

fn parquet(w: &Workdir, stem: &str) -> DataFrame {
    let f = std::fs::File::open(w.path(&format!("output/tables/{stem}.parquet"))).unwrap();
    ParquetReader::new(f).finish().unwrap()
}

/// Rows of `df` for a year, as (string column, number column) pairs.
fn pairs(df: &DataFrame, year: i64, key: &str, value: &str) -> Vec<(String, f64)> {
    let df = df.clone().lazy().filter(col("year").eq(lit(year))).collect().unwrap();
    let keys = df.column(key).unwrap().str().unwrap().clone();
    let values = df.column(value).unwrap().cast(&DataType::Float64).unwrap();
    let values = values.f64().unwrap();
    keys.iter().zip(values.iter()).map(|(k, v)| (k.unwrap_or_default().to_string(), v.unwrap_or(f64::NAN))).collect()
}

#[test]
fn analysis_tables_hold_the_hand_computed_values() {
    let w = Workdir::new();
    district(&w);
    let out = w.cchc(&["run", "--no-appendices"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    for stem in ["rankings", "losses", "losses_district", "compare", "compare_stats", "gap", "stability", "trend"] {
        assert!(w.path(&format!("output/tables/{stem}.csv")).is_file(), "{stem}.csv missing");
    }
    let losses = parquet(&w, "losses");
    assert_eq!(pairs(&losses, 2022, "unit", "lost"), [("An Phú".into(), 0.75), ("Bình An".into(), 5.0), ("Cửa Tùng".into(), 20.0)]);
    assert_eq!(pairs(&losses, 2021, "code", "lost"), [("2.2".into(), 10.0)]);
    assert_eq!(pairs(&losses, 2022, "unit", "share_of_unit_loss")[0].1, 100.0);
    // District Pareto 2022: 2.1 lost 25 of 25,75 (97,09 %), then 1.2 (cumulative 100 %).
    let pareto = parquet(&w, "losses_district");
    assert_eq!(pairs(&pareto, 2022, "code", "lost")[..2], [("2.1".into(), 25.0), ("1.2".into(), 0.75)]);
    assert_eq!(pairs(&pareto, 2022, "code", "share")[0].1, 97.09);
    assert_eq!(pairs(&pareto, 2022, "code", "cumulative_share")[1].1, 100.0);
    assert_eq!(pairs(&pareto, 2022, "code", "units_losing")[0].1, 2.0);
    // Area I of An Phú 2022: 39,25 / 40 = 98,125 % → 98,13.
    let compare = parquet(&w, "compare")
        .lazy()
        .filter(col("level").eq(lit(1i64)).and(col("code").eq(lit("1"))).and(col("unit").eq(lit("An Phú"))))
        .collect()
        .unwrap();
    assert_eq!(pairs(&compare, 2022, "unit", "percent"), [("An Phú".into(), 98.13)]);
    // Without area II in 2022, Cửa Tùng (40/40) ties Bình An (40/40) at the top.
    let stability = parquet(&w, "stability").lazy().filter(col("area_left_out").eq(lit("2"))).collect().unwrap();
    let without: Vec<(String, f64)> = pairs(&stability, 2022, "unit", "rank_without");
    assert!(without.contains(&("Cửa Tùng".into(), 1.0)) && without.contains(&("Bình An".into(), 1.0)), "{without:?}");
    let trend = parquet(&w, "trend");
    assert_eq!(trend.height(), 5);
    // Self-assessment equals appraisal everywhere here: the gap table is a header only.
    assert_eq!(std::fs::read_to_string(w.path("output/tables/gap.csv")).unwrap(), "year,unit,code,name,self,appraised,gap\n");
    // CSV and Parquet carry the same rows.
    let csv = std::fs::read_to_string(w.path("output/tables/losses.csv")).unwrap();
    assert_eq!(csv.lines().count(), 1 + losses.height());
    assert!(csv.starts_with("year,unit,code,name,max,score,lost,share_of_unit_loss,note\n"), "{csv}");
}

/// `cchc losses --format json` lists the rows of losses.csv: the same columns, in order,
/// and the same values.
#[test]
fn a_commands_json_rows_are_its_tables_rows() {
    let w = Workdir::new();
    district(&w);
    let out = w.cchc(&["losses", "--year", "2022", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let out = w.cchc(&["losses", "--year", "2022", "--format", "csv"]);
    // Every cell as the text written, to compare with the JSON's.
    let csv = CsvReadOptions::default()
        .with_infer_schema_length(Some(0))
        .into_reader_with_file_handle(std::io::Cursor::new(out.stdout))
        .finish()
        .unwrap();
    let rows = json["losses"].as_array().unwrap();
    assert_eq!(rows.len(), 3, "{json:#}");
    assert_eq!(rows.len(), csv.height());
    let header: Vec<&str> = csv.get_column_names().iter().map(|n| n.as_str()).collect();
    for (i, row) in rows.iter().enumerate() {
        let keys: Vec<&str> = row.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys, header);
        for name in &header {
            let written = csv.column(name).unwrap().get(i).unwrap();
            let json = match &row[*name] {
                serde_json::Value::Null => AnyValue::Null,
                serde_json::Value::String(s) => AnyValue::String(s),
                n => AnyValue::StringOwned(n.to_string().into()),
            };
            assert_eq!(written.get_str(), json.get_str(), "row {i}, column {name}");
            assert_eq!(written.is_null(), json.is_null(), "row {i}, column {name}");
        }
    }
    assert_eq!(rows[1]["unit"], "Bình An");
    assert_eq!(rows[1]["lost"], 5.0);
    assert_eq!(rows[1]["share_of_unit_loss"], 100.0);
}

#[test]
fn manifest_lists_inputs_with_checksums_counts_and_outputs() {
    let w = Workdir::new();
    district(&w);
    w.write("input/2022/~$c.xlsx", b"lock");
    let out = w.cchc(&["run", "--no-appendices"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let m: serde_json::Value = serde_json::from_slice(&std::fs::read(w.path("output/manifest.json")).unwrap()).unwrap();
    assert_eq!(m["tool"], "cchc");
    assert_eq!(m["version"], env!("CARGO_PKG_VERSION"));
    let stamp = m["finished"].as_str().unwrap();
    assert!(stamp.len() == 20 && stamp.ends_with('Z') && stamp.as_bytes()[10] == b'T', "{stamp}");
    assert_eq!(m["counts"]["files_read"], 5);
    assert_eq!(m["counts"]["files_skipped"], 1);
    assert_eq!(m["counts"]["units"], 3);
    assert_eq!(m["counts"]["errors"], 0);
    assert_eq!(m["skipped"][0]["reason"], "lock_file");
    let inputs = m["inputs"].as_array().unwrap();
    assert_eq!(inputs.len(), 5);
    for i in inputs {
        let rel = i["path"].as_str().unwrap();
        let bytes = std::fs::read(w.path(&format!("input/{rel}"))).unwrap();
        assert_eq!(i["bytes"], bytes.len());
        assert_eq!(i["blake3"], blake3::hash(&bytes).to_hex().to_string(), "{rel}");
        assert_eq!(i["sheets"], 1);
    }
    assert_eq!(m["years"][1]["year"], 2022);
    assert_eq!(m["years"][1]["units"], 3);
    let outputs: Vec<&str> = m["outputs"].as_array().unwrap().iter().map(|o| o.as_str().unwrap()).collect();
    for f in ["2022/xep-hang-chi-so-cchc-2022.xlsx", "tables/losses.parquet", "scores.csv", "diagnostics.json"] {
        assert!(outputs.contains(&f), "{f} not in {outputs:?}");
    }
    assert_eq!(m["counts"]["outputs"], outputs.len());
}

#[test]
fn summary_counts_the_appendices_written() {
    let w = Workdir::new();
    district(&w);
    let out = w.cchc(&["run"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("Phụ lục khắc phục: 5 tệp"), "{stderr}");
    let out = w.cchc(&["run", "--no-appendices"]);
    assert!(!String::from_utf8_lossy(&out.stderr).contains("Phụ lục khắc phục"));
}

/// `make bench` reads the stage breakdown from this line: every stage the issue names,
/// each a number of seconds, and a total that is their sum (to the printed precision).
#[test]
fn timings_line_names_every_stage_and_adds_up() {
    let w = Workdir::new();
    district(&w);
    let stages = |args: &[&str]| -> Vec<(String, f64)> {
        let out = w.cchc(args);
        assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        let line = stderr.lines().find(|l| l.starts_with("timings:")).unwrap_or_else(|| panic!("no timings line in {stderr}"));
        line["timings:".len()..]
            .split_whitespace()
            .map(|kv| {
                let (k, v) = kv.split_once('=').unwrap_or_else(|| panic!("{kv} in {line}"));
                (k.to_string(), v.parse::<f64>().unwrap_or_else(|_| panic!("{kv} in {line}")))
            })
            .collect()
    };
    let check = |got: &[(String, f64)], want: &[&str]| {
        let names: Vec<&str> = got.iter().map(|(k, _)| k.as_str()).collect();
        for stage in want {
            assert!(names.contains(stage), "{stage} missing from {names:?}");
        }
        let (total, parts): (Vec<_>, Vec<_>) = got.iter().partition(|(k, _)| k == "total");
        assert_eq!(total.len(), 1, "{names:?}");
        let sum: f64 = parts.iter().map(|(_, v)| v).sum();
        assert!((sum - total[0].1).abs() <= 0.001 * parts.len() as f64, "{got:?}");
    };
    let without = stages(&["run", "--no-appendices", "--timings"]);
    check(&without, &["discover", "read", "validate", "analyse", "write"]);
    assert!(!without.iter().any(|(k, _)| k == "appendices"), "{without:?}");
    let with = stages(&["run", "--timings", "--output", "output2"]);
    check(&with, &["discover", "read", "validate", "analyse", "write", "appendices"]);
}

/// A command's `--format csv` is the export's table for that year: same columns, same
/// rows, same numbers (one table definition renders both).
#[test]
fn command_csv_is_the_exported_table_for_the_year() {
    let w = Workdir::new();
    district(&w);
    let out = w.cchc(&["run", "--no-appendices"]);
    assert!(out.status.code().is_some_and(|c| c < 2), "{}", String::from_utf8_lossy(&out.stderr));
    for (command, table) in [("losses", "losses"), ("gap", "gap"), ("stability", "stability")] {
        let exported = std::fs::read_to_string(w.path(&format!("output/tables/{table}.csv"))).unwrap();
        let mut lines = exported.lines();
        let header = lines.next().unwrap();
        let rows: Vec<&str> = lines.filter(|l| l.starts_with("2022,")).collect();
        let printed = String::from_utf8(w.cchc(&[command, "--year", "2022", "--format", "csv"]).stdout).unwrap();
        let printed: Vec<&str> = printed.lines().collect();
        assert_eq!(printed[0], header, "{command}");
        assert_eq!(printed[1..], rows[..], "{command}");
        assert!(!rows.is_empty() || command == "gap", "{command}: the district has rows");
    }
    let exported = std::fs::read_to_string(w.path("output/tables/trend.csv")).unwrap();
    let printed = String::from_utf8(w.cchc(&["trend", "--format", "csv"]).stdout).unwrap();
    assert_eq!(printed, exported);
}

/// Notes that a spreadsheet would run as formulas (OWASP "CSV injection").
const FORMULA_NOTES: [&str; 3] = ["=HYPERLINK(\"http://example.com\",\"xem\")", "@SUM(1+1)*cmd|\" /C calc\"!A0", "+84 912 000 000"];

/// An Phú loses on three leaves, each with one of [`FORMULA_NOTES`] as its note.
fn district_with_formula_notes(w: &Workdir) {
    let mut sheet =
        scoring_sheet("Biểu", Some("XÃ AN PHÚ"), 2022, &[("1.1.1", Val::Num(9.0)), ("1.2", Val::Num(19.0)), ("2.1", Val::Num(29.0))]);
    for (code, note) in ["1.1.1", "1.2", "2.1"].into_iter().zip(FORMULA_NOTES) {
        let row = sheet.rows.iter_mut().find(|r| matches!(r.first(), Some(Cell::Text(c)) if c == code)).unwrap();
        row[6] = t(note);
    }
    w.xlsx("input/2022/a.xlsx", &[sheet]);
    w.xlsx("input/2022/b.xlsx", &[scoring_sheet("Biểu", Some("XÃ BÌNH AN"), 2022, &[])]);
}

#[test]
fn no_csv_cell_starts_a_formula_and_other_formats_keep_the_text() {
    let w = Workdir::new();
    district_with_formula_notes(&w);
    let out = w.cchc(&["run", "--input", "input", "--output", "output"]);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", String::from_utf8_lossy(&out.stderr));
    // Every CSV written: the run's and the commands'.
    let mut csvs: Vec<(String, String)> = files_under(&w.path("output"), "csv")
        .into_iter()
        .map(|p| (p.display().to_string(), std::fs::read_to_string(&p).unwrap()))
        .collect();
    let losses = w.cchc(&["losses", "--year", "2022", "--input", "input", "--format", "csv"]);
    csvs.push(("cchc losses --format csv".into(), String::from_utf8(losses.stdout).unwrap()));
    for (name, text) in &csvs {
        let mut reader = text.lines();
        reader.next();
        for line in reader {
            for field in split_csv(line) {
                let starts_formula =
                    field.starts_with(['=', '+', '@', '\t', '\r']) || (field.starts_with('-') && field.parse::<f64>().is_err());
                assert!(!starts_formula, "{name}: {field:?}");
            }
        }
    }
    let scores = std::fs::read_to_string(w.path("output/scores.csv")).unwrap();
    let losses = std::fs::read_to_string(w.path("output/tables/losses.csv")).unwrap();
    for note in FORMULA_NOTES {
        let quoted = format!("'{note}").replace('"', "\"\"");
        assert!(scores.contains(&quoted), "scores.csv: {note}");
        assert!(losses.contains(&quoted), "losses.csv: {note}");
    }

    // Parquet and JSON keep the text as it was.
    let df = parquet(&w, "losses");
    let notes: Vec<String> = df.column("note").unwrap().str().unwrap().iter().flatten().map(str::to_string).collect();
    for note in FORMULA_NOTES {
        assert!(notes.iter().any(|n| n == note), "losses.parquet: {note} in {notes:?}");
    }
    let json = w.cchc(&["losses", "--year", "2022", "--input", "input", "--format", "json"]);
    let json = String::from_utf8(json.stdout).unwrap();
    for note in FORMULA_NOTES {
        assert!(json.contains(&serde_json::to_string(note).unwrap()), "losses json: {note}");
    }

    // Workbooks write the notes as strings, never as formulas.
    use calamine::{Reader, open_workbook_auto};
    let mut seen = 0;
    let mut dirs = vec![w.path("output")];
    while let Some(d) = dirs.pop() {
        for e in std::fs::read_dir(d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                dirs.push(p);
                continue;
            }
            if p.extension().is_none_or(|x| x != "xlsx") {
                continue;
            }
            let mut wb = open_workbook_auto(&p).unwrap();
            for name in wb.sheet_names() {
                let formulas = wb.worksheet_formula(&name).unwrap();
                let live = formulas.used_cells().find(|(_, _, f)| ["HYPERLINK", "SUM(1+1)", "912"].iter().any(|n| f.contains(n)));
                assert!(live.is_none(), "{}: a note written as a formula: {live:?}", p.display());
                let range = wb.worksheet_range(&name).unwrap();
                seen += range
                    .used_cells()
                    .filter(|(_, _, v)| matches!(v, calamine::Data::String(s) if FORMULA_NOTES.iter().any(|n| s.contains(n))))
                    .count();
            }
        }
    }
    assert!(seen >= 3, "the notes appear as text in the workbooks ({seen})");
}

/// Every file under `dir` (at any depth) with this extension.
fn files_under(dir: &std::path::Path, ext: &str) -> Vec<std::path::PathBuf> {
    let (mut out, mut dirs) = (Vec::new(), vec![dir.to_path_buf()]);
    while let Some(d) = dirs.pop() {
        for p in std::fs::read_dir(d).unwrap().flatten().map(|e| e.path()) {
            if p.is_dir() {
                dirs.push(p);
            } else if p.extension().is_some_and(|x| x == ext) {
                out.push(p);
            }
        }
    }
    out
}

/// The fields of one CSV line (quotes as polars writes them).
fn split_csv(line: &str) -> Vec<String> {
    let (mut fields, mut field, mut quoted, mut chars) = (Vec::new(), String::new(), false, line.chars().peekable());
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => fields.push(std::mem::take(&mut field)),
            _ => field.push(c),
        }
    }
    fields.push(field);
    fields
}
