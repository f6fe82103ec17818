//! The `cchc` command line. See `cchc --help`.

#[cfg(not(any(feature = "system-alloc", feature = "dhat-heap")))]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc (v3, linked by the `mimalloc` crate): its options by number, as v3's
/// `include/mimalloc.h` enumerates them (the crate's own constants follow v2's).
#[cfg(not(any(feature = "system-alloc", feature = "dhat-heap")))]
mod allocator {
    use std::ffi::{c_int, c_long};

    unsafe extern "C" {
        fn mi_version() -> c_int;
        fn mi_option_get(option: c_int) -> c_long;
        fn mi_option_set(option: c_int, value: c_long);
    }

    /// `mi_option_purge_delay`: v3 keeps freed memory 1,000 ms (ten times that in
    /// arenas), longer than a run; cchc sets 10 ms, v2's default.
    const PURGE_DELAY: (c_int, c_long, c_long) = (15, 1000, 10);

    /// Freed memory goes back to the system after 10 ms, in 4 KB pages, not 2 MB ones.
    /// With mimalloc 3's defaults a stage's freed memory still counted in the next
    /// one's, and the kernel zeroed a whole 2 MB page for each new block (15 % of a
    /// run's cycles): a 10,000-sheet run peaked at 680 MB, 515 MB with both, in the same
    /// time (bench/README.md, "Where the memory goes"). The delay only with mimalloc 3
    /// and where it holds its default, so an office's own MIMALLOC_PURGE_DELAY stands;
    /// huge pages through the process's flag (mimalloc reads its own option before
    /// `main`).
    pub fn tune() {
        // SAFETY: mimalloc's version and option table, read and set before any other
        // thread exists; the prctl only sets a flag of this process.
        unsafe {
            let (option, default, ours) = PURGE_DELAY;
            if mi_version() / 10_000 == 3 && mi_option_get(option) == default {
                mi_option_set(option, ours);
            }
            #[cfg(target_os = "linux")]
            libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
        }
    }
}

#[cfg(feature = "dhat-heap")]
#[global_allocator]
static GLOBAL: dhat::Alloc = dhat::Alloc;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    #[cfg(feature = "dhat-heap")]
    let _profiler = dhat::Profiler::new_heap();
    #[cfg(not(any(feature = "system-alloc", feature = "dhat-heap")))]
    allocator::tune();
    // `cchc rank | head` must end quietly, not panic on a closed pipe.
    #[cfg(unix)]
    // SAFETY: restoring the default SIGPIPE disposition at start-up, before any thread exists.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    cchc::cli::crash::install();
    let cli = cchc::cli::Cli::parse();
    // A panic anywhere (a bug, not the data) ends in exit code 2 with a message.
    match std::panic::catch_unwind(|| cchc::cli::dispatch(cli)) {
        Ok(Ok(code)) => ExitCode::from(code),
        Ok(Err(e)) => {
            eprintln!("cchc: {e}");
            ExitCode::from(2)
        }
        Err(panic) => {
            eprintln!("{}", cchc::cli::crash::report(panic.as_ref()));
            ExitCode::from(2)
        }
    }
}
