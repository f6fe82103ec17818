//! Each unit across all years: index, rank, band and their changes, whatever layout
//! each year came in; who improved and declined most.

use crate::findings::Findings;
use crate::model::points::Points;
use crate::model::unit::UnitId;
use crate::score::UnitResult;

/// One unit's year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrendPoint {
    /// Year.
    pub year: i32,
    /// The unit's result that year.
    pub result: UnitResult,
}

/// One unit over the years it appears in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitTrend {
    /// Index into the run's units.
    pub unit: UnitId,
    /// Its years, ascending.
    pub points: Vec<TrendPoint>,
}

impl UnitTrend {
    /// Index change from its first year to its last (None with one year only).
    pub fn index_change(&self) -> Option<Points> {
        match (self.points.first(), self.points.last()) {
            (Some(a), Some(b)) if self.points.len() > 1 => Some(b.result.index - a.result.index),
            _ => None,
        }
    }

    /// Places gained from its first year to its last (positive = up).
    pub fn rank_change(&self) -> Option<i64> {
        match (self.points.first(), self.points.last()) {
            (Some(a), Some(b)) if self.points.len() > 1 => Some(a.result.rank as i64 - b.result.rank as i64),
            _ => None,
        }
    }
}

/// Every unit's trend, units in the order of their last year's rank, then by name.
pub fn trends(a: &Findings) -> Vec<UnitTrend> {
    // One pass over the years' results (the ranking's output, whatever layout each
    // year came in), grouped by unit.
    let mut by_unit: Vec<Vec<TrendPoint>> = vec![Vec::new(); a.units.len()];
    for y in &a.years {
        for r in &y.units {
            by_unit[r.unit.index()].push(TrendPoint { year: y.year, result: r.clone() });
        }
    }
    let mut out: Vec<UnitTrend> = by_unit
        .into_iter()
        .enumerate()
        .filter(|(_, p)| !p.is_empty())
        .map(|(unit, points)| UnitTrend { unit: UnitId(unit), points })
        .collect();
    out.sort_by(|x, y| {
        let key = |t: &UnitTrend| t.points.last().map(|p| (std::cmp::Reverse(p.year), p.result.rank)).unwrap_or((std::cmp::Reverse(0), 0));
        key(x).cmp(&key(y)).then_with(|| a.alphabetical[x.unit.index()].cmp(&a.alphabetical[y.unit.index()]))
    });
    out
}

/// Units with the largest index gain (or loss, `improved = false`) over their years, at most `n`.
pub fn movers(trends: &[UnitTrend], improved: bool, n: usize) -> Vec<&UnitTrend> {
    let mut with: Vec<&UnitTrend> =
        trends.iter().filter(|t| t.index_change().is_some_and(|c| if improved { c.0 > 0 } else { c.0 < 0 })).collect();
    with.sort_by_key(|t| {
        let c = t.index_change().unwrap_or_default().0;
        if improved { -c } else { c }
    });
    with.truncate(n);
    with
}

/// A unit formed from others (`formed_from` and `since` in the unit list), beside the
/// units it was formed from: their results before the merger and their mean.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Merger {
    /// The first year of the merged unit.
    pub since: i32,
    /// Each unit it was formed from, in the list's order.
    pub predecessors: Vec<Predecessor>,
    /// The predecessors' mean index per year before `since` (years where any has one).
    pub means: Vec<(i32, Points)>,
}

/// One unit a merged unit was formed from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Predecessor {
    /// Its name, as the list spells it.
    pub name: String,
    /// Its results in the years before the merger (empty if it sent nothing).
    pub points: Vec<TrendPoint>,
}

impl Merger {
    /// The predecessors' results in one year: "Triệu An 80 (thứ 5), Triệu Vân 85,2 (thứ 2)".
    pub fn year_text(&self, year: i32) -> String {
        self.predecessors
            .iter()
            .filter_map(|p| {
                p.points.iter().find(|t| t.year == year).map(|t| format!("{} {} (thứ {})", p.name, t.result.index.to_vi(), t.result.rank))
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Readable lines: "hợp nhất năm 2025 từ A, B", then per year before it "2024: bình
    /// quân 82,6 — A 80 (thứ 5), B 85,2 (thứ 2)".
    pub fn lines(&self) -> Vec<String> {
        let mut out = vec![format!("hợp nhất năm {} từ {}", self.since, self.names())];
        out.extend(self.means.iter().map(|(y, m)| format!("{y}: bình quân các đơn vị cũ {} — {}", m.to_vi(), self.year_text(*y))));
        out
    }

    /// The names it was formed from, joined ("Triệu An, Triệu Vân").
    pub fn names(&self) -> String {
        self.predecessors.iter().map(|p| p.name.as_str()).collect::<Vec<_>>().join(", ")
    }
}

/// The merger a unit came from, if the unit list says it was formed from others.
pub fn merger(a: &Findings, unit: UnitId) -> Option<Merger> {
    let name = &a.units[unit].name;
    let listed = a.registry.iter().find(|r| &r.name == name && !r.formed_from.is_empty())?;
    let since = listed.since?;
    let predecessors: Vec<Predecessor> = listed
        .formed_from
        .iter()
        .map(|p| {
            let name = crate::resolve::registry::find(&a.registry, p).map_or(p.clone(), |i| a.registry[i].name.clone());
            let id = a.units.iter().position(|u| u.name == name);
            let points = a
                .years
                .iter()
                .filter(|y| y.year < since)
                .filter_map(|y| Some(TrendPoint { year: y.year, result: y.units.iter().find(|r| Some(r.unit.index()) == id)?.clone() }))
                .collect();
            Predecessor { name, points }
        })
        .collect();
    let mut means = Vec::new();
    for y in a.years.iter().filter(|y| y.year < since) {
        let indexes: Vec<Points> =
            predecessors.iter().filter_map(|p| p.points.iter().find(|t| t.year == y.year)).map(|t| t.result.index).collect();
        if !indexes.is_empty() {
            let sum: Points = indexes.iter().copied().sum();
            means.push((y.year, Points::ratio(sum.0 as i128, indexes.len() as i128)));
        }
    }
    Some(Merger { since, predecessors, means })
}

/// A merger as JSON: `{"since", "formed_from": [{"unit", "years": [{"year", "index",
/// "rank"}]}], "mean": [{"year", "index"}]}`.
pub fn merger_json(m: &Merger) -> serde_json::Value {
    use serde_json::json;
    json!({
        "since": m.since,
        "formed_from": m.predecessors.iter().map(|p| json!({
            "unit": p.name,
            "years": p.points.iter().map(|t| json!({"year": t.year, "index": t.result.index.as_f64(), "rank": t.result.rank})).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "mean": m.means.iter().map(|(y, i)| json!({"year": y, "index": i.as_f64()})).collect::<Vec<_>>(),
    })
}
