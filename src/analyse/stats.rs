//! The district statistics every table and sheet shows (Bình quân, Trung vị, Thấp
//! nhất, Cao nhất), taken one way on exact hundredths.

use crate::model::points::{Hundredths, Points};

/// Labels of the statistics rows, in the order of [`Stats::values`].
pub const LABELS: [&str; 4] = ["Bình quân", "Trung vị", "Thấp nhất", "Cao nhất"];

/// Mean (rounded half away from zero), median (mean of the middle two), lowest and
/// highest of exact hundredths.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Stats<T = Points> {
    /// Bình quân.
    pub mean: T,
    /// Trung vị.
    pub median: T,
    /// Thấp nhất.
    pub min: T,
    /// Cao nhất.
    pub max: T,
}

impl<T: Hundredths> Stats<T> {
    /// The statistics of `values` (sorted in place); `None` when empty.
    ///
    /// ```
    /// use cchc::analyse::stats::Stats;
    /// use cchc::model::points::Points;
    /// let s = Stats::<Points>::of(&mut [9074, 8000, 8500, 9000]).unwrap();
    /// assert_eq!((s.mean, s.median, s.min, s.max), (Points(8644), Points(8750), Points(8000), Points(9074)));
    /// ```
    pub fn of(values: &mut [i64]) -> Option<Stats<T>> {
        if values.is_empty() {
            return None;
        }
        values.sort_unstable();
        let n = values.len();
        let mean = Points::ratio(values.iter().map(|&v| v as i128).sum(), n as i128).0;
        let median = if n % 2 == 1 { values[n / 2] } else { Points::ratio((values[n / 2 - 1] + values[n / 2]) as i128, 2).0 };
        let h = T::from_hundredths;
        Some(Stats { mean: h(mean), median: h(median), min: h(values[0]), max: h(values[n - 1]) })
    }

    /// Mean, median, lowest, highest: the order of [`LABELS`].
    pub fn values(&self) -> [T; 4] {
        [self.mean, self.median, self.min, self.max]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::points::Percent;

    #[test]
    fn statistics_are_exact() {
        let mut v = vec![9050, 8000, 10_000, 7525];
        let s = Stats::<Points>::of(&mut v).unwrap();
        assert_eq!(s.values(), [Points(8644), Points(8525), Points(7525), Points(10_000)]);
        assert_eq!(Stats::<Points>::of(&mut []), None);
        let s = Stats::<Percent>::of(&mut [-5, 5, 6]).unwrap();
        assert_eq!((s.mean, s.median), (Percent(2), Percent(5)));
    }
}
