//! The appraisal rounds of each unit's sheet (self, "Thẩm định lần 1", "Sau giải
//! trình", deductions, the official score): what each round changed, per unit and
//! leaf. Appraisers publish the last round; the commune asks what moved since its
//! own assessment and the first round.

use crate::findings::Findings;
use crate::model::code::Code;
use crate::model::points::Points;
use crate::model::sheet::{Score, ScoreSheet, Source};
use crate::model::unit::UnitId;
use crate::score::YearResult;

/// One leaf's (or a unit's total) points at each stage; `None` where the cell is
/// blank or the leaf does not apply.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stages {
    /// Self-assessed.
    pub self_score: Option<Points>,
    /// Each appraisal round, in sheet order.
    pub rounds: Vec<Option<Points>>,
    /// Deducted points (positive).
    pub deduction: Option<Points>,
    /// The official score: the last round with scores, net of deductions.
    pub official: Option<Points>,
}

impl Stages {
    /// Whether any stage differs from the one before it (a deduction counts).
    pub fn changed(&self) -> bool {
        let mut seq: Vec<Option<Points>> = Vec::new();
        if self.self_score.is_some() {
            seq.push(self.self_score);
        }
        seq.extend(self.rounds.iter().copied().filter(Option::is_some));
        seq.push(self.official);
        seq.windows(2).any(|w| w[0] != w[1]) || self.deduction.is_some_and(|d| d != Points::ZERO)
    }
}

/// One leaf's stages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeafRounds {
    /// Leaf code.
    pub code: Code,
    /// Leaf name.
    pub name: String,
    /// Max (the year's framework).
    pub max: Points,
    /// Its points at each stage.
    pub stages: Stages,
}

/// One unit's rounds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitRounds {
    /// The unit.
    pub unit: UnitId,
    /// The rounds' column labels, as the sheet has them.
    pub labels: Vec<String>,
    /// Whether the sheet has a deductions column.
    pub has_deduction: bool,
    /// The sums of the leaves at each stage.
    pub totals: Stages,
    /// The leaves where a stage changed something.
    pub leaves: Vec<LeafRounds>,
}

/// Whether a sheet records more than one appraisal stage (rounds or deductions).
pub fn has_rounds(sheet: &ScoreSheet) -> bool {
    sheet.columns.rounds.len() > 1 || sheet.columns.deduction.is_some()
}

/// Every unit of the year whose sheet records rounds, in rank order.
pub fn rounds(a: &Findings, year: &YearResult) -> Vec<UnitRounds> {
    year.units
        .iter()
        .filter_map(|u| match u.source {
            Source::Sheet(i) if has_rounds(&a.sheets[i]) => Some(unit_rounds(u.unit, &a.sheets[i], &year.framework)),
            _ => None,
        })
        .collect()
}

fn unit_rounds(unit: UnitId, sheet: &ScoreSheet, fw: &crate::resolve::framework::Framework) -> UnitRounds {
    let n = sheet.columns.rounds.len();
    let mut totals = Stages { rounds: vec![None; n], ..Stages::default() };
    let add = |sum: &mut Option<Points>, v: Option<Points>| {
        if let Some(v) = v {
            *sum = Some(sum.unwrap_or_default() + v);
        }
    };
    let mut out = Vec::new();
    let mut done = foldhash::HashSet::default();
    for r in sheet.rows.iter().filter(|r| r.leaf) {
        let Some(code) = r.code.as_ref().filter(|c| done.insert(c.as_str())) else { continue };
        let value = |s: &Score| s.value();
        let stages = Stages {
            self_score: value(&r.self_score),
            rounds: (0..n).map(|k| r.round(k).and_then(value)).collect(),
            deduction: r.deduction().and_then(value).map(|d| Points(d.0.abs())),
            official: value(&r.appraised),
        };
        add(&mut totals.self_score, stages.self_score);
        for (t, v) in totals.rounds.iter_mut().zip(&stages.rounds) {
            add(t, *v);
        }
        add(&mut totals.deduction, stages.deduction);
        add(&mut totals.official, stages.official);
        if stages.changed() {
            let max = fw.get(code).map(|n| n.max).or(r.max.value()).unwrap_or_default();
            out.push(LeafRounds { code: code.clone(), name: r.name.to_string(), max, stages });
        }
    }
    UnitRounds {
        unit,
        labels: sheet.columns.rounds.iter().map(|r| r.label.clone()).collect(),
        has_deduction: sheet.columns.deduction.is_some(),
        totals,
        leaves: out,
    }
}
