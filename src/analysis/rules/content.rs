//! Runs the rules on what one item says: `placeholder-text`,
//! `missing-acceptance-criteria`, `missing-field`, `unknown-value`,
//! `filename-mismatch`, `user-story-format`, `generic-persona`,
//! `vague-criterion`, `oversized-issue` and `oversized-story`. Each rule
//! lives in its own file; this one picks the rules that apply to each kind
//! of item, runs them in order, and holds what they share.

use crate::analysis::model::{FileKind, Item, ItemKind};
use crate::analysis::rules::{
    filename_mismatch, generic_persona, missing_acceptance_criteria, missing_field,
    oversized_issue, oversized_story, placeholder_text, unknown_value, user_story_format,
    vague_criterion, Sink,
};
use crate::analysis::text::TextRange;
use crate::analysis::workspace::{SourceFile, Workspace};

pub(crate) fn check(ws: &Workspace, file: &SourceFile, sink: &mut Sink<'_>) {
    placeholder_text::check(file, sink);
    for item in &file.facts.items {
        match (file.facts.kind, item.kind) {
            (FileKind::Issue, ItemKind::Issue) => {
                missing_acceptance_criteria::check(file, item, sink);
                missing_field::check_issue(file, item, sink);
                unknown_value::check_issue(ws, &file.text, item, sink);
                filename_mismatch::check(ws, file, item, sink);
                user_story(file, item, sink);
                vague_criterion::check(&file.text, item, sink);
                oversized_issue::check(&file.text, item, sink);
            }
            (FileKind::MilestoneSpec, ItemKind::Issue) => {
                missing_acceptance_criteria::check(file, item, sink);
                vague_criterion::check(&file.text, item, sink);
            }
            (FileKind::Story, ItemKind::Story) => {
                missing_acceptance_criteria::check(file, item, sink);
                user_story(file, item, sink);
                vague_criterion::check(&file.text, item, sink);
                oversized_story::check(file, item, sink);
                filename_mismatch::story_number(file, item, sink);
            }
            (FileKind::Story, ItemKind::Task) => {
                missing_field::check_task(item, sink);
                unknown_value::check_task(ws, &file.text, item, sink);
            }
            _ => {}
        }
    }
}

/// `user-story-format`, then `generic-persona` on a story in the expected
/// form.
fn user_story(file: &SourceFile, item: &Item, sink: &mut Sink<'_>) {
    if let Some(story) = user_story_format::check(file, item, sink) {
        generic_persona::check(&story, sink);
    }
}

/// Where to report a problem of the whole item: its title, or the file's
/// first line when it has none.
pub(super) fn title_range(file: &SourceFile, item: &Item) -> TextRange {
    if item.def_range.is_empty() {
        let first = file.line_index().line_range(0);
        TextRange::new(
            first.start(),
            first.start() + file.text[first.start()..first.end()].trim_end().len(),
        )
    } else {
        item.def_range
    }
}
