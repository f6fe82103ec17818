//! The units (communes, wards, towns) of the synthetic district: the seed's
//! 18 units first, then generated Vietnamese names, all unique even once
//! tones, case and spacing are ignored.

use std::collections::HashSet;

use super::rng;
use super::text::key;

/// Kind of a commune-level unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Xa,
    Phuong,
    ThiTran,
}

impl Kind {
    /// Lower-case prefix as in "UBND xã Triệu Trạch".
    pub fn lower(self) -> &'static str {
        match self {
            Kind::Xa => "xã",
            Kind::Phuong => "phường",
            Kind::ThiTran => "thị trấn",
        }
    }

    /// Capitalised prefix as at the start of a line ("Thị trấn Ái Tử").
    pub fn capital(self) -> &'static str {
        match self {
            Kind::Xa => "Xã",
            Kind::Phuong => "Phường",
            Kind::ThiTran => "Thị trấn",
        }
    }

    /// Upper-case prefix as in the title block ("XÃ TRIỆU TRẠCH").
    pub fn upper(self) -> &'static str {
        match self {
            Kind::Xa => "XÃ",
            Kind::Phuong => "PHƯỜNG",
            Kind::ThiTran => "THỊ TRẤN",
        }
    }
}

/// One unit: its name without prefix ("Triệu Trạch") and its kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Unit {
    pub name: String,
    pub kind: Kind,
}

/// The seed's district (Triệu Phong, Quảng Trị) in the statistics office order.
pub(crate) const SEED_UNITS: [(&str, Kind); 18] = [
    ("Ái Tử", Kind::ThiTran),
    ("Triệu An", Kind::Xa),
    ("Triệu Vân", Kind::Xa),
    ("Triệu Phước", Kind::Xa),
    ("Triệu Độ", Kind::Xa),
    ("Triệu Trạch", Kind::Xa),
    ("Triệu Thuận", Kind::Xa),
    ("Triệu Đại", Kind::Xa),
    ("Triệu Hòa", Kind::Xa),
    ("Triệu Lăng", Kind::Xa),
    ("Triệu Sơn", Kind::Xa),
    ("Triệu Long", Kind::Xa),
    ("Triệu Tài", Kind::Xa),
    ("Triệu Trung", Kind::Xa),
    ("Triệu Ái", Kind::Xa),
    ("Triệu Thượng", Kind::Xa),
    ("Triệu Giang", Kind::Xa),
    ("Triệu Thành", Kind::Xa),
];

/// Index of Triệu Trạch among the seed units.
pub(crate) const TRIEU_TRACH: usize = 5;

/// Syllables common in Vietnamese commune names.
const SYLLABLES: [&str; 80] = [
    "An",
    "Bình",
    "Hòa",
    "Phú",
    "Tân",
    "Long",
    "Thạnh",
    "Phước",
    "Mỹ",
    "Hưng",
    "Thành",
    "Lộc",
    "Thọ",
    "Xuân",
    "Hải",
    "Sơn",
    "Thủy",
    "Quang",
    "Minh",
    "Đức",
    "Hiệp",
    "Lợi",
    "Nghĩa",
    "Vĩnh",
    "Hội",
    "Khánh",
    "Thuận",
    "Lạc",
    "Phong",
    "Cát",
    "Kim",
    "Ngọc",
    "Hương",
    "Yên",
    "Định",
    "Hồng",
    "Thái",
    "Gia",
    "Quảng",
    "Diên",
    "Hà",
    "Lâm",
    "Liên",
    "Cẩm",
    "Châu",
    "Tiến",
    "Tường",
    "Vạn",
    "Thắng",
    "Lương",
    "Điền",
    "Trà",
    "Hiếu",
    "Trung",
    "Đông",
    "Tây",
    "Nam",
    "Bắc",
    "Thịnh",
    "Phúc",
    "Mai",
    "Lam",
    "Đồng",
    "Giang",
    "Thanh",
    "Vân",
    "Đạt",
    "Tú",
    "Lập",
    "Tài",
    "Cường",
    "Hạnh",
    "Nhơn",
    "Ninh",
    "Trường",
    "Quý",
    "Văn",
    "Chánh",
    "Hiển",
    "Thới",
];

/// Third syllables that mark a split commune ("Hòa Bình Đông").
const SUFFIXES: [&str; 7] = ["Đông", "Tây", "Nam", "Bắc", "Trung", "Thượng", "Hạ"];

const TAG_NAMES: u64 = 0x4e41_4d45;

/// The first `n` units: the seed's 18 in order, then generated names.
pub(crate) fn units(n: usize, seed: u64) -> Vec<Unit> {
    let mut out: Vec<Unit> = SEED_UNITS.iter().take(n).map(|&(name, kind)| Unit { name: name.to_string(), kind }).collect();
    if n <= SEED_UNITS.len() {
        return out;
    }
    // Keys of all seed units are reserved even when fewer are taken, so a
    // generated name never shadows a seed name.
    let mut seen: HashSet<String> = SEED_UNITS.iter().map(|(name, _)| key(name)).collect();
    let mut r = rng(seed, &[TAG_NAMES]);
    let mut failures = 0usize;
    while out.len() < n {
        let pick = |r: &mut fastrand::Rng| SYLLABLES[r.usize(..SYLLABLES.len())];
        let first = pick(&mut r);
        let mut second = pick(&mut r);
        while key(second) == key(first) {
            second = pick(&mut r);
        }
        let mut name = format!("{first} {second}");
        // Three syllables for some names, and always once the two-syllable
        // pool runs dry; four once three are not enough either.
        if failures > 200 || r.f64() < 0.3 {
            let third = if r.f64() < 0.6 { SUFFIXES[r.usize(..SUFFIXES.len())] } else { pick(&mut r) };
            name.push(' ');
            name.push_str(third);
        }
        if failures > 5_000 {
            name.push(' ');
            name.push_str(pick(&mut r));
        }
        // At most one direction word ("Đạt Nam Bắc" is no name).
        if name.split(' ').filter(|w| SUFFIXES.contains(w)).count() > 1 {
            continue;
        }
        if !seen.insert(key(&name)) {
            failures += 1;
            continue;
        }
        failures = 0;
        let roll = r.f64();
        let kind = if roll < 0.85 {
            Kind::Xa
        } else if roll < 0.94 {
            Kind::Phuong
        } else {
            Kind::ThiTran
        };
        out.push(Unit { name, kind });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_units_first() {
        let u = units(5, 1);
        assert_eq!(u.len(), 5);
        assert_eq!(u[0].name, "Ái Tử");
        assert_eq!(u[0].kind, Kind::ThiTran);
        let u = units(18, 1);
        assert_eq!(u[TRIEU_TRACH].name, "Triệu Trạch");
    }

    #[test]
    fn many_units_unique_and_stable() {
        let big = units(12_000, 7);
        assert_eq!(big.len(), 12_000);
        let plain: HashSet<&str> = big.iter().map(|u| u.name.as_str()).collect();
        let keys: HashSet<String> = big.iter().map(|u| key(&u.name)).collect();
        assert_eq!(plain.len(), big.len());
        assert_eq!(keys.len(), big.len());
        // A prefix of a larger district is the smaller district.
        assert_eq!(units(300, 7), big[..300].to_vec());
        assert!(big.iter().all(|u| (2..=4).contains(&u.name.split(' ').count())));
        assert!(big.iter().any(|u| u.kind == Kind::Phuong));
    }
}
