//! The floor of `make bench`: the least work any reader of these folders must do.
//!
//! Walks a folder, reads every .xlsx/.xlsm/.xls/.ods/.xlsb file's bytes, opens it with
//! calamine, loads every sheet's cell range and folds the cells (count, sum of numbers,
//! bytes of text) so the work cannot be optimised away. Files are spread over rayon's
//! pool (one thread per core), as `cchc run` reads them. No header search, no
//! normalisation, no checks, no output: `cchc run` cannot read faster than this.
//!
//!     cargo build --release --example floor
//!     target/release/examples/floor DIR
//!
//! Prints one line to stdout:
//! `floor: files=… sheets=… cells=… numeric=… text_bytes=… sum=… failed=… seconds=…`.

use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use calamine::{Data, Reader, open_workbook_auto_from_rs};
use rayon::prelude::*;

/// What one file (or the whole folder) held.
#[derive(Debug, Default, Clone, Copy)]
struct Tally {
    files: u64,
    sheets: u64,
    cells: u64,
    numeric: u64,
    text_bytes: u64,
    sum: f64,
    failed: u64,
}

impl Tally {
    fn add(mut self, o: Tally) -> Tally {
        self.files += o.files;
        self.sheets += o.sheets;
        self.cells += o.cells;
        self.numeric += o.numeric;
        self.text_bytes += o.text_bytes;
        self.sum += o.sum;
        self.failed += o.failed;
        self
    }
}

const EXTENSIONS: [&str; 5] = ["xlsx", "xlsm", "xls", "ods", "xlsb"];

/// Every workbook under `dir`, recursively; Excel lock files (`~$…`) left out.
fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            walk(&path, out)?;
            continue;
        }
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let ext = path.extension().map(|e| e.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
        if !name.starts_with("~$") && EXTENSIONS.contains(&ext.as_str()) {
            out.push(path);
        }
    }
    Ok(())
}

/// Reads one file: every sheet's range, every cell folded into the tally.
fn read(path: &Path) -> Tally {
    let mut t = Tally { files: 1, ..Tally::default() };
    let Ok(bytes) = std::fs::read(path) else {
        t.failed = 1;
        return t;
    };
    let Ok(mut wb) = open_workbook_auto_from_rs(Cursor::new(bytes)) else {
        t.failed = 1;
        return t;
    };
    for name in wb.sheet_names() {
        let Ok(range) = wb.worksheet_range(&name) else {
            t.failed += 1;
            continue;
        };
        t.sheets += 1;
        for cell in range.used_cells().map(|(_, _, c)| c) {
            t.cells += 1;
            match cell {
                Data::Float(f) => {
                    t.numeric += 1;
                    t.sum += f;
                }
                Data::Int(i) => {
                    t.numeric += 1;
                    t.sum += *i as f64;
                }
                Data::String(s) => t.text_bytes += s.len() as u64,
                _ => {}
            }
        }
    }
    t
}

fn main() -> ExitCode {
    let Some(dir) = std::env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!("usage: floor DIR");
        return ExitCode::from(2);
    };
    let start = Instant::now();
    let mut files = Vec::new();
    if let Err(e) = walk(&dir, &mut files) {
        eprintln!("floor: {}: {e}", dir.display());
        return ExitCode::from(2);
    }
    let t = files.par_iter().with_max_len(1).map(|p| read(p)).reduce(Tally::default, Tally::add);
    let seconds = start.elapsed().as_secs_f64();
    println!(
        "floor: files={} sheets={} cells={} numeric={} text_bytes={} sum={:.2} failed={} threads={} seconds={seconds:.3}",
        t.files,
        t.sheets,
        t.cells,
        t.numeric,
        t.text_bytes,
        t.sum,
        t.failed,
        rayon::current_num_threads()
    );
    ExitCode::SUCCESS
}
