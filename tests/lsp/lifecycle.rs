//! The server's life over stdio: initialize, shutdown and exit codes,
//! requests before initialize, unknown methods, panicking handlers, log
//! messages, and exiting when the client's process dies.

use std::process::{Command, Stdio};
use std::time::Duration;

use crate::support::{two_issues, uri, Server, TIMEOUT};
use serde_json::{json, Value};

#[test]
fn initialize_answers_with_the_capabilities_it_implements() {
    let (dir, _, _) = two_issues();
    let mut server = Server::start(dir.path());
    let result = server.initialize_root(dir.path());
    let caps = &result["capabilities"];
    assert_eq!(caps["positionEncoding"], "utf-16");
    assert_eq!(caps["textDocumentSync"]["change"], 2, "incremental sync");
    assert_eq!(caps["textDocumentSync"]["openClose"], true);
    // Push diagnostics: no diagnostic provider without client support.
    assert!(caps.get("diagnosticProvider").is_none());
    assert_eq!(result["serverInfo"]["name"], "planmark");
    // Important events reach the client's log: without `$/progress`, when
    // indexing starts and when it ends.
    server.wait_notification("window/logMessage", |p| {
        p["message"]
            .as_str()
            .unwrap()
            .contains("indexing 2 planning files")
    });
    server.wait_notification("window/logMessage", |p| {
        p["message"]
            .as_str()
            .unwrap()
            .contains("indexed 2 planning files")
    });
    let status = server.shutdown_and_exit();
    assert_eq!(status.code(), Some(0));
}

#[test]
fn the_stdio_flag_clients_add_is_accepted_and_default_logs_are_quiet() {
    // vscode-languageclient appends `--stdio` for its stdio transport.
    let (dir, _, _) = two_issues();
    let mut server = Server::start_configured(dir.path(), &["--stdio"], &[], None);
    let result = server.initialize_root(dir.path());
    assert_eq!(result["serverInfo"]["name"], "planmark");
    server.wait_indexed();
    let status = server.shutdown_and_exit();
    assert_eq!(status.code(), Some(0));
}

#[test]
fn default_logs_hold_no_info_lines() {
    // Helix and Neovim record every stderr line as an error.
    let (dir, _, _) = two_issues();
    let mut server = Server::start_configured(dir.path(), &[], &[], None);
    server.initialize_root(dir.path());
    server.wait_indexed();
    let stderr = server.stderr();
    let status = server.shutdown_and_exit();
    assert_eq!(status.code(), Some(0));
    assert!(!stderr.contains("INFO"), "stderr: {stderr}");
}

#[test]
fn exit_without_shutdown_exits_with_1() {
    let (dir, _, _) = two_issues();
    let mut server = Server::start(dir.path());
    server.initialize_root(dir.path());
    server.notify("exit", Value::Null);
    let status = server.wait_exit(TIMEOUT).expect("the server exits");
    assert_eq!(status.code(), Some(1));
}

#[test]
fn closing_stdin_without_exit_ends_the_server_with_1() {
    let (dir, _, _) = two_issues();
    let mut server = Server::start(dir.path());
    server.initialize_root(dir.path());
    server.close_stdin();
    let status = server.wait_exit(TIMEOUT).expect("the server exits");
    assert_eq!(status.code(), Some(1));
}

#[test]
fn requests_before_initialize_are_refused_with_32002() {
    let (dir, _, _) = two_issues();
    let mut server = Server::start(dir.path());
    let error = server
        .request("planmark/status", Value::Null)
        .expect_err("not initialized");
    assert_eq!(error["code"], -32002);
    let error = server
        .request("workspace/diagnostic", json!({"previousResultIds": []}))
        .expect_err("not initialized");
    assert_eq!(error["code"], -32002);
    // Notifications before initialize are dropped, and initialize works.
    server.open(&dir.path().join("issues/backlog/swe-feature-001.md"), 1);
    server.initialize_root(dir.path());
    let status = server.request("planmark/status", Value::Null).unwrap();
    assert_eq!(status["roots"].as_array().unwrap().len(), 1);
}

#[test]
fn unknown_methods_get_32601() {
    let (dir, _, _) = two_issues();
    let mut server = Server::start(dir.path());
    server.initialize_root(dir.path());
    let error = server
        .request("planmark/noSuchMethod", json!({}))
        .expect_err("unknown method");
    assert_eq!(error["code"], -32601);
    let error = server
        .request(
            "textDocument/signatureHelp",
            json!({
                "textDocument": {"uri": uri(&dir.path().join("x.md"))},
                "position": {"line": 0, "character": 0},
            }),
        )
        .expect_err("signature help is not implemented");
    assert_eq!(error["code"], -32601);
    // Unknown notifications are ignored; the server still answers.
    server.notify("planmark/noSuchNotification", json!({}));
    assert!(server.request("planmark/status", Value::Null).is_ok());
}

#[test]
fn a_panicking_handler_gets_an_internal_error_and_the_server_carries_on() {
    let (dir, a, _) = two_issues();
    // Without a backtrace: symbolising one for a debug build can take the
    // whole timeout on a loaded machine, and the test is not about it.
    let mut server = Server::start_with_env(
        dir.path(),
        &[("PLANMARK_TEST_HOOKS", "1"), ("RUST_BACKTRACE", "0")],
    );
    server.initialize_root(dir.path());
    let error = server
        .request("planmark/debug/panic", Value::Null)
        .expect_err("the handler panics");
    assert_eq!(error["code"], -32603);
    assert!(error["message"]
        .as_str()
        .unwrap()
        .contains("planmark/debug/panic"));
    // Still serving: documents, diagnostics, requests.
    let uri = server.open_text(&a, 1, "# Broken\n\n**Dependencies:** swe-feature-404\n");
    server.wait_diagnostics(&uri, |d| {
        crate::support::codes(&json!(d)).contains(&"dangling-dependency".to_string())
    });
    assert_eq!(server.shutdown_and_exit().code(), Some(0));
}

#[test]
fn the_debug_panic_request_does_not_exist_without_the_test_hooks() {
    let (dir, _, _) = two_issues();
    let mut server = Server::start(dir.path());
    server.initialize_root(dir.path());
    let error = server
        .request("planmark/debug/panic", Value::Null)
        .expect_err("no such method");
    assert_eq!(error["code"], -32601);
}

#[test]
fn the_server_exits_when_the_client_process_dies() {
    let (dir, _, _) = two_issues();
    let mut client = Command::new("sleep")
        .arg("60")
        .stdin(Stdio::null())
        .spawn()
        .expect("sleep runs");
    let mut server = Server::start(dir.path());
    server.initialize(json!({
        "processId": client.id(),
        "rootUri": uri(dir.path()),
        "capabilities": {},
    }));
    assert!(server.request("planmark/status", Value::Null).is_ok());
    assert!(server.wait_exit(Duration::from_millis(500)).is_none());
    client.kill().unwrap();
    client.wait().unwrap();
    let status = server
        .wait_exit(Duration::from_secs(10))
        .expect("the server notices that its client is gone");
    assert_eq!(status.code(), Some(1));
}
