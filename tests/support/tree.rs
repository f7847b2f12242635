//! Workspaces on disk for the tests of the engine and of the server: a
//! temporary folder, a workspace folder with a sibling folder outside it,
//! and whether file permissions can stop this process from reading.

use std::fs;
use std::path::{Path, PathBuf};

/// A temporary folder with a visible name: a file's root is found by
/// walking up, and a hidden parent (`.tmpXXXX`) would count as a tool
/// folder such as `.sdlc`.
pub fn tempdir() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("planmark-test-")
        .tempdir()
        .unwrap()
}

/// A workspace folder `ws` in a temporary folder, with a sibling folder
/// `outside` it.
pub struct Tree {
    _dir: tempfile::TempDir,
    pub root: PathBuf,
    pub outside: PathBuf,
}

impl Tree {
    pub fn new() -> Tree {
        let dir = tempdir();
        let root = dir.path().join("ws");
        let outside = dir.path().join("outside");
        fs::create_dir_all(&root).unwrap();
        fs::create_dir_all(&outside).unwrap();
        Tree {
            _dir: dir,
            root,
            outside,
        }
    }
}

/// Whether permissions can stop this process from reading `path` (they
/// cannot for root, as in most CI containers).
pub fn permissions_apply(path: &Path) -> bool {
    let readable = if path.is_dir() {
        fs::read_dir(path).is_ok()
    } else {
        fs::read(path).is_ok()
    };
    if readable {
        eprintln!(
            "note: {} is readable after chmod 000 (running as root?); \
             skipping the permission checks",
            path.display()
        );
    }
    !readable
}
