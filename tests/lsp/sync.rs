//! Text synchronisation over stdio: incremental and full edits applied in
//! wire order (a burst of 200 edits ends in the right text and a diagnostic
//! push for the last version), open documents overriding the disk, closed
//! ones falling back to it, and open documents analysed before the index
//! is done.

use crate::support::{boundaries, codes, issue, two_issues, write, Server};
use serde_json::{json, Value};

/// A deterministic pseudo-random sequence.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, bound: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % bound.max(1)
    }
}

/// The LSP (UTF-16) position of a byte offset.
fn utf16_position(text: &str, offset: usize) -> [u32; 2] {
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    let col: usize = before[start..].chars().map(char::len_utf16).sum();
    [line as u32, col as u32]
}

#[test]
fn a_burst_of_200_edits_is_applied_in_order() {
    let (dir, a, _) = two_issues();
    let mut server = Server::start(dir.path());
    server.initialize_root(dir.path());
    let mut text = std::fs::read_to_string(&a).unwrap();
    let uri = server.open_text(&a, 1, &text);
    let mut rng = Lcg(0x5eed);
    let inserts = ["x", "ab", "\n", "😀", "漢字", "e\u{301}", "", "- [ ] ok\n"];
    for version in 2..=201 {
        let cuts = boundaries(&text);
        let start = cuts[rng.next(cuts.len())];
        let end = *cuts
            .iter()
            .filter(|&&c| c >= start)
            .nth(rng.next(4))
            .unwrap_or(&start);
        let insert = inserts[rng.next(inserts.len())];
        let range = [utf16_position(&text, start), utf16_position(&text, end)];
        text.replace_range(start..end, insert);
        if version % 50 == 0 {
            // Full sync mixes with incremental edits.
            server.change_full(&uri, version, &text);
        } else {
            server.change(&uri, version, range, insert);
        }
    }
    assert_eq!(server.document_text(&uri).as_deref(), Some(text.as_str()));
    // Diagnostics follow, for the last version.
    let published = server.wait_published(&uri, |p| p["version"] == 201);
    assert_eq!(published["version"], 201);
}

#[test]
fn open_documents_override_the_disk_and_closing_falls_back_to_it() {
    let (dir, a, _) = two_issues();
    let mut server = Server::start(dir.path());
    server.initialize_root(dir.path());
    server.wait_indexed();
    let uri = server.open(&a, 1);
    let clean = server.wait_diagnostics(&uri, |d| d.is_empty());
    assert_eq!(clean["version"], 1);
    // An edit in the editor (not saved) adds a dangling dependency.
    let edited = issue("Shipment list", "swe-feature-404");
    server.change_full(&uri, 2, &edited);
    let found = server.wait_diagnostics(&uri, |d| !d.is_empty());
    assert_eq!(found["version"], 2);
    assert_eq!(codes(&found["diagnostics"]), ["dangling-dependency"]);
    // Changes on disk do not matter while the document is open.
    std::fs::write(&a, issue("Shipment list", "swe-feature-405")).unwrap();
    server.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri, "type": 2}]}),
    );
    server.settle();
    let message = server.diagnostics[&uri]["diagnostics"][0]["message"].clone();
    assert!(
        message.as_str().unwrap().contains("swe-feature-404"),
        "{message}"
    );
    // Closing reads the disk again: now 405 dangles.
    server.close(&uri);
    server.wait_diagnostics(&uri, |d| {
        d.len() == 1
            && d[0]["message"]
                .as_str()
                .unwrap()
                .contains("swe-feature-405")
    });
    assert_eq!(server.document_text(&uri), None);
}

#[test]
fn open_documents_are_analysed_before_the_index_is_done() {
    let (dir, a, _) = two_issues();
    write(
        dir.path(),
        "issues/backlog/swe-feature-003.md",
        &issue("Carrier list", "none"),
    );
    let mut server = Server::start_with_env(
        dir.path(),
        &[
            ("PLANMARK_TEST_HOOKS", "1"),
            ("PLANMARK_TEST_INDEX_DELAY_MS", "1500"),
        ],
    );
    server.initialize_root(dir.path());
    // No acceptance criteria (found in the file alone) and a dependency
    // on 003 (which only the index knows).
    let text = "# Shipment list\n\n**Type:** feature\n**Expert:** swe\n**Milestone:** M1\n**Status:** backlog\n\n\
                ## User Story\n\nAs a warehouse manager, I need a list so that I can ship.\n\n\
                **Dependencies:** swe-feature-003, swe-feature-404\n";
    let uri = server.open_text(&a, 1, text);
    let early = server.wait_diagnostics(&uri, |d| !d.is_empty());
    let status = server.request("planmark/status", Value::Null).unwrap();
    assert_eq!(status["roots"][0]["indexed"], false, "{status}");
    // Cross-file findings wait for the index.
    assert_eq!(
        codes(&early["diagnostics"]),
        ["missing-acceptance-criteria"]
    );
    // Once indexed: 404 dangles, 003 resolves.
    let late = server.wait_diagnostics(&uri, |d| d.len() == 2);
    assert_eq!(
        codes(&late["diagnostics"]),
        ["missing-acceptance-criteria", "dangling-dependency"]
    );
    let message = late["diagnostics"][1]["message"].as_str().unwrap();
    assert!(message.contains("swe-feature-404"), "{message}");
    assert_eq!(server.wait_indexed()["roots"][0]["indexRuns"], 1);
}
