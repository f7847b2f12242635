//! `planmark check` driven as a user runs it: the real binary on the sample
//! workspace in `examples/` and on temporary workspaces, in every output
//! format, with its exit codes.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use expect_test::{expect, Expect};
use serde_json::Value;

use crate::support::{latin1, write};

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// The repository root, where `examples/` is.
fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn planmark_in(dir: &Path, args: &[&str], envs: &[(&str, &str)]) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_planmark"));
    command
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("RUST_LOG");
    for (key, value) in envs {
        command.env(key, value);
    }
    let out = command.output().expect("the planmark binary runs");
    Run {
        code: out.status.code().expect("planmark exits with a code"),
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    }
}

/// `planmark ARGS` run at the repository root.
fn planmark(args: &[&str]) -> Run {
    planmark_in(&repo(), args, &[])
}

/// A temporary workspace holding `files` (path, text).
fn temp_workspace(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    for (rel, text) in files {
        write(dir.path(), rel, text.as_bytes());
    }
    dir
}

const CLEAN_ISSUE: &str = "\
# Import shipments from the nightly order export

**Type:** feature
**Expert:** swe
**Milestone:** M1
**Status:** backlog

## User Story

As a warehouse manager, I need every order to appear as a shipment so that I can find any parcel without the ERP.

## Acceptance Criteria

- [ ] Warehouse manager sees yesterday's shipments in the shipment list by 06:00

## Technical Notes

**Estimated effort:** Small session
**Dependencies:** none
";

fn json(run: &Run) -> Value {
    serde_json::from_str(&run.stdout).expect("the output is JSON")
}

fn check_stdout(run: &Run, expect: Expect) {
    expect.assert_eq(&run.stdout);
}

// The human format

#[test]
fn human_format_on_examples() {
    let run = planmark(&["check", "examples"]);
    assert_eq!(run.code, 1, "examples/ has errors");
    assert_eq!(run.stderr, "", "nothing on stderr on a normal run");
    assert!(
        !run.stdout.contains('\x1b'),
        "no colors when stdout is not a terminal"
    );
    check_stdout(
        &run,
        expect![[r#"
            examples/.kiro/specs/delivery-notifications/tasks.md:15:25: error[kiro-unknown-requirement]: `2.4` names no criterion of `.kiro/specs/delivery-notifications/requirements.md` (requirement 2 has criteria 2.1 to 2.3)
              15 |   - _Requirements: 2.2, 2.4_
                 |                         ^^^
            examples/issues/backlog/devops-feature-015.md:26:17: error[dangling-dependency]: `swe-feature-111` names no known issue; did you mean `swe-feature-011`?
              26 | **Depends on:** swe-feature-111
                 |                 ^^^^^^^^^^^^^^^
            examples/issues/backlog/swe-bug-016.md:1:3: error[missing-acceptance-criteria]: issue `swe-bug-016` has no `## Acceptance Criteria` section
               1 | # BUG: Carrier retries create duplicate shipment events
                 |   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
            examples/issues/backlog/swe-feature-010.md:10:6: info[generic-persona]: "user" is a generic persona: name who it is ("warehouse manager", not "user")
              10 | As a user, I want an email when something goes wrong with my parcel so that I can rearrange delivery or contact the sender.
                 |      ^^^^
            examples/issues/backlog/swe-feature-011.md:1:3: warning[oversized-issue]: 11 acceptance criteria (more than 8): this issue will not fit one session; split it
               1 | # Exception queue for support agents
                 |   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
            examples/issues/backlog/swe-feature-012.md:25:19: error[dependency-cycle]: dependency cycle: swe-feature-012 -> swe-feature-013 -> swe-feature-012
              25 | **Dependencies:** swe-feature-013 (the API shape follows the preferences screen)
                 |                   ^^^^^^^^^^^^^^^
                 = note: examples/issues/backlog/swe-feature-012.md:1:3: `swe-feature-012` is part of the cycle
                 = note: examples/issues/backlog/swe-feature-013.md:1:3: `swe-feature-013` is part of the cycle
            examples/issues/backlog/swe-feature-013.md:25:19: error[dependency-cycle]: dependency cycle: swe-feature-012 -> swe-feature-013 -> swe-feature-012
              25 | **Dependencies:** swe-feature-012
                 |                   ^^^^^^^^^^^^^^^
                 = note: examples/issues/backlog/swe-feature-012.md:1:3: `swe-feature-012` is part of the cycle
                 = note: examples/issues/backlog/swe-feature-013.md:1:3: `swe-feature-013` is part of the cycle
            examples/issues/done/swe-feature-004.md:6:13: warning[status-folder-mismatch]: status `backlog` disagrees with the `done/` folder this file is in
               6 | **Status:** backlog
                 |             ^^^^^^^
            examples/issues/issues-list.md:10:123: warning[index-out-of-sync]: the index says status `planned` but `qa-feature-006` is `in-progress`
              10 | | qa-feature-006 | QA: Webhook signature and replay test pass | qa | feature | M2 | swe-feature-002, devops-feature-003 | planned |
                 |                                                                                                                           ^^^^^^^
            examples/issues/planned/swe-feature-009.md:20:7: warning[placeholder-text]: template placeholder `[Another criterion]` was left unfilled
              20 | - [ ] [Another criterion]
                 |       ^^^^^^^^^^^^^^^^^^^
            examples/issues/planned/swe-techdebt-008.md:20:7: hint[vague-criterion]: "works correctly" cannot be verified: say what the persona can see or do
              20 | - [ ] The new config module works correctly
                 |       ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^

            5 errors, 4 warnings, 1 info, 1 hint in 41 files
            2 fixable with `planmark check --fix` (add `--dry-run` to see the changes first)
        "#]],
    );
}

#[test]
fn human_format_has_no_colors_with_no_color() {
    let run = planmark_in(&repo(), &["check", "examples"], &[("NO_COLOR", "1")]);
    assert_eq!(run.code, 1);
    assert!(!run.stdout.contains('\x1b'));
    assert_eq!(run.stdout, planmark(&["check", "examples"]).stdout);
}

#[test]
fn paths_are_relative_to_the_current_directory() {
    let first_line = |run: &Run| run.stdout.lines().next().unwrap_or("").to_string();
    // From a subfolder: `../examples/...`.
    let run = planmark_in(&repo().join("tests"), &["check", "../examples"], &[]);
    assert_eq!(run.code, 1);
    expect!["../examples/.kiro/specs/delivery-notifications/tasks.md:15:25: error[kiro-unknown-requirement]: `2.4` names no criterion of `.kiro/specs/delivery-notifications/requirements.md` (requirement 2 has criteria 2.1 to 2.3)"]
        .assert_eq(&first_line(&run));
    assert!(run
        .stdout
        .lines()
        .filter(|l| l.contains(": error[") || l.contains(": warning["))
        .all(|l| l.starts_with("../examples/")));
    // From inside the workspace, checking its root as `..`.
    let run = planmark_in(&repo().join("examples/issues"), &["check", ".."], &[]);
    let paths: BTreeSet<&str> = run
        .stdout
        .lines()
        .filter(|l| l.contains("]: "))
        .filter_map(|l| l.split(':').next())
        .collect();
    expect![[r#"
        {
            "../.kiro/specs/delivery-notifications/tasks.md",
            "backlog/devops-feature-015.md",
            "backlog/swe-bug-016.md",
            "backlog/swe-feature-010.md",
            "backlog/swe-feature-011.md",
            "backlog/swe-feature-012.md",
            "backlog/swe-feature-013.md",
            "done/swe-feature-004.md",
            "issues-list.md",
            "planned/swe-feature-009.md",
            "planned/swe-techdebt-008.md",
        }"#]]
    .assert_eq(&format!("{paths:#?}"));
    // An absolute path under the current directory is shown relative too.
    let absolute = repo().join("examples");
    let run = planmark(&["check", absolute.to_str().unwrap()]);
    assert_eq!(run.stdout, planmark(&["check", "examples"]).stdout);
    // With no path, the current directory is checked.
    let run = planmark_in(&repo().join("examples"), &["check"], &[]);
    assert!(first_line(&run).starts_with(".kiro/specs/delivery-notifications/tasks.md:15:25: "));
}

#[test]
fn checking_one_file_reports_only_that_file() {
    // The cycle needs the other file to be seen; only this file's finding
    // is reported, with the other member as a related note.
    let run = planmark(&["check", "examples/issues/backlog/swe-feature-012.md"]);
    assert_eq!(run.code, 1);
    assert_eq!(run.stderr, "");
    check_stdout(
        &run,
        expect![[r#"
        examples/issues/backlog/swe-feature-012.md:25:19: error[dependency-cycle]: dependency cycle: swe-feature-012 -> swe-feature-013 -> swe-feature-012
          25 | **Dependencies:** swe-feature-013 (the API shape follows the preferences screen)
             |                   ^^^^^^^^^^^^^^^
             = note: examples/issues/backlog/swe-feature-012.md:1:3: `swe-feature-012` is part of the cycle
             = note: examples/issues/backlog/swe-feature-013.md:1:3: `swe-feature-013` is part of the cycle

        1 error, 0 warnings in 1 file
    "#]],
    );
    // A file that is no planning file is named on stderr, not counted.
    let run = planmark(&["check", "examples/README.md", "--format", "json"]);
    assert_eq!(run.code, 0);
    assert_eq!(
        run.stderr,
        "examples/README.md: warning: not a planning file of any format planmark reads, so nothing in it was checked\n"
    );
    assert_eq!(json(&run)["problems"][0]["path"], "examples/README.md");
    assert_eq!(json(&run)["summary"]["files"], 0);
    // A planning file an ignore file leaves out is named as such.
    let dir = temp_workspace(&[
        ("issues/backlog/swe-feature-001.md", CLEAN_ISSUE),
        (".gitignore", "issues/backlog/swe-feature-001.md\n"),
        ("planmark.toml", ""),
    ]);
    let run = planmark_in(
        dir.path(),
        &["check", "issues/backlog/swe-feature-001.md"],
        &[],
    );
    assert_eq!(run.code, 0);
    assert_eq!(
        run.stderr,
        "issues/backlog/swe-feature-001.md: warning: is left out by an ignore file (`.gitignore` or `.ignore`) or lies in a folder planmark skips, so nothing in it was checked\n"
    );
    let run = planmark(&["check", "examples/issues/done/swe-feature-001.md"]);
    assert_eq!(run.code, 0);
    check_stdout(
        &run,
        expect![[r#"
        0 errors, 0 warnings in 1 file
    "#]],
    );
}

#[test]
fn checking_one_folder_of_a_project_reads_the_project() {
    // A Kiro spec's folder holds no planning files when read on its own:
    // it is checked within the project its layout starts in, and only its
    // files are reported.
    let run = planmark(&["check", "examples/.kiro/specs/delivery-notifications"]);
    assert_eq!(run.code, 1);
    assert_eq!(run.stderr, "");
    assert!(run.stdout.starts_with(
        "examples/.kiro/specs/delivery-notifications/tasks.md:15:25: error[kiro-unknown-requirement]"
    ));
    assert!(
        run.stdout.ends_with("1 error, 0 warnings in 2 files\n"),
        "{}",
        run.stdout
    );
    // Named beside its project, the folder adds nothing twice.
    let summary = |args: &[&str]| json(&planmark(args))["summary"].clone();
    assert_eq!(
        summary(&[
            "check",
            "--format",
            "json",
            "examples",
            "examples/.kiro/specs/delivery-notifications"
        ]),
        summary(&["check", "--format", "json", "examples"])
    );
    // `plan` reads the whole project, and says so.
    let run = planmark(&["plan", "examples/.kiro/specs/delivery-notifications"]);
    assert!(
        run.stderr.starts_with(
            "note: `examples/.kiro/specs/delivery-notifications` is one part of the planning layout of the project at `"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stdout.contains("delivery-notifications/task-"),
        "{}",
        run.stdout
    );
}

#[test]
fn checking_a_layout_folder_reads_its_project_and_fixes_nothing_wrongly() {
    // `issues/` read on its own has an index whose rows point into
    // `backlog/` and `done/` as no issue file of that workspace lies in
    // `issues/<status>/`: every row looked dangling, and `--fix` emptied
    // the index. It is read within its project, for its files.
    let index = "# Issues\n\n| File | Title | Status |\n|---|---|---|\n| swe-feature-001 | Import shipments from the nightly order export | backlog |\n| swe-feature-002 | Export shipments | backlog |\n";
    let second = CLEAN_ISSUE.replace(
        "**Status:** backlog",
        "**Status:** backlog\n**Dependencies:** swe-feature-009",
    );
    let dir = temp_workspace(&[
        ("planmark.toml", ""),
        ("issues/issues-list.md", index),
        ("issues/backlog/swe-feature-001.md", CLEAN_ISSUE),
        (
            "issues/backlog/swe-feature-002.md",
            &second.replace(
                "Import shipments from the nightly order export",
                "Export shipments",
            ),
        ),
    ]);
    for cwd in [dir.path().to_path_buf(), dir.path().join("issues")] {
        let folder = if cwd == dir.path() { "issues" } else { "." };
        let run = planmark_in(&cwd, &["check", folder], &[]);
        assert_eq!(run.code, 1, "{}", run.stdout);
        assert!(!run.stdout.contains("index-out-of-sync"), "{}", run.stdout);
        assert!(
            run.stdout
                .contains("error[dangling-dependency]: `swe-feature-009`"),
            "{}",
            run.stdout
        );
        let run = planmark_in(&cwd, &["check", folder, "--fix"], &[]);
        assert!(!run.stdout.contains("fixed"), "{}", run.stdout);
        let kept = std::fs::read_to_string(dir.path().join("issues/issues-list.md")).unwrap();
        assert_eq!(kept, index);
    }
    // `plan` and `graph` read the whole project, and say so.
    let run = planmark_in(dir.path(), &["plan", "issues"], &[]);
    assert!(
        run.stderr
            .starts_with("note: `issues` is one part of the planning layout of the project at `"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.contains("swe-feature-001"), "{}", run.stdout);
}

// JSON

#[test]
fn json_has_the_documented_shape() {
    let run = planmark(&["check", "examples", "--format", "json"]);
    assert_eq!(run.code, 1);
    assert_eq!(run.stderr, "");
    let doc = json(&run);
    let keys = |v: &Value| -> Vec<String> {
        let mut k: Vec<String> = v.as_object().expect("an object").keys().cloned().collect();
        k.sort();
        k
    };
    assert_eq!(
        keys(&doc),
        ["diagnostics", "problems", "summary", "version"]
    );
    assert_eq!(
        doc["problems"],
        serde_json::json!([]),
        "examples/ lists cleanly"
    );
    assert_eq!(doc["version"], 1);
    assert_eq!(
        keys(&doc["summary"]),
        ["errors", "files", "fixable", "hints", "infos", "warnings"]
    );
    let diagnostics = doc["diagnostics"].as_array().expect("an array");
    assert!(!diagnostics.is_empty());
    let mut saw_related = false;
    for d in diagnostics {
        assert_eq!(
            keys(d),
            [
                "column",
                "end_column",
                "end_line",
                "line",
                "message",
                "path",
                "related",
                "rule",
                "severity"
            ]
        );
        for key in ["path", "rule", "severity", "message"] {
            assert!(d[key].is_string(), "{key} is a string in {d}");
        }
        for key in ["line", "column", "end_line", "end_column"] {
            assert!(
                d[key].as_u64().is_some_and(|n| n >= 1),
                "{key} is 1-based in {d}"
            );
        }
        assert!(["error", "warning", "info", "hint"].contains(&d["severity"].as_str().unwrap()));
        for r in d["related"].as_array().expect("related is an array") {
            saw_related = true;
            assert_eq!(keys(r), ["column", "line", "message", "path"]);
            assert!(r["path"].is_string() && r["message"].is_string());
            assert!(r["line"].as_u64().unwrap() >= 1 && r["column"].as_u64().unwrap() >= 1);
        }
    }
    assert!(saw_related, "the cycle in examples/ has related locations");
    // Sorted by path, then line.
    let order: Vec<(String, u64)> = diagnostics
        .iter()
        .map(|d| {
            (
                d["path"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
            )
        })
        .collect();
    let mut sorted = order.clone();
    sorted.sort();
    assert_eq!(order, sorted);
    // The summary counts the diagnostics.
    let count = |s: &str| diagnostics.iter().filter(|d| d["severity"] == s).count() as u64;
    assert_eq!(doc["summary"]["errors"], count("error"));
    assert_eq!(doc["summary"]["warnings"], count("warning"));
    assert_eq!(doc["summary"]["infos"], count("info"));
    assert_eq!(doc["summary"]["hints"], count("hint"));
}

#[test]
fn json_on_examples() {
    // Every finding is one of the deliberate problems listed in
    // examples/README.md, and nothing else.
    let run = planmark(&["check", "examples", "--format", "json"]);
    check_stdout(
        &run,
        expect![[r#"
            {
              "diagnostics": [
                {
                  "column": 25,
                  "end_column": 28,
                  "end_line": 15,
                  "line": 15,
                  "message": "`2.4` names no criterion of `.kiro/specs/delivery-notifications/requirements.md` (requirement 2 has criteria 2.1 to 2.3)",
                  "path": "examples/.kiro/specs/delivery-notifications/tasks.md",
                  "related": [],
                  "rule": "kiro-unknown-requirement",
                  "severity": "error"
                },
                {
                  "column": 17,
                  "end_column": 32,
                  "end_line": 26,
                  "line": 26,
                  "message": "`swe-feature-111` names no known issue; did you mean `swe-feature-011`?",
                  "path": "examples/issues/backlog/devops-feature-015.md",
                  "related": [],
                  "rule": "dangling-dependency",
                  "severity": "error"
                },
                {
                  "column": 3,
                  "end_column": 56,
                  "end_line": 1,
                  "line": 1,
                  "message": "issue `swe-bug-016` has no `## Acceptance Criteria` section",
                  "path": "examples/issues/backlog/swe-bug-016.md",
                  "related": [],
                  "rule": "missing-acceptance-criteria",
                  "severity": "error"
                },
                {
                  "column": 6,
                  "end_column": 10,
                  "end_line": 10,
                  "line": 10,
                  "message": "\"user\" is a generic persona: name who it is (\"warehouse manager\", not \"user\")",
                  "path": "examples/issues/backlog/swe-feature-010.md",
                  "related": [],
                  "rule": "generic-persona",
                  "severity": "info"
                },
                {
                  "column": 3,
                  "end_column": 37,
                  "end_line": 1,
                  "line": 1,
                  "message": "11 acceptance criteria (more than 8): this issue will not fit one session; split it",
                  "path": "examples/issues/backlog/swe-feature-011.md",
                  "related": [],
                  "rule": "oversized-issue",
                  "severity": "warning"
                },
                {
                  "column": 19,
                  "end_column": 34,
                  "end_line": 25,
                  "line": 25,
                  "message": "dependency cycle: swe-feature-012 -> swe-feature-013 -> swe-feature-012",
                  "path": "examples/issues/backlog/swe-feature-012.md",
                  "related": [
                    {
                      "column": 3,
                      "line": 1,
                      "message": "`swe-feature-012` is part of the cycle",
                      "path": "examples/issues/backlog/swe-feature-012.md"
                    },
                    {
                      "column": 3,
                      "line": 1,
                      "message": "`swe-feature-013` is part of the cycle",
                      "path": "examples/issues/backlog/swe-feature-013.md"
                    }
                  ],
                  "rule": "dependency-cycle",
                  "severity": "error"
                },
                {
                  "column": 19,
                  "end_column": 34,
                  "end_line": 25,
                  "line": 25,
                  "message": "dependency cycle: swe-feature-012 -> swe-feature-013 -> swe-feature-012",
                  "path": "examples/issues/backlog/swe-feature-013.md",
                  "related": [
                    {
                      "column": 3,
                      "line": 1,
                      "message": "`swe-feature-012` is part of the cycle",
                      "path": "examples/issues/backlog/swe-feature-012.md"
                    },
                    {
                      "column": 3,
                      "line": 1,
                      "message": "`swe-feature-013` is part of the cycle",
                      "path": "examples/issues/backlog/swe-feature-013.md"
                    }
                  ],
                  "rule": "dependency-cycle",
                  "severity": "error"
                },
                {
                  "column": 13,
                  "end_column": 20,
                  "end_line": 6,
                  "line": 6,
                  "message": "status `backlog` disagrees with the `done/` folder this file is in",
                  "path": "examples/issues/done/swe-feature-004.md",
                  "related": [],
                  "rule": "status-folder-mismatch",
                  "severity": "warning"
                },
                {
                  "column": 123,
                  "end_column": 130,
                  "end_line": 10,
                  "line": 10,
                  "message": "the index says status `planned` but `qa-feature-006` is `in-progress`",
                  "path": "examples/issues/issues-list.md",
                  "related": [],
                  "rule": "index-out-of-sync",
                  "severity": "warning"
                },
                {
                  "column": 7,
                  "end_column": 26,
                  "end_line": 20,
                  "line": 20,
                  "message": "template placeholder `[Another criterion]` was left unfilled",
                  "path": "examples/issues/planned/swe-feature-009.md",
                  "related": [],
                  "rule": "placeholder-text",
                  "severity": "warning"
                },
                {
                  "column": 7,
                  "end_column": 44,
                  "end_line": 20,
                  "line": 20,
                  "message": "\"works correctly\" cannot be verified: say what the persona can see or do",
                  "path": "examples/issues/planned/swe-techdebt-008.md",
                  "related": [],
                  "rule": "vague-criterion",
                  "severity": "hint"
                }
              ],
              "problems": [],
              "summary": {
                "errors": 5,
                "files": 41,
                "fixable": 2,
                "hints": 1,
                "infos": 1,
                "warnings": 4
              },
              "version": 1
            }
        "#]],
    );
}

#[test]
fn json_columns_count_characters() {
    // Columns count Unicode characters (not bytes, not UTF-16 units), and a
    // byte-order mark does not count.
    let issue = CLEAN_ISSUE.replace(
        "**Dependencies:** none",
        "**Dependencies:** swe-feature-002 (📦 漢字 é), swe-feature-111",
    );
    let bom = format!(
        "\u{feff}{}",
        CLEAN_ISSUE.replace("## Acceptance Criteria\n\n- [ ] Warehouse manager sees yesterday's shipments in the shipment list by 06:00\n\n", "")
    );
    let dir = temp_workspace(&[
        ("issues/backlog/swe-feature-001.md", &issue),
        ("issues/backlog/swe-feature-002.md", &bom),
    ]);
    let run = planmark_in(dir.path(), &["check", "--format", "json"], &[]);
    let doc = json(&run);
    let places: Vec<String> = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            format!(
                "{}:{}:{}-{}:{} {}",
                d["path"].as_str().unwrap(),
                d["line"],
                d["column"],
                d["end_line"],
                d["end_column"],
                d["rule"].as_str().unwrap()
            )
        })
        .collect();
    expect![[r#"
        issues/backlog/swe-feature-001.md:19:45-19:60 dangling-dependency
        issues/backlog/swe-feature-002.md:1:3-1:49 missing-acceptance-criteria"#]]
    .assert_eq(&places.join("\n"));
}

// SARIF

#[test]
fn sarif_has_the_2_1_0_shape() {
    let run = planmark(&["check", "examples", "--format", "sarif"]);
    assert_eq!(run.code, 1);
    assert_eq!(run.stderr, "");
    let doc = json(&run);
    assert_eq!(doc["version"], "2.1.0");
    assert!(doc["$schema"].as_str().unwrap().contains("sarif"));
    let runs = doc["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let driver = &runs[0]["tool"]["driver"];
    assert_eq!(driver["name"], "planmark");
    let rules = driver["rules"].as_array().unwrap();
    let names: Vec<&str> = planmark::analysis::rules::all_rules()
        .map(|r| r.name)
        .collect();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids, names, "one reportingDescriptor per rule, in order");
    // An example's `## Acceptance Criteria` line does not end the help.
    assert!(rules[0]["help"]["text"]
        .as_str()
        .unwrap()
        .contains("## Description\n\nDHL sends"));
    for rule in rules {
        let id = rule["id"].as_str().unwrap();
        assert!(!rule["shortDescription"]["text"]
            .as_str()
            .unwrap()
            .is_empty());
        let help = rule["help"]["text"].as_str().unwrap();
        assert!(
            help.starts_with("**Default severity:**"),
            "help of {id}: {help}"
        );
        assert!(help.contains("```"), "the help of {id} has its example");
        assert!(
            !help.contains("\n## `"),
            "the help of {id} ends at its section"
        );
        assert!(rule["helpUri"]
            .as_str()
            .unwrap()
            .ends_with(&format!("rules.md#{id}")));
        assert!(["error", "warning", "note"]
            .contains(&rule["defaultConfiguration"]["level"].as_str().unwrap()));
    }
    let results = runs[0]["results"].as_array().unwrap();
    let json_run = json(&planmark(&["check", "examples", "--format", "json"]));
    assert_eq!(
        results.len(),
        json_run["diagnostics"].as_array().unwrap().len()
    );
    for (result, d) in results
        .iter()
        .zip(json_run["diagnostics"].as_array().unwrap())
    {
        assert_eq!(result["ruleId"], d["rule"]);
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], d["rule"]);
        let level = match d["severity"].as_str().unwrap() {
            "error" => "error",
            "warning" => "warning",
            _ => "note",
        };
        assert_eq!(result["level"], level);
        assert_eq!(result["message"]["text"], d["message"]);
        let location = &result["locations"][0]["physicalLocation"];
        assert_eq!(location["artifactLocation"]["uri"], d["path"]);
        assert_eq!(location["region"]["startLine"], d["line"]);
        assert_eq!(location["region"]["startColumn"], d["column"]);
        assert_eq!(location["region"]["endLine"], d["end_line"]);
        assert_eq!(location["region"]["endColumn"], d["end_column"]);
    }
}

// GitHub annotations

#[test]
fn github_format_on_examples() {
    let run = planmark(&["check", "examples", "--format", "github"]);
    assert_eq!(run.code, 1);
    assert_eq!(run.stderr, "");
    for line in run.stdout.lines() {
        assert!(
            line.starts_with("::error file=examples/")
                || line.starts_with("::warning file=examples/")
                || line.starts_with("::notice file=examples/"),
            "{line}"
        );
    }
    check_stdout(
        &run,
        expect![[r#"
            ::error file=examples/.kiro/specs/delivery-notifications/tasks.md,line=15,col=25,endLine=15,endColumn=28,title=planmark kiro-unknown-requirement::`2.4` names no criterion of `.kiro/specs/delivery-notifications/requirements.md` (requirement 2 has criteria 2.1 to 2.3)
            ::error file=examples/issues/backlog/devops-feature-015.md,line=26,col=17,endLine=26,endColumn=32,title=planmark dangling-dependency::`swe-feature-111` names no known issue; did you mean `swe-feature-011`?
            ::error file=examples/issues/backlog/swe-bug-016.md,line=1,col=3,endLine=1,endColumn=56,title=planmark missing-acceptance-criteria::issue `swe-bug-016` has no `## Acceptance Criteria` section
            ::notice file=examples/issues/backlog/swe-feature-010.md,line=10,col=6,endLine=10,endColumn=10,title=planmark generic-persona::"user" is a generic persona: name who it is ("warehouse manager", not "user")
            ::warning file=examples/issues/backlog/swe-feature-011.md,line=1,col=3,endLine=1,endColumn=37,title=planmark oversized-issue::11 acceptance criteria (more than 8): this issue will not fit one session; split it
            ::error file=examples/issues/backlog/swe-feature-012.md,line=25,col=19,endLine=25,endColumn=34,title=planmark dependency-cycle::dependency cycle: swe-feature-012 -> swe-feature-013 -> swe-feature-012
            ::error file=examples/issues/backlog/swe-feature-013.md,line=25,col=19,endLine=25,endColumn=34,title=planmark dependency-cycle::dependency cycle: swe-feature-012 -> swe-feature-013 -> swe-feature-012
            ::warning file=examples/issues/done/swe-feature-004.md,line=6,col=13,endLine=6,endColumn=20,title=planmark status-folder-mismatch::status `backlog` disagrees with the `done/` folder this file is in
            ::warning file=examples/issues/issues-list.md,line=10,col=123,endLine=10,endColumn=130,title=planmark index-out-of-sync::the index says status `planned` but `qa-feature-006` is `in-progress`
            ::warning file=examples/issues/planned/swe-feature-009.md,line=20,col=7,endLine=20,endColumn=26,title=planmark placeholder-text::template placeholder `[Another criterion]` was left unfilled
            ::notice file=examples/issues/planned/swe-techdebt-008.md,line=20,col=7,endLine=20,endColumn=44,title=planmark vague-criterion::"works correctly" cannot be verified: say what the persona can see or do
        "#]],
    );
}

#[cfg(unix)]
#[test]
fn walk_problems_are_in_the_json_and_sarif_output() {
    // A symlink loop and a symlink out of the root are walk problems even
    // for root (permission bits would not stop it).
    let dir = temp_workspace(&[("issues/backlog/swe-feature-001.md", CLEAN_ISSUE)]);
    let outside = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(dir.path(), dir.path().join("issues/backlog/loop")).unwrap();
    std::os::unix::fs::symlink(outside.path(), dir.path().join("issues/done")).unwrap();
    let run = planmark_in(dir.path(), &["check", ".", "--format", "json"], &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc = json(&run);
    let problems = doc["problems"].as_array().expect("a problems array");
    let described: Vec<(String, String)> = problems
        .iter()
        .map(|p| {
            assert_eq!(p.as_object().unwrap().len(), 2, "path and message: {p}");
            (
                p["path"].as_str().unwrap().to_string(),
                p["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(
        described
            .iter()
            .any(|(path, m)| path.ends_with("issues/backlog/loop") && m.contains("loop")),
        "{described:?}"
    );
    assert!(
        described
            .iter()
            .any(|(path, m)| path.ends_with("issues/done") && m.contains("out of the workspace")),
        "{described:?}"
    );
    // The same problems, as before, on stderr.
    assert!(run.stderr.contains("loop"), "{}", run.stderr);
    let run = planmark_in(dir.path(), &["check", ".", "--format", "sarif"], &[]);
    let doc = json(&run);
    let notifications = doc["runs"][0]["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .unwrap();
    assert_eq!(notifications.len(), problems.len());
    assert_eq!(
        doc["runs"][0]["invocations"][0]["executionSuccessful"],
        true
    );
    for n in notifications {
        assert_eq!(n["level"], "warning");
        assert!(n["message"]["text"].is_string());
        assert!(n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].is_string());
    }
}

// Exit codes

#[test]
fn exit_code_0_on_a_clean_workspace() {
    let dir = temp_workspace(&[("issues/backlog/swe-feature-001.md", CLEAN_ISSUE)]);
    let run = planmark_in(dir.path(), &["check", "."], &[]);
    assert_eq!(
        (run.code, run.stdout.as_str(), run.stderr.as_str()),
        (0, "0 errors, 0 warnings in 1 file\n", "")
    );
    let run = planmark_in(dir.path(), &["check", ".", "--format", "json"], &[]);
    assert_eq!(run.code, 0);
    expect![[r#"
        {
          "diagnostics": [],
          "problems": [],
          "summary": {
            "errors": 0,
            "files": 1,
            "fixable": 0,
            "hints": 0,
            "infos": 0,
            "warnings": 0
          },
          "version": 1
        }
    "#]]
    .assert_eq(&run.stdout);
}

#[test]
fn exit_code_2_for_a_missing_path() {
    let run = planmark(&["check", "no-such-folder"]);
    assert_eq!(run.code, 2);
    assert_eq!(run.stdout, "");
    expect![[r#"
        error: `no-such-folder` does not exist
    "#]]
    .assert_eq(&run.stderr);
}

#[test]
fn exit_code_2_for_a_broken_config() {
    let dir = temp_workspace(&[
        ("issues/backlog/swe-feature-001.md", CLEAN_ISSUE),
        (
            "planmark.toml",
            "[rules]\nvague-criterion = \"off\"\noversize-issue = \"warning\"\n",
        ),
    ]);
    let run = planmark_in(dir.path(), &["check"], &[]);
    assert_eq!(run.code, 2);
    expect![[r#"
        planmark.toml:3: error: `rules.oversize-issue`: unknown rule `oversize-issue` (did you mean `oversized-issue`?)
    "#]].assert_eq(&run.stderr);
    // Not TOML at all.
    write(
        dir.path(),
        "planmark.toml",
        b"[rules\nvague-criterion = \"off\"\n",
    );
    let run = planmark_in(dir.path(), &["check"], &[]);
    assert_eq!(run.code, 2);
    expect![[r#"
        planmark.toml:1: error: not valid TOML: invalid table header; expected `.`, `]`
    "#]]
    .assert_eq(&run.stderr);
    // `plan` and `graph` print it on one line too.
    for command in ["plan", "graph"] {
        let other = planmark_in(dir.path(), &[command], &[]);
        assert_eq!(other.code, 2, "{command}");
        assert_eq!(other.stderr, run.stderr, "{command}");
    }
}

#[test]
fn exit_code_2_for_a_rule_option_the_rule_does_not_declare() {
    let dir = temp_workspace(&[
        ("issues/backlog/swe-feature-001.md", CLEAN_ISSUE),
        (
            "planmark.toml",
            "[rules]\nvague-criterion = \"off\"\noversized-issue = { max-criterion = 10 }\n\n[rules.oversized-story]\nmax-tasks = \"ten\"\n",
        ),
    ]);
    let run = planmark_in(dir.path(), &["check"], &[]);
    assert_eq!(run.code, 2);
    expect![[r#"
        planmark.toml:3: error: `rules.oversized-issue.max-criterion`: unknown option `max-criterion` of `oversized-issue` (expected `max-criteria` or `severity`)
        planmark.toml:6: error: `rules.oversized-story.max-tasks`: expected a non-negative integer, found string
    "#]]
    .assert_eq(&run.stderr);
}

#[test]
fn exit_code_2_for_bad_arguments() {
    for args in [
        &["check", "examples", "--format", "xml"][..],
        &["check", "examples", "--max-warnings", "many"],
        &["check", "examples", "--no-such-flag"],
        &["no-such-command"],
    ] {
        let run = planmark(args);
        assert_eq!(run.code, 2, "{args:?}");
        assert_eq!(run.stdout, "", "{args:?}");
        assert!(!run.stderr.is_empty(), "{args:?}");
    }
}

#[test]
fn max_warnings() {
    // Two warnings (a placeholder and a status in the wrong folder), no
    // error.
    let dir = temp_workspace(&[
        (
            "issues/backlog/swe-feature-001.md",
            &CLEAN_ISSUE.replace("**Status:** backlog", "**Status:** planned"),
        ),
        (
            "issues/backlog/swe-feature-002.md",
            &CLEAN_ISSUE.replace(
                "- [ ] Warehouse manager sees",
                "- [ ] [Another criterion]\n- [ ] Warehouse manager sees",
            ),
        ),
    ]);
    let code = |args: &[&str]| planmark_in(dir.path(), args, &[]).code;
    let run = planmark_in(dir.path(), &["check"], &[]);
    assert!(
        run.stdout.ends_with(
            "0 errors, 2 warnings in 2 files\n\
             1 fixable with `planmark check --fix` (add `--dry-run` to see the changes first)\n"
        ),
        "{}",
        run.stdout
    );
    assert_eq!(run.code, 0, "warnings alone exit with 0");
    assert_eq!(code(&["check", "--max-warnings", "2"]), 0);
    assert_eq!(code(&["check", "--max-warnings", "1"]), 1);
    assert_eq!(code(&["check", "--max-warnings", "0"]), 1);
    assert_eq!(code(&["check", "--max-warnings=0", "--format", "json"]), 1);
}

#[test]
fn binary_and_non_utf8_files_are_reported() {
    let dir = temp_workspace(&[("issues/backlog/swe-feature-001.md", CLEAN_ISSUE)]);
    write(
        dir.path(),
        "issues/backlog/swe-feature-002.md",
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR",
    );
    let latin1 = latin1(&CLEAN_ISSUE.replacen("# ", "# Caf\u{e9} ", 1));
    write(dir.path(), "issues/backlog/swe-feature-003.md", &latin1);
    let run = planmark_in(dir.path(), &["check"], &[]);
    assert_eq!(run.code, 1);
    assert_eq!(run.stderr, "");
    check_stdout(
        &run,
        expect![[r#"
            issues/backlog/swe-feature-002.md:1:1: error[unreadable-file]: `issues/backlog/swe-feature-002.md` is binary data, not text (byte 0x89 at offset 0 is not UTF-8)
            issues/backlog/swe-feature-003.md:1:6: warning[invalid-utf8]: `issues/backlog/swe-feature-003.md` is not valid UTF-8: byte 0xE9 here begins no character. planmark reads each bad sequence as U+FFFD (�) and fixes nothing in this file; save it as UTF-8
               1 | # Caf� Import shipments from the nightly order export
                 |      ^

            1 error, 1 warning in 3 files
        "#]],
    );
}

#[test]
fn rules_config_changes_what_is_reported_and_the_exit_code() {
    let dir = temp_workspace(&[(
        "issues/backlog/swe-feature-001.md",
        &CLEAN_ISSUE.replace(
            "- [ ] Warehouse manager sees",
            "- [ ] [Another criterion]\n- [ ] Warehouse manager sees",
        ),
    )]);
    let run = planmark_in(dir.path(), &["check"], &[]);
    assert_eq!(run.code, 0);
    assert!(run.stdout.contains(": warning[placeholder-text]: "));
    write(
        dir.path(),
        "planmark.toml",
        b"[rules]\nplaceholder-text = \"error\"\n",
    );
    let run = planmark_in(dir.path(), &["check"], &[]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.contains(": error[placeholder-text]: "));
    write(
        dir.path(),
        "planmark.toml",
        b"[rules]\nplaceholder-text = \"off\"\n",
    );
    let run = planmark_in(dir.path(), &["check"], &[]);
    assert_eq!(
        (run.code, run.stdout.as_str()),
        (0, "0 errors, 0 warnings in 1 file\n")
    );
}

#[test]
fn checking_several_files() {
    let run = planmark(&[
        "check",
        "examples/issues/backlog/swe-bug-016.md",
        "examples/issues/planned/swe-feature-009.md",
        "--format",
        "github",
    ]);
    assert_eq!(run.code, 1);
    check_stdout(
        &run,
        expect![[r#"
            ::error file=examples/issues/backlog/swe-bug-016.md,line=1,col=3,endLine=1,endColumn=56,title=planmark missing-acceptance-criteria::issue `swe-bug-016` has no `## Acceptance Criteria` section
            ::warning file=examples/issues/planned/swe-feature-009.md,line=20,col=7,endLine=20,endColumn=26,title=planmark placeholder-text::template placeholder `[Another criterion]` was left unfilled
        "#]],
    );
}

#[test]
fn no_progress_bar_when_stderr_is_not_a_terminal() {
    // The progress bar starts at 2,000 files, and only on a terminal.
    let dir = tempfile::tempdir().unwrap();
    for n in 1..=2001 {
        let text = CLEAN_ISSUE.replace("# Import shipments", &format!("# Import shipments {n}"));
        write(
            dir.path(),
            &format!("issues/backlog/swe-feature-{n:03}.md"),
            text.as_bytes(),
        );
    }
    let run = planmark_in(dir.path(), &["check"], &[]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(run.stderr, "");
    assert_eq!(run.stdout, "0 errors, 0 warnings in 2001 files\n");
}

#[test]
fn repeated_findings_are_summarised_in_the_human_format() {
    // A renamed domain: the same `unknown-value` on each of five tasks.
    let mut story = String::from("# Story 015: Weaving\n\n**Status:** In Progress\n\n## Acceptance Criteria\n\n- [ ] Dispatcher sees the woven list\n\n## Tasks\n");
    for n in 1..=5 {
        story.push_str(&format!(
            "\n### {n:03}: Step {n}\n**Domain:** weave\n**Status:** pending\n**Depends on:** none\n"
        ));
    }
    let dir = temp_workspace(&[("docs/stories/015-weaving.md", &story)]);
    let run = planmark_in(dir.path(), &["check", "."], &[("NO_COLOR", "1")]);
    check_stdout(
        &run,
        expect![[r#"
        docs/stories/015-weaving.md:12:13: warning[unknown-value]: `weave` is not a known domain (allowed: `backend`, `compute`, `electron`, `packaging`)
          12 | **Domain:** weave
             |             ^^^^^
        docs/stories/015-weaving.md:17:13: warning[unknown-value]: `weave` is not a known domain (allowed: `backend`, `compute`, `electron`, `packaging`)
          17 | **Domain:** weave
             |             ^^^^^
        docs/stories/015-weaving.md:22:13: warning[unknown-value]: `weave` is not a known domain (allowed: `backend`, `compute`, `electron`, `packaging`)
          22 | **Domain:** weave
             |             ^^^^^
        … and 2 more like this

        0 errors, 5 warnings in 1 file
    "#]],
    );
    // The machine formats keep every finding.
    for format in ["json", "sarif", "github"] {
        let run = planmark_in(dir.path(), &["check", ".", "--format", format], &[]);
        assert_eq!(
            run.stdout.matches("is not a known domain").count(),
            5,
            "{format}: {}",
            run.stdout
        );
    }
}

/// The summary counts the findings `--fix` fixes, as many as it then
/// fixes, and says how to fix them; once fixed, the line is gone.
#[test]
fn summary_counts_what_fix_would_fix() {
    let in_done = CLEAN_ISSUE
        .replace("**Status:** backlog", "**Status:** in-progress")
        .replace("- [ ]", "- [x]");
    let dir = temp_workspace(&[
        ("planmark.toml", ""),
        ("issues/done/swe-feature-001.md", &in_done),
        ("issues/done/swe-feature-002.md", &in_done),
        // Not fixable: the dependency names nothing.
        (
            "issues/backlog/swe-feature-003.md",
            &CLEAN_ISSUE.replace(
                "**Dependencies:** none",
                "**Dependencies:** swe-feature-009",
            ),
        ),
    ]);
    let run = planmark_in(dir.path(), &["check"], &[]);
    assert!(
        run.stdout.ends_with(
            "1 error, 2 warnings in 3 files\n\
             2 fixable with `planmark check --fix` (add `--dry-run` to see the changes first)\n"
        ),
        "{}",
        run.stdout
    );
    let run = planmark_in(dir.path(), &["check", "--format", "json"], &[]);
    assert_eq!(json(&run)["summary"]["fixable"], 2);
    let run = planmark_in(dir.path(), &["check", "--fix"], &[]);
    let fixes = run
        .stdout
        .lines()
        .filter(|l| l.starts_with("fixed "))
        .count();
    assert_eq!(fixes, 2, "{}", run.stdout);
    assert!(
        run.stdout.ends_with("1 error, 0 warnings in 3 files\n"),
        "{}",
        run.stdout
    );
    let run = planmark_in(dir.path(), &["check", "--format", "json"], &[]);
    assert_eq!(json(&run)["summary"]["fixable"], 0);
}

/// An issues index of 20,000 rows whose files are gone (the issues moved to
/// another branch, say) is counted and fixed in one go: each finding's
/// fixes look at its own row, and the whole-index fix is made once. Made
/// for each finding, counting took 84 s and fixing most of a gigabyte; the
/// bound below only catches such a blow-up, not a slow machine.
#[test]
fn an_index_of_thousands_of_stale_rows_is_counted_and_fixed_at_once() {
    const ROWS: usize = 20_000;
    let mut index = String::from(
        "# Issues List\n\n| File | Title | Expert | Type | Milestone | Status |\n\
         |------|-------|--------|------|-----------|--------|\n",
    );
    for n in 1..=ROWS {
        index.push_str(&format!(
            "| swe-bug-{n:05} | Gone issue {n} | swe | bug | M1 | backlog |\n"
        ));
    }
    let dir = temp_workspace(&[
        ("planmark.toml", ""),
        ("issues/issues-list.md", &index),
        ("issues/backlog/swe-feature-100001.md", CLEAN_ISSUE),
    ]);
    let started = std::time::Instant::now();
    let run = planmark_in(dir.path(), &["check", "--format", "json"], &[]);
    let report = json(&run);
    let findings = report["diagnostics"].as_array().expect("a list").len();
    // Every stale row, and the row the one issue misses.
    assert_eq!(findings, ROWS + 1);
    assert_eq!(report["summary"]["fixable"], ROWS + 1);
    let run = planmark_in(dir.path(), &["check", "--fix"], &[]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let fixed = std::fs::read_to_string(dir.path().join("issues/issues-list.md"))
        .expect("the index is there");
    assert_eq!(
        fixed.lines().filter(|line| line.starts_with("| ")).count(),
        2,
        "the header and the one issue's row are left"
    );
    assert!(fixed.contains("| swe-feature-100001 |"), "{fixed}");
    let took = started.elapsed();
    assert!(took.as_secs() < 60, "counting and fixing took {took:?}");
}

/// A stories index with several rows out of date is fixed row by row: it
/// has no whole-index fix to stand for them, and `--fix` fixed none of
/// them while the summary counted them as fixable.
#[test]
fn several_rows_of_a_stories_index_are_fixed() {
    let story = |number: &str, title: &str| {
        format!(
            "# Story {number}: {title}\n\n**Status:** In Progress\n\n## User Story\n\n\
             As a dispatcher, I want {title} so that I can work.\n\n\
             ## Acceptance Criteria\n\n- [ ] It works\n"
        )
    };
    let dir = temp_workspace(&[
        ("planmark.toml", ""),
        ("docs/stories/015-login.md", &story("015", "Sign-in")),
        ("docs/stories/016-views.md", &story("016", "Saved views")),
        (
            "docs/stories/README.md",
            "# Stories\n\n| Story | Title |\n|-------|-------|\n\
             | 015 | Old title one |\n| 016 | Old title two |\n",
        ),
    ]);
    let run = planmark_in(dir.path(), &["check", "--format", "json"], &[]);
    assert_eq!(json(&run)["summary"]["fixable"], 2, "{}", run.stdout);
    planmark_in(dir.path(), &["check", "--fix"], &[]);
    let index = std::fs::read_to_string(dir.path().join("docs/stories/README.md"))
        .expect("the index is there");
    assert!(
        index.contains("| 015 | Sign-in |") && index.contains("| 016 | Saved views |"),
        "{index}"
    );
    let run = planmark_in(dir.path(), &["check", "--format", "json"], &[]);
    assert_eq!(json(&run)["summary"]["fixable"], 0, "{}", run.stdout);
}
