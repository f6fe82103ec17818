//! Layout A, one unit's scoring sheet, as a grid of cells: title block,
//! header (one or two rows), one row per framework node, total row, bonus
//! or penalty row, signatures. The shapes in `plan` choose the variations.

use super::framework::{Framework, Node, roman};
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

/// Column positions of layout A: an optional code column, then name, max,
/// self-assessed, appraised, evidence and note, so every part of the sheet
/// agrees on where a value goes.
#[derive(Debug, Clone, Copy)]
struct Cols {
    /// A separate code column comes first.
    code: bool,
    name: usize,
    max: usize,
    self_points: usize,
    appraised: usize,
    evidence: usize,
    note: usize,
    /// Number of columns.
    count: usize,
}

impl Cols {
    fn new(code: bool) -> Self {
        let name = usize::from(code);
        Cols { code, name, max: name + 1, self_points: name + 2, appraised: name + 3, evidence: name + 4, note: name + 5, count: name + 6 }
    }

    /// Column widths: wide name, evidence and note columns, narrow numbers.
    fn widths(&self) -> Vec<f64> {
        let mut widths = vec![10.0; self.count];
        if self.code {
            widths[0] = 8.0;
        }
        widths[self.name] = 60.0;
        widths[self.evidence] = 24.0;
        widths[self.note] = 34.0;
        widths
    }
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
///
/// The parts are written top to bottom and draw from `r` in that order; the
/// order of the calls below is part of the output.
pub(crate) fn build(fw: &Framework, uy: &UnitYear, spec: &SheetSpec, r: &mut fastrand::Rng) -> Grid {
    let mut sheet = SheetBuilder::new(fw, uy, spec);
    sheet.title_block();
    while sheet.b.rows.len() < spec.header_row {
        sheet.b.row();
    }
    sheet.header();
    sheet.node_rows(r);
    sheet.totals(r);
    sheet.signatures(r);
    sheet.into_grid()
}

/// A number cell in the sheet's number style; `leaf` scores of the mixed
/// style are sometimes text, which draws from `r` (other cells never do).
fn num_cell(style: NumStyle, v: i64, r: &mut fastrand::Rng, leaf: bool) -> Cell {
    match style {
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
}

/// Sums of every node's leaves, so parent rows can state correct totals.
struct NodeSums {
    /// Self-assessed points per node, N/A leaves counted as 0.
    self_points: Vec<i64>,
    /// Appraised points per node, N/A leaves counted as 0.
    appraised: Vec<i64>,
}

impl NodeSums {
    fn new(fw: &Framework, uy: &UnitYear) -> Self {
        let n = fw.nodes.len();
        let mut self_points = vec![0i64; n];
        let mut appraised = vec![0i64; n];
        for (leaf, &node) in fw.leaves.iter().enumerate() {
            self_points[node] = uy.self_assessed[leaf].unwrap_or(0);
            appraised[node] = uy.appraised[leaf].unwrap_or(0);
        }
        // Children come after their parent, so a reverse pass adds bottom-up.
        for i in (0..n).rev() {
            if let Some(p) = fw.nodes[i].parent {
                self_points[p] += self_points[i];
                appraised[p] += appraised[i];
            }
        }
        NodeSums { self_points, appraised }
    }
}

/// One sheet under construction: the inputs every part reads, and the grid
/// being filled, so the parts need no long argument lists.
struct SheetBuilder<'a> {
    fw: &'a Framework,
    uy: &'a UnitYear,
    spec: &'a SheetSpec,
    cols: Cols,
    b: Builder,
}

impl<'a> SheetBuilder<'a> {
    fn new(fw: &'a Framework, uy: &'a UnitYear, spec: &'a SheetSpec) -> Self {
        let cols = Cols::new(spec.code_column.is_some());
        let b = Builder { rows: Vec::with_capacity(fw.nodes.len() + 20), merges: Vec::new(), bold_rows: Vec::new(), ncols: cols.count };
        SheetBuilder { fw, uy, spec, cols, b }
    }

    fn num(&self, v: i64, r: &mut fastrand::Rng, leaf: bool) -> Cell {
        num_cell(self.spec.numbers, v, r, leaf)
    }

    /// The rows above the header that name the unit, as offices lay them out.
    fn title_block(&mut self) {
        let last = self.cols.count - 1;
        let b = &mut self.b;
        match &self.spec.title {
            Title::None => {}
            Title::Heading(heading) => {
                let row = b.row();
                b.text(row, 0, heading.clone());
                b.merge(row, 0, row, last);
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
                b.merge(row, 3, row, last);
                b.bold_rows.push(row);
                b.row();
                let row = b.row();
                b.text(row, 0, heading.clone());
                b.merge(row, 0, row, last);
                b.bold_rows.push(row);
                if let Some(u) = unit_line {
                    let row = b.row();
                    b.text(row, 0, u.clone());
                    b.merge(row, 0, row, last);
                }
            }
        }
    }

    /// The header, in one row or two (group label over self / appraised),
    /// optionally followed by a row of column numbers "(1)", "(2)", ….
    fn header(&mut self) {
        let (spec, c) = (self.spec, self.cols);
        let b = &mut self.b;
        let h = b.row();
        b.bold_rows.push(h);
        let mut labels: Vec<(usize, &str)> =
            vec![(c.name, spec.name_label), (c.max, spec.max_label), (c.evidence, spec.evidence_label), (c.note, spec.note_label)];
        if let Some(label) = spec.code_column {
            labels.push((0, label));
        }
        match spec.two_row {
            None => {
                labels.push((c.self_points, spec.self_label));
                labels.push((c.appraised, spec.appraised_label));
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
                b.text(h, c.self_points, group);
                b.merge(h, c.self_points, h, c.appraised);
                b.text(h2, c.self_points, self_sub);
                b.text(h2, c.appraised, appr_sub);
            }
        }
        if spec.column_numbers {
            let row = b.row();
            for col in 0..c.count {
                b.text(row, col, format!("({})", col + 1));
            }
        }
    }

    /// One row per framework node, in framework order.
    fn node_rows(&mut self, r: &mut fastrand::Rng) {
        let fw = self.fw;
        let sums = NodeSums::new(fw, self.uy);
        let first = self.b.rows.len();
        for (i, node) in fw.nodes.iter().enumerate() {
            let row = self.b.row();
            self.code_and_name(row, node, r);
            if node.is_area() {
                self.b.bold_rows.push(row);
            }
            match node.leaf {
                Some(leaf) => self.leaf_cells(row, node, leaf, r),
                None => self.parent_cells(row, i, &sums, first, r),
            }
        }
    }

    /// The node's code and name: in a code column, or at the start of the
    /// name cell, Roman or Arabic areas, with or without trailing dots.
    fn code_and_name(&mut self, row: usize, node: &Node, r: &mut fastrand::Rng) {
        let (spec, c_name) = (self.spec, self.cols.name);
        let area_code = if spec.roman_areas { roman(node.area).to_string() } else { node.area.to_string() };
        let name = if node.is_area() && spec.upper_areas { node.name.to_uppercase() } else { node.name.clone() };
        if self.cols.code {
            let code = if node.is_area() {
                if spec.trailing_dot && !spec.roman_areas { format!("{area_code}.") } else { area_code }
            } else if spec.trailing_dot {
                format!("{}.", node.code)
            } else {
                node.code.clone()
            };
            self.b.text(row, 0, code);
            self.b.text(row, c_name, name);
        } else if node.is_area() {
            self.b.text(row, c_name, format!("{area_code}. {name}"));
        } else if spec.trailing_dot {
            // Now and then the space after the code is missing ("7.7.Áp dụng").
            let gap = if r.f64() < 0.04 { "" } else { " " };
            self.b.text(row, c_name, format!("{}.{gap}{name}", node.code));
        } else {
            self.b.text(row, c_name, format!("{} {name}", node.code));
        }
    }

    /// A leaf's max, its two scores (or the N/A labels), note and evidence.
    fn leaf_cells(&mut self, row: usize, node: &Node, leaf: usize, r: &mut fastrand::Rng) {
        let (spec, uy, c) = (self.spec, self.uy, self.cols);
        let max = self.num(node.max, r, false);
        self.b.set(row, c.max, max);
        match (uy.self_assessed[leaf], uy.appraised[leaf]) {
            (Some(s), Some(a)) => {
                let s = self.num(s, r, true);
                self.b.set(row, c.self_points, s);
                let a = self.num(a, r, true);
                self.b.set(row, c.appraised, a);
            }
            _ => {
                self.b.text(row, c.self_points, spec.na_self);
                self.b.text(row, c.appraised, spec.na_appraised);
            }
        }
        if let Some(note) = &uy.notes[leaf] {
            self.b.text(row, c.note, note.clone());
        }
        if spec.evidence && r.f64() < 0.3 {
            let text = evidence_text(spec.year, r);
            self.b.text(row, c.evidence, text);
        }
    }

    /// A parent's row: max and sums, max only, or SUM formulas over the
    /// children's rows (`first` = row of the first node).
    fn parent_cells(&mut self, row: usize, i: usize, sums: &NodeSums, first: usize, r: &mut fastrand::Rng) {
        let (fw, c) = (self.fw, self.cols);
        let node = &fw.nodes[i];
        match self.spec.parents {
            Parents::Sums => {
                let cells = [
                    (c.max, self.num(node.max, r, false)),
                    (c.self_points, self.num(sums.self_points[i], r, false)),
                    (c.appraised, self.num(sums.appraised[i], r, false)),
                ];
                for (col, cell) in cells {
                    self.b.set(row, col, cell);
                }
            }
            Parents::MaxOnly => {
                let max = self.num(node.max, r, false);
                self.b.set(row, c.max, max);
            }
            Parents::Formulas => {
                for col in [c.max, c.self_points, c.appraised] {
                    let refs: Vec<String> = node.children.iter().map(|&ch| format!("{}{}", col_letter(col), first + ch + 1)).collect();
                    self.b.set(row, col, Cell::Formula(format!("SUM({})", refs.join(","))));
                }
            }
        }
    }

    /// The total row, with the bonus and penalty rows before or after it.
    fn totals(&mut self, r: &mut fastrand::Rng) {
        let (spec, uy, c) = (self.spec, self.uy, self.cols);
        if !spec.bonus_after_total {
            self.bonus_penalty_rows();
        }
        let row = self.b.row();
        self.b.text(row, c.name, spec.total_label);
        self.b.bold_rows.push(row);
        let max = self.num(self.fw.total, r, false);
        self.b.set(row, c.max, max);
        if spec.self_total {
            let points = self.num(uy.self_points(), r, false);
            self.b.set(row, c.self_points, points);
        }
        if let Some(total) = uy.stated_total() {
            let total = self.num(total, r, false);
            self.b.set(row, c.appraised, total);
        }
        if spec.bonus_after_total {
            self.bonus_penalty_rows();
        }
    }

    /// "Điểm thưởng: …" and "Điểm trừ: …" rows, where the unit has them.
    fn bonus_penalty_rows(&mut self) {
        let (spec, c) = (self.spec, self.cols);
        for (label, item) in [("Điểm thưởng", self.uy.bonus), ("Điểm trừ", self.uy.penalty)] {
            if let Some((amount, reason)) = item {
                let row = self.b.row();
                self.b.text(row, c.name, format!("{label}: {reason}"));
                let cell = match spec.numbers {
                    NumStyle::TextComma => Cell::Text(fmt_hundredths(amount, ',')),
                    _ => Cell::Num(amount as f64 / 100.0),
                };
                self.b.set(row, c.self_points, cell.clone());
                self.b.set(row, c.appraised, cell);
            }
        }
    }

    /// Place and date line, then the preparer's and chairman's signatures.
    fn signatures(&mut self, r: &mut fastrand::Rng) {
        let (spec, c) = (self.spec, self.cols);
        let (b, last) = (&mut self.b, c.count - 1);
        b.row();
        if let Some(place) = &spec.place {
            let row = b.row();
            let date = format!("ngày {:02} tháng {:02} năm {}", r.u32(5..=25), r.u32(1..=2), spec.year + 1);
            let line = if place.is_empty() { format!("……, {date}") } else { format!("{place}, {date}") };
            b.text(row, c.appraised, line);
            b.merge(row, c.appraised, row, last);
        }
        let row = b.row();
        b.text(row, c.name, "Người lập biểu");
        b.text(row, c.appraised, "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH");
        b.merge(row, c.appraised, row, last);
        b.bold_rows.push(row);
        for _ in 0..3 {
            b.row();
        }
        let row = b.row();
        b.text(row, c.name, spec.signers.0.clone());
        b.text(row, c.appraised, spec.signers.1.clone());
        b.merge(row, c.appraised, row, last);
    }

    /// The finished grid, every text in NFD if the spec asks for it.
    fn into_grid(self) -> Grid {
        let spec = self.spec;
        let mut grid = Grid {
            name: spec.sheet_name.clone(),
            rows: self.b.rows,
            merges: self.b.merges,
            bold_rows: self.b.bold_rows,
            widths: self.cols.widths(),
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
}

/// An evidence document reference ("Kế hoạch số 12/KH-UBND ngày 03/04/2023").
fn evidence_text(year: i32, r: &mut fastrand::Rng) -> String {
    let k = r.usize(..EVIDENCE_KINDS.len());
    format!("{} số {}/{} ngày {:02}/{:02}/{}", EVIDENCE_KINDS[k], r.u32(3..=180), EVIDENCE_CODES[k], r.u32(1..=28), r.u32(1..=12), year)
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
