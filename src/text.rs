//! Text and number normalisation shared by every stage.
//!
//! Sheets are typed by hand: the same label arrives in NFC or NFD, with old or new
//! tone placement, in any case, with typos. Everything that compares text goes
//! through [`fold`] or [`toned_key`]; numbers are read by [`crate::model::points`].

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Whether a cell says "not applicable" (Không áp dụng, KAD, không đánh giá, N/A).
pub fn is_not_applicable(raw: &str) -> bool {
    let f = fold(raw);
    let compact: String = f.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
    matches!(compact.as_str(), "kad" | "kapd" | "kda" | "na" | "kdg" | "khongapdung" | "khongdanhgia" | "khongtinh")
        || f.starts_with("khong ap dung")
        || f.starts_with("khong danh gia")
}

/// A bounded per-thread memo of what a label says (a row's kind, a header's role,
/// a criterion's name cleaned).
///
/// The same labels come back on every sheet of a district (the framework's names, the
/// header row), so folding and matching each again was a few per cent of a
/// 10,000-sheet run. Bounded, so odd inputs cannot grow it.
pub(crate) struct LabelMemo<T>(std::cell::RefCell<foldhash::HashMap<String, T>>);

impl<T> Default for LabelMemo<T> {
    fn default() -> Self {
        LabelMemo(Default::default())
    }
}

impl<T: Clone> LabelMemo<T> {
    const MAX: usize = 4096;

    /// `judge(label)`, looked up in this thread's memo `memo` first.
    pub(crate) fn get(memo: &'static std::thread::LocalKey<Self>, label: &str, judge: impl FnOnce(&str) -> T) -> T {
        memo.with(|m| {
            if let Some(v) = m.0.borrow().get(label) {
                return v.clone();
            }
            let v = judge(label);
            let mut map = m.0.borrow_mut();
            if map.len() < Self::MAX {
                map.insert(label.to_string(), v.clone());
            }
            v
        })
    }
}

thread_local! {
    static SHARED: LabelMemo<std::sync::Arc<str>> = LabelMemo::default();
}

/// One copy, per reading thread, of a text that repeats down every sheet: a criterion's
/// name (a framework has about 90; a province's 10,000 sheets repeat them, 50 MB of
/// copies).
pub fn shared(s: &str) -> std::sync::Arc<str> {
    LabelMemo::get(&SHARED, s, |s| std::sync::Arc::from(s))
}

const TONE_MARKS: [char; 5] = ['\u{300}', '\u{301}', '\u{303}', '\u{309}', '\u{323}'];

/// Lowercase, toneless, ASCII-only form with single spaces: "Thị trấn  Ái Tử" → "thi tran ai tu".
///
/// Used to match labels and to compare names where tones are unreliable.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = true;
    let mut push = |c: char| {
        if is_combining_mark(c) {
            return;
        }
        let c = match c {
            'đ' | 'Đ' => 'd',
            c => c.to_ascii_lowercase(),
        };
        if c.is_whitespace() || c == '_' {
            if !space {
                out.push(' ');
                space = true;
            }
        } else {
            out.push(c);
            space = false;
        }
    };
    // Each character decomposed on its own: the same letters as a full NFD pass
    // (combining marks are dropped, so their order does not matter), without the
    // reordering buffer. fold runs on every row name of every sheet.
    for c in s.chars() {
        if c.is_ascii() {
            push(c);
        } else {
            unicode_normalization::char::decompose_canonical(c, &mut push);
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// Which of `names` a typed name is: the same [`toned_key`], else the one name it folds
/// to ([`fold`]); none where two names fold alike (Mỹ Thành, Mỹ Thạnh). The one
/// matching rule for units typed by users, listed by the office or named in tables.
///
/// ```
/// use cchc::text::find_name;
/// let names = ["Triệu Trạch", "Mỹ Thành", "Mỹ Thạnh"];
/// assert_eq!(find_name(names.iter().copied(), "TRIỆU TRẠCH"), Some(0));
/// assert_eq!(find_name(names.iter().copied(), "Trieu Trach"), Some(0));
/// assert_eq!(find_name(names.iter().copied(), "My Thanh"), None);
/// ```
pub fn find_name<'a>(names: impl Iterator<Item = &'a str> + Clone, name: &str) -> Option<usize> {
    let key = toned_key(name);
    names.clone().position(|n| toned_key(n) == key).or_else(|| {
        let f = fold(name);
        let mut hits = names.enumerate().filter(|(_, n)| fold(n) == f).map(|(i, _)| i);
        match (hits.next(), hits.next()) {
            (Some(i), None) => Some(i),
            _ => None,
        }
    })
}

/// Lowercase NFC form with the tone of each syllable moved to a canonical place, so
/// "Hoà" and "Hòa", "Thuỷ" and "Thủy" compare equal but "Thành" and "Thạnh" do not.
pub fn toned_key(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for (i, word) in s.split(|c: char| c.is_whitespace() || c == '_').filter(|w| !w.is_empty()).enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let mut tone = None;
        let mut base = String::new();
        for c in word.nfd() {
            if TONE_MARKS.contains(&c) {
                tone = Some(c);
            } else {
                base.extend(c.to_lowercase());
            }
        }
        out.extend(base.nfc());
        if let Some(t) = tone {
            // A marker after the syllable instead of on a vowel: placement-free.
            out.push('#');
            out.push(t);
        }
    }
    out
}

/// Whether the text carries any Vietnamese diacritic (tone or vowel mark, or đ).
pub fn has_diacritics(s: &str) -> bool {
    s.nfd().any(|c| is_combining_mark(c) || c == 'đ' || c == 'Đ')
}

/// NFC with collapsed whitespace (newlines become spaces): the form stored and shown.
pub fn clean(s: &str) -> String {
    // Most cells are already NFC with single spaces: check before rebuilding.
    let single_spaced = !s.starts_with(' ') && !s.ends_with(' ') && !s.contains("  ") && !s.chars().any(|c| c.is_whitespace() && c != ' ');
    if single_spaced && unicode_normalization::is_nfc_quick(s.chars()) == unicode_normalization::IsNormalized::Yes {
        return s.to_string();
    }
    let nfc: String = s.nfc().collect();
    nfc.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Title case for names typed in capitals: "TRIỆU TRẠCH" → "Triệu Trạch".
pub fn title_case(s: &str) -> String {
    clean(s)
        .split(' ')
        .map(|w| {
            let mut cs = w.chars();
            match cs.next() {
                Some(f) => f.to_uppercase().chain(cs.flat_map(char::to_lowercase)).collect(),
                None => String::new(),
            }
        })
        .collect::<Vec<String>>()
        .join(" ")
}

/// Moves tones to the placement current in official names: "Hoà" → "Hòa",
/// "Thuỷ" → "Thủy", "UỶ" → "ỦY". Only open syllables change ("Toàn" keeps its
/// tone), and "qu" is a consonant ("Quý" stays).
pub fn modern_tones(s: &str) -> String {
    // (old second vowel with tone, first vowel, toned first vowel, plain second vowel)
    const PAIRS: [(&str, &str, &str); 3] = [("oa", "òóỏõọ", "àáảãạ"), ("oe", "òóỏõọ", "èéẻẽẹ"), ("uy", "ùúủũụ", "ỳýỷỹỵ")];
    let chars: Vec<char> = s.nfc().collect();
    let mut out = chars.clone();
    for i in 1..chars.len() {
        let (first, second) = (chars[i - 1], chars[i]);
        let lower_first = first.to_lowercase().next().unwrap_or(first);
        let lower_second = second.to_lowercase().next().unwrap_or(second);
        let open = chars.get(i + 1).is_none_or(|c| !c.is_alphabetic());
        let after_q = i >= 2 && matches!(chars[i - 2], 'q' | 'Q');
        for (plain, toned_first, toned_second) in PAIRS {
            let mut p = plain.chars();
            let (pf, ps) = (p.next().unwrap_or(' '), p.next().unwrap_or(' '));
            let Some(t) = toned_second.chars().position(|c| c == lower_second) else { continue };
            if lower_first != pf || !open || after_q {
                continue;
            }
            let nf = toned_first.chars().nth(t).unwrap_or(first);
            out[i - 1] = if first.is_uppercase() { nf.to_uppercase().next().unwrap_or(nf) } else { nf };
            out[i] = if second.is_uppercase() { ps.to_ascii_uppercase() } else { ps };
        }
    }
    out.into_iter().collect()
}

/// A name as a file name: ASCII-folded, lowercase words joined by hyphens ("Thị trấn
/// Ái Tử" → "thi-tran-ai-tu"); "don-vi" where no letter or digit is left. The one slug
/// of every file cchc names after a unit.
pub fn slug(name: &str) -> String {
    let folded = fold(name);
    let mut out = String::with_capacity(folded.len());
    for c in folded.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() { "don-vi".to_string() } else { out }
}

/// The first letter in capitals ("xã" → "Xã").
pub fn capitalised(s: &str) -> String {
    let mut cs = s.chars();
    cs.next().map(|c| c.to_uppercase().chain(cs).collect()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_memo_answers_as_its_function_and_stays_bounded() {
        thread_local! {
            static MEMO: LabelMemo<usize> = Default::default();
        }
        for i in 0..5000 {
            let label = format!("nhãn {i}");
            assert_eq!(LabelMemo::get(&MEMO, &label, str::len), label.len());
        }
        // Kept: answered from the memo, not by the new function.
        assert_eq!(LabelMemo::get(&MEMO, "nhãn 1", |_| 0), "nhãn 1".len());
        // Past the bound: not kept, so asked again.
        assert_eq!(LabelMemo::get(&MEMO, "nhãn 4999", |_| 7), 7);
        MEMO.with(|m| assert_eq!(m.0.borrow().len(), LabelMemo::<usize>::MAX));
    }

    #[test]
    fn fold_matches_a_full_nfd_pass() {
        let reference = |s: &str| -> String {
            let kept: String = s
                .nfd()
                .filter(|c| !is_combining_mark(*c))
                .map(|c| if c == 'đ' || c == 'Đ' { 'd' } else { c.to_ascii_lowercase() })
                .map(|c| if c == '_' { ' ' } else { c })
                .collect();
            kept.split_whitespace().collect::<Vec<_>>().join(" ")
        };
        for s in
            ["Thị trấn  Ái Tử", "ĐIỂM THẨM ĐỊNH", "Trie\u{0323}\u{0302}u_Tra\u{0323}ch ", "Hoà Thuỷ Quý", "Ưu tiên ơ ư", "한국 Ωμέγα", ""]
        {
            assert_eq!(fold(s), reference(s), "{s}");
        }
    }

    #[test]
    fn slugs() {
        assert_eq!(slug("Triệu Trạch"), "trieu-trach");
        assert_eq!(slug("Thị trấn  Ái Tử"), "thi-tran-ai-tu");
        assert_eq!(slug("Đông Hà (phường 1)"), "dong-ha-phuong-1");
        assert_eq!(slug("???"), "don-vi");
    }

    #[test]
    fn clean_composes_and_single_spaces() {
        assert_eq!(clean("Triệu Trạch"), "Triệu Trạch");
        assert_eq!(clean("Trie\u{0323}\u{0302}u  Tra\u{0323}ch"), "Triệu Trạch");
        assert_eq!(clean(" Xã\tTriệu\u{a0}Ái\n"), "Xã Triệu Ái");
        assert_eq!(clean(""), "");
    }

    #[test]
    fn folds_nfd_case_and_tones() {
        let nfd: String = "Thị trấn Ái Tử".nfd().collect();
        assert_eq!(fold(&nfd), "thi tran ai tu");
        assert_eq!(fold("Điểm  Thẩm định"), "diem tham dinh");
        assert_eq!(fold("Trieu_Trach"), "trieu trach");
    }

    #[test]
    fn toned_key_ignores_tone_placement_only() {
        assert_eq!(toned_key("Hoà"), toned_key("Hòa"));
        assert_eq!(toned_key("Thuỷ"), toned_key("THỦY"));
        assert_ne!(toned_key("Mỹ Thành"), toned_key("Mỹ Thạnh"));
        let nfd: String = "Triệu Trạch".nfd().collect();
        assert_eq!(toned_key(&nfd), toned_key("TRIỆU TRẠCH"));
    }

    #[test]
    fn modern_tone_placement() {
        assert_eq!(modern_tones("Triệu Hoà"), "Triệu Hòa");
        assert_eq!(modern_tones("Thuỷ"), "Thủy");
        assert_eq!(modern_tones("UỶ BAN"), "ỦY BAN");
        assert_eq!(modern_tones("Toàn Thắng"), "Toàn Thắng");
        assert_eq!(modern_tones("Quý"), "Quý");
        assert_eq!(modern_tones("khoẻ"), "khỏe");
    }

    #[test]
    fn not_applicable_spellings() {
        for s in ["KAD", "Không áp dụng", "không đánh giá", "N/A", "K.A.D"] {
            assert!(is_not_applicable(s), "{s}");
        }
        assert!(!is_not_applicable("0"));
        assert!(!is_not_applicable("đạt"));
    }

    #[test]
    fn title_case_of_capitals() {
        assert_eq!(title_case("TRIỆU  TRẠCH"), "Triệu Trạch");
        assert_eq!(title_case("ái tử"), "Ái Tử");
    }
}
