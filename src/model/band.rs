//! Class bands (xếp loại) of an index: the default four (Tốt ≥ 90, Khá ≥ 70,
//! Trung bình ≥ 50, Yếu) or the office's own scheme from `cchc.toml`.

use super::points::Points;
use serde::Serialize;

/// A class band of an index: its place in the scheme (0 = best) and its name.
///
/// Bands order best first, so sorting by band puts "Tốt" before "Khá".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Band {
    position: u8,
    name: &'static str,
}

impl Band {
    /// Vietnamese label, as decisions print it ("Tốt").
    pub fn label(self) -> &'static str {
        self.name
    }

    /// Place in the scheme, 0 = best.
    pub fn position(self) -> usize {
        self.position as usize
    }
}

impl Serialize for Band {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name)
    }
}

/// A band scheme: bands best first, each with the index it starts at.
///
/// ```
/// use cchc::model::band::Bands;
/// use cchc::model::points::Points;
/// let b = Bands::default();
/// assert_eq!(b.of(Points(9000)).label(), "Tốt");
/// assert_eq!(b.of(Points(8999)).label(), "Khá");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bands(Vec<(Band, Points)>);

impl Default for Bands {
    fn default() -> Bands {
        let names = [("Tốt", 9000), ("Khá", 7000), ("Trung bình", 5000), ("Yếu", 0)];
        Bands(names.iter().enumerate().map(|(i, &(name, from))| (Band { position: i as u8, name }, Points(from))).collect())
    }
}

impl Bands {
    /// A scheme from names and starting indexes, best first; the last starts at 0.
    /// The names live for the whole run (a scheme has a handful), so bands stay `Copy`.
    pub fn new(bands: Vec<(String, Points)>) -> Bands {
        Bands(
            bands
                .into_iter()
                .enumerate()
                .map(|(i, (name, from))| (Band { position: i.min(u8::MAX as usize) as u8, name: Box::leak(name.into_boxed_str()) }, from))
                .collect(),
        )
    }

    /// The band of an index: the first whose start it reaches (the last otherwise).
    pub fn of(&self, index: Points) -> Band {
        self.0.iter().find(|(_, from)| index >= *from).or(self.0.last()).map(|(b, _)| *b).expect("a scheme has bands")
    }

    /// Every band, best first.
    pub fn all(&self) -> impl Iterator<Item = Band> + '_ {
        self.0.iter().map(|(b, _)| *b)
    }

    /// The index a band starts at.
    pub fn start(&self, band: Band) -> Points {
        self.0[band.position()].1
    }

    /// The band above `band`, with the index it starts at (None at the top).
    pub fn above(&self, band: Band) -> Option<(Band, Points)> {
        band.position().checked_sub(1).map(|i| self.0[i])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_at_thresholds() {
        let b = Bands::default();
        let label = |i| b.of(Points(i)).label();
        assert_eq!(label(9000), "Tốt");
        assert_eq!(label(8999), "Khá");
        assert_eq!(label(7000), "Khá");
        assert_eq!(label(5000), "Trung bình");
        assert_eq!(label(4999), "Yếu");
        assert_eq!(label(-100), "Yếu");
        assert!(b.of(Points(9500)) < b.of(Points(100)), "best first");
        assert_eq!(b.above(b.of(Points(8000))).map(|(x, p)| (x.label(), p)), Some(("Tốt", Points(9000))));
    }
}
