//! The Neovim integration (`editors/neovim`) with a real headless Neovim and
//! the built `planmark`: `editors/neovim/test/run.lua` must pass against the
//! server and must fail, with a clear message, against a missing binary and
//! against a server that publishes no diagnostics.

#[path = "support/editors.rs"]
mod editors;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use planmark::analysis::config::Config;
use planmark::analysis::parse::classify;

use editors::{copy_dir, repo, require, run, runs, Run, PENDING_FEATURES};

fn nvim_ready() -> bool {
    require(runs("nvim"), "nvim (Neovim)", "apt-get install -y neovim")
}

/// Runs the headless test with `server` as the planmark command on a fresh
/// copy of `examples/`.
fn run_script(server: &Path, timeout_ms: u32) -> Run {
    let scratch = tempfile::tempdir().unwrap();
    let workspace = scratch.path().join("examples");
    copy_dir(&repo().join("examples"), &workspace);
    let paths = scratch.path().join("paths.txt");
    std::fs::write(&paths, expected_paths(&workspace)).unwrap();
    let plugin = repo().join("editors/neovim");
    let mut command = Command::new("nvim");
    command
        .args(["--headless", "-u", "NONE", "-i", "NONE", "-n", "--cmd"])
        .arg(format!("set rtp^={}", plugin.display()))
        .arg("-c")
        .arg(format!("luafile {}", plugin.join("test/run.lua").display()))
        .current_dir(scratch.path())
        .env("PLANMARK_TEST_CMD", server)
        .env("PLANMARK_TEST_WORKSPACE", &workspace)
        .env("PLANMARK_TEST_PENDING", PENDING_FEATURES)
        .env("PLANMARK_TEST_PATHS", &paths)
        .env("PLANMARK_TEST_TIMEOUT_MS", timeout_ms.to_string())
        .env("XDG_STATE_HOME", scratch.path().join("state"))
        .env("XDG_DATA_HOME", scratch.path().join("data"));
    run(command, scratch.path(), Duration::from_secs(120))
}

/// planmark's own answer (`1 path` or `0 path`) for every file of the
/// workspace copy and for a few more paths, for the plugin to agree with.
fn expected_paths(workspace: &Path) -> String {
    let mut files = Vec::new();
    walk(workspace, &mut files);
    let config = Config::default();
    let mut out = String::new();
    for file in files {
        let rel = file
            .strip_prefix(workspace)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let planning = classify(&rel, &config).is_some();
        out.push_str(&format!("{} {}\n", u8::from(planning), file.display()));
    }
    for rel in [
        "proj/.sdlc/issues/in-progress/qa-feature-002.md",
        "proj/docs/stories/README.md",
        "proj/issues/README.md",
        "proj/issues/backlog/notes.txt",
        "proj/docs/guide.md",
        "proj/milestones/m12/00-epic.md",
        "proj/milestones/notes/01-x.md",
    ] {
        let planning = classify(rel, &config).is_some();
        out.push_str(&format!("{} /home/me/{rel}\n", u8::from(planning)));
    }
    out
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            walk(&path, out);
        } else {
            out.push(path);
        }
    }
}

#[test]
fn neovim_attaches_to_planning_files_and_shows_planmark_results() {
    if !nvim_ready() {
        return;
    }
    let result = run_script(Path::new(env!("CARGO_BIN_EXE_planmark")), 30_000);
    println!("{}", result.report());
    assert!(result.status.success(), "{}", result.report());
    for line in [
        "attached: issues/done/swe-feature-004.md",
        "diagnostic: status `backlog` disagrees",
        "workspace diagnostic: `swe-feature-111` names no known issue",
        "paths: ",
        "not attached: README.md",
        "all checks passed",
    ] {
        assert!(
            result.stdout.contains(line),
            "missing {line:?}\n{}",
            result.report()
        );
    }
}

#[test]
fn neovim_test_fails_when_the_server_binary_is_missing() {
    if !nvim_ready() {
        return;
    }
    let result = run_script(Path::new("/nonexistent/planmark"), 3_000);
    assert!(!result.status.success(), "{}", result.report());
    assert!(
        result
            .stderr
            .contains("'/nonexistent/planmark' is not an executable file or on PATH")
            && result.stderr.contains("FAIL: no planmark client attached"),
        "{}",
        result.report()
    );
}

#[test]
fn neovim_test_fails_when_the_server_publishes_no_diagnostics() {
    if !nvim_ready()
        || !require(
            runs("python3"),
            "python3 (for the fake server)",
            "apt-get install -y python3",
        )
    {
        return;
    }
    let fake = repo().join("editors/neovim/test/fake_server.py");
    let result = run_script(&fake, 3_000);
    assert!(!result.status.success(), "{}", result.report());
    assert!(
        result
            .stdout
            .contains("attached: issues/done/swe-feature-004.md")
            && result
                .stderr
                .contains("FAIL: no planmark diagnostics for issues/done/swe-feature-004.md"),
        "{}",
        result.report()
    );
}
