//! `planmark plan`, `graph` and `check` driven through the real binary on the
//! sample workspace (`examples/`) and on broken copies of it.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_planmark");
const EXAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples");

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn run_in(dir: &Path, args: &[&str]) -> Run {
    let Output {
        status,
        stdout,
        stderr,
    } = Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("the planmark binary runs");
    Run {
        code: status.code(),
        stdout: String::from_utf8(stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(stderr).expect("stderr is UTF-8"),
    }
}

fn run(args: &[&str]) -> Run {
    run_in(Path::new(env!("CARGO_MANIFEST_DIR")), args)
}

/// A copy of the sample workspace in a temporary folder.
fn examples_copy() -> tempfile::TempDir {
    fn copy(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            let target = to.join(entry.file_name());
            if entry.file_type().unwrap().is_dir() {
                copy(&entry.path(), &target);
            } else {
                std::fs::copy(entry.path(), &target).unwrap();
            }
        }
    }
    let dir = tempfile::tempdir().unwrap();
    copy(Path::new(EXAMPLES), dir.path());
    dir
}

fn plan_json(args: &[&str]) -> Value {
    let out = run(args);
    assert_eq!(out.code, Some(0), "stderr: {}", out.stderr);
    serde_json::from_str(&out.stdout).expect("`plan --format json` prints JSON")
}

fn strings(value: &Value) -> Vec<&str> {
    value
        .as_array()
        .expect("an array")
        .iter()
        .map(|v| v.as_str().expect("a string"))
        .collect()
}

#[test]
fn plan_json_shape() {
    let plan = plan_json(&["plan", EXAMPLES, "--format", "json"]);
    let keys: Vec<&str> = plan
        .as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect();
    for key in ["waves", "ready", "blocked", "cycles", "critical_path"] {
        assert!(keys.contains(&key), "no `{key}` in {keys:?}");
    }
    let waves = plan["waves"].as_array().unwrap();
    assert!(!waves.is_empty());
    for wave in waves {
        assert!(!strings(wave).is_empty());
    }
    assert_eq!(strings(&plan["ready"]), strings(&waves[0]));
    for blocked in plan["blocked"].as_array().unwrap() {
        let object = blocked.as_object().expect("blocked entries are objects");
        assert!(object["id"].is_string(), "{blocked}");
        assert!(!strings(&object["blocked_by"]).is_empty(), "{blocked}");
        assert!(!object["reason"].as_str().unwrap().is_empty(), "{blocked}");
    }
    for cycle in plan["cycles"].as_array().unwrap() {
        assert!(!strings(cycle).is_empty());
    }
    let cp = plan["critical_path"].as_object().unwrap();
    assert!(!strings(&cp["items"]).is_empty());
    assert!(cp["length"].as_f64().unwrap() > 0.0);
}

#[test]
fn plan_json_reports_the_examples_cycle_and_blocks_it() {
    let plan = plan_json(&["plan", EXAMPLES, "--format", "json"]);
    let cycles: Vec<Vec<&str>> = plan["cycles"]
        .as_array()
        .unwrap()
        .iter()
        .map(strings)
        .collect();
    assert_eq!(cycles, [["swe-feature-012", "swe-feature-013"]]);
    for id in ["swe-feature-012", "swe-feature-013"] {
        let blocked = plan["blocked"]
            .as_array()
            .unwrap()
            .iter()
            .find(|b| b["id"] == id)
            .unwrap_or_else(|| panic!("{id} is not blocked"));
        let reason = blocked["reason"].as_str().unwrap();
        assert!(reason.contains("cycle"), "{id}: {reason}");
        for wave in plan["waves"].as_array().unwrap() {
            assert!(!strings(wave).contains(&id), "{id} is in a wave");
        }
    }
    // The other deliberate problem that blocks: a dangling dependency.
    let devops = plan["blocked"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["id"] == "devops-feature-015")
        .expect("devops-feature-015 is blocked");
    assert_eq!(strings(&devops["blocked_by"]), ["swe-feature-111"]);
    // Every wave item's dependencies are done or in an earlier wave: spot
    // check the story chain and an issue chain.
    let wave_of = |id: &str| {
        plan["waves"]
            .as_array()
            .unwrap()
            .iter()
            .position(|w| strings(w).contains(&id))
    };
    assert!(wave_of("swe-feature-005").unwrap() < wave_of("swe-feature-007").unwrap());
    assert!(wave_of("story-016/1.1").unwrap() < wave_of("story-016/1.2").unwrap());
    assert!(
        wave_of("swe-techdebt-008").is_some(),
        "the brief's next task is planned"
    );
}

#[test]
fn plan_text() {
    let out = run(&["plan", EXAMPLES]);
    assert_eq!(out.code, Some(0), "stderr: {}", out.stderr);
    assert!(out.stderr.is_empty(), "{}", out.stderr);
    assert!(out.stdout.contains("Wave 1"), "{}", out.stdout);
    // The closed items are counted beside the open ones.
    assert!(
        out.stdout
            .starts_with("Waves: 32 open items in 10 waves (14 done)\n"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("swe-feature-012 -> swe-feature-013 -> swe-feature-012"),
        "{}",
        out.stdout
    );
    // The critical path's length is effort, not a count of items.
    assert!(
        out.stdout.contains("Critical path (10 items, effort 8):"),
        "{}",
        out.stdout
    );
    // The default path is the current directory.
    let here = run_in(Path::new(EXAMPLES), &["plan"]);
    assert_eq!(here.code, Some(0));
    assert_eq!(here.stdout, out.stdout);
}

#[test]
fn graph_mermaid_marks_the_cycle() {
    let out = run(&["graph", EXAMPLES, "--format", "mermaid"]);
    assert_eq!(out.code, Some(0), "stderr: {}", out.stderr);
    assert!(out.stdout.starts_with("flowchart"), "{}", out.stdout);
    // Both edges of the 012 <-> 013 cycle are drawn as cycle edges.
    let node = |id: &str| -> String {
        let line = out
            .stdout
            .lines()
            .find(|l| l.contains(&format!("[\"{id}<br/>")))
            .unwrap_or_else(|| panic!("no node for {id}"));
        line.trim().split('[').next().unwrap().to_string()
    };
    let (a, b) = (node("swe-feature-012"), node("swe-feature-013"));
    assert!(
        out.stdout.contains(&format!("{a} -. cycle .-> {b}")),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains(&format!("{b} -. cycle .-> {a}")),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("linkStyle"), "cycle edges are coloured");
    // No other edge is a cycle edge.
    assert_eq!(out.stdout.matches("cycle .->").count(), 2);
}

/// Braces, brackets and quotes balance, and every statement line ends as
/// DOT statements do.
fn assert_balanced_dot(dot: &str) {
    let mut depth = 0i32;
    let mut in_string = false;
    let mut escaped = false;
    for c in dot.chars() {
        if in_string {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '{' | '[' => depth += 1,
            '}' | ']' => {
                depth -= 1;
                assert!(depth >= 0, "unbalanced closing {c:?}");
            }
            _ => {}
        }
    }
    assert!(!in_string, "an unterminated string");
    assert_eq!(depth, 0, "unbalanced braces or brackets");
    assert_eq!(dot.trim_end().chars().last(), Some('}'));
}

#[test]
fn graph_dot_is_balanced_and_renders() {
    let out = run(&["graph", EXAMPLES, "--format", "dot"]);
    assert_eq!(out.code, Some(0), "stderr: {}", out.stderr);
    assert!(out.stdout.starts_with("digraph"), "{}", out.stdout);
    assert_balanced_dot(&out.stdout);
    assert!(
        out.stdout
            .contains("\"swe-feature-012\" -> \"swe-feature-013\" [color=\"#d32f2f\", penwidth=2, label=\"cycle\"];"),
        "{}",
        out.stdout
    );

    // Render with Graphviz when it is installed.
    let child = Command::new("dot")
        .arg("-Tsvg")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(child) => child,
        Err(err) => {
            println!("skipped the Graphviz render: `dot` is not available ({err})");
            return;
        }
    };
    child
        .stdin
        .take()
        .unwrap()
        .write_all(out.stdout.as_bytes())
        .unwrap();
    let rendered = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&rendered.stderr);
    assert!(rendered.status.success(), "dot -Tsvg failed: {stderr}");
    assert!(stderr.trim().is_empty(), "dot -Tsvg warned: {stderr}");
    let svg = String::from_utf8_lossy(&rendered.stdout);
    assert!(svg.contains("<svg"), "{svg}");
    // SVG escapes the dashes of the IDs.
    assert!(
        svg.contains("<title>swe&#45;feature&#45;012</title>"),
        "{svg}"
    );
}

#[test]
fn missing_path_exits_2_naming_it() {
    let missing = Path::new(env!("CARGO_MANIFEST_DIR")).join("no-such-workspace-here");
    for command in ["plan", "graph", "check"] {
        let out = run(&[command, missing.to_str().unwrap()]);
        assert_eq!(out.code, Some(2), "{command}: {}", out.stderr);
        assert!(
            out.stderr.contains("no-such-workspace-here"),
            "{command}: {}",
            out.stderr
        );
        assert!(out.stdout.is_empty(), "{command}: {}", out.stdout);
    }
}

#[test]
fn broken_config_is_reported_and_the_plan_still_printed() {
    let dir = examples_copy();
    std::fs::write(
        dir.path().join("planmark.toml"),
        "[vocabulary]\nexperts = 3\n",
    )
    .unwrap();
    for args in [
        vec!["plan", "."],
        vec!["plan", ".", "--format", "json"],
        vec!["graph", "."],
    ] {
        let out = run_in(dir.path(), &args);
        assert_eq!(out.code, Some(2), "{args:?}: {}", out.stderr);
        assert!(
            out.stderr.contains("planmark.toml:2"),
            "{args:?}: {}",
            out.stderr
        );
        assert!(
            out.stderr.contains("vocabulary.experts"),
            "{args:?}: {}",
            out.stderr
        );
        assert!(!out.stdout.is_empty(), "{args:?}: nothing printed");
    }
    let text = run_in(dir.path(), &["plan", "."]);
    assert!(text.stdout.contains("Wave 1"), "{}", text.stdout);
    let json = run_in(dir.path(), &["plan", ".", "--format", "json"]);
    let plan: Value = serde_json::from_str(&json.stdout).expect("JSON despite the config error");
    assert!(!plan["waves"].as_array().unwrap().is_empty());
    // From another folder, the path printed leads to the file.
    let elsewhere = run(&["plan", dir.path().to_str().unwrap()]);
    assert!(
        elsewhere.stderr.contains("planmark.toml:2"),
        "{}",
        elsewhere.stderr
    );
}

/// Writes a file that cannot be read as planning text; returns its path
/// relative to the workspace and a description.
fn plant_unreadable(root: &Path) -> Vec<PathBuf> {
    let mut planted = Vec::new();
    let bad = root.join("issues/backlog/swe-feature-020.md");
    // Binary data where a planning file should be (text that is merely not
    // all UTF-8 is read, with U+FFFD for the bad bytes).
    std::fs::write(&bad, b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\xff\xfe").unwrap();
    planted.push(PathBuf::from("issues/backlog/swe-feature-020.md"));

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let locked = root.join("issues/backlog/swe-feature-021.md");
        std::fs::write(&locked, "# Locked\n\n**Status:** backlog\n").unwrap();
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
        if std::fs::read(&locked).is_ok() {
            // Root reads anything: a permission test cannot fail here.
            println!("skipped the mode-000 file: running with permission to read anything");
            std::fs::remove_file(&locked).unwrap();
        } else {
            planted.push(PathBuf::from("issues/backlog/swe-feature-021.md"));
        }
    }
    planted
}

#[test]
fn unreadable_files_are_named_and_the_rest_loads() {
    let dir = examples_copy();
    let planted = plant_unreadable(dir.path());
    for args in [
        vec!["plan", "."],
        vec!["plan", ".", "--format", "json"],
        vec!["graph", "."],
    ] {
        let out = run_in(dir.path(), &args);
        assert!(out.code.is_some(), "{args:?} crashed: {}", out.stderr);
        for path in &planted {
            let shown = path.to_str().unwrap();
            let line = out
                .stderr
                .lines()
                .find(|l| l.contains(shown))
                .unwrap_or_else(|| {
                    panic!("{args:?}: stderr does not name {shown}: {}", out.stderr)
                });
            assert!(line.contains("error"), "{line}");
        }
        // The rest of the workspace is planned as before.
        assert!(
            out.stdout.contains("swe-techdebt-008"),
            "{args:?}: {}",
            out.stdout
        );
        assert!(
            out.stdout.contains("swe-feature-012"),
            "{args:?}: {}",
            out.stdout
        );
        assert!(
            !out.stdout.contains("swe-feature-020"),
            "{args:?}: {}",
            out.stdout
        );
    }
    let plain = run_in(dir.path(), &["plan", "."]);
    assert!(plain.stderr.contains("UTF-8"), "{}", plain.stderr);
    if planted.len() > 1 {
        assert!(
            plain.stderr.contains("permission denied"),
            "{}",
            plain.stderr
        );
    }
    // `check` reports them as findings and checks the other files.
    let check = run_in(dir.path(), &["check", "."]);
    let all = format!("{}{}", check.stdout, check.stderr);
    for path in &planted {
        assert!(all.contains(path.to_str().unwrap()), "{all}");
    }
    assert!(all.contains("dependency-cycle"), "{all}");
}

#[test]
fn help_for_each_command() {
    for command in ["plan", "graph", "check"] {
        let out = run(&[command, "--help"]);
        assert_eq!(out.code, Some(0), "{command} --help: {}", out.stderr);
        assert!(out.stdout.contains("Usage:"), "{command}: {}", out.stdout);
        assert!(
            out.stdout.contains(&format!("planmark {command}")),
            "{}",
            out.stdout
        );
    }
    let plan = run(&["plan", "--help"]).stdout;
    assert!(plan.contains("--format"), "{plan}");
    assert!(plan.contains("json"), "{plan}");
    let graph = run(&["graph", "--help"]).stdout;
    assert!(
        graph.contains("mermaid") && graph.contains("dot"),
        "{graph}"
    );
    // `--help` says what each format is for, and `check`'s what its exit
    // codes mean.
    assert!(graph.contains("dot -Tsvg"), "{graph}");
    assert!(plan.contains("- json:"), "{plan}");
    let check = run(&["check", "--help"]).stdout;
    for line in [
        "- sarif:  SARIF 2.1.0",
        "- github: GitHub Actions",
        "Exit codes:",
        "  2  planmark could not run",
    ] {
        assert!(check.contains(line), "{line:?} in {check}");
    }
}

/// Every node an edge names is declared with its label and style.
#[test]
fn graph_edges_only_name_declared_nodes() {
    let mermaid = run(&["graph", EXAMPLES, "--format", "mermaid"]).stdout;
    let declared: Vec<&str> = mermaid
        .lines()
        .filter(|l| l.contains("[\""))
        .map(|l| l.trim().split('[').next().unwrap())
        .collect();
    for line in mermaid.lines().filter(|l| l.contains("->")) {
        let words: Vec<&str> = line.split_whitespace().collect();
        let (from, to) = (words[0], words[words.len() - 1]);
        assert!(declared.contains(&from), "undeclared {from} in {line:?}");
        assert!(declared.contains(&to), "undeclared {to} in {line:?}");
    }
    let dot = run(&["graph", EXAMPLES, "--format", "dot"]).stdout;
    let declared: Vec<&str> = dot
        .lines()
        .filter(|l| l.contains(" [label="))
        .map(|l| l.trim().split(" [").next().unwrap())
        .collect();
    for line in dot.lines().filter(|l| l.contains(" -> ")) {
        let line = line.trim().trim_end_matches(';');
        let line = line.split(" [").next().unwrap();
        let (from, to) = line.split_once(" -> ").unwrap();
        assert!(declared.contains(&from), "undeclared {from} in {line:?}");
        assert!(declared.contains(&to), "undeclared {to} in {line:?}");
    }
}

/// A spec-kit feature: setup, foundational, two user-story phases.
const SPECKIT_SPEC: &str = "# Feature Specification: Delivery photos\n\n**Status**: In Progress\n\n### User Story 1 - Driver attaches a photo (Priority: P1)\n\n### User Story 2 - Recipient sees it (Priority: P2)\n\n- **FR-001**: The app MUST store the photo\n";
const SPECKIT_TASKS: &str = "# Tasks\n\n## Phase 1: Setup\n\n- [x] T001 Create the bucket in infra/storage.tf\n\n## Phase 2: Foundational\n\n- [ ] T002 Add the photo column in db/014.sql\n\n## Phase 3: User Story 1 - Driver attaches a photo (Priority: P1)\n\n- [ ] T003 [P] [US1] Upload endpoint in api/photos.rs\n- [ ] T004 [P] [US1] Camera screen in driver/Photo.tsx\n- [ ] T005 [US1] Link the photo to the stop in api/stops.rs (depends on T003)\n\n## Phase 4: User Story 2 - Recipient sees it (Priority: P2)\n\n- [ ] T006 [US2] Show the photo in web/Tracking.tsx (FR-001)\n";

#[test]
fn plan_prints_the_waves_of_a_speckit_feature() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    crate::support::write(root, "specs/001-photos/spec.md", SPECKIT_SPEC);
    crate::support::write(root, "specs/001-photos/tasks.md", SPECKIT_TASKS);
    let run = run_in(root, &["plan", "."]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let waves: Vec<&str> = run.stdout.lines().take_while(|l| !l.is_empty()).collect();
    // Foundational first; both stories' phases after it, side by side;
    // inside a phase, a task without [P] after the tasks above it.
    expect_test::expect![[r#"
        Waves: 5 open items in 3 waves (1 done)
          Wave 1 (1):
            001-photos/T002  Add the photo column in db/014.sql
          Wave 2 (3):
            001-photos/T003  Upload endpoint in api/photos.rs
            001-photos/T004  Camera screen in driver/Photo.tsx
            001-photos/T006  Show the photo in web/Tracking.tsx (FR-001)
          Wave 3 (1):
            001-photos/T005  Link the photo to the stop in api/stops.rs (depends on T003)"#]]
    .assert_eq(&waves.join("\n"));
}

#[test]
fn plan_of_a_feature_folder_counts_one_item_as_one() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    crate::support::write(root, "specs/001-photos/spec.md", SPECKIT_SPEC);
    crate::support::write(
        root,
        "specs/001-photos/tasks.md",
        "# Tasks\n\n## Phase 1: Setup\n\n- [ ] T001 Create the bucket in infra/storage.tf\n",
    );
    // The feature's folder is one part of its project: the project is read.
    let run = run_in(root, &["plan", "specs/001-photos"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(
        run.stderr.starts_with(
            "note: `specs/001-photos` is one part of the planning layout of the project at"
        ),
        "{}",
        run.stderr
    );
    let waves: Vec<&str> = run.stdout.lines().take_while(|l| !l.is_empty()).collect();
    expect_test::expect![[r#"
        Waves: 1 open item in 1 wave
          Wave 1 (1):
            001-photos/T001  Create the bucket in infra/storage.tf"#]]
    .assert_eq(&waves.join("\n"));
}

/// A title keeps its characters in the Mermaid label: spec-kit, BMAD and
/// GSD titles are full of code spans and brackets, which were drawn as
/// blanks. Each character Mermaid would read is an entity code it shows as
/// the character.
#[test]
fn graph_mermaid_labels_keep_the_title_as_written() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    crate::support::write(
        root,
        "specs/001-photos/tasks.md",
        "# Tasks\n\n## Phase 1: Setup\n\n- [ ] T001 Run `go mod init` for [core] {x} <T> a|b \"q\" #35; & é📦\n",
    );
    let run = run_in(root, &["graph", ".", "--format", "mermaid"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let label = run
        .stdout
        .lines()
        .find(|line| line.contains("T001"))
        .unwrap_or_default();
    expect_test::expect![[r#"  n0["001-photos/T001<br/>Run #96;go mod init#96; for #91;core#93; #123;x#125; #60;T#62; a#124;b #quot;q#quot; #35;35; #38; é📦"]:::ready"#]]
    .assert_eq(label);
}

/// A folder without planning files (the wrong path, a project not set up
/// yet) is said to be one: its empty plan would read as work all done, and
/// its empty check as a clean project.
#[test]
fn a_folder_without_planning_files_is_named() {
    let dir = tempfile::tempdir().unwrap();
    crate::support::write(dir.path(), "src/main.rs", "fn main() {}\n");
    for args in [
        vec!["plan", "."],
        vec!["plan", ".", "--format", "json"],
        vec!["graph", "."],
        vec!["graph", ".", "--format", "dot"],
        vec!["check", "."],
        vec!["check", ".", "--format", "json"],
    ] {
        let out = run_in(dir.path(), &args);
        assert_eq!(out.code, Some(0), "{args:?}: {}", out.stderr);
        assert_eq!(
            out.stderr, ".: warning: no planning files in this folder or below it\n",
            "{args:?}"
        );
        assert!(!out.stdout.is_empty(), "{args:?}: nothing printed");
    }
    // A workspace with planning files, all done, says nothing of the kind.
    crate::support::write(
        dir.path(),
        "specs/001-photos/tasks.md",
        "# Tasks\n\n## Phase 1: Setup\n\n- [x] T001 Create the bucket\n",
    );
    let out = run_in(dir.path(), &["plan", "."]);
    assert_eq!(out.stderr, "", "{}", out.stdout);
}

#[test]
fn plan_shows_a_cycle_of_two_loops_as_one_loop_and_the_rest() {
    // 001 waits for 002 and 003, and each of them for 001: one cycle, two
    // loops. No path visits 001, 002 and 003 in turn, so the cycle is shown
    // as its shortest loop and the member that loop leaves out.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let issue = |n: &str, deps: &str| {
        format!(
            "# Issue {n}\n\n**Status:** backlog\n**Depends on:** {deps}\n\n## Acceptance Criteria\n\n- [ ] It works\n"
        )
    };
    for (n, deps) in [
        ("001", "swe-feature-002, swe-feature-003"),
        ("002", "swe-feature-001"),
        ("003", "swe-feature-001"),
    ] {
        crate::support::write(
            root,
            &format!("issues/backlog/swe-feature-{n}.md"),
            &issue(n, deps),
        );
    }
    let run = run_in(root, &["plan", "."]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let cycles: Vec<&str> = run
        .stdout
        .lines()
        .skip_while(|l| !l.starts_with("Cycles"))
        .take_while(|l| !l.is_empty())
        .collect();
    expect_test::expect![[r#"
        Cycles (1):
          swe-feature-001 -> swe-feature-002 -> swe-feature-001
            and in the same cycle: swe-feature-003"#]]
    .assert_eq(&cycles.join("\n"));
}

/// A cancelled issue, in a `cancelled/` folder the project lists, holds
/// nothing back and is not offered as work; `graph` draws it dashed and
/// grey in both formats.
#[test]
fn a_cancelled_issue_is_closed_in_the_plan_and_drawn_apart() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    // The project writes `canceled` too: in `cancelled/` it is no
    // mismatch, as `Completed` in `done/` is none.
    let folders = r#"["backlog", "planned", "in-progress", "done", "cancelled"]"#;
    let statuses = r#"["backlog", "planned", "in-progress", "done", "cancelled", "canceled"]"#;
    crate::support::write(
        root,
        "planmark.toml",
        &format!(
            "[vocabulary]\nstatuses = {statuses}\n\n[locations]\nstatus-folders = {folders}\n"
        ),
    );
    let issue = |n: &str, status: &str, deps: &str| {
        format!(
            "# Issue {n}\n\n**Status:** {status}\n**Depends on:** {deps}\n\n## Acceptance Criteria\n\n- [ ] It works\n"
        )
    };
    crate::support::write(
        root,
        "issues/backlog/swe-feature-001.md",
        &issue("001", "backlog", "swe-feature-002"),
    );
    crate::support::write(
        root,
        "issues/cancelled/swe-feature-002.md",
        &issue("002", "cancelled", "swe-feature-003"),
    );
    crate::support::write(
        root,
        "issues/backlog/swe-feature-003.md",
        &issue("003", "backlog", "—"),
    );
    crate::support::write(
        root,
        "issues/cancelled/swe-feature-004.md",
        &issue("004", "canceled", "—"),
    );
    // Only the fields this short fixture leaves out are reported.
    let check = run_in(root, &["check", "."]);
    let rules: std::collections::BTreeSet<&str> = check
        .stdout
        .lines()
        .filter_map(|l| l.split_once('[')?.1.split_once(']'))
        .map(|(rule, _)| rule)
        .collect();
    assert_eq!(
        rules.into_iter().collect::<Vec<_>>(),
        ["missing-field"],
        "{}",
        check.stdout
    );
    let plan = run_in(root, &["plan", "."]);
    assert_eq!(plan.code, Some(0), "{}", plan.stderr);
    assert!(
        plan.stdout
            .starts_with("Waves: 2 open items in 1 wave (0 done, 2 dropped)\n"),
        "{}",
        plan.stdout
    );
    let ready: Vec<&str> = plan
        .stdout
        .lines()
        .skip_while(|l| !l.starts_with("Ready"))
        .take_while(|l| !l.is_empty())
        .collect();
    expect_test::expect![[r#"
        Ready (2):
          swe-feature-001  Issue 001
          swe-feature-003  Issue 003"#]]
    .assert_eq(&ready.join("\n"));
    assert!(!plan.stdout.contains("swe-feature-002"), "{}", plan.stdout);
    let mermaid = run_in(root, &["graph", ".", "--format", "mermaid"]).stdout;
    let node = mermaid.lines().find(|l| l.contains("swe-feature-002<br/>"));
    assert!(node.is_some_and(|l| l.ends_with(":::dropped")), "{mermaid}");
    assert!(mermaid.contains("classDef dropped "), "{mermaid}");
    let dot = run_in(root, &["graph", ".", "--format", "dot"]).stdout;
    assert_balanced_dot(&dot);
    let node = dot
        .lines()
        .find(|l| l.starts_with("  \"swe-feature-002\" ["));
    assert!(
        node.is_some_and(|l| l.contains("style=\"rounded,filled,dashed\"")),
        "{dot}"
    );
}

/// A Mermaid graph beyond Mermaid's default limits (GitHub's too) gets a
/// warning on stderr instead of silently rendering as an error; a small
/// one and the DOT format get none.
#[test]
fn mermaid_beyond_its_limits_is_warned_about() {
    let dir = tempfile::tempdir().unwrap();
    crate::support::write(dir.path(), "planmark.toml", "");
    // 502 issues in a chain: 501 edges, one more than Mermaid draws.
    for n in 1..=502 {
        let deps = if n == 1 {
            "none".to_string()
        } else {
            format!("swe-feature-{:03}", n - 1)
        };
        crate::support::write(
            dir.path(),
            &format!("issues/backlog/swe-feature-{n:03}.md"),
            &format!("# Step {n}\n\n**Status:** backlog\n**Depends on:** {deps}\n"),
        );
    }
    let out = run_in(dir.path(), &["graph"]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert_eq!(
        out.stderr,
        "warning: this graph is 501 edges (Mermaid draws at most 500): GitHub will show \
         an error instead; `--format dot` draws it with `dot -Tsvg`\n"
    );
    let dot = run_in(dir.path(), &["graph", "--format", "dot"]);
    assert_eq!(dot.stderr, "");
    let small = run(&["graph", EXAMPLES]);
    assert_eq!(small.stderr, "");
}

/// The text shows each wave's items and the critical path one a line,
/// each with its title in a column after the longest ID: a BMAD project's
/// first wave of fifteen IDs on one line could not be read.
#[test]
fn plan_text_lists_one_item_a_line_with_its_title() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let issue = |title: &str, deps: &str| {
        format!(
            "# {title}\n\n**Status:** backlog\n**Depends on:** {deps}\n\n## Acceptance Criteria\n\n- [ ] It works\n"
        )
    };
    crate::support::write(
        root,
        "issues/backlog/qa-bug-001.md",
        &issue("Fix the login", "—"),
    );
    crate::support::write(
        root,
        "issues/backlog/swe-feature-002.md",
        &issue("Add the export", "—"),
    );
    crate::support::write(
        root,
        "issues/backlog/swe-feature-003.md",
        &issue("Export to CSV", "qa-bug-001"),
    );
    let plan = run_in(root, &["plan", "."]);
    assert_eq!(plan.code, Some(0), "{}", plan.stderr);
    expect_test::expect![[r#"
        Waves: 3 open items in 2 waves
          Wave 1 (2):
            qa-bug-001       Fix the login
            swe-feature-002  Add the export
          Wave 2 (1):
            swe-feature-003  Export to CSV

        Ready (2):
          qa-bug-001       Fix the login
          swe-feature-002  Add the export

        Blocked (0):

        Cycles (0):

        Critical path (2 items, effort 4):
          qa-bug-001       Fix the login
          swe-feature-003  Export to CSV
    "#]]
    .assert_eq(&plan.stdout);
}
