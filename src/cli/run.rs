//! `cchc run`: the whole pipeline, writing every output.

use super::InputArg;
use crate::analyse::YearAnalyses;
use crate::error::{CchcError, Result};
use crate::model::diagnostic;
use crate::pipeline::{self, Analysis, Timings};
use crate::read::discover::SkipReason;
use crate::report::ranking;
use crate::write::export;
use crate::write::normalise;
use crate::write::output::{write_atomic, write_bytes};
use polars::prelude::DataFrame;
use std::path::{Path, PathBuf};
use std::time::{Instant, SystemTime};

/// Arguments of `cchc run`.
#[derive(Debug, clap::Args)]
pub struct RunArgs {
    #[command(flatten)]
    input: InputArg,
    /// Thư mục ghi kết quả.
    #[arg(long, default_value = "output")]
    output: PathBuf,
    /// Không ghi kết quả nào khi dữ liệu còn lỗi.
    #[arg(long)]
    strict: bool,
    /// Không ghi phụ lục khắc phục của từng đơn vị (chạy nhanh hơn).
    #[arg(long)]
    no_appendices: bool,
    /// In thời gian của từng bước (đọc, kiểm tra, phân tích, ghi) ra stderr.
    #[arg(long)]
    timings: bool,
}

/// What `write_outputs` writes besides the ranking workbooks and exports.
#[derive(Debug, Clone, Copy)]
pub struct WriteOptions {
    /// Write each unit's remediation appendix.
    pub appendices: bool,
    /// When the run began, for the manifest.
    pub started: SystemTime,
}

/// Where each year's ranking workbook goes.
pub fn ranking_path(output: &Path, year: i32) -> PathBuf {
    output.join(year.to_string()).join(format!("xep-hang-chi-so-cchc-{year}.xlsx"))
}

/// Writes every output of an analysis; returns the paths written and the time per stage.
pub fn write_outputs(a: &Analysis, output: &Path, opts: WriteOptions) -> Result<(Vec<PathBuf>, Timings)> {
    let mut timings = Timings::default();
    let start = Instant::now();
    let df = normalise::long_table(a).map_err(|e| export::polars_error(output, e))?;
    let start = timings.lap("normalise", start);
    let tables = a
        .years
        .iter()
        .map(|y| YearAnalyses::compute(&df, a, y))
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(|e| export::polars_error(output, e))?;
    let start = timings.lap("analyse", start);
    // The ranking workbooks (rust_xlsxwriter, one core) are built while the exports
    // (polars) are written: neither waits for the other.
    let (workbooks, exports) = std::thread::scope(|s| {
        let workbooks = s.spawn(|| write_rankings(a, &tables, output));
        let exports = write_exports(a, df, &tables, output);
        (workbooks.join().unwrap_or_else(|p| std::panic::resume_unwind(p)), exports)
    });
    let mut written = workbooks?;
    written.extend(exports?);
    let start = timings.lap("write", start);
    if opts.appendices {
        written.extend(crate::report::appendix::write_all(a, &tables, output)?);
        timings.lap("appendices", start);
    }
    // Last, so that it lists every output of the run.
    written.push(crate::write::manifest::write(a, output, &written, opts.started)?);
    Ok((written, timings))
}

/// Each year's ranking workbook; returns the paths written.
fn write_rankings(a: &Analysis, tables: &[Option<YearAnalyses>], output: &Path) -> Result<Vec<PathBuf>> {
    let mut written = Vec::new();
    for (y, t) in a.years.iter().zip(tables) {
        let path = ranking_path(output, y.year);
        let fail = |e: rust_xlsxwriter::XlsxError| CchcError::Output { path: path.clone(), message: e.to_string() };
        let bytes = ranking::build(a, t.as_ref(), y).and_then(|mut wb| wb.save_to_buffer()).map_err(fail)?;
        write_bytes(&path, &bytes)?;
        written.push(path);
    }
    Ok(written)
}

/// The long table, the analysis tables, all years' rankings as CSV and every
/// problem as JSON; returns the paths written. The long table is dropped once
/// written (at 10,000 units it holds hundreds of MB).
fn write_exports(a: &Analysis, mut long: DataFrame, tables: &[Option<YearAnalyses>], output: &Path) -> Result<Vec<PathBuf>> {
    let mut written = export::write_table(&mut long, output, "scores")?;
    drop(long);
    written.extend(crate::write::tables::write_all(a, tables, output)?);
    let mut rankings = String::new();
    for (i, y) in a.years.iter().enumerate() {
        let csv = super::rank::to_csv(a, y);
        // One header for all years only when the areas agree; otherwise each block keeps its own.
        rankings.push_str(if i == 0 { &csv } else { csv.split_once('\n').map_or("", |(_, rest)| rest) });
    }
    let path = output.join("rankings.csv");
    write_bytes(&path, rankings.as_bytes())?;
    written.push(path);
    let path = output.join("diagnostics.json");
    let json = super::validate::to_json(&a.diagnostics.iter().collect::<Vec<_>>());
    write_atomic(&path, |f| serde_json::to_writer_pretty(f, &json).map_err(|e| e.to_string()))?;
    written.push(path);
    Ok(written)
}

/// The terminal summary; `output` is where results went, if they were written.
pub fn summary(a: &Analysis, output: Option<&Path>) -> String {
    let locks = a.discovery.skipped.iter().filter(|(_, r)| *r == SkipReason::LockFile).count();
    let mut s = format!(
        "Đã đọc {} tệp; bỏ qua {} tệp ({} tệp khóa của Excel, {} tệp không phải bảng tính).\n",
        a.discovery.files.len(),
        a.discovery.skipped.len(),
        locks,
        a.discovery.skipped.len() - locks
    );
    for y in &a.years {
        let source = if !y.has_criteria() {
            "bảng kết quả đã công bố, chỉ có tổng điểm".to_string()
        } else {
            format!("{} tiêu chí, tổng {} điểm", y.framework.nodes.len(), y.framework.total().to_vi())
        };
        s.push_str(&format!("  Năm {}: {} đơn vị ({source})\n", y.year, y.units.len()));
    }
    let (errors, warnings) = diagnostic::count(&a.diagnostics);
    s.push_str(&format!("Kiểm tra dữ liệu: {errors} lỗi, {warnings} cảnh báo"));
    if let (true, Some(out)) = (errors + warnings > 0, output) {
        s.push_str(&format!(
            " — danh sách đầy đủ trong {} và trang \"{}\" của bảng xếp hạng",
            out.join("diagnostics.json").display(),
            ranking::SHEET_CHECKS
        ));
    }
    s.push('\n');
    for d in a.diagnostics.iter().filter(|d| d.severity == diagnostic::Severity::Error).take(10) {
        s.push_str(&format!("  {}\n", d.one_line()));
    }
    if errors > 10 {
        s.push_str(&format!("  … và {} lỗi khác\n", errors - 10));
    }
    if let Some(out) = output {
        s.push_str(&format!("Kết quả đã ghi vào {}\n", out.display()));
    }
    s
}

/// Runs `cchc run`.
pub fn run(args: &RunArgs) -> Result<u8> {
    let started = SystemTime::now();
    let a = pipeline::analyse(&args.input.input)?;
    let (errors, _) = diagnostic::count(&a.diagnostics);
    if args.strict && errors > 0 {
        eprint!("{}", summary(&a, None));
        eprintln!("Không ghi kết quả vì dữ liệu còn {errors} lỗi (--strict). Xem danh sách đầy đủ bằng: cchc validate");
        return Ok(1);
    }
    let (written, write_timings) = write_outputs(&a, &args.output, WriteOptions { appendices: !args.no_appendices, started })?;
    eprint!("{}", summary(&a, Some(&args.output)));
    let appendices = written.iter().filter(|p| p.parent().and_then(|d| d.file_name()).is_some_and(|d| d == "phu-luc")).count();
    if appendices > 0 {
        eprintln!("Phụ lục khắc phục: {appendices} tệp, trong {}/<năm>/phu-luc/", args.output.display());
    }
    if args.timings {
        let mut all = a.timings.clone();
        all.merge(write_timings);
        eprintln!("{}", all.line());
    }
    // The process ends here: the system takes the analysis back at once, rather than
    // its millions of small strings being freed one by one (0.13 s at 10,000 units).
    std::mem::forget(a);
    Ok(if errors > 0 { 1 } else { 0 })
}
