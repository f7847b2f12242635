//! The issues index table (`issues/issues-list.md`, formats.md §2).

use crate::analysis::ids;
use crate::analysis::intern::Id;
use crate::analysis::model::{IndexCell, IndexRow, IndexTable, RefRole, Reference, Target};
use crate::analysis::parse::markdown::{Outline, Row};
use crate::analysis::parse::refs::{self, RefContext};
use crate::analysis::slice::Slice;
use crate::analysis::text::TextRange;

/// Column headers that hold the issue's ID.
const ID_COLUMNS: &[&str] = &["file", "id", "issue", "filename", "name"];

pub(crate) fn parse_index(
    text: &str,
    outline: &Outline,
    references: &mut Vec<Reference>,
) -> IndexTable {
    let Some(table) = outline.tables.iter().find(|t| {
        t.header
            .iter()
            .any(|c| ID_COLUMNS.contains(&c.text.trim().to_ascii_lowercase().as_str()))
    }) else {
        return IndexTable::default();
    };
    let columns: Vec<String> = table
        .header
        .iter()
        .map(|c| c.text.trim().to_string())
        .collect();
    let lowered = lowered_columns(&columns);
    let id_column = columns
        .iter()
        .position(|c| ID_COLUMNS.contains(&c.to_ascii_lowercase().as_str()))
        .unwrap_or(0);
    let mut rows = Vec::new();
    for row in &table.rows {
        let Some(cell) = row.cells.get(id_column) else {
            continue;
        };
        let mut found = Vec::new();
        refs::find_refs(
            &outline.base,
            &cell.text,
            cell.range.start(),
            RefContext::Issue,
            RefRole::IndexRow,
            None,
            &mut found,
        );
        let Some(reference) = found.into_iter().find(|r| {
            r.target
                .as_id()
                .is_some_and(|id| !id.starts_with(['M', '#']))
        }) else {
            continue;
        };
        let id = match &reference.target {
            Target::Id(id) => *id,
            Target::MilestoneTitle(_) => continue,
        };
        let line_start = text[..row.range.start()].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[row.range.start()..]
            .find('\n')
            .map_or(text.len(), |i| row.range.start() + i + 1);
        rows.push(IndexRow {
            id,
            id_range: reference.range,
            line_range: TextRange::new(line_start, line_end),
            cells: cells_of(row, &lowered),
        });
        references.push(reference);
    }
    IndexTable {
        columns,
        table_range: table.range,
        rows,
    }
}

/// Each column's header lower-cased, one interned copy for all the
/// column's cells.
fn lowered_columns(columns: &[String]) -> Vec<Id> {
    columns
        .iter()
        .map(|c| Id::frequent(&c.to_ascii_lowercase()))
        .collect()
}

/// A row's cells by lower-cased column: the outline's cells are trimmed
/// pieces of the file already.
fn cells_of(row: &Row, lowered: &[Id]) -> Vec<IndexCell> {
    row.cells
        .iter()
        .zip(lowered)
        .map(|(cell, &column)| IndexCell {
            column,
            range: cell.range,
        })
        .collect()
}

/// The story number a cell of a stories index starts with: `001`,
/// `Story 001`, `[001](001-setup.md)`, `**1**`.
fn story_number_in(cell: &str) -> Option<(usize, usize)> {
    let start = cell.find(|c: char| c.is_ascii_digit())?;
    let before = cell[..start].trim_matches(|c: char| "[*_` ".contains(c));
    if !(before.is_empty() || before.eq_ignore_ascii_case("story")) {
        return None;
    }
    let len = cell[start..]
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(cell.len() - start);
    (len <= 4).then_some((start, start + len))
}

/// The table of a stories folder's `README.md` whose first column holds
/// story numbers (`| 001 | Setup Project | ✅ Done |`): one row per story,
/// its ID `story-001`, cells by lower-cased header. `None` without one.
pub(crate) fn parse_story_index(
    text: &str,
    outline: &Outline,
    references: &mut Vec<Reference>,
) -> Option<IndexTable> {
    let table = outline.tables.iter().find(|t| {
        let numbered = t
            .rows
            .iter()
            .filter(|r| {
                r.cells
                    .first()
                    .is_some_and(|c| story_number_in(&c.text).is_some())
            })
            .count();
        numbered > 0 && numbered * 2 > t.rows.len()
    })?;
    let columns: Vec<String> = table
        .header
        .iter()
        .map(|c| c.text.trim().to_string())
        .collect();
    let lowered = lowered_columns(&columns);
    let mut rows = Vec::new();
    for row in &table.rows {
        let Some(cell) = row.cells.first() else {
            continue;
        };
        let Some((start, end)) = story_number_in(&cell.text) else {
            continue;
        };
        let id = ids::story_id(&cell.text[start..end]);
        let id_range = TextRange::new(cell.range.start() + start, cell.range.start() + end);
        let line_start = text[..row.range.start()].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[row.range.start()..]
            .find('\n')
            .map_or(text.len(), |i| row.range.start() + i + 1);
        references.push(Reference {
            target: Target::Id(Id::new(&id)),
            written: cell
                .text
                .as_str()
                .get(start..end)
                .map_or_else(Slice::default, |piece| outline.slice(piece)),
            range: id_range,
            role: RefRole::IndexRow,
            expects: None,
        });
        rows.push(IndexRow {
            id: id.into(),
            id_range,
            line_range: TextRange::new(line_start, line_end),
            cells: cells_of(row, &lowered),
        });
    }
    Some(IndexTable {
        columns,
        table_range: table.range,
        rows,
    })
}
