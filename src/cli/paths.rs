//! Finding the workspace root of a path, loading it, and printing paths
//! relative to the current directory.

use std::path::{Component, Path, PathBuf};

use anyhow::{bail, Context as _};

use crate::analysis::config::CONFIG_FILE_NAME;
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

/// The workspace root for a file: the nearest ancestor holding
/// `planmark.toml` or `.git`, else the ancestor that holds its `issues/` or
/// `docs/` folder, else its own folder.
pub(crate) fn root_of_file(file: &Path) -> PathBuf {
    let absolute = absolute(file);
    let parent = absolute.parent().unwrap_or(Path::new("/")).to_path_buf();
    for dir in parent.ancestors() {
        if dir.join(CONFIG_FILE_NAME).exists() || dir.join(".git").exists() {
            return dir.to_path_buf();
        }
    }
    for dir in parent.ancestors() {
        let name = dir.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if matches!(name, "issues" | "docs") {
            if let Some(up) = dir.parent() {
                // `.sdlc/issues` keeps its own parent; the roadmap sits beside `.sdlc`.
                let up_name = up.file_name().and_then(|n| n.to_str()).unwrap_or("");
                if up_name.starts_with('.') {
                    return up.parent().unwrap_or(up).to_path_buf();
                }
                return up.to_path_buf();
            }
        }
    }
    parent
}

pub(crate) fn absolute(path: &Path) -> PathBuf {
    if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .map(|d| d.join(path))
            .unwrap_or_else(|_| path.to_path_buf())
    }
}

/// `root/rel` relative to the current directory, as the user would type it.
pub fn display_path(root: &Path, rel: &str) -> String {
    let full = absolute(root).join(rel);
    let cwd = std::env::current_dir().unwrap_or_default();
    relative_to(&lexical(&full), &lexical(&cwd))
        .display()
        .to_string()
}

/// Removes `.` and resolves `..` without touching the file system.
fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
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
