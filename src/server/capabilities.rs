//! What the client can do (digested from `initialize`) and what the server
//! advertises. Every server capability is set here and nowhere else: a new
//! handler adds its line to [`server_capabilities`].

use tower_lsp_server::ls_types::{
    ClientCapabilities, DiagnosticOptions, DiagnosticServerCapabilities, ResourceOperationKind,
    ServerCapabilities, TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions,
};

use crate::server::convert::Encoding;

/// The client capabilities the server acts on.
#[derive(Clone, Debug, Default)]
pub(crate) struct ClientCaps {
    /// `textDocument/diagnostic`: the client pulls diagnostics, so the
    /// server does not push them.
    pub(crate) pull_diagnostics: bool,
    /// `workspace/diagnostic/refresh`.
    pub(crate) diagnostic_refresh: bool,
    /// Server-initiated `$/progress` with `window/workDoneProgress/create`.
    pub(crate) work_done_progress: bool,
    /// `workspace/didChangeWatchedFiles` can be registered dynamically.
    pub(crate) watched_files_registration: bool,
    /// `workspace/configuration`.
    pub(crate) configuration: bool,
    /// `workspace/didChangeConfiguration` can be registered dynamically.
    pub(crate) configuration_registration: bool,
    /// `workspace.workspaceEdit`: document changes with `create` and
    /// `rename` operations. Without them, actions that add or move a file
    /// are commands the server carries out itself.
    pub(crate) resource_operations: bool,
}

impl ClientCaps {
    pub(crate) fn from_lsp(caps: &ClientCapabilities) -> ClientCaps {
        let workspace = caps.workspace.as_ref();
        ClientCaps {
            pull_diagnostics: caps
                .text_document
                .as_ref()
                .is_some_and(|t| t.diagnostic.is_some()),
            diagnostic_refresh: workspace
                .and_then(|w| w.diagnostics.as_ref())
                .and_then(|d| d.refresh_support)
                .unwrap_or(false),
            work_done_progress: caps
                .window
                .as_ref()
                .and_then(|w| w.work_done_progress)
                .unwrap_or(false),
            watched_files_registration: workspace
                .and_then(|w| w.did_change_watched_files.as_ref())
                .and_then(|d| d.dynamic_registration)
                .unwrap_or(false),
            configuration: workspace.and_then(|w| w.configuration).unwrap_or(false),
            configuration_registration: workspace
                .and_then(|w| w.did_change_configuration.as_ref())
                .and_then(|d| d.dynamic_registration)
                .unwrap_or(false),
            resource_operations: workspace
                .and_then(|w| w.workspace_edit.as_ref())
                .is_some_and(|e| {
                    let ops = e.resource_operations.as_deref().unwrap_or(&[]);
                    e.document_changes == Some(true)
                        && ops.contains(&ResourceOperationKind::Create)
                        && ops.contains(&ResourceOperationKind::Rename)
                }),
        }
    }
}

/// The capabilities answered to `initialize`: only what the server
/// implements.
pub(crate) fn server_capabilities(client: &ClientCaps, encoding: Encoding) -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(encoding.kind()),
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::INCREMENTAL),
                ..TextDocumentSyncOptions::default()
            },
        )),
        diagnostic_provider: client.pull_diagnostics.then(|| {
            DiagnosticServerCapabilities::Options(DiagnosticOptions {
                identifier: Some("planmark".into()),
                inter_file_dependencies: true,
                workspace_diagnostics: true,
                ..DiagnosticOptions::default()
            })
        }),
        code_action_provider: Some(crate::server::handlers::code_action::provider()),
        execute_command_provider: Some(crate::server::handlers::execute_command::provider()),
        ..ServerCapabilities::default()
    }
}
