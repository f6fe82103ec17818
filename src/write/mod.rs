//! Writing data outputs: the analysis tables ([`tables`]), their Parquet and CSV
//! files ([`export`]), the run manifest ([`manifest`]), the ranking as CSV
//! ([`rankings`]) and the atomic file writing every output goes through ([`output`]).

pub mod export;
pub mod manifest;
pub mod output;
pub mod rankings;
pub mod tables;

/// A CSV field, quoted when it holds a comma, quote or newline.
pub fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s.to_string() }
}
