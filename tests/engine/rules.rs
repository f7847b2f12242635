//! Every rule (`all_rules`): a fixture where it fires and a realistic near miss
//! where it stays silent, plus suppression comments, `[rules]` settings and
//! the documentation of every rule in `docs/rules.md`.

use std::fmt::Write as _;

use expect_test::{expect, Expect};
use planmark::analysis::fixture::workspace;
use planmark::analysis::rules::{all_rules, check_workspace, Diagnostic};
use planmark::analysis::text::ColumnUnit;
use planmark::analysis::workspace::Workspace;

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

/// One line per diagnostic, `rel:line:col rule: message`, and one indented
/// line per related location.
fn render(ws: &Workspace, diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let at = place(ws, &d.rel, d.range.start());
        writeln!(out, "{at} {}: {}", d.rule, d.message).unwrap();
        for r in &d.related {
            writeln!(
                out,
                "    = {} {}",
                place(ws, &r.rel, r.range.start()),
                r.message
            )
            .unwrap();
        }
    }
    out
}

/// Like `render`, with the severity after the rule name.
fn render_with_severity(ws: &Workspace, diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let at = place(ws, &d.rel, d.range.start());
        writeln!(
            out,
            "{at} {} ({}): {}",
            d.rule,
            d.severity.name(),
            d.message
        )
        .unwrap();
    }
    out
}

fn check(fixture: &str, expect: Expect) {
    let ws = workspace(fixture).workspace;
    expect.assert_eq(&render(&ws, &check_workspace(&ws)));
}

fn check_severity(fixture: &str, expect: Expect) {
    let ws = workspace(fixture).workspace;
    expect.assert_eq(&render_with_severity(&ws, &check_workspace(&ws)));
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

/// A clean feature issue: no rule fires on it alone.
const ISSUE: &str = "\
# Import shipments from the nightly order export

**Type:** feature
**Expert:** swe
**Milestone:** M1
**Status:** backlog

## User Story

As a warehouse manager, I need every order that leaves the warehouse to appear as a shipment so that I can answer \"where is this parcel?\" without opening the ERP.

## Acceptance Criteria

- [ ] Warehouse manager sees yesterday's shipments in the shipment list by 06:00
- [ ] Re-importing the same export file leaves the shipment count unchanged

## Technical Notes

**Estimated effort:** Medium session
**Dependencies:** none
**Inputs:** docs/project-brief.md
";

/// A clean QA issue: `Scope` and `Notes` with `Depends on`, no user story.
const QA_ISSUE: &str = "\
# QA: Webhook signature and replay test pass

**Type:** feature
**Expert:** qa
**Milestone:** M2
**Status:** backlog

## Description

Check that the webhook endpoint rejects forged and replayed events.

## Scope

- Signature checks for each supported carrier
- Replay of an already accepted event ID

## Acceptance Criteria

- [ ] Every forged or replayed event is rejected and shows up in the admin log as rejected
- [ ] Defects found are filed as issue files in `issues/backlog/`

## Notes

**Depends on:** none
";

/// A clean bug issue: no user story, which is normal for bugs.
const BUG_ISSUE: &str = "\
# BUG: Carrier retries create duplicate shipment events

**Type:** bug
**Expert:** swe
**Milestone:** M2
**Status:** backlog

## Description

DHL sends the same event again after a timeout and we store it twice.

## Acceptance Criteria

- [ ] A repeated carrier event leaves one scan in the shipment's timeline

## Technical Notes

**Estimated effort:** Small session
**Dependencies:** N/A
";

const ROADMAP: &str = "\
# Roadmap

| # | Milestone | Status | Depends On |
|---|-----------|--------|------------|
| M1 | Tracking core | Done | — |
| M2 | [Carrier Integrations] Carrier event ingest | In Progress | M1 |
| M4 | [Customer Portal] Customer accounts and preferences | Planned | M1 |
";

/// A story with `tasks` clean tasks.
fn story(status: &str, tasks: usize) -> String {
    let mut text = format!(
        "\
# Story 015: Dispatcher sign-in for the desktop console

**Status:** {status}

## User Story

As a dispatcher, I want to sign in with a link sent to my work email so that I can use any warehouse PC without sharing a password.

## Acceptance Criteria

- [ ] Dispatcher receives a sign-in link within a minute of entering their work email
- [ ] The link signs them in once and expires after 15 minutes

## Dependencies

- None

## Tasks
"
    );
    for n in 1..=tasks {
        let depends = if n == 1 {
            "none".to_string()
        } else {
            format!("{:03}", n - 1)
        };
        text.push_str(&format!(
            "\n### {n:03}: Step {n}\n**Domain:** backend\n**Status:** pending\n**Depends on:** {depends}\n\nDo step {n} and verify it with its API test.\n\n---\n"
        ));
    }
    text
}

#[test]
fn clean_fixtures_have_no_findings() {
    check(
        &files(&[
            ("issues/backlog/swe-feature-001.md", ISSUE),
            ("issues/backlog/qa-feature-002.md", QA_ISSUE),
            ("issues/backlog/swe-bug-003.md", BUG_ISSUE),
            ("docs/stories/015-login.md", &story("In Progress", 3)),
        ]),
        expect![[r#""#]],
    );
}

/// The text of a rule's section: up to the next `## ` heading outside a
/// fenced block, as SARIF's rule help takes it.
fn section<'d>(doc: &'d str, rule: &str) -> &'d str {
    let heading = format!("## `{rule}`\n");
    let body = &doc[doc.find(&heading).unwrap() + heading.len()..];
    let mut in_fence = false;
    let mut offset = 0;
    for line in body.split_inclusive('\n') {
        if line.starts_with("```") {
            in_fence = !in_fence;
        } else if !in_fence && line.starts_with("## ") {
            return body[..offset].trim();
        }
        offset += line.len();
    }
    body.trim()
}

#[test]
fn every_rule_is_documented() {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/rules.md"))
        .expect("docs/rules.md exists");
    let headings: Vec<&str> = doc
        .lines()
        .filter_map(|l| l.strip_prefix("## `"))
        .filter_map(|l| l.strip_suffix('`'))
        .collect();
    for rule in all_rules() {
        assert!(
            headings.contains(&rule.name),
            "docs/rules.md has no \"## `{}`\" section",
            rule.name
        );
        let help = section(&doc, rule.name);
        assert!(!help.is_empty(), "the help of `{}` is empty", rule.name);
        assert!(
            help.contains(rule.severity.name()),
            "the help of `{}` does not give its default severity `{}`",
            rule.name,
            rule.severity.name()
        );
    }
    for heading in &headings {
        assert!(
            all_rules().any(|r| r.name == *heading),
            "docs/rules.md documents `{heading}`, which is not a rule"
        );
    }
    assert_eq!(headings.len(), all_rules().count(), "one section per rule");
    // Every section has an example that fires, in a fenced block.
    for rule in all_rules() {
        assert!(
            section(&doc, rule.name).contains("\n```"),
            "the section of `{}` has no example",
            rule.name
        );
    }
    // The options the rules read are documented with their defaults.
    for (rule, option) in [
        ("oversized-issue", "`max-criteria` (default `8`)"),
        ("oversized-story", "`max-tasks` (default `14`)"),
        ("generic-persona", "`personas`"),
        ("vague-criterion", "`phrases`"),
    ] {
        assert!(
            section(&doc, rule).contains(option),
            "the section of `{rule}` does not document {option}"
        );
    }
}

// missing-acceptance-criteria

#[test]
fn missing_acceptance_criteria_fires() {
    let no_section = edit(
        BUG_ISSUE,
        "## Acceptance Criteria\n\n- [ ] A repeated carrier event leaves one scan in the shipment's timeline\n\n",
        "",
    );
    let plain_bullets = edit(
        ISSUE,
        "- [ ] Warehouse manager sees yesterday's shipments in the shipment list by 06:00\n- [ ] Re-importing",
        "- Warehouse manager sees yesterday's shipments in the shipment list by 06:00\n- Re-importing",
    );
    let story_without = edit(
        &story("In Progress", 1),
        "## Acceptance Criteria\n\n- [ ] Dispatcher receives a sign-in link within a minute of entering their work email\n- [ ] The link signs them in once and expires after 15 minutes\n\n",
        "",
    );
    check(
        &files(&[
            ("issues/backlog/swe-bug-016.md", &no_section),
            ("issues/backlog/swe-feature-001.md", &plain_bullets),
            ("docs/stories/015-login.md", &story_without),
            (
                "docs/03-build-notes/milestones/m3/01-exception-rules.md",
                "github_issue: 301\n\n# 01: Detect delivery exceptions\n\n## Summary\n\nFlag the shipment when a rule matches.\n\n**Depends on:** none\n",
            ),
        ]),
        expect![[r#"
            docs/03-build-notes/milestones/m3/01-exception-rules.md:3:3 missing-acceptance-criteria: issue `m3/01` has no `## Acceptance Criteria` section
            docs/stories/015-login.md:1:3 missing-acceptance-criteria: story `story-015` has no `## Acceptance Criteria` section
            issues/backlog/swe-bug-016.md:1:3 missing-acceptance-criteria: issue `swe-bug-016` has no `## Acceptance Criteria` section
            issues/backlog/swe-feature-001.md:12:1 missing-acceptance-criteria: the Acceptance Criteria section of this issue has no checklist item (`- [ ] ...`)
        "#]],
    );
}

#[test]
fn missing_acceptance_criteria_near_miss() {
    // A QA issue whose criteria come after a Scope checklist, a heading
    // with a suffix, a milestone spec with criteria, and milestone documents
    // (epic, plan) that are not issues.
    let suffixed = edit(
        BUG_ISSUE,
        "## Acceptance Criteria",
        "## Acceptance Criteria (all must pass)",
    );
    check(
        &files(&[
            ("issues/backlog/qa-feature-002.md", QA_ISSUE),
            ("issues/backlog/swe-bug-003.md", &suffixed),
            (
                "docs/03-build-notes/milestones/m3/01-exception-rules.md",
                "github_issue: 301\n\n# 01: Detect delivery exceptions\n\n## Acceptance Criteria\n\n- [ ] A \"damaged\" event flags the shipment within 5 minutes\n\n**Depends on:** none\n",
            ),
            (
                "docs/03-build-notes/milestones/m3/00-epic.md",
                "# Epic: M3 — Delivery Exception Alerts\n\n## Problem\n\nNobody looks at carrier exceptions.\n",
            ),
            (
                "docs/03-build-notes/milestones/m3/IMPLEMENTATION_PLAN.md",
                "# Implementation Plan: M3\n\n## Phase 1: Detection\n\n- 01-exception-rules.md (#301)\n",
            ),
        ]),
        expect![[r#""#]],
    );
}

// dangling-dependency

#[test]
fn dangling_dependency_fires() {
    check(
        &files(&[
            (
                "issues/backlog/swe-feature-011.md",
                &edit(ISSUE, "**Milestone:** M1", "**Milestone:** M3"),
            ),
            (
                "issues/backlog/devops-feature-015.md",
                &edit(
                    &edit(QA_ISSUE, "**Expert:** qa", "**Expert:** devops"),
                    "**Depends on:** none",
                    "**Depends on:** swe-feature-111, swe-feature-011",
                ),
            ),
            (
                "issues/backlog/swe-feature-012.md",
                &edit(
                    ISSUE,
                    "**Dependencies:** none",
                    "**Dependencies:** Story 099 (the login story)",
                ),
            ),
            (
                "docs/stories/015-login.md",
                &edit(
                    &story("In Progress", 2),
                    "**Depends on:** 001",
                    "**Depends on:** 009",
                ),
            ),
            (
                "docs/project-brief.md",
                "# Project Brief\n\n## Current Status\n\n- **Next task:** swe-feature-101\n",
            ),
        ]),
        expect![[r#"
            docs/project-brief.md:5:18 dangling-dependency: `swe-feature-101` names no known issue; did you mean `swe-feature-011`?
            docs/stories/015-login.md:32:17 dangling-dependency: `009` names no known task of `story-015`; did you mean `001`?
            issues/backlog/devops-feature-015.md:24:17 dangling-dependency: `swe-feature-111` names no known issue; did you mean `swe-feature-011`?
            issues/backlog/swe-feature-012.md:20:19 dangling-dependency: `story-099` (from `Story 099`) names no known story; did you mean `Story 015`?
        "#]],
    );
}

#[test]
fn dangling_dependency_near_miss() {
    // IDs in inline code, HTML comments, parenthetical notes after `none`,
    // prose after a dash, a `(done)` note, a range of existing issues, and a
    // task of another story: none of them dangles.
    let code = edit(
        ISSUE,
        "**Dependencies:** none",
        "**Dependencies:** `swe-feature-097` <!-- swe-feature-098 -->",
    );
    let parallel = edit(
        ISSUE,
        "**Dependencies:** none",
        "**Dependencies:** none (parallel with swe-feature-089, swe-feature-090)",
    );
    let prose = edit(
        ISSUE,
        "**Dependencies:** none",
        "**Dependencies:** swe-feature-001 (done), swe-feature-002 — **HARD blocker**: Downstream of 091: swe-feature-093",
    );
    let range = edit(
        QA_ISSUE,
        "**Depends on:** none",
        "**Depends on:** swe-feature-001 through swe-feature-003",
    );
    let task = edit(&story("In Progress", 2), "# Story 015", "# Story 016");
    let task = edit(
        &task,
        "**Depends on:** 001",
        "**Depends on:** 001, 015/002 (the session token)",
    );
    check(
        &files(&[
            ("issues/backlog/swe-feature-001.md", ISSUE),
            ("issues/backlog/swe-feature-002.md", &code),
            ("issues/backlog/swe-feature-003.md", &parallel),
            ("issues/backlog/swe-feature-004.md", &prose),
            ("issues/backlog/qa-feature-005.md", &range),
            ("docs/stories/015-login.md", &story("In Progress", 2)),
            ("docs/stories/016-saved-views.md", &task),
            (
                "docs/project-brief.md",
                "# Project Brief\n\n## Current Status\n\n- **Next task:** swe-feature-004\n",
            ),
        ]),
        expect![[r#""#]],
    );
}

// dependency-cycle

#[test]
fn dependency_cycle_fires() {
    let depends = |on: &str| {
        edit(
            ISSUE,
            "**Dependencies:** none",
            &format!("**Dependencies:** {on}"),
        )
    };
    let tasks = edit(
        &story("In Progress", 3),
        "**Depends on:** none",
        "**Depends on:** 003",
    );
    check(
        &files(&[
            (
                "issues/backlog/swe-feature-012.md",
                &depends("swe-feature-013 (the API shape follows the screen)"),
            ),
            (
                "issues/backlog/swe-feature-013.md",
                &depends("swe-feature-014"),
            ),
            (
                "issues/backlog/swe-feature-014.md",
                &depends("swe-feature-012"),
            ),
            ("docs/stories/015-login.md", &tasks),
        ]),
        expect![[r#"
            docs/stories/015-login.md:23:17 dependency-cycle: dependency cycle: story-015/001 -> story-015/003 -> story-015/002 -> story-015/001
                = docs/stories/015-login.md:20:5 `story-015/001` is part of the cycle
                = docs/stories/015-login.md:38:5 `story-015/003` is part of the cycle
                = docs/stories/015-login.md:29:5 `story-015/002` is part of the cycle
            docs/stories/015-login.md:32:17 dependency-cycle: dependency cycle: story-015/001 -> story-015/003 -> story-015/002 -> story-015/001
                = docs/stories/015-login.md:20:5 `story-015/001` is part of the cycle
                = docs/stories/015-login.md:38:5 `story-015/003` is part of the cycle
                = docs/stories/015-login.md:29:5 `story-015/002` is part of the cycle
            docs/stories/015-login.md:41:17 dependency-cycle: dependency cycle: story-015/001 -> story-015/003 -> story-015/002 -> story-015/001
                = docs/stories/015-login.md:20:5 `story-015/001` is part of the cycle
                = docs/stories/015-login.md:38:5 `story-015/003` is part of the cycle
                = docs/stories/015-login.md:29:5 `story-015/002` is part of the cycle
            issues/backlog/swe-feature-012.md:20:19 dependency-cycle: dependency cycle: swe-feature-012 -> swe-feature-013 -> swe-feature-014 -> swe-feature-012
                = issues/backlog/swe-feature-012.md:1:3 `swe-feature-012` is part of the cycle
                = issues/backlog/swe-feature-013.md:1:3 `swe-feature-013` is part of the cycle
                = issues/backlog/swe-feature-014.md:1:3 `swe-feature-014` is part of the cycle
            issues/backlog/swe-feature-013.md:20:19 dependency-cycle: dependency cycle: swe-feature-012 -> swe-feature-013 -> swe-feature-014 -> swe-feature-012
                = issues/backlog/swe-feature-012.md:1:3 `swe-feature-012` is part of the cycle
                = issues/backlog/swe-feature-013.md:1:3 `swe-feature-013` is part of the cycle
                = issues/backlog/swe-feature-014.md:1:3 `swe-feature-014` is part of the cycle
            issues/backlog/swe-feature-014.md:20:19 dependency-cycle: dependency cycle: swe-feature-012 -> swe-feature-013 -> swe-feature-014 -> swe-feature-012
                = issues/backlog/swe-feature-012.md:1:3 `swe-feature-012` is part of the cycle
                = issues/backlog/swe-feature-013.md:1:3 `swe-feature-013` is part of the cycle
                = issues/backlog/swe-feature-014.md:1:3 `swe-feature-014` is part of the cycle
        "#]],
    );
}

#[test]
fn dependency_cycle_near_miss() {
    // A chain, a diamond, and two issues that only mention each other as
    // parallel work.
    let depends = |on: &str| {
        edit(
            ISSUE,
            "**Dependencies:** none",
            &format!("**Dependencies:** {on}"),
        )
    };
    check(
        &files(&[
            (
                "issues/backlog/swe-feature-012.md",
                &depends("swe-feature-013, swe-feature-014"),
            ),
            (
                "issues/backlog/swe-feature-013.md",
                &depends("swe-feature-015"),
            ),
            (
                "issues/backlog/swe-feature-014.md",
                &depends("swe-feature-015"),
            ),
            (
                "issues/backlog/swe-feature-015.md",
                &depends("none (parallel with swe-feature-016)"),
            ),
            (
                "issues/backlog/swe-feature-016.md",
                &depends("none (parallel with swe-feature-015)"),
            ),
        ]),
        expect![[r#""#]],
    );
}

// self-dependency

#[test]
fn self_dependency_fires() {
    let task = edit(
        &story("In Progress", 2),
        "**Depends on:** 001",
        "**Depends on:** 002",
    );
    check(
        &files(&[
            (
                "issues/backlog/swe-feature-001.md",
                &edit(
                    ISSUE,
                    "**Dependencies:** none",
                    "**Dependencies:** swe-feature-001",
                ),
            ),
            ("docs/stories/015-login.md", &task),
        ]),
        expect![[r#"
            docs/stories/015-login.md:32:17 self-dependency: `story-015/002` depends on itself
            issues/backlog/swe-feature-001.md:20:19 self-dependency: `swe-feature-001` depends on itself
        "#]],
    );
}

#[test]
fn self_dependency_near_miss() {
    // An issue that names itself outside its dependencies, and task 001 of
    // story 016 depending on task 001 of story 015.
    let names_itself = edit(
        ISSUE,
        "**Inputs:** docs/project-brief.md",
        "**Inputs:** docs/project-brief.md\n**Out of scope:** A follow-up to swe-feature-001 for live sync.",
    );
    let other_story = edit(&story("In Progress", 1), "# Story 015", "# Story 016");
    let other_story = edit(
        &other_story,
        "**Depends on:** none",
        "**Depends on:** 015/001",
    );
    check(
        &files(&[
            ("issues/backlog/swe-feature-001.md", &names_itself),
            ("docs/stories/015-login.md", &story("In Progress", 1)),
            ("docs/stories/016-saved-views.md", &other_story),
        ]),
        expect![[r#""#]],
    );
}

// duplicate-id

#[test]
fn duplicate_id_fires() {
    // The same number for two experts, the same file in two status folders,
    // and two tasks numbered 002 in one story.
    let tasks = edit(
        &story("In Progress", 3),
        "### 003: Step 3",
        "### 002: Step 3",
    );
    let tasks = edit(&tasks, "**Depends on:** 002", "**Depends on:** 001");
    check(
        &files(&[
            ("issues/backlog/swe-feature-007.md", ISSUE),
            ("issues/backlog/qa-feature-007.md", QA_ISSUE),
            ("issues/backlog/swe-feature-008.md", ISSUE),
            (
                "issues/done/swe-feature-008.md",
                &edit(
                    &edit(ISSUE, "**Status:** backlog", "**Status:** done"),
                    "- [ ] Warehouse manager sees yesterday's shipments in the shipment list by 06:00\n- [ ]",
                    "- [x] Warehouse manager sees yesterday's shipments in the shipment list by 06:00\n- [x]",
                ),
            ),
            ("docs/stories/015-login.md", &tasks),
        ]),
        expect![[r#"
            docs/stories/015-login.md:29:5 duplicate-id: task `story-015/002` is defined 2 times
                = docs/stories/015-login.md:38:5 `story-015/002` is also defined here
            docs/stories/015-login.md:38:5 duplicate-id: task `story-015/002` is defined 2 times
                = docs/stories/015-login.md:29:5 `story-015/002` is also defined here
            issues/backlog/qa-feature-007.md:1:3 duplicate-id: issue number 007 is also used by `swe-feature-007`; issue numbers are unique across experts and types
                = issues/backlog/swe-feature-007.md:1:3 `swe-feature-007` uses the same number
            issues/backlog/swe-feature-007.md:1:3 duplicate-id: issue number 007 is also used by `qa-feature-007`; issue numbers are unique across experts and types
                = issues/backlog/qa-feature-007.md:1:3 `qa-feature-007` uses the same number
            issues/backlog/swe-feature-008.md:1:3 duplicate-id: issue `swe-feature-008` is defined 2 times
                = issues/done/swe-feature-008.md:1:3 `swe-feature-008` is also defined here
            issues/done/swe-feature-008.md:1:3 duplicate-id: issue `swe-feature-008` is defined 2 times
                = issues/backlog/swe-feature-008.md:1:3 `swe-feature-008` is also defined here
        "#]],
    );
}

#[test]
fn duplicate_id_near_miss() {
    // Close numbers, task numbers that repeat across stories, a milestone
    // spec numbered like an issue, and a number past 999.
    let other_story = edit(&story("In Progress", 2), "# Story 015", "# Story 016");
    check(
        &files(&[
            ("issues/backlog/swe-feature-007.md", ISSUE),
            ("issues/backlog/qa-feature-070.md", QA_ISSUE),
            ("issues/backlog/swe-feature-1007.md", ISSUE),
            ("docs/stories/015-login.md", &story("In Progress", 2)),
            ("docs/stories/016-saved-views.md", &other_story),
            (
                "docs/03-build-notes/milestones/m3/07-exception-rules.md",
                "# 07: Detect delivery exceptions\n\n## Acceptance Criteria\n\n- [ ] A \"damaged\" event flags the shipment within 5 minutes\n",
            ),
        ]),
        expect![[r#""#]],
    );
}

// unreadable-file

#[test]
fn unreadable_file_fires() {
    let mut ws = workspace(&files(&[("issues/backlog/swe-feature-001.md", ISSUE)])).workspace;
    ws.set_unreadable(
        "issues/backlog/swe-feature-002.md",
        "cannot be read: permission denied".into(),
    );
    expect![[r#"
        issues/backlog/swe-feature-002.md:1:1 unreadable-file: `issues/backlog/swe-feature-002.md` cannot be read: permission denied
    "#]].assert_eq(&render(&ws, &check_workspace(&ws)));
}

#[test]
fn unreadable_file_near_miss() {
    // CRLF line endings and a byte-order mark are read fine.
    let crlf = ISSUE.replace('\n', "\r\n");
    let bom = format!(
        "\u{feff}{}",
        edit(
            ISSUE,
            "**Dependencies:** none",
            "**Dependencies:** swe-feature-001"
        )
    );
    check(
        &files(&[
            ("issues/backlog/swe-feature-001.md", &crlf),
            ("issues/backlog/swe-feature-002.md", &bom),
        ]),
        expect![[r#""#]],
    );
}

// placeholder-text

#[test]
fn placeholder_text_fires() {
    let template = "\
# [Short descriptive title]

**Type:** feature
**Expert:** swe
**Milestone:** M1
**Status:** backlog

## User Story

As a [persona], I need [feature / capability] so that [value proposition].

## Acceptance Criteria

- [ ] Warehouse manager sees yesterday's shipments in the shipment list by 06:00
- [ ] [Another criterion]

## Technical Notes

**Estimated effort:** Small session
**Dependencies:** none
";
    check(
        &files(&[("issues/backlog/swe-feature-001.md", template)]),
        expect![[r#"
            issues/backlog/swe-feature-001.md:1:3 placeholder-text: template placeholder `[Short descriptive title]` was left unfilled
            issues/backlog/swe-feature-001.md:10:6 placeholder-text: template placeholder `[persona]` was left unfilled
            issues/backlog/swe-feature-001.md:10:24 placeholder-text: template placeholder `[feature / capability]` was left unfilled
            issues/backlog/swe-feature-001.md:10:55 placeholder-text: template placeholder `[value proposition]` was left unfilled
            issues/backlog/swe-feature-001.md:15:7 placeholder-text: template placeholder `[Another criterion]` was left unfilled
        "#]],
    );
}

#[test]
fn placeholder_text_near_miss() {
    // A milestone group in brackets, a link whose text is a placeholder
    // word, a placeholder quoted in inline code, and placeholder words
    // indexing arrays in prose about code.
    let text = edit(
        ISSUE,
        "**Milestone:** M1",
        "**Milestone:** [Carrier Integrations] Carrier event ingest (M2)",
    );
    let text = edit(
        &text,
        "**Inputs:** docs/project-brief.md",
        "**Inputs:** [description](docs/project-brief.md), the `[Another criterion]` line of the template, and tenant.tenantList[number].info or rows()[type]",
    );
    check(
        &files(&[("issues/backlog/swe-feature-001.md", &text)]),
        expect![[r#""#]],
    );
}

#[test]
fn placeholder_text_reads_the_template_formats_only() {
    // A Backlog.md task's and an OpenSpec spec's prose name slots of paths
    // and formats in brackets; spec-kit's template leftovers are still
    // placeholders.
    let backlog = "---\nid: task-1\ntitle: Export\nstatus: To Do\n---\n\n## Description\n\nServe `GET /api/[type]` as [Title] - [Description].\n";
    let openspec = "## Requirements\n### Requirement: Export\nThe system SHALL name files [Title].csv.\n\n#### Scenario: Named\n- **WHEN** exported\n- **THEN** the file is [Description].csv\n";
    let tasks = "# Tasks: [Title]\n\n## Phase 1: Setup\n\n- [ ] T001 Create the project\n";
    check(
        &files(&[
            ("backlog/tasks/task-1 - Export.md", backlog),
            ("openspec/specs/export/spec.md", openspec),
            ("specs/001-export/tasks.md", tasks),
        ]),
        expect![[r#"
            specs/001-export/tasks.md:1:1 speckit-missing-spec: the feature has no `specs/001-export/spec.md`: its user stories and requirements cannot be checked; write the spec (`/speckit.specify`) or restore it
            specs/001-export/tasks.md:1:10 placeholder-text: template placeholder `[Title]` was left unfilled
        "#]],
    );
}

// status-folder-mismatch

#[test]
fn status_folder_mismatch_fires() {
    check(
        &files(&[
            ("issues/done/swe-feature-004.md", ISSUE),
            (
                "issues/in-progress/swe-feature-005.md",
                &edit(ISSUE, "**Status:** backlog", "**Status:** planned"),
            ),
        ]),
        expect![[r#"
            issues/done/swe-feature-004.md:6:13 status-folder-mismatch: status `backlog` disagrees with the `done/` folder this file is in
            issues/done/swe-feature-004.md:14:3 done-with-open-criteria: issue `swe-feature-004` is done but 2 of its 2 acceptance criteria are unchecked
            issues/in-progress/swe-feature-005.md:6:13 status-folder-mismatch: status `planned` disagrees with the `in-progress/` folder this file is in
        "#]],
    );
}

#[test]
fn status_folder_mismatch_near_miss() {
    // Case, spaces, notes in parentheses and done synonyms do not matter,
    // and a file without a Status takes it from its folder. (`Complete` is
    // outside the default status vocabulary: unknown-value says so.)
    let checked = ISSUE.replace("- [ ]", "- [x]");
    check(
        &files(&[
            (
                "issues/in-progress/swe-feature-001.md",
                &edit(ISSUE, "**Status:** backlog", "**Status:** In Progress"),
            ),
            (
                "issues/done/swe-feature-002.md",
                &edit(&checked, "**Status:** backlog", "**Status:** Complete"),
            ),
            (
                "issues/done/swe-feature-003.md",
                &edit(
                    &checked,
                    "**Status:** backlog",
                    "**Status:** done (2024-03-01)",
                ),
            ),
            (
                "issues/planned/swe-feature-004.md",
                &edit(ISSUE, "**Status:** backlog\n", ""),
            ),
        ]),
        expect![[r#"
            issues/done/swe-feature-002.md:6:13 unknown-value: `Complete` is not a known status (allowed: `backlog`, `planned`, `in-progress`, `done`)
        "#]],
    );
}

// done-with-open-criteria

#[test]
fn done_with_open_criteria_fires() {
    check(
        &files(&[
            (
                "issues/done/swe-feature-001.md",
                &edit(ISSUE, "**Status:** backlog", "**Status:** done"),
            ),
            // In `done/` without a Status line.
            (
                "issues/done/swe-feature-002.md",
                &edit(
                    &edit(ISSUE, "**Status:** backlog\n", ""),
                    "- [ ] Warehouse manager",
                    "- [x] Warehouse manager",
                ),
            ),
            ("docs/stories/015-login.md", &story("Done", 0)),
        ]),
        expect![[r#"
            docs/stories/015-login.md:11:3 done-with-open-criteria: story `story-015` is done but 2 of its 2 acceptance criteria are unchecked
            issues/done/swe-feature-001.md:14:3 done-with-open-criteria: issue `swe-feature-001` is done but 2 of its 2 acceptance criteria are unchecked
            issues/done/swe-feature-002.md:14:3 done-with-open-criteria: issue `swe-feature-002` is done but 1 of its 2 acceptance criteria is unchecked
        "#]],
    );
}

#[test]
fn done_with_open_criteria_near_miss() {
    // A done issue with every box checked (`[X]` too), and an in-progress
    // issue with open boxes.
    let done = edit(ISSUE, "**Status:** backlog", "**Status:** done")
        .replacen("- [ ]", "- [x]", 1)
        .replacen("- [ ]", "- [X]", 1);
    check(
        &files(&[
            ("issues/done/swe-feature-001.md", &done),
            (
                "issues/in-progress/swe-feature-002.md",
                &edit(ISSUE, "**Status:** backlog", "**Status:** in-progress"),
            ),
        ]),
        expect![[r#""#]],
    );
}

// done-with-open-dependency

#[test]
fn done_with_open_dependency_fires() {
    let done = edit(ISSUE, "**Status:** backlog", "**Status:** done").replace("- [ ]", "- [x]");
    check(
        &files(&[
            ("docs/roadmap.md", ROADMAP),
            (
                "issues/done/swe-feature-002.md",
                &edit(
                    &done,
                    "**Dependencies:** none",
                    "**Dependencies:** swe-feature-001, M2",
                ),
            ),
            ("issues/backlog/swe-feature-001.md", ISSUE),
        ]),
        expect![[r#"
            issues/done/swe-feature-002.md:20:19 done-with-open-dependency: `swe-feature-002` is done but its dependency `swe-feature-001` is not
            issues/done/swe-feature-002.md:20:36 done-with-open-dependency: `swe-feature-002` is done but its dependency `M2` is not
        "#]],
    );
}

#[test]
fn done_with_open_dependency_near_miss() {
    // Done on done work: a done issue, an issue in `done/` without a Status
    // line, and a milestone the roadmap marks done. An open issue may wait
    // on open work.
    let done = edit(ISSUE, "**Status:** backlog", "**Status:** done").replace("- [ ]", "- [x]");
    check(
        &files(&[
            ("docs/roadmap.md", ROADMAP),
            ("issues/done/swe-feature-001.md", &done),
            (
                "issues/done/swe-feature-002.md",
                &edit(&done, "**Status:** done\n", ""),
            ),
            (
                "issues/done/swe-feature-003.md",
                &edit(
                    &done,
                    "**Dependencies:** none",
                    "**Dependencies:** swe-feature-001 (done), swe-feature-002, M1",
                ),
            ),
            (
                "issues/backlog/swe-feature-004.md",
                &edit(
                    ISSUE,
                    "**Dependencies:** none",
                    "**Dependencies:** swe-feature-005",
                ),
            ),
            ("issues/backlog/swe-feature-005.md", ISSUE),
        ]),
        expect![[r#""#]],
    );
}

// unknown-value

#[test]
fn unknown_value_fires() {
    let issue = edit(ISSUE, "**Type:** feature", "**Type:** feture");
    let issue = edit(
        &issue,
        "**Estimated effort:** Medium session",
        "**Estimated effort:** Huge session",
    );
    let tasks = edit(
        &story("In Progress", 2),
        "**Domain:** backend",
        "**Domain:** frontend",
    );
    let tasks = edit(&tasks, "**Status:** pending", "**Status:** started");
    check(
        &files(&[
            ("issues/backlog/swe-feature-001.md", &issue),
            (
                "issues/backlog/ux-feature-002.md",
                &edit(ISSUE, "**Expert:** swe", "**Expert:** ux"),
            ),
            ("docs/stories/015-login.md", &tasks),
        ]),
        expect![[r#"
            docs/stories/015-login.md:21:13 unknown-value: `frontend` is not a known domain (allowed: `backend`, `compute`, `electron`, `packaging`)
            docs/stories/015-login.md:22:13 unknown-value: `started` is not a known status (allowed: `pending`, `in_progress`, `done`)
            issues/backlog/swe-feature-001.md:3:11 filename-mismatch: the file name says type `feature` but the Type field says `feture`
            issues/backlog/swe-feature-001.md:3:11 unknown-value: `feture` is not a known type (allowed: `feature`, `bug`, `techdebt`, `research`); did you mean `feature`?
            issues/backlog/swe-feature-001.md:19:23 unknown-value: `Huge session` is not a known estimated effort (allowed: `Small session`, `Medium session`, `Large session`)
            issues/backlog/ux-feature-002.md:4:13 unknown-value: `ux` is not a known expert (allowed: `swe`, `qa`, `devops`, `sa`, `pm`, `doc`, `system-architect`)
        "#]],
    );
}

#[test]
fn unknown_value_near_miss() {
    // Case, notes in parentheses, `session` left out, `in progress` for
    // `in_progress`, and values a project adds in `[vocabulary]`.
    let issue = edit(ISSUE, "**Type:** feature", "**Type:** Feature");
    let issue = edit(&issue, "**Expert:** swe", "**Expert:** SWE");
    let issue = edit(
        &issue,
        "**Estimated effort:** Medium session",
        "**Estimated effort:** Medium session (17 files)",
    );
    let small = edit(
        ISSUE,
        "**Estimated effort:** Medium session",
        "**Estimated effort:** small",
    );
    let tasks = edit(
        &story("In Progress", 2),
        "**Status:** pending",
        "**Status:** in progress",
    );
    let tasks = edit(&tasks, "**Domain:** backend", "**Domain:** weave");
    check(
        &files(&[
            ("planmark.toml", "[vocabulary]\nexperts = [\"swe\", \"qa\", \"devops\", \"sa\"]\ntypes = [\"feature\", \"bug\", \"techdebt\", \"research\"]\ndomains = [\"backend\", \"weave\"]\n"),
            ("issues/backlog/swe-feature-001.md", &issue),
            ("issues/backlog/swe-feature-002.md", &small),
            (
                "issues/backlog/sa-research-003.md",
                &edit(&edit(ISSUE, "**Expert:** swe", "**Expert:** sa"), "**Type:** feature", "**Type:** research"),
            ),
            ("docs/stories/015-login.md", &tasks),
        ]),
        expect![[r#""#]],
    );
}

// missing-field

#[test]
fn missing_field_fires() {
    let issue = edit(ISSUE, "**Milestone:** M1\n", "");
    let issue = edit(&issue, "**Type:** feature\n", "");
    let tasks = edit(
        &story("In Progress", 2),
        "**Domain:** backend\n**Status:** pending\n**Depends on:** none\n",
        "",
    );
    check(
        &files(&[
            ("issues/backlog/swe-feature-001.md", &issue),
            ("docs/stories/015-login.md", &tasks),
        ]),
        expect![[r#"
            docs/stories/015-login.md:20:5 missing-field: task `story-015/001` has no `**Domain:**` field
            docs/stories/015-login.md:20:5 missing-field: task `story-015/001` has no `**Status:**` field
            docs/stories/015-login.md:20:5 missing-field: task `story-015/001` has no `**Depends on:**` field
            issues/backlog/swe-feature-001.md:1:3 missing-field: issue `swe-feature-001` has no `**Type:**` field
            issues/backlog/swe-feature-001.md:1:3 missing-field: issue `swe-feature-001` has no `**Milestone:**` field
        "#]],
    );
}

#[test]
fn missing_field_near_miss() {
    // Labels in any case, no Status in a status folder, a list marker before
    // a label, and the `Depends:` / `Depends On:` variants of tasks.
    let issue = edit(ISSUE, "**Type:** feature", "**type:** feature");
    let issue = edit(&issue, "**Status:** backlog\n", "");
    let issue = edit(&issue, "**Milestone:** M1", "- **Milestone:** M1");
    let tasks = edit(
        &story("In Progress", 2),
        "**Depends on:** none",
        "**Depends:** none",
    );
    let tasks = edit(
        &tasks,
        "**Depends on:** 001",
        "**Depends On:** Task 001 (the endpoint)",
    );
    check(
        &files(&[
            ("issues/backlog/swe-feature-001.md", &issue),
            ("docs/stories/015-login.md", &tasks),
        ]),
        expect![[r#""#]],
    );
}

// filename-mismatch

#[test]
fn filename_mismatch_fires() {
    check(
        &files(&[
            ("issues/backlog/login-page.md", ISSUE),
            ("issues/backlog/swe-feature-7.md", ISSUE),
            ("issues/backlog/qa-feature-008.md", ISSUE),
            ("issues/backlog/swe-bug-009.md", ISSUE),
        ]),
        expect![[r#"
            issues/backlog/login-page.md:1:3 filename-mismatch: issue file `login-page.md` is not named `<expert>-<type>-<NNN>.md`
            issues/backlog/qa-feature-008.md:4:13 filename-mismatch: the file name says expert `qa` but the Expert field says `swe`
            issues/backlog/swe-bug-009.md:3:11 filename-mismatch: the file name says type `bug` but the Type field says `feature`
            issues/backlog/swe-feature-7.md:1:3 filename-mismatch: issue number `7` should be zero-padded to 3 digits (`swe-feature-007`)
        "#]],
    );
}

#[test]
fn filename_mismatch_near_miss() {
    // Values in another case or with a note, an expert written as its
    // initials in the file name, and a number past 999.
    let issue = edit(ISSUE, "**Expert:** swe", "**Expert:** SWE (backend)");
    let issue = edit(&issue, "**Type:** feature", "**Type:** Feature");
    check(
        &files(&[
            (
                "planmark.toml",
                "[vocabulary]\nexperts = [\"swe\", \"system-architect\"]\n",
            ),
            ("issues/backlog/swe-feature-001.md", &issue),
            (
                "issues/backlog/sa-feature-002.md",
                &edit(ISSUE, "**Expert:** swe", "**Expert:** system-architect"),
            ),
            ("issues/backlog/swe-feature-1000.md", ISSUE),
        ]),
        expect![[r#""#]],
    );
}

// index-out-of-sync

#[test]
fn index_out_of_sync_fires() {
    let index = "\
# Issues List

| File | Title | Status |
|------|-------|--------|
| swe-feature-001 | Import shipments from the nightly order export | planned |
| swe-feature-002 | Import parcels from the nightly export | backlog |
| swe-feature-099 | Removed issue | backlog |
";
    check(
        &files(&[
            ("issues/issues-list.md", index),
            ("issues/backlog/swe-feature-001.md", ISSUE),
            ("issues/backlog/swe-feature-002.md", ISSUE),
            ("issues/backlog/swe-feature-003.md", ISSUE),
        ]),
        expect![[r#"
            issues/issues-list.md:3:1 index-out-of-sync: the index has no row for `swe-feature-003`
            issues/issues-list.md:5:70 index-out-of-sync: the index says status `planned` but `swe-feature-001` is `backlog`
            issues/issues-list.md:6:21 index-out-of-sync: the index says title "Import parcels from the nightly export" but `swe-feature-002` says "Import shipments from the nightly order export"
            issues/issues-list.md:7:3 index-out-of-sync: the index lists `swe-feature-099`, but no such issue file exists
        "#]],
    );
}

#[test]
fn index_out_of_sync_reads_cells_as_markdown_and_done_in_any_words() {
    // A `|` in a title is `\|` in its cell; a done issue may be listed as
    // `✅ done`, `Done ✅`, `complete` or `✅`. `planned` for a backlog issue
    // is still a mismatch.
    let index = "\
| File | Title | Status |
|------|-------|--------|
| swe-feature-001 | Import \\| export shipments | ✅ done |
| swe-feature-002 | Import shipments from the nightly order export | Done ✅ |
| swe-feature-003 | Import shipments from the nightly order export | complete |
| swe-feature-004 | Import shipments from the nightly order export | ✅ |
| swe-feature-005 | Import shipments from the nightly order export | planned |
";
    let done = edit(
        &ISSUE.replace("- [ ]", "- [x]"),
        "**Status:** backlog",
        "**Status:** done",
    );
    check(
        &files(&[
            ("issues/issues-list.md", index),
            (
                "issues/done/swe-feature-001.md",
                &done.replace(
                    "Import shipments from the nightly order export",
                    "Import | export shipments",
                ),
            ),
            ("issues/done/swe-feature-002.md", &done),
            ("issues/done/swe-feature-003.md", &done),
            ("issues/done/swe-feature-004.md", &done),
            ("issues/backlog/swe-feature-005.md", ISSUE),
        ]),
        expect![[r#"
            issues/issues-list.md:7:70 index-out-of-sync: the index says status `planned` but `swe-feature-005` is `backlog`
        "#]],
    );
}

#[test]
fn index_out_of_sync_near_miss() {
    // Titles that differ only in case, backticks and a final period;
    // `In Progress` for `in-progress`; a file without a Status line listed
    // with its folder; and a Prerequisites column naming a missing issue.
    let index = "\
# Issues List

| File | Title | Prerequisites | Status |
|------|-------|---------------|--------|
| swe-feature-001 | import shipments from the `nightly` order export. | none | In Progress |
| [swe-feature-002](backlog/swe-feature-002.md) | Import shipments from the nightly order export | swe-feature-099 | planned |
";
    check(
        &files(&[
            ("issues/issues-list.md", index),
            (
                "issues/in-progress/swe-feature-001.md",
                &edit(ISSUE, "**Status:** backlog", "**Status:** in-progress"),
            ),
            (
                "issues/planned/swe-feature-002.md",
                &edit(ISSUE, "**Status:** backlog\n", ""),
            ),
            // Another issues folder, whose name starts like this one's: its
            // issues are not this index's business.
            (
                "planmark.toml",
                "[locations]\nissues = [\"issues-archive\"]\n",
            ),
            (
                "issues-archive/done/swe-feature-003.md",
                &edit(
                    &ISSUE.replace("- [ ]", "- [x]"),
                    "**Status:** backlog",
                    "**Status:** done",
                ),
            ),
        ]),
        expect![[r#""#]],
    );
}

// user-story-format

#[test]
fn user_story_format_fires() {
    let user_story = "As a warehouse manager, I need every order that leaves the warehouse to appear as a shipment so that I can answer \"where is this parcel?\" without opening the ERP.";
    check(
        &files(&[
            (
                "issues/backlog/swe-feature-001.md",
                &edit(
                    ISSUE,
                    user_story,
                    "The warehouse manager wants every order in ShipTrack.",
                ),
            ),
            (
                "issues/backlog/swe-feature-002.md",
                &edit(
                    ISSUE,
                    user_story,
                    "As a warehouse manager, I need every order to appear as a shipment.",
                ),
            ),
            (
                "docs/stories/015-login.md",
                &edit(
                    &story("In Progress", 1),
                    "As a dispatcher, I want to sign in",
                    "Dispatchers want to sign in",
                ),
            ),
        ]),
        expect![[r#"
            docs/stories/015-login.md:7:1 user-story-format: the user story does not start with "As a <persona>,": it should read "As a <persona>, I <need|want|desire> <capability> so that <value>"
            issues/backlog/swe-feature-001.md:10:1 user-story-format: the user story does not start with "As a <persona>,": it should read "As a <persona>, I <need|want|desire> <capability> so that <value>"
            issues/backlog/swe-feature-002.md:10:1 user-story-format: the user story has no "so that <value>" clause: it should read "As a <persona>, I <need|want|desire> <capability> so that <value>"
        "#]],
    );
}

#[test]
fn user_story_format_near_miss() {
    // QA and bug issues without a user story; `I want` and `I desire`; a
    // story in italics, in bold, in a block quote and wrapped over two lines.
    let user_story = "As a warehouse manager, I need every order that leaves the warehouse to appear as a shipment so that I can answer \"where is this parcel?\" without opening the ERP.";
    let variants = [
        "As an operations lead, I want parcels flagged early so that I can act before the customer calls.",
        "As a dispatcher I desire one-click views so that mornings are faster.",
        "*As a support agent, I need one queue so that nothing falls through the cracks.*",
        "> As a support agent, I need one queue so that nothing falls through the cracks.",
        "**As a** support agent, **I need** one queue **so that** nothing falls through the cracks.",
        "As a support agent, I need one queue of all parcels in exception\nso that nothing falls through the cracks.",
    ];
    let mut pairs: Vec<(String, String)> = vec![
        ("issues/backlog/qa-feature-001.md".into(), QA_ISSUE.into()),
        ("issues/backlog/swe-bug-002.md".into(), BUG_ISSUE.into()),
    ];
    for (i, v) in variants.iter().enumerate() {
        pairs.push((
            format!("issues/backlog/swe-feature-{:03}.md", i + 3),
            edit(ISSUE, user_story, v),
        ));
    }
    let pairs: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    check(&files(&pairs), expect![""]);
}

#[test]
fn user_story_with_non_ascii_persona() {
    // Lower-casing `İ` changes its length in UTF-8: positions must still be
    // those of the original text.
    let user_story = "As a warehouse manager, I need every order that leaves the warehouse to appear as a shipment so that I can answer \"where is this parcel?\" without opening the ERP.";
    check(
        &files(&[
            (
                "issues/backlog/swe-feature-001.md",
                &edit(
                    ISSUE,
                    user_story,
                    "As an İstanbul courier, I need the depot address so that I can deliver.",
                ),
            ),
            (
                "issues/backlog/swe-feature-002.md",
                &edit(ISSUE, user_story, "As a İİİ user, I need x so that y."),
            ),
            (
                "issues/backlog/swe-feature-003.md",
                &edit(
                    ISSUE,
                    user_story,
                    "As a user, I need the İİİ depot so that I can deliver.",
                ),
            ),
            (
                "issues/backlog/swe-feature-004.md",
                &edit(
                    ISSUE,
                    user_story,
                    "As an İİİİİİİİİİ clerk, I need écrans so that I can deliver.",
                ),
            ),
        ]),
        expect![[r#"
            issues/backlog/swe-feature-003.md:10:6 generic-persona: "user" is a generic persona: name who it is ("warehouse manager", not "user")
        "#]],
    );
}

// oversized-issue

fn with_criteria(n: usize) -> String {
    let criteria: String = (1..=n)
        .map(|i| format!("- [ ] Support agent can filter the list by column {i}\n"))
        .collect();
    edit(
        ISSUE,
        "- [ ] Warehouse manager sees yesterday's shipments in the shipment list by 06:00\n- [ ] Re-importing the same export file leaves the shipment count unchanged\n",
        &criteria,
    )
}

#[test]
fn oversized_issue_fires() {
    check(
        &files(&[
            ("issues/backlog/swe-feature-001.md", &with_criteria(9)),
            (
                "issues/backlog/swe-feature-002.md",
                &edit(
                    ISSUE,
                    "**Estimated effort:** Medium session",
                    "**Estimated effort:** Large session",
                ),
            ),
        ]),
        expect![[r#"
            issues/backlog/swe-feature-001.md:1:3 oversized-issue: 9 acceptance criteria (more than 8): this issue will not fit one session; split it
            issues/backlog/swe-feature-002.md:19:23 oversized-issue: a Large effort will not fit one session; split the issue
        "#]],
    );
}

#[test]
fn oversized_issue_near_miss() {
    // 8 criteria is the limit; boxes outside the Acceptance Criteria
    // section do not count; finished work is not split.
    let scope: String = (1..=6).map(|i| format!("- [ ] Scope item {i}\n")).collect();
    let with_scope = edit(
        &with_criteria(4),
        "## Acceptance Criteria",
        &format!("## Scope\n\n{scope}\n## Acceptance Criteria"),
    );
    check(
        &files(&[
            ("issues/backlog/swe-feature-001.md", &with_criteria(8)),
            ("issues/backlog/swe-feature-002.md", &with_scope),
            (
                "issues/done/swe-feature-003.md",
                &edit(
                    &with_criteria(11).replace("- [ ]", "- [x]"),
                    "**Status:** backlog",
                    "**Status:** done",
                ),
            ),
        ]),
        expect![[r#""#]],
    );
}

// oversized-story

#[test]
fn oversized_story_fires() {
    check(
        &files(&[("docs/stories/015-login.md", &story("In Progress", 15))]),
        expect![[r#"
            docs/stories/015-login.md:1:3 oversized-story: 15 tasks (more than 14): this story is too big; split it
        "#]],
    );
}

#[test]
fn oversized_story_near_miss() {
    // 14 tasks is the limit; a done story is not split any more.
    let done = story("Done", 20)
        .replace("- [ ]", "- [x]")
        .replace("**Status:** pending", "**Status:** done");
    check(
        &files(&[
            ("docs/stories/015-login.md", &story("In Progress", 14)),
            (
                "docs/stories/016-saved-views.md",
                &done.replace("# Story 015", "# Story 016"),
            ),
        ]),
        expect![[r#""#]],
    );
}

// unknown-milestone

#[test]
fn unknown_milestone_fires() {
    check(
        &files(&[
            ("docs/roadmap.md", ROADMAP),
            (
                "issues/backlog/swe-feature-001.md",
                &edit(ISSUE, "**Milestone:** M1", "**Milestone:** M9"),
            ),
            (
                "issues/backlog/swe-feature-002.md",
                &edit(
                    ISSUE,
                    "**Milestone:** M1",
                    "**Milestone:** Customer portal v2",
                ),
            ),
        ]),
        expect![[r#"
            issues/backlog/swe-feature-001.md:5:16 unknown-milestone: milestone `M9` is not defined in the roadmap
            issues/backlog/swe-feature-002.md:5:16 unknown-milestone: milestone `Customer portal v2` is not defined in the roadmap (write it as `M<n>` or as the roadmap's title)
        "#]],
    );
}

#[test]
fn unknown_milestone_near_miss() {
    // An ID, a title, `[Group] Title (M4)`, a title with another case, and
    // any milestone at all when there is no roadmap to compare with.
    let with = |m: &str| edit(ISSUE, "**Milestone:** M1", &format!("**Milestone:** {m}"));
    check(
        &files(&[
            ("docs/roadmap.md", ROADMAP),
            ("issues/backlog/swe-feature-001.md", &with("M4")),
            ("issues/backlog/swe-feature-002.md", &with("Tracking core")),
            (
                "issues/backlog/swe-feature-003.md",
                &with("[Customer Portal] Customer accounts and preferences (M4)"),
            ),
            (
                "issues/backlog/swe-feature-004.md",
                &with("carrier event ingest"),
            ),
        ]),
        expect![[r#""#]],
    );
    check(
        &files(&[(
            "issues/backlog/swe-feature-001.md",
            &edit(ISSUE, "**Milestone:** M1", "**Milestone:** M9"),
        )]),
        expect![[r#""#]],
    );
}

// generic-persona

#[test]
fn generic_persona_fires() {
    let user_story = "As a warehouse manager, I need every order that leaves the warehouse to appear as a shipment so that I can answer \"where is this parcel?\" without opening the ERP.";
    check(
        &files(&[
            (
                "issues/backlog/swe-feature-001.md",
                &edit(ISSUE, user_story, "As a user, I want an email when something goes wrong so that I can rearrange delivery."),
            ),
            (
                "issues/backlog/swe-feature-002.md",
                &edit(ISSUE, user_story, "As the User I need a search box so that I can find a parcel."),
            ),
            (
                "issues/backlog/swe-feature-003.md",
                &edit(ISSUE, user_story, "As a **user**, I need a search box\nso that I can find a parcel."),
            ),
            (
                "issues/backlog/swe-feature-004.md",
                &edit(ISSUE, user_story, "As someone\nwho ships, I need a search box so that I can find a parcel."),
            ),
            (
                "issues/backlog/swe-feature-005.md",
                &edit(ISSUE, user_story, "As a\nuser, I need a search box so that I can find a parcel."),
            ),
        ]),
        expect![[r#"
            issues/backlog/swe-feature-001.md:10:6 generic-persona: "user" is a generic persona: name who it is ("warehouse manager", not "user")
            issues/backlog/swe-feature-002.md:10:8 generic-persona: "User" is a generic persona: name who it is ("warehouse manager", not "user")
            issues/backlog/swe-feature-003.md:10:8 generic-persona: "user" is a generic persona: name who it is ("warehouse manager", not "user")
            issues/backlog/swe-feature-005.md:11:1 generic-persona: "user" is a generic persona: name who it is ("warehouse manager", not "user")
        "#]],
    );
}

#[test]
fn generic_persona_near_miss() {
    // Specific personas, even when they contain the word "user".
    let user_story = "As a warehouse manager, I need every order that leaves the warehouse to appear as a shipment so that I can answer \"where is this parcel?\" without opening the ERP.";
    check(
        &files(&[
            ("issues/backlog/swe-feature-001.md", ISSUE),
            (
                "issues/backlog/swe-feature-002.md",
                &edit(ISSUE, user_story, "As a power user of the dispatch console, I want keyboard shortcuts so that I can work without the mouse."),
            ),
            (
                "issues/backlog/swe-feature-003.md",
                &edit(ISSUE, user_story, "As an end-user support agent, I need a search box so that I can find a parcel."),
            ),
        ]),
        expect![[r#""#]],
    );
}

// vague-criterion

#[test]
fn vague_criterion_fires() {
    let text = edit(
        ISSUE,
        "- [ ] Re-importing the same export file leaves the shipment count unchanged",
        "- [ ] The new config module works correctly\n- [ ] Errors are handled properly\n- [ ] Import works as expected",
    );
    check(
        &files(&[("issues/backlog/swe-feature-001.md", &text)]),
        expect![[r#"
            issues/backlog/swe-feature-001.md:15:7 vague-criterion: "works correctly" cannot be verified: say what the persona can see or do
            issues/backlog/swe-feature-001.md:16:7 vague-criterion: "properly" cannot be verified: say what the persona can see or do
            issues/backlog/swe-feature-001.md:17:7 vague-criterion: "as expected" cannot be verified: say what the persona can see or do
        "#]],
    );
}

#[test]
fn vague_criterion_near_miss() {
    // Observable criteria, with the vague words inside other words.
    let text = edit(
        ISSUE,
        "- [ ] Re-importing the same export file leaves the shipment count unchanged",
        "- [ ] An improperly formatted date shows \"Invalid date in row 3\"\n- [ ] Correctly formatted rows are imported and the others are listed with the reason",
    );
    check(
        &files(&[("issues/backlog/swe-feature-001.md", &text)]),
        expect![""],
    );
}

// Suppression comments

/// An issue on which three rules fire: placeholder-text and vague-criterion
/// on its criteria, generic-persona on its user story.
const NOISY: &str = "\
# Import shipments

**Type:** feature
**Expert:** swe
**Milestone:** M1
**Status:** backlog

## User Story

As a user, I need every order to appear as a shipment so that I can find parcels.

## Acceptance Criteria

- [ ] The import works correctly
- [ ] [Another criterion]
- [ ] Errors are handled properly

## Technical Notes

**Estimated effort:** Small session
**Dependencies:** none
";

fn check_noisy(text: &str, expect: Expect) {
    check(
        &files(&[("issues/backlog/swe-feature-001.md", text)]),
        expect,
    );
}

#[test]
fn without_suppressions_every_rule_fires() {
    check_noisy(
        NOISY,
        expect![[r#"
        issues/backlog/swe-feature-001.md:10:6 generic-persona: "user" is a generic persona: name who it is ("warehouse manager", not "user")
        issues/backlog/swe-feature-001.md:14:7 vague-criterion: "works correctly" cannot be verified: say what the persona can see or do
        issues/backlog/swe-feature-001.md:15:7 placeholder-text: template placeholder `[Another criterion]` was left unfilled
        issues/backlog/swe-feature-001.md:16:7 vague-criterion: "properly" cannot be verified: say what the persona can see or do
    "#]],
    );
}

#[test]
fn disable_file() {
    check_noisy(
        &format!("<!-- planmark-disable-file vague-criterion -->\n{NOISY}"),
        expect![[r#"
            issues/backlog/swe-feature-001.md:11:6 generic-persona: "user" is a generic persona: name who it is ("warehouse manager", not "user")
            issues/backlog/swe-feature-001.md:16:7 placeholder-text: template placeholder `[Another criterion]` was left unfilled
        "#]],
    );
    check_noisy(
        &edit(
            NOISY,
            "**Dependencies:** none\n",
            "**Dependencies:** none\n\n<!-- planmark-disable-file -->\n",
        ),
        expect![[r#""#]],
    );
    check_noisy(
        &format!("<!-- planmark-disable-file generic-persona, placeholder-text -->\n{NOISY}"),
        expect![[r#"
            issues/backlog/swe-feature-001.md:15:7 vague-criterion: "works correctly" cannot be verified: say what the persona can see or do
            issues/backlog/swe-feature-001.md:17:7 vague-criterion: "properly" cannot be verified: say what the persona can see or do
        "#]],
    );
}

#[test]
fn disable_next_line() {
    check_noisy(
        &edit(
            NOISY,
            "- [ ] The import works correctly\n",
            "<!-- planmark-disable-next-line vague-criterion -->\n- [ ] The import works correctly\n",
        ),
        expect![[r#"
            issues/backlog/swe-feature-001.md:10:6 generic-persona: "user" is a generic persona: name who it is ("warehouse manager", not "user")
            issues/backlog/swe-feature-001.md:16:7 placeholder-text: template placeholder `[Another criterion]` was left unfilled
            issues/backlog/swe-feature-001.md:17:7 vague-criterion: "properly" cannot be verified: say what the persona can see or do
        "#]],
    );
    // Without rule names, every rule of the next line only.
    check_noisy(
        &edit(
            NOISY,
            "As a user,",
            "<!-- planmark-disable-next-line -->\nAs a user,",
        ),
        expect![[r#"
            issues/backlog/swe-feature-001.md:15:7 vague-criterion: "works correctly" cannot be verified: say what the persona can see or do
            issues/backlog/swe-feature-001.md:16:7 placeholder-text: template placeholder `[Another criterion]` was left unfilled
            issues/backlog/swe-feature-001.md:17:7 vague-criterion: "properly" cannot be verified: say what the persona can see or do
        "#]],
    );
    // The comment is not part of the user story it stands before.
    check_noisy(
        &edit(
            NOISY,
            "As a user,",
            "<!-- planmark-disable-next-line generic-persona -->\nAs a user,",
        ),
        expect![[r#"
            issues/backlog/swe-feature-001.md:15:7 vague-criterion: "works correctly" cannot be verified: say what the persona can see or do
            issues/backlog/swe-feature-001.md:16:7 placeholder-text: template placeholder `[Another criterion]` was left unfilled
            issues/backlog/swe-feature-001.md:17:7 vague-criterion: "properly" cannot be verified: say what the persona can see or do
        "#]],
    );
    // A rule that does not fire on that line suppresses nothing.
    check_noisy(
        &edit(
            NOISY,
            "- [ ] [Another criterion]\n",
            "<!-- planmark-disable-next-line vague-criterion -->\n- [ ] [Another criterion]\n",
        ),
        expect![[r#"
            issues/backlog/swe-feature-001.md:10:6 generic-persona: "user" is a generic persona: name who it is ("warehouse manager", not "user")
            issues/backlog/swe-feature-001.md:14:7 vague-criterion: "works correctly" cannot be verified: say what the persona can see or do
            issues/backlog/swe-feature-001.md:16:7 placeholder-text: template placeholder `[Another criterion]` was left unfilled
            issues/backlog/swe-feature-001.md:17:7 vague-criterion: "properly" cannot be verified: say what the persona can see or do
        "#]],
    );
}

#[test]
fn disable_and_enable() {
    // From `disable` to `enable`, only the named rule is silent.
    check_noisy(
        &edit(
            &edit(
                NOISY,
                "## Acceptance Criteria\n",
                "## Acceptance Criteria\n\n<!-- planmark-disable vague-criterion -->\n",
            ),
            "- [ ] Errors are handled properly\n",
            "<!-- planmark-enable vague-criterion -->\n\n- [ ] Errors are handled properly\n",
        ),
        expect![[r#"
            issues/backlog/swe-feature-001.md:10:6 generic-persona: "user" is a generic persona: name who it is ("warehouse manager", not "user")
            issues/backlog/swe-feature-001.md:17:7 placeholder-text: template placeholder `[Another criterion]` was left unfilled
            issues/backlog/swe-feature-001.md:20:7 vague-criterion: "properly" cannot be verified: say what the persona can see or do
        "#]],
    );
    // `disable` without names silences every rule to the end of the file.
    check_noisy(
        &edit(
            NOISY,
            "## Acceptance Criteria\n",
            "## Acceptance Criteria\n\n<!-- planmark-disable -->\n",
        ),
        expect![[r#"
            issues/backlog/swe-feature-001.md:10:6 generic-persona: "user" is a generic persona: name who it is ("warehouse manager", not "user")
        "#]],
    );
    // `enable` without names ends every `disable` before it.
    check_noisy(
        &edit(
            &edit(
                NOISY,
                "## User Story\n",
                "<!-- planmark-disable generic-persona placeholder-text -->\n\n## User Story\n",
            ),
            "## Technical Notes",
            "<!-- planmark-enable -->\n\n## Technical Notes",
        ),
        expect![[r#"
            issues/backlog/swe-feature-001.md:16:7 vague-criterion: "works correctly" cannot be verified: say what the persona can see or do
            issues/backlog/swe-feature-001.md:18:7 vague-criterion: "properly" cannot be verified: say what the persona can see or do
        "#]],
    );
}

#[test]
fn suppressions_in_code_are_not_suppressions() {
    check_noisy(
        &format!("{NOISY}\n```markdown\n<!-- planmark-disable-file -->\n```\n\nWrite `<!-- planmark-disable -->` to silence a rule.\n"),
        expect![[r#"
            issues/backlog/swe-feature-001.md:10:6 generic-persona: "user" is a generic persona: name who it is ("warehouse manager", not "user")
            issues/backlog/swe-feature-001.md:14:7 vague-criterion: "works correctly" cannot be verified: say what the persona can see or do
            issues/backlog/swe-feature-001.md:15:7 placeholder-text: template placeholder `[Another criterion]` was left unfilled
            issues/backlog/swe-feature-001.md:16:7 vague-criterion: "properly" cannot be verified: say what the persona can see or do
        "#]],
    );
}

// `[rules]` in planmark.toml

#[test]
fn rules_config_off_and_severity() {
    check_severity(
        &files(&[
            (
                "planmark.toml",
                "[rules]\nvague-criterion = \"off\"\ngeneric-persona = \"error\"\nplaceholder-text = { severity = \"hint\" }\n",
            ),
            ("issues/backlog/swe-feature-001.md", NOISY),
        ]),
        expect![[r#"
            issues/backlog/swe-feature-001.md:10:6 generic-persona (error): "user" is a generic persona: name who it is ("warehouse manager", not "user")
            issues/backlog/swe-feature-001.md:15:7 placeholder-text (hint): template placeholder `[Another criterion]` was left unfilled
        "#]],
    );
}

#[test]
fn rules_config_options() {
    let user_story = "As a warehouse manager, I need every order that leaves the warehouse to appear as a shipment so that I can answer \"where is this parcel?\" without opening the ERP.";
    check_severity(
        &files(&[
            (
                "planmark.toml",
                "\
[rules]
oversized-issue = { max-criteria = 10 }
oversized-story = { max-tasks = 3, severity = \"error\" }
generic-persona = { personas = [\"customer\", \"client\"] }
vague-criterion = { phrases = [\"is fast\"] }
",
            ),
            // 10 criteria: within the configured limit.
            ("issues/backlog/swe-feature-001.md", &with_criteria(10)),
            ("issues/backlog/swe-feature-002.md", &with_criteria(11)),
            (
                "issues/backlog/swe-feature-003.md",
                &edit(
                    &edit(
                        ISSUE,
                        user_story,
                        "As a customer, I need a search box so that I can find a parcel.",
                    ),
                    "- [ ] Re-importing the same export file leaves the shipment count unchanged",
                    "- [ ] The import is fast\n- [ ] The import works correctly",
                ),
            ),
            (
                "issues/backlog/swe-feature-004.md",
                &edit(
                    ISSUE,
                    user_story,
                    "As a user, I need a search box so that I can find a parcel.",
                ),
            ),
            ("docs/stories/015-login.md", &story("In Progress", 4)),
        ]),
        expect![[r#"
            docs/stories/015-login.md:1:3 oversized-story (error): 4 tasks (more than 3): this story is too big; split it
            issues/backlog/swe-feature-002.md:1:3 oversized-issue (warning): 11 acceptance criteria (more than 10): this issue will not fit one session; split it
            issues/backlog/swe-feature-003.md:10:6 generic-persona (info): "customer" is a generic persona: name who it is ("warehouse manager", not "user")
            issues/backlog/swe-feature-003.md:15:7 vague-criterion (hint): "is fast" cannot be verified: say what the persona can see or do
        "#]],
    );
}

#[test]
fn rules_config_errors_name_the_rule_and_line() {
    let fixture = files(&[
        (
            "planmark.toml",
            "[vocabulary]\nexperts = [\"swe\", \"qa\"]\n\n[rules]\nvague-criterion = \"off\"\noversize-issue = { max-criteria = 10 }\nplaceholder-text = \"loud\"\n",
        ),
        ("issues/backlog/swe-feature-001.md", NOISY),
    ]);
    let ws = workspace(&fixture).workspace;
    let errors: String = ws
        .config_errors()
        .iter()
        .map(|e| format!("{}: {e}\n", e.line.map_or("?".into(), |l| l.to_string())))
        .collect();
    expect![[r#"
        6: `rules.oversize-issue`: unknown rule `oversize-issue` (did you mean `oversized-issue`?)
        7: `rules.placeholder-text`: unknown severity `loud` (expected off, error, warning, info or hint)
    "#]].assert_eq(&errors);
    // What parsed still applies: vague-criterion is off, the rest as default.
    expect![[r#"
        issues/backlog/swe-feature-001.md:10:6 generic-persona (info): "user" is a generic persona: name who it is ("warehouse manager", not "user")
        issues/backlog/swe-feature-001.md:15:7 placeholder-text (warning): template placeholder `[Another criterion]` was left unfilled
    "#]].assert_eq(&render_with_severity(&ws, &check_workspace(&ws)));
}

// Issue 16: the story format as real repositories write it.

/// The user story of `story()` with its value clause written as `clause`.
fn story_with_value_clause(clause: &str) -> String {
    edit(
        &story("In Progress", 1),
        "so that I can use any warehouse PC",
        &format!("{clause} use any warehouse PC"),
    )
}

#[test]
fn user_story_accepts_so_i_can() {
    for clause in ["so I can", "so we can", "in order to"] {
        let ws = workspace(&files(&[(
            "docs/stories/015-login.md",
            &story_with_value_clause(clause),
        )]))
        .workspace;
        assert_eq!(render(&ws, &check_workspace(&ws)), "", "{clause}");
    }
    // Without any value clause it still fires.
    check(
        &files(&[(
            "docs/stories/015-login.md",
            &story_with_value_clause("and then"),
        )]),
        expect![[r#"
            docs/stories/015-login.md:7:1 user-story-format: the user story has no "so that <value>" clause: it should read "As a <persona>, I <need|want|desire> <capability> so that <value>"
        "#]],
    );
}

#[test]
fn domains_split_on_plus_comma_slash_and() {
    for domain in [
        "backend + compute",
        "backend, electron",
        "backend/compute",
        "backend and packaging",
    ] {
        let text = edit(
            &story("In Progress", 1),
            "**Domain:** backend",
            &format!("**Domain:** {domain}"),
        );
        let ws = workspace(&files(&[("docs/stories/015-login.md", &text)])).workspace;
        assert_eq!(render(&ws, &check_workspace(&ws)), "", "{domain}");
    }
    // One unknown part is reported alone, at its own range.
    let text = edit(
        &story("In Progress", 1),
        "**Domain:** backend",
        "**Domain:** weave + compute",
    );
    check(
        &files(&[("docs/stories/015-login.md", &text)]),
        expect![[r#"
            docs/stories/015-login.md:21:13 unknown-value: `weave` is not a known domain (allowed: `backend`, `compute`, `electron`, `packaging`)
        "#]],
    );
}

#[test]
fn task_ids_keep_their_letter_suffix() {
    // 011a, 011b and 011c are three tasks, not three copies of 011.
    let text = story("In Progress", 2)
        + "\n### 002a: Step 2a\n**Domain:** backend\n**Status:** pending\n**Depends on:** 002\n\n### 002b: Step 2b\n**Domain:** backend\n**Status:** pending\n**Depends on:** 002a, 015/002A\n";
    check(
        &files(&[("docs/stories/015-login.md", &text)]),
        expect![[r#""#]],
    );
    // Two tasks with the same suffixed number still clash.
    let text = text.replace("### 002b: Step 2b", "### 002a: Step 2b");
    check(
        &files(&[("docs/stories/015-login.md", &text)]),
        expect![[r#"
            docs/stories/015-login.md:38:5 duplicate-id: task `story-015/002a` is defined 2 times
                = docs/stories/015-login.md:43:5 `story-015/002a` is also defined here
            docs/stories/015-login.md:43:5 duplicate-id: task `story-015/002a` is defined 2 times
                = docs/stories/015-login.md:38:5 `story-015/002a` is also defined here
            docs/stories/015-login.md:46:17 self-dependency: `story-015/002a` depends on itself
            docs/stories/015-login.md:46:23 self-dependency: `story-015/002a` depends on itself
        "#]],
    );
}

#[test]
fn dependency_links_to_story_files() {
    let with_link = |target: &str| {
        edit(
            &story("In Progress", 1),
            "## Dependencies\n\n- None\n",
            &format!("## Dependencies\n\n- It can be done after [Project Setup story is done]({target}).\n"),
        )
    };
    let setup = edit(&story("In Progress", 1), "Story 015", "Story 001");
    // A link to a file that exists is a dependency on its story: silent.
    check(
        &files(&[
            ("stories/001-project-setup.md", &setup),
            ("stories/015-login.md", &with_link("001-project-setup.md")),
        ]),
        expect![""],
    );
    // A link to a missing file is dangling, even when the number it
    // starts with is a story's.
    check(
        &files(&[
            ("stories/001-project-setup.md", &setup),
            ("stories/015-login.md", &with_link("001-setup.md")),
        ]),
        expect![[r#"
            stories/015-login.md:16:24 dangling-dependency: the link points at `stories/001-setup.md`, which is not a planning file of the workspace
        "#]],
    );
}

#[test]
fn template_files_are_not_checked() {
    let template = "# Story NNN: [Short title]\n\n## User Story\n\nAs a [persona], I want [feature / capability] so that [value proposition].\n\n## Tasks\n\n### 001: [Title]\n";
    check(
        &files(&[
            ("docs/stories/000-story-template.md", template),
            ("docs/stories/015-login.md", &story("In Progress", 1)),
        ]),
        expect![[r#""#]],
    );
    // The same text under a story's name is checked.
    check(
        &files(&[("docs/stories/000-story.md", template)]),
        expect![[r#"
            docs/stories/000-story.md:1:3 missing-acceptance-criteria: story `story-000` has no `## Acceptance Criteria` section
            docs/stories/000-story.md:1:14 placeholder-text: template placeholder `[Short title]` was left unfilled
            docs/stories/000-story.md:5:6 placeholder-text: template placeholder `[persona]` was left unfilled
            docs/stories/000-story.md:5:24 placeholder-text: template placeholder `[feature / capability]` was left unfilled
            docs/stories/000-story.md:5:55 placeholder-text: template placeholder `[value proposition]` was left unfilled
            docs/stories/000-story.md:9:5 missing-field: task `story-000/001` has no `**Domain:**` field
            docs/stories/000-story.md:9:5 missing-field: task `story-000/001` has no `**Status:**` field
            docs/stories/000-story.md:9:5 missing-field: task `story-000/001` has no `**Depends on:**` field
            docs/stories/000-story.md:9:10 placeholder-text: template placeholder `[Title]` was left unfilled
        "#]],
    );
}

// done-with-open-tasks

#[test]
fn done_with_open_tasks_fires() {
    let text = edit(
        &story("Done", 3),
        "- [ ] Dispatcher receives",
        "- [x] Dispatcher receives",
    );
    let text = edit(&text, "- [ ] The link signs", "- [x] The link signs");
    let text = text.replacen("**Status:** pending", "**Status:** done", 1);
    check(
        &files(&[("docs/stories/015-login.md", &text)]),
        expect![[r#"
            docs/stories/015-login.md:3:13 done-with-open-tasks: story `story-015` is done but 2 tasks are not (first task `story-015/002`): mark them done or reopen the story
        "#]],
    );
}

/// A story without a Status of its own is done by its row in the stories
/// index: the message says so, since the story's file shows no status.
#[test]
fn done_with_open_tasks_names_the_index_that_says_done() {
    let no_status = edit(&story("x", 2), "**Status:** x\n\n", "");
    check(
        &files(&[
            ("docs/stories/015-login.md", &no_status),
            (
                "docs/stories/README.md",
                "# Stories\n\n| # | Title | Status |\n|---|---|---|\n| 015 | Dispatcher sign-in for the desktop console | ✅ done |\n",
            ),
        ]),
        expect![[r#"
            docs/stories/015-login.md:1:3 done-with-open-tasks: story `story-015` is done (as `docs/stories/README.md` says) but 2 tasks are not (first task `story-015/001`): mark them done or reopen the story
        "#]],
    );
}

#[test]
fn done_with_open_tasks_near_miss() {
    // Every task done, or the story still in progress.
    let done = edit(
        &story("Done", 2),
        "- [ ] Dispatcher receives",
        "- [x] Dispatcher receives",
    );
    let done = edit(&done, "- [ ] The link signs", "- [x] The link signs");
    let done = done.replace("**Status:** pending", "**Status:** done");
    check(
        &files(&[
            ("docs/stories/015-login.md", &done),
            (
                "docs/stories/016-login.md",
                &story("In Progress", 2).replace("Story 015", "Story 016"),
            ),
        ]),
        expect![[r#""#]],
    );
}

#[test]
fn plan_treats_tasks_of_a_done_story_as_done() {
    // `plan` must not offer the pending tasks of a finished story as ready.
    let ws = workspace(&files(&[("docs/stories/015-login.md", &story("Done", 2))])).workspace;
    let ctx = planmark::analysis::rules::Context::new(&ws);
    let plan = planmark::analysis::plan::plan(&ctx.graph);
    assert!(plan.ready.is_empty(), "{:?}", plan.ready);
    assert!(ctx.is_done("story-015/001") && ctx.is_done("story-015/002"));
}

// missing-story-status

#[test]
fn missing_story_status_fires() {
    let no_status = edit(&story("x", 1), "**Status:** x\n\n", "").replace("Story 015", "Story 017");
    check(
        &files(&[
            ("docs/stories/015-login.md", &story("In Progress", 1)),
            (
                "docs/stories/016-views.md",
                &story("Planned", 1).replace("Story 015", "Story 016"),
            ),
            ("docs/stories/017-export.md", &no_status),
        ]),
        expect![[r#"
            docs/stories/017-export.md:1:3 missing-story-status: story `story-017` has no Status, while 2 of the 2 other stories in `docs/stories/` have one
        "#]],
    );
}

#[test]
fn missing_story_status_near_miss() {
    // A `## Status` section is a status; a folder where most stories have
    // none has no habit to break; another folder's stories do not count.
    let no_status = edit(&story("x", 1), "**Status:** x\n\n", "");
    let section = edit(
        &story("x", 1),
        "**Status:** x\n",
        "## Status\n\nIn Progress\n",
    );
    check(
        &files(&[
            ("docs/stories/015-login.md", &section),
            (
                "docs/stories/016-views.md",
                &story("Planned", 1).replace("Story 015", "Story 016"),
            ),
            (
                "other/stories/017-export.md",
                &no_status.replace("Story 015", "Story 017"),
            ),
            (
                "other/stories/018-export.md",
                &no_status.replace("Story 015", "Story 018"),
            ),
            (
                "other/stories/019-export.md",
                &story("Planned", 1).replace("Story 015", "Story 019"),
            ),
        ]),
        expect![[r#""#]],
    );
}

// filename-mismatch of stories

#[test]
fn story_title_number_disagrees_with_file_name() {
    check(
        &files(&[(
            "docs/stories/009-login.md",
            &story("In Progress", 1).replace("Story 015", "Story 008"),
        )]),
        expect![[r#"
            docs/stories/009-login.md:1:3 filename-mismatch: the title says story 008 but the file name `009-login.md` says 009
        "#]],
    );
    // `Story 9`, `Story 009` and a title without a number agree.
    check(
        &files(&[
            (
                "docs/stories/009-login.md",
                &story("In Progress", 1).replace("Story 015", "Story 9"),
            ),
            (
                "docs/stories/015-login.md",
                &story("In Progress", 1).replace("Story 015: ", ""),
            ),
        ]),
        expect![[r#""#]],
    );
}

// The stories index (`stories/README.md`)

/// A story without a Status, numbered `n`, with `tasks` pending tasks.
fn story_without_status(n: u32, tasks: usize) -> String {
    edit(&story("x", tasks), "**Status:** x\n\n", "").replace("Story 015", &format!("Story {n:03}"))
}

#[test]
fn stories_index_gives_the_status() {
    // Fourteen finished stories were listed as Ready: the index says they
    // are done, and their files say nothing.
    let index = "# Stories\n\n| # | Story | Status |\n|---|---|---|\n| 001 | Dispatcher sign-in for the desktop console | ✅ Done |\n| 002 | Dispatcher sign-in for the desktop console | 🚧 In Progress |\n";
    let done_criteria = |text: String| {
        text.replace("- [ ] Dispatcher", "- [x] Dispatcher")
            .replace("- [ ] The link", "- [x] The link")
            .replace("**Status:** pending", "**Status:** done")
    };
    let ws = workspace(&files(&[
        ("docs/stories/README.md", index),
        (
            "docs/stories/001-setup.md",
            &done_criteria(story_without_status(1, 2)),
        ),
        ("docs/stories/002-login.md", &story_without_status(2, 1)),
        (
            "docs/stories/003-export.md",
            &story("In Progress", 1).replace("Story 015", "Story 003"),
        ),
    ]))
    .workspace;
    let ctx = planmark::analysis::rules::Context::new(&ws);
    let plan = planmark::analysis::plan::plan(&ctx.graph);
    assert!(ctx.is_done("story-001"));
    assert!(
        !plan.ready.iter().any(|id| id.starts_with("story-001")),
        "{:?}",
        plan.ready
    );
    assert!(
        plan.ready.iter().any(|id| id == "story-002/001"),
        "{:?}",
        plan.ready
    );
    // Neither story misses a status: the index gives each one.
    expect![[r#""#]].assert_eq(&render(&ws, &check_workspace(&ws)));
}

#[test]
fn stories_index_out_of_sync_fires() {
    let index = "# Stories\n\n| # | Story | Status |\n|---|---|---|\n| 015 | Dispatcher sign-in for the web console | ✅ Done |\n| 016 | Saved views | Planned |\n| 015 | Dispatcher sign-in | Done |\n";
    check(
        &files(&[
            ("docs/stories/README.md", index),
            ("docs/stories/015-login.md", &story("In Progress", 1)),
        ]),
        expect![[r#"
            docs/stories/README.md:5:9 index-out-of-sync: the stories index says title "Dispatcher sign-in for the web console" but `story-015` says "Dispatcher sign-in for the desktop console"
            docs/stories/README.md:5:50 index-out-of-sync: the stories index says status `✅ Done` but `story-015` is `In Progress`
            docs/stories/README.md:6:3 index-out-of-sync: the stories index lists `story-016`, but no such story file exists
            docs/stories/README.md:7:3 index-out-of-sync: the stories index lists `story-015` twice (first on line 5)
        "#]],
    );
}

#[test]
fn stories_index_out_of_sync_near_miss() {
    // Emoji before the status, a link as the title, other case and spacing,
    // and a story whose file has no Status (the index is its status).
    let index = "# Stories\n\n| # | Story | Status |\n|---|---|---|\n| 015 | [dispatcher  sign-in for the desktop console](015-login.md) | 🚧 In Progress |\n| 016 | Dispatcher sign-in for the desktop console | ✅ Done |\n";
    let done = story_without_status(16, 1)
        .replace("- [ ] Dispatcher", "- [x] Dispatcher")
        .replace("- [ ] The link", "- [x] The link")
        .replace("**Status:** pending", "**Status:** done");
    check(
        &files(&[
            ("docs/stories/README.md", index),
            ("docs/stories/015-login.md", &story("In Progress", 1)),
            ("docs/stories/016-views.md", &done),
        ]),
        expect![[r#""#]],
    );
}
