//! Property test of incremental sync over stdio: random sequences of range
//! edits (next to emoji, CJK, combining marks, lone CRs and CRLF pairs,
//! several per `didChange`, now and then a full replacement) sent to the
//! real server give the same text as applying them to a plain string, in
//! both position encodings. The final text is read back with
//! `planmark/documentText`.
//!
//! The reference semantics, from the LSP specification and the server's
//! documented clamping:
//!
//! - lines end at `\n`, `\r\n` or `\r`; a CRLF pair is one line break;
//! - a column counts UTF-16 code units, or bytes when UTF-8 was
//!   negotiated;
//! - a column inside a character (the second half of a surrogate pair, a
//!   byte inside a multi-byte UTF-8 sequence) means the start of that
//!   character;
//! - a column past the end of a line means the end of the line, before its
//!   line break (so no position is ever between the CR and the LF of a
//!   pair);
//! - a line past the last line means the end of the text;
//! - a range whose end comes before its start is empty, at its start.
//!
//! Most generated positions are valid; some are inside a character, past a
//! line's end, or past the last line, and are expected to clamp as above.

use std::cell::RefCell;

use crate::support::{boundaries, lsp_range, uri, Server};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use serde_json::{json, Value};

#[derive(Clone, Copy, Debug, PartialEq)]
enum Enc {
    Utf8,
    Utf16,
}

impl Enc {
    fn width(self, ch: char) -> u32 {
        match self {
            Enc::Utf8 => ch.len_utf8() as u32,
            Enc::Utf16 => ch.len_utf16() as u32,
        }
    }
}

/// The byte offsets where lines start: after each `\n`, each `\r` not
/// followed by `\n`, and at 0.
fn line_starts(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut starts = vec![0];
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')) {
            starts.push(i + 1);
        }
    }
    starts
}

/// The reference conversion of an LSP position to a byte offset, with the
/// clamping described at the top of this file.
fn offset_of(text: &str, [line, col]: [u32; 2], enc: Enc) -> usize {
    let starts = line_starts(text);
    let Some(&start) = starts.get(line as usize) else {
        return text.len();
    };
    let mut offset = start;
    let mut remaining = col;
    for ch in text[start..].chars() {
        if ch == '\n' || ch == '\r' {
            break;
        }
        let width = enc.width(ch);
        if remaining < width {
            break;
        }
        remaining -= width;
        offset += ch.len_utf8();
    }
    offset
}

/// The LSP position of a byte offset (a char boundary).
fn position_of(text: &str, offset: usize, enc: Enc) -> [u32; 2] {
    let starts = line_starts(text);
    let line = starts.partition_point(|&s| s <= offset) - 1;
    let col = text[starts[line]..offset]
        .chars()
        .map(|c| enc.width(c))
        .sum();
    [line as u32, col]
}

/// The width of line `line` without its line break.
fn line_width(text: &str, line: usize, enc: Enc) -> u32 {
    let start = line_starts(text)[line];
    text[start..]
        .chars()
        .take_while(|&c| c != '\n' && c != '\r')
        .map(|c| enc.width(c))
        .sum()
}

/// A position to be resolved against the text at the time of the edit.
#[derive(Clone, Debug)]
enum Pos {
    /// A char boundary, picked by index (mostly valid; between CR and LF
    /// it clamps).
    Boundary(usize),
    /// One unit into a character wider than one unit.
    InsideChar(usize),
    /// Past the end of the line of a boundary.
    PastLineEnd(usize, u32),
    /// Past the last line.
    PastLastLine(u32, u32),
}

#[derive(Clone, Debug)]
enum End {
    /// This many chars after the start (clamped to the text).
    Forward(usize),
    /// Anywhere, possibly before the start.
    At(Pos),
}

#[derive(Clone, Debug)]
enum Change {
    Range(Pos, End, String),
    Full(String),
}

const PIECES: &[&str] = &[
    "a", "b", " ", "\n", "\r\n", "\r", "😀", "漢", "字", "e\u{301}", "\u{301}", "#", "- [ ] ",
    "👍🏽", "\u{200d}",
];

fn text_strategy(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..max).prop_map(|p| p.concat())
}

fn pos_strategy() -> impl Strategy<Value = Pos> {
    prop_oneof![
        12 => any::<usize>().prop_map(Pos::Boundary),
        3 => any::<usize>().prop_map(Pos::InsideChar),
        2 => (any::<usize>(), 0u32..1000).prop_map(|(b, x)| Pos::PastLineEnd(b, x)),
        1 => (0u32..3, prop_oneof![0u32..5, Just(u32::MAX)]).prop_map(|(l, c)| Pos::PastLastLine(l, c)),
    ]
}

fn change_strategy() -> impl Strategy<Value = Change> {
    let end = prop_oneof![
        4 => (0usize..6).prop_map(End::Forward),
        1 => pos_strategy().prop_map(End::At),
    ];
    prop_oneof![
        30 => (pos_strategy(), end, text_strategy(4)).prop_map(|(s, e, t)| Change::Range(s, e, t)),
        1 => text_strategy(12).prop_map(Change::Full),
    ]
}

/// The position `pos` names in `text`.
fn resolve(text: &str, pos: &Pos, enc: Enc) -> [u32; 2] {
    let cuts = boundaries(text);
    match *pos {
        Pos::Boundary(i) => position_of(text, cuts[i % cuts.len()], enc),
        Pos::InsideChar(i) => {
            let chars: Vec<(usize, char)> = text.char_indices().collect();
            let wide = (0..chars.len())
                .map(|k| chars[(i + k) % chars.len()])
                .find(|&(_, c)| enc.width(c) > 1);
            match wide {
                Some((offset, _)) => {
                    let [line, col] = position_of(text, offset, enc);
                    [line, col + 1]
                }
                None => position_of(text, cuts[i % cuts.len()], enc),
            }
        }
        Pos::PastLineEnd(i, extra) => {
            let [line, _] = position_of(text, cuts[i % cuts.len()], enc);
            [line, line_width(text, line as usize, enc) + 1 + extra]
        }
        Pos::PastLastLine(l, c) => [line_starts(text).len() as u32 + l, c],
    }
}

/// Applies `change` to the model and returns the LSP content change.
fn apply(text: &mut String, change: &Change, enc: Enc) -> Value {
    match change {
        Change::Full(new) => {
            *text = new.clone();
            json!({"text": new})
        }
        Change::Range(start, end, insert) => {
            let start = resolve(text, start, enc);
            let start_offset = offset_of(text, start, enc);
            let end = match end {
                End::Forward(n) => {
                    let offset = text[start_offset..]
                        .char_indices()
                        .map(|(i, _)| start_offset + i)
                        .chain([text.len()])
                        .nth(*n)
                        .unwrap_or(text.len());
                    position_of(text, offset, enc)
                }
                End::At(pos) => resolve(text, pos, enc),
            };
            let end_offset = offset_of(text, end, enc).max(start_offset);
            text.replace_range(start_offset..end_offset, insert);
            json!({"range": lsp_range([start, end]), "text": insert})
        }
    }
}

fn encoding_name(enc: Enc) -> &'static str {
    match enc {
        Enc::Utf8 => "utf-8",
        Enc::Utf16 => "utf-16",
    }
}

fn start(enc: Enc) -> (tempfile::TempDir, Server) {
    let dir = crate::tree::tempdir();
    let mut server = Server::start(dir.path());
    let encodings = match enc {
        Enc::Utf8 => json!(["utf-8", "utf-16"]),
        Enc::Utf16 => json!(["utf-16"]),
    };
    let result = server.initialize(json!({
        "processId": null,
        "rootUri": uri(dir.path()),
        "capabilities": {"general": {"positionEncodings": encodings}},
    }));
    assert_eq!(
        result["capabilities"]["positionEncoding"],
        encoding_name(enc)
    );
    (dir, server)
}

fn run(enc: Enc) {
    let (dir, server) = start(enc);
    let server = RefCell::new(server);
    let counter = RefCell::new(0u32);
    let mut runner = TestRunner::new(Config {
        cases: 256,
        max_shrink_iters: 2_000,
        failure_persistence: None,
        ..Config::default()
    });
    // (initial text, batches of changes: each batch is one didChange)
    let strategy = (
        text_strategy(40),
        prop::collection::vec(prop::collection::vec(change_strategy(), 1..4), 1..16),
    );
    let result = runner.run(&strategy, |(initial, batches)| {
        let mut server = server.borrow_mut();
        let mut n = counter.borrow_mut();
        *n += 1;
        let path = dir.path().join(format!("notes/case-{n}.md"));
        let doc = server.open_text(&path, 1, &initial);
        let mut text = initial.clone();
        for (version, batch) in batches.iter().enumerate() {
            let changes: Vec<Value> = batch.iter().map(|c| apply(&mut text, c, enc)).collect();
            server.notify(
                "textDocument/didChange",
                json!({
                    "textDocument": {"uri": doc, "version": version + 2},
                    "contentChanges": changes,
                }),
            );
        }
        let got = server.document_text(&doc);
        server.close(&doc);
        prop_assert_eq!(got.as_deref(), Some(text.as_str()));
        Ok::<(), TestCaseError>(())
    });
    if let Err(err) = result {
        panic!("{enc:?}: {err}");
    }
    let status = server
        .borrow_mut()
        .request("planmark/status", Value::Null)
        .unwrap();
    assert_eq!(status["positionEncoding"], encoding_name(enc));
}

#[test]
fn random_range_edits_match_a_plain_string_in_utf16() {
    run(Enc::Utf16);
}

#[test]
fn random_range_edits_match_a_plain_string_in_utf8() {
    run(Enc::Utf8);
}

#[test]
fn the_reference_clamps_as_specified() {
    let text = "a😀b\r\n漢字x\re\u{301}z\n";
    // Inside the emoji: its start.
    assert_eq!(offset_of(text, [0, 2], Enc::Utf16), 1);
    assert_eq!(offset_of(text, [0, 3], Enc::Utf8), 1);
    // Past the end of a CRLF line: before the CR.
    assert_eq!(offset_of(text, [0, 99], Enc::Utf16), 6);
    // A lone CR ends a line.
    assert_eq!(
        offset_of(text, [2, 1], Enc::Utf16),
        text.find('e').unwrap() + 1
    );
    // Past the last line (line 3 is the empty one after the final LF).
    assert_eq!(offset_of(text, [3, 7], Enc::Utf8), text.len());
    assert_eq!(offset_of(text, [4, 0], Enc::Utf8), text.len());
    assert_eq!(line_starts(text).len(), 4);
    // Every boundary round-trips, except between CR and LF.
    for offset in boundaries(text) {
        for enc in [Enc::Utf8, Enc::Utf16] {
            let back = offset_of(text, position_of(text, offset, enc), enc);
            if offset == 7 {
                assert_eq!(back, 6, "between CR and LF");
            } else {
                assert_eq!(back, offset, "{offset} {enc:?}");
            }
        }
    }
}
