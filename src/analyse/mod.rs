//! Stage: analyses of the ranked years, for the office's study and the communes'
//! remediation letters.
//!
//! Every analysis reads the typed leaves of the scored sheets ([`leaves`]) and sums
//! exact [`Points`](crate::model::points::Points), as the ranking does; ties sort in
//! Vietnamese order. The long table ([`normalise`]) is what the exports write for
//! analysts, not where the points of an analysis come from.

pub mod compare;
pub mod distance;
pub mod followup;
pub mod gap;
pub mod leaves;
pub mod losses;
pub mod normalise;
pub mod rounds;
pub mod stability;
pub mod stats;
pub mod trend;

use crate::findings::Findings;
use crate::score::YearResult;

/// Every analysis table of one year with criteria, computed once for the run and
/// shared by the ranking workbook, the exports and the appendices (each is a full
/// pass over the year's leaves).
#[derive(Debug)]
pub struct YearAnalyses {
    /// Every leaf below max, by unit then code ([`losses::losses`]).
    pub losses: Vec<losses::Loss>,
    /// The district Pareto of lost points ([`losses::pareto`]).
    pub pareto: Vec<losses::DistrictLeaf>,
    /// Units compared on the areas (depth 1) and, where the framework has them, the
    /// criteria under them (depth 2).
    pub compare: Vec<compare::Compared>,
    /// Self-assessment against appraisal ([`gap::gaps`]).
    pub gaps: Vec<gap::Gap>,
    /// The ranking with each area left out ([`stability::stability`]).
    pub stability: Vec<stability::WithoutArea>,
    /// Each unit's leaves against the year before ([`followup::followup`]).
    pub followup: Vec<followup::UnitFollowup>,
    /// The district's chronic weak criteria ([`followup::chronic_from`]), filled by
    /// [`YearAnalyses::compute_all`] from the years' Pareto tables.
    pub chronic: Vec<followup::Chronic>,
}

/// Comparison depths the workbook and the exports show: areas and the level below.
const COMPARE_DEPTHS: usize = 2;

impl YearAnalyses {
    /// Every year's tables, in year order; `None` for a year known only from a published
    /// results table (no leaves to analyse). Each year's applicable leaves are read
    /// once and serve its losses and, the year after, the follow-up; the chronic
    /// criteria come from the Pareto tables of the years before.
    pub fn compute_all(a: &Findings) -> Vec<Option<YearAnalyses>> {
        let mut all = Vec::with_capacity(a.years.len());
        let mut before: Option<(i32, Vec<leaves::Leaf>)> = None;
        for y in &a.years {
            if !y.has_criteria() {
                all.push(None);
                before = None;
                continue;
            }
            let year_leaves = leaves::of_year(a, y);
            let applicable: Vec<leaves::Leaf> = year_leaves.iter().filter(|l| l.applies()).copied().collect();
            let prev = followup::previous_year(a, y);
            let last = before.as_ref().filter(|(year, _)| Some(*year) == prev.map(|p| p.year)).map_or(&[][..], |(_, l)| l.as_slice());
            let max_depth = y.framework.nodes.iter().map(|n| n.depth()).max().unwrap_or(1).min(COMPARE_DEPTHS);
            // Independent passes over the same leaves, on both cores.
            let ((compare, followup), (losses, (pareto, gaps))) = rayon::join(
                || {
                    rayon::join(
                        || compare::compare_depths(&year_leaves, a, y, 1..=max_depth),
                        || followup::compare_years(a, y, prev, &applicable, last),
                    )
                },
                || {
                    rayon::join(
                        || losses::below_max(&applicable),
                        || rayon::join(|| losses::pareto_of(&applicable, y), || gap::gaps_of(&applicable)),
                    )
                },
            );
            all.push(Some(YearAnalyses {
                followup,
                chronic: Vec::new(),
                losses,
                pareto,
                gaps,
                stability: stability::from_areas(&compare[0].criteria, y, a.settings.ranking.method),
                compare,
            }));
            before = Some((y.year, applicable));
        }
        let chronic: Vec<Vec<followup::Chronic>> = (0..all.len())
            .map(|i| {
                let Some(t) = &all[i] else { return Vec::new() };
                // This year, then each year before it with criteria, newest first.
                let chain: Vec<(&YearResult, &[losses::DistrictLeaf])> =
                    (0..=i).rev().map_while(|k| all[k].as_ref().map(|tk| (&a.years[k], tk.pareto.as_slice()))).collect();
                followup::chronic_from(a, &chain, &t.followup)
            })
            .collect();
        for (t, c) in all.iter_mut().zip(chronic) {
            if let Some(t) = t {
                t.chronic = c;
            }
        }
        all
    }
}
