//! Diagnostics over stdio: what a pushed diagnostic holds, the same
//! findings as `planmark check`, cross-file effects of an edit (and only
//! changes pushed), the `planmark.diagnostics.scope` setting from every
//! source, and pull diagnostics with result IDs.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use crate::copy_dir::copy_dir;
use crate::support::{client_capabilities, codes, issue, two_issues, uri, write, Server};
use serde_json::{json, Value};

fn count_publishes(server: &Server, uri: &str) -> usize {
    server
        .notifications
        .iter()
        .filter(|m| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == json!(uri)
        })
        .count()
}

#[test]
fn diagnostics_are_pushed_for_open_documents_with_everything_a_client_needs() {
    let (dir, a, _) = two_issues();
    let mut server = Server::start(dir.path());
    server.initialize_root(dir.path());
    let text = issue("Shipment list", "swe-feature-404").replace(
        "- [ ] The manager",
        "- [ ] [Another criterion]\n- [ ] The manager",
    );
    let uri = server.open_text(&a, 7, &text);
    // Cross-file findings come once the root is indexed.
    let published = server.wait_published(&uri, |p| {
        p["version"] == 7 && codes(&p["diagnostics"]).contains(&"dangling-dependency".into())
    });
    let diagnostics = published["diagnostics"].as_array().unwrap();
    let dangling = diagnostics
        .iter()
        .find(|d| d["code"] == "dangling-dependency")
        .expect("a dangling dependency");
    assert_eq!(dangling["source"], "planmark");
    assert_eq!(dangling["severity"], 1);
    assert_eq!(
        dangling["codeDescription"]["href"],
        "https://github.com/planmark/planmark/blob/main/docs/rules.md#dangling-dependency"
    );
    let placeholder = diagnostics
        .iter()
        .find(|d| d["code"] == "placeholder-text")
        .expect("a placeholder");
    assert_eq!(placeholder["severity"], 2);
    assert_eq!(placeholder["tags"], json!([1]), "Unnecessary");
}

#[test]
fn the_workspace_gets_the_same_findings_as_planmark_check() {
    let dir = crate::tree::tempdir();
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("examples"),
        dir.path(),
    );
    let check = Command::new(env!("CARGO_BIN_EXE_planmark"))
        .args(["check", ".", "--format", "json"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&check.stdout).unwrap();
    let expected: BTreeSet<(String, u64, String)> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let path = d["path"]
                .as_str()
                .unwrap()
                .trim_start_matches("./")
                .to_string();
            (
                path,
                d["line"].as_u64().unwrap() - 1,
                d["rule"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(!expected.is_empty());
    let mut server = Server::start(dir.path());
    server.initialize_root(dir.path());
    server.wait_indexed();
    server.settle();
    let prefix = format!("{}/", uri(dir.path()));
    let got: BTreeSet<(String, u64, String)> = server
        .diagnostics
        .iter()
        .flat_map(|(uri, params)| {
            let path = uri.strip_prefix(&prefix).unwrap().to_string();
            params["diagnostics"]
                .as_array()
                .unwrap()
                .iter()
                .map(move |d| {
                    (
                        path.clone(),
                        d["range"]["start"]["line"].as_u64().unwrap(),
                        d["code"].as_str().unwrap().to_string(),
                    )
                })
                .collect::<Vec<_>>()
        })
        .collect();
    assert_eq!(got, expected);
    // The cycle's diagnostics point at the other member.
    let cycle = &server.diagnostics[&format!("{prefix}issues/backlog/swe-feature-012.md")];
    let cycle = cycle["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "dependency-cycle")
        .unwrap();
    let related = cycle["relatedInformation"].as_array().unwrap();
    assert!(related.iter().any(|r| {
        r["location"]["uri"] == json!(format!("{prefix}issues/backlog/swe-feature-013.md"))
    }));
}

#[test]
fn an_edit_updates_other_files_diagnostics_and_pushes_only_changes() {
    let (dir, a, b) = two_issues();
    // An unrelated file with a finding of its own.
    let c = write(
        dir.path(),
        "issues/backlog/swe-feature-003.md",
        &issue("Carrier list", "none").replace("warehouse manager", "user"),
    );
    let mut server = Server::start(dir.path());
    server.initialize_root(dir.path());
    let (b_uri, c_uri) = (uri(&b), uri(&c));
    server.wait_diagnostics(&c_uri, |d| codes(&json!(d)) == ["generic-persona"]);
    let a_uri = server.open(&a, 1);
    server.settle();
    assert!(
        !server.diagnostics.contains_key(&b_uri),
        "B has nothing to report"
    );
    let c_before = count_publishes(&server, &c_uri);
    // A now depends on B, which depends on A: both are in a cycle.
    server.change_full(&a_uri, 2, &issue("Shipment list", "swe-feature-002"));
    let cycle = server.wait_diagnostics(&b_uri, |d| !d.is_empty());
    assert_eq!(codes(&cycle["diagnostics"]), ["dependency-cycle"]);
    assert_eq!(cycle["version"], Value::Null, "B is not open");
    server.wait_diagnostics(&a_uri, |d| codes(&json!(d)) == ["dependency-cycle"]);
    // Fixing A clears B.
    server.change_full(&a_uri, 3, &issue("Shipment list", "none"));
    server.wait_diagnostics(&b_uri, |d| d.is_empty());
    server.wait_published(&a_uri, |p| {
        p["version"] == 3 && p["diagnostics"] == json!([])
    });
    server.settle();
    assert_eq!(
        count_publishes(&server, &c_uri),
        c_before,
        "C never changed"
    );
    // Deleting A (on disk, as a rename would) makes B's dependency dangle.
    server.close(&a_uri);
    std::fs::remove_file(&a).unwrap();
    server.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": a_uri, "type": 3}]}),
    );
    let dangling = server.wait_diagnostics(&b_uri, |d| !d.is_empty());
    assert_eq!(codes(&dangling["diagnostics"]), ["dangling-dependency"]);
}

/// A file with nothing to report has no diagnostics entry in the server;
/// an open one still hears back at each version.
#[test]
fn a_clean_open_document_hears_back_at_every_version() {
    let (dir, a, _b) = two_issues();
    let mut server = Server::start(dir.path());
    server.initialize_root(dir.path());
    server.wait_indexed();
    let a_uri = server.open(&a, 1);
    server.wait_published(&a_uri, |p| {
        p["version"] == 1 && p["diagnostics"] == json!([])
    });
    for version in 2..4 {
        let title = format!("Shipment list {version}");
        server.change_full(&a_uri, version, &issue(&title, "none"));
        server.wait_published(&a_uri, |p| {
            p["version"] == version && p["diagnostics"] == json!([])
        });
    }
}

#[test]
fn the_scope_setting_comes_from_initialization_options_and_changes() {
    let (dir, a, b) = two_issues();
    std::fs::write(&b, issue("Shipment filters", "swe-feature-404")).unwrap();
    let b_uri = uri(&b);
    let mut server = Server::start(dir.path());
    server.initialize(json!({
        "processId": null,
        "rootUri": uri(dir.path()),
        "capabilities": client_capabilities(),
        "initializationOptions": {"diagnostics": {"scope": "open"}},
    }));
    server.wait_indexed();
    let a_uri = server.open(&a, 1);
    server.wait_published(&a_uri, |p| p["version"] == 1);
    let status = server.settle();
    assert_eq!(status["scope"], "open");
    assert!(!server.diagnostics.contains_key(&b_uri), "B is not open");
    // Opening B shows its findings; closing it clears them.
    server.open(&b, 1);
    server.wait_diagnostics(&b_uri, |d| codes(&json!(d)) == ["dangling-dependency"]);
    server.close(&b_uri);
    server.wait_diagnostics(&b_uri, |d| d.is_empty());
    // The whole workspace, as `workspace/didChangeConfiguration` says.
    server.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"planmark": {"diagnostics": {"scope": "workspace"}}}}),
    );
    server.wait_diagnostics(&b_uri, |d| codes(&json!(d)) == ["dangling-dependency"]);
    // A bad value is reported and leaves the default.
    server.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"planmark": {"diagnostics": {"scope": "everything"}}}}),
    );
    server.wait_notification("window/showMessage", |p| {
        p["message"]
            .as_str()
            .unwrap()
            .contains("planmark.diagnostics.scope")
    });
}

#[test]
fn settings_are_pulled_with_workspace_configuration() {
    let (dir, _, b) = two_issues();
    std::fs::write(&b, issue("Shipment filters", "swe-feature-404")).unwrap();
    let mut server = Server::start(dir.path());
    server.replies.insert(
        "workspace/configuration".into(),
        json!([{"diagnostics": {"scope": "open"}}]),
    );
    let mut caps = client_capabilities();
    caps["workspace"]["configuration"] = json!(true);
    caps["workspace"]["didChangeConfiguration"] = json!({"dynamicRegistration": true});
    server.initialize(json!({"processId": null, "rootUri": uri(dir.path()), "capabilities": caps}));
    let request = server.wait_server_request("workspace/configuration");
    assert_eq!(request["params"]["items"][0]["section"], "planmark");
    server.wait_indexed();
    assert_eq!(server.settle()["scope"], "open");
    assert!(!server.diagnostics.contains_key(&uri(&b)));
    // A change notification without settings makes the server ask again.
    server.replies.insert(
        "workspace/configuration".into(),
        json!([{"diagnostics": {"scope": "workspace"}}]),
    );
    server.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": null}),
    );
    server.wait_diagnostics(&uri(&b), |d| !d.is_empty());
    // Configuration changes were registered for.
    let registration = server.wait_server_request("client/registerCapability");
    let methods: Vec<&str> = registration["params"]["registrations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["method"].as_str().unwrap())
        .collect();
    assert!(
        methods.contains(&"workspace/didChangeConfiguration"),
        "{methods:?}"
    );
}

#[test]
fn a_null_configuration_answer_keeps_the_initialization_options() {
    let (dir, _, b) = two_issues();
    std::fs::write(&b, issue("Shipment filters", "swe-feature-404")).unwrap();
    let mut server = Server::start(dir.path());
    // The client has no `planmark` section of its own: it answers `null`.
    server
        .replies
        .insert("workspace/configuration".into(), json!([null]));
    let mut caps = client_capabilities();
    caps["workspace"]["configuration"] = json!(true);
    server.initialize(json!({
        "processId": null,
        "rootUri": uri(dir.path()),
        "capabilities": caps,
        "initializationOptions": {"diagnostics": {"scope": "open", "debounceMs": 0}},
    }));
    server.wait_server_request("workspace/configuration");
    server.wait_indexed();
    let settings = server.settle();
    assert_eq!(settings["scope"], "open", "{settings}");
    assert_eq!(settings["debounceMs"], 0, "{settings}");
    assert!(!server.diagnostics.contains_key(&uri(&b)));
}

#[test]
fn pull_diagnostics_answer_with_result_ids_and_nothing_is_pushed() {
    let (dir, a, b) = two_issues();
    let mut caps = client_capabilities();
    caps["textDocument"]["diagnostic"] = json!({"dynamicRegistration": false});
    caps["workspace"]["diagnostics"] = json!({"refreshSupport": true});
    let mut server = Server::start(dir.path());
    let result = server
        .initialize(json!({"processId": null, "rootUri": uri(dir.path()), "capabilities": caps}));
    let provider = &result["capabilities"]["diagnosticProvider"];
    assert_eq!(provider["interFileDependencies"], true);
    assert_eq!(provider["workspaceDiagnostics"], true);
    server.wait_indexed();
    let a_uri = server.open_text(&a, 1, &issue("Shipment list", "swe-feature-002"));
    let b_uri = uri(&b);
    // The request sees the edit that came just before it.
    let report = server
        .request(
            "textDocument/diagnostic",
            json!({"textDocument": {"uri": a_uri}}),
        )
        .unwrap();
    assert_eq!(report["kind"], "full");
    assert_eq!(codes(&report["items"]), ["dependency-cycle"]);
    let result_id = report["resultId"].as_str().unwrap().to_string();
    let again = server
        .request(
            "textDocument/diagnostic",
            json!({"textDocument": {"uri": a_uri}, "previousResultId": result_id}),
        )
        .unwrap();
    assert_eq!(again, json!({"kind": "unchanged", "resultId": result_id}));
    // The workspace report has B's side of the cycle.
    let workspace = server
        .request("workspace/diagnostic", json!({"previousResultIds": []}))
        .unwrap();
    let items = workspace["items"].as_array().unwrap();
    let b_report = items
        .iter()
        .find(|i| i["uri"] == json!(b_uri))
        .expect("B is reported");
    assert_eq!(codes(&b_report["items"]), ["dependency-cycle"]);
    let b_id = b_report["resultId"].as_str().unwrap().to_string();
    // Fixing A changes B: the server asks the client to pull again.
    server.change_full(&a_uri, 2, &issue("Shipment list", "none"));
    server.wait_server_request("workspace/diagnostic/refresh");
    let workspace = server
        .request(
            "workspace/diagnostic",
            json!({"previousResultIds": [{"uri": b_uri, "value": b_id}]}),
        )
        .unwrap();
    let b_report = workspace["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["uri"] == json!(b_uri))
        .expect("B is reported again");
    assert_eq!(b_report["kind"], "full");
    assert_eq!(b_report["items"], json!([]));
    server.settle();
    assert!(
        !server
            .notifications
            .iter()
            .any(|m| m["method"] == "textDocument/publishDiagnostics"),
        "pull mode pushes nothing"
    );
}

#[test]
fn cycles_through_other_files_and_done_items_follow_edits() {
    let dir = crate::tree::tempdir();
    let root = dir.path();
    let a = write(
        root,
        "issues/backlog/swe-feature-001.md",
        &issue("Shipment list", "swe-feature-002"),
    );
    let b = write(
        root,
        "issues/backlog/swe-feature-002.md",
        &issue("Shipment filters", "swe-feature-003"),
    );
    let c = write(
        root,
        "issues/backlog/swe-feature-003.md",
        &issue("Carrier list", "swe-feature-001"),
    );
    let done = issue("Shipment export", "swe-feature-001")
        .replace("**Status:** backlog", "**Status:** done")
        .replace("- [ ]", "- [x]");
    let d = write(root, "issues/done/swe-feature-004.md", &done);
    let (b_uri, c_uri, d_uri) = (uri(&b), uri(&c), uri(&d));
    let mut server = Server::start(root);
    server.initialize_root(root);
    for uri in [&b_uri, &c_uri] {
        server.wait_diagnostics(uri, |d| codes(&json!(d)) == ["dependency-cycle"]);
    }
    server.wait_diagnostics(&d_uri, |d| {
        codes(&json!(d)) == ["done-with-open-dependency"]
    });
    // Prose typed into A moves A's findings, and nothing else changes.
    let a_uri = server.open(&a, 1);
    let before = server.wait_diagnostics(&a_uri, |d| !d.is_empty());
    let text = format!(
        "Some context first.\n\n{}",
        std::fs::read_to_string(&a).unwrap()
    );
    server.change_full(&a_uri, 2, &text);
    let after = server.wait_published(&a_uri, |p| p["version"] == 2);
    assert_eq!(codes(&after["diagnostics"]), ["dependency-cycle"]);
    let line = |p: &Value| {
        p["diagnostics"][0]["range"]["start"]["line"]
            .as_u64()
            .unwrap()
    };
    assert_eq!(line(&after), line(&before) + 2);
    // A stops depending on B: B (which does not name A) and C are freed.
    server.change_full(&a_uri, 3, &issue("Shipment list", "none"));
    server.wait_diagnostics(&b_uri, |d| d.is_empty());
    server.wait_diagnostics(&c_uri, |d| d.is_empty());
    // A is done now: the done item depending on it is fine.
    let a_done = issue("Shipment list", "none")
        .replace("**Status:** backlog", "**Status:** done")
        .replace("- [ ]", "- [x]");
    server.change_full(&a_uri, 4, &a_done);
    server.wait_diagnostics(&d_uri, |d| d.is_empty());
}

#[test]
fn after_indexing_a_large_root_open_documents_get_their_diagnostics_first() {
    let dir = crate::tree::tempdir();
    // 700 issues in a chain; the open one has a finding of its own and
    // the last one a dangling dependency.
    let mut paths = Vec::new();
    for n in 1..=700 {
        let deps = match n {
            1 => "none".to_string(),
            700 => "swe-feature-999".to_string(),
            _ => format!("swe-feature-{:03}", n - 1),
        };
        let mut text = issue(&format!("Shipment view {n}"), &deps);
        if n == 350 {
            text = text.replace("warehouse manager", "user");
        }
        let rel = format!("issues/backlog/swe-feature-{n:03}.md");
        paths.push(write(dir.path(), &rel, &text));
    }
    let mut server = Server::start_with_env(dir.path(), &SLOW_INDEX);
    server.initialize_root(dir.path());
    let open_uri = server.open(&paths[349], 1);
    let last_uri = uri(&paths[699]);
    server.wait_diagnostics(&last_uri, |d| codes(&json!(d)) == ["dangling-dependency"]);
    server.wait_published(&open_uri, |p| {
        p["version"] == 1 && codes(&p["diagnostics"]) == ["generic-persona"]
    });
    let publishes: Vec<&Value> = server
        .notifications
        .iter()
        .filter(|m| m["method"] == "textDocument/publishDiagnostics")
        .collect();
    let position = |uri: &str| {
        publishes
            .iter()
            .position(|m| {
                m["params"]["uri"] == json!(uri)
                    && !m["params"]["diagnostics"].as_array().unwrap().is_empty()
            })
            .unwrap_or_else(|| panic!("no diagnostics published for {uri}"))
    };
    assert!(
        position(&open_uri) < position(&last_uri),
        "the open document came after a file that is not open"
    );
    // The re-check after indexing did the open document alone, then the
    // 699 others in later passes, slice by slice, each file once.
    server.settle();
    let stderr = server.stderr();
    let checks = regex::Regex::new(r"(\d+) file\(s\) checked in \d+ ms, (\d+) left").unwrap();
    let counts: Vec<(usize, usize)> = checks
        .captures_iter(&stderr)
        .map(|c| (c[1].parse().unwrap(), c[2].parse().unwrap()))
        .collect();
    let first = counts
        .iter()
        .position(|&c| c == (1, 699))
        .unwrap_or_else(|| panic!("the open document was not checked alone:\n{stderr}"));
    let mut left = 699;
    for &(checked, now_left) in &counts[first + 1..] {
        assert_eq!(
            now_left,
            left - checked,
            "a slice lost or repeated files:\n{stderr}"
        );
        left = now_left;
    }
    assert_eq!(left, 0, "files were left unchecked:\n{stderr}");
}

/// The environment that slows the first index down, so that a document
/// opened right after `initialized` is opened before the root is indexed.
const SLOW_INDEX: [(&str, &str); 2] = [
    ("PLANMARK_TEST_HOOKS", "1"),
    ("PLANMARK_TEST_INDEX_DELAY_MS", "300"),
];

#[test]
fn a_client_that_pulls_but_cannot_be_asked_to_pull_again_gets_diagnostics_pushed() {
    // Neovim 0.11 and Helix announce `textDocument.diagnostic` but not
    // `workspace.diagnostics.refreshSupport`, and never send
    // `workspace/diagnostic`: in pull mode the first file opened would keep
    // what it pulled before indexing, and unopened files would show nothing.
    let dir = crate::tree::tempdir();
    let a = write(
        dir.path(),
        "issues/backlog/swe-feature-001.md",
        &issue("Shipment list", "swe-feature-404"),
    );
    let b = write(
        dir.path(),
        "issues/backlog/swe-feature-002.md",
        &issue("Shipment filters", "swe-feature-003"),
    );
    write(
        dir.path(),
        "issues/backlog/swe-feature-003.md",
        &issue("Carrier list", "swe-feature-002"),
    );
    let mut server = Server::start_with_env(dir.path(), &SLOW_INDEX);
    let result = server.initialize(json!({
        "processId": null,
        "rootUri": uri(dir.path()),
        "workspaceFolders": [{"uri": uri(dir.path()), "name": "ws"}],
        "capabilities": crate::support::neovim_0_11_capabilities(),
    }));
    assert_eq!(
        result["capabilities"].get("diagnosticProvider"),
        None,
        "no pull diagnostics without refresh support"
    );
    // Opened while the root is being indexed: its cross-file finding comes
    // once the index is there, without an edit.
    let a_uri = server.open(&a, 1);
    server.wait_published(&a_uri, |p| {
        p["version"] == 1 && codes(&p["diagnostics"]).contains(&"dangling-dependency".into())
    });
    // A file never opened gets its findings (the default workspace scope).
    server.wait_diagnostics(&uri(&b), |d| codes(&json!(d)) == ["dependency-cycle"]);
}

#[test]
fn a_pulling_client_is_asked_to_pull_again_when_indexing_changes_an_open_document() {
    // One file: the only one whose diagnostics the index changes is open.
    let dir = crate::tree::tempdir();
    let a = write(
        dir.path(),
        "issues/backlog/swe-feature-001.md",
        &issue("Shipment list", "none"),
    );
    let mut caps = client_capabilities();
    caps["textDocument"]["diagnostic"] = json!({"dynamicRegistration": false});
    caps["workspace"]["diagnostics"] = json!({"refreshSupport": true});
    let mut server = Server::start_with_env(dir.path(), &SLOW_INDEX);
    let result = server
        .initialize(json!({"processId": null, "rootUri": uri(dir.path()), "capabilities": caps}));
    assert!(result["capabilities"]["diagnosticProvider"].is_object());
    // Only the open document changes when the index arrives, and nobody
    // edited it: the client must still be told.
    let a_uri = server.open_text(&a, 1, &issue("Shipment list", "swe-feature-404"));
    // What the client pulls right after opening, as Neovim does.
    server
        .request(
            "textDocument/diagnostic",
            json!({"textDocument": {"uri": a_uri}}),
        )
        .unwrap();
    // The refresh is sent before the indexed snapshot is swapped in.
    server.wait_indexed();
    server.wait_server_request("workspace/diagnostic/refresh");
    let report = server
        .request(
            "textDocument/diagnostic",
            json!({"textDocument": {"uri": a_uri}}),
        )
        .unwrap();
    assert_eq!(codes(&report["items"]), ["dangling-dependency"]);
}

#[test]
fn an_edit_that_changes_other_files_refreshes_their_hints_tokens_and_lenses() {
    let (dir, a, b) = two_issues();
    let mut caps = client_capabilities();
    caps["workspace"]["inlayHint"] = json!({"refreshSupport": true});
    caps["workspace"]["semanticTokens"] = json!({"refreshSupport": true});
    caps["workspace"]["codeLens"] = json!({"refreshSupport": true});
    let mut server = Server::start(dir.path());
    server.initialize(json!({"processId": null, "rootUri": uri(dir.path()), "capabilities": caps}));
    server.wait_indexed();
    server.settle();
    let refreshes = |server: &Server| {
        server
            .server_requests
            .iter()
            .filter(|r| r["method"] == "workspace/inlayHint/refresh")
            .count()
    };
    let before = refreshes(&server);
    // Renaming A's ID makes B's dependency dangling: B's hints are stale.
    let a_uri = server.open(&a, 1);
    server.change_full(
        &a_uri,
        2,
        &issue("Shipment list", "none").replace("# Shipment list", "# Renamed list"),
    );
    std::fs::rename(&a, dir.path().join("issues/backlog/swe-feature-009.md")).unwrap();
    server.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": a_uri, "type": 3}, {"uri": uri(&dir.path().join("issues/backlog/swe-feature-009.md")), "type": 1}]}),
    );
    server.close(&a_uri);
    server.wait_published(&uri(&b), |p| {
        codes(&p["diagnostics"]).contains(&"dangling-dependency".to_string())
    });
    let deadline = std::time::Instant::now() + crate::support::TIMEOUT;
    while refreshes(&server) == before {
        assert!(
            std::time::Instant::now() < deadline,
            "no inlay hint refresh"
        );
        server.settle();
    }
    assert!(server
        .server_requests
        .iter()
        .any(|r| r["method"] == "workspace/semanticTokens/refresh"));
}
