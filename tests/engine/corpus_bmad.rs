//! The findings on two real BMAD-METHOD projects, reviewed one by one.
//!
//! # v4: `tests/corpora/bmad4-BOHICA-LABS-writescore`
//!
//! 47 stories `docs/stories/{epic}.{story}.{slug}.story.md`, one epic note
//! in the stories folder (`6.x.remaining-improvements-bootstrap.md`, read
//! as BMAD's and holding no story) and the sharded PRD `docs/prd/` (8
//! files; `5-epic-details.md` defines epics 1 to 8 with their stories).
//! Before the BMAD dialect, every story was read as the first workflow's
//! story 001 to 008 and the check reported 109 errors (`duplicate-id`,
//! `missing-acceptance-criteria`): all false. Now:
//!
//! - `bmad-unknown-criterion` (1, error): story 2.4's `Task 12 … (AC: 12)`,
//!   while its criteria are `### AC1` to `### AC11` and no AC12 is written
//!   anywhere in the file. The trace the `(AC: …)` exists for is broken:
//!   real. It is the one error, so the check exits 1.
//! - `done-with-open-tasks` (48, warnings): a story or task marked done
//!   while checkboxes under it are not ticked. Spot-checked in every file:
//!   e.g. 8.1's `- [x] **Task 1**` over six `- [ ] Subtask 1.x` lines,
//!   1.4a's ticked `Create dimensions/predictability.py` over unticked
//!   steps, 2.6 `**Status**: Done` with every box of its five phases
//!   unticked, 2.4's `Task 8 … **FUTURE WORK**` unticked under a
//!   COMPLETE story. Real:
//!   either the boxes or the status are wrong. Boxes marked `[~]` (1.16's
//!   "uses base class default", "deferred") count as settled and are not
//!   reported.
//! - `done-with-open-criteria` (5, warnings): done stories (2.4, 2.4b,
//!   2.4c, 2.5, 2.6) whose `### ACn` checklists are partly or wholly
//!   unticked. Real, for the same reason.
//! - `bmad-unknown-status` (9, warnings): `✅ COMPLETED` (1.4a) and
//!   `✅ COMPLETE` (2.4, 2.5), offered `Done`; `Proposed` (2.10, 7.1) and
//!   `PROPOSED` (2.9), offered `Draft`; `Ready for QA Validation` (6.8),
//!   offered `Review`; `Planning Complete` (1.5) and `CRITICAL` (2.1a),
//!   with no guess. None is a word of the template's `Draft, Approved,
//!   InProgress, Review, Done` (nor the dev agent's `Ready for Review`,
//!   which 5.1 and 6.1 to 6.7 use and is accepted), so BMAD's agents,
//!   which compare the status with those words (`create-next-story` stops
//!   at a story that is not `Done`), misread them. Real. Decorated words
//!   are accepted: `Done ✅`, `✅ APPROVED`, `Draft - Awaiting PM Review`.
//! - `bmad-missing-section` (2, warnings): 1.5 (an implementation plan
//!   named as a story) and 2.1a (a remediation plan) have no `## Acceptance
//!   Criteria`. Real: they are not stories BMAD's dev agent can finish.
//!   Stories that give their status as `**Status**: Done` instead of a
//!   `## Status` section (25 of them) are read, not reported.
//! - `bmad-uncovered-criterion` (7, infos): criteria no task names:
//!   6.2's AC 29 (its tasks name 1-9, 10-15, 16-23, 24 and 25-28: the
//!   test task is one off), 6.8's 8 to 10 (phase 3 has no tasks yet), 2.2's
//!   and 2.4a's AC4, 7.1's AC5. Checked against each file. Info, as a
//!   criterion may be met by a task that forgot to say so.
//!
//! Silent, and why: `**Task 1**: … (AC: 1, 2)`, `(AC: 1-9)`, `(AC1, AC2)`,
//! `*(AC1)*`, `(AC: All)` are read as what a task covers; `(AC1
//! validation)` and `(ACs define completeness)` are prose; `### AC1:`
//! headings and numbered lists restarting under sub-headings are read as
//! criteria without duplicates; `### Phase 1 (AC: 1, 7, 8)` headings over
//! checkboxes are tasks whose subtasks those are; story titles numbered
//! otherwise than their files (`1.4a` titled `Story 1.4.5`) keep the file's
//! number; every story's epic is in the PRD.
//!
//! # v6: `tests/corpora/bmad6-Alberto-Codes-adk-secure-sessions`
//!
//! 34 stories `{epic}-{story}-{slug}.md` and `sprint-status.yaml` in
//! `_bmad-output/implementation-artifacts/`, `7-1-spike-findings.md` (a
//! companion of story 7.1: no status, no criteria, so no story), and
//! `planning-artifacts/epics.md`. Retrospectives and tech specs are not
//! stories and are not read.
//!
//! - `bmad-status-mismatch` (4, warnings): stories 1.2, 1.3, 3.1 and 4.4
//!   say `Status: review` while `sprint-status.yaml` has them `done`; each
//!   is reported once, in the story, with the YAML value as its related
//!   place. Real: BMAD's workflows read one or the other and disagree on
//!   what is left.
//! - `bmad-unknown-status` (3, warnings): `superseded` on stories 4.1 to
//!   4.3 in `sprint-status.yaml`. The file's own comment documents it, but
//!   BMAD's `sprint-status` workflow validates statuses against `backlog,
//!   ready-for-dev, in-progress, review, done` and flags any other as
//!   unknown itself. Real, as a warning.
//! - `done-with-open-tasks` (3, warnings): 1.10 is done with task 6
//!   (post-merge migration) unticked; 1.11's task 5 and 2.3's task 4 are
//!   ticked over an unticked subtask. Real. 1.10's `Task 7 (optional)` is
//!   not counted.
//! - `bmad-uncovered-criterion` (3, infos): 2.2's criterion 2, 3.1's 11
//!   and 3.2's 13 are named by no `(AC: #n)`. Checked. Info.
//!
//! Silent, and why: every story file is listed in `sprint-status.yaml`;
//! the keys with no file are `backlog` (4.6, 4.7, epic 5) or `superseded`
//! (4.1 to 4.3), which have none by design; every story's epic is in
//! `epics.md`, whose `## Epic List` repeats the epics as `### Epic N`
//! headings without stories (not definitions, so no duplicates).

use std::process::Command;

/// Every finding of the corpus `name`, one line each, and how many are
/// errors.
fn findings(name: &str, files: usize) -> (String, usize) {
    let loaded = crate::corpus::load(name);
    let ws = &loaded.workspace;
    assert_eq!(ws.file_count(), files);
    crate::corpus::findings(ws)
}

/// The exit code of `planmark check` on the corpus `name`.
fn exit_code(name: &str) -> Option<i32> {
    let root = crate::corpus::root(name);
    Command::new(env!("CARGO_BIN_EXE_planmark"))
        .arg("check")
        .arg(&root)
        .output()
        .expect("planmark runs")
        .status
        .code()
}

#[test]
fn bmad4_corpus_findings_are_the_reviewed_ones() {
    let name = "bmad4-BOHICA-LABS-writescore";
    let (actual, errors) = findings(name, 56);
    assert_eq!(errors, 1, "the one reviewed error, no more");
    expect_test::expect_file!["../snapshots/corpus_bmad4.txt"].assert_eq(&actual);
    assert_eq!(exit_code(name), Some(1), "its one real error");
}

#[test]
fn bmad6_corpus_findings_are_the_reviewed_ones() {
    let name = "bmad6-Alberto-Codes-adk-secure-sessions";
    let (actual, errors) = findings(name, 37);
    assert_eq!(errors, 0, "no errors");
    expect_test::expect_file!["../snapshots/corpus_bmad6.txt"].assert_eq(&actual);
    assert_eq!(exit_code(name), Some(0));
}
