//! `done-with-open-tasks`: a done story (or parent task) still has tasks
//! that are not done, in its own file or, for a dialect that writes
//! sub-tasks in files of their own (Backlog.md), in those. The check and, where the statuses are checkboxes
//! (Kiro's task lists), its fixes live here; the metadata is
//! `Rule::DoneWithOpenTasks` in `rule.rs`.

use crate::analysis::actions::fixes::edit;
use crate::analysis::actions::Action;
use crate::analysis::dialect;
use crate::analysis::model::{FileKind, Item, ItemKind, Progress};
use crate::analysis::rules::{Diagnostic, Rule, Sink};
use crate::analysis::text::TextRange;
use crate::analysis::workspace::{SourceFile, Workspace};

/// The children of `item` in its file that are not done, leaving out
/// optional ones (Kiro's `- [ ]* 1.6`), which may stay open, and dropped
/// ones (struck through), which are closed.
fn open_children<'a>(file: &'a SourceFile, item: &'a Item) -> Vec<&'a Item> {
    file.facts
        .items
        .iter()
        .filter(|t| t.parent.as_deref() == Some(item.id.as_str()) && !t.is_closed())
        .filter(|t| t.field("optional").is_none())
        .collect()
}

/// The sub-tasks of `item` written in files of their own that are not
/// done, in path order: a dialect file's referrers that name `item` as
/// their parent (Backlog.md's `task-12.1 - ….md` with `parent_task_id:
/// task-12`). Only files of the dialect's scope count: those are checked
/// again together after an edit of one, so the finding follows the
/// sub-task's status.
fn open_children_elsewhere<'a>(ws: &'a Workspace, file: &SourceFile, item: &Item) -> Vec<&'a Item> {
    let FileKind::Dialect(dialect_file) = file.facts.kind else {
        return Vec::new();
    };
    let scope = dialect::scope(dialect_file, &file.rel);
    let mut files: Vec<&SourceFile> = ws
        .referrers(&item.id)
        .filter(|rel| *rel != &*file.rel && rel.starts_with(scope))
        .filter_map(|rel| ws.file(rel).map(|f| &**f))
        // A sub-task may sit in another folder than its parent (`tasks/`
        // below a parent in `completed/`): the dialect is what must match.
        .filter(|f| {
            matches!(f.facts.kind, FileKind::Dialect(other) if other.dialect == dialect_file.dialect)
        })
        .collect();
    files.sort_by(|a, b| a.rel.cmp(&b.rel));
    files.dedup_by(|a, b| a.rel == b.rel);
    files
        .into_iter()
        .flat_map(|f| &f.facts.items)
        .filter(|t| {
            t.parent == Some(item.id)
                && !matches!(ws.progress(t), Some(Progress::Done | Progress::Dropped))
        })
        .filter(|t| t.field("optional").is_none())
        .collect()
}

pub(crate) fn check(ws: &Workspace, file: &SourceFile, item: &Item, sink: &mut Sink<'_>) {
    // Done by its own Status or, without one, by its stories index.
    // A parent task (Kiro's `1.` over `1.1`) is held to the same standard.
    let parent = matches!(item.kind, ItemKind::Story | ItemKind::Task);
    if parent && ws.progress(item) == Some(Progress::Done) {
        let mut open = open_children(file, item);
        open.extend(open_children_elsewhere(ws, file, item));
        let at = item.status.as_ref().map_or(item.def_range, |(_, at)| *at);
        if let Some(first) = open.first() {
            let tasks = if item.kind == ItemKind::Story {
                "task"
            } else {
                "sub-task"
            };
            let count = if open.len() == 1 {
                format!("1 {tasks} is")
            } else {
                format!("{} {tasks}s are", open.len())
            };
            // A story without a status of its own is done by another
            // file's word, which the message names.
            let told = dialect::progress_told_by(ws, item)
                .map(|rel| format!(" (as `{rel}` says)"))
                .unwrap_or_default();
            sink.push(
                Rule::DoneWithOpenTasks,
                at,
                format!(
                    "{kind} `{}` is done{told} but {count} not (first {} `{}`): mark them done or reopen the {kind}",
                    dialect::shown_id(file, &item.id, item),
                    first.kind.name(),
                    dialect::shown_id(file, &item.id, first),
                    kind = item.kind.name()
                ),
            );
        }
    }
}

/// The checkbox (`[x]`) that holds an item's status, when it is one.
fn checkbox(file: &SourceFile, item: &Item) -> Option<TextRange> {
    let (_, at) = item.status.as_ref()?;
    let written = file.text.get(at.start()..at.end())?;
    (written.len() == 3 && written.starts_with('[') && written.ends_with(']')).then_some(*at)
}

/// Where statuses are checkboxes: tick the open sub-tasks (preferred: the
/// parent says the work is done), or reopen the parent.
pub(crate) fn fixes(file: &SourceFile, d: &Diagnostic) -> Vec<Action> {
    let Some(item) = file
        .facts
        .items
        .iter()
        .find(|i| checkbox(file, i) == Some(d.range))
    else {
        return Vec::new();
    };
    let boxes: Option<Vec<(TextRange, String)>> = open_children(file, item)
        .into_iter()
        .map(|child| checkbox(file, child).map(|at| (at, "[x]".to_string())))
        .collect();
    let mut out = Vec::new();
    if let Some(boxes) = boxes.filter(|b| !b.is_empty()) {
        let title = if boxes.len() == 1 {
            "Tick the open sub-task".to_string()
        } else {
            format!("Tick the {} open sub-tasks", boxes.len())
        };
        out.push(Action::fix(title, d, edit(file, boxes)).preferred());
    }
    out.push(Action::fix(
        format!("Reopen `{}`", item.number.as_deref().unwrap_or(&item.id)),
        d,
        edit(file, vec![(d.range, "[-]".to_string())]),
    ));
    out
}
