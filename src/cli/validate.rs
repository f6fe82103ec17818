//! `cchc validate`: every problem in the input, grouped by file, without writing
//! anything. Exit 0 without errors (warnings allowed), 1 with errors.

use super::{Format, InputArg};
use crate::error::Result;
use crate::model::diagnostic::{self, Diagnostic, Severity};
use crate::report::check_sheet;

/// Arguments of `cchc validate`.
#[derive(Debug, clap::Args)]
pub struct ValidateArgs {
    #[command(flatten)]
    input: InputArg,
    /// Chỉ kiểm tra một năm.
    #[arg(long)]
    year: Option<i32>,
    /// Định dạng đầu ra (text hoặc json).
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    /// Ghi thêm vào thư mục này một phiếu kiểm tra (.xlsx) cho mỗi đơn vị có lỗi hoặc cảnh báo, để gửi lại đơn vị.
    #[arg(long, value_name = "DIR")]
    per_unit: Option<std::path::PathBuf>,
}

/// Text grouped by file, in Vietnamese, each problem with its sheet and cell.
pub fn to_text(diags: &[&Diagnostic]) -> String {
    let mut out = String::new();
    let mut current: Option<&str> = None;
    for d in diags {
        if current != Some(d.file.as_str()) {
            if current.is_some() {
                out.push('\n');
            }
            let unit = d.unit.as_deref().map(|u| format!(" — {u}")).unwrap_or_default();
            out.push_str(&format!("{}{unit}\n", d.file));
            current = Some(&d.file);
        }
        let level = if d.severity == Severity::Error { "LỖI    " } else { "Cảnh báo" };
        let place = match (&d.sheet, &d.cell) {
            (Some(s), Some(c)) => format!("{s}!{c}"),
            (Some(s), None) => s.clone(),
            (None, _) => "(cả tệp)".to_string(),
        };
        out.push_str(&format!("  {level} {place}: {}\n", d.message));
    }
    let errors = diags.iter().filter(|d| d.severity == Severity::Error).count();
    out.push_str(&format!("\nTổng cộng: {} lỗi, {} cảnh báo.\n", errors, diags.len() - errors));
    out
}

/// Runs `cchc validate`.
pub fn validate(args: &ValidateArgs) -> Result<u8> {
    let a = args.input.analyse()?;
    if let Some(y) = args.year
        && !a.discovery.years.contains(&y)
    {
        a.year(y)?;
    }
    let mut diags: Vec<&Diagnostic> = a.diagnostics.iter().filter(|d| args.year.is_none_or(|y| d.year.is_none_or(|dy| dy == y))).collect();
    // By year, file and sheet, then down the sheet as the office reads it.
    let pos = |d: &Diagnostic| d.cell.map(|c| (c.row, c.col));
    diags.sort_by(|x, y| (x.year, &x.file, &x.sheet, pos(x)).cmp(&(y.year, &y.file, &y.sheet, pos(y))));
    match args.format {
        Format::Json => println!("{}", serde_json::to_string_pretty(&diagnostic::to_json(&diags)).unwrap_or_default()),
        _ => print!("{}", to_text(&diags)),
    }
    if let Some(dir) = &args.per_unit {
        let written = check_sheet::write_all(&a, &diags, args.year, dir)?;
        let without = match written.without_unit {
            0 => String::new(),
            n => format!("; {n} vấn đề không gắn với đơn vị nào (tệp không đọc được) không có trong phiếu nào, xem danh sách trên"),
        };
        eprintln!(
            "Đã ghi {} phiếu kiểm tra vào {} ({} đơn vị không có vấn đề nên không có phiếu{without}).",
            written.files.len(),
            dir.display(),
            written.clean
        );
    }
    let owned: Vec<Diagnostic> = diags.into_iter().cloned().collect();
    Ok(if diagnostic::count(&owned).0 > 0 { 1 } else { 0 })
}
