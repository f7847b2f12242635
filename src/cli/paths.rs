//! Loading the workspace a command names, and printing paths relative to
//! the current directory.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context as _};

use crate::discover::{absolute, lexical};
use crate::load::{load_workspace, Loaded};

/// A loaded workspace and where it lives.
pub(crate) struct Root {
    pub(crate) dir: PathBuf,
    pub(crate) loaded: Loaded,
}

/// Loads the workspace at `path` (a directory), failing with exit-code-2
/// errors when it does not exist or is not a directory.
pub(crate) fn load_root(path: Option<&Path>) -> anyhow::Result<Root> {
    let dir = match path {
        Some(p) => p.to_path_buf(),
        None => std::env::current_dir().context("cannot read the current directory")?,
    };
    if !dir.exists() {
        bail!("`{}` does not exist", dir.display());
    }
    if !dir.is_dir() {
        bail!("`{}` is not a directory", dir.display());
    }
    std::fs::read_dir(&dir).with_context(|| format!("cannot read `{}`", dir.display()))?;
    let loaded = load_workspace(&dir);
    Ok(Root { dir, loaded })
}

/// `root/rel` relative to the current directory, as the user would type it.
pub fn display_path(root: &Path, rel: &str) -> String {
    PathDisplay::new(root).show(rel)
}

/// [`display_path`] for the many paths of one root (every finding of a
/// check): the root and the current directory are read once, not once per
/// finding.
pub(crate) struct PathDisplay {
    root: PathBuf,
    cwd: PathBuf,
}

impl PathDisplay {
    pub(crate) fn new(root: &Path) -> PathDisplay {
        PathDisplay {
            root: lexical(&absolute(root)),
            cwd: lexical(&std::env::current_dir().unwrap_or_default()),
        }
    }

    pub(crate) fn show(&self, rel: &str) -> String {
        relative_to(&lexical(&self.root.join(rel)), &self.cwd)
            .display()
            .to_string()
    }
}

fn relative_to(path: &Path, base: &Path) -> PathBuf {
    let p: Vec<_> = path.components().collect();
    let b: Vec<_> = base.components().collect();
    let common = p.iter().zip(&b).take_while(|(x, y)| x == y).count();
    if common == 0 {
        return path.to_path_buf();
    }
    let mut out = PathBuf::new();
    for _ in common..b.len() {
        out.push("..");
    }
    for c in &p[common..] {
        out.push(c);
    }
    out
}
