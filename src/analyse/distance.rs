//! How far a unit is from the next band and from the unit ranked above it, exactly in
//! hundredths on the index scale, and which of its lost leaves would cover the gap
//! (most points lost first): what a commune's plan for next year aims at.

use super::losses::Loss;
use crate::model::band::{Band, Bands};
use crate::model::code::{Code, cmp_codes};
use crate::model::points::Points;
use crate::model::unit::UnitId;
use crate::score::{UnitResult, YearResult};

/// The leaves that would cover a distance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cover {
    /// Lost leaves, most points lost first, whose recovery reaches the target.
    pub leaves: Vec<Code>,
    /// Whether recovering them reaches it (not when the gap is larger than all losses).
    pub enough: bool,
}

/// The distance to the next band.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ToBand {
    /// The band above.
    pub band: Band,
    /// Index points needed to reach it.
    pub points: Points,
    /// Leaves that would cover it.
    pub cover: Cover,
}

/// The distance to the unit ranked above.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ToRank {
    /// Its rank (reached by tying it).
    pub rank: u32,
    /// The unit.
    pub unit: UnitId,
    /// Index points to tie it.
    pub to_tie: Points,
    /// Index points to pass it (one hundredth more).
    pub to_pass: Points,
    /// Leaves that would cover passing it.
    pub cover: Cover,
}

/// The JSON of both distances, `(to_next_band, to_next_rank)`, `null` where there is
/// none: `{"band", "points", "leaves", "enough"}` and `{"rank", "unit", "to_tie",
/// "to_pass", "leaves", "enough"}`; `name` gives a unit's name.
pub fn to_json(band: Option<&ToBand>, rank: Option<&ToRank>, name: impl Fn(UnitId) -> String) -> (serde_json::Value, serde_json::Value) {
    use serde_json::{Value, json};
    let codes = |c: &Cover| c.leaves.iter().map(|l| l.to_string()).collect::<Vec<_>>();
    let band = band.map_or(
        Value::Null,
        |t| json!({"band": t.band.label(), "points": t.points.as_f64(), "leaves": codes(&t.cover), "enough": t.cover.enough}),
    );
    let rank = rank.map_or(Value::Null, |t| {
        json!({"rank": t.rank, "unit": name(t.unit), "to_tie": t.to_tie.as_f64(), "to_pass": t.to_pass.as_f64(), "leaves": codes(&t.cover), "enough": t.cover.enough})
    });
    (band, rank)
}

/// The unit's index with `extra` appraised points more.
fn index_with(u: &UnitResult, extra: Points) -> Points {
    crate::score::index(u.points + extra, u.applicable_max, u.bonus, u.penalty)
}

/// The leaves, most lost first, whose recovery lifts the index to `target`.
pub fn cover(u: &UnitResult, losses: &[&Loss], target: Points) -> Cover {
    let mut lost: Vec<&&Loss> = losses.iter().filter(|l| l.lost > Points::ZERO).collect();
    lost.sort_by(|a, b| b.lost.cmp(&a.lost).then_with(|| cmp_codes(&a.code, &b.code)));
    let mut extra = Points::ZERO;
    let mut leaves = Vec::new();
    for l in lost {
        if index_with(u, extra) >= target {
            break;
        }
        extra += l.lost;
        leaves.push(l.code.clone());
    }
    Cover { enough: index_with(u, extra) >= target, leaves }
}

/// The distance to the next band (None in the top band). `losses`: the unit's own.
pub fn to_next_band(bands: &Bands, u: &UnitResult, losses: &[&Loss]) -> Option<ToBand> {
    let (band, from) = bands.above(u.band)?;
    Some(ToBand { band, points: from - u.index, cover: cover(u, losses, from) })
}

/// The distance to the nearest unit ranked above (None at the top). `losses`: the unit's own.
/// `y.units` are best first, so the units above are a prefix: two binary searches find
/// the first of the lowest index in it, instead of a pass over the year for every unit
/// (10,000 appendices made that a hundred million comparisons).
pub fn to_next_rank(y: &YearResult, u: &UnitResult, losses: &[&Loss]) -> Option<ToRank> {
    let higher = y.units.partition_point(|x| x.index > u.index);
    let lowest_above = y.units[..higher].last()?.index;
    let above = &y.units[y.units.partition_point(|x| x.index > lowest_above)];
    let to_tie = above.index - u.index;
    let to_pass = to_tie + Points(1);
    Some(ToRank { rank: above.rank, unit: above.unit, to_tie, to_pass, cover: cover(u, losses, above.index + Points(1)) })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::sheet::Source;

    fn unit(points: i64, max: i64) -> UnitResult {
        let index = Points(points).per_hundred(Points(max));
        UnitResult {
            unit: UnitId(0),
            source: Source::Sheet(0),
            points: Points(points),
            self_points: Points::ZERO,
            applicable_max: Points(max),
            bonus: Points::ZERO,
            penalty: Points::ZERO,
            index,
            self_index: None,
            areas: vec![],
            rank: 0,
            group: None,
            group_rank: None,
            framework: 0,
            self_rank: None,
            band: Bands::default().of(index),
            rank_change: None,
            index_change: None,
            flagged: false,
        }
    }

    fn loss(code: &str, lost: i64) -> Loss {
        Loss {
            unit: UnitId(0),
            code: Code::canonical(code),
            name: String::new(),
            max: Points(lost),
            score: Points::ZERO,
            lost: Points(lost),
            note: None,
        }
    }

    #[test]
    fn band_distance_and_the_leaves_that_cover_it() {
        // 88,80 of 100: 1,20 to Tốt; 1.2 (1,00) is not enough, 1.2 + 3.1 (0,50) is.
        let u = unit(8880, 10_000);
        let (a, b, c) = (loss("1.2", 100), loss("3.1", 50), loss("2.1", 30));
        let t = to_next_band(&Bands::default(), &u, &[&c, &a, &b]).unwrap();
        assert_eq!((t.band.label(), t.points), ("Tốt", Points(120)));
        assert_eq!(t.cover, Cover { leaves: vec![Code::canonical("1.2"), Code::canonical("3.1")], enough: true });
        // On a 60-point framework a point is worth 1,67 on the index scale: 40/60 = 66,67
        // needs 3,33 to reach Khá; one lost point lifts it to 68,33, two to 70,00.
        let u = unit(4000, 6000);
        let t = to_next_band(&Bands::default(), &u, &[&a, &loss("1.3", 100)]).unwrap();
        assert_eq!(t.points, Points(333));
        assert!(t.cover.enough && t.cover.leaves.len() == 2);
        assert_eq!(to_next_band(&Bands::default(), &unit(9500, 10_000), &[]), None);
    }

    /// The binary searches name the unit a pass over the year names: the first (best
    /// placed) of the units on the lowest index above, with its rank.
    #[test]
    fn the_unit_above_is_the_first_on_the_lowest_index_above() {
        let indexes = [9000, 8500, 8500, 8000, 8000, 7000];
        let units: Vec<UnitResult> =
            indexes.iter().enumerate().map(|(i, &p)| UnitResult { unit: UnitId(i), rank: i as u32 + 1, ..unit(p, 10_000) }).collect();
        let y = YearResult {
            year: 2024,
            kind: crate::score::YearKind::Criteria,
            framework: Default::default(),
            other_frameworks: vec![],
            groups: vec![],
            units: units.clone(),
        };
        for u in &units {
            let naive = units.iter().filter(|x| x.index > u.index).min_by_key(|x| x.index);
            let found = to_next_rank(&y, u, &[]);
            assert_eq!(found.as_ref().map(|r| (r.unit, r.rank)), naive.map(|x| (x.unit, x.rank)));
        }
        let last = to_next_rank(&y, &units[5], &[]).unwrap();
        assert_eq!((last.unit, last.to_tie, last.to_pass), (UnitId(3), Points(1000), Points(1001)));
        assert!(to_next_rank(&y, &units[0], &[]).is_none());
    }
}
