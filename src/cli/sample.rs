//! `cchc sample`: writes a synthetic district in the real-world shapes.
//!
//! The sample's folder is also where an office puts its own sheets (`input/`), so the
//! sample never deletes what it did not write: it lists what it wrote, with each
//! file's checksum, in `MARKER`; writing again replaces only those files, unchanged,
//! and refuses, naming them, where the folder holds anything else (`cchc.toml` is the
//! office's and is left alone).

use crate::error::{CchcError, Result};
use cchc_sample::{self as sample, SampleOptions};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Arguments of `cchc sample`.
#[derive(Debug, clap::Args)]
pub struct SampleArgs {
    /// Thư mục ghi dữ liệu mẫu. Nếu thư mục đã có tệp không phải do `cchc sample`
    /// ghi (hoặc đã được sửa), lệnh dừng lại và không xoá gì.
    #[arg(long)]
    output: PathBuf,
    /// Số đơn vị (18 đơn vị đầu là huyện Triệu Phong).
    #[arg(long, default_value_t = 18, value_parser = at_least_one)]
    units: usize,
    /// Các năm, cách nhau bằng dấu phẩy.
    #[arg(long, value_delimiter = ',', default_value = "2021,2022,2023")]
    years: Vec<i32>,
    /// Hạt giống ngẫu nhiên: cùng hạt giống cho cùng dữ liệu.
    #[arg(long, default_value_t = 2022)]
    seed: u64,
}

/// The list of what the sample wrote, at the top of its folder.
const MARKER: &str = ".cchc-sample";
/// The office's settings: never the sample's, never touched.
const KEPT: &str = "cchc.toml";

/// Runs `cchc sample`.
pub fn sample(args: &SampleArgs) -> Result<u8> {
    let out = &std::path::absolute(&args.output).map_err(|source| CchcError::Sample { path: args.output.clone(), source })?;
    let earlier = earlier_sample(out)?;
    // Written beside the folder first: the folder changes only once the sample is whole.
    let staging = out.with_file_name(format!(".{}.cchc-sample-{}", file_name(out), std::process::id()));
    let io = |source| CchcError::Sample { path: out.clone(), source };
    let _ = std::fs::remove_dir_all(&staging);
    let opts = SampleOptions { output: staging.clone(), units: args.units, years: args.years.clone(), seed: args.seed };
    let staged = sample::generate(&opts);
    let s = match staged {
        Ok(s) => s,
        Err(e) => {
            let _ = std::fs::remove_dir_all(&staging);
            return Err(io(e));
        }
    };
    let moved = replace(out, &staging, &earlier).map_err(io);
    let _ = std::fs::remove_dir_all(&staging);
    moved?;
    eprintln!("Đã tạo {} tệp cho {} đơn vị, các năm {:?} trong {}", s.files, s.units, s.years, out.display());
    Ok(0)
}

fn at_least_one(s: &str) -> std::result::Result<usize, String> {
    match s.parse::<usize>() {
        Ok(n) if n >= 1 => Ok(n),
        _ => Err("số đơn vị phải là số nguyên, ít nhất là 1".to_string()),
    }
}

fn file_name(p: &Path) -> String {
    p.file_name().map_or_else(|| "sample".to_string(), |n| n.to_string_lossy().into_owned())
}

/// Files under `dir`, relative, with `/` between folders.
fn files_under(dir: &Path) -> std::io::Result<Vec<String>> {
    fn walk(dir: &Path, prefix: &str, out: &mut Vec<String>) -> std::io::Result<()> {
        for entry in std::fs::read_dir(dir)? {
            let entry = entry?;
            let rel = format!("{prefix}{}", entry.file_name().to_string_lossy());
            if entry.file_type()?.is_dir() {
                walk(&entry.path(), &format!("{rel}/"), out)?;
            } else {
                out.push(rel);
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    if dir.is_dir() {
        walk(dir, "", &mut out)?;
    }
    out.sort();
    Ok(out)
}

fn checksum(path: &Path) -> std::io::Result<String> {
    Ok(blake3::hash(&std::fs::read(path)?).to_hex().to_string())
}

/// The files of an earlier sample in `dir` (relative paths), after checking that the
/// folder holds nothing else: a file it did not list, or one changed since, is the
/// office's, and the sample stops rather than lose it.
fn earlier_sample(dir: &Path) -> Result<Vec<String>> {
    let io = |source| CchcError::Sample { path: dir.to_path_buf(), source };
    let listed: BTreeMap<String, String> = std::fs::read_to_string(dir.join(MARKER))
        .unwrap_or_default()
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split_once("  ").map(|(h, p)| (p.to_string(), h.to_string())))
        .collect();
    let mut ours = Vec::new();
    let mut foreign = Vec::new();
    for rel in files_under(dir).map_err(io)? {
        if rel == MARKER || rel == KEPT {
            continue;
        }
        match listed.get(&rel) {
            Some(h) if *h == checksum(&dir.join(&rel)).map_err(io)? => ours.push(rel),
            _ => foreign.push(PathBuf::from(rel)),
        }
    }
    if !foreign.is_empty() {
        return Err(CchcError::SampleWouldReplace { path: dir.to_path_buf(), files: foreign });
    }
    Ok(ours)
}

/// Replaces the earlier sample's files in `out` by the staged ones and lists them.
fn replace(out: &Path, staging: &Path, earlier: &[String]) -> std::io::Result<()> {
    for rel in earlier {
        std::fs::remove_file(out.join(rel))?;
        // Folders the earlier sample emptied go too (a folder holds no file to lose).
        let mut dir = Path::new(rel).parent();
        while let Some(d) = dir.filter(|d| !d.as_os_str().is_empty()) {
            if std::fs::remove_dir(out.join(d)).is_err() {
                break;
            }
            dir = d.parent();
        }
    }
    let mut marker = String::from("# Các tệp do `cchc sample` ghi (blake3, đường dẫn). Ghi lại mẫu chỉ thay các tệp này.\n");
    for rel in files_under(staging)? {
        let to = out.join(&rel);
        if let Some(parent) = to.parent() {
            std::fs::create_dir_all(parent)?;
        }
        marker.push_str(&format!("{}  {rel}\n", checksum(&staging.join(&rel))?));
        std::fs::rename(staging.join(&rel), to)?;
    }
    crate::write::output::write_bytes(&out.join(MARKER), marker.as_bytes()).map_err(std::io::Error::other)
}
