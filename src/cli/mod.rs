//! Command-line interface: one module per command.
//!
//! Exit codes: 0 done; 1 done but the data has errors (`run`); 2 could not run.

pub mod compare;
pub mod crash;
pub mod documents;
pub mod followup;
pub mod gap;
pub mod init;
pub mod losses;
pub mod rank;
pub mod rounds;
pub mod run;
pub mod sample;
pub mod stability;
pub mod template;
pub mod trend;
pub mod unit;
pub mod validate;

use crate::error::Result;
use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// cchc — xếp hạng Chỉ số cải cách hành chính (CCHC) cấp xã từ các biểu chấm điểm Excel.
#[derive(Debug, Parser)]
#[command(name = "cchc", version, about, long_about = None)]
pub struct Cli {
    /// The command.
    #[command(subcommand)]
    pub command: Command,
}

/// Output formats of reporting commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A readable table.
    Text,
    /// JSON for other tools (a stable contract).
    Json,
    /// CSV with a header row.
    Csv,
}

/// Commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Chạy toàn bộ quy trình: đọc, kiểm tra, xếp hạng, ghi bảng tính và dữ liệu.
    #[command(after_help = "Ví dụ:\n  cchc run --input input/ --output output/")]
    Run(run::RunArgs),
    /// Kiểm tra dữ liệu đầu vào: mọi lỗi kèm tệp, trang tính, ô và cách xử lý.
    #[command(
        after_help = "Ví dụ:\n  cchc validate --input input/ --year 2022\n  cchc validate --format json > kiem-tra.json\n\nMã thoát: 0 không có lỗi (có thể có cảnh báo), 1 có lỗi, 2 không chạy được."
    )]
    Validate(validate::ValidateArgs),
    /// In bảng xếp hạng của một năm (text, json hoặc csv).
    #[command(after_help = "Ví dụ:\n  cchc rank --year 2022\n  cchc rank --year 2022 --format json > xep-hang-2022.json")]
    Rank(rank::RankArgs),
    /// Điểm bị trừ: mọi tiêu chí thành phần chưa đạt điểm tối đa, theo đơn vị, kèm nguyên nhân.
    #[command(
        after_help = "Ví dụ:\n  cchc losses --year 2022 --unit \"Triệu Trạch\"\n  cchc losses --year 2022 --format csv > diem-bi-tru-2022.csv"
    )]
    Losses(losses::LossesArgs),
    /// So sánh các đơn vị theo từng lĩnh vực/tiêu chí: điểm, % điểm tối đa, thống kê, thứ hạng.
    #[command(after_help = "Ví dụ:\n  cchc compare --year 2022\n  cchc compare --year 2022 --level 2 --format csv > so-sanh-2022.csv")]
    Compare(compare::CompareArgs),
    /// Độ ổn định xếp hạng: bỏ từng lĩnh vực rồi xếp hạng lại, xem đơn vị nào đổi hạng.
    #[command(after_help = "Ví dụ:\n  cchc stability --year 2022\n  cchc stability --year 2022 --format json")]
    Stability(stability::StabilityArgs),
    /// Chênh lệch tự đánh giá – thẩm định: đơn vị và tiêu chí tự chấm cao hơn.
    #[command(after_help = "Ví dụ:\n  cchc gap --year 2022\n  cchc gap --year 2022 --unit \"Triệu Trạch\" --format csv")]
    Gap(gap::GapArgs),
    /// Hồ sơ một đơn vị: chỉ số, thứ hạng, xu hướng, tiêu chí mạnh/yếu, điểm bị trừ, tự đánh giá.
    #[command(after_help = "Ví dụ:\n  cchc unit \"Triệu Trạch\" --year 2022\n  cchc unit trieu trach --format json")]
    Unit(unit::UnitArgs),
    /// Xu hướng: chỉ số, thứ hạng, xếp loại của từng đơn vị qua các năm.
    #[command(after_help = "Ví dụ:\n  cchc trend\n  cchc trend --unit \"Triệu Trạch\" --format json")]
    Trend(trend::TrendArgs),
    /// Tạo một huyện mẫu (dữ liệu giả lập) theo các dạng biểu thực tế.
    #[command(after_help = "Ví dụ:\n  cchc sample --output input/ --units 18 --years 2021,2022,2023 --seed 7")]
    Sample(sample::SampleArgs),
    /// Ghi biểu chấm điểm trống của một năm cho từng đơn vị (khung tiêu chí, ô điểm có kiểm tra, công thức).
    #[command(
        after_help = "Ví dụ:\n  cchc template --year 2024\n  cchc template --year 2024 --from-year 2023 --output bieu-mau/\n  cchc template --year 2025 --framework khung-tieu-chi-2025.csv"
    )]
    Template(template::TemplateArgs),
    /// Khắc phục so với năm trước: tiêu chí mới bị trừ, lặp lại, đã khắc phục, duy trì; tiêu chí yếu kéo dài.
    #[command(after_help = "Ví dụ:\n  cchc followup --year 2022\n  cchc followup --year 2022 --unit \"Triệu Trạch\" --format json")]
    Followup(followup::FollowupArgs),
    /// Các vòng thẩm định: điểm tự chấm, từng vòng thẩm định, điểm bị trừ và điểm chính thức, theo đơn vị và tiêu chí.
    #[command(after_help = "Ví dụ:\n  cchc rounds --year 2024\n  cchc rounds --year 2024 --unit \"Long Hải\" --format json")]
    Rounds(rounds::RoundsArgs),
    /// Ghi văn bản Word: công văn khắc phục của từng đơn vị (kèm phụ lục) và phụ lục xếp hạng của năm.
    #[command(after_help = "Ví dụ:\n  cchc documents --year 2022\n  cchc documents --year 2022 --unit \"Triệu Trạch\" --output van-ban/")]
    Documents(documents::DocumentsArgs),
    /// Ghi tệp cấu hình cchc.toml có chú thích từ dữ liệu đầu vào (cơ quan, đơn vị, xếp loại).
    #[command(after_help = "Ví dụ:\n  cchc init --input input/\n  cchc init --input input/ --output cchc-moi.toml")]
    Init(init::InitArgs),
}

/// Input folder option shared by commands.
#[derive(Debug, Clone, clap::Args)]
pub struct InputArg {
    /// Thư mục đầu vào: DIR/<năm>/… chứa các tệp Excel.
    #[arg(long, default_value = "input")]
    pub input: PathBuf,
    /// Tệp cấu hình (mặc định: DIR/cchc.toml nếu có).
    #[arg(long)]
    pub config: Option<PathBuf>,
}

impl InputArg {
    /// The office's settings: `--config`, else the input folder's `cchc.toml`, else the defaults.
    pub fn settings(&self) -> Result<crate::config::Settings> {
        Ok(match &self.config {
            Some(path) => crate::config::Settings::load(path)?,
            None => crate::config::Settings::for_input(&self.input)?,
        })
    }

    /// Runs the analysis on the input folder with its settings.
    pub fn analyse(&self) -> Result<crate::findings::Findings> {
        crate::pipeline::analyse_with(&self.input, self.settings()?)
    }
}

/// `--year` of the reporting commands.
#[derive(Debug, Clone, clap::Args)]
pub struct YearArg {
    /// Năm (mặc định: năm mới nhất có dữ liệu).
    #[arg(long)]
    pub year: Option<i32>,
}

/// `--format` of the reporting commands.
#[derive(Debug, Clone, clap::Args)]
pub struct FormatArg {
    /// Định dạng đầu ra.
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
}

/// Runs the chosen command; returns the exit code.
pub fn dispatch(cli: Cli) -> Result<u8> {
    match cli.command {
        Command::Run(a) => run::run(&a),
        Command::Rank(a) => rank::rank(&a),
        Command::Losses(a) => losses::run(&a),
        Command::Trend(a) => trend::run(&a),
        Command::Compare(a) => compare::run(&a),
        Command::Gap(a) => gap::run(&a),
        Command::Unit(a) => unit::run(&a),
        Command::Stability(a) => stability::run(&a),
        Command::Sample(a) => sample::sample(&a),
        Command::Template(a) => template::run(&a),
        Command::Validate(a) => validate::validate(&a),
        Command::Init(a) => init::run(&a),
        Command::Documents(a) => documents::run(&a),
        Command::Followup(a) => followup::run(&a),
        Command::Rounds(a) => rounds::run(&a),
    }
}

/// Pads text to a width in characters (Vietnamese letters are one column each).
pub fn pad(s: &str, width: usize) -> String {
    let n = s.chars().count();
    if n >= width { s.to_string() } else { format!("{s}{}", " ".repeat(width - n)) }
}

/// Right-aligns text to a width in characters.
pub fn pad_left(s: &str, width: usize) -> String {
    let n = s.chars().count();
    if n >= width { s.to_string() } else { format!("{}{s}", " ".repeat(width - n)) }
}

/// A polars failure inside an analysis, as a run error.
pub fn analysis_error(e: &polars::prelude::PolarsError) -> crate::error::CchcError {
    crate::write::export::table_error("phân tích", e.clone())
}

/// `--unit NAME` of a reporting command: keeps only that unit's rows (all without it).
pub fn keep_unit<T>(
    a: &crate::findings::Findings,
    name: Option<&str>,
    rows: &mut Vec<T>,
    unit_of: impl Fn(&T) -> crate::model::unit::UnitId,
) -> Result<()> {
    if let Some(name) = name {
        let unit = unit_named(a, name)?;
        rows.retain(|r| unit_of(r) == unit);
    }
    Ok(())
}

/// The unit a user typed, by any spelling the reader accepts, or a clear error.
pub fn unit_named(a: &crate::findings::Findings, name: &str) -> Result<crate::model::unit::UnitId> {
    a.find_unit(name).ok_or_else(|| crate::error::CchcError::UnitMissing(name.to_string()))
}
