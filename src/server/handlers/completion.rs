//! `textDocument/completion`: IDs in dependency fields, field values,
//! personas, field names, sections and the next task, each with a text edit
//! that replaces the partly typed word.

use std::cell::OnceCell;
use std::sync::Arc;

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{
    CompletionItem, CompletionItemKind, CompletionItemTag, CompletionList, CompletionParams,
    CompletionResponse, CompletionTextEdit, Documentation, InsertTextFormat, MarkupContent,
    MarkupKind, TextEdit,
};

use crate::analysis::features::completion::{self, Completion, CompletionKind};
use crate::analysis::model::ItemKind;
use crate::server::handlers::request::{on_file, FileCtx};
use crate::server::state::Shared;

pub(crate) async fn completion(
    shared: &Arc<Shared>,
    params: CompletionParams,
) -> Result<Option<CompletionResponse>> {
    let at = params.text_document_position;
    on_file(shared, at.text_document.uri, move |ctx| {
        let offset = ctx.offset(at.position);
        // The plan is made only where the candidates need it.
        let derived = OnceCell::new();
        let found = completion::completion_lazy(ctx.ws(), ctx.rel, offset, || {
            derived.get_or_init(|| ctx.derived()).as_deref()
        });
        if found.items.is_empty() {
            return None;
        }
        Some(CompletionResponse::List(CompletionList {
            // Before the index, IDs in files not read yet are missing.
            is_incomplete: found.incomplete || !ctx.indexed,
            items: found.items.into_iter().map(|c| item(ctx, c)).collect(),
        }))
    })
    .await
}

fn item(ctx: &FileCtx<'_>, c: Completion) -> CompletionItem {
    let (new_text, format) = match c.snippet {
        Some(snippet) if ctx.caps.snippets => (snippet, InsertTextFormat::SNIPPET),
        _ => (c.insert, InsertTextFormat::PLAIN_TEXT),
    };
    let detail = match (c.closes_cycle, c.detail) {
        (true, Some(detail)) => Some(format!("⚠ closes a cycle · {detail}")),
        (true, None) => Some("⚠ closes a cycle".to_string()),
        (false, detail) => detail,
    };
    CompletionItem {
        label: c.label,
        kind: Some(kind(c.kind)),
        detail,
        documentation: c.documentation.map(|value| {
            Documentation::MarkupContent(MarkupContent {
                kind: MarkupKind::Markdown,
                value,
            })
        }),
        // Struck out in most editors.
        tags: c.closes_cycle.then(|| vec![CompletionItemTag::DEPRECATED]),
        sort_text: Some(c.sort_text),
        filter_text: Some(c.filter_text),
        insert_text_format: Some(format),
        text_edit: Some(CompletionTextEdit::Edit(TextEdit {
            range: ctx.range(c.range),
            new_text,
        })),
        ..CompletionItem::default()
    }
}

fn kind(kind: CompletionKind) -> CompletionItemKind {
    match kind {
        CompletionKind::Item(ItemKind::Issue) => CompletionItemKind::REFERENCE,
        CompletionKind::Item(ItemKind::Story) => CompletionItemKind::MODULE,
        CompletionKind::Item(ItemKind::Task) => CompletionItemKind::EVENT,
        CompletionKind::Item(ItemKind::Milestone) => CompletionItemKind::CONSTANT,
        CompletionKind::Item(ItemKind::Requirement) => CompletionItemKind::INTERFACE,
        CompletionKind::Item(ItemKind::Criterion) => CompletionItemKind::PROPERTY,
        CompletionKind::Item(ItemKind::Feature) => CompletionItemKind::FOLDER,
        CompletionKind::Item(ItemKind::Epic) => CompletionItemKind::MODULE,
        CompletionKind::Item(ItemKind::Phase) => CompletionItemKind::ENUM,
        CompletionKind::Item(ItemKind::Plan) => CompletionItemKind::STRUCT,
        CompletionKind::Item(ItemKind::Change) => CompletionItemKind::EVENT,
        CompletionKind::Value => CompletionItemKind::ENUM_MEMBER,
        CompletionKind::Persona => CompletionItemKind::TEXT,
        CompletionKind::Field => CompletionItemKind::FIELD,
        CompletionKind::Section => CompletionItemKind::KEYWORD,
        CompletionKind::Task => CompletionItemKind::SNIPPET,
    }
}
