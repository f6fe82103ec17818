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
    }
}
