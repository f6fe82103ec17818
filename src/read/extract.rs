//! Row extraction: turn a layout-A sheet into rows of criteria, bonus, penalty and
//! total (the title lines are read by [`super::names`]).

use crate::model::code::{self, Code};
use crate::model::points::{NumberError, Points};
use crate::model::sheet::{BadNumber, Cell, ColumnMap, RowKind, Score, SheetRow};
use crate::read::workbook::{Grid, Value};
use crate::text::{self, clean, fold};

/// A name cell cleaned, and its leading code split off if it has one. The framework's
/// names repeat on every sheet of a district; normalising and matching each again
/// was 7 % of a run.
fn name_parts(raw: &str) -> (String, Option<(Code, String)>) {
    thread_local! {
        static MEMO: text::LabelMemo<(String, Option<(Code, String)>)> = Default::default();
    }
    text::LabelMemo::get(&MEMO, raw, |raw| {
        let cell = clean(raw);
        let prefix = code::split_prefix(&cell);
        (cell, prefix)
    })
}

fn row_kind(label: &str) -> Option<RowKind> {
    thread_local! {
        static MEMO: text::LabelMemo<Option<RowKind>> = Default::default();
    }
    text::LabelMemo::get(&MEMO, label, classify_label)
}

/// What a row's label says it is: a total, bonus or penalty row, or none of these.
fn classify_label(label: &str) -> Option<RowKind> {
    let f = fold(label);
    let f = f.trim_start_matches(|c: char| !c.is_ascii_alphabetic());
    if f.starts_with("tong cong") || f.starts_with("tong diem") || f.starts_with("tong so diem") || f == "tong" || f == "cong" {
        return Some(RowKind::Total);
    }
    if f.contains("diem thuong") || f.contains("diem cong") || f.starts_with("cong diem") {
        return Some(RowKind::Bonus);
    }
    if f.contains("diem tru") || f.contains("diem phat") || f.starts_with("tru diem") {
        return Some(RowKind::Penalty);
    }
    None
}

/// Reads a score cell; problems are collected in `bad` as (row, column, problem).
pub fn score_cell(v: &Value, row: u32, col: usize, bad: &mut Vec<BadNumber>) -> Score {
    let parsed = match v {
        Value::Empty => return Score::Blank,
        Value::Number(n) => crate::model::points::parse_points_f64(*n),
        Value::Text(s) if s.trim().is_empty() || s.trim() == "-" => return Score::Blank,
        Value::Text(s) if text::is_not_applicable(s) => return Score::NotApplicable,
        Value::Text(s) => crate::model::points::parse_points_text(s),
    };
    match parsed {
        Ok(p) => Score::Value(p),
        Err(NumberError::TooPrecise(p)) => {
            bad.push(BadNumber { cell: Cell::new(row, col), problem: NumberError::TooPrecise(p) });
            Score::Value(p)
        }
        Err(NumberError::NotANumber) => {
            bad.push(BadNumber { cell: Cell::new(row, col), problem: NumberError::NotANumber });
            Score::Invalid(v.as_text())
        }
    }
}

/// Extracts the rows of a sheet whose header was found.
pub fn extract_rows(grid: &Grid, map: &ColumnMap) -> (Vec<SheetRow>, Vec<BadNumber>) {
    let mut rows = Vec::new();
    let mut bad = Vec::new();
    for (r, cells) in grid.rows.iter().enumerate().skip(map.data_start) {
        if cells.iter().all(Value::is_blank) {
            continue;
        }
        let r32 = r as u32;
        let (name_cell, prefix) = name_parts(&grid.get(r, map.name).as_text());
        let code_cell = map.code.map(|c| clean(&grid.get(r, c).as_text())).unwrap_or_default();
        let (code, name) = match prefix {
            Some((code, rest)) => (Some(code), rest),
            None => (Code::parse(&code_cell), name_cell.clone()),
        };
        let label = if name.is_empty() { code_cell.clone() } else { name.clone() };
        let kind = match row_kind(&label).or_else(|| row_kind(&code_cell)) {
            Some(k) => k,
            None if code.is_some() => RowKind::Criterion,
            None => continue,
        };
        // A formula cached as 0 or nothing was written by a tool that does not
        // calculate: its value is unknown, not zero.
        let mut score = |col: Option<usize>| {
            col.map_or(Score::Blank, |c| match score_cell(grid.get(r, c), r32, c, &mut bad) {
                Score::Value(Points::ZERO) if grid.is_formula(r, c) => Score::Blank,
                other => other,
            })
        };
        let max = score(Some(map.max));
        let self_score = score(map.self_score);
        let appraised = score(Some(map.appraised));
        let note = map.notes.iter().map(|&c| clean(&grid.get(r, c).as_text())).filter(|s| !s.is_empty()).collect::<Vec<_>>().join("; ");
        rows.push(SheetRow {
            row: r32,
            kind,
            code: if kind == RowKind::Criterion { code } else { None },
            name: if label.is_empty() { name_cell } else { label },
            max,
            self_score,
            appraised,
            note,
            appraised_formula: grid.is_formula(r, map.appraised),
        });
    }
    (rows, bad)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_codes_specials_and_numbers() {
        let grid = Grid::of_text(&[
            &["Tiêu chí", "Điểm tối đa", "Tự chấm", "Thẩm định", "Ghi chú"],
            &["I. CÔNG TÁC", "21", "", ""],
            &["1.1.3. Mức độ", "2", "2", "1,6", "Hoàn thành 80%"],
            &["1.3.1. Ban hành", "1", "KAD", "Không áp dụng"],
            &["1.4. X", "1", "đạt", "0.333"],
            &["TỔNG CỘNG", "100", "", "92,59"],
            &["Điểm thưởng", "2", "1", "1"],
            &["Người lập biểu"],
        ]);
        let map = crate::read::layout::detect(&grid).unwrap();
        let (rows, bad) = extract_rows(&grid, &map);
        let kinds: Vec<_> = rows.iter().map(|r| (r.kind, r.code.clone())).collect();
        assert_eq!(
            kinds,
            vec![
                (RowKind::Criterion, Some(Code::canonical("1"))),
                (RowKind::Criterion, Some(Code::canonical("1.1.3"))),
                (RowKind::Criterion, Some(Code::canonical("1.3.1"))),
                (RowKind::Criterion, Some(Code::canonical("1.4"))),
                (RowKind::Total, None),
                (RowKind::Bonus, None),
            ]
        );
        assert_eq!(rows[1].appraised, Score::Value(Points(160)));
        assert_eq!(rows[1].note, "Hoàn thành 80%");
        assert_eq!(rows[2].appraised, Score::NotApplicable);
        assert_eq!(rows[3].self_score, Score::Invalid("đạt".into()));
        assert_eq!(rows[4].appraised, Score::Value(Points(9259)));
        assert_eq!(bad.len(), 2);
        assert_eq!(bad[0].cell.to_string(), "C5");
    }
}
