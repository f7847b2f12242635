//! `textDocument/foldingRange`: sections, tasks, the index table, code
//! blocks and comments, by line.

use std::sync::Arc;

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{FoldingRange, FoldingRangeKind, FoldingRangeParams};

use crate::analysis::features::folding::{self, FoldKind};
use crate::server::handlers::request::on_file;
use crate::server::state::Shared;

pub(crate) async fn folding_ranges(
    shared: &Arc<Shared>,
    params: FoldingRangeParams,
) -> Result<Option<Vec<FoldingRange>>> {
    on_file(shared, params.text_document.uri, move |ctx| {
        let lines = ctx.file.line_index();
        let mut out: Vec<FoldingRange> = folding::folding_ranges(ctx.ws(), ctx.rel)
            .into_iter()
            .filter_map(|fold| {
                let start = lines.line_of(fold.range.start()) as u32;
                let end = lines.line_of(fold.range.end()) as u32;
                (end > start).then(|| FoldingRange {
                    start_line: start,
                    end_line: end,
                    kind: Some(match fold.kind {
                        FoldKind::Region => FoldingRangeKind::Region,
                        FoldKind::Comment => FoldingRangeKind::Comment,
                    }),
                    ..FoldingRange::default()
                })
            })
            .collect();
        // Folds are by line: two that cover the same lines are one.
        out.dedup_by(|b, a| a.start_line == b.start_line && a.end_line == b.end_line);
        Some(out)
    })
    .await
}
