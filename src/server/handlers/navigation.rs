//! Navigation: `textDocument/definition`, `textDocument/references` and
//! `textDocument/documentLink` (a link on every reference that names a
//! known item, to the line of its definition).

use std::sync::Arc;

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{
    DocumentLink, DocumentLinkParams, GotoDefinitionParams, GotoDefinitionResponse, Location,
    LocationLink, ReferenceParams, Uri,
};

use crate::analysis::features::{navigation, FileRange};
use crate::server::handlers::request::{file_range, on_file, on_indexed_file, READ_WAIT};
use crate::server::state::Shared;

pub(crate) async fn definition(
    shared: &Arc<Shared>,
    params: GotoDefinitionParams,
) -> Result<Option<GotoDefinitionResponse>> {
    let at = params.text_document_position_params;
    on_indexed_file(shared, at.text_document.uri, READ_WAIT, move |ctx| {
        let found = navigation::definition(ctx.ws(), ctx.rel, ctx.offset(at.position))?;
        if ctx.caps.definition_links {
            let origin = ctx.range(found.origin);
            let links: Vec<LocationLink> = found
                .targets
                .iter()
                .filter_map(|t| {
                    let file = ctx.ws().file(&t.rel)?;
                    Some(LocationLink {
                        origin_selection_range: Some(origin),
                        target_uri: ctx.uri_of(&t.rel)?,
                        target_range: file_range(file, t.range, ctx.enc),
                        target_selection_range: file_range(file, t.focus, ctx.enc),
                    })
                })
                .collect();
            return Some(GotoDefinitionResponse::Link(links));
        }
        let locations: Vec<Location> = found
            .targets
            .iter()
            .filter_map(|t| {
                ctx.location(&FileRange {
                    rel: t.rel.clone(),
                    range: t.focus,
                })
            })
            .collect();
        Some(match <[Location; 1]>::try_from(locations) {
            Ok([one]) => GotoDefinitionResponse::Scalar(one),
            Err(many) => GotoDefinitionResponse::Array(many),
        })
    })
    .await
}

pub(crate) async fn references(
    shared: &Arc<Shared>,
    params: ReferenceParams,
) -> Result<Option<Vec<Location>>> {
    let at = params.text_document_position;
    let include_declaration = params.context.include_declaration;
    on_indexed_file(shared, at.text_document.uri, READ_WAIT, move |ctx| {
        let derived = ctx.derived()?;
        let offset = ctx.offset(at.position);
        let found =
            navigation::references(ctx.ws(), &derived, ctx.rel, offset, include_declaration);
        Some(found.iter().filter_map(|r| ctx.location(r)).collect())
    })
    .await
}

pub(crate) async fn document_links(
    shared: &Arc<Shared>,
    params: DocumentLinkParams,
) -> Result<Option<Vec<DocumentLink>>> {
    on_file(shared, params.text_document.uri, move |ctx| {
        let links = navigation::document_links(ctx.ws(), ctx.rel);
        let out = links
            .into_iter()
            .filter_map(|link| {
                let target_file = ctx.ws().file(&link.target.rel)?;
                let line = target_file.line_index().line_of(link.target.range.start()) + 1;
                let uri = ctx.uri_of(&link.target.rel)?;
                let target: Uri = format!("{}#L{line}", uri.as_str()).parse().ok()?;
                let title = ctx
                    .ws()
                    .item(&link.id)
                    .map(|(_, item)| item.title.clone())
                    .unwrap_or_default();
                let tooltip = if title.is_empty() {
                    link.id
                } else {
                    format!("{} · {title}", link.id)
                };
                Some(DocumentLink {
                    range: ctx.range(link.range),
                    target: Some(target),
                    tooltip: Some(tooltip),
                    data: None,
                })
            })
            .collect();
        Some(out)
    })
    .await
}
