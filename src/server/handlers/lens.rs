//! `textDocument/codeLens` (`wave 2 · blocks 3 · 2/5 criteria` above each
//! item, when `planmark.codeLens.enable` is on) and the command its lenses
//! run, `planmark.showDependents`, through `workspace/executeCommand`: it
//! shows what the item blocks with `window/showMessage`, which every
//! client displays, and answers the locations of those items.

use std::sync::Arc;

use serde_json::{json, Value};
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::{
    CodeLens, CodeLensParams, Command, ExecuteCommandParams, Location, MessageType, Uri,
};

use crate::analysis::features::{lens, list, FileRange};
use crate::server::handlers::request::{failed, on_file, on_indexed_file, READ_WAIT};
use crate::server::state::Shared;

/// The command of every lens; its arguments are the document's URI and
/// the item's ID.
pub(crate) use crate::server::capabilities::SHOW_DEPENDENTS;

/// At most this many IDs are named in the message.
const LIST_LIMIT: usize = 20;

pub(crate) async fn code_lenses(
    shared: &Arc<Shared>,
    params: CodeLensParams,
) -> Result<Option<Vec<CodeLens>>> {
    if !shared.lock().settings.code_lens {
        return Ok(None);
    }
    let uri = params.text_document.uri;
    on_file(shared, uri.clone(), move |ctx| {
        // Counts made before the index would be wrong; the client is asked
        // to refresh after indexing.
        if !ctx.indexed {
            return None;
        }
        let derived = ctx.derived()?;
        let lenses = lens::code_lenses(ctx.ws(), &derived, ctx.rel);
        let out = lenses
            .into_iter()
            .map(|l| CodeLens {
                range: ctx.range(l.range),
                command: Some(Command {
                    title: l.title,
                    command: SHOW_DEPENDENTS.to_string(),
                    arguments: Some(vec![json!(uri.as_str()), json!(l.id)]),
                }),
                data: None,
            })
            .collect();
        Some(out)
    })
    .await
}

pub(crate) async fn execute_command(
    shared: &Arc<Shared>,
    params: ExecuteCommandParams,
) -> Result<Option<Value>> {
    if params.command != SHOW_DEPENDENTS {
        return Err(Error::invalid_params(format!(
            "unknown command `{}`",
            params.command
        )));
    }
    let (uri, id) = match params.arguments.as_slice() {
        [Value::String(uri), Value::String(id), ..] => (uri.clone(), id.clone()),
        _ => {
            return Err(Error::invalid_params(format!(
                "`{SHOW_DEPENDENTS}` takes a document URI and an item ID"
            )))
        }
    };
    let uri: Uri = uri
        .parse()
        .map_err(|_| Error::invalid_params(format!("`{uri}` is not a URI")))?;
    let wanted = id.clone();
    let found = on_indexed_file(shared, uri, READ_WAIT, move |ctx| {
        let (_, item) = ctx.ws().item(&wanted)?;
        let dependents: Vec<String> = crate::analysis::features::dependents_of(ctx.ws(), item)
            .into_iter()
            .map(String::from)
            .collect();
        let locations: Vec<Location> = dependents
            .iter()
            .filter_map(|d| {
                let (file, item) = ctx.ws().item(d)?;
                ctx.location(&FileRange {
                    rel: file.rel.to_string(),
                    range: item.def_range,
                })
            })
            .collect();
        Some((dependents, locations))
    })
    .await?;
    let Some((dependents, locations)) = found else {
        return Err(failed(format!("no item `{id}` in this workspace")));
    };
    let message = if dependents.is_empty() {
        format!("Nothing depends on `{id}`.")
    } else {
        format!(
            "`{id}` blocks {}: {}",
            dependents.len(),
            list(&dependents, LIST_LIMIT)
        )
    };
    shared.show(MessageType::INFO, message);
    Ok(Some(json!(locations)))
}
