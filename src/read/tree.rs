//! The criteria tree from the rows and the codes together.
//!
//! Real sheets are numbered by hand: two rows typed 1.4.1 / 1.4.2 sit under 1.3
//! before the real 1.4; a number cell 7.11 right under 7.1 means 7.1.1; a number
//! cell 1.1 after 1.9 lost the zero of 1.10. A row's place follows the sheet's
//! order, so a code that does not fit where it stands is read again from that
//! place, and the max sums decide: where the new reading's parents add up, it is
//! used and named ([`CodeRepair`]); where they do not, the codes are kept as typed
//! and the rows are named as a conflict ([`CodeConflict`]).

use crate::model::code::{Code, is_under};
use crate::model::points::Points;
use crate::model::sheet::{Cell, CodeConflict, CodeRepair, OptionRows, ParentScored, RowKind, RubricOption, Score, SheetRow};
use crate::text::fold;
use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};
use regex::Regex;
use std::sync::LazyLock;

/// The points an option's text ends with ("Ban hành kịp thời …: 1.5", "…: 0,5 điểm"),
/// and the text before them.
pub fn trailing_points(name: &str) -> Option<(String, Points)> {
    static TRAILING: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^(.*?)\s*[:：]\s*(\d{1,3}(?:[.,]\d{1,2})?)\s*(?:điểm|đ)?\s*[.;]?$").expect("valid regex"));
    // Most names have no colon: no regex for them (every criterion row is asked).
    if !name.contains([':', '：']) {
        return None;
    }
    let c = TRAILING.captures(name)?;
    let p = crate::model::points::parse_points_text(&c[2]).ok()?;
    Some((c[1].trim().to_string(), p))
}

/// Reads coded rows that are a criterion's options as its rubric: every row directly
/// under it, none with rows of its own, each ending `": <points>"` equal to its own max,
/// the choices exclusive (one worth 0, or "Có …" beside "Không …"), the criterion's
/// max their largest. The criterion keeps its own score; where it has none, the points
/// typed on its option rows are its score. Returns the rows so read.
pub fn coded_options(rows: &mut Vec<SheetRow>, code_col: usize) -> Vec<OptionRows> {
    let mut found = Vec::new();
    let mut drop: HashSet<usize> = HashSet::new();
    for p in 0..rows.len() {
        let Some(code) = rows[p].code.as_ref().filter(|_| rows[p].kind == RowKind::Criterion) else { continue };
        // Options are rows with points at the end of their text, right under it.
        if !rows
            .get(p + 1)
            .is_some_and(|n| n.code.as_ref().and_then(Code::parent) == Some(code.as_str()) && trailing_points(&n.name).is_some())
        {
            continue;
        }
        let kids: Vec<usize> = (p + 1..rows.len())
            .take_while(|&k| rows[k].kind != RowKind::Criterion || rows[k].code.as_ref().is_some_and(|c| is_under(c, code)))
            .filter(|&k| rows[k].kind == RowKind::Criterion)
            .collect();
        if kids.len() < 2 || kids.iter().any(|&k| rows[k].code.as_ref().and_then(Code::parent) != Some(code.as_str())) {
            continue;
        }
        let options: Option<Vec<RubricOption>> = kids
            .iter()
            .map(|&k| {
                let (text, points) = trailing_points(&rows[k].name)?;
                (rows[k].max.value().is_none_or(|m| m == points)).then_some(RubricOption { points, text })
            })
            .collect();
        let Some(options) = options else { continue };
        let folded: Vec<String> = options.iter().map(|o| fold(&o.text)).collect();
        let exclusive = options.iter().any(|o| o.points == Points::ZERO)
            || (folded.iter().any(|t| t.starts_with("co ")) && folded.iter().any(|t| t.starts_with("khong ")));
        let top = options.iter().map(|o| o.points).max();
        if !exclusive || rows[p].max.value().is_some_and(|m| Some(m) != top) {
            continue;
        }
        let code = code.clone();
        if rows[p].appraised == Score::Blank && kids.iter().any(|&k| rows[k].appraised.value().is_some()) {
            rows[p].appraised = Score::Value(kids.iter().filter_map(|&k| rows[k].appraised.value()).sum());
        }
        if rows[p].self_score == Score::Blank && kids.iter().any(|&k| rows[k].self_score.value().is_some()) {
            rows[p].self_score = Score::Value(kids.iter().filter_map(|&k| rows[k].self_score.value()).sum());
        }
        rows[p].options = options;
        found.push(OptionRows {
            cell: Cell::new(rows[p].row, code_col),
            code,
            rows: kids.iter().filter_map(|&k| rows[k].code.clone()).collect(),
        });
        drop.extend(kids);
    }
    remove(rows, &drop);
    found
}

/// A criterion holding a score while every criterion row under it is blank: its score
/// stands for the branch (never 0 with a "missing score" per row), and the blank rows
/// leave the sheet, so that it is the sheet's leaf there.
pub fn parents_scored(rows: &mut Vec<SheetRow>, appraised_col: usize) -> Vec<ParentScored> {
    let mut found = Vec::new();
    let mut drop: HashSet<usize> = HashSet::new();
    let mut p = 0;
    while p < rows.len() {
        let (Some(code), Some(score)) = (rows[p].code.as_ref().filter(|_| rows[p].kind == RowKind::Criterion), rows[p].appraised.value())
        else {
            p += 1;
            continue;
        };
        // The rows under it follow it; the first one scored ends the case (most sheets).
        let under = || {
            (p + 1..rows.len())
                .take_while(|&k| rows[k].kind == RowKind::Criterion && rows[k].code.as_ref().is_some_and(|c| is_under(c, code)))
        };
        if under().next().is_none() || under().any(|k| rows[k].appraised != Score::Blank) {
            p += 1;
            continue;
        }
        let under: Vec<usize> = under().collect();
        found.push(ParentScored {
            cell: Cell::new(rows[p].row, appraised_col),
            code: code.clone(),
            score,
            children: under.iter().filter_map(|&k| rows[k].code.clone()).collect(),
        });
        p = under.last().map_or(p, |&k| k) + 1;
        drop.extend(under);
    }
    remove(rows, &drop);
    found
}

fn remove(rows: &mut Vec<SheetRow>, drop: &HashSet<usize>) {
    if drop.is_empty() {
        return;
    }
    let mut i = 0;
    rows.retain(|_| {
        i += 1;
        !drop.contains(&(i - 1))
    });
}

/// A criterion code as typed, for one criterion row.
#[derive(Debug, Clone)]
pub struct TypedCode {
    /// Index of the row in the sheet's rows.
    pub index: usize,
    /// The cell the code was read from.
    pub cell: Cell,
    /// Whether the cell is a number (a number loses dots and trailing zeros: 7.1.1
    /// typed as 7.11, 1.10 kept as 1.1).
    pub number: bool,
}

/// Reads the codes of `rows` again where the order says they are misplaced, and
/// applies the repairs the max sums confirm.
pub fn settle(rows: &mut [SheetRow], typed: &[TypedCode]) -> (Vec<CodeRepair>, Vec<CodeConflict>) {
    let as_typed: Vec<Code> = typed.iter().map(|t| rows[t.index].code.clone().unwrap_or_default()).collect();
    let typed_anywhere: HashSet<&str> = as_typed.iter().map(Code::as_str).collect();
    let mut seen: HashSet<String> = HashSet::new();
    // The path to the last row read: open[d] is the open node at depth d + 1.
    let mut open: Vec<Code> = Vec::new();
    let mut reading: Vec<Code> = Vec::with_capacity(typed.len());
    for (t, code) in typed.iter().zip(&as_typed) {
        let fits = |c: &Code, open: &[Code], seen: &HashSet<String>| {
            !seen.contains(c.as_str()) && c.parent().is_none_or(|p| open.get(c.depth() - 2).is_some_and(|o| o.as_str() == p))
        };
        let fresh = |c: &Code| !typed_anywhere.contains(c.as_str());
        let previous = open.last();
        // A number cell with two decimals or more right under the row it would be a
        // child of once split: 7.11 under 7.1 is 7.1.1.
        let split =
            if t.number { digit_splits(code).into_iter().find(|s| previous.is_some_and(|p| s.parent() == Some(p.as_str()))) } else { None };
        let chosen = match split {
            Some(s) if fresh(&s) && fits(&s, &open, &seen) => s,
            _ if fits(code, &open, &seen) => code.clone(),
            _ => {
                let depth = code.depth();
                let last = code.as_str().rsplit('.').next().unwrap_or_default();
                // Under the open node one level up (1.4.1 under 1.3 is 1.3.1), or the
                // next sibling of the open node at its own depth (1.1 after 1.9 is 1.10).
                let reparent = (depth > 1).then(|| open.get(depth - 2)).flatten().map(|p| Code::from_canonical(format!("{p}.{last}")));
                let sibling = (depth > 1).then(|| open.get(depth - 1)).flatten().and_then(next_sibling);
                [reparent, sibling].into_iter().flatten().find(|c| fresh(c) && fits(c, &open, &seen)).unwrap_or_else(|| code.clone())
            }
        };
        // The path to a row is its code's ancestors: rebuilt from them where the code
        // skips a level (1.1.1 right under area 1), so open[d] stays at depth d + 1.
        let depth = chosen.depth();
        open.truncate(depth - 1);
        if open.len() < depth - 1 {
            open = (1..depth).map(|k| Code::from_canonical(crate::model::code::ancestor_at(chosen.as_str(), k).to_string())).collect();
        }
        open.push(chosen.clone());
        seen.insert(chosen.as_str().to_string());
        reading.push(chosen);
    }
    confirm(rows, typed, &as_typed, reading)
}

/// Keeps the changed codes whose new parents' max sums agree; the others are named.
fn confirm(rows: &mut [SheetRow], typed: &[TypedCode], as_typed: &[Code], reading: Vec<Code>) -> (Vec<CodeRepair>, Vec<CodeConflict>) {
    if reading.iter().zip(as_typed).all(|(a, b)| a == b) {
        return (Vec::new(), Vec::new());
    }
    let maxes: Vec<Option<Points>> = typed.iter().map(|t| rows[t.index].max.value()).collect();
    let mut children: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, c) in reading.iter().enumerate() {
        if let Some(p) = c.parent() {
            children.entry(p).or_default().push(i);
        }
    }
    let position: HashMap<&str, usize> = reading.iter().enumerate().map(|(i, c)| (c.as_str(), i)).collect();
    let adds_up = |p: &str| {
        let (Some(&pi), Some(kids)) = (position.get(p), children.get(p)) else { return false };
        let sum: Option<Points> = kids.iter().map(|&k| maxes[k]).sum();
        maxes[pi].is_some() && sum == maxes[pi]
    };
    let mut repairs = Vec::new();
    let mut conflicts = Vec::new();
    for (i, (new, old)) in reading.iter().zip(as_typed).enumerate() {
        if new == old {
            continue;
        }
        let t = &typed[i];
        // An area has no parent to add up to; its place is only the order.
        let confirmed = new.parent().is_none_or(adds_up);
        if confirmed {
            repairs.push(CodeRepair {
                cell: t.cell,
                typed: old.clone(),
                read_as: new.clone(),
                under: new.parent().map(|p| Code::from_canonical(p.to_string())),
            });
        } else {
            let p = new.parent().unwrap_or_default();
            let mut involved: Vec<u32> =
                position.get(p).into_iter().chain(children.get(p).into_iter().flatten()).map(|&k| rows[typed[k].index].row + 1).collect();
            involved.sort_unstable();
            conflicts.push(CodeConflict { cell: t.cell, typed: old.clone(), suggested: new.clone(), rows: involved });
        }
    }
    // Only confirmed readings are applied: a conflict leaves every code as typed.
    for r in &repairs {
        if let Some(t) = typed.iter().find(|t| t.cell == r.cell)
            && rows[t.index].kind == RowKind::Criterion
        {
            rows[t.index].code = Some(r.read_as.clone());
        }
    }
    (repairs, conflicts)
}

/// A number's code with its last segment's digits split into more levels, the
/// readings with the fewest levels first: 7.11 → 7.1.1; 3.131 → 3.13.1, 3.1.31, 3.1.3.1.
fn digit_splits(code: &Code) -> Vec<Code> {
    let Some((head, digits)) = code.as_str().rsplit_once('.') else { return Vec::new() };
    if digits.len() < 2 || digits.len() > 4 || digits.starts_with('0') {
        return Vec::new();
    }
    let n = digits.len();
    let mut out: Vec<Vec<&str>> = Vec::new();
    for mask in 1u32..(1 << (n - 1)) {
        let mut parts = Vec::new();
        let mut start = 0;
        for i in 1..n {
            if mask & (1 << (i - 1)) != 0 {
                parts.push(&digits[start..i]);
                start = i;
            }
        }
        parts.push(&digits[start..]);
        if parts.iter().all(|p| !p.starts_with('0')) {
            out.push(parts);
        }
    }
    out.sort_by_key(|p| p.len());
    out.into_iter().map(|p| Code::from_canonical(format!("{head}.{}", p.join(".")))).collect()
}

/// The next code at the same level: 1.9 → 1.10.
fn next_sibling(code: &Code) -> Option<Code> {
    let (head, last) = match code.as_str().rsplit_once('.') {
        Some((h, l)) => (Some(h), l),
        None => (None, code.as_str()),
    };
    let n: u32 = last.parse().ok()?;
    Some(Code::from_canonical(match head {
        Some(h) => format!("{h}.{}", n + 1),
        None => (n + 1).to_string(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::sheet::Score;

    fn rows(spec: &[(&str, i64)]) -> (Vec<SheetRow>, Vec<TypedCode>) {
        let rows: Vec<SheetRow> = spec
            .iter()
            .enumerate()
            .map(|(i, (c, m))| SheetRow {
                row: i as u32 + 4,
                kind: RowKind::Criterion,
                code: Code::parse(c),
                name: "".into(),
                max: Score::Value(Points(*m)),
                self_score: Score::Blank,
                appraised: Score::Blank,
                note: String::new(),
                appraised_formula: false,
                leaf: false,
                options: Vec::new(),
                stages: None,
            })
            .collect();
        let typed = spec
            .iter()
            .enumerate()
            .map(|(i, (c, _))| TypedCode {
                index: i,
                cell: Cell::new(i as u32 + 4, 0),
                number: !c.contains(' ') && c.matches('.').count() == 1,
            })
            .collect();
        (rows, typed)
    }

    fn codes(rows: &[SheetRow]) -> Vec<String> {
        rows.iter().map(|r| r.code.as_deref().unwrap_or_default().to_string()).collect()
    }

    #[test]
    fn children_typed_under_the_wrong_parent_follow_the_order_when_the_sums_agree() {
        let (mut r, t) =
            rows(&[("1", 600), ("1.3", 200), ("1.4.1 ", 100), ("1.4.2 ", 100), ("1.4", 400), ("1.4.1 ", 200), ("1.4.2 ", 200)]);
        let (repairs, conflicts) = settle(&mut r, &t);
        assert_eq!(codes(&r), ["1", "1.3", "1.3.1", "1.3.2", "1.4", "1.4.1", "1.4.2"]);
        assert!(conflicts.is_empty());
        assert_eq!(repairs.len(), 2);
        assert_eq!((repairs[0].cell.to_string(), repairs[0].typed.as_str(), repairs[0].read_as.as_str()), ("A7".into(), "1.4.1", "1.3.1"));
        assert_eq!(repairs[0].under.as_deref(), Some("1.3"));
    }

    #[test]
    fn a_number_cell_that_lost_a_dot_is_split_under_the_row_above() {
        let (mut r, t) = rows(&[("7", 400), ("7.1", 200), ("7.11", 200), ("7.2", 200)]);
        let (repairs, _) = settle(&mut r, &t);
        assert_eq!(codes(&r), ["7", "7.1", "7.1.1", "7.2"]);
        assert_eq!(repairs[0].read_as.as_str(), "7.1.1");
    }

    #[test]
    fn a_number_cell_that_lost_its_trailing_zero_follows_its_sibling() {
        let spec: Vec<(String, i64)> = std::iter::once(("1".to_string(), 1000))
            .chain((1..=9).map(|i| (format!("1.{i} "), 100)))
            .chain([("1.1".to_string(), 100)])
            .collect();
        let spec: Vec<(&str, i64)> = spec.iter().map(|(c, m)| (c.as_str(), *m)).collect();
        let (mut r, t) = rows(&spec);
        let (repairs, conflicts) = settle(&mut r, &t);
        assert!(conflicts.is_empty(), "{conflicts:?}");
        assert_eq!(codes(&r).last().map(String::as_str), Some("1.10"));
        assert_eq!(repairs.len(), 1);
    }

    #[test]
    fn sums_that_disagree_keep_the_codes_and_name_the_rows() {
        let (mut r, t) =
            rows(&[("1", 600), ("1.3", 300), ("1.4.1 ", 100), ("1.4.2 ", 100), ("1.4", 400), ("1.4.1 ", 200), ("1.4.2 ", 200)]);
        let (repairs, conflicts) = settle(&mut r, &t);
        assert!(repairs.is_empty());
        assert_eq!(codes(&r), ["1", "1.3", "1.4.1", "1.4.2", "1.4", "1.4.1", "1.4.2"]);
        assert_eq!(conflicts.len(), 2);
        assert_eq!((conflicts[0].suggested.as_str(), conflicts[0].rows.clone()), ("1.3.1", vec![6, 7, 8]));
    }

    #[test]
    fn a_skipped_level_keeps_the_path_by_depth() {
        // 1.1 is missing: 1.1.1 and 1.1.2 stay as typed, and 1.2.1 after the real 1.2
        // still fits under it.
        let (mut r, t) = rows(&[("1", 300), ("1.1.1", 100), ("1.1.2", 100), ("1.2", 100), ("1.2.1", 100)]);
        assert_eq!(settle(&mut r, &t), (Vec::new(), Vec::new()));
        assert_eq!(codes(&r), ["1", "1.1.1", "1.1.2", "1.2", "1.2.1"]);
    }

    #[test]
    fn well_numbered_sheets_are_left_alone() {
        let (mut r, t) = rows(&[("1", 300), ("1.1", 200), ("1.1.1", 100), ("1.1.2", 100), ("1.2", 100), ("2", 100)]);
        assert_eq!(settle(&mut r, &t), (Vec::new(), Vec::new()));
    }

    #[test]
    fn digit_splits_longest_first() {
        let got: Vec<String> = digit_splits(&Code::canonical("3.131")).iter().map(|c| c.to_string()).collect();
        assert_eq!(got, ["3.1.31", "3.13.1", "3.1.3.1"]);
        assert!(digit_splits(&Code::canonical("3.1")).is_empty());
    }
}
