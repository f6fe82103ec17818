//! The cell model: what a sheet is once read, whatever the file format.

use crate::model::sheet::Cell;
use crate::read::limits::{Budget, OverLimit};
use foldhash::HashSet;

use super::{MAX_COLS, MAX_ROWS};

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

    /// Whether the cell holds points: a number, or a number typed as text ("19,5", "92%").
    pub fn is_number(&self) -> bool {
        match self {
            Value::Number(_) => true,
            Value::Text(t) => crate::model::points::parse_points_text(t).is_ok(),
            Value::Empty => false,
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
    pub stray: Option<Cell>,
    /// Cells holding a formula (.xlsx only): their cached value may be stale or 0
    /// when the file was written by a tool that does not calculate.
    pub formulas: HashSet<(u32, u32)>,
}

impl Grid {
    /// The value at (row, col), `Empty` outside the grid.
    pub fn get(&self, row: usize, col: usize) -> &Value {
        static EMPTY: Value = Value::Empty;
        self.rows.get(row).and_then(|r| r.get(col)).unwrap_or(&EMPTY)
    }

    /// A grid from rows of values.
    pub fn from_rows(name: &str, rows: Vec<Vec<Value>>) -> Grid {
        Grid { name: name.to_string(), rows, ..Grid::default() }
    }

    /// A grid of text cells ("" is empty), for the reading stage's unit tests.
    #[cfg(test)]
    pub(crate) fn of_text(rows: &[&[&str]]) -> Grid {
        let cell = |c: &&str| if c.is_empty() { Value::Empty } else { Value::Text(c.to_string()) };
        Grid::from_rows("s", rows.iter().map(|r| r.iter().map(cell).collect()).collect())
    }

    /// Whether the cell at (row, col) is a formula.
    pub fn is_formula(&self, row: usize, col: usize) -> bool {
        self.formulas.contains(&(row as u32, col as u32))
    }

    /// Whether no cell holds anything visible.
    pub fn is_blank(&self) -> bool {
        self.rows.iter().all(|r| r.iter().all(Value::is_blank))
    }

    /// Keeps a cell within the sheet limits, charging what it allocates to `budget`.
    pub(super) fn set(&mut self, row: u32, col: u32, v: Value, budget: &mut Budget) -> Result<(), OverLimit> {
        if v == Value::Empty {
            return Ok(());
        }
        if row >= MAX_ROWS || col >= MAX_COLS {
            if self.stray.is_none() {
                self.stray = Some(Cell { row, col });
            }
            return Ok(());
        }
        let over = |limit| OverLimit { limit, sheet: Some(self.name.clone()), cell: Some(Cell { row, col }) };
        if let Value::Text(t) = &v {
            budget.text(t).map_err(over)?;
        }
        let (r, c) = (row as usize, col as usize);
        if self.rows.len() <= r {
            budget.cells((r + 1 - self.rows.len()) as u64).map_err(over)?;
            self.rows.resize_with(r + 1, Vec::new);
        }
        let line = &mut self.rows[r];
        if line.len() <= c {
            budget.cells((c + 1 - line.len()) as u64).map_err(over)?;
            line.resize(c + 1, Value::Empty);
        }
        line[c] = v;
        Ok(())
    }
}
