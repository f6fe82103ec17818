//! A framework given as a file (`cchc template --framework FILE`): the decision's list
//! of criteria as a CSV or a workbook, one row per node, with the columns found by
//! their labels: code (Mã, STT), name (Tên, Tiêu chí, Nội dung), max (Điểm tối đa,
//! Điểm chuẩn) and, optionally, whether a leaf may be not applicable (Không áp dụng:
//! có/x/1) and the group of units it is for (Nhóm, Khối: "xã", "phường, thị trấn"),
//! where communes and wards have frameworks of their own.
//!
//! ```no_run
//! use cchc::read::framework_file::read_framework_file;
//! let rows = read_framework_file(std::path::Path::new("khung-2025.csv")).unwrap();
//! println!("{} criteria", rows.len());
//! ```

use super::lists::{find_column, read_rows};
use super::vocabulary as vocab;
use crate::model::code::Code;
use crate::model::points::{Points, parse_points_text};
use crate::text::fold;
use std::path::Path;
use thiserror::Error;

/// One row of a framework file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrameworkRow {
    /// Code, canonical ("1.1.3"; areas "1").
    pub code: Code,
    /// Name.
    pub name: String,
    /// Max points.
    pub max: Points,
    /// May be scored "Không áp dụng".
    pub not_applicable: bool,
    /// The group of units whose framework this row belongs to ("xã"), where the file
    /// holds several; `None` when it has no group column or the cell is blank.
    pub group: Option<String>,
}

/// Why a framework file cannot be used.
#[derive(Debug, Error)]
pub enum FrameworkFileError {
    /// The file cannot be read.
    #[error("không đọc được tệp khung tiêu chí {path}: {source}")]
    Unreadable {
        /// The file.
        path: String,
        /// Why.
        source: crate::read::lists::RowsError,
    },
    /// No header row with a code, a name and a max column.
    #[error("tệp khung tiêu chí {path} không có dòng tiêu đề gồm các cột mã (Mã/STT), tên (Tên/Tiêu chí) và điểm tối đa (Điểm tối đa)")]
    NoHeader {
        /// The file.
        path: String,
    },
    /// A row whose code or max cannot be read.
    #[error("tệp khung tiêu chí {path}, dòng {row}: {what}; hãy sửa lại dòng này")]
    BadRow {
        /// The file.
        path: String,
        /// The row, 1-based as the file shows it.
        row: usize,
        /// What is wrong.
        what: String,
    },
}

/// Reads the rows of a framework file (.csv, or a workbook's first sheet).
pub fn read_framework_file(path: &Path) -> Result<Vec<FrameworkRow>, FrameworkFileError> {
    let shown = path.display().to_string();
    let rows = read_rows(path).map_err(|source| FrameworkFileError::Unreadable { path: shown.clone(), source })?;
    parse_rows(&shown, &rows)
}

fn parse_rows(path: &str, rows: &[Vec<String>]) -> Result<Vec<FrameworkRow>, FrameworkFileError> {
    let find = find_column;
    let (header_at, cols) = rows
        .iter()
        .enumerate()
        .take(30)
        .find_map(|(i, h)| {
            let code = find(h, vocab::FRAMEWORK_CODE)?;
            let name = find(h, vocab::FRAMEWORK_NAME)?;
            let max = find(h, vocab::FRAMEWORK_MAX)?;
            let na = find(h, vocab::FRAMEWORK_NOT_APPLICABLE);
            Some((i, (code, name, max, na, find(h, vocab::FRAMEWORK_GROUP))))
        })
        .ok_or_else(|| FrameworkFileError::NoHeader { path: path.to_string() })?;
    let (code_col, name_col, max_col, na_col, group_col) = cols;
    let mut out = Vec::new();
    for (i, r) in rows.iter().enumerate().skip(header_at + 1) {
        let get = |c: usize| r.get(c).map(|s| s.trim()).unwrap_or("");
        if r.iter().all(|s| s.trim().is_empty()) {
            continue;
        }
        let bad = |what: String| FrameworkFileError::BadRow { path: path.to_string(), row: i + 1, what };
        let code = Code::parse(get(code_col)).ok_or_else(|| bad(format!("mã \"{}\" không phải mã tiêu chí", get(code_col))))?;
        let max = parse_points_text(get(max_col)).map_err(|_| bad(format!("điểm tối đa \"{}\" không phải là số", get(max_col))))?;
        let not_applicable = na_col.is_some_and(|c| matches!(fold(get(c)).as_str(), "co" | "x" | "1" | "yes" | "true" | "duoc"));
        let group = group_col.map(get).filter(|g| !g.is_empty()).map(str::to_string);
        out.push(FrameworkRow { code, name: get(name_col).to_string(), max, not_applicable, group });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::lists::split_line;

    #[test]
    fn csv_rows_with_labels_in_any_order_and_a_semicolon() {
        let rows: Vec<Vec<String>> =
            "Điểm tối đa;Mã;Tên tiêu chí;Không áp dụng\n30;I;\"Công tác chỉ đạo; điều hành\";\n30;1.1;Kế hoạch;có\n"
                .lines()
                .map(|l| split_line(l, ';'))
                .collect();
        let got = parse_rows("k.csv", &rows).unwrap();
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].code.as_str(), "1");
        assert_eq!(got[0].name, "Công tác chỉ đạo; điều hành");
        assert_eq!((got[1].max, got[1].not_applicable, got[0].not_applicable), (Points(3000), true, false));
    }

    #[test]
    fn a_bad_max_names_its_row() {
        let rows = vec![vec!["Mã".to_string(), "Tên".into(), "Điểm tối đa".into()], vec!["1".into(), "A".into(), "mười".into()]];
        let e = parse_rows("k.csv", &rows).unwrap_err().to_string();
        assert_eq!(e, "tệp khung tiêu chí k.csv, dòng 2: điểm tối đa \"mười\" không phải là số; hãy sửa lại dòng này");
    }
}
