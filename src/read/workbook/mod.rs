//! Stage 2: open a workbook and turn each sheet into a small grid of values.
//!
//! calamine allocates a sheet's whole used range, so one stray cell at XFD1048576
//! would ask for hundreds of gigabytes. For .xlsx we stream the cells and keep only
//! those inside [`MAX_ROWS`] × [`MAX_COLS`]; the far ones are reported, not loaded.
//! Every other reader allocates before cchc sees a cell, so each container is walked
//! first against the file's [`Limits`].

mod adapter;
mod biff;
mod container;
mod grid;

pub use grid::{Grid, Value, format_number};

use super::limits::{Limit, Limits, OverLimit};
use crate::model::sheet::Cell;
use calamine::{Sheets, open_workbook_auto_from_rs};
use std::path::Path;
use thiserror::Error;

/// Rows kept per sheet: a scoring sheet has a few hundred.
pub const MAX_ROWS: u32 = 20_000;
/// Columns kept per sheet.
pub const MAX_COLS: u32 = 256;

/// Why a workbook could not be read.
#[derive(Debug, Error)]
pub enum ReadError {
    /// The content is not a workbook whatever its extension says (text, HTML, image …).
    #[error("nội dung tệp không phải bảng tính Excel/ODS{}", if *html { " (là trang HTML/XML đặt đuôi bảng tính)" } else { "" })]
    NotWorkbook {
        /// The file is HTML or XML (web exports often are).
        html: bool,
    },
    /// The file ends before its structure does (interrupted copy or download).
    #[error("tệp bị cắt cụt (chép hoặc tải về chưa xong)")]
    Truncated,
    /// A sheet's used range is huge because of one far cell (.ods): not loaded.
    #[error("trang tính \"{sheet}\" có ô dữ liệu ở rất xa ({cell}) làm vùng dữ liệu quá lớn để đọc")]
    TooLarge {
        /// The sheet.
        sheet: String,
        /// The far cell, e.g. XFD1048576.
        cell: Cell,
    },
    /// The file is over one of its reading limits: refused before it is read.
    #[error("{0}")]
    OverLimit(OverLimit),
    /// The workbook is encrypted with a password.
    #[error("tệp được đặt mật khẩu")]
    Password,
    /// calamine refused the file: corrupt.
    #[error("tệp bị hỏng: {0}")]
    Corrupt(String),
    /// The reader itself failed unexpectedly on this file.
    #[error("lỗi đọc tệp không lường trước: {0}")]
    Crashed(String),
}

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const OLE_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Checks the file's bytes before any reader allocates for it.
fn sniff(bytes: &[u8]) -> Result<(), ReadError> {
    if bytes.starts_with(ZIP_MAGIC) {
        // A complete zip ends with its central directory record within the last 64 KiB.
        let tail = &bytes[bytes.len().saturating_sub(65_557)..];
        if !tail.windows(4).any(|w| w == b"PK\x05\x06") {
            return Err(ReadError::Truncated);
        }
        return Ok(());
    }
    if bytes.starts_with(OLE_MAGIC) {
        // Header and at least one sector; see `read_unguarded` for partial sectors.
        if bytes.len() < 1024 {
            return Err(ReadError::Truncated);
        }
        return Ok(());
    }
    if bytes.is_empty() || OLE_MAGIC.starts_with(&bytes[..bytes.len().min(8)]) || ZIP_MAGIC.starts_with(&bytes[..bytes.len().min(4)]) {
        return Err(ReadError::Truncated);
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(512)]).trim_start_matches('\u{feff}').trim_start().to_lowercase();
    Err(ReadError::NotWorkbook { html: head.starts_with('<') })
}

/// Reads every sheet of a workbook within `limits`. Never panics: a reader panic
/// becomes an error.
///
/// ```no_run
/// use cchc::read::{limits::Limits, workbook::read_workbook};
/// let grids = read_workbook(std::path::Path::new("2023/Triệu Ái.xlsx"), &Limits::default()).unwrap();
/// println!("{} sheets", grids.len());
/// ```
pub fn read_workbook(path: &Path, limits: &Limits) -> Result<Vec<Grid>, ReadError> {
    read_workbook_bytes(path, read_bytes(path, limits)?, limits)
}

/// The file's bytes, refused past `limits.file_bytes` without reading further (the
/// size on disk is not trusted: a device or a growing file says nothing true).
pub fn read_bytes(path: &Path, limits: &Limits) -> Result<Vec<u8>, ReadError> {
    use std::io::Read;
    let corrupt = |e: std::io::Error| ReadError::Corrupt(e.to_string());
    let file = std::fs::File::open(path).map_err(corrupt)?;
    let on_disk = file.metadata().map(|m| m.len()).unwrap_or(0);
    let too_large = |found: u64| {
        ReadError::OverLimit(OverLimit { limit: Limit::FileBytes { found, limit: limits.file_bytes }, sheet: None, cell: None })
    };
    if on_disk > limits.file_bytes {
        return Err(too_large(on_disk));
    }
    let mut bytes = Vec::with_capacity(on_disk as usize);
    file.take(limits.file_bytes + 1).read_to_end(&mut bytes).map_err(corrupt)?;
    if bytes.len() as u64 > limits.file_bytes {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

/// Reads a workbook already in memory (the caller checksums the same bytes); `path`
/// names it and its extension picks the reader, as in [`read_workbook`].
pub fn read_workbook_bytes(path: &Path, bytes: Vec<u8>, limits: &Limits) -> Result<Vec<Grid>, ReadError> {
    std::panic::catch_unwind(|| read_unguarded(path, bytes, limits))
        .unwrap_or_else(|p| Err(ReadError::Crashed(crate::crash::payload_text(p.as_ref()))))
}

fn by_ext_is(path: &Path, ext: &str) -> bool {
    path.extension().is_some_and(|e| e.eq_ignore_ascii_case(ext))
}

/// A limit passed, as the error the readers report.
fn over(limit: Limit, sheet: Option<&str>, cell: Option<Cell>) -> ReadError {
    ReadError::OverLimit(OverLimit { limit, sheet: sheet.map(str::to_string), cell })
}

/// [`read_workbook_bytes`] without the panic guard: checks, then calamine.
fn read_unguarded(path: &Path, bytes: Vec<u8>, limits: &Limits) -> Result<Vec<Grid>, ReadError> {
    if bytes.len() as u64 > limits.file_bytes {
        return Err(over(Limit::FileBytes { found: bytes.len() as u64, limit: limits.file_bytes }, None, None));
    }
    sniff(&bytes)?;
    // The content decides the reader: an .xls saved under .xlsx is still read.
    // A container the zip reader refuses is left to calamine to name as corrupt.
    if bytes.starts_with(ZIP_MAGIC)
        && let Ok(mut zip) = zip::ZipArchive::new(std::io::Cursor::new(&bytes[..]))
    {
        container::zip_check(&mut zip, limits)?;
        if by_ext_is(path, "ods") {
            container::ods_check(&mut zip, limits)?;
        }
    }
    if bytes.starts_with(OLE_MAGIC) {
        biff::xls_check(&bytes, limits)?;
    }
    // Compound files are whole 512-byte sectors: a partial one that calamine then
    // refuses means the copy was cut short.
    let partial_sector = bytes.starts_with(OLE_MAGIC) && !bytes.len().is_multiple_of(512);
    // calamine's compound-file reader reads a partial last sector as whole 4-byte
    // words and panics on a length that is not a multiple of 4 (found by `make
    // fuzz-deep`): zeros up to the next word, so it reads on and fails as it should.
    let mut bytes = bytes;
    if partial_sector {
        bytes.resize(bytes.len().next_multiple_of(4), 0);
    }
    let by_ext = path.extension().map(|e| e.to_string_lossy().to_lowercase()).unwrap_or_default();
    let cursor = std::io::Cursor::new(bytes);
    let wb = match by_ext.as_str() {
        "ods" => calamine::open_workbook_from_rs::<calamine::Ods<_>, _>(cursor.clone()).map(Sheets::Ods).map_err(calamine::Error::Ods),
        "xlsb" => calamine::open_workbook_from_rs::<calamine::Xlsb<_>, _>(cursor.clone()).map(Sheets::Xlsb).map_err(calamine::Error::Xlsb),
        "xls" => calamine::open_workbook_from_rs::<calamine::Xls<_>, _>(cursor.clone()).map(Sheets::Xls).map_err(calamine::Error::Xls),
        _ => calamine::open_workbook_from_rs::<calamine::Xlsx<_>, _>(cursor.clone()).map(Sheets::Xlsx).map_err(calamine::Error::Xlsx),
    };
    let mut wb = match wb {
        Ok(wb) => wb,
        Err(e) => match adapter::open_error(e) {
            ReadError::Password => return Err(ReadError::Password),
            _ if partial_sector => return Err(ReadError::Truncated),
            first => open_workbook_auto_from_rs(cursor).map_err(|_| first)?,
        },
    };
    adapter::grids(&mut wb, limits)
}
