//! `done-with-open-tasks`: a done story still has tasks that are not done.
//! The check lives here (the rule has no fix); the metadata is
//! `Rule::DoneWithOpenTasks` in `rule.rs`.

use crate::analysis::model::{Item, ItemKind, Progress};
use crate::analysis::rules::{Rule, Sink};
use crate::analysis::workspace::{SourceFile, Workspace};

pub(crate) fn check(ws: &Workspace, file: &SourceFile, item: &Item, sink: &mut Sink<'_>) {
    // Done by its own Status or, without one, by its stories index.
    if item.kind == ItemKind::Story && ws.progress(item) == Some(Progress::Done) {
        let open: Vec<_> = file
            .facts
            .items
            .iter()
            .filter(|t| t.parent.as_deref() == Some(item.id.as_str()) && !t.is_done())
            .collect();
        let at = item.status.as_ref().map_or(item.def_range, |(_, at)| *at);
        if let Some(first) = open.first() {
            let count = if open.len() == 1 {
                "1 task is".to_string()
            } else {
                format!("{} tasks are", open.len())
            };
            sink.push(
                Rule::DoneWithOpenTasks,
                at,
                format!(
                    "story `{}` is done but {count} not (first `{}`): mark them done or reopen the story",
                    item.id, first.id
                ),
            );
        }
    }
}
