//! The issues index table (`issues/issues-list.md`, formats.md §2).

use crate::analysis::model::{IndexCell, IndexRow, IndexTable, RefRole, Reference, Target};
use crate::analysis::parse::markdown::Outline;
use crate::analysis::parse::refs::{self, RefContext};
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
            &cell.text,
            cell.range.start,
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
            Target::Id(id) => id.clone(),
            Target::MilestoneTitle(_) => continue,
        };
        let line_start = text[..row.range.start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[row.range.start..]
            .find('\n')
            .map_or(text.len(), |i| row.range.start + i + 1);
        rows.push(IndexRow {
            id,
            id_range: reference.range,
            line_range: TextRange::new(line_start, line_end),
            cells: row
                .cells
                .iter()
                .zip(&columns)
                .map(|(cell, column)| IndexCell {
                    column: column.to_ascii_lowercase(),
                    value: cell.text.trim().to_string(),
                    range: cell.range,
                })
                .collect(),
        });
        references.push(reference);
    }
    IndexTable {
        columns,
        table_range: table.range,
        rows,
    }
}
