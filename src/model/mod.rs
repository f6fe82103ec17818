//! The domain types every stage shares: criterion codes ([`code`]), exact points
//! ([`points`]), units and their kinds ([`unit`](mod@unit)), bands ([`band`]), the ranking rule ([`ranking`]), what a sheet or
//! a results table holds ([`sheet`]) and the problems found in them ([`diagnostic`],
//! each of a registered [`kind`]).

pub mod band;
pub mod code;
pub mod diagnostic;
pub mod kind;
pub mod points;
pub mod ranking;
pub mod sheet;
pub mod unit;
