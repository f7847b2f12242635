//! Property tests of the splits on generated issues and stories: splitting
//! at any criterion or task keeps every criterion and task exactly once
//! across the two files, and creates no dangling reference and no cycle.

use std::collections::BTreeMap;
use std::sync::Arc;

use planmark::analysis::actions::{self, apply};
use planmark::analysis::fixture;
use planmark::analysis::model::ItemKind;
use planmark::analysis::rules::{check_workspace, Context};
use planmark::analysis::text::TextRange;
use planmark::analysis::workspace::{FileInput, Workspace};
use proptest::prelude::*;

fn split_and_reload(fixture_text: &str, title: &str) -> (Workspace, Workspace) {
    let fixture::Fixture {
        workspace: ws,
        cursor,
    } = fixture::workspace(fixture_text);
    let (rel, offset) = cursor.unwrap();
    let ctx = Context::new(&ws);
    let found = actions::code_actions(&ws, &ctx, &rel, TextRange::empty(offset));
    let action = found.iter().find(|a| a.title == title).unwrap_or_else(|| {
        panic!(
            "no `{title}`: {:?}",
            found.iter().map(|a| &a.title).collect::<Vec<_>>()
        )
    });
    let before: BTreeMap<String, String> = ws
        .files()
        .into_iter()
        .map(|f| (f.rel.clone(), f.text.to_string()))
        .collect();
    let after = apply::apply(&before, &action.changes).unwrap();
    let mut new = Workspace::new(ws.config().clone(), Vec::new());
    new.load(
        after
            .iter()
            .map(|(rel, text)| (rel.clone(), FileInput::Text(Arc::from(text.as_str()))))
            .collect(),
    );
    (ws, new)
}

fn assert_no_new_reference_problems(before: &Workspace, after: &Workspace) {
    let count = |ws: &Workspace, rule: &str| {
        check_workspace(ws)
            .iter()
            .filter(|d| d.rule == rule)
            .count()
    };
    for rule in ["dangling-dependency", "dependency-cycle", "self-dependency"] {
        assert_eq!(
            count(after, rule),
            count(before, rule),
            "{rule} after the split"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn issue_split_keeps_every_criterion_once(
        words in proptest::collection::vec("[a-z]{3,8}", 2..12),
        at_seed in 0usize..100,
        dependents in 0usize..3,
    ) {
        let n = words.len();
        let at = 1 + at_seed % (n - 1);
        let criteria: Vec<String> = words
            .iter()
            .enumerate()
            .map(|(i, w)| format!("The agent sees {w} number {i}"))
            .collect();
        let lines: String = criteria
            .iter()
            .enumerate()
            .map(|(i, c)| if i == at { format!("- [ ] $0{c}\n") } else { format!("- [ ] {c}\n") })
            .collect();
        let mut text = format!(
            "//- issues/backlog/swe-feature-001.md\n# Queue\n\n**Type:** feature\n**Expert:** swe\n**Milestone:** M1\n**Status:** backlog\n\n## Acceptance Criteria\n\n{lines}\n## Technical Notes\n\n**Dependencies:** none\n"
        );
        for d in 0..dependents {
            text.push_str(&format!(
                "//- issues/backlog/qa-feature-{:03}.md\n# QA {d}\n\n**Type:** feature\n**Expert:** qa\n**Milestone:** M1\n\n## Acceptance Criteria\n\n- [ ] Checked {d}\n\n## Notes\n\n**Depends on:** swe-feature-001\n",
                d + 2
            ));
        }
        let (before, after) = split_and_reload(&text, "Split issue here");
        let all: Vec<String> = after
            .items()
            .filter(|(f, i)| i.kind == ItemKind::Issue && f.rel.starts_with("issues/backlog/swe-"))
            .flat_map(|(_, i)| i.criteria.iter().map(|c| c.text.clone()))
            .collect();
        for c in &criteria {
            prop_assert_eq!(all.iter().filter(|t| *t == c).count(), 1, "{}", c);
        }
        prop_assert_eq!(all.len(), n);
        assert_no_new_reference_problems(&before, &after);
        // Every dependent now waits for both parts.
        let new_id = format!("swe-feature-{:03}", dependents + 2);
        prop_assert_eq!(after.dependents(&new_id).count(), dependents);
        prop_assert!(after.dependents("swe-feature-001").any(|d| d == new_id));
    }

    #[test]
    fn story_split_keeps_every_task_once(
        deps in proptest::collection::vec(proptest::collection::vec(any::<bool>(), 0..10), 2..10),
        at_seed in 0usize..100,
        external in proptest::option::of(0usize..10),
    ) {
        let n = deps.len();
        let at = 1 + at_seed % (n - 1);
        let mut tasks = String::new();
        for (i, mask) in deps.iter().enumerate() {
            // Each task waits for some earlier ones: never a cycle.
            let on: Vec<String> = (0..i).filter(|&j| mask.get(j).copied().unwrap_or(false)).map(|j| format!("{:03}", j + 1)).collect();
            let on = if on.is_empty() { "none".to_string() } else { on.join(", ") };
            let cursor = if i == at { "$0" } else { "" };
            tasks.push_str(&format!(
                "### {cursor}{:03}: Task title {i}\n**Domain:** backend\n**Status:** pending\n**Depends on:** {on}\n\nDo part {i}.\n\n---\n\n",
                i + 1
            ));
        }
        let mut text = format!(
            "//- docs/stories/015-big.md\n# Story 015: Big\n\n**Status:** pending\n\n## Acceptance Criteria\n\n- [ ] The dispatcher signs in\n\n## Tasks\n\n{tasks}"
        );
        if let Some(e) = external {
            text.push_str(&format!(
                "//- docs/stories/016-other.md\n# Story 016: Other\n\n**Status:** pending\n\n## Acceptance Criteria\n\n- [ ] The report shows\n\n## Tasks\n\n### 001: Report\n**Domain:** backend\n**Status:** pending\n**Depends on:** 015/{:03}\n\nReport.\n",
                e % n + 1
            ));
        }
        let (before, after) = split_and_reload(&text, "Split story here");
        let titles: Vec<String> = after
            .items()
            .filter(|(f, i)| i.kind == ItemKind::Task && f.rel.starts_with("docs/stories/") && !f.rel.contains("016-other"))
            .map(|(_, i)| i.title.clone())
            .collect();
        for i in 0..n {
            let title = format!("Task title {i}");
            prop_assert_eq!(titles.iter().filter(|t| **t == title).count(), 1, "{}", title);
        }
        prop_assert_eq!(titles.len(), n);
        assert_no_new_reference_problems(&before, &after);
    }
}
