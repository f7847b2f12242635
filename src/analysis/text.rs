//! Byte ranges into a file's text, and the line index that turns them into
//! lines and columns in any of the encodings the editors speak.

use std::fmt;

/// The largest file planmark reads: offsets into a file are kept as `u32`.
pub const MAX_FILE_BYTES: u64 = u32::MAX as u64;

/// A half-open byte range `start..end` into one file's text, kept as two
/// `u32`s: no file read is 4 GiB or more (`MAX_FILE_BYTES`).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct TextRange {
    start: u32,
    end: u32,
}

impl TextRange {
    pub fn new(start: usize, end: usize) -> TextRange {
        debug_assert!(start <= end, "range {start}..{end} is reversed");
        TextRange {
            start: offset_u32(start),
            end: offset_u32(end),
        }
    }

    pub fn empty(at: usize) -> TextRange {
        TextRange::new(at, at)
    }

    pub fn start(self) -> usize {
        self.start as usize
    }

    pub fn end(self) -> usize {
        self.end as usize
    }

    /// The same range with its end moved to `end`.
    pub fn with_end(self, end: usize) -> TextRange {
        TextRange::new(self.start(), end)
    }

    pub fn len(self) -> usize {
        (self.end - self.start) as usize
    }

    pub fn is_empty(self) -> bool {
        self.start == self.end
    }

    /// Whether `offset` lies inside the range or touches its end, the way an
    /// editor cursor "is on" a word when it stands right after it.
    pub fn touches(self, offset: usize) -> bool {
        self.start() <= offset && offset <= self.end()
    }

    pub fn contains_range(self, other: TextRange) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    /// The range shifted right by `delta` bytes.
    pub fn shifted(self, delta: usize) -> TextRange {
        TextRange::new(self.start() + delta, self.end() + delta)
    }

    /// The piece of `text` the range covers; empty when the range is not
    /// inside `text` on character boundaries.
    pub fn of(self, text: &str) -> &str {
        text.get(self.start()..self.end()).unwrap_or_default()
    }

    /// The range as the `Range` that slices a `str`.
    pub fn to_range(self) -> std::ops::Range<usize> {
        self.start()..self.end()
    }
}

/// An offset as the `u32` a range keeps. Offsets come from files under
/// `MAX_FILE_BYTES`; one past it (a bug, not user input) saturates.
fn offset_u32(offset: usize) -> u32 {
    debug_assert!(
        offset as u64 <= MAX_FILE_BYTES,
        "offset {offset} is past 4 GiB"
    );
    u32::try_from(offset).unwrap_or(u32::MAX)
}

impl fmt::Debug for TextRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

/// How columns are counted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColumnUnit {
    /// UTF-8 bytes (LSP `utf-8`).
    Utf8,
    /// UTF-16 code units (LSP `utf-16`, the protocol's default).
    Utf16,
    /// Unicode scalar values (what `planmark check` prints, like rustc).
    Char,
}

/// A zero-based line and column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    pub line: u32,
    pub col: u32,
}

/// The start offsets of every line of a text. Lines end at `\n`, `\r\n` or a
/// lone `\r`, as the LSP specification counts them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineIndex {
    /// Offsets are `u32`: planmark reads no file of 4 GiB or more
    /// (`MAX_FILE_BYTES`).
    line_starts: Vec<u32>,
    len: usize,
    /// Every character wider than one byte, in text order, with what the
    /// text has counted up to and including it: a long line's columns are
    /// then found by binary search instead of a walk from the line start.
    wide: Vec<WideChar>,
}

/// A character of more than one byte, and the bytes saved so far (up to and
/// including it) by counting UTF-16 units or characters instead of bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct WideChar {
    offset: u32,
    utf16_saved: u32,
    chars_saved: u32,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let bytes = text.as_bytes();
        let mut line_starts = vec![0];
        // Only the line breaks are looked at, found a word at a time.
        for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
            match bytes[i] {
                // The `\n` of a `\r\n` was counted at its `\r`.
                b'\n' if i > 0 && bytes[i - 1] == b'\r' => {}
                b'\r' if bytes.get(i + 1) == Some(&b'\n') => line_starts.push(i as u32 + 2),
                _ => line_starts.push(i as u32 + 1),
            }
        }
        let mut wide = Vec::new();
        if !text.is_ascii() {
            let (mut utf16_saved, mut chars_saved) = (0u32, 0u32);
            for (offset, ch) in text.char_indices().filter(|(_, ch)| !ch.is_ascii()) {
                let bytes = ch.len_utf8() as u32;
                utf16_saved += bytes - ch.len_utf16() as u32;
                chars_saved += bytes - 1;
                wide.push(WideChar {
                    offset: offset as u32,
                    utf16_saved,
                    chars_saved,
                });
            }
        }
        crate::analysis::compact::compact(&mut line_starts);
        crate::analysis::compact::compact(&mut wide);
        LineIndex {
            line_starts,
            len: text.len(),
            wide,
        }
    }

    /// The bytes saved by counting in `unit` over the wide characters
    /// that start before `offset`.
    fn saved_before(&self, offset: usize, unit: ColumnUnit) -> usize {
        let count = self.wide.partition_point(|w| (w.offset as usize) < offset);
        match (unit, count.checked_sub(1).map(|i| self.wide[i])) {
            (_, None) | (ColumnUnit::Utf8, _) => 0,
            (ColumnUnit::Utf16, Some(w)) => w.utf16_saved as usize,
            (ColumnUnit::Char, Some(w)) => w.chars_saved as usize,
        }
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// The byte range of line `line` including its line break, clamped to the
    /// last line.
    pub fn line_range(&self, line: usize) -> TextRange {
        let line = line.min(self.line_starts.len() - 1);
        let start = self.line_starts[line] as usize;
        let end = self
            .line_starts
            .get(line + 1)
            .map_or(self.len, |&next| next as usize);
        TextRange::new(start, end)
    }

    /// The zero-based line holding `offset` (clamped to the text).
    pub fn line_of(&self, offset: usize) -> usize {
        let offset = offset.min(self.len);
        self.line_starts
            .partition_point(|&start| start as usize <= offset)
            - 1
    }

    /// The line and column of `offset`, counting columns in `unit`. An offset
    /// past the end or inside a character is moved back to a boundary.
    pub fn line_col(&self, text: &str, offset: usize, unit: ColumnUnit) -> LineCol {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self.line_of(offset);
        let start = self.line_starts[line] as usize;
        // Bytes, less what the wide characters between the line start and
        // the offset save in `unit`.
        let col =
            (offset - start) - (self.saved_before(offset, unit) - self.saved_before(start, unit));
        LineCol {
            line: line as u32,
            col: col as u32,
        }
    }

    /// The byte offset of a line and column counted in `unit`. Positions past
    /// the end of a line are clamped to the line's end (before its line
    /// break), positions past the last line to the end of the text, and
    /// positions inside a character to that character's start.
    pub fn offset(&self, text: &str, pos: LineCol, unit: ColumnUnit) -> usize {
        let line = pos.line as usize;
        if line >= self.line_starts.len() {
            return text.len();
        }
        let range = self.line_range(line);
        let content = text[range.to_range()].trim_end_matches(['\n', '\r']);
        let mut remaining = pos.col as usize;
        for (i, ch) in content.char_indices() {
            let width = match unit {
                ColumnUnit::Utf8 => ch.len_utf8(),
                ColumnUnit::Utf16 => ch.len_utf16(),
                ColumnUnit::Char => 1,
            };
            if remaining < width {
                return range.start() + i;
            }
            remaining -= width;
        }
        range.start() + content.len()
    }
}

/// The largest char boundary at or before `offset`.
pub fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roundtrip(text: &str, unit: ColumnUnit) {
        let index = LineIndex::new(text);
        for (offset, _) in text.char_indices() {
            let pos = index.line_col(text, offset, unit);
            let back = index.offset(text, pos, unit);
            let on_break = matches!(text.as_bytes()[offset], b'\n' | b'\r');
            if !on_break {
                assert_eq!(back, offset, "{text:?} at {offset} ({unit:?})");
            }
        }
    }

    /// The column of `offset` counted the slow way, from the line start.
    fn naive_col(text: &str, index: &LineIndex, offset: usize, unit: ColumnUnit) -> u32 {
        let prefix = &text[index.line_range(index.line_of(offset)).start()..offset];
        (match unit {
            ColumnUnit::Utf8 => prefix.len(),
            ColumnUnit::Utf16 => prefix.chars().map(char::len_utf16).sum(),
            ColumnUnit::Char => prefix.chars().count(),
        }) as u32
    }

    #[test]
    fn columns_match_counting_from_the_line_start() {
        let text = "é😀 漢 x\r\nab😀😀\rcé\u{301}\n\n字 end";
        let index = LineIndex::new(text);
        for unit in [ColumnUnit::Utf8, ColumnUnit::Utf16, ColumnUnit::Char] {
            for (offset, _) in text.char_indices().chain([(text.len(), ' ')]) {
                let got = index.line_col(text, offset, unit);
                assert_eq!(
                    got.col,
                    naive_col(text, &index, offset, unit),
                    "{offset} {unit:?}"
                );
            }
        }
    }

    #[test]
    fn many_columns_on_one_long_line_are_found_without_walking_it() {
        // 300,000 IDs with a wide character between each: counting each
        // column from the line start would walk the 6 MB line 300,000 times.
        let text = "swe-feature-001 — ".repeat(300_000);
        let index = LineIndex::new(&text);
        let mut last = 0;
        for (n, (offset, _)) in text.match_indices("swe").enumerate() {
            let col = index.line_col(&text, offset, ColumnUnit::Utf16).col;
            assert_eq!(col as usize, n * 18);
            last = col;
        }
        assert_eq!(last as usize, 299_999 * 18);
    }

    #[test]
    fn columns_after_emoji_cjk_combining_marks_and_crlf() {
        let text = "a😀b\r\n漢字x\re\u{301}z\n";
        let index = LineIndex::new(text);
        assert_eq!(index.line_count(), 4);
        let b = text.find('b').unwrap();
        assert_eq!(
            index.line_col(text, b, ColumnUnit::Utf8),
            LineCol { line: 0, col: 5 }
        );
        assert_eq!(
            index.line_col(text, b, ColumnUnit::Utf16),
            LineCol { line: 0, col: 3 }
        );
        assert_eq!(
            index.line_col(text, b, ColumnUnit::Char),
            LineCol { line: 0, col: 2 }
        );
        let x = text.find('x').unwrap();
        assert_eq!(
            index.line_col(text, x, ColumnUnit::Utf16),
            LineCol { line: 1, col: 2 }
        );
        assert_eq!(
            index.line_col(text, x, ColumnUnit::Utf8),
            LineCol { line: 1, col: 6 }
        );
        let z = text.find('z').unwrap();
        assert_eq!(
            index.line_col(text, z, ColumnUnit::Utf16),
            LineCol { line: 2, col: 2 }
        );
        for unit in [ColumnUnit::Utf8, ColumnUnit::Utf16, ColumnUnit::Char] {
            roundtrip(text, unit);
        }
    }

    #[test]
    fn out_of_range_positions_are_clamped() {
        let text = "ab\r\ncd";
        let index = LineIndex::new(text);
        let far = LineCol { line: 0, col: 99 };
        assert_eq!(index.offset(text, far, ColumnUnit::Utf16), 2);
        let below = LineCol { line: 42, col: 0 };
        assert_eq!(index.offset(text, below, ColumnUnit::Utf8), text.len());
        // Inside the surrogate pair of an emoji: back to the emoji's start.
        let text = "😀x";
        let index = LineIndex::new(text);
        let mid = LineCol { line: 0, col: 1 };
        assert_eq!(index.offset(text, mid, ColumnUnit::Utf16), 0);
        assert_eq!(
            index.line_col(text, 2, ColumnUnit::Utf16),
            LineCol { line: 0, col: 0 }
        );
    }
}
