//! Workbooks written for the office: the ranking workbook it publishes
//! ([`ranking`]) and the appendix it sends each commune ([`appendix`]), in one house
//! style ([`style`]).

pub mod appendix;
pub mod ranking;
pub mod style;
