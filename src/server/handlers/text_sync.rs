//! `textDocument/didOpen`, `didChange` and `didClose`: the open documents,
//! edited in ropes. Open documents override the disk; a closed document
//! falls back to the file on disk.

use std::sync::Arc;

use ropey::Rope;
use serde_json::Value;
use tower_lsp_server::ls_types::{
    DidChangeTextDocumentParams, DidCloseTextDocumentParams, DidOpenTextDocumentParams, MessageType,
};

use crate::server::convert;
use crate::server::state::{Document, Shared};

pub(crate) fn did_open(shared: &Arc<Shared>, params: DidOpenTextDocumentParams) {
    let doc = params.text_document;
    let path = convert::uri_to_path(&doc.uri);
    if path.is_none() && doc.uri.scheme().as_str().eq_ignore_ascii_case("file") {
        tracing::info!(
            "`{}` is not a local file: kept as an open document outside every root",
            doc.uri.as_str()
        );
    }
    let mut state = shared.lock();
    let file = path
        .as_ref()
        .and_then(|path| state.locate_or_add_root(path));
    if let Some(path) = path
        .as_ref()
        .filter(|p| file.is_none() && p.to_str().is_none())
    {
        // Planmark names files by UTF-8 paths: such a document is kept,
        // unchecked, rather than analysed under a name that is not its own.
        shared.log(
            MessageType::WARNING,
            format!(
                "{}: has a name that is not UTF-8; not checked (rename it to check it)",
                path.display()
            ),
        );
    }
    if let Some(file) = &file {
        state.pending.visibility.insert(file.clone());
        state.file_changed(file.clone());
    }
    let uri = doc.uri.clone();
    state
        .docs
        .insert(uri, Document::new(doc.uri, doc.version, &doc.text, file));
    drop(state);
    shared.wake();
}

/// Clamps every position of a `didChange` that does not fit the protocol's
/// `uinteger` (negative, fractional or past 2^32-1) into range, so
/// that one bad position cannot drop the whole batch of changes and leave
/// the server's text behind the editor's. The ropes clamp again to the
/// document.
pub(crate) fn clamp_change_positions(mut params: Value) -> Value {
    let changes = params
        .get_mut("contentChanges")
        .and_then(Value::as_array_mut);
    for change in changes.into_iter().flatten() {
        let Some(range) = change.get_mut("range") else {
            continue;
        };
        for end in ["start", "end"] {
            for field in ["line", "character"] {
                if let Some(number) = range.get_mut(end).and_then(|p| p.get_mut(field)) {
                    if number.as_u64().is_some_and(|n| n <= u64::from(u32::MAX)) {
                        continue;
                    }
                    let clamped = match number.as_f64() {
                        Some(n) if n > 0.0 => n.min(f64::from(u32::MAX)) as u32,
                        _ => 0,
                    };
                    *number = Value::from(clamped);
                }
            }
        }
    }
    params
}

pub(crate) fn did_change(shared: &Arc<Shared>, params: DidChangeTextDocumentParams) {
    let mut state = shared.lock();
    let encoding = state.encoding;
    let Some(doc) = state.docs.get_mut(&params.text_document.uri) else {
        tracing::warn!(
            "didChange for `{}`, which is not open",
            params.text_document.uri.as_str()
        );
        return;
    };
    for change in params.content_changes {
        match change.range {
            Some(range) => {
                let chars = convert::rope_range(&doc.rope, range, encoding);
                doc.rope.remove(chars.clone());
                doc.rope.insert(chars.start, &change.text);
            }
            None => doc.rope = Rope::from_str(&change.text),
        }
    }
    doc.edited(params.text_document.version);
    let file = doc.file.clone();
    if let Some(file) = file {
        state.file_changed(file);
    }
    drop(state);
    shared.wake();
}

pub(crate) fn did_close(shared: &Arc<Shared>, params: DidCloseTextDocumentParams) {
    let mut state = shared.lock();
    let Some(doc) = state.docs.remove(&params.text_document.uri) else {
        return;
    };
    if let Some(file) = doc.file {
        state.pending.visibility.insert(file.clone());
        state.file_changed(file);
    }
    drop(state);
    shared.wake();
}
