//! Runs the rules on references between items: `dangling-dependency`,
//! `self-dependency`, `dependency-cycle`, `done-with-open-dependency`,
//! `unknown-milestone` and `duplicate-id`. Each rule lives in its own file;
//! this one walks each item's references once and calls them, in order.

use crate::analysis::intern::Id;
use crate::analysis::model::RefRole;
use crate::analysis::rules::context::Context;
use crate::analysis::rules::status::{counts_as_done, folder_of};
use crate::analysis::rules::{
    dangling_dependency, dependency_cycle, done_with_open_dependency, duplicate_id,
    self_dependency, unknown_milestone, Sink,
};
use crate::analysis::workspace::{SourceFile, Workspace};

pub(crate) fn check(ws: &Workspace, ctx: &Context, file: &SourceFile, sink: &mut Sink<'_>) {
    let mut suggestions = dangling_dependency::Suggestions::default();
    for item in &file.facts.items {
        let node = ctx.graph.index.get(&item.id).copied();
        let done = counts_as_done(ws, file, item);
        for dep in &item.deps {
            let Some(id) = dep.target.as_id() else {
                continue;
            };
            // A link names a file: the file must be there, whatever the ID
            // its name stands for.
            if dangling_dependency::check_link(ws, file, dep, id, sink) {
                continue;
            }
            let Some(resolved) = ws.resolve(&dep.target) else {
                if !dangling_dependency::check_retired(ws, file, dep, id, sink) {
                    dangling_dependency::check(
                        ws,
                        ctx,
                        file,
                        Some(item),
                        dep,
                        &mut suggestions,
                        sink,
                    );
                }
                continue;
            };
            if self_dependency::check(file, item, dep, &resolved, sink) {
                continue;
            }
            let target = ctx.graph.node_of(&resolved);
            if let (Some(n), Some(t)) = (node, target) {
                let cycle = ctx
                    .cycle_of
                    .get(&n)
                    .filter(|&&c| ctx.cycle_of.get(&t) == Some(&c));
                if let Some(&cycle) = cycle {
                    let closing = dependency_cycle::ClosingDependency {
                        cycle,
                        from: n,
                        to: t,
                    };
                    dependency_cycle::check(ws, ctx, file, &item.id, closing, dep, sink);
                }
            }
            let dependency_done = dependency_done(ws, ctx, file, resolved);
            let done = done_with_open_dependency::DoneItem { file, item, done };
            done_with_open_dependency::check(ws, done, dependency_done, dep, resolved, sink);
        }
        unknown_milestone::check(ws, item, sink);
        duplicate_id::check(ws, ctx, file, item, sink);
    }
    for reference in &file.facts.references {
        if reference.role == RefRole::NextTask && ws.resolve(&reference.target).is_none() {
            dangling_dependency::check(ws, ctx, file, None, reference, &mut suggestions, sink);
        }
    }
}

/// Whether the item a dependency of `file` names is done. When its ID is
/// defined more than once and one definition sits in `file`'s own folder,
/// that one is meant (two phase folders that share a number each define a
/// plan `02-01`, and a plan depends on the one beside it);
/// otherwise the graph's node, made from the first definition that is not
/// done (else the first), answers.
fn dependency_done(ws: &Workspace, ctx: &Context, file: &SourceFile, resolved: Id) -> bool {
    let definitions = ws.definitions(&resolved);
    if definitions.len() < 2 {
        return ctx.is_done(&resolved);
    }
    let folder = folder_of(&file.rel);
    let beside = definitions
        .iter()
        .filter(|loc| folder_of(&loc.rel) == folder)
        .find_map(|loc| {
            let target_file = ws.file(&loc.rel)?;
            let target = target_file.facts.items.get(loc.index)?;
            Some(counts_as_done(ws, target_file, target))
        });
    beside.unwrap_or_else(|| ctx.is_done(&resolved))
}
