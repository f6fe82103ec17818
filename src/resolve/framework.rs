//! Each year's criteria framework, as the sheets themselves state it.
//!
//! Every sheet carries the framework (codes, names, max). Where sheets disagree the
//! majority wins, so one mistyped sheet cannot change the year's framework.

use crate::model::code::{Code, cmp_codes, is_under, parent};
use crate::model::points::Points;
use crate::model::sheet::{RowKind, RubricOption, ScoreSheet};
use crate::text::fold;
use foldhash::{HashMap, HashMapExt};
use rayon::prelude::*;
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

    /// The frameworks of a file's rows, one per group where it has a group column
    /// ("xã"; "phường, thị trấn"), in the file's order, each with its group's label
    /// (empty without groups). An error names the group.
    pub fn by_group(year: i32, rows: &[crate::read::framework_file::FrameworkRow]) -> Result<Vec<(String, Framework)>, String> {
        let label = |r: &crate::read::framework_file::FrameworkRow| r.group.clone().unwrap_or_default();
        // No rows: one framework, empty (the caller says the file has no criteria).
        let mut labels: Vec<String> = if rows.is_empty() { vec![String::new()] } else { Vec::new() };
        for r in rows {
            if !labels.contains(&label(r)) {
                labels.push(label(r));
            }
        }
        labels
            .into_iter()
            .map(|l| {
                let own: Vec<_> = rows.iter().filter(|r| label(r) == l).cloned().collect();
                let fw = Framework::from_rows(year, &own).map_err(|m| if l.is_empty() { m } else { format!("nhóm {l}: {m}") })?;
                Ok((l, fw))
            })
            .collect()
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
    most_votes(counts).cloned()
}

/// The value with the most votes, given each value's count; ties go to the least value.
fn most_votes<T: Ord>(counts: impl IntoIterator<Item = (T, usize)>) -> Option<T> {
    counts
        .into_iter()
        .fold(None, |best: Option<(T, usize)>, (v, n)| match best {
            Some((b, bn)) if bn > n || (bn == n && b < v) => Some((b, bn)),
            _ => Some((v, n)),
        })
        .map(|(v, _)| v)
}

/// Builds a year's framework from its sheets by majority.
pub fn build(year: i32, sheets: &[&ScoreSheet]) -> Framework {
    let seen = tally(sheets);
    // A code on fewer than half the sheets is one sheet's extra row, not the framework.
    let quorum = sheets.len().div_ceil(2).max(1);
    let mut codes: Vec<&str> = seen.iter().filter(|(_, t)| t.rows >= quorum).map(|(c, _)| *c).collect();
    codes.sort_by(|a, b| cmp_codes(a, b));
    let mut nodes: Vec<Node> = codes
        .iter()
        .map(|&code| {
            // The most common name once tones and case are folded, then its most common
            // spelling (ties: the first in byte order, so runs agree).
            let mut by_fold: BTreeMap<String, Vec<(&str, usize)>> = BTreeMap::new();
            let t = &seen[code];
            for (&n, &count) in &t.names {
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
                max: most_votes(t.maxes.iter().map(|(&m, &n)| (m, n))).unwrap_or_default(),
                leaf: !codes.iter().any(|c| is_under(c, code)),
                options: majority(&t.options).cloned().unwrap_or_default(),
            }
        })
        .collect();
    // Parents whose max no sheet states (blank or uncalculated formulas) take the sum
    // of their children, deepest first.
    let mut order: Vec<usize> = (0..nodes.len()).filter(|&i| !nodes[i].leaf && seen[nodes[i].code.as_str()].maxes.is_empty()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(nodes[i].depth()));
    for i in order {
        let code = nodes[i].code.clone();
        nodes[i].max = nodes.iter().filter(|k| parent(&k.code) == Some(code.as_str())).map(|k| k.max).sum();
    }
    Framework::new(year, nodes)
}

/// How far a sheet's leaves (code and max) may differ from a framework's and still be
/// checked against it: below this share in common, the sheet carries another framework.
const SAME_FRAMEWORK: f64 = 0.7;

/// The leaves of a sheet as (code, max) pairs, its framework's fingerprint.
fn leaf_signature(s: &ScoreSheet) -> foldhash::HashSet<(&str, Option<Points>)> {
    s.rows.iter().filter(|r| r.leaf).filter_map(|r| r.code.as_deref().map(|c| (c, r.max.value()))).collect()
}

fn framework_signature(fw: &Framework) -> foldhash::HashSet<(&str, Option<Points>)> {
    fw.nodes.iter().filter(|n| n.leaf).map(|n| (n.code.as_str(), Some(n.max))).collect()
}

/// The share of two signatures in common (Jaccard).
fn similarity<T: Eq + std::hash::Hash>(a: &foldhash::HashSet<T>, b: &foldhash::HashSet<T>) -> f64 {
    let union = a.union(b).count();
    if union == 0 { 1.0 } else { a.intersection(b).count() as f64 / union as f64 }
}

/// A year's frameworks where its sheets carry more than one (communes and wards with
/// criteria sets of their own): the frameworks, the largest group's first, and each
/// sheet's framework (an index into them).
#[derive(Debug, Clone)]
pub struct Groups {
    /// The frameworks, by the number of sheets that carry them (most first).
    pub frameworks: Vec<Framework>,
    /// For each sheet (in the order given), its framework.
    pub of_sheet: Vec<usize>,
}

/// What the sheets say of one code.
#[derive(Default)]
struct Tally<'s> {
    /// Criterion rows with the code.
    rows: usize,
    /// Each stated max with its count.
    maxes: HashMap<Points, usize>,
    /// Each spelling of its name with its count: folding each distinct spelling once,
    /// not every row of every sheet, keeps a 10,000-sheet year fast.
    names: HashMap<&'s str, usize>,
    /// Each rubric listed under it, in sheet order.
    options: Vec<&'s Vec<RubricOption>>,
}

impl<'s> Tally<'s> {
    /// Adds what later sheets said (`later`), keeping the sheet order.
    fn merge(&mut self, later: Tally<'s>) {
        self.rows += later.rows;
        for (max, n) in later.maxes {
            *self.maxes.entry(max).or_default() += n;
        }
        for (name, n) in later.names {
            *self.names.entry(name).or_default() += n;
        }
        self.options.extend(later.options);
    }
}

/// Each code's tally over the criterion rows of `sheets`; chunks of sheets in parallel,
/// merged in sheet order (a year of 10,000 sheets is a million rows).
fn tally<'s>(sheets: &[&'s ScoreSheet]) -> HashMap<&'s str, Tally<'s>> {
    const CHUNK: usize = 256;
    sheets
        .par_chunks(CHUNK)
        .map(|chunk| {
            let mut seen: HashMap<&str, Tally> = HashMap::new();
            for r in chunk.iter().flat_map(|s| &s.rows).filter(|r| r.kind == RowKind::Criterion) {
                let Some(code) = r.code.as_deref() else { continue };
                let t = seen.entry(code).or_default();
                t.rows += 1;
                if let Some(m) = r.max.value() {
                    *t.maxes.entry(m).or_default() += 1;
                }
                *t.names.entry(&*r.name).or_default() += 1;
                if !r.options.is_empty() {
                    t.options.push(&r.options);
                }
            }
            seen
        })
        .reduce(HashMap::new, |mut earlier, later| {
            for (code, t) in later {
                earlier.entry(code).or_default().merge(t);
            }
            earlier
        })
}

/// Groups a year's sheets by the framework they carry. One majority framework is built
/// from all of them; sheets sharing less than `SAME_FRAMEWORK` of their leaves with
/// it, two or more, make a framework of their own by majority (so one mistyped sheet
/// stays with the majority and is checked against it), and each sheet then goes to the
/// framework nearest its own leaves.
pub fn build_groups(year: i32, sheets: &[&ScoreSheet]) -> Groups {
    let mut frameworks = vec![build(year, sheets)];
    let signatures: Vec<_> = sheets.par_iter().map(|s| leaf_signature(s)).collect();
    let nearest = |fws: &[Framework]| -> Vec<(usize, f64)> {
        let sigs: Vec<_> = fws.iter().map(framework_signature).collect();
        signatures
            .par_iter()
            .map(|s| {
                sigs.iter().enumerate().map(|(k, f)| (k, similarity(s, f))).fold((0, -1.0), |best, x| if x.1 > best.1 { x } else { best })
            })
            .collect()
    };
    let mut of_sheet: Vec<usize> = vec![0; sheets.len()];
    for _ in 0..3 {
        let near = nearest(&frameworks);
        let apart: Vec<usize> = (0..sheets.len()).filter(|&i| near[i].1 < SAME_FRAMEWORK).collect();
        of_sheet = near.iter().map(|n| n.0).collect();
        if apart.len() < 2 {
            break;
        }
        frameworks.push(build(year, &apart.iter().map(|&i| sheets[i]).collect::<Vec<_>>()));
        // Each framework again from the sheets nearest it.
        let near = nearest(&frameworks);
        frameworks = (0..frameworks.len())
            .map(|k| build(year, &(0..sheets.len()).filter(|&i| near[i].0 == k).map(|i| sheets[i]).collect::<Vec<_>>()))
            .collect();
        of_sheet = nearest(&frameworks).iter().map(|n| n.0).collect();
    }
    // Most sheets first; empty frameworks dropped.
    let mut count = vec![0usize; frameworks.len()];
    for &k in &of_sheet {
        count[k] += 1;
    }
    let mut order: Vec<usize> = (0..frameworks.len()).filter(|&k| count[k] > 0).collect();
    order.sort_by_key(|&k| std::cmp::Reverse(count[k]));
    if order.is_empty() {
        // No sheets: the one (empty) framework.
        frameworks.truncate(1);
        return Groups { frameworks, of_sheet };
    }
    let mut position = vec![0; frameworks.len()];
    for (new, &old) in order.iter().enumerate() {
        position[old] = new;
    }
    let of_sheet = of_sheet.iter().map(|&k| position[k]).collect();
    Groups { frameworks: order.iter().map(|&k| std::mem::take(&mut frameworks[k])).collect(), of_sheet }
}

/// The group (an index into `labels`) of a unit's kind: the first label that names the
/// kind ([`crate::config::group_kinds`]), else the first group.
pub fn group_of_kind(labels: &[String], kind: crate::model::unit::UnitKind) -> usize {
    labels.iter().position(|l| crate::config::group_kinds(l).contains(&kind)).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The counted vote (a year's maxes) and the listed one (rubrics) pick alike: the
    /// most votes, ties to the least value, whatever order the counts come in.
    #[test]
    fn counted_votes_pick_as_listed_votes_do() {
        let votes = [3, 1, 2, 2, 3, 1, 5];
        let mut counts: Vec<(i32, usize)> = vec![(5, 1), (3, 2), (1, 2), (2, 2)];
        for _ in 0..counts.len() {
            assert_eq!(most_votes(counts.iter().copied()), Some(1));
            counts.rotate_left(1);
        }
        assert_eq!(majority(&votes), Some(1));
        assert_eq!(most_votes([(7, 1), (4, 3), (9, 3)]), Some(4));
        assert_eq!(most_votes(Vec::<(i32, usize)>::new()), None);
    }
}
