//! `missing-field`: an issue has no `Type`, `Expert`, `Milestone` or (outside
//! a status folder) `Status` field, or a task has no `Domain`, `Status` or
//! `Depends on` field. The checks and the fix (the field with a likely
//! value, after the last field of the metadata block) live here; the
//! metadata is `Rule::MissingField` in `rule.rs`.

use crate::analysis::actions::fixes::edit;
use crate::analysis::actions::{eol, line_end_after, Action};
use crate::analysis::ids;
use crate::analysis::model::{FileKind, Item, ItemKind};
use crate::analysis::rules::content::title_range;
use crate::analysis::rules::{Diagnostic, Payload, Rule, Sink};
use crate::analysis::text::TextRange;
use crate::analysis::workspace::{SourceFile, Workspace};

/// The required fields of an issue. A file in a status folder takes its
/// status from the folder, so it needs no `Status` field.
pub(crate) fn check_issue(file: &SourceFile, item: &Item, sink: &mut Sink<'_>) {
    let folder_gives_status = file.facts.folder_status.is_some();
    for (name, required) in [
        ("Type", true),
        ("Expert", true),
        ("Milestone", true),
        ("Status", !folder_gives_status),
    ] {
        if required && item.field(name).is_none() {
            sink.push_with(
                Rule::MissingField,
                title_range(file, item),
                format!("issue `{}` has no `**{name}:**` field", item.id),
                Payload::MissingField { label: name },
            );
        }
    }
}

/// The required fields of a task, each under any of the labels it is
/// written with.
pub(crate) fn check_task(item: &Item, sink: &mut Sink<'_>) {
    let has = |names: &[&str]| names.iter().any(|n| item.field(n).is_some());
    for (names, shown) in [
        (&["domain"][..], "Domain"),
        (&["status"][..], "Status"),
        (&["depends on", "depends", "dependencies"][..], "Depends on"),
    ] {
        if !has(names) {
            sink.push_with(
                Rule::MissingField,
                item.def_range,
                format!("task `{}` has no `**{shown}:**` field", item.id),
                Payload::MissingField { label: shown },
            );
        }
    }
}

/// Its fix: the field with a likely value (the task's siblings' most common
/// domain, the issue ID's expert and type, the folder's status), after the
/// last field of the metadata block, else after the title line.
pub(crate) fn fixes(ws: &Workspace, file: &SourceFile, d: &Diagnostic) -> Vec<Action> {
    let Payload::MissingField { label: name } = d.payload else {
        return Vec::new();
    };
    let text = &*file.text;
    let nl = eol(text);
    let Some(item) = file.facts.items.iter().find(|i| {
        i.def_range == d.range
            || (i.kind == ItemKind::Issue
                && (i.def_range.is_empty() || file.facts.kind == FileKind::Issue))
    }) else {
        return Vec::new();
    };
    let value = match (item.kind, name) {
        (ItemKind::Task, "Domain") => {
            let mut domains: Vec<&str> = file
                .facts
                .items
                .iter()
                .filter(|t| t.parent == item.parent)
                .filter_map(|t| t.field_value(&file.text, "domain"))
                .collect();
            domains.sort_unstable();
            let most = domains
                .chunk_by(|a, b| a == b)
                .max_by_key(|c| c.len())
                .map(|c| c[0].to_string());
            most.or_else(|| ws.config().vocabulary.domains.first().cloned())
                .unwrap_or_else(|| "backend".to_string())
        }
        (ItemKind::Task, "Status") => ws
            .config()
            .vocabulary
            .task_statuses
            .first()
            .cloned()
            .unwrap_or_else(|| "pending".to_string()),
        (ItemKind::Task, _) => "none".to_string(),
        (_, "Type") => {
            ids::issue_parts(&item.id).map_or("feature".to_string(), |p| p.kind.to_string())
        }
        (_, "Expert") => {
            ids::issue_parts(&item.id).map_or("swe".to_string(), |p| p.expert.to_string())
        }
        (_, "Status") => file
            .facts
            .folder_status
            .clone()
            .unwrap_or_else(|| "backlog".to_string()),
        _ => "[Milestone name]".to_string(),
    };
    // After the last field of the metadata block (before the first
    // section), else after the title line.
    let first_section = item
        .sections
        .iter()
        .filter(|s| s.level >= 2 && s.range.start() > item.def_range.start())
        .map(|s| s.range.start())
        .min()
        .unwrap_or(item.range.end());
    let last_field = item
        .fields
        .iter()
        .filter(|f| {
            f.line_range.start() >= item.def_range.start() && f.line_range.end() <= first_section
        })
        .filter(|f| item.kind != ItemKind::Task || item.range.contains_range(f.line_range))
        .map(|f| f.line_range.end())
        .max();
    let line = format!("**{name}:** {value}");
    let edit_at = match last_field {
        Some(end) => {
            let at = line_end_after(text, end);
            if at == text.len() && !text.ends_with('\n') {
                (TextRange::empty(at), format!("{nl}{line}"))
            } else {
                (TextRange::empty(at), format!("{line}{nl}"))
            }
        }
        None if item.def_range.is_empty() => (TextRange::empty(0), format!("{line}{nl}{nl}")),
        None => {
            let at = line_end_after(text, item.def_range.end());
            let blank = item.kind != ItemKind::Task;
            if at == text.len() && !text.ends_with('\n') {
                (
                    TextRange::empty(at),
                    format!("{nl}{}{line}", if blank { nl } else { "" }),
                )
            } else if blank {
                (TextRange::empty(at), format!("{nl}{line}{nl}"))
            } else {
                (TextRange::empty(at), format!("{line}{nl}"))
            }
        }
    };
    vec![Action::fix(format!("Add `{line}`"), d, edit(file, vec![edit_at])).preferred()]
}

#[cfg(test)]
mod tests {
    use crate::analysis::actions::apply::apply_edits;
    use crate::analysis::actions::Change;
    use crate::analysis::fixture;
    use crate::analysis::rules::{check_file, Context, Rule};

    /// `rel`'s text after applying the fix of each of its `missing-field`
    /// findings in turn, checking again after each, with the fixes' titles.
    fn fix_all(fixture: &str, rel: &str) -> (String, Vec<String>) {
        let mut text = fixture::workspace(fixture)
            .workspace
            .file(rel)
            .expect("the fixture has the file")
            .text
            .to_string();
        let mut titles = Vec::new();
        loop {
            let ws = fixture::workspace(&format!("//- {rel}\n{text}")).workspace;
            let ctx = Context::new(&ws);
            let file = ws.file(rel).expect("the file is there");
            let Some(d) = check_file(&ws, &ctx, rel)
                .into_iter()
                .find(|d| d.rule == Rule::MissingField)
            else {
                return (text, titles);
            };
            assert!(titles.len() < 10, "the fixes do not converge: {titles:?}");
            let fixes = super::fixes(&ws, file, &d);
            assert_eq!(fixes.len(), 1, "{fixes:?}");
            assert!(fixes[0].is_preferred);
            let [Change::Edit { edits, .. }] = &fixes[0].changes[..] else {
                panic!("one edit: {:?}", fixes[0].changes);
            };
            text = apply_edits(&file.text, edits).expect("the fix applies");
            titles.push(fixes[0].title.clone());
        }
    }

    #[test]
    fn the_fixes_add_fields_the_rule_accepts() {
        let (text, titles) = fix_all(
            "//- issues/backlog/qa-bug-001.md\n# qa-bug-001: Login\n\n**Milestone:** M1\n\n## Acceptance Criteria\n\n- [ ] The clerk sees the form\n",
            "issues/backlog/qa-bug-001.md",
        );
        assert_eq!(titles, ["Add `**Type:** bug`", "Add `**Expert:** qa`"]);
        assert!(
            text.starts_with("# qa-bug-001: Login\n\n**Milestone:** M1\n**Type:** bug\n**Expert:** qa\n\n## Acceptance Criteria"),
            "{text}"
        );
    }

    #[test]
    fn a_task_gets_the_domain_most_of_its_siblings_have() {
        let (text, titles) = fix_all(
            "//- docs/stories/015-login.md\n# Story 015: Login\n\n**Status:** In Progress\n\n## Tasks\n\n### 001: One\n**Domain:** electron\n**Status:** pending\n**Depends on:** none\n\n### 002: Two\n**Domain:** electron\n**Status:** pending\n**Depends on:** 001\n\n### 003: Three\n**Domain:** backend\n**Status:** pending\n**Depends on:** 002\n\n### 004: Four\n**Status:** pending\n\nDo it.\n",
            "docs/stories/015-login.md",
        );
        assert_eq!(
            titles,
            ["Add `**Domain:** electron`", "Add `**Depends on:** none`"]
        );
        assert!(
            text.ends_with("### 004: Four\n**Status:** pending\n**Domain:** electron\n**Depends on:** none\n\nDo it.\n"),
            "{text}"
        );
    }
}
