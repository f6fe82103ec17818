//! The state format for administrative documents (Nghị định 30/2020/NĐ-CP, Phụ lục I)
//! as a small house style that every Word document cchc writes shares (the units'
//! remediation letters and the ranking annex), as [`super::style`] is for workbooks:
//! A4, the decree's margins, Times New Roman, the sizes it gives each part, justified
//! body text with a first-line indent, page numbers from the second page, centred at
//! the top.
//!
//! Lengths are in twentieths of a point (twips, 1 mm ≈ 56.7), font sizes in half points,
//! as WordprocessingML counts them.

use docx_rs::{
    AlignmentType, BorderType, Docx, Header, LineSpacing, LineSpacingType, PageMargin, PageNum, PageOrientationType, Paragraph,
    ParagraphBorder, ParagraphBorderPosition, ParagraphBorders, Run, RunFonts, Section, Shading, SpecialIndentType, Table, TableBorders,
    TableCell, TableCellBorders, TableLayoutType, TableRow, VAlignType, VMergeType, WidthType,
};

/// The font the decree prescribes (Unicode, TCVN 6909:2001).
pub const FONT: &str = super::style::FONT;
/// A4, portrait, in twips.
const A4: (u32, u32) = (11_906, 16_838);
/// Margins (decree: top and bottom 20–25 mm, left 30–35 mm, right 15–20 mm): 20, 20, 30, 15.
const MARGIN: (i32, i32, i32, i32) = (1_134, 1_134, 1_701, 851);
/// The header (page number) sits 10 mm from the top edge.
const HEADER_FROM_TOP: i32 = 567;
/// First-line indent of body paragraphs: 1 cm.
const FIRST_LINE: i32 = 567;
/// Space after a body paragraph: 6 pt.
const AFTER: u32 = 120;
/// Line spacing of body text: single (decree: single to 1.5), so that a letter with
/// seven or eight area lines fits its page.
const LINE: i32 = 240;

/// Font sizes (points) the decree gives each part of a document.
pub mod size {
    /// Body text, "Kính gửi", the place and date line, the signature block.
    pub const BODY: usize = 14;
    /// The issuing body, the national motto's first line, "Số:", the subject line.
    pub const HEADING: usize = 13;
    /// "Nơi nhận:" and table text.
    pub const SMALL: usize = 12;
    /// The list under "Nơi nhận:".
    pub const LIST: usize = 11;
}

/// How a section's pages are turned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Orientation {
    /// Letters.
    Portrait,
    /// Wide tables.
    Landscape,
}

impl Orientation {
    /// The width text may take, in twips.
    pub fn text_width(self) -> usize {
        let page = match self {
            Orientation::Portrait => A4.0,
            Orientation::Landscape => A4.1,
        };
        page as usize - (MARGIN.2 + MARGIN.3) as usize
    }

    fn size(self) -> (u32, u32, PageOrientationType) {
        match self {
            Orientation::Portrait => (A4.0, A4.1, PageOrientationType::Portrait),
            Orientation::Landscape => (A4.1, A4.0, PageOrientationType::Landscape),
        }
    }
}

fn margins() -> PageMargin {
    PageMargin::new().top(MARGIN.0).bottom(MARGIN.1).left(MARGIN.2).right(MARGIN.3).header(HEADER_FROM_TOP).footer(HEADER_FROM_TOP)
}

/// The page number, centred at the top.
fn page_number_header() -> Header {
    Header::new().add_paragraph(Paragraph::new().align(AlignmentType::Center).size(size::BODY * 2).add_page_num(PageNum::new()))
}

/// A new document in the house style: the default font and size, and its last section
/// (the content added to the document directly, after any [`section`]) in the given
/// orientation, numbered at the top from its second page when `first_numbered` is false.
pub fn document(last: Orientation, first_numbered: bool) -> Docx {
    let (w, h, orient) = last.size();
    let fonts = RunFonts::new().ascii(FONT).hi_ansi(FONT).east_asia(FONT).cs(FONT);
    let doc = Docx::new()
        .default_fonts(fonts)
        .default_size(size::BODY * 2)
        .page_size(w, h)
        .page_orient(orient)
        .page_margin(margins())
        .header(page_number_header());
    if first_numbered { doc } else { doc.title_pg() }
}

/// A section of its own pages before the document's last one, numbered from its second
/// page; `Docx::add_section` closes it.
pub fn section(orientation: Orientation) -> Section {
    let (w, h, orient) = orientation.size();
    Section::new()
        .page_size(docx_rs::PageSize::new().size(w, h))
        .page_orient(orient)
        .page_margin(margins())
        .header(page_number_header())
        .title_pg()
}

/// A run of text in a size (points), bold or italic as `weight` says.
pub fn run(text: &str, points: usize, weight: Weight) -> Run {
    let r = Run::new().add_text(text).size(points * 2);
    match weight {
        Weight::Regular => r,
        Weight::Bold => r.bold(),
        Weight::Italic => r.italic(),
        Weight::BoldItalic => r.bold().italic(),
    }
}

/// How a run is set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weight {
    /// Upright.
    Regular,
    /// Bold.
    Bold,
    /// Italic.
    Italic,
    /// Bold italic ("Nơi nhận:").
    BoldItalic,
}

fn spacing(after: u32) -> LineSpacing {
    LineSpacing::new().line_rule(LineSpacingType::Auto).line(LINE).before(0).after(after)
}

/// A body paragraph: justified, first line indented, 14 pt, 6 pt after.
pub fn body(text: &str) -> Paragraph {
    body_runs(vec![run(text, size::BODY, Weight::Regular)])
}

/// A body paragraph of several runs (a bold label before regular text).
pub fn body_runs(runs: Vec<Run>) -> Paragraph {
    let p = Paragraph::new()
        .align(AlignmentType::Both)
        .indent(None, Some(SpecialIndentType::FirstLine(FIRST_LINE)), None, None)
        .line_spacing(spacing(AFTER));
    runs.into_iter().fold(p, Paragraph::add_run)
}

/// A centred line.
pub fn centred(text: &str, points: usize, weight: Weight) -> Paragraph {
    Paragraph::new().align(AlignmentType::Center).line_spacing(spacing(0)).add_run(run(text, points, weight))
}

/// A line flush left, without indent.
pub fn left(text: &str, points: usize, weight: Weight) -> Paragraph {
    Paragraph::new().align(AlignmentType::Left).line_spacing(spacing(0)).add_run(run(text, points, weight))
}

/// A text line in a table cell, aligned as given.
pub fn cell_line(text: &str, points: usize, weight: Weight, align: AlignmentType) -> Paragraph {
    Paragraph::new().align(align).line_spacing(LineSpacing::new().before(20).after(20)).add_run(run(text, points, weight))
}

/// The short rule under the issuing body's name and under the motto: a bottom border
/// `length` twips long, centred in a column `column` twips wide.
pub fn rule(column: usize, length: usize) -> Paragraph {
    let side = column.saturating_sub(length) as i32 / 2;
    let mut p = Paragraph::new()
        .indent(Some(side), None, Some(side), None)
        .line_spacing(LineSpacing::new().line_rule(LineSpacingType::Exact).line(40).before(0).after(120))
        .size(2);
    p.property = p.property.set_borders(
        ParagraphBorders::with_empty().set(ParagraphBorder::new(ParagraphBorderPosition::Bottom).val(BorderType::Single).size(6)),
    );
    p
}

/// A table of columns `widths` wide (twips), every cell bordered unless `borderless`.
pub fn table(rows: Vec<TableRow>, widths: &[usize], borderless: bool) -> Table {
    let t = Table::new(rows)
        .set_grid(widths.to_vec())
        .layout(TableLayoutType::Fixed)
        .width(widths.iter().sum(), WidthType::Dxa)
        .align(docx_rs::TableAlignmentType::Center);
    if borderless { t.set_borders(TableBorders::with_empty()) } else { t }
}

/// A table cell `width` twips wide holding `paragraphs`.
pub fn cell(paragraphs: Vec<Paragraph>, width: usize) -> TableCell {
    let c = TableCell::new().width(width, WidthType::Dxa).vertical_align(VAlignType::Top);
    paragraphs.into_iter().fold(c, TableCell::add_paragraph)
}

/// A cell without borders (the letterhead and the signature block).
pub fn plain_cell(paragraphs: Vec<Paragraph>, width: usize) -> TableCell {
    cell(paragraphs, width).set_borders(TableCellBorders::with_empty())
}

/// The height docx-rs writes on a header row, which [`pack`] turns into `<w:tblHeader/>`
/// (docx-rs has no such property): a height no other row asks for.
const HEADER_MARK: &str = r#"<w:trHeight w:val="1" w:hRule="atLeast" />"#;

/// A table's header row, repeated at the top of every page the table runs onto.
pub fn header_row(cells: Vec<TableCell>) -> TableRow {
    TableRow::new(cells).row_height(1.0).height_rule(docx_rs::HeightRule::AtLeast).cant_split()
}

/// A header cell of a table: bold, centred, shaded as the workbooks' headers.
pub fn header_cell(text: &str, width: usize) -> TableCell {
    cell(vec![cell_line(text, size::SMALL, Weight::Bold, AlignmentType::Center)], width)
        .vertical_align(VAlignType::Center)
        .shading(Shading::new().fill(super::style::HEADER_FILL.trim_start_matches('#')))
}

/// A header cell merged down over the row below (`first`: the top one).
pub fn merged_header_cell(text: &str, width: usize, first: bool) -> TableCell {
    if first {
        header_cell(text, width).vertical_merge(VMergeType::Restart)
    } else {
        header_cell("", width).vertical_merge(VMergeType::Continue)
    }
}

/// Packs a document into the bytes of a .docx file.
///
/// Header rows ([`header_row`]) are marked to repeat on every page here.
///
/// docx-rs stores its parts uncompressed (a letter's document.xml is 100–150 KB, 88 MB
/// for a year of 1,000 units); they are deflated here at the fastest level, to about a
/// tenth, with a fixed date and host, so that equal documents are equal files, on
/// Windows as on Linux. Paragraph ids are numbered again from 1 in each document:
/// docx-rs counts them per thread, so a letter's ids depended on the letters its
/// rayon thread had built before it.
pub fn pack(doc: Docx) -> std::io::Result<Vec<u8>> {
    pack_with_rows(doc, None)
}

/// Text of the one cell of the row [`pack_with_rows`] replaces: no document holds it.
pub const ROWS_MARK: &str = "\u{E000}cchc-rows\u{E000}";

/// A row standing for rows built apart ([`rows_xml`]): [`pack_with_rows`] puts them in its
/// place.
pub fn rows_mark() -> TableRow {
    TableRow::new(vec![cell(vec![cell_line(ROWS_MARK, size::SMALL, Weight::Regular, AlignmentType::Left)], 100)])
}

/// The XML of table rows, built and dropped a few at a time: a table of 10,000 rows held
/// whole as docx-rs elements took about 60 KB a row, the XML takes 4 KB.
pub fn rows_xml(rows: impl Iterator<Item = TableRow>) -> Vec<u8> {
    use docx_rs::BuildXML;
    let mut out = Vec::new();
    for row in rows {
        out.extend_from_slice(&row.build());
    }
    out
}

/// [`pack`], with `rows` (XML from [`rows_xml`]) in place of the document's
/// [`rows_mark`] row: the same bytes as the rows added to the table whole.
pub fn pack_with_rows(doc: Docx, rows: Option<Vec<u8>>) -> std::io::Result<Vec<u8>> {
    use std::io::Cursor;
    use zip::write::SimpleFileOptions;
    let mut stored = Cursor::new(Vec::new());
    doc.build().pack(&mut stored).map_err(std::io::Error::other)?;
    let mut parts = zip::ZipArchive::new(Cursor::new(stored.into_inner())).map_err(std::io::Error::other)?;
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(1))
        .last_modified_time(zip::DateTime::default())
        // Else zip records the host (Unix or DOS): the Windows build's files would differ.
        .system(zip::System::Unix)
        .unix_permissions(0o644);
    let mut para_id = 0u32;
    for i in 0..parts.len() {
        let mut part = parts.by_index(i).map_err(std::io::Error::other)?;
        // Folder entries mean nothing to a package.
        if part.is_dir() {
            continue;
        }
        let name = part.name().map_err(std::io::Error::other)?.into_owned();
        out.start_file(name.as_str(), options).map_err(std::io::Error::other)?;
        if name.starts_with("word/") && name.ends_with(".xml") {
            let mut xml = String::new();
            std::io::Read::read_to_string(&mut part, &mut xml)?;
            if let (Some(rows), "word/document.xml") = (&rows, name.as_str()) {
                xml = splice_rows(&xml, rows)?;
            }
            let xml = renumber_para_ids(&xml, &mut para_id);
            let xml = if name == "word/document.xml" { xml.replace(HEADER_MARK, "<w:tblHeader />") } else { xml };
            std::io::Write::write_all(&mut out, xml.as_bytes())?;
        } else {
            std::io::copy(&mut part, &mut out)?;
        }
    }
    Ok(out.finish().map_err(std::io::Error::other)?.into_inner())
}

/// `xml` with the row holding [`ROWS_MARK`] replaced by `rows`.
fn splice_rows(xml: &str, rows: &[u8]) -> std::io::Result<String> {
    let missing = || std::io::Error::other("cchc: the rows' place mark is missing from the document");
    let at = xml.find(ROWS_MARK).ok_or_else(missing)?;
    let start = xml[..at].rfind("<w:tr>").ok_or_else(missing)?;
    let end = at + xml[at..].find("</w:tr>").ok_or_else(missing)? + "</w:tr>".len();
    let rows = std::str::from_utf8(rows).map_err(std::io::Error::other)?;
    Ok([&xml[..start], rows, &xml[end..]].concat())
}

/// A part's paragraph ids (`w14:paraId`), numbered on from `next`.
fn renumber_para_ids(xml: &str, next: &mut u32) -> String {
    const ATTR: &str = "w14:paraId=\"";
    let mut out = String::with_capacity(xml.len());
    let mut rest = xml;
    while let Some(at) = rest.find(ATTR) {
        let value = at + ATTR.len();
        let Some(len) = rest[value..].find('"') else { break };
        *next += 1;
        out.push_str(&rest[..value]);
        out.push_str(&format!("{:08X}", *next));
        rest = &rest[value + len..];
    }
    out.push_str(rest);
    out
}

/// The letterhead as the decree lays it out: a borderless table of two columns, the
/// issuing body (`body`: "ỦY BAN NHÂN DÂN" over the unit's name) and a short rule on the
/// left, the national motto and its rule on the right; under them the number and subject
/// on the left (`left_below`), the place and date in italics on the right.
pub fn letterhead(body: [&str; 2], left_below: Vec<Paragraph>, place_date: &str, width: usize) -> Table {
    // The motto's first line, 13 pt bold, needs about 62 % of a portrait page's width.
    let left = width * 37 / 100;
    let right = width - left;
    let body_cell = plain_cell(
        vec![centred(body[0], size::HEADING, Weight::Bold), centred(body[1], size::HEADING, Weight::Bold), rule(left, left / 3)],
        left,
    );
    let motto_cell = plain_cell(
        vec![
            centred("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", size::HEADING, Weight::Bold),
            centred("Độc lập - Tự do - Hạnh phúc", size::BODY, Weight::Bold),
            // As long as the motto's second line: about 3,550 twips at 14 pt bold.
            rule(right, 3_550),
        ],
        right,
    );
    let date_cell = plain_cell(vec![centred(place_date, size::BODY, Weight::Italic)], right);
    table(
        vec![TableRow::new(vec![body_cell, motto_cell]), TableRow::new(vec![plain_cell(left_below, left), date_cell])],
        &[left, right],
        true,
    )
}

/// The visible blank an office fills in by hand, where cchc does not know a value.
pub const BLANK: &str = "…";

/// A value from the settings, or the blank.
pub fn or_blank(value: Option<&str>) -> &str {
    value.filter(|v| !v.trim().is_empty()).unwrap_or(BLANK)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_widths_follow_the_margins() {
        // 210 mm − 30 − 15 = 165 mm; 297 − 45 = 252 mm.
        assert_eq!(Orientation::Portrait.text_width(), 9_354);
        assert_eq!(Orientation::Landscape.text_width(), 14_286);
    }

    #[test]
    fn a_document_packs_into_a_docx() {
        let doc = document(Orientation::Portrait, false).add_paragraph(body("Căn cứ …"));
        let bytes = pack(doc.clone()).unwrap();
        assert_eq!(&bytes[..2], b"PK");
        // The same bytes every time, and the same host in every entry (Unix, 3, in the
        // central directory's "version made by"), whichever system wrote them.
        assert_eq!(pack(doc).unwrap(), bytes);
        let entries: Vec<usize> = bytes.windows(4).enumerate().filter(|(_, w)| *w == b"PK\x01\x02").map(|(i, _)| i).collect();
        assert!(entries.len() > 5 && entries.iter().all(|&i| bytes[i + 5] == 3), "{entries:?}");
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut xml = String::new();
        std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").unwrap(), &mut xml).unwrap();
        assert!(xml.contains("Căn cứ …") && xml.contains("w:titlePg"), "{xml}");
    }

    /// Regression: docx-rs numbers paragraphs per thread, so the same letter built
    /// after another one came out with other ids (the example district's letters
    /// differed between two runs that split the work between threads differently).
    #[test]
    fn equal_documents_are_equal_files_whatever_the_thread_built_before() {
        let make = || document(Orientation::Portrait, true).add_paragraph(body("Kính gửi")).add_paragraph(body("Căn cứ …"));
        let first = pack(make()).unwrap();
        assert_eq!(pack(make()).unwrap(), first);
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(first)).unwrap();
        let mut xml = String::new();
        std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").unwrap(), &mut xml).unwrap();
        assert!(xml.contains(r#"w14:paraId="00000001""#), "{xml}");
    }

    /// Rows built apart as XML and put in the mark's place make the same file as the
    /// rows added to the table (the annex builds its units' rows so).
    #[test]
    fn rows_built_apart_pack_as_rows_in_the_table() {
        let header = || header_row(vec![header_cell("STT", 700), header_cell("Đơn vị", 2_500)]);
        let row = |i: usize| TableRow::new(vec![cell(vec![body(&i.to_string())], 700), cell(vec![body(&format!("Xã {i}"))], 2_500)]);
        let doc = |rows: Vec<TableRow>| document(Orientation::Landscape, false).add_table(table(rows, &[700, 2_500], false));
        let whole = pack(doc(std::iter::once(header()).chain((1..=3).map(row)).collect())).unwrap();
        let apart = pack_with_rows(doc(vec![header(), rows_mark()]), Some(rows_xml((1..=3).map(row)))).unwrap();
        assert_eq!(apart, whole);
        assert!(pack_with_rows(doc(vec![header()]), Some(rows_xml((1..=3).map(row)))).is_err(), "no mark, no document");
    }
}
