//! `cchc template`: the year's blank scoring sheets, one per unit and one without a
//! unit, from a year's framework as the sheets state it or from a framework file.

use super::InputArg;
use crate::error::{CchcError, Result};
use crate::findings::Findings;
use crate::model::points::Points;
use crate::model::sheet::{RowKind, Score};
use crate::read::framework_file::read_framework_file;
use crate::report::template::{Template, TemplateUnit, file_name};
use crate::resolve::framework::{Framework, majority};
use crate::write::output::write_bytes;
use std::collections::HashSet;
use std::path::PathBuf;

/// Arguments of `cchc template`.
#[derive(Debug, clap::Args)]
pub struct TemplateArgs {
    #[command(flatten)]
    input: InputArg,
    /// Năm chấm điểm của biểu.
    #[arg(long)]
    year: i32,
    /// Lấy khung tiêu chí và danh sách đơn vị từ các biểu của năm này (mặc định: năm gần nhất trước --year có điểm từng tiêu chí).
    #[arg(long, conflicts_with = "framework")]
    from_year: Option<i32>,
    /// Tệp khung tiêu chí (.csv hoặc .xlsx: cột mã, tên, điểm tối đa, tuỳ chọn "không áp dụng").
    #[arg(long)]
    framework: Option<PathBuf>,
    /// Thư mục ghi các biểu (mặc định output/bieu-cham-diem-<năm>).
    #[arg(long)]
    output: Option<PathBuf>,
}

/// What the templates are built from: the frameworks (the main one first, then those
/// of other groups of units), the leaves that may be not applicable, the bonus and
/// penalty max, the units with each one's framework, and the district.
struct Source {
    frameworks: Vec<(String, Framework)>,
    /// For each of `units`, its framework in `frameworks`.
    framework_of: Vec<usize>,
    not_applicable: HashSet<String>,
    bonus_max: Option<Points>,
    penalty_max: Option<Points>,
    units: Vec<TemplateUnit>,
    office: Option<String>,
    from: String,
}

/// The units of `year`, in Vietnamese alphabetical order.
fn units_of(a: &Findings, year: i32) -> Vec<TemplateUnit> {
    let Ok(y) = a.year(year) else { return Vec::new() };
    let mut ids: Vec<_> = y.units.iter().map(|u| u.unit).collect();
    ids.sort_by_key(|id| a.alphabetical[id.index()]);
    ids.dedup();
    ids.into_iter().map(|id| TemplateUnit { name: a.units[id.index()].name.clone(), kind: a.units[id.index()].kind }).collect()
}

/// Each unit's framework in `year`: the one its sheet carried (0, the main one, for a
/// unit without a sheet that year).
fn frameworks_of(a: &Findings, year: i32, units: &[TemplateUnit]) -> Vec<usize> {
    let Ok(y) = a.year(year) else { return vec![0; units.len()] };
    units.iter().map(|t| y.units.iter().find(|u| a.units[u.unit.index()].name == t.name).map_or(0, |u| u.framework)).collect()
}

fn from_sheets(a: &Findings, year: i32, target: i32) -> Result<Source> {
    let y = a.year_with_leaves(year)?;
    let sheets: Vec<_> = a.sheets.iter().filter(|s| s.year == year).collect();
    let rows = || sheets.iter().flat_map(|s| s.rows.iter());
    let not_applicable = rows()
        .filter(|r| r.kind == RowKind::Criterion && (r.appraised == Score::NotApplicable || r.self_score == Score::NotApplicable))
        .filter_map(|r| r.code.as_ref().map(|c| c.as_str().to_string()))
        .collect();
    let max_of = |kind| majority(&rows().filter(|r| r.kind == kind).filter_map(|r| r.max.value()).collect::<Vec<_>>());
    let main = (y.groups.first().cloned().unwrap_or_default(), y.framework.clone());
    let mut frameworks: Vec<(String, Framework)> = std::iter::once(main).chain(y.other_frameworks.iter().cloned()).collect();
    for (_, f) in &mut frameworks {
        f.year = target;
    }
    let units = units_of(a, year);
    Ok(Source {
        frameworks,
        framework_of: frameworks_of(a, year, &units),
        not_applicable,
        bonus_max: max_of(RowKind::Bonus),
        penalty_max: max_of(RowKind::Penalty),
        units,
        office: a.office(),
        from: format!("khung tiêu chí theo các biểu năm {year}"),
    })
}

fn from_file(path: &std::path::Path, a: Option<&Findings>, target: i32) -> Result<Source> {
    let bad = |reason: String| CchcError::Framework { path: path.to_path_buf(), reason };
    let rows = read_framework_file(path).map_err(|e| CchcError::FrameworkFile(e.into()))?;
    // One framework per group where the file has a group column; units by their kind.
    let frameworks = Framework::by_group(target, &rows).map_err(bad)?;
    if frameworks.iter().any(|(_, f)| f.nodes.is_empty()) {
        return Err(bad("tệp không có dòng tiêu chí nào".into()));
    }
    let not_applicable = rows.iter().filter(|r| r.not_applicable).map(|r| r.code.as_str().to_string()).collect();
    let latest = a.and_then(|a| a.years.iter().rev().find(|y| y.year < target).or(a.years.last()).map(|y| y.year));
    let units: Vec<TemplateUnit> = a.zip(latest).map(|(a, y)| units_of(a, y)).unwrap_or_default();
    let labels: Vec<String> = frameworks.iter().map(|(l, _)| l.clone()).collect();
    Ok(Source {
        framework_of: units.iter().map(|u| crate::resolve::framework::group_of_kind(&labels, u.kind)).collect(),
        frameworks,
        not_applicable,
        bonus_max: None,
        penalty_max: None,
        units,
        office: a.and_then(|a| a.office()),
        from: format!("khung tiêu chí trong tệp {}", path.display()),
    })
}

/// Runs `cchc template`.
pub fn run(args: &TemplateArgs) -> Result<u8> {
    let source = match &args.framework {
        // The units come from the input where there is one; a framework file alone
        // still gives the blank template.
        Some(path) => from_file(path, args.input.analyse().ok().as_ref(), args.year)?,
        None => {
            let a = args.input.analyse()?;
            // The latest year before it with criteria, else the latest with criteria.
            let with_criteria = || a.years.iter().rev().filter(|y| y.has_criteria());
            let from = args
                .from_year
                .or_else(|| with_criteria().find(|y| y.year < args.year).map(|y| y.year))
                .or_else(|| with_criteria().next().map(|y| y.year));
            let from = from.ok_or_else(|| CchcError::YearMissing {
                year: args.year - 1,
                available: a.years.iter().map(|y| y.year.to_string()).collect::<Vec<_>>().join(", "),
            })?;
            from_sheets(&a, from, args.year)?
        }
    };
    let templates: Vec<Template> = source
        .frameworks
        .iter()
        .map(|(_, framework)| Template {
            year: args.year,
            framework,
            not_applicable: source.not_applicable.clone(),
            office: source.office.as_deref(),
            bonus_max: source.bonus_max,
            penalty_max: source.penalty_max,
        })
        .collect();
    let dir = args.output.clone().unwrap_or_else(|| PathBuf::from(format!("output/bieu-cham-diem-{}", args.year)));
    // Each unit on its own framework; one blank template per framework (the other
    // groups' named by their label).
    let mut jobs: Vec<(PathBuf, &Template, Option<&TemplateUnit>)> = source
        .units
        .iter()
        .zip(&source.framework_of)
        .map(|(u, &k)| (dir.join(file_name(Some(u), args.year)), &templates[k], Some(u)))
        .collect();
    for (k, (label, _)) in source.frameworks.iter().enumerate() {
        let name = match k {
            0 => file_name(None, args.year),
            _ => format!("bieu-cham-diem-{}-{}.xlsx", crate::text::slug(&format!("khoi {label}")), args.year),
        };
        jobs.push((dir.join(name), &templates[k], None));
    }
    for (path, template, unit) in &jobs {
        let fail = |source| CchcError::Workbook { path: path.clone(), source };
        let bytes = template.workbook(*unit, &crate::report::template::Blank).and_then(|mut wb| wb.save_to_buffer()).map_err(fail)?;
        write_bytes(path, &bytes)?;
    }
    let totals: Vec<String> = source.frameworks.iter().map(|(_, f)| f.total().to_vi()).collect();
    eprintln!(
        "Đã ghi {} biểu chấm điểm năm {} ({} đơn vị và {} biểu trống; {}, tổng điểm tối đa {}) vào {}",
        jobs.len(),
        args.year,
        source.units.len(),
        if source.frameworks.len() == 1 { "một".to_string() } else { source.frameworks.len().to_string() },
        source.from,
        totals.join(" / "),
        dir.display()
    );
    Ok(0)
}
