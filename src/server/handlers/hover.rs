//! `textDocument/hover`: on a reference or an item's own title, what the
//! item is and where it stands, as markdown.

use std::sync::Arc;

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{Hover, HoverContents, HoverParams, MarkupContent, MarkupKind};

use crate::analysis::features::hover;
use crate::server::handlers::request::{on_indexed_file, READ_WAIT};
use crate::server::state::Shared;

pub(crate) async fn hover(shared: &Arc<Shared>, params: HoverParams) -> Result<Option<Hover>> {
    let at = params.text_document_position_params;
    on_indexed_file(shared, at.text_document.uri, READ_WAIT, move |ctx| {
        let derived = ctx.derived()?;
        let found = hover::hover(ctx.ws(), &derived, ctx.rel, ctx.offset(at.position))?;
        Some(Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value: found.markdown,
            }),
            range: Some(ctx.range(found.range)),
        })
    })
    .await
}
