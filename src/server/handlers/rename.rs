//! `textDocument/prepareRename` and `textDocument/rename`: every reference
//! in every file and the index row are rewritten, and the or
//! story's file is renamed when the client can rename files through a
//! workspace edit; otherwise the user is told to rename it.

use std::collections::HashMap;
use std::sync::Arc;

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{
    DocumentChangeOperation, DocumentChanges, MessageType, OneOf,
    OptionalVersionedTextDocumentIdentifier, PrepareRenameResponse, RenameFile, RenameParams,
    ResourceOp, TextDocumentEdit, TextDocumentPositionParams, TextEdit, Uri, WorkspaceEdit,
};

use crate::analysis::features::rename::{self, RenameEdit};
use crate::server::handlers::request::{failed, file_range, on_indexed_file, FileCtx, WRITE_WAIT};
use crate::server::state::{FileId, Shared};

pub(crate) async fn prepare_rename(
    shared: &Arc<Shared>,
    params: TextDocumentPositionParams,
) -> Result<Option<PrepareRenameResponse>> {
    let answer = on_indexed_file(shared, params.text_document.uri, WRITE_WAIT, move |ctx| {
        let offset = ctx.offset(params.position);
        Some(
            rename::prepare_rename(ctx.ws(), ctx.rel, offset).map(|found| {
                found.map(|(range, id)| PrepareRenameResponse::RangeWithPlaceholder {
                    range: ctx.range(range),
                    placeholder: id,
                })
            }),
        )
    })
    .await?;
    // An ID that cannot be renamed is an error with the reason, which the
    // client shows; `null` would only say that nothing here can be renamed.
    match answer {
        None => Ok(None),
        Some(found) => found.map_err(failed),
    }
}

/// What a rename answers, and what to tell the user besides.
struct Answer {
    edit: WorkspaceEdit,
    /// Files that should have been renamed but could not be.
    not_renamed: Vec<(String, String)>,
}

pub(crate) async fn rename(
    shared: &Arc<Shared>,
    params: RenameParams,
) -> Result<Option<WorkspaceEdit>> {
    let at = params.text_document_position;
    let new_name = params.new_name;
    let answer = on_indexed_file(shared, at.text_document.uri, WRITE_WAIT, move |ctx| {
        let Some(rules_ctx) = ctx.root.ctx.as_ref() else {
            return Some(Err("the workspace is not analysed yet".to_string()));
        };
        let offset = ctx.offset(at.position);
        Some(
            rename::rename(ctx.ws(), rules_ctx, ctx.rel, offset, &new_name)
                .map(|edit| workspace_edit(ctx, edit)),
        )
    })
    .await?;
    match answer {
        None => Err(failed("there is no planning file here to rename in")),
        Some(Err(message)) => Err(failed(message)),
        Some(Ok(answer)) => {
            for (old, new) in &answer.not_renamed {
                shared.show(
                    MessageType::WARNING,
                    format!(
                        "planmark updated every reference, but your editor cannot rename files through the language server: rename `{old}` to `{new}` yourself"
                    ),
                );
            }
            Ok(Some(answer.edit))
        }
    }
}

fn workspace_edit(ctx: &FileCtx<'_>, edit: RenameEdit) -> Answer {
    let mut by_file: Vec<(String, Vec<TextEdit>)> = Vec::new();
    for e in edit.edits {
        let Some(file) = ctx.ws().file(&e.rel) else {
            continue;
        };
        let text_edit = TextEdit::new(file_range(file, e.range, ctx.enc), e.new_text);
        match by_file.last_mut() {
            Some((rel, edits)) if *rel == e.rel => edits.push(text_edit),
            _ => by_file.push((e.rel, vec![text_edit])),
        }
    }
    let mut not_renamed = Vec::new();
    let mut renames = Vec::new();
    for r in edit.file_renames {
        let (Some(old_uri), Some(new_uri)) = (ctx.uri_of(&r.old_rel), disk_uri(ctx, &r.new_rel))
        else {
            continue;
        };
        if ctx.caps.rename_files {
            renames.push(DocumentChangeOperation::Op(ResourceOp::Rename(
                RenameFile {
                    old_uri,
                    new_uri,
                    options: None,
                    annotation_id: None,
                },
            )));
        } else {
            not_renamed.push((r.old_rel, r.new_rel));
        }
    }
    // A rename operation lives in `documentChanges`; a client announcing
    // the operation applies them even without `documentChanges: true`.
    let edit = if ctx.caps.document_changes || !renames.is_empty() {
        let mut changes: Vec<DocumentChangeOperation> = by_file
            .into_iter()
            .filter_map(|(rel, edits)| {
                let file = FileId {
                    root: ctx.root_id,
                    rel,
                };
                let version = ctx.snapshot.open.get(&file).and_then(|(_, v)| *v);
                Some(DocumentChangeOperation::Edit(TextDocumentEdit {
                    text_document: OptionalVersionedTextDocumentIdentifier {
                        uri: ctx.snapshot.uri(&file)?,
                        version,
                    },
                    edits: edits.into_iter().map(OneOf::Left).collect(),
                }))
            })
            .collect();
        // The text edits address the files under their old names.
        changes.extend(renames);
        WorkspaceEdit {
            document_changes: Some(DocumentChanges::Operations(changes)),
            ..WorkspaceEdit::default()
        }
    } else {
        let changes: HashMap<Uri, Vec<TextEdit>> = by_file
            .into_iter()
            .filter_map(|(rel, edits)| Some((ctx.uri_of(&rel)?, edits)))
            .collect();
        WorkspaceEdit {
            changes: Some(changes),
            ..WorkspaceEdit::default()
        }
    };
    Answer { edit, not_renamed }
}

/// The `file:` URI of a path of the root (a file that does not exist yet).
fn disk_uri(ctx: &FileCtx<'_>, rel: &str) -> Option<Uri> {
    crate::server::convert::path_to_uri(&ctx.root.path.join(rel))
}
