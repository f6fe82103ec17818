//! The blank scoring sheet the office sends each unit at the start of the year
//! (`cchc template`): the framework's rows with codes in their own column, the leaves'
//! score cells open and checked by Excel as they are typed (a number from 0 to the
//! max with at most two decimals, or "Không áp dụng" where the framework allows it),
//! everything else protected and computed by formulas that carry their values, so
//! the sheet comes back in the one shape cchc reads without a repair.
//!
//! ```
//! use cchc::model::code::Code;
//! use cchc::model::points::Points;
//! use cchc::report::template::{Blank, Template, file_name};
//! use cchc::resolve::framework::{Framework, Node};
//! let node = |code: &str, max, leaf| Node { code: Code::canonical(code), name: format!("Tiêu chí {code}"), lower_case_name: None, max: Points(max), leaf, options: Vec::new() };
//! let fw = Framework::new(2025, vec![node("1", 1000, false), node("1.1", 1000, true)]);
//! let t = Template { year: 2025, framework: &fw, not_applicable: Default::default(), office: None, bonus_max: None, penalty_max: None };
//! let bytes = t.workbook(None, &Blank).unwrap().save_to_buffer().unwrap();
//! assert!(bytes.starts_with(b"PK"));
//! assert_eq!(file_name(None, 2025), "bieu-cham-diem-2025.xlsx");
//! ```

use super::style;
use crate::model::code::parent;
use crate::model::points::Points;
use crate::model::unit::UnitKind;
use crate::resolve::framework::Framework;
use crate::text::slug;
use rust_xlsxwriter::{DataValidation, DocProperties, Format, FormatAlign, FormatBorder, Formula, Workbook, Worksheet, XlsxError};
use std::collections::{HashMap, HashSet};

/// What "not applicable" is written as, and accepted as, in a score cell.
const NOT_APPLICABLE: &str = "Không áp dụng";

/// Columns of the sheet: code, name, max, self, appraised, evidence, note.
const COLUMNS: [(&str, f64); 7] = [
    ("STT", 8.0),
    ("Lĩnh vực/Tiêu chí/Tiêu chí thành phần", 58.0),
    ("Điểm tối đa", 10.0),
    ("Điểm tự đánh giá", 12.0),
    ("Điểm thẩm định", 12.0),
    ("Tài liệu kiểm chứng", 28.0),
    ("Ghi chú", 22.0),
];
const LAST_COL: u16 = COLUMNS.len() as u16 - 1;
const HEADER_ROW: u32 = 6;
const SELF_COL: u16 = 3;
const APPRAISED_COL: u16 = 4;

/// The unit a template is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateUnit {
    /// Name without its kind ("Triệu Ái").
    pub name: String,
    /// Kind.
    pub kind: UnitKind,
}

/// One score cell as filled in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry {
    /// Points.
    Points(Points),
    /// "Không áp dụng".
    NotApplicable,
}

/// What a template's score cells hold, and so the cached values of its formulas. The
/// office's templates are [`Blank`]; the round-trip tests fill them as a commune would
/// in Excel (their own `Fill`, in `tests/integration/templates.rs`), so the shipped
/// `cchc` carries no filling helper.
pub trait Scores {
    /// A leaf's (self-assessed, appraised) cells.
    fn leaf(&self, code: &str) -> Option<(Entry, Entry)>;
    /// Bonus points, self-assessed and appraised alike.
    fn bonus(&self) -> Option<Points> {
        None
    }
    /// Penalty points, positive, self-assessed and appraised alike.
    fn penalty(&self) -> Option<Points> {
        None
    }
}

/// Nothing typed yet: the template an office sends out.
#[derive(Debug, Clone, Copy, Default)]
pub struct Blank;

impl Scores for Blank {
    fn leaf(&self, _: &str) -> Option<(Entry, Entry)> {
        None
    }
}

/// A year's blank scoring sheet.
#[derive(Debug, Clone)]
pub struct Template<'a> {
    /// The year it is scored for.
    pub year: i32,
    /// The framework it lays out.
    pub framework: &'a Framework,
    /// Leaf codes that may be scored "Không áp dụng".
    pub not_applicable: HashSet<String>,
    /// The office ("UBND huyện Triệu Phong"), for the workbook's properties.
    pub office: Option<&'a str>,
    /// The bonus row's max, where the framework states one.
    pub bonus_max: Option<Points>,
    /// The penalty row's max, where the framework states one.
    pub penalty_max: Option<Points>,
}

/// `bieu-cham-diem-<don-vi>-<Y>.xlsx`: the unit's kind and name folded to ASCII words
/// joined by hyphens (`bieu-cham-diem-xa-trieu-ai-2025.xlsx`), or without a unit.
///
/// ```
/// use cchc::model::unit::UnitKind;
/// use cchc::report::template::{TemplateUnit, file_name};
/// let u = TemplateUnit { name: "Ái Tử".into(), kind: UnitKind::ThiTran };
/// assert_eq!(file_name(Some(&u), 2025), "bieu-cham-diem-thi-tran-ai-tu-2025.xlsx");
/// ```
pub fn file_name(unit: Option<&TemplateUnit>, year: i32) -> String {
    match unit {
        Some(u) => format!("bieu-cham-diem-{}-{year}.xlsx", slug(&format!("{} {}", u.kind.label(), u.name))),
        None => format!("bieu-cham-diem-{year}.xlsx"),
    }
}

struct Formats {
    doc: style::DocFormats,
    header: Format,
    code: Format,
    code_bold: Format,
    name: Format,
    name_bold: Format,
    number: Format,
    number_bold: Format,
    input: Format,
    text_input: Format,
}

impl Formats {
    fn new() -> Formats {
        let cell = style::base().set_border(FormatBorder::Thin).set_align(FormatAlign::VerticalCenter);
        let number = cell.clone().set_num_format("0.00").set_align(FormatAlign::Center);
        Formats {
            doc: style::DocFormats::default(),
            header: style::header(),
            code: cell.clone().set_align(FormatAlign::Center),
            code_bold: cell.clone().set_align(FormatAlign::Center).set_bold(),
            name: cell.clone().set_text_wrap(),
            name_bold: cell.clone().set_text_wrap().set_bold(),
            number_bold: number.clone().set_bold(),
            input: number.clone().set_unlocked().set_background_color("#FFF9E6"),
            text_input: cell.clone().set_text_wrap().set_unlocked(),
            number,
        }
    }
}

/// "D12": a 0-based cell as a formula reference.
fn at(row: u32, col: u16) -> String {
    crate::model::sheet::Cell { row, col: col as u32 }.to_string()
}

/// A formula's cached value as Excel stores it ("4.5").
fn cached(p: Points) -> String {
    p.to_string().trim_end_matches('0').trim_end_matches('.').to_string()
}

impl Template<'_> {
    /// The workbook for `unit` (none: a blank one to fill in the unit), its score cells
    /// holding `scores` ([`Blank`] for the office's templates).
    pub fn workbook(&self, unit: Option<&TemplateUnit>, scores: &dyn Scores) -> Result<Workbook, XlsxError> {
        let mut wb = Workbook::new();
        let unit_label = unit.map(|u| format!("UBND {} {}", u.kind.label(), u.name));
        let mut props = DocProperties::new()
            .set_title(format!("Biểu tự đánh giá, chấm điểm Chỉ số CCHC năm {}", self.year))
            .set_subject(format!("Chỉ số cải cách hành chính năm {}", self.year))
            .set_keywords("CCHC, biểu chấm điểm");
        if let Some(u) = &unit_label {
            props = props.set_author(u);
        }
        if let Some(o) = self.office {
            props = props.set_company(o);
        }
        wb.set_properties(&props);
        let f = Formats::new();
        let ws = wb.add_worksheet();
        ws.set_name("Biểu chấm điểm")?;
        for (c, (_, width)) in COLUMNS.iter().enumerate() {
            ws.set_column_width(c as u16, *width)?;
        }
        self.write_title(ws, &f, unit)?;
        for (c, (label, _)) in COLUMNS.iter().enumerate() {
            ws.write_string_with_format(HEADER_ROW, c as u16, *label, &f.header)?;
        }
        ws.set_row_height(HEADER_ROW, 32)?;
        let next = self.write_rows(ws, &f, scores)?;
        self.write_signature(ws, &f, unit, next + 1)?;
        ws.set_freeze_panes(HEADER_ROW + 1, 0)?;
        style::print_setup(ws, style::Orientation::Portrait, Some((HEADER_ROW, HEADER_ROW)))?;
        // Structure protected without a password: only the score, evidence and note
        // cells (unlocked) can be typed in.
        ws.protect();
        Ok(wb)
    }

    fn write_title(&self, ws: &mut Worksheet, f: &Formats, unit: Option<&TemplateUnit>) -> Result<(), XlsxError> {
        let issuer = match unit {
            Some(u) => format!("ỦY BAN NHÂN DÂN\n{} {}", u.kind.label().to_uppercase(), u.name.to_uppercase()),
            None => "ỦY BAN NHÂN DÂN\nXÃ (PHƯỜNG, THỊ TRẤN) …………".to_string(),
        };
        style::letterhead(ws, &f.doc, &issuer, 2, LAST_COL)?;
        ws.set_row_height(0, 18)?;
        ws.set_row_height(1, 18)?;
        let title = format!("BIỂU TỰ ĐÁNH GIÁ, CHẤM ĐIỂM CHỈ SỐ CCHC NĂM {}", self.year);
        ws.merge_range(3, 0, 3, LAST_COL, &title, &f.doc.title)?;
        ws.set_row_height(3, 24)?;
        let total = self.framework.total();
        let under = match unit {
            Some(u) => format!("(Đơn vị: UBND {} {}; tổng điểm tối đa {})", u.kind.label(), u.name, total.to_vi()),
            None => format!("(Tổng điểm tối đa {}; ghi tên đơn vị vào dòng đầu trước khi chấm)", total.to_vi()),
        };
        ws.merge_range(4, 0, 4, LAST_COL, &under, &f.doc.italic)?;
        Ok(())
    }

    /// The framework's rows, bonus, penalty and total from the row under the header;
    /// returns the row after the total.
    fn write_rows(&self, ws: &mut Worksheet, f: &Formats, scores: &dyn Scores) -> Result<u32, XlsxError> {
        let nodes = &self.framework.nodes;
        let first = HEADER_ROW + 1;
        let row_of: HashMap<&str, u32> = nodes.iter().enumerate().map(|(i, n)| (n.code.as_str(), first + i as u32)).collect();
        // What each leaf and parent holds, per score column, for the formulas' values.
        let entry = |code: &str, col: u16| scores.leaf(code).map(|(s, a)| if col == SELF_COL { s } else { a });
        let mut value: HashMap<(&str, u16), Points> = HashMap::new();
        for n in nodes.iter().rev() {
            for col in [SELF_COL, APPRAISED_COL] {
                let v = if n.leaf {
                    match entry(n.code.as_str(), col) {
                        Some(Entry::Points(p)) => p,
                        _ => Points::ZERO,
                    }
                } else {
                    nodes
                        .iter()
                        .filter(|k| parent(&k.code) == Some(n.code.as_str()))
                        .map(|k| value.get(&(k.code.as_str(), col)).copied().unwrap_or_default())
                        .sum()
                };
                value.insert((n.code.as_str(), col), v);
            }
        }
        for (i, n) in nodes.iter().enumerate() {
            let row = first + i as u32;
            let bold = !n.leaf;
            let code = n.code.display();
            ws.write_string_with_format(row, 0, &code, if bold { &f.code_bold } else { &f.code })?;
            ws.write_string_with_format(row, 1, &n.name, if bold { &f.name_bold } else { &f.name })?;
            ws.write_number_with_format(row, 2, n.max.as_f64(), if bold { &f.number_bold } else { &f.number })?;
            for col in [SELF_COL, APPRAISED_COL] {
                if n.leaf {
                    match entry(n.code.as_str(), col) {
                        Some(Entry::Points(p)) => ws.write_number_with_format(row, col, p.as_f64(), &f.input)?,
                        Some(Entry::NotApplicable) => ws.write_string_with_format(row, col, NOT_APPLICABLE, &f.input)?,
                        None => ws.write_blank(row, col, &f.input)?,
                    };
                    ws.add_data_validation(row, col, row, col, &self.leaf_validation(n.code.as_str(), n.max, row, col)?)?;
                } else {
                    let children: Vec<String> = nodes
                        .iter()
                        .filter(|k| parent(&k.code) == Some(n.code.as_str()))
                        .map(|k| at(row_of[k.code.as_str()], col))
                        .collect();
                    let v = value[&(n.code.as_str(), col)];
                    let formula = Formula::new(format!("=SUM({})", children.join(","))).set_result(cached(v));
                    ws.write_formula_with_format(row, col, formula, &f.number_bold)?;
                }
            }
            ws.write_blank(row, 5, &f.text_input)?;
            ws.write_blank(row, 6, &f.text_input)?;
        }
        self.write_totals(ws, f, scores, first + nodes.len() as u32, &row_of, &value)
    }

    /// The bonus and penalty rows from `row`, then the total over the areas with them,
    /// its cached value from `value`; returns the next free row.
    fn write_totals(
        &self,
        ws: &mut Worksheet,
        f: &Formats,
        scores: &dyn Scores,
        mut row: u32,
        row_of: &HashMap<&str, u32>,
        value: &HashMap<(&str, u16), Points>,
    ) -> Result<u32, XlsxError> {
        let areas: Vec<&str> = self.framework.areas().map(|n| n.code.as_str()).collect();
        let mut extra = Vec::new();
        for (label, max, points, sign) in
            [("Điểm thưởng", self.bonus_max, scores.bonus(), "+"), ("Điểm trừ", self.penalty_max, scores.penalty(), "-")]
        {
            ws.write_blank(row, 0, &f.code)?;
            ws.write_string_with_format(row, 1, label, &f.name_bold)?;
            match max {
                Some(m) => ws.write_number_with_format(row, 2, m.as_f64(), &f.number)?,
                None => ws.write_blank(row, 2, &f.number)?,
            };
            for col in [SELF_COL, APPRAISED_COL] {
                match points {
                    Some(p) => ws.write_number_with_format(row, col, p.as_f64(), &f.input)?,
                    None => ws.write_blank(row, col, &f.input)?,
                };
                ws.add_data_validation(row, col, row, col, &bonus_validation(label, max)?)?;
            }
            ws.write_blank(row, 5, &f.text_input)?;
            ws.write_blank(row, 6, &f.text_input)?;
            extra.push((row, sign, points.unwrap_or_default()));
            row += 1;
        }
        ws.write_blank(row, 0, &f.code_bold)?;
        ws.write_string_with_format(row, 1, "TỔNG CỘNG", &f.name_bold)?;
        ws.write_number_with_format(row, 2, self.framework.total().as_f64(), &f.number_bold)?;
        for col in [SELF_COL, APPRAISED_COL] {
            let refs: Vec<String> = areas.iter().map(|a| at(row_of[a], col)).collect();
            let mut text = format!("=SUM({})", refs.join(","));
            let mut v: Points = areas.iter().map(|a| value[&(*a, col)]).sum();
            for (r, sign, p) in &extra {
                text.push_str(&format!("{sign}{}", at(*r, col)));
                v = if *sign == "+" { v + *p } else { v - *p };
            }
            ws.write_formula_with_format(row, col, Formula::new(text).set_result(cached(v)), &f.number_bold)?;
        }
        ws.write_blank(row, 5, &f.name)?;
        ws.write_blank(row, 6, &f.name)?;
        Ok(row + 1)
    }

    /// Excel checks a leaf's score as it is typed: a number from 0 to the max with at
    /// most two decimals, or "Không áp dụng" where the framework allows it.
    fn leaf_validation(&self, code: &str, max: Points, row: u32, col: u16) -> Result<DataValidation, XlsxError> {
        let (cell, max_cell) = (at(row, col), at(row, 2));
        // IF, not OR/AND: Excel evaluates every argument of OR and AND, and ROUND of a
        // text is an error that would refuse "Không áp dụng" too.
        let number = format!("AND({cell}>=0,{cell}<={max_cell},ROUND({cell},2)={cell})");
        let na = self.not_applicable.contains(code);
        let otherwise = if na { format!("{cell}=\"{NOT_APPLICABLE}\"") } else { "FALSE".to_string() };
        let rule = format!("=IF(ISNUMBER({cell}),{number},{otherwise})");
        let or_na = if na { format!(", hoặc \"{NOT_APPLICABLE}\"") } else { String::new() };
        DataValidation::new()
            .allow_custom(Formula::new(rule))
            .set_input_title(format!("Tiêu chí {code}"))?
            .set_input_message(format!("Nhập điểm từ 0 đến {} (tối đa 2 chữ số thập phân){or_na}.", max.to_vi()))?
            .set_error_title("Điểm không hợp lệ")?
            .set_error_message(format!("Điểm của tiêu chí {code} phải là số từ 0 đến {}, tối đa 2 chữ số thập phân{or_na}.", max.to_vi()))
    }

    fn write_signature(&self, ws: &mut Worksheet, f: &Formats, unit: Option<&TemplateUnit>, row: u32) -> Result<(), XlsxError> {
        let place = format!("…………, ngày …… tháng …… năm {}", self.year + 1);
        ws.merge_range(row, 3, row, LAST_COL, &place, &f.doc.italic)?;
        let head = match unit {
            Some(u) => format!("TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH UBND {}", u.kind.label().to_uppercase()),
            None => "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH".to_string(),
        };
        ws.merge_range(row + 1, 0, row + 1, 1, "NGƯỜI LẬP BIỂU\n(Ký, ghi rõ họ tên)", &f.doc.signature)?;
        ws.merge_range(row + 1, 3, row + 1, LAST_COL, &format!("{head}\n(Ký tên, đóng dấu)"), &f.doc.signature)?;
        ws.set_row_height(row + 1, 50)?;
        Ok(())
    }
}

fn bonus_validation(label: &str, max: Option<Points>) -> Result<DataValidation, XlsxError> {
    let upto = max.map(|m| format!(" đến {}", m.to_vi())).unwrap_or_default();
    let rule = match max {
        Some(m) => rust_xlsxwriter::DataValidationRule::Between(0.0, m.as_f64()),
        None => rust_xlsxwriter::DataValidationRule::GreaterThanOrEqualTo(0.0),
    };
    DataValidation::new()
        .allow_decimal_number(rule)
        .set_input_title(label)?
        .set_input_message(format!("Nhập số điểm từ 0{upto} (số dương; để trống nếu không có)."))?
        .set_error_title("Điểm không hợp lệ")?
        .set_error_message(format!("{label}: nhập số từ 0{upto}."))
}
