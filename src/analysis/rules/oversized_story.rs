//! `oversized-story`: a story has too many tasks. The check and its fix
//! (splitting the story, done by `actions::split_story`, which the
//! cursor's "split here" shares) live here; the metadata, with the
//! `max-tasks` option, is `Rule::OversizedStory` in `rule.rs`.

use crate::analysis::actions::{split_story, Action};
use crate::analysis::model::Item;
use crate::analysis::rules::content::title_range;
use crate::analysis::rules::{Context, Diagnostic, Rule, Sink};
use crate::analysis::workspace::{SourceFile, Workspace};

pub(crate) fn check(file: &SourceFile, item: &Item, sink: &mut Sink<'_>) {
    if item.is_done() {
        return;
    }
    let max = sink.option_usize(Rule::OversizedStory, "max-tasks");
    let tasks = file
        .facts
        .items
        .iter()
        .filter(|t| t.parent.as_deref() == Some(&item.id))
        .count();
    if tasks > max {
        sink.push(
            Rule::OversizedStory,
            title_range(file, item),
            format!("{tasks} tasks (more than {max}): this story is too big; split it"),
        );
    }
}

/// Its fix: the later tasks move to a new story.
pub(crate) fn fixes(
    ws: &Workspace,
    ctx: &Context,
    file: &SourceFile,
    d: &Diagnostic,
) -> Vec<Action> {
    split_story::from_diagnostic(ws, ctx, file, d)
        .into_iter()
        .collect()
}
