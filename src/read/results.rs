//! Layout C, published results tables: one row per unit with its total, maybe its
//! areas, band and rank, read by their structure and not only by their labels.
//!
//! The unit column is the one headed "Tên đơn vị" (or the like), else the column whose
//! cells, row after row, are units' names beside numbers. Above the first unit sits the
//! header band (up to `BAND_ROWS` rows): labels merged over blocks of columns (an
//! area's, or the totals'), maybe a row of area numbers and a row of maxes ("Điểm tối
//! đa", where a label column names it), and last each block's sub-labels ("Thẩm định |
//! ĐTXHH | Tổng điểm | Chỉ số (%)", each block in its own order). A block's points are
//! its total column, else its appraised plus its survey less its deduction; a unit is
//! ranked on the totals block's points, its index the block's percentage where printed.

use crate::model::code::Code;
use crate::model::points::{Points, parse_points_text};
use crate::model::sheet::Cell;
use crate::read::layout::{HEADER_SCAN_ROWS, Words, classify, is_column_number_row};
use crate::read::workbook::{Grid, Value};
use crate::text::fold;
use regex::Regex;
use std::sync::LazyLock;

/// How many rows a header band may take.
const BAND_ROWS: usize = 6;

/// What a column under a block's label holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sub {
    /// Self-assessed (TC, Tự chấm).
    SelfScore,
    /// Appraised (TĐ, Thẩm định, "UBND huyện thẩm định").
    Appraised,
    /// The survey's points (ĐTXHH, SIPAS, "Đánh giá qua điều tra xã hội học"): part of the total.
    Survey,
    /// Deducted (Bị trừ).
    Deduction,
    /// The block's total (Tổng, Tổng điểm, Sau khi trừ).
    Net,
    /// The block's percentage (Chỉ số (%), Tỷ lệ).
    Percent,
}

/// What a block's sub-label says its column holds.
fn sub_role(label: &str) -> Option<Sub> {
    let w = Words::of(label);
    let all = w.joined();
    let is = |set: &[&str]| set.contains(&all.as_str());
    let any = |set: &[&str]| set.iter().any(|p| w.has(p));
    if all.starts_with("chi so") || label.contains('%') || any(&["ty le"]) {
        Some(Sub::Percent)
    } else if any(&["dtxhh", "sipas", "kscb", "dieu tra xa hoi hoc", "khao sat", "xhh"]) {
        Some(Sub::Survey)
    } else if is(&["tc"]) || any(&["tu cham", "tu danh gia"]) {
        Some(Sub::SelfScore)
    } else if any(&["bi tru", "tru diem"]) || is(&["diem tru"]) {
        Some(Sub::Deduction)
    } else if is(&["tong", "tong diem", "tong cong", "cong"]) || any(&["sau khi tru", "tong diem"]) {
        Some(Sub::Net)
    } else if is(&["td", "diem"]) || any(&["tham dinh", "diem danh gia", "diem dat"]) {
        Some(Sub::Appraised)
    } else {
        None
    }
}

/// A block of columns under one label: an area's, or the totals'.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// Its columns, each with what it holds (a single column may say nothing).
    pub cols: Vec<(usize, Option<Sub>)>,
    /// Its max as the header prints it, and that cell.
    pub max: Option<(Points, Cell)>,
}

impl Block {
    /// The column holding `s`.
    pub fn at(&self, s: Sub) -> Option<usize> {
        self.cols.iter().find(|(_, x)| *x == Some(s)).map(|(c, _)| *c)
    }

    /// The columns of its points, added and taken off: its total column; else its
    /// appraised and survey less its deduction; else its one column.
    pub fn points(&self) -> Option<(Vec<usize>, Option<usize>)> {
        if let Some(net) = self.at(Sub::Net) {
            return Some((vec![net], None));
        }
        let adds: Vec<usize> = [self.at(Sub::Appraised), self.at(Sub::Survey)].into_iter().flatten().collect();
        match (adds.is_empty(), self.cols.as_slice()) {
            (false, _) => Some((adds, self.at(Sub::Deduction))),
            (true, [(c, None)]) => Some((vec![*c], None)),
            _ => None,
        }
    }

    /// Its parts and its total column, where it prints both: (added, taken off, total).
    pub fn parts(&self) -> Option<(Vec<usize>, Option<usize>, usize)> {
        let net = self.at(Sub::Net)?;
        let adds: Vec<usize> = [self.at(Sub::Appraised), self.at(Sub::Survey)].into_iter().flatten().collect();
        (!adds.is_empty()).then(|| (adds, self.at(Sub::Deduction), net))
    }

    /// The column its value is shown in (the first column of its points).
    pub fn value_col(&self) -> usize {
        self.points().map_or(self.cols[0].0, |(adds, _)| adds[0])
    }
}

/// One area's block in a results table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AreaColumns {
    /// The area's code: the number over its label, else its place among the areas.
    pub code: Code,
    /// Its columns and max.
    pub block: Block,
}

impl AreaColumns {
    /// Its max, where the header prints it.
    pub fn max(&self) -> Option<Points> {
        self.block.max.map(|(m, _)| m)
    }
}

/// Columns of a published results table (layout C): one row per unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResultsMap {
    /// First row of the header band.
    pub header_row: usize,
    /// First unit's row.
    pub data_start: usize,
    /// Unit name column.
    pub unit: usize,
    /// The totals' block; `None` where the table has areas only (their sum is the total).
    pub total: Option<Block>,
    /// Band column (Xếp loại), if any.
    pub band: Option<usize>,
    /// Rank column (Xếp hạng), if any.
    pub rank: Option<usize>,
    /// Areas, each a block of columns or one column.
    pub areas: Vec<AreaColumns>,
    /// Every column of a block that has more than one: read as parts.
    pub parts: Vec<usize>,
}

impl ResultsMap {
    /// The column shown as the total.
    pub fn total_col(&self) -> usize {
        self.total.as_ref().map_or_else(|| self.areas.first().map_or(self.unit, |a| a.block.value_col()), Block::value_col)
    }
}

const UNIT_LABELS: [&str; 8] =
    ["ten don vi", "don vi", "ten xa", "xa thi tran", "xa phuong", "xa phuong thi tran", "ten co quan", "co quan don vi"];

/// A label of the header band's own label column ("TTLV", "Điểm tối đa") or of a
/// total line: never a unit.
fn is_band_label(text: &str) -> bool {
    let w = Words::of(text);
    let all = w.joined();
    classify(text).is_some()
        || UNIT_LABELS.contains(&all.as_str())
        || matches!(all.as_str(), "tt" | "stt" | "ttlv")
        || is_table_line(text)
        || w.has("diem")
        || w.has("chi so")
        || all.starts_with("tong ")
}

/// A line of a results table that is no unit: its total or average.
pub fn is_table_line(text: &str) -> bool {
    matches!(Words::of(text).joined().as_str(), "tong" | "tong cong" | "cong" | "binh quan" | "trung binh" | "tong so")
}

/// A cell that names a unit: text that is no number, no criterion code, no label.
fn unit_like(v: &Value) -> bool {
    let Value::Text(t) = v else { return false };
    let t = t.trim();
    t.chars().any(char::is_alphabetic)
        && parse_points_text(t).is_err()
        && crate::model::code::split_prefix(t).is_none()
        && Code::parse(t).is_none()
        && !is_band_label(t)
        && crate::read::names::parse_unit_name(t, crate::model::sheet::NameSource::Title).is_some()
}

/// Rows from `start` down where column `c` names a unit beside a number.
fn unit_run(grid: &Grid, c: usize, start: usize) -> usize {
    (start..grid.rows.len()).take_while(|&r| unit_like(grid.get(r, c)) && grid.rows[r].iter().skip(c + 1).any(Value::is_number)).count()
}

/// A criterion code with a level below the area ("1.1") left of the names: a
/// criteria sheet, not a results table.
fn criteria_left(grid: &Grid, c: usize, rows: std::ops::Range<usize>) -> bool {
    rows.into_iter().any(|r| (0..c).any(|k| Code::parse(&grid.get(r, k).as_text()).is_some_and(|code| code.depth() > 1)))
}

/// The unit column, the header band's first row and the first unit's row: by a unit
/// label over the column, else by the names down it.
fn find_units(grid: &Grid) -> Option<(usize, usize, usize)> {
    let scan = grid.rows.len().min(HEADER_SCAN_ROWS);
    for row in 0..scan {
        let width = grid.rows[row].len();
        for c in 0..width.min(6) {
            let label = Words::of(&grid.get(row, c).as_text()).joined();
            if !UNIT_LABELS.contains(&label.as_str()) {
                continue;
            }
            if let Some(start) = (row + 1..(row + 1 + BAND_ROWS).min(grid.rows.len())).find(|&r| unit_run(grid, c, r) >= 1) {
                return Some((c, row, start));
            }
        }
    }
    // By structure: the longest run of units' names beside numbers, in the first columns.
    let mut best: Option<(usize, usize, usize)> = None;
    for c in 0..6 {
        let mut r = 0;
        while r < (scan + BAND_ROWS).min(grid.rows.len()) {
            let run = unit_run(grid, c, r);
            if run >= 2 && best.is_none_or(|(_, _, n)| run > n) && !criteria_left(grid, c, r..r + run) {
                best = Some((c, r, run));
            }
            r += run.max(1);
        }
    }
    let (c, mut start, _) = best?;
    // Units above a blank line belong to the table too.
    while let Some(above) = (0..start).rev().find(|&r| grid.rows[r].iter().any(|v| !v.is_blank()))
        && above + 1 < start
        && unit_run(grid, c, above) >= 1
    {
        start = (0..=above).rev().take_while(|&r| unit_run(grid, c, r) >= 1).last().unwrap_or(above);
    }
    // The band: the non-blank rows right above the first unit.
    let top = (start.saturating_sub(BAND_ROWS)..start)
        .rev()
        .take_while(|&r| grid.rows.get(r).is_some_and(|cells| cells.iter().any(|v| !v.is_blank())))
        .last()?;
    Some((c, top, start))
}

/// "(20 điểm)", "(tối đa 20điểm)" in a block's label.
static MAX_IN_LABEL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\((?:tối đa\s*)?(\d{1,3}(?:[.,]\d{1,2})?)\s*điểm\)").expect("valid regex"));

/// What a band row is, above the sub-labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BandRow {
    Labels,
    Numbers,
    Maxes,
}

fn band_row(grid: &Grid, r: usize, unit: usize) -> BandRow {
    let says = |k: usize| fold(&grid.get(r, k).as_text());
    if (0..=unit).any(|k| says(k).contains("toi da")) {
        return BandRow::Maxes;
    }
    let values: Vec<&Value> = grid.rows[r].iter().skip(unit + 1).filter(|v| !v.is_blank()).collect();
    if values.is_empty() || !values.iter().all(|v| v.is_number()) {
        return BandRow::Labels;
    }
    // Area numbers count 1, 2, 3 …; maxes do not.
    let ints: Option<Vec<i64>> =
        values.iter().map(|v| parse_points_text(&v.as_text()).ok().filter(|p| p.0 % 100 == 0).map(|p| p.0 / 100)).collect();
    match ints {
        Some(n) if n.iter().enumerate().all(|(i, &x)| x == i as i64 + 1) => BandRow::Numbers,
        _ => BandRow::Maxes,
    }
}

/// "Tổng điểm", "Cộng", "Chỉ số CCHC năm 2019", "Kết quả": the totals (not "Công tác …").
fn is_total_label(label: &str) -> bool {
    let all = Words::of(label).joined();
    all == "cong"
        || all.starts_with("cong diem")
        || ["tong", "chi so", "ket qua", "diem so", "diem dat"].iter().any(|k| all == *k || all.starts_with(&format!("{k} ")))
}

/// A block's columns, each with what its sub-label says it holds.
type Columns = Vec<(usize, Option<Sub>)>;

/// The header band of a results table: where it is and what each row above the
/// sub-labels holds.
struct Band<'a> {
    grid: &'a Grid,
    header_row: usize,
    sub_row: usize,
    upper: Vec<(usize, BandRow)>,
}

impl Band<'_> {
    fn label_at(&self, r: usize, c: usize) -> String {
        self.grid.get(r, c).as_text().trim().to_string()
    }

    /// Each block's first column and columns: a block starts where a row above the
    /// sub-labels has a cell of its own (every column, under a one-row header); a
    /// sub-label left blank takes the role at its place in the first complete block.
    fn blocks(&self, columns: &[usize], width: usize) -> Vec<(usize, Columns)> {
        let starts: Vec<usize> = if self.upper.is_empty() {
            columns.to_vec()
        } else {
            columns.iter().copied().filter(|&c| self.upper.iter().any(|(r, _)| !self.grid.get(*r, c).is_blank())).collect()
        };
        let mut blocks: Vec<(usize, Columns)> = starts
            .iter()
            .enumerate()
            .map(|(i, &start)| {
                let end = starts.get(i + 1).copied().unwrap_or(width);
                let cols = columns
                    .iter()
                    .copied()
                    .filter(|c| (start..end).contains(c))
                    .map(|c| (c, sub_role(&self.label_at(self.sub_row, c))))
                    .collect();
                (start, cols)
            })
            .collect();
        let pattern: Option<Vec<Option<Sub>>> = blocks
            .iter()
            .filter(|(_, s)| s.len() > 1)
            .map(|(_, s)| s.iter().map(|x| x.1).collect::<Vec<_>>())
            .find(|p| p.iter().all(Option::is_some));
        if let Some(p) = &pattern {
            for (_, cols) in &mut blocks {
                for (k, s) in cols.iter_mut().enumerate() {
                    s.1 = s.1.or(p.get(k).copied().flatten());
                }
            }
        }
        blocks
    }

    /// A block's area number (alone in its cell, on a row of numbers or among the
    /// labels), its label, and its max (on the maxes row, else "(N điểm)" in the label).
    fn marks(&self, start: usize) -> (Option<Code>, String, Option<(Points, Cell)>) {
        let bare = |r: usize| Code::parse(&self.label_at(r, start)).filter(Code::is_area);
        let number = self.upper.iter().filter(|(_, k)| *k != BandRow::Maxes).find_map(|(r, _)| bare(*r));
        let label: String = self
            .upper
            .iter()
            .filter(|(r, k)| *k == BandRow::Labels && bare(*r).is_none())
            .map(|(r, _)| self.label_at(*r, start))
            .chain(self.upper.is_empty().then(|| self.label_at(self.sub_row, start)))
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        let printed = self
            .upper
            .iter()
            .find(|(_, k)| *k == BandRow::Maxes)
            .and_then(|(r, _)| parse_points_text(&self.label_at(*r, start)).ok().map(|p| (p, Cell::new(*r as u32, start))));
        let max = printed.or_else(|| {
            let m = MAX_IN_LABEL.captures(&label).and_then(|m| parse_points_text(&m[1]).ok())?;
            Some((m, Cell::new(self.header_row as u32, start)))
        });
        (number, label, max)
    }
}

/// Finds a published results table (layout C): units, their totals, maybe their areas,
/// band and rank. Older years often exist only in this form; it carries no criteria.
pub fn detect_results(grid: &Grid) -> Option<ResultsMap> {
    let (unit, header_row, mut data_start) = find_units(grid)?;
    let rows: Vec<usize> =
        (header_row..data_start).filter(|&r| !is_column_number_row(&grid.rows[r]) && grid.rows[r].iter().any(|v| !v.is_blank())).collect();
    // Header cells left blank are not stored: the first units' rows show the width too.
    let width = (header_row..(data_start + 3).min(grid.rows.len())).map(|r| grid.rows[r].len()).max().unwrap_or(0);
    let (&sub_row, upper) = rows.split_last()?;
    let band = Band { grid, header_row, sub_row, upper: upper.iter().map(|&r| (r, band_row(grid, r, unit))).collect() };
    let column_label = |c: usize| rows.iter().map(|&r| band.label_at(r, c)).filter(|l| !l.is_empty()).collect::<Vec<_>>().join(" ");
    let find = |keys: &[&str]| {
        (unit + 1..width).find(|&c| {
            let w = Words::of(&column_label(c));
            keys.iter().any(|k| w.has(k))
        })
    };
    let (band_col, rank) = (find(&["xep loai"]), find(&["xep hang", "thu hang"]));
    // A column blank in the band and in the first units' rows is no part of any block.
    let used = |c: usize| (header_row..(data_start + 5).min(grid.rows.len())).any(|r| !grid.get(r, c).is_blank());
    let columns: Vec<usize> = (unit + 1..width).filter(|c| Some(*c) != band_col && Some(*c) != rank && used(*c)).collect();
    let mut areas = Vec::new();
    let mut total: Option<Block> = None;
    let mut parts = Vec::new();
    for (start, cols) in band.blocks(&columns, width) {
        let (number, label, max) = band.marks(start);
        if cols.len() > 1 {
            parts.extend(cols.iter().map(|(c, _)| *c));
        }
        let block = Block { cols, max };
        if block.points().is_none() {
            continue;
        }
        let lead = crate::model::code::split_prefix(&label).map(|(code, _)| code).filter(Code::is_area);
        // The totals' block by its label ("Tổng điểm", "Chỉ số CCHC năm …"), even where
        // the row of numbers counts it with the areas; a percentage column after it is
        // its percentage.
        if is_total_label(&label) && lead.is_none() {
            match &mut total {
                None => total = Some(block),
                Some(t) if t.at(Sub::Percent).is_none() && block.cols.len() == 1 && sub_role(&label) == Some(Sub::Percent) => {
                    t.cols.push((block.cols[0].0, Some(Sub::Percent)));
                }
                Some(_) => {}
            }
            continue;
        }
        let f = fold(&label);
        // An area shows a mark of one: its number, a code or "Lĩnh vực", a max, or
        // sub-labels of its own ("Ghi chú" shows none).
        let marked = number.is_some() || lead.is_some() || f.starts_with("linh vuc") || block.max.is_some();
        if !marked && block.cols.iter().all(|(_, s)| s.is_none()) {
            continue;
        }
        let in_name = f.trim_start_matches("linh vuc").trim().split(' ').next().and_then(Code::parse).filter(Code::is_area);
        let code = number.or(lead).or(in_name).unwrap_or_else(|| Code::from_canonical((areas.len() + 1).to_string()));
        areas.push(AreaColumns { code, block });
    }
    // One column of areas alone is no results table; a total or two areas are.
    if total.is_none() && areas.len() < 2 {
        return None;
    }
    while data_start < grid.rows.len() && is_column_number_row(&grid.rows[data_start]) {
        data_start += 1;
    }
    Some(ResultsMap { header_row, data_start, unit, total, band: band_col, rank, areas, parts })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sub_labels_in_any_wording() {
        assert_eq!(sub_role("Đánh giá qua ĐTXHH"), Some(Sub::Survey));
        assert_eq!(sub_role("UBND Huyện  thẩm định"), Some(Sub::Appraised));
        assert_eq!(sub_role("Tổng điểm"), Some(Sub::Net));
        assert_eq!(sub_role("Chỉ số(%)"), Some(Sub::Percent));
        assert_eq!(sub_role("TC"), Some(Sub::SelfScore));
        assert_eq!(sub_role("TĐ"), Some(Sub::Appraised));
        assert_eq!(sub_role("Bị trừ"), Some(Sub::Deduction));
        assert_eq!(sub_role("SIPAS"), Some(Sub::Survey));
        assert_eq!(sub_role("KSCB"), Some(Sub::Survey));
    }

    #[test]
    fn published_results_table() {
        let g = Grid::of_text(&[
            &["KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM 2020"],
            &["STT", "Tên đơn vị", "Tổng điểm", "Xếp loại", "Xếp hạng"],
            &["1", "UBND xã Hải Ba", "97,42", "Tốt", "1"],
        ]);
        assert!(crate::read::layout::detect(&g).is_none() && crate::read::layout::detect_matrix(&g, &[]).is_none());
        let m = detect_results(&g).unwrap();
        assert_eq!((m.header_row, m.data_start, m.unit, m.total_col(), m.band, m.rank), (1, 2, 1, 2, Some(3), Some(4)));
        assert!(m.areas.is_empty());
    }

    /// A district's PAR web report: no unit label, four header rows, a label column,
    /// a maxes row, the totals block and area blocks with their sub-columns in other
    /// orders.
    #[test]
    fn web_report_by_structure() {
        let g = Grid::of_text(&[
            &["TT", "TTLV", "Chỉ số cải cách HC năm 2019", "", "", "", "1", "", "", "", "2"],
            &["", "Lĩnh vực", "", "", "", "", "CÔNG TÁC CHỈ ĐẠO", "", "", "", "CẢI CÁCH TTHC"],
            &["", "Điểm tối đa", "100", "", "", "", "40", "", "", "", "60"],
            &[
                "",
                "Điểm đánh giá",
                "Thẩm định",
                "ĐTXHH",
                "Tổng điểm",
                "Chỉ số (%)",
                "Đánh giá qua ĐTXHH",
                "UBND Huyện  thẩm định",
                "Tổng điểm",
                "Chỉ số(%)",
                "Đánh giá qua ĐTXHH",
                "UBND Huyện  thẩm định",
                "Tổng điểm",
                "Chỉ số(%)",
            ],
            &["1", "Xã An Phú", "80", "5", "85", "85%", "2", "30", "32", "80%", "3", "50", "53", "88.33%"],
            &["2", "Xã Bình Minh", "70", "5", "75", "75%", "2", "28", "30", "75%", "3", "42", "45", "75%"],
        ]);
        let m = detect_results(&g).unwrap();
        assert_eq!((m.header_row, m.data_start, m.unit), (0, 4, 1));
        let t = m.total.as_ref().unwrap();
        assert_eq!((t.points(), t.at(Sub::Percent), t.max), (Some((vec![4], None)), Some(5), Some((Points(10_000), Cell::new(2, 2)))));
        let areas: Vec<(String, usize, Option<Points>)> =
            m.areas.iter().map(|a| (a.code.to_string(), a.block.value_col(), a.max())).collect();
        assert_eq!(areas, [("1".to_string(), 8, Some(Points(4000))), ("2".to_string(), 12, Some(Points(6000)))]);
        assert_eq!(m.areas[0].block.parts(), Some((vec![7, 6], None, 8)));
    }
}
