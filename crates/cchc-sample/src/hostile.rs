//! Hostile and broken workbooks, small on disk and huge once read: the files a
//! reading limit must refuse (`cchc-hostile DIR`, the limits test, the bomb
//! line of `make bench`). Each is valid enough that a reader would start on it.
//!
//! ```no_run
//! let dir = std::path::Path::new("bombs/2023");
//! for bomb in cchc_sample::hostile::write_all(dir).unwrap() {
//!     println!("{} ({})", bomb.file, bomb.what);
//! }
//! ```

use crate::xls::{XlsSheet, XlsValue, write_xls};
use std::io::{self, Write};
use std::path::Path;
use zip::write::SimpleFileOptions;

/// One hostile file written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bomb {
    /// File name inside the folder.
    pub file: String,
    /// What makes it hostile.
    pub what: &'static str,
    /// The diagnostic kind that must refuse it (`file_too_large`, or `corrupt_file`
    /// for a container whose headers lie).
    pub kind: &'static str,
    /// A fragment of the message that names the limit or the fault.
    pub refused_by: &'static str,
}

const MIB: usize = 1 << 20;

/// A minimal .xlsx: sheets as their `<sheetData>` inner XML, an optional shared
/// string table (its `<si>` elements) and `extra` empty parts nobody reads.
fn xlsx(path: &Path, sheets: &[(String, String)], shared: Option<&str>, extra: usize) -> io::Result<()> {
    let mut zip = zip::ZipWriter::new(io::Cursor::new(Vec::new()));
    let opts = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let mut part = |name: &str, body: &str| -> io::Result<()> {
        zip.start_file(name, opts)?;
        zip.write_all(body.as_bytes())
    };
    let overrides: String = (1..=sheets.len())
        .map(|i| format!(r#"<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#))
        .collect();
    part(
        "[Content_Types].xml",
        &format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>{overrides}</Types>"#
        ),
    )?;
    part(
        "_rels/.rels",
        r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
    )?;
    let listed: String =
        sheets.iter().enumerate().map(|(i, (n, _))| format!(r#"<sheet name="{n}" sheetId="{}" r:id="rId{}"/>"#, i + 1, i + 1)).collect();
    part(
        "xl/workbook.xml",
        &format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>{listed}</sheets></workbook>"#
        ),
    )?;
    let mut rels: String = (1..=sheets.len())
        .map(|i| format!(r#"<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{i}.xml"/>"#))
        .collect();
    if shared.is_some() {
        rels.push_str(r#"<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>"#);
    }
    part(
        "xl/_rels/workbook.xml.rels",
        &format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>"#
        ),
    )?;
    if let Some(si) = shared {
        part(
            "xl/sharedStrings.xml",
            &format!(
                r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{si}</sst>"#
            ),
        )?;
    }
    for (i, (_, data)) in sheets.iter().enumerate() {
        part(
            &format!("xl/worksheets/sheet{}.xml", i + 1),
            &format!(
                r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{data}</sheetData></worksheet>"#
            ),
        )?;
    }
    for i in 0..extra {
        zip.start_file(format!("customXml/item{i}.xml"), opts)?;
    }
    std::fs::write(path, zip.finish()?.into_inner())
}

/// A minimal .ods whose content.xml holds `tables` (`<table:table>` elements).
fn ods(path: &Path, tables: &str) -> io::Result<()> {
    let mut zip = zip::ZipWriter::new(io::Cursor::new(Vec::new()));
    let stored = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("mimetype", stored)?;
    zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet")?;
    let deflated = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("META-INF/manifest.xml", deflated)?;
    zip.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#)?;
    zip.start_file("content.xml", deflated)?;
    write!(
        zip,
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body></office:document-content>"#
    )?;
    std::fs::write(path, zip.finish()?.into_inner())
}

/// Rewrites the uncompressed size a zip records for `part` (local and central
/// headers) to `size`: a container that lies about what it inflates to.
fn lie_about_size(bytes: &mut [u8], part: &str, size: u32) {
    let name = part.as_bytes();
    let u16_at = |b: &[u8], i: usize| u16::from_le_bytes([b[i], b[i + 1]]) as usize;
    for i in 0..bytes.len().saturating_sub(46) {
        // Local file header, central directory header: (size, name, name length) offsets.
        let (size_at, name_at, len_at) = match &bytes[i..i + 4] {
            b"PK\x03\x04" => (22, 30, 26),
            b"PK\x01\x02" => (24, 46, 28),
            _ => continue,
        };
        let len = u16_at(bytes, i + len_at);
        if bytes.get(i + name_at..i + name_at + len) == Some(name) {
            bytes[i + size_at..i + size_at + 4].copy_from_slice(&size.to_le_bytes());
        }
    }
}

/// A sheet's rows as `<row>` XML, one number cell per row at column `col` (0-based).
fn column_of_numbers(rows: usize, col: usize) -> String {
    let letters = {
        let (mut c, mut s) = (col + 1, Vec::new());
        while c > 0 {
            s.push(b'A' + ((c - 1) % 26) as u8);
            c = (c - 1) / 26;
        }
        s.reverse();
        String::from_utf8(s).unwrap_or_default()
    };
    (1..=rows).map(|r| format!(r#"<row r="{r}"><c r="{letters}{r}"><v>1</v></c></row>"#)).collect()
}

/// Writes every hostile file into `dir` (created if needed); about 60 MB in all,
/// most of it the one file over the size limit.
pub fn write_all(dir: &Path) -> io::Result<Vec<Bomb>> {
    std::fs::create_dir_all(dir)?;
    let mut bombs = Vec::new();
    let mut add = |file: &str, what, kind, refused_by| bombs.push(Bomb { file: file.to_string(), what, kind, refused_by });
    large_parts(dir, &mut add)?;
    many_or_repeated(dir, &mut add)?;
    Ok(bombs)
}

const TOO_LARGE: &str = "file_too_large";

/// A sheet of one inline-string cell, A1.
fn cell(text: &str) -> String {
    format!(r#"<row r="1"><c r="A1" t="inlineStr"><is><t>{text}</t></is></c></row>"#)
}

/// What [`write_all`] records a bomb with: file, what, kind, refused by.
type Add<'a> = dyn FnMut(&str, &'static str, &'static str, &'static str) + 'a;

/// Parts too large once unpacked, or lying about their size.
fn large_parts(dir: &Path, add: &mut Add<'_>) -> io::Result<()> {
    let big = "A".repeat(40 * MIB);

    xlsx(&dir.join("bom-chuoi-noi-tuyen.xlsx"), &[("Biểu".into(), cell(&big))], None, 0)?;
    add("bom-chuoi-noi-tuyen.xlsx", "one inline string of 40 MB (a valid zip under 100 KB)", TOO_LARGE, "giải nén ra hơn giới hạn");

    let si = format!("<si><t>{big}</t></si>");
    xlsx(&dir.join("bom-chuoi-chia-se.xlsx"), &[("Biểu".into(), r#"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#.into())], Some(&si), 0)?;
    add("bom-chuoi-chia-se.xlsx", "a shared-strings part of 40 MB", TOO_LARGE, "giải nén ra hơn giới hạn");

    let path = dir.join("bom-khai-sai-kich-thuoc.xlsx");
    xlsx(&path, &[("Biểu".into(), cell(&big))], None, 0)?;
    let mut bytes = std::fs::read(&path)?;
    lie_about_size(&mut bytes, "xl/worksheets/sheet1.xml", 1024);
    std::fs::write(&path, bytes)?;
    add(
        "bom-khai-sai-kich-thuoc.xlsx",
        "a 40 MB sheet whose zip headers say 1 KB",
        "corrupt_file",
        "phần \"xl/worksheets/sheet1.xml\" của tệp nén",
    );
    drop(big);

    let thirty = "B".repeat(30 * MIB);
    let sheets: Vec<(String, String)> = (1..=3).map(|i| (format!("T{i}"), cell(&thirty))).collect();
    xlsx(&dir.join("bom-nhieu-phan-lon.xlsx"), &sheets, None, 0)?;
    add(
        "bom-nhieu-phan-lon.xlsx",
        "three sheets of 30 MB each: each under the part limit, 90 MB together",
        TOO_LARGE,
        "tổng cộng hơn giới hạn",
    );
    drop(thirty);
    Ok(())
}

/// Too many sheets, parts, cells or characters, and a file that is not what its name says.
fn many_or_repeated(dir: &Path, add: &mut Add<'_>) -> io::Result<()> {
    xlsx(&dir.join("o-qua-dai.xlsx"), &[("Biểu".into(), cell(&"Ă".repeat(40_000)))], None, 0)?;
    add("o-qua-dai.xlsx", "one cell of 40,000 characters", TOO_LARGE, "ký tự của Excel");

    let sheets: Vec<(String, String)> = (1..=1001).map(|i| (format!("T{i}"), String::new())).collect();
    xlsx(&dir.join("nhieu-trang.xlsx"), &sheets, None, 0)?;
    add("nhieu-trang.xlsx", "1,001 sheets", TOO_LARGE, "trang tính, vượt giới hạn");

    xlsx(&dir.join("nhieu-phan.xlsx"), &[("Biểu".into(), cell("x"))], None, 10_001)?;
    add("nhieu-phan.xlsx", "10,001 empty parts in the zip", TOO_LARGE, "phần, vượt giới hạn");

    xlsx(&dir.join("vung-qua-lon.xlsx"), &[("Biểu".into(), column_of_numbers(19_000, 60))], None, 0)?;
    add("vung-qua-lon.xlsx", "19,000 rows with a cell in column 61: 1.2 million cells held", TOO_LARGE, "vùng dữ liệu vượt giới hạn");

    let long = "Ư".repeat(30_000);
    let rows: String = (1..=1200).map(|r| format!(r#"<row r="{r}"><c r="A{r}" t="s"><v>0</v></c></row>"#)).collect();
    xlsx(&dir.join("van-ban-lap.xlsx"), &[("Biểu".into(), rows)], Some(&format!("<si><t>{long}</t></si>")), 0)?;
    add("van-ban-lap.xlsx", "one shared string of 30,000 characters in 1,200 cells", TOO_LARGE, "tổng văn bản");

    let repeated = format!(
        r#"<table:table table:name="Biểu"><table:table-row table:number-rows-repeated="100"><table:table-cell office:value-type="string" table:number-columns-repeated="200"><text:p>{long}</text:p></table:table-cell></table:table-row></table:table>"#
    );
    ods(&dir.join("bom-o-lap.ods"), &repeated)?;
    add("bom-o-lap.ods", "a 30,000-character cell repeated 200 × 100 times", TOO_LARGE, "tổng văn bản");

    let padded = format!(
        r#"<table:table table:name="Biểu"><table:table-row><table:table-cell/></table:table-row></table:table>{}"#,
        " ".repeat(40 * MIB)
    );
    ods(&dir.join("bom-noi-dung.ods"), &padded)?;
    add("bom-noi-dung.ods", "a content.xml of 40 MB", TOO_LARGE, "giải nén ra hơn giới hạn");

    let text = XlsValue::Text("Ơ".repeat(30_000));
    let rows = (0..1500).map(|_| vec![text.clone()]).collect();
    write_xls(&dir.join("van-ban-lap.xls"), &[XlsSheet { name: "Biểu".into(), rows, merges: Vec::new() }])?;
    add("van-ban-lap.xls", "one shared string of 30,000 characters in 1,500 cells", TOO_LARGE, "tổng văn bản");

    let mut rows = vec![Vec::new(); 19_999];
    rows.push(vec![XlsValue::Empty; 200]);
    rows[19_999].push(XlsValue::Number(1.0));
    write_xls(&dir.join("vung-qua-lon.xls"), &[XlsSheet { name: "Biểu".into(), rows, merges: Vec::new() }])?;
    add("vung-qua-lon.xls", "a used range of 20,000 × 201 cells", TOO_LARGE, "vùng dữ liệu vượt giới hạn");

    // CSV text under a workbook's name, past the size limit.
    let mut f = io::BufWriter::new(std::fs::File::create(dir.join("xuat-du-lieu.xlsx"))?);
    let line = "Triệu Ái;1.1;Ban hành kế hoạch CCHC;2;2;2\n";
    for _ in 0..(40 * MIB / line.len() + 1) {
        f.write_all(line.as_bytes())?;
    }
    f.flush()?;
    add("xuat-du-lieu.xlsx", "40 MB of CSV text named .xlsx", TOO_LARGE, "vượt giới hạn 32 MB");
    Ok(())
}
