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
    let Some((item, field, folder)) = status_to_set(file, d) else {
        return Vec::new();
    };
    let folder = folder.to_string();
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

/// The issue whose Status field `d` reports, the field, and the folder's
/// status that the safe fix writes into it; `None` when there is nothing
/// to set.
fn status_to_set<'f>(
    file: &'f SourceFile,
    d: &Diagnostic,
) -> Option<(&'f Item, &'f crate::analysis::model::Field, &'f str)> {
    let item = main_item(file)?;
    let field = item.field("status").filter(|f| f.value_range == d.range)?;
    let folder = file.facts.folder_status.as_deref()?;
    Some((item, field, folder))
}

/// Whether [`fixes`] offers its safe fix, without building the change to
/// the index row that comes with it (a search of the index's rows): what
/// `check` asks of every such finding to count what `--fix` would fix.
pub(crate) fn has_safe_fix(file: &SourceFile, d: &Diagnostic) -> bool {
    status_to_set(file, d).is_some()
}

#[cfg(test)]
mod tests {
    use crate::analysis::fixture;
    use crate::analysis::rules::{check_workspace, Rule};

    /// `has_safe_fix` answers as the fixes do, for a finding whose fix is
    /// there (with an index row to sync) and for one moved off its field.
    #[test]
    fn has_safe_fix_agrees_with_the_fixes() {
        let ws = fixture::workspace(
            "//- issues/done/swe-feature-001.md\n# Login\n\n**Status:** planned\n\
             //- issues/issues-list.md\n| ID | Title | Status |\n|---|---|---|\n\
             | swe-feature-001 | Login | planned |\n",
        )
        .workspace;
        let found = check_workspace(&ws)
            .into_iter()
            .find(|d| d.rule == Rule::StatusFolderMismatch)
            .expect("the mismatch is found");
        let file = ws.file(&found.rel).expect("its file");
        let safe = |d| super::fixes(&ws, file, d).iter().any(|a| a.safe);
        assert!(safe(&found));
        assert!(super::has_safe_fix(file, &found));
        let mut elsewhere = found.clone();
        elsewhere.range = crate::analysis::text::TextRange::new(0, 1);
        assert!(!safe(&elsewhere));
        assert!(!super::has_safe_fix(file, &elsewhere));
    }
}
