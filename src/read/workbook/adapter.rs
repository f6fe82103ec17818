//! calamine's cells as the pipeline's values.

use super::{Grid, ReadError, Value, over};
use crate::read::limits::{Budget, Limit, Limits};
use calamine::{Data, DataRef, Reader, Sheets};
use std::io::Cursor;

pub(super) fn from_data(d: &Data) -> Value {
    match d {
        Data::Int(i) => Value::Number(*i as f64),
        Data::Float(f) => Value::Number(*f),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => Value::Text(s.clone()),
        Data::Bool(b) => Value::Text(if *b { "TRUE".into() } else { "FALSE".into() }),
        Data::DateTime(dt) => Value::Number(dt.as_f64()),
        Data::Error(_) | Data::Empty => Value::Empty,
    }
}

pub(super) fn from_data_ref(d: &DataRef<'_>) -> Value {
    match d {
        DataRef::SharedString(s) => Value::Text(s.to_string()),
        DataRef::Int(i) => Value::Number(*i as f64),
        DataRef::Float(f) => Value::Number(*f),
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => Value::Text(s.clone()),
        DataRef::Bool(b) => Value::Text(if *b { "TRUE".into() } else { "FALSE".into() }),
        DataRef::DateTime(dt) => Value::Number(dt.as_f64()),
        DataRef::Error(_) | DataRef::Empty => Value::Empty,
    }
}

pub(super) fn open_error(e: calamine::Error) -> ReadError {
    use calamine::{OdsError, XlsError, XlsxError};
    match e {
        calamine::Error::Xls(XlsError::Password)
        | calamine::Error::Xlsx(XlsxError::Password)
        | calamine::Error::Ods(OdsError::Password) => ReadError::Password,
        other => ReadError::Corrupt(other.to_string()),
    }
}

/// Every sheet of an opened workbook as grids, within `limits`: .xlsx cells streamed
/// (formulas noted), the other formats from calamine's ranges.
pub(super) fn grids(wb: &mut Sheets<Cursor<Vec<u8>>>, limits: &Limits) -> Result<Vec<Grid>, ReadError> {
    let names = wb.sheet_names();
    if names.len() > limits.sheets {
        return Err(over(Limit::Sheets { found: names.len(), limit: limits.sheets }, None, None));
    }
    let mut budget = Budget::new(limits);
    let mut grids = Vec::with_capacity(names.len());
    for name in names {
        let mut grid = Grid { name: name.clone(), ..Grid::default() };
        match &mut *wb {
            Sheets::Xlsx(x) => {
                let corrupt = |e: calamine::XlsxError| ReadError::Corrupt(e.to_string());
                let mut cells = x.worksheet_cells_reader(&name).map_err(corrupt)?;
                while let Some(cell) = cells.next_cell_with_formula_metadata().map_err(corrupt)? {
                    let (r, c) = cell.pos;
                    if cell.formula.is_some() {
                        grid.formulas.insert((r, c));
                    }
                    grid.set(r, c, from_data_ref(&cell.value), &mut budget).map_err(ReadError::OverLimit)?;
                }
            }
            other => {
                let range = other.worksheet_range(&name).map_err(open_error)?;
                let (r0, c0) = range.start().unwrap_or((0, 0));
                for (r, c, v) in range.used_cells() {
                    grid.set(r0 + r as u32, c0 + c as u32, from_data(v), &mut budget).map_err(ReadError::OverLimit)?;
                }
            }
        }
        grids.push(grid);
    }
    Ok(grids)
}
