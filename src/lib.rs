//! cchc: reads a district's commune PAR Index scoring sheets (Chỉ số CCHC), checks
//! them, ranks the units and writes the workbooks the office publishes.
//!
//! The modules follow the pipeline, data flowing one way:
//! [`read`] (discover, workbook, layout, extract, names) → [`resolve`] (identity,
//! framework) → [`score`] → [`validate`], gathered in [`findings`] → [`analyse`] → [`write`](mod@write) (tables, exports,
//! manifest) and [`report`] (workbooks). [`model`] holds the domain types every
//! stage shares, [`config`] the office's settings (`cchc.toml`), [`text`] and [`collate`] the Vietnamese text rules; [`pipeline`]
//! runs the stages in order and [`cli`] holds one module per command.

pub mod collate;
pub mod config;
pub mod crash;
pub mod error;
pub mod model;
pub mod text;

pub mod analyse;
pub mod read;
pub mod report;
pub mod resolve;
pub mod score;
pub mod validate;

pub mod findings;
pub mod write;

pub mod cli;
pub mod pipeline;
