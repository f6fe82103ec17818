//! Units (communes, wards, towns) and what the office knows of each.

use serde::Serialize;
use std::fmt;

/// A commune, ward or town, as named across all years.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    /// Display name with tones ("Triệu Trạch").
    pub name: String,
    /// Xã, phường or thị trấn.
    pub kind: UnitKind,
    /// The body scored, where the sheets name one other than the people's committee
    /// ("Công an"): the index covers other bodies at commune level too.
    pub body: Option<String>,
}

/// A unit of the run: its position in the run's list of units (first appearance).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnitId(pub usize);

impl UnitId {
    /// The position in the run's list of units.
    pub fn index(self) -> usize {
        self.0
    }
}

impl std::ops::Index<UnitId> for [Unit] {
    type Output = Unit;
    fn index(&self, id: UnitId) -> &Unit {
        &self[id.0]
    }
}

impl std::ops::Index<UnitId> for Vec<Unit> {
    type Output = Unit;
    fn index(&self, id: UnitId) -> &Unit {
        &self[id.0]
    }
}

/// The kind of a unit.
///
/// Declared in the byte order of the labels ("phường" < "thị trấn" < "xã"): where a
/// unit's sheets name two kinds equally often, the first in this order wins, as the
/// labels did when they were strings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum UnitKind {
    /// Phường (ward).
    Phuong,
    /// Thị trấn (town).
    ThiTran,
    /// Xã (commune): the kind assumed when no source names one.
    Xa,
}

impl UnitKind {
    /// Every kind with its folded word, longest first (for reading names).
    pub const FOLDED: [(&'static str, UnitKind); 3] = [("thi tran", UnitKind::ThiTran), ("phuong", UnitKind::Phuong), ("xa", UnitKind::Xa)];

    /// The Vietnamese word, lower case ("thị trấn").
    ///
    /// ```
    /// use cchc::model::unit::UnitKind;
    /// assert_eq!(UnitKind::ThiTran.label(), "thị trấn");
    /// ```
    pub fn label(self) -> &'static str {
        match self {
            UnitKind::Phuong => "phường",
            UnitKind::ThiTran => "thị trấn",
            UnitKind::Xa => "xã",
        }
    }
}

impl fmt::Display for UnitKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

impl Serialize for UnitKind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.label())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_order_as_their_labels() {
        let mut kinds = [UnitKind::Xa, UnitKind::ThiTran, UnitKind::Phuong];
        kinds.sort();
        let labels: Vec<&str> = kinds.iter().map(|k| k.label()).collect();
        let mut sorted = labels.clone();
        sorted.sort();
        assert_eq!(labels, sorted);
    }
}
