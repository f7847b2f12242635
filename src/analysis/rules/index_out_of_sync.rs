//! `index-out-of-sync`: the issues index must list every issue file of its
//! `issues/` folder once, and its titles and statuses must agree with the
//! files; a stories index (`stories/README.md`) must name existing stories
//! once, with their titles and, when the story file has one, its status.

use std::cell::OnceCell;
use std::collections::HashMap;

use crate::analysis::actions::index_fix::{
    cell_edits, insert_point, is_stale, render_row, whole_index_edits, RowValues, WHOLE_INDEX,
};
use crate::analysis::actions::{eol, Action, Change};
use crate::analysis::model::{FileKind, IndexRow, IndexTable, ItemKind};
use crate::analysis::parse::progress_of;
use crate::analysis::rules::status::{cell_agrees, normalize_status};
use crate::analysis::rules::{Diagnostic, Payload, Rule, Sink};
use crate::analysis::text::TextRange;
use crate::analysis::workspace::{normalize_title, SourceFile, Workspace};

/// The folder an index covers: the `issues/` folder it sits in, as a path
/// prefix with its slash (`issues/` must not cover `issues-archive/`).
fn covered_prefix(index_rel: &str) -> &str {
    index_rel
        .rsplit_once('/')
        .map_or("", |(dir, _)| &index_rel[..dir.len() + 1])
}

pub(crate) fn check(ws: &Workspace, file: &SourceFile, sink: &mut Sink<'_>) {
    if file.facts.kind == FileKind::StoryIndex {
        story_index(ws, file, sink);
        return;
    }
    if file.facts.kind != FileKind::Index {
        return;
    }
    let Some(table) = &file.facts.index else {
        return;
    };
    if table.columns.is_empty() {
        return;
    }
    let prefix = covered_prefix(&file.rel);
    let mut listed = HashMap::new();
    for row in &table.rows {
        if repeated_row(file, &mut listed, row, "index", sink) {
            continue;
        }
        let Some((issue_file, issue)) = ws.item(&row.id).filter(|(_, i)| i.kind == ItemKind::Issue)
        else {
            sink.push_with(
                Rule::IndexOutOfSync,
                row.id_range,
                format!(
                    "the index lists `{}`, but no such issue file exists",
                    row.id
                ),
                Payload::IndexStaleRow {
                    id: row.id.to_string(),
                },
            );
            continue;
        };
        if let Some(cell) = row.cell("title") {
            // The same text needs no normalising (the common case, and
            // 2,000 rows are checked after every edit of the index).
            let listed = cell.value(&file.text);
            if !listed.is_empty()
                && listed != issue.title
                && normalize_title(listed) != normalize_title(&issue.title)
            {
                sink.push_with(
                    Rule::IndexOutOfSync,
                    cell.range,
                    format!(
                        "the index says title \"{listed}\" but `{}` says \"{}\"",
                        issue.id, issue.title
                    ),
                    Payload::IndexCell {
                        id: issue.id.to_string(),
                        column: "title",
                    },
                );
            }
        }
        // The same word as the file's needs no normalising either.
        let same_status = |cell: &&crate::analysis::model::IndexCell| {
            issue
                .field_value(&issue_file.text, "status")
                .is_some_and(|value| cell.value(&file.text) == value)
        };
        if let Some(cell) = row.cell("status").filter(|c| !same_status(c)) {
            let listed_status = normalize_status(cell.value(&file.text));
            let field = issue
                .field_value(&issue_file.text, "status")
                .map(normalize_status);
            let folder = issue_file
                .facts
                .folder_status
                .as_deref()
                .map(normalize_status);
            let agrees = cell_agrees(
                cell.value(&file.text),
                [
                    issue.field_value(&issue_file.text, "status"),
                    issue_file.facts.folder_status.as_deref(),
                ],
            );
            if !listed_status.is_empty() && !agrees {
                let actual = field.or(folder).unwrap_or_default();
                sink.push_with(
                    Rule::IndexOutOfSync,
                    cell.range,
                    format!(
                        "the index says status `{}` but `{}` is `{actual}`",
                        cell.value(&file.text),
                        issue.id
                    ),
                    Payload::IndexCell {
                        id: issue.id.to_string(),
                        column: "status",
                    },
                );
            }
        }
    }
    let header_line = file
        .line_index()
        .line_range(file.line_index().line_of(table.table_range.start()));
    let header = crate::analysis::parse::trim_range(&file.text, header_line);
    let mut missing: Vec<&str> = ws
        .files_under(prefix)
        .iter()
        .filter(|f| f.facts.kind == FileKind::Issue)
        .flat_map(|f| f.facts.items.iter().map(|i| i.id.as_str()))
        .filter(|id| !listed.contains_key(id))
        .collect();
    missing.sort_unstable();
    for id in missing {
        sink.push_with(
            Rule::IndexOutOfSync,
            header,
            format!("the index has no row for `{id}`"),
            Payload::IndexMissingRow { id: id.to_string() },
        );
    }
}

/// A markdown link's text instead of the link (`[Setup](001-setup.md)` is
/// `Setup`), for comparing titles.
fn without_links(cell: &str) -> String {
    let mut out = String::with_capacity(cell.len());
    let mut rest = cell;
    while let Some(open) = rest.find('[') {
        let Some(close) = rest[open..].find("](").map(|i| open + i) else {
            break;
        };
        let Some(end) = rest[close..].find(')').map(|i| close + i) else {
            break;
        };
        out.push_str(&rest[..open]);
        out.push_str(&rest[open + 1..close]);
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out
}

/// Reports `row` when an earlier row of the `what` (the index, the stories
/// index) lists the same ID, and records it as listed otherwise.
fn repeated_row<'a>(
    file: &SourceFile,
    listed: &mut HashMap<&'a str, &'a IndexRow>,
    row: &'a IndexRow,
    what: &str,
    sink: &mut Sink<'_>,
) -> bool {
    let Some(first) = listed.get(row.id.as_str()) else {
        listed.insert(row.id.as_str(), row);
        return false;
    };
    let line = file.line_index().line_of(first.id_range.start()) + 1;
    sink.push_with(
        Rule::IndexOutOfSync,
        row.id_range,
        format!("the {what} lists `{}` twice (first on line {line})", row.id),
        Payload::IndexRepeatedRow {
            id: row.id.to_string(),
            first_line: line,
        },
    );
    true
}

fn story_index(ws: &Workspace, file: &SourceFile, sink: &mut Sink<'_>) {
    let Some(table) = &file.facts.index else {
        return;
    };
    let mut listed = HashMap::new();
    for row in &table.rows {
        if repeated_row(file, &mut listed, row, "stories index", sink) {
            continue;
        }
        let Some((_, story)) = ws.item(&row.id).filter(|(_, i)| i.kind == ItemKind::Story) else {
            sink.push_with(
                Rule::IndexOutOfSync,
                row.id_range,
                format!(
                    "the stories index lists `{}`, but no such story file exists",
                    row.id
                ),
                Payload::IndexStaleRow {
                    id: row.id.to_string(),
                },
            );
            continue;
        };
        let title = ["title", "story", "name"]
            .iter()
            .find_map(|column| row.cell(column));
        if let Some(cell) = title {
            let listed_title = without_links(cell.value(&file.text));
            if !listed_title.trim().is_empty()
                && !story.title.is_empty()
                && normalize_title(&listed_title) != normalize_title(&story.title)
            {
                sink.push_with(
                    Rule::IndexOutOfSync,
                    cell.range,
                    format!(
                        "the stories index says title \"{}\" but `{}` says \"{}\"",
                        listed_title.trim(),
                        story.id,
                        story.title
                    ),
                    Payload::IndexCell {
                        id: story.id.to_string(),
                        column: "title",
                    },
                );
            }
        }
        // The index is the status of a story whose file has none; when both
        // have one, they must mean the same.
        let cell = row.cell("status").or_else(|| row.cell("state"));
        if let (Some(cell), Some((own, _))) = (cell, &story.status) {
            let listed_progress = progress_of(cell.value(&file.text));
            if listed_progress.is_some() && listed_progress != story.progress {
                sink.push_with(
                    Rule::IndexOutOfSync,
                    cell.range,
                    format!(
                        "the stories index says status `{}` but `{}` is `{own}`",
                        cell.value(&file.text),
                        story.id
                    ),
                    Payload::IndexCell {
                        id: story.id.to_string(),
                        column: "status",
                    },
                );
            }
        }
    }
}

/// The fixes of one `index-out-of-sync` finding in the index file: those
/// of its own row (or the row it misses), then the whole-index fix.
pub(crate) fn fixes(ws: &Workspace, index: &SourceFile, d: &Diagnostic) -> Vec<Action> {
    let Some(fixes) = IndexFixes::new(ws, index) else {
        return Vec::new();
    };
    let mut out = fixes.own(d);
    out.extend(fixes.whole(d));
    out
}

/// The fixes of the `index-out-of-sync` findings of one issues index.
/// Fixing every finding of an index at once (`check --fix`, "fix all")
/// makes it once: each finding's own fixes look at its row alone, and the
/// whole-index fix, which reads every row, is made once (made for each
/// finding, an index of 5,000 rows whose files are gone took seconds and
/// most of a gigabyte to fix).
pub(crate) struct IndexFixes<'a> {
    ws: &'a Workspace,
    index: &'a SourceFile,
    table: &'a IndexTable,
    /// The row a new row copies its layout from, the first whose issue
    /// exists: found once (every row is stale when the issues moved).
    template: OnceCell<Option<&'a IndexRow>>,
}

impl<'a> IndexFixes<'a> {
    /// `None` when `index` holds no index table.
    pub(crate) fn new(ws: &'a Workspace, index: &'a SourceFile) -> Option<IndexFixes<'a>> {
        let table = index.facts.index.as_deref()?;
        Some(IndexFixes {
            ws,
            index,
            table,
            template: OnceCell::new(),
        })
    }

    fn edit(&self, edits: Vec<(TextRange, String)>) -> Vec<Change> {
        vec![Change::Edit {
            rel: self.index.rel.to_string(),
            edits,
        }]
    }

    /// The row whose line holds the start of `range`. Rows are in the
    /// order of the text.
    fn row_at(&self, range: TextRange) -> Option<&'a IndexRow> {
        let rows = &self.table.rows;
        let at = rows.partition_point(|row| row.line_range.end() <= range.start());
        rows.get(at)
            .filter(|row| row.line_range.start() <= range.start())
    }

    /// The fixes of `d` that change its own row or add the row it misses.
    pub(crate) fn own(&self, d: &Diagnostic) -> Vec<Action> {
        let (ws, index, table) = (self.ws, self.index, self.table);
        let mut out = Vec::new();
        if let Some(row) = self.row_at(d.range) {
            let repeated = matches!(d.payload, Payload::IndexRepeatedRow { .. });
            if row.id_range == d.range && repeated {
                return vec![Action::fix(
                    format!("Remove this repeated row of `{}`", row.id),
                    d,
                    self.edit(vec![(row.line_range, String::new())]),
                )
                .preferred()
                .safe()];
            }
            if row.id_range == d.range && is_stale(ws, row) {
                out.push(
                    Action::fix(
                        format!("Remove the row of `{}`", row.id),
                        d,
                        self.edit(vec![(row.line_range, String::new())]),
                    )
                    .preferred()
                    .safe(),
                );
            }
            for (range, text, what) in cell_edits(ws, &index.text, row) {
                if range == d.range {
                    out.push(
                        Action::fix(
                            format!("Update the {what} to \"{text}\""),
                            d,
                            self.edit(vec![(range, text.clone())]),
                        )
                        .preferred()
                        .safe(),
                    );
                }
            }
        }
        if let Payload::IndexMissingRow { id } = &d.payload {
            if let Some((file, item)) = ws.item(id) {
                let values = RowValues::of(file, item);
                let template = *self
                    .template
                    .get_or_init(|| table.rows.iter().find(|r| !is_stale(ws, r)));
                let nl = eol(&index.text);
                let row = render_row(ws, &index.text, table, &values, template);
                let (at, needs_break) = insert_point(index, table, None);
                let text = if needs_break {
                    format!("{nl}{row}")
                } else {
                    format!("{row}{nl}")
                };
                out.push(
                    Action::fix(
                        format!("Add a row for `{id}`"),
                        d,
                        self.edit(vec![(TextRange::empty(at), text)]),
                    )
                    .preferred()
                    .safe(),
                );
            }
        }
        out
    }

    /// The fix that brings the whole index in sync, offered on `d`; `None`
    /// when nothing in it is out of sync.
    pub(crate) fn whole(&self, d: &Diagnostic) -> Option<Action> {
        let whole = whole_index_edits(self.ws, self.index);
        (!whole.is_empty()).then(|| Action::fix(WHOLE_INDEX, d, self.edit(whole)).safe())
    }
}

/// The fixes of an `index-out-of-sync` finding in a stories index
/// (`stories/README.md`): a repeated row removed (safe), the row of a story
/// that has no file removed (it may be written later: not safe), a title
/// cell set to the story's title (safe unless the cell is a link, which
/// would be lost: then none), a status cell set to the story's Status (not
/// safe: the cell's decoration goes). The issues index's whole-table fix
/// does not apply: its rows are issues.
pub(crate) fn story_index_fixes(ws: &Workspace, index: &SourceFile, d: &Diagnostic) -> Vec<Action> {
    let Some(table) = index.facts.index.as_ref() else {
        return Vec::new();
    };
    let edit = |range: TextRange, text: String| {
        vec![Change::Edit {
            rel: index.rel.to_string(),
            edits: vec![(range, text)],
        }]
    };
    let mut out = Vec::new();
    for row in &table.rows {
        let story = ws
            .item(&row.id)
            .map(|(_, item)| item)
            .filter(|item| item.kind == ItemKind::Story);
        if row.id_range == d.range {
            let remove = edit(row.line_range, String::new());
            if matches!(d.payload, Payload::IndexRepeatedRow { .. }) {
                out.push(
                    Action::fix(
                        format!("Remove this repeated row of `{}`", row.id),
                        d,
                        remove,
                    )
                    .preferred()
                    .safe(),
                );
            } else if story.is_none() {
                out.push(
                    Action::fix(format!("Remove the row of `{}`", row.id), d, remove).preferred(),
                );
            }
            continue;
        }
        let Some(story) = story else {
            continue;
        };
        for cell in row.cells.iter().filter(|c| c.range == d.range) {
            match &*cell.column {
                "title" | "story" | "name" if !cell.value(&index.text).contains("](") => out.push(
                    Action::fix(
                        format!("Update the title to \"{}\"", story.title),
                        d,
                        edit(cell.range, story.title.to_string()),
                    )
                    .preferred()
                    .safe(),
                ),
                "status" | "state" => {
                    if let Some((status, _)) = &story.status {
                        out.push(
                            Action::fix(
                                format!("Update the status to `{status}`"),
                                d,
                                edit(cell.range, status.to_string()),
                            )
                            .preferred(),
                        );
                    }
                }
                _ => {}
            }
        }
    }
    out
}
