//! Change impact: what an edit to some files can change elsewhere. After
//! a change, the workspace-wide facts (`rules::Context`) are kept, updated
//! or rebuilt, and only the files whose findings may differ are checked
//! again; both front ends get the same answer as a full check (the property
//! test below applies random edits and compares).

use std::collections::BTreeSet;
use std::sync::Arc;

use crate::analysis::intern::Id;
use crate::analysis::model::{FileKind, Item, ItemKind};
use crate::analysis::rules::{Context, Diagnostic, Reach, Rule};
use crate::analysis::slice::Slice;
use crate::analysis::workspace::{SourceFile, Workspace};

/// What a file's latest findings hold that decides when it must be checked
/// again although nothing it names changed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Held {
    /// A finding of a rule that a change anywhere in the graph can undo.
    pub sticky: bool,
    /// A dangling dependency, whose suggestion any new ID can change.
    pub dangling: bool,
}

impl Held {
    pub fn of(findings: &[Diagnostic]) -> Held {
        Held {
            sticky: findings.iter().any(|d| d.rule.reach() == Reach::Sticky),
            // A dangling dependency's "did you mean" hint can change when
            // any ID is defined or removed, or when the graph changes (a
            // suggestion that would close a cycle).
            dangling: findings.iter().any(|d| d.rule == Rule::DanglingDependency),
        }
    }
}

/// How one file changed in an analysis pass.
pub struct FileChange {
    pub rel: String,
    /// The file before and after (`None`: not a parsed planning file).
    pub before: Option<Arc<SourceFile>>,
    pub after: Option<Arc<SourceFile>>,
    /// The IDs and aliases the file defined before and after.
    pub old_ids: Vec<Id>,
    pub new_ids: Vec<Id>,
    /// The file is (or was) a roadmap: milestone titles may resolve
    /// differently everywhere.
    pub roadmap: bool,
    /// The file gives items of other files their progress (see
    /// `DialectSpec::progress_sources`): the `Context` is made afresh.
    pub informs_progress: bool,
    /// Other files' items wait for items of this file's by its
    /// dependencies (see `DialectSpec::implied_deps_sources`): the
    /// `Context` is made afresh when its graph facts change.
    pub informs_implied_deps: bool,
    /// The file's items are the same for the dependency graph (see
    /// [`graph_facts`]): the workspace-wide `Context` still holds.
    pub same_graph: bool,
    /// What other files' rules read of the file's items is the same (see
    /// [`summary_facts`]): the files that name them need no re-check.
    pub same_summary: bool,
}

impl FileChange {
    pub fn new(
        rel: String,
        before: Option<Arc<SourceFile>>,
        after: Option<Arc<SourceFile>>,
    ) -> FileChange {
        // A file another file's items take their progress from (a
        // backlog's `config.yml`) changes them whenever its text changes.
        let informs_progress = [&before, &after]
            .into_iter()
            .flatten()
            .any(|f| crate::analysis::dialect::informs_progress(f));
        let informs_implied_deps = [&before, &after]
            .into_iter()
            .flatten()
            .any(|f| crate::analysis::dialect::informs_implied_deps(f));
        let (same_graph, same_summary) = match (&before, &after) {
            (Some(a), Some(b)) if informs_progress && a.text != b.text => (false, false),
            (Some(a), Some(b)) => (
                graph_facts(a) == graph_facts(b),
                a.facts.kind == b.facts.kind && summary_facts(a) == summary_facts(b),
            ),
            _ => (false, false),
        };
        // A roadmap or a milestone file: titles resolve differently.
        let roadmap = [&before, &after]
            .into_iter()
            .flatten()
            .any(|f| crate::analysis::workspace::defines_milestones(f));
        FileChange {
            old_ids: defined_ids(before.as_ref()),
            new_ids: defined_ids(after.as_ref()),
            roadmap,
            informs_progress,
            informs_implied_deps,
            same_graph,
            same_summary,
            before,
            after,
            rel,
        }
    }

    fn ids_changed(&self) -> bool {
        self.old_ids != self.new_ids
    }
}

/// What the dependency graph and the other workspace-wide facts
/// (`rules::Context`: cycles, issue numbers, done items) read from a
/// file: each item's kind, IDs, title, parent, metadata fields, progress
/// and dependency targets, in order. Positions and prose are left out, so
/// typing in a description or a criterion keeps the `Context`. Fields are
/// compared whole (not only those the graph reads today) to stay safe when
/// the graph starts reading more of them.
pub fn graph_facts(file: &SourceFile) -> impl PartialEq + '_ {
    // A stories index gives the stories without a Status theirs.
    let index_rows = story_index_rows(file);
    let items = file
        .facts
        .items
        .iter()
        .map(|item| {
            (
                identity(item),
                item.fields
                    .iter()
                    .map(|f| (f.label, f.value(&file.text)))
                    .collect::<Vec<_>>(),
                (item.progress, item.status.as_ref().map(|(s, _)| s)),
                item.deps
                    .iter()
                    .map(|d| (&d.target, d.role))
                    .collect::<Vec<_>>(),
                item.milestone.as_ref().map(|m| &m.target),
            )
        })
        .collect::<Vec<_>>();
    (items, index_rows, implied_deps_references(file))
}

/// The references of a file whose facts tell other files' items what they
/// wait for (see `DialectSpec::implied_deps_sources`), which its dialect may
/// read for that (an OpenSpec delta's removal written as a bullet): empty
/// for any other file, whose references the graph does not read.
fn implied_deps_references(file: &SourceFile) -> Vec<(&crate::analysis::model::Target, &str)> {
    if !crate::analysis::dialect::informs_implied_deps(file) {
        return Vec::new();
    }
    file.facts
        .references
        .iter()
        .map(|r| (&r.target, r.written.as_str()))
        .collect()
}

/// What names an item and places it: its kind, IDs, title and parent.
fn identity(item: &Item) -> (ItemKind, &Id, &Vec<Id>, &Slice, &Option<Id>) {
    (
        item.kind,
        &item.id,
        &item.aliases,
        &item.title,
        &item.parent,
    )
}

/// What the rules of other files read of a file's items: whether they
/// exist and are done (dangling and done-with-open dependencies), their
/// titles and statuses (the index), and the parts of a task's story.
/// Dependencies are left out: a change to them reaches other files only
/// through cycles, which are re-checked where they are.
pub fn summary_facts(file: &SourceFile) -> impl PartialEq + '_ {
    let index_rows = story_index_rows(file);
    let items = file
        .facts
        .items
        .iter()
        .map(|item| {
            (
                identity(item),
                (item.progress, item.status.as_ref().map(|(s, _)| s)),
                item.field_value(&file.text, "status"),
            )
        })
        .collect::<Vec<_>>();
    (items, index_rows)
}

/// One row of a stories index: the story's ID and each cell's column and
/// value.
type IndexRowFacts<'a> = (&'a Id, Vec<(Id, &'a str)>);

/// The rows of a stories index (what the statuses of the stories it lists
/// are read from), positions left out; `None` for other files.
fn story_index_rows(file: &SourceFile) -> Option<Vec<IndexRowFacts<'_>>> {
    if file.facts.kind != FileKind::StoryIndex {
        return None;
    }
    Some(
        file.facts
            .index
            .iter()
            .flat_map(|table| &table.rows)
            .map(|row| {
                let cells = row
                    .cells
                    .iter()
                    .map(|c| (c.column, c.value(&file.text)))
                    .collect();
                (&row.id, cells)
            })
            .collect(),
    )
}

/// The IDs and aliases a file defines.
pub fn defined_ids(file: Option<&Arc<SourceFile>>) -> Vec<Id> {
    file.map(|f| {
        f.facts
            .items
            .iter()
            .flat_map(|i| std::iter::once(&i.id).chain(&i.aliases))
            .cloned()
            .collect()
    })
    .unwrap_or_default()
}

/// The workspace-wide facts after `changes`: the previous ones when no
/// change touched the graph, updated from them when every change kept its
/// items' IDs, else computed afresh.
pub fn updated_context(
    ws: &Workspace,
    previous: Option<&Arc<Context>>,
    changes: &[FileChange],
) -> Arc<Context> {
    let Some(previous) = previous else {
        return Arc::new(Context::new(ws));
    };
    if changes.iter().all(|c| c.same_graph) {
        return previous.clone();
    }
    if changes
        .iter()
        .any(|c| (c.informs_progress || c.informs_implied_deps) && !c.same_graph)
    {
        return Arc::new(Context::new(ws));
    }
    let pairs: Option<Vec<(&SourceFile, &SourceFile)>> = changes
        .iter()
        .filter(|c| !c.same_graph)
        .map(|c| Some((&**c.before.as_ref()?, &**c.after.as_ref()?)))
        .collect();
    pairs
        .and_then(|pairs| previous.updated(ws, &pairs))
        .map(Arc::new)
        .unwrap_or_else(|| Arc::new(Context::new(ws)))
}

/// The files whose diagnostics may differ after `changes`: the changed
/// files; when what others read of them changed, the files that name an
/// ID they defined before or after and the indexes; when the graph
/// changed, the files that held sticky findings and the files now in a
/// cycle or sharing an issue number, and the files with a dangling
/// dependency. `None` means every file (a roadmap changed).
pub fn affected<'a>(
    ws: &Workspace,
    ctx: &Context,
    changes: &[FileChange],
    held: impl Iterator<Item = (&'a str, Held)>,
) -> Option<BTreeSet<String>> {
    if changes.iter().any(|c| c.roadmap) {
        return None;
    }
    let mut files: BTreeSet<String> = BTreeSet::new();
    let mut summaries_changed = false;
    for change in changes {
        files.insert(change.rel.clone());
        // A dialect's files of one scope read each other (a spec's tasks
        // cover its requirements' criteria, a backlog's tasks are checked
        // against its `config.yml`): they are checked together.
        for file in [&change.before, &change.after].into_iter().flatten() {
            let FileKind::Dialect(dialect) = file.facts.kind else {
                continue;
            };
            // A file other files take their progress from may serve files
            // outside its scope (a BMAD `sprint-status.yaml` whose stories
            // lie in another folder): every file of its dialect then.
            let scope = if crate::analysis::dialect::informs_progress(file) {
                ""
            } else {
                crate::analysis::dialect::scope(dialect, &change.rel)
            };
            files.extend(
                ws.files_under(scope)
                    .iter()
                    .filter(|f| {
                        matches!(f.facts.kind, FileKind::Dialect(d) if d.dialect == dialect.dialect)
                    })
                    .map(|f| f.rel.to_string()),
            );
        }
        if change.same_summary && !change.ids_changed() {
            continue;
        }
        summaries_changed = true;
        // A stories index changes the status of the stories it lists:
        // their files and the files that name them are checked again.
        for file in [&change.before, &change.after].into_iter().flatten() {
            if file.facts.kind != FileKind::StoryIndex {
                continue;
            }
            // A status it gives a story also counts for `missing-story-status`
            // of the other stories of that story's folder.
            let mut folders: BTreeSet<&str> = BTreeSet::new();
            folders.insert(crate::analysis::rules::folder_of(&file.rel));
            for row in file.facts.index.iter().flat_map(|t| &t.rows) {
                files.extend(ws.referrers(&row.id).map(str::to_string));
                for loc in ws.definitions(&row.id) {
                    files.insert(loc.rel.to_string());
                    folders.insert(crate::analysis::rules::folder_of(&loc.rel));
                }
            }
            for folder in folders {
                files.extend(
                    ws.files_in_folder(folder)
                        .filter(|f| f.facts.kind == FileKind::Story)
                        .map(|f| f.rel.to_string()),
                );
            }
        }
        // Whether a story lacks a Status is judged against its folder's
        // other stories: they are checked again when one gains or loses one.
        let is_story = |f: &Option<Arc<SourceFile>>| {
            f.as_ref().is_some_and(|f| f.facts.kind == FileKind::Story)
        };
        if is_story(&change.before) || is_story(&change.after) {
            let folder = crate::analysis::rules::folder_of(&change.rel);
            files.extend(
                ws.files_in_folder(folder)
                    .filter(|f| f.facts.kind == FileKind::Story)
                    .map(|f| f.rel.to_string()),
            );
        }
        for id in change.old_ids.iter().chain(&change.new_ids) {
            files.extend(ws.referrers(id).map(str::to_string));
            let defs = ws.definitions(id);
            if defs.len() > 1 {
                files.extend(defs.iter().map(|loc| loc.rel.to_string()));
            }
        }
    }
    if summaries_changed {
        files.extend(ws.index_files().map(str::to_string));
    }
    if changes.iter().all(|c| c.same_graph) {
        return Some(files);
    }
    // A dangling dependency's suggestion depends on the graph too: one that
    // would close a cycle is named as such, or passed over.
    files.extend(
        held.filter(|(_, h)| h.sticky || h.dangling)
            .map(|(rel, _)| rel.to_string()),
    );
    // Every definition of a member: the graph plans an ID defined twice from
    // its first copy that is not done, which need not be the first.
    for cycle in &ctx.cycles {
        for &node in cycle {
            let defs = ws.definitions(&ctx.graph.nodes[node].id);
            files.extend(defs.iter().map(|loc| loc.rel.to_string()));
        }
    }
    for locs in ctx.shared_numbers.values() {
        files.extend(locs.iter().map(|loc| loc.rel.to_string()));
    }
    Some(files)
}

/// Every file of a workspace that can have diagnostics.
pub fn all_files(ws: &Workspace) -> BTreeSet<String> {
    ws.files()
        .into_iter()
        .map(|f| f.rel.to_string())
        .chain(ws.unreadable().keys().cloned())
        .collect()
}

#[cfg(test)]
mod tests {
    //! Incremental checking equals a full check: random edit sequences over
    //! issues (IDs added, removed and duplicated, statuses, titles, folders,
    //! dependencies, cycles), an index, a roadmap, stories (with and
    //! without a Status, done or open tasks) and a stories index giving
    //! their statuses, Backlog.md tasks and their `config.yml`, and GSD
    //! plans of two phases, their summaries and their roadmap; after each
    //! step, the findings kept by re-checking only the affected files, and
    //! the dependency graph kept up to date, must equal those of checking
    //! every file with fresh workspace-wide facts.

    use std::collections::BTreeMap;

    use proptest::prelude::*;

    use super::*;
    use crate::analysis::config::Config;
    use crate::analysis::features::{Derived, FileVersions};
    use crate::analysis::rules::check_file;

    /// One edit of a generated workspace.
    #[derive(Clone, Debug)]
    enum Edit {
        /// Writes issue `n` in a status folder, with a status, a title
        /// variant and dependencies on other issue numbers.
        Issue {
            n: u8,
            done_folder: bool,
            status: u8,
            title: u8,
            deps: Vec<u8>,
            milestone: u8,
        },
        /// Deletes issue `n` from one folder.
        Remove { n: u8, done_folder: bool },
        /// Rewrites the index with these rows (number, title, status).
        Index(Vec<(u8, u8, u8)>),
        /// Writes or deletes the roadmap (milestones M1 and M2 or M1 only).
        Roadmap(Option<bool>),
        /// Types prose into an issue's description (graph unchanged).
        Prose { n: u8, done_folder: bool, words: u8 },
        /// Writes story `n` (or deletes it: `None`) with a Status or none,
        /// a title variant, a pending or done task, and a dependency on
        /// another story.
        Story(u8, Option<(Option<u8>, u8, bool, u8)>),
        /// Rewrites the stories index with these rows (number, title,
        /// status), or deletes it.
        StoryIndex(Option<Vec<(u8, u8, u8)>>),
        /// Writes Backlog.md task `n` with a status of `BACKLOG_STATUSES`,
        /// an open criterion and a dependency on another task, or deletes
        /// it.
        BacklogTask(u8, Option<(u8, u8)>),
        /// Writes sub-task `n` of Backlog.md task 1 (`task-1.n`, in a file
        /// of its own) with a status of `BACKLOG_STATUSES`, or deletes it.
        BacklogSubTask(u8, Option<u8>),
        /// Writes the backlog's `config.yml` with `Released` last (the
        /// done column) or between, or deletes it.
        BacklogConfig(Option<bool>),
        /// Writes GSD plan `n` of phase 1 depending on plan `dep`.
        GsdPlan(u8, u8),
        /// Writes or deletes the summary of GSD plan `n` (done when it is
        /// there).
        GsdSummary(u8, bool),
        /// Writes a spec-kit feature's tasks.md with its first task ticked
        /// or not, or deletes it.
        SpecKitTasks(Option<bool>),
        /// Writes a spec-kit feature's checklist with an open item or
        /// none, or deletes it.
        SpecKitChecklist(Option<bool>),
        /// Writes GSD plan `n` of phase `phase` (1 or 2) depending on plan
        /// `dep` of phase `dep_phase`: across phases, against the
        /// roadmap's order or with it.
        GsdPhasePlan {
            phase: u8,
            n: u8,
            dep_phase: u8,
            dep: u8,
        },
        /// Writes the GSD roadmap, phase 2 depending on phase 1 or on
        /// nothing, phase 1 ticked complete or not, or deletes it.
        GsdRoadmap(Option<(bool, bool)>),
        /// Writes a file with this text, or deletes it: for a case the
        /// other edits cannot make (the generated sequences have none).
        File(String, Option<String>),
    }

    /// `Cancelled` is dropped: closed without being done, whatever its place.
    const BACKLOG_STATUSES: [&str; 5] = ["To Do", "QA", "Released", "Done", "Cancelled"];

    /// `cancelled` is dropped: the graph closes it, though it is not done.
    const STATUSES: [&str; 5] = ["backlog", "planned", "in-progress", "done", "cancelled"];

    fn rel_of(n: u8, done_folder: bool) -> String {
        let folder = if done_folder { "done" } else { "backlog" };
        format!("issues/{folder}/swe-feature-{n:03}.md")
    }

    fn issue_text(title: u8, status: u8, deps: &[u8], milestone: u8, prose: u8) -> String {
        let deps = if deps.is_empty() {
            "none".to_string()
        } else {
            deps.iter()
                .map(|d| format!("swe-feature-{d:03}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        format!(
            "# Shipment view {title}\n\n**Type:** feature\n**Expert:** swe\n**Milestone:** M{milestone}\n\
             **Status:** {}\n\n## User Story\n\nAs a manager, I need the view so that I can ship.\n\n\
             ## Description\n\n{}\n\n## Acceptance Criteria\n\n- [ ] The manager sees the list of parcels\n\n\
             ## Technical Notes\n\n**Estimated effort:** Small\n**Dependencies:** {deps}\n",
            STATUSES[usize::from(status) % STATUSES.len()],
            "word ".repeat(usize::from(prose)),
        )
    }

    fn edit_strategy() -> impl Strategy<Value = Edit> {
        prop_oneof![
            4 => (1u8..=6, any::<bool>(), 0u8..5, 0u8..3, prop::collection::vec(1u8..=8, 0..3), 1u8..=3)
                .prop_map(|(n, done_folder, status, title, deps, milestone)| Edit::Issue {
                    n,
                    done_folder,
                    status,
                    title,
                    deps,
                    milestone,
                }),
            1 => (1u8..=6, any::<bool>()).prop_map(|(n, done_folder)| Edit::Remove { n, done_folder }),
            1 => prop::collection::vec((1u8..=7, 0u8..3, 0u8..5), 0..5).prop_map(Edit::Index),
            1 => prop::option::of(any::<bool>()).prop_map(Edit::Roadmap),
            2 => (1u8..=6, any::<bool>(), 0u8..4).prop_map(|(n, done_folder, words)| Edit::Prose {
                n,
                done_folder,
                words,
            }),
            2 => (1u8..=4, prop::option::of((prop::option::of(0u8..5), 0u8..2, any::<bool>(), 1u8..=5)))
                .prop_map(|(n, story)| Edit::Story(n, story)),
            1 => prop::option::of(prop::collection::vec((1u8..=5, 0u8..2, 0u8..5), 0..4))
                .prop_map(Edit::StoryIndex),
            1 => (1u8..=3, prop::option::of((0u8..5, 1u8..=3)))
                .prop_map(|(n, task)| Edit::BacklogTask(n, task)),
            1 => prop::option::of(any::<bool>()).prop_map(Edit::BacklogConfig),
            1 => (1u8..=2, prop::option::of(0u8..5))
                .prop_map(|(n, status)| Edit::BacklogSubTask(n, status)),
            1 => (1u8..=3, 1u8..=3).prop_map(|(n, dep)| Edit::GsdPlan(n, dep)),
            1 => (1u8..=3, any::<bool>()).prop_map(|(n, there)| Edit::GsdSummary(n, there)),
            1 => prop::option::of(any::<bool>()).prop_map(Edit::SpecKitTasks),
            1 => prop::option::of(any::<bool>()).prop_map(Edit::SpecKitChecklist),
            1 => (1u8..=2, 1u8..=2, 1u8..=2, 1u8..=3).prop_map(|(phase, n, dep_phase, dep)| {
                Edit::GsdPhasePlan { phase, n, dep_phase, dep }
            }),
            1 => prop::option::of(any::<(bool, bool)>()).prop_map(Edit::GsdRoadmap),
        ]
    }

    /// Applies an edit and returns the files it touched with their new text
    /// (`None`: deleted).
    fn texts_of(ws: &Workspace, edit: &Edit) -> Vec<(String, Option<String>)> {
        match edit {
            Edit::Issue {
                n,
                done_folder,
                status,
                title,
                deps,
                milestone,
            } => vec![(
                rel_of(*n, *done_folder),
                Some(issue_text(*title, *status, deps, *milestone, 0)),
            )],
            Edit::Remove { n, done_folder } => vec![(rel_of(*n, *done_folder), None)],
            Edit::File(rel, text) => vec![(rel.clone(), text.clone())],
            Edit::Index(rows) => {
                let mut text = "# Issues\n\n| File | Title | Status |\n|------|-------|--------|\n"
                    .to_string();
                for (n, title, status) in rows {
                    text.push_str(&format!(
                        "| swe-feature-{n:03} | Shipment view {title} | {} |\n",
                        STATUSES[usize::from(*status) % STATUSES.len()]
                    ));
                }
                vec![("issues/issues-list.md".to_string(), Some(text))]
            }
            Edit::Roadmap(None) => vec![("docs/roadmap.md".to_string(), None)],
            Edit::Roadmap(Some(two)) => {
                let mut text = "# Roadmap\n\n## M1 - Shipping\n\nFirst.\n".to_string();
                if *two {
                    text.push_str("\n## M2 - Tracking\n\nSecond.\n");
                }
                vec![("docs/roadmap.md".to_string(), Some(text))]
            }
            Edit::Story(n, None) => vec![(format!("docs/stories/{n:03}-story.md"), None)],
            Edit::Story(n, Some((status, title, task_done, dep))) => {
                let status = status
                    .map(|s| format!("**Status:** {}\n\n", STATUSES[usize::from(s)]))
                    .unwrap_or_default();
                let task = if *task_done { "done" } else { "pending" };
                let text = format!(
                    "# Story {n:03}: Story title {title}\n\n{status}## Acceptance Criteria\n\n\
                     - [ ] The manager sees the list\n\n## Dependencies\n\n- Story {dep:03}\n\n\
                     ## Tasks\n\n### 001: Step\n**Domain:** backend\n**Status:** {task}\n**Depends on:** none\n"
                );
                vec![(format!("docs/stories/{n:03}-story.md"), Some(text))]
            }
            Edit::StoryIndex(None) => vec![("docs/stories/README.md".to_string(), None)],
            Edit::StoryIndex(Some(rows)) => {
                let mut text = "# Stories\n\n| # | Title | Status |\n|---|---|---|\n".to_string();
                for (n, title, status) in rows {
                    text.push_str(&format!(
                        "| {n:03} | Story title {title} | ✅ {} |\n",
                        STATUSES[usize::from(*status) % STATUSES.len()]
                    ));
                }
                vec![("docs/stories/README.md".to_string(), Some(text))]
            }
            Edit::BacklogTask(n, None) => vec![(format!("backlog/tasks/task-{n} - Step.md"), None)],
            Edit::BacklogTask(n, Some((status, dep))) => {
                let text = format!(
                    "---\nid: task-{n}\ntitle: Step {n}\nstatus: {}\ndependencies: [task-{dep}]\n---\n\n\
                     ## Acceptance Criteria\n<!-- AC:BEGIN -->\n- [ ] #1 It ships\n<!-- AC:END -->\n",
                    BACKLOG_STATUSES[usize::from(*status)]
                );
                vec![(format!("backlog/tasks/task-{n} - Step.md"), Some(text))]
            }
            Edit::BacklogSubTask(n, None) => {
                vec![(format!("backlog/tasks/task-1.{n} - Sub.md"), None)]
            }
            Edit::BacklogSubTask(n, Some(status)) => {
                let text = format!(
                    "---\nid: task-1.{n}\ntitle: Sub {n}\nstatus: {}\nparent_task_id: task-1\n---\n",
                    BACKLOG_STATUSES[usize::from(*status)]
                );
                vec![(format!("backlog/tasks/task-1.{n} - Sub.md"), Some(text))]
            }
            Edit::BacklogConfig(None) => vec![("backlog/config.yml".to_string(), None)],
            Edit::BacklogConfig(Some(last)) => {
                let statuses = if *last {
                    "[To Do, QA, Released]"
                } else {
                    "[To Do, Released, QA]"
                };
                let text = format!("project_name: Shop\nstatuses: {statuses}\n");
                vec![("backlog/config.yml".to_string(), Some(text))]
            }
            Edit::GsdPlan(n, dep) => {
                let text = format!(
                    "---\nphase: 01-ship\nplan: 0{n}\nwave: 1\ndepends_on: [01-0{dep}]\n---\n\nShip it.\n"
                );
                vec![(
                    format!(".planning/phases/01-ship/01-0{n}-PLAN.md"),
                    Some(text),
                )]
            }
            Edit::GsdSummary(n, there) => {
                let text = there.then(|| format!("# Plan 01-0{n} summary\n"));
                vec![(format!(".planning/phases/01-ship/01-0{n}-SUMMARY.md"), text)]
            }
            Edit::SpecKitTasks(tasks) => {
                let text = tasks.map(|ticked| {
                    let mark = if ticked { 'x' } else { ' ' };
                    format!("# Tasks\n\n## Phase 1: Setup\n\n- [{mark}] T001 Create the app\n- [ ] T002 Add the list\n")
                });
                vec![("specs/001-ship/tasks.md".to_string(), text)]
            }
            Edit::SpecKitChecklist(checklist) => {
                let text = checklist.map(|open| {
                    let mark = if open { ' ' } else { 'x' };
                    format!("# Checklist\n\n- [x] CHK001 Stories are testable\n- [{mark}] CHK002 Errors are named\n")
                });
                vec![(
                    "specs/001-ship/checklists/requirements.md".to_string(),
                    text,
                )]
            }
            Edit::GsdPhasePlan {
                phase,
                n,
                dep_phase,
                dep,
            } => {
                // Plans 01-01 to 01-03 are `GsdPlan`'s; this one writes 01-04
                // and 01-05 of phase 1.
                let (folder, number) = match phase {
                    1 => ("01-ship", n + 3),
                    _ => ("02-track", *n),
                };
                let text = format!(
                    "---\nphase: {folder}\nplan: 0{number}\nwave: 1\ndepends_on: [0{dep_phase}-0{dep}]\n---\n\nDo it.\n"
                );
                vec![(
                    format!(".planning/phases/{folder}/0{phase}-0{number}-PLAN.md"),
                    Some(text),
                )]
            }
            Edit::GsdRoadmap(None) => vec![(".planning/ROADMAP.md".to_string(), None)],
            Edit::GsdRoadmap(Some((ordered, first_done))) => {
                let tick = if *first_done { "x" } else { " " };
                let depends = if *ordered { "Phase 1" } else { "Nothing" };
                let text = format!(
                    "# Roadmap\n\n- [{tick}] **Phase 1: Ship**\n- [ ] **Phase 2: Track**\n\n\
                     ### Phase 1: Ship\n**Depends on:** Nothing (first phase)\n\n\
                     ### Phase 2: Track\n**Depends on:** {depends}\n"
                );
                vec![(".planning/ROADMAP.md".to_string(), Some(text))]
            }
            Edit::Prose {
                n,
                done_folder,
                words,
            } => {
                let rel = rel_of(*n, *done_folder);
                let Some(file) = ws.file(&rel) else {
                    return Vec::new();
                };
                let text = file.text.replace(
                    "## Description\n\n",
                    &format!("## Description\n\n{}", "more ".repeat(usize::from(*words))),
                );
                vec![(rel, Some(text))]
            }
        }
    }

    /// A workspace kept up to date incrementally, as the server keeps one.
    struct Incremental {
        ws: Workspace,
        ctx: Option<Arc<Context>>,
        findings: BTreeMap<String, Vec<Diagnostic>>,
        /// The editing features' facts, updated from the last ones.
        derived: Option<Derived>,
    }

    impl Incremental {
        fn apply(&mut self, batch: &[Edit]) {
            let mut changes = Vec::new();
            for edit in batch {
                for (rel, text) in texts_of(&self.ws, edit) {
                    let before = self.ws.file(&rel).cloned();
                    match text {
                        Some(text) => {
                            self.ws.set_file(&rel, Arc::from(text));
                        }
                        None => self.ws.remove_file(&rel),
                    }
                    let after = self.ws.file(&rel).cloned();
                    changes.push(FileChange::new(rel, before, after));
                }
            }
            let ctx = updated_context(&self.ws, self.ctx.as_ref(), &changes);
            let held = self
                .findings
                .iter()
                .map(|(rel, found)| (rel.as_str(), Held::of(found)));
            let files = match affected(&self.ws, &ctx, &changes, held) {
                Some(files) => files,
                None => {
                    let mut all = all_files(&self.ws);
                    all.extend(self.findings.keys().cloned());
                    all
                }
            };
            for rel in files {
                if self.ws.file(&rel).is_some() {
                    let found = check_file(&self.ws, &ctx, &rel);
                    self.findings.insert(rel, found);
                } else {
                    self.findings.remove(&rel);
                }
            }
            let versions: Vec<FileVersions<'_>> = changes
                .iter()
                .map(|c| (c.before.as_deref(), c.after.as_deref()))
                .collect();
            self.derived = Some(match &self.derived {
                Some(previous) => Derived::updated(previous, &self.ws, ctx.clone(), &versions),
                None => Derived::new(&self.ws, ctx.clone()),
            });
            self.ctx = Some(ctx);
        }
    }

    fn full_check(ws: &Workspace) -> BTreeMap<String, Vec<Diagnostic>> {
        let ctx = Context::new(ws);
        all_files(ws)
            .into_iter()
            .map(|rel| {
                let found = check_file(ws, &ctx, &rel);
                (rel, found)
            })
            .collect()
    }

    fn non_empty(map: &BTreeMap<String, Vec<Diagnostic>>) -> BTreeMap<&str, &Vec<Diagnostic>> {
        map.iter()
            .filter(|(_, found)| !found.is_empty())
            .map(|(rel, found)| (rel.as_str(), found))
            .collect()
    }

    /// Each node of a graph by ID, with what it waits for, whether it is
    /// done and the IDs it names that name nothing: what the plan reads,
    /// whatever the order of the nodes.
    fn graph_summary(graph: &crate::analysis::graph::Graph) -> Vec<String> {
        let mut nodes: Vec<String> = graph
            .nodes
            .iter()
            .map(|node| {
                let mut deps: Vec<&str> = node
                    .deps
                    .iter()
                    .map(|&d| graph.nodes[d].id.as_str())
                    .collect();
                deps.sort_unstable();
                format!(
                    "{} done={} deps={deps:?} dangling={:?}",
                    node.id, node.done, node.dangling
                )
            })
            .collect();
        nodes.sort();
        nodes
    }

    /// Applies each batch in turn and compares the incremental findings,
    /// dependency graph and editing facts with fresh ones after each.
    fn replay(steps: &[Vec<Edit>]) -> Result<(), TestCaseError> {
        let mut state = Incremental {
            ws: Workspace::new(Config::default(), Vec::new()),
            ctx: None,
            findings: BTreeMap::new(),
            derived: None,
        };
        for (i, batch) in steps.iter().enumerate() {
            state.apply(batch);
            // The workspace kept up to date through the edits, and one
            // loaded afresh from the same texts, check alike.
            let mut loaded = Workspace::new(Config::default(), Vec::new());
            for file in state.ws.files() {
                loaded.set_file(&file.rel, file.text.clone());
            }
            prop_assert_eq!(
                state.ws.index_summary(),
                loaded.index_summary(),
                "ID indexes after step {} ({:?})",
                i,
                batch
            );
            let full = full_check(&loaded);
            prop_assert_eq!(
                non_empty(&state.findings),
                non_empty(&full),
                "after step {} ({:?})",
                i,
                batch
            );
            let fresh_ctx = Arc::new(Context::new(&loaded));
            let kept_ctx = state.ctx.as_ref().expect("made by every step");
            prop_assert_eq!(
                graph_summary(&kept_ctx.graph),
                graph_summary(&fresh_ctx.graph),
                "dependency graph after step {} ({:?})",
                i,
                batch
            );
            let fresh = Derived::new(&loaded, fresh_ctx);
            let updated = state.derived.as_ref().expect("made by every step");
            prop_assert_eq!(
                updated.summary(),
                fresh.summary(),
                "editing facts after step {} ({:?})",
                i,
                batch
            );
        }
        Ok(())
    }

    /// A backlog's `config.yml` moving `Released` away from the last
    /// column reopens the task in it: the plan and the findings of the
    /// tasks depending on it follow.
    #[test]
    fn a_config_edit_changes_the_progress_of_the_tasks() {
        let steps = [
            vec![Edit::BacklogConfig(Some(true))],
            vec![
                Edit::BacklogTask(1, Some((2, 2))),
                Edit::BacklogTask(2, Some((2, 3))),
            ],
            vec![Edit::BacklogConfig(Some(false))],
            vec![Edit::BacklogConfig(Some(true))],
        ];
        replay(&steps).unwrap();
    }

    /// A GSD phase's plans wait for the open plans of the phase it depends
    /// on that come last among them. An edit of plan 01-01's `depends_on`
    /// changes which those are (01-01 stops waiting for 01-02, so only
    /// 01-02 comes last): plan 02-01, in another file, waits for 01-02
    /// alone afterwards. The graph was remade for the edited file only and
    /// kept 02-01 waiting for 01-01 as well (found by the property test).
    #[test]
    fn a_plan_edit_changes_what_the_next_phase_s_plans_wait_for() {
        let steps = [
            vec![Edit::GsdPlan(1, 2)],
            vec![
                Edit::GsdPlan(2, 1),
                Edit::GsdPhasePlan {
                    phase: 2,
                    n: 1,
                    dep_phase: 1,
                    dep: 2,
                },
            ],
            vec![Edit::GsdRoadmap(Some((true, false)))],
            vec![Edit::GsdPlan(1, 1)],
        ];
        replay(&steps).unwrap();
    }

    /// An edit of a plan that leaves its dependencies alone (prose) keeps
    /// the workspace-wide context: only a change of what other plans wait
    /// for makes it afresh, as typing in a plan must not rebuild the graph
    /// of the whole workspace at each keystroke.
    #[test]
    fn a_prose_edit_of_a_plan_keeps_the_context() {
        let mut ws = Workspace::new(Config::default(), Vec::new());
        let rel = ".planning/phases/01-ship/01-01-PLAN.md";
        let plan = |prose: &str, dep: &str| {
            format!("---\nphase: 01-ship\nplan: 01\nwave: 1\ndepends_on: [{dep}]\n---\n\n{prose}\n")
        };
        ws.set_file(rel, Arc::from(plan("Ship it.", "")));
        let ctx = updated_context(&ws, None, &[]);
        let edit = |ws: &mut Workspace, text: String| {
            let before = ws.file(rel).cloned();
            ws.set_file(rel, Arc::from(text));
            let change = FileChange::new(rel.to_string(), before, ws.file(rel).cloned());
            assert!(change.informs_implied_deps);
            updated_context(ws, Some(&ctx), &[change])
        };
        let after_prose = edit(&mut ws, plan("Ship it today.", ""));
        assert!(Arc::ptr_eq(&ctx, &after_prose));
        let after_deps = edit(&mut ws, plan("Ship it today.", "01-02"));
        assert!(!Arc::ptr_eq(&ctx, &after_deps));
    }

    /// An ID defined twice is planned from its copy that is not done, here
    /// the second: a cycle closed through it (7 -> 8 -> 6 -> 7, closed by
    /// an edit of 6, which the copy does not name) is reported on that
    /// copy, though the first definition is the done one. (The copy's
    /// `duplicate-id` finding, which is kept across graph changes, has it
    /// checked again too; the cycle's members are checked in every copy
    /// whatever their other findings.)
    #[test]
    fn a_cycle_through_the_open_copy_of_a_duplicated_id_is_reported_there() {
        let issue = |n, done_folder, status, deps: Vec<u8>| Edit::Issue {
            n,
            done_folder,
            status,
            title: 0,
            deps,
            milestone: 1,
        };
        let steps = [
            vec![
                issue(7, true, 3, vec![]),
                Edit::File(
                    "issues/in-progress/swe-feature-007.md".to_string(),
                    Some(issue_text(0, 2, &[8], 1, 0)),
                ),
                issue(8, false, 0, vec![6]),
                issue(6, false, 0, vec![]),
            ],
            vec![issue(6, false, 0, vec![7])],
            vec![issue(6, false, 0, vec![])],
        ];
        replay(&steps).unwrap();
    }

    /// A BMAD story whose file gives no status is as far along as its row
    /// of `sprint-status.yaml`, which may lie in another folder than the
    /// story (`story_location` names the story's): marking the row done
    /// makes the story's open task a finding, and reopening it takes that
    /// away.
    #[test]
    fn a_sprint_status_row_moves_a_story_in_another_folder() {
        let tracker = |status: &str| {
            Edit::File(
                "_bmad-output/implementation-artifacts/sprint-status.yaml".to_string(),
                Some(format!(
                    "story_location: docs/stories\ndevelopment_status:\n  epic-1: in-progress\n  1-1-setup: {status}\n"
                )),
            )
        };
        let story = Edit::File(
            "docs/stories/1-1-setup.md".to_string(),
            Some(
                "# Story 1.1: Setup\n\n## Acceptance Criteria\n\n1. It builds\n\n## Tasks / Subtasks\n\n- [ ] Task 1: Build it (AC: 1)\n"
                    .to_string(),
            ),
        );
        let steps = [
            vec![tracker("in-progress"), story],
            vec![tracker("done")],
            vec![tracker("in-progress")],
        ];
        replay(&steps).unwrap();
    }

    /// A BMAD project without a PRD of its own (`apps/a/`) has its stories'
    /// epics checked against the root's PRD: adding the epic there takes
    /// the story's `bmad-unknown-epic` away, and removing it brings it back.
    #[test]
    fn the_root_prd_serves_a_nested_project_without_one() {
        let prd = |epics: &str| {
            Edit::File(
                "docs/prd/epic-details.md".to_string(),
                Some(format!("# Epic Details\n{epics}")),
            )
        };
        let story = Edit::File(
            "apps/a/docs/stories/4.1.work.story.md".to_string(),
            Some(
                "# Story 4.1: Work\n## Status\nDraft\n## Acceptance Criteria\n1. x\n## Tasks / Subtasks\n- [ ] Build it (AC: 1)\n"
                    .to_string(),
            ),
        );
        let steps = [
            vec![prd("## Epic 1: Accounts\n"), story],
            vec![prd("## Epic 1: Accounts\n## Epic 4: Work\n")],
            vec![prd("## Epic 1: Accounts\n")],
        ];
        replay(&steps).unwrap();
    }

    /// A GSD roadmap that makes phase 2 depend on phase 1 puts phase 2's
    /// plans after phase 1's, closing a cycle with a plan of phase 1 that
    /// depends on one of phase 2; ticking phase 1 complete, or a summary,
    /// opens it again.
    #[test]
    fn a_roadmap_dependency_orders_the_plans_of_its_phases() {
        let plan = |phase, n, dep_phase, dep| Edit::GsdPhasePlan {
            phase,
            n,
            dep_phase,
            dep,
        };
        let steps = [
            vec![plan(1, 1, 2, 1), plan(2, 1, 2, 2), plan(2, 2, 1, 3)],
            vec![Edit::GsdRoadmap(Some((true, false)))],
            vec![Edit::GsdSummary(3, true)],
            vec![Edit::GsdRoadmap(Some((true, true)))],
            vec![Edit::GsdRoadmap(Some((false, false)))],
            vec![Edit::GsdRoadmap(Some((true, false))), plan(1, 2, 1, 1)],
            vec![Edit::GsdRoadmap(None)],
        ];
        replay(&steps).unwrap();
    }

    /// A GSD summary written or deleted finishes or reopens its plan.
    #[test]
    fn a_summary_finishes_its_plan() {
        let steps = [
            vec![Edit::GsdPlan(1, 2), Edit::GsdPlan(2, 3)],
            vec![Edit::GsdSummary(1, true)],
            vec![Edit::GsdSummary(2, true)],
            vec![Edit::GsdSummary(1, false)],
        ];
        replay(&steps).unwrap();
    }

    /// Ticking a spec-kit task starts the feature: its open checklist is
    /// reported, and no longer when the task is unticked or the checklist
    /// completed.
    #[test]
    fn a_started_feature_reports_its_open_checklist() {
        let steps = [
            vec![
                Edit::SpecKitChecklist(Some(true)),
                Edit::SpecKitTasks(Some(false)),
            ],
            vec![Edit::SpecKitTasks(Some(true))],
            vec![Edit::SpecKitChecklist(Some(false))],
            vec![Edit::SpecKitChecklist(Some(true))],
            vec![Edit::SpecKitTasks(None)],
        ];
        replay(&steps).unwrap();
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1000))]

        /// Also checks that the editing features' facts updated after each
        /// step equal those made afresh.
        #[test]
        fn incremental_findings_equal_a_full_check(
            steps in prop::collection::vec(prop::collection::vec(edit_strategy(), 1..4), 1..10)
        ) {
            replay(&steps)?;
        }
    }
}
