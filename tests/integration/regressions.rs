//! Regression tests named after the bugs they pin: inputs the reading fuzz found
//! that crashed or hung the process inside calamine, now reported as problems of
//! their one file while the run goes on.

use crate::common::*;
use serde_json::Value;
use std::io::{Read, Write};

fn fixture_bytes(name: &str) -> Vec<u8> {
    std::fs::read(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)).unwrap()
}

/// Validates a folder holding one good unit and the damaged file; returns the
/// damaged file's diagnostics.
fn damaged(name: &str, bytes: &[u8]) -> Vec<Value> {
    let w = Workdir::new();
    w.xlsx("input/2023/a.xlsx", &[scoring_sheet("Biểu", Some("XÃ AN PHÚ"), 2023, &[])]);
    w.write(&format!("input/2023/{name}"), bytes);
    let out = w.cchc(&["validate", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let j: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(w.ranking(2023).len(), 1, "the good unit is still ranked");
    j["diagnostics"].as_array().unwrap().iter().filter(|d| d["file"] == format!("2023/{name}")).cloned().collect()
}

/// Found by `make fuzz-deep` (read_xls, 2026-12-01): an EXTERNSHEET record shorter
/// than its count made calamine index past the record (a panic cchc caught as a reader
/// crash; under the fuzzer, an abort). The file is libFuzzer's own, kept as found.
#[test]
fn xls_with_a_short_externsheet_record_is_corrupt_not_a_reader_crash() {
    let d = damaged("externsheet.xls", &fixture_bytes("fuzz/xls_short_externsheet.xls"));
    assert_eq!(d.len(), 1, "{d:#?}");
    assert_eq!(d[0]["kind"], "corrupt_file");
    assert!(d[0]["message"].as_str().unwrap().contains("EXTERNSHEET"), "{d:#?}");
}

/// Found by `make fuzz-deep` (read_xls, 2026-12-01): a compound file whose length is
/// not a multiple of 4 made calamine's sector reader panic on its partial last sector.
#[test]
fn xls_whose_length_is_not_whole_words_is_truncated_not_a_reader_crash() {
    let d = damaged("le_byte.xls", &fixture_bytes("fuzz/xls_odd_length.xls"));
    assert_eq!(d.len(), 1, "{d:#?}");
    assert!(matches!(d[0]["kind"].as_str(), Some("truncated_file" | "corrupt_file")), "{d:#?}");
}

/// Found by `make fuzz-deep` (read_xls, 2026-12-01): a NAME record shorter than its
/// header, or than the formula length it states, made calamine index past it.
#[test]
fn xls_with_a_short_name_record_is_corrupt_not_a_reader_crash() {
    let d = damaged("ten.xls", &fixture_bytes("fuzz/xls_short_name.xls"));
    assert_eq!(d.len(), 1, "{d:#?}");
    assert_eq!(d[0]["kind"], "corrupt_file");
    assert!(d[0]["message"].as_str().unwrap().contains("NAME"), "{d:#?}");
}

/// Found by `make fuzz-deep` (read_xls, 2026-12-01): a workbook-globals record that
/// starts with a 16-bit value (here one of FILEPASS, DATEMODE, CODEPAGE) but holds
/// fewer bytes made calamine index past it.
#[test]
fn xls_with_a_short_globals_record_is_corrupt_not_a_reader_crash() {
    let d = damaged("toan_cuc.xls", &fixture_bytes("fuzz/xls_short_globals_record.xls"));
    assert_eq!(d.len(), 1, "{d:#?}");
    assert_eq!(d[0]["kind"], "corrupt_file");
}

/// Found by `make fuzz-deep` (read_xls, 2026-12-01): a shared string whose formatting
/// run count or extension size is cut off at the end of its record made calamine read
/// past it.
#[test]
fn xls_with_a_cut_shared_string_header_is_corrupt_not_a_reader_crash() {
    let d = damaged("sst.xls", &fixture_bytes("fuzz/xls_cut_sst_string.xls"));
    assert_eq!(d.len(), 1, "{d:#?}");
    assert_eq!(d[0]["kind"], "corrupt_file");
    assert!(d[0]["message"].as_str().unwrap().contains("SST"), "{d:#?}");
}

/// Found by `make fuzz-deep` (read_xls, 2026-12-01, an abort: allocation failure):
/// calamine reads each sheet from the offset its BOUNDSHEET record gives; a sheet
/// starting inside another record held cells far beyond the limits that a linear walk
/// of the stream never saw, and calamine allocated their dense range. Each sheet is
/// now checked from its own offset.
#[test]
fn xls_sheet_starting_inside_a_record_is_checked_where_calamine_reads_it() {
    let d = damaged("lech.xls", &fixture_bytes("fuzz/xls_sheet_inside_a_record.xls"));
    assert_eq!(d.len(), 1, "{d:#?}");
    assert!(matches!(d[0]["kind"].as_str(), Some("stray_cell" | "file_too_large" | "corrupt_file")), "{d:#?}");
}

/// Found by `make fuzz-deep` (read_xls, 2026-12-01, out of memory): a directory in
/// which the `cfb` crate finds no Workbook stream, while calamine's own reading of it
/// does, so none of the checks ran and calamine read a sheet of far cells (370 MB for
/// a 20 KB file). Such a file is now refused.
#[test]
fn xls_whose_workbook_stream_the_checks_cannot_find_is_corrupt_not_read_unchecked() {
    let d = damaged("luong.xls", &fixture_bytes("fuzz/xls_no_workbook_stream.xls"));
    assert_eq!(d.len(), 1, "{d:#?}");
    assert_eq!(d[0]["kind"], "corrupt_file");
    assert!(d[0]["message"].as_str().unwrap().contains("Workbook"), "{d:#?}");
}

#[test]
fn xls_with_a_looping_sector_chain_is_corrupt_not_an_abort() {
    let mut b = fixture_bytes("hai_an_2023.xls");
    b[21156..21160].copy_from_slice(&[0x29, 0, 0, 0]);
    let d = damaged("vong_lap.xls", &b);
    assert_eq!(d.len(), 1, "{d:#?}");
    assert_eq!(d[0]["kind"], "corrupt_file");
}

#[test]
fn xls_cell_at_column_65535_is_refused_with_its_cell_not_an_abort() {
    let mut b = fixture_bytes("hai_an_2023.xls");
    b[11069..11073].copy_from_slice(&[0xFF; 4]);
    let d = damaged("o_xa.xls", &b);
    assert_eq!(d.len(), 1, "{d:#?}");
    assert_eq!(d[0]["kind"], "stray_cell");
    assert_eq!(d[0]["cell"], "CRXP65536");
    assert_eq!(d[0]["sheet"], "Biểu chấm điểm");
}

#[test]
fn ods_whose_table_never_closes_is_corrupt_not_a_hang() {
    let src = fixture_bytes("hai_ba_2023.ods");
    let mut zin = zip::ZipArchive::new(std::io::Cursor::new(src)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..zin.len() {
        let mut f = zin.by_index(i).unwrap();
        let name = f.name().unwrap().into_owned();
        let mut data = Vec::new();
        f.read_to_end(&mut data).unwrap();
        if name == "content.xml" {
            let at = data.windows(14).rposition(|w| w == b"</table:table>").unwrap();
            data[at] = 0x0F;
        }
        out.start_file(name, zip::write::SimpleFileOptions::default()).unwrap();
        out.write_all(&data).unwrap();
    }
    let bytes = out.finish().unwrap().into_inner();
    let d = damaged("khong_dong.ods", &bytes);
    assert_eq!(d.len(), 1, "{d:#?}");
    assert_eq!(d[0]["kind"], "corrupt_file");
}

#[test]
fn xls_dimensions_of_billions_of_cells_are_refused_not_reserved() {
    let mut b = fixture_bytes("hai_an_2023.xls");
    // The sheet's DIMENSIONS record (type 0x0200, 14 bytes): last row ← 0xFFFFFFF0.
    let at = b.windows(4).position(|w| w == [0x00, 0x02, 0x0E, 0x00]).expect("DIMENSIONS record");
    b[at + 8..at + 12].copy_from_slice(&0xFFFF_FFF0u32.to_le_bytes());
    let d = damaged("kich_thuoc.xls", &b);
    assert_eq!(d.len(), 1, "{d:#?}");
    assert_eq!(d[0]["kind"], "stray_cell");
    assert_eq!(d[0]["sheet"], "Biểu chấm điểm");
}

/// A year with two scoring sheets and a results table of three more units: the
/// table's rows counted toward the framework's quorum (a code had to be on 3 of 5
/// "sheets"), so the two sheets' criteria fell out of the framework, every leaf was
/// "extra" and the year could not be analysed. The framework is the scoring sheets'.
#[test]
fn results_table_rows_do_not_count_toward_the_framework_quorum() {
    let w = Workdir::new();
    w.xlsx("input/2023/an_phu.xlsx", &[scoring_sheet("Biểu", Some("XÃ AN PHÚ"), 2023, &[("1.2", Val::Num(15.0))])]);
    w.xlsx("input/2023/binh_minh.xlsx", &[scoring_sheet("Biểu", Some("XÃ BÌNH MINH"), 2023, &[])]);
    let rows = vec![
        vec![t("KẾT QUẢ CHỈ SỐ CCHC NĂM 2023")],
        vec![t("STT"), t("Tên đơn vị"), t("Tổng điểm"), t("Xếp loại"), t("Xếp hạng")],
        vec![n(1.0), t("UBND xã Cam Lộ"), t("88,5"), t("Khá"), n(3.0)],
        vec![n(2.0), t("UBND xã Đông Hà"), t("80"), t("Khá"), n(4.0)],
        vec![n(3.0), t("UBND xã Gio Linh"), t("70,25"), t("Khá"), n(5.0)],
    ];
    w.xlsx("input/2023/ket_qua_khac.xlsx", &[Sheet::new("Kết quả", rows)]);
    let out = w.cchc(&["validate", "--format", "json"]);
    let j: Value = serde_json::from_slice(&out.stdout).unwrap();
    let kinds: Vec<&str> = j["diagnostics"].as_array().unwrap().iter().map(|d| d["kind"].as_str().unwrap()).collect();
    assert!(!kinds.iter().any(|k| matches!(*k, "extra_code" | "missing_code")), "{kinds:?}");
    let ranking = w.ranking(2023);
    assert_eq!(ranking.len(), 5, "{ranking:?}");
    assert_eq!(ranking[0], ("Bình Minh".to_string(), 100.0, 1));
    assert_eq!(ranking[1], ("An Phú".to_string(), 95.0, 2));
    // The year has criteria: the losses of its scoring sheets are known.
    let out = w.cchc(&["losses", "--year", "2023", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let j: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(j.to_string().contains("\"1.2\""), "{j}");
}

/// `rankings.csv` kept only the first year's header: after a results-table year (no
/// areas) the scoring-sheet years' area points ran past the header's last column.
/// One header now names every area of every year; a year without it leaves it empty.
#[test]
fn rankings_csv_header_names_the_areas_of_every_year() {
    let w = Workdir::new();
    let rows = vec![
        vec![t("KẾT QUẢ CHỈ SỐ CCHC NĂM 2022")],
        vec![t("STT"), t("Tên đơn vị"), t("Tổng điểm"), t("Xếp loại"), t("Xếp hạng")],
        vec![n(1.0), t("UBND xã An Phú"), t("91,5"), t("Tốt"), n(1.0)],
    ];
    w.xlsx("input/2022/ket_qua.xlsx", &[Sheet::new("Kết quả", rows)]);
    w.xlsx("input/2023/an_phu.xlsx", &[scoring_sheet("Biểu", Some("XÃ AN PHÚ"), 2023, &[("2.1", Val::Num(25.5))])]);
    let out = w.cchc(&["run", "--no-appendices"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let csv = std::fs::read_to_string(w.path("output/rankings.csv")).unwrap();
    let lines: Vec<Vec<&str>> = csv.lines().map(|l| l.split(',').collect()).collect();
    assert_eq!(lines.len(), 3, "{csv}");
    let areas = lines[0].iter().position(|h| *h == "area_1").unwrap();
    assert_eq!(lines[0][areas..], ["area_1", "area_2"], "{csv}");
    assert!(lines.iter().all(|l| l.len() == lines[0].len()), "every row as wide as the header:\n{csv}");
    assert_eq!(lines[1][..3], ["2022", "1", "An Phú"]);
    assert_eq!(lines[1][areas..], ["", ""]);
    assert_eq!(lines[2][..5], ["2023", "1", "An Phú", "xã", "95.5"]);
    assert_eq!(lines[2][areas..], ["40.0", "55.5"]);
    // The same table as tables/rankings.csv.
    assert_eq!(csv, std::fs::read_to_string(w.path("output/tables/rankings.csv")).unwrap());
}

/// Codes not in the framework were reported in a hash map's order, which changes from
/// run to run (foldhash seeds each process): diagnostics.json differed between two runs
/// of the same folder. They come in sheet order now.
#[test]
fn extra_codes_are_reported_in_sheet_order() {
    let w = Workdir::new();
    let mut sheet = scoring_sheet("Biểu", Some("XÃ AN PHÚ"), 2023, &[]);
    let total = sheet.rows.pop().unwrap();
    for code in ["2.3", "2.4", "2.5", "2.6", "2.7", "2.8"] {
        sheet.rows.push(vec![t(code), t("Tiêu chí thêm"), n(1.0), n(1.0), n(1.0)]);
    }
    sheet.rows.push(total);
    w.xlsx("input/2023/an_phu.xlsx", &[sheet]);
    w.xlsx("input/2023/binh_an.xlsx", &[scoring_sheet("Biểu", Some("XÃ BÌNH AN"), 2023, &[])]);
    w.xlsx("input/2023/cat_tien.xlsx", &[scoring_sheet("Biểu", Some("XÃ CÁT TIÊN"), 2023, &[])]);
    let out = w.cchc(&["validate", "--format", "json"]);
    let j: Value = serde_json::from_slice(&out.stdout).unwrap();
    let codes: Vec<String> = j["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["kind"] == "extra_code")
        .map(|d| d["message"].as_str().unwrap().split(' ').nth(1).unwrap().to_string())
        .collect();
    assert_eq!(codes, ["2.3", "2.4", "2.5", "2.6", "2.7", "2.8"]);
}

/// Units were flagged by matching an error's file, sheet and unit names: an error that
/// names no unit (a toneless column name fitting two units) flagged every unit of a
/// consolidated matrix sheet. An error now flags the one source it is in.
#[test]
fn an_error_in_one_matrix_column_flags_only_that_unit() {
    let w = Workdir::new();
    let mut rows = vec![
        vec![t("BẢNG TỔNG HỢP KẾT QUẢ THẨM ĐỊNH CHỈ SỐ CCHC NĂM 2023")],
        vec![t("STT"), t("Tiêu chí"), t("Điểm tối đa"), t("Xã Mỹ Thành"), t("Xã Mỹ Thạnh"), t("My Thanh"), t("Xã An Phú")],
    ];
    for (code, name, max) in FRAMEWORK {
        let leaf = LEAVES.contains(&code);
        let cell = || if leaf { n(max) } else { t("") };
        rows.push(vec![t(code), t(name), n(max), cell(), cell(), cell(), cell()]);
    }
    w.xlsx("input/2023/tong_hop.xlsx", &[Sheet::new("Tổng hợp", rows)]);
    let out = w.cchc(&["validate", "--format", "json"]);
    let j: Value = serde_json::from_slice(&out.stdout).unwrap();
    let kinds: Vec<&str> = j["diagnostics"].as_array().unwrap().iter().map(|d| d["kind"].as_str().unwrap()).collect();
    assert!(kinds.contains(&"ambiguous_unit"), "{kinds:?}");
    let out = w.cchc(&["run", "--no-appendices"]);
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let csv = std::fs::read_to_string(w.path("output/tables/rankings.csv")).unwrap();
    let column = csv.lines().next().unwrap().split(',').position(|h| h == "flagged").unwrap();
    let flagged: Vec<(&str, &str)> =
        csv.lines().skip(1).map(|l| l.split(',').collect::<Vec<_>>()).map(|f| (f[2], f[column])).collect::<Vec<_>>();
    let flagged: Vec<&str> = flagged.iter().filter(|(_, f)| *f == "1").map(|(u, _)| *u).collect();
    assert_eq!(flagged, ["My Thanh"], "{csv}");
}

/// Found trying real structures (issue #26): in a matrix of one column per ward, the
/// column headed "Phường Trần Nguyên Hãn" was read as a "Nguyên nhân" note column
/// ("nguyen han" one letter from "nguyen nhan"); the ward left the year without a word
/// and every ward after it moved up one rank. Real names holding label words, with and
/// without their kind word: each ward is ranked on its own column.
#[test]
fn matrix_ward_named_like_a_label_is_a_unit_not_a_note_column() {
    let wards = ["Trần Nguyên Hãn", "Thẩm Dương", "Tự Lạn", "Trừ Văn Thố", "Tổng Cọt", "Tân Định"];
    for with_kind in [true, false] {
        let w = Workdir::new();
        let mut header = vec![t("TT"), t("Tiêu chí"), t("Điểm tối đa")];
        header.extend(wards.iter().map(|n| t(&if with_kind { format!("Phường {n}") } else { n.to_string() })));
        header.push(t("Ghi chú"));
        // Ward i loses i points on 2.2.
        let matrix = matrix_sheet(vec![header], wards.len(), |i, code, max| if code == "2.2" { max - i as f64 } else { max });
        w.xlsx("input/2023/tong_hop.xlsx", &[matrix]);
        let got = w.ranking(2023);
        let want: Vec<(String, f64, u64)> =
            wards.iter().enumerate().map(|(i, n)| (n.to_string(), 100.0 - i as f64, i as u64 + 1)).collect();
        assert_eq!(got, want, "with kind word: {with_kind}");
    }
}

/// Found while moving the analyses onto the typed leaves (2026-12-04): a leaf code
/// typed twice in one sheet counted once in the ranking (the first row) but twice in
/// the losses, the district Pareto and the self-assessment gaps, so the losses listed
/// for a unit added up to more than its index lost.
#[test]
fn a_leaf_typed_twice_is_lost_once_as_the_ranking_counts_it() {
    let w = Workdir::new();
    w.xlsx("input/2022/a.xlsx", &[scoring_sheet("Biểu", Some("XÃ AN PHÚ"), 2022, &[("2.2", Val::Num(28.0))])]);
    let mut twice = scoring_sheet("Biểu", Some("XÃ BÌNH AN"), 2022, &[("2.2", Val::Num(26.0))]);
    // Under the first 2.2 (30 points, 26 given): 2.2 again, self 25, appraised 20.
    twice.rows.insert(12, vec![t("2.2"), t("Kết quả giải quyết hồ sơ"), n(30.0), n(25.0), n(20.0)]);
    w.xlsx("input/2022/b.xlsx", &[twice]);
    let json = |args: &[&str]| -> Value { serde_json::from_slice(&w.cchc(args).stdout).unwrap() };
    let losses = json(&["losses", "--year", "2022", "--format", "json"]);
    let listed: Vec<(&str, &str, f64)> = losses["losses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| (l["unit"].as_str().unwrap(), l["code"].as_str().unwrap(), l["lost"].as_f64().unwrap()))
        .collect();
    assert_eq!(listed, [("An Phú", "2.2", 2.0), ("Bình An", "2.2", 4.0)]);
    // The ranking lost the same 4 points: 96 of 100.
    assert_eq!(w.ranking(2022), [("An Phú".to_string(), 98.0, 1), ("Bình An".to_string(), 96.0, 2)]);
    let pareto = json(&["losses", "--year", "2022", "--district", "--format", "json"]);
    let first = &pareto["pareto"][0];
    assert_eq!((first["code"].as_str(), first["lost"].as_f64(), first["units_applicable"].as_u64()), (Some("2.2"), Some(6.0), Some(2)));
    // Self and appraised agree on the row that counts: no gap.
    let gaps = json(&["gap", "--year", "2022", "--format", "json"]);
    assert_eq!(gaps["gaps"].as_array().unwrap().len(), 0, "{gaps:#}");
}
