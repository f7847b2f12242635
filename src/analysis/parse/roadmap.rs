//! The roadmap's milestones (table rows or headings) and the brief's next
//! task (formats.md §3).

use crate::analysis::model::{Field, Item, ItemKind, RefRole, Reference, Target};
use crate::analysis::parse::markdown::{self, Outline};
use crate::analysis::parse::progress_of;
use crate::analysis::parse::refs::{self, RefContext};
use crate::analysis::text::TextRange;

pub(crate) fn parse_roadmap(text: &str, outline: &Outline, items: &mut Vec<Item>) {
    for table in &outline.tables {
        let header: Vec<String> = table
            .header
            .iter()
            .map(|c| c.text.trim().to_ascii_lowercase())
            .collect();
        let col = |names: &[&str]| header.iter().position(|h| names.contains(&h.as_str()));
        let title_col = col(&["milestone", "title", "name"]);
        let status_col = col(&["status", "state"]);
        let deps_col = col(&["depends on", "dependencies", "depends", "prerequisites"]);
        for row in &table.rows {
            let Some((index, number)) = row
                .cells
                .iter()
                .enumerate()
                .find_map(|(i, c)| milestone_number(&c.text).map(|n| (i, n)))
            else {
                continue;
            };
            let id_cell = &row.cells[index];
            let mut item = Item::new(ItemKind::Milestone, format!("M{number}"), id_cell.range);
            item.range = row.range;
            if let Some(title) = title_col
                .filter(|&c| c != index)
                .and_then(|c| row.cells.get(c))
            {
                item.title = outline.slice(title.text.trim());
            }
            if let Some(status) = status_col.and_then(|c| row.cells.get(c)) {
                item.status = Some((outline.slice(status.text.trim()), status.range));
                item.progress = progress_of(&status.text);
                item.fields.push(Field::new(
                    "Status",
                    status.range,
                    markdown::trim_range(text, status.range),
                    row.range,
                ));
            }
            if let Some(deps) = deps_col.and_then(|c| row.cells.get(c)) {
                let masked = markdown::masked(text, deps.range, &outline.ignored);
                let mut found = Vec::new();
                refs::parse_dependency_value(
                    &outline.base,
                    &masked,
                    deps.range,
                    RefContext::Issue,
                    &outline.rel,
                    &outline.range_budget,
                    &mut found,
                );
                item.deps = found
                    .into_iter()
                    .filter(|r| r.target.as_id().is_some_and(|id| id.starts_with('M')))
                    .map(|r| Reference {
                        role: RefRole::MilestoneDependency,
                        expects: None,
                        ..r
                    })
                    .collect();
                item.deps_field = Some(deps.range);
            }
            items.push(item);
        }
    }
    if !items.is_empty() {
        return;
    }
    // No milestone table: milestones as headings `## M5 - Title` / `## M5: Title`.
    let sections = markdown::sections(&outline.headings, text.len());
    for (heading, section) in outline.headings.iter().zip(&sections) {
        let head = heading.text.trim();
        let word_end = head.find([' ', ':', '-', '—', '–']).unwrap_or(head.len());
        let Some(number) = milestone_number(&head[..word_end]) else {
            continue;
        };
        let title = head[word_end..]
            .trim_start_matches([' ', ':', '-', '—', '–'])
            .trim();
        let mut item = Item::new(
            ItemKind::Milestone,
            format!("M{number}"),
            heading.text_range,
        );
        item.range = section.range;
        item.title = outline.slice(title);
        item.fields = markdown::fields(&outline.base, section.range, &outline.ignored);
        let status = item
            .fields
            .iter()
            .find(|f| f.is("status"))
            .map(|f| (outline.slice_at(f.value_range), f.value_range));
        if let Some((value, range)) = status {
            item.progress = progress_of(&value);
            item.status = Some((value, range));
        }
        items.push(item);
    }
}

/// `M5` or `m05` into 5.
fn milestone_number(cell: &str) -> Option<u32> {
    let cell = cell.trim().trim_matches('*');
    let digits = cell.strip_prefix(['M', 'm'])?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// The brief's `Next task:` in its `Current Status` section.
pub(crate) fn parse_brief(text: &str, outline: &Outline, references: &mut Vec<Reference>) {
    let sections = markdown::sections(&outline.headings, text.len());
    let range = sections
        .iter()
        .find(|s| s.is_titled(text, "current status"))
        .map_or(TextRange::new(0, text.len()), |s| s.range);
    for field in markdown::fields(&outline.base, range, &outline.ignored) {
        if !field.is("next task") {
            continue;
        }
        let masked = markdown::masked(text, field.value_range, &outline.ignored);
        let mut found = Vec::new();
        refs::find_refs(
            &outline.base,
            &masked,
            field.value_range.start(),
            RefContext::Issue,
            RefRole::NextTask,
            None,
            &mut found,
        );
        references.extend(
            found
                .into_iter()
                .filter(|r| matches!(&r.target, Target::Id(id) if !id.starts_with('M')))
                .take(1),
        );
    }
}
