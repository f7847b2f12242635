//! File names with spaces and non-ASCII characters, as Backlog.md names
//! every task file: documents open under the percent-encoded `file:` URIs
//! that editors send hear back under exactly those URIs, and files only on
//! disk are named by correctly encoded URIs that decode to their paths.

use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use crate::support::{client_capabilities, indexed, path_of, uri, write, Server};

const CONFIG: &str = "project_name: ShipTrack\nstatuses: [\"To Do\", \"Doing\", \"Done\"]\n";

/// A Backlog.md task with these dependencies.
fn task(id: &str, title: &str, deps: &str) -> String {
    format!(
        "---\nid: {id}\ntitle: {title}\nstatus: To Do\ndependencies: [{deps}]\n---\n\nShip it.\n"
    )
}

/// The URIs the related locations of the `duplicate-id` findings among
/// `diagnostics` point at.
fn duplicate_related_uris(diagnostics: &Value) -> Vec<String> {
    diagnostics
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "duplicate-id")
        .flat_map(|d| {
            d["relatedInformation"]
                .as_array()
                .cloned()
                .unwrap_or_default()
        })
        .map(|r| r["location"]["uri"].as_str().unwrap().to_string())
        .collect()
}

/// A backlog with the given task files, and a server that has indexed it.
fn backlog(files: &[(&str, &str)]) -> (tempfile::TempDir, PathBuf, Server) {
    let mut all = vec![("backlog/config.yml", CONFIG)];
    all.extend_from_slice(files);
    indexed(&all)
}

/// Sends `didOpen` for `uri` with `text`, as the client spells the URI.
fn open_as(server: &mut Server, uri: &str, text: &str) {
    server.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}}),
    );
}

/// Asserts that no two published URIs name the same file: the server never
/// speaks of one document under two spellings.
fn assert_one_uri_per_file(server: &Server) {
    let mut paths: Vec<PathBuf> = server.diagnostics.keys().map(|u| path_of(u)).collect();
    let count = paths.len();
    paths.sort();
    paths.dedup();
    assert_eq!(
        paths.len(),
        count,
        "one file under two URIs: {:?}",
        server.diagnostics.keys().collect::<Vec<_>>()
    );
}

const SHIP: &str = "backlog/tasks/task-1 - Ship.md";
const CAFE: &str = "backlog/tasks/task-2 - Café 出荷.md";
const AUDIT: &str = "backlog/tasks/task-3 - Audit.md";

#[test]
fn the_harness_encodes_uris_as_editors_do() {
    let path = Path::new("/x/backlog/tasks/task-1 - Café 出荷 (v2)+#.md");
    let encoded = uri(path);
    assert_eq!(
        encoded,
        "file:///x/backlog/tasks/task-1%20-%20Caf%C3%A9%20%E5%87%BA%E8%8D%B7%20%28v2%29%2B%23.md"
    );
    assert_eq!(path_of(&encoded), path);
}

#[test]
fn documents_with_spaces_and_non_ascii_names_hear_back_under_their_own_uris() {
    let ship = task("task-1", "Ship", "task-9");
    let cafe = task("task-2", "Café", "task-1, task-8");
    let audit = task("task-3", "Audit", "task-7");
    let (_dir, root, mut server) = backlog(&[(SHIP, &ship), (CAFE, &cafe), (AUDIT, &audit)]);

    // A file only on disk is published under its encoded URI.
    let audit_uri = uri(&root.join(AUDIT));
    assert!(audit_uri.ends_with("task-3%20-%20Audit.md"), "{audit_uri}");
    let published = server.wait_diagnostics(&audit_uri, |d| {
        d.iter().any(|d| d["code"] == "dangling-dependency")
    });
    assert_eq!(published["uri"], audit_uri);

    // Open documents, as VS Code and Neovim encode them.
    let ship_uri = uri(&root.join(SHIP));
    let cafe_uri = uri(&root.join(CAFE));
    assert!(
        cafe_uri.contains("Caf%C3%A9%20%E5%87%BA%E8%8D%B7.md"),
        "{cafe_uri}"
    );
    for (doc, text, missing) in [(&ship_uri, &ship, "task-9"), (&cafe_uri, &cafe, "task-8")] {
        let edited = text.replace(missing, "task-6");
        open_as(&mut server, doc, &edited);
        let published = server.wait_published(doc, |p| {
            p["version"] == 1 && p["diagnostics"].to_string().contains("task-6")
        });
        assert_eq!(&published["uri"], doc);
        assert_eq!(server.document_text(doc).as_deref(), Some(edited.as_str()));
    }
    server.settle();
    assert_one_uri_per_file(&server);
    assert!(
        !server.stderr().contains("invalid params"),
        "{}",
        server.stderr()
    );
}

/// The LSP position (UTF-16 columns, ASCII line) `delta` bytes into the
/// first `needle` of `text`.
fn pos(text: &str, needle: &str, delta: usize) -> Value {
    let at = text.find(needle).expect("the needle is in the text") + delta;
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    assert!(text[line_start..at].is_ascii());
    json!({"line": text[..at].matches('\n').count(), "character": at - line_start})
}

/// The URIs of a list of locations (or location links).
fn uris_of(locations: &Value) -> Vec<String> {
    let list = match locations {
        Value::Array(list) => list.clone(),
        Value::Null => Vec::new(),
        one => vec![one.clone()],
    };
    list.iter()
        .map(|l| {
            l.get("targetUri")
                .or_else(|| l.get("uri"))
                .and_then(Value::as_str)
                .unwrap_or_else(|| panic!("a location without a URI: {l}"))
                .to_string()
        })
        .collect()
}

#[test]
fn definitions_and_references_name_files_with_spaces_by_encoded_uris() {
    let ship = task("task-1", "Ship", "");
    let cafe = task("task-2", "Café", "task-1");
    let fix = task("task-4", "Fix", "task-1");
    let fix_rel = "backlog/tasks/task-4 - Fix (v2)+.md";
    let (_dir, root, mut server) = backlog(&[(SHIP, &ship), (CAFE, &cafe), (fix_rel, &fix)]);
    let cafe_uri = uri(&root.join(CAFE));
    open_as(&mut server, &cafe_uri, &cafe);
    // Neovim leaves RFC 3986 sub-delimiters such as `(`, `)` and `+` as
    // they are; the server must answer with this spelling, not its own.
    let fix_uri = format!(
        "file://{}/backlog/tasks/task-4%20-%20Fix%20(v2)+.md",
        uri(&root).trim_start_matches("file://")
    );
    assert_eq!(path_of(&fix_uri), root.join(fix_rel));
    open_as(&mut server, &fix_uri, &fix);
    server.wait_published(&fix_uri, |p| p["version"] == 1);

    // Into a file only on disk: its encoded URI, decoding to its path.
    let definition = server
        .request(
            "textDocument/definition",
            json!({"textDocument": {"uri": cafe_uri}, "position": pos(&cafe, "[task-1", 2)}),
        )
        .unwrap();
    let targets = uris_of(&definition);
    assert_eq!(targets, [uri(&root.join(SHIP))], "{definition}");
    assert!(targets[0].contains("task-1%20-%20Ship.md"));
    assert_eq!(path_of(&targets[0]), root.join(SHIP));

    // From it: the open documents under the URIs the client opened them by.
    let references = server
        .request(
            "textDocument/references",
            json!({
                "textDocument": {"uri": uri(&root.join(SHIP))},
                "position": pos(&ship, "id: task-1", 5),
                "context": {"includeDeclaration": true},
            }),
        )
        .unwrap();
    let mut found = uris_of(&references);
    found.sort();
    found.dedup();
    let mut expected = vec![uri(&root.join(SHIP)), cafe_uri.clone(), fix_uri.clone()];
    expected.sort();
    assert_eq!(found, expected, "{references}");
    assert_one_uri_per_file(&server);
}

#[test]
fn files_with_odd_names_found_by_the_watcher_are_published_encoded() {
    let ship = task("task-1", "Ship", "");
    let (_dir, root, mut server) = backlog(&[(SHIP, &ship)]);
    let rel = "backlog/tasks/task-5 - Vérifier 検証.md";
    let path = write(&root, rel, &task("task-5", "Vérifier", "task-1, task-404"));
    let new_uri = uri(&path);
    server.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": new_uri, "type": 1}]}),
    );
    let published = server.wait_diagnostics(&new_uri, |d| {
        d.iter().any(|d| d["code"] == "dangling-dependency")
    });
    assert_eq!(published["uri"], new_uri);
    std::fs::remove_file(&path).unwrap();
    server.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": new_uri, "type": 3}]}),
    );
    server.wait_diagnostics(&new_uri, |d| d.is_empty());
    assert_one_uri_per_file(&server);
}

/// The `file:` URI Neovim sends for `rel` under `root`: spaces and
/// non-ASCII bytes encoded, RFC 3986 sub-delimiters such as `(`, `)` and
/// `+` left as they are (the server itself encodes them).
fn neovim_uri(root: &Path, rel: &str) -> String {
    let mut out = String::from("file://");
    for b in root.join(rel).to_str().unwrap().bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~!$&'()*+,;=:@".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[test]
fn related_locations_in_open_documents_use_the_clients_uri() {
    let ship = task("task-1", "Ship", "");
    let copy_rel = "backlog/tasks/task-1 - Ship (copy).md";
    let (_dir, root, mut server) = backlog(&[(SHIP, &ship), (copy_rel, &ship)]);
    let copy_uri = neovim_uri(&root, copy_rel);
    assert!(
        copy_uri.ends_with("task-1%20-%20Ship%20(copy).md"),
        "{copy_uri}"
    );
    open_as(&mut server, &copy_uri, &ship);
    server.wait_published(&copy_uri, |p| p["version"] == 1);
    server.settle();
    let ship_uri = uri(&root.join(SHIP));
    let published =
        server.wait_diagnostics(&ship_uri, |d| d.iter().any(|d| d["code"] == "duplicate-id"));
    let related = duplicate_related_uris(&published["diagnostics"]);
    assert!(!related.is_empty(), "{published}");
    assert!(related.iter().all(|u| *u == copy_uri), "{related:?}");
}

#[test]
fn diagnostics_follow_the_document_between_the_clients_uri_and_the_disk_uri() {
    let ship = task("task-1", "Ship", "task-9");
    let rel = "backlog/tasks/task-1 - Ship (v2)+.md";
    let (_dir, root, mut server) = backlog(&[(rel, &ship)]);
    let disk_uri = uri(&root.join(rel));
    server.wait_diagnostics(&disk_uri, |d| !d.is_empty());
    let client_uri = neovim_uri(&root, rel);
    assert_ne!(client_uri, disk_uri);
    // Opened under the client's spelling and edited without saving: the
    // findings are the buffer's, under the client's URI.
    let edited = ship.replace("task-9", "task-8");
    open_as(&mut server, &client_uri, &edited);
    server.wait_published(&client_uri, |p| {
        p["diagnostics"].to_string().contains("task-8")
    });
    server.settle();
    assert_eq!(
        server.diagnostics[&disk_uri]["diagnostics"],
        json!([]),
        "stale findings under the disk URI of an open document"
    );
    // Closed: the disk's findings, and nothing left under the client's URI.
    server.close(&client_uri);
    server.settle();
    server.wait_diagnostics(&disk_uri, |d| {
        serde_json::to_string(d).unwrap().contains("task-9")
    });
    server.settle();
    assert_eq!(
        server.diagnostics[&client_uri]["diagnostics"],
        json!([]),
        "stale findings under the URI the client closed"
    );
}

#[test]
fn pulled_related_locations_in_open_documents_use_the_clients_uri() {
    let (dir, mut server) = pull_client_with_a_copy(false);
    let (root, ship, copy_rel) = (dir.path().to_path_buf(), task("task-1", "Ship", ""), COPY);
    let copy_uri = neovim_uri(&root, copy_rel);
    open_as(&mut server, &copy_uri, &ship);
    let ship_uri = uri(&root.join(SHIP));
    let report = server
        .request(
            "textDocument/diagnostic",
            json!({"textDocument": {"uri": ship_uri}}),
        )
        .unwrap();
    assert_eq!(
        duplicate_related_uris(&report["items"]),
        std::slice::from_ref(&copy_uri),
        "{report}"
    );
    let ship_report = workspace_report(&mut server, json!([]), &ship_uri);
    assert_eq!(
        duplicate_related_uris(&ship_report["items"]),
        [copy_uri],
        "{ship_report}"
    );
}

/// A task file copied beside the original, so that each is a duplicate
/// with the other as its related location.
const COPY: &str = "backlog/tasks/task-1 - Ship (copy).md";

/// A server for a pull client (`refresh`: one that takes refresh
/// requests) over a backlog whose task has a copy at [`COPY`], indexed.
fn pull_client_with_a_copy(refresh: bool) -> (tempfile::TempDir, Server) {
    let dir = crate::tree::tempdir();
    let root = dir.path();
    let ship = task("task-1", "Ship", "");
    write(root, "backlog/config.yml", CONFIG);
    write(root, SHIP, &ship);
    write(root, COPY, &ship);
    let mut caps = client_capabilities();
    caps["textDocument"]["diagnostic"] = json!({"dynamicRegistration": false});
    if refresh {
        caps["workspace"]["diagnostics"] = json!({"refreshSupport": true});
    }
    let mut server = Server::start(root);
    server.initialize(json!({"processId": null, "rootUri": uri(root), "capabilities": caps}));
    server.wait_indexed();
    (dir, server)
}

/// The report for `uri` in a `workspace/diagnostic` answer given the
/// previous result IDs.
fn workspace_report(server: &mut Server, previous: Value, uri: &str) -> Value {
    let workspace = server
        .request(
            "workspace/diagnostic",
            json!({"previousResultIds": previous}),
        )
        .unwrap();
    workspace["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["uri"] == json!(uri))
        .cloned()
        .unwrap_or_else(|| panic!("no report for {uri}: {workspace}"))
}

/// The result ID of a pulled report, full or unchanged.
fn result_id(report: &Value) -> String {
    report["resultId"].as_str().unwrap().to_string()
}

/// How many `workspace/diagnostic/refresh` requests the server has sent.
fn refreshes(server: &Server) -> usize {
    server
        .server_requests
        .iter()
        .filter(|r| r["method"] == "workspace/diagnostic/refresh")
        .count()
}

/// Waits until the server has sent more than `before` refresh requests.
fn wait_refresh_after(server: &mut Server, before: usize) {
    let deadline = std::time::Instant::now() + crate::support::TIMEOUT;
    while refreshes(server) <= before {
        assert!(
            std::time::Instant::now() < deadline,
            "no workspace/diagnostic/refresh"
        );
        server.settle();
    }
}

/// A pull client keeps a report while its result ID stays the same; the
/// URI of a related location depends on whether the client has the linked
/// document open (and how it spells its URI), so opening or closing that
/// document alone must change the ID.
#[test]
fn pulled_result_ids_change_when_a_linked_documents_uri_does() {
    let (dir, mut server) = pull_client_with_a_copy(true);
    let (root, ship, copy_rel) = (dir.path().to_path_buf(), task("task-1", "Ship", ""), COPY);
    server.settle();
    let ship_uri = uri(&root.join(SHIP));
    let copy_disk_uri = uri(&root.join(copy_rel));
    let copy_client_uri = neovim_uri(&root, copy_rel);
    assert_ne!(copy_disk_uri, copy_client_uri);
    let pull = |server: &mut Server, previous: Option<&str>| {
        server
            .request(
                "textDocument/diagnostic",
                json!({"textDocument": {"uri": ship_uri}, "previousResultId": previous}),
            )
            .unwrap()
    };

    let closed = pull(&mut server, None);
    assert_eq!(closed["kind"], "full", "{closed}");
    assert_eq!(
        duplicate_related_uris(&closed["items"]),
        std::slice::from_ref(&copy_disk_uri)
    );
    let closed_id = result_id(&closed);
    let again = pull(&mut server, Some(&closed_id));
    assert_eq!(again["kind"], "unchanged", "{again}");

    // Opened under the client's spelling, with the same text: the findings
    // are the same, but their related location is not: the client is
    // asked to pull again.
    let before = refreshes(&server);
    open_as(&mut server, &copy_client_uri, &ship);
    wait_refresh_after(&mut server, before);
    let opened = pull(&mut server, Some(&closed_id));
    assert_eq!(opened["kind"], "full", "a stale related location: {opened}");
    assert_eq!(
        duplicate_related_uris(&opened["items"]),
        std::slice::from_ref(&copy_client_uri)
    );
    let opened_id = result_id(&opened);
    assert_ne!(opened_id, closed_id);
    let again = pull(&mut server, Some(&opened_id));
    assert_eq!(again["kind"], "unchanged", "{again}");
    // The workspace report agrees.
    let ship_report = workspace_report(
        &mut server,
        json!([{"uri": ship_uri, "value": closed_id}]),
        &ship_uri,
    );
    assert_eq!(ship_report["kind"], "full", "{ship_report}");
    assert_eq!(result_id(&ship_report), opened_id);

    // Closed again: back to the disk's spelling, under a new ID.
    let before = refreshes(&server);
    server.close(&copy_client_uri);
    wait_refresh_after(&mut server, before);
    let reclosed = pull(&mut server, Some(&opened_id));
    assert_eq!(
        reclosed["kind"], "full",
        "a stale related location: {reclosed}"
    );
    assert_eq!(duplicate_related_uris(&reclosed["items"]), [copy_disk_uri]);
    assert_ne!(result_id(&reclosed), opened_id);
}

#[test]
fn code_actions_and_renames_edit_open_documents_under_the_clients_uri() {
    let ship = task("task-1", "Ship", "task-9");
    let rel = "backlog/tasks/task-1 - Café (v2)+.md";
    let dir = crate::tree::tempdir();
    let root = dir.path().to_path_buf();
    write(&root, "backlog/config.yml", CONFIG);
    write(&root, rel, &ship);
    let mut caps = client_capabilities();
    caps["workspace"]["workspaceEdit"] =
        json!({"documentChanges": true, "resourceOperations": ["create", "rename", "delete"]});
    let mut server = Server::start(&root);
    server.initialize(json!({"processId": null, "rootUri": uri(&root), "capabilities": caps}));
    server.wait_indexed();
    let client_uri = neovim_uri(&root, rel);
    open_as(&mut server, &client_uri, &ship);
    let published = server.wait_published(&client_uri, |p| p["version"] == 1);
    let actions = server
        .request(
            "textDocument/codeAction",
            json!({
                "textDocument": {"uri": client_uri},
                "range": crate::support::lsp_range([[0, 0], [7, 0]]),
                "context": {"diagnostics": published["diagnostics"]},
            }),
        )
        .unwrap();
    let edited: Vec<&Value> = actions
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|a| a["edit"]["documentChanges"].as_array().unwrap().iter())
        .map(|c| &c["textDocument"]["uri"])
        .collect();
    assert!(!edited.is_empty(), "{actions}");
    assert!(edited.iter().all(|u| **u == json!(client_uri)), "{actions}");

    // The rename edits the document under the client's URI and moves the
    // file to a correctly encoded new name.
    let renamed = server
        .request(
            "textDocument/rename",
            json!({"textDocument": {"uri": client_uri}, "position": pos(&ship, "id: task-1", 5), "newName": "task-7"}),
        )
        .unwrap();
    let changes = renamed["documentChanges"].as_array().unwrap();
    let edit = changes
        .iter()
        .find(|c| c.get("textDocument").is_some())
        .unwrap_or_else(|| panic!("no text edit: {renamed}"));
    assert_eq!(edit["textDocument"]["uri"], json!(client_uri));
    let moved = changes
        .iter()
        .find(|c| c["kind"] == "rename")
        .unwrap_or_else(|| panic!("no file rename: {renamed}"));
    assert_eq!(moved["oldUri"], json!(client_uri), "{renamed}");
    let new_rel = "backlog/tasks/task-7 - Café (v2)+.md";
    assert_eq!(moved["newUri"], json!(uri(&root.join(new_rel))));
}

#[test]
fn a_root_with_spaces_and_cjk_in_its_path_watched_by_the_server() {
    let dir = crate::tree::tempdir();
    let root = dir.path().join("My Plans 計画 (2026)");
    write(&root, "backlog/config.yml", CONFIG);
    write(&root, SHIP, &task("task-1", "Ship", ""));
    // The client cannot watch files: the server watches with `notify`.
    let mut caps = client_capabilities();
    caps["workspace"]["didChangeWatchedFiles"] = json!({"dynamicRegistration": false});
    let mut server = Server::start(&root);
    let root_uri = uri(&root);
    assert!(
        root_uri.ends_with("My%20Plans%20%E8%A8%88%E7%94%BB%20%282026%29"),
        "{root_uri}"
    );
    server.initialize(json!({
        "processId": null,
        "workspaceFolders": [{"uri": root_uri, "name": "plans"}],
        "capabilities": caps,
    }));
    server.wait_notification("window/logMessage", |p| {
        p["message"].as_str().unwrap().contains("notify")
    });
    let status = server.wait_indexed();
    assert_eq!(status["roots"][0]["files"], 2, "{status}");
    let path = write(&root, CAFE, &task("task-2", "Café", "task-1, task-404"));
    let cafe_uri = uri(&path);
    let published = server.wait_diagnostics(&cafe_uri, |d| {
        d.iter().any(|d| d["code"] == "dangling-dependency")
    });
    assert_eq!(published["uri"], cafe_uri);
    std::fs::remove_file(&path).unwrap();
    server.wait_diagnostics(&cafe_uri, |d| d.is_empty());
    assert_one_uri_per_file(&server);
}

/// Linux allows any bytes but `/` and NUL in a name. A root whose own name
/// is not UTF-8 is indexed and checked, and every URI the server gives
/// (published files, related locations, definitions) keeps the name's
/// bytes (`%FF`), so the editor can open what it points to; a planning
/// file whose name is not UTF-8 is reported as skipped rather than loaded
/// under a name with U+FFFD in it, and opening it harms nothing.
#[cfg(unix)]
#[test]
fn names_that_are_not_utf8_keep_their_bytes_in_uris() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let dir = crate::tree::tempdir();
    let root = dir.path().join(OsStr::from_bytes(b"plans \xFF"));
    let ship = task("task-1", "Ship", "");
    let copy_rel = "backlog/tasks/task-1 - Ship copy.md";
    let cafe = task("task-2", "Café", "task-1");
    write(&root, "backlog/config.yml", CONFIG);
    write(&root, SHIP, &ship);
    write(&root, copy_rel, &ship);
    write(&root, CAFE, &cafe);
    // `é` in Latin-1: the byte 0xE9, not UTF-8.
    let latin1 = root
        .join("backlog/tasks")
        .join(OsStr::from_bytes(b"task-5 - Caf\xE9.md"));
    let latin1_text = task("task-5", "Cafe", "task-404");
    std::fs::write(&latin1, &latin1_text).unwrap();

    let root_uri = uri(&root);
    assert!(root_uri.ends_with("/plans%20%FF"), "{root_uri}");
    let mut server = Server::start(&root);
    server.initialize(
        json!({"processId": null, "rootUri": root_uri, "capabilities": client_capabilities()}),
    );
    let status = server.wait_indexed();
    assert_eq!(status["roots"][0]["files"], 4, "{status}");
    let skipped = server.wait_notification("window/logMessage", |p| {
        p["message"].as_str().unwrap().contains("not UTF-8")
    });
    let message = skipped["message"].as_str().unwrap();
    assert!(
        message.contains("task-5 - Caf") && message.contains("skipped"),
        "{message}"
    );

    // Findings in the root, and their related locations, under URIs that
    // name the files on disk.
    let ship_uri = uri(&root.join(SHIP));
    let published =
        server.wait_diagnostics(&ship_uri, |d| d.iter().any(|d| d["code"] == "duplicate-id"));
    assert_eq!(published["uri"], json!(ship_uri));
    let related = duplicate_related_uris(&published["diagnostics"]);
    assert_eq!(related, [uri(&root.join(copy_rel))], "{published}");
    assert!(path_of(&related[0]).is_file(), "{}", related[0]);

    // A definition from a document the client opened by its `%FF` URI.
    let cafe_uri = uri(&root.join(CAFE));
    open_as(&mut server, &cafe_uri, &cafe);
    server.wait_published(&cafe_uri, |p| p["version"] == 1);
    let definition = server
        .request(
            "textDocument/definition",
            json!({"textDocument": {"uri": cafe_uri}, "position": pos(&cafe, "[task-1", 2)}),
        )
        .unwrap();
    // Both files that claim `task-1` are its definitions.
    let targets = uris_of(&definition);
    assert!(targets.contains(&ship_uri), "{definition}");
    assert!(targets.iter().all(|t| path_of(t).is_file()), "{definition}");

    // The file whose name is not UTF-8, opened by the URI an editor gives
    // it: kept unchecked, with a warning, and the server answers on.
    let latin1_uri = uri(&latin1);
    assert!(
        latin1_uri.ends_with("/task-5%20-%20Caf%E9.md"),
        "{latin1_uri}"
    );
    assert_eq!(path_of(&latin1_uri), latin1);
    open_as(&mut server, &latin1_uri, &latin1_text);
    server.wait_notification("window/logMessage", |p| {
        p["message"].as_str().unwrap().contains("not checked")
    });
    let hover = server.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": latin1_uri}, "position": pos(&latin1_text, "task-404", 1)}),
    );
    assert!(hover.is_ok(), "{hover:?}");

    // One created later and announced by the client's watcher is reported
    // as the walk reports the first.
    let later = root
        .join("backlog/tasks")
        .join(OsStr::from_bytes(b"task-6 - Na\xEFve.md"));
    std::fs::write(&later, task("task-6", "Naive", "")).unwrap();
    server.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri(&later), "type": 1}]}),
    );
    server.wait_notification("window/logMessage", |p| {
        let message = p["message"].as_str().unwrap();
        message.contains("task-6 - Na") && message.contains("skipped")
    });
    server.settle();
    for published in server.diagnostics.keys() {
        assert!(
            !published.contains("%EF%BF%BD") && path_of(published).exists(),
            "a URI that names no file: {published}"
        );
    }
    assert!(!server.stderr().contains("panicked"), "{}", server.stderr());
}
