//! `textDocument/codeAction`: the splits and quick fixes of
//! `analysis::actions`, converted to LSP workspace edits. A client that
//! cannot create or move files gets the actions that need it as
//! `planmark.applyChanges` commands, which the server carries out itself
//! (see `execute_command`).

use std::collections::HashMap;
use std::sync::Arc;

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{
    self as lsp, CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams,
    CodeActionResponse, Command, CreateFile, CreateFileOptions, DocumentChangeOperation,
    DocumentChanges, OneOf, OptionalVersionedTextDocumentIdentifier, RenameFile, RenameFileOptions,
    ResourceOp, TextDocumentEdit, TextEdit, Uri, WorkspaceEdit,
};

use crate::analysis::actions::{self, Action, ActionKind, Change};
use crate::analysis::config::CONFIG_FILE_NAME;
use crate::analysis::rules::Context;
use crate::analysis::text::{LineIndex, TextRange};
use crate::analysis::workspace::Workspace;
use crate::server::capabilities::ClientCaps;
use crate::server::convert::{self, Encoding};
use crate::server::handlers::execute_command::{ApplyArgs, DiskOp, APPLY_COMMAND};
use crate::server::state::{FileId, Shared, Snapshot};

/// How long a code action request waits for its root's first index; until
/// then no action is offered.
const ACTION_WAIT: std::time::Duration = std::time::Duration::from_secs(3);

pub(crate) async fn code_action(
    shared: &Arc<Shared>,
    params: CodeActionParams,
) -> Result<Option<CodeActionResponse>> {
    // An action planned on a half-read workspace would pick taken numbers
    // and miss dependents: wait for the index, and offer none meanwhile.
    let Ok(snapshot) = shared
        .indexed_snapshot(&params.text_document.uri, ACTION_WAIT)
        .await
    else {
        return Ok(None);
    };
    let Some(file) = snapshot.locate(&params.text_document.uri) else {
        return Ok(None);
    };
    let caps = shared.lock().caps.clone();
    let answer =
        tokio::task::spawn_blocking(move || actions_for(&snapshot, &file, &params, &caps)).await;
    Ok(answer.unwrap_or_else(|err| {
        tracing::error!("code actions failed: {err}");
        None
    }))
}

/// The resource operations the client applies in a workspace edit.
#[derive(Clone, Copy, Debug)]
struct FileOps {
    create: bool,
    rename: bool,
}

impl FileOps {
    /// Whether the client can apply every file operation of `action`
    /// itself; otherwise the action becomes a `planmark.applyChanges`
    /// command.
    fn can_apply(self, action: &Action) -> bool {
        action.changes.iter().all(|change| match change {
            Change::CreateFile { .. } => self.create,
            Change::RenameFile { .. } => self.rename,
            Change::Edit { .. } => true,
        })
    }
}

/// Whether the client's `only` filter admits a kind (kinds are
/// hierarchical: `source.fixAll` admits `source.fixAll.planmark`).
fn admits(only: Option<&Vec<CodeActionKind>>, kind: &str, by_default: bool) -> bool {
    match only {
        None => by_default,
        Some(kinds) => kinds.iter().any(|k| {
            let k = k.as_str();
            kind == k || kind.starts_with(&format!("{k}."))
        }),
    }
}

fn actions_for(
    snapshot: &Arc<Snapshot>,
    file: &FileId,
    params: &CodeActionParams,
    caps: &ClientCaps,
) -> Option<CodeActionResponse> {
    let root = snapshot.roots.get(file.root)?;
    let ws = &root.ws;
    let source = ws.file(&file.rel)?;
    let enc = snapshot.encoding;
    let ctx = root
        .ctx
        .clone()
        .unwrap_or_else(|| Arc::new(Context::new(ws)));
    let start = convert::offset(&source.text, source.line_index(), params.range.start, enc);
    let end = convert::offset(&source.text, source.line_index(), params.range.end, enc).max(start);
    let only = params.context.only.as_ref();
    let mut found: Vec<Action> =
        actions::code_actions(ws, &ctx, &file.rel, TextRange::new(start, end))
            .into_iter()
            .filter(|a| admits(only, a.kind.lsp_name(), true))
            .collect();
    if admits(only, ActionKind::FixAll.lsp_name(), false) {
        found.extend(actions::fix_all(ws, &ctx, &file.rel));
    }
    let out: Vec<CodeActionOrCommand> = found
        .iter()
        .filter_map(|action| {
            to_lsp(
                snapshot,
                file,
                ws,
                action,
                enc,
                caps,
                &params.context.diagnostics,
            )
        })
        .collect();
    Some(out)
}

/// The URI of a file of the root, existing or new.
fn uri_of(snapshot: &Snapshot, root: usize, rel: &str) -> Option<Uri> {
    snapshot.uri(&FileId {
        root,
        rel: rel.to_string(),
    })
}

fn text_edits(
    ws: &Workspace,
    rel: &str,
    edits: &[(TextRange, String)],
    enc: Encoding,
) -> Option<Vec<TextEdit>> {
    // `planmark.toml` is no planning file: its text is the configuration's.
    let config_index;
    let (text, line_index) = match ws.file(rel) {
        Some(file) => (&*file.text, file.line_index()),
        None if rel == CONFIG_FILE_NAME => {
            let text = ws.config().source.as_deref()?;
            config_index = LineIndex::new(text);
            (text, &config_index)
        }
        None => return None,
    };
    Some(
        edits
            .iter()
            .map(|(range, new_text)| TextEdit {
                range: convert::range(text, line_index, *range, enc),
                new_text: new_text.clone(),
            })
            .collect(),
    )
}

/// The version of the open document a file is, as analysed; `None` for a
/// file that is not open (its text is the disk's).
fn open_version(snapshot: &Snapshot, root: usize, rel: &str) -> Option<i32> {
    let file = FileId {
        root,
        rel: rel.to_string(),
    };
    snapshot.open.get(&file).and_then(|(_, version)| *version)
}

fn document_edit(uri: Uri, version: Option<i32>, edits: Vec<TextEdit>) -> DocumentChangeOperation {
    DocumentChangeOperation::Edit(TextDocumentEdit {
        text_document: OptionalVersionedTextDocumentIdentifier { uri, version },
        edits: edits.into_iter().map(OneOf::Left).collect(),
    })
}

fn to_lsp(
    snapshot: &Snapshot,
    file: &FileId,
    ws: &Workspace,
    action: &Action,
    enc: Encoding,
    caps: &ClientCaps,
    context: &[lsp::Diagnostic],
) -> Option<CodeActionOrCommand> {
    let file_ops = FileOps {
        create: caps.create_files,
        rename: caps.rename_files,
    };
    let root = file.root;
    let diagnostics = action.fixes.and_then(|(rule, range)| {
        let source = ws.file(&file.rel)?;
        let range = convert::range(&source.text, source.line_index(), range, enc);
        let matching: Vec<lsp::Diagnostic> = context
            .iter()
            .filter(|d| {
                d.range == range && d.code == Some(lsp::NumberOrString::String(rule.to_string()))
            })
            .cloned()
            .collect();
        (!matching.is_empty()).then_some(matching)
    });
    let kind = Some(CodeActionKind::new(action.kind.lsp_name()));
    if action.has_file_operations() && !file_ops.can_apply(action) {
        let args = command_args(snapshot, root, ws, action, enc)?;
        return Some(CodeActionOrCommand::CodeAction(CodeAction {
            title: action.title.clone(),
            kind,
            diagnostics,
            is_preferred: action.is_preferred.then_some(true),
            command: Some(Command {
                title: action.title.clone(),
                command: APPLY_COMMAND.to_string(),
                arguments: Some(vec![serde_json::to_value(args).ok()?]),
            }),
            ..CodeAction::default()
        }));
    }
    // Edits to open documents name the version they were computed from,
    // so a client applies none of a stale action (`documentChanges` is the
    // only form that can say so).
    let edit = if action.has_file_operations() || caps.document_changes {
        let mut ops = Vec::new();
        for change in &action.changes {
            if let Change::Edit { rel, edits } = change {
                ops.push(document_edit(
                    uri_of(snapshot, root, rel)?,
                    open_version(snapshot, root, rel),
                    text_edits(ws, rel, edits, enc)?,
                ));
            }
        }
        for change in &action.changes {
            if let Change::RenameFile { from, to } = change {
                ops.push(DocumentChangeOperation::Op(ResourceOp::Rename(
                    RenameFile {
                        old_uri: uri_of(snapshot, root, from)?,
                        new_uri: uri_of(snapshot, root, to)?,
                        options: Some(RenameFileOptions {
                            overwrite: Some(false),
                            ignore_if_exists: Some(false),
                        }),
                        annotation_id: None,
                    },
                )));
            }
        }
        for change in &action.changes {
            if let Change::CreateFile { rel, text } = change {
                let uri = uri_of(snapshot, root, rel)?;
                ops.push(DocumentChangeOperation::Op(ResourceOp::Create(
                    CreateFile {
                        uri: uri.clone(),
                        options: Some(CreateFileOptions {
                            overwrite: Some(false),
                            ignore_if_exists: Some(false),
                        }),
                        annotation_id: None,
                    },
                )));
                ops.push(document_edit(
                    uri,
                    None,
                    vec![TextEdit {
                        range: lsp::Range::default(),
                        new_text: text.clone(),
                    }],
                ));
            }
        }
        WorkspaceEdit {
            document_changes: Some(DocumentChanges::Operations(ops)),
            ..WorkspaceEdit::default()
        }
    } else {
        plain_edit(snapshot, root, ws, &action.changes, enc)?
    };
    Some(CodeActionOrCommand::CodeAction(CodeAction {
        title: action.title.clone(),
        kind,
        diagnostics,
        edit: Some(edit),
        is_preferred: action.is_preferred.then_some(true),
        ..CodeAction::default()
    }))
}

/// The text edits of `changes` as a plain `changes` map (every client
/// supports it); file operations are left out.
fn plain_edit(
    snapshot: &Snapshot,
    root: usize,
    ws: &Workspace,
    changes: &[Change],
    enc: Encoding,
) -> Option<WorkspaceEdit> {
    let mut map: HashMap<Uri, Vec<TextEdit>> = HashMap::new();
    for change in changes {
        if let Change::Edit { rel, edits } = change {
            map.entry(uri_of(snapshot, root, rel)?)
                .or_default()
                .extend(text_edits(ws, rel, edits, enc)?);
        }
    }
    Some(WorkspaceEdit {
        changes: Some(map),
        ..WorkspaceEdit::default()
    })
}

/// What the server does on disk for a client without file operations: new
/// and moved files (a moved file with its edits applied), then the other
/// text edits through `workspace/applyEdit`.
fn command_args(
    snapshot: &Snapshot,
    root: usize,
    ws: &Workspace,
    action: &Action,
    enc: Encoding,
) -> Option<ApplyArgs> {
    let mut ops = Vec::new();
    let renamed: Vec<&str> = action
        .changes
        .iter()
        .filter_map(|c| match c {
            Change::RenameFile { from, .. } => Some(from.as_str()),
            _ => None,
        })
        .collect();
    let mut rest = Vec::new();
    for change in &action.changes {
        match change {
            Change::CreateFile { rel, text } => ops.push(DiskOp::Create {
                rel: rel.clone(),
                text: text.clone(),
            }),
            Change::RenameFile { from, to } => {
                let edits: Vec<(TextRange, String)> = action
                    .changes
                    .iter()
                    .filter_map(|c| match c {
                        Change::Edit { rel, edits } if rel == from => Some(edits.clone()),
                        _ => None,
                    })
                    .flatten()
                    .collect();
                let before = ws.file(from)?.text.to_string();
                let after = if edits.is_empty() {
                    None
                } else {
                    Some(actions::apply::apply_edits(&before, &edits).ok()?)
                };
                ops.push(DiskOp::Rename {
                    from: from.clone(),
                    to: to.clone(),
                    expected: after.as_ref().map(|_| before),
                    text: after,
                });
            }
            Change::Edit { rel, .. } if !renamed.contains(&rel.as_str()) => {
                rest.push(change.clone())
            }
            Change::Edit { .. } => {}
        }
    }
    Some(ApplyArgs {
        root: snapshot.roots.get(root)?.path.clone(),
        ops,
        edit: if rest.is_empty() {
            None
        } else {
            Some(plain_edit(snapshot, root, ws, &rest, enc)?)
        },
    })
}
