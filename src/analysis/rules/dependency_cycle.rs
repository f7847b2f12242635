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

/// Reports `dep` of `file`'s item `near`, which closes cycle number
/// `cycle` of the context. Members of `near`'s scope are named as the
/// file writes them (`1.2` in a Kiro spec), others by their IDs.
pub(crate) fn check(
    ws: &Workspace,
    ctx: &Context,
    file: &SourceFile,
    near: &str,
    cycle: usize,
    dep: &Reference,
    sink: &mut Sink<'_>,
) {
    let members = &ctx.cycles[cycle];
    // Every member of the cycle gets this diagnostic: naming all of them in
    // each would make a 10,000-issue cycle cost 10,000² names and related
    // locations, so a long cycle is shown by its first members.
    let shown = &members[..members.len().min(MAX_CYCLE_SHOWN)];
    let mut names: Vec<String> = shown
        .iter()
        .map(|&m| {
            let id = &ctx.graph.nodes[m].id;
            ws.item(id).map_or_else(
                || id.to_string(),
                |(_, item)| dialect::shown_id(file, near, item),
            )
        })
        .collect();
    if shown.len() < members.len() {
        names.push(format!("... {} more", members.len() - shown.len()));
    }
    names.push(names[0].clone());
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
