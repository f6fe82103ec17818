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

/// The file an output is written to, before it is renamed into place. On Linux it asks
/// the kernel to start writing the file to disk every 8 MB, so
/// that the `fsync` that ends [`write_atomic`] waits for the last stretch only: the
/// long table's 180 MB otherwise held the end of a 10,000-sheet run for 0.2 s.
pub struct Writeback {
    file: File,
    /// Bytes written so far, and how far the kernel has been asked to write them.
    #[cfg(target_os = "linux")]
    written: u64,
    #[cfg(target_os = "linux")]
    started: u64,
}

/// Bytes written between two requests to start writing to disk.
#[cfg(target_os = "linux")]
const WRITEBACK_EVERY: u64 = 8 << 20;

impl Writeback {
    fn new(file: File) -> Self {
        Writeback {
            file,
            #[cfg(target_os = "linux")]
            written: 0,
            #[cfg(target_os = "linux")]
            started: 0,
        }
    }

    /// Counts `n` more bytes written; every [`WRITEBACK_EVERY`] asks the kernel to start
    /// writing them to disk.
    #[cfg(target_os = "linux")]
    fn wrote(&mut self, n: usize) {
        use std::os::fd::AsRawFd;
        self.written += n as u64;
        if self.written - self.started >= WRITEBACK_EVERY {
            let (from, len) = (self.started as libc::off64_t, (self.written - self.started) as libc::off64_t);
            // SAFETY: the descriptor is this open file's; the call only starts writeback
            // of pages already written and reads no memory of ours. A failure (an old
            // kernel, a file system without it) leaves the work to the final fsync.
            unsafe { libc::sync_file_range(self.file.as_raw_fd(), from, len, libc::SYNC_FILE_RANGE_WRITE) };
            self.started = self.written;
        }
    }

    #[cfg(not(target_os = "linux"))]
    fn wrote(&mut self, _n: usize) {}
}

impl Write for Writeback {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.file.write(buf)?;
        self.wrote(n);
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.file.flush()
    }
}

/// Writes `path` through `write`, atomically. The writer is buffered: JSON
/// serialisers write a few bytes at a time (the manifest of 10,000 inputs took a
/// quarter of a second in system calls).
pub fn write_atomic(path: &Path, write: impl FnOnce(&mut BufWriter<Writeback>) -> Result<()>) -> Result<()> {
    let io = |e: std::io::Error| CchcError::output(path, e);
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(io)?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let at = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let mut tmp = Temp(Some(at.clone()));
    let mut w = BufWriter::with_capacity(1 << 16, Writeback::new(File::create(&at).map_err(io)?));
    write(&mut w)?;
    crate::crash::inject("write", &name);
    let f = w.into_inner().map_err(|e| io(e.into_error()))?.file;
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

/// Threads writing files: mostly waiting on the disk (create, fsync, rename). On ext4,
/// 10,000 atomic writes took 6.2 s on one thread, 4.6 s on four and 7.5 s on sixteen
/// (the directory's lock is contended), so four.
const WRITERS: usize = 4;
/// Built files waiting for a writer, at most (bounds memory).
const QUEUE: usize = 256;

/// Builds each job's bytes in parallel (rayon) and writes them atomically to the job's
/// path on [`WRITERS`] threads, because each atomic write waits on the disk (`sync_all`)
/// and those waits overlap instead of holding the cores; the first error wins.
pub fn write_parallel<J: Sync>(jobs: &[(J, PathBuf)], build: impl Fn(&(J, PathBuf)) -> Result<Vec<u8>> + Sync) -> Result<()> {
    use rayon::prelude::*;
    let (tx, rx) = std::sync::mpsc::sync_channel::<(usize, Vec<u8>)>(QUEUE);
    let rx = std::sync::Mutex::new(rx);
    std::thread::scope(|s| {
        let writers: Vec<_> = (0..WRITERS.min(jobs.len()))
            .map(|_| {
                s.spawn(|| {
                    let mut first_error = None;
                    loop {
                        let next = rx.lock().map_err(|_| ()).and_then(|r| r.recv().map_err(|_| ()));
                        let Ok((i, bytes)) = next else { break };
                        // After an error or a panic keep draining, so the builders never block.
                        if first_error.is_none() {
                            match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| write_bytes(&jobs[i].1, &bytes))) {
                                Ok(Ok(())) => {}
                                Ok(Err(e)) => first_error = Some(Ok(e)),
                                Err(panic) => first_error = Some(Err(panic)),
                            }
                        }
                    }
                    first_error
                })
            })
            .collect();
        let built = (0..jobs.len()).into_par_iter().try_for_each_with(tx, |tx, i| {
            let bytes = build(&jobs[i])?;
            // A send fails only when every writer is gone; their error is reported below.
            let _ = tx.send((i, bytes));
            Ok(())
        });
        let mut result = built;
        for w in writers {
            match w.join().unwrap_or_else(|panic| Some(Err(panic))) {
                // A writer's panic goes on as the run's, now that no builder waits on it.
                Some(Err(panic)) => std::panic::resume_unwind(panic),
                Some(Ok(e)) if result.is_ok() => result = Err(e),
                _ => {}
            }
        }
        result
    })
}
