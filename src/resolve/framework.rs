//! Each year's criteria framework, as the sheets themselves state it.
//!
//! Every sheet carries the framework (codes, names, max). Where sheets disagree the
//! majority wins, so one mistyped sheet cannot change the year's framework.

use crate::model::code::{Code, cmp_codes, is_under, parent};
use crate::model::points::Points;
use crate::model::sheet::{RowKind, RubricOption, ScoreSheet};
use crate::text::fold;
use foldhash::{HashMap, HashMapExt};
use std::collections::BTreeMap;

/// One node of the framework tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    /// The code ("3.13.1"); areas are "1" … "7".
    pub code: Code,
    /// Name, as most sheets write it.
    pub name: String,
    /// Where `name` is typed in capitals: the most common spelling of the same words
    /// that has lower-case letters, for running text (appendices); `None` otherwise or
    /// when no sheet spells it so.
    pub lower_case_name: Option<String>,
    /// Max points.
    pub max: Points,
    /// Whether no other node has this one as parent.
    pub leaf: bool,
    /// The scores its rubric allows, where the sheets list them under the leaf
    /// (the most common list); empty otherwise.
    pub options: Vec<RubricOption>,
}

impl Node {
    /// 1 for areas, 2 for criteria, …
    pub fn depth(&self) -> usize {
        self.code.depth()
    }
}

/// A year's framework.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Framework {
    /// Year.
    pub year: i32,
    /// Nodes in code order.
    pub nodes: Vec<Node>,
    /// Position of each code in `nodes`: checks and scoring look a code up for every
    /// row of every sheet (a binary search splitting codes was 8 % of a run).
    by_code: HashMap<String, usize>,
}

impl Framework {
    /// A framework of these nodes, in code order.
    pub fn new(year: i32, nodes: Vec<Node>) -> Framework {
        let by_code = nodes.iter().enumerate().map(|(i, n)| (n.code.as_str().to_string(), i)).collect();
        Framework { year, nodes, by_code }
    }

    /// The node with this code.
    pub fn get(&self, code: &str) -> Option<&Node> {
        self.by_code.get(code).map(|&i| &self.nodes[i])
    }

    /// The areas (depth 1), in order.
    pub fn areas(&self) -> impl Iterator<Item = &Node> {
        self.nodes.iter().filter(|n| n.depth() == 1)
    }

    /// A framework given as a file's rows (in any order): leaves are the nodes no
    /// other node has as parent. A node whose parent is missing is an error naming it.
    pub fn from_rows(year: i32, rows: &[crate::read::framework_file::FrameworkRow]) -> Result<Framework, String> {
        let mut rows: Vec<_> = rows.iter().collect();
        rows.sort_by(|a, b| cmp_codes(a.code.as_str(), b.code.as_str()));
        let codes: std::collections::HashSet<&str> = rows.iter().map(|r| r.code.as_str()).collect();
        if let Some(orphan) = rows.iter().find(|r| parent(r.code.as_str()).is_some_and(|p| !codes.contains(p))) {
            let p = parent(orphan.code.as_str()).unwrap_or_default();
            return Err(format!("tiêu chí {} thiếu tiêu chí cha {p}", orphan.code.as_str()));
        }
        let nodes = rows
            .iter()
            .map(|r| Node {
                code: r.code.clone(),
                name: r.name.clone(),
                lower_case_name: None,
                max: r.max,
                leaf: !rows.iter().any(|k| parent(k.code.as_str()) == Some(r.code.as_str())),
                options: Vec::new(),
            })
            .collect();
        Ok(Framework::new(year, nodes))
    }

    /// Sum of the leaves' max: the framework's total (usually 100).
    pub fn total(&self) -> Points {
        self.nodes.iter().filter(|n| n.leaf).map(|n| n.max).sum()
    }
}

/// The most common vote; among equals, the least (so the result never depends on
/// the order of the votes).
pub(crate) fn majority<T: Ord + Clone>(votes: &[T]) -> Option<T> {
    let mut counts: BTreeMap<&T, usize> = BTreeMap::new();
    for v in votes {
        *counts.entry(v).or_default() += 1;
    }
    let best = counts.values().copied().max()?;
    counts.into_iter().find(|(_, n)| *n == best).map(|(v, _)| v.clone())
}

/// Builds a year's framework from its sheets by majority.
pub fn build(year: i32, sheets: &[&ScoreSheet]) -> Framework {
    let mut maxes: HashMap<&str, Vec<Points>> = HashMap::new();
    // Spellings per code with their counts: folding each distinct spelling once, not
    // every row of every sheet, keeps a 10,000-sheet year fast.
    let mut names: HashMap<&str, HashMap<&str, usize>> = HashMap::new();
    let mut seen: HashMap<&str, usize> = HashMap::new();
    let mut options: HashMap<&str, Vec<&Vec<RubricOption>>> = HashMap::new();
    for s in sheets {
        for r in s.rows.iter().filter(|r| r.kind == RowKind::Criterion) {
            let Some(code) = r.code.as_deref() else { continue };
            *seen.entry(code).or_default() += 1;
            if let Some(m) = r.max.value() {
                maxes.entry(code).or_default().push(m);
            }
            *names.entry(code).or_default().entry(r.name.as_str()).or_default() += 1;
            if !r.options.is_empty() {
                options.entry(code).or_default().push(&r.options);
            }
        }
    }
    // A code on fewer than half the sheets is one sheet's extra row, not the framework.
    let quorum = sheets.len().div_ceil(2).max(1);
    let mut codes: Vec<&str> = seen.iter().filter(|(_, n)| **n >= quorum).map(|(c, _)| *c).collect();
    codes.sort_by(|a, b| cmp_codes(a, b));
    let mut nodes: Vec<Node> = codes
        .iter()
        .map(|&code| {
            // The most common name once tones and case are folded, then its most common
            // spelling (ties: the first in byte order, so runs agree).
            let mut by_fold: BTreeMap<String, Vec<(&str, usize)>> = BTreeMap::new();
            for (&n, &count) in &names[code] {
                by_fold.entry(fold(n)).or_default().push((n, count));
            }
            let total = |v: &Vec<(&str, usize)>| v.iter().map(|(_, c)| c).sum::<usize>();
            let best = by_fold.values().map(total).max().unwrap_or(0);
            let mut spellings = by_fold.into_values().find(|v| total(v) == best).unwrap_or_default();
            spellings.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
            let name = spellings.first().map(|(n, _)| n.to_string()).unwrap_or_default();
            let in_capitals = !name.chars().any(char::is_lowercase) && name.chars().any(char::is_uppercase);
            let lower_case_name =
                spellings.iter().find(|(n, _)| in_capitals && n.chars().any(char::is_lowercase)).map(|(n, _)| n.to_string());
            Node {
                code: Code::canonical(code),
                name,
                lower_case_name,
                max: maxes.get(code).and_then(|m| majority(m)).unwrap_or_default(),
                leaf: !codes.iter().any(|c| is_under(c, code)),
                options: options.get(code).and_then(|o| majority(o)).cloned().unwrap_or_default(),
            }
        })
        .collect();
    // Parents whose max no sheet states (blank or uncalculated formulas) take the sum
    // of their children, deepest first.
    let mut order: Vec<usize> = (0..nodes.len()).filter(|&i| !nodes[i].leaf && !maxes.contains_key(nodes[i].code.as_str())).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(nodes[i].depth()));
    for i in order {
        let code = nodes[i].code.clone();
        nodes[i].max = nodes.iter().filter(|k| parent(&k.code) == Some(code.as_str())).map(|k| k.max).sum();
    }
    Framework::new(year, nodes)
}
