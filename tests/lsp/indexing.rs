//! Requests that arrive while a 10,000-issue workspace is still being
//! indexed: answers that would write wait for the index (or refuse), read
//! answers are complete or say they are partial, nothing calls an existing
//! dependency missing, and the client is asked to refresh afterwards.

use std::path::Path;

use crate::support::{client_capabilities, issue, path_of, uri, write, Server};
use crate::tree::tempdir;
use serde_json::{json, Value};

/// How many issues the workspace holds.
const ISSUES: u32 = 10_000;

/// The issue every test edits: it depends on the last issue of the
/// workspace, which indexing reads late.
const OPENED: &str = "issues/backlog/swe-feature-001.md";

/// A workspace of `ISSUES` issues. Issue 001 depends on the last one;
/// twenty more issues depend on issue 500, the one renamed.
fn big_workspace(root: &Path) {
    for n in 2..=ISSUES {
        let deps = if (600..620).contains(&n) {
            "swe-feature-500".to_string()
        } else {
            "none".to_string()
        };
        write(
            root,
            &format!("issues/backlog/swe-feature-{n:03}.md"),
            &issue(&format!("Shipment task {n}"), &deps),
        );
    }
    let opened = issue(
        "Shipment list",
        &format!("swe-feature-{ISSUES}, swe-feature-500"),
    )
    .replace(
        "- [ ] The manager sees the shipment list with its status column\n",
        "- [ ] The manager sees the shipment list with its status column\n\
         - [ ] The manager filters the shipment list by carrier name\n",
    );
    write(root, OPENED, &opened);
}

/// Starts the server with indexing slowed down by `delay_ms`, so that
/// requests surely arrive while it runs, and opens issue 001.
fn start(root: &Path, caps: Value, delay_ms: u32) -> (Server, String) {
    let delay = delay_ms.to_string();
    let mut server = Server::start_with_env(
        root,
        &[
            ("PLANMARK_TEST_HOOKS", "1"),
            ("PLANMARK_TEST_INDEX_DELAY_MS", &delay),
        ],
    );
    server.initialize(json!({"processId": null, "rootUri": uri(root), "capabilities": caps}));
    let opened = server.open(&root.join(OPENED), 1);
    (server, opened)
}

fn indexed(server: &mut Server) -> bool {
    let status = server.request("planmark/status", Value::Null).unwrap();
    status["roots"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["indexed"] == json!(true))
}

/// The position of the first occurrence of `needle` in `text`, as UTF-16
/// line and character (ASCII text).
fn position_of(text: &str, needle: &str) -> Value {
    let at = text.find(needle).expect("the needle is in the text");
    let line = text[..at].matches('\n').count();
    let character = at - text[..at].rfind('\n').map_or(0, |n| n + 1);
    json!({"line": line, "character": character})
}

fn refresh_caps() -> Value {
    let mut caps = client_capabilities();
    caps["workspace"]["inlayHint"] = json!({"refreshSupport": true});
    caps["workspace"]["semanticTokens"] = json!({"refreshSupport": true});
    caps["workspace"]["codeLens"] = json!({"refreshSupport": true});
    caps["workspace"]["workspaceEdit"] = json!({
        "documentChanges": true,
        "resourceOperations": ["create", "rename", "delete"],
    });
    caps
}

#[test]
fn during_indexing_no_answer_is_made_from_a_partial_workspace() {
    let dir = tempdir();
    big_workspace(dir.path());
    let text = std::fs::read_to_string(dir.path().join(OPENED)).unwrap();
    let (mut server, opened) = start(dir.path(), refresh_caps(), 1500);
    let last = format!("swe-feature-{ISSUES}");
    assert!(!indexed(&mut server), "the index must still be running");

    // Read answers that can say they are partial do so.
    let field = position_of(&text, "**Dependencies:** ");
    let after_field =
        json!({"line": field["line"], "character": field["character"].as_u64().unwrap() + 18});
    let completion = server
        .request(
            "textDocument/completion",
            json!({"textDocument": {"uri": opened}, "position": after_field}),
        )
        .unwrap();
    if !completion.is_null() {
        assert_eq!(
            completion["isIncomplete"],
            json!(true),
            "completion during indexing must say it is partial"
        );
    }
    // Inlay hints and semantic tokens never call the unread dependency
    // missing.
    let hints = server
        .request(
            "textDocument/inlayHint",
            json!({"textDocument": {"uri": opened}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 40, "character": 0}}}),
        )
        .unwrap();
    assert!(
        !hints.to_string().contains("missing"),
        "inlay hints during indexing: {hints}"
    );
    let tokens = server
        .request(
            "textDocument/semanticTokens/full",
            json!({"textDocument": {"uri": opened}}),
        )
        .unwrap();
    let data = tokens["data"].as_array().cloned().unwrap_or_default();
    assert!(
        data.chunks(5).all(|t| t[4] == json!(0)),
        "no dangling modifier during indexing: {tokens}"
    );
    // Hover waits for the index: the last issue is known, not missing.
    let hover = server
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": opened}, "position": position_of(&text, &last)}),
        )
        .unwrap();
    assert!(
        hover
            .to_string()
            .contains(&format!("Shipment task {ISSUES}")),
        "hover: {hover}"
    );
    assert!(indexed(&mut server));
    // Every client that supports it is asked to refresh what it showed.
    for method in [
        "workspace/inlayHint/refresh",
        "workspace/semanticTokens/refresh",
        "workspace/codeLens/refresh",
    ] {
        server.wait_server_request(method);
    }
}

#[test]
fn a_rename_during_indexing_waits_and_edits_every_referrer() {
    let dir = tempdir();
    big_workspace(dir.path());
    let text = std::fs::read_to_string(dir.path().join(OPENED)).unwrap();
    let (mut server, opened) = start(dir.path(), refresh_caps(), 1500);
    assert!(!indexed(&mut server), "the index must still be running");
    // `swe-feature-700` is taken, but only indexing knows it.
    let taken = server.request(
        "textDocument/rename",
        json!({"textDocument": {"uri": opened}, "position": position_of(&text, "swe-feature-500"), "newName": "swe-feature-700"}),
    );
    let error = taken.expect_err("a taken ID is refused");
    assert!(error.to_string().contains("700"), "{error}");
    let edit = server
        .request(
            "textDocument/rename",
            json!({"textDocument": {"uri": opened}, "position": position_of(&text, "swe-feature-500"), "newName": "swe-feature-20000"}),
        )
        .unwrap();
    let changes = edit["documentChanges"].as_array().unwrap();
    let edited: Vec<&str> = changes
        .iter()
        .filter_map(|c| c["textDocument"]["uri"].as_str())
        .collect();
    // Issue 001, the twenty dependents, and the issue's own file.
    assert!(
        edited.len() >= 21,
        "{} files edited: {edited:?}",
        edited.len()
    );
    assert!(
        changes.iter().any(|c| c["kind"] == "rename"
            && c["newUri"]
                .as_str()
                .unwrap()
                .ends_with("swe-feature-20000.md")),
        "the file is renamed: {edit}"
    );
}

#[test]
fn a_code_action_during_indexing_never_creates_a_taken_file() {
    let dir = tempdir();
    big_workspace(dir.path());
    let text = std::fs::read_to_string(dir.path().join(OPENED)).unwrap();
    let (mut server, opened) = start(dir.path(), refresh_caps(), 1500);
    assert!(!indexed(&mut server), "the index must still be running");
    let criteria = position_of(&text, "- [ ] The manager filters");
    let actions = server
        .request(
            "textDocument/codeAction",
            json!({
                "textDocument": {"uri": opened},
                "range": {"start": criteria, "end": criteria},
                "context": {"diagnostics": []},
            }),
        )
        .unwrap();
    let actions = actions.as_array().cloned().unwrap_or_default();
    let mut created = Vec::new();
    for action in &actions {
        let changes = action["edit"]["documentChanges"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        for change in changes {
            if change["kind"] == "create" {
                let target = change["uri"].as_str().unwrap();
                assert!(!path_of(target).exists(), "creates a taken file: {target}");
                created.push(target.to_string());
            }
        }
    }
    // The split is offered once the index is read, numbered past every issue.
    if !actions.is_empty() {
        assert!(
            created
                .iter()
                .any(|c| c.ends_with(&format!("swe-feature-{}.md", ISSUES + 1))),
            "created: {created:?}"
        );
    }
}
