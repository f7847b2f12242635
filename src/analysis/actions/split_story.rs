//! Splitting a story: the tasks from one on move to a new story with the
//! next free number, renumbered from 001, with every `Depends on` between
//! the two stories (and from other files) rewritten so that it still names
//! the same task.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use regex::Regex;

use crate::analysis::actions::apply::apply_edits;
use crate::analysis::actions::{
    eol, join, next_story_number, part_title, Action, ActionKind, Change,
};
use crate::analysis::model::{FileKind, Item, ItemKind, Reference};
use crate::analysis::rules::{Context, Diagnostic};
use crate::analysis::text::TextRange;
use crate::analysis::workspace::{SourceFile, Workspace};

/// "Split story here" on a task heading (not the first task's).
pub(crate) fn at_cursor(
    ws: &Workspace,
    ctx: &Context,
    file: &SourceFile,
    offset: usize,
) -> Option<Action> {
    let (story, tasks) = story_of(file)?;
    let at = tasks.iter().position(|t| {
        let line = file
            .line_index()
            .line_range(file.line_index().line_of(t.def_range.start()));
        line.touches(offset)
    })?;
    if at == 0 {
        return None;
    }
    let mut action = split(ws, ctx, file, story, &tasks, at)?;
    action.title = "Split story here".to_string();
    Some(action)
}

/// The split offered on an `oversized-story` finding: the second half of
/// the tasks move.
pub(crate) fn from_diagnostic(
    ws: &Workspace,
    ctx: &Context,
    file: &SourceFile,
    d: &Diagnostic,
) -> Option<Action> {
    let (story, tasks) = story_of(file)?;
    if tasks.len() < 2 {
        return None;
    }
    let mut action = split(ws, ctx, file, story, &tasks, tasks.len().div_ceil(2))?;
    action.kind = ActionKind::QuickFix;
    action.fixes = Some((d.rule, d.range));
    action.is_preferred = true;
    Some(action)
}

fn story_of(file: &SourceFile) -> Option<(&Item, Vec<&Item>)> {
    if file.facts.kind != FileKind::Story {
        return None;
    }
    let story = file
        .facts
        .items
        .iter()
        .find(|i| i.kind == ItemKind::Story)?;
    let tasks: Vec<&Item> = file
        .facts
        .items
        .iter()
        .filter(|i| i.kind == ItemKind::Task && i.parent.as_deref() == Some(story.id.as_str()))
        .collect();
    // Two tasks with one number cannot be told apart by references.
    let unique: HashSet<&str> = tasks.iter().map(|t| t.id.as_str()).collect();
    (unique.len() == tasks.len()).then_some((story, tasks))
}

/// `015` for `story-015`.
fn digits(story_id: &str) -> &str {
    story_id.strip_prefix("story-").unwrap_or(story_id)
}

/// How a reference to `target` is written in a task of `story`: a bare
/// number for a task of the same story, `015/002` across stories.
fn written(target: &str, story: Option<&str>) -> String {
    match target.split_once('/') {
        Some((s, task)) if Some(s) == story => task.to_string(),
        Some((s, task)) => format!("{}/{task}", digits(s)),
        None if target.starts_with("story-") => format!("Story {}", digits(target)),
        None => target.to_string(),
    }
}

/// Groups of references by range (an `A through B` range is several).
fn groups(item: &Item) -> Vec<(TextRange, Vec<&Reference>)> {
    let mut out: Vec<(TextRange, Vec<&Reference>)> = Vec::new();
    for r in &item.deps {
        match out.iter_mut().find(|(range, _)| *range == r.range) {
            Some((_, refs)) => refs.push(r),
            None => out.push((r.range, vec![r])),
        }
    }
    out
}

/// The rewrite of one group of references, when it must change.
fn rewrite(
    refs: &[&Reference],
    moved: &HashMap<String, String>,
    story_of_text: Option<&str>,
    force: impl Fn(&str) -> bool,
) -> Option<String> {
    let ids: Vec<&str> = refs.iter().filter_map(|r| r.target.as_id()).collect();
    if !ids.iter().any(|id| moved.contains_key(*id) || force(id)) {
        return None;
    }
    let parts: Vec<String> = ids
        .iter()
        .map(|id| written(moved.get(*id).map_or(id, String::as_str), story_of_text))
        .collect();
    Some(parts.join(", "))
}

fn split(
    ws: &Workspace,
    ctx: &Context,
    file: &SourceFile,
    story: &Item,
    tasks: &[&Item],
    at: usize,
) -> Option<Action> {
    let text = &*file.text;
    let nl = eol(text);
    let old_story = story.id.as_str();
    let width = digits(old_story).len().max(3);
    let number = next_story_number(ws);
    let new_digits = format!("{number:0width$}");
    let new_story = format!("story-{new_digits}");
    let (dir, name) = file.rel.rsplit_once('/').unwrap_or(("", &file.rel));
    let lead = name.chars().take_while(char::is_ascii_digit).count();
    let new_rel = join(dir, &format!("{new_digits}{}", &name[lead..]));
    if ws.file(&new_rel).is_some() || ws.unreadable().contains_key(&new_rel) {
        return None;
    }
    let moved_tasks = &tasks[at..];
    let moved: HashMap<String, String> = moved_tasks
        .iter()
        .enumerate()
        .map(|(i, t)| (t.id.to_string(), format!("{new_story}/{:03}", i + 1)))
        .collect();
    let of_old_story = |id: &str| id.split_once('/').is_some_and(|(s, _)| s == old_story);

    // The new story's text: the original without the tasks that stay, the
    // sections rewritten, the moved tasks renumbered.
    let mut new_edits: Vec<(TextRange, String)> = Vec::new();
    if !story.def_range.is_empty() {
        new_edits.push((
            story.def_range,
            new_heading(
                &text[story.def_range.start()..story.def_range.end()],
                &new_digits,
            ),
        ));
    }
    let tasks_heading = story
        .sections
        .iter()
        .find(|s| s.level == 2 && s.is_titled(text, "tasks"))?;
    let placeholder = format!(
        "- [ ] [Criterion for the tasks moved from Story {}]",
        digits(old_story)
    );
    match story.sections.iter().find(|s| {
        s.title(text)
            .to_ascii_lowercase()
            .starts_with("acceptance criteria")
    }) {
        Some(s) => new_edits.push((
            TextRange::new(s.heading_range.end(), s.range.end()),
            format!("{nl}{nl}{placeholder}{nl}{nl}"),
        )),
        None => new_edits.push((
            TextRange::empty(tasks_heading.heading_range.start()),
            format!("## Acceptance Criteria{nl}{nl}{placeholder}{nl}{nl}"),
        )),
    }
    let note = if story.title.contains(['(', ')']) || story.title.is_empty() {
        String::new()
    } else {
        format!(" ({})", story.title)
    };
    let bullet = format!("- Story {}{note}", digits(old_story));
    if !reaches_moved(ctx, story, tasks, at) {
        match story
            .sections
            .iter()
            .find(|s| s.level == 2 && s.is_titled(text, "dependencies"))
        {
            Some(s) => new_edits.push((
                TextRange::new(s.heading_range.end(), s.range.end()),
                format!("{nl}{nl}{bullet}{nl}{nl}"),
            )),
            None => new_edits.push((
                TextRange::empty(tasks_heading.heading_range.start()),
                format!("## Dependencies{nl}{nl}{bullet}{nl}{nl}"),
            )),
        }
    }
    new_edits.push((
        TextRange::new(tasks[0].range.start(), tasks[at].range.start()),
        String::new(),
    ));
    for (i, task) in moved_tasks.iter().enumerate() {
        if let Some(r) = task_number_range(text, task) {
            new_edits.push((r, format!("{:03}", i + 1)));
        }
        for (range, refs) in groups(task) {
            if let Some(new) = rewrite(&refs, &moved, Some(&new_story), of_old_story) {
                new_edits.push((range, new));
            }
        }
    }
    // Sections after the tasks stay with the original.
    new_edits.push((
        TextRange::new(tasks_heading.range.end(), text.len()),
        String::new(),
    ));
    new_edits.sort_by_key(|(r, _)| (r.start(), r.end()));
    let mut new_text = apply_edits(text, &new_edits).ok()?;
    if !new_text.ends_with('\n') {
        new_text.push_str(nl);
    }

    // The original: without the moved tasks, its own references to them
    // rewritten.
    let mut old_edits: Vec<(TextRange, String)> = vec![(
        TextRange::new(
            moved_tasks[0].range.start(),
            moved_tasks[moved_tasks.len() - 1].range.end(),
        ),
        String::new(),
    )];
    for task in &tasks[..at] {
        for (range, refs) in groups(task) {
            if let Some(new) = rewrite(&refs, &moved, Some(old_story), |_| false) {
                old_edits.push((range, new));
            }
        }
    }
    let mut changes = vec![Change::Edit {
        rel: file.rel.to_string(),
        edits: old_edits,
    }];
    // Other files that name a moved task.
    let mut files: Vec<&str> = moved.keys().flat_map(|id| ws.referrers(id)).collect();
    files.sort_unstable();
    files.dedup();
    for rel in files.into_iter().filter(|r| *r != &*file.rel) {
        let Some(other) = ws.file(rel) else {
            continue;
        };
        let mut edits = Vec::new();
        for item in &other.facts.items {
            let context = match item.kind {
                ItemKind::Task => item.parent.as_deref(),
                _ => None,
            };
            for (range, refs) in groups(item) {
                if let Some(new) = rewrite(&refs, &moved, context, |_| false) {
                    edits.push((range, new));
                }
            }
        }
        if !edits.is_empty() {
            changes.push(Change::Edit {
                rel: rel.to_string(),
                edits,
            });
        }
    }
    changes.push(Change::CreateFile {
        rel: new_rel,
        text: new_text,
    });
    Some(Action {
        title: format!(
            "Split story: move {} tasks to `{new_story}`",
            moved_tasks.len()
        ),
        kind: ActionKind::Extract,
        is_preferred: false,
        fixes: None,
        safe: false,
        changes: crate::analysis::actions::merge(changes),
    })
}

/// `Story 016: Title (part 2)` for `Story 015: Title`.
fn new_heading(heading: &str, new_digits: &str) -> String {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| Regex::new(r"(?i)^(story[ -]?)(\d{1,4})").expect("valid pattern"));
    let renumbered = re.replace(heading, |c: &regex::Captures<'_>| {
        format!("{}{new_digits}", &c[1])
    });
    part_title(&renumbered)
}

/// The number in a task's heading (`016` of `### 016: Title`).
fn task_number_range(text: &str, task: &Item) -> Option<TextRange> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r"(?i)^(?:task\s*)?(\d+(?:\.\d+)?(?:[a-z]\b)?)").expect("valid pattern")
    });
    let def = task.def_range;
    let m = re.captures(&text[def.start()..def.end()])?.get(1)?;
    Some(TextRange::new(
        def.start() + m.start(),
        def.start() + m.end(),
    ))
}

/// Whether the tasks that stay (or the story's own dependencies) lead to a
/// moved task: the new story then cannot depend on the original without a
/// cycle.
fn reaches_moved(ctx: &Context, story: &Item, tasks: &[&Item], at: usize) -> bool {
    let graph = &ctx.graph;
    let moved: HashSet<usize> = tasks[at..]
        .iter()
        .filter_map(|t| graph.index.get(&t.id).copied())
        .collect();
    let Some(&story_node) = graph.index.get(&story.id) else {
        return true;
    };
    let mut seen: HashSet<usize> = HashSet::new();
    let mut stack: Vec<usize> = graph.nodes[story_node]
        .deps
        .iter()
        .copied()
        .filter(|d| !moved.contains(d))
        .collect();
    seen.insert(story_node);
    while let Some(node) = stack.pop() {
        if moved.contains(&node) {
            return true;
        }
        if !seen.insert(node) {
            continue;
        }
        stack.extend(graph.nodes[node].deps.iter().copied());
    }
    false
}
