//! Stage 2: open a workbook and turn each sheet into a small grid of values.
//!
//! calamine allocates a sheet's whole used range, so one stray cell at XFD1048576
//! would ask for hundreds of gigabytes. For .xlsx we stream the cells and keep only
//! those inside [`MAX_ROWS`] × [`MAX_COLS`]; the far ones are reported, not loaded.

use calamine::{Data, DataRef, Reader, Sheets, open_workbook_auto};
use std::path::Path;
use thiserror::Error;

/// Rows kept per sheet: a scoring sheet has a few hundred.
pub const MAX_ROWS: u32 = 20_000;
/// Columns kept per sheet.
pub const MAX_COLS: u32 = 256;

/// A cell value as the pipeline sees it.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Value {
    /// Nothing (also a formula without a cached value, or an error cell).
    #[default]
    Empty,
    /// Text as typed.
    Text(String),
    /// A number.
    Number(f64),
}

impl Value {
    /// The text of the cell, numbers included ("1.1" for 1.1), empty when empty.
    pub fn as_text(&self) -> String {
        match self {
            Value::Empty => String::new(),
            Value::Text(s) => s.clone(),
            Value::Number(n) => format_number(*n),
        }
    }

    /// Whether the cell holds nothing visible.
    pub fn is_blank(&self) -> bool {
        match self {
            Value::Empty => true,
            Value::Text(s) => s.trim().is_empty(),
            Value::Number(_) => false,
        }
    }
}

/// Shortest text for a number as Excel would show it ("1.1", "3", "0.34").
pub fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        let s = format!("{n:.6}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// One sheet's cells, dense, 0-based.
#[derive(Debug, Clone, Default)]
pub struct Grid {
    /// Sheet name.
    pub name: String,
    /// Rows of cells; rows may be shorter than others.
    pub rows: Vec<Vec<Value>>,
    /// The first cell found beyond the limits, 0-based (row, col), if any.
    pub stray: Option<(u32, u32)>,
}

impl Grid {
    /// The value at (row, col), `Empty` outside the grid.
    pub fn get(&self, row: usize, col: usize) -> &Value {
        static EMPTY: Value = Value::Empty;
        self.rows.get(row).and_then(|r| r.get(col)).unwrap_or(&EMPTY)
    }

    /// A grid from rows of values (used by tests and the layout detector).
    pub fn from_rows(name: &str, rows: Vec<Vec<Value>>) -> Grid {
        Grid { name: name.to_string(), rows, stray: None }
    }

    fn set(&mut self, row: u32, col: u32, v: Value) {
        if v == Value::Empty {
            return;
        }
        if row >= MAX_ROWS || col >= MAX_COLS {
            if self.stray.is_none() {
                self.stray = Some((row, col));
            }
            return;
        }
        let (r, c) = (row as usize, col as usize);
        if self.rows.len() <= r {
            self.rows.resize_with(r + 1, Vec::new);
        }
        let line = &mut self.rows[r];
        if line.len() <= c {
            line.resize(c + 1, Value::Empty);
        }
        line[c] = v;
    }
}

/// Why a workbook could not be read.
#[derive(Debug, Error)]
pub enum ReadError {
    /// calamine refused the file: corrupt, encrypted, or not a workbook.
    #[error("{0}")]
    Open(String),
    /// The reader itself failed unexpectedly on this file.
    #[error("lỗi đọc tệp không lường trước: {0}")]
    Crashed(String),
}

fn from_data(d: &Data) -> Value {
    match d {
        Data::Int(i) => Value::Number(*i as f64),
        Data::Float(f) => Value::Number(*f),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => Value::Text(s.clone()),
        Data::Bool(b) => Value::Text(if *b { "TRUE".into() } else { "FALSE".into() }),
        Data::DateTime(dt) => Value::Number(dt.as_f64()),
        Data::Error(_) | Data::Empty => Value::Empty,
    }
}

fn from_data_ref(d: &DataRef<'_>) -> Value {
    match d {
        DataRef::Int(i) => Value::Number(*i as f64),
        DataRef::Float(f) => Value::Number(*f),
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => Value::Text(s.clone()),
        DataRef::SharedString(s) => Value::Text(s.to_string()),
        DataRef::Bool(b) => Value::Text(if *b { "TRUE".into() } else { "FALSE".into() }),
        DataRef::DateTime(dt) => Value::Number(dt.as_f64()),
        DataRef::Error(_) | DataRef::Empty => Value::Empty,
    }
}

/// Reads every sheet of a workbook. Never panics: a reader panic becomes an error.
pub fn read_workbook(path: &Path) -> Result<Vec<Grid>, ReadError> {
    std::panic::catch_unwind(|| read_unguarded(path)).unwrap_or_else(|p| {
        let msg = p.downcast_ref::<String>().cloned().or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string())).unwrap_or_default();
        Err(ReadError::Crashed(msg))
    })
}

fn read_unguarded(path: &Path) -> Result<Vec<Grid>, ReadError> {
    let open = |e: calamine::Error| ReadError::Open(e.to_string());
    let mut wb = open_workbook_auto(path).map_err(open)?;
    let names = wb.sheet_names();
    let mut grids = Vec::with_capacity(names.len());
    for name in names {
        let mut grid = Grid { name: name.clone(), ..Grid::default() };
        match &mut wb {
            Sheets::Xlsx(x) => {
                let mut cells = x.worksheet_cells_reader(&name).map_err(|e| ReadError::Open(e.to_string()))?;
                while let Some(cell) = cells.next_cell().map_err(|e| ReadError::Open(e.to_string()))? {
                    let (r, c) = cell.get_position();
                    grid.set(r, c, from_data_ref(cell.get_value()));
                }
            }
            other => {
                let range = other.worksheet_range(&name).map_err(open)?;
                for (r, c, v) in range.used_cells() {
                    let (r0, c0) = range.start().unwrap_or((0, 0));
                    grid.set(r0 + r as u32, c0 + c as u32, from_data(v));
                }
            }
        }
        grids.push(grid);
    }
    Ok(grids)
}
