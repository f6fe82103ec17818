//! Exports of the long table (Parquet and CSV) for analysts and other tools.

use crate::error::{CchcError, Result};
use crate::write::csv::{CsvBatches, write_csv};
use crate::write::output::write_atomic;
use polars::prelude::*;
use std::path::{Path, PathBuf};

/// Writes `df` as `<dir>/<stem>.parquet` and `<dir>/<stem>.csv`; returns both paths.
pub fn write_table(df: &mut DataFrame, dir: &Path, stem: &str) -> Result<Vec<PathBuf>> {
    let parquet = dir.join(format!("{stem}.parquet"));
    // Snappy, as pandas and pyarrow write by default: at 10,000 units it encodes the
    // long table in 0.2 s against zstd's 0.3 s, for a file of 4 MB instead of 2 MB.
    write_atomic(&parquet, |f| {
        ParquetWriter::new(f).with_compression(ParquetCompression::Snappy).finish(df).map(|_| ()).map_err(|e| table_error(&parquet, e))
    })?;
    let csv = dir.join(format!("{stem}.csv"));
    write_atomic(&csv, |f| write_csv(df, f).map_err(|e| table_error(&csv, e)))?;
    Ok(vec![parquet, csv])
}

/// Writes a table given in batches as `<dir>/<stem>.parquet` (a row group a batch) and
/// `<dir>/<stem>.csv`, so that the whole table is never held at once: the long table
/// of 10,000 units is a million rows and 200 MB. `empty` gives the columns. The CSV is
/// written on its own thread while the next batch is built and encoded: the long table
/// is the last output of a large run, and one after the other it left a core idle.
/// Neither file replaces the old one unless both were written.
pub fn write_batches(
    dir: &Path,
    stem: &str,
    empty: &DataFrame,
    batches: impl Iterator<Item = PolarsResult<DataFrame>>,
) -> Result<Vec<PathBuf>> {
    /// Batches waiting for the CSV thread, at most (each is about 10 MB at 65,536 rows).
    const WAITING: usize = 2;
    let parquet = dir.join(format!("{stem}.parquet"));
    let csv = dir.join(format!("{stem}.csv"));
    let schema = empty.schema().clone();
    let fail = |e| table_error(dir.join(stem), e);
    write_atomic(&parquet, |pf| {
        write_atomic(&csv, |cf| {
            let mut pw = ParquetWriter::new(&mut *pf).with_compression(ParquetCompression::Snappy).batched(&schema).map_err(fail)?;
            let mut cw = CsvBatches::new(&mut *cf, &schema).map_err(fail)?;
            std::thread::scope(|s| {
                let (tx, rx) = std::sync::mpsc::sync_channel::<DataFrame>(WAITING);
                let csv_thread = s.spawn(move || -> PolarsResult<()> {
                    for batch in rx {
                        cw.write(&batch)?;
                    }
                    cw.finish()
                });
                let encoded = (|| -> PolarsResult<()> {
                    for batch in batches {
                        let mut batch = batch?;
                        batch.align_chunks_par();
                        pw.write_batch(&batch)?;
                        // The CSV thread is gone only after an error, which it returns.
                        if tx.send(batch).is_err() {
                            break;
                        }
                    }
                    drop(tx);
                    pw.finish().map(|_| ())
                })();
                let written = csv_thread.join().unwrap_or_else(|p| std::panic::resume_unwind(p));
                written.and(encoded).map_err(fail)
            })
        })
    })?;
    Ok(vec![parquet, csv])
}

/// Turns a polars error into a run error naming the table or the file it goes to.
pub fn table_error(what: impl AsRef<Path>, source: PolarsError) -> CchcError {
    CchcError::Table { what: what.as_ref().display().to_string(), source }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The long table is written in batches; its files must read as the one-piece
    /// writer's: the same CSV bytes (one header, formula-like text defused in every
    /// batch) and the same Parquet rows.
    #[test]
    fn a_table_written_in_batches_reads_as_the_whole() {
        let whole = df!(
            "unit" => ["An Phú", "Bình An", "=HYPERLINK(\"x\")", "Cát Tiên", "Hải An"],
            "lost" => [Some(1.5), None, Some(0.25), Some(30.0), None],
            "row" => [5u32, 6, 7, 8, 9],
        )
        .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let (one, many) = (dir.path().join("one"), dir.path().join("many"));
        write_table(&mut whole.clone(), &one, "t").unwrap();
        let batches = [whole.slice(0, 2), whole.slice(2, 1), whole.slice(3, 2)].into_iter().map(Ok);
        write_batches(&many, "t", &whole.clear(), batches).unwrap();
        let csv = std::fs::read_to_string(many.join("t.csv")).unwrap();
        assert_eq!(csv, std::fs::read_to_string(one.join("t.csv")).unwrap());
        assert_eq!(csv.lines().filter(|l| l.starts_with("unit,")).count(), 1);
        assert!(csv.contains("'=HYPERLINK"), "{csv}");
        let read = |p: PathBuf| ParquetReader::new(std::fs::File::open(p).unwrap()).finish().unwrap();
        assert_eq!(read(many.join("t.parquet")), whole);
        // No batch at all: the header alone, and an empty Parquet table with the columns.
        write_batches(&many, "none", &whole.clear(), std::iter::empty()).unwrap();
        assert_eq!(std::fs::read_to_string(many.join("none.csv")).unwrap(), "unit,lost,row\n");
        assert_eq!(read(many.join("none.parquet")).get_column_names(), whole.get_column_names());
    }

    /// A batch that fails half-way (the CSV thread holding the batches before it) ends
    /// the write with its error: no file replaced, no temporary file left, no thread
    /// left waiting.
    #[test]
    fn a_failing_batch_writes_neither_file() {
        let whole = df!("unit" => ["An Phú", "Bình An", "Cát Tiên", "Hải An"], "row" => [5u32, 6, 7, 8]).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let failed = PolarsError::ComputeError("lô hỏng".into());
        let batches = [Ok(whole.slice(0, 1)), Ok(whole.slice(1, 1)), Ok(whole.slice(2, 1)), Err(failed), Ok(whole.slice(3, 1))];
        let e = write_batches(dir.path(), "t", &whole.clear(), batches.into_iter()).unwrap_err();
        assert!(e.to_string().contains("lô hỏng"), "{e}");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
