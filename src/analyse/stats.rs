//! The district statistics every table and sheet shows (Bình quân, Trung vị, Thấp
//! nhất, Cao nhất), taken one way on exact hundredths.

use crate::model::points::Points;

/// Mean (rounded half away from zero), median (mean of the middle two), lowest and
/// highest of exact hundredths.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Stats {
    /// Bình quân.
    pub mean: Points,
    /// Trung vị.
    pub median: Points,
    /// Thấp nhất.
    pub min: Points,
    /// Cao nhất.
    pub max: Points,
}

impl Stats {
    /// Labels of the statistics rows, in the order of [`Stats::values`].
    pub const LABELS: [&'static str; 4] = ["Bình quân", "Trung vị", "Thấp nhất", "Cao nhất"];

    /// The statistics of `values` (sorted in place); `None` when empty.
    ///
    /// ```
    /// use cchc::analyse::stats::Stats;
    /// use cchc::model::points::Points;
    /// let s = Stats::of(&mut [9074, 8000, 8500, 9000]).unwrap();
    /// assert_eq!((s.mean, s.median, s.min, s.max), (Points(8644), Points(8750), Points(8000), Points(9074)));
    /// ```
    pub fn of(values: &mut [i64]) -> Option<Stats> {
        if values.is_empty() {
            return None;
        }
        values.sort_unstable();
        let n = values.len();
        let mean = Points::ratio(values.iter().map(|&v| v as i128).sum(), n as i128);
        let median = if n % 2 == 1 { Points(values[n / 2]) } else { Points::ratio((values[n / 2 - 1] + values[n / 2]) as i128, 2) };
        Some(Stats { mean, median, min: Points(values[0]), max: Points(values[n - 1]) })
    }

    /// Mean, median, lowest, highest: the order of [`Stats::LABELS`].
    pub fn values(&self) -> [Points; 4] {
        [self.mean, self.median, self.min, self.max]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statistics_are_exact() {
        let mut v = vec![9050, 8000, 10_000, 7525];
        let s = Stats::of(&mut v).unwrap();
        assert_eq!(s.values(), [Points(8644), Points(8525), Points(7525), Points(10_000)]);
        assert_eq!(Stats::of(&mut []), None);
        let s = Stats::of(&mut [-5, 5, 6]).unwrap();
        assert_eq!((s.mean, s.median), (Points(2), Points(5)));
    }
}
