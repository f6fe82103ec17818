//! `cchc init`: writes a commented `cchc.toml` from what the input folder holds (the
//! office named in the titles, the units found with their kind, each year's framework
//! total, the default bands), for the office to correct and keep.

use super::InputArg;
use crate::config::{FILE_NAME, Settings};
use crate::error::{CchcError, Result};
use crate::findings::Findings;
use crate::write::output::write_bytes;
use std::path::PathBuf;

/// Arguments of `cchc init`.
#[derive(Debug, clap::Args)]
pub struct InitArgs {
    #[command(flatten)]
    input: InputArg,
    /// Tệp ghi ra (mặc định: DIR/cchc.toml).
    #[arg(long)]
    output: Option<PathBuf>,
    /// Ghi đè tệp cấu hình đã có.
    #[arg(long)]
    force: bool,
}

/// A TOML basic string.
fn quoted(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// The commented settings text for an analysis (read with the default settings).
fn settings_text(a: &Findings) -> String {
    let mut s = String::from(
        "# Cấu hình của cchc cho cơ quan chấm điểm Chỉ số CCHC (tạo bởi `cchc init`; hãy sửa lại cho đúng).\n\
         # Mọi khóa đều không bắt buộc: bỏ khóa nào thì cchc dùng mặc định. Xem README, mục \"cchc.toml\".\n\n",
    );
    s.push_str("[office]\n# Tên cơ quan, in trên tiêu đề bảng xếp hạng, phụ lục và phiếu kiểm tra.\n");
    match a.office() {
        Some(o) => s.push_str(&format!("name = {}\n", quoted(&o))),
        None => s.push_str("# name = \"UBND huyện …\"\n"),
    }
    s.push_str(
        "# Văn bản Word (công văn khắc phục của từng đơn vị, phụ lục xếp hạng): khóa nào bỏ trống thì văn bản để \"…\" cho cơ quan điền tay.\n\
         # Kính gửi của công văn ({loại} là xã / phường / thị trấn của đơn vị):\n\
         # to = \"Các cán bộ, công chức {loại}\"\n\
         # Chức danh người ký công văn, dưới \"TM. ỦY BAN NHÂN DÂN\" (tên người ký: khóa signer của từng đơn vị bên dưới):\n\
         # signer_title = \"CHỦ TỊCH\"\n\
         # Nơi nhận của công văn:\n\
         # recipients = [\"Như trên\", \"Đảng ủy, HĐND (BC)\", \"Lưu: VT\"]\n",
    );
    for y in &a.years {
        s.push_str(&format!(
            "# Quyết định công bố Chỉ số CCHC năm {}:\n# [office.decision.{}]\n# number = \"…/QĐ-UBND\"\n# date = \"…/…/{}\"\n",
            y.year,
            y.year,
            y.year + 1
        ));
    }
    s.push('\n');
    s.push_str(
        "[ranking]\n# \"competition\": đồng hạng thì hạng sau nhảy (1, 1, 3); \"dense\": không nhảy (1, 1, 2).\nmethod = \"competition\"\n\
         # Xếp hạng thêm trong từng khối (một khối có thể gộp nhiều loại, cách nhau bằng dấu phẩy):\n\
         # groups = [\"xã\", \"phường, thị trấn\"]\n\
         # Cảnh báo kết quả sát nhau (đồng hạng, chênh nhau hoặc cách ngưỡng xếp loại không quá số điểm này):\n\
         # close_margin = 0.10\n\n",
    );
    s.push_str("# Xếp loại theo chỉ số, từ cao xuống thấp; xếp loại cuối cùng phải có from = 0.\n");
    for b in a.settings.bands.all() {
        let from = a.settings.bands.start(b);
        s.push_str(&format!("[[bands]]\nname = {}\nfrom = {}\n\n", quoted(b.label()), from.as_f64()));
    }
    s.push_str("# Khung tiêu chí đọc được từ các biểu (tổng điểm tối đa):\n");
    for y in a.years.iter().filter(|y| y.has_criteria()) {
        s.push_str(&format!("#   năm {}: {} tiêu chí, tổng {} điểm\n", y.year, y.framework.nodes.len(), y.framework.total().to_vi()));
    }
    s.push_str(
        "# Dùng khung tiêu chí của quyết định thay vì khung đọc từ đa số biểu (tệp CSV hoặc Excel: mã, tên, điểm tối đa):\n\
         # [framework]\n# 2024 = \"khung-tieu-chi-2024.csv\"\n\
         # Mã tiêu chí đổi giữa hai năm (mã năm trước = mã năm nay), cho xu hướng và so sánh:\n\
         # [crosswalk.2024]\n# \"1.4\" = \"1.5\"\n\
         # Lĩnh vực chấm ngoài biểu (điều tra xã hội học), bảng mỗi năm có cột tên đơn vị và cột điểm:\n\
         # [survey]\n# area = \"8\"\n# files = \"khao-sat/{year}.xlsx\"\n\n",
    );
    s.push_str(
        "# Danh sách đơn vị chính thức: đơn vị không nộp biểu là lỗi missing_submission, tên lạ là lỗi unit_not_registered.\n\
         # Mỗi đơn vị: name, kind (xã / phường / thị trấn), code (mã thống kê), formed_from = [...] và since = NĂM nếu hợp nhất.\n\
         # Có thể dùng tệp thay cho danh sách dưới đây: [units] list = \"don-vi.csv\".\n",
    );
    let mut units: Vec<usize> = (0..a.units.len()).collect();
    units.sort_by_key(|&i| a.alphabetical[i]);
    for i in units {
        let u = &a.units[i];
        s.push_str(&format!(
            "[[units.unit]]\nname = {}\nkind = {}\n# code = \"\"\n# signer = \"\"   # người ký công văn khắc phục\n\n",
            quoted(&u.name),
            quoted(u.kind.label())
        ));
    }
    s
}

/// Runs `cchc init`.
pub fn run(args: &InitArgs) -> Result<u8> {
    let path = args.output.clone().unwrap_or_else(|| args.input.input.join(FILE_NAME));
    if path.exists() && !args.force {
        return Err(CchcError::AlreadyExists(path));
    }
    // What the sheets say on their own, whatever settings are there now.
    let a = crate::pipeline::analyse_with(&args.input.input, Settings { base: args.input.input.clone(), ..Settings::default() })?;
    let text = settings_text(&a);
    Settings::parse(&text, &args.input.input)?;
    write_bytes(&path, text.as_bytes())?;
    eprintln!("Đã ghi {} ({} đơn vị); hãy kiểm tra lại tên cơ quan, loại và mã thống kê của từng đơn vị.", path.display(), a.units.len());
    Ok(0)
}
