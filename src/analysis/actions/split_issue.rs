//! Splitting an issue: the criteria from one on move to a new issue with the
//! next free number, in a not-started status folder (the original's when it
//! is one), depending on the original;
//! every item that depended on the original depends on both parts, and the
//! index gets a row for the new issue.

use crate::analysis::actions::index_fix::{self, RowValues};
use crate::analysis::actions::{
    eol, join, main_item, new_issue_id, next_issue_number, part_title, Action, ActionKind, Change,
};
use crate::analysis::ids;
use crate::analysis::model::{FileKind, Item, ItemKind};
use crate::analysis::parse::progress_of;
use crate::analysis::rules::Diagnostic;
use crate::analysis::text::TextRange;
use crate::analysis::workspace::{SourceFile, Workspace};

/// "Split issue here" on a criterion line (not the first).
pub(crate) fn at_cursor(ws: &Workspace, file: &SourceFile, offset: usize) -> Option<Action> {
    let item = issue_of(file)?;
    let at = item.criteria.iter().position(|c| {
        c.line_range.start() <= offset && offset < c.line_range.end().max(c.line_range.start() + 1)
    })?;
    if at == 0 {
        return None;
    }
    let mut action = split(ws, file, item, at)?;
    action.title = "Split issue here".to_string();
    Some(action)
}

/// The split offered on an `oversized-issue` finding: the second half of
/// the criteria move.
pub(crate) fn from_diagnostic(ws: &Workspace, file: &SourceFile, d: &Diagnostic) -> Option<Action> {
    let item = issue_of(file)?;
    let n = item.criteria.len();
    if n < 2 {
        return None;
    }
    let mut action = split(ws, file, item, n.div_ceil(2))?;
    action.kind = ActionKind::QuickFix;
    action.fixes = Some((d.rule, d.range));
    action.is_preferred = true;
    Some(action)
}

fn issue_of(file: &SourceFile) -> Option<&Item> {
    (file.facts.kind == FileKind::Issue)
        .then(|| main_item(file))
        .flatten()
        .filter(|i| i.kind == ItemKind::Issue)
}

/// Moves criteria `at..` of `item` into a new issue.
fn split(ws: &Workspace, file: &SourceFile, item: &Item, at: usize) -> Option<Action> {
    let text = &*file.text;
    let nl = eol(text);
    let parts = ids::issue_parts(&item.id);
    let field = |name: &str| item.field_value(text, name).map(|v| v.trim().to_string());
    let expert = parts
        .as_ref()
        .map(|p| p.expert.to_string())
        .or_else(|| field("expert"))
        .unwrap_or_else(|| "swe".to_string());
    let kind = parts
        .as_ref()
        .map(|p| p.kind.to_string())
        .or_else(|| field("type"))
        .unwrap_or_else(|| "feature".to_string());
    let number = next_issue_number(ws);
    let new_id =
        new_issue_id(&expert, &kind, number).or_else(|| new_issue_id("swe", "feature", number))?;
    let (dir, _) = file.rel.rsplit_once('/')?;
    let (dir, folder, status) = new_part_place(ws, file, dir);
    let new_rel = join(&dir, &format!("{new_id}.md"));
    if ws.file(&new_rel).is_some() || ws.unreadable().contains_key(&new_rel) {
        return None;
    }
    let title = part_title(&item.title);

    // The new file: the original with the other criteria, a new title,
    // status and dependency.
    let mut new_edits: Vec<(TextRange, String)> = Vec::new();
    if !item.def_range.is_empty() {
        new_edits.push((item.def_range, title.clone()));
    }
    if let Some(f) = item.field("status") {
        new_edits.push((f.value_range, status.clone()));
    }
    for c in &item.criteria[..at] {
        new_edits.push((c.line_range, String::new()));
    }
    let large = item
        .field("estimated effort")
        .filter(|f| f.value(text).to_ascii_lowercase().starts_with("large"));
    if let Some(f) = large {
        // Two halves of a large issue are medium ones.
        new_edits.push((
            TextRange::new(f.value_range.start(), f.value_range.start() + 5),
            "Medium".into(),
        ));
    }
    match item
        .fields
        .iter()
        .find(|f| crate::analysis::parse::is_dependency_label(&f.label))
    {
        Some(f) => new_edits.push((f.value_range, item.id.to_string())),
        None => new_edits.push(dependency_insertion(file, item, &item.id, nl)),
    }
    let new_text = crate::analysis::actions::apply::apply_edits(text, &new_edits).ok()?;

    // The original: without the moved criteria.
    let mut old_edits: Vec<(TextRange, String)> = item.criteria[at..]
        .iter()
        .map(|c| (c.line_range, String::new()))
        .collect();
    if let Some(f) = large {
        old_edits.push((
            TextRange::new(f.value_range.start(), f.value_range.start() + 5),
            "Medium".into(),
        ));
    }
    let mut changes = vec![Change::Edit {
        rel: file.rel.to_string(),
        edits: old_edits,
    }];
    changes.extend(depend_on_both(ws, &item.id, &new_id));
    let values = RowValues {
        id: new_id.clone(),
        folder: folder.clone(),
        title: title.clone(),
        status,
        deps: item.id.to_string(),
        ..RowValues::of(file, item)
    };
    changes.extend(index_fix::add_row(ws, &new_rel, &values, Some(&item.id)));
    changes.push(Change::CreateFile {
        rel: new_rel,
        text: new_text,
    });
    Some(Action {
        title: format!(
            "Split issue: move {} criteria to `{new_id}`",
            item.criteria.len() - at
        ),
        kind: ActionKind::Extract,
        is_preferred: false,
        fixes: None,
        safe: false,
        changes: crate::analysis::actions::merge(changes),
    })
}

/// Where the new part goes and its Status: it has not started, so it stays
/// in a not-started folder (`backlog/`, `planned/`, with that status), and
/// from any other status folder (`in-progress/`, `done/`) goes to the first
/// not-started one, as `backlog` (or that folder's name). A file outside
/// the status folders keeps its folder. Returns the folder's path, its
/// name as the index row's link writes it, and the status.
fn new_part_place(ws: &Workspace, file: &SourceFile, dir: &str) -> (String, String, String) {
    use crate::analysis::model::Progress;
    let folders = &ws.config().status_folders;
    let name = dir.rsplit_once('/').map_or(dir, |(_, name)| name);
    let parent = dir.rsplit_once('/').map_or("", |(parent, _)| parent);
    let is_status_folder = folders.iter().any(|f| f.eq_ignore_ascii_case(name));
    let folder = file.facts.folder_status.clone().unwrap_or_default();
    if progress_of(&folder) == Some(Progress::NotStarted) || !is_status_folder {
        let status = if progress_of(&folder) == Some(Progress::NotStarted) {
            folder
        } else {
            "backlog".to_string()
        };
        return (dir.to_string(), name.to_string(), status);
    }
    match folders
        .iter()
        .find(|f| progress_of(f) == Some(Progress::NotStarted))
    {
        Some(backlog) => (join(parent, backlog), backlog.clone(), backlog.clone()),
        None => (dir.to_string(), name.to_string(), "backlog".to_string()),
    }
}

/// Where a `**Dependencies:**` line goes in a file that has none: at the
/// end of `Technical Notes` (or `Notes`), else in a new `Technical Notes`
/// section at the end.
fn dependency_insertion(file: &SourceFile, item: &Item, id: &str, nl: &str) -> (TextRange, String) {
    let text = &*file.text;
    let notes = item.sections.iter().find(|s| {
        let t = s.title(text).to_ascii_lowercase();
        t == "technical notes" || t == "notes"
    });
    if let Some(s) = notes {
        let label = if s.is_titled(text, "notes") {
            "Depends on"
        } else {
            "Dependencies"
        };
        let body = text[s.range.start()..s.range.end()].trim_end();
        let end = s.range.start() + body.len();
        return (TextRange::empty(end), format!("{nl}**{label}:** {id}"));
    }
    let lead = if text.ends_with('\n') {
        nl.to_string()
    } else {
        format!("{nl}{nl}")
    };
    (
        TextRange::empty(text.len()),
        format!("{lead}## Technical Notes{nl}{nl}**Dependencies:** {id}{nl}"),
    )
}

/// Edits that make every item depending on `old` depend on `new` too: `,
/// new` after the first reference to `old` in each.
pub(crate) fn depend_on_both(ws: &Workspace, old: &str, new: &str) -> Vec<Change> {
    let mut changes = Vec::new();
    for dependent in ws.dependents(old) {
        let Some((file, item)) = ws.item(&dependent) else {
            continue;
        };
        if item.id == old {
            continue;
        }
        let Some(reference) = item
            .deps
            .iter()
            .find(|r| ws.resolve(&r.target).as_deref() == Some(old))
        else {
            continue;
        };
        changes.push(Change::Edit {
            rel: file.rel.to_string(),
            edits: vec![(TextRange::empty(reference.range.end()), format!(", {new}"))],
        });
    }
    changes
}
