//! Shared by the editor integration tests: whether an external tool is
//! there (a failure under `CI`, a skip note otherwise), a copy of the sample
//! workspace, and running a command with a time limit.

#![allow(dead_code)]

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// Server features the editor tests may skip while the server does not
/// advertise them, for a feature under construction. Every feature is in
/// the server now, so none may be skipped; a feature the server advertises
/// is checked whatever this says.
pub const PENDING_FEATURES: &str = "";

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

/// Copies a folder tree.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
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
