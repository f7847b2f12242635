//! `planmark new` and `planmark check --fix [--dry-run]` on temporary
//! workspaces: what they print, what they write, and what they refuse.

use std::path::Path;
use std::process::{Command, Output};

use crate::support::{latin1, write};

fn planmark(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_planmark"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .output()
        .expect("planmark runs")
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
    // Run from inside the layout, the issue joins the project's own
    // folder, numbered after the project's issues, and the path printed
    // is the way to it from there.
    let inside = planmark(
        &dir.path().join("issues/backlog"),
        &["new", "Label", "printing"],
    );
    assert_eq!(
        String::from_utf8_lossy(&inside.stdout),
        "swe-feature-010.md\n"
    );
    assert!(read(dir.path(), "issues/issues-list.md")
        .ends_with("| swe-feature-010 | Label printing | backlog |\n"));
    assert!(!dir.path().join("issues/backlog/issues").exists());
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
fn new_refuses_to_start_issue_files_beside_another_format() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "backlog/config.yml", "project_name: Demo\n");
    write(
        dir.path(),
        "backlog/tasks/task-1 - Set-up-CI.md",
        "---\nid: task-1\ntitle: Set up CI\nstatus: To Do\n---\n\n## Description\n\nCI.\n",
    );
    let out = planmark(dir.path(), &["new", "Fix", "login"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("plans with Backlog.md, not with issue files"),
        "{stderr}"
    );
    assert!(!dir.path().join("issues").exists());
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
fn fix_of_one_file_fixes_only_that_file() {
    let dir = workspace();
    write(
        dir.path(),
        "issues/backlog/swe-feature-002.md",
        &issue("Label printing", "done"),
    );
    let out = planmark(
        dir.path(),
        &[
            "check",
            "--fix",
            "--dry-run",
            "issues/backlog/swe-feature-007.md",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let changed: Vec<&str> = stdout
        .lines()
        .filter(|line| line.starts_with("+++ "))
        .collect();
    assert_eq!(changed, ["+++ b/issues/backlog/swe-feature-007.md"]);
}

/// A file whose bytes are not all UTF-8 is checked as read, but `--fix`
/// passes it by: writing its text back would turn the bad bytes into
/// U+FFFD for good. The same problem in a UTF-8 file is fixed.
#[test]
fn fix_passes_by_a_file_that_is_not_utf8() {
    let dir = workspace();
    let latin1 = latin1(&issue("Caf\u{e9} import", "done"));
    write(dir.path(), "issues/backlog/swe-feature-002.md", &latin1);
    let out = planmark(dir.path(), &["check", "--fix"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("fixed issues/backlog/swe-feature-007.md: Set the status to `backlog`"),
        "{stdout}"
    );
    assert!(
        !stdout.contains("fixed issues/backlog/swe-feature-002.md"),
        "{stdout}"
    );
    assert!(
        stdout.contains("issues/backlog/swe-feature-002.md:1:6: warning[invalid-utf8]"),
        "{stdout}"
    );
    assert!(
        stdout.contains("issues/backlog/swe-feature-002.md:6:13: warning[status-folder-mismatch]"),
        "the rest of the file is checked: {stdout}"
    );
    // Not offered for writing at all (the write would be refused as a file
    // changed meanwhile, since its bytes are not the text read from them).
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("swe-feature-002"), "{stderr}");
    let after = std::fs::read(dir.path().join("issues/backlog/swe-feature-002.md")).unwrap();
    assert_eq!(after, latin1, "the file is left byte for byte");
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

#[cfg(unix)]
#[test]
fn fix_reports_every_file_written_when_one_is_refused() {
    let dir = workspace();
    let root = dir.path();
    // Three issues to fix and the index: one file has a second name (a hard
    // link), one is a symlink; neither is written, the others are.
    write(root, "store/carrier.txt", &issue("Carrier list", "done"));
    std::fs::remove_file(root.join("issues/backlog/swe-feature-007.md")).unwrap();
    std::fs::hard_link(
        root.join("store/carrier.txt"),
        root.join("issues/backlog/swe-feature-007.md"),
    )
    .unwrap();
    write(root, "store/rates.txt", &issue("Carrier rates", "done"));
    std::os::unix::fs::symlink(
        "../../store/rates.txt",
        root.join("issues/backlog/swe-feature-008.md"),
    )
    .unwrap();
    write(
        root,
        "issues/backlog/swe-feature-009.md",
        &issue("Pick lists", "done"),
    );
    let out = planmark(root, &["check", "--fix"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stdout.contains("fixed issues/backlog/swe-feature-009.md: Set the status to `backlog`"),
        "{stdout}"
    );
    assert!(stdout.contains("fixed issues/issues-list.md:"), "{stdout}");
    assert!(
        !stdout.contains("fixed issues/backlog/swe-feature-007.md"),
        "{stdout}"
    );
    assert!(
        !stdout.contains("fixed issues/backlog/swe-feature-008.md"),
        "{stdout}"
    );
    assert!(
        stderr.contains("issues/backlog/swe-feature-007.md: error: `issues/backlog/swe-feature-007.md` has 2 hard links"),
        "{stderr}"
    );
    assert!(
        stderr.contains("issues/backlog/swe-feature-008.md: error: `issues/backlog/swe-feature-008.md` is not a regular file"),
        "{stderr}"
    );
    assert_eq!(out.status.code(), Some(1), "{stdout}{stderr}");
    assert!(read(root, "issues/backlog/swe-feature-009.md").contains("**Status:** backlog"));
    assert!(
        read(root, "issues/issues-list.md").contains("| swe-feature-009 | Pick lists | backlog |")
    );
    // The refused files are untouched, under every name.
    assert_eq!(
        read(root, "store/carrier.txt"),
        issue("Carrier list", "done")
    );
    assert_eq!(
        read(root, "store/rates.txt"),
        issue("Carrier rates", "done")
    );
    // What is left to fix is reported from what the disk holds.
    assert!(stdout.contains("swe-feature-007.md"), "{stdout}");
}

/// `check --fix` while another program appends lines to the file it fixes,
/// each run at another moment of planmark's work: every line appended is in
/// the file afterwards (or in the copy planmark names), and a file reported
/// fixed is fixed.
#[test]
fn fix_loses_no_concurrent_append() {
    const RUNS: usize = 40;
    let mut lost = 0;
    let mut fixed = 0;
    for run in 0..RUNS {
        let dir = workspace();
        let path = dir.path().join("issues/backlog/swe-feature-007.md");
        let writer = {
            let path = path.clone();
            std::thread::spawn(move || {
                std::thread::sleep(std::time::Duration::from_micros(
                    (run as u64 * 2_500) % 100_000,
                ));
                let mut appended = Vec::new();
                for k in 0..3 {
                    let line = format!("Appended note {run} {k}.\n");
                    let file = std::fs::OpenOptions::new().append(true).open(&path);
                    if let Ok(mut file) = file {
                        use std::io::Write;
                        if file.write_all(line.as_bytes()).is_ok() {
                            appended.push(line);
                        }
                    }
                    std::thread::sleep(std::time::Duration::from_micros(300));
                }
                appended
            })
        };
        let out = planmark(dir.path(), &["check", "--fix"]);
        let appended = writer.join().unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        let text = std::fs::read_to_string(&path).unwrap();
        if stdout.contains("fixed issues/backlog/swe-feature-007.md") {
            fixed += 1;
            assert!(text.contains("**Status:** backlog"), "{text}");
        } else {
            assert!(
                stderr.contains("swe-feature-007.md: error:"),
                "{stdout}{stderr}"
            );
        }
        // A copy planmark saved is named on stderr.
        let saved: String = std::fs::read_dir(path.parent().unwrap())
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().contains("planmark-saved"))
            .map(|e| {
                assert!(
                    stderr.contains(&*e.file_name().to_string_lossy()),
                    "{stderr}"
                );
                std::fs::read_to_string(e.path()).unwrap()
            })
            .collect();
        lost += appended
            .iter()
            .filter(|l| !text.contains(l.as_str()) && !saved.contains(l.as_str()))
            .count();
    }
    eprintln!("check --fix: {fixed} of {RUNS} runs fixed the file, {lost} appended lines lost");
    assert_eq!(lost, 0);
    // How many runs fixed the file rather than finding it changed depends
    // on the machine's load; on a busy one the writer may win every run.
}

/// Many files to fix under a low limit of open files: planmark keeps a few
/// files open at a time while it watches them after the swap, never all.
#[cfg(unix)]
#[test]
fn fix_writes_many_files_under_a_low_open_file_limit() {
    let dir = workspace();
    for n in 100..250 {
        write(
            dir.path(),
            &format!("issues/backlog/swe-feature-{n}.md"),
            &issue(&format!("Report {n}"), "done"),
        );
    }
    let out = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "ulimit -n 160 && exec '{}' check --fix",
            env!("CARGO_BIN_EXE_planmark")
        ))
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .output()
        .expect("sh runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stdout}{stderr}");
    assert!(!stderr.contains("error"), "{stderr}");
    for n in 100..250 {
        let rel = format!("issues/backlog/swe-feature-{n}.md");
        assert!(
            read(dir.path(), &rel).contains("**Status:** backlog"),
            "{rel}"
        );
    }
}

/// Clears the immutable flag of a folder when the test ends, however it
/// ends, so that the temporary workspace can be removed.
#[cfg(target_os = "linux")]
struct Immutable(std::path::PathBuf);

#[cfg(target_os = "linux")]
impl Drop for Immutable {
    fn drop(&mut self) {
        let _ = Command::new("chattr").arg("-i").arg(&self.0).status();
    }
}

/// A folder that refuses new files (root ignores permission bits, so the
/// folder is made immutable): the file in it is reported, the index
/// elsewhere is written and reported.
#[cfg(target_os = "linux")]
#[test]
fn fix_reports_a_folder_that_refuses_new_files() {
    let dir = workspace();
    let folder = dir.path().join("issues/backlog");
    let made = Command::new("chattr").arg("+i").arg(&folder).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("chattr +i is not available here: nothing to test");
        return;
    }
    let _guard = Immutable(folder);
    let out = planmark(dir.path(), &["check", "--fix"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(
            "issues/backlog/swe-feature-007.md: error: cannot write next to `issues/backlog/swe-feature-007.md`"
        ),
        "{stderr}"
    );
    assert!(
        !stdout.contains("fixed issues/backlog/swe-feature-007.md"),
        "{stdout}"
    );
    assert!(stdout.contains("fixed issues/issues-list.md:"), "{stdout}");
    assert!(read(dir.path(), "issues/issues-list.md").contains("| swe-feature-007 |"));
    assert!(read(dir.path(), "issues/backlog/swe-feature-007.md").contains("**Status:** done"));
    assert_eq!(out.status.code(), Some(1), "{stdout}{stderr}");
}

#[test]
fn fix_never_applies_a_did_you_mean_that_closes_a_cycle() {
    let dir = workspace();
    // Task 002 names a task that does not exist; the nearest, 001, waits
    // for 002, so changing to it would close a cycle.
    let story = "# Story 015: Login\n\n**Status:** pending\n\n## Acceptance Criteria\n\n- [ ] The dispatcher signs in\n\n## Tasks\n\n\
                 ### 001: Login form\n**Domain:** frontend\n**Status:** pending\n**Depends on:** 002\n\nThe form.\n\n\
                 ### 002: Session endpoint\n**Domain:** backend\n**Status:** pending\n**Depends on:** 015/004\n\nThe endpoint.\n";
    write(dir.path(), "docs/stories/015-login.md", story);
    let out = planmark(dir.path(), &["check", "--fix"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("`015/004` names no known task; did you mean `001`? (it would close a dependency cycle)"),
        "{stdout}"
    );
    assert!(!stdout.contains("fixed docs/stories"), "{stdout}");
    assert_eq!(read(dir.path(), "docs/stories/015-login.md"), story);
}
