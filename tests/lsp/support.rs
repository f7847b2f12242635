//! A small LSP client for the tests that drive `planmark lsp` over stdio:
//! it frames messages with `Content-Length`, answers the server's requests,
//! keeps the latest diagnostics per URI, and waits for messages with
//! timeouts (a reader thread feeds a channel), so no test can hang.

use std::collections::{HashMap, VecDeque};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::tree::tempdir;

/// How long any single wait may take before the test fails.
pub const TIMEOUT: Duration = Duration::from_secs(15);

pub struct Server {
    child: Child,
    stdin: Option<ChildStdin>,
    rx: Receiver<Value>,
    /// Messages received and not consumed yet, oldest first.
    inbox: VecDeque<Value>,
    next_id: i64,
    /// Answers to the server's requests, by method (default: null).
    pub replies: HashMap<String, Value>,
    /// Every request the server sent, in order.
    pub server_requests: Vec<Value>,
    /// The latest `publishDiagnostics` per URI.
    pub diagnostics: HashMap<String, Value>,
    /// Every notification the server sent, in order.
    pub notifications: Vec<Value>,
    stderr: Arc<Mutex<String>>,
}

impl Server {
    /// Starts `planmark lsp` in `cwd`.
    pub fn start(cwd: &Path) -> Server {
        Server::start_with_env(cwd, &[])
    }

    pub fn start_with_env(cwd: &Path, env: &[(&str, &str)]) -> Server {
        Server::start_configured(cwd, &[], env, Some("planmark=debug,info"))
    }

    /// Starts `planmark lsp` with extra arguments after `lsp`, extra
    /// environment variables, and `PLANMARK_LOG` set to `log` (or unset, for
    /// the default level).
    pub fn start_configured(
        cwd: &Path,
        args: &[&str],
        env: &[(&str, &str)],
        log: Option<&str>,
    ) -> Server {
        Server::start_wrapped(cwd, &[], args, env, log)
    }

    /// [`Server::start_configured`] through `wrapper`, a program and its
    /// arguments that run the command after them (`setpriv ...`); none
    /// when empty.
    pub fn start_wrapped(
        cwd: &Path,
        wrapper: &[&str],
        args: &[&str],
        env: &[(&str, &str)],
        log: Option<&str>,
    ) -> Server {
        let mut command = match wrapper.split_first() {
            Some((program, wrapper_args)) => {
                let mut command = Command::new(program);
                command
                    .args(wrapper_args)
                    .arg(env!("CARGO_BIN_EXE_planmark"));
                command
            }
            None => Command::new(env!("CARGO_BIN_EXE_planmark")),
        };
        command.arg("lsp").args(args).current_dir(cwd);
        match log {
            Some(filter) => command.env("PLANMARK_LOG", filter),
            None => command.env_remove("PLANMARK_LOG").env_remove("RUST_LOG"),
        };
        command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (key, value) in env {
            command.env(key, value);
        }
        let mut child = command.spawn().expect("planmark lsp starts");
        let stdin = child.stdin.take();
        let stdout = child.stdout.take().unwrap();
        let stderr_pipe = child.stderr.take().unwrap();
        let (tx, rx) = mpsc::channel();
        thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Some(message) = read_message(&mut reader) {
                if tx.send(message).is_err() {
                    break;
                }
            }
        });
        let stderr = Arc::new(Mutex::new(String::new()));
        let sink = stderr.clone();
        thread::spawn(move || {
            let mut reader = BufReader::new(stderr_pipe);
            let mut line = String::new();
            while reader.read_line(&mut line).unwrap_or(0) > 0 {
                if std::env::var_os("PLANMARK_TEST_STDERR").is_some() {
                    eprint!("server: {line}");
                }
                sink.lock().unwrap().push_str(&line);
                line.clear();
            }
        });
        Server {
            child,
            stdin,
            rx,
            inbox: VecDeque::new(),
            next_id: 1,
            replies: HashMap::new(),
            server_requests: Vec::new(),
            diagnostics: HashMap::new(),
            notifications: Vec::new(),
            stderr,
        }
    }

    /// What the server wrote to stderr so far.
    pub fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    pub fn send(&mut self, message: &Value) {
        let body = serde_json::to_string(message).unwrap();
        let framed = format!("Content-Length: {}\r\n\r\n{}", body.len(), body);
        self.send_raw(framed.as_bytes());
    }

    /// Writes bytes to the server's stdin as they are, framing and all.
    pub fn send_raw(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().expect("stdin is open");
        // A server that already exited shows up in the next wait.
        let _ = stdin.write_all(bytes);
        let _ = stdin.flush();
    }

    /// The server's process ID.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Sends a request and returns its ID without waiting.
    pub fn send_request(&mut self, method: &str, params: Option<Value>) -> i64 {
        let id = self.next_id;
        self.next_id += 1;
        let mut message = json!({"jsonrpc": "2.0", "id": id, "method": method});
        if let Some(params) = params {
            message["params"] = params;
        }
        self.send(&message);
        id
    }

    /// Sends a request and waits for its result (`Ok`) or error (`Err`).
    pub fn request(&mut self, method: &str, params: Value) -> Result<Value, Value> {
        let params = if params.is_null() { None } else { Some(params) };
        let id = self.send_request(method, params);
        self.response(id)
    }

    pub fn response(&mut self, id: i64) -> Result<Value, Value> {
        let what = format!("the response to request {id}");
        let message = self.wait_for(&what, |m| {
            m.get("id") == Some(&json!(id)) && m.get("method").is_none()
        });
        match message.get("error") {
            Some(error) => Err(error.clone()),
            None => Ok(message.get("result").cloned().unwrap_or(Value::Null)),
        }
    }

    /// The next message, answering server requests on the way; `None` on
    /// timeout or when the server closed its output.
    fn receive(&mut self, timeout: Duration) -> Option<Value> {
        let message = match self.rx.recv_timeout(timeout) {
            Ok(message) => message,
            Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => return None,
        };
        let method = message.get("method").and_then(Value::as_str);
        match (method, message.get("id")) {
            (Some(method), Some(id)) => {
                let result = self.replies.get(method).cloned().unwrap_or(Value::Null);
                let id = id.clone();
                self.server_requests.push(message.clone());
                self.send(&json!({"jsonrpc": "2.0", "id": id, "result": result}));
            }
            (Some("textDocument/publishDiagnostics"), None) => {
                let uri = message["params"]["uri"].as_str().unwrap_or("").to_string();
                self.diagnostics.insert(uri, message["params"].clone());
                self.notifications.push(message.clone());
            }
            (Some(_), None) => self.notifications.push(message.clone()),
            _ => {}
        }
        Some(message)
    }

    /// Waits for (and consumes) the first message, old or new, that
    /// matches; fails the test after [`TIMEOUT`].
    pub fn wait_for(&mut self, what: &str, mut matches: impl FnMut(&Value) -> bool) -> Value {
        if let Some(i) = self.inbox.iter().position(&mut matches) {
            return self.inbox.remove(i).unwrap();
        }
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.receive(left) {
                Some(message) if matches(&message) => return message,
                Some(message) => self.inbox.push_back(message),
                None => panic!(
                    "timed out waiting for {what}; unconsumed messages:\n{}\nserver stderr:\n{}",
                    self.inbox
                        .iter()
                        .rev()
                        .take(15)
                        .map(|m| truncate(&m.to_string()))
                        .collect::<Vec<_>>()
                        .join("\n"),
                    self.stderr()
                ),
            }
        }
    }

    /// Waits for a notification with this method whose params match.
    pub fn wait_notification(
        &mut self,
        method: &str,
        mut matches: impl FnMut(&Value) -> bool,
    ) -> Value {
        let what = format!("a `{method}` notification");
        let message = self.wait_for(&what, |m| {
            m.get("method") == Some(&json!(method))
                && m.get("id").is_none()
                && matches(&m["params"])
        });
        message["params"].clone()
    }

    /// Waits for a request from the server with this method.
    pub fn wait_server_request(&mut self, method: &str) -> Value {
        let what = format!("a `{method}` request from the server");
        self.wait_for(&what, |m| {
            m.get("method") == Some(&json!(method)) && m.get("id").is_some()
        })
    }

    /// Waits until the latest diagnostics published for `uri` satisfy
    /// `matches`, and returns those params.
    pub fn wait_diagnostics(
        &mut self,
        uri: &str,
        mut matches: impl FnMut(&[Value]) -> bool,
    ) -> Value {
        self.wait_published(uri, |params| {
            matches(params["diagnostics"].as_array().unwrap())
        })
    }

    /// Waits until the latest `publishDiagnostics` params for `uri` (with
    /// `version` and `diagnostics`) satisfy `matches`.
    pub fn wait_published(&mut self, uri: &str, matches: impl FnMut(&Value) -> bool) -> Value {
        self.wait_published_within(uri, TIMEOUT, matches)
    }

    /// [`Server::wait_published`] with a limit of its own, for work that
    /// takes long in a debug build.
    pub fn wait_published_within(
        &mut self,
        uri: &str,
        limit: Duration,
        mut matches: impl FnMut(&Value) -> bool,
    ) -> Value {
        let deadline = Instant::now() + limit;
        loop {
            if let Some(params) = self.diagnostics.get(uri) {
                if matches(params) {
                    return params.clone();
                }
            }
            let left = deadline.saturating_duration_since(Instant::now());
            match self.receive(left) {
                Some(message) => self.inbox.push_back(message),
                None => panic!(
                    "timed out waiting for diagnostics of {uri}; latest: {}\nserver stderr:\n{}",
                    self.diagnostics
                        .get(uri)
                        .map_or("none".to_string(), |p| truncate(&p.to_string())),
                    self.stderr()
                ),
            }
        }
    }

    /// The rule names of the latest diagnostics published for `uri`.
    pub fn codes(&self, uri: &str) -> Vec<String> {
        codes(
            &self
                .diagnostics
                .get(uri)
                .cloned()
                .unwrap_or(json!({"diagnostics": []}))["diagnostics"],
        )
    }

    /// The labels of the completion items at `position` of `uri`.
    pub fn completion_labels(&mut self, uri: &str, position: Value) -> Vec<String> {
        let list = self
            .request(
                "textDocument/completion",
                json!({"textDocument": {"uri": uri}, "position": position}),
            )
            .unwrap();
        list["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["label"].as_str().unwrap().to_string())
            .collect()
    }

    /// The titles of the code lenses of `uri`.
    pub fn lens_titles(&mut self, uri: &str) -> Vec<String> {
        let lenses = self
            .request(
                "textDocument/codeLens",
                json!({"textDocument": {"uri": uri}}),
            )
            .unwrap();
        lenses
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["command"]["title"].as_str().unwrap().to_string())
            .collect()
    }

    /// Lets the server apply everything sent so far (`planmark/status`
    /// flushes its queue), then collects what it sends for a moment.
    pub fn settle(&mut self) -> Value {
        let status = self.request("planmark/status", Value::Null).unwrap();
        let until = Instant::now() + Duration::from_millis(150);
        while let Some(left) = until.checked_duration_since(Instant::now()) {
            match self.receive(left) {
                Some(message) => self.inbox.push_back(message),
                None => break,
            }
        }
        status
    }

    /// `initialize` with these params (a root, capabilities...), then
    /// `initialized`. Returns the `initialize` result.
    pub fn initialize(&mut self, params: Value) -> Value {
        let result = self
            .request("initialize", params)
            .expect("initialize succeeds");
        self.notify("initialized", json!({}));
        result
    }

    /// `initialize` for one root with [`client_capabilities`].
    pub fn initialize_root(&mut self, root: &Path) -> Value {
        self.initialize(json!({
            "processId": null,
            "rootUri": uri(root),
            "capabilities": client_capabilities(),
        }))
    }

    /// Waits until every root is indexed.
    pub fn wait_indexed(&mut self) -> Value {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let status = self.request("planmark/status", Value::Null).unwrap();
            let roots = status["roots"].as_array().unwrap();
            if !roots.is_empty() && roots.iter().all(|r| r["indexed"] == json!(true)) {
                return status;
            }
            assert!(Instant::now() < deadline, "roots not indexed: {status}");
            thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn open(&mut self, path: &Path, version: i32) -> String {
        let text = std::fs::read_to_string(path).unwrap();
        self.open_text(path, version, &text)
    }

    pub fn open_text(&mut self, path: &Path, version: i32, text: &str) -> String {
        let uri = uri(path);
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": version, "text": text}}),
        );
        uri
    }

    /// Replaces a whole document (full sync).
    pub fn change_full(&mut self, uri: &str, version: i32, text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]}),
        );
    }

    /// One incremental edit.
    pub fn change(&mut self, uri: &str, version: i32, range: [[u32; 2]; 2], text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{"range": lsp_range(range), "text": text}],
            }),
        );
    }

    pub fn close(&mut self, uri: &str) {
        self.notify(
            "textDocument/didClose",
            json!({"textDocument": {"uri": uri}}),
        );
    }

    /// The text the server holds for an open document.
    pub fn document_text(&mut self, uri: &str) -> Option<String> {
        let text = self
            .request("planmark/documentText", json!({"uri": uri}))
            .unwrap();
        text.as_str().map(str::to_string)
    }

    /// Closes the server's stdin, as a client that goes away does.
    pub fn close_stdin(&mut self) {
        self.stdin = None;
    }

    /// Waits for the process to end.
    pub fn wait_exit(&mut self, timeout: Duration) -> Option<ExitStatus> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return Some(status);
            }
            if Instant::now() > deadline {
                return None;
            }
            thread::sleep(Duration::from_millis(20));
        }
    }

    /// `shutdown`, `exit`, and the exit status.
    pub fn shutdown_and_exit(mut self) -> ExitStatus {
        assert_eq!(self.request("shutdown", Value::Null), Ok(Value::Null));
        self.notify("exit", Value::Null);
        self.wait_exit(TIMEOUT)
            .expect("the server exits after `exit`")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn read_message(reader: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(value) = line.strip_prefix("Content-Length:") {
            length = value.trim().parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

fn truncate(s: &str) -> String {
    if s.len() > 400 {
        let mut end = 400;
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        format!("{}...", &s[..end])
    } else {
        s.to_string()
    }
}

pub fn lsp_range([[l1, c1], [l2, c2]]: [[u32; 2]; 2]) -> Value {
    json!({"start": {"line": l1, "character": c1}, "end": {"line": l2, "character": c2}})
}

/// The `file:` URI of a path, percent-encoded as VS Code and the server
/// encode it: every byte but ASCII letters, digits, `-._~` and the `/`
/// separators becomes `%XX` (so `task-1 - Ship.md` is `task-1%20-%20Ship.md`).
/// On Unix the bytes of a name that is not UTF-8 are encoded as they are
/// (the byte 0xFF is `%FF`).
pub fn uri(path: &Path) -> String {
    let mut out = String::from("file://");
    for &b in path_bytes(path).iter() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The bytes of a path: its own on Unix, its UTF-8 spelling elsewhere.
fn path_bytes(path: &Path) -> std::borrow::Cow<'_, [u8]> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        std::borrow::Cow::Borrowed(path.as_os_str().as_bytes())
    }
    #[cfg(not(unix))]
    {
        std::borrow::Cow::Borrowed(path.to_str().expect("test paths are UTF-8").as_bytes())
    }
}

/// The path a `file:` URI names, percent-decoded (on Unix to the bytes
/// the escapes give, UTF-8 or not); fails the test for another scheme or
/// a host.
pub fn path_of(uri: &str) -> PathBuf {
    let encoded = uri
        .strip_prefix("file://")
        .unwrap_or_else(|| panic!("not a local file URI: {uri}"));
    assert!(encoded.starts_with('/'), "a file URI with a host: {uri}");
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStringExt;
        PathBuf::from(std::ffi::OsString::from_vec(decode_bytes(encoded)))
    }
    #[cfg(not(unix))]
    {
        PathBuf::from(String::from_utf8(decode_bytes(encoded)).expect("a URI of a UTF-8 path"))
    }
}

/// The bytes a URI or a part of one percent-decodes to (a `%` without two
/// hex digits after it stays as it is).
pub fn decode_bytes(encoded: &str) -> Vec<u8> {
    let bytes = encoded.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        if let (b'%', Some(b)) = (bytes[i], hex) {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    out
}

/// Rule names of a list of diagnostics.
pub fn codes(diagnostics: &Value) -> Vec<String> {
    diagnostics
        .as_array()
        .map(|a| {
            a.iter()
                .map(|d| d["code"].as_str().unwrap_or("").to_string())
                .collect()
        })
        .unwrap_or_default()
}

/// What a plain editor offers: push diagnostics, dynamic file watching,
/// progress, and UTF-16 positions.
pub fn client_capabilities() -> Value {
    json!({
        "workspace": {
            "didChangeWatchedFiles": {"dynamicRegistration": true},
            "configuration": false,
        },
        "window": {"workDoneProgress": false},
        "textDocument": {"publishDiagnostics": {"relatedInformation": true, "versionSupport": true}},
    })
}

/// A server on a new workspace holding `files`, indexed, with a plain
/// client's capabilities.
pub fn indexed(files: &[(&str, &str)]) -> (tempfile::TempDir, PathBuf, Server) {
    let dir = tempdir();
    let root = dir.path().to_path_buf();
    for (rel, text) in files {
        write(&root, rel, text);
    }
    let mut server = Server::start(&root);
    server.initialize(
        json!({"processId": null, "rootUri": uri(&root), "capabilities": client_capabilities()}),
    );
    server.wait_indexed();
    (dir, root, server)
}

/// Writes a file under `root`, creating its folders.
pub fn write(root: &Path, rel: &str, text: &str) -> PathBuf {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, text).unwrap();
    path
}

/// A backlog issue file with no findings of its own, depending on `deps`
/// (`none` for none).
pub fn issue(title: &str, deps: &str) -> String {
    format!(
        "# {title}\n\n**Type:** feature\n**Expert:** swe\n**Milestone:** M1\n**Status:** backlog\n\n\
         ## User Story\n\nAs a warehouse manager, I need {title} so that I can ship parcels on time.\n\n\
         ## Acceptance Criteria\n\n- [ ] The manager sees the shipment list with its status column\n\n\
         ## Technical Notes\n\n**Estimated effort:** Small session\n**Dependencies:** {deps}\n"
    )
}

/// A temporary workspace with two issues: `swe-feature-001` (no
/// dependencies) and `swe-feature-002` (depending on 001).
pub fn two_issues() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempdir();
    let a = write(
        dir.path(),
        "issues/backlog/swe-feature-001.md",
        &issue("Shipment list", "none"),
    );
    let b = write(
        dir.path(),
        "issues/backlog/swe-feature-002.md",
        &issue("Shipment filters", "swe-feature-001"),
    );
    (dir, a, b)
}

/// The byte offsets of `text`'s char boundaries, its end included.
pub fn boundaries(text: &str) -> Vec<usize> {
    text.char_indices()
        .map(|(i, _)| i)
        .chain([text.len()])
        .collect()
}

/// What Neovim 0.11.4 announces (`vim.lsp.protocol.make_client_capabilities`),
/// as far as the server reads it: pull diagnostics without
/// `workspace.diagnostics.refreshSupport`, resource operations without
/// `documentChanges: true`, settings through `workspace/configuration`, no
/// dynamic file watching (on Linux), progress, and UTF-8 positions.
pub fn neovim_0_11_capabilities() -> Value {
    json!({
        "general": {"positionEncodings": ["utf-8", "utf-16", "utf-32"]},
        "textDocument": {
            "diagnostic": {"dynamicRegistration": false, "tagSupport": {"valueSet": [1, 2]}},
            "publishDiagnostics": {
                "relatedInformation": true,
                "tagSupport": {"valueSet": [1, 2]},
                "dataSupport": true,
            },
            "rename": {"dynamicRegistration": true, "prepareSupport": true},
            "codeAction": {
                "dynamicRegistration": true,
                "isPreferredSupport": true,
                "dataSupport": true,
                "resolveSupport": {"properties": ["edit", "command"]},
                "codeActionLiteralSupport": {"codeActionKind": {"valueSet": [
                    "", "quickfix", "refactor", "refactor.extract", "refactor.inline",
                    "refactor.rewrite", "source", "source.organizeImports",
                ]}},
            },
            "documentSymbol": {"hierarchicalDocumentSymbolSupport": true},
            "definition": {"linkSupport": true},
            "completion": {"completionItem": {"snippetSupport": true}},
        },
        "workspace": {
            "configuration": true,
            "didChangeConfiguration": {"dynamicRegistration": false},
            "workspaceFolders": true,
            "applyEdit": true,
            "workspaceEdit": {"resourceOperations": ["rename", "create", "delete"]},
            "semanticTokens": {"refreshSupport": true},
            "didChangeWatchedFiles": {"dynamicRegistration": false, "relativePatternSupport": true},
            "inlayHint": {"refreshSupport": true},
        },
        "window": {"workDoneProgress": true, "showDocument": {"support": true}},
    })
}
