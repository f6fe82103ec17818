//! The scores of every unit in every year, decided before any file is
//! written: persistent per-unit quality, a few lost points per unit, the
//! seed's own figures for Triệu Trạch 2022 and its rank facts.

use super::framework::Framework;
use super::rng;
use super::units::{SEED_UNITS, TRIEU_TRACH};

/// Causes written in the note column of a leaf below max.
const CAUSES: [&str; 14] = [
    "Chưa ban hành kế hoạch đúng thời hạn",
    "Tài liệu kiểm chứng chưa đầy đủ",
    "Thực hiện chậm so với yêu cầu",
    "Tỷ lệ đạt thấp hơn yêu cầu",
    "Không thực hiện",
    "Báo cáo chưa đầy đủ nội dung theo yêu cầu",
    "Chưa có tài liệu kiểm chứng",
    "Còn hồ sơ giải quyết quá hạn",
    "Chưa thực hiện công khai đầy đủ",
    "Kế hoạch ban hành chậm so với quy định",
    "Chưa tổ chức kiểm tra theo kế hoạch",
    "Chưa cập nhật thông tin kịp thời",
    "Hoàn thành dưới 80% nhiệm vụ theo kế hoạch",
    "Chưa gửi báo cáo đúng thời gian quy định",
];

/// Reasons of a bonus row ("Điểm thưởng").
const BONUS_REASONS: [&str; 4] = [
    "Có sáng kiến CCHC được UBND huyện công nhận",
    "Được UBND tỉnh khen thưởng về công tác CCHC",
    "Triển khai mô hình mới trong giải quyết TTHC",
    "Dẫn đầu cụm thi đua về chuyển đổi số",
];

/// Reasons of a penalty row ("Điểm trừ").
const PENALTY_REASONS: [&str; 4] = [
    "Để xảy ra hồ sơ trễ hạn nhiều lần",
    "Bị phê bình do chậm gửi báo cáo",
    "Có cán bộ, công chức bị xử lý kỷ luật",
    "Không tham dự hội nghị CCHC của huyện",
];

/// Leaves that plausibly do not apply to a commune in some year.
const NA_CANDIDATES: [&str; 6] = ["1.6", "2.3", "3.9", "3.12", "7.6", "2.1.1"];

/// Lost share of a leaf's max, in percent, per hit.
const LOSS_PCT: [i64; 10] = [10, 20, 25, 34, 40, 50, 50, 66, 75, 100];

/// The seed's sub-criteria below max for Triệu Trạch 2022 (code, appraised,
/// self-assessed, cause), plus 3.5.1 and 3.8 which explain the rest of
/// area III (20,84/25).
pub(crate) const TRIEU_TRACH_2022: [(&str, i64, i64, &str); 11] = [
    ("1.1.3", 160, 200, "Hoàn thành 80% nhiệm vụ CCHC theo Kế hoạch"),
    ("1.2", 250, 400, "BC CCHC thiếu nội dung papi"),
    ("1.5.3", 0, 100, "Thực hiện báo cáo kết quả khắc phục chỉ số CCHC chậm so với yêu cầu đề ra"),
    ("1.6", 100, 100, "Có 1 sáng kiến CCHC"),
    ("2.4.4", 180, 200, ""),
    ("3.12", 0, 0, "Không thực hiện"),
    ("3.13.1", 34, 34, "Tỷ lệ dịch vụ công trực tuyến toàn trình 33,7 %"),
    (
        "3.13.3",
        0,
        50,
        "Tỷ lệ DVCTT mức độ cao đã đăng ký triển khai trên Cổng DVC tỉnh = tổng số DVCTT mức độ 3 và mức độ 4 trong biểu thống kê là 83, tổng số TTHC thuộc thẩm quyền giải quyết 156 đạt 0,53% chưa đạt yêu cầu",
    ),
    ("7.7", 100, 200, "Tỷ lệ văn bản thực hiện chữ ký số so với tổng văn bản phát hành chưa đạt yêu cầu."),
    ("3.5.1", 150, 250, "Còn hồ sơ thủ tục hành chính giải quyết quá hạn"),
    ("3.8", 150, 200, "Chưa tổ chức đánh giá đầy đủ chất lượng giải quyết TTHC"),
];

/// The total Triệu Trạch's 2022 sheet states (its leaves sum to 90,74).
pub(crate) const TRIEU_TRACH_2022_STATED: i64 = 9259;

/// Year of the seed's published result.
pub(crate) const SEED_YEAR: i32 = 2022;

/// Rank of Triệu Trạch the year before (1-based, of 18).
pub(crate) const SEED_PREVIOUS_RANK: usize = 11;

const TAG_PROFILE: u64 = 0x5052_4f46;
const TAG_UNIT_YEAR: u64 = 0x5559;
const TAG_FACTS: u64 = 0x4641_4354;

/// One unit's scores in one year, hundredths of a point.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct UnitYear {
    /// Appraised points per leaf; `None` = not applicable.
    pub appraised: Vec<Option<i64>>,
    /// Self-assessed points per leaf; `None` = not applicable.
    pub self_assessed: Vec<Option<i64>>,
    /// Note per leaf (cause of lost points).
    pub notes: Vec<Option<String>>,
    /// Bonus points and reason, outside the 100.
    pub bonus: Option<(i64, &'static str)>,
    /// Penalty points (a positive amount to subtract) and reason.
    pub penalty: Option<(i64, &'static str)>,
    /// Whether the total row states the appraised total.
    pub states_total: bool,
    /// A stated total that differs from the leaf sum (the seed's 92,59).
    pub stated_override: Option<i64>,
}

impl UnitYear {
    /// Sum of the appraised leaves.
    pub fn points(&self) -> i64 {
        self.appraised.iter().flatten().sum()
    }

    /// Sum of the self-assessed leaves.
    pub fn self_points(&self) -> i64 {
        self.self_assessed.iter().flatten().sum()
    }

    /// What the total row states, if anything.
    pub fn stated_total(&self) -> Option<i64> {
        self.stated_override.or(self.states_total.then(|| self.points()))
    }

    /// Index as the reader computes it: points ÷ applicable max × 100, plus
    /// bonus, minus penalty.
    pub fn final_score(&self, fw: &Framework) -> f64 {
        let applicable: i64 = self.appraised.iter().enumerate().filter(|(_, a)| a.is_some()).map(|(leaf, _)| fw.leaf_node(leaf).max).sum();
        let index = if applicable == 0 { 0.0 } else { self.points() as f64 * 100.0 / applicable as f64 };
        index + self.bonus.map_or(0.0, |b| b.0 as f64 / 100.0) - self.penalty.map_or(0.0, |p| p.0 as f64 / 100.0)
    }
}

/// What persists of a unit between years.
struct Profile {
    /// Typical points lost, hundredths.
    base_lost: i64,
    /// Leaves this unit tends to lose points on.
    weak: Vec<usize>,
    /// A leaf that often does not apply to this unit.
    na_leaf: Option<usize>,
    /// Whether `na_leaf` does not apply in any year.
    na_always: bool,
}

fn profile(fw: &Framework, seed: u64, unit: usize) -> Profile {
    let mut r = rng(seed, &[TAG_PROFILE, unit as u64]);
    let u = r.f64();
    let base_lost = (100.0 + 3000.0 * u.powf(1.6)).round() as i64;
    let weak = (0..r.usize(3..=6)).map(|_| r.usize(..fw.leaves.len())).collect();
    // One unit in 16 always has a leaf that does not apply, a few more now and then.
    let na_always = unit % 16 == 3;
    let na_leaf = (na_always || r.f64() < 0.05).then(|| fw.leaf_of(NA_CANDIDATES[r.usize(..NA_CANDIDATES.len())])).flatten();
    Profile { base_lost, weak, na_leaf, na_always }
}

/// Which parts of a unit-year may vary beyond the lost points.
#[derive(Clone, Copy)]
struct Extras {
    na: bool,
    bonus: bool,
    /// A row this unit-year gets for sure (so small districts have them too).
    forced: Option<Forced>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Forced {
    Bonus,
    Penalty,
}

/// In every 18 units one gets a bonus and another a penalty each year,
/// rotating with the year.
fn forced_row(unit: usize, year: i32) -> Option<Forced> {
    let turn = (year + 1).rem_euclid(9) as usize;
    match unit % 18 {
        u if u == turn => Some(Forced::Bonus),
        u if u == turn + 9 => Some(Forced::Penalty),
        _ => None,
    }
}

fn full_marks(fw: &Framework) -> UnitYear {
    let maxes: Vec<Option<i64>> = fw.leaves.iter().map(|&n| Some(fw.nodes[n].max)).collect();
    UnitYear {
        appraised: maxes.clone(),
        self_assessed: maxes,
        notes: vec![None; fw.leaves.len()],
        bonus: None,
        penalty: None,
        states_total: true,
        stated_override: None,
    }
}

/// Takes points off one leaf: a share of its max, capped by what it has and
/// by `cap`. Returns the amount taken.
fn hit(fw: &Framework, uy: &mut UnitYear, leaf: usize, cap: i64, r: &mut fastrand::Rng) -> i64 {
    let Some(a) = uy.appraised[leaf] else {
        return 0;
    };
    let max = fw.leaf_node(leaf).max;
    let pct = LOSS_PCT[r.usize(..LOSS_PCT.len())];
    let amount = ((max * pct + 50) / 100).max(1).min(a).min(cap);
    if amount > 0 {
        uy.appraised[leaf] = Some(a - amount);
        if uy.notes[leaf].is_none() {
            uy.notes[leaf] = Some(CAUSES[r.usize(..CAUSES.len())].to_string());
        }
    }
    amount
}

/// One unit-year losing exactly `target` hundredths (fewer only if the
/// framework runs out), with self-assessment, notes and extras.
fn unit_year(fw: &Framework, profile: &Profile, target: i64, extras: Extras, r: &mut fastrand::Rng) -> UnitYear {
    let forced = extras.forced;
    let mut uy = full_marks(fw);
    if extras.na
        && let Some(leaf) = profile.na_leaf
        && (profile.na_always || r.f64() < 0.75)
    {
        uy.appraised[leaf] = None;
        uy.self_assessed[leaf] = None;
        uy.notes[leaf] = Some("Không áp dụng".to_string());
    }
    let n = fw.leaves.len();
    let mut remaining = target;
    let mut guard = 0;
    while remaining > 0 && guard < 100_000 {
        guard += 1;
        let leaf = if !profile.weak.is_empty() && r.f64() < 0.5 { profile.weak[r.usize(..profile.weak.len())] } else { r.usize(..n) };
        remaining -= hit(fw, &mut uy, leaf, remaining, r);
    }
    for leaf in 0..n {
        let max = fw.leaf_node(leaf).max;
        let Some(a) = uy.appraised[leaf] else {
            continue;
        };
        if a < max {
            let roll = r.f64();
            uy.self_assessed[leaf] = Some(if roll < 0.55 {
                max
            } else if roll < 0.85 {
                a
            } else {
                a + r.i64(0..=max - a)
            });
        }
    }
    // Now and then a unit under-claims a leaf the district then gives in full.
    if r.f64() < 0.03 {
        let leaf = r.usize(..n);
        if let (Some(a), Some(s)) = (uy.appraised[leaf], uy.self_assessed[leaf])
            && a == s
            && a >= 50
        {
            uy.self_assessed[leaf] = Some(a - 25);
        }
    }
    if extras.bonus {
        if forced == Some(Forced::Bonus) || r.f64() < 0.06 {
            let amount = 50 + 25 * r.i64(0..=6);
            uy.bonus = Some((amount, BONUS_REASONS[r.usize(..BONUS_REASONS.len())]));
        }
        if forced == Some(Forced::Penalty) || r.f64() < 0.04 {
            let amount = 25 + 25 * r.i64(0..=7);
            uy.penalty = Some((amount, PENALTY_REASONS[r.usize(..PENALTY_REASONS.len())]));
        }
    }
    uy.states_total = r.f64() < 0.9;
    uy
}

/// Takes more points off random leaves until the final score is below `until`.
fn lose_until(fw: &Framework, uy: &mut UnitYear, until: f64, r: &mut fastrand::Rng) {
    let n = fw.leaves.len();
    let mut guard = 0;
    while uy.final_score(fw) >= until && guard < 100_000 {
        guard += 1;
        let leaf = r.usize(..n);
        hit(fw, uy, leaf, i64::MAX, r);
    }
}

/// Triệu Trạch's 2022 sheet with the seed's own figures.
fn trieu_trach_2022(fw: &Framework) -> UnitYear {
    let mut uy = full_marks(fw);
    for (code, appraised, self_assessed, cause) in TRIEU_TRACH_2022 {
        let leaf = fw.leaf_of(code).expect("seed sub-criterion is a framework leaf");
        uy.appraised[leaf] = Some(appraised);
        uy.self_assessed[leaf] = Some(self_assessed);
        uy.notes[leaf] = (!cause.is_empty()).then(|| cause.to_string());
    }
    uy.stated_override = Some(TRIEU_TRACH_2022_STATED);
    uy
}

/// Scores per year (in `years` order) per unit.
pub(crate) fn build(fw: &Framework, n_units: usize, years: &[i32], seed: u64) -> Vec<Vec<UnitYear>> {
    let profiles: Vec<Profile> = (0..n_units).map(|u| profile(fw, seed, u)).collect();

    let mut out = Vec::with_capacity(years.len());
    for &year in years {
        let mut scores: Vec<UnitYear> = profiles
            .iter()
            .enumerate()
            .map(|(u, p)| {
                let mut r = rng(seed, &[TAG_UNIT_YEAR, u as u64, year as u64]);
                let drift = r.i64(-400..=400);
                let target = (p.base_lost + drift).clamp(30, 3600);
                let extras = Extras { na: true, bonus: true, forced: forced_row(u, year) };
                unit_year(fw, p, target, extras, &mut r)
            })
            .collect();
        if n_units >= SEED_UNITS.len() {
            let mut r = rng(seed, &[TAG_FACTS, year as u64]);
            if year == SEED_YEAR {
                seed_year_facts(fw, &mut scores, &mut r);
            } else if year == SEED_YEAR - 1 {
                previous_year_facts(fw, &profiles, &mut scores, &mut r);
            }
        }
        out.push(scores);
    }
    out
}

/// 2022: Triệu Trạch carries the seed's sheet and ranks 1st of the 18.
fn seed_year_facts(fw: &Framework, scores: &mut [UnitYear], r: &mut fastrand::Rng) {
    scores[TRIEU_TRACH] = trieu_trach_2022(fw);
    let top = scores[TRIEU_TRACH].final_score(fw);
    for (u, uy) in scores.iter_mut().enumerate().take(SEED_UNITS.len()) {
        if u != TRIEU_TRACH {
            lose_until(fw, uy, top - 0.01, r);
        }
    }
}

/// 2021: exactly 10 of the other 17 units rank above Triệu Trạch, none tied.
fn previous_year_facts(fw: &Framework, profiles: &[Profile], scores: &mut [UnitYear], r: &mut fastrand::Rng) {
    let above = SEED_PREVIOUS_RANK - 1;
    let others: Vec<usize> = (0..SEED_UNITS.len()).filter(|&u| u != TRIEU_TRACH).collect();
    let (hi, lo) = loop {
        let mut ranked: Vec<(f64, usize)> = others.iter().map(|&u| (scores[u].final_score(fw), u)).collect();
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        let (hi, _) = ranked[above - 1];
        let (lo, lo_unit) = ranked[above];
        if hi - lo >= 0.3 {
            break (hi, lo);
        }
        lose_until(fw, &mut scores[lo_unit], hi - 0.3, r);
    };
    let points = (((hi + lo) / 2.0) * fw.total as f64 / 100.0).floor() as i64;
    let no_extras = Extras { na: false, bonus: false, forced: None };
    let mut uy = unit_year(fw, &profiles[TRIEU_TRACH], fw.total - points, no_extras, r);
    uy.bonus = None;
    uy.penalty = None;
    scores[TRIEU_TRACH] = uy;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trieu_trach_2022_matches_the_seed() {
        let fw = Framework::embedded().unwrap();
        let uy = trieu_trach_2022(&fw);
        assert_eq!(uy.points(), 9074);
        assert_eq!(uy.stated_total(), Some(9259));
        let area =
            |a: usize| -> i64 { (0..fw.leaves.len()).filter(|&l| fw.leaf_node(l).area == a).map(|l| uy.appraised[l].unwrap()).sum() };
        let expect = [1710, 1180, 2084, 700, 1200, 1000, 1200];
        for (a, want) in expect.iter().enumerate() {
            assert_eq!(area(a + 1), *want, "area {}", a + 1);
        }
    }

    #[test]
    fn rank_facts_hold_for_many_seeds() {
        let fw = Framework::embedded().unwrap();
        for seed in 0..40 {
            for n in [18, 40] {
                let s = build(&fw, n, &[2021, 2022], seed);
                let f = |y: usize| -> Vec<f64> { s[y][..18].iter().map(|u| u.final_score(&fw)).collect() };
                let (f21, f22) = (f(0), f(1));
                assert_eq!(s[1][TRIEU_TRACH].points(), 9074);
                let tt = f22[TRIEU_TRACH];
                assert!(f22.iter().filter(|&&x| x >= tt).count() == 1, "{seed}");
                let tt = f21[TRIEU_TRACH];
                let above = f21.iter().filter(|&&x| x > tt + 1e-9).count();
                let tied = f21.iter().filter(|&&x| (x - tt).abs() <= 1e-9).count();
                assert_eq!((above, tied), (10, 1), "seed {seed}: {f21:?}");
            }
        }
    }

    #[test]
    fn spread_of_indexes() {
        let fw = Framework::embedded().unwrap();
        let scores = build(&fw, 3000, &[2023], 42);
        let finals: Vec<f64> = scores[0].iter().map(|u| u.final_score(&fw)).collect();
        let good = finals.iter().filter(|&&f| f >= 90.0).count();
        let fair = finals.iter().filter(|&&f| (70.0..90.0).contains(&f)).count();
        let mid = finals.iter().filter(|&&f| (50.0..70.0).contains(&f)).count();
        assert!(good > 300 && fair > 300 && mid > 10, "{good} {fair} {mid}");
        let min = finals.iter().cloned().fold(f64::MAX, f64::min);
        assert!(min > 55.0, "{min}");
        for uy in &scores[0] {
            for (leaf, a) in uy.appraised.iter().enumerate() {
                if let Some(a) = a {
                    assert!(*a >= 0 && *a <= fw.leaf_node(leaf).max);
                }
            }
        }
    }
}
