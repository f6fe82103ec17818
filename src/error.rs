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
    /// An output could not be written (a full disk, a folder without write permission).
    #[error("không ghi được {path}: {source}")]
    Output {
        /// The output file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// An output is held open by another program (on Windows, Excel locks the files it has open).
    #[error("không ghi được {path} vì tệp đang được mở trong chương trình khác ({source}); hãy đóng tệp (ví dụ trong Excel) rồi chạy lại")]
    OutputInUse {
        /// The output file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A workbook could not be built.
    #[error("không tạo được bảng tính {path}: {source}")]
    Workbook {
        /// The workbook.
        path: PathBuf,
        /// The cause.
        source: rust_xlsxwriter::XlsxError,
    },
    /// A Word document could not be built.
    #[error("không tạo được văn bản Word {path}: {source}")]
    Document {
        /// The document.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A table could not be computed or encoded (polars).
    #[error("không tính được bảng {what}: {source}")]
    Table {
        /// The table, or the file it goes to.
        what: String,
        /// The cause.
        source: polars::prelude::PolarsError,
    },
    /// A JSON output could not be encoded.
    #[error("không ghi được {path}: {source}")]
    Json {
        /// The output file.
        path: PathBuf,
        /// The cause.
        source: serde_json::Error,
    },
    /// A file the command would create is already there.
    #[error("tệp {0} đã có; dùng --force để ghi đè, hoặc --output để ghi ra tệp khác")]
    AlreadyExists(PathBuf),
    /// The sample district could not be written.
    #[error("không ghi được dữ liệu mẫu vào {path}: {source}")]
    Sample {
        /// The folder.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// Writing the sample would replace files it did not write.
    #[error(
        "không ghi dữ liệu mẫu vào {path} vì thư mục có {} tệp không phải của dữ liệu mẫu (hoặc đã được sửa), sẽ bị mất nếu ghi đè: {}. Hãy chọn thư mục khác (--output), hoặc tự chuyển các tệp này đi trước",
        files.len(), list_files(files)
    )]
    SampleWouldReplace {
        /// The folder.
        path: PathBuf,
        /// The files that would have been lost, relative to the folder.
        files: Vec<PathBuf>,
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
    /// A framework file that cannot be read (the reader's error, which names the file).
    #[error(transparent)]
    FrameworkFile(Box<dyn std::error::Error + Send + Sync>),
    /// A framework file that was read but cannot be used (its groups, its rows).
    #[error("không dùng được khung tiêu chí {path}: {reason}")]
    Framework {
        /// The file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// The settings file (`cchc.toml`) cannot be used.
    #[error("không dùng được tệp cấu hình {0}; hãy sửa theo hướng dẫn trong README (mục cchc.toml)")]
    Config(#[from] crate::config::ConfigError),
    /// A unit named on the command line is not in the data.
    #[error("không tìm thấy đơn vị \"{0}\"")]
    UnitMissing(String),
}

impl CchcError {
    /// An output's I/O failure, told apart where another program holds the file.
    pub fn output(path: &std::path::Path, source: std::io::Error) -> CchcError {
        // Windows: ERROR_SHARING_VIOLATION (32) and ERROR_LOCK_VIOLATION (33) are a file
        // open in Excel; so is access denied on a file that exists.
        let held = cfg!(windows)
            && (matches!(source.raw_os_error(), Some(32 | 33)) || (source.kind() == std::io::ErrorKind::PermissionDenied && path.exists()));
        let path = path.to_path_buf();
        if held { CchcError::OutputInUse { path, source } } else { CchcError::Output { path, source } }
    }
}

/// The first few files of a list, for a message.
fn list_files(files: &[PathBuf]) -> String {
    let mut s: Vec<String> = files.iter().take(10).map(|f| f.display().to_string()).collect();
    if files.len() > 10 {
        s.push(format!("… và {} tệp khác", files.len() - 10));
    }
    s.join(", ")
}

/// Result of a command.
pub type Result<T> = std::result::Result<T, CchcError>;
