//! The office's unit list (`[units]` in cchc.toml) over the units the sheets name: the
//! list's spelling and kind are shown everywhere, spellings that fold to one listed
//! unit join it, a name the list does not have is an error with the nearest listed
//! names, and a listed unit with no sheet in a year is a missing submission.

use super::identity::Identities;
use crate::config::RegisteredUnit;
use crate::model::diagnostic::Diagnostic;
use crate::model::kind::Kind;
use crate::model::sheet::Origin;
use crate::model::unit::{Unit, UnitId};
use crate::text::{fold, toned_key};

/// The listed unit a name is: the same toned key, else the one listed unit it folds to.
pub fn find(registry: &[RegisteredUnit], name: &str) -> Option<usize> {
    crate::text::find_name(registry.iter().map(|r| r.name.as_str()), name)
}

/// The nearest listed names, tone-insensitive, best first (at most three).
fn suggestions<'a>(registry: &'a [RegisteredUnit], name: &str) -> Vec<&'a str> {
    let f = fold(name);
    let mut scored: Vec<(f64, &str)> = registry
        .iter()
        .map(|r| (strsim::normalized_damerau_levenshtein(&f, &fold(&r.name)), r.name.as_str()))
        .filter(|(s, _)| *s >= 0.5)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    scored.into_iter().take(3).map(|(_, n)| n).collect()
}

/// Puts the list over the units found: renames and joins units to their listed
/// spelling and kind, and reports each source of a unit the list does not have.
pub fn apply(ids: &mut Identities, registry: &[RegisteredUnit], origins: &[Origin<'_>]) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let mut units: Vec<Unit> = Vec::new();
    let mut listed: Vec<Option<UnitId>> = vec![None; registry.len()];
    let mut new_id = Vec::with_capacity(ids.units.len());
    for u in &ids.units {
        let id = match find(registry, &u.name) {
            Some(r) => *listed[r].get_or_insert_with(|| {
                units.push(Unit { name: registry[r].name.clone(), kind: registry[r].kind, body: u.body.clone() });
                UnitId(units.len() - 1)
            }),
            None => {
                units.push(u.clone());
                UnitId(units.len() - 1)
            }
        };
        new_id.push(id);
    }
    for (i, of) in ids.of.iter_mut().enumerate() {
        let Some(old) = *of else { continue };
        *of = Some(new_id[old.index()]);
        if find(registry, &ids.units[old].name).is_none() {
            let o = &origins[i];
            let name = o.unit.map_or(ids.units[old].name.as_str(), |n| n.name.as_str());
            let near = suggestions(registry, name);
            let suggestion = if near.is_empty() { String::new() } else { format!(" (có phải: {}?)", near.join(", ")) };
            diags.push(
                Diagnostic::new(Kind::UnitNotRegistered, o.file, Some(o.year), &[("name", &name), ("suggestion", &suggestion)])
                    .in_sheet(o.sheet)
                    .for_unit(&ids.units[old].name)
                    .about(o.source),
            );
        }
    }
    ids.units = units;
    diags
}

/// Whether a listed unit exists in a year: from its `since`, and until a unit formed
/// from it begins.
pub fn exists_in(registry: &[RegisteredUnit], unit: &RegisteredUnit, year: i32) -> bool {
    let key = toned_key(&unit.name);
    let begun = unit.since.is_none_or(|s| year >= s);
    let merged_away = registry.iter().any(|r| r.since.is_some_and(|s| year >= s) && r.formed_from.iter().any(|p| toned_key(p) == key));
    begun && !merged_away
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::unit::UnitKind;

    fn reg(name: &str) -> RegisteredUnit {
        RegisteredUnit { name: name.into(), kind: UnitKind::Xa, code: None, formed_from: vec![], since: None, signer: None, place: None }
    }

    #[test]
    fn finds_by_tones_then_by_fold_and_suggests_near_names() {
        let r = vec![reg("Triệu Trạch"), reg("Triệu Thành"), reg("Mỹ Thành"), reg("Mỹ Thạnh")];
        assert_eq!(find(&r, "TRIỆU TRẠCH"), Some(0));
        assert_eq!(find(&r, "Triệu Trách"), Some(0), "a tone apart, one listed unit folds to it");
        assert_eq!(find(&r, "My Thanh"), None, "two listed units fold alike");
        assert_eq!(suggestions(&r, "Trieu Trac")[0], "Triệu Trạch");
        assert!(suggestions(&r, "Hải Lăng").is_empty());
    }

    #[test]
    fn predecessors_end_when_the_merged_unit_begins() {
        let mut ab = reg("AB");
        ab.formed_from = vec!["A".into(), "B".into()];
        ab.since = Some(2025);
        let r = vec![reg("A"), reg("B"), ab];
        assert!(exists_in(&r, &r[0], 2024) && !exists_in(&r, &r[0], 2025));
        assert!(!exists_in(&r, &r[2], 2024) && exists_in(&r, &r[2], 2025));
    }
}
