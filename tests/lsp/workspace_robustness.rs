//! Hostile workspaces through the server's indexing and through `planmark
//! check`: symlink loops, symlinks out of the root, unreadable folders and
//! files, files that are not UTF-8, names with spaces and non-ASCII
//! characters, files that vanish before a change event is handled, a
//! folder made unreadable after the first index, and dependency fields
//! that look like paths. Each loads, with a clear report
//! for each problem file; nothing outside the root is ever read (a FIFO
//! outside the root would block whoever opened it).

use std::fs;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::support::{issue, uri, write, Server};
use crate::tree::{permissions_apply, Tree};
use serde_json::{json, Value};

/// Runs `planmark check --format json` in `root`, killing it after 30 s
/// (a read of a FIFO would block it).
fn check(root: &Path) -> Output {
    check_wrapped(root, &[])
}

/// [`check`] through `wrapper` (see [`Server::start_wrapped`]).
fn check_wrapped(root: &Path, wrapper: &[&str]) -> Output {
    let mut command = match wrapper.split_first() {
        Some((program, args)) => {
            let mut command = Command::new(program);
            command.args(args).arg(env!("CARGO_BIN_EXE_planmark"));
            command
        }
        None => Command::new(env!("CARGO_BIN_EXE_planmark")),
    };
    let mut child = command
        .args(["check", ".", "--format", "json"])
        .current_dir(root)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            child.kill().unwrap();
            panic!("planmark check hung (did it open a FIFO?)");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

/// A command prefix under which permission bits apply to the programs it
/// runs: none when they apply to this process already; for root,
/// `setpriv` dropping the two capabilities that bypass them from the
/// bounding set (so the planmark it runs has them in no set), which
/// affects that process only. `None` when neither works here.
fn permission_bits_apply(readable: &Path, locked: &Path) -> Option<Vec<&'static str>> {
    if fs::read_dir(locked).is_err() {
        return Some(Vec::new());
    }
    let wrapper = vec![
        "setpriv",
        "--bounding-set=-dac_override,-dac_read_search",
        "--",
    ];
    let ls = |path: &Path| {
        Command::new(wrapper[0])
            .args(&wrapper[1..])
            .arg("ls")
            .arg(path)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    if ls(readable) && !ls(locked) {
        Some(wrapper)
    } else {
        eprintln!("note: cannot drop the capabilities that bypass permission bits; skipping");
        None
    }
}

fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo").arg(path).status().unwrap();
    assert!(status.success(), "mkfifo {}", path.display());
}

/// Everything the server sent, as one string, to look for leaked text.
fn all_messages(server: &Server) -> String {
    let mut out = String::new();
    for m in server.notifications.iter().chain(&server.server_requests) {
        out.push_str(&m.to_string());
    }
    for d in server.diagnostics.values() {
        out.push_str(&d.to_string());
    }
    out
}

#[cfg(unix)]
#[test]
fn odd_workspaces_index_with_a_report_for_each_problem_file() {
    use std::os::unix::fs::{symlink, PermissionsExt};
    let t = Tree::new();
    let root = &t.root;
    let sentinel = "SENTINEL-OUTSIDE-c0ffee";
    fs::write(
        t.outside.join("swe-feature-090.md"),
        format!("# {sentinel}\n"),
    )
    .unwrap();
    write(
        root,
        "issues/backlog/swe-feature-001.md",
        &issue("Shipment list", "none"),
    );
    let spaced = write(
        root,
        "issues/backlog/swe-feature-002 copy.md",
        &issue("Shipment copy", "swe-feature-001"),
    );
    let unicode = write(
        root,
        "issues/backlog/swe-feature-003 — ünïcödé ☕.md",
        &issue("Café list", "swe-feature-404"),
    );
    let latin1 = root.join("issues/backlog/swe-feature-004.md");
    fs::write(&latin1, b"# Caf\xe9\n").unwrap();
    // Loops, links out of the root and a locked folder.
    symlink(root, root.join("issues/backlog/loop")).unwrap();
    symlink(root.join("b"), root.join("a")).unwrap();
    symlink(root.join("a"), root.join("b")).unwrap();
    symlink(
        t.outside.join("swe-feature-090.md"),
        root.join("issues/backlog/swe-feature-090.md"),
    )
    .unwrap();
    symlink(&t.outside, root.join("issues/done")).unwrap();
    mkfifo(&t.outside.join("swe-feature-091.md"));
    symlink(
        t.outside.join("swe-feature-091.md"),
        root.join("issues/backlog/swe-feature-091.md"),
    )
    .unwrap();
    let locked = write(
        root,
        "issues/planned/swe-feature-005.md",
        &issue("Locked", "none"),
    );
    let locked_dir = root.join("issues/planned");
    fs::set_permissions(&locked_dir, fs::Permissions::from_mode(0o000)).unwrap();
    let applies = permissions_apply(&locked_dir);

    // The server.
    let mut server = Server::start(root);
    server.initialize_root(root);
    let started = Instant::now();
    let status = server.wait_indexed();
    assert!(started.elapsed() < Duration::from_secs(10));
    server.settle();
    // 001, the copy, the non-ASCII name and the Latin-1 file (reported),
    // and 005 when the permissions do not apply.
    let expected_files = if applies { 4 } else { 5 };
    assert_eq!(status["roots"][0]["files"], expected_files, "{status}");
    let published: Vec<&String> = server.diagnostics.keys().collect();
    for path in [&spaced, &unicode, &latin1] {
        assert!(
            server.diagnostics.contains_key(&uri(path)),
            "{} has no diagnostics entry: {published:?}",
            path.display()
        );
    }
    let latin1_diagnostics = &server.diagnostics[&uri(&latin1)]["diagnostics"];
    // Read with U+FFFD for the bad byte, and checked as any other file.
    let codes = crate::support::codes(latin1_diagnostics);
    assert!(
        codes.contains(&"missing-acceptance-criteria".to_string()),
        "{latin1_diagnostics}"
    );
    let invalid = latin1_diagnostics
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "invalid-utf8")
        .unwrap_or_else(|| panic!("no invalid-utf8: {latin1_diagnostics}"));
    assert_eq!(invalid["range"]["start"]["character"], 5, "{invalid}");
    assert_eq!(invalid["range"]["end"]["character"], 6, "{invalid}");
    let logged: Vec<String> = server
        .notifications
        .iter()
        .filter(|m| m["method"] == "window/logMessage")
        .map(|m| m["params"]["message"].as_str().unwrap().to_string())
        .collect();
    assert!(
        logged.iter().any(|m| m.contains("loop")),
        "the loop is reported: {logged:#?}"
    );
    for rel in ["issues/done", "issues/backlog/swe-feature-090.md"] {
        assert!(
            logged.iter().any(|m| m.contains(rel)),
            "{rel} is reported: {logged:#?}"
        );
    }
    if applies {
        assert!(
            logged.iter().any(|m| m.contains("issues/planned")),
            "the locked folder is reported: {logged:#?}"
        );
    }
    // Documents with odd names open under the URIs editors send.
    for path in [&spaced, &unicode] {
        let doc = uri(path);
        let text = issue("Renamed", "swe-feature-405");
        server.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": doc, "languageId": "markdown", "version": 1, "text": text}}),
        );
        assert_eq!(server.document_text(&doc), Some(text));
        let found = server.wait_published(&doc, |p| p["version"] == 1);
        assert!(
            found["diagnostics"].to_string().contains("swe-feature-405"),
            "{found}"
        );
    }
    assert!(!all_messages(&server).contains(sentinel));
    assert_eq!(server.shutdown_and_exit().code(), Some(0));

    // planmark check.
    let output = check(root);
    fs::set_permissions(&locked_dir, fs::Permissions::from_mode(0o755)).unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stdout}\n{stderr}");
    assert!(!stdout.contains(sentinel) && !stderr.contains(sentinel));
    assert!(stderr.contains("loop"), "{stderr}");
    assert!(stderr.contains("issues/done"), "{stderr}");
    let report: Value = serde_json::from_str(&stdout).unwrap();
    let paths: Vec<&str> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["path"].as_str().unwrap().trim_start_matches("./"))
        .collect();
    for rel in [
        "issues/backlog/swe-feature-002 copy.md",
        "issues/backlog/swe-feature-003 — ünïcödé ☕.md",
        "issues/backlog/swe-feature-004.md",
    ] {
        assert!(paths.contains(&rel), "{rel} not in {paths:?}");
    }
    assert!(locked.exists());
}

#[test]
fn files_that_vanish_before_their_change_is_handled_are_dropped() {
    let t = Tree::new();
    let root = &t.root;
    let a = write(
        root,
        "issues/backlog/swe-feature-001.md",
        &issue("A", "none"),
    );
    let b = write(
        root,
        "issues/backlog/swe-feature-002.md",
        &issue("B", "swe-feature-001"),
    );
    let mut server = Server::start(root);
    server.initialize_root(root);
    server.wait_indexed();
    // A "changed" and a "created" event for files that are gone by the
    // time the server reads them, and a deletion of a file never seen.
    fs::remove_file(&a).unwrap();
    server.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [
            {"uri": uri(&a), "type": 2},
            {"uri": uri(&root.join("issues/backlog/swe-feature-003.md")), "type": 1},
            {"uri": uri(&root.join("issues/backlog/swe-feature-004.md")), "type": 3},
        ]}),
    );
    let b_uri = uri(&b);
    let dangling = server.wait_diagnostics(&b_uri, |d| {
        crate::support::codes(&json!(d)) == ["dangling-dependency"]
    });
    assert!(dangling["diagnostics"][0]["message"]
        .as_str()
        .unwrap()
        .contains("swe-feature-001"));
    let status = server.request("planmark/status", Value::Null).unwrap();
    assert_eq!(status["roots"][0]["files"], 1, "{status}");
    assert_eq!(server.shutdown_and_exit().code(), Some(0));
}

#[cfg(unix)]
#[test]
fn references_that_look_like_paths_are_ids_and_never_opened() {
    let t = Tree::new();
    let root = &t.root;
    let sentinel = "SENTINEL-PATH-REF-4b1d";
    fs::write(t.outside.join("passwd"), format!("root:{sentinel}\n")).unwrap();
    fs::write(
        t.outside.join("swe-feature-099.md"),
        format!("# {sentinel}\n"),
    )
    .unwrap();
    // Opening this for reading would block: a hang shows that it was.
    mkfifo(&t.outside.join("swe-feature-098.md"));
    let deps = format!(
        "../../etc/passwd, ../outside/swe-feature-099.md, {}/passwd, {}/swe-feature-098.md, file:///etc/shadow",
        t.outside.display(),
        t.outside.display()
    );
    let text = issue("Paths", &deps);
    let a = write(root, "issues/backlog/swe-feature-001.md", &text);
    write(
        root,
        "issues/backlog/swe-feature-002.md",
        &issue("Other", "swe-feature-001"),
    );

    let mut server = Server::start(root);
    server.initialize_root(root);
    server.wait_indexed();
    let doc = server.open(&a, 1);
    let found = server.wait_diagnostics(&doc, |d| !d.is_empty());
    let messages: Vec<&str> = found["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "dangling-dependency")
        .map(|d| d["message"].as_str().unwrap())
        .collect();
    assert_eq!(messages.len(), 2, "{messages:?}");
    assert!(messages.iter().any(|m| m.contains("swe-feature-099")));
    assert!(messages.iter().any(|m| m.contains("swe-feature-098")));
    // Hover, go-to-definition, references and completion on every part of
    // the dependency line: whatever they answer names nothing outside.
    let line = text
        .lines()
        .position(|l| l.starts_with("**Dependencies:**"))
        .unwrap();
    let width = text.lines().nth(line).unwrap().encode_utf16().count();
    for character in (0..width).step_by(3) {
        let at = json!({
            "textDocument": {"uri": doc},
            "position": {"line": line, "character": character},
        });
        let with_context = |context: Value| {
            let mut params = at.clone();
            params["context"] = context;
            params
        };
        for (method, params) in [
            ("textDocument/hover", at.clone()),
            ("textDocument/definition", at.clone()),
            (
                "textDocument/references",
                with_context(json!({"includeDeclaration": true})),
            ),
            (
                "textDocument/completion",
                with_context(json!({"triggerKind": 1})),
            ),
            ("textDocument/documentLink", at.clone()),
        ] {
            match server.request(method, params) {
                Ok(result) => {
                    let result = result.to_string();
                    assert!(!result.contains(sentinel), "{method}: {result}");
                    assert!(!result.contains("outside"), "{method}: {result}");
                    assert!(!result.contains("/etc/"), "{method}: {result}");
                }
                Err(error) => assert_eq!(error["code"], -32601, "{method}: {error}"),
            }
        }
    }
    assert!(!all_messages(&server).contains(sentinel));
    assert_eq!(server.shutdown_and_exit().code(), Some(0));

    let output = check(root);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    assert!(!stdout.contains(sentinel), "{stdout}");
    assert_eq!(stdout.matches("dangling-dependency").count(), 2, "{stdout}");
}

/// A folder that becomes unreadable after the first index: the server's
/// own watcher drops its files and logs why, as `planmark check` drops
/// them and reports the folder (in its JSON output too); readable again,
/// the files come back. Root reads any folder whatever its permission
/// bits, so as root the server and `check` run under `setpriv` without the
/// capabilities that allow it.
#[cfg(unix)]
#[test]
fn a_folder_made_unreadable_drops_its_files_in_the_server_as_in_check() {
    use std::os::unix::fs::PermissionsExt;
    let t = Tree::new();
    let root = &t.root;
    write(
        root,
        "issues/backlog/swe-feature-001.md",
        &issue("Shipment list", "none"),
    );
    let hidden = write(
        root,
        "issues/planned/swe-feature-005.md",
        &issue("Locked", "swe-feature-404"),
    );
    let locked = root.join("issues/planned");
    let chmod = |mode: u32| fs::set_permissions(&locked, fs::Permissions::from_mode(mode)).unwrap();
    chmod(0o000);
    let wrapper = permission_bits_apply(root, &locked);
    chmod(0o755);
    let Some(wrapper) = wrapper else {
        return;
    };
    let mut caps = crate::support::client_capabilities();
    caps["workspace"]["didChangeWatchedFiles"] = json!({"dynamicRegistration": false});
    let mut server = Server::start_wrapped(root, &wrapper, &[], &[], Some("planmark=debug,info"));
    server.initialize(json!({"processId": null, "rootUri": uri(root), "capabilities": caps}));
    server.wait_notification("window/logMessage", |p| {
        p["message"].as_str().unwrap().contains("notify")
    });
    let is_dangling =
        |d: &[Value]| crate::support::codes(&json!(d)).contains(&"dangling-dependency".to_string());
    server.wait_diagnostics(&uri(&hidden), is_dangling);

    chmod(0o000);
    server.wait_diagnostics(&uri(&hidden), |d| d.is_empty());
    let logged = server.wait_notification("window/logMessage", |p| {
        p["message"].as_str().unwrap().contains("issues/planned")
    });
    assert_eq!(logged["type"], 2, "a warning: {logged}");
    assert!(
        logged["message"]
            .as_str()
            .unwrap()
            .contains("cannot be read"),
        "{logged}"
    );
    let status = server.request("planmark/status", Value::Null).unwrap();
    assert_eq!(status["roots"][0]["files"], 1, "{status}");

    let output = check_wrapped(root, &wrapper);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let report: Value = serde_json::from_str(&stdout).unwrap();
    assert!(
        !stdout.contains("swe-feature-005"),
        "check drops the file too: {stdout}"
    );
    assert_eq!(report["summary"]["files"], 1, "{stdout}");
    let problems = report["problems"]
        .as_array()
        .expect("walk problems in the JSON");
    assert!(
        problems
            .iter()
            .any(|p| p["path"].as_str().unwrap().ends_with("issues/planned")
                && p["message"].as_str().unwrap().contains("cannot be read")),
        "{stdout}"
    );

    // Readable again: the file is read again.
    chmod(0o755);
    server.wait_diagnostics(&uri(&hidden), is_dangling);
    let status = server.request("planmark/status", Value::Null).unwrap();
    assert_eq!(status["roots"][0]["files"], 2, "{status}");
    assert_eq!(
        status["roots"][0]["indexRuns"], 1,
        "no re-reading: {status}"
    );
    assert_eq!(server.shutdown_and_exit().code(), Some(0));
}

#[test]
fn uris_with_a_remote_host_are_never_read_as_local_paths() {
    let t = Tree::new();
    let file = write(
        &t.root,
        "issues/backlog/swe-feature-001.md",
        &issue("Shipment list", "swe-feature-404"),
    );
    let remote = |path: &Path| format!("file://fileserver{}", path.display());
    let mut server = Server::start(&t.root);
    // A workspace folder on another machine is no root.
    server.initialize(json!({
        "processId": null,
        "workspaceFolders": [{"uri": remote(&t.root), "name": "share"}],
        "capabilities": crate::support::client_capabilities(),
    }));
    let remote_uri = remote(&file);
    server.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": remote_uri, "languageId": "markdown", "version": 1,
            "text": issue("Shipment list", "swe-feature-404")}}),
    );
    // A file changed on another machine is not the local file either.
    server.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": remote(&file), "type": 2}]}),
    );
    let status = server.settle();
    assert_eq!(status["roots"], json!([]), "{status}");
    assert!(
        !server.diagnostics.contains_key(&remote_uri),
        "{:?}",
        server.diagnostics
    );
    // The document is still held, and `localhost` is this machine.
    assert!(server.document_text(&remote_uri).is_some());
    let local = format!("file://localhost{}", file.display());
    server.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": local, "languageId": "markdown", "version": 1,
            "text": issue("Shipment list", "swe-feature-404")}}),
    );
    server.wait_diagnostics(&local, |d| {
        crate::support::codes(&json!(d)) == ["dangling-dependency"]
    });
    let status = server.wait_indexed();
    assert_eq!(status["roots"][0]["path"], t.root.display().to_string());
    assert_eq!(status["roots"][0]["files"], 1);
}
