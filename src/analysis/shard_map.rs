//! A map split into shards behind `Arc`s: copying it costs a
//! few hundred reference-count increments, and changing a key after a copy
//! copies one shard, not the whole map.
//!
//! The language server hands a copy of the workspace to every request while
//! the next edit is applied to the original; with plain maps each edit
//! copied every map of the workspace (100,000 keys at the top of the scale
//! the benchmarks cover).

use std::borrow::Borrow;
use std::collections::hash_map::Entry;
use std::hash::{BuildHasher, Hash};
use std::sync::Arc;

use rustc_hash::{FxBuildHasher, FxHashMap};

use crate::analysis::intern::Id;

/// How many shards a map has. With 100,000 keys a shard holds ~400.
const SHARDS: usize = 256;

#[derive(Debug)]
pub struct ShardMap<K, V> {
    shards: Vec<Arc<FxHashMap<K, V>>>,
    len: usize,
}

/// A key, or what a key can be looked up by, that knows its shard. A key
/// and what it borrows as (`String` and `str`) must agree.
pub trait Sharded: Hash + Eq {
    fn shard(&self) -> usize;
}

impl Sharded for str {
    fn shard(&self) -> usize {
        shard_of(self)
    }
}

impl Sharded for String {
    fn shard(&self) -> usize {
        shard_of(self)
    }
}

impl Sharded for Arc<str> {
    fn shard(&self) -> usize {
        shard_of(self)
    }
}

impl Sharded for Id {
    fn shard(&self) -> usize {
        // By the ID's hash, its address: no read of its text.
        shard_bits(FxBuildHasher.hash_one(self)) % SHARDS
    }
}

impl<K, V> Clone for ShardMap<K, V> {
    fn clone(&self) -> Self {
        ShardMap {
            shards: self.shards.clone(),
            len: self.len,
        }
    }
}

impl<K, V> Default for ShardMap<K, V> {
    fn default() -> Self {
        ShardMap {
            shards: (0..SHARDS)
                .map(|_| Arc::new(FxHashMap::default()))
                .collect(),
            len: 0,
        }
    }
}

impl<K: Sharded, V: PartialEq> PartialEq for ShardMap<K, V> {
    fn eq(&self, other: &Self) -> bool {
        self.len == other.len
            && self
                .shards
                .iter()
                .zip(&other.shards)
                .all(|(a, b)| Arc::ptr_eq(a, b) || a == b)
    }
}

/// Which shard holds `key`: changing keys of one shard after a copy of the
/// map copies that shard alone, so work that changes many keys can go
/// shard by shard.
pub fn shard_of(key: &str) -> usize {
    shard_bits(FxBuildHasher.hash_one(key)) % SHARDS
}

/// The bits of a key's hash that choose its shard: bits 32 to 47, which the
/// shard's own hash table uses for nothing. That table finds a key's slot
/// by the low bits and keeps the top 7 as a tag that most probes are
/// settled by; a shard chosen by the top bits gave all its keys the same
/// tag, so that every probe compared keys (and, for texts, read them).
pub(crate) fn shard_bits(hash: u64) -> usize {
    ((hash >> 32) & 0xffff) as usize
}

impl<K: Sharded, V> ShardMap<K, V> {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn get<Q: Sharded + ?Sized>(&self, key: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
    {
        self.shards[key.shard()].get(key)
    }

    pub fn contains_key<Q: Sharded + ?Sized>(&self, key: &Q) -> bool
    where
        K: Borrow<Q>,
    {
        self.get(key).is_some()
    }

    /// Every entry, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = (&K, &V)> + '_ {
        self.shards.iter().flat_map(|shard| shard.iter())
    }

    pub fn keys(&self) -> impl Iterator<Item = &K> + '_ {
        self.iter().map(|(k, _)| k)
    }

    pub fn values(&self) -> impl Iterator<Item = &V> + '_ {
        self.iter().map(|(_, v)| v)
    }
}

impl<K: Sharded + Clone, V: Clone> ShardMap<K, V> {
    /// The shard holding `key`, copied first if a copy of the map shares it.
    fn shard_mut(&mut self, shard: usize) -> &mut FxHashMap<K, V> {
        Arc::make_mut(&mut self.shards[shard])
    }

    pub fn get_mut<Q: Sharded + ?Sized>(&mut self, key: &Q) -> Option<&mut V>
    where
        K: Borrow<Q>,
    {
        if !self.contains_key(key) {
            return None;
        }
        self.shard_mut(key.shard()).get_mut(key)
    }

    pub fn insert(&mut self, key: K, value: V) -> Option<V> {
        let old = self.shard_mut(key.shard()).insert(key, value);
        if old.is_none() {
            self.len += 1;
        }
        old
    }

    pub fn remove<Q: Sharded + ?Sized>(&mut self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
    {
        if !self.contains_key(key) {
            return None;
        }
        let old = self.shard_mut(key.shard()).remove(key);
        if old.is_some() {
            self.len -= 1;
        }
        old
    }

    /// Makes room for about `additional` more keys spread over the shards,
    /// so that loading a workspace does not grow every shard's table again
    /// and again.
    pub fn reserve(&mut self, additional: usize) {
        // The even share. A table holds up to 7/8 of its power-of-two
        // size, so there is room above it, and the few shards that get
        // more grow on their own: adding a quarter for them doubled every
        // shard's table at 100,000 keys (21 MB over the four indexes).
        let per_shard = additional / SHARDS;
        for shard in &mut self.shards {
            Arc::make_mut(shard).reserve(per_shard);
        }
    }

    /// The value of `key`, inserting the default first when there is none.
    /// The key is taken by value (the maps that use this are keyed by
    /// interned IDs, which copy for free): one hash of the key for its
    /// shard and one in the shard, where a lookup then an insert took four.
    pub fn get_or_default(&mut self, key: K) -> &mut V
    where
        V: Default,
    {
        let shard = Arc::make_mut(&mut self.shards[key.shard()]);
        match shard.entry(key) {
            Entry::Occupied(entry) => entry.into_mut(),
            Entry::Vacant(entry) => {
                self.len += 1;
                entry.insert(V::default())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_of_one_shard_keep_varied_table_tags() {
        // hashbrown tags each slot with the top 7 bits of its key's hash
        // and compares keys only where tags match: within one shard the
        // tags must still vary, or every probe compares keys.
        let mut tags_of_shard_0 = std::collections::BTreeSet::new();
        let mut ids_of_shard_0 = std::collections::BTreeSet::new();
        for i in 0..100_000 {
            let key = format!("ISSUE-{i}");
            let hash = FxBuildHasher.hash_one(key.as_str());
            if shard_of(&key) == 0 {
                tags_of_shard_0.insert(hash >> 57);
            }
            let id = Id::new(&key);
            if id.shard() == 0 {
                ids_of_shard_0.insert(FxBuildHasher.hash_one(id) >> 57);
            }
        }
        assert!(tags_of_shard_0.len() > 100, "{tags_of_shard_0:?}");
        assert!(ids_of_shard_0.len() > 100, "{ids_of_shard_0:?}");
    }

    #[test]
    fn a_copy_keeps_its_values_when_the_original_changes() {
        let mut map: ShardMap<String, u32> = ShardMap::new();
        for i in 0..1000 {
            map.insert(format!("k{i}"), i);
        }
        let copy = map.clone();
        map.insert("k1".into(), 100);
        *map.get_or_default("new".into()) += 7;
        *map.get_or_default("new".into()) += 1;
        map.remove("k2");
        assert_eq!(copy.get("k1"), Some(&1));
        assert_eq!(copy.get("k2"), Some(&2));
        assert_eq!(copy.get("new"), None);
        assert_eq!(copy.len(), 1000);
        assert_eq!(map.get("k1"), Some(&100));
        assert_eq!(map.get("new"), Some(&8));
        assert_eq!(map.get("k2"), None);
        assert_eq!(map.len(), 1000);
        assert_eq!(map.iter().count(), 1000);
        assert!(map != copy);
        let mut again = copy.clone();
        assert!(again == copy);
        assert_eq!(again.remove("absent"), None);
        assert_eq!(again.get_mut("absent"), None);
        assert_eq!(again.len(), 1000);
    }
}
