//! Tests of the spec-kit dialect: which paths it claims, what it reads
//! from the variants found in real task lists, each of its rules on a
//! fixture where it fires and on a near miss where it stays silent, the
//! generic rules and features on its items, and the plan it gives.

use std::fmt::Write as _;

use expect_test::{expect, Expect};

use crate::analysis::config::Config;
use crate::analysis::features::{hover, lens, navigation};
use crate::analysis::fixture::{derived, renamed, workspace};
use crate::analysis::graph::Graph;
use crate::analysis::model::FileKind;
use crate::analysis::parse::classify;
use crate::analysis::rules::check_workspace;
use crate::analysis::text::ColumnUnit;
use crate::analysis::workspace::Workspace;

/// `rel:line:col` of a byte offset, 1-based, columns in characters.
fn place(ws: &Workspace, rel: &str, offset: usize) -> String {
    match ws.file(rel) {
        Some(file) => {
            let pos = file
                .line_index()
                .line_col(&file.text, offset, ColumnUnit::Char);
            format!("{rel}:{}:{}", pos.line + 1, pos.col + 1)
        }
        None => format!("{rel}:1:1"),
    }
}

/// Every finding, `rel:line:col rule (severity): message`, with its related
/// locations indented below it.
fn findings(ws: &Workspace) -> String {
    let mut out = String::new();
    for d in check_workspace(ws) {
        let at = place(ws, &d.rel, d.range.start());
        writeln!(
            out,
            "{at} {} ({}): {}",
            d.rule,
            d.severity.name(),
            d.message
        )
        .unwrap();
        for r in &d.related {
            let at = place(ws, &r.rel, r.range.start());
            writeln!(out, "    = {at} {}", r.message).unwrap();
        }
    }
    out
}

fn check(fixture: &str, expect: Expect) {
    expect.assert_eq(&findings(&workspace(fixture).workspace));
}

/// `text` with `from` replaced by `to`; `from` must be there.
fn edit(text: &str, from: &str, to: &str) -> String {
    assert!(text.contains(from), "{from:?} is not in the text");
    text.replacen(from, to, 1)
}

/// A fixture from `(path, text)` pairs.
fn files(pairs: &[(&str, &str)]) -> String {
    let mut out = String::new();
    for (path, text) in pairs {
        out.push_str(&format!("//- {path}\n{text}"));
        if !text.ends_with('\n') {
            out.push('\n');
        }
    }
    out
}

/// A clean spec: two user stories, two requirements, one success
/// criterion.
const SPEC: &str = "\
# Feature Specification: Sign-in links

**Feature Branch**: `001-signin`
**Created**: 2025-03-01
**Status**: Draft

## User Scenarios & Testing

### User Story 1 - Sign in with an emailed link (Priority: P1)

A dispatcher enters their work email and gets a link that signs them in.

**Acceptance Scenarios**:

1. **Given** a known email, **When** the dispatcher asks for a link, **Then** it arrives within a minute

### User Story 2 - Expire old links (Priority: P2)

A link stops working after fifteen minutes or one use.

## Requirements

### Functional Requirements

- **FR-001**: System MUST email a sign-in link to a known work address
- **FR-002**: System MUST expire a link after 15 minutes or one use

## Success Criteria

- **SC-001**: 95% of dispatchers are signed in within two minutes of asking

## Review & Acceptance Checklist

- [x] No [NEEDS CLARIFICATION] markers remain
";

const PLAN: &str = "\
# Implementation Plan: Sign-in links

**Branch**: `001-signin` | **Spec**: spec.md

## Summary

Links are mailed (FR-001) and expire (FR-002); SC-001 is measured in the logs.
";

/// Clean tasks: Setup, Foundational, one phase per story, Polish.
const TASKS: &str = "\
# Tasks: Sign-in links

## Phase 1: Setup

- [ ] T001 Create the signin package in src/signin/__init__.py
- [ ] T002 [P] Configure the mail sender in config/mail.toml

## Phase 2: Foundational

- [ ] T003 Add the links table in migrations/0001_links.sql
- [ ] T004 [P] Add the link model in src/signin/models.py
- [ ] T005 [P] Add the mailer in src/signin/mailer.py

## Phase 3: User Story 1 - Sign in with an emailed link (Priority: P1)

- [ ] T006 [P] [US1] Contract test for POST /links in tests/contract/test_links.py
- [ ] T007 [US1] Implement POST /links in src/signin/api.py (depends on T004, T005) (FR-001)

## Phase 4: User Story 2 - Expire old links (Priority: P2)

- [ ] T008 [US2] Expire links in src/signin/expiry.py (FR-002)

## Phase 5: Polish

- [ ] T009 Document the flow in docs/signin.md

## Dependencies & Execution Order

- **Setup (Phase 1)**: No dependencies - can start immediately
- **Foundational (Phase 2)**: Depends on Setup completion - blocks all user stories
";

const DIR: &str = "specs/001-signin";

fn feature(spec: &str, plan: &str, tasks: &str) -> String {
    files(&[
        (&format!("{DIR}/spec.md"), spec),
        (&format!("{DIR}/plan.md"), plan),
        (&format!("{DIR}/tasks.md"), tasks),
    ])
}

/// Every task ticked.
fn all_done(tasks: &str) -> String {
    tasks.replace("- [ ] T", "- [x] T")
}

#[test]
fn claims_spec_kit_feature_folders_only() {
    let config = Config::default();
    let role = |path: &str| match classify(path, &config) {
        Some(FileKind::Dialect(d)) => {
            format!("{} {}", crate::analysis::dialect::name(d.dialect), d.role)
        }
        other => format!("{other:?}"),
    };
    let out: Vec<String> = [
        "specs/001-auth/spec.md",
        "specs/001-auth/plan.md",
        "specs/001-auth/tasks.md",
        "backend/specs/042-search/tasks.md",
        "specs/20250101-120000-auth/tasks.md",
        "specs/main/tasks.md",
        "apps/api/specs/master/spec.md",
        "specs/main/plan.md",
        "specs/mainline/tasks.md",
        "specs/001-auth/research.md",
        "specs/001-auth/checklists/requirements.md",
        "specs/001-auth/checklists/notes.txt",
        "specs/auth/checklists/requirements.md",
        "specs/auth/spec.md",
        "specs/01-auth/tasks.md",
        "specs/1-todo-console-app/spec.md",
        "specs/001/tasks.md",
        "specs/001-auth/TASKS.md",
        ".specify/specs/sorcha-ui/tasks.md",
        ".specify/specs/001-auth/spec.md",
        "apps/api/.specify/specs/auth/plan.md",
        ".specify/specs/sorcha-ui/checklists/requirements.md",
        ".specify/specs/features/tenant-service/tasks.md",
        ".specify/templates/tasks.md",
        ".kiro/specs/001-login/tasks.md",
        "openspec/specs/001-auth/spec.md",
        "docs/stories/001-login.md",
        "issues/backlog/swe-feature-001.md",
    ]
    .iter()
    .map(|p| format!("{p}: {}", role(p)))
    .collect();
    expect![[r#"
        specs/001-auth/spec.md: spec-kit spec
        specs/001-auth/plan.md: spec-kit plan
        specs/001-auth/tasks.md: spec-kit tasks
        backend/specs/042-search/tasks.md: spec-kit tasks
        specs/20250101-120000-auth/tasks.md: spec-kit tasks
        specs/main/tasks.md: spec-kit tasks
        apps/api/specs/master/spec.md: spec-kit spec
        specs/main/plan.md: None
        specs/mainline/tasks.md: None
        specs/001-auth/research.md: None
        specs/001-auth/checklists/requirements.md: spec-kit checklist
        specs/001-auth/checklists/notes.txt: None
        specs/auth/checklists/requirements.md: None
        specs/auth/spec.md: None
        specs/01-auth/tasks.md: spec-kit tasks
        specs/1-todo-console-app/spec.md: spec-kit spec
        specs/001/tasks.md: None
        specs/001-auth/TASKS.md: None
        .specify/specs/sorcha-ui/tasks.md: spec-kit tasks
        .specify/specs/001-auth/spec.md: spec-kit spec
        apps/api/.specify/specs/auth/plan.md: spec-kit plan
        .specify/specs/sorcha-ui/checklists/requirements.md: spec-kit checklist
        .specify/specs/features/tenant-service/tasks.md: None
        .specify/templates/tasks.md: None
        .kiro/specs/001-login/tasks.md: Kiro tasks
        openspec/specs/001-auth/spec.md: OpenSpec spec
        docs/stories/001-login.md: Some(Story)
        issues/backlog/swe-feature-001.md: Some(Issue)"#]]
    .assert_eq(&out.join("\n"));
}

/// Each item of a file: kind, ID, number, title, status, parent, fields,
/// and its written dependencies and covers.
fn items(ws: &Workspace, rel: &str) -> String {
    let file = ws.file(rel).expect("the fixture has the file");
    let mut out = String::new();
    for item in &file.facts.items {
        write!(out, "{} {}", item.kind.name(), item.id).unwrap();
        if let Some(n) = &item.number {
            write!(out, " #{n}").unwrap();
        }
        write!(out, " {:?}", item.title).unwrap();
        if let Some((status, _)) = &item.status {
            write!(out, " [{status}]").unwrap();
        }
        if let Some(parent) = &item.parent {
            write!(out, " in {parent}").unwrap();
        }
        for field in &item.fields {
            write!(out, " {}={}", field.label, field.value(&file.text)).unwrap();
        }
        let written: Vec<&str> = item
            .deps
            .iter()
            .filter(|d| !d.range.is_empty())
            .filter_map(|d| d.target.as_id())
            .collect();
        if !written.is_empty() {
            write!(out, " deps={}", written.join(",")).unwrap();
        }
        let order: Vec<&str> = item
            .deps
            .iter()
            .filter(|d| d.range.is_empty())
            .filter_map(|d| d.target.as_id())
            .collect();
        if !order.is_empty() {
            write!(out, " after={}", order.join(",")).unwrap();
        }
        let covers: Vec<&str> = item
            .covers
            .iter()
            .filter_map(|d| d.target.as_id())
            .collect();
        if !covers.is_empty() {
            write!(out, " covers={}", covers.join(",")).unwrap();
        }
        out.push('\n');
    }
    for r in &file.facts.references {
        writeln!(
            out,
            "reference {} -> {}",
            r.written,
            r.target.as_id().unwrap_or("")
        )
        .unwrap();
    }
    out
}

#[test]
fn reads_the_spec() {
    let ws = workspace(&feature(SPEC, PLAN, TASKS)).workspace;
    expect![[r#"
        feature 001-signin "Sign-in links" [Draft] Feature Branch=`001-signin` Created=2025-03-01 Status=Draft
        requirement 001-signin/US1 #US1 "Sign in with an emailed link" Priority=P1 Acceptance Scenarios=
        requirement 001-signin/US2 #US2 "Expire old links" Priority=P2
        requirement 001-signin/FR-001 #FR-001 "System MUST email a sign-in link to a known work address"
        requirement 001-signin/FR-002 #FR-002 "System MUST expire a link after 15 minutes or one use"
        criterion 001-signin/SC-001 #SC-001 "95% of dispatchers are signed in within two minutes of asking"
    "#]]
    .assert_eq(&items(&ws, &format!("{DIR}/spec.md")));
    expect![[r#"
        reference FR-001 -> 001-signin/FR-001
        reference FR-002 -> 001-signin/FR-002
        reference SC-001 -> 001-signin/SC-001
    "#]]
    .assert_eq(&items(&ws, &format!("{DIR}/plan.md")));
}

#[test]
fn reads_the_task_line_variants_found_in_real_task_lists() {
    let tasks = "\
# Tasks: Variants

## Phase 3.1: Setup

- [x] T001 Plain task in src/a.ts
- [X] **T002** [P] Bold ID, then the marker, in `src/b.ts`
- [x] **T003 [P]** Marker inside the bold in `src/c.ts`:
  - Test that the handler answers 200 (depends on T001)
- [ ] T004 [P] [US1] Story label after the marker in src/d.ts (depends on T002, T003)
- [ ] T005 [US1] [P] Marker after the story label in src/e.ts (after T004)
- [ ] **T006** [P] ⚠️ Write a test in src/f.test.ts
- [ ] T007 [P] [DEFERRED - PROD] Run the load test in tests/load.ts
- [ ] T008: Colon after the ID, no marker
- [ ] Not a task: no ID
```
- [ ] T099 In a code block, not a task
```

## Phase 3.2: Core

### Phase 3.2.1: Models

- [ ] T009 [P] Model in src/models/a.ts (depends on T001-T003)
- [ ] [T010] Bracketed ID (depends on 002-other/T005)

## Dependencies

- T009 → T010 (models before the rest)
- T010 depends on T004
";
    let ws = workspace(&files(&[("specs/001-x/tasks.md", tasks)])).workspace;
    expect![[r#"
        phase 001-x/phase-3.1 #3.1 "Setup"
        task 001-x/T001 #T001 "Plain task in src/a.ts" [done] in 001-x/phase-3.1
        task 001-x/T002 #T002 "Bold ID, then the marker, in `src/b.ts`" [done] in 001-x/phase-3.1 Parallel=P
        task 001-x/T003 #T003 "Marker inside the bold in `src/c.ts`:" [done] in 001-x/phase-3.1 Parallel=P deps=001-x/T001
        task 001-x/T004 #T004 "Story label after the marker in src/d.ts (depends on T002, T003)" [not started] in 001-x/phase-3.1 Parallel=P deps=001-x/T002,001-x/T003 covers=001-x/US1
        task 001-x/T005 #T005 "Marker after the story label in src/e.ts (after T004)" [not started] in 001-x/phase-3.1 Parallel=P deps=001-x/T004 covers=001-x/US1
        task 001-x/T006 #T006 "⚠\u{fe0f} Write a test in src/f.test.ts" [not started] in 001-x/phase-3.1 Parallel=P
        task 001-x/T007 #T007 "Run the load test in tests/load.ts" [not started] in 001-x/phase-3.1 Parallel=P
        task 001-x/T008 #T008 "Colon after the ID, no marker" [not started] in 001-x/phase-3.1 after=001-x/T004,001-x/T005,001-x/T006,001-x/T007
        phase 001-x/phase-3.2 #3.2 "Core"
        phase 001-x/phase-3.2.1 #3.2.1 "Models" in 001-x/phase-3.2
        task 001-x/T009 #T009 "Model in src/models/a.ts (depends on T001-T003)" [not started] in 001-x/phase-3.2.1 Parallel=P deps=001-x/T001,001-x/T002,001-x/T003 after=001-x/T008
        task 001-x/T010 #T010 "Bracketed ID (depends on 002-other/T005)" [not started] in 001-x/phase-3.2.1 deps=002-other/T005,001-x/T009,001-x/T004
        reference T010 -> 001-x/T010
        reference T010 -> 001-x/T010
    "#]]
    .assert_eq(&items(&ws, "specs/001-x/tasks.md"));
}

#[test]
fn reads_tags_written_before_the_id() {
    // Some task lists put `[P]` or the story label between the box and the
    // ID; the task was not read at all.
    let tasks = "\
# Tasks: Tags first

## Phase 1: Setup

- [ ] [P] T001 Set up the project in src/a.ts
- [X] [US1] T002 [P] Add the model in src/b.ts
- [ ] [DEFERRED:006] T003 [US2/US3] Add the end-to-end tests (depends on T001)
- [ ] [T004] Bracketed ID, no tag
- [ ] [P] No ID: not a task
";
    let ws = workspace(&files(&[("specs/001-x/tasks.md", tasks)])).workspace;
    expect![[r#"
        phase 001-x/phase-1 #1 "Setup"
        task 001-x/T001 #T001 "Set up the project in src/a.ts" [not started] in 001-x/phase-1 Parallel=P
        task 001-x/T002 #T002 "Add the model in src/b.ts" [done] in 001-x/phase-1 Parallel=P covers=001-x/US1
        task 001-x/T003 #T003 "Add the end-to-end tests (depends on T001)" [not started] in 001-x/phase-1 deps=001-x/T001 covers=001-x/US2,001-x/US3
        task 001-x/T004 #T004 "Bracketed ID, no tag" [not started] in 001-x/phase-1 after=001-x/T003
    "#]]
    .assert_eq(&items(&ws, "specs/001-x/tasks.md"));
}

/// A task crossed out of the list (`- [x] ~~T021 …~~`) is still the task
/// its ID names, dropped: what depends on it does not dangle.
#[test]
fn a_struck_out_task_is_dropped_not_gone() {
    let tasks = "\
# Tasks

## Phase 1: Setup

- [x] T020 Create the store in src/store.ts
- [x] ~~T021 [P] Add the cache in src/cache.ts~~ (moved to 004)
- [ ] ~~**T022**: Tune the cache~~
- [ ] T023 Wire the store (depends on T021, T022)
- [ ] ~~~ not a strike
";
    let ws = workspace(&files(&[("specs/001-x/tasks.md", tasks)])).workspace;
    expect![[r#"
        phase 001-x/phase-1 #1 "Setup"
        task 001-x/T020 #T020 "Create the store in src/store.ts" [done] in 001-x/phase-1
        task 001-x/T021 #T021 "Add the cache in src/cache.ts" [dropped] in 001-x/phase-1 Parallel=P
        task 001-x/T022 #T022 "Tune the cache" [dropped] in 001-x/phase-1 after=001-x/T021
        task 001-x/T023 #T023 "Wire the store (depends on T021, T022)" [not started] in 001-x/phase-1 deps=001-x/T021,001-x/T022
    "#]]
    .assert_eq(&items(&ws, "specs/001-x/tasks.md"));
    expect![[r#"
        specs/001-x/tasks.md:1:1 speckit-missing-spec (warning): the feature has no `specs/001-x/spec.md`: its user stories and requirements cannot be checked; write the spec (`/speckit.specify`) or restore it
    "#]]
    .assert_eq(&findings(&ws));
}

#[test]
fn reads_tasks_whose_box_follows_the_id() {
    // Task lists some agents write put the box after the ID, under a
    // bullet, a number or nothing at all.
    let tasks = "\
# Tasks: Box after the ID

## Phase 1: Setup

- **T001**: [X] Install the driver in `package.json`
  - **File**: `package.json`
-   **T002**: [x] [P] [US1] Add the client in src/client.ts
*   **T003**: [ ] Wire the client (depends on T002)
1.  **T004**: [x] Create the provider in src/provider.tsx
2.  **T005**: [-] Start the timer in src/timer.ts

**T006**: [X] Update the schema in proto/news.proto
- T007 [x] Configure the lints
- T008: [X] Initialise the repository
- [x] **T009**: Box first, colon after the bold ID
- **T010**: No box, so prose
- T011 [P] No box either
- T012-T014 [x] A range, not a task
";
    let ws = workspace(&files(&[("specs/001-x/tasks.md", tasks)])).workspace;
    expect![[r#"
        phase 001-x/phase-1 #1 "Setup"
        task 001-x/T001 #T001 "Install the driver in `package.json`" [done] in 001-x/phase-1
        task 001-x/T002 #T002 "Add the client in src/client.ts" [done] in 001-x/phase-1 Parallel=P covers=001-x/US1
        task 001-x/T003 #T003 "Wire the client (depends on T002)" [not started] in 001-x/phase-1 deps=001-x/T002
        task 001-x/T004 #T004 "Create the provider in src/provider.tsx" [done] in 001-x/phase-1
        task 001-x/T005 #T005 "Start the timer in src/timer.ts" [in progress] in 001-x/phase-1 after=001-x/T003
        task 001-x/T006 #T006 "Update the schema in proto/news.proto" [done] in 001-x/phase-1
        task 001-x/T007 #T007 "Configure the lints" [done] in 001-x/phase-1
        task 001-x/T008 #T008 "Initialise the repository" [done] in 001-x/phase-1
        task 001-x/T009 #T009 "Box first, colon after the bold ID" [done] in 001-x/phase-1
    "#]]
    .assert_eq(&items(&ws, "specs/001-x/tasks.md"));
}

#[test]
fn reads_requirements_in_their_variants() {
    let spec = "\
# Feature Specification: Variants

- **FR-001**: Bold ID and colon
- **FR-002:** Colon inside the bold
- **FR-030** [OUT OF SCOPE - MVP]: A tag between the ID and the colon
- ~~**FR-035**: Struck out, still defined~~ **[DEFERRED]**
- FR-4: Plain, short number
- **NFR-001**: Non-functional
1. **SC-001**: Numbered list

| ID | Criterion |
|----|-----------|
| SC-002 | In a table |

The checklist says FR-035 was deferred; `FR-009` in code is an example.
";
    let ws = workspace(&files(&[("specs/001-x/spec.md", spec)])).workspace;
    expect![[r#"
        feature 001-x "Variants"
        requirement 001-x/FR-001 #FR-001 "Bold ID and colon"
        requirement 001-x/FR-002 #FR-002 "Colon inside the bold"
        requirement 001-x/FR-030 #FR-030 "A tag between the ID and the colon"
        requirement 001-x/FR-035 #FR-035 "Struck out, still defined"
        requirement 001-x/FR-004 #FR-004 "Plain, short number"
        requirement 001-x/NFR-001 #NFR-001 "Non-functional"
        criterion 001-x/SC-001 #SC-001 "Numbered list"
        criterion 001-x/SC-002 #SC-002 "In a table"
        reference FR-035 -> 001-x/FR-035
    "#]]
    .assert_eq(&items(&ws, "specs/001-x/spec.md"));
}

/// A feature written from spec-kit's templates translated into Chinese, as
/// many real projects write theirs: localized story headings, priorities,
/// phase headings with a full-width colon.
#[test]
fn reads_a_feature_written_in_chinese() {
    let spec = "# 功能规格说明：登录\n\n## 用户场景与测试\n\n### 用户故事 1 — 邮件链接登录（优先级：P1）\n\n调度员通过邮件链接登录。\n\n### 用户故事 2 — 链接过期（优先级：P2）\n\n旧链接失效。\n\n## 需求\n\n- **FR-001**: 系统必须发送登录链接\n";
    let tasks = "# 任务清单：登录\n\n## Phase 1：基础设施\n\n- [ ] T001 创建项目结构\n\n## 阶段 2：用户故事 1 — 邮件链接登录\n\n- [ ] T002 [US1] 实现发送链接 (FR-001)\n- [ ] T003 [US3] 不存在的故事\n";
    let ws = workspace(&files(&[
        (&format!("{DIR}/spec.md"), spec),
        (&format!("{DIR}/tasks.md"), tasks),
    ]))
    .workspace;
    expect![[r#"
        feature 001-signin "登录"
        requirement 001-signin/US1 #US1 "邮件链接登录" Priority=P1
        requirement 001-signin/US2 #US2 "链接过期" Priority=P2
        requirement 001-signin/FR-001 #FR-001 "系统必须发送登录链接"
    "#]]
    .assert_eq(&items(&ws, &format!("{DIR}/spec.md")));
    expect![[r#"
        phase 001-signin/phase-1 #1 "基础设施"
        task 001-signin/T001 #T001 "创建项目结构" [not started] in 001-signin/phase-1
        phase 001-signin/phase-2 #2 "用户故事 1 — 邮件链接登录"
        task 001-signin/T002 #T002 "实现发送链接 (FR-001)" [not started] in 001-signin/phase-2 after=001-signin/T001 covers=001-signin/US1,001-signin/FR-001
        task 001-signin/T003 #T003 "不存在的故事" [not started] in 001-signin/phase-2 after=001-signin/T002 covers=001-signin/US3
    "#]]
    .assert_eq(&items(&ws, &format!("{DIR}/tasks.md")));
    expect![[r#"
        specs/001-signin/spec.md:9:1 speckit-story-without-tasks (warning): user story US2 (链接过期) has no task in tasks.md: add its tasks, labelled `[US2]`
        specs/001-signin/tasks.md:10:13 speckit-unknown-story (warning): `[US3]` names no user story of specs/001-signin/spec.md (it has US1 to US2)
    "#]].assert_eq(&findings(&ws));
}

/// Stories numbered inside their area (`### User Story 1.2 - …`, labelled
/// `[US1.2]`, as eliascoelho911/Listify numbers them per scope) were read
/// as story 1 once per heading, and check reported each a duplicate-id
/// error; now each is a story of its own, which its label, its phase and a
/// "User Story Dependencies" bullet name.
#[test]
fn reads_stories_numbered_inside_an_area() {
    let spec = "# Feature Specification: Lists\n\n### User Story 1.1 - Navigate (Priority: P1)\n\nA user moves between tabs.\n\n### User Story 1.2 - Settings (Priority: P2)\n\nA user opens settings.\n\n### User Story 2.1 - Capture (Priority: P1)\n\nA user captures an item.\n";
    let tasks = "# Tasks\n\n## Phase 1: Setup\n\n- [ ] T001 Create the project in src/app.ts\n\n## Phase 2: US1.1 - Navigate (Priority: P1)\n\n- [ ] T002 [US1.1] Add the bottom bar in src/bar.ts\n\n## Phase 3: US1.2 - Settings (Priority: P2)\n\n- [ ] T003 [US1.2] Add the settings page in src/settings.ts\n- [ ] T004 [US3.1] Add a story that is not there in src/x.ts\n\n## Dependencies\n\n- **User Story 1.2**: Depends on US1.1\n";
    let ws = workspace(&files(&[
        (&format!("{DIR}/spec.md"), spec),
        (&format!("{DIR}/tasks.md"), tasks),
    ]))
    .workspace;
    expect![[r#"
        feature 001-signin "Lists"
        requirement 001-signin/US1.1 #US1.1 "Navigate" Priority=P1
        requirement 001-signin/US1.2 #US1.2 "Settings" Priority=P2
        requirement 001-signin/US2.1 #US2.1 "Capture" Priority=P1
    "#]]
    .assert_eq(&items(&ws, &format!("{DIR}/spec.md")));
    expect![[r#"
        phase 001-signin/phase-1 #1 "Setup"
        task 001-signin/T001 #T001 "Create the project in src/app.ts" [not started] in 001-signin/phase-1
        phase 001-signin/phase-2 #2 "US1.1 - Navigate (Priority: P1)"
        task 001-signin/T002 #T002 "Add the bottom bar in src/bar.ts" [not started] in 001-signin/phase-2 after=001-signin/T001 covers=001-signin/US1.1
        phase 001-signin/phase-3 #3 "US1.2 - Settings (Priority: P2)"
        task 001-signin/T003 #T003 "Add the settings page in src/settings.ts" [not started] in 001-signin/phase-3 after=001-signin/T001,001-signin/T002 covers=001-signin/US1.2
        task 001-signin/T004 #T004 "Add a story that is not there in src/x.ts" [not started] in 001-signin/phase-3 after=001-signin/T003 covers=001-signin/US3.1
    "#]]
    .assert_eq(&items(&ws, &format!("{DIR}/tasks.md")));
    expect![[r#"
        specs/001-signin/spec.md:11:1 speckit-story-without-tasks (warning): user story US2.1 (Capture) has no task in tasks.md: add its tasks, labelled `[US2.1]`
        specs/001-signin/tasks.md:14:13 speckit-unknown-story (warning): `[US3.1]` names no user story of specs/001-signin/spec.md (it has US1.1 to US2.1)
    "#]].assert_eq(&findings(&ws));
}

/// Stories headed `### US-1: Title` (with a dash, as Sorcha-Platform/Sorcha's
/// specs/master/spec.md writes them) defined no story, and every `[US1]`
/// of tasks.md was an unknown story; now the dash is read as in `US1`, on
/// the heading and on a label (`[US-2]`).
#[test]
fn reads_stories_headed_with_a_dash() {
    let spec = "# Interactive mode\n\n## User Stories\n\n### US-1: Basic session\n\nA user opens a session.\n\n### US-2: History\n\nA user recalls a command.\n";
    let tasks = "# Tasks\n\n## Phase 1: US-1 - Basic session\n\n- [ ] T001 [US1] Add the loop in src/repl.rs\n- [ ] T002 [US-2] Add the history in src/history.rs\n";
    let ws = workspace(&files(&[
        (&format!("{DIR}/spec.md"), spec),
        (&format!("{DIR}/tasks.md"), tasks),
    ]))
    .workspace;
    expect![[r#"
        feature 001-signin "Interactive mode"
        requirement 001-signin/US1 #US1 "Basic session"
        requirement 001-signin/US2 #US2 "History"
    "#]]
    .assert_eq(&items(&ws, &format!("{DIR}/spec.md")));
    expect![[r#""#]].assert_eq(&findings(&ws));
}

#[test]
fn a_clean_feature_has_no_findings() {
    check(&feature(SPEC, PLAN, TASKS), expect![""]);
}

/// A task written as a heading (`### T010: Title`), as some real task
/// lists do, has no box for /speckit.implement to tick, and a checklist
/// line left with the template's `TXXX` is not read: both are reported. A
/// heading over a task of its ID that a checklist line writes is not, nor
/// is either shape in a code block.
#[test]
fn task_shape_fires_on_task_headings_and_placeholder_ids() {
    let tasks = edit(
        TASKS,
        "- [ ] T009 Document the flow in docs/signin.md\n",
        "- [ ] T009 Document the flow in docs/signin.md\n- [ ] TXXX [P] Additional unit tests in tests/unit/\n\n### T010: Load test\n**Dependencies**: T009\n\n### T009\n\n### T012: Soak test\n\n### T013: Spike test\n\n```markdown\n### T011: Example\n- [ ] TXXX Example\n```\n",
    );
    check(
        &feature(SPEC, PLAN, &tasks),
        expect![[r#"
            specs/001-signin/tasks.md:26:1 speckit-task-shape (warning): `TXXX` is the template's placeholder, so this task is not read: give it an ID of its own (the next free one is `T014`)
            specs/001-signin/tasks.md:28:1 speckit-task-shape (warning): T010 (and 2 more tasks) are written as headings, not as checklist lines (`- [ ] T010 Title`): /speckit.implement ticks a task's box when it is done and a heading has none, so they count as open until the heading or a `**Status**:` line under it says done
        "#]],
    );
}

/// Tasks written as headings, as real task lists write them (`### T001:
/// Title` with `**Status**:` and `**Dependencies**:` lines, `#### T004:
/// Title [P]`, `### T005 - Title ✅`), are read: ID, title, status, `[P]`
/// and dependencies, so they are planned and what they name is checked (a
/// misspelt `T019`). A heading over a task a checklist line writes gives
/// that task its dependencies; a range heading (`### T020-T022`) and a
/// heading in a code block are no tasks.
#[test]
fn tasks_written_as_headings_are_read() {
    let tasks = "\
# Tasks: Sign-in links

## Phase 1: Setup

- [x] T001 Create the signin package in src/signin/__init__.py
- [ ] T002 Configure the mail sender in config/mail.toml

## Phase 2: Core

### T003: Add the links table
**Status**: ✅ Complete
**Dependencies**: T001

#### T004: Add the link model [P]
**File**: `src/signin/models.py`

**Acceptance**:
- [ ] The model compiles

#### T005 - Add the mailer in src/signin/mailer.py [P] ✅

### T006 [P]: Implement POST /links (FR-001)
- **Blocked By**: [T004, T005]
- **Status**: In Progress

### T007: Expire links — COMPLETE

### T008: Document the flow
**Dependencies**: T006, T019

### T020-T022: Later work

```markdown
### T011: Example
```

## Task Details

### T002: Mail sender
**Dependencies**: T001
";
    let ws = workspace(&feature(SPEC, PLAN, tasks)).workspace;
    expect![[r#"
        phase 001-signin/phase-1 #1 "Setup"
        task 001-signin/T001 #T001 "Create the signin package in src/signin/__init__.py" [done] in 001-signin/phase-1
        task 001-signin/T002 #T002 "Configure the mail sender in config/mail.toml" [not started] in 001-signin/phase-1 deps=001-signin/T001
        phase 001-signin/phase-2 #2 "Core"
        task 001-signin/T003 #T003 "Add the links table" [✅ Complete] in 001-signin/phase-2 deps=001-signin/T001
        task 001-signin/T004 #T004 "Add the link model" in 001-signin/phase-2 Parallel=P after=001-signin/T002
        task 001-signin/T005 #T005 "Add the mailer in src/signin/mailer.py" [✅] in 001-signin/phase-2 Parallel=P
        task 001-signin/T006 #T006 "Implement POST /links (FR-001)" [In Progress] in 001-signin/phase-2 Parallel=P deps=001-signin/T004,001-signin/T005 after=001-signin/T002 covers=001-signin/FR-001
        task 001-signin/T007 #T007 "Expire links" [COMPLETE] in 001-signin/phase-2
        task 001-signin/T008 #T008 "Document the flow" in 001-signin/phase-2 deps=001-signin/T006,001-signin/T019 after=001-signin/T004
    "#]]
    .assert_eq(&items(&ws, &format!("{DIR}/tasks.md")));
    expect![[r#"
        specs/001-signin/tasks.md:10:1 speckit-task-shape (warning): T003 (and 5 more tasks) are written as headings, not as checklist lines (`- [ ] T003 Title`): /speckit.implement ticks a task's box when it is done and a heading has none, so they count as open until the heading or a `**Status**:` line under it says done
        specs/001-signin/tasks.md:23:20 speckit-dependency-order (warning): T006 is marked [P] but depends on T004, which runs beside it in the same [P] run of Phase 2: drop the [P] of T006 or the dependency
        specs/001-signin/tasks.md:29:25 dangling-dependency (error): `T019` names no known task of `001-signin`; did you mean `T001`?
    "#]]
    .assert_eq(&findings(&ws));
    expect![[r#"
        1: 001-signin/T002
        2: 001-signin/T004
        3: 001-signin/T006"#]]
    .assert_eq(&waves(&ws));
}

/// A heading task's dependency line written in the spec's language
/// (`**依存**: T001`, `**依赖**：T002` with a full-width colon, `- **Depende
/// de**: T003`, `**Dependências:** T004`) was not read: the task waited for
/// nothing in the plan and a misspelt ID went unreported. Such lines are
/// read as `**Dependencies**:` is, as are the same words after a checklist
/// task (`(依存: T001)`).
#[test]
fn heading_tasks_read_dependency_labels_in_other_languages() {
    let tasks = "\
# Tasks: Sign-in links

## Phase 1: Setup

- [ ] T001 Create the signin package in src/signin/__init__.py
- [ ] T002 Configure the mail sender (依存: T001)

## Phase 2: Core

### T003: Add the links table
**依存**: T001

### T004: Add the link model
**依赖**：T002, T003

### T005: Add the mailer
- **Depende de**: T004

### T006: Document the flow
**Dependências:** T005, T091
";
    let ws = workspace(&feature(SPEC, PLAN, tasks)).workspace;
    expect![[r#"
        phase 001-signin/phase-1 #1 "Setup"
        task 001-signin/T001 #T001 "Create the signin package in src/signin/__init__.py" [not started] in 001-signin/phase-1
        task 001-signin/T002 #T002 "Configure the mail sender (依存: T001)" [not started] in 001-signin/phase-1 deps=001-signin/T001
        phase 001-signin/phase-2 #2 "Core"
        task 001-signin/T003 #T003 "Add the links table" in 001-signin/phase-2 deps=001-signin/T001 after=001-signin/T002
        task 001-signin/T004 #T004 "Add the link model" in 001-signin/phase-2 deps=001-signin/T002,001-signin/T003
        task 001-signin/T005 #T005 "Add the mailer" in 001-signin/phase-2 deps=001-signin/T004
        task 001-signin/T006 #T006 "Document the flow" in 001-signin/phase-2 deps=001-signin/T005,001-signin/T091
    "#]]
    .assert_eq(&items(&ws, &format!("{DIR}/tasks.md")));
    expect![[r#"
        specs/001-signin/tasks.md:10:1 speckit-task-shape (warning): T003 (and 3 more tasks) are written as headings, not as checklist lines (`- [ ] T003 Title`): /speckit.implement ticks a task's box when it is done and a heading has none, so they count as open until the heading or a `**Status**:` line under it says done
        specs/001-signin/tasks.md:20:25 dangling-dependency (error): `T091` names no known task of `001-signin`; did you mean `T001`?
    "#]]
    .assert_eq(&findings(&ws));
}

/// The bracketed placeholders of spec-kit's templates left in a spec, a
/// plan or a task list are `placeholder-text`, the feature folder's
/// `[###-feature-name]` in inline code too. What filled-in files write in
/// brackets is not: task markers (`[P]`, `[US1]`, `[X]`), the task format
/// legend (`[Story]`), tags (`[OUT OF SCOPE]`), links, path segments
/// (`app/[locale]/page.tsx`), code blocks, and the example rows of the
/// plan's Complexity Tracking table, filled only to justify a violation.
#[test]
fn template_placeholders_left_in_spec_kit_files() {
    let spec = edit(
        SPEC,
        "**Feature Branch**: `001-signin`\n**Created**: 2025-03-01",
        "**Feature Branch**: `[###-feature-name]`\n**Created**: [DATE]",
    );
    let spec = edit(
        &spec,
        "### User Story 2 - Expire old links (Priority: P2)",
        "### User Story 2 - [Brief Title] (Priority: P2)\n\n[Describe this user journey in plain language]",
    );
    let spec = edit(
        &spec,
        "- **FR-002**: System MUST expire a link after 15 minutes or one use",
        "- **FR-002** [OUT OF SCOPE]: System MUST expire a link, see [the RFC](https://example.com/rfc)\n- **SC-002**: [Measurable metric, e.g., \"Users sign in in under 2 minutes\"]",
    );
    let plan = format!(
        "{PLAN}\n## Complexity Tracking\n\n| Violation | Why Needed |\n|---|---|\n| [e.g., 4th project] | [current need] |\n\n## Structure\n\n[Gates determined based on constitution file]\n\n```text\nspecs/[###-feature]/\n```\n"
    );
    let tasks = edit(
        TASKS,
        "# Tasks: Sign-in links\n",
        "# Tasks: Sign-in links\n\n- **[P]**: Can run in parallel\n- **[Story]**: Which user story this task belongs to\n",
    );
    let tasks = edit(
        &tasks,
        "- [ ] T001 Create the signin package in src/signin/__init__.py",
        "- [X] T001 Initialize [language] project with [framework] dependencies",
    );
    let tasks = edit(
        &tasks,
        "- [ ] T003 Add the links table in migrations/0001_links.sql",
        "- [ ] T003 Create [Entity1] model in src/models/[entity1].py and app/[locale]/page.tsx",
    );
    check(
        &feature(&spec, &plan, &tasks),
        expect![[r#"
            specs/001-signin/plan.md:17:1 placeholder-text (warning): template placeholder `[Gates determined based on constitution file]` was left unfilled
            specs/001-signin/spec.md:3:22 placeholder-text (warning): template placeholder `[###-feature-name]` was left unfilled
            specs/001-signin/spec.md:4:14 placeholder-text (warning): template placeholder `[DATE]` was left unfilled
            specs/001-signin/spec.md:17:20 placeholder-text (warning): template placeholder `[Brief Title]` was left unfilled
            specs/001-signin/spec.md:19:1 placeholder-text (warning): template placeholder `[Describe this user journey in plain language]` was left unfilled
            specs/001-signin/spec.md:29:15 placeholder-text (warning): template placeholder `[Measurable metric, e.g., "Users sign in in under 2 minutes"]` was left unfilled
            specs/001-signin/tasks.md:8:23 placeholder-text (warning): template placeholder `[language]` was left unfilled
            specs/001-signin/tasks.md:8:47 placeholder-text (warning): template placeholder `[framework]` was left unfilled
            specs/001-signin/tasks.md:13:19 placeholder-text (warning): template placeholder `[Entity1]` was left unfilled
        "#]],
    );
}

/// A placeholder with another inside (`[e.g., [FEATURE]]`, `[Link to
/// [FEATURE NAME]]`) was read up to its first `]`: the first was reported
/// as `[e.g., [FEATURE]`, and in the second the inner `[FEATURE NAME]` was
/// passed over with the rest. Brackets now nest: an outer placeholder is
/// reported whole, an inner one on its own when the outer is none. Double
/// brackets (`[[FEATURE]]`, a wiki link) and a link's text are left alone.
#[test]
fn a_placeholder_runs_to_the_bracket_that_closes_it() {
    let spec = edit(
        SPEC,
        "**Created**: 2025-03-01",
        "**Created**: 2025-03-01\n**Example**: [e.g., [FEATURE] in one sentence]\n**Spec**: [Link to [FEATURE NAME]]\n**Wiki**: [[FEATURE]], [see [DATE]](https://example.com)",
    );
    check(
        &feature(&spec, PLAN, TASKS),
        expect![[r#"
            specs/001-signin/spec.md:5:14 placeholder-text (warning): template placeholder `[e.g., [FEATURE] in one sentence]` was left unfilled
            specs/001-signin/spec.md:6:20 placeholder-text (warning): template placeholder `[FEATURE NAME]` was left unfilled
        "#]],
    );
}

/// A spec about the workflow's own folders writes their name pattern
/// (`specs/[number]-[feature-name]/`, `a branch matching
/// [number]-[feature-name]`, as deepagents-runner's spec does): `[number]`
/// was reported as the first workflow's placeholder left unfilled, though
/// spec-kit's own placeholders in a path were already left alone. Both
/// are now, and so is a slot joined by a dash to another; a placeholder
/// standing alone is still reported.
#[test]
fn a_slot_of_a_path_or_name_pattern_is_no_placeholder() {
    let spec = edit(
        SPEC,
        "**Created**: 2025-03-01",
        "**Created**: 2025-03-01\n**State**: specs/[number]-[feature-name]/.state/\n**Branch**: a name matching [number]-[feature-name]\n**Count**: [number]",
    );
    check(
        &feature(&spec, PLAN, TASKS),
        expect![[r#"
            specs/001-signin/spec.md:7:12 placeholder-text (warning): template placeholder `[number]` was left unfilled
        "#]],
    );
}

#[test]
fn unknown_story() {
    let tasks = edit(TASKS, "T008 [US2]", "T008 [US3]");
    check(
        &feature(SPEC, PLAN, &tasks),
        expect![[r#"
            specs/001-signin/tasks.md:21:13 speckit-unknown-story (warning): `[US3]` names no user story of specs/001-signin/spec.md (it has US1 to US2)
        "#]],
    );
    // A spec written before user stories were numbered.
    let spec = edit(
        SPEC,
        "### User Story 1 - Sign in with an emailed link (Priority: P1)",
        "### Primary User Story",
    );
    let spec = edit(
        &spec,
        "### User Story 2 - Expire old links (Priority: P2)",
        "### Another one",
    );
    check(
        &feature(&spec, PLAN, TASKS),
        expect![[r#"
            specs/001-signin/tasks.md:16:17 speckit-unknown-story (warning): `[US1]` names no user story of specs/001-signin/spec.md (it has no `### User Story N - Title` headings)
            specs/001-signin/tasks.md:17:13 speckit-unknown-story (warning): `[US1]` names no user story of specs/001-signin/spec.md (it has no `### User Story N - Title` headings)
            specs/001-signin/tasks.md:21:13 speckit-unknown-story (warning): `[US2]` names no user story of specs/001-signin/spec.md (it has no `### User Story N - Title` headings)
        "#]],
    );
}

#[test]
fn story_without_tasks() {
    let spec = edit(
        SPEC,
        "## Requirements",
        "### User Story 3 - Revoke a link (Priority: P3)\n\nAn admin revokes a link.\n\n## Requirements",
    );
    check(
        &feature(&spec, PLAN, TASKS),
        expect![[r#"
            specs/001-signin/spec.md:21:1 speckit-story-without-tasks (warning): user story US3 (Revoke a link) has no task in tasks.md: add its tasks, labelled `[US3]`
        "#]],
    );
    // A task in the story's phase implements it, labelled or not.
    let tasks = edit(TASKS, "T008 [US2]", "T008");
    check(&feature(SPEC, PLAN, &tasks), expect![""]);
    // One tag naming two stories, as `[US2/US3]`, `[US2+US3]` or
    // `[US2 & US3]` write it, gives the task to both.
    for joined in ["[US2/US3]", "[US2+US3]", "[US2 & US3]"] {
        let tasks = edit(TASKS, "T008 [US2]", &format!("T008 {joined}"));
        check(&feature(&spec, PLAN, &tasks), expect![""]);
    }
    // Tasks that name no story at all (spec-kit before story phases) are
    // not held against the stories.
    let old = "# Tasks\n\n## Phase 3.1: Setup\n\n- [ ] T001 Create the package in src/a.py\n";
    check(&feature(&spec, PLAN, old), expect![""]);
}

/// A task list that says a story has no tasks on purpose (`- User Story 3
/// (P3 - Uninstall): 0 tasks (out of scope - handled by the platform)`, as
/// speck's summary writes it) was still told the story has no task; now
/// the story is left alone. A line naming the story without saying so, or
/// naming another story, changes nothing.
#[test]
fn a_story_the_task_list_leaves_out_on_purpose_is_not_reported() {
    let spec = edit(
        SPEC,
        "## Requirements",
        "### User Story 3 - Revoke a link (Priority: P3)\n\nAn admin revokes a link.\n\n### User Story 4 - Audit links (Priority: P3)\n\nAn admin audits links.\n\n## Requirements",
    );
    let tasks = format!(
        "{TASKS}\n## Summary\n\n- User Story 3 (P3 - Revoke): 0 tasks (out of scope - handled by the admin console)\n- User Story 14: 0 tasks (out of scope)\n- US4 waits for a design\n"
    );
    check(
        &feature(&spec, PLAN, &tasks),
        expect![[r#"
            specs/001-signin/spec.md:25:1 speckit-story-without-tasks (warning): user story US4 (Audit links) has no task in tasks.md: add its tasks, labelled `[US4]`
        "#]],
    );
}

/// A task list written in another language says the same in its own
/// words (`**User Story 10** foi OMITIDA conforme solicitado`, as
/// eliascoelho911/Listify's summary writes it); a word that only holds one
/// of those words (`promise`, holding French `omis`) says nothing.
#[test]
fn a_story_left_out_in_another_language_is_not_reported() {
    let spec = edit(
        SPEC,
        "## Requirements",
        "### User Story 3 - Revoke a link (Priority: P3)\n\nAn admin revokes a link.\n\n## Requirements",
    );
    let reported = |line: &str| {
        let tasks = format!("{TASKS}\n## Summary\n\n{line}\n");
        findings(&workspace(&feature(&spec, PLAN, &tasks)).workspace)
            .contains("speckit-story-without-tasks")
    };
    let out: Vec<String> = [
        "- **User Story 3 (Revogar links)** foi OMITIDA conforme solicitado",
        "- Historia de usuario 3: omitida a petición del cliente",
        "- User Story 3 : omise (hors périmètre)",
        "- User Story 3: ausgelassen",
        "- User Story 3: omitted for now",
        "- User Story 3: we promise it next",
    ]
    .iter()
    .map(|line| {
        format!(
            "{line}: {}",
            if reported(line) {
                "reported"
            } else {
                "left alone"
            }
        )
    })
    .collect();
    expect![[r#"
        - **User Story 3 (Revogar links)** foi OMITIDA conforme solicitado: left alone
        - Historia de usuario 3: omitida a petición del cliente: left alone
        - User Story 3 : omise (hors périmètre): left alone
        - User Story 3: ausgelassen: left alone
        - User Story 3: omitted for now: left alone
        - User Story 3: we promise it next: reported"#]]
    .assert_eq(&out.join("\n"));
}

#[test]
fn parallel_same_file() {
    let tasks = edit(
        TASKS,
        "in src/signin/mailer.py",
        "in `src/signin/models.py`",
    );
    check(
        &feature(SPEC, PLAN, &tasks),
        expect![[r#"
            specs/001-signin/tasks.md:12:35 speckit-parallel-same-file (warning): T005 and T004 run side by side in one [P] run of Phase 2 but both change `src/signin/models.py`: two agents would edit it at once; drop the [P] of T005 so it runs after T004
                = specs/001-signin/tasks.md:11:38 T004 changes `src/signin/models.py` too
        "#]],
    );
    // The same file in another phase, or without [P], runs in turn; two
    // [P] tasks may add files to one folder.
    let tasks = edit(TASKS, "in src/signin/mailer.py", "in src/signin/");
    let tasks = edit(&tasks, "in src/signin/models.py", "in src/signin/");
    check(&feature(SPEC, PLAN, &tasks), expect![""]);
    let tasks = edit(TASKS, "in src/signin/api.py", "in src/signin/models.py");
    let tasks = edit(
        &tasks,
        "T009 Document the flow in docs/signin.md",
        "T009 [P] Tidy src/signin/models.py",
    );
    check(&feature(SPEC, PLAN, &tasks), expect![""]);
    // Two [P] runs of one phase, with a task without [P] between them,
    // run one after the other.
    let tasks = edit(
        TASKS,
        "- [ ] T008 [US2]",
        "- [ ] T007a [P] [US1] Cover the errors in tests/contract/test_links.py\n- [ ] T008 [US2]",
    );
    check(&feature(SPEC, PLAN, &tasks), expect![""]);
    // A checked task has run: `/implement` runs only the open ones, so a
    // done task shares its file with no one, whichever of the two it is.
    let same_file = edit(TASKS, "in src/signin/mailer.py", "in src/signin/models.py");
    for done in ["- [x] T004", "- [X] T005"] {
        let tasks = edit(&same_file, &done.replace(['x', 'X'], " "), done);
        check(&feature(SPEC, PLAN, &tasks), expect![""]);
    }
}

#[test]
fn parallel_same_file_quick_fix_drops_the_marker() {
    let tasks = edit(TASKS, "in src/signin/mailer.py", "in src/signin/models.py");
    let ws = workspace(&feature(SPEC, PLAN, &tasks)).workspace;
    let d = check_workspace(&ws)
        .into_iter()
        .find(|d| d.rule == super::PARALLEL_SAME_FILE)
        .expect("the finding");
    let file = ws.file(&d.rel).expect("the file");
    let actions = super::fixes(&ws, file, &d);
    let [action] = actions.as_slice() else {
        panic!("one fix, got {actions:?}");
    };
    let mut text = file.text.to_string();
    for change in &action.changes {
        if let crate::analysis::actions::Change::Edit { edits, .. } = change {
            for (range, new) in edits.iter().rev() {
                text.replace_range(range.start()..range.end(), new);
            }
        }
    }
    assert_eq!(action.title, "Drop the [P] of T005");
    assert!(
        text.contains("- [ ] T005 Add the mailer in src/signin/models.py"),
        "{text}"
    );
}

#[test]
fn dependency_order() {
    // A dependency on a later phase, on a later task of the phase, and a
    // [P] task that depends on a [P] task of its own run.
    let tasks = edit(
        TASKS,
        "T001 Create the signin package in src/signin/__init__.py",
        "T001 Create the signin package in src/signin/__init__.py (depends on T007)",
    );
    let tasks = edit(
        &tasks,
        "T003 Add the links table in migrations/0001_links.sql",
        "T003 Add the links table in migrations/0001_links.sql (depends on T005)",
    );
    let tasks = edit(
        &tasks,
        "T004 [P] Add the link model in src/signin/models.py",
        "T004 [P] Add the link model in src/signin/models.py (depends on T005)",
    );
    check(
        &feature(SPEC, PLAN, &tasks),
        expect![[r#"
            specs/001-signin/tasks.md:5:76 speckit-dependency-order (warning): T001 (Phase 1) depends on T007 of Phase 3, a later phase: move T001 there or drop the dependency
            specs/001-signin/tasks.md:10:73 speckit-dependency-order (warning): T003 depends on T005, which comes after it in Phase 2: tasks of a phase run from the top, so move T003 below them
            specs/001-signin/tasks.md:11:71 speckit-dependency-order (warning): T004 is marked [P] but depends on T005, which runs beside it in the same [P] run of Phase 2: drop the [P] of T004 or the dependency
        "#]],
    );
    // Checked tasks have run: their order decides nothing any more.
    let done = edit(&tasks, "- [ ] T001", "- [x] T001");
    let done = edit(&done, "- [ ] T004", "- [X] T004");
    check(
        &feature(SPEC, PLAN, &done),
        expect![[r#"
            specs/001-signin/tasks.md:5:76 done-with-open-dependency (warning): `T001` is done but its dependency `T007` is not
            specs/001-signin/tasks.md:10:73 speckit-dependency-order (warning): T003 depends on T005, which comes after it in Phase 2: tasks of a phase run from the top, so move T003 below them
            specs/001-signin/tasks.md:11:71 done-with-open-dependency (warning): `T004` is done but its dependency `T005` is not
        "#]],
    );
    // Earlier phases, and a task without [P] in its own phase, are fine;
    // so is a statement of the Dependencies section that agrees.
    let tasks = edit(
        TASKS,
        "T009 Document the flow in docs/signin.md",
        "T009 Document the flow in docs/signin.md (depends on T001)",
    );
    let tasks = edit(
        &tasks,
        "- **Setup (Phase 1)**",
        "- T008 depends on T003\n- **Setup (Phase 1)**",
    );
    check(&feature(SPEC, PLAN, &tasks), expect![""]);
    // A [P] task runs after the tasks above its run, so depending on one
    // of them is the order itself; a [P] task beside it still runs at the
    // same time, unless it is done.
    let tasks = edit(
        TASKS,
        "T004 [P] Add the link model in src/signin/models.py",
        "T004 [P] Add the link model in src/signin/models.py (depends on T003)",
    );
    check(&feature(SPEC, PLAN, &tasks), expect![""]);
    let tasks = edit(
        TASKS,
        "T005 [P] Add the mailer in src/signin/mailer.py",
        "T005 [P] Add the mailer in src/signin/mailer.py (depends on T004)",
    );
    check(
        &feature(SPEC, PLAN, &tasks),
        expect![[r#"
            specs/001-signin/tasks.md:12:67 speckit-dependency-order (warning): T005 is marked [P] but depends on T004, which runs beside it in the same [P] run of Phase 2: drop the [P] of T005 or the dependency
        "#]],
    );
    let tasks = edit(&tasks, "- [ ] T004", "- [x] T004");
    check(&feature(SPEC, PLAN, &tasks), expect![""]);
}

#[test]
fn a_dependency_on_a_later_phase_is_no_cycle() {
    // The written dependency wins over the phase order: T001 waits for
    // T007, nothing waits for T001 through the order, no cycle.
    let tasks = edit(
        TASKS,
        "T001 Create the signin package in src/signin/__init__.py",
        "T001 Create the signin package in src/signin/__init__.py (depends on T007)",
    );
    let ws = workspace(&feature(SPEC, PLAN, &tasks)).workspace;
    let plan = crate::analysis::plan::plan(&Graph::build(&ws));
    assert!(plan.cycles.is_empty(), "{:?}", plan.cycles);
    assert_eq!(
        plan.wave_of("001-signin/T001"),
        Some(plan.wave_of("001-signin/T007").unwrap() + 1)
    );
}

#[test]
fn unknown_requirement() {
    let tasks = edit(TASKS, "(FR-002)", "(FR-002, FR-009)");
    let plan = edit(PLAN, "SC-001 is measured", "SC-004 is measured");
    check(
        &feature(SPEC, &plan, &tasks),
        expect![[r#"
            specs/001-signin/plan.md:7:48 speckit-unknown-requirement (warning): `SC-004` is not defined in specs/001-signin/spec.md (it defines SC-001 only)
            specs/001-signin/tasks.md:21:64 speckit-unknown-requirement (warning): `FR-009` is not defined in specs/001-signin/spec.md (it defines FR-001 to FR-002)
        "#]],
    );
    // Another feature's requirement is looked up in its own spec; a
    // feature without one defines nothing.
    let other = "# Feature Specification: Search\n\n- **FR-001**: Search by name\n";
    let tasks = edit(
        TASKS,
        "(FR-002)",
        "(FR-002, 002-search/FR-001, 002-search/FR-002, 003-none/FR-001)",
    );
    let mut fixture = feature(SPEC, PLAN, &tasks);
    fixture.push_str(&files(&[("specs/002-search/spec.md", other)]));
    check(
        &fixture,
        expect![[r#"
            specs/001-signin/tasks.md:21:83 speckit-unknown-requirement (warning): `002-search/FR-002` is not defined in specs/002-search/spec.md (it defines FR-001 only)
            specs/001-signin/tasks.md:21:102 speckit-unknown-requirement (warning): `003-none/FR-001` is not defined: there is no specs/003-none/spec.md
        "#]],
    );
}

/// A spec that numbers its requirements under groups (`### FR-1: Router`,
/// then `**FR-1.8**: …`, as Sorcha-Platform/Sorcha's later specs do) defines
/// none that planmark reads, and plan.md's `FR-1.8` was reported as an
/// unknown `FR-1`; now an ID numbered below another is not reported. A
/// plain `FR-009` still is.
#[test]
fn a_requirement_numbered_under_a_group_is_not_unknown() {
    let spec = "# Feature Specification: Router\n\n## Requirements\n\n### FR-1: Router\n\n**FR-1.1**: The router keeps a table of peers.\n\n**FR-1.8**: The router accepts anonymous connections.\n";
    let plan = "# Implementation Plan: Router\n\n| Principle | Status |\n|---|---|\n| Security | PASS: anonymous connections (spec FR-1.8) |\n";
    let tasks = "# Tasks\n\n## Phase 1: Setup\n\n- [ ] T001 Create the router in src/router.rs (FR-1.1, FR-009)\n";
    check(
        &feature(spec, plan, tasks),
        expect![[r#"
            specs/001-signin/tasks.md:5:56 speckit-unknown-requirement (warning): `FR-009` is not defined in specs/001-signin/spec.md (it defines no FR- IDs)
        "#]],
    );
}

#[test]
fn open_clarification() {
    let spec = edit(
        SPEC,
        "- **FR-002**: System MUST expire a link after 15 minutes or one use",
        "- **FR-002**: System MUST expire a link after [NEEDS CLARIFICATION: how long?]\n- ~~**FR-003**: [NEEDS CLARIFICATION: SSO?]~~ deferred",
    );
    // Not started: asking is what a spec is for.
    check(&feature(&spec, PLAN, TASKS), expect![""]);
    let started = edit(TASKS, "- [ ] T001", "- [x] T001");
    check(
        &feature(&spec, PLAN, &started),
        expect![[r#"
            specs/001-signin/spec.md:26:47 speckit-open-clarification (warning): the spec still asks for a clarification while 1 of 9 tasks of tasks.md are under way or done: settle it (`/speckit.clarify`) before more is built on a guess
        "#]],
    );
    let status = edit(SPEC, "**Status**: Draft", "**Status**: Implemented");
    let spec = edit(
        &status,
        "- **FR-002**: System MUST expire a link after 15 minutes or one use",
        "- **FR-002**: System MUST expire a link after [NEEDS CLARIFICATION: how long?]",
    );
    check(
        &feature(&spec, PLAN, &all_done(TASKS)),
        expect![[r#"
            specs/001-signin/spec.md:26:47 speckit-clarification-after-done (error): the spec still asks for a clarification but all 9 tasks of tasks.md are done: record the decision the work made, or remove the question
        "#]],
    );
}

/// A checklist as `/speckit.checklist` writes it: items under headings,
/// one open, one in a code block that is only an example.
const CHECKLIST: &str = "# Security Checklist: Sign-in\n\n**Purpose**: Validate the requirements\n\n## Requirement Completeness\n\n- [x] CHK001 Are lockout rules specified? [Spec §FR-002]\n- [ ] CHK002 Is link expiry defined for every channel? [Gap]\n* [X] CHK003 Are errors named?\n\n```markdown\n- [ ] CHK999 An example item\n```\n";

#[test]
fn open_checklist() {
    let with_checklist = |tasks: &str, checklist: &str| {
        feature(SPEC, PLAN, tasks)
            + &files(&[(&format!("{DIR}/checklists/security.md"), checklist)])
    };
    // Before the work starts, a checklist is still being worked through.
    check(&with_checklist(TASKS, CHECKLIST), expect![""]);
    let started = edit(TASKS, "- [ ] T001", "- [x] T001");
    check(
        &with_checklist(&started, CHECKLIST),
        expect![[r#"
            specs/001-signin/checklists/security.md:8:3 speckit-open-checklist (warning): checklist `security.md` has 1 of 3 items unchecked while 1 of 9 tasks of tasks.md are under way or done: `/speckit.implement` stops at an incomplete checklist; check what holds, or settle the rest
        "#]],
    );
    // A complete checklist passes the gate.
    let complete = edit(CHECKLIST, "- [ ] CHK002", "- [x] CHK002");
    check(&with_checklist(&started, &complete), expect![""]);
}

#[test]
fn draft_when_done() {
    check(
        &feature(SPEC, PLAN, &all_done(TASKS)),
        expect![[r#"
            specs/001-signin/spec.md:5:13 speckit-draft-when-done (info): the spec is still `Draft` but all 9 tasks of tasks.md are done: give it the status it has reached
        "#]],
    );
    // One task open, or a status that moved on: silent.
    let tasks = edit(&all_done(TASKS), "- [x] T009", "- [ ] T009");
    check(&feature(SPEC, PLAN, &tasks), expect![""]);
    let spec = edit(SPEC, "**Status**: Draft", "**Status**: Implemented");
    check(&feature(&spec, PLAN, &all_done(TASKS)), expect![""]);
    // A header whose line breaks were lost: the status ends where the
    // next field starts.
    let joined = edit(
        SPEC,
        "`001-signin`\n**Created**: 2025-03-01\n**Status**: Draft",
        "`001-signin` **Created**: 2025-03-01\n**Status**: Draft **Input**: User description: \"links\"",
    );
    check(
        &feature(&joined, PLAN, &all_done(TASKS)),
        expect![[r#"
            specs/001-signin/spec.md:4:13 speckit-draft-when-done (info): the spec is still `Draft` but all 9 tasks of tasks.md are done: give it the status it has reached
        "#]],
    );
}

/// The quick fixes of a finished draft write the status it has reached in
/// place of the word `Draft`, keeping what follows it.
#[test]
fn draft_when_done_quick_fix_sets_the_status() {
    let spec = edit(SPEC, "**Status**: Draft", "**Status**: Draft - second pass");
    let ws = workspace(&feature(&spec, PLAN, &all_done(TASKS))).workspace;
    let d = check_workspace(&ws)
        .into_iter()
        .find(|d| d.rule == super::DRAFT_WHEN_DONE)
        .expect("the finding");
    let file = ws.file(&d.rel).expect("the file");
    let fixed: Vec<String> = super::fixes(&ws, file, &d)
        .iter()
        .map(|action| {
            let [crate::analysis::actions::Change::Edit { edits, .. }] = &action.changes[..] else {
                panic!("one edit: {:?}", action.changes);
            };
            let text =
                crate::analysis::actions::apply::apply_edits(&file.text, edits).expect("applies");
            let status = text
                .lines()
                .find(|l| l.starts_with("**Status**"))
                .unwrap_or("");
            format!("{} ({}): {status}", action.title, action.is_preferred)
        })
        .collect();
    expect![[r#"
        Set the status to `Complete` (true): **Status**: Complete - second pass
        Set the status to `Implemented` (false): **Status**: Implemented - second pass"#]]
    .assert_eq(&fixed.join("\n"));
}

#[test]
fn missing_spec() {
    // Reported once per folder: on plan.md when there is one.
    check(
        &files(&[
            (&format!("{DIR}/plan.md"), PLAN),
            (&format!("{DIR}/tasks.md"), TASKS),
        ]),
        expect![[r#"
            specs/001-signin/plan.md:1:1 speckit-missing-spec (warning): the feature has no `specs/001-signin/spec.md`: its user stories and requirements cannot be checked; write the spec (`/speckit.specify`) or restore it
        "#]],
    );
    check(
        &files(&[(&format!("{DIR}/tasks.md"), TASKS)]),
        expect![[r#"
            specs/001-signin/tasks.md:1:1 speckit-missing-spec (warning): the feature has no `specs/001-signin/spec.md`: its user stories and requirements cannot be checked; write the spec (`/speckit.specify`) or restore it
        "#]],
    );
    // A `specs/main/` folder without a spec is not taken for a feature
    // that lost it: CorvidLabs/fledge keeps a module's specs there
    // (`specs/main/main.spec.md`, `specs/main/tasks.md`).
    check(
        &files(&[(
            "specs/main/tasks.md",
            "- [x] Define the command enum\n- [x] Route the subcommands\n",
        )]),
        expect![""],
    );
}

#[test]
fn generic_rules_apply_to_tasks() {
    // A dependency on a task that does not exist, a duplicate task ID and
    // a cycle of written dependencies.
    let tasks = edit(
        TASKS,
        "(depends on T004, T005)",
        "(depends on T004, T005, T099, T006)",
    );
    let tasks = edit(&tasks, "- [ ] T009 Document", "- [ ] T008 Document");
    let tasks = edit(
        &tasks,
        "T006 [P] [US1] Contract test for POST /links in tests/contract/test_links.py",
        "T006 [US1] Contract test for POST /links in tests/contract/test_links.py (depends on T007)",
    );
    check(
        &feature(SPEC, PLAN, &tasks),
        expect![[r#"
            specs/001-signin/tasks.md:16:92 dependency-cycle (error): dependency cycle: T006 -> T007 -> T006
                = specs/001-signin/tasks.md:16:7 `001-signin/T006` is part of the cycle
                = specs/001-signin/tasks.md:17:7 `001-signin/T007` is part of the cycle
            specs/001-signin/tasks.md:16:92 speckit-dependency-order (warning): T006 depends on T007, which comes after it in Phase 3: tasks of a phase run from the top, so move T006 below them
            specs/001-signin/tasks.md:17:85 dangling-dependency (error): `T099` names no known task of `001-signin`; did you mean `T001`?
            specs/001-signin/tasks.md:17:91 dependency-cycle (error): dependency cycle: T006 -> T007 -> T006
                = specs/001-signin/tasks.md:16:7 `001-signin/T006` is part of the cycle
                = specs/001-signin/tasks.md:17:7 `001-signin/T007` is part of the cycle
            specs/001-signin/tasks.md:21:7 duplicate-id (error): task `T008` is defined 2 times
                = specs/001-signin/tasks.md:25:7 `T008` is also defined here
            specs/001-signin/tasks.md:25:7 duplicate-id (error): task `T008` is defined 2 times
                = specs/001-signin/tasks.md:21:7 `T008` is also defined here
        "#]],
    );
}

/// A misspelt task of another feature, written with its feature
/// (`001-signin/T019`), is offered as a task of that feature, written with
/// it: bare, `T001` would name a task of the feature that writes it.
#[test]
fn a_misspelt_task_of_another_feature_is_suggested_with_its_feature() {
    let search = "\
# Tasks: Search

## Phase 1: Setup

- [ ] T001 Index setup in src/search/index.ts (depends on 001-signin/T0$019)
";
    let fixture = format!(
        "{}{}",
        feature(SPEC, PLAN, TASKS),
        files(&[
            (
                "specs/002-search/spec.md",
                "# Feature Specification: Search\n"
            ),
            ("specs/002-search/tasks.md", search),
        ])
    );
    expect![[r#"
        specs/002-search/tasks.md:5:59 dangling-dependency (error): `001-signin/T019` names no known task; did you mean `001-signin/T009`?
    "#]]
    .assert_eq(&findings(&workspace(&fixture.replace("$0", "")).workspace));
    let out = crate::analysis::fixture::actions_at_showing(&fixture, None);
    expect![[r#"
        ## Change to `001-signin/T009` (preferred: true)
        # Tasks: Search

        ## Phase 1: Setup

        - [ ] T001 Index setup in src/search/index.ts (depends on 001-signin/T009)
        ## Remove the dependency on `001-signin/T019` (preferred: false)
        # Tasks: Search

        ## Phase 1: Setup

        - [ ] T001 Index setup in src/search/index.ts
    "#]]
    .assert_eq(&out);
}

#[test]
fn plan_follows_phases_stories_and_parallel_markers() {
    let ws = workspace(&feature(SPEC, PLAN, TASKS)).workspace;
    let plan = crate::analysis::plan::plan(&Graph::build(&ws));
    let waves: Vec<String> = plan
        .waves
        .iter()
        .enumerate()
        .map(|(i, w)| format!("{}: {}", i + 1, crate::analysis::intern::join(w, " ")))
        .collect();
    // Setup in order (T002 [P] after T001); Foundational; the two story
    // phases side by side after Foundational; Polish after both.
    expect![[r#"
        1: 001-signin/T001
        2: 001-signin/T002
        3: 001-signin/T003
        4: 001-signin/T004 001-signin/T005
        5: 001-signin/T006 001-signin/T008
        6: 001-signin/T007
        7: 001-signin/T009"#]]
    .assert_eq(&waves.join("\n"));
    assert!(plan.blocked.is_empty() && plan.cycles.is_empty());

    // Done tasks leave the plan, and what waited for them waits for the
    // open tasks before them.
    let tasks = edit(TASKS, "- [ ] T003", "- [x] T003");
    let tasks = edit(&tasks, "- [ ] T004", "- [x] T004");
    let tasks = edit(&tasks, "- [ ] T005", "- [x] T005");
    let ws = workspace(&feature(SPEC, PLAN, &tasks)).workspace;
    let plan = crate::analysis::plan::plan(&Graph::build(&ws));
    let waves: Vec<String> = plan
        .waves
        .iter()
        .enumerate()
        .map(|(i, w)| format!("{}: {}", i + 1, crate::analysis::intern::join(w, " ")))
        .collect();
    expect![[r#"
        1: 001-signin/T001
        2: 001-signin/T002
        3: 001-signin/T006 001-signin/T008
        4: 001-signin/T007
        5: 001-signin/T009"#]]
    .assert_eq(&waves.join("\n"));
}

#[test]
fn features_work_on_spec_kit_items() {
    let fixture = feature(
        SPEC,
        PLAN,
        &edit(
            TASKS,
            "(depends on T004, T005)",
            "(depends on T004, T0$005)",
        ),
    );
    let fixture = workspace(&fixture);
    let ws = &fixture.workspace;
    let (rel, offset) = fixture.cursor.clone().expect("a cursor");
    let derived = derived(ws);
    let hover = hover::hover(ws, &derived, &rel, offset).expect("a hover");
    expect![[r#"
        **001-signin/T005** · Add the mailer in src/signin/mailer.py

        task · Status: not started

        Depends on: 001-signin/T003  
        Depended on by: 001-signin/T006, 001-signin/T007, 001-signin/T008

        Wave 4 · waits for 001-signin/T003"#]]
    .assert_eq(&hover.markdown);
    let definition = navigation::definition(ws, &rel, offset).expect("a definition");
    assert_eq!(definition.targets[0].rel, format!("{DIR}/tasks.md"));

    // Requirements and stories say which tasks cover them.
    let lenses: Vec<String> = lens::code_lenses(ws, &derived, &format!("{DIR}/spec.md"))
        .into_iter()
        .map(|l| format!("{}: {}", l.id, l.title))
        .collect();
    expect![[r#"
        001-signin/US1: covered by T006, T007
        001-signin/US2: covered by T008
        001-signin/FR-001: covered by T007
        001-signin/FR-002: covered by T008
        001-signin/SC-001: not covered"#]]
    .assert_eq(&lenses.join("\n"));

    // Every place that names FR-001: plan.md and the task.
    let spec = ws.file(&format!("{DIR}/spec.md")).expect("the spec");
    let at = spec.text.find("FR-001").expect("FR-001");
    let refs: Vec<String> =
        navigation::references(ws, &derived, &format!("{DIR}/spec.md"), at, false)
            .into_iter()
            .map(|r| place(ws, &r.rel, r.range.start()))
            .collect();
    expect![[r#"
        specs/001-signin/plan.md:7:19
        specs/001-signin/tasks.md:17:86"#]]
    .assert_eq(&refs.join("\n"));
}

#[test]
fn hostile_input_stays_in_bounds() {
    let texts = [
        "- [ ] T",
        "- [ ] T1 [",
        "- [ ] **T1",
        "- [ ] [T1 x",
        "- [ ] T999999999999 huge",
        "- [ ] T001 (depends on T002-T999999999)\n- [ ] T002 [P] x in `a` in ` in b/",
        "## Phase 1\n- [ ] T001 [P] in a/b\n- [ ] T002 [P] in a/b\n## Phase 1\n- [ ] T003 (depends on T002)",
        "## Dependencies\n- T001 → → T002\n- T001 depends on\n- → T001\n- T001 -> (x)",
        "### User Story 99999999999 - x\n- **FR-9999999999**: x\n[NEEDS CLARIFICATION: ~~x",
        "- [ ] T001 é in `é/é` (depends on T001)\n  - depends on T001-T000",
    ];
    for text in texts {
        for name in ["spec.md", "plan.md", "tasks.md"] {
            let fixture = files(&[(&format!("specs/001-x/{name}"), text)]);
            let ws = workspace(&fixture).workspace;
            let diagnostics = check_workspace(&ws);
            for file in ws.files() {
                for item in &file.facts.items {
                    for r in item.deps.iter().chain(&item.covers) {
                        assert!(
                            file.text.get(r.range.start()..r.range.end()).is_some(),
                            "{text:?}"
                        );
                    }
                }
            }
            for d in diagnostics {
                let file = ws.file(&d.rel).expect("the file");
                assert!(
                    file.text.get(d.range.start()..d.range.end()).is_some(),
                    "{text:?}"
                );
            }
            let _ = crate::analysis::plan::plan(&Graph::build(&ws));
        }
    }
}

#[test]
fn completion_offers_the_spec_in_a_list_of_requirements() {
    let tasks = edit(TASKS, "(FR-002)", "(FR-002, $0)");
    let fixture = workspace(&feature(SPEC, PLAN, &tasks));
    let ws = &fixture.workspace;
    let (rel, offset) = fixture.cursor.clone().expect("a cursor");
    let derived = derived(ws);
    let offered: Vec<String> =
        crate::analysis::features::completion::completion(ws, &derived, &rel, offset)
            .items
            .into_iter()
            .map(|c| format!("{} {}", c.label, c.detail.unwrap_or_default()))
            .collect();
    expect![[r#"
        US1 Sign in with an emailed link
        US2 Expire old links
        FR-001 System MUST email a sign-in link to a known work address
        SC-001 95% of dispatchers are signed in within two minutes of asking"#]]
    .assert_eq(&offered.join("\n"));
}

#[test]
fn a_story_label_goes_to_its_story() {
    let tasks = edit(TASKS, "T006 [P] [US1]", "T006 [P] [U$0S1]");
    let fixture = workspace(&feature(SPEC, PLAN, &tasks));
    let ws = &fixture.workspace;
    let (rel, offset) = fixture.cursor.clone().expect("a cursor");
    let definition = navigation::definition(ws, &rel, offset).expect("a definition");
    let target = &definition.targets[0];
    let file = ws.file(&target.rel).expect("the spec");
    assert_eq!(
        &file.text[target.focus.start()..target.focus.end()],
        "### User Story 1 - Sign in with an emailed link (Priority: P1)"
    );
}

#[test]
fn the_outline_lists_phases_and_their_tasks() {
    let ws = workspace(&feature(SPEC, "", TASKS)).workspace;
    let mut out = String::new();
    fn walk(
        out: &mut String,
        symbols: &[crate::analysis::features::symbols::Symbol],
        depth: usize,
    ) {
        for s in symbols {
            out.push_str(&format!("{}{}\n", "  ".repeat(depth), s.name));
            walk(out, &s.children, depth + 1);
        }
    }
    walk(
        &mut out,
        &crate::analysis::features::symbols::document_symbols(&ws, "specs/001-signin/tasks.md"),
        0,
    );
    expect![[r#"
        001-signin/phase-1
          001-signin/T001
          001-signin/T002
        001-signin/phase-2
          001-signin/T003
          001-signin/T004
          001-signin/T005
        001-signin/phase-3
          001-signin/T006
          001-signin/T007
        001-signin/phase-4
          001-signin/T008
        001-signin/phase-5
          001-signin/T009
    "#]]
    .assert_eq(&out);
}

#[test]
fn a_task_is_renamed_within_its_feature() {
    let tasks = "# Tasks\n\n## Phase 1: Setup\n\n- [ ] T001 Create the bucket\n- [ ] T002 Add the column (depends on T001)\n- [ ] T003 Fill the column\n\n## Dependencies\n\n- T003 depends on T001\n";
    let fixture = feature(SPEC, "", &tasks.replacen("T001 Create", "T0$001 Create", 1));
    expect![[r#"
        specs/001-signin/tasks.md: T001 -> T010
        specs/001-signin/tasks.md: T001 -> T010
        specs/001-signin/tasks.md: T001 -> T010
    "#]]
    .assert_eq(&renamed(&fixture, "T010"));
    // A name another task has is refused.
    expect![[r#"
        refused: `T002` already exists, in `specs/001-signin/tasks.md`
    "#]]
    .assert_eq(&renamed(&fixture, "T002"));
}

#[test]
fn completion_offers_the_stories_in_a_story_tag() {
    let tasks = "# Tasks\n\n## Phase 3: User Story 1 - Sign in (Priority: P1)\n\n- [ ] T010 [P] [US$0] Add the form\n";
    let fixture = workspace(&feature(SPEC, "", tasks));
    let ws = &fixture.workspace;
    let (rel, offset) = fixture.cursor.clone().expect("a cursor");
    let derived = crate::analysis::features::Derived::new(
        ws,
        std::sync::Arc::new(crate::analysis::rules::Context::new(ws)),
    );
    let labels: Vec<String> =
        crate::analysis::features::completion::completion(ws, &derived, &rel, offset)
            .items
            .into_iter()
            .map(|c| c.label)
            .collect();
    assert_eq!(labels, ["US1", "US2"]);
}

/// A requirement written with a tag in parentheses inside its bold ID
/// (`- **FR-001 (Experience, Simplicity)**: …`, full-width in a Chinese
/// spec) is defined: the tasks and plan citing it name a requirement.
#[test]
fn a_requirement_with_a_tag_in_parentheses_is_defined() {
    let spec = edit(
        SPEC,
        "- **FR-002**: System MUST expire",
        "- **FR-002 (Security, Simplicity)**: System MUST expire",
    );
    let spec = edit(
        &spec,
        "- **SC-001**: 95% of dispatchers",
        "**SC-001（稽核完整性）**: 95% of dispatchers",
    );
    check(&feature(&spec, PLAN, TASKS), expect![""]);
}

/// The old spec template's instructions show the marker as an example
/// (`Use [NEEDS CLARIFICATION: specific question] for any assumption`):
/// no question is open; a real question next to it still is.
#[test]
fn the_template_example_of_a_clarification_is_no_question() {
    let spec = format!(
        "{SPEC}\n### For AI Generation\n\n1. **Mark all ambiguities**: Use [NEEDS CLARIFICATION: specific question] for any assumption you'd need to make\n"
    );
    let spec = edit(&spec, "**Status**: Draft", "**Status**: Implemented");
    check(&feature(&spec, PLAN, &all_done(TASKS)), expect![""]);
    let spec = edit(
        &spec,
        "one use\n",
        "one use [NEEDS CLARIFICATION: how long?]\n",
    );
    check(
        &feature(&spec, PLAN, &all_done(TASKS)),
        expect![[r#"
            specs/001-signin/spec.md:26:69 speckit-clarification-after-done (error): the spec still asks for a clarification but all 9 tasks of tasks.md are done: record the decision the work made, or remove the question
        "#]],
    );
}

/// Words joined by a slash (`lint/format`, `ESLint/Prettier`) are not a
/// file two [P] tasks both change; the paths after them are.
#[test]
fn parallel_same_file_takes_paths_not_words_with_a_slash() {
    let tasks = edit(
        TASKS,
        "- [ ] T004 [P] Add the link model in src/signin/models.py\n- [ ] T005 [P] Add the mailer in src/signin/mailer.py",
        "- [ ] T004 [P] 設定 Backend lint/format（ESLint/Prettier）在 backend/.eslintrc.cjs、backend/.prettierrc\n- [ ] T005 [P] Configure ESLint/Prettier for frontend/.eslintrc.cjs\n- [ ] T010 [P] Wire list/create/update handlers",
    );
    check(&feature(SPEC, PLAN, &tasks), expect![""]);
    let tasks = edit(
        &tasks,
        "for frontend/.eslintrc.cjs",
        "for backend/.eslintrc.cjs",
    );
    check(
        &feature(SPEC, PLAN, &tasks),
        expect![[r#"
            specs/001-signin/tasks.md:12:46 speckit-parallel-same-file (warning): T005 and T004 run side by side in one [P] run of Phase 2 but both change `backend/.eslintrc.cjs`: two agents would edit it at once; drop the [P] of T005 so it runs after T004
                = specs/001-signin/tasks.md:11:57 T004 changes `backend/.eslintrc.cjs` too
        "#]],
    );
}

/// Several spec-kit projects in one workspace (packages of a monorepo, or
/// copies of one project side by side, each with its own `.specify/`)
/// number their features from 001 each: a feature is known by its project,
/// and the IDs its files write name that project's stories, requirements
/// and features. A `specs/` folder at the root keeps its bare IDs.
#[test]
fn projects_in_sub_folders_keep_their_ids_apart() {
    let in_project = |project: &str, spec: &str, tasks: &str| {
        files(&[
            (&format!("{project}/specs/001-signin/spec.md"), spec),
            (&format!("{project}/specs/001-signin/plan.md"), PLAN),
            (&format!("{project}/specs/001-signin/tasks.md"), tasks),
        ])
    };
    // Two copies of one project: nothing is defined twice.
    let mut fixture = in_project("1-2", SPEC, TASKS);
    fixture.push_str(&in_project("1-2-t", SPEC, TASKS));
    fixture.push_str(&feature(SPEC, PLAN, TASKS));
    check(&fixture, expect![[""]]);
    let ws = workspace(&fixture).workspace;
    let ids = |rel: &str| -> Vec<String> {
        let file = ws.file(rel).expect("the fixture has the file");
        file.facts
            .items
            .iter()
            .take(2)
            .map(|i| i.id.to_string())
            .collect()
    };
    assert_eq!(
        ids("1-2-t/specs/001-signin/spec.md"),
        ["1-2-t/001-signin", "1-2-t/001-signin/US1"]
    );
    assert_eq!(
        ids("specs/001-signin/spec.md"),
        ["001-signin", "001-signin/US1"]
    );

    // A story, a requirement and another feature are looked up in the
    // task's own project, not in the other project that has them.
    let spec = edit(
        SPEC,
        "- **FR-002**: System MUST expire a link after 15 minutes or one use\n",
        "",
    );
    let spec = edit(&spec, "### User Story 2 - Expire old links", "### Notes");
    let tasks = edit(TASKS, "(FR-002)", "(FR-002, 002-search/FR-001)");
    let search = "# Feature Specification: Search\n\n- **FR-001**: Search by name\n";
    let mut fixture = in_project("apps/web", &spec, &tasks);
    fixture.push_str(&in_project("services/api", SPEC, TASKS));
    fixture.push_str(&files(&[("services/api/specs/002-search/spec.md", search)]));
    check(
        &fixture,
        expect![[r#"
            apps/web/specs/001-signin/plan.md:7:39 speckit-unknown-requirement (warning): `FR-002` is not defined in apps/web/specs/001-signin/spec.md (it defines FR-001 only)
            apps/web/specs/001-signin/tasks.md:21:13 speckit-unknown-story (warning): `[US2]` names no user story of apps/web/specs/001-signin/spec.md (it has US1 only)
            apps/web/specs/001-signin/tasks.md:21:56 speckit-unknown-requirement (warning): `FR-002` is not defined in apps/web/specs/001-signin/spec.md (it defines FR-001 only)
            apps/web/specs/001-signin/tasks.md:21:64 speckit-unknown-requirement (warning): `002-search/FR-001` is not defined: there is no apps/web/specs/002-search/spec.md
        "#]],
    );
}

/// Features kept in `.specify/specs/` (as Sorcha-Platform/Sorcha keeps
/// `sorcha-ui`, whose 191 open tasks were not read) are read as those of
/// `specs/`: their IDs are the feature folder's, after the path of the
/// project that holds `.specify/`, and a task's story and requirements are
/// looked up in the spec next to it.
#[test]
fn features_in_the_specify_folder_are_read() {
    let in_folder = |folder: &str, spec: &str, tasks: &str| {
        files(&[
            (&format!("{folder}/spec.md"), spec),
            (&format!("{folder}/plan.md"), PLAN),
            (&format!("{folder}/tasks.md"), tasks),
        ])
    };
    let mut fixture = in_folder(".specify/specs/signin", SPEC, TASKS);
    fixture.push_str(&in_folder(
        "apps/web/.specify/specs/001-signin",
        SPEC,
        TASKS,
    ));
    check(&fixture, expect![[""]]);
    let ws = workspace(&fixture).workspace;
    let ids = |rel: &str| -> Vec<String> {
        let file = ws.file(rel).expect("the fixture has the file");
        file.facts
            .items
            .iter()
            .take(2)
            .map(|i| i.id.to_string())
            .collect()
    };
    assert_eq!(
        ids(".specify/specs/signin/spec.md"),
        ["signin", "signin/US1"]
    );
    assert_eq!(
        ids("apps/web/.specify/specs/001-signin/spec.md"),
        ["apps/web/001-signin", "apps/web/001-signin/US1"]
    );
    let spec = edit(SPEC, "### User Story 2 - Expire old links", "### Notes");
    check(
        &in_folder(".specify/specs/signin", &spec, TASKS),
        expect![[r#"
            .specify/specs/signin/tasks.md:21:13 speckit-unknown-story (warning): `[US2]` names no user story of .specify/specs/signin/spec.md (it has US1 only)
        "#]],
    );
}

/// Tasks inserted once the list was numbered (`T017b` after `T017`) are
/// tasks of their own, which dependencies name and a Dependencies section
/// gives dependencies to.
#[test]
fn a_task_inserted_with_a_letter_is_read_and_named() {
    let fixture = "//- specs/002-agent/spec.md\n# Feature Specification: Agent\n\n### User Story 1 - Ask (Priority: P1)\n\n//- specs/002-agent/tasks.md\n# Tasks\n\n## Phase 3: User Story 1 - Ask (Priority: P1)\n\n- [x] T017 [US1] Add the tool runner in src/runner.py\n- [x] T017b [US1] Add tool execution timeout handling in src/runner.py\n- [ ] T018 [US1] Report timeouts in src/report.py (depends on T017B, T017c)\n- [ ] T019 [US1] Log timeouts in src/log.py\n\n## Dependencies\n\n- T019 depends on T017b\n- T017b depends on T017\n";
    let ws = workspace(fixture).workspace;
    expect![[r#"
        phase 002-agent/phase-3 #3 "User Story 1 - Ask (Priority: P1)"
        task 002-agent/T017 #T017 "Add the tool runner in src/runner.py" [done] in 002-agent/phase-3 covers=002-agent/US1
        task 002-agent/T017b #T017b "Add tool execution timeout handling in src/runner.py" [done] in 002-agent/phase-3 deps=002-agent/T017 covers=002-agent/US1
        task 002-agent/T018 #T018 "Report timeouts in src/report.py (depends on T017B, T017c)" [not started] in 002-agent/phase-3 deps=002-agent/T017b,002-agent/T017c covers=002-agent/US1
        task 002-agent/T019 #T019 "Log timeouts in src/log.py" [not started] in 002-agent/phase-3 deps=002-agent/T017b after=002-agent/T018 covers=002-agent/US1
        reference T019 -> 002-agent/T019
        reference T017b -> 002-agent/T017b
    "#]]
    .assert_eq(&items(&ws, "specs/002-agent/tasks.md"));
    check(
        fixture,
        expect![[r#"
            specs/002-agent/tasks.md:7:70 dangling-dependency (error): `T017c` names no known task of `002-agent`; did you mean `T017`?
        "#]],
    );
}

/// A companion task written as its task's ID, a dash and a word of
/// capitals (`T005-TEST`, the tests of T005, as nprbst/speck writes them)
/// is a task of its own, which dependencies name; `T005-T007` stays a
/// range and `T006-test` names T006.
#[test]
fn a_companion_task_with_a_word_after_its_id_is_a_task_of_its_own() {
    let fixture = "//- specs/012-worktree/tasks.md\n# Tasks\n\n## Phase 1: Setup\n\n- [x] T005 Write config.ts in src/config.ts\n- [x] T005-TEST [P] [TEST] Write unit tests for config.ts in tests/config.test.ts\n- [ ] T006 Write naming.ts in src/naming.ts\n- [ ] T007 Use it in src/use.ts (depends on T005-TEST, T006-test)\n- [ ] T008 Ship in src/ship.ts (depends on T005-T007)\n";
    let ws = workspace(fixture).workspace;
    expect![[r#"
        phase 012-worktree/phase-1 #1 "Setup"
        task 012-worktree/T005 #T005 "Write config.ts in src/config.ts" [done] in 012-worktree/phase-1
        task 012-worktree/T005-TEST #T005-TEST "Write unit tests for config.ts in tests/config.test.ts" [done] in 012-worktree/phase-1 Parallel=P
        task 012-worktree/T006 #T006 "Write naming.ts in src/naming.ts" [not started] in 012-worktree/phase-1
        task 012-worktree/T007 #T007 "Use it in src/use.ts (depends on T005-TEST, T006-test)" [not started] in 012-worktree/phase-1 deps=012-worktree/T005-TEST,012-worktree/T006
        task 012-worktree/T008 #T008 "Ship in src/ship.ts (depends on T005-T007)" [not started] in 012-worktree/phase-1 deps=012-worktree/T005,012-worktree/T006,012-worktree/T007
    "#]]
    .assert_eq(&items(&ws, "specs/012-worktree/tasks.md"));
    check(
        fixture,
        expect![[r#"
        specs/012-worktree/tasks.md:1:1 speckit-missing-spec (warning): the feature has no `specs/012-worktree/spec.md`: its user stories and requirements cannot be checked; write the spec (`/speckit.specify`) or restore it
    "#]],
    );
}

/// Sub-tasks inserted after a task as its ID, a dash and a number
/// (`T158-1`, `T158-2`, as 13g7895123/fitness writes them) are tasks of
/// their own, which dependencies name; before, each was read as `T158`
/// once more and reported as a duplicate. `T159-T160` stays a range.
#[test]
fn a_sub_task_with_a_number_after_its_id_is_a_task_of_its_own() {
    let fixture = "//- specs/001-fitness/tasks.md\n# Tasks\n\n## Phase 1: Setup\n\n- [ ] T158 Check usage before delete in src/service.cs\n- [ ] T158-1 Link equipment to exercise types in src/service.cs\n- [ ] T158-2 Add the equipment endpoints in src/controller.cs\n- [ ] T159 Add the store in src/store.ts (depends on T158-2)\n- [ ] T160 Add the page in src/page.vue\n- [ ] T161 Ship in src/ship.ts (depends on T159-T160)\n";
    let ws = workspace(fixture).workspace;
    expect![[r#"
        phase 001-fitness/phase-1 #1 "Setup"
        task 001-fitness/T158 #T158 "Check usage before delete in src/service.cs" [not started] in 001-fitness/phase-1
        task 001-fitness/T158-1 #T158-1 "Link equipment to exercise types in src/service.cs" [not started] in 001-fitness/phase-1 after=001-fitness/T158
        task 001-fitness/T158-2 #T158-2 "Add the equipment endpoints in src/controller.cs" [not started] in 001-fitness/phase-1 after=001-fitness/T158-1
        task 001-fitness/T159 #T159 "Add the store in src/store.ts (depends on T158-2)" [not started] in 001-fitness/phase-1 deps=001-fitness/T158-2
        task 001-fitness/T160 #T160 "Add the page in src/page.vue" [not started] in 001-fitness/phase-1 after=001-fitness/T159
        task 001-fitness/T161 #T161 "Ship in src/ship.ts (depends on T159-T160)" [not started] in 001-fitness/phase-1 deps=001-fitness/T159,001-fitness/T160
    "#]]
    .assert_eq(&items(&ws, "specs/001-fitness/tasks.md"));
    check(
        fixture,
        expect![[r#"
        specs/001-fitness/tasks.md:1:1 speckit-missing-spec (warning): the feature has no `specs/001-fitness/spec.md`: its user stories and requirements cannot be checked; write the spec (`/speckit.specify`) or restore it
    "#]],
    );
}

/// A task that names its dependencies in a field (`dependencies: T001;`)
/// and says `after T017` in another (`acceptance: … pass after T017`), as
/// lucasfontinele/flora-white-label writes its tasks, depends on T001
/// alone; before, `after T017` was read as a dependency too, and a test
/// task and the task it tests made a dependency cycle. Without a field,
/// `after T004` is still a dependency.
#[test]
fn an_after_outside_a_task_s_dependencies_field_is_prose() {
    let fixture = "//- specs/008-docs/tasks.md\n# Tasks\n\n## Phase 1: Setup\n\n- [x] T001 Create the module in src/mod.ts\n- [x] T011 [P] Add domain tests in src/doc.test.ts; objective: cover names; dependencies: T001; acceptance: tests fail before the entity exists and pass after T017.\n- [x] T017 Create the entity in src/doc.ts; objective: trim names; dependencies: T011; acceptance: tests in T011 pass.\n- [ ] T018 Wire it in src/wire.ts (after T017)\n";
    let ws = workspace(fixture).workspace;
    expect![[r#"
        phase 008-docs/phase-1 #1 "Setup"
        task 008-docs/T001 #T001 "Create the module in src/mod.ts" [done] in 008-docs/phase-1
        task 008-docs/T011 #T011 "Add domain tests in src/doc.test.ts; objective: cover names; dependencies: T001; acceptance: tests fail before the entity exists and pass after T017." [done] in 008-docs/phase-1 Parallel=P deps=008-docs/T001
        task 008-docs/T017 #T017 "Create the entity in src/doc.ts; objective: trim names; dependencies: T011; acceptance: tests in T011 pass." [done] in 008-docs/phase-1 deps=008-docs/T011
        task 008-docs/T018 #T018 "Wire it in src/wire.ts (after T017)" [not started] in 008-docs/phase-1 deps=008-docs/T017
    "#]]
    .assert_eq(&items(&ws, "specs/008-docs/tasks.md"));
    check(
        fixture,
        expect![[r#"
            specs/008-docs/tasks.md:1:1 speckit-missing-spec (warning): the feature has no `specs/008-docs/spec.md`: its user stories and requirements cannot be checked; write the spec (`/speckit.specify`) or restore it
        "#]],
    );
}

/// What the item `id` says it covers, by ID.
fn covers_of<'a>(ws: &'a Workspace, id: &str) -> Vec<&'a str> {
    let (_, item) = ws.item(id).expect("the item");
    item.covers
        .iter()
        .filter_map(|r| r.target.as_id())
        .collect()
}

/// The IDs of the requirements and success criteria a workspace defines,
/// in the order of its items.
fn requirement_ids(ws: &Workspace) -> Vec<&str> {
    ws.items()
        .map(|(_, item)| item.id.as_str())
        .filter(|id| id.contains("/FR-") || id.contains("/SC-"))
        .collect()
}

/// A requirement's ID with a word after it (`FR-003-NOTE`, `FR-007-NEW`)
/// is another ID, and a plain ID in an item nested under a requirement's
/// statement names the criterion the statement is about: neither defines
/// the bare ID again (nprbst/speck had 12 false duplicate-id errors of
/// these).
#[test]
fn a_suffixed_or_nested_id_defines_no_requirement_again() {
    let spec = edit(
        SPEC,
        "- **FR-002**: System MUST expire a link after 15 minutes or one use\n",
        "- **FR-002**: System MUST expire a link after 15 minutes or one use\n- **FR-002-NOTE**: Expiry is checked on use only\n- **FR-TEST-001**: Tests MUST time the sign-in:\n  - SC-001: within two minutes (p95)\n\n  - FR-001: the link is mailed\n- FR-003: System MUST log sign-ins\n",
    );
    // A task that names the note names no requirement the spec lacks; one
    // that names a range with the dash still names both ends.
    let tasks = edit(
        TASKS,
        "(FR-002)",
        "(FR-002-NOTE, FR-001-FR-003, FR-001-010)",
    );
    let ws = workspace(&feature(&spec, PLAN, &tasks)).workspace;
    let named = covers_of(&ws, "001-signin/T008");
    assert_eq!(
        named,
        ["001-signin/US2", "001-signin/FR-001", "001-signin/FR-003"]
    );
    assert_eq!(
        requirement_ids(&ws),
        [
            "001-signin/FR-001",
            "001-signin/FR-002",
            "001-signin/FR-003",
            "001-signin/SC-001"
        ]
    );
    expect![""].assert_eq(&findings(&ws));
}

/// A plain ID nested under a statement in bold defines its requirement when
/// the spec defines it nowhere else (`  - FR-011: Email` under
/// `- **FR-010**: … notifications:` or under `- **US-1**: …`), so tasks
/// naming it name a known requirement; repeated under another statement
/// after its own definition (`**FR-001**` above), it defines nothing again.
#[test]
fn a_nested_plain_id_defines_its_requirement_unless_defined_elsewhere() {
    let spec = edit(
        SPEC,
        "- **FR-002**: System MUST expire a link after 15 minutes or one use\n",
        "- **FR-002**: System MUST expire a link after 15 minutes or one use\n- **FR-010**: System MUST send notifications:\n  - FR-011: Email\n  - FR-001: the link is mailed again\n- **US-1**: As a dispatcher I sign in\n  - SC-002: Sign-in takes one click\n",
    );
    let tasks = edit(TASKS, "(FR-002)", "(FR-002, FR-011, SC-002)");
    let ws = workspace(&feature(&spec, PLAN, &tasks)).workspace;
    assert_eq!(
        requirement_ids(&ws),
        [
            "001-signin/FR-001",
            "001-signin/FR-002",
            "001-signin/FR-010",
            "001-signin/FR-011",
            "001-signin/SC-002",
            "001-signin/SC-001"
        ]
    );
    expect![""].assert_eq(&findings(&ws));
}

/// Only a suffix of capitals or digits makes another ID (`FR-002-NOTE`,
/// `FR-001-010`); a word in lowercase after the dash (`FR-001-compliant`,
/// `SC-001-style`) leaves the reference naming the requirement.
#[test]
fn a_lowercase_word_after_a_dash_leaves_the_requirement_named() {
    let tasks = edit(
        TASKS,
        "(FR-002)",
        "(FR-002-NOTE) Implement FR-001-compliant expiry with SC-001-style metrics",
    );
    let ws = workspace(&feature(SPEC, PLAN, &tasks)).workspace;
    let named = covers_of(&ws, "001-signin/T008");
    assert_eq!(
        named,
        ["001-signin/US2", "001-signin/FR-001", "001-signin/SC-001"]
    );
}

/// A requirement tagged with its constitution's principles in code
/// (`- **FR-001** `[Deliberate Simplicity]`: …`, one tag or several) is
/// defined, and so is one inserted with a letter after the number
/// (`FR-002a`), which tasks name as written.
#[test]
fn a_requirement_with_tags_in_code_or_a_letter_is_defined() {
    let spec = edit(
        SPEC,
        "- **FR-001**: System MUST email",
        "- **FR-001** `[Deliberate Simplicity]`: System MUST email",
    );
    let spec = edit(
        &spec,
        "- **FR-002**: System MUST expire",
        "- **FR-002** `[Reliability]` `[Security]`: System MUST expire",
    );
    let spec = edit(
        &spec,
        "## Success Criteria",
        "- **FR-002a** `[Security]`: System MUST expire a link once used\n  - **FR-002a.1**: The link MUST say why it expired\n\n## Success Criteria",
    );
    let spec = edit(
        &spec,
        "- **SC-001**: 95%",
        "- **SC-001** `[Frictionless UX]`: 95%",
    );
    let tasks = edit(
        TASKS,
        "Expire links in src/signin/expiry.py (FR-002)",
        "Expire links in src/signin/expiry.py (FR-002, FR-002a, FR-002b)",
    );
    let ws = workspace(&feature(&spec, PLAN, &tasks)).workspace;
    expect![[r#"
        feature 001-signin "Sign-in links" [Draft] Feature Branch=`001-signin` Created=2025-03-01 Status=Draft
        requirement 001-signin/US1 #US1 "Sign in with an emailed link" Priority=P1 Acceptance Scenarios=
        requirement 001-signin/US2 #US2 "Expire old links" Priority=P2
        requirement 001-signin/FR-001 #FR-001 "System MUST email a sign-in link to a known work address"
        requirement 001-signin/FR-002 #FR-002 "System MUST expire a link after 15 minutes or one use"
        requirement 001-signin/FR-002a #FR-002a "System MUST expire a link once used"
        criterion 001-signin/SC-001 #SC-001 "95% of dispatchers are signed in within two minutes of asking"
        reference FR-002a -> 001-signin/FR-002a
    "#]].assert_eq(&items(&ws, &format!("{DIR}/spec.md")));
    check(
        &feature(&spec, PLAN, &tasks),
        expect![[r#"
        specs/001-signin/tasks.md:21:73 speckit-unknown-requirement (warning): `FR-002b` is not defined in specs/001-signin/spec.md (it defines FR-001 to FR-002a)
    "#]],
    );
}

/// YAML front matter above the title (whose closing `---` markdown reads as
/// a heading's underline) leaves the header fields where they are: the
/// spec's status is still read, and still reported once every task is
/// done. A spec opening with a `---` rule that never closes is read whole.
#[test]
fn front_matter_leaves_the_header_fields_read() {
    let spec = format!("---\ntitle: Sign-in links\nowner: dispatch\n---\n{SPEC}");
    let ws = workspace(&feature(&spec, PLAN, TASKS)).workspace;
    let file = ws.file(&format!("{DIR}/spec.md")).expect("the spec");
    let header = items(&ws, &format!("{DIR}/spec.md"));
    expect![[r#"feature 001-signin "Sign-in links" [Draft] Feature Branch=`001-signin` Created=2025-03-01 Status=Draft"#]].assert_eq(header.lines().next().unwrap_or(""));
    assert_eq!(file.facts.items.len(), 6, "{header}");
    check(
        &feature(&spec, PLAN, &all_done(TASKS)),
        expect![[r#"
        specs/001-signin/spec.md:9:13 speckit-draft-when-done (info): the spec is still `Draft` but all 9 tasks of tasks.md are done: give it the status it has reached
    "#]],
    );
    let spec = format!("---\n{SPEC}");
    let header = items(
        &workspace(&feature(&spec, PLAN, TASKS)).workspace,
        &format!("{DIR}/spec.md"),
    );
    expect![[r#"feature 001-signin "Sign-in links" [Draft] Feature Branch=`001-signin` Created=2025-03-01 Status=Draft"#]].assert_eq(header.lines().next().unwrap_or(""));
}

/// The waves of the plan, one line each.
fn waves(ws: &Workspace) -> String {
    let plan = crate::analysis::plan::plan(&Graph::build(ws));
    plan.waves
        .iter()
        .enumerate()
        .map(|(i, w)| format!("{}: {}", i + 1, crate::analysis::intern::join(w, " ")))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The template's story phase writes its tests under `### Tests for User
/// Story 1` (to fail before the implementation) and the rest under `###
/// Implementation for User Story 1`: a heading ends a [P] run, so the
/// implementation's [P] tasks wait for the tests. A heading in a code
/// block is no heading.
#[test]
fn a_heading_inside_a_phase_ends_a_parallel_run() {
    let tasks = "\
# Tasks: Sign-in links

## Phase 3: User Story 1 - Sign in with an emailed link (Priority: P1)

### Tests for User Story 1

- [ ] T006 [P] [US1] Contract test for POST /links in tests/contract/test_links.py
- [ ] T007 [P] [US1] Integration test for sign-in in tests/integration/test_signin.py

### Implementation for User Story 1

- [ ] T008 [P] [US1] Link model in src/signin/models.py
- [ ] T009 [P] [US1] Mailer in src/signin/mailer.py

```sh
# a comment, not a heading
```

- [ ] T010 [P] [US1] Endpoint in src/signin/api.py
";
    let ws = workspace(&feature(SPEC, PLAN, tasks)).workspace;
    expect![[r#"
        1: 001-signin/T006 001-signin/T007
        2: 001-signin/T008 001-signin/T009 001-signin/T010"#]]
    .assert_eq(&waves(&ws));
}

/// The template's "User Story Dependencies" list says which stories wait
/// for which: `Depends on US1`, `Depends on User Story 1 AND User Story 2`,
/// `Can start after US1`, `Phase 6 (US3): Depends on Phase 4`. A story's
/// phase then waits for theirs (story phases otherwise run side by side
/// after Foundational); a story named only in passing (`May integrate with
/// US1`, `Independent of US1`, `can run in parallel with US2`) is waited
/// for by no one, and neither is a story named in a code block.
#[test]
fn a_story_that_depends_on_another_waits_for_it() {
    let tasks = "\
# Tasks: Trading signals

## Phase 2: Foundational

- [X] T001 Market data client in src/market/client.py

## Phase 3: User Story 1 - Run the model (Priority: P1)

- [ ] T002 [US1] Model runner in src/model/runner.py

## Phase 4: User Story 2 - Scan for signals (Priority: P2)

- [ ] T003 [US2] Scanner in src/scan/scanner.py

## Phase 5: User Story 3 - Confirm signals (Priority: P3)

- [ ] T004 [US3] Orders in src/orders/create.py

## Phase 6: User Story 4 - Reports (Priority: P4)

- [ ] T005 [US4] Reports in src/reports/daily.py

## Phase 7: User Story 5 - Alerts (Priority: P5)

- [ ] T006 [US5] Alerts in src/alerts/send.py

## Dependencies & Execution Order

### User Story Dependencies

- **User Story 1 (P1)**: Can start after Foundational (Phase 2) - No dependencies on other stories
- **User Story 2 (P2)**: Depends on US1 (needs the model running).
- **User Story 3 (P3)**: Can start after Foundational - May integrate with US2 but should be independently testable
- **Phase 6 (US4)**: Depends on Phase 5. Independent of US1/US2
- **User Story 5 (P5)**: Can run in parallel with US2

```text
- **User Story 5 (P5)**: Depends on US4
```
";
    let ws = workspace(&feature(SPEC, PLAN, tasks)).workspace;
    expect![[r#"
        1: 001-signin/T002 001-signin/T004 001-signin/T006
        2: 001-signin/T003 001-signin/T005"#]]
    .assert_eq(&waves(&ws));
    let chained = tasks.replace(
        "May integrate with US2",
        "Depends on User Story 1 AND User Story 2",
    );
    let ws = workspace(&feature(SPEC, PLAN, &chained)).workspace;
    expect![[r#"
        1: 001-signin/T002 001-signin/T006
        2: 001-signin/T003
        3: 001-signin/T004
        4: 001-signin/T005"#]]
    .assert_eq(&waves(&ws));
}

/// A phase inserted between two others is lettered (`## Phase 5A:
/// Infrastructure`, `## Phase 9b: Parity`): it is a phase all the same, so
/// its tasks belong to it, and its `[P]` tasks run together after the
/// phase before.
#[test]
fn a_lettered_phase_is_a_phase() {
    let tasks = "\
# Tasks: Cloud deployment

## Phase 5A: Infrastructure Foundation

- [ ] T001 [P] Cluster in infra/cluster.tf
- [ ] T002 [P] Registry in infra/registry.tf

## Phase 5b: Kafka Integration

- [ ] T003 [P] Topics in infra/topics.tf
- [ ] T004 [P] Consumer in src/consumer.py
";
    let ws = workspace(&feature(SPEC, PLAN, tasks)).workspace;
    expect![[r#"
        1: 001-signin/T001 001-signin/T002
        2: 001-signin/T003 001-signin/T004"#]]
    .assert_eq(&waves(&ws));
    expect![[r#"
        phase 001-signin/phase-5A #5A "Infrastructure Foundation"
        task 001-signin/T001 #T001 "Cluster in infra/cluster.tf" [not started] in 001-signin/phase-5A Parallel=P
        task 001-signin/T002 #T002 "Registry in infra/registry.tf" [not started] in 001-signin/phase-5A Parallel=P
        phase 001-signin/phase-5b #5b "Kafka Integration"
        task 001-signin/T003 #T003 "Topics in infra/topics.tf" [not started] in 001-signin/phase-5b Parallel=P after=001-signin/T001,001-signin/T002
        task 001-signin/T004 #T004 "Consumer in src/consumer.py" [not started] in 001-signin/phase-5b Parallel=P after=001-signin/T001,001-signin/T002
    "#]].assert_eq(&items(&ws, &format!("{DIR}/tasks.md")));
}

/// A project that numbers its stories per area (`AUTH-US1`, `TASK-US1`)
/// says which one it means: `AUTH-US2` waits for `AUTH-US1` only.
#[test]
fn stories_numbered_per_area_wait_for_the_one_named() {
    let tasks = "\
# Tasks: Todo app

## Phase 3: User Story AUTH-US1 - Registration (Priority: P1)

- [ ] T001 [AUTH-US1] Register endpoint in backend/auth.py

## Phase 4: User Story TASK-US1 - Create a task (Priority: P1)

- [ ] T002 [TASK-US1] Create endpoint in backend/tasks.py

## Phase 5: User Story AUTH-US2 - Login (Priority: P1)

- [ ] T003 [AUTH-US2] Login endpoint in backend/login.py

## User Story Dependencies

- **TASK-US1**: Depends on AUTH-US1 (needs users)
- **AUTH-US2**: Depends on AUTH-US1 (needs the user model)
";
    let ws = workspace(&feature(SPEC, PLAN, tasks)).workspace;
    expect![[r#"
        1: 001-signin/T001
        2: 001-signin/T002 001-signin/T003"#]]
    .assert_eq(&waves(&ws));
    let other = tasks.replace(
        "- **AUTH-US2**: Depends on AUTH-US1",
        "- **AUTH-US2**: Depends on TASK-US1",
    );
    let ws = workspace(&feature(SPEC, PLAN, &other)).workspace;
    expect![[r#"
        1: 001-signin/T001
        2: 001-signin/T002
        3: 001-signin/T003"#]]
    .assert_eq(&waves(&ws));
}

/// The task a Dependencies bullet is about (`T004` in `- T004 depends on
/// T003`) is a reference: a rename rewrites it (else the dependency was
/// lost without a word), and a number the file has no task for is
/// reported, with the task meant.
#[test]
fn the_subject_of_a_dependencies_bullet_is_a_reference() {
    let tasks = "\
# Tasks: Route planning

## Phase 2: User Story 1 - Plan a route (Priority: P1)

- [ ] T003 [US1] Order stops in api/order.rs
- [ ] T$0004 [US1] Map view in web/Map.tsx

## Dependencies & Execution Order

- T004 depends on T003 (the map shows the order)
";
    let fixture = files(&[("specs/002-routes/tasks.md", tasks)]);
    expect![[r#"
        specs/002-routes/tasks.md: T004 -> T040
        specs/002-routes/tasks.md: T004 -> T040
    "#]]
    .assert_eq(&renamed(&fixture, "T040"));
    check(
        &fixture
            .replace("T$0004", "T004")
            .replace("- T004 depends", "- T044 depends"),
        expect![[r#"
            specs/002-routes/tasks.md:1:1 speckit-missing-spec (warning): the feature has no `specs/002-routes/spec.md`: its user stories and requirements cannot be checked; write the spec (`/speckit.specify`) or restore it
            specs/002-routes/tasks.md:10:3 dangling-dependency (error): `T044` names no known task of `002-routes`; did you mean `T004`?
        "#]],
    );
}

/// spec-kit's first tasks template wrote its Dependencies section with the
/// tasks going first before the verb: `T008 blocks T009, T015`, `Tests
/// (T004-T007) before implementation (T008-T014)`; projects write `T005
/// before T007` and `T006 must be done before T008` too. The tasks after
/// the verb wait for those before it; prose stays prose.
#[test]
fn a_dependencies_section_says_which_tasks_go_first() {
    let tasks = "\
# Tasks: Old template

## Phase 3.2: Tests First (TDD)

- [ ] T001 [P] Contract test in tests/contract/test_a.py
- [ ] T002 [P] Contract test in tests/contract/test_b.py

## Phase 3.3: Core Implementation

- [ ] T003 [P] Model in src/models/a.py
- [ ] T004 [P] Service in src/services/a.py
- [ ] T005 [P] Endpoint in src/api/a.py
- [ ] T006 [P] Docs in docs/a.md

## Dependencies

- Tests (T001-T002) before implementation (T003-T006)
- T003 blocks T004, T005
- T004 before T006 (the service is documented)
- T005 must be done before T006
- Implementation before polish (T006)
- Models before services
- T003 before starting anything else in the app
";
    let ws = workspace(&files(&[("specs/001-x/tasks.md", tasks)])).workspace;
    expect![[r#"
        phase 001-x/phase-3.2 #3.2 "Tests First (TDD)"
        task 001-x/T001 #T001 "Contract test in tests/contract/test_a.py" [not started] in 001-x/phase-3.2 Parallel=P
        task 001-x/T002 #T002 "Contract test in tests/contract/test_b.py" [not started] in 001-x/phase-3.2 Parallel=P
        phase 001-x/phase-3.3 #3.3 "Core Implementation"
        task 001-x/T003 #T003 "Model in src/models/a.py" [not started] in 001-x/phase-3.3 Parallel=P deps=001-x/T001,001-x/T002
        task 001-x/T004 #T004 "Service in src/services/a.py" [not started] in 001-x/phase-3.3 Parallel=P deps=001-x/T001,001-x/T002,001-x/T003
        task 001-x/T005 #T005 "Endpoint in src/api/a.py" [not started] in 001-x/phase-3.3 Parallel=P deps=001-x/T001,001-x/T002,001-x/T003
        task 001-x/T006 #T006 "Docs in docs/a.md" [not started] in 001-x/phase-3.3 Parallel=P deps=001-x/T001,001-x/T002,001-x/T004,001-x/T005
        reference T003-T006 -> 001-x/T003
        reference T003-T006 -> 001-x/T004
        reference T003-T006 -> 001-x/T005
        reference T003-T006 -> 001-x/T006
        reference T004 -> 001-x/T004
        reference T005 -> 001-x/T005
        reference T006 -> 001-x/T006
        reference T006 -> 001-x/T006
    "#]].assert_eq(&items(&ws, "specs/001-x/tasks.md"));
}
