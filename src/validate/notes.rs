//! Ratios in notes: a note that gives a fraction ("83/156", "83 trên 156", "là 83,
//! tổng số … 156") and a percentage must agree with itself (the seed's "… 156 đạt
//! 0,53%" is 53,21 %).

use crate::model::points::{Points, parse_points_text};
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
    let (part, whole) = FRACTIONS.iter().find_map(|re| {
        let c = re.captures(note)?;
        Some((c.get(1)?.as_str().parse::<u64>().ok()?, c.get(2)?.as_str().parse::<u64>().ok()?))
    })?;
    if whole == 0 || part > whole.saturating_mul(10) {
        return None;
    }
    let computed = Points::ratio(part as i128 * 10_000, whole as i128);
    let decimals = written.split([',', '.']).nth(1).map_or(0, str::len).min(2) as u32;
    let unit = 10i64.pow(2 - decimals);
    let rounded = Points::ratio(computed.0 as i128, unit as i128).0 * unit;
    (rounded != value.0).then(|| RatioMismatch { written: written.to_string(), part, whole, computed })
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
}
