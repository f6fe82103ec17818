//! The data model of a scoring sheet as read: its rows, scores, columns and unit
//! name, before units are matched across files. Reading fills it; every later
//! stage reads it.

use super::code::Code;
use crate::text::{NumberError, Points, cell_ref};

/// Columns of a scoring sheet, 0-based.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnMap {
    /// Row of the (first) header line.
    pub header_row: usize,
    /// First row that may hold data.
    pub data_start: usize,
    /// Code column, when codes have their own column.
    pub code: Option<usize>,
    /// Name column.
    pub name: usize,
    /// Max column.
    pub max: usize,
    /// Self-assessed column.
    pub self_score: Option<usize>,
    /// Appraised column.
    pub appraised: usize,
    /// Evidence column.
    pub evidence: Option<usize>,
    /// Note columns, in sheet order.
    pub notes: Vec<usize>,
}

/// What a row of a scoring sheet is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowKind {
    /// A framework node (area, criterion, sub-criterion …).
    Criterion,
    /// Bonus points (Điểm thưởng, Điểm cộng), outside the max.
    Bonus,
    /// Penalty points (Điểm trừ, Điểm phạt), outside the max.
    Penalty,
    /// The stated total (Tổng cộng, Tổng điểm).
    Total,
}

impl RowKind {
    /// Machine name used in exports.
    pub fn as_str(self) -> &'static str {
        match self {
            RowKind::Criterion => "criterion",
            RowKind::Bonus => "bonus",
            RowKind::Penalty => "penalty",
            RowKind::Total => "total",
        }
    }
}

/// A score cell as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Score {
    /// Empty (or a formula without a cached value).
    Blank,
    /// A number, exact.
    Value(Points),
    /// "Không áp dụng", "KAD": the leaf leaves the unit's max.
    NotApplicable,
    /// Something that is not a number ("đạt", "x"), kept as typed.
    Invalid(String),
}

impl Score {
    /// Points counted: blanks and invalid cells count 0, not-applicable is `None`.
    pub fn counted(&self) -> Option<Points> {
        match self {
            Score::Value(p) => Some(*p),
            Score::NotApplicable => None,
            Score::Blank | Score::Invalid(_) => Some(Points::ZERO),
        }
    }

    /// The value when one was typed.
    pub fn value(&self) -> Option<Points> {
        match self {
            Score::Value(p) => Some(*p),
            _ => None,
        }
    }
}

/// One row of a scoring sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetRow {
    /// 0-based row in the sheet.
    pub row: u32,
    /// What the row is.
    pub kind: RowKind,
    /// The code ("1.1.3"), for criteria.
    pub code: Option<Code>,
    /// Name as written (NFC, single spaces).
    pub name: String,
    /// Max points as written on this sheet.
    pub max: Score,
    /// Self-assessed points.
    pub self_score: Score,
    /// Appraised points.
    pub appraised: Score,
    /// Note or cause written on the row.
    pub note: String,
    /// Whether the appraised cell is a formula (its cached value is not trusted).
    pub appraised_formula: bool,
}

/// Where the unit's name came from, in order of trust.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum NameSource {
    /// "ỦY BAN NHÂN DÂN XÃ …", "Đơn vị: UBND xã …".
    Title,
    /// The sheet's name.
    Sheet,
    /// The file's name.
    File,
}

/// The unit as a sheet names it, before matching across files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitName {
    /// Display form: prefixes removed, capitals title-cased ("Triệu Trạch").
    pub name: String,
    /// "xã", "phường", "thị trấn" when the text says so.
    pub kind: Option<&'static str>,
    /// Where it was read.
    pub source: NameSource,
}

/// One unit's scoring sheet, extracted.
#[derive(Debug, Clone)]
pub struct ScoreSheet {
    /// Path under the input folder.
    pub file: String,
    /// Sheet name.
    pub sheet: String,
    /// Year of the input folder.
    pub year: i32,
    /// Year written in the title, if any.
    pub title_year: Option<i32>,
    /// District named in the title, if any ("Triệu Phong").
    pub district: Option<String>,
    /// The unit, if it could be named.
    pub unit: Option<UnitName>,
    /// Columns found.
    pub columns: ColumnMap,
    /// Criterion, bonus, penalty and total rows, in sheet order.
    pub rows: Vec<SheetRow>,
    /// Cells that held more than two decimals or text that is not a number:
    /// (0-based row, column, problem).
    pub bad_numbers: Vec<(u32, usize, NumberError)>,
    /// For a row of a published results table (layout C): what it published. Such a
    /// "sheet" has no criteria, only its total.
    pub published: Option<Published>,
}

/// What a published results table says of a unit besides its total.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Published {
    /// Band as printed ("Tốt").
    pub band: Option<String>,
    /// Rank as printed.
    pub rank: Option<u32>,
}

impl ScoreSheet {
    /// Excel reference of a cell of a row in a given column.
    pub fn cell(&self, row: u32, col: usize) -> String {
        cell_ref(row, col as u32)
    }
}
