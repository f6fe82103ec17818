//! How much one input file may make cchc read, checked before the readers allocate.
//!
//! A real scoring sheet is well under 1 MB: a few hundred rows, a few thousand cells.
//! A hostile or broken file can be small on disk and huge once read (a zip that
//! inflates to gigabytes, one cell of 800 MB, a used range of billions of cells), and
//! one such file read in parallel with others would end the whole run. Each limit
//! below is far above any real sheet and low enough that every reading thread stays
//! within a few hundred MB; a file over one is refused by name (`file_too_large`),
//! and the run goes on.
//!
//! ```
//! use cchc::read::limits::Limits;
//! let limits = Limits::default();
//! assert_eq!(limits.cell_chars, 32_767); // Excel's own cap on one cell
//! ```

use crate::model::sheet::Cell;
use std::fmt;

/// The reading limits of one file. [`Limits::default`] is what every run uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Bytes on disk.
    pub file_bytes: u64,
    /// Bytes one part of a zip container (.xlsx, .ods) may inflate to, counted as it
    /// inflates: the sizes written in the zip are not trusted.
    pub part_bytes: u64,
    /// Bytes all the parts of a zip container may inflate to together (the readers
    /// parse every sheet: many parts each under `part_bytes` add up).
    pub unpacked_bytes: u64,
    /// Parts in a zip container.
    pub zip_entries: usize,
    /// Sheets in a workbook.
    pub sheets: usize,
    /// Cells a file may make the readers hold: the used ranges that the .xls and
    /// .ods readers allocate whole, and the cells cchc keeps.
    pub cells: u64,
    /// Characters in one cell: Excel's own cap.
    pub cell_chars: usize,
    /// Bytes of text all the cells of a file may hold together.
    pub text_bytes: u64,
}

const MIB: u64 = 1 << 20;

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            file_bytes: 32 * MIB,
            part_bytes: 32 * MIB,
            unpacked_bytes: 64 * MIB,
            zip_entries: 10_000,
            sheets: 1_000,
            cells: 1_000_000,
            cell_chars: 32_767,
            text_bytes: 32 * MIB,
        }
    }
}

/// DEFLATE inflates at most 1032 bytes from one compressed byte, so a part whose
/// compressed size times this is under the limit cannot exceed it, whatever its
/// header claims, and need not be inflated twice.
pub const DEFLATE_MAX_RATIO: u64 = 1032;

/// Which limit a file went over, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Limit {
    /// The file's size.
    FileBytes {
        /// Bytes found (at least).
        found: u64,
        /// The limit.
        limit: u64,
    },
    /// One part of the zip container inflates past the limit.
    PartBytes {
        /// The part, e.g. `xl/worksheets/sheet1.xml`.
        part: String,
        /// The limit.
        limit: u64,
    },
    /// The parts of the zip container together inflate past the limit.
    Unpacked {
        /// The limit.
        limit: u64,
    },
    /// Too many parts in the zip container.
    ZipEntries {
        /// Parts found.
        found: usize,
        /// The limit.
        limit: usize,
    },
    /// Too many sheets.
    Sheets {
        /// Sheets found.
        found: usize,
        /// The limit.
        limit: usize,
    },
    /// The cells held (used range or cells kept) past the limit.
    Cells {
        /// The limit.
        limit: u64,
    },
    /// One cell holds more characters than Excel allows.
    CellChars {
        /// Characters found.
        found: usize,
        /// The limit.
        limit: usize,
    },
    /// The text of all cells together past the limit.
    TextBytes {
        /// The limit.
        limit: u64,
    },
}

/// Sizes as officers read them: "32 MB".
fn size(bytes: u64) -> String {
    if bytes >= MIB { format!("{} MB", bytes.div_ceil(MIB)) } else { format!("{} KB", bytes.div_ceil(1024)) }
}

/// Counts as Vietnamese write them: "1.000.000".
fn count(n: impl Into<u64>) -> String {
    let digits = n.into().to_string();
    let mut out = String::new();
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(d);
    }
    out
}

impl fmt::Display for Limit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Limit::FileBytes { found, limit } => write!(f, "tệp dung lượng {} vượt giới hạn {}", size(*found), size(*limit)),
            Limit::PartBytes { part, limit } => {
                write!(f, "phần \"{part}\" của tệp nén giải nén ra hơn giới hạn {} (tệp nén bất thường)", size(*limit))
            }
            Limit::Unpacked { limit } => {
                write!(f, "các phần của tệp nén giải nén ra tổng cộng hơn giới hạn {} (tệp nén bất thường)", size(*limit))
            }
            Limit::ZipEntries { found, limit } => {
                write!(f, "tệp nén chứa {} phần, vượt giới hạn {}", count(*found as u64), count(*limit as u64))
            }
            Limit::Sheets { found, limit } => {
                write!(f, "sổ làm việc có {} trang tính, vượt giới hạn {}", count(*found as u64), count(*limit as u64))
            }
            Limit::Cells { limit } => write!(f, "vùng dữ liệu vượt giới hạn {} ô", count(*limit)),
            Limit::CellChars { found, limit } => {
                write!(f, "một ô chứa {} ký tự, vượt giới hạn {} ký tự của Excel", count(*found as u64), count(*limit as u64))
            }
            Limit::TextBytes { limit } => write!(f, "tổng văn bản trong các ô vượt giới hạn {}", size(*limit)),
        }
    }
}

/// What a file has used of its limits as its cells are read.
#[derive(Debug)]
pub(crate) struct Budget<'a> {
    limits: &'a Limits,
    cells: u64,
    text: u64,
}

impl<'a> Budget<'a> {
    pub(crate) fn new(limits: &'a Limits) -> Budget<'a> {
        Budget { limits, cells: 0, text: 0 }
    }

    /// Takes `n` cells (allocated, not only filled).
    pub(crate) fn cells(&mut self, n: u64) -> Result<(), Limit> {
        self.cells = self.cells.saturating_add(n);
        if self.cells > self.limits.cells { Err(Limit::Cells { limit: self.limits.cells }) } else { Ok(()) }
    }

    /// Takes one cell's text.
    pub(crate) fn text(&mut self, s: &str) -> Result<(), Limit> {
        self.text_repeated(s.len() as u64, || s.chars().count(), 1)
    }

    /// Takes the text of one cell held `times` times, `bytes` long; `chars` counts
    /// its characters (asked only when the bytes could be too many).
    pub(crate) fn text_repeated(&mut self, bytes: u64, chars: impl FnOnce() -> usize, times: u64) -> Result<(), Limit> {
        if bytes > self.limits.cell_chars as u64 {
            let found = chars();
            if found > self.limits.cell_chars {
                return Err(Limit::CellChars { found, limit: self.limits.cell_chars });
            }
        }
        self.text = self.text.saturating_add(bytes.saturating_mul(times));
        if self.text > self.limits.text_bytes { Err(Limit::TextBytes { limit: self.limits.text_bytes }) } else { Ok(()) }
    }
}

/// A limit passed, with the sheet and cell where the reader was, when known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverLimit {
    /// The limit.
    pub limit: Limit,
    /// The sheet being read.
    pub sheet: Option<String>,
    /// The cell being read.
    pub cell: Option<Cell>,
}

impl fmt::Display for OverLimit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.limit)?;
        match (&self.sheet, self.cell) {
            (Some(s), Some(c)) => write!(f, " (trang \"{s}\", ô {c})"),
            (Some(s), None) => write!(f, " (trang \"{s}\")"),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn budget_counts_cells_and_text_and_refuses_past_the_limit() {
        let limits = Limits { cells: 3, text_bytes: 10, cell_chars: 4, ..Limits::default() };
        let mut b = Budget::new(&limits);
        assert!(b.cells(3).is_ok());
        assert_eq!(b.cells(1), Err(Limit::Cells { limit: 3 }));
        let mut b = Budget::new(&limits);
        assert!(b.text("ăâđê").is_ok(), "four characters, eight bytes: characters count, not bytes");
        assert_eq!(b.text("abcde"), Err(Limit::CellChars { found: 5, limit: 4 }));
        assert_eq!(b.text("abc"), Err(Limit::TextBytes { limit: 10 }));
    }

    #[test]
    fn messages_name_the_limit_in_words() {
        let l = Limit::FileBytes { found: 200 * MIB, limit: 32 * MIB };
        assert_eq!(l.to_string(), "tệp dung lượng 200 MB vượt giới hạn 32 MB");
        assert_eq!(Limit::Cells { limit: 1_000_000 }.to_string(), "vùng dữ liệu vượt giới hạn 1.000.000 ô");
        assert_eq!(count(999u64), "999");
        let o = OverLimit {
            limit: Limit::CellChars { found: 40_000, limit: 32_767 },
            sheet: Some("Biểu".into()),
            cell: Some(Cell { row: 4, col: 2 }),
        };
        assert_eq!(o.to_string(), "một ô chứa 40.000 ký tự, vượt giới hạn 32.767 ký tự của Excel (trang \"Biểu\", ô C5)");
    }
}
