//! OpenSpec: what the parser reads, and every rule firing and silent.

use std::fmt::Write as _;

use expect_test::{expect, Expect};

use crate::analysis::fixture::{actions_at, findings, workspace};

const BASE: &str = "//- openspec/specs/auth/spec.md
# auth Specification

## Purpose
Sign-in for dispatchers.

## Requirements
### Requirement: Magic link
The system SHALL email a sign-in link.

#### Scenario: Link sent
- **WHEN** a dispatcher asks for a link
- **THEN** one email is sent

### Requirement: Session expiry
Sessions MUST end after 12 hours.

#### Scenario: Expired
- **WHEN** 12 hours pass
- **THEN** the dispatcher signs in again
";

fn check(fixture: &str, expect: Expect) {
    expect.assert_eq(&findings(&workspace(fixture).workspace));
}

#[test]
fn the_parser_reads_requirements_changes_tasks_and_deltas() {
    let fixture = format!(
        "{BASE}//- openspec/changes/add-sso/proposal.md\n# Change: Single sign-on\n\n## Why\nFewer passwords.\n\
         //- openspec/changes/add-sso/tasks.md\n## 1. Backend\n- [x] 1.1 SAML endpoint\n- [ ] 1.2 Session bridge\n\
         //- openspec/changes/add-sso/specs/auth/spec.md\n## MODIFIED Requirements\n### Requirement: Session expiry\nSessions MUST end after 8 hours.\n\n#### Scenario: Expired\n- **WHEN** 8 hours pass\n- **THEN** sign in again\n"
    );
    let ws = workspace(&fixture).workspace;
    let mut out = String::new();
    for (file, item) in ws.items() {
        writeln!(
            out,
            "{} {} {} parent={:?} progress={:?} scenarios={}",
            file.rel,
            item.kind.name(),
            item.id,
            item.parent,
            item.progress,
            item.sections.len()
        )
        .unwrap();
    }
    for file in ws.files() {
        for r in &file.facts.references {
            writeln!(out, "{} mentions {:?}", file.rel, r.target).unwrap();
        }
    }
    expect![[r#"
        openspec/changes/add-sso/proposal.md change add-sso parent=None progress=None scenarios=0
        openspec/changes/add-sso/specs/auth/spec.md requirement add-sso/auth/Session expiry parent=None progress=None scenarios=1
        openspec/changes/add-sso/tasks.md task add-sso/task-1.1 parent=Some("add-sso") progress=Some(Done) scenarios=0
        openspec/changes/add-sso/tasks.md task add-sso/task-1.2 parent=Some("add-sso") progress=Some(NotStarted) scenarios=0
        openspec/specs/auth/spec.md requirement auth/Magic link parent=None progress=None scenarios=1
        openspec/specs/auth/spec.md requirement auth/Session expiry parent=None progress=None scenarios=1
        openspec/changes/add-sso/specs/auth/spec.md mentions Id("auth/Session expiry")
    "#]]
    .assert_eq(&out);
    assert_eq!(findings(&ws), "");
}

#[test]
fn a_requirement_needs_a_scenario_and_shall_or_must() {
    check(
        "//- openspec/specs/auth/spec.md\n## Requirements\n### Requirement: Logs\nThe system keeps logs.\n\n### Requirement: Audit\nThe system SHALL audit.\n\n### Scenario: Wrong level\n- **WHEN** x\n",
        expect![[r#"
            openspec/specs/auth/spec.md:2:1 openspec-requirement-without-scenario: requirement `Logs` has no scenario: add a `#### Scenario: <name>` block with WHEN and THEN steps [### Requirement: Logs]
            openspec/specs/auth/spec.md:2:1 openspec-requirement-without-shall: requirement `Logs` says neither SHALL nor MUST: state it as `The system SHALL …` [### Requirement: Logs]
            openspec/specs/auth/spec.md:5:1 openspec-requirement-without-scenario: requirement `Audit` has no scenario OpenSpec reads: `### Scenario: Wrong level` must be a level-4 heading, `#### Scenario: Wrong level` [### Requirement: Audit]
        "#]],
    );
    // Lower-case "shall" is prose to OpenSpec's validator too, but a
    // SHALL in the scenario does not count for the requirement.
    check(BASE, expect![""]);
    // Chinese is written without spaces: OpenSpec's validator finds the
    // SHALL or MUST between its characters, and so does the rule; inside a
    // Latin word (`MUSTARD`) it is none.
    check(
        "//- openspec/specs/auth/spec.md\n## Requirements\n### Requirement: 端点暴露\n系统SHALL通过HTTP接口暴露核心功能。\n\n#### Scenario: 调用\n- **WHEN** 插件调用\n- **THEN** 返回结果\n\n### Requirement: 桥接\n插件系统MUST提供API桥接功能。\n\n#### Scenario: 桥接\n- **WHEN** 调用\n- **THEN** 成功\n\n### Requirement: Sauce\nThe kitchen serves MUSTARD.\n\n#### Scenario: Served\n- **WHEN** asked\n- **THEN** served\n",
        expect![[r#"
            openspec/specs/auth/spec.md:16:1 openspec-requirement-without-shall: requirement `Sauce` says neither SHALL nor MUST: state it as `The system SHALL …` [### Requirement: Sauce]
        "#]],
    );
}

#[test]
fn a_scenario_written_in_another_shape_is_named() {
    // Right under the heading, as a level-5 heading, as a bold line.
    check(
        "//- openspec/specs/auth/spec.md\n## Requirements\n### Requirement: Logs\n##### Scenario: Kept\n- **WHEN** a b\n\n### Requirement: Audit\nThe system SHALL audit.\n\n- **Scenario: Logged**\n  - WHEN x THEN y\n\n### Requirement: Notes\nThe system SHALL note.\n\n```\n### Scenario: An example\n```\n",
        expect![[r#"
            openspec/specs/auth/spec.md:2:1 openspec-requirement-without-scenario: requirement `Logs` has no scenario OpenSpec reads: `##### Scenario: Kept` must be a level-4 heading, `#### Scenario: Kept` [### Requirement: Logs]
            openspec/specs/auth/spec.md:2:1 openspec-requirement-without-text: requirement `Logs` has no text: state it below its heading, `The system SHALL …` [### Requirement: Logs]
            openspec/specs/auth/spec.md:6:1 openspec-requirement-without-scenario: requirement `Audit` has no scenario OpenSpec reads: `- **Scenario: Logged**` must be a level-4 heading, `#### Scenario: Logged` [### Requirement: Audit]
            openspec/specs/auth/spec.md:12:1 openspec-requirement-without-scenario: requirement `Notes` has no scenario: add a `#### Scenario: <name>` block with WHEN and THEN steps [### Requirement: Notes]
        "#]],
    );
    // A heading of the wrong level is fixed by writing it at level 4.
    expect![[r#"
        ## Make the scenario a level-4 heading (preferred: true)
        ## Requirements
        ### Requirement: Audit
        The system SHALL audit.

        #### Scenario: Logged
        - **WHEN** x
        - **THEN** y
    "#]]
    .assert_eq(&actions_at(
        "//- openspec/specs/auth/spec.md\n## Requirements\n### Requirement: $0Audit\nThe system SHALL audit.\n\n### Scenario: Logged\n- **WHEN** x\n- **THEN** y\n",
    ));
}

#[test]
fn a_placeholder_scenario_is_reported() {
    check(
        "//- openspec/specs/auth/spec.md\n## Requirements\n### Requirement: Logs\nThe system SHALL log.\n\n#### Scenario: Later\n- TBD\n\n#### Scenario: Empty\n\n#### Scenario: Real\n- **WHEN** a b\n",
        expect![[r#"
            openspec/specs/auth/spec.md:5:1 openspec-placeholder-scenario: scenario `Later` has no steps: write its WHEN and THEN [#### Scenario: Later]
            openspec/specs/auth/spec.md:8:1 openspec-placeholder-scenario: scenario `Empty` has no steps: write its WHEN and THEN [#### Scenario: Empty]
        "#]],
    );
}

#[test]
fn task_numbers_follow_their_group_and_repeat_nowhere() {
    check(
        "//- openspec/changes/add-sso/tasks.md\n## 1. Backend\n- [ ] 1.1 A\n- [ ] 2.1 B\n\n## 2. Frontend\n- [ ] 2.1 C\n\n## 2b. Fixes\n- [ ] 2.2 D\n- [ ] 2b.1 E\n- [ ] 3.1 F\n",
        expect![[r#"
            openspec/changes/add-sso/tasks.md:3:7 duplicate-id: task `2.1` is defined 2 times [2.1]
            openspec/changes/add-sso/tasks.md:3:7 openspec-task-group: task 2.1 is listed under group 1: renumber it 1.x or move it to group 2 [2.1]
            openspec/changes/add-sso/tasks.md:6:7 duplicate-id: task `2.1` is defined 2 times [2.1]
            openspec/changes/add-sso/tasks.md:11:7 openspec-task-group: task 3.1 is listed under group 2b: renumber it 2b.x or move it to group 3 [3.1]
        "#]],
    );
}

#[test]
fn a_delta_must_match_the_base_spec() {
    let delta = "//- openspec/changes/add-sso/specs/auth/spec.md\n## ADDED Requirements\n### Requirement: Magic link\nThe system SHALL email.\n\n#### Scenario: S\n- **WHEN** a\n\n## MODIFIED Requirements\n### Requirement: Password reset\nThe system SHALL reset.\n\n#### Scenario: S\n- **WHEN** a\n\n## REMOVED Requirements\n### Requirement: Session expiry\n\n## RENAMED Requirements\n- FROM: `### Requirement: Magic links`\n- TO: `### Requirement: Email links`\n";
    check(
        &format!("{BASE}{delta}"),
        expect![[r#"
            openspec/changes/add-sso/specs/auth/spec.md:2:1 openspec-requirement-exists: `openspec/specs/auth/spec.md` already has requirement `Magic link`: list it under `## MODIFIED Requirements` instead [### Requirement: Magic link]
            openspec/changes/add-sso/specs/auth/spec.md:9:18 openspec-unknown-requirement: this delta changes requirement `Password reset`, but `openspec/specs/auth/spec.md` has no such requirement [Password reset]
            openspec/changes/add-sso/specs/auth/spec.md:19:27 openspec-unknown-requirement: this delta renames requirement `Magic links`, but `openspec/specs/auth/spec.md` has no such requirement [Magic links]
        "#]],
    );
    // A delta of a capability with no spec yet may only add.
    check(
        "//- openspec/changes/add-sso/specs/billing/spec.md\n## MODIFIED Requirements\n### Requirement: Invoices\nThe system SHALL bill.\n\n#### Scenario: S\n- **WHEN** a\n",
        expect![[r#"
            openspec/changes/add-sso/specs/billing/spec.md:2:18 openspec-unknown-requirement: this delta changes requirement `Invoices`, but `openspec/specs/billing/spec.md` does not exist [Invoices]
        "#]],
    );
    // Archived deltas have been applied: the base spec has moved on.
    check(
        &format!("{BASE}//- openspec/changes/archive/2025-01-02-add-sso/specs/auth/spec.md\n## ADDED Requirements\n### Requirement: Magic link\nThe system SHALL email.\n\n#### Scenario: S\n- **WHEN** a\n"),
        expect![""],
    );
}

#[test]
fn a_change_left_behind_after_archiving_is_named() {
    // `openspec archive` moved the change but its folder stayed (Kinex kept
    // `changes/refactor-ik-solver-restructure/specs/` beside its archived
    // copy): what it adds is in the spec because the archived copy added
    // it, so the message says to delete the leftover, not to rewrite it.
    let delta = "## ADDED Requirements\n### Requirement: Magic link\nThe system SHALL email.\n\n#### Scenario: S\n- **WHEN** a\n- **THEN** b\n";
    check(
        &format!(
            "{BASE}//- openspec/changes/archive/2025-01-02-add-sso/specs/auth/spec.md\n{delta}\
             //- openspec/changes/add-sso/specs/auth/spec.md\n{delta}\
             //- openspec/changes/add-sso-v2/specs/auth/spec.md\n{delta}"
        ),
        expect![[r#"
            openspec/changes/add-sso-v2/specs/auth/spec.md:2:1 openspec-requirement-exists: `openspec/specs/auth/spec.md` already has requirement `Magic link`: list it under `## MODIFIED Requirements` instead [### Requirement: Magic link]
            openspec/changes/add-sso/specs/auth/spec.md:2:1 openspec-requirement-exists: `openspec/specs/auth/spec.md` already has requirement `Magic link`: this change was archived as `openspec/changes/archive/2025-01-02-add-sso/`, so this folder is left over: delete it [### Requirement: Magic link]
        "#]],
    );
    // The leftover is named even when the spec holds the addition word for
    // word, as archiving leaves it.
    let spec = "//- openspec/specs/auth/spec.md\n## Requirements\n### Requirement: Magic link\nThe system SHALL email.\n\n#### Scenario: S\n- **WHEN** a\n- **THEN** b\n";
    check(
        &format!(
            "{spec}//- openspec/changes/archive/2025-01-02-add-sso/specs/auth/spec.md\n{delta}\
             //- openspec/changes/add-sso/specs/auth/spec.md\n{delta}"
        ),
        expect![[r#"
            openspec/changes/add-sso/specs/auth/spec.md:2:1 openspec-requirement-exists: `openspec/specs/auth/spec.md` already has requirement `Magic link`: this change was archived as `openspec/changes/archive/2025-01-02-add-sso/`, so this folder is left over: delete it [### Requirement: Magic link]
        "#]],
    );
}

#[test]
fn a_new_change_reusing_an_archived_change_s_name_is_no_leftover() {
    // A team names a new change after an old archived one: the archived
    // copy added another requirement, so the new folder is live work and
    // the usual advice stands.
    let old = "## ADDED Requirements\n### Requirement: Passwords\nThe system SHALL hash.\n\n#### Scenario: S\n- **WHEN** a\n- **THEN** b\n";
    let new = "## ADDED Requirements\n### Requirement: Magic link\nThe system SHALL email.\n\n#### Scenario: S\n- **WHEN** a\n- **THEN** b\n";
    check(
        &format!(
            "{BASE}//- openspec/changes/archive/2025-01-02-add-sso/specs/auth/spec.md\n{old}\
             //- openspec/changes/add-sso/specs/auth/spec.md\n{new}"
        ),
        expect![[r#"
            openspec/changes/add-sso/specs/auth/spec.md:2:1 openspec-requirement-exists: `openspec/specs/auth/spec.md` already has requirement `Magic link`: list it under `## MODIFIED Requirements` instead [### Requirement: Magic link]
        "#]],
    );
}

#[test]
fn an_archived_delta_is_not_checked_again() {
    // OpenSpec validates active changes only: an archived delta's
    // requirement without SHALL or a scenario lives on in the spec, which
    // is checked, and the archive is not edited.
    let delta = "## ADDED Requirements\n### Requirement: Audit log\nEvery sign-in is logged.\n";
    check(
        &format!(
            "//- openspec/changes/archive/2025-01-02-add-audit/specs/audit/spec.md\n{delta}\
             //- openspec/changes/add-export/specs/audit/spec.md\n{delta}"
        ),
        expect![[r#"
            openspec/changes/add-export/specs/audit/spec.md:2:1 openspec-requirement-without-scenario: requirement `Audit log` has no scenario: add a `#### Scenario: <name>` block with WHEN and THEN steps [### Requirement: Audit log]
            openspec/changes/add-export/specs/audit/spec.md:2:1 openspec-requirement-without-shall: requirement `Audit log` says neither SHALL nor MUST: state it as `The system SHALL …` [### Requirement: Audit log]
        "#]],
    );
}

#[test]
fn an_archived_change_with_open_tasks_is_reported() {
    check(
        "//- openspec/changes/archive/2025-01-02-add-sso/tasks.md\n## 1. Backend\n- [x] 1.1 A\n- [ ] 1.2 B\n- [ ] 1.3 C\n//- openspec/changes/add-sso/tasks.md\n## 1. Backend\n- [ ] 1.1 A\n",
        expect![[r#"
            openspec/changes/archive/2025-01-02-add-sso/tasks.md:3:7 openspec-archived-open-tasks: this change is archived but 2 of its tasks are open (first 1.2): tick them or say why they were dropped [1.2]
        "#]],
    );
    // A task whose line says why it was left open is not counted; the word
    // in prose says nothing.
    check(
        "//- openspec/changes/archive/2025-01-02-add-sso/tasks.md\n## 1. Backend\n- [ ] 1.1 Prefetch the next week (optional optimization) - Cancelled: not needed for MVP\n- [ ] 1.2 暴露调试接口（可选）\n- [ ] 1.3 Retry failed logins - SKIPPED\n- [ ] 1.4 Add optional caching\n",
        expect![[r#"
            openspec/changes/archive/2025-01-02-add-sso/tasks.md:5:7 openspec-archived-open-tasks: this change is archived but 1 of its tasks is open (first 1.4): tick them or say why they were dropped [1.4]
        "#]],
    );
}

#[test]
fn the_plan_treats_archived_changes_as_done() {
    let ws = workspace(
        "//- openspec/changes/archive/2025-01-02-old/proposal.md\n# Change: Old\n//- openspec/changes/archive/2025-01-02-old/tasks.md\n## 1. A\n- [ ] 1.1 Left over\n//- openspec/changes/add-sso/proposal.md\n# Change: SSO\n//- openspec/changes/add-sso/tasks.md\n## 1. A\n- [ ] 1.1 One\n- [ ] 1.2 Two\n",
    )
    .workspace;
    let plan = crate::analysis::plan::plan(&crate::analysis::graph::Graph::build(&ws));
    expect![[r#"[["add-sso/task-1.1"], ["add-sso/task-1.2"], ["add-sso"]]"#]]
        .assert_eq(&format!("{:?}", plan.waves));
}

#[test]
fn a_task_marked_optional_holds_nothing_back() {
    // 1.2 may be dropped: 1.3 waits for 1.1 only, and the change does not
    // wait for 1.2.
    let ws = workspace(
        "//- openspec/changes/add-sso/proposal.md\n# Change: SSO\n//- openspec/changes/add-sso/tasks.md\n## 1. A\n- [ ] 1.1 One\n- [ ] 1.2 Cache the tokens (optional)\n- [ ] 1.3 Three\n",
    )
    .workspace;
    let plan = crate::analysis::plan::plan(&crate::analysis::graph::Graph::build(&ws));
    expect![[r#"[["add-sso/task-1.1"], ["add-sso/task-1.2", "add-sso/task-1.3"], ["add-sso"]]"#]]
        .assert_eq(&format!("{:?}", plan.waves));
}

/// OpenSpec counts every checkbox line as a task, numbered or not: a task
/// without a number gets the next free number of its group, and a group
/// heading without a number its place among the groups. A lettered group
/// (`## 4a.`) numbers its tasks `4a.1`.
#[test]
fn tasks_without_a_number_are_tasks() {
    let fixture = "//- openspec/changes/add-sso/proposal.md\n# Change: SSO\n//- openspec/changes/add-sso/tasks.md\n# Tasks\n\n## Spec tasks\n- [x] Add spec deltas\n- [ ] Validate with `openspec validate --strict`\n\n## Implementation\n- [ ] Build the catalog\n- [ ] Tests: add tests for\n  - [ ] tampered modules\n1. [ ] Numbered list item\n\n## 3. Follow-up\n- [ ] Ship it\n- [ ] 3.1 Written number\n\n## 4a. Fixes\n- [ ] 4a.8 Theme\n";
    let ws = workspace(fixture).workspace;
    let mut out = String::new();
    for (_, item) in ws.items() {
        writeln!(out, "{} {:?} {:?}", item.id, item.title, item.progress).unwrap();
    }
    expect![[r#"
        add-sso "Change: SSO" None
        add-sso/task-1.1 "Add spec deltas" Some(Done)
        add-sso/task-1.2 "Validate with `openspec validate --strict`" Some(NotStarted)
        add-sso/task-2.1 "Build the catalog" Some(NotStarted)
        add-sso/task-2.2 "Tests: add tests for" Some(NotStarted)
        add-sso/task-2.2.1 "tampered modules" Some(NotStarted)
        add-sso/task-2.3 "Numbered list item" Some(NotStarted)
        add-sso/task-3.2 "Ship it" Some(NotStarted)
        add-sso/task-3.1 "Written number" Some(NotStarted)
        add-sso/task-4a.8 "Theme" Some(NotStarted)
    "#]]
    .assert_eq(&out);
    assert_eq!(findings(&ws), "");
    // An archived change's first open task without a number is the one the
    // finding points at.
    check(
        "//- openspec/changes/archive/2025-01-02-add-sso/tasks.md\n## Tasks\n- [x] Spec deltas\n- [ ] Validate the change\n",
        expect![[r#"
            openspec/changes/archive/2025-01-02-add-sso/tasks.md:3:7 openspec-archived-open-tasks: this change is archived but 1 of its tasks is open (first this one): tick them or say why they were dropped [Validate the change]
        "#]],
    );
}

#[test]
fn a_rename_applies_before_the_sections_after_it() {
    // OpenSpec applies RENAMED first: MODIFIED names the new name, and
    // naming the old one is the mistake.
    let renamed = "//- openspec/changes/rename/specs/auth/spec.md\n## RENAMED Requirements\n- FROM: `### Requirement: Magic link`\n- TO: `### Requirement: Email link`\n\n## MODIFIED Requirements\n### Requirement: Email link\nThe system SHALL email a link.\n\n#### Scenario: Sent\n- **WHEN** asked\n\n### Requirement: Magic link\nThe system SHALL email a link.\n\n#### Scenario: Sent\n- **WHEN** asked\n";
    check(
        &format!("{BASE}{renamed}"),
        expect![[r#"
            openspec/changes/rename/specs/auth/spec.md:12:18 openspec-unknown-requirement: this delta renames requirement `Magic link` to `Email link`, so it must name it `Email link` here [Magic link]
        "#]],
    );
}

/// OpenSpec reads a rename only as `FROM: ### Requirement: Name` (and
/// `TO:`): a line without the `###`, with a `*` bullet or `requirement:` in
/// lower case is skipped by its archive, and said so; a line in a code
/// block or outside the RENAMED section is none of its business.
#[test]
fn a_rename_line_openspec_skips_is_reported() {
    let renamed = "//- openspec/changes/rename/specs/auth/spec.md\n## RENAMED Requirements\n- FROM: Requirement: Magic link\n- TO: `### Requirement: Email link`\n* FROM: `### Requirement: Password reset`\nTO: ### requirement: Reset link\n\n```\n- FROM: Requirement: Example\n```\n\n## ADDED Requirements\n### Requirement: Audit log\nThe system SHALL log.\n\n#### Scenario: Logged\n- **WHEN** a sign-in\n- FROM: Requirement: Not a rename\n";
    check(
        &format!("{BASE}{renamed}"),
        expect![[r#"
            openspec/changes/rename/specs/auth/spec.md:2:1 openspec-rename-format: OpenSpec skips this line, so archiving the change would not apply the rename: write it `- FROM: ### Requirement: <old name>` (or `- TO: ### Requirement: <new name>`), with `###` and `FROM`/`TO` in capitals [- FROM: Requirement: Magic link]
            openspec/changes/rename/specs/auth/spec.md:4:1 openspec-rename-format: OpenSpec skips this line, so archiving the change would not apply the rename: write it `- FROM: ### Requirement: <old name>` (or `- TO: ### Requirement: <new name>`), with `###` and `FROM`/`TO` in capitals [* FROM: `### Requirement: Password reset`]
            openspec/changes/rename/specs/auth/spec.md:4:27 openspec-unknown-requirement: this delta renames requirement `Password reset`, but `openspec/specs/auth/spec.md` has no such requirement [Password reset]
            openspec/changes/rename/specs/auth/spec.md:5:1 openspec-rename-format: OpenSpec skips this line, so archiving the change would not apply the rename: write it `- FROM: ### Requirement: <old name>` (or `- TO: ### Requirement: <new name>`), with `###` and `FROM`/`TO` in capitals [TO: ### requirement: Reset link]
        "#]],
    );
}

#[test]
fn a_change_synced_before_it_is_archived_repeats_what_the_spec_says() {
    // The spec already holds the change: the rename made, the removal
    // done, the addition with the same text. Only an addition whose text
    // differs, and a removal spelt in another case, are mistakes.
    let spec = "//- openspec/specs/auth/spec.md\n## Requirements\n### Requirement: Email link\nThe system SHALL email a link.\n\n#### Scenario: Sent\n- **WHEN** asked\n\n### Requirement: Audit log\nThe system SHALL log sign-ins.\n\n#### Scenario: Logged\n- **WHEN** a sign-in\n\n### Requirement: Session expiry\nSessions MUST end.\n\n#### Scenario: Expired\n- **WHEN** 12 hours pass\n";
    let delta = "//- openspec/changes/synced/specs/auth/spec.md\n## ADDED Requirements\n### Requirement: Audit log\nThe system SHALL log sign-ins.\n\n#### Scenario: Logged\n- **WHEN** a sign-in\n\n### Requirement: Session expiry\nSessions MUST end after 8 hours.\n\n#### Scenario: Expired\n- **WHEN** 8 hours pass\n\n## REMOVED Requirements\n- `### Requirement: Password login`\n- `### Requirement: session Expiry`\n\n## RENAMED Requirements\nFROM: `### Requirement: Magic link`\nTO: `### Requirement: Email link`\n";
    check(
        &format!("{spec}{delta}"),
        expect![[r#"
            openspec/changes/synced/specs/auth/spec.md:8:1 openspec-requirement-exists: `openspec/specs/auth/spec.md` already has requirement `Session expiry`: list it under `## MODIFIED Requirements` instead [### Requirement: Session expiry]
            openspec/changes/synced/specs/auth/spec.md:16:21 openspec-unknown-requirement: this delta removes requirement `session Expiry`, but `openspec/specs/auth/spec.md` names it `Session expiry`: OpenSpec matches names exactly [session Expiry]
        "#]],
    );
}

#[test]
fn any_level_four_heading_of_a_requirement_is_a_scenario() {
    // OpenSpec reads every `####` heading under a requirement as one of
    // its scenarios, and `### requirement:` in any case as a requirement.
    let spec = "//- openspec/specs/pay/spec.md\n## Requirements\n### requirement: Refunds\nThe system SHALL refund.\n\n#### Scenario 1: Full refund\n- **WHEN** asked\n\n### Requirement: Receipts\n系统SHALL发送收据。\n\n#### 场景：发送\n- **WHEN** 支付\n\n### Requirement: Limits\nThe system SHALL cap refunds.\n\n#### Edge case: zero\n- **WHEN** the amount is 0\n";
    let ws = workspace(spec).workspace;
    let titles: Vec<(String, usize)> = ws
        .items()
        .map(|(_, item)| (item.title.to_string(), item.sections.len()))
        .collect();
    expect![[r#"[("Refunds", 1), ("Receipts", 1), ("Limits", 1)]"#]]
        .assert_eq(&format!("{titles:?}"));
    expect![""].assert_eq(&findings(&ws));
}

#[test]
fn shall_counts_in_the_text_outside_code_only() {
    let spec = "//- openspec/specs/pay/spec.md\n## Requirements\n### Requirement: The system SHALL send receipts\nReceipts go out by email.\n\n#### Scenario: Sent\n- **WHEN** paid\n\n### Requirement: Limits\n```text\nMUST cap\n```\n\n#### Scenario: Capped\n- **WHEN** too much\n";
    check(
        spec,
        expect![[r#"
            openspec/specs/pay/spec.md:2:1 openspec-requirement-without-shall: requirement `The system SHALL send receipts` says SHALL or MUST in its heading only: OpenSpec reads it in the text below, `The system SHALL …` [### Requirement: The system SHALL send receipts]
            openspec/specs/pay/spec.md:8:1 openspec-requirement-without-text: requirement `Limits` has no text: state it below its heading, `The system SHALL …` [### Requirement: Limits]
        "#]],
    );
}

#[test]
fn a_capability_nested_in_an_area_is_read_at_its_path() {
    // OpenSpec reads `specs/<area>/<capability>/spec.md` at any depth (the
    // capability is `platform/auth`): a delta there is checked against the
    // main spec at the same path, not against `specs/auth/`.
    let spec = "//- openspec/specs/platform/auth/spec.md\n## Requirements\n### Requirement: Token signing\nTokens MUST be signed.\n\n#### Scenario: Signed\n- **WHEN** a token is issued\n";
    let delta = "//- openspec/changes/add-2fa/specs/platform/auth/spec.md\n## ADDED Requirements\n### Requirement: Token signing\nTokens MUST be signed with ES256.\n\n#### Scenario: Signed\n- **WHEN** a token is issued\n\n## MODIFIED Requirements\n### Requirement: Token rotation\nTokens MUST rotate.\n\n#### Scenario: Rotated\n- **WHEN** a day passes\n";
    let ws = workspace(&format!("{spec}{delta}")).workspace;
    let ids: Vec<String> = ws.items().map(|(_, item)| item.id.to_string()).collect();
    expect![[r#"["add-2fa/platform/auth/Token signing", "add-2fa/platform/auth/Token rotation", "platform/auth/Token signing"]"#]]
        .assert_eq(&format!("{ids:?}"));
    expect![[r#"
        openspec/changes/add-2fa/specs/platform/auth/spec.md:2:1 openspec-requirement-exists: `openspec/specs/platform/auth/spec.md` already has requirement `Token signing`: list it under `## MODIFIED Requirements` instead [### Requirement: Token signing]
        openspec/changes/add-2fa/specs/platform/auth/spec.md:9:18 openspec-unknown-requirement: this delta changes requirement `Token rotation`, but `openspec/specs/platform/auth/spec.md` has no such requirement [Token rotation]
    "#]]
    .assert_eq(&findings(&ws));
}

#[test]
fn a_delta_at_the_root_of_a_change_s_specs_is_reported() {
    // OpenSpec drops `changes/<id>/specs/spec.md` when the change is
    // archived, and ignores a main spec right in `specs/`; an archived
    // change's is history.
    check(
        "//- openspec/specs/spec.md\n## Requirements\n//- openspec/changes/c2/specs/spec.md\n## ADDED Requirements\n### Requirement: Lost\nThe system SHALL lose it.\n\n#### Scenario: S\n- **WHEN** a\n//- openspec/changes/archive/2025-01-02-c1/specs/spec.md\n## ADDED Requirements\n",
        expect![[r#"
            openspec/changes/c2/specs/spec.md:1:1 openspec-root-delta: this delta spec is not in a capability's folder: OpenSpec drops a `spec.md` right in a change's `specs/` when the change is archived; move it to `specs/<capability>/spec.md` [## ADDED Requirements]
        "#]],
    );
}

#[test]
fn a_requirement_outside_the_requirements_section_is_invisible_to_openspec() {
    // OpenSpec reads a spec's requirements under `## Requirements` only:
    // one under another `##` heading (or a delta heading left in the spec)
    // is reported, and a change cannot modify or remove it.
    let spec = "//- openspec/specs/perf/spec.md\n# perf Specification\n\n## Requirements\n### Requirement: Latency\nThe API SHALL answer in 200 ms.\n\n#### Scenario: p95\n- **WHEN** load is nominal\n\n## Non-Functional Requirements\n### Requirement: Memory budget\nThe service MUST stay under 512 MB.\n\n#### Scenario: Memory\n- **WHEN** load is nominal\n\n## ADDED Requirements\n### Requirement: Cold start\nThe service MUST start in 2 s.\n\n#### Scenario: Start\n- **WHEN** a pod starts\n";
    let delta = "//- openspec/changes/tune/specs/perf/spec.md\n## MODIFIED Requirements\n### Requirement: Memory budget\nThe service MUST stay under 1 GB.\n\n#### Scenario: Memory\n- **WHEN** load is nominal\n\n### Requirement: Latency\nThe API SHALL answer in 100 ms.\n\n#### Scenario: p95\n- **WHEN** load is nominal\n\n## REMOVED Requirements\n- `### Requirement: Cold start`\n";
    check(
        &format!("{spec}{delta}"),
        expect![[r#"
            openspec/changes/tune/specs/perf/spec.md:2:18 openspec-unknown-requirement: this delta changes requirement `Memory budget`, but `openspec/specs/perf/spec.md` has it outside its `## Requirements` section, where OpenSpec does not read it: move it under `## Requirements` [Memory budget]
            openspec/changes/tune/specs/perf/spec.md:15:21 openspec-unknown-requirement: this delta removes requirement `Cold start`, but `openspec/specs/perf/spec.md` has it outside its `## Requirements` section, where OpenSpec does not read it: move it under `## Requirements` [Cold start]
            openspec/specs/perf/spec.md:11:1 openspec-requirement-outside-section: requirement `Memory budget` is under `## Non-Functional Requirements`, outside the spec's `## Requirements` section, where OpenSpec reads requirements: `openspec validate` rejects it and no change can modify, remove or rename it; move it under `## Requirements` [### Requirement: Memory budget]
            openspec/specs/perf/spec.md:18:1 openspec-requirement-outside-section: requirement `Cold start` is under `## ADDED Requirements`, outside the spec's `## Requirements` section, where OpenSpec reads requirements: `openspec validate` rejects it and no change can modify, remove or rename it; move it under `## Requirements` [### Requirement: Cold start]
        "#]],
    );
    // A spec with no `## Requirements` heading at all has none for
    // OpenSpec: one finding, on the first, counts the others. A heading in
    // a code block is no section.
    check(
        "//- openspec/specs/auth/spec.md\n# auth\n\n```md\n## Requirements\n```\n\n### Requirement: Login\nThe system SHALL log in.\n\n#### Scenario: S\n- **WHEN** a\n\n### Requirement: Logout\nThe system SHALL log out.\n\n#### Scenario: S\n- **WHEN** a\n",
        expect![[r#"
            openspec/specs/auth/spec.md:7:1 openspec-requirement-outside-section: this spec has no `## Requirements` heading, so OpenSpec does not see requirement `Login` (and the one after it): it reads requirements under that heading only; put `## Requirements` above them [### Requirement: Login]
        "#]],
    );
}

#[test]
fn a_sub_item_without_a_number_is_numbered_below_its_task() {
    // The unnumbered steps under `1.2` are `1.2.1` and `1.2.3` (`1.2.2` is
    // written), not `1.4` and `1.5`, which would pass for tasks of group 1;
    // a step under a step goes one level further down.
    let fixture = "//- openspec/changes/web/tasks.md\n## 1. Setup\n- [x] 1.1 First\n- [ ] 1.2 Strip the engine:\n  - [x] delete the client\n  - [ ] 1.2.2 delete the route\n  - [ ] delete the test\n    - [ ] and its fixture\n- [ ] 1.3 Third\n- [ ] Fourth\n";
    let ws = workspace(fixture).workspace;
    let mut out = String::new();
    for (_, item) in ws.items() {
        writeln!(out, "{} {:?}", item.id, item.title).unwrap();
    }
    expect![[r#"
        web/task-1.1 "First"
        web/task-1.2 "Strip the engine:"
        web/task-1.2.1 "delete the client"
        web/task-1.2.2 "delete the route"
        web/task-1.2.3 "delete the test"
        web/task-1.2.3.1 "and its fixture"
        web/task-1.3 "Third"
        web/task-1.4 "Fourth"
    "#]]
    .assert_eq(&out);
    assert_eq!(findings(&ws), "");
}

#[test]
fn a_requirement_another_active_change_adds_is_named_with_that_change() {
    // `add-2fa-recovery` modifies what `add-2fa` adds: the spec has no such
    // requirement until `add-2fa` is archived, which the message says. The
    // same holds for a capability `add-2fa` creates.
    let adds = "## ADDED Requirements\n### Requirement: Two-factor\nThe system SHALL ask for a code.\n\n#### Scenario: S\n- **WHEN** a\n";
    let modifies = "## MODIFIED Requirements\n### Requirement: Two-factor\nThe system SHALL ask for a code or a recovery key.\n\n#### Scenario: S\n- **WHEN** a\n";
    check(
        &format!(
            "{BASE}//- openspec/changes/add-2fa/specs/auth/spec.md\n{adds}//- openspec/changes/add-2fa/specs/otp/spec.md\n{adds}\
             //- openspec/changes/add-2fa-recovery/specs/auth/spec.md\n{modifies}//- openspec/changes/add-2fa-recovery/specs/otp/spec.md\n{modifies}\
             //- openspec/changes/archive/2025-01-02-old/specs/billing/spec.md\n{adds}//- openspec/changes/bill/specs/billing/spec.md\n{modifies}"
        ),
        expect![[r#"
            openspec/changes/add-2fa-recovery/specs/auth/spec.md:2:18 openspec-unknown-requirement: this delta changes requirement `Two-factor`, but `openspec/specs/auth/spec.md` has no such requirement yet: the active change `add-2fa` adds it; archive `add-2fa` before this change [Two-factor]
            openspec/changes/add-2fa-recovery/specs/otp/spec.md:2:18 openspec-unknown-requirement: this delta changes requirement `Two-factor`, but `openspec/specs/otp/spec.md` does not exist yet: the active change `add-2fa` adds it; archive `add-2fa` before this change [Two-factor]
            openspec/changes/bill/specs/billing/spec.md:2:18 openspec-unknown-requirement: this delta changes requirement `Two-factor`, but `openspec/specs/billing/spec.md` does not exist [Two-factor]
        "#]],
    );
}

/// Every finding, `rel:line rule (severity)`, for the tests of severities.
fn severities(fixture: &str) -> String {
    let ws = workspace(fixture).workspace;
    let mut out = String::new();
    for d in crate::analysis::rules::check_workspace(&ws) {
        let line = ws.file(&d.rel).map_or(0, |file| {
            file.line_index()
                .line_col(
                    &file.text,
                    d.range.start(),
                    crate::analysis::text::ColumnUnit::Char,
                )
                .line
                + 1
        });
        writeln!(out, "{}:{line} {} ({})", d.rel, d.rule, d.severity.name()).unwrap();
    }
    out
}

#[test]
fn a_requirement_in_another_language_is_warned_of_not_rejected() {
    // OpenSpec's validator (v1.8 on) warns of a requirement whose text has
    // no English SHALL or MUST, so that a spec written in Chinese or
    // Japanese validates; a requirement with no text at all, or an added
    // or modified one without a scenario, it still rejects, and a main
    // spec's requirement without a scenario fails its schema as well.
    let spec = "//- openspec/specs/pay/spec.md\n## Purpose\n支付。\n\n## Requirements\n### Requirement: 退款\n系统必须在三天内退款。\n\n#### Scenario: 全额退款\n- **WHEN** 用户申请\n- **THEN** 退款\n\n### Requirement: The system SHALL send receipts\n\n#### Scenario: Sent\n- **WHEN** paid\n\n### Requirement: Limits\nRefunds are capped.\n\n### Requirement: Package\n`.modpkg` 文件必须是 ZIP。\n\n#### Scenario: Zip\n- **WHEN** 打包\n";
    let delta = "//- openspec/changes/cap/specs/pay/spec.md\n## ADDED Requirements\n### Requirement: 上限\n退款有上限。\n\n### Requirement: Audit\n##### Scenario: Logged\n- **WHEN** a refund\n";
    expect![[r#"
        openspec/changes/cap/specs/pay/spec.md:2 openspec-requirement-without-scenario (error)
        openspec/changes/cap/specs/pay/spec.md:2 openspec-requirement-without-shall (warning)
        openspec/changes/cap/specs/pay/spec.md:5 openspec-requirement-without-scenario (error)
        openspec/changes/cap/specs/pay/spec.md:5 openspec-requirement-without-text (error)
        openspec/specs/pay/spec.md:5 openspec-requirement-without-shall (warning)
        openspec/specs/pay/spec.md:12 openspec-requirement-without-text (error)
        openspec/specs/pay/spec.md:17 openspec-requirement-without-scenario (error)
        openspec/specs/pay/spec.md:17 openspec-requirement-without-shall (warning)
        openspec/specs/pay/spec.md:20 openspec-requirement-without-shall (warning)
    "#]]
    .assert_eq(&severities(&format!("{spec}{delta}")));
}

#[test]
fn a_requirement_openspec_does_not_see_is_reported_once() {
    // Without a `## Requirements` heading OpenSpec reads none of the
    // spec's requirements, so it judges neither their text nor their
    // scenarios: the one finding says where they must go.
    check(
        "//- openspec/specs/pay/spec.md\n## ADDED Requirements\n### Requirement: 退款\n系统在三天内退款。\n",
        expect![[r#"
            openspec/specs/pay/spec.md:2:1 openspec-requirement-outside-section: this spec has no `## Requirements` heading, so OpenSpec does not see requirement `退款`: it reads requirements under that heading only; put `## Requirements` above them [### Requirement: 退款]
        "#]],
    );
}

#[test]
fn a_delta_left_in_its_spec_is_no_second_definition() {
    // A spec that kept the `## ADDED Requirements` it was made from above
    // its `## Requirements` (as 4lbi3/memento-mcp-extended's has) repeats
    // each requirement, but OpenSpec reads only the copy under
    // `## Requirements`: the stale copy is reported as unread, and neither
    // is a duplicate. Two copies OpenSpec reads still are.
    check(
        "//- openspec/specs/graph/spec.md\n# graph\n\n## ADDED Requirements\n### Requirement: Purge\nThe store SHALL purge.\n\n#### Scenario: S\n- **WHEN** a\n\n## Requirements\n### Requirement: Purge\nThe store SHALL purge.\n\n#### Scenario: S\n- **WHEN** a\n\n### Requirement: Merge\nThe store SHALL merge.\n\n#### Scenario: S\n- **WHEN** a\n\n### Requirement: Merge\nThe store SHALL merge.\n\n#### Scenario: S\n- **WHEN** a\n",
        expect![[r#"
            openspec/specs/graph/spec.md:4:1 openspec-requirement-outside-section: requirement `Purge` is under `## ADDED Requirements`, a copy of the one in the spec's `## Requirements` section, where OpenSpec reads requirements: it does not see this copy; delete it [### Requirement: Purge]
            openspec/specs/graph/spec.md:17:1 duplicate-id: requirement `graph/Merge` is defined 2 times [### Requirement: Merge]
            openspec/specs/graph/spec.md:23:1 duplicate-id: requirement `graph/Merge` is defined 2 times [### Requirement: Merge]
        "#]],
    );
}

#[test]
fn a_change_modifying_what_another_active_change_adds_waits_for_it() {
    // `add-2fa-recovery` modifies the requirement `add-2fa` adds: it can be
    // archived only after `add-2fa`, so its tasks come after `add-2fa`'s.
    // `bill` adds nothing anyone changes and waits for no other change;
    // `audit` changes what `no-proposal` adds, a change without a proposal,
    // so it waits for that change's open tasks.
    let adds = "## ADDED Requirements\n### Requirement: Two-factor\nThe system SHALL ask for a code.\n\n#### Scenario: S\n- **WHEN** a\n";
    let modifies = "## MODIFIED Requirements\n### Requirement: Two-factor\nThe system SHALL ask for a code or a recovery key.\n\n#### Scenario: S\n- **WHEN** a\n";
    let ws = workspace(&format!(
        "{BASE}//- openspec/changes/add-2fa-recovery/proposal.md\n# Recovery\n//- openspec/changes/add-2fa-recovery/tasks.md\n## 1. A\n- [ ] 1.1 Recovery keys\n- [ ] 1.2 Docs\n\
         //- openspec/changes/add-2fa-recovery/specs/auth/spec.md\n{modifies}\
         //- openspec/changes/add-2fa/proposal.md\n# 2FA\n//- openspec/changes/add-2fa/tasks.md\n## 1. A\n- [x] 1.1 Codes\n- [ ] 1.2 Enrolment\n\
         //- openspec/changes/add-2fa/specs/auth/spec.md\n{adds}\
         //- openspec/changes/bill/proposal.md\n# Bill\n//- openspec/changes/bill/tasks.md\n## 1. A\n- [ ] 1.1 Invoices\n\
         //- openspec/changes/no-proposal/tasks.md\n## 1. A\n- [ ] 1.1 Codes\n\
         //- openspec/changes/no-proposal/specs/otp/spec.md\n{adds}\
         //- openspec/changes/audit/tasks.md\n## 1. A\n- [ ] 1.1 Audit\n\
         //- openspec/changes/audit/specs/otp/spec.md\n{modifies}"
    ))
    .workspace;
    let plan = crate::analysis::plan::plan(&crate::analysis::graph::Graph::build(&ws));
    expect![[r#"[["add-2fa/task-1.2", "bill/task-1.1", "no-proposal/task-1.1"], ["add-2fa", "audit/task-1.1", "bill"], ["add-2fa-recovery/task-1.1"], ["add-2fa-recovery/task-1.2"], ["add-2fa-recovery"]]"#]].assert_eq(&format!("{:?}", plan.waves));
}

#[test]
fn a_change_removing_or_renaming_what_another_active_change_adds_waits_for_it() {
    // `drop-sms` removes, as a bullet, and `rename-otp` renames, with
    // `FROM:`/`TO:` lines, the requirement `add-sms` adds: OpenSpec can
    // archive either only after `add-sms` (archived first, the removal
    // would remove nothing and the rename fail), so their tasks come after
    // its.
    let adds = "## ADDED Requirements\n### Requirement: SMS codes\nThe system SHALL text a code.\n\n#### Scenario: S\n- **WHEN** a\n";
    let removes = "## REMOVED Requirements\n- `### Requirement: SMS codes`\n";
    let renames = "## RENAMED Requirements\n- FROM: `### Requirement: SMS codes`\n- TO: `### Requirement: Text codes`\n";
    let fixture = |removes: &str| {
        format!(
            "{BASE}//- openspec/changes/add-sms/proposal.md\n# SMS\n//- openspec/changes/add-sms/tasks.md\n## 1. A\n- [ ] 1.1 Texts\n\
             //- openspec/changes/add-sms/specs/auth/spec.md\n{adds}\
             //- openspec/changes/drop-sms/proposal.md\n# Drop\n//- openspec/changes/drop-sms/tasks.md\n## 1. A\n- [ ] 1.1 Drop\n\
             //- openspec/changes/drop-sms/specs/auth/spec.md\n{removes}\
             //- openspec/changes/rename-otp/proposal.md\n# Rename\n//- openspec/changes/rename-otp/tasks.md\n## 1. A\n- [ ] 1.1 Rename\n\
             //- openspec/changes/rename-otp/specs/auth/spec.md\n{renames}"
        )
    };
    let ws = workspace(&fixture(removes)).workspace;
    let plan = crate::analysis::plan::plan(&crate::analysis::graph::Graph::build(&ws));
    expect![[r#"[["add-sms/task-1.1"], ["add-sms"], ["drop-sms/task-1.1", "rename-otp/task-1.1"], ["drop-sms", "rename-otp"]]"#]]
    .assert_eq(&format!("{:?}", plan.waves));
    expect![[r#"
        openspec/changes/drop-sms/specs/auth/spec.md:2:21 openspec-unknown-requirement: this delta removes requirement `SMS codes`, but `openspec/specs/auth/spec.md` has no such requirement yet: the active change `add-sms` adds it; archive `add-sms` before this change [SMS codes]
        openspec/changes/rename-otp/specs/auth/spec.md:2:27 openspec-unknown-requirement: this delta renames requirement `SMS codes`, but `openspec/specs/auth/spec.md` has no such requirement yet: the active change `add-sms` adds it; archive `add-sms` before this change [SMS codes]
    "#]]
    .assert_eq(&findings(&ws));
    // The removal's bullet is what the graph reads of the delta: an edit of
    // it makes the graph afresh.
    let edited = workspace(&fixture(
        "## REMOVED Requirements\n- `### Requirement: Magic link`\n",
    ))
    .workspace;
    let delta = "openspec/changes/drop-sms/specs/auth/spec.md";
    let (before, after) = (ws.file(delta).unwrap(), edited.file(delta).unwrap());
    assert!(
        crate::analysis::impact::graph_facts(before) != crate::analysis::impact::graph_facts(after)
    );
}

#[test]
fn a_removal_from_a_capability_without_a_spec_removes_nothing() {
    // OpenSpec archives `drop-fax`, saying it ignored the removal of what
    // `openspec/specs/fax/spec.md` cannot hold; a change to that
    // requirement fails, as does a rename.
    check(
        "//- openspec/changes/drop-fax/specs/fax/spec.md\n## REMOVED Requirements\n### Requirement: Fax sign-in\n**Reason**: unused\n\n- `### Requirement: Fax codes`\n\
         //- openspec/changes/fax-v2/specs/fax/spec.md\n## MODIFIED Requirements\n### Requirement: Fax sign-in\nThe system SHALL fax a code.\n\n#### Scenario: S\n- **WHEN** a\n",
        expect![[r#"
            openspec/changes/fax-v2/specs/fax/spec.md:2:18 openspec-unknown-requirement: this delta changes requirement `Fax sign-in`, but `openspec/specs/fax/spec.md` does not exist [Fax sign-in]
        "#]],
    );
}

#[test]
fn an_archived_change_s_repeated_task_numbers_are_history() {
    // OpenSpec validates active changes only: an archived change that
    // numbered two tasks `10.6`, or a delta that added a requirement twice,
    // is not reported, nor is a change archived without a date under the
    // name of an active one. An active change's own repeat still is.
    check(
        "//- openspec/changes/archive/2025-12-23-inspector/tasks.md\n## 10. Tests\n- [x] 10.6 Logs\n- [x] 10.7 Views\n- [x] 10.6 Refresh\n\
         //- openspec/changes/archive/2025-12-23-inspector/specs/auth/spec.md\n## ADDED Requirements\n### Requirement: Logs\nThe system SHALL log.\n\n#### Scenario: S\n- **WHEN** a\n\n### Requirement: Logs\nThe system SHALL log.\n\n#### Scenario: S\n- **WHEN** a\n\
         //- openspec/changes/archive/add-sso/tasks.md\n## 1. A\n- [x] 1.1 One\n\
         //- openspec/changes/add-sso/tasks.md\n## 1. A\n- [ ] 1.1 One\n- [ ] 1.2 Two\n- [ ] 1.2 Three\n\
         //- openspec/changes/archive/bill/tasks.md\n## 1. A\n- [x] 1.1 One\n\
         //- openspec/changes/bill/tasks.md\n## 1. A\n- [ ] 1.1 One\n- [ ] 1.1 Two\n",
        expect![[r#"
            openspec/changes/add-sso/tasks.md:3:7 duplicate-id: task `1.2` is defined 2 times [1.2]
            openspec/changes/add-sso/tasks.md:4:7 duplicate-id: task `1.2` is defined 2 times [1.2]
            openspec/changes/bill/tasks.md:2:7 duplicate-id: task `1.1` is defined 3 times [1.1]
            openspec/changes/bill/tasks.md:3:7 duplicate-id: task `1.1` is defined 3 times [1.1]
        "#]],
    );
}
