//! `workspace/didChangeWatchedFiles`, `workspace/didChangeWorkspaceFolders`
//! and the `planmark.*` settings (`workspace/didChangeConfiguration`,
//! `workspace/configuration`).

use std::sync::Arc;

use serde_json::Value;
use tower_lsp_server::ls_types::{
    ConfigurationItem, DidChangeConfigurationParams, DidChangeWatchedFilesParams,
    DidChangeWorkspaceFoldersParams, MessageType,
};

use crate::server::convert;
use crate::server::settings::Settings;
use crate::server::state::Shared;

/// Queues every changed file that lies in a root; the main loop reads each
/// from disk (unless it is open) in its next pass.
pub(crate) fn did_change_watched_files(shared: &Arc<Shared>, params: DidChangeWatchedFilesParams) {
    let mut state = shared.lock();
    for change in &params.changes {
        if let Some(path) = convert::uri_to_path(&change.uri) {
            if let Some(warning) = state.path_changed(&path) {
                shared.log(MessageType::WARNING, warning);
            }
        }
    }
    drop(state);
    shared.wake();
}

/// Folders removed from the workspace stop being read (their findings are
/// withdrawn); folders added are read as new roots.
pub(crate) fn did_change_workspace_folders(
    shared: &Arc<Shared>,
    params: DidChangeWorkspaceFoldersParams,
) {
    let local = |folder: &tower_lsp_server::ls_types::WorkspaceFolder| {
        let path = convert::uri_to_path(&folder.uri);
        if path.is_none() {
            tracing::warn!(
                "workspace folder `{}` is not a local folder; ignored",
                folder.uri.as_str()
            );
        }
        path
    };
    let mut state = shared.lock();
    for path in params.event.removed.iter().filter_map(local) {
        state.remove_root(&path);
    }
    for path in params.event.added.iter().filter_map(local) {
        state.add_folder(path);
    }
    drop(state);
    shared.wake();
}

/// Applies settings sent with the notification, or asks for them when the
/// client sends none (the pull model).
pub(crate) fn did_change_configuration(shared: &Arc<Shared>, params: DidChangeConfigurationParams) {
    if let Some(section) = Settings::section_in(&params.settings) {
        let seq = next_seq(shared);
        apply_settings(shared, section, seq);
    } else if shared.lock().caps.configuration {
        shared.runtime.spawn(fetch_settings(shared.clone()));
    }
}

/// Asks the client for the `planmark` section and applies it.
pub(crate) async fn fetch_settings(shared: Arc<Shared>) {
    let seq = next_seq(&shared);
    let item = ConfigurationItem {
        scope_uri: None,
        section: Some("planmark".into()),
    };
    match shared.client.configuration(vec![item]).await {
        Ok(values) => {
            // A `null` section (the client has no such settings) keeps what
            // the client said in `initializationOptions`.
            let section = values.into_iter().next().unwrap_or(Value::Null);
            apply_settings(&shared, &section, seq);
        }
        Err(err) => tracing::warn!("workspace/configuration failed: {err}"),
    }
}

fn next_seq(shared: &Shared) -> u64 {
    let mut state = shared.lock();
    state.settings_seq += 1;
    state.settings_seq
}

/// Applies the settings read by request `seq`, unless a later request has
/// already answered.
pub(crate) fn apply_settings(shared: &Shared, section: &Value, seq: u64) {
    let current = shared.lock().settings.clone();
    let (settings, problems) = current.updated(section);
    for problem in problems {
        shared.show(MessageType::WARNING, problem);
    }
    let mut state = shared.lock();
    if seq < state.settings_seq || state.settings == settings {
        return;
    }
    tracing::info!(
        "settings: diagnostics scope {}, code lenses {}",
        settings.scope.name(),
        if settings.code_lens { "on" } else { "off" }
    );
    let lens_changed = state.settings.code_lens != settings.code_lens;
    let refresh = lens_changed && state.caps.code_lens_refresh;
    state.settings = settings;
    state.pending.settings = true;
    drop(state);
    shared.wake();
    if refresh {
        let client = shared.client.clone();
        shared.runtime.spawn(async move {
            if let Err(err) = client.code_lens_refresh().await {
                tracing::warn!("workspace/codeLens/refresh failed: {err}");
            }
        });
    }
}
