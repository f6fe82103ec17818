//! Stage 1: find the year folders and the workbooks in them.
//!
//! `DIR/<year>/…`: folders named by a 4-digit year, any file names, any depth.
//! Lock files and files that are not workbooks are skipped quietly and counted.

use crate::error::{CchcError, Result};
use std::path::{Path, PathBuf};

/// Extensions read as workbooks.
const WORKBOOK_EXTENSIONS: [&str; 5] = ["xlsx", "xlsm", "xls", "ods", "xlsb"];

/// One workbook to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputFile {
    /// Full path.
    pub path: PathBuf,
    /// Path under the input folder with `/` separators, as shown to users.
    pub rel: String,
    /// Year of the folder it sits in.
    pub year: i32,
}

/// Why a file was left out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum SkipReason {
    /// `~$name.xlsx`, left behind by an open Excel.
    LockFile,
    /// Not a workbook extension (notes, images, Thumbs.db …).
    NotWorkbook,
}

/// What the input folder holds.
#[derive(Debug, Default)]
pub struct Discovery {
    /// Workbooks, sorted by year then path.
    pub files: Vec<InputFile>,
    /// Files skipped, with the reason.
    pub skipped: Vec<(String, SkipReason)>,
    /// Years found (with or without workbooks), ascending.
    pub years: Vec<i32>,
}

/// Reads a folder name as a year (1990–2100).
pub fn year_of_folder(name: &str) -> Option<i32> {
    let y: i32 = (name.len() == 4).then(|| name.parse().ok()).flatten()?;
    (1990..=2100).contains(&y).then_some(y)
}

/// Lists the year folders and their workbooks.
pub fn discover(input: &Path) -> Result<Discovery> {
    let io = |source| CchcError::Input { path: input.to_path_buf(), source };
    let mut d = Discovery::default();
    for entry in std::fs::read_dir(input).map_err(io)? {
        let entry = entry.map_err(io)?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(year) = year_of_folder(&name) else { continue };
        if !entry.path().is_dir() {
            continue;
        }
        d.years.push(year);
        walk(&entry.path(), input, year, &mut d).map_err(io)?;
    }
    if d.years.is_empty() {
        return Err(CchcError::NoYears(input.to_path_buf()));
    }
    d.years.sort_unstable();
    d.files.sort_by(|a, b| (a.year, &a.rel).cmp(&(b.year, &b.rel)));
    d.skipped.sort();
    Ok(d)
}

fn walk(dir: &Path, root: &Path, year: i32, d: &mut Discovery) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            walk(&path, root, year, d)?;
            continue;
        }
        let rel =
            path.strip_prefix(root).unwrap_or(&path).components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let ext = path.extension().map(|e| e.to_string_lossy().to_lowercase()).unwrap_or_default();
        if name.starts_with("~$") || name.starts_with(".~lock") {
            d.skipped.push((rel, SkipReason::LockFile));
        } else if name.starts_with('.') || !WORKBOOK_EXTENSIONS.contains(&ext.as_str()) {
            d.skipped.push((rel, SkipReason::NotWorkbook));
        } else {
            d.files.push(InputFile { path, rel, year });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_years_and_skips_locks_and_strays() {
        let dir = tempfile::tempdir().unwrap();
        let y = dir.path().join("2022/Đợt 2");
        std::fs::create_dir_all(&y).unwrap();
        std::fs::create_dir_all(dir.path().join("ghi chu")).unwrap();
        for f in ["a.xlsx", "~$a.xlsx", "Thumbs.db", "b.XLS"] {
            std::fs::write(y.join(f), b"x").unwrap();
        }
        let d = discover(dir.path()).unwrap();
        assert_eq!(d.years, vec![2022]);
        let rels: Vec<_> = d.files.iter().map(|f| f.rel.as_str()).collect();
        assert_eq!(rels, vec!["2022/Đợt 2/a.xlsx", "2022/Đợt 2/b.XLS"]);
        assert_eq!(d.skipped.len(), 2);
        assert!(d.skipped.iter().any(|(r, s)| r.ends_with("~$a.xlsx") && *s == SkipReason::LockFile));
    }

    #[test]
    fn no_year_folder_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(discover(dir.path()), Err(CchcError::NoYears(_))));
    }
}
