//! The LSP handlers, one file per area. Notifications that change state
//! (text sync, watched files, configuration, workspace folders) are applied synchronously by
//! [`apply_in_order`], which the ordered layer calls in wire order; every
//! other method goes through `Backend`'s `LanguageServer` implementation.

pub(crate) mod code_action;
pub(crate) mod completion;
pub(crate) mod custom;
pub(crate) mod diagnostic;
pub(crate) mod execute_command;
pub(crate) mod folding;
pub(crate) mod hover;
pub(crate) mod inlay;
pub(crate) mod lens;
pub(crate) mod lifecycle;
pub(crate) mod navigation;
pub(crate) mod rename;
pub(crate) mod request;
pub(crate) mod semantic;
pub(crate) mod symbols;
pub(crate) mod text_sync;
pub(crate) mod workspace;

use std::sync::Arc;

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::server::state::Shared;

/// The notifications that must be applied in the order they arrive.
pub(crate) const ORDERED: &[&str] = &[
    "textDocument/didOpen",
    "textDocument/didChange",
    "textDocument/didClose",
    "workspace/didChangeWatchedFiles",
    "workspace/didChangeConfiguration",
    "workspace/didChangeWorkspaceFolders",
];

/// Applies one of the [`ORDERED`] notifications now, before the next
/// message is read. Nothing here awaits.
pub(crate) fn apply_in_order(shared: &Arc<Shared>, method: &str, params: Option<Value>) {
    match method {
        "textDocument/didOpen" => with_params(method, params, |p| text_sync::did_open(shared, p)),
        "textDocument/didChange" => {
            let params = params.map(text_sync::clamp_change_positions);
            with_params(method, params, |p| text_sync::did_change(shared, p))
        }
        "textDocument/didClose" => with_params(method, params, |p| text_sync::did_close(shared, p)),
        "workspace/didChangeWatchedFiles" => with_params(method, params, |p| {
            workspace::did_change_watched_files(shared, p)
        }),
        "workspace/didChangeConfiguration" => with_params(method, params, |p| {
            workspace::did_change_configuration(shared, p)
        }),
        "workspace/didChangeWorkspaceFolders" => with_params(method, params, |p| {
            workspace::did_change_workspace_folders(shared, p)
        }),
        _ => tracing::error!("`{method}` is not an ordered notification"),
    }
}

fn with_params<P: DeserializeOwned>(method: &str, params: Option<Value>, f: impl FnOnce(P)) {
    match serde_json::from_value(params.unwrap_or(Value::Null)) {
        Ok(params) => f(params),
        Err(err) => tracing::warn!("ignoring `{method}` with invalid params: {err}"),
    }
}
