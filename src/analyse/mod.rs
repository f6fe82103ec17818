//! Stage: analyses of the normalised table, as polars queries, for the office's
//! study and the communes' remediation letters.

pub mod compare;
pub mod gap;
pub mod losses;
pub mod stability;
pub mod trend;
