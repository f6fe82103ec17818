//! `cchc sample`: writes a synthetic district in the real-world shapes.

use crate::error::{CchcError, Result};
use cchc_sample::{self as sample, SampleOptions};
use std::path::PathBuf;

/// Arguments of `cchc sample`.
#[derive(Debug, clap::Args)]
pub struct SampleArgs {
    /// Thư mục ghi dữ liệu mẫu.
    #[arg(long)]
    output: PathBuf,
    /// Số đơn vị (18 đơn vị đầu là huyện Triệu Phong).
    #[arg(long, default_value_t = 18)]
    units: usize,
    /// Các năm, cách nhau bằng dấu phẩy.
    #[arg(long, value_delimiter = ',', default_value = "2021,2022,2023")]
    years: Vec<i32>,
    /// Hạt giống ngẫu nhiên: cùng hạt giống cho cùng dữ liệu.
    #[arg(long, default_value_t = 2022)]
    seed: u64,
    /// Ghi thêm vào thư mục năm đầu tiên các tệp độc hại (bom giải nén, ô quá dài…)
    /// mà cchc phải từ chối: để thử giới hạn đọc.
    #[arg(long, hide = true)]
    hostile: bool,
}

/// Runs `cchc sample`.
pub fn sample(args: &SampleArgs) -> Result<u8> {
    let opts = SampleOptions { output: args.output.clone(), units: args.units, years: args.years.clone(), seed: args.seed };
    let s = sample::generate(&opts).map_err(|e| CchcError::Output { path: args.output.clone(), message: e.to_string() })?;
    eprintln!("Đã tạo {} tệp cho {} đơn vị, các năm {:?} trong {}", s.files, s.units, s.years, args.output.display());
    if args.hostile
        && let Some(year) = s.years.first()
    {
        let dir = args.output.join(year.to_string());
        let bombs = sample::hostile::write_all(&dir).map_err(|e| CchcError::Output { path: dir.clone(), message: e.to_string() })?;
        eprintln!("Đã thêm {} tệp độc hại vào {}", bombs.len(), dir.display());
    }
    Ok(0)
}
