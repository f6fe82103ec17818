//! `cchc validate`: every problem in the input, grouped by file, without writing
//! anything. Exit 0 without errors (warnings allowed), 1 with errors.

use super::{Format, InputArg};
use crate::error::Result;
use crate::model::diagnostic::{self, Diagnostic, Severity};
use crate::model::sheet::{SheetAccount, SheetShape};
use crate::pipeline::InputRecord;
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

/// One sheet's account, as `validate` prints it: "Tổng hợp (bảng tổng hợp …, 16 đơn vị):
/// 16 cột đơn vị; cột mã, tên tiêu chí, điểm tối đa, ghi chú; bỏ qua: không có".
fn account_line(a: &SheetAccount) -> String {
    let many = a.columns.iter().filter(|(_, n)| *n > 1).map(|(role, n)| format!("{n} cột {role}"));
    let single: Vec<&str> = a.columns.iter().filter(|(_, n)| *n == 1).map(|(role, _)| *role).collect();
    let single = (!single.is_empty()).then(|| format!("cột {}", single.join(", ")));
    let columns = many.chain(single).collect::<Vec<_>>().join("; ");
    let ignored = match a.ignored.as_slice() {
        [] => "không có".to_string(),
        cols => cols.iter().map(|(cell, label)| format!("{cell} \"{label}\"")).collect::<Vec<_>>().join(", "),
    };
    let units = match a.shape {
        SheetShape::Sheet => String::new(),
        _ => format!(", {} đơn vị", a.units),
    };
    format!("{} ({}{units}): {columns}; bỏ qua: {ignored}", a.sheet, a.shape.label())
}

/// What was read from every file of the years asked for: the account of each sheet, or
/// why nothing was read.
fn read_text(inputs: &[&InputRecord]) -> String {
    let mut out = format!("Đã đọc {} tệp:\n", inputs.len());
    for i in inputs {
        out.push_str(&format!("{}\n", i.rel));
        if i.accounts.is_empty() {
            out.push_str("  không đọc được biểu nào (xem các lỗi bên dưới)\n");
        }
        for a in &i.accounts {
            out.push_str(&format!("  {}\n", account_line(a)));
        }
    }
    out
}

/// The accounts as JSON, one entry per file.
fn read_json(inputs: &[&InputRecord]) -> serde_json::Value {
    let files: Vec<serde_json::Value> = inputs
        .iter()
        .map(|i| {
            let sheets: Vec<serde_json::Value> = i
                .accounts
                .iter()
                .map(|a| {
                    let columns: serde_json::Map<String, serde_json::Value> =
                        a.columns.iter().map(|(r, n)| (r.to_string(), (*n).into())).collect();
                    let ignored: Vec<serde_json::Value> =
                        a.ignored.iter().map(|(c, l)| serde_json::json!({ "cell": c.to_string(), "label": l })).collect();
                    serde_json::json!({ "sheet": a.sheet, "shape": a.shape, "units": a.units, "columns": columns, "ignored": ignored })
                })
                .collect();
            serde_json::json!({ "file": i.rel, "sheets": sheets })
        })
        .collect();
    files.into()
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
    let year_of = |rel: &str| rel.split('/').next().and_then(crate::read::discover::year_of_folder);
    let inputs: Vec<&InputRecord> = a.inputs.iter().filter(|i| args.year.is_none_or(|y| year_of(&i.rel) == Some(y))).collect();
    match args.format {
        Format::Json => {
            let mut json = diagnostic::to_json(&diags);
            json["files"] = read_json(&inputs);
            println!("{}", serde_json::to_string_pretty(&json).unwrap_or_default());
        }
        _ => print!("{}\n{}", read_text(&inputs), to_text(&diags)),
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
