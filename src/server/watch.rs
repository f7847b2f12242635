//! Learning that files changed on disk: the client watches them for us when
//! it can register `workspace/didChangeWatchedFiles` dynamically; otherwise
//! a `notify` watcher on every root feeds the same queue.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Weak};

use notify::{EventKind, RecursiveMode, Watcher};
use serde_json::json;
use tower_lsp_server::ls_types::{
    DidChangeWatchedFilesRegistrationOptions, FileSystemWatcher, GlobPattern, MessageType,
    Registration,
};

use crate::analysis::config::CONFIG_FILE_NAME;
use crate::analysis::parse::PLANNING_EXTENSIONS;
use crate::server::state::Shared;

/// Asks the client to watch the planning files, `planmark.toml` and the
/// ignore files (which decide what the planning files are), and to
/// send configuration changes, as far as it supports dynamic registration.
/// Falls back to `notify` when the client cannot watch files.
pub(crate) async fn register(shared: Arc<Shared>) {
    let caps = shared.lock().caps.clone();
    let mut registrations = Vec::new();
    if caps.watched_files_registration {
        let watchers = PLANNING_EXTENSIONS
            .iter()
            .map(|extension| format!("**/*.{extension}"))
            .chain([
                format!("**/{CONFIG_FILE_NAME}"),
                "**/.gitignore".to_string(),
                "**/.ignore".to_string(),
            ])
            .map(|glob| FileSystemWatcher {
                glob_pattern: GlobPattern::String(glob),
                kind: None,
            })
            .collect();
        registrations.push(Registration {
            id: "planmark/watched-files".into(),
            method: "workspace/didChangeWatchedFiles".into(),
            register_options: Some(json!(DidChangeWatchedFilesRegistrationOptions { watchers })),
        });
    }
    if caps.configuration_registration {
        registrations.push(Registration {
            id: "planmark/configuration".into(),
            method: "workspace/didChangeConfiguration".into(),
            register_options: None,
        });
    }
    let mut client_watches = caps.watched_files_registration;
    if !registrations.is_empty() {
        if let Err(err) = shared.client.register_capability(registrations).await {
            shared.log(
                MessageType::WARNING,
                format!("client/registerCapability failed: {err}"),
            );
            client_watches = false;
        }
    }
    if !client_watches {
        start_notify(&shared);
    }
}

/// What one `notify` event means for the server.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum WatchNews {
    /// These paths changed: planning files, `planmark.toml`, ignore files,
    /// or folders that stand for the files under them.
    Paths(Vec<PathBuf>),
    /// Events were lost (the kernel's queue overflowed, or the watcher
    /// failed): read the roots holding `paths` again, or every root when
    /// `paths` is empty.
    Rescan { paths: Vec<PathBuf>, reason: String },
}

/// Sorts a `notify` event into what the server does about it, or `None`
/// when it changes nothing the server reads.
pub(crate) fn classify(event: notify::Result<notify::Event>) -> Option<WatchNews> {
    let event = match event {
        Ok(event) => event,
        Err(err) => {
            return Some(WatchNews::Rescan {
                paths: err.paths.clone(),
                reason: format!("the file watcher failed ({err}), so changes may have been missed"),
            })
        }
    };
    if event.need_rescan() {
        return Some(WatchNews::Rescan {
            paths: event.paths,
            reason: "the file watcher's event queue overflowed, so changes were missed".into(),
        });
    }
    // Reading a file is not changing it (and the server reads files).
    if matches!(event.kind, EventKind::Access(_) | EventKind::Other) {
        return None;
    }
    let kind = event.kind;
    let paths: Vec<PathBuf> = event
        .paths
        .into_iter()
        .filter(|p| forwarded(kind, p))
        .collect();
    (!paths.is_empty()).then_some(WatchNews::Paths(paths))
}

/// Whether a path an event names can matter: a planning file,
/// `planmark.toml` or an ignore file, or a folder (created, removed,
/// renamed, its permissions changed) that stands for the files under it.
/// Paths in folders no one plans in are dropped later, relative to their
/// root (a root may itself lie in a folder called `target`).
fn forwarded(kind: EventKind, path: &Path) -> bool {
    use notify::event::{CreateKind, ModifyKind, RemoveKind};
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let planning_extension = path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        PLANNING_EXTENSIONS
            .iter()
            .any(|p| e.eq_ignore_ascii_case(p))
    });
    if name == CONFIG_FILE_NAME || is_ignore_file(path) || planning_extension {
        return true;
    }
    match kind {
        EventKind::Create(CreateKind::Folder) | EventKind::Remove(RemoveKind::Folder) => true,
        EventKind::Create(CreateKind::File)
        | EventKind::Remove(RemoveKind::File)
        | EventKind::Modify(ModifyKind::Data(_)) => false,
        // A rename (either end), a change of permissions or an event of
        // unknown kind: a folder when the path is one now, or may have been
        // one when it is gone (the root knows whether files were under it).
        _ => path.is_dir() || std::fs::symlink_metadata(path).is_err(),
    }
}

/// `.gitignore` and `.ignore`, the files `load` honours when it lists a
/// root.
pub(crate) fn is_ignore_file(path: &Path) -> bool {
    matches!(
        path.file_name().and_then(|n| n.to_str()),
        Some(".gitignore" | ".ignore")
    )
}

/// Whether a path lies in a folder that `load` never enters.
pub(crate) fn in_skipped_folder(path: &Path) -> bool {
    path.components().any(|c| {
        c.as_os_str()
            .to_str()
            .is_some_and(crate::load::is_skipped_folder)
    })
}

/// Feeds `notify`'s events to the task that queues them. It runs on
/// notify's thread, so it never takes the state lock (that could deadlock
/// with `watch` calls made under it).
#[derive(Clone)]
pub(crate) struct Feed {
    tx: tokio::sync::mpsc::UnboundedSender<WatchNews>,
    /// With the test hooks, `planmark/debug/watcherOverflow` sets this to
    /// drop events, as a full kernel queue does.
    dropping: Arc<AtomicBool>,
}

impl Feed {
    fn handle(&self, event: notify::Result<notify::Event>) {
        if self.dropping.load(Ordering::SeqCst) {
            return;
        }
        if let Some(news) = classify(event) {
            let _ = self.tx.send(news);
        }
    }

    /// Test hook: `true` starts dropping events, as when the kernel's
    /// queue is full; `false` stops and delivers the overflow event the
    /// kernel would queue.
    pub(crate) fn simulate_overflow(&self, start: bool) {
        self.dropping.store(start, Ordering::SeqCst);
        if !start {
            let overflow =
                notify::Event::new(EventKind::Other).set_flag(notify::event::Flag::Rescan);
            self.handle(Ok(overflow));
        }
    }
}

/// Watches every root with `notify`, now and as roots are added.
fn start_notify(shared: &Arc<Shared>) {
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<WatchNews>();
    let feed = Feed {
        tx,
        dropping: Arc::default(),
    };
    let handler = feed.clone();
    let watcher = notify::recommended_watcher(move |event| handler.handle(event));
    let mut watcher = match watcher {
        Ok(watcher) => watcher,
        Err(err) => {
            shared.log(
                MessageType::ERROR,
                format!("the client cannot watch files and notify failed too ({err}): changes on disk go unnoticed"),
            );
            return;
        }
    };
    let weak: Weak<Shared> = Arc::downgrade(shared);
    shared.runtime.spawn(async move {
        while let Some(news) = rx.recv().await {
            let Some(shared) = weak.upgrade() else {
                return;
            };
            let mut state = shared.lock();
            match news {
                WatchNews::Paths(paths) => {
                    for path in &paths {
                        if let Some(warning) = state.path_changed(path) {
                            shared.log(MessageType::WARNING, warning);
                        }
                    }
                }
                WatchNews::Rescan { paths, reason } => {
                    let roots: Vec<usize> = (0..state.roots.len())
                        .filter(|&id| {
                            let root = &state.roots[id];
                            paths.is_empty()
                                || paths
                                    .iter()
                                    .any(|p| p.starts_with(root) || root.starts_with(p))
                        })
                        .collect();
                    for id in roots {
                        state.rescan(id, MessageType::WARNING, reason.clone());
                    }
                }
            }
            drop(state);
            shared.wake();
        }
    });
    let roots = shared.lock().roots.clone();
    for root in &roots {
        watch_root(&mut watcher, root);
    }
    let mut state = shared.lock();
    // Roots added meanwhile are watched too.
    for root in state.roots.iter().skip(roots.len()) {
        watch_root(&mut watcher, root);
    }
    state.watcher = Some(watcher);
    state.watch_feed = Some(feed);
    drop(state);
    shared.log(
        MessageType::INFO,
        "the client cannot watch files: watching the workspace with notify",
    );
}

/// Adds a root to the `notify` watcher.
pub(crate) fn watch_root(watcher: &mut notify::RecommendedWatcher, root: &Path) {
    if let Err(err) = watcher.watch(root, RecursiveMode::Recursive) {
        tracing::warn!("cannot watch {}: {err}", root.display());
    }
}

#[cfg(test)]
mod tests {
    use notify::event::{
        AccessKind, CreateKind, DataChange, Flag, ModifyKind, RemoveKind, RenameMode,
    };
    use notify::Event;

    use super::*;

    fn event(kind: EventKind, path: &Path) -> notify::Result<Event> {
        Ok(Event::new(kind).add_path(path.to_path_buf()))
    }

    #[test]
    fn an_overflow_or_a_watcher_error_rescans() {
        let overflow = Event::new(EventKind::Other).set_flag(Flag::Rescan);
        match classify(Ok(overflow)) {
            Some(WatchNews::Rescan { paths, reason }) => {
                assert!(paths.is_empty(), "an overflow names no path: every root");
                assert!(reason.contains("overflowed"), "{reason}");
            }
            other => panic!("an overflow must rescan, got {other:?}"),
        }
        let failed = notify::Error::generic("inotify read failed").add_path("/ws".into());
        assert!(matches!(
            classify(Err(failed)),
            Some(WatchNews::Rescan { paths, .. }) if paths == [PathBuf::from("/ws")]
        ));
        // A flagged event of another kind rescans too.
        let flagged = Event::new(EventKind::Modify(ModifyKind::Any))
            .add_path("/ws/issues/backlog/a.md".into())
            .set_flag(Flag::Rescan);
        assert!(matches!(
            classify(Ok(flagged)),
            Some(WatchNews::Rescan { .. })
        ));
    }

    #[test]
    fn folders_and_ignore_files_are_forwarded_and_other_files_and_reads_are_not() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("issues/backlog-old");
        std::fs::create_dir_all(&folder).unwrap();
        let other_file = dir.path().join("notes.txt");
        std::fs::write(&other_file, "x").unwrap();
        let gone = dir.path().join("issues/backlog");
        let forwarded = |kind: EventKind, path: &Path| {
            classify(event(kind, path)) == Some(WatchNews::Paths(vec![path.to_path_buf()]))
        };
        // A folder renamed: the old name is gone, the new one is a folder.
        assert!(forwarded(
            EventKind::Modify(ModifyKind::Name(RenameMode::From)),
            &gone
        ));
        assert!(forwarded(
            EventKind::Modify(ModifyKind::Name(RenameMode::To)),
            &folder
        ));
        assert!(forwarded(EventKind::Create(CreateKind::Folder), &folder));
        assert!(forwarded(EventKind::Remove(RemoveKind::Folder), &gone));
        // Permissions changed on a folder (it may be unreadable now).
        assert!(forwarded(
            EventKind::Modify(ModifyKind::Metadata(notify::event::MetadataKind::Any)),
            &folder
        ));
        assert!(forwarded(
            EventKind::Modify(ModifyKind::Data(DataChange::Any)),
            &dir.path().join(".gitignore")
        ));
        assert!(forwarded(
            EventKind::Create(CreateKind::File),
            &dir.path().join("issues/backlog/swe-feature-001.md")
        ));
        // Other files and reads are not.
        assert!(!forwarded(EventKind::Create(CreateKind::File), &other_file));
        assert!(!forwarded(
            EventKind::Modify(ModifyKind::Name(RenameMode::To)),
            &other_file
        ));
        assert!(!forwarded(
            EventKind::Remove(RemoveKind::File),
            &dir.path().join("4913")
        ));
        assert!(!forwarded(
            EventKind::Access(AccessKind::Any),
            &dir.path().join("issues/backlog/swe-feature-001.md")
        ));
    }
}
