//! `planmark new` and `planmark check --fix [--dry-run]` on temporary
//! workspaces: what they print, what they write, and what they refuse.

use std::path::Path;
use std::process::{Command, Output};

fn planmark(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_planmark"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .output()
        .expect("planmark runs")
}

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn read(root: &Path, rel: &str) -> String {
    std::fs::read_to_string(root.join(rel)).unwrap()
}

fn issue(title: &str, status: &str) -> String {
    format!(
        "# {title}\n\n**Type:** feature\n**Expert:** swe\n**Milestone:** M1\n**Status:** {status}\n\n\
         ## User Story\n\nAs a warehouse manager, I need {title} so that I can ship on time.\n\n\
         ## Acceptance Criteria\n\n- [ ] The manager sees the shipment list\n\n\
         ## Technical Notes\n\n**Dependencies:** none\n"
    )
}

fn workspace() -> tempfile::TempDir {
    let dir = tempfile::Builder::new()
        .prefix("planmark-test-")
        .tempdir()
        .unwrap();
    write(
        dir.path(),
        "issues/backlog/swe-feature-001.md",
        &issue("Shipment list", "backlog"),
    );
    write(
        dir.path(),
        "issues/backlog/swe-feature-007.md",
        &issue("Carrier list", "done"),
    );
    write(
        dir.path(),
        "issues/issues-list.md",
        "# Issues\n\n| File | Title | Status |\n|------|-------|--------|\n| swe-feature-001 | Shipment list | backlog |\n",
    );
    dir
}

#[test]
fn new_creates_the_next_issue_and_its_row() {
    let dir = workspace();
    let out = planmark(
        dir.path(),
        &["new", "--milestone", "M1", "Carrier", "rates"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "issues/backlog/swe-feature-008.md\n"
    );
    let text = read(dir.path(), "issues/backlog/swe-feature-008.md");
    assert!(text.starts_with("# Carrier rates\n\n**Type:** feature\n**Expert:** swe\n**Milestone:** M1\n**Status:** backlog\n"));
    assert!(read(dir.path(), "issues/issues-list.md")
        .ends_with("| swe-feature-008 | Carrier rates | backlog |\n"));
    let qa = planmark(dir.path(), &["new", "--expert", "qa", "Carrier rates pass"]);
    assert_eq!(
        String::from_utf8_lossy(&qa.stdout),
        "issues/backlog/qa-feature-009.md\n"
    );
    assert!(read(dir.path(), "issues/backlog/qa-feature-009.md")
        .starts_with("# QA: Carrier rates pass\n"));
}

/// A case of a test: what it plants, and how.
type Planting = (&'static str, fn(&Path));

#[test]
fn new_skips_every_number_in_use_even_where_nothing_is_parsed() {
    let cases: [Planting; 5] = [
        ("a gitignored issue file", |root| {
            write(root, ".gitignore", "issues/backlog/swe-feature-017.md\n");
            write(
                root,
                "issues/backlog/swe-feature-017.md",
                &issue("Hidden", "backlog"),
            );
        }),
        ("a binary issue file", |root| {
            std::fs::write(
                root.join("issues/planned/swe-feature-017.md"),
                b"\xff\xfe\x00x",
            )
            .unwrap();
        }),
        ("a folder named like an issue", |root| {
            std::fs::create_dir_all(root.join("issues/done/swe-feature-017.md")).unwrap();
        }),
        ("a file of another extension", |root| {
            write(root, "issues/in-progress/swe-feature-017.txt", "notes");
        }),
        ("a stale index row", |root| {
            let index =
                read(root, "issues/issues-list.md") + "| swe-feature-017 | Gone | backlog |\n";
            write(root, "issues/issues-list.md", &index);
        }),
    ];
    for (what, plant) in cases {
        let dir = workspace();
        for status in ["planned", "in-progress", "done"] {
            std::fs::create_dir_all(dir.path().join("issues").join(status)).unwrap();
        }
        plant(dir.path());
        let out = planmark(dir.path(), &["new", "Carrier rates"]);
        assert!(
            out.status.success(),
            "{what}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(
            String::from_utf8_lossy(&out.stdout),
            "issues/backlog/swe-feature-018.md\n",
            "{what}"
        );
    }
}

#[test]
fn check_reports_an_index_row_listed_twice() {
    let dir = workspace();
    let index = read(dir.path(), "issues/issues-list.md")
        + "| swe-feature-007 | Carrier list | backlog |\n| swe-feature-001 | Shipment list | backlog |\n";
    write(dir.path(), "issues/issues-list.md", &index);
    let out = planmark(dir.path(), &["check", "--format", "json"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("the index lists `swe-feature-001` twice (first on line 5)"),
        "{stdout}"
    );
}

#[test]
fn new_refuses_names_that_leave_the_folder() {
    let dir = workspace();
    for args in [
        &["new", "--expert", "../../x", "Title"][..],
        &["new", "--type", "/etc/passwd", "Title"][..],
        &["new", "--expert", "a/b", "Title"][..],
    ] {
        let out = planmark(dir.path(), args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
    }
    // A title is text, never a path.
    let out = planmark(dir.path(), &["new", "../../escape"]);
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "issues/backlog/swe-feature-008.md\n"
    );
    assert!(!dir.path().parent().unwrap().join("escape").exists());
    let files = std::fs::read_dir(dir.path().join("issues/backlog"))
        .unwrap()
        .count();
    assert_eq!(files, 3);
}

#[test]
fn fix_dry_run_prints_the_diff_and_writes_nothing() {
    let dir = workspace();
    let before = read(dir.path(), "issues/issues-list.md");
    let out = planmark(dir.path(), &["check", "--fix", "--dry-run"]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        stdout,
        "--- a/issues/backlog/swe-feature-007.md\n+++ b/issues/backlog/swe-feature-007.md\n@@ -3,7 +3,7 @@\n \
         **Type:** feature\n **Expert:** swe\n **Milestone:** M1\n-**Status:** done\n+**Status:** backlog\n \n \
         ## User Story\n \n\
         --- a/issues/issues-list.md\n+++ b/issues/issues-list.md\n@@ -3,3 +3,4 @@\n \
         | File | Title | Status |\n |------|-------|--------|\n | swe-feature-001 | Shipment list | backlog |\n\
         +| swe-feature-007 | Carrier list | backlog |\n"
    );
    assert_eq!(read(dir.path(), "issues/issues-list.md"), before);
    assert!(read(dir.path(), "issues/backlog/swe-feature-007.md").contains("**Status:** done"));
}

#[test]
fn fix_writes_the_safe_fixes_and_reports_what_is_left() {
    let dir = workspace();
    let out = planmark(dir.path(), &["check", "--fix"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("fixed issues/backlog/swe-feature-007.md: Set the status to `backlog`"),
        "{stdout}"
    );
    assert!(
        stdout.contains("fixed issues/issues-list.md: Add a row for `swe-feature-007`"),
        "{stdout}"
    );
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(read(dir.path(), "issues/issues-list.md")
        .ends_with("| swe-feature-007 | Carrier list | backlog |\n"));
    let again = planmark(dir.path(), &["check", "--fix", "--dry-run"]);
    assert_eq!(again.status.code(), Some(0));
    assert!(again.stdout.is_empty());
}
