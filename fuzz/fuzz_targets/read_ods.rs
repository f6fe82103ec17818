#![no_main]
//! Reading arbitrary bytes as an .ods file.

#[path = "common.rs"]
mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| common::read(data, "ods"));
