//! The `cchc` command line. See `cchc --help`.

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = cchc::cli::Cli::parse();
    match cchc::cli::dispatch(cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("cchc: {e}");
            ExitCode::from(2)
        }
    }
}
