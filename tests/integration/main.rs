//! cchc's integration tests: one binary (as ripgrep, xsv and rust_xlsxwriter keep
//! theirs), so polars and the product are linked once, not once per file. Each
//! module is one capability; `common` is the harness (fixture workbooks written with
//! rust_xlsxwriter, the real `cchc` binary run on them). Regressions are named after
//! the bug in `regressions`.

mod common;

mod accounting;
mod appendix;
mod documents;
mod example_district;
mod exports;
mod followup;
mod fuzz_read;
mod house;
mod limits;
mod metamorphic;
mod never_lose;
mod ranking;
mod reading;
mod real_sheets;
mod regressions;
mod run_outputs;
mod safety;
mod sample;
mod settings;
mod templates;
mod trend;
mod validation;
mod workbooks;
