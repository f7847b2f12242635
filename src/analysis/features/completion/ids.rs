//! Completion of IDs in dependency fields and a story's dependency bullets:
//! filtered by ID or title words, open before done, and those that would
//! close a dependency cycle last and marked.

use std::borrow::Cow;

use rayon::prelude::*;
use rustc_hash::FxHashSet;

use super::{Completion, CompletionKind, Completions, LIMIT};
use crate::analysis::features::Derived;
use crate::analysis::features::{item_at, status_text};
use crate::analysis::graph::{cycle_targets, Walk};
use crate::analysis::intern::Id;
use crate::analysis::model::{Item, ItemKind};
use crate::analysis::text::TextRange;
use crate::analysis::workspace::{SourceFile, Workspace};

/// Which way an ID is written where the cursor is.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum IdContext {
    /// A dependency field of an issue, task or milestone spec.
    Field,
    /// A bullet of a story's `## Dependencies` section (`Story 015`).
    StoryBullet,
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '-' | '_' | '/' | '#' | '.')
}

/// The word around `offset`.
fn word_at(text: &str, offset: usize, floor: usize) -> TextRange {
    let start = text[floor..offset]
        .char_indices()
        .rev()
        .take_while(|&(_, c)| is_word_char(c))
        .last()
        .map_or(offset, |(i, _)| floor + i);
    let end = text[offset..]
        .char_indices()
        .find(|&(_, c)| !is_word_char(c))
        .map_or(text.len(), |(i, _)| offset + i);
    // A trailing full stop or comma ends the sentence, not the name.
    let end = start + text[start..end].trim_end_matches('.').len();
    TextRange::new(start, end.max(offset))
}

/// Whether the value before the cursor is prose (a note in parentheses, or
/// text after a dash) rather than a list of IDs.
fn in_prose(value: &str) -> bool {
    let mut depth = 0i32;
    for (i, c) in value.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            _ if depth <= 0 && i > 0 => {
                let rest = &value[i..];
                if [" — ", " – ", " -- ", " - "]
                    .iter()
                    .any(|d| rest.starts_with(d))
                {
                    return true;
                }
            }
            _ => {}
        }
    }
    depth > 0
}

pub(super) fn ids(
    ws: &Workspace,
    derived: &Derived,
    file: &SourceFile,
    offset: usize,
    value_start: usize,
    context: IdContext,
) -> Completions {
    let text = &*file.text;
    let word = word_at(text, offset, value_start);
    if in_prose(&text[value_start..word.start()]) {
        return Completions::default();
    }
    let typed = text[word.start()..offset].to_lowercase();
    // `Story 01|`: a story candidate replaces the `Story ` before the word.
    let story_word = text[value_start..word.start()]
        .to_ascii_lowercase()
        .ends_with("story ")
        .then(|| TextRange::new(word.start() - "story ".len(), word.end()));
    let current = item_at(file, offset);
    let graph = &derived.ctx().graph;
    let own_task_parent = current
        .filter(|c| c.kind == ItemKind::Task && context == IdContext::Field)
        .and_then(|c| c.parent.as_deref());
    let mut targets = FxHashSet::default();
    // Compared by pointer, without a read of each candidate's `Id`.
    let mut excluded: Vec<Id> = Vec::new();
    if let Some(item) = current {
        excluded.push(item.id);
        for dep in &item.deps {
            if !dep.range.touches(offset) {
                excluded.extend(dep.target.id());
            }
        }
        targets = cycle_targets(graph, item);
    }
    let candidate = |i: usize| {
        let node = &graph.nodes[i];
        if excluded.contains(&node.id) {
            return None;
        }
        let id = node.id_text();
        let insert = written_form(ws, id, node.kind, context, own_task_parent)?;
        let rank = match_rank(&typed, id, &insert, || node.title())?;
        let sibling = own_task_parent.is_some_and(|p| {
            node.kind == ItemKind::Task && id.starts_with(p) && id[p.len()..].starts_with('/')
        });
        let kind = kind_rank(node.kind, sibling, current.map(|c| c.kind), context);
        Some((false, node.done, rank, kind, i, insert))
    };
    // Every item of the workspace is a candidate: on every core when there
    // are many.
    let mut matches: Vec<Scored> = if graph.nodes.len() > 4096 {
        (0..graph.nodes.len())
            .into_par_iter()
            .filter_map(candidate)
            .collect()
    } else {
        (0..graph.nodes.len()).filter_map(candidate).collect()
    };
    let order = |a: &Scored, b: &Scored| {
        (a.0, a.1, a.2, a.3)
            .cmp(&(b.0, b.1, b.2, b.3))
            .then_with(|| graph.nodes[a.4].id.cmp(&graph.nodes[b.4].id))
    };
    // Only the first LIMIT are sent. Pick twice as many in linear time by
    // everything but the cycle test (a walk of the graph each), test those,
    // and sort them: items closing a cycle go last, and the list is exact
    // unless more than LIMIT of the picked ones close cycles (the client
    // asks again as the user types: the list says it is incomplete).
    let incomplete = matches.len() > LIMIT;
    if matches.len() > 2 * LIMIT {
        matches.select_nth_unstable_by(2 * LIMIT, order);
        matches.truncate(2 * LIMIT);
    }
    let mut walk = Walk::new(graph, targets);
    for m in &mut matches {
        m.0 = walk.reaches(m.4);
    }
    matches.sort_by(order);
    matches.truncate(LIMIT);
    let scored = matches;
    let items = scored
        .into_iter()
        .map(|(cycle, _, _, _, i, insert)| {
            let node = &graph.nodes[i];
            let range = match story_word {
                Some(r) if node.kind == ItemKind::Story => r,
                _ => word,
            };
            let mut c = Completion::new(insert.to_string(), CompletionKind::Item(node.kind), range);
            c.filter_text = if range == word {
                format!("{insert} {}", node.title())
            } else {
                format!("{insert} {} {}", node.id, node.title())
            };
            c.detail = (!node.title().is_empty()).then(|| node.title().to_string());
            let mut doc = ws.item(&node.id).map(|(f, item)| summary(ws, f, item));
            if cycle {
                let current = current.map_or("", |c| c.id.as_str());
                let note = format!(
                    "⚠ Choosing it closes a dependency cycle: `{}` already depends, directly or not, on `{current}`.",
                    node.id
                );
                doc = Some(match doc {
                    Some(d) => format!("{d}\n\n{note}"),
                    None => note,
                });
            }
            c.documentation = doc;
            c.closes_cycle = cycle;
            c
        })
        .collect();
    Completions { items, incomplete }
}

/// A candidate ID: closes a cycle, is done, how well it matches, its kind's
/// rank, its node, and the text to insert.
type Scored<'a> = (bool, bool, u8, u8, usize, Cow<'a, str>);

/// Which kinds of items come first: stories in a story's dependencies,
/// sibling tasks then other tasks in a task's, issues elsewhere.
fn kind_rank(kind: ItemKind, sibling: bool, current: Option<ItemKind>, context: IdContext) -> u8 {
    let order: &[ItemKind] = match (context, current) {
        (IdContext::StoryBullet, _) => &[
            ItemKind::Story,
            ItemKind::Issue,
            ItemKind::Task,
            ItemKind::Milestone,
        ],
        (_, Some(ItemKind::Task)) => &[
            ItemKind::Task,
            ItemKind::Story,
            ItemKind::Issue,
            ItemKind::Milestone,
        ],
        _ => &[
            ItemKind::Issue,
            ItemKind::Milestone,
            ItemKind::Story,
            ItemKind::Task,
        ],
    };
    let at = order.iter().position(|k| *k == kind).unwrap_or(order.len()) as u8;
    if sibling {
        0
    } else {
        at + 1
    }
}

/// How an ID is written in the current context, or `None` when it cannot be
/// written at all (a milestone spec without a GitHub number).
pub(crate) fn written_form<'a>(
    ws: &'a Workspace,
    id: &'a str,
    kind: ItemKind,
    context: IdContext,
    own_story: Option<&str>,
) -> Option<Cow<'a, str>> {
    match kind {
        ItemKind::Story if context == IdContext::StoryBullet => {
            Some(Cow::Owned(format!("Story {}", without_story_prefix(id))))
        }
        // Every task of the workspace comes here on each completion: the
        // text is put together without the formatting machinery.
        ItemKind::Task => {
            let (story, number) = id.split_once('/')?;
            if own_story == Some(story) {
                Some(Cow::Borrowed(number))
            } else {
                let story = without_story_prefix(story);
                let mut insert = String::with_capacity(story.len() + 1 + number.len());
                insert.push_str(story);
                insert.push('/');
                insert.push_str(number);
                Some(Cow::Owned(insert))
            }
        }
        ItemKind::Issue if id.contains('/') => {
            let (_, item) = ws.item(id)?;
            item.aliases.first().map(|a| Cow::Borrowed(a.as_str()))
        }
        // Most candidates: no allocation for the thousands that do not match.
        _ => Some(Cow::Borrowed(id)),
    }
}

/// `id` without the `story-` it starts with (as often as it does).
fn without_story_prefix(mut id: &str) -> &str {
    while let Some(rest) = id.strip_prefix("story-") {
        id = rest;
    }
    id
}

/// How well a candidate matches the typed word: 0 when the text it inserts
/// starts with it, 1 for the start of the canonical ID, 2 for a part of
/// either, 3 for the start of a word of the title.
/// The title is read only when the ID does not decide it: it lies outside
/// the node, and reading it for every item was a cache miss each.
pub(super) fn match_rank<'t>(
    typed: &str,
    id: &str,
    insert: &str,
    title: impl FnOnce() -> &'t str,
) -> Option<u8> {
    if typed.is_empty() {
        return Some(0);
    }
    // This runs for every item of the workspace, and most insert their ID
    // as it is: each test runs once on a text that is the ID.
    if starts_with_lower(insert, typed) {
        return Some(0);
    }
    let inserts_id = std::ptr::eq(insert, id) || insert == id;
    if !inserts_id && starts_with_lower(id, typed) {
        return Some(1);
    }
    if contains_lower(id, typed) || (!inserts_id && contains_lower(insert, typed)) {
        return Some(2);
    }
    // A title word holds letters and digits only: a typed word with other
    // characters (`swe-feature-0`) starts none.
    if !typed.chars().all(char::is_alphanumeric) {
        return None;
    }
    title()
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| starts_with_lower(w, typed))
        .then_some(3)
}

/// Whether `text` starts with `lower` (lower-case), ignoring case: bytes
/// compared without allocating where that decides it, as it does for the
/// ASCII text IDs and most titles are.
fn starts_with_lower(text: &str, lower: &str) -> bool {
    if lower.is_ascii() {
        let n = lower.len();
        if text.len() >= n && text.as_bytes()[..n].eq_ignore_ascii_case(lower.as_bytes()) {
            return true;
        }
        if text.is_ascii() {
            return false;
        }
    }
    text.to_lowercase().starts_with(lower)
}

/// Whether `text` holds `lower` (lower-case), ignoring case, compared as
/// [`starts_with_lower`] does.
fn contains_lower(text: &str, lower: &str) -> bool {
    if let (true, Some((&first, rest))) = (lower.is_ascii(), lower.as_bytes().split_first()) {
        let found = text
            .as_bytes()
            .windows(lower.len())
            .any(|w| w[0].to_ascii_lowercase() == first && w[1..].eq_ignore_ascii_case(rest));
        if found {
            return true;
        }
        if text.is_ascii() {
            return false;
        }
    }
    text.to_lowercase().contains(lower)
}

/// One line on an item: status, milestone and criteria.
fn summary(ws: &Workspace, file: &SourceFile, item: &Item) -> String {
    let mut parts = Vec::new();
    if let Some(status) = status_text(file, item) {
        parts.push(format!("Status: {status}"));
    }
    if let Some(m) = &item.milestone {
        let id = ws.resolve(&m.target);
        parts.push(format!(
            "Milestone: {}",
            id.as_deref().unwrap_or(m.written.trim())
        ));
    }
    if !item.criteria.is_empty() {
        parts.push(format!(
            "Criteria: {}/{} done",
            item.criteria_done(),
            item.criteria.len()
        ));
    }
    parts.join(" · ")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Ranks as the user reads them, ignoring case, in ASCII and beyond it
    /// (where the bytes alone cannot decide).
    #[test]
    fn a_candidate_ranks_by_where_the_typed_word_matches() {
        let rank = |typed: &str, id: &str, insert: &str, title: &str| {
            match_rank(&typed.to_lowercase(), id, insert, || title)
        };
        assert_eq!(
            rank("SWE-F", "swe-feature-001", "swe-feature-001", ""),
            Some(0)
        );
        assert_eq!(rank("001/0", "story-001/002", "001/002", ""), Some(0));
        assert_eq!(rank("story-001/0", "story-001/002", "001/002", ""), Some(1));
        assert_eq!(
            rank("ture-00", "swe-feature-001", "swe-feature-001", ""),
            Some(2)
        );
        assert_eq!(rank("1/00", "story-001/002", "002", ""), Some(2));
        assert_eq!(
            rank(
                "ship",
                "swe-feature-001",
                "swe-feature-001",
                "Add reshipping"
            ),
            None
        );
        assert_eq!(
            rank(
                "ship",
                "swe-feature-001",
                "swe-feature-001",
                "Show Shipments"
            ),
            Some(3)
        );
        assert_eq!(
            rank("ärg", "swe-feature-001", "swe-feature-001", "Kein ÄRGER"),
            Some(3)
        );
        // The Kelvin sign lower-cases to an ASCII `k`.
        assert_eq!(
            rank("kilo", "ops-\u{212A}ilo-1", "ops-\u{212A}ilo-1", ""),
            Some(2)
        );
        assert_eq!(
            rank("x-9", "swe-feature-001", "swe-feature-001", "x 9"),
            None
        );
        assert_eq!(rank("", "swe-feature-001", "swe-feature-001", ""), Some(0));
    }

    #[test]
    fn a_story_prefix_goes_as_often_as_it_is_written() {
        assert_eq!(without_story_prefix("story-001"), "001");
        assert_eq!(without_story_prefix("story-story-001"), "001");
        assert_eq!(without_story_prefix("001-story-"), "001-story-");
    }
}
