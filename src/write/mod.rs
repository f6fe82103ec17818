//! Writing data outputs: the long table and analysis tables ([`normalise`],
//! [`tables`]), their CSV/Parquet exports ([`export`]), the run manifest
//! ([`manifest`]) and the atomic file writing every output goes through
//! ([`output`]).

pub mod export;
pub mod manifest;
pub mod normalise;
pub mod output;
pub mod tables;
