//! `cchc documents`: the Word documents alone (each unit's remediation letter and the
//! year's ranking annex), for a year and optionally one unit, without the rest of `run`.

use super::{InputArg, YearArg};
use crate::analyse::YearAnalyses;
use crate::error::Result;
use crate::pipeline::write_documents;
use crate::report::remedy::Scope;
use std::path::PathBuf;

/// Arguments of `cchc documents`.
#[derive(Debug, clap::Args)]
pub struct DocumentsArgs {
    #[command(flatten)]
    input: InputArg,
    #[command(flatten)]
    year: YearArg,
    /// Chỉ công văn của một đơn vị (không ghi phụ lục xếp hạng).
    #[arg(long)]
    unit: Option<String>,
    /// Thư mục ghi kết quả.
    #[arg(long, default_value = "output")]
    output: PathBuf,
}

/// Runs `cchc documents`.
pub fn run(args: &DocumentsArgs) -> Result<u8> {
    let a = args.input.analyse()?;
    let year = a.year(a.pick_year(args.year.year))?.year;
    let unit = args.unit.as_deref().map(|n| super::unit_named(&a, n)).transpose()?;
    let tables = YearAnalyses::compute_all(&a);
    let written = write_documents(&a, &tables, &args.output, Scope { year: Some(year), unit })?;
    for p in &written {
        println!("{}", p.display());
    }
    eprintln!("Đã ghi {} văn bản Word năm {year} vào {}", written.len(), args.output.display());
    Ok(0)
}
