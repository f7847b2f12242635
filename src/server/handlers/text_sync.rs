//! `textDocument/didOpen`, `didChange` and `didClose`: the open documents,
//! edited in ropes. Open documents override the disk; a closed document
//! falls back to the file on disk.

use std::sync::Arc;

use ropey::Rope;
use tower_lsp_server::ls_types::{
    DidChangeTextDocumentParams, DidCloseTextDocumentParams, DidOpenTextDocumentParams,
};

use crate::server::convert;
use crate::server::state::{Document, Shared};

pub(crate) fn did_open(shared: &Arc<Shared>, params: DidOpenTextDocumentParams) {
    let doc = params.text_document;
    let mut state = shared.lock();
    let file = convert::uri_to_path(&doc.uri).and_then(|path| state.locate_or_add_root(&path));
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
