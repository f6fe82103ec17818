//! Layout A, one unit's scoring sheet, as a grid of cells: title block,
//! header (one or two rows), one row per framework node, total row, bonus
//! or penalty row, signatures. The shapes in `plan` choose the variations.

use super::framework::{Framework, roman};
use super::scores::UnitYear;
use super::text;

/// One cell of a sheet.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cell {
    Empty,
    Text(String),
    Num(f64),
    /// A formula without its leading "=", written without a computed result.
    Formula(String),
}

/// A merged range: first row, first column, last row, last column.
pub(crate) type Merge = (u32, u16, u32, u16);

/// A finished sheet, ready for the xlsx or xls writer.
#[derive(Debug, Clone)]
pub(crate) struct Grid {
    pub name: String,
    pub rows: Vec<Vec<Cell>>,
    pub merges: Vec<Merge>,
    /// Rows drawn in bold (title and header).
    pub bold_rows: Vec<usize>,
    pub widths: Vec<f64>,
    /// Formula cells carry an empty cached result instead of 0.
    pub blank_formula_results: bool,
}

/// What sits above the header.
#[derive(Debug, Clone)]
pub(crate) enum Title {
    None,
    /// Only the heading line, no unit named (multi-sheet workbooks).
    Heading(String),
    /// The full block: district line, "ỦY BAN NHÂN DÂN\nXÃ …" on the left,
    /// the national motto on the right, heading, "Đơn vị: …" line.
    Full {
        district: Option<String>,
        left: String,
        right: String,
        heading: String,
        unit_line: Option<String>,
    },
}

/// How numbers are written.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum NumStyle {
    Number,
    /// Text with a decimal comma ("17,1").
    TextComma,
    /// Leaf scores partly as text with a decimal dot ("0.5").
    MixedDot,
}

/// What the rows of parent nodes hold.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Parents {
    /// Max and the correct sums of self-assessed and appraised points.
    Sums,
    /// Max only, score cells blank.
    MaxOnly,
    /// SUM formulas over the children, no cached value.
    Formulas,
}

/// Everything that varies between sheets of layout A.
#[derive(Debug, Clone)]
pub(crate) struct SheetSpec {
    pub sheet_name: String,
    pub title: Title,
    /// Row index of the (first) header row; blank rows pad the title.
    pub header_row: usize,
    /// Label of the code column, `None` = code at the start of the name cell.
    pub code_column: Option<&'static str>,
    pub roman_areas: bool,
    pub trailing_dot: bool,
    /// Upper-case area names.
    pub upper_areas: bool,
    pub name_label: &'static str,
    pub max_label: &'static str,
    pub self_label: &'static str,
    pub appraised_label: &'static str,
    pub evidence_label: &'static str,
    pub note_label: &'static str,
    /// Two-row header: group label over the self and appraised sub-labels.
    pub two_row: Option<(&'static str, &'static str, &'static str)>,
    pub column_numbers: bool,
    pub numbers: NumStyle,
    pub parents: Parents,
    pub na_self: &'static str,
    pub na_appraised: &'static str,
    pub total_label: &'static str,
    pub self_total: bool,
    pub bonus_after_total: bool,
    pub evidence: bool,
    /// Place name of the date line; `Some("")` writes a date without place.
    pub place: Option<String>,
    pub year: i32,
    pub signers: (String, String),
    /// Write every text in NFD.
    pub nfd: bool,
    pub blank_formula_results: bool,
}

/// "17,1" / "0,5" / "2" from hundredths.
pub(crate) fn fmt_hundredths(v: i64, sep: char) -> String {
    let sign = if v < 0 { "-" } else { "" };
    let v = v.abs();
    let (int, frac) = (v / 100, v % 100);
    if frac == 0 {
        format!("{sign}{int}")
    } else if frac % 10 == 0 {
        format!("{sign}{int}{sep}{}", frac / 10)
    } else {
        format!("{sign}{int}{sep}{frac:02}")
    }
}

/// Excel column letter (columns < 26).
fn col_letter(col: usize) -> char {
    (b'A' + col as u8) as char
}

struct Builder {
    rows: Vec<Vec<Cell>>,
    merges: Vec<Merge>,
    bold_rows: Vec<usize>,
    ncols: usize,
}

impl Builder {
    fn row(&mut self) -> usize {
        self.rows.push((0..self.ncols).map(|_| Cell::Empty).collect());
        self.rows.len() - 1
    }

    fn set(&mut self, row: usize, col: usize, cell: Cell) {
        self.rows[row][col] = cell;
    }

    fn text(&mut self, row: usize, col: usize, s: impl Into<String>) {
        self.set(row, col, Cell::Text(s.into()));
    }

    fn merge(&mut self, r1: usize, c1: usize, r2: usize, c2: usize) {
        if (r1, c1) != (r2, c2) {
            self.merges.push((r1 as u32, c1 as u16, r2 as u32, c2 as u16));
        }
    }
}

const EVIDENCE_KINDS: [&str; 4] = ["Kế hoạch", "Báo cáo", "Quyết định", "Công văn"];
const EVIDENCE_CODES: [&str; 4] = ["KH-UBND", "BC-UBND", "QĐ-UBND", "UBND"];

/// Builds the sheet of one unit-year.
pub(crate) fn build(fw: &Framework, uy: &UnitYear, spec: &SheetSpec, r: &mut fastrand::Rng) -> Grid {
    let code_col = spec.code_column.is_some();
    let c_name = usize::from(code_col);
    let (c_max, c_self, c_appr, c_evid, c_note) = (c_name + 1, c_name + 2, c_name + 3, c_name + 4, c_name + 5);
    let ncols = c_name + 6;
    let mut b = Builder { rows: Vec::with_capacity(fw.nodes.len() + 20), merges: Vec::new(), bold_rows: Vec::new(), ncols };

    // Title block.
    match &spec.title {
        Title::None => {}
        Title::Heading(heading) => {
            let row = b.row();
            b.text(row, 0, heading.clone());
            b.merge(row, 0, row, ncols - 1);
            b.bold_rows.push(row);
            b.row();
        }
        Title::Full { district, left, right, heading, unit_line } => {
            if let Some(d) = district {
                let row = b.row();
                b.text(row, 0, d.clone());
                b.merge(row, 0, row, 2);
            }
            let row = b.row();
            b.text(row, 0, left.clone());
            b.merge(row, 0, row, 2);
            b.text(row, 3, right.clone());
            b.merge(row, 3, row, ncols - 1);
            b.bold_rows.push(row);
            b.row();
            let row = b.row();
            b.text(row, 0, heading.clone());
            b.merge(row, 0, row, ncols - 1);
            b.bold_rows.push(row);
            if let Some(u) = unit_line {
                let row = b.row();
                b.text(row, 0, u.clone());
                b.merge(row, 0, row, ncols - 1);
            }
        }
    }
    while b.rows.len() < spec.header_row {
        b.row();
    }

    // Header.
    let h = b.row();
    b.bold_rows.push(h);
    let mut labels: Vec<(usize, &str)> =
        vec![(c_name, spec.name_label), (c_max, spec.max_label), (c_evid, spec.evidence_label), (c_note, spec.note_label)];
    if let Some(label) = spec.code_column {
        labels.push((0, label));
    }
    match spec.two_row {
        None => {
            labels.push((c_self, spec.self_label));
            labels.push((c_appr, spec.appraised_label));
            for (col, label) in labels {
                b.text(h, col, label);
            }
        }
        Some((group, self_sub, appr_sub)) => {
            let h2 = b.row();
            b.bold_rows.push(h2);
            for (col, label) in labels {
                b.text(h, col, label);
                b.merge(h, col, h2, col);
            }
            b.text(h, c_self, group);
            b.merge(h, c_self, h, c_appr);
            b.text(h2, c_self, self_sub);
            b.text(h2, c_appr, appr_sub);
        }
    }
    if spec.column_numbers {
        let row = b.row();
        for col in 0..ncols {
            b.text(row, col, format!("({})", col + 1));
        }
    }

    // Sums per node: (self, appraised), N/A leaves left out.
    let n = fw.nodes.len();
    let mut self_sum = vec![0i64; n];
    let mut appr_sum = vec![0i64; n];
    for (leaf, &node) in fw.leaves.iter().enumerate() {
        self_sum[node] = uy.self_assessed[leaf].unwrap_or(0);
        appr_sum[node] = uy.appraised[leaf].unwrap_or(0);
    }
    for i in (0..n).rev() {
        if let Some(p) = fw.nodes[i].parent {
            self_sum[p] += self_sum[i];
            appr_sum[p] += appr_sum[i];
        }
    }

    let num = |v: i64, r: &mut fastrand::Rng, leaf: bool| -> Cell {
        match spec.numbers {
            NumStyle::Number => Cell::Num(v as f64 / 100.0),
            NumStyle::TextComma => Cell::Text(fmt_hundredths(v, ',')),
            NumStyle::MixedDot => {
                if leaf && r.f64() < 0.3 {
                    Cell::Text(fmt_hundredths(v, '.'))
                } else {
                    Cell::Num(v as f64 / 100.0)
                }
            }
        }
    };

    // One row per node.
    let first = b.rows.len();
    for (i, node) in fw.nodes.iter().enumerate() {
        let row = b.row();
        let area_code = if spec.roman_areas { roman(node.area).to_string() } else { node.area.to_string() };
        let name = if node.is_area() && spec.upper_areas { node.name.to_uppercase() } else { node.name.clone() };
        if code_col {
            let code = if node.is_area() {
                if spec.trailing_dot && !spec.roman_areas { format!("{area_code}.") } else { area_code }
            } else if spec.trailing_dot {
                format!("{}.", node.code)
            } else {
                node.code.clone()
            };
            b.text(row, 0, code);
            b.text(row, c_name, name);
        } else if node.is_area() {
            b.text(row, c_name, format!("{area_code}. {name}"));
        } else if spec.trailing_dot {
            // Now and then the space after the code is missing ("7.7.Áp dụng").
            let gap = if r.f64() < 0.04 { "" } else { " " };
            b.text(row, c_name, format!("{}.{gap}{name}", node.code));
        } else {
            b.text(row, c_name, format!("{} {name}", node.code));
        }
        if node.is_area() {
            b.bold_rows.push(row);
        }
        match node.leaf {
            Some(leaf) => {
                b.set(row, c_max, num(node.max, r, false));
                match (uy.self_assessed[leaf], uy.appraised[leaf]) {
                    (Some(s), Some(a)) => {
                        b.set(row, c_self, num(s, r, true));
                        b.set(row, c_appr, num(a, r, true));
                    }
                    _ => {
                        b.text(row, c_self, spec.na_self);
                        b.text(row, c_appr, spec.na_appraised);
                    }
                }
                if let Some(note) = &uy.notes[leaf] {
                    b.text(row, c_note, note.clone());
                }
                if spec.evidence && r.f64() < 0.3 {
                    let k = r.usize(..EVIDENCE_KINDS.len());
                    let text = format!(
                        "{} số {}/{} ngày {:02}/{:02}/{}",
                        EVIDENCE_KINDS[k],
                        r.u32(3..=180),
                        EVIDENCE_CODES[k],
                        r.u32(1..=28),
                        r.u32(1..=12),
                        spec.year
                    );
                    b.text(row, c_evid, text);
                }
            }
            None => match spec.parents {
                Parents::Sums => {
                    b.set(row, c_max, num(node.max, r, false));
                    b.set(row, c_self, num(self_sum[i], r, false));
                    b.set(row, c_appr, num(appr_sum[i], r, false));
                }
                Parents::MaxOnly => b.set(row, c_max, num(node.max, r, false)),
                Parents::Formulas => {
                    for col in [c_max, c_self, c_appr] {
                        let refs: Vec<String> = node.children.iter().map(|&c| format!("{}{}", col_letter(col), first + c + 1)).collect();
                        b.set(row, col, Cell::Formula(format!("SUM({})", refs.join(","))));
                    }
                }
            },
        }
    }

    // Total, bonus / penalty, signatures.
    let extra_rows = |b: &mut Builder| {
        for (label, item) in [("Điểm thưởng", uy.bonus), ("Điểm trừ", uy.penalty)] {
            if let Some((amount, reason)) = item {
                let row = b.row();
                b.text(row, c_name, format!("{label}: {reason}"));
                let cell = match spec.numbers {
                    NumStyle::TextComma => Cell::Text(fmt_hundredths(amount, ',')),
                    _ => Cell::Num(amount as f64 / 100.0),
                };
                b.set(row, c_self, cell.clone());
                b.set(row, c_appr, cell);
            }
        }
    };
    if !spec.bonus_after_total {
        extra_rows(&mut b);
    }
    let row = b.row();
    b.text(row, c_name, spec.total_label);
    b.bold_rows.push(row);
    b.set(row, c_max, num(fw.total, r, false));
    if spec.self_total {
        b.set(row, c_self, num(uy.self_points(), r, false));
    }
    if let Some(total) = uy.stated_total() {
        b.set(row, c_appr, num(total, r, false));
    }
    if spec.bonus_after_total {
        extra_rows(&mut b);
    }
    b.row();
    if let Some(place) = &spec.place {
        let row = b.row();
        let date = format!("ngày {:02} tháng {:02} năm {}", r.u32(5..=25), r.u32(1..=2), spec.year + 1);
        let line = if place.is_empty() { format!("……, {date}") } else { format!("{place}, {date}") };
        b.text(row, c_appr, line);
        b.merge(row, c_appr, row, ncols - 1);
    }
    let row = b.row();
    b.text(row, c_name, "Người lập biểu");
    b.text(row, c_appr, "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH");
    b.merge(row, c_appr, row, ncols - 1);
    b.bold_rows.push(row);
    for _ in 0..3 {
        b.row();
    }
    let row = b.row();
    b.text(row, c_name, spec.signers.0.clone());
    b.text(row, c_appr, spec.signers.1.clone());
    b.merge(row, c_appr, row, ncols - 1);

    let mut widths = vec![10.0; ncols];
    if code_col {
        widths[0] = 8.0;
    }
    widths[c_name] = 60.0;
    widths[c_evid] = 24.0;
    widths[c_note] = 34.0;

    let mut grid = Grid {
        name: spec.sheet_name.clone(),
        rows: b.rows,
        merges: b.merges,
        bold_rows: b.bold_rows,
        widths,
        blank_formula_results: spec.blank_formula_results,
    };
    if spec.nfd {
        grid.name = text::nfd(&grid.name);
        for cell in grid.rows.iter_mut().flatten() {
            if let Cell::Text(s) = cell {
                *s = text::nfd(s);
            }
        }
    }
    grid
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hundredths_text() {
        assert_eq!(fmt_hundredths(1710, ','), "17,1");
        assert_eq!(fmt_hundredths(50, ','), "0,5");
        assert_eq!(fmt_hundredths(34, '.'), "0.34");
        assert_eq!(fmt_hundredths(200, ','), "2");
        assert_eq!(fmt_hundredths(9259, ','), "92,59");
    }
}
