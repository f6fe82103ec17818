//! The `cchc` command line. See `cchc --help`.

#[cfg(not(any(feature = "system-alloc", feature = "dhat-heap")))]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[cfg(feature = "dhat-heap")]
#[global_allocator]
static GLOBAL: dhat::Alloc = dhat::Alloc;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    #[cfg(feature = "dhat-heap")]
    let _profiler = dhat::Profiler::new_heap();
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
