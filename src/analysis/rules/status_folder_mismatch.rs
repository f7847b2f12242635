//! `status-folder-mismatch`: the Status field disagrees with the status
//! folder the file is in. The check and its fixes (set the status from the
//! folder, or move the file to the status's folder) live here; the
//! metadata is `Rule::StatusFolderMismatch` in `rule.rs`.

use crate::analysis::actions::fixes::{edit, status_target};
use crate::analysis::actions::{index_fix, main_item, Action, Change};
use crate::analysis::model::{FileKind, Item, ItemKind, Progress};
use crate::analysis::parse::progress_of;
use crate::analysis::rules::status::normalize_status;
use crate::analysis::rules::{Diagnostic, Rule, Sink};
use crate::analysis::workspace::{SourceFile, Workspace};

pub(crate) fn check(file: &SourceFile, item: &Item, sink: &mut Sink<'_>) {
    if file.facts.kind == FileKind::Issue && item.kind == ItemKind::Issue {
        if let (Some(folder), Some(field)) = (&file.facts.folder_status, item.field("status")) {
            let written = field.value(&file.text);
            let status = normalize_status(written);
            // `Completed` in `done/`, `canceled` in `cancelled/`: the
            // words differ, the meaning does not.
            let closing = |word: &str| {
                matches!(
                    progress_of(word),
                    Some(progress @ (Progress::Done | Progress::Dropped))
                        if progress_of(folder) == Some(progress)
                )
            };
            let same_meaning = closing(&status);
            if status != normalize_status(folder) && !same_meaning {
                sink.push(
                    Rule::StatusFolderMismatch,
                    field.value_range,
                    format!(
                        "status `{written}` disagrees with the `{folder}/` folder this file is in",
                    ),
                );
            }
        }
    }
}

/// Its fixes: the status taken from the folder (safe), or the file moved.
pub(crate) fn fixes(ws: &Workspace, file: &SourceFile, d: &Diagnostic) -> Vec<Action> {
    let Some(item) = main_item(file) else {
        return Vec::new();
    };
    let Some(field) = item.field("status").filter(|f| f.value_range == d.range) else {
        return Vec::new();
    };
    let Some(folder) = file.facts.folder_status.clone() else {
        return Vec::new();
    };
    let mut changes = edit(file, vec![(field.value_range, folder.clone())]);
    changes.extend(index_fix::sync_row(
        ws,
        file,
        item,
        &file.rel,
        Some(&folder),
    ));
    let mut out = vec![
        Action::fix(format!("Set the status to `{folder}`"), d, changes)
            .preferred()
            .safe(),
    ];
    if let Some(to) = status_target(ws, file, field.value(&file.text)) {
        let mut changes = vec![Change::RenameFile {
            from: file.rel.to_string(),
            to: to.clone(),
        }];
        changes.extend(index_fix::sync_row(ws, file, item, &to, None));
        out.push(Action::fix(
            format!(
                "Move the file to `{}`",
                to.rsplit_once('/').map_or("", |(dir, _)| dir)
            ),
            d,
            changes,
        ));
    }
    out
}
