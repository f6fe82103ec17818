//! Stage: check each scored sheet against itself and its year's framework.
//!
//! Every rule is a `kind`, names the cell at fault and says what to do. Nothing here
//! changes a result: leaves are the truth, a unit with errors is still ranked and
//! flagged (or, with `run --strict`, nothing is written).

mod notes;

use crate::model::band::Bands;
use crate::model::code::{Code, is_under, parent};
use crate::model::diagnostic::Diagnostic;
use crate::model::kind::Kind;
use crate::model::points::Points;
use crate::model::sheet::{Cell, Origin, ResultsTable, RowKind, Score, ScoreSheet, SheetRow, Source};
use crate::model::unit::Unit;
use crate::resolve::framework::Framework;
use crate::score::{UnitResult, YearResult};
use crate::text::fold;
use foldhash::{HashMap, HashMapExt};
use std::fmt::Display;

struct Ctx<'a> {
    sheet: &'a ScoreSheet,
    source: Source,
    unit: &'a str,
    out: &'a mut Vec<Diagnostic>,
}

impl Ctx<'_> {
    fn push(&mut self, kind: Kind, cell: Option<Cell>, args: &[(&str, &dyn Display)]) {
        let s = self.sheet;
        let mut d = Diagnostic::new(kind, &s.file, Some(s.year), args).in_sheet(&s.sheet).for_unit(self.unit).about(self.source);
        d.cell = cell;
        self.out.push(d);
    }

    fn cell(&self, row: &SheetRow, col: usize) -> Option<Cell> {
        Some(Cell::new(row.row, col))
    }

    fn code_cell(&self, row: &SheetRow) -> Option<Cell> {
        self.cell(row, self.sheet.columns.code.unwrap_or(self.sheet.columns.name))
    }
}

/// Checks one sheet; `unit` is the unit's display name, `result` its score.
pub fn check_sheet(sheet: &ScoreSheet, unit: &str, fw: &Framework, result: &UnitResult, out: &mut Vec<Diagnostic>) {
    let mut cx = Ctx { sheet, source: result.source, unit, out };
    let criteria: Vec<&SheetRow> = sheet.rows.iter().filter(|r| r.kind == RowKind::Criterion && r.code.is_some()).collect();
    let first = first_of_each_code(&mut cx, &criteria);
    check_against_framework(&mut cx, fw, &criteria, &first);
    check_max_sums(&mut cx, fw, &criteria);
    check_scores(&mut cx, fw, &criteria);
    check_options(&mut cx, fw, &criteria);
    check_net(&mut cx, &criteria);
    check_parent_cells(&mut cx, &criteria);
    check_bonus_and_total(&mut cx, result);
    check_notes(&mut cx, fw, &criteria);
    for (cell, variant) in &sheet.name_variants {
        cx.push(Kind::NameSpelling, Some(*cell), &[("variant", variant), ("name", &unit)]);
    }
}

/// Ratios in notes against their own percentages ([`notes::ratio_mismatch`]) and,
/// where the leaf's rubric is by percentage bands, against the score given
/// ([`notes::rubric_mismatch`]).
fn check_notes(cx: &mut Ctx<'_>, fw: &Framework, criteria: &[&SheetRow]) {
    let col = cx.sheet.columns.notes.first().copied().or(cx.sheet.columns.evidence);
    for r in criteria.iter().filter(|r| !r.note.is_empty()) {
        let code = r.code.as_deref().unwrap_or_default();
        let options = rubric(fw, r, code);
        if let Some(score) = r.appraised.value().filter(|_| r.leaf)
            && let Some(m) = notes::rubric_mismatch(&r.note, options, score)
        {
            let cell = col.and_then(|c| cx.cell(r, c));
            cx.push(
                Kind::NoteRubricMismatch,
                cell,
                &[
                    ("code", &code),
                    ("percent", &m.percent.to_vi()),
                    ("option", &m.option.text),
                    ("expected", &m.option.points.to_vi()),
                    ("score", &score.to_vi()),
                ],
            );
        }
        if let Some(m) = notes::ratio_mismatch(&r.note) {
            let code = r.code.as_deref().unwrap_or_default();
            let cell = col.and_then(|c| cx.cell(r, c));
            cx.push(
                Kind::NoteRatioMismatch,
                cell,
                &[("code", &code), ("written", &m.written), ("part", &m.part), ("whole", &m.whole), ("computed", &m.computed.to_vi())],
            );
        }
    }
}

/// Each code's first row; a code's later rows are reported (only the first counts).
fn first_of_each_code<'a>(cx: &mut Ctx<'_>, criteria: &[&'a SheetRow]) -> HashMap<&'a str, &'a SheetRow> {
    let mut first: HashMap<&str, &SheetRow> = HashMap::new();
    for r in criteria {
        let code = r.code.as_deref().unwrap_or_default();
        if let Some(prev) = first.get(code) {
            cx.push(Kind::DuplicateCode, cx.code_cell(r), &[("code", &code), ("first_row", &(prev.row + 1)), ("row", &(r.row + 1))]);
        } else {
            first.insert(code, r);
        }
    }
    first
}

/// Codes missing (the top of each missing branch), codes not in the framework, and
/// maxes that differ from it.
fn check_against_framework(cx: &mut Ctx<'_>, fw: &Framework, criteria: &[&SheetRow], first: &HashMap<&str, &SheetRow>) {
    let cols = &cx.sheet.columns;
    // Rows under a criterion scored on its own, or read as its options, are accounted for.
    let covered = |code: &str| {
        cx.sheet.parents_scored.iter().any(|p| is_under(code, &p.code)) || cx.sheet.option_rows.iter().any(|o| is_under(code, &o.code))
    };
    for node in &fw.nodes {
        let present_parent = parent(&node.code).is_none_or(|p| first.contains_key(p));
        if !first.contains_key(node.code.as_str()) && present_parent && !covered(&node.code) {
            cx.push(Kind::MissingCode, None, &[("code", &node.code), ("name", &node.name), ("max", &node.max.to_vi()), ("year", &fw.year)]);
        }
    }
    // In sheet order (a map's order changes from run to run).
    for r in criteria.iter().filter(|r| first.get(r.code.as_deref().unwrap_or_default()).is_some_and(|f| std::ptr::eq(*f, **r))) {
        let code = r.code.as_deref().unwrap_or_default();
        match fw.get(code) {
            None => cx.push(Kind::ExtraCode, cx.code_cell(r), &[("code", &code), ("year", &fw.year)]),
            Some(node) => {
                if let Some(m) = r.max.value()
                    && m != node.max
                {
                    cx.push(
                        Kind::MaxMismatch,
                        cx.cell(r, cols.max),
                        &[("code", &code), ("written", &m.to_vi()), ("year", &fw.year), ("max", &node.max.to_vi())],
                    );
                }
            }
        }
    }
}

/// Children's max adding up to their parent's, on this sheet.
fn check_max_sums(cx: &mut Ctx<'_>, fw: &Framework, criteria: &[&SheetRow]) {
    let cols = &cx.sheet.columns;
    let mut children: HashMap<&str, Vec<&SheetRow>> = HashMap::new();
    for r in criteria {
        if let Some(p) = r.code.as_deref().and_then(parent) {
            children.entry(p).or_default().push(r);
        }
    }
    let mut fw_children: HashMap<&str, Points> = HashMap::new();
    for k in &fw.nodes {
        if let Some(p) = parent(&k.code) {
            *fw_children.entry(p).or_default() += k.max;
        }
    }
    for r in criteria {
        let code = r.code.as_deref().unwrap_or_default();
        let Some(kids) = children.get(code) else { continue };
        let Some(own) = r.max.value() else { continue };
        // A framework that is itself inconsistent is reported once, not on every sheet.
        let fw_kids = fw_children.get(code).copied().unwrap_or_default();
        if fw.get(code).is_some_and(|n| n.max != fw_kids) {
            continue;
        }
        let maxes: Option<Vec<Points>> = kids.iter().map(|k| k.max.value()).collect();
        if let Some(m) = maxes {
            let sum: Points = m.into_iter().sum();
            if sum != own {
                cx.push(Kind::MaxSumMismatch, cx.cell(r, cols.max), &[("code", &code), ("max", &own.to_vi()), ("sum", &sum.to_vi())]);
            }
        }
    }
}

/// Each score: not negative, not above its max; self-assessed not below appraised;
/// appraised leaves not blank (the whole column blank is one problem).
fn check_scores(cx: &mut Ctx<'_>, fw: &Framework, criteria: &[&SheetRow]) {
    let cols = &cx.sheet.columns;
    let mut blank_leaves = Vec::new();
    for r in criteria {
        let code = r.code.as_deref().unwrap_or_default();
        let max = fw.get(code).map(|n| n.max).or(r.max.value());
        for (col, score, label) in [(Some(cols.appraised), &r.appraised, "thẩm định"), (cols.self_score, &r.self_score, "tự đánh giá")]
        {
            let (Some(col), Some(v)) = (col, score.value()) else { continue };
            if v < Points::ZERO {
                cx.push(Kind::NegativeScore, cx.cell(r, col), &[("column", &label), ("code", &code), ("score", &v.to_vi())]);
            } else if let Some(m) = max
                && v > m
                && r.leaf
            {
                cx.push(
                    Kind::AboveMax,
                    cx.cell(r, col),
                    &[("column", &label), ("code", &code), ("score", &v.to_vi()), ("max", &m.to_vi())],
                );
            }
        }
        if !r.leaf {
            continue;
        }
        if r.appraised == Score::Blank {
            blank_leaves.push(*r);
        }
        if let (Some(s), Some(a), Some(col)) = (r.self_score.value(), r.appraised.value(), cols.self_score)
            && s < a
        {
            cx.push(Kind::SelfBelowAppraised, cx.cell(r, col), &[("code", &code), ("self", &s.to_vi()), ("appraised", &a.to_vi())]);
        }
    }
    let leaf_count = criteria.iter().filter(|r| r.leaf).count();
    if !blank_leaves.is_empty() && blank_leaves.len() == leaf_count {
        cx.push(Kind::NoAppraisedScores, None, &[]);
    } else {
        for r in blank_leaves {
            let code = r.code.as_deref().unwrap_or_default();
            cx.push(Kind::MissingScore, cx.cell(r, cols.appraised), &[("code", &code)]);
        }
    }
}

/// A net cell ("Điểm thẩm định sau khi trừ") against its row's last round less its
/// deduction; the net cell stays official.
fn check_net(cx: &mut Ctx<'_>, criteria: &[&SheetRow]) {
    let Some(col) = cx.sheet.columns.net else { return };
    for r in criteria.iter().filter(|r| r.leaf) {
        let (Some(net), Some(stages)) = (r.appraised.value(), r.stages.as_ref()) else { continue };
        let Some(round) = stages.rounds.iter().rev().find_map(Score::value) else { continue };
        let deducted = Points(stages.deduction.value().unwrap_or_default().0.abs());
        let expected = round - deducted;
        if expected != net {
            let code = r.code.as_deref().unwrap_or_default();
            cx.push(
                Kind::NetMismatch,
                cx.cell(r, col),
                &[
                    ("code", &code),
                    ("net", &net.to_vi()),
                    ("round", &round.to_vi()),
                    ("deducted", &deducted.to_vi()),
                    ("expected", &expected.to_vi()),
                ],
            );
        }
    }
}

/// A leaf's rubric: the sheet's own option rows, else the framework's.
fn rubric<'a>(fw: &'a Framework, r: &'a SheetRow, code: &str) -> &'a [crate::model::sheet::RubricOption] {
    if r.options.is_empty() { fw.get(code).map_or(&[][..], |n| &n.options[..]) } else { &r.options[..] }
}

/// An appraised leaf score that none of its rubric's options gives (the sheet's own
/// option rows, else the framework's).
fn check_options(cx: &mut Ctx<'_>, fw: &Framework, criteria: &[&SheetRow]) {
    let col = cx.sheet.columns.appraised;
    for r in criteria {
        let code = r.code.as_deref().unwrap_or_default();
        let Some(v) = r.appraised.value().filter(|_| r.leaf) else { continue };
        let options = rubric(fw, r, code);
        // One codeless row under a leaf is no rubric: a rubric offers a choice.
        if options.len() < 2 || options.iter().any(|o| o.points == v) {
            continue;
        }
        let mut allowed: Vec<Points> = options.iter().map(|o| o.points).collect();
        allowed.sort_unstable_by(|a, b| b.cmp(a));
        allowed.dedup();
        let allowed: Vec<String> = allowed.iter().map(|p| p.to_vi()).collect();
        cx.push(Kind::ScoreNotAnOption, cx.cell(r, col), &[("code", &code), ("score", &v.to_vi()), ("options", &allowed.join("; "))]);
    }
}

/// A parent's own cell, where typed, must equal the sum of its leaves.
fn check_parent_cells(cx: &mut Ctx<'_>, criteria: &[&SheetRow]) {
    let cols = &cx.sheet.columns;
    for r in criteria.iter().filter(|r| !r.leaf && !r.appraised_formula) {
        let Some(v) = r.appraised.value() else { continue };
        let code = r.code.as_deref().unwrap_or_default();
        let sum: Points = criteria
            .iter()
            .filter(|k| k.leaf && k.code.as_deref().is_some_and(|c| is_under(c, code)))
            .filter_map(|k| k.appraised.counted())
            .sum();
        if sum != v {
            cx.push(
                Kind::ParentSumMismatch,
                cx.cell(r, cols.appraised),
                &[("code", &code), ("written", &v.to_vi()), ("sum", &sum.to_vi())],
            );
        }
    }
}

fn check_bonus_and_total(cx: &mut Ctx<'_>, result: &UnitResult) {
    let sheet = cx.sheet;
    let cols = &sheet.columns;
    let points = result.points;
    for r in sheet.rows.iter().filter(|r| matches!(r.kind, RowKind::Bonus | RowKind::Penalty)) {
        let Some(v) = r.appraised.value() else { continue };
        let label = if r.kind == RowKind::Bonus { "thưởng" } else { "trừ" };
        let cap = r.max.value();
        let wrong_sign = r.kind == RowKind::Bonus && v < Points::ZERO;
        if wrong_sign || cap.is_some_and(|m| v.0.abs() > m.0.abs()) {
            let bound = cap.map(|m| format!(" (tối đa {})", m.to_vi())).unwrap_or_default();
            cx.push(Kind::BonusOutOfBounds, cx.cell(r, cols.appraised), &[("label", &label), ("score", &v.to_vi()), ("bound", &bound)]);
        }
    }
    let total = sheet.rows.iter().find(|r| r.kind == RowKind::Total && r.appraised.value().is_some() && !r.appraised_formula);
    if let Some(r) = total {
        let v = r.appraised.value().unwrap_or_default();
        // The sheet's own arithmetic: with or without bonus and penalty, and without
        // the survey table's points where an area is filled from it.
        let own = points - sheet.survey_delta;
        if ![points, points + result.bonus - result.penalty, own, own + result.bonus - result.penalty].contains(&v) {
            cx.push(Kind::TotalMismatch, cx.cell(r, cols.appraised), &[("written", &v.to_vi()), ("points", &points.to_vi())]);
        }
    }
}

/// Checks the year's framework itself: children's max adding up to the parent's.
/// Reported once, on the first sheet of the year.
pub fn check_framework(fw: &Framework, first: &ScoreSheet, out: &mut Vec<Diagnostic>) {
    for node in fw.nodes.iter().filter(|n| !n.leaf) {
        let sum: Points = fw.nodes.iter().filter(|k| parent(&k.code) == Some(node.code.as_str())).map(|k| k.max).sum();
        if sum != node.max {
            out.push(
                Diagnostic::new(
                    Kind::FrameworkMaxSum,
                    &first.file,
                    Some(fw.year),
                    &[("year", &fw.year), ("code", &node.code), ("max", &node.max.to_vi()), ("sum", &sum.to_vi())],
                )
                .in_sheet(&first.sheet),
            );
        }
    }
}

/// Compares a year's framework with the previous year's, code by code: trends match
/// codes across years, so a code whose name or max changed is worth knowing.
/// Reported once per pair of years, on the first sheet of the later year.
///
/// `renamed` gives a code of the year before as it is called this year (`[crosswalk]`
/// in cchc.toml; itself without one).
pub fn check_framework_change(
    prev: &Framework,
    cur: &Framework,
    first: &ScoreSheet,
    renamed: impl Fn(&str) -> Code,
    out: &mut Vec<Diagnostic>,
) {
    if prev.nodes.is_empty() || cur.nodes.is_empty() {
        return;
    }
    let mut changes = Vec::new();
    let before: Vec<(Code, &crate::resolve::framework::Node)> = prev.nodes.iter().map(|p| (renamed(&p.code), p)).collect();
    let find = |code: &Code| before.iter().find(|(c, _)| c == code).map(|(_, p)| *p);
    for n in &cur.nodes {
        match find(&n.code) {
            Some(p) if p.max != n.max => changes.push(format!("{} điểm tối đa {} → {}", n.code, p.max.to_vi(), n.max.to_vi())),
            Some(p) if fold(&p.name) != fold(&n.name) => changes.push(format!("{} đổi tên", n.code)),
            Some(_) => {}
            None => changes.push(format!("{} mới", n.code)),
        }
    }
    changes.extend(before.iter().filter(|(c, _)| cur.get(c).is_none()).map(|(_, p)| format!("{} bỏ", p.code)));
    if changes.is_empty() {
        return;
    }
    let shown: Vec<&str> = changes.iter().take(12).map(String::as_str).collect();
    let more = if changes.len() > shown.len() { format!(" và {} thay đổi khác", changes.len() - shown.len()) } else { String::new() };
    out.push(
        Diagnostic::new(
            Kind::FrameworkChanged,
            &first.file,
            Some(cur.year),
            &[("year", &cur.year), ("previous", &prev.year), ("changes", &shown.join("; ")), ("more", &more)],
        )
        .in_sheet(&first.sheet),
    );
}

/// A unit's second source in one year: reported, not scored (the first is kept).
pub fn duplicate_unit(first: Origin<'_>, second: Origin<'_>, unit: &str) -> Diagnostic {
    Diagnostic::new(
        Kind::DuplicateUnit,
        second.file,
        Some(second.year),
        &[
            ("unit", &unit),
            ("year", &second.year),
            ("first_file", &first.file),
            ("first_sheet", &first.sheet),
            ("file", &second.file),
            ("sheet", &second.sheet),
        ],
    )
    .in_sheet(second.sheet)
    .for_unit(unit)
    .about(second.source)
}

/// A results table's printed rank and band against those computed from its totals.
pub fn check_published(y: &YearResult, tables: &[ResultsTable], units: &[Unit], out: &mut Vec<Diagnostic>) {
    for u in &y.units {
        let Source::Published { table, row } = u.source else { continue };
        let (t, p) = (&tables[table], &tables[table].rows[row]);
        let band_differs = p.band.as_deref().is_some_and(|b| fold(b) != fold(u.band.label()));
        if p.rank.is_some_and(|r| r != u.rank) || band_differs {
            out.push(
                Diagnostic::new(
                    Kind::PublishedRankMismatch,
                    &t.file,
                    Some(t.year),
                    &[
                        ("printed_rank", &p.rank.map_or("—".to_string(), |r| r.to_string())),
                        ("printed_band", &p.band.as_deref().unwrap_or("—")),
                        ("index", &u.index.to_vi()),
                        ("rank", &u.rank),
                        ("band", &u.band.label()),
                    ],
                )
                .in_sheet(&t.sheet)
                .at(Cell::new(p.row, t.total_col))
                .for_unit(&units[u.unit].name)
                .about(u.source),
            );
        }
    }
}

/// Results too close to publish unchecked, in a ranked year: neighbours that tie or are
/// within `margin` index points, and units within `margin` of a band's threshold. Each
/// names the units and their sheets, so that appraisers re-check those first.
pub fn close_calls(
    y: &YearResult,
    units: &[Unit],
    origin: impl Fn(Source) -> (String, String),
    bands: &Bands,
    margin: Points,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let place = |s: Source| {
        let (file, sheet) = origin(s);
        format!("{file}, trang {sheet}")
    };
    let push = |out: &mut Vec<Diagnostic>, u: &UnitResult, detail: String, which: String| {
        let (file, sheet) = origin(u.source);
        out.push(
            Diagnostic::new(Kind::CloseCall, &file, Some(y.year), &[("detail", &detail), ("which", &which)])
                .in_sheet(&sheet)
                .for_unit(&units[u.unit].name),
        );
    };
    for pair in y.units.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        let diff = a.index - b.index;
        if diff > margin {
            continue;
        }
        let (na, nb) = (&units[a.unit].name, &units[b.unit].name);
        let how = if diff == Points::ZERO {
            format!("đồng hạng {} với chỉ số {}", a.rank, a.index.to_vi())
        } else {
            format!("chỉ cách nhau {} điểm ({} hạng {}, {} hạng {})", diff.to_vi(), a.index.to_vi(), a.rank, b.index.to_vi(), b.rank)
        };
        push(&mut out, a, format!("{na} và {nb} {how}"), format!("biểu của {na} ({}) và của {nb} ({})", place(a.source), place(b.source)));
    }
    for u in &y.units {
        for band in bands.all() {
            let from = bands.start(band);
            if from == Points::ZERO || (u.index - from).0.abs() > margin.0 {
                continue;
            }
            let name = &units[u.unit].name;
            let gap = Points((u.index - from).0.abs()).to_vi();
            let side = match (u.index - from).0.signum() {
                0 => "đúng bằng ngưỡng".to_string(),
                1 => format!("trên ngưỡng {gap} điểm:"),
                _ => format!("dưới ngưỡng {gap} điểm:"),
            };
            let detail = format!("{name} có chỉ số {}, {side} xếp loại {} từ {}", u.index.to_vi(), band.label(), from.to_vi());
            push(&mut out, u, detail, format!("biểu của {name} ({})", place(u.source)));
        }
    }
    out
}
