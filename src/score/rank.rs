//! The one ranking rule: competition ranks (1, 1, 3). Equal keys share a rank and the
//! next rank skips. The official ranking, the ranking on one criterion and the
//! ranking with an area left out all go through [`competition`].

/// Ranks of keys already sorted best first.
///
/// ```
/// use cchc::score::rank::competition;
/// assert_eq!(competition(&[95, 90, 90, 80]), vec![1, 2, 2, 4]);
/// ```
pub fn competition<K: PartialEq>(sorted_best_first: &[K]) -> Vec<u32> {
    let mut ranks = Vec::with_capacity(sorted_best_first.len());
    for (i, k) in sorted_best_first.iter().enumerate() {
        let rank = if i > 0 && *k == sorted_best_first[i - 1] { ranks[i - 1] } else { i as u32 + 1 };
        ranks.push(rank);
    }
    ranks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ties_share_and_the_next_skips() {
        assert_eq!(competition::<i64>(&[]), Vec::<u32>::new());
        assert_eq!(competition(&[1]), vec![1]);
        assert_eq!(competition(&[5, 5, 5, 4, 4, 1]), vec![1, 1, 1, 4, 4, 6]);
        assert_eq!(competition(&[Some(3), Some(3), None, None]), vec![1, 1, 3, 3]);
    }
}
