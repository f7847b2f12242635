//! The Backlog.md dialect on two real backlogs
//! (`tests/corpora/backlogmd-*`): every finding, snapshotted in
//! `tests/snapshots/backlogmd-<corpus>.txt`, with the review of each
//! below, and the facts the findings rest on.
//!
//! `backlogmd-AIToolsLab-writing-tools` (24 tasks, 1 archived):
//!
//! - `backlog-done-with-open-criteria` (1): `task-4` is `Done` with none
//!   of its three criteria ticked and no notes saying why. The status and
//!   the checklist disagree, as the rule says (the reading
//!   `done-with-open-criteria` has on the project-workflow corpus).
//!
//! `backlogmd-CRJFisher-code-charter` (171 files: 87 tasks to four levels
//! of sub-tasks, 12 in `completed/`, 55 archived, drafts, docs, a
//! decision):
//!
//! - `backlog-done-with-open-criteria` (16): tasks whose status is `Done`,
//!   or that sit in `completed/` (which Backlog.md's readiness takes as
//!   completion whatever the status says), with unticked criteria.
//!   Thirteen have none ticked; `task-27.1.20.13` and `task-27.1.20.17`
//!   have one box of several left; `completed/task-11` (status `In
//!   Progress`) has 11 of 88 open, and its own notes say "Completed (64 of
//!   88 AC items)" and list deferred ones. Each is a real disagreement
//!   between where the task stands and its checklist, reported once per
//!   task.
//! - `done-with-open-dependency` (3, generic): `task-27.0.1` depends on
//!   `task-21.1`, `task-27.1.4` and `task-27.1.6` on `task-21.2`; the three
//!   are `Done`, the two they depend on `To Do`. Backlog.md's own
//!   readiness would call them blocked: true, as a warning.
//! - `done-with-open-tasks` (1, generic): `task-27.0.3` is `Done` while
//!   its sub-task `task-27.0.3.1` (a file of its own, `parent_task_id:
//!   TASK-27.0.3`) is `To Do`. The sub-task was filed later as a follow-up
//!   ("semantic anchor resolution"), but the parent's status says its
//!   work is finished while part of it is open: the disagreement the rule
//!   reports, as a warning. Filing the follow-up as a task of its own, or
//!   reopening the parent, settles it.
//! - `dependency-cycle` (3, generic, error): `task-27.1.15` depends on
//!   `task-27.1.6`; `task-27.1.6.6`, a sub-task of `task-27.1.6`, depends
//!   on `task-27.1.15`. The plan reads a parent as finished when its
//!   sub-tasks are (it waits for them, and they for what it waits for),
//!   so `task-27.1.6` cannot be finished before `task-27.1.15`, which
//!   cannot start before `task-27.1.6` is finished: a cycle, reported at
//!   the three dependencies that close it (`task-27.1.6.7` and the
//!   sub-tasks of `task-27.1.15` are in it through the same relation).
//!   Backlog.md itself does not relate a parent's completion to its
//!   sub-tasks, so it shows nothing; the project did finish a follow-up
//!   sub-task of `task-27.1.6` after `task-27.1.15`, which says the
//!   follow-up was not part of what `task-27.1.15` waited for. True of
//!   the plan as written; filing the follow-up outside `task-27.1.6`
//!   would remove it.
//!
//! Silent, and why:
//!
//! - Sub-tasks list their parent among their dependencies
//!   (`task-27.1.2` depends on `task-27.1`, its parent) in 31 files. The
//!   parent already waits for its sub-tasks, so these are read as the
//!   link to the parent they are, not as dependencies: read as
//!   dependencies, every such pair would be reported as a cycle.
//! - `task-29.4` is in `tasks/` and in `archive/tasks/`, `task-9` in
//!   `completed/` and in `archive/tasks/`: Backlog.md reuses archived IDs
//!   (archiving is a soft delete), so archived tasks define no ID and
//!   these are no duplicates.
//! - `completed/task-14.1` to `14.3` name `task-14`, which is archived:
//!   archiving keeps the children's `parent_task_id`, so the parent is
//!   not missing.
//! - The two archived tasks without front matter (`task-2`, `task-3`)
//!   were written before Backlog.md had it; archived files are checked
//!   only for YAML that does not parse. The archive's sub-tasks of
//!   `task-3` name it as parent and depend on archived tasks: archived
//!   tasks are not checked for links.
//! - `drafts/` holds three free-form review documents whose names have no
//!   `draft-N` prefix: Backlog.md does not list them, and neither does
//!   planmark; `docs/vision.md` and the other documents without a `doc-N`
//!   prefix likewise.
//! - Every status is one of `config.yml`'s; the decision's `accepted` is a
//!   decision status, not a task's. Every front matter parses (unquoted
//!   `@` handles in `assignee` are read as Backlog.md reads them). IDs are
//!   written `TASK-27.1` and `task-27.1` alike and compare equal.

use planmark::analysis::model::ItemKind;

/// Every finding of the corpus, one per line: `rel:line rule message`.
fn findings(corpus: &str) -> (String, usize) {
    let loaded = crate::corpus::load(corpus);
    let ws = &loaded.workspace;
    assert!(ws.unreadable().is_empty(), "{:?}", ws.unreadable());
    let tasks = ws.items().filter(|(_, i)| i.kind == ItemKind::Task).count();
    (crate::corpus::findings(ws).0, tasks)
}

#[test]
fn writing_tools_findings_are_the_reviewed_ones() {
    let (found, tasks) = findings("backlogmd-AIToolsLab-writing-tools");
    assert_eq!(tasks, 24, "every task of tasks/ is read");
    expect_test::expect_file!["../snapshots/backlogmd-AIToolsLab-writing-tools.txt"]
        .assert_eq(&found);
}

#[test]
fn code_charter_findings_are_the_reviewed_ones() {
    let (found, tasks) = findings("backlogmd-CRJFisher-code-charter");
    assert_eq!(tasks, 99, "every task of tasks/ and completed/ is read");
    expect_test::expect_file!["../snapshots/backlogmd-CRJFisher-code-charter.txt"]
        .assert_eq(&found);
}
