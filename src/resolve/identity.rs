//! Which sources (scoring sheets, results-table rows) belong to the same unit, across
//! files and years.
//!
//! Identity ignores Unicode form, case, prefixes, spacing and tone placement
//! ([`toned_key`]). A name typed without any tone ("Trieu_Trach") joins the one toned
//! unit that folds to it; where two toned units fold alike (Mỹ Thành, Mỹ Thạnh) the
//! toneless name stays apart and is reported, never guessed.

use crate::model::diagnostic::Diagnostic;
use crate::model::kind::Kind;
use crate::model::sheet::Origin;
use crate::model::unit::{Unit, UnitId, UnitKind};
use crate::text::{fold, has_diacritics, toned_key};
use foldhash::{HashMap, HashMapExt};
use std::collections::BTreeMap;

/// Units found and which unit each source belongs to.
#[derive(Debug, Default)]
pub struct Identities {
    /// Units, in order of first appearance.
    pub units: Vec<Unit>,
    /// For each source (same order as the input), its unit index.
    pub of: Vec<Option<UnitId>>,
}

fn most_common<T: Ord + Clone>(items: impl IntoIterator<Item = T>) -> Option<T> {
    let mut counts: BTreeMap<T, usize> = BTreeMap::new();
    for i in items {
        *counts.entry(i).or_default() += 1;
    }
    // Highest count; among equals the smallest, so the choice is deterministic.
    counts
        .into_iter()
        .fold(None, |best: Option<(T, usize)>, (k, n)| match best {
            Some((_, bn)) if bn >= n => best,
            _ => Some((k, n)),
        })
        .map(|(k, _)| k)
}

/// Toned spellings a tone apart ("Triệu Trách", "Triệu Trạch") that never meet in one
/// year are one unit spelt two ways: joined into the spelling with the most sources
/// (the first seen among equals). Spellings that meet in a year are two units (Mỹ
/// Thành and Mỹ Thạnh).
fn join_tone_variants(sources: &[Origin<'_>], groups: &mut HashMap<String, Vec<usize>>, order: &mut Vec<String>) {
    let mut by_fold: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for k in order.iter() {
        let first = &sources[groups[k][0]];
        by_fold.entry(fold(&first.unit.expect("named").name)).or_default().push(k.clone());
    }
    for keys in by_fold.into_values().filter(|k| k.len() > 1) {
        let years: Vec<std::collections::BTreeSet<i32>> =
            keys.iter().map(|k| groups[k].iter().map(|&i| sources[i].year).collect()).collect();
        let disjoint = (0..years.len()).all(|i| (i + 1..years.len()).all(|j| years[i].is_disjoint(&years[j])));
        if !disjoint {
            continue;
        }
        let main =
            keys.iter().max_by_key(|k| (groups[*k].len(), std::cmp::Reverse(order.iter().position(|o| o == *k)))).expect("keys").clone();
        for k in keys.iter().filter(|k| **k != main) {
            let moved = groups.remove(k).unwrap_or_default();
            groups.get_mut(&main).expect("main").extend(moved);
            order.retain(|o| o != k);
        }
        groups.get_mut(&main).expect("main").sort_unstable();
    }
}

/// A source whose toned name differs from its unit's, a tone apart: joined, and
/// reported with the cell and the spelling used.
pub fn spelling_warnings(ids: &Identities, sources: &[Origin<'_>]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (s, of) in sources.iter().zip(&ids.of) {
        let (Some(u), Some(id)) = (s.unit, of) else { continue };
        let name = &ids.units[*id].name;
        if has_diacritics(&u.name) && toned_key(&u.name) != toned_key(name) {
            let mut d = Diagnostic::new(Kind::NameSpelling, s.file, Some(s.year), &[("variant", &u.name), ("name", name)])
                .in_sheet(s.sheet)
                .for_unit(name);
            if let Some(c) = u.cell {
                d = d.at(c);
            }
            out.push(d);
        }
    }
    out
}

/// Groups the sources (scoring sheets, results-table rows) into units.
///
/// `join_tones`: join spellings a tone apart that never meet in one year. Off where
/// the office's unit list decides instead (two listed units may be such spellings).
pub fn resolve(sources: &[Origin<'_>], join_tones: bool) -> (Identities, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    // Key of each sheet's group: the toned key, or "~" + folded for toneless names.
    let mut toned_groups: HashMap<String, Vec<usize>> = HashMap::new();
    let mut order: Vec<String> = Vec::new();
    for (i, s) in sources.iter().enumerate() {
        if let Some(u) = s.unit
            && has_diacritics(&u.name)
        {
            let k = toned_key(&u.name);
            if !toned_groups.contains_key(&k) {
                order.push(k.clone());
            }
            toned_groups.entry(k).or_default().push(i);
        }
    }
    if join_tones {
        join_tone_variants(sources, &mut toned_groups, &mut order);
    }
    let mut by_fold: HashMap<String, Vec<String>> = HashMap::new();
    for k in &order {
        let first = &sources[toned_groups[k][0]];
        by_fold.entry(fold(&first.unit.expect("named").name)).or_default().push(k.clone());
    }
    for (i, s) in sources.iter().enumerate() {
        let Some(u) = s.unit else { continue };
        if has_diacritics(&u.name) {
            continue;
        }
        let f = fold(&u.name);
        let key = match by_fold.get(&f).map(Vec::as_slice) {
            Some([one]) => one.clone(),
            Some(many) => {
                let names: Vec<String> = many.iter().map(|k| sources[toned_groups[k][0]].unit.expect("named").name.clone()).collect();
                diags.push(
                    Diagnostic::new(Kind::AmbiguousUnit, s.file, Some(s.year), &[("name", &u.name), ("candidates", &names.join(" hoặc "))])
                        .in_sheet(s.sheet)
                        .about(s.source),
                );
                format!("~{f}")
            }
            None => format!("~{f}"),
        };
        if !toned_groups.contains_key(&key) {
            order.push(key.clone());
        }
        toned_groups.entry(key).or_default().push(i);
    }
    let mut ids = Identities { units: Vec::new(), of: vec![None; sources.len()] };
    for key in order {
        let members = &toned_groups[&key];
        let names = members.iter().filter_map(|&i| sources[i].unit).filter(|u| key.starts_with('~') || has_diacritics(&u.name));
        // Prefer what titles say, then the most frequent spelling.
        let best_source = names.clone().map(|u| u.source).min();
        let name = most_common(names.filter(|u| Some(u.source) == best_source).map(|u| u.name.clone())).unwrap_or_default();
        let kind = most_common(members.iter().filter_map(|&i| sources[i].unit.and_then(|u| u.kind))).unwrap_or(UnitKind::Xa);
        let body = most_common(members.iter().filter_map(|&i| sources[i].unit.and_then(|u| u.body.clone())));
        let idx = UnitId(ids.units.len());
        ids.units.push(Unit { name, kind, body });
        for &i in members {
            ids.of[i] = Some(idx);
        }
    }
    (ids, diags)
}
