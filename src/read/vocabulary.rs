//! The words cchc knows column headers by, in one place: a scoring sheet's columns
//! ([`crate::read::layout::classify`]) and the columns of the office's own tables (the
//! unit list and the survey table, [`crate::read::lists`]; a framework file,
//! [`crate::read::framework_file`]). Every word is folded ([`crate::text::fold`]:
//! lower case, no tones, single spaces), as the labels are before they are compared.
//!
//! A sheet's header is typed by hand and long ("Điểm thẩm định của Hội đồng"), so
//! [`layout`](crate::read::layout) looks for these words anywhere in it, forgiving a
//! typo; an office table's header is short, so [`lists`](crate::read::lists) takes a
//! label that is one of the words or begins with one.

/// A scoring sheet's code column: the whole label is one of these.
pub const SHEET_CODE: &[&str] = &["tt", "stt", "ma", "ma so", "so tt", "so thu tu", "ky hieu", "ma tieu chi", "ma so tieu chi"];
/// The evidence column ("Tài liệu kiểm chứng").
pub const EVIDENCE: &[&str] = &["kiem chung", "tai lieu"];
/// A round after the unit's explanation: the appraised score that counts.
pub const LATER_ROUND: &[&str] = &["sau giai trinh", "phuc tra"];
/// The score net of deductions ("Điểm sau khi trừ").
pub const NET: &[&str] = &["sau khi tru", "sau tru"];
/// The net score, where the whole label is one of these ("Tổng điểm").
pub const NET_WHOLE: &[&str] = &["tong", "tong diem", "tong cong"];
/// The deduction column ("Điểm bị trừ").
pub const DEDUCTION: &[&str] = &["bi tru", "tru diem"];
/// The deduction, where the whole label is this.
pub const DEDUCTION_WHOLE: &str = "diem tru";
/// A note or cause column.
pub const NOTE: &[&str] = &["ghi chu", "nguyen nhan", "giai trinh", "ly do", "nhan xet", "y kien", "thuyet minh"];
/// The unit's own score ("Điểm tự đánh giá"; "tự chấn" as typed).
pub const SELF_SCORE: &[&str] = &["tu danh gia", "tu cham", "tu dg", "tu chan"];
/// The appraised score ("Điểm thẩm định"; "Điểm chấm thực tế" in a PAR system's export).
pub const APPRAISED: &[&str] = &["tham dinh", "ket qua tham", "huyen cham", "diem duoc cham", "cham thuc te"];
/// The appraised score when nothing more precise names it ("Điểm đạt được").
pub const APPRAISED_LAST: &[&str] = &["diem dat"];
/// The max points of a criterion ("Điểm tối đa").
pub const MAX: &[&str] = &["toi da", "diem chuan", "thang diem", "diem quy dinh", "so diem toi"];
/// The scoring guidance column.
pub const GUIDANCE: &[&str] = &["huong dan", "cach tinh", "cach cham", "phuong phap cham", "phuong phap danh gia"];
/// The criterion's name ("Lĩnh vực/Tiêu chí/Tiêu chí thành phần").
pub const CRITERION: &[&str] = &["tieu chi", "linh vuc", "noi dung", "chi so thanh phan"];

/// An office table's unit column ("Tên đơn vị").
pub const UNIT_NAME: &[&str] = &["ten don vi", "ten", "don vi", "name", "unit", "xa, phuong, thi tran", "xa"];
/// The unit list's kind column (xã, phường, thị trấn).
pub const UNIT_KIND: &[&str] = &["loai", "kind", "loai don vi", "cap"];
/// The unit list's statistical code column.
pub const UNIT_CODE: &[&str] = &["ma", "code", "ma so", "ma thong ke", "ma dvhc"];
/// The unit list's merger column: the units a new one was formed from.
pub const FORMED_FROM: &[&str] = &["formed from", "hop nhat tu", "sap nhap tu", "thanh lap tu"];
/// The unit list's year of a merger.
pub const SINCE: &[&str] = &["since", "tu nam", "nam thanh lap"];
/// The unit list's signer of the unit's letters.
pub const SIGNER: &[&str] = &["signer", "nguoi ky", "chu tich"];
/// The unit list's place name on the unit's letters.
pub const PLACE: &[&str] = &["place", "dia danh"];
/// The survey table's points column.
pub const SURVEY_POINTS: &[&str] = &["diem", "tong diem", "tong", "points", "diem khao sat", "ket qua"];
/// A framework file's code column: a sheet's code words, and "code".
pub const FRAMEWORK_CODE: &[&str] = &["ma", "code", "stt", "tt", "ma so", "so tt", "so thu tu", "ky hieu", "ma tieu chi", "ma so tieu chi"];
/// A framework file's name column: a sheet's criterion words, and "tên".
pub const FRAMEWORK_NAME: &[&str] = &["ten", "name", "tieu chi", "noi dung", "linh vuc", "chi so thanh phan"];
/// A framework file's max column: a sheet's max words, and "max".
pub const FRAMEWORK_MAX: &[&str] = &["diem toi da", "max", "toi da", "diem chuan", "thang diem", "diem quy dinh", "so diem toi"];
/// A framework file's column marking the leaves that may be "không áp dụng".
pub const FRAMEWORK_NOT_APPLICABLE: &[&str] = &["khong ap dung", "not applicable", "kad"];
/// A framework file's group column: which units a row applies to.
pub const FRAMEWORK_GROUP: &[&str] = &["nhom", "khoi", "group", "ap dung cho", "doi tuong"];

#[cfg(test)]
mod tests {
    use super::*;

    /// Every word is already folded: a word with a tone, a capital or an underscore
    /// ("formed_from", which the unit list and the framework file had) never matched.
    #[test]
    fn every_word_is_folded() {
        let all = [
            SHEET_CODE,
            EVIDENCE,
            LATER_ROUND,
            NET,
            NET_WHOLE,
            DEDUCTION,
            &[DEDUCTION_WHOLE],
            NOTE,
            SELF_SCORE,
            APPRAISED,
            APPRAISED_LAST,
            MAX,
            GUIDANCE,
            CRITERION,
            UNIT_NAME,
            UNIT_KIND,
            UNIT_CODE,
            FORMED_FROM,
            SINCE,
            SIGNER,
            PLACE,
            SURVEY_POINTS,
            FRAMEWORK_CODE,
            FRAMEWORK_NAME,
            FRAMEWORK_MAX,
            FRAMEWORK_NOT_APPLICABLE,
            FRAMEWORK_GROUP,
        ];
        for word in all.iter().flat_map(|l| l.iter()) {
            assert_eq!(crate::text::fold(word), *word, "{word}");
        }
    }

    /// A framework file knows its columns by at least the words a sheet does.
    #[test]
    fn a_framework_file_knows_what_a_sheet_knows() {
        for (sheet, file) in [(SHEET_CODE, FRAMEWORK_CODE), (MAX, FRAMEWORK_MAX), (CRITERION, FRAMEWORK_NAME)] {
            for word in sheet {
                assert!(file.contains(word), "{word}");
            }
        }
    }
}
