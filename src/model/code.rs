//! Criterion codes: the one home of every rule about them (parsing "III",
//! "3.13.1." or a number typed as a cell, depth, parent, area, order, display).
//!
//! A [`Code`] is always canonical dotted arabic ("3.13.1"; areas "1" … "7"), so two
//! spellings of one criterion are one code. Maps keyed by `&str` use
//! [`Code::as_str`]; the free functions answer for such canonical strings.

use regex::Regex;
use serde::Serialize;
use std::cmp::Ordering;
use std::fmt;
use std::sync::LazyLock;

/// A criterion code in canonical dotted-arabic form.
///
/// ```
/// use cchc::model::code::Code;
/// let c = Code::parse("3.13.1.").unwrap();
/// assert_eq!((c.as_str(), c.depth(), c.parent(), c.area()), ("3.13.1", 3, Some("3.13"), "3"));
/// assert_eq!(Code::parse("III").unwrap().display(), "III");
/// assert!(Code::parse("1.2").unwrap() < Code::parse("1.10").unwrap());
/// ```
#[derive(Clone, PartialEq, Eq, Hash, Default)]
pub struct Code(String);

impl Code {
    /// Reads a code as typed: Roman areas, dotted arabic, trailing dots or brackets.
    /// `None` when the text is not a code.
    pub fn parse(raw: &str) -> Option<Code> {
        let t = raw.trim().trim_end_matches(['.', ')', ':']).trim();
        if t.is_empty() {
            return None;
        }
        // Most codes are typed canonical ("1.2.3"): one copy, no parts to rebuild.
        if is_canonical(t) {
            return Some(Code(t.to_string()));
        }
        // "LV1": areas labelled by position in a PAR system's analysis export.
        if let Some(n) =
            t.strip_prefix("LV").or_else(|| t.strip_prefix("Lv")).filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        {
            return Code::parse(n);
        }
        if let Some(v) = roman_value(t) {
            return Some(Code(v.to_string()));
        }
        let parts: Vec<&str> = t.split('.').collect();
        if parts.len() > 8 {
            return None;
        }
        let mut out = Vec::with_capacity(parts.len());
        for p in parts {
            let n: u32 = p.trim().parse().ok()?;
            if n > 999 {
                return None;
            }
            out.push(n.to_string());
        }
        Some(Code(out.join(".")))
    }

    /// A code already canonical (from the framework, an export, a test).
    pub fn canonical(code: &str) -> Code {
        debug_assert!(Code::parse(code).is_some_and(|c| c.0 == code), "not canonical: {code}");
        Code(code.to_string())
    }

    /// [`Code::canonical`] for an owned string (rows read back from a table).
    pub fn from_canonical(code: String) -> Code {
        debug_assert!(Code::parse(&code).is_some_and(|c| c.0 == code), "not canonical: {code}");
        Code(code)
    }

    /// The dotted-arabic form ("1.1.3", areas "3").
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// 1 for areas, 2 for criteria, …
    pub fn depth(&self) -> usize {
        depth(&self.0)
    }

    /// The parent's code: "1.1.3" → "1.1"; areas have none.
    pub fn parent(&self) -> Option<&str> {
        parent(&self.0)
    }

    /// The area's code: "3.13.1" → "3".
    pub fn area(&self) -> &str {
        area_of(&self.0)
    }

    /// Whether this is an area (depth 1).
    pub fn is_area(&self) -> bool {
        !self.0.contains('.')
    }

    /// As documents print it: areas in Roman numerals ("III"), the rest dotted.
    pub fn display(&self) -> String {
        if self.is_area() { roman(self.0.parse().unwrap_or(0)) } else { self.0.clone() }
    }
}

impl std::ops::Deref for Code {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Code {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl PartialEq<str> for Code {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl PartialEq<String> for Code {
    fn eq(&self, other: &String) -> bool {
        self.0 == *other
    }
}

impl PartialEq<Code> for String {
    fn eq(&self, other: &Code) -> bool {
        *self == other.0
    }
}

impl From<Code> for String {
    fn from(c: Code) -> String {
        c.0
    }
}

impl From<&Code> for String {
    fn from(c: &Code) -> String {
        c.0.clone()
    }
}

impl Ord for Code {
    fn cmp(&self, other: &Code) -> Ordering {
        cmp_codes(&self.0, &other.0)
    }
}

impl PartialOrd for Code {
    fn partial_cmp(&self, other: &Code) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.0)
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

/// Splits a leading code off a name cell: "1.1.3. Mức độ …" → ("1.1.3", "Mức độ …").
///
/// A Roman area needs punctuation or a capitalised word after it ("I. CÔNG TÁC",
/// "II Theo dõi"), so that a name such as "In ấn" is not read as area 1.
pub fn split_prefix(cell: &str) -> Option<(Code, String)> {
    // Most name cells start with a word: no regex for them (it ran on every row).
    if !cell.trim_start().starts_with(|c: char| c.is_ascii_digit() || matches!(c, 'I' | 'V' | 'X' | 'L')) {
        return None;
    }
    static PREFIX: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^\s*([IVXL]+|\d{1,3}(?:\.\d{1,3})*)([.)\-–:]?)(\s*)(.*)$").expect("valid regex"));
    let caps = PREFIX.captures(cell)?;
    let (head, punct, space) = (&caps[1], &caps[2], &caps[3]);
    let rest = caps[4].trim_start_matches(['.', '-', '–', ':', ' ']).trim();
    let roman = head.starts_with(['I', 'V', 'X', 'L']);
    let separated = !punct.is_empty() || !space.is_empty();
    // A bare number and a word in lower case is text ("01 giải pháp: 2"), not a code.
    let capital = rest.starts_with(char::is_uppercase);
    let ok = if roman || !head.contains('.') { !punct.is_empty() || (!space.is_empty() && capital) } else { separated };
    if !ok || rest.is_empty() {
        return None;
    }
    Some((Code::parse(head)?, rest.to_string()))
}

/// Depth of a canonical code: its number of segments.
pub fn depth(code: &str) -> usize {
    code.split('.').count()
}

/// Parent of a canonical code: "1.1.3" → "1.1"; areas have none.
pub fn parent(code: &str) -> Option<&str> {
    code.rsplit_once('.').map(|(p, _)| p)
}

/// The ancestors of a canonical code, nearest first: "1.1.3" → "1.1", "1".
pub fn ancestors(code: &str) -> impl Iterator<Item = &str> {
    std::iter::successors(parent(code), |c| parent(c))
}

/// The ancestor of a canonical code at `depth` (1 = its area): "3.13.1" at 2 → "3.13";
/// the code itself where it is not deeper.
pub fn ancestor_at(code: &str, depth: usize) -> &str {
    code.match_indices('.').nth(depth.saturating_sub(1)).map_or(code, |(i, _)| &code[..i])
}

/// Whether `code` lies under `ancestor` (a descendant, not the code itself):
/// "1.1.3" is under "1.1" and "1", not under "1.10".
pub fn is_under(code: &str, ancestor: &str) -> bool {
    code.len() > ancestor.len() && code.starts_with(ancestor) && code.as_bytes()[ancestor.len()] == b'.'
}

/// The area of a canonical code: "3.13.1" → "3".
pub fn area_of(code: &str) -> &str {
    code.split('.').next().unwrap_or(code)
}

/// Orders canonical codes as numbers segment by segment: 1.2 < 1.10 < 2.
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

/// The value of a Roman numeral (I … L).
fn roman_value(s: &str) -> Option<u32> {
    if s.is_empty() || !s.chars().all(|c| matches!(c, 'I' | 'V' | 'X' | 'L')) {
        return None;
    }
    let val = |c| match c {
        'I' => 1,
        'V' => 5,
        'X' => 10,
        _ => 50,
    };
    let cs: Vec<u32> = s.chars().map(val).collect();
    let mut total = 0i64;
    for (i, &v) in cs.iter().enumerate() {
        if cs.get(i + 1).is_some_and(|&n| n > v) {
            total -= v as i64;
        } else {
            total += v as i64;
        }
    }
    (total > 0).then_some(total as u32)
}

/// Whether `t` is a code as cchc writes it: one to eight parts of one to three digits
/// without a leading zero, joined by dots.
fn is_canonical(t: &str) -> bool {
    let part = |p: &str| (1..=3).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()) && (p.len() == 1 || !p.starts_with('0'));
    t.split('.').count() <= 8 && t.split('.').all(part)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_spelling_to_one_code() {
        for raw in ["III", "3", "3.", " 3) ", "03"] {
            assert_eq!(Code::parse(raw).map(|c| c.0), Some("3".to_string()), "{raw}");
        }
        assert_eq!(Code::parse("1.01.3.").unwrap().as_str(), "1.1.3");
        assert_eq!(Code::parse("XIV").unwrap().as_str(), "14");
        assert_eq!(Code::parse("LV3").unwrap().as_str(), "3");
        for bad in ["", "a", "1.x", "1000", "1.2.3.4.5.6.7.8.9"] {
            assert_eq!(Code::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn order_depth_parent_area_display() {
        assert_eq!(cmp_codes("1.2", "1.10"), Ordering::Less);
        assert_eq!(cmp_codes("2", "1.10"), Ordering::Greater);
        assert_eq!(parent("1.1.3"), Some("1.1"));
        assert_eq!(parent("3"), None);
        assert_eq!(ancestors("1.1.3").collect::<Vec<_>>(), ["1.1", "1"]);
        assert_eq!((ancestor_at("3.13.1", 1), ancestor_at("3.13.1", 2), ancestor_at("3.13", 3)), ("3", "3.13", "3.13"));
        assert!(is_under("1.1.3", "1.1") && is_under("1.1.3", "1") && !is_under("1.10", "1.1") && !is_under("1.1", "1.1"));
        assert_eq!(area_of("3.13.1"), "3");
        assert_eq!(roman(7), "VII");
        assert_eq!(roman(14), "XIV");
        let c = Code::canonical("7");
        assert_eq!((c.depth(), c.parent(), c.is_area(), c.display()), (1, None, true, "VII".to_string()));
        assert_eq!(Code::canonical("3.13.1").display(), "3.13.1");
    }

    #[test]
    fn roman_values() {
        assert_eq!(roman_value("IV"), Some(4));
        assert_eq!(roman_value("XIX"), Some(19));
        assert_eq!(roman_value("In"), None);
        for n in 1..=40 {
            assert_eq!(roman_value(&roman(n)), Some(n as u32));
        }
    }
    #[test]
    fn codes_roman_arabic_trailing_dots() {
        assert_eq!(Code::parse("III").as_deref(), Some("3"));
        assert_eq!(Code::parse("1.1.3.").as_deref(), Some("1.1.3"));
        assert_eq!(Code::parse("2").as_deref(), Some("2"));
        assert_eq!(Code::parse("a"), None);
        // Typed canonical or not, the same code.
        for (typed, code) in [("0", Some("0")), ("007", Some("7")), ("1.0", Some("1.0")), ("1.010", Some("1.10")), ("999.1", Some("999.1"))]
        {
            assert_eq!(Code::parse(typed).as_deref(), code, "{typed}");
        }
        assert_eq!(Code::parse("1.1000"), None);
        assert_eq!(Code::parse("1.1.1.1.1.1.1.1").as_deref(), Some("1.1.1.1.1.1.1.1"));
        assert_eq!(Code::parse("1.1.1.1.1.1.1.1.1"), None);
        assert_eq!(Code::parse("1..2"), None);
        assert_eq!(Code::parse("Tổng"), None);
    }

    #[test]
    fn code_prefix_in_name_cell() {
        assert_eq!(split_prefix("1.1.3. Mức độ thực hiện"), Some((Code::canonical("1.1.3"), "Mức độ thực hiện".into())));
        assert_eq!(split_prefix("I. CÔNG TÁC CHỈ ĐẠO"), Some((Code::canonical("1"), "CÔNG TÁC CHỈ ĐẠO".into())));
        assert_eq!(split_prefix("7.7.Áp dụng chữ ký số"), Some((Code::canonical("7.7"), "Áp dụng chữ ký số".into())));
        assert_eq!(split_prefix("1. CÔNG TÁC"), Some((Code::canonical("1"), "CÔNG TÁC".into())));
        assert_eq!(split_prefix("TỔNG CỘNG"), None);
        assert_eq!(split_prefix("Người lập biểu"), None);
        assert_eq!(split_prefix("Ích lợi"), None);
        assert_eq!(split_prefix("01 giải pháp: 2"), None);
        assert_eq!(split_prefix("2 Theo dõi").map(|p| p.0), Some(Code::canonical("2")));
    }
}
