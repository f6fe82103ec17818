//! When cchc itself fails (a panic: a bug, not a problem in the data): the officer
//! sees what failed and what became of the outputs, in Vietnamese; the details for
//! whoever maintains the tool go to a log file, never to the screen. `main` installs
//! the hook ([`install`]) and turns an escaped panic into exit code 2 with [`report`].

use crate::crash::{payload_text, stage};
use std::sync::Mutex;

/// Every panic's report (message, place, backtrace), first ones only.
static PANICS: Mutex<Vec<String>> = Mutex::new(Vec::new());
const KEPT: usize = 16;

/// Installs the panic hook: nothing on the screen (a reader's panic is caught and
/// named per file; an escaped one is [`report`]ed), every detail kept for the log.
pub fn install() {
    std::panic::set_hook(Box::new(|info| {
        let thread = std::thread::current();
        let text = format!(
            "thread '{}' panicked at {}:\n{}\n{}",
            thread.name().unwrap_or("?"),
            info.location().map_or_else(|| "?".to_string(), |l| l.to_string()),
            payload_text(info.payload()),
            std::backtrace::Backtrace::force_capture()
        );
        if let Ok(mut p) = PANICS.lock()
            && p.len() < KEPT
        {
            p.push(text);
        }
    }));
}

/// The log's name, in the working folder (or the system's temporary folder where
/// that cannot be written).
const LOG: &str = "cchc-loi.log";

/// Writes the log of an escaped panic and returns the officer's message.
pub fn report(payload: &(dyn std::any::Any + Send)) -> String {
    let stage = stage();
    // Before the log below, which is itself written atomically.
    let replaced = crate::write::output::files_written();
    let details = PANICS.lock().map(|p| p.join("\n\n")).unwrap_or_default();
    let log = format!(
        "cchc {} ({} {})\nlệnh: {}\ngiai đoạn: {}\n\n{}\n",
        env!("CARGO_PKG_VERSION"),
        std::env::consts::OS,
        std::env::consts::ARCH,
        std::env::args().collect::<Vec<_>>().join(" "),
        stage.label(),
        if details.is_empty() { payload_text(payload) } else { details }
    );
    let written = [std::path::PathBuf::from(LOG), std::env::temp_dir().join(LOG)]
        .into_iter()
        .find(|p| crate::write::output::write_bytes(p, log.as_bytes()).is_ok())
        .map(|p| std::path::absolute(&p).unwrap_or(p));
    let outputs = match replaced {
        0 => "Chưa có tệp kết quả nào bị thay đổi: kết quả của lần chạy trước (nếu có) vẫn giữ nguyên.".to_string(),
        n => format!(
            "{n} tệp kết quả đã được ghi trọn vẹn trước khi dừng; các tệp còn lại giữ nguyên bản của lần chạy trước. Không có tệp nào bị ghi dở."
        ),
    };
    let send = match written {
        Some(p) => format!("Chi tiết kỹ thuật đã được ghi vào {}. Hãy gửi tệp này", p.display()),
        None => "Không ghi được tệp chi tiết kỹ thuật. Hãy báo lại thông báo này".to_string(),
    };
    format!(
        "cchc: lỗi nội bộ khi {}: {}.\n{outputs}\n{send}, cùng lệnh đã chạy (và nếu được, các tệp đầu vào), cho người bảo trì cchc; đây là lỗi của chương trình, không phải của dữ liệu.",
        stage.label(),
        payload_text(payload)
    )
}
