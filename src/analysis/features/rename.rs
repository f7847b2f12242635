//! Renaming an item's ID: every reference in every file (the index and the
//! brief included) is rewritten the way it was written, and an issue's or a
//! story's file is renamed with it.

use std::collections::{BTreeSet, HashSet};
use std::sync::OnceLock;

use regex::Regex;

use crate::analysis::features::{found_at, is_range, names_of_definitions};
use crate::analysis::ids;
use crate::analysis::ids::without_scope;
use crate::analysis::model::{FileKind, Item, ItemKind, Reference};
use crate::analysis::rules::Context;
use crate::analysis::text::TextRange;
use crate::analysis::workspace::{SourceFile, Workspace};

/// One replacement in one file.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct FileEdit {
    pub rel: String,
    pub range: TextRange,
    pub new_text: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileRename {
    pub old_rel: String,
    pub new_rel: String,
}

/// What a rename changes. Apply the text edits (their ranges are into the
/// files as they are now, under their old paths) before the file renames.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RenameEdit {
    /// In path order, and by position within a file; never overlapping.
    pub edits: Vec<FileEdit>,
    pub file_renames: Vec<FileRename>,
}

/// The name under the cursor and the ID it would rename: `Ok(None)` where
/// the cursor is on no ID, and the reason where it is on an ID that cannot
/// be renamed (a client that hears nothing tells the user only that the
/// element cannot be renamed).
pub fn prepare_rename(
    ws: &Workspace,
    rel: &str,
    offset: usize,
) -> Result<Option<(TextRange, String)>, String> {
    let Some(file) = ws.file(rel) else {
        return Ok(None);
    };
    let Some(found) = found_at(ws, file, offset) else {
        return Ok(None);
    };
    let Some(id) = found.id else {
        return Err(format!("`{}` names no known item", found.named));
    };
    let Some((def_file, item)) = ws.item(&id) else {
        return Ok(None);
    };
    let placeholder = match def_file.facts.kind {
        // The client shows the ID as the dialect's files write it.
        FileKind::Dialect(dialect) => dialect_written_id(def_file, item, dialect)?,
        _ => {
            renamable(item)?;
            id.clone()
        }
    };
    // Rename refuses an item that a range names (rewriting the range's
    // ends would change which items it names): say so before the user
    // types a name, first for the range under the cursor.
    let under_cursor = found
        .reference
        .and_then(|reference| range_naming(def_file, &id, file, reference));
    if let Some(refusal) = under_cursor.or_else(|| named_by_a_range(ws, def_file, &id)) {
        return Err(refusal);
    }
    Ok(Some((found.range, placeholder)))
}

/// Why `id` (defined in `def_file`) cannot be renamed when `reference`,
/// in `file`, names it as part of a range.
fn range_naming(
    def_file: &SourceFile,
    id: &str,
    file: &SourceFile,
    reference: &Reference,
) -> Option<String> {
    let written = &file.text[reference.range.start()..reference.range.end()];
    let dialect = matches!(def_file.facts.kind, FileKind::Dialect(_));
    // A link names its target by path, and is never a range.
    if crate::analysis::parse::refs::written_link_path(&file.rel, written).is_some() {
        return None;
    }
    (names_a_range(file, reference) || (!dialect && is_range(written))).then(|| {
        format!(
            "`{}` is named by the range `{written}` in `{}`: write the range out as a list first",
            without_scope(id),
            file.rel
        )
    })
}

/// Why `id` cannot be renamed when a range names it anywhere, as
/// `rename` would find it.
fn named_by_a_range(ws: &Workspace, def_file: &SourceFile, id: &str) -> Option<String> {
    let mut files: BTreeSet<&str> = ws.referrers(id).collect();
    files.insert(&*def_file.rel);
    let every_name = names_of_definitions(ws, [id]);
    files
        .into_iter()
        .filter_map(|rel| ws.file(rel))
        .find_map(|file| {
            file.facts
                .all_references()
                .filter(|reference| {
                    reference
                        .target
                        .as_id()
                        .is_some_and(|named| every_name.contains(named))
                        && ws.resolve_str(&reference.target) == Some(id)
                })
                .find_map(|reference| range_naming(def_file, id, file, reference))
        })
}

fn renamable(item: &Item) -> Result<(), String> {
    if item.kind == ItemKind::Issue && ids::issue_parts(&item.id).is_none() {
        return Err(format!(
            "`{}` is a milestone spec: its ID comes from its folder and file name, so rename the file instead",
            item.id
        ));
    }
    Ok(())
}

/// Renames the item named at `offset` in `rel` to `new_name`, or says why it
/// cannot.
pub fn rename(
    ws: &Workspace,
    ctx: &Context,
    rel: &str,
    offset: usize,
    new_name: &str,
) -> Result<RenameEdit, String> {
    let file = ws
        .file(rel)
        .ok_or_else(|| format!("`{rel}` is not a planning file"))?;
    let found = found_at(ws, file, offset).ok_or("there is no ID here to rename")?;
    let old = match found.id {
        Some(id) => id,
        None => return Err(format!("`{}` names no known item", found.named)),
    };
    let (def_file, item) = ws.item(&old).ok_or("there is no ID here to rename")?;
    if let FileKind::Dialect(dialect) = def_file.facts.kind {
        return rename_dialect_item(ws, def_file, item, dialect, new_name);
    }
    renamable(item)?;
    let new = new_id(ctx, item, new_name)?;
    if new == old {
        return Ok(RenameEdit::default());
    }
    if let Some((other, _)) = ws.item(&new) {
        return Err(format!("`{new}` already exists, in `{}`", other.rel));
    }
    let mut out = RenameEdit::default();
    let new_rel = match item.kind {
        ItemKind::Issue => Some(sibling_path(&def_file.rel, &format!("{new}.md"))),
        ItemKind::Story => {
            let name = def_file.rel.rsplit('/').next().unwrap_or(&def_file.rel);
            let digits = name.chars().take_while(char::is_ascii_digit).count();
            let number = number_of(&new);
            Some(sibling_path(
                &def_file.rel,
                &format!("{}{}", pad_like(&name[..digits], number), &name[digits..]),
            ))
        }
        _ => None,
    };
    if let Some(new_rel) = new_rel {
        if ws.file(&new_rel).is_some() || ws.unreadable().contains_key(&new_rel) {
            return Err(format!("`{new_rel}` already exists"));
        }
        out.file_renames.push(FileRename {
            old_rel: def_file.rel.to_string(),
            new_rel,
        });
    }

    // The IDs whose written form changes: a story's tasks carry its number.
    let mut affected: Vec<String> = vec![old.clone()];
    if item.kind == ItemKind::Story {
        affected.extend(
            def_file
                .facts
                .items
                .iter()
                .filter(|i| i.parent.as_deref() == Some(old.as_str()))
                .map(|i| i.id.to_string()),
        );
    }
    let affected_set: HashSet<&str> = affected.iter().map(String::as_str).collect();
    let every_name = names_of_definitions(ws, affected.iter().map(String::as_str));
    let mut files: BTreeSet<&str> = affected.iter().flat_map(|id| ws.referrers(id)).collect();
    files.insert(&*def_file.rel);
    let mut edits = BTreeSet::new();
    for rel in files {
        let Some(file) = ws.file(rel) else {
            continue;
        };
        for reference in file.facts.all_references() {
            let Some(named) = reference.target.as_id() else {
                continue;
            };
            if !every_name.contains(named) {
                continue;
            }
            let Some(target) = ws.resolve_str(&reference.target) else {
                continue;
            };
            if !affected_set.contains(target) {
                continue;
            }
            // A link follows the file it names when the rename moves it.
            if let Some(edit) = link_edit(file, reference, &out.file_renames) {
                edits.insert(edit);
                continue;
            }
            for (range, new_text) in rewrite_reference(file, reference, item, &old, &new)? {
                edits.insert(FileEdit {
                    rel: rel.to_string(),
                    range,
                    new_text,
                });
            }
        }
        if file.facts.kind == FileKind::Index {
            index_cells(file, item, &old, &new, &mut edits);
        }
    }
    if item.kind == ItemKind::Milestone {
        // Index rows name milestones in a column that is not a reference.
        for file in ws.files() {
            if file.facts.kind == FileKind::Index {
                index_cells(file, item, &old, &new, &mut edits);
            }
        }
    }
    for (range, new_text) in rewrite_definition(def_file, item, &old, &new) {
        edits.insert(FileEdit {
            rel: def_file.rel.to_string(),
            range,
            new_text,
        });
    }
    out.edits = edits.into_iter().collect();
    // Two edits of one place (a cell that is also a reference) keep the
    // first.
    out.edits
        .dedup_by(|b, a| a.rel == b.rel && a.range.end() > b.range.start());
    Ok(out)
}

/// The canonical form of the new name, checked for the item's kind.
fn new_id(ctx: &Context, item: &Item, new_name: &str) -> Result<String, String> {
    let name = new_name.trim();
    match item.kind {
        ItemKind::Issue => {
            let new = name.to_ascii_lowercase();
            let parts = ids::issue_parts(&new).filter(|p| p.digits.len() >= 3);
            let Some(parts) = parts else {
                return Err(format!(
                    "`{name}` is not an issue ID: issues are named `<expert>-<type>-<NNN>`, like `swe-feature-001`"
                ));
            };
            let old_number = ids::issue_parts(&item.id).map(|p| p.number);
            let taken = ctx.by_number.ids(parts.number).find(|id| *id != item.id);
            if let (Some(other), true) = (taken, old_number != Some(parts.number)) {
                let next = ctx.by_number.max().map_or(1, |n| n + 1);
                return Err(format!(
                    "issue number {} is already used by `{other}`: numbers are unique across all issues (the next free one is {})",
                    parts.digits,
                    ids::format_issue_number(next)
                ));
            }
            Ok(new)
        }
        ItemKind::Milestone => {
            let new = ids::normalize(name);
            if new.len() > 1 && new.starts_with('M') && new[1..].bytes().all(|b| b.is_ascii_digit())
            {
                Ok(new)
            } else {
                Err(format!(
                    "`{name}` is not a milestone ID: milestones are named `M<n>`, like `M5`"
                ))
            }
        }
        ItemKind::Story => {
            let digits = name
                .to_ascii_lowercase()
                .trim_start_matches("story")
                .trim_start_matches([' ', '-'])
                .to_string();
            if digits.is_empty() || digits.len() > 4 || !digits.bytes().all(|b| b.is_ascii_digit())
            {
                return Err(format!(
                    "`{name}` is not a story ID: stories are named `story-NNN`, like `story-015`"
                ));
            }
            Ok(ids::story_id(&digits))
        }
        ItemKind::Task => {
            let story = item.parent.as_deref().unwrap_or("");
            let lower = name.to_ascii_lowercase();
            let number = match lower.rsplit_once('/') {
                Some((head, number)) => {
                    if ids::normalize(&format!("{head}/1")) != ids::task_id(story, "1") {
                        return Err(format!(
                            "a task cannot move to another story by a rename: keep `{story}/` in the new ID"
                        ));
                    }
                    number.to_string()
                }
                None => lower.clone(),
            };
            let number = number.trim_start_matches("task").trim();
            // One letter may follow the number (`011a`).
            let digits = number
                .strip_suffix(|c: char| c.is_ascii_lowercase())
                .unwrap_or(number);
            let valid = !digits.is_empty()
                && digits.starts_with(|c: char| c.is_ascii_digit())
                && digits.bytes().all(|b| b.is_ascii_digit() || b == b'.')
                && !digits.ends_with('.');
            if !valid {
                return Err(format!(
                    "`{name}` is not a task number: tasks are numbered `NNN` within their story, like `{story}/004`"
                ));
            }
            Ok(ids::task_id(story, number))
        }
        other => Err(format!("a {} cannot be renamed", other.name())),
    }
}

/// The part of an ID that a reference rewrites: the issue ID itself, or a
/// milestone's, story's or task's number.
fn number_of(id: &str) -> &str {
    let tail = id.rsplit('/').next().unwrap_or(id);
    if id.contains('/') {
        return tail;
    }
    tail.trim_start_matches("story-").trim_start_matches('M')
}

/// `number` zero-padded to the width of `like`, the way the writer did; a
/// task's letter suffix (`011a`) is not part of the width.
fn pad_like(like: &str, number: &str) -> String {
    let like = like.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let digits = number.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = &number[digits.len()..];
    match digits.parse::<u32>() {
        Ok(n) if !digits.contains('.') && like.starts_with('0') => {
            format!("{n:0width$}{suffix}", width = like.len())
        }
        Ok(n) if !digits.contains('.') => format!("{n}{suffix}"),
        _ => number.to_string(),
    }
}

fn sibling_path(rel: &str, name: &str) -> String {
    match rel.rsplit_once('/') {
        Some((dir, _)) => format!("{dir}/{name}"),
        None => name.to_string(),
    }
}

/// The edit of a link (`[Setup](001-setup.md)`) to a file the rename
/// moves: its file name becomes the new one. `None` when the reference is
/// no link to a moved file.
fn link_edit(file: &SourceFile, reference: &Reference, moves: &[FileRename]) -> Option<FileEdit> {
    let range = reference.range;
    let written = &file.text[range.start()..range.end()];
    let path = crate::analysis::parse::refs::written_link_path(&file.rel, written)?;
    let moved = moves.iter().find(|m| m.old_rel == path)?;
    let old_name = moved.old_rel.rsplit('/').next()?;
    let new_name = moved.new_rel.rsplit('/').next()?;
    let url_start = written.find("](")? + 2;
    let at = url_start + written[url_start..].find(old_name)?;
    Some(FileEdit {
        rel: file.rel.to_string(),
        range: TextRange::new(range.start() + at, range.start() + at + old_name.len()),
        new_text: new_name.to_string(),
    })
}

/// The edits that rewrite one reference to `old` (or, for a story, to one of
/// its tasks).
fn rewrite_reference(
    file: &SourceFile,
    reference: &Reference,
    item: &Item,
    old: &str,
    new: &str,
) -> Result<Vec<(TextRange, String)>, String> {
    let range = reference.range;
    let written = &file.text[range.start()..range.end()];
    // A link names its target by file path: `link_edit` follows the file's
    // move, and its text is left as written.
    if crate::analysis::parse::refs::written_link_path(&file.rel, written).is_some() {
        return Ok(Vec::new());
    }
    if names_a_range(file, reference) || is_range(written) {
        return Err(format!(
            "`{old}` is named by the range `{written}` in `{}`: write the range out as a list first",
            file.rel
        ));
    }
    let number = |at: TextRange| {
        (
            at.shifted(range.start()),
            pad_like(&written[at.start()..at.end()], number_of(new)),
        )
    };
    let edits = match item.kind {
        ItemKind::Issue => issue_spans(written, old)
            .into_iter()
            .map(|at| (at.shifted(range.start()), new.to_string()))
            .collect(),
        ItemKind::Milestone => milestone_spans(written, number_of(old))
            .into_iter()
            .map(number)
            .collect(),
        // A task of the story written by its number alone (`002`, in its
        // own story) names no story number.
        ItemKind::Story => story_number(written, reference.target.as_id() == Some(old))
            .into_iter()
            .map(number)
            .collect(),
        ItemKind::Task => task_number(written).into_iter().map(number).collect(),
        // Dialect items are refused before any edit is made.
        _ => Vec::new(),
    };
    Ok(edits)
}

/// Where `id` is written in `text`, without case.
fn issue_spans(text: &str, id: &str) -> Vec<TextRange> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(at) = super::find_word(&text[from..], id) {
        let start = from + at;
        out.push(TextRange::new(start, start + id.len()));
        from = start + id.len();
    }
    out
}

/// The digits of every `M<number>` in `text` that names milestone `number`.
fn milestone_spans(text: &str, number: &str) -> Vec<TextRange> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| Regex::new(r"\b[Mm](\d{1,4})\b").expect("valid pattern"));
    let want = number.parse::<u32>().ok();
    re.captures_iter(text)
        .filter_map(|c| c.get(1))
        .filter(|m| m.as_str().parse::<u32>().ok() == want)
        .map(|m| TextRange::new(m.start(), m.end()))
        .collect()
}

/// The story number in a reference: `Story 015`, `story-15`, the `015` of
/// `015/002`, or, when `bare` is set, a bare `015` (a story's dependency
/// bullet).
fn story_number(written: &str, bare: bool) -> Option<TextRange> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r"(?i)\bstory[ -]?(\d{1,4})\b|^(\d{1,4})/").expect("valid pattern")
    });
    if let Some(c) = re.captures(written) {
        let m = c.get(1).or_else(|| c.get(2))?;
        return Some(TextRange::new(m.start(), m.end()));
    }
    let digits = written.trim();
    (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) && digits.len() <= 4)
        .then(|| {
            let start = written.len() - written.trim_start().len();
            TextRange::new(start, start + digits.len())
        })
        .filter(|_| bare)
}

/// The task number in a reference: after the `/` of `015/002`, after
/// `Task `, or the whole of a bare `002`.
fn task_number(written: &str) -> Option<TextRange> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r"(?i)/\s*(?:task[ -]?)?(\d+(?:\.\d+)?[a-z]?)\b|\btask[ -]?(\d+(?:\.\d+)?[a-z]?)\b|^\s*(\d+(?:\.\d+)?[a-z]?)\s*$")
            .expect("valid pattern")
    });
    let c = re.captures(written)?;
    let m = c.get(1).or_else(|| c.get(2)).or_else(|| c.get(3))?;
    Some(TextRange::new(m.start(), m.end()))
}

/// The edits of the item's own name: a milestone's roadmap cell or heading,
/// a story's title number, a task's heading number, an issue's Type and
/// Expert fields when the new ID changes them.
fn rewrite_definition(
    file: &SourceFile,
    item: &Item,
    old: &str,
    new: &str,
) -> Vec<(TextRange, String)> {
    let def = item.def_range;
    let text = &file.text[def.start()..def.end()];
    let number = |at: TextRange| {
        let at = at.shifted(def.start());
        let old_digits = &file.text[at.start()..at.end()];
        (at, pad_like(old_digits, number_of(new)))
    };
    match item.kind {
        ItemKind::Milestone => milestone_spans(text, number_of(old))
            .into_iter()
            .take(1)
            .map(number)
            .collect(),
        ItemKind::Story => {
            static RE: OnceLock<Regex> = OnceLock::new();
            let re = RE
                .get_or_init(|| Regex::new(r"(?i)^story[ -]?(\d{1,4})\b").expect("valid pattern"));
            re.captures(text)
                .and_then(|c| c.get(1))
                .map(|m| number(TextRange::new(m.start(), m.end())))
                .into_iter()
                .collect()
        }
        ItemKind::Task => {
            static RE: OnceLock<Regex> = OnceLock::new();
            let re = RE.get_or_init(|| {
                Regex::new(r"(?i)^(?:task\s*)?(\d+(?:\.\d+)?(?:[a-z]\b)?)").expect("valid pattern")
            });
            re.captures(text)
                .and_then(|c| c.get(1))
                .map(|m| number(TextRange::new(m.start(), m.end())))
                .into_iter()
                .collect()
        }
        ItemKind::Issue => {
            let (Some(before), Some(after)) = (ids::issue_parts(old), ids::issue_parts(new)) else {
                return Vec::new();
            };
            let mut out = Vec::new();
            for (label, was, now) in [
                ("type", before.kind, after.kind),
                ("expert", before.expert, after.expert),
            ] {
                if was == now {
                    continue;
                }
                if let Some(field) = item
                    .field(label)
                    .filter(|f| f.value(&file.text).eq_ignore_ascii_case(was))
                {
                    out.push((field.value_range, now.to_string()));
                }
            }
            out
        }
        // Dialect items are refused before any edit is made.
        _ => Vec::new(),
    }
}

/// The cells of index rows that name `old`: a Milestone column, a
/// Prerequisites column, and the renamed issue's own ID cell, whose link to
/// the file (`[id](backlog/id.md)`) follows the file's new name.
fn index_cells(
    file: &SourceFile,
    item: &Item,
    old: &str,
    new: &str,
    edits: &mut BTreeSet<FileEdit>,
) {
    let Some(index) = &file.facts.index else {
        return;
    };
    for row in &index.rows {
        for cell in &row.cells {
            let own_link = item.kind == ItemKind::Issue && row.id == old;
            if cell.range.touches(row.id_range.start()) && !own_link {
                continue;
            }
            let text = &file.text[cell.range.start()..cell.range.end()];
            let spans = match item.kind {
                ItemKind::Issue => issue_spans(text, old)
                    .into_iter()
                    .map(|at| (at, new.to_string()))
                    .collect::<Vec<_>>(),
                ItemKind::Milestone => milestone_spans(text, number_of(old))
                    .into_iter()
                    .map(|at| (at, pad_like(&text[at.start()..at.end()], number_of(new))))
                    .collect(),
                _ => Vec::new(),
            };
            if is_range(text) && !spans.is_empty() {
                continue;
            }
            for (at, new_text) in spans {
                edits.insert(FileEdit {
                    rel: file.rel.to_string(),
                    range: at.shifted(cell.range.start()),
                    new_text,
                });
            }
        }
    }
}

/// How a dialect item's references write its ID, when it can be renamed:
/// its definition spells that ID, the canonical ID ends with it, and it is
/// not a position (`1.2`).
fn dialect_written_id(
    def_file: &SourceFile,
    item: &Item,
    dialect: crate::analysis::dialect::DialectFile,
) -> Result<String, String> {
    use crate::analysis::dialect;

    let written = dialect::written_id(dialect, item);
    // A dialect that compares IDs without leading zeros (Backlog.md's
    // `TASK-042` is `task-42`) spells the definition with them.
    let spelled = def_file
        .text
        .get(item.def_range.start()..item.def_range.end())
        .filter(|t| {
            t.eq_ignore_ascii_case(&written)
                || without_leading_zeros(t) == without_leading_zeros(&written)
        });
    let numbered = written.bytes().all(|b| b.is_ascii_digit() || b == b'.');
    let ends = item.id.to_lowercase().ends_with(&written.to_lowercase());
    match spelled {
        Some(spelled) if !numbered && ends => Ok(spelled.to_string()),
        _ => Err(format!(
            "this {}'s ID comes from its place, its heading or its file's name in {}: edit or rename the file instead",
            item.kind.name(),
            dialect::name(dialect.dialect)
        )),
    }
}

/// Renames an item of a dialect whose definition spells its ID as its
/// references write it (a spec-kit task `T012`, a Backlog.md task
/// `task-7`): the definition, every reference in the workspace, and a file
/// named after the ID (`task-7 - Title.md`). The items whose IDs carry its
/// ID are renumbered with it (a Backlog.md task's sub-tasks, `task-7.1`,
/// see `DialectSpec::renumber_below`). IDs that come from a position
/// (Kiro's criterion `2.3`, task `1.2`) are refused: renumber the list.
fn rename_dialect_item(
    ws: &Workspace,
    def_file: &SourceFile,
    item: &Item,
    dialect: crate::analysis::dialect::DialectFile,
    new_name: &str,
) -> Result<RenameEdit, String> {
    use crate::analysis::dialect;

    let written = dialect_written_id(def_file, item, dialect)?;
    let canonical_written = dialect::written_id(dialect, item);
    let name = new_name.trim();
    if name.is_empty() || name.contains(|c: char| c.is_whitespace() || c == '/' || c == ',') {
        return Err(format!(
            "`{name}` is not an ID: write it as the file writes `{written}`"
        ));
    }
    if name == written {
        return Ok(RenameEdit::default());
    }
    if dialect.dialect == dialect::Dialect::Backlog {
        if let Some(reason) = dialect::backlog::refused_name(ws, def_file, &written, name) {
            return Err(reason);
        }
    }
    // The canonical ID keeps what the dialect puts before the written form
    // (the feature of `001-auth/T012`, a backlog's folder).
    let prefix = item
        .id
        .get(..item.id.len().saturating_sub(canonical_written.len()))
        .unwrap_or("");
    let new_id = format!("{prefix}{name}");
    // An ID some dialects compare without case or leading zeros
    // (Backlog.md's `TASK-09` is `task-9`) is taken in any of its forms.
    for candidate in [
        new_id.clone(),
        new_id.to_lowercase(),
        without_leading_zeros(&new_id),
    ] {
        if let Some((other, found)) = ws.item(&candidate) {
            if std::ptr::eq(found, item) {
                continue;
            }
            return Err(format!("`{name}` already exists, in `{}`", other.rel));
        }
    }
    let mut out = RenameEdit::default();
    // A file named after the ID follows it.
    let file_name = def_file.rel.rsplit('/').next().unwrap_or(&def_file.rel);
    let follows = file_name
        .get(..written.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(&written))
        && file_name[written.len()..].starts_with([' ', '.']);
    if follows {
        // A name in lower case stays so (Backlog.md writes its files'
        // names so, whatever the case of the ID).
        let head = &file_name[..written.len()];
        let new_head = if head.bytes().any(|b| b.is_ascii_uppercase()) {
            name.to_string()
        } else {
            name.to_lowercase()
        };
        let new_rel = sibling_path(
            &def_file.rel,
            &format!("{new_head}{}", &file_name[written.len()..]),
        );
        move_file(ws, &def_file.rel, new_rel, &mut out)?;
    }
    let mut edits = BTreeSet::new();
    edits.insert(FileEdit {
        rel: def_file.rel.to_string(),
        range: item.def_range,
        new_text: name.to_string(),
    });
    // The ID as written ends the reference (`T012`, `001-auth/T012`,
    // `"TASK-7"` with its quotes trimmed).
    rewrite_references(ws, def_file, &item.id, &mut edits, |text| {
        if let Some(at) = text.to_lowercase().rfind(&written.to_lowercase()) {
            return Some((at..at + written.len(), name.to_string()));
        }
        // Written with other zeros than the definition's (`task-42` for
        // `TASK-042`): the ID after any scope, without its quotes.
        let (part, id) = last_id_of(text);
        if without_leading_zeros(id) == without_leading_zeros(&written) {
            return Some((part, name.to_string()));
        }
        // Its number alone (Backlog.md's `dependencies: [7]` for `task-7`):
        // the new number alone, when the new name keeps the prefix.
        let number_of = |id: &str| {
            id.rsplit_once('-')
                .map(|(prefix, n)| (prefix.to_lowercase(), n.to_string()))
        };
        let (prefix, number) = number_of(&written)?;
        let bare = !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit() || b == b'.');
        (bare && without_leading_zeros(id) == without_leading_zeros(&number)).then(|| {
            let new_text = match number_of(name) {
                Some((new_prefix, new_number)) if new_prefix == prefix => new_number,
                _ => name.to_string(),
            };
            (part, new_text)
        })
    })?;

    // The items below it, each renumbered in the style each place spells
    // it: its definition, its file's name and every reference to it.
    let below = |spelled: &str| dialect::renumber_below(dialect, spelled, &written, name);
    for (file, sub) in ws.items() {
        let FileKind::Dialect(sub_dialect) = file.facts.kind else {
            continue;
        };
        if sub_dialect.dialect != dialect.dialect {
            continue;
        }
        let sub_written = dialect::written_id(sub_dialect, sub);
        if sub.id.strip_suffix(sub_written.as_str()) != Some(prefix) {
            continue;
        }
        let Some(renumbered) = below(&sub_written) else {
            continue;
        };
        let new_sub_id = format!("{prefix}{renumbered}");
        for candidate in [new_sub_id.clone(), new_sub_id.to_lowercase()] {
            if let Some((other, _)) = ws.item(&candidate) {
                return Err(format!(
                    "`{sub_written}` is below `{written}` and would become `{renumbered}`, which already exists, in `{}`",
                    other.rel
                ));
            }
        }
        if let Some(new_text) = file
            .text
            .get(sub.def_range.start()..sub.def_range.end())
            .and_then(below)
        {
            edits.insert(FileEdit {
                rel: file.rel.to_string(),
                range: sub.def_range,
                new_text,
            });
        }
        let file_name = file.rel.rsplit('/').next().unwrap_or(&file.rel);
        // The name's ID ends at its first space or at the extension.
        let head_len = file_name
            .find(' ')
            .or_else(|| file_name.rfind('.'))
            .unwrap_or(file_name.len());
        if let Some(new_head) = below(&file_name[..head_len]) {
            let new_rel = sibling_path(&file.rel, &format!("{new_head}{}", &file_name[head_len..]));
            move_file(ws, &file.rel, new_rel, &mut out)?;
        }
        rewrite_references(ws, file, &sub.id, &mut edits, |text| {
            let (part, id) = last_id_of(text);
            Some((part, below(id)?))
        })?;
    }
    out.edits = edits.into_iter().collect();
    out.edits
        .dedup_by(|b, a| a.rel == b.rel && a.range.end() > b.range.start());
    Ok(out)
}

/// The ID a reference's text ends with, after any scope and without its
/// quotes (`"web/TASK-7"` gives `TASK-7`), and where it lies in the text.
fn last_id_of(text: &str) -> (std::ops::Range<usize>, &str) {
    let end = text.trim_end_matches(['"', '\'', ' ']).len();
    let start = text
        .get(..end)
        .and_then(|head| head.rfind(['/', '"', '\'', ' ']))
        .map_or(0, |i| i + 1);
    (start..end, text.get(start..end).unwrap_or(""))
}

/// Moves `old_rel` to `new_rel` with the rename, unless a file is there.
fn move_file(
    ws: &Workspace,
    old_rel: &str,
    new_rel: String,
    out: &mut RenameEdit,
) -> Result<(), String> {
    if ws.file(&new_rel).is_some() || ws.unreadable().contains_key(&new_rel) {
        return Err(format!("`{new_rel}` already exists"));
    }
    out.file_renames.push(FileRename {
        old_rel: old_rel.to_string(),
        new_rel,
    });
    Ok(())
}

/// Adds the edits of every reference to `id` (in the files that name it
/// and in `def_file`): `rewrite` gives, for a reference's text, the part
/// to replace and its new text, or `None` to leave it.
fn rewrite_references(
    ws: &Workspace,
    def_file: &SourceFile,
    id: &str,
    edits: &mut BTreeSet<FileEdit>,
    rewrite: impl Fn(&str) -> Option<(std::ops::Range<usize>, String)>,
) -> Result<(), String> {
    let mut files: BTreeSet<&str> = ws.referrers(id).collect();
    files.insert(&*def_file.rel);
    let every_name = names_of_definitions(ws, [id]);
    for rel in files {
        let Some(file) = ws.file(rel) else {
            continue;
        };
        for reference in file.facts.all_references() {
            let named = reference.target.as_id();
            if named.is_some_and(|named| !every_name.contains(named))
                || ws.resolve_str(&reference.target) != Some(id)
            {
                continue;
            }
            let text = &file.text[reference.range.start()..reference.range.end()];
            if names_a_range(file, reference) {
                return Err(format!(
                    "`{}` is named by the range `{text}` in `{rel}`: write the range out as a list first",
                    without_scope(id)
                ));
            }
            let Some((part, new_text)) = rewrite(text) else {
                continue;
            };
            let start = reference.range.start();
            edits.insert(FileEdit {
                rel: rel.to_string(),
                range: TextRange::new(start + part.start, start + part.end),
                new_text,
            });
        }
    }
    Ok(())
}

/// Whether `reference` is one of the IDs a range names at its place
/// (`AUTH-01..10`, `AUTH-01–04`, `(AC: 2-5)`): rewriting the range's ends
/// would change which IDs it names.
fn names_a_range(file: &SourceFile, reference: &Reference) -> bool {
    file.facts
        .all_references()
        .filter(|other| other.range == reference.range)
        .nth(1)
        .is_some()
}

/// An ID in lower case with each number's leading zeros dropped
/// (`TASK-007.01` is `task-7.1`).
fn without_leading_zeros(id: &str) -> String {
    let mut out = String::with_capacity(id.len());
    let mut in_number = false;
    let mut chars = id.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() {
            let leading = !in_number;
            in_number = true;
            let more_digits = chars.peek().is_some_and(char::is_ascii_digit);
            if leading && c == '0' && more_digits {
                in_number = false;
                continue;
            }
        } else {
            in_number = false;
        }
        out.extend(c.to_lowercase());
    }
    out
}

#[cfg(test)]
mod tests {
    use expect_test::{expect, Expect};

    use super::prepare_rename;
    use crate::analysis::fixture::workspace;

    /// What `prepare_rename` answers at the fixture's cursor: the text it
    /// would rename and the placeholder, or why it refuses.
    fn check_prepare(fixture: &str, expect: Expect) {
        let fixture = workspace(fixture);
        let (rel, offset) = fixture.cursor.clone().expect("a cursor");
        let file = fixture.workspace.file(&rel).expect("the cursor's file");
        let got = match prepare_rename(&fixture.workspace, &rel, offset) {
            Ok(Some((range, placeholder))) => format!(
                "{:?} = {placeholder}",
                &file.text[range.start()..range.end()]
            ),
            Ok(None) => "(none)".to_string(),
            Err(reason) => format!("refused: {reason}"),
        };
        expect.assert_eq(&got);
    }

    const REQUIREMENTS: &str = "//- .planning/REQUIREMENTS.md
# Requirements: Parcel

## v1 Requirements

- [x] **AUTH-01**: User can sign in
- [ ] **AUTH-02**: User can sign out
";

    fn plan(front: &str) -> String {
        format!(
            "{REQUIREMENTS}//- .planning/phases/01-accounts/01-01-PLAN.md\n---\nphase: 01-accounts\nplan: 01\n{front}---\n\n<objective>\nSign in.\n</objective>\n"
        )
    }

    /// Rename refuses an end of a range (rewriting it would change what
    /// the range names), so the editor must hear it before asking for a
    /// new name, not after.
    #[test]
    fn an_end_of_a_range_is_refused_before_a_name_is_asked_for() {
        check_prepare(
            &plan("requirements: [AUTH-0$01..02]\n"),
            expect!["refused: `AUTH-01` is named by the range `AUTH-01..02` in `.planning/phases/01-accounts/01-01-PLAN.md`: write the range out as a list first"],
        );
        // From its definition too: the range elsewhere would stop rename.
        check_prepare(
            &plan("requirements: [AUTH-01..02]\n").replacen("**AUTH-01**", "**AUTH-0$01**", 1),
            expect!["refused: `AUTH-01` is named by the range `AUTH-01..02` in `.planning/phases/01-accounts/01-01-PLAN.md`: write the range out as a list first"],
        );
        check_prepare(
            &plan("requirements: [AUTH-01, AUTH-0$02]\n"),
            expect![[r#""AUTH-02" = AUTH-02"#]],
        );
        check_prepare(
            "//- issues/backlog/swe-feature-001.md\n# One\n\n**Status:** open\n\n//- issues/backlog/swe-feature-002.md\n# Two\n\n**Status:** open\n\n//- issues/backlog/swe-feature-003.md\n# Three\n\n**Status:** open\n**Dependencies:** swe-feature-0$001 through swe-feature-002\n",
            expect!["refused: `swe-feature-001` is named by the range `swe-feature-001 through swe-feature-002` in `issues/backlog/swe-feature-003.md`: write the range out as a list first"],
        );
    }
}
