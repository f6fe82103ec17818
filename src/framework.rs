//! Each year's criteria framework, as the sheets themselves state it.
//!
//! Every sheet carries the framework (codes, names, max). Where sheets disagree the
//! majority wins, so one mistyped sheet cannot change the year's framework.

use crate::extract::{RowKind, ScoreSheet};
use crate::text::{Points, fold};
use foldhash::{HashMap, HashMapExt};
use std::cmp::Ordering;
use std::collections::BTreeMap;

/// One node of the framework tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    /// Dotted arabic code ("3.13.1"); areas are "1" … "7".
    pub code: String,
    /// Name, as most sheets write it.
    pub name: String,
    /// Max points.
    pub max: Points,
    /// Whether no other node has this one as parent.
    pub leaf: bool,
}

impl Node {
    /// 1 for areas, 2 for criteria, …
    pub fn depth(&self) -> usize {
        depth(&self.code)
    }
}

/// Depth of a code: number of segments.
pub fn depth(code: &str) -> usize {
    code.split('.').count()
}

/// Parent code: "1.1.3" → "1.1"; areas have none.
pub fn parent(code: &str) -> Option<&str> {
    code.rsplit_once('.').map(|(p, _)| p)
}

/// The area a code belongs to: "3.13.1" → "3".
pub fn area_of(code: &str) -> &str {
    code.split('.').next().unwrap_or(code)
}

/// Orders codes as numbers segment by segment: 1.2 < 1.10 < 2.
pub fn cmp_codes(a: &str, b: &str) -> Ordering {
    // Segment by segment without allocating: framework lookups call this a lot.
    let seg = |x: &str| x.parse::<u32>().unwrap_or(u32::MAX);
    a.split('.').map(seg).cmp(b.split('.').map(seg))
}

/// Roman numeral of an area number, as documents print it.
pub fn roman(n: usize) -> String {
    const R: [(usize, &str); 7] = [(50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")];
    let mut n = n;
    let mut s = String::new();
    for (v, r) in R {
        while n >= v {
            s.push_str(r);
            n -= v;
        }
    }
    s
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
    by_code: foldhash::HashMap<String, usize>,
}

impl Framework {
    /// A framework of these nodes, in code order.
    pub fn new(year: i32, nodes: Vec<Node>) -> Framework {
        let by_code = nodes.iter().enumerate().map(|(i, n)| (n.code.clone(), i)).collect();
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

    /// Sum of the leaves' max: the framework's total (usually 100).
    pub fn total(&self) -> Points {
        self.nodes.iter().filter(|n| n.leaf).map(|n| n.max).sum()
    }
}

fn majority<T: Ord + Clone>(votes: &[T]) -> Option<T> {
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
    for s in sheets {
        for r in s.rows.iter().filter(|r| r.kind == RowKind::Criterion) {
            let Some(code) = r.code.as_deref() else { continue };
            *seen.entry(code).or_default() += 1;
            if let Some(m) = r.max.value() {
                maxes.entry(code).or_default().push(m);
            }
            *names.entry(code).or_default().entry(r.name.as_str()).or_default() += 1;
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
            let prefix = format!("{code}.");
            Node {
                code: code.to_string(),
                name,
                max: maxes.get(code).and_then(|m| majority(m)).unwrap_or_default(),
                leaf: !codes.iter().any(|c| c.starts_with(&prefix)),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_helpers() {
        assert_eq!(cmp_codes("1.2", "1.10"), Ordering::Less);
        assert_eq!(cmp_codes("2", "1.10"), Ordering::Greater);
        assert_eq!(parent("1.1.3"), Some("1.1"));
        assert_eq!(parent("3"), None);
        assert_eq!(area_of("3.13.1"), "3");
        assert_eq!(roman(7), "VII");
        assert_eq!(roman(14), "XIV");
    }
}
