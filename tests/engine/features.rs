//! The editing features on fixtures with a `$0` cursor: completion, hover,
//! definition and references, rename, symbols, folding, lenses, inlay hints
//! and semantic tokens. Each feature has one `check_*` helper that renders
//! its answer as text for an inline snapshot.

use std::fmt::Write as _;
use std::sync::Arc;

use expect_test::{expect, Expect};
use planmark::analysis::features::{
    completion, folding, hover, inlay, lens, navigation, rename, semantic, symbols, Derived,
};
use planmark::analysis::fixture::{self, Fixture};
use planmark::analysis::rules::Context;
use planmark::analysis::text::{ColumnUnit, TextRange};
use planmark::analysis::workspace::Workspace;

/// A small project: a roadmap, four issues (two done), the index, the brief
/// and a story with three tasks.
const BASE: &str = r#"
//- docs/roadmap.md
# Roadmap

| # | Milestone | Status | Depends On |
|---|-----------|--------|------------|
| M1 | Tracking core | Done | — |
| M2 | [Carrier Integrations] Carrier event ingest | In Progress | M1 |
| M3 | Delivery exception alerts | Planned | M2 |

//- issues/done/swe-feature-001.md
# Import shipments from the nightly order export

**Type:** feature
**Expert:** swe
**Milestone:** M1
**Status:** done

## Acceptance Criteria

- [x] Shipments from the export appear in the list
- [x] A broken row is reported with its line number

## Technical Notes

**Estimated effort:** Small session
**Dependencies:** none

//- issues/done/swe-feature-002.md
# Receive carrier webhooks

**Type:** feature
**Expert:** swe
**Milestone:** [Carrier Integrations] Carrier event ingest (M2)
**Status:** done

## Acceptance Criteria

- [x] A UPS event is stored within a minute
- [x] A DHL event is stored within a minute
- [x] A bad signature is refused
- [ ] A replayed event is ignored
- [ ] Events are kept for 90 days

## Technical Notes

**Estimated effort:** Medium session
**Dependencies:** swe-feature-001

//- issues/backlog/swe-feature-003.md
# Normalize carrier events

**Type:** feature
**Expert:** swe
**Milestone:** M2
**Status:** backlog

## Acceptance Criteria

- [x] UPS and DHL events share one status list
- [ ] Unknown codes are kept as "other"
- [ ] The support agent sees the carrier's own words

## Technical Notes

**Estimated effort:** Medium session
**Dependencies:** swe-feature-002

//- issues/backlog/qa-feature-004.md
# QA: Webhook replay test pass

**Type:** feature
**Expert:** qa
**Milestone:** M2
**Status:** backlog

## Scope

- [ ] Replay every stored webhook

## Notes

**Depends on:** swe-feature-003

//- issues/issues-list.md
# Issues List

| File | Title | Milestone | Prerequisites | Status |
|------|-------|-----------|---------------|--------|
| swe-feature-001 | Import shipments from the nightly order export | M1 | none | done |
| swe-feature-002 | Receive carrier webhooks | M2 | swe-feature-001 | done |
| swe-feature-003 | Normalize carrier events | M2 | swe-feature-002 | backlog |
| qa-feature-004 | QA: Webhook replay test pass | M2 | swe-feature-003 | backlog |

//- docs/project-brief.md
# Project Brief

## Current Status

- **Next task:** swe-feature-003

//- docs/stories/015-login.md
# Story 015: Dispatcher sign-in

**Status:** In Progress

## Acceptance Criteria

- [ ] Dispatcher receives a sign-in link within a minute

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
**Status:** in_progress
**Depends on:** 001

Issue tokens.

---

### 003: Sign-in window
**Domain:** electron
**Status:** pending
**Depends on:** 002, swe-feature-002

Show the window.

//- docs/stories/014-console.md
# Story 014: Console shell

**Status:** Done

## Acceptance Criteria

- [x] The console opens
"#;

/// `text` with the cursor marker put where `marked` (which holds `$0`) is
/// written without it.
fn at(text: &str, marked: &str) -> String {
    let plain = marked.replace("$0", "");
    assert!(text.contains(&plain), "{plain:?} is not in the fixture");
    text.replacen(&plain, marked, 1)
}

/// The base fixture with the cursor at `marked` in it.
fn base_at(marked: &str) -> String {
    at(BASE, marked)
}

struct Setup {
    ws: Workspace,
    derived: Derived,
    rel: String,
    offset: usize,
}

fn setup(text: &str) -> Setup {
    let Fixture { workspace, cursor } = fixture::workspace(text);
    let ctx = Arc::new(Context::new(&workspace));
    let derived = Derived::new(&workspace, ctx);
    let (rel, offset) = cursor.unwrap_or_default();
    Setup {
        ws: workspace,
        derived,
        rel,
        offset,
    }
}

/// `rel:line:col "text"` for a range, 1-based, columns in characters.
fn show(ws: &Workspace, rel: &str, range: TextRange) -> String {
    let file = ws.file(rel).expect("file in the fixture");
    let pos = file
        .line_index()
        .line_col(&file.text, range.start(), ColumnUnit::Char);
    format!(
        "{rel}:{}:{} {:?}",
        pos.line + 1,
        pos.col + 1,
        &file.text[range.start()..range.end()]
    )
}

fn check_completion(text: &str, expect: Expect) {
    let s = setup(text);
    let list = completion::completion(&s.ws, &s.derived, &s.rel, s.offset);
    let file = s.ws.file(&s.rel).unwrap();
    let mut out = String::new();
    if list.incomplete {
        out.push_str("(incomplete)\n");
    }
    for c in &list.items {
        let replaced = &file.text[c.range.start()..c.range.end()];
        write!(out, "{:?} {:?}", c.label, replaced).unwrap();
        if c.insert != c.label {
            write!(out, " inserts {:?}", c.insert).unwrap();
        }
        if let Some(detail) = &c.detail {
            write!(out, " — {detail}").unwrap();
        }
        if c.closes_cycle {
            out.push_str(" [closes a cycle]");
        }
        out.push('\n');
        if let Some(doc) = &c.documentation {
            for line in doc.lines().filter(|l| !l.is_empty()) {
                writeln!(out, "    {line}").unwrap();
            }
        }
        if let Some(snippet) = &c.snippet {
            writeln!(out, "    snippet {snippet:?}").unwrap();
        }
    }
    expect.assert_eq(&out);
}

// Completion: dependency IDs.

#[test]
fn completion_of_ids_in_a_dependency_field() {
    // The item itself is never offered; done items come after open ones;
    // qa-feature-004 depends on swe-feature-003, so it closes a cycle.
    check_completion(
        &base_at("**Dependencies:** swe-feature-002$0"),
        expect![[r#"
            "swe-feature-002" "swe-feature-002" — Receive carrier webhooks
                Status: done · Milestone: M2 · Criteria: 3/5 done
        "#]],
    );
    check_completion(
        &base_at("**Dependencies:** $0swe-feature-002"),
        expect![[r#"
            "M2" "swe-feature-002" — [Carrier Integrations] Carrier event ingest
                Status: In Progress
            "M3" "swe-feature-002" — Delivery exception alerts
                Status: Planned
            "story-015" "swe-feature-002" — Dispatcher sign-in
                Status: In Progress · Criteria: 0/1 done
            "015/002" "swe-feature-002" — Session tokens
                Status: in_progress
            "015/003" "swe-feature-002" — Sign-in window
                Status: pending
            "swe-feature-001" "swe-feature-002" — Import shipments from the nightly order export
                Status: done · Milestone: M1 · Criteria: 2/2 done
            "swe-feature-002" "swe-feature-002" — Receive carrier webhooks
                Status: done · Milestone: M2 · Criteria: 3/5 done
            "M1" "swe-feature-002" — Tracking core
                Status: Done
            "story-014" "swe-feature-002" — Console shell
                Status: Done · Criteria: 1/1 done
            "015/001" "swe-feature-002" — Magic-link endpoint
                Status: done
            "qa-feature-004" "swe-feature-002" — QA: Webhook replay test pass [closes a cycle]
                Status: backlog · Milestone: M2
                ⚠ Choosing it closes a dependency cycle: `qa-feature-004` already depends, directly or not, on `swe-feature-003`.
        "#]],
    );
    let empty = at(BASE, "**Dependencies:** swe-feature-002\n").replace(
        "**Dependencies:** swe-feature-002\n",
        "**Dependencies:** swe-feature-002, $0\n",
    );
    check_completion(
        &empty,
        expect![[r#"
        "M2" "" — [Carrier Integrations] Carrier event ingest
            Status: In Progress
        "M3" "" — Delivery exception alerts
            Status: Planned
        "story-015" "" — Dispatcher sign-in
            Status: In Progress · Criteria: 0/1 done
        "015/002" "" — Session tokens
            Status: in_progress
        "015/003" "" — Sign-in window
            Status: pending
        "swe-feature-001" "" — Import shipments from the nightly order export
            Status: done · Milestone: M1 · Criteria: 2/2 done
        "M1" "" — Tracking core
            Status: Done
        "story-014" "" — Console shell
            Status: Done · Criteria: 1/1 done
        "015/001" "" — Magic-link endpoint
            Status: done
        "qa-feature-004" "" — QA: Webhook replay test pass [closes a cycle]
            Status: backlog · Milestone: M2
            ⚠ Choosing it closes a dependency cycle: `qa-feature-004` already depends, directly or not, on `swe-feature-003`.
    "#]],
    );
}

#[test]
fn completion_under_every_dependency_label() {
    // `**Depends On:**`, `**Prerequisites:**` and `**Depends on:**` in any
    // case are dependency fields too.
    for label in ["Depends On", "Prerequisites", "DEPENDS ON", "Blocked by"] {
        let text = BASE.replace(
            "**Depends on:** swe-feature-003\n",
            &format!("**{label}:** swe-feature-003, norm$0\n"),
        );
        let s = setup(&text);
        let list = completion::completion(&s.ws, &s.derived, &s.rel, s.offset);
        let labels: Vec<&str> = list.items.iter().map(|c| c.label.as_str()).collect();
        assert_eq!(
            labels,
            Vec::<&str>::new(),
            "{label}: swe-feature-003 is listed already"
        );
        let text = BASE.replace(
            "**Depends on:** swe-feature-003\n",
            &format!("**{label}:** recei$0\n"),
        );
        let s = setup(&text);
        let list = completion::completion(&s.ws, &s.derived, &s.rel, s.offset);
        let labels: Vec<&str> = list.items.iter().map(|c| c.label.as_str()).collect();
        assert_eq!(labels, ["swe-feature-002"], "{label}");
    }
}

#[test]
fn completion_filters_by_title_words() {
    let text = BASE.replace(
        "**Depends on:** swe-feature-003\n",
        "**Depends on:** swe-feature-003, webhook$0\n",
    );
    check_completion(
        &text,
        expect![[r#"
        "swe-feature-002" "webhook" — Receive carrier webhooks
            Status: done · Milestone: M2 · Criteria: 3/5 done
    "#]],
    );
}

#[test]
fn completion_in_task_and_story_dependencies() {
    check_completion(
        &base_at("**Depends on:** 002, $0swe-feature-002"),
        expect![[r#"
            "qa-feature-004" "swe-feature-002" — QA: Webhook replay test pass
                Status: backlog · Milestone: M2
            "swe-feature-003" "swe-feature-002" — Normalize carrier events
                Status: backlog · Milestone: M2 · Criteria: 1/3 done
            "M2" "swe-feature-002" — [Carrier Integrations] Carrier event ingest
                Status: In Progress
            "M3" "swe-feature-002" — Delivery exception alerts
                Status: Planned
            "001" "swe-feature-002" — Magic-link endpoint
                Status: done
            "story-014" "swe-feature-002" — Console shell
                Status: Done · Criteria: 1/1 done
            "swe-feature-001" "swe-feature-002" — Import shipments from the nightly order export
                Status: done · Milestone: M1 · Criteria: 2/2 done
            "swe-feature-002" "swe-feature-002" — Receive carrier webhooks
                Status: done · Milestone: M2 · Criteria: 3/5 done
            "M1" "swe-feature-002" — Tracking core
                Status: Done
            "story-015" "swe-feature-002" — Dispatcher sign-in [closes a cycle]
                Status: In Progress · Criteria: 0/1 done
                ⚠ Choosing it closes a dependency cycle: `story-015` already depends, directly or not, on `story-015/003`.
        "#]],
    );
    check_completion(
        &base_at("- Story 01$04 (console shell)"),
        expect![[r#"
        "Story 014" "Story 014" — Console shell
            Status: Done · Criteria: 1/1 done
        "swe-feature-001" "014" — Import shipments from the nightly order export
            Status: done · Milestone: M1 · Criteria: 2/2 done
        "015/002" "014" — Session tokens [closes a cycle]
            Status: in_progress
            ⚠ Choosing it closes a dependency cycle: `story-015/002` already depends, directly or not, on `story-015`.
        "015/003" "014" — Sign-in window [closes a cycle]
            Status: pending
            ⚠ Choosing it closes a dependency cycle: `story-015/003` already depends, directly or not, on `story-015`.
        "015/001" "014" — Magic-link endpoint [closes a cycle]
            Status: done
            ⚠ Choosing it closes a dependency cycle: `story-015/001` already depends, directly or not, on `story-015`.
    "#]],
    );
}

#[test]
fn completion_nothing_in_code_or_notes() {
    let code = BASE.replace(
        "Issue tokens.\n",
        "Issue tokens.\n\n```\n**Depends on:** swe-$0\n```\n",
    );
    check_completion(&code, expect![[r#""#]]);
    let inline = BASE.replace("**Depends on:** 001\n", "**Depends on:** 001, `swe-$0`\n");
    check_completion(&inline, expect![[r#""#]]);
    let note = BASE.replace(
        "**Dependencies:** swe-feature-002\n",
        "**Dependencies:** swe-feature-002 (after swe-$0)\n",
    );
    check_completion(&note, expect![[r#""#]]);
}

#[test]
fn completion_after_emoji_and_in_crlf_files() {
    let text = format!(
        "{BASE}\n//- issues/backlog/swe-feature-005.md\n# 📦 Parcel timeline 😀\r\n\r\n**Status:** backlog\r\n\r\n## Technical Notes\r\n\r\n**Dependencies:** 📦 swe-feature-00$0\r\n"
    );
    check_completion(
        &text,
        expect![[r#"
        "swe-feature-003" "swe-feature-00" — Normalize carrier events
            Status: backlog · Milestone: M2 · Criteria: 1/3 done
        "swe-feature-001" "swe-feature-00" — Import shipments from the nightly order export
            Status: done · Milestone: M1 · Criteria: 2/2 done
        "swe-feature-002" "swe-feature-00" — Receive carrier webhooks
            Status: done · Milestone: M2 · Criteria: 3/5 done
    "#]],
    );
}

// Completion: values, field names, sections and tasks.

#[test]
fn completion_of_values() {
    // Issue statuses in an issue, task statuses in a task, the vocabulary
    // first and then the values the workspace uses besides.
    check_completion(
        &base_at("**Status:** $0backlog\n\n## Acceptance Criteria\n\n- [x] UPS"),
        expect![[r#"
            "backlog" "backlog" — vocabulary
            "planned" "backlog" — vocabulary
            "in-progress" "backlog" — vocabulary
            "done" "backlog" — vocabulary
        "#]],
    );
    check_completion(
        &base_at("**Status:** $0pending"),
        expect![[r#"
        "pending" "pending" — vocabulary
        "in_progress" "pending" — vocabulary
        "done" "pending" — vocabulary
    "#]],
    );
    check_completion(
        &base_at("**Status:** $0In Progress"),
        expect![[r#"
        "Draft" "In Progress" — usual story status
        "In Progress" "In Progress" — usual story status
        "Done" "In Progress" — usual story status
    "#]],
    );
    let seen = BASE.replace("**Domain:** electron", "**Domain:** weave");
    check_completion(
        &at(&seen, "**Domain:** $0backend"),
        expect![[r#"
        "backend" "backend" — vocabulary
        "compute" "backend" — vocabulary
        "electron" "backend" — vocabulary
        "packaging" "backend" — vocabulary
        "weave" "backend" — used in the workspace
    "#]],
    );
    check_completion(
        &base_at("**Expert:** q$0a"),
        expect![[r#"
        "qa" "qa" — vocabulary
    "#]],
    );
    check_completion(
        &base_at("**Estimated effort:** $0Small session"),
        expect![[r#"
        "Small session" "Small session" — vocabulary
        "Medium session" "Small session" — vocabulary
        "Large session" "Small session" — vocabulary
    "#]],
    );
    let milestone = BASE.replace(
        "**Milestone:** M2\n**Status:** backlog\n\n## Acceptance Criteria\n\n- [x] UPS",
        "**Milestone:** $0\n**Status:** backlog\n\n## Acceptance Criteria\n\n- [x] UPS",
    );
    check_completion(
        &milestone,
        expect![[r#"
        "M2" "" — [Carrier Integrations] Carrier event ingest
            Status: In Progress
        "M3" "" — Delivery exception alerts
            Status: Planned
        "M1" "" — Tracking core
            Status: Done
    "#]],
    );
    let title = BASE.replace(
        "**Milestone:** M2\n**Status:** backlog\n\n## Acceptance Criteria\n\n- [x] UPS",
        "**Milestone:** deliv$0ery\n**Status:** backlog\n\n## Acceptance Criteria\n\n- [x] UPS",
    );
    check_completion(
        &title,
        expect![[r#"
        "M3" "delivery" — Delivery exception alerts
            Status: Planned
    "#]],
    );
}

#[test]
fn completion_of_field_names_and_sections() {
    let text = format!(
        "{BASE}\n//- issues/backlog/swe-bug-006.md\n# Duplicate events\n\n**Type:** bug\n**$0\n\n## Description\n\nRetries create duplicates.\n"
    );
    check_completion(
        &text,
        expect![[r#"
        "**Expert:**" "**" inserts "**Expert:** "
        "**Milestone:**" "**" inserts "**Milestone:** "
        "**Status:**" "**" inserts "**Status:** "
    "#]],
    );
    let text = format!(
        "{BASE}\n//- issues/backlog/swe-bug-006.md\n# Duplicate events\n\n**Type:** bug\n\n## Description\n\nRetries create duplicates.\n\n## Ac$0\n"
    );
    check_completion(
        &text,
        expect![[r###"
        "## User Story" "## Ac"
        "## Acceptance Criteria" "## Ac"
        "## Technical Notes" "## Ac"
    "###]],
    );
}

#[test]
fn completion_of_personas() {
    // Personas come from the other user stories, most used first; the
    // generic "user" is never offered, and what follows the cursor up to
    // the comma is replaced.
    let story = |persona: &str| {
        format!(
            "# T\n\n**Status:** backlog\n\n## User Story\n\nAs a {persona}, I need X so that Y.\n"
        )
    };
    let text = format!(
        "{BASE}\n//- issues/backlog/swe-bug-010.md\n{}\n//- issues/backlog/swe-bug-011.md\n{}\n//- issues/backlog/swe-bug-012.md\n{}\n//- issues/backlog/swe-bug-013.md\n{}\n//- issues/backlog/swe-bug-014.md\n# New\n\n## User Story\n\nAs a war$0ehouse, I need Z so that W.\n",
        story("support agent"),
        story("Warehouse manager"),
        story("warehouse manager"),
        story("user"),
    );
    check_completion(
        &text,
        expect![[r#"
        "Warehouse manager" "warehouse" — named by 2 user stories
    "#]],
    );
    let empty = text.replace("As a war$0ehouse,", "**As an** $0");
    check_completion(
        &empty,
        expect![[r#"
        "Warehouse manager" "" — named by 2 user stories
        "support agent" "" — named by 1 user story
    "#]],
    );
    // Outside a user story, "As a " is prose.
    let prose = text.replace(
        "## User Story\n\nAs a war$0ehouse",
        "## Description\n\nAs a war$0ehouse",
    );
    check_completion(&prose, expect![[r#""#]]);
}

#[test]
fn completion_of_task_and_notes_field_names() {
    let task = BASE.replace(
        "Show the window.\n",
        "Show the window.\n\n### 004: Remember me\n**Status:** pending\n**$0**\n",
    );
    check_completion(
        &task,
        expect![[r#"
        "**Domain:**" "****" inserts "**Domain:** "
        "**Depends on:**" "****" inserts "**Depends on:** "
    "#]],
    );
    let notes = BASE.replace(
        "**Estimated effort:** Small session\n",
        "**Estimated effort:** Small session\n**In$0\n",
    );
    check_completion(
        &notes,
        expect![[r#"
        "**Inputs:**" "**In" inserts "**Inputs:** "
        "**Out of scope:**" "**In" inserts "**Out of scope:** "
    "#]],
    );
    // Not in the middle of a label that is already written.
    check_completion(
        &base_at("**Ty$0pe:** feature\n**Expert:** qa"),
        expect![[r#""#]],
    );
}

#[test]
fn completion_of_the_next_task() {
    let text = BASE.replace("Show the window.\n", "Show the window.\n\n---\n\n### $0\n");
    check_completion(
        &text,
        expect![[r####"
        "### 004: new task" "### " inserts "### 004: \n**Domain:** \n**Status:** pending\n**Depends on:** none\n" — task 004 with Domain, Status and Depends on
            snippet "### 004: ${1:Short title}\n**Domain:** ${2}\n**Status:** pending\n**Depends on:** ${3:none}\n\n$0"
    "####]],
    );
}

#[test]
fn completion_in_a_crlf_story_without_a_final_line_break() {
    let text = format!(
        "{BASE}\n//- docs/stories/016-views.md\n# Story 016: Saved views 😀\r\n\r\n## Tasks\r\n\r\n### 001: 🗂 View list\r\n**Domain:** backend\r\n**Status:** pending\r\n**Depends on:** none\r\n\r\n### 0$0"
    );
    check_completion(
        &text,
        expect![[r####"
        "### 002: new task" "### 0" inserts "### 002: \r\n**Domain:** \r\n**Status:** pending\r\n**Depends on:** none\r\n" — task 002 with Domain, Status and Depends on
            snippet "### 002: ${1:Short title}\r\n**Domain:** ${2}\r\n**Status:** pending\r\n**Depends on:** ${3:none}\r\n\r\n$0"
    "####]],
    );
    let text = format!(
        "{BASE}\n//- docs/stories/016-views.md\n# Story 016: Saved views 😀\r\n\r\n## Tasks\r\n\r\n### 001: 🗂 View list\r\n**Domain:** backend\r\n**Status:** pending\r\n**Depends on:** Sto$0"
    );
    check_completion(
        &text,
        expect![[r#"
        "story-015" "Sto" — Dispatcher sign-in
            Status: In Progress · Criteria: 0/1 done
        "015/002" "Sto" — Session tokens
            Status: in_progress
        "015/003" "Sto" — Sign-in window
            Status: pending
        "story-014" "Sto" — Console shell
            Status: Done · Criteria: 1/1 done
        "015/001" "Sto" — Magic-link endpoint
            Status: done
        "story-016" "Sto" — Saved views 😀 [closes a cycle]
            ⚠ Choosing it closes a dependency cycle: `story-016` already depends, directly or not, on `story-016/001`.
    "#]],
    );
}

// Hover.

fn check_hover(text: &str, expect: Expect) {
    let s = setup(text);
    let out = match hover::hover(&s.ws, &s.derived, &s.rel, s.offset) {
        Some(h) => format!("{}\n{}\n", show(&s.ws, &s.rel, h.range), h.markdown),
        None => "(none)\n".to_string(),
    };
    expect.assert_eq(&out);
}

#[test]
fn hover_on_references_and_titles() {
    check_hover(
        &base_at("**Dependencies:** swe-feature-002$0"),
        expect![[r#"
        issues/backlog/swe-feature-003.md:17:19 "swe-feature-002"
        **swe-feature-002** · Receive carrier webhooks

        issue · Status: done · Milestone: M2 · Effort: Medium session · Criteria: 3/5 done

        Depends on: swe-feature-001  
        Depended on by: story-015/003, swe-feature-003

        ✓ Done
    "#]],
    );
    check_hover(
        &base_at("**Dependencies:** $0swe-feature-002"),
        expect![[r#"
        issues/backlog/swe-feature-003.md:17:19 "swe-feature-002"
        **swe-feature-002** · Receive carrier webhooks

        issue · Status: done · Milestone: M2 · Effort: Medium session · Criteria: 3/5 done

        Depends on: swe-feature-001  
        Depended on by: story-015/003, swe-feature-003

        ✓ Done
    "#]],
    );
    check_hover(
        &base_at("# Normalize$0 carrier events"),
        expect![[r#"
        issues/backlog/swe-feature-003.md:1:3 "Normalize carrier events"
        **swe-feature-003** · Normalize carrier events

        issue · Status: backlog · Milestone: M2 · Effort: Medium session · Criteria: 1/3 done

        Depends on: swe-feature-002  
        Depended on by: qa-feature-004

        Wave 1 · ready to start
    "#]],
    );
    check_hover(
        &base_at("- **Next task:** swe-feature-0$003"),
        expect![[r#"
        docs/project-brief.md:5:18 "swe-feature-003"
        **swe-feature-003** · Normalize carrier events

        issue · Status: backlog · Milestone: M2 · Effort: Medium session · Criteria: 1/3 done

        Depends on: swe-feature-002  
        Depended on by: qa-feature-004

        Wave 1 · ready to start
    "#]],
    );
    check_hover(
        &base_at("| qa-feature-0$004 |"),
        expect![[r#"
        issues/issues-list.md:8:3 "qa-feature-004"
        **qa-feature-004** · QA: Webhook replay test pass

        issue · Status: backlog · Milestone: M2

        Depends on: swe-feature-003

        Wave 2 · waits for swe-feature-003
    "#]],
    );
    check_hover(
        &base_at("**Milestone:** [Carrier$0 Integrations]"),
        expect![[r#"
        issues/done/swe-feature-002.md:5:16 "[Carrier Integrations] Carrier event ingest (M2)"
        **M2** · [Carrier Integrations] Carrier event ingest

        milestone · Status: In Progress

        Depends on: M1  
        Depended on by: M3

        3 items, 1 done: qa-feature-004, swe-feature-002, swe-feature-003
    "#]],
    );
    check_hover(
        &base_at("**Depends on:** 00$02"),
        expect![[r#"
        docs/stories/015-login.md:36:17 "002"
        **story-015/002** · Session tokens

        task · Status: in_progress

        Depends on: story-015/001  
        Depended on by: story-015/003

        Wave 1 · in progress
    "#]],
    );
    check_hover(
        &base_at("**Depends on:** none$0\n\nAdd"),
        expect![[r#"
        (none)
    "#]],
    );
}

#[test]
fn hover_and_definition_at_the_edges_of_a_reference_and_in_code() {
    // Both ends of a reference are on it; one character past is not.
    for marked in [
        "**Dependencies:** $0swe-feature-002",
        "**Dependencies:** swe-feature-002$0",
    ] {
        let s = setup(&base_at(marked));
        let h = hover::hover(&s.ws, &s.derived, &s.rel, s.offset).expect("a hover");
        assert!(h.markdown.starts_with("**swe-feature-002**"), "{marked}");
        let d = navigation::definition(&s.ws, &s.rel, s.offset).expect("a definition");
        assert_eq!(d.targets[0].rel, "issues/done/swe-feature-002.md");
    }
    check_hover(
        &base_at("**Dependencies:**$0 swe-feature-002"),
        expect![[r#"
        (none)
    "#]],
    );
    let code = BASE.replace(
        "Issue tokens.\n",
        "Issue tokens.\n\n```\nsee swe-feat$0ure-002\n```\n",
    );
    check_hover(
        &code,
        expect![[r#"
        (none)
    "#]],
    );
    let s = setup(&code);
    assert!(navigation::definition(&s.ws, &s.rel, s.offset).is_none());
    assert_eq!(rename::prepare_rename(&s.ws, &s.rel, s.offset), Ok(None));
}

#[test]
fn hover_on_dangling_and_blocked_items() {
    let text = BASE.replace(
        "**Depends on:** swe-feature-003\n",
        "**Depends on:** swe-feature-003, swe-feature-111$0\n",
    );
    check_hover(
        &text,
        expect![[r#"
        issues/backlog/qa-feature-004.md:14:34 "swe-feature-111"
        **swe-feature-111**

        ⚠ No issue, story, task or milestone has this ID.
    "#]],
    );
    let text = BASE.replace(
        "**Depends on:** swe-feature-003\n",
        "**Depends on:** swe-feature-111\n",
    );
    check_hover(
        &at(&text, "# QA: Webhook$0"),
        expect![[r#"
        issues/backlog/qa-feature-004.md:1:3 "QA: Webhook replay test pass"
        **qa-feature-004** · QA: Webhook replay test pass

        issue · Status: backlog · Milestone: M2

        Depends on: swe-feature-111 ⚠ missing

        ⛔ Blocked: depends on swe-feature-111, which does not exist
    "#]],
    );
}

#[test]
fn hover_in_a_crlf_file_with_emoji() {
    let text = format!(
        "{BASE}\n//- issues/backlog/swe-feature-005.md\n# 📦 Parcel timeline 😀\r\n\r\n**Milestone:** M3\r\n**Status:** backlog\r\n\r\n## Technical Notes\r\n\r\n**Dependencies:** 📦 swe-feature-003$0, swe-feature-002\r\n"
    );
    check_hover(
        &text,
        expect![[r#"
        issues/backlog/swe-feature-005.md:8:21 "swe-feature-003"
        **swe-feature-003** · Normalize carrier events

        issue · Status: backlog · Milestone: M2 · Effort: Medium session · Criteria: 1/3 done

        Depends on: swe-feature-002  
        Depended on by: qa-feature-004, swe-feature-005

        Wave 1 · ready to start
    "#]],
    );
    check_hover(
        &at(&text, "# 📦 Parcel$0"),
        expect![[r#"
        issues/backlog/swe-feature-005.md:1:3 "📦 Parcel timeline 😀"
        **swe-feature-005** · 📦 Parcel timeline 😀

        issue · Status: backlog · Milestone: M3

        Depends on: swe-feature-003, swe-feature-002

        Wave 2 · waits for swe-feature-003
    "#]],
    );
    check_definition(
        &text,
        expect![[r#"
        from issues/backlog/swe-feature-005.md:8:21 "swe-feature-003"
        to issues/backlog/swe-feature-003.md:1:3 "Normalize carrier events"
    "#]],
    );
    check_rename(
        &text,
        "swe-feature-030",
        expect![[r#"
        prepare issues/backlog/swe-feature-005.md:8:21 "swe-feature-003" = swe-feature-003
        docs/project-brief.md:5:18 "swe-feature-003" -> "swe-feature-030"
        issues/backlog/qa-feature-004.md:14:17 "swe-feature-003" -> "swe-feature-030"
        issues/backlog/swe-feature-005.md:8:21 "swe-feature-003" -> "swe-feature-030"
        issues/issues-list.md:7:3 "swe-feature-003" -> "swe-feature-030"
        issues/issues-list.md:8:56 "swe-feature-003" -> "swe-feature-030"
        rename issues/backlog/swe-feature-003.md -> issues/backlog/swe-feature-030.md
    "#]],
    );
}

#[test]
fn hover_on_unknown_milestones() {
    let text = BASE.replace("**Milestone:** M1\n", "**Milestone:** Tracking$0 kore\n");
    check_hover(
        &text,
        expect![[r#"
            issues/done/swe-feature-001.md:5:16 "Tracking kore"
            ⚠ No milestone named `Tracking kore` is defined in the roadmap.
        "#]],
    );
    let no_roadmap = text.replace("//- docs/roadmap.md", "//- docs/notes.md");
    check_hover(
        &no_roadmap,
        expect![[r#"
        issues/done/swe-feature-001.md:5:16 "Tracking kore"
        Milestone `Tracking kore`: no roadmap defines milestones, so it cannot be checked.
    "#]],
    );
}

// Navigation.

fn check_definition(text: &str, expect: Expect) {
    let s = setup(text);
    let out = match navigation::definition(&s.ws, &s.rel, s.offset) {
        Some(d) => {
            let mut out = format!("from {}\n", show(&s.ws, &s.rel, d.origin));
            for t in &d.targets {
                writeln!(out, "to {}", show(&s.ws, &t.rel, t.focus)).unwrap();
            }
            out
        }
        None => "(none)\n".to_string(),
    };
    expect.assert_eq(&out);
}

fn check_references(text: &str, include_declaration: bool, expect: Expect) {
    let s = setup(text);
    let mut out = String::new();
    for r in navigation::references(&s.ws, &s.derived, &s.rel, s.offset, include_declaration) {
        writeln!(out, "{}", show(&s.ws, &r.rel, r.range)).unwrap();
    }
    expect.assert_eq(&out);
}

#[test]
fn definition_of_references() {
    check_definition(
        &base_at("**Dependencies:** swe-feature-00$02"),
        expect![[r#"
        from issues/backlog/swe-feature-003.md:17:19 "swe-feature-002"
        to issues/done/swe-feature-002.md:1:3 "Receive carrier webhooks"
    "#]],
    );
    check_definition(
        &base_at("**Depends on:** 002, swe-feature-002$0"),
        expect![[r#"
        from docs/stories/015-login.md:36:22 "swe-feature-002"
        to issues/done/swe-feature-002.md:1:3 "Receive carrier webhooks"
    "#]],
    );
    check_definition(
        &base_at("**Depends on:** $0001"),
        expect![[r#"
        from docs/stories/015-login.md:27:17 "001"
        to docs/stories/015-login.md:15:5 "001: Magic-link endpoint"
    "#]],
    );
    check_definition(
        &base_at("- Story 0$014"),
        expect![[r#"
        from docs/stories/015-login.md:11:3 "Story 014"
        to docs/stories/014-console.md:1:3 "Story 014: Console shell"
    "#]],
    );
    check_definition(
        &base_at("**Milestone:** M$02"),
        expect![[r#"
        from issues/backlog/swe-feature-003.md:5:16 "M2"
        to docs/roadmap.md:6:3 "M2"
    "#]],
    );
    check_definition(&base_at("| M1 | Tracking core | Done | — |\n| M2 | [Carrier Integrations] Carrier event ingest | In Progress | M1$0 |"), expect![[r#"
        from docs/roadmap.md:6:68 "M1"
        to docs/roadmap.md:5:3 "M1"
    "#]]);
    // At the start and at the end of a reference, and just past it.
    check_definition(
        &base_at("**Depends on:** 002, $0swe-feature-002"),
        expect![[r#"
        from docs/stories/015-login.md:36:22 "swe-feature-002"
        to issues/done/swe-feature-002.md:1:3 "Receive carrier webhooks"
    "#]],
    );
    check_definition(
        &base_at("**Depends on:** 002$0, swe-feature-002"),
        expect![[r#"
        from docs/stories/015-login.md:36:17 "002"
        to docs/stories/015-login.md:24:5 "002: Session tokens"
    "#]],
    );
    check_definition(
        &base_at("**Depends on:** 002,$0 swe-feature-002"),
        expect![[r#"
        (none)
    "#]],
    );
    check_definition(
        &base_at("Add the $0endpoint."),
        expect![[r#"
        (none)
    "#]],
    );
}

#[test]
fn references_to_an_item() {
    check_references(
        &base_at("# Receive$0 carrier webhooks"),
        true,
        expect![[r#"
        issues/done/swe-feature-002.md:1:3 "Receive carrier webhooks"
        docs/stories/015-login.md:36:22 "swe-feature-002"
        issues/backlog/swe-feature-003.md:17:19 "swe-feature-002"
        issues/issues-list.md:6:3 "swe-feature-002"
    "#]],
    );
    check_references(
        &base_at("# Receive$0 carrier webhooks"),
        false,
        expect![[r#"
        docs/stories/015-login.md:36:22 "swe-feature-002"
        issues/backlog/swe-feature-003.md:17:19 "swe-feature-002"
        issues/issues-list.md:6:3 "swe-feature-002"
    "#]],
    );
    check_references(
        &base_at("**Milestone:** M$02"),
        false,
        expect![[r#"
        docs/roadmap.md:7:46 "M2"
        issues/backlog/qa-feature-004.md:5:16 "M2"
        issues/backlog/swe-feature-003.md:5:16 "M2"
        issues/done/swe-feature-002.md:5:16 "[Carrier Integrations] Carrier event ingest (M2)"
    "#]],
    );
}

#[test]
fn document_links_of_a_file() {
    let s = setup(BASE);
    let mut out = String::new();
    for rel in ["issues/issues-list.md", "docs/stories/015-login.md"] {
        for link in navigation::document_links(&s.ws, rel) {
            writeln!(
                out,
                "{} -> {}",
                show(&s.ws, rel, link.range),
                show(&s.ws, &link.target.rel, link.target.range)
            )
            .unwrap();
        }
    }
    expect![[r#"
        issues/issues-list.md:5:3 "swe-feature-001" -> issues/done/swe-feature-001.md:1:3 "Import shipments from the nightly order export"
        issues/issues-list.md:6:3 "swe-feature-002" -> issues/done/swe-feature-002.md:1:3 "Receive carrier webhooks"
        issues/issues-list.md:7:3 "swe-feature-003" -> issues/backlog/swe-feature-003.md:1:3 "Normalize carrier events"
        issues/issues-list.md:8:3 "qa-feature-004" -> issues/backlog/qa-feature-004.md:1:3 "QA: Webhook replay test pass"
        docs/stories/015-login.md:11:3 "Story 014" -> docs/stories/014-console.md:1:3 "Story 014: Console shell"
        docs/stories/015-login.md:27:17 "001" -> docs/stories/015-login.md:15:5 "001: Magic-link endpoint"
        docs/stories/015-login.md:36:17 "002" -> docs/stories/015-login.md:24:5 "002: Session tokens"
        docs/stories/015-login.md:36:22 "swe-feature-002" -> issues/done/swe-feature-002.md:1:3 "Receive carrier webhooks"
    "#]].assert_eq(&out);
}

// Rename.

fn check_rename(text: &str, new_name: &str, expect: Expect) {
    let s = setup(text);
    let mut out = match rename::prepare_rename(&s.ws, &s.rel, s.offset) {
        Ok(Some((range, id))) => format!("prepare {} = {id}\n", show(&s.ws, &s.rel, range)),
        Ok(None) => "prepare: (none)\n".to_string(),
        Err(message) => format!("prepare refused: {message}\n"),
    };
    match rename::rename(&s.ws, s.derived.ctx(), &s.rel, s.offset, new_name) {
        Ok(edit) => {
            for e in &edit.edits {
                writeln!(out, "{} -> {:?}", show(&s.ws, &e.rel, e.range), e.new_text).unwrap();
            }
            for r in &edit.file_renames {
                writeln!(out, "rename {} -> {}", r.old_rel, r.new_rel).unwrap();
            }
        }
        Err(message) => writeln!(out, "error: {message}").unwrap(),
    }
    expect.assert_eq(&out);
}

#[test]
fn rename_an_issue() {
    check_rename(
        &base_at("**Dependencies:** swe-feature-00$02"),
        "swe-feature-020",
        expect![[r#"
        prepare issues/backlog/swe-feature-003.md:17:19 "swe-feature-002" = swe-feature-002
        docs/stories/015-login.md:36:22 "swe-feature-002" -> "swe-feature-020"
        issues/backlog/swe-feature-003.md:17:19 "swe-feature-002" -> "swe-feature-020"
        issues/issues-list.md:6:3 "swe-feature-002" -> "swe-feature-020"
        issues/issues-list.md:7:53 "swe-feature-002" -> "swe-feature-020"
        rename issues/done/swe-feature-002.md -> issues/done/swe-feature-020.md
    "#]],
    );
    check_rename(
        &base_at("# Receive$0 carrier webhooks"),
        "swe-bug-002",
        expect![[r#"
        prepare issues/done/swe-feature-002.md:1:3 "Receive carrier webhooks" = swe-feature-002
        docs/stories/015-login.md:36:22 "swe-feature-002" -> "swe-bug-002"
        issues/backlog/swe-feature-003.md:17:19 "swe-feature-002" -> "swe-bug-002"
        issues/done/swe-feature-002.md:3:11 "feature" -> "bug"
        issues/issues-list.md:6:3 "swe-feature-002" -> "swe-bug-002"
        issues/issues-list.md:7:53 "swe-feature-002" -> "swe-bug-002"
        rename issues/done/swe-feature-002.md -> issues/done/swe-bug-002.md
    "#]],
    );
}

#[test]
fn rename_an_issue_moves_the_link_of_its_index_row() {
    let text = base_at("**Dependencies:** swe-feature-00$02").replace(
        "| swe-feature-002 | Receive carrier webhooks |",
        "| [swe-feature-002](done/swe-feature-002.md) | Receive carrier webhooks |",
    );
    check_rename(
        &text,
        "swe-feature-020",
        expect![[r#"
            prepare issues/backlog/swe-feature-003.md:17:19 "swe-feature-002" = swe-feature-002
            docs/stories/015-login.md:36:22 "swe-feature-002" -> "swe-feature-020"
            issues/backlog/swe-feature-003.md:17:19 "swe-feature-002" -> "swe-feature-020"
            issues/issues-list.md:6:4 "swe-feature-002" -> "swe-feature-020"
            issues/issues-list.md:6:26 "swe-feature-002" -> "swe-feature-020"
            issues/issues-list.md:7:53 "swe-feature-002" -> "swe-feature-020"
            rename issues/done/swe-feature-002.md -> issues/done/swe-feature-020.md
        "#]],
    );
}

#[test]
fn prepare_rename_at_the_edges_of_a_reference() {
    check_rename(
        &base_at("**Dependencies:** $0swe-feature-002"),
        "swe-feature-020",
        expect![[r#"
            prepare issues/backlog/swe-feature-003.md:17:19 "swe-feature-002" = swe-feature-002
            docs/stories/015-login.md:36:22 "swe-feature-002" -> "swe-feature-020"
            issues/backlog/swe-feature-003.md:17:19 "swe-feature-002" -> "swe-feature-020"
            issues/issues-list.md:6:3 "swe-feature-002" -> "swe-feature-020"
            issues/issues-list.md:7:53 "swe-feature-002" -> "swe-feature-020"
            rename issues/done/swe-feature-002.md -> issues/done/swe-feature-020.md
        "#]],
    );
    check_rename(
        &base_at("- **Next task:** swe-feature-003$0"),
        "swe-feature-030",
        expect![[r#"
            prepare docs/project-brief.md:5:18 "swe-feature-003" = swe-feature-003
            docs/project-brief.md:5:18 "swe-feature-003" -> "swe-feature-030"
            issues/backlog/qa-feature-004.md:14:17 "swe-feature-003" -> "swe-feature-030"
            issues/issues-list.md:7:3 "swe-feature-003" -> "swe-feature-030"
            issues/issues-list.md:8:56 "swe-feature-003" -> "swe-feature-030"
            rename issues/backlog/swe-feature-003.md -> issues/backlog/swe-feature-030.md
        "#]],
    );
    check_rename(
        &base_at("| M3 | Delivery$0 exception"),
        "M4",
        expect![[r#"
            prepare: (none)
            error: there is no ID here to rename
        "#]],
    );
}

#[test]
fn rename_refuses_bad_or_taken_ids() {
    check_rename(
        &base_at("# Receive$0 carrier webhooks"),
        "webhooks",
        expect![[r#"
        prepare issues/done/swe-feature-002.md:1:3 "Receive carrier webhooks" = swe-feature-002
        error: `webhooks` is not an issue ID: issues are named `<expert>-<type>-<NNN>`, like `swe-feature-001`
    "#]],
    );
    check_rename(
        &base_at("# Receive$0 carrier webhooks"),
        "swe-feature-003",
        expect![[r#"
        prepare issues/done/swe-feature-002.md:1:3 "Receive carrier webhooks" = swe-feature-002
        error: issue number 003 is already used by `swe-feature-003`: numbers are unique across all issues (the next free one is 005)
    "#]],
    );
    check_rename(
        &base_at("# Receive$0 carrier webhooks"),
        "qa-feature-004",
        expect![[r#"
        prepare issues/done/swe-feature-002.md:1:3 "Receive carrier webhooks" = swe-feature-002
        error: issue number 004 is already used by `qa-feature-004`: numbers are unique across all issues (the next free one is 005)
    "#]],
    );
    check_rename(
        &base_at("**Depends on:** none$0\n\nAdd"),
        "x",
        expect![[r#"
        prepare: (none)
        error: there is no ID here to rename
    "#]],
    );
    let range = BASE.replace(
        "**Depends on:** swe-feature-003\n",
        "**Depends on:** swe-feature-001 through swe-feature-003\n",
    );
    check_rename(
        &at(&range, "# Receive$0 carrier webhooks"),
        "swe-feature-020",
        expect![[r#"
            prepare refused: `swe-feature-002` is named by the range `swe-feature-001 through swe-feature-003` in `issues/backlog/qa-feature-004.md`: write the range out as a list first
            error: `swe-feature-002` is named by the range `swe-feature-001 through swe-feature-003` in `issues/backlog/qa-feature-004.md`: write the range out as a list first
        "#]],
    );
}

#[test]
fn rename_a_milestone_a_story_and_a_task() {
    check_rename(
        &base_at("**Milestone:** M$02"),
        "M7",
        expect![[r#"
        prepare issues/backlog/swe-feature-003.md:5:16 "M2" = M2
        docs/roadmap.md:6:4 "2" -> "7"
        docs/roadmap.md:7:47 "2" -> "7"
        issues/backlog/qa-feature-004.md:5:17 "2" -> "7"
        issues/backlog/swe-feature-003.md:5:17 "2" -> "7"
        issues/done/swe-feature-002.md:5:62 "2" -> "7"
        issues/issues-list.md:6:49 "2" -> "7"
        issues/issues-list.md:7:49 "2" -> "7"
        issues/issues-list.md:8:52 "2" -> "7"
    "#]],
    );
    check_rename(
        &base_at("- Story 0$014"),
        "story-013",
        expect![[r#"
        prepare docs/stories/015-login.md:11:3 "Story 014" = story-014
        docs/stories/014-console.md:1:9 "014" -> "013"
        docs/stories/015-login.md:11:9 "014" -> "013"
        rename docs/stories/014-console.md -> docs/stories/013-console.md
    "#]],
    );
    // A story's tasks carry its number: `015/002` elsewhere follows it,
    // `002` inside the story does not change.
    let cross = BASE.replace(
        "**Depends on:** swe-feature-003\n",
        "**Depends on:** swe-feature-003, 015/002, Story 015\n",
    );
    check_rename(
        &at(&cross, "# Story 015$0:"),
        "Story 16",
        expect![[r#"
        prepare docs/stories/015-login.md:1:3 "Story 015: Dispatcher sign-in" = story-015
        docs/stories/015-login.md:1:9 "015" -> "016"
        issues/backlog/qa-feature-004.md:14:34 "015" -> "016"
        issues/backlog/qa-feature-004.md:14:49 "015" -> "016"
        rename docs/stories/015-login.md -> docs/stories/016-login.md
    "#]],
    );
    check_rename(
        &at(&cross, "# Story 015$0:"),
        "story-014",
        expect![[r#"
        prepare docs/stories/015-login.md:1:3 "Story 015: Dispatcher sign-in" = story-015
        error: `story-014` already exists, in `docs/stories/014-console.md`
    "#]],
    );
    check_rename(
        &base_at("**Depends on:** 00$01"),
        "story-014/007",
        expect![[r#"
            prepare docs/stories/015-login.md:27:17 "001" = story-015/001
            error: a task cannot move to another story by a rename: keep `story-015/` in the new ID
        "#]],
    );
    check_rename(
        &base_at("**Depends on:** 00$01"),
        "7",
        expect![[r#"
        prepare docs/stories/015-login.md:27:17 "001" = story-015/001
        docs/stories/015-login.md:15:5 "001" -> "007"
        docs/stories/015-login.md:27:17 "001" -> "007"
    "#]],
    );
}

// Symbols.

fn render_symbols(
    ws: &Workspace,
    rel: &str,
    symbols: &[symbols::Symbol],
    depth: usize,
    out: &mut String,
) {
    for s in symbols {
        let detail = s
            .detail
            .as_deref()
            .map(|d| format!(" — {d}"))
            .unwrap_or_default();
        writeln!(
            out,
            "{}{:?} {}{detail} @ {}",
            "  ".repeat(depth),
            s.kind,
            s.name,
            show(ws, rel, s.selection_range)
        )
        .unwrap();
        assert!(
            s.range.contains_range(s.selection_range),
            "{} selects outside its range",
            s.name
        );
        for c in &s.children {
            assert!(
                s.range.contains_range(c.range),
                "{} is outside {}",
                c.name,
                s.name
            );
        }
        render_symbols(ws, rel, &s.children, depth + 1, out);
    }
}

fn check_symbols(rel: &str, expect: Expect) {
    let s = setup(BASE);
    let mut out = String::new();
    render_symbols(
        &s.ws,
        rel,
        &symbols::document_symbols(&s.ws, rel),
        0,
        &mut out,
    );
    expect.assert_eq(&out);
}

#[test]
fn document_symbols() {
    check_symbols(
        "issues/done/swe-feature-002.md",
        expect![[r###"
        Item(Issue) swe-feature-002 — Receive carrier webhooks @ issues/done/swe-feature-002.md:1:3 "Receive carrier webhooks"
          Section Acceptance Criteria @ issues/done/swe-feature-002.md:8:1 "## Acceptance Criteria"
            Criterion A UPS event is stored within a minute — done @ issues/done/swe-feature-002.md:10:7 "A UPS event is stored within a minute"
            Criterion A DHL event is stored within a minute — done @ issues/done/swe-feature-002.md:11:7 "A DHL event is stored within a minute"
            Criterion A bad signature is refused — done @ issues/done/swe-feature-002.md:12:7 "A bad signature is refused"
            Criterion A replayed event is ignored — open @ issues/done/swe-feature-002.md:13:7 "A replayed event is ignored"
            Criterion Events are kept for 90 days — open @ issues/done/swe-feature-002.md:14:7 "Events are kept for 90 days"
          Section Technical Notes @ issues/done/swe-feature-002.md:16:1 "## Technical Notes"
    "###]],
    );
    check_symbols(
        "docs/stories/015-login.md",
        expect![[r###"
        Item(Story) story-015 — Dispatcher sign-in @ docs/stories/015-login.md:1:3 "Story 015: Dispatcher sign-in"
          Section Acceptance Criteria @ docs/stories/015-login.md:5:1 "## Acceptance Criteria"
            Criterion Dispatcher receives a sign-in link within a minute — open @ docs/stories/015-login.md:7:7 "Dispatcher receives a sign-in link within a minute"
          Section Dependencies @ docs/stories/015-login.md:9:1 "## Dependencies"
          Section Tasks @ docs/stories/015-login.md:13:1 "## Tasks"
            Item(Task) story-015/001 — Magic-link endpoint @ docs/stories/015-login.md:15:5 "001: Magic-link endpoint"
            Item(Task) story-015/002 — Session tokens @ docs/stories/015-login.md:24:5 "002: Session tokens"
            Item(Task) story-015/003 — Sign-in window @ docs/stories/015-login.md:33:5 "003: Sign-in window"
    "###]],
    );
    check_symbols(
        "issues/issues-list.md",
        expect![[r#"
        IndexRow swe-feature-001 — Import shipments from the nightly order export @ issues/issues-list.md:5:3 "swe-feature-001"
        IndexRow swe-feature-002 — Receive carrier webhooks @ issues/issues-list.md:6:3 "swe-feature-002"
        IndexRow swe-feature-003 — Normalize carrier events @ issues/issues-list.md:7:3 "swe-feature-003"
        IndexRow qa-feature-004 — QA: Webhook replay test pass @ issues/issues-list.md:8:3 "qa-feature-004"
    "#]],
    );
    check_symbols(
        "docs/roadmap.md",
        expect![[r#"
        Item(Milestone) M1 — Tracking core @ docs/roadmap.md:5:3 "M1"
        Item(Milestone) M2 — [Carrier Integrations] Carrier event ingest @ docs/roadmap.md:6:3 "M2"
        Item(Milestone) M3 — Delivery exception alerts @ docs/roadmap.md:7:3 "M3"
    "#]],
    );
}

fn check_workspace_symbols(query: &str, expect: Expect) {
    let s = setup(BASE);
    let mut out = String::new();
    for sym in symbols::workspace_symbols(&s.ws, query) {
        writeln!(out, "{} {} ({})", sym.id, sym.title, sym.rel).unwrap();
    }
    expect.assert_eq(&out);
}

#[test]
fn workspace_symbols() {
    check_workspace_symbols(
        "webhook",
        expect![[r#"
        qa-feature-004 QA: Webhook replay test pass (issues/backlog/qa-feature-004.md)
        swe-feature-002 Receive carrier webhooks (issues/done/swe-feature-002.md)
    "#]],
    );
    check_workspace_symbols(
        "sf3",
        expect![[r#"
        swe-feature-003 Normalize carrier events (issues/backlog/swe-feature-003.md)
    "#]],
    );
    check_workspace_symbols("zzz", expect![[r#""#]]);
}

// Folding, lenses, inlay hints, semantic tokens.

fn check_folding(rel: &str, expect: Expect) {
    let s = setup(BASE);
    let file = s.ws.file(rel).unwrap();
    let mut out = String::new();
    for f in folding::folding_ranges(&s.ws, rel) {
        let from = file.line_index().line_of(f.range.start()) + 1;
        let to = file.line_index().line_of(f.range.end()) + 1;
        let first = file.text[f.range.start()..].lines().next().unwrap_or("");
        writeln!(out, "{from}-{to} {:?} {first:?}", f.kind).unwrap();
    }
    expect.assert_eq(&out);
}

#[test]
fn folding_ranges() {
    check_folding(
        "docs/stories/015-login.md",
        expect![[r####"
        5-7 Region "## Acceptance Criteria"
        9-11 Region "## Dependencies"
        13-38 Region "## Tasks"
        15-22 Region "### 001: Magic-link endpoint"
        24-31 Region "### 002: Session tokens"
        33-38 Region "### 003: Sign-in window"
    "####]],
    );
}

#[test]
fn code_lenses() {
    let s = setup(BASE);
    let mut out = String::new();
    for rel in [
        "issues/done/swe-feature-002.md",
        "issues/backlog/swe-feature-003.md",
        "docs/stories/015-login.md",
        "docs/roadmap.md",
    ] {
        for l in lens::code_lenses(&s.ws, &s.derived, rel) {
            writeln!(
                out,
                "{} {}: {} [{}]",
                rel,
                l.id,
                l.title,
                l.blocks.join(", ")
            )
            .unwrap();
        }
    }
    expect![[r#"
        issues/done/swe-feature-002.md swe-feature-002: done · blocks 2 · 3/5 criteria [story-015/003, swe-feature-003]
        issues/backlog/swe-feature-003.md swe-feature-003: wave 1 · blocks 1 · 1/3 criteria [qa-feature-004]
        docs/stories/015-login.md story-015: wave 3 · blocks 0 · 0/1 criteria []
        docs/stories/015-login.md story-015/001: done · blocks 1 [story-015/002]
        docs/stories/015-login.md story-015/002: wave 1 · blocks 1 [story-015/003]
        docs/stories/015-login.md story-015/003: wave 2 · blocks 0 []
        docs/roadmap.md M1: blocks 1 [M2]
        docs/roadmap.md M2: blocks 1 [M3]
        docs/roadmap.md M3: blocks 0 []
    "#]].assert_eq(&out);
}

#[test]
fn inlay_hints() {
    let text = BASE.replace(
        "**Depends on:** swe-feature-003\n",
        "**Depends on:** swe-feature-003, swe-feature-111, swe-feature-001 through swe-feature-002, M2\n",
    );
    let s = setup(&text);
    let mut out = String::new();
    for rel in [
        "issues/backlog/qa-feature-004.md",
        "docs/stories/015-login.md",
        "docs/roadmap.md",
    ] {
        let file = s.ws.file(rel).unwrap();
        for h in inlay::inlay_hints(&s.ws, &s.derived, rel, None) {
            let before: String = file.text[..h.offset]
                .chars()
                .rev()
                .take(15)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            writeln!(out, "{rel} …{before:?} {}", h.label).unwrap();
        }
    }
    expect![[r#"
        issues/backlog/qa-feature-004.md …"swe-feature-003" backlog
        issues/backlog/qa-feature-004.md …"swe-feature-111" ⚠ missing
        issues/backlog/qa-feature-004.md …"swe-feature-002" 2/2 done
        issues/backlog/qa-feature-004.md …"feature-002, M2" in progress
        docs/stories/015-login.md …"es\n\n- Story 014" ✓ done
        docs/stories/015-login.md …"pends on:** 001" ✓ done
        docs/stories/015-login.md …"pends on:** 002" in_progress
        docs/stories/015-login.md …"swe-feature-002" ✓ done
        docs/roadmap.md …"n Progress | M1" ✓ done
        docs/roadmap.md …" | Planned | M2" in progress
    "#]]
    .assert_eq(&out);
}

/// A dependency on a dropped (cancelled) item is not called done: the
/// hint says dropped, a range and a milestone's hover count it apart, and
/// the item's own lens says dropped.
#[test]
fn inlay_hints_and_lenses_tell_a_dropped_item_from_a_done_one() {
    let text = BASE
        .replacen(
            "**Milestone:** M2\n**Status:** backlog",
            "**Milestone:** M2\n**Status:** cancelled",
            1,
        )
        .replace(
            "**Depends on:** swe-feature-003\n",
            "**Depends on:** swe-feature-003, swe-feature-002 through swe-feature-003\n",
        );
    assert!(text.contains("**Status:** cancelled"));
    let s = setup(&text);
    let rel = "issues/backlog/qa-feature-004.md";
    let labels: Vec<String> = inlay::inlay_hints(&s.ws, &s.derived, rel, None)
        .into_iter()
        .map(|h| h.label)
        .collect();
    assert_eq!(
        labels[..2],
        ["✗ dropped", "1/2 done · 1 dropped"],
        "{labels:?}"
    );
    // A milestone's hover counts it apart too.
    let rel_m2 = "issues/done/swe-feature-002.md";
    let offset =
        s.ws.file(rel_m2)
            .unwrap()
            .text
            .find("Carrier Integrations")
            .unwrap();
    let hover = hover::hover(&s.ws, &s.derived, rel_m2, offset).expect("a hover");
    assert!(
        hover.markdown.contains("3 items, 1 done, 1 dropped: "),
        "{}",
        hover.markdown
    );
    let lenses = lens::code_lenses(&s.ws, &s.derived, "issues/backlog/swe-feature-003.md");
    assert!(
        lenses.iter().any(|l| l.title.starts_with("dropped")),
        "{:?}",
        lenses.iter().map(|l| &l.title).collect::<Vec<_>>()
    );
}

#[test]
fn semantic_tokens() {
    let text = BASE.replace(
        "**Depends on:** swe-feature-003\n",
        "**Depends on:** swe-feature-003, swe-feature-111\n",
    );
    let s = setup(&text);
    let rel = "issues/backlog/qa-feature-004.md";
    let mut out = String::new();
    for t in semantic::semantic_tokens(&s.ws, rel) {
        writeln!(out, "{:?} {}", t.kind, show(&s.ws, rel, t.range)).unwrap();
    }
    expect![[r#"
        FieldLabel issues/backlog/qa-feature-004.md:3:3 "Type"
        FieldLabel issues/backlog/qa-feature-004.md:4:3 "Expert"
        FieldLabel issues/backlog/qa-feature-004.md:5:3 "Milestone"
        Reference issues/backlog/qa-feature-004.md:5:16 "M2"
        FieldLabel issues/backlog/qa-feature-004.md:6:3 "Status"
        FieldLabel issues/backlog/qa-feature-004.md:14:3 "Depends on"
        Reference issues/backlog/qa-feature-004.md:14:17 "swe-feature-003"
        DanglingReference issues/backlog/qa-feature-004.md:14:34 "swe-feature-111"
    "#]]
    .assert_eq(&out);
}

// Every feature everywhere on real planning files: no panic, and every range
// inside its file, on character boundaries, holding the cursor where it must.

const CORPUS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/corpora/project-workflow"
);
const EXAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples");

fn load(root: &str) -> Workspace {
    let root = std::path::Path::new(root);
    assert!(root.is_dir(), "{} is missing", root.display());
    planmark::load::load_workspace(root).workspace
}

fn assert_range(ws: &Workspace, rel: &str, range: TextRange, what: &str) {
    let text = &ws.file(rel).expect("a known file").text;
    assert!(
        range.start() <= range.end()
            && range.end() <= text.len()
            && text.is_char_boundary(range.start())
            && text.is_char_boundary(range.end()),
        "{what}: {range:?} is not a range of {rel}"
    );
}

/// Offsets worth trying in a file: line starts and ends, the edges and
/// middle of every reference and name, and every fifth byte.
fn offsets(ws: &Workspace, rel: &str) -> Vec<usize> {
    let file = ws.file(rel).unwrap();
    let text = &file.text;
    let mut out: Vec<usize> = (0..=text.len()).step_by(5).collect();
    for line in 0..file.line_index().line_count() {
        let r = file.line_index().line_range(line);
        out.extend([r.start(), r.end(), r.start() + 2, r.start() + 4]);
    }
    for r in file.facts.all_references() {
        out.extend([
            r.range.start(),
            r.range.end(),
            (r.range.start() + r.range.end()) / 2,
        ]);
    }
    for i in &file.facts.items {
        out.extend([i.def_range.start(), i.def_range.end()]);
    }
    let mut out: Vec<usize> = out
        .into_iter()
        .map(|o| planmark::analysis::text::floor_char_boundary(text, o))
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

fn every_feature_everywhere(ws: &Workspace) {
    let derived = Derived::new(ws, Arc::new(Context::new(ws)));
    for file in ws.files() {
        let rel = &*file.rel;
        for s in symbols::document_symbols(ws, rel) {
            assert_range(ws, rel, s.range, "symbol");
            assert!(
                s.range.contains_range(s.selection_range),
                "{rel}: {}",
                s.name
            );
        }
        for f in folding::folding_ranges(ws, rel) {
            assert_range(ws, rel, f.range, "fold");
        }
        for l in lens::code_lenses(ws, &derived, rel) {
            assert_range(ws, rel, l.range, "lens");
        }
        for h in inlay::inlay_hints(ws, &derived, rel, None) {
            assert_range(ws, rel, TextRange::empty(h.offset), "inlay hint");
        }
        let mut end = 0;
        for t in semantic::semantic_tokens(ws, rel) {
            assert_range(ws, rel, t.range, "token");
            assert!(
                t.range.start() >= end,
                "{rel}: tokens overlap at {:?}",
                t.range
            );
            assert!(!file.text[t.range.start()..t.range.end()].contains('\n'));
            end = t.range.end();
        }
        for link in navigation::document_links(ws, rel) {
            assert_range(ws, rel, link.range, "link");
            assert!(
                !link.range.is_empty(),
                "{rel}: a link on nothing at {:?}",
                link.range
            );
            assert_range(ws, &link.target.rel, link.target.range, "link target");
        }
        for offset in offsets(ws, rel) {
            for c in completion::completion(ws, &derived, rel, offset).items {
                assert_range(ws, rel, c.range, "completion");
                assert!(c.range.touches(offset), "{rel}@{offset}: {c:?}");
            }
            if let Some(h) = hover::hover(ws, &derived, rel, offset) {
                assert_range(ws, rel, h.range, "hover");
                assert!(h.range.touches(offset), "{rel}@{offset}: hover");
            }
            if let Some(d) = navigation::definition(ws, rel, offset) {
                for t in &d.targets {
                    assert_range(ws, &t.rel, t.focus, "definition");
                }
            }
            for r in navigation::references(ws, &derived, rel, offset, true) {
                assert_range(ws, &r.rel, r.range, "reference");
            }
            if let Ok(Some((range, _))) = rename::prepare_rename(ws, rel, offset) {
                assert_range(ws, rel, range, "prepare rename");
            }
        }
    }
    for query in ["", "feat", "qa 1", "ü😀"] {
        assert!(symbols::workspace_symbols(ws, query).len() <= symbols::WORKSPACE_LIMIT);
    }
}

#[test]
fn every_feature_on_the_corpus_and_the_examples() {
    every_feature_everywhere(&load(CORPUS));
    every_feature_everywhere(&load(EXAMPLES));
}

/// The workspace after a rename: edits applied, files moved.
fn apply(ws: &Workspace, edit: &rename::RenameEdit) -> Workspace {
    let mut inputs = Vec::new();
    for file in ws.files() {
        let mut text = file.text.to_string();
        let mut edits: Vec<_> = edit.edits.iter().filter(|e| *e.rel == *file.rel).collect();
        edits.sort_by_key(|e| std::cmp::Reverse(e.range.start()));
        let mut last = usize::MAX;
        for e in edits {
            assert!(e.range.end() <= last, "edits overlap in {}", file.rel);
            text.replace_range(e.range.start()..e.range.end(), &e.new_text);
            last = e.range.start();
        }
        let rel = edit
            .file_renames
            .iter()
            .find(|r| *r.old_rel == *file.rel)
            .map_or(file.rel.to_string(), |r| r.new_rel.clone());
        inputs.push((
            rel,
            planmark::analysis::workspace::FileInput::Text(Arc::from(text)),
        ));
    }
    let mut out = Workspace::new(ws.config().clone(), Vec::new());
    out.load(inputs);
    out
}

/// How many places name `id`, counted by `references`.
fn reference_count(ws: &Workspace, derived: &Derived, id: &str) -> usize {
    let (file, item) = ws.item(id).expect("the item exists");
    navigation::references(ws, derived, &file.rel, item.def_range.start(), false).len()
}

#[test]
fn renamed_issues_keep_every_reference() {
    for root in [EXAMPLES, CORPUS] {
        let ws = load(root);
        let derived = Derived::new(&ws, Arc::new(Context::new(&ws)));
        let issues: Vec<(String, String, usize)> = ws
            .items()
            .filter(|(_, i)| planmark::analysis::ids::issue_parts(&i.id).is_some())
            .map(|(f, i)| (i.id.to_string(), f.rel.to_string(), i.def_range.start()))
            .take(15)
            .collect();
        let (mut renamed, mut references) = (0, 0);
        for (n, (id, rel, at)) in issues.iter().enumerate() {
            let parts = planmark::analysis::ids::issue_parts(id).unwrap();
            let new = planmark::analysis::ids::issue_id(parts.expert, parts.kind, 9000 + n as u32);
            let edit = match rename::rename(&ws, derived.ctx(), rel, *at, &new) {
                Ok(edit) => edit,
                // Only a range that names the issue may refuse.
                Err(message) => {
                    assert!(message.contains("range"), "{id}: {message}");
                    continue;
                }
            };
            let after = apply(&ws, &edit);
            assert!(after.item(id).is_none(), "{id} is still defined");
            let derived_after = Derived::new(&after, Arc::new(Context::new(&after)));
            let count = reference_count(&ws, &derived, id);
            assert_eq!(
                reference_count(&after, &derived_after, &new),
                count,
                "{id} -> {new} in {root}"
            );
            renamed += 1;
            references += count;
        }
        assert!(
            renamed > issues.len() / 2,
            "{renamed} of {} renamed",
            issues.len()
        );
        assert!(
            references > renamed,
            "{references} references moved in {root}"
        );
    }
}

/// BASE with a task `002a` inserted after `002`, named by `003` and, from
/// an issue, as `015/002a`.
fn base_with_suffixed_task() -> String {
    BASE.replace(
        "Issue tokens.\n",
        "Issue tokens.\n\n---\n\n### 002a: Refresh tokens\n**Domain:** backend\n**Status:** pending\n**Depends on:** 002\n\nRefresh them.\n",
    )
    .replace("**Depends on:** 002, swe-feature-002", "**Depends on:** 002a, swe-feature-002")
    .replace(
        "**Depends on:** swe-feature-003\n",
        "**Depends on:** swe-feature-003, 015/002a\n",
    )
}

#[test]
fn task_ids_keep_their_letter_suffix_in_editing_features() {
    let text = base_with_suffixed_task();
    // Hover and rename follow the suffixed ID, not task 002.
    check_hover(
        &at(&text, "**Depends on:** 00$02a, swe"),
        expect![[r#"
        docs/stories/015-login.md:45:17 "002a"
        **story-015/002a** · Refresh tokens

        task · Status: pending

        Depends on: story-015/002  
        Depended on by: qa-feature-004, story-015/003

        Wave 2 · waits for story-015/002
    "#]],
    );
    check_rename(
        &at(&text, "### 002$0a: Refresh"),
        "story-015/002b",
        expect![[r#"
            prepare docs/stories/015-login.md:33:5 "002a: Refresh tokens" = story-015/002a
            docs/stories/015-login.md:33:5 "002a" -> "002b"
            docs/stories/015-login.md:45:17 "002a" -> "002b"
            issues/backlog/qa-feature-004.md:14:38 "002a" -> "002b"
        "#]],
    );
    // Renamed to a plain number, a suffixed task keeps the width of its
    // digits (`002a` to `005`, not `0005`).
    check_rename(
        &at(&text, "### 002$0a: Refresh"),
        "5",
        expect![[r#"
        prepare docs/stories/015-login.md:33:5 "002a: Refresh tokens" = story-015/002a
        docs/stories/015-login.md:33:5 "002a" -> "005"
        docs/stories/015-login.md:45:17 "002a" -> "005"
        issues/backlog/qa-feature-004.md:14:38 "002a" -> "005"
    "#]],
    );
    // The next task after 002a is 004, past the highest number.
    check_completion(
        &text.replace("Show the window.\n", "Show the window.\n\n---\n\n### $0\n"),
        expect![[r####"
            "### 004: new task" "### " inserts "### 004: \n**Domain:** \n**Status:** pending\n**Depends on:** none\n" — task 004 with Domain, Status and Depends on
                snippet "### 004: ${1:Short title}\n**Domain:** ${2}\n**Status:** pending\n**Depends on:** ${3:none}\n\n$0"
        "####]],
    );
}

#[test]
fn dependency_links_to_story_files_follow_a_rename() {
    let text = BASE.replace(
        "- Story 014 (console shell)\n",
        "- Story 014 (console shell)\n- It can be done after [the console shell](./014-console.md#tasks).\n",
    );
    check_rename(
        &at(&text, "[the con$0sole shell]"),
        "story-013",
        expect![[r#"
            prepare docs/stories/015-login.md:12:24 "[the console shell](./014-console.md#tasks)" = story-014
            docs/stories/014-console.md:1:9 "014" -> "013"
            docs/stories/015-login.md:11:9 "014" -> "013"
            docs/stories/015-login.md:12:46 "014-console.md" -> "013-console.md"
            rename docs/stories/014-console.md -> docs/stories/013-console.md
        "#]],
    );
}

/// A BMAD story whose task names its criteria as the range `LIST`.
fn bmad_story_with_range(list: &str) -> String {
    format!(
        "//- docs/stories/1.2.login.story.md\n# Story 1.2: Sign in\n\n## Status\nApproved\n\n## Acceptance Criteria\n1. The form takes an email\n2. A wrong password says so\n3. The session lasts a week\n\n## Tasks / Subtasks\n- [ ] Task 1: Form (AC: {list}, 2)\n\n## Dev Notes\n"
    )
}

#[test]
fn definition_right_after_a_range_goes_to_its_last_id() {
    // The cursor just past `#3` touches the range's end: it names the last
    // criterion, as a cursor inside `#3` does, not the first.
    for list in ["#1-#3$0", "1-3$0"] {
        let s = setup(&bmad_story_with_range(list));
        let d = navigation::definition(&s.ws, &s.rel, s.offset).expect("a definition");
        let target = show(&s.ws, &d.targets[0].rel, d.targets[0].focus);
        assert!(target.ends_with("\"3\""), "{list}: {target}");
    }
    check_definition(
        &bmad_story_with_range("#1-#3$0"),
        expect![[r##"
            from docs/stories/1.2.login.story.md:12:25 "#1-#3"
            to docs/stories/1.2.login.story.md:9:1 "3"
        "##]],
    );
}

/// A Backlog.md task `TASK-30` (the cursor on its `id:`), with `config`
/// as `backlog/config.yml`.
fn backlog_task_30(config: &str) -> String {
    format!(
        "//- backlog/config.yml\n{config}//- backlog/tasks/task-30 - Sign-in.md\n---\nid: TASK-3$00\ntitle: Sign-in\nstatus: To Do\n---\n"
    )
}

#[test]
fn backlog_rename_keeps_the_task_prefix() {
    // Backlog.md lists only `<task_prefix>-*.md`: a name with another
    // prefix would move the file off its board, so it is refused with the
    // reason; the prefix in another case is the same prefix.
    let default = backlog_task_30("project_name: \"Shop\"\n");
    let configured = backlog_task_30("project_name: \"Shop\"\ntask_prefix: \"back\"\n");
    let mut got = String::new();
    for (fixture, name) in [
        (&default, "foo-31"),
        (&default, "task-31"),
        (&configured, "back-31"),
    ] {
        got.push_str(&fixture::renamed(fixture, name));
    }
    expect![[r#"
        refused: `foo-31` does not start with `task-`: Backlog.md lists only the `task-*.md` files of `backlog/tasks/` (the `task_prefix` of `backlog/config.yml`, `task` when unset), so the renamed task would drop off its board; keep the `task-` prefix
        backlog/tasks/task-30 - Sign-in.md: TASK-30 -> task-31
        move backlog/tasks/task-30 - Sign-in.md -> backlog/tasks/task-31 - Sign-in.md
        backlog/tasks/task-30 - Sign-in.md: TASK-30 -> back-31
        move backlog/tasks/task-30 - Sign-in.md -> backlog/tasks/back-31 - Sign-in.md
    "#]].assert_eq(&got);
}

#[test]
fn definition_of_an_archived_backlog_dependency_opens_its_file() {
    // `task-7` is archived: the plan defines no such task, but the file
    // that holds it is where the dependency leads.
    let text = "//- backlog/config.yml\nproject_name: \"Shop\"\n//- backlog/tasks/task-8 - Api.md\n---\nid: task-8\ntitle: Api\nstatus: To Do\ndependencies:\n  - task-$07\n---\n//- backlog/archive/tasks/task-7 - Old.md\n---\nid: task-7\ntitle: Old\nstatus: Done\n---\n";
    check_definition(
        text,
        expect![[r#"
        from backlog/tasks/task-8 - Api.md:6:5 "task-7"
        to backlog/archive/tasks/task-7 - Old.md:1:1 ""
    "#]],
    );
}

/// An OpenSpec capability with one requirement and its scenario.
const OPENSPEC: &str = "//- openspec/specs/tracking/spec.md\n# tracking Specification\n\n## Purpose\nWhat recipients see about a shipment.\n\n## Requirements\n### Requirement: Parcel timeline\nThe tracking page SHALL list every carrier event of a shipment, newest first.\n\n#### Scenario: Event received\n- **WHEN** a carrier event for the shipment arrives\n- **THEN** the timeline shows it at the top within one minute\n";

#[test]
fn hover_on_an_openspec_requirement_neither_repeats_its_name_nor_says_no_task_covers_it() {
    // Nothing covers an OpenSpec requirement, by design: "Covered by no
    // task" would say nothing. Its ID ends with its title already.
    check_hover(
        &at(OPENSPEC, "### Requirement: Parcel time$0line"),
        expect![[r####"
            openspec/specs/tracking/spec.md:7:1 "### Requirement: Parcel timeline"
            **tracking/Parcel timeline**

            requirement
        "####]],
    );
    // Where tasks name criteria, one they leave out says so.
    check_hover(
        &at(&bmad_story_with_range("1"), "$03. The session lasts"),
        expect![[r#"
            docs/stories/1.2.login.story.md:9:1 "3"
            **bmad-story-1.2/ac-3** · The session lasts a week

            criterion

            Covered by no task
        "#]],
    );
}

#[test]
fn workspace_symbols_name_the_title_and_the_container() {
    let s = setup(&format!("{BASE}{OPENSPEC}"));
    let mut out = String::new();
    for query in ["carrier webhooks", "parcel timeline", "magic-link"] {
        for sym in symbols::workspace_symbols(&s.ws, query).iter().take(2) {
            writeln!(out, "{} in {}", sym.name, sym.container).unwrap();
        }
    }
    expect![[r#"
        swe-feature-002 · Receive carrier webhooks in issues/done/swe-feature-002.md
        tracking/Parcel timeline in openspec/specs/tracking/spec.md
        story-015/001 · Magic-link endpoint in story-015
    "#]]
    .assert_eq(&out);
}
