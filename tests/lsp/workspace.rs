//! Workspaces over stdio: files created, changed and deleted on disk (told
//! by the client, or seen by the server's own watcher), folders renamed and
//! moved, ignore files honoured after the first index, a watcher that lost
//! events, bursts absorbed in one pass without re-reading the workspace,
//! `planmark.toml` changes, indexing progress, several roots (workspace
//! folders added and removed while running), nested roots,
//! a file opened without a folder (its project becomes a root) and a lone
//! file outside every project (served alone, its folder never walked).

use std::path::Path;
use std::time::{Duration, Instant};

use crate::support::{client_capabilities, codes, issue, two_issues, uri, write, Server};
use serde_json::{json, Value};

fn watched(server: &mut Server, changes: &[(&Path, u8)]) {
    let changes: Vec<Value> = changes
        .iter()
        .map(|(path, kind)| json!({"uri": uri(path), "type": kind}))
        .collect();
    server.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": changes}),
    );
}

const CREATED: u8 = 1;
const CHANGED: u8 = 2;
const DELETED: u8 = 3;

#[test]
fn watched_files_are_registered_and_creations_and_deletions_apply() {
    let (dir, _, _) = two_issues();
    let mut server = Server::start(dir.path());
    server.initialize_root(dir.path());
    let registration = server.wait_server_request("client/registerCapability");
    let registration = &registration["params"]["registrations"][0];
    assert_eq!(registration["method"], "workspace/didChangeWatchedFiles");
    let globs: Vec<&str> = registration["registerOptions"]["watchers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["globPattern"].as_str().unwrap())
        .collect();
    assert_eq!(
        globs,
        [
            "**/*.md",
            "**/*.yml",
            "**/*.yaml",
            "**/planmark.toml",
            "**/.gitignore",
            "**/.ignore"
        ]
    );
    server.wait_indexed();
    // A new file naming an issue that does not exist yet.
    let c = write(
        dir.path(),
        "issues/backlog/swe-feature-003.md",
        &issue("Carrier list", "swe-feature-005"),
    );
    watched(&mut server, &[(&c, CREATED)]);
    let c_uri = uri(&c);
    server.wait_diagnostics(&c_uri, |d| codes(&json!(d)) == ["dangling-dependency"]);
    // Creating 005 resolves it; deleting 005 breaks it again.
    let e = write(
        dir.path(),
        "issues/backlog/swe-feature-005.md",
        &issue("Carrier rates", "none"),
    );
    watched(&mut server, &[(&e, CREATED)]);
    server.wait_diagnostics(&c_uri, |d| d.is_empty());
    std::fs::remove_file(&e).unwrap();
    watched(&mut server, &[(&e, DELETED)]);
    server.wait_diagnostics(&c_uri, |d| !d.is_empty());
    // Deleting the file clears its own diagnostics.
    std::fs::remove_file(&c).unwrap();
    watched(&mut server, &[(&c, DELETED)]);
    server.wait_diagnostics(&c_uri, |d| d.is_empty());
    let status = server.settle();
    assert_eq!(status["roots"][0]["files"], 2);
    assert_eq!(
        status["roots"][0]["indexRuns"], 1,
        "no re-reading the workspace"
    );
}

/// Writes issues `swe-feature-100` to `swe-feature-<100 + n - 1>`, each
/// depending on the next; the last one's dependency dangles.
fn write_chain(root: &Path, n: usize) -> Vec<std::path::PathBuf> {
    (0..n)
        .map(|i| {
            let id = 100 + i;
            write(
                root,
                &format!("issues/backlog/swe-feature-{id:03}.md"),
                &issue(&format!("Step {id}"), &format!("swe-feature-{:03}", id + 1)),
            )
        })
        .collect()
}

#[test]
fn a_burst_of_500_changes_is_absorbed_in_one_pass() {
    let (dir, _, _) = two_issues();
    let mut server = Server::start(dir.path());
    server.initialize_root(dir.path());
    server.wait_indexed();
    let before = server.settle()["passes"].as_u64().unwrap();
    let paths = write_chain(dir.path(), 500);
    let changes: Vec<(&Path, u8)> = paths.iter().map(|p| (p.as_path(), CREATED)).collect();
    watched(&mut server, &changes);
    let last = uri(paths.last().unwrap());
    server.wait_diagnostics(&last, |d| codes(&json!(d)) == ["dangling-dependency"]);
    let status = server.settle();
    assert_eq!(status["roots"][0]["files"], 502);
    assert_eq!(status["passes"].as_u64().unwrap() - before, 1, "{status}");
    // 500 separate notifications in a row: still a pass or two, no rescan.
    for path in &paths {
        std::fs::write(path, issue("Step", "none")).unwrap();
    }
    for path in &paths {
        watched(&mut server, &[(path, CHANGED)]);
    }
    server.wait_diagnostics(&last, |d| d.is_empty());
    let after = server.settle();
    assert!(after["passes"].as_u64().unwrap() - before <= 4, "{after}");
    assert_eq!(after["roots"][0]["indexRuns"], 1);
}

#[test]
fn without_client_watching_the_server_watches_with_notify() {
    let (dir, _, _) = two_issues();
    let mut caps = client_capabilities();
    caps["workspace"]["didChangeWatchedFiles"] = json!({"dynamicRegistration": false});
    let mut server = Server::start(dir.path());
    server.initialize(json!({"processId": null, "rootUri": uri(dir.path()), "capabilities": caps}));
    server.wait_notification("window/logMessage", |p| {
        p["message"].as_str().unwrap().contains("notify")
    });
    server.wait_indexed();
    let c = write(
        dir.path(),
        "issues/backlog/swe-feature-003.md",
        &issue("Carrier list", "swe-feature-404"),
    );
    let c_uri = uri(&c);
    server.wait_diagnostics(&c_uri, |d| codes(&json!(d)) == ["dangling-dependency"]);
    std::fs::remove_file(&c).unwrap();
    server.wait_diagnostics(&c_uri, |d| d.is_empty());
}

#[test]
fn planmark_toml_changes_recheck_and_a_broken_one_is_reported() {
    let (dir, _, _) = two_issues();
    let config = write(
        dir.path(),
        "planmark.toml",
        "[rules]\ngeneric-persona = \"off\"\n",
    );
    let c = write(
        dir.path(),
        "issues/backlog/swe-feature-003.md",
        &issue("Carrier list", "none").replace("warehouse manager", "user"),
    );
    let (config_uri, c_uri) = (uri(&config), uri(&c));
    let mut server = Server::start(dir.path());
    server.initialize_root(dir.path());
    server.wait_indexed();
    server.settle();
    assert!(
        !server.diagnostics.contains_key(&c_uri),
        "generic-persona is off"
    );
    // Not TOML: reported on its line, shown, and the last good config stays.
    std::fs::write(&config, "[rules]\ngeneric-persona = \"off\"\n[broken\n").unwrap();
    watched(&mut server, &[(&config, CHANGED)]);
    let broken = server.wait_diagnostics(&config_uri, |d| !d.is_empty());
    let d = &broken["diagnostics"][0];
    assert_eq!(d["range"]["start"]["line"], 2);
    assert_eq!(d["severity"], 1);
    assert!(d["message"].as_str().unwrap().contains("not valid TOML"));
    server.wait_notification("window/showMessage", |p| {
        p["type"] == 1 && p["message"].as_str().unwrap().contains("planmark.toml")
    });
    server.settle();
    assert!(server.codes(&c_uri).is_empty(), "still off");
    // Valid again, with an unknown rule: the rest applies.
    std::fs::write(
        &config,
        "[rules]\ngeneric-persona = \"error\"\nno-such-rule = \"off\"\n",
    )
    .unwrap();
    watched(&mut server, &[(&config, CHANGED)]);
    let persona = server.wait_diagnostics(&c_uri, |d| !d.is_empty());
    assert_eq!(codes(&persona["diagnostics"]), ["generic-persona"]);
    assert_eq!(persona["diagnostics"][0]["severity"], 1);
    let unknown = server.wait_diagnostics(&config_uri, |d| {
        d.len() == 1 && d[0]["message"].as_str().unwrap().contains("no-such-rule")
    });
    assert_eq!(unknown["diagnostics"][0]["range"]["start"]["line"], 2);
    // Edited in the editor: the open document counts, unsaved.
    server.open(&config, 1);
    server.change_full(&config_uri, 2, "[rules]\n");
    server.wait_diagnostics(&config_uri, |d| d.is_empty());
    server.wait_diagnostics(&c_uri, |d| {
        d.len() == 1 && d[0]["severity"] == 3 && d[0]["code"] == "generic-persona"
    });
    // Deleted: the defaults apply.
    server.close(&config_uri);
    std::fs::remove_file(&config).unwrap();
    watched(&mut server, &[(&config, DELETED)]);
    server.settle();
    assert_eq!(server.codes(&c_uri), ["generic-persona"]);
    assert!(server.codes(&config_uri).is_empty());
    assert_eq!(server.settle()["roots"][0]["indexRuns"], 1);
}

#[test]
fn moving_the_planning_folders_in_planmark_toml_reads_the_root_again() {
    let dir = crate::tree::tempdir();
    let plan = write(
        dir.path(),
        "plan/backlog/swe-feature-001.md",
        &issue("Shipment list", "swe-feature-404"),
    );
    let mut server = Server::start(dir.path());
    server.initialize_root(dir.path());
    server.wait_indexed();
    server.settle();
    assert!(
        !server.diagnostics.contains_key(&uri(&plan)),
        "not a planning file yet"
    );
    let config = write(
        dir.path(),
        "planmark.toml",
        "[locations]\nissues = [\"plan\"]\n",
    );
    watched(&mut server, &[(&config, CREATED)]);
    server.wait_diagnostics(&uri(&plan), |d| codes(&json!(d)) == ["dangling-dependency"]);
    assert_eq!(server.wait_indexed()["roots"][0]["indexRuns"], 2);
}

/// The backlog folder that the root's `backlog.config.yml` names is read
/// as `planmark check` reads it: a task there is nobody's until the file
/// names the folder, and once it does (the file changed on disk) the root
/// is read again and the task is checked.
#[test]
fn naming_the_backlog_folder_in_backlog_config_yml_reads_the_root_again() {
    naming_the_backlog_folder_later_reads_the_root_again("");
}

/// Writes a task in the `planning/` folder of `project` (`""` for the
/// root, else a path ending in `/`) and a `backlog.config.yml` there that
/// does not name the folder yet; once the file names it on disk, the
/// server reads the root again and checks the task. Returns the
/// workspace and the task's path.
fn naming_the_backlog_folder_later_reads_the_root_again(
    project: &str,
) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = crate::tree::tempdir();
    let task = write(
        dir.path(),
        &format!("{project}planning/tasks/task-1.md"),
        "---\nid: task-1\ntitle: Ship\nstatus: To Do\ndependencies: [task-9]\n---\n",
    );
    let config_rel = format!("{project}backlog.config.yml");
    let config = write(dir.path(), &config_rel, "project_name: Demo\n");
    let mut server = Server::start(dir.path());
    server.initialize_root(dir.path());
    server.wait_indexed();
    server.settle();
    assert!(
        !server.diagnostics.contains_key(&uri(&task)),
        "not a planning file yet"
    );
    write(
        dir.path(),
        &config_rel,
        "project_name: Demo\nbacklog_directory: planning\n",
    );
    watched(&mut server, &[(&config, CHANGED)]);
    server.wait_diagnostics(&uri(&task), |d| codes(&json!(d)) == ["dangling-dependency"]);
    assert_eq!(server.wait_indexed()["roots"][0]["indexRuns"], 2);
    (dir, task)
}

/// A backlog folder that the root's `backlog.config.yml` names from the
/// start is read by the first index.
#[test]
fn the_first_index_reads_the_backlog_folder_of_backlog_config_yml() {
    let dir = crate::tree::tempdir();
    let task = write(
        dir.path(),
        "planning/tasks/task-1.md",
        "---\nid: task-1\ntitle: Ship\nstatus: To Do\ndependencies: [task-9]\n---\n",
    );
    write(
        dir.path(),
        "backlog.config.yml",
        "project_name: Demo\nbacklog_directory: planning\n",
    );
    let mut server = Server::start(dir.path());
    server.initialize_root(dir.path());
    server.wait_diagnostics(&uri(&task), |d| codes(&json!(d)) == ["dangling-dependency"]);
    assert_eq!(server.wait_indexed()["roots"][0]["indexRuns"], 1);
}

/// A `backlog.config.yml` below the root (a project of its own) has the
/// folder it names read too: from the first index when it names it from
/// the start, and, once it names it later (the file changed on disk), by
/// reading the root again.
#[test]
fn a_nested_backlog_config_yml_has_its_backlog_folder_read() {
    let (dir, task) = naming_the_backlog_folder_later_reads_the_root_again("apps/web/");

    let mut again = Server::start(dir.path());
    again.initialize_root(dir.path());
    again.wait_diagnostics(&uri(&task), |d| codes(&json!(d)) == ["dangling-dependency"]);
    assert_eq!(again.wait_indexed()["roots"][0]["indexRuns"], 1);
}

/// Of a project's `backlog/` and `.backlog/`, the one Backlog.md reads is
/// read from the first index: the same task in the other folder is no
/// duplicate, and each of its files says the folder is not read.
#[test]
fn the_first_index_reads_one_of_backlog_and_dot_backlog() {
    let dir = crate::tree::tempdir();
    let text = "---\nid: task-1\ntitle: Ship\nstatus: To Do\n---\n";
    let read = write(dir.path(), "backlog/tasks/task-1 - Ship.md", text);
    let unread = write(dir.path(), ".backlog/tasks/task-1 - Ship.md", text);
    let mut server = Server::start(dir.path());
    server.initialize_root(dir.path());
    server.wait_diagnostics(&uri(&unread), |d| {
        codes(&json!(d)) == ["backlog-unread-folder"]
    });
    server.settle();
    assert!(server.codes(&uri(&read)).is_empty(), "no duplicate-id");
    assert_eq!(server.wait_indexed()["roots"][0]["indexRuns"], 1);
}

#[test]
fn indexing_reports_progress_in_percent() {
    let (dir, _, _) = two_issues();
    let mut caps = client_capabilities();
    caps["window"]["workDoneProgress"] = json!(true);
    let mut server = Server::start_with_env(
        dir.path(),
        &[
            ("PLANMARK_TEST_HOOKS", "1"),
            ("PLANMARK_TEST_INDEX_DELAY_MS", "300"),
        ],
    );
    let started = Instant::now();
    server.initialize(json!({"processId": null, "rootUri": uri(dir.path()), "capabilities": caps}));
    assert!(
        started.elapsed() < Duration::from_millis(300),
        "initialize does not wait for the index"
    );
    let create = server.wait_server_request("window/workDoneProgress/create");
    let token = create["params"]["token"].clone();
    let begin = server.wait_notification("$/progress", |p| {
        p["token"] == token && p["value"]["kind"] == "begin"
    });
    assert_eq!(begin["value"]["percentage"], 0);
    server.wait_notification("$/progress", |p| {
        p["token"] == token && p["value"]["kind"] == "report" && p["value"]["percentage"].is_u64()
    });
    let end = server.wait_notification("$/progress", |p| {
        p["token"] == token && p["value"]["kind"] == "end"
    });
    assert_eq!(end["value"]["message"], "2 planning files");
}

#[test]
fn each_workspace_folder_is_a_root_with_its_own_config() {
    let one = crate::tree::tempdir();
    let two = crate::tree::tempdir();
    write(
        one.path(),
        "planmark.toml",
        "[rules]\ngeneric-persona = \"off\"\n",
    );
    let persona = issue("Shipment list", "none").replace("warehouse manager", "user");
    let a = write(one.path(), "issues/backlog/swe-feature-001.md", &persona);
    let b = write(two.path(), "issues/backlog/swe-feature-001.md", &persona);
    let mut server = Server::start(one.path());
    server.initialize(json!({
        "processId": null,
        "workspaceFolders": [
            {"uri": uri(one.path()), "name": "one"},
            {"uri": uri(two.path()), "name": "two"},
        ],
        "capabilities": client_capabilities(),
    }));
    let status = server.wait_indexed();
    assert_eq!(status["roots"].as_array().unwrap().len(), 2);
    server.wait_diagnostics(&uri(&b), |d| codes(&json!(d)) == ["generic-persona"]);
    server.settle();
    // The same ID in two roots is no duplicate; root one turned the rule off.
    assert!(server.codes(&uri(&a)).is_empty());
    assert_eq!(server.codes(&uri(&b)), ["generic-persona"]);
}

#[test]
fn workspace_folders_removed_and_added_are_dropped_and_read() {
    let one = crate::tree::tempdir();
    let two = crate::tree::tempdir();
    let persona = issue("Shipment list", "none").replace("warehouse manager", "user");
    let a = write(one.path(), "issues/backlog/swe-feature-001.md", &persona);
    let b = write(two.path(), "issues/backlog/swe-feature-007.md", &persona);
    let mut server = Server::start(one.path());
    let init = server.initialize(json!({
        "processId": null,
        "workspaceFolders": [
            {"uri": uri(one.path()), "name": "one"},
            {"uri": uri(two.path()), "name": "two"},
        ],
        "capabilities": client_capabilities(),
    }));
    // Without this the client never tells the server of folder changes.
    assert_eq!(
        init["capabilities"]["workspace"]["workspaceFolders"],
        json!({"supported": true, "changeNotifications": true})
    );
    server.wait_indexed();
    server.wait_diagnostics(&uri(&a), |d| codes(&json!(d)) == ["generic-persona"]);
    server.wait_diagnostics(&uri(&b), |d| codes(&json!(d)) == ["generic-persona"]);
    let symbols = |server: &mut Server| -> Vec<String> {
        let found = server
            .request("workspace/symbol", json!({"query": "swe-feature"}))
            .unwrap();
        let mut names: Vec<String> = found
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["name"].as_str().unwrap().to_string())
            .collect();
        names.sort();
        names
    };
    assert_eq!(symbols(&mut server).len(), 2);
    let folders = |added: &Path, removed: &Path| {
        json!({"event": {
            "added": [{"uri": uri(added), "name": "added"}],
            "removed": [{"uri": uri(removed), "name": "removed"}],
        }})
    };
    // Folder one leaves: its findings are withdrawn, its items gone.
    server.notify(
        "workspace/didChangeWorkspaceFolders",
        json!({"event": {"added": [], "removed": [{"uri": uri(one.path()), "name": "one"}]}}),
    );
    server.wait_diagnostics(&uri(&a), |d| d.is_empty());
    let left = symbols(&mut server);
    assert_eq!(left.len(), 1, "{left:?}");
    assert!(left[0].contains("swe-feature-007"), "{left:?}");
    // It comes back, and folder two leaves, in one notification.
    server.notify(
        "workspace/didChangeWorkspaceFolders",
        folders(one.path(), two.path()),
    );
    server.wait_diagnostics(&uri(&a), |d| codes(&json!(d)) == ["generic-persona"]);
    server.wait_diagnostics(&uri(&b), |d| d.is_empty());
    let back = symbols(&mut server);
    assert_eq!(back.len(), 1, "{back:?}");
    assert!(back[0].contains("swe-feature-001"), "{back:?}");
}

#[test]
fn a_file_opened_without_a_folder_brings_its_project_as_root() {
    let (dir, _, b) = two_issues();
    let mut server = Server::start(dir.path());
    server.initialize(json!({
        "processId": null,
        "rootUri": null,
        "capabilities": client_capabilities(),
    }));
    let b_uri = server.open(&b, 1);
    // B depends on 001, which only the root's index knows.
    server.wait_published(&b_uri, |p| p["version"] == 1);
    let status = server.wait_indexed();
    assert_eq!(status["roots"][0]["path"], dir.path().display().to_string());
    assert_eq!(status["roots"][0]["files"], 2);
    server.settle();
    assert!(
        server.codes(&b_uri).is_empty(),
        "{:?}",
        server.diagnostics.get(&b_uri)
    );
    // Another file of the same project joins the same root.
    let c = write(
        dir.path(),
        "issues/backlog/swe-feature-003.md",
        &issue("Carrier list", "swe-feature-404"),
    );
    let c_uri = server.open(&c, 1);
    server.wait_diagnostics(&c_uri, |d| codes(&json!(d)) == ["dangling-dependency"]);
    assert_eq!(server.settle()["roots"].as_array().unwrap().len(), 1);
}

#[test]
fn a_folder_deleted_or_moved_in_counts_for_the_files_under_it() {
    let (dir, _, b) = two_issues();
    std::fs::write(&b, issue("Shipment filters", "swe-feature-404")).unwrap();
    let archive = dir.path().join("archive");
    write(
        &archive,
        "issues/done/swe-feature-010.md",
        &issue("Old list", "swe-feature-404"),
    );
    let mut server = Server::start(dir.path());
    server.initialize_root(dir.path());
    server.wait_diagnostics(&uri(&b), |d| !d.is_empty());
    assert_eq!(server.settle()["roots"][0]["files"], 3);
    // The archive's done issues move into the workspace's issues folder: a
    // watcher reports the folder at both ends.
    let (from, done) = (archive.join("issues/done"), dir.path().join("issues/done"));
    std::fs::rename(&from, &done).unwrap();
    watched(&mut server, &[(&from, DELETED), (&done, CREATED)]);
    let moved = uri(&done.join("swe-feature-010.md"));
    server.wait_diagnostics(&moved, |d| {
        codes(&json!(d)).contains(&"dangling-dependency".to_string())
    });
    // The backlog folder goes away: B's diagnostics go, and 010 remains.
    std::fs::remove_dir_all(dir.path().join("issues/backlog")).unwrap();
    watched(
        &mut server,
        &[(&dir.path().join("issues/backlog"), DELETED)],
    );
    let status = server.settle();
    assert_eq!(status["roots"][0]["files"], 1, "{status}");
    assert_eq!(status["roots"][0]["indexRuns"], 1);
    server.wait_diagnostics(&uri(&b), |d| d.is_empty());
    assert!(server
        .codes(&moved)
        .contains(&"dangling-dependency".to_string()));
}

/// A server for `root` whose client cannot watch files, so it watches with
/// `notify`; returned once the watcher runs and the root is indexed.
fn notify_server(root: &Path, env: &[(&str, &str)]) -> Server {
    let mut caps = client_capabilities();
    caps["workspace"]["didChangeWatchedFiles"] = json!({"dynamicRegistration": false});
    let mut server = Server::start_with_env(root, env);
    server.initialize(json!({"processId": null, "rootUri": uri(root), "capabilities": caps}));
    server.wait_notification("window/logMessage", |p| {
        p["message"].as_str().unwrap().contains("notify")
    });
    server.wait_indexed();
    server
}

/// Waits until `planmark/status` satisfies `matches`.
fn wait_status(server: &mut Server, mut matches: impl FnMut(&Value) -> bool) -> Value {
    let deadline = Instant::now() + crate::support::TIMEOUT;
    loop {
        let status = server.settle();
        if matches(&status) {
            return status;
        }
        assert!(Instant::now() < deadline, "timed out; status: {status}");
    }
}

fn has_dangling(d: &[Value]) -> bool {
    codes(&json!(d)).contains(&"dangling-dependency".to_string())
}

#[test]
fn the_servers_watcher_follows_folders_renamed_and_moved() {
    let (dir, _, _) = two_issues();
    let root = dir.path();
    let c = write(
        root,
        "issues/backlog/swe-feature-003.md",
        &issue("Carrier list", "swe-feature-404"),
    );
    let mut server = notify_server(root, &[]);
    server.wait_diagnostics(&uri(&c), has_dangling);
    // Renamed to a folder that is no status folder: no planning files.
    let old = root.join("issues/backlog-old");
    std::fs::rename(root.join("issues/backlog"), &old).unwrap();
    server.wait_diagnostics(&uri(&c), |d| d.is_empty());
    wait_status(&mut server, |s| s["roots"][0]["files"] == 0);
    // Renamed again, to a status folder: read under the new name.
    let planned = root.join("issues/planned");
    std::fs::rename(&old, &planned).unwrap();
    let moved = uri(&planned.join("swe-feature-003.md"));
    server.wait_diagnostics(&moved, has_dangling);
    wait_status(&mut server, |s| s["roots"][0]["files"] == 3);
    // A folder moved in from outside the root, with an issue that names 003.
    let outside = crate::tree::tempdir();
    write(
        outside.path(),
        "done/swe-feature-010.md",
        &issue("Old list", "swe-feature-003, swe-feature-405"),
    );
    std::fs::rename(outside.path().join("done"), root.join("issues/done")).unwrap();
    server.wait_diagnostics(
        &uri(&root.join("issues/done/swe-feature-010.md")),
        has_dangling,
    );
    let status = wait_status(&mut server, |s| s["roots"][0]["files"] == 4);
    assert_eq!(
        status["roots"][0]["indexRuns"], 1,
        "no re-reading: {status}"
    );
    // And moved out of the root again: gone.
    std::fs::rename(root.join("issues/done"), outside.path().join("done")).unwrap();
    server.wait_diagnostics(&uri(&root.join("issues/done/swe-feature-010.md")), |d| {
        d.is_empty()
    });
    wait_status(&mut server, |s| s["roots"][0]["files"] == 3);
}

#[test]
fn a_watcher_overflow_reads_the_root_again() {
    let (dir, _, b) = two_issues();
    let root = dir.path();
    let mut server = notify_server(root, &[("PLANMARK_TEST_HOOKS", "1")]);
    server.settle();
    assert!(server.codes(&uri(&b)).is_empty());
    // The kernel's queue overflows during a mass rewrite: the server hears
    // of none of these changes, only that events were lost.
    server
        .request("planmark/debug/watcherOverflow", json!({"start": true}))
        .unwrap();
    std::fs::write(&b, issue("Shipment filters", "swe-feature-405")).unwrap();
    let new: Vec<_> = (100..120)
        .map(|n| {
            write(
                root,
                &format!("issues/backlog/swe-feature-{n}.md"),
                &issue("Step", "swe-feature-404"),
            )
        })
        .collect();
    server
        .request("planmark/debug/watcherOverflow", json!({"start": false}))
        .unwrap();
    let logged = server.wait_notification("window/logMessage", |p| {
        p["message"].as_str().unwrap().contains("overflowed")
    });
    assert_eq!(logged["type"], 2, "a warning: {logged}");
    server.wait_diagnostics(&uri(&b), has_dangling);
    for path in &new {
        server.wait_diagnostics(&uri(path), has_dangling);
    }
    let status = wait_status(&mut server, |s| s["roots"][0]["indexed"] == true);
    assert_eq!(status["roots"][0]["files"], 22, "{status}");
    assert_eq!(status["roots"][0]["indexRuns"], 2, "{status}");
    assert!(
        server.stderr().contains("overflowed"),
        "{}",
        server.stderr()
    );
}

#[test]
fn ignore_files_apply_after_the_first_index_with_the_servers_watcher() {
    let (dir, _, _) = two_issues();
    let root = dir.path();
    let gitignore = write(root, ".gitignore", "*-wip.md\n");
    let mut server = notify_server(root, &[]);
    // A new file an ignore rule excludes is not read; the next one is.
    let wip = write(
        root,
        "issues/backlog/swe-feature-003-wip.md",
        &issue("Draft", "swe-feature-404"),
    );
    let d = write(
        root,
        "issues/backlog/swe-feature-004.md",
        &issue("Carrier list", "swe-feature-404"),
    );
    server.wait_diagnostics(&uri(&d), has_dangling);
    let status = server.settle();
    assert_eq!(status["roots"][0]["files"], 3, "{status}");
    assert!(
        !server.diagnostics.contains_key(&uri(&wip)),
        "an ignored file is not analysed"
    );
    // The rule goes: the file is read.
    std::fs::write(&gitignore, "").unwrap();
    server.wait_diagnostics(&uri(&wip), has_dangling);
    wait_status(&mut server, |s| {
        s["roots"][0]["indexed"] == true && s["roots"][0]["files"] == 4
    });
    // A rule for a file already read: it is dropped.
    std::fs::write(&gitignore, "swe-feature-004.md\n").unwrap();
    server.wait_diagnostics(&uri(&d), |d| d.is_empty());
    let status = wait_status(&mut server, |s| {
        s["roots"][0]["indexed"] == true && s["roots"][0]["files"] == 3
    });
    // Each rewrite of the ignore file read the root again (a write can
    // reach the watcher as two events, which may fall in two passes).
    assert!(
        status["roots"][0]["indexRuns"].as_u64().unwrap() >= 3,
        "{status}"
    );
}

#[test]
fn ignore_files_apply_after_the_first_index_with_client_watching() {
    let (dir, _, _) = two_issues();
    let root = dir.path();
    let ignore = write(root, "issues/.ignore", "swe-feature-003.md\n");
    let c = write(
        root,
        "issues/backlog/swe-feature-003.md",
        &issue("Carrier list", "swe-feature-404"),
    );
    let mut server = Server::start(root);
    server.initialize_root(root);
    let status = server.wait_indexed();
    assert_eq!(status["roots"][0]["files"], 2, "{status}");
    // A file created later that the rule excludes is not read either.
    let e = write(
        root,
        "issues/planned/swe-feature-003.md",
        &issue("Carrier rates", "swe-feature-405"),
    );
    let f = write(
        root,
        "issues/planned/swe-feature-006.md",
        &issue("Carrier zones", "swe-feature-406"),
    );
    watched(&mut server, &[(&e, CREATED), (&f, CREATED)]);
    server.wait_diagnostics(&uri(&f), has_dangling);
    assert!(!server.diagnostics.contains_key(&uri(&e)));
    assert!(!server.diagnostics.contains_key(&uri(&c)));
    // The client tells of the changed ignore file: the root is read again.
    std::fs::remove_file(&ignore).unwrap();
    watched(&mut server, &[(&ignore, DELETED)]);
    server.wait_diagnostics(&uri(&c), has_dangling);
    server.wait_diagnostics(&uri(&e), has_dangling);
    let status = wait_status(&mut server, |s| s["roots"][0]["indexed"] == true);
    assert_eq!(status["roots"][0]["files"], 5, "{status}");
    assert_eq!(status["roots"][0]["indexRuns"], 2, "{status}");
}

/// Every root in a `planmark/status` answer, as (path, file count).
fn roots_of(status: &Value) -> Vec<(String, u64)> {
    status["roots"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["path"].as_str().unwrap().to_string(),
                r["files"].as_u64().unwrap(),
            )
        })
        .collect()
}

/// Whether any diagnostics published so far name `code`, with the URI.
fn published_anywhere(server: &Server, code: &str) -> Option<String> {
    server
        .diagnostics
        .iter()
        .find(|(_, params)| codes(&params["diagnostics"]).iter().any(|c| c == code))
        .map(|(uri, _)| uri.clone())
}

fn without_milestone(title: &str) -> String {
    issue(title, "none").replace("**Milestone:** M1\n", "")
}

#[test]
fn a_lone_file_without_markers_is_served_alone() {
    let dir = crate::tree::tempdir();
    // A folder full of markdown, with planning files further down that a
    // walk of the folder would find.
    for n in 0..20 {
        write(dir.path(), &format!("note-{n}.md"), "# A note\n");
        write(
            dir.path(),
            &format!("old-{n}/issues/backlog/swe-feature-001.md"),
            &issue("Shipment list", "none"),
        );
    }
    let scratch = write(dir.path(), "scratch.md", &issue("Scratch", "none"));
    // A file that is no markdown at all, in a folder such as `/etc`.
    let etc = dir.path().join("etc");
    let passwd = write(&etc, "passwd", "root:x:0:0:root:/root:/bin/bash\n");
    write(
        &etc,
        "notes/issues/backlog/swe-feature-002.md",
        &issue("Etc", "none"),
    );
    let mut server = Server::start(dir.path());
    server.initialize(json!({
        "processId": null,
        "rootUri": null,
        "capabilities": client_capabilities(),
    }));
    let scratch_uri = server.open(&scratch, 1);
    let passwd_uri = server.open(&passwd, 1);
    let status = server.settle();
    // Neither file makes its folder a root: nothing was walked or read.
    assert!(
        roots_of(&status).iter().all(|(_, files)| *files == 0),
        "{status}"
    );
    assert!(
        roots_of(&status)
            .iter()
            .all(|(path, _)| *path != dir.path().display().to_string()
                && *path != etc.display().to_string()),
        "{status}"
    );
    // Both are still served as open documents.
    assert_eq!(
        server.document_text(&scratch_uri).as_deref(),
        Some(issue("Scratch", "none").as_str())
    );
    assert!(server.document_text(&passwd_uri).is_some());
    // Requests on a lone file are answered, from nothing but itself.
    let symbols = server.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": scratch_uri}}),
    );
    assert!(symbols.is_ok(), "{symbols:?}");
    assert!(!server.diagnostics.contains_key(&scratch_uri));
    assert_eq!(published_anywhere(&server, "duplicate-id"), None);
}

#[test]
fn nested_workspace_folders_each_analyse_their_own_files() {
    let dir = crate::tree::tempdir();
    let outer = write(
        dir.path(),
        "issues/backlog/swe-feature-001.md",
        &without_milestone("Shipment list"),
    );
    let inner_root = dir.path().join("inner");
    write(
        &inner_root,
        "planmark.toml",
        "[rules]\nmissing-field = \"off\"\n",
    );
    let inner = write(
        &inner_root,
        "issues/backlog/swe-feature-001.md",
        &without_milestone("Carrier list"),
    );
    let mut server = Server::start(dir.path());
    server.initialize(json!({
        "processId": null,
        "workspaceFolders": [
            {"uri": uri(dir.path()), "name": "outer"},
            {"uri": uri(&inner_root), "name": "inner"},
        ],
        "capabilities": client_capabilities(),
    }));
    server.wait_indexed();
    let inner_uri = server.open(&inner, 1);
    server.wait_published(&inner_uri, |p| p["version"] == 1);
    server.wait_diagnostics(&uri(&outer), |d| codes(&json!(d)) == ["missing-field"]);
    let status = server.settle();
    let roots = roots_of(&status);
    assert!(
        roots.contains(&(dir.path().display().to_string(), 1)),
        "{status}"
    );
    assert!(
        roots.contains(&(inner_root.display().to_string(), 1)),
        "{status}"
    );
    // The inner file has the inner root's findings only: none.
    assert!(
        server.codes(&inner_uri).is_empty(),
        "{:?}",
        server.diagnostics.get(&inner_uri)
    );
    assert_eq!(server.codes(&uri(&outer)), ["missing-field"]);
    assert_eq!(published_anywhere(&server, "duplicate-id"), None);
    // A folder event naming the inner root, or a folder holding it, does
    // not bring its files into the outer root.
    watched(
        &mut server,
        &[
            (&inner_root, CREATED),
            (&inner_root.join("issues"), CREATED),
        ],
    );
    let status = server.settle();
    assert!(
        roots_of(&status).contains(&(dir.path().display().to_string(), 1)),
        "{status}"
    );
    assert_eq!(published_anywhere(&server, "duplicate-id"), None);
}

#[test]
fn an_inner_project_opened_later_leaves_the_outer_root() {
    let dir = crate::tree::tempdir();
    let outer = write(
        dir.path(),
        "issues/backlog/swe-feature-001.md",
        &without_milestone("Shipment list"),
    );
    let inner_root = dir.path().join("vendor/inner");
    write(
        &inner_root,
        "planmark.toml",
        "[rules]\nmissing-field = \"off\"\n",
    );
    let inner = write(
        &inner_root,
        "issues/backlog/swe-feature-001.md",
        &without_milestone("Carrier list").replace("warehouse manager", "user"),
    );
    let mut server = Server::start(dir.path());
    server.initialize_root(dir.path());
    // Until one of its files is opened, the inner project is part of the
    // outer root, which then sees the same ID twice.
    assert_eq!(
        roots_of(&server.wait_indexed()),
        [(dir.path().display().to_string(), 2)]
    );
    server.wait_diagnostics(&uri(&inner), |d| {
        codes(&json!(d)).contains(&"duplicate-id".to_string())
    });
    // Opening a file of the inner project makes it a root of its own: the
    // outer root drops its files and their findings, and the inner file has
    // the inner root's findings only (its generic persona, no missing
    // field).
    let inner_uri = server.open(&inner, 1);
    server.wait_published(&inner_uri, |p| {
        p["version"] == 1 && codes(&p["diagnostics"]) == ["generic-persona"]
    });
    server.wait_diagnostics(&uri(&outer), |d| codes(&json!(d)) == ["missing-field"]);
    let status = server.wait_indexed();
    let roots = roots_of(&status);
    assert!(
        roots.contains(&(dir.path().display().to_string(), 1)),
        "{status}"
    );
    assert!(
        roots.contains(&(inner_root.display().to_string(), 1)),
        "{status}"
    );
    server.settle();
    // What the inner root published stays: the outer root's clearing of
    // the same URI is never sent after it, not even for a moment.
    let since_open: Vec<Vec<String>> = server
        .notifications
        .iter()
        .filter(|n| n["method"] == "textDocument/publishDiagnostics")
        .map(|n| &n["params"])
        .filter(|p| p["uri"] == json!(inner_uri))
        .skip_while(|p| p["version"] != 1)
        .map(|p| codes(&p["diagnostics"]))
        .collect();
    assert!(!since_open.is_empty());
    assert!(
        since_open.iter().all(|c| c == &["generic-persona"]),
        "{since_open:?}"
    );
    assert_eq!(published_anywhere(&server, "duplicate-id"), None);
    // Nor does a folder event for a folder that holds the inner root.
    watched(&mut server, &[(&dir.path().join("vendor"), CREATED)]);
    let status = server.settle();
    assert!(
        roots_of(&status).contains(&(dir.path().display().to_string(), 1)),
        "{status}"
    );
    assert_eq!(published_anywhere(&server, "duplicate-id"), None);
}

#[test]
fn a_scratch_file_beside_the_workspace_is_served_alone() {
    let dir = crate::tree::tempdir();
    let ws = dir.path().join("ws");
    let a = write(
        &ws,
        "issues/backlog/swe-feature-001.md",
        &issue("Shipment list", "none"),
    );
    write(
        &ws,
        "issues/backlog/swe-feature-002.md",
        &issue("Shipment filters", "swe-feature-001"),
    );
    // Copies of the workspace beside it hold the same IDs.
    for copy in ["ws-copy", "ws-old"] {
        crate::copy_dir::copy_dir(&ws, &{
            let to = dir.path().join(copy);
            std::fs::create_dir_all(&to).unwrap();
            to
        });
    }
    let scratch = write(dir.path(), "scratch.md", &issue("Shipment list", "none"));
    let mut server = Server::start(&ws);
    server.initialize_root(&ws);
    server.wait_indexed();
    let a_uri = server.open(&a, 1);
    server.wait_published(&a_uri, |p| p["version"] == 1);
    server.open(&scratch, 1);
    // The same file named through the workspace folder and `..`.
    let dotted = format!("{}/../scratch.md", uri(&ws));
    server.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": dotted, "languageId": "markdown", "version": 1,
            "text": issue("Shipment list", "none")}}),
    );
    let status = server.settle();
    assert_eq!(
        roots_of(&status),
        [(ws.display().to_string(), 2)],
        "{status}"
    );
    assert!(server.codes(&a_uri).is_empty());
    assert_eq!(published_anywhere(&server, "duplicate-id"), None);
}

/// A spec-kit feature whose one task waits for a task that does not exist.
const FEATURE_TASKS: &str =
    "# Tasks\n\n## Phase 1: Setup\n\n- [ ] T001 Create the bucket in infra/storage.tf (depends on T009)\n";

/// The roots of a status answer that hold nothing, by path.
fn hollow_roots(status: &Value) -> Vec<String> {
    status["roots"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["hollow"] == true)
        .map(|r| r["path"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_workspace_folder_that_is_one_part_of_a_project_reads_the_project() {
    let dir = crate::tree::tempdir();
    let feature = dir.path().join("specs/001-photos");
    write(&feature, "spec.md", "# Feature Specification: Photos\n");
    let tasks = write(&feature, "tasks.md", FEATURE_TASKS);
    write(
        dir.path(),
        "specs/002-maps/tasks.md",
        "# Tasks\n\n- [ ] T001 Draw the map in web/Map.tsx\n",
    );
    // The editor was opened on the feature's folder, where `tasks.md` is
    // no planning file: the project above it is read instead.
    let mut server = Server::start(&feature);
    server.initialize(json!({
        "processId": null,
        "workspaceFolders": [{"uri": uri(&feature), "name": "001-photos"}],
        "capabilities": client_capabilities(),
    }));
    let tasks_uri = server.open(&tasks, 1);
    server.wait_diagnostics(&tasks_uri, |d| {
        codes(&json!(d)).contains(&"dangling-dependency".to_string())
    });
    let status = server.wait_indexed();
    assert_eq!(hollow_roots(&status), [feature.display().to_string()]);
    assert!(
        roots_of(&status).contains(&(dir.path().display().to_string(), 3)),
        "{status}"
    );
    // Requests are answered from the project's index.
    let hover = server.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": tasks_uri}, "position": {"line": 4, "character": 7}}),
    );
    assert!(
        hover.as_ref().is_ok_and(|h| h.to_string().contains("T001")),
        "{hover:?}"
    );
    // An edit is analysed in the project, and fixes the finding.
    server.change_full(
        &tasks_uri,
        2,
        &FEATURE_TASKS.replace(" (depends on T009)", ""),
    );
    server.wait_published(&tasks_uri, |p| {
        p["version"] == 2 && codes(&p["diagnostics"]).is_empty()
    });
    assert!(!server.stderr().contains("panicked"), "{}", server.stderr());
}

#[test]
fn a_removed_folder_that_was_one_part_of_a_project_takes_the_project_with_it() {
    let dir = crate::tree::tempdir();
    let feature = dir.path().join("specs/001-photos");
    write(&feature, "spec.md", "# Feature Specification: Photos\n");
    let tasks = write(&feature, "tasks.md", FEATURE_TASKS);
    let other = crate::tree::tempdir();
    let persona = issue("Shipment list", "none").replace("warehouse manager", "user");
    let kept = write(other.path(), "issues/backlog/swe-feature-001.md", &persona);
    let mut server = Server::start(&feature);
    server.initialize(json!({
        "processId": null,
        "workspaceFolders": [
            {"uri": uri(&feature), "name": "001-photos"},
            {"uri": uri(other.path()), "name": "other"},
        ],
        "capabilities": client_capabilities(),
    }));
    let tasks_uri = uri(&tasks);
    server.wait_diagnostics(&tasks_uri, |d| codes(&json!(d)) == ["dangling-dependency"]);
    let status = server.wait_indexed();
    assert!(
        roots_of(&status).contains(&(dir.path().display().to_string(), 2)),
        "{status}"
    );
    // The folder leaves: the project read for it goes too, as nothing
    // else asked for it; the other folder stays.
    server.notify(
        "workspace/didChangeWorkspaceFolders",
        json!({"event": {"added": [], "removed": [{"uri": uri(&feature), "name": "001-photos"}]}}),
    );
    server.wait_diagnostics(&tasks_uri, |d| d.is_empty());
    let status = server.wait_indexed();
    assert!(
        hollow_roots(&status).contains(&dir.path().display().to_string()),
        "{status}"
    );
    server.wait_diagnostics(&uri(&kept), |d| codes(&json!(d)) == ["generic-persona"]);
    // Added again, it reads the project again.
    server.notify(
        "workspace/didChangeWorkspaceFolders",
        json!({"event": {"added": [{"uri": uri(&feature), "name": "001-photos"}], "removed": []}}),
    );
    server.wait_diagnostics(&tasks_uri, |d| codes(&json!(d)) == ["dangling-dependency"]);
    assert!(!server.stderr().contains("panicked"), "{}", server.stderr());
}

#[test]
fn a_folder_of_a_project_beside_the_project_is_the_projects_again() {
    let dir = crate::tree::tempdir();
    let feature = dir.path().join("specs/001-photos");
    write(&feature, "spec.md", "# Feature Specification: Photos\n");
    let tasks = write(&feature, "tasks.md", FEATURE_TASKS);
    // Both the project and one of its features are workspace folders: the
    // feature's folder holds nothing of its own, so the project keeps its
    // files, once.
    let mut server = Server::start(dir.path());
    server.initialize(json!({
        "processId": null,
        "workspaceFolders": [
            {"uri": uri(dir.path()), "name": "project"},
            {"uri": uri(&feature), "name": "001-photos"},
        ],
        "capabilities": client_capabilities(),
    }));
    let tasks_uri = server.open(&tasks, 1);
    server.wait_diagnostics(&tasks_uri, |d| codes(&json!(d)) == ["dangling-dependency"]);
    let status = server.wait_indexed();
    assert_eq!(hollow_roots(&status), [feature.display().to_string()]);
    assert!(
        roots_of(&status).contains(&(dir.path().display().to_string(), 2)),
        "{status}"
    );
    assert_eq!(roots_of(&status).len(), 2, "{status}");
}
