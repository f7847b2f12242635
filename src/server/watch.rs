//! Learning that files changed on disk: the client watches them for us when
//! it can register `workspace/didChangeWatchedFiles` dynamically; otherwise
//! a `notify` watcher on every root feeds the same queue.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Weak};

use notify::{EventKind, RecursiveMode, Watcher};
use serde_json::json;
use tower_lsp_server::ls_types::{
    DidChangeWatchedFilesRegistrationOptions, FileSystemWatcher, GlobPattern, MessageType,
    Registration,
};

use crate::analysis::config::CONFIG_FILE_NAME;
use crate::server::state::Shared;

/// Asks the client to watch the planning files and `planmark.toml`, and to
/// send configuration changes, as far as it supports dynamic registration.
/// Falls back to `notify` when the client cannot watch files.
pub(crate) async fn register(shared: Arc<Shared>) {
    let caps = shared.lock().caps.clone();
    let mut registrations = Vec::new();
    if caps.watched_files_registration {
        let watchers = ["**/*.md", &format!("**/{CONFIG_FILE_NAME}")]
            .into_iter()
            .map(|glob| FileSystemWatcher {
                glob_pattern: GlobPattern::String(glob.to_string()),
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

/// Watches every root with `notify`, now and as roots are added. The
/// watcher's callback only forwards paths to a task: taking the state lock
/// on notify's thread could deadlock with `watch` calls made under it.
fn start_notify(shared: &Arc<Shared>) {
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<Vec<PathBuf>>();
    let watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        let event = match event {
            Ok(event) => event,
            Err(err) => {
                tracing::warn!("file watcher: {err}");
                return;
            }
        };
        // Reading a file is not changing it (and the server reads files).
        if matches!(event.kind, EventKind::Access(_) | EventKind::Other) {
            return;
        }
        let paths: Vec<PathBuf> = event.paths.into_iter().filter(|p| interesting(p)).collect();
        if !paths.is_empty() {
            let _ = tx.send(paths);
        }
    });
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
        while let Some(paths) = rx.recv().await {
            let Some(shared) = weak.upgrade() else {
                return;
            };
            let mut state = shared.lock();
            for path in &paths {
                state.path_changed(path);
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

/// Markdown files and `planmark.toml`, outside folders no one plans in.
fn interesting(path: &Path) -> bool {
    let skipped = path.components().any(|c| {
        matches!(
            c.as_os_str().to_str(),
            Some(".git" | "node_modules" | "target")
        )
    });
    if skipped {
        return false;
    }
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    name == CONFIG_FILE_NAME || name.to_ascii_lowercase().ends_with(".md")
}
