//! Completion at a cursor: IDs in dependency fields, vocabulary values after
//! `**Status:**` and its kin, missing field names after `**`, missing
//! template sections after `## `, and the next task after `### `.

use std::collections::{HashMap, HashSet};

use crate::analysis::features::{in_ignored, item_at, status_text, Derived, Scope, VALUE_LABELS};
use crate::analysis::graph::Graph;
use crate::analysis::model::{FileKind, Item, ItemKind};
use crate::analysis::text::{floor_char_boundary, TextRange};
use crate::analysis::workspace::{SourceFile, Workspace};

/// At most this many candidates are returned; the list is then incomplete.
pub const LIMIT: usize = 200;

/// How many graph nodes the cycle check may visit per request.
const CYCLE_BUDGET: usize = 100_000;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Completions {
    pub items: Vec<Completion>,
    /// More candidates matched than were returned: ask again as the user
    /// types.
    pub incomplete: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompletionKind {
    /// An ID of an item of this kind.
    Item(ItemKind),
    /// A vocabulary value or a milestone after a field label.
    Value,
    /// A `**Label:**` field name.
    Field,
    /// A `## ` template section.
    Section,
    /// A whole `### NNN:` task.
    Task,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Completion {
    pub label: String,
    pub kind: CompletionKind,
    /// One line shown next to the label (an item's title).
    pub detail: Option<String>,
    /// Markdown.
    pub documentation: Option<String>,
    /// The text the candidate replaces; it holds the cursor.
    pub range: TextRange,
    /// The plain text to insert.
    pub insert: String,
    /// The same text as an LSP snippet (`$1` tab stops), when it has any.
    pub snippet: Option<String>,
    /// What clients match the typed text against.
    pub filter_text: String,
    /// Clients sort by this; the list is already in this order.
    pub sort_text: String,
    /// Choosing this ID would close a dependency cycle (show it struck out).
    pub closes_cycle: bool,
}

impl Completion {
    fn new(label: String, kind: CompletionKind, range: TextRange) -> Completion {
        Completion {
            insert: label.clone(),
            filter_text: label.clone(),
            label,
            kind,
            detail: None,
            documentation: None,
            range,
            snippet: None,
            sort_text: String::new(),
            closes_cycle: false,
        }
    }
}

/// The candidates at `offset` in the file `rel`.
pub fn completion(ws: &Workspace, derived: &Derived, rel: &str, offset: usize) -> Completions {
    let Some(file) = ws.file(rel) else {
        return Completions::default();
    };
    let text = &*file.text;
    let offset = floor_char_boundary(text, offset);
    if in_ignored(file, offset) {
        return Completions::default();
    }
    let line = file.line_index.line_range(file.line_index.line_of(offset));
    let line = TextRange::new(
        line.start,
        line.start
            + text[line.start..line.end]
                .trim_end_matches(['\n', '\r'])
                .len(),
    );
    let before = &text[line.start..offset];
    let mut out = if let Some(field) = field_line(text, line).filter(|f| offset >= f.value_start) {
        let label = field.label.to_ascii_lowercase();
        if is_dependency_label(&label) {
            ids(
                ws,
                derived,
                file,
                offset,
                field.value_start,
                IdContext::Field,
            )
        } else if let Some(&label) = VALUE_LABELS.iter().find(|l| **l == label) {
            values(
                ws,
                derived,
                file,
                offset,
                label,
                field.value_start,
                line.end,
            )
        } else {
            Completions::default()
        }
    } else if let Some(value_start) = story_dependency_bullet(file, line, offset) {
        ids(
            ws,
            derived,
            file,
            offset,
            value_start,
            IdContext::StoryBullet,
        )
    } else if is_label_start(before) && replace_end(text, offset, line) == line.end {
        fields(file, offset, line)
    } else if let Some(rest) = before.strip_prefix("### ") {
        if rest.contains('#') {
            Completions::default()
        } else {
            next_task(ws, file, offset, line)
        }
    } else if let Some(rest) = before.strip_prefix("## ") {
        if rest.contains('#') {
            Completions::default()
        } else {
            sections(file, offset, line)
        }
    } else {
        Completions::default()
    };
    for (i, item) in out.items.iter_mut().enumerate() {
        item.sort_text = format!("{i:04}");
    }
    out
}

/// Labels of the fields that hold dependencies.
const DEPENDENCY_LABELS: &[&str] = &[
    "dependencies",
    "depends on",
    "depends",
    "prerequisites",
    "blocked by",
];

fn is_dependency_label(label: &str) -> bool {
    DEPENDENCY_LABELS.contains(&label.trim())
}

/// A `**Label:** value` line as the user is typing it.
struct FieldLine {
    label: String,
    /// Where the value starts (after the label and any spaces).
    value_start: usize,
}

fn field_line(text: &str, line: TextRange) -> Option<FieldLine> {
    let raw = &text[line.start..line.end];
    let body = raw.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    let body = ["- ", "* ", "+ "]
        .iter()
        .find_map(|m| body.strip_prefix(m))
        .map_or(body, str::trim_start);
    let inner = body.strip_prefix("**")?;
    let close = inner.find("**")?;
    let label_part = &inner[..close];
    let after = &inner[close + 2..];
    let (label, value) = match label_part.strip_suffix(':') {
        Some(label) => (label, after),
        None => (label_part, after.strip_prefix(':')?),
    };
    let value_start = line.end - value.len() + (value.len() - value.trim_start().len());
    Some(FieldLine {
        label: label.trim().to_string(),
        value_start,
    })
}

/// Where a story's `## Dependencies` bullet's value starts, when the cursor
/// is in one.
fn story_dependency_bullet(file: &SourceFile, line: TextRange, offset: usize) -> Option<usize> {
    if file.facts.kind != FileKind::Story {
        return None;
    }
    let story = file.facts.items.first()?;
    story.sections.iter().find(|s| {
        s.level == 2
            && s.title.trim().eq_ignore_ascii_case("dependencies")
            && s.heading_range.end < line.start
            && s.range.touches(offset)
    })?;
    let raw = &file.text[line.start..line.end];
    let indent = raw.len() - raw.trim_start().len();
    let rest = raw[indent..].strip_prefix(['-', '*', '+'])?;
    let start = line.start + indent + 1 + (rest.len() - rest.trim_start().len());
    (offset >= start).then_some(start)
}

/// Which way an ID is written where the cursor is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum IdContext {
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

fn ids(
    ws: &Workspace,
    derived: &Derived,
    file: &SourceFile,
    offset: usize,
    value_start: usize,
    context: IdContext,
) -> Completions {
    let text = &*file.text;
    let word = word_at(text, offset, value_start);
    if in_prose(&text[value_start..word.start]) {
        return Completions::default();
    }
    let typed = text[word.start..offset].to_lowercase();
    // `Story 01|`: a story candidate replaces the `Story ` before the word.
    let story_word = text[value_start..word.start]
        .to_ascii_lowercase()
        .ends_with("story ")
        .then(|| TextRange::new(word.start - "story ".len(), word.end));
    let current = item_at(file, offset);
    let graph = &derived.ctx().graph;
    let current_story = current.and_then(|c| match c.kind {
        ItemKind::Task => c.parent.as_deref(),
        ItemKind::Story => Some(c.id.as_str()),
        _ => None,
    });
    let own_task_parent = current
        .filter(|c| c.kind == ItemKind::Task && context == IdContext::Field)
        .and_then(|c| c.parent.as_deref());
    // The items a candidate must not reach: the current item, plus its
    // story's tasks for a story (they inherit its dependencies) or its
    // story for a task (the story waits for it).
    let mut targets = HashSet::new();
    let mut excluded: HashSet<&str> = HashSet::new();
    if let Some(item) = current {
        excluded.insert(item.id.as_str());
        for dep in &item.deps {
            if !dep.range.touches(offset) {
                if let Some(id) = dep.target.as_id() {
                    excluded.insert(id);
                }
            }
        }
        targets.extend(graph.index.get(&item.id).copied());
        if let Some(story) = current_story {
            targets.extend(graph.index.get(story).copied());
            if item.kind == ItemKind::Story {
                let prefix = format!("{story}/");
                targets.extend(
                    graph
                        .index
                        .iter()
                        .filter(|(id, _)| id.starts_with(&prefix))
                        .map(|(_, &i)| i),
                );
            }
        }
    }
    let mut matches = Vec::new();
    for (i, node) in graph.nodes.iter().enumerate() {
        if excluded.contains(node.id.as_str()) {
            continue;
        }
        let Some(insert) = written_form(ws, &node.id, node.kind, context, own_task_parent) else {
            continue;
        };
        let Some(rank) = match_rank(&typed, &node.id, &insert, &node.title) else {
            continue;
        };
        let sibling = own_task_parent.is_some_and(|p| {
            node.kind == ItemKind::Task
                && node.id.starts_with(p)
                && node.id[p.len()..].starts_with('/')
        });
        let kind = kind_rank(node.kind, sibling, current.map(|c| c.kind), context);
        matches.push((i, insert, rank, kind));
    }
    let mut walk = Walk::new(graph, targets);
    let mut scored: Vec<_> = matches
        .into_iter()
        .map(|(i, insert, rank, other)| {
            let cycle = walk.reaches(i);
            (cycle, graph.nodes[i].done, rank, other, i, insert)
        })
        .collect();
    scored.sort_by(|a, b| {
        (a.0, a.1, a.2, a.3)
            .cmp(&(b.0, b.1, b.2, b.3))
            .then_with(|| graph.nodes[a.4].id.cmp(&graph.nodes[b.4].id))
    });
    let incomplete = scored.len() > LIMIT;
    scored.truncate(LIMIT);
    let items = scored
        .into_iter()
        .map(|(cycle, _, _, _, i, insert)| {
            let node = &graph.nodes[i];
            let range = match story_word {
                Some(r) if node.kind == ItemKind::Story => r,
                _ => word,
            };
            let mut c = Completion::new(insert.clone(), CompletionKind::Item(node.kind), range);
            c.filter_text = if range == word {
                format!("{insert} {}", node.title)
            } else {
                format!("{insert} {} {}", node.id, node.title)
            };
            c.detail = (!node.title.is_empty()).then(|| node.title.clone());
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
fn written_form(
    ws: &Workspace,
    id: &str,
    kind: ItemKind,
    context: IdContext,
    own_story: Option<&str>,
) -> Option<String> {
    match kind {
        ItemKind::Story if context == IdContext::StoryBullet => {
            Some(format!("Story {}", id.trim_start_matches("story-")))
        }
        ItemKind::Task => {
            let (story, number) = id.split_once('/')?;
            if own_story == Some(story) {
                Some(number.to_string())
            } else {
                Some(format!("{}/{number}", story.trim_start_matches("story-")))
            }
        }
        ItemKind::Issue if id.contains('/') => {
            let (_, item) = ws.item(id)?;
            item.aliases.first().cloned()
        }
        _ => Some(id.to_string()),
    }
}

/// How well a candidate matches the typed word: 0 when the text it inserts
/// starts with it, 1 for the start of the canonical ID, 2 for a part of
/// either, 3 for the start of a word of the title.
fn match_rank(typed: &str, id: &str, insert: &str, title: &str) -> Option<u8> {
    if typed.is_empty() {
        return Some(0);
    }
    let id = id.to_lowercase();
    let insert = insert.to_lowercase();
    if insert.starts_with(typed) {
        return Some(0);
    }
    if id.starts_with(typed) {
        return Some(1);
    }
    if id.contains(typed) || insert.contains(typed) {
        return Some(2);
    }
    title
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| w.starts_with(typed))
        .then_some(3)
}

/// Which nodes reach a set of targets along dependency edges, remembered
/// across candidates and bounded in work.
struct Walk<'g> {
    graph: &'g Graph,
    targets: HashSet<usize>,
    memo: HashMap<usize, bool>,
    budget: usize,
}

impl<'g> Walk<'g> {
    fn new(graph: &'g Graph, targets: HashSet<usize>) -> Walk<'g> {
        Walk {
            graph,
            targets,
            memo: HashMap::new(),
            budget: CYCLE_BUDGET,
        }
    }

    /// Whether `start` depends, directly or not, on a target.
    fn reaches(&mut self, start: usize) -> bool {
        if self.targets.is_empty() {
            return false;
        }
        // A story's own task inherits the story's dependencies, and a
        // task's story waits for it: either way, a cycle.
        if self.targets.contains(&start) {
            return true;
        }
        if let Some(&known) = self.memo.get(&start) {
            return known;
        }
        let mut seen = HashSet::from([start]);
        let mut stack = vec![start];
        while let Some(n) = stack.pop() {
            if self.budget == 0 {
                // Out of budget: say nothing rather than something wrong.
                return false;
            }
            self.budget -= 1;
            for &d in &self.graph.nodes[n].deps {
                if self.targets.contains(&d) || self.memo.get(&d) == Some(&true) {
                    self.memo.insert(start, true);
                    return true;
                }
                if self.memo.get(&d) != Some(&false) && seen.insert(d) {
                    stack.push(d);
                }
            }
        }
        // Every node seen has been explored in full without reaching a
        // target, so none of them can.
        for n in seen {
            self.memo.insert(n, false);
        }
        false
    }
}

/// One line on an item: status, milestone and criteria.
pub(crate) fn summary(ws: &Workspace, file: &SourceFile, item: &Item) -> String {
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

/// How values are compared: case, `_`/space/`-` and a trailing "session"
/// do not matter.
fn norm(v: &str) -> String {
    let v = v.trim().to_lowercase().replace(['_', ' '], "-");
    v.trim_end_matches("-session").to_string()
}

/// Statuses for stories, which the configuration has no list for.
const STORY_STATUSES: &[&str] = &["Draft", "In Progress", "Done"];

fn values(
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
            Some((derived.is_done(id), id.as_str(), item.title.clone(), status))
        })
        .filter(|(_, id, title, _)| match_rank(typed, id, id, title).is_some())
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

/// Whether the text before the cursor is `**` and a partial label, at the
/// start of the line.
fn is_label_start(before: &str) -> bool {
    before
        .strip_prefix("**")
        .is_some_and(|rest| rest.chars().all(|c| c.is_alphabetic() || c == ' '))
}

/// The end of a replacement that starts at the line start: the line's end
/// when only white space, `*` or `:` follow the cursor (an editor closing
/// `**` by itself), else the cursor.
fn replace_end(text: &str, offset: usize, line: TextRange) -> usize {
    let rest = &text[offset..line.end];
    if rest
        .chars()
        .all(|c| c.is_whitespace() || c == '*' || c == ':')
    {
        line.end
    } else {
        offset
    }
}

fn fields(file: &SourceFile, offset: usize, line: TextRange) -> Completions {
    let Some(item) = item_at(file, offset) else {
        return Completions::default();
    };
    let section = item
        .sections
        .iter()
        .filter(|s| s.level >= 2 && s.heading_range.end <= line.start && s.range.touches(offset))
        .max_by_key(|s| s.level);
    let names: &[&str] = match (item.kind, section.map(|s| s.title.to_ascii_lowercase())) {
        (ItemKind::Task, _) => &["Domain", "Status", "Depends on"],
        (ItemKind::Issue, None) => &["Type", "Expert", "Milestone", "Status"],
        (ItemKind::Issue, Some(s)) if s == "technical notes" || s == "notes" => {
            &["Estimated effort", "Dependencies", "Inputs", "Out of scope"]
        }
        (ItemKind::Story, None) => &["Status", "Milestone"],
        _ => &[],
    };
    let has = |name: &str| {
        if name == "Depends on" || name == "Dependencies" {
            item.fields
                .iter()
                .any(|f| is_dependency_label(&f.label.to_ascii_lowercase()))
        } else {
            item.field(name).is_some()
        }
    };
    let range = TextRange::new(line.start, replace_end(&file.text, offset, line));
    let items = names
        .iter()
        .filter(|n| !has(n))
        .map(|name| {
            let label = format!("**{name}:**");
            let mut c = Completion::new(label.clone(), CompletionKind::Field, range);
            c.insert = format!("{label} ");
            c
        })
        .collect();
    Completions {
        items,
        incomplete: false,
    }
}

const ISSUE_SECTIONS: &[&str] = &[
    "User Story",
    "Description",
    "Acceptance Criteria",
    "Technical Notes",
];
const STORY_SECTIONS: &[&str] = &[
    "User Story",
    "Description",
    "Acceptance Criteria",
    "Technical Notes",
    "Out of Scope",
    "Dependencies",
    "Tasks",
];

fn sections(file: &SourceFile, offset: usize, line: TextRange) -> Completions {
    let names = match file.facts.kind {
        FileKind::Issue => ISSUE_SECTIONS,
        FileKind::Story => STORY_SECTIONS,
        _ => return Completions::default(),
    };
    let Some(item) = file.facts.items.first() else {
        return Completions::default();
    };
    let range = TextRange::new(line.start, replace_end(&file.text, offset, line));
    let items = names
        .iter()
        .filter(|name| {
            // The heading being typed does not count as present.
            !item.sections.iter().any(|s| {
                s.title.trim().eq_ignore_ascii_case(name) && !s.heading_range.touches(offset)
            })
        })
        .map(|name| Completion::new(format!("## {name}"), CompletionKind::Section, range))
        .collect();
    Completions {
        items,
        incomplete: false,
    }
}

fn next_task(ws: &Workspace, file: &SourceFile, offset: usize, line: TextRange) -> Completions {
    if file.facts.kind != FileKind::Story {
        return Completions::default();
    }
    let Some(story) = file.facts.items.first() else {
        return Completions::default();
    };
    let in_tasks = story.sections.iter().any(|s| {
        s.level == 2
            && s.title.trim().eq_ignore_ascii_case("tasks")
            && s.heading_range.end <= line.start
            && s.range.touches(offset)
    });
    if !in_tasks {
        return Completions::default();
    }
    let next = file
        .facts
        .items
        .iter()
        .filter(|i| i.kind == ItemKind::Task && !i.def_range.touches(offset))
        .filter_map(|i| i.number.as_deref()?.split('.').next()?.parse::<u32>().ok())
        .max()
        .unwrap_or(0)
        + 1;
    let number = format!("{next:03}");
    let status = ws
        .config()
        .vocabulary
        .task_statuses
        .first()
        .map_or("pending", String::as_str);
    let nl = if file.text.contains("\r\n") {
        "\r\n"
    } else {
        "\n"
    };
    let range = TextRange::new(line.start, replace_end(&file.text, offset, line));
    let mut c = Completion::new(format!("### {number}: "), CompletionKind::Task, range);
    c.label = format!("### {number}: new task");
    c.detail = Some(format!("task {number} with Domain, Status and Depends on"));
    c.insert = format!(
        "### {number}: {nl}**Domain:** {nl}**Status:** {status}{nl}**Depends on:** none{nl}"
    );
    c.snippet = Some(format!(
        "### {number}: ${{1:Short title}}{nl}**Domain:** ${{2}}{nl}**Status:** {status}{nl}**Depends on:** ${{3:none}}{nl}{nl}$0"
    ));
    c.filter_text = format!("### {number}");
    Completions {
        items: vec![c],
        incomplete: false,
    }
}
