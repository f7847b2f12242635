//! `dependency-cycle`: dependencies form a cycle. The check lives here (the
//! rule has no fix; the cycles are found once per workspace version in
//! `context.rs`); the metadata is `Rule::DependencyCycle` in `rule.rs`.

use crate::analysis::dialect;
use crate::analysis::model::Reference;
use crate::analysis::rules::context::Context;
use crate::analysis::rules::{Related, Rule, Sink};
use crate::analysis::workspace::{SourceFile, Workspace};

/// How many members of a dependency cycle a diagnostic names.
const MAX_CYCLE_SHOWN: usize = 20;

/// A written dependency that closes a cycle: cycle number `cycle` of the
/// context, from graph node `from` (the item that writes it) to node `to`.
pub(crate) struct ClosingDependency {
    pub(crate) cycle: usize,
    pub(crate) from: usize,
    pub(crate) to: usize,
}

/// Reports `dep` of `file`'s item `near`, which closes a cycle. The message
/// shows the loop through that dependency, each step one the plan takes
/// (a step no file writes says why it is taken), starting at its smallest
/// ID. Members of `near`'s scope are named as the file writes them (`1.2`
/// in a Kiro spec), others by their IDs.
pub(crate) fn check(
    ws: &Workspace,
    ctx: &Context,
    file: &SourceFile,
    near: &str,
    closing: ClosingDependency,
    dep: &Reference,
    sink: &mut Sink<'_>,
) {
    let members = &ctx.cycles[closing.cycle];
    let looped = ctx.graph.loop_through(members, closing.from, closing.to);
    // Every member of the cycle gets this diagnostic: naming all of them in
    // each would make a 10,000-issue cycle cost 10,000² names and related
    // locations, so a long cycle is shown by its first members.
    let shown = match &looped {
        Some(path) => &path[..path.len().min(MAX_CYCLE_SHOWN)],
        None => &members[..members.len().min(MAX_CYCLE_SHOWN)],
    };
    let name = |m: usize| {
        let id = &ctx.graph.nodes[m].id;
        ws.item(id).map_or_else(
            || id.to_string(),
            |(_, item)| dialect::shown_id(file, near, item),
        )
    };
    let mut names: Vec<String> = Vec::with_capacity(shown.len() + 2);
    for (i, &m) in shown.iter().enumerate() {
        let why = looped.as_ref().and_then(|path| {
            let before = if i == 0 { path.last() } else { path.get(i - 1) };
            step_reason(ws, ctx, *before?, m)
        });
        names.push(match why {
            Some(why) => format!("{} ({why})", name(m)),
            None => name(m),
        });
    }
    let total = looped.as_ref().map_or(members.len(), Vec::len);
    if shown.len() < total {
        names.push(format!("... {} more", total - shown.len()));
    }
    // The loop closes on its first member, by the step into it.
    names.push(names[0].clone());
    names[0] = name(shown[0]);
    let related: Vec<Related> = shown
        .iter()
        .filter_map(|&m| {
            let id = &ctx.graph.nodes[m].id;
            let (file, item) = ws.item(id)?;
            Some(Related {
                rel: file.rel.to_string(),
                range: item.def_range,
                message: format!("`{id}` is part of the cycle"),
            })
        })
        .collect();
    if let Some(d) = sink.push(
        Rule::DependencyCycle,
        dep.range,
        format!("dependency cycle: {}", names.join(" -> ")),
    ) {
        d.related = related;
    }
}

/// Why node `from` waits for node `to` when no file writes it: `to` is its
/// sub-task, a dependency of its parent, or above it in its list.
fn step_reason(ws: &Workspace, ctx: &Context, from: usize, to: usize) -> Option<String> {
    let (from_id, to_id) = (&ctx.graph.nodes[from].id, &ctx.graph.nodes[to].id);
    let (_, from_item) = ws.item(from_id)?;
    let resolves_to = |dep: &Reference| ws.resolve(&dep.target).as_ref() == Some(to_id);
    match from_item.deps.iter().find(|dep| resolves_to(dep)) {
        Some(dep) if !dep.range.is_empty() => None,
        Some(_) => Some("the task above it".to_string()),
        None => {
            let (_, to_item) = ws.item(to_id)?;
            if to_item.parent.as_ref() == Some(from_id) {
                return Some("its sub-task".to_string());
            }
            let parent = from_item.parent?;
            let (_, parent_item) = ws.item(&parent)?;
            parent_item
                .deps
                .iter()
                .any(resolves_to)
                .then(|| format!("a dependency of {parent}"))
        }
    }
}
