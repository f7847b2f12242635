//! `missing-story-status`: a story has no Status while most stories of its
//! folder have one. The check lives here (the rule has no fix); the
//! metadata is `Rule::MissingStoryStatus` in `rule.rs`.

use crate::analysis::model::{FileKind, Item, ItemKind};
use crate::analysis::rules::status::folder_of;
use crate::analysis::rules::{Rule, Sink};
use crate::analysis::text::TextRange;
use crate::analysis::workspace::{SourceFile, Workspace};

/// `missing-story-status`: a story without a Status when most of the other
/// stories of its folder (at least two) have one, so the missing one is an
/// omission, not the folder's habit.
pub(crate) fn check(ws: &Workspace, file: &SourceFile, item: &Item, sink: &mut Sink<'_>) {
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
            TextRange::empty(item.def_range.start())
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
