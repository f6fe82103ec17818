//! Vietnamese alphabetical order (a ă â b c d đ e ê …), for lists that are not ranks.
//!
//! Byte order puts "Đ" after "Z" and "Ái" after "Ý"; ICU's "vi" collation is the
//! order an office expects.

use icu_collator::options::CollatorOptions;
use icu_collator::{CollatorBorrowed, CollatorPreferences};
use icu_locale::locale;
use std::cmp::Ordering;

/// A Vietnamese collator.
pub struct Collator(CollatorBorrowed<'static>);

impl Collator {
    /// The "vi" collator from ICU's compiled data.
    pub fn new() -> Collator {
        let prefs = CollatorPreferences::from(locale!("vi"));
        Collator(icu_collator::Collator::try_new(prefs, CollatorOptions::default()).expect("compiled data includes vi"))
    }

    /// Compares two names in Vietnamese order.
    pub fn compare(&self, a: &str, b: &str) -> Ordering {
        self.0.compare(a, b)
    }

    /// The position of each distinct name in Vietnamese order. Sorting many rows by
    /// this position collates each name once, not once per comparison of rows (a
    /// collation costs about a microsecond; a 10,000-unit year has 300,000 loss rows).
    pub fn positions<'a>(&self, names: impl IntoIterator<Item = &'a str>) -> foldhash::HashMap<&'a str, usize> {
        let mut distinct: Vec<&str> = names.into_iter().collect::<foldhash::HashSet<_>>().into_iter().collect();
        distinct.sort_by(|a, b| self.compare(a, b).then_with(|| a.cmp(b)));
        distinct.into_iter().enumerate().map(|(i, n)| (n, i)).collect()
    }
}

impl Default for Collator {
    fn default() -> Self {
        Collator::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnamese_order() {
        let c = Collator::new();
        let mut names = vec!["Triệu Đại", "Ái Tử", "Triệu Ái", "Triệu Ân", "Triệu An", "Triệu Độ", "Triệu Trạch"];
        names.sort_by(|a, b| c.compare(a, b));
        assert_eq!(names, vec!["Ái Tử", "Triệu Ái", "Triệu An", "Triệu Ân", "Triệu Đại", "Triệu Độ", "Triệu Trạch"]);
        let pos = c.positions(["Triệu Đại", "Ái Tử", "Triệu Đại", "Triệu An"]);
        assert_eq!((pos.len(), pos["Ái Tử"], pos["Triệu An"], pos["Triệu Đại"]), (3, 0, 1, 2));
    }
}
