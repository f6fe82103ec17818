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
    let (staged, file) = stage(path, write)?;
    file.sync_all().map_err(|e| CchcError::output(path, e))?;
    drop(file);
    staged.publish()
}

/// An output written whole under its temporary name, not yet renamed into place.
struct Staged {
    path: PathBuf,
    temp: Temp,
}

impl Staged {
    /// Renames the temporary file into place; its data must be on disk already.
    fn publish(mut self) -> Result<()> {
        let at = self.temp.0.take().expect("a staged file has its temporary name");
        std::fs::rename(&at, &self.path).map_err(|e| {
            self.temp.0 = Some(at);
            CchcError::output(&self.path, e)
        })?;
        REPLACED.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }
}

/// The folder `path` is in.
fn folder(path: &Path) -> &Path {
    path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."))
}

/// Writes `path`'s content through `write` to a temporary name beside it; the file is
/// returned open and not yet synced.
fn stage(path: &Path, write: impl FnOnce(&mut BufWriter<Writeback>) -> Result<()>) -> Result<(Staged, File)> {
    let io = |e: std::io::Error| CchcError::output(path, e);
    let dir = folder(path);
    std::fs::create_dir_all(dir).map_err(io)?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let at = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let temp = Temp(Some(at.clone()));
    let mut w = BufWriter::with_capacity(1 << 16, Writeback::new(File::create(&at).map_err(io)?));
    write(&mut w)?;
    crate::crash::inject("write", &name);
    let file = w.into_inner().map_err(|e| io(e.into_error()))?.file;
    Ok((Staged { path: path.to_path_buf(), temp }, file))
}

/// Writes bytes atomically.
pub fn write_bytes(path: &Path, bytes: &[u8]) -> Result<()> {
    write_atomic(path, |f| f.write_all(bytes).map_err(|e| CchcError::output(path, e)))
}

/// Writes a value as pretty JSON, atomically.
pub fn write_json(path: &Path, value: &impl serde::Serialize) -> Result<()> {
    write_atomic(path, |f| serde_json::to_writer_pretty(f, value).map_err(|source| CchcError::Json { path: path.to_path_buf(), source }))
}

/// Built files waiting for the writer, at most (bounds memory).
const QUEUE: usize = 256;

/// Builds each job's bytes in parallel (rayon) and writes them to the jobs' paths,
/// atomically; the first error wins, and every file written whole before it is still
/// put in place. One thread writes each file under its temporary name as it comes;
/// once all are written they are made durable together (`make_durable`, which
/// `EarlySync` gets a head start on) and renamed into place. A sync per file made the
/// 10,000 appendices wait on the disk 10,000 times: the builders stood idle behind the
/// writers (0.8 of the two cores in use), and four writers creating files in one
/// folder spent their time contending for it.
pub fn write_parallel<J: Sync>(jobs: &[(J, PathBuf)], build: impl Fn(&(J, PathBuf)) -> Result<Vec<u8>> + Sync) -> Result<()> {
    use rayon::prelude::*;
    let (tx, rx) = std::sync::mpsc::sync_channel::<(usize, Vec<u8>)>(QUEUE);
    let (built, (staged, failed)) = std::thread::scope(|s| {
        let mut early = EarlySync::start(s);
        let writer = s.spawn(move || {
            let (mut staged, mut failed) = (Vec::new(), None);
            for (i, bytes) in rx {
                // After an error or a panic keep draining, so the builders never block.
                if failed.is_none() {
                    let path = &jobs[i].1;
                    let write = || stage(path, |f| f.write_all(&bytes).map_err(|e| CchcError::output(path, e)));
                    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(write)) {
                        Ok(Ok((file, _open))) => {
                            staged.push(file);
                            early.staged(&staged);
                        }
                        Ok(Err(e)) => failed = Some(Ok(e)),
                        Err(panic) => failed = Some(Err(panic)),
                    }
                }
            }
            (staged, failed)
        });
        let built = (0..jobs.len()).into_par_iter().try_for_each_with(tx, |tx, i| {
            let bytes = build(&jobs[i])?;
            // A send fails only when the writer is gone; its error is reported below.
            let _ = tx.send((i, bytes));
            Ok(())
        });
        (built, writer.join().unwrap_or_else(|panic| (Vec::new(), Some(Err(panic)))))
    });
    let published = make_durable(&staged).and_then(|()| staged.into_iter().try_for_each(Staged::publish));
    match failed {
        // The writer's panic goes on as the run's, now that the files written are in place.
        Some(Err(panic)) => std::panic::resume_unwind(panic),
        Some(Ok(e)) => built.and(Err(e)),
        None => built,
    }
    .and(published)
}

/// Files staged between two syncs in the background (Linux).
#[cfg(target_os = "linux")]
const SYNC_EVERY: usize = 1_000;

/// Syncs the folder of the files staged so far every [`SYNC_EVERY`] files, on a thread of
/// its own, while the batch goes on, so that the sync that makes the batch durable
/// waits for the last stretch only: after the 10,000 appendices that one sync took
/// 0.36 s with both cores idle, and now takes 2 ms. Only a speed-up: `make_durable`
/// still syncs everything before the first rename. Elsewhere than Linux it does nothing.
struct EarlySync {
    #[cfg(target_os = "linux")]
    folders: std::sync::mpsc::Sender<PathBuf>,
}

impl EarlySync {
    /// Starts the syncing thread in `scope`; it ends when this is dropped.
    fn start<'s>(scope: &'s std::thread::Scope<'s, '_>) -> EarlySync {
        #[cfg(target_os = "linux")]
        {
            let (folders, rx) = std::sync::mpsc::channel::<PathBuf>();
            scope.spawn(move || {
                while let Ok(dir) = rx.recv() {
                    // On a slow disk requests pile up during a sync: one more sync meets
                    // them all, so the batch's end never waits for a queue of them.
                    let mut dirs = vec![dir];
                    dirs.extend(rx.try_iter());
                    dirs.sort_unstable();
                    dirs.dedup();
                    for dir in dirs {
                        // A failure here is met again, and reported, by `make_durable`.
                        let _ = syncfs(&dir);
                    }
                }
            });
            EarlySync { folders }
        }
        #[cfg(not(target_os = "linux"))]
        {
            let _ = scope;
            EarlySync {}
        }
    }

    /// Called after each file staged (`staged` so far).
    fn staged(&mut self, staged: &[Staged]) {
        #[cfg(target_os = "linux")]
        if staged.len().is_multiple_of(SYNC_EVERY)
            && let Some(last) = staged.last()
        {
            let _ = self.folders.send(folder(&last.path).to_path_buf());
        }
        #[cfg(not(target_os = "linux"))]
        let _ = staged;
    }
}

/// Flushes the file system holding `dir` to disk.
#[cfg(target_os = "linux")]
fn syncfs(dir: &Path) -> std::io::Result<()> {
    use std::os::fd::AsRawFd;
    let d = File::open(dir)?;
    // SAFETY: the descriptor is this open folder's; the call reads no memory of ours.
    if unsafe { libc::syncfs(d.as_raw_fd()) } != 0 {
        return Err(std::io::Error::last_os_error());
    }
    Ok(())
}

/// Puts the staged files' data on disk before any is renamed into place, so a crash
/// never leaves a renamed file without its content. On Linux one `syncfs` per folder
/// does it for all (each flushes the folder's whole file system, the later ones find
/// little left); elsewhere each file is synced, in parallel.
fn make_durable(staged: &[Staged]) -> Result<()> {
    #[cfg(target_os = "linux")]
    {
        let mut dirs: Vec<&Path> = staged.iter().map(|s| folder(&s.path)).collect();
        dirs.sort_unstable();
        dirs.dedup();
        dirs.into_iter().try_for_each(|dir| syncfs(dir).map_err(|e| CchcError::output(dir, e)))
    }
    #[cfg(not(target_os = "linux"))]
    {
        use rayon::prelude::*;
        staged.par_iter().try_for_each(|s| {
            let at = s.temp.0.as_deref().expect("a staged file has its temporary name");
            let io = |e: std::io::Error| CchcError::output(&s.path, e);
            std::fs::OpenOptions::new().write(true).open(at).map_err(io)?.sync_all().map_err(io)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files_in(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> =
            std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        names.sort();
        names
    }

    /// Every job's bytes end up under its name, replacing an earlier file, in two
    /// folders, and no temporary file is left; on Linux the batch is long enough for
    /// the early syncs to run.
    #[test]
    fn parallel_writes_put_every_file_in_place() {
        let dir = tempfile::tempdir().unwrap();
        #[cfg(target_os = "linux")]
        let n = 2 * SYNC_EVERY + 300;
        #[cfg(not(target_os = "linux"))]
        let n = 300;
        let jobs: Vec<(usize, PathBuf)> =
            (0..n).map(|i| (i, dir.path().join(format!("{}/f{i:04}.txt", if i % 2 == 0 { "a" } else { "b" })))).collect();
        write_bytes(&jobs[7].1, b"earlier").unwrap();
        write_parallel(&jobs, |(i, _)| Ok(format!("unit {i}").into_bytes())).unwrap();
        for (i, path) in &jobs {
            assert_eq!(std::fs::read_to_string(path).unwrap(), format!("unit {i}"));
        }
        assert_eq!(files_in(&dir.path().join("a")).len() + files_in(&dir.path().join("b")).len(), n);
        assert!(files_in(&dir.path().join("a")).iter().all(|n| !n.ends_with(".tmp")));
    }

    /// A job that fails to build ends the write with its error; the files built before
    /// and after it are still put in place whole, the failed one keeps its earlier
    /// content, and no temporary file is left.
    #[test]
    fn a_failed_job_keeps_its_earlier_file_and_the_others_are_written() {
        let dir = tempfile::tempdir().unwrap();
        let jobs: Vec<(usize, PathBuf)> = (0..50).map(|i| (i, dir.path().join(format!("f{i:02}.txt")))).collect();
        write_bytes(&jobs[20].1, b"earlier").unwrap();
        let failed = write_parallel(&jobs, |(i, path)| {
            if *i == 20 { Err(CchcError::output(path, std::io::Error::other("hỏng"))) } else { Ok(vec![b'x'; *i]) }
        });
        assert!(failed.unwrap_err().to_string().contains("f20.txt"));
        assert_eq!(std::fs::read(&jobs[20].1).unwrap(), b"earlier");
        let names = files_in(dir.path());
        assert!(names.iter().all(|n| !n.ends_with(".tmp")), "{names:?}");
        // rayon stops taking new jobs after an error, so only some others may be
        // written; each one written is whole.
        for (i, path) in jobs.iter().filter(|(i, _)| *i != 20) {
            if let Ok(bytes) = std::fs::read(path) {
                assert_eq!(bytes, vec![b'x'; *i]);
            }
        }
    }
}
