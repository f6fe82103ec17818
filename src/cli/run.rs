//! `cchc run`: the whole pipeline, writing every output.

use super::InputArg;
use crate::error::Result;
use crate::findings::Findings;
use crate::model::diagnostic;
use crate::pipeline::{self, WriteOptions};
use crate::read::discover::SkipReason;
use crate::report::ranking;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

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
    /// Không ghi văn bản Word (công văn khắc phục của từng đơn vị, phụ lục xếp hạng).
    #[arg(long)]
    no_documents: bool,
    /// In thời gian của từng bước (đọc, kiểm tra, phân tích, ghi) ra stderr.
    #[arg(long)]
    timings: bool,
}

/// The terminal summary; `output` is where results went, if they were written.
pub fn summary(a: &Findings, output: Option<&Path>) -> String {
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
    let a = args.input.analyse()?;
    let (errors, _) = diagnostic::count(&a.diagnostics);
    if args.strict && errors > 0 {
        eprint!("{}", summary(&a, None));
        eprintln!("Không ghi kết quả vì dữ liệu còn {errors} lỗi (--strict). Xem danh sách đầy đủ bằng: cchc validate");
        return Ok(1);
    }
    let (written, write_timings) = pipeline::write_outputs(
        &a,
        &args.output,
        WriteOptions { appendices: !args.no_appendices, documents: !args.no_documents, started },
    )?;
    eprint!("{}", summary(&a, Some(&args.output)));
    let appendices = written.iter().filter(|p| p.parent().and_then(|d| d.file_name()).is_some_and(|d| d == "phu-luc")).count();
    if appendices > 0 {
        eprintln!("Phụ lục khắc phục: {appendices} tệp, trong {}/<năm>/phu-luc/", args.output.display());
    }
    let letters =
        written.iter().filter(|p| p.parent().and_then(|d| d.file_name()).is_some_and(|d| d == crate::report::letter::DIR)).count();
    if letters > 0 {
        eprintln!(
            "Văn bản Word: {letters} công văn khắc phục trong {out}/<năm>/{dir}/, phụ lục xếp hạng {out}/<năm>/phu-luc-xep-hang-<năm>.docx",
            out = args.output.display(),
            dir = crate::report::letter::DIR
        );
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
