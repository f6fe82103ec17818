//! The criteria framework the sample is scored against, parsed from the
//! embedded `framework.csv` (code,name,max).

use std::io;

/// The embedded framework: 7 areas I..VII summing to 100.
const FRAMEWORK_CSV: &str = include_str!("framework.csv");

/// One node of the framework tree.
#[derive(Debug, Clone)]
pub(crate) struct Node {
    /// Canonical code: Roman for areas ("III"), dotted Arabic below ("3.13.1").
    pub code: String,
    pub name: String,
    /// Max points in hundredths.
    pub max: i64,
    /// Area number (1-based) this node belongs to.
    pub area: usize,
    /// Index of the parent node, `None` for areas.
    pub parent: Option<usize>,
    /// Indexes of the direct children, in file order.
    pub children: Vec<usize>,
    /// Position in `Framework::leaves`, `None` for parents.
    pub leaf: Option<usize>,
}

impl Node {
    /// Whether this node is an area (top level).
    pub fn is_area(&self) -> bool {
        self.parent.is_none()
    }
}

/// The parsed framework tree, nodes in file order (pre-order).
#[derive(Debug, Clone)]
pub(crate) struct Framework {
    pub nodes: Vec<Node>,
    /// Node indexes of the leaves, in file order.
    pub leaves: Vec<usize>,
    /// Sum of the areas' max, in hundredths.
    pub total: i64,
}

const ROMAN: [&str; 12] = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"];

/// Roman numeral of an area number (1-based).
pub(crate) fn roman(n: usize) -> &'static str {
    ROMAN[n - 1]
}

fn bad(msg: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, msg)
}

/// Splits CSV text into records, honouring quoted fields ("a, b") and
/// doubled quotes inside them.
fn csv_records(text: &str) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    field.push('"');
                    chars.next();
                }
                '"' => quoted = false,
                _ => field.push(c),
            }
            continue;
        }
        match c {
            '"' => quoted = true,
            ',' => record.push(std::mem::take(&mut field)),
            '\r' => {}
            '\n' => {
                record.push(std::mem::take(&mut field));
                if record.iter().any(|f| !f.trim().is_empty()) {
                    records.push(std::mem::take(&mut record));
                } else {
                    record.clear();
                }
            }
            _ => field.push(c),
        }
    }
    record.push(field);
    if record.iter().any(|f| !f.trim().is_empty()) {
        records.push(record);
    }
    records
}

/// Parses "0.5", "12", "1,5" into hundredths.
pub(crate) fn parse_hundredths(s: &str) -> Option<i64> {
    let s = s.trim().replace(',', ".");
    let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
    if (int.is_empty() && frac.is_empty()) || frac.len() > 2 {
        return None;
    }
    let int: i64 = if int.is_empty() { 0 } else { int.parse().ok()? };
    let frac: i64 = match frac.len() {
        0 => 0,
        1 => frac.parse::<i64>().ok()? * 10,
        _ => frac.parse().ok()?,
    };
    Some(int * 100 + frac)
}

impl Framework {
    /// The embedded framework.
    pub fn embedded() -> io::Result<Framework> {
        Framework::parse(FRAMEWORK_CSV)
    }

    /// Parses `code,name,max` CSV (first record is the header).
    pub fn parse(text: &str) -> io::Result<Framework> {
        let mut nodes: Vec<Node> = Vec::new();
        for (line, record) in csv_records(text).into_iter().enumerate().skip(1) {
            let [code, name, max] = record.as_slice() else {
                return Err(bad(format!("framework record {line}: expected 3 fields")));
            };
            let code = code.trim().to_string();
            let max = parse_hundredths(max).ok_or_else(|| bad(format!("framework {code}: bad max {max:?}")))?;
            let (area, parent) = if let Some(pos) = ROMAN.iter().position(|r| *r == code) {
                (pos + 1, None)
            } else {
                let (up, _) = code.rsplit_once('.').ok_or_else(|| bad(format!("framework: bad code {code:?}")))?;
                let area: usize = up
                    .split('.')
                    .next()
                    .and_then(|a| a.parse().ok())
                    .filter(|a| (1..=ROMAN.len()).contains(a))
                    .ok_or_else(|| bad(format!("framework: bad code {code:?}")))?;
                let parent_code = if up.contains('.') { up } else { roman(area) };
                let parent = nodes
                    .iter()
                    .position(|n| n.code == parent_code)
                    .ok_or_else(|| bad(format!("framework {code}: parent {parent_code} missing")))?;
                (area, Some(parent))
            };
            let idx = nodes.len();
            if let Some(p) = parent {
                nodes[p].children.push(idx);
            }
            nodes.push(Node { code, name: name.trim().to_string(), max, area, parent, children: Vec::new(), leaf: None });
        }
        let mut leaves = Vec::new();
        for (idx, node) in nodes.iter_mut().enumerate() {
            if node.children.is_empty() {
                node.leaf = Some(leaves.len());
                leaves.push(idx);
            }
        }
        let total = nodes.iter().filter(|n| n.is_area()).map(|n| n.max).sum();
        if leaves.is_empty() {
            return Err(bad("framework has no criteria".into()));
        }
        Ok(Framework { nodes, leaves, total })
    }

    /// Leaf position of a code, if the code is a leaf.
    pub fn leaf_of(&self, code: &str) -> Option<usize> {
        self.nodes.iter().find(|n| n.code == code).and_then(|n| n.leaf)
    }

    /// The leaf node at leaf position `leaf`.
    pub fn leaf_node(&self, leaf: usize) -> &Node {
        &self.nodes[self.leaves[leaf]]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_framework_parses() {
        let fw = Framework::embedded().unwrap();
        assert_eq!(fw.total, 10000);
        assert_eq!(fw.nodes.iter().filter(|n| n.is_area()).count(), 7);
        assert_eq!(fw.nodes[0].name, "Công tác chỉ đạo, điều hành cải cách hành chính");
        for (i, n) in fw.nodes.iter().enumerate() {
            if !n.children.is_empty() {
                let sum: i64 = n.children.iter().map(|&c| fw.nodes[c].max).sum();
                assert_eq!(sum, n.max, "node {i} {}", n.code);
            }
        }
        assert!(fw.leaf_of("1.2").is_some());
        assert!(fw.leaf_of("1.1").is_none());
        assert_eq!(fw.leaf_node(fw.leaf_of("3.13.3").unwrap()).max, 50);
    }

    #[test]
    fn hundredths() {
        assert_eq!(parse_hundredths("0.5"), Some(50));
        assert_eq!(parse_hundredths("17,1"), Some(1710));
        assert_eq!(parse_hundredths("0,34"), Some(34));
        assert_eq!(parse_hundredths("12"), Some(1200));
        assert_eq!(parse_hundredths("x"), None);
    }
}
