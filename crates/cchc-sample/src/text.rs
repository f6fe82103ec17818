//! Vietnamese text helpers: tone removal, canonical decomposition (NFD) and
//! the old tone placement ("Hoà", "Thuỷ"), written by hand so that the
//! generator needs no Unicode tables crate.

use std::collections::HashMap;
use std::sync::OnceLock;

/// The Vietnamese vowel letters: one row per base letter with its modifier
/// (breve, circumflex, horn), one column per tone (none, grave, acute, hook
/// above, tilde, dot below). Lower case rows first, then upper case.
const ROWS: [&str; 24] = [
    "aàáảãạ",
    "ăằắẳẵặ",
    "âầấẩẫậ",
    "eèéẻẽẹ",
    "êềếểễệ",
    "iìíỉĩị",
    "oòóỏõọ",
    "ôồốổỗộ",
    "ơờớởỡợ",
    "uùúủũụ",
    "ưừứửữự",
    "yỳýỷỹỵ",
    "AÀÁẢÃẠ",
    "ĂẰẮẲẴẶ",
    "ÂẦẤẨẪẬ",
    "EÈÉẺẼẸ",
    "ÊỀẾỂỄỆ",
    "IÌÍỈĨỊ",
    "OÒÓỎÕỌ",
    "ÔỒỐỔỖỘ",
    "ƠỜỚỞỠỢ",
    "UÙÚỦŨỤ",
    "ƯỪỨỬỮỰ",
    "YỲÝỶỸỴ",
];

/// Base letter of each lower-case row.
const BASES: [char; 12] = ['a', 'a', 'a', 'e', 'e', 'i', 'o', 'o', 'o', 'u', 'u', 'y'];

/// Combining modifier of each row: breve U+0306, circumflex U+0302, horn U+031B.
const MODS: [Option<char>; 12] = [
    None,
    Some('\u{306}'),
    Some('\u{302}'),
    None,
    Some('\u{302}'),
    None,
    None,
    Some('\u{302}'),
    Some('\u{31B}'),
    None,
    Some('\u{31B}'),
    None,
];

/// Combining tone mark of each column.
const TONES: [Option<char>; 6] = [None, Some('\u{300}'), Some('\u{301}'), Some('\u{309}'), Some('\u{303}'), Some('\u{323}')];

const DOT_BELOW: char = '\u{323}';
const HORN: char = '\u{31B}';

/// Row and tone column of every letter of `ROWS`.
fn table() -> &'static HashMap<char, (usize, usize)> {
    static TABLE: OnceLock<HashMap<char, (usize, usize)>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut map = HashMap::with_capacity(ROWS.len() * 6);
        for (row, letters) in ROWS.iter().enumerate() {
            for (tone, c) in letters.chars().enumerate() {
                map.insert(c, (row, tone));
            }
        }
        map
    })
}

/// The letter of `row` carrying `tone`.
fn compose(row: usize, tone: usize) -> char {
    ROWS[row].chars().nth(tone).expect("tone column in range")
}

/// Base letter of a row, in the row's case.
fn base_of(row: usize) -> char {
    let base = BASES[row % 12];
    if row >= 12 { base.to_ascii_uppercase() } else { base }
}

/// Removes tones and modifiers ("Triệu Trạch" → "Trieu Trach", "Đ" → "D"),
/// from NFC or NFD text.
pub(crate) fn toneless(s: &str) -> String {
    let table = table();
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            'đ' => out.push('d'),
            'Đ' => out.push('D'),
            '\u{300}'..='\u{36F}' => {}
            _ => match table.get(&c) {
                Some(&(row, _)) => out.push(base_of(row)),
                None => out.push(c),
            },
        }
    }
    out
}

/// The matching key of a name: toneless, lower case, without white space.
/// Two unit names with the same key would be ambiguous for the reader.
pub(crate) fn key(s: &str) -> String {
    toneless(s).to_lowercase().chars().filter(|c| !c.is_whitespace()).collect()
}

/// Canonical decomposition (NFD) of Vietnamese text: base letter, then the
/// combining marks in canonical order (horn 216 < dot below 220 < the
/// others 230, which keep modifier-then-tone order).
pub(crate) fn nfd(s: &str) -> String {
    let table = table();
    let mut out = String::with_capacity(s.len() + s.len() / 2);
    for c in s.chars() {
        let Some(&(row, tone)) = table.get(&c) else {
            out.push(c);
            continue;
        };
        out.push(base_of(row));
        let modifier = MODS[row % 12];
        let tone = TONES[tone];
        match (modifier, tone) {
            (Some(m), Some(DOT_BELOW)) if m != HORN => {
                out.push(DOT_BELOW);
                out.push(m);
            }
            _ => {
                out.extend(modifier);
                out.extend(tone);
            }
        }
    }
    out
}

/// Rewrites open syllables "oa", "oe", "uy" to the old tone placement
/// ("Hòa" → "Hoà", "Thủy" → "Thuỷ", "ỦY" → "UỶ"), as older offices type them.
pub(crate) fn old_tone(s: &str) -> String {
    let table = table();
    let mut chars: Vec<char> = s.chars().collect();
    let n = chars.len();
    for i in 0..n.saturating_sub(1) {
        let Some(&(row, tone)) = table.get(&chars[i]) else {
            continue;
        };
        if tone == 0 {
            continue;
        }
        let Some(&(next_row, 0)) = table.get(&chars[i + 1]) else {
            continue;
        };
        let pair = (BASES[row % 12], MODS[row % 12], BASES[next_row % 12], MODS[next_row % 12]);
        let open = matches!(pair, ('o', None, 'a' | 'e', None) | ('u', None, 'y', None));
        let ends_word = i + 2 >= n || !chars[i + 2].is_alphabetic();
        let starts_ok = i == 0 || (chars[i - 1] != 'q' && chars[i - 1] != 'Q');
        if open && ends_word && starts_ok {
            chars[i] = compose(row, 0);
            chars[i + 1] = compose(next_row, tone);
        }
    }
    chars.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toneless_and_key() {
        assert_eq!(toneless("Triệu Trạch"), "Trieu Trach");
        assert_eq!(toneless("ĐỢT"), "DOT");
        assert_eq!(toneless(&nfd("Triệu Độ")), "Trieu Do");
        assert_eq!(key(" Hòa  Bình Đông"), "hoabinhdong");
    }

    #[test]
    fn nfd_canonical_order() {
        assert_eq!(nfd("ậ"), "a\u{323}\u{302}");
        assert_eq!(nfd("ằ"), "a\u{306}\u{300}");
        assert_eq!(nfd("ợ"), "o\u{31B}\u{323}");
        assert_eq!(nfd("Ử"), "U\u{31B}\u{309}");
        assert_eq!(nfd("ệ"), "e\u{323}\u{302}");
        assert_eq!(nfd("đá"), "đa\u{301}");
    }

    #[test]
    fn old_tone_placement() {
        assert_eq!(old_tone("Triệu Hòa"), "Triệu Hoà");
        assert_eq!(old_tone("XÃ TRIỆU HÒA"), "XÃ TRIỆU HOÀ");
        assert_eq!(old_tone("ỦY BAN NHÂN DÂN"), "UỶ BAN NHÂN DÂN");
        assert_eq!(old_tone("Thủy"), "Thuỷ");
        assert_eq!(old_tone("Hoàng Hòa Bình"), "Hoàng Hoà Bình");
        assert_eq!(old_tone("CỘNG HÒA"), "CỘNG HOÀ");
        assert_eq!(old_tone("Quý"), "Quý");
    }
}
