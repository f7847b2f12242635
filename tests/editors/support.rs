//! Shared by the editor integration tests: whether an external tool is
//! there (a failure under `CI`, a skip note otherwise), the repository
//! root, and running a command with a time limit.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::{PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::time::{Duration, Instant};

/// Server features the editor tests may skip while the server does not
/// advertise them, for a feature under construction. Every feature is in
/// the server now, so none may be skipped; a feature the server advertises
/// is checked whatever this says.
pub const PENDING_FEATURES: &str = "";

/// The editor tests run in one process, two at a time. Real VS Code
/// (code-server and Chromium) runs alone: beside another editor on a small
/// machine both would be slow enough to time out, and the extension's own
/// tests build into the folders its packaging uses.
static EDITORS: RwLock<()> = RwLock::new(());

/// For a test that runs an editor: waits while a test runs [`alone`].
pub fn beside_other_editors() -> RwLockReadGuard<'static, ()> {
    EDITORS.read().unwrap_or_else(PoisonError::into_inner)
}

/// For a test that runs an editor no other may run beside: waits until no
/// other editor test runs.
pub fn alone() -> RwLockWriteGuard<'static, ()> {
    EDITORS.write().unwrap_or_else(PoisonError::into_inner)
}

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Whether the test may run: `ready` says whether what it needs is there.
/// Under `CI` a missing tool fails the test; elsewhere the test prints a
/// note and is skipped.
pub fn require(ready: bool, what: &str, install: &str) -> bool {
    if ready {
        return true;
    }
    if std::env::var_os("CI").is_some() {
        panic!("{what} is missing and CI is set: {install}");
    }
    eprintln!("note: skipped: {what} is missing ({install})");
    false
}

/// Whether `program --version` runs.
pub fn runs(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// What a finished command printed.
pub struct Run {
    pub status: ExitStatus,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Both outputs, for assertion messages.
    pub fn report(&self) -> String {
        format!(
            "exit status: {}\n--- stdout\n{}\n--- stderr\n{}",
            self.status, self.stdout, self.stderr
        )
    }
}

/// Runs `command` with its output in files under `scratch`, killing it after
/// `limit` (which fails the test).
pub fn run(mut command: Command, scratch: &Path, limit: Duration) -> Run {
    let out_path = scratch.join("stdout.txt");
    let err_path = scratch.join("stderr.txt");
    command
        .stdin(Stdio::null())
        .stdout(File::create(&out_path).unwrap())
        .stderr(File::create(&err_path).unwrap());
    let mut child = command
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {command:?}: {e}"));
    let deadline = Instant::now() + limit;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "{command:?} took more than {limit:?}\n--- stdout\n{}\n--- stderr\n{}",
                std::fs::read_to_string(&out_path).unwrap_or_default(),
                std::fs::read_to_string(&err_path).unwrap_or_default()
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    Run {
        status,
        stdout: std::fs::read_to_string(&out_path).unwrap_or_default(),
        stderr: std::fs::read_to_string(&err_path).unwrap_or_default(),
    }
}
