//! Minimal BIFF8 (.xls, Excel 97-2003) writer.
//!
//! The synthetic-data generator needs real legacy `.xls` files, and no
//! maintained Rust crate writes them, so this module emits the smallest set of
//! BIFF8 records that Excel, LibreOffice and calamine accept, wrapped in an OLE
//! compound file (stream `Workbook`) through the `cfb` crate.
//!
//! What is written:
//! - Globals substream: `BOF`, `INTERFACEHDR`, `MMS`, `INTERFACEEND`,
//!   `CODEPAGE` (1200, UTF-16), `DSF`, `TABID`, `WINDOWPROTECT`, `PROTECT`,
//!   `PASSWORD`, `PROT4REV`, `PROT4REVPASS`, `WINDOW1`, `BACKUP`, `HIDEOBJ`,
//!   `DATEMODE` (1900), `PRECISION`, `REFRESHALL`, `BOOKBOOL`, 5 x `FONT`
//!   (Arial 10), 17 x `XF` (15 style XFs, cell XF 15 "General", cell XF 16
//!   "General + wrap text" for text containing a line break), `STYLE`
//!   (Normal), `USESELFS`, one `BOUNDSHEET8` per sheet, `COUNTRY`, `SST` (+
//!   `CONTINUE`), `EXTSST`, `EOF`.
//! - One worksheet substream per sheet: `BOF`, `CALCMODE`, `CALCCOUNT`,
//!   `REFMODE`, `ITERATION`, `DELTA`, `SAVERECALC`, `PRINTHEADERS`,
//!   `PRINTGRIDLINES`, `GRIDSET`, `GUTS`, `DEFAULTROWHEIGHT`, `WSBOOL`,
//!   `DEFCOLWIDTH`, `DIMENSIONS`, `LABELSST` / `NUMBER` cells, `WINDOW2`,
//!   `MERGEDCELLS` (split every 1026 ranges), `EOF`.
//!
//! Limits (violations return `ErrorKind::InvalidInput`, nothing is written):
//! - at least one sheet; sheet names are 1..=31 UTF-16 code units, unique
//!   (case-insensitively), without `[ ] : * ? / \` and not starting or ending
//!   with `'`;
//! - non-empty cells must lie in rows 0..65536 and columns 0..256;
//! - cell text is at most 32767 UTF-16 code units (Excel's own cell limit);
//! - numbers must be finite (BIFF has no NaN / infinity cell value);
//! - merged ranges must have `first <= last`, columns < 256 and must not
//!   overlap each other.
//!
//! Behaviour worth knowing: `XlsValue::Empty` and `XlsValue::Text("")` write
//! no cell at all (like Excel and xlwt, which never store empty strings), and
//! 1x1 "merges" are skipped because they are no-ops that Excel flags as
//! damaged. Strings are written compressed (1 byte per char) when every UTF-16
//! code unit is below 256 and as UTF-16LE otherwise; NFC and NFD text is kept
//! exactly as given. The `Workbook` stream is zero-padded to 4096 bytes so it
//! never lands in the compound file's mini stream, as Excel expects.

use std::collections::HashMap;
use std::io::{self, Cursor, Write};
use std::path::Path;

/// A cell value to write.
#[derive(Debug, Clone, PartialEq)]
pub enum XlsValue {
    /// No cell is written (keeps ragged / sparse rows cheap).
    Empty,
    /// Unicode text, stored once in the shared string table.
    Text(String),
    /// An IEEE-754 double, stored as a `NUMBER` record.
    Number(f64),
}

/// A rectangular merged range (0-based, inclusive).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct XlsMerge {
    /// First row of the range (0-based).
    pub first_row: u16,
    /// Last row of the range (0-based, inclusive).
    pub last_row: u16,
    /// First column of the range (0-based).
    pub first_col: u16,
    /// Last column of the range (0-based, inclusive, at most 255).
    pub last_col: u16,
}

/// One worksheet: rows of cells (ragged rows allowed), plus merged ranges.
#[derive(Debug, Clone, PartialEq)]
pub struct XlsSheet {
    /// Sheet tab name (Unicode, at most 31 UTF-16 code units).
    pub name: String,
    /// Cells by row, then column; rows may have different lengths.
    pub rows: Vec<Vec<XlsValue>>,
    /// Merged ranges of this sheet.
    pub merges: Vec<XlsMerge>,
}

/// Writes the sheets as a BIFF8 workbook inside an OLE compound file.
pub fn write_xls(path: &Path, sheets: &[XlsSheet]) -> io::Result<()> {
    let stream = build_workbook_stream(sheets)?;
    let mut comp = cfb::CompoundFile::create_with_version(cfb::Version::V3, Cursor::new(Vec::new()))?;
    {
        let mut s = comp.create_stream("/Workbook")?;
        s.write_all(&stream)?;
        s.flush()?;
    }
    comp.flush()?;
    let bytes = comp.into_inner().into_inner();
    std::fs::write(path, bytes)
}

// ---------------------------------------------------------------------------
// Limits and record identifiers
// ---------------------------------------------------------------------------

/// Largest record body BIFF8 allows; longer data goes into CONTINUE records.
const MAX_RECORD_DATA: usize = 8224;
/// Number of rows in a BIFF8 sheet.
const MAX_ROWS: usize = 65_536;
/// Number of columns in a BIFF8 sheet.
const MAX_COLS: usize = 256;
/// Excel's limit on the characters of one cell.
const MAX_CELL_TEXT: usize = 32_767;
/// Excel's limit on the length of a sheet name.
const MAX_SHEET_NAME: usize = 31;
/// Ranges per MERGEDCELLS record (2 + 1026 * 8 = 8210 bytes).
const MERGES_PER_RECORD: usize = 1026;
/// Minimum `Workbook` stream size, so it is stored in regular sectors.
const MIN_STREAM_LEN: usize = 4096;
/// XF index used for ordinary cells.
const XF_CELL: u16 = 15;
/// XF index used for text cells containing a line break (wrap text on).
const XF_CELL_WRAP: u16 = 16;

const BOF: u16 = 0x0809;
const EOF: u16 = 0x000A;
const INTERFACEHDR: u16 = 0x00E1;
const MMS: u16 = 0x00C1;
const INTERFACEEND: u16 = 0x00E2;
const CODEPAGE: u16 = 0x0042;
const DSF: u16 = 0x0161;
const TABID: u16 = 0x013D;
const WINDOWPROTECT: u16 = 0x0019;
const PROTECT: u16 = 0x0012;
const PASSWORD: u16 = 0x0013;
const PROT4REV: u16 = 0x01AF;
const PROT4REVPASS: u16 = 0x01BC;
const WINDOW1: u16 = 0x003D;
const BACKUP: u16 = 0x0040;
const HIDEOBJ: u16 = 0x008D;
const DATEMODE: u16 = 0x0022;
const PRECISION: u16 = 0x000E;
const REFRESHALL: u16 = 0x01B7;
const BOOKBOOL: u16 = 0x00DA;
const FONT: u16 = 0x0031;
const XF: u16 = 0x00E0;
const STYLE: u16 = 0x0293;
const USESELFS: u16 = 0x0160;
const BOUNDSHEET: u16 = 0x0085;
const COUNTRY: u16 = 0x008C;
const SST: u16 = 0x00FC;
const CONTINUE: u16 = 0x003C;
const EXTSST: u16 = 0x00FF;
const CALCMODE: u16 = 0x000D;
const CALCCOUNT: u16 = 0x000C;
const REFMODE: u16 = 0x000F;
const ITERATION: u16 = 0x0011;
const DELTA: u16 = 0x0010;
const SAVERECALC: u16 = 0x005F;
const PRINTHEADERS: u16 = 0x002A;
const PRINTGRIDLINES: u16 = 0x002B;
const GRIDSET: u16 = 0x0082;
const GUTS: u16 = 0x0080;
const DEFAULTROWHEIGHT: u16 = 0x0225;
const WSBOOL: u16 = 0x0081;
const DEFCOLWIDTH: u16 = 0x0055;
const DIMENSIONS: u16 = 0x0200;
const NUMBER: u16 = 0x0203;
const LABELSST: u16 = 0x00FD;
const WINDOW2: u16 = 0x023E;
const MERGEDCELLS: u16 = 0x00E5;

// ---------------------------------------------------------------------------
// Low-level helpers
// ---------------------------------------------------------------------------

fn invalid(msg: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, msg)
}

/// Appends one complete record (header + body) to `out`.
fn put_record(out: &mut Vec<u8>, typ: u16, data: &[u8]) {
    debug_assert!(data.len() <= MAX_RECORD_DATA);
    out.extend_from_slice(&typ.to_le_bytes());
    out.extend_from_slice(&(data.len() as u16).to_le_bytes());
    out.extend_from_slice(data);
}

/// Appends a record whose body is a single little-endian u16.
fn put_u16_record(out: &mut Vec<u8>, typ: u16, value: u16) {
    put_record(out, typ, &value.to_le_bytes());
}

/// Starts a record whose length is patched later by `end_record`.
fn begin_record(out: &mut Vec<u8>, typ: u16) -> usize {
    let start = out.len();
    out.extend_from_slice(&typ.to_le_bytes());
    out.extend_from_slice(&[0, 0]);
    start
}

/// Patches the length of the record started at `start`.
fn end_record(out: &mut [u8], start: usize) {
    let len = out.len() - start - 4;
    debug_assert!(len <= MAX_RECORD_DATA);
    out[start + 2..start + 4].copy_from_slice(&(len as u16).to_le_bytes());
}

/// Body length of the record started at `start`.
fn record_len(out: &[u8], start: usize) -> usize {
    out.len() - start - 4
}

/// A string as BIFF8 stores it: UTF-16 code units, optionally compressed.
struct XlText {
    units: Vec<u16>,
    /// All code units are < 256, so one byte per character suffices.
    compressed: bool,
}

impl XlText {
    fn new(s: &str) -> Self {
        let units: Vec<u16> = s.encode_utf16().collect();
        let compressed = units.iter().all(|&u| u < 0x100);
        XlText { units, compressed }
    }

    /// The option flags byte (only `fHighByte` is ever set here).
    fn flags(&self) -> u8 {
        if self.compressed { 0x00 } else { 0x01 }
    }

    fn unit_size(&self) -> usize {
        if self.compressed { 1 } else { 2 }
    }

    fn push_units(&self, out: &mut Vec<u8>, units: &[u16]) {
        if self.compressed {
            out.extend(units.iter().map(|&u| u as u8));
        } else {
            for &u in units {
                out.extend_from_slice(&u.to_le_bytes());
            }
        }
    }
}

/// Appends a `ShortXLUnicodeString` (8-bit length); the caller checks length.
fn push_short_string(out: &mut Vec<u8>, s: &str) {
    let text = XlText::new(s);
    debug_assert!(text.units.len() <= 255);
    out.push(text.units.len() as u8);
    out.push(text.flags());
    text.push_units(out, &text.units);
}

// ---------------------------------------------------------------------------
// Shared string table
// ---------------------------------------------------------------------------

/// Unique strings in first-use order, plus the number of references.
#[derive(Default)]
struct SstTable<'a> {
    index: HashMap<&'a str, u32>,
    strings: Vec<&'a str>,
    total: u32,
}

impl<'a> SstTable<'a> {
    fn intern(&mut self, s: &'a str) -> u32 {
        self.total = self.total.saturating_add(1);
        if let Some(&i) = self.index.get(s) {
            return i;
        }
        let i = self.strings.len() as u32;
        self.strings.push(s);
        self.index.insert(s, i);
        i
    }
}

/// Writes SST (+ CONTINUE) and EXTSST. `out` must be the workbook stream
/// written from offset 0, because EXTSST stores absolute stream offsets.
fn write_sst(out: &mut Vec<u8>, sst: &SstTable<'_>) {
    let count = sst.strings.len();
    // Strings per EXTSST bucket: at least 8, and at most 128 buckets.
    let dsst = count.div_ceil(128).max(8);
    let mut ext: Vec<(u32, u16)> = Vec::with_capacity(count.div_ceil(dsst));

    let mut start = begin_record(out, SST);
    out.extend_from_slice(&sst.total.to_le_bytes());
    out.extend_from_slice(&(count as u32).to_le_bytes());

    for (i, s) in sst.strings.iter().enumerate() {
        let text = XlText::new(s);
        let unit = text.unit_size();
        // The string header (cch + flags) must not be split, and Excel wants
        // at least one character next to it.
        let first_chunk = if text.units.is_empty() { 0 } else { unit };
        if MAX_RECORD_DATA - record_len(out, start) < 3 + first_chunk {
            end_record(out, start);
            start = begin_record(out, CONTINUE);
        }
        if i % dsst == 0 {
            ext.push((out.len() as u32, (out.len() - start) as u16));
        }
        out.extend_from_slice(&(text.units.len() as u16).to_le_bytes());
        out.push(text.flags());

        let mut rest: &[u16] = &text.units;
        loop {
            let room = (MAX_RECORD_DATA - record_len(out, start)) / unit;
            let mut n = room.min(rest.len());
            // Never split a surrogate pair across records.
            if n < rest.len() && n > 0 && (0xD800..0xDC00).contains(&rest[n - 1]) {
                n -= 1;
            }
            text.push_units(out, &rest[..n]);
            rest = &rest[n..];
            if rest.is_empty() {
                break;
            }
            // The remainder goes to a CONTINUE record that repeats the flags.
            end_record(out, start);
            start = begin_record(out, CONTINUE);
            out.push(text.flags());
        }
    }
    end_record(out, start);

    let mut data = Vec::with_capacity(2 + 8 * ext.len());
    data.extend_from_slice(&(dsst as u16).to_le_bytes());
    for (ib, cb_offset) in ext {
        data.extend_from_slice(&ib.to_le_bytes());
        data.extend_from_slice(&cb_offset.to_le_bytes());
        data.extend_from_slice(&[0, 0]);
    }
    put_record(out, EXTSST, &data);
}

// ---------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------

fn validate_sheet_names(sheets: &[XlsSheet]) -> io::Result<()> {
    if sheets.is_empty() {
        return Err(invalid("an .xls workbook needs at least one sheet".into()));
    }
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (i, sheet) in sheets.iter().enumerate() {
        let name = &sheet.name;
        let len = name.encode_utf16().count();
        if len == 0 || len > MAX_SHEET_NAME {
            return Err(invalid(format!("sheet name {name:?} must have 1..={MAX_SHEET_NAME} characters, has {len}")));
        }
        if let Some(c) = name.chars().find(|c| "[]:*?/\\".contains(*c)) {
            return Err(invalid(format!("sheet name {name:?} contains forbidden character {c:?}")));
        }
        if name.starts_with('\'') || name.ends_with('\'') {
            return Err(invalid(format!("sheet name {name:?} must not start or end with an apostrophe")));
        }
        if let Some(j) = seen.insert(name.to_lowercase(), i) {
            return Err(invalid(format!("sheet names {:?} and {name:?} are equal (case-insensitively)", sheets[j].name)));
        }
    }
    Ok(())
}

/// Checks the merges and returns the ones to write (1x1 ranges dropped).
fn checked_merges(sheet: &XlsSheet) -> io::Result<Vec<XlsMerge>> {
    let mut merges = Vec::with_capacity(sheet.merges.len());
    for m in &sheet.merges {
        if m.first_row > m.last_row || m.first_col > m.last_col {
            return Err(invalid(format!("sheet {:?}: merge {m:?} has first > last", sheet.name)));
        }
        if usize::from(m.last_col) >= MAX_COLS {
            return Err(invalid(format!("sheet {:?}: merge {m:?} exceeds column {}", sheet.name, MAX_COLS - 1)));
        }
        if m.first_row != m.last_row || m.first_col != m.last_col {
            merges.push(*m);
        }
    }
    let mut sorted = merges.clone();
    sorted.sort_by_key(|m| (m.first_row, m.first_col));
    for (i, a) in sorted.iter().enumerate() {
        for b in &sorted[i + 1..] {
            if b.first_row > a.last_row {
                break;
            }
            if b.first_col <= a.last_col && a.first_col <= b.last_col {
                return Err(invalid(format!("sheet {:?}: merges {a:?} and {b:?} overlap", sheet.name)));
            }
        }
    }
    Ok(merges)
}

// ---------------------------------------------------------------------------
// Worksheet substream
// ---------------------------------------------------------------------------

fn put_bof(out: &mut Vec<u8>, dt: u16) {
    let mut data = Vec::with_capacity(16);
    data.extend_from_slice(&0x0600u16.to_le_bytes()); // BIFF8
    data.extend_from_slice(&dt.to_le_bytes());
    data.extend_from_slice(&0x0DBBu16.to_le_bytes()); // build
    data.extend_from_slice(&0x07CCu16.to_le_bytes()); // year 1996
    data.extend_from_slice(&0u32.to_le_bytes()); // history flags
    data.extend_from_slice(&6u32.to_le_bytes()); // lowest BIFF version: 8
    put_record(out, BOF, &data);
}

/// Builds one worksheet substream; strings are interned into `sst`.
fn build_sheet<'a>(sheet: &'a XlsSheet, first: bool, sst: &mut SstTable<'a>) -> io::Result<Vec<u8>> {
    let merges = checked_merges(sheet)?;
    let (cells, dims) = cell_records(sheet, sst)?;

    let mut out = Vec::with_capacity(cells.len() + 256);
    put_bof(&mut out, 0x0010);
    put_sheet_settings(&mut out);
    put_dimensions(&mut out, dims.unwrap_or_default());
    out.extend_from_slice(&cells);
    put_window2(&mut out, first);
    put_merged_cells(&mut out, &merges);
    put_record(&mut out, EOF, &[]);
    Ok(out)
}

/// Bounds of the written cells as DIMENSIONS stores them: first row, last
/// row + 1, first column, last column + 1 (all zero for an empty sheet).
#[derive(Debug, Clone, Copy, Default)]
struct Dims {
    first_row: u32,
    end_row: u32,
    first_col: u16,
    end_col: u16,
}

impl Dims {
    /// `dims` grown to include the cell (`r`, `c`).
    fn include(dims: Option<Dims>, r: u32, c: u16) -> Dims {
        match dims {
            None => Dims { first_row: r, end_row: r + 1, first_col: c, end_col: c + 1 },
            Some(d) => Dims {
                first_row: d.first_row.min(r),
                end_row: d.end_row.max(r + 1),
                first_col: d.first_col.min(c),
                end_col: d.end_col.max(c + 1),
            },
        }
    }
}

/// The LABELSST / NUMBER records of a sheet's non-empty cells, in row
/// order, and their bounds (`None` if no cell is written).
fn cell_records<'a>(sheet: &'a XlsSheet, sst: &mut SstTable<'a>) -> io::Result<(Vec<u8>, Option<Dims>)> {
    let mut cells = Vec::new();
    let mut dims: Option<Dims> = None;
    for (r, row) in sheet.rows.iter().enumerate() {
        for (c, value) in row.iter().enumerate() {
            let is_empty = match value {
                XlsValue::Empty => true,
                XlsValue::Text(s) => s.is_empty(),
                XlsValue::Number(_) => false,
            };
            if is_empty {
                continue;
            }
            if r >= MAX_ROWS || c >= MAX_COLS {
                return Err(invalid(format!(
                    "sheet {:?}: cell (row {r}, col {c}) is outside the \
                     {MAX_ROWS} x {MAX_COLS} .xls grid",
                    sheet.name
                )));
            }
            put_cell(&mut cells, &sheet.name, (r, c), value, sst)?;
            dims = Some(Dims::include(dims, r as u32, c as u16));
        }
    }
    Ok((cells, dims))
}

/// Appends the record of one non-empty cell inside the grid, after checking
/// what BIFF8 cannot store (over-long text, non-finite numbers).
fn put_cell<'a>(out: &mut Vec<u8>, sheet: &str, (r, c): (usize, usize), value: &'a XlsValue, sst: &mut SstTable<'a>) -> io::Result<()> {
    let (r16, c16) = (r as u16, c as u16);
    let mut data = Vec::with_capacity(14);
    data.extend_from_slice(&r16.to_le_bytes());
    data.extend_from_slice(&c16.to_le_bytes());
    match value {
        XlsValue::Text(s) => {
            let len = s.encode_utf16().count();
            if len > MAX_CELL_TEXT {
                return Err(invalid(format!(
                    "sheet {sheet:?}: cell (row {r}, col {c}) has {len} characters, \
                     more than {MAX_CELL_TEXT}"
                )));
            }
            let xf = if s.contains('\n') { XF_CELL_WRAP } else { XF_CELL };
            data.extend_from_slice(&xf.to_le_bytes());
            data.extend_from_slice(&sst.intern(s.as_str()).to_le_bytes());
            put_record(out, LABELSST, &data);
        }
        XlsValue::Number(v) => {
            if !v.is_finite() {
                return Err(invalid(format!(
                    "sheet {sheet:?}: cell (row {r}, col {c}) is {v}, \
                     which .xls cannot store"
                )));
            }
            data.extend_from_slice(&XF_CELL.to_le_bytes());
            data.extend_from_slice(&v.to_le_bytes());
            put_record(out, NUMBER, &data);
        }
        XlsValue::Empty => unreachable!("empty cells are skipped by the caller"),
    }
    Ok(())
}

/// The fixed calculation, printing and layout records every sheet carries.
fn put_sheet_settings(out: &mut Vec<u8>) {
    put_u16_record(out, CALCMODE, 1);
    put_u16_record(out, CALCCOUNT, 100);
    put_u16_record(out, REFMODE, 1);
    put_u16_record(out, ITERATION, 0);
    put_record(out, DELTA, &0.001f64.to_le_bytes());
    put_u16_record(out, SAVERECALC, 1);
    put_u16_record(out, PRINTHEADERS, 0);
    put_u16_record(out, PRINTGRIDLINES, 0);
    put_u16_record(out, GRIDSET, 1);
    put_record(out, GUTS, &[0; 8]);
    put_record(out, DEFAULTROWHEIGHT, &[0x00, 0x00, 0xFF, 0x00]);
    put_u16_record(out, WSBOOL, 0x04C1);
    put_u16_record(out, DEFCOLWIDTH, 8);
}

fn put_dimensions(out: &mut Vec<u8>, dims: Dims) {
    let mut data = Vec::with_capacity(14);
    data.extend_from_slice(&dims.first_row.to_le_bytes());
    data.extend_from_slice(&dims.end_row.to_le_bytes());
    data.extend_from_slice(&dims.first_col.to_le_bytes());
    data.extend_from_slice(&dims.end_col.to_le_bytes());
    data.extend_from_slice(&[0, 0]);
    put_record(out, DIMENSIONS, &data);
}

/// WINDOW2: grid, headers, zeros, default grid colour, outline symbols;
/// the first sheet is also selected and active.
fn put_window2(out: &mut Vec<u8>, first: bool) {
    let grbit: u16 = if first { 0x06B6 } else { 0x00B6 };
    let mut data = Vec::with_capacity(18);
    data.extend_from_slice(&grbit.to_le_bytes());
    data.extend_from_slice(&[0, 0, 0, 0]); // top row, left column
    data.extend_from_slice(&64u32.to_le_bytes()); // grid colour index
    data.extend_from_slice(&[0; 8]); // zoom levels + reserved
    put_record(out, WINDOW2, &data);
}

/// MERGEDCELLS records, split so that none exceeds the record size limit.
fn put_merged_cells(out: &mut Vec<u8>, merges: &[XlsMerge]) {
    for chunk in merges.chunks(MERGES_PER_RECORD) {
        let mut data = Vec::with_capacity(2 + 8 * chunk.len());
        data.extend_from_slice(&(chunk.len() as u16).to_le_bytes());
        for m in chunk {
            for v in [m.first_row, m.last_row, m.first_col, m.last_col] {
                data.extend_from_slice(&v.to_le_bytes());
            }
        }
        put_record(out, MERGEDCELLS, &data);
    }
}

// ---------------------------------------------------------------------------
// Globals substream
// ---------------------------------------------------------------------------

/// Builds an XF record body.
fn xf_record(ifnt: u16, prot: u16, align: u8, used: u8) -> [u8; 20] {
    let mut x = [0u8; 20];
    x[0..2].copy_from_slice(&ifnt.to_le_bytes());
    // x[2..4]: number format 0 = General
    x[4..6].copy_from_slice(&prot.to_le_bytes());
    x[6] = align;
    // x[7]: rotation, x[8]: indent/shrink/reading order
    x[9] = used;
    // x[10..18]: no borders, no fill pattern
    // pattern colours: foreground 64, background 65 (system defaults)
    x[18..20].copy_from_slice(&(64u16 | (65u16 << 7)).to_le_bytes());
    x
}

/// Writes the globals substream; returns the offsets of each BOUNDSHEET8's
/// `lbPlyPos` field, to be patched once the sheet offsets are known.
fn write_globals(out: &mut Vec<u8>, sheets: &[XlsSheet], sst: &SstTable<'_>) -> Vec<usize> {
    put_bof(out, 0x0005);
    put_book_header(out, sheets.len());
    put_window1(out);
    put_book_flags(out);
    put_fonts(out);
    put_xfs(out);
    // STYLE: built-in "Normal" uses XF 0.
    put_record(out, STYLE, &[0x00, 0x80, 0x00, 0xFF]);
    put_u16_record(out, USESELFS, 1);
    let ply_pos = put_boundsheets(out, sheets);
    put_record(out, COUNTRY, &[1, 0, 1, 0]);
    write_sst(out, sst);
    put_record(out, EOF, &[]);
    ply_pos
}

/// Interface, code page (UTF-16), tab ids and the (empty) protection records.
fn put_book_header(out: &mut Vec<u8>, sheet_count: usize) {
    put_u16_record(out, INTERFACEHDR, 1200);
    put_u16_record(out, MMS, 0);
    put_record(out, INTERFACEEND, &[]);
    put_u16_record(out, CODEPAGE, 1200);
    put_u16_record(out, DSF, 0);
    if sheet_count * 2 <= MAX_RECORD_DATA {
        let ids: Vec<u8> = (1..=sheet_count as u16).flat_map(u16::to_le_bytes).collect();
        put_record(out, TABID, &ids);
    }
    put_u16_record(out, WINDOWPROTECT, 0);
    put_u16_record(out, PROTECT, 0);
    put_u16_record(out, PASSWORD, 0);
    put_u16_record(out, PROT4REV, 0);
    put_u16_record(out, PROT4REVPASS, 0);
}

/// WINDOW1: the workbook window, first tab active and selected.
fn put_window1(out: &mut Vec<u8>) {
    let mut w1 = Vec::with_capacity(18);
    for v in [0x01E0u16, 0x005A, 0x3FCF, 0x2A4E, 0x0038, 0, 0, 1, 0x0258] {
        // x, y, width, height, flags, active tab, first tab, selected, tab bar
        w1.extend_from_slice(&v.to_le_bytes());
    }
    put_record(out, WINDOW1, &w1);
}

/// Workbook options: no backup, objects shown, 1900 dates, full precision.
fn put_book_flags(out: &mut Vec<u8>) {
    put_u16_record(out, BACKUP, 0);
    put_u16_record(out, HIDEOBJ, 0);
    put_u16_record(out, DATEMODE, 0);
    put_u16_record(out, PRECISION, 1);
    put_u16_record(out, REFRESHALL, 0);
    put_u16_record(out, BOOKBOOL, 0);
}

/// Five fonts, all Arial 10 (index 4 does not exist in BIFF, so these are
/// 0-3 and 5), as the XFs below expect.
fn put_fonts(out: &mut Vec<u8>) {
    for _ in 0..5 {
        let mut f = Vec::with_capacity(21);
        f.extend_from_slice(&200u16.to_le_bytes()); // 10 pt in twips
        f.extend_from_slice(&0u16.to_le_bytes()); // no italic/strike
        f.extend_from_slice(&0x7FFFu16.to_le_bytes()); // automatic colour
        f.extend_from_slice(&400u16.to_le_bytes()); // normal weight
        f.extend_from_slice(&0u16.to_le_bytes()); // no super/subscript
        f.extend_from_slice(&[0, 0, 0, 0]); // underline, family, charset, reserved
        push_short_string(&mut f, "Arial");
        put_record(out, FONT, &f);
    }
}

/// The 15 style XFs Excel requires, then the two cell XFs cells refer to.
fn put_xfs(out: &mut Vec<u8>) {
    // 15 style XFs (0 = Normal), as Excel lays them out.
    for i in 0..15u16 {
        let ifnt = match i {
            1 | 2 => 1,
            3 | 4 => 2,
            _ => 0,
        };
        let used = if i == 0 { 0x00 } else { 0xF4 };
        put_record(out, XF, &xf_record(ifnt, 0xFFF5, 0x20, used));
    }
    // Cell XF 15: General, bottom-aligned, locked, parent Normal.
    put_record(out, XF, &xf_record(0, 0x0001, 0x20, 0x00));
    // Cell XF 16: as 15 plus wrap text, so embedded line breaks display.
    put_record(out, XF, &xf_record(0, 0x0001, 0x28, 0x10));
}

/// One BOUNDSHEET8 per sheet with a placeholder offset; returns where each
/// offset sits in `out`, since the sheets' positions are not known yet.
fn put_boundsheets(out: &mut Vec<u8>, sheets: &[XlsSheet]) -> Vec<usize> {
    let mut ply_pos = Vec::with_capacity(sheets.len());
    for sheet in sheets {
        let mut b = Vec::with_capacity(8 + 2 * sheet.name.len());
        b.extend_from_slice(&0u32.to_le_bytes()); // patched later
        b.push(0); // visible
        b.push(0); // worksheet
        push_short_string(&mut b, &sheet.name);
        ply_pos.push(out.len() + 4);
        put_record(out, BOUNDSHEET, &b);
    }
    ply_pos
}

/// Builds the complete `Workbook` stream.
fn build_workbook_stream(sheets: &[XlsSheet]) -> io::Result<Vec<u8>> {
    validate_sheet_names(sheets)?;
    let mut sst = SstTable::default();
    let mut bodies = Vec::with_capacity(sheets.len());
    for (i, sheet) in sheets.iter().enumerate() {
        bodies.push(build_sheet(sheet, i == 0, &mut sst)?);
    }

    let mut out = Vec::new();
    let ply_pos = write_globals(&mut out, sheets, &sst);
    let total = out.len() + bodies.iter().map(Vec::len).sum::<usize>();
    if u32::try_from(total).is_err() {
        return Err(invalid(format!("workbook stream would be {total} bytes; BIFF8 offsets are 32-bit")));
    }
    for (pos, body) in ply_pos.into_iter().zip(&bodies) {
        let offset = out.len() as u32;
        out[pos..pos + 4].copy_from_slice(&offset.to_le_bytes());
        out.extend_from_slice(body);
    }
    if out.len() < MIN_STREAM_LEN {
        out.resize(MIN_STREAM_LEN, 0);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{Data, Reader, Xls, open_workbook, open_workbook_auto};
    use std::io::Read;
    use std::path::PathBuf;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// A temp file path unique to this process and call, removed on drop.
    struct TempPath(PathBuf);

    impl TempPath {
        fn new(tag: &str) -> Self {
            static COUNTER: AtomicUsize = AtomicUsize::new(0);
            let n = COUNTER.fetch_add(1, Ordering::Relaxed);
            let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
            TempPath(std::env::temp_dir().join(format!("xls-writer-{tag}-{}-{n}-{nanos}.xls", std::process::id())))
        }
    }

    impl Drop for TempPath {
        fn drop(&mut self) {
            let _ = std::fs::remove_file(&self.0);
        }
    }

    fn text(s: &str) -> XlsValue {
        XlsValue::Text(s.to_string())
    }

    fn num(v: f64) -> XlsValue {
        XlsValue::Number(v)
    }

    fn merge(first_row: u16, last_row: u16, first_col: u16, last_col: u16) -> XlsMerge {
        XlsMerge { first_row, last_row, first_col, last_col }
    }

    /// Asserts calamine reads back exactly the non-empty cells of `sheet`.
    fn assert_cells_round_trip(path: &Path, sheet: &XlsSheet) {
        let mut wb = open_workbook_auto(path).expect("calamine opens the file");
        let range = wb.worksheet_range(&sheet.name).expect("sheet range");
        let mut expected_cells = 0;
        for (r, row) in sheet.rows.iter().enumerate() {
            for (c, value) in row.iter().enumerate() {
                let got = range.get_value((r as u32, c as u32));
                match value {
                    XlsValue::Empty => {
                        assert!(matches!(got, None | Some(Data::Empty)), "({r},{c}) should be empty, got {got:?}");
                    }
                    XlsValue::Text(s) if s.is_empty() => {
                        assert!(matches!(got, None | Some(Data::Empty)));
                    }
                    XlsValue::Text(s) => {
                        expected_cells += 1;
                        assert_eq!(got, Some(&Data::String(s.clone())), "cell ({r},{c})");
                    }
                    XlsValue::Number(v) => {
                        expected_cells += 1;
                        assert_eq!(got, Some(&Data::Float(*v)), "cell ({r},{c})");
                    }
                }
            }
        }
        let non_empty = range.used_cells().count();
        assert_eq!(non_empty, expected_cells, "no extra cells in {:?}", sheet.name);
    }

    fn read_merges(path: &Path, name: &str) -> Vec<XlsMerge> {
        let wb: Xls<_> = open_workbook(path).expect("calamine opens the file as Xls");
        let merges = wb.merge_cells_by_sheet_name(name).expect("merges of the sheet");
        // The older (deprecated) accessor must agree.
        #[allow(deprecated)]
        let legacy = wb.worksheet_merge_cells(name);
        assert_eq!(legacy.as_ref(), Some(&merges));
        merges.into_iter().map(|d| merge(d.start.0 as u16, d.end.0 as u16, d.start.1 as u16, d.end.1 as u16)).collect()
    }

    /// Reads the raw `Workbook` stream back out of the compound file.
    fn read_stream(path: &Path) -> Vec<u8> {
        let mut comp = cfb::open(path).expect("valid compound file");
        let mut s = comp.open_stream("/Workbook").expect("Workbook stream");
        let mut buf = Vec::new();
        s.read_to_end(&mut buf).unwrap();
        buf
    }

    /// Splits a stream into (offset, type, body) records up to the last EOF.
    fn records(stream: &[u8]) -> Vec<(usize, u16, &[u8])> {
        let mut out = Vec::new();
        let mut pos = 0;
        while pos + 4 <= stream.len() {
            let typ = u16::from_le_bytes([stream[pos], stream[pos + 1]]);
            let len = u16::from_le_bytes([stream[pos + 2], stream[pos + 3]]) as usize;
            if typ == 0 && len == 0 {
                break; // zero padding after the last substream
            }
            assert!(len <= MAX_RECORD_DATA, "record 0x{typ:04X} too long: {len}");
            out.push((pos, typ, &stream[pos + 4..pos + 4 + len]));
            pos += 4 + len;
        }
        out
    }

    fn nfd_sample() -> String {
        // "Việt Nam" and "Hà Nội" in decomposed form.
        "Vie\u{0302}\u{0323}t Nam\nHa\u{0300} No\u{0302}\u{0323}i".to_string()
    }

    fn basic_workbook() -> Vec<XlsSheet> {
        let nfc = "Cộng hòa Xã hội Chủ nghĩa Việt Nam\nĐộc lập – Tự do – Hạnh phúc";
        let nfd = nfd_sample();
        assert_ne!(nfc.chars().count(), nfd.chars().count());
        vec![
            XlsSheet {
                name: "Dữ liệu tổng hợp".into(),
                rows: vec![
                    vec![text("Tiêu đề gộp ô"), XlsValue::Empty, XlsValue::Empty],
                    vec![text("Chỉ tiêu"), text("Đơn vị"), text("Giá trị"), text("Ghi chú")],
                    vec![text(nfc), text("%"), num(17.1)],
                    vec![text(&nfd), XlsValue::Empty, num(0.34), text("café ÀÉÎ ÿ")],
                    vec![],
                    vec![XlsValue::Empty, num(100.0), num(-2.5e-7), num(1e300), text("")],
                    vec![text("Tổng"), num(0.0), num(-0.0), num(123456789.125)],
                    vec![text("Emoji 😀 và 𝔘𝔫𝔦𝔠𝔬𝔡𝔢"), text("Chỉ tiêu")],
                ],
                merges: vec![merge(0, 0, 0, 2), merge(2, 3, 3, 4), merge(9, 12, 0, 0)],
            },
            XlsSheet {
                name: "Bảng 2 – Chỉ số".into(),
                rows: vec![
                    vec![XlsValue::Empty, XlsValue::Empty],
                    vec![XlsValue::Empty, text("Ô bắt đầu ở B2"), num(42.0)],
                    vec![XlsValue::Empty, text(&nfd), num(3.0)],
                ],
                merges: vec![],
            },
            XlsSheet { name: "Trống".into(), rows: vec![vec![XlsValue::Empty]], merges: vec![] },
        ]
    }

    #[test]
    fn round_trips_names_text_numbers_and_merges() {
        let sheets = basic_workbook();
        let tmp = TempPath::new("basic");
        write_xls(&tmp.0, &sheets).unwrap();

        let wb = open_workbook_auto(&tmp.0).unwrap();
        let names: Vec<String> = sheets.iter().map(|s| s.name.clone()).collect();
        assert_eq!(wb.sheet_names(), names);

        for sheet in &sheets {
            assert_cells_round_trip(&tmp.0, sheet);
            assert_eq!(read_merges(&tmp.0, &sheet.name), sheet.merges);
        }

        // NFC and NFD stay distinct and byte-exact.
        let mut wb = open_workbook_auto(&tmp.0).unwrap();
        let range = wb.worksheet_range("Bảng 2 – Chỉ số").unwrap();
        assert_eq!(range.start(), Some((1, 1)));
        assert_eq!(range.get_value((2, 1)), Some(&Data::String(nfd_sample())));
        let empty = wb.worksheet_range("Trống").unwrap();
        assert_eq!(empty.used_cells().count(), 0);
    }

    #[test]
    fn stream_structure_is_consistent() {
        let sheets = basic_workbook();
        let tmp = TempPath::new("structure");
        write_xls(&tmp.0, &sheets).unwrap();
        let stream = read_stream(&tmp.0);
        assert!(stream.len() >= MIN_STREAM_LEN);

        let recs = records(&stream);
        assert_eq!(recs[0].1, BOF);
        assert_eq!(&recs[0].2[0..4], &[0x00, 0x06, 0x05, 0x00]);
        let codepage = recs.iter().find(|r| r.1 == CODEPAGE).unwrap();
        assert_eq!(codepage.2, &1200u16.to_le_bytes());
        assert_eq!(recs.iter().filter(|r| r.1 == FONT).count(), 5);
        assert_eq!(recs.iter().filter(|r| r.1 == XF).count(), 17);

        // Each BOUNDSHEET8 points at a worksheet BOF, in order.
        let offsets: Vec<usize> =
            recs.iter().filter(|r| r.1 == BOUNDSHEET).map(|r| u32::from_le_bytes(r.2[0..4].try_into().unwrap()) as usize).collect();
        assert_eq!(offsets.len(), sheets.len());
        let sheet_bofs: Vec<usize> = recs.iter().filter(|r| r.1 == BOF && r.2[2..4] == [0x10, 0x00]).map(|r| r.0).collect();
        assert_eq!(offsets, sheet_bofs);
        // Globals end with EOF right before the first sheet.
        let globals_eof = recs.iter().find(|r| r.1 == EOF).unwrap();
        assert_eq!(globals_eof.0 + 4, offsets[0]);
        assert_eq!(recs.iter().filter(|r| r.1 == EOF).count(), sheets.len() + 1);

        // DIMENSIONS of the first sheet: rows 0..8, cols 0..4 ("" is no cell).
        let dims = recs.iter().find(|r| r.1 == DIMENSIONS).unwrap().2;
        assert_eq!(u32::from_le_bytes(dims[0..4].try_into().unwrap()), 0);
        assert_eq!(u32::from_le_bytes(dims[4..8].try_into().unwrap()), 8);
        assert_eq!(u16::from_le_bytes(dims[8..10].try_into().unwrap()), 0);
        assert_eq!(u16::from_le_bytes(dims[10..12].try_into().unwrap()), 4);
    }

    /// Deterministic pseudo-random generator (no extra dependency).
    struct Lcg(u64);

    impl Lcg {
        fn next(&mut self) -> u64 {
            self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            self.0 >> 33
        }

        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
    }

    fn long_strings(count: usize) -> Vec<String> {
        let words = [
            "Việt", "Nam", "tổng", "hợp", "số", "liệu", "chỉ", "tiêu", "dân", "số", "đồng", "bằng", "sông", "Cửu", "Long", "Hà", "Nội",
            "thành", "phố", "Hồ", "Chí", "Minh", "nghìn", "người", "tỷ", "lệ", "phần", "trăm", "năm", "Đắk", "Lắk", "Quảng", "Ngãi",
            "Thừa", "Thiên", "Huế",
        ];
        let mut rng = Lcg(7);
        (0..count)
            .map(|i| {
                let target = 80 + rng.below(900);
                let mut s = format!("#{i} ");
                while s.chars().count() < target {
                    match rng.below(40) {
                        0 => s.push('\n'),
                        1 => s.push('😀'),                       // surrogate pair
                        2 => s.push_str("Vie\u{0302}\u{0323}t"), // NFD
                        _ => s.push_str(words[rng.below(words.len())]),
                    }
                    s.push(' ');
                }
                if i % 5 == 0 {
                    // Compressible (all code units < 256) long strings too.
                    s = format!("#{i} {}", "café crème brûlée ".repeat(1 + rng.below(50)));
                }
                s
            })
            .collect()
    }

    #[test]
    fn many_long_strings_use_continue_records() {
        let strings = long_strings(3000);
        let rows: Vec<Vec<XlsValue>> = strings
            .iter()
            .enumerate()
            .map(|(i, s)| {
                vec![
                    text(s),
                    num(i as f64 + 0.5),
                    // Repeat an earlier string to exercise SST de-duplication.
                    text(&strings[i / 2]),
                ]
            })
            .collect();
        let sheets = vec![
            XlsSheet { name: "Chuỗi dài".into(), rows, merges: vec![] },
            XlsSheet { name: "Sau SST".into(), rows: vec![vec![text("cuối"), num(17.1)]], merges: vec![merge(1, 2, 1, 2)] },
        ];
        let tmp = TempPath::new("sst");
        write_xls(&tmp.0, &sheets).unwrap();
        for sheet in &sheets {
            assert_cells_round_trip(&tmp.0, sheet);
        }
        assert_eq!(read_merges(&tmp.0, "Sau SST"), sheets[1].merges);

        // The SST spans many CONTINUE records, and every EXTSST entry points
        // at the start of the string it indexes.
        let stream = read_stream(&tmp.0);
        let recs = records(&stream);
        let sst_idx = recs.iter().position(|r| r.1 == SST).unwrap();
        let sst = recs[sst_idx].2;
        assert_eq!(u32::from_le_bytes(sst[0..4].try_into().unwrap()), 6001);
        assert_eq!(u32::from_le_bytes(sst[4..8].try_into().unwrap()), 3001);
        let continues = recs[sst_idx + 1..].iter().take_while(|r| r.1 == CONTINUE).count();
        assert!(continues > 50, "only {continues} CONTINUE records");
        let ext = recs[sst_idx + 1 + continues];
        assert_eq!(ext.1, EXTSST);
        let dsst = u16::from_le_bytes(ext.2[0..2].try_into().unwrap()) as usize;
        assert_eq!(dsst, 3001usize.div_ceil(128));
        let entries: Vec<&[u8]> = ext.2[2..].chunks(8).collect();
        assert_eq!(entries.len(), 3001usize.div_ceil(dsst));
        for (k, e) in entries.iter().enumerate() {
            let ib = u32::from_le_bytes(e[0..4].try_into().unwrap()) as usize;
            let cb = u16::from_le_bytes(e[4..6].try_into().unwrap()) as usize;
            let rec = recs.iter().find(|r| r.0 == ib - cb).expect("record start");
            assert!(rec.1 == SST || rec.1 == CONTINUE);
            let cch = u16::from_le_bytes(stream[ib..ib + 2].try_into().unwrap()) as usize;
            let s = if k * dsst < strings.len() { &strings[k * dsst] } else { "cuối" };
            assert_eq!(cch, s.encode_utf16().count(), "bucket {k}");
        }
    }

    #[test]
    fn more_than_1026_merges_are_split_across_records() {
        let merges: Vec<XlsMerge> = (0..2100u16).map(|i| merge(i * 2, i * 2 + 1, 0, 1)).collect();
        let rows = (0..4200).map(|i| vec![num(i as f64)]).collect();
        let sheets = vec![XlsSheet { name: "Gộp".into(), rows, merges }];
        let tmp = TempPath::new("merges");
        write_xls(&tmp.0, &sheets).unwrap();
        assert_eq!(read_merges(&tmp.0, "Gộp"), sheets[0].merges);
        assert_cells_round_trip(&tmp.0, &sheets[0]);
        let stream = read_stream(&tmp.0);
        let counts: Vec<u16> =
            records(&stream).iter().filter(|r| r.1 == MERGEDCELLS).map(|r| u16::from_le_bytes(r.2[0..2].try_into().unwrap())).collect();
        assert_eq!(counts, vec![1026, 1026, 48]);
    }

    #[test]
    fn grid_edges_are_accepted() {
        let mut last_row = vec![XlsValue::Empty; 256];
        last_row[255] = text("IV65536");
        let mut rows = vec![Vec::new(); 65_535];
        rows.push(last_row);
        rows[0] = vec![num(1.0)];
        let sheets = vec![XlsSheet { name: "A".repeat(31), rows, merges: vec![merge(0, 65_535, 255, 255)] }];
        let tmp = TempPath::new("edges");
        write_xls(&tmp.0, &sheets).unwrap();
        let mut wb = open_workbook_auto(&tmp.0).unwrap();
        let range = wb.worksheet_range(&"A".repeat(31)).unwrap();
        assert_eq!(range.get_value((65_535, 255)), Some(&Data::String("IV65536".into())));
        assert_eq!(range.get_value((0, 0)), Some(&Data::Float(1.0)));
        assert_eq!(read_merges(&tmp.0, &"A".repeat(31)), sheets[0].merges);
    }

    #[test]
    fn invalid_input_is_rejected_before_writing() {
        let ok = |name: &str| XlsSheet { name: name.into(), rows: vec![vec![num(1.0)]], merges: vec![] };
        let check = |sheets: Vec<XlsSheet>| {
            let tmp = TempPath::new("invalid");
            let err = write_xls(&tmp.0, &sheets).unwrap_err();
            assert_eq!(err.kind(), io::ErrorKind::InvalidInput, "{err}");
            assert!(!tmp.0.exists());
        };
        check(vec![]);
        check(vec![ok("")]);
        check(vec![ok(&"ễ".repeat(32))]);
        check(vec![ok("a/b")]);
        check(vec![ok("'quoted'")]);
        check(vec![ok("Dữ Liệu"), ok("dữ liệu")]);
        let mut wide = ok("rộng");
        wide.rows = vec![vec![XlsValue::Empty; 256]];
        wide.rows[0].push(num(1.0));
        check(vec![wide]);
        let mut tall = ok("cao");
        tall.rows = vec![Vec::new(); 65_537];
        tall.rows[65_536] = vec![num(1.0)];
        check(vec![tall]);
        let mut nan = ok("nan");
        nan.rows = vec![vec![num(f64::NAN)]];
        check(vec![nan]);
        let mut long = ok("dài");
        long.rows = vec![vec![text(&"ậ".repeat(32_768))]];
        check(vec![long]);
        let mut bad_merge = ok("gộp");
        bad_merge.merges = vec![merge(2, 1, 0, 0)];
        check(vec![bad_merge.clone()]);
        bad_merge.merges = vec![merge(0, 1, 0, 256)];
        check(vec![bad_merge.clone()]);
        bad_merge.merges = vec![merge(0, 3, 0, 3), merge(3, 4, 3, 5)];
        check(vec![bad_merge]);
    }

    #[test]
    fn longest_cell_text_round_trips() {
        let long = "Tiếng Việt có dấu. ".repeat(1724); // 32756 chars
        let sheets = vec![XlsSheet {
            name: "Dài nhất".into(),
            rows: vec![vec![text(&long), text(&"x".repeat(MAX_CELL_TEXT))]],
            merges: vec![merge(0, 0, 0, 0)], // 1x1: skipped
        }];
        let tmp = TempPath::new("longest");
        write_xls(&tmp.0, &sheets).unwrap();
        assert_cells_round_trip(&tmp.0, &sheets[0]);
        assert!(read_merges(&tmp.0, "Dài nhất").is_empty());
    }
}
