//! Issue files (`issues/<status>/<expert>-<type>-<NNN>.md`, formats.md §1)
//! and the parts of them that milestone specs share.

use std::sync::Arc;

use crate::analysis::model::{Item, ItemKind, RefRole, Reference, Target};
use crate::analysis::parse::markdown::{self, Outline};
use crate::analysis::parse::progress_of;
use crate::analysis::parse::refs::{self, RefContext};
use crate::analysis::slice::Slice;
use crate::analysis::text::TextRange;

/// Labels of the fields that hold dependencies.
pub(crate) const DEPENDENCY_LABELS: &[&str] = &[
    "dependencies",
    "depends on",
    "depends",
    "prerequisites",
    "blocked by",
];

pub(crate) fn is_dependency_label(label: &str) -> bool {
    let label = label.trim();
    DEPENDENCY_LABELS
        .iter()
        .any(|l| label.eq_ignore_ascii_case(l))
}

pub(crate) fn parse_issue(text: &str, outline: &Outline, stem: &str, folder: Option<&str>) -> Item {
    let whole = TextRange::new(0, text.len());
    let title = outline.headings.iter().find(|h| h.level == 1);
    let def_range = title.map_or(TextRange::empty(markdown::bom_len(text)), |h| h.text_range);
    let mut item = Item::new(ItemKind::Issue, stem.to_ascii_lowercase(), def_range);
    item.range = whole;
    item.title = title.map(|h| h.text.clone()).unwrap_or_default();
    item.sections = markdown::sections(&outline.headings, text.len());
    item.fields = markdown::fields(&outline.base, whole, &outline.ignored);
    item.criteria = criteria_of(&item, outline);
    fill_common(text, outline, &mut item, RefContext::Issue);
    // Moving a file to `done/` is the workflow's deliberate act of closing an
    // issue, so the folder wins over a stale Status; otherwise the field
    // decides and the folder fills in when it is missing.
    let folder_progress = folder.and_then(progress_of);
    if item.progress.is_none() || folder_progress == Some(crate::analysis::model::Progress::Done) {
        item.progress = folder_progress.or(item.progress);
    }
    item
}

/// The checklist items of the `Acceptance Criteria` section (or of the whole
/// file, for files that have no such section but do have checkboxes under
/// another name such as `Scope`).
pub(crate) fn criteria_of(
    item: &Item,
    outline: &Outline,
) -> Vec<crate::analysis::model::Criterion> {
    let section = item.sections.iter().find(|s| {
        s.title(&outline.base)
            .to_ascii_lowercase()
            .starts_with("acceptance criteria")
    });
    match section {
        Some(section) => outline
            .checkboxes
            .iter()
            .filter(|c| section.range.contains_range(c.box_range))
            .cloned()
            .collect(),
        None => Vec::new(),
    }
}

/// Status, milestone and dependencies from the item's fields.
pub(crate) fn fill_common(text: &str, outline: &Outline, item: &mut Item, context: RefContext<'_>) {
    let mut deps = Vec::new();
    for field in &item.fields {
        if field.is("status") && item.status.is_none() {
            item.status = Some((outline.slice_at(field.value_range), field.value_range));
            item.progress = progress_of(field.value(text));
        } else if field.is("milestone") && item.milestone.is_none() {
            item.milestone =
                milestone_reference(&outline.base, field.value_range, field.value(text))
                    .map(Box::new);
        } else if is_dependency_label(&field.label) {
            let masked = markdown::masked(text, field.value_range, &outline.ignored);
            refs::parse_dependency_value(
                &outline.base,
                &masked,
                field.value_range,
                context,
                &outline.rel,
                &outline.range_budget,
                &mut deps,
            );
            if item.deps_field.is_none() {
                item.deps_field = Some(field.value_range);
            }
        }
    }
    item.deps = deps;
}

/// A milestone as written in an issue: `M5`, `[Group] Title (M5)`, a bare
/// title, or `[Group]` alone. `none`, `—` and the like name no milestone.
pub(crate) fn milestone_reference(
    file: &Arc<str>,
    range: TextRange,
    value: &str,
) -> Option<Reference> {
    let value = value.trim();
    if refs::says_none(value) {
        return None;
    }
    let mut ids = Vec::new();
    refs::find_refs(
        file,
        value,
        range.start(),
        RefContext::Issue,
        RefRole::Milestone,
        None,
        &mut ids,
    );
    let explicit = ids
        .into_iter()
        .rfind(|r| r.target.as_id().is_some_and(|id| id.starts_with('M')));
    let target = match &explicit {
        Some(r) => r.target.clone(),
        None => Target::MilestoneTitle(value.to_string()),
    };
    let range = match (
        &explicit,
        value.starts_with(['M', 'm']) && explicit.is_some(),
    ) {
        (Some(r), true) if r.range.start() == range.start() => r.range,
        _ => range,
    };
    Some(Reference {
        target,
        written: Slice::new(file, range),
        range,
        role: RefRole::Milestone,
        expects: None,
    })
}
