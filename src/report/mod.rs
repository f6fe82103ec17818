//! Workbooks written for the office: the ranking workbook it publishes
//! ([`ranking`]), the appendix it sends each commune ([`appendix`], saying what
//! [`remedy`] says), the blank scoring
//! sheet it sends at the start of the year ([`template`]) and the check sheet it sends
//! back with a sheet that has problems ([`check_sheet`]), in one house style ([`style`]);
//! and the Word documents it signs, in the state format ([`docx`]): each unit's
//! remediation letter ([`letter`]) and the ranking annex of the year's decision ([`annex`]).

pub mod annex;
pub mod appendix;
pub mod check_sheet;
pub mod docx;
pub mod letter;
pub mod ranking;
pub mod remedy;
pub mod style;
pub mod template;
