//! `dangling-dependency`: a dependency names no known issue, story, task or
//! milestone (or one its dialect took out of the plan, as Backlog.md
//! archives a task), or is a link to a planning file that is not there. The checks
//! (with the "did you mean" suggestions) and the fixes (change to the
//! nearest ID, remove the dependency, create the issue) live here; the
//! metadata is `Rule::DanglingDependency` in `rule.rs`.

use crate::analysis::actions::fixes::{edit, reference_at, remove_reference};
use crate::analysis::actions::new_issue::{self, NewIssue};
use crate::analysis::actions::{next_issue_number, Action, Change};
use crate::analysis::dialect;
use crate::analysis::features::completion::{written_form, IdContext};
use crate::analysis::features::span_of;
use crate::analysis::graph::{closes_cycle, CYCLE_BUDGET};
use crate::analysis::ids;
use crate::analysis::model::{FileKind, Item, ItemKind, Reference};
use crate::analysis::parse::refs;
use crate::analysis::rules::context::Context;
use crate::analysis::rules::{Diagnostic, Payload, Rule, Sink};
use crate::analysis::suggest;
use crate::analysis::workspace::{SourceFile, Workspace};

/// How many "did you mean" suggestions one file's check looks up: past
/// that, a file holding hundreds of thousands of unknown IDs gets its
/// diagnostics without them rather than late.
const MAX_SUGGESTIONS_PER_FILE: usize = 1000;

/// How many graph nodes the test whether a "did you mean" hint would close
/// a cycle may visit: every check of every file runs it for each dangling
/// reference, so it stays small (the quick fix looks further).
const HINT_CYCLE_BUDGET: usize = 2_000;

/// The suggestions a file's check has looked up, by ID.
#[derive(Default)]
pub(crate) struct Suggestions {
    found: rustc_hash::FxHashMap<String, Vec<String>>,
}

impl Suggestions {
    fn for_id(&mut self, ctx: &Context, id: &str) -> &[String] {
        if !self.found.contains_key(id) {
            let found = if self.found.len() >= MAX_SUGGESTIONS_PER_FILE {
                Vec::new()
            } else {
                suggest_ids(ctx, id)
            };
            self.found.insert(id.to_string(), found);
        }
        &self.found[id]
    }
}

/// Reports `dep` when it is a link to a file that is not a planning file of
/// the workspace, whatever the ID its name stands for, and returns whether
/// it was: such a dependency is checked no further.
pub(crate) fn check_link(
    ws: &Workspace,
    file: &SourceFile,
    dep: &Reference,
    id: &str,
    sink: &mut Sink<'_>,
) -> bool {
    let Some(path) = refs::written_link_path(&file.rel, &dep.written) else {
        return false;
    };
    if ws.file(&path).is_some() || ws.unreadable().contains_key(&path) {
        return false;
    }
    let message =
        format!("the link points at `{path}`, which is not a planning file of the workspace");
    sink.push_with(
        Rule::DanglingDependency,
        dep.range,
        message,
        Payload::DanglingLink {
            id: id.to_string(),
            path,
        },
    );
    true
}

/// Reports `dep`, whose `id` names no item but one that the dialect of
/// `file` took out of the plan (an archived task), and returns whether it
/// names one. The dependency still waits on nothing the plan holds, so it
/// stays a finding; the message says where the item went, without a "did
/// you mean" guess at another. An item carried out before it left the
/// plan (a GSD plan of a shipped milestone) meets the dependency: nothing
/// to report.
pub(crate) fn check_retired(
    ws: &Workspace,
    file: &SourceFile,
    dep: &Reference,
    id: &str,
    sink: &mut Sink<'_>,
) -> bool {
    let Some(retired) = dialect::retired_item(ws, file, id) else {
        return false;
    };
    if retired.is_done() {
        return true;
    }
    let folder = retired.rel.rfind('/').map_or("", |at| &retired.rel[..=at]);
    sink.push_with(
        Rule::DanglingDependency,
        dep.range,
        format!(
            "`{id}`{} is {} in `{folder}`; remove the dependency or restore the {}",
            written_range(dep, id),
            retired.state,
            kind_of(dep, id)
        ),
        Payload::Retired { id: id.to_string() },
    );
    true
}

/// What a dependency on `id` expects to name: `task`, `story`, ...
fn kind_of(dep: &Reference, id: &str) -> &'static str {
    if let Some(expected) = dep.expects {
        expected.name()
    } else if id.starts_with('M') {
        "milestone"
    } else if id.starts_with("story-") && id.contains('/') {
        "task"
    } else if id.starts_with("story-") {
        "story"
    } else {
        "issue"
    }
}

/// ` (from `…`)` when the dependency was written as a range that gave
/// `id`, else nothing.
fn written_range(dep: &Reference, id: &str) -> String {
    if !dep.written.eq_ignore_ascii_case(id) && dep.written.contains(' ') {
        format!(" (from `{}`)", dep.written)
    } else {
        String::new()
    }
}

/// How a finding names `id`, which `dep` wrote, and the scope to add: as
/// written where a dialect scopes its IDs and the reference leaves the
/// scope out (`3.9` of `notify` for `notify/task-3.9`, `T099` of
/// `001-signin`) or writes it shorter (`015/004`), else the ID itself and
/// no scope.
fn named<'a>(dep: &'a Reference, id: &'a str) -> (&'a str, Option<&'a str>) {
    let written = dep.written.trim();
    let Some((scope, _)) = id.rsplit_once('/') else {
        return (id, None);
    };
    let ends_id = !written.is_empty()
        && !written.contains(' ')
        && id.len() > written.len()
        && id.is_char_boundary(id.len() - written.len())
        && id[id.len() - written.len()..].eq_ignore_ascii_case(written);
    match (ends_id, written.contains('/')) {
        (false, _) => (id, None),
        // `015/004` for `story-015/004` says its scope itself.
        (true, true) => (written, None),
        (true, false) => (written, Some(scope)),
    }
}

/// Reports `dep`, whose ID names nothing, with the nearest ID as a hint.
/// `item` is the item that holds it; a `Next task` reference has none.
pub(crate) fn check(
    ws: &Workspace,
    ctx: &Context,
    file: &SourceFile,
    item: Option<&Item>,
    dep: &Reference,
    suggestions: &mut Suggestions,
    sink: &mut Sink<'_>,
) {
    let Some(id) = dep.target.as_id() else {
        return;
    };
    let kind = kind_of(dep, id);
    let in_range = written_range(dep, id);
    let (shown, scope) = named(dep, id);
    let of_scope = scope.map(|s| format!(" of `{s}`")).unwrap_or_default();
    // The nearest ID that closes no dependency cycle, as the preferred
    // quick fix writes; else the nearest, with a warning.
    // Only those the dialect calls likely (a GSD plan of the same phase).
    let found: Vec<&String> = suggestions
        .for_id(ctx, id)
        .iter()
        .filter(|s| dialect::may_suggest(file, item, id, s))
        .collect();
    let (suggestion, closes) = match found
        .iter()
        .find(|s| !item.is_some_and(|i| closes_cycle(&ctx.graph, i, s, HINT_CYCLE_BUDGET)))
    {
        Some(s) => (Some(*s), false),
        None => (found.first().copied(), true),
    };
    let written = file
        .text
        .get(dep.range.start()..dep.range.end())
        .unwrap_or("");
    let hint = match suggestion.map(|s| (written_like(ws, file, item, written, id, s), closes)) {
        Some((s, false)) => format!("; did you mean `{s}`?"),
        Some((s, true)) => format!("; did you mean `{s}`? (it would close a dependency cycle)"),
        None => String::new(),
    };
    sink.push_with(
        Rule::DanglingDependency,
        dep.range,
        format!("`{shown}`{in_range} names no known {kind}{of_scope}{hint}"),
        Payload::Dangling {
            id: id.to_string(),
            suggestion: suggestion.cloned(),
            closes_cycle: suggestion.is_some() && closes,
        },
    );
}

/// The likely intended IDs for a misspelt one, nearest first, found by
/// looking up near variants rather than comparing with every ID in the
/// workspace.
pub(crate) fn suggest_ids(ctx: &Context, id: &str) -> Vec<String> {
    if let Some(parts) = ids::issue_parts(id) {
        // The same number with another expert or type comes first: issue
        // numbers are unique across types, so it is most likely the issue
        // renamed (`swe-feature-004` become `swe-techdebt-004`), however far
        // its name is from the one written.
        let mut same_number: Vec<String> = ctx
            .by_number
            .ids(parts.number)
            .map(|id| id.to_string())
            .filter(|other| other != id)
            .collect();
        same_number.sort();
        let mut candidates: Vec<String> = Vec::new();
        // One digit changed, dropped, added or swapped.
        let digits = parts.digits;
        let mut variants = Vec::new();
        for i in 0..digits.len() {
            variants.push(format!("{}{}", &digits[..i], &digits[i + 1..]));
            for d in '0'..='9' {
                variants.push(format!("{}{d}{}", &digits[..i], &digits[i + 1..]));
                variants.push(format!("{}{d}{}", &digits[..i], &digits[i..]));
            }
            if i + 1 < digits.len() {
                let mut b: Vec<char> = digits.chars().collect();
                b.swap(i, i + 1);
                variants.push(b.into_iter().collect());
            }
        }
        // Looked up among the issues of that number: most variants name
        // none, and a number costs no string to look up.
        for n in variants.iter().filter_map(|v| v.parse::<u32>().ok()) {
            let mut issues = ctx.by_number.ids(n).peekable();
            if issues.peek().is_none() {
                continue;
            }
            let candidate = ids::issue_id(parts.expert, parts.kind, n);
            if candidate != id && issues.any(|issue| issue == candidate) {
                candidates.push(candidate);
            }
        }
        candidates.sort();
        candidates.dedup();
        candidates.retain(|c| !same_number.contains(c));
        let near = suggest::ranked(id, candidates.iter().map(String::as_str));
        return same_number
            .iter()
            .map(String::as_str)
            .chain(near)
            .map(str::to_string)
            .collect();
    }
    if ctx.graph.nodes.len() <= 5000 {
        return suggest::ranked(id, ctx.graph.nodes.iter().map(|n| n.id.as_str()))
            .into_iter()
            .map(str::to_string)
            .collect();
    }
    Vec::new()
}

/// Its fixes, the nearest ID that closes no cycle preferred.
pub(crate) fn fixes(
    ws: &Workspace,
    ctx: &Context,
    file: &SourceFile,
    d: &Diagnostic,
) -> Vec<Action> {
    let (Payload::Dangling { id, .. } | Payload::DanglingLink { id, .. } | Payload::Retired { id }) =
        &d.payload
    else {
        return Vec::new();
    };
    let id = id.as_str();
    let Some((item, reference)) = reference_at(file, d.range) else {
        return Vec::new();
    };
    let shown = named(reference, id).0;
    let remove = || {
        Action::fix(
            format!("Remove the dependency on `{shown}`"),
            d,
            edit(file, remove_reference(file, item, reference)),
        )
    };
    // A retired item is not misspelt: no other ID is offered in its place.
    if matches!(d.payload, Payload::Retired { .. }) {
        return vec![remove().preferred()];
    }
    let mut out = Vec::new();
    let span = span_of(&file.text, reference).unwrap_or(reference.range);
    // The nearest ID that closes no dependency cycle is the preferred fix;
    // a nearer one that closes a cycle is offered last, and never
    // preferred.
    let closes = |candidate: &str| {
        item.is_some_and(|i| closes_cycle(&ctx.graph, i, candidate, CYCLE_BUDGET))
    };
    let mut suggestions = suggest_ids(ctx, id);
    suggestions.retain(|s| dialect::may_suggest(file, item, id, s));
    let nearest = suggestions.first().filter(|s| closes(s));
    let change_to = |suggestion: &str, note: &str| {
        let written = &file.text[span.start()..span.end()];
        let text = written_like(ws, file, item, written, id, suggestion);
        Action::fix(
            format!("Change to `{text}`{note}"),
            d,
            edit(file, vec![(span, text.clone())]),
        )
    };
    if let Some(suggestion) = suggestions.iter().find(|s| !closes(s)) {
        out.push(change_to(suggestion, "").preferred());
    }
    out.push(remove());
    let cyclic = nearest.map(|s| change_to(s, " (closes a dependency cycle)"));
    if let Some(parts) = ids::issue_parts(id) {
        let number = next_issue_number(ws);
        let milestone = item
            .and_then(|i| i.field_value(&file.text, "milestone"))
            .map(str::to_string);
        let new = NewIssue {
            title: String::new(),
            expert: parts.expert.to_string(),
            kind: parts.kind.to_string(),
            milestone,
            near: Some(file.rel.to_string()),
            number: Some(number),
        };
        if let Ok((_, new_id, mut changes)) = new_issue::create(ws, &new) {
            if new_id != id {
                changes.push(Change::Edit {
                    rel: file.rel.to_string(),
                    edits: vec![(span, new_id.clone())],
                });
            }
            out.push(Action::fix(
                format!("Create issue `{new_id}` from the template"),
                d,
                changes,
            ));
        }
    }
    out.extend(cyclic);
    out
}

/// How `id` is written where `written` (which named `missing`) stands, as
/// completion writes it: a task of the same story by its number (`003`),
/// another story's task as `015/003`, a story as `Story 015` where the text
/// names it so; in a dialect's file, an item of the scope `missing` was in
/// as the dialect writes it there (`1.1` for `notify/task-1.1`).
fn written_like(
    ws: &Workspace,
    file: &SourceFile,
    item: Option<&Item>,
    written: &str,
    missing: &str,
    id: &str,
) -> String {
    let Some((_, target)) = ws.item(id) else {
        return id.to_string();
    };
    if let FileKind::Dialect(dialect_file) = file.facts.kind {
        let scope = |id: &str| id.rsplit_once('/').map(|(scope, _)| scope.to_string());
        if scope(id) == scope(missing) {
            let local = dialect::written_id(dialect_file, target);
            // A reference that names its scope (`001-auth/T009`, written in
            // another feature's tasks) keeps it, as written: bare, `T001`
            // would name a task of the file's own scope.
            return match written.trim().rsplit_once('/') {
                Some((written_scope, _)) if !local.contains('/') => {
                    format!("{written_scope}/{local}")
                }
                _ => local,
            };
        }
        return id.to_string();
    }
    let context = if written.trim().to_ascii_lowercase().starts_with("story ") {
        IdContext::StoryBullet
    } else {
        IdContext::Field
    };
    let own_story = item
        .filter(|i| i.kind == ItemKind::Task)
        .and_then(|i| i.parent.as_deref());
    written_form(ws, id, target.kind, context, own_story)
        .map_or_else(|| id.to_string(), |w| w.into_owned())
}

#[cfg(test)]
mod tests {
    use crate::analysis::fixture;
    use crate::analysis::rules::{check_file, Context, Payload, Rule};

    /// The payloads of the `dangling-dependency` findings of a story whose
    /// dependency is a link to `target`, beside the story file `setup`.
    fn payloads(target: &str) -> Vec<Payload> {
        let rel = "stories/015-login.md";
        let ws = fixture::workspace(&format!(
            "//- stories/001-project-setup.md\n# Story 001: Setup\n\n**Status:** Done\n\n## Acceptance Criteria\n\n- [x] The repository builds\n//- {rel}\n# Story 015: Login\n\n**Status:** In Progress\n\n## Acceptance Criteria\n\n- [ ] The clerk sees the form\n\n## Dependencies\n\n- After [the setup story]({target}).\n"
        ))
        .workspace;
        let ctx = Context::new(&ws);
        check_file(&ws, &ctx, rel)
            .into_iter()
            .filter(|d| d.rule == Rule::DanglingDependency)
            .map(|d| d.payload)
            .collect()
    }

    #[test]
    fn a_link_must_name_a_file_that_is_there() {
        assert_eq!(payloads("001-project-setup.md"), []);
        // The number the name starts with is a story's, but the file is not
        // there: the link is what dangles, not the ID.
        assert_eq!(
            payloads("001-setup.md"),
            [Payload::DanglingLink {
                id: "story-001".to_string(),
                path: "stories/001-setup.md".to_string(),
            }]
        );
    }
}
