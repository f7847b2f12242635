//! `done-with-open-criteria`: a done item still has unchecked acceptance
//! criteria. The check and its fixes (tick every box, or set the status
//! back to in progress) live here; the metadata is
//! `Rule::DoneWithOpenCriteria` in `rule.rs`.

use crate::analysis::actions::fixes::{edit, status_target};
use crate::analysis::actions::{index_fix, Action, Change};
use crate::analysis::model::{Item, ItemKind};
use crate::analysis::parse::progress_of;
use crate::analysis::rules::status::counts_as_done;
use crate::analysis::rules::{Diagnostic, Rule, Sink};
use crate::analysis::text::TextRange;
use crate::analysis::workspace::{SourceFile, Workspace};

pub(crate) fn check(ws: &Workspace, file: &SourceFile, item: &Item, sink: &mut Sink<'_>) {
    if matches!(item.kind, ItemKind::Issue | ItemKind::Story) && counts_as_done(ws, file, item) {
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
                    crate::analysis::dialect::shown_id(file, &item.id, item),
                    open.len(),
                    item.criteria.len(),
                    if open.len() == 1 { "is" } else { "are" }
                ),
            );
        }
    }
}

/// Its fixes: tick every box, or set the status back to in progress (and
/// the file back out of the done folder).
pub(crate) fn fixes(ws: &Workspace, file: &SourceFile, d: &Diagnostic) -> Vec<Action> {
    let Some(item) = file
        .facts
        .items
        .iter()
        .find(|i| i.criteria.iter().any(|c| c.box_range == d.range))
    else {
        return Vec::new();
    };
    let ticks: Vec<(TextRange, String)> = item
        .criteria
        .iter()
        .filter(|c| !c.checked)
        .map(|c| (c.box_range, "[x]".to_string()))
        .collect();
    let mut out = vec![Action::fix(
        "Check all acceptance criteria",
        d,
        edit(file, ticks),
    )];
    let (status, folder_word) = match item.kind {
        ItemKind::Issue => ("in-progress", "in-progress"),
        _ => ("In progress", ""),
    };
    let mut changes = Vec::new();
    if let Some((_, range)) = &item.status {
        changes.push(Change::Edit {
            rel: file.rel.to_string(),
            edits: vec![(*range, status.to_string())],
        });
    }
    let in_done_folder = file.facts.folder_status.as_deref().and_then(progress_of)
        == Some(crate::analysis::model::Progress::Done);
    if item.kind == ItemKind::Issue && in_done_folder {
        match status_target(ws, file, folder_word) {
            Some(to) => {
                let new_status = item.status.is_some().then_some(status);
                changes.extend(index_fix::sync_row(ws, file, item, &to, new_status));
                changes.push(Change::RenameFile {
                    from: file.rel.to_string(),
                    to,
                });
            }
            None => changes.clear(),
        }
    } else if item.kind == ItemKind::Issue && !changes.is_empty() {
        changes.extend(index_fix::sync_row(ws, file, item, &file.rel, Some(status)));
    }
    if !changes.is_empty() {
        out.push(Action::fix(
            format!("Set the status back to `{status}`"),
            d,
            changes,
        ));
    }
    out
}
