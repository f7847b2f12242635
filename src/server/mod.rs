//! The language server: the only place that knows JSON-RPC and the LSP.
//! It converts, calls `analysis`, and converts back.
//!
//! - `transport` frames stdin and stdout and answers malformed input;
//! - `ordered` applies state-changing notifications in wire order;
//! - `handlers/` holds one file per LSP area, reached through [`Backend`];
//! - `main_loop` owns the analysed workspaces and publishes diagnostics;
//! - `state` holds the documents, roots, settings and latest snapshot;
//! - `convert` is the one place that counts columns.

mod capabilities;
mod convert;
mod deferred;
mod diagnostics;
mod handlers;
mod indexing;
mod main_loop;
mod ordered;
mod roots;
mod settings;
mod state;
mod transport;
mod watch;

use std::process::ExitCode;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::mpsc;
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{CodeActionParams, CodeActionResponse, LSPAny};
use tower_lsp_server::ls_types::{
    CodeLens, CodeLensParams, CompletionParams, CompletionResponse, DocumentDiagnosticParams,
    DocumentDiagnosticReportResult, DocumentLink, DocumentLinkParams, DocumentSymbolParams,
    DocumentSymbolResponse, ExecuteCommandParams, FoldingRange, FoldingRangeParams,
    GotoDefinitionParams, GotoDefinitionResponse, Hover, HoverParams, InitializeParams,
    InitializeResult, InitializedParams, InlayHint, InlayHintParams, Location,
    PrepareRenameResponse, ReferenceParams, RenameParams, SemanticTokensParams,
    SemanticTokensRangeParams, SemanticTokensRangeResult, SemanticTokensResult,
    TextDocumentPositionParams, WorkspaceDiagnosticParams, WorkspaceDiagnosticReportResult,
    WorkspaceEdit, WorkspaceSymbolParams, WorkspaceSymbolResponse,
};
use tower_lsp_server::{LanguageServer, LspService, Server};

use crate::server::ordered::Ordered;
use crate::server::state::Shared;

/// Runs the server over stdio until the client says `exit` (exit code 0
/// after `shutdown`, 1 without) or closes the connection (1).
pub fn run() -> ExitCode {
    init_logging();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("planmark-lsp")
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("planmark lsp: cannot start the async runtime: {err}");
            return ExitCode::from(2);
        }
    };
    let code = runtime.block_on(serve());
    // Blocking reads of stdin and analysis passes are not waited for.
    runtime.shutdown_timeout(Duration::from_millis(100));
    code
}

async fn serve() -> ExitCode {
    let (events, events_rx) = mpsc::unbounded_channel();
    let runtime = tokio::runtime::Handle::current();
    let mut shared = None;
    let builder = LspService::build(|client| {
        let state = Arc::new(Shared::new(client, events, runtime));
        shared = Some(state.clone());
        Backend { shared: state }
    });
    let shared = shared.expect("LspService::build calls its init function");
    let (service, socket) = handlers::custom::register(builder, shared.test_hooks).finish();
    tokio::spawn(main_loop::run(shared.clone(), events_rx));
    let service = Ordered::new(service, shared.clone());
    let exit_received = service.exit_received.clone();
    let pipes = transport::spawn(tokio::io::stdin(), tokio::io::stdout());
    Server::new(pipes.input, pipes.output, socket)
        .serve(service)
        .await;
    // The server's output pipe is closed now: let the writer send the rest.
    let _ = tokio::time::timeout(Duration::from_secs(5), pipes.writer).await;
    if exit_received.load(Ordering::SeqCst) && shared.shutdown_requested() {
        tracing::info!("exiting after shutdown");
        ExitCode::SUCCESS
    } else {
        tracing::warn!("exiting without a shutdown request");
        ExitCode::from(1)
    }
}

/// Logs to stderr; the level comes from `PLANMARK_LOG`, else `RUST_LOG`,
/// else warnings and errors only: editors such as Helix and Neovim record
/// every stderr line as an error.
fn init_logging() {
    let filter = std::env::var("PLANMARK_LOG")
        .or_else(|_| std::env::var("RUST_LOG"))
        .unwrap_or_else(|_| "warn".to_string());
    let filter = tracing_subscriber::EnvFilter::try_new(&filter)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .try_init();
}

/// The `LanguageServer` implementation: each method hands over to its
/// handler in `handlers/`. Text sync, watched files and configuration
/// changes never reach it: the ordered layer applies them.
pub(crate) struct Backend {
    shared: Arc<Shared>,
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        handlers::lifecycle::initialize(&self.shared, params)
    }

    async fn initialized(&self, _: InitializedParams) {
        handlers::lifecycle::initialized(&self.shared);
    }

    async fn shutdown(&self) -> Result<()> {
        Ok(())
    }

    async fn diagnostic(
        &self,
        params: DocumentDiagnosticParams,
    ) -> Result<DocumentDiagnosticReportResult> {
        handlers::diagnostic::document(&self.shared, params).await
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        handlers::code_action::code_action(&self.shared, params).await
    }

    async fn workspace_diagnostic(
        &self,
        params: WorkspaceDiagnosticParams,
    ) -> Result<WorkspaceDiagnosticReportResult> {
        handlers::diagnostic::workspace(&self.shared, params).await
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        handlers::completion::completion(&self.shared, params).await
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        handlers::hover::hover(&self.shared, params).await
    }

    async fn goto_definition(
        &self,
        params: GotoDefinitionParams,
    ) -> Result<Option<GotoDefinitionResponse>> {
        handlers::navigation::definition(&self.shared, params).await
    }

    async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        handlers::navigation::references(&self.shared, params).await
    }

    async fn document_link(&self, params: DocumentLinkParams) -> Result<Option<Vec<DocumentLink>>> {
        handlers::navigation::document_links(&self.shared, params).await
    }

    async fn prepare_rename(
        &self,
        params: TextDocumentPositionParams,
    ) -> Result<Option<PrepareRenameResponse>> {
        handlers::rename::prepare_rename(&self.shared, params).await
    }

    async fn rename(&self, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
        handlers::rename::rename(&self.shared, params).await
    }

    async fn document_symbol(
        &self,
        params: DocumentSymbolParams,
    ) -> Result<Option<DocumentSymbolResponse>> {
        handlers::symbols::document_symbols(&self.shared, params).await
    }

    async fn symbol(
        &self,
        params: WorkspaceSymbolParams,
    ) -> Result<Option<WorkspaceSymbolResponse>> {
        handlers::symbols::workspace_symbols(&self.shared, params).await
    }

    async fn folding_range(&self, params: FoldingRangeParams) -> Result<Option<Vec<FoldingRange>>> {
        handlers::folding::folding_ranges(&self.shared, params).await
    }

    async fn code_lens(&self, params: CodeLensParams) -> Result<Option<Vec<CodeLens>>> {
        handlers::lens::code_lenses(&self.shared, params).await
    }

    async fn execute_command(&self, params: ExecuteCommandParams) -> Result<Option<LSPAny>> {
        if params.command == handlers::lens::SHOW_DEPENDENTS {
            handlers::lens::execute_command(&self.shared, params).await
        } else {
            handlers::execute_command::execute_command(&self.shared, params).await
        }
    }

    async fn inlay_hint(&self, params: InlayHintParams) -> Result<Option<Vec<InlayHint>>> {
        handlers::inlay::inlay_hints(&self.shared, params).await
    }

    async fn semantic_tokens_full(
        &self,
        params: SemanticTokensParams,
    ) -> Result<Option<SemanticTokensResult>> {
        handlers::semantic::full(&self.shared, params).await
    }

    async fn semantic_tokens_range(
        &self,
        params: SemanticTokensRangeParams,
    ) -> Result<Option<SemanticTokensRangeResult>> {
        handlers::semantic::range(&self.shared, params).await
    }
}
