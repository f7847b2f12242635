//! Code actions on fixtures with a `$0` cursor: each action's changes as an
//! inline snapshot (a unified diff per file), then the changes applied and
//! the workspace checked again: the finding the action targets is gone, no
//! new error appeared and the index is no less in sync than before.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use expect_test::{expect, Expect};
use planmark::analysis::actions::{self, apply, Action, Change};
use planmark::analysis::config::Severity;
use planmark::analysis::fixture;
use planmark::analysis::rules::{check_workspace, Context};
use planmark::analysis::text::TextRange;
use planmark::analysis::workspace::{FileInput, Workspace};

/// Every file's text.
fn texts(ws: &Workspace) -> BTreeMap<String, String> {
    ws.files()
        .into_iter()
        .map(|f| (f.rel.to_string(), f.text.to_string()))
        .collect()
}

/// A workspace with the same configuration and these texts.
fn reload(ws: &Workspace, files: &BTreeMap<String, String>) -> Workspace {
    let mut new = Workspace::new(ws.config().clone(), Vec::new());
    new.load(
        files
            .iter()
            .map(|(rel, text)| (rel.clone(), FileInput::Text(Arc::from(text.as_str()))))
            .collect(),
    );
    new
}

/// The changes as diffs of every file they touch.
fn render(before: &BTreeMap<String, String>, action: &Action) -> String {
    let after = apply::apply(before, &action.changes).expect("the action applies");
    let mut out = format!(
        "{} [{}{}{}]\n",
        action.title,
        action.kind.lsp_name(),
        if action.is_preferred {
            ", preferred"
        } else {
            ""
        },
        if action.safe { ", safe" } else { "" }
    );
    for change in &action.changes {
        if let Change::RenameFile { from, to } = change {
            out.push_str(&format!("rename {from} -> {to}\n"));
        }
    }
    let paths: BTreeSet<&String> = before.keys().chain(after.keys()).collect();
    for path in paths {
        let (old, new) = (before.get(path), after.get(path));
        if old != new && old.is_some() && new.is_some() || old.is_none() {
            out.push_str(&apply::unified_diff(
                path,
                old.map(String::as_str),
                new.map(String::as_str),
            ));
        }
    }
    // Trailing spaces (blank context lines) would not survive rustfmt.
    out.lines().map(|l| format!("{}\n", l.trim_end())).collect()
}

/// Finds the action whose title contains `title` at the cursor, snapshots
/// it, applies it and checks the workspace again.
fn check_action(fixture_text: &str, title: &str, expect: Expect) {
    let fixture::Fixture {
        workspace: ws,
        cursor,
    } = fixture::workspace(fixture_text);
    let (rel, offset) = cursor.expect("the fixture has a $0 cursor");
    let ctx = Context::new(&ws);
    let found = actions::code_actions(&ws, &ctx, &rel, TextRange::empty(offset));
    let Some(action) = found.iter().find(|a| a.title.contains(title)) else {
        panic!(
            "no action `{title}` at {rel}:{offset}; got {:?}",
            found.iter().map(|a| &a.title).collect::<Vec<_>>()
        );
    };
    let before = texts(&ws);
    expect.assert_eq(&render(&before, action));
    recheck(&ws, action);
}

/// Applies an action and checks that its diagnostic is gone and that no
/// new error appeared.
fn recheck(ws: &Workspace, action: &Action) {
    let before_files = texts(ws);
    let after_files = apply::apply(&before_files, &action.changes).unwrap();
    let after = reload(ws, &after_files);
    let old = check_workspace(ws);
    let new = check_workspace(&after);
    if let Some((rule, range)) = action.fixes {
        let target = old
            .iter()
            .find(|d| d.rule == rule && d.range == range)
            .expect("the targeted finding exists before");
        let count = |ds: &[planmark::analysis::rules::Diagnostic]| {
            ds.iter()
                .filter(|d| d.rule == rule && d.message == target.message)
                .count()
        };
        assert!(
            count(&new) < count(&old),
            "`{}` is still reported after `{}`:\n{:#?}",
            target.message,
            action.title,
            new
        );
    }
    let errors = |ds: &[planmark::analysis::rules::Diagnostic]| -> BTreeSet<(String, String)> {
        ds.iter()
            .filter(|d| d.severity == Severity::Error)
            .map(|d| (d.rule.to_string(), d.message.clone()))
            .collect()
    };
    let (old_errors, new_errors) = (errors(&old), errors(&new));
    let added: Vec<_> = new_errors.difference(&old_errors).collect();
    assert!(
        added.is_empty(),
        "`{}` added errors: {added:#?}",
        action.title
    );
    // The index is a warning, but an action must keep it in sync too.
    let index = |ds: &[planmark::analysis::rules::Diagnostic]| -> BTreeSet<String> {
        ds.iter()
            .filter(|d| d.rule == "index-out-of-sync")
            .map(|d| d.message.clone())
            .collect()
    };
    let (old_index, new_index) = (index(&old), index(&new));
    let added: Vec<_> = new_index.difference(&old_index).collect();
    assert!(
        added.is_empty(),
        "`{}` put the index out of sync: {added:#?}",
        action.title
    );
}

/// Nine criteria (one more than the limit), a dependent issue, an index.
const OVERSIZED: &str = r#"
//- issues/backlog/swe-feature-010.md
# Exception queue for support agents

**Type:** feature
**Expert:** swe
**Milestone:** M2
**Status:** backlog

## User Story

As a support agent, I need one queue of flagged shipments so that I can resolve them before customers call.

## Description

A list of every shipment with an exception, with filters and assignment.

## Acceptance Criteria

- [ ] Support agent sees every flagged shipment in one list, oldest first
- [ ] Support agent can filter the list by carrier
- [ ] Support agent can filter the list by exception reason
- [ ] Support agent can search the list by tracking number
- [ ] Support agent can assign a shipment to themselves or a colleague
- [ ] Support agent sees who a shipment is assigned to
- [ ] Opening a shipment shows its event timeline
- [ ] Support agent can add an internal note to a shipment
- [ ] Support agent can mark a shipment resolved with a reason

## Technical Notes

**Estimated effort:** Medium session
**Dependencies:** none

//- issues/backlog/qa-feature-011.md
# QA: Exception queue test pass

**Type:** feature
**Expert:** qa
**Milestone:** M2
**Status:** backlog

## Acceptance Criteria

- [ ] Every filter is tested against a seeded queue

## Notes

**Depends on:** swe-feature-010 (the queue must exist)

//- issues/issues-list.md
# Issues

| File | Title | Expert | Type | Milestone | Status | Notes |
|------|-------|--------|------|-----------|--------|-------|
| [swe-feature-010](backlog/swe-feature-010.md) | Exception queue for support agents | swe | feature | M2 | backlog | big |
| [qa-feature-011](backlog/qa-feature-011.md) | QA: Exception queue test pass | qa | feature | M2 | backlog | |
"#;

#[test]
fn split_oversized_issue_from_its_diagnostic() {
    let fixture = OVERSIZED.replace("# Exception queue", "# $0Exception queue");
    check_action(
        &fixture,
        "Split issue: move 4 criteria",
        expect![[r#"
            Split issue: move 4 criteria to `swe-feature-012` [quickfix, preferred]
            --- a/issues/backlog/qa-feature-011.md
            +++ b/issues/backlog/qa-feature-011.md
            @@ -11,5 +11,5 @@
 
             ## Notes
 
            -**Depends on:** swe-feature-010 (the queue must exist)
            +**Depends on:** swe-feature-010, swe-feature-012 (the queue must exist)
 
            --- a/issues/backlog/swe-feature-010.md
            +++ b/issues/backlog/swe-feature-010.md
            @@ -20,10 +20,6 @@
             - [ ] Support agent can filter the list by exception reason
             - [ ] Support agent can search the list by tracking number
             - [ ] Support agent can assign a shipment to themselves or a colleague
            -- [ ] Support agent sees who a shipment is assigned to
            -- [ ] Opening a shipment shows its event timeline
            -- [ ] Support agent can add an internal note to a shipment
            -- [ ] Support agent can mark a shipment resolved with a reason
 
             ## Technical Notes
 
            --- /dev/null
            +++ b/issues/backlog/swe-feature-012.md
            @@ -0,0 +1,27 @@
            +# Exception queue for support agents (part 2)
            +
            +**Type:** feature
            +**Expert:** swe
            +**Milestone:** M2
            +**Status:** backlog
            +
            +## User Story
            +
            +As a support agent, I need one queue of flagged shipments so that I can resolve them before customers call.
            +
            +## Description
            +
            +A list of every shipment with an exception, with filters and assignment.
            +
            +## Acceptance Criteria
            +
            +- [ ] Support agent sees who a shipment is assigned to
            +- [ ] Opening a shipment shows its event timeline
            +- [ ] Support agent can add an internal note to a shipment
            +- [ ] Support agent can mark a shipment resolved with a reason
            +
            +## Technical Notes
            +
            +**Estimated effort:** Medium session
            +**Dependencies:** swe-feature-010
            +
            --- a/issues/issues-list.md
            +++ b/issues/issues-list.md
            @@ -3,4 +3,5 @@
             | File | Title | Expert | Type | Milestone | Status | Notes |
             |------|-------|--------|------|-----------|--------|-------|
             | [swe-feature-010](backlog/swe-feature-010.md) | Exception queue for support agents | swe | feature | M2 | backlog | big |
            +| [swe-feature-012](backlog/swe-feature-012.md) | Exception queue for support agents (part 2) | swe | feature | M2 | backlog |  |
             | [qa-feature-011](backlog/qa-feature-011.md) | QA: Exception queue test pass | qa | feature | M2 | backlog | |
        "#]],
    );
}

#[test]
fn split_issue_here_from_a_criterion() {
    let fixture = OVERSIZED.replace(
        "- [ ] Support agent can assign",
        "- [ ] Support agent can $0assign",
    );
    check_action(
        &fixture,
        "Split issue here",
        expect![[r#"
            Split issue here [refactor.extract]
            --- a/issues/backlog/qa-feature-011.md
            +++ b/issues/backlog/qa-feature-011.md
            @@ -11,5 +11,5 @@
 
             ## Notes
 
            -**Depends on:** swe-feature-010 (the queue must exist)
            +**Depends on:** swe-feature-010, swe-feature-012 (the queue must exist)
 
            --- a/issues/backlog/swe-feature-010.md
            +++ b/issues/backlog/swe-feature-010.md
            @@ -19,11 +19,6 @@
             - [ ] Support agent can filter the list by carrier
             - [ ] Support agent can filter the list by exception reason
             - [ ] Support agent can search the list by tracking number
            -- [ ] Support agent can assign a shipment to themselves or a colleague
            -- [ ] Support agent sees who a shipment is assigned to
            -- [ ] Opening a shipment shows its event timeline
            -- [ ] Support agent can add an internal note to a shipment
            -- [ ] Support agent can mark a shipment resolved with a reason
 
             ## Technical Notes
 
            --- /dev/null
            +++ b/issues/backlog/swe-feature-012.md
            @@ -0,0 +1,28 @@
            +# Exception queue for support agents (part 2)
            +
            +**Type:** feature
            +**Expert:** swe
            +**Milestone:** M2
            +**Status:** backlog
            +
            +## User Story
            +
            +As a support agent, I need one queue of flagged shipments so that I can resolve them before customers call.
            +
            +## Description
            +
            +A list of every shipment with an exception, with filters and assignment.
            +
            +## Acceptance Criteria
            +
            +- [ ] Support agent can assign a shipment to themselves or a colleague
            +- [ ] Support agent sees who a shipment is assigned to
            +- [ ] Opening a shipment shows its event timeline
            +- [ ] Support agent can add an internal note to a shipment
            +- [ ] Support agent can mark a shipment resolved with a reason
            +
            +## Technical Notes
            +
            +**Estimated effort:** Medium session
            +**Dependencies:** swe-feature-010
            +
            --- a/issues/issues-list.md
            +++ b/issues/issues-list.md
            @@ -3,4 +3,5 @@
             | File | Title | Expert | Type | Milestone | Status | Notes |
             |------|-------|--------|------|-----------|--------|-------|
             | [swe-feature-010](backlog/swe-feature-010.md) | Exception queue for support agents | swe | feature | M2 | backlog | big |
            +| [swe-feature-012](backlog/swe-feature-012.md) | Exception queue for support agents (part 2) | swe | feature | M2 | backlog |  |
             | [qa-feature-011](backlog/qa-feature-011.md) | QA: Exception queue test pass | qa | feature | M2 | backlog | |
        "#]],
    );
}

#[test]
fn no_split_at_the_first_criterion() {
    let fixture = OVERSIZED.replace(
        "- [ ] Support agent sees every flagged",
        "- [ ] $0Support agent sees every flagged",
    );
    let fixture::Fixture {
        workspace: ws,
        cursor,
    } = fixture::workspace(&fixture);
    let (rel, offset) = cursor.unwrap();
    let ctx = Context::new(&ws);
    let found = actions::code_actions(&ws, &ctx, &rel, TextRange::empty(offset));
    assert!(found.iter().all(|a| a.title != "Split issue here"));
}

/// A story with five tasks, dependencies both ways across the split point,
/// and another story naming one of the tasks that move.
const STORY: &str = r#"
//- docs/stories/015-login.md
# Story 015: Dispatcher sign-in

**Status:** In Progress

## User Story

As a dispatcher, I need to sign in with a link so that I can start my shift without a password.

## Acceptance Criteria

- [ ] Dispatcher receives a sign-in link within a minute
- [ ] Dispatcher stays signed in for a shift

## Dependencies

- Story 014 (console shell)

## Tasks

### 001: Magic-link endpoint
**Domain:** backend
**Status:** done
**Depends on:** none

Add the endpoint.

---

### 002: Session tokens
**Domain:** backend
**Status:** pending
**Depends on:** 001

Issue tokens.

---

### 003: Sign-in window
**Domain:** electron
**Status:** pending
**Depends on:** 001, 002

Show the window.

---

### 004: Token refresh
**Domain:** electron
**Status:** pending
**Depends on:** 003

Refresh tokens.

---

### 005: Sign-in analytics
**Domain:** backend
**Status:** pending
**Depends on:** 004, 014/001

Count sign-ins.

## Out of Scope

- Passwords

//- docs/stories/014-shell.md
# Story 014: Console shell

**Status:** done

## Acceptance Criteria

- [x] The console opens

## Tasks

### 001: Window
**Domain:** electron
**Status:** done
**Depends on:** none

Open a window.

//- docs/stories/020-reports.md
# Story 020: Reports

**Status:** pending

## Acceptance Criteria

- [ ] Dispatcher sees a sign-in report

## Tasks

### 001: Report page
**Domain:** backend
**Status:** pending
**Depends on:** 015/005

Show the report.
"#;

#[test]
fn split_story_here_rewrites_dependencies_both_ways() {
    let fixture = STORY.replace("### 003: Sign-in window", "### $0003: Sign-in window");
    check_action(
        &fixture,
        "Split story here",
        expect![[r#"
            Split story here [refactor.extract]
            --- a/docs/stories/015-login.md
            +++ b/docs/stories/015-login.md
            @@ -35,31 +35,6 @@
 
             ---
 
            -### 003: Sign-in window
            -**Domain:** electron
            -**Status:** pending
            -**Depends on:** 001, 002
            -
            -Show the window.
            -
            ----
            -
            -### 004: Token refresh
            -**Domain:** electron
            -**Status:** pending
            -**Depends on:** 003
            -
            -Refresh tokens.
            -
            ----
            -
            -### 005: Sign-in analytics
            -**Domain:** backend
            -**Status:** pending
            -**Depends on:** 004, 014/001
            -
            -Count sign-ins.
            -
             ## Out of Scope
 
             - Passwords
            --- a/docs/stories/020-reports.md
            +++ b/docs/stories/020-reports.md
            @@ -11,6 +11,6 @@
             ### 001: Report page
             **Domain:** backend
             **Status:** pending
            -**Depends on:** 015/005
            +**Depends on:** 021/003
 
             Show the report.
            --- /dev/null
            +++ b/docs/stories/021-login.md
            @@ -0,0 +1,43 @@
            +# Story 021: Dispatcher sign-in (part 2)
            +
            +**Status:** In Progress
            +
            +## User Story
            +
            +As a dispatcher, I need to sign in with a link so that I can start my shift without a password.
            +
            +## Acceptance Criteria
            +
            +- [ ] [Criterion for the tasks moved from Story 015]
            +
            +## Dependencies
            +
            +- Story 015 (Dispatcher sign-in)
            +
            +## Tasks
            +
            +### 001: Sign-in window
            +**Domain:** electron
            +**Status:** pending
            +**Depends on:** 015/001, 015/002
            +
            +Show the window.
            +
            +---
            +
            +### 002: Token refresh
            +**Domain:** electron
            +**Status:** pending
            +**Depends on:** 001
            +
            +Refresh tokens.
            +
            +---
            +
            +### 003: Sign-in analytics
            +**Domain:** backend
            +**Status:** pending
            +**Depends on:** 002, 014/001
            +
            +Count sign-ins.
            +
        "#]],
    );
}

#[test]
fn split_story_with_a_dependency_back_keeps_no_cycle() {
    // Task 002 stays and waits for task 004, which moves.
    let fixture = STORY
        .replace("### 003: Sign-in window", "### $0003: Sign-in window")
        .replace(
            "**Depends on:** 001\n\nIssue tokens.",
            "**Depends on:** 001, 003\n\nIssue tokens.",
        )
        .replace(
            "**Depends on:** 001, 002\n\nShow",
            "**Depends on:** none\n\nShow",
        );
    check_action(
        &fixture,
        "Split story here",
        expect![[r#"
            Split story here [refactor.extract]
            --- a/docs/stories/015-login.md
            +++ b/docs/stories/015-login.md
            @@ -29,36 +29,11 @@
             ### 002: Session tokens
             **Domain:** backend
             **Status:** pending
            -**Depends on:** 001, 003
            +**Depends on:** 001, 021/001
 
             Issue tokens.
 
             ---
            -
            -### 003: Sign-in window
            -**Domain:** electron
            -**Status:** pending
            -**Depends on:** none
            -
            -Show the window.
            -
            ----
            -
            -### 004: Token refresh
            -**Domain:** electron
            -**Status:** pending
            -**Depends on:** 003
            -
            -Refresh tokens.
            -
            ----
            -
            -### 005: Sign-in analytics
            -**Domain:** backend
            -**Status:** pending
            -**Depends on:** 004, 014/001
            -
            -Count sign-ins.
 
             ## Out of Scope
 
            --- a/docs/stories/020-reports.md
            +++ b/docs/stories/020-reports.md
            @@ -11,6 +11,6 @@
             ### 001: Report page
             **Domain:** backend
             **Status:** pending
            -**Depends on:** 015/005
            +**Depends on:** 021/003
 
             Show the report.
            --- /dev/null
            +++ b/docs/stories/021-login.md
            @@ -0,0 +1,43 @@
            +# Story 021: Dispatcher sign-in (part 2)
            +
            +**Status:** In Progress
            +
            +## User Story
            +
            +As a dispatcher, I need to sign in with a link so that I can start my shift without a password.
            +
            +## Acceptance Criteria
            +
            +- [ ] [Criterion for the tasks moved from Story 015]
            +
            +## Dependencies
            +
            +- Story 014 (console shell)
            +
            +## Tasks
            +
            +### 001: Sign-in window
            +**Domain:** electron
            +**Status:** pending
            +**Depends on:** none
            +
            +Show the window.
            +
            +---
            +
            +### 002: Token refresh
            +**Domain:** electron
            +**Status:** pending
            +**Depends on:** 001
            +
            +Refresh tokens.
            +
            +---
            +
            +### 003: Sign-in analytics
            +**Domain:** backend
            +**Status:** pending
            +**Depends on:** 002, 014/001
            +
            +Count sign-ins.
            +
        "#]],
    );
}

#[test]
fn split_oversized_story_from_its_diagnostic() {
    let mut tasks = String::new();
    for n in 1..=15 {
        let dep = if n == 1 {
            "none".to_string()
        } else {
            format!("{:03}", n - 1)
        };
        tasks.push_str(&format!(
            "### {n:03}: Step {n}\n**Domain:** backend\n**Status:** pending\n**Depends on:** {dep}\n\nDo step {n}.\n\n"
        ));
    }
    let fixture = format!(
        "//- docs/stories/003-big.md\n# Story 003: $0Big\n\n**Status:** pending\n\n## Acceptance Criteria\n\n- [ ] Everything works for the dispatcher\n\n## Tasks\n\n{tasks}"
    );
    let fixture::Fixture {
        workspace: ws,
        cursor,
    } = fixture::workspace(&fixture);
    let (rel, offset) = cursor.unwrap();
    let ctx = Context::new(&ws);
    let found = actions::code_actions(&ws, &ctx, &rel, TextRange::empty(offset));
    let action = found
        .iter()
        .find(|a| a.fixes.is_some_and(|f| f.0 == "oversized-story"))
        .expect("a split for the oversized story");
    assert_eq!(action.title, "Split story: move 7 tasks to `story-004`");
    assert!(action.is_preferred);
    recheck(&ws, action);
}

const SMALL: &str = r#"
//- docs/roadmap.md
# Roadmap

| # | Milestone | Status |
|---|-----------|--------|
| M1 | Tracking core | Done |

//- issues/backlog/swe-feature-001.md
# Shipment list

**Type:** feature
**Expert:** swe
**Milestone:** M1
**Status:** backlog

## Acceptance Criteria

- [ ] The manager sees the shipment list

## Technical Notes

**Dependencies:** none

//- issues/issues-list.md
| File | Title | Status |
|------|-------|--------|
| swe-feature-001 | Shipment list | backlog |
"#;

fn small_with(extra: &str) -> String {
    format!("{SMALL}{extra}")
}

const ISSUE_2: &str = "//- issues/backlog/swe-feature-002.md\n# Shipment filters\n\n**Type:** feature\n**Expert:** swe\n**Milestone:** M1\n**Status:** backlog\n\n## Acceptance Criteria\n\n- [ ] The manager filters by carrier\n\n## Technical Notes\n\n**Dependencies:** DEPS\n";

fn issue_2(deps: &str) -> String {
    small_with(ISSUE_2).replace("DEPS", deps) + "| swe-feature-002 | Shipment filters | backlog |\n"
}

#[test]
fn dangling_dependency_to_the_suggestion() {
    let fixture = issue_2("$0swe-feature-0001");
    let fixture = fixture.replace("| swe-feature-002 | Shipment filters | backlog |\n", "");
    let fixture = fixture.replace(
        "| swe-feature-001 | Shipment list | backlog |\n",
        "| swe-feature-001 | Shipment list | backlog |\n| swe-feature-002 | Shipment filters | backlog |\n",
    );
    check_action(
        &fixture,
        "Change to",
        expect![[r#"
            Change to `swe-feature-001` [quickfix, preferred]
            --- a/issues/backlog/swe-feature-002.md
            +++ b/issues/backlog/swe-feature-002.md
            @@ -11,4 +11,4 @@
 
             ## Technical Notes
 
            -**Dependencies:** swe-feature-0001
            +**Dependencies:** swe-feature-001
        "#]],
    );
}

/// Issue 002 with its row in the index, as the last row.
fn issue_2_indexed(deps: &str) -> String {
    SMALL.replace(
        "| swe-feature-001 | Shipment list | backlog |\n",
        "| swe-feature-001 | Shipment list | backlog |\n| swe-feature-002 | Shipment filters | backlog |\n",
    ) + &ISSUE_2.replace("DEPS", deps)
}

#[test]
fn dangling_dependency_removed() {
    check_action(
        &issue_2_indexed("swe-feature-001, $0swe-feature-111"),
        "Remove the dependency",
        expect![[r#"
            Remove the dependency on `swe-feature-111` [quickfix]
            --- a/issues/backlog/swe-feature-002.md
            +++ b/issues/backlog/swe-feature-002.md
            @@ -11,4 +11,4 @@
 
             ## Technical Notes
 
            -**Dependencies:** swe-feature-001, swe-feature-111
            +**Dependencies:** swe-feature-001
        "#]],
    );
}

#[test]
fn dangling_dependency_created_from_the_template() {
    check_action(
        &issue_2_indexed("$0swe-feature-111"),
        "Create issue",
        expect![[r#"
            Create issue `swe-feature-003` from the template [quickfix]
            --- a/issues/backlog/swe-feature-002.md
            +++ b/issues/backlog/swe-feature-002.md
            @@ -11,4 +11,4 @@
 
             ## Technical Notes
 
            -**Dependencies:** swe-feature-111
            +**Dependencies:** swe-feature-003
            --- /dev/null
            +++ b/issues/backlog/swe-feature-003.md
            @@ -0,0 +1,23 @@
            +# [Short descriptive title]
            +
            +**Type:** feature
            +**Expert:** swe
            +**Milestone:** M1
            +**Status:** backlog
            +
            +## User Story
            +
            +As a [persona], I need [feature / capability] so that I can [value proposition].
            +
            +## Description
            +
            +[2-3 sentences. What needs to be built or changed, and why.]
            +
            +## Acceptance Criteria
            +
            +- [ ] [Criterion from the persona's perspective: what they can now do or see]
            +
            +## Technical Notes
            +
            +**Dependencies:** none
            +**Inputs:** project brief (always)
            --- a/issues/issues-list.md
            +++ b/issues/issues-list.md
            @@ -2,3 +2,4 @@
             |------|-------|--------|
             | swe-feature-001 | Shipment list | backlog |
             | swe-feature-002 | Shipment filters | backlog |
            +| swe-feature-003 | [Short descriptive title] | backlog |
        "#]],
    );
}

#[test]
fn self_dependency_removed() {
    check_action(
        &issue_2_indexed("$0swe-feature-002"),
        "Remove the dependency",
        expect![[r#"
            Remove the dependency on `swe-feature-002` [quickfix, preferred]
            --- a/issues/backlog/swe-feature-002.md
            +++ b/issues/backlog/swe-feature-002.md
            @@ -11,4 +11,4 @@
 
             ## Technical Notes
 
            -**Dependencies:** swe-feature-002
            +**Dependencies:** none
        "#]],
    );
}

#[test]
fn status_set_from_the_folder() {
    let fixture = SMALL.replace("**Status:** backlog", "**Status:** $0done");
    check_action(
        &fixture,
        "Set the status",
        expect![[r#"
            Set the status to `backlog` [quickfix, preferred, safe]
            --- a/issues/backlog/swe-feature-001.md
            +++ b/issues/backlog/swe-feature-001.md
            @@ -3,7 +3,7 @@
             **Type:** feature
             **Expert:** swe
             **Milestone:** M1
            -**Status:** done
            +**Status:** backlog
 
             ## Acceptance Criteria
 
        "#]],
    );
}

#[test]
fn status_mismatch_moves_the_file() {
    let fixture = SMALL
        .replace("**Status:** backlog", "**Status:** $0planned")
        .replace("| Shipment list | backlog |", "| Shipment list | planned |");
    check_action(
        &fixture,
        "Move the file",
        expect![[r#"
        Move the file to `issues/planned` [quickfix]
        rename issues/backlog/swe-feature-001.md -> issues/planned/swe-feature-001.md
        --- /dev/null
        +++ b/issues/planned/swe-feature-001.md
        @@ -0,0 +1,15 @@
        +# Shipment list
        +
        +**Type:** feature
        +**Expert:** swe
        +**Milestone:** M1
        +**Status:** planned
        +
        +## Acceptance Criteria
        +
        +- [ ] The manager sees the shipment list
        +
        +## Technical Notes
        +
        +**Dependencies:** none
        +
    "#]],
    );
}

#[test]
fn missing_acceptance_criteria_inserted_before_the_notes() {
    let fixture = SMALL
        .replace("# Shipment list", "# $0Shipment list")
        .replace(
            "## Acceptance Criteria\n\n- [ ] The manager sees the shipment list\n\n",
            "",
        );
    check_action(
        &fixture,
        "Add an Acceptance Criteria",
        expect![[r#"
            Add an Acceptance Criteria checklist [quickfix, preferred]
            --- a/issues/backlog/swe-feature-001.md
            +++ b/issues/backlog/swe-feature-001.md
            @@ -5,6 +5,10 @@
             **Milestone:** M1
             **Status:** backlog
 
            +## Acceptance Criteria
            +
            +- [ ] [Criterion from the persona's perspective: what they can now do or see]
            +
             ## Technical Notes
 
             **Dependencies:** none
        "#]],
    );
}

#[test]
fn missing_field_inserted_in_the_metadata() {
    let fixture = SMALL
        .replace("# Shipment list", "# $0Shipment list")
        .replace("**Milestone:** M1\n", "");
    check_action(
        &fixture,
        "Add `**Milestone:**",
        expect![[r#"
            Add `**Milestone:** [Milestone name]` [quickfix, preferred]
            --- a/issues/backlog/swe-feature-001.md
            +++ b/issues/backlog/swe-feature-001.md
            @@ -3,6 +3,7 @@
             **Type:** feature
             **Expert:** swe
             **Status:** backlog
            +**Milestone:** [Milestone name]
 
             ## Acceptance Criteria
 
        "#]],
    );
}

#[test]
fn unknown_value_replaced() {
    let fixture = SMALL.replace("**Type:** feature", "**Type:** $0feture");
    check_action(
        &fixture,
        "Change to `feature`",
        expect![[r#"
            Change to `feature` [quickfix, preferred]
            --- a/issues/backlog/swe-feature-001.md
            +++ b/issues/backlog/swe-feature-001.md
            @@ -1,6 +1,6 @@
             # Shipment list
 
            -**Type:** feture
            +**Type:** feature
             **Expert:** swe
             **Milestone:** M1
             **Status:** backlog
        "#]],
    );
}

#[test]
fn index_row_added_removed_and_updated() {
    let fixture = small_with(&ISSUE_2.replace("DEPS", "none"))
        .replace("| swe-feature-001 | Shipment list | backlog |", "| swe-feature-001 | Shipment list | backlog |\n| swe-feature-009 | Gone | done |\n| swe-feature-002 | $0Old title | done |\n| swe-feature-001 | Shipment list | backlog |");
    check_action(
        &fixture,
        "Fix the whole issues index",
        expect![[r#"
            Fix the whole issues index [quickfix, safe]
            --- a/issues/issues-list.md
            +++ b/issues/issues-list.md
            @@ -1,6 +1,4 @@
             | File | Title | Status |
             |------|-------|--------|
             | swe-feature-001 | Shipment list | backlog |
            -| swe-feature-009 | Gone | done |
            -| swe-feature-002 | Old title | done |
            -| swe-feature-001 | Shipment list | backlog |
            +| swe-feature-002 | Shipment filters | backlog |
        "#]],
    );
}

#[test]
fn index_stale_row_removed() {
    let fixture = SMALL.replace(
        "| swe-feature-001 | Shipment list | backlog |",
        "| swe-feature-001 | Shipment list | backlog |\n| $0swe-feature-009 | Gone | done |",
    );
    check_action(
        &fixture,
        "Remove the row",
        expect![[r#"
        Remove the row of `swe-feature-009` [quickfix, preferred, safe]
        --- a/issues/issues-list.md
        +++ b/issues/issues-list.md
        @@ -1,4 +1,3 @@
         | File | Title | Status |
         |------|-------|--------|
         | swe-feature-001 | Shipment list | backlog |
        -| swe-feature-009 | Gone | done |
    "#]],
    );
}

#[test]
fn duplicate_number_renumbered_with_its_references() {
    let fixture = issue_2_indexed("qa-feature-001")
        + "//- issues/backlog/qa-feature-001.md\n# $0QA: Shipment list pass\n\n**Type:** feature\n**Expert:** qa\n**Milestone:** M1\n**Status:** backlog\n\n## Acceptance Criteria\n\n- [ ] Every column is checked\n\n## Notes\n\n**Depends on:** swe-feature-001\n";
    let fixture = fixture.replace(
        "| swe-feature-002 | Shipment filters | backlog |\n",
        "| swe-feature-002 | Shipment filters | backlog |\n| qa-feature-001 | QA: Shipment list pass | backlog |\n",
    );
    check_action(
        &fixture,
        "Renumber this issue",
        expect![[r#"
            Renumber this issue to `qa-feature-003` [quickfix]
            rename issues/backlog/qa-feature-001.md -> issues/backlog/qa-feature-003.md
            --- /dev/null
            +++ b/issues/backlog/qa-feature-003.md
            @@ -0,0 +1,14 @@
            +# QA: Shipment list pass
            +
            +**Type:** feature
            +**Expert:** qa
            +**Milestone:** M1
            +**Status:** backlog
            +
            +## Acceptance Criteria
            +
            +- [ ] Every column is checked
            +
            +## Notes
            +
            +**Depends on:** swe-feature-001
            --- a/issues/backlog/swe-feature-002.md
            +++ b/issues/backlog/swe-feature-002.md
            @@ -11,4 +11,4 @@
 
             ## Technical Notes
 
            -**Dependencies:** qa-feature-001
            +**Dependencies:** qa-feature-003
            --- a/issues/issues-list.md
            +++ b/issues/issues-list.md
            @@ -2,4 +2,4 @@
             |------|-------|--------|
             | swe-feature-001 | Shipment list | backlog |
             | swe-feature-002 | Shipment filters | backlog |
            -| qa-feature-001 | QA: Shipment list pass | backlog |
            +| qa-feature-003 | QA: Shipment list pass | backlog |
        "#]],
    );
}

#[test]
fn done_with_open_criteria_checked() {
    let fixture = SMALL
        .replace("**Status:** backlog", "**Status:** done")
        .replace("issues/backlog/", "issues/done/")
        .replace("| Shipment list | backlog |", "| Shipment list | done |")
        .replace("- [ ] The manager", "- $0[ ] The manager");
    check_action(
        &fixture,
        "Check all",
        expect![[r#"
            Check all acceptance criteria [quickfix]
            --- a/issues/done/swe-feature-001.md
            +++ b/issues/done/swe-feature-001.md
            @@ -7,7 +7,7 @@
 
             ## Acceptance Criteria
 
            -- [ ] The manager sees the shipment list
            +- [x] The manager sees the shipment list
 
             ## Technical Notes
 
        "#]],
    );
}

#[test]
fn done_with_open_criteria_reopened() {
    let fixture = SMALL
        .replace("**Status:** backlog", "**Status:** done")
        .replace("issues/backlog/", "issues/done/")
        .replace("| Shipment list | backlog |", "| Shipment list | done |")
        .replace("- [ ] The manager", "- $0[ ] The manager");
    check_action(
        &fixture,
        "Set the status back",
        expect![[r#"
            Set the status back to `in-progress` [quickfix]
            rename issues/done/swe-feature-001.md -> issues/in-progress/swe-feature-001.md
            --- /dev/null
            +++ b/issues/in-progress/swe-feature-001.md
            @@ -0,0 +1,15 @@
            +# Shipment list
            +
            +**Type:** feature
            +**Expert:** swe
            +**Milestone:** M1
            +**Status:** in-progress
            +
            +## Acceptance Criteria
            +
            +- [ ] The manager sees the shipment list
            +
            +## Technical Notes
            +
            +**Dependencies:** none
            +
            --- a/issues/issues-list.md
            +++ b/issues/issues-list.md
            @@ -1,3 +1,3 @@
             | File | Title | Status |
             |------|-------|--------|
            -| swe-feature-001 | Shipment list | done |
            +| swe-feature-001 | Shipment list | in-progress |
        "#]],
    );
}

#[test]
fn fix_all_applies_only_safe_fixes() {
    let fixture = small_with(&ISSUE_2.replace("DEPS", "swe-feature-111")).replace(
        "| swe-feature-001 | Shipment list | backlog |",
        "| swe-feature-001 | Old title | backlog |",
    );
    let fixture::Fixture { workspace: ws, .. } = fixture::workspace(&fixture);
    let ctx = Context::new(&ws);
    let action = actions::fix_all(&ws, &ctx, "issues/issues-list.md").expect("fixes");
    expect![[r#"
        Fix all safe planmark problems in this file [source.fixAll.planmark, safe]
        --- a/issues/issues-list.md
        +++ b/issues/issues-list.md
        @@ -1,3 +1,4 @@
         | File | Title | Status |
         |------|-------|--------|
        -| swe-feature-001 | Old title | backlog |
        +| swe-feature-001 | Shipment list | backlog |
        +| swe-feature-002 | Shipment filters | backlog |
    "#]]
    .assert_eq(&render(&texts(&ws), &action));
    assert!(actions::fix_all(&ws, &ctx, "issues/backlog/swe-feature-002.md").is_none());
}

#[test]
fn index_repeated_row_removed() {
    let fixture = SMALL.replace(
        "| swe-feature-001 | Shipment list | backlog |",
        "| swe-feature-001 | Shipment list | backlog |\n| $0swe-feature-001 | Shipment list | backlog |",
    );
    check_action(
        &fixture,
        "Remove this repeated row",
        expect![[r#"
        Remove this repeated row of `swe-feature-001` [quickfix, preferred, safe]
        --- a/issues/issues-list.md
        +++ b/issues/issues-list.md
        @@ -1,4 +1,3 @@
         | File | Title | Status |
         |------|-------|--------|
         | swe-feature-001 | Shipment list | backlog |
        -| swe-feature-001 | Shipment list | backlog |
    "#]],
    );
}

#[test]
fn status_set_from_the_folder_updates_the_index_row() {
    let fixture = SMALL
        .replace("**Status:** backlog", "**Status:** $0done")
        .replace("| Shipment list | backlog |", "| Shipment list | done |");
    check_action(
        &fixture,
        "Set the status",
        expect![[r#"
            Set the status to `backlog` [quickfix, preferred, safe]
            --- a/issues/backlog/swe-feature-001.md
            +++ b/issues/backlog/swe-feature-001.md
            @@ -3,7 +3,7 @@
             **Type:** feature
             **Expert:** swe
             **Milestone:** M1
            -**Status:** done
            +**Status:** backlog

             ## Acceptance Criteria

            --- a/issues/issues-list.md
            +++ b/issues/issues-list.md
            @@ -1,3 +1,3 @@
             | File | Title | Status |
             |------|-------|--------|
            -| swe-feature-001 | Shipment list | done |
            +| swe-feature-001 | Shipment list | backlog |
        "#]],
    );
}

/// The small workspace with an index that links each file, and more
/// columns in another order.
fn linked(fixture: &str) -> String {
    fixture.replace(
        "| File | Title | Status |\n|------|-------|--------|\n| swe-feature-001 | Shipment list | backlog |",
        "| Status | Title | Milestone | Issue | Prerequisites |\n|---|---|---|---|---|\n| backlog | Shipment list | M1 | [swe-feature-001](backlog/swe-feature-001.md) | none |",
    )
}

#[test]
fn status_mismatch_move_updates_the_link_and_status_cell() {
    let fixture = linked(&SMALL.replace("**Status:** backlog", "**Status:** $0planned"));
    check_action(
        &fixture,
        "Move the file",
        expect![[r#"
            Move the file to `issues/planned` [quickfix]
            rename issues/backlog/swe-feature-001.md -> issues/planned/swe-feature-001.md
            --- a/issues/issues-list.md
            +++ b/issues/issues-list.md
            @@ -1,3 +1,3 @@
             | Status | Title | Milestone | Issue | Prerequisites |
             |---|---|---|---|---|
            -| backlog | Shipment list | M1 | [swe-feature-001](backlog/swe-feature-001.md) | none |
            +| planned | Shipment list | M1 | [swe-feature-001](planned/swe-feature-001.md) | none |
            --- /dev/null
            +++ b/issues/planned/swe-feature-001.md
            @@ -0,0 +1,15 @@
            +# Shipment list
            +
            +**Type:** feature
            +**Expert:** swe
            +**Milestone:** M1
            +**Status:** planned
            +
            +## Acceptance Criteria
            +
            +- [ ] The manager sees the shipment list
            +
            +## Technical Notes
            +
            +**Dependencies:** none
            +
        "#]],
    );
}

#[test]
fn unknown_status_corrected_in_the_index_row_too() {
    let fixture = SMALL
        .replace("**Status:** backlog", "**Status:** $0planed")
        .replace("| Shipment list | backlog |", "| Shipment list | planed |");
    check_action(
        &fixture,
        "Change to `planned`",
        expect![[r#"
            Change to `planned` [quickfix]
            --- a/issues/backlog/swe-feature-001.md
            +++ b/issues/backlog/swe-feature-001.md
            @@ -3,7 +3,7 @@
             **Type:** feature
             **Expert:** swe
             **Milestone:** M1
            -**Status:** planed
            +**Status:** planned

             ## Acceptance Criteria

            --- a/issues/issues-list.md
            +++ b/issues/issues-list.md
            @@ -1,3 +1,3 @@
             | File | Title | Status |
             |------|-------|--------|
            -| swe-feature-001 | Shipment list | planed |
            +| swe-feature-001 | Shipment list | planned |
        "#]],
    );
}

#[test]
fn split_of_a_done_issue_goes_to_the_backlog_with_its_row() {
    let fixture = OVERSIZED_DONE.replace(
        "- [x] Support agent can filter",
        "- [x] $0Support agent can filter",
    );
    check_action(
        &fixture,
        "Split issue here",
        expect![[r#"
            Split issue here [refactor.extract]
            --- /dev/null
            +++ b/issues/backlog/swe-feature-002.md
            @@ -0,0 +1,15 @@
            +# Shipment list (part 2)
            +
            +**Type:** feature
            +**Expert:** swe
            +**Milestone:** M1
            +**Status:** backlog
            +
            +## Acceptance Criteria
            +
            +- [x] Support agent can filter the list by carrier
            +
            +## Technical Notes
            +
            +**Dependencies:** swe-feature-001
            +
            --- a/issues/done/swe-feature-001.md
            +++ b/issues/done/swe-feature-001.md
            @@ -8,7 +8,6 @@
             ## Acceptance Criteria

             - [x] The manager sees the shipment list
            -- [x] Support agent can filter the list by carrier

             ## Technical Notes

            --- a/issues/issues-list.md
            +++ b/issues/issues-list.md
            @@ -1,3 +1,4 @@
             | Status | Title | Milestone | Issue | Prerequisites |
             |---|---|---|---|---|
             | done | Shipment list | M1 | [swe-feature-001](done/swe-feature-001.md) | none |
            +| backlog | Shipment list (part 2) | M1 | [swe-feature-002](backlog/swe-feature-002.md) | swe-feature-001 |
        "#]],
    );
}

#[test]
fn split_of_an_in_progress_issue_without_a_status_field() {
    let fixture = OVERSIZED
        .replace("**Status:** backlog\n\n## User Story", "\n## User Story")
        .replace("issues/backlog/swe-feature-010", "issues/in-progress/swe-feature-010")
        .replace("](backlog/swe-feature-010.md) | Exception queue for support agents | swe | feature | M2 | backlog |", "](in-progress/swe-feature-010.md) | Exception queue for support agents | swe | feature | M2 | in-progress |")
        .replace("- [ ] Support agent sees who", "- [ ] $0Support agent sees who");
    check_action(
        &fixture,
        "Split issue here",
        expect![[r#"
            Split issue here [refactor.extract]
            --- a/issues/backlog/qa-feature-011.md
            +++ b/issues/backlog/qa-feature-011.md
            @@ -11,5 +11,5 @@

             ## Notes

            -**Depends on:** swe-feature-010 (the queue must exist)
            +**Depends on:** swe-feature-010, swe-feature-012 (the queue must exist)

            --- /dev/null
            +++ b/issues/backlog/swe-feature-012.md
            @@ -0,0 +1,26 @@
            +# Exception queue for support agents (part 2)
            +
            +**Type:** feature
            +**Expert:** swe
            +**Milestone:** M2
            +
            +## User Story
            +
            +As a support agent, I need one queue of flagged shipments so that I can resolve them before customers call.
            +
            +## Description
            +
            +A list of every shipment with an exception, with filters and assignment.
            +
            +## Acceptance Criteria
            +
            +- [ ] Support agent sees who a shipment is assigned to
            +- [ ] Opening a shipment shows its event timeline
            +- [ ] Support agent can add an internal note to a shipment
            +- [ ] Support agent can mark a shipment resolved with a reason
            +
            +## Technical Notes
            +
            +**Estimated effort:** Medium session
            +**Dependencies:** swe-feature-010
            +
            --- a/issues/in-progress/swe-feature-010.md
            +++ b/issues/in-progress/swe-feature-010.md
            @@ -19,10 +19,6 @@
             - [ ] Support agent can filter the list by exception reason
             - [ ] Support agent can search the list by tracking number
             - [ ] Support agent can assign a shipment to themselves or a colleague
            -- [ ] Support agent sees who a shipment is assigned to
            -- [ ] Opening a shipment shows its event timeline
            -- [ ] Support agent can add an internal note to a shipment
            -- [ ] Support agent can mark a shipment resolved with a reason

             ## Technical Notes

            --- a/issues/issues-list.md
            +++ b/issues/issues-list.md
            @@ -3,4 +3,5 @@
             | File | Title | Expert | Type | Milestone | Status | Notes |
             |------|-------|--------|------|-----------|--------|-------|
             | [swe-feature-010](in-progress/swe-feature-010.md) | Exception queue for support agents | swe | feature | M2 | in-progress | big |
            +| [swe-feature-012](backlog/swe-feature-012.md) | Exception queue for support agents (part 2) | swe | feature | M2 | backlog |  |
             | [qa-feature-011](backlog/qa-feature-011.md) | QA: Exception queue test pass | qa | feature | M2 | backlog | |
        "#]],
    );
}

/// A done issue with two criteria, every one checked.
const OVERSIZED_DONE: &str = r#"
//- issues/done/swe-feature-001.md
# Shipment list

**Type:** feature
**Expert:** swe
**Milestone:** M1
**Status:** done

## Acceptance Criteria

- [x] The manager sees the shipment list
- [x] Support agent can filter the list by carrier

## Technical Notes

**Dependencies:** none

//- issues/issues-list.md
| Status | Title | Milestone | Issue | Prerequisites |
|---|---|---|---|---|
| done | Shipment list | M1 | [swe-feature-001](done/swe-feature-001.md) | none |
"#;

/// Story 015: task 001 waits for 002, and 002 names a task that does not
/// exist, `015/004`. Its nearest IDs are 001 (which would close a cycle),
/// 002 (itself) and 003.
const CYCLE_STORY: &str = r#"
//- docs/stories/015-login.md
# Story 015: Login

**Status:** pending

## Acceptance Criteria

- [ ] The dispatcher signs in

## Tasks

### 001: Login form
**Domain:** frontend
**Status:** pending
**Depends on:** 002

The form.

### 002: Session endpoint
**Domain:** backend
**Status:** pending
**Depends on:** $0015/004

The endpoint.

### 003: Password hashing
**Domain:** backend
**Status:** pending
**Depends on:** none

The hashing.
"#;

/// The actions at the cursor, one line each: title and flags.
fn action_list(fixture_text: &str) -> String {
    let fixture::Fixture {
        workspace: ws,
        cursor,
    } = fixture::workspace(fixture_text);
    let (rel, offset) = cursor.expect("the fixture has a $0 cursor");
    let ctx = Context::new(&ws);
    let mut out = String::new();
    for d in check_workspace(&ws)
        .iter()
        .filter(|d| d.rel == rel && d.range.start() <= offset && offset <= d.range.end())
    {
        out.push_str(&format!("{}: {}\n", d.rule, d.message));
    }
    for a in actions::code_actions(&ws, &ctx, &rel, TextRange::empty(offset)) {
        out.push_str(&format!(
            "{}{}{}\n",
            a.title,
            if a.is_preferred { " [preferred]" } else { "" },
            if a.safe { " [safe]" } else { "" }
        ));
    }
    out
}

#[test]
fn did_you_mean_skips_an_id_that_closes_a_cycle() {
    expect![[r#"
        dangling-dependency: `015/004` names no known task; did you mean `003`?
        Change to `003` [preferred]
        Remove the dependency on `015/004`
        Change to `001` (closes a dependency cycle)
    "#]]
    .assert_eq(&action_list(CYCLE_STORY));
    // The preferred fix closes no cycle and leaves no error behind.
    check_action(
        CYCLE_STORY,
        "Change to `003`",
        expect![[r#"
            Change to `003` [quickfix, preferred]
            --- a/docs/stories/015-login.md
            +++ b/docs/stories/015-login.md
            @@ -18,7 +18,7 @@
             ### 002: Session endpoint
             **Domain:** backend
             **Status:** pending
            -**Depends on:** 015/004
            +**Depends on:** 003

             The endpoint.

        "#]],
    );
}

#[test]
fn did_you_mean_that_closes_a_cycle_is_last_and_not_preferred() {
    let fixture = CYCLE_STORY.split("### 003").next().unwrap().to_string();
    expect![[r#"
        dangling-dependency: `015/004` names no known task; did you mean `001`? (it would close a dependency cycle)
        Remove the dependency on `015/004`
        Change to `001` (closes a dependency cycle)
    "#]]
    .assert_eq(&action_list(&fixture));
    // Neither fix-all nor `check --fix` (the safe fixes) ever applies it.
    let fixture::Fixture { workspace: ws, .. } = fixture::workspace(&fixture);
    let ctx = Context::new(&ws);
    let rel = "docs/stories/015-login.md";
    assert!(actions::safe_fixes(&ws, &ctx, rel).is_empty());
    assert!(actions::fix_all(&ws, &ctx, rel).is_none());
}

/// A story whose task has the domain `DOMAIN`, and `planmark.toml` as
/// `config` (none when `None`).
fn vocabulary_fixture(domain: &str, config: Option<&str>) -> String {
    let mut out = String::new();
    if let Some(config) = config {
        out.push_str(&format!("//- planmark.toml\n{config}"));
    }
    out.push_str(&format!(
        "//- docs/stories/015-weaving.md\n# Story 015: Weaving\n\n**Status:** In Progress\n\n## Acceptance Criteria\n\n- [ ] Dispatcher sees the woven list\n\n## Tasks\n\n### 001: Step 1\n**Domain:** {domain}\n**Status:** pending\n**Depends on:** none\n"
    ));
    out
}

/// The "Add ... to `[vocabulary]`" action at the cursor: its title, the
/// text of `planmark.toml` after it, and whether the finding is gone once
/// the new configuration is read.
fn add_to_vocabulary(fixture_text: &str, config: Option<&str>) -> String {
    let fixture::Fixture {
        workspace: ws,
        cursor,
    } = fixture::workspace(fixture_text);
    let (rel, offset) = cursor.expect("the fixture has a $0 cursor");
    let ctx = Context::new(&ws);
    let found = actions::code_actions(&ws, &ctx, &rel, TextRange::empty(offset));
    let action = found
        .iter()
        .find(|a| a.title.contains("[vocabulary]"))
        .unwrap_or_else(|| panic!("no vocabulary action; got {found:?}"));
    let mut before = texts(&ws);
    if let Some(config) = config {
        before.insert("planmark.toml".into(), config.into());
    }
    let after = apply::apply(&before, &action.changes).expect("the action applies");
    let toml = after["planmark.toml"].clone();
    let (config, errors) =
        planmark::analysis::config::Config::parse(&toml, &planmark::analysis::rules::rule_names());
    assert!(errors.is_empty(), "{errors:?}");
    let mut new = Workspace::new(config, Vec::new());
    new.load(
        after
            .iter()
            .filter(|(rel, _)| rel.ends_with(".md"))
            .map(|(rel, text)| (rel.clone(), FileInput::Text(Arc::from(text.as_str()))))
            .collect(),
    );
    let left: Vec<String> = check_workspace(&new)
        .into_iter()
        .map(|d| format!("{}: {}", d.rule, d.message))
        .collect();
    format!(
        "{}\n--- planmark.toml\n{toml}--- left: {left:?}\n",
        action.title
    )
}

#[test]
fn unknown_value_added_to_the_vocabulary() {
    // No planmark.toml: one is created with the defaults in force and the
    // new value, since a configured list replaces the default one.
    expect![[r#"
        Add `weave` to `[vocabulary] domains` in planmark.toml
        --- planmark.toml
        [vocabulary]
        domains = ["backend", "compute", "electron", "packaging", "weave"]
        --- left: []
    "#]]
    .assert_eq(&add_to_vocabulary(
        &vocabulary_fixture("$0weave", None),
        None,
    ));
    // An existing file keeps its comments and other tables; a list already
    // there gets the value appended. One value of a multi-valued domain.
    let config = "# Our vocabulary.\n[rules]\nvague-criterion = \"off\" # too noisy\n\n[vocabulary]\ndomains = [\"backend\", \"compute\"] # renamed in May\n";
    expect![[r#"
        Add `weave` to `[vocabulary] domains` in planmark.toml
        --- planmark.toml
        # Our vocabulary.
        [rules]
        vague-criterion = "off" # too noisy

        [vocabulary]
        domains = ["backend", "compute", "weave"] # renamed in May
        --- left: []
    "#]]
    .assert_eq(&add_to_vocabulary(
        &vocabulary_fixture("$0weave + compute", Some(config)),
        Some(config),
    ));
    // A file without `[vocabulary]` gets the table.
    let config = "[rules]\nvague-criterion = \"off\"\n";
    expect![[r#"
        Add `weave` to `[vocabulary] domains` in planmark.toml
        --- planmark.toml
        [rules]
        vague-criterion = "off"

        [vocabulary]
        domains = ["backend", "compute", "electron", "packaging", "weave"]
        --- left: []
    "#]]
    .assert_eq(&add_to_vocabulary(
        &vocabulary_fixture("$0weave", Some(config)),
        Some(config),
    ));
}

/// A stories index with a wrong title, a repeated row and a row of a story
/// that has no file, next to story 015.
const STORIES_INDEX: &str = "\
//- docs/stories/README.md
# Stories

| # | Story | Status |
|---|-------|--------|
| 015 | TITLE | ✅ Done |
| 016 | Saved views | Planned |
| 015 | Sign-in | Done |
//- docs/stories/015-login.md
# Story 015: Sign-in

**Status:** Done

## Acceptance Criteria

- [x] Dispatcher signs in with a link
";

#[test]
fn stories_index_rows_fixed() {
    check_action(
        &STORIES_INDEX.replace("TITLE", "$0Log-in"),
        "Update the title",
        expect![[r#"
            Update the title to "Sign-in" [quickfix, preferred, safe]
            --- a/docs/stories/README.md
            +++ b/docs/stories/README.md
            @@ -2,6 +2,6 @@

             | # | Story | Status |
             |---|-------|--------|
            -| 015 | Log-in | ✅ Done |
            +| 015 | Sign-in | ✅ Done |
             | 016 | Saved views | Planned |
             | 015 | Sign-in | Done |
        "#]],
    );
    check_action(
        &STORIES_INDEX
            .replace("TITLE", "Sign-in")
            .replace("| 015 | Sign-in | Done |", "| $0015 | Sign-in | Done |"),
        "Remove this repeated row",
        expect![[r#"
            Remove this repeated row of `story-015` [quickfix, preferred, safe]
            --- a/docs/stories/README.md
            +++ b/docs/stories/README.md
            @@ -4,4 +4,3 @@
             |---|-------|--------|
             | 015 | Sign-in | ✅ Done |
             | 016 | Saved views | Planned |
            -| 015 | Sign-in | Done |
        "#]],
    );
    // Only fixes that keep the README a stories index are offered: never
    // the issues index's whole-table rewrite.
    let fixture::Fixture { workspace: ws, .. } =
        fixture::workspace(&STORIES_INDEX.replace("TITLE", "Log-in"));
    let ctx = Context::new(&ws);
    let titles: Vec<String> = actions::code_actions(
        &ws,
        &ctx,
        "docs/stories/README.md",
        TextRange::new(0, ws.file("docs/stories/README.md").unwrap().text.len()),
    )
    .into_iter()
    .map(|a| format!("{}{}", a.title, if a.safe { " (safe)" } else { "" }))
    .collect();
    expect![[r#"
        Update the title to "Sign-in" (safe)
        Remove the row of `story-016`
        Remove this repeated row of `story-015` (safe)"#]]
    .assert_eq(&titles.join("\n"));
}

#[test]
fn misspelt_status_in_a_status_folder_prefers_the_folder() {
    // `in progres` in `backlog/` is both an unknown value and a mismatch
    // with the folder. Only the fix that agrees with the folder is
    // preferred: "Change to `in-progress`" would leave a mismatch behind.
    let fixture = SMALL
        .replace("**Status:** backlog", "**Status:** $0in progres")
        .replace(
            "| Shipment list | backlog |",
            "| Shipment list | in progres |",
        );
    expect![[r#"
        status-folder-mismatch: status `in progres` disagrees with the `backlog/` folder this file is in
        unknown-value: `in progres` is not a known status (allowed: `backlog`, `planned`, `in-progress`, `done`); did you mean `in-progress`?
        Set the status to `backlog` [preferred] [safe]
        Change to `in-progress`
        Add `in progres` to `[vocabulary] statuses` in planmark.toml
    "#]].assert_eq(&action_list(&fixture));
}

/// A BMAD story whose task names its criteria as `LIST` (the cursor in
/// it), the story having criteria 1 to 3.
fn bmad_story_naming(list: &str) -> String {
    format!(
        "//- docs/stories/1.2.login.story.md\n# Story 1.2: Sign in\n\n## Status\nApproved\n\n## Acceptance Criteria\n1. The form takes an email\n2. A wrong password says so\n3. The session lasts a week\n\n## Tasks / Subtasks\n- [ ] Task 1: Form (AC: 1)\n- [ ] Task 2: Errors {list}\n\n## Dev Notes\n"
    )
}

#[test]
fn bmad_unknown_criterion_removed_from_the_list() {
    // The entry goes with its comma; the only entry takes its clause with
    // it; a range of which some criteria exist gets no removal.
    let mut got = String::new();
    for list in [
        "(AC: 2, 3, $07)",
        "(AC: $07, 2, 3)",
        "(AC: #$07)",
        "(AC: #2 and #$07)",
        "(AC: AC2; AC$07-9; AC3)",
        "[AC$07]",
        "(AC: 2-$05)",
    ] {
        let fixture = bmad_story_naming(list);
        got.push_str(&format!("# {list}\n"));
        for line in fixture::actions_at(&fixture)
            .lines()
            .filter(|l| l.contains("(preferred: ") || l.starts_with("- [ ] Task 2"))
        {
            got.push_str(line);
            got.push('\n');
        }
    }
    expect![[r#"
        # (AC: 2, 3, $07)
        ## Remove `7` from the list (preferred: false)
        - [ ] Task 2: Errors (AC: 2, 3)
        # (AC: $07, 2, 3)
        ## Remove `7` from the list (preferred: false)
        - [ ] Task 2: Errors (AC: 2, 3)
        # (AC: #$07)
        ## Remove `#7` from the list (preferred: false)
        - [ ] Task 2: Errors
        # (AC: #2 and #$07)
        ## Remove `#7` from the list (preferred: false)
        - [ ] Task 2: Errors (AC: #2)
        # (AC: AC2; AC$07-9; AC3)
        ## Remove `AC7-9` from the list (preferred: false)
        - [ ] Task 2: Errors (AC: AC2; AC3)
        # [AC$07]
        ## Remove `7` from the list (preferred: false)
        - [ ] Task 2: Errors
        # (AC: 2-$05)
    "#]]
    .assert_eq(&got);
    check_action(
        &bmad_story_naming("(AC: 2, 3, $07)"),
        "Remove `7`",
        expect![[r#"
            Remove `7` from the list [quickfix]
            --- a/docs/stories/1.2.login.story.md
            +++ b/docs/stories/1.2.login.story.md
            @@ -10,6 +10,6 @@

             ## Tasks / Subtasks
             - [ ] Task 1: Form (AC: 1)
            -- [ ] Task 2: Errors (AC: 2, 3, 7)
            +- [ ] Task 2: Errors (AC: 2, 3)

             ## Dev Notes
        "#]],
    );
}
