//! The write stage, run by `cchc run`: the long table and the analysis tables, the
//! ranking workbooks (built while the exports are written), the appendices, the Word
//! documents and the manifest, every file written atomically.

use super::{Findings, Timings};
use crate::analyse::YearAnalyses;
use crate::analyse::normalise;
use crate::error::{CchcError, Result};
use crate::model::diagnostic;
use crate::report::ranking;
use crate::report::remedy::Scope;
use crate::write::output::{write_bytes, write_json};
use crate::write::{export, tables};
use std::path::{Path, PathBuf};
use std::time::{Instant, SystemTime};

/// What `write_outputs` writes besides the ranking workbooks and exports.
#[derive(Debug, Clone, Copy)]
pub struct WriteOptions {
    /// Write each unit's remediation appendix.
    pub appendices: bool,
    /// Write the Word documents: each unit's letter and each year's ranking annex.
    pub documents: bool,
    /// When the run began, for the manifest.
    pub started: SystemTime,
}

/// Where each year's ranking workbook goes.
pub fn ranking_path(output: &Path, year: i32) -> PathBuf {
    output.join(year.to_string()).join(format!("xep-hang-chi-so-cchc-{year}.xlsx"))
}

/// Writes every output of an analysis; returns the paths written and the time per stage.
pub fn write_outputs(a: &Findings, output: &Path, opts: WriteOptions) -> Result<(Vec<PathBuf>, Timings)> {
    let mut timings = Timings::default();
    let start = Instant::now();
    crate::crash::set_stage(crate::crash::Stage::Analyse);
    crate::crash::inject("analyse", "");
    let tables = YearAnalyses::compute_all(a);
    crate::crash::set_stage(crate::crash::Stage::Write);
    let start = timings.lap("analyse", start);
    // The ranking workbooks (rust_xlsxwriter, one core) are built while the exports
    // (polars) are written: neither waits for the other.
    let (workbooks, exports) = std::thread::scope(|s| {
        let workbooks = s.spawn(|| write_rankings(a, &tables, output));
        let exports = write_exports(a, &tables, output);
        (workbooks.join().unwrap_or_else(|p| std::panic::resume_unwind(p)), exports)
    });
    let mut written = workbooks?;
    written.extend(exports?);
    let start = timings.lap("write", start);
    if opts.appendices {
        written.extend(crate::report::appendix::write_all(a, &tables, output)?);
        timings.lap("appendices", start);
    }
    if opts.documents {
        let start = Instant::now();
        written.extend(write_documents(a, &tables, output, Scope::default())?);
        timings.lap("documents", start);
    }
    // Last, so that it lists every output of the run.
    written.push(crate::write::manifest::write(a, output, &written, opts.started)?);
    Ok((written, timings))
}

/// The Word documents of `scope`: each year's ranking annex (unless one unit's are
/// asked for) and each unit's remediation letter.
pub fn write_documents(a: &Findings, tables: &[Option<YearAnalyses>], output: &Path, scope: Scope) -> Result<Vec<PathBuf>> {
    let mut written = Vec::new();
    if scope.unit.is_none() {
        written.extend(crate::report::annex::write_all(a, output, scope.year)?);
    }
    written.extend(crate::report::letter::write_all(a, tables, output, scope)?);
    Ok(written)
}

/// Each year's ranking workbook; returns the paths written.
fn write_rankings(a: &Findings, tables: &[Option<YearAnalyses>], output: &Path) -> Result<Vec<PathBuf>> {
    let mut written = Vec::new();
    for (y, t) in a.years.iter().zip(tables) {
        let path = ranking_path(output, y.year);
        let fail = |source| CchcError::Workbook { path: path.clone(), source };
        let bytes = ranking::build(a, t.as_ref(), y).and_then(|mut wb| wb.save_to_buffer()).map_err(fail)?;
        write_bytes(&path, &bytes)?;
        written.push(path);
    }
    Ok(written)
}

/// Rows of the long table written at a time: its Parquet file's row groups.
const LONG_TABLE_BATCH: usize = 1 << 16;

/// The long table, the analysis tables, all years' rankings as CSV and every
/// problem as JSON; returns the paths written.
fn write_exports(a: &Findings, tables: &[Option<YearAnalyses>], output: &Path) -> Result<Vec<PathBuf>> {
    // The long table (most of the bytes) and the analysis tables go on side by side:
    // one after the other, the tail of the run kept one core idle.
    let (long, rest) = std::thread::scope(|s| {
        let rest = s.spawn(|| -> Result<Vec<PathBuf>> {
            let mut written = tables::write_all(a, tables, output)?;
            let path = output.join("rankings.csv");
            let csv = tables::rankings(a, &a.years).csv().map_err(|e| export::table_error("rankings.csv", e))?;
            write_bytes(&path, csv.as_bytes())?;
            written.push(path);
            let path = output.join("diagnostics.json");
            let json = diagnostic::to_json(&a.diagnostics.iter().collect::<Vec<_>>());
            write_json(&path, &json)?;
            written.push(path);
            Ok(written)
        });
        (write_long_table(a, output), rest.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
    });
    let mut written = long?;
    written.extend(rest?);
    Ok(written)
}

/// The long table, a batch at a time ([`normalise::LongTable`]).
fn write_long_table(a: &Findings, output: &Path) -> Result<Vec<PathBuf>> {
    let long = normalise::LongTable::new(a);
    let empty = long.frame(&[]).map_err(|e| export::table_error("scores", e))?;
    let batches = long.batches(LONG_TABLE_BATCH).into_iter().map(|sources| long.frame(sources));
    export::write_batches(output, "scores", &empty, batches)
}
