//! `unknown-value`: a field's value is outside its configured vocabulary (an
//! issue's `Type`, `Expert`, `Status` or `Estimated effort`, a task's
//! `Domain` or `Status`). The checks and the fixes (change to a known value,
//! add the value to the vocabulary in `planmark.toml`) live here; the
//! metadata is `Rule::UnknownValue` in `rule.rs`.

use crate::analysis::actions::fixes::edit;
use crate::analysis::actions::{index_fix, Action, Change};
use crate::analysis::config::CONFIG_FILE_NAME;
use crate::analysis::model::{Field, Item, ItemKind};
use crate::analysis::rules::{Diagnostic, Payload, Rule, Sink};
use crate::analysis::text::TextRange;
use crate::analysis::workspace::{SourceFile, Workspace};

/// The values of an issue's fields against their vocabularies.
pub(crate) fn check_issue(ws: &Workspace, text: &str, item: &Item, sink: &mut Sink<'_>) {
    let vocabulary = &ws.config().vocabulary;
    for (name, allowed) in [
        ("Type", &vocabulary.types),
        ("Expert", &vocabulary.experts),
        ("Status", &vocabulary.statuses),
        ("Estimated effort", &vocabulary.efforts),
    ] {
        if let Some(field) = item.field(name) {
            check_value(name, field.value(text), field.value_range, allowed, sink);
        }
    }
}

/// The values of a task's fields against their vocabularies.
pub(crate) fn check_task(ws: &Workspace, text: &str, item: &Item, sink: &mut Sink<'_>) {
    let vocabulary = &ws.config().vocabulary;
    if let Some(field) = item.field("Domain") {
        // A task may span domains: `weave + compute` is two known values,
        // not one unknown one.
        for (part, range) in split_values(field.value(text), field.value_range) {
            check_value("Domain", part, range, &vocabulary.domains, sink);
        }
    }
    if let Some(field) = item.field("Status") {
        let allowed = &vocabulary.task_statuses;
        check_value(
            "Status",
            field.value(text),
            field.value_range,
            allowed,
            sink,
        );
    }
}

/// The values of a multi-valued field (`weave + compute`, `backend,
/// electron`, `backend/compute`, `backend and compute`), each with its
/// range; a note in parentheses stays with the value before it.
pub(crate) fn split_values(value: &str, range: TextRange) -> Vec<(&str, TextRange)> {
    let head_len = value.find('(').unwrap_or(value.len());
    let mut cuts = Vec::new();
    for (i, c) in value[..head_len].char_indices() {
        if matches!(c, '+' | ',' | '/' | '&') {
            cuts.push((i, i + c.len_utf8()));
        }
    }
    let mut from = 0;
    while let Some(at) = value[from..head_len].find(" and ") {
        cuts.push((from + at, from + at + " and ".len()));
        from += at + " and ".len();
    }
    cuts.sort_unstable();
    let mut out = Vec::new();
    let mut start = 0;
    for end in cuts
        .iter()
        .map(|&(cut_start, cut_end)| (cut_start, Some(cut_end)))
        .chain([(value.len(), None)])
    {
        let part = &value[start..end.0];
        let lead = part.len() - part.trim_start().len();
        let trimmed = part.trim();
        if !trimmed.is_empty() {
            let at = range.start() + start + lead;
            out.push((trimmed, TextRange::new(at, at + trimmed.len())));
        }
        match end.1 {
            Some(next) => start = next,
            None => break,
        }
    }
    out
}

/// A value compared with its vocabulary: case, a parenthetical note and a
/// trailing "session" do not matter.
fn check_value(
    name: &'static str,
    value: &str,
    range: TextRange,
    allowed: &[String],
    sink: &mut Sink<'_>,
) {
    fn norm(v: &str) -> String {
        let v = v
            .split('(')
            .next()
            .unwrap_or(v)
            .trim()
            .to_lowercase()
            .replace(['_', ' '], "-");
        v.trim_end_matches("-session").trim_matches('-').to_string()
    }
    // The usual value is one of the allowed words as written: no need to
    // normalise every allowed word to see it (this runs for three fields
    // of every issue).
    let trimmed = value.trim();
    if allowed.iter().any(|a| a.eq_ignore_ascii_case(trimmed)) {
        return;
    }
    let got = norm(value);
    if got.is_empty() || allowed.iter().any(|a| norm(a) == got) {
        return;
    }
    let list = allowed
        .iter()
        .map(|a| format!("`{a}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let hint = crate::analysis::suggest::closest(&got, allowed.iter().map(String::as_str))
        .map(|s| format!("; did you mean `{s}`?"))
        .unwrap_or_default();
    sink.push_with(
        Rule::UnknownValue,
        range,
        format!(
            "`{value}` is not a known {} (allowed: {list}){hint}",
            name.to_lowercase()
        ),
        Payload::UnknownValue {
            field: name,
            value: value.to_string(),
        },
    );
}

/// Its fixes: change to a known value (the nearest preferred when it is
/// clearly the one), and add the value to the vocabulary.
pub(crate) fn fixes(ws: &Workspace, file: &SourceFile, d: &Diagnostic) -> Vec<Action> {
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
    let label = field.label.to_ascii_lowercase();
    let (allowed, key) = match (item.kind, label.as_str()) {
        (ItemKind::Task, "status") => (&vocabulary.task_statuses, "task-statuses"),
        (ItemKind::Task, "domain") => (&vocabulary.domains, "domains"),
        (_, "type") => (&vocabulary.types, "types"),
        (_, "expert") => (&vocabulary.experts, "experts"),
        (_, "status") => (&vocabulary.statuses, "statuses"),
        (_, "estimated effort") => (&vocabulary.efforts, "efforts"),
        _ => return Vec::new(),
    };
    let written = &file.text[d.range.start()..d.range.end()];
    let written = written.split('(').next().unwrap_or("").trim();
    let value = written.to_lowercase();
    let mut out = change_value(ws, file, item, d, field, allowed, &value);
    out.extend(add_to_vocabulary(ws, d, key, allowed, written));
    out
}

/// "Change to `feature`": the values within a few edits of the written one,
/// or the first few of the vocabulary when none is that close.
fn change_value(
    ws: &Workspace,
    file: &SourceFile,
    item: &Item,
    d: &Diagnostic,
    field: &Field,
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
    let field_value = field.value(&file.text);
    let note = field_value
        .find('(')
        .filter(|_| whole)
        .map(|i| format!(" {}", field_value[i..].trim()))
        .unwrap_or_default();
    chosen
        .iter()
        .enumerate()
        .map(|(i, (_, a))| {
            let value = format!("{a}{note}");
            let mut changes = edit(file, vec![(d.range, value.clone())]);
            // A Status the index row copied changes there too.
            if item.kind == ItemKind::Issue && field.is("status") {
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
    use crate::analysis::actions::apply::apply_edits;
    use crate::analysis::fixture;
    use crate::analysis::rules::{check_file, Context};

    #[test]
    fn splits_a_multi_valued_field_with_each_value_s_range() {
        let value = "weave + compute, backend/electron and packaging (the builder, too)";
        let parts: Vec<(&str, &str)> = split_values(value, TextRange::new(10, 10 + value.len()))
            .into_iter()
            .map(|(part, range)| (part, &value[range.start() - 10..range.end() - 10]))
            .collect();
        assert_eq!(
            parts,
            [
                ("weave", "weave"),
                ("compute", "compute"),
                ("backend", "backend"),
                ("electron", "electron"),
                (
                    "packaging (the builder, too)",
                    "packaging (the builder, too)"
                ),
            ]
        );
    }

    #[test]
    fn the_smallest_edit_keeps_the_common_start_and_end() {
        let old = "[vocabulary]\ndomains = [\"backend\"]\n";
        let new = "[vocabulary]\ndomains = [\"backend\", \"weave\"]\n";
        let (range, text) = smallest_edit(old, new);
        assert_eq!(text, ", \"weave\"");
        assert_eq!(
            apply_edits(old, &[(range, text)]).expect("the edit applies"),
            new
        );
        // A change inside a multi-byte character replaces the whole of it.
        let (range, text) = smallest_edit("é", "è");
        assert_eq!((range, text.as_str()), (TextRange::new(0, 2), "è"));
    }

    /// The fixes of the one `unknown-value` finding of `rel`.
    fn fixes_of(fixture: &str, rel: &str) -> Vec<Action> {
        let ws = fixture::workspace(fixture).workspace;
        let ctx = Context::new(&ws);
        let file = ws.file(rel).expect("the fixture has the file");
        let found: Vec<_> = check_file(&ws, &ctx, rel)
            .into_iter()
            .filter(|d| d.rule == Rule::UnknownValue)
            .collect();
        assert_eq!(found.len(), 1, "{found:?}");
        fixes(&ws, file, &found[0])
    }

    #[test]
    fn a_misspelt_value_changes_to_the_nearest_keeping_its_note() {
        let fixes = fixes_of(
            "//- issues/backlog/swe-feature-001.md\n# swe-feature-001: Login\n\n**Type:** feature\n**Expert:** swe\n**Milestone:** M1\n\n## Acceptance Criteria\n\n- [ ] The clerk sees the form\n\n**Estimated effort:** Medum session (17 files)\n",
            "issues/backlog/swe-feature-001.md",
        );
        let titles: Vec<&str> = fixes.iter().map(|a| a.title.as_str()).collect();
        assert_eq!(titles[0], "Change to `Medium session`");
        assert!(fixes[0].is_preferred);
        assert!(fixes[1..].iter().all(|a| !a.is_preferred), "{titles:?}");
        let Change::Edit { edits, .. } = &fixes[0].changes[0] else {
            panic!("an edit: {:?}", fixes[0].changes);
        };
        assert_eq!(edits[0].1, "Medium session (17 files)");
        assert_eq!(
            titles.last(),
            Some(&"Add `Medum session` to `[vocabulary] efforts` in planmark.toml")
        );
    }

    #[test]
    fn a_new_domain_is_added_to_the_list_in_force() {
        let fixes = fixes_of(
            "//- docs/stories/015-login.md\n# Story 015: Login\n\n**Status:** In Progress\n\n## Tasks\n\n### 001: One\n**Domain:** backend + weave\n**Status:** pending\n**Depends on:** none\n",
            "docs/stories/015-login.md",
        );
        let add = fixes.last().expect("the fixes end with the vocabulary one");
        assert_eq!(
            add.title,
            "Add `weave` to `[vocabulary] domains` in planmark.toml"
        );
        // Without a planmark.toml, the file is created with the default
        // domains, which a configured list replaces, and the new one.
        let [Change::CreateFile { rel, text }] = &add.changes[..] else {
            panic!("a new file: {:?}", add.changes);
        };
        assert_eq!(rel, "planmark.toml");
        assert_eq!(
            text,
            "[vocabulary]\ndomains = [\"backend\", \"compute\", \"electron\", \"packaging\", \"weave\"]\n"
        );
    }
}
