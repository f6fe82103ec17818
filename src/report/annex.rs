//! The ranking annex of a year's decision, as a Word document in the state format:
//! "Phụ lục: KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM Y CỦA UBND CÁC XÃ, THỊ TRẤN (Kèm
//! theo Quyết định số …)", a landscape table of every unit (STT, name, each area's
//! points, index, band, rank with ties shared, the move since the year before), the
//! listed units that sent no sheet, and the count of units per band under it.

use super::docx::{self, Orientation, Weight, size};
use super::ranking::move_mark;
use super::remedy::{kinds_text, tied_ranks};
use crate::error::{CchcError, Result};
use crate::findings::Findings;
use crate::score::{UnitResult, YearResult};
use crate::write::output::write_bytes;
use docx_rs::{AlignmentType, TableCell, TableRow};
use std::path::{Path, PathBuf};

/// Where a year's annex goes: `output/<year>/phu-luc-xep-hang-<year>.docx`.
pub fn path(output: &Path, year: i32) -> PathBuf {
    output.join(year.to_string()).join(format!("phu-luc-xep-hang-{year}.docx"))
}

/// Widths (twips) of the columns around the areas': STT, unit, index, band, rank, move.
const FIXED: [usize; 6] = [700, 2_500, 1_000, 1_150, 1_300, 1_100];

/// The units of a year in the order the table lists them: by rank, ties alphabetically.
fn in_rank_order<'y>(a: &Findings, y: &'y YearResult) -> Vec<&'y UnitResult> {
    let mut units: Vec<&UnitResult> = y.units.iter().collect();
    units.sort_by_key(|u| (u.rank, a.alphabetical[u.unit.index()]));
    units
}

/// Builds a year's annex.
pub fn build(a: &Findings, y: &YearResult) -> std::io::Result<Vec<u8>> {
    let year = y.year;
    let d = a.settings.documents.decisions.get(&year);
    let number = docx::or_blank(d.and_then(|d| d.number.as_deref()));
    let date = docx::or_blank(d.and_then(|d| d.date.as_deref()));
    let office = a.office().unwrap_or_else(|| docx::BLANK.to_string());
    let (table, rows) = ranking_table(a, y);
    let doc = docx::document(Orientation::Landscape, false)
        .add_paragraph(docx::centred("Phụ lục", size::BODY, Weight::Bold))
        .add_paragraph(docx::centred(
            &format!("KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {year} CỦA UBND CÁC {}", kinds_text(a, y).to_uppercase()),
            size::BODY,
            Weight::Bold,
        ))
        .add_paragraph(docx::centred(&format!("(Kèm theo Quyết định số {number} ngày {date} của {office})"), size::BODY, Weight::Italic))
        .add_paragraph(docx::centred("", size::SMALL, Weight::Regular))
        .add_table(table)
        .add_paragraph(docx::centred("", size::SMALL, Weight::Regular))
        .add_paragraph(band_summary(a, y));
    docx::pack_with_rows(doc, Some(rows))
}

fn text_cell(t: &str, w: usize, weight: Weight, align: AlignmentType) -> TableCell {
    docx::cell(vec![docx::cell_line(t, size::SMALL, weight, align)], w)
}

/// The table: two header rows (the areas under one heading), one row per unit, then the
/// listed units that sent nothing. The units' rows come apart, as XML for
/// [`docx::pack_with_rows`]; the table holds their mark.
fn ranking_table(a: &Findings, y: &YearResult) -> (docx_rs::Table, Vec<u8>) {
    let areas: Vec<_> = y.framework.areas().collect();
    let n = areas.len();
    let free = Orientation::Landscape.text_width() - FIXED.iter().sum::<usize>();
    let area_w = free.checked_div(n).unwrap_or(0);
    let mut widths = vec![FIXED[0], FIXED[1]];
    widths.extend(std::iter::repeat_n(area_w, n));
    widths.extend_from_slice(&FIXED[2..]);
    let before = format!("So với năm {}", y.year - 1);
    let tail = ["Chỉ số", "Xếp loại", "Xếp hạng", before.as_str()];
    let mut top = vec![docx::merged_header_cell("STT", FIXED[0], true), docx::merged_header_cell("Đơn vị", FIXED[1], true)];
    let mut second = vec![docx::merged_header_cell("", FIXED[0], false), docx::merged_header_cell("", FIXED[1], false)];
    if n > 0 {
        top.push(docx::header_cell("Điểm từng lĩnh vực (điểm tối đa)", area_w * n).grid_span(n));
        second.extend(areas.iter().map(|ar| docx::header_cell(&format!("{} ({})", ar.code.display(), ar.max.to_vi()), area_w)));
    }
    for (t, w) in tail.iter().zip(&FIXED[2..]) {
        top.push(docx::merged_header_cell(t, *w, true));
        second.push(docx::merged_header_cell("", *w, false));
    }
    // The units' rows as XML, each dropped once written: one row per unit, and a
    // province's 10,000 units held as document elements took 600 MB.
    let mut rows = vec![docx::header_row(top), docx::header_row(second), docx::rows_mark()];
    let units = in_rank_order(a, y);
    let tied = tied_ranks(y);
    let unit_rows = docx::rows_xml(units.iter().enumerate().map(|(i, u)| {
        let unit = &a.units[u.unit];
        let mut cells = vec![
            text_cell(&(i + 1).to_string(), FIXED[0], Weight::Regular, AlignmentType::Center),
            text_cell(
                &format!("{} {}", crate::text::capitalised(unit.kind.label()), unit.name),
                FIXED[1],
                Weight::Regular,
                AlignmentType::Left,
            ),
        ];
        for ar in &areas {
            let points = u.areas.iter().find(|x| x.code == ar.code).map_or(String::new(), |x| x.points.to_vi());
            cells.push(text_cell(&points, area_w, Weight::Regular, AlignmentType::Center));
        }
        let rank = if tied.contains(&u.rank) { format!("{} (đồng hạng)", u.rank) } else { u.rank.to_string() };
        cells.push(text_cell(&u.index.to_vi_fixed(), FIXED[2], Weight::Bold, AlignmentType::Center));
        cells.push(text_cell(u.band.label(), FIXED[3], Weight::Regular, AlignmentType::Center));
        cells.push(text_cell(&rank, FIXED[4], Weight::Regular, AlignmentType::Center));
        cells.push(text_cell(&move_mark(u.rank_change), FIXED[5], Weight::Regular, AlignmentType::Center));
        TableRow::new(cells).cant_split()
    }));
    for (i, name) in a.missing_in(y.year).iter().enumerate() {
        let span = n + 4;
        let span_w: usize = widths[2..].iter().sum();
        rows.push(TableRow::new(vec![
            text_cell(&(units.len() + i + 1).to_string(), FIXED[0], Weight::Regular, AlignmentType::Center),
            text_cell(name, FIXED[1], Weight::Regular, AlignmentType::Left),
            text_cell("Không nộp biểu chấm điểm, không xếp hạng", span_w, Weight::Italic, AlignmentType::Center).grid_span(span),
        ]));
    }
    (docx::table(rows, &widths, false), unit_rows)
}

/// The count of units per band, one line: "Tổng hợp xếp loại: Tốt 7 đơn vị (38,89%);
/// Khá 11 đơn vị (61,11%); …", and those that sent nothing.
fn band_summary(a: &Findings, y: &YearResult) -> docx_rs::Paragraph {
    let total = y.units.len();
    let mut parts: Vec<String> = a
        .settings
        .bands
        .all()
        .map(|band| {
            let count = y.units.iter().filter(|u| u.band == band).count();
            let share = crate::model::points::Percent::of_count(count, total);
            format!("{} {count} đơn vị ({}%)", band.label(), crate::model::points::Points(share.0).to_vi_fixed())
        })
        .collect();
    let missing = a.missing_in(y.year).len();
    if missing > 0 {
        parts.push(format!("không nộp biểu chấm điểm {missing} đơn vị"));
    }
    docx::body_runs(vec![
        docx::run("Tổng hợp xếp loại: ", size::BODY, Weight::Bold),
        docx::run(&format!("{}.", parts.join("; ")), size::BODY, Weight::Regular),
    ])
}

/// Writes each year's annex; returns the paths written.
pub fn write_all(a: &Findings, output: &Path, only_year: Option<i32>) -> Result<Vec<PathBuf>> {
    let mut written = Vec::new();
    for y in a.years.iter().filter(|y| only_year.is_none_or(|o| o == y.year)) {
        let path = path(output, y.year);
        let bytes = build(a, y).map_err(|source| CchcError::Document { path: path.clone(), source })?;
        write_bytes(&path, &bytes)?;
        written.push(path);
    }
    Ok(written)
}
