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
pub struct RowCells<'w, 'f> {
    ws: &'w mut Worksheet,
    row: u32,
    /// (first column, last column, format) of each run, in column order.
    runs: Vec<(u16, u16, &'f Format)>,
}

impl<'w, 'f> RowCells<'w, 'f> {
    /// The cells of row `row` (0-based) of `ws`.
    pub fn new(ws: &'w mut Worksheet, row: u32) -> RowCells<'w, 'f> {
        RowCells { ws, row, runs: Vec::new() }
    }

    /// A number at `col`.
    pub fn number(&mut self, col: u16, value: impl Into<f64>, format: &'f Format) -> Result<&mut Self, XlsxError> {
        self.ws.write_number(self.row, col, value)?;
        self.format(col, format);
        Ok(self)
    }

    /// Text at `col`; empty text is a blank cell in the format.
    pub fn string(&mut self, col: u16, value: &str, format: &'f Format) -> Result<&mut Self, XlsxError> {
        self.ws.write_string(self.row, col, value)?;
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

impl Drop for RowCells<'_, '_> {
    fn drop(&mut self) {
        for &(first, last, format) in &self.runs {
            // The cells were written, so the range is within the sheet: no error to lose.
            let _ = self.ws.set_range_format(self.row, first, self.row, last, format);
        }
    }
}
