//! From this year's losses to next year's plan: each unit's applicable leaves against
//! the year before (by code, through `[crosswalk]` where codes were renumbered):
//! losses that are new, repeated, fixed, and full marks kept; and the district's
//! chronic weak criteria, lost by a third of the units or more year after year.

use super::leaves::{self, Leaf};
use super::losses::{self, DistrictLeaf};
use crate::findings::Findings;
use crate::model::code::Code;
use crate::model::points::Points;
use crate::model::unit::UnitId;
use crate::score::YearResult;
use foldhash::HashMap;
use serde::Serialize;

/// A leaf against the year before.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Below max now, at max the year before.
    New,
    /// Below max both years.
    Repeated,
    /// Below max the year before, at max now.
    Fixed,
    /// At max both years ("tiếp tục duy trì").
    Kept,
    /// Not in the year before's framework, or not applicable to the unit then.
    NotComparable,
}

impl Status {
    /// The machine name (`repeated`), as JSON and CSV write it.
    pub fn name(self) -> &'static str {
        match self {
            Status::New => "new",
            Status::Repeated => "repeated",
            Status::Fixed => "fixed",
            Status::Kept => "kept",
            Status::NotComparable => "not_comparable",
        }
    }

    /// Vietnamese label, as documents print it.
    pub fn label(self) -> &'static str {
        match self {
            Status::New => "Mới bị trừ",
            Status::Repeated => "Lặp lại",
            Status::Fixed => "Đã khắc phục",
            Status::Kept => "Duy trì điểm tối đa",
            Status::NotComparable => "Không so sánh được",
        }
    }
}

/// One leaf of a unit, this year and the year before.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeafFollowup {
    /// This year's code.
    pub code: Code,
    /// This year's name.
    pub name: String,
    /// Against the year before.
    pub status: Status,
    /// This year's max.
    pub max: Points,
    /// This year's appraised score.
    pub score: Points,
    /// Points lost this year.
    pub lost: Points,
    /// The sheet's note this year.
    pub note: Option<String>,
    /// The year before: score, lost and note (None when not comparable).
    pub before: Option<(Points, Points, Option<String>)>,
}

/// Counts of a unit's statuses.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// New losses.
    pub new: usize,
    /// Repeated losses.
    pub repeated: usize,
    /// Fixed since last year.
    pub fixed: usize,
    /// Full marks kept.
    pub kept: usize,
}

/// One unit's follow-up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitFollowup {
    /// The unit.
    pub unit: UnitId,
    /// The year compared with, when the unit has one (the year before, with criteria).
    pub previous: Option<i32>,
    /// Status counts.
    pub counts: Counts,
    /// Every applicable leaf of this year (none without a previous year), code order.
    pub leaves: Vec<LeafFollowup>,
}

impl UnitFollowup {
    /// The leaves of one status.
    pub fn of(&self, status: Status) -> impl Iterator<Item = &LeafFollowup> {
        self.leaves.iter().filter(move |l| l.status == status)
    }
}

/// The year before a year, when it has criteria.
pub fn previous_year<'a>(a: &'a Findings, y: &YearResult) -> Option<&'a YearResult> {
    a.years.iter().find(|p| p.year == y.year - 1 && p.has_criteria())
}

/// Every unit of a year against the year before, units in the year's rank order.
pub fn followup(a: &Findings, y: &YearResult) -> Vec<UnitFollowup> {
    let now = leaves::applicable(a, y);
    let prev_year = previous_year(a, y);
    let before = prev_year.map(|p| leaves::applicable(a, p)).unwrap_or_default();
    compare_years(a, y, prev_year, &now, &before)
}

/// The follow-up from the two years' applicable leaves ([`leaves::applicable`]).
pub fn compare_years(a: &Findings, y: &YearResult, prev: Option<&YearResult>, now: &[Leaf], before: &[Leaf]) -> Vec<UnitFollowup> {
    let mut by_unit_now: HashMap<UnitId, Vec<&Leaf>> = HashMap::default();
    for l in now {
        by_unit_now.entry(l.unit).or_default().push(l);
    }
    // Last year's leaves under this year's codes.
    let mut by_unit_before: HashMap<(UnitId, Code), &Leaf> = HashMap::default();
    for l in before {
        by_unit_before.insert((l.unit, a.settings.code_in(y.year, l.code)), l);
    }
    let had_before: foldhash::HashSet<UnitId> = prev.map(|p| p.units.iter().map(|u| u.unit).collect()).unwrap_or_default();
    y.units
        .iter()
        .map(|u| {
            let previous = prev.filter(|_| had_before.contains(&u.unit)).map(|p| p.year);
            let mut out = UnitFollowup { unit: u.unit, previous, counts: Counts::default(), leaves: Vec::new() };
            if previous.is_none() {
                return out;
            }
            for l in by_unit_now.get(&u.unit).map_or(&[][..], Vec::as_slice) {
                let b = by_unit_before.get(&(u.unit, l.code.clone()));
                let lost = |l: &Leaf| l.lost().unwrap_or_default();
                let status = match b {
                    None => Status::NotComparable,
                    Some(b) => match (lost(l) > Points::ZERO, lost(b) > Points::ZERO) {
                        (true, false) => Status::New,
                        (true, true) => Status::Repeated,
                        (false, true) => Status::Fixed,
                        (false, false) => Status::Kept,
                    },
                };
                match status {
                    Status::New => out.counts.new += 1,
                    Status::Repeated => out.counts.repeated += 1,
                    Status::Fixed => out.counts.fixed += 1,
                    Status::Kept => out.counts.kept += 1,
                    Status::NotComparable => {}
                }
                out.leaves.push(LeafFollowup {
                    code: l.code.clone(),
                    name: l.name().to_string(),
                    status,
                    max: l.max.unwrap_or_default(),
                    score: l.score(),
                    lost: lost(l),
                    note: l.note().map(str::to_string),
                    before: b.map(|b| (b.score(), lost(b), b.note().map(str::to_string))),
                });
            }
            out
        })
        .collect()
}

/// A criterion the district keeps losing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chronic {
    /// This year's code.
    pub code: Code,
    /// This year's name.
    pub name: String,
    /// Years running, up to this one, in which a third of the units or more lost it.
    pub years: usize,
    /// Units losing it this year.
    pub units_losing: usize,
    /// Units it applies to this year.
    pub units_applicable: usize,
    /// Units losing it this year and the year before.
    pub units_repeating: usize,
}

/// Whether a third of the units or more lost a leaf (exactly: 3 × losing ≥ applicable).
fn weak(losing: usize, applicable: usize) -> bool {
    applicable > 0 && 3 * losing >= applicable
}

/// The year's chronic weak criteria, computing the district Pareto of each year back
/// (see [`chronic_from`]).
pub fn chronic(a: &Findings, y: &YearResult, followups: &[UnitFollowup]) -> Vec<Chronic> {
    let mut chain = vec![(y, losses::pareto(a, y))];
    while let Some(prev) = previous_year(a, chain.last().expect("not empty").0) {
        chain.push((prev, losses::pareto(a, prev)));
    }
    let views: Vec<(&YearResult, &[DistrictLeaf])> = chain.iter().map(|(y, p)| (*y, p.as_slice())).collect();
    chronic_from(a, &views, followups)
}

/// The chronic weak criteria of `chain[0]`'s year: lost by at least a third of the
/// units that year and the year before (and how many years running), most years
/// first, then the units repeating them. `chain`: each year's district Pareto
/// ([`losses::pareto`]), that year first and each year before it after it.
pub fn chronic_from(a: &Findings, chain: &[(&YearResult, &[DistrictLeaf])], followups: &[UnitFollowup]) -> Vec<Chronic> {
    let Some(&(_, now)) = chain.first() else { return Vec::new() };
    // This year's weak codes, and for each the code it had in the year being looked at.
    let mut runs: HashMap<Code, usize> = HashMap::default();
    let mut alive: Vec<(Code, Code)> = Vec::new();
    for d in now.iter().filter(|d| weak(d.units_losing, d.units_applicable)) {
        runs.insert(d.code.clone(), 1);
        alive.push((d.code.clone(), d.code.clone()));
    }
    for pair in chain.windows(2) {
        let ((cur, _), (prev, pareto)) = (pair[0], pair[1]);
        if alive.is_empty() || prev.year != cur.year - 1 {
            break;
        }
        // Last year's leaves under `cur`'s codes.
        let then: HashMap<Code, &DistrictLeaf> = pareto.iter().map(|d| (a.settings.code_in(cur.year, &d.code), d)).collect();
        alive = alive
            .into_iter()
            .filter_map(|(code, as_cur)| {
                let d = then.get(&as_cur).filter(|d| weak(d.units_losing, d.units_applicable))?;
                *runs.get_mut(&code).expect("alive") += 1;
                Some((code, d.code.clone()))
            })
            .collect();
    }
    let mut repeating: HashMap<&Code, usize> = HashMap::default();
    for f in followups {
        for l in f.of(Status::Repeated) {
            *repeating.entry(&l.code).or_default() += 1;
        }
    }
    let mut out: Vec<Chronic> = now
        .iter()
        .filter(|d| runs.get(&d.code).is_some_and(|&n| n >= 2))
        .map(|d| Chronic {
            code: d.code.clone(),
            name: d.name.clone(),
            years: runs[&d.code],
            units_losing: d.units_losing,
            units_applicable: d.units_applicable,
            units_repeating: repeating.get(&d.code).copied().unwrap_or(0),
        })
        .collect();
    out.sort_by(|x, z| {
        z.years.cmp(&x.years).then(z.units_repeating.cmp(&x.units_repeating)).then_with(|| crate::model::code::cmp_codes(&x.code, &z.code))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_third_is_exact() {
        assert!(weak(6, 18) && !weak(5, 18) && weak(1, 3) && !weak(0, 0));
    }
}
