//! Rules on an item's status: the folder it sits in, and what "done" implies
//! for its criteria.

use crate::analysis::model::{FileKind, Item, ItemKind, Progress};
use crate::analysis::parse::progress_of;
use crate::analysis::rules::{Rule, Sink};
use crate::analysis::text::TextRange;
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

/// Whether an item counts as done: its status says so, or (for an issue)
/// it sits in the `done/` folder.
pub(crate) fn counts_as_done(file: &SourceFile, item: &Item) -> bool {
    item.is_done()
        || (item.kind == ItemKind::Issue
            && file.facts.folder_status.as_deref().and_then(progress_of) == Some(Progress::Done))
}

pub(crate) fn check(ws: &Workspace, file: &SourceFile, sink: &mut Sink<'_>) {
    for item in &file.facts.items {
        if file.facts.kind == FileKind::Issue && item.kind == ItemKind::Issue {
            if let (Some(folder), Some(field)) = (&file.facts.folder_status, item.field("status")) {
                let status = normalize_status(&field.value);
                let same_meaning = progress_of(&status) == Some(Progress::Done)
                    && progress_of(folder) == Some(Progress::Done);
                if status != normalize_status(folder) && !same_meaning {
                    sink.push(
                        Rule::StatusFolderMismatch,
                        field.value_range,
                        format!(
                            "status `{}` disagrees with the `{folder}/` folder this file is in",
                            field.value
                        ),
                    );
                }
            }
        }
        // A stories index may give the story its status.
        if item.kind == ItemKind::Story
            && item.status.is_none()
            && ws.story_index_progress(&item.id).is_none()
        {
            missing_story_status(ws, file, item, sink);
        }
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
        if matches!(item.kind, ItemKind::Issue | ItemKind::Story) && counts_as_done(file, item) {
            let open: Vec<_> = item.criteria.iter().filter(|c| !c.checked).collect();
            // One finding per item, at its first open box: the fix (tick
            // them or reopen the item) is one decision, not one per line.
            if let Some(first) = open.first() {
                sink.push(
                    Rule::DoneWithOpenCriteria,
                    first.box_range,
                    format!(
                        "{} `{}` is done but {} of its {} acceptance criteria {} unchecked",
                        item.kind.name(),
                        item.id,
                        open.len(),
                        item.criteria.len(),
                        if open.len() == 1 { "is" } else { "are" }
                    ),
                );
            }
        }
    }
}

/// The folder part of a path, with its slash (`docs/stories/`).
pub(crate) fn folder_of(rel: &str) -> &str {
    rel.rfind('/').map_or("", |i| &rel[..=i])
}

/// `missing-story-status`: a story without a Status when most of the other
/// stories of its folder (at least two) have one, so the missing one is an
/// omission, not the folder's habit.
fn missing_story_status(ws: &Workspace, file: &SourceFile, item: &Item, sink: &mut Sink<'_>) {
    let (mut others, mut with_status) = (0usize, 0usize);
    for other in ws.files_in_folder(folder_of(&file.rel)) {
        if other.rel == file.rel || other.facts.kind != FileKind::Story {
            continue;
        }
        for story in other
            .facts
            .items
            .iter()
            .filter(|i| i.kind == ItemKind::Story)
        {
            others += 1;
            with_status +=
                usize::from(story.status.is_some() || ws.story_index_progress(&story.id).is_some());
        }
    }
    if others >= 2 && with_status * 2 > others {
        let at = if item.def_range.is_empty() {
            TextRange::empty(item.def_range.start)
        } else {
            item.def_range
        };
        sink.push(
            Rule::MissingStoryStatus,
            at,
            format!(
                "story `{}` has no Status, while {with_status} of the {others} other stories in `{}` have one",
                item.id,
                folder_of(&file.rel)
            ),
        );
    }
}
