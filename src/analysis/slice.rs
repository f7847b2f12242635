//! `Slice`: the text of a fact, kept as a `u32` span into the file's shared
//! text instead of a copy of its own.
//!
//! A parsed file's titles, labels, values and criteria are almost all
//! verbatim pieces of the file. Copying each into a `String` cost a heap
//! allocation per fact and doubled the memory a workspace's text takes; a
//! `Slice` shares the file's `Arc<str>` and reads through it. Text that is
//! not in the file (a value built from several pieces) gets an `Arc<str>`
//! of its own, so every `Slice` is the same 24 bytes and reads the same way.

use std::borrow::Borrow;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Deref;
use std::sync::{Arc, OnceLock};

use crate::analysis::text::TextRange;

/// A piece of text: `start..end` of a shared string.
#[derive(Clone)]
pub struct Slice {
    base: Arc<str>,
    start: u32,
    end: u32,
}

impl Slice {
    /// `range` of `base`. A range that is not inside `base` on character
    /// boundaries gives the empty slice: parsers only make ranges they read.
    pub fn new(base: &Arc<str>, range: TextRange) -> Slice {
        let fits = base.get(range.start()..range.end()).is_some();
        match (u32::try_from(range.start()), u32::try_from(range.end())) {
            (Ok(start), Ok(end)) if fits => Slice {
                base: Arc::clone(base),
                start,
                end,
            },
            _ => Slice::default(),
        }
    }

    /// `piece`, shared with `base` when it is a piece of it (a sub-slice a
    /// parser took of the file's text) and copied otherwise.
    pub fn of(base: &Arc<str>, piece: &str) -> Slice {
        let base_start = base.as_ptr() as usize;
        let piece_start = piece.as_ptr() as usize;
        if piece_start >= base_start && piece_start + piece.len() <= base_start + base.len() {
            let start = piece_start - base_start;
            Slice::new(base, TextRange::new(start, start + piece.len()))
        } else {
            Slice::owned(piece)
        }
    }

    /// A copy of `text` in a string of its own.
    pub fn owned(text: &str) -> Slice {
        if text.is_empty() {
            return Slice::default();
        }
        match u32::try_from(text.len()) {
            Ok(end) => Slice {
                base: Arc::from(text),
                start: 0,
                end,
            },
            Err(_) => Slice::default(),
        }
    }

    pub fn as_str(&self) -> &str {
        // The range was checked against `base` when the slice was made.
        &self.base[self.start as usize..self.end as usize]
    }
}

impl Default for Slice {
    fn default() -> Slice {
        static EMPTY: OnceLock<Arc<str>> = OnceLock::new();
        Slice {
            base: Arc::clone(EMPTY.get_or_init(|| Arc::from(""))),
            start: 0,
            end: 0,
        }
    }
}

impl Deref for Slice {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Slice {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl Borrow<str> for Slice {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl From<&str> for Slice {
    fn from(text: &str) -> Slice {
        Slice::owned(text)
    }
}

impl From<String> for Slice {
    fn from(text: String) -> Slice {
        Slice::owned(&text)
    }
}

impl From<&String> for Slice {
    fn from(text: &String) -> Slice {
        Slice::owned(text)
    }
}

impl From<Slice> for String {
    fn from(slice: Slice) -> String {
        slice.as_str().to_string()
    }
}

impl PartialEq for Slice {
    fn eq(&self, other: &Slice) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Slice {}

impl PartialEq<str> for Slice {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Slice {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for Slice {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<Slice> for str {
    fn eq(&self, other: &Slice) -> bool {
        self == other.as_str()
    }
}

impl PartialEq<Slice> for &str {
    fn eq(&self, other: &Slice) -> bool {
        *self == other.as_str()
    }
}

impl PartialEq<Slice> for String {
    fn eq(&self, other: &Slice) -> bool {
        self == other.as_str()
    }
}

impl PartialOrd for Slice {
    fn partial_cmp(&self, other: &Slice) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Slice {
    fn cmp(&self, other: &Slice) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl Hash for Slice {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state)
    }
}

impl fmt::Debug for Slice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for Slice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.as_str(), f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_piece_of_the_base_is_shared_and_anything_else_is_copied() {
        let base: Arc<str> = Arc::from("**Status:** done ✅");
        let piece = &base[12..];
        let shared = Slice::of(&base, piece);
        assert_eq!(shared, "done ✅");
        assert!(Arc::ptr_eq(&shared.base, &base));
        let elsewhere = String::from("done");
        let copied = Slice::of(&base, &elsewhere);
        assert_eq!(copied, "done");
        assert!(!Arc::ptr_eq(&copied.base, &base));
    }

    #[test]
    fn a_range_off_the_text_or_inside_a_character_is_empty() {
        let base: Arc<str> = Arc::from("ab✅");
        assert_eq!(Slice::new(&base, TextRange::new(0, 2)), "ab");
        assert_eq!(Slice::new(&base, TextRange::new(2, 3)), "");
        assert_eq!(Slice::new(&base, TextRange::new(0, 40)), "");
    }

    #[test]
    fn slices_compare_and_print_as_their_text() {
        let base: Arc<str> = Arc::from("b a");
        let b = Slice::new(&base, TextRange::new(0, 1));
        let a = Slice::owned("a");
        assert!(a < b);
        assert_eq!(format!("{b:?} {b}"), "\"b\" b");
        assert_eq!(std::mem::size_of::<Slice>(), 24);
    }
}
