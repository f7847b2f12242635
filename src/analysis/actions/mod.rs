//! Code actions that change plans safely: splitting oversized issues and
//! stories, quick fixes for the rules' findings, new issues from the
//! template and the index kept in sync. Every action is plain data (a list
//! of [`Change`]s with byte ranges into the files as they are now), so the
//! server, the command line and the tests apply the same thing.

pub mod apply;
pub(crate) mod fixes;
pub mod index_fix;
pub mod new_issue;
pub(crate) mod split_issue;
pub(crate) mod split_story;

use std::collections::BTreeSet;

use crate::analysis::ids;
use crate::analysis::model::{FileKind, Item, ItemKind};
use crate::analysis::rules::{self, index_out_of_sync, Context, Diagnostic, Rule};
use crate::analysis::text::TextRange;
use crate::analysis::workspace::{SourceFile, Workspace};

/// One change to the workspace. Text edits hold ranges into the file as it
/// is now, under its current path; apply them before renames, and create
/// files last (see [`apply::apply`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    /// A new file with this text. It must not exist.
    CreateFile { rel: String, text: String },
    /// A file moved to a path that must not exist.
    RenameFile { from: String, to: String },
    /// Replacements in an existing file: sorted, never overlapping.
    Edit {
        rel: String,
        edits: Vec<(TextRange, String)>,
    },
}

impl Change {
    /// Whether the change needs the client to create or move a file.
    pub fn is_file_operation(&self) -> bool {
        !matches!(self, Change::Edit { .. })
    }
}

/// What kind of action it is, as the LSP names them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ActionKind {
    /// `quickfix`: repairs a diagnostic.
    QuickFix,
    /// `refactor.extract`: splits part of an item into a new one.
    Extract,
    /// `source.fixAll.planmark`: every safe fix of a file.
    FixAll,
}

impl ActionKind {
    pub fn lsp_name(self) -> &'static str {
        match self {
            ActionKind::QuickFix => "quickfix",
            ActionKind::Extract => "refactor.extract",
            ActionKind::FixAll => "source.fixAll.planmark",
        }
    }
}

/// A code action: a title for the menu and the changes it makes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Action {
    pub title: String,
    pub kind: ActionKind,
    /// The one fix that is clearly right for its diagnostic.
    pub is_preferred: bool,
    /// The diagnostic it repairs: its rule and range in the requested file.
    pub fixes: Option<(Rule, TextRange)>,
    /// Whether `source.fixAll` and `planmark check --fix` may apply it
    /// without asking (index rows, a status taken from the folder).
    pub safe: bool,
    pub changes: Vec<Change>,
}

impl Action {
    pub(crate) fn fix(title: impl Into<String>, d: &Diagnostic, changes: Vec<Change>) -> Action {
        Action {
            title: title.into(),
            kind: ActionKind::QuickFix,
            is_preferred: false,
            fixes: Some((d.rule, d.range)),
            safe: false,
            changes,
        }
    }

    pub(crate) fn preferred(mut self) -> Action {
        self.is_preferred = true;
        self
    }

    pub(crate) fn safe(mut self) -> Action {
        self.safe = true;
        self
    }

    /// Whether any change creates or moves a file.
    pub fn has_file_operations(&self) -> bool {
        self.changes.iter().any(Change::is_file_operation)
    }
}

/// Every action available in `rel` for the selection `range`: fixes of the
/// diagnostics it touches, and the splits at the cursor.
pub fn code_actions(ws: &Workspace, ctx: &Context, rel: &str, range: TextRange) -> Vec<Action> {
    let Some(file) = ws.file(rel) else {
        return Vec::new();
    };
    let diagnostics = rules::check_file(ws, ctx, rel);
    let mut out = Vec::new();
    for d in diagnostics
        .iter()
        .filter(|d| d.range.start() <= range.end() && range.start() <= d.range.end())
    {
        out.extend(fixes::for_diagnostic(ws, ctx, file, d));
    }
    out.extend(split_issue::at_cursor(ws, file, range.start()));
    out.extend(split_story::at_cursor(ws, ctx, file, range.start()));
    let mut seen = BTreeSet::new();
    out.retain(|a| seen.insert(a.title.clone()));
    keep_one_preferred(&mut out);
    out
}

/// Leaves at most one preferred fix for the problems at one place, since a
/// client applies the preferred fix with a single key. Two findings on the
/// same text (`in progres` in `backlog/` is an unknown status and disagrees
/// with the folder) may each prefer a fix of their own, and only one of
/// them leaves the file consistent. A safe fix wins, as it is the one
/// `source.fixAll` and `planmark check --fix` apply; among equals, the
/// earlier finding's.
fn keep_one_preferred(actions: &mut [Action]) {
    let mut order: Vec<usize> = (0..actions.len())
        .filter(|&i| actions[i].is_preferred && actions[i].fixes.is_some())
        .collect();
    order.sort_by_key(|&i| (!actions[i].safe, i));
    let mut taken: Vec<TextRange> = Vec::new();
    for i in order {
        let Some((_, range)) = actions[i].fixes else {
            continue;
        };
        let overlaps =
            |r: &TextRange| (r.start() < range.end() && range.start() < r.end()) || *r == range;
        if taken.iter().any(overlaps) {
            actions[i].is_preferred = false;
        } else {
            taken.push(range);
        }
    }
}

/// The safe fixes of `rel`, one per problem, none overlapping another
/// (the whole-index fix stands for the single-row ones).
pub fn safe_fixes(ws: &Workspace, ctx: &Context, rel: &str) -> Vec<Action> {
    let Some(file) = ws.file(rel) else {
        return Vec::new();
    };
    // Writing back a file read from bytes that are not UTF-8 would replace
    // them with U+FFFD for good.
    if ws.invalid_utf8(rel).is_some() {
        return Vec::new();
    }
    let diagnostics = rules::check_file(ws, ctx, rel);
    let usable = |a: &Action| a.safe && !a.has_file_operations();
    // An issues index's findings each get their own row's fixes, and the
    // whole-index fix is made once, below.
    let index_fixes = (file.facts.kind == FileKind::Index)
        .then(|| index_out_of_sync::IndexFixes::new(ws, file))
        .flatten();
    let mut actions: Vec<Action> = Vec::new();
    // Where the first index finding's fixes start, and that finding.
    let mut first_index_finding = None;
    for d in &diagnostics {
        match &index_fixes {
            Some(index_fixes) if d.rule == Rule::IndexOutOfSync => {
                first_index_finding.get_or_insert((actions.len(), d));
                actions.extend(index_fixes.own(d).into_iter().filter(usable));
            }
            _ => actions.extend(
                fixes::for_diagnostic(ws, ctx, file, d)
                    .into_iter()
                    .filter(usable),
            ),
        }
    }
    // In an issues index, one fix stays itself and several become the
    // whole-index fix. A stories index has none: its fixes stay single.
    let single = |a: &Action| {
        a.title != index_fix::WHOLE_INDEX && a.fixes.map(|f| f.0) == Some(Rule::IndexOutOfSync)
    };
    let whole = index_fixes
        .zip(first_index_finding)
        .filter(|_| actions.iter().filter(|a| single(a)).count() > 1)
        .and_then(|(index_fixes, (at, d))| Some((at, index_fixes.whole(d)?)));
    if let Some((at, whole)) = whole {
        // Every action before the first index finding's is of another
        // rule: removing the single fixes leaves them where they were.
        actions.retain(|a| !single(a));
        actions.insert(at, whole);
    }
    actions
}

/// One action with every safe fix of `rel` (`source.fixAll.planmark`), or
/// `None` when there is nothing to fix.
pub fn fix_all(ws: &Workspace, ctx: &Context, rel: &str) -> Option<Action> {
    let changes = merge(
        safe_fixes(ws, ctx, rel)
            .into_iter()
            .flat_map(|a| a.changes)
            .collect(),
    );
    if changes.is_empty() {
        return None;
    }
    Some(Action {
        title: "Fix all safe planmark problems in this file".to_string(),
        kind: ActionKind::FixAll,
        is_preferred: false,
        fixes: None,
        safe: true,
        changes,
    })
}

/// Text edits of the same file merged into one change, dropping any edit
/// that overlaps an earlier one (file operations are kept as they are).
pub fn merge(changes: Vec<Change>) -> Vec<Change> {
    let mut out: Vec<Change> = Vec::new();
    for change in changes {
        match change {
            Change::Edit { rel, edits } => {
                let existing = out.iter_mut().find_map(|c| match c {
                    Change::Edit { rel: r, edits } if *r == rel => Some(edits),
                    _ => None,
                });
                match existing {
                    Some(all) => {
                        for (range, text) in edits {
                            let overlaps = all.iter().any(|(r, _)| {
                                r.start() < range.end() && range.start() < r.end()
                                    || (r.start() == range.start()
                                        && (r.is_empty() || range.is_empty()))
                            });
                            if !overlaps {
                                all.push((range, text));
                            }
                        }
                        all.sort_by_key(|(r, _)| (r.start(), r.end()));
                    }
                    None => {
                        let mut edits = edits;
                        edits.sort_by_key(|(r, _)| (r.start(), r.end()));
                        out.push(Change::Edit { rel, edits });
                    }
                }
            }
            other => out.push(other),
        }
    }
    out
}

/// Whether a relative path is safe to create or write: no absolute path,
/// no `..`, `.` or empty segment, no backslash, drive letter or NUL.
pub fn is_safe_rel(rel: &str) -> bool {
    !rel.is_empty()
        && !rel.starts_with('/')
        && !rel.contains(['\\', '\0', ':'])
        && rel
            .split('/')
            .all(|seg| !seg.is_empty() && seg != "." && seg != "..")
}

/// Whether a word may stand in a file name (`swe`, `feature`, `l5`).
pub(crate) fn is_slug(word: &str) -> bool {
    !word.is_empty()
        && word.len() <= 40
        && word.split('-').all(|w| {
            !w.is_empty()
                && w.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// The next free issue number: one more than the highest in use.
pub fn next_issue_number(ws: &Workspace) -> u32 {
    ws.max_issue_number().saturating_add(1)
}

/// The next free story number: one more than the highest in use.
pub(crate) fn next_story_number(ws: &Workspace) -> u32 {
    ws.items()
        .filter(|(_, i)| i.kind == ItemKind::Story)
        .filter_map(|(_, i)| i.id.strip_prefix("story-")?.parse::<u32>().ok())
        .max()
        .unwrap_or(0)
        .saturating_add(1)
}

/// The folder that holds the status folders for an issue file
/// (`issues/backlog/x.md` -> `issues`).
pub(crate) fn issues_dir_of(rel: &str) -> Option<&str> {
    let (dir, _) = rel.rsplit_once('/')?;
    Some(dir.rsplit_once('/').map_or("", |(parent, _)| parent))
}

/// The issues folder new issues go to: that of `near` when it is an issue
/// file, else of the first issue file, else of the index, else `issues`.
pub(crate) fn default_issues_dir(ws: &Workspace, near: Option<&str>) -> String {
    let files = ws.files();
    let from_issue = |rel: &str| issues_dir_of(rel).map(str::to_string);
    near.filter(|rel| {
        ws.file(rel)
            .is_some_and(|f| f.facts.kind == FileKind::Issue)
    })
    .and_then(from_issue)
    .or_else(|| {
        files
            .iter()
            .find(|f| f.facts.kind == FileKind::Issue)
            .and_then(|f| from_issue(&f.rel))
    })
    .or_else(|| {
        files
            .iter()
            .find(|f| f.facts.kind == FileKind::Index)
            .map(|f| {
                f.rel
                    .rsplit_once('/')
                    .map_or(String::new(), |(d, _)| d.to_string())
            })
    })
    .unwrap_or_else(|| "issues".to_string())
}

/// `dir/name`, or `name` at the root.
pub(crate) fn join(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_string()
    } else {
        format!("{dir}/{name}")
    }
}

/// The issue ID for a new issue with this expert and type, when both are
/// words a file name may hold.
pub(crate) fn new_issue_id(expert: &str, kind: &str, number: u32) -> Option<String> {
    let expert = expert.trim().to_ascii_lowercase();
    let kind = kind.trim().to_ascii_lowercase();
    (is_slug(&expert) && is_slug(&kind)).then(|| ids::issue_id(&expert, &kind, number))
}

/// The line break a file uses (`\r\n` when its first line ends so).
pub(crate) fn eol(text: &str) -> &'static str {
    match text.find('\n') {
        Some(i) if i > 0 && text.as_bytes()[i - 1] == b'\r' => "\r\n",
        _ => "\n",
    }
}

/// The start of the line after the one holding `offset` (or the end).
pub(crate) fn line_end_after(text: &str, offset: usize) -> usize {
    text[offset..]
        .find('\n')
        .map_or(text.len(), |i| offset + i + 1)
}

/// The item an action on `file` is about: its issue or story.
pub(crate) fn main_item(file: &SourceFile) -> Option<&Item> {
    file.facts
        .items
        .iter()
        .find(|i| matches!(i.kind, ItemKind::Issue | ItemKind::Story))
}

/// `Title (part 2)`, or the next part when the title already is one.
pub(crate) fn part_title(title: &str) -> String {
    let t = title.trim();
    if let Some(open) = t.rfind("(part ") {
        if let Some(n) = t[open + 6..]
            .strip_suffix(')')
            .and_then(|n| n.trim().parse::<u32>().ok())
        {
            return format!("{}(part {})", &t[..open], n + 1);
        }
    }
    format!("{t} (part 2)")
}
