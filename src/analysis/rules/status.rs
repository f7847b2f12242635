//! Rules on an item's status: the folder it sits in, and what "done" implies
//! for its criteria and tasks. Each rule lives in its own file; this one runs
//! them in order and holds what they share.

use crate::analysis::model::{Item, ItemKind, Progress};
use crate::analysis::parse::progress_of;
use crate::analysis::rules::{
    done_with_open_criteria, done_with_open_tasks, missing_story_status, status_folder_mismatch,
    Sink,
};
use crate::analysis::workspace::{SourceFile, Workspace};

/// `In Progress`, `in_progress` and `in-progress` alike.
pub(crate) fn normalize_status(s: &str) -> String {
    s.split('(')
        .next()
        .unwrap_or(s)
        .trim()
        .trim_matches(['*', '`', '.'])
        .to_lowercase()
        .replace(['_', ' '], "-")
}

/// Whether an index's status cell says what `statuses` (an item's Status
/// field and its folder, as far as each is known) say: the same word, or
/// done (or dropped) in other words (`✅ done`, `Done ✅`, `complete` for
/// `done`), as a status reads everywhere.
pub(crate) fn cell_agrees<'a>(
    cell: &str,
    statuses: impl IntoIterator<Item = Option<&'a str>>,
) -> bool {
    let listed = normalize_status(cell);
    // Read only when the words differ: an index of 100,000 rows mostly
    // agrees word for word.
    let cell_progress = std::cell::OnceCell::new();
    statuses.into_iter().flatten().any(|status| {
        normalize_status(status) == listed
            || matches!(
                progress_of(status),
                Some(progress @ (Progress::Done | Progress::Dropped))
                    if Some(progress) == *cell_progress.get_or_init(|| progress_of(cell))
            )
    })
}

/// Whether an item counts as done: its status says so, its dialect's
/// other files do (a GSD plan's summary), or (for an issue) it sits in the
/// `done/` folder.
pub(crate) fn counts_as_done(ws: &Workspace, file: &SourceFile, item: &Item) -> bool {
    item.is_done()
        || (item.kind == ItemKind::Issue
            && file.facts.folder_status.as_deref().and_then(progress_of) == Some(Progress::Done))
        || (item.progress.is_none()
            && crate::analysis::dialect::progress(ws, file, item) == Some(Progress::Done))
}

pub(crate) fn check(ws: &Workspace, file: &SourceFile, sink: &mut Sink<'_>) {
    for item in &file.facts.items {
        status_folder_mismatch::check(file, item, sink);
        // A stories index may give the story its status.
        if item.kind == ItemKind::Story
            && item.status.is_none()
            && ws.story_index_progress(&item.id).is_none()
        {
            missing_story_status::check(ws, file, item, sink);
        }
        done_with_open_tasks::check(ws, file, item, sink);
        done_with_open_criteria::check(ws, file, item, sink);
    }
}

/// The folder part of a path, with its slash (`docs/stories/`).
pub(crate) fn folder_of(rel: &str) -> &str {
    rel.rfind('/').map_or("", |i| &rel[..=i])
}
