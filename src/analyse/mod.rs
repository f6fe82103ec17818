//! Stage: analyses of the normalised table, as polars queries, for the office's
//! study and the communes' remediation letters.
//!
//! Sums over leaves are polars queries on the long table ([`crate::normalise`]);
//! what polars cannot do for us stays in Rust on the collected rows: Vietnamese
//! collation for ties and exact ratios of integer hundredths.

pub mod compare;
pub mod gap;
pub mod losses;
pub mod stability;
pub mod trend;

use crate::framework::Framework;
use polars::prelude::*;

/// Points as exact hundredths from a 2-decimal float column (half away from zero).
pub(crate) fn hundredths(e: Expr) -> Expr {
    let scaled = e * lit(100.0);
    when(scaled.clone().gt_eq(lit(0.0))).then(scaled.clone() + lit(0.5)).otherwise(scaled - lit(0.5)).cast(DataType::Int64)
}

/// The leaf rows a year's ranking counted (scored sheets only), "không áp dụng" included.
pub(crate) fn scored_leaves(long: &DataFrame, year: i32) -> LazyFrame {
    long.clone().lazy().filter(col("year").eq(lit(year)).and(col("scored")).and(col("leaf")))
}

/// The leaves a year's ranking counted that apply to their unit.
pub(crate) fn applicable_leaves(long: &DataFrame, year: i32) -> LazyFrame {
    scored_leaves(long, year).filter(col("not_applicable").not())
}

/// The framework as a table: code and max in hundredths (`fw_max_h`), for joins.
pub(crate) fn framework_frame(fw: &Framework) -> PolarsResult<DataFrame> {
    df!(
        "code" => fw.nodes.iter().map(|n| n.code.clone()).collect::<Vec<_>>(),
        "fw_max_h" => fw.nodes.iter().map(|n| n.max.0).collect::<Vec<_>>(),
    )
}

/// A string column of a collected frame.
pub(crate) fn strings(df: &DataFrame, name: &str) -> PolarsResult<Vec<Option<String>>> {
    Ok(df.column(name)?.str()?.iter().map(|v| v.map(str::to_string)).collect())
}

/// An integer column of a collected frame (hundredths or counts), nulls as 0.
pub(crate) fn integers(df: &DataFrame, name: &str) -> PolarsResult<Vec<i64>> {
    Ok(df.column(name)?.cast(&DataType::Int64)?.i64()?.iter().map(|v| v.unwrap_or(0)).collect())
}
