//! The office's own settings: `cchc.toml` beside the year folders (or `--config FILE`).
//!
//! Every key is optional and, with no file, every setting is the default the rest of
//! cchc has always used, so outputs do not change. Unknown keys and bad values are
//! errors that name the line and the allowed values.
//!
//! ```
//! use cchc::config::Settings;
//! let s = Settings::parse("[ranking]\nmethod = \"dense\"\n", std::path::Path::new(".")).unwrap();
//! assert_eq!(s.ranking.method, cchc::config::RankMethod::Dense);
//! ```

use crate::model::band::Bands;
use crate::model::code::Code;
use crate::model::points::{Points, parse_points_f64};
pub use crate::model::ranking::RankMethod;
use crate::model::unit::UnitKind;
use crate::text::fold;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use thiserror::Error;
use toml::Spanned;

/// The name of the settings file looked for in the input folder.
pub const FILE_NAME: &str = "cchc.toml";

/// A settings file that cannot be used: where and why.
#[derive(Debug, Error)]
#[error("{path}, dòng {line}: {message}")]
pub struct ConfigError {
    /// The settings file.
    pub path: String,
    /// The line at fault (1-based; 1 when the file as a whole is wrong).
    pub line: usize,
    /// What is wrong and what is allowed.
    pub message: String,
}

/// A group of kinds ranked among themselves ("khối xã", "khối phường, thị trấn").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// The label as configured ("phường, thị trấn").
    pub label: String,
    /// The kinds it joins.
    pub kinds: Vec<UnitKind>,
}

/// How units are ranked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ranking {
    /// How ties share ranks.
    pub method: RankMethod,
    /// Groups also ranked within; empty: none.
    pub groups: Vec<Group>,
    /// Neighbours and band edges within this many index points are close calls.
    pub close_margin: Points,
}

impl Default for Ranking {
    fn default() -> Ranking {
        Ranking { method: RankMethod::default(), groups: Vec::new(), close_margin: Points(10) }
    }
}

impl Ranking {
    /// The group a kind belongs to.
    pub fn group_of(&self, kind: UnitKind) -> Option<usize> {
        self.groups.iter().position(|g| g.kinds.contains(&kind))
    }
}

/// A unit of the office's official list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegisteredUnit {
    /// The official spelling, shown everywhere.
    pub name: String,
    /// Xã, phường or thị trấn.
    pub kind: UnitKind,
    /// Statistics office code, if given.
    pub code: Option<String>,
    /// The units it was merged from.
    pub formed_from: Vec<String>,
    /// The first year it exists (set with `formed_from`).
    pub since: Option<i32>,
    /// Who signs its letters (the chairman's name), printed under the signer's title.
    pub signer: Option<String>,
    /// The place name of its letters' date line, where it is not the unit's name.
    pub place: Option<String>,
}

/// Where the unit list comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UnitList {
    /// A CSV or workbook (name, kind, code, formed_from, since), read by the pipeline.
    File(PathBuf),
    /// `[[units.unit]]` tables.
    Inline(Vec<RegisteredUnit>),
}

/// An area scored outside the sheets (the survey team's table).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Survey {
    /// The area code it fills.
    pub area: Code,
    /// The table of a year, `{year}` replaced (relative to the settings file).
    pub files: String,
}

impl Survey {
    /// The table of a year.
    pub fn file(&self, base: &Path, year: i32) -> PathBuf {
        base.join(self.files.replace("{year}", &year.to_string()))
    }
}

/// The decision that publishes a year's index ("Quyết định số 258/QĐ-UBND ngày
/// 14/02/2023"), as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Decision {
    /// Its number ("258/QĐ-UBND").
    pub number: Option<String>,
    /// Its date ("14/02/2023").
    pub date: Option<String>,
}

/// What the Word documents print that the sheets do not say (`[office]`'s other keys).
/// Each is left as a visible blank ("…") where missing, never invented.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Documents {
    /// "Kính gửi" of the units' letters; `{loại}` becomes the unit's kind.
    pub to: Option<String>,
    /// The signer's title in the units' letters, under "TM. ỦY BAN NHÂN DÂN" ("CHỦ TỊCH").
    pub signer_title: Option<String>,
    /// "Nơi nhận" of the units' letters, one recipient each.
    pub recipients: Vec<String>,
    /// The decision publishing each year's index.
    pub decisions: BTreeMap<i32, Decision>,
}

/// The office's settings.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// The folder relative paths start from (the settings file's folder).
    pub base: PathBuf,
    /// The file read, if any.
    pub path: Option<PathBuf>,
    /// The office, for titles ("UBND huyện Triệu Phong").
    pub office: Option<String>,
    /// What the Word documents print that the sheets do not say.
    pub documents: Documents,
    /// Ranking method and groups.
    pub ranking: Ranking,
    /// Class bands.
    pub bands: Bands,
    /// The official unit list, if given.
    pub units: Option<UnitList>,
    /// The survey area, if scored outside the sheets.
    pub survey: Option<Survey>,
    /// A framework file per year.
    pub frameworks: BTreeMap<i32, PathBuf>,
    /// Code mappings per year: the previous year's code → this year's.
    pub crosswalk: BTreeMap<i32, BTreeMap<Code, Code>>,
}

impl Settings {
    /// The settings of an input folder: its `cchc.toml` if there is one, else the defaults.
    pub fn for_input(input: &Path) -> Result<Settings, ConfigError> {
        let path = input.join(FILE_NAME);
        if path.is_file() { Settings::load(&path) } else { Ok(Settings { base: input.to_path_buf(), ..Settings::default() }) }
    }

    /// Reads a settings file.
    pub fn load(path: &Path) -> Result<Settings, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
            path: path.display().to_string(),
            line: 1,
            message: format!("không đọc được tệp cấu hình ({e})"),
        })?;
        let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let mut s = Settings::parse(&text, &base).map_err(|mut e| {
            e.path = path.display().to_string();
            e
        })?;
        s.path = Some(path.to_path_buf());
        Ok(s)
    }

    /// Parses settings text; relative paths start from `base`.
    pub fn parse(text: &str, base: &Path) -> Result<Settings, ConfigError> {
        let at = |span: std::ops::Range<usize>, message: String| ConfigError {
            path: FILE_NAME.into(),
            line: line_of(text, span.start),
            message,
        };
        let raw: Raw = toml::from_str(text).map_err(|e| at(e.span().unwrap_or(0..0), clean_toml_message(e.message())))?;
        let fault = |(span, message): Fault| at(span, message);
        let mut s = Settings { base: base.to_path_buf(), ..Settings::default() };
        if let Some(o) = raw.office {
            s.office = filled(o.name.clone());
            s.documents = documents(o).map_err(fault)?;
        }
        if let Some(r) = raw.ranking {
            s.ranking = ranking(r).map_err(fault)?;
        }
        if let Some(b) = bands(&raw.bands).map_err(fault)? {
            s.bands = b;
        }
        if let Some(u) = raw.units {
            s.units = units(u, base).map_err(fault)?;
        }
        if let Some(sv) = raw.survey {
            s.survey = Some(survey(sv).map_err(fault)?);
        }
        for (key, file) in raw.framework {
            let year = year_key(&key).ok_or_else(|| {
                at(file.span(), format!("khóa \"{key}\" trong [framework] phải là một năm, ví dụ 2024 = \"khung-2024.csv\""))
            })?;
            s.frameworks.insert(year, base.join(file.get_ref()));
        }
        for (key, map) in raw.crosswalk {
            let (year, codes) = crosswalk(&key, map).map_err(fault)?;
            s.crosswalk.insert(year, codes);
        }
        Ok(s)
    }

    /// A code of `year - 1` as it is called in `year` (itself without a mapping).
    pub fn code_in(&self, year: i32, previous_code: &str) -> Code {
        let c = Code::canonical(previous_code);
        self.crosswalk.get(&year).and_then(|m| m.get(&c)).cloned().unwrap_or(c)
    }
}

/// A setting's error: where in the text, and what to say.
type Fault = (std::ops::Range<usize>, String);

/// A table key that must be a year ("2024").
fn year_key(key: &str) -> Option<i32> {
    key.parse::<i32>().ok().filter(|y| (1990..=2100).contains(y))
}

/// `[ranking]`.
fn ranking(r: RawRanking) -> Result<Ranking, Fault> {
    let mut ranking = Ranking::default();
    if let Some(m) = r.method {
        ranking.method = match m.get_ref().as_str() {
            "competition" => RankMethod::Competition,
            "dense" => RankMethod::Dense,
            other => {
                return Err((
                    m.span(),
                    format!("method = \"{other}\" không hợp lệ; chọn \"competition\" (1, 1, 3) hoặc \"dense\" (1, 1, 2)"),
                ));
            }
        };
    }
    if let Some(m) = &r.close_margin {
        ranking.close_margin =
            points(m).map_err(|_| (m.span(), "close_margin phải là một số điểm từ 0 đến 100, ví dụ close_margin = 0.10".to_string()))?;
    }
    for g in r.groups {
        let kinds = parse_kinds(g.get_ref()).map_err(|m| (g.span(), m))?;
        if let Some(k) = kinds.iter().find(|k| ranking.group_of(**k).is_some()) {
            return Err((g.span(), format!("loại \"{k}\" đã thuộc một nhóm khác; mỗi loại đơn vị chỉ thuộc một nhóm")));
        }
        ranking.groups.push(Group { label: g.get_ref().trim().to_string(), kinds });
    }
    Ok(ranking)
}

/// `[[bands]]`, highest first, the last from 0; `None` where there are none.
fn bands(raw: &[RawBand]) -> Result<Option<Bands>, Fault> {
    let mut bands: Vec<(String, Points)> = Vec::new();
    for b in raw {
        let from = points(&b.from).map_err(|m| (b.from.span(), m))?;
        let name = b.name.get_ref().trim();
        if name.is_empty() {
            return Err((b.name.span(), "tên xếp loại (name) không được để trống".into()));
        }
        if let Some((_, prev)) = bands.last()
            && from >= *prev
        {
            return Err((b.from.span(), "các xếp loại phải xếp từ cao xuống thấp, from giảm dần".into()));
        }
        bands.push((name.to_string(), from));
    }
    match (bands.last(), raw.last()) {
        (Some((_, from)), Some(last)) if *from != Points::ZERO => {
            Err((last.from.span(), "xếp loại cuối cùng phải có from = 0 để mọi chỉ số đều có xếp loại".into()))
        }
        (None, _) => Ok(None),
        _ => Ok(Some(Bands::new(bands))),
    }
}

/// `[units]`: a list file or `[[units.unit]]` tables, not both.
fn units(u: RawUnits, base: &Path) -> Result<Option<UnitList>, Fault> {
    match (u.list, u.unit) {
        (Some(_), units) if !units.is_empty() => Err((0..0, "[units] có cả list và [[units.unit]]; chỉ dùng một trong hai".into())),
        (Some(list), _) => Ok(Some(UnitList::File(base.join(list.get_ref())))),
        (None, units) if units.is_empty() => Ok(None),
        (None, units) => {
            let mut out = Vec::new();
            for u in units {
                let kind = parse_kind(u.kind.get_ref()).map_err(|m| (u.kind.span(), m))?;
                let formed_from = u.formed_from.into_iter().map(|n| n.trim().to_string()).collect();
                out.push(RegisteredUnit {
                    name: u.name.trim().to_string(),
                    kind,
                    code: u.code,
                    formed_from,
                    since: u.since,
                    signer: filled(u.signer),
                    place: filled(u.place),
                });
            }
            Ok(Some(UnitList::Inline(check_units(out).map_err(|m| (0..0, m))?)))
        }
    }
}

/// `[survey]`.
fn survey(sv: RawSurvey) -> Result<Survey, Fault> {
    let area = Code::parse(sv.area.get_ref())
        .filter(Code::is_area)
        .ok_or_else(|| (sv.area.span(), format!("area = \"{}\" không phải mã lĩnh vực (ví dụ \"8\" hoặc \"VIII\")", sv.area.get_ref())))?;
    if !sv.files.get_ref().contains("{year}") {
        return Err((sv.files.span(), "files phải chứa {year}, ví dụ \"khao-sat/{year}.xlsx\"".into()));
    }
    Ok(Survey { area, files: sv.files.into_inner() })
}

/// `[crosswalk.YEAR]`: the year and its code mapping.
fn crosswalk(key: &str, map: BTreeMap<String, Spanned<String>>) -> Result<(i32, BTreeMap<Code, Code>), Fault> {
    let year = year_key(key)
        .ok_or_else(|| (0..0, format!("[crosswalk.{key}]: khóa phải là một năm, ví dụ [crosswalk.2024] \"1.4\" = \"1.5\"")))?;
    let mut codes = BTreeMap::new();
    for (old, new) in map {
        let bad = |c: &str| (new.span(), format!("\"{c}\" trong [crosswalk.{key}] không phải mã tiêu chí"));
        let o = Code::parse(&old).ok_or_else(|| bad(&old))?;
        let n = Code::parse(new.get_ref()).ok_or_else(|| bad(new.get_ref()))?;
        codes.insert(o, n);
    }
    Ok((year, codes))
}

/// A text setting, trimmed, `None` when empty.
fn filled(value: Option<String>) -> Option<String> {
    value.map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
}

/// The document keys of `[office]`.
fn documents(o: RawOffice) -> Result<Documents, Fault> {
    let mut d = Documents {
        to: filled(o.to),
        signer_title: filled(o.signer_title),
        recipients: o
            .recipients
            .into_iter()
            .map(|r| r.trim().trim_end_matches([';', '.']).trim().to_string())
            .filter(|r| !r.is_empty())
            .collect(),
        decisions: BTreeMap::new(),
    };
    for (key, dec) in o.decision {
        let year = key
            .parse::<i32>()
            .ok()
            .filter(|y| (1990..=2100).contains(y))
            .ok_or_else(|| (0..0, format!("[office.decision.{key}]: khóa phải là một năm, ví dụ [office.decision.2022]")))?;
        d.decisions.insert(year, Decision { number: filled(dec.number), date: filled(dec.date) });
    }
    Ok(d)
}

/// Checks a unit list: names present and once each, predecessors listed, `since`
/// with `formed_from`.
pub fn check_units(units: Vec<RegisteredUnit>) -> Result<Vec<RegisteredUnit>, String> {
    let mut seen = std::collections::HashSet::new();
    for u in &units {
        if u.name.is_empty() {
            return Err("có đơn vị không có tên (name)".into());
        }
        if !seen.insert(crate::text::toned_key(&u.name)) {
            return Err(format!("đơn vị \"{}\" có hai lần trong danh sách", u.name));
        }
    }
    for u in &units {
        if !u.formed_from.is_empty() && u.since.is_none() {
            return Err(format!("đơn vị \"{}\" có formed_from nhưng thiếu since (năm bắt đầu)", u.name));
        }
        for p in &u.formed_from {
            let key = crate::text::toned_key(p);
            if key == crate::text::toned_key(&u.name) {
                return Err(format!("đơn vị \"{}\" không thể hợp nhất từ chính nó; đặt tên khác cho đơn vị cũ", u.name));
            }
            if !units.iter().any(|v| crate::text::toned_key(&v.name) == key) {
                return Err(format!("đơn vị \"{}\" hợp nhất từ \"{p}\", nhưng \"{p}\" không có trong danh sách đơn vị", u.name));
            }
        }
    }
    Ok(units)
}

/// A kind as typed ("xã", "Phường", "thi tran").
pub fn parse_kind(s: &str) -> Result<UnitKind, String> {
    let f = fold(s);
    UnitKind::FOLDED
        .iter()
        .find(|(w, _)| *w == f.trim())
        .map(|(_, k)| *k)
        .ok_or_else(|| format!("loại đơn vị \"{s}\" không hợp lệ; chọn \"xã\", \"phường\" hoặc \"thị trấn\""))
}

fn parse_kinds(s: &str) -> Result<Vec<UnitKind>, String> {
    s.split(',').map(parse_kind).collect()
}

/// The kinds a group's label joins ("phường, thị trấn"), as `[ranking] groups` and a
/// framework file's group column write them; words that are no kind are left out.
pub fn group_kinds(label: &str) -> Vec<UnitKind> {
    label.split([',', ';']).filter_map(|k| parse_kind(k).ok()).collect()
}

fn points(v: &Spanned<toml::Value>) -> Result<Points, String> {
    let f = match v.get_ref() {
        toml::Value::Integer(i) => *i as f64,
        toml::Value::Float(f) => *f,
        _ => return Err("from phải là một số, ví dụ from = 85.0".into()),
    };
    parse_points_f64(f)
        .ok()
        .filter(|p| (Points::ZERO..=Points(10_000)).contains(p))
        .ok_or_else(|| "from phải từ 0 đến 100, tối đa hai chữ số thập phân".into())
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

/// toml's message, with the allowed keys it lists kept.
fn clean_toml_message(m: &str) -> String {
    let m = m.trim();
    if let Some(rest) = m.strip_prefix("unknown field ") {
        let rest =
            rest.replace(", expected one of ", "; chỉ được dùng ").replace(", expected ", "; chỉ được dùng ").replace("` or `", "` hoặc `");
        return format!("khóa không hợp lệ {rest}");
    }
    format!("cấu hình không hợp lệ: {m}")
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    office: Option<RawOffice>,
    ranking: Option<RawRanking>,
    #[serde(default)]
    bands: Vec<RawBand>,
    units: Option<RawUnits>,
    survey: Option<RawSurvey>,
    #[serde(default)]
    framework: BTreeMap<String, Spanned<String>>,
    #[serde(default)]
    crosswalk: BTreeMap<String, BTreeMap<String, Spanned<String>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOffice {
    name: Option<String>,
    to: Option<String>,
    signer_title: Option<String>,
    #[serde(default)]
    recipients: Vec<String>,
    #[serde(default)]
    decision: BTreeMap<String, RawDecision>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDecision {
    number: Option<String>,
    date: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRanking {
    method: Option<Spanned<String>>,
    #[serde(default)]
    groups: Vec<Spanned<String>>,
    close_margin: Option<Spanned<toml::Value>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBand {
    name: Spanned<String>,
    from: Spanned<toml::Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawUnits {
    list: Option<Spanned<String>>,
    #[serde(default)]
    unit: Vec<RawUnit>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawUnit {
    name: String,
    kind: Spanned<String>,
    code: Option<String>,
    #[serde(default)]
    formed_from: Vec<String>,
    since: Option<i32>,
    signer: Option<String>,
    place: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSurvey {
    area: Spanned<String>,
    files: Spanned<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(t: &str) -> Result<Settings, ConfigError> {
        Settings::parse(t, Path::new("/in"))
    }

    #[test]
    fn empty_is_the_defaults() {
        let s = parse("").unwrap();
        assert_eq!(s.ranking, Ranking::default());
        assert_eq!(s.bands, Bands::default());
        assert!(s.units.is_none() && s.survey.is_none() && s.frameworks.is_empty());
    }

    #[test]
    fn unknown_key_names_its_line_and_the_allowed_keys() {
        let e = parse("[office]\nname = \"X\"\n\n[ranking]\nmethd = \"dense\"\n").unwrap_err();
        assert_eq!(e.line, 5, "{e}");
        assert!(e.message.contains("methd") && e.message.contains("method"), "{e}");
    }

    #[test]
    fn bad_method_lists_the_choices() {
        let e = parse("[ranking]\n\nmethod = \"olympic\"\n").unwrap_err();
        assert_eq!(e.line, 3);
        assert!(e.message.contains("competition") && e.message.contains("dense"));
    }

    #[test]
    fn bands_descend_and_end_at_zero() {
        let ok =
            parse("[[bands]]\nname = \"Tốt\"\nfrom = 80\n[[bands]]\nname = \"Khá\"\nfrom = 60.5\n[[bands]]\nname = \"Kém\"\nfrom = 0\n")
                .unwrap();
        assert_eq!(ok.bands.of(Points(8000)).label(), "Tốt");
        assert_eq!(ok.bands.of(Points(6049)).label(), "Kém");
        assert_eq!(ok.bands.of(Points(6050)).label(), "Khá");
        let e = parse("[[bands]]\nname = \"A\"\nfrom = 50\n[[bands]]\nname = \"B\"\nfrom = 60\n").unwrap_err();
        assert_eq!(e.line, 6);
        let e = parse("[[bands]]\nname = \"A\"\nfrom = 50\n").unwrap_err();
        assert!(e.message.contains("from = 0"), "{e}");
    }

    #[test]
    fn groups_join_kinds() {
        let s = parse("[ranking]\ngroups = [\"xã\", \"phường, thị trấn\"]\n").unwrap();
        assert_eq!(s.ranking.group_of(UnitKind::ThiTran), Some(1));
        assert_eq!(s.ranking.group_of(UnitKind::Xa), Some(0));
        assert!(parse("[ranking]\ngroups = [\"xã\", \"xã\"]\n").is_err());
        assert!(parse("[ranking]\ngroups = [\"huyện\"]\n").unwrap_err().message.contains("thị trấn"));
    }

    #[test]
    fn units_inline_and_merger_checks() {
        let s = parse(
            "[[units.unit]]\nname = \"A\"\nkind = \"xã\"\n[[units.unit]]\nname = \"B\"\nkind = \"xã\"\n[[units.unit]]\nname = \"AB\"\nkind = \"phường\"\nformed_from = [\"A\", \"B\"]\nsince = 2025\n",
        )
        .unwrap();
        let Some(UnitList::Inline(u)) = s.units else { panic!() };
        assert_eq!(u[2].formed_from, vec!["A", "B"]);
        assert!(parse("[[units.unit]]\nname = \"AB\"\nkind = \"xã\"\nformed_from = [\"C\"]\nsince = 2025\n").is_err());
        let s = parse("[units]\nlist = \"don-vi.csv\"\n").unwrap();
        assert_eq!(s.units, Some(UnitList::File(PathBuf::from("/in/don-vi.csv"))));
    }

    #[test]
    fn the_readme_example_is_valid() {
        let readme = include_str!("../README.md");
        let section = &readme[readme.find("## The office's settings").expect("section")..];
        let start = section.find("```toml\n").expect("example") + "```toml\n".len();
        let example = &section[start..start + section[start..].find("```").expect("end")];
        let s = parse(example).unwrap_or_else(|e| panic!("README's cchc.toml example: {e}"));
        assert_eq!((s.ranking.method, s.ranking.groups.len(), s.ranking.close_margin), (RankMethod::Competition, 2, Points(10)));
        assert_eq!(s.bands.all().map(|b| b.label()).collect::<Vec<_>>(), ["Xuất sắc", "Tốt", "Khá", "Yếu"]);
        assert!(s.survey.is_some() && s.frameworks.contains_key(&2025) && s.crosswalk.contains_key(&2025));
    }

    #[test]
    fn document_keys() {
        let s = parse(
            "[office]\nname = \"UBND huyện X\"\nto = \"Các ban, ngành {loại}\"\nsigner_title = \"PHÓ CHỦ TỊCH\"\n\
             recipients = [\"Như trên;\", \" \", \"Lưu: VT.\"]\n[office.decision.2022]\nnumber = \"258/QĐ-UBND\"\n\
             [[units.unit]]\nname = \"A\"\nkind = \"xã\"\nsigner = \" Lê Văn Mẫn \"\nplace = \"\"\n",
        )
        .unwrap();
        let d = &s.documents;
        assert_eq!((d.to.as_deref(), d.signer_title.as_deref()), (Some("Các ban, ngành {loại}"), Some("PHÓ CHỦ TỊCH")));
        // The list's own punctuation is the document's to write; blanks dropped.
        assert_eq!(d.recipients, ["Như trên", "Lưu: VT"]);
        assert_eq!(d.decisions[&2022], Decision { number: Some("258/QĐ-UBND".into()), date: None });
        let Some(UnitList::Inline(u)) = s.units else { panic!() };
        assert_eq!((u[0].signer.as_deref(), u[0].place.as_deref()), (Some("Lê Văn Mẫn"), None));
        let e = parse("[office.decision.hai]\nnumber = \"1\"\n").unwrap_err();
        assert!(e.message.contains("[office.decision.hai]"), "{}", e.message);
        assert!(parse("[office]\nsigner = \"x\"\n").is_err());
    }

    #[test]
    fn survey_framework_and_crosswalk() {
        let s = parse(
            "[survey]\narea = \"VIII\"\nfiles = \"khao-sat/{year}.xlsx\"\n[framework]\n2024 = \"khung-2024.csv\"\n[crosswalk.2024]\n\"1.4\" = \"1.5\"\n",
        )
        .unwrap();
        assert_eq!(s.survey.as_ref().unwrap().area.as_str(), "8");
        assert_eq!(s.survey.as_ref().unwrap().file(Path::new("/in"), 2023), PathBuf::from("/in/khao-sat/2023.xlsx"));
        assert_eq!(s.frameworks[&2024], PathBuf::from("/in/khung-2024.csv"));
        assert_eq!(s.code_in(2024, "1.4").as_str(), "1.5");
        assert_eq!(s.code_in(2024, "1.3").as_str(), "1.3");
        assert_eq!(s.code_in(2023, "1.4").as_str(), "1.4");
        assert!(parse("[framework]\nfiles = \"x\"\n").is_err());
    }
}
