//! The data model of a scoring sheet as read: its rows, scores, columns and unit
//! name, before units are matched across files. Reading fills it; every later
//! stage reads it.

use super::code::Code;
use super::unit::UnitKind;
use crate::model::points::{NumberError, Points};

/// Columns of a scoring sheet, 0-based.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnMap {
    /// Row of the (first) header line.
    pub header_row: usize,
    /// First row that may hold data.
    pub data_start: usize,
    /// Code column, when codes have their own column.
    pub code: Option<usize>,
    /// Name column.
    pub name: usize,
    /// Max column.
    pub max: usize,
    /// Self-assessed column.
    pub self_score: Option<usize>,
    /// The column of the official appraised score: the last round with scores, or the
    /// net column where the sheet fills one.
    pub appraised: usize,
    /// The appraisal rounds' columns, in sheet order (one for most sheets).
    pub rounds: Vec<Round>,
    /// Deductions column (Bị trừ), if any.
    pub deduction: Option<usize>,
    /// Net column (Điểm thẩm định sau khi trừ), if any.
    pub net: Option<usize>,
    /// Evidence column.
    pub evidence: Option<usize>,
    /// Note columns, in sheet order.
    pub notes: Vec<usize>,
}

/// What a sheet was read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SheetShape {
    /// One unit's scoring sheet (layout A).
    Sheet,
    /// A consolidated matrix, one column per unit (layout B).
    Matrix,
    /// A published results table, one row per unit (layout C).
    Results,
}

impl SheetShape {
    /// The shape as `validate` names it.
    pub fn label(self) -> &'static str {
        match self {
            SheetShape::Sheet => "biểu chấm điểm",
            SheetShape::Matrix => "bảng tổng hợp (mỗi đơn vị một cột)",
            SheetShape::Results => "bảng kết quả (mỗi đơn vị một dòng)",
        }
    }
}

/// What the reader made of one sheet, column by column (`read::account`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetAccount {
    /// The sheet.
    pub sheet: String,
    /// What it was read as.
    pub shape: SheetShape,
    /// Units read from it.
    pub units: usize,
    /// Each role its columns were read as ("đơn vị", "ghi chú" …) and how many, in order.
    pub columns: Vec<(&'static str, usize)>,
    /// Columns with a header that nothing reads: the header's cell and its label.
    pub ignored: Vec<(Cell, String)>,
    /// A consolidated matrix's columns that hold points but were not read as units (a
    /// header that reads as a label): the header's cell and label, and the rows with points.
    pub unread_units: Vec<(Cell, String, usize)>,
}

/// An appraisal round's column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Round {
    /// 0-based column.
    pub col: usize,
    /// Its header, as the sheet labels it ("Điểm thẩm định lần 2").
    pub label: String,
}

/// What a row of a scoring sheet is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowKind {
    /// A framework node (area, criterion, sub-criterion …).
    Criterion,
    /// Bonus points (Điểm thưởng, Điểm cộng), outside the max.
    Bonus,
    /// Penalty points (Điểm trừ, Điểm phạt), outside the max.
    Penalty,
    /// The stated total (Tổng cộng, Tổng điểm).
    Total,
}

impl RowKind {
    /// Machine name used in exports.
    pub fn as_str(self) -> &'static str {
        match self {
            RowKind::Criterion => "criterion",
            RowKind::Bonus => "bonus",
            RowKind::Penalty => "penalty",
            RowKind::Total => "total",
        }
    }
}

/// A score cell as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Score {
    /// Empty (or a formula without a cached value).
    Blank,
    /// A number, exact.
    Value(Points),
    /// "Không áp dụng", "KAD": the leaf leaves the unit's max.
    NotApplicable,
    /// Something that is not a number ("đạt", "x"), kept as typed.
    Invalid(Box<str>),
}

impl Score {
    /// These points less a deduction, typed with either sign (a "Bị trừ" cell of 2 or
    /// −2 takes 2 off): an appraisal round's official score. Only a number is reduced.
    pub fn net_of(&self, deduction: Option<Points>) -> Score {
        match (self, deduction) {
            (Score::Value(p), Some(d)) => Score::Value(*p - Points(d.0.abs())),
            (other, _) => other.clone(),
        }
    }

    /// Points counted: blanks and invalid cells count 0, not-applicable is `None`.
    pub fn counted(&self) -> Option<Points> {
        match self {
            Score::Value(p) => Some(*p),
            Score::NotApplicable => None,
            Score::Blank | Score::Invalid(_) => Some(Points::ZERO),
        }
    }

    /// The value when one was typed.
    pub fn value(&self) -> Option<Points> {
        match self {
            Score::Value(p) => Some(*p),
            _ => None,
        }
    }
}

/// One row of a scoring sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetRow {
    /// 0-based row in the sheet.
    pub row: u32,
    /// What the row is.
    pub kind: RowKind,
    /// The code ("1.1.3"), for criteria.
    pub code: Option<Code>,
    /// Name as written (NFC, single spaces); shared by the sheets that write it alike
    /// ([`crate::text::shared`]).
    pub name: std::sync::Arc<str>,
    /// Max points as written on this sheet.
    pub max: Score,
    /// Self-assessed points.
    pub self_score: Score,
    /// The official appraised points: the last round with scores, net of deductions.
    pub appraised: Score,
    /// Each stage's points, where the sheet has several rounds or deductions (`None`
    /// otherwise: the one round is `appraised`). Boxed: most sheets have none, and a
    /// province's sheets have a million rows.
    pub stages: Option<Box<RowStages>>,
    /// Note or cause written on the row.
    pub note: String,
    /// Whether the appraised cell is a formula (its cached value is not trusted).
    pub appraised_formula: bool,
    /// A leaf: a criterion row no other criterion row of the sheet is under, what the
    /// points are summed from (set by [`ScoreSheet::mark_leaves`]).
    pub leaf: bool,
    /// The rubric's options listed under the row (rows without a code: "Ban hành
    /// kịp thời …: 1,5"), in sheet order; empty for most sheets.
    pub options: Vec<RubricOption>,
}

/// A code read otherwise than typed, because the sheet's order and max sums agree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeRepair {
    /// The code's cell.
    pub cell: Cell,
    /// The code as typed.
    pub typed: Code,
    /// The code it is read as.
    pub read_as: Code,
    /// The row it stands under (the new code's parent), if any.
    pub under: Option<Code>,
}

/// Coded rows under a criterion that are its rubric's options ("5.4.1 Có quy chế làm
/// việc: 0.5", "5.4.2 Không có quy chế làm việc: 0" under 5.4): read as its options,
/// not as criteria.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OptionRows {
    /// The criterion's code cell.
    pub cell: Cell,
    /// The criterion.
    pub code: Code,
    /// The codes the option rows carried.
    pub rows: Vec<Code>,
}

/// A criterion that holds a score while every row under it is blank: the score stands
/// as the criterion's, the rows under it are left out of the sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParentScored {
    /// The criterion's appraised cell.
    pub cell: Cell,
    /// The criterion.
    pub code: Code,
    /// Its score.
    pub score: Points,
    /// The blank rows under it, as coded.
    pub children: Vec<Code>,
}

/// A row that is no criterion, bonus, penalty or total but holds points: not counted,
/// and named.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnreadRow {
    /// The cell with points.
    pub cell: Cell,
    /// The row's label, as typed (maybe empty).
    pub label: String,
    /// The points, as typed.
    pub value: String,
}

/// A code that does not fit where it stands and that no reading the max sums
/// confirm places: kept as typed, the rows named.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeConflict {
    /// The code's cell.
    pub cell: Cell,
    /// The code as typed.
    pub typed: Code,
    /// The reading the order suggests (not used).
    pub suggested: Code,
    /// 1-based rows of the parent the suggestion puts it under and its children.
    pub rows: Vec<u32>,
}

/// A row's points at each appraisal stage, as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowStages {
    /// Each round's points, in the sheet's order of rounds.
    pub rounds: Vec<Score>,
    /// Deducted points (blank without a deductions column).
    pub deduction: Score,
}

impl SheetRow {
    /// Round `k`'s points, where the sheet has several stages.
    pub fn round(&self, k: usize) -> Option<&Score> {
        self.stages.as_ref().and_then(|s| s.rounds.get(k))
    }

    /// Deducted points, where the sheet has a deductions column.
    pub fn deduction(&self) -> Option<&Score> {
        self.stages.as_ref().map(|s| &s.deduction)
    }
}

/// One allowed score of a leaf, as its rubric lists it under the leaf's row.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RubricOption {
    /// The points this option gives.
    pub points: Points,
    /// The option's text, without its trailing points ("Ban hành kịp thời …").
    pub text: String,
}

/// Where the unit's name came from, in order of trust.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum NameSource {
    /// "ỦY BAN NHÂN DÂN XÃ …", "Đơn vị: UBND xã …".
    Title,
    /// The sheet's name.
    Sheet,
    /// The file's name.
    File,
}

/// The unit as a sheet names it, before matching across files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitName {
    /// Display form: prefixes removed, capitals title-cased ("Triệu Trạch").
    pub name: String,
    /// Xã, phường or thị trấn, when the text says so.
    pub kind: Option<UnitKind>,
    /// The body at commune level the text names other than the people's committee
    /// ("Công an" in "CÔNG AN XÃ …"), kept apart from the name and kind.
    pub body: Option<String>,
    /// Where it was read.
    pub source: NameSource,
    /// The cell it was read from, when it was read from a cell (a title line).
    pub cell: Option<Cell>,
}

/// One unit's scoring sheet, extracted.
#[derive(Debug, Clone)]
pub struct ScoreSheet {
    /// Path under the input folder.
    pub file: String,
    /// Sheet name.
    pub sheet: String,
    /// Year of the input folder.
    pub year: i32,
    /// Year written in the title, if any.
    pub title_year: Option<i32>,
    /// District named in the title, if any ("Triệu Phong").
    pub district: Option<String>,
    /// The unit, if it could be named.
    pub unit: Option<UnitName>,
    /// Columns found.
    pub columns: ColumnMap,
    /// Criterion, bonus, penalty and total rows, in sheet order.
    pub rows: Vec<SheetRow>,
    /// Cells that held more than two decimals or text that is not a number.
    pub bad_numbers: Vec<BadNumber>,
    /// Cells outside the criteria that spell the unit's name another way, a tone apart
    /// ("Triệu Trách, ngày …" under a sheet of Triệu Trạch): the cell and the variant.
    pub name_variants: Vec<(Cell, String)>,
    /// Codes read otherwise than typed, because the rows' order and max sums agree.
    pub code_repairs: Vec<CodeRepair>,
    /// Codes that fit nowhere the max sums confirm (kept as typed).
    pub code_conflicts: Vec<CodeConflict>,
    /// Later appraisal rounds blank on every criterion, and the round used instead.
    pub unscored_rounds: Option<(Vec<String>, String)>,
    /// Coded rows read as a criterion's rubric options.
    pub option_rows: Vec<OptionRows>,
    /// Criteria scored over blank rows, their score standing for them.
    pub parents_scored: Vec<ParentScored>,
    /// Rows with points that are no criterion: not counted, named.
    pub unread_rows: Vec<UnreadRow>,
    /// The survey table's points minus the sheet's own for the survey area (`[survey]`
    /// in cchc.toml; zero without): the sheet's stated total may leave them out.
    pub survey_delta: Points,
}

/// A cell that held more than two decimals or text that is not a number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadNumber {
    /// The cell.
    pub cell: Cell,
    /// What is wrong with it.
    pub problem: NumberError,
}

/// A cell of a sheet, 0-based; shown as Excel names it: (13, 4) is "E14".
///
/// ```
/// use cchc::model::sheet::Cell;
/// assert_eq!((Cell::new(13, 4).to_string(), Cell::new(0, 26).to_string()), ("E14".into(), "AA1".into()));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Cell {
    /// 0-based row.
    pub row: u32,
    /// 0-based column.
    pub col: u32,
}

impl Cell {
    /// The cell at a 0-based row and column.
    pub fn new(row: u32, col: usize) -> Cell {
        Cell { row, col: col as u32 }
    }
}

impl serde::Serialize for Cell {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl std::fmt::Display for Cell {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut c = self.col + 1;
        let mut letters = Vec::new();
        while c > 0 {
            letters.push(b'A' + ((c - 1) % 26) as u8);
            c = (c - 1) / 26;
        }
        letters.reverse();
        write!(f, "{}{}", String::from_utf8_lossy(&letters), self.row + 1)
    }
}

/// A published results table (layout C): one row per unit with its total and maybe
/// its printed band and rank, no criteria. Older years often exist only in this form.
#[derive(Debug, Clone)]
pub struct ResultsTable {
    /// Path under the input folder.
    pub file: String,
    /// Sheet name.
    pub sheet: String,
    /// Year of the input folder.
    pub year: i32,
    /// Year written in the title, if any.
    pub title_year: Option<i32>,
    /// District named in the title, if any.
    pub district: Option<String>,
    /// The total column (0-based).
    pub total_col: usize,
    /// The areas the table has columns for, with their max where the labels give it.
    pub area_max: Vec<(Code, Option<Points>)>,
    /// The units' rows, in sheet order.
    pub rows: Vec<ResultsRow>,
}

/// One unit's row of a [`ResultsTable`].
#[derive(Debug, Clone)]
pub struct ResultsRow {
    /// 0-based row in the sheet.
    pub row: u32,
    /// The unit named on the row.
    pub unit: UnitName,
    /// The total (the index) as typed: a number, or text that is not one (counts 0).
    pub total: Score,
    /// Band as printed ("Tốt").
    pub band: Option<String>,
    /// Rank as printed.
    pub rank: Option<u32>,
    /// The areas' points, where the table has area columns ([`ResultsTable::area_max`]).
    pub areas: Vec<(Code, Score)>,
    /// The total cell, when it held text or more than two decimals.
    pub bad_numbers: Vec<BadNumber>,
}

/// Where a unit's result of a year was read: a scoring sheet (layout A, or a column
/// of a consolidated matrix), or a row of a published results table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Source {
    /// Index into the run's scoring sheets.
    Sheet(usize),
    /// Index into the run's results tables, and the row's index in the table.
    Published {
        /// The table.
        table: usize,
        /// The row, in [`ResultsTable::rows`].
        row: usize,
    },
}

/// What identity, reports and checks need of a source: its place and its unit.
#[derive(Debug, Clone, Copy)]
pub struct Origin<'a> {
    /// Which source this is.
    pub source: Source,
    /// Path under the input folder.
    pub file: &'a str,
    /// Sheet name.
    pub sheet: &'a str,
    /// Year of the input folder.
    pub year: i32,
    /// District named in the title.
    pub district: Option<&'a str>,
    /// The unit as named there, if it could be.
    pub unit: Option<&'a UnitName>,
}

impl Source {
    /// This source in the run, when it was numbered in its file: the file's sheets and
    /// tables come after `sheets` and `tables` others.
    pub fn after(self, sheets: usize, tables: usize) -> Source {
        match self {
            Source::Sheet(i) => Source::Sheet(sheets + i),
            Source::Published { table, row } => Source::Published { table: tables + table, row },
        }
    }
}

impl ScoreSheet {
    /// Where this sheet, the run's (or the file's) `index`-th, was read.
    pub fn origin(&self, index: usize) -> Origin<'_> {
        Origin {
            source: Source::Sheet(index),
            file: &self.file,
            sheet: &self.sheet,
            year: self.year,
            district: self.district.as_deref(),
            unit: self.unit.as_ref(),
        }
    }

    /// Marks its leaves ([`SheetRow::leaf`]): criterion rows whose code no other
    /// criterion row's code is under. Once the rows are read, and again by whoever adds
    /// or recodes rows (the survey).
    pub fn mark_leaves(&mut self) {
        let codes = || self.rows.iter().filter(|r| r.kind == RowKind::Criterion).filter_map(|r| r.code.as_deref());
        let parents: foldhash::HashSet<&str> = codes().flat_map(super::code::ancestors).collect();
        let leaf: Vec<bool> =
            self.rows.iter().map(|r| r.kind == RowKind::Criterion && r.code.as_deref().is_some_and(|c| !parents.contains(c))).collect();
        for (r, leaf) in self.rows.iter_mut().zip(leaf) {
            r.leaf = leaf;
        }
    }
}

impl ResultsTable {
    /// Where one of its rows was read; this table is the run's (or the file's)
    /// `table`-th.
    pub fn origin(&self, table: usize, row: usize) -> Origin<'_> {
        Origin {
            source: Source::Published { table, row },
            file: &self.file,
            sheet: &self.sheet,
            year: self.year,
            district: self.district.as_deref(),
            unit: Some(&self.rows[row].unit),
        }
    }
}
