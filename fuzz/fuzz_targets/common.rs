//! One property for every reading target: whatever the bytes, reading a file
//! returns (no panic, no abort), within libFuzzer's memory and time limits
//! (`-rss_limit_mb`, `-timeout`: see `make fuzz-deep`), and names every problem.
//! A panic inside calamine that cchc catches is still reported here, since
//! libFuzzer aborts on any panic: each one found is pinned as a regression test and
//! refused before calamine sees it.

use cchc::read::discover::InputFile;
use cchc::read::limits::Limits;
use std::path::PathBuf;

pub fn read(data: &[u8], ext: &str) {
    let file = InputFile { path: PathBuf::from(format!("fuzz.{ext}")), rel: format!("2023/fuzz.{ext}"), year: 2023 };
    let result = cchc::read::read_bytes(&file, data.to_vec(), &Limits::default());
    // A file that gives nothing says why.
    assert!(!result.sheets.is_empty() || !result.tables.is_empty() || !result.diagnostics.is_empty());
}
