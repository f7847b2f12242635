//! `SmallSet`: an ordered set that keeps its values in a sorted `Vec`
//! and moves to a `BTreeSet` once values land in the middle of many.
//!
//! The workspace keeps one set of dependents and one of referrers per ID,
//! and nearly all of them hold one to three values. A `BTreeSet` allocates
//! a node with room for eleven from its first value, which made these sets
//! the largest part of the ID indexes: the few values get exactly the room
//! they need instead, and growing by one at a time costs nothing at that
//! size. A popular ID (a milestone every issue names) gets its referrers
//! in path order while a workspace loads: each is then pushed at the end
//! after one comparison, where a tree compared it with dozens of paths
//! (each read from memory at random). Only a value that lands inside a
//! long list turns it into a tree, so that no order of edits makes
//! inserts or removals cost more than a logarithm.

use std::collections::BTreeSet;

/// Up to this many values, a value that lands in the middle is moved into
/// place; past it the set becomes a tree.
const MAX_SHIFTED: usize = 1024;

/// Up to this many values the list takes exactly the room it needs.
const MAX_EXACT: usize = 16;

/// Two sets are equal, ordered and printed by their values, whichever
/// form each is in.
#[derive(Clone)]
pub enum SmallSet<T: Ord> {
    /// Sorted, without repeats.
    Few(Vec<T>),
    Many(BTreeSet<T>),
}

impl<T: Ord> Default for SmallSet<T> {
    fn default() -> Self {
        SmallSet::Few(Vec::new())
    }
}

impl<T: Ord> SmallSet<T> {
    /// Adds `value`; returns whether it was new.
    pub fn insert(&mut self, value: T) -> bool {
        match self {
            SmallSet::Many(tree) => tree.insert(value),
            SmallSet::Few(values) => match insert_listed(values, value) {
                Ok(inserted) => inserted,
                Err(value) => {
                    let mut tree: BTreeSet<T> = std::mem::take(values).into_iter().collect();
                    tree.insert(value);
                    *self = SmallSet::Many(tree);
                    true
                }
            },
        }
    }

    /// Removes `value`; returns whether it was there. A tree stays a tree:
    /// a set that grew once is likely to grow again. A long list loses a
    /// value from its middle as a tree, for the same reason inserts there
    /// make one.
    pub fn remove<Q>(&mut self, value: &Q) -> bool
    where
        T: std::borrow::Borrow<Q>,
        Q: Ord + ?Sized,
    {
        match self {
            SmallSet::Many(tree) => tree.remove(value),
            SmallSet::Few(values) => {
                let Ok(at) = values.binary_search_by(|probe| probe.borrow().cmp(value)) else {
                    return false;
                };
                if at + 1 < values.len() && values.len() > MAX_SHIFTED {
                    let mut tree: BTreeSet<T> = std::mem::take(values).into_iter().collect();
                    tree.remove(value);
                    *self = SmallSet::Many(tree);
                } else {
                    values.remove(at);
                }
                true
            }
        }
    }

    pub fn len(&self) -> usize {
        match self {
            SmallSet::Few(values) => values.len(),
            SmallSet::Many(tree) => tree.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The values in order.
    pub fn iter(&self) -> Iter<'_, T> {
        match self {
            SmallSet::Few(values) => Iter::Few(values.iter()),
            SmallSet::Many(tree) => Iter::Many(tree.iter()),
        }
    }
}

/// Adds `value` to the sorted `values`: `Ok` says whether it was new,
/// `Err` gives it back when it would land inside a list too long to shift.
fn insert_listed<T: Ord>(values: &mut Vec<T>, value: T) -> Result<bool, T> {
    let at = match values.last() {
        // The usual case while a workspace loads: past the last value.
        Some(last) if *last < value => values.len(),
        None => 0,
        Some(_) => match values.binary_search(&value) {
            Ok(_) => return Ok(false),
            Err(at) => at,
        },
    };
    if at < values.len() && values.len() >= MAX_SHIFTED {
        return Err(value);
    }
    if values.len() < MAX_EXACT {
        // Room for exactly one more: a `Vec` grown by `insert` takes room
        // for four, and most sets keep one value.
        values.reserve_exact(1);
    }
    values.insert(at, value);
    Ok(true)
}

/// The values of a [`SmallSet`] in order, whichever form it is in.
pub enum Iter<'a, T> {
    Few(std::slice::Iter<'a, T>),
    Many(std::collections::btree_set::Iter<'a, T>),
}

impl<'a, T> Iterator for Iter<'a, T> {
    type Item = &'a T;

    fn next(&mut self) -> Option<&'a T> {
        match self {
            Iter::Few(values) => values.next(),
            Iter::Many(values) => values.next(),
        }
    }
}

impl<T: Ord> PartialEq for SmallSet<T> {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl<T: Ord> Eq for SmallSet<T> {}

impl<T: Ord> PartialOrd for SmallSet<T> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl<T: Ord> Ord for SmallSet<T> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.iter().cmp(other.iter())
    }
}

impl<T: Ord + std::fmt::Debug> std::fmt::Debug for SmallSet<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}

impl<'a, T: Ord> IntoIterator for &'a SmallSet<T> {
    type Item = &'a T;
    type IntoIter = Iter<'a, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Inserts and removes in a scrambled order, past the switch to a
    /// tree and back below it, against a `BTreeSet` doing the same.
    #[test]
    fn behaves_as_an_ordered_set_on_both_sides_of_the_switch() {
        let mut small = SmallSet::default();
        let mut reference = BTreeSet::new();
        for step in 0..6000u32 {
            let value = (step * 37) % 2053;
            if step % 3 == 2 {
                assert_eq!(small.remove(&value), reference.remove(&value), "{step}");
            } else {
                assert_eq!(small.insert(value), reference.insert(value), "{step}");
            }
            assert_eq!(small.len(), reference.len());
            assert!(small.iter().eq(reference.iter()), "step {step}");
        }
        assert!(matches!(small, SmallSet::Many(_)));
        while reference.len() > 10 {
            let first = *reference.iter().next().expect("not empty");
            reference.remove(&first);
            assert!(small.remove(&first));
        }
        assert!(matches!(small, SmallSet::Many(_)), "a tree stays a tree");
        let mut rebuilt = SmallSet::default();
        for &value in &reference {
            rebuilt.insert(value);
        }
        assert!(matches!(rebuilt, SmallSet::Few(_)));
        assert_eq!(small, rebuilt, "equal by their values");
        assert_eq!(format!("{small:?}"), format!("{reference:?}"));
        let mut few = SmallSet::default();
        for value in ["b", "a", "b"] {
            few.insert(value.to_string());
        }
        assert!(few.remove("b"));
        assert!(matches!(&few, SmallSet::Few(values) if values == &["a".to_string()]));
    }

    /// Values given in order (a workspace loading in path order) are
    /// pushed onto the list however many they are; one landing inside a
    /// long list, or taken from inside it, turns it into a tree.
    #[test]
    fn values_in_order_stay_a_list_and_the_middle_of_a_long_one_makes_a_tree() {
        let mut set = SmallSet::default();
        for value in (0..10_000u32).map(|v| v * 2) {
            assert!(set.insert(value));
        }
        assert!(!set.insert(40), "already there");
        assert!(set.remove(&19_998), "the last value");
        assert!(matches!(&set, SmallSet::Few(values) if values.len() == 9_999));
        let mut inserted = set.clone();
        assert!(inserted.insert(41));
        assert!(matches!(inserted, SmallSet::Many(_)));
        let mut expected: Vec<u32> = (0..9_999u32).map(|v| v * 2).chain([41]).collect();
        expected.sort();
        assert!(inserted.iter().copied().eq(expected));
        let mut removed = set.clone();
        assert!(removed.remove(&40));
        assert!(matches!(removed, SmallSet::Many(_)));
        assert_eq!(removed.len(), 9_998);
        let mut short = SmallSet::default();
        for value in [9, 3, 7, 1] {
            short.insert(value);
        }
        assert!(matches!(&short, SmallSet::Few(values) if values == &[1, 3, 7, 9]));
    }

    /// Most sets keep one or two values: they take room for just those.
    #[test]
    fn a_few_values_take_exactly_their_room() {
        let mut set = SmallSet::default();
        for (value, room) in [(5, 1), (3, 2), (5, 2), (9, 3)] {
            set.insert(value);
            assert!(matches!(&set, SmallSet::Few(values) if values.capacity() == room));
        }
    }
}
