//! Quick fixes: `for_diagnostic` picks a finding's fixes with a `match` on
//! its rule. A rule with its own file under `rules/` keeps its fixes there;
//! the fixes of the others are here, one function per rule, with the
//! helpers they share. The clearly right fix is marked preferred and the
//! ones safe to apply without asking are marked safe.

use crate::analysis::actions::{eol, index_fix, join, line_end_after, Action, Change};
use crate::analysis::config::CONFIG_FILE_NAME;
use crate::analysis::ids;
use crate::analysis::model::{FileKind, Item, ItemKind, Reference};
use crate::analysis::parse::progress_of;
use crate::analysis::rules::status::normalize_status;
use crate::analysis::rules::{
    dangling_dependency, done_with_open_criteria, duplicate_id, index_out_of_sync,
    missing_acceptance_criteria, oversized_issue, oversized_story, status_folder_mismatch, Context,
    Diagnostic, Payload, Rule,
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
        Rule::SelfDependency => reference_at(file, d.range)
            .map(|(item, r)| {
                Action::fix(
                    format!(
                        "Remove the dependency on `{}`",
                        item.map_or("itself", |i| i.id.as_str())
                    ),
                    d,
                    edit(file, remove_reference(file, item, r)),
                )
                .preferred()
            })
            .into_iter()
            .collect(),
        Rule::StatusFolderMismatch => status_folder_mismatch::fixes(ws, file, d),
        Rule::MissingAcceptanceCriteria => missing_acceptance_criteria::fixes(file, d),
        Rule::MissingField => missing_field(ws, file, d),
        Rule::UnknownValue => unknown_value(ws, file, d),
        Rule::IndexOutOfSync if file.facts.kind == FileKind::StoryIndex => {
            index_out_of_sync::story_index_fixes(ws, file, d)
        }
        Rule::IndexOutOfSync => index_out_of_sync::fixes(ws, file, d),
        Rule::DuplicateId => duplicate_id::fixes(ws, ctx, file, d),
        Rule::DoneWithOpenCriteria => done_with_open_criteria::fixes(ws, file, d),
        Rule::OversizedIssue => oversized_issue::fixes(ws, file, d),
        Rule::OversizedStory => oversized_story::fixes(ws, ctx, file, d),
        Rule::UnreadableFile
        | Rule::DependencyCycle
        | Rule::PlaceholderText
        | Rule::DoneWithOpenTasks
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
        rel: file.rel.clone(),
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
        .line_index
        .line_range(file.line_index.line_of(range.start));
    let others = item
        .map(|i| {
            i.deps
                .iter()
                .filter(|r| r.range != range && line.contains_range(r.range))
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
        let trimmed = text[line.start..line.end].trim_start();
        if trimmed.starts_with(['-', '*', '+']) {
            return vec![(line, String::new())];
        }
    }
    let after = &text[range.end..line.end];
    let comma_after = after.len() - after.trim_start().len();
    if after[comma_after..].starts_with(',') {
        let rest = &after[comma_after + 1..];
        let spaces = rest.len() - rest.trim_start_matches([' ', '\t']).len();
        return vec![(
            TextRange::new(range.start, range.end + comma_after + 1 + spaces),
            String::new(),
        )];
    }
    let before = &text[line.start..range.start];
    let trimmed = before.trim_end_matches([' ', '\t']);
    if let Some(head) = trimmed.strip_suffix(',') {
        return vec![(
            TextRange::new(line.start + head.len(), range.end),
            String::new(),
        )];
    }
    vec![(range, String::new())]
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
    (to != file.rel && ws.file(&to).is_none() && !ws.unreadable().contains_key(&to)).then_some(to)
}

fn missing_field(ws: &Workspace, file: &SourceFile, d: &Diagnostic) -> Vec<Action> {
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
                .filter_map(|t| t.field("domain").map(|f| f.value.as_str()))
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
        .filter(|s| s.level >= 2 && s.range.start > item.def_range.start)
        .map(|s| s.range.start)
        .min()
        .unwrap_or(item.range.end);
    let last_field = item
        .fields
        .iter()
        .filter(|f| f.line_range.start >= item.def_range.start && f.line_range.end <= first_section)
        .filter(|f| item.kind != ItemKind::Task || item.range.contains_range(f.line_range))
        .map(|f| f.line_range.end)
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
            let at = line_end_after(text, item.def_range.end);
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

fn unknown_value(ws: &Workspace, file: &SourceFile, d: &Diagnostic) -> Vec<Action> {
    // The finding covers the field's value, or one value of a multi-valued
    // Domain (`weave + compute`).
    let Some((item, field)) = file.facts.items.iter().find_map(|i| {
        i.fields
            .iter()
            .find(|f| f.value_range.contains_range(d.range))
            .map(|f| (i, f))
    }) else {
        return Vec::new();
    };
    let vocabulary = &ws.config().vocabulary;
    let label = field.label.trim().to_ascii_lowercase();
    let (allowed, key) = match (item.kind, label.as_str()) {
        (ItemKind::Task, "status") => (&vocabulary.task_statuses, "task-statuses"),
        (ItemKind::Task, "domain") => (&vocabulary.domains, "domains"),
        (_, "type") => (&vocabulary.types, "types"),
        (_, "expert") => (&vocabulary.experts, "experts"),
        (_, "status") => (&vocabulary.statuses, "statuses"),
        (_, "estimated effort") => (&vocabulary.efforts, "efforts"),
        _ => return Vec::new(),
    };
    let written = &file.text[d.range.start..d.range.end];
    let written = written.split('(').next().unwrap_or("").trim();
    let value = written.to_lowercase();
    let mut out = change_value(ws, file, item, d, field, allowed, &value);
    out.extend(add_to_vocabulary(ws, d, key, allowed, written));
    out
}

fn change_value(
    ws: &Workspace,
    file: &SourceFile,
    item: &crate::analysis::model::Item,
    d: &Diagnostic,
    field: &crate::analysis::model::Field,
    allowed: &[String],
    value: &str,
) -> Vec<Action> {
    let mut ranked: Vec<(usize, &String)> = allowed
        .iter()
        .map(|a| (strsim::damerau_levenshtein(value, &a.to_lowercase()), a))
        .collect();
    ranked.sort();
    let close: Vec<(usize, &String)> = ranked
        .iter()
        .copied()
        .filter(|(dist, a)| *dist <= 3.max(a.len() / 3))
        .collect();
    let (chosen, preferred) = if close.is_empty() {
        (ranked.iter().take(8).copied().collect::<Vec<_>>(), false)
    } else {
        (close, true)
    };
    let best = chosen.first().map(|c| c.0);
    let unique_best = chosen.iter().filter(|c| Some(c.0) == best).count() == 1;
    // Keep a note in parentheses (`Medium session (17 files)`), when the
    // finding covers the whole value.
    let whole = d.range == field.value_range;
    let note = field
        .value
        .find('(')
        .filter(|_| whole)
        .map(|i| format!(" {}", field.value[i..].trim()))
        .unwrap_or_default();
    chosen
        .iter()
        .enumerate()
        .map(|(i, (_, a))| {
            let value = format!("{a}{note}");
            let mut changes = edit(file, vec![(d.range, value.clone())]);
            // A Status the index row copied changes there too.
            if item.kind == ItemKind::Issue && field.label.trim().eq_ignore_ascii_case("status") {
                changes.extend(index_fix::sync_row(ws, file, item, &file.rel, Some(&value)));
            }
            let action = Action::fix(format!("Change to `{a}`"), d, changes);
            if i == 0 && preferred && unique_best {
                action.preferred()
            } else {
                action
            }
        })
        .collect()
}

/// "Add `weave` to `[vocabulary] domains` in planmark.toml": the value
/// becomes known everywhere, for a vocabulary the project changed on
/// purpose. A list not yet in the file is written with the values in force
/// (the defaults) plus the new one, since a configured list replaces the
/// default one. The file is created when there is none; one that is not
/// valid TOML, or whose `vocabulary` or list is not a table or an array,
/// gets no fix.
fn add_to_vocabulary(
    ws: &Workspace,
    d: &Diagnostic,
    key: &str,
    in_force: &[String],
    value: &str,
) -> Option<Action> {
    if value.is_empty() || value.contains(['\n', '\r']) {
        return None;
    }
    let title = format!("Add `{value}` to `[vocabulary] {key}` in {CONFIG_FILE_NAME}");
    let full_list = || {
        let mut list = toml_edit::Array::new();
        for v in in_force {
            list.push(v.as_str());
        }
        list.push(value);
        list
    };
    let change = match &ws.config().source {
        None => {
            let mut doc = toml_edit::DocumentMut::new();
            let mut table = toml_edit::Table::new();
            table.insert(key, toml_edit::value(full_list()));
            doc.insert("vocabulary", toml_edit::Item::Table(table));
            Change::CreateFile {
                rel: CONFIG_FILE_NAME.to_string(),
                text: doc.to_string(),
            }
        }
        Some(text) => {
            let mut doc: toml_edit::DocumentMut = text.parse().ok()?;
            let vocabulary = doc
                .entry("vocabulary")
                .or_insert(toml_edit::table())
                .as_table_like_mut()?;
            match vocabulary.get_mut(key) {
                Some(list) => list.as_array_mut()?.push(value),
                None => {
                    vocabulary.insert(key, toml_edit::value(full_list()));
                }
            }
            Change::Edit {
                rel: CONFIG_FILE_NAME.to_string(),
                edits: vec![smallest_edit(text, &doc.to_string())],
            }
        }
    };
    Some(Action::fix(title, d, vec![change]))
}

/// One edit turning `old` into `new`: the part between their common start
/// and common end, so an editor's undo and cursor touch only what changed.
fn smallest_edit(old: &str, new: &str) -> (TextRange, String) {
    let mut start = old
        .bytes()
        .zip(new.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    while !old.is_char_boundary(start) || !new.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = old[start..]
        .bytes()
        .rev()
        .zip(new[start..].bytes().rev())
        .take_while(|(a, b)| a == b)
        .count();
    while !old.is_char_boundary(old.len() - end) || !new.is_char_boundary(new.len() - end) {
        end -= 1;
    }
    (
        TextRange::new(start, old.len() - end),
        new[start..new.len() - end].to_string(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::fixture;
    use crate::analysis::rules::check_file;

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
}
