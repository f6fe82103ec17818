//! The house style every workbook shares (the ranking workbook and the appendices):
//! the font, the header fill, the page set-up and its footer, so that what the office
//! publishes and what it sends to the communes look like one office's documents.

use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Worksheet, XlsxError};

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
