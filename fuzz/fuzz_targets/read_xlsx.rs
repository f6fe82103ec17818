#![no_main]
//! Reading arbitrary bytes as an .xlsx file.

#[path = "common.rs"]
mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| common::read(data, "xlsx"));
