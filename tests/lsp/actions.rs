//! Code actions over stdio, as an editor uses them: a split requested and
//! applied through the real binary (with file operations in the workspace
//! edit), and the `planmark.applyChanges` fallback for a client without
//! them, which must create the file on disk, never overwrite one and never
//! write outside the root.

use std::path::Path;

use crate::support::{codes, path_of, uri, write, Server};
use serde_json::{json, Value};

/// An issue with nine criteria, an issue depending on it, and the index.
fn oversized_workspace() -> tempfile::TempDir {
    let dir = crate::tree::tempdir();
    let criteria: String = (1..=9)
        .map(|n| format!("- [ ] The support agent sees result {n} of the queue\n"))
        .collect();
    write(
        dir.path(),
        "issues/backlog/swe-feature-001.md",
        &format!(
            "# Exception queue\n\n**Type:** feature\n**Expert:** swe\n**Milestone:** M1\n**Status:** backlog\n\n\
             ## User Story\n\nAs a support agent, I need one queue so that I can resolve exceptions.\n\n\
             ## Acceptance Criteria\n\n{criteria}\n## Technical Notes\n\n**Dependencies:** none\n"
        ),
    );
    write(
        dir.path(),
        "issues/backlog/swe-feature-002.md",
        &crate::support::issue("Queue filters", "swe-feature-001"),
    );
    write(
        dir.path(),
        "issues/issues-list.md",
        "| File | Title | Status |\n|------|-------|--------|\n| swe-feature-001 | Exception queue | backlog |\n| swe-feature-002 | Queue filters | backlog |\n",
    );
    dir
}

fn capabilities(file_operations: bool) -> Value {
    let mut caps = crate::support::client_capabilities();
    if file_operations {
        caps["workspace"]["workspaceEdit"] = json!({
            "documentChanges": true,
            "resourceOperations": ["create", "rename", "delete"],
        });
    }
    caps
}

fn start(dir: &Path, file_operations: bool) -> Server {
    start_with(dir, capabilities(file_operations))
}

fn start_with(dir: &Path, capabilities: Value) -> Server {
    let mut server = Server::start(dir);
    server
        .replies
        .insert("workspace/applyEdit".into(), json!({"applied": true}));
    server.initialize(json!({
        "processId": null,
        "rootUri": uri(dir),
        "capabilities": capabilities,
    }));
    server.wait_indexed();
    server
}

/// The offset of an LSP position in ASCII text.
fn offset(text: &str, pos: &Value) -> usize {
    let line = pos["line"].as_u64().unwrap() as usize;
    let character = pos["character"].as_u64().unwrap() as usize;
    let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
    start + character
}

fn apply_text_edits(text: &str, edits: &[Value]) -> String {
    let mut edits: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|e| {
            (
                offset(text, &e["range"]["start"]),
                offset(text, &e["range"]["end"]),
                e["newText"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    let mut out = text.to_string();
    for (start, end, new) in edits {
        out.replace_range(start..end, &new);
    }
    out
}

/// Applies a workspace edit to the disk, as an editor would.
fn apply_workspace_edit(edit: &Value) -> Vec<std::path::PathBuf> {
    let mut touched = Vec::new();
    if let Some(ops) = edit["documentChanges"].as_array() {
        for op in ops {
            match op["kind"].as_str() {
                Some("create") => {
                    let path = path_of(op["uri"].as_str().unwrap());
                    assert_eq!(op["options"]["overwrite"], json!(false));
                    assert!(!path.exists(), "create would overwrite {}", path.display());
                    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                    std::fs::write(&path, "").unwrap();
                    touched.push(path);
                }
                Some("rename") => {
                    let (from, to) = (
                        path_of(op["oldUri"].as_str().unwrap()),
                        path_of(op["newUri"].as_str().unwrap()),
                    );
                    assert!(!to.exists());
                    std::fs::create_dir_all(to.parent().unwrap()).unwrap();
                    std::fs::rename(&from, &to).unwrap();
                    touched.extend([from, to]);
                }
                Some(other) => panic!("unexpected operation {other}"),
                None => {
                    let path = path_of(op["textDocument"]["uri"].as_str().unwrap());
                    let text = std::fs::read_to_string(&path).unwrap();
                    std::fs::write(
                        &path,
                        apply_text_edits(&text, op["edits"].as_array().unwrap()),
                    )
                    .unwrap();
                    touched.push(path);
                }
            }
        }
    }
    if let Some(changes) = edit["changes"].as_object() {
        for (uri, edits) in changes {
            let path = path_of(uri);
            let text = std::fs::read_to_string(&path).unwrap();
            std::fs::write(&path, apply_text_edits(&text, edits.as_array().unwrap())).unwrap();
            touched.push(path);
        }
    }
    touched
}

fn code_actions(server: &mut Server, path: &Path, line: u32) -> Vec<Value> {
    let result = server
        .request(
            "textDocument/codeAction",
            json!({
                "textDocument": {"uri": uri(path)},
                "range": crate::support::lsp_range([[line, 2], [line, 2]]),
                "context": {"diagnostics": []},
            }),
        )
        .unwrap();
    result.as_array().cloned().unwrap_or_default()
}

fn watched(server: &mut Server, paths: &[std::path::PathBuf]) {
    let changes: Vec<Value> = paths
        .iter()
        .map(|p| json!({"uri": uri(p), "type": if p.exists() { 2 } else { 3 }}))
        .collect();
    server.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": changes}),
    );
}

#[test]
fn split_requested_and_applied_with_file_operations() {
    let dir = oversized_workspace();
    let mut server = start(dir.path(), true);
    let original = dir.path().join("issues/backlog/swe-feature-001.md");
    let original_uri = uri(&original);
    server.wait_diagnostics(&original_uri, |d| {
        codes(&json!(d)).contains(&"oversized-issue".to_string())
    });
    let actions = code_actions(&mut server, &original, 0);
    let split = actions
        .iter()
        .find(|a| {
            a["title"]
                .as_str()
                .unwrap()
                .starts_with("Split issue: move 4 criteria to `swe-feature-003`")
        })
        .unwrap_or_else(|| panic!("no split in {actions:#?}"));
    assert_eq!(split["kind"], "quickfix");
    assert_eq!(split["isPreferred"], true);
    let touched = apply_workspace_edit(&split["edit"]);
    let created = dir.path().join("issues/backlog/swe-feature-003.md");
    assert!(created.exists());
    let new_text = std::fs::read_to_string(&created).unwrap();
    assert!(
        new_text.starts_with("# Exception queue (part 2)\n"),
        "{new_text}"
    );
    assert!(new_text.contains("**Dependencies:** swe-feature-001"));
    let dependent =
        std::fs::read_to_string(dir.path().join("issues/backlog/swe-feature-002.md")).unwrap();
    assert!(dependent.contains("**Dependencies:** swe-feature-001, swe-feature-003"));
    watched(&mut server, &touched);
    server.wait_diagnostics(&original_uri, |d| {
        !codes(&json!(d)).contains(&"oversized-issue".to_string())
    });
    let index = uri(&dir.path().join("issues/issues-list.md"));
    server.settle();
    let errors: Vec<&Value> = server
        .diagnostics
        .get(&uri(&created))
        .and_then(|p| p["diagnostics"].as_array())
        .map(|d| d.iter().filter(|d| d["severity"] == 1).collect())
        .unwrap_or_default();
    assert!(errors.is_empty(), "{errors:?}");
    assert!(
        server.codes(&index).is_empty(),
        "{:?}",
        server.codes(&index)
    );
}

#[test]
fn a_client_announcing_resource_operations_without_document_changes_gets_them() {
    // Neovim 0.11 announces `create` and `rename` but not
    // `documentChanges: true`; it applies `documentChanges` with them.
    let dir = oversized_workspace();
    let mut server = start_with(dir.path(), crate::support::neovim_0_11_capabilities());
    let original = dir.path().join("issues/backlog/swe-feature-001.md");
    server.wait_diagnostics(&uri(&original), |d| {
        codes(&json!(d)).contains(&"oversized-issue".to_string())
    });
    let actions = code_actions(&mut server, &original, 0);
    let split = actions
        .iter()
        .find(|a| a["title"].as_str().unwrap().starts_with("Split issue"))
        .unwrap_or_else(|| panic!("no split in {actions:#?}"));
    assert!(split.get("command").is_none(), "{split}");
    let ops = split["edit"]["documentChanges"].as_array().unwrap();
    assert!(ops.iter().any(|op| op["kind"] == "create"), "{ops:?}");
    apply_workspace_edit(&split["edit"]);
    let created = dir.path().join("issues/backlog/swe-feature-003.md");
    assert!(std::fs::read_to_string(&created)
        .unwrap()
        .starts_with("# Exception queue (part 2)\n"));
}

#[test]
fn without_file_operations_the_server_creates_the_file() {
    let dir = oversized_workspace();
    let mut server = start(dir.path(), false);
    let original = dir.path().join("issues/backlog/swe-feature-001.md");
    server.wait_diagnostics(&uri(&original), |d| !d.is_empty());
    let actions = code_actions(&mut server, &original, 0);
    let split = actions
        .iter()
        .find(|a| a["title"].as_str().unwrap().starts_with("Split issue"))
        .unwrap_or_else(|| panic!("no split in {actions:#?}"));
    assert!(split.get("edit").is_none(), "{split}");
    let command = split["command"].clone();
    assert_eq!(command["command"], "planmark.applyChanges");
    let created = dir.path().join("issues/backlog/swe-feature-003.md");
    // A file planted where the new issue goes is never overwritten, and
    // nothing else is written.
    std::fs::write(&created, "mine\n").unwrap();
    let before = std::fs::read_to_string(&original).unwrap();
    let refused = server.request(
        "workspace/executeCommand",
        json!({"command": "planmark.applyChanges", "arguments": command["arguments"]}),
    );
    assert!(refused.is_err());
    assert_eq!(std::fs::read_to_string(&created).unwrap(), "mine\n");
    assert_eq!(std::fs::read_to_string(&original).unwrap(), before);
    std::fs::remove_file(&created).unwrap();
    // An editor that refuses the text edits gets no half change: the file
    // made for them is removed again, and the command fails with why.
    server.replies.insert(
        "workspace/applyEdit".into(),
        json!({"applied": false, "failureReason": "the document changed"}),
    );
    let refused = server
        .request(
            "workspace/executeCommand",
            json!({"command": "planmark.applyChanges", "arguments": command["arguments"]}),
        )
        .unwrap_err();
    let message = refused["message"].as_str().unwrap();
    assert!(
        message.contains("did not apply the text edits: the document changed")
            && message.contains("as they were"),
        "{message}"
    );
    assert!(!created.exists());
    assert_eq!(std::fs::read_to_string(&original).unwrap(), before);
    server
        .replies
        .insert("workspace/applyEdit".into(), json!({"applied": true}));
    server
        .request(
            "workspace/executeCommand",
            json!({"command": "planmark.applyChanges", "arguments": command["arguments"]}),
        )
        .unwrap();
    assert!(created.exists());
    assert!(std::fs::read_to_string(&created)
        .unwrap()
        .starts_with("# Exception queue (part 2)"));
    // The text edits come back as `workspace/applyEdit`.
    let request = server.wait_server_request("workspace/applyEdit");
    let touched = apply_workspace_edit(&request["params"]["edit"]);
    assert!(
        std::fs::read_to_string(&original)
            .unwrap()
            .lines()
            .filter(|l| l.starts_with("- [ ]"))
            .count()
            == 5
    );
    watched(&mut server, &touched);
    server.wait_diagnostics(&uri(&original), |d| {
        !codes(&json!(d)).contains(&"oversized-issue".to_string())
    });
}

#[test]
fn commands_never_write_outside_the_root() {
    let dir = oversized_workspace();
    let outside = crate::tree::tempdir();
    let mut server = start(dir.path(), false);
    let escape = outside.path().join("escape.md");
    let relative_escape = format!(
        "../{}/escape.md",
        outside.path().file_name().unwrap().to_string_lossy()
    );
    for rel in [
        relative_escape.as_str(),
        escape.to_str().unwrap(),
        "issues/../../escape.md",
    ] {
        let args = json!({"root": dir.path(), "ops": [{"op": "create", "rel": rel, "text": "x"}], "edit": null});
        let result = server.request(
            "workspace/executeCommand",
            json!({"command": "planmark.applyChanges", "arguments": [args]}),
        );
        assert!(result.is_err(), "{rel} was accepted");
    }
    // A root the server does not serve is refused too.
    let args = json!({"root": outside.path(), "ops": [{"op": "create", "rel": "x.md", "text": "x"}], "edit": null});
    assert!(server
        .request(
            "workspace/executeCommand",
            json!({"command": "planmark.applyChanges", "arguments": [args]})
        )
        .is_err());
    // A symlink out of the root is never followed.
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(outside.path(), dir.path().join("issues/planned")).unwrap();
        let args = json!({"root": dir.path(), "ops": [{"op": "create", "rel": "issues/planned/swe-feature-009.md", "text": "x"}], "edit": null});
        assert!(server
            .request(
                "workspace/executeCommand",
                json!({"command": "planmark.applyChanges", "arguments": [args]})
            )
            .is_err());
    }
    assert_eq!(std::fs::read_dir(outside.path()).unwrap().count(), 0);
    assert!(!escape.exists());
}

#[test]
fn edits_to_open_documents_carry_the_version_they_were_made_from() {
    let dir = oversized_workspace();
    let mut server = start(dir.path(), true);
    let original = dir.path().join("issues/backlog/swe-feature-001.md");
    let dependent = dir.path().join("issues/backlog/swe-feature-002.md");
    let original_uri = server.open(&original, 7);
    server.wait_diagnostics(&original_uri, |d| {
        codes(&json!(d)).contains(&"oversized-issue".to_string())
    });
    let actions = code_actions(&mut server, &original, 0);
    let split = actions
        .iter()
        .find(|a| a["title"].as_str().unwrap().starts_with("Split issue"))
        .unwrap_or_else(|| panic!("no split in {actions:#?}"));
    let changes = split["edit"]["documentChanges"].as_array().unwrap();
    let version_of = |target: &str| {
        changes
            .iter()
            .find(|c| c["textDocument"]["uri"] == json!(target))
            .map(|c| c["textDocument"]["version"].clone())
            .unwrap_or_else(|| panic!("no edit of {target} in {changes:#?}"))
    };
    // The open document names its version: after more typing, the client
    // can tell the action is stale and refuse it.
    assert_eq!(version_of(&original_uri), json!(7));
    // A file that is not open is edited on disk as it is.
    assert_eq!(version_of(&uri(&dependent)), Value::Null);
}

/// `planmark.applyChanges` moves (and rewrites) a file while another
/// program appends lines to it, each run at another moment of the move:
/// every line appended is in the moved file afterwards (or, when the move
/// was refused, in the file where it was), never lost with a copy.
#[test]
fn a_move_loses_no_concurrent_append() {
    const RUNS: usize = 300;
    let dir = oversized_workspace();
    let mut server = start(dir.path(), false);
    let base: String = (0..40).map(|n| format!("line {n}\n")).collect();
    let fixed = base.replacen("line 0", "line zero", 1);
    let (mut lost, mut moved) = (0, 0);
    for run in 0..RUNS {
        let from = format!("notes/a{run}.md");
        let to = format!("archive/a{run}.md");
        write(dir.path(), &from, &base);
        let source = dir.path().join(&from);
        let writer = {
            let source = source.clone();
            std::thread::spawn(move || {
                let mut appended = Vec::new();
                for k in 0..4u64 {
                    let pause = (run as u64 * 7919 + k * 104_729) % 3000;
                    std::thread::sleep(std::time::Duration::from_micros(pause));
                    let line = format!("appended {run} {k}\n");
                    // A file already moved cannot be appended to.
                    let done = std::fs::OpenOptions::new()
                        .append(true)
                        .open(&source)
                        .and_then(|mut f| std::io::Write::write_all(&mut f, line.as_bytes()));
                    if done.is_ok() {
                        appended.push(line);
                    }
                }
                appended
            })
        };
        let args = json!({"root": dir.path(), "ops": [{"op": "rename", "from": from, "to": to, "expected": base, "text": fixed}], "edit": null});
        let result = server.request(
            "workspace/executeCommand",
            json!({"command": "planmark.applyChanges", "arguments": [args]}),
        );
        let appended = writer.join().unwrap();
        let text = if result.is_ok() {
            moved += 1;
            assert!(!source.exists(), "run {run}");
            let text = std::fs::read_to_string(dir.path().join(&to)).unwrap();
            assert!(text.starts_with(&fixed), "run {run}: {text}");
            text
        } else {
            assert!(!dir.path().join(&to).exists(), "run {run}: {result:?}");
            std::fs::read_to_string(&source).unwrap()
        };
        lost += appended
            .iter()
            .filter(|l| !text.contains(l.as_str()))
            .count();
    }
    eprintln!("applyChanges: {moved} of {RUNS} moves made, {lost} appended lines lost");
    assert_eq!(lost, 0);
    // How many runs moved the file rather than finding it changed depends
    // on the machine's load; on a busy one the writer may win every run.
}

#[test]
fn unknown_value_added_to_planmark_toml_through_the_editor() {
    // planmark.toml is no planning file: the edit's positions come from the
    // configuration's own text, and the action must not be dropped.
    let dir = crate::tree::tempdir();
    let config = "# Project vocabulary.\n[vocabulary]\ndomains = [\"backend\"] # weave is new\n";
    write(dir.path(), "planmark.toml", config);
    write(
        dir.path(),
        "docs/stories/015-weaving.md",
        "# Story 015: Weaving\n\n**Status:** In Progress\n\n## Acceptance Criteria\n\n- [ ] Dispatcher sees the woven list\n\n## Tasks\n\n### 001: Step\n**Domain:** weave\n**Status:** pending\n**Depends on:** none\n",
    );
    let mut server = start(dir.path(), true);
    let story = dir.path().join("docs/stories/015-weaving.md");
    let story_uri = uri(&story);
    server.wait_diagnostics(&story_uri, |d| {
        codes(&json!(d)).contains(&"unknown-value".to_string())
    });
    // The cursor on `weave` (line 12, after `**Domain:** `).
    let actions = server
        .request(
            "textDocument/codeAction",
            json!({
                "textDocument": {"uri": story_uri},
                "range": crate::support::lsp_range([[11, 13], [11, 13]]),
                "context": {"diagnostics": []},
            }),
        )
        .unwrap();
    let actions = actions.as_array().cloned().unwrap_or_default();
    let add = actions
        .iter()
        .find(|a| a["title"] == "Add `weave` to `[vocabulary] domains` in planmark.toml")
        .unwrap_or_else(|| panic!("no vocabulary fix in {actions:#?}"));
    let touched = apply_workspace_edit(&add["edit"]);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("planmark.toml")).unwrap(),
        "# Project vocabulary.\n[vocabulary]\ndomains = [\"backend\", \"weave\"] # weave is new\n"
    );
    watched(&mut server, &touched);
    server.wait_diagnostics(&story_uri, |d| {
        !codes(&json!(d)).contains(&"unknown-value".to_string())
    });
}
