//! The repository stands alone: no tracked file outside `.ci/` may point at
//! the folder of shared material that sat beside the repository while
//! planmark was first written (by its relative path or by its absolute path
//! on that machine; see `needles`). Every document, test and corpus a reader
//! or a test needs is in the repository.
//!
//! The files are the ones `git ls-files` lists, so a file added later is
//! checked as soon as it is committed or staged. When `git` or the `.git`
//! folder is missing (a packaged crate, a source tarball) there is nothing
//! to list and the test says so and passes.

use std::path::Path;
use std::process::Command;

/// The strings no tracked file may contain. They are built at run time so
/// that this file does not contain them itself.
fn needles() -> Vec<String> {
    let shared = "shared";
    vec![format!("../{shared}"), format!("/work/{shared}")]
}

/// Tracked paths, relative to the repository root, or `None` when they
/// cannot be listed.
fn tracked_files(root: &Path) -> Option<Vec<String>> {
    if !root.join(".git").exists() {
        return None;
    }
    let out = Command::new("git")
        .args(["ls-files", "-z", "--cached"])
        .current_dir(root)
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    let list = String::from_utf8(out.stdout).expect("git lists paths as UTF-8");
    Some(
        list.split('\0')
            .filter(|p| !p.is_empty())
            .map(str::to_string)
            .collect(),
    )
}

/// The places in `text` where a needle occurs, as `path:line: needle`.
fn hits_in(path: &str, text: &str, needles: &[String]) -> Vec<String> {
    let mut hits = Vec::new();
    for (number, line) in text.lines().enumerate() {
        for needle in needles {
            if line.contains(needle.as_str()) {
                hits.push(format!("{path}:{}: {needle}", number + 1));
            }
        }
    }
    hits
}

#[test]
fn no_tracked_file_points_outside_the_repository() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let Some(files) = tracked_files(root) else {
        eprintln!(
            "note: skipped: {} is not a git checkout (or git is not installed), \
             so there are no tracked files to check",
            root.display()
        );
        return;
    };
    let needles = needles();
    let mut hits = Vec::new();
    let mut read = 0;
    for path in &files {
        if path.starts_with(".ci/") {
            continue;
        }
        // A file staged for deletion is listed but no longer on disk.
        let Ok(bytes) = std::fs::read(root.join(path)) else {
            continue;
        };
        // Binary files (images, packaged extensions) are skipped.
        let Ok(text) = std::str::from_utf8(&bytes) else {
            continue;
        };
        read += 1;
        hits.extend(hits_in(path, text, &needles));
    }
    assert!(
        files.iter().any(|p| p == "Cargo.toml") && read > 100,
        "git listed {} files, {read} of them text, without Cargo.toml: \
         the listing is not this repository's",
        files.len()
    );
    assert!(
        hits.is_empty(),
        "tracked files point outside the repository; vendor what they need \
         and link to the copy:\n{}",
        hits.join("\n")
    );
}

/// The matcher itself finds both needles wherever they sit on a line and
/// reports the line, so the test above cannot pass by matching nothing.
#[test]
fn the_matcher_finds_both_needles() {
    let needles = needles();
    let text = format!(
        "intro\nsee `{}/docs/formats.md`\ncorpus at {}/corpora\n",
        needles[0], needles[1]
    );
    assert_eq!(
        hits_in("README.md", &text, &needles),
        vec![
            format!("README.md:2: {}", needles[0]),
            format!("README.md:3: {}", needles[1]),
        ]
    );
    assert!(hits_in("a.md", "shared state\n/work/main/shared\n", &needles).is_empty());
}
