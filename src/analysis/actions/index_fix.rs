//! Keeping the issues index in sync: adding a missing row, removing a stale
//! one, updating a title or status cell, and all of it at once ("fix the
//! whole index"), always in the index's own column order and keeping the
//! cells of columns planmark does not know. The fixes of one
//! `index-out-of-sync` finding, built from these, are with the rule in
//! `rules/index_out_of_sync.rs`.

use std::collections::HashSet;

use crate::analysis::actions::{eol, Change};
use crate::analysis::features::find_word;
use crate::analysis::ids;
use crate::analysis::model::{FileKind, IndexRow, IndexTable, Item, ItemKind};
use crate::analysis::rules::status::{cell_agrees, normalize_status};
use crate::analysis::text::TextRange;
use crate::analysis::workspace::{normalize_title, SourceFile, Workspace};

/// The title of the action that brings the whole index in sync.
pub const WHOLE_INDEX: &str = "Fix the whole issues index";

/// What an index row says about an issue.
#[derive(Clone, Debug, Default)]
pub struct RowValues {
    pub id: String,
    /// The status folder the file is in.
    pub folder: String,
    pub title: String,
    pub expert: String,
    pub kind: String,
    pub milestone: String,
    pub status: String,
    pub deps: String,
    pub effort: String,
}

impl RowValues {
    /// The values of an issue file.
    pub fn of(file: &SourceFile, item: &Item) -> RowValues {
        let field = |name: &str| {
            item.field_value(&file.text, name)
                .unwrap_or_default()
                .to_string()
        };
        let parts = ids::issue_parts(&item.id);
        let folder = file.facts.folder_status.clone().unwrap_or_default();
        RowValues {
            id: item.id.to_string(),
            title: item.title.to_string(),
            expert: Some(field("expert"))
                .filter(|v| !v.is_empty())
                .or_else(|| parts.as_ref().map(|p| p.expert.to_string()))
                .unwrap_or_default(),
            kind: Some(field("type"))
                .filter(|v| !v.is_empty())
                .or_else(|| parts.as_ref().map(|p| p.kind.to_string()))
                .unwrap_or_default(),
            milestone: field("milestone"),
            status: item
                .field_value(&file.text, "status")
                .map_or_else(|| folder.clone(), str::to_string),
            deps: item
                .deps_field
                .map(|r| file.text[r.start()..r.end()].trim().to_string())
                .unwrap_or_default(),
            effort: field("estimated effort"),
            folder,
        }
    }

    /// The value for a column, by its header.
    fn cell(&self, column: &str) -> String {
        let c = column.trim().to_ascii_lowercase();
        let value = match c.as_str() {
            "title" => &self.title,
            "expert" => &self.expert,
            "type" => &self.kind,
            "milestone" => &self.milestone,
            "status" => &self.status,
            _ if c.contains("prereq") || c.contains("depend") => &self.deps,
            _ if c.contains("effort") => &self.effort,
            _ => return String::new(),
        };
        escape(value)
    }
}

/// Column headers that hold the issue's ID (as the parser reads them).
const ID_COLUMNS: &[&str] = &["file", "id", "issue", "filename", "name"];

/// A cell's text: one line, `|` escaped.
fn escape(value: &str) -> String {
    crate::analysis::actions::new_issue::one_line(value).replace('|', "\\|")
}

/// The folder an index covers, as a path prefix with its slash.
fn covered_prefix(index_rel: &str) -> &str {
    index_rel
        .rsplit_once('/')
        .map_or("", |(dir, _)| &index_rel[..dir.len() + 1])
}

/// The index that lists the issue at `issue_rel` (the innermost one).
pub(crate) fn covering_index<'a>(ws: &'a Workspace, issue_rel: &str) -> Option<&'a SourceFile> {
    // The index files are few and known: looking through every file was
    // quadratic where `check` asks this for each finding it may fix.
    ws.index_files()
        .filter_map(|rel| ws.file(rel))
        .filter(|f| f.facts.kind == FileKind::Index)
        .filter(|f| {
            f.facts
                .index
                .as_ref()
                .is_some_and(|t| !t.columns.is_empty())
        })
        .filter(|f| issue_rel.starts_with(covered_prefix(&f.rel)))
        .max_by_key(|f| f.rel.len())
        .map(|f| f.as_ref())
}

/// A row for `values` in the index's column order. The ID cell copies the
/// form of `template` (a link, a file name) when there is one.
pub(crate) fn render_row(
    ws: &Workspace,
    index_text: &str,
    table: &IndexTable,
    values: &RowValues,
    template: Option<&IndexRow>,
) -> String {
    let cells: Vec<String> = table
        .columns
        .iter()
        .map(|column| {
            if ID_COLUMNS.contains(&column.trim().to_ascii_lowercase().as_str()) {
                id_cell(ws, index_text, values, template)
            } else {
                values.cell(column)
            }
        })
        .collect();
    format!("| {} |", cells.join(" | "))
}

fn id_cell(
    ws: &Workspace,
    index_text: &str,
    values: &RowValues,
    template: Option<&IndexRow>,
) -> String {
    let Some(row) = template else {
        return values.id.clone();
    };
    let Some(cell) = row
        .cells
        .iter()
        .find(|c| c.range.contains_range(row.id_range))
    else {
        return values.id.clone();
    };
    let mut text = cell.value(index_text).to_string();
    // `[swe-feature-001](done/swe-feature-001.md)`: the folder too.
    if let Some((file, _)) = ws.item(&row.id) {
        if let Some(folder) = &file.facts.folder_status {
            let from = format!("{folder}/{}", row.id);
            if let Some(at) = find_word(&text, &from) {
                text.replace_range(
                    at..at + from.len(),
                    &format!("{}/{}", values.folder, values.id),
                );
            }
        }
    }
    while let Some(at) = find_word(&text, &row.id) {
        text.replace_range(at..at + row.id.len(), &values.id);
    }
    if text.contains(values.id.as_str()) {
        text
    } else {
        values.id.clone()
    }
}

/// Where new rows go: after the row of `after`, else after the last row,
/// else after the header's separator line. Also says whether a line break
/// must come first (the table ends the file without one).
pub(crate) fn insert_point(
    file: &SourceFile,
    table: &IndexTable,
    after: Option<&str>,
) -> (usize, bool) {
    let row = after
        .and_then(|id| table.rows.iter().find(|r| r.id == id))
        .or(table.rows.last());
    let end = match row {
        Some(row) => row.line_range.end(),
        None => {
            let header = file.line_index().line_of(table.table_range.start());
            file.line_index().line_range(header + 1).end()
        }
    };
    let needs_break = end == file.text.len() && !file.text.ends_with('\n');
    (end, needs_break)
}

/// The change adding a row for a new issue at `issue_rel` to its index,
/// after the row of `after` when given.
pub(crate) fn add_row(
    ws: &Workspace,
    issue_rel: &str,
    values: &RowValues,
    after: Option<&str>,
) -> Option<Change> {
    let index = covering_index(ws, issue_rel)?;
    let table = index.facts.index.as_ref()?;
    let template = after
        .and_then(|id| table.rows.iter().find(|r| r.id == id))
        .or(table.rows.first());
    let nl = eol(&index.text);
    let row = render_row(ws, &index.text, table, values, template);
    let (at, needs_break) = insert_point(index, table, after);
    let text = if needs_break {
        format!("{nl}{row}")
    } else {
        format!("{row}{nl}")
    };
    Some(Change::Edit {
        rel: index.rel.to_string(),
        edits: vec![(TextRange::empty(at), text)],
    })
}

/// The status folder of an issue file as written (`issues/done/x.md` ->
/// `done`).
fn folder_of(rel: &str) -> &str {
    rel.rsplit('/').nth(1).unwrap_or("")
}

/// The change that keeps the index row of `item`, the issue of `file`, in
/// sync when the file moves to `new_rel` (its own path when it stays) and
/// its Status becomes `new_status` (`None` when the field stays as it is):
/// the status cell when it would disagree with the issue, and the folder
/// of a link to the file in the ID cell. `None` when the row needs nothing,
/// when there is no index or row, or when the row stands for another copy
/// of the same ID.
pub(crate) fn sync_row(
    ws: &Workspace,
    file: &SourceFile,
    item: &Item,
    new_rel: &str,
    new_status: Option<&str>,
) -> Option<Change> {
    if ws.item(&item.id).map(|(f, _)| &*f.rel) != Some(&*file.rel) {
        return None;
    }
    let status = new_status
        .map(str::to_string)
        .or_else(|| item.field_value(&file.text, "status").map(str::to_string));
    row_change(ws, &file.rel, &item.id, new_rel, status, None)
}

/// The change that hands the index row of `item`, the issue of `file`, to
/// the next copy of its ID when this copy gets another ID: the row's status
/// and title become that copy's, and a link to this file leads to it.
pub(crate) fn hand_over_row(ws: &Workspace, file: &SourceFile, item: &Item) -> Option<Change> {
    if ws.item(&item.id).map(|(f, _)| &*f.rel) != Some(&*file.rel) {
        return None;
    }
    let (other_file, other) = ws
        .definitions(&item.id)
        .iter()
        .filter(|loc| loc.rel != file.rel)
        .find_map(|loc| {
            let f = ws.file(&loc.rel)?;
            Some((f, f.facts.items.get(loc.index)?))
        })?;
    let status = other
        .field_value(&other_file.text, "status")
        .map(str::to_string);
    row_change(
        ws,
        &file.rel,
        &item.id,
        &other_file.rel,
        status,
        Some(&other.title),
    )
}

/// The edits of the row of `id` in the index that covers `rel`, for the
/// issue now at `new_rel` with this Status field (`None`: no field) and
/// title (`None`: unchanged).
fn row_change(
    ws: &Workspace,
    rel: &str,
    id: &str,
    new_rel: &str,
    status: Option<String>,
    title: Option<&str>,
) -> Option<Change> {
    let index = covering_index(ws, rel)?;
    let table = index.facts.index.as_ref()?;
    let row = table.rows.iter().find(|r| r.id == id)?;
    let mut edits = Vec::new();
    let new_folder = folder_of(new_rel);
    if let (Some(cell), Some(title)) = (row.cell("title"), title) {
        let listed = cell.value(&index.text);
        if !listed.is_empty() && normalize_title(listed) != normalize_title(title) {
            edits.push((cell.range, escape(title)));
        }
    }
    if let Some(cell) = row.cell("status") {
        let listed = normalize_status(cell.value(&index.text));
        let agrees = cell_agrees(
            cell.value(&index.text),
            [status.as_deref(), Some(new_folder)],
        );
        if !listed.is_empty() && !agrees {
            let status = status.unwrap_or_else(|| new_folder.to_string());
            edits.push((cell.range, escape(&status)));
        }
    }
    let old_folder = folder_of(rel);
    if new_folder != old_folder {
        // `[swe-feature-001](backlog/swe-feature-001.md)`: the link follows
        // the file.
        if let Some(cell) = row
            .cells
            .iter()
            .find(|c| c.range.contains_range(row.id_range))
        {
            let from = format!("{old_folder}/{}", row.id);
            let mut at = cell.range.start();
            while let Some(found) = find_word(&index.text[at..cell.range.end()], &from) {
                let start = at + found;
                edits.push((
                    TextRange::new(start, start + old_folder.len()),
                    new_folder.to_string(),
                ));
                at = start + from.len();
            }
        }
    }
    edits.sort_by_key(|(r, _)| (r.start(), r.end()));
    (!edits.is_empty()).then(|| Change::Edit {
        rel: index.rel.to_string(),
        edits,
    })
}

/// The issues the index covers and does not list, by number.
fn missing_issues<'a>(
    ws: &'a Workspace,
    index: &SourceFile,
    table: &IndexTable,
) -> Vec<(&'a SourceFile, &'a Item)> {
    let prefix = covered_prefix(&index.rel);
    let listed: HashSet<&str> = table.rows.iter().map(|r| r.id.as_str()).collect();
    let mut missing: Vec<(&SourceFile, &Item)> = ws
        .files()
        .into_iter()
        .filter(|f| f.facts.kind == FileKind::Issue && f.rel.starts_with(prefix))
        .flat_map(|f| f.facts.items.iter().map(move |i| (f.as_ref(), i)))
        .filter(|(_, i)| !listed.contains(i.id.as_str()))
        .collect();
    missing.sort_by_key(|(_, i)| (ids::issue_parts(&i.id).map(|p| p.number), i.id));
    missing.dedup_by(|a, b| a.1.id == b.1.id);
    missing
}

/// The edit of one row's title or status cell, when it disagrees
/// (`index_text` is the text of the index the row is in).
pub(crate) fn cell_edits(
    ws: &Workspace,
    index_text: &str,
    row: &IndexRow,
) -> Vec<(TextRange, String, String)> {
    let mut out = Vec::new();
    let Some((file, issue)) = ws.item(&row.id).filter(|(_, i)| i.kind == ItemKind::Issue) else {
        return out;
    };
    if let Some(cell) = row.cell("title") {
        let listed = cell.value(index_text);
        if !listed.is_empty() && normalize_title(listed) != normalize_title(&issue.title) {
            out.push((cell.range, escape(&issue.title), "title".to_string()));
        }
    }
    if let Some(cell) = row.cell("status") {
        let listed = normalize_status(cell.value(index_text));
        let agrees = cell_agrees(
            cell.value(index_text),
            [
                issue.field_value(&file.text, "status"),
                file.facts.folder_status.as_deref(),
            ],
        );
        if !listed.is_empty() && !agrees {
            let status = issue
                .field_value(&file.text, "status")
                .map(str::to_string)
                .or(file.facts.folder_status.clone())
                .unwrap_or_default();
            out.push((cell.range, escape(&status), "status".to_string()));
        }
    }
    out
}

pub(crate) fn is_stale(ws: &Workspace, row: &IndexRow) -> bool {
    ws.item(&row.id)
        .filter(|(_, i)| i.kind == ItemKind::Issue)
        .is_none()
}

/// Every edit that brings the index in sync: stale and repeated rows
/// removed, cells updated, missing rows added after the last row (by
/// number).
pub fn whole_index_edits(ws: &Workspace, index: &SourceFile) -> Vec<(TextRange, String)> {
    let Some(table) = index.facts.index.as_ref().filter(|t| !t.columns.is_empty()) else {
        return Vec::new();
    };
    let mut edits = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for row in &table.rows {
        if is_stale(ws, row) || !seen.insert(row.id.as_str()) {
            edits.push((row.line_range, String::new()));
        } else {
            edits.extend(
                cell_edits(ws, &index.text, row)
                    .into_iter()
                    .map(|(r, t, _)| (r, t)),
            );
        }
    }
    let missing = missing_issues(ws, index, table);
    if !missing.is_empty() {
        let nl = eol(&index.text);
        let template = table.rows.iter().find(|r| !is_stale(ws, r));
        let rows: Vec<String> = missing
            .iter()
            .map(|(f, i)| render_row(ws, &index.text, table, &RowValues::of(f, i), template))
            .collect();
        let (at, needs_break) = insert_point(index, table, None);
        let mut text = rows.join(nl);
        if needs_break {
            text.insert_str(0, nl);
        } else {
            text.push_str(nl);
        }
        edits.push((TextRange::empty(at), text));
    }
    edits.sort_by_key(|(r, _)| (r.start(), r.end()));
    edits
}
