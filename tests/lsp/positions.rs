//! Positions over stdio in both encodings: UTF-8 when the client offers it,
//! UTF-16 otherwise. Columns after emoji, CJK and combining marks, lines
//! ended by CRLF and lone CR, in diagnostics and in edits; positions out of
//! range clamp instead of failing.

use crate::support::{client_capabilities, uri, write, Server};
use serde_json::{json, Value};

/// An issue with CRLF line ends whose dangling dependency follows an emoji,
/// a CJK character and an `e` with a combining acute accent.
const ISSUE: &str = "# Title 😀 漢字 e\u{301}\r\n\r\n**Type:** feature\r\n**Expert:** swe\r\n**Milestone:** M1\r\n**Status:** backlog\r\n\r\n## User Story\r\n\r\nAs a warehouse manager, I need X so that I can Y.\r\n\r\n## Acceptance Criteria\r\n\r\n- [ ] Manager sees a list\r\n\r\n## Technical Notes\r\n\r\n**Dependencies:** 😀漢e\u{301} swe-feature-999\r\n";

/// Text for edits: an emoji, CJK after a CRLF, a combining mark after a
/// lone CR.
const NOTES: &str = "a😀b\r\n漢字x\re\u{301}z\n";

fn start(encodings: Option<&[&str]>) -> (tempfile::TempDir, Server, Value) {
    let dir = crate::tree::tempdir();
    write(dir.path(), "issues/backlog/swe-feature-001.md", ISSUE);
    let mut caps = client_capabilities();
    if let Some(encodings) = encodings {
        caps["general"] = json!({"positionEncodings": encodings});
    }
    let mut server = Server::start(dir.path());
    let result = server.initialize(json!({
        "processId": null,
        "rootUri": uri(dir.path()),
        "capabilities": caps,
    }));
    (dir, server, result)
}

fn dangling_range(server: &mut Server, dir: &std::path::Path) -> Value {
    let uri = uri(&dir.join("issues/backlog/swe-feature-001.md"));
    let published = server.wait_diagnostics(&uri, |d| !d.is_empty());
    let d = published["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "dangling-dependency")
        .cloned()
        .expect("a dangling dependency");
    d["range"].clone()
}

#[test]
fn utf16_columns_count_surrogate_pairs_and_combining_marks() {
    let (dir, mut server, result) = start(None);
    assert_eq!(result["capabilities"]["positionEncoding"], "utf-16");
    // `**Dependencies:** ` is 18 units; 😀 2, 漢 1, e 1, U+0301 1, space 1.
    assert_eq!(
        dangling_range(&mut server, dir.path()),
        crate::support::lsp_range([[17, 24], [17, 39]])
    );
}

#[test]
fn utf8_columns_count_bytes_when_the_client_offers_utf8() {
    let (dir, mut server, result) = start(Some(&["utf-16", "utf-8"]));
    assert_eq!(result["capabilities"]["positionEncoding"], "utf-8");
    // 😀 4 bytes, 漢 3, e 1, U+0301 2, space 1.
    assert_eq!(
        dangling_range(&mut server, dir.path()),
        crate::support::lsp_range([[17, 29], [17, 44]])
    );
}

#[test]
fn utf32_alone_falls_back_to_utf16() {
    let (_dir, _server, result) = start(Some(&["utf-32"]));
    assert_eq!(result["capabilities"]["positionEncoding"], "utf-16");
}

/// Applies edits (each a position and an insertion) one by one and
/// returns the server's text.
fn edit(server: &mut Server, path: &std::path::Path, edits: &[([u32; 2], &str)]) -> String {
    let uri = server.open_text(path, 1, NOTES);
    for (i, (at, text)) in edits.iter().enumerate() {
        server.change(&uri, i as i32 + 2, [*at, *at], text);
    }
    server.document_text(&uri).unwrap()
}

#[test]
fn utf16_edits_land_after_emoji_cjk_combining_marks_and_crlf() {
    let (dir, mut server, _) = start(None);
    let notes = dir.path().join("notes.md");
    let text = edit(
        &mut server,
        &notes,
        &[
            ([0, 3], "X"),  // after 😀 (two units)
            ([1, 2], "Y"),  // after 漢字, on the line after CRLF
            ([2, 2], "Z"),  // after e + U+0301, on the line after a lone CR
            ([0, 2], "@"),  // inside 😀's surrogate pair: before it
            ([0, 99], "!"), // past the line's end: before its CRLF
            ([99, 9], "$"), // past the last line: at the end
        ],
    );
    assert_eq!(text, "a@😀Xb!\r\n漢字Yx\re\u{301}Zz\n$");
}

#[test]
fn utf8_edits_land_after_emoji_cjk_combining_marks_and_crlf() {
    let (dir, mut server, _) = start(Some(&["utf-8"]));
    let notes = dir.path().join("notes.md");
    let text = edit(
        &mut server,
        &notes,
        &[
            ([0, 5], "X"),  // after 😀 (four bytes)
            ([1, 6], "Y"),  // after 漢字
            ([2, 3], "Z"),  // after e + U+0301
            ([0, 3], "@"),  // inside 😀's bytes: before it
            ([0, 99], "!"), // past the line's end
            ([99, 0], "$"), // past the last line
        ],
    );
    assert_eq!(text, "a@😀Xb!\r\n漢字Yx\re\u{301}Zz\n$");
}

#[test]
fn reversed_and_far_out_ranges_do_not_break_the_server() {
    let (dir, mut server, _) = start(None);
    let notes = dir.path().join("notes.md");
    let uri = server.open_text(&notes, 1, NOTES);
    // A reversed range inserts at its start; a huge one deletes to the end.
    server.change(&uri, 2, [[1, 2], [0, 1]], "R");
    server.change(&uri, 3, [[2, 1], [4_000_000, 4_000_000]], "");
    assert_eq!(server.document_text(&uri).unwrap(), "a😀b\r\n漢字Rx\re");
    assert!(server.request("planmark/status", Value::Null).is_ok());
}
