//! What the client can do (digested from `initialize`) and what the server
//! advertises. Every server capability is set here and nowhere else: a new
//! handler adds its line to [`server_capabilities`].

use tower_lsp_server::ls_types::{
    ClientCapabilities, CodeActionKind, CodeActionOptions, CodeActionProviderCapability,
    CodeLensOptions, CompletionOptions, DiagnosticOptions, DiagnosticServerCapabilities,
    DocumentLinkOptions, ExecuteCommandOptions, FoldingRangeProviderCapability,
    HoverProviderCapability, OneOf, RenameOptions, ResourceOperationKind, SemanticTokenModifier,
    SemanticTokenType, SemanticTokensFullOptions, SemanticTokensLegend, SemanticTokensOptions,
    SemanticTokensServerCapabilities, ServerCapabilities, TextDocumentSyncCapability,
    TextDocumentSyncKind, TextDocumentSyncOptions, WorkDoneProgressOptions,
    WorkspaceFoldersServerCapabilities, WorkspaceServerCapabilities,
};

use crate::analysis::actions::ActionKind;
use crate::server::convert::Encoding;

/// The client capabilities the server acts on.
#[derive(Clone, Debug, Default)]
pub(crate) struct ClientCaps {
    /// The client pulls diagnostics, so the server does not push them: it
    /// announces `textDocument.diagnostic` and also
    /// `workspace.diagnostics.refreshSupport`. A client that pulls but cannot be
    /// asked to pull again (Neovim 0.11, Helix) would keep the diagnostics
    /// it pulled before the workspace was indexed, and would never see the
    /// files it has not opened, so it gets them pushed instead.
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
    /// Workspace edits may create files: `workspace.workspaceEdit` announces
    /// the `create` resource operation. Announcing it is taken as enough for
    /// `documentChanges` too, since resource operations exist only there
    /// (Neovim 0.11 announces them without `documentChanges: true`, and
    /// applies them).
    pub(crate) create_files: bool,
    /// Completion items may be snippets (`$1` tab stops).
    pub(crate) snippets: bool,
    /// `textDocument/documentSymbol` may answer a tree.
    pub(crate) hierarchical_symbols: bool,
    /// `textDocument/definition` may answer `LocationLink`s.
    pub(crate) definition_links: bool,
    /// Workspace edits may use `documentChanges`.
    pub(crate) document_changes: bool,
    /// Workspace edits may rename files: the `rename` resource operation is
    /// announced (see [`ClientCaps::create_files`]).
    pub(crate) rename_files: bool,
    /// `workspace/codeLens/refresh`.
    pub(crate) code_lens_refresh: bool,
    /// `workspace/inlayHint/refresh`.
    pub(crate) inlay_hint_refresh: bool,
    /// `workspace/semanticTokens/refresh`.
    pub(crate) semantic_tokens_refresh: bool,
}

impl ClientCaps {
    pub(crate) fn from_lsp(caps: &ClientCapabilities) -> ClientCaps {
        let workspace = caps.workspace.as_ref();
        let text = caps.text_document.as_ref();
        let workspace_edit = workspace.and_then(|w| w.workspace_edit.as_ref());
        let document_changes = workspace_edit
            .and_then(|e| e.document_changes)
            .unwrap_or(false);
        let resource_operation = |kind: ResourceOperationKind| {
            workspace_edit
                .and_then(|e| e.resource_operations.as_ref())
                .is_some_and(|ops| ops.contains(&kind))
        };
        let diagnostic_refresh = workspace
            .and_then(|w| w.diagnostics.as_ref())
            .and_then(|d| d.refresh_support)
            .unwrap_or(false);
        ClientCaps {
            pull_diagnostics: diagnostic_refresh && text.is_some_and(|t| t.diagnostic.is_some()),
            diagnostic_refresh,
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
            create_files: resource_operation(ResourceOperationKind::Create),
            snippets: text
                .and_then(|t| t.completion.as_ref())
                .and_then(|c| c.completion_item.as_ref())
                .and_then(|i| i.snippet_support)
                .unwrap_or(false),
            hierarchical_symbols: text
                .and_then(|t| t.document_symbol.as_ref())
                .and_then(|d| d.hierarchical_document_symbol_support)
                .unwrap_or(false),
            definition_links: text
                .and_then(|t| t.definition.as_ref())
                .and_then(|d| d.link_support)
                .unwrap_or(false),
            document_changes,
            rename_files: resource_operation(ResourceOperationKind::Rename),
            code_lens_refresh: workspace
                .and_then(|w| w.code_lens.as_ref())
                .and_then(|c| c.refresh_support)
                .unwrap_or(false),
            inlay_hint_refresh: workspace
                .and_then(|w| w.inlay_hint.as_ref())
                .and_then(|c| c.refresh_support)
                .unwrap_or(false),
            semantic_tokens_refresh: workspace
                .and_then(|w| w.semantic_tokens.as_ref())
                .and_then(|c| c.refresh_support)
                .unwrap_or(false),
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
        code_action_provider: Some(code_action_options()),
        completion_provider: Some(completion_options()),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        document_link_provider: Some(DocumentLinkOptions {
            resolve_provider: Some(false),
            work_done_progress_options: WorkDoneProgressOptions::default(),
        }),
        rename_provider: Some(OneOf::Right(RenameOptions {
            prepare_provider: Some(true),
            work_done_progress_options: WorkDoneProgressOptions::default(),
        })),
        document_symbol_provider: Some(OneOf::Left(true)),
        workspace_symbol_provider: Some(OneOf::Left(true)),
        folding_range_provider: Some(FoldingRangeProviderCapability::Simple(true)),
        code_lens_provider: Some(CodeLensOptions {
            resolve_provider: Some(false),
        }),
        execute_command_provider: Some(ExecuteCommandOptions {
            commands: vec![SHOW_DEPENDENTS.to_string(), APPLY_COMMAND.to_string()],
            work_done_progress_options: WorkDoneProgressOptions::default(),
        }),
        inlay_hint_provider: Some(OneOf::Left(true)),
        semantic_tokens_provider: Some(semantic_tokens_options()),
        // Folders added to or removed from the workspace are read or
        // dropped (`workspace/didChangeWorkspaceFolders`).
        workspace: Some(WorkspaceServerCapabilities {
            workspace_folders: Some(WorkspaceFoldersServerCapabilities {
                supported: Some(true),
                change_notifications: Some(OneOf::Left(true)),
            }),
            file_operations: None,
        }),
        ..ServerCapabilities::default()
    }
}

/// The command a code lens runs: shows what an item blocks.
pub(crate) const SHOW_DEPENDENTS: &str = "planmark.showDependents";

/// The command that carries out file operations for clients that cannot.
pub(crate) const APPLY_COMMAND: &str = "planmark.applyChanges";

/// The characters that end the text before a completion (`**`, `## `,
/// `As a `, `**Status:** `, `#301`, `015/`).
fn completion_options() -> CompletionOptions {
    CompletionOptions {
        trigger_characters: Some(["*", "#", " ", "/"].map(String::from).to_vec()),
        resolve_provider: Some(false),
        work_done_progress_options: WorkDoneProgressOptions::default(),
        ..CompletionOptions::default()
    }
}

/// Indices into the semantic token legend's types.
pub(crate) const TOKEN_REFERENCE: u32 = 0;
pub(crate) const TOKEN_FIELD_LABEL: u32 = 1;
/// Bit of the legend's `dangling` modifier.
pub(crate) const MODIFIER_DANGLING: u32 = 1;

fn semantic_tokens_options() -> SemanticTokensServerCapabilities {
    SemanticTokensServerCapabilities::SemanticTokensOptions(SemanticTokensOptions {
        work_done_progress_options: WorkDoneProgressOptions::default(),
        legend: SemanticTokensLegend {
            token_types: vec![SemanticTokenType::VARIABLE, SemanticTokenType::PROPERTY],
            token_modifiers: vec![SemanticTokenModifier::new("dangling")],
        },
        range: Some(true),
        full: Some(SemanticTokensFullOptions::Bool(true)),
    })
}

/// The kinds of code action the server offers.
fn code_action_options() -> CodeActionProviderCapability {
    CodeActionProviderCapability::Options(CodeActionOptions {
        code_action_kinds: Some(vec![
            CodeActionKind::QUICKFIX,
            CodeActionKind::REFACTOR_EXTRACT,
            CodeActionKind::new(ActionKind::FixAll.lsp_name()),
        ]),
        resolve_provider: Some(false),
        ..CodeActionOptions::default()
    })
}
