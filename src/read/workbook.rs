//! Stage 2: open a workbook and turn each sheet into a small grid of values.
//!
//! calamine allocates a sheet's whole used range, so one stray cell at XFD1048576
//! would ask for hundreds of gigabytes. For .xlsx we stream the cells and keep only
//! those inside [`MAX_ROWS`] × [`MAX_COLS`]; the far ones are reported, not loaded.
//! Every other reader allocates before cchc sees a cell, so each container is walked
//! first against the file's [`Limits`].

use super::limits::{Budget, DEFLATE_MAX_RATIO, Limit, Limits, OverLimit};
use crate::model::sheet::Cell;
use calamine::{Data, DataRef, Reader, Sheets, open_workbook_auto_from_rs};
use std::collections::HashSet;
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
    fn set(&mut self, row: u32, col: u32, v: Value, budget: &mut Budget) -> Result<(), OverLimit> {
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
        DataRef::SharedString(s) => Value::Text(s.to_string()),
        DataRef::Int(i) => Value::Number(*i as f64),
        DataRef::Float(f) => Value::Number(*f),
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => Value::Text(s.clone()),
        DataRef::Bool(b) => Value::Text(if *b { "TRUE".into() } else { "FALSE".into() }),
        DataRef::DateTime(dt) => Value::Number(dt.as_f64()),
        DataRef::Error(_) | DataRef::Empty => Value::Empty,
    }
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

fn open_error(e: calamine::Error) -> ReadError {
    use calamine::{OdsError, XlsError, XlsxError};
    match e {
        calamine::Error::Xls(XlsError::Password)
        | calamine::Error::Xlsx(XlsxError::Password)
        | calamine::Error::Ods(OdsError::Password) => ReadError::Password,
        other => ReadError::Corrupt(other.to_string()),
    }
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

/// A zip container read from the file's bytes, for the pre-checks.
type Zip<'a> = zip::ZipArchive<std::io::Cursor<&'a [u8]>>;

fn over(limit: Limit, sheet: Option<&str>, cell: Option<Cell>) -> ReadError {
    ReadError::OverLimit(OverLimit { limit, sheet: sheet.map(str::to_string), cell })
}

/// The readers inflate each part of a zip container whole and parse every sheet:
/// check how many parts there are and what they really inflate to, each and together,
/// before they do. DEFLATE's ratio ([`DEFLATE_MAX_RATIO`]) bounds what a part can
/// inflate to from its compressed size; only where those bounds pass a limit are the
/// parts inflated here (counted, not kept), so real files, a few KB compressed, cost
/// nothing extra.
fn zip_check(zip: &mut Zip<'_>, limits: &Limits) -> Result<(), ReadError> {
    if zip.len() > limits.zip_entries {
        return Err(over(Limit::ZipEntries { found: zip.len(), limit: limits.zip_entries }, None, None));
    }
    let parts: Vec<(String, u64, u64)> = (0..zip.len())
        .map(|i| match zip.by_index_raw(i) {
            Ok(f) => (f.name().map(|n| n.into_owned()).unwrap_or_default(), f.size(), f.compressed_size()),
            Err(_) => (String::new(), 0, 0),
        })
        .collect();
    let part_over = |part: &str| over(Limit::PartBytes { part: part.to_string(), limit: limits.part_bytes }, None, None);
    let unpacked_over = || over(Limit::Unpacked { limit: limits.unpacked_bytes }, None, None);
    if let Some((part, ..)) = parts.iter().find(|(_, declared, _)| *declared > limits.part_bytes) {
        return Err(part_over(part));
    }
    if parts.iter().map(|(_, declared, _)| *declared).fold(0u64, u64::saturating_add) > limits.unpacked_bytes {
        return Err(unpacked_over());
    }
    let bound = |compressed: u64| compressed.saturating_mul(DEFLATE_MAX_RATIO);
    let all = parts.iter().map(|(_, _, c)| bound(*c)).fold(0u64, u64::saturating_add) > limits.unpacked_bytes;
    let mut total = 0u64;
    for (i, (part, _, compressed)) in parts.iter().enumerate() {
        if !all && bound(*compressed) <= limits.part_bytes {
            continue;
        }
        let Ok(f) = zip.by_index(i) else { continue };
        use std::io::Read;
        // The zip reader stops where the part's header says it ends: a part that
        // inflates past that is broken (or lying), and named as such.
        match std::io::copy(&mut f.take(limits.part_bytes + 1), &mut std::io::sink()) {
            Ok(inflated) if inflated > limits.part_bytes => return Err(part_over(part)),
            Ok(inflated) => total += inflated,
            Err(e) => return Err(ReadError::Corrupt(format!("phần \"{part}\" của tệp nén: {e}"))),
        }
        if total > limits.unpacked_bytes {
            return Err(unpacked_over());
        }
    }
    Ok(())
}

/// calamine builds every .ods sheet as one dense block at open: one cell at
/// XFD1048576 would ask for billions of cells, a repeated cell is copied as often
/// as it repeats; and it loops forever on a table that never closes. Stream
/// content.xml first: refuse a far cell by sheet and cell, a used range or text past
/// the limits, and broken XML as corrupt.
fn ods_check(zip: &mut Zip<'_>, limits: &Limits) -> Result<(), ReadError> {
    use quick_xml::events::{BytesStart, Event};
    let Ok(content) = zip.by_name("content.xml") else { return Ok(()) };
    let mut reader = quick_xml::Reader::from_reader(std::io::BufReader::new(content));
    let mut buf = Vec::new();
    let attr = |e: &BytesStart, name: &str| -> Option<String> {
        e.attributes().flatten().find(|a| a.key.as_ref() == name).map(|a| a.value.to_string())
    };
    let repeat = |e: &BytesStart, name: &str| -> u64 { attr(e, name).and_then(|v| v.parse().ok()).unwrap_or(1) };
    let mut budget = Budget::new(limits);
    let (mut sheet, mut sheets, mut row, mut col) = (String::new(), 0usize, 0u64, 0u64);
    // The current row's and cell's repeats, the cell's text, and the sheet's extent.
    let (mut row_repeat, mut cell_repeat, mut cell_text, mut in_cell) = (1u64, 1u64, String::new(), false);
    let (mut last_row, mut last_col) = (0u64, 0u64);
    let mut open_tables = 0i64;
    let broken = |what: &str| ReadError::Corrupt(format!("content.xml {what}"));
    let at =
        |row: u64, col: u64| Cell { row: (row.max(1) - 1).min(u32::MAX as u64) as u32, col: (col.max(1) - 1).min(u32::MAX as u64) as u32 };
    let close_sheet = |budget: &mut Budget, sheet: &str, last_row: u64, last_col: u64| {
        budget.cells(last_row.saturating_mul(last_col)).map_err(|l| over(l, Some(sheet), None))
    };
    loop {
        let event = match reader.read_event_into(&mut buf) {
            Ok(e) => e,
            Err(e) => return Err(broken(&e.to_string())),
        };
        let is_start = matches!(event, Event::Start(_));
        match event {
            Event::End(e) if e.name().as_ref() == "table:table" => {
                open_tables -= 1;
                close_sheet(&mut budget, &sheet, last_row, last_col)?;
            }
            Event::End(e) if matches!(e.name().as_ref(), "table:table-cell" | "table:covered-table-cell") => {
                in_cell = false;
                let chars = || cell_text.chars().count();
                budget
                    .text_repeated(cell_text.len() as u64, chars, cell_repeat.saturating_mul(row_repeat))
                    .map_err(|l| over(l, Some(&sheet), Some(at(row, col))))?;
            }
            Event::Text(t) if in_cell => cell_text.push_str(t.as_ref()),
            Event::Start(e) | Event::Empty(e) => match e.name().as_ref() {
                "table:table" => {
                    open_tables += 1;
                    sheets += 1;
                    if sheets > limits.sheets {
                        return Err(over(Limit::Sheets { found: sheets, limit: limits.sheets }, None, None));
                    }
                    sheet = attr(&e, "table:name").unwrap_or_default();
                    (row, last_row, last_col) = (0, 0, 0);
                }
                "table:table-row" => {
                    row_repeat = repeat(&e, "table:number-rows-repeated");
                    col = 0;
                    row = row.saturating_add(row_repeat);
                }
                "table:table-cell" | "table:covered-table-cell" => {
                    cell_repeat = repeat(&e, "table:number-columns-repeated");
                    col = col.saturating_add(cell_repeat);
                    let filled = attr(&e, "office:value-type").is_some() || attr(&e, "table:formula").is_some();
                    if filled {
                        if row > MAX_ROWS as u64 || col > MAX_COLS as u64 {
                            return Err(ReadError::TooLarge { sheet, cell: at(row, col) });
                        }
                        (last_row, last_col) = (last_row.max(row), last_col.max(col));
                    }
                    cell_text.clear();
                    in_cell = is_start;
                }
                _ => {}
            },
            Event::Eof if open_tables == 0 => return Ok(()),
            Event::Eof => return Err(broken("kết thúc giữa chừng (bảng chưa đóng)")),
            _ => {}
        }
        buf.clear();
    }
}

/// calamine follows an .xls file's sector chains without a step limit (a looping
/// chain allocates until the process aborts), decodes every sheet at open, reserves
/// the rows × columns each sheet's DIMENSIONS claims and copies a shared string
/// into every cell that uses it. Walk the container with the `cfb` crate, which
/// checks its chains, then the BIFF records against the limits, before calamine
/// sees the file.
fn xls_check(bytes: &[u8], limits: &Limits) -> Result<(), ReadError> {
    use std::io::Read;
    let corrupt = |e: std::io::Error| ReadError::Corrupt(e.to_string());
    let mut cf = cfb::CompoundFile::open(std::io::Cursor::new(bytes)).map_err(corrupt)?;
    if cf.exists("/EncryptedPackage") {
        return Err(ReadError::Password);
    }
    // calamine finds its stream by its own reading of the directory: where this one
    // finds none, the directory is broken, and nothing calamine would read is checked
    // (found by `make fuzz-deep`), so the file is refused.
    let name = ["/Workbook", "/Book"].into_iter().find(|n| cf.is_stream(n));
    let Some(name) = name else { return Err(ReadError::Corrupt("không có luồng dữ liệu Workbook".into())) };
    let mut stream = Vec::new();
    cf.open_stream(name).map_err(corrupt)?.take(limits.file_bytes + 1).read_to_end(&mut stream).map_err(corrupt)?;
    biff_check(&stream, limits)
}

fn u16_at(b: &[u8], i: usize) -> Option<u16> {
    b.get(i..i + 2).map(|x| u16::from_le_bytes([x[0], x[1]]))
}

fn u32_at(b: &[u8], i: usize) -> Option<u32> {
    b.get(i..i + 4).map(|x| u32::from_le_bytes([x[0], x[1], x[2], x[3]]))
}

/// The BIFF record stream as (record type, body, offset).
fn biff_records(stream: &[u8]) -> impl Iterator<Item = (u16, &[u8], usize)> {
    let mut pos = 0;
    std::iter::from_fn(move || {
        let (kind, len) = (u16_at(stream, pos)?, u16_at(stream, pos + 2)?);
        let body = stream.get(pos + 4..pos + 4 + len as usize).unwrap_or(&[]);
        let at = pos;
        pos += 4 + len as usize;
        Some((kind, body, at))
    })
}

/// The character count of each string of the shared string table (SST), whose
/// strings run on across CONTINUE records ([MS-XLS] 2.4.265, 2.5.293); `None` when a
/// string's run or extension count is cut off, which calamine reads unchecked (found
/// by `make fuzz-deep`).
fn sst_lengths(parts: &[&[u8]]) -> Option<Vec<u32>> {
    let mut out = Vec::new();
    let (mut part, mut at) = (0usize, 8usize);
    loop {
        while part < parts.len() && at >= parts[part].len() {
            (part, at) = (part + 1, 0);
        }
        let Some(p) = parts.get(part) else { break };
        let (Some(cch), Some(&flags)) = (u16_at(p, at), p.get(at + 2)) else { break };
        at += 3;
        let mut extra = 0u64;
        if flags & 0x8 != 0 {
            extra += 4 * u16_at(p, at)? as u64;
            at += 2;
        }
        if flags & 0x4 != 0 {
            extra += u32_at(p, at)? as u64;
            at += 4;
        }
        let (mut width, mut left) = (if flags & 1 != 0 { 2 } else { 1 }, cch as usize);
        while left > 0 {
            if at >= parts[part].len() {
                part += 1;
                // A string continued in the next record starts with its own width flag.
                // A string claiming more characters than the table holds: calamine
                // reserves what it claims (found by `make fuzz-deep`: 6,000 such
                // strings asked for gigabytes).
                let &f = parts.get(part).and_then(|p| p.first())?;
                (width, at) = (if f & 1 != 0 { 2 } else { 1 }, 1);
            }
            let take = ((parts[part].len().saturating_sub(at)) / width).min(left).max(1);
            at += take * width;
            left = left.saturating_sub(take);
        }
        while extra > 0 && part < parts.len() {
            let step = (parts[part].len().saturating_sub(at) as u64).min(extra);
            (at, extra) = (at + step as usize, extra - step);
            if extra > 0 {
                (part, at) = (part + 1, 0);
            }
        }
        out.push(cch as u32);
    }
    Some(out)
}

/// Refuses what calamine would read unchecked or allocate past the file's limits:
/// the workbook globals (sheets, shared strings, short records), then each sheet
/// from the offset its BOUNDSHEET record gives, as calamine reads it (a sheet that
/// starts inside another record is read as calamine reads it, not as a linear walk
/// of the stream would see it).
fn biff_check(stream: &[u8], limits: &Limits) -> Result<(), ReadError> {
    let BiffGlobals { sheets, sst } = biff_globals(stream, limits)?;
    let mut budget = Budget::new(limits);
    for (offset, name) in &sheets {
        let sheet = stream.get(*offset..).ok_or_else(|| ReadError::Corrupt(format!("BOUNDSHEET \"{name}\"")))?;
        biff_sheet(sheet, name, &sst, &mut budget)?;
    }
    Ok(())
}

/// What the globals substream says of the sheets: each sheet's stream offset and
/// name, and the character count of each shared string.
struct BiffGlobals {
    sheets: Vec<(usize, String)>,
    sst: Vec<u32>,
}

/// The globals substream, up to its EOF, with the records calamine reads without a
/// length check refused.
fn biff_globals(stream: &[u8], limits: &Limits) -> Result<BiffGlobals, ReadError> {
    let mut sheets: Vec<(usize, String)> = Vec::new();
    let mut sst: Vec<u32> = Vec::new();
    let mut records = biff_records(stream).peekable();
    while let Some((kind, body, _)) = records.next() {
        if kind == 0x000A {
            break;
        }
        // BOUNDSHEET8: stream offset of each sheet's BOF, and its name.
        if kind == 0x0085 && body.len() >= 8 {
            let offset = u32_at(body, 0).unwrap_or(0) as usize;
            let (cch, wide) = (body[6] as usize, body[7] & 1 == 1);
            let text = &body[8..];
            let name = if wide {
                let units: Vec<u16> = text.chunks_exact(2).take(cch).map(|c| u16::from_le_bytes([c[0], c[1]])).collect();
                String::from_utf16_lossy(&units)
            } else {
                text.iter().take(cch).map(|&b| b as char).collect()
            };
            sheets.push((offset, name));
            if sheets.len() > limits.sheets {
                return Err(over(Limit::Sheets { found: sheets.len(), limit: limits.sheets }, None, None));
            }
        }
        // Records calamine reads without a length check (found by `make fuzz-deep`):
        // FILEPASS, DATEMODE, EXTERNSHEET and CODEPAGE start with a 16-bit value; NAME
        // has 14 bytes of header and its formula's length, which the record must hold.
        const SHORTEST: [(u16, usize, &str); 5] =
            [(0x002F, 2, "FILEPASS"), (0x0022, 2, "DATEMODE"), (0x0017, 2, "EXTERNSHEET"), (0x0042, 2, "CODEPAGE"), (0x0018, 14, "NAME")];
        if let Some((_, _, name)) = SHORTEST.iter().find(|(k, min, _)| *k == kind && body.len() < *min) {
            return Err(ReadError::Corrupt((*name).into()));
        }
        if kind == 0x0018 && u16_at(body, 4).unwrap_or(0) as usize > body.len() {
            return Err(ReadError::Corrupt("NAME".into()));
        }
        if kind == 0x00FC {
            let mut parts = vec![body];
            while let Some((_, next, _)) = records.next_if(|(k, _, _)| *k == 0x003C) {
                parts.push(next);
            }
            sst = sst_lengths(&parts).ok_or_else(|| ReadError::Corrupt("SST".into()))?;
        }
    }
    Ok(BiffGlobals { sheets, sst })
}

/// One sheet's substream, up to its EOF (records of embedded charts skipped, as
/// calamine skips them): cells beyond the sheet limits are refused by sheet and
/// cell; DIMENSIONS' reservation, the cells, their dense range and the shared
/// strings copied into them are charged to the file's budget.
fn biff_sheet(stream: &[u8], sheet: &str, sst: &[u32], budget: &mut Budget) -> Result<(), ReadError> {
    const CELLS: [u16; 10] = [0x00FD, 0x0204, 0x0203, 0x027E, 0x0201, 0x0006, 0x0205, 0x00D6, 0x00BD, 0x00BE];
    let (mut last_row, mut last_col, mut depth, mut seen_bof) = (0u64, 0u64, 0usize, false);
    let at = |l, cell| over(l, Some(sheet), cell);
    for (kind, body, _) in biff_records(stream) {
        match kind {
            0x0809 if seen_bof => depth += 1,
            0x0809 => seen_bof = true,
            0x000A if depth > 0 => depth -= 1,
            0x000A => break,
            _ => {}
        }
        if depth > 0 {
            continue;
        }
        // DIMENSIONS: calamine reserves rows × columns from it.
        if kind == 0x0200 && body.len() >= 10 {
            let (first_row, last, first_col, end_col) = if body.len() >= 14 {
                (
                    u32_at(body, 0).unwrap_or(0),
                    u32_at(body, 4).unwrap_or(0),
                    u16_at(body, 8).unwrap_or(0) as u32,
                    u16_at(body, 10).unwrap_or(0) as u32,
                )
            } else {
                (
                    u16_at(body, 0).unwrap_or(0) as u32,
                    u16_at(body, 2).unwrap_or(0) as u32,
                    u16_at(body, 4).unwrap_or(0) as u32,
                    u16_at(body, 6).unwrap_or(0) as u32,
                )
            };
            if last < first_row || end_col < first_col {
                return Err(ReadError::Corrupt("DIMENSIONS".into()));
            }
            if last > MAX_ROWS || end_col > MAX_COLS {
                let cell = Cell { row: last.saturating_sub(1), col: end_col.saturating_sub(1) };
                return Err(ReadError::TooLarge { sheet: sheet.to_string(), cell });
            }
            let area = (last - first_row + 1) as u64 * (end_col - first_col + 1) as u64;
            budget.cells(area).map_err(|l| at(l, None))?;
        }
        if CELLS.contains(&kind) && body.len() >= 4 {
            let row = u16_at(body, 0).unwrap_or(0) as u32;
            // MULRK/MULBLANK end with their last column.
            let multi = matches!(kind, 0x00BD | 0x00BE);
            let col = if multi { u16_at(body, body.len() - 2).unwrap_or(0) } else { u16_at(body, 2).unwrap_or(0) } as u32;
            let cell = Cell { row, col };
            if col > 255 || row >= MAX_ROWS || col >= MAX_COLS {
                return Err(ReadError::TooLarge { sheet: sheet.to_string(), cell });
            }
            (last_row, last_col) = (last_row.max(row as u64 + 1), last_col.max(col as u64 + 1));
            let cells = if multi { (body.len().saturating_sub(6) / 6).max(1) as u64 } else { 1 };
            budget.cells(cells).map_err(|l| at(l, Some(cell)))?;
            // LABELSST: calamine copies the shared string into the cell.
            if kind == 0x00FD
                && let Some(&chars) = u32_at(body, 6).and_then(|i| sst.get(i as usize))
            {
                budget.text_repeated(3 * chars as u64, || chars as usize, 1).map_err(|l| at(l, Some(cell)))?;
            }
        }
    }
    // calamine holds the sheet's cells as one dense range.
    budget.cells(last_row.saturating_mul(last_col)).map_err(|l| at(l, None))
}

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
        zip_check(&mut zip, limits)?;
        if by_ext_is(path, "ods") {
            ods_check(&mut zip, limits)?;
        }
    }
    if bytes.starts_with(OLE_MAGIC) {
        xls_check(&bytes, limits)?;
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
        Err(e) => match open_error(e) {
            ReadError::Password => return Err(ReadError::Password),
            _ if partial_sector => return Err(ReadError::Truncated),
            first => open_workbook_auto_from_rs(cursor).map_err(|_| first)?,
        },
    };
    let names = wb.sheet_names();
    if names.len() > limits.sheets {
        return Err(over(Limit::Sheets { found: names.len(), limit: limits.sheets }, None, None));
    }
    let mut budget = Budget::new(limits);
    let mut grids = Vec::with_capacity(names.len());
    for name in names {
        let mut grid = Grid { name: name.clone(), ..Grid::default() };
        match &mut wb {
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

#[cfg(test)]
mod tests {
    use super::*;
    use cchc_sample::xls::{XlsSheet, XlsValue, write_xls};

    /// The workbook stream of an .xls written with these cell texts.
    fn stream_of(texts: &[String]) -> Vec<u8> {
        use std::io::Read;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.xls");
        let rows = texts.iter().map(|t| vec![XlsValue::Text(t.clone())]).collect();
        write_xls(&path, &[XlsSheet { name: "s".into(), rows, merges: Vec::new() }]).unwrap();
        let mut cf = cfb::open(&path).unwrap();
        let mut stream = Vec::new();
        cf.open_stream("/Workbook").unwrap().read_to_end(&mut stream).unwrap();
        stream
    }

    #[test]
    fn sst_lengths_follow_strings_across_continue_records() {
        // Narrow and wide strings, and strings long enough to run on into CONTINUE
        // records (8,224 bytes each), where the width flag is written again.
        let texts: Vec<String> = vec![
            "Tiêu chí".into(),
            "abc".into(),
            "x".repeat(9_000),
            "Ơ".repeat(12_000),
            "Điểm".into(),
            "y".repeat(20_000),
            String::from("z"),
        ];
        let stream = stream_of(&texts);
        let mut records = biff_records(&stream).peekable();
        let mut parts = Vec::new();
        while let Some((kind, body, _)) = records.next() {
            if kind == 0x00FC {
                parts.push(body);
                while let Some((_, next, _)) = records.next_if(|(k, _, _)| *k == 0x003C) {
                    parts.push(next);
                }
            }
        }
        assert!(parts.len() > 3, "the fixture spans CONTINUE records");
        let want: Vec<u32> = texts.iter().map(|t| t.encode_utf16().count() as u32).collect();
        assert_eq!(sst_lengths(&parts), Some(want));
    }

    #[test]
    fn a_cell_of_excels_maximum_is_read_and_one_more_is_refused() {
        let limits = Limits::default();
        let stream = stream_of(&["a".repeat(32_767)]);
        assert!(biff_check(&stream, &limits).is_ok());
        let stream = stream_of(&["a".repeat(32_767), "b".repeat(32_767)]);
        let tight = Limits { cell_chars: 32_766, ..Limits::default() };
        let Err(ReadError::OverLimit(o)) = biff_check(&stream, &tight) else { panic!("not refused") };
        assert_eq!(o.limit, Limit::CellChars { found: 32_767, limit: 32_766 });
        assert_eq!(o.cell, Some(Cell { row: 0, col: 0 }));
    }
}
