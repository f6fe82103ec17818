//! `cchc sample` writes a district that `cchc run` reads completely, and Triệu Trạch's
//! 2022 sheet reproduces the seed letter: 90,74 computed, 92,59 stated, 1st of 18,
//! up 10 places from 11th.

use crate::common::*;

#[test]
fn sample_district_round_trips_through_the_pipeline() {
    let w = Workdir::new();
    let out = w.cchc(&["sample", "--output", "input", "--units", "18", "--years", "2021,2022,2023", "--seed", "2022"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    // Several real-world shapes: .xlsx and .xls at least.
    let mut exts = std::collections::BTreeSet::new();
    for year in ["2021", "2022", "2023"] {
        for e in walk(&w.path(&format!("input/{year}"))) {
            if let Some(x) = e.extension() {
                exts.insert(x.to_string_lossy().to_lowercase());
            }
        }
    }
    assert!(exts.contains("xlsx") && exts.contains("xls"), "{exts:?}");

    for year in [2021, 2022, 2023] {
        assert_eq!(w.ranking(year).len(), 18, "{year}");
    }
    let j = w.rank_json(2022);
    let tt = j["units"].as_array().unwrap().iter().find(|u| u["unit"] == "Triệu Trạch").unwrap().clone();
    assert_eq!(tt["index"], 90.74);
    assert_eq!(tt["rank"], 1);
    assert_eq!(tt["rank_change"], 10);
    assert_eq!(tt["band"], "Tốt");
    let areas: Vec<f64> = (1..=7).map(|a| tt["areas"][a.to_string()].as_f64().unwrap()).collect();
    assert_eq!(areas, [17.1, 11.8, 20.84, 7.0, 12.0, 10.0, 12.0]);

    let out = w.cchc(&["run"]);
    assert_eq!(out.status.code(), Some(1), "the seed's stated 92,59 is an error");
    let diags: serde_json::Value = serde_json::from_slice(&std::fs::read(w.path("output/diagnostics.json")).unwrap()).unwrap();
    let mismatch: Vec<&serde_json::Value> =
        diags["diagnostics"].as_array().unwrap().iter().filter(|d| d["kind"] == "total_mismatch").collect();
    assert_eq!(mismatch.len(), 1, "{mismatch:?}");
    assert_eq!(mismatch[0]["unit"], "Triệu Trạch");
    assert_eq!(mismatch[0]["year"], 2022);
    assert!(mismatch[0]["message"].as_str().unwrap().contains("92,59"));
    assert!(mismatch[0]["cell"].as_str().is_some_and(|c| !c.is_empty()));
    // Nothing else is an error in the sample.
    assert_eq!(diags["errors"], 1, "{diags:#}");
}

#[test]
fn same_seed_same_district() {
    let w = Workdir::new();
    for dir in ["a", "b"] {
        let out = w.cchc(&["sample", "--output", dir, "--units", "25", "--years", "2023", "--seed", "5"]);
        assert!(out.status.success());
    }
    let (a, b) = (walk(&w.path("a")), walk(&w.path("b")));
    assert_eq!(a.len(), b.len());
    // 25 units in files of one unit or in sheet-per-unit workbooks, plus a lock and a stray file.
    assert!(a.len() >= 10);
    let out = w.cchc(&["rank", "--input", "a", "--year", "2023", "--format", "csv"]);
    let out_b = w.cchc(&["rank", "--input", "b", "--year", "2023", "--format", "csv"]);
    assert_eq!(out.stdout, out_b.stdout);
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 26);
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out.sort();
    out
}
