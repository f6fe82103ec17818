//! Row extraction: turn a layout-A sheet into rows of criteria, bonus, penalty and
//! total (the title lines are read by [`super::names`]).

use crate::model::code::{self, Code};
use crate::model::points::{NumberError, Points};
use crate::model::sheet::{
    BadNumber, Cell, CodeConflict, CodeRepair, ColumnMap, OptionRows, ParentScored, RowKind, RowStages, RubricOption, Score, SheetRow,
    UnreadRow,
};
use crate::read::tree::{self, TypedCode};
use crate::read::workbook::{Grid, Value};
use crate::text::{self, clean, fold};

/// What a sheet's rows gave.
#[derive(Debug)]
pub struct Extracted {
    /// Criterion, bonus, penalty and total rows, in sheet order.
    pub rows: Vec<SheetRow>,
    /// Cells that held more than two decimals or text that is not a number.
    pub bad_numbers: Vec<BadNumber>,
    /// Codes read otherwise than typed ([`tree::settle`]).
    pub repairs: Vec<CodeRepair>,
    /// Codes that do not fit where they stand, kept as typed.
    pub conflicts: Vec<CodeConflict>,
    /// The column of the official appraised score ([`ColumnMap::appraised`]).
    pub appraised: usize,
    /// Later rounds left blank on every criterion: their labels, and the label of the
    /// round used instead.
    pub unscored: Option<(Vec<String>, String)>,
    /// Coded rows read as a criterion's rubric options ([`tree::coded_options`]).
    pub option_rows: Vec<OptionRows>,
    /// Criteria scored over blank rows ([`tree::parents_scored`]).
    pub parents_scored: Vec<ParentScored>,
    /// Rows that are no criterion but hold points in a score column.
    pub unread: Vec<UnreadRow>,
}

/// The columns of a sheet that hold scores: self-assessed, each round, deduction, net.
fn score_columns(map: &ColumnMap) -> impl Iterator<Item = usize> + '_ {
    map.self_score.into_iter().chain(map.rounds.iter().map(|k| k.col)).chain(map.deduction).chain(map.net)
}

/// A rubric option row under a leaf: no code, and points at the end of its text
/// ("Ban hành kịp thời …: 1.5") or as text in the max column ("0.5").
fn rubric_option(name: &str, max_cell: &Value) -> Option<RubricOption> {
    let from_text = tree::trailing_points(name);
    let from_max = match max_cell {
        Value::Text(t) => crate::model::points::parse_points_text(t).ok(),
        _ => None,
    };
    match (from_text, from_max) {
        (Some((text, p)), _) => Some(RubricOption { points: p, text }),
        (None, Some(p)) if !name.is_empty() => Some(RubricOption { points: p, text: name.to_string() }),
        _ => None,
    }
}

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
        Err(problem @ (NumberError::NotANumber | NumberError::TooLarge)) => {
            bad.push(BadNumber { cell: Cell::new(row, col), problem });
            Score::Invalid(v.as_text().into())
        }
    }
}

/// Extracts the rows of a sheet whose header was found, its codes settled against
/// the rows' order and max sums ([`tree::settle`]).
pub fn extract_rows(grid: &Grid, map: &ColumnMap) -> Extracted {
    // At most one row a grid row: growing the Vec row by row copied every sheet's rows
    // several times over.
    let mut rows: Vec<SheetRow> = Vec::with_capacity(grid.rows.len().saturating_sub(map.data_start));
    let mut bad = Vec::new();
    let mut typed = Vec::new();
    let mut unread = Vec::new();
    let staged = map.rounds.len() > 1 || map.deduction.is_some() || map.net.is_some();
    for (r, cells) in grid.rows.iter().enumerate().skip(map.data_start) {
        if cells.iter().all(Value::is_blank) {
            continue;
        }
        let r32 = r as u32;
        let (name_cell, prefix) = name_parts(&grid.get(r, map.name).as_text());
        let code_cell = map.code.map(|c| clean(&grid.get(r, c).as_text())).unwrap_or_default();
        let (code, name, code_at) = match prefix {
            Some((code, rest)) => (Some(code), rest, (map.name, false)),
            None => {
                let col = map.code.unwrap_or(map.name);
                (Code::parse(&code_cell), name_cell.clone(), (col, matches!(grid.get(r, col), Value::Number(_))))
            }
        };
        let label = if name.is_empty() { code_cell.clone() } else { name.clone() };
        let kind = match row_kind(&label).or_else(|| row_kind(&code_cell)) {
            Some(k) => k,
            None if code.is_some() => RowKind::Criterion,
            None => {
                if let Some(u) = row_aside(grid, map, r, &name_cell, &label, &mut rows) {
                    unread.push(u);
                }
                continue;
            }
        };
        if kind == RowKind::Criterion {
            typed.push(TypedCode { index: rows.len(), cell: Cell::new(r32, code_at.0), number: code_at.1 });
        }
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
        // Several rounds or deductions: every stage is kept, the official score is
        // settled once the rows say which rounds were scored.
        let (appraised, stages) = if staged {
            let rounds: Vec<Score> = map.rounds.iter().map(|k| score(Some(k.col))).collect();
            let deduction = score(map.deduction);
            (score(map.net), Some(Box::new(RowStages { rounds, deduction })))
        } else {
            (score(Some(map.appraised)), None)
        };
        let note = notes(grid, map, r);
        rows.push(SheetRow {
            row: r32,
            kind,
            code: if kind == RowKind::Criterion { code } else { None },
            name: text::shared(if label.is_empty() { &name_cell } else { &label }),
            max,
            self_score,
            appraised,
            stages,
            note,
            appraised_formula: grid.is_formula(r, map.appraised),
            leaf: false,
            options: Vec::new(),
        });
    }
    let (appraised, unscored) = if staged { settle_rounds(grid, map, &mut rows) } else { (map.appraised, None) };
    let (repairs, conflicts) = tree::settle(&mut rows, &typed);
    let option_rows = tree::coded_options(&mut rows, map.code.unwrap_or(map.name));
    let parents_scored = tree::parents_scored(&mut rows, appraised);
    // A province's sheets hold a million rows until the run ends: not the Vec's growth room too.
    rows.shrink_to_fit();
    Extracted { rows, bad_numbers: bad, repairs, conflicts, appraised, unscored, option_rows, parents_scored, unread }
}

/// The row's notes, joined with "; " (one note column: no join).
fn notes(grid: &Grid, map: &ColumnMap, r: usize) -> String {
    let mut texts =
        map.notes.iter().map(|&c| grid.get(r, c)).filter(|v| !v.is_blank()).map(|v| clean(&v.as_text())).filter(|s| !s.is_empty());
    let Some(first) = texts.next() else { return String::new() };
    texts.fold(first, |mut all, t| {
        all.push_str("; ");
        all.push_str(&t);
        all
    })
}

/// A row without a code that is no total, bonus or note: a rubric option of the
/// criterion above where it reads as one; and where it holds points in a score column,
/// those points, which are not counted: named, never dropped without a word.
fn row_aside(grid: &Grid, map: &ColumnMap, r: usize, name_cell: &str, label: &str, rows: &mut [SheetRow]) -> Option<UnreadRow> {
    if let Some(last) = rows.last_mut().filter(|l| l.kind == RowKind::Criterion)
        && let Some(option) = rubric_option(name_cell, grid.get(r, map.max))
    {
        last.options.push(option);
    }
    let c = score_columns(map).find(|&c| grid.get(r, c).is_number())?;
    Some(UnreadRow { cell: Cell::new(r as u32, c), label: label.to_string(), value: grid.get(r, c).as_text() })
}

/// The official score of every row of a sheet with several stages: the net column
/// where it is filled, else the last round scored on any criterion, less the row's
/// deduction. Returns the column that holds it (the net column, or the round's), and
/// the later rounds left blank with the round used instead.
fn settle_rounds(grid: &Grid, map: &ColumnMap, rows: &mut [SheetRow]) -> (usize, Option<(Vec<String>, String)>) {
    let scored = |s: &Score| !matches!(s, Score::Blank);
    let criteria = || rows.iter().filter(|r| r.kind == RowKind::Criterion);
    let net_filled = map.net.is_some() && criteria().any(|r| scored(&r.appraised));
    let last = (0..map.rounds.len()).rev().find(|&k| criteria().any(|r| r.round(k).is_some_and(scored))).unwrap_or(map.rounds.len() - 1);
    let col = if net_filled { map.net.unwrap_or(map.appraised) } else { map.rounds[last].col };
    for r in rows.iter_mut() {
        if !(net_filled && scored(&r.appraised)) {
            r.appraised = r.round(last).map_or(Score::Blank, |s| s.net_of(r.deduction().and_then(Score::value)));
        }
        r.appraised_formula = grid.is_formula(r.row as usize, col);
    }
    let blank: Vec<String> = map.rounds[last + 1..].iter().map(|k| k.label.clone()).collect();
    let unscored = (!net_filled && !blank.is_empty()).then(|| (blank, map.rounds[last].label.clone()));
    (col, unscored)
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
        let Extracted { rows, bad_numbers: bad, .. } = extract_rows(&grid, &map);
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
