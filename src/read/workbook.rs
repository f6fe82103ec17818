//! Stage 2: open a workbook and turn each sheet into a small grid of values.
//!
//! calamine allocates a sheet's whole used range, so one stray cell at XFD1048576
//! would ask for hundreds of gigabytes. For .xlsx we stream the cells and keep only
//! those inside [`MAX_ROWS`] × [`MAX_COLS`]; the far ones are reported, not loaded.

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

    fn set(&mut self, row: u32, col: u32, v: Value) {
        if v == Value::Empty {
            return;
        }
        if row >= MAX_ROWS || col >= MAX_COLS {
            if self.stray.is_none() {
                self.stray = Some(Cell { row, col });
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

/// Reads every sheet of a workbook. Never panics: a reader panic becomes an error.
pub fn read_workbook(path: &Path) -> Result<Vec<Grid>, ReadError> {
    let bytes = std::fs::read(path).map_err(|e| ReadError::Corrupt(e.to_string()))?;
    read_workbook_bytes(path, bytes)
}

/// Reads a workbook already in memory (the caller checksums the same bytes); `path`
/// names it and its extension picks the reader, as in [`read_workbook`].
pub fn read_workbook_bytes(path: &Path, bytes: Vec<u8>) -> Result<Vec<Grid>, ReadError> {
    std::panic::catch_unwind(|| read_unguarded(path, bytes)).unwrap_or_else(|p| Err(ReadError::Crashed(panic_message(p.as_ref()))))
}

fn by_ext_is(path: &Path, ext: &str) -> bool {
    path.extension().is_some_and(|e| e.eq_ignore_ascii_case(ext))
}

/// calamine builds an .ods sheet as one dense block: one cell at XFD1048576 would ask
/// for billions of cells; and it loops forever on a table that never closes. Stream
/// content.xml first: refuse a far cell by sheet and cell, and broken XML as corrupt.
fn ods_check(bytes: &[u8]) -> Result<(), ReadError> {
    use quick_xml::events::{BytesStart, Event};
    let Ok(mut zip) = zip::ZipArchive::new(std::io::Cursor::new(bytes)) else { return Ok(()) };
    let Ok(content) = zip.by_name("content.xml") else { return Ok(()) };
    let mut reader = quick_xml::Reader::from_reader(std::io::BufReader::new(content));
    let mut buf = Vec::new();
    let attr = |e: &BytesStart, name: &str| -> Option<String> {
        e.attributes().flatten().find(|a| a.key.as_ref() == name).map(|a| a.value.to_string())
    };
    let (mut sheet, mut row, mut col) = (String::new(), 0u64, 0u64);
    let mut open_tables = 0i64;
    let broken = |what: &str| ReadError::Corrupt(format!("content.xml {what}"));
    loop {
        let event = match reader.read_event_into(&mut buf) {
            Ok(e) => e,
            Err(e) => return Err(broken(&e.to_string())),
        };
        match event {
            Event::End(e) if e.name().as_ref() == "table:table" => open_tables -= 1,
            Event::Start(e) | Event::Empty(e) => match e.name().as_ref() {
                "table:table" => {
                    open_tables += 1;
                    sheet = attr(&e, "table:name").unwrap_or_default();
                    row = 0;
                }
                "table:table-row" => {
                    let repeat: u64 = attr(&e, "table:number-rows-repeated").and_then(|v| v.parse().ok()).unwrap_or(1);
                    col = 0;
                    row += repeat;
                }
                "table:table-cell" | "table:covered-table-cell" => {
                    let repeat: u64 = attr(&e, "table:number-columns-repeated").and_then(|v| v.parse().ok()).unwrap_or(1);
                    col += repeat;
                    let filled = attr(&e, "office:value-type").is_some() || attr(&e, "table:formula").is_some();
                    if filled && (row > MAX_ROWS as u64 || col > MAX_COLS as u64) {
                        let (r, c) = ((row - 1).min(u32::MAX as u64) as u32, (col - 1).min(u32::MAX as u64) as u32);
                        return Err(ReadError::TooLarge { sheet, cell: Cell { row: r, col: c } });
                    }
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
/// chain allocates until the process aborts) and allocates rows × columns of the
/// furthest cell record. Walk the container with the `cfb` crate, which checks its
/// chains, then the BIFF cell records, before calamine sees the file.
fn xls_check(bytes: &[u8]) -> Result<(), ReadError> {
    use std::io::Read;
    let corrupt = |e: std::io::Error| ReadError::Corrupt(e.to_string());
    let mut cf = cfb::CompoundFile::open(std::io::Cursor::new(bytes)).map_err(corrupt)?;
    if cf.exists("/EncryptedPackage") {
        return Err(ReadError::Password);
    }
    let name = ["/Workbook", "/Book"].into_iter().find(|n| cf.is_stream(n));
    let Some(name) = name else { return Ok(()) };
    let mut stream = Vec::new();
    cf.open_stream(name).map_err(corrupt)?.read_to_end(&mut stream).map_err(corrupt)?;
    biff_extent_check(&stream)
}

fn u16_at(b: &[u8], i: usize) -> Option<u16> {
    b.get(i..i + 2).map(|x| u16::from_le_bytes([x[0], x[1]]))
}

/// Refuses cell records beyond the sheet limits, naming the sheet and cell.
fn biff_extent_check(stream: &[u8]) -> Result<(), ReadError> {
    const CELLS: [u16; 10] = [0x00FD, 0x0204, 0x0203, 0x027E, 0x0201, 0x0006, 0x0205, 0x00D6, 0x00BD, 0x00BE];
    // BOUNDSHEET8: stream offset of each sheet's BOF, and its name.
    let mut sheets: Vec<(usize, String)> = Vec::new();
    let mut pos = 0;
    while let (Some(kind), Some(len)) = (u16_at(stream, pos), u16_at(stream, pos + 2)) {
        let body = stream.get(pos + 4..pos + 4 + len as usize).unwrap_or(&[]);
        if kind == 0x0085 && body.len() >= 8 {
            let offset = u32::from_le_bytes([body[0], body[1], body[2], body[3]]) as usize;
            let (cch, wide) = (body[6] as usize, body[7] & 1 == 1);
            let text = &body[8..];
            let name = if wide {
                let units: Vec<u16> = text.chunks_exact(2).take(cch).map(|c| u16::from_le_bytes([c[0], c[1]])).collect();
                String::from_utf16_lossy(&units)
            } else {
                text.iter().take(cch).map(|&b| b as char).collect()
            };
            sheets.push((offset, name));
        }
        let sheet_at =
            |pos: usize| sheets.iter().filter(|(o, _)| *o <= pos).max_by_key(|(o, _)| *o).map(|(_, n)| n.clone()).unwrap_or_default();
        // DIMENSIONS: calamine reserves rows × columns from it.
        if kind == 0x0200 && body.len() >= 10 {
            let u32_at = |i: usize| body.get(i..i + 4).map_or(0, |x| u32::from_le_bytes([x[0], x[1], x[2], x[3]]));
            let (first_row, last_row, first_col, last_col) = if body.len() >= 14 {
                (u32_at(0), u32_at(4), u16_at(body, 8).unwrap_or(0) as u32, u16_at(body, 10).unwrap_or(0) as u32)
            } else {
                (
                    u16_at(body, 0).unwrap_or(0) as u32,
                    u16_at(body, 2).unwrap_or(0) as u32,
                    u16_at(body, 4).unwrap_or(0) as u32,
                    u16_at(body, 6).unwrap_or(0) as u32,
                )
            };
            if last_row < first_row || last_col < first_col {
                return Err(ReadError::Corrupt("DIMENSIONS".into()));
            }
            if last_row > MAX_ROWS || last_col > MAX_COLS {
                let cell = Cell { row: last_row.saturating_sub(1), col: last_col.saturating_sub(1) };
                return Err(ReadError::TooLarge { sheet: sheet_at(pos), cell });
            }
        }
        if CELLS.contains(&kind) && body.len() >= 4 {
            let row = u16_at(body, 0).unwrap_or(0) as u32;
            // MULRK/MULBLANK end with their last column.
            let col = if matches!(kind, 0x00BD | 0x00BE) { u16_at(body, body.len() - 2).unwrap_or(0) } else { u16_at(body, 2).unwrap_or(0) }
                as u32;
            if col > 255 || row >= MAX_ROWS || col >= MAX_COLS {
                return Err(ReadError::TooLarge { sheet: sheet_at(pos), cell: Cell { row, col } });
            }
        }
        pos += 4 + len as usize;
    }
    Ok(())
}

/// The text of a caught panic.
pub fn panic_message(p: &(dyn std::any::Any + Send)) -> String {
    p.downcast_ref::<String>().cloned().or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string())).unwrap_or_default()
}

fn read_unguarded(path: &Path, bytes: Vec<u8>) -> Result<Vec<Grid>, ReadError> {
    sniff(&bytes)?;
    // The content decides the reader: an .xls saved under .xlsx is still read.
    if bytes.starts_with(ZIP_MAGIC) && by_ext_is(path, "ods") {
        ods_check(&bytes)?;
    }
    if bytes.starts_with(OLE_MAGIC) {
        xls_check(&bytes)?;
    }
    // Compound files are whole 512-byte sectors: a partial one that calamine then
    // refuses means the copy was cut short.
    let partial_sector = bytes.starts_with(OLE_MAGIC) && !bytes.len().is_multiple_of(512);
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
                    grid.set(r, c, from_data_ref(&cell.value));
                }
            }
            other => {
                let range = other.worksheet_range(&name).map_err(open_error)?;
                let (r0, c0) = range.start().unwrap_or((0, 0));
                for (r, c, v) in range.used_cells() {
                    grid.set(r0 + r as u32, c0 + c as u32, from_data(v));
                }
            }
        }
        grids.push(grid);
    }
    Ok(grids)
}
