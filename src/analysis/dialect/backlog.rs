//! Backlog.md: a `backlog/` folder (or `.backlog/`, or the folder of any
//! name that a project's `backlog.config.yml` names, which the loader
//! reads into `Config::backlog_folders`; of a project's `backlog/` and
//! `.backlog/`, only the one Backlog.md prefers, the loader putting the
//! other in `Config::unread_backlog_folders`) holding `config.yml`
//! (or the project's `backlog.config.yml`, which Backlog.md reads in its
//! place when it sets `project_name`: beside the folder, or above it when
//! its `backlog_directory` names it, `docs/backlog`)
//! and one markdown file per task, `tasks/task-12 - Title.md`, whose YAML
//! front matter gives its `id`, `title`, `status`, `dependencies` and,
//! for a sub-task, `parent_task_id`; acceptance criteria are `- [ ] #1
//! text` lines between `<!-- AC:BEGIN -->` and `<!-- AC:END -->`.
//! `completed/` holds finished tasks, `drafts/` drafts, `archive/tasks/`
//! tasks taken out of the backlog (their IDs may be used again, so they
//! define none; a dependency on one is unknown, as Backlog.md's own
//! readiness check finds it), and `decisions/` and `docs/` records whose
//! front matter is checked. Backlog.md lists only the task files directly
//! in `tasks/`, `completed/` and `drafts/`: one in a folder below them
//! (`tasks/epics/`) defines no task, and is reported. Task IDs compare as
//! Backlog.md compares them: without case and
//! without leading zeros (`TASK-007` is `task-7`); a backlog folder below
//! the workspace root scopes its IDs with its path (`web/task-7`).

#[cfg(test)]
mod tests;

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

use crate::analysis::actions::fixes::edit;
use crate::analysis::actions::Action;
use crate::analysis::dialect::yaml::{self, Entry, FrontMatter, Value};
use crate::analysis::dialect::{dialect_rules, Dialect, DialectSpec, ParseInput, RetiredItem};
use crate::analysis::intern::Id;
use crate::analysis::model::{
    Criterion, FileFacts, FileKind, Item, ItemKind, Progress, RefRole, Reference, Section, Target,
};
use crate::analysis::parse::{lines_in, progress_of, trim_range};
use crate::analysis::rules::{dangling_dependency, Context, Diagnostic, Sink};
use crate::analysis::text::TextRange;
use crate::analysis::workspace::{SourceFile, Workspace};

pub(crate) static SPEC: DialectSpec = DialectSpec {
    dialect: Dialect::Backlog,
    name: "Backlog.md",
    planning_folders: &["backlog", ".backlog"],
    classify,
    parse,
    check,
    fixes,
    rules: RULES,
    scope: backlog_scope,
    written_id: written_task_id,
    retired_item: archived_task,
    status_words: backlog_status_words,
    progress: configured_progress,
    progress_sources: &[CONFIG, ROOT_CONFIG],
    renumber_below: renumber_sub_task,
    list_words: backlog_list_words,
    covers_every: crate::analysis::dialect::covers_by_name_only,
    judges_reference: crate::analysis::dialect::judges_every_cover,
    implied_deps: crate::analysis::dialect::no_implied_deps,
    implied_deps_sources: &[],
    held_back: drafts_held_back,
    explains_duplicate: crate::analysis::dialect::no_duplicates_explained,
};

dialect_rules! { Dialect::Backlog;
    INVALID_YAML = 0, "backlog-invalid-yaml", Error, Local,
        "A file's front matter or `config.yml` is not valid YAML: Backlog.md skips the file.";
    NO_FRONT_MATTER = 1, "backlog-no-front-matter", Warning, Local,
        "A task file without YAML front matter: Backlog.md reads no ID, title or status from it.";
    UNKNOWN_STATUS = 2, "backlog-unknown-status", Warning, CrossFile,
        "A task's status is not one of the statuses of `config.yml`.";
    UNKNOWN_PARENT = 3, "backlog-unknown-parent", Error, CrossFile,
        "A sub-task's `parent_task_id` names no task.";
    CRITERION_MARK = 4, "backlog-criterion-mark", Warning, Local,
        "An acceptance criterion's box holds a mark other than `[ ]` or `[x]`: Backlog.md does not read the line.";
    DONE_WITH_OPEN_CRITERIA = 5, "backlog-done-with-open-criteria", Warning, Local,
        "A Done task still has unchecked acceptance criteria.";
    UNBALANCED_MARKERS = 6, "backlog-unbalanced-markers", Warning, Local,
        "A `<!-- ...:BEGIN -->` section marker without its `END`, or an `END` without its `BEGIN`.";
    NESTED_TASK = 7, "backlog-nested-task", Warning, Local,
        "A task file in a folder below `tasks/`, `completed/` or `drafts/`: Backlog.md lists only the files directly in those folders, so it does not see the task.";
    CUSTOM_DIRECTORY = 8, "backlog-custom-directory", Warning, Local,
        "A project's `backlog.config.yml` puts the backlog in a folder not named `backlog/` or `.backlog/` that planmark has not read: the loader reads the folder when it reads the workspace, so the file changed since (or was not saved yet).";
    CONFIG_NOT_A_LIST = 9, "backlog-config-not-a-list", Error, CrossFile,
        "A key of the backlog's config that Backlog.md reads as a list (`statuses`, `labels`, `types`, `priorities`) holds a single value or a mapping: Backlog.md refuses to start.";
    OTHER_PREFIX = 10, "backlog-other-prefix", Warning, CrossFile,
        "A task file in `tasks/` or `completed/` whose name does not start with the configured `task_prefix`: Backlog.md lists only `<prefix>-*.md`, so it does not see the task.";
    DEPENDENCIES_NOT_A_LIST = 11, "backlog-dependencies-not-a-list", Warning, Local,
        "A task's `dependencies:` holds a single value or a mapping, not a list: Backlog.md ignores it, so the task depends on nothing.";
    UNREAD_FOLDER = 12, "backlog-unread-folder", Warning, Local,
        "A file of a `backlog/` or `.backlog/` folder that its project does not read: Backlog.md reads one backlog folder per project (the one `backlog.config.yml` names, else the one holding `config.yml`, `backlog/` first), so this file's task is on no board and defines nothing.";
}

/// The roles of a backlog folder's files.
const CONFIG: &str = "config";
/// The project's `backlog.config.yml`, beside the backlog folder.
const ROOT_CONFIG: &str = "root-config";
const TASK: &str = "task";
const DRAFT: &str = "draft";
const COMPLETED: &str = "completed";
const ARCHIVED: &str = "archived";
/// A task file in a folder below `tasks/`, `completed/` or `drafts/`,
/// which Backlog.md does not list.
const NESTED: &str = "nested";
const DECISION: &str = "decision";
const DOC: &str = "doc";
/// A file of a backlog folder that its project does not read (`.backlog/`
/// beside the `backlog/` that Backlog.md prefers): it defines nothing.
const UNREAD: &str = "unread";

/// The name of the project's config file, which Backlog.md (since v1.41)
/// looks for beside the backlog folder before the folder's `config.yml`.
const ROOT_CONFIG_NAME: &str = "backlog.config.yml";

/// The statuses of a backlog without a `config.yml` or without a
/// `statuses:` key.
const DEFAULT_STATUSES: &[&str] = &["To Do", "In Progress", "Done"];

/// Where a file sits in its backlog folder.
struct Place<'a> {
    /// The backlog folder's path (`backlog`, `web/.backlog`).
    dir: &'a str,
    /// What IDs defined here start with: empty for a backlog folder at
    /// the root, else the folder's parent path and a slash (`web/`).
    scope: &'a str,
    role: &'static str,
}

/// The place of a file in a folder named `backlog` or `.backlog`, given
/// its path and the path's `parts`.
fn place_in<'a>(rel: &'a str, parts: &[&'a str]) -> Option<Place<'a>> {
    // The innermost backlog folder that the rest of the path fits.
    (0..parts.len())
        .rev()
        .filter(|&b| matches!(parts[b], "backlog" | ".backlog"))
        .find_map(|b| place_at(rel, parts, b, role_in(&parts[b + 1..])?))
}

/// The role of a file in a backlog folder, given the parts of its path
/// below the folder.
fn role_in(rest: &[&str]) -> Option<&'static str> {
    Some(match rest {
        [name] if matches!(*name, "config.yml" | "config.yaml") => CONFIG,
        ["tasks", name] if is_task_name(name) => TASK,
        ["completed", name] if is_task_name(name) => COMPLETED,
        ["drafts", name] if is_task_name(name) => DRAFT,
        // Backlog.md lists `tasks/task-*.md`, not the folders below.
        ["tasks" | "completed" | "drafts", _, .., name] if is_task_name(name) => NESTED,
        ["archive", "tasks" | "drafts", .., name] if is_task_name(name) => ARCHIVED,
        ["decisions", name] if is_record_name(name, "decision-") => DECISION,
        ["docs", .., name] if is_record_name(name, "doc-") => DOC,
        _ => return None,
    })
}

/// The place of a file whose backlog folder is `parts[b]`.
fn place_at<'a>(
    rel: &'a str,
    parts: &[&'a str],
    b: usize,
    role: &'static str,
) -> Option<Place<'a>> {
    let dir_len: usize = parts[..=b].iter().map(|p| p.len() + 1).sum::<usize>() - 1;
    let scope_len = dir_len - parts[b].len();
    Some(Place {
        dir: rel.get(..dir_len)?,
        scope: rel.get(..scope_len)?,
        role,
    })
}

/// The place of a file of the backlog: in a folder named `backlog` or
/// `.backlog`, or else in the folder that the project's
/// `backlog.config.yml` names, which only the file's classification knew
/// (see [`classify_configured`]). There the outermost folder that gives
/// the path the role it was classified with is the backlog folder: a
/// configured folder is given from the workspace root, and a role fits
/// one folder of the path only (`plans/tasks/tasks/task-1.md` is a task of
/// `plans/tasks`, since a task of `plans` would be nested). `None` for a
/// file that is not one of a backlog's.
fn place_of(file: &SourceFile) -> Option<Place<'_>> {
    match file.facts.kind {
        FileKind::Dialect(d) if d.dialect == Dialect::Backlog => place_with_role(&file.rel, d.role),
        _ => None,
    }
}

/// [`place_of`] for a path classified with `role`.
fn place_with_role<'a>(rel: &'a str, role: &'static str) -> Option<Place<'a>> {
    let parts = super::PathParts::of(rel);
    if let Some(place) = place_in(rel, &parts).filter(|p| p.role == role) {
        return Some(place);
    }
    (0..parts.len())
        .find(|&b| role_in(&parts[b + 1..]) == Some(role))
        .and_then(|b| place_at(rel, &parts, b, role))
}

/// The role of a file in a backlog folder that is not named `backlog` or
/// `.backlog` but that the workspace's `backlog.config.yml` names
/// (`folders`, from [`backlog_layout`]): `planning/tasks/task-1.md`
/// for `backlog_directory: planning`.
pub(crate) fn classify_configured(rel: &str, folders: &[String]) -> Option<&'static str> {
    folders.iter().find_map(|folder| {
        let rest = rel.strip_prefix(folder.as_str())?.strip_prefix('/')?;
        role_in(&super::PathParts::of(rest))
    })
}

/// The role of a path in a backlog folder that Backlog.md does not read
/// (one of `folders`, from [`backlog_layout`]), when the path would
/// otherwise be one of that folder's files: such a file defines nothing.
pub(crate) fn classify_unread(rel: &str, folders: &[String]) -> Option<&'static str> {
    folders.iter().find_map(|folder| {
        let rest = rel.strip_prefix(folder.as_str())?.strip_prefix('/')?;
        role_in(&super::PathParts::of(rest)).map(|_| UNREAD)
    })
}

/// What the loader asks of the disk to learn which backlog folder each
/// project reads, as Backlog.md decides it. Paths are relative to the
/// workspace root.
pub(crate) trait BacklogDisk {
    /// The text of a file, if it exists and can be read.
    fn text(&self, rel: &str) -> Option<String>;
    /// Whether a folder exists.
    fn is_folder(&self, rel: &str) -> bool;
    /// Whether a file exists.
    fn is_file(&self, rel: &str) -> bool;
}

/// The backlog folders of a workspace's projects, as Backlog.md chooses
/// them (see [`backlog_layout`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct BacklogLayout {
    /// The folders that projects' `backlog.config.yml` files name and that
    /// are not found by their name (`apps/web/planning`).
    pub(crate) read: Vec<String>,
    /// The folders named `backlog` or `.backlog` that their project does
    /// not read (`.backlog` beside a `backlog/` that Backlog.md prefers).
    pub(crate) unread: Vec<String>,
}

/// The project folders (empty for the workspace root, else ending in `/`)
/// that the paths of a workspace's files show: the workspace root, each
/// folder holding a `backlog.config.yml`, and each folder holding a
/// backlog folder found by its name.
pub(crate) fn backlog_projects<'a>(rels: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut projects: std::collections::BTreeSet<&str> = std::collections::BTreeSet::new();
    projects.insert("");
    // Both kinds of path name a backlog: a workspace of 100,000 other files
    // is passed over a word search each, without splitting a path.
    let backlog = memchr::memmem::Finder::new("backlog");
    for rel in rels {
        if backlog.find(rel.as_bytes()).is_none() {
            continue;
        }
        let project = project_of_root_config(rel).or_else(|| {
            let parts = super::PathParts::of(rel);
            place_in(rel, &parts).map(|place| place.scope)
        });
        projects.extend(project);
    }
    projects.into_iter().map(str::to_string).collect()
}

/// Which backlog folder each of `projects` reads, as Backlog.md resolves
/// it: the folder that the project's `backlog.config.yml` names (when the
/// file sets `project_name`), else `backlog/` when it holds a `config.yml`,
/// else `.backlog/` when it holds one, else `backlog/` when it exists,
/// else `.backlog/`. A `backlog/` or `.backlog/` that exists but is not
/// the one chosen is unread.
pub(crate) fn backlog_layout(projects: &[String], disk: &dyn BacklogDisk) -> BacklogLayout {
    const BUILT_IN: [&str; 2] = ["backlog", ".backlog"];
    let mut layout = BacklogLayout::default();
    for project in projects {
        let configured = disk
            .text(&format!("{project}{ROOT_CONFIG_NAME}"))
            .and_then(|text| {
                let keys = RootConfigKeys::of(&text);
                keys.project_name?;
                keys.backlog_directory?.2
            });
        let chosen = match configured {
            Some(folder) => {
                let last = folder.rsplit('/').next().unwrap_or(&folder);
                if !BUILT_IN.contains(&last) {
                    layout.read.push(format!("{project}{folder}"));
                }
                folder
            }
            None => {
                let has_config = |name: &str| {
                    ["config.yml", "config.yaml"]
                        .iter()
                        .any(|file| disk.is_file(&format!("{project}{name}/{file}")))
                };
                let exists = |name: &str| disk.is_folder(&format!("{project}{name}"));
                let chosen = BUILT_IN
                    .into_iter()
                    .find(|name| has_config(name))
                    .or_else(|| BUILT_IN.into_iter().find(|name| exists(name)));
                match chosen {
                    Some(name) => name.to_string(),
                    None => continue,
                }
            }
        };
        for name in BUILT_IN {
            let folder = format!("{project}{name}");
            if name != chosen && disk.is_folder(&folder) {
                layout.unread.push(folder);
            }
        }
    }
    layout.read.sort();
    layout.unread.sort();
    layout
}

/// Whether a change to the file `rel` may change which backlog folder its
/// project reads: a project's `backlog.config.yml`, or the `config.yml`
/// of a folder named `backlog` or `.backlog`.
pub(crate) fn decides_layout(rel: &str) -> bool {
    if project_of_root_config(rel).is_some() {
        return true;
    }
    let parts = super::PathParts::of(rel);
    matches!(
        &parts[..],
        [.., "backlog" | ".backlog", "config.yml" | "config.yaml"]
    )
}

/// `task-12 - Title.md`, `TASK-3.1.md`, `draft-2 - Idea.md`: a prefix of
/// letters, a dash and a digit, as Backlog.md's `<prefix>-*.md` lists them.
fn is_task_name(name: &str) -> bool {
    let Some(stem) = strip_md(name) else {
        return false;
    };
    match stem.split_once('-') {
        Some((prefix, rest)) => {
            !prefix.is_empty()
                && prefix.bytes().all(|b| b.is_ascii_alphabetic())
                && rest.bytes().next().is_some_and(|b| b.is_ascii_digit())
        }
        None => false,
    }
}

fn is_record_name(name: &str, prefix: &str) -> bool {
    strip_md(name).is_some_and(|stem| stem.to_ascii_lowercase().starts_with(prefix))
}

fn strip_md(name: &str) -> Option<&str> {
    let cut = name.len().checked_sub(3)?;
    (name.is_char_boundary(cut) && name[cut..].eq_ignore_ascii_case(".md")).then(|| &name[..cut])
}

/// A backlog's files read each other (tasks read `config.yml`'s statuses
/// and each other's IDs): the backlog folder, with its `/`.
fn backlog_scope(rel: &str) -> &str {
    // The project's config is read by the backlog folders beside it.
    if let Some(project) = project_of_root_config(rel) {
        return project;
    }
    // A file of a folder found by its name, else the outermost folder that
    // gives it some role (see `place_of`): a scope too wide costs only
    // checks of more files.
    let parts = super::PathParts::of(rel);
    place_in(rel, &parts)
        .or_else(|| {
            (0..parts.len()).find_map(|b| place_at(rel, &parts, b, role_in(&parts[b + 1..])?))
        })
        .map_or("", |p| &rel[..p.dir.len() + 1])
}

/// The folder (with its `/`, or empty for the workspace root) of a
/// project's `backlog.config.yml`, when `rel` is one.
fn project_of_root_config(rel: &str) -> Option<&str> {
    rel.strip_suffix(ROOT_CONFIG_NAME)
        .filter(|project| project.is_empty() || project.ends_with('/'))
}

/// A task as a `dependencies:` entry writes it: its ID without the scope
/// that keeps two backlogs of one workspace apart (`task-7`).
/// A draft (`backlog/drafts/`) is an idea, not work: Backlog.md leaves it
/// off the board until `backlog draft promote` makes it a task, so the
/// plan offers it as nothing ready.
fn drafts_held_back(_: &Workspace, file: &SourceFile, item: &Item) -> Option<&'static str> {
    (item.kind == ItemKind::Task && place_role(file) == Some(DRAFT))
        .then_some("is a draft: promote it to a task (`backlog draft promote`) to plan it")
}

fn written_task_id(item: &Item) -> String {
    item.id.rsplit('/').next().unwrap_or(&item.id).to_string()
}

/// A sub-task's ID renumbered when a task above it is renamed:
/// `TASK-7.1.2`, below `task-7`, becomes `TASK-9.1.2` when `task-7` is
/// renamed `task-9`. The IDs compare as Backlog.md compares them
/// (`task-007.1` is below `task-7`); the sub-task keeps the case of its
/// prefix and the zeros of its own numbers. `None` when `spelled` is not
/// below `renamed`.
fn renumber_sub_task(spelled: &str, renamed: &str, new_name: &str) -> Option<String> {
    fn split(id: &str) -> (Option<&str>, &str) {
        match prefix_of(id) {
            Some(prefix) => (Some(prefix), &id.trim()[prefix.len() + 1..]),
            None => (None, id.trim()),
        }
    }
    fn number(part: &str) -> Option<&str> {
        if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let trimmed = part.trim_start_matches('0');
        Some(if trimmed.is_empty() { "0" } else { trimmed })
    }
    let (prefix, body) = split(spelled);
    let (renamed_prefix, renamed_body) = split(renamed);
    let (new_prefix, new_body) = split(new_name);
    if let (Some(a), Some(b)) = (prefix, renamed_prefix) {
        if !a.eq_ignore_ascii_case(b) {
            return None;
        }
    }
    let parts: Vec<&str> = body.split('.').collect();
    let above: Vec<&str> = renamed_body.split('.').collect();
    if parts.len() <= above.len() || new_body.is_empty() {
        return None;
    }
    for (part, above) in parts.iter().zip(&above) {
        if number(part)? != number(above)? {
            return None;
        }
    }
    let rest = &parts[above.len()..];
    if rest.iter().any(|part| number(part).is_none()) {
        return None;
    }
    let mut out = match (prefix, new_prefix.or(prefix)) {
        (Some(own), Some(new)) if own.bytes().all(|b| b.is_ascii_uppercase()) => {
            format!("{}-", new.to_ascii_uppercase())
        }
        (Some(own), Some(new)) if own.bytes().all(|b| b.is_ascii_lowercase()) => {
            format!("{}-", new.to_ascii_lowercase())
        }
        (Some(_), Some(new)) => format!("{new}-"),
        _ => String::new(),
    };
    out.push_str(new_body);
    for part in rest {
        out.push('.');
        out.push_str(part);
    }
    Some(out)
}

fn classify(rel: &str, parts: &[&str]) -> Option<&'static str> {
    if parts.last() == Some(&ROOT_CONFIG_NAME) {
        return Some(ROOT_CONFIG);
    }
    place_in(rel, parts).map(|p| p.role)
}

/// A task ID as Backlog.md compares it: the prefix (or `default_prefix`
/// for a bare number) in lower case, each dotted number without leading
/// zeros, after the scope. Other IDs are only lower-cased.
fn canonical_id(scope: &str, raw: &str, default_prefix: &str) -> String {
    let raw = raw.trim();
    let (prefix, body) = match raw.split_once('-') {
        Some((prefix, body))
            if !prefix.is_empty() && prefix.bytes().all(|b| b.is_ascii_alphabetic()) =>
        {
            (prefix, body)
        }
        _ => (default_prefix, raw),
    };
    let numeric = !body.is_empty()
        && body
            .split('.')
            .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()));
    if !numeric {
        return format!("{scope}{}", raw.to_lowercase());
    }
    let body: Vec<&str> = body
        .split('.')
        .map(|part| {
            let trimmed = part.trim_start_matches('0');
            if trimmed.is_empty() {
                "0"
            } else {
                trimmed
            }
        })
        .collect();
    format!("{scope}{}-{}", prefix.to_lowercase(), body.join("."))
}

/// The letters before the first dash of an ID (`task` in `TASK-12`).
fn prefix_of(raw: &str) -> Option<&str> {
    let (prefix, _) = raw.trim().split_once('-')?;
    (!prefix.is_empty() && prefix.bytes().all(|b| b.is_ascii_alphabetic())).then_some(prefix)
}

/// Whether `above` is the ID of a task above the sub-task `id` by its
/// number: `task-27` and `task-27.1` are above `task-27.1.2`.
fn is_above(id: &str, above: &str) -> bool {
    id.len() > above.len() && id.starts_with(above) && id.as_bytes()[above.len()] == b'.'
}

/// The ID and title a task file's name gives (`task-12`, `Fix login`).
fn name_parts(rel: &str) -> (&str, &str) {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    let stem = strip_md(name).unwrap_or(name);
    match stem.split_once(" - ") {
        Some((id, title)) => (id.trim(), title.trim()),
        None => (stem.trim(), ""),
    }
}

/// What Backlog.md makes of a status: done when it says done or complete
/// (as its board and milestones read it), else the usual words.
fn progress_of_status(status: &str) -> Option<Progress> {
    let lower = status.to_lowercase();
    if lower.contains("done") || lower.contains("complete") {
        return Some(Progress::Done);
    }
    progress_of(status)
}

/// The progress of a status the usual words do not tell, from its place
/// in `config.yml`'s list, read as the columns of Backlog.md's board: the
/// first is not started, the last is done (`Released`, `Shipped to prod`),
/// those between are in progress.
fn configured_progress(ws: &Workspace, file: &SourceFile, item: &Item) -> Option<Progress> {
    let (status, _) = item.status.as_ref()?;
    let place = place_of(file)?;
    let Statuses::Configured(list, _) = statuses(ws, &place) else {
        return None;
    };
    let key = status_key(status);
    let at = list.iter().position(|s| status_key(s) == key)?;
    Some(if at == 0 {
        Progress::NotStarted
    } else if at + 1 == list.len() {
        Progress::Done
    } else {
        Progress::InProgress
    })
}

/// The words of a task's `labels:` (those `config.yml` lists, then those
/// other tasks of the backlog use, most used first) and `assignee:` (those
/// other tasks use).
fn backlog_list_words(ws: &Workspace, file: &SourceFile, key: &str) -> Vec<String> {
    let Some(place) = place_of(file) else {
        return Vec::new();
    };
    if !matches!(place.role, TASK | COMPLETED | DRAFT) || !matches!(key, "labels" | "assignee") {
        return Vec::new();
    }
    let mut words: Vec<String> = Vec::new();
    if key == "labels" {
        if let Some(config) = config_file(ws, &place) {
            let whole = TextRange::new(0, config.text.len());
            if let Ok(entries) = yaml::read_mapping(&config.text, whole, false) {
                words.extend(list_values(yaml::get(&entries, key)));
            }
        }
    }
    // The words the backlog's other tasks use, most used first.
    let mut used: HashMap<String, usize> = HashMap::new();
    let scope = backlog_scope(&file.rel);
    for other in ws.files_under(scope) {
        if other.rel == file.rel || !matches!(place_role(other), Some(TASK | COMPLETED | DRAFT)) {
            continue;
        }
        let Some(front) = yaml::front_matter(&other.text) else {
            continue;
        };
        let Ok(entries) = front.keys else {
            continue;
        };
        for word in list_values(yaml::get(&entries, key)) {
            *used.entry(word).or_default() += 1;
        }
    }
    let mut used: Vec<(String, usize)> = used.into_iter().collect();
    used.sort_by(|(a, m), (b, n)| n.cmp(m).then_with(|| a.cmp(b)));
    for (word, _) in used {
        if !words.iter().any(|w| w.eq_ignore_ascii_case(&word)) {
            words.push(word);
        }
    }
    words
}

/// The role of a path in its backlog folder.
fn place_role(file: &SourceFile) -> Option<&'static str> {
    match file.facts.kind {
        FileKind::Dialect(d) if d.dialect == Dialect::Backlog => Some(d.role),
        _ => None,
    }
}

/// The scalar entries of a list value, or the scalar itself.
fn list_values(entry: Option<&Entry>) -> Vec<String> {
    match entry.map(|e| &e.value) {
        Some(Value::List { items, .. }) => items
            .iter()
            .filter_map(|item| match item {
                yaml::Item::Scalar(s) if !s.value.trim().is_empty() => {
                    Some(s.value.trim().to_string())
                }
                _ => None,
            })
            .collect(),
        Some(Value::Scalar(s)) if !s.value.trim().is_empty() => vec![s.value.trim().to_string()],
        _ => Vec::new(),
    }
}

/// Statuses compare without case and white space (`todo` is `To Do`).
fn status_key(status: &str) -> String {
    status
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

fn parse(input: &ParseInput<'_>, facts: &mut FileFacts) {
    let Some(place) = place_with_role(input.rel, input.role) else {
        return;
    };
    if matches!(input.role, TASK | COMPLETED | DRAFT) {
        parse_task(input, &place, facts);
    }
}

/// The item of a task file: from its front matter, or from its file name
/// when it has none or the front matter cannot be read (the file is then
/// reported, and the tasks naming it are not).
fn parse_task(input: &ParseInput<'_>, place: &Place<'_>, facts: &mut FileFacts) {
    let text = input.text;
    let scan = Scan::of(text);
    let entries: &[Entry] = scan
        .front_matter
        .as_ref()
        .and_then(|fm| fm.keys.as_ref().ok())
        .map_or(&[], Vec::as_slice);
    let (name_id, name_title) = name_parts(input.rel);
    let id_value = yaml::get(entries, "id")
        .and_then(Entry::scalar)
        .filter(|s| !s.value.is_empty());
    let raw_id = id_value.map_or(name_id, |s| s.value.as_str());
    let default_prefix = prefix_of(raw_id)
        .or_else(|| prefix_of(name_id))
        .unwrap_or(if input.role == DRAFT { "draft" } else { "task" });
    let id = canonical_id(place.scope, raw_id, default_prefix);
    let def_range = id_value.map_or(TextRange::empty(0), |s| s.inner);
    let mut item = Item::new(ItemKind::Task, id, def_range);
    item.range = TextRange::new(0, text.len());
    item.number = raw_id.split_once('-').map(|(_, n)| n.to_string());
    item.title = yaml::get(entries, "title")
        .and_then(Entry::scalar)
        .map_or_else(|| name_title.to_string(), |s| s.value.clone())
        .into();
    item.fields
        .extend(entries.iter().filter_map(|entry| entry.scalar_field(text)));
    if let Some(status) = yaml::get(entries, "status").and_then(Entry::scalar) {
        item.status = Some((status.value.as_str().into(), status.inner));
        item.progress = progress_of_status(&status.value);
    }
    if input.role == COMPLETED {
        item.progress = Some(Progress::Done);
    }
    if let Some(parent) = yaml::get(entries, "parent_task_id").and_then(Entry::scalar) {
        let target = canonical_id(place.scope, &parent.value, default_prefix);
        item.parent = Some(Id::new(&target));
        facts.references.push(task_reference(text, parent, target));
    }
    let dependencies = yaml::get(entries, "dependencies");
    // `dependencies: ` with no value yet is where an editor completes one.
    item.deps_field = dependencies.and_then(|e| e.empty_value_at(text));
    if let Some(Value::List { items, range }) = dependencies.map(|e| &e.value) {
        item.deps_field = Some(*range);
        for entry in items {
            let yaml::Item::Scalar(dep) = entry else {
                continue;
            };
            if dep.value.is_empty() {
                continue;
            }
            let target = canonical_id(place.scope, &dep.value, default_prefix);
            let reference = task_reference(text, dep, target.clone());
            // A sub-task that lists its parent (or a task above it) links
            // to the task it belongs to: the parent already waits for it,
            // so read as a dependency it would make a cycle of every such
            // pair. A task without a parent has no such link.
            let above = item.parent.as_deref() == Some(target.as_str())
                || (item.parent.is_some() && is_above(&item.id, &target));
            if above {
                facts.references.push(reference);
            } else {
                item.deps.push(reference);
            }
        }
    }
    item.criteria = scan.criteria;
    let body_start = scan.front_matter.as_ref().map_or(0, |fm| fm.range.end());
    item.sections = sections(input, body_start);
    facts.items.push(item);
}

fn task_reference(text: &str, value: &yaml::Scalar, target: String) -> Reference {
    Reference {
        target: Target::Id(target.into()),
        written: text[value.range.start()..value.range.end()].into(),
        range: value.range,
        role: RefRole::Dependency,
        expects: Some(ItemKind::Task),
    }
}

/// The markdown sections after the front matter (whose `---` fences
/// markdown would read as a heading's underline). A heading written on the
/// closing fence's line (`---## Description`) is the first section, as
/// Backlog.md reads the body from just after the dashes.
fn sections(input: &ParseInput<'_>, body_start: usize) -> Vec<Section> {
    let headings: Vec<_> = input
        .outline
        .headings
        .iter()
        .filter(|h| h.range.start() >= body_start)
        .collect();
    let end_before = |start: usize, level: u8| {
        headings
            .iter()
            .filter(|next| next.range.start() > start)
            .find(|next| next.level <= level)
            .map_or(input.text.len(), |next| next.range.start())
    };
    let mut out: Vec<Section> = fence_line_heading(input.text, body_start)
        .map(|(level, heading_range, title_range)| Section {
            level,
            title_range,
            heading_range,
            range: TextRange::new(
                heading_range.start(),
                end_before(heading_range.start(), level),
            ),
        })
        .into_iter()
        .collect();
    out.extend(headings.iter().map(|h| {
        let end = end_before(h.range.start(), h.level);
        Section {
            level: h.level,
            title_range: h.text_range,
            heading_range: h.range,
            range: TextRange::new(h.range.start(), end.max(h.range.start())),
        }
    }));
    out
}

/// The ATX heading that follows the closing fence's dashes on their own
/// line, when the body starts there: its level, the heading's range and
/// its title's range.
fn fence_line_heading(text: &str, body_start: usize) -> Option<(u8, TextRange, TextRange)> {
    if body_start == 0 || body_start >= text.len() || text[..body_start].ends_with('\n') {
        return None;
    }
    let line_end = text[body_start..]
        .find('\n')
        .map_or(text.len(), |i| body_start + i);
    let line = text[body_start..line_end].trim_end_matches('\r');
    let hashes = line.bytes().take_while(|&b| b == b'#').count();
    let after = &line[hashes..];
    if !(1..=6).contains(&hashes) || !(after.is_empty() || after.starts_with([' ', '\t'])) {
        return None;
    }
    // The title is the rest of the line without its closing `#`s.
    let title = after.trim_end();
    let title = match title.trim_end_matches('#') {
        kept if kept.is_empty() || kept.ends_with([' ', '\t']) => kept,
        _ => title,
    };
    let title_start = body_start + hashes + (after.len() - after.trim_start().len());
    let title_end = (body_start + hashes + title.trim_end().len()).max(title_start);
    let level = u8::try_from(hashes).ok()?;
    Some((
        level,
        TextRange::new(body_start, body_start + line.len()),
        TextRange::new(title_start, title_end),
    ))
}

/// A `<!-- FAMILY:BEGIN -->` or `<!-- FAMILY:END -->` marker.
#[derive(Clone, Debug)]
struct Marker {
    family: String,
    begin: bool,
    range: TextRange,
}

/// A box that Backlog.md does not read, and its mark.
#[derive(Clone, Debug)]
struct BadMark {
    range: TextRange,
    mark: String,
}

/// What a task file holds beyond its item: read by the parser and again
/// by the check, which has only the text and the facts.
struct Scan {
    front_matter: Option<FrontMatter>,
    criteria: Vec<Criterion>,
    bad_marks: Vec<BadMark>,
    markers: Vec<Marker>,
}

static MARKER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"<!-- (SECTION:[A-Z][A-Z0-9_]*|COMMENTS|COMMENT|AC|DOD):(BEGIN|END) -->")
        .expect("valid regex")
});
/// A criterion as Backlog.md reads it: at the start of the line, `- `, a
/// box with a space or a lower-case `x`, an optional `#N` and text.
static CRITERION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^- (\[[ x]\]) (?:#\d+ )?(.+)$").expect("valid regex"));
/// Any list item starting with a box, for the marks Backlog.md skips.
static ANY_BOX: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[ \t]*[-*+][ \t]+(\[([^\]\r\n]{0,2})\])").expect("valid regex"));
static CRITERIA_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?im)^##[\t ]+Acceptance Criteria[\t ]*\r?$").expect("valid regex")
});
static LEVEL_TWO_HEADING: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?m)^##[\t ]").expect("valid regex"));

/// The markers that are not inside the block of a `SECTION:…` marker
/// pair of another family: Backlog.md reads a section's body as text, so
/// a plan that quotes `<!-- AC:END -->` between `<!-- SECTION:PLAN:BEGIN
/// -->` and `<!-- SECTION:PLAN:END -->` holds no marker.
fn outside_other_sections(markers: Vec<Marker>) -> Vec<Marker> {
    let mut blocks: Vec<(&str, TextRange)> = Vec::new();
    for (at, begin) in markers.iter().enumerate() {
        if !begin.begin || !begin.family.starts_with("SECTION:") {
            continue;
        }
        let end = markers[at + 1..]
            .iter()
            .find(|m| !m.begin && m.family == begin.family);
        if let Some(end) = end {
            blocks.push((
                &begin.family,
                TextRange::new(begin.range.end(), end.range.start()),
            ));
        }
    }
    if blocks.is_empty() {
        return markers;
    }
    let quoted: Vec<bool> = markers
        .iter()
        .map(|marker| {
            blocks.iter().any(|(family, block)| {
                *family != marker.family && block.contains_range(marker.range)
            })
        })
        .collect();
    markers
        .into_iter()
        .zip(quoted)
        .filter_map(|(marker, quoted)| (!quoted).then_some(marker))
        .collect()
}

impl Scan {
    fn of(text: &str) -> Scan {
        let front_matter = yaml::front_matter(text);
        let body_start = front_matter.as_ref().map_or(0, |fm| fm.range.end());
        let markers: Vec<Marker> = MARKER
            .captures_iter(&text[body_start..])
            .filter_map(|caps| {
                let whole = caps.get(0)?;
                Some(Marker {
                    family: caps[1].to_string(),
                    begin: &caps[2] == "BEGIN",
                    range: TextRange::new(body_start + whole.start(), body_start + whole.end()),
                })
            })
            .collect();
        let markers = outside_other_sections(markers);
        let mut scan = Scan {
            front_matter,
            criteria: Vec::new(),
            bad_marks: Vec::new(),
            markers,
        };
        for block in criteria_blocks(text, body_start, &scan.markers) {
            scan.read_criteria(text, block);
        }
        scan
    }

    fn read_criteria(&mut self, text: &str, block: TextRange) {
        for line in lines_in(text, block) {
            let raw = &text[line.start()..line.end()];
            if let Some(caps) = CRITERION.captures(raw) {
                let (Some(mark), Some(rest)) = (caps.get(1), caps.get(2)) else {
                    continue;
                };
                let text_range = trim_range(
                    text,
                    TextRange::new(line.start() + rest.start(), line.start() + rest.end()),
                );
                let after = &text[line.end()..];
                let break_len = if after.starts_with("\r\n") {
                    2
                } else {
                    usize::from(after.starts_with('\n'))
                };
                self.criteria.push(Criterion {
                    checked: mark.as_str() == "[x]",
                    text_range,
                    box_range: TextRange::new(
                        line.start() + mark.start(),
                        line.start() + mark.end(),
                    ),
                    line_range: TextRange::new(line.start(), line.end() + break_len),
                });
                continue;
            }
            if let Some(caps) = ANY_BOX.captures(raw) {
                let (Some(boxed), Some(mark)) = (caps.get(1), caps.get(2)) else {
                    continue;
                };
                if !matches!(mark.as_str(), " " | "x") {
                    self.bad_marks.push(BadMark {
                        range: TextRange::new(
                            line.start() + boxed.start(),
                            line.start() + boxed.end(),
                        ),
                        mark: mark.as_str().to_string(),
                    });
                }
            }
        }
    }
}

/// Where the acceptance criteria are: between each balanced pair of
/// `AC` markers, or, in a file without them, under a `## Acceptance
/// Criteria` heading up to the next `## ` heading (the older layout
/// Backlog.md still reads). Unbalanced markers hide every criterion from
/// Backlog.md, so none are read.
fn criteria_blocks(text: &str, body_start: usize, markers: &[Marker]) -> Vec<TextRange> {
    let ac: Vec<&Marker> = markers.iter().filter(|m| m.family == "AC").collect();
    if !ac.is_empty() {
        let balanced =
            ac.len() % 2 == 0 && ac.iter().enumerate().all(|(i, m)| m.begin == (i % 2 == 0));
        if !balanced {
            return Vec::new();
        }
        return ac
            .chunks(2)
            .map(|pair| TextRange::new(pair[0].range.end(), pair[1].range.start()))
            .collect();
    }
    let body = &text[body_start..];
    let Some(heading) = CRITERIA_HEADING.find(body) else {
        return Vec::new();
    };
    let start = body_start + heading.end();
    let end = LEVEL_TWO_HEADING
        .find(&text[start..])
        .map_or(text.len(), |m| start + m.start());
    vec![TextRange::new(start, end)]
}

fn check(ws: &Workspace, ctx: &Context, file: &SourceFile, sink: &mut Sink<'_>) {
    let FileKind::Dialect(dialect_file) = file.facts.kind else {
        return;
    };
    if dialect_file.role == ROOT_CONFIG {
        check_root_config(ws, file, sink);
        return;
    }
    if dialect_file.role == UNREAD {
        unread_folder(ws, file, sink);
        return;
    }
    let Some(place) = place_of(file) else {
        return;
    };
    if dialect_file.role == CONFIG {
        let whole = TextRange::new(0, file.text.len());
        match yaml::read_mapping(&file.text, whole, false) {
            Err(err) => invalid_yaml(file, &err, "`config.yml`", "", sink),
            // A `config.yml` that the project's `backlog.config.yml`
            // replaces is not read by Backlog.md at all.
            Ok(entries) if config_file(ws, &place).is_some_and(|read| read.rel == file.rel) => {
                lists_that_are_not(file, &entries, sink);
            }
            Ok(_) => {}
        }
        return;
    }
    if dialect_file.role == NESTED {
        nested_task(file, &place, sink);
        return;
    }
    if matches!(dialect_file.role, TASK | COMPLETED) {
        other_prefix(ws, file, &place, sink);
    }
    let scan = Scan::of(&file.text);
    let is_task = matches!(dialect_file.role, TASK | COMPLETED | DRAFT);
    match &scan.front_matter {
        None if is_task => {
            let first = file.line_index().line_range(0);
            sink.push(
                NO_FRONT_MATTER,
                trim_range(&file.text, first),
                "this task file has no YAML front matter, so Backlog.md reads no ID, title or status from it: start the file with a `---` block holding `id:`, `title:` and `status:`",
            );
        }
        Some(FrontMatter { keys: Err(err), .. }) => {
            invalid_yaml(
                file,
                err,
                "the front matter",
                "; Backlog.md skips this file",
                sink,
            );
        }
        _ => {}
    }
    if !is_task {
        return;
    }
    unbalanced_markers(&scan.markers, sink);
    for bad in &scan.bad_marks {
        let hint = if bad.mark.eq_ignore_ascii_case("x") {
            "write `[x]`, in lower case"
        } else {
            "write `[x]` for a met criterion, `[ ]` for an open one"
        };
        sink.push(
            CRITERION_MARK,
            bad.range,
            format!("Backlog.md reads only `[ ]` and `[x]`, so it skips this criterion: {hint}"),
        );
    }
    let Some(item) = file.facts.items.first() else {
        return;
    };
    if let Some(FrontMatter {
        keys: Ok(entries), ..
    }) = &scan.front_matter
    {
        unknown_status(ws, &place, dialect_file.role, item, sink);
        dependencies_not_a_list(file, entries, sink);
    }
    if let Some(first) = item.criteria.iter().find(|c| !c.checked) {
        if ws.progress(item) == Some(Progress::Done) {
            let open = item.criteria.iter().filter(|c| !c.checked).count();
            // Done by its status, or by the `completed/` folder it is in.
            let done = match &item.status {
                Some((status, _))
                    if progress_of_status(status) == Some(Progress::Done)
                        || configured_progress(ws, file, item) == Some(Progress::Done) =>
                {
                    format!("`{status}`")
                }
                _ => "in `completed/`".to_string(),
            };
            sink.push(
                DONE_WITH_OPEN_CRITERIA,
                first.box_range,
                format!(
                    "task `{}` is {done} but {open} of its {} acceptance criteria {} unchecked",
                    crate::analysis::dialect::shown_id(file, &item.id, item),
                    item.criteria.len(),
                    if open == 1 { "is" } else { "are" }
                ),
            );
        }
    }
    links_upward(ws, ctx, file, &place, item, sink);
    unlisted_dependencies(ws, file, &place, item, sink);
}

/// The prefix of the task files Backlog.md lists in `tasks/` and
/// `completed/`: the config's `task_prefix`, else `task`. `None` for a
/// backlog without a config file, which Backlog.md has not set up.
fn task_prefix(ws: &Workspace, place: &Place<'_>) -> Option<String> {
    let config = config_file(ws, place)?;
    let whole = TextRange::new(0, config.text.len());
    let entries = yaml::read_mapping(&config.text, whole, false).ok()?;
    let configured = yaml::get(&entries, "task_prefix")
        .and_then(Entry::scalar)
        .map(|prefix| prefix.value.trim().to_string())
        .filter(|prefix| !prefix.is_empty());
    Some(configured.unwrap_or_else(|| "task".to_string()))
}

/// `backlog-other-prefix` on a task file of `tasks/` or `completed/`
/// whose name does not start with the backlog's task prefix (a
/// `task-3 - Legacy.md` left over after `task_prefix: back`), at its `id:`
/// value or else its first line. The prefix compares without case.
fn other_prefix(ws: &Workspace, file: &SourceFile, place: &Place<'_>, sink: &mut Sink<'_>) {
    let Some(prefix) = task_prefix(ws, place) else {
        return;
    };
    if is_listed(&file.rel, &prefix) {
        return;
    }
    let below = &file.rel[place.dir.len() + 1..];
    let (folder, _) = below.split_once('/').unwrap_or((below, ""));
    let config = config_file(ws, place).map_or("config.yml", |config| {
        config.rel.rsplit('/').next().unwrap_or(&config.rel)
    });
    sink.push(
        OTHER_PREFIX,
        id_or_first_line(file),
        format!(
            "Backlog.md lists only the `{prefix}-*.md` files of `{dir}/{folder}/` (the task prefix of `{config}`), so it does not see this task: it is on no board or list, and it keeps the tasks that depend on it blocked; rename the file and its `id:` to the `{prefix}-` prefix",
            dir = place.dir
        ),
    );
}

/// Why a task of `file` may not be renamed `new_name`, when the name lacks
/// the prefix Backlog.md names its files by: the configured `task_prefix`
/// in `tasks/` and `completed/` (else the prefix the ID has now), since
/// Backlog.md lists only `<prefix>-*.md` and the renamed file would drop
/// off its board. The prefix compares without case (`TASK-31` is fine).
pub(crate) fn refused_name(
    ws: &Workspace,
    file: &SourceFile,
    written: &str,
    new_name: &str,
) -> Option<String> {
    let place = place_of(file)?;
    let configured = matches!(place.role, TASK | COMPLETED)
        .then(|| task_prefix(ws, &place))
        .flatten();
    let current = written
        .rsplit_once('-')
        .map(|(prefix, _)| prefix.to_string());
    let prefix = configured.clone().or(current)?;
    let (new_prefix, _) = new_name.rsplit_once('-').unwrap_or(("", new_name));
    if new_prefix.eq_ignore_ascii_case(&prefix) {
        return None;
    }
    let folder = file.rel.rsplit_once('/').map_or("", |(dir, _)| dir);
    let source = match configured {
        Some(_) => config_file(ws, &place).map_or_else(
            || "its task prefix".to_string(),
            |config| format!("the `task_prefix` of `{}`, `task` when unset", config.rel),
        ),
        None => "the prefix of its files".to_string(),
    };
    Some(format!(
        "`{new_name}` does not start with `{prefix}-`: Backlog.md lists only the `{prefix}-*.md` files of `{folder}/` ({source}), so the renamed task would drop off its board; keep the `{prefix}-` prefix"
    ))
}

/// Whether Backlog.md lists the task file `rel` of `tasks/` or
/// `completed/`, whose name must start with `<prefix>-` (without case).
fn is_listed(rel: &str, prefix: &str) -> bool {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    name.get(..prefix.len())
        .is_some_and(|start| start.eq_ignore_ascii_case(prefix))
        && name
            .get(prefix.len()..)
            .is_some_and(|rest| rest.starts_with('-'))
}

/// `dangling-dependency` on a dependency of an open task that names a task
/// file Backlog.md does not list, its name lacking the configured prefix
/// (`TASK-3`, in `tasks/task-3 - Legacy.md`, after `task_prefix: back`):
/// Backlog.md finds no such task, so the task waits for ever. The task file
/// is read all the same, and `backlog-other-prefix` reports it. A done
/// task waits for nothing, and is left alone.
fn unlisted_dependencies(
    ws: &Workspace,
    file: &SourceFile,
    place: &Place<'_>,
    item: &Item,
    sink: &mut Sink<'_>,
) {
    if item.deps.is_empty() || ws.progress(item) == Some(Progress::Done) {
        return;
    }
    let Some(prefix) = task_prefix(ws, place) else {
        return;
    };
    for dep in &item.deps {
        let Some((target, _)) = ws.resolve(&dep.target).and_then(|id| ws.item(&id)) else {
            continue;
        };
        let unlisted = place_in_backlog(target, place.dir)
            .is_some_and(|role| matches!(role, TASK | COMPLETED))
            && !is_listed(&target.rel, &prefix);
        if !unlisted {
            continue;
        }
        let written = file
            .text
            .get(dep.range.start()..dep.range.end())
            .unwrap_or(&dep.written);
        sink.push(
            crate::analysis::rules::Rule::DanglingDependency,
            dep.range,
            format!(
                "`{written}` is `{}`, which Backlog.md does not list (its name lacks the `{prefix}-` prefix), so it finds no such task and keeps this one blocked; rename that file and its `id:` to the `{prefix}-` prefix",
                target.rel
            ),
        );
    }
}

/// The role of `file` in the backlog folder `dir`, when it is one of its
/// files.
fn place_in_backlog(file: &SourceFile, dir: &str) -> Option<&'static str> {
    place_of(file).filter(|p| p.dir == dir).map(|p| p.role)
}

/// Where a finding about a whole task file goes: its `id:` value, or else
/// its first line.
fn id_or_first_line(file: &SourceFile) -> TextRange {
    yaml::front_matter(&file.text)
        .and_then(|fm| fm.keys.ok())
        .and_then(|entries| {
            yaml::get(&entries, "id")
                .and_then(Entry::scalar)
                .map(|id| id.inner)
        })
        .filter(|range| !range.is_empty())
        .unwrap_or_else(|| trim_range(&file.text, file.line_index().line_range(0)))
}

/// `backlog-nested-task` on a task file in a folder below `tasks/`,
/// `completed/` or `drafts/`, at its `id:` value or else its first line.
fn nested_task(file: &SourceFile, place: &Place<'_>, sink: &mut Sink<'_>) {
    let below = &file.rel[place.dir.len() + 1..];
    let (folder, _) = below.split_once('/').unwrap_or((below, ""));
    sink.push(
        NESTED_TASK,
        id_or_first_line(file),
        format!(
            "Backlog.md lists only the task files directly in `{dir}/{folder}/`, so it does not see this task: it is on no board or list, and no task can depend on it; move the file to `{dir}/{folder}/`",
            dir = place.dir
        ),
    );
}

/// `backlog-unread-folder` on the first line of a file of a backlog
/// folder that its project does not read, naming the folder it reads.
fn unread_folder(ws: &Workspace, file: &SourceFile, sink: &mut Sink<'_>) {
    let parts = super::PathParts::of(&file.rel);
    let Some(place) = place_in(&file.rel, &parts) else {
        return;
    };
    let project = place.scope;
    let own = &place.dir[project.len()..];
    let configured = ws
        .file(&format!("{project}{ROOT_CONFIG_NAME}"))
        .and_then(|config| {
            let keys = RootConfigKeys::of(&config.text);
            keys.project_name?;
            keys.backlog_directory?.2
        });
    let (read, why) = match configured {
        Some(folder) => (folder, format!("`{project}{ROOT_CONFIG_NAME}` names it")),
        None => {
            let other = if own == "backlog" {
                ".backlog"
            } else {
                "backlog"
            };
            let why = if ws
                .file(&format!("{project}{other}/config.yml"))
                .or_else(|| ws.file(&format!("{project}{other}/config.yaml")))
                .is_some()
            {
                "it holds the project's `config.yml`"
            } else {
                "Backlog.md prefers `backlog/` when neither folder holds a `config.yml`"
            };
            (other.to_string(), why.to_string())
        }
    };
    let first = trim_range(&file.text, file.line_index().line_range(0));
    sink.push(
        UNREAD_FOLDER,
        first,
        format!(
            "Backlog.md reads one backlog folder for this project, `{project}{read}/` ({why}), so it reads neither `{dir}/` nor this file: what it holds is on no board and defines nothing; move it to `{project}{read}/`, or remove `{dir}/`",
            dir = place.dir
        ),
    );
}

/// `backlog-invalid-yaml` at the line the parser stopped on.
fn invalid_yaml(
    file: &SourceFile,
    err: &yaml::YamlError,
    what: &str,
    then: &str,
    sink: &mut Sink<'_>,
) {
    // A parser that ran out of text (an unclosed bracket or quote) stops
    // after the last line: the last written line is the one to look at.
    let mut line = file.line_index().line_of(err.at.start());
    let mut range = trim_range(&file.text, file.line_index().line_range(line));
    while range.is_empty() && line > 0 {
        line -= 1;
        range = trim_range(&file.text, file.line_index().line_range(line));
    }
    let range = if range.is_empty() { err.at } else { range };
    let hint = if err.message.contains("mapping values are not allowed") {
        " (a value holding `: ` must be quoted, as in `title: \"Fix: the login\"`)"
    } else {
        ""
    };
    sink.push(
        INVALID_YAML,
        range,
        format!(
            "{what} is not valid YAML at line {}: {}{hint}{then}",
            line + 1,
            err.message
        ),
    );
}

/// Markers of one family pair up in order; `AC` and `DOD` markers may
/// not nest, as Backlog.md refuses to edit criteria between them then.
fn unbalanced_markers(markers: &[Marker], sink: &mut Sink<'_>) {
    let mut families: Vec<&str> = markers.iter().map(|m| m.family.as_str()).collect();
    families.sort_unstable();
    families.dedup();
    for family in families {
        let mut open: Vec<&Marker> = Vec::new();
        for marker in markers.iter().filter(|m| m.family == family) {
            if marker.begin {
                if !open.is_empty() && matches!(family, "AC" | "DOD") {
                    sink.push(
                        UNBALANCED_MARKERS,
                        marker.range,
                        format!("a second `<!-- {family}:BEGIN -->` before the `<!-- {family}:END -->` of the first: Backlog.md reads none of these criteria"),
                    );
                }
                open.push(marker);
            } else if open.pop().is_none() {
                sink.push(
                    UNBALANCED_MARKERS,
                    marker.range,
                    format!("`<!-- {family}:END -->` has no `<!-- {family}:BEGIN -->` before it"),
                );
            }
        }
        for marker in open {
            sink.push(
                UNBALANCED_MARKERS,
                marker.range,
                format!("`<!-- {family}:BEGIN -->` has no `<!-- {family}:END -->` after it"),
            );
        }
    }
}

/// The statuses a backlog allows, and where they come from.
enum Statuses {
    /// The config file's list, and the file's name (`config.yml`,
    /// `backlog.config.yml`).
    Configured(Vec<String>, String),
    /// Backlog.md's defaults: no `config.yml`, or no list in it.
    Default,
    /// `config.yml` cannot be read (its own finding says why).
    Unknown,
}

/// The statuses a task of this backlog may have: `config.yml`'s, else
/// Backlog.md's defaults.
fn backlog_status_words(ws: &Workspace, file: &SourceFile) -> Vec<String> {
    let Some(place) = place_of(file) else {
        return Vec::new();
    };
    if !matches!(place.role, TASK | COMPLETED | DRAFT) {
        return Vec::new();
    }
    statuses(ws, &place)
        .allowed(place.role)
        .map(|(list, _)| list)
        .unwrap_or_default()
}

/// The config file Backlog.md reads for the backlog folder of `place`:
/// the `backlog.config.yml` of the project the folder belongs to when
/// Backlog.md takes it (see [`root_config_configures`]), beside the folder
/// or in a folder above it whose `backlog_directory` names it
/// (`docs/backlog`), else the folder's own `config.yml` (or
/// `config.yaml`).
fn config_file<'a>(ws: &'a Workspace, place: &Place<'_>) -> Option<&'a SourceFile> {
    // The folders that may be the project, the nearest first: the one
    // beside the backlog folder, then each one above it.
    let projects = std::iter::once(place.scope.len()).chain(
        place.scope[..place.scope.len().saturating_sub(1)]
            .rmatch_indices('/')
            .map(|(at, _)| at + 1)
            .chain((!place.scope.is_empty()).then_some(0)),
    );
    for project in projects {
        let project = &place.dir[..project];
        let root = ws.file(&format!("{project}{ROOT_CONFIG_NAME}"));
        if let Some(root) = root.filter(|root| root_config_configures(root, project, place)) {
            return Some(root);
        }
    }
    ["config.yml", "config.yaml"]
        .iter()
        .find_map(|name| ws.file(&format!("{}/{name}", place.dir)))
        .map(|config| &**config)
}

/// The two keys of a project's `backlog.config.yml` that decide whether
/// Backlog.md reads it, read as Backlog.md reads them before it parses
/// the file: line by line, `key: value`, one pair of quotes taken off.
struct RootConfigKeys {
    /// `project_name` (or `projectName`), when it has a value.
    project_name: Option<String>,
    /// `backlog_directory` (or `backlogDirectory`): the folder as written,
    /// its range in the file, and the folder it names relative to the
    /// project (`None` for a value Backlog.md drops: empty, absolute, or
    /// leading out of the project).
    backlog_directory: Option<(String, TextRange, Option<String>)>,
}

impl RootConfigKeys {
    fn of(text: &str) -> RootConfigKeys {
        let mut keys = RootConfigKeys {
            project_name: None,
            backlog_directory: None,
        };
        let whole = TextRange::new(0, text.len());
        for line in lines_in(text, whole) {
            let range = trim_range(text, line);
            let written = &text[range.start()..range.end()];
            if written.starts_with('#') {
                continue;
            }
            let Some((key, value)) = written.split_once(':') else {
                continue;
            };
            let value_start =
                range.start() + key.len() + 1 + (value.len() - value.trim_start().len());
            let value_range = TextRange::new(value_start, value_start + value.trim().len());
            let value = strip_one_pair_of_quotes(value.trim());
            match key.trim() {
                "project_name" | "projectName" if !value.is_empty() => {
                    keys.project_name = Some(value.to_string());
                }
                "backlog_directory" | "backlogDirectory" => {
                    keys.backlog_directory =
                        Some((value.to_string(), value_range, project_folder(value)));
                }
                _ => {}
            }
        }
        keys
    }
}

/// A value without the quote at each end, if any.
fn strip_one_pair_of_quotes(value: &str) -> &str {
    let value = value.strip_prefix(['"', '\'']).unwrap_or(value);
    value.strip_suffix(['"', '\'']).unwrap_or(value)
}

/// A `backlog_directory` as a folder of the project (`planning`,
/// `docs/backlog`), as Backlog.md normalizes it: `None` when it is empty,
/// absolute or leads out of the project.
fn project_folder(value: &str) -> Option<String> {
    let value = value.trim().replace('\\', "/");
    if value.starts_with('/') || value.as_bytes().get(1) == Some(&b':') {
        return None;
    }
    let mut parts: Vec<&str> = Vec::new();
    for part in value.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            part => parts.push(part),
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

/// Whether Backlog.md reads the `backlog.config.yml` `root` of the
/// project folder `project` (empty for the workspace root, else ending in
/// `/`) for the backlog folder of `place`: it does when the file sets
/// `project_name` (it is ignored otherwise) and its `backlog_directory`
/// names this folder, or, without one, when the folder is the project's
/// `backlog/` or `.backlog/`.
fn root_config_configures(root: &SourceFile, project: &str, place: &Place<'_>) -> bool {
    let keys = RootConfigKeys::of(&root.text);
    if keys.project_name.is_none() {
        return false;
    }
    match keys.backlog_directory {
        Some((_, _, Some(folder))) => place.dir.strip_prefix(project) == Some(folder.as_str()),
        _ => project == place.scope,
    }
}

/// The keys of a config file that Backlog.md reads as lists.
const LIST_KEYS: &[&str] = &["statuses", "labels", "types", "priorities"];

/// `backlog-config-not-a-list` on each list key of a config file that
/// Backlog.md reads (`statuses: To Do, Done`) whose value is a single value
/// or a mapping: Backlog.md refuses to start, naming the file and the key.
fn lists_that_are_not(file: &SourceFile, entries: &[Entry], sink: &mut Sink<'_>) {
    let name = file.rel.rsplit('/').next().unwrap_or(&file.rel);
    for key in LIST_KEYS {
        let Some(entry) = yaml::get(entries, key) else {
            continue;
        };
        let (range, what, example) = match &entry.value {
            Value::Scalar(scalar) => (
                scalar.range,
                "a single value",
                format!("`{key}: {}`", flow_list(&scalar.value)),
            ),
            Value::Other if is_mapping(&file.text, entry) => {
                (entry.key_range, "a mapping", format!("`{key}: [a, b]`"))
            }
            // An alias (`*statuses`) or a tagged value may well be a list:
            // Backlog.md resolves it, and so planmark does not judge it.
            Value::Other | Value::List { .. } | Value::Null => continue,
        };
        let then = if *key == "statuses" {
            ", and planmark checks no task's status"
        } else {
            ""
        };
        sink.push(
            CONFIG_NOT_A_LIST,
            range,
            format!(
                "`{key}` holds {what}, not a list: Backlog.md refuses to start with this `{name}`{then}; write it as a list, as in {example}"
            ),
        );
    }
}

/// Whether an entry the YAML reader keeps as `Other` is a mapping, as
/// written after its key: a flow mapping (`{a: b}`) on the key's line, or
/// nothing there and a block mapping below; not an alias or a tagged value.
fn is_mapping(text: &str, entry: &Entry) -> bool {
    let after = &text[entry.key_range.end()..];
    let line = after.split('\n').next().unwrap_or("");
    let value = line
        .trim_start()
        .strip_prefix(':')
        .unwrap_or(line)
        .split(" #")
        .next()
        .unwrap_or("")
        .trim();
    value.is_empty() || value.starts_with('{')
}

/// A value written as one scalar (`To Do, In Progress, Done`) as the flow
/// list it was meant to be, each comma-separated entry quoted:
/// `["To Do", "In Progress", "Done"]`.
fn flow_list(value: &str) -> String {
    let quoted: Vec<String> = value
        .split(',')
        .map(str::trim)
        .filter(|entry| !entry.is_empty())
        .map(|entry| format!("\"{}\"", entry.replace('\\', "\\\\").replace('"', "\\\"")))
        .collect();
    format!("[{}]", quoted.join(", "))
}

/// `backlog-dependencies-not-a-list` on a task whose `dependencies:` is a
/// single value (`dependencies: task-98`) or a mapping: Backlog.md reads
/// the key only as a list and ignores anything else, so the task depends
/// on nothing there, and planmark reads it as Backlog.md does.
fn dependencies_not_a_list(file: &SourceFile, entries: &[Entry], sink: &mut Sink<'_>) {
    let Some(entry) = yaml::get(entries, "dependencies") else {
        return;
    };
    let (range, what, example) = match &entry.value {
        Value::Scalar(scalar) if !scalar.value.trim().is_empty() => (
            scalar.range,
            format!("`{}`", scalar.value.trim()),
            format!("`dependencies: {}`", id_list(&scalar.value)),
        ),
        Value::Other if is_mapping(&file.text, entry) => (
            entry.key_range,
            "a mapping".to_string(),
            "`dependencies: [task-1, task-2]`".to_string(),
        ),
        _ => return,
    };
    sink.push(
        DEPENDENCIES_NOT_A_LIST,
        range,
        format!(
            "Backlog.md reads `dependencies:` only as a list, so it ignores {what} and this task depends on nothing; write a list, as in {example}"
        ),
    );
}

/// Writes a task's single `dependencies:` value as a list.
fn dependencies_fix(file: &SourceFile, d: &Diagnostic) -> Option<Action> {
    let front = yaml::front_matter(&file.text)?;
    let entries = front.keys.ok()?;
    let Value::Scalar(scalar) = &yaml::get(&entries, "dependencies")?.value else {
        return None;
    };
    if scalar.range != d.range {
        return None;
    }
    let list = id_list(&scalar.value);
    Some(
        Action::fix(
            format!("Write as a list: {list}"),
            d,
            edit(file, vec![(d.range, list.clone())]),
        )
        .preferred(),
    )
}

/// A single value's comma-separated task IDs as a flow list, as Backlog.md
/// writes one: `[task-1, task-2]`, each ID quoted only when it needs it.
fn id_list(value: &str) -> String {
    let plain = |id: &str| {
        id.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_'))
    };
    if !value.split(',').map(str::trim).all(plain) {
        return flow_list(value);
    }
    let ids: Vec<&str> = value
        .split(',')
        .map(str::trim)
        .filter(|id| !id.is_empty())
        .collect();
    format!("[{}]", ids.join(", "))
}

/// The findings of a project's `backlog.config.yml`: YAML that does not
/// parse, and a `backlog_directory` naming a folder that planmark does
/// not read as the backlog this file configures.
fn check_root_config(ws: &Workspace, file: &SourceFile, sink: &mut Sink<'_>) {
    let whole = TextRange::new(0, file.text.len());
    let keys = RootConfigKeys::of(&file.text);
    match yaml::read_mapping(&file.text, whole, false) {
        Err(err) => invalid_yaml(file, &err, "`backlog.config.yml`", "", sink),
        // Without `project_name`, Backlog.md does not read the file.
        Ok(entries) if keys.project_name.is_some() => lists_that_are_not(file, &entries, sink),
        Ok(_) => {}
    }
    let (Some(_), Some((_, range, Some(folder)))) = (keys.project_name, keys.backlog_directory)
    else {
        return;
    };
    // A folder named `backlog` or `.backlog` (`docs/backlog`) is read as a
    // backlog, with this file's settings.
    let last = folder.rsplit('/').next().unwrap_or(&folder);
    if matches!(last, "backlog" | ".backlog") {
        return;
    }
    // The loader read the file and the folder it names (see
    // `classify_configured`).
    let project = project_of_root_config(&file.rel).unwrap_or("");
    let named = format!("{project}{folder}");
    if ws.config().backlog_folders.contains(&named) {
        return;
    }
    sink.push(
        CUSTOM_DIRECTORY,
        range,
        format!(
            "Backlog.md keeps this project's backlog in `{named}/`, which planmark has not read: it reads the folder that a `backlog.config.yml` names when it reads the workspace, so save the file (the language server then reads the folder), or run `planmark check` again"
        ),
    );
}

fn statuses(ws: &Workspace, place: &Place<'_>) -> Statuses {
    let Some(config) = config_file(ws, place) else {
        return Statuses::Default;
    };
    let name = config.rel.rsplit('/').next().unwrap_or(&config.rel);
    let whole = TextRange::new(0, config.text.len());
    let Ok(entries) = yaml::read_mapping(&config.text, whole, false) else {
        return Statuses::Unknown;
    };
    match yaml::get(&entries, "statuses").map(|e| &e.value) {
        None | Some(Value::Null) => Statuses::Default,
        Some(Value::List { items, .. }) => {
            let list: Vec<String> = items
                .iter()
                .filter_map(|item| match item {
                    yaml::Item::Scalar(s) if !s.value.is_empty() => Some(s.value.clone()),
                    _ => None,
                })
                .collect();
            if list.is_empty() {
                Statuses::Default
            } else {
                Statuses::Configured(list, name.to_string())
            }
        }
        Some(_) => Statuses::Unknown,
    }
}

impl Statuses {
    /// The allowed statuses of a file of `role`, with where they are set.
    fn allowed(&self, role: &str) -> Option<(Vec<String>, String)> {
        let (mut list, source) = match self {
            Statuses::Configured(list, name) => (list.clone(), format!("the statuses of `{name}`")),
            Statuses::Default => (
                DEFAULT_STATUSES.iter().map(|s| s.to_string()).collect(),
                "Backlog.md's default statuses".to_string(),
            ),
            Statuses::Unknown => return None,
        };
        // A draft waits in `Draft` until it is promoted to a task.
        if role == DRAFT {
            list.push("Draft".to_string());
        }
        Some((list, source))
    }
}

fn unknown_status(ws: &Workspace, place: &Place<'_>, role: &str, item: &Item, sink: &mut Sink<'_>) {
    let Some((status, range)) = &item.status else {
        return;
    };
    let Some((allowed, source)) = statuses(ws, place).allowed(role) else {
        return;
    };
    let key = status_key(status);
    if allowed.iter().any(|s| status_key(s) == key) {
        return;
    }
    let listed: Vec<String> = allowed.iter().map(|s| format!("`{s}`")).collect();
    sink.push(
        UNKNOWN_STATUS,
        *range,
        format!(
            "status `{status}` is not one of {source} ({})",
            listed.join(", ")
        ),
    );
}

/// The parent a sub-task names, and the dependencies on a task above it
/// (kept out of the dependency graph, so checked here).
fn links_upward(
    ws: &Workspace,
    ctx: &Context,
    file: &SourceFile,
    place: &Place<'_>,
    item: &Item,
    sink: &mut Sink<'_>,
) {
    let parent_range = yaml_parent_range(file);
    let mut suggestions = dangling_dependency::Suggestions::default();
    // A long list may name the same task many times: the archive is
    // looked through once per ID.
    let mut archived: HashMap<&str, bool> = HashMap::new();
    for reference in &file.facts.references {
        let Some(id) = reference.target.as_id() else {
            continue;
        };
        if ws.resolve_str(&reference.target).is_some()
            || *archived
                .entry(id)
                .or_insert_with(|| is_archived(ws, place, id))
        {
            continue;
        }
        if Some(reference.range) == parent_range {
            // A sub-task's number says which task its parent is: the task
            // above it by its own ID (`BACK-100` for `BACK-100.2`, after the
            // backlog's prefix changed) is the likely meaning, as the fix
            // writes.
            let hint = task_above(ws, file)
                .map(|written| format!("; did you mean `{written}`?"))
                .unwrap_or_default();
            // The parent as the file writes it (`TASK-161`), not as IDs
            // compare (`task-161`, scoped by a nested backlog's path).
            let written = file
                .text
                .get(reference.range.start()..reference.range.end())
                .unwrap_or(id);
            sink.push(
                UNKNOWN_PARENT,
                reference.range,
                format!(
                    "`parent_task_id` names `{written}`, which no task of {}/ defines{hint}",
                    place.dir
                ),
            );
        } else {
            dangling_dependency::check(
                ws,
                ctx,
                file,
                Some(item),
                reference,
                &mut suggestions,
                sink,
            );
        }
    }
}

/// Where the file's `parent_task_id` value is written, when it has one.
fn yaml_parent_range(file: &SourceFile) -> Option<TextRange> {
    file.facts
        .items
        .first()?
        .fields
        .iter()
        .find(|f| f.label == "parent_task_id")
        .and_then(|f| {
            file.facts
                .references
                .iter()
                .find(|r| r.range.contains_range(f.value_range))
                .map(|r| r.range)
        })
}

/// Whether `id` is a task of the backlog's archive: a sub-task keeps the
/// parent that was archived, which is no dangling link.
fn is_archived(ws: &Workspace, place: &Place<'_>, id: &str) -> bool {
    archived_file(ws, place, id).is_some()
}

/// The file of the backlog's archive that holds the task `id`, by its
/// file name.
fn archived_file<'a>(ws: &'a Workspace, place: &Place<'_>, id: &str) -> Option<&'a SourceFile> {
    ["tasks", "drafts"].iter().find_map(|folder| {
        let folder = format!("{}/archive/{folder}/", place.dir);
        ws.files_under(&folder)
            .iter()
            .find(|f| {
                if place_role(f) != Some(ARCHIVED) {
                    return false;
                }
                let (name_id, _) = name_parts(&f.rel);
                let prefix = prefix_of(name_id).unwrap_or("task");
                canonical_id(place.scope, name_id, prefix) == id
            })
            .map(|f| &**f)
    })
}

/// The archived task that a dependency of a task file names. Backlog.md
/// reads such a dependency as unknown, so the task stays blocked (and
/// archiving a task drops the dependencies on it); the finding says the
/// task is archived rather than suggesting another.
fn archived_task(ws: &Workspace, file: &SourceFile, id: &str) -> Option<RetiredItem> {
    let place = place_of(file)?;
    if !matches!(place.role, TASK | COMPLETED | DRAFT) {
        return None;
    }
    archived_file(ws, &place, id).map(|archived| RetiredItem {
        state: "archived",
        rel: archived.rel.to_string(),
    })
}

fn fixes(ws: &Workspace, file: &SourceFile, d: &Diagnostic) -> Vec<Action> {
    if d.rule == UNKNOWN_STATUS {
        status_fixes(ws, file, d)
    } else if d.rule == CRITERION_MARK {
        let mark = &file.text[d.range.start()..d.range.end()];
        let checked = mark[1..mark.len() - 1].eq_ignore_ascii_case("x");
        let (first, second) = if checked {
            ("[x]", "[ ]")
        } else {
            ("[ ]", "[x]")
        };
        let write = |mark: &str| {
            Action::fix(
                format!("Write `{mark}`"),
                d,
                edit(file, vec![(d.range, mark.to_string())]),
            )
        };
        vec![write(first).preferred(), write(second)]
    } else if d.rule == DONE_WITH_OPEN_CRITERIA {
        let Some(item) = file.facts.items.first() else {
            return Vec::new();
        };
        let ticks: Vec<(TextRange, String)> = item
            .criteria
            .iter()
            .filter(|c| !c.checked)
            .map(|c| (c.box_range, "[x]".to_string()))
            .collect();
        vec![Action::fix(
            "Check all acceptance criteria",
            d,
            edit(file, ticks),
        )]
    } else if d.rule == INVALID_YAML {
        quote_fix(file, d).into_iter().collect()
    } else if d.rule == UNKNOWN_PARENT {
        parent_fix(ws, file, d).into_iter().collect()
    } else if d.rule == CONFIG_NOT_A_LIST {
        list_fix(file, d).into_iter().collect()
    } else if d.rule == DEPENDENCIES_NOT_A_LIST {
        dependencies_fix(file, d).into_iter().collect()
    } else {
        Vec::new()
    }
}

/// The task above a sub-task by the sub-task's own ID (`BACK-7` above
/// `BACK-7.1`), offered in place of a `parent_task_id` that names no task:
/// what a backlog whose prefix changed leaves in its older sub-tasks
/// (`parent_task_id: task-7`). It is written as its `id:` writes it.
fn parent_fix(ws: &Workspace, file: &SourceFile, d: &Diagnostic) -> Option<Action> {
    let written = task_above(ws, file)?;
    let value = file.text.get(d.range.start()..d.range.end())?;
    // Inside the quotes, when the value has them.
    let inner = value.trim_matches(['"', '\'']);
    if inner.is_empty() {
        return None;
    }
    let start = d.range.start() + value.find(inner)?;
    let range = TextRange::new(start, start + inner.len());
    Some(
        Action::fix(
            format!("Change to `{written}`"),
            d,
            edit(file, vec![(range, written.to_string())]),
        )
        .preferred(),
    )
}

/// The task above the file's sub-task by the sub-task's own ID (`BACK-8`
/// for `BACK-8.1`), as its `id:` writes it, when the backlog has it.
fn task_above<'a>(ws: &'a Workspace, file: &SourceFile) -> Option<&'a str> {
    let item = file.facts.items.first()?;
    let (above, own_number) = item.id.rsplit_once('.')?;
    if own_number.is_empty() || !own_number.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (parent_file, parent) = ws.item(above)?;
    let FileKind::Dialect(dialect_file) = parent_file.facts.kind else {
        return None;
    };
    if dialect_file.dialect != Dialect::Backlog || parent.kind != ItemKind::Task {
        return None;
    }
    parent_file
        .text
        .get(parent.def_range.start()..parent.def_range.end())
}

/// Each allowed status, the nearest to the written one first.
fn status_fixes(ws: &Workspace, file: &SourceFile, d: &Diagnostic) -> Vec<Action> {
    let (Some(place), FileKind::Dialect(dialect_file)) = (place_of(file), file.facts.kind) else {
        return Vec::new();
    };
    let Some((allowed, _)) = statuses(ws, &place).allowed(dialect_file.role) else {
        return Vec::new();
    };
    let written = &file.text[d.range.start()..d.range.end()];
    let nearest = crate::analysis::suggest::closest(written, allowed.iter().map(String::as_str))
        .map(str::to_string);
    let mut ordered: Vec<&String> = allowed.iter().collect();
    ordered.sort_by_key(|s| Some(*s) != nearest.as_ref());
    ordered
        .into_iter()
        .map(|status| {
            let action = Action::fix(
                format!("Change the status to `{status}`"),
                d,
                edit(file, vec![(d.range, status.clone())]),
            );
            if Some(status) == nearest.as_ref() {
                action.preferred()
            } else {
                action
            }
        })
        .collect()
}

/// Writes a list key's single value as the list it was meant to be
/// (`statuses: To Do, Done` becomes `statuses: ["To Do", "Done"]`).
fn list_fix(file: &SourceFile, d: &Diagnostic) -> Option<Action> {
    let whole = TextRange::new(0, file.text.len());
    let entries = yaml::read_mapping(&file.text, whole, false).ok()?;
    let scalar = entries.iter().find_map(|entry| match &entry.value {
        Value::Scalar(scalar) if scalar.range == d.range => Some(scalar),
        _ => None,
    })?;
    let list = flow_list(&scalar.value);
    Some(
        Action::fix(
            format!("Write as a list: {list}"),
            d,
            edit(file, vec![(d.range, list.clone())]),
        )
        .preferred(),
    )
}

/// Quotes the value of a `key: value` line whose value holds `: `.
fn quote_fix(file: &SourceFile, d: &Diagnostic) -> Option<Action> {
    let line = &file.text[d.range.start()..d.range.end()];
    let (key, value) = line.split_once(':')?;
    if key.trim().is_empty() || key.contains([' ', '\t']) && !key.starts_with([' ', '\t']) {
        return None;
    }
    let trimmed = value.trim();
    if !trimmed.contains(": ") || trimmed.starts_with(['"', '\'', '[', '{', '|', '>']) {
        return None;
    }
    let start = d.range.start() + key.len() + 1 + (value.len() - value.trim_start().len());
    let range = TextRange::new(start, start + trimmed.len());
    let quoted = format!("\"{}\"", trimmed.replace('\\', "\\\\").replace('"', "\\\""));
    Some(
        Action::fix(
            format!("Quote the value: {quoted}"),
            d,
            edit(file, vec![(range, quoted.clone())]),
        )
        .preferred(),
    )
}
