//! Writing planning files safely, for `planmark new`, `planmark check --fix`
//! and the server's fallback for clients that cannot create or move files:
//! paths are checked to stay inside the workspace root (never through a
//! symlink), new files are created only when absent, moved files never
//! replace another, and edited files are replaced through a temporary file
//! in the same folder, after checking that nobody changed them meanwhile.

use std::fs::{self, OpenOptions};
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail, Context as _, Result};

use crate::analysis::actions::{apply, is_safe_rel, Change};

/// The path of `rel` under `root`, refusing paths that leave the root and
/// folders that are symlinks. With `create_dirs`, missing folders are made
/// (one at a time, so that none is a symlink planted meanwhile).
pub fn resolve(root: &Path, rel: &str, create_dirs: bool) -> Result<PathBuf> {
    if !is_safe_rel(rel) {
        bail!("`{rel}` is not a path inside the workspace");
    }
    let mut path = root
        .canonicalize()
        .with_context(|| format!("cannot read the workspace root `{}`", root.display()))?;
    let parts: Vec<&str> = rel.split('/').collect();
    let (name, dirs) = parts.split_last().ok_or_else(|| anyhow!("empty path"))?;
    for dir in dirs {
        path.push(dir);
        match fs::symlink_metadata(&path) {
            Ok(meta) if meta.file_type().is_symlink() => {
                bail!(
                    "`{}` is a symlink: planmark does not write through it",
                    path.display()
                )
            }
            Ok(meta) if meta.is_dir() => {}
            Ok(_) => bail!("`{}` is not a folder", path.display()),
            Err(err) if err.kind() == ErrorKind::NotFound && create_dirs => {
                match fs::create_dir(&path) {
                    Ok(()) => {}
                    Err(err) if err.kind() == ErrorKind::AlreadyExists => {
                        let meta = fs::symlink_metadata(&path)?;
                        if !meta.is_dir() || meta.file_type().is_symlink() {
                            bail!("`{}` is not a folder", path.display());
                        }
                    }
                    Err(err) => {
                        return Err(err)
                            .with_context(|| format!("cannot create `{}`", path.display()))
                    }
                }
            }
            Err(err) => {
                return Err(err).with_context(|| format!("cannot read `{}`", path.display()))
            }
        }
    }
    path.push(name);
    Ok(path)
}

/// Creates `rel` with `text`; fails when anything exists there (a symlink
/// included).
pub fn create_new(root: &Path, rel: &str, text: &str) -> Result<PathBuf> {
    let path = resolve(root, rel, true)?;
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(|err| match err.kind() {
            ErrorKind::AlreadyExists => {
                anyhow!("`{rel}` already exists: planmark does not overwrite it")
            }
            _ => anyhow!("cannot create `{rel}`: {err}"),
        })?;
    file.write_all(text.as_bytes())
        .and_then(|()| file.sync_all())
        .with_context(|| format!("cannot write `{rel}`"))?;
    Ok(path)
}

/// A regular file (not a symlink) at `rel`.
fn existing_file(root: &Path, rel: &str) -> Result<PathBuf> {
    let path = resolve(root, rel, false)?;
    let meta = fs::symlink_metadata(&path).with_context(|| format!("cannot read `{rel}`"))?;
    if !meta.is_file() {
        bail!("`{rel}` is not a regular file: planmark does not write through it");
    }
    Ok(path)
}

/// Replaces the text of `rel`, which must still read `expected`, through a
/// temporary file in the same folder.
pub fn replace(root: &Path, rel: &str, expected: &str, text: &str) -> Result<()> {
    let path = existing_file(root, rel)?;
    let current = fs::read_to_string(&path).with_context(|| format!("cannot read `{rel}`"))?;
    if current != expected {
        bail!("`{rel}` changed since it was read: not written");
    }
    let dir = path
        .parent()
        .ok_or_else(|| anyhow!("`{rel}` has no folder"))?;
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let mut n = 0;
    let (tmp, mut file) = loop {
        let tmp = dir.join(format!(".{name}.planmark-{}-{n}.tmp", std::process::id()));
        match OpenOptions::new().write(true).create_new(true).open(&tmp) {
            Ok(file) => break (tmp, file),
            Err(err) if err.kind() == ErrorKind::AlreadyExists && n < 100 => n += 1,
            Err(err) => return Err(err).with_context(|| format!("cannot write next to `{rel}`")),
        }
    };
    let written = file
        .write_all(text.as_bytes())
        .and_then(|()| file.sync_all())
        .and_then(|()| fs::set_permissions(&tmp, fs::metadata(&path)?.permissions()))
        .and_then(|()| fs::rename(&tmp, &path));
    if let Err(err) = written {
        let _ = fs::remove_file(&tmp);
        return Err(err).with_context(|| format!("cannot write `{rel}`"));
    }
    Ok(())
}

/// Moves `from` to `to`, never replacing a file at `to`. With `text`, the
/// moved file gets that text (which the caller computed from `expected`).
pub fn rename(root: &Path, from: &str, to: &str, edit: Option<(&str, &str)>) -> Result<PathBuf> {
    let source = existing_file(root, from)?;
    let target = resolve(root, to, true)?;
    match edit {
        Some((expected, text)) => {
            let current =
                fs::read_to_string(&source).with_context(|| format!("cannot read `{from}`"))?;
            if current != expected {
                bail!("`{from}` changed since it was read: not moved");
            }
            create_new(root, to, text)?;
        }
        None => {
            // A hard link fails when the target exists, unlike a rename.
            fs::hard_link(&source, &target).map_err(|err| match err.kind() {
                ErrorKind::AlreadyExists => {
                    anyhow!("`{to}` already exists: planmark does not overwrite it")
                }
                _ => anyhow!("cannot move `{from}` to `{to}`: {err}"),
            })?;
        }
    }
    fs::remove_file(&source).with_context(|| format!("cannot remove `{from}` after copying it"))?;
    Ok(target)
}

/// Applies changes computed from `texts` (each file's text as read) to the
/// files under `root`: new files first (nothing is overwritten), then moves,
/// then edits. Returns the paths written.
pub fn apply_changes(
    root: &Path,
    texts: &std::collections::BTreeMap<String, String>,
    changes: &[Change],
) -> Result<Vec<String>> {
    // Everything is checked in memory first: a change that cannot apply
    // writes nothing.
    apply::apply(texts, changes).map_err(|e| anyhow!(e))?;
    let mut edited: std::collections::BTreeMap<&str, String> = std::collections::BTreeMap::new();
    for change in changes {
        if let Change::Edit { rel, edits } = change {
            let before = edited
                .get(rel.as_str())
                .cloned()
                .or_else(|| texts.get(rel).cloned())
                .ok_or_else(|| anyhow!("`{rel}` was not read"))?;
            let after = apply::apply_edits(&before, edits).map_err(|e| anyhow!(e))?;
            edited.insert(rel, after);
        }
    }
    let mut written = Vec::new();
    for change in changes {
        if let Change::CreateFile { rel, text } = change {
            create_new(root, rel, text)?;
            written.push(rel.clone());
        }
    }
    for change in changes {
        if let Change::RenameFile { from, to } = change {
            let edit = edited
                .remove(from.as_str())
                .map(|after| (texts[from].as_str(), after));
            rename(root, from, to, edit.as_ref().map(|(b, a)| (*b, a.as_str())))?;
            written.push(to.clone());
        }
    }
    for (rel, after) in edited {
        replace(root, rel, &texts[rel], &after)?;
        written.push(rel.to_string());
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_to_leave_the_root_or_overwrite() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        assert!(create_new(root, "../escape.md", "x").is_err());
        assert!(create_new(root, "/tmp/escape.md", "x").is_err());
        create_new(root, "issues/backlog/a.md", "a").unwrap();
        assert!(create_new(root, "issues/backlog/a.md", "b").is_err());
        assert_eq!(
            fs::read_to_string(root.join("issues/backlog/a.md")).unwrap(),
            "a"
        );
        create_new(root, "issues/backlog/b.md", "b").unwrap();
        assert!(rename(root, "issues/backlog/a.md", "issues/backlog/b.md", None).is_err());
        assert_eq!(
            fs::read_to_string(root.join("issues/backlog/b.md")).unwrap(),
            "b"
        );
        rename(root, "issues/backlog/a.md", "issues/done/a.md", None).unwrap();
        assert!(!root.join("issues/backlog/a.md").exists());
        assert!(replace(root, "issues/done/a.md", "not a", "c").is_err());
        replace(root, "issues/done/a.md", "a", "c").unwrap();
        assert_eq!(
            fs::read_to_string(root.join("issues/done/a.md")).unwrap(),
            "c"
        );
    }

    #[cfg(unix)]
    #[test]
    fn never_writes_through_a_symlink() {
        let outside = tempfile::tempdir().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::os::unix::fs::symlink(outside.path(), root.join("issues")).unwrap();
        assert!(create_new(root, "issues/backlog/a.md", "a").is_err());
        assert!(!outside.path().join("backlog").exists());
        fs::write(outside.path().join("x.md"), "x").unwrap();
        std::os::unix::fs::symlink(outside.path().join("x.md"), root.join("x.md")).unwrap();
        assert!(replace(root, "x.md", "x", "y").is_err());
        assert!(create_new(root, "x.md", "y").is_err());
        assert_eq!(
            fs::read_to_string(outside.path().join("x.md")).unwrap(),
            "x"
        );
    }
}
