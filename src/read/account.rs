//! What the reader made of each sheet, column by column: every non-empty column of a
//! header region is read as something (a unit, a code, a score, a note …) or named as
//! left out (`unknown_column`), so that nothing is dropped without a word. `cchc
//! validate` prints the account per file ("16 cột đơn vị, 1 cột ghi chú; bỏ qua: không
//! có").

use crate::model::sheet::{Cell, ColumnMap, SheetAccount, SheetShape};
use crate::read::layout::{self, Role};
use crate::read::results::{Block, ResultsMap, Sub};
use crate::read::workbook::{Grid, Value};

/// The header region's label of each column (its non-blank header cells joined, rows of
/// column numbers left out), with the cell of its first line.
fn header_labels(grid: &Grid, from: usize, to: usize) -> Vec<(usize, Cell, String)> {
    let rows: Vec<usize> = (from..to).filter(|&r| !grid.rows.get(r).is_some_and(|cells| layout::is_column_number_row(cells))).collect();
    let width = rows.iter().map(|&r| grid.rows.get(r).map_or(0, Vec::len)).max().unwrap_or(0);
    (0..width)
        .filter_map(|c| {
            let parts: Vec<(usize, String)> =
                rows.iter().map(|&r| (r, grid.get(r, c).as_text().trim().to_string())).filter(|(_, t)| !t.is_empty()).collect();
            let (first, _) = parts.first()?;
            let label = parts.iter().map(|(_, t)| t.as_str()).collect::<Vec<_>>().join(" ");
            Some((c, Cell::new(*first as u32, c), crate::text::clean(&label)))
        })
        .collect()
}

/// Counts each role in the order first met.
fn tally(roles: impl Iterator<Item = &'static str>) -> Vec<(&'static str, usize)> {
    let mut out: Vec<(&'static str, usize)> = Vec::new();
    for r in roles {
        match out.iter_mut().find(|(k, _)| *k == r) {
            Some((_, n)) => *n += 1,
            None => out.push((r, 1)),
        }
    }
    out
}

/// A column no map uses, told apart where its label still says what it is: guidance
/// for the scorer is read and left aside on purpose.
fn unused(label: &str) -> Option<&'static str> {
    match layout::classify(label) {
        Some(Role::Guidance) => Some("hướng dẫn"),
        Some(Role::Note) => Some("ghi chú"),
        _ => None,
    }
}

fn account(
    grid: &Grid,
    shape: SheetShape,
    units: usize,
    labels: Vec<(usize, Cell, String)>,
    role: impl Fn(usize) -> Option<&'static str>,
) -> SheetAccount {
    let mut ignored = Vec::new();
    let mut roles = Vec::new();
    for (c, cell, label) in labels {
        match role(c).or_else(|| unused(&label)) {
            Some(r) => roles.push(r),
            None => ignored.push((cell, label)),
        }
    }
    SheetAccount { sheet: grid.name.clone(), shape, units, columns: tally(roles.into_iter()), ignored, unread_units: Vec::new() }
}

/// A unit's scoring sheet (layout A).
pub fn scoring_sheet(grid: &Grid, map: &ColumnMap) -> SheetAccount {
    let labels = header_labels(grid, map.header_row, map.data_start);
    account(grid, SheetShape::Sheet, 1, labels, |c| column_role(map, c))
}

/// What a scoring sheet's column holds, as the account names it.
fn column_role(map: &ColumnMap, c: usize) -> Option<&'static str> {
    let round = map.rounds.iter().position(|k| k.col == c);
    Some(match c {
        _ if map.code == Some(c) => "mã",
        _ if map.name == c => "tên tiêu chí",
        _ if map.max == c => "điểm tối đa",
        _ if map.self_score == Some(c) => "tự đánh giá",
        _ if round.is_some() => "thẩm định",
        _ if map.deduction == Some(c) => "điểm bị trừ",
        _ if map.net == Some(c) => "điểm sau khi trừ",
        _ if map.evidence == Some(c) => "tài liệu kiểm chứng",
        _ if map.notes.contains(&c) => "ghi chú",
        _ => return None,
    })
}

/// A consolidated matrix (layout B): the criteria columns and one column per unit.
pub fn matrix(grid: &Grid, maps: &[&ColumnMap]) -> SheetAccount {
    let first = maps[0];
    let labels = header_labels(grid, first.header_row, first.data_start);
    let is_unit = |c: usize| maps.iter().any(|m| m.appraised == c);
    // A column past the maxes that holds points like a unit's but was not read as one.
    let points = |c: usize| grid.rows.iter().skip(first.data_start).filter(|r| r.get(c).is_some_and(Value::is_number)).count();
    let unread_units: Vec<(Cell, String, usize)> = labels
        .iter()
        .filter(|(c, _, _)| *c > first.max && !is_unit(*c) && column_role(first, *c).is_none())
        .map(|(c, cell, label)| (*cell, label.clone(), points(*c)))
        .filter(|(_, _, n)| *n >= 2)
        .collect();
    let labels: Vec<(usize, Cell, String)> =
        labels.into_iter().filter(|(_, cell, _)| !unread_units.iter().any(|(u, _, _)| u == cell)).collect();
    let mut a = account(grid, SheetShape::Matrix, maps.len(), labels, |c| if is_unit(c) { Some("đơn vị") } else { column_role(first, c) });
    a.unread_units = unread_units;
    a
}

/// A published results table (layout C).
pub fn results(grid: &Grid, map: &ResultsMap, units: usize) -> SheetAccount {
    let labels = header_labels(grid, map.header_row, map.data_start);
    let by_col: Vec<(usize, String)> = labels.iter().map(|(c, _, l)| (*c, l.clone())).collect();
    // A block's column by what it holds: the totals' or an area's.
    let in_block = |block: &Block, c: usize, names: &[&'static str; 6]| {
        block.cols.iter().find(|(k, _)| *k == c).map(|(_, s)| match s {
            None | Some(Sub::Net) => names[0],
            Some(Sub::SelfScore) => names[1],
            Some(Sub::Appraised) => names[2],
            Some(Sub::Survey) => names[3],
            Some(Sub::Deduction) => names[4],
            Some(Sub::Percent) => names[5],
        })
    };
    const TOTAL: [&str; 6] =
        ["tổng điểm", "tổng: tự đánh giá", "tổng: thẩm định", "tổng: điều tra xã hội học", "tổng: điểm bị trừ", "tổng: chỉ số (%)"];
    const AREA: [&str; 6] = [
        "điểm lĩnh vực",
        "lĩnh vực: tự đánh giá",
        "lĩnh vực: thẩm định",
        "lĩnh vực: điều tra xã hội học",
        "lĩnh vực: điểm bị trừ",
        "lĩnh vực: chỉ số (%)",
    ];
    account(grid, SheetShape::Results, units, labels, |c| {
        let label = by_col.iter().find(|(k, _)| *k == c).map_or("", |(_, l)| l.as_str());
        let block =
            map.total.as_ref().and_then(|t| in_block(t, c, &TOTAL)).or_else(|| map.areas.iter().find_map(|a| in_block(&a.block, c, &AREA)));
        if c != map.unit && block.is_some() {
            return block;
        }
        Some(match c {
            _ if map.unit == c => "đơn vị",
            _ if map.band == Some(c) => "xếp loại",
            _ if map.rank == Some(c) => "xếp hạng",
            _ if map.parts.contains(&c) => "thành phần",
            // The numbering before the names: a code column's labels (TT, STT, Số TT).
            _ if c < map.unit && layout::classify(label) == Some(Role::Code) => "số thứ tự",
            _ => return None,
        })
    })
}
