//! "Khung tiêu chí": the year's framework as read from the sheets (by majority):
//! code, name indented by depth, max, depth and whether it is scored (a leaf), so a
//! reader can check the tree every other sheet rests on.

use super::{Formats, SHEET_FRAMEWORK, headers, points, print_setup, title};
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
    headers(ws, &f.header, 3, 0, &["Mã", "Lĩnh vực, tiêu chí, tiêu chí thành phần", "Điểm tối đa", "Cấp", "Tiêu chí chấm điểm"])?;
    ws.set_row_height(3, 32)?;
    for (c, w) in [10.0, 80.0, 11.0, 7.0, 12.0].iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    let (indents, area_text) = (&f.indents, &f.bold_text);
    for (i, n) in fw.nodes.iter().enumerate() {
        let r = 4 + i as u32;
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
    let t = 4 + fw.nodes.len() as u32;
    ws.merge_range(t, 0, t, 1, "Tổng điểm tối đa (các tiêu chí chấm điểm)", &f.stat_label)?;
    points(ws, t, 2, fw.total(), &f.stat_number)?;
    ws.write_blank(t, 3, &f.stat_label)?;
    ws.write_number_with_format(t, 4, leaves as f64, &f.stat_label)?;
    ws.set_freeze_panes(4, 0)?;
    print_setup(ws, 3, 3)?;
    Ok(())
}
