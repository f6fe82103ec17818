//! The domain types every stage shares: what a sheet holds ([`sheet`]) and the
//! problems found in it ([`diagnostic`], each of a registered [`kind`]).

pub mod code;
pub mod diagnostic;
pub mod kind;
pub mod sheet;
