//! Milestone YAML over stdio: completion in a task's `dependencies`, hover
//! and definition on a dependency, and the diagnostics of a file that is
//! not valid YAML, published on the line where reading stopped.

use serde_json::{json, Value};

use crate::support::{client_capabilities, uri, write, Server};

const ONE: &str = "id: \"milestone-001\"\ntitle: \"语义安全层 ☕\"\nstatus: \"in_progress\"\nsuccess_criteria:\n  - \"通知 😀\"\ndependencies:\n  requires: []\n  enables: [\"milestone-002\", \"milestone-003\"]\ntasks:\n  - id: \"task-001\"\n    title: \"盲标\"\n    status: \"completed\"\n  - id: \"task-002\"\n    title: \"API\"\n    status: \"pending\"\n  - id: \"task-003\"\n    title: \"界面\"\n    status: \"pending\"\n    dependencies: [\"task-001\", ]\n";

const THREE: &str = "id: milestone-003\ntitle: Costs\nsuccess_criteria: [Reported]\ndependencies:\n  requires: [milestone-001]\n";

const TWO: &str = "# 旅程 😀\nid: \"milestone-002\"\ntitle: \"Journey\nstatus: pending\n";

/// The LSP position (UTF-16 columns) of `needle` in `text`, `delta` bytes
/// into it.
fn pos(text: &str, needle: &str, delta: usize) -> Value {
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in the text"))
        + delta;
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    json!({
        "line": text[..at].matches('\n').count(),
        "character": text[line_start..at].encode_utf16().count()
    })
}

#[test]
fn milestone_completion_hover_definition_and_syntax_over_stdio() {
    let dir = crate::tree::tempdir();
    let root = dir.path().to_path_buf();
    write(&root, ".milestones/active/milestone-001.yaml", ONE);
    write(&root, ".milestones/active/milestone-002.yaml", TWO);
    write(&root, ".milestones/active/milestone-003.yaml", THREE);
    let mut server = Server::start(&root);
    server.initialize(
        json!({"processId": null, "rootUri": uri(&root), "capabilities": client_capabilities()}),
    );
    server.wait_indexed();
    let one = server.open_text(&root.join(".milestones/active/milestone-001.yaml"), 1, ONE);
    let two = uri(&root.join(".milestones/active/milestone-002.yaml"));

    // Completion after the comma offers the tasks not listed yet (a task
    // depends on tasks, as the workflow's files write it), not the task
    // itself nor the milestones.
    assert_eq!(
        server.completion_labels(&one, pos(ONE, "\"task-001\", ]", 12)),
        ["task-002"]
    );

    // Hover on `task-001` in the list shows the task.
    let hover = server
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": one}, "position": pos(ONE, "[\"task-001\"", 3)}),
        )
        .unwrap();
    let markdown = hover["contents"]["value"].as_str().unwrap();
    assert!(
        markdown.contains("**milestone-001/task-001** · 盲标"),
        "{markdown}"
    );

    // Definition on `milestone-003` in `enables` reaches its file.
    let definition = server
        .request(
            "textDocument/definition",
            json!({"textDocument": {"uri": one}, "position": pos(ONE, "milestone-003", 2)}),
        )
        .unwrap();
    let target = if definition.is_array() {
        definition[0].clone()
    } else {
        definition
    };
    assert_eq!(
        target["uri"],
        uri(&root.join(".milestones/active/milestone-003.yaml"))
    );

    // The file that does not parse gets its finding on the line where
    // reading stopped (the unclosed quote runs to the end of the file).
    let published = server.wait_diagnostics(&two, |d| {
        d.iter().any(|d| d["code"] == "milestone-yaml-syntax")
    });
    assert_eq!(
        crate::support::codes(&published["diagnostics"]),
        ["milestone-yaml-syntax"]
    );
    let line = published["diagnostics"][0]["range"]["start"]["line"].clone();
    assert_eq!(line, 2, "{published}");
}
