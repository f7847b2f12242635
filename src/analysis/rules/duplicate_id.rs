//! `duplicate-id`: two issues share a number, two files share an ID, or
//! two tasks share a number. The check and its fix (renumber the issue)
//! live here; the metadata is `Rule::DuplicateId` in `rule.rs`.

use crate::analysis::actions::{index_fix, join, next_issue_number, Action, Change};
use crate::analysis::features::rename;
use crate::analysis::ids;
use crate::analysis::model::{FileKind, ItemKind};
use crate::analysis::rules::context::Context;
use crate::analysis::rules::{Diagnostic, Related, Rule, Sink};
use crate::analysis::workspace::{SourceFile, Workspace};

/// How many other definitions a `duplicate-id` diagnostic lists.
const MAX_RELATED: usize = 20;

pub(crate) fn check(
    ws: &Workspace,
    ctx: &Context,
    file: &SourceFile,
    item: &crate::analysis::model::Item,
    sink: &mut Sink<'_>,
) {
    let defs = ws.definitions(&item.id);
    if defs.len() > 1 {
        if copied_with_its_owner(ws, file, item, defs.len())
            || crate::analysis::dialect::explains_duplicate(ws, file, item)
        {
            return;
        }
        let shown = crate::analysis::dialect::shown_id(file, &item.id, item);
        let related = defs
            .iter()
            .filter(|loc| !(loc.rel == file.rel && ws.item_at(loc).def_range == item.def_range))
            // Every copy is reported: listing all the others in each would
            // make 10,000 copies cost 10,000² related locations.
            .take(MAX_RELATED)
            .map(|loc| Related {
                rel: loc.rel.to_string(),
                range: ws.item_at(loc).def_range,
                message: format!("`{shown}` is also defined here"),
            })
            .collect();
        if let Some(d) = sink.push(
            Rule::DuplicateId,
            item.def_range,
            format!(
                "{} `{shown}` is defined {} times",
                item.kind.name(),
                defs.len()
            ),
        ) {
            d.related = related;
        }
        return;
    }
    if item.kind != ItemKind::Issue {
        return;
    }
    let Some(parts) = ids::issue_parts(&item.id) else {
        return;
    };
    let Some(sharing) = ctx.shared_numbers.get(&parts.number) else {
        return;
    };
    let others: Vec<_> = sharing
        .iter()
        .filter(|loc| ws.item_at(loc).id != item.id)
        .take(MAX_RELATED)
        .collect();
    if others.is_empty() {
        return;
    }
    let mut names: Vec<String> = others
        .iter()
        .map(|loc| format!("`{}`", ws.item_at(loc).id))
        .collect();
    // The item's ID is defined once here (a duplicate returned above), so
    // every other issue with the number is one of the others.
    let more = sharing.len().saturating_sub(1 + others.len());
    if more > 0 {
        names.push(format!("{more} more"));
    }
    let related = others
        .iter()
        .map(|loc| Related {
            rel: loc.rel.to_string(),
            range: ws.item_at(loc).def_range,
            message: format!("`{}` uses the same number", ws.item_at(loc).id),
        })
        .collect();
    if let Some(d) = sink.push(
        Rule::DuplicateId,
        item.def_range,
        format!(
            "issue number {} is also used by {}; issue numbers are unique across experts and types",
            parts.digits,
            names.join(", ")
        ),
    ) {
        d.related = related;
    }
}

/// Whether an item's copies come with copies of the item it belongs to: a
/// story written twice (`2.1.story.md` and `2.1.story.old.md`) repeats
/// every criterion and task in it, and a requirement pasted twice repeats
/// its criteria. Only the owner's copies are reported then: one finding
/// per copy says it all. The owner is the item's parent, or the item its
/// ID is written under (`bmad-story-2.1` of `bmad-story-2.1/ac-1`), when
/// it is defined in this file too and at least as many times. The owner's
/// own finding in this file keeps the file checked again after every
/// change to the graph (the rule is sticky), so the children's findings
/// come back with the owner's last copy gone.
fn copied_with_its_owner(
    ws: &Workspace,
    file: &SourceFile,
    item: &crate::analysis::model::Item,
    copies: usize,
) -> bool {
    let under = item.id.rsplit_once('/').map(|(owner, _)| owner);
    item.parent
        .as_deref()
        .into_iter()
        .chain(under)
        .any(|owner| {
            let defs = ws.definitions(owner);
            defs.len() >= copies && defs.iter().any(|loc| loc.rel == file.rel)
        })
}

/// Its fix: the issue gets the next free number.
pub(crate) fn fixes(
    ws: &Workspace,
    ctx: &Context,
    file: &SourceFile,
    d: &Diagnostic,
) -> Vec<Action> {
    let Some(item) = file
        .facts
        .items
        .iter()
        .find(|i| i.def_range == d.range && i.kind == ItemKind::Issue)
    else {
        return Vec::new();
    };
    let Some(parts) = ids::issue_parts(&item.id) else {
        return Vec::new();
    };
    if file.facts.kind != FileKind::Issue {
        return Vec::new();
    }
    let number = next_issue_number(ws);
    let new_id = ids::issue_id(parts.expert, parts.kind, number);
    let title = format!("Renumber this issue to `{new_id}`");
    let Some((dir, _)) = file.rel.rsplit_once('/') else {
        return Vec::new();
    };
    let to = join(dir, &format!("{new_id}.md"));
    if ws.definitions(&item.id).len() > 1 {
        // The same ID twice: references cannot tell the copies apart, so
        // they stay with the other copy; this one gets a new name and row.
        let mut changes = vec![Change::RenameFile {
            from: file.rel.to_string(),
            to: to.clone(),
        }];
        let mut values = index_fix::RowValues::of(file, item);
        values.id = new_id.clone();
        changes.extend(index_fix::add_row(ws, &to, &values, Some(&item.id)));
        changes.extend(index_fix::hand_over_row(ws, file, item));
        let changes = crate::analysis::actions::merge(changes);
        return vec![Action::fix(title, d, changes)];
    }
    match rename::rename(ws, ctx, &file.rel, item.def_range.start(), &new_id) {
        Ok(result) => {
            let mut changes: Vec<Change> = Vec::new();
            for e in result.edits {
                changes.push(Change::Edit {
                    rel: e.rel,
                    edits: vec![(e.range, e.new_text)],
                });
            }
            let mut changes = crate::analysis::actions::merge(changes);
            changes.extend(result.file_renames.into_iter().map(|r| Change::RenameFile {
                from: r.old_rel,
                to: r.new_rel,
            }));
            vec![Action::fix(title, d, changes)]
        }
        Err(_) => Vec::new(),
    }
}
