//! Pre-checks of .xls files (a compound file holding BIFF records) before calamine
//! decodes them.

use super::{MAX_COLS, MAX_ROWS, ReadError, over};
use crate::model::sheet::Cell;
use crate::read::limits::{Budget, Limit, Limits};

/// calamine follows an .xls file's sector chains without a step limit (a looping
/// chain allocates until the process aborts), decodes every sheet at open, reserves
/// the rows × columns each sheet's DIMENSIONS claims and copies a shared string
/// into every cell that uses it. Walk the container with the `cfb` crate, which
/// checks its chains, then the BIFF records against the limits, before calamine
/// sees the file.
pub(super) fn xls_check(bytes: &[u8], limits: &Limits) -> Result<(), ReadError> {
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
