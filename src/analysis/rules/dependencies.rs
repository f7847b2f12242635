//! Rules on references between items: dangling and self dependencies,
//! cycles, done items waiting on open ones, unknown milestones and
//! duplicate IDs. `dangling-dependency`, `dependency-cycle` and
//! `duplicate-id` live in their own files; this one walks each item's
//! references once and calls them, in order.

use crate::analysis::model::{RefRole, Target};
use crate::analysis::parse::refs;
use crate::analysis::rules::context::Context;
use crate::analysis::rules::status::counts_as_done;
use crate::analysis::rules::{
    dangling_dependency, dependency_cycle, duplicate_id, Payload, Rule, Sink,
};
use crate::analysis::workspace::{SourceFile, Workspace};

pub(crate) fn check(ws: &Workspace, ctx: &Context, file: &SourceFile, sink: &mut Sink<'_>) {
    let mut suggestions = dangling_dependency::Suggestions::default();
    for item in &file.facts.items {
        let node = ctx.graph.index.get(&item.id).copied();
        let done = counts_as_done(file, item);
        for dep in &item.deps {
            let Some(id) = dep.target.as_id() else {
                continue;
            };
            // A link names a file: the file must be there, whatever the ID
            // its name stands for.
            if let Some(path) = refs::written_link_path(&file.rel, &dep.written) {
                if ws.file(&path).is_none() && !ws.unreadable().contains_key(&path) {
                    let message = format!("the link points at `{path}`, which is not a planning file of the workspace");
                    sink.push_with(
                        Rule::DanglingDependency,
                        dep.range,
                        message,
                        Payload::DanglingLink {
                            id: id.to_string(),
                            path,
                        },
                    );
                    continue;
                }
            }
            let Some(resolved) = ws.resolve(&dep.target) else {
                dangling_dependency::check(ws, ctx, Some(item), dep, id, &mut suggestions, sink);
                continue;
            };
            if resolved == item.id {
                sink.push(
                    Rule::SelfDependency,
                    dep.range,
                    format!("`{}` depends on itself", item.id),
                );
                continue;
            }
            let target = ctx.graph.index.get(&resolved).copied();
            if let (Some(n), Some(t)) = (node, target) {
                let cycle = ctx
                    .cycle_of
                    .get(&n)
                    .filter(|&&c| ctx.cycle_of.get(&t) == Some(&c));
                if let Some(&c) = cycle {
                    dependency_cycle::check(ws, ctx, c, dep, sink);
                }
            }
            if done && !ctx.is_done(&resolved) {
                sink.push(
                    Rule::DoneWithOpenDependency,
                    dep.range,
                    format!(
                        "`{}` is done but its dependency `{resolved}` is not",
                        item.id
                    ),
                );
            }
        }
        if let Some(milestone) = &item.milestone {
            if ws.has_roadmap() && ws.resolve(&milestone.target).is_none() {
                let hint = match &milestone.target {
                    Target::Id(_) => String::new(),
                    Target::MilestoneTitle(_) => {
                        " (write it as `M<n>` or as the roadmap's title)".to_string()
                    }
                };
                sink.push(
                    Rule::UnknownMilestone,
                    milestone.range,
                    format!(
                        "milestone `{}` is not defined in the roadmap{hint}",
                        milestone.written.trim()
                    ),
                );
            }
        }
        duplicate_id::check(ws, ctx, file, item, sink);
    }
    for reference in &file.facts.references {
        if reference.role == RefRole::NextTask && ws.resolve(&reference.target).is_none() {
            if let Some(id) = reference.target.as_id() {
                dangling_dependency::check(ws, ctx, None, reference, id, &mut suggestions, sink);
            }
        }
    }
}
