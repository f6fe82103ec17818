//! Resolving what the sheets mean together: which sheets are the same unit across
//! files and years ([`identity`]), and each year's framework of criteria, read from
//! the sheets by majority ([`framework`]), and the office's unit list over them
//! ([`registry`]).

pub mod framework;
pub mod identity;
pub mod registry;
