//! The office's own tables beside the sheets, as CSV or a workbook's first sheet:
//! the unit list (`[units] list`), the survey team's table (`[survey] files`) and a
//! framework file ([`super::framework_file`]). Columns are found by their labels
//! (Vietnamese or English, any order, with or without tones) in the first 30 rows.
//!
//! ```
//! use cchc::read::lists::parse_unit_list;
//! let rows = vec![vec!["Tên đơn vị".to_string(), "Loại".into(), "Mã".into()], vec!["Ái Tử".into(), "thị trấn".into(), "19624".into()]];
//! let units = parse_unit_list("don-vi.csv", &rows).unwrap();
//! assert_eq!(units[0].code.as_deref(), Some("19624"));
//! ```

use super::limits::Limits;
use super::vocabulary as vocab;
use super::workbook::{Value, read_workbook};
use crate::config::{ConfigError, RegisteredUnit, check_units, parse_kind};
use crate::model::code::Code;
use crate::model::points::{Points, parse_points_text};
use crate::text::fold;
use std::path::Path;

/// The rows of a table file as text: a CSV (`,` or `;`, BOM allowed) or a workbook's
/// first sheet.
pub fn read_rows(path: &Path) -> Result<Vec<Vec<String>>, RowsError> {
    let is_csv = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv") || e.eq_ignore_ascii_case("txt"));
    if is_csv {
        let text = std::fs::read_to_string(path)?;
        let text = text.trim_start_matches('\u{feff}');
        let sep = if text.lines().next().is_some_and(|l| l.matches(';').count() > l.matches(',').count()) { ';' } else { ',' };
        Ok(text.lines().map(|l| split_line(l.trim_end_matches('\r'), sep)).collect())
    } else {
        let grids = read_workbook(path, &Limits::default())?;
        let grid = grids.into_iter().next().ok_or(RowsError::NoSheet)?;
        Ok(grid.rows.iter().map(|r| r.iter().map(Value::as_text).collect()).collect())
    }
}

/// Why an office's table could not be read.
#[derive(Debug, thiserror::Error)]
pub enum RowsError {
    /// The file cannot be opened or is not text.
    #[error(transparent)]
    Io(#[from] std::io::Error),
    /// The workbook cannot be read.
    #[error(transparent)]
    Workbook(#[from] crate::read::workbook::ReadError),
    /// The workbook has no sheet.
    #[error("tệp không có trang tính")]
    NoSheet,
}

/// The fields of one CSV line, quotes doubled inside quoted fields.
pub(crate) fn split_line(line: &str, sep: char) -> Vec<String> {
    let (mut fields, mut field, mut quoted, mut chars) = (Vec::new(), String::new(), false, line.chars().peekable());
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            c if c == sep && !quoted => fields.push(std::mem::take(&mut field)),
            c => field.push(c),
        }
    }
    fields.push(field);
    fields
}

/// The column whose label is one of `words` or starts with one ("Mã tiêu chí"; "Max"
/// is not "Mã").
pub(crate) fn find_column(header: &[String], words: &[&str]) -> Option<usize> {
    header.iter().position(|h| {
        let h = fold(h);
        words.iter().any(|w| h == *w || h.starts_with(&format!("{w} ")))
    })
}

/// Reads the unit list file.
pub fn read_unit_list(path: &Path) -> Result<Vec<RegisteredUnit>, ConfigError> {
    let shown = path.display().to_string();
    let rows = read_rows(path).map_err(|m| ConfigError {
        path: shown.clone(),
        line: 1,
        message: format!("không đọc được danh sách đơn vị ({m})"),
    })?;
    parse_unit_list(&shown, &rows)
}

/// The units of a unit list's rows: name, kind, statistics code, formed_from (names
/// joined by `;`), since.
pub fn parse_unit_list(path: &str, rows: &[Vec<String>]) -> Result<Vec<RegisteredUnit>, ConfigError> {
    let err = |line: usize, message: String| ConfigError { path: path.to_string(), line, message };
    let (at, h) = rows.iter().enumerate().take(30).find(|(_, h)| find_column(h, vocab::UNIT_NAME).is_some()).ok_or_else(|| {
        err(1, "không có dòng tiêu đề có cột tên đơn vị (Tên đơn vị / name); các cột: name, kind, code, formed_from, since".into())
    })?;
    let name = find_column(h, vocab::UNIT_NAME).expect("found");
    let kind = find_column(h, vocab::UNIT_KIND);
    let code = find_column(h, vocab::UNIT_CODE);
    let from = find_column(h, vocab::FORMED_FROM);
    let since = find_column(h, vocab::SINCE);
    let signer = find_column(h, vocab::SIGNER);
    let place = find_column(h, vocab::PLACE);
    let mut units = Vec::new();
    for (i, r) in rows.iter().enumerate().skip(at + 1) {
        let get = |c: Option<usize>| c.and_then(|c| r.get(c)).map(|s| s.trim()).unwrap_or("");
        if get(Some(name)).is_empty() {
            continue;
        }
        let (kind, since) = (get(kind), get(since));
        let kind = if kind.is_empty() { crate::model::unit::UnitKind::Xa } else { parse_kind(kind).map_err(|m| err(i + 1, m))? };
        let since = if since.is_empty() {
            None
        } else {
            Some(since.trim_end_matches(".0").parse::<i32>().map_err(|_| err(i + 1, format!("since \"{since}\" không phải một năm")))?)
        };
        let formed_from = get(from).split(';').map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect();
        let code = Some(get(code).trim_end_matches(".0").to_string()).filter(|c| !c.is_empty());
        let text = |c: Option<usize>| Some(get(c).to_string()).filter(|s| !s.is_empty());
        units.push(RegisteredUnit {
            name: get(Some(name)).to_string(),
            kind,
            code,
            formed_from,
            since,
            signer: text(signer),
            place: text(place),
        });
    }
    check_units(units).map_err(|m| err(1, m))
}

/// One row of a survey table: the unit as typed and its points, for the area as a
/// whole (`code` None) or per criterion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SurveyRow {
    /// 1-based row in the file.
    pub row: usize,
    /// The unit as typed.
    pub unit: String,
    /// Points, per criterion column (None: the area's total column).
    pub points: Vec<(Option<Code>, Points)>,
}

/// Reads a survey table: a unit column and a points column ("Điểm") or one column per
/// criterion of the area ("8.1", "8.2").
pub fn read_survey_table(path: &Path, area: &Code) -> Result<Vec<SurveyRow>, String> {
    parse_survey_table(&read_rows(path).map_err(|e| e.to_string())?, area)
}

/// The rows of a survey table (see [`read_survey_table`]).
fn parse_survey_table(rows: &[Vec<String>], area: &Code) -> Result<Vec<SurveyRow>, String> {
    let header = rows.iter().enumerate().take(30).find_map(|(i, h)| {
        let unit = find_column(h, vocab::UNIT_NAME)?;
        let total = find_column(h, vocab::SURVEY_POINTS);
        let codes: Vec<(usize, Code)> = h
            .iter()
            .enumerate()
            .filter_map(|(c, t)| Code::parse(t.trim()).filter(|k| k.area() == area.as_str() && !k.is_area()).map(|k| (c, k)))
            .collect();
        (total.is_some() || !codes.is_empty()).then_some((i, unit, total, codes))
    });
    let (at, unit, total, codes) =
        header.ok_or("không có dòng tiêu đề gồm cột đơn vị (Tên đơn vị) và cột điểm (Điểm) hoặc các cột mã tiêu chí")?;
    let mut out = Vec::new();
    for (i, r) in rows.iter().enumerate().skip(at + 1) {
        let get = |c: usize| r.get(c).map(|s| s.trim()).unwrap_or("");
        if get(unit).is_empty() {
            continue;
        }
        let number = |c: usize| parse_points_text(get(c)).map_err(|_| format!("dòng {}: điểm \"{}\" không phải là số", i + 1, get(c)));
        let points = if codes.is_empty() {
            vec![(None, number(total.expect("a points column"))?)]
        } else {
            codes.iter().map(|(c, k)| Ok((Some(k.clone()), number(*c)?))).collect::<Result<_, String>>()?
        };
        out.push(SurveyRow { row: i + 1, unit: get(unit).to_string(), points });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(t: &str) -> Vec<Vec<String>> {
        t.lines().map(|l| split_line(l, ',')).collect()
    }

    #[test]
    fn unit_list_with_mergers() {
        let u = parse_unit_list("d.csv", &rows("name,kind,code,formed_from,since\nA,xã,1,,\nB,xã,2,,\nAB,phường,3,A; B,2025\n")).unwrap();
        assert_eq!((u[2].formed_from.clone(), u[2].since, u[2].kind.label()), (vec!["A".to_string(), "B".into()], Some(2025), "phường"));
        let e = parse_unit_list("d.csv", &rows("name,kind\nA,huyện\n")).unwrap_err();
        assert_eq!(e.line, 2);
    }

    #[test]
    fn survey_by_total_or_by_criterion() {
        let area = Code::canonical("8");
        let t = parse_survey_table(&rows("STT,Tên đơn vị,Điểm\n1,Triệu An,\"8,5\"\n"), &area).unwrap();
        assert_eq!(t[0].points, vec![(None, Points(850))]);
        let t = parse_survey_table(&rows("Đơn vị,8.1,8.2\nTriệu An,4,3.25\n"), &area).unwrap();
        assert_eq!(t[0].points[1], (Some(Code::canonical("8.2")), Points(325)));
        assert!(parse_survey_table(&rows("Đơn vị,Điểm\nA,nhiều\n"), &area).unwrap_err().contains("dòng 2"));
    }
}
