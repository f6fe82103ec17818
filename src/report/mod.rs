//! Workbooks written for the office.

pub mod ranking;
