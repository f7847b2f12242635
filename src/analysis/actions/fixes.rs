//! Quick fixes: `for_diagnostic` picks a finding's fixes with a `match` on
//! its rule. Each rule keeps its fixes in its own file under `rules/`; this
//! one holds the helpers they share. The clearly right fix is marked
//! preferred and the ones safe to apply without asking are marked safe.

use crate::analysis::actions::{join, Action, Change};
use crate::analysis::model::{FileKind, Item, Reference};
use crate::analysis::parse::progress_of;
use crate::analysis::rules::status::normalize_status;
use crate::analysis::rules::{
    dangling_dependency, done_with_open_criteria, done_with_open_tasks, duplicate_id,
    index_out_of_sync, missing_acceptance_criteria, missing_field, oversized_issue,
    oversized_story, self_dependency, status_folder_mismatch, unknown_value, Context, Diagnostic,
    Rule,
};
use crate::analysis::text::TextRange;
use crate::analysis::workspace::{SourceFile, Workspace};

/// The fixes of one diagnostic of `file`.
pub(crate) fn for_diagnostic(
    ws: &Workspace,
    ctx: &Context,
    file: &SourceFile,
    d: &Diagnostic,
) -> Vec<Action> {
    match d.rule {
        Rule::DanglingDependency => dangling_dependency::fixes(ws, ctx, file, d),
        Rule::DuplicateId => duplicate_id::fixes(ws, ctx, file, d),
        Rule::OversizedStory => oversized_story::fixes(ws, ctx, file, d),
        _ => without_graph(ws, file, d),
    }
}

/// The fixes of one diagnostic of `file` that need no workspace-wide
/// context: those of every rule but the three whose fixes read the graph
/// (a dangling dependency's suggestions, a duplicate's and a split's new
/// numbers), which get none here. `check` counts what `--fix` would fix
/// with it, without building the graph a second time.
pub(crate) fn without_graph(ws: &Workspace, file: &SourceFile, d: &Diagnostic) -> Vec<Action> {
    match d.rule {
        Rule::SelfDependency => self_dependency::fixes(file, d),
        Rule::StatusFolderMismatch => status_folder_mismatch::fixes(ws, file, d),
        Rule::MissingAcceptanceCriteria => missing_acceptance_criteria::fixes(file, d),
        Rule::MissingField => missing_field::fixes(ws, file, d),
        Rule::UnknownValue => unknown_value::fixes(ws, file, d),
        Rule::IndexOutOfSync if file.facts.kind == FileKind::StoryIndex => {
            index_out_of_sync::story_index_fixes(ws, file, d)
        }
        Rule::IndexOutOfSync => index_out_of_sync::fixes(ws, file, d),
        Rule::DoneWithOpenCriteria => done_with_open_criteria::fixes(ws, file, d),
        Rule::OversizedIssue => oversized_issue::fixes(ws, file, d),
        Rule::DoneWithOpenTasks => done_with_open_tasks::fixes(file, d),
        Rule::DanglingDependency
        | Rule::DuplicateId
        | Rule::OversizedStory
        | Rule::UnreadableFile
        | Rule::InvalidUtf8
        | Rule::DependencyCycle
        | Rule::PlaceholderText
        | Rule::DoneWithOpenDependency
        | Rule::MissingStoryStatus
        | Rule::FilenameMismatch
        | Rule::UserStoryFormat
        | Rule::UnknownMilestone
        | Rule::GenericPersona
        | Rule::VagueCriterion => Vec::new(),
        Rule::Dialect(rule) => crate::analysis::dialect::fixes(rule, ws, file, d),
    }
}

/// One edit of `file`, as a list of changes.
pub(crate) fn edit(file: &SourceFile, edits: Vec<(TextRange, String)>) -> Vec<Change> {
    vec![Change::Edit {
        rel: file.rel.to_string(),
        edits,
    }]
}

/// The reference at `range`, with the item that holds it.
pub(crate) fn reference_at(
    file: &SourceFile,
    range: TextRange,
) -> Option<(Option<&Item>, &Reference)> {
    for item in &file.facts.items {
        if let Some(r) = item.deps.iter().find(|r| r.range == range) {
            return Some((Some(item), r));
        }
    }
    file.facts
        .references
        .iter()
        .find(|r| r.range == range)
        .map(|r| (None, r))
}

/// The edit that removes one reference from its dependency field: the
/// field says `none` when it was the only one, a bullet that named only it
/// goes, and otherwise the reference and one comma next to it.
pub(crate) fn remove_reference(
    file: &SourceFile,
    item: Option<&Item>,
    reference: &Reference,
) -> Vec<(TextRange, String)> {
    let text = &*file.text;
    let range = reference.range;
    let line = file
        .line_index()
        .line_range(file.line_index().line_of(range.start()));
    let others = item
        .map(|i| {
            i.deps
                .iter()
                // An order a format implies is written nowhere: its
                // range is empty.
                .filter(|r| r.range != range && !r.range.is_empty() && line.contains_range(r.range))
                .count()
        })
        .unwrap_or(0);
    if others == 0 {
        if let Some(field) = item.and_then(|i| {
            i.fields
                .iter()
                .find(|f| f.value_range.contains_range(range))
        }) {
            return vec![(field.value_range, "none".to_string())];
        }
        if let Some(clause) = labelled_clause(text, line, range) {
            return vec![(clause, String::new())];
        }
        let trimmed = text[line.start()..line.end()].trim_start();
        // A bullet that is a dependency list's entry goes; a task's own
        // line (`- [ ] T002 …`) stays.
        let is_task = ["- [", "* [", "+ ["].iter().any(|b| trimmed.starts_with(b));
        if trimmed.starts_with(['-', '*', '+']) && !is_task {
            return vec![(line, String::new())];
        }
    }
    let after = &text[range.end()..line.end()];
    let comma_after = after.len() - after.trim_start().len();
    if after[comma_after..].starts_with(',') {
        let rest = &after[comma_after + 1..];
        let spaces = rest.len() - rest.trim_start_matches([' ', '\t']).len();
        return vec![(
            TextRange::new(range.start(), range.end() + comma_after + 1 + spaces),
            String::new(),
        )];
    }
    let before = &text[line.start()..range.start()];
    let trimmed = before.trim_end_matches([' ', '\t']);
    if let Some(head) = trimmed.strip_suffix(',') {
        return vec![(
            TextRange::new(line.start() + head.len(), range.end()),
            String::new(),
        )];
    }
    vec![(range, String::new())]
}

/// The bracketed clause around `range` on `line` that holds nothing but
/// it and a label (`(depends on T999)`, `(after T004)`), with the space
/// before it: what goes when its one reference goes.
fn labelled_clause(text: &str, line: TextRange, range: TextRange) -> Option<TextRange> {
    let before = &text[line.start()..range.start()];
    let open = before.rfind('(')?;
    if before[open..].contains(')') {
        return None;
    }
    let after = &text[range.end()..line.end()];
    let close = after.find(')')?;
    if after[..close].contains('(') || !after[..close].trim().is_empty() {
        return None;
    }
    let label = &before[open + 1..];
    if !label
        .chars()
        .all(|c| c.is_alphabetic() || c.is_whitespace() || c == ':')
    {
        return None;
    }
    let spaces = before[..open].len() - before[..open].trim_end().len();
    Some(TextRange::new(
        line.start() + open - spaces,
        range.end() + close + 1,
    ))
}

/// The path of an issue file moved to the status folder of `status`, when
/// that folder is a configured one and no file is there yet.
pub(crate) fn status_target(ws: &Workspace, file: &SourceFile, status: &str) -> Option<String> {
    let wanted = normalize_status(status);
    let folders = &ws.config().status_folders;
    let folder = folders
        .iter()
        .find(|f| normalize_status(f) == wanted)
        .or_else(|| {
            let progress = progress_of(&wanted)?;
            (progress == crate::analysis::model::Progress::Done)
                .then(|| folders.iter().find(|f| progress_of(f) == Some(progress)))
                .flatten()
        })?;
    let (dir, name) = file.rel.rsplit_once('/')?;
    let parent = dir.rsplit_once('/').map_or("", |(p, _)| p);
    let to = join(&join(parent, folder), name);
    (*to != *file.rel && ws.file(&to).is_none() && !ws.unreadable().contains_key(&to)).then_some(to)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::fixture;
    use crate::analysis::rules::{check_file, Payload};

    /// The fixes of `rel`'s findings of `rule` with their messages blanked:
    /// what a fix does comes from the payload, never from the words.
    fn titles_without_messages(fixture: &str, rel: &str, rule: Rule) -> Vec<String> {
        let ws = fixture::workspace(fixture).workspace;
        let ctx = Context::new(&ws);
        let file = ws.file(rel).expect("the fixture has the file");
        check_file(&ws, &ctx, rel)
            .into_iter()
            .filter(|d| d.rule == rule)
            .flat_map(|mut d| {
                assert_ne!(d.payload, Payload::None, "{rule} carries a payload");
                d.message.clear();
                for_diagnostic(&ws, &ctx, file, &d)
            })
            .map(|a| a.title)
            .collect()
    }

    #[test]
    fn missing_field_reads_the_payload() {
        let titles = titles_without_messages(
            "//- issues/backlog/swe-feature-001.md\n# swe-feature-001: Login\n\n**Type:** feature\n**Expert:** swe\n\n## Acceptance Criteria\n\n- [ ] The clerk sees the form\n",
            "issues/backlog/swe-feature-001.md",
            Rule::MissingField,
        );
        assert_eq!(titles, vec!["Add `**Milestone:** [Milestone name]`"]);
    }

    #[test]
    fn index_fixes_read_the_payload() {
        let titles = titles_without_messages(
            "//- issues/issues-list.md\n| File | Title | Status |\n|---|---|---|\n| swe-feature-001 | Login | backlog |\n| swe-feature-001 | Login | backlog |\n//- issues/backlog/swe-feature-001.md\n# swe-feature-001: Login\n\n**Type:** feature\n**Expert:** swe\n**Milestone:** M1\n\n## Acceptance Criteria\n\n- [ ] The clerk sees the form\n//- issues/backlog/swe-feature-002.md\n# swe-feature-002: Logout\n\n**Type:** feature\n**Expert:** swe\n**Milestone:** M1\n\n## Acceptance Criteria\n\n- [ ] The clerk can leave\n",
            "issues/issues-list.md",
            Rule::IndexOutOfSync,
        );
        assert!(
            titles.contains(&"Remove this repeated row of `swe-feature-001`".to_string()),
            "{titles:?}"
        );
        assert!(
            titles.contains(&"Add a row for `swe-feature-002`".to_string()),
            "{titles:?}"
        );
    }

    #[test]
    fn dangling_reads_the_payload() {
        let titles = titles_without_messages(
            "//- issues/backlog/swe-feature-001.md\n# swe-feature-001: Login\n\n**Type:** feature\n**Expert:** swe\n**Milestone:** M1\n**Dependencies:** swe-feature-003\n\n## Acceptance Criteria\n\n- [ ] The clerk sees the form\n//- issues/backlog/swe-feature-002.md\n# swe-feature-002: Logout\n\n**Type:** feature\n**Expert:** swe\n**Milestone:** M1\n\n## Acceptance Criteria\n\n- [ ] The clerk can leave\n",
            "issues/backlog/swe-feature-001.md",
            Rule::DanglingDependency,
        );
        assert!(
            titles.contains(&"Remove the dependency on `swe-feature-003`".to_string()),
            "{titles:?}"
        );
    }

    /// The text of `rel` after the first fix titled `title` of its
    /// findings of `rule`.
    fn fixed(fixture: &str, rel: &str, rule: &str, title: &str) -> String {
        let ws = fixture::workspace(fixture).workspace;
        let ctx = Context::new(&ws);
        let file = ws.file(rel).expect("the fixture has the file");
        let action = check_file(&ws, &ctx, rel)
            .into_iter()
            .filter(|d| d.rule.name() == rule)
            .flat_map(|d| for_diagnostic(&ws, &ctx, file, &d))
            .find(|a| a.title.starts_with(title))
            .unwrap_or_else(|| panic!("no fix titled {title}"));
        let files = std::collections::BTreeMap::from([(rel.to_string(), file.text.to_string())]);
        crate::analysis::actions::apply::apply(&files, &action.changes).expect("the fix applies")
            [rel]
            .clone()
    }

    #[test]
    fn removing_the_only_reference_of_a_clause_removes_the_clause() {
        let tasks = "//- specs/001-a/spec.md\n# Feature Specification: A\n//- specs/001-a/tasks.md\n## Phase 1: Setup\n- [ ] T001 Create the app\n- [ ] T002 Export in api/export.rs (depends on T999) (FR-003)\n";
        expect_test::expect![[r#"
            ## Phase 1: Setup
            - [ ] T001 Create the app
            - [ ] T002 Export in api/export.rs (FR-003)
        "#]]
        .assert_eq(&fixed(
            tasks,
            "specs/001-a/tasks.md",
            "dangling-dependency",
            "Remove",
        ));
        // With another reference in it, the clause stays.
        expect_test::expect![[r#"
            ## Phase 1: Setup
            - [ ] T001 Create the app
            - [ ] T002 Export in api/export.rs (depends on T001) (FR-003)
        "#]]
        .assert_eq(&fixed(
            &tasks.replace("on T999", "on T001, T999"),
            "specs/001-a/tasks.md",
            "dangling-dependency",
            "Remove",
        ));
    }
}
