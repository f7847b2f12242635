//! The VS Code extension in real VS Code: `editors/vscode/test/real-vscode.mjs`
//! packages the extension with the built `planmark` bundled, installs it into
//! code-server 4.100.3 (VS Code 1.100.3 in a browser) and drives it in
//! headless Chromium through playwright-core on a copy of `examples/`. A second
//! run points the extension at a wrapper that refuses `--stdio`, as planmark
//! did before it accepted the flag vscode-languageclient adds, and checks that
//! the test then fails. Needs `editors/vscode/node_modules` (`npm ci`),
//! Debian's `chromium`, `strip` and code-server from
//! `editors/vscode/scripts/install-code-server.sh`; under `CI` a missing one
//! fails, elsewhere the tests print a skip note. Screenshots of each step go
//! to `target/editor-screenshots/`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use crate::support::{alone, repo, require, run, runs, Run};

/// The code-server release the install script puts in its cache folder.
const CODE_SERVER_VERSION: &str = "4.100.3";

/// The steps `real-vscode.mjs` reports, in order.
const STEPS: [&str; 8] = [
    "bundle",
    "problems",
    "hint",
    "completion",
    "hover",
    "quickfix",
    "split",
    "rename",
];

/// Where the install script puts code-server (its default folder, or
/// `$PLANMARK_CODE_SERVER_DIR`).
fn code_server_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("PLANMARK_CODE_SERVER_DIR") {
        return PathBuf::from(dir);
    }
    let home = std::env::var_os("HOME").map_or_else(|| PathBuf::from("/root"), PathBuf::from);
    home.join(format!(
        ".cache/planmark-tests/code-server-{CODE_SERVER_VERSION}"
    ))
}

/// The browser: `$CHROMIUM`, else Debian's.
fn chromium() -> PathBuf {
    std::env::var_os("CHROMIUM").map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from)
}

/// The code-server launcher when everything the test needs is there, else
/// `None` after `require` has printed a skip note (or failed, under `CI`).
fn tools() -> Option<PathBuf> {
    let extension = repo().join("editors/vscode");
    let packages = extension
        .join("node_modules/playwright-core/package.json")
        .is_file()
        && extension.join("node_modules/.bin/vsce").is_file()
        && runs("node");
    if !require(
        packages,
        "editors/vscode/node_modules with playwright-core and vsce",
        "cd editors/vscode && npm ci",
    ) {
        return None;
    }
    if !require(
        chromium().is_file(),
        "Chromium (/usr/bin/chromium or $CHROMIUM)",
        "apt-get install -y chromium",
    ) {
        return None;
    }
    if !require(runs("strip"), "strip", "apt-get install -y binutils") {
        return None;
    }
    let dir = code_server_dir();
    let launcher = dir.join("node_modules/.bin/code-server");
    let installed = launcher.is_file()
        && dir
            .join(format!(".installed-{CODE_SERVER_VERSION}"))
            .is_file();
    if !require(
        installed,
        &format!("code-server {CODE_SERVER_VERSION} in {}", dir.display()),
        "apt-get install -y libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev pkg-config ripgrep && editors/vscode/scripts/install-code-server.sh",
    ) {
        return None;
    }
    Some(launcher)
}

/// Runs `real-vscode.mjs` with the given extra environment, within five minutes.
fn drive(code_server: &Path, shots: &str, extra: &[(&str, &str)]) -> Run {
    let scratch = tempfile::tempdir().unwrap();
    let mut command = Command::new("node");
    command
        .arg("test/real-vscode.mjs")
        .current_dir(repo().join("editors/vscode"))
        .env("PLANMARK_CODE_SERVER", code_server)
        .env("PLANMARK_BIN", env!("CARGO_BIN_EXE_planmark"))
        .env(
            "PLANMARK_SHOTS",
            repo().join("target/editor-screenshots").join(shots),
        )
        .env("CHROMIUM", chromium());
    for (key, value) in extra {
        command.env(key, value);
    }
    run(command, scratch.path(), Duration::from_secs(300))
}

/// Whether the script reported `ok STEP` (at the start of a line, as its summary does).
fn passed(run: &Run, step: &str) -> bool {
    let ok = format!("ok {step}");
    run.stdout
        .lines()
        .any(|line| line == ok || line.starts_with(&format!("{ok}:")))
}

#[test]
fn the_extension_works_in_real_vscode() {
    let Some(code_server) = tools() else { return };
    let _alone = alone();
    let result = drive(&code_server, "vscode", &[]);
    println!("{}", result.report());
    for step in STEPS {
        assert!(
            passed(&result, step),
            "step {step} did not pass in VS Code (screenshots in target/editor-screenshots/vscode)\n{}",
            result.report()
        );
    }
    assert!(result.status.success(), "{}", result.report());
}

#[test]
fn the_real_vscode_test_fails_when_the_server_rejects_stdio() {
    let Some(code_server) = tools() else { return };
    let _alone = alone();
    // planmark before 18a5017: clap refused the `--stdio` that
    // vscode-languageclient appends, with exit status 2.
    let dir = tempfile::tempdir().unwrap();
    let wrapper = dir.path().join("planmark-without-stdio");
    std::fs::write(
        &wrapper,
        format!(
            "#!/bin/sh\n\
             # planmark as it was before it accepted --stdio.\n\
             for arg in \"$@\"; do\n\
             \x20 if [ \"$arg\" = --stdio ]; then\n\
             \x20   echo \"error: unexpected argument '--stdio' found\" >&2\n\
             \x20   exit 2\n\
             \x20 fi\n\
             done\n\
             exec '{}' \"$@\"\n",
            env!("CARGO_BIN_EXE_planmark")
        ),
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&wrapper, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let result = drive(
        &code_server,
        "vscode-server-rejects-stdio",
        &[
            ("PLANMARK_SERVER_PATH", wrapper.to_str().unwrap()),
            ("PLANMARK_STEPS", "bundle,problems"),
            // Long enough for the real server (it takes a few seconds), short
            // enough to keep this run cheap.
            ("PLANMARK_STEP_TIMEOUT", "20000"),
        ],
    );
    println!("{}", result.report());
    assert!(passed(&result, "bundle"), "{}", result.report());
    assert!(
        !result.status.success() && result.stdout.contains("not ok problems"),
        "the Problems panel step passed with a server that exits on --stdio\n{}",
        result.report()
    );
    // The failure is the one meant: the extension started the wrapper, which refused --stdio.
    assert!(
        result.stdout.contains("unexpected argument '--stdio'"),
        "the extension's log does not show the wrapper refusing --stdio\n{}",
        result.report()
    );
}
