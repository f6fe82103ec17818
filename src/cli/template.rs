//! `cchc template`: the year's blank scoring sheets, one per unit and one without a
//! unit, from a year's framework as the sheets state it or from a framework file.

use super::InputArg;
use crate::analysis::Analysis;
use crate::error::{CchcError, Result};
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

/// What the templates are built from: the framework, the leaves that may be not
/// applicable, the bonus and penalty max, the units and the district.
struct Source {
    framework: Framework,
    not_applicable: HashSet<String>,
    bonus_max: Option<Points>,
    penalty_max: Option<Points>,
    units: Vec<TemplateUnit>,
    office: Option<String>,
    from: String,
}

/// The units of `year`, in Vietnamese alphabetical order.
fn units_of(a: &Analysis, year: i32) -> Vec<TemplateUnit> {
    let Ok(y) = a.year(year) else { return Vec::new() };
    let mut ids: Vec<_> = y.units.iter().map(|u| u.unit).collect();
    ids.sort_by_key(|id| a.alphabetical[id.index()]);
    ids.dedup();
    ids.into_iter().map(|id| TemplateUnit { name: a.units[id.index()].name.clone(), kind: a.units[id.index()].kind }).collect()
}

fn from_sheets(a: &Analysis, year: i32, target: i32) -> Result<Source> {
    let y = a.year_with_leaves(year)?;
    let sheets: Vec<_> = a.sheets.iter().filter(|s| s.year == year).collect();
    let rows = || sheets.iter().flat_map(|s| s.rows.iter());
    let not_applicable = rows()
        .filter(|r| r.kind == RowKind::Criterion && (r.appraised == Score::NotApplicable || r.self_score == Score::NotApplicable))
        .filter_map(|r| r.code.as_ref().map(|c| c.as_str().to_string()))
        .collect();
    let max_of = |kind| majority(&rows().filter(|r| r.kind == kind).filter_map(|r| r.max.value()).collect::<Vec<_>>());
    let mut framework = y.framework.clone();
    framework.year = target;
    Ok(Source {
        framework,
        not_applicable,
        bonus_max: max_of(RowKind::Bonus),
        penalty_max: max_of(RowKind::Penalty),
        units: units_of(a, year),
        office: a.office(),
        from: format!("khung tiêu chí theo các biểu năm {year}"),
    })
}

fn from_file(path: &std::path::Path, a: Option<&Analysis>, target: i32) -> Result<Source> {
    let bad = |message: String| CchcError::Framework { path: path.to_path_buf(), message };
    let rows = read_framework_file(path).map_err(|e| bad(e.to_string()))?;
    let framework = Framework::from_rows(target, &rows).map_err(bad)?;
    if framework.nodes.is_empty() {
        return Err(bad("tệp không có dòng tiêu chí nào".into()));
    }
    let not_applicable = rows.iter().filter(|r| r.not_applicable).map(|r| r.code.as_str().to_string()).collect();
    let latest = a.and_then(|a| a.years.iter().rev().find(|y| y.year < target).or(a.years.last()).map(|y| y.year));
    Ok(Source {
        framework,
        not_applicable,
        bonus_max: None,
        penalty_max: None,
        units: a.zip(latest).map(|(a, y)| units_of(a, y)).unwrap_or_default(),
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
    let template = Template {
        year: args.year,
        framework: &source.framework,
        not_applicable: source.not_applicable,
        office: source.office.as_deref(),
        bonus_max: source.bonus_max,
        penalty_max: source.penalty_max,
    };
    let dir = args.output.clone().unwrap_or_else(|| PathBuf::from(format!("output/bieu-cham-diem-{}", args.year)));
    let units: Vec<Option<&TemplateUnit>> = source.units.iter().map(Some).chain([None]).collect();
    for unit in &units {
        let path = dir.join(file_name(*unit, args.year));
        let fail = |e: rust_xlsxwriter::XlsxError| CchcError::Output { path: path.clone(), message: e.to_string() };
        let bytes = template.workbook(*unit, None).and_then(|mut wb| wb.save_to_buffer()).map_err(fail)?;
        write_bytes(&path, &bytes)?;
    }
    eprintln!(
        "Đã ghi {} biểu chấm điểm năm {} ({} đơn vị và một biểu trống; {}, tổng điểm tối đa {}) vào {}",
        units.len(),
        args.year,
        source.units.len(),
        source.from,
        source.framework.total().to_vi(),
        dir.display()
    );
    Ok(0)
}
