//! Writing data outputs: the analysis tables ([`tables`]), their Parquet and CSV
//! files ([`export`]; every CSV through [`csv`]), the run manifest ([`manifest`]) and the atomic file writing
//! every output goes through ([`output`]).

pub mod csv;
pub mod export;
pub mod manifest;
pub mod output;
pub mod tables;
