//! Every variant of the planning formats seen in the wild (formats.md), one
//! test each, checking the IDs *and* the byte ranges: every range is sliced
//! out of the file's text and compared with what it should cover.

use expect_test::{expect, Expect};
use planmark::analysis::fixture::workspace;
use planmark::analysis::model::{Item, ItemKind, Progress, Reference, Target};
use planmark::analysis::text::TextRange;
use planmark::analysis::workspace::{SourceFile, Workspace};

fn ws(fixture: &str) -> Workspace {
    workspace(fixture).workspace
}

fn slice(text: &str, range: TextRange) -> &str {
    &text[range.start()..range.end()]
}

fn file<'a>(ws: &'a Workspace, rel: &str) -> &'a SourceFile {
    ws.file(rel)
        .unwrap_or_else(|| panic!("{rel} was not loaded as a planning file"))
}

fn item<'a>(ws: &'a Workspace, id: &str) -> (&'a SourceFile, &'a Item) {
    let (file, item) = ws
        .item(id)
        .unwrap_or_else(|| panic!("no item `{id}` in the workspace"));
    (file.as_ref(), item)
}

fn target(t: &Target) -> String {
    match t {
        Target::Id(id) => id.to_string(),
        Target::MilestoneTitle(title) => format!("title:{title}"),
    }
}

/// One line per reference: target, range, and the text the range covers.
/// Also checks that `written` is exactly what the range covers.
fn show_refs<'a>(text: &str, refs: impl IntoIterator<Item = &'a Reference>) -> String {
    let mut out = String::new();
    for r in refs {
        let covered = slice(text, r.range);
        assert_eq!(r.written, covered, "`written` disagrees with the range");
        out.push_str(&format!(
            "{} {:?} {:?} {covered:?}\n",
            target(&r.target),
            r.role,
            r.range
        ));
    }
    out
}

/// The dependencies of `id`, and what its dependency field's range covers.
fn deps_of(ws: &Workspace, id: &str) -> String {
    let (file, item) = item(ws, id);
    let field = item
        .deps_field
        .map(|r| format!("field {:?}\n", slice(&file.text, r)))
        .unwrap_or_else(|| "no dependency field\n".into());
    field + &show_refs(&file.text, &item.deps)
}

fn check_deps(fixture: &str, id: &str, expect: Expect) {
    expect.assert_eq(&deps_of(&ws(fixture), id));
}

/// An issue file whose dependency field reads `value`.
fn issue_with_deps(value: &str) -> String {
    format!(
        "//- issues/backlog/swe-feature-100.md\n# Title\n\n**Type:** feature\n\n## Technical Notes\n\n**Dependencies:** {value}\n**Inputs:** docs/project-brief.md\n"
    )
}

fn no_deps(value: &str) {
    let ws = ws(&issue_with_deps(value));
    let (file, item) = item(&ws, "swe-feature-100");
    assert!(item.deps.is_empty(), "{value:?} gave {:?}", item.deps);
    assert_eq!(slice(&file.text, item.deps_field.unwrap()), value);
}

// ---------------------------------------------------------------------------
// Issue metadata

#[test]
fn labels_and_values_in_any_case() {
    let ws = ws(r#"
//- issues/planned/SWE-feature-007.md
# Title

**TYPE:** Feature
**expert:** SWE
**STATUS:** In-Progress
**MileStone:** m05
**DEPENDS ON:** SWE-Feature-001, Qa-Feature-003
"#);
    let (file, item) = item(&ws, "swe-feature-007");
    let fields: String = item
        .fields
        .iter()
        .map(|f| {
            assert_eq!(slice(&file.text, f.label_range), f.label);
            format!("{:?} = {:?}\n", f.label, f.value(&file.text))
        })
        .collect();
    expect![[r#"
        "TYPE" = "Feature"
        "expert" = "SWE"
        "STATUS" = "In-Progress"
        "MileStone" = "m05"
        "DEPENDS ON" = "SWE-Feature-001, Qa-Feature-003"
    "#]]
    .assert_eq(&fields);
    assert_eq!(item.field_value(&file.text, "type"), Some("Feature"));
    assert_eq!(item.field_value(&file.text, "Expert"), Some("SWE"));
    assert_eq!(item.progress, Some(Progress::InProgress));
    let (status, range) = item.status.clone().unwrap();
    assert_eq!(
        (status.as_str(), slice(&file.text, range)),
        ("In-Progress", "In-Progress")
    );
    expect![[r#"
        M5 Milestone 82..85 "m05"
    "#]]
    .assert_eq(&show_refs(&file.text, item.milestone.as_deref()));
    expect![[r#"
        field "SWE-Feature-001, Qa-Feature-003"
        swe-feature-001 Dependency 102..117 "SWE-Feature-001"
        qa-feature-003 Dependency 119..133 "Qa-Feature-003"
    "#]]
    .assert_eq(&deps_of(&ws, "swe-feature-007"));
}

#[test]
fn missing_status_taken_from_the_folder() {
    let ws = ws(r#"
//- issues/in-progress/swe-feature-001.md
# Started, no Status line
**Type:** feature
//- issues/done/swe-feature-002.md
# Finished, no Status line
//- issues/backlog/swe-feature-003.md
# Status line wins over the folder
**Status:** done
"#);
    let (file, one) = item(&ws, "swe-feature-001");
    assert_eq!(one.status, None);
    assert_eq!(one.progress, Some(Progress::InProgress));
    assert_eq!(file.facts.folder_status.as_deref(), Some("in-progress"));
    assert_eq!(slice(&file.text, one.def_range), "Started, no Status line");
    assert_eq!(
        item(&ws, "swe-feature-002").1.progress,
        Some(Progress::Done)
    );
    let (file, three) = item(&ws, "swe-feature-003");
    assert_eq!(three.progress, Some(Progress::Done));
    assert_eq!(slice(&file.text, three.status.as_ref().unwrap().1), "done");
    assert_eq!(file.facts.folder_status.as_deref(), Some("backlog"));
}

// ---------------------------------------------------------------------------
// Dependency values

#[test]
fn dependencies_none() {
    no_deps("none");
}

#[test]
fn dependencies_none_capitalised() {
    no_deps("None");
}

#[test]
fn dependencies_em_dash() {
    no_deps("—");
}

#[test]
fn dependencies_hyphen() {
    no_deps("-");
}

#[test]
fn dependencies_n_a() {
    no_deps("N/A");
}

#[test]
fn dependencies_two_ids() {
    check_deps(
        &issue_with_deps("swe-feature-001, qa-feature-003"),
        "swe-feature-100",
        expect![[r#"
            field "swe-feature-001, qa-feature-003"
            swe-feature-001 Dependency 66..81 "swe-feature-001"
            qa-feature-003 Dependency 83..97 "qa-feature-003"
        "#]],
    );
}

#[test]
fn dependencies_parenthetical_note() {
    check_deps(
        &issue_with_deps("swe-feature-014 (files must be in new locations first)"),
        "swe-feature-100",
        expect![[r#"
            field "swe-feature-014 (files must be in new locations first)"
            swe-feature-014 Dependency 66..81 "swe-feature-014"
        "#]],
    );
}

#[test]
fn dependencies_none_parallel_with() {
    no_deps("none (parallel with swe-feature-089, swe-feature-090)");
}

#[test]
fn dependencies_through_range() {
    check_deps(
        &issue_with_deps(
            "swe-feature-064 through swe-feature-073 (all path updates must be complete)",
        ),
        "swe-feature-100",
        expect![[r#"
            field "swe-feature-064 through swe-feature-073 (all path updates must be complete)"
            swe-feature-064 Dependency 66..105 "swe-feature-064 through swe-feature-073"
            swe-feature-065 Dependency 66..105 "swe-feature-064 through swe-feature-073"
            swe-feature-066 Dependency 66..105 "swe-feature-064 through swe-feature-073"
            swe-feature-067 Dependency 66..105 "swe-feature-064 through swe-feature-073"
            swe-feature-068 Dependency 66..105 "swe-feature-064 through swe-feature-073"
            swe-feature-069 Dependency 66..105 "swe-feature-064 through swe-feature-073"
            swe-feature-070 Dependency 66..105 "swe-feature-064 through swe-feature-073"
            swe-feature-071 Dependency 66..105 "swe-feature-064 through swe-feature-073"
            swe-feature-072 Dependency 66..105 "swe-feature-064 through swe-feature-073"
            swe-feature-073 Dependency 66..105 "swe-feature-064 through swe-feature-073"
        "#]],
    );
}

#[test]
fn dependencies_prose_after_dash() {
    check_deps(
        &issue_with_deps(
            "swe-feature-088, swe-feature-089 — **HARD blocker**: both must land first. Downstream of 091: swe-feature-093",
        ),
        "swe-feature-100",
        expect![[r#"
            field "swe-feature-088, swe-feature-089 — **HARD blocker**: both must land first. Downstream of 091: swe-feature-093"
            swe-feature-088 Dependency 66..81 "swe-feature-088"
            swe-feature-089 Dependency 83..98 "swe-feature-089"
        "#]],
    );
}

#[test]
fn dependencies_dash_inside_note() {
    // corpora/project-workflow swe-feature-040: the dashes sit inside the
    // notes, so they start no prose and every ID counts.
    check_deps(
        &issue_with_deps(
            "sa-feature-033 (design), swe-feature-035 (Cursor rules — use as reference), swe-feature-036 (Cursor PM - use as reference)",
        ),
        "swe-feature-100",
        expect![[r#"
            field "sa-feature-033 (design), swe-feature-035 (Cursor rules — use as reference), swe-feature-036 (Cursor PM - use as reference)"
            sa-feature-033 Dependency 66..80 "sa-feature-033"
            swe-feature-035 Dependency 91..106 "swe-feature-035"
            swe-feature-036 Dependency 144..159 "swe-feature-036"
        "#]],
    );
}

#[test]
fn dependencies_done_note() {
    check_deps(
        &issue_with_deps("swe-feature-049 (done)"),
        "swe-feature-100",
        expect![[r#"
            field "swe-feature-049 (done)"
            swe-feature-049 Dependency 66..81 "swe-feature-049"
        "#]],
    );
}

#[test]
fn dependencies_milestone() {
    check_deps(
        &issue_with_deps("M19 (the boundary must exist first)"),
        "swe-feature-100",
        expect![[r#"
            field "M19 (the boundary must exist first)"
            M19 Dependency 66..69 "M19"
        "#]],
    );
}

#[test]
fn dependencies_in_code_and_comments_ignored() {
    let ws = ws(r#"
//- issues/backlog/swe-feature-100.md
# Title

Not a field: `**Dependencies:** swe-feature-091`

```
**Dependencies:** swe-feature-092
```

<!--
**Dependencies:** swe-feature-093
-->

**Dependencies:** swe-feature-001, `swe-feature-094`, <!-- swe-feature-095 --> swe-feature-002
"#);
    expect![[r#"
        field "swe-feature-001, `swe-feature-094`, <!-- swe-feature-095 --> swe-feature-002"
        swe-feature-001 Dependency 164..179 "swe-feature-001"
        swe-feature-002 Dependency 225..240 "swe-feature-002"
    "#]]
    .assert_eq(&deps_of(&ws, "swe-feature-100"));
    let (file, _) = item(&ws, "swe-feature-100");
    let all: Vec<_> = file.facts.all_references().collect();
    assert_eq!(all.len(), 2, "{all:?}");
}

#[test]
fn examples_in_inline_code_and_html_comment_are_not_references() {
    // The sample workspace's own cases (examples/README.md).
    let ws = ws(r#"
//- issues/planned/swe-feature-009.md
# Detect delivery exceptions

Each rule row carries a comment such as `# added by swe-feature-097`.

**Dependencies:** M2 (carrier events must be flowing first)
//- issues/backlog/qa-feature-014.md
# QA

<!-- Before the split this pass also covered swe-feature-098; re-add it. -->

**Depends on:** swe-feature-009 through swe-feature-011
"#);
    expect![[r#"
        field "M2 (carrier events must be flowing first)"
        M2 Dependency 119..121 "M2"
    "#]]
    .assert_eq(&deps_of(&ws, "swe-feature-009"));
    expect![[r#"
        field "swe-feature-009 through swe-feature-011"
        swe-feature-009 Dependency 100..139 "swe-feature-009 through swe-feature-011"
        swe-feature-010 Dependency 100..139 "swe-feature-009 through swe-feature-011"
        swe-feature-011 Dependency 100..139 "swe-feature-009 through swe-feature-011"
    "#]]
    .assert_eq(&deps_of(&ws, "qa-feature-014"));
    for id in ["swe-feature-097", "swe-feature-098"] {
        assert_eq!(ws.referrers(id).count(), 0, "{id} is referred to");
    }
}

// ---------------------------------------------------------------------------
// Milestones named by issues

const ROADMAP: &str = r#"
//- docs/roadmap.md
# Roadmap

| # | Milestone | Status | Depends On |
|---|-----------|--------|------------|
| M1 | Tracking core | Done | — |
| M2 | [Carrier Integrations] Carrier event ingest | In Progress | M1 |
| M3 | [Carrier Integrations] Delivery exception alerts | Planned | M2 |
| M4 | [Customer Portal] Customer accounts and preferences | Planned | M1 |
"#;

fn milestone_of(fixture: &str, id: &str) -> String {
    let ws = ws(fixture);
    let (file, item) = item(&ws, id);
    let m = item.milestone.as_ref().expect("a milestone reference");
    format!(
        "{}resolves to {:?}\n",
        show_refs(&file.text, [&**m]),
        ws.resolve(&m.target)
    )
}

#[test]
fn milestone_as_m_number() {
    let fixture =
        format!("{ROADMAP}//- issues/backlog/swe-feature-001.md\n# T\n**Milestone:** M3\n");
    expect![[r#"
        M3 Milestone 19..21 "M3"
        resolves to Some("M3")
    "#]]
    .assert_eq(&milestone_of(&fixture, "swe-feature-001"));
}

#[test]
fn milestone_by_title() {
    let fixture = format!(
        "{ROADMAP}//- issues/backlog/swe-feature-001.md\n# T\n**Milestone:** Tracking Core\n//- issues/backlog/swe-feature-002.md\n# T\n**Milestone:** Carrier event ingest\n"
    );
    expect![[r#"
        title:Tracking Core Milestone 19..32 "Tracking Core"
        resolves to Some("M1")
    "#]]
    .assert_eq(&milestone_of(&fixture, "swe-feature-001"));
    // A title whose roadmap entry carries a `[Group]` resolves without it.
    expect![[r#"
        title:Carrier event ingest Milestone 19..39 "Carrier event ingest"
        resolves to Some("M2")
    "#]]
    .assert_eq(&milestone_of(&fixture, "swe-feature-002"));
}

#[test]
fn milestone_as_group_title_and_number() {
    let fixture = format!(
        "{ROADMAP}//- issues/backlog/swe-feature-001.md\n# T\n**Milestone:** [Customer Portal] Customer accounts and preferences (M4)\n"
    );
    expect![[r#"
        M4 Milestone 19..75 "[Customer Portal] Customer accounts and preferences (M4)"
        resolves to Some("M4")
    "#]]
    .assert_eq(&milestone_of(&fixture, "swe-feature-001"));
}

#[test]
fn milestone_as_unique_group_alone() {
    let fixture = format!(
        "{ROADMAP}//- issues/backlog/swe-feature-001.md\n# T\n**Milestone:** [Customer Portal]\n//- issues/backlog/swe-feature-002.md\n# T\n**Milestone:** [Carrier Integrations]\n"
    );
    expect![[r#"
        title:[Customer Portal] Milestone 19..36 "[Customer Portal]"
        resolves to Some("M4")
    "#]]
    .assert_eq(&milestone_of(&fixture, "swe-feature-001"));
    // Two milestones share this group: it names neither.
    expect![[r#"
        title:[Carrier Integrations] Milestone 19..41 "[Carrier Integrations]"
        resolves to None
    "#]]
    .assert_eq(&milestone_of(&fixture, "swe-feature-002"));
}

// ---------------------------------------------------------------------------
// Stories and tasks

const STORY_015: &str = r#"
//- docs/stories/015-login.md
# Story 015: Sign-in

**Status:** In Progress

## Dependencies

- None

## Tasks

### 001: Magic-link endpoint
**Domain:** backend
**Status:** done
**Depends on:** none

Text.

---

### 002: Session tokens
**Domain:** backend
**Status:** pending
**Depends on:** 001

---
"#;

fn task_summary(ws: &Workspace, id: &str) -> String {
    let (file, task) = item(ws, id);
    assert_eq!(task.kind, ItemKind::Task);
    // The heading's text starts with the number as written (`001`, `1.1`).
    let heading = slice(&file.text, task.def_range);
    let number = task.number.as_deref().unwrap();
    assert!(
        heading.trim_start_matches("Task ").starts_with(number),
        "{heading:?} does not start with {number:?}"
    );
    assert!(slice(&file.text, task.range).starts_with("### "));
    format!(
        "{} parent={:?} number={:?} title={:?} heading={:?}\n{}",
        task.id,
        task.parent,
        task.number,
        task.title,
        slice(&file.text, task.def_range),
        deps_of(ws, id)
    )
}

#[test]
fn story_task_heading_number_colon_title() {
    let ws = ws(STORY_015);
    expect![[r#"
        story-015/001 parent=Some("story-015") number=Some("001") title="Magic-link endpoint" heading="001: Magic-link endpoint"
        field "none"
        story-015/002 parent=Some("story-015") number=Some("002") title="Session tokens" heading="002: Session tokens"
        field "001"
        story-015/001 Dependency 262..265 "001"
    "#]]
    .assert_eq(
        &(task_summary(&ws, "story-015/001") + &task_summary(&ws, "story-015/002")),
    );
    let (file, story) = item(&ws, "story-015");
    assert_eq!(story.title, "Sign-in");
    assert_eq!(slice(&file.text, story.def_range), "Story 015: Sign-in");
    assert_eq!(story.progress, Some(Progress::InProgress));
    assert!(story.deps.is_empty());
}

#[test]
fn story_task_heading_task_dotted_number() {
    let ws = ws(r#"
//- docs/stories/016-saved-views.md
# Story 016: Saved views

## Status

In Progress

## Tasks

### Task 1.1: Saved-views table
**Status:** pending
**Depends:** none

### Task 1.2: Saved-views API
**Status:** pending
**Depends On:** Task 1.1
"#);
    expect![[r#"
        story-016/1.1 parent=Some("story-016") number=Some("1.1") title="Saved-views table" heading="Task 1.1: Saved-views table"
        field "none"
        story-016/1.2 parent=Some("story-016") number=Some("1.2") title="Saved-views API" heading="Task 1.2: Saved-views API"
        field "Task 1.1"
        story-016/1.1 Dependency 197..205 "Task 1.1"
    "#]]
    .assert_eq(
        &(task_summary(&ws, "story-016/1.1") + &task_summary(&ws, "story-016/1.2")),
    );
    let (file, story) = item(&ws, "story-016");
    let (status, range) = story.status.clone().unwrap();
    assert_eq!(
        (status.as_str(), slice(&file.text, range)),
        ("In Progress", "In Progress")
    );
    assert_eq!(story.progress, Some(Progress::InProgress));
}

#[test]
fn task_depends_and_depends_on_labels() {
    let ws = ws(r#"
//- docs/stories/020-x.md
# Story 020: X

## Tasks

### 001: A
**Status:** pending

### 002: B
**Depends:** 001

### 003: C
**Depends On:** Task 009 (Human Gate Approval), 002

### 009: Human gate
**depends on:** none
"#);
    expect![[r#"
        field "001"
        story-020/001 Dependency 82..85 "001"
    "#]]
    .assert_eq(&deps_of(&ws, "story-020/002"));
    expect![[r#"
        field "Task 009 (Human Gate Approval), 002"
        story-020/009 Dependency 114..122 "Task 009"
        story-020/002 Dependency 146..149 "002"
    "#]]
    .assert_eq(&deps_of(&ws, "story-020/003"));
    expect![[r#"
        field "none"
    "#]]
    .assert_eq(&deps_of(&ws, "story-020/009"));
}

#[test]
fn cross_story_task_and_story_references() {
    let fixture = format!(
        "{STORY_015}{}",
        r#"//- docs/stories/016-saved-views.md
# Story 016: Saved views

## Dependencies

- Story 015 (login must exist)
- 014

## Tasks

### Task 1.2: Saved-views API
**Depends On:** Task 1.1, 015/002 (the API reads the session), Story 015
"#
    );
    let ws = ws(&fixture);
    expect![[r#"
        field "Task 1.1, 015/002 (the API reads the session), Story 015"
        story-016/1.1 Dependency 137..145 "Task 1.1"
        story-015/002 Dependency 147..154 "015/002"
        story-015 Dependency 184..193 "Story 015"
    "#]]
    .assert_eq(&deps_of(&ws, "story-016/1.2"));
    let (file, story) = item(&ws, "story-016");
    expect![[r#"
        story-015 Dependency 45..54 "Story 015"
        story-014 Dependency 76..79 "014"
    "#]]
    .assert_eq(&show_refs(&file.text, &story.deps));
    assert_eq!(
        ws.resolve(&Target::Id("story-015/002".into())).as_deref(),
        Some("story-015/002")
    );
}

// ---------------------------------------------------------------------------
// Encodings and scripts

#[test]
fn crlf_line_endings() {
    let text = "# QA: Webhook pass\n\n**Type:** feature\n**Status:** in-progress\n**Milestone:** M2\n\n## Acceptance Criteria\n\n- [x] One case per carrier\n- [ ] Forged events are rejected\n\n## Notes\n\n**Depends on:** swe-feature-002, devops-feature-003\n"
        .replace('\n', "\r\n");
    let ws = ws(&format!(
        "//- issues/in-progress/qa-feature-006.md\r\n{text}"
    ));
    let (file, item) = item(&ws, "qa-feature-006");
    assert_eq!(&*file.text, text.as_str());
    assert_eq!(item.title, "QA: Webhook pass");
    assert_eq!(slice(&file.text, item.def_range), "QA: Webhook pass");
    for f in &item.fields {
        assert!(!f.value(&file.text).contains('\r'), "{f:?}");
        assert!(!slice(&file.text, f.line_range).contains(['\r', '\n']));
    }
    assert_eq!(item.progress, Some(Progress::InProgress));
    assert_eq!(
        slice(&file.text, item.status.as_ref().unwrap().1),
        "in-progress"
    );
    let criteria: Vec<_> = item
        .criteria
        .iter()
        .map(|c| (c.checked, slice(&file.text, c.text_range)))
        .collect();
    assert_eq!(
        criteria,
        vec![
            (true, "One case per carrier"),
            (false, "Forged events are rejected")
        ]
    );
    expect![[r#"
        M2 Milestone 81..83 "M2"
    "#]]
    .assert_eq(&show_refs(&file.text, item.milestone.as_deref()));
    expect![[r#"
        field "swe-feature-002, devops-feature-003"
        swe-feature-002 Dependency 205..220 "swe-feature-002"
        devops-feature-003 Dependency 222..240 "devops-feature-003"
    "#]]
    .assert_eq(&deps_of(&ws, "qa-feature-006"));
}

#[test]
fn crlf_line_endings_in_stories_index_roadmap_and_brief() {
    let fixture = concat!(
        "//- docs/stories/015-login.md\n# Story 015: Sign-in\n\n## Status\n\nIn Progress\n\n",
        "## Dependencies\n\n- Story 014 (accounts)\n\n## Tasks\n\n### 001: Endpoint\n",
        "**Status:** done\n**Depends on:** none\n\n### Task 1.2: Tokens\n**Depends On:** 001\n",
        "//- issues/issues-list.md\n| File | Title | Status |\n|---|---|---|\n| swe-feature-001 | Import | done |\n",
        "//- docs/roadmap.md\n| # | Milestone | Status | Depends On |\n|---|---|---|---|\n| M2 | Ingest | Done | M1 |\n",
        "//- docs/project-brief.md\n## Current Status\n\n- **Next task:** swe-feature-001\n",
    )
    .replace('\n', "\r\n");
    let ws = ws(&fixture);
    let (story_file, story) = item(&ws, "story-015");
    assert_eq!(
        slice(&story_file.text, story.status.as_ref().unwrap().1),
        "In Progress"
    );
    expect![[r#"
        story-014 Dependency 73..82 "Story 014"
    "#]]
    .assert_eq(&show_refs(&story_file.text, &story.deps));
    expect![[r#"
        story-015/001 parent=Some("story-015") number=Some("001") title="Endpoint" heading="001: Endpoint"
        field "none"
        story-015/1.2 parent=Some("story-015") number=Some("1.2") title="Tokens" heading="Task 1.2: Tokens"
        field "001"
        story-015/001 Dependency 208..211 "001"
    "#]]
    .assert_eq(&(task_summary(&ws, "story-015/001") + &task_summary(&ws, "story-015/1.2")));
    let index = file(&ws, "issues/issues-list.md");
    let row = &index.facts.index.as_ref().unwrap().rows[0];
    assert_eq!(slice(&index.text, row.id_range), "swe-feature-001");
    assert_eq!(row.cell("status").unwrap().value(&index.text), "done");
    assert!(slice(&index.text, row.line_range).ends_with("| done |\r\n"));
    let roadmap = file(&ws, "docs/roadmap.md");
    let m2 = &roadmap.facts.items[0];
    assert_eq!((m2.id.as_str(), m2.title.as_str()), ("M2", "Ingest"));
    assert_eq!(slice(&roadmap.text, m2.deps[0].range), "M1");
    let brief = file(&ws, "docs/project-brief.md");
    expect![[r#"
        swe-feature-001 NextTask 38..53 "swe-feature-001"
    "#]]
    .assert_eq(&show_refs(&brief.text, &brief.facts.references));
}

#[test]
fn byte_order_mark() {
    let ws = ws("//- issues/planned/swe-techdebt-008.md\n\u{feff}# Move credentials\n\n**Status:** planned\n\n## Technical Notes\n\n**Dependencies:** none (parallel with swe-feature-005, qa-feature-006)\n");
    let (file, item) = item(&ws, "swe-techdebt-008");
    assert!(file.text.starts_with('\u{feff}'));
    assert_eq!(item.title, "Move credentials");
    assert_eq!(item.def_range.start(), 5, "after the BOM and `# `");
    assert_eq!(slice(&file.text, item.def_range), "Move credentials");
    assert_eq!(item.progress, Some(Progress::NotStarted));
    assert!(item.deps.is_empty());

    // A BOM before a field on the first line, and before a milestone spec's
    // `github_issue:` line.
    let ws = self::ws(concat!(
        "//- issues/planned/swe-feature-001.md\n\u{feff}**Type:** feature\n# Title\n",
        "//- docs/milestones/m3/01-rules.md\n\u{feff}github_issue: 301\n\n# 01: Rules\n",
    ));
    let (file, item) = self::item(&ws, "swe-feature-001");
    let f = &item.fields[0];
    assert_eq!(slice(&file.text, f.label_range), "Type");
    assert_eq!(slice(&file.text, f.value_range), "feature");
    assert_eq!(slice(&file.text, f.line_range), "\u{feff}**Type:** feature");
    assert_eq!(self::item(&ws, "#301").1.id, "m3/01");
}

#[test]
fn emoji_and_cjk_text() {
    let ws = ws(r#"
//- issues/planned/swe-feature-007.md
# 📦 Normalize 顺丰速运 events 「已签收」

**Type:** feature
**Milestone:** M2
**Status:** planned

## Acceptance Criteria

- [ ] ✅ shows for 「已签收」 events
- [x] 派送中 maps to out_for_delivery

## Technical Notes

**Dependencies:** swe-feature-002 ✅, swe-feature-005 — 顺丰 swe-feature-006
"#);
    let (file, item) = item(&ws, "swe-feature-007");
    assert_eq!(
        slice(&file.text, item.def_range),
        "📦 Normalize 顺丰速运 events 「已签收」"
    );
    assert_eq!(item.title, "📦 Normalize 顺丰速运 events 「已签收」");
    let criteria: Vec<_> = item
        .criteria
        .iter()
        .map(|c| {
            (
                slice(&file.text, c.box_range),
                slice(&file.text, c.text_range),
            )
        })
        .collect();
    assert_eq!(
        criteria,
        vec![
            ("[ ]", "✅ shows for 「已签收」 events"),
            ("[x]", "派送中 maps to out_for_delivery")
        ]
    );
    expect![[r#"
        M2 Milestone 87..89 "M2"
    "#]]
    .assert_eq(&show_refs(&file.text, item.milestone.as_deref()));
    expect![[r#"
        field "swe-feature-002 ✅, swe-feature-005 — 顺丰 swe-feature-006"
        swe-feature-002 Dependency 258..273 "swe-feature-002"
        swe-feature-005 Dependency 279..294 "swe-feature-005"
    "#]]
    .assert_eq(&deps_of(&ws, "swe-feature-007"));
}

// ---------------------------------------------------------------------------
// Index, roadmap, brief

#[test]
fn index_table_rows_with_prerequisites_column() {
    let ws = ws(r#"
//- issues/issues-list.md
# Issues List

| File | Title | Expert | Type | Milestone | Prerequisites | Status |
|------|-------|--------|------|-----------|---------------|--------|
| swe-feature-001 | Import 📦 shipments | swe | feature | M1 | none | done |
| [swe-feature-002](done/swe-feature-002.md) | Receive 顺丰 webhooks | swe | feature | M2 | swe-feature-001 (done) | done |
| qa-feature-014 | QA | qa | feature | M3 | swe-feature-009 through swe-feature-011 | backlog |
"#);
    let file = file(&ws, "issues/issues-list.md");
    let index = file.facts.index.as_ref().expect("an index table");
    assert_eq!(
        index.columns,
        [
            "File",
            "Title",
            "Expert",
            "Type",
            "Milestone",
            "Prerequisites",
            "Status"
        ]
    );
    assert!(slice(&file.text, index.table_range).starts_with("| File |"));
    let mut out = String::new();
    for row in &index.rows {
        out.push_str(&format!(
            "{} id={:?} line={:?}\n",
            row.id,
            slice(&file.text, row.id_range),
            slice(&file.text, row.line_range)
        ));
        let pre = row.cell("prerequisites").unwrap();
        out.push_str(&format!(
            "  prerequisites {:?} status {:?} title {:?}\n",
            pre.value(&file.text),
            row.cell("Status").unwrap().value(&file.text),
            row.cell("title").unwrap().value(&file.text)
        ));
    }
    expect![[r#"
        swe-feature-001 id="swe-feature-001" line="| swe-feature-001 | Import 📦 shipments | swe | feature | M1 | none | done |\n"
          prerequisites "none" status "done" title "Import 📦 shipments"
        swe-feature-002 id="swe-feature-002" line="| [swe-feature-002](done/swe-feature-002.md) | Receive 顺丰 webhooks | swe | feature | M2 | swe-feature-001 (done) | done |\n"
          prerequisites "swe-feature-001 (done)" status "done" title "Receive 顺丰 webhooks"
        qa-feature-014 id="qa-feature-014" line="| qa-feature-014 | QA | qa | feature | M3 | swe-feature-009 through swe-feature-011 | backlog |\n"
          prerequisites "swe-feature-009 through swe-feature-011" status "backlog" title "QA"
    "#]]
    .assert_eq(&out);
    expect![[r#"
        swe-feature-001 IndexRow 157..172 "swe-feature-001"
        swe-feature-002 IndexRow 237..252 "swe-feature-002"
        qa-feature-014 IndexRow 362..376 "qa-feature-014"
    "#]]
    .assert_eq(&show_refs(&file.text, &file.facts.references));
}

#[test]
fn roadmap_table_rows() {
    let ws = ws(ROADMAP);
    let file = file(&ws, "docs/roadmap.md");
    let mut out = String::new();
    for m in &file.facts.items {
        assert_eq!(m.kind, ItemKind::Milestone);
        out.push_str(&format!(
            "{} def={:?} title={:?} status={:?} {:?}\n{}",
            m.id,
            slice(&file.text, m.def_range),
            m.title,
            m.status.as_ref().map(|s| slice(&file.text, s.1)),
            m.progress,
            show_refs(&file.text, &m.deps)
        ));
        assert!(slice(&file.text, m.range).starts_with('|'));
    }
    expect![[r#"
        M1 def="M1" title="Tracking core" status=Some("Done") Some(Done)
        M2 def="M2" title="[Carrier Integrations] Carrier event ingest" status=Some("In Progress") Some(InProgress)
        M1 MilestoneDependency 194..196 "M1"
        M3 def="M3" title="[Carrier Integrations] Delivery exception alerts" status=Some("Planned") Some(NotStarted)
        M2 MilestoneDependency 267..269 "M2"
        M4 def="M4" title="[Customer Portal] Customer accounts and preferences" status=Some("Planned") Some(NotStarted)
        M1 MilestoneDependency 343..345 "M1"
    "#]]
    .assert_eq(&out);
}

#[test]
fn roadmap_heading_milestones() {
    let ws = ws(r#"
//- docs/roadmap.md
# Roadmap

## M5 - Detection Ingest Pipeline

**Status:** Done

Ingest detections.

## M6: 🚚 Delivery 配送 alerts

**Status:** in progress

## Notes

Nothing.
//- issues/backlog/swe-feature-001.md
# T
**Milestone:** Detection ingest pipeline
"#);
    let file = file(&ws, "docs/roadmap.md");
    let mut out = String::new();
    for m in &file.facts.items {
        out.push_str(&format!(
            "{} def={:?} title={:?} status={:?} {:?}\n",
            m.id,
            slice(&file.text, m.def_range),
            m.title,
            m.status.as_ref().map(|s| slice(&file.text, s.1)),
            m.progress,
        ));
    }
    expect![[r#"
        M5 def="M5 - Detection Ingest Pipeline" title="Detection Ingest Pipeline" status=Some("Done") Some(Done)
        M6 def="M6: 🚚 Delivery 配送 alerts" title="🚚 Delivery 配送 alerts" status=Some("in progress") Some(InProgress)
    "#]]
    .assert_eq(&out);
    let m = item(&ws, "swe-feature-001").1.milestone.clone().unwrap();
    assert_eq!(ws.resolve(&m.target).as_deref(), Some("M5"));
}

#[test]
fn brief_next_task() {
    let ws = ws(r#"
//- docs/project-brief.md
# Project Brief

## Constraints

- **Next task:** swe-feature-999 is not in Current Status and does not count.

## Current Status

- **Milestones:** M1 done, M2 in progress.
- **Next task:** swe-techdebt-008 (after M2 is reviewed)
- **Blockers:** None.
"#);
    let file = file(&ws, "docs/project-brief.md");
    expect![[r#"
        swe-techdebt-008 NextTask 191..207 "swe-techdebt-008"
    "#]]
    .assert_eq(&show_refs(&file.text, &file.facts.references));
}

// ---------------------------------------------------------------------------
// Milestone folders

#[test]
fn milestone_folder_spec_with_github_issue_alias() {
    let ws = ws(r#"
//- docs/03-build-notes/milestones/m3/00-epic.md
# Epic: M3
//- docs/03-build-notes/milestones/m3/01-exception-rules.md
github_issue: 301

# 01: Detect delivery exceptions

## Acceptance Criteria

- [ ] A "damaged" event flags the shipment

**Depends on:** none
//- docs/03-build-notes/milestones/m3/02-exception-emails.md
---
github_issue: 302
---

# 02: Email the recipient

**Depends on:** #301 (detection first)
"#);
    let (file, spec) = item(&ws, "m3/01");
    assert_eq!(spec.kind, ItemKind::Issue);
    assert_eq!(spec.aliases, ["#301"]);
    assert_eq!(
        slice(&file.text, spec.def_range),
        "01: Detect delivery exceptions"
    );
    assert_eq!(spec.criteria.len(), 1);
    assert!(spec.deps.is_empty());
    expect![[r##"
        field "#301 (detection first)"
        #301 Dependency 70..74 "#301"
    "##]]
    .assert_eq(&deps_of(&ws, "m3/02"));
    let dep = &item(&ws, "m3/02").1.deps[0];
    assert_eq!(ws.resolve(&dep.target).as_deref(), Some("m3/01"));
    assert_eq!(item(&ws, "#302").1.id, "m3/02");
    // The epic is a milestone document, not an item.
    let epic = file_facts_items(&ws, "docs/03-build-notes/milestones/m3/00-epic.md");
    assert_eq!(epic, 0);
}

fn file_facts_items(ws: &Workspace, rel: &str) -> usize {
    file(ws, rel).facts.items.len()
}

// Issue 16: the story format as real repositories write it.

/// A story whose tasks 011a, 011b and 011c were inserted after 011.
const STORY_WITH_SUFFIXED_TASKS: &str = "\
//- docs/stories/015-retries.md
# Story 015: Retries

## Tasks

### 010: Queue table
**Depends on:** none

### 011: Worker
**Depends on:** 010

### 011a: Retry with backoff
**Depends on:** 010, 011

### 011b: Dead-letter queue
**Depends on:** Task 11a, 015/011A

### 011c: Alert on dead letters
**Depends on:** 011b
//- docs/stories/016-dashboard.md
# Story 016: Dashboard

## Tasks

### 001: Retry chart
**Depends on:** 015/011c
";

#[test]
fn task_ids_keep_their_letter_suffix() {
    let ws = ws(STORY_WITH_SUFFIXED_TASKS);
    let file = file(&ws, "docs/stories/015-retries.md");
    let ids: Vec<&str> = file.facts.items.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "story-015",
            "story-015/010",
            "story-015/011",
            "story-015/011a",
            "story-015/011b",
            "story-015/011c"
        ]
    );
    expect![[r#"
        story-015/011b parent=Some("story-015") number=Some("011b") title="Dead-letter queue" heading="011b: Dead-letter queue"
        field "Task 11a, 015/011A"
        story-015/011a Dependency 211..219 "Task 11a"
        story-015/011a Dependency 221..229 "015/011A"
    "#]]
    .assert_eq(&task_summary(&ws, "story-015/011b"));
    expect![[r#"
        field "010, 011"
        story-015/010 Dependency 157..160 "010"
        story-015/011 Dependency 162..165 "011"
    "#]]
    .assert_eq(&deps_of(&ws, "story-015/011a"));
    expect![[r#"
        field "015/011c"
        story-015/011c Dependency 71..79 "015/011c"
    "#]]
    .assert_eq(&deps_of(&ws, "story-016/001"));
    // No task lost its suffix, so no two share an ID.
    assert!(ws.definitions("story-015/011").len() == 1);
}

#[test]
fn dependencies_written_as_links_to_story_files() {
    let ws = ws("\
//- stories/001-project-setup.md
# Story 001: Project setup
//- stories/002-login.md
# Story 002: Login

## Dependencies

- It can be done after [Project Setup story is done](001-project-setup.md).
- [The API issue](../issues/backlog/swe-feature-004.md) and [the readme](../README.md)
");
    expect![[r#"
        field "\n\n- It can be done after [Project Setup story is done](001-project-setup.md).\n- [The API issue](../issues/backlog/swe-feature-004.md) and [the readme](../README.md)\n"
        story-001 Dependency 60..111 "[Project Setup story is done](001-project-setup.md)"
        swe-feature-004 Dependency 115..168 "[The API issue](../issues/backlog/swe-feature-004.md)"
    "#]]
    .assert_eq(&deps_of(&ws, "story-002"));
}

#[test]
fn template_files_are_not_items() {
    let ws = ws("\
//- docs/stories/000-story-template.md
# Story NNN: [Short title]

## Tasks

### 001: [Title]
//- docs/stories/001-login.md
# Story 001: Login
//- issues/backlog/issue-template.md
# [Short descriptive title]
");
    assert!(ws.file("docs/stories/000-story-template.md").is_none());
    assert!(ws.file("issues/backlog/issue-template.md").is_none());
    assert!(ws.item("story-000").is_none());
    assert!(ws.item("story-001").is_some());
}

#[test]
fn stories_readme_status_table() {
    let ws = ws("\
//- docs/stories/README.md
# Stories

| # | Story | Status |
|---|-------|--------|
| 001 | [Setup Project](001-setup-project.md) | ✅ Done |
| Story 2 | Login | 🚧 In Progress |
| **003** | Export | Planned |
| Notes | not a story | - |
//- docs/stories/001-setup-project.md
# Story 001: Setup Project
//- docs/stories/002-login.md
# Story 002: Login

**Status:** In Progress
");
    let index = file(&ws, "docs/stories/README.md");
    assert_eq!(
        index.facts.kind,
        planmark::analysis::model::FileKind::StoryIndex
    );
    let table = index.facts.index.as_ref().expect("the table is read");
    let rows: Vec<String> = table
        .rows
        .iter()
        .map(|r| {
            format!(
                "{} {:?} status={:?}",
                r.id,
                slice(&index.text, r.id_range),
                r.cell("status").map(|c| c.value(&index.text))
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            "story-001 \"001\" status=Some(\"✅ Done\")",
            "story-002 \"2\" status=Some(\"🚧 In Progress\")",
            "story-003 \"003\" status=Some(\"Planned\")",
        ]
    );
    // The story without a Status takes the index's; the other keeps its own.
    let story = |id| item(&ws, id).1;
    assert_eq!(ws.progress(story("story-001")), Some(Progress::Done));
    assert_eq!(ws.progress(story("story-002")), Some(Progress::InProgress));
    // A README whose table is not a list of stories is no index.
    let other =
        self::ws("//- docs/stories/README.md\n| Name | Role |\n|---|---|\n| Ann | lead |\n");
    assert!(file(&other, "docs/stories/README.md").facts.index.is_none());
}
