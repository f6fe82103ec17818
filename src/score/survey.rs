//! An area scored outside the sheets (`[survey]` in cchc.toml): the survey team's
//! table fills the area's leaves of every sheet of the year, exactly, before scoring.
//! The sheet's own cells for the area, where typed, are checked against the table (the
//! table wins), and the sheet's stated total may be its own arithmetic without the
//! table ([`ScoreSheet::survey_delta`]).
//!
//! A table with one points column fills an area that is one leaf; an area with several
//! leaves needs one column per leaf ("8.1", "8.2").

use crate::config::Survey;
use crate::model::code::{Code, is_under};
use crate::model::diagnostic::Diagnostic;
use crate::model::kind::Kind;
use crate::model::points::Points;
use crate::model::sheet::{Cell, RowKind, Score, ScoreSheet, SheetRow, Source};
use crate::model::unit::{Unit, UnitId};
use crate::read::lists::SurveyRow;
use crate::resolve::framework::Framework;
use crate::text::find_name;
use foldhash::HashMap;

/// One year's survey: the table as read (or why it cannot be), its file as shown.
pub struct YearSurvey<'a> {
    /// The settings' survey.
    pub survey: &'a Survey,
    /// The table's file, as messages name it.
    pub file: String,
    /// Its rows, or why it cannot be read.
    pub rows: Result<Vec<SurveyRow>, String>,
}

/// Fills the survey area of the year's sheets (`sheets`: each scoring sheet's index and
/// unit) from the table; returns the problems found.
pub fn apply(y: &YearSurvey<'_>, fw: &Framework, all: &mut [ScoreSheet], sheets: &[(usize, UnitId)], units: &[Unit]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let area = &y.survey.area;
    let year = fw.year;
    let first = sheets.first().map(|&(i, _)| &all[i]);
    let unusable = |error: String| {
        let d = Diagnostic::new(
            Kind::SurveyUnreadable,
            &y.file,
            Some(year),
            &[("file", &y.file), ("error", &error), ("area", &area.display()), ("year", &year)],
        );
        vec![d]
    };
    if first.is_none() {
        return out;
    }
    // A year whose framework has no such area (before the survey began) keeps its sheets.
    let leaves: Vec<&crate::resolve::framework::Node> = fw.nodes.iter().filter(|n| n.leaf && n.code.area() == area.as_str()).collect();
    if leaves.is_empty() {
        return out;
    }
    let rows = match &y.rows {
        Ok(r) => r,
        Err(e) => return unusable(e.clone()),
    };
    // The points of each leaf for each unit of the year.
    let year_units: Vec<UnitId> = sheets.iter().map(|&(_, u)| u).collect();
    let mut by_unit: HashMap<UnitId, Vec<(Code, Points)>> = HashMap::default();
    for r in rows {
        let values = match leaf_values(r, &leaves) {
            Ok(v) => v,
            Err(e) => return unusable(e),
        };
        match find_unit(units, &year_units, &r.unit) {
            Some(u) => {
                by_unit.insert(u, values);
            }
            None => out.push(Diagnostic::new(
                Kind::SurveyUnknownUnit,
                &y.file,
                Some(year),
                &[("row", &r.row), ("name", &r.unit), ("year", &year)],
            )),
        }
    }
    for &(i, unit) in sheets {
        let sheet = &mut all[i];
        let values = match by_unit.get(&unit) {
            Some(v) => v.clone(),
            None => {
                out.push(
                    Diagnostic::new(
                        Kind::SurveyMissingUnit,
                        &y.file,
                        Some(year),
                        &[("file", &y.file), ("unit", &units[unit].name), ("area", &area.display())],
                    )
                    .for_unit(&units[unit].name)
                    .about(Source::Sheet(i)),
                );
                leaves.iter().map(|n| (n.code.clone(), Points::ZERO)).collect()
            }
        };
        fill(sheet, i, &units[unit].name, area, &values, fw, &y.file, &mut out);
    }
    out
}

/// A row's points per leaf of the area.
fn leaf_values(r: &SurveyRow, leaves: &[&crate::resolve::framework::Node]) -> Result<Vec<(Code, Points)>, String> {
    match r.points.as_slice() {
        [(None, p)] if leaves.len() == 1 => Ok(vec![(leaves[0].code.clone(), *p)]),
        [(None, _)] => Err(format!(
            "bảng chỉ có một cột điểm nhưng lĩnh vực có {} tiêu chí; hãy ghi mỗi tiêu chí một cột ({})",
            leaves.len(),
            leaves.iter().map(|n| n.code.as_str()).collect::<Vec<_>>().join(", ")
        )),
        by_code => leaves
            .iter()
            .map(|n| {
                by_code
                    .iter()
                    .find(|(c, _)| c.as_ref() == Some(&n.code))
                    .map(|(_, p)| (n.code.clone(), *p))
                    .ok_or_else(|| format!("thiếu cột của tiêu chí {}", n.code.as_str()))
            })
            .collect(),
    }
}

/// The unit of the year a table row names: the same toned key, else the one unit it folds to.
fn find_unit(units: &[Unit], year_units: &[UnitId], name: &str) -> Option<UnitId> {
    let parsed = crate::read::names::parse_unit_name(name, crate::model::sheet::NameSource::Title);
    let name = parsed.map_or(name.to_string(), |p| p.name);
    find_name(year_units.iter().map(|&u| units[u].name.as_str()), &name).map(|i| year_units[i])
}

/// Writes the table's values into the sheet's leaves of the area (adding rows the sheet
/// lacks) and the sums into its parent rows inside the area, warning where the sheet's
/// own cells said otherwise.
#[allow(clippy::too_many_arguments)]
fn fill(
    sheet: &mut ScoreSheet,
    idx: usize,
    unit: &str,
    area: &Code,
    values: &[(Code, Points)],
    fw: &Framework,
    file: &str,
    out: &mut Vec<Diagnostic>,
) {
    let col = sheet.columns.appraised;
    let year = sheet.year;
    let has_self = sheet.columns.self_score.is_some();
    let mut own = Points::ZERO;
    let mut table = Points::ZERO;
    for (code, p) in values {
        table += *p;
        match sheet.rows.iter_mut().find(|r| r.kind == RowKind::Criterion && r.code.as_ref() == Some(code)) {
            Some(r) => {
                own += r.appraised.counted().unwrap_or_default();
                mismatch(out, (&sheet.file, &sheet.sheet, idx, unit, year), r, col, code, *p, file);
                r.appraised = Score::Value(*p);
                if has_self && r.self_score == Score::Blank {
                    r.self_score = Score::Value(*p);
                }
            }
            None => {
                let next = sheet.rows.iter().map(|r| r.row + 1).max().unwrap_or_default();
                let node = fw.get(code.as_str());
                sheet.rows.push(SheetRow {
                    row: next,
                    kind: RowKind::Criterion,
                    code: Some(code.clone()),
                    name: node.map_or_else(|| "".into(), |n| n.name.as_str().into()),
                    max: node.map_or(Score::Blank, |n| Score::Value(n.max)),
                    self_score: if has_self { Score::Value(*p) } else { Score::Blank },
                    appraised: Score::Value(*p),
                    note: format!("Điểm khảo sát theo {file}"),
                    appraised_formula: false,
                    leaf: false,
                    options: Vec::new(),
                    stages: None,
                });
            }
        }
    }
    sheet.mark_leaves();
    // Parent rows inside the area (the area's own row among them) carry the sums.
    let leaf_codes: Vec<&Code> = values.iter().map(|(c, _)| c).collect();
    let (file_name, sheet_name) = (sheet.file.clone(), sheet.sheet.clone());
    for r in sheet.rows.iter_mut().filter(|r| r.kind == RowKind::Criterion) {
        let Some(code) = r.code.clone() else { continue };
        if code.area() != area.as_str() || leaf_codes.contains(&&code) {
            continue;
        }
        let sum: Points = values.iter().filter(|(c, _)| is_under(c.as_str(), code.as_str())).map(|(_, p)| *p).sum();
        if r.appraised.value().is_some() {
            mismatch(out, (&file_name, &sheet_name, idx, unit, year), r, col, &code, sum, file);
            r.appraised = Score::Value(sum);
        }
    }
    sheet.survey_delta = table - own;
}

fn mismatch(
    out: &mut Vec<Diagnostic>,
    at: (&str, &str, usize, &str, i32),
    r: &SheetRow,
    col: usize,
    code: &Code,
    points: Points,
    file: &str,
) {
    let (sheet_file, sheet_name, idx, unit, year) = at;
    if let Some(v) = r.appraised.value().filter(|v| *v != points) {
        out.push(
            Diagnostic::new(
                Kind::SurveyMismatch,
                sheet_file,
                Some(year),
                &[("code", &code.as_str()), ("written", &v.to_vi()), ("file", &file), ("points", &points.to_vi())],
            )
            .in_sheet(sheet_name)
            .at(Cell { row: r.row, col: col as u32 })
            .for_unit(unit)
            .about(Source::Sheet(idx)),
        );
    }
}
