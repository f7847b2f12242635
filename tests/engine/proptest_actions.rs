//! Property tests of the splits on generated issues and stories: splitting
//! at any criterion or task keeps every criterion and task exactly once
//! across the two files, and creates no dangling reference and no cycle.
//! And of the index: no action offered anywhere in a set of issues (done,
//! with mismatched statuses, without a Status, a doubled ID) puts an index
//! of any column order out of sync or leaves it linking a missing file.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use planmark::analysis::actions::{self, apply};
use planmark::analysis::features::rename;
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
        .map(|f| (f.rel.to_string(), f.text.to_string()))
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
            .flat_map(|(f, i)| i.criteria.iter().map(|c| c.text(&f.text).to_string()))
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
            .map(|(_, i)| i.title.to_string())
            .collect();
        for i in 0..n {
            let title = format!("Task title {i}");
            prop_assert_eq!(titles.iter().filter(|t| **t == title).count(), 1, "{}", title);
        }
        prop_assert_eq!(titles.len(), n);
        assert_no_new_reference_problems(&before, &after);
    }
}

/// One issue of the index fixtures: where it is, what it says, and the
/// status its index row lists (one that agrees with the file).
struct Fixed {
    rel: &'static str,
    title: &'static str,
    status: &'static str,
    listed: &'static str,
    milestone: &'static str,
    deps: &'static str,
    criteria: &'static [&'static str],
}

const FIXED: &[Fixed] = &[
    Fixed {
        rel: "backlog/swe-feature-001",
        title: "Shipment list",
        status: "backlog",
        listed: "backlog",
        milestone: "M1",
        deps: "none",
        criteria: &["- [ ] The manager sees the shipment list"],
    },
    Fixed {
        rel: "done/swe-feature-002",
        title: "Carrier sync",
        status: "done",
        listed: "done",
        milestone: "M1",
        deps: "swe-feature-001",
        criteria: &[
            "- [x] Events arrive from DHL",
            "- [x] Events arrive from UPS",
            "- [x] Events arrive from FedEx",
            "- [x] Duplicates are dropped",
            "- [x] Late events are ordered by time",
            "- [ ] Failed calls are retried",
            "- [x] The sync status is shown",
            "- [ ] A stalled sync raises an alert",
            "- [x] The last sync time is shown",
        ],
    },
    Fixed {
        rel: "backlog/swe-feature-003",
        title: "Label printing",
        status: "planned",
        listed: "planned",
        milestone: "M2",
        deps: "swe-feature-0001",
        criteria: &[
            "- [ ] The clerk prints a label",
            "- [ ] The clerk reprints a label",
        ],
    },
    Fixed {
        rel: "in-progress/qa-feature-004",
        title: "QA: Carrier sync pass",
        status: "done",
        listed: "in-progress",
        milestone: "M1",
        deps: "swe-feature-002",
        criteria: &["- [x] Every carrier is tested", "- [ ] Retries are tested"],
    },
    Fixed {
        rel: "planned/swe-bug-005",
        title: "Rate limit errors",
        status: "backlog",
        listed: "planned",
        milestone: "M2",
        deps: "none",
        criteria: &[
            "- [ ] A 429 is retried after the delay",
            "- [ ] The delay is logged",
        ],
    },
    Fixed {
        rel: "done/qa-feature-001",
        title: "QA: Shipment list pass",
        status: "Done",
        listed: "done",
        milestone: "M1",
        deps: "swe-feature-001",
        criteria: &["- [x] Every column is checked", "- [x] Sorting is checked"],
    },
    Fixed {
        rel: "done/swe-feature-006",
        title: "Invoice export",
        status: "",
        listed: "done",
        milestone: "M2",
        deps: "swe-feature-001",
        criteria: &[
            "- [x] Invoices export as CSV",
            "- [x] Invoices export as PDF",
            "- [x] The export names the month",
            "- [x] The export is emailed",
            "- [x] The export holds credit notes",
            "- [x] The export holds taxes",
            "- [x] The export is archived",
            "- [x] The export is signed",
            "- [x] The export is logged",
        ],
    },
    Fixed {
        rel: "in-progress/swe-feature-007",
        title: "Route planning",
        status: "",
        listed: "in-progress",
        milestone: "M2",
        deps: "swe-feature-006",
        criteria: &[
            "- [x] Routes are planned per driver",
            "- [ ] Routes avoid closed roads",
            "- [ ] Routes respect time windows",
        ],
    },
    Fixed {
        rel: "backlog/swe-feature-008",
        title: "Driver app sign-in",
        status: "planed",
        listed: "planed",
        milestone: "M2",
        deps: "swe-feature-007",
        criteria: &[
            "- [ ] The driver signs in with a code",
            "- [ ] A wrong code is refused",
        ],
    },
    // The same ID twice (one row): renumbering a copy adds a row.
    Fixed {
        rel: "backlog/swe-feature-009",
        title: "Depot list",
        status: "backlog",
        listed: "backlog",
        milestone: "M2",
        deps: "none",
        criteria: &["- [ ] The manager sees every depot"],
    },
    Fixed {
        rel: "planned/swe-feature-009",
        title: "Depot list",
        status: "backlog",
        listed: "backlog",
        milestone: "M2",
        deps: "none",
        criteria: &["- [ ] The manager sees every depot"],
    },
];

/// The index layouts: column headers, and how a row names its issue.
const LAYOUTS: &[(&[&str], bool)] = &[
    (&["File", "Title", "Status"], false),
    (
        &[
            "File",
            "Title",
            "Expert",
            "Type",
            "Milestone",
            "Status",
            "Notes",
        ],
        true,
    ),
    (&["Status", "Title", "ID", "Prerequisites"], false),
    (
        &["Issue", "Milestone", "Prerequisites", "Status", "Title"],
        true,
    ),
    (&["File", "Title"], false),
];

/// The fixture of one layout: every issue of [`FIXED`] and an index that
/// agrees with them.
fn index_fixture(columns: &[&str], links: bool) -> String {
    let mut out = String::new();
    for f in FIXED {
        let id = f.rel.rsplit_once('/').unwrap().1;
        let expert = id.split('-').next().unwrap();
        let kind = id.split('-').nth(1).unwrap();
        out.push_str(&format!(
            "//- issues/{}.md\n# {}\n\n**Type:** {kind}\n**Expert:** {expert}\n**Milestone:** {}\n{}\n## Acceptance Criteria\n\n{}\n\n## Technical Notes\n\n**Estimated effort:** Large session\n**Dependencies:** {}\n",
            f.rel,
            f.title,
            f.milestone,
            if f.status.is_empty() {
                String::new()
            } else {
                format!("**Status:** {}\n", f.status)
            },
            f.criteria.join("\n"),
            f.deps
        ));
    }
    out.push_str("//- issues/issues-list.md\n# Issues\n\n");
    out.push_str(&format!("| {} |\n", columns.join(" | ")));
    out.push_str(&format!("|{}\n", "---|".repeat(columns.len())));
    let mut listed = BTreeSet::new();
    for f in FIXED {
        let id = f.rel.rsplit_once('/').unwrap().1;
        if !listed.insert(id) {
            continue;
        }
        let cells: Vec<String> = columns
            .iter()
            .map(|c| match c.to_ascii_lowercase().as_str() {
                "file" | "id" | "issue" | "filename" if links => format!("[{id}]({}.md)", f.rel),
                "file" | "id" | "issue" | "filename" => id.to_string(),
                "title" => f.title.to_string(),
                "status" => f.listed.to_string(),
                "expert" => id.split('-').next().unwrap().to_string(),
                "type" => id.split('-').nth(1).unwrap().to_string(),
                "milestone" => f.milestone.to_string(),
                "prerequisites" | "dependencies" => f.deps.to_string(),
                "estimated effort" => "Large session".to_string(),
                _ => String::new(),
            })
            .collect();
        out.push_str(&format!("| {} |\n", cells.join(" | ")));
    }
    out
}

/// The `index-out-of-sync` findings of a workspace, by message.
fn index_findings(ws: &Workspace) -> BTreeSet<String> {
    check_workspace(ws)
        .into_iter()
        .filter(|d| d.rule == "index-out-of-sync")
        .map(|d| d.message)
        .collect()
}

/// The links of the index that lead to no file: `[id](folder/id.md)` after
/// its issue moved.
fn dead_links(files: &BTreeMap<String, String>) -> Vec<String> {
    let index = &files["issues/issues-list.md"];
    index
        .split("](")
        .skip(1)
        .filter_map(|rest| rest.split_once(')'))
        .map(|(target, _)| format!("issues/{target}"))
        .filter(|rel| !files.contains_key(rel))
        .collect()
}

/// Applies every action offered on any line of any file of the fixture of
/// one layout, `fix_all` of every file, and a rename of every issue's ID.
/// Returns how many were tried, and one line for each that added an
/// `index-out-of-sync` finding or a link in the index to a file that is not
/// there.
fn index_offenders(columns: &[&str], links: bool) -> (usize, Vec<String>) {
    let mut tried = 0;
    let mut offenders = Vec::new();
    let fixture::Fixture { workspace: ws, .. } = fixture::workspace(&index_fixture(columns, links));
    let ctx = Context::new(&ws);
    let before_findings = index_findings(&ws);
    assert!(
        before_findings.is_empty(),
        "the fixture's index is in sync: {before_findings:#?}"
    );
    let files: BTreeMap<String, String> = ws
        .files()
        .into_iter()
        .map(|f| (f.rel.to_string(), f.text.to_string()))
        .collect();
    assert_eq!(dead_links(&files), Vec::<String>::new());
    let mut offered: Vec<(String, actions::Action)> = Vec::new();
    for file in ws.files() {
        for line in 0..file.line_index().line_count() {
            let range = file.line_index().line_range(line);
            for a in actions::code_actions(&ws, &ctx, &file.rel, range) {
                if !offered
                    .iter()
                    .any(|(_, o)| o.title == a.title && o.changes == a.changes)
                {
                    offered.push((file.rel.to_string(), a));
                }
            }
        }
        offered.extend(actions::fix_all(&ws, &ctx, &file.rel).map(|a| (file.rel.to_string(), a)));
    }
    // A rename of each issue's ID (the file is renamed too).
    for (n, (file, item)) in ws
        .items()
        .filter(|(f, _)| f.rel.starts_with("issues/") && !f.rel.ends_with("-list.md"))
        .filter(|(_, i)| ws.definitions(&i.id).len() == 1)
        .enumerate()
    {
        let new_id = format!("{}-{:03}", item.id.rsplit_once('-').unwrap().0, 50 + n);
        let at = file.text.find(item.title.as_str()).unwrap_or(0);
        let result = rename::rename(&ws, &ctx, &file.rel, at, &new_id)
            .unwrap_or_else(|e| panic!("`{}` renames: {e}", item.id));
        let mut changes: Vec<actions::Change> = result
            .edits
            .into_iter()
            .map(|e| actions::Change::Edit {
                rel: e.rel,
                edits: vec![(e.range, e.new_text)],
            })
            .collect();
        changes = actions::merge(changes);
        changes.extend(
            result
                .file_renames
                .into_iter()
                .map(|r| actions::Change::RenameFile {
                    from: r.old_rel,
                    to: r.new_rel,
                }),
        );
        offered.push((
            file.rel.to_string(),
            actions::Action {
                title: format!("Rename `{}` to `{new_id}`", item.id),
                kind: actions::ActionKind::QuickFix,
                is_preferred: false,
                fixes: None,
                safe: false,
                changes,
            },
        ));
    }
    for (rel, action) in offered {
        tried += 1;
        let after_files = apply::apply(&files, &action.changes)
            .unwrap_or_else(|e| panic!("`{}` applies: {e}", action.title));
        let mut after = Workspace::new(ws.config().clone(), Vec::new());
        after.load(
            after_files
                .iter()
                .map(|(rel, text)| (rel.clone(), FileInput::Text(Arc::from(text.as_str()))))
                .collect(),
        );
        let added: Vec<String> = index_findings(&after)
            .difference(&before_findings)
            .cloned()
            .collect();
        let dead = dead_links(&after_files);
        if !added.is_empty() || !dead.is_empty() {
            offenders.push(format!(
                "{columns:?} {rel}: `{}` adds {added:?}, dead links {dead:?}",
                action.title
            ));
        }
    }
    (tried, offenders)
}

/// Every action on the fixture of every layout of [`LAYOUTS`] keeps the
/// index in sync. Prints how many actions were tried and how many did not.
#[test]
fn no_action_puts_the_index_out_of_sync() {
    let mut tried = 0;
    let mut offenders = Vec::new();
    for (columns, links) in LAYOUTS {
        let (n, found) = index_offenders(columns, *links);
        tried += n;
        offenders.extend(found);
    }
    eprintln!(
        "{} of {tried} actions put the index out of sync",
        offenders.len()
    );
    assert!(tried > 300, "only {tried} actions were tried");
    assert!(offenders.is_empty(), "{offenders:#?}");
}

/// Index columns an index may have besides the ID column.
const OTHER_COLUMNS: &[&str] = &[
    "Title",
    "Status",
    "Milestone",
    "Prerequisites",
    "Expert",
    "Type",
    "Notes",
    "Estimated Effort",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    /// The same for an index of any columns in any order, its files named
    /// plainly or linked.
    #[test]
    fn no_action_puts_any_index_out_of_sync(
        order in Just(OTHER_COLUMNS.to_vec()).prop_shuffle(),
        keep in 1usize..=8,
        id_column in prop::sample::select(vec!["File", "ID", "Issue", "Filename"]),
        id_at in 0usize..9,
        links in any::<bool>(),
    ) {
        let mut columns: Vec<&str> = order.into_iter().take(keep).collect();
        columns.insert(id_at.min(columns.len()), id_column);
        let (tried, offenders) = index_offenders(&columns, links);
        prop_assert!(tried > 40, "only {} actions were tried", tried);
        prop_assert!(offenders.is_empty(), "{:#?}", offenders);
    }
}
