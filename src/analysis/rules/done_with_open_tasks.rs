//! `done-with-open-tasks`: a done story (or parent task) still has tasks
//! that are not done.
//! The check lives here (the rule has no fix); the metadata is
//! `Rule::DoneWithOpenTasks` in `rule.rs`.

use crate::analysis::model::{Item, ItemKind, Progress};
use crate::analysis::rules::{Rule, Sink};
use crate::analysis::workspace::{SourceFile, Workspace};

pub(crate) fn check(ws: &Workspace, file: &SourceFile, item: &Item, sink: &mut Sink<'_>) {
    // Done by its own Status or, without one, by its stories index.
    // A parent task (Kiro's `1.` over `1.1`) is held to the same standard.
    let parent = matches!(item.kind, ItemKind::Story | ItemKind::Task);
    if parent && ws.progress(item) == Some(Progress::Done) {
        let open: Vec<_> = file
            .facts
            .items
            .iter()
            .filter(|t| t.parent.as_deref() == Some(item.id.as_str()) && !t.is_done())
            // An optional sub-task (Kiro's `- [ ]* 1.6`) may stay open.
            .filter(|t| t.field("optional").is_none())
            .collect();
        let at = item.status.as_ref().map_or(item.def_range, |(_, at)| *at);
        if let Some(first) = open.first() {
            let tasks = if item.kind == ItemKind::Story {
                "task"
            } else {
                "sub-task"
            };
            let count = if open.len() == 1 {
                format!("1 {tasks} is")
            } else {
                format!("{} {tasks}s are", open.len())
            };
            sink.push(
                Rule::DoneWithOpenTasks,
                at,
                format!(
                    "{kind} `{}` is done but {count} not (first `{}`): mark them done or reopen the {kind}",
                    item.id,
                    first.id,
                    kind = item.kind.name()
                ),
            );
        }
    }
}
