//! Problems found in the input, as the office reads them: where, what, what to do.
//!
//! A diagnostic never stops the run; it is collected, counted, printed and written
//! into the outputs. Errors make `cchc` exit with code 1, warnings do not.

use super::kind::Kind;
use super::sheet::{Cell, Source};
use serde::Serialize;
use serde_json::json;
use std::fmt::Display;

/// How serious a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The data is wrong or missing; the result may be wrong.
    Error,
    /// Worth a look; the result stands.
    Warning,
}

/// One problem, located as precisely as the input allows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The rule, serialised as its stable machine name, e.g. `total_mismatch`.
    #[serde(serialize_with = "kind_name")]
    pub kind: Kind,
    /// Path under the input folder, with `/` separators.
    pub file: String,
    /// Sheet name, when the problem is inside a sheet.
    pub sheet: Option<String>,
    /// The cell at fault, when one is (serialised as Excel names it, `E14`).
    pub cell: Option<Cell>,
    /// Unit concerned, when known.
    pub unit: Option<String>,
    /// Year of the input folder.
    pub year: Option<i32>,
    /// Vietnamese explanation with what to do.
    pub message: String,
    /// The unit's source the problem is in, when it is in one: what flags that unit's
    /// result. Not part of the JSON contract.
    #[serde(skip)]
    pub source: Option<Source>,
}

fn kind_name<S: serde::Serializer>(kind: &Kind, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(kind.name())
}

impl Diagnostic {
    /// A problem about a whole file: the kind gives the severity, its template the
    /// message filled with `args` (see [`Kind::message`]).
    pub fn new(kind: Kind, file: &str, year: Option<i32>, args: &[(&str, &dyn Display)]) -> Self {
        Diagnostic {
            severity: kind.severity(),
            kind,
            file: file.to_string(),
            sheet: None,
            cell: None,
            unit: None,
            year,
            message: kind.message(args),
            source: None,
        }
    }

    /// Ties the problem to the source (sheet or results-table row) it is in.
    pub fn about(mut self, source: Source) -> Self {
        self.source = Some(source);
        self
    }

    /// Locates the problem in a sheet.
    pub fn in_sheet(mut self, sheet: &str) -> Self {
        self.sheet = Some(sheet.to_string());
        self
    }

    /// Locates the problem in a cell.
    pub fn at(mut self, cell: Cell) -> Self {
        self.cell = Some(cell);
        self
    }

    /// Names the unit concerned.
    pub fn for_unit(mut self, unit: &str) -> Self {
        self.unit = Some(unit.to_string());
        self
    }

    /// One line for the terminal: "file › sheet › E14: message".
    pub fn one_line(&self) -> String {
        let mut place = self.file.clone();
        if let Some(s) = &self.sheet {
            place.push_str(" › ");
            place.push_str(s);
        }
        if let Some(c) = self.cell {
            place.push_str(" › ");
            place.push_str(&c.to_string());
        }
        let level = match self.severity {
            Severity::Error => "LỖI",
            Severity::Warning => "Cảnh báo",
        };
        format!("[{level}] {place}: {}", self.message)
    }
}

/// The JSON contract: `{"diagnostics": [{"severity", "kind", "file", "sheet", "cell",
/// "unit", "year", "message"}], "errors": N, "warnings": M}`.
pub fn to_json(diags: &[&Diagnostic]) -> serde_json::Value {
    let errors = diags.iter().filter(|d| d.severity == Severity::Error).count();
    json!({ "diagnostics": diags, "errors": errors, "warnings": diags.len() - errors })
}

/// Counts errors and warnings.
pub fn count(diags: &[Diagnostic]) -> (usize, usize) {
    let errors = diags.iter().filter(|d| d.severity == Severity::Error).count();
    (errors, diags.len() - errors)
}
