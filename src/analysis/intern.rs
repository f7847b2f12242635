//! `Id`: an item ID interned once for the whole process, so that the model,
//! the workspace's maps and the graph hold a reference to one copy of the
//! text instead of an owned copy each.
//!
//! At 100,000 issues the same ID was copied into the defining item, every
//! reference naming it and every map keyed by it: about ten string
//! allocations per file. An `Id` is a pointer to the one copy, so equal
//! texts give the same pointer and equality is a pointer compare. The copy
//! starts with the text's length, which keeps an `Id` at 8 bytes (a
//! `&'static str` is 16, and a model holds millions of IDs and interned
//! labels) while reading its text stays one memory access, as a
//! `String`'s was (a handle to an entry holding the text and its hash cost
//! two, and the scans that read every item's ID, such as workspace symbols,
//! paid for the second). It hashes by its address: a lookup in a map keyed
//! by IDs reads no text (at 100,000 files the interned text is a cache miss
//! per lookup). The order of such a map therefore differs from run to run,
//! so nothing may depend on it: every map keyed by IDs is only looked up,
//! or its keys are sorted before they are shown.
//!
//! Interned texts are never freed. A workspace's IDs are a few megabytes at
//! most, and an editing session adds only what was typed.

use std::cmp::Ordering;
use std::fmt;
use std::hash::{BuildHasher, Hash, Hasher};
use std::ops::Deref;
use std::ptr::NonNull;
use std::sync::{LazyLock, Mutex};

use rustc_hash::{FxBuildHasher, FxHashSet};

use crate::analysis::shard_map::shard_bits;

/// An interned ID. Copying it copies a pointer; it reads as a `&str`.
#[derive(Clone, Copy)]
pub struct Id(NonNull<u8>);

// SAFETY: an `Id` points at bytes the interner wrote once and never writes
// again nor frees, so reading them from any thread is sound.
unsafe impl Send for Id {}
unsafe impl Sync for Id {}

/// How many bytes of an interned copy hold its text's length.
const LENGTH_BYTES: usize = std::mem::size_of::<usize>();

impl Id {
    /// The `Id` of `text`, interning it on first sight.
    pub fn new(text: &str) -> Id {
        let mut shard = lock(shard_of(text));
        if let Some(kept) = shard.texts.get(text) {
            return kept.0;
        }
        let id = shard.store(text);
        shard.texts.insert(Kept(id));
        id
    }

    /// The `Id` of `text` if some item or reference ever used it: a lookup
    /// by a text that was never interned finds nothing anyway.
    pub fn get(text: &str) -> Option<Id> {
        lock(shard_of(text)).texts.get(text).map(|kept| kept.0)
    }

    /// The `Id` of `text`, looked for first among the last texts this
    /// thread interned this way. Field labels repeat in every file: a
    /// comparison with a few short texts costs less than a shared shard's
    /// hash and lock.
    pub fn frequent(text: &str) -> Id {
        thread_local! {
            static RECENT: std::cell::RefCell<Vec<Id>> = const { std::cell::RefCell::new(Vec::new()) };
        }
        RECENT.with(|recent| {
            let mut recent = recent.borrow_mut();
            if let Some(&id) = recent.iter().find(|id| id.as_str() == text) {
                return id;
            }
            let id = Id::new(text);
            if recent.len() == RECENT_TEXTS {
                recent.remove(0);
            }
            recent.push(id);
            id
        })
    }

    pub fn as_str(self) -> &'static str {
        let start = self.0.as_ptr();
        // SAFETY: an `Id` is made only by `Shard::store`, from a block it
        // leaked: the text's length, then the bytes of that `str`. The
        // pointer carries the provenance of the whole copy, and the block
        // is never written again nor freed.
        unsafe {
            let length = usize::from_ne_bytes(start.cast::<[u8; LENGTH_BYTES]>().read());
            let bytes = std::slice::from_raw_parts(start.add(LENGTH_BYTES), length);
            std::str::from_utf8_unchecked(bytes)
        }
    }
}

/// How many texts [`Id::frequent`] keeps at hand per thread: more than a
/// planning format's usual labels.
const RECENT_TEXTS: usize = 24;

/// The texts of `ids` with `separator` between them.
pub fn join(ids: &[Id], separator: &str) -> String {
    let texts: Vec<&str> = ids.iter().map(|id| id.as_str()).collect();
    texts.join(separator)
}

/// What a lookup by ID can be given: an `Id`, or its text.
pub trait AsId {
    /// The `Id`, or `None` for a text no item or reference ever used.
    fn to_id(&self) -> Option<Id>;
}

impl AsId for Id {
    fn to_id(&self) -> Option<Id> {
        Some(*self)
    }
}

impl AsId for str {
    fn to_id(&self) -> Option<Id> {
        Id::get(self)
    }
}

impl<T: AsId + ?Sized> AsId for &T {
    fn to_id(&self) -> Option<Id> {
        (**self).to_id()
    }
}

impl AsId for String {
    fn to_id(&self) -> Option<Id> {
        Id::get(self)
    }
}

/// How many independently locked parts the interner has, so that the
/// threads parsing files seldom wait for each other.
const SHARD_COUNT: usize = 64;

/// Texts are copied into leaked blocks of this size, so that interning an
/// ID allocates nothing of its own.
const TEXT_BLOCK: usize = 64 * 1024;

static SHARDS: LazyLock<Vec<Mutex<Shard>>> =
    LazyLock::new(|| (0..SHARD_COUNT).map(|_| Mutex::default()).collect());

#[derive(Default)]
struct Shard {
    texts: FxHashSet<Kept>,
    /// The unused rest of the current text block.
    text_room: &'static mut [u8],
}

/// An interned text in a shard's set: looked up by its text, where an `Id`
/// compares and hashes by its address.
struct Kept(Id);

impl PartialEq for Kept {
    fn eq(&self, other: &Kept) -> bool {
        self.0.as_str() == other.0.as_str()
    }
}

impl Eq for Kept {}

impl Hash for Kept {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.0.as_str().hash(state);
    }
}

impl std::borrow::Borrow<str> for Kept {
    fn borrow(&self) -> &str {
        self.0.as_str()
    }
}

impl Shard {
    /// A copy of `text`, after its length, that lives as long as the
    /// process.
    fn store(&mut self, text: &str) -> Id {
        let size = LENGTH_BYTES + text.len();
        let piece: &'static mut [u8] = if size > TEXT_BLOCK / 4 {
            Box::leak(vec![0; size].into_boxed_slice())
        } else {
            if self.text_room.len() < size {
                self.text_room = Box::leak(vec![0; TEXT_BLOCK].into_boxed_slice());
            }
            let (piece, rest) = std::mem::take(&mut self.text_room).split_at_mut(size);
            self.text_room = rest;
            piece
        };
        let (length, bytes) = piece.split_at_mut(LENGTH_BYTES);
        length.copy_from_slice(&text.len().to_ne_bytes());
        bytes.copy_from_slice(text.as_bytes());
        let piece: &'static [u8] = piece;
        Id(NonNull::from(piece).cast())
    }
}

fn shard_of(text: &str) -> &'static Mutex<Shard> {
    &SHARDS[shard_bits(FxBuildHasher.hash_one(text)) % SHARD_COUNT]
}

/// A shard's lock. A thread that panicked while holding it left the set
/// whole (every change to it is a single insert), so the lock is taken
/// regardless.
fn lock(shard: &Mutex<Shard>) -> std::sync::MutexGuard<'_, Shard> {
    shard
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Equal texts are one copy: comparing the references compares the texts.
impl PartialEq for Id {
    fn eq(&self, other: &Id) -> bool {
        self.0 == other.0
    }
}

impl Eq for Id {}

/// Equal IDs are one copy, so the address identifies the text.
impl Hash for Id {
    fn hash<H: Hasher>(&self, state: &mut H) {
        (self.0.as_ptr() as usize).hash(state);
    }
}

/// IDs sort by their text, as the strings they replace did.
impl Ord for Id {
    fn cmp(&self, other: &Id) -> Ordering {
        if self == other {
            return Ordering::Equal;
        }
        self.as_str().cmp(other.as_str())
    }
}

impl PartialOrd for Id {
    fn partial_cmp(&self, other: &Id) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Deref for Id {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Id {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl fmt::Debug for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl From<&str> for Id {
    fn from(text: &str) -> Id {
        Id::new(text)
    }
}

impl From<String> for Id {
    fn from(text: String) -> Id {
        Id::new(&text)
    }
}

impl From<&String> for Id {
    fn from(text: &String) -> Id {
        Id::new(text)
    }
}

impl From<Id> for String {
    fn from(id: Id) -> String {
        id.as_str().to_string()
    }
}

impl PartialEq<str> for Id {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Id {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for Id {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<Id> for str {
    fn eq(&self, other: &Id) -> bool {
        self == other.as_str()
    }
}

impl PartialEq<Id> for &str {
    fn eq(&self, other: &Id) -> bool {
        *self == other.as_str()
    }
}

impl PartialEq<Id> for String {
    fn eq(&self, other: &Id) -> bool {
        self == other.as_str()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_texts_give_one_id_and_different_texts_different_ones() {
        let a = Id::new("swe-feature-001");
        let b = Id::new(&String::from("swe-feature-001"));
        let c = Id::new("swe-feature-002");
        assert_eq!(a, b);
        assert!(std::ptr::eq(a.as_str(), b.as_str()));
        assert_ne!(a, c);
        assert_eq!(a.as_str(), "swe-feature-001");
        assert_eq!(a, "swe-feature-001");
        assert_eq!(format!("{a} {a:?}"), "swe-feature-001 \"swe-feature-001\"");
    }

    #[test]
    fn ids_sort_by_their_text_and_hash_alike_when_equal() {
        let mut ids: Vec<Id> = ["b", "a10", "a9", "", "a"].map(Id::new).into();
        ids.sort();
        let texts: Vec<&str> = ids.iter().map(|id| id.as_str()).collect();
        assert_eq!(texts, ["", "a", "a10", "a9", "b"]);
        let hash = |id: Id| FxBuildHasher.hash_one(id);
        assert_eq!(hash(Id::new("a9")), hash(Id::new("a9")));
        assert_ne!(hash(Id::new("a9")), hash(Id::new("a10")));
    }

    #[test]
    fn a_text_never_interned_is_not_found_and_long_texts_are_kept_whole() {
        assert_eq!(Id::get("never-interned-anywhere-\u{1F600}"), None);
        let long = "x".repeat(TEXT_BLOCK);
        let id = Id::new(&long);
        assert_eq!(Id::get(&long), Some(id));
        assert_eq!(id.len(), TEXT_BLOCK);
        // Enough text to fill each shard's block twice over (about 4 KB an
        // ID, 64 shards): every ID stays whole across block changes.
        let text = |i: usize| format!("t-{i}-{}", "漢字".repeat(700));
        let many: Vec<Id> = (0..2000).map(|i| Id::new(&text(i))).collect();
        for (i, id) in many.iter().enumerate() {
            assert_eq!(id.as_str(), text(i));
        }
    }

    #[test]
    fn threads_interning_the_same_texts_agree() {
        let ids: Vec<Vec<Id>> = std::thread::scope(|scope| {
            let workers: Vec<_> = (0..4)
                .map(|_| scope.spawn(|| (0..2000).map(|i| Id::new(&format!("s-{i}"))).collect()))
                .collect();
            workers.into_iter().map(|w| w.join().unwrap()).collect()
        });
        for other in &ids[1..] {
            assert_eq!(&ids[0], other);
        }
    }
}
