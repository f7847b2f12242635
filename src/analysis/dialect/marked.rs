//! Whole YAML documents read with saphyr's `MarkedYaml` (BMAD's
//! `sprint-status.yaml`, the milestone files): the byte offsets of the
//! character positions saphyr reports, the line an error is on, the range
//! of a scalar's text, and a bound on nesting checked before parsing, since
//! the reader recurses once per level.

use saphyr::Marker;

use crate::analysis::parse::{line_break, lines_in, trim_range};
use crate::analysis::text::TextRange;

/// How deep a document may nest before it is reported rather than read.
pub(crate) const MAX_NESTING: usize = 64;

/// Byte offsets of the character positions saphyr reports.
pub(crate) struct Offsets {
    starts: Option<Vec<usize>>,
    len: usize,
}

impl Offsets {
    pub(crate) fn new(text: &str) -> Offsets {
        Offsets {
            starts: (!text.is_ascii()).then(|| {
                text.char_indices()
                    .map(|(i, _)| i)
                    .chain([text.len()])
                    .collect()
            }),
            len: text.len(),
        }
    }

    pub(crate) fn byte(&self, marker: &Marker) -> usize {
        match &self.starts {
            None => marker.index().min(self.len),
            Some(starts) => starts.get(marker.index()).copied().unwrap_or(self.len),
        }
    }
}

/// The line holding `offset`, without its line break.
pub(crate) fn line_around(text: &str, offset: usize) -> TextRange {
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let end = line_break(&text[offset..]).map_or(text.len(), |i| offset + i);
    TextRange::new(start, end)
}

/// The range of a scalar's text: inside the quotes of a quoted one, and
/// without the comment after a plain one.
pub(crate) fn scalar_range(text: &str, range: TextRange) -> TextRange {
    let range = trim_range(text, range);
    let written = &text[range.start()..range.end()];
    match written.chars().next() {
        Some(quote @ ('"' | '\'')) => {
            let body = &written[1..];
            let mut close = None;
            let mut chars = body.char_indices().peekable();
            while let Some((i, c)) = chars.next() {
                if quote == '"' && c == '\\' {
                    chars.next();
                } else if c == quote {
                    if quote == '\'' && chars.peek().is_some_and(|(_, n)| *n == '\'') {
                        chars.next();
                        continue;
                    }
                    close = Some(i);
                    break;
                }
            }
            let close = close.unwrap_or(body.len());
            TextRange::new(range.start() + 1, range.start() + 1 + close)
        }
        _ => {
            let value = written.find(" #").map_or(written, |i| &written[..i]);
            TextRange::new(range.start(), range.start() + value.trim_end().len())
        }
    }
}

/// A bound on how deep YAML text nests, with the line where it is
/// reached: a nested block collection is indented further than its parent
/// or opens on its parent's line (`- - x`, `- a: b`), and a flow
/// collection is inside the brackets still open.
pub(crate) fn nesting(text: &str) -> (usize, TextRange) {
    let mut deepest = (0, TextRange::empty(0));
    let mut open: usize = 0;
    for line in lines_in(text, TextRange::new(0, text.len())) {
        let raw = &text[line.start()..line.end()];
        let body = raw.trim_start();
        if body.starts_with('#') {
            continue;
        }
        let indent = raw.len() - body.len();
        let body = body.find(" #").map_or(body, |i| &body[..i]);
        let bytes = body.as_bytes();
        let mut indicators = 0;
        let (mut opened, mut peak, before) = (0usize, 0usize, open);
        for (i, &b) in bytes.iter().enumerate() {
            match b {
                b'[' | b'{' => {
                    opened += 1;
                    peak = peak.max(opened);
                }
                b']' | b'}' if opened > 0 => opened -= 1,
                b']' | b'}' => open = open.saturating_sub(1),
                b'-' | b'?' | b':' if matches!(bytes.get(i + 1), None | Some(b' ' | b'\t')) => {
                    indicators += 1
                }
                _ => {}
            }
        }
        let depth = indent + indicators + before + peak;
        open += opened;
        if depth > deepest.0 {
            deepest = (depth, trim_range(text, line));
        }
    }
    deepest
}
