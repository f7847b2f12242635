//! `textDocument/semanticTokens/full` and `/range`: references to known
//! items (`variable`), dangling ones (`variable` with the custom
//! `dangling` modifier) and field labels (`property`).

use std::sync::Arc;

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{
    SemanticToken, SemanticTokens, SemanticTokensParams, SemanticTokensRangeParams,
    SemanticTokensRangeResult, SemanticTokensResult,
};

use crate::analysis::features::semantic::{self, TokenKind};
use crate::analysis::text::TextRange;
use crate::server::handlers::request::{on_file, FileCtx};
use crate::server::state::Shared;

use crate::server::capabilities::{
    MODIFIER_DANGLING as DANGLING, TOKEN_FIELD_LABEL as FIELD_LABEL, TOKEN_REFERENCE as REFERENCE,
};

pub(crate) async fn full(
    shared: &Arc<Shared>,
    params: SemanticTokensParams,
) -> Result<Option<SemanticTokensResult>> {
    let tokens = on_file(shared, params.text_document.uri, |ctx| {
        Some(encode(ctx, None))
    })
    .await?;
    Ok(tokens.map(SemanticTokensResult::Tokens))
}

pub(crate) async fn range(
    shared: &Arc<Shared>,
    params: SemanticTokensRangeParams,
) -> Result<Option<SemanticTokensRangeResult>> {
    let tokens = on_file(shared, params.text_document.uri, move |ctx| {
        Some(encode(ctx, Some(ctx.text_range(params.range))))
    })
    .await?;
    Ok(tokens.map(SemanticTokensRangeResult::Tokens))
}

/// The file's tokens (those overlapping `within`), relative to each other
/// as the protocol wants them.
fn encode(ctx: &FileCtx<'_>, within: Option<TextRange>) -> SemanticTokens {
    let mut data = Vec::new();
    let (mut line, mut start) = (0, 0);
    for token in semantic::semantic_tokens(ctx.ws(), ctx.rel) {
        if within.is_some_and(|w| token.range.end() <= w.start() || token.range.start() >= w.end())
        {
            continue;
        }
        let range = ctx.range(token.range);
        if range.start.line != range.end.line || range.end.character <= range.start.character {
            continue;
        }
        let (token_type, modifiers) = match token.kind {
            TokenKind::Reference => (REFERENCE, 0),
            // Before the index, an ID not found may be in a file not read.
            TokenKind::DanglingReference if !ctx.indexed => (REFERENCE, 0),
            TokenKind::DanglingReference => (REFERENCE, DANGLING),
            TokenKind::FieldLabel => (FIELD_LABEL, 0),
        };
        let delta_line = range.start.line - line;
        let delta_start = if delta_line == 0 {
            range.start.character - start
        } else {
            range.start.character
        };
        data.push(SemanticToken {
            delta_line,
            delta_start,
            length: range.end.character - range.start.character,
            token_type,
            token_modifiers_bitset: modifiers,
        });
        line = range.start.line;
        start = range.start.character;
    }
    SemanticTokens {
        result_id: None,
        data,
    }
}
