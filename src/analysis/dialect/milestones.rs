//! Milestone YAML: the `.milestones/` folder of the milestone-tracking
//! workflow (claude-code-enhancer's `/milestone`). `active/milestone-NNN.yaml`
//! and `completed/milestone-NNN.yaml` each define one milestone (its `id`,
//! `title`, `status`, `success_criteria`, `dependencies: {requires, enables,
//! external}`) and its `tasks` (`id`, `title`, `status`, `dependencies`);
//! `active/dependencies.yaml` maps the milestones to each other again. The
//! milestone's ID is its own (`milestone-001`), a task's is scoped to it
//! (`milestone-001/task-002`).

use std::collections::HashSet;

use saphyr::{LoadableYamlNode, MarkedYaml, Scalar, YamlData};

use crate::analysis::actions::Action;
use crate::analysis::dialect::marked::{line_around, nesting, scalar_range, Offsets, MAX_NESTING};
use crate::analysis::dialect::{dialect_rules, number_or_id, Dialect, DialectSpec, ParseInput};
use crate::analysis::intern::Id;
use crate::analysis::model::{
    Field, FileFacts, FileKind, Item, ItemKind, Progress, RefRole, Reference, Target,
};
use crate::analysis::parse::{is_dropped_word, trim_range};
use crate::analysis::rules::{Context, Diagnostic, Sink};
use crate::analysis::text::TextRange;
use crate::analysis::workspace::{SourceFile, Workspace};

pub(crate) static SPEC: DialectSpec = DialectSpec {
    dialect: Dialect::Milestones,
    name: "Milestone YAML",
    planning_folders: &[],
    classify,
    parse,
    check,
    fixes,
    rules: RULES,
    scope: milestones_scope,
    written_id: number_or_id,
    retired_item: crate::analysis::dialect::no_retired_items,
    status_words: milestone_status_words,
    progress: crate::analysis::dialect::own_progress,
    progress_sources: &[],
    renumber_below: crate::analysis::dialect::nothing_below,
    list_words: crate::analysis::dialect::no_list_words,
    covers_every: crate::analysis::dialect::covers_by_name_only,
    judges_reference: crate::analysis::dialect::judges_every_cover,
    implied_deps: crate::analysis::dialect::no_implied_deps,
    implied_deps_sources: &[],
    held_back: crate::analysis::dialect::never_held,
    explains_duplicate: crate::analysis::dialect::no_duplicates_explained,
};

dialect_rules! { Dialect::Milestones;
    SYNTAX = 0, "milestone-yaml-syntax", Error, Local,
        "A milestone file that is not valid YAML, or not a mapping, so the workflow cannot read it.";
    UNKNOWN_MILESTONE = 1, "milestone-unknown-milestone", Warning, CrossFile,
        "An `enables` entry or a `dependencies.yaml` entry names a milestone that has no file and no entry in `dependencies.yaml`.";
    DEPENDENCY_MISMATCH = 2, "milestone-dependency-mismatch", Warning, CrossFile,
        "Two files disagree on a dependency: `enables` without the other side's `requires`, or `dependencies.yaml` against a milestone's `requires`.";
    COMPLETED_WITH_OPEN_TASKS = 3, "milestone-completed-with-open-tasks", Warning, Local,
        "A milestone marked completed while some of its tasks are not.";
    FOLDER_STATUS = 4, "milestone-folder-status", Warning, Local,
        "A milestone in `completed/` whose status is not completed.";
    NO_SUCCESS_CRITERIA = 5, "milestone-no-success-criteria", Warning, Local,
        "A milestone without `success_criteria`, so nothing says when it is done.";
    PROGRESS_MISMATCH = 6, "milestone-progress-mismatch", Warning, Local,
        "A progress percentage that contradicts the statuses of the milestone's tasks.";
}

/// The roles of the folder's files.
const ACTIVE: &str = "milestone";
const COMPLETED: &str = "completed-milestone";
const DEPENDENCIES: &str = "dependencies";

fn classify(_rel: &str, parts: &[&str]) -> Option<&'static str> {
    let [.., root, folder, name] = parts else {
        return None;
    };
    if *root != ".milestones" {
        return None;
    }
    let lower = name.to_ascii_lowercase();
    let stem = lower
        .strip_suffix(".yaml")
        .or_else(|| lower.strip_suffix(".yml"))?;
    match (*folder, stem) {
        ("active", "dependencies") => Some(DEPENDENCIES),
        ("active", s) if s.starts_with("milestone-") => Some(ACTIVE),
        ("completed", s) if s.starts_with("milestone-") => Some(COMPLETED),
        _ => None,
    }
}

/// The `.milestones/` folder holding `rel`: its `active/` and `completed/`
/// files read each other.
fn milestones_scope(rel: &str) -> &str {
    rel.find(".milestones/")
        .map_or("", |i| &rel[..i + ".milestones/".len()])
}

/// The file name without its folder and extension (`milestone-001`).
fn stem_of(rel: &str) -> &str {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    name.rsplit_once('.').map_or(name, |(stem, _)| stem)
}

fn task_id(milestone: &str, task: &str) -> String {
    format!("{milestone}/{task}")
}

/// The template's status words, offered after `status:` in a milestone
/// file (for the milestone and its tasks alike).
fn milestone_status_words(_ws: &Workspace, file: &SourceFile) -> Vec<String> {
    match file.facts.kind {
        FileKind::Dialect(d) if d.role == ACTIVE || d.role == COMPLETED => {
            ["pending", "in_progress", "completed"]
                .map(String::from)
                .to_vec()
        }
        _ => Vec::new(),
    }
}

// Reading YAML with its positions.

/// A YAML node with its byte range: scalars as written (quotes removed),
/// mappings with scalar keys only.
#[derive(Debug)]
struct Node {
    value: Value,
    range: TextRange,
}

#[derive(Debug)]
enum Value {
    Scalar(String),
    Null,
    Seq(Vec<Node>),
    Map(Vec<(String, TextRange, Node)>),
    Other,
}

impl Node {
    fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            Value::Map(entries) => entries.iter().find(|(k, _, _)| k == key).map(|(_, _, v)| v),
            _ => None,
        }
    }

    fn entry(&self, key: &str) -> Option<(TextRange, &Node)> {
        match &self.value {
            Value::Map(entries) => entries
                .iter()
                .find(|(k, _, _)| k == key)
                .map(|(_, at, v)| (*at, v)),
            _ => None,
        }
    }

    fn scalar(&self) -> Option<(&str, TextRange)> {
        match &self.value {
            Value::Scalar(s) => Some((s.as_str(), self.range)),
            _ => None,
        }
    }

    fn items(&self) -> &[Node] {
        match &self.value {
            Value::Seq(items) => items,
            _ => &[],
        }
    }
}

/// What a file holds once read.
enum Loaded {
    Doc(Node),
    Empty,
    Invalid { at: TextRange, message: String },
}

fn load(text: &str) -> Loaded {
    let (depth, at) = nesting(text);
    if depth > MAX_NESTING {
        return Loaded::Invalid {
            at,
            message: format!(
                "this nests up to {depth} levels deep, more than the {MAX_NESTING} planmark reads (a milestone file needs four)"
            ),
        };
    }
    let offsets = Offsets::new(text);
    let docs = match MarkedYaml::load_from_str(text) {
        Ok(docs) => docs,
        Err(err) => {
            let at = crate::analysis::text::floor_char_boundary(text, offsets.byte(err.marker()));
            return Loaded::Invalid {
                at: trim_range(text, line_around(text, at)),
                message: format!(
                    "this is not valid YAML (line {}: {}), so the milestone workflow cannot read the file",
                    err.marker().line(),
                    err.info()
                ),
            };
        }
    };
    match docs.first() {
        Some(doc) => Loaded::Doc(convert(text, &offsets, doc, 0)),
        None => Loaded::Empty,
    }
}

fn convert(text: &str, offsets: &Offsets, node: &MarkedYaml<'_>, depth: usize) -> Node {
    let start = offsets.byte(&node.span.start);
    let end = offsets.byte(&node.span.end).max(start);
    let start = crate::analysis::text::floor_char_boundary(text, start);
    let end = crate::analysis::text::floor_char_boundary(text, end);
    let range = TextRange::new(start, end);
    if depth > MAX_NESTING {
        return Node {
            value: Value::Other,
            range,
        };
    }
    let value = match &node.data {
        YamlData::Value(Scalar::Null) => Value::Null,
        YamlData::Value(_) | YamlData::Representation(..) => {
            let inner = scalar_range(text, range);
            return Node {
                value: Value::Scalar(text[inner.start()..inner.end()].to_string()),
                range: inner,
            };
        }
        YamlData::Sequence(items) => Value::Seq(
            items
                .iter()
                .map(|n| convert(text, offsets, n, depth + 1))
                .collect(),
        ),
        YamlData::Mapping(map) => Value::Map(
            map.iter()
                .filter_map(|(k, v)| {
                    let key = convert(text, offsets, k, depth + 1);
                    let (name, at) = key.scalar()?;
                    Some((name.to_string(), at, convert(text, offsets, v, depth + 1)))
                })
                .collect(),
        ),
        _ => Value::Other,
    };
    Node { value, range }
}

// Parsing: items and references.

fn parse(input: &ParseInput<'_>, facts: &mut FileFacts) {
    let Loaded::Doc(doc) = load(input.text) else {
        return;
    };
    match input.role {
        ACTIVE | COMPLETED => parse_milestone(input, &doc, facts),
        DEPENDENCIES => parse_dependencies(input.text, &doc, facts),
        _ => {}
    }
}

/// The progress a status word stands for: the template's `pending`,
/// `in_progress` and `completed`, and the words the workflow's own files
/// use beside them (`planned`, `active`, `done`).
fn status_progress(value: &str) -> Option<Progress> {
    let squashed: String = value
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    match squashed.as_str() {
        "pending" | "planned" | "notstarted" | "todo" | "open" | "backlog" | "blocked"
        | "onhold" => Some(Progress::NotStarted),
        "inprogress" | "active" | "started" | "wip" | "review" | "inreview" => {
            Some(Progress::InProgress)
        }
        "completed" | "complete" | "done" | "finished" | "closed" => Some(Progress::Done),
        word if is_dropped_word(word) => Some(Progress::Dropped),
        _ => None,
    }
}

/// The references of a list of IDs (`["task-001"]`, or a block list),
/// with the value's range for completion.
fn id_list(
    text: &str,
    list: &Node,
    key_at: TextRange,
    target: impl Fn(&str) -> (String, ItemKind),
    role: RefRole,
) -> (Vec<Reference>, TextRange) {
    let mut refs = Vec::new();
    for entry in list.items() {
        let Some((written, range)) = entry.scalar() else {
            continue;
        };
        if written.trim().is_empty() {
            continue;
        }
        let (id, kind) = target(written.trim());
        refs.push(Reference {
            target: Target::Id(id.into()),
            written: written.trim().into(),
            range: trim_range(text, range),
            role,
            expects: Some(kind),
        });
    }
    // An empty value (`requires:`) is the rest of the key's line.
    let field = match list.value {
        Value::Null => {
            let line = line_around(text, key_at.end());
            let after = (key_at.end() + 1).min(line.end());
            TextRange::new(after, line.end())
        }
        _ => list.range,
    };
    (refs, field)
}

/// A milestone named in a `requires`, `enables` or `depends_on` list.
fn milestone_target(value: &str) -> (String, ItemKind) {
    (value.to_string(), ItemKind::Milestone)
}

fn parse_milestone(input: &ParseInput<'_>, doc: &Node, facts: &mut FileFacts) {
    let text = input.text;
    let Value::Map(entries) = &doc.value else {
        return;
    };
    let id_node = doc.get("id").and_then(Node::scalar);
    let id = id_node.map_or_else(|| stem_of(input.rel).to_string(), |(id, _)| id.to_string());
    if id.is_empty() {
        return;
    }
    let def_range = id_node
        .map(|(_, at)| at)
        .or_else(|| doc.get("title").and_then(Node::scalar).map(|(_, at)| at))
        .unwrap_or_else(|| trim_range(text, line_around(text, 0)));
    let mut milestone = Item::new(ItemKind::Milestone, id.clone(), def_range);
    milestone.range = TextRange::new(0, text.len());
    milestone.title = doc
        .get("title")
        .and_then(Node::scalar)
        .map_or_else(|| id.clone(), |(t, _)| t.trim().to_string())
        .into();
    if let Some((status, at)) = doc.get("status").and_then(Node::scalar) {
        milestone.status = Some((status.into(), at));
        milestone.progress = status_progress(status);
    }
    for (key, key_at, value) in entries {
        if matches!(key.as_str(), "id" | "title" | "status" | "description") {
            continue;
        }
        if let Some((_, at)) = value.scalar() {
            milestone.fields.push(Field::new(
                key,
                *key_at,
                trim_range(text, at),
                TextRange::new(
                    line_around(text, key_at.start()).start(),
                    line_around(text, at.end()).end(),
                ),
            ));
        }
    }
    if let Some(dependencies) = doc.get("dependencies") {
        if let Some((key_at, requires)) = dependencies.entry("requires") {
            let (refs, field) = id_list(
                text,
                requires,
                key_at,
                milestone_target,
                RefRole::Dependency,
            );
            milestone.deps = refs;
            milestone.deps_field = Some(field);
        }
        if let Some((key_at, enables)) = dependencies.entry("enables") {
            let (refs, _) = id_list(text, enables, key_at, milestone_target, RefRole::Mention);
            facts.references.extend(refs);
        }
    }
    let mut tasks = Vec::new();
    for node in doc.get("tasks").map_or(&[][..], Node::items) {
        let Some((local, at)) = node.get("id").and_then(Node::scalar) else {
            continue;
        };
        let local = local.trim();
        if local.is_empty() {
            continue;
        }
        let mut task = Item::new(ItemKind::Task, task_id(&id, local), at);
        task.number = Some(local.to_string());
        task.parent = Some(Id::new(&id));
        task.range = trim_range(text, node.range);
        task.title = node
            .get("title")
            .and_then(Node::scalar)
            .map_or_else(|| local.to_string(), |(t, _)| t.trim().to_string())
            .into();
        if let Some((status, at)) = node.get("status").and_then(Node::scalar) {
            task.status = Some((status.into(), at));
            task.progress = status_progress(status);
        }
        let deps = node
            .entry("dependencies")
            .or_else(|| node.entry("depends_on"));
        if let Some((key_at, list)) = deps {
            let milestone_id = id.clone();
            let target = move |value: &str| {
                if value.contains('/') {
                    (value.to_string(), ItemKind::Task)
                } else if value.starts_with("milestone-") {
                    (value.to_string(), ItemKind::Milestone)
                } else {
                    (task_id(&milestone_id, value), ItemKind::Task)
                }
            };
            let (refs, field) = id_list(text, list, key_at, target, RefRole::Dependency);
            task.deps = refs;
            task.deps_field = Some(field);
        }
        tasks.push(task);
    }
    // Without a status of its own, a milestone is as far along as its
    // tasks (or done, in `completed/`).
    if milestone.status.is_none() {
        milestone.progress = if input.role == COMPLETED {
            Some(Progress::Done)
        } else if tasks.is_empty() {
            None
        } else if tasks.iter().all(|t| t.progress == Some(Progress::Done)) {
            Some(Progress::Done)
        } else if tasks
            .iter()
            .any(|t| t.progress.is_some_and(|p| p != Progress::NotStarted))
        {
            Some(Progress::InProgress)
        } else {
            Some(Progress::NotStarted)
        };
    }
    facts.items.push(milestone);
    facts.items.extend(tasks);
}

/// The two shapes of `dependencies.yaml`: a `milestones:` list of entries
/// with `id`, `depends_on` and `enables` (what the workflow's files hold),
/// or the command's `dependencies:` mapping keyed by milestone ID.
fn dependency_entries(doc: &Node) -> Vec<DependencyEntry<'_>> {
    let mut out = Vec::new();
    if let Some(list) = doc.get("milestones") {
        for node in list.items() {
            if let Some((id, at)) = node.get("id").and_then(Node::scalar) {
                out.push(DependencyEntry {
                    id: id.trim().to_string(),
                    at,
                    node,
                });
            }
        }
    }
    if let Some(Node {
        value: Value::Map(entries),
        ..
    }) = doc.get("dependencies")
    {
        for (id, at, node) in entries {
            out.push(DependencyEntry {
                id: id.trim().to_string(),
                at: *at,
                node,
            });
        }
    }
    out
}

struct DependencyEntry<'a> {
    id: String,
    at: TextRange,
    node: &'a Node,
}

fn parse_dependencies(text: &str, doc: &Node, facts: &mut FileFacts) {
    for entry in dependency_entries(doc) {
        facts.references.push(Reference {
            target: Target::Id(Id::new(&entry.id)),
            written: entry.id.as_str().into(),
            range: entry.at,
            role: RefRole::Mention,
            expects: Some(ItemKind::Milestone),
        });
        for key in ["depends_on", "enables"] {
            if let Some((key_at, list)) = entry.node.entry(key) {
                let (refs, _) = id_list(text, list, key_at, milestone_target, RefRole::Mention);
                facts.references.extend(refs);
            }
        }
    }
}

// Checks: the findings only milestone files give.

fn check(ws: &Workspace, _ctx: &Context, file: &SourceFile, sink: &mut Sink<'_>) {
    let FileKind::Dialect(dialect_file) = file.facts.kind else {
        return;
    };
    let text = &*file.text;
    let doc = match load(text) {
        Loaded::Doc(doc) => doc,
        Loaded::Empty => return,
        Loaded::Invalid { at, message } => {
            sink.push(SYNTAX, at, message);
            return;
        }
    };
    if !matches!(doc.value, Value::Map(_)) {
        sink.push(
            SYNTAX,
            trim_range(text, line_around(text, doc.range.start().min(text.len()))),
            "the file is not a mapping of fields (`id:`, `title:`, ...), so the milestone workflow cannot read it",
        );
        return;
    }
    match dialect_file.role {
        ACTIVE | COMPLETED => check_milestone(ws, file, &doc, dialect_file.role, sink),
        DEPENDENCIES => check_dependencies(ws, file, &doc, sink),
        _ => {}
    }
}

/// The milestone a file defines, with the file.
fn milestone<'a>(ws: &'a Workspace, id: &str) -> Option<(&'a SourceFile, &'a Item)> {
    let (file, item) = ws.item(id)?;
    let FileKind::Dialect(d) = file.facts.kind else {
        return None;
    };
    (d.dialect == Dialect::Milestones && item.kind == ItemKind::Milestone).then_some((file, item))
}

/// Whether `id` names a milestone: defined by a milestone file, the name
/// of a file of the folder that could not be read (its own finding says
/// why), or an entry of `dependencies.yaml` (a milestone planned before
/// its file is written, as the workflow does).
fn is_known(ws: &Workspace, rel: &str, planned: &HashSet<String>, id: &str) -> bool {
    if milestone(ws, id).is_some() || planned.contains(id) {
        return true;
    }
    let scope = milestones_scope(rel);
    ["active", "completed"].iter().any(|folder| {
        ["yaml", "yml"].iter().any(|ext| {
            let path = format!("{scope}{folder}/{id}.{ext}");
            ws.file(&path).is_some() || ws.unreadable().contains_key(&path)
        })
    })
}

/// The milestones that `dependencies.yaml` of the folder holding `rel`
/// has an entry for.
fn planned(ws: &Workspace, rel: &str) -> HashSet<String> {
    let scope = milestones_scope(rel);
    ["yaml", "yml"]
        .iter()
        .filter_map(|ext| ws.file(&format!("{scope}active/dependencies.{ext}")))
        .filter_map(|file| match load(&file.text) {
            Loaded::Doc(doc) => Some(
                dependency_entries(&doc)
                    .into_iter()
                    .map(|e| e.id)
                    .collect::<Vec<_>>(),
            ),
            _ => None,
        })
        .flatten()
        .collect()
}

/// The IDs a milestone file lists under `dependencies.<key>`, when it has
/// that list at all.
fn listed(file: &SourceFile, key: &str) -> Option<HashSet<String>> {
    let Loaded::Doc(doc) = load(&file.text) else {
        return None;
    };
    let (_, list) = doc.get("dependencies")?.entry(key)?;
    Some(
        list.items()
            .iter()
            .filter_map(Node::scalar)
            .map(|(s, _)| s.trim().to_string())
            .collect(),
    )
}

fn check_milestone(ws: &Workspace, file: &SourceFile, doc: &Node, role: &str, sink: &mut Sink<'_>) {
    let Some(item) = file
        .facts
        .items
        .iter()
        .find(|i| i.kind == ItemKind::Milestone)
    else {
        return;
    };
    let tasks: Vec<&Item> = file
        .facts
        .items
        .iter()
        .filter(|i| i.kind == ItemKind::Task)
        .collect();
    let status_at = item.status.as_ref().map_or(item.def_range, |(_, at)| *at);
    let written_status = item.status.as_ref().map(|(s, _)| s.as_str());
    let completed = written_status.and_then(status_progress) == Some(Progress::Done);

    // A completed milestone with open tasks.
    if completed {
        let open: Vec<&&Item> = tasks
            .iter()
            .filter(|t| t.progress != Some(Progress::Done))
            .collect();
        if let Some(first) = open.first() {
            let count = if open.len() == 1 {
                "1 task is".to_string()
            } else {
                format!("{} tasks are", open.len())
            };
            sink.push(
                COMPLETED_WITH_OPEN_TASKS,
                status_at,
                format!(
                    "milestone `{}` is completed but {count} not (first `{}`): complete them or reopen the milestone",
                    crate::analysis::dialect::shown_id(file, &item.id, item),
                    first.number.as_deref().unwrap_or(&first.id)
                ),
            );
        }
    }

    // A milestone in `completed/` that does not say so.
    if role == COMPLETED && !completed {
        let message = match written_status {
            Some(s) => format!(
                "milestone `{}` is in `completed/` but its status is `{s}`: set `status: completed` or move it back to `active/`",
                item.id
            ),
            None => format!(
                "milestone `{}` is in `completed/` but has no status: add `status: completed`",
                item.id
            ),
        };
        sink.push(FOLDER_STATUS, status_at, message);
    }

    // Success criteria.
    let criteria = doc.get("success_criteria");
    let has_criteria = criteria.is_some_and(|c| match &c.value {
        Value::Seq(items) => !items.is_empty(),
        Value::Scalar(s) => !s.trim().is_empty(),
        _ => false,
    });
    if !has_criteria {
        let at = doc
            .entry("success_criteria")
            .map_or(item.def_range, |(at, _)| at);
        sink.push(
            NO_SUCCESS_CRITERIA,
            at,
            format!(
                "milestone `{}` has no success criteria: list under `success_criteria:` what must be true when it is done",
                item.id
            ),
        );
    }

    // Progress percentages against the tasks.
    progress(doc, &tasks, sink);

    // `enables` against the other side's `requires`.
    let planned = planned(ws, &file.rel);
    for reference in &file.facts.references {
        let Some(id) = reference.target.as_id() else {
            continue;
        };
        match milestone(ws, id) {
            None if is_known(ws, &file.rel, &planned, id) => {}
            None => {
                sink.push(
                    UNKNOWN_MILESTONE,
                    reference.range,
                    format!("`{id}` names no milestone of `.milestones/`"),
                );
            }
            Some((other, _)) => {
                if let Some(requires) = listed(other, "requires") {
                    if !requires.contains(item.id.as_str()) {
                        sink.push(
                            DEPENDENCY_MISMATCH,
                            reference.range,
                            format!(
                                "this milestone enables `{id}`, but `{}` does not list `{}` in its `requires`",
                                other.rel, item.id
                            ),
                        );
                    }
                }
            }
        }
    }
    for dep in &item.deps {
        let Some(id) = dep.target.as_id() else {
            continue;
        };
        let Some((other, _)) = milestone(ws, id) else {
            continue;
        };
        if let Some(enables) = listed(other, "enables") {
            if !enables.contains(item.id.as_str()) {
                sink.push(
                    DEPENDENCY_MISMATCH,
                    dep.range,
                    format!(
                        "this milestone requires `{id}`, but `{}` does not list `{}` in its `enables`",
                        other.rel, item.id
                    ),
                );
            }
        }
    }
}

/// A percentage as written (`67`, `67%`, `"67"`).
fn percentage(value: &str) -> Option<f64> {
    let value = value.trim().trim_end_matches('%').trim();
    value.parse::<f64>().ok().filter(|p| p.is_finite())
}

/// `progress_percentage` (at the top or under `milestone_progress:`)
/// against the tasks: 100 with a task not completed, 0 with one
/// completed, or a share between with every task completed.
fn progress(doc: &Node, tasks: &[&Item], sink: &mut Sink<'_>) {
    if tasks.is_empty() {
        return;
    }
    let written = ["progress_percentage", "progress", "completion_percentage"]
        .iter()
        .find_map(|key| doc.get(key))
        .or_else(|| {
            doc.get("milestone_progress")
                .and_then(|p| p.get("progress_percentage"))
        })
        .and_then(Node::scalar);
    let Some((value, at)) = written else {
        return;
    };
    let Some(pct) = percentage(value) else {
        return;
    };
    let done = tasks
        .iter()
        .filter(|t| t.progress == Some(Progress::Done))
        .count();
    let total = tasks.len();
    let share = done * 100 / total;
    let contradiction = (pct >= 100.0 && done < total)
        || (pct <= 0.0 && done > 0)
        || (pct > 0.0 && pct < 100.0 && done == total);
    if contradiction {
        sink.push(
            PROGRESS_MISMATCH,
            at,
            format!("progress is {value} but {done} of {total} tasks are completed ({share}%)"),
        );
    }
}

fn check_dependencies(ws: &Workspace, file: &SourceFile, doc: &Node, sink: &mut Sink<'_>) {
    let planned: HashSet<String> = dependency_entries(doc).into_iter().map(|e| e.id).collect();
    for reference in &file.facts.references {
        let Some(id) = reference.target.as_id() else {
            continue;
        };
        if !is_known(ws, &file.rel, &planned, id) {
            sink.push(
                UNKNOWN_MILESTONE,
                reference.range,
                format!("`{id}` names no milestone of `.milestones/`"),
            );
        }
    }
    // Each entry's `depends_on` against the milestone's own `requires`.
    for entry in dependency_entries(doc) {
        let Some((other, _)) = milestone(ws, &entry.id) else {
            continue;
        };
        let Some(requires) = listed(other, "requires") else {
            continue;
        };
        let Some((_, list)) = entry.node.entry("depends_on") else {
            continue;
        };
        let mut here = HashSet::new();
        for (dep, at) in list.items().iter().filter_map(Node::scalar) {
            let dep = dep.trim();
            here.insert(dep.to_string());
            if !requires.contains(dep) {
                sink.push(
                    DEPENDENCY_MISMATCH,
                    at,
                    format!(
                        "`{}` depends on `{dep}` here, but `{}` does not list it in its `requires`",
                        entry.id, other.rel
                    ),
                );
            }
        }
        let mut missing: Vec<&String> = requires.iter().filter(|r| !here.contains(*r)).collect();
        missing.sort();
        if let Some(first) = missing.first() {
            sink.push(
                DEPENDENCY_MISMATCH,
                entry.at,
                format!(
                    "`{}` requires `{first}` in `{}`, but its `depends_on` here does not list it",
                    entry.id, other.rel
                ),
            );
        }
    }
}

fn fixes(_ws: &Workspace, _file: &SourceFile, _d: &Diagnostic) -> Vec<Action> {
    Vec::new()
}

#[cfg(test)]
mod tests;
