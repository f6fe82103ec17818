//! Workbooks written for the office.

pub mod appendix;
pub mod ranking;
