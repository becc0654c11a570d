//! One sort for everything a phone sorts (a panel's candidates, a PV's
//! findings, an object's keys, a bureau's tables): std's stable sort, run on
//! the positions only, so that every list shares one copy of its code.
//! Each element type sorted with `slice::sort_by` adds its own copy, about
//! 4 KB of the phone's WebAssembly; a phone sorts a dozen types.
//!
//! Stable, O(n log n) comparisons, like `slice::sort_by`, which it calls.
//!
//! For the same reason, a map or a set is built by [`map_of`] and
//! [`set_of`], one insertion at a time: `collect()` into a `BTreeMap`
//! sorts its pairs first, with a copy of std's sort per map type.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

/// The map of `pairs` (the last value of a key repeated, as `collect()`).
pub fn map_of<K: Ord, V>(pairs: impl IntoIterator<Item = (K, V)>) -> BTreeMap<K, V> {
    let mut map = BTreeMap::new();
    map.extend(pairs);
    map
}

/// The set of `items`.
pub fn set_of<T: Ord>(items: impl IntoIterator<Item = T>) -> BTreeSet<T> {
    let mut set = BTreeSet::new();
    set.extend(items);
    set
}

/// Sorts `v` by `cmp`, keeping the order of equal elements.
pub fn sort_by<T>(v: &mut Vec<T>, mut cmp: impl FnMut(&T, &T) -> Ordering) {
    if v.len() < 2 {
        return;
    }
    let mut positions: Vec<usize> = (0..v.len()).collect();
    {
        let items: &[T] = v;
        let mut by: &mut dyn FnMut(&usize, &usize) -> Ordering =
            &mut |a: &usize, b: &usize| cmp(&items[*a], &items[*b]);
        sort_positions(&mut positions, &mut by);
    }
    let mut taken: Vec<Option<T>> = v.drain(..).map(Some).collect();
    v.extend(positions.into_iter().filter_map(|p| taken[p].take()));
}

/// Sorts `v` by the key `key` gives each element, keeping the order of
/// elements of equal keys.
pub fn sort_by_key<T, K: Ord>(v: &mut Vec<T>, key: impl Fn(&T) -> K) {
    sort_by(v, |a, b| key(a).cmp(&key(b)));
}

/// The one instantiation of std's sort (not inlined, so that it stays one).
#[inline(never)]
fn sort_positions(positions: &mut [usize], by: &mut &mut dyn FnMut(&usize, &usize) -> Ordering) {
    positions.sort_by(|a, b| by(a, b));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_as_std_does_keeping_equal_elements_in_order() {
        // Pairs sorted by their first member: equal firsts keep their order.
        let mut seed = 7u64;
        for len in [0usize, 1, 2, 3, 10, 33, 200] {
            let mut v: Vec<(u8, usize)> = (0..len)
                .map(|i| {
                    seed = seed
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    ((seed >> 60) as u8, i)
                })
                .collect();
            let mut want = v.clone();
            want.sort_by_key(|p| p.0);
            sort_by_key(&mut v, |p| p.0);
            assert_eq!(v, want, "{len}");
            let mut desc = want.clone();
            desc.sort_by_key(|p| std::cmp::Reverse(p.0));
            sort_by(&mut v, |a, b| b.0.cmp(&a.0));
            assert_eq!(v, desc, "{len} descending");
        }
    }

    #[test]
    fn maps_and_sets_are_those_collect_makes() {
        let pairs = [(3, "c"), (1, "a"), (3, "z"), (2, "b")];
        assert_eq!(map_of(pairs), pairs.into_iter().collect::<BTreeMap<_, _>>());
        assert_eq!(map_of(pairs)[&3], "z");
        assert_eq!(set_of([3, 1, 3, 2]), BTreeSet::from([1, 2, 3]));
    }
}
