//! BMAD-METHOD: which paths are BMAD's, what the parser reads from v4 and
//! v6 stories, PRDs and `sprint-status.yaml`, each rule firing and silent,
//! the quick fixes, and the generic features (hover, lens, definition,
//! completion, plan) on BMAD items.

use std::fmt::Write as _;
use std::sync::Arc;

use expect_test::{expect, Expect};

use super::classify;
use crate::analysis::actions::{code_actions, Change};
use crate::analysis::features::{self, Derived};
use crate::analysis::fixture::{completion_at, completion_lines, derived, findings, workspace};
use crate::analysis::graph::Graph;
use crate::analysis::model::{ItemKind, Progress};
use crate::analysis::rules::{check_workspace, Context};
use crate::analysis::text::TextRange;
use crate::analysis::workspace::Workspace;

fn check(fixture: &str, expect: Expect) {
    expect.assert_eq(&findings(&workspace(fixture).workspace));
}

/// Every item of the workspace, one line each.
fn items(ws: &Workspace) -> String {
    let mut out = String::new();
    for (_, item) in ws.items() {
        let covers: Vec<&str> = item
            .covers
            .iter()
            .filter_map(|r| r.target.as_id())
            .collect();
        writeln!(
            out,
            "{} {} {:?} parent={:?} status={:?} progress={:?} covers={covers:?} title={:?}",
            item.kind.name(),
            item.id,
            item.number,
            item.parent,
            item.status.as_ref().map(|(s, _)| s),
            item.progress,
            item.title
        )
        .unwrap();
    }
    out
}

/// A v4 story as BMAD's template writes it.
const STORY: &str = "//- docs/stories/1.2.login.story.md
# Story 1.2: Sign in

## Status
Approved

## Story
**As a** returning reader,
**I want** to sign in,
**so that** my library follows me.

## Acceptance Criteria
1. The form takes an email and a password
2. A wrong password says so
3. The session lasts a week

## Tasks / Subtasks
- [ ] Task 1: Build the form (AC: 1)
  - [ ] Subtask 1.1: Fields
  - [x] Subtask 1.2: Submit button
- [ ] Task 2: Check the password (AC: 2, 3)

## Dev Notes
Use the existing session store.

## Change Log
| Date | Version | Description | Author |
";

fn story_with(status: &str, tasks: &str) -> String {
    format!(
        "//- docs/stories/1.2.login.story.md\n# Story 1.2: Sign in\n\n## Status\n{status}\n\n## Acceptance Criteria\n1. The form takes an email\n2. A wrong password says so\n3. The session lasts a week\n\n## Tasks / Subtasks\n{tasks}\n## Dev Notes\n"
    )
}

#[test]
fn paths_are_classified_by_bmad_s_own_names() {
    let cases = [
        ("docs/stories/1.2.login.story.md", Some("story")),
        ("docs/stories/1.2.story.md", Some("story")),
        ("docs/stories/2.1a.remediation.story.md", Some("story")),
        ("docs/stories/10.12.md", Some("story")),
        ("docs/stories/1.2.login.md", Some("story")),
        ("elsewhere/3.4.x.story.md", Some("story")),
        ("docs/stories/6.x.ideas.md", Some("story-note")),
        // The first workflow's stories stay its own.
        ("docs/stories/015-login.md", None),
        ("docs/stories/README.md", None),
        ("docs/stories/1.2.story-template.md", None),
        ("docs/stories/1.2.story-tmpl.md", None),
        ("docs/stories/1.2.template.md", None),
        // A story's slug may name templates.
        (
            "docs/sprint-artifacts/stories/4-5-template-customization-preview.md",
            Some("v6-story"),
        ),
        (
            "docs/sprint-artifacts/stories/34-5-4-family-meeting-template.md",
            Some("v6-story"),
        ),
        (
            "_bmad-output/implementation-artifacts/4-1-template-library-structure.md",
            Some("v6-story"),
        ),
        // v6.11's `bmad-build` writes a story's spec, named by its key.
        (
            "_bmad-output/implementation-artifacts/spec-3-2-digest-delivery.md",
            Some("v6-spec"),
        ),
        (
            "_bmad-output/implementation-artifacts/spec-dark-mode.md",
            None,
        ),
        (
            "_bmad-output/implementation-artifacts/spec-gh-47-fix.md",
            None,
        ),
        // v4's `create-brownfield-story` names a story of an epic so.
        ("docs/stories/epic-2-story-1.md", Some("story")),
        (
            "docs/stories/epic-1-story-1.1-project-setup.md",
            Some("story"),
        ),
        (
            "docs/stories/epic-1-story-2-authentication.md",
            Some("story"),
        ),
        ("docs/stories/epic-1-story-2.1-mismatched.md", None),
        ("docs/stories/epic-1-overview.md", None),
        ("docs/prd.md", Some("prd")),
        ("docs/prd/epic-1-foundation.md", Some("prd-shard")),
        ("docs/prd/index.md", Some("prd-shard")),
        (
            "_bmad-output/implementation-artifacts/1-2-login.md",
            Some("v6-story"),
        ),
        (
            "_bmad-output/implementation-artifacts/1-6a-runner.md",
            Some("v6-story"),
        ),
        (
            "_bmad-output/implementation-artifacts/epic-1-retro-2026-03-01.md",
            None,
        ),
        (
            "_bmad-output/implementation-artifacts/tech-spec-cleanup.md",
            None,
        ),
        (
            "_bmad-output/implementation-artifacts/sprint-status.yaml",
            Some("sprint-status"),
        ),
        ("docs/sprint-artifacts/2-1-faq.md", Some("v6-story")),
        ("_bmad-output/planning-artifacts/epics.md", Some("epics")),
        ("docs/stories/1-2-login.md", Some("v6-story")),
        // The first workflow's numbers are zero-padded.
        ("docs/stories/001-2fa-login.md", None),
        // So are another tool's dotted ones, which BMAD never writes; the
        // `.story.md` ending is BMAD's own, whatever the number.
        (
            "new-doc/01-settings/stories/01.1.org-context-base-rls.md",
            Some("story-note"),
        ),
        ("docs/stories/01.2.login.story.md", Some("story")),
        (".bmad-core/core-config.yaml", None),
        // A slug after a dash: the story in a `.story.md` name, a note on
        // it otherwise.
        ("docs/stories/1.1.1-tracing.story.md", Some("story")),
        ("docs/stories/1.7-audit-references.md", Some("story-note")),
        // A story not numbered yet, in BMAD's output, is BMAD's: never the
        // first workflow's story 004.
        (
            "_bmad-output/implementation-artifacts/stories/4-x-commissions-agent-name.md",
            Some("story-note"),
        ),
        (
            "docs/sprint-artifacts/stories/4-x-commissions.md",
            Some("story-note"),
        ),
    ];
    for (path, role) in cases {
        assert_eq!(classify(path, &[]), role, "{path}");
    }
}

#[test]
fn the_parser_reads_the_story_its_criteria_and_its_tasks() {
    let ws = workspace(STORY).workspace;
    expect![[r#"
        story bmad-story-1.2 Some("1.2") parent=Some("bmad-epic-1") status=Some("Approved") progress=Some(NotStarted) covers=[] title="Sign in"
        criterion bmad-story-1.2/ac-1 Some("1") parent=None status=None progress=None covers=[] title="The form takes an email and a password"
        criterion bmad-story-1.2/ac-2 Some("2") parent=None status=None progress=None covers=[] title="A wrong password says so"
        criterion bmad-story-1.2/ac-3 Some("3") parent=None status=None progress=None covers=[] title="The session lasts a week"
        task bmad-story-1.2/task-1 Some("1") parent=Some("bmad-story-1.2") status=Some("not started") progress=Some(NotStarted) covers=["bmad-story-1.2/ac-1"] title="Task 1: Build the form"
        task bmad-story-1.2/task-1.1 Some("1.1") parent=Some("bmad-story-1.2/task-1") status=Some("not started") progress=Some(NotStarted) covers=[] title="Subtask 1.1: Fields"
        task bmad-story-1.2/task-1.2 Some("1.2") parent=Some("bmad-story-1.2/task-1") status=Some("done") progress=Some(Done) covers=[] title="Subtask 1.2: Submit button"
        task bmad-story-1.2/task-2 Some("2") parent=Some("bmad-story-1.2") status=Some("not started") progress=Some(NotStarted) covers=["bmad-story-1.2/ac-2", "bmad-story-1.2/ac-3"] title="Task 2: Check the password"
    "#]]
    .assert_eq(&items(&ws));
    assert_eq!(findings(&ws), "");
}

#[test]
fn criteria_in_ac_headings_and_tasks_under_headings() {
    let ws = workspace(
        "//- docs/stories/2.1.scoring.story.md
# Story 2.1: Scoring

**Status**: Done ✅

## Acceptance Criteria

### AC1: Gaussian helper
- [x] Helper added
1. a numbered part, not a criterion

### AC2 - Monotonic helper
- [ ] Helper added

## Tasks / Subtasks

### Helpers (AC: 1, 2)
- [x] Write the Gaussian helper
  - [x] 1.1.1 with a test
- [~] Write the monotonic helper (deferred)

### Task 5: Docs
- [x] Describe them (optional)
- [x] **Task 0**: a task numbered as written
",
    )
    .workspace;
    expect![[r#"
        story bmad-story-2.1 Some("2.1") parent=Some("bmad-epic-2") status=Some("Done ✅") progress=Some(Done) covers=[] title="Scoring"
        criterion bmad-story-2.1/ac-1 Some("1") parent=None status=None progress=None covers=[] title="Gaussian helper"
        criterion bmad-story-2.1/ac-2 Some("2") parent=None status=None progress=None covers=[] title="Monotonic helper"
        task bmad-story-2.1/task-1 Some("1") parent=Some("bmad-story-2.1") status=None progress=Some(Done) covers=["bmad-story-2.1/ac-1", "bmad-story-2.1/ac-2"] title="Helpers"
        task bmad-story-2.1/task-1.1 Some("1.1") parent=Some("bmad-story-2.1/task-1") status=Some("done") progress=Some(Done) covers=[] title="Write the Gaussian helper"
        task bmad-story-2.1/task-1.1.1 Some("1.1.1") parent=Some("bmad-story-2.1/task-1.1") status=Some("done") progress=Some(Done) covers=[] title="1.1.1 with a test"
        task bmad-story-2.1/task-1.2 Some("1.2") parent=Some("bmad-story-2.1/task-1") status=Some("skipped") progress=Some(Done) covers=[] title="Write the monotonic helper (deferred)"
        task bmad-story-2.1/task-5 Some("5") parent=Some("bmad-story-2.1") status=None progress=Some(Done) covers=[] title="Task 5: Docs"
        task bmad-story-2.1/task-5.1 Some("5.1") parent=Some("bmad-story-2.1/task-5") status=Some("done") progress=Some(Done) covers=[] title="Describe them (optional)"
        task bmad-story-2.1/task-5.2 Some("5.2") parent=Some("bmad-story-2.1/task-5") status=Some("done") progress=Some(Done) covers=[] title="Task 0: a task numbered as written"
    "#]]
    .assert_eq(&items(&ws));
    // The unchecked box under AC2 is an open acceptance criterion of a
    // done story.
    expect![[r#"
        docs/stories/2.1.scoring.story.md:12:3 done-with-open-criteria: story `2.1` is done but 1 of its 2 acceptance criteria is unchecked [[ ]]
    "#]]
    .assert_eq(&findings(&ws));
}

#[test]
fn a_checklist_a_headed_criterion_describes_is_part_of_its_text() {
    // The boxes after AC2's Then are a checklist the story delivers, not
    // the state of the criterion; AC1's box is.
    let story = "//- docs/stories/10.6.migration.story.md
# Story 10.6: Migration

## Status
Done

## Acceptance Criteria

### AC 1: Migrations verified
- [x] Verified

### AC 2: Deployment checklist
**Given** the changes are ready
**When** deploying to production
**Then** provide a documented checklist:
1. [ ] Run the migrations
2. [ ] Deploy the backend
";
    assert_eq!(findings(&workspace(story).workspace), "");
    let reopened = story.replace("- [x] Verified", "- [ ] Verified");
    expect![[r#"
        docs/stories/10.6.migration.story.md:9:3 done-with-open-criteria: story `10.6` is done but 1 of its 1 acceptance criteria is unchecked [[ ]]
    "#]]
    .assert_eq(&findings(&workspace(&reopened).workspace));
}

#[test]
fn numbered_criteria_restarting_under_sub_headings_keep_their_first_number() {
    let ws = workspace(
        "//- docs/stories/6.9.ci.story.md
# Story 6.9: CI

## Status
Draft

## Acceptance Criteria
### Caching
1. pip is cached
2. **AC5:** models are cached
### Matrix
1. every version runs

## Tasks / Subtasks
- [ ] Cache (AC: 1, 5)
",
    )
    .workspace;
    let criteria: Vec<String> = ws
        .items()
        .filter(|(_, i)| i.kind == crate::analysis::model::ItemKind::Criterion)
        .map(|(_, i)| format!("{} {}", i.id, i.title))
        .collect();
    expect![[r#"
        bmad-story-6.9/ac-1 pip is cached
        bmad-story-6.9/ac-5 models are cached"#]]
    .assert_eq(&criteria.join("\n"));
}

#[test]
fn unknown_status_fires_outside_the_v4_words_with_a_guess() {
    check(
        &story_with("In Progress", "- [ ] Task 1 (AC: 1, 2, 3)\n"),
        expect![[r#"
            docs/stories/1.2.login.story.md:4:1 bmad-unknown-status: `In Progress` is not a BMAD v4 story status (BMAD's agents set `Draft`, `Approved`, `InProgress`, `Review`, `Done`); did you mean `InProgress`? [In Progress]
        "#]],
    );
    check(
        &story_with("✅ COMPLETED (2025-11-02)", "- [x] Task 1 (AC: 1, 2, 3)\n"),
        expect![[r#"
            docs/stories/1.2.login.story.md:4:3 bmad-unknown-status: `COMPLETED` is not a BMAD v4 story status (BMAD's agents set `Draft`, `Approved`, `InProgress`, `Review`, `Done`); did you mean `Done`? [COMPLETED]
        "#]],
    );
    check(
        &story_with("Aproved", "- [ ] Task 1 (AC: 1, 2, 3)\n"),
        expect![[r#"
            docs/stories/1.2.login.story.md:4:1 bmad-unknown-status: `Aproved` is not a BMAD v4 story status (BMAD's agents set `Draft`, `Approved`, `InProgress`, `Review`, `Done`); did you mean `Approved`? [Aproved]
        "#]],
    );
    check(
        &story_with("Blocked on legal", "- [ ] Task 1 (AC: 1, 2, 3)\n"),
        expect![[r#"
            docs/stories/1.2.login.story.md:4:1 bmad-unknown-status: `Blocked on legal` is not a BMAD v4 story status (BMAD's agents set `Draft`, `Approved`, `InProgress`, `Review`, `Done`) [Blocked on legal]
        "#]],
    );
}

#[test]
fn unknown_status_is_silent_on_the_v4_words_however_decorated() {
    for status in [
        "Draft",
        "**Approved**",
        "- InProgress",
        "Review",
        "Ready for Review",
        "Ready for Done",
        "Changes Required",
        "Review Passed",
        "Done ✅",
        "DONE",
        "Draft - awaiting PM review",
    ] {
        let fixture = story_with(status, "- [x] Task 1 (AC: 1, 2, 3)\n");
        assert_eq!(findings(&workspace(&fixture).workspace), "", "{status}");
    }
}

#[test]
fn ready_for_done_is_the_owner_s_sign_off_still_to_come() {
    // v4's dev agent sets `Ready for Done` once QA's gate passed: the story
    // is not done yet, so an open task is no contradiction and stays work.
    let fixture = story_with(
        "Ready for Done",
        "- [x] Task 1 (AC: 1, 2)\n- [ ] Task 2 (AC: 3)\n",
    );
    let ws = workspace(&fixture).workspace;
    assert_eq!(findings(&ws), "");
    let (_, story) = ws.item("bmad-story-1.2").expect("the story");
    assert_eq!(story.progress, Some(Progress::InProgress));
}

/// The quick fixes offered on the first finding of `rule`, with what
/// each changes.
fn fixes_of(fixture: &str, rule: &str) -> String {
    let ws = workspace(fixture).workspace;
    let ctx = Context::new(&ws);
    let d = check_workspace(&ws)
        .into_iter()
        .find(|d| d.rule.name() == rule)
        .expect("the finding");
    let mut out = String::new();
    for action in code_actions(&ws, &ctx, &d.rel, d.range) {
        if action.fixes.map(|(r, _)| r.name()) != Some(rule) {
            continue;
        }
        writeln!(
            out,
            "{} (preferred: {}, safe: {})",
            action.title, action.is_preferred, action.safe
        )
        .unwrap();
        for change in &action.changes {
            if let Change::Edit { rel, edits } = change {
                let file = ws.file(rel).unwrap();
                for (range, new) in edits {
                    writeln!(
                        out,
                        "  {rel}: `{}` -> `{new}`",
                        &file.text[range.start()..range.end()]
                    )
                    .unwrap();
                }
            }
        }
    }
    out
}

#[test]
fn unknown_status_is_fixed_to_the_word_it_means() {
    expect![[r#"
        Change `Completed` to `Done` (preferred: true, safe: true)
          docs/stories/1.2.login.story.md: `Completed` -> `Done`
    "#]]
    .assert_eq(&fixes_of(
        &story_with("Completed", "- [x] Task 1 (AC: 1, 2, 3)\n"),
        "bmad-unknown-status",
    ));
    expect![[r#"
        Change `In Progress` to `InProgress` (preferred: true, safe: true)
          docs/stories/1.2.login.story.md: `In Progress` -> `InProgress`
    "#]]
    .assert_eq(&fixes_of(
        &story_with("In Progress", "- [ ] Task 1 (AC: 1, 2, 3)\n"),
        "bmad-unknown-status",
    ));
    // A guess from the spelling is offered, not applied by `planmark fix`.
    expect![[r#"
        Change `Reviw` to `Review` (preferred: true, safe: false)
          docs/stories/1.2.login.story.md: `Reviw` -> `Review`
    "#]]
    .assert_eq(&fixes_of(
        &story_with("Reviw", "- [ ] Task 1 (AC: 1, 2, 3)\n"),
        "bmad-unknown-status",
    ));
}

#[test]
fn a_done_story_with_open_tasks_or_subtasks_is_reported() {
    check(
        &story_with(
            "Done",
            "- [x] Task 1 (AC: 1)\n  - [ ] 1.1 Fields\n- [ ] Task 2 (AC: 2, 3)\n",
        ),
        expect![[r#"
            docs/stories/1.2.login.story.md:4:1 done-with-open-tasks: story `1.2` is done but 1 task is not (first task `2`): mark them done or reopen the story [Done]
            docs/stories/1.2.login.story.md:12:3 done-with-open-tasks: task `1` is done but 1 sub-task is not (first task `1.1`): mark them done or reopen the task [[x]]
        "#]],
    );
    // Skipped (`[~]`) and optional tasks may stay open; criteria are not
    // tasks.
    check(
        &story_with(
            "Done",
            "- [x] Task 1 (AC: 1, 2, 3)\n  - [~] 1.1 Fields (uses the default)\n- [ ] Task 2 (optional): tidy up\n",
        ),
        expect![""],
    );
}

#[test]
fn deferred_tasks_may_stay_open_when_the_story_is_done() {
    // The ways teams mark a task or subtask moved out of the story.
    check(
        &story_with(
            "Done",
            "- [x] Task 1 (AC: 1, 2, 3)
  - [ ] 1.3 Add a settings page (deferred - config defaults work)
  - [ ] 1.4 Pinch to zoom (mobile support) - DEFERRED to Story 22.6
  - [ ] 13.4: Test the endpoint with curl - Deferred to integration testing
  - [ ] 7.2 CI passes on all three platforms — deferred to post-push
  - [ ] [LOW] Icon variants [deferred to testing sprint]
- [ ] **Task 4: Client SDKs (AC: 3)** ⏳ DEFERRED
- [ ] Deferred to UI story - service layer complete
- [ ] Task 5: Deploy (moved to Story 1.4)
- [ ] Task 6: E2E tests → Story 2.3
- [ ] Task 7: Load test — SKIPPED (out of scope for MVP)
- [ ] Task 8: N/A - not needed after refactor
- [ ] Task 9: Add metrics (won't do)
- [ ] ~~Task 10: Old approach with Redis~~ (replaced by Task 1)
  - [ ] ~~10.1 Redis client~~
",
        ),
        expect![""],
    );
    // The word in prose defers nothing.
    check(
        &story_with(
            "Done",
            "- [x] Task 1 (AC: 1, 2, 3)
  - [ ] 5.1 Create a PDF utility (can be deferred to later sprint)
  - [ ] 5.2 Add deferred imports
  - [ ] 5.3 List the non-deferred items
  - [ ] 5.4 Skip the header row, return N/A for blanks
  - [ ] 5.5 Keep ~~~ fences in the export
",
        ),
        expect![[r#"
            docs/stories/1.2.login.story.md:12:3 done-with-open-tasks: task `1` is done but 5 sub-tasks are not (first task `1.1`): mark them done or reopen the task [[x]]
        "#]],
    );
}

#[test]
fn a_struck_through_task_is_dropped_and_holds_nothing_back() {
    let fixture = story_with(
        "InProgress",
        "- [x] Task 1: Form (AC: 1)
- [ ] ~~Task 2: Create the sign-up hook (AC: 2)~~ — **REMOVED** per user request
  - [ ] ~~2.1 Create the hook file~~
- [ ] Task 3: Wire errors (AC: 2, 3)
",
    );
    let ws = workspace(&fixture).workspace;
    let graph = Graph::build(&ws);
    expect![[r#"["bmad-story-1.2", "bmad-story-1.2/task-3"]"#]]
        .assert_eq(&format!("{:?}", open_nodes(&graph)));
}

#[test]
fn unknown_criterion_fires_on_each_reference_form() {
    check(
        &format!(
            "{}//- docs/stories/1.1.start().story.md\n# Story 1.1: Start\n\n## Status\nDone\n\n## Acceptance Criteria\n1. It starts\n",
            story_with(
                "Approved",
                "- [ ] Task 1 (AC: 1, 5)\n- [ ] Task 2 [AC7]\n- [ ] Task 3 (AC: #2-#3, 1.1.1, 1.1.4, 3.1.1)\n- [ ] Task 4 (AC: 2-5, 8-9)\n"
            )
        ),
        expect![[r#"
            docs/stories/1.2.login.story.md:12:22 bmad-unknown-criterion: `5` names no acceptance criterion of story 1.2, which has criteria 1 to 3 [5]
            docs/stories/1.2.login.story.md:13:17 bmad-unknown-criterion: `7` names no acceptance criterion of story 1.2, which has criteria 1 to 3 [7]
            docs/stories/1.2.login.story.md:14:33 bmad-unknown-criterion: `1.1.4` names no acceptance criterion of story 1.1, which has criterion 1 only [1.1.4]
            docs/stories/1.2.login.story.md:14:40 bmad-unknown-criterion: `3.1.1` names a criterion of story 3.1, and no file holds story 3.1 [3.1.1]
            docs/stories/1.2.login.story.md:15:19 bmad-unknown-criterion: `2-5` includes `4` and `5`, but story 1.2 has criteria 1 to 3 [2-5]
            docs/stories/1.2.login.story.md:15:24 bmad-unknown-criterion: `8-9` names no acceptance criterion of story 1.2, which has criteria 1 to 3 [8-9]
        "#]],
    );
}

#[test]
fn criteria_labelled_with_the_story_number_are_numbered_by_their_last_part() {
    let ws = workspace(
        "//- docs/sprint-artifacts/1-1-project-setup.md
# Story 1.1: Project Setup

Status: done

## Acceptance Criteria

1. **AC-1.1.1: Project Structure**
   - Then it matches the layout

2. **AC-1.1.2: Clean Install**
   - Then all dependencies install

3. **AC-1.1.3:** Lint passes

## Tasks / Subtasks

- [x] **Task 1: Initialize Monorepo Structure** (AC: 1.1.1, 1.1.2)
- [x] Task 2: Lint (AC: AC-1.1.3)
- [x] Task 3: Check the install (AC: 2)
",
    )
    .workspace;
    expect![[r#"
        story bmad-story-1.1 Some("1.1") parent=Some("bmad-epic-1") status=Some("done") progress=Some(Done) covers=[] title="Project Setup"
        criterion bmad-story-1.1/ac-1 Some("1") parent=None status=None progress=None covers=[] title="Project Structure"
        criterion bmad-story-1.1/ac-2 Some("2") parent=None status=None progress=None covers=[] title="Clean Install"
        criterion bmad-story-1.1/ac-3 Some("3") parent=None status=None progress=None covers=[] title="Lint passes"
        task bmad-story-1.1/task-1 Some("1") parent=Some("bmad-story-1.1") status=Some("done") progress=Some(Done) covers=["bmad-story-1.1/ac-1", "bmad-story-1.1/ac-2"] title="Task 1: Initialize Monorepo Structure"
        task bmad-story-1.1/task-2 Some("2") parent=Some("bmad-story-1.1") status=Some("done") progress=Some(Done) covers=["bmad-story-1.1/ac-3"] title="Task 2: Lint"
        task bmad-story-1.1/task-3 Some("3") parent=Some("bmad-story-1.1") status=Some("done") progress=Some(Done) covers=["bmad-story-1.1/ac-2"] title="Task 3: Check the install"
    "#]].assert_eq(&items(&ws));
    assert_eq!(findings(&ws), "");
}

#[test]
fn unknown_criterion_is_silent_on_prose_and_unread_criteria() {
    // `(AC1 validation)` and `(ACTIVE)` are prose, not references.
    check(
        &story_with(
            "Approved",
            "- [ ] Task 1 (AC: 1, 2, 3)\n- [ ] Task 2 (AC1 validation)\n- [ ] Task 3 (ACTIVE - 30% weight)\n",
        ),
        expect![""],
    );
    // A story whose criteria are in no form the parser reads gives no
    // grounds to call `(AC: 4)` unknown.
    check(
        "//- docs/stories/1.2.login.story.md\n# Story 1.2: Sign in\n\n## Status\nDraft\n\n## Acceptance Criteria\nThe form works.\n\n## Tasks / Subtasks\n- [ ] Task 1 (AC: 4)\n",
        expect![""],
    );
}

#[test]
fn uncovered_criterion_waits_for_tasks_that_name_criteria() {
    check(&story_with("Draft", "- [ ] Task 1\n"), expect![""]);
    check(
        &story_with("Draft", "- [ ] Task 1 (AC: 1)\n"),
        expect![[r#"
            docs/stories/1.2.login.story.md:8:1 bmad-uncovered-criterion: criterion 2 of story 1.2 is covered by no task: name it as `(AC: 2)` on the task that meets it [2]
            docs/stories/1.2.login.story.md:9:1 bmad-uncovered-criterion: criterion 3 of story 1.2 is covered by no task: name it as `(AC: 3)` on the task that meets it [3]
        "#]],
    );
    // A range and `all` name every criterion they span.
    check(
        &story_with("Draft", "- [ ] Task 1 (AC: 1-3)\n"),
        expect![""],
    );
    check(
        &story_with("Draft", "- [ ] Task 1 (AC: All)\n"),
        expect![""],
    );
    // In the story's own language too.
    check(
        &story_with(
            "Draft",
            "- [x] **Task 7 — Tests y validacion final** (AC: todos)\n",
        ),
        expect![""],
    );
    check(
        &story_with(
            "Draft",
            "- [ ] Task 1 (AC1, AC2)\n  - [ ] 1.1 Expiry [AC3]\n",
        ),
        expect![""],
    );
}

#[test]
fn missing_sections_are_reported_and_a_status_field_counts() {
    check(
        "//- docs/stories/1.2.login.story.md\n# Story 1.2: Sign in\n\n## Story\nAs a reader, I want to sign in, so that I can read.\n",
        expect![[r#"
            docs/stories/1.2.login.story.md:1:1 bmad-missing-section: story 1.2 has no `## Status` section: BMAD's agents read and set the story's status there [# Story 1.2: Sign in]
            docs/stories/1.2.login.story.md:1:1 bmad-missing-section: story 1.2 has no `## Acceptance Criteria` section: nothing says when it is done [# Story 1.2: Sign in]
        "#]],
    );
    check(
        "//- docs/stories/1.2.login.story.md\n# Story 1.2: Sign in\n**Status:** Draft\n\n## Acceptance Criteria\n1. It signs in\n",
        expect![""],
    );
    // A `stories/` folder of another tool, numbered as BMAD numbers but
    // titled otherwise, keeps its status where BMAD never looks: no finding.
    // Titled as BMAD titles its stories, the same file is BMAD's.
    let other_tool = "//- docs/stories/10.1.oee-settings.md\n# 10.1 - OEE Settings\n\n**State:** ready\n\n## Acceptance Criteria\n1. Targets are saved\n";
    check(other_tool, expect![""]);
    check(
        &other_tool.replace("# 10.1 - OEE", "# Story 10.1: OEE"),
        expect![[r#"
            docs/stories/10.1.oee-settings.md:1:1 bmad-missing-section: story 10.1 has no `## Status` section: BMAD's agents read and set the story's status there [# Story 10.1: OEE Settings]
        "#]],
    );
}

#[test]
fn a_status_on_the_heading_line_is_the_story_s_status() {
    let ws = workspace(
        "//- docs/stories/2.3.story.md
# Story 2.3: Tenant isolation

## Status: Completed

## Acceptance Criteria
1. Tenants see only their rows

## Tasks / Subtasks
- [ ] Task 1: Filter queries (AC: 1)
//- docs/sprint-artifacts/stories/19-6-device-removal-flow.md
# Story 19.6: Device Removal Flow

## Status: done

## Acceptance Criteria
1. A parent removes a device
",
    )
    .workspace;
    expect![[r#"
        story bmad-story-19.6 Some("19.6") parent=Some("bmad-epic-19") status=Some("done") progress=Some(Done) covers=[] title="Device Removal Flow"
        criterion bmad-story-19.6/ac-1 Some("1") parent=None status=None progress=None covers=[] title="A parent removes a device"
        story bmad-story-2.3 Some("2.3") parent=Some("bmad-epic-2") status=Some("Completed") progress=Some(Done) covers=[] title="Tenant isolation"
        criterion bmad-story-2.3/ac-1 Some("1") parent=None status=None progress=None covers=[] title="Tenants see only their rows"
        task bmad-story-2.3/task-1 Some("1") parent=Some("bmad-story-2.3") status=Some("not started") progress=Some(NotStarted) covers=["bmad-story-2.3/ac-1"] title="Task 1: Filter queries"
    "#]].assert_eq(&items(&ws));
    // The status is read, so the done story's open task is reported and
    // no section is missing.
    expect![[r#"
        docs/stories/2.3.story.md:3:12 bmad-unknown-status: `Completed` is not a BMAD v4 story status (BMAD's agents set `Draft`, `Approved`, `InProgress`, `Review`, `Done`); did you mean `Done`? [Completed]
        docs/stories/2.3.story.md:3:12 done-with-open-tasks: story `2.3` is done but 1 task is not (first task `1`): mark them done or reopen the story [Completed]
    "#]].assert_eq(&findings(&ws));
}

#[test]
fn a_status_label_repeated_under_the_status_heading_is_not_the_status() {
    // `Status: review` under `## Status` is the word `review`, bold or not.
    for line in [
        "Status: review",
        "**Status:** review",
        "- Status: **review**",
    ] {
        let ws = workspace(&format!(
            "//- docs/stories/2.4.conversion.story.md\n# Story 2.4: Conversion\n\n## Status\n\n{line}\n\n## Acceptance Criteria\n1. It converts\n"
        ))
        .workspace;
        let file = ws.file("docs/stories/2.4.conversion.story.md").unwrap();
        let (status, at) = file.facts.items[0].status.clone().unwrap();
        assert_eq!(
            (&*status, &file.text[at.start()..at.end()]),
            ("review", "review"),
            "{line}"
        );
        assert_eq!(findings(&ws), "", "{line}");
    }
}

#[test]
fn three_level_v4_story_numbers_are_kept_whole() {
    let story = |name: &str, number: &str| {
        format!(
            "//- docs/stories/{name}\n# Story {number}: Title\n\n## Status: Done\n\n## Acceptance Criteria\n\n1. It works\n"
        )
    };
    let ws = workspace(&format!(
        "{}{}{}{}",
        story("2.3.story.md", "2.3"),
        story("2.3.1.story.md", "2.3.1"),
        story("2.3.2.story.md", "2.3.2"),
        story("4.2.2a.story.md", "4.2.2a"),
    ))
    .workspace;
    expect![[r#"
        story bmad-story-2.3.1 Some("2.3.1") parent=Some("bmad-epic-2") status=Some("Done") progress=Some(Done) covers=[] title="Title"
        criterion bmad-story-2.3.1/ac-1 Some("1") parent=None status=None progress=None covers=[] title="It works"
        story bmad-story-2.3.2 Some("2.3.2") parent=Some("bmad-epic-2") status=Some("Done") progress=Some(Done) covers=[] title="Title"
        criterion bmad-story-2.3.2/ac-1 Some("1") parent=None status=None progress=None covers=[] title="It works"
        story bmad-story-2.3 Some("2.3") parent=Some("bmad-epic-2") status=Some("Done") progress=Some(Done) covers=[] title="Title"
        criterion bmad-story-2.3/ac-1 Some("1") parent=None status=None progress=None covers=[] title="It works"
        story bmad-story-4.2.2a Some("4.2.2a") parent=Some("bmad-epic-4") status=Some("Done") progress=Some(Done) covers=[] title="Title"
        criterion bmad-story-4.2.2a/ac-1 Some("1") parent=None status=None progress=None covers=[] title="It works"
    "#]].assert_eq(&items(&ws));
    assert_eq!(findings(&ws), "");
    // A slug after a dash: three stories, no duplicate.
    let ws = workspace(&format!(
        "{}{}{}",
        story("1.1.boutons-prix.story.md", "1.1"),
        story("1.1.1-tracage-boutons.story.md", "1.1.1"),
        story("1.1.2-fix-deduplication.story.md", "1.1.2"),
    ))
    .workspace;
    expect![[r#"
        story bmad-story-1.1.1 Some("1.1.1") parent=Some("bmad-epic-1") status=Some("Done") progress=Some(Done) covers=[] title="Title"
        criterion bmad-story-1.1.1/ac-1 Some("1") parent=None status=None progress=None covers=[] title="It works"
        story bmad-story-1.1.2 Some("1.1.2") parent=Some("bmad-epic-1") status=Some("Done") progress=Some(Done) covers=[] title="Title"
        criterion bmad-story-1.1.2/ac-1 Some("1") parent=None status=None progress=None covers=[] title="It works"
        story bmad-story-1.1 Some("1.1") parent=Some("bmad-epic-1") status=Some("Done") progress=Some(Done) covers=[] title="Title"
        criterion bmad-story-1.1/ac-1 Some("1") parent=None status=None progress=None covers=[] title="It works"
    "#]].assert_eq(&items(&ws));
    assert_eq!(findings(&ws), "");
}

/// Each copy of the story is reported, not each criterion and task the
/// copy repeats: their IDs clash only because the story's does.
#[test]
fn two_files_for_one_story_number_are_a_duplicate() {
    check(
        "//- docs/stories/1.2.login.story.md\n# Story 1.2: Sign in\n## Status\nDraft\n## Acceptance Criteria\n1. x\n## Tasks / Subtasks\n- [ ] Build it (AC: 1)\n//- docs/stories/1.2.sign-in.story.md\n# Story 1.2: Sign in again\n## Status\nDraft\n## Acceptance Criteria\n1. x\n## Tasks / Subtasks\n- [ ] Build it (AC: 1)\n//- docs/stories/1.2a.split.story.md\n# Story 1.2a: Split\n## Status\nDraft\n## Acceptance Criteria\n1. x\n",
        expect![[r#"
            docs/stories/1.2.login.story.md:1:1 duplicate-id: story `1.2` is defined 2 times [# Story 1.2: Sign in]
            docs/stories/1.2.sign-in.story.md:1:1 duplicate-id: story `1.2` is defined 2 times [# Story 1.2: Sign in again]
        "#]],
    );
}

const PRD: &str = "//- docs/prd/epic-list.md
# Epic List
- Epic 1: Accounts
- Epic 2: Reading
//- docs/prd/epic-details.md
# Epic Details
## Epic 1: Accounts
### Story 1.1: Start
### Story 1.2: Sign in
## Epic 2 Reading
### Story 2.1 Shelves
";

#[test]
fn the_prd_defines_epics_that_have_stories_under_them() {
    let ws = workspace(PRD).workspace;
    expect![[r#"
        epic bmad-epic-1 Some("1") parent=None status=None progress=None covers=[] title="Accounts"
        epic bmad-epic-2 Some("2") parent=None status=None progress=None covers=[] title="Reading"
    "#]]
    .assert_eq(&items(&ws));
}

#[test]
fn unknown_epic_fires_only_against_a_prd() {
    let story = "//- docs/stories/3.1.export.story.md\n# Story 3.1: Export\n## Status\nDraft\n## Acceptance Criteria\n1. x\n";
    check(story, expect![""]);
    check(
        &format!("{PRD}{story}"),
        expect![[r#"
            docs/stories/3.1.export.story.md:1:1 bmad-unknown-epic: story 3.1 belongs to epic 3, which the PRD does not have (epics 1, 2) [# Story 3.1: Export]
        "#]],
    );
    // The whole PRD counts as well as its shards.
    check(
        &format!("//- docs/prd.md\n# PRD\n## Epic 3 Export\n### Story 3.1 Export\n{story}"),
        expect![""],
    );
}

const SPRINT: &str = "//- _bmad-output/implementation-artifacts/sprint-status.yaml
# generated: 2026-03-08
story_location: _bmad-output/implementation-artifacts

development_status:
  # Epic 1: Ship 🚀
  epic-1: in-progress
  1-1-setup: done
  1-2-login: review
  1-3-logout: ready-for-dev
  1-4-audit: backlog
  1-5-export: \"superseded\"  # replaced by epic 2
  epic-1-retrospective: optional
  epic-2: completed
";

fn v6_story(key: &str, status: &str) -> String {
    format!(
        "//- _bmad-output/implementation-artifacts/{key}.md\n# Story {}: Title\n\nStatus: {status}\n\n## Story\n\nAs a reader, I want it, so that it works.\n\n## Acceptance Criteria\n\n1. **Given** a thing\n   **When** it runs\n   **Then** it works\n\n## Tasks / Subtasks\n\n- [x] Task 1: Do it (AC: #1)\n  - [x] 1.1 First part\n",
        key.splitn(3, '-').take(2).collect::<Vec<_>>().join(".")
    )
}

#[test]
fn sprint_status_rows_and_references_have_exact_positions() {
    let fixture = workspace(&format!("{SPRINT}{}", v6_story("1-1-setup", "done")));
    let ws = &fixture.workspace;
    let file = ws
        .file("_bmad-output/implementation-artifacts/sprint-status.yaml")
        .unwrap();
    let table = file.facts.index.as_ref().expect("the rows");
    let mut out = String::new();
    for row in &table.rows {
        let cells: Vec<String> = row
            .cells
            .iter()
            .map(|c| {
                format!(
                    "{}=[{}]",
                    c.column,
                    &file.text[c.range.start()..c.range.end()]
                )
            })
            .collect();
        writeln!(out, "{} {}", row.id, cells.join(" ")).unwrap();
    }
    expect![[r#"
        bmad-epic-1 key=[epic-1] status=[in-progress]
        bmad-story-1.1 key=[1-1-setup] status=[done]
        bmad-story-1.2 key=[1-2-login] status=[review]
        bmad-story-1.3 key=[1-3-logout] status=[ready-for-dev]
        bmad-story-1.4 key=[1-4-audit] status=[backlog]
        bmad-story-1.5 key=[1-5-export] status=[superseded]
        epic-1-retrospective key=[epic-1-retrospective] status=[optional]
        bmad-epic-2 key=[epic-2] status=[completed]
    "#]]
    .assert_eq(&out);
    let references: Vec<String> = file
        .facts
        .references
        .iter()
        .map(|r| {
            format!(
                "{} [{}]",
                r.target.as_id().unwrap(),
                &file.text[r.range.start()..r.range.end()]
            )
        })
        .collect();
    // Backlog and superseded stories have no file to point at.
    expect![[r#"
        bmad-epic-1 [epic-1]
        bmad-story-1.1 [1-1-setup]
        bmad-story-1.2 [1-2-login]
        bmad-story-1.3 [1-3-logout]
        bmad-epic-2 [epic-2]"#]]
    .assert_eq(&references.join("\n"));
}

#[test]
fn sprint_status_findings_on_values_and_missing_files() {
    check(
        &format!(
            "{SPRINT}{}{}",
            v6_story("1-1-setup", "done"),
            v6_story("1-2-login", "review")
        ),
        expect![[r#"
            _bmad-output/implementation-artifacts/sprint-status.yaml:9:3 bmad-missing-story-file: story 1.3 is `ready-for-dev` but has no file `_bmad-output/implementation-artifacts/1-3-logout.md`, where BMAD's dev workflow opens it [1-3-logout]
            _bmad-output/implementation-artifacts/sprint-status.yaml:13:11 bmad-unknown-status: `completed` is not a BMAD v6 epic status (BMAD's agents set `backlog`, `in-progress`, `done`); did you mean `done`? [completed]
        "#]],
    );
}

#[test]
fn a_completed_retrospective_is_the_older_template_s_word() {
    check(
        "//- _bmad-output/implementation-artifacts/sprint-status.yaml
development_status:
  epic-1: done
  epic-1-retrospective: completed
  epic-2: backlog
  epic-2-retrospective: optional
  epic-3-retrospective: finished
",
        expect![[r#"
            _bmad-output/implementation-artifacts/sprint-status.yaml:6:25 bmad-unknown-status: `finished` is not a BMAD v6 retrospective status (BMAD's agents set `optional`, `done`); did you mean `done`? [finished]
        "#]],
    );
}

/// A story file saying `complete` where the sprint status says `done`
/// means the same: the unknown word is reported once, with the word it
/// means, and the two are not called a mismatch. `review` against `done`
/// still is one.
#[test]
fn a_status_synonym_is_no_mismatch_with_the_word_it_means() {
    let fixture = format!(
        "//- docs/sprint-artifacts/sprint-status.yaml
story_location: docs/sprint-artifacts/stories
development_status:
  epic-1: in-progress
  1-1-setup: done
  1-2-login: Completed
  1-3-logout: done
  1-4-profile: review
  1-5-avatar: review
{}{}{}{}{}",
        titled_story("1-1-setup", "1.1", "complete"),
        titled_story("1-2-login", "1.2", "done"),
        titled_story("1-3-logout", "1.3", "review"),
        // v6-alpha's dev-story wrote `Ready for Review` in the story.
        titled_story("1-4-profile", "1.4", "Ready for Review"),
        // Written in v6's spelling (AdamMomen/etch), it is offered as the
        // word the message lists, not as the agent's older word.
        titled_story("1-5-avatar", "1.5", "ready-for-review"),
    );
    check(
        &fixture,
        expect![[r#"
            docs/sprint-artifacts/sprint-status.yaml:5:14 bmad-unknown-status: `Completed` is not a BMAD v6 story status (BMAD's agents set `backlog`, `ready-for-dev`, `in-progress`, `review`, `done`); did you mean `done`? [Completed]
            docs/sprint-artifacts/stories/1-1-setup.md:3:9 bmad-unknown-status: `complete` is not a BMAD v6 story status (BMAD's agents set `backlog`, `ready-for-dev`, `in-progress`, `review`, `done`); did you mean `done`? [complete]
            docs/sprint-artifacts/stories/1-3-logout.md:3:9 bmad-status-mismatch: story 1.3 is `review` here but `done` in `docs/sprint-artifacts/sprint-status.yaml` [review]
            docs/sprint-artifacts/stories/1-5-avatar.md:3:9 bmad-unknown-status: `ready-for-review` is not a BMAD v6 story status (BMAD's agents set `backlog`, `ready-for-dev`, `in-progress`, `review`, `done`); did you mean `review`? [ready-for-review]
        "#]],
    );
}

#[test]
fn story_files_are_found_where_story_location_says() {
    let fixture = "//- docs/sprint-artifacts/sprint-status.yaml
# story_location: docs/sprint-artifacts/stories
story_location: \"{project-root}/docs/sprint-artifacts/stories\"

development_status:
  epic-1: in-progress
  1-1-project-scaffolding: done
  1-2-domain-entities: review
  1-3-missing-story: ready-for-dev
//- docs/sprint-artifacts/stories/1-2-domain-entities.md
# Story 1.2: Domain Entities

Status: done

## Acceptance Criteria

1. It builds
//- docs/sprint-artifacts/stories/epic-1/1-1-project-scaffolding.md
# Story 1.1: Project Scaffolding

Status: done

## Acceptance Criteria

1. It builds
//- docs/sprint-artifacts/other/sprint-status.yaml
story_location: docs/sprint-artifacts/other/stories
development_status:
  epic-2: in-progress
  2-1-export: done
//- docs/sprint-artifacts/other/stories/2-1-export.md
# Story 2.1: Export

Status: done

## Acceptance Criteria

1. It exports
";
    // Story 1.2 is compared with its row both ways; only story 1.3 has no
    // file.
    check(
        fixture,
        expect![[r#"
            docs/sprint-artifacts/sprint-status.yaml:8:3 bmad-missing-story-file: story 1.3 is `ready-for-dev` but has no file `docs/sprint-artifacts/stories/1-3-missing-story.md`, where BMAD's dev workflow opens it [1-3-missing-story]
            docs/sprint-artifacts/stories/1-2-domain-entities.md:3:9 bmad-status-mismatch: story 1.2 is `done` here but `review` in `docs/sprint-artifacts/sprint-status.yaml` [done]
        "#]],
    );
    assert_eq!(
        classify(
            "docs/sprint-artifacts/stories/epic-1/1-1-scaffolding.md",
            &[]
        ),
        Some("v6-story")
    );
    // A folder of an epic numbered in two parts holds its stories, and a
    // folder of another epic holds no story.
    assert_eq!(
        classify(
            "docs/sprint-artifacts/stories/epic-3.5/3-5-0-cleanup.md",
            &[]
        ),
        Some("v6-story")
    );
    assert_eq!(
        classify("docs/sprint-artifacts/stories/epic-2/3-1-cleanup.md", &[]),
        None
    );
}

/// A v6 story file in `docs/sprint-artifacts/stories/`, titled as BMAD's
/// `create-story` titles it.
/// The IDs of a workspace's stories, sorted.
fn story_ids(ws: &Workspace) -> Vec<String> {
    let mut stories: Vec<String> = ws
        .items()
        .filter(|(_, i)| i.kind == ItemKind::Story)
        .map(|(_, i)| i.id.to_string())
        .collect();
    stories.sort();
    stories
}

/// The IDs of the rows a sprint-status file tracks, in its order.
fn tracker_rows<'a>(ws: &'a Workspace, rel: &str) -> Vec<&'a str> {
    let tracker = ws.file(rel).expect("the sprint status");
    let rows = &tracker.facts.index.as_ref().expect("its rows").rows;
    rows.iter().map(|r| r.id.as_str()).collect()
}

fn titled_story(key: &str, number: &str, status: &str) -> String {
    format!(
        "//- docs/sprint-artifacts/stories/{key}.md\n# Story {number}: Title\n\nStatus: {status}\n\n## Acceptance Criteria\n\n1. It works\n"
    )
}

/// A sprint-status key written with a path or an extension is still read
/// by its number, and never stops the check.
#[test]
fn story_keys_with_a_path_or_an_extension_are_read_by_their_number() {
    let fixture = "//- docs/sprint-artifacts/sprint-status.yaml
development_status:
  epic-1: in-progress
  stories/1-3-login: review
  1-2.md: review
  1-4.story.md: review
";
    check(
        fixture,
        expect![[r#"
        docs/sprint-artifacts/sprint-status.yaml:3:3 bmad-missing-story-file: story 1.3 is `review` but has no file `docs/sprint-artifacts/stories/1-3-login.md`, where BMAD's dev workflow opens it [stories/1-3-login]
        docs/sprint-artifacts/sprint-status.yaml:4:3 bmad-missing-story-file: story 1.2 is `review` but has no file `docs/sprint-artifacts/1-2.md.md`, where BMAD's dev workflow opens it [1-2.md]
    "#]],
    );
}

#[test]
fn story_keys_split_where_the_epic_keys_say() {
    // Epics added between others are lettered (`epic-19a`) or numbered in
    // two parts (`epic-27-5`, `epic-0-5`); a story's slug may open with a
    // number (`0-5-7-72-hour-notice` is story 7 of epic 0.5), and epic 27
    // keeps its own story 5 beside epic 27.5.
    let mut fixture = "//- docs/sprint-artifacts/sprint-status.yaml
story_location: docs/sprint-artifacts/stories
development_status:
  epic-0-5: done
  0-5-7-72-hour-notice: done
  epic-1: done
  1-0-1-project-scaffolding: done
  1-0-2-web-shell: done
  epic-19a: in-progress
  19a-1-summary-card: done
  19a-2-status-row: review
  epic-27: done
  27-5-audit-log-export: done
  epic-27-5: in-progress
  27-5-1-check-in-prompts: done
  27-5-2-check-in-ui: ready-for-dev
"
    .to_string();
    for (key, number, status) in [
        ("0-5-7-72-hour-notice", "0.5.7", "done"),
        ("1-0-1-project-scaffolding", "1.0.1", "done"),
        ("1-0-2-web-shell", "1.0.2", "done"),
        ("19a-1-summary-card", "19A.1", "done"),
        ("19a-2-status-row", "19A.2", "review"),
        ("27-5-audit-log-export", "27.5", "done"),
        ("27-5-1-check-in-prompts", "27.5.1", "done"),
        ("27-5-2-check-in-ui", "27.5.2", "ready-for-dev"),
    ] {
        fixture.push_str(&titled_story(key, number, status));
    }
    check(&fixture, expect![[r#""#]]);
    let ws = workspace(&fixture).workspace;
    let stories: Vec<String> = items(&ws)
        .lines()
        .filter(|line| line.starts_with("story"))
        .map(|line| line.split(" status=").next().unwrap_or(line).to_string())
        .collect();
    expect![[r#"
        story bmad-story-0.5.7 Some("0.5.7") parent=Some("bmad-epic-0.5")
        story bmad-story-1.0.1 Some("1.0.1") parent=Some("bmad-epic-1.0")
        story bmad-story-1.0.2 Some("1.0.2") parent=Some("bmad-epic-1.0")
        story bmad-story-19a.1 Some("19a.1") parent=Some("bmad-epic-19a")
        story bmad-story-19a.2 Some("19a.2") parent=Some("bmad-epic-19a")
        story bmad-story-27.5.1 Some("27.5.1") parent=Some("bmad-epic-27.5")
        story bmad-story-27.5.2 Some("27.5.2") parent=Some("bmad-epic-27.5")
        story bmad-story-27.5 Some("27.5") parent=Some("bmad-epic-27")"#]]
    .assert_eq(&stories.join("\n"));
    let file = ws.file("docs/sprint-artifacts/sprint-status.yaml").unwrap();
    let rows: Vec<&str> = file
        .facts
        .index
        .as_ref()
        .map(|table| table.rows.iter().map(|row| row.id.as_str()).collect())
        .unwrap_or_default();
    expect!["bmad-epic-0.5 bmad-story-0.5.7 bmad-epic-1 bmad-story-1.0.1 bmad-story-1.0.2 bmad-epic-19a bmad-story-19a.1 bmad-story-19a.2 bmad-epic-27 bmad-story-27.5 bmad-epic-27.5 bmad-story-27.5.1 bmad-story-27.5.2"]
    .assert_eq(&rows.join(" "));
}

/// One disagreement is one finding: on the story file's status, which is
/// what falls behind when the sprint's key moves on, with the key's value
/// as its related place; the quick fixes copy either way.
#[test]
fn a_story_file_and_sprint_status_that_disagree_are_reported_once_on_the_story() {
    let fixture = format!(
        "{SPRINT}{}{}{}",
        v6_story("1-1-setup", "review"),
        v6_story("1-2-login", "review"),
        v6_story("1-3-logout", "ready-for-dev")
    );
    check(
        &fixture,
        expect![[r#"
            _bmad-output/implementation-artifacts/1-1-setup.md:3:9 bmad-status-mismatch: story 1.1 is `review` here but `done` in `_bmad-output/implementation-artifacts/sprint-status.yaml` [review]
            _bmad-output/implementation-artifacts/sprint-status.yaml:13:11 bmad-unknown-status: `completed` is not a BMAD v6 epic status (BMAD's agents set `backlog`, `in-progress`, `done`); did you mean `done`? [completed]
        "#]],
    );
    expect![[r#"
        Set the story file to `done`, as `_bmad-output/implementation-artifacts/sprint-status.yaml` has it (preferred: false, safe: false)
          _bmad-output/implementation-artifacts/1-1-setup.md: `review` -> `done`
        Set `_bmad-output/implementation-artifacts/sprint-status.yaml` to `review`, as the story file has it (preferred: false, safe: false)
          _bmad-output/implementation-artifacts/sprint-status.yaml: `done` -> `review`
    "#]]
    .assert_eq(&fixes_of(&fixture, "bmad-status-mismatch"));
    let fixture = workspace(&fixture);
    let related: Vec<String> = check_workspace(&fixture.workspace)
        .into_iter()
        .filter(|d| d.rule.name() == "bmad-status-mismatch")
        .flat_map(|d| d.related)
        .map(|r| {
            let text = &fixture.workspace.file(&r.rel).unwrap().text;
            format!(
                "{} [{}]: {}",
                r.rel,
                &text[r.range.start()..r.range.end()],
                r.message
            )
        })
        .collect();
    expect!["_bmad-output/implementation-artifacts/sprint-status.yaml [done]: `1-1-setup` is `done` here"]
    .assert_eq(&related.join("\n"));
}

#[test]
fn an_empty_development_status_is_no_syntax_error() {
    // Sprint planning has not added stories yet.
    check(
        "//- _bmad-output/implementation-artifacts/sprint-status.yaml\nproject: demo\ndevelopment_status:\n# stories get added by sprint-planning\n",
        expect![""],
    );
}

#[test]
fn a_sprint_status_key_written_with_the_dotted_number_is_named() {
    let fixture = format!(
        "//- _bmad-output/implementation-artifacts/sprint-status.yaml\ndevelopment_status:\n  epic-1: in-progress\n  1.2-user-login: review\n{}",
        v6_story("1-2-user-login", "review"),
    );
    check(
        &fixture,
        expect![[r#"
            _bmad-output/implementation-artifacts/1-2-user-login.md:1:1 bmad-untracked-story: `_bmad-output/implementation-artifacts/sprint-status.yaml` lists story 1.2 as `1.2-user-login`, which BMAD's workflows do not read (they write the number with `-`): rename it `1-2-user-login` [# Story 1.2: Title]
        "#]],
    );
}

#[test]
fn a_story_file_sprint_status_does_not_list_is_reported() {
    check(
        &format!(
            "{SPRINT}{}{}{}{}",
            v6_story("1-1-setup", "done"),
            v6_story("1-2-login-form", "review"),
            v6_story("1-3-logout", "ready-for-dev"),
            v6_story("2-1-shelves", "ready-for-dev")
        ),
        expect![[r#"
            _bmad-output/implementation-artifacts/1-2-login-form.md:1:1 bmad-untracked-story: `_bmad-output/implementation-artifacts/sprint-status.yaml` tracks story 1.2 as `1-2-login`, not `1-2-login-form`: rename one so they agree [# Story 1.2: Title]
            _bmad-output/implementation-artifacts/2-1-shelves.md:1:1 bmad-untracked-story: story 2.1 is not in `_bmad-output/implementation-artifacts/sprint-status.yaml`: add `2-1-shelves` to its `development_status` [# Story 2.1: Title]
            _bmad-output/implementation-artifacts/sprint-status.yaml:8:3 bmad-missing-story-file: there is no `1-2-login.md` beside this file; `1-2-login-form.md` holds story 1.2: rename one so they agree [1-2-login]
            _bmad-output/implementation-artifacts/sprint-status.yaml:13:11 bmad-unknown-status: `completed` is not a BMAD v6 epic status (BMAD's agents set `backlog`, `in-progress`, `done`); did you mean `done`? [completed]
        "#]],
    );
}

#[test]
fn v6_story_statuses_and_companion_files() {
    check(
        &v6_story("1-1-setup", "In Progress"),
        expect![[r#"
            _bmad-output/implementation-artifacts/1-1-setup.md:3:9 bmad-unknown-status: `In Progress` is not a BMAD v6 story status (BMAD's agents set `backlog`, `ready-for-dev`, `in-progress`, `review`, `done`); did you mean `in-progress`? [In Progress]
        "#]],
    );
    // A file named like a story, with neither a status nor criteria, goes
    // with a story: it is no story of its own, and no duplicate.
    let ws = workspace(&format!(
        "{}//- _bmad-output/implementation-artifacts/1-1-spike-findings.md\n# Story 1.1: Findings\n\n## Decision: GO\n",
        v6_story("1-1-setup", "done")
    ))
    .workspace;
    assert_eq!(findings(&ws), "");
    assert_eq!(
        ws.file("_bmad-output/implementation-artifacts/1-1-spike-findings.md")
            .unwrap()
            .facts
            .items
            .len(),
        0
    );
}

#[test]
fn a_v6_story_s_status_line_wins_over_a_status_section_further_down() {
    // The line under the title says `review`, as the sprint does; a
    // `## Status` section further down still says `in-progress`. v6's
    // workflows set the line, so the story is in review.
    let story = v6_story("1-2-login", "review").replace(
        "## Tasks / Subtasks",
        "## Status\n\nStatus: in-progress\n\n## Tasks / Subtasks",
    );
    check(
        &format!("{SPRINT}{story}"),
        expect![[r#"
            _bmad-output/implementation-artifacts/sprint-status.yaml:9:3 bmad-missing-story-file: story 1.3 is `ready-for-dev` but has no file `_bmad-output/implementation-artifacts/1-3-logout.md`, where BMAD's dev workflow opens it [1-3-logout]
            _bmad-output/implementation-artifacts/sprint-status.yaml:13:11 bmad-unknown-status: `completed` is not a BMAD v6 epic status (BMAD's agents set `backlog`, `in-progress`, `done`); did you mean `done`? [completed]
        "#]],
    );
}

#[test]
fn a_criterion_its_title_defers_needs_no_task() {
    // AharonR/downloader's story 1.6 defers its sixth criterion to a later
    // story in the criterion's own title; the fourth is still uncovered.
    check(
        "//- _bmad-output/implementation-artifacts/1-6-retry.md\n# Story 1.6: Retry\n\nStatus: done\n\n## Acceptance Criteria\n\n1. **AC1: Retries** on a timeout\n2. **AC2: Backoff** doubles\n3. **AC3: Rate limits (Deferred)**\n   - Handled by story 1.7\n4. **AC4: Logging** of each retry\n\n## Tasks / Subtasks\n\n- [x] Task 1: Retry loop (AC: 1, 2)\n",
        expect![[r#"
            _bmad-output/implementation-artifacts/1-6-retry.md:11:6 bmad-uncovered-criterion: criterion 4 of story 1.6 is covered by no task: name it as `(AC: 4)` on the task that meets it [AC4]
        "#]],
    );
}

#[test]
fn a_criterion_that_states_what_is_out_of_scope_needs_no_task() {
    // Alberto-Codes/gepa-adk's story 1b.5 ends its criteria with what it
    // leaves out, and sulha199/fest-grid-bmad's 1.3e says so in prose; a
    // criterion that only mentions scope is still uncovered.
    check(
        "//- _bmad-output/implementation-artifacts/1-5-types.md\n# Story 1.5: Types\n\nStatus: done\n\n## Acceptance Criteria\n\n1. **Overloads** replace the union return\n2. **Nullable trajectories explicitly OUT OF SCOPE** — no `Result` dataclass\n3. **And** the calendar view is explicitly out of scope for this story\n4. **And** the scope selector lists every scope\n\n## Tasks / Subtasks\n\n- [x] Task 1: Overloads (AC: 1)\n",
        expect![[r#"
            _bmad-output/implementation-artifacts/1-5-types.md:10:1 bmad-uncovered-criterion: criterion 4 of story 1.5 is covered by no task: name it as `(AC: 4)` on the task that meets it [4]
        "#]],
    );
}

#[test]
fn v6_stories_belong_to_the_epics_of_epics_md() {
    let epics = "//- _bmad-output/planning-artifacts/epics.md\n# Epics\n## Epic List\n### Epic 1: Ship\n## Epic 1: Ship\n### Story 1.1: Setup\n";
    let ws = workspace(&format!("{epics}{}", v6_story("2-1-shelves", "done"))).workspace;
    expect![[r#"
        _bmad-output/implementation-artifacts/2-1-shelves.md:1:1 bmad-unknown-epic: story 2.1 belongs to epic 2, which `_bmad-output/planning-artifacts/epics.md` does not have (epic 1 only) [# Story 2.1: Title]
    "#]]
    .assert_eq(&findings(&ws));
    // The epic list's heading repeats the epic; the details define it.
    let epic = ws.item("bmad-epic-1").unwrap().1;
    assert_eq!(epic.title, "Ship");
    assert_eq!(ws.definitions("bmad-epic-1").len(), 1);
}

#[test]
fn every_epics_file_of_the_planning_folder_names_epics() {
    let fixture = format!(
        "{}{}{}{}",
        "//- _bmad-output/planning-artifacts/epics.md\n# Epics\n## Epic 1: Ship\n### Story 1.1: Setup\n",
        "//- _bmad-output/planning-artifacts/epics-housekeeping.md\n# Epics\n## Epic 12: Housekeeping & Quality Infrastructure — Stories\n### Story 12.1: Lint\n",
        "//- _bmad-output/planning-artifacts/epics-next.md\n# Epics\n## Epic 1: Publish Reliability\n### Story 1.1: Retry\n",
        v6_story("12-1-lint", "done"),
    );
    let ws = workspace(&format!("{fixture}{}", v6_story("13-1-docs", "done"))).workspace;
    // Epic 12 is known; epic 13 is in no epics file. The second file's
    // epic 1 is no second definition.
    expect![[r#"
        _bmad-output/implementation-artifacts/13-1-docs.md:1:1 bmad-unknown-epic: story 13.1 belongs to epic 13, which no epics file names (epics 1, 12) [# Story 13.1: Title]
    "#]].assert_eq(&findings(&ws));
    assert_eq!(ws.definitions("bmad-epic-1").len(), 1);
}

#[test]
fn sprint_status_that_is_not_yaml_is_reported_where_it_breaks() {
    check(
        "//- _bmad-output/implementation-artifacts/sprint-status.yaml\ndevelopment_status:\n  1-1-setup: done\n  1-1-setup: review\n",
        expect![[r#"
            _bmad-output/implementation-artifacts/sprint-status.yaml:3:3 bmad-sprint-status-syntax: this is not valid YAML (duplicated key in mapping), so BMAD's workflows cannot read the sprint's status [1-1-setup: review]
        "#]],
    );
    check(
        "//- _bmad-output/implementation-artifacts/sprint-status.yaml\nproject: x\nstories: [a, b\n",
        expect![[r#"
            _bmad-output/implementation-artifacts/sprint-status.yaml:3:1 bmad-sprint-status-syntax: this is not valid YAML (while parsing a flow sequence, expected ',' or ']'), so BMAD's workflows cannot read the sprint's status []
        "#]],
    );
    // YAML nested past any sprint status is not read: its reader
    // recurses once per level.
    check(
        &format!(
            "//- _bmad-output/implementation-artifacts/sprint-status.yaml\ndevelopment_status:\n  x: {}y\n",
            "- ".repeat(70)
        ),
        expect![[r#"
            _bmad-output/implementation-artifacts/sprint-status.yaml:2:3 bmad-sprint-status-syntax: this nests up to 73 levels deep, more than the 64 planmark reads (a sprint status needs two) [x: - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - y]
        "#]],
    );
    check(
        "//- _bmad-output/implementation-artifacts/sprint-status.yaml\nproject: x\n",
        expect![[r#"
            _bmad-output/implementation-artifacts/sprint-status.yaml:1:1 bmad-sprint-status-syntax: there is no `development_status:` mapping, where BMAD's workflows read each story's status [project: x]
        "#]],
    );
}

/// The derived facts of a fixture, as a request would see them.

#[test]
fn hover_lens_and_definition_follow_the_ac_references() {
    let fixture = workspace(&story_with(
        "Approved",
        "- [x] Task 1: Form (AC: $01, 2)\n- [ ] Task 2: Expiry (AC: 1, 9)\n",
    ));
    let ws = &fixture.workspace;
    let (rel, offset) = fixture.cursor.clone().expect("a cursor");
    let derived = derived(ws);
    let hover = features::hover::hover(ws, &derived, &rel, offset).expect("a hover");
    expect![[r#"
        **bmad-story-1.2/ac-1** · The form takes an email

        criterion

        Covered by bmad-story-1.2/task-1, bmad-story-1.2/task-2"#]]
    .assert_eq(&hover.markdown);
    let missing = ws.file(&rel).unwrap().text.find("9)").unwrap();
    let hover = features::hover::hover(ws, &derived, &rel, missing).expect("a hover");
    expect![[r#"
        **bmad-story-1.2/ac-9**

        ⚠ No criterion has this ID."#]]
    .assert_eq(&hover.markdown);
    let definition = features::navigation::definition(ws, &rel, offset).expect("a definition");
    let target = &definition.targets[0];
    let file = ws.file(&target.rel).unwrap();
    assert_eq!(
        &file.text[target.range.start()..target.range.end()].trim(),
        &"1. The form takes an email"
    );
    let lenses: Vec<String> = features::lens::code_lenses(ws, &derived, &rel)
        .into_iter()
        .map(|l| format!("{}: {}", l.id, l.title))
        .collect();
    expect![[r#"
        bmad-story-1.2: wave 2 · blocks 0
        bmad-story-1.2/ac-1: covered by 1, 2
        bmad-story-1.2/ac-2: covered by 1
        bmad-story-1.2/ac-3: not covered
        bmad-story-1.2/task-1: done · blocks 0
        bmad-story-1.2/task-2: wave 1 · blocks 0"#]]
    .assert_eq(&lenses.join("\n"));
}

#[test]
fn definition_from_sprint_status_reaches_the_story_file() {
    let fixture = workspace(&format!(
        "{}{}",
        SPRINT.replace("  1-1-setup: done", "  1-1-$0setup: done"),
        v6_story("1-1-setup", "done")
    ));
    let ws = &fixture.workspace;
    let (rel, offset) = fixture.cursor.clone().expect("a cursor");
    let definition = features::navigation::definition(ws, &rel, offset).expect("a definition");
    assert_eq!(
        definition.targets[0].rel,
        "_bmad-output/implementation-artifacts/1-1-setup.md"
    );
    let hover = features::hover::hover(ws, &derived(ws), &rel, offset).expect("a hover");
    assert!(
        hover.markdown.starts_with("**bmad-story-1.1** · Title"),
        "{}",
        hover.markdown
    );
}

/// The criteria completion offers at the cursor of `tasks`, one line
/// each, after checking that each replaces only what is typed there.
fn ac_completion(tasks: &str) -> String {
    let (got, offset) = completion_at(&workspace(&story_with("Approved", tasks)));
    assert!(got.items.iter().all(|c| c.range.start() == offset));
    completion_lines(&got)
}

#[test]
fn completion_inside_an_ac_list_offers_criteria() {
    expect![[r#"
        2 "A wrong password says so"
        3 "The session lasts a week""#]]
    .assert_eq(&ac_completion("- [ ] Task 1: Form (AC: 1, $0)\n"));
}

/// BMAD v6 stories write the criteria with a `#` (`(AC: #1, #3)`): the
/// list offers the numbers after it, leaves out those listed, and keeps
/// the `#` typed.
#[test]
fn completion_after_a_hash_in_an_ac_list_offers_criteria() {
    expect![[r#"
        2 "A wrong password says so"
        3 "The session lasts a week""#]]
    .assert_eq(&ac_completion("- [ ] Task 1: Form (AC: #1, #$0)\n"));
}

#[test]
fn a_story_waits_for_its_tasks_in_the_plan() {
    let ws = workspace(&story_with(
        "Approved",
        "- [x] Task 1 (AC: 1)\n- [ ] Task 2 (AC: 2)\n  - [ ] 2.1 Part\n- [ ] Task 3 (AC: 3)\n",
    ))
    .workspace;
    let plan = crate::analysis::plan::plan(&Graph::build(&ws));
    expect![[r#"[["bmad-story-1.2/task-2.1"], ["bmad-story-1.2/task-2", "bmad-story-1.2/task-3"], ["bmad-story-1.2"]]"#]]
        .assert_eq(&format!("{:?}", plan.waves));
}

/// The IDs of the graph's nodes that are not closed.
fn open_nodes(graph: &Graph) -> Vec<&str> {
    graph
        .nodes
        .iter()
        .filter(|node| !node.done)
        .map(|node| node.id.as_str())
        .collect()
}

/// A story marked Done with boxes left unticked (as dev agents often leave
/// them) is finished work: its tasks and their subtasks are not scheduled
/// again, however deep they sit.
#[test]
fn a_done_story_closes_its_subtasks_in_the_plan() {
    let ws = workspace(&story_with(
        "Done",
        "- [ ] Task 1 (AC: 1)\n  - [ ] 1.1 Part\n    - [ ] Deeper part\n- [ ] Task 2 (AC: 2)\n",
    ))
    .workspace;
    let graph = Graph::build(&ws);
    let plan = crate::analysis::plan::plan(&graph);
    expect![[r#"[]"#]].assert_eq(&format!("{:?}", plan.waves));
    expect![[r#"[]"#]].assert_eq(&format!("{:?}", open_nodes(&graph)));
}

/// A story closed without being done (`Cancelled`, `Superseded`, as
/// teams write: BMAD has no word for it) is no unknown status, and its
/// open tasks are not offered as work, nor reported as left open by a
/// done story.
#[test]
fn a_cancelled_story_is_closed_but_not_done() {
    for status in [
        "Cancelled",
        "Superseded",
        "Won't Do",
        "cancelled - moved to 2.1",
    ] {
        let fixture = workspace(&story_with(
            status,
            "- [ ] Task 1 (AC: 1)\n  - [ ] 1.1 Part\n- [ ] Task 2 (AC: 2, 3)\n",
        ));
        let ws = &fixture.workspace;
        let story = ws.items().find(|(_, item)| item.kind == ItemKind::Story);
        assert_eq!(
            story.map(|(_, item)| ws.progress(item)),
            Some(Some(Progress::Dropped)),
            "{status}"
        );
        expect![""].assert_eq(&findings(ws));
        let graph = Graph::build(ws);
        let open = open_nodes(&graph);
        assert!(open.is_empty(), "{status}: {open:?}");
        let plan = crate::analysis::plan::plan(&graph);
        assert!(plan.waves.is_empty(), "{status}: {:?}", plan.waves);
    }
    // Its hover says so, where a done story's says done.
    let hover = |status: &str| {
        let fixture = workspace(&story_with(status, "- [x] Task 1 (AC: 1, 2, 3)\n"));
        let ws = &fixture.workspace;
        let rel = "docs/stories/1.2.login.story.md";
        let offset = ws.file(rel).unwrap().text.find("Sign in").unwrap();
        let hover = features::hover::hover(ws, &derived(ws), rel, offset).expect("a hover");
        hover
            .markdown
            .lines()
            .last()
            .unwrap_or_default()
            .to_string()
    };
    assert_eq!(hover("Cancelled"), "✗ Dropped: closed without being done");
    assert_eq!(hover("Done"), "✓ Done");
}

/// In `sprint-status.yaml` a cancelled key is neither an unknown status
/// nor a story whose file is missing, and a story file that says so too
/// agrees with it.
#[test]
fn a_cancelled_key_of_sprint_status_needs_no_file() {
    let sprint = SPRINT
        .replace("1-5-export: \"superseded\"", "1-5-export: cancelled")
        .replace("1-4-audit: backlog", "1-4-audit: canceled");
    check(
        &format!("{sprint}{}", v6_story("1-5-export", "cancelled")),
        expect![[r#"
            _bmad-output/implementation-artifacts/sprint-status.yaml:8:3 bmad-missing-story-file: story 1.2 is `review` but has no file `_bmad-output/implementation-artifacts/1-2-login.md`, where BMAD's dev workflow opens it [1-2-login]
            _bmad-output/implementation-artifacts/sprint-status.yaml:9:3 bmad-missing-story-file: story 1.3 is `ready-for-dev` but has no file `_bmad-output/implementation-artifacts/1-3-logout.md`, where BMAD's dev workflow opens it [1-3-logout]
            _bmad-output/implementation-artifacts/sprint-status.yaml:13:11 bmad-unknown-status: `completed` is not a BMAD v6 epic status (BMAD's agents set `backlog`, `in-progress`, `done`); did you mean `done`? [completed]
        "#]],
    );
}

#[test]
fn a_story_in_review_with_every_task_ticked_is_still_open_work() {
    // The tasks are done, but the story's own status says it waits for its
    // review: it stays in the plan, under way. Marked done, it is done.
    let open_stories = |status: &str| {
        let ws = workspace(&story_with(
            status,
            "- [x] Task 1 (AC: 1)\n- [x] Task 2 (AC: 2)\n",
        ))
        .workspace;
        let graph = Graph::build(&ws);
        let open: Vec<String> = graph
            .nodes
            .iter()
            .filter(|node| !node.done)
            .map(|node| format!("{} in progress: {}", node.id.as_str(), node.in_progress))
            .collect();
        format!("{open:?}")
    };
    expect![[r#"["bmad-story-1.2 in progress: true"]"#]].assert_eq(&open_stories("Review"));
    expect![[r#"[]"#]].assert_eq(&open_stories("Done"));
}

#[test]
fn positions_hold_with_crlf_and_multi_byte_text() {
    let fixture = "//- docs/stories/1.2.login.story.md\r\n# Story 1.2: Café ☕ 通知\r\n\r\n## Status\r\nIn Progress\r\n\r\n## Acceptance Criteria\r\n1. 😀 arrives\r\n\r\n## Tasks / Subtasks\r\n- [ ] 通知 😀 (AC: 1, 4)\r\n//- _bmad-output/implementation-artifacts/sprint-status.yaml\r\n# 🚀 sprint\r\ndevelopment_status:\r\n  épic-x: done\r\n  epic-1: \"finished\"\r\n";
    let ws = workspace(fixture).workspace;
    let story = ws.file("docs/stories/1.2.login.story.md").unwrap();
    assert_eq!(story.facts.items[0].title, "Café ☕ 通知");
    let task = story.facts.items.last().unwrap();
    assert_eq!(task.title, "通知 😀");
    let written: Vec<&str> = task
        .covers
        .iter()
        .map(|r| &story.text[r.range.start()..r.range.end()])
        .collect();
    assert_eq!(written, ["1", "4"]);
    let field = task.covers_field.unwrap();
    assert_eq!(&story.text[field.start()..field.end()], "1, 4");
    expect![[r#"
        _bmad-output/implementation-artifacts/sprint-status.yaml:4:12 bmad-unknown-status: `finished` is not a BMAD v6 epic status (BMAD's agents set `backlog`, `in-progress`, `done`); did you mean `done`? [finished]
        docs/stories/1.2.login.story.md:4:1 bmad-unknown-status: `In Progress` is not a BMAD v4 story status (BMAD's agents set `Draft`, `Approved`, `InProgress`, `Review`, `Done`); did you mean `InProgress`? [In Progress]
        docs/stories/1.2.login.story.md:10:20 bmad-unknown-criterion: `4` names no acceptance criterion of story 1.2, which has criterion 1 only [4]
    "#]]
    .assert_eq(&findings(&ws));
}

#[test]
fn code_in_fences_is_not_read() {
    check(
        &story_with(
            "Draft",
            "- [ ] Task 1 (AC: 1, 2, 3)\n```markdown\n- [ ] Task 9 (AC: 9)\n```\n- [ ] Task 2 `(AC: 8)`\n",
        ),
        expect![""],
    );
}

#[test]
fn hostile_text_keeps_ranges_inside_the_file() {
    let texts = [
        "",
        "## Status\n",
        "## Tasks / Subtasks\n- [ ] (AC: 1-99999999999)\n- [ ] (AC: 3-1)\n  \t- [x] 1..1 x\n",
        "## Acceptance Criteria\n### AC\n### AC99999999999999999999: x\n",
        "development_status: [[[[[[[[",
        "development_status:\n  \"\": \"\"\n  ? [a, b]\n  : c\n  x: {a: b}\n",
        &format!("development_status:\n  x: {}y\n", "- ".repeat(60)),
        &"- ".repeat(10_000),
        &"[".repeat(10_000),
        &"[\n".repeat(10_000),
    ];
    for text in texts {
        for path in [
            "docs/stories/1.2.x.story.md",
            "_bmad-output/implementation-artifacts/1-2-x.md",
            "_bmad-output/implementation-artifacts/sprint-status.yaml",
            "docs/prd/epic-1.md",
        ] {
            let ws = workspace(&format!("//- {path}\n{text}")).workspace;
            let file = ws.file(path).unwrap();
            let inside = |r: TextRange| r.start() <= r.end() && r.end() <= file.text.len();
            for item in &file.facts.items {
                assert!(
                    inside(item.range) && inside(item.def_range),
                    "{path}: {text:?}"
                );
            }
            for d in check_workspace(&ws) {
                assert!(inside(d.range), "{path}: {text:?}");
            }
        }
    }
}

/// The labels completion offers at the fixture's cursor.
fn completion_labels(fixture_text: &str) -> Vec<String> {
    let fixture = workspace(fixture_text);
    let ws = &fixture.workspace;
    let (rel, offset) = fixture.cursor.clone().expect("a cursor");
    let derived = crate::analysis::features::Derived::new(
        ws,
        std::sync::Arc::new(crate::analysis::rules::Context::new(ws)),
    );
    crate::analysis::features::completion::completion(ws, &derived, &rel, offset)
        .items
        .into_iter()
        .map(|c| c.label)
        .collect()
}

#[test]
fn completion_offers_the_template_status_words() {
    // Under v4's `## Status` heading, whatever is typed there.
    let got = completion_labels(
        "//- docs/stories/1.2.login.story.md\n# Story 1.2: Login\n\n## Status\n\nIn$0\n\n## Acceptance Criteria\n\n1. It works\n",
    );
    assert_eq!(got, ["Draft", "Approved", "InProgress", "Review", "Done"]);
    // After v6's `Status:` line.
    let got = completion_labels(
        "//- _bmad-output/implementation-artifacts/1-2-login.md\n# Story 1.2: Login\n\nStatus: $0\n\n## Acceptance Criteria\n\n1. It works\n",
    );
    assert_eq!(
        got,
        ["backlog", "ready-for-dev", "in-progress", "review", "done"]
    );
    // Elsewhere in the story, nothing from the first workflow's templates.
    let got =
        completion_labels("//- docs/stories/1.2.login.story.md\n# Story 1.2: Login\n\n## $0\n");
    assert_eq!(got, Vec::<String>::new());
}

/// Criteria written in a form planmark does not read (vibe-dash's first
/// story writes one unnumbered scenario in a `gherkin` block) give
/// `bmad-unknown-criterion` no grounds to judge a task's `(AC: 1)`; the
/// editor does not call it missing either, while `(AC: 9)` of a story
/// whose criteria are read still is.
#[test]
fn the_editor_calls_a_criterion_missing_only_where_the_check_does() {
    let gherkin = "//- docs/stories/1.3.ports.story.md\n# Story 1.3: Ports\n\n## Status\nDone\n\n## Acceptance Criteria\n\n```gherkin\nGiven a port\nThen it exists\n```\n\n## Tasks / Subtasks\n\n- [x] Task 1: Define it (AC: 1)\n\n## Dev Notes\n";
    let fixture = format!(
        "{gherkin}{}",
        story_with("Approved", "- [ ] Task 1: Form (AC: 1, 9)\n")
    );
    let ws = workspace(&fixture).workspace;
    let mut said = findings(&ws);
    for rel in [
        "docs/stories/1.3.ports.story.md",
        "docs/stories/1.2.login.story.md",
    ] {
        let text = &ws.file(rel).expect("the story").text;
        let task_at = text.find("Task 1").expect("the task") + 1;
        let shown = crate::analysis::fixture::covers_as_shown(&ws, rel, task_at);
        writeln!(said, "{rel}: {shown}").expect("writing to a string");
    }
    expect![[r#"
        docs/stories/1.2.login.story.md:8:1 bmad-uncovered-criterion: criterion 2 of story 1.2 is covered by no task: name it as `(AC: 2)` on the task that meets it [2]
        docs/stories/1.2.login.story.md:9:1 bmad-uncovered-criterion: criterion 3 of story 1.2 is covered by no task: name it as `(AC: 3)` on the task that meets it [3]
        docs/stories/1.2.login.story.md:12:28 bmad-unknown-criterion: `9` names no acceptance criterion of story 1.2, which has criteria 1 to 3 [9]
        docs/stories/1.3.ports.story.md: hints []; Covers: 1; dangling tokens 0
        docs/stories/1.2.login.story.md: hints ["⚠ missing"]; Covers: bmad-story-1.2/ac-1, 9 ⚠ missing; dangling tokens 1
    "#]]
    .assert_eq(&said);
}

/// A range (`(AC: 1-3)`, `#1-#3`) names each criterion in it with the one
/// text: the cursor on its first number goes to the first criterion, on
/// its last to the last.
#[test]
fn a_criteria_range_leads_to_the_criterion_under_the_cursor() {
    let mut said = String::new();
    for list in ["1-3", "#1-#3"] {
        let fixture = workspace(&story_with(
            "Approved",
            &format!("- [ ] Task 1: Form (AC: {list})\n"),
        ));
        let ws = &fixture.workspace;
        let rel = "docs/stories/1.2.login.story.md";
        let text = &ws.file(rel).expect("the story").text;
        let at = text.find(&format!("AC: {list}")).expect("the list") + "AC: ".len();
        for offset in [at + list.find('1').expect("a 1"), at + list.len() - 1] {
            let hover = features::hover::hover(ws, &derived(ws), rel, offset).expect("a hover");
            let definition =
                features::navigation::definition(ws, rel, offset).expect("a definition");
            let target = &definition.targets[0];
            let focus = &ws.file(&target.rel).expect("the target").text
                [target.focus.start()..target.focus.end()];
            writeln!(
                said,
                "{list} at {}: {} -> {focus}",
                offset - at,
                hover.markdown.lines().next().unwrap_or("")
            )
            .expect("writing to a string");
        }
    }
    expect![[r#"
        1-3 at 0: **bmad-story-1.2/ac-1** · The form takes an email -> 1
        1-3 at 2: **bmad-story-1.2/ac-3** · The session lasts a week -> 3
        #1-#3 at 1: **bmad-story-1.2/ac-1** · The form takes an email -> 1
        #1-#3 at 4: **bmad-story-1.2/ac-3** · The session lasts a week -> 3
    "#]]
    .assert_eq(&said);
}

/// vibe-dash writes a story's criteria as Gherkin scenarios in a fenced
/// block, each opening with its label (`AC1: Given …`) and going on with
/// indented `When`/`Then` lines, notes and doc strings, sometimes one
/// block per sub-heading. Each is a numbered criterion spanning its
/// scenario, so tasks' `(AC: …)` are judged and lead to it. Code of other
/// languages in the section is never read.
#[test]
fn criteria_in_gherkin_blocks_are_the_story_s_numbered_criteria() {
    let fixture = workspace(
        "//- docs/sprint-artifacts/stories/3-2-navigation.md
# Story 3.2: Keyboard Navigation

Status: done

## Acceptance Criteria

### Moving

```gherkin
AC1: Given the list is displayed
     When I press 'j'
     Then the next project is selected
       - the detail panel follows

AC2: Given the list is displayed
     When I press 'k'
     Then the previous project is selected
       \"\"\"
       > client-alpha
       \"\"\"
```

### Later

```gherkin
AC3: (post-MVP) Given the list is displayed
     When I press 'g'
     Then the first project is selected
```

```rust
ac4.press('G');
```

## Tasks / Subtasks

- [x] Task 1: Key bindings (AC: $01, 2)
- [x] Task 2: Jump to the end (AC: 4)
",
    );
    let ws = &fixture.workspace;
    let rel = "docs/sprint-artifacts/stories/3-2-navigation.md";
    let text = &ws.file(rel).expect("the story").text;
    let mut said = String::new();
    for (_, item) in ws.items().filter(|(_, i)| i.kind == ItemKind::Criterion) {
        let spans: Vec<&str> = text[item.range.start()..item.range.end()].lines().collect();
        writeln!(
            said,
            "{} {:?} at {:?}: {} … {}",
            item.id,
            item.title,
            &text[item.def_range.start()..item.def_range.end()],
            spans.first().unwrap_or(&""),
            spans.last().unwrap_or(&"").trim()
        )
        .expect("writing to a string");
    }
    said.push_str(&findings(ws));
    let (_, offset) = fixture.cursor.clone().expect("a cursor");
    let hover = features::hover::hover(ws, &derived(ws), rel, offset).expect("a hover");
    let definition = features::navigation::definition(ws, rel, offset).expect("a definition");
    let focus = definition.targets[0].focus;
    writeln!(
        said,
        "hover: {}\ndefinition: {}",
        hover.markdown.lines().next().unwrap_or(""),
        &text[focus.start()..focus.end()]
    )
    .expect("writing to a string");
    let task_at = text.find("Task 2").expect("the task");
    said.push_str(&crate::analysis::fixture::covers_as_shown(ws, rel, task_at));
    expect![[r#"
        bmad-story-3.2/ac-1 "Given the list is displayed" at "AC1": AC1: Given the list is displayed … - the detail panel follows
        bmad-story-3.2/ac-2 "Given the list is displayed" at "AC2": AC2: Given the list is displayed … """
        bmad-story-3.2/ac-3 "(post-MVP) Given the list is displayed" at "AC3": AC3: (post-MVP) Given the list is displayed … Then the first project is selected
        docs/sprint-artifacts/stories/3-2-navigation.md:26:1 bmad-uncovered-criterion: criterion 3 of story 3.2 is covered by no task: name it as `(AC: 3)` on the task that meets it [AC3]
        docs/sprint-artifacts/stories/3-2-navigation.md:38:36 bmad-unknown-criterion: `4` names no acceptance criterion of story 3.2, which has criteria 1 to 3 [4]
        hover: **bmad-story-3.2/ac-1** · Given the list is displayed
        definition: AC1
        hints ["⚠ missing"]; Covers: 4 ⚠ missing; dangling tokens 1"#]]
    .assert_eq(&said);
}
/// BMAD numbers a story's criteria; a checklist nested under one of them
/// (Fledgely: "Then they have a checklist of verification steps:" over
/// `- [ ]` lines, a product's checklist) is part of that criterion's text,
/// not criteria of the story, so a done story is not told its criteria
/// are unchecked, and the criterion spans it. A story whose criteria are
/// a checklist (`- [ ] AC1: …`) keeps them as its checklist.
#[test]
fn checkboxes_under_a_numbered_criterion_are_part_of_it() {
    let fixture = workspace(
        "//- docs/sprint-artifacts/stories/0-5-3-escape.md
# Story 0.5.3: Escape Dashboard

Status: done

## Acceptance Criteria

1. **AC1: Dashboard behind MFA**
   - Given a support agent
   - Then they must have completed MFA

2. **AC2: Identity verification checklist**
   - Given an agent processing a request
   - Then they have a checklist of verification steps:
     - [ ] Out-of-band phone verification
     - [ ] ID document match
   - And they complete the minimum steps first

## Tasks / Subtasks

- [x] Task 1: Portal (AC: 1)
- [x] Task 2: Checklist (AC: $02)

//- docs/sprint-artifacts/stories/28-5-failures.md
# Story 28.5: Failures

Status: done

## Acceptance Criteria

- [ ] AC1: A failed description is retried
  - [x] after a minute
- [x] AC2: The parent sees a placeholder

## Tasks

- [x] Task 1: Retry (AC: 1, 2)
",
    );
    let ws = &fixture.workspace;
    let mut said = findings(ws);
    for (file, story) in ws.items().filter(|(_, i)| i.kind == ItemKind::Story) {
        let boxes: Vec<&str> = story.criteria.iter().map(|c| c.text(&file.text)).collect();
        writeln!(said, "{} checklist: {boxes:?}", story.id).expect("writing to a string");
    }
    let (rel, offset) = fixture.cursor.clone().expect("a cursor");
    let definition = features::navigation::definition(ws, &rel, offset).expect("a definition");
    let target = definition.targets[0].range;
    let text = &ws.file(&rel).expect("the story").text;
    writeln!(said, "definition:\n{}", &text[target.start()..target.end()])
        .expect("writing to a string");
    expect![[r#"
        docs/sprint-artifacts/stories/28-5-failures.md:7:3 done-with-open-criteria: story `28.5` is done but 1 of its 2 acceptance criteria is unchecked [[ ]]
        bmad-story-0.5.3 checklist: []
        bmad-story-28.5 checklist: ["AC1: A failed description is retried", "AC2: The parent sees a placeholder"]
        definition:
        2. **AC2: Identity verification checklist**
           - Given an agent processing a request
           - Then they have a checklist of verification steps:
             - [ ] Out-of-band phone verification
             - [ ] ID document match
           - And they complete the minimum steps first
    "#]]
    .assert_eq(&said);
}

/// BMAD v6-alpha's `create-story` names a story `story-1.14.md`; teams
/// beside a sprint status prefix a sprint key (`story-8-5-focus-mode.md`).
/// Each is the story of its number, and the key of that number is its own.
/// A slugged `story-1.1-project-scaffold.md` in a `stories/` folder is a
/// team's story when it has a status (RAGLite's `story-1.14-fix-….md`),
/// else another tool's story note (MonoPilot, Baostock): see
/// `a_slugged_story_name_is_a_story_with_a_status`.
#[test]
fn story_files_named_with_a_story_prefix_are_stories() {
    let cases = [
        ("docs/stories/story-1.14.md", Some("story")),
        ("docs/stories/story-1.15A.md", Some("story")),
        ("docs/stories/story-1.14-fix-ground-truth.md", Some("story")),
        (
            "docs/sprint-artifacts/story-8-5-focus-mode.md",
            Some("v6-story"),
        ),
        ("docs/sprint-artifacts/story-1.2.md", Some("v6-story")),
        (
            "_bmad-output/implementation-artifacts/stories/epic-8/story-8-5-focus.md",
            Some("v6-story"),
        ),
        // A team's own documents, and BMAD's context files, are none.
        ("docs/stories/STORY-1.14-INGESTION-GUIDE.md", None),
        ("docs/stories/story-context-1.4-summary.md", None),
        ("docs/stories/story-015-login.md", None),
        ("docs/notes/story-1.2.md", None),
    ];
    for (path, role) in cases {
        assert_eq!(classify(path, &[]), role, "{path}");
    }
    let fixture = "//- docs/stories/story-1.15A.md
# Story 1.15A: Ingestion

Status: Done

## Acceptance Criteria
1. It ingests
//- docs/sprint-artifacts/sprint-status.yaml
development_status:
  epic-8: in-progress
  8-5-focus-mode: in-progress
  8-6-grouping: review
  8-7-palette: ready-for-dev
//- docs/sprint-artifacts/story-8-5-focus-mode.md
# Story 8.5: Focus mode

Status: review

## Acceptance Criteria
1. It focuses
//- docs/sprint-artifacts/story-8.6.md
# Story 8.6: Grouping

Status: review

## Acceptance Criteria
1. It groups
";
    let ws = workspace(fixture).workspace;
    let stories = story_ids(&ws);
    assert_eq!(
        stories,
        ["bmad-story-1.15a", "bmad-story-8.5", "bmad-story-8.6"]
    );
    // Story 8.5's file is found by its key and compared with it; story
    // 8.6's by its number. Only story 8.7 has no file.
    expect![[r#"
        docs/sprint-artifacts/sprint-status.yaml:5:3 bmad-missing-story-file: story 8.7 is `ready-for-dev` but has no file `docs/sprint-artifacts/8-7-palette.md`, where BMAD's dev workflow opens it [8-7-palette]
        docs/sprint-artifacts/story-8-5-focus-mode.md:3:9 bmad-status-mismatch: story 8.5 is `review` here but `in-progress` in `docs/sprint-artifacts/sprint-status.yaml` [review]
    "#]]
    .assert_eq(&findings(&ws));
}

/// An epic added between 7 and 8 is `epic-7.6`, its stories
/// `7.6-13-contract-fields` (titled `# Story 7.6-13:`): story 7.6.13,
/// never story 7.6 of epic 7. A patch of a story, `6-2-p1-hmac-fix`, is
/// story 6.2-p1, beside story 6.2 and apart from story p1 of epic 6.2.
#[test]
fn stories_of_a_dotted_epic_and_patches_have_numbers_of_their_own() {
    let fixture = "//- _bmad-output/implementation-artifacts/sprint-status.yaml
story_location: _bmad-output/implementation-artifacts/stories
development_status:
  epic-7: done
  7-6-ci-tooling: done
  epic-7.6: in-progress
  7.6-13-contract-fields: done
  7.6-14-cutover: ready-for-dev
  epic-6: done
  6-2-temp-ids: done
  6-2-p1-hmac-fix: done
  epic-6.2: done
  6.2-p1-adapter: done
//- _bmad-output/implementation-artifacts/stories/epic-7.6/7.6-13-contract-fields.md
# Story 7.6-13: Contract fields

Status: ready-for-dev

## Acceptance Criteria
1. Fields exist
//- _bmad-output/implementation-artifacts/stories/epic-7/7-6-ci-tooling.md
# Story 7.6: CI tooling

Status: done

## Acceptance Criteria
1. It lints
//- _bmad-output/implementation-artifacts/stories/epic-6/6-2-temp-ids.md
# Story 6.2: Temp IDs

Status: done

## Acceptance Criteria
1. Works
//- _bmad-output/implementation-artifacts/stories/epic-6/6-2-p1-hmac-fix.md
# Story 6-2-P1: HMAC fix

Status: done

## Acceptance Criteria
1. Works
//- _bmad-output/implementation-artifacts/stories/epic-6/6.2-p1-adapter.md
# Story 6.2-P1: Adapter

Status: done

## Acceptance Criteria
1. Works
";
    let ws = workspace(fixture).workspace;
    let mut stories: Vec<String> = ws
        .items()
        .filter(|(_, i)| i.kind == ItemKind::Story)
        .map(|(_, i)| format!("{} {:?} {:?}", i.id, i.parent, i.title))
        .collect();
    stories.sort();
    expect![[r#"
        bmad-story-6.2 Some("bmad-epic-6") "Temp IDs"
        bmad-story-6.2-p1 Some("bmad-epic-6") "HMAC fix"
        bmad-story-6.2.p1 Some("bmad-epic-6.2") "Adapter"
        bmad-story-7.6 Some("bmad-epic-7") "CI tooling"
        bmad-story-7.6.13 Some("bmad-epic-7.6") "Contract fields""#]]
    .assert_eq(&stories.join("\n"));
    expect![[r#"
        _bmad-output/implementation-artifacts/sprint-status.yaml:7:3 bmad-missing-story-file: story 7.6.14 is `ready-for-dev` but has no file `_bmad-output/implementation-artifacts/stories/7.6-14-cutover.md`, where BMAD's dev workflow opens it [7.6-14-cutover]
        _bmad-output/implementation-artifacts/stories/epic-7.6/7.6-13-contract-fields.md:3:9 bmad-status-mismatch: story 7.6.13 is `ready-for-dev` here but `done` in `_bmad-output/implementation-artifacts/sprint-status.yaml` [ready-for-dev]
    "#]]
    .assert_eq(&findings(&ws));
}

/// A `story_location:` written on another machine names no folder here:
/// the keys' files are found where planmark found the stories, and a key
/// none holds says where it was looked for. A path whose end is a folder
/// of the workspace is that folder.
#[test]
fn a_story_location_of_another_machine_falls_back_to_the_stories_found() {
    let fixture = "//- _bmad-output/implementation-artifacts/sprint-status.yaml
story_location: E:\\Projects\\App\\docs\\sprint-artifacts\\stories
development_status:
  epic-1: in-progress
  1-1-setup: done
  1-2-login: in-progress
//- _bmad-output/implementation-artifacts/stories/epic-1/1-1-setup.md
# Story 1.1: Setup

Status: done

## Acceptance Criteria
1. It builds
//- docs/sprint-artifacts/sprint-status.yaml
story_location: c:/Users/me/App/docs/sprint-artifacts
development_status:
  epic-2: in-progress
  2-1-export: done
//- docs/sprint-artifacts/2-1-export.md
# Story 2.1: Export

Status: review

## Acceptance Criteria
1. It exports
";
    check(
        fixture,
        expect![[r#"
            _bmad-output/implementation-artifacts/sprint-status.yaml:5:3 bmad-missing-story-file: story 1.2 is `in-progress` but has no file `_bmad-output/implementation-artifacts/1-2-login.md` nor one with its other stories (`story_location` names `E:\Projects\App\docs\sprint-artifacts\stories`, outside this workspace) [1-2-login]
            docs/sprint-artifacts/2-1-export.md:3:9 bmad-status-mismatch: story 2.1 is `review` here but `done` in `docs/sprint-artifacts/sprint-status.yaml` [review]
        "#]],
    );
}

/// `- **Current Status:** done` under `## Status` is the status `done`,
/// and a review item marked `(defer)` may stay open in a done story.
#[test]
fn a_labelled_status_line_and_a_defer_mark_are_read() {
    let fixture = "//- docs/sprint-artifacts/sprint-status.yaml
development_status:
  epic-1: done
  1-1-setup: done
//- docs/sprint-artifacts/1-1-setup.md
# Story 1.1: Setup

## Acceptance Criteria
1. It builds

## Tasks / Subtasks
- [x] Task 1 (AC: 1)
- [ ] [AI-Review][LOW] rename a var (defer)

## Status

- **Current Status:** done
- **Story Key:** 1-1-setup
";
    check(fixture, expect![[r#""#]]);
}

#[test]
fn front_matter_and_a_details_list_hide_no_status() {
    // Newer dev workflows open a story with `baseline_commit:` front
    // matter, and teams list the status under `## Story Details`
    // (fest-grid-bmad, ScholarSense): both statuses are read, so neither
    // story lacks one.
    let ws = workspace(
        "//- _bmad-output/implementation-artifacts/1-2-login.md
---
baseline_commit: 1c36b8e
---

# Story 1.2: Login

Status: done

## Acceptance Criteria

1. It signs in
//- _bmad-output/implementation-artifacts/1-3-logout.md
---
baseline_commit: 07f8c16
---
# Story 1.3: Logout

## Story Details

- Epic: 1
- Status: review

## Acceptance Criteria

1. It signs out
",
    )
    .workspace;
    expect![[r#"
        story bmad-story-1.2 Some("1.2") parent=Some("bmad-epic-1") status=Some("done") progress=Some(Done) covers=[] title="Login"
        criterion bmad-story-1.2/ac-1 Some("1") parent=None status=None progress=None covers=[] title="It signs in"
        story bmad-story-1.3 Some("1.3") parent=Some("bmad-epic-1") status=Some("review") progress=Some(InProgress) covers=[] title="Logout"
        criterion bmad-story-1.3/ac-1 Some("1") parent=None status=None progress=None covers=[] title="It signs out"
    "#]].assert_eq(&items(&ws));
    let file = ws
        .file("_bmad-output/implementation-artifacts/1-3-logout.md")
        .unwrap();
    let field = file.facts.items[0]
        .fields
        .iter()
        .find(|f| f.is("status"))
        .unwrap();
    assert_eq!(
        &file.text[field.label_range.start()..field.value_range.end()],
        "Status: review"
    );
    expect![""].assert_eq(&findings(&ws));
}

#[test]
fn a_done_story_needs_no_file() {
    // No workflow opens a done story's file again, and teams delete it or
    // never write one (Silver-Bullet-ML-BMAD: six done keys, none with a
    // file): only the stories the dev and review workflows will open are
    // missing their files.
    check(
        &format!("{SPRINT}{}", v6_story("1-2-login", "review")),
        expect![[r#"
            _bmad-output/implementation-artifacts/sprint-status.yaml:9:3 bmad-missing-story-file: story 1.3 is `ready-for-dev` but has no file `_bmad-output/implementation-artifacts/1-3-logout.md`, where BMAD's dev workflow opens it [1-3-logout]
            _bmad-output/implementation-artifacts/sprint-status.yaml:13:11 bmad-unknown-status: `completed` is not a BMAD v6 epic status (BMAD's agents set `backlog`, `in-progress`, `done`); did you mean `done`? [completed]
        "#]],
    );
}

/// A report on a lettered variant titled as the variant
/// (`# Story 7.4-FX: Wyckoff Team Review Report`, with its own `Status:`
/// line but no story or tasks section) is not the story: bmad4_wyck_vol
/// keeps one beside the story.
#[test]
fn a_report_titled_as_a_variant_is_not_the_variant() {
    let ws = workspace(
        "//- docs/stories/epic-7/7.4-FX.forex-risk-tracking.md
# Story 7.4-FX: Forex Risk Tracking

## Status
Draft

## Story
**As a** trader, **I want** risk tracked, **so that** I stay safe.

## Acceptance Criteria
1. Risk is tracked

## Tasks / Subtasks
- [ ] Track it (AC: 1)
//- docs/stories/epic-7/7.4-FX-review-report.md
# Story 7.4-FX: Wyckoff Team Review Report

**Status:** Ready for Development

## Executive Summary

The team reviewed the story.
",
    )
    .workspace;
    let stories = story_ids(&ws);
    assert_eq!(stories, ["bmad-story-7.4-fx"]);
}

#[test]
fn a_report_named_after_a_story_is_not_the_story() {
    // BitCraftPublic keeps its review and test reports beside the stories
    // they report on, named by the story's number; each has a status of
    // its own, and was a second story 1.6 (a duplicate-id error, an
    // unknown status and a missing criteria section).
    let fixture = format!(
        "{}//- _bmad-output/implementation-artifacts/1-1-final-code-review-report.md
# Story 1.1 Final Code Review Report

**Status:** ✅ COMPLETE - All issues fixed

## Executive Summary

No issues left.

## Story Point Estimate Revision

Three points.
//- _bmad-output/implementation-artifacts/1-1-test-architecture-traceability.md
# Test Architecture Traceability Analysis: Story 1.1

**Story Status**: DONE

## Acceptance Criteria to Test Mapping

1. Covered by `setup.test.ts`
",
        v6_story("1-1-setup", "done")
    );
    check(&fixture, expect![[r#""#]]);
    // bmad4_wyck_vol keeps an implementation summary and an amendment
    // document beside stories 11.6 and 0.6, titled as the story with what
    // they are after a dash: no second story either.
    let v4 = |stem: &str, title: &str, body: &str| {
        format!("//- docs/stories/epic-11/{stem}.md\n# Story {title}\n\n{body}")
    };
    let fixture = [
        v4(
            "11.6.alerts",
            "11.6: Alerts",
            "## Status\nDone\n\n## Story\n**As a** trader, **I want** alerts, **so that** I act.\n\n## Acceptance Criteria\n1. Alerts arrive\n\n## Tasks / Subtasks\n- [x] Send them (AC: 1)\n",
        ),
        v4(
            "11.6.IMPLEMENTATION",
            "11.6: Alerts - Implementation Summary",
            "## Status: Backend Complete (100%)\n\n## What Was Implemented\n\nEverything.\n",
        ),
        v4(
            "11.6.alerts-amendments",
            "11.6: Alerts – Amendment Document",
            "**Status:** Applied\n\n## Revised Acceptance Criteria\n1. Alerts arrive fast\n",
        ),
    ]
    .concat();
    let ws = workspace(&fixture).workspace;
    assert_eq!(story_ids(&ws), ["bmad-story-11.6"]);
    check(&fixture, expect![[r#""#]]);
    // Titled as BMAD titles a story, or with the story's own sections, a
    // file is a story all the same.
    let story = "//- _bmad-output/implementation-artifacts/1-2-login.md
# Story 1.2: Login

Status: done

## Acceptance Criteria

1. It signs in
";
    check(story, expect![[r#""#]]);
    check(
        &story.replace("Status: done\n", ""),
        expect![[r#"
            _bmad-output/implementation-artifacts/1-2-login.md:1:1 bmad-missing-section: story 1.2 has no `Status:` line: BMAD's workflows read and set the story's status there [# Story 1.2: Login]
        "#]],
    );
    check(
        &story.replace("# Story 1.2: Login", "# Login").replace(
            "## Acceptance Criteria\n\n1. It signs in\n",
            "## Tasks / Subtasks\n\n- [ ] Task 1: Build it\n",
        ),
        expect![[r#"
            _bmad-output/implementation-artifacts/1-2-login.md:1:1 bmad-missing-section: story 1.2 has no `## Acceptance Criteria` section: nothing says when it is done [# Login]
            _bmad-output/implementation-artifacts/1-2-login.md:3:9 done-with-open-tasks: story `1.2` is done but 1 task is not (first task `1`): mark them done or reopen the story [done]
        "#]],
    );
}

#[test]
fn v4_stories_in_a_folder_of_their_epic_are_read() {
    // jthadison/bmad4_wyck_vol keeps each epic's v4 stories in a folder of
    // its own under `docs/stories/`; none of its 150 stories was read. A
    // folder that names another epic holds no story of that number.
    let ws = workspace(
        "//- docs/stories/epic-25/25.2.fix-wiring.md
# Story 25.2: Fix wiring

## Status
Done

## Acceptance Criteria
1. It is wired
//- docs/stories/epic-14/story-14.5-strategy-guide.md
# Story 14.5: Strategy Guide

## Story Overview

**Status**: Ready for Review

## Acceptance Criteria
1. A guide is written
//- docs/stories/epic-3/4.1.elsewhere.md
# Story 4.1: Elsewhere

## Status
Draft
",
    )
    .workspace;
    expect![[r#"
        story bmad-story-14.5 Some("14.5") parent=Some("bmad-epic-14") status=Some("Ready for Review") progress=Some(InProgress) covers=[] title="Strategy Guide"
        criterion bmad-story-14.5/ac-1 Some("1") parent=None status=None progress=None covers=[] title="A guide is written"
        story bmad-story-25.2 Some("25.2") parent=Some("bmad-epic-25") status=Some("Done") progress=Some(Done) covers=[] title="Fix wiring"
        criterion bmad-story-25.2/ac-1 Some("1") parent=None status=None progress=None covers=[] title="It is wired"
    "#]].assert_eq(&items(&ws));
    expect![""].assert_eq(&findings(&ws));
}

#[test]
fn a_lettered_variant_of_a_story_is_a_story_of_its_own() {
    // bmadServer adds hardening stories beside epic 10's:
    // `10-1-h-polly-retries.md`, titled `Story 10.1-H`, tracked as
    // `10-1-h-polly-retries`. Each was story 10.1 again, a duplicate-id
    // error with the story it hardens.
    let ws = workspace(&format!(
        "//- docs/sprint-artifacts/sprint-status.yaml
development_status:
  epic-10: in-progress
  10-1-graceful-errors: done
  10-1-h-polly-retries: review
{}{}\n## Tasks / Subtasks\n\n- [x] Task 1: Retry agent calls (AC: 1)\n",
        titled_story("10-1-graceful-errors", "10.1", "done"),
        titled_story("10-1-h-polly-retries", "10.1-H", "review"),
    ))
    .workspace;
    let stories = story_ids(&ws);
    assert_eq!(stories, ["bmad-story-10.1", "bmad-story-10.1-h"]);
    assert_eq!(
        tracker_rows(&ws, "docs/sprint-artifacts/sprint-status.yaml"),
        ["bmad-epic-10", "bmad-story-10.1", "bmad-story-10.1-h"]
    );
    expect![""].assert_eq(&findings(&ws));
}

/// A slugged `story-…` note of another tool in an epic's folder under
/// `stories/` is no story without a status, as in `stories/` itself; with
/// one it is.
#[test]
fn a_slugged_note_in_an_epic_folder_is_a_story_only_with_a_status() {
    let ws = workspace(
        "//- docs/stories/epic-14/story-14.5-strategy-guide.md
# Story 14.5: Strategy Guide

**Status**: Ready for Review

## Acceptance Criteria
1. A guide is written
//- docs/stories/epic-14/story-14.6-scaffold-notes.md
# Story 14.6: Scaffold notes

## Acceptance Criteria
1. Notes are kept

## Tasks

- [ ] Write the notes
",
    )
    .workspace;
    let stories = story_ids(&ws);
    assert_eq!(stories, ["bmad-story-14.5"]);
    expect![""].assert_eq(&findings(&ws));
}

/// The first key of a number is the story, whatever its slug's first
/// word: `add` in `10-1-add-login` is no variant's letters, where the
/// `h` of the `10-1-h-polly-retries` after it is.
#[test]
fn the_first_key_of_a_number_is_the_story_not_a_variant() {
    let ws = workspace(&format!(
        "//- docs/sprint-artifacts/sprint-status.yaml
development_status:
  epic-10: in-progress
  10-1-add-login: done
  10-1-h-polly-retries: ready-for-dev
{}{}",
        titled_story("10-1-add-login", "10.1", "done"),
        titled_story("10-1-h-polly-retries", "10.1-H", "ready-for-dev"),
    ))
    .workspace;
    assert_eq!(
        tracker_rows(&ws, "docs/sprint-artifacts/sprint-status.yaml"),
        ["bmad-epic-10", "bmad-story-10.1", "bmad-story-10.1-h"]
    );
    expect![""].assert_eq(&findings(&ws));
}

#[test]
fn a_criterion_lettered_after_another_is_a_criterion() {
    // fest-grid-bmad adds criterion `1a.` under criterion 1 (a lazy line
    // of item 1 to markdown) and its tasks name it `(AC1, AC1a)`: that was
    // an unknown-criterion error.
    check(
        "//- _bmad-output/implementation-artifacts/2-5-radius.md
# Story 2.5: Radius

Status: review

## Acceptance Criteria

1. **Given** a saved place, **then** events near it are listed.
1a. **And** a place given by coordinates works alike.
2. **And** the query is documented.

## Tasks / Subtasks

- [x] Task 1: Add the operator (AC1, AC1a)
- [x] Task 2: Document it (AC: 2)
",
        expect![[r#""#]],
    );
}

#[test]
fn a_slugged_story_name_is_a_story_with_a_status() {
    // RAGLite names some v6-alpha stories `story-1.14-fix-ground-truth.md`,
    // with a status; MonoPilot's and Baostock's story notes are named so
    // too but have none BMAD reads. The first is read, the second not.
    let ws = workspace(
        "//- docs/stories/story-1.14-fix-ground-truth.md
# Story 1.14: Fix Ground Truth

**Status:** Ready for Review

## Acceptance Criteria
1. The test set is fixed
//- docs/stories/story-1.1-project-scaffold.md
# Story 1.1: Project Scaffold

## Story Overview

Set the project up.

## Acceptance Criteria
1. It builds
",
    )
    .workspace;
    expect![[r#"
        story bmad-story-1.14 Some("1.14") parent=Some("bmad-epic-1") status=Some("Ready for Review") progress=Some(InProgress) covers=[] title="Fix Ground Truth"
        criterion bmad-story-1.14/ac-1 Some("1") parent=None status=None progress=None covers=[] title="The test set is fixed"
    "#]].assert_eq(&items(&ws));
    expect![""].assert_eq(&findings(&ws));
}

#[test]
fn review_passed_is_v6_alpha_s_approval() {
    // v6-alpha's `review-story` sets `Review Passed` on the story it
    // approves and `done` in sprint-status.yaml: RAGLite's story 1.15B.
    // The story is done, so an open task under it is reported.
    check(
        &story_with("Review Passed", "- [ ] Task 1 (AC: 1, 2, 3)\n"),
        expect![[r#"
            docs/stories/1.2.login.story.md:4:1 done-with-open-tasks: story `1.2` is done but 1 task is not (first task `1`): mark them done or reopen the story [Review Passed]
        "#]],
    );
}

#[test]
fn an_unknown_criterion_s_hint_shows_the_gaps_in_the_numbering() {
    // jthadison/bmad4_wyck_vol's story 4.7 numbers its criteria 1 to 6, 11
    // to 30 and 35 to 42; "which has criteria 1 to 42" hid why `(AC 10)`
    // names none.
    check(
        &story_with(
            "Draft",
            "- [ ] Task 1: Log transitions (AC: 5)\n- [ ] Task 2: Wire it (AC: 2, 4)\n",
        )
        .replace(
            "3. The session lasts a week\n",
            "4. The session lasts a week\n",
        ),
        expect![[r#"
            docs/stories/1.2.login.story.md:7:1 bmad-uncovered-criterion: criterion 1 of story 1.2 is covered by no task: name it as `(AC: 1)` on the task that meets it [1]
            docs/stories/1.2.login.story.md:12:36 bmad-unknown-criterion: `5` names no acceptance criterion of story 1.2, which has criteria 1, 2 and 4 [5]
        "#]],
    );
}

/// Runs of two and lettered criteria read as one list, not as runs
/// (`1, 1a and 2, 3` was three runs, the last of them "2, 3").
#[test]
fn a_criteria_hint_lists_short_runs_number_by_number() {
    use super::criteria_hint;
    assert_eq!(
        criteria_hint(&["1", "1a", "2", "3"]),
        "criteria 1, 1a, 2 and 3"
    );
    assert_eq!(
        criteria_hint(&["1", "2", "3", "4", "5", "6", "8", "9", "11", "12", "13"]),
        "criteria 1 to 6, 8, 9 and 11 to 13"
    );
    assert_eq!(criteria_hint(&["1", "2", "4"]), "criteria 1, 2 and 4");
    assert_eq!(criteria_hint(&["1", "2", "3"]), "criteria 1 to 3");
}

#[test]
fn a_story_without_a_status_takes_its_sprint_status_row_s() {
    // BMAD's workflows read a story's status in sprint-status.yaml too: a
    // story file that says none (sulha199/fest-grid-bmad's 1-3c, done
    // there) is as far along as its row says, and plan no longer offers
    // the done story's tasks as work to do.
    let ws = workspace(
        "//- _bmad-output/implementation-artifacts/sprint-status.yaml
development_status:
  epic-1: in-progress
  1-1-setup: done
  1-2-login: ready-for-dev
//- _bmad-output/implementation-artifacts/1-1-setup.md
# Story 1.1: Setup

## Acceptance Criteria

1. It builds

## Tasks / Subtasks

- [ ] Task 1: Build it (AC: 1)
//- _bmad-output/implementation-artifacts/1-2-login.md
# Story 1.2: Login

## Acceptance Criteria

1. It signs in
",
    )
    .workspace;
    let progress = |id: &str| ws.progress(ws.item(id).expect("the story").1);
    assert_eq!(progress("bmad-story-1.1"), Some(Progress::Done));
    assert_eq!(progress("bmad-story-1.2"), Some(Progress::NotStarted));
    expect![[r#"
        _bmad-output/implementation-artifacts/1-1-setup.md:1:1 bmad-missing-section: story 1.1 has no `Status:` line: BMAD's workflows read and set the story's status there [# Story 1.1: Setup]
        _bmad-output/implementation-artifacts/1-1-setup.md:1:1 done-with-open-tasks: story `1.1` is done (as `_bmad-output/implementation-artifacts/sprint-status.yaml` says) but 1 task is not (first task `1`): mark them done or reopen the story [# Story 1.1: Setup]
        _bmad-output/implementation-artifacts/1-2-login.md:1:1 bmad-missing-section: story 1.2 has no `Status:` line: BMAD's workflows read and set the story's status there [# Story 1.2: Login]
    "#]].assert_eq(&findings(&ws));
}

#[test]
fn the_outline_holds_criteria_and_subtasks_in_their_sections() {
    let ws = workspace(STORY).workspace;
    expect![[r#"
        bmad-story-1.2 (Some("Sign in"))
          Status (None)
          Story (None)
          Acceptance Criteria (None)
            bmad-story-1.2/ac-1 (Some("The form takes an email and a password"))
            bmad-story-1.2/ac-2 (Some("A wrong password says so"))
            bmad-story-1.2/ac-3 (Some("The session lasts a week"))
          Tasks / Subtasks (None)
            bmad-story-1.2/task-1 (Some("Task 1: Build the form"))
              bmad-story-1.2/task-1.1 (Some("Subtask 1.1: Fields"))
              bmad-story-1.2/task-1.2 (Some("Subtask 1.2: Submit button"))
            bmad-story-1.2/task-2 (Some("Task 2: Check the password"))
          Dev Notes (None)
          Change Log (None)
    "#]]
    .assert_eq(&crate::analysis::fixture::outline(
        &ws,
        "docs/stories/1.2.login.story.md",
    ));
}

#[test]
fn an_epic_key_without_an_epics_file_is_not_called_missing() {
    // The check says nothing of `epic-1` when no epics file defines epics:
    // neither does the editor.
    let fixture = format!(
        "//- _bmad-output/implementation-artifacts/sprint-status.yaml\ndevelopment_status:\n  epic-1: in-progress\n  1-1-setup: done\n{}",
        titled_story("1-1-setup", "1.1", "done").replace("docs/sprint-artifacts/stories", "_bmad-output/implementation-artifacts"),
    );
    let ws = workspace(&fixture).workspace;
    let rel = "_bmad-output/implementation-artifacts/sprint-status.yaml";
    let dangling: Vec<String> = features::semantic::semantic_tokens(&ws, rel)
        .into_iter()
        .filter(|t| t.kind == features::semantic::TokenKind::DanglingReference)
        .map(|t| ws.file(rel).unwrap().text[t.range.start()..t.range.end()].to_string())
        .collect();
    assert_eq!(dangling, Vec::<String>::new());
    let derived = Derived::new(&ws, Arc::new(Context::new(&ws)));
    let text = &ws.file(rel).unwrap().text;
    let at = text.find("epic-1").unwrap() + 1;
    let said = features::hover::hover(&ws, &derived, rel, at)
        .map(|h| h.markdown)
        .unwrap_or_default();
    assert!(
        said.contains("cannot tell whether one is missing"),
        "{said}"
    );
}

/// A story's spec as v6.11's `bmad-build` writes it: its status in the
/// front matter, its tasks under `**Execution:**`.
fn build_spec(slug: &str, status: &str, tasks: &str) -> String {
    format!(
        "//- _bmad-output/implementation-artifacts/spec-{slug}.md\n---\ntitle: 'Title of {slug}'\ntype: 'feature'\nstatus: '{status}' # draft | ready-for-dev | in-progress | in-review | done\nbaseline_commit: 'abc123'\n---\n\n<frozen-after-approval reason=\"human-owned intent\">\n\n## Intent\n\n**Problem:** Readers cannot sign in.\n\n</frozen-after-approval>\n\n## Tasks & Acceptance\n\n**Execution:**\n{tasks}\n**Acceptance Criteria:**\n- Given a reader, when they sign in, then they are in\n\n## Verification\n\n**Manual checks (if no CLI):**\n- [ ] The form shows\n"
    )
}

/// `bmad-build` (v6.11's way to implement a story) writes the story as
/// `spec-<key>.md`: it is the key's story file, read as a story with its
/// front matter's status and its `**Execution:**` tasks. The slug may say
/// more than the key (`bmad-build` finds the key by the number), and the
/// spec's status runs ahead of `sprint-status.yaml`, which the workflow
/// syncs only on starting and finishing: no mismatch. A spec of other work
/// (`spec-dark-mode.md`) is no story.
#[test]
fn a_bmad_build_spec_is_its_key_s_story_file() {
    let fixture = format!(
        "//- _bmad-output/implementation-artifacts/sprint-status.yaml
development_status:
  epic-1: in-progress
  1-1-setup: review
  1-2-user-login: review
  1-3-logout: ready-for-dev
  epic-2: in-progress
  2-1-shelves: in-progress
{}{}{}{}{}",
        build_spec("1-1-setup", "done", "- [x] `src/setup.ts` -- scaffold -- entry point\n"),
        build_spec(
            "1-2-user-login",
            "in-review",
            "- [x] `src/login.ts` -- add form -- entry point\n"
        ),
        build_spec("1-3-logout", "draft", "- [ ] `src/logout.ts` -- add button -- exit\n"),
        build_spec(
            "2-1-shelves-and-tags",
            "in-progress",
            "- [x] `src/shelf.ts` -- add model -- storage\n- [ ] `tests/shelf.test.ts` -- add tests -- coverage\n"
        ),
        build_spec("dark-mode", "in-progress", "- [ ] `src/theme.ts` -- add theme -- looks\n"),
    );
    let fixture = workspace(&fixture);
    let ws = &fixture.workspace;
    expect![""].assert_eq(&findings(ws));
    expect![[r#"
        story bmad-spec-1-1-setup Some("1.1") parent=Some("bmad-epic-1") status=Some("done") progress=Some(Done) covers=[] title="Title of 1-1-setup"
        task bmad-spec-1-1-setup/task-1 Some("1") parent=Some("bmad-spec-1-1-setup") status=Some("done") progress=Some(Done) covers=[] title="`src/setup.ts` -- scaffold -- entry point"
        story bmad-spec-1-2-user-login Some("1.2") parent=Some("bmad-epic-1") status=Some("in-review") progress=Some(InProgress) covers=[] title="Title of 1-2-user-login"
        task bmad-spec-1-2-user-login/task-1 Some("1") parent=Some("bmad-spec-1-2-user-login") status=Some("done") progress=Some(Done) covers=[] title="`src/login.ts` -- add form -- entry point"
        story bmad-spec-1-3-logout Some("1.3") parent=Some("bmad-epic-1") status=Some("draft") progress=Some(NotStarted) covers=[] title="Title of 1-3-logout"
        task bmad-spec-1-3-logout/task-1 Some("1") parent=Some("bmad-spec-1-3-logout") status=Some("not started") progress=Some(NotStarted) covers=[] title="`src/logout.ts` -- add button -- exit"
        story bmad-spec-2-1-shelves-and-tags Some("2.1") parent=Some("bmad-epic-2") status=Some("in-progress") progress=Some(InProgress) covers=[] title="Title of 2-1-shelves-and-tags"
        task bmad-spec-2-1-shelves-and-tags/task-1 Some("1") parent=Some("bmad-spec-2-1-shelves-and-tags") status=Some("done") progress=Some(Done) covers=[] title="`src/shelf.ts` -- add model -- storage"
        task bmad-spec-2-1-shelves-and-tags/task-2 Some("2") parent=Some("bmad-spec-2-1-shelves-and-tags") status=Some("not started") progress=Some(NotStarted) covers=[] title="`tests/shelf.test.ts` -- add tests -- coverage"
    "#]]
    .assert_eq(&items(ws));
    // A spec of later work on a story that `create-story` wrote (review
    // findings) is no second story 1.2: the key keeps its story file, and
    // the two disagree on nothing.
    let fixture = format!(
        "//- _bmad-output/implementation-artifacts/sprint-status.yaml\ndevelopment_status:\n  epic-1: in-progress\n  1-2-login: done\n{}{}",
        v6_story("1-2-login", "done"),
        build_spec("1-2-review-findings", "in-review", "- [ ] `src/login.ts` -- fix -- review\n"),
    );
    expect![""].assert_eq(&findings(&workspace(&fixture).workspace));
    // A word outside the spec's own is reported with those words.
    check(
        &build_spec("1-2-user-login", "review", ""),
        expect![[r#"
            _bmad-output/implementation-artifacts/spec-1-2-user-login.md:4:10 bmad-unknown-status: `review` is not a BMAD v6 spec status (BMAD's agents set `draft`, `ready-for-dev`, `in-progress`, `in-review`, `done`); did you mean `in-review`? [review]
        "#]],
    );
}

/// The plan's ready items, then each blocked item and why, one per line.
fn ready_and_blocked(ws: &Workspace) -> String {
    let plan = crate::analysis::plan::plan(&Graph::build(ws));
    let mut out = String::new();
    for id in &plan.ready {
        writeln!(out, "ready {id}").unwrap();
    }
    for blocked in &plan.blocked {
        writeln!(out, "blocked {}: {}", blocked.id, blocked.reason).unwrap();
    }
    out
}

/// A story not approved yet is no work to start: v4's dev agent is told
/// "Do NOT begin development until a story is not in draft mode", v6's dev
/// workflow picks only a `ready-for-dev` story, and `bmad-build` plans a
/// `draft` spec before implementing it. The plan holds such a story back,
/// with its tasks, where it offers an approved one's.
#[test]
fn the_plan_holds_back_stories_not_approved_yet() {
    let v4 = |number: &str, status: &str| {
        story_with(status, "- [ ] Task 1: Build (AC: 1)\n  - [ ] 1.1 Part\n")
            .replace("1.2.login.story.md", &format!("{number}.story.md"))
            .replace("Story 1.2", &format!("Story {number}"))
    };
    let fixture = format!(
        "{}{}{}//- _bmad-output/implementation-artifacts/sprint-status.yaml
development_status:
  epic-1: in-progress
  1-1-setup: backlog
  1-2-login: drafted
  1-3-logout: ready-for-dev
  1-4-audit: ready-for-dev
  1-5-export: ready-for-dev
{}{}{}{}{}",
        v4("2.1", "Draft"),
        v4("2.2", "Draft - awaiting the PO"),
        v4("2.3", "Approved"),
        v6_story("1-1-setup", "backlog").replace("- [x]", "- [ ]"),
        v6_story("1-2-login", "drafted").replace("- [x]", "- [ ]"),
        v6_story("1-3-logout", "ready-for-dev").replace("- [x]", "- [ ]"),
        build_spec(
            "1-4-audit",
            "draft",
            "- [ ] `src/audit.ts` -- log -- trace\n"
        ),
        build_spec(
            "1-5-export",
            "ready-for-dev",
            "- [ ] `src/export.ts` -- csv -- share\n"
        ),
    );
    let fixture = workspace(&fixture);
    expect![[r#"
        ready bmad-spec-1-5-export/task-1
        ready bmad-story-1.3/task-1.1
        ready bmad-story-2.3/task-1.1
        blocked bmad-spec-1-4-audit: is a `draft` spec: `bmad-build` implements it once it is approved (`ready-for-dev`)
        blocked bmad-spec-1-4-audit/task-1: belongs to a `draft` spec: `bmad-build` implements it once it is approved (`ready-for-dev`)
        blocked bmad-story-1.1: is not `ready-for-dev` yet: BMAD's dev workflow picks only `ready-for-dev` stories
        blocked bmad-story-1.1/task-1: belongs to a story not `ready-for-dev` yet: BMAD's dev workflow picks only `ready-for-dev` stories
        blocked bmad-story-1.1/task-1.1: belongs to a story not `ready-for-dev` yet: BMAD's dev workflow picks only `ready-for-dev` stories
        blocked bmad-story-1.2: is not `ready-for-dev` yet: BMAD's dev workflow picks only `ready-for-dev` stories
        blocked bmad-story-1.2/task-1: belongs to a story not `ready-for-dev` yet: BMAD's dev workflow picks only `ready-for-dev` stories
        blocked bmad-story-1.2/task-1.1: belongs to a story not `ready-for-dev` yet: BMAD's dev workflow picks only `ready-for-dev` stories
        blocked bmad-story-2.1: is a `Draft` story: BMAD's dev agent starts it once it is `Approved`
        blocked bmad-story-2.1/task-1: belongs to a `Draft` story: BMAD's dev agent starts it once it is `Approved`
        blocked bmad-story-2.1/task-1.1: belongs to a `Draft` story: BMAD's dev agent starts it once it is `Approved`
        blocked bmad-story-2.2: is a `Draft` story: BMAD's dev agent starts it once it is `Approved`
        blocked bmad-story-2.2/task-1: belongs to a `Draft` story: BMAD's dev agent starts it once it is `Approved`
        blocked bmad-story-2.2/task-1.1: belongs to a `Draft` story: BMAD's dev agent starts it once it is `Approved`
    "#]].assert_eq(&ready_and_blocked(&fixture.workspace));
}

/// v4's `create-brownfield-story` saves a story of an epic as
/// `docs/stories/epic-{n}-story-{m}.md`, titled `# Story: Title` with its
/// status on the heading (`## Status: Draft`): it is story n.m, checked as
/// any v4 story is. Teams add a slug, or write the story's whole number;
/// such a name without a status is another tool's note.
#[test]
fn a_brownfield_story_of_an_epic_is_read_as_its_number() {
    let fixture = workspace(
        "//- docs/stories/epic-2-story-1.md
# Story: Add CSV export

<!-- Source: brownfield-architecture.md -->

## Status: Done

## Story

As a manager, I want to export reports to CSV, so that I can share them.

## Acceptance Criteria

1. New functionality works as specified
2. Existing PDF export continues to work unchanged

## Tasks / Subtasks

- [x] Task 1: CSV writer (AC: 1)
- [ ] Task 2: Regression tests (AC: 2, 5)
//- docs/stories/epic-1-story-1.1-project-setup.md
# Story: Project setup

## Status: Approved

## Acceptance Criteria

1. The repo builds

## Tasks / Subtasks

- [ ] Task 1: Scaffold (AC: 1)
//- docs/stories/epic-1-story-2-notes.md
# Notes on the second story

- [ ] Ask about the schema
",
    );
    let ws = &fixture.workspace;
    expect![[r#"
        docs/stories/epic-2-story-1.md:5:12 done-with-open-tasks: story `2.1` is done but 1 task is not (first task `2`): mark them done or reopen the story [Done]
        docs/stories/epic-2-story-1.md:19:40 bmad-unknown-criterion: `5` names no acceptance criterion of story 2.1, which has criteria 1 and 2 [5]
    "#]].assert_eq(&findings(ws));
    expect![[r#"
        story bmad-story-1.1 Some("1.1") parent=Some("bmad-epic-1") status=Some("Approved") progress=Some(NotStarted) covers=[] title="Project setup"
        criterion bmad-story-1.1/ac-1 Some("1") parent=None status=None progress=None covers=[] title="The repo builds"
        task bmad-story-1.1/task-1 Some("1") parent=Some("bmad-story-1.1") status=Some("not started") progress=Some(NotStarted) covers=["bmad-story-1.1/ac-1"] title="Task 1: Scaffold"
        story bmad-story-2.1 Some("2.1") parent=Some("bmad-epic-2") status=Some("Done") progress=Some(Done) covers=[] title="Add CSV export"
        criterion bmad-story-2.1/ac-1 Some("1") parent=None status=None progress=None covers=[] title="New functionality works as specified"
        criterion bmad-story-2.1/ac-2 Some("2") parent=None status=None progress=None covers=[] title="Existing PDF export continues to work unchanged"
        task bmad-story-2.1/task-1 Some("1") parent=Some("bmad-story-2.1") status=Some("done") progress=Some(Done) covers=["bmad-story-2.1/ac-1"] title="Task 1: CSV writer"
        task bmad-story-2.1/task-2 Some("2") parent=Some("bmad-story-2.1") status=Some("not started") progress=Some(NotStarted) covers=["bmad-story-2.1/ac-2", "bmad-story-2.1/ac-5"] title="Task 2: Regression tests"
    "#]].assert_eq(&items(ws));
}

/// A v6 story file that says no status of its own takes its key's in
/// `sprint-status.yaml`, as BMAD's workflows do: `backlog` or `drafted`
/// there holds it back in the plan, with its tasks, as its own `Status:`
/// would; `ready-for-dev` there offers its work.
/// An old copy of a story in a folder of old copies is no work to start,
/// whatever its stale status says: the plan holds it back with its tasks.
#[test]
fn the_plan_holds_back_an_archived_copy_of_a_story() {
    let fixture = workspace(
        &v6_story("2-1-export", "in-progress")
            .replace("- [x] Task 1", "- [ ] Task 1")
            .replacen(
                "implementation-artifacts/",
                "implementation-artifacts/archive/",
                1,
            ),
    );
    expect![[r#"
        blocked bmad-story-2.1: is an old copy in a folder of old copies: BMAD's workflows work on the story where it lives
    "#]]
    .assert_eq(&ready_and_blocked(&fixture.workspace));
}

#[test]
fn a_story_without_a_status_is_held_back_by_its_sprint_status_key() {
    let without_status = |key: &str| {
        v6_story(key, "")
            .replace("Status: \n\n", "")
            .replace("- [x]", "- [ ]")
    };
    let fixture = format!(
        "//- _bmad-output/implementation-artifacts/sprint-status.yaml
development_status:
  epic-1: in-progress
  1-1-setup: backlog
  1-2-login: drafted
  1-3-logout: ready-for-dev
{}{}{}",
        without_status("1-1-setup"),
        without_status("1-2-login"),
        without_status("1-3-logout"),
    );
    let fixture = workspace(&fixture);
    expect![[r#"
        ready bmad-story-1.3/task-1.1
        blocked bmad-story-1.1: is not `ready-for-dev` yet: BMAD's dev workflow picks only `ready-for-dev` stories
        blocked bmad-story-1.1/task-1: belongs to a story not `ready-for-dev` yet: BMAD's dev workflow picks only `ready-for-dev` stories
        blocked bmad-story-1.1/task-1.1: belongs to a story not `ready-for-dev` yet: BMAD's dev workflow picks only `ready-for-dev` stories
        blocked bmad-story-1.2: is not `ready-for-dev` yet: BMAD's dev workflow picks only `ready-for-dev` stories
        blocked bmad-story-1.2/task-1: belongs to a story not `ready-for-dev` yet: BMAD's dev workflow picks only `ready-for-dev` stories
        blocked bmad-story-1.2/task-1.1: belongs to a story not `ready-for-dev` yet: BMAD's dev workflow picks only `ready-for-dev` stories
    "#]]
    .assert_eq(&ready_and_blocked(&fixture.workspace));
}

/// A quick-dev spec led by a story's number but not its key
/// (`spec-3-4k-apply-review-patches.md`, review patches for story 3.4k,
/// whose file is `3-4k-moderator-ui.md`) is work on that story: when
/// `sprint-status.yaml` misses the story, the story's file says so, and the
/// spec does not ask for its own slug to be added as a key. A second spec
/// of one story (`spec-1-2-login-2.md`, as `bmad-build` names a new run
/// when the first spec is past `draft`) is the same story's: story 1.2,
/// tracked by its key, its own work item beside the first.
#[test]
fn a_spec_of_work_on_a_story_is_not_the_story() {
    let fixture = format!(
        "//- _bmad-output/implementation-artifacts/sprint-status.yaml
development_status:
  epic-1: in-progress
  1-2-login: in-progress
  epic-3: in-progress
{}{}{}{}",
        v6_story("3-4k-moderator-ui", "review"),
        build_spec(
            "3-4k-apply-review-patches",
            "in-review",
            "- [x] `src/ui.ts` -- patch -- review\n"
        ),
        build_spec(
            "1-2-login",
            "done",
            "- [x] `src/login.ts` -- form -- entry\n"
        ),
        build_spec(
            "1-2-login-2",
            "in-progress",
            "- [ ] `src/login.ts` -- fix -- entry\n"
        ),
    );
    let fixture = workspace(&fixture);
    let ws = &fixture.workspace;
    expect![[r#"
        _bmad-output/implementation-artifacts/3-4k-moderator-ui.md:1:1 bmad-untracked-story: story 3.4k is not in `_bmad-output/implementation-artifacts/sprint-status.yaml`: add `3-4k-moderator-ui` to its `development_status` [# Story 3.4k: Title]
    "#]]
    .assert_eq(&findings(ws));
    let specs: Vec<String> = ws
        .items()
        .filter(|(_, item)| item.kind == ItemKind::Story)
        .map(|(_, item)| format!("{} {:?}", item.id, item.number))
        .collect();
    expect![[r#"
        bmad-story-3.4k Some("3.4k")
        bmad-spec-1-2-login-2 Some("1.2")
        bmad-spec-1-2-login Some("1.2")
        bmad-spec-3-4k-apply-review-patches Some("3.4k")"#]]
    .assert_eq(&specs.join("\n"));
}

/// A second project's `sprint-status.yaml` whose `story_location` is the
/// project's own folder in the implementation artifacts
/// (`implementation-artifacts/ai-dev-orchestrator/`) misses a story file
/// there as the first project's misses one beside its tracker: planmark
/// reads the stories of both folders.
#[test]
fn a_second_project_s_own_story_folder_misses_its_story_files() {
    let fixture = "//- _bmad-output/implementation-artifacts/tool/sprint-status.yaml
story_location: _bmad-output/implementation-artifacts/tool
development_status:
  epic-0: in-progress
  0-2-core-types: review
//- _bmad-output/implementation-artifacts/sprint-status.yaml
development_status:
  epic-1: in-progress
  1-2-login: review
";
    check(
        fixture,
        expect![[r#"
            _bmad-output/implementation-artifacts/sprint-status.yaml:3:3 bmad-missing-story-file: story 1.2 is `review` but has no file `_bmad-output/implementation-artifacts/1-2-login.md`, where BMAD's dev workflow opens it [1-2-login]
            _bmad-output/implementation-artifacts/tool/sprint-status.yaml:4:3 bmad-missing-story-file: story 0.2 is `review` but has no file `_bmad-output/implementation-artifacts/tool/0-2-core-types.md`, where BMAD's dev workflow opens it [0-2-core-types]
        "#]],
    );
}

/// An agent that writes the front matter under the title (`---` /
/// `baseline_commit: …` / `---`, a heading to Markdown) and repeats the
/// title still has its status in its `## Story Details` list.
#[test]
fn a_status_in_story_details_after_a_misplaced_front_matter_is_read() {
    let fixture = workspace(
        "//- _bmad-output/implementation-artifacts/3-3c-adapter.md
# Story 3.3c: Adapter

---
baseline_commit: 18e220926cb1
---

# Story 3.3c: Adapter

## Story Details

- Epic: 3
- Story ID: 3.3c
- Status: review

## Story

As a developer, I want an adapter, so that it works.

## Acceptance Criteria

1. It works

## Tasks / Subtasks

- [ ] Task 1: Build it (AC: 1)
",
    );
    let ws = &fixture.workspace;
    expect![""].assert_eq(&findings(ws));
    expect![[r#"
        story bmad-story-3.3c Some("3.3c") parent=Some("bmad-epic-3") status=Some("review") progress=Some(InProgress) covers=[] title="Adapter"
        criterion bmad-story-3.3c/ac-1 Some("1") parent=None status=None progress=None covers=[] title="It works"
        task bmad-story-3.3c/task-1 Some("1") parent=Some("bmad-story-3.3c") status=Some("not started") progress=Some(NotStarted) covers=["bmad-story-3.3c/ac-1"] title="Task 1: Build it"
    "#]]
    .assert_eq(&items(ws));
}

/// A v4 story of the project at `project` (`apps/a/`).
fn v4_story_in(project: &str, number: &str, status: &str) -> String {
    format!(
        "//- {project}docs/stories/{number}.work.story.md\n# Story {number}: Work\n## Status\n{status}\n## Acceptance Criteria\n1. x\n## Tasks / Subtasks\n- [ ] Build it (AC: 1)\n"
    )
}

#[test]
fn two_v4_projects_number_their_stories_and_epics_apart() {
    // Both projects have a story 1.2. Project `b`'s PRD has epic 1 only:
    // its story 3.1 is of an epic only project `a`'s PRD names.
    let fixture = format!(
        "{}{}{}{}{}",
        "//- apps/a/docs/prd/epic-details.md\n# Epic Details\n## Epic 1: Accounts\n### Story 1.2: Sign in\n## Epic 3: Export\n### Story 3.1: Export\n",
        "//- apps/b/docs/prd/epic-details.md\n# Epic Details\n## Epic 1: Billing\n### Story 1.2: Pay\n",
        v4_story_in("apps/a/", "1.2", "Draft"),
        v4_story_in("apps/b/", "1.2", "Draft"),
        v4_story_in("apps/b/", "3.1", "Draft"),
    );
    let ws = workspace(&fixture).workspace;
    expect![[r#"
        apps/b/docs/stories/3.1.work.story.md:1:1 bmad-unknown-epic: story 3.1 belongs to epic 3, which `apps/b/docs/prd/epic-details.md` does not have (epic 1 only) [# Story 3.1: Work]
    "#]]
    .assert_eq(&findings(&ws));
    let stories: Vec<String> = ws
        .items()
        .filter(|(_, item)| item.kind == ItemKind::Story)
        .map(|(_, item)| format!("{} parent={:?}", item.id, item.parent))
        .collect();
    expect![[r#"
        apps/a/bmad-story-1.2 parent=Some("apps/a/bmad-epic-1")
        apps/b/bmad-story-1.2 parent=Some("apps/b/bmad-epic-1")
        apps/b/bmad-story-3.1 parent=Some("apps/b/bmad-epic-3")"#]]
    .assert_eq(&stories.join("\n"));
    assert_eq!(
        ws.item("apps/b/bmad-epic-1").unwrap().1.title,
        "Billing",
        "project b's story 1.2 is of project b's epic 1"
    );
}

#[test]
fn a_nested_project_without_epics_of_its_own_is_checked_against_the_enclosing_project_s() {
    // Project `a` has no PRD of its own: its stories were drafted from the
    // root's PRD, the nearest above it, which has epics 1 and 2. Project
    // `b` has a PRD of its own and is held to it alone.
    let fixture = format!(
        "{}{}{}{}{}{}",
        "//- docs/prd/epic-details.md\n# Epic Details\n## Epic 1: Accounts\n## Epic 2: Export\n",
        "//- apps/b/docs/prd/epic-details.md\n# Epic Details\n## Epic 3: Billing\n",
        v4_story_in("apps/a/", "2.1", "Draft"),
        v4_story_in("apps/a/", "4.1", "Draft"),
        v4_story_in("apps/b/", "3.1", "Draft"),
        v4_story_in("apps/b/", "1.1", "Draft"),
    );
    check(
        &fixture,
        expect![[r#"
            apps/a/docs/stories/4.1.work.story.md:1:1 bmad-unknown-epic: story 4.1 belongs to epic 4, which `docs/prd/epic-details.md` does not have (epics 1, 2) [# Story 4.1: Work]
            apps/b/docs/stories/1.1.work.story.md:1:1 bmad-unknown-epic: story 1.1 belongs to epic 1, which `apps/b/docs/prd/epic-details.md` does not have (epic 3 only) [# Story 1.1: Work]
        "#]],
    );
    // An edit of a PRD or epics file checks its whole project's folder
    // again, nested projects included.
    for (path, scope) in [
        ("apps/b/docs/prd/epic-details.md", "apps/b/"),
        ("docs/prd.md", ""),
        ("_bmad-output/planning-artifacts/tool/epics.md", ""),
        ("apps/a/docs/stories/4.1.work.story.md", "apps/a/docs/"),
    ] {
        assert_eq!(super::bmad_scope(path), scope, "{path}");
    }
    // A second v6 project in a folder of its own under the implementation
    // artifacts, with no `planning-artifacts/tool/` beside it, uses the
    // output folder's `epics.md`.
    let own = "_bmad-output/implementation-artifacts/tool/";
    let fixture = format!(
        "{}{}{}",
        "//- _bmad-output/planning-artifacts/epics.md\n# Epics\n## Epic 0: Setup\n",
        v6_story("0-2-types", "done").replacen("_bmad-output/implementation-artifacts/", own, 1),
        v6_story("5-1-later", "done").replacen("_bmad-output/implementation-artifacts/", own, 1),
    );
    check(
        &fixture,
        expect![[r#"
            _bmad-output/implementation-artifacts/tool/5-1-later.md:1:1 bmad-unknown-epic: story 5.1 belongs to epic 5, which `_bmad-output/planning-artifacts/epics.md` does not have (epic 0 only) [# Story 5.1: Title]
        "#]],
    );
}

#[test]
fn hover_on_a_nested_project_s_story_names_it_as_its_project_does() {
    // The project's path is part of the ID only to keep two projects'
    // story 1.2 apart: the hover writes the story, its criteria and tasks
    // as at the root, and says which project they are of.
    let fixture = workspace(&format!(
        "{}{}",
        "//- apps/a/docs/prd/epic-details.md\n# Epic Details\n## Epic 1: Accounts\n",
        v4_story_in("apps/a/", "1.2", "Approved").replace("(AC: 1)", "(AC: 1, 9)"),
    ));
    let ws = &fixture.workspace;
    let rel = "apps/a/docs/stories/1.2.work.story.md";
    let text = &ws.file(rel).unwrap().text;
    let at = |needle: &str| {
        let offset = text.find(needle).unwrap();
        features::hover::hover(ws, &derived(ws), rel, offset)
            .unwrap_or_else(|| panic!("a hover at {needle:?} of {text}"))
            .markdown
    };
    expect![[r#"
        **bmad-story-1.2** · Work

        story · Status: Approved · Project: `apps/a`

        Wave 2"#]]
    .assert_eq(&at("Work"));
    expect![[r#"
        **bmad-story-1.2/ac-1** · x

        criterion · Project: `apps/a`

        Covered by bmad-story-1.2/task-1"#]]
    .assert_eq(&at("1. x"));
    expect![[r#"
        **bmad-story-1.2/ac-9**

        ⚠ No criterion has this ID."#]]
    .assert_eq(&at("9)"));
}

#[test]
fn two_v6_projects_track_their_stories_in_their_own_sprint_status() {
    // Each project tracks its story 1.2 with its own status; the story
    // files agree with their own tracker. Project `b` has story 1.3 ready
    // for development but no file for it, though project `a` has one.
    let tracker = |project: &str, status: &str| {
        format!(
            "//- {project}_bmad-output/implementation-artifacts/sprint-status.yaml\ndevelopment_status:\n  epic-1: in-progress\n  1-2-login: {status}\n  1-3-logout: ready-for-dev\n"
        )
    };
    let story = |project: &str, key: &str, status: &str| {
        v6_story(key, status).replacen("//- ", &format!("//- {project}"), 1)
    };
    let fixture = format!(
        "{}{}{}{}{}",
        tracker("a/", "done"),
        tracker("b/", "review"),
        story("a/", "1-2-login", "done"),
        story("a/", "1-3-logout", "ready-for-dev"),
        story("b/", "1-2-login", "review"),
    );
    let ws = workspace(&fixture).workspace;
    expect![[r#"
        b/_bmad-output/implementation-artifacts/sprint-status.yaml:4:3 bmad-missing-story-file: story 1.3 is `ready-for-dev` but has no file `b/_bmad-output/implementation-artifacts/1-3-logout.md`, where BMAD's dev workflow opens it [1-3-logout]
    "#]]
    .assert_eq(&findings(&ws));
    let done = |id: &str| ws.item(id).unwrap().1.progress;
    assert_eq!(done("a/bmad-story-1.2"), Some(Progress::Done));
    assert_ne!(done("b/bmad-story-1.2"), Some(Progress::Done));
    let tracked: Vec<String> = ws
        .file("b/_bmad-output/implementation-artifacts/sprint-status.yaml")
        .unwrap()
        .facts
        .references
        .iter()
        .map(|r| r.target.as_id().unwrap().to_string())
        .collect();
    expect![[r#"b/bmad-epic-1 b/bmad-story-1.2 b/bmad-story-1.3"#]].assert_eq(&tracked.join(" "));
}

#[test]
fn a_project_s_own_folder_in_the_artifacts_is_a_project_of_its_own() {
    // The layout of a second project whose configuration puts its
    // artifacts in folders of its own, as the sprint status's
    // `story_location` records.
    let root = "_bmad-output/implementation-artifacts/";
    let own = "_bmad-output/implementation-artifacts/orchestrator/";
    for (path, role) in [
        (format!("{own}0-3-ports.md"), Some("v6-story")),
        (format!("{own}sprint-status.yaml"), Some("sprint-status")),
        (
            "_bmad-output/planning-artifacts/orchestrator/epics.md".to_string(),
            Some("epics"),
        ),
        (
            "_bmad-output/planning-artifacts/epic-readiness/epics.md".to_string(),
            None,
        ),
        (format!("{root}runs/run-03-scenario.md"), None),
        (format!("{root}epic-2/0-3-ports.md"), None),
    ] {
        let parts: Vec<&str> = path.split('/').collect();
        assert_eq!(classify(&path, &parts), role, "{path}");
    }
    let fixture = format!(
        "{}{}//- {root}sprint-status.yaml\ndevelopment_status:\n  epic-0: in-progress\n  0-3-ports: done\n//- {own}sprint-status.yaml\ndevelopment_status:\n  epic-0: in-progress\n  0-3-ports: review\n{}{}",
        "//- _bmad-output/planning-artifacts/epics.md\n# Epics\n## Epic 0: Setup\n### Story 0.3: Ports\n",
        "//- _bmad-output/planning-artifacts/orchestrator/epics.md\n# Epics\n## Epic 0: Foundation\n### Story 0.3: Ports\n",
        v6_story("0-3-ports", "done"),
        v6_story("0-3-ports", "review").replacen(root, own, 1),
    );
    let ws = workspace(&fixture).workspace;
    expect![""].assert_eq(&findings(&ws));
    let story = ws.item("orchestrator/bmad-story-0.3").unwrap().1;
    assert_eq!(story.parent.as_deref(), Some("orchestrator/bmad-epic-0"));
    assert_eq!(
        ws.item("orchestrator/bmad-epic-0").unwrap().1.title,
        "Foundation"
    );
}

#[test]
fn an_archived_copy_of_a_story_is_the_project_s_old_copy() {
    // A team moves old copies of stories into a folder that says so
    // (`implementation-artifacts/archive/`, `done/`): the copy is the
    // enclosing project's story 1.2, not a project of its own, but neither
    // a second definition beside the live story nor a file the sprint
    // status tracks (its stale `in-progress` is no mismatch).
    for (path, role) in [
        (
            "_bmad-output/implementation-artifacts/archive/1-2-login.md",
            Some("v6-story"),
        ),
        (
            "_bmad-output/implementation-artifacts/Done/1-2-login.md",
            Some("v6-story"),
        ),
        (
            "_bmad-output/implementation-artifacts/_archived/1-2-login.md",
            Some("v6-story"),
        ),
    ] {
        let parts: Vec<&str> = path.split('/').collect();
        assert_eq!(classify(path, &parts), role, "{path}");
    }
    let fixture = format!(
        "//- _bmad-output/implementation-artifacts/sprint-status.yaml\ndevelopment_status:\n  epic-1: in-progress\n  1-2-login: done\n  1-3-logout: done\n{}{}{}",
        v6_story("1-2-login", "done"),
        v6_story("1-2-login", "in-progress").replacen(
            "implementation-artifacts/",
            "implementation-artifacts/archive/",
            1
        ),
        v6_story("1-3-logout", "done").replacen(
            "implementation-artifacts/",
            "implementation-artifacts/done/",
            1
        ),
    );
    let ws = workspace(&fixture).workspace;
    expect![""].assert_eq(&findings(&ws));
    let (file, _) = ws.item("bmad-story-1.2").unwrap();
    assert_eq!(
        &*file.rel,
        "_bmad-output/implementation-artifacts/1-2-login.md"
    );
    assert!(ws.item("bmad-story-1.3").is_some());
    assert!(ws.item("archive/bmad-story-1.2").is_none());
    // A story copied twice into the archive, with no live copy, is still
    // no duplicate: both are history.
    let twice = format!(
        "{}{}",
        v6_story("2-1-old", "done").replacen(
            "implementation-artifacts/",
            "implementation-artifacts/archive/",
            1
        ),
        v6_story("2-1-old", "done").replacen(
            "implementation-artifacts/",
            "implementation-artifacts/old/",
            1
        ),
    );
    check(&twice, expect![""]);
    // A live story defined twice is still reported.
    let live_twice = format!(
        "{}{}",
        v6_story("2-1-old", "done"),
        v6_story("2-1-old", "done").replacen(
            "implementation-artifacts/2-1-old",
            "implementation-artifacts/2-1-older",
            1
        ),
    );
    assert!(findings(&workspace(&live_twice).workspace).contains("duplicate-id"));
}

#[test]
fn v4_stories_in_an_epic_folder_named_by_its_number_are_read() {
    // TaskFlow keeps epic 3's stories in `docs/stories/epic/3/`. The folder
    // must be the story's epic, under an `epic/` folder of the stories
    // folder.
    for (path, role) in [
        (
            "docs/stories/epic/3/3.2.Linking_Tasks_to_Projects.md",
            Some("story"),
        ),
        ("docs/stories/epic/3/4.1.elsewhere.md", None),
        ("docs/stories/epics/3/3.2.linking.md", None),
        ("docs/notes/epic/3/3.2.linking.md", None),
        ("docs/stories/epic/3/epic-3-project-management.md", None),
    ] {
        let parts: Vec<&str> = path.split('/').collect();
        assert_eq!(classify(path, &parts), role, "{path}");
    }
}

#[test]
fn completion_in_an_ac_list_of_a_project_below_the_root_offers_its_story_s_criteria() {
    // Story 1.3 of the same project has criteria of its own: they are not
    // story 1.2's.
    let fixture = workspace(&format!(
        "{}{}",
        story_with("Approved", "- [ ] Task 1: Form (AC: 1, $0)\n")
            .replace("//- docs/", "//- apps/a/docs/"),
        "//- apps/a/docs/stories/1.3.logout.story.md\n# Story 1.3: Sign out\n## Status\nDraft\n## Acceptance Criteria\n1. a\n2. b\n3. c\n4. The session ends\n",
    ));
    let (got, _) = completion_at(&fixture);
    expect![[r#"
        2 "A wrong password says so"
        3 "The session lasts a week""#]]
    .assert_eq(&completion_lines(&got));
}
