//! Errors that stop a command (exit code 2). Problems in the data are not errors
//! here: they are [`crate::model::diagnostic::Diagnostic`]s and the run goes on.

use std::path::PathBuf;
use thiserror::Error;

/// Why a command could not run.
#[derive(Debug, Error)]
pub enum CchcError {
    /// The input folder is missing or unreadable.
    #[error("không đọc được thư mục đầu vào {path}: {source}")]
    Input {
        /// The folder.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// No year folder with workbooks was found.
    #[error("không tìm thấy thư mục năm nào (ví dụ {0}/2023/) chứa tệp Excel; hãy đặt các biểu chấm điểm vào thư mục theo năm")]
    NoYears(PathBuf),
    /// The requested year has no data.
    #[error("không có dữ liệu năm {year}; các năm có dữ liệu: {available}")]
    YearMissing {
        /// Requested year.
        year: i32,
        /// Years present, comma separated.
        available: String,
    },
    /// An output could not be written.
    #[error("không ghi được {path}: {message}. Nếu tệp đang mở trong Excel, hãy đóng lại rồi chạy lại")]
    Output {
        /// The output file.
        path: PathBuf,
        /// The cause.
        message: String,
    },
    /// A criterion code named on the command line is not in the year's framework.
    #[error("không có tiêu chí {code} trong khung tiêu chí năm {year}")]
    CodeMissing {
        /// The code as typed.
        code: String,
        /// The year.
        year: i32,
    },
    /// The year exists only as a published results table: nothing per criterion.
    #[error(
        "năm {0} chỉ có bảng kết quả đã công bố (tổng điểm, xếp loại, xếp hạng), không có điểm từng tiêu chí nên không phân tích được theo tiêu chí"
    )]
    NoLeaves(i32),
    /// A framework file that cannot be used.
    #[error("không dùng được khung tiêu chí {path}: {message}")]
    Framework {
        /// The file.
        path: PathBuf,
        /// Why.
        message: String,
    },
    /// The settings file (`cchc.toml`) cannot be used.
    #[error("không dùng được tệp cấu hình {0}; hãy sửa theo hướng dẫn trong README (mục cchc.toml)")]
    Config(#[from] crate::config::ConfigError),
    /// A unit named on the command line is not in the data.
    #[error("không tìm thấy đơn vị \"{0}\"")]
    UnitMissing(String),
}

/// Result of a command.
pub type Result<T> = std::result::Result<T, CchcError>;
