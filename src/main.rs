//! The `cchc` command line. See `cchc --help`.

#[cfg(not(any(feature = "system-alloc", feature = "dhat-heap")))]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc (v3, linked by the `mimalloc` crate): its options by number, as
/// `include/mimalloc.h` enumerates them (the crate's own constants follow v2's).
#[cfg(not(any(feature = "system-alloc", feature = "dhat-heap")))]
mod allocator {
    use std::ffi::{c_int, c_long};

    unsafe extern "C" {
        fn mi_option_get(option: c_int) -> c_long;
        fn mi_option_set(option: c_int, value: c_long);
    }

    /// `mi_option_purge_delay`, and its default: 1,000 ms, ten times that for arenas.
    const PURGE_DELAY: c_int = 15;
    const DEFAULT_PURGE_DELAY: c_long = 1000;

    /// What cchc sets: 10 ms, mimalloc v2's default.
    const PURGE_DELAY_MS: c_long = 10;

    /// Memory freed goes back to the system after 10 ms. mimalloc v3 keeps it for 1 to
    /// 10 seconds by default, longer than a run: a stage's freed memory still counted
    /// in the next one's, and a 10,000-sheet run peaked at 680 MB instead of 600 MB
    /// (bench/README.md, "Where the memory goes"; at once, 560 MB but 10 % slower).
    /// Only where the option holds its v3 default, so another mimalloc or an office's
    /// own MIMALLOC_PURGE_DELAY is left alone.
    pub fn purge_soon() {
        // SAFETY: plain setters of mimalloc's option table, called before any other thread exists.
        unsafe {
            if mi_option_get(PURGE_DELAY) == DEFAULT_PURGE_DELAY {
                mi_option_set(PURGE_DELAY, PURGE_DELAY_MS);
            }
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
    allocator::purge_soon();
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
