//! Range invariants shared by `tests/engine/proptest_parse.rs`,
//! `tests/engine/robustness.rs` and the fuzz targets in `fuzz/`: every byte
//! range the engine hands out lies inside its file's text, on char
//! boundaries, with start <= end.
//!
//! The checks return the first violation as an error message instead of
//! panicking, so proptest can shrink and the fuzzer can print the input.

// The fuzz targets include this file too, each using part of it.
#![allow(dead_code)]

use std::collections::HashSet;

use planmark::analysis::graph::Graph;
use planmark::analysis::model::{FileFacts, FileKind, Item, ItemKind};
use planmark::analysis::plan::Plan;
use planmark::analysis::rules::Diagnostic;
use planmark::analysis::text::TextRange;
use planmark::analysis::workspace::Workspace;

/// Every file kind of the first workflow, in declaration order.
const CORE_KINDS: [FileKind; 8] = [
    FileKind::Issue,
    FileKind::Index,
    FileKind::Story,
    FileKind::StoryIndex,
    FileKind::Roadmap,
    FileKind::Brief,
    FileKind::MilestoneSpec,
    FileKind::MilestoneDoc,
];

/// One path for each role of each dialect's files.
const DIALECT_PATHS: &[&str] = &[
    ".kiro/specs/login/requirements.md",
    ".kiro/specs/login/tasks.md",
    "backlog/config.yml",
    "backlog/tasks/task-1 - Sign-in.md",
    "backlog/drafts/draft-1 - Passkeys.md",
    "backlog/completed/task-2 - Accounts.md",
    "backlog/archive/tasks/task-3 - Old.md",
    "backlog/decisions/decision-1 - Sessions.md",
    "backlog/docs/doc-1 - Guide.md",
    "specs/001-login/spec.md",
    "specs/001-login/plan.md",
    "specs/001-login/tasks.md",
    "docs/stories/1.2.login.story.md",
    "docs/stories/6.x.ideas.md",
    "docs/prd.md",
    "docs/prd/epic-1-accounts.md",
    "_bmad-output/implementation-artifacts/1-2-login.md",
    "_bmad-output/implementation-artifacts/sprint-status.yaml",
    "_bmad-output/planning-artifacts/epics.md",
    ".planning/PROJECT.md",
    ".planning/REQUIREMENTS.md",
    ".planning/ROADMAP.md",
    ".planning/STATE.md",
    ".planning/phases/01-login/01-01-PLAN.md",
    ".planning/phases/01-login/01-01-SUMMARY.md",
    ".milestones/active/milestone-001.yaml",
    ".milestones/completed/milestone-000.yaml",
    ".milestones/active/dependencies.yaml",
];

/// Every file kind: the first workflow's, then each dialect file role.
pub fn all_kinds() -> Vec<FileKind> {
    let config = planmark::analysis::config::Config::default();
    CORE_KINDS
        .into_iter()
        .chain(DIALECT_PATHS.iter().map(|path| {
            planmark::analysis::parse::classify(path, &config)
                .unwrap_or_else(|| panic!("no dialect reads `{path}`"))
        }))
        .collect()
}

/// A path that `classify` puts in `kind` under the default configuration.
pub fn path_for(kind: FileKind) -> &'static str {
    match kind {
        FileKind::Dialect(_) => {
            let config = planmark::analysis::config::Config::default();
            DIALECT_PATHS
                .iter()
                .find(|path| planmark::analysis::parse::classify(path, &config) == Some(kind))
                .unwrap_or_else(|| panic!("no path of `DIALECT_PATHS` is a {kind:?}"))
        }
        FileKind::Issue => "issues/backlog/swe-feature-001.md",
        FileKind::Index => "issues/issues-list.md",
        FileKind::Story => "docs/stories/015-login.md",
        FileKind::StoryIndex => "docs/stories/README.md",
        FileKind::Roadmap => "docs/roadmap.md",
        FileKind::Brief => "docs/project-brief.md",
        FileKind::MilestoneSpec => "docs/milestones/m3/01-exception-rules.md",
        FileKind::MilestoneDoc => "docs/milestones/m3/00-epic.md",
    }
}

/// `range` is inside `text`, not reversed, and both ends are char boundaries.
pub fn check_range(text: &str, range: TextRange, what: &str) -> Result<(), String> {
    if range.start() > range.end() {
        return Err(format!("{what}: reversed range {range:?}"));
    }
    if range.end() > text.len() {
        return Err(format!(
            "{what}: range {range:?} past the end of a {}-byte text",
            text.len()
        ));
    }
    if !text.is_char_boundary(range.start()) || !text.is_char_boundary(range.end()) {
        return Err(format!("{what}: range {range:?} splits a character"));
    }
    Ok(())
}

/// `text[range] == expected`, once the range itself is known to be valid.
fn check_text(text: &str, range: TextRange, expected: &str, what: &str) -> Result<(), String> {
    check_range(text, range, what)?;
    let got = &text[range.start()..range.end()];
    if got != expected {
        return Err(format!(
            "{what}: range {range:?} holds {got:?}, the facts say {expected:?}"
        ));
    }
    Ok(())
}

fn check_item(text: &str, item: &Item) -> Result<(), String> {
    let id = &item.id;
    check_range(text, item.def_range, &format!("{id} def_range"))?;
    check_range(text, item.range, &format!("{id} range"))?;
    for field in &item.fields {
        let what = format!("{id} field {:?}", field.label);
        // The label may not be written (a roadmap table's Status column
        // makes a `Status` field whose label range is the cell).
        check_range(text, field.label_range, &format!("{what} label"))?;
        check_range(text, field.value_range, &format!("{what} value"))?;
        let value = field.value(text);
        if value.trim() != value {
            return Err(format!("{what} value {value:?} has white space around it"));
        }
        check_range(text, field.line_range, &format!("{what} line"))?;
    }
    for section in &item.sections {
        check_range(text, section.title_range, &format!("{id} section title"))?;
        let what = format!("{id} section {:?}", section.title(text));
        check_range(text, section.heading_range, &format!("{what} heading"))?;
        check_range(text, section.range, &what)?;
    }
    for criterion in &item.criteria {
        check_range(text, criterion.text_range, &format!("{id} criterion text"))?;
        let written = criterion.text(text);
        let what = format!("{id} criterion {written:?}");
        if written.trim() != written {
            return Err(format!("{what} has white space around it"));
        }
        check_range(text, criterion.box_range, &format!("{what} box"))?;
        check_range(text, criterion.line_range, &format!("{what} line"))?;
    }
    for dep in &item.deps {
        check_range(
            text,
            dep.range,
            &format!("{id} dependency {:?}", dep.written),
        )?;
    }
    if let Some(range) = item.deps_field {
        check_range(text, range, &format!("{id} dependency field"))?;
    }
    if let Some(milestone) = &item.milestone {
        check_text(
            text,
            milestone.range,
            &milestone.written,
            &format!("{id} milestone"),
        )?;
    }
    if let Some((_, range)) = &item.status {
        check_range(text, *range, &format!("{id} status"))?;
    }
    Ok(())
}

/// Every range of a file's facts.
pub fn check_facts(text: &str, facts: &FileFacts) -> Result<(), String> {
    for item in &facts.items {
        check_item(text, item)?;
    }
    for reference in &facts.references {
        check_range(
            text,
            reference.range,
            &format!("reference {:?}", reference.written),
        )?;
    }
    if let Some(index) = &facts.index {
        check_range(text, index.table_range, "index table")?;
        for row in &index.rows {
            check_range(text, row.id_range, &format!("index row {} id", row.id))?;
            check_range(text, row.line_range, &format!("index row {} line", row.id))?;
            for cell in &row.cells {
                let what = format!("index row {} cell {}", row.id, cell.column);
                check_range(text, cell.range, &what)?;
                let value = cell.value(text);
                if value.trim() != value {
                    return Err(format!("{what}: {value:?} has white space around it"));
                }
            }
        }
    }
    for suppression in &facts.suppressions {
        check_range(text, suppression.range, "suppression")?;
    }
    for &placeholder in &facts.placeholders {
        check_range(text, placeholder, "placeholder")?;
    }
    for &ignored in &facts.ignored {
        check_range(text, ignored, "ignored range")?;
    }
    if let Some(pair) = facts.ignored.windows(2).find(|w| w[0].end() > w[1].start()) {
        return Err(format!(
            "ignored ranges {:?} and {:?} are not sorted and disjoint",
            pair[0], pair[1]
        ));
    }
    Ok(())
}

/// Every file's facts, every diagnostic's range and related ranges, against
/// the text of the file each names.
pub fn check_workspace_ranges(ws: &Workspace, diagnostics: &[Diagnostic]) -> Result<(), String> {
    for file in ws.files() {
        check_facts(&file.text, &file.facts).map_err(|e| format!("{}: {e}", file.rel))?;
    }
    for d in diagnostics {
        let what = format!("{} diagnostic {} ({})", d.rel, d.rule, d.message);
        match ws.file(&d.rel) {
            Some(file) => check_range(&file.text, d.range, &what)?,
            None if ws.unreadable().contains_key(&d.rel) => {
                if d.range != TextRange::empty(0) {
                    return Err(format!("{what}: unreadable file with range {:?}", d.range));
                }
            }
            None => return Err(format!("{what}: names a file the workspace does not have")),
        }
        for related in &d.related {
            let what = format!("{what} related {} ({})", related.rel, related.message);
            let file = ws
                .file(&related.rel)
                .ok_or_else(|| format!("{what}: names a file the workspace does not have"))?;
            check_range(&file.text, related.range, &what)?;
        }
    }
    Ok(())
}

/// Every unreadable file is reported as `unreadable-file`, with its path.
pub fn check_unreadable_reported(ws: &Workspace, diagnostics: &[Diagnostic]) -> Result<(), String> {
    for rel in ws.unreadable().keys() {
        let reported = diagnostics
            .iter()
            .any(|d| &d.rel == rel && d.rule == "unreadable-file" && d.message.contains(rel));
        if !reported {
            return Err(format!("unreadable `{rel}` is not reported"));
        }
    }
    Ok(())
}

/// The plan only names items of the graph, puts each in at most one wave,
/// and a wave's items depend only on items in earlier waves or done ones.
pub fn check_plan(graph: &Graph, plan: &Plan) -> Result<(), String> {
    let mut seen = HashSet::new();
    for (w, wave) in plan.waves.iter().enumerate() {
        for id in wave {
            let Some(&node) = graph.index.get(id) else {
                return Err(format!("wave {} names unknown `{id}`", w + 1));
            };
            if !seen.insert(id.as_str()) {
                return Err(format!("`{id}` is in two waves"));
            }
            for &dep in &graph.nodes[node].deps {
                let dep_node = &graph.nodes[dep];
                let earlier = plan.waves[..w].iter().any(|e| e.contains(&dep_node.id));
                if !dep_node.done && !earlier {
                    return Err(format!(
                        "`{id}` in wave {} waits for `{}`, which is neither done nor earlier",
                        w + 1,
                        dep_node.id
                    ));
                }
            }
        }
    }
    let blocked: HashSet<&str> = plan.blocked.iter().map(|b| b.id.as_str()).collect();
    for node in &graph.nodes {
        if node.done || node.kind == ItemKind::Milestone {
            continue;
        }
        let placed = seen.contains(node.id.as_str());
        if placed == blocked.contains(node.id.as_str()) {
            return Err(format!(
                "open `{}` is {} a wave and {} blocked",
                node.id,
                if placed { "in" } else { "not in" },
                if placed { "also" } else { "not" }
            ));
        }
    }
    for id in plan
        .ready
        .iter()
        .chain(plan.critical_path.items.iter())
        .chain(plan.blocked.iter().map(|b| &b.id))
        .chain(plan.cycles.iter().flatten())
    {
        if !graph.index.contains_key(id) {
            return Err(format!("the plan names unknown `{id}`"));
        }
    }
    Ok(())
}
