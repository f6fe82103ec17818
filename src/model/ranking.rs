//! The one ranking rule: highest index first, equal keys share a rank. Competition
//! (1, 1, 3) by default, dense (1, 1, 2) where the office says so. The official
//! ranking, the group ranking, the ranking on one criterion and the ranking with an
//! area left out all go through [`RankMethod::ranks`].

/// How equal indexes share ranks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RankMethod {
    /// 1, 1, 3: the next rank skips (the default, as decisions print "đồng hạng").
    #[default]
    Competition,
    /// 1, 1, 2: the next rank follows.
    Dense,
}

impl RankMethod {
    /// Ranks of keys already sorted best first.
    ///
    /// ```
    /// use cchc::model::ranking::RankMethod;
    /// assert_eq!(RankMethod::Competition.ranks(&[9, 8, 8, 7]), vec![1, 2, 2, 4]);
    /// assert_eq!(RankMethod::Dense.ranks(&[9, 8, 8, 7]), vec![1, 2, 2, 3]);
    /// ```
    pub fn ranks<K: PartialEq>(self, sorted_best_first: &[K]) -> Vec<u32> {
        let mut ranks: Vec<u32> = Vec::with_capacity(sorted_best_first.len());
        for (i, k) in sorted_best_first.iter().enumerate() {
            let rank = match ranks.last() {
                Some(&r) if *k == sorted_best_first[i - 1] => r,
                Some(&r) if self == RankMethod::Dense => r + 1,
                _ => i as u32 + 1,
            };
            ranks.push(rank);
        }
        ranks
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ties_share_and_the_next_skips_or_follows() {
        let c = RankMethod::Competition;
        assert_eq!(c.ranks::<i64>(&[]), Vec::<u32>::new());
        assert_eq!(c.ranks(&[1]), vec![1]);
        assert_eq!(c.ranks(&[5, 5, 5, 4, 4, 1]), vec![1, 1, 1, 4, 4, 6]);
        assert_eq!(c.ranks(&[Some(3), Some(3), None, None]), vec![1, 1, 3, 3]);
        assert_eq!(RankMethod::Dense.ranks(&[5, 5, 5, 4, 4, 1]), vec![1, 1, 1, 2, 2, 3]);
    }
}
