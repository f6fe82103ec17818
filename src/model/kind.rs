//! The registry of diagnostic kinds, as ruff keeps its rules: each kind is one
//! variant that owns its machine name (the JSON `kind`), its severity, its message
//! template and its README row, so none of them can drift from the others. A test
//! compares the README's table with `Kind::readme_table`, another the officers'
//! guide's (docs/huong-dan.md, "Khi gặp lỗi") with `Kind::guide_table`, which is
//! made from the Vietnamese templates themselves.

use super::diagnostic::Severity;
use std::fmt::Display;

macro_rules! kinds {
    ($( $(#[$doc:meta])* $variant:ident = $name:literal, $severity:ident, $about:literal, $template:literal; )*) => {
        /// What a diagnostic is about. See the module docs.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Kind {
            $( $(#[$doc])* $variant, )*
        }

        impl Kind {
            /// Every kind, in README order.
            #[cfg(test)]
            const ALL: &'static [Kind] = &[$(Kind::$variant),*];

            /// The stable machine name, e.g. `total_mismatch` (the JSON `kind`).
            pub fn name(self) -> &'static str {
                match self { $(Kind::$variant => $name,)* }
            }

            /// How serious a problem of this kind is.
            pub fn severity(self) -> Severity {
                match self { $(Kind::$variant => Severity::$severity,)* }
            }

            /// What the kind means, for the README's table of kinds.
            pub fn about(self) -> &'static str {
                match self { $(Kind::$variant => $about,)* }
            }

            /// The Vietnamese message, with `{name}` placeholders that
            /// [`Kind::message`] fills.
            pub fn template(self) -> &'static str {
                match self { $(Kind::$variant => $template,)* }
            }
        }
    };
}

kinds! {
    /// The file's bytes are not a readable workbook.
    CorruptFile = "corrupt_file", Error, "the file cannot be read",
        "Không đọc được tệp: {error}. Hãy mở bằng Excel (Excel có thể sửa tệp), lưu lại dạng .xlsx rồi chạy lại.";
    /// The file ends early.
    TruncatedFile = "truncated_file", Error, "the file is cut short (an interrupted copy or download)",
        "Không đọc được tệp: {error}. Hãy chép hoặc tải lại tệp từ bản gốc.";
    /// The workbook is encrypted.
    PasswordProtected = "password_protected", Error, "the workbook is protected by a password",
        "Không đọc được tệp: {error}. Hãy mở bằng Excel, gỡ mật khẩu (Tệp › Thông tin › Bảo vệ sổ làm việc) rồi lưu lại.";
    /// Not a workbook at all.
    NotAWorkbook = "not_a_workbook", Error, "the file is not a workbook (an HTML page saved as .xls is named as such)",
        "Không đọc được tệp: {error}. Hãy mở tệp bằng Excel và \"Lưu thành\" dạng .xlsx, hoặc bỏ tệp khỏi thư mục.";
    /// Every sheet is blank.
    EmptyWorkbook = "empty_workbook", Error, "nothing to read: every sheet is blank",
        "Tệp không có dữ liệu (mọi trang tính đều trống). Hãy kiểm tra đã gửi đúng tệp chưa.";
    /// No sheet has a scoring header.
    NoHeader = "no_header", Error, "no scoring header in the first 30 rows of any sheet",
        "Không tìm thấy dòng tiêu đề của biểu chấm điểm (cần các cột như \"Tiêu chí\", \"Điểm tối đa\", \"Thẩm định\") trong 30 dòng đầu của bất kỳ trang tính nào. Hãy kiểm tra tệp có đúng là biểu chấm điểm không.";
    /// One sheet is not a scoring sheet.
    SheetWithoutHeader = "sheet_without_header", Warning, "one sheet of a workbook is not a scoring sheet and is skipped",
        "Trang tính này không có dòng tiêu đề của biểu chấm điểm nên được bỏ qua.";
    /// A cell far outside the table (the .xlsx case: the cell is skipped).
    StrayCell = "stray_cell", Warning, "one stray cell far away (e.g. XFD1048576); the far cell is skipped",
        "Có ô dữ liệu ở rất xa vùng bảng ({cell}); ô này bị bỏ qua (chỉ đọc {rows} dòng × {cols} cột đầu). Hãy xoá ô đó trong Excel.";
    /// A sheet so large it is refused (the .ods case); same JSON kind as [`Kind::StrayCell`].
    StrayCellRefused = "stray_cell", Error, "one stray cell far away in an .ods sheet: the sheet is refused",
        "Không đọc được tệp: {error}. Hãy mở tệp, xoá ô đó (hoặc xoá các dòng/cột thừa) rồi lưu lại.";
    /// A file over one of the reading limits (size, inflated parts, sheets, cells, text).
    FileTooLarge = "file_too_large", Error, "the file is over a reading limit (32 MB on disk or per unpacked part, 64 MB unpacked in all, 1,000 sheets, 1,000,000 cells, 32,767 characters in a cell, 32 MB of text): refused unread, the run goes on",
        "Không đọc tệp này: {error}. Biểu chấm điểm thật chỉ vài trăm KB, nên tệp có thể bị hỏng hoặc chứa dữ liệu thừa. Hãy mở bằng Excel, xoá các dòng, cột, trang tính hoặc nội dung thừa rồi lưu lại; nếu tệp đúng là như vậy, hãy gửi cho nhóm phát triển.";
    /// The unit cannot be named.
    UnitUnknown = "unit_unknown", Error, "the unit cannot be named from the title, the sheet name or the file name",
        "Không xác định được đơn vị: tiêu đề, tên trang tính và tên tệp đều không nêu tên xã/phường/thị trấn. Hãy thêm dòng \"Đơn vị: UBND xã …\" vào tiêu đề biểu.";
    /// A unit's second sheet in one year.
    DuplicateUnit = "duplicate_unit", Error, "a unit twice in one year (both files named, the first kept)",
        "Đơn vị {unit} có hai biểu trong năm {year}: \"{first_file}\" (trang \"{first_sheet}\") và \"{file}\" (trang \"{sheet}\"). Kết quả đang dùng biểu thứ nhất; hãy bỏ biểu thừa khỏi thư mục.";
    /// A toneless name that fits two units.
    AmbiguousUnit = "ambiguous_unit", Error, "a toneless name fitting two units",
        "Tên đơn vị \"{name}\" viết không dấu có thể là {candidates}; không ghép tự động. Hãy ghi tên có dấu trong tiêu đề hoặc tên tệp.";
    /// The title's year is not the folder's.
    YearMismatch = "year_mismatch", Error, "the folder's year contradicts the title's",
        "Tiêu đề biểu ghi năm {title_year} nhưng tệp nằm trong thư mục năm {year}. Hãy chuyển tệp vào đúng thư mục năm hoặc sửa tiêu đề.";
    /// A max that is not the framework's.
    MaxMismatch = "max_mismatch", Error, "a criterion's max differs from the year's framework (the majority of the sheets)",
        "Điểm tối đa của tiêu chí {code} ghi {written} nhưng khung tiêu chí năm {year} là {max}; kết quả dùng {max}. Hãy sửa lại theo khung.";
    /// A framework criterion missing from the sheet.
    MissingCode = "missing_code", Error, "a criterion of the year's framework is missing from the sheet",
        "Thiếu tiêu chí {code} \"{name}\" ({max} điểm) so với khung tiêu chí năm {year}; tiêu chí này được tính 0 điểm. Hãy bổ sung dòng còn thiếu.";
    /// A code not in the framework.
    ExtraCode = "extra_code", Error, "a code that is not in the year's framework",
        "Mã {code} không có trong khung tiêu chí năm {year} (theo đa số các biểu). Hãy kiểm tra lại mã tiêu chí.";
    /// A code twice in one sheet.
    DuplicateCode = "duplicate_code", Error, "a code twice in one sheet (the first row counts)",
        "Mã {code} xuất hiện hai lần (dòng {first_row} và dòng {row}); chỉ dòng đầu được tính. Hãy xoá hoặc sửa mã dòng thừa.";
    /// A code misplaced by hand, read from its place because the max sums agree.
    CodeOutOfPlace = "code_out_of_place", Warning, "a code that does not fit where it stands (1.4.1 under 1.3, a number cell 7.11 under 7.1), read from its place because the max sums agree",
        "Dòng {row} ghi mã {typed}{under}; hiểu là {read_as} (thứ tự các dòng và tổng điểm tối đa khớp với cách hiểu này). Hãy sửa lại mã trong biểu.";
    /// Later rounds not scored yet.
    RoundNotScored = "round_not_scored", Warning, "a later appraisal round's column is blank on every criterion: the last round with scores is official",
        "Cột {blank} chưa có điểm ở tiêu chí nào; điểm chính thức lấy theo cột \"{used}\". Nếu vòng này đã chấm, hãy nhập điểm vào cột đó rồi chạy lại.";
    /// A net cell that is not its round less its deduction.
    NetMismatch = "net_mismatch", Warning, "a net cell (\"Điểm thẩm định sau khi trừ\") ≠ its row's last round less its deduction (the net cell is used)",
        "Tiêu chí {code}: cột điểm sau khi trừ ghi {net}, nhưng {round} − {deducted} = {expected}. Kết quả dùng {net}; hãy kiểm tra lại điểm bị trừ hoặc điểm sau khi trừ.";
    /// A misplaced code no reading confirms.
    CodeOrderConflict = "code_order_conflict", Error, "a code that does not fit where it stands, and the max sums confirm no other reading: kept as typed",
        "Dòng {row} ghi mã {typed} không khớp vị trí của dòng: theo thứ tự phải là {suggested}, nhưng điểm tối đa các dòng {rows} không cộng lại khớp. Giữ nguyên mã như đã ghi; hãy sửa mã hoặc điểm tối đa của các dòng đó.";
    /// Children's max not adding up on a sheet.
    MaxSumMismatch = "max_sum_mismatch", Error, "on a sheet, a criterion's max ≠ the sum of its children's",
        "Điểm tối đa của tiêu chí {code} là {max} nhưng các tiêu chí con cộng lại được {sum}. Hãy sửa điểm tối đa cho khớp.";
    /// The framework itself does not add up.
    FrameworkMaxSum = "framework_max_sum", Warning, "the year's framework itself: children's max not adding up",
        "Khung tiêu chí năm {year} (theo đa số các biểu): tiêu chí {code} có điểm tối đa {max} nhưng các tiêu chí con cộng lại {sum}; điểm tính theo các tiêu chí con.";
    /// A score above the max.
    AboveMax = "above_max", Error, "a leaf's score above its max (used as typed, the unit flagged)",
        "Điểm {column} của tiêu chí {code} là {score}, vượt điểm tối đa {max}. Hãy sửa lại.";
    /// A negative score.
    NegativeScore = "negative_score", Error, "a negative score",
        "Điểm {column} của tiêu chí {code} là số âm ({score}). Hãy sửa lại.";
    /// Text where a number belongs.
    NotANumber = "not_a_number", Error, "a score cell that is not a number; it counts 0",
        "Ô điểm không phải là số; được tính 0 điểm. Hãy nhập số (ví dụ 1,5) hoặc \"Không áp dụng\".";
    /// A results table's parts that do not add up to the total it prints.
    ResultsPartsMismatch = "results_parts_mismatch", Warning, "a results table's row whose printed parts (appraised, survey, deductions; or its areas) do not add up to the total it prints; the printed total is used",
        "{what} ghi {written}, nhưng {parts} cộng lại được {sum}. Kết quả dùng {written}; hãy kiểm tra lại bảng.";
    /// A results table's percentage that is not its points over its max.
    ResultsPercentMismatch = "results_percent_mismatch", Warning, "a results table's printed percentage that is not its total over the printed max; the printed percentage is used",
        "Chỉ số ghi {written}%, nhưng {points} điểm trên tối đa {max} điểm là {expected}%. Kết quả dùng {written}; hãy kiểm tra lại bảng.";
    /// A results table whose areas' maxes do not add up to its total's.
    ResultsMaxMismatch = "results_max_mismatch", Warning, "a results table whose printed area maxes do not add up to the printed total max; the printed total is used",
        "Điểm tối đa của các lĩnh vực cộng lại là {sum}, khác tổng {total} ghi ở ô này; kết quả dùng tổng đã ghi ({total}).";
    /// A report of criteria by their place (LV1 × TC1 …), not read.
    PositionalMatrix = "positional_matrix", Error, "a PAR system's criteria analysis by position (areas LV1, LV2 … as rows, criteria TC1, TC2 … as columns): no code says which criterion a cell is, so it is not read",
        "Trang này là báo cáo phân tích tiêu chí theo vị trí (hàng LV1, LV2…, cột TC1, TC2…): các ô không ghi mã tiêu chí nên cchc không đọc được. Hãy dùng biểu chấm điểm của đơn vị (mỗi tiêu chí một dòng, có mã) hoặc bảng tổng hợp kết quả (mỗi đơn vị một cột hoặc một dòng).";
    /// A row with points that is no criterion.
    UnreadRow = "unread_row", Warning, "a row of a scoring sheet with points in a score column that is no criterion (no code), bonus, penalty or total: not counted, named",
        "Dòng {row}{label} có điểm {value} nhưng không có mã tiêu chí (cũng không phải dòng điểm thưởng, điểm trừ hay tổng) nên không được tính. Nếu đây là một tiêu chí, hãy ghi mã tiêu chí vào dòng này.";
    /// A results table's row with points but no unit.
    UnitRowUnread = "unit_row_unread", Error, "a results table's row with a total but no unit's name that can be read: the row is not counted",
        "Dòng {row} có tổng điểm {value} nhưng ô tên đơn vị \"{name}\" không đọc được là tên một đơn vị nên dòng này không được tính. Hãy ghi tên đơn vị (ví dụ \"Xã An Phú\").";
    /// A matrix column with points that was not read as a unit.
    UnitColumnUnread = "unit_column_unread", Error, "a consolidated matrix's column that holds points like a unit's but whose header reads as a label, not a unit: a unit may be missing from the year",
        "Cột \"{label}\" có điểm ở {rows} dòng như cột của một đơn vị, nhưng tiêu đề đọc như một nhãn (ghi chú, hướng dẫn…) nên không được tính là đơn vị. Nếu đây là một đơn vị, hãy ghi tên đủ có chữ \"Xã\"/\"Phường\"/\"Thị trấn\", hoặc thêm đơn vị vào danh sách trong cchc.toml.";
    /// A header column nothing reads.
    UnknownColumn = "unknown_column", Warning, "a column with a header that cchc does not read (a label it does not know, or a second column of a role already taken): named with its label and cell",
        "Cột có tiêu đề \"{label}\" không được đọc (tiêu đề không nhận ra được, hoặc trùng vai trò với một cột khác) nên bị bỏ qua. Nếu cột này chứa điểm hoặc tên đơn vị, hãy sửa tiêu đề cho rõ (ví dụ \"Điểm thẩm định\", \"Tên đơn vị\").";
    /// Coded rows under a criterion that are its rubric's options.
    CodedOptions = "coded_options", Warning, "coded rows under a criterion that are its rubric's options (\"5.4.1 Có quy chế: 0,5\", \"5.4.2 Không có: 0\"): read as the criterion's options, its own score counted",
        "Các dòng {rows} ghi mã như tiêu chí con nhưng là các mức điểm để chọn của tiêu chí {code} ({options}); đã đọc là thang điểm của {code} và dùng điểm của {code}. Nên bỏ mã ở các dòng này.";
    /// A criterion scored while every row under it is blank.
    ParentScored = "parent_scored", Warning, "a criterion holding a score while every criterion under it is blank: its score stands for them all",
        "Tiêu chí {code} có điểm {score} nhưng các tiêu chí con ({children}) đều để trống; đã dùng {score} điểm cho cả tiêu chí {code}. Nếu cần xem điểm từng tiêu chí con, hãy chấm từng tiêu chí con.";
    /// A number no score can be (beyond `points::MAX_CELL`).
    NumberTooLarge = "number_too_large", Error, "a score cell holding a number no score can be (beyond ±100,000 points: a date serial, a phone number, a slip); it counts 0",
        "Ô điểm chứa số quá lớn, không thể là điểm (giới hạn {max} điểm); được tính 0 điểm. Hãy kiểm tra và nhập lại điểm đúng.";
    /// A blank appraised leaf.
    MissingScore = "missing_score", Error, "a leaf without an appraised score; it counts 0",
        "Tiêu chí {code} chưa có điểm thẩm định; được tính 0 điểm. Hãy nhập điểm, hoặc ghi \"Không áp dụng\" nếu không áp dụng.";
    /// The whole appraised column blank.
    NoAppraisedScores = "no_appraised_scores", Error, "the appraised column is blank on every leaf; the unit counts 0",
        "Cột điểm thẩm định để trống ở mọi tiêu chí; đơn vị được tính 0 điểm. Hãy nhập điểm thẩm định.";
    /// More than two decimals.
    TooManyDecimals = "too_many_decimals", Warning, "more than two decimals, rounded",
        "Điểm có hơn 2 chữ số thập phân; đã làm tròn thành {rounded}. Hãy kiểm tra lại.";
    /// Self-assessed below appraised.
    SelfBelowAppraised = "self_below_appraised", Warning, "self-assessed below appraised",
        "Điểm tự đánh giá của tiêu chí {code} ({self}) thấp hơn điểm thẩm định ({appraised}). Hãy kiểm tra có nhập nhầm cột không.";
    /// A score its rubric does not offer.
    ScoreNotAnOption = "score_not_an_option", Warning, "an appraised leaf score that none of the rubric's options listed under the leaf gives (\"Ban hành kịp thời: 1,5 / không kịp thời: 1 / không ban hành: 0\")",
        "Tiêu chí {code} được chấm {score} điểm, nhưng thang điểm của tiêu chí chỉ có các mức {options}. Hãy kiểm tra lại điểm chấm theo thang điểm.";
    /// A parent's typed cell against its leaves.
    ParentSumMismatch = "parent_sum_mismatch", Warning, "a parent's typed cell ≠ the sum of its leaves (leaves win)",
        "Điểm thẩm định của tiêu chí {code} ghi {written} nhưng các tiêu chí thành phần cộng lại được {sum}; kết quả dùng {sum}. Hãy sửa ô này cho khớp.";
    /// The stated total against the computed one.
    TotalMismatch = "total_mismatch", Error, "the stated total ≠ the computed one (the seed's 92,59 against 90,74)",
        "Tổng điểm ghi trong biểu là {written} nhưng cộng các tiêu chí thành phần được {points}; kết quả dùng {points}. Hãy kiểm tra lại dòng tổng hoặc điểm các tiêu chí.";
    /// Bonus or penalty beyond bounds.
    BonusOutOfBounds = "bonus_out_of_bounds", Error, "bonus/penalty beyond its row's max, or a negative bonus",
        "Điểm {label} {score} nằm ngoài giới hạn cho phép{bound}. Hãy kiểm tra lại.";
    /// The framework changed against the year before.
    FrameworkChanged = "framework_changed", Warning, "a code's max or name changed against the year before, or codes were added or dropped (trends match by code)",
        "Khung tiêu chí năm {year} khác năm {previous} ({changes}{more}); so sánh qua các năm ghép theo mã tiêu chí, hãy lưu ý khi đọc xu hướng.";
    /// A results table contradicting its totals.
    PublishedRankMismatch = "published_rank_mismatch", Warning, "a results table's printed rank or band contradicts its totals",
        "Bảng kết quả ghi hạng {printed_rank} / xếp loại {printed_band} nhưng theo tổng điểm {index} thì hạng {rank} / xếp loại {band}. Hãy kiểm tra lại bảng đã công bố.";
    /// A registered unit sent no sheet for a year.
    MissingSubmission = "missing_submission", Error, "a unit of the office's list (`[units]` in cchc.toml) has no sheet in a year",
        "Đơn vị {unit} (có trong danh sách đơn vị) không có biểu chấm điểm năm {year}; đơn vị được ghi là \"chưa nộp biểu\" và không được xếp hạng. Hãy bổ sung biểu vào thư mục {year}/ rồi chạy lại.";
    /// A sheet names a unit the office's list does not have.
    UnitNotRegistered = "unit_not_registered", Error, "a sheet names a unit that is not in the office's list (`[units]` in cchc.toml)",
        "Biểu ghi tên đơn vị \"{name}\" không có trong danh sách đơn vị{suggestion}. Hãy sửa tên trong biểu, hoặc thêm đơn vị vào danh sách.";
    /// The survey table of a year cannot be used.
    SurveyUnreadable = "survey_unreadable", Error, "the survey table of a year (`[survey] files`) is missing or cannot be read",
        "Không dùng được bảng điểm khảo sát {file} ({error}); lĩnh vực {area} của năm {year} giữ điểm ghi trong biểu. Hãy đặt bảng khảo sát đúng chỗ, có cột tên đơn vị và cột điểm.";
    /// A unit has no row in the survey table.
    SurveyMissingUnit = "survey_missing_unit", Error, "a unit ranked in a year has no row in that year's survey table",
        "Bảng điểm khảo sát {file} không có dòng của đơn vị {unit}; lĩnh vực {area} của đơn vị được tính 0 điểm. Hãy bổ sung đơn vị vào bảng khảo sát.";
    /// A survey row names no unit of the year.
    SurveyUnknownUnit = "survey_unknown_unit", Warning, "a row of the survey table names no unit of that year",
        "Dòng {row} của bảng điểm khảo sát ghi đơn vị \"{name}\", không khớp đơn vị nào có biểu năm {year}; dòng này không được dùng. Hãy kiểm tra lại tên.";
    /// The sheet's own survey cells differ from the survey table.
    SurveyMismatch = "survey_mismatch", Warning, "a sheet's own cell for the survey area differs from the survey table (the table is used)",
        "Biểu ghi {code} là {written} nhưng bảng điểm khảo sát {file} ghi {points}; kết quả dùng điểm của bảng khảo sát. Hãy kiểm tra lại.";
    /// A unit's name spelt another way, a tone apart.
    NameSpelling = "name_spelling", Warning, "a unit's name is spelt two ways a tone apart, in one sheet or across sheets (the seed's \"Triệu Trách\" for \"Triệu Trạch\"); the sheets are joined",
        "Ô này ghi tên đơn vị là \"{variant}\", khác với \"{name}\" (tên được dùng). Hãy sửa lại cho thống nhất.";
    /// A note's percentage contradicts its own fraction.
    NoteRatioMismatch = "note_ratio_mismatch", Warning, "a note gives a fraction and a percentage that disagree (the seed's \"83/156 … 0,53%\")",
        "Ghi chú của tiêu chí {code} ghi {written}% nhưng {part}/{whole} = {computed}%. Hãy kiểm tra lại tỷ lệ và điểm chấm theo tỷ lệ đó.";
    /// A note's percentage in another band of the leaf's rubric than the score given; same JSON kind as [`Kind::NoteRatioMismatch`].
    NoteRubricMismatch = "note_ratio_mismatch", Warning, "a note's percentage (its fraction's, where it gives one) falls in a band of the leaf's rubric by percentages that gives other points than the score",
        "Ghi chú của tiêu chí {code} cho tỷ lệ {percent}%; theo thang điểm, mức \"{option}\" được {expected} điểm, nhưng điểm thẩm định là {score}. Hãy kiểm tra lại điểm chấm hoặc số liệu trong ghi chú.";
    /// Results too close to publish unchecked.
    CloseCall = "close_call", Warning, "two units tie or are within the margin (`[ranking] close_margin`, default 0,10), or a unit is within it of a band's threshold: re-check those sheets first",
        "{detail}. Hãy kiểm tra lại {which} trước khi công bố.";
    /// cchc itself failed on one file while reading it.
    InternalError = "internal_error", Error, "cchc itself failed on one file; the file is skipped, the run goes on",
        "cchc gặp lỗi nội bộ khi đọc tệp này ({error}); tệp bị bỏ qua. Hãy gửi tệp cho nhóm phát triển.";
    /// A reader crashed on the file (caught): same JSON kind as [`Kind::InternalError`].
    ReaderCrashed = "internal_error", Error, "a reader crashed on the file (caught); the file is skipped, the run goes on",
        "Không đọc được tệp: {error}. Hãy mở bằng Excel, lưu lại dạng .xlsx và gửi tệp gốc cho nhóm phát triển.";
}

impl Kind {
    /// The message, each `{name}` of the template replaced by its value.
    ///
    /// ```
    /// use cchc::model::kind::Kind;
    /// let m = Kind::ExtraCode.message(&[("code", &"9.9"), ("year", &2023)]);
    /// assert!(m.starts_with("Mã 9.9 không có trong khung tiêu chí năm 2023"));
    /// ```
    pub fn message(self, args: &[(&str, &dyn Display)]) -> String {
        let template = self.template();
        let mut out = String::with_capacity(template.len() + 32);
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let close = rest[open..].find('}').map_or(rest.len(), |c| open + c);
            let name = &rest[open + 1..close];
            match args.iter().find(|(n, _)| *n == name) {
                Some((_, v)) => out.push_str(&v.to_string()),
                None => debug_assert!(false, "{}: no value for {{{name}}}", self.name()),
            }
            rest = &rest[(close + 1).min(rest.len())..];
        }
        out.push_str(rest);
        out
    }

    /// The placeholders of the template, in order.
    pub fn placeholders(self) -> Vec<&'static str> {
        let t = self.template();
        t.match_indices('{').filter_map(|(i, _)| t[i + 1..].find('}').map(|j| &t[i + 1..i + 1 + j])).collect()
    }

    #[cfg(test)]
    /// The README's table of kinds: one row per kind, severity and meaning.
    fn readme_table() -> String {
        let mut s = String::from("| kind | severity | what |\n|---|---|---|\n");
        for k in Kind::ALL {
            let severity = match k.severity() {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            s.push_str(&format!("| `{}` | {severity} | {} |\n", k.name(), k.about()));
        }
        s
    }

    #[cfg(test)]
    /// The officers' guide's table of kinds (docs/huong-dan.md, "Khi gặp lỗi"): one row
    /// per kind, in Vietnamese, made from the message template the tool prints, so that
    /// it cannot say other than the messages: what the message says, then its advice.
    fn guide_table() -> String {
        let mut s = String::from("| Mã | Mức độ | Nghĩa là gì | Cách xử lý |\n|---|---|---|---|\n");
        for k in Kind::ALL {
            let severity = match k.severity() {
                Severity::Error => "Lỗi",
                Severity::Warning => "Cảnh báo",
            };
            let (meaning, advice) = k.guide_texts();
            s.push_str(&format!("| `{}` | {severity} | {meaning} | {advice} |\n", k.name()));
        }
        s
    }

    #[cfg(test)]
    /// The template as the guide shows it, split into what it says and what to do.
    /// Each `{value}` becomes "…", except one glued to the word or value before it (an
    /// optional tail such as `{suggestion}` or `{more}`), which is left out. The advice
    /// starts at the first sentence or clause that begins with "Hãy", "Nếu" or "Nên"
    /// ("; hãy …", ", hãy …" too); a template without one has no advice.
    fn guide_texts(self) -> (String, String) {
        let template = self.template();
        let mut text = String::with_capacity(template.len());
        let mut at = 0;
        while let Some(open) = template[at..].find('{').map(|i| at + i) {
            text.push_str(&template[at..open]);
            let close = template[open..].find('}').map_or(template.len(), |c| open + c);
            let glued = template[..open].chars().next_back().is_some_and(|c| c.is_alphanumeric() || c == '}');
            if !glued {
                text.push('…');
            }
            at = (close + 1).min(template.len());
        }
        text.push_str(&template[at..]);
        const ADVICE: [&str; 5] = [". Hãy ", ". Nếu ", ". Nên ", "; hãy ", ", hãy "];
        let Some(split) = ADVICE.iter().filter_map(|&m| text.find(m)).min() else {
            return (text, String::new());
        };
        let mut meaning = text[..split].to_string();
        if !meaning.ends_with('…') {
            meaning.push('.');
        }
        // Every marker starts with two ASCII bytes (". ", "; ", ", ") before the word.
        let mut chars = text[split + 2..].chars();
        let advice = match chars.next() {
            Some(first) => first.to_uppercase().chain(chars).collect(),
            None => String::new(),
        };
        (meaning, advice)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_is_filled_by_its_placeholders() {
        for &k in Kind::ALL {
            let args: Vec<(&str, String)> = k.placeholders().into_iter().map(|p| (p, format!("<{p}>"))).collect();
            let dyn_args: Vec<(&str, &dyn Display)> = args.iter().map(|(p, v)| (*p, v as &dyn Display)).collect();
            let m = k.message(&dyn_args);
            assert!(!m.contains('{') && !m.contains('}'), "{}: {m}", k.name());
            assert!(m.ends_with('.'), "{} must end as a sentence: {m}", k.name());
        }
    }

    #[test]
    fn names_are_snake_case_and_shared_only_by_documented_pairs() {
        for &k in Kind::ALL {
            assert!(k.name().chars().all(|c| c.is_ascii_lowercase() || c == '_'), "{}", k.name());
        }
        let mut names: Vec<&str> = Kind::ALL.iter().map(|k| k.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(
            names.len(),
            57,
            "57 distinct JSON kinds: the contract (six came with cchc.toml, three with the checks before publishing, five with real sheets' numbering, rubrics and rounds, eleven with the reader accounting for what it sees and numbers no score can be)"
        );
    }

    #[test]
    fn readme_lists_every_kind() {
        let readme = include_str!("../../README.md");
        assert!(
            readme.contains(&Kind::readme_table()),
            "README's table of kinds differs from Kind::readme_table():\n{}",
            Kind::readme_table()
        );
    }

    #[test]
    fn the_guide_lists_every_kind() {
        let guide = include_str!("../../docs/huong-dan.md");
        let (start, end) = ("<!-- khi-gap-loi: bắt đầu -->\n", "<!-- khi-gap-loi: kết thúc -->");
        let from = guide.find(start).expect("docs/huong-dan.md: the line <!-- khi-gap-loi: bắt đầu -->") + start.len();
        let to = from + guide[from..].find(end).expect("docs/huong-dan.md: the line <!-- khi-gap-loi: kết thúc -->");
        assert!(
            guide[from..to].trim_matches('\n') == Kind::guide_table().trim_end_matches('\n'),
            "docs/huong-dan.md's table of kinds (between the khi-gap-loi markers) differs from Kind::guide_table(); paste this table there:\n{}",
            Kind::guide_table()
        );
    }

    #[test]
    fn guide_texts_blank_values_and_split_the_advice() {
        assert_eq!(
            Kind::DuplicateCode.guide_texts(),
            ("Mã … xuất hiện hai lần (dòng … và dòng …); chỉ dòng đầu được tính.".into(), "Hãy xoá hoặc sửa mã dòng thừa.".into())
        );
        // A value glued to the word before it is an optional tail: left out.
        assert_eq!(Kind::UnitNotRegistered.guide_texts().0, "Biểu ghi tên đơn vị \"…\" không có trong danh sách đơn vị.");
        // "; hãy …" starts the advice; a meaning ending on a value takes no full stop.
        assert_eq!(
            Kind::TotalMismatch.guide_texts(),
            (
                "Tổng điểm ghi trong biểu là … nhưng cộng các tiêu chí thành phần được …; kết quả dùng …".into(),
                "Hãy kiểm tra lại dòng tổng hoặc điểm các tiêu chí.".into()
            )
        );
        assert_eq!(Kind::SheetWithoutHeader.guide_texts().1, "");
        for &k in Kind::ALL {
            let (meaning, advice) = k.guide_texts();
            assert!(!meaning.contains(['{', '}', '|']) && !advice.contains(['{', '}', '|']), "{}", k.name());
        }
    }
}
