//! Writing outputs safely: to a temporary name beside the target, then renamed, so a
//! failed run never leaves a half-written file and earlier outputs stay intact.

use crate::error::{CchcError, Result};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Outputs renamed into place by this process: what a crash report says was replaced.
static REPLACED: AtomicUsize = AtomicUsize::new(0);

/// How many outputs this process has written so far.
pub fn files_written() -> usize {
    REPLACED.load(Ordering::Relaxed)
}

/// Removes the temporary file unless it was renamed, also when a panic unwinds
/// through the writer.
struct Temp(Option<PathBuf>);

impl Drop for Temp {
    fn drop(&mut self) {
        if let Some(p) = self.0.take() {
            let _ = std::fs::remove_file(p);
        }
    }
}

/// Writes `path` through `write`, atomically. The writer is buffered: JSON
/// serialisers write a few bytes at a time (the manifest of 10,000 inputs took a
/// quarter of a second in system calls).
pub fn write_atomic(path: &Path, write: impl FnOnce(&mut BufWriter<File>) -> Result<()>) -> Result<()> {
    let io = |e: std::io::Error| CchcError::output(path, e);
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(io)?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let at = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let mut tmp = Temp(Some(at.clone()));
    let mut w = BufWriter::with_capacity(1 << 16, File::create(&at).map_err(io)?);
    write(&mut w)?;
    crate::crash::inject("write", &name);
    let f = w.into_inner().map_err(|e| io(e.into_error()))?;
    f.sync_all().map_err(io)?;
    drop(f);
    std::fs::rename(&at, path).map_err(io)?;
    tmp.0 = None;
    REPLACED.fetch_add(1, Ordering::Relaxed);
    Ok(())
}

/// Writes bytes atomically.
pub fn write_bytes(path: &Path, bytes: &[u8]) -> Result<()> {
    write_atomic(path, |f| f.write_all(bytes).map_err(|e| CchcError::output(path, e)))
}

/// Writes a value as pretty JSON, atomically.
pub fn write_json(path: &Path, value: &impl serde::Serialize) -> Result<()> {
    write_atomic(path, |f| serde_json::to_writer_pretty(f, value).map_err(|source| CchcError::Json { path: path.to_path_buf(), source }))
}
