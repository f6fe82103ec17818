//! Class bands (xếp loại) of an index.

use super::points::Points;
use serde::Serialize;

/// Class band of an index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Band {
    /// ≥ 90.
    #[serde(rename = "Tốt")]
    Good,
    /// ≥ 70.
    #[serde(rename = "Khá")]
    Fair,
    /// ≥ 50.
    #[serde(rename = "Trung bình")]
    Average,
    /// Below 50.
    #[serde(rename = "Yếu")]
    Weak,
}

impl Band {
    /// The band of an index, with the default thresholds (Tốt ≥ 90, Khá ≥ 70, Trung bình ≥ 50).
    pub fn of(index: Points) -> Band {
        match index.0 {
            i if i >= 9000 => Band::Good,
            i if i >= 7000 => Band::Fair,
            i if i >= 5000 => Band::Average,
            _ => Band::Weak,
        }
    }

    /// Vietnamese label, as decisions print it.
    pub fn label(self) -> &'static str {
        match self {
            Band::Good => "Tốt",
            Band::Fair => "Khá",
            Band::Average => "Trung bình",
            Band::Weak => "Yếu",
        }
    }

    /// All bands, best first.
    pub const ALL: [Band; 4] = [Band::Good, Band::Fair, Band::Average, Band::Weak];
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_at_thresholds() {
        assert_eq!(Band::of(Points(9000)), Band::Good);
        assert_eq!(Band::of(Points(8999)), Band::Fair);
        assert_eq!(Band::of(Points(7000)), Band::Fair);
        assert_eq!(Band::of(Points(5000)), Band::Average);
        assert_eq!(Band::of(Points(4999)), Band::Weak);
    }
}
