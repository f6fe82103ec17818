//! "Khung tiêu chí": the year's framework as read from the sheets (by majority):
//! code, name indented by depth, max, depth and whether it is scored (a leaf), so a
//! reader can check the tree every other sheet rests on.

use super::{Formats, SHEET_FRAMEWORK, headers, points, print_setup, title};
use crate::resolve::framework::Framework;
use crate::score::YearResult;
use rust_xlsxwriter::{Worksheet, XlsxError};

/// Writes the framework sheet.
pub(super) fn write(ws: &mut Worksheet, f: &Formats, y: &YearResult) -> Result<(), XlsxError> {
    let fw = &y.framework;
    let leaves = fw.nodes.iter().filter(|n| n.leaf).count();
    ws.set_name(SHEET_FRAMEWORK)?;
    title(
        ws,
        f,
        4,
        &format!("KHUNG TIÊU CHÍ CHẤM ĐIỂM NĂM {}", y.year),
        Some(&format!(
            "Đọc từ các biểu chấm điểm (theo đa số): {} lĩnh vực, {} tiêu chí chấm điểm, tổng điểm tối đa {}.",
            fw.areas().count(),
            leaves,
            fw.total().to_vi()
        )),
    )?;
    for (c, w) in [10.0, 80.0, 11.0, 7.0, 12.0].iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    // Where groups of sheets carry frameworks of their own, each follows the main one.
    let mut r = table(ws, f, 3, fw)?;
    for (label, other) in &y.other_frameworks {
        r += 2;
        let heading = format!("KHUNG TIÊU CHÍ CỦA CÁC BIỂU KHỐI {}: tổng điểm tối đa {}", label.to_uppercase(), other.total().to_vi());
        ws.merge_range(r, 0, r, 4, &heading, &f.subtitle)?;
        r = table(ws, f, r + 1, other)?;
    }
    ws.set_freeze_panes(4, 0)?;
    print_setup(ws, 3, 3)?;
    Ok(())
}

/// One framework's table from row `head` (its header), with its total row; returns
/// the total's row.
fn table(ws: &mut Worksheet, f: &Formats, head: u32, fw: &Framework) -> Result<u32, XlsxError> {
    let leaves = fw.nodes.iter().filter(|n| n.leaf).count();
    headers(ws, &f.header, head, 0, &["Mã", "Lĩnh vực, tiêu chí, tiêu chí thành phần", "Điểm tối đa", "Cấp", "Tiêu chí chấm điểm"])?;
    ws.set_row_height(head, 32)?;
    let (indents, area_text) = (&f.indents, &f.bold_text);
    for (i, n) in fw.nodes.iter().enumerate() {
        let r = head + 1 + i as u32;
        let depth = n.depth();
        let code = n.code.display();
        let (name_f, num_f) =
            if depth == 1 { (area_text, &f.bold_number) } else { (&indents[(depth - 1).min(indents.len() - 1)], &f.number) };
        ws.write_string_with_format(r, 0, &code, if depth == 1 { &f.stat_label } else { &f.text })?;
        ws.write_string_with_format(r, 1, &n.name, name_f)?;
        points(ws, r, 2, n.max, num_f)?;
        ws.write_number_with_format(r, 3, depth as f64, &f.center)?;
        ws.write_string_with_format(r, 4, if n.leaf { "Có" } else { "" }, &f.center)?;
    }
    let t = head + 1 + fw.nodes.len() as u32;
    ws.merge_range(t, 0, t, 1, "Tổng điểm tối đa (các tiêu chí chấm điểm)", &f.stat_label)?;
    points(ws, t, 2, fw.total(), &f.stat_number)?;
    ws.write_blank(t, 3, &f.stat_label)?;
    ws.write_number_with_format(t, 4, leaves as f64, &f.stat_label)?;
    Ok(t)
}
