//! The house style every workbook shares (the ranking workbook and the appendices):
//! the font, the header fill, the page set-up and its footer, so that what the office
//! publishes and what it sends to the communes look like one office's documents.

use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, FormatUnderline, Worksheet, XlsxError};

/// The font of every cell: the one government documents use.
pub const FONT: &str = "Times New Roman";
/// Fill of table header cells.
pub const HEADER_FILL: &str = "#DDEBF7";
/// Excel's paper size code for A4.
const PAPER_A4: u8 = 9;

/// Text in [`FONT`], 12 points.
pub fn base() -> Format {
    Format::new().set_font_name(FONT).set_font_size(12)
}

/// A table header cell: bold, centred, wrapped, bordered, filled.
pub fn header() -> Format {
    base()
        .set_bold()
        .set_border(FormatBorder::Thin)
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_background_color(HEADER_FILL)
}

/// How a sheet is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Orientation {
    /// Wide tables.
    Landscape,
    /// Letters.
    Portrait,
}

/// A4 in the given orientation, fitted to one page wide, centred, the same margins,
/// "Trang n/N" in the footer; rows `first..=last` repeated on every page, if given.
pub fn print_setup(ws: &mut Worksheet, orientation: Orientation, repeat: Option<(u32, u32)>) -> Result<(), XlsxError> {
    ws.set_paper_size(PAPER_A4);
    match orientation {
        Orientation::Landscape => ws.set_landscape(),
        Orientation::Portrait => ws.set_portrait(),
    };
    ws.set_print_fit_to_pages(1, 0);
    ws.set_print_center_horizontally(true);
    ws.set_margins(0.6, 0.5, 0.6, 0.6, 0.3, 0.3);
    ws.set_footer(format!("&C&\"{FONT},Regular\"Trang &P/&N"));
    if let Some((first, last)) = repeat {
        ws.set_repeat_rows(first, last)?;
    }
    Ok(())
}

/// The formats of a document's letterhead, title and signature block.
pub struct DocFormats {
    /// Issuer and motto: bold, centred.
    pub heading: Format,
    /// The line under them, underlined.
    pub heading_underlined: Format,
    /// The document's title.
    pub title: Format,
    /// A line in italics under the title.
    pub italic: Format,
    /// Who signs.
    pub signature: Format,
}

impl Default for DocFormats {
    fn default() -> DocFormats {
        let centred = base().set_bold().set_align(FormatAlign::Center).set_text_wrap();
        DocFormats {
            heading_underlined: base().set_bold().set_underline(FormatUnderline::Single).set_align(FormatAlign::Center),
            title: base().set_bold().set_font_size(14).set_align(FormatAlign::Center).set_text_wrap(),
            italic: base().set_italic().set_align(FormatAlign::Center).set_text_wrap(),
            signature: centred.clone(),
            heading: centred,
        }
    }
}

/// The letterhead of an administrative document: the issuer over rows 0–1 of columns
/// `0..split`, the national motto and its underlined line over `split..=last`.
pub fn letterhead(ws: &mut Worksheet, f: &DocFormats, issuer: &str, split: u16, last: u16) -> Result<(), XlsxError> {
    ws.merge_range(0, 0, 1, split - 1, issuer, &f.heading)?;
    ws.merge_range(0, split, 0, last, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", &f.heading)?;
    ws.merge_range(1, split, 1, last, "Độc lập - Tự do - Hạnh phúc", &f.heading_underlined)?;
    Ok(())
}

/// One row's cells, their formats applied a run at a time: rust_xlsxwriter hashes the
/// whole [`Format`] (font, borders, fill, number format) for every formatted cell it
/// writes, about 3,000 instructions a cell and a tenth of a large district's run, but
/// once for a run of cells set with `set_range_format`. Values are written as they come,
/// the formats when the row is dropped, before any later row is written (the ranking
/// sheets stream their rows: a row left behind is already on disk). Runs are
/// consecutive columns sharing one `Format` (the same value, by address).
///
/// ```
/// use cchc::report::style::{RowCells, base};
/// use rust_xlsxwriter::Workbook;
/// let mut wb = Workbook::new();
/// let ws = wb.add_worksheet();
/// let (text, number) = (base(), base().set_num_format("0.00"));
/// let mut row = RowCells::new(ws, 3);
/// row.string(0, "Triệu Ái", &text)?;
/// row.number(1, 92.5, &number)?;
/// row.number(2, 0.75, &number)?; // one run with column 1: one hash for both
/// # Ok::<(), rust_xlsxwriter::XlsxError>(())
/// ```
pub struct RowCells<'w, 'f, 'b> {
    ws: &'w mut Worksheet,
    row: u32,
    /// (first column, last column, format) of each run, in column order.
    runs: Vec<(u16, u16, &'f Format)>,
    /// The block of rows it belongs to, if any ([`ColumnFormats`]).
    block: Option<&'b mut ColumnFormats<'f>>,
}

impl<'w, 'f, 'b> RowCells<'w, 'f, 'b> {
    /// The cells of row `row` (0-based) of `ws`.
    pub fn new(ws: &'w mut Worksheet, row: u32) -> RowCells<'w, 'f, 'b> {
        RowCells { ws, row, runs: Vec::new(), block: None }
    }

    /// The cells of row `row` of a block whose columns carry their formats
    /// ([`ColumnFormats`]): a cell in its column's format is written without one.
    fn in_block(ws: &'w mut Worksheet, row: u32, block: &'b mut ColumnFormats<'f>) -> RowCells<'w, 'f, 'b> {
        RowCells { ws, row, runs: Vec::new(), block: Some(block) }
    }

    /// A blank cell in `format` at `col` (empty text, see [`RowCells::string`]).
    pub fn blank(&mut self, col: u16, format: &'f Format) -> Result<&mut Self, XlsxError> {
        self.string(col, "", format)
    }

    /// A number at `col`.
    pub fn number(&mut self, col: u16, value: impl Into<f64>, format: &'f Format) -> Result<&mut Self, XlsxError> {
        let (row, value) = (self.row, value.into());
        self.cell(col, format, true, |ws| ws.write_number(row, col, value), |ws| ws.write_number_with_format(row, col, value, format))
    }

    /// Text at `col`; empty text is a blank cell in the format.
    pub fn string(&mut self, col: u16, value: &str, format: &'f Format) -> Result<&mut Self, XlsxError> {
        let row = self.row;
        // Empty text without a format writes no cell at all: it needs its own.
        let plain = !value.is_empty();
        self.cell(col, format, plain, |ws| ws.write_string(row, col, value), |ws| ws.write_string_with_format(row, col, value, format))
    }

    /// Writes one cell: without a format where its column carries it, with it where
    /// it is the first cell of the block's last row (which streams the row before and
    /// then ends the block), else the value now and the format with its run.
    fn cell(
        &mut self,
        col: u16,
        format: &'f Format,
        plain_ok: bool,
        plain: impl FnOnce(&mut Worksheet) -> Result<&mut Worksheet, XlsxError>,
        formatted: impl FnOnce(&mut Worksheet) -> Result<&mut Worksheet, XlsxError>,
    ) -> Result<&mut Self, XlsxError> {
        if let Some(block) = self.block.as_deref_mut().filter(|b| b.active) {
            if self.row >= block.last_row {
                formatted(self.ws)?;
                block.end(self.ws)?;
                return Ok(self);
            }
            if plain_ok && block.carries(col, format) {
                plain(self.ws)?;
                return Ok(self);
            }
        }
        plain(self.ws)?;
        self.format(col, format);
        Ok(self)
    }

    fn format(&mut self, col: u16, format: &'f Format) {
        match self.runs.last_mut() {
            Some((_, last, f)) if *last + 1 == col && std::ptr::eq(*f, format) => *last = col,
            _ => self.runs.push((col, col, format)),
        }
    }
}

/// A block of rows whose cells mostly take their column's format (the detail rows of
/// the large ranking sheets). While the block is written each such column carries its
/// format and a cell in that format is written without one: a low-memory sheet gives
/// an unformatted cell its column's format when it streams the row
/// (rust_xlsxwriter's `get_cell_xf_index`), so no `Format` is hashed for it. The
/// columns go back to the default format as soon as the first cell of the block's last
/// row has streamed the row before it, so the file carries no column formats and reads
/// exactly as if every cell had its own. The tests that re-read the workbooks guard
/// this reliance on when rows are streamed.
///
/// [`block_rows`] writes such a block.
struct ColumnFormats<'f> {
    /// Each column's format, by column.
    formats: Vec<Option<&'f Format>>,
    /// The block's last row.
    last_row: u32,
    /// Whether the columns carry their formats still.
    active: bool,
}

impl<'f> ColumnFormats<'f> {
    /// Gives each column of `columns` its format for the block of `rows` (0-based, the
    /// end excluded), whose rows are all written through [`RowCells::in_block`]. An
    /// empty block sets nothing (a column's format widens the sheet's dimension).
    fn begin(ws: &mut Worksheet, rows: std::ops::Range<u32>, columns: &[(u16, &'f Format)]) -> Result<ColumnFormats<'f>, XlsxError> {
        let mut formats = vec![None; columns.iter().map(|&(c, _)| c as usize + 1).max().unwrap_or(0)];
        let last_row = rows.end.saturating_sub(1);
        if rows.is_empty() {
            return Ok(ColumnFormats { formats, last_row, active: false });
        }
        for &(col, format) in columns {
            ws.set_column_format(col, format)?;
            formats[col as usize] = Some(format);
        }
        Ok(ColumnFormats { formats, last_row, active: true })
    }

    fn carries(&self, col: u16, format: &Format) -> bool {
        self.formats.get(col as usize).copied().flatten().is_some_and(|f| std::ptr::eq(f, format))
    }

    /// Gives the columns back the default format. The block's last row does it itself;
    /// call it after the block too, for a block with no rows.
    fn end(&mut self, ws: &mut Worksheet) -> Result<(), XlsxError> {
        if self.active {
            self.active = false;
            let default = Format::default();
            for (col, _) in self.formats.iter().enumerate().filter(|(_, f)| f.is_some()) {
                ws.set_column_format(col as u16, &default)?;
            }
        }
        Ok(())
    }
}

/// Writes a row for each of `items` from row `first`, in a block whose columns carry
/// `columns`' formats (`ColumnFormats`: a cell in its column's format is written
/// without one); `write` fills each row through its [`RowCells`].
///
/// ```
/// use cchc::report::style::{base, block_rows};
/// use rust_xlsxwriter::Workbook;
/// let mut wb = Workbook::new();
/// let ws = wb.add_worksheet_with_low_memory()?;
/// let (text, number) = (base(), base().set_num_format("0.00"));
/// let units = [("Triệu Ái", 92.5), ("Triệu Thành", 88.25)];
/// block_rows(ws, 2, &[(0, &text), (1, &number)], units.iter(), |row, (name, index)| {
///     row.string(0, name, &text)?.number(1, *index, &number)?;
///     Ok(())
/// })?;
/// # Ok::<(), rust_xlsxwriter::XlsxError>(())
/// ```
pub fn block_rows<'f, T>(
    ws: &mut Worksheet,
    first: u32,
    columns: &[(u16, &'f Format)],
    items: impl ExactSizeIterator<Item = T>,
    mut write: impl FnMut(&mut RowCells<'_, 'f, '_>, T) -> Result<(), XlsxError>,
) -> Result<(), XlsxError> {
    let mut block = ColumnFormats::begin(ws, first..first + items.len() as u32, columns)?;
    for (i, item) in items.enumerate() {
        write(&mut RowCells::in_block(ws, first + i as u32, &mut block), item)?;
    }
    block.end(ws)
}

impl Drop for RowCells<'_, '_, '_> {
    fn drop(&mut self) {
        for &(first, last, format) in &self.runs {
            // The cells were written, so the range is within the sheet: no error to lose.
            let _ = self.ws.set_range_format(self.row, first, self.row, last, format);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_xlsxwriter::Workbook;
    use std::io::Read;

    /// Writes rows 1..=`rows` of a low-memory sheet (a header above them, a line
    /// under them), through a block of column formats or cell by cell, and returns
    /// the sheet's XML and the styles.
    fn written(rows: u32, block: bool) -> (String, String) {
        let (text, number, center) = (base(), base().set_num_format("0.00"), base().set_align(FormatAlign::Center));
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet_with_low_memory().unwrap();
        for c in 0..4 {
            ws.set_column_width(c, 12).unwrap();
        }
        ws.write_string_with_format(0, 0, "Đơn vị", &center).unwrap();
        let columns = [(0, &text), (1, &number), (2, &number), (3, &text)];
        let mut formats = block.then(|| ColumnFormats::begin(ws, 1..rows + 1, &columns).unwrap());
        for r in 1..=rows {
            let mut row = match formats.as_mut() {
                Some(f) => RowCells::in_block(ws, r, f),
                None => RowCells::new(ws, r),
            };
            row.string(0, &format!("Xã {r}"), &text).unwrap();
            row.number(1, f64::from(r) / 4.0, &number).unwrap();
            // Another format than the column's, and empty text (a blank cell).
            if r % 2 == 0 { row.string(2, "KAD", &center) } else { row.number(2, 1.5, &number) }.unwrap();
            row.string(3, if r % 3 == 0 { "" } else { "ghi chú" }, &text).unwrap();
        }
        if let Some(mut f) = formats {
            f.end(ws).unwrap();
        }
        ws.write_string_with_format(rows + 1, 0, "Tổng", &center).unwrap();
        let bytes = wb.save_to_buffer().unwrap();
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut part = |name: &str| {
            let mut s = String::new();
            zip.by_name(name).unwrap().read_to_string(&mut s).unwrap();
            s
        };
        (part("xl/worksheets/sheet1.xml"), part("xl/styles.xml"))
    }

    /// Cells written without a format inside a block of column formats read as if each
    /// had its own: the same sheet and styles, and no column keeps a format. Guards
    /// the reliance on rust_xlsxwriter giving a streamed row its column formats.
    #[test]
    fn a_block_of_column_formats_writes_what_formatted_cells_write() {
        for rows in [0, 1, 2, 7] {
            let (by_cell, by_cell_styles) = written(rows, false);
            let (by_column, by_column_styles) = written(rows, true);
            assert_eq!(by_column, by_cell, "{rows} rows");
            assert_eq!(by_column_styles, by_cell_styles, "{rows} rows");
            assert!(!by_column.contains("style="), "{by_column}");
        }
    }
}
