//! Pre-checks of zip containers (.xlsx, .ods) before calamine inflates them.

use super::{MAX_COLS, MAX_ROWS, ReadError, over};
use crate::model::sheet::Cell;
use crate::read::limits::{Budget, DEFLATE_MAX_RATIO, Limit, Limits};

/// A zip container read from the file's bytes, for the pre-checks.
pub(super) type Zip<'a> = zip::ZipArchive<std::io::Cursor<&'a [u8]>>;

/// The readers inflate each part of a zip container whole and parse every sheet:
/// check how many parts there are and what they really inflate to, each and together,
/// before they do. DEFLATE's ratio ([`DEFLATE_MAX_RATIO`]) bounds what a part can
/// inflate to from its compressed size; only where those bounds pass a limit are the
/// parts inflated here (counted, not kept), so real files, a few KB compressed, cost
/// nothing extra.
pub(super) fn zip_check(zip: &mut Zip<'_>, limits: &Limits) -> Result<(), ReadError> {
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
pub(super) fn ods_check(zip: &mut Zip<'_>, limits: &Limits) -> Result<(), ReadError> {
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
