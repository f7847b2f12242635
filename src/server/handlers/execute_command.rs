//! `workspace/executeCommand` for `planmark.applyChanges`: the file
//! operations of a code action for clients that cannot create or move
//! files. The server creates and moves the files itself, never overwriting
//! one and never writing outside the workspace root (nor through a
//! symlink), then asks the client to apply the text edits with
//! `workspace/applyEdit`. When the client does not apply them, or an
//! operation fails part way, the operations made are undone: the command
//! changes everything or nothing.

use std::path::PathBuf;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::{ExecuteCommandParams, LSPAny, MessageType, WorkspaceEdit};

use crate::server::handlers::request::failed;
use crate::server::state::Shared;

/// The command that carries out a code action's file operations.
pub(crate) use crate::server::capabilities::APPLY_COMMAND;

/// The command's one argument.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct ApplyArgs {
    /// The workspace root every path is relative to.
    pub(crate) root: PathBuf,
    pub(crate) ops: Vec<DiskOp>,
    /// The text edits of files that are not moved.
    pub(crate) edit: Option<WorkspaceEdit>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "camelCase")]
pub(crate) enum DiskOp {
    Create {
        rel: String,
        text: String,
    },
    /// A move; with `text`, the moved file's new text, made from
    /// `expected` (the file must still read so).
    Rename {
        from: String,
        to: String,
        expected: Option<String>,
        text: Option<String>,
    },
}

pub(crate) async fn execute_command(
    shared: &Arc<Shared>,
    params: ExecuteCommandParams,
) -> Result<Option<LSPAny>> {
    if params.command != APPLY_COMMAND {
        return Err(Error::invalid_params(format!(
            "unknown command `{}`",
            params.command
        )));
    }
    let args: ApplyArgs = params
        .arguments
        .into_iter()
        .next()
        .and_then(|a| serde_json::from_value(a).ok())
        .ok_or_else(|| Error::invalid_params("`planmark.applyChanges` takes one object"))?;
    // Only a root the server serves: a command cannot name another folder.
    if !shared.lock().roots.contains(&args.root) {
        return Err(Error::invalid_params(format!(
            "`{}` is not a workspace root of this server",
            args.root.display()
        )));
    }
    let root = args.root.clone();
    let ops = args.ops.clone();
    let done = tokio::task::spawn_blocking(move || run_ops(&root, &ops))
        .await
        .map_err(|err| Error::invalid_params(format!("the command failed: {err}")))?;
    let written = match done {
        Ok(written) => written,
        Err(err) => {
            let message = format!("planmark: {err:#}");
            shared.show(MessageType::ERROR, message.clone());
            return Err(Error::invalid_params(message));
        }
    };
    paths_changed(shared, &written);
    let Some(edit) = args.edit else {
        return Ok(None);
    };
    let refused = match shared.client.apply_edit(edit).await {
        Ok(response) if response.applied => return Ok(None),
        Ok(response) => format!(
            "the editor did not apply the text edits{}",
            response
                .failure_reason
                .map(|r| format!(": {r}"))
                .unwrap_or_default()
        ),
        Err(err) => format!("workspace/applyEdit failed: {err}"),
    };
    // The files made for edits that were not applied would be half a
    // change: they are undone.
    let ops = args.ops;
    let root = args.root;
    let undone = tokio::task::spawn_blocking(move || undo_ops(&root, &ops))
        .await
        .unwrap_or_else(|err| (Vec::new(), vec![format!("the undo failed: {err}")]));
    paths_changed(shared, &undone.0);
    let message = match undone.1.as_slice() {
        [] => format!("planmark: {refused}; the files it had created or moved are as they were"),
        kept => format!("planmark: {refused}; {}", kept.join("; ")),
    };
    shared.show(MessageType::WARNING, message.clone());
    Err(failed(message))
}

/// Queues the paths an operation wrote or removed, for the next pass.
fn paths_changed(shared: &Shared, paths: &[PathBuf]) {
    let mut state = shared.lock();
    for path in paths {
        if let Some(warning) = state.path_changed(path) {
            shared.log(MessageType::WARNING, warning);
        }
    }
    drop(state);
    shared.wake();
}

/// Checks every path first, then creates and moves the files. Returns the
/// paths written and removed.
fn run_ops(root: &std::path::Path, ops: &[DiskOp]) -> anyhow::Result<Vec<PathBuf>> {
    for op in ops {
        let rels: Vec<&str> = match op {
            DiskOp::Create { rel, .. } => vec![rel],
            DiskOp::Rename { from, to, .. } => vec![from, to],
        };
        for rel in rels {
            if !crate::analysis::actions::is_safe_rel(rel) {
                anyhow::bail!("`{rel}` is not a path inside the workspace");
            }
        }
    }
    let mut written = Vec::new();
    for (done, op) in ops.iter().enumerate() {
        let made = match op {
            DiskOp::Create { rel, text } => crate::disk::create_new(root, rel, text),
            DiskOp::Rename {
                from,
                to,
                expected,
                text,
            } => {
                let edit = expected.as_deref().zip(text.as_deref());
                crate::disk::rename(root, from, to, edit).inspect(|_| {
                    written.push(root.join(from));
                })
            }
        };
        match made {
            Ok(path) => written.push(path),
            Err(err) => {
                // The operations made before this one are undone.
                let (_, kept) = undo_ops(root, &ops[..done]);
                if kept.is_empty() {
                    return Err(err);
                }
                return Err(err.context(kept.join("; ")));
            }
        }
    }
    Ok(written)
}

/// Undoes `ops`, made in that order, last first: a file created is removed
/// and a file moved is moved back (with its old text), each only while it
/// reads as planmark left it. Returns the paths touched and what could not
/// be undone.
fn undo_ops(root: &std::path::Path, ops: &[DiskOp]) -> (Vec<PathBuf>, Vec<String>) {
    let mut touched = Vec::new();
    let mut kept = Vec::new();
    for op in ops.iter().rev() {
        let undone = match op {
            DiskOp::Create { rel, text } => crate::disk::remove_created(root, rel, text),
            DiskOp::Rename {
                from,
                to,
                expected,
                text,
            } => {
                // Back with the text it had: the edit, the other way round.
                let edit = text.as_deref().zip(expected.as_deref());
                crate::disk::rename(root, to, from, edit).inspect(|_| {
                    touched.push(root.join(to));
                })
            }
        };
        match undone {
            Ok(path) => touched.push(path),
            Err(err) => kept.push(format!("{err:#}")),
        }
    }
    (touched, kept)
}
