//! Ratios in notes: a note that gives a fraction ("83/156", "83 trên 156", "là 83,
//! tổng số … 156") and a percentage must agree with itself (the seed's "… 156 đạt
//! 0,53%" is 53,21 %).

use crate::model::points::{Points, parse_points_text};
use crate::model::sheet::RubricOption;
use regex::Regex;
use std::sync::LazyLock;

static PERCENT: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(\d+(?:[.,]\d+)?)\s*%").expect("regex"));
/// "a/b" (not a date), "a trên [tổng số] b", "a trong tổng số b", "a …, tổng số … b".
static FRACTIONS: LazyLock<[Regex; 3]> = LazyLock::new(|| {
    [
        Regex::new(r"(?:^|[^\d/.,])(\d+)\s*/\s*(\d+)(?:$|[^\d/])").expect("regex"),
        Regex::new(r"(?i)(\d+)\s+(?:trên(?:\s+tổng\s+số)?|trong\s+tổng\s+số)\s+(?:[^\d%]{0,40}?\s)?(\d+)").expect("regex"),
        Regex::new(r"(?i)(\d+)[^\d%]{0,80}?tổng\s+số[^\d%]{0,80}?(\d+)").expect("regex"),
    ]
});

/// A note whose percentage contradicts its fraction: (as written, a, b, a ÷ b × 100).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RatioMismatch {
    /// The percentage as typed ("0,53").
    pub written: String,
    /// The fraction's parts.
    pub part: u64,
    /// The whole.
    pub whole: u64,
    /// part ÷ whole × 100, hundredths.
    pub computed: Points,
}

/// The mismatch in a note, if it states a fraction and a percentage that disagree
/// (compared at the decimals the percentage is typed with).
pub fn ratio_mismatch(note: &str) -> Option<RatioMismatch> {
    let pct = PERCENT.captures(note)?;
    let written = pct.get(1)?.as_str();
    let value = parse_points_text(written).ok()?;
    let (part, whole) = fraction(note)?;
    let computed = Points::ratio(part as i128 * 10_000, whole as i128);
    let decimals = written.split([',', '.']).nth(1).map_or(0, str::len).min(2) as u32;
    let unit = 10i64.pow(2 - decimals);
    let rounded = Points::ratio(computed.0 as i128, unit as i128).0 * unit;
    (rounded != value.0).then(|| RatioMismatch { written: written.to_string(), part, whole, computed })
}

/// The fraction a note gives ("83/156", "3 trên 5"), if a plausible one.
fn fraction(note: &str) -> Option<(u64, u64)> {
    let (part, whole) = FRACTIONS.iter().find_map(|re| {
        let c = re.captures(note)?;
        Some((c.get(1)?.as_str().parse::<u64>().ok()?, c.get(2)?.as_str().parse::<u64>().ok()?))
    })?;
    (whole > 0 && part <= whole.saturating_mul(10)).then_some((part, whole))
}

/// A percentage band of a rubric option: "từ 50% - dưới 100%", "dưới 50%", "100%".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Band {
    /// Lower bound, hundredths of a percent, and whether it is included.
    lo: (i64, bool),
    /// Upper bound (`None`: open), and whether it is included.
    hi: Option<(i64, bool)>,
}

impl Band {
    fn contains(&self, p: i64) -> bool {
        let above = if self.lo.1 { p >= self.lo.0 } else { p > self.lo.0 };
        let below = self.hi.is_none_or(|(h, inc)| if inc { p <= h } else { p < h });
        above && below
    }
}

/// The band an option's text gives, if it names one by percentages.
fn band_of(text: &str) -> Option<Band> {
    let found: Vec<(usize, i64)> = PERCENT
        .captures_iter(text)
        .filter_map(|c| {
            let m = c.get(1)?;
            Some((m.start(), parse_points_text(m.as_str()).ok()?.0))
        })
        .collect();
    // The words before a number, folded ("dưới", "trên", "từ").
    let before = |at: usize| crate::text::fold(&text[..at]).trim_end().to_string();
    match found.as_slice() {
        [(a, lo), (b, hi)] => {
            let lo_open = before(*a).ends_with("tren");
            let hi_open = before(*b).ends_with("duoi");
            Some(Band { lo: (*lo, !lo_open), hi: Some((*hi, !hi_open)) })
        }
        [(a, n)] => {
            let w = before(*a);
            if w.ends_with("duoi") {
                Some(Band { lo: (0, true), hi: Some((*n, false)) })
            } else if w.ends_with("tren") {
                Some(Band { lo: (*n, false), hi: None })
            } else if w.ends_with("tu") || *n >= 10_000 || crate::text::fold(&text[*a..]).contains("tro len") {
                Some(Band { lo: (*n, true), hi: None })
            } else {
                Some(Band { lo: (*n, true), hi: Some((*n, true)) })
            }
        }
        _ => None,
    }
}

/// A note's percentage against its leaf's rubric by percentage bands: the points the
/// band of the note's ratio gives, where they differ from the score.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RubricMismatch {
    /// The percentage the note gives (its fraction's, where it has one).
    pub percent: Points,
    /// The option whose band holds it.
    pub option: RubricOption,
}

/// The rubric option a note's percentage falls in, when the rubric is by percentage
/// bands (two options or more name one) and that option's points are not `score`.
pub fn rubric_mismatch(note: &str, options: &[RubricOption], score: Points) -> Option<RubricMismatch> {
    let bands: Vec<(Band, &RubricOption)> = options.iter().filter_map(|o| Some((band_of(&o.text)?, o))).collect();
    if bands.len() < 2 {
        return None;
    }
    let percent = note_percent(note)?;
    let (_, option) = bands.iter().find(|(b, _)| b.contains(percent.0))?;
    (option.points != score).then(|| RubricMismatch { percent, option: (*option).clone() })
}

/// The percentage a note states: its fraction's ratio where it gives one, else the
/// percentage typed.
fn note_percent(note: &str) -> Option<Points> {
    if let Some((part, whole)) = fraction(note) {
        return Some(Points::ratio(part as i128 * 10_000, whole as i128));
    }
    let pct = PERCENT.captures(note)?;
    parse_points_text(pct.get(1)?.as_str()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seeds_ratio_stated_as_a_percentage() {
        let n = "Tỷ lệ DVCTT mức độ cao = tổng số DVCTT mức độ 3 và mức độ 4 trong biểu thống kê là 83, tổng số TTHC thuộc thẩm quyền giải quyết 156 đạt 0,53% chưa đạt yêu cầu";
        let m = ratio_mismatch(n).unwrap();
        assert_eq!((m.written.as_str(), m.part, m.whole, m.computed), ("0,53", 83, 156, Points(5321)));
    }

    #[test]
    fn agreeing_fractions_and_other_numbers_pass() {
        assert_eq!(ratio_mismatch("Giải quyết đúng hạn 83/156 hồ sơ, đạt 53,21%"), None);
        assert_eq!(ratio_mismatch("Đạt 3 trên 5 văn bản (60%)"), None);
        assert_eq!(ratio_mismatch("Đạt 2/3, tức 67%"), None, "compared at the decimals typed");
        assert_eq!(ratio_mismatch("Hoàn thành 80% nhiệm vụ"), None, "no fraction");
        assert_eq!(ratio_mismatch("Báo cáo ngày 10/01/2025 đạt 50%"), None, "a date is no fraction");
        assert!(ratio_mismatch("Đạt 3 trên tổng số 5 văn bản, tỷ lệ 6%").is_some());
    }

    #[test]
    fn a_notes_ratio_against_its_rubric_by_percentage_bands() {
        let option = |text: &str, p: i64| RubricOption { points: Points(p), text: text.into() };
        let rubric = [
            option("Hoàn thành từ 100% kế hoạch", 100),
            option("Hoàn thành từ 50% - dưới 100% kế hoạch", 50),
            option("Hoàn thành dưới 50% kế hoạch", 0),
        ];
        // 83/156 = 53,21 %: the middle band, 0,5 points.
        let m = rubric_mismatch("Thực hiện 83/156 nhiệm vụ", &rubric, Points(100)).unwrap();
        assert_eq!((m.percent, m.option.points), (Points(5321), Points(50)));
        assert_eq!(rubric_mismatch("Thực hiện 83/156 nhiệm vụ", &rubric, Points(50)), None);
        assert_eq!(rubric_mismatch("Đạt 100%", &rubric, Points(0)).map(|m| m.option.points), Some(Points(100)));
        assert_eq!(rubric_mismatch("Đạt 49,5%", &rubric, Points(50)).map(|m| m.option.points), Some(Points(0)));
        assert_eq!(rubric_mismatch("Không có số liệu", &rubric, Points(0)), None);
        let not_by_percent = [option("Có kế hoạch", 100), option("Không có kế hoạch", 0)];
        assert_eq!(rubric_mismatch("Đạt 40%", &not_by_percent, Points(100)), None);
        let inclusive = [option("Từ 70% - 100% ý kiến hài lòng", 100), option("Từ 50% - dưới 70%", 50), option("Dưới 50%", 0)];
        assert_eq!(rubric_mismatch("70/100 ý kiến", &inclusive, Points(50)).map(|m| m.option.points), Some(Points(100)));
    }
}
