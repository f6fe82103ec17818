//! The run manifest (`output/manifest.json`): what a run read and wrote, so a
//! published workbook can be traced to the exact files it rests on.

use crate::error::Result;
use crate::findings::Findings;
use crate::model::diagnostic;
use crate::read::discover::SkipReason;
use crate::score::YearKind;
use crate::write::output::write_json;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// File name of the manifest under the output folder.
const MANIFEST: &str = "manifest.json";

/// UTC time as RFC 3339 ("2026-11-28T03:41:07Z"), without a date crate.
fn rfc3339(t: SystemTime) -> String {
    let secs = t.duration_since(SystemTime::UNIX_EPOCH).map_or(0, |d| d.as_secs()) as i64;
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Howard Hinnant's days-to-civil.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + (month <= 2) as i64;
    format!("{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z", rem / 3600, rem % 3600 / 60, rem % 60)
}

/// Builds the manifest of a run; `written` are the outputs, `started` when it began.
pub fn build(a: &Findings, output: &Path, written: &[PathBuf], started: SystemTime) -> Value {
    let rel = |p: &Path| p.strip_prefix(output).unwrap_or(p).to_string_lossy().replace('\\', "/");
    let inputs: Vec<Value> = a
        .discovery
        .files
        .iter()
        .zip(&a.inputs)
        .map(|(f, r)| json!({"path": r.rel, "year": f.year, "bytes": r.size, "blake3": r.checksum, "sheets": r.sheets}))
        .collect();
    let skipped: Vec<Value> = a
        .discovery
        .skipped
        .iter()
        .map(|(p, why)| json!({"path": p, "reason": match why { SkipReason::LockFile => "lock_file", SkipReason::NotWorkbook => "not_a_workbook" }}))
        .collect();
    let years: Vec<Value> = a
        .years
        .iter()
        .map(|y| {
            let source = match y.kind {
                YearKind::Criteria => "scoring_sheets",
                YearKind::TotalsOnly => "published_results",
            };
            json!({"year": y.year, "units": y.units.len(), "criteria": y.framework.nodes.len(), "max": y.framework.total().as_f64(), "source": source})
        })
        .collect();
    let (errors, warnings) = diagnostic::count(&a.diagnostics);
    json!({
        "tool": "cchc",
        "version": env!("CARGO_PKG_VERSION"),
        "started": rfc3339(started),
        "finished": rfc3339(SystemTime::now()),
        "input": a.input.to_string_lossy(),
        "district": a.district,
        "counts": {
            "files_read": a.discovery.files.len(),
            "files_skipped": a.discovery.skipped.len(),
            "sheets": a.order.len(),
            "units": a.units.len(),
            "errors": errors,
            "warnings": warnings,
            "outputs": written.len(),
        },
        "years": years,
        "inputs": inputs,
        "skipped": skipped,
        "outputs": written.iter().map(|p| rel(p)).collect::<Vec<_>>(),
    })
}

/// Writes the manifest atomically; returns its path.
pub fn write(a: &Findings, output: &Path, written: &[PathBuf], started: SystemTime) -> Result<PathBuf> {
    let path = output.join(MANIFEST);
    let json = build(a, output, written, started);
    write_json(&path, &json)?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn rfc3339_known_instants() {
        let at = |s: u64| rfc3339(SystemTime::UNIX_EPOCH + Duration::from_secs(s));
        assert_eq!(at(0), "1970-01-01T00:00:00Z");
        assert_eq!(at(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(at(1_795_837_267), "2026-11-28T03:41:07Z");
    }
}
