//! `textDocument/inlayHint`: after each dependency, the status of what it
//! names (`✓ done`, `backlog`, `⚠ missing`).

use std::sync::Arc;

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{InlayHint, InlayHintLabel, InlayHintParams, InlayHintTooltip};

use crate::analysis::features::inlay;
use crate::server::handlers::request::on_file;
use crate::server::state::Shared;

pub(crate) async fn inlay_hints(
    shared: &Arc<Shared>,
    params: InlayHintParams,
) -> Result<Option<Vec<InlayHint>>> {
    on_file(shared, params.text_document.uri, move |ctx| {
        // Before the index, a dependency not read yet would show as
        // missing; the client is asked to refresh after indexing.
        if !ctx.indexed {
            return None;
        }
        let derived = ctx.derived()?;
        let within = ctx.text_range(params.range);
        let hints = inlay::inlay_hints(ctx.ws(), &derived, ctx.rel, Some(within));
        let out = hints
            .into_iter()
            .map(|h| InlayHint {
                position: ctx
                    .range(crate::analysis::text::TextRange::empty(h.offset))
                    .start,
                label: InlayHintLabel::String(h.label),
                kind: None,
                text_edits: None,
                tooltip: Some(InlayHintTooltip::String(h.ids.join(", "))),
                padding_left: Some(true),
                padding_right: None,
                data: None,
            })
            .collect();
        Some(out)
    })
    .await
}
