//! What the editing requests share: finding the file a URI names in the
//! freshest snapshot and running the feature on a blocking thread, with
//! the positions of that file's text converted in the negotiated encoding.

use std::sync::Arc;
use std::time::Duration;

use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::{Location, Position, Range, Uri};

use crate::analysis::features::{Derived, FileRange};
use crate::analysis::text::TextRange;
use crate::analysis::workspace::{SourceFile, Workspace};
use crate::server::capabilities::ClientCaps;
use crate::server::convert::{self, Encoding};
use crate::server::state::{FileId, RootSnapshot, Shared, Snapshot};

/// A planning file of the snapshot, as a request sees it.
pub(crate) struct FileCtx<'a> {
    pub(crate) snapshot: &'a Snapshot,
    pub(crate) root_id: usize,
    pub(crate) root: &'a RootSnapshot,
    pub(crate) rel: &'a str,
    pub(crate) file: &'a SourceFile,
    pub(crate) enc: Encoding,
    pub(crate) caps: &'a ClientCaps,
    /// The root has finished its first index: workspace-wide answers are
    /// complete. Before, an ID not found may still be in a file not read.
    pub(crate) indexed: bool,
}

impl<'a> FileCtx<'a> {
    pub(crate) fn ws(&self) -> &'a Workspace {
        &self.root.ws
    }

    /// The editing features' facts (made now if this is the first request
    /// of this version). `None` before the root's first analysis.
    pub(crate) fn derived(&self) -> Option<Arc<Derived>> {
        self.root.derived()
    }

    /// The byte offset of a position in this file.
    pub(crate) fn offset(&self, pos: Position) -> usize {
        convert::offset(&self.file.text, self.file.line_index(), pos, self.enc)
    }

    pub(crate) fn range(&self, range: TextRange) -> Range {
        file_range(self.file, range, self.enc)
    }

    /// The byte range of an LSP range in this file.
    pub(crate) fn text_range(&self, range: Range) -> TextRange {
        let start = self.offset(range.start);
        TextRange::new(start, self.offset(range.end).max(start))
    }

    /// The URI of another file of the same root.
    pub(crate) fn uri_of(&self, rel: &str) -> Option<Uri> {
        self.snapshot.uri(&FileId {
            root: self.root_id,
            rel: rel.to_string(),
        })
    }

    /// The location of a range in a file of the same root.
    pub(crate) fn location(&self, at: &FileRange) -> Option<Location> {
        let file = self.ws().file(&at.rel)?;
        Some(Location::new(
            self.uri_of(&at.rel)?,
            file_range(file, at.range, self.enc),
        ))
    }
}

/// The LSP range of a byte range of `file`.
pub(crate) fn file_range(file: &SourceFile, range: TextRange, enc: Encoding) -> Range {
    convert::range(&file.text, file.line_index(), range, enc)
}

/// Runs `f` on a blocking thread on the planning file `uri` names, in a
/// snapshot with every change received so far applied (other files'
/// findings may still be being checked again). `None` when the URI names
/// no planning file.
pub(crate) async fn on_file<T, F>(shared: &Arc<Shared>, uri: Uri, f: F) -> Result<Option<T>>
where
    T: Send + 'static,
    F: FnOnce(&FileCtx<'_>) -> Option<T> + Send + 'static,
{
    let snapshot = shared.applied_snapshot().await;
    run_on(shared, snapshot, uri, f).await
}

/// How long a request that would write (rename, code actions creating or
/// editing files) waits for its root's first index before refusing.
pub(crate) const WRITE_WAIT: Duration = Duration::from_secs(20);

/// How long a read-only request that has no way to say it is partial
/// (references, hover, workspace symbols) waits for the index.
pub(crate) const READ_WAIT: Duration = Duration::from_secs(10);

/// As [`on_file`], but in a snapshot where the file's root has finished its
/// first index, waiting up to `limit` for it; after that, the request fails
/// with a message saying planmark is still indexing.
pub(crate) async fn on_indexed_file<T, F>(
    shared: &Arc<Shared>,
    uri: Uri,
    limit: Duration,
    f: F,
) -> Result<Option<T>>
where
    T: Send + 'static,
    F: FnOnce(&FileCtx<'_>) -> Option<T> + Send + 'static,
{
    match shared.indexed_snapshot(&uri, limit).await {
        Ok(snapshot) => run_on(shared, snapshot, uri, f).await,
        Err(_) => Err(still_indexing()),
    }
}

/// The refusal of a request that needs the whole workspace while it is
/// still being read.
pub(crate) fn still_indexing() -> Error {
    failed("planmark is still indexing this workspace; try again when indexing is done")
}

async fn run_on<T, F>(
    shared: &Arc<Shared>,
    snapshot: Arc<Snapshot>,
    uri: Uri,
    f: F,
) -> Result<Option<T>>
where
    T: Send + 'static,
    F: FnOnce(&FileCtx<'_>) -> Option<T> + Send + 'static,
{
    let caps = shared.lock().caps.clone();
    blocking(move || {
        let located = snapshot.locate(&uri)?;
        let root = snapshot.roots.get(located.root)?;
        let file = root.ws.file(&located.rel)?;
        let ctx = FileCtx {
            snapshot: &snapshot,
            root_id: located.root,
            root,
            rel: &located.rel,
            file,
            enc: snapshot.encoding,
            caps: &caps,
            indexed: root.indexed,
        };
        f(&ctx)
    })
    .await
}

/// Runs `f` on a blocking thread; a panic becomes an internal error.
pub(crate) async fn blocking<T, F>(f: F) -> Result<T>
where
    T: Send + 'static,
    F: FnOnce() -> T + Send + 'static,
{
    tokio::task::spawn_blocking(f).await.map_err(|err| {
        tracing::error!("a request handler failed: {err}");
        Error::internal_error()
    })
}

/// A request that cannot be answered, with the reason shown to the user.
pub(crate) fn failed(message: impl Into<String>) -> Error {
    Error {
        code: tower_lsp_server::jsonrpc::ErrorCode::ServerError(-32803),
        message: message.into().into(),
        data: None,
    }
}
