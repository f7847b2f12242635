//! OpenSpec: capability specs in `openspec/specs/<capability>/spec.md`, at
//! any depth (`specs/platform/auth/spec.md` is capability `platform/auth`),
//! with `### Requirement: Name` (SHALL or MUST, `#### Scenario: Name`
//! blocks) under `## Requirements`, and changes in `openspec/changes/<id>/`
//! with a `proposal.md`, a numbered `tasks.md` and delta specs (`## ADDED|
//! MODIFIED|REMOVED|RENAMED Requirements`) that say how each capability's
//! spec changes; finished changes move to
//! `openspec/changes/archive/<date>-<id>/`. IDs: a requirement is
//! `<capability>/<name>`, a change `<id>` (its folder's name), its task 1.2
//! `<id>/task-1.2`, a requirement of its delta spec
//! `<id>/<capability>/<name>`.

use std::borrow::Cow;
use std::collections::HashSet;
use std::sync::{Arc, LazyLock};

use regex::Regex;

use crate::analysis::actions::Action;
use crate::analysis::dialect::order::add_list_order;
use crate::analysis::dialect::{dialect_rules, number_or_id, Dialect, DialectSpec, ParseInput};
use crate::analysis::intern::Id;
use crate::analysis::model::{FileFacts, FileKind, Item, ItemKind, Progress, RefRole};
use crate::analysis::model::{Reference, Section, Target};
use crate::analysis::parse::{is_ignored, lines_in, trim_range};
use crate::analysis::rules::{Context, Diagnostic, Sink};
use crate::analysis::text::TextRange;
use crate::analysis::workspace::{SourceFile, Workspace};

pub(crate) static SPEC: DialectSpec = DialectSpec {
    dialect: Dialect::OpenSpec,
    name: "OpenSpec",
    planning_folders: &["openspec"],
    classify,
    parse,
    check,
    fixes,
    rules: RULES,
    scope: openspec_scope,
    written_id: number_or_id,
    retired_item: crate::analysis::dialect::no_retired_items,
    status_words: crate::analysis::dialect::no_status_words,
    progress: crate::analysis::dialect::own_progress,
    progress_sources: &[],
    renumber_below: crate::analysis::dialect::nothing_below,
    list_words: crate::analysis::dialect::no_list_words,
    covers_every: crate::analysis::dialect::covers_by_name_only,
    judges_reference: crate::analysis::dialect::judges_every_cover,
    implied_deps: changes_adding_what_it_changes,
    implied_deps_sources: &[DELTA_SPEC, BASE_SPEC],
    held_back: crate::analysis::dialect::never_held,
    explains_duplicate: archived_copy_of_an_id,
};

dialect_rules! { Dialect::OpenSpec;
    REQUIREMENT_WITHOUT_SCENARIO = 0, "openspec-requirement-without-scenario", Error, Local,
        "A requirement with no `#### Scenario:` block, which OpenSpec's validator rejects.";
    REQUIREMENT_WITHOUT_SHALL = 1, "openspec-requirement-without-shall", Warning, Local,
        "A requirement whose text has neither SHALL nor MUST, which OpenSpec's validator warns of (its strict mode rejects it).";
    PLACEHOLDER_SCENARIO = 2, "openspec-placeholder-scenario", Warning, Local,
        "A scenario with no steps, or only TBD/TODO.";
    TASK_GROUP = 3, "openspec-task-group", Warning, Local,
        "A task numbered under another group than the one it is listed in.";
    UNKNOWN_REQUIREMENT = 4, "openspec-unknown-requirement", Error, CrossFile,
        "A delta modifies, removes or renames a requirement that the capability's spec does not have.";
    REQUIREMENT_EXISTS = 5, "openspec-requirement-exists", Error, CrossFile,
        "A delta adds a requirement that the capability's spec already has.";
    ARCHIVED_OPEN_TASKS = 6, "openspec-archived-open-tasks", Warning, Local,
        "An archived change whose tasks are not all done.";
    ROOT_DELTA = 7, "openspec-root-delta", Error, Local,
        "A change's delta spec right in its `specs/` folder, which OpenSpec drops when the change is archived.";
    REQUIREMENT_OUTSIDE_SECTION = 8, "openspec-requirement-outside-section", Error, Local,
        "A requirement of a capability's spec outside its `## Requirements` section, where OpenSpec does not read it.";
    REQUIREMENT_WITHOUT_TEXT = 9, "openspec-requirement-without-text", Error, Local,
        "A requirement with no text between its heading and its first scenario, which OpenSpec's validator rejects.";
    RENAME_FORMAT = 10, "openspec-rename-format", Warning, Local,
        "A line of a RENAMED section that OpenSpec skips: it reads `- FROM: ### Requirement: Old` and `- TO: ### Requirement: New` only.";
}

/// The roles of OpenSpec files.
const BASE_SPEC: &str = "spec";
const DELTA_SPEC: &str = "delta";
const TASKS: &str = "tasks";
const PROPOSAL: &str = "proposal";

/// Where a path sits under an `openspec/` folder.
struct Place<'a> {
    /// The capability of a spec or delta spec: its folder's path under
    /// `specs/`, `auth` or `platform/auth` (OpenSpec reads specs at any
    /// depth). `None` for a delta spec at the `specs/` root of a change.
    capability: Option<Cow<'a, str>>,
    /// The change folder's name, for a change's files.
    change: Option<&'a str>,
    archived: bool,
}

fn place(rel: &str) -> Option<(Place<'_>, &'static str)> {
    place_in(&super::PathParts::of(rel))
}

/// The capability whose `spec.md` is in the folders `folders` under a
/// `specs/` folder: their path, `platform/auth`. OpenSpec skips folders
/// whose name starts with a dot.
fn capability_of<'a>(folders: &[&'a str]) -> Option<Cow<'a, str>> {
    if folders.iter().any(|f| f.is_empty() || f.starts_with('.')) {
        return None;
    }
    match folders {
        [] => None,
        [one] => Some(Cow::Borrowed(one)),
        _ => Some(Cow::Owned(folders.join("/"))),
    }
}

/// [`place`] of a path already split into `parts`.
fn place_in<'a>(parts: &[&'a str]) -> Option<(Place<'a>, &'static str)> {
    let root = parts.iter().rposition(|p| *p == "openspec")?;
    let rest = &parts[root + 1..];
    let role = |name: &str| match name {
        "spec.md" => Some(BASE_SPEC),
        "tasks.md" => Some(TASKS),
        "proposal.md" => Some(PROPOSAL),
        _ => None,
    };
    match rest {
        // A `spec.md` right in `specs/` is no capability's: OpenSpec
        // ignores it.
        ["specs", folders @ .., "spec.md"] => Some((
            Place {
                capability: Some(capability_of(folders)?),
                change: None,
                archived: false,
            },
            BASE_SPEC,
        )),
        ["changes", "archive", change, tail @ ..] | ["changes", change, tail @ ..]
            if *change != "archive" =>
        {
            let archived = rest.get(1) == Some(&"archive");
            match tail {
                [name] => role(name).filter(|r| *r != BASE_SPEC).map(|r| {
                    (
                        Place {
                            capability: None,
                            change: Some(change),
                            archived,
                        },
                        r,
                    )
                }),
                // A delta at the `specs/` root is read too, to be reported:
                // OpenSpec drops it when the change is archived.
                ["specs", "spec.md"] => Some((
                    Place {
                        capability: None,
                        change: Some(change),
                        archived,
                    },
                    DELTA_SPEC,
                )),
                ["specs", folders @ .., "spec.md"] => Some((
                    Place {
                        capability: Some(capability_of(folders)?),
                        change: Some(change),
                        archived,
                    },
                    DELTA_SPEC,
                )),
                _ => None,
            }
        }
        _ => None,
    }
}

/// Every OpenSpec file of one `openspec/` folder reads the others: a delta
/// spec its capability's spec, a task list its change.
fn openspec_scope(rel: &str) -> &str {
    match rel.rfind("openspec/") {
        Some(at) if at == 0 || rel[..at].ends_with('/') => &rel[..at + "openspec/".len()],
        _ => "",
    }
}

fn classify(_rel: &str, parts: &[&str]) -> Option<&'static str> {
    place_in(parts).map(|(_, role)| role)
}

fn requirement_id(capability: &str, name: &str) -> String {
    format!("{capability}/{}", name.trim())
}

fn parse(input: &ParseInput<'_>, facts: &mut FileFacts) {
    let Some((place, role)) = place(input.rel) else {
        return;
    };
    match role {
        BASE_SPEC | DELTA_SPEC => parse_spec(input, &place, facts),
        TASKS => parse_tasks(input, &place, facts),
        PROPOSAL => {
            if let Some(change) = place.change {
                let title = input
                    .outline
                    .headings
                    .iter()
                    .find(|h| h.level == 1)
                    .map(|h| (input.outline.slice(h.text.trim()), h.range));
                let at = title.as_ref().map_or(TextRange::empty(0), |(_, r)| *r);
                let mut item = Item::new(ItemKind::Change, change.to_string(), at);
                item.title = title.map_or_else(|| change.into(), |(t, _)| t);
                item.range = TextRange::new(0, input.text.len());
                // An archived change has been applied: it is done, and so
                // are its tasks in the plan.
                if place.archived {
                    item.progress = Some(Progress::Done);
                }
                facts.items.push(item);
            }
        }
        _ => {}
    }
}

/// A requirement's heading: OpenSpec reads `Requirement:` in any case.
static REQUIREMENT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^Requirement:\s*(.+)$").expect("valid regex"));
static DELTA: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(ADDED|MODIFIED|REMOVED|RENAMED)\s+Requirements$").expect("valid regex")
});
/// A line of a RENAMED section, `- FROM: \`### Requirement: Old\`` (the
/// bullet and the backticks may be left out, as OpenSpec allows).
static RENAME_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:[-*]\s*)?(FROM|TO):\s*`?(?:###\s*)?(?i:Requirement):\s*(.+?)`?\s*$")
        .expect("valid regex")
});
/// A line of a RENAMED section as OpenSpec's archive reads it: `FROM:` or
/// `TO:` in capitals after an optional `-`, then the requirement's heading
/// as a spec writes it, `###` and `Requirement:` included.
static STRICT_RENAME_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*-?\s*(?:FROM|TO):\s*`?###\s*Requirement:\s*(.+?)`?\s*$").expect("valid regex")
});
/// A line of a REMOVED section that names a requirement as a bullet,
/// `- \`### Requirement: Name\``, as OpenSpec also allows.
static REMOVED_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*[-*]\s*`?###\s*(?i:Requirement):\s*(.+?)`?\s*$").expect("valid regex")
});

/// The delta operation a section of a delta spec holds.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Operation {
    Added,
    Modified,
    Removed,
    Renamed,
}

/// Requirements (with their scenarios as sections), and in a delta spec
/// the operation of each and references to the base requirements it
/// names.
fn parse_spec(input: &ParseInput<'_>, place: &Place<'_>, facts: &mut FileFacts) {
    let Some(capability) = place.capability.as_deref() else {
        return;
    };
    let text = input.text;
    let headings = &input.outline.headings;
    let mut operation: Option<Operation> = None;
    let mut operation_range = TextRange::empty(0);
    for (i, heading) in headings.iter().enumerate() {
        let title = heading.text.trim();
        if heading.level <= 2 {
            let written = &text[heading.text_range.start()..heading.text_range.end()];
            let lead = written.len() - written.trim_start().len();
            let caps = DELTA.captures(written.trim());
            operation = caps
                .as_ref()
                .map(|c| match c[1].to_ascii_uppercase().as_str() {
                    "ADDED" => Operation::Added,
                    "MODIFIED" => Operation::Modified,
                    "REMOVED" => Operation::Removed,
                    _ => Operation::Renamed,
                });
            // The word itself, so the field's value range holds its value.
            operation_range = caps.and_then(|c| c.get(1)).map_or(heading.range, |word| {
                let start = heading.text_range.start() + lead + word.start();
                TextRange::new(start, start + word.len())
            });
            if let Some(op @ (Operation::Renamed | Operation::Removed)) = operation {
                read_named_lines(input, capability, place, heading.range, op, facts);
            }
            continue;
        }
        if heading.level != 3 {
            continue;
        }
        let Some(caps) = REQUIREMENT.captures(title) else {
            continue;
        };
        let name = caps[1].trim();
        let end = headings[i + 1..]
            .iter()
            .find(|next| next.level <= 3)
            .map_or(text.len(), |next| next.range.start());
        let base_id = requirement_id(capability, name);
        let id = match place.change {
            Some(change) => format!("{change}/{base_id}"),
            None => base_id.clone(),
        };
        let mut item = Item::new(ItemKind::Requirement, id, heading.range);
        item.title = name.into();
        item.range = TextRange::new(heading.range.start(), end);
        item.sections = headings[i + 1..]
            .iter()
            .take_while(|h| h.range.start() < end)
            // OpenSpec takes any level-4 heading in a requirement for a
            // scenario: `#### Scenario 1: …`, `#### 场景：…`, `#### Edge case`.
            .filter(|h| h.level == 4)
            .map(|h| {
                let stop = headings
                    .iter()
                    .find(|n| n.range.start() > h.range.start() && n.level <= 4)
                    .map_or(end, |n| n.range.start().min(end));
                Section {
                    level: h.level,
                    title_range: h.text_range,
                    heading_range: h.range,
                    range: TextRange::new(h.range.start(), stop),
                }
            })
            .collect();
        if place.change.is_some() {
            let op = operation.unwrap_or(Operation::Added);
            item.fields.push(crate::analysis::model::Field::new(
                "Operation",
                operation_range,
                operation_range,
                operation_range,
            ));
            if op != Operation::Added {
                // The heading names a requirement of the capability's spec.
                let written = &text[heading.text_range.start()..heading.text_range.end()];
                let name_at = match written.rfind(name) {
                    Some(at) => {
                        let start = heading.text_range.start() + at;
                        TextRange::new(start, start + name.len())
                    }
                    None => heading.text_range,
                };
                facts.references.push(Reference {
                    target: Target::Id(base_id.into()),
                    written: name.into(),
                    range: name_at,
                    role: RefRole::Mention,
                    expects: Some(ItemKind::Requirement),
                });
            }
        }
        facts.items.push(item);
    }
}

/// The lines of a RENAMED section (`- FROM: ### Requirement: Old`) and the
/// bullets of a REMOVED section (`` - `### Requirement: Old` ``): the name
/// each gives is a reference to the base requirement.
fn read_named_lines(
    input: &ParseInput<'_>,
    capability: &str,
    place: &Place<'_>,
    heading: TextRange,
    operation: Operation,
    facts: &mut FileFacts,
) {
    if place.change.is_none() {
        return;
    }
    let text = input.text;
    let end = input
        .outline
        .headings
        .iter()
        .find(|h| h.range.start() > heading.start() && h.level <= 2)
        .map_or(text.len(), |h| h.range.start());
    for line in lines_in(text, TextRange::new(heading.end(), end)) {
        if is_ignored(&input.outline.ignored, line.start()) {
            continue;
        }
        let raw = &text[line.start()..line.end()];
        let name = match operation {
            Operation::Renamed => RENAME_LINE
                .captures(raw)
                .filter(|caps| &caps[1] == "FROM")
                .and_then(|caps| caps.get(2)),
            _ => REMOVED_LINE.captures(raw).and_then(|caps| caps.get(1)),
        };
        let Some(name) = name else {
            continue;
        };
        facts.references.push(Reference {
            target: Target::Id(requirement_id(capability, name.as_str()).into()),
            written: name.as_str().into(),
            range: TextRange::new(line.start() + name.start(), line.start() + name.end()),
            role: RefRole::Mention,
            expects: Some(ItemKind::Requirement),
        });
    }
}

/// A group heading's number: `## 1. Setup`, `## 4a. Fixes`.
static GROUP: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d+[a-z]?)\.?\s+\S").expect("valid regex"));
/// A checkbox line, as OpenSpec counts its tasks: a list marker (a bullet
/// or `1.`), then `[ ]` or `[x]`, at any indent.
static TASK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:[-*+]|\d{1,9}[.)])\s+\[([ xX])\]\s*(.*)$").expect("valid regex")
});
/// The number a task's text starts with: `1.2`, `4a.8`, or `3.` alone.
static TASK_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\d+[a-z]?(?:\.\d+[a-z]?)+|\d+[a-z]?)\.?(?:\s+|$)").expect("valid regex")
});

/// A change's checklist: every checkbox line is a task, as OpenSpec
/// counts them. Most are numbered under numbered groups (`## 1. Group`
/// holding `- [ ] 1.1 Task`); a task without a number gets the next free
/// one of its group (`1.3`), or, indented under another task, of that
/// task's (`1.2.1` under `1.2`), and a group heading without a number its
/// place among the file's groups, so that every task has an ID.
fn parse_tasks(input: &ParseInput<'_>, place: &Place<'_>, facts: &mut FileFacts) {
    let Some(change) = place.change else {
        return;
    };
    let text = input.text;
    let lines: Vec<TextRange> = lines_in(text, TextRange::new(0, text.len()))
        .filter(|line| !is_ignored(&input.outline.ignored, line.start()))
        .collect();
    // The numbers written in the file, which the made-up ones step over.
    let mut used: HashSet<String> = lines
        .iter()
        .filter_map(|line| {
            let caps = TASK.captures(&text[line.start()..line.end()])?;
            let number = TASK_NUMBER.captures(caps.get(2)?.as_str())?;
            Some(number[1].to_string())
        })
        .collect();
    // The group heading the lines are under: its number as written, or
    // its place among the groups.
    let mut group: Option<TextRange> = None;
    let mut group_number = String::new();
    let mut groups_seen = 0usize;
    // Whether the current heading has shown a task yet, and how many tasks
    // its group holds so far (sub-items left out).
    let mut group_started = false;
    let mut in_group = 0usize;
    // The tasks the current line may be a sub-item of: each one's indent,
    // number and how many sub-items it has so far, the outermost first.
    let mut enclosing: Vec<(usize, String, usize)> = Vec::new();
    let mut heading_at = input.outline.headings.iter().peekable();
    for line in lines {
        while let Some(h) = heading_at.next_if(|h| h.range.start() <= line.start()) {
            let written = &text[h.text_range.start()..h.text_range.end()];
            let lead = written.len() - written.trim_start().len();
            group = GROUP
                .captures(written.trim_start())
                .and_then(|c| c.get(1))
                .map(|n| {
                    let start = h.text_range.start() + lead + n.start();
                    TextRange::new(start, start + n.len())
                });
            group_started = false;
            enclosing.clear();
        }
        let raw = &text[line.start()..line.end()];
        let Some(caps) = TASK.captures(raw) else {
            continue;
        };
        let indent = raw.len() - raw.trim_start().len();
        while enclosing.last().is_some_and(|(at, _, _)| *at >= indent) {
            enclosing.pop();
        }
        if !group_started {
            group_started = true;
            groups_seen += 1;
            in_group = 0;
            group_number = match group {
                Some(at) => text[at.start()..at.end()].to_string(),
                None => groups_seen.to_string(),
            };
        }
        if enclosing.is_empty() {
            in_group += 1;
        }
        let mark = caps.get(1).expect("group 1 always matches");
        let rest = caps.get(2).expect("group 2 always matches");
        let rest_at = line.start() + rest.start();
        let (number, def_range, title_at) = match TASK_NUMBER.captures(rest.as_str()) {
            Some(n) => {
                let written = n.get(1).expect("group 1 always matches");
                let range = TextRange::new(rest_at + written.start(), rest_at + written.end());
                (written.as_str().to_string(), range, rest_at + n[0].len())
            }
            None => {
                // A sub-item is numbered below the task it is indented
                // under (`1.2.1` below `1.2`), so that its number does not
                // pass for one of its group's own (`1.5`).
                let (prefix, first) = match enclosing.last() {
                    Some((_, parent, children)) => (parent.as_str(), children + 1),
                    None => (group_number.as_str(), in_group),
                };
                let mut k = first;
                while used.contains(&format!("{prefix}.{k}")) {
                    k += 1;
                }
                let number = format!("{prefix}.{k}");
                used.insert(number.clone());
                let title = trim_range(text, TextRange::new(rest_at, line.end()));
                (number, title, rest_at)
            }
        };
        if let Some((_, _, children)) = enclosing.last_mut() {
            *children += 1;
        }
        enclosing.push((indent, number.clone(), 0));
        let mut task = Item::new(ItemKind::Task, format!("{change}/task-{number}"), def_range);
        task.title = text[title_at..line.end()].trim().into();
        task.number = Some(number);
        task.range = line;
        let done = mark.as_str().eq_ignore_ascii_case("x");
        task.progress = Some(if done {
            Progress::Done
        } else {
            Progress::NotStarted
        });
        task.status = Some((
            if done { "done" } else { "not started" }.into(),
            TextRange::new(
                line.start() + mark.start() - 1,
                line.start() + mark.end() + 1,
            ),
        ));
        task.parent = Some(Id::new(change));
        if let Some(at) = &group {
            task.fields
                .push(crate::analysis::model::Field::new("Group", *at, *at, *at));
        }
        // A task its line marks optional, cancelled or dropped may stay
        // open, as Kiro's and BMAD's optional tasks may: it holds nothing
        // back, and an archived change may keep it open.
        if let Some(found) = DROPPED.find(&text[title_at..line.end()]) {
            let at = TextRange::new(title_at + found.start(), title_at + found.end());
            task.fields
                .push(crate::analysis::model::Field::new("Optional", at, at, at));
        }
        facts.items.push(task);
    }
    // OpenSpec's agents work through the list from the top, one task after
    // another.
    add_list_order(text, &mut facts.items, |_| false);
}

/// A task's number as its line writes it, or `None` for a task numbered
/// by its place.
fn written_number<'a>(file: &'a SourceFile, task: &Item) -> Option<&'a str> {
    let number = task.number.as_deref()?;
    let written = file
        .text
        .get(task.def_range.start()..task.def_range.end())?;
    (written == number).then_some(written)
}

fn check(ws: &Workspace, _ctx: &Context, file: &SourceFile, sink: &mut Sink<'_>) {
    let FileKind::Dialect(dialect_file) = file.facts.kind else {
        return;
    };
    let Some((place, _)) = place(&file.rel) else {
        return;
    };
    match dialect_file.role {
        BASE_SPEC => {
            check_requirements(file, sink, false);
            check_section(file, sink);
        }
        // An archived change's deltas are history: they have been applied
        // to the specs, where their requirements are checked, and OpenSpec
        // validates active changes only.
        DELTA_SPEC if place.archived => {}
        DELTA_SPEC if place.capability.is_none() => {
            let at = file
                .text
                .lines()
                .next()
                .map_or(TextRange::empty(0), |line| {
                    TextRange::new(0, line.trim_end().len())
                });
            sink.push(
                ROOT_DELTA,
                at,
                "this delta spec is not in a capability's folder: OpenSpec drops a `spec.md` right in a change's `specs/` when the change is archived; move it to `specs/<capability>/spec.md`".to_string(),
            );
        }
        DELTA_SPEC => {
            check_requirements(file, sink, true);
            check_delta(ws, file, &place, sink);
            check_rename_lines(file, sink);
        }
        TASKS => check_tasks(file, &place, sink),
        _ => {}
    }
}

/// The lines of a delta's RENAMED sections that planmark reads as a rename
/// but OpenSpec skips (`- FROM: Requirement: Old` without its `###`, `*
/// FROM:`, `requirement:` in lower case): archiving the change would leave
/// the old name.
fn check_rename_lines(file: &SourceFile, sink: &mut Sink<'_>) {
    let text = &*file.text;
    let mut in_renamed = false;
    for line in lines_in(text, TextRange::new(0, text.len())) {
        if is_ignored(&file.facts.ignored, line.start()) {
            continue;
        }
        let raw = &text[line.start()..line.end()];
        let level = raw.bytes().take_while(|&b| b == b'#').count();
        if (1..=2).contains(&level) && raw[level..].starts_with([' ', '\t']) {
            in_renamed = DELTA
                .captures(raw[level..].trim())
                .is_some_and(|caps| caps[1].eq_ignore_ascii_case("renamed"));
            continue;
        }
        if in_renamed && RENAME_LINE.is_match(raw) && !STRICT_RENAME_LINE.is_match(raw) {
            let at = trim_range(text, line);
            sink.push(
                RENAME_FORMAT,
                at,
                "OpenSpec skips this line, so archiving the change would not apply the rename: write it `- FROM: ### Requirement: <old name>` (or `- TO: ### Requirement: <new name>`), with `###` and `FROM`/`TO` in capitals".to_string(),
            );
        }
    }
}

/// SHALL or MUST as OpenSpec's validator finds them: between ASCII word
/// boundaries, as its JavaScript `\b` sees them, so that `系统SHALL通过`
/// (Chinese written without spaces) states one.
static SHALL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?-u:\b)(SHALL|MUST)(?-u:\b)").expect("valid regex"));

/// OpenSpec's own checks of a requirement: text, SHALL or MUST in it, a
/// scenario, and scenarios with steps. A delta's REMOVED requirements need
/// none of them, and a capability's spec is checked only where OpenSpec
/// reads its requirements (`openspec-requirement-outside-section` reports
/// the others).
fn check_requirements(file: &SourceFile, sink: &mut Sink<'_>, delta: bool) {
    let text = &*file.text;
    let hidden: Vec<TextRange> = if delta {
        Vec::new()
    } else {
        hidden_requirements(file).map(|i| i.def_range).collect()
    };
    for item in &file.facts.items {
        if item.kind != ItemKind::Requirement || hidden.contains(&item.def_range) {
            continue;
        }
        let operation = item
            .field("operation")
            .map(|f| f.value(text).to_ascii_uppercase());
        if delta && matches!(operation.as_deref(), Some("REMOVED" | "RENAMED")) {
            continue;
        }
        let body_end = item
            .sections
            .first()
            .map_or(item.range.end(), |s| s.range.start());
        let body = TextRange::new(item.def_range.end().min(body_end), body_end);
        check_statement(file, item, body, sink);
        if item.sections.is_empty() {
            let message = match misshapen_scenario(file, item) {
                Some(scenario) => format!(
                    "requirement `{}` has no scenario OpenSpec reads: `{}` must be a level-4 heading, `#### Scenario: {}`",
                    item.title,
                    scenario.written(text),
                    scenario.name(text)
                ),
                None => format!(
                    "requirement `{}` has no scenario: add a `#### Scenario: <name>` block with WHEN and THEN steps",
                    item.title
                ),
            };
            sink.push(REQUIREMENT_WITHOUT_SCENARIO, item.def_range, message);
        }
        for scenario in &item.sections {
            let steps = text[scenario.heading_range.end()..scenario.range.end()].trim();
            let stripped = steps
                .trim_matches(|c: char| c == '-' || c == '*' || c.is_whitespace())
                .to_ascii_uppercase();
            if steps.is_empty() || stripped == "TBD" || stripped == "TODO" {
                sink.push(
                    PLACEHOLDER_SCENARIO,
                    scenario.heading_range,
                    format!(
                        "scenario `{}` has no steps: write its WHEN and THEN",
                        scenario.title(text).trim_start_matches("Scenario:").trim()
                    ),
                );
            }
        }
    }
}

/// A requirement's statement, its text from the line below its heading
/// up to `body`'s end, as OpenSpec's validator judges it (v1.8 on): no
/// text at all is an error; text without the English SHALL or MUST a
/// warning, so that a spec written in another language (`系统必须…`)
/// validates. The keyword counts outside code blocks only.
fn check_statement(file: &SourceFile, item: &Item, body: TextRange, sink: &mut Sink<'_>) {
    let text = &*file.text;
    let ignored = |at: usize| is_ignored(&file.facts.ignored, at);
    // OpenSpec reads the text up to the first heading outside code blocks;
    // a line with some text outside them (`.modpkg` in backticks and
    // words after it) is text.
    let outside_code = |line: &TextRange| {
        text[line.start()..line.end()]
            .char_indices()
            .any(|(at, c)| !c.is_whitespace() && !ignored(line.start() + at))
    };
    let has_text = lines_in(text, body)
        .filter(outside_code)
        .map(|line| text[line.start()..line.end()].trim())
        .take_while(|written| !is_heading_line(written))
        .any(|written| !written.is_empty());
    let in_heading = SHALL.is_match(&item.title);
    if !has_text {
        let message = if in_heading {
            format!(
                "requirement `{}` says SHALL or MUST in its heading only and has no text: OpenSpec reads the requirement in the text below its heading, `The system SHALL …`",
                item.title
            )
        } else {
            format!(
                "requirement `{}` has no text: state it below its heading, `The system SHALL …`",
                item.title
            )
        };
        sink.push(REQUIREMENT_WITHOUT_TEXT, item.def_range, message);
        return;
    }
    let states = SHALL
        .find_iter(&text[body.start()..body.end()])
        .any(|found| !ignored(body.start() + found.start()));
    if states {
        return;
    }
    let message = if in_heading {
        format!(
            "requirement `{}` says SHALL or MUST in its heading only: OpenSpec reads it in the text below, `The system SHALL …`",
            item.title
        )
    } else {
        format!(
            "requirement `{}` says neither SHALL nor MUST: state it as `The system SHALL …`",
            item.title
        )
    };
    sink.push(REQUIREMENT_WITHOUT_SHALL, item.def_range, message);
}

/// Whether a line is a markdown heading as OpenSpec's reader sees one: one
/// to six `#`s and a space.
fn is_heading_line(line: &str) -> bool {
    let rest = line.trim_start_matches('#');
    (1..=6).contains(&(line.len() - rest.len())) && rest.starts_with([' ', '\t'])
}

/// The `## Requirements` line of a spec as OpenSpec finds it: the first
/// line outside code that is exactly that heading, in any case.
static REQUIREMENTS_HEADING: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^##[ \t]+Requirements[ \t]*$").expect("valid regex"));

/// The `## Requirements` section of a capability's spec, from its heading
/// to the next `## ` heading outside code, where OpenSpec reads the spec's
/// requirements (and only there); `None` when the spec has no such heading.
fn requirements_section(file: &SourceFile) -> Option<TextRange> {
    let text = &*file.text;
    let mut lines = lines_in(text, TextRange::new(0, text.len()))
        .filter(|line| !is_ignored(&file.facts.ignored, line.start()));
    let heading = lines.find(|line| {
        REQUIREMENTS_HEADING.is_match(text[line.start()..line.end()].trim_end_matches('\r'))
    })?;
    let end = lines
        .find(|line| {
            text[line.start()..line.end()]
                .strip_prefix("##")
                .is_some_and(|rest| rest.starts_with([' ', '\t']))
        })
        .map_or(text.len(), |line| line.start());
    Some(TextRange::new(heading.start(), end))
}

/// The `## ` heading a spec's line at `offset` is under, as written.
fn top_section_at(text: &str, offset: usize) -> Option<&str> {
    text[..offset]
        .lines()
        .rev()
        .map(|line| line.trim_end_matches('\r'))
        .find(|line| {
            line.strip_prefix("##")
                .is_some_and(|rest| rest.starts_with([' ', '\t']))
        })
}

/// The requirements of a capability's spec that OpenSpec does not see:
/// those outside its `## Requirements` section, or all of them when it has
/// none.
fn hidden_requirements<'a>(file: &'a SourceFile) -> impl Iterator<Item = &'a Item> + 'a {
    let section = requirements_section(file);
    file.facts.items.iter().filter(move |item| {
        item.kind == ItemKind::Requirement
            && !section.is_some_and(|s| {
                s.start() < item.def_range.start() && item.def_range.start() < s.end()
            })
    })
}

/// OpenSpec reads a spec's requirements under its `## Requirements` heading
/// only (`openspec validate` rejects the others as invisible, and a change
/// cannot modify, remove or rename them): each requirement outside it is
/// reported, or the first one, counting the others, when the spec has no
/// such heading at all.
fn check_section(file: &SourceFile, sink: &mut Sink<'_>) {
    let text = &*file.text;
    let hidden: Vec<&Item> = hidden_requirements(file).collect();
    let Some(first) = hidden.first() else {
        return;
    };
    if requirements_section(file).is_none() {
        let others = match hidden.len() {
            1 => String::new(),
            2 => " (and the one after it)".to_string(),
            n => format!(" (and the {} after it)", n - 1),
        };
        sink.push(
            REQUIREMENT_OUTSIDE_SECTION,
            first.def_range,
            format!(
                "this spec has no `## Requirements` heading, so OpenSpec does not see requirement `{}`{others}: it reads requirements under that heading only; put `## Requirements` above them",
                first.title
            ),
        );
        return;
    }
    let section = requirements_section(file);
    for item in hidden {
        let under = top_section_at(text, item.def_range.start()).map_or_else(
            || "before it".to_string(),
            |h| format!("under `{}`", h.trim()),
        );
        // A copy of a requirement the section has (a delta heading left
        // above it) is to be deleted, not moved.
        let repeated = file.facts.items.iter().any(|other| {
            other.kind == ItemKind::Requirement
                && other.id == item.id
                && section.is_some_and(|s| {
                    s.start() < other.def_range.start() && other.def_range.start() < s.end()
                })
        });
        if repeated {
            sink.push(
                REQUIREMENT_OUTSIDE_SECTION,
                item.def_range,
                format!(
                    "requirement `{}` is {under}, a copy of the one in the spec's `## Requirements` section, where OpenSpec reads requirements: it does not see this copy; delete it",
                    item.title
                ),
            );
            continue;
        }
        sink.push(
            REQUIREMENT_OUTSIDE_SECTION,
            item.def_range,
            format!(
                "requirement `{}` is {under}, outside the spec's `## Requirements` section, where OpenSpec reads requirements: `openspec validate` rejects it and no change can modify, remove or rename it; move it under `## Requirements`",
                item.title
            ),
        );
    }
}

/// A scenario written so that OpenSpec does not read it: a heading of
/// another level than four (`### Scenario: …`), or a bold line
/// (`- **Scenario: …**`).
struct MisshapenScenario {
    /// The line, without its indentation and line break.
    line: TextRange,
    /// Where the name starts, after `Scenario:` and its spaces.
    name_start: usize,
    /// The `#`s of a heading; `None` for a bold line.
    hashes: Option<TextRange>,
}

impl MisshapenScenario {
    fn written<'t>(&self, text: &'t str) -> &'t str {
        text.get(self.line.start()..self.line.end()).unwrap_or("")
    }

    /// The scenario's name, without a bold line's closing `**`.
    fn name<'t>(&self, text: &'t str) -> &'t str {
        text.get(self.name_start..self.line.end())
            .unwrap_or("")
            .trim_end()
            .trim_end_matches('*')
            .trim_end()
    }
}

/// `### Scenario: name`, `##### Scenario: name`, `- **Scenario: name**` or
/// `**Scenario**: name`: the groups are the `#`s, then what comes before
/// the name.
static MISSHAPEN_SCENARIO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:(#{1,3}|#{5,6})[ \t]+|(?:[-*+][ \t]+)?\*\*)Scenario(?::\*\*|\*\*:|:)[ \t]*")
        .expect("valid regex")
});

/// The first misshapen scenario after a requirement without a scenario:
/// among its lines, or the line that ends it (a level-3 `### Scenario:`
/// heading ends the requirement's section).
fn misshapen_scenario(file: &SourceFile, item: &Item) -> Option<MisshapenScenario> {
    let text = &*file.text;
    let after_heading = TextRange::new(item.def_range.end(), text.len());
    for line in lines_in(text, after_heading).skip(1) {
        if is_ignored(&file.facts.ignored, line.start()) {
            continue;
        }
        let written = text.get(line.start()..line.end())?;
        let trimmed = written.trim_start();
        let indent = written.len() - trimmed.len();
        if let Some(found) = MISSHAPEN_SCENARIO.captures(trimmed) {
            let start = line.start() + indent;
            let whole = found.get(0)?;
            return Some(MisshapenScenario {
                line: TextRange::new(start, line.start() + written.trim_end().len()),
                name_start: start + whole.end(),
                hashes: found
                    .get(1)
                    .map(|h| TextRange::new(start + h.start(), start + h.end())),
            });
        }
        // The requirement ends at the next heading of level 1 to 3 that
        // is not a scenario.
        if line.start() >= item.range.end() || trimmed.starts_with("#### ") {
            return None;
        }
    }
    None
}

/// A delta against the capability's spec, applied as OpenSpec applies it
/// (renames, then removals, then modifications, then additions): what it
/// renames, removes or modifies must be there by then, what it adds must
/// not. A change synced to the spec before it is archived repeats what the
/// spec already says: a rename already made, a requirement already removed
/// or added with the same text are no-ops, as OpenSpec takes them.
fn check_delta(ws: &Workspace, file: &SourceFile, place: &Place<'_>, sink: &mut Sink<'_>) {
    let Some(capability) = place.capability.as_deref() else {
        return;
    };
    let text = &*file.text;
    let base_rel = base_spec_of(&file.rel, capability);
    let base = base_rel.as_deref().and_then(|rel| ws.file(rel));
    // The requirements OpenSpec sees: those under `## Requirements`.
    let hidden: HashSet<&str> = base
        .iter()
        .flat_map(|f| hidden_requirements(f))
        .map(|i| i.title.as_str())
        .collect();
    let base_names: HashSet<&str> = base
        .iter()
        .flat_map(|f| &f.facts.items)
        .filter(|i| i.kind == ItemKind::Requirement && !hidden.contains(i.title.as_str()))
        .map(|i| i.title.as_str())
        .collect();
    let shown_base = base_rel.unwrap_or_else(|| format!("openspec/specs/{capability}/spec.md"));
    let spec = BaseSpec {
        exists: base.is_some(),
        shown: &shown_base,
        hidden: &hidden,
        ws,
        rel: &file.rel,
        change: place.change,
        capability,
    };
    // The requirement names after each rename: what the later sections
    // name is checked against them.
    let mut names: HashSet<&str> = base_names.clone();
    let mut renamed_from: Vec<(&str, &str)> = Vec::new();
    let near_miss = |names: &HashSet<&str>, name: &str| -> Option<String> {
        let folded = fold_name(name);
        names
            .iter()
            .find(|other| **other != name && fold_name(other) == folded)
            .map(|other| other.to_string())
    };
    for reference in &file.facts.references {
        let name = reference.written.trim();
        let line = line_at(text, reference.range.start());
        if !RENAME_LINE.is_match(line) {
            continue;
        }
        let to = rename_target(text, reference.range).unwrap_or("");
        if base.is_some() && names.contains(name) {
            names.remove(name);
            if !to.is_empty() {
                names.insert(to);
                renamed_from.push((name, to));
            }
            continue;
        }
        // The rename was made in the spec already (a change synced early).
        let synced = !to.is_empty() && names.contains(to) && near_miss(&names, name).is_none();
        if base.is_some() && synced {
            continue;
        }
        push_unknown(sink, reference, &spec, &names, "renames");
    }
    for reference in &file.facts.references {
        let name = reference.written.trim();
        if RENAME_LINE.is_match(line_at(text, reference.range.start())) {
            continue;
        }
        let removed = removed_section_at(file, reference.range.start());
        if base.is_some() && names.contains(name) {
            continue;
        }
        if let Some((_, to)) = renamed_from.iter().find(|(from, _)| *from == name) {
            sink.push(
                UNKNOWN_REQUIREMENT,
                reference.range,
                format!(
                    "this delta renames requirement `{name}` to `{to}`, so it must name it `{to}` here",
                ),
            );
            continue;
        }
        // A removal made in the spec already, as a change synced early
        // leaves it, or from a capability without a spec: OpenSpec takes
        // it as done (and says so), unless a requirement of the same name
        // in another case shows a misspelling, or another active change
        // adds the requirement, which archiving this change first would
        // leave in the spec.
        let misspelt =
            base.is_some() && (near_miss(&names, name).is_some() || hidden.contains(name));
        let added_elsewhere = || {
            place.change.is_some_and(|change| {
                adding_change(ws, &file.rel, change, capability, name).is_some()
            })
        };
        if removed && !misspelt && !added_elsewhere() {
            continue;
        }
        let verb = if removed { "removes" } else { "changes" };
        push_unknown(sink, reference, &spec, &names, verb);
    }
    // A change that was archived but whose folder is left behind adds what
    // its archived copy has already added: the folder is the thing to go.
    // A new change that only reuses an archived one's name is live work:
    // the archived copy must add the same requirement.
    let is_added = |file: &SourceFile, item: &Item| {
        item.field("operation")
            .is_some_and(|f| f.value(&file.text).eq_ignore_ascii_case("ADDED"))
    };
    let mut archived: Option<Option<(String, Arc<SourceFile>)>> = None;
    for item in &file.facts.items {
        if is_added(file, item) && names.contains(item.title.as_str()) {
            let same_text = base.is_some_and(|base| {
                base.facts.items.iter().any(|kept| {
                    kept.kind == ItemKind::Requirement
                        && kept.title == item.title
                        && same_block(kept.range.of(&base.text), item.range.of(text))
                })
            });
            let archived = archived.get_or_insert_with(|| {
                place
                    .change
                    .and_then(|change| archived_copy(ws, &file.rel, change, capability))
            });
            let left_over = archived.as_ref().filter(|(_, copy)| {
                copy.facts
                    .items
                    .iter()
                    .any(|added| is_added(copy, added) && added.title == item.title)
            });
            let what_to_do = match left_over {
                Some((folder, _)) => format!(
                    "this change was archived as `{folder}`, so this folder is left over: delete it"
                ),
                // Synced before archiving: no mistake, as OpenSpec takes it.
                None if same_text => continue,
                None => "list it under `## MODIFIED Requirements` instead".to_string(),
            };
            sink.push(
                REQUIREMENT_EXISTS,
                item.def_range,
                format!(
                    "`{shown_base}` already has requirement `{}`: {what_to_do}",
                    item.title
                ),
            );
        }
    }
}

/// The capability's spec a delta is checked against, and where to look
/// for the reason a requirement it names is missing.
struct BaseSpec<'a> {
    exists: bool,
    /// Its path, as findings show it.
    shown: &'a str,
    /// The names of its requirements that OpenSpec does not see, outside
    /// its `## Requirements` section.
    hidden: &'a HashSet<&'a str>,
    ws: &'a Workspace,
    /// The delta spec's path, its change and its capability.
    rel: &'a str,
    change: Option<&'a str>,
    capability: &'a str,
}

/// Reports a reference to a requirement the spec does not have (by the
/// time the delta's earlier sections are applied), with a name of another
/// case or spacing when the spec has one, the spec's section it is hidden
/// in, or the active change that adds it.
fn push_unknown(
    sink: &mut Sink<'_>,
    reference: &Reference,
    base: &BaseSpec<'_>,
    names: &HashSet<&str>,
    verb: &str,
) {
    let name = reference.written.trim();
    let shown_base = base.shown;
    let near = names
        .iter()
        .find(|other| fold_name(other) == fold_name(name));
    let adder = || {
        base.change
            .and_then(|change| adding_change(base.ws, base.rel, change, base.capability, name))
    };
    let why = if let (true, Some(near)) = (base.exists, near) {
        format!("`{shown_base}` names it `{near}`: OpenSpec matches names exactly")
    } else if base.exists && base.hidden.contains(name) {
        format!(
            "`{shown_base}` has it outside its `## Requirements` section, where OpenSpec does not read it: move it under `## Requirements`"
        )
    } else if let Some(other) = adder() {
        let missing = if base.exists {
            "has no such requirement yet"
        } else {
            "does not exist yet"
        };
        format!(
            "`{shown_base}` {missing}: the active change `{other}` adds it; archive `{other}` before this change"
        )
    } else if !base.exists {
        format!("`{shown_base}` does not exist")
    } else {
        format!("`{shown_base}` has no such requirement")
    };
    sink.push(
        UNKNOWN_REQUIREMENT,
        reference.range,
        format!("this delta {verb} requirement `{name}`, but {why}"),
    );
}

/// Another active change of the same `openspec/` folder as the delta `rel`
/// of `change` whose delta of `capability` adds requirement `name`: its
/// folder's name.
fn adding_change(
    ws: &Workspace,
    rel: &str,
    change: &str,
    capability: &str,
    name: &str,
) -> Option<String> {
    let at = rel.rfind(&format!("changes/{change}/"))?;
    let changes = &rel[..at + "changes/".len()];
    ws.files_under(changes).into_iter().find_map(|f| {
        let (other, _) = place(&f.rel).filter(|(p, role)| {
            *role == DELTA_SPEC
                && !p.archived
                && p.change.is_some_and(|c| c != change)
                && p.capability.as_deref() == Some(capability)
        })?;
        let adds = f.facts.items.iter().any(|item| {
            item.kind == ItemKind::Requirement
                && item.title == name
                && item
                    .field("operation")
                    .is_some_and(|op| op.value(&f.text).eq_ignore_ascii_case("ADDED"))
        });
        adds.then(|| other.change.unwrap_or_default().to_string())
    })
}

/// What an open task of an active change waits for beside the tasks above
/// it: the other active changes that add a requirement its change's deltas
/// modify, remove or rename while the capability's spec lacks it. OpenSpec
/// can archive the change only after those, so its work waits for theirs:
/// for the other change itself when it has a proposal (it is done when its
/// tasks are), else for its tasks. It reads the deltas' requirements (their
/// names and operations), the requirements they name and the specs'
/// requirement names, which are the graph's facts of the files named in
/// `implied_deps_sources`.
fn changes_adding_what_it_changes(ws: &Workspace, file: &SourceFile, item: &Item) -> Vec<Id> {
    if item.kind != ItemKind::Task || item.is_done() {
        return Vec::new();
    }
    let Some((tasks_place, TASKS)) = place(&file.rel) else {
        return Vec::new();
    };
    let (Some(change), false) = (tasks_place.change, tasks_place.archived) else {
        return Vec::new();
    };
    let Some(at) = file.rel.rfind(&format!("changes/{change}/")) else {
        return Vec::new();
    };
    let root = &file.rel[..at];
    let mut others: Vec<String> = Vec::new();
    for delta in ws.files_under(&format!("{root}changes/{change}/specs/")) {
        let Some((delta_place, DELTA_SPEC)) = place(&delta.rel) else {
            continue;
        };
        let Some(capability) = delta_place.capability.as_deref() else {
            continue;
        };
        let base = base_spec_of(&delta.rel, capability).and_then(|rel| ws.file(&rel));
        let in_base = |name: &str| {
            base.is_some_and(|base| {
                base.facts
                    .items
                    .iter()
                    .any(|i| i.kind == ItemKind::Requirement && i.title == name)
            })
        };
        // Every requirement the delta names but does not add: the
        // `### Requirement:` headings under MODIFIED or REMOVED, a removal
        // written as a bullet and the `FROM:` line of a rename.
        for named in &delta.facts.references {
            let name = named.written.trim();
            if named.expects != Some(ItemKind::Requirement) || in_base(name) {
                continue;
            }
            if let Some(other) = adding_change(ws, &delta.rel, change, capability, name) {
                if !others.contains(&other) {
                    others.push(other);
                }
            }
        }
    }
    let mut waits = Vec::new();
    for other in others {
        let proposed = ws
            .definitions(other.as_str())
            .iter()
            .any(|loc| ws.item_at(loc).kind == ItemKind::Change);
        if proposed {
            waits.push(Id::from(other));
            continue;
        }
        let tasks = ws.file(&format!("{root}changes/{other}/tasks.md"));
        waits.extend(
            tasks
                .iter()
                .flat_map(|f| &f.facts.items)
                .filter(|t| t.kind == ItemKind::Task && !t.is_done())
                .map(|t| t.id),
        );
    }
    waits
}

/// Whether an item defined more than once is left alone because a copy is
/// one OpenSpec does not read. OpenSpec validates active changes only, so
/// an archived change that numbered two tasks `10.6` is history, as is an
/// archived copy of an active change's ID (a change archived without a
/// date under its old name). It reads a spec's requirements under
/// `## Requirements` only, so a copy left under `## ADDED Requirements`
/// in the spec itself is no second definition of the one under
/// `## Requirements` (`openspec-requirement-outside-section` reports the
/// copy). An item with another copy OpenSpec reads is still reported.
fn archived_copy_of_an_id(ws: &Workspace, file: &SourceFile, item: &Item) -> bool {
    let unread = |rel: &str, def_range: TextRange| {
        place(rel).is_some_and(|(p, _)| p.archived) || hidden_in_its_spec(ws, rel, def_range)
    };
    unread(&file.rel, item.def_range)
        || ws
            .definitions(&item.id)
            .iter()
            .filter(|loc| !(*loc.rel == *file.rel && ws.item_at(loc).def_range == item.def_range))
            .all(|loc| unread(&loc.rel, ws.item_at(loc).def_range))
}

/// Whether the item defined at `def_range` of `rel` is a requirement of a
/// capability's spec that OpenSpec does not see (see
/// `hidden_requirements`).
fn hidden_in_its_spec(ws: &Workspace, rel: &str, def_range: TextRange) -> bool {
    let Some(file) = ws.file(rel) else {
        return false;
    };
    matches!(file.facts.kind, FileKind::Dialect(d) if d.role == BASE_SPEC)
        && hidden_requirements(file).any(|hidden| hidden.def_range == def_range)
}

/// A requirement's name folded as OpenSpec folds it to tell a misspelling:
/// lower case, runs of white space as one space.
fn fold_name(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Whether two requirement blocks say the same, line breaks and the white
/// space around them aside.
fn same_block(a: &str, b: &str) -> bool {
    a.trim()
        .lines()
        .map(str::trim_end)
        .eq(b.trim().lines().map(str::trim_end))
}

/// The line of `text` that holds `offset`, without its line break.
fn line_at(text: &str, offset: usize) -> &str {
    let start = text[..offset].rfind('\n').map_or(0, |at| at + 1);
    let end = text[offset..]
        .find('\n')
        .map_or(text.len(), |at| offset + at);
    text[start..end].trim_end_matches('\r')
}

/// The new name of a RENAMED pair whose `FROM` name is at `from`: the
/// `TO` line after it, before another `FROM` line or a heading.
fn rename_target(text: &str, from: TextRange) -> Option<&str> {
    let next_line = text[from.end()..].find('\n')? + from.end() + 1;
    for line in text[next_line..].lines() {
        let line = line.trim_end_matches('\r');
        if line.trim_start().starts_with('#') {
            return None;
        }
        if let Some(caps) = RENAME_LINE.captures(line) {
            return (&caps[1] == "TO").then(|| caps.get(2).map(|m| m.as_str().trim()))?;
        }
    }
    None
}

/// Whether `offset` is in a `## REMOVED Requirements` section of `file`.
fn removed_section_at(file: &SourceFile, offset: usize) -> bool {
    file.facts
        .items
        .iter()
        .find(|item| item.def_range.start() <= offset && offset < item.range.end())
        .and_then(|item| item.field("operation"))
        .map_or_else(
            || {
                // A bullet of the section names no item: the nearest
                // section heading above it says which section it is in.
                let text = &*file.text;
                text[..offset]
                    .lines()
                    .rev()
                    .find_map(|line| {
                        let title = line.strip_prefix("## ")?;
                        Some(
                            DELTA
                                .captures(title.trim())
                                .is_some_and(|c| c[1].eq_ignore_ascii_case("REMOVED")),
                        )
                    })
                    .unwrap_or(false)
            },
            |field| field.value(&file.text).eq_ignore_ascii_case("REMOVED"),
        )
}

/// The folder of the archived change `<date>-<change>` beside the active
/// change of the delta `rel`, and its delta of `capability`, when it holds
/// one.
fn archived_copy(
    ws: &Workspace,
    rel: &str,
    change: &str,
    capability: &str,
) -> Option<(String, Arc<SourceFile>)> {
    let at = rel.rfind(&format!("changes/{change}/"))?;
    let archive = format!("{}changes/archive/", &rel[..at]);
    let delta = format!("/specs/{capability}/spec.md");
    ws.files_under(&archive).into_iter().find_map(|f| {
        let folder = f.rel.strip_prefix(&archive)?.strip_suffix(&delta)?;
        let dated = folder.strip_suffix(change)?.strip_suffix('-')?;
        let is_date = dated.len() == 10
            && dated.bytes().enumerate().all(|(i, b)| {
                if i == 4 || i == 7 {
                    b == b'-'
                } else {
                    b.is_ascii_digit()
                }
            });
        is_date.then(|| (format!("{archive}{folder}/"), f.clone()))
    })
}

/// The base spec a delta spec changes: `openspec/specs/<capability>/spec.md`
/// beside the `changes/` folder.
fn base_spec_of(rel: &str, capability: &str) -> Option<String> {
    let at = rel
        .rfind("/changes/")
        .or_else(|| rel.starts_with("changes/").then_some(0))?;
    let root = if rel.starts_with("changes/") && at == 0 {
        ""
    } else {
        &rel[..at + 1]
    };
    Some(format!("{root}specs/{capability}/spec.md"))
}

fn check_tasks(file: &SourceFile, place: &Place<'_>, sink: &mut Sink<'_>) {
    let mut open = Vec::new();
    for item in &file.facts.items {
        let (Some(number), Some(group)) = (written_number(file, item), item.field("group")) else {
            if item.progress != Some(Progress::Done) {
                open.push(item);
            }
            continue;
        };
        let major = number.split('.').next().unwrap_or("");
        let group = group.value(&file.text);
        // A lettered group (`## 2b.`) may go on with its number's tasks
        // (`2.7`) or number its own (`2b.1`).
        let group_number = group.trim_end_matches(|c: char| c.is_ascii_alphabetic());
        if major != group && major != group_number {
            sink.push(
                TASK_GROUP,
                item.def_range,
                format!(
                    "task {number} is listed under group {}: renumber it {}.x or move it to group {major}",
                    group, group
                ),
            );
        }
        if item.progress != Some(Progress::Done) {
            open.push(item);
        }
    }
    if place.archived {
        open.retain(|task| task.field("optional").is_none());
        if let Some(first) = open.first() {
            sink.push(
                ARCHIVED_OPEN_TASKS,
                first.def_range,
                format!(
                    "this change is archived but {} of its tasks {} open (first {}): tick them or say why they were dropped",
                    open.len(),
                    if open.len() == 1 { "is" } else { "are" },
                    written_number(file, first).unwrap_or("this one")
                ),
            );
        }
    }
}

/// A task whose line says why it may stay open: marked optional, cancelled,
/// skipped, deferred or dropped in brackets, after a dash or in capitals
/// (`(optional optimization) - Cancelled: not needed for MVP`, `（可选）`).
/// The word in prose (`Add optional caching`) says nothing of the kind.
static DROPPED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:[(\[（]\s*\*{0,2}|(?:^|\s)[-–—]\s*\*{0,2})(?i:optional|cancell?ed|skipped|deferred|dropped|won'?t do|not needed|out of scope|obsolete)\b|\b(?:CANCELL?ED|SKIPPED|DEFERRED|OPTIONAL)\b|[(\[（]\s*(?:可选|可選|取消|已取消|跳过|延期|不需要|任意|見送り|スキップ)",
    )
    .expect("valid regex")
});

fn fixes(_ws: &Workspace, file: &SourceFile, d: &Diagnostic) -> Vec<Action> {
    if d.rule != REQUIREMENT_WITHOUT_SCENARIO {
        return Vec::new();
    }
    let Some(item) = file
        .facts
        .items
        .iter()
        .find(|i| i.kind == ItemKind::Requirement && i.def_range == d.range)
    else {
        return Vec::new();
    };
    // A heading of the wrong level is what the writer meant as a scenario;
    // a bold line might be emphasis in prose, and is left to the writer.
    let Some(hashes) = misshapen_scenario(file, item).and_then(|s| s.hashes) else {
        return Vec::new();
    };
    vec![Action::fix(
        "Make the scenario a level-4 heading",
        d,
        crate::analysis::actions::fixes::edit(file, vec![(hashes, "####".to_string())]),
    )
    .preferred()]
}

#[cfg(test)]
mod tests;
