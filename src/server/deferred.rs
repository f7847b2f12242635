//! The files a large re-check left for later passes, grouped by the shard
//! of the diagnostics map that holds their findings.
//!
//! A pass checks one slice of them and then lets the main loop take the
//! edits that came in meanwhile, so a re-check of 100,000 files never makes
//! a keystroke wait for more than one slice. A slice takes whole shards: a
//! request's snapshot shares the diagnostics map, and storing a finding
//! copies the shard that holds it, so a slice spread over every shard
//! would copy the whole map in each pass.

use std::collections::{BTreeMap, BTreeSet};

use crate::analysis::shard_map::shard_of;

#[derive(Default)]
pub(crate) struct Deferred {
    by_shard: BTreeMap<usize, BTreeSet<String>>,
    len: usize,
}

impl Deferred {
    pub(crate) fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// Defers every file of `files`. A shard with nothing deferred yet
    /// gets its set built at once from its files, in order: the first pass
    /// after indexing defers 100,000 of them.
    pub(crate) fn extend(&mut self, files: impl IntoIterator<Item = String>) {
        let mut by_shard: BTreeMap<usize, Vec<String>> = BTreeMap::new();
        for rel in files {
            by_shard.entry(shard_of(&rel)).or_default().push(rel);
        }
        for (shard, files) in by_shard {
            let set = self.by_shard.entry(shard).or_default();
            let before = set.len();
            if set.is_empty() {
                *set = files.into_iter().collect();
            } else {
                set.extend(files);
            }
            self.len += set.len() - before;
        }
    }

    pub(crate) fn remove(&mut self, rel: &str) {
        let shard = shard_of(rel);
        if let Some(files) = self.by_shard.get_mut(&shard) {
            if files.remove(rel) {
                self.len -= 1;
            }
            if files.is_empty() {
                self.by_shard.remove(&shard);
            }
        }
    }

    /// Takes the files of whole shards, in shard order, until at least
    /// `at_least` files are taken or none are left.
    pub(crate) fn take_slice(&mut self, at_least: usize) -> BTreeSet<String> {
        let mut slice = BTreeSet::new();
        while slice.len() < at_least {
            let Some((_, mut files)) = self.by_shard.pop_first() else {
                break;
            };
            self.len -= files.len();
            slice.append(&mut files);
        }
        slice
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slices_take_whole_shards_and_every_file_once() {
        let mut deferred = Deferred::default();
        for n in 0..5000 {
            deferred.extend([format!("issues/backlog/swe-feature-{n:04}.md")]);
        }
        deferred.extend(["issues/backlog/swe-feature-0001.md".to_string()]);
        // Files deferred again, in bulk, count once.
        deferred.extend((4990..5010).map(|n| format!("issues/backlog/swe-feature-{n:04}.md")));
        deferred.remove("issues/backlog/swe-feature-5009.md");
        assert_eq!(deferred.len(), 5009);
        for n in 5000..5009 {
            deferred.remove(&format!("issues/backlog/swe-feature-{n:04}.md"));
        }
        deferred.remove("issues/backlog/swe-feature-0002.md");
        assert_eq!(deferred.len(), 4999);
        let mut seen: BTreeSet<String> = BTreeSet::new();
        let mut slices = 0;
        while !deferred.is_empty() {
            let slice = deferred.take_slice(500);
            assert!(slice.len() >= 500 || deferred.is_empty(), "{}", slice.len());
            let shards: BTreeSet<usize> = slice.iter().map(|rel| shard_of(rel)).collect();
            // No shard is split between two slices.
            for rel in &seen {
                assert!(!shards.contains(&shard_of(rel)));
            }
            let before = seen.len();
            seen.extend(slice.iter().cloned());
            assert_eq!(seen.len(), before + slice.len());
            slices += 1;
        }
        assert_eq!(seen.len(), 4999);
        assert!(!seen.contains("issues/backlog/swe-feature-0002.md"));
        assert!((9..=11).contains(&slices), "{slices} slices");
    }
}
