//! `textDocument/documentSymbol` (a tree when the client takes one, else a
//! flat list) and `workspace/symbol` (every item, fuzzy-matched).

use std::sync::Arc;

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{
    DocumentSymbol, DocumentSymbolParams, DocumentSymbolResponse, Location, Range,
    SymbolInformation, SymbolKind, Uri, WorkspaceSymbolParams, WorkspaceSymbolResponse,
};

use crate::analysis::features::symbols::{self, Symbol, SymbolKind as Kind};
use crate::analysis::model::ItemKind;
use crate::server::handlers::request::on_file;
use crate::server::handlers::request::{blocking, file_range, still_indexing, FileCtx, READ_WAIT};
use crate::server::state::{FileId, Shared};

pub(crate) async fn document_symbols(
    shared: &Arc<Shared>,
    params: DocumentSymbolParams,
) -> Result<Option<DocumentSymbolResponse>> {
    let uri = params.text_document.uri;
    on_file(shared, uri.clone(), move |ctx| {
        let found = symbols::document_symbols(ctx.ws(), ctx.rel);
        if ctx.caps.hierarchical_symbols {
            let tree = found.into_iter().map(|s| tree(ctx, s)).collect();
            return Some(DocumentSymbolResponse::Nested(tree));
        }
        let mut flat = Vec::new();
        for s in found {
            flatten(ctx, &uri, s, None, &mut flat);
        }
        Some(DocumentSymbolResponse::Flat(flat))
    })
    .await
}

#[allow(deprecated)]
fn tree(ctx: &FileCtx<'_>, s: Symbol) -> DocumentSymbol {
    let range = ctx.range(s.range);
    DocumentSymbol {
        name: s.name,
        detail: s.detail,
        kind: kind(s.kind),
        tags: None,
        deprecated: None,
        selection_range: inside(ctx.range(s.selection_range), range),
        range,
        children: (!s.children.is_empty())
            .then(|| s.children.into_iter().map(|c| tree(ctx, c)).collect()),
    }
}

/// Clients refuse a symbol whose selection is not inside its range.
fn inside(selection: Range, range: Range) -> Range {
    let within = |p| range.start <= p && p <= range.end;
    if within(selection.start) && within(selection.end) {
        selection
    } else {
        Range::new(range.start, range.start)
    }
}

#[allow(deprecated)]
fn flatten(
    ctx: &FileCtx<'_>,
    uri: &Uri,
    s: Symbol,
    container: Option<&str>,
    out: &mut Vec<SymbolInformation>,
) {
    out.push(SymbolInformation {
        name: s.name.clone(),
        kind: kind(s.kind),
        tags: None,
        deprecated: None,
        location: Location::new(uri.clone(), ctx.range(s.range)),
        container_name: container.map(str::to_string),
    });
    for child in s.children {
        flatten(ctx, uri, child, Some(&s.name), out);
    }
}

fn kind(kind: Kind) -> SymbolKind {
    match kind {
        Kind::Item(item) => item_kind(item),
        Kind::Section => SymbolKind::NAMESPACE,
        Kind::Criterion => SymbolKind::BOOLEAN,
        Kind::IndexRow => SymbolKind::FIELD,
    }
}

fn item_kind(kind: ItemKind) -> SymbolKind {
    match kind {
        ItemKind::Issue => SymbolKind::CLASS,
        ItemKind::Story => SymbolKind::MODULE,
        ItemKind::Task => SymbolKind::METHOD,
        ItemKind::Milestone => SymbolKind::PACKAGE,
        ItemKind::Requirement => SymbolKind::INTERFACE,
        ItemKind::Criterion => SymbolKind::PROPERTY,
        ItemKind::Feature => SymbolKind::NAMESPACE,
        ItemKind::Epic => SymbolKind::MODULE,
        ItemKind::Phase => SymbolKind::ENUM,
        ItemKind::Plan => SymbolKind::STRUCT,
        ItemKind::Change => SymbolKind::EVENT,
    }
}

/// Matches in every root, best first within each root.
#[allow(deprecated)]
pub(crate) async fn workspace_symbols(
    shared: &Arc<Shared>,
    params: WorkspaceSymbolParams,
) -> Result<Option<WorkspaceSymbolResponse>> {
    let snapshot = shared
        .all_indexed_snapshot(READ_WAIT)
        .await
        .map_err(|_| still_indexing())?;
    blocking(move || {
        let mut out = Vec::new();
        for (root_id, root) in snapshot.roots.iter().enumerate() {
            for s in symbols::workspace_symbols(&root.ws, &params.query) {
                let Some(file) = root.ws.file(&s.rel) else {
                    continue;
                };
                let Some(uri) = snapshot.uri(&FileId {
                    root: root_id,
                    rel: s.rel.clone(),
                }) else {
                    continue;
                };
                out.push(SymbolInformation {
                    name: s.name,
                    kind: item_kind(s.kind),
                    tags: None,
                    deprecated: None,
                    location: Location::new(uri, file_range(file, s.range, snapshot.encoding)),
                    container_name: Some(s.container),
                });
            }
        }
        out.truncate(symbols::WORKSPACE_LIMIT);
        Some(WorkspaceSymbolResponse::Flat(out))
    })
    .await
}
