//! `cchc sample`: a synthetic district of commune PAR Index scoring sheets
//! (biểu chấm điểm Chỉ số CCHC), written in the shapes real offices send, so
//! that the pipeline can be run and tested without real data.
//!
//! The first 18 units are the seed's district (Triệu Phong, Quảng Trị);
//! Triệu Trạch's 2022 sheet carries the seed letter's own figures and its
//! rank facts (1st of 18 in 2022, 11th in 2021). Everything is decided from
//! the seed before any file is written, so the same options give the same
//! cell contents; files are then written in parallel.

/// Legacy .xls (BIFF8) writer, because offices still send .xls and no crate writes it.
pub mod xls;

/// Hostile and broken workbooks that the reading limits must refuse (feature `hostile`:
/// tests and `make bench`, not the shipped `cchc`).
#[cfg(feature = "hostile")]
pub mod hostile;

mod framework;
mod layout;
mod scores;
mod text;
mod units;
mod write;

use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use framework::Framework;
use layout::{Grid, NumStyle, Parents, SheetSpec, Title};
use scores::UnitYear;
use units::{SEED_UNITS, TRIEU_TRACH, Unit};

/// Options of `cchc sample`.
#[derive(Debug, Clone)]
pub struct SampleOptions {
    /// Folder to write into; one subfolder per year is created.
    pub output: PathBuf,
    /// Number of units: the seed's 18 first, then generated communes.
    pub units: usize,
    /// Years to write, one folder each.
    pub years: Vec<i32>,
    /// Seed of every random choice: same options, same cell contents.
    pub seed: u64,
}

/// What was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SampleSummary {
    /// Workbook files written (lock and stray files not counted).
    pub files: usize,
    /// Units per year.
    pub units: usize,
    /// Years written, ascending.
    pub years: Vec<i32>,
}

/// Writes a synthetic district in the real-world shapes under `opts.output/<year>/…`.
pub fn generate(opts: &SampleOptions) -> io::Result<SampleSummary> {
    if opts.units == 0 {
        return Err(io::Error::new(io::ErrorKind::InvalidInput, "số đơn vị phải ít nhất là 1"));
    }
    let mut years = opts.years.clone();
    years.sort_unstable();
    years.dedup();
    if years.is_empty() {
        return Err(io::Error::new(io::ErrorKind::InvalidInput, "chưa chọn năm nào"));
    }
    let fw = Framework::embedded()?;
    let units = units::units(opts.units, opts.seed);
    let scores = scores::build(&fw, units.len(), &years, opts.seed);
    let mut files = 0;
    for (yi, &year) in years.iter().enumerate() {
        let ctx = Ctx { fw: &fw, units: &units, scores: &scores[yi], year, seed: opts.seed, dir: opts.output.join(year.to_string()) };
        files += write_year(&ctx)?;
    }
    Ok(SampleSummary { files, units: units.len(), years })
}

/// Independent random stream for one purpose, derived from the seed and tags
/// so that results do not depend on the order of work.
pub(crate) fn rng(seed: u64, tags: &[u64]) -> fastrand::Rng {
    fn mix(mut z: u64) -> u64 {
        z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    let mut h = mix(seed);
    for &t in tags {
        h = mix(h ^ mix(t));
    }
    fastrand::Rng::with_seed(h)
}

/// The shapes of layout A.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
    /// .xlsx, one file per unit, title block, code column, numbers.
    Single,
    /// .xls, two-row merged header, codes in the name cell, text numbers.
    Xls,
    /// .xlsx, one workbook with a sheet per unit for a group of units.
    Multi,
    /// .xlsx with the mess: NFD, toneless file names, old tones, formulas.
    Messy,
}

const SHAPES: [Shape; 4] = [Shape::Single, Shape::Xls, Shape::Multi, Shape::Messy];

/// One workbook to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Job {
    /// `k` = position among the units of the same shape this year.
    Single {
        unit: usize,
        k: usize,
    },
    Xls {
        unit: usize,
        k: usize,
    },
    Multi {
        units: Vec<usize>,
        group: usize,
    },
    Messy {
        unit: usize,
        k: usize,
    },
}

const TAG_SHAPE: u64 = 0x5348_4150;
const TAG_SHEET: u64 = 0x5348_4545;
const TAG_GROUP: u64 = 0x4752_5550;

/// Which unit gets which shape in `year`: a seeded shuffle dealt round-robin
/// over the four shapes, so each shape gets a quarter of the units; Triệu
/// Trạch 2022 is always a single .xlsx file.
pub(crate) fn plan_year(n: usize, year: i32, seed: u64) -> Vec<Job> {
    let mut r = rng(seed, &[TAG_SHAPE, year as u64]);
    let mut order: Vec<usize> = (0..n).collect();
    r.shuffle(&mut order);
    if n >= SEED_UNITS.len() && year == scores::SEED_YEAR {
        let at = order.iter().position(|&u| u == TRIEU_TRACH).unwrap_or(0);
        if at % SHAPES.len() != 0 {
            order.swap(at, 0);
        }
    }
    let mut jobs = Vec::new();
    let mut multi: Vec<usize> = Vec::new();
    for (i, &unit) in order.iter().enumerate() {
        let k = i / SHAPES.len();
        match SHAPES[i % SHAPES.len()] {
            Shape::Single => jobs.push(Job::Single { unit, k }),
            Shape::Xls => jobs.push(Job::Xls { unit, k }),
            Shape::Multi => multi.push(unit),
            Shape::Messy => jobs.push(Job::Messy { unit, k }),
        }
    }
    let mut group = 0;
    let mut rest = multi.as_slice();
    while !rest.is_empty() {
        let mut size = r.usize(4..=8).min(rest.len());
        if rest.len() - size < 2 {
            // No workbook of a single sheet at the end.
            size = rest.len();
        }
        let (head, tail) = rest.split_at(size);
        jobs.push(Job::Multi { units: head.to_vec(), group });
        group += 1;
        rest = tail;
    }
    jobs
}

/// What one year's writing needs.
struct Ctx<'a> {
    fw: &'a Framework,
    units: &'a [Unit],
    scores: &'a [UnitYear],
    year: i32,
    seed: u64,
    dir: PathBuf,
}

/// Writes one year's folder; returns the number of workbooks.
fn write_year(ctx: &Ctx) -> io::Result<usize> {
    std::fs::create_dir_all(&ctx.dir)?;
    let jobs = plan_year(ctx.units.len(), ctx.year, ctx.seed);
    if jobs.iter().any(|j| matches!(j, Job::Messy { k, .. } if k % 3 == 2)) {
        std::fs::create_dir_all(ctx.dir.join(SUBFOLDER))?;
    }
    let names: Vec<PathBuf> = jobs.par_iter().map(|job| write_job(ctx, job)).collect::<io::Result<_>>()?;

    // The lock file of a workbook somebody had open, and one stray file.
    let locked = names
        .iter()
        .find(|p| p.parent() == Some(Path::new("")) || p.parent().is_none())
        .and_then(|p| p.file_name())
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_else(|| "Biểu chấm điểm.xlsx".to_string());
    let locked = match locked.strip_suffix(".xls") {
        Some(stem) => format!("{stem}.xlsx"),
        None => locked,
    };
    write::lock_file(&ctx.dir.join(format!("~${locked}")))?;
    if ctx.year % 2 == 0 {
        write::note_file(&ctx.dir.join("Ghi chú.txt"), ctx.year)?;
    } else {
        write::thumbs_db(&ctx.dir.join("Thumbs.db"))?;
    }
    Ok(jobs.len())
}

/// Subfolder of the second batch of messy files.
const SUBFOLDER: &str = "Đợt 2";

const DISTRICT: &str = "UBND HUYỆN TRIỆU PHONG";
const MOTTO: &str = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc";
const HEADINGS: [&str; 3] = [
    "BIỂU TỰ ĐÁNH GIÁ, CHẤM ĐIỂM CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM",
    "BIỂU CHẤM ĐIỂM CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM",
    "KẾT QUẢ TỰ ĐÁNH GIÁ VÀ THẨM ĐỊNH CHỈ SỐ CCHC NĂM",
];
const CODE_LABELS: [&str; 3] = ["TT", "STT", "Mã"];
const NAME_LABELS: [&str; 3] = ["Lĩnh vực/Tiêu chí/Tiêu chí thành phần", "Nội dung tiêu chí", "Tiêu chí, tiêu chí thành phần"];
const MAX_LABELS: [&str; 3] = ["Điểm tối đa", "Điểm chuẩn", "Thang điểm"];
const SELF_LABELS: [&str; 2] = ["Điểm tự đánh giá", "Tự chấm"];
const APPRAISED_LABELS: [&str; 2] = ["Điểm thẩm định", "Kết quả thẩm định"];
/// The seed's typo for "Điểm thẩm định".
const APPRAISED_TYPO: &str = "Điểm Thấp định";
const EVIDENCE_LABEL: &str = "Tài liệu kiểm chứng";
const NOTE_LABELS: [&str; 3] = ["Ghi chú", "Nguyên nhân không đạt điểm tối đa", "Giải trình"];
const TWO_ROW: [(&str, &str, &str); 3] = [
    ("Điểm đạt được", "Tự chấm", "Thẩm định"),
    ("Điểm đạt được", "Tự đánh giá", "Thẩm định của huyện"),
    ("Điểm đạt được", "Điểm tự chấm", "Kết quả thẩm định"),
];
const TOTAL_LABELS: [&str; 3] = ["TỔNG CỘNG", "Tổng điểm", "TỔNG ĐIỂM"];
const NA_LABELS: [(&str, &str); 3] = [("KAD", "Không áp dụng"), ("Không áp dụng", "Không áp dụng"), ("KAD", "KAD")];
const SHEET_NAMES: [&str; 3] = ["Biểu chấm điểm", "Sheet1", "Chấm điểm"];
const STAFF: [&str; 10] = [
    "Nguyễn Thị Hằng",
    "Lê Văn Hùng",
    "Trần Thị Thu",
    "Phan Văn Lợi",
    "Hoàng Thị Mai",
    "Võ Văn Tám",
    "Đặng Thị Hoa",
    "Bùi Văn Nam",
    "Ngô Thị Lan",
    "Lê Quang Vinh",
];
/// The chairman who signed the seed letter.
const SEED_CHAIRMAN: &str = "Lê Văn Mẫn";

fn pick<T: Copy>(r: &mut fastrand::Rng, items: &[T]) -> T {
    items[r.usize(..items.len())]
}

/// Replaces characters a file or sheet name cannot hold.
fn clean_name(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' | '[' | ']' => '_',
            c => c,
        })
        .collect()
}

/// A sheet name of at most 31 characters.
fn sheet_name(s: &str) -> String {
    clean_name(s).chars().take(31).collect()
}

impl Ctx<'_> {
    fn is_seed_sheet(&self, unit: usize) -> bool {
        unit == TRIEU_TRACH && self.year == scores::SEED_YEAR && self.units.len() >= SEED_UNITS.len()
    }

    /// The spec every shape starts from: shape 1's (title block, code column,
    /// numbers, parent sums).
    fn base_spec(&self, unit: usize, r: &mut fastrand::Rng) -> SheetSpec {
        let u = &self.units[unit];
        let (na_self, na_appraised) = pick(r, &NA_LABELS);
        let seed_sheet = self.is_seed_sheet(unit);
        SheetSpec {
            sheet_name: pick(r, &SHEET_NAMES).to_string(),
            title: Title::Full {
                district: (r.f64() < 0.7).then(|| DISTRICT.to_string()),
                left: format!("ỦY BAN NHÂN DÂN\n{} {}", u.kind.upper(), u.name.to_uppercase()),
                right: MOTTO.to_string(),
                heading: format!("{} {}", pick(r, &HEADINGS), self.year),
                unit_line: Some(format!("Đơn vị: UBND {} {}", u.kind.lower(), u.name)),
            },
            header_row: r.usize(5..=12),
            code_column: Some(pick(r, &CODE_LABELS)),
            roman_areas: true,
            trailing_dot: false,
            upper_areas: r.bool(),
            name_label: pick(r, &NAME_LABELS),
            max_label: pick(r, &MAX_LABELS),
            self_label: pick(r, &SELF_LABELS),
            appraised_label: pick(r, &APPRAISED_LABELS),
            evidence_label: EVIDENCE_LABEL,
            note_label: pick(r, &NOTE_LABELS),
            two_row: None,
            column_numbers: r.f64() < 0.3,
            numbers: NumStyle::Number,
            parents: Parents::Sums,
            na_self,
            na_appraised,
            total_label: pick(r, &TOTAL_LABELS),
            self_total: r.f64() < 0.7 || seed_sheet,
            bonus_after_total: r.bool(),
            evidence: r.f64() < 0.4,
            place: Some(if seed_sheet {
                // The seed misspells its own commune once.
                "Triệu Trách".to_string()
            } else {
                u.name.clone()
            }),
            year: self.year,
            signers: (
                pick(r, &STAFF).to_string(),
                if unit == TRIEU_TRACH { SEED_CHAIRMAN.to_string() } else { pick(r, &STAFF).to_string() },
            ),
            nfd: false,
            blank_formula_results: false,
        }
    }

    fn sheet_rng(&self, unit: usize) -> fastrand::Rng {
        rng(self.seed, &[TAG_SHEET, unit as u64, self.year as u64])
    }

    /// Writes one job; returns its path relative to the year folder.
    fn write_job(&self, job: &Job) -> io::Result<PathBuf> {
        let book = match job {
            &Job::Single { unit, k } => self.single_book(unit, k),
            &Job::Xls { unit, k } => self.xls_book(unit, k),
            Job::Multi { units, group } => self.multi_book(units, *group),
            &Job::Messy { unit, k } => self.messy_book(unit, k),
        };
        let path = self.dir.join(&book.rel);
        if book.xls {
            write::xls(&path, &book.grids)?;
        } else {
            write::xlsx(&path, &book.grids, self.year)?;
        }
        Ok(book.rel)
    }

    /// Shape 1: the base spec as is, one .xlsx per unit; a few (and the
    /// seed's own sheet) carry the seed's typo in the appraised label.
    fn single_book(&self, unit: usize, k: usize) -> BookFile {
        let year = self.year;
        let mut r = self.sheet_rng(unit);
        let mut spec = self.base_spec(unit, &mut r);
        if self.is_seed_sheet(unit) || k % 50 == 3 {
            spec.appraised_label = APPRAISED_TYPO;
        }
        let u = &self.units[unit];
        let file = match k % 3 {
            0 => format!("Biểu chấm điểm CCHC {year} - {}.xlsx", u.name),
            1 => format!("bieu_cham_diem_{:02}.xlsx", unit + 1),
            _ => format!("UBND {} {} - Chỉ số CCHC {year}.xlsx", u.kind.lower(), u.name),
        };
        let grid = layout::build(self.fw, &self.scores[unit], &spec, &mut r);
        BookFile { rel: PathBuf::from(clean_name(&file)), grids: vec![grid], xls: false }
    }

    /// Shape 2: a legacy .xls with a two-row merged header, codes in the
    /// name cell, numbers as text with a decimal comma and parents' max only.
    fn xls_book(&self, unit: usize, k: usize) -> BookFile {
        let year = self.year;
        let mut r = self.sheet_rng(unit);
        let mut spec = self.base_spec(unit, &mut r);
        if let Title::Full { district, .. } = &mut spec.title {
            *district = (r.f64() < 0.5).then(|| DISTRICT.to_string());
        }
        spec.header_row = r.usize(5..=8);
        spec.code_column = None;
        spec.roman_areas = r.bool();
        spec.trailing_dot = r.bool();
        spec.upper_areas = true;
        spec.two_row = Some(pick(&mut r, &TWO_ROW));
        spec.column_numbers = true;
        spec.numbers = NumStyle::TextComma;
        spec.parents = Parents::MaxOnly;
        let u = &self.units[unit];
        let file = if k.is_multiple_of(2) {
            format!("Biểu chấm điểm {year} - {} {}.xls", u.kind.capital(), u.name)
        } else {
            format!("Tham_dinh_{year}_{:02}.xls", unit + 1)
        };
        let grid = layout::build(self.fw, &self.scores[unit], &spec, &mut r);
        BookFile { rel: PathBuf::from(clean_name(&file)), grids: vec![grid], xls: true }
    }

    /// Shape 3: one .xlsx for a group of units, a sheet per unit; the
    /// group's own stream decides what all its sheets share.
    fn multi_book(&self, units: &[usize], group: usize) -> BookFile {
        let year = self.year;
        let mut gr = rng(self.seed, &[TAG_GROUP, year as u64, group as u64]);
        let roman_areas = gr.bool();
        let with_heading = gr.f64() < 0.7;
        let style = GroupStyle { roman_areas, with_heading };
        let grids = units.iter().enumerate().map(|(i, &unit)| self.multi_sheet(unit, i, style)).collect();
        let file = if group.is_multiple_of(2) {
            format!("Biểu chấm điểm các xã năm {year} - Cụm {}.xlsx", group + 1)
        } else {
            format!("Tong_hop_bieu_cham_diem_{year}_{:02}.xlsx", group + 1)
        };
        BookFile { rel: PathBuf::from(file), grids, xls: false }
    }

    /// One sheet of a multi-sheet workbook, named after its unit; `i` is its
    /// position in the book (every second sheet has a two-row header).
    fn multi_sheet(&self, unit: usize, i: usize, style: GroupStyle) -> Grid {
        let year = self.year;
        let mut r = self.sheet_rng(unit);
        let mut spec = self.base_spec(unit, &mut r);
        spec.sheet_name = sheet_name(&self.units[unit].name);
        spec.title = if style.with_heading { Title::Heading(format!("{} {year}", pick(&mut r, &HEADINGS))) } else { Title::None };
        spec.header_row = if style.with_heading { 2 } else { 0 } + r.usize(0..=2);
        spec.roman_areas = style.roman_areas;
        spec.trailing_dot = true;
        spec.two_row = (i % 2 == 1).then(|| pick(&mut r, &TWO_ROW));
        spec.numbers = if r.bool() { NumStyle::MixedDot } else { NumStyle::Number };
        spec.parents = if r.bool() { Parents::Sums } else { Parents::MaxOnly };
        spec.place = Some(String::new());
        layout::build(self.fw, &self.scores[unit], &spec, &mut r)
    }

    /// Shape 4: an .xlsx with SUM formulas for parents and one of three
    /// kinds of mess, chosen by the unit's position `k`.
    fn messy_book(&self, unit: usize, k: usize) -> BookFile {
        let mut r = self.sheet_rng(unit);
        let mut spec = self.base_spec(unit, &mut r);
        spec.parents = Parents::Formulas;
        let rel = match k % 3 {
            0 => self.toneless_mess(&mut spec, unit, &mut r),
            1 => self.old_tone_mess(&mut spec, unit, &mut r),
            _ => self.nfd_mess(&mut spec, unit, &mut r),
        };
        let grid = layout::build(self.fw, &self.scores[unit], &spec, &mut r);
        BookFile { rel, grids: vec![grid], xls: false }
    }

    /// Named only by the file name, without tones: no title, no code column.
    fn toneless_mess(&self, spec: &mut SheetSpec, unit: usize, r: &mut fastrand::Rng) -> PathBuf {
        spec.title = Title::None;
        spec.header_row = 0;
        spec.code_column = None;
        spec.trailing_dot = r.bool();
        spec.roman_areas = r.bool();
        spec.place = Some(String::new());
        let stem = text::toneless(&self.units[unit].name).replace(' ', "_");
        PathBuf::from(format!("{stem}_{}.xlsx", self.year))
    }

    /// Numbered file name, old tone placement in the title, and formula
    /// cells without a cached result.
    fn old_tone_mess(&self, spec: &mut SheetSpec, unit: usize, r: &mut fastrand::Rng) -> PathBuf {
        if let Title::Full { left, right, unit_line, .. } = &mut spec.title {
            *left = text::old_tone(left);
            *right = text::old_tone(right);
            *unit_line = unit_line.as_deref().map(text::old_tone);
        }
        spec.header_row = r.usize(5..=7);
        spec.blank_formula_results = true;
        spec.place = spec.place.as_deref().map(text::old_tone);
        // Numbered by the position in the district list (1..=100).
        PathBuf::from(clean_name(&format!(
            "{:02}. {} - Biểu chấm điểm {}.xlsx",
            unit % 100 + 1,
            text::old_tone(&self.units[unit].name),
            self.year
        )))
    }

    /// Decomposed (NFD) text and file name, second batch in a subfolder.
    fn nfd_mess(&self, spec: &mut SheetSpec, unit: usize, r: &mut fastrand::Rng) -> PathBuf {
        let u = &self.units[unit];
        spec.nfd = true;
        spec.header_row = r.usize(5..=9);
        let file = format!("Biểu chấm điểm {} {} {}.xlsx", u.kind.lower(), u.name, self.year);
        Path::new(SUBFOLDER).join(text::nfd(&clean_name(&file)))
    }
}

/// A workbook decided but not yet written: its path relative to the year
/// folder, its sheets, and whether it is a legacy .xls.
struct BookFile {
    rel: PathBuf,
    grids: Vec<Grid>,
    xls: bool,
}

/// What all sheets of one multi-sheet workbook share.
#[derive(Debug, Clone, Copy)]
struct GroupStyle {
    roman_areas: bool,
    with_heading: bool,
}

fn write_job(ctx: &Ctx, job: &Job) -> io::Result<PathBuf> {
    ctx.write_job(job)
}

#[cfg(test)]
mod tests {
    use super::framework::parse_hundredths;
    use super::text::key;
    use super::*;
    use calamine::{Data, Reader, open_workbook_auto};
    use std::collections::{BTreeMap, HashMap, HashSet};

    /// A cell as read back.
    #[derive(Debug, Clone, PartialEq)]
    enum V {
        E,
        S(String),
        F(f64),
    }

    type Book = Vec<(String, Vec<Vec<V>>)>;

    fn read_book(path: &Path) -> Book {
        let mut wb = open_workbook_auto(path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
        let names = wb.sheet_names().to_vec();
        names
            .into_iter()
            .map(|name| {
                let range = wb.worksheet_range(&name).unwrap();
                let (r0, c0) = range.start().unwrap_or((0, 0));
                let mut rows = vec![Vec::new(); r0 as usize];
                for row in range.rows() {
                    let mut cells = vec![V::E; c0 as usize];
                    cells.extend(row.iter().map(|d| match d {
                        Data::Empty => V::E,
                        Data::String(s) => V::S(s.clone()),
                        Data::Float(f) => V::F(*f),
                        Data::Int(i) => V::F(*i as f64),
                        other => V::S(format!("{other:?}")),
                    }));
                    rows.push(cells);
                }
                (name, rows)
            })
            .collect()
    }

    /// Every file under `dir`, relative, sorted.
    fn files(dir: &Path) -> Vec<PathBuf> {
        fn walk(base: &Path, dir: &Path, out: &mut Vec<PathBuf>) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    walk(base, &path, out);
                } else {
                    out.push(path.strip_prefix(base).unwrap().to_path_buf());
                }
            }
        }
        let mut out = Vec::new();
        walk(dir, dir, &mut out);
        out.sort();
        out
    }

    fn is_workbook(p: &Path) -> bool {
        let name = p.file_name().unwrap().to_string_lossy();
        !name.starts_with("~$") && (name.ends_with(".xlsx") || name.ends_with(".xls"))
    }

    /// A leaf as read: max, self, appraised (None = not applicable).
    type Leaf = (i64, Option<i64>, Option<i64>);

    #[derive(Debug, Default)]
    struct Sheet {
        unit: Option<usize>,
        leaves: BTreeMap<String, Leaf>,
        bonus: i64,
        penalty: i64,
        stated: Option<i64>,
        text: String,
    }

    impl Sheet {
        fn final_score(&self) -> f64 {
            let (mut pts, mut max) = (0, 0);
            for (m, _, a) in self.leaves.values() {
                if let Some(a) = a {
                    pts += a;
                    max += m;
                }
            }
            pts as f64 * 100.0 / max as f64 + (self.bonus - self.penalty) as f64 / 100.0
        }
    }

    fn num(v: Option<&V>) -> Option<i64> {
        match v? {
            V::F(f) => Some((f * 100.0).round() as i64),
            V::S(s) => parse_hundredths(s),
            V::E => None,
        }
    }

    fn is_na(v: Option<&V>) -> bool {
        matches!(v, Some(V::S(s)) if ["kad", "khongapdung"].contains(&key(s).as_str()))
    }

    /// A code at the start of a cell: ("1.1.3", rest) with areas as Roman.
    fn split_code(s: &str, codes: &HashSet<String>) -> Option<(String, String)> {
        let s = s.trim();
        let run: String = if s.starts_with(|c: char| c.is_ascii_digit()) {
            s.chars().take_while(|c| c.is_ascii_digit() || *c == '.').collect()
        } else {
            s.chars().take_while(|c| "IVX.".contains(*c)).collect()
        };
        let rest = &s[run.len()..];
        if !(rest.is_empty() || run.ends_with('.') || rest.starts_with(' ')) {
            return None;
        }
        let tok = run.trim_end_matches('.');
        let code = match tok.parse::<usize>() {
            Ok(n) if (1..=7).contains(&n) => framework::roman(n).to_string(),
            _ => tok.to_string(),
        };
        codes.contains(&code).then(|| (code, rest.trim_start_matches(['.', ' ']).to_string()))
    }

    fn match_unit(s: &str, by_key: &HashMap<String, usize>) -> Option<usize> {
        const PREFIXES: [&str; 6] = ["donvi:", "uybannhandan", "ubnd", "xa", "phuong", "thitran"];
        let mut stack = vec![key(s)];
        while let Some(k) = stack.pop() {
            if let Some(&u) = by_key.get(&k) {
                return Some(u);
            }
            for p in PREFIXES {
                if let Some(rest) = k.strip_prefix(p) {
                    stack.push(rest.to_string());
                }
            }
        }
        None
    }

    fn parse_sheet(file: &Path, sheet_name: &str, rows: &[Vec<V>], fw: &Framework, by_key: &HashMap<String, usize>) -> Sheet {
        let codes: HashSet<String> = fw.nodes.iter().map(|n| n.code.clone()).collect();
        let mut sheet = Sheet::default();
        let mut title_unit = None;
        let mut seen_code = false;
        for row in rows {
            for cell in row {
                if let V::S(s) = cell {
                    sheet.text.push_str(s);
                    sheet.text.push('\n');
                }
            }
            let Some(c0) = row.iter().position(|v| *v != V::E) else {
                continue;
            };
            let V::S(first) = &row[c0] else {
                continue;
            };
            if let Some((code, rest)) = split_code(first, &codes) {
                seen_code = true;
                let at = if rest.is_empty() { c0 + 2 } else { c0 + 1 };
                let node = fw.nodes.iter().find(|n| n.code == code).unwrap();
                if node.leaf.is_some() {
                    let max = num(row.get(at)).expect("leaf max");
                    let appraised = if is_na(row.get(at + 2)) { None } else { Some(num(row.get(at + 2)).expect("leaf appraised")) };
                    let prev = sheet.leaves.insert(code.clone(), (max, num(row.get(at + 1)), appraised));
                    assert!(prev.is_none(), "{file:?} {code} twice");
                }
                continue;
            }
            let k = key(first);
            if k.starts_with("tongcong") || k.starts_with("tongdiem") {
                sheet.stated = num(row.get(c0 + 3));
            } else if k.starts_with("diemthuong") || k.starts_with("diemcong") {
                sheet.bonus += num(row.get(c0 + 3)).unwrap();
            } else if k.starts_with("diemtru") || k.starts_with("diemphat") {
                sheet.penalty += num(row.get(c0 + 3)).unwrap();
            } else if !seen_code && title_unit.is_none() {
                title_unit = row.iter().find_map(|v| match v {
                    V::S(s) => match_unit(s, by_key),
                    _ => None,
                });
            }
        }
        let stem = file.file_stem().unwrap().to_string_lossy().to_string();
        let stem = stem.split(" - ").next().unwrap();
        let stem = stem.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.' || c == ' ');
        let stem = stem.trim_end_matches(|c: char| c.is_ascii_digit() || c == '_' || c == ' ');
        sheet.unit = match_unit(sheet_name, by_key).or(title_unit).or_else(|| match_unit(&stem.replace('_', " "), by_key));
        sheet
    }

    struct Year {
        files: Vec<PathBuf>,
        books: BTreeMap<PathBuf, Book>,
        sheets: Vec<(PathBuf, Sheet)>,
    }

    fn read_year(dir: &Path, fw: &Framework, units: &[Unit]) -> Year {
        let by_key: HashMap<String, usize> = units.iter().enumerate().map(|(i, u)| (key(&u.name), i)).collect();
        let files = files(dir);
        let mut books = BTreeMap::new();
        let mut sheets = Vec::new();
        for rel in files.iter().filter(|p| is_workbook(p)) {
            let book = read_book(&dir.join(rel));
            for (name, rows) in &book {
                sheets.push((rel.clone(), parse_sheet(rel, name, rows, fw, &by_key)));
            }
            books.insert(rel.clone(), book);
        }
        Year { files, books, sheets }
    }

    /// The seed `cchc sample` uses by default (and `make sample` commits).
    const SEED: u64 = 2022;
    const YEARS: [i32; 3] = [2021, 2022, 2023];

    fn opts(dir: &Path, units: usize, years: &[i32]) -> SampleOptions {
        SampleOptions { output: dir.to_path_buf(), units, years: years.to_vec(), seed: SEED }
    }

    #[test]
    fn district_of_18_over_three_years() {
        let tmp = tempfile::tempdir().unwrap();
        let summary = generate(&opts(tmp.path(), 18, &[2023, 2021, 2022, 2021])).unwrap();
        let fw = Framework::embedded().unwrap();
        let units = units::units(18, SEED);
        let planned: usize = YEARS.iter().map(|&y| plan_year(18, y, SEED).len()).sum();
        assert_eq!(summary, SampleSummary { files: planned, units: 18, years: YEARS.to_vec() });

        let mut years = HashMap::new();
        for year in YEARS {
            let dir = tmp.path().join(year.to_string());
            assert!(dir.is_dir(), "{dir:?}");
            let y = read_year(&dir, &fw, &units);
            check_year_files(year, &y);
            check_each_unit_once(year, &y, &fw);
            years.insert(year, y);
        }
        check_special_rows(&years);
        check_seed_sheet(&years[&2022]);
        check_seed_ranks(&years);
        check_same_options_same_contents(tmp.path(), &years, &fw, &units);
    }

    /// The year folder holds the planned workbooks, one lock file and one
    /// stray file, and every shape of `plan_year` occurs.
    fn check_year_files(year: i32, y: &Year) {
        let names: Vec<String> = y.files.iter().map(|p| p.to_string_lossy().into()).collect();
        let workbooks = y.files.iter().filter(|p| is_workbook(p)).count();
        assert_eq!(workbooks, plan_year(18, year, SEED).len(), "{names:?}");
        let locks = names.iter().filter(|n| n.starts_with("~$")).count();
        let stray = names.iter().filter(|n| *n == "Ghi chú.txt" || *n == "Thumbs.db").count();
        assert_eq!((locks, stray), (1, 1), "{names:?}");
        assert_eq!(y.files.len(), workbooks + 2);
        // Every shape occurs.
        assert!(names.iter().any(|n| n.ends_with(".xls")), "{names:?}");
        assert!(names.iter().any(|n| n.starts_with(SUBFOLDER)), "{names:?}");
        assert!(y.books.values().any(|b| b.len() > 1), "{names:?}");
        assert!(names.iter().any(|n| n.ends_with(&format!("_{year}.xlsx")) && !n.contains(' ') && n.is_ascii()), "{names:?}");
        let nfd = y.sheets.iter().any(|(_, s)| s.text.chars().any(|c| ('\u{300}'..='\u{36F}').contains(&c)));
        assert!(nfd, "no NFD text in {year}");
    }

    /// Each unit exactly once, complete and within max.
    fn check_each_unit_once(year: i32, y: &Year, fw: &Framework) {
        let mut seen = vec![0; 18];
        for (file, sheet) in &y.sheets {
            let unit = sheet.unit.unwrap_or_else(|| panic!("no unit in {file:?}"));
            seen[unit] += 1;
            assert_eq!(sheet.leaves.len(), fw.leaves.len(), "{file:?}");
            for (code, (max, _, appraised)) in &sheet.leaves {
                if let Some(a) = appraised {
                    assert!(*a >= 0 && a <= max, "{file:?} {code} {a}/{max}");
                }
                let node = fw.nodes.iter().find(|n| &n.code == code).unwrap();
                assert_eq!(*max, node.max, "{file:?} {code}");
            }
        }
        assert_eq!(seen, vec![1; 18], "{year}");
    }

    /// Bonus, penalty and not-applicable rows occur, and stated totals are
    /// the leaf sums.
    fn check_special_rows(years: &HashMap<i32, Year>) {
        let all: Vec<&Sheet> = years.values().flat_map(|y| y.sheets.iter().map(|s| &s.1)).collect();
        assert!(all.iter().any(|s| s.bonus > 0));
        assert!(all.iter().any(|s| s.penalty > 0));
        assert!(all.iter().any(|s| s.leaves.values().any(|l| l.2.is_none())));
        // Stated totals, where stated, are the leaf sums (but for the seed's sheet).
        for s in &all {
            if let Some(stated) = s.stated
                && !(s.unit == Some(TRIEU_TRACH) && stated == 9259)
            {
                let points: i64 = s.leaves.values().filter_map(|l| l.2).sum();
                assert_eq!(stated, points);
            }
        }
    }

    /// Triệu Trạch 2022: the seed's figures.
    fn check_seed_sheet(y2022: &Year) {
        let (file, tt) = y2022.sheets.iter().find(|(_, s)| s.unit == Some(TRIEU_TRACH)).unwrap();
        let points: i64 = tt.leaves.values().filter_map(|l| l.2).sum();
        assert_eq!(points, 9074, "{file:?}");
        assert_eq!(tt.stated, Some(9259));
        assert!(tt.text.contains(APPRAISED_TYPO));
        assert!(file.extension().unwrap() == "xlsx");
        let below: BTreeMap<&str, (i64, i64)> =
            tt.leaves.iter().filter(|(_, l)| l.2 != Some(l.0)).map(|(c, l)| (c.as_str(), (l.2.unwrap(), l.0))).collect();
        let seed_nine = [
            ("1.1.3", 160, 200),
            ("1.2", 250, 400),
            ("1.5.3", 0, 100),
            ("1.6", 100, 200),
            ("2.4.4", 180, 200),
            ("3.12", 0, 100),
            ("3.13.1", 34, 100),
            ("3.13.3", 0, 50),
            ("7.7", 100, 200),
        ];
        for (code, a, m) in seed_nine {
            assert_eq!(below.get(code), Some(&(a, m)), "{code}");
        }
        assert_eq!(below.len(), 11, "{below:?}");
        assert!(below.contains_key("3.5.1") && below.contains_key("3.8"));
    }

    /// Final scores of the 18 units in `year`, by unit.
    fn finals(years: &HashMap<i32, Year>, year: i32) -> Vec<f64> {
        let mut f = vec![0.0; 18];
        for (_, s) in &years[&year].sheets {
            f[s.unit.unwrap()] = s.final_score();
        }
        f
    }

    /// Ranks: 1st of 18 in 2022, 11th in 2021 without ties.
    fn check_seed_ranks(years: &HashMap<i32, Year>) {
        let f2022 = finals(years, 2022);
        assert!((f2022[TRIEU_TRACH] - 90.74).abs() < 1e-9);
        for (u, f) in f2022.iter().enumerate() {
            assert!(u == TRIEU_TRACH || *f < 90.74 - 1e-9, "{u}: {f}");
        }
        let f2021 = finals(years, 2021);
        let tt = f2021[TRIEU_TRACH];
        let above = f2021.iter().filter(|&&f| f > tt + 1e-9).count();
        let tied = f2021.iter().filter(|&&f| (f - tt).abs() <= 1e-9).count();
        assert_eq!((above, tied), (10, 1), "{f2021:?}");
    }

    /// Same options, same cell contents (and the same non-workbook bytes).
    fn check_same_options_same_contents(root: &Path, years: &HashMap<i32, Year>, fw: &Framework, units: &[Unit]) {
        let again = tempfile::tempdir().unwrap();
        generate(&opts(again.path(), 18, &YEARS)).unwrap();
        for year in YEARS {
            let a = &years[&year];
            let b = read_year(&again.path().join(year.to_string()), fw, units);
            assert_eq!(a.files, b.files);
            assert_eq!(a.books, b.books, "{year}");
            for rel in a.files.iter().filter(|p| !is_workbook(p)) {
                let read = |root: &Path| std::fs::read(root.join(year.to_string()).join(rel));
                assert_eq!(read(root).unwrap(), read(again.path()).unwrap());
            }
        }
    }

    #[test]
    fn messy_parents_are_formulas() {
        let tmp = tempfile::tempdir().unwrap();
        generate(&opts(tmp.path(), 8, &[2023])).unwrap();
        let dir = tmp.path().join("2023");
        let messy = files(&dir).into_iter().find(|p| p.to_string_lossy().ends_with("_2023.xlsx")).unwrap();
        let mut wb = open_workbook_auto(dir.join(messy)).unwrap();
        let name = wb.sheet_names()[0].clone();
        let formulas = wb.worksheet_formula(&name).unwrap();
        let values = wb.worksheet_range(&name).unwrap();
        assert!(formulas.used_cells().any(|(_, _, f)| f.starts_with("SUM(")));

        // Evaluate the SUM formulas: every parent's max must come out right.
        fn eval(row: usize, col: usize, formulas: &calamine::Range<String>, values: &calamine::Range<Data>) -> f64 {
            let f = formulas.get_value((row as u32, col as u32)).cloned().unwrap_or_default();
            if let Some(args) = f.strip_prefix("SUM(").and_then(|a| a.strip_suffix(')')) {
                return args
                    .split(',')
                    .map(|a| {
                        let col = (a.as_bytes()[0] - b'A') as usize;
                        let row: usize = a[1..].parse().unwrap();
                        eval(row - 1, col, formulas, values)
                    })
                    .sum();
            }
            match values.get_value((row as u32, col as u32)) {
                Some(Data::Float(f)) => *f,
                Some(Data::Int(i)) => *i as f64,
                _ => 0.0,
            }
        }
        let fw = Framework::embedded().unwrap();
        let codes: HashSet<String> = fw.nodes.iter().map(|n| n.code.clone()).collect();
        let mut checked = 0;
        for row in 0..values.height() {
            let Some(Data::String(s)) = values.get_value((row as u32, 0)) else {
                continue;
            };
            let Some((code, _)) = split_code(s, &codes) else {
                continue;
            };
            let node = fw.nodes.iter().find(|n| n.code == code).unwrap();
            if node.leaf.is_none() {
                let max = eval(row, 1, &formulas, &values);
                assert!((max * 100.0 - node.max as f64).abs() < 1e-6, "{code}: {max}");
                checked += 1;
            }
        }
        assert_eq!(checked, fw.nodes.len() - fw.leaves.len());
    }

    #[test]
    fn two_hundred_units() {
        let all = units::units(200, SEED);
        assert_eq!(all.len(), 200);
        let names: HashSet<&str> = all.iter().map(|u| u.name.as_str()).collect();
        let keys: HashSet<String> = all.iter().map(|u| key(&u.name)).collect();
        assert_eq!((names.len(), keys.len()), (200, 200));
        let tmp = tempfile::tempdir().unwrap();
        let summary = generate(&opts(tmp.path(), 200, &[2024])).unwrap();
        assert_eq!(summary.files, plan_year(200, 2024, SEED).len());
        let on_disk = files(&tmp.path().join("2024"));
        assert_eq!(on_disk.iter().filter(|p| is_workbook(p)).count(), summary.files);
    }

    #[test]
    fn bad_options() {
        let tmp = tempfile::tempdir().unwrap();
        assert!(generate(&opts(tmp.path(), 0, &[2022])).is_err());
        assert!(generate(&opts(tmp.path(), 3, &[])).is_err());
    }
}
