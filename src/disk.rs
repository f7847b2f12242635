//! Writing planning files safely, for `planmark new`, `planmark check --fix`
//! and the server's fallback for clients that cannot create or move files:
//! paths are checked to stay inside the workspace root (never through a
//! symlink), new files are created only when absent, moved files never
//! replace another and move in one step (so writes to them travel with
//! them), and edited files are replaced through a temporary file in the
//! same folder, after checking just before the swap that nobody changed
//! them meanwhile; what another program writes to the old file right after
//! the swap is appended to the new one or saved to a copy.

use std::fs::{self, OpenOptions};
use std::io::{ErrorKind, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

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

/// Removes `rel`, a file planmark created with `text`, to undo that: only
/// while it still reads `text`. The file is first moved aside in one step,
/// so that a program writing it meanwhile writes the file set aside, which
/// is then read; a file changed since it was created is put back and kept.
pub fn remove_created(root: &Path, rel: &str, text: &str) -> Result<PathBuf> {
    let path = existing_file(root, rel)?;
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let aside = path.with_file_name(format!(".{name}.planmark-{}.undo", std::process::id()));
    move_noreplace(&path, &aside).with_context(|| format!("cannot remove `{rel}`"))?;
    if fs::read(&aside).is_ok_and(|now| now == text.as_bytes()) {
        fs::remove_file(&aside).with_context(|| format!("cannot remove `{rel}`"))?;
        return Ok(path);
    }
    match move_noreplace(&aside, &path) {
        Ok(()) => bail!("`{rel}` changed since planmark created it: kept"),
        Err(err) => bail!(
            "`{rel}` changed since planmark created it and is kept as `{}`: {err}",
            aside.display()
        ),
    }
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

/// How long [`replace_all`] keeps watching the replaced files after the
/// last rename, for a write from a program that opened a file before it was
/// replaced (such a write lands on the old file, which nobody reads again).
const SETTLE: Duration = Duration::from_millis(10);

/// What replacing one file did beyond writing the new text.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Written {
    /// Bytes another program appended to the old file while planmark
    /// replaced it, appended to the new file too.
    pub merged: u64,
    /// When another program changed the old file other than by appending
    /// while planmark replaced it: where that text was saved.
    pub saved: Option<PathBuf>,
}

/// A file whose replacement is in place, with a handle on the old file
/// (its inode) kept to notice writes that land there after the last check.
struct Pending {
    rel: String,
    path: PathBuf,
    /// The replaced file, unlinked but still open.
    old: fs::File,
    /// The new file, opened to append.
    new: fs::File,
    /// Everything read from the old file so far.
    seen: Vec<u8>,
    written: Written,
    /// The old file's device and inode, to find who still has it open.
    identity: (u64, u64),
}

/// The whole content of `file`, read from its start.
fn read_all(mut file: &fs::File) -> std::io::Result<Vec<u8>> {
    file.seek(SeekFrom::Start(0))?;
    let mut out = Vec::new();
    file.read_to_end(&mut out)?;
    Ok(out)
}

/// Opens `path` to read without following a symlink in its last component.
fn open_nofollow(path: &Path) -> std::io::Result<fs::File> {
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // Never blocks on a FIFO planted in place of the file.
        options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }
    options.open(path)
}

/// The device and inode of a file (on other systems, nothing to compare).
#[cfg(unix)]
fn identity(meta: &fs::Metadata) -> (u64, u64) {
    use std::os::unix::fs::MetadataExt;
    (meta.dev(), meta.ino())
}

#[cfg(not(unix))]
fn identity(_meta: &fs::Metadata) -> (u64, u64) {
    (0, 0)
}

/// How many names the file has.
#[cfg(unix)]
fn links(meta: &fs::Metadata) -> u64 {
    use std::os::unix::fs::MetadataExt;
    meta.nlink()
}

#[cfg(not(unix))]
fn links(_meta: &fs::Metadata) -> u64 {
    1
}

/// `renameat2(2)` with `flags`; `None` when the system or the file system
/// does not support them (the caller then falls back).
#[cfg(target_os = "linux")]
fn renameat2(from: &Path, to: &Path, flags: libc::c_uint) -> Option<std::io::Result<()>> {
    use std::os::unix::ffi::OsStrExt;
    let from = std::ffi::CString::new(from.as_os_str().as_bytes()).ok()?;
    let to = std::ffi::CString::new(to.as_os_str().as_bytes()).ok()?;
    // SAFETY: both paths are valid NUL-terminated strings that live across
    // the call, and the syscall only reads them.
    let rc = unsafe {
        libc::syscall(
            libc::SYS_renameat2,
            libc::AT_FDCWD,
            from.as_ptr(),
            libc::AT_FDCWD,
            to.as_ptr(),
            flags,
        )
    };
    if rc == 0 {
        return Some(Ok(()));
    }
    let err = std::io::Error::last_os_error();
    match err.raw_os_error() {
        Some(libc::EINVAL) | Some(libc::ENOSYS) | Some(libc::EOPNOTSUPP) => None,
        _ => Some(Err(err)),
    }
}

#[cfg(not(target_os = "linux"))]
fn renameat2(_from: &Path, _to: &Path, _flags: u32) -> Option<std::io::Result<()>> {
    None
}

#[cfg(target_os = "linux")]
const RENAME_NOREPLACE: libc::c_uint = libc::RENAME_NOREPLACE;
#[cfg(target_os = "linux")]
const RENAME_EXCHANGE: libc::c_uint = libc::RENAME_EXCHANGE;
#[cfg(not(target_os = "linux"))]
const RENAME_NOREPLACE: u32 = 1;
#[cfg(not(target_os = "linux"))]
const RENAME_EXCHANGE: u32 = 2;

/// Moves `from` to `to` in one step, failing when `to` exists: the file
/// (its inode) travels, so a write to it during the move is never lost.
/// Where `renameat2(RENAME_NOREPLACE)` is missing, a hard link (which fails
/// when `to` exists) and the unlink of `from`.
fn move_noreplace(from: &Path, to: &Path) -> std::io::Result<()> {
    if let Some(done) = renameat2(from, to, RENAME_NOREPLACE) {
        return done;
    }
    fs::hard_link(from, to)?;
    fs::remove_file(from)
}

/// A new name next to `path` for a copy of what another program wrote.
fn save_copy(path: &Path, text: &[u8]) -> Result<PathBuf> {
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    for n in 1..1000 {
        let copy = path.with_file_name(format!("{name}.planmark-saved-{n}"));
        match OpenOptions::new().write(true).create_new(true).open(&copy) {
            Ok(mut file) => {
                file.write_all(text)
                    .and_then(|()| file.sync_all())
                    .with_context(|| format!("cannot write `{}`", copy.display()))?;
                return Ok(copy);
            }
            Err(err) if err.kind() == ErrorKind::AlreadyExists => {}
            Err(err) => {
                return Err(err).with_context(|| format!("cannot write `{}`", copy.display()))
            }
        }
    }
    bail!("no free name to save a copy of `{}`", path.display())
}

impl Pending {
    /// Looks at the old file again: what another program appended there
    /// is appended to the new file; any other change is saved to a copy.
    fn settle(&mut self) -> Result<()> {
        if self.written.saved.is_some() {
            return Ok(());
        }
        let now = read_all(&self.old).with_context(|| format!("cannot read `{}`", self.rel))?;
        if now == self.seen {
            return Ok(());
        }
        if now.starts_with(&self.seen) {
            let extra = &now[self.seen.len()..];
            self.new
                .write_all(extra)
                .and_then(|()| self.new.sync_all())
                .with_context(|| {
                    format!(
                        "`{}`: another program appended to it while planmark wrote it, \
                         and planmark could not add that text to the new file",
                        self.rel
                    )
                })?;
            self.written.merged += extra.len() as u64;
        } else {
            self.written.saved = Some(save_copy(&self.path, &now)?);
        }
        self.seen = now;
        Ok(())
    }
}

/// Replaces the text of `rel`, which must still read `expected`, with
/// `text` through a temporary file in the same folder; the caller settles
/// the result later (see [`Pending::settle`]).
fn begin_replace(root: &Path, rel: &str, expected: &str, text: &str) -> Result<Pending> {
    let path = existing_file(root, rel)?;
    let old = open_nofollow(&path).with_context(|| format!("cannot read `{rel}`"))?;
    let meta = old
        .metadata()
        .with_context(|| format!("cannot read `{rel}`"))?;
    if !meta.is_file() {
        bail!("`{rel}` is not a regular file: planmark does not write through it");
    }
    // Replacing a file with other names would leave them with the old
    // text; writing it in place could leave a half-written file after a
    // crash. Neither is safe, so such a file is left alone.
    if links(&meta) > 1 {
        bail!(
            "`{rel}` has {} hard links: replacing it would leave the other names with the old text; not written",
            links(&meta)
        );
    }
    let unchanged = |old: &fs::File| -> Result<bool> {
        let now = read_all(old).with_context(|| format!("cannot read `{rel}`"))?;
        let same_file = fs::symlink_metadata(&path)
            .map(|m| identity(&m) == identity(&meta))
            .unwrap_or(false);
        Ok(same_file && now == expected.as_bytes())
    };
    if !unchanged(&old)? {
        bail!("`{rel}` changed since it was read: not written");
    }
    let dir = path
        .parent()
        .ok_or_else(|| anyhow!("`{rel}` has no folder"))?;
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let mut n = 0;
    let (tmp, mut new) = loop {
        let tmp = dir.join(format!(".{name}.planmark-{}-{n}.tmp", std::process::id()));
        match OpenOptions::new().append(true).create_new(true).open(&tmp) {
            Ok(file) => break (tmp, file),
            Err(err) if err.kind() == ErrorKind::AlreadyExists && n < 100 => n += 1,
            Err(err) => return Err(err).with_context(|| format!("cannot write next to `{rel}`")),
        }
    };
    let fail = |err: anyhow::Error| {
        let _ = fs::remove_file(&tmp);
        err
    };
    new.write_all(text.as_bytes())
        .and_then(|()| new.set_permissions(meta.permissions()))
        .and_then(|()| new.sync_all())
        .with_context(|| format!("cannot write `{rel}`"))
        .map_err(fail)?;
    // The write and the sync take long: the file is checked again just
    // before the rename, which leaves a window of two system calls.
    if !unchanged(&old).map_err(fail)? {
        return Err(fail(anyhow!(
            "`{rel}` changed since it was read: not written"
        )));
    }
    match renameat2(&tmp, &path, RENAME_EXCHANGE) {
        Some(Ok(())) => {
            // The exchange put what was at `path` at the temporary name:
            // the file checked above, unless another program replaced it in
            // the window, in which case its file goes back.
            let there = fs::symlink_metadata(&tmp).map(|m| identity(&m));
            if there.as_ref().ok() == Some(&identity(&meta)) {
                let _ = fs::remove_file(&tmp);
            } else {
                match renameat2(&tmp, &path, RENAME_EXCHANGE) {
                    Some(Ok(())) => {
                        let _ = fs::remove_file(&tmp);
                        bail!("`{rel}` was replaced by another program since it was read: not written")
                    }
                    _ => bail!(
                        "`{rel}` was replaced by another program while planmark wrote it: \
                         that program's file is kept as `{}`",
                        tmp.display()
                    ),
                }
            }
        }
        Some(Err(err)) => {
            return Err(fail(
                anyhow::Error::new(err).context(format!("cannot write `{rel}`")),
            ))
        }
        None => {
            fs::rename(&tmp, &path)
                .with_context(|| format!("cannot write `{rel}`"))
                .map_err(fail)?;
        }
    }
    let mut pending = Pending {
        rel: rel.to_string(),
        path,
        old,
        new,
        seen: expected.as_bytes().to_vec(),
        written: Written::default(),
        identity: identity(&meta),
    };
    // A failure here is reported by the settling that follows.
    let _ = pending.settle();
    Ok(pending)
}

/// Replaces the text of each `(rel, expected, text)`, which must still
/// read `expected`, through a temporary file in the same folder, checked
/// once more just before the rename. Text another program appended to the
/// old file during the replacement (up to a short while after it) is
/// appended to the new file; any other change to it is saved to a copy
/// named in [`Written::saved`]. One file that fails does not stop the
/// others: each gets its own result.
pub fn replace_all(root: &Path, files: &[(&str, &str, &str)]) -> Vec<Result<Written>> {
    // Each file in flight holds two handles: a few at a time stay well
    // under the usual limit of 1,024 open files.
    const BATCH: usize = 64;
    let mut out = Vec::with_capacity(files.len());
    for batch in files.chunks(BATCH) {
        let pending: Vec<Result<Pending>> = batch
            .iter()
            .map(|(rel, expected, text)| begin_replace(root, rel, expected, text))
            .collect();
        let mut pending = pending;
        if pending.iter().any(Result::is_ok) {
            std::thread::sleep(SETTLE);
            wait_for_writers(&mut pending);
        }
        out.extend(pending.into_iter().map(|p| {
            let mut p = p?;
            p.settle()?;
            Ok(p.written)
        }));
    }
    out
}

/// The longest [`replace_all`] waits for other programs to close a
/// replaced file they had open (a write through such a handle lands on the
/// old file, and is added to the new one as long as planmark looks).
const WRITERS_WAIT: Duration = Duration::from_secs(2);

/// Keeps looking at the old files while another handle on them is open
/// (another program, or another thread of this one, that opened the file
/// before it was replaced and may still write), up to [`WRITERS_WAIT`]: a
/// writer descheduled between its `open` and its `write` on a busy machine
/// would otherwise write after the last look. Where open handles cannot be
/// listed (no `/proc`), the settle delay alone applies.
fn wait_for_writers(pending: &mut [Result<Pending>]) {
    let started = std::time::Instant::now();
    loop {
        let open = open_handles();
        // This process holds one handle on each old file itself.
        let held = pending
            .iter()
            .flatten()
            .any(|p| open.get(&p.identity).is_some_and(|&n| n > 1));
        if !held || started.elapsed() > WRITERS_WAIT {
            return;
        }
        for p in pending.iter_mut().flatten() {
            // A failure here is reported by the last settling.
            let _ = p.settle();
        }
        std::thread::sleep(Duration::from_millis(2));
    }
}

/// How many open handles each file (device, inode) has, over every process
/// this user may look at.
#[cfg(target_os = "linux")]
fn open_handles() -> std::collections::HashMap<(u64, u64), usize> {
    let mut counts = std::collections::HashMap::new();
    let Ok(processes) = fs::read_dir("/proc") else {
        return counts;
    };
    for process in processes.flatten() {
        let is_pid = process
            .file_name()
            .to_str()
            .is_some_and(|name| name.bytes().all(|b| b.is_ascii_digit()));
        if !is_pid {
            continue;
        }
        let Ok(fds) = fs::read_dir(process.path().join("fd")) else {
            continue;
        };
        for fd in fds.flatten() {
            if let Ok(meta) = fs::metadata(fd.path()) {
                if meta.is_file() {
                    *counts.entry(identity(&meta)).or_insert(0) += 1;
                }
            }
        }
    }
    counts
}

#[cfg(not(target_os = "linux"))]
fn open_handles() -> std::collections::HashMap<(u64, u64), usize> {
    std::collections::HashMap::new()
}

/// Replaces the text of `rel`, which must still read `expected` (see
/// [`replace_all`]).
pub fn replace(root: &Path, rel: &str, expected: &str, text: &str) -> Result<Written> {
    replace_all(root, &[(rel, expected, text)])
        .pop()
        .unwrap_or_else(|| Err(anyhow!("`{rel}` was not written")))
}

/// Moves `from` to `to` in one step (the file itself, so that writes to it
/// travel with it), never replacing a file at `to`. With `edit`, the moved
/// file then gets `text` (which the caller computed from `expected`) as
/// [`replace`] writes it; when that fails, the file is moved back.
pub fn rename(root: &Path, from: &str, to: &str, edit: Option<(&str, &str)>) -> Result<PathBuf> {
    let source = existing_file(root, from)?;
    let target = resolve(root, to, true)?;
    if let Some((expected, _)) = edit {
        let current =
            fs::read_to_string(&source).with_context(|| format!("cannot read `{from}`"))?;
        if current != expected {
            bail!("`{from}` changed since it was read: not moved");
        }
    }
    move_noreplace(&source, &target).map_err(|err| match err.kind() {
        ErrorKind::AlreadyExists => {
            anyhow!("`{to}` already exists: planmark does not overwrite it")
        }
        _ => anyhow!("cannot move `{from}` to `{to}`: {err}"),
    })?;
    if let Some((expected, text)) = edit {
        match replace(root, to, expected, text) {
            Ok(Written { saved: None, .. }) => {}
            Ok(Written {
                saved: Some(copy), ..
            }) => bail!(
                "`{from}` was changed by another program while planmark moved it to `{to}`: \
                 that text is saved in `{}`",
                copy.display()
            ),
            Err(err) => {
                return Err(match move_noreplace(&target, &source) {
                    Ok(()) => err.context(format!("`{from}` not moved")),
                    Err(back) => err.context(format!(
                        "`{from}` was moved to `{to}` but not edited, and could not be moved back: {back}"
                    )),
                })
            }
        }
    }
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
    let files: Vec<(&str, &str, &str)> = edited
        .iter()
        .map(|(rel, after)| (*rel, texts[*rel].as_str(), after.as_str()))
        .collect();
    for (result, (rel, _, _)) in replace_all(root, &files).into_iter().zip(&files) {
        if let Some(copy) = result?.saved {
            bail!(
                "`{rel}` was changed by another program while planmark wrote it: \
                 that text is saved in `{}`",
                copy.display()
            );
        }
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

    #[test]
    fn an_undone_creation_removes_only_what_planmark_wrote() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        create_new(root, "issues/backlog/a.md", "a").unwrap();
        remove_created(root, "issues/backlog/a.md", "a").unwrap();
        assert!(!root.join("issues/backlog/a.md").exists());
        // Text written since is the user's: the file stays as it is.
        create_new(root, "issues/backlog/b.md", "b").unwrap();
        fs::write(root.join("issues/backlog/b.md"), "b and mine").unwrap();
        let kept = remove_created(root, "issues/backlog/b.md", "b").unwrap_err();
        assert!(format!("{kept}").contains("changed since planmark created it"));
        assert_eq!(
            fs::read_to_string(root.join("issues/backlog/b.md")).unwrap(),
            "b and mine"
        );
        assert_eq!(
            fs::read_dir(root.join("issues/backlog")).unwrap().count(),
            1
        );
        assert!(remove_created(root, "issues/backlog/none.md", "x").is_err());
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

#[cfg(test)]
mod race_tests {
    //! Another program appending to a file while planmark replaces or
    //! moves it: every line it appended must end up in the file (or in the
    //! copy planmark reports), in each of 300 runs.

    use super::*;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;
    use std::time::{Duration, Instant};

    const RUNS: usize = 300;

    fn base() -> String {
        (0..40).map(|n| format!("line {n}\n")).collect()
    }

    /// Appends up to four lines to `path`, each after a pause that varies
    /// with `seed` (so that over the runs the appends fall at every point of
    /// planmark's work), opening the file for each line as `echo >>` does,
    /// until `stop`; returns the lines it appended.
    fn writer(
        path: PathBuf,
        seed: usize,
        started: Arc<AtomicBool>,
        stop: Arc<AtomicBool>,
    ) -> Vec<String> {
        started.store(true, Ordering::SeqCst);
        let mut appended = Vec::new();
        for k in 0..4 {
            let pause = ((seed * 7919 + k * 104_729) % 1200) as u64;
            let until = Instant::now() + Duration::from_micros(pause);
            while Instant::now() < until && !stop.load(Ordering::SeqCst) {
                std::hint::spin_loop();
            }
            if stop.load(Ordering::SeqCst) {
                break;
            }
            let line = format!("appended {seed} {k}\n");
            // The file may be gone (moved): then nothing was appended.
            let done = OpenOptions::new()
                .append(true)
                .open(&path)
                .and_then(|mut file| file.write_all(line.as_bytes()));
            if done.is_ok() {
                appended.push(line);
            }
        }
        appended
    }

    /// Runs `op` while a writer appends to `path`; returns the lines
    /// appended and what `op` returned.
    fn racing<T>(path: &Path, seed: usize, op: impl FnOnce() -> T) -> (Vec<String>, T) {
        let stop = Arc::new(AtomicBool::new(false));
        let started = Arc::new(AtomicBool::new(false));
        let thread = {
            let (path, started, stop) = (path.to_path_buf(), started.clone(), stop.clone());
            std::thread::spawn(move || writer(path, seed, started, stop))
        };
        // On a busy machine a new thread may not run before a fast `op` is
        // over: start `op` once the writer runs, so that the race happens.
        while !started.load(Ordering::SeqCst) {
            std::thread::yield_now();
        }
        let result = op();
        stop.store(true, Ordering::SeqCst);
        (thread.join().unwrap(), result)
    }

    /// The appended lines found neither in `text` nor in `saved`.
    fn lost(appended: &[String], text: &str, saved: Option<&Path>) -> usize {
        let saved = saved
            .map(|p| fs::read_to_string(p).unwrap())
            .unwrap_or_default();
        appended
            .iter()
            .filter(|line| !text.contains(line.as_str()) && !saved.contains(line.as_str()))
            .count()
    }

    #[test]
    fn replace_loses_no_concurrent_append() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let (mut lost_lines, mut written, mut appended_total) = (0, 0, 0);
        for run in 0..RUNS {
            let rel = format!("a{run}.md");
            let path = root.join(&rel);
            fs::write(&path, base()).unwrap();
            let fixed = base().replacen("line 0", "line zero", 1);
            let (appended, result) = racing(&path, run, || replace(root, &rel, &base(), &fixed));
            appended_total += appended.len();
            let text = fs::read_to_string(&path).unwrap();
            let saved = match &result {
                Ok(w) => {
                    written += 1;
                    assert!(text.starts_with(&fixed), "run {run}: {text}");
                    w.saved.clone()
                }
                Err(err) => {
                    assert!(err.to_string().contains("changed"), "run {run}: {err:#}");
                    None
                }
            };
            let n = lost(&appended, &text, saved.as_deref());
            lost_lines += n;
        }
        eprintln!("replace: {written} of {RUNS} runs written, {appended_total} lines appended, {lost_lines} lost");
        assert_eq!(lost_lines, 0, "{lost_lines} appended lines lost");
        // The race is real: appends landed while planmark worked. (How many
        // runs were written rather than refused as changed depends on the
        // machine's load: on a busy one the writer may win every run.)
        assert!(appended_total > 0);
    }

    #[test]
    fn move_loses_no_concurrent_append() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let (mut lost_lines, mut moved, mut appended_total) = (0, 0, 0);
        for run in 0..RUNS {
            let from = format!("backlog/a{run}.md");
            let to = format!("done/a{run}.md");
            create_new(root, &from, &base()).unwrap();
            let fixed = base().replacen("line 0", "line zero", 1);
            let (appended, result) = racing(&root.join(&from), run, || {
                rename(root, &from, &to, Some((&base(), &fixed)))
            });
            appended_total += appended.len();
            let text = match &result {
                Ok(_) => {
                    moved += 1;
                    assert!(!root.join(&from).exists(), "run {run}");
                    let text = fs::read_to_string(root.join(&to)).unwrap();
                    assert!(text.starts_with(&fixed), "run {run}: {text}");
                    text
                }
                Err(err) => {
                    assert!(!root.join(&to).exists(), "run {run}: {err:#}");
                    fs::read_to_string(root.join(&from)).unwrap()
                }
            };
            lost_lines += lost(&appended, &text, None);
        }
        eprintln!("move: {moved} of {RUNS} runs moved, {appended_total} lines appended, {lost_lines} lost");
        assert_eq!(lost_lines, 0, "{lost_lines} appended lines lost");
        assert!(appended_total > 0);
    }

    #[cfg(unix)]
    #[test]
    fn a_file_with_hard_links_is_not_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::write(root.join("a.md"), "a").unwrap();
        fs::hard_link(root.join("a.md"), root.join("b.md")).unwrap();
        let err = replace(root, "a.md", "a", "c").unwrap_err();
        assert!(err.to_string().contains("2 hard links"), "{err:#}");
        assert_eq!(fs::read_to_string(root.join("a.md")).unwrap(), "a");
        assert_eq!(fs::read_to_string(root.join("b.md")).unwrap(), "a");
        // A move keeps the file, so its other names follow it.
        rename(root, "a.md", "done/a.md", None).unwrap();
        fs::write(root.join("b.md"), "b").unwrap();
        assert_eq!(fs::read_to_string(root.join("done/a.md")).unwrap(), "b");
    }

    #[cfg(unix)]
    #[test]
    fn a_write_to_the_old_file_after_the_rename_is_merged() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::write(root.join("a.md"), "a\n").unwrap();
        // A program that opened the file before planmark replaced it and
        // writes after: its write lands on the old file.
        let mut late = OpenOptions::new()
            .append(true)
            .open(root.join("a.md"))
            .unwrap();
        let mut pending = begin_replace(root, "a.md", "a\n", "b\n").unwrap();
        late.write_all(b"late\n").unwrap();
        pending.settle().unwrap();
        assert_eq!(pending.written.merged, 5);
        assert_eq!(fs::read_to_string(root.join("a.md")).unwrap(), "b\nlate\n");
        // Another change than an append is saved to a copy.
        let late = OpenOptions::new()
            .write(true)
            .open(root.join("a.md"))
            .unwrap();
        let mut pending = begin_replace(root, "a.md", "b\nlate\n", "c\n").unwrap();
        late.set_len(1).unwrap();
        pending.settle().unwrap();
        let copy = pending.written.saved.clone().unwrap();
        assert_eq!(fs::read_to_string(&copy).unwrap(), "b");
        assert_eq!(fs::read_to_string(root.join("a.md")).unwrap(), "c\n");
    }
}
