//! One property for every reading target: whatever the bytes, reading a file
//! returns (no abort, no hang, no memory bomb: libFuzzer's `-rss_limit_mb` and
//! `-timeout`, see `make fuzz-deep`), names every problem, and never fails inside
//! cchc's own code (`Kind::InternalError`).
//!
//! A panic inside a reader (calamine) is caught by cchc and reported for that file as
//! a reader crash, which the run survives; by default that is allowed here, so a run
//! goes on to hunt what would end the process. `CCHC_FUZZ_STRICT=1` counts those
//! panics too (libFuzzer's own hook aborts on any panic): that is how the calamine
//! cases pinned in tests/integration/regressions.rs were found.

use cchc::model::kind::Kind;
use cchc::read::discover::InputFile;
use cchc::read::limits::Limits;
use std::path::PathBuf;
use std::sync::Once;

static LENIENT: Once = Once::new();

pub fn read(data: &[u8], ext: &str) {
    if std::env::var_os("CCHC_FUZZ_STRICT").is_none() {
        // Replace libFuzzer's aborting hook: cchc's catch_unwind then does its work.
        LENIENT.call_once(|| std::panic::set_hook(Box::new(|_| {})));
    }
    let file = InputFile { path: PathBuf::from(format!("fuzz.{ext}")), rel: format!("2023/fuzz.{ext}"), year: 2023 };
    let result = cchc::read::read_bytes(&file, data.to_vec(), &Limits::default());
    // A file that gives nothing says why.
    assert!(!result.sheets.is_empty() || !result.tables.is_empty() || !result.diagnostics.is_empty());
    // cchc's own code never panics, whatever the reader gave it.
    assert!(!result.diagnostics.iter().any(|d| d.kind == Kind::InternalError), "{:?}", result.diagnostics);
}
