//! planmark's own requests: `planmark/documentText` (the text the server
//! holds for an open document) and `planmark/status` (roots, indexing,
//! analysis passes, how many times the editing features' facts were
//! made), used by tests and for troubleshooting, plus
//! `planmark/debug/panic`, `planmark/debug/sleep` and
//! `planmark/debug/watcherOverflow` when `PLANMARK_TEST_HOOKS=1`.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::Uri;
use tower_lsp_server::LspServiceBuilder;

use crate::server::Backend;

#[derive(Debug, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct DocumentTextParams {
    pub(crate) uri: Uri,
}

#[derive(Debug, Deserialize, Serialize)]
pub(crate) struct SleepParams {
    ms: u64,
}

#[derive(Debug, Deserialize, Serialize)]
pub(crate) struct OverflowParams {
    /// `true` starts dropping the watcher's events; `false` ends the
    /// overflow with the event the kernel queues for it.
    start: bool,
}

/// Registers the custom methods on the service.
pub(crate) fn register(
    builder: LspServiceBuilder<Backend>,
    test_hooks: bool,
) -> LspServiceBuilder<Backend> {
    let builder = builder
        .custom_method("planmark/documentText", Backend::document_text)
        .custom_method("planmark/status", Backend::status);
    if test_hooks {
        builder
            .custom_method("planmark/debug/panic", Backend::debug_panic)
            .custom_method("planmark/debug/sleep", Backend::debug_sleep)
            .custom_method("planmark/debug/watcherOverflow", Backend::debug_overflow)
    } else {
        builder
    }
}

impl Backend {
    /// The text of an open document as the server has it, or null.
    async fn document_text(&self, params: DocumentTextParams) -> Result<Option<String>> {
        let state = self.shared.lock();
        Ok(state.docs.get(&params.uri).map(|doc| doc.rope.to_string()))
    }

    /// The roots, whether they are indexed, and how many analysis passes
    /// and full reads have run, after applying every change received.
    async fn status(&self) -> Result<Value> {
        let snapshot = self.shared.fresh_snapshot().await;
        let settings = self.shared.lock().settings.clone();
        let roots: Vec<Value> = snapshot
            .roots
            .iter()
            .map(|r| {
                json!({
                    "path": r.path.display().to_string(),
                    "files": r.ws.file_count(),
                    "indexed": r.indexed,
                    "indexRuns": r.index_runs,
                    "hollow": r.hollow,
                })
            })
            .collect();
        Ok(json!({
            "roots": roots,
            "passes": snapshot.passes,
            "derivedBuilds": crate::server::state::DERIVED_BUILDS.load(std::sync::atomic::Ordering::Relaxed),
            "positionEncoding": snapshot.encoding.name(),
            "scope": settings.scope.name(),
            "debounceMs": settings.debounce_ms,
            "codeLens": settings.code_lens,
        }))
    }

    /// Panics, so tests can check that a panicking handler is answered
    /// with an internal error and the server carries on.
    async fn debug_panic(&self) -> Result<()> {
        panic!("planmark/debug/panic was requested");
    }

    /// Answers after `ms` milliseconds, so tests have a request that is
    /// still running when they cancel it.
    async fn debug_sleep(&self, params: SleepParams) -> Result<u64> {
        tokio::time::sleep(std::time::Duration::from_millis(params.ms)).await;
        Ok(params.ms)
    }

    /// Simulates an overflow of the kernel's event queue in the server's
    /// own watcher: events are dropped from `start: true` until `start:
    /// false`, which delivers the overflow event. An error when the server
    /// does not watch with `notify`.
    async fn debug_overflow(&self, params: OverflowParams) -> Result<()> {
        let feed = self.shared.lock().watch_feed.clone();
        let Some(feed) = feed else {
            return Err(tower_lsp_server::jsonrpc::Error::invalid_request());
        };
        feed.simulate_overflow(params.start);
        Ok(())
    }
}
