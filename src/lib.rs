//! cchc: reads a district's commune PAR Index scoring sheets (Chỉ số CCHC), checks
//! them, ranks the units and writes the workbooks the office publishes.
//!
//! The modules follow the pipeline: [`discover`] → [`workbook`] (read) →
//! [`layout`] (detect) → [`extract`] → [`identity`] and [`framework`] →
//! [`validate`] → [`score`] (compute, rank) → [`normalise`] (polars) → [`report`] and [`export`].
//! [`pipeline`] runs them in order; [`cli`] holds one module per command.

pub mod analyse;
pub mod cli;
pub mod collate;
pub mod diagnostic;
pub mod discover;
pub mod error;
pub mod export;
pub mod extract;
pub mod framework;
pub mod identity;
pub mod ingest;
pub mod layout;
pub mod manifest;
pub mod normalise;
pub mod output;
pub mod pipeline;
pub mod report;
pub mod sample;
pub mod score;
pub mod tables;
pub mod text;
pub mod validate;
pub mod workbook;
