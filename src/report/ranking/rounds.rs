//! "Các vòng thẩm định": for the units whose sheets record several appraisal rounds
//! or deductions, each stage's points (self, every round, deductions, the official
//! score), then every leaf a stage changed. Rows are written top to bottom.

use super::{Formats, SHEET_ROUNDS, headers, print_setup, title};
use crate::analyse::rounds::{Stages, UnitRounds};
use crate::findings::Findings;
use crate::model::points::Points;
use crate::score::YearResult;
use rust_xlsxwriter::{Format, Worksheet, XlsxError};

/// The rounds' headers: the sheets' own labels where every sheet has the same,
/// else "Vòng 1", "Vòng 2" ….
pub fn round_labels(units: &[UnitRounds]) -> Vec<String> {
    let most = units.iter().map(|u| u.labels.len()).max().unwrap_or(0);
    match units.first() {
        Some(first) if units.iter().all(|u| u.labels == first.labels) => first.labels.clone(),
        _ => (1..=most).map(|k| format!("Vòng {k}")).collect(),
    }
}

fn stage_cells(ws: &mut Worksheet, f: &Formats, r: u32, col: u16, s: &Stages, rounds: usize) -> Result<(), XlsxError> {
    let mut put = |c: u16, v: Option<Points>, fmt: &Format| match v {
        Some(p) => ws.write_number_with_format(r, c, p.as_f64(), fmt).map(|_| ()),
        None => ws.write_blank(r, c, fmt).map(|_| ()),
    };
    put(col, s.self_score, &f.number)?;
    for k in 0..rounds {
        put(col + 1 + k as u16, s.rounds.get(k).copied().flatten(), &f.number)?;
    }
    put(col + 1 + rounds as u16, s.deduction, &f.number)?;
    put(col + 2 + rounds as u16, s.official, &f.bold_number)
}

/// Writes the rounds sheet.
pub(super) fn write(ws: &mut Worksheet, f: &Formats, a: &Findings, units: &[UnitRounds], y: &YearResult) -> Result<(), XlsxError> {
    ws.set_name(SHEET_ROUNDS)?;
    let labels = round_labels(units);
    let n = labels.len();
    let stage_headers: Vec<String> = std::iter::once("Tự chấm".to_string())
        .chain(labels.iter().cloned())
        .chain(["Bị trừ".to_string(), "Chính thức".to_string()])
        .collect();
    let last_col = (4 + stage_headers.len()) as u16;
    title(
        ws,
        f,
        last_col,
        &format!("ĐIỂM QUA CÁC VÒNG THẨM ĐỊNH NĂM {}", y.year),
        Some("Điểm chính thức là điểm của vòng cuối cùng có điểm, sau khi trừ điểm bị trừ. Tổng là tổng điểm các tiêu chí thành phần."),
    )?;
    for (c, w) in [7.0, 24.0, 9.0, 40.0, 10.0].into_iter().chain(std::iter::repeat_n(12.0, stage_headers.len())).enumerate() {
        ws.set_column_width(c as u16, w)?;
    }
    let rank_of = |unit| y.units.iter().find(|u| u.unit == unit).map_or(0, |u| u.rank);
    let mut r = 3;
    let mut head: Vec<&str> = vec!["Xếp hạng", "Đơn vị", "", "", ""];
    head.extend(stage_headers.iter().map(String::as_str));
    headers(ws, &f.header, r, 0, &head)?;
    ws.set_row_height(r, 32)?;
    let first_head = r;
    for u in units {
        r += 1;
        ws.write_number_with_format(r, 0, rank_of(u.unit), &f.center)?;
        ws.write_string_with_format(r, 1, &a.units[u.unit].name, &f.text)?;
        let changed = format!("{} tiêu chí thay đổi", u.leaves.len());
        ws.merge_range(r, 2, r, 4, &changed, &f.text)?;
        stage_cells(ws, f, r, 5, &u.totals, n)?;
    }
    ws.set_freeze_panes(first_head + 1, 2)?;
    r += 2;
    ws.merge_range(r, 0, r, last_col, "CÁC TIÊU CHÍ THAY ĐỔI QUA CÁC VÒNG", &f.subtitle)?;
    r += 1;
    let mut head: Vec<&str> = vec!["Xếp hạng", "Đơn vị", "Mã", "Tiêu chí", "Điểm tối đa"];
    head.extend(stage_headers.iter().map(String::as_str));
    headers(ws, &f.header, r, 0, &head)?;
    ws.set_row_height(r, 32)?;
    for u in units {
        for l in &u.leaves {
            r += 1;
            ws.write_number_with_format(r, 0, rank_of(u.unit), &f.center)?;
            ws.write_string_with_format(r, 1, &a.units[u.unit].name, &f.text)?;
            ws.write_string_with_format(r, 2, l.code.as_str(), &f.center)?;
            ws.write_string_with_format(r, 3, &l.name, &f.text)?;
            ws.write_number_with_format(r, 4, l.max.as_f64(), &f.number)?;
            stage_cells(ws, f, r, 5, &l.stages, n)?;
        }
    }
    print_setup(ws, first_head, first_head)?;
    Ok(())
}
