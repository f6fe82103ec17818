//! Scores as exact integer hundredths, from the moment a cell is read: every number a
//! sheet holds goes through [`parse_points_text`] or [`parse_points_f64`], so sums are
//! exact and equal totals are equal.

use std::fmt;

/// A score in exact hundredths of a point (inputs carry at most two decimals).
///
/// Sums of `Points` are exact, so two units with equal totals compare equal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Points(pub i64);

impl Points {
    /// Zero points.
    pub const ZERO: Points = Points(0);
    /// A hundred points: the total of the frameworks whose index is printed as points.
    pub const HUNDRED: Points = Points(10_000);

    /// The value as a float, for display and export only (never for comparison).
    pub fn as_f64(self) -> f64 {
        self.0 as f64 / 100.0
    }

    /// Vietnamese display: comma decimal, trailing zeros dropped ("17,1", "12", "0,34").
    pub fn to_vi(self) -> String {
        let s = self.to_string();
        let s = s.trim_end_matches('0').trim_end_matches('.');
        s.replace('.', ",")
    }

    /// Vietnamese display with both decimals, as a percentage is published ("75,00").
    pub fn to_vi_fixed(self) -> String {
        self.to_string().replace('.', ",")
    }

    /// `self + o`, or `None` where the sum does not fit.
    fn checked_add(self, o: Points) -> Option<Points> {
        self.0.checked_add(o.0).map(Points)
    }

    /// `self` out of `whole` on the 100-point scale, in hundredths, half away from zero
    /// (0 where `whole` is 0): the one rounding of every index and percentage.
    ///
    /// ```
    /// use cchc::model::points::Points;
    /// assert_eq!(Points(9359).per_hundred(Points(9800)), Points(9550));
    /// ```
    pub fn per_hundred(self, whole: Points) -> Points {
        Points::ratio(self.0 as i128 * 10_000, whole.0 as i128)
    }

    /// Rounds `num / den` (both in any unit) to hundredths, half away from zero.
    pub fn ratio(num: i128, den: i128) -> Points {
        if den == 0 {
            return Points(0);
        }
        let sign = if (num < 0) ^ (den < 0) { -1 } else { 1 };
        let (n, d) = (num.abs(), den.abs());
        Points(sign * ((2 * n + d) / (2 * d)) as i64)
    }
}

/// Arithmetic on points is checked in every build: a sum that does not fit is a bug
/// (cells are bounded by [`MAX_CELL`], so no sheet can reach it), and it stops the run
/// with a message instead of wrapping into a wrong index.
impl std::ops::Add for Points {
    type Output = Points;
    fn add(self, o: Points) -> Points {
        self.checked_add(o).unwrap_or_else(|| overflow("+", self, o))
    }
}

impl std::ops::Sub for Points {
    type Output = Points;
    fn sub(self, o: Points) -> Points {
        self.0.checked_sub(o.0).map(Points).unwrap_or_else(|| overflow("-", self, o))
    }
}

impl std::ops::AddAssign for Points {
    fn add_assign(&mut self, o: Points) {
        *self = *self + o;
    }
}

impl std::iter::Sum for Points {
    fn sum<I: Iterator<Item = Points>>(iter: I) -> Points {
        iter.fold(Points::ZERO, |a, b| a + b)
    }
}

#[cold]
fn overflow(op: &str, a: Points, b: Points) -> ! {
    panic!("tràn số khi tính điểm: {} {op} {} vượt quá giới hạn", a.0, b.0)
}

/// Two decimals with a dot ("90.74"), the machine form used in CSV and JSON.
impl fmt::Display for Points {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let a = self.0.unsigned_abs();
        write!(f, "{sign}{}.{:02}", a / 100, a % 100)
    }
}

/// A share of a max, in exact hundredths of a percent ("95,00 %" is `Percent(9500)`):
/// a unit's % of a criterion's applicable max, a leaf's share of the lost points, a
/// band's share of the units. Kept apart from [`Points`] so that a percent is never
/// added to a score. (The index itself is a score on the 100-point scale, `Points`:
/// bonus and penalty points add to it.)
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Percent(pub i64);

impl Percent {
    /// `part` as a percent of `whole`, rounded to hundredths half away from zero; 0
    /// when `whole` is 0.
    ///
    /// ```
    /// use cchc::model::points::{Percent, Points};
    /// assert_eq!(Percent::of(Points(1710), Points(2000)), Percent(8550));
    /// ```
    pub fn of(part: Points, whole: Points) -> Percent {
        Percent(part.per_hundred(whole).0)
    }

    /// A count as a percent of a total ("3 of 18 units"); 0 when the total is 0.
    pub fn of_count(part: usize, whole: usize) -> Percent {
        Percent(Points::ratio(part as i128 * 10_000, whole as i128).0)
    }

    /// `part` of `whole`, or `None` where nothing applies (`whole` is not positive).
    pub fn of_applicable(part: Points, whole: Points) -> Option<Percent> {
        (whole > Points::ZERO).then(|| Percent::of(part, whole))
    }

    /// The value as a float, for display and export only (never for comparison).
    pub fn as_f64(self) -> f64 {
        self.0 as f64 / 100.0
    }

    /// Vietnamese display, as [`Points::to_vi`] ("85,5").
    pub fn to_vi(self) -> String {
        Points(self.0).to_vi()
    }
}

impl std::ops::Sub for Percent {
    type Output = Percent;
    fn sub(self, o: Percent) -> Percent {
        Percent(self.0 - o.0)
    }
}

/// Two decimals with a dot ("95.00"), as [`Points`].
impl fmt::Display for Percent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        Points(self.0).fmt(f)
    }
}

/// Exact hundredths of some unit (points or percent): what statistics and the
/// workbooks' number cells take.
pub trait Hundredths: Copy {
    /// The value from hundredths.
    fn from_hundredths(h: i64) -> Self;
    /// The value in hundredths.
    fn hundredths(self) -> i64;
    /// The value as a float, for display and export only.
    fn as_f64(self) -> f64 {
        self.hundredths() as f64 / 100.0
    }
}

impl Hundredths for Points {
    fn from_hundredths(h: i64) -> Points {
        Points(h)
    }
    fn hundredths(self) -> i64 {
        self.0
    }
}

impl Hundredths for Percent {
    fn from_hundredths(h: i64) -> Percent {
        Percent(h)
    }
    fn hundredths(self) -> i64 {
        self.0
    }
}

/// The largest score a cell may hold, in points: 100,000. A framework totals 100
/// points (60 or 1,000 in some bodies' frameworks), so no max, score, total or
/// percentage comes near it, while a slip that turns a score into a date serial, a
/// phone number or 9.2e18 is far above it. Bounded cells also bound every sum: 10^7
/// hundredths a cell leaves room for 9 × 10^11 cells in an `i64`.
pub const MAX_CELL: Points = Points(100_000 * 100);

/// Why a numeric cell could not be read as points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NumberError {
    /// Not a number at all ("đạt", "x").
    NotANumber,
    /// A number beyond [`MAX_CELL`] either way: no score can be it.
    TooLarge,
    /// More than two decimals: rounded, but the sheet should be checked.
    TooPrecise(Points),
}

/// Parses a number typed as text: "17,1", "0.5", " 2 ", "1.234,5", "-0,25"; and as
/// real exports print them, a score over its max ("58.5/62": 58,5) and a percentage
/// ("92.5%": 92,5).
pub fn parse_points_text(raw: &str) -> Result<Points, NumberError> {
    let t: String = raw.trim().chars().filter(|c| !c.is_whitespace() && *c != '\u{a0}').collect();
    let t = t.strip_suffix('%').unwrap_or(&t);
    // "a/b" with b a number: the score a of the max b.
    let t = match t.split_once('/') {
        Some((a, b)) if !a.is_empty() && parse_points_text(b).is_ok() && !b.contains('/') => a,
        _ => t,
    };
    let t = t.to_string();
    if t.is_empty() {
        return Err(NumberError::NotANumber);
    }
    let last_comma = t.rfind(',');
    let last_dot = t.rfind('.');
    // The last separator is the decimal one; the other is a thousands separator.
    let normalised = match (last_comma, last_dot) {
        (Some(c), Some(d)) if c > d => t.replace('.', "").replace(',', "."),
        (Some(_), Some(_)) => t.replace(',', ""),
        (Some(_), None) => {
            if t.matches(',').count() > 1 {
                return Err(NumberError::NotANumber);
            }
            t.replace(',', ".")
        }
        _ => t,
    };
    let v: f64 = normalised.parse().map_err(|_| NumberError::NotANumber)?;
    if !v.is_finite() {
        return Err(NumberError::NotANumber);
    }
    // Decide precision from the digits typed, not from the float.
    let decimals = normalised.split('.').nth(1).map_or(0, |d| d.len());
    points_from_f64_checked(v, decimals > 2)
}

/// Converts a numeric cell to hundredths; flags values with more than two decimals.
pub fn parse_points_f64(v: f64) -> Result<Points, NumberError> {
    if !v.is_finite() {
        return Err(NumberError::NotANumber);
    }
    let scaled = v * 100.0;
    let too_precise = (scaled - scaled.round()).abs() > 1e-6;
    points_from_f64_checked(v, too_precise)
}

fn points_from_f64_checked(v: f64, too_precise: bool) -> Result<Points, NumberError> {
    if v.abs() > MAX_CELL.as_f64() {
        return Err(NumberError::TooLarge);
    }
    let p = Points((v * 100.0).round() as i64);
    if too_precise { Err(NumberError::TooPrecise(p)) } else { Ok(p) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_comma_and_dot_decimals_exactly() {
        assert_eq!(parse_points_text("17,1"), Ok(Points(1710)));
        assert_eq!(parse_points_text("0.5"), Ok(Points(50)));
        assert_eq!(parse_points_text(" 20,84 "), Ok(Points(2084)));
        assert_eq!(parse_points_text("1.234,5"), Ok(Points(123450)));
        assert_eq!(parse_points_text("-0,25"), Ok(Points(-25)));
        assert_eq!(parse_points_text("đạt"), Err(NumberError::NotANumber));
        assert_eq!(parse_points_text("0,333"), Err(NumberError::TooPrecise(Points(33))));
        assert_eq!(parse_points_f64(0.34), Ok(Points(34)));
        assert_eq!(parse_points_f64(20.84), Ok(Points(2084)));
        // As real exports print them.
        assert_eq!(parse_points_text("58.5/62"), Ok(Points(5850)));
        assert_eq!(parse_points_text("92.5%"), Ok(Points(9250)));
        assert_eq!(parse_points_text(" 92,50 % "), Ok(Points(9250)));
        assert_eq!(parse_points_text("10/01/2025"), Err(NumberError::NotANumber), "a date is no score");
        assert_eq!(parse_points_text("/62"), Err(NumberError::NotANumber));
    }

    #[test]
    fn numbers_no_score_can_be_are_refused_at_the_bound() {
        assert_eq!(parse_points_f64(9.2e18), Err(NumberError::TooLarge));
        assert_eq!(parse_points_text("92233720368547758,07"), Err(NumberError::TooLarge));
        assert_eq!(parse_points_f64(-1e9), Err(NumberError::TooLarge));
        assert_eq!(parse_points_f64(100_000.0), Ok(MAX_CELL), "the bound itself is a number");
        assert_eq!(parse_points_f64(100_000.01), Err(NumberError::TooLarge));
    }

    #[test]
    #[should_panic(expected = "tràn số")]
    fn a_sum_that_does_not_fit_stops_instead_of_wrapping() {
        let _ = [Points(i64::MAX), Points(1)].into_iter().sum::<Points>();
    }

    #[test]
    fn checked_add_names_the_overflow() {
        assert_eq!(Points(i64::MAX).checked_add(Points(1)), None);
        assert_eq!(Points(5).checked_add(Points(-7)), Some(Points(-2)));
    }

    #[test]
    fn points_display_both_ways() {
        assert_eq!(Points(9074).to_string(), "90.74");
        assert_eq!(Points(-5).to_string(), "-0.05");
        assert_eq!(Points(1710).to_vi(), "17,1");
        assert_eq!(Points(1200).to_vi(), "12");
        assert_eq!(Points(34).to_vi(), "0,34");
        assert_eq!(Points::ratio(9359 * 10_000, 9800), Points(9550));
        assert_eq!(Points::ratio(2, 3), Points(1));
    }
}
