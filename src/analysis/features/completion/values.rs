//! Completion of field values: the vocabulary (configured, then seen in the
//! workspace) after `**Status:**` and its kin, and milestones after
//! `**Milestone:**`.

use std::collections::HashSet;

use super::ids::match_rank;
use super::{Completion, CompletionKind, Completions};
use crate::analysis::features::{item_at, status_text, Derived, Scope};
use crate::analysis::model::{FileKind, ItemKind};
use crate::analysis::text::TextRange;
use crate::analysis::workspace::{SourceFile, Workspace};

/// How values are compared: case, `_`/space/`-` and a trailing "session"
/// do not matter.
fn norm(v: &str) -> String {
    let v = v.trim().to_lowercase().replace(['_', ' '], "-");
    v.trim_end_matches("-session").to_string()
}

/// Statuses for stories, which the configuration has no list for.
const STORY_STATUSES: &[&str] = &["Draft", "In Progress", "Done"];

pub(super) fn values(
    ws: &Workspace,
    derived: &Derived,
    file: &SourceFile,
    offset: usize,
    label: &'static str,
    value_start: usize,
    line_end: usize,
) -> Completions {
    let text = &*file.text;
    let range = TextRange::new(value_start, line_end.max(offset));
    let typed = text[value_start..offset].trim().to_lowercase();
    let scope = match (file.facts.kind, item_at(file, offset).map(|i| i.kind)) {
        (FileKind::Story, Some(ItemKind::Task)) => Scope::Task,
        (FileKind::Story, _) => Scope::Story,
        _ => Scope::Issue,
    };
    if label == "milestone" {
        return milestones(ws, derived, range, &typed);
    }
    let vocabulary = &ws.config().vocabulary;
    let configured: Vec<String> = match (label, scope) {
        ("status", Scope::Issue) => vocabulary.statuses.clone(),
        ("status", Scope::Task) => vocabulary.task_statuses.clone(),
        ("status", Scope::Story) => STORY_STATUSES.iter().map(|s| s.to_string()).collect(),
        ("type", _) => vocabulary.types.clone(),
        ("expert", _) => vocabulary.experts.clone(),
        ("domain", _) => vocabulary.domains.clone(),
        ("estimated effort", _) => vocabulary.efforts.clone(),
        _ => Vec::new(),
    };
    let source = if scope == Scope::Story && label == "status" {
        "usual story status"
    } else {
        "vocabulary"
    };
    let mut known: HashSet<String> = configured.iter().map(|v| norm(v)).collect();
    let mut all: Vec<(String, &str)> = configured.into_iter().map(|v| (v, source)).collect();
    for v in derived.seen(scope, label) {
        if known.insert(norm(v)) {
            all.push((v.clone(), "used in the workspace"));
        }
    }
    let items = all
        .into_iter()
        .filter(|(v, _)| typed.is_empty() || v.to_lowercase().contains(&typed))
        .map(|(v, source)| {
            let mut c = Completion::new(v, CompletionKind::Value, range);
            c.detail = Some(source.to_string());
            c
        })
        .collect();
    Completions {
        items,
        incomplete: false,
    }
}

fn milestones(ws: &Workspace, derived: &Derived, range: TextRange, typed: &str) -> Completions {
    let mut found: Vec<(bool, &str, String, Option<String>)> = derived
        .milestones()
        .iter()
        .filter_map(|id| {
            let (file, item) = ws.item(id)?;
            let status = status_text(file, item);
            Some((
                derived.is_done(id),
                id.as_str(),
                item.title.to_string(),
                status,
            ))
        })
        .filter(|(_, id, title, _)| match_rank(typed, id, id, || title).is_some())
        .collect();
    found.sort_by_key(|m| m.0);
    let items = found
        .into_iter()
        .map(|(_, id, title, status)| {
            let mut c = Completion::new(id.to_string(), CompletionKind::Value, range);
            c.filter_text = format!("{id} {title}");
            c.detail = (!title.is_empty()).then_some(title);
            c.documentation = status.map(|s| format!("Status: {s}"));
            c
        })
        .collect();
    Completions {
        items,
        incomplete: false,
    }
}
