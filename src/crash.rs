//! What a crash report needs from the stages (a panic is a bug, not a problem in the
//! data): the stage the run has reached, and the text of a panic. `cli::crash` turns
//! an escaped panic into exit code 2 with a message. In builds with debug assertions
//! (the test profile), `CCHC_FAULT=<point>[:<file name>]` injects a panic at a named
//! point ([`inject`]) so tests can prove what a crash leaves behind.

use std::sync::atomic::{AtomicU8, Ordering};

/// What the run was doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Stage {
    /// Before any stage.
    Start,
    /// Reading the input files.
    Read,
    /// Identifying units, scoring, checking and ranking.
    Score,
    /// The analyses and reports.
    Analyse,
    /// Writing the output files.
    Write,
}

impl Stage {
    /// The stage as the officer's message names it.
    pub fn label(self) -> &'static str {
        match self {
            Stage::Start => "khởi động",
            Stage::Read => "đọc các tệp đầu vào",
            Stage::Score => "chấm điểm và xếp hạng",
            Stage::Analyse => "phân tích kết quả",
            Stage::Write => "ghi các tệp kết quả",
        }
    }
}

static STAGE: AtomicU8 = AtomicU8::new(Stage::Start as u8);

/// Marks the stage the run has reached.
pub fn set_stage(s: Stage) {
    STAGE.store(s as u8, Ordering::Relaxed);
}

/// The stage the run has reached.
pub fn stage() -> Stage {
    match STAGE.load(Ordering::Relaxed) {
        1 => Stage::Read,
        2 => Stage::Score,
        3 => Stage::Analyse,
        4 => Stage::Write,
        _ => Stage::Start,
    }
}

/// Panics at `point` when `CCHC_FAULT` names it (and, after a colon, `detail`); only
/// in builds with debug assertions, so the shipped binary has no such switch.
#[inline]
pub fn inject(point: &str, detail: &str) {
    #[cfg(debug_assertions)]
    {
        static FAULT: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
        let Some(fault) = FAULT.get_or_init(|| std::env::var("CCHC_FAULT").ok()) else { return };
        let (at, name) = fault.split_once(':').unwrap_or((fault, ""));
        if at == point && (name.is_empty() || name == detail) {
            panic!("lỗi thử nghiệm CCHC_FAULT={fault}");
        }
    }
    #[cfg(not(debug_assertions))]
    let _ = (point, detail);
}

/// The text of a panic's payload.
pub fn payload_text(p: &(dyn std::any::Any + Send)) -> String {
    p.downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "lỗi không rõ".to_string())
}
