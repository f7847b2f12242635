//! `SmallSet`: an ordered set that keeps a few values in a sorted `Vec`
//! and moves to a `BTreeSet` once it grows.
//!
//! The workspace keeps one set of dependents and one of referrers per ID,
//! and nearly all of them hold one to three values. A `BTreeSet` allocates
//! a node with room for eleven from its first value, which made these sets
//! the largest part of the ID indexes; a popular ID (a milestone every
//! issue names) still gets the tree's logarithmic inserts. The few values
//! get exactly the room they need: growing by one at a time costs nothing
//! at that size.

use std::collections::BTreeSet;

/// Past this many values the set becomes a tree.
const MAX_FEW: usize = 16;

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
            SmallSet::Few(values) => match values.binary_search(&value) {
                Ok(_) => false,
                Err(at) if values.len() < MAX_FEW => {
                    // Room for exactly one more: a `Vec` grown by `insert`
                    // takes room for four, and most sets keep one value.
                    values.reserve_exact(1);
                    values.insert(at, value);
                    true
                }
                Err(_) => {
                    let mut tree: BTreeSet<T> = std::mem::take(values).into_iter().collect();
                    tree.insert(value);
                    *self = SmallSet::Many(tree);
                    true
                }
            },
            SmallSet::Many(tree) => tree.insert(value),
        }
    }

    /// Removes `value`; returns whether it was there. A tree stays a tree:
    /// a set that grew once is likely to grow again.
    pub fn remove<Q>(&mut self, value: &Q) -> bool
    where
        T: std::borrow::Borrow<Q>,
        Q: Ord + ?Sized,
    {
        match self {
            SmallSet::Few(values) => {
                match values.binary_search_by(|probe| probe.borrow().cmp(value)) {
                    Ok(at) => {
                        values.remove(at);
                        true
                    }
                    Err(_) => false,
                }
            }
            SmallSet::Many(tree) => tree.remove(value),
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
        for step in 0..200u32 {
            let value = (step * 37) % 41;
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
