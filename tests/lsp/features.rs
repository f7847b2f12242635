//! The editing features over stdio against the real binary, one test per
//! request type: completion, hover, definition, references, document
//! links, prepareRename and rename, document and workspace symbols,
//! folding ranges, code lenses and their command, inlay hints and semantic
//! tokens; plus columns after emoji and CJK in both encodings with CRLF,
//! bad params, and the editing facts being made once per version.

use std::path::PathBuf;

use crate::support::{client_capabilities, indexed, uri, write, Server};
use serde_json::{json, Value};

/// An issue of the fixture; line 0 is the title, 5 the status, 9 the user
/// story, 13 and 14 the criteria (one done) and 19 the dependencies.
fn issue(title: &str, expert: &str, status: &str, deps: &str) -> String {
    format!(
        "# {title}\n\n**Type:** feature\n**Expert:** {expert}\n**Milestone:** M1\n**Status:** {status}\n\n\
         ## User Story\n\nAs a warehouse manager, I need {title} so that I can ship parcels on time.\n\n\
         ## Acceptance Criteria\n\n- [x] The manager sees the list\n- [ ] The manager sees the status column\n\n\
         ## Technical Notes\n\n**Estimated effort:** Small session\n**Dependencies:** {deps}\n"
    )
}

const ROADMAP: &str = "# Roadmap\n\n| # | Milestone | Status | Depends On |\n|---|-----------|--------|------------|\n| M1 | Tracking core | In Progress | — |\n";

const INDEX: &str = "# Issues List\n\n| File | Title | Milestone | Prerequisites | Status |\n|------|-------|-----------|---------------|--------|\n\
| swe-feature-001 | Import shipments | M1 | none | done |\n\
| swe-feature-002 | Receive carrier webhooks | M1 | swe-feature-001 | done |\n\
| swe-feature-003 | Normalize carrier events | M1 | swe-feature-002 | backlog |\n\
| qa-feature-004 | Replay webhooks | M1 | swe-feature-003 | backlog |\n\
| swe-feature-005 | Parcel timeline | M1 | none | backlog |\n";

const STORY: &str = "# Story 015: Dispatcher sign-in\n\n**Status:** In Progress\n\n## Acceptance Criteria\n\n- [ ] Dispatcher receives a link\n\n## Tasks\n\n### 001: Magic-link endpoint\n**Domain:** backend\n**Status:** done\n**Depends on:** none\n\n";

struct Fixture {
    _dir: tempfile::TempDir,
    root: PathBuf,
    server: Server,
    init: Value,
}

impl Fixture {
    fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    fn uri(&self, rel: &str) -> String {
        uri(&self.path(rel))
    }

    /// Opens a file of the fixture with new text.
    fn open(&mut self, rel: &str, text: &str) -> String {
        let path = self.path(rel);
        self.server.open_text(&path, 1, text)
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        match self.server.request(method, params) {
            Ok(result) => result,
            Err(error) => panic!("{method} failed: {error}"),
        }
    }

    /// A request at a position of a document.
    fn at(&mut self, method: &str, uri: &str, position: Value) -> Value {
        self.request(
            method,
            json!({"textDocument": {"uri": uri}, "position": position}),
        )
    }
}

/// The fixture workspace, indexed, with a client whose capabilities are
/// the usual ones with `extra` merged in.
fn start(extra: Value, options: Value) -> Fixture {
    let dir = crate::tree::tempdir();
    let root = dir.path().to_path_buf();
    write(&root, "docs/roadmap.md", ROADMAP);
    write(
        &root,
        "issues/done/swe-feature-001.md",
        &issue("Import shipments", "swe", "done", "none"),
    );
    write(
        &root,
        "issues/done/swe-feature-002.md",
        &issue("Receive carrier webhooks", "swe", "done", "swe-feature-001"),
    );
    write(
        &root,
        "issues/backlog/swe-feature-003.md",
        &issue(
            "Normalize carrier events",
            "swe",
            "backlog",
            "swe-feature-002",
        ),
    );
    write(
        &root,
        "issues/backlog/qa-feature-004.md",
        &issue(
            "Replay webhooks",
            "qa",
            "backlog",
            "swe-feature-003, swe-feature-999",
        ),
    );
    write(
        &root,
        "issues/backlog/swe-feature-005.md",
        &issue("Parcel timeline", "swe", "backlog", "none"),
    );
    write(&root, "issues/issues-list.md", INDEX);
    write(&root, "docs/stories/015-login.md", STORY);
    let mut caps = client_capabilities();
    merge(&mut caps, extra);
    let mut server = Server::start(&root);
    let mut params = json!({"processId": null, "rootUri": uri(&root), "capabilities": caps});
    if !options.is_null() {
        params["initializationOptions"] = options;
    }
    let init = server.initialize(params);
    server.wait_indexed();
    Fixture {
        _dir: dir,
        root,
        server,
        init,
    }
}

fn merge(into: &mut Value, from: Value) {
    match (into, from) {
        (Value::Object(a), Value::Object(b)) => {
            for (k, v) in b {
                merge(a.entry(k).or_insert(Value::Null), v);
            }
        }
        (_, Value::Null) => {}
        (a, b) => *a = b,
    }
}

/// The position `delta` bytes after the first `needle` in `text`, whose
/// line must be ASCII up to there (so bytes are UTF-16 units).
fn pos(text: &str, needle: &str, delta: usize) -> Value {
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in the text"))
        + delta;
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    assert!(text[line_start..at].is_ascii());
    json!({"line": text[..at].matches('\n').count(), "character": at - line_start})
}

/// The text of an ASCII `range` of `text`.
fn slice<'a>(text: &'a str, range: &Value) -> &'a str {
    let offset = |p: &Value| {
        let line = p["line"].as_u64().unwrap() as usize;
        let start: usize = text.split('\n').take(line).map(|l| l.len() + 1).sum();
        start + p["character"].as_u64().unwrap() as usize
    };
    &text[offset(&range["start"])..offset(&range["end"])]
}

/// `text` with LSP text edits applied (ASCII lines).
fn apply(text: &str, edits: &[Value]) -> String {
    let mut edits: Vec<&Value> = edits.iter().collect();
    edits.sort_by_key(|e| {
        (
            e["range"]["start"]["line"].as_u64(),
            e["range"]["start"]["character"].as_u64(),
        )
    });
    let mut out = text.to_string();
    for e in edits.iter().rev() {
        let at = slice(text, &e["range"]);
        let start = at.as_ptr() as usize - text.as_ptr() as usize;
        out.replace_range(start..start + at.len(), e["newText"].as_str().unwrap());
    }
    out
}

fn labels(list: &Value) -> Vec<String> {
    list["items"]
        .as_array()
        .unwrap_or_else(|| panic!("a completion list: {list}"))
        .iter()
        .map(|i| i["label"].as_str().unwrap().to_string())
        .collect()
}

fn item<'a>(list: &'a Value, label: &str) -> &'a Value {
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["label"] == label)
        .unwrap_or_else(|| panic!("no {label} in {list}"))
}

#[test]
fn completion_of_ids_in_dependency_fields() {
    let mut f = start(Value::Null, Value::Null);
    let text = issue("Replay webhooks", "qa", "backlog", "swe-feature-003, swe-f");
    let uri = f.open("issues/backlog/qa-feature-004.md", &text);
    let list = f.at(
        "textDocument/completion",
        &uri,
        pos(&text, "swe-f\n", "swe-f".len()),
    );
    // Open before done; neither itself nor a dependency already listed.
    assert_eq!(
        labels(&list),
        ["swe-feature-005", "swe-feature-001", "swe-feature-002"]
    );
    let webhooks = item(&list, "swe-feature-002");
    assert_eq!(webhooks["detail"], "Receive carrier webhooks");
    assert_eq!(
        webhooks["filterText"],
        "swe-feature-002 Receive carrier webhooks"
    );
    assert_eq!(webhooks["documentation"]["kind"], "markdown");
    assert_eq!(
        webhooks["documentation"]["value"],
        "Status: done · Milestone: M1 · Criteria: 1/2 done"
    );
    assert_eq!(webhooks["insertTextFormat"], 1);
    let edit = &webhooks["textEdit"];
    assert_eq!(slice(&text, &edit["range"]), "swe-f");
    assert_eq!(edit["newText"], "swe-feature-002");

    // Title words find an ID.
    let text = issue("Replay webhooks", "qa", "backlog", "webhook");
    f.server.change_full(&uri, 2, &text);
    let list = f.at(
        "textDocument/completion",
        &uri,
        pos(&text, "webhook\n", "webhook".len()),
    );
    assert_eq!(labels(&list), ["swe-feature-002"]);
    assert_eq!(
        slice(&text, &item(&list, "swe-feature-002")["textEdit"]["range"]),
        "webhook"
    );

    // In swe-feature-001, everything but 005 depends on it: last, marked.
    let text = issue("Import shipments", "swe", "done", "swe-");
    let uri = f.open("issues/done/swe-feature-001.md", &text);
    let list = f.at(
        "textDocument/completion",
        &uri,
        pos(&text, "swe-\n", "swe-".len()),
    );
    assert_eq!(
        labels(&list),
        ["swe-feature-005", "swe-feature-003", "swe-feature-002"]
    );
    let closing = item(&list, "swe-feature-003");
    assert_eq!(closing["tags"], json!([1]));
    assert_eq!(
        closing["detail"],
        "⚠ closes a cycle · Normalize carrier events"
    );
    assert_eq!(item(&list, "swe-feature-005").get("tags"), None);

    // Nothing in prose.
    let list = f.at("textDocument/completion", &uri, pos(&text, "As a", 2));
    assert_eq!(list, Value::Null);
}

#[test]
fn completion_of_values_personas_fields_sections_and_tasks() {
    let mut f = start(Value::Null, Value::Null);
    let text = issue("Parcel timeline", "swe", "backlog", "none")
        .replace("**Status:** backlog\n", "**Status:** \n")
        .replace("As a warehouse manager,", "As a ,")
        + "\n## \n";
    let uri = f.open("issues/backlog/swe-feature-005.md", &text);
    let statuses = f.at(
        "textDocument/completion",
        &uri,
        pos(&text, "**Status:** ", 12),
    );
    assert!(
        labels(&statuses).contains(&"backlog".to_string()),
        "{statuses}"
    );
    assert!(
        labels(&statuses).contains(&"done".to_string()),
        "{statuses}"
    );
    assert_eq!(
        item(&statuses, "backlog")["textEdit"]["range"]["start"],
        pos(&text, "**Status:** ", 12)
    );

    let personas = f.at("textDocument/completion", &uri, pos(&text, "As a ,", 5));
    assert_eq!(labels(&personas), ["warehouse manager"]);

    let sections = f.at("textDocument/completion", &uri, pos(&text, "## \n", 3));
    assert_eq!(labels(&sections), ["## Description"]);
    assert_eq!(
        slice(
            &text,
            &item(&sections, "## Description")["textEdit"]["range"]
        ),
        "## "
    );

    // The missing field names, in a file without a Status.
    let text = issue(
        "Normalize carrier events",
        "swe",
        "backlog",
        "swe-feature-002",
    )
    .replace("**Status:** backlog\n", "**\n");
    let uri = f.open("issues/backlog/swe-feature-003.md", &text);
    let fields = f.at("textDocument/completion", &uri, pos(&text, "**\n", 2));
    assert_eq!(labels(&fields), ["**Status:**"]);
    assert_eq!(
        item(&fields, "**Status:**")["textEdit"]["newText"],
        "**Status:** "
    );

    // A task after `### ` under `## Tasks`: plain text for this client...
    let story = format!("{STORY}### ");
    let story_uri = f.open("docs/stories/015-login.md", &story);
    let end = json!({"line": story.matches('\n').count(), "character": 4});
    let task = f.at("textDocument/completion", &story_uri, end.clone());
    assert_eq!(labels(&task), ["### 002: new task"]);
    let plain = &task["items"][0];
    assert_eq!(plain["insertTextFormat"], 1);
    assert_eq!(
        plain["textEdit"]["newText"],
        "### 002: \n**Domain:** \n**Status:** pending\n**Depends on:** none\n"
    );

    // ...a snippet for one that takes snippets.
    let mut f = start(
        json!({"textDocument": {"completion": {"completionItem": {"snippetSupport": true}}}}),
        Value::Null,
    );
    let story_uri = f.open("docs/stories/015-login.md", &story);
    let task = f.at("textDocument/completion", &story_uri, end);
    let snippet = &task["items"][0];
    assert_eq!(snippet["insertTextFormat"], 2);
    assert!(
        snippet["textEdit"]["newText"]
            .as_str()
            .unwrap()
            .starts_with("### 002: ${1:Short title}\n"),
        "{snippet}"
    );
}

#[test]
fn completion_and_hover_after_emoji_and_cjk_with_crlf_in_both_encodings() {
    // `**Dependencies:** ` is 18 units in both; 😀 is 2 UTF-16 units and 4
    // bytes, 漢 1 unit and 3 bytes.
    for (encodings, emoji_cjk) in [(json!(["utf-16"]), 3), (json!(["utf-8", "utf-16"]), 7)] {
        let mut f = start(
            json!({"general": {"positionEncodings": encodings}}),
            Value::Null,
        );
        let text = issue(
            "Parcel timeline",
            "swe",
            "backlog",
            "😀漢, swe-feature-003, swe-f",
        )
        .replace('\n', "\r\n");
        let uri = f.open("issues/backlog/swe-feature-005.md", &text);
        let id_start = 18 + emoji_cjk + 2;
        let list = f.at(
            "textDocument/completion",
            &uri,
            json!({"line": 19, "character": id_start + 17 + 5}),
        );
        assert_eq!(labels(&list), ["swe-feature-001", "swe-feature-002"]);
        assert_eq!(
            list["items"][0]["textEdit"]["range"],
            crate::support::lsp_range([[19, id_start as u32 + 17], [19, id_start as u32 + 22]])
        );
        let hover = f.at(
            "textDocument/hover",
            &uri,
            json!({"line": 19, "character": id_start + 4}),
        );
        assert_eq!(
            hover["range"],
            crate::support::lsp_range([[19, id_start as u32], [19, id_start as u32 + 15]])
        );
        assert!(hover["contents"]["value"]
            .as_str()
            .unwrap()
            .starts_with("**swe-feature-003** · Normalize carrier events"));
    }
}

#[test]
fn hover_on_references_and_on_the_own_title() {
    let mut f = start(Value::Null, Value::Null);
    let rel = "issues/backlog/qa-feature-004.md";
    let text = std::fs::read_to_string(f.path(rel)).unwrap();
    let uri = f.uri(rel);
    let hover = f.at("textDocument/hover", &uri, pos(&text, "swe-feature-003", 3));
    assert_eq!(hover["contents"]["kind"], "markdown");
    let value = hover["contents"]["value"].as_str().unwrap();
    assert!(
        value.starts_with(
            "**swe-feature-003** · Normalize carrier events\n\nissue · Status: backlog"
        ),
        "{value}"
    );
    assert!(value.contains("Depended on by: qa-feature-004"), "{value}");
    assert_eq!(slice(&text, &hover["range"]), "swe-feature-003");

    let dangling = f.at("textDocument/hover", &uri, pos(&text, "swe-feature-999", 0));
    assert!(dangling["contents"]["value"]
        .as_str()
        .unwrap()
        .contains("No issue, story, task or milestone has this ID"));

    // The file's own ID, on its title.
    let own = f.at("textDocument/hover", &uri, pos(&text, "Replay", 2));
    assert!(own["contents"]["value"]
        .as_str()
        .unwrap()
        .starts_with("**qa-feature-004** · Replay webhooks"));

    assert_eq!(
        f.at("textDocument/hover", &uri, pos(&text, "As a", 1)),
        Value::Null
    );
}

#[test]
fn definition_references_and_document_links() {
    let mut f = start(Value::Null, Value::Null);
    let rel = "issues/backlog/qa-feature-004.md";
    let text = std::fs::read_to_string(f.path(rel)).unwrap();
    let uri = f.uri(rel);
    let target = f.uri("issues/backlog/swe-feature-003.md");
    let on_dep = pos(&text, "swe-feature-003", 5);

    let def = f.at("textDocument/definition", &uri, on_dep.clone());
    assert_eq!(def["uri"], target.as_str());
    assert_eq!(def["range"], crate::support::lsp_range([[0, 2], [0, 26]]));

    let refs = |f: &mut Fixture, include: bool| -> Vec<String> {
        let result = f.request(
            "textDocument/references",
            json!({"textDocument": {"uri": uri}, "position": on_dep, "context": {"includeDeclaration": include}}),
        );
        let mut out: Vec<String> = result
            .as_array()
            .unwrap()
            .iter()
            .map(|l| {
                let path = l["uri"].as_str().unwrap().rsplit('/').next().unwrap();
                format!("{path}:{}", l["range"]["start"]["line"])
            })
            .collect();
        out.sort();
        out
    };
    assert_eq!(
        refs(&mut f, true),
        [
            "issues-list.md:6",
            "qa-feature-004.md:19",
            "swe-feature-003.md:0"
        ]
    );
    assert_eq!(
        refs(&mut f, false),
        ["issues-list.md:6", "qa-feature-004.md:19"]
    );

    let links = f.request(
        "textDocument/documentLink",
        json!({"textDocument": {"uri": uri}}),
    );
    let links = links.as_array().unwrap();
    // M1 and swe-feature-003; the dangling swe-feature-999 links nowhere.
    assert_eq!(links.len(), 2, "{links:?}");
    let link = links
        .iter()
        .find(|l| l["range"]["start"]["line"] == 19)
        .unwrap();
    assert_eq!(slice(&text, &link["range"]), "swe-feature-003");
    assert_eq!(link["target"], format!("{target}#L1"));
    assert_eq!(
        link["tooltip"],
        "swe-feature-003 · Normalize carrier events"
    );

    // A client that takes links gets the origin and the whole item.
    let mut f = start(
        json!({"textDocument": {"definition": {"linkSupport": true}}}),
        Value::Null,
    );
    let uri = f.uri(rel);
    let def = f.at("textDocument/definition", &uri, on_dep);
    let link = &def[0];
    assert_eq!(
        slice(&text, &link["originSelectionRange"]),
        "swe-feature-003"
    );
    assert_eq!(
        link["targetSelectionRange"],
        crate::support::lsp_range([[0, 2], [0, 26]])
    );
    assert_eq!(
        link["targetRange"]["start"],
        json!({"line": 0, "character": 0})
    );
}

/// Renames swe-feature-003 to swe-feature-010 from its reference in
/// qa-feature-004, which is open.
fn rename_003(f: &mut Fixture) -> (String, Result<Value, Value>) {
    let rel = "issues/backlog/qa-feature-004.md";
    let text = std::fs::read_to_string(f.path(rel)).unwrap();
    let uri = f.open(rel, &text);
    let at = pos(&text, "swe-feature-003", 4);
    let prepared = f.at("textDocument/prepareRename", &uri, at.clone());
    assert_eq!(prepared["placeholder"], "swe-feature-003");
    assert_eq!(slice(&text, &prepared["range"]), "swe-feature-003");
    let result = f.server.request(
        "textDocument/rename",
        json!({"textDocument": {"uri": uri}, "position": at, "newName": "swe-feature-010"}),
    );
    (text, result)
}

#[test]
fn rename_edits_every_reference_and_renames_the_file() {
    let mut f = start(
        json!({"workspace": {"workspaceEdit": {"documentChanges": true, "resourceOperations": ["create", "rename", "delete"]}}}),
        Value::Null,
    );
    let (text, result) = rename_003(&mut f);
    let changes = result.unwrap()["documentChanges"].clone();
    let changes = changes.as_array().unwrap();
    let edit_of = |rel: &str| {
        changes
            .iter()
            .find(|c| c["textDocument"]["uri"] == f.uri(rel))
            .unwrap_or_else(|| panic!("no edit of {rel}: {changes:?}"))
            .clone()
    };
    let referrer = edit_of("issues/backlog/qa-feature-004.md");
    // The open document's version; the index is not open.
    assert_eq!(referrer["textDocument"]["version"], 1);
    let edited = apply(&text, referrer["edits"].as_array().unwrap());
    assert!(edited.contains("**Dependencies:** swe-feature-010, swe-feature-999\n"));
    let index = edit_of("issues/issues-list.md");
    assert_eq!(index["textDocument"]["version"], Value::Null);
    let edited = apply(INDEX, index["edits"].as_array().unwrap());
    assert_eq!(edited, INDEX.replace("swe-feature-003", "swe-feature-010"));
    // The file is renamed last, after the edits that address it by its old name.
    let last = changes.last().unwrap();
    assert_eq!(last["kind"], "rename");
    assert_eq!(last["oldUri"], f.uri("issues/backlog/swe-feature-003.md"));
    assert_eq!(last["newUri"], f.uri("issues/backlog/swe-feature-010.md"));
    assert!(!f
        .server
        .notifications
        .iter()
        .any(|n| n["method"] == "window/showMessage"));
}

#[test]
fn rename_renames_the_file_for_a_client_announcing_the_operation_without_document_changes() {
    // Neovim 0.11 announces `resourceOperations` without
    // `documentChanges: true`, and applies `documentChanges` all the same.
    let mut f = start(
        json!({"workspace": {"workspaceEdit": {"resourceOperations": ["rename", "create", "delete"]}}}),
        Value::Null,
    );
    let (_, result) = rename_003(&mut f);
    let result = result.unwrap();
    assert_eq!(result.get("changes"), None);
    let changes = result["documentChanges"].as_array().unwrap().clone();
    assert!(changes
        .iter()
        .any(|c| c["textDocument"]["uri"] == f.uri("issues/issues-list.md")));
    let last = changes.last().unwrap();
    assert_eq!(last["kind"], "rename");
    assert_eq!(last["oldUri"], f.uri("issues/backlog/swe-feature-003.md"));
    assert_eq!(last["newUri"], f.uri("issues/backlog/swe-feature-010.md"));
    f.server.settle();
    assert!(
        !f.server
            .notifications
            .iter()
            .any(|n| n["method"] == "window/showMessage"),
        "no warning that the file was not renamed"
    );
}

#[test]
fn rename_without_file_operations_edits_references_and_tells_the_user() {
    let mut f = start(Value::Null, Value::Null);
    let (text, result) = rename_003(&mut f);
    let result = result.unwrap();
    assert_eq!(result.get("documentChanges"), None);
    let changes = result["changes"].as_object().unwrap();
    let mut files: Vec<&str> = changes
        .keys()
        .map(|k| k.rsplit('/').next().unwrap())
        .collect();
    files.sort();
    assert_eq!(files, ["issues-list.md", "qa-feature-004.md"]);
    let edits = changes[&f.uri("issues/backlog/qa-feature-004.md")]
        .as_array()
        .unwrap();
    assert_eq!(edits.len(), 1);
    assert_eq!(slice(&text, &edits[0]["range"]), "swe-feature-003");
    assert_eq!(edits[0]["newText"], "swe-feature-010");
    let shown = f.server.wait_notification("window/showMessage", |_| true);
    let message = shown["message"].as_str().unwrap();
    assert!(
        message.contains("issues/backlog/swe-feature-003.md")
            && message.contains("issues/backlog/swe-feature-010.md"),
        "{message}"
    );
    assert_eq!(shown["type"], 2);
}

#[test]
fn rename_refuses_taken_and_invalid_ids() {
    let mut f = start(Value::Null, Value::Null);
    let rel = "issues/backlog/qa-feature-004.md";
    let text = std::fs::read_to_string(f.path(rel)).unwrap();
    let uri = f.uri(rel);
    let mut rename = |new_name: &str| {
        f.server
            .request(
                "textDocument/rename",
                json!({"textDocument": {"uri": uri}, "position": pos(&text, "swe-feature-003", 1), "newName": new_name}),
            )
            .expect_err("refused")
    };
    let taken = rename("swe-feature-002");
    assert_eq!(taken["code"], -32803);
    assert!(
        taken["message"]
            .as_str()
            .unwrap()
            .contains("issue number 002 is already used by `swe-feature-002`"),
        "{taken}"
    );
    let invalid = rename("not an id");
    assert!(
        invalid["message"]
            .as_str()
            .unwrap()
            .starts_with("`not an id` is not an issue ID"),
        "{invalid}"
    );
    // Nothing to rename in prose.
    let nothing = f.server.request(
        "textDocument/rename",
        json!({"textDocument": {"uri": uri}, "position": pos(&text, "As a", 1), "newName": "swe-feature-011"}),
    );
    assert!(nothing.is_err());
    let prepared = f.at("textDocument/prepareRename", &uri, pos(&text, "As a", 1));
    assert_eq!(prepared, Value::Null);
}

#[test]
fn renaming_a_backlog_task_renumbers_its_sub_tasks_and_moves_their_files() {
    let dir = crate::tree::tempdir();
    let root = dir.path().to_path_buf();
    let task = |id: &str, extra: &str| {
        format!("---\nid: {id}\ntitle: Step {id}\nstatus: To Do\n{extra}---\n")
    };
    let parent = task("task-7", "");
    let sub = task("TASK-7.1", "parent_task_id: task-7\n");
    let other = task("task-8", "dependencies: [task-7.1, task-7]\n");
    write(&root, "backlog/tasks/task-7 - Sign-in.md", &parent);
    write(&root, "backlog/tasks/TASK-7.1 - Form.md", &sub);
    write(&root, "backlog/tasks/task-8 - Audit.md", &other);
    let mut caps = client_capabilities();
    merge(
        &mut caps,
        json!({"workspace": {"workspaceEdit": {"documentChanges": true, "resourceOperations": ["create", "rename", "delete"]}}}),
    );
    let mut server = Server::start(&root);
    server.initialize(json!({"processId": null, "rootUri": uri(&root), "capabilities": caps}));
    server.wait_indexed();
    // Task files have spaces in their names.
    let path = |rel: &str| uri(&root.join(rel));
    let result = server
        .request(
            "textDocument/rename",
            json!({"textDocument": {"uri": path("backlog/tasks/task-7 - Sign-in.md")}, "position": pos(&parent, "task-7", 1), "newName": "task-9"}),
        )
        .unwrap();
    let changes = result["documentChanges"].as_array().unwrap();
    let edited = |rel: &str, text: &str| {
        let change = changes
            .iter()
            .find(|c| c["textDocument"]["uri"] == path(rel))
            .unwrap_or_else(|| panic!("no edit of {rel}: {changes:?}"));
        apply(text, change["edits"].as_array().unwrap())
    };
    assert_eq!(
        edited("backlog/tasks/TASK-7.1 - Form.md", &sub),
        sub.replace("id: TASK-7.1", "id: TASK-9.1")
            .replace("task-7\n", "task-9\n")
    );
    assert_eq!(
        edited("backlog/tasks/task-8 - Audit.md", &other),
        other.replace("[task-7.1, task-7]", "[task-9.1, task-9]")
    );
    // Both files move, after the edits that address them by their old names.
    let moves: Vec<(&Value, &Value)> = changes
        .iter()
        .skip_while(|c| c["kind"] != "rename")
        .map(|c| (&c["oldUri"], &c["newUri"]))
        .collect();
    assert_eq!(
        moves,
        [
            (
                &json!(path("backlog/tasks/task-7 - Sign-in.md")),
                &json!(path("backlog/tasks/task-9 - Sign-in.md"))
            ),
            (
                &json!(path("backlog/tasks/TASK-7.1 - Form.md")),
                &json!(path("backlog/tasks/TASK-9.1 - Form.md"))
            ),
        ]
    );
    assert_eq!(changes.len(), 5, "{changes:?}");
}

#[test]
fn document_symbols_as_a_tree_or_flat() {
    let rel = "issues/backlog/swe-feature-003.md";
    let mut f = start(
        json!({"textDocument": {"documentSymbol": {"hierarchicalDocumentSymbolSupport": true}}}),
        Value::Null,
    );
    let uri = f.uri(rel);
    let tree = f.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": uri}}),
    );
    let top = &tree[0];
    assert_eq!(top["name"], "swe-feature-003");
    assert_eq!(top["detail"], "Normalize carrier events");
    let sections: Vec<&str> = top["children"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        sections,
        ["User Story", "Acceptance Criteria", "Technical Notes"]
    );
    let criteria = &top["children"][1]["children"];
    assert_eq!(criteria[0]["name"], "The manager sees the list");
    assert_eq!(criteria[0]["detail"], "done");
    assert_eq!(criteria[1]["detail"], "open");

    let mut f = start(Value::Null, Value::Null);
    let uri = f.uri(rel);
    let flat = f.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": uri}}),
    );
    let flat = flat.as_array().unwrap();
    assert_eq!(flat.len(), 6, "{flat:?}");
    assert_eq!(flat[0]["name"], "swe-feature-003");
    assert_eq!(flat[0]["location"]["uri"], uri.as_str());
    assert_eq!(flat[2]["name"], "Acceptance Criteria");
    assert_eq!(flat[2]["containerName"], "swe-feature-003");
    assert_eq!(flat[3]["containerName"], "Acceptance Criteria");
}

#[test]
fn workspace_symbols_match_fuzzily() {
    let mut f = start(Value::Null, Value::Null);
    let found = f.request("workspace/symbol", json!({"query": "carrier webhooks"}));
    let found = found.as_array().unwrap();
    assert_eq!(found.len(), 1, "{found:?}");
    // The name holds the title, which clients filter the matches by; the
    // container is what holds the item (here its file), not its title.
    assert_eq!(
        found[0]["name"],
        "swe-feature-002 · Receive carrier webhooks"
    );
    assert_eq!(found[0]["containerName"], "issues/done/swe-feature-002.md");
    assert_eq!(
        found[0]["location"]["uri"],
        f.uri("issues/done/swe-feature-002.md")
    );
    let fuzzy = f.request("workspace/symbol", json!({"query": "rplwbh"}));
    assert!(
        fuzzy[0]["name"]
            .as_str()
            .is_some_and(|name| name.starts_with("qa-feature-004 · ")),
        "{fuzzy}"
    );
}

#[test]
fn folding_ranges_by_section() {
    let mut f = start(Value::Null, Value::Null);
    let uri = f.uri("issues/backlog/swe-feature-003.md");
    let folds = f.request(
        "textDocument/foldingRange",
        json!({"textDocument": {"uri": uri}}),
    );
    let lines: Vec<(u64, u64, &str)> = folds
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["startLine"].as_u64().unwrap(),
                r["endLine"].as_u64().unwrap(),
                r["kind"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        lines,
        [(7, 9, "region"), (11, 14, "region"), (16, 19, "region")]
    );
}

#[test]
fn code_lenses_and_the_show_dependents_command() {
    let mut f = start(Value::Null, Value::Null);
    assert_eq!(
        f.init["capabilities"]["executeCommandProvider"]["commands"],
        json!(["planmark.showDependents", "planmark.applyChanges"])
    );
    let uri = f.uri("issues/backlog/swe-feature-003.md");
    let lenses = f.request(
        "textDocument/codeLens",
        json!({"textDocument": {"uri": uri}}),
    );
    let lenses = lenses.as_array().unwrap();
    assert_eq!(lenses.len(), 1);
    assert_eq!(
        lenses[0]["range"],
        crate::support::lsp_range([[0, 2], [0, 26]])
    );
    let command = &lenses[0]["command"];
    assert_eq!(command["title"], "wave 1 · blocks 1 · 1/2 criteria");
    assert_eq!(command["command"], "planmark.showDependents");
    assert_eq!(command["arguments"], json!([uri, "swe-feature-003"]));

    let located = f.request(
        "workspace/executeCommand",
        json!({"command": "planmark.showDependents", "arguments": command["arguments"]}),
    );
    assert_eq!(located[0]["uri"], f.uri("issues/backlog/qa-feature-004.md"));
    assert_eq!(located[0]["range"]["start"]["line"], 0);
    let shown = f.server.wait_notification("window/showMessage", |_| true);
    assert_eq!(
        shown["message"],
        "`swe-feature-003` blocks 1: qa-feature-004"
    );

    let unknown = f
        .server
        .request(
            "workspace/executeCommand",
            json!({"command": "planmark.nope"}),
        )
        .expect_err("an unknown command");
    assert_eq!(unknown["code"], -32602);
    let bad = f
        .server
        .request(
            "workspace/executeCommand",
            json!({"command": "planmark.showDependents", "arguments": [1]}),
        )
        .expect_err("bad arguments");
    assert_eq!(bad["code"], -32602);

    // The setting turns them off.
    let mut f = start(
        Value::Null,
        json!({"planmark": {"codeLens": {"enable": false}}}),
    );
    let uri = f.uri("issues/backlog/swe-feature-003.md");
    let lenses = f.request(
        "textDocument/codeLens",
        json!({"textDocument": {"uri": uri}}),
    );
    assert_eq!(lenses, Value::Null);
}

#[test]
fn inlay_hints_after_dependencies() {
    let mut f = start(Value::Null, Value::Null);
    let hints = |f: &mut Fixture, rel: &str| -> Vec<(Value, String)> {
        let uri = f.uri(rel);
        let result = f.request(
            "textDocument/inlayHint",
            json!({"textDocument": {"uri": uri}, "range": crate::support::lsp_range([[0, 0], [40, 0]])}),
        );
        result
            .as_array()
            .unwrap()
            .iter()
            .map(|h| {
                assert_eq!(h["paddingLeft"], true);
                (
                    h["position"].clone(),
                    h["label"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    let text = std::fs::read_to_string(f.path("issues/backlog/qa-feature-004.md")).unwrap();
    assert_eq!(
        hints(&mut f, "issues/backlog/qa-feature-004.md"),
        [
            (pos(&text, "swe-feature-003", 15), "backlog".to_string()),
            (pos(&text, "swe-feature-999", 15), "⚠ missing".to_string()),
        ]
    );
    let text = std::fs::read_to_string(f.path("issues/backlog/swe-feature-003.md")).unwrap();
    assert_eq!(
        hints(&mut f, "issues/backlog/swe-feature-003.md"),
        [(pos(&text, "swe-feature-002", 15), "✓ done".to_string())]
    );
    // Only those inside the range asked for.
    let uri = f.uri("issues/backlog/qa-feature-004.md");
    let none = f.request(
        "textDocument/inlayHint",
        json!({"textDocument": {"uri": uri}, "range": crate::support::lsp_range([[0, 0], [10, 0]])}),
    );
    assert_eq!(none, json!([]));
}

/// Semantic tokens decoded to (line, start, length, type, modifiers).
fn decode(tokens: &Value) -> Vec<(u64, u64, u64, u64, u64)> {
    let data: Vec<u64> = tokens["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_u64().unwrap())
        .collect();
    let (mut line, mut start) = (0, 0);
    data.chunks(5)
        .map(|t| {
            if t[0] > 0 {
                start = 0;
            }
            line += t[0];
            start += t[1];
            (line, start, t[2], t[3], t[4])
        })
        .collect()
}

#[test]
fn semantic_tokens_full_and_range() {
    let mut f = start(Value::Null, Value::Null);
    let legend = &f.init["capabilities"]["semanticTokensProvider"]["legend"];
    assert_eq!(legend["tokenTypes"], json!(["variable", "property"]));
    assert_eq!(legend["tokenModifiers"], json!(["dangling"]));
    let uri = f.uri("issues/backlog/qa-feature-004.md");
    let full = f.request(
        "textDocument/semanticTokens/full",
        json!({"textDocument": {"uri": uri}}),
    );
    let tokens = decode(&full);
    // Type, Expert, Milestone and its M1, Status, Estimated effort, then line 19.
    assert_eq!(
        tokens[..4],
        [
            (2, 2, 4, 1, 0),
            (3, 2, 6, 1, 0),
            (4, 2, 9, 1, 0),
            (4, 15, 2, 0, 0)
        ]
    );
    let line_19 = [(19, 2, 12, 1, 0), (19, 18, 15, 0, 0), (19, 35, 15, 0, 1)];
    assert_eq!(tokens[tokens.len() - 3..], line_19);
    let range = f.request(
        "textDocument/semanticTokens/range",
        json!({"textDocument": {"uri": uri}, "range": crate::support::lsp_range([[19, 0], [20, 0]])}),
    );
    assert_eq!(decode(&range), line_19);
}

#[test]
fn bad_params_and_unknown_files_get_errors_or_nothing() {
    let mut f = start(Value::Null, Value::Null);
    let missing = f
        .server
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": "file:///nowhere.md"}}),
        )
        .expect_err("no position");
    assert_eq!(missing["code"], -32602);
    let outside = f.at(
        "textDocument/completion",
        "file:///elsewhere/notes.md",
        json!({"line": 0, "character": 0}),
    );
    assert_eq!(outside, Value::Null);
    let untitled = f.at(
        "textDocument/hover",
        "untitled:Untitled-1",
        json!({"line": 0, "character": 0}),
    );
    assert_eq!(untitled, Value::Null);
    // Positions past the end clamp.
    let uri = f.uri("issues/backlog/qa-feature-004.md");
    let far = f.at(
        "textDocument/hover",
        &uri,
        json!({"line": 19, "character": 4000}),
    );
    assert_eq!(
        far["range"],
        crate::support::lsp_range([[19, 35], [19, 50]]),
        "the end of the line, on the last dependency"
    );
    let past = f.at(
        "textDocument/hover",
        &uri,
        json!({"line": 400, "character": 0}),
    );
    assert_eq!(past, Value::Null);
    let renamed = f.server.request(
        "textDocument/rename",
        json!({"textDocument": {"uri": "file:///elsewhere/notes.md"}, "position": {"line": 0, "character": 0}, "newName": "x"}),
    );
    assert!(renamed.is_err());
    // The server is still there.
    let status = f.request("planmark/status", Value::Null);
    assert_eq!(status["roots"][0]["indexed"], true);
}

#[test]
fn editing_facts_are_made_once_per_version() {
    let mut f = start(Value::Null, Value::Null);
    let rel = "issues/backlog/qa-feature-004.md";
    let text = std::fs::read_to_string(f.path(rel)).unwrap();
    let builds = |f: &mut Fixture| {
        f.request("planmark/status", Value::Null)["derivedBuilds"]
            .as_u64()
            .unwrap()
    };
    let before = builds(&mut f);
    let uri = f.uri(rel);
    // Field names and rename need no plan.
    let rename = f.server.request(
        "textDocument/rename",
        json!({"textDocument": {"uri": uri}, "position": pos(&text, "swe-feature-003", 1), "newName": "swe-feature-011"}),
    );
    assert!(rename.is_ok());
    assert_eq!(builds(&mut f), before);
    for _ in 0..3 {
        f.at("textDocument/hover", &uri, pos(&text, "swe-feature-003", 1));
        f.request(
            "textDocument/codeLens",
            json!({"textDocument": {"uri": uri}}),
        );
    }
    assert_eq!(builds(&mut f), before + 1);
    let uri = f.open(rel, &text.replace("swe-feature-999", "swe-feature-005"));
    let hover = f.at("textDocument/hover", &uri, pos(&text, "swe-feature-003", 1));
    assert!(hover["contents"]["value"]
        .as_str()
        .unwrap()
        .contains("swe-feature-003"));
    f.at("textDocument/hover", &uri, pos(&text, "swe-feature-003", 1));
    assert_eq!(builds(&mut f), before + 2);
}

const KIRO_REQUIREMENTS: &str = "# Requirements Document\n\n### Requirement 1: Out-for-delivery message\n\n#### Acceptance Criteria\n\n1. WHEN the parcel leaves THEN the service SHALL send one message\n2. IF the recipient opted out THEN the service SHALL send nothing\n";

const KIRO_TASKS: &str =
    "# Implementation Plan\n\n- [x] 1. Send the message\n  - _Requirements: 1.1, _\n";

#[test]
fn kiro_completion_hover_and_coverage_lens_over_stdio() {
    let (_dir, root, mut server) = indexed(&[
        (".kiro/specs/notify/requirements.md", KIRO_REQUIREMENTS),
        (".kiro/specs/notify/tasks.md", KIRO_TASKS),
    ]);
    let tasks = server.open_text(&root.join(".kiro/specs/notify/tasks.md"), 1, KIRO_TASKS);
    let requirements = uri(&root.join(".kiro/specs/notify/requirements.md"));

    // Completion after the comma offers the criteria not listed yet.
    let list = server
        .request(
            "textDocument/completion",
            json!({"textDocument": {"uri": tasks}, "position": pos(KIRO_TASKS, "1.1, _", 5)}),
        )
        .unwrap();
    let items = list["items"].as_array().unwrap();
    let labels: Vec<&str> = items.iter().map(|i| i["label"].as_str().unwrap()).collect();
    assert_eq!(labels, ["1", "1.2"]);
    assert_eq!(
        items[1]["detail"],
        "IF the recipient opted out THEN the service SHALL send nothing"
    );

    // Hover on `1.1` shows the criterion and the task covering it.
    let hover = server
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": tasks}, "position": pos(KIRO_TASKS, "1.1,", 1)}),
        )
        .unwrap();
    let markdown = hover["contents"]["value"].as_str().unwrap();
    assert!(markdown.contains("**notify/1.1**"), "{markdown}");
    assert!(markdown.contains("Covered by notify/task-1"), "{markdown}");

    // A criterion is named by its place: prepareRename says so, rather
    // than answering `null` and leaving the user to guess.
    let refused = server
        .request(
            "textDocument/prepareRename",
            json!({"textDocument": {"uri": tasks}, "position": pos(KIRO_TASKS, "1.1,", 1)}),
        )
        .unwrap_err();
    assert!(
        refused["message"]
            .as_str()
            .unwrap()
            .contains("ID comes from its place, its heading or its file's name in Kiro"),
        "{refused}"
    );

    // The lens above each criterion says what covers it.
    assert_eq!(
        server.lens_titles(&requirements),
        ["1/2 criteria covered", "covered by 1", "not covered"]
    );

    // The unopened requirements file gets its finding: 1.2 is not covered.
    let published = server.wait_diagnostics(&requirements, |d| {
        d.iter().any(|d| d["code"] == "kiro-uncovered-criterion")
    });
    assert_eq!(
        crate::support::codes(&published["diagnostics"]),
        ["kiro-uncovered-criterion"]
    );
    assert_eq!(published["diagnostics"][0]["range"]["start"]["line"], 7);
}

const SPECKIT_SPEC: &str = "# Feature Specification: Delivery photos\n\n### User Story 1 - Driver attaches a photo (Priority: P1)\n\n### User Story 2 - Recipient sees it (Priority: P2)\n";
const SPECKIT_TASKS: &str = "# Tasks\n\n## Phase 1: Setup\n\n- [x] T001 Create the bucket in infra/storage.tf\n\n## Phase 3: User Story 1 - Driver attaches a photo (Priority: P1)\n\n- [ ] T003 [P] [US1] Upload endpoint in api/photos.rs\n- [ ] T005 [US1] Link the photo to the stop (depends on T00)\n";

#[test]
fn speckit_completion_hover_and_coverage_lens_over_stdio() {
    let (_dir, root, mut server) = indexed(&[
        ("specs/001-photos/spec.md", SPECKIT_SPEC),
        ("specs/001-photos/tasks.md", SPECKIT_TASKS),
    ]);
    let tasks = server.open_text(&root.join("specs/001-photos/tasks.md"), 1, SPECKIT_TASKS);
    let spec = uri(&root.join("specs/001-photos/spec.md"));

    // Completion after `depends on T00` offers the feature's other tasks.
    assert_eq!(
        server.completion_labels(&tasks, pos(SPECKIT_TASKS, "T00)", 3)),
        ["T001", "T003"]
    );

    // Hover on the story label shows the story and the tasks covering it.
    let hover = server
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": tasks}, "position": pos(SPECKIT_TASKS, "US1] Upload", 1)}),
        )
        .unwrap();
    let markdown = hover["contents"]["value"].as_str().unwrap();
    assert!(markdown.contains("001-photos/US1"), "{markdown}");
    assert!(markdown.contains("001-photos/T003"), "{markdown}");

    // The lens above each user story says which tasks cover it.
    let titles = server.lens_titles(&spec);
    assert!(
        titles.iter().any(|t| t == "covered by T003, T005"),
        "{titles:?}"
    );
    assert!(titles.iter().any(|t| t == "not covered"), "{titles:?}");
}

const BACKLOG_CONFIG: &str =
    "project_name: ShipTrack\nstatuses: [\"To Do\", \"Doing\", \"Done\"]\n";
const BACKLOG_TASK_1: &str = "---\nid: task-1\ntitle: Carrier retries\nstatus: Done\n---\n";
const BACKLOG_TASK_2: &str =
    "---\nid: task-2\ntitle: Retry dashboard 📊\nstatus: Doing\ndependencies: [task-1, task-9]\n---\n";

#[test]
fn backlog_yaml_positions_and_completion_over_stdio() {
    let (_dir, root, mut server) = indexed(&[
        ("backlog/config.yml", BACKLOG_CONFIG),
        ("backlog/tasks/task-1 - Carrier retries.md", BACKLOG_TASK_1),
        ("backlog/tasks/task-2 - Retry dashboard.md", BACKLOG_TASK_2),
    ]);
    // Clients send file names with spaces percent-encoded, as the server
    // publishes them.
    let task = uri(&root.join("backlog/tasks/task-2 - Retry dashboard.md"));
    // The unknown dependency is reported on its entry in the front matter,
    // in UTF-16 columns (the title's emoji is on another line).
    let published = server.wait_diagnostics(&task, |d| {
        d.iter().any(|d| d["code"] == "dangling-dependency")
    });
    let dangling = published["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "dangling-dependency")
        .unwrap();
    assert_eq!(
        dangling["range"],
        crate::support::lsp_range([[4, 23], [4, 29]])
    );

    // Completion in the flow list offers the backlog's other tasks.
    let text = BACKLOG_TASK_2.replace("[task-1, task-9]", "[t]");
    server.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": task, "languageId": "markdown", "version": 1, "text": text}}),
    );
    assert_eq!(
        server.completion_labels(&task, pos(&text, "t]", 1)),
        ["task-1"],
        "the task itself is left out"
    );

    // A YAML file: config.yml that does not parse is reported at its line.
    let config = server.open_text(
        &root.join("backlog/config.yml"),
        1,
        "project_name: ShipTrack\nstatuses: [\"To Do\", \"Doing\"\n",
    );
    let published = server.wait_diagnostics(&config, |d| {
        d.iter().any(|d| d["code"] == "backlog-invalid-yaml")
    });
    let invalid = &published["diagnostics"][0];
    assert_eq!(invalid["code"], "backlog-invalid-yaml");
    assert!(invalid["range"]["start"]["line"].as_u64().unwrap() >= 1);
}
