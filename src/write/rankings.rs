//! The ranking as CSV, one row per unit and year: `output/rankings.csv` (every year)
//! and `cchc rank --format csv` (one year) are this one table.

use crate::analysis::Analysis;
use crate::model::code::Code;
use crate::score::YearResult;
use crate::write::csv_field;

/// The years' rankings under one header: `year, rank, unit, kind, index, band, points,
/// self_index, rank_change, index_change`, then `area_<code>` for every area any of
/// the years has, in code order (a year without that area leaves it empty).
pub fn to_csv(a: &Analysis, years: &[&YearResult]) -> String {
    let mut areas: Vec<&Code> = years.iter().flat_map(|y| y.framework.areas().map(|n| &n.code)).collect();
    areas.sort();
    areas.dedup();
    let mut out = String::from("year,rank,unit,kind,index,band,points,self_index,rank_change,index_change");
    for code in &areas {
        out.push_str(&format!(",area_{code}"));
    }
    out.push('\n');
    for y in years {
        for u in &y.units {
            let unit = &a.units[u.unit];
            out.push_str(&format!(
                "{},{},{},{},{},{},{},{},{},{}",
                y.year,
                u.rank,
                csv_field(&unit.name),
                unit.kind,
                u.index,
                u.band.label(),
                u.points,
                u.self_index.map(|p| p.to_string()).unwrap_or_default(),
                u.rank_change.map(|c| c.to_string()).unwrap_or_default(),
                u.index_change.map(|c| c.to_string()).unwrap_or_default()
            ));
            for code in &areas {
                out.push(',');
                if let Some(ar) = u.areas.iter().find(|ar| &ar.code == *code) {
                    out.push_str(&ar.points.to_string());
                }
            }
            out.push('\n');
        }
    }
    out
}
