//! Rules on an item's status: the folder it sits in, and what "done" implies
//! for its criteria.

use crate::analysis::model::{FileKind, ItemKind, Progress};
use crate::analysis::parse::progress_of;
use crate::analysis::rules::Sink;
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
pub(crate) fn counts_as_done(file: &SourceFile, item: &crate::analysis::model::Item) -> bool {
    item.is_done()
        || (item.kind == ItemKind::Issue
            && file.facts.folder_status.as_deref().and_then(progress_of) == Some(Progress::Done))
}

pub(crate) fn check(_ws: &Workspace, file: &SourceFile, sink: &mut Sink<'_>) {
    for item in &file.facts.items {
        if file.facts.kind == FileKind::Issue && item.kind == ItemKind::Issue {
            if let (Some(folder), Some(field)) = (&file.facts.folder_status, item.field("status")) {
                let status = normalize_status(&field.value);
                let same_meaning = progress_of(&status) == Some(Progress::Done)
                    && progress_of(folder) == Some(Progress::Done);
                if status != normalize_status(folder) && !same_meaning {
                    sink.push(
                        "status-folder-mismatch",
                        field.value_range,
                        format!(
                            "status `{}` disagrees with the `{folder}/` folder this file is in",
                            field.value
                        ),
                    );
                }
            }
        }
        if matches!(item.kind, ItemKind::Issue | ItemKind::Story) && counts_as_done(file, item) {
            let open: Vec<_> = item.criteria.iter().filter(|c| !c.checked).collect();
            // One finding per item, at its first open box: the fix (tick
            // them or reopen the item) is one decision, not one per line.
            if let Some(first) = open.first() {
                sink.push(
                    "done-with-open-criteria",
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
