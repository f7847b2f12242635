//! The VS Code extension's tests (`editors/vscode`: type check, unit tests
//! and the end-to-end test that drives the built `planmark` through
//! vscode-languageserver-protocol), run with `npm test` when its
//! `node_modules` is installed (`npm ci`); under `CI` a missing install fails.

use std::process::Command;
use std::time::Duration;

use crate::support::{beside_other_editors, repo, require, run, runs, PENDING_FEATURES};

#[test]
fn vscode_extension_tests_pass_against_the_built_server() {
    let dir = repo().join("editors/vscode");
    let installed = dir.join("node_modules/.bin").is_dir() && runs("npm");
    if !require(
        installed,
        "editors/vscode/node_modules",
        "cd editors/vscode && npm ci",
    ) {
        return;
    }
    let _beside = beside_other_editors();
    let scratch = tempfile::tempdir().unwrap();
    let mut command = Command::new("npm");
    command
        .args(["test", "--silent"])
        .current_dir(&dir)
        .env("PLANMARK_BIN", env!("CARGO_BIN_EXE_planmark"))
        .env("PLANMARK_TEST_PENDING", PENDING_FEATURES);
    let result = run(command, scratch.path(), Duration::from_secs(300));
    println!("{}", result.report());
    assert!(
        result.status.success(),
        "npm test failed\n{}",
        result.report()
    );
    let output = format!("{}{}", result.stdout, result.stderr);
    assert!(output.contains("# fail 0"), "{}", result.report());
    assert!(
        output.contains("ok 1 - diagnostics"),
        "the end-to-end diagnostics test did not run\n{}",
        result.report()
    );
}
