//! `cchc-hostile DIR`: writes the hostile and broken workbooks the reading limits must
//! refuse into DIR (`make bench`'s `-hostile` datasets). Not part of the shipped `cchc`.

use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(dir) = std::env::args_os().nth(1) else {
        eprintln!("cách dùng: cchc-hostile THƯ_MỤC");
        return ExitCode::from(2);
    };
    match cchc_sample::hostile::write_all(std::path::Path::new(&dir)) {
        Ok(bombs) => {
            eprintln!("Đã ghi {} tệp độc hại vào {}", bombs.len(), std::path::Path::new(&dir).display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("cchc-hostile: {e}");
            ExitCode::from(2)
        }
    }
}
