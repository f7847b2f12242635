//! Kiro specs: what the parser reads, each rule firing and silent, and the
//! generic features (hover, lens, completion, definition, references,
//! plan) on Kiro items.

use std::fmt::Write as _;

use expect_test::{expect, Expect};

use crate::analysis::features;
use crate::analysis::fixture::{
    actions_at, actions_at_showing, completion_at, completion_lines, derived, findings, workspace,
};
use crate::analysis::graph::Graph;
use crate::analysis::rules::Context;

const REQUIREMENTS: &str = "//- .kiro/specs/notify/requirements.md
# Requirements Document

### Requirement 1: Out-for-delivery message

**User Story:** As a recipient, I want a message, so that I am home.

#### Acceptance Criteria

1. WHEN the parcel leaves the depot THEN the service SHALL send one message
2. IF the recipient opted out THEN the service SHALL send nothing

### Requirement 2

#### Acceptance Criteria

1. WHEN the recipient picks a window THEN the dispatcher SHALL move the stop
";

fn check(fixture: &str, expect: Expect) {
    expect.assert_eq(&findings(&workspace(fixture).workspace));
}

fn with_tasks(tasks: &str) -> String {
    format!("{REQUIREMENTS}//- .kiro/specs/notify/tasks.md\n{tasks}")
}

#[test]
fn the_parser_reads_requirements_criteria_tasks_and_what_they_cover() {
    let fixture = with_tasks(
        "# Implementation Plan\n\n- [x] 1. Send the message\n  - detail\n  - _Requirements: 1.1, 1.2_\n- [-] 2. Window choice\n- [ ]* 2.1 Write tests\n  - **Validates: Requirements 2.1**\n",
    );
    let ws = workspace(&fixture).workspace;
    let mut out = String::new();
    for (_, item) in ws.items() {
        let covers: Vec<&str> = item
            .covers
            .iter()
            .filter_map(|r| r.target.as_id())
            .collect();
        writeln!(
            out,
            "{} {} {:?} parent={:?} progress={:?} covers={covers:?} title={:?}",
            item.kind.name(),
            item.id,
            item.number,
            item.parent,
            item.progress,
            item.title
        )
        .unwrap();
    }
    expect![[r#"
        requirement notify/requirement-1 Some("1") parent=None progress=None covers=[] title="Out-for-delivery message"
        criterion notify/1.1 Some("1.1") parent=Some("notify/requirement-1") progress=None covers=[] title="WHEN the parcel leaves the depot THEN the service SHALL send one message"
        criterion notify/1.2 Some("1.2") parent=Some("notify/requirement-1") progress=None covers=[] title="IF the recipient opted out THEN the service SHALL send nothing"
        requirement notify/requirement-2 Some("2") parent=None progress=None covers=[] title="Requirement 2"
        criterion notify/2.1 Some("2.1") parent=Some("notify/requirement-2") progress=None covers=[] title="WHEN the recipient picks a window THEN the dispatcher SHALL move the stop"
        task notify/task-1 Some("1") parent=None progress=Some(Done) covers=["notify/1.1", "notify/1.2"] title="Send the message"
        task notify/task-2 Some("2") parent=None progress=Some(InProgress) covers=[] title="Window choice"
        task notify/task-2.1 Some("2.1") parent=Some("notify/task-2") progress=Some(NotStarted) covers=["notify/2.1"] title="Write tests"
    "#]]
    .assert_eq(&out);
    assert_eq!(findings(&ws), "");
}

#[test]
fn unknown_requirement_fires_on_a_missing_criterion_and_requirement() {
    check(
        &with_tasks("- [ ] 1. Send\n  - _Requirements: 1.3, 7, 2.1_\n"),
        expect![[r#"
            .kiro/specs/notify/requirements.md:9:1 kiro-uncovered-criterion: criterion 1.1 is covered by no task in tasks.md [1]
            .kiro/specs/notify/requirements.md:10:1 kiro-uncovered-criterion: criterion 1.2 is covered by no task in tasks.md [2]
            .kiro/specs/notify/tasks.md:2:20 kiro-unknown-requirement: `1.3` names no criterion of `.kiro/specs/notify/requirements.md` (requirement 1 has criteria 1.1 and 1.2) [1.3]
            .kiro/specs/notify/tasks.md:2:25 kiro-unknown-requirement: `7` names no requirement of `.kiro/specs/notify/requirements.md` [7]
        "#]],
    );
}

#[test]
fn specs_grouped_in_a_folder_are_read() {
    // cc-sdd takes a spec's path below `specs/`, and teams group their specs
    // (`specs/master-data/bank-master/`): such a spec is read as one in
    // `specs/`, its IDs scoped by its path, so that two groups may each
    // have a spec of one name.
    let fixture = "//- .kiro/specs/master-data/bank/requirements.md
### Requirement 1: Accounts

#### Acceptance Criteria

1. WHEN an account is added THEN the system SHALL check its code
//- .kiro/specs/master-data/bank/tasks.md
- [x] 1. Account form
  - _Requirements: 1.1, 1.2_
- [ ] 2. Account list
  - _Requirements: 1.1_
//- .kiro/specs/billing/bank/tasks.md
- [ ] 1. Payment run
  - _Requirements: 1.1_
";
    let ws = workspace(fixture).workspace;
    let mut out = String::new();
    for (_, item) in ws.items() {
        writeln!(out, "{} {}", item.kind.name(), item.id).unwrap();
    }
    out.push_str(&findings(&ws));
    expect![[r#"
        task billing/bank/task-1
        requirement master-data/bank/requirement-1
        criterion master-data/bank/1.1
        task master-data/bank/task-1
        task master-data/bank/task-2
        .kiro/specs/master-data/bank/tasks.md:2:25 kiro-unknown-requirement: `1.2` names no criterion of `.kiro/specs/master-data/bank/requirements.md` (requirement 1 has criterion 1.1 only) [1.2]
    "#]]
    .assert_eq(&out);
}

#[test]
fn unknown_requirement_is_silent_on_whole_requirements_and_without_requirements_file() {
    check(
        &with_tasks("- [ ] 1. Send\n  - _Requirements: 1, 2.1_\n"),
        expect![""],
    );
    check(
        "//- .kiro/specs/notify/tasks.md\n- [ ] 1. Send\n  - _Requirements: 1.3_\n",
        expect![""],
    );
}

/// Many task lists abbreviate a requirement `R1` (`_Requirements: R1, R3_`,
/// `R10.1` for its criterion), `Req 1` or `REQ-1`, and some requirements
/// files head them so (`### R1：Title`, as kinsun.ai-product's
/// backend-authentication does);
/// each entry was reported as prose. `R1` now names requirement 1; one
/// that does not exist is still reported, and other words stay prose.
#[test]
fn an_entry_abbreviated_r_names_a_requirement() {
    check(
        &with_tasks(
            "- [ ] 1. Send\n  - _Requirements: R1, R2.1, R1-R2, Req 2, REQ-1.1, R3, Risk 1_\n",
        ),
        expect![[r#"
            .kiro/specs/notify/tasks.md:2:53 kiro-unknown-requirement: `R3` names no requirement of `.kiro/specs/notify/requirements.md` [R3]
            .kiro/specs/notify/tasks.md:2:57 kiro-prose-requirement: `Risk 1` is not a criterion ID: list the criteria the task satisfies, as `1.2, 3.1` [Risk 1]
        "#]],
    );
    let fixture = "//- .kiro/specs/auth/requirements.md
# Requirements

### R1：Sessions

#### Acceptance Criteria

1. WHEN a user signs in THEN the service SHALL open a session

### REQ-2: Sign-out

#### Acceptance Criteria

1. WHEN a user signs out THEN the service SHALL close the session
//- .kiro/specs/auth/tasks.md
- [ ] 1. Sessions
  - _Requirements: R1、R2.1_
";
    check(fixture, expect![""]);
}

/// An entry that is only a note in parentheses (`_Requirements:
/// (documentation)_`, as crawlins/kythira writes for a task that traces no
/// requirement) says what `N/A (documentation)` says: it is not reported.
/// Before, each such note was reported as prose.
#[test]
fn prose_requirement_fires_on_prose_entries_only() {
    check(
        &with_tasks(
            "- [x] 1. Final checkpoint\n  - _Requirements: 1, User experience standards, 2.1_\n- [x] 2. Docs\n  - _Requirements: (documentation)_\n- [x] 3. Review\n  - _Requirements: (Performance Considerations, design.md)_\n- [x] 4. Mixed\n  - _Requirements: (a) then (b)_\n",
        ),
        expect![[r#"
            .kiro/specs/notify/tasks.md:2:23 kiro-prose-requirement: `User experience standards` is not a criterion ID: list the criteria the task satisfies, as `1.2, 3.1` [User experience standards]
            .kiro/specs/notify/tasks.md:8:20 kiro-prose-requirement: `(a) then (b)` is not a criterion ID: list the criteria the task satisfies, as `1.2, 3.1` [(a) then (b)]
        "#]],
    );
}

/// `テスト要件全般` ("the test requirements as a whole", as suptia-kiro's
/// task list writes it) says what `All test requirements` says, which
/// needs no tracing; it was reported as prose. The same words in front
/// (`全般データ要件`) already counted.
#[test]
fn an_entry_closing_on_as_a_whole_is_about_every_requirement() {
    check(
        &with_tasks(
            "- [x] 1. Tests\n  - _Requirements: 1.1, 1.2, テスト要件全般_\n- [x] 2. Data\n  - _Requirements: 2.1, 全般データ要件, データ要件_\n",
        ),
        expect![[r#"
            .kiro/specs/notify/tasks.md:4:34 kiro-prose-requirement: `データ要件` is not a criterion ID: list the criteria the task satisfies, as `1.2, 3.1` [データ要件]
        "#]],
    );
}

/// `_Requirements: All_` (a final checkpoint's line) names every
/// requirement of the spec: it is no prose, and it leaves no criterion
/// uncovered. `All frontend requirements` names some requirements it does
/// not list: it is no prose either, but it covers nothing.
#[test]
fn an_all_entry_covers_every_criterion() {
    let partial = "- [ ] 1. Send\n  - _Requirements: 1.1_\n";
    for all in [
        "_Requirements: All_",
        "_Requirements: all requirements_",
        "**Requirements:** ALL  Requirements.",
        "_需求: 全部_",
        "_Anforderungen: alle Anforderungen_",
        "_Requirements: 1.1, All_",
        "_Requirements: All requirements (code quality)_",
        "_Requirements: All (performance), 1.1_",
    ] {
        let fixture = with_tasks(&format!("{partial}- [x] 2. Final checkpoint\n  - {all}\n"));
        assert_eq!(findings(&workspace(&fixture).workspace), "", "{all}");
    }
    check(
        &with_tasks(&format!(
            "{partial}- [x] 2. Final checkpoint\n  - _Requirements: All frontend requirements_\n"
        )),
        expect![[r#"
            .kiro/specs/notify/requirements.md:10:1 kiro-uncovered-criterion: criterion 1.2 is covered by no task in tasks.md [2]
            .kiro/specs/notify/requirements.md:16:1 kiro-uncovered-criterion: criterion 2.1 is covered by no task in tasks.md [1]
        "#]],
    );
}

/// A long `_Requirements:` list wrapped onto the next lines (the `_` that
/// closes it comes at the end of the last one), as crawlins/kythira's
/// specs write theirs: the entries below the first line count, and a note
/// in parentheses that runs on is one note. Before, the lines below were
/// left out (criteria they name were reported uncovered) and the note was
/// reported as prose.
#[test]
fn a_requirements_list_wrapped_onto_the_next_lines_is_read_whole() {
    check(
        &with_tasks(
            "- [x] 1. Send\n  - _Requirements: 1.1 (1.2 partly: the message\n    body is task 2),\n    1.2, 2.1_\n- [ ] 2. Unclosed\n  - _Requirements: 1.1,\n\n    2.1 is not read_\n",
        ),
        expect![""],
    );
}

/// A task struck out of the list (`- [x] ~~1.2 …~~ **dropped**`, as
/// hummer98/sdd-orchestrator's task lists mark a task given up) is still
/// the task its number names, dropped, with its own `_Requirements:`.
/// Before, the line was not a task: its details and requirements went to
/// the task above it, and the numbers after it skipped one.
#[test]
fn a_struck_out_task_is_dropped_not_gone() {
    let fixture = with_tasks(
        "- [ ] 1. Send\n- [x] 1.1 Compose\n  - _Requirements: 1.1_\n- [x] ~~1.2 Add a second channel~~ **dropped**\n  - _Requirements: 1.2_\n- [ ] ~~**1.3** Retry~~\n- [ ] 1.4 Log ~~twice~~\n  - _Requirements: 2.1_\n- [ ] ~~~ not a strike\n",
    );
    let ws = workspace(&fixture).workspace;
    let file = ws.file(".kiro/specs/notify/tasks.md").unwrap();
    let tasks: Vec<String> = file
        .facts
        .items
        .iter()
        .map(|task| {
            let covers: Vec<&str> = task
                .covers
                .iter()
                .filter_map(|r| r.target.as_id())
                .collect();
            format!(
                "{} {:?} {:?} covers={covers:?}",
                task.id, task.title, task.progress
            )
        })
        .collect();
    expect![[r#"
        [
            "notify/task-1 \"Send\" Some(NotStarted) covers=[]",
            "notify/task-1.1 \"Compose\" Some(Done) covers=[\"notify/1.1\"]",
            "notify/task-1.2 \"Add a second channel\" Some(Dropped) covers=[\"notify/1.2\"]",
            "notify/task-1.3 \"Retry\" Some(Dropped) covers=[]",
            "notify/task-1.4 \"Log ~~twice~~\" Some(NotStarted) covers=[\"notify/2.1\"]",
        ]
    "#]]
    .assert_debug_eq(&tasks);
    assert_eq!(findings(&ws), "");
}

/// A title that ends in a bold phrase of its own (`6.2 DTLS —
/// **refused, not implemented**`, as crawlins/kythira marks a task it
/// turned down) keeps its closing `**`; before, it was cut off, leaving the
/// title an unclosed bold. The bold around a number and title (`**1.
/// Send**`) is still not the title's.
#[test]
fn a_title_keeps_a_bold_phrase_of_its_own() {
    let fixture = with_tasks(
        "- [ ] **1. Send the message**\n- [ ] 2. DTLS — **refused, not implemented**\n- [ ] **3.** Retry **twice**\n",
    );
    let ws = workspace(&fixture).workspace;
    let file = ws.file(".kiro/specs/notify/tasks.md").unwrap();
    let titles: Vec<&str> = file.facts.items.iter().map(|task| &*task.title).collect();
    expect![[r#"
        [
            "Send the message",
            "DTLS — **refused, not implemented**",
            "Retry **twice**",
        ]
    "#]]
    .assert_debug_eq(&titles);
}

#[test]
fn uncovered_criterion_waits_for_tasks_that_trace_requirements() {
    // No tasks file, or tasks that name no criterion yet: nothing to say.
    check(REQUIREMENTS, expect![""]);
    check(&with_tasks("- [ ] 1. Send\n"), expect![""]);
    check(
        &with_tasks("- [ ] 1. Send\n  - _Requirements: 1.1_\n"),
        expect![[r#"
            .kiro/specs/notify/requirements.md:10:1 kiro-uncovered-criterion: criterion 1.2 is covered by no task in tasks.md [2]
            .kiro/specs/notify/requirements.md:16:1 kiro-uncovered-criterion: criterion 2.1 is covered by no task in tasks.md [1]
        "#]],
    );
}

#[test]
fn task_order_fires_on_backwards_numbers_and_misplaced_sub_tasks() {
    check(
        "//- .kiro/specs/notify/tasks.md\n- [ ] 1. One\n- [ ] 1.2 Sub\n- [ ] 1.1 Sub\n- [ ] 3. Three\n- [ ] 2. Two\n- [ ] 4.1 Sub of four under two\n",
        expect![[r#"
            .kiro/specs/notify/tasks.md:3:7 kiro-task-order: sub-task 1.1 comes after 1.2 [1.1]
            .kiro/specs/notify/tasks.md:5:7 kiro-task-order: task 2 comes after task 3: expected 4 [2]
            .kiro/specs/notify/tasks.md:6:7 kiro-task-order: sub-task 4.1 has no task 4 over it, so it counts as part of task 2: add `- [ ] 4. …` above it (a heading is no task), or renumber it 2.x [4.1]
        "#]],
    );
    // Sub-tasks under a heading that is not their task's are reported once
    // for the run, as one `- [ ] 5. …` line answers them all; a heading
    // numbered as their task (`### 3. Database`, `## Task 4: API`) is
    // their group, as cc-sdd's users write it, and leaves them quiet.
    check(
        "//- .kiro/specs/notify/tasks.md\n- [ ] 2. Scaffold\n\n### 3. Database\n\n- [ ] 3.1 Schema\n  - [ ] 3.1.1 Index\n- [ ] 3.2 Migration\n- [ ] 3.3 Seed\n\n## Task 4: API\n\n- [ ] 4.1 Routes\n\n## Inspection Fixes\n\n### Round 1\n\n- [ ] 5.1 Fix the index\n- [ ] 5.2 Fix the seed\n",
        expect![[r#"
            .kiro/specs/notify/tasks.md:18:7 kiro-task-order: sub-tasks 5.1 to 5.2 have no task 5 over them, so they count as part of task 2: add `- [ ] 5. …` above them (a heading is no task), or renumber them 2.x [5.1]
        "#]],
    );
    // Its task elsewhere in the list: move it there.
    check(
        "//- .kiro/specs/notify/tasks.md\n- [ ] 1. One\n- [ ] 2. Two\n- [ ] 1.1 Sub\n",
        expect![[r#"
            .kiro/specs/notify/tasks.md:3:7 kiro-task-order: sub-task 1.1 is listed under task 2: move it under task 1 [1.1]
        "#]],
    );
    // A gap (1, 3) is not out of order, and a repeated number is
    // `duplicate-id`.
    check(
        "//- .kiro/specs/notify/tasks.md\n- [ ] 1. One\n- [ ] 1.1 Sub\n- [ ] 3. Three\n- [ ] 3. Again\n",
        expect![[r#"
            .kiro/specs/notify/tasks.md:3:7 duplicate-id: task `3` is defined 2 times [3]
            .kiro/specs/notify/tasks.md:4:7 duplicate-id: task `3` is defined 2 times [3]
        "#]],
    );
}

#[test]
fn dependency_order_fires_on_a_later_task_only() {
    // 1.1 waits for 2.1, which the list reaches after it; 2.4 waits for
    // tasks above it, and the done 1.2 has run, whatever it named. 2.2 (P)
    // waits for 2.3 (P), which would run beside it: cc-sdd's rules have a
    // `(P)` task declare such a dependency, and the plan runs 2.2 after
    // 2.3, so nothing is reported.
    check(
        "//- .kiro/specs/notify/tasks.md\n- [ ] 1. One\n- [ ] 1.1 Store\n  - _Depends: 2.1_\n- [x] 1.2 Queue\n  - _Depends: 2.4_\n- [ ] 2. Two\n- [ ] 2.1 Send\n- [ ] 2.2 Retry (P)\n  - _Depends: 2.3_\n- [ ] 2.3 Log (P)\n- [ ] 2.4 Report\n  - _Depends: 1.1, 2.2_\n",
        expect![[r#"
            .kiro/specs/notify/tasks.md:3:15 kiro-dependency-order: 1.1 depends on 2.1, which comes after it in the list: tasks are worked from the top, so move 1.1 below 2.1 or drop the dependency [2.1]
            .kiro/specs/notify/tasks.md:5:15 done-with-open-dependency: `1.2` is done but its dependency `2.4` is not [2.4]
        "#]],
    );
}

#[test]
fn task_shape_fires_on_task_headings_without_a_checklist_task() {
    check(
        "//- .kiro/specs/notify/tasks.md\n- [ ] 1. One\n\n### Task 2: Retry\n\n### Task 1 Completion\n\n### Task 1: One\n\n#### Task 2.1: Backoff\n",
        expect![[r#"
            .kiro/specs/notify/tasks.md:3:1 kiro-task-shape: Kiro runs tasks written as checklist lines (`- [ ] 2. Title`), not headings [### Task 2: Retry]
            .kiro/specs/notify/tasks.md:9:1 kiro-task-shape: Kiro runs tasks written as checklist lines (`- [ ] 2.1 Title`), not headings [#### Task 2.1: Backoff]
        "#]],
    );
}

#[test]
fn task_shape_is_silent_on_headings_that_group_checklist_sub_tasks() {
    // sdd-orchestrator writes `## Task 1: Title` over `- [ ] 1.1 …` lines:
    // Kiro runs each sub-task, so no work hides in the heading.
    check(
        "//- .kiro/specs/notify/tasks.md\n## Task 1: Icons\n\n- [x] 1.1 Colour\n- [ ] 1.2 Component\n\n## Task 2: Tests\n\n- [ ] 2.1 Unit tests\n\n## Task 3: Docs\n",
        expect![[r#"
            .kiro/specs/notify/tasks.md:10:1 kiro-task-shape: Kiro runs tasks written as checklist lines (`- [ ] 3. Title`), not headings [## Task 3: Docs]
        "#]],
    );
}

#[test]
fn requirement_without_criteria_and_criterion_not_ears() {
    check(
        "//- .kiro/specs/notify/requirements.md\n### Requirement 1: Audit\n\n**User Story:** As an auditor, I want logs, so that I can trace.\n\n### Requirement 2: Speed\n\n#### Acceptance Criteria\n\n1. Messages are sent quickly\n2. WHEN asked THEN the service shall answer\n",
        expect![[r#"
            .kiro/specs/notify/requirements.md:1:1 kiro-requirement-without-criteria: Audit has no numbered acceptance criteria: add an `#### Acceptance Criteria` list [### Requirement 1: Audit]
            .kiro/specs/notify/requirements.md:9:1 kiro-criterion-not-ears: criterion 2.1 is not an EARS sentence: write `WHEN <trigger> THEN the <system> SHALL <response>` [1. Messages are sent quickly]
        "#]],
    );
}

/// A heading pasted into a requirement (`# Staff Requirements` between
/// `### Requirement 1` and its criteria, as ProcureERP's employee master
/// has it) ended the requirement there: it had no criteria, and every task
/// naming one was told the criterion does not exist. The requirement now
/// runs on to its criteria; a requirement with none stays without.
#[test]
fn a_heading_between_a_requirement_and_its_criteria_does_not_cut_them_off() {
    check(
        "//- .kiro/specs/staff/requirements.md
# Requirements Document

### Requirement 1: Staff list

**Objective:** As an admin, I want a list of the staff.

# Staff Requirements

#### Validations

1. WHEN the form is saved THEN the system SHALL check the code

#### Acceptance Criteria

1. WHEN an admin opens the list THEN the system SHALL show the staff
2. WHEN the list fails THEN the system SHALL show an error

### Requirement 2: Staff detail

## Out of Scope

1. Payroll
//- .kiro/specs/staff/tasks.md
- [ ] 1. Staff list
  - _Requirements: 1.1, 1.2_
- [ ] 2. Staff detail
  - _Requirements: 2.1_
",
        expect![[r#"
            .kiro/specs/staff/requirements.md:18:1 kiro-requirement-without-criteria: Staff detail has no numbered acceptance criteria: add an `#### Acceptance Criteria` list [### Requirement 2: Staff detail]
            .kiro/specs/staff/tasks.md:4:20 kiro-unknown-requirement: `2.1` names no criterion of `.kiro/specs/staff/requirements.md` (requirement 2 has no numbered criteria) [2.1]
        "#]],
    );
}

/// A criterion that has its trigger and its response but no SHALL is told
/// so whatever the case of its words: the trigger was read in any case but
/// `THEN` only in capitals, so `When …, then …` got the general message.
#[test]
fn a_trigger_and_response_in_any_case_get_the_no_shall_message() {
    check(
        "//- .kiro/specs/notify/requirements.md\n### Requirement 1: Scan\n\n#### Acceptance Criteria\n\n1. When the courier scans the parcel, then the recipient gets a text\n2. IF the scan fails Then a retry is queued\n3. When the courier scans the parcel, the recipient is happy\n",
        expect![[r#"
            .kiro/specs/notify/requirements.md:5:1 kiro-criterion-not-ears: criterion 1.1 has its WHEN and THEN but no SHALL: say what the system shall do, `THEN the <system> SHALL <response>` [1. When the courier scans the parcel, then the recipient gets a text]
            .kiro/specs/notify/requirements.md:6:1 kiro-criterion-not-ears: criterion 1.2 has its IF and THEN but no SHALL: say what the system shall do, `THEN the <system> SHALL <response>` [2. IF the scan fails Then a retry is queued]
            .kiro/specs/notify/requirements.md:7:1 kiro-criterion-not-ears: criterion 1.3 is not an EARS sentence: write `WHEN <trigger> THEN the <system> SHALL <response>` [3. When the courier scans the parcel, the recipient is happy]
        "#]],
    );
}

#[test]
fn a_done_parent_task_with_an_open_sub_task_is_reported() {
    check(
        "//- .kiro/specs/notify/tasks.md\n- [x] 1. One\n- [ ] 1.1 Sub\n- [x] 2. Two\n- [x] 2.1 Sub\n",
        expect![[r#"
            .kiro/specs/notify/tasks.md:1:3 done-with-open-tasks: task `1` is done but 1 sub-task is not (first task `1.1`): mark them done or reopen the task [[x]]
        "#]],
    );
}

/// Kiro writes a spec in the user's language: `### 需求 1`, `#### 验收标准`,
/// tasks tracing `_需求: 1.1_` or `_Requirements: 1.1_`, criteria with
/// EARS in English keywords or in Chinese.
#[test]
fn a_spec_written_in_chinese_is_read_like_an_english_one() {
    let fixture = "//- .kiro/specs/notify/requirements.md
# 需求文档

### 需求 1: 派送通知

#### 验收标准

1. WHEN 包裹离开仓库 THEN 系统 SHALL 发送一条消息
2. 当收件人退订时，系统应当不发送消息
3. 收件人很高兴
4. WHEN 收件人回复 HELP THEN 帮助信息被发送

### 需求 2：退订

#### 验收标准

1. WHEN 收件人回复 STOP THEN 系统 SHALL 记录退订
//- .kiro/specs/notify/tasks.md
# 实施计划

- [ ] 1. 发送消息
  - _需求: 1.1, 1.2_
- [ ] 2. 记录退订
  - _Requirements: 2.1, 3.1_
";
    check(
        fixture,
        expect![[r#"
            .kiro/specs/notify/requirements.md:9:1 kiro-criterion-not-ears: criterion 1.3 is not an EARS sentence: write `WHEN <trigger> THEN the <system> SHALL <response>` [3. 收件人很高兴]
            .kiro/specs/notify/requirements.md:9:1 kiro-uncovered-criterion: criterion 1.3 is covered by no task in tasks.md [3]
            .kiro/specs/notify/requirements.md:10:1 kiro-criterion-not-ears: criterion 1.4 has its WHEN and THEN but no SHALL: say what the system shall do, `THEN the <system> SHALL <response>` [4. WHEN 收件人回复 HELP THEN 帮助信息被发送]
            .kiro/specs/notify/requirements.md:10:1 kiro-uncovered-criterion: criterion 1.4 is covered by no task in tasks.md [4]
            .kiro/specs/notify/tasks.md:6:25 kiro-unknown-requirement: `3.1` names no criterion of `.kiro/specs/notify/requirements.md` (there is no requirement 3) [3.1]
        "#]],
    );
}

/// Chinese specs also head the criteria "acceptance conditions",
/// `#### 驗收條件` (traditional, as kinsun.ai-product's role-based-login
/// writes it) or `#### 验收条件` (simplified); each requirement was told it
/// had no criteria.
#[test]
fn criteria_headed_acceptance_conditions_in_chinese_are_read() {
    let fixture = "//- .kiro/specs/notify/requirements.md
# 需求文件

### 需求 1：派送通知

#### 驗收條件

1. WHEN 包裹離開倉庫 THEN 系統 SHALL 發送一則訊息

### 需求 2：退订

#### 验收条件

1. WHEN 收件人回复 STOP THEN 系统 SHALL 记录退订
//- .kiro/specs/notify/tasks.md
- [ ] 1. 發送訊息
  - _需求: 1.1_
";
    check(
        fixture,
        expect![[r#"
            .kiro/specs/notify/requirements.md:13:1 kiro-uncovered-criterion: criterion 2.1 is covered by no task in tasks.md [1]
        "#]],
    );
}

/// An Arabic spec (`### المتطلب 1`, `#### معايير القبول`, tasks tracing
/// `_المتطلبات: 1.1، 1.2_`, criteria saying "must" as `يجب`) is read like
/// an English one.
#[test]
fn a_spec_written_in_arabic_is_read_like_an_english_one() {
    let fixture = "//- .kiro/specs/hr/requirements.md
# متطلبات النظام

## المتطلبات

### المتطلب 1: إدارة الموظفين

#### معايير القبول
1. عندما أضيف موظفاً جديداً، يجب أن أتمكن من إدخال بياناته
2. عندما أعدل بيانات موظف، يجب أن يحفظ تاريخ التعديل

### المتطلب 2: الملفات

#### معايير القبول
1. عندما أرفع ملفاً، يجب أن أتمكن من تصنيفه
//- .kiro/specs/hr/tasks.md
# خطة التنفيذ

- [ ] 1. إنشاء نموذج الموظف
  - _المتطلبات: 1.1، 1.2_
- [ ] 2. رفع الملفات
  - _المتطلبات: 2.1, 2.4_
";
    check(
        fixture,
        expect![[r#"
        .kiro/specs/hr/tasks.md:6:22 kiro-unknown-requirement: `2.4` names no criterion of `.kiro/specs/hr/requirements.md` (requirement 2 has criterion 2.1 only) [2.4]
    "#]],
    );
}

/// Japanese criteria say "shall" as `…なければならない` after any verb
/// (`発生させなければならない`, not only `しなければならない`), "shall
/// not" as `…てはならない`, and, in the requirements style, end the
/// sentence with `こと`; a `こと` inside the sentence says nothing of the
/// kind, nor does a plain verb.
#[test]
fn japanese_modals_make_an_ears_criterion() {
    check(
        "//- .kiro/specs/notify/requirements.md\n### Requirement 1: 配送\n\n#### 受け入れ基準\n\n1. メッセージが届いたとき、配送サービスは受信者に通知を発生させなければならない。\n2. 配送サービスは直接 `Arc` を導入してはならない。\n3. 通知ボタンが表示されていること（緑色のまま）\n4. ログメッセージは以下の情報を含むこと：\n   - 配送ID\n5. 受信者が通知を確認することができる\n6. When 受信者が開いた時、配送サービスは通知を表示する\n",
        expect![[r#"
            .kiro/specs/notify/requirements.md:10:1 kiro-criterion-not-ears: criterion 1.5 is not an EARS sentence: write `WHEN <trigger> THEN the <system> SHALL <response>` [5. 受信者が通知を確認することができる]
            .kiro/specs/notify/requirements.md:11:1 kiro-criterion-not-ears: criterion 1.6 is not an EARS sentence: write `WHEN <trigger> THEN the <system> SHALL <response>` [6. When 受信者が開いた時、配送サービスは通知を表示する]
        "#]],
    );
}

/// Chinese and Japanese specs list criteria with the ideographic comma
/// (`1.1、1.2`) or full-width punctuation (`，`, `；`): each entry is an ID
/// of its own, checked as one, and removing an unknown one keeps the others.
#[test]
fn an_ideographic_comma_separates_requirement_entries() {
    let fixture = with_tasks(
        "- [ ] 1. 发送\n  - _需求：1.1、1.2、1.5_\n- [ ] 2. 窗口\n  - _需求：2.1，9；1.2_\n",
    );
    check(
        &fixture,
        expect![[r#"
            .kiro/specs/notify/tasks.md:2:17 kiro-unknown-requirement: `1.5` names no criterion of `.kiro/specs/notify/requirements.md` (requirement 1 has criteria 1.1 and 1.2) [1.5]
            .kiro/specs/notify/tasks.md:4:13 kiro-unknown-requirement: `9` names no requirement of `.kiro/specs/notify/requirements.md` [9]
        "#]],
    );
    let got = actions_at(&with_tasks("- [ ] 1. 发送\n  - _需求：1.1、1.2、$01.5_\n"));
    expect![[r#"
        ## Remove `1.5` from the list (preferred: false)
        - [ ] 1. 发送
          - _需求：1.1、1.2_
    "#]]
    .assert_eq(&got);
}

#[test]
fn code_in_fences_is_not_read() {
    check(
        "//- .kiro/specs/notify/tasks.md\n```markdown\n- [ ] 1. Example\n- [ ] 1. Example\n```\n",
        expect![""],
    );
}

/// The derived facts of a fixture, as a request would see them.

#[test]
fn hover_lens_definition_and_references_follow_covers() {
    let fixture = with_tasks("- [x] 1. Send\n  - _Requirements: 1.$01, 1.2_\n- [ ] 2. Window\n  - _Requirements: 1.1, 1.9_\n");
    let fixture = workspace(&fixture);
    let ws = &fixture.workspace;
    let (rel, offset) = fixture.cursor.clone().expect("a cursor");
    let derived = derived(ws);
    let hover = features::hover::hover(ws, &derived, &rel, offset).expect("a hover");
    expect![[r#"
        **notify/1.1** · WHEN the parcel leaves the depot THEN the service SHALL send one message

        criterion

        Covered by notify/task-1, notify/task-2"#]]
    .assert_eq(&hover.markdown);
    let missing = ws.file(&rel).unwrap().text.find("1.9").unwrap();
    let hover = features::hover::hover(ws, &derived, &rel, missing).expect("a hover");
    expect![[r#"
        **notify/1.9**

        ⚠ No criterion has this ID."#]]
    .assert_eq(&hover.markdown);

    let definition = features::navigation::definition(ws, &rel, offset).expect("a definition");
    assert_eq!(
        definition.targets[0].rel,
        ".kiro/specs/notify/requirements.md"
    );

    let lenses: Vec<String> =
        features::lens::code_lenses(ws, &derived, ".kiro/specs/notify/requirements.md")
            .into_iter()
            .map(|l| format!("{}: {}", l.id, l.title))
            .collect();
    expect![[r#"
        notify/requirement-1: 2/2 criteria covered
        notify/1.1: covered by 1, 2
        notify/1.2: covered by 1
        notify/requirement-2: 0/1 criteria covered
        notify/2.1: not covered"#]]
    .assert_eq(&lenses.join("\n"));
}

/// The lens and the hover agree with the rule: a task covering `All`
/// covers every criterion and requirement of its spec.
#[test]
fn lens_and_hover_count_a_task_covering_all() {
    let fixture = workspace(&with_tasks(
        "- [ ] 1. Send\n  - _Requirements: 1.1_\n- [x] 2. Final checkpoint\n  - _Requirements: All_\n",
    ));
    let ws = &fixture.workspace;
    let derived = derived(ws);
    let rel = ".kiro/specs/notify/requirements.md";
    let lenses: Vec<String> = features::lens::code_lenses(ws, &derived, rel)
        .into_iter()
        .map(|l| format!("{}: {}", l.id, l.title))
        .collect();
    expect![[r#"
        notify/requirement-1: covered by 2
        notify/1.1: covered by 1, 2
        notify/1.2: covered by 2
        notify/requirement-2: covered by 2
        notify/2.1: covered by 2"#]]
    .assert_eq(&lenses.join("\n"));
    let at = ws
        .file(rel)
        .unwrap()
        .text
        .find("2. IF the recipient")
        .unwrap();
    let hover = features::hover::hover(ws, &derived, rel, at).expect("a hover");
    assert!(
        hover.markdown.ends_with("Covered by notify/task-2"),
        "{}",
        hover.markdown
    );
}

#[test]
fn completion_offers_the_criteria_not_yet_listed() {
    let fixture = with_tasks("- [ ] 1. Send\n  - _Requirements: 1.1, $0_\n");
    let (got, _) = completion_at(&workspace(&fixture));
    expect![[r#"
        1 "Out-for-delivery message"
        1.2 "IF the recipient opted out THEN the service SHALL send nothing"
        2 "Requirement 2"
        2.1 "WHEN the recipient picks a window THEN the dispatcher SHALL move the stop""#]]
    .assert_eq(&completion_lines(&got));
    // Typing narrows the list.
    let fixture = workspace(&with_tasks("- [ ] 1. Send\n  - _Requirements: 2.$0_\n"));
    let (rel, offset) = fixture.cursor.clone().expect("a cursor");
    let ws = &fixture.workspace;
    let got = features::completion::completion(ws, &derived(ws), &rel, offset);
    let labels: Vec<&str> = got.items.iter().map(|c| c.label.as_str()).collect();
    assert_eq!(labels, ["2.1"]);
}

#[test]
fn a_parent_task_waits_for_its_sub_tasks_in_the_plan() {
    let ws = workspace("//- .kiro/specs/notify/tasks.md\n- [x] 1. One\n- [ ] 2. Two\n- [ ] 2.1 Sub\n- [ ] 2.2 Sub\n").workspace;
    let plan = crate::analysis::plan::plan(&Graph::build(&ws));
    expect![[r#"[["notify/task-2.1"], ["notify/task-2.2"], ["notify/task-2"]]"#]]
        .assert_eq(&format!("{:?}", plan.waves));
}

/// The waves of the plan of one Kiro tasks file.
fn waves_of(tasks: &str) -> String {
    let ws = workspace(&format!("//- .kiro/specs/notify/tasks.md\n{tasks}")).workspace;
    let plan = crate::analysis::plan::plan(&Graph::build(&ws));
    format!("{:?}", plan.waves)
}

#[test]
fn tasks_run_from_the_top_past_the_done_ones() {
    // 3 waits for 1, since 2 is done; 4's sub-tasks wait for 3 and for
    // each other.
    expect![[r#"[["notify/task-1"], ["notify/task-3"], ["notify/task-4.1"], ["notify/task-4.2"], ["notify/task-4"]]"#]]
        .assert_eq(&waves_of("- [ ] 1. One\n- [x] 2. Two\n- [-] 3. Three\n- [ ] 4. Four\n  - [ ] 4.1 Sub\n  - [ ] 4.2 Sub\n"));
}

#[test]
fn an_optional_task_holds_nothing_back() {
    // 1.2 is optional: it waits for 1.1, and 2 waits for 1.1 only; so
    // does 1, its parent, which it does not keep open either.
    expect![[r#"[["notify/task-1.1"], ["notify/task-1", "notify/task-1.2", "notify/task-2"]]"#]]
        .assert_eq(&waves_of(
            "- [ ] 1. One\n  - [ ] 1.1 Sub\n  - [ ]* 1.2 Tests\n- [ ] 2. Two\n",
        ));
    expect![[r#"[["notify/task-1.2", "notify/task-2"]]"#]].assert_eq(&waves_of(
        "- [ ] 1. One\n  - [x] 1.1 Sub\n  - [ ]* 1.2 Tests\n- [ ] 2. Two\n",
    ));
}

#[test]
fn parallel_tasks_run_side_by_side_under_one_parent() {
    // cc-sdd's (P): 1.2 and 1.3 run together after 1.1; 2.1 is marked too
    // but belongs to another task, so it waits for both.
    expect![[r#"[["notify/task-1.1"], ["notify/task-1.2", "notify/task-1.3"], ["notify/task-1", "notify/task-2.1"], ["notify/task-2"]]"#]]
        .assert_eq(&waves_of("- [ ] 1. One\n  - [ ] 1.1 Base\n  - [ ] 1.2 Left (P)\n  - [ ] 1.3 (P) Right\n- [ ] 2. Two\n  - [ ] 2.1 More (P)\n"));
}

#[test]
fn a_task_that_names_a_later_one_waits_for_it_without_a_cycle() {
    // 1 names 3 in `_Depends:_`: it waits for 3, and nothing waits for 1
    // through the order, which would close a loop.
    let waves = waves_of("- [ ] 1. One\n  - _Depends: 3_\n- [ ] 2. Two\n- [ ] 3. Three\n");
    expect![[r#"[["notify/task-2"], ["notify/task-3"], ["notify/task-1"]]"#]].assert_eq(&waves);
}

#[test]
fn positions_hold_with_crlf_and_multi_byte_text() {
    let fixture = "//- .kiro/specs/notify/requirements.md\r\n### Requirement 1: Café ☕ 通知\r\n\r\n#### Acceptance Criteria\r\n\r\n1. WHEN 😀 arrives THEN the service SHALL send\r\n//- .kiro/specs/notify/tasks.md\r\n- [ ] 1. 通知 😀\r\n  - _Requirements: 1.1, 1.5_\r\n";
    let ws = workspace(fixture).workspace;
    let file = ws.file(".kiro/specs/notify/tasks.md").unwrap();
    let task = &file.facts.items[0];
    assert_eq!(task.title, "通知 😀");
    let written: Vec<&str> = task
        .covers
        .iter()
        .map(|r| &file.text[r.range.start()..r.range.end()])
        .collect();
    assert_eq!(written, ["1.1", "1.5"]);
    let requirements = ws.file(".kiro/specs/notify/requirements.md").unwrap();
    assert_eq!(requirements.facts.items[0].title, "Café ☕ 通知");
    assert_eq!(
        requirements.facts.items[1].title,
        "WHEN 😀 arrives THEN the service SHALL send"
    );
    expect![[r#"
        .kiro/specs/notify/tasks.md:2:25 kiro-unknown-requirement: `1.5` names no criterion of `.kiro/specs/notify/requirements.md` (requirement 1 has criterion 1.1 only) [1.5]
    "#]]
    .assert_eq(&findings(&ws));
}

#[test]
fn an_unknown_or_prose_entry_can_be_removed() {
    let got = actions_at(&with_tasks(
        "- [ ] 1. Send\n  - _Requirements: 1.1, $02.4, Tests_\n",
    ));
    expect![[r#"
        ## Remove `2.4` from the list (preferred: false)
        - [ ] 1. Send
          - _Requirements: 1.1, Tests_
    "#]]
    .assert_eq(&got);
    let got = actions_at(&with_tasks(
        "- [ ] 1. Send\n  - _Requirements: 1.1, $0Tests_\n",
    ));
    expect![[r#"
        ## Remove `Tests` from the list (preferred: false)
        - [ ] 1. Send
          - _Requirements: 1.1_
    "#]]
    .assert_eq(&got);
    // The only entry goes with its line, as a `_Depends:` line's does.
    let got = actions_at(&with_tasks(
        "- [ ] 1. Send\n  - _Requirements: $09.9_\n- [ ] 2. Window\n",
    ));
    expect![[r#"
        ## Remove `9.9` from the list (preferred: false)
        - [ ] 1. Send
        - [ ] 2. Window
    "#]]
    .assert_eq(&got);
    let got = actions_at(&with_tasks(
        "- [ ] 1. Send\n  **Validates: Requirements $09.9**\n- [ ] 2. Window\n",
    ));
    expect![[r#"
        ## Remove `9.9` from the list (preferred: false)
        - [ ] 1. Send
        - [ ] 2. Window
    "#]]
    .assert_eq(&got);
}

#[test]
fn a_done_parent_can_tick_its_sub_tasks_or_be_reopened() {
    let got = actions_at(
        "//- .kiro/specs/notify/tasks.md\n- $0[x] 1. One\n- [ ] 1.1 Sub\n- [x] 1.2 Sub\n- [ ]* 1.3 Optional\n",
    );
    expect![[r#"
        ## Tick the open sub-task (preferred: true)
        - [x] 1. One
        - [x] 1.1 Sub
        - [x] 1.2 Sub
        - [ ]* 1.3 Optional
        ## Reopen `1` (preferred: false)
        - [-] 1. One
        - [ ] 1.1 Sub
        - [x] 1.2 Sub
        - [ ]* 1.3 Optional
    "#]]
    .assert_eq(&got);
}

#[test]
fn the_outline_nests_sub_tasks_and_criteria() {
    let fixture = with_tasks("- [ ] 1. One\n- [ ] 1.1 Sub\n- [ ] 2. Two\n");
    let ws = workspace(&fixture).workspace;
    let mut out = String::new();
    fn walk(out: &mut String, symbols: &[features::symbols::Symbol], depth: usize) {
        for s in symbols {
            writeln!(out, "{}{} ({:?})", "  ".repeat(depth), s.name, s.detail).unwrap();
            walk(out, &s.children, depth + 1);
        }
    }
    for rel in [
        ".kiro/specs/notify/requirements.md",
        ".kiro/specs/notify/tasks.md",
    ] {
        walk(&mut out, &features::symbols::document_symbols(&ws, rel), 0);
    }
    expect![[r#"
        notify/requirement-1 (Some("Out-for-delivery message"))
          notify/1.1 (Some("WHEN the parcel leaves the depot THEN the service SHALL send one message"))
          notify/1.2 (Some("IF the recipient opted out THEN the service SHALL send nothing"))
        notify/requirement-2 (Some("Requirement 2"))
          notify/2.1 (Some("WHEN the recipient picks a window THEN the dispatcher SHALL move the stop"))
        notify/task-1 (Some("One"))
          notify/task-1.1 (Some("Sub"))
        notify/task-2 (Some("Two"))
    "#]].assert_eq(&out);
}

#[test]
fn a_numbered_task_or_criterion_is_not_renamed() {
    let fixture = workspace(&with_tasks("- [ ] 1.$01 Send\n"));
    let ws = &fixture.workspace;
    let (rel, offset) = fixture.cursor.clone().expect("a cursor");
    let ctx = Context::new(ws);
    let got = features::rename::rename(ws, &ctx, &rel, offset, "1.5");
    expect![[r#"Err("this task's ID comes from its place, its heading or its file's name in Kiro: edit or rename the file instead")"#]].assert_eq(&format!("{got:?}"));
    // The editor hears the reason before it asks for a new name.
    assert_eq!(
        features::rename::prepare_rename(ws, &rel, offset),
        got.map(|_| None)
    );
}

#[test]
fn an_inlay_hint_marks_a_missing_criterion() {
    let ws = workspace(&with_tasks("- [ ] 1. Send\n  - _Requirements: 1.1, 1.9_\n")).workspace;
    let hints: Vec<String> =
        features::inlay::inlay_hints(&ws, &derived(&ws), ".kiro/specs/notify/tasks.md", None)
            .into_iter()
            .map(|h| format!("{} {}", h.offset, h.label))
            .collect();
    let text = &ws.file(".kiro/specs/notify/tasks.md").unwrap().text;
    let after = text.find("1.9").unwrap() + 3;
    assert_eq!(hints, [format!("{after} ⚠ missing")]);
}

/// A spec with tasks.md but neither requirements.md nor bugfix.md has no
/// criteria to judge its `_Requirements:` entries by, so the check says
/// nothing of them, and nor does the editor: no inlay hint, no dangling
/// token, no warning on hover.
#[test]
fn the_editor_calls_no_entry_missing_without_a_requirements_file() {
    let fixture =
        workspace("//- .kiro/specs/notify/tasks.md\n- [ ] 1. Send\n  - _Requirements: 1.$01_\n");
    let ws = &fixture.workspace;
    let (rel, offset) = fixture.cursor.clone().expect("a cursor");
    assert_eq!(findings(ws), "");
    let hints = features::inlay::inlay_hints(ws, &derived(ws), &rel, None);
    let dangling = features::semantic::semantic_tokens(ws, &rel)
        .into_iter()
        .filter(|t| t.kind == features::semantic::TokenKind::DanglingReference)
        .count();
    let hover = features::hover::hover(ws, &derived(ws), &rel, offset).map(|h| h.markdown);
    expect![[r#"
        hints=0 dangling=0 hover=Some("**notify/1.1**\n\nNo item of this ID is read here, and planmark cannot tell whether one is missing.")
    "#]]
    .assert_eq(&format!("hints={} dangling={dangling} hover={hover:?}\n", hints.len()));
}

#[test]
fn an_uncovered_criterion_can_be_added_where_its_siblings_are() {
    let fixture = format!(
        "{}//- .kiro/specs/notify/tasks.md\n- [ ] 1. Send\n  - _Requirements: 1.1, 2.1_\n- [ ] 2. Other\n  - _Requirements: 2.1_\n",
        REQUIREMENTS.replacen("2. IF the", "$02. IF the", 1)
    );
    let out = actions_at_showing(&fixture, Some(".kiro/specs/notify/tasks.md"));
    expect![[r#"
        ## Add `1.2` to the requirements of task 1 (preferred: false)
        - [ ] 1. Send
          - _Requirements: 1.1, 2.1, 1.2_
        - [ ] 2. Other
          - _Requirements: 2.1_
    "#]]
    .assert_eq(&out);
}

/// The tasks of a fixture's tasks file: number, what they cover, and the
/// `Optional` field as written.
/// cc-sdd, the Kiro-style workflow for other agents, writes the tasks a
/// task waits for (`_Depends: 1.1, 1.2_`) and marks the tasks that can run
/// beside the others with `(P)`: dependencies the plan follows and the
/// check resolves, and a marker that is not part of the title.
#[test]
fn cc_sdd_depends_lines_and_parallel_markers_are_read() {
    let fixture = with_tasks(
        "- [ ] 1. Foundation\n- [x] 1.1 (P) Session store\n  - _Requirements: 1.1_\n  - _Boundary: SessionStore_\n- [ ] 1.2 Password hashing (P)\n  - _Requirements: 1.2_\n- [ ] 2. Flows\n- [ ] 2.1 Login endpoint\n  - _Depends: 1.1、1.2_\n  - _Requirements: 2.1_\n- [ ] 2.2 Logout endpoint\n  - _Depends: 2.1, 3.9 (later)_\n",
    );
    let ws = workspace(&fixture).workspace;
    let file = ws.file(".kiro/specs/notify/tasks.md").unwrap();
    let mut out = String::new();
    for task in &file.facts.items {
        let deps: Vec<String> = task
            .deps
            .iter()
            .map(|d| {
                format!(
                    "{}@{}",
                    d.written,
                    &file.text[d.range.start()..d.range.end()]
                )
            })
            .collect();
        let parallel = task.field("parallel").map(|f| f.value(&file.text));
        writeln!(
            out,
            "{} {:?} parallel={parallel:?} deps={deps:?}",
            task.id,
            task.title.as_str()
        )
        .unwrap();
    }
    expect![[r#"
        notify/task-1 "Foundation" parallel=None deps=[]
        notify/task-1.1 "Session store" parallel=Some("(P)") deps=[]
        notify/task-1.2 "Password hashing" parallel=Some("(P)") deps=[]
        notify/task-2 "Flows" parallel=None deps=[]
        notify/task-2.1 "Login endpoint" parallel=None deps=["1.1@1.1", "1.2@1.2"]
        notify/task-2.2 "Logout endpoint" parallel=None deps=["2.1@2.1", "3.9@3.9"]
    "#]]
    .assert_eq(&out);
    check(
        &fixture,
        expect![[r#"
            .kiro/specs/notify/tasks.md:12:20 dangling-dependency: `3.9` names no known task of `notify`; did you mean `1.1`? [3.9]
        "#]],
    );
    // Completion in a `_Depends:` line offers the spec's other tasks.
    let cursor = workspace(&with_tasks(
        "- [ ] 1. Foundation\n- [ ] 2. Flows\n  - _Depends: $0_\n",
    ));
    let (rel, offset) = cursor.cursor.clone().expect("a cursor");
    let got = features::completion::completion(
        &cursor.workspace,
        &derived(&cursor.workspace),
        &rel,
        offset,
    );
    let labels: Vec<&str> = got.items.iter().map(|c| c.label.as_str()).collect();
    assert_eq!(labels, ["1"]);
    // 2.1 waits for 1.2 (1.1 is done); 2.2 is blocked by the missing 3.9.
    let plan = crate::analysis::plan::plan(&Graph::build(&ws));
    expect![[r#"[["notify/task-1.2"], ["notify/task-1", "notify/task-2.1"]]"#]]
        .assert_eq(&format!("{:?}", plan.waves));
}

fn tasks_read(fixture: &str) -> String {
    let ws = workspace(fixture).workspace;
    let file = ws.file(".kiro/specs/notify/tasks.md").unwrap();
    let mut out = String::new();
    for task in &file.facts.items {
        let covers: Vec<&str> = task
            .covers
            .iter()
            .filter_map(|r| r.target.as_id())
            .collect();
        let optional = task
            .fields
            .iter()
            .find(|f| &*f.label == "Optional")
            .map(|f| &file.text[f.value_range.start()..f.value_range.end()]);
        writeln!(
            out,
            "{} progress={:?} optional={optional:?} covers={covers:?}",
            task.id, task.progress
        )
        .unwrap();
    }
    out
}

/// Kiro marks an optional task with `*` after its box; files written for
/// markdown previews escape it (`- [ ]\* 1.2`). Both are tasks, and the
/// `_Requirements:` lines below them are theirs, not the task above's.
#[test]
fn an_optional_task_is_read_with_or_without_an_escaped_star() {
    let got = tasks_read(&with_tasks(
        "- [x] 1. Send\n  - [x] 1.1 Fields\n    - _Requirements: 1.1_\n  - [ ]\\* 1.2 Write property tests for sending\n    - **Validates: Requirements 1.2**\n  - [x]\\* 1.3 Write unit tests\n    - _Requirements: 2.1_\n- [ ]* 2. Optional check\n  - _Requirements: 2.1_\n",
    ));
    expect![[r#"
        notify/task-1 progress=Some(Done) optional=None covers=[]
        notify/task-1.1 progress=Some(Done) optional=None covers=["notify/1.1"]
        notify/task-1.2 progress=Some(NotStarted) optional=Some("*") covers=["notify/1.2"]
        notify/task-1.3 progress=Some(Done) optional=Some("*") covers=["notify/2.1"]
        notify/task-2 progress=Some(NotStarted) optional=Some("*") covers=["notify/2.1"]
    "#]]
    .assert_eq(&got);
}

/// `1.1-1.15` (SpaceWeirdos writes `_Requirements: 1.1-1.15, 2.5_`) covers
/// each criterion from 1.1 to 1.15, with an en dash too; `需求16-18` each
/// requirement between. A range past the last criterion reports the
/// criteria missing, as single IDs would be; a range across requirements,
/// and a bare `1-2` (KIROGOVCOMPARE writes `Validates: Requirements 20-1`
/// for criterion 20.1), stay prose.
#[test]
fn a_range_covers_each_criterion_or_requirement_between() {
    let got = tasks_read(&with_tasks(
        "- [ ] 1. Send\n  - _Requirements: 1.1-1.2, 需求1-2_\n- [ ] 2. Window\n  - _Requirements: 2.1–2.1_\n",
    ));
    expect![[r#"
        notify/task-1 progress=Some(NotStarted) optional=None covers=["notify/1.1", "notify/1.2", "notify/requirement-1", "notify/requirement-2"]
        notify/task-2 progress=Some(NotStarted) optional=None covers=["notify/2.1"]
    "#]]
    .assert_eq(&got);
    check(
        &with_tasks("- [ ] 1. Send\n  - _Requirements: 1.1-1.4, 2.1_\n- [ ] 2. Window\n  - _Requirements: 1.2-2.1, 1-2_\n"),
        expect![[r#"
            .kiro/specs/notify/tasks.md:2:20 kiro-unknown-requirement: `1.3` names no criterion of `.kiro/specs/notify/requirements.md` (requirement 1 has criteria 1.1 and 1.2) [1.1-1.4]
            .kiro/specs/notify/tasks.md:2:20 kiro-unknown-requirement: `1.4` names no criterion of `.kiro/specs/notify/requirements.md` (requirement 1 has criteria 1.1 and 1.2) [1.1-1.4]
            .kiro/specs/notify/tasks.md:4:20 kiro-prose-requirement: `1.2-2.1` is not a criterion ID: list the criteria the task satisfies, as `1.2, 3.1` [1.2-2.1]
            .kiro/specs/notify/tasks.md:4:29 kiro-prose-requirement: `1-2` is not a criterion ID: list the criteria the task satisfies, as `1.2, 3.1` [1-2]
        "#]],
    );
}

/// `None`, `N/A (project setup)` and `无` say the task traces no
/// requirement: nothing is reported and nothing is covered.
#[test]
fn a_none_entry_is_no_prose_and_covers_nothing() {
    for none in [
        "_Requirements: None_",
        "_Requirements: N/A_",
        "_Requirements: N/A (project setup)_",
        "_需求: 无_",
    ] {
        let fixture = with_tasks(&format!(
            "- [ ] 1. Set up\n  - {none}\n- [ ] 2. Send\n  - _Requirements: 1.1, 1.2_\n"
        ));
        expect![[r#"
            .kiro/specs/notify/requirements.md:16:1 kiro-uncovered-criterion: criterion 2.1 is covered by no task in tasks.md [1]
        "#]]
        .assert_eq(&findings(&workspace(&fixture).workspace));
    }
}

/// Criteria written with their whole number (`1.1. THE framework SHALL …`,
/// a paragraph to markdown) are read by that number, with or without the
/// last dot.
#[test]
fn criteria_numbered_with_their_requirement_are_read() {
    check(
        "//- .kiro/specs/notify/requirements.md
### Requirement 1: Infrastructure

#### Acceptance Criteria

1.1. THE framework SHALL provide data generators for all entities
1.2 THE framework SHALL provide assertion helpers
//- .kiro/specs/notify/tasks.md
- [ ] 1. Generators
  - _Requirements: 1.1_
",
        expect![[r#"
            .kiro/specs/notify/requirements.md:6:1 kiro-uncovered-criterion: criterion 1.2 is covered by no task in tasks.md [1.2]
        "#]],
    );
}

/// A list numbered `1.` on every item (markdown shows 1, 2, 3) numbers its
/// criteria by place; a list with a repeated number among others keeps
/// its numbers.
#[test]
fn a_lazily_numbered_criteria_list_is_numbered_by_place() {
    check(
        "//- .kiro/specs/notify/requirements.md
### Requirement 1: Infrastructure

#### Acceptance Criteria

1. WHEN a THEN the system SHALL a
1. WHEN b THEN the system SHALL b
1. WHEN c THEN the system SHALL c

### Requirement 2: Other

#### Acceptance Criteria

1. WHEN a THEN the system SHALL a
2. WHEN b THEN the system SHALL b
2. WHEN c THEN the system SHALL c
//- .kiro/specs/notify/tasks.md
- [ ] 1. Generators
  - _Requirements: 1.1, 1.2, 1.3, 2.1, 2.2_
",
        expect![[r#"
            .kiro/specs/notify/requirements.md:14:1 duplicate-id: criterion `2.2` is defined 2 times [2]
            .kiro/specs/notify/requirements.md:15:1 duplicate-id: criterion `2.2` is defined 2 times [2]
        "#]],
    );
}

/// A requirement pasted twice repeats its criteria: the two copies of the
/// requirement are reported, not each criterion under them. A criterion
/// numbered twice inside one requirement still is.
#[test]
fn a_requirement_written_twice_is_reported_once_per_copy() {
    check(
        "//- .kiro/specs/notify/requirements.md
### Requirement 1: Alerts

#### Acceptance Criteria

1. WHEN a THEN the system SHALL a
2. WHEN b THEN the system SHALL b

### Requirement 1: Alerts

#### Acceptance Criteria

1. WHEN a THEN the system SHALL a
2. WHEN b THEN the system SHALL b

### Requirement 2: Other

#### Acceptance Criteria

1. WHEN a THEN the system SHALL a
1. WHEN a THEN the system SHALL a
2. WHEN b THEN the system SHALL b
//- .kiro/specs/notify/tasks.md
- [ ] 1. Generators
  - _Requirements: 1.1, 1.2, 2.1, 2.2_
",
        expect![[r#"
            .kiro/specs/notify/requirements.md:1:1 duplicate-id: requirement `1` is defined 2 times [### Requirement 1: Alerts]
            .kiro/specs/notify/requirements.md:8:1 duplicate-id: requirement `1` is defined 2 times [### Requirement 1: Alerts]
            .kiro/specs/notify/requirements.md:19:1 duplicate-id: criterion `2.1` is defined 2 times [1]
            .kiro/specs/notify/requirements.md:20:1 duplicate-id: criterion `2.1` is defined 2 times [1]
        "#]],
    );
}

/// A lazily numbered list whose number is the largest one can write is
/// numbered past it without overflowing (a debug build would panic).
#[test]
fn a_lazily_numbered_list_with_a_huge_number_is_read() {
    let ws = crate::analysis::fixture::workspace(
        "//- .kiro/specs/notify/requirements.md
### Requirement 1: Infrastructure

#### Acceptance Criteria

18446744073709551615. WHEN a THEN the system SHALL a
18446744073709551615. WHEN b THEN the system SHALL b
",
    )
    .workspace;
    let file = ws.file(".kiro/specs/notify/requirements.md").unwrap();
    let numbers: Vec<&str> = file
        .facts
        .items
        .iter()
        .filter_map(|item| item.number.as_deref())
        .collect();
    assert_eq!(
        numbers,
        ["1", "1.18446744073709551615", "1.18446744073709551615"]
    );
}

/// Two projects of one workspace, each with its own `.kiro/`, may have a
/// spec of the same name: neither defines the other's IDs, and a task's
/// `_Requirements:` line names criteria of its own project's spec.
#[test]
fn specs_of_the_same_name_in_two_projects_keep_their_ids_apart() {
    let in_project = |project: &str, requirements: bool| {
        let mut out = String::new();
        if requirements {
            out.push_str(&REQUIREMENTS.replacen("//- .kiro/", &format!("//- {project}/.kiro/"), 1));
        }
        out.push_str(&format!(
            "//- {project}/.kiro/specs/notify/tasks.md\n# Implementation Plan\n\n- [ ] 1. Send the message\n  - _Requirements: 1.1, 1.3_\n"
        ));
        out
    };
    let mut fixture = in_project("apps/web", true);
    fixture.push_str(&in_project("services/api", true));
    fixture.push_str(&with_tasks(
        "# Implementation Plan\n\n- [ ] 1. Send the message\n  - _Requirements: 1.1_\n",
    ));
    check(
        &fixture,
        expect![[r#"
        .kiro/specs/notify/requirements.md:10:1 kiro-uncovered-criterion: criterion 1.2 is covered by no task in tasks.md [2]
        .kiro/specs/notify/requirements.md:16:1 kiro-uncovered-criterion: criterion 2.1 is covered by no task in tasks.md [1]
        apps/web/.kiro/specs/notify/requirements.md:10:1 kiro-uncovered-criterion: criterion 1.2 is covered by no task in tasks.md [2]
        apps/web/.kiro/specs/notify/requirements.md:16:1 kiro-uncovered-criterion: criterion 2.1 is covered by no task in tasks.md [1]
        apps/web/.kiro/specs/notify/tasks.md:4:25 kiro-unknown-requirement: `1.3` names no criterion of `apps/web/.kiro/specs/notify/requirements.md` (requirement 1 has criteria 1.1 and 1.2) [1.3]
        services/api/.kiro/specs/notify/requirements.md:10:1 kiro-uncovered-criterion: criterion 1.2 is covered by no task in tasks.md [2]
        services/api/.kiro/specs/notify/requirements.md:16:1 kiro-uncovered-criterion: criterion 2.1 is covered by no task in tasks.md [1]
        services/api/.kiro/specs/notify/tasks.md:4:25 kiro-unknown-requirement: `1.3` names no criterion of `services/api/.kiro/specs/notify/requirements.md` (requirement 1 has criteria 1.1 and 1.2) [1.3]
    "#]],
    );
    let ws = workspace(&fixture).workspace;
    let ids: Vec<String> = ws
        .items()
        .filter(|(_, item)| item.number.as_deref() == Some("1.1"))
        .map(|(_, item)| item.id.to_string())
        .collect();
    expect![[r#"
        notify/1.1
        apps/web/notify/1.1
        services/api/notify/1.1"#]]
    .assert_eq(&ids.join("\n"));
}

/// A spec without requirements.md has no criterion IDs to list: its tasks'
/// entries in words (one project names the criteria of user stories kept
/// in a file of its own, `_Requirements: US-019 acceptance criteria 1-7_`)
/// are not reported, as its criterion IDs are not checked.
#[test]
fn prose_requirement_is_silent_without_requirements_file() {
    let tasks = "# Implementation Plan\n\n- [ ] 1. Set up the service\n  - _Requirements: US-019 acceptance criteria 1-7_\n- [ ] 2. Read soil tests\n  - _Requirements: US-019.1 - soil test results for micronutrients_\n";
    check(
        &format!("//- .kiro/specs/micronutrients/tasks.md\n{tasks}"),
        expect![""],
    );
    // With a requirements.md beside it, the same entries are reported.
    check(
        &with_tasks(tasks),
        expect![[r#"
        .kiro/specs/notify/tasks.md:4:20 kiro-prose-requirement: `US-019 acceptance criteria 1-7` is not a criterion ID: list the criteria the task satisfies, as `1.2, 3.1` [US-019 acceptance criteria 1-7]
        .kiro/specs/notify/tasks.md:6:20 kiro-prose-requirement: `US-019.1 - soil test results for micronutrients` is not a criterion ID: list the criteria the task satisfies, as `1.2, 3.1` [US-019.1 - soil test results for micronutrients]
    "#]],
    );
}

#[test]
fn the_order_hint_names_the_task_waited_for() {
    // Task 2 names 1 itself; task 3 waits for 2 by the order alone, and its
    // hint says so, rather than a bare status that would read as task 3's.
    let ws = workspace("//- .kiro/specs/notify/tasks.md\n- [ ] 1. One\n- [-] 2. Two\n  - _Depends: 1_\n- [ ] 3. Three\n").workspace;
    let rel = ".kiro/specs/notify/tasks.md";
    let text = &ws.file(rel).unwrap().text;
    let hints: Vec<String> = features::inlay::inlay_hints(&ws, &derived(&ws), rel, None)
        .into_iter()
        .map(|h| {
            format!(
                "{} {}",
                &text[..h.offset].lines().last().unwrap_or(""),
                h.label
            )
        })
        .collect();
    expect![[r#"
        [
            "  - _Depends: 1 not started",
            "- [ ] 3. Three after 2: in progress",
        ]
    "#]]
    .assert_debug_eq(&hints);
}

#[test]
fn a_misspelt_dependency_is_fixed_as_the_spec_writes_task_numbers() {
    // `_Depends:` takes task numbers: the fix writes `1.1`, which Kiro and
    // cc-sdd read, not the scoped ID, which they would not.
    let out = actions_at_showing(
        "//- .kiro/specs/notify/tasks.md\n- [ ] 1. One\n  - [ ] 1.1 Store\n- [ ] 2. Two\n  - _Depends: 1.$09_\n",
        None,
    );
    expect![[r#"
        ## Change to `1.1` (preferred: true)
        - [ ] 1. One
          - [ ] 1.1 Store
        - [ ] 2. Two
          - _Depends: 1.1_
        ## Remove the dependency on `1.9` (preferred: false)
        - [ ] 1. One
          - [ ] 1.1 Store
        - [ ] 2. Two
    "#]]
    .assert_eq(&out);
}

/// Headings below `#### Acceptance Criteria` (kythira writes `#####
/// Concept satisfaction`, `##### Unit tests`) group the requirement's
/// criteria: the numbered items under them are its criteria, numbered as
/// written. A heading of the criteria heading's level ends them.
#[test]
fn criteria_grouped_under_sub_headings_are_read() {
    let fixture = "//- .kiro/specs/notify/requirements.md
### Requirement 16: Tests

#### Acceptance Criteria

##### Concept satisfaction

1. `static_assert`s in both headers SHALL verify the concepts

##### Unit tests (no AWS dependency)

2. A unit test file SHALL be added

#### Notes

3. WHEN a note is numbered THEN it SHALL stay a note
//- .kiro/specs/notify/tasks.md
- [ ] 1. Tests
  - _Requirements: 16.1, 16.2, 16.3_
";
    check(
        fixture,
        expect![[r#"
            .kiro/specs/notify/tasks.md:2:32 kiro-unknown-requirement: `16.3` names no criterion of `.kiro/specs/notify/requirements.md` (requirement 16 has criteria 16.1 and 16.2) [16.3]
        "#]],
    );
    // A list that starts again at 1 under the next sub-heading repeats a
    // number, as a repeated number in one list does: `duplicate-id` says
    // that `16.1` names two criteria.
    check(
        "//- .kiro/specs/notify/requirements.md
### Requirement 16: Tests

#### Acceptance Criteria

##### Concept satisfaction

1. THE headers SHALL verify the concepts

##### Unit tests

1. THE suite SHALL cover the client
2. THE suite SHALL run offline
",
        expect![[r#"
            .kiro/specs/notify/requirements.md:7:1 duplicate-id: criterion `16.1` is defined 2 times [1]
            .kiro/specs/notify/requirements.md:11:1 duplicate-id: criterion `16.1` is defined 2 times [1]
        "#]],
    );
}

/// A criterion is its whole list item: its SHALL may be on a line that
/// continues it, indented or not, up to a blank line, a heading or the
/// next item.
#[test]
fn a_criterion_is_read_to_the_end_of_its_list_item() {
    check(
        "//- .kiro/specs/notify/requirements.md
### Requirement 1: Signing

#### Acceptance Criteria

1. WHEN `access_key_id` or `access_key_secret` is empty THEN `sign_request`
   SHALL throw `std::invalid_argument` naming the missing field.
2. WHEN the key is set THEN the request
`sign_request` SHALL sign it
3. WHEN the clock is skewed THEN the request is refused

   The caller SHALL retry.
4. WHEN the region is unknown THEN the request fails
   - the caller SHALL retry
5. WHEN the region is unknown THEN the request fails
##### Notes
SHALL
",
        expect![[r#"
            .kiro/specs/notify/requirements.md:9:1 kiro-criterion-not-ears: criterion 1.3 has its WHEN and THEN but no SHALL: say what the system shall do, `THEN the <system> SHALL <response>` [3. WHEN the clock is skewed THEN the request is refused]
            .kiro/specs/notify/requirements.md:12:1 kiro-criterion-not-ears: criterion 1.4 has its WHEN and THEN but no SHALL: say what the system shall do, `THEN the <system> SHALL <response>` [4. WHEN the region is unknown THEN the request fails]
            .kiro/specs/notify/requirements.md:14:1 kiro-criterion-not-ears: criterion 1.5 has its WHEN and THEN but no SHALL: say what the system shall do, `THEN the <system> SHALL <response>` [5. WHEN the region is unknown THEN the request fails]
        "#]],
    );
}

/// A note in parentheses may hold commas and semicolons (`20 (ACs 1–3,
/// 7)`, `All (documentation only; not required)`): the entries are split
/// only at separators outside parentheses, ASCII or full-width, in a
/// `_Requirements:` line and in a `_Depends:` line.
#[test]
fn separators_inside_a_note_do_not_split_an_entry() {
    let tasks = "- [ ] 1. Send\n  - _Requirements: 1.1, 1 (ACs 1–2, 7)_\n- [ ] 2. Window\n  - _Requirements: 2.1（见 1, 2）_\n  - _Depends: 1 (the store, then the queue)_\n- [x] 3. Docs\n  - _Requirements: All (documentation only; not required for this spec itself)_\n";
    let fixture = with_tasks(tasks);
    expect![[r#"
        notify/task-1 progress=Some(NotStarted) optional=None covers=["notify/1.1", "notify/requirement-1"]
        notify/task-2 progress=Some(NotStarted) optional=None covers=["notify/2.1"]
        notify/task-3 progress=Some(Done) optional=None covers=[]
    "#]]
    .assert_eq(&tasks_read(&fixture));
    check(&fixture, expect![""]);
    let ws = workspace(&fixture).workspace;
    let file = ws.file(".kiro/specs/notify/tasks.md").unwrap();
    let deps: Vec<&str> = file.facts.items[1]
        .deps
        .iter()
        .map(|d| &*d.written)
        .collect();
    assert_eq!(deps, ["1"]);
    // An unknown ID with a note is removed with its note.
    let got = actions_at(&with_tasks(
        "- [ ] 1. Send\n  - _Requirements: 1.1, $09 (ACs 1, 2), 1.2_\n- [ ] 2. Window\n  - _Requirements: 1.1, 9 (ACs 1, 2)_\n",
    ));
    expect![[r#"
        ## Remove `9` from the list (preferred: false)
        - [ ] 1. Send
          - _Requirements: 1.1, 1.2_
        - [ ] 2. Window
          - _Requirements: 1.1, 9 (ACs 1, 2)_
    "#]]
    .assert_eq(&got);
    let got = actions_at(&with_tasks(
        "- [ ] 1. Send\n  - _Requirements: 1.1, $09 (ACs 1, 2)_\n",
    ));
    expect![[r#"
        ## Remove `9` from the list (preferred: false)
        - [ ] 1. Send
          - _Requirements: 1.1_
    "#]]
    .assert_eq(&got);
}

/// Details indented past a task's text after a blank line are an indented
/// code block to markdown, but still the task's: its `_Requirements:` and
/// `_Depends:` lines are read. A fenced block's are not.
#[test]
fn requirements_in_a_task_s_indented_details_are_read() {
    let tasks = "- [x] 1. **`gcp_gcs_client`** — done August 17, 2026, in
      `include/gcs.hpp`

      **Verify, as written:** unit suite green
      - _Requirements: 1.1, 1.2_
      - _Depends: 2_
- [ ] 2. Window

  ```markdown
  - _Requirements: 2.1_
  ```
";
    let fixture = with_tasks(tasks);
    expect![[r#"
        notify/task-1 progress=Some(Done) optional=None covers=["notify/1.1", "notify/1.2"]
        notify/task-2 progress=Some(NotStarted) optional=None covers=[]
    "#]]
    .assert_eq(&tasks_read(&fixture));
    let ws = workspace(&fixture).workspace;
    let file = ws.file(".kiro/specs/notify/tasks.md").unwrap();
    let deps: Vec<&str> = file.facts.items[0]
        .deps
        .iter()
        .map(|d| &*d.written)
        .collect();
    assert_eq!(deps, ["2"]);
}

/// The items of a fixture's workspace, one line each: kind, ID and title.
fn items_read(fixture: &str) -> String {
    let ws = workspace(fixture).workspace;
    let mut out = String::new();
    for (_, item) in ws.items() {
        writeln!(out, "{} {} {:?}", item.kind.name(), item.id, item.title).unwrap();
    }
    out
}

/// A bullet typed twice (`- - [x] 5.3`, as JoEz89/Kiro-AutismCenter has
/// one) is still a task: its details and `_Requirements:` are its own,
/// not the task's above.
#[test]
fn a_task_behind_a_doubled_bullet_is_a_task() {
    let fixture = with_tasks(
        "# Implementation Plan\n\n- [ ] 1. Send\n- [x] 1.1 Compose\n  - _Requirements: 1.1_\n\n- - [x] 1.2 Queue\n\n  - _Requirements: 1.2_\n- [ ] 2. Window\n  - _Requirements: 2.1_\n",
    );
    let ws = workspace(&fixture).workspace;
    let mut out = String::new();
    for (_, item) in ws.items().filter(|(_, i)| i.kind.name() == "task") {
        let covers: Vec<&str> = item
            .covers
            .iter()
            .filter_map(|r| r.target.as_id())
            .collect();
        writeln!(
            out,
            "{} {:?} {:?} {covers:?}",
            item.id, item.parent, item.progress
        )
        .unwrap();
    }
    expect![[r#"
        notify/task-1 None Some(NotStarted) []
        notify/task-1.1 Some("notify/task-1") Some(Done) ["notify/1.1"]
        notify/task-1.2 Some("notify/task-1") Some(Done) ["notify/1.2"]
        notify/task-2 None Some(NotStarted) ["notify/2.1"]
    "#]]
    .assert_eq(&out);
    assert_eq!(findings(&ws), "");
}

/// cc-sdd's Japanese specs number their requirements without the word
/// (`### 1. 仕様一覧`) and head the criteria `#### 受け入れ条件`. Such a
/// heading is a requirement only with a criteria heading under it, and
/// only in a file without `Requirement N` headings: a decision log's
/// numbered headings stay sections.
#[test]
fn a_numbered_heading_with_criteria_under_it_is_a_requirement() {
    let fixture = "//- .kiro/specs/ui/requirements.md
# Requirements Document

## Decision Log

### 1. Scope

Only the list.

## Requirements

### 1. 仕様一覧表示機能

#### 受け入れ条件
1. When the app starts, the UI shall list the specs
2. The UI shall show each spec's phase

### 2. Details

#### Acceptance Criteria
1. When a spec is picked, the UI shall show it
//- .kiro/specs/ui/tasks.md
- [ ] 1. List
  - _Requirements: 1.1, 1.2, 2.1_
//- .kiro/specs/log/requirements.md
## Decision Log

### 1. Scope

#### Acceptance Criteria
1. WHEN a THEN the system SHALL a

## Requirements

### Requirement 1: Alerts

#### Acceptance Criteria
1. WHEN b THEN the system SHALL b
";
    expect![[r#"
        requirement log/requirement-1 "Alerts"
        criterion log/1.1 "WHEN b THEN the system SHALL b"
        requirement ui/requirement-1 "仕様一覧表示機能"
        criterion ui/1.1 "When the app starts, the UI shall list the specs"
        criterion ui/1.2 "The UI shall show each spec's phase"
        requirement ui/requirement-2 "Details"
        criterion ui/2.1 "When a spec is picked, the UI shall show it"
        task ui/task-1 "List"
    "#]]
    .assert_eq(&items_read(fixture));
    check(fixture, expect![""]);
}

/// Criteria may write their whole number as a bullet with a colon
/// (`- 1.1: When …`) under a bold label instead of a heading
/// (`**Acceptance Criteria**:`): each is the criterion its number names.
#[test]
fn bulleted_criteria_under_a_bold_label_are_read_by_their_number() {
    let fixture = "//- .kiro/specs/profile/requirements.md
### Requirement 1: Profile

**Acceptance Criteria**:
- 1.1: When the user opens the page THEN the system SHALL show the name
- 1.2: If the avatar fails, the system shall show a placeholder
1.3: WHEN the user leaves THEN the system SHALL forget the page

### Requirement 2: Editing

#### Acceptance Criteria

- 2.1: When the user edits, the page
//- .kiro/specs/profile/tasks.md
- [ ] 1. Profile
  - _Requirements: 1.1, 1.2, 1.3, 2.1_
";
    expect![[r#"
        requirement profile/requirement-1 "Profile"
        criterion profile/1.1 "When the user opens the page THEN the system SHALL show the name"
        criterion profile/1.2 "If the avatar fails, the system shall show a placeholder"
        criterion profile/1.3 "WHEN the user leaves THEN the system SHALL forget the page"
        requirement profile/requirement-2 "Editing"
        criterion profile/2.1 "When the user edits, the page"
        task profile/task-1 "Profile"
    "#]]
    .assert_eq(&items_read(fixture));
    check(
        fixture,
        expect![[r#"
            .kiro/specs/profile/requirements.md:12:1 kiro-criterion-not-ears: criterion 2.1 is not an EARS sentence: write `WHEN <trigger> THEN the <system> SHALL <response>` [- 2.1: When the user edits, the page]
        "#]],
    );
}

/// `_Requirements: 1.1/1.2_` names both criteria; a slash between words
/// (`N/A`, `pros/cons`) separates nothing.
#[test]
fn a_slash_between_numbers_separates_entries() {
    let got = tasks_read(&with_tasks(
        "- [ ] 1. Send\n  - _Requirements: 1.1/1.2 (Property 3), 2.1 / 1_\n- [ ] 2. Window\n  - _Requirements: N/A (setup)_\n",
    ));
    expect![[r#"
        notify/task-1 progress=Some(NotStarted) optional=None covers=["notify/1.1", "notify/1.2", "notify/2.1", "notify/requirement-1"]
        notify/task-2 progress=Some(NotStarted) optional=None covers=[]
    "#]]
    .assert_eq(&got);
    check(
        &with_tasks("- [ ] 1. Send\n  - _Requirements: 1.1/1.2/2.1, pros/cons_\n"),
        expect![[r#"
            .kiro/specs/notify/tasks.md:2:33 kiro-prose-requirement: `pros/cons` is not a criterion ID: list the criteria the task satisfies, as `1.2, 3.1` [pros/cons]
        "#]],
    );
    let got = actions_at(&with_tasks(
        "- [ ] 1. Send\n  - _Requirements: 1.1/$01.9/1.2_\n",
    ));
    expect![[r#"
        ## Remove `1.9` from the list (preferred: false)
        - [ ] 1. Send
          - _Requirements: 1.1/1.2_
    "#]]
    .assert_eq(&got);
}

/// Headings numbered with their requirement's number (`##### 4.2 IPC`)
/// group its criteria under a number of their own: the items under them
/// are criteria 4.2.1, 4.2.2, …, which a task names so. An unnumbered
/// group heading keeps the plain numbering.
#[test]
fn criteria_in_numbered_groups_carry_the_group_number() {
    let fixture = "//- .kiro/specs/cleanup/requirements.md
### Requirement 4: Remove unused code

#### Acceptance Criteria

##### 4.1 UI components
1. The dialog SHALL be deleted

##### 4.2 IPC channels
1. The check channel SHALL be deleted
2. The install channel SHALL be deleted

### Requirement 5: Tests

#### Acceptance Criteria

##### Unit tests
1. The tests SHALL pass
//- .kiro/specs/cleanup/tasks.md
- [ ] 1. Delete
  - _Requirements: 4.1.1, 4.2.1, 4.2.2, 4.2.3, 5.1_
";
    expect![[r#"
        requirement cleanup/requirement-4 "Remove unused code"
        criterion cleanup/4.1.1 "The dialog SHALL be deleted"
        criterion cleanup/4.2.1 "The check channel SHALL be deleted"
        criterion cleanup/4.2.2 "The install channel SHALL be deleted"
        requirement cleanup/requirement-5 "Tests"
        criterion cleanup/5.1 "The tests SHALL pass"
        task cleanup/task-1 "Delete"
    "#]]
    .assert_eq(&items_read(fixture));
    check(
        fixture,
        expect![[r#"
        .kiro/specs/cleanup/tasks.md:2:41 kiro-unknown-requirement: `4.2.3` names no criterion of `.kiro/specs/cleanup/requirements.md` (requirement 4 has criteria 4.1.1 to 4.2.2) [4.2.3]
    "#]],
    );
}

/// Criteria written as bullets (`- WHEN … SHALL …`), as some templates
/// write them, are numbered by place: the tasks naming `2.1` and `2.2` name
/// the first and second bullet, and a third (`2.3`) is still unknown. A
/// bullet nested in a numbered criterion stays part of it.
#[test]
fn criteria_written_as_bullets_are_numbered_by_place() {
    check(
        "//- .kiro/specs/notify/requirements.md
### Requirement 1: Track

#### Acceptance Criteria

1. WHEN asked THEN the service SHALL answer
   - including cancelled orders

### Requirement 2: Export

#### Acceptance Criteria

- WHEN an admin requests an export, THE Order_Service SHALL produce a CSV
  of every order
- WHILE an export runs, THE Order_Service SHALL show progress
//- .kiro/specs/notify/tasks.md
- [ ] 1. Export
  - _Requirements: 1.1, 2.1, 2.2, 2.3_
",
        expect![[r#"
            .kiro/specs/notify/tasks.md:2:35 kiro-unknown-requirement: `2.3` names no criterion of `.kiro/specs/notify/requirements.md` (requirement 2 has criteria 2.1 and 2.2) [2.3]
        "#]],
    );
}

/// A bugfix spec's `bugfix.md` numbers its statements of the current
/// (`1.x`), expected (`2.x`) and unchanged (`3.x`) behaviour; its tasks
/// name them as a feature spec's tasks name criteria, so a statement that
/// does not exist is reported. The statements are no acceptance criteria
/// of their own: the current behaviour has no SHALL, and is not reported.
#[test]
fn a_bugfix_spec_is_read_and_its_tasks_checked_against_it() {
    let fixture = "//- .kiro/specs/centre-fix/bugfix.md
# Bugfix Requirements Document

## Bug Analysis

### Current Behavior (Defect)

1.1 WHEN users view the course modal THEN the system displays \"Training Center\"

### Expected Behavior (Correct)

2.1 WHEN users view the course modal THEN the system SHALL display \"Training Centre\"

### Unchanged Behavior (Regression Prevention)

3.1 WHEN a form already says \"Training Centre\" THEN the system SHALL CONTINUE TO display it

```text
9.9 In a code block, no statement
```
//- .kiro/specs/centre-fix/tasks.md
# Implementation Plan

- [x] 1. Write the bug condition exploration test
  - **Validates: Requirements 1.1, 2.1**
- [ ] 2. Fix the label
  - _Requirements: 2.1, 2.2, 9.9_
- [ ] 3. Preservation test
  - **Validates: Requirements 3.1, Requirement 3**
";
    let ws = workspace(fixture).workspace;
    let file = ws.file(".kiro/specs/centre-fix/bugfix.md").unwrap();
    let mut out = String::new();
    for item in &file.facts.items {
        writeln!(
            out,
            "{} {} parent={:?} title={:?}",
            item.kind.name(),
            item.id,
            item.parent,
            item.title
        )
        .unwrap();
    }
    expect![[r#"
        requirement centre-fix/requirement-1 parent=None title="Current Behavior (Defect)"
        criterion centre-fix/1.1 parent=Some("centre-fix/requirement-1") title="WHEN users view the course modal THEN the system displays \"Training Center\""
        requirement centre-fix/requirement-2 parent=None title="Expected Behavior (Correct)"
        criterion centre-fix/2.1 parent=Some("centre-fix/requirement-2") title="WHEN users view the course modal THEN the system SHALL display \"Training Centre\""
        requirement centre-fix/requirement-3 parent=None title="Unchanged Behavior (Regression Prevention)"
        criterion centre-fix/3.1 parent=Some("centre-fix/requirement-3") title="WHEN a form already says \"Training Centre\" THEN the system SHALL CONTINUE TO display it"
    "#]].assert_eq(&out);
    check(
        fixture,
        expect![[r#"
        .kiro/specs/centre-fix/tasks.md:6:25 kiro-unknown-requirement: `2.2` names no criterion of `.kiro/specs/centre-fix/bugfix.md` (requirement 2 has criterion 2.1 only) [2.2]
        .kiro/specs/centre-fix/tasks.md:6:30 kiro-unknown-requirement: `9.9` names no criterion of `.kiro/specs/centre-fix/bugfix.md` (there is no requirement 9) [9.9]
    "#]],
    );
}
