//! Hover on a reference or an item's own title: what the item is, where it
//! stands, what it waits for and what waits for it.

use std::collections::BTreeSet;

use crate::analysis::features::symbols::shown_name;
use crate::analysis::features::{
    covered_by, dependents_of, found_at, is_coverable, is_traced, list, status_text, Derived,
};
use crate::analysis::intern::Id;
use crate::analysis::model::{Item, ItemKind, RefRole, Reference, Target};
use crate::analysis::text::TextRange;
use crate::analysis::workspace::{SourceFile, Workspace};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hover {
    /// The hovered name.
    pub range: TextRange,
    /// Markdown.
    pub markdown: String,
}

/// At most this many IDs are listed in one line.
const LIST_LIMIT: usize = 10;

/// The hover at `offset` in the file `rel`.
pub fn hover(ws: &Workspace, derived: &Derived, rel: &str, offset: usize) -> Option<Hover> {
    let file = ws.file(rel)?;
    let found = found_at(ws, file, offset)?;
    // An item its dialect took out of the plan (an archived Backlog.md
    // task), as `dangling-dependency` names it.
    let retired = || {
        let reference = found.reference.filter(|r| r.role == RefRole::Dependency)?;
        crate::analysis::dialect::retired_item(ws, file, reference.target.as_id()?)
    };
    let named = Shown::of(file).id(&found.named).to_string();
    let markdown = match found
        .id
        .as_deref()
        .and_then(|id| ws.item(id))
        .map(|(target_file, item)| (&**target_file, item))
        .or_else(|| archived_coverable(ws, file, found.reference?))
    {
        Some((target_file, item)) => describe(ws, derived, target_file, item),
        None => match retired() {
            // One carried out before it left the plan (a GSD plan of a
            // shipped milestone) is history, done.
            Some(retired) if retired.is_done() => format!(
                "**{}**\n\n✓ {} in `{}`: done, outside the plan.",
                named,
                capitalised(retired.state),
                retired.rel
            ),
            Some(retired) => format!(
                "**{}**\n\n⚠ {} in `{}`: the plan holds no item of this ID.",
                named,
                capitalised(retired.state),
                retired.rel
            ),
            None => match found.reference.map(|r| &r.target) {
                Some(Target::MilestoneTitle(title)) if ws.has_roadmap() => {
                    let sources = crate::analysis::rules::unknown_milestone::Sources::of(ws);
                    format!(
                        "⚠ No milestone named `{title}` is defined in {}.",
                        sources.place()
                    )
                }
                Some(Target::MilestoneTitle(title)) => {
                    format!(
                    "Milestone `{title}`: no roadmap defines milestones, so it cannot be checked."
                )
                }
                // What an item covers, where its dialect has nothing to judge
                // it by (see `DialectSpec::judges_reference`).
                _ if found.reference.is_some_and(|r| {
                    matches!(r.role, RefRole::Covers | RefRole::IndexRow)
                        && !crate::analysis::dialect::judges_reference(ws, file, r)
                }) =>
                {
                    format!(
                    "**{}**\n\nNo item of this ID is read here, and planmark cannot tell whether one is missing.",
                    named
                )
                }
                _ => match found.reference.and_then(|r| r.expects) {
                    Some(kind) => {
                        format!("**{named}**\n\n⚠ No {} has this ID.", kind.name())
                    }
                    None => format!(
                        "**{}**\n\n⚠ No issue, story, task or milestone has this ID.",
                        named
                    ),
                },
            },
        },
    };
    Some(Hover {
        range: found.range,
        markdown,
    })
}

/// The item that a reference to what an item covers names in the file its
/// dialect keeps it in now, when the plan defines it nowhere else: a GSD
/// requirement that only a shipped milestone's archived requirements
/// define, as `v1.0/INFRA-03`.
fn archived_coverable<'a>(
    ws: &'a Workspace,
    file: &SourceFile,
    reference: &Reference,
) -> Option<(&'a SourceFile, &'a Item)> {
    if reference.role != RefRole::Covers {
        return None;
    }
    let named = reference.target.as_id()?;
    let retired = crate::analysis::dialect::retired_item(ws, file, named)?;
    let holder: &SourceFile = ws.file(&retired.rel)?;
    let local = named.rsplit('/').next().unwrap_or(named);
    let item = holder.facts.items.iter().find(|item| {
        is_coverable(item.kind) && item.id.rsplit_once('/').is_some_and(|(_, l)| l == local)
    })?;
    Some((holder, item))
}

/// `text` with its first letter in capitals (`Archived`).
fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// How the hover writes the IDs of a file's project: without the
/// project's path that the dialect puts before them to keep two projects'
/// items apart (a BMAD story of `apps/a/` is `bmad-story-1.2`, as at the
/// root), which the hover says once instead.
struct Shown {
    project: String,
}

impl Shown {
    fn of(file: &SourceFile) -> Shown {
        Shown {
            project: crate::analysis::dialect::id_project(file),
        }
    }

    /// `id` as written in its project, when it is of the file's project.
    fn id<'a>(&self, id: &'a str) -> &'a str {
        if self.project.is_empty() {
            return id;
        }
        id.strip_prefix(self.project.as_str())
            .filter(|rest| !rest.is_empty())
            .unwrap_or(id)
    }

    fn ids(&self, ids: &[impl AsRef<str>]) -> Vec<String> {
        ids.iter()
            .map(|id| self.id(id.as_ref()).to_string())
            .collect()
    }
}

fn describe(ws: &Workspace, derived: &Derived, file: &SourceFile, item: &Item) -> String {
    let shown = Shown::of(file);
    let mut out = Vec::new();
    // An ID that ends with the title (OpenSpec's `tracking/Parcel
    // timeline`) says it already.
    let id = shown.id(&item.id);
    out.push(if shown_name(item) == *item.id {
        format!("**{id}**")
    } else {
        format!("**{id}** · {}", item.title.trim())
    });
    let mut facts = vec![item.kind.name().to_string()];
    if let Some(status) = status_text(file, item) {
        facts.push(format!("Status: {status}"));
    }
    if id != &*item.id {
        facts.push(format!(
            "Project: `{}`",
            shown.project.trim_end_matches('/')
        ));
    }
    if let Some(m) = &item.milestone {
        let named = match ws.resolve(&m.target) {
            Some(id) => id.to_string(),
            None => format!("{} ⚠ unknown", m.written.trim()),
        };
        facts.push(format!("Milestone: {named}"));
    }
    if let Some(effort) = item
        .field("estimated effort")
        .or_else(|| item.field("effort"))
    {
        facts.push(format!("Effort: {}", effort.value(&file.text)));
    }
    if !item.criteria.is_empty() {
        facts.push(format!(
            "Criteria: {}/{} done",
            item.criteria_done(),
            item.criteria.len()
        ));
    }
    out.push(facts.join(" · "));

    let mut deps: Vec<String> = Vec::new();
    for dep in &item.deps {
        let named = match ws.resolve(&dep.target) {
            Some(id) => id.to_string(),
            None => match dep.target.as_id() {
                Some(id) => match crate::analysis::dialect::retired_item(ws, file, id) {
                    Some(retired) if retired.is_done() => format!("{id} ✓ {}", retired.state),
                    Some(retired) => format!("{id} ⚠ {}", retired.state),
                    None => format!("{id} ⚠ missing"),
                },
                None => continue,
            },
        };
        let named = shown.id(&named).to_string();
        if !deps.contains(&named) {
            deps.push(named);
        }
    }
    let mut links = Vec::new();
    if !deps.is_empty() {
        links.push(format!("Depends on: {}", list(&deps, LIST_LIMIT)));
    }
    let dependents = dependents_of(ws, item);
    if !dependents.is_empty() {
        links.push(format!(
            "Depended on by: {}",
            list(&shown.ids(&dependents), LIST_LIMIT)
        ));
    }
    let covers: Vec<String> = item
        .covers
        .iter()
        .map(|r| match ws.resolve(&r.target) {
            Some(id) => shown.id(&id).to_string(),
            // Where its dialect has nothing to judge it by, as written.
            None if !crate::analysis::dialect::judges_reference(ws, file, r) => {
                r.written.to_string()
            }
            None => format!("{} ⚠ missing", r.written),
        })
        .collect();
    if !covers.is_empty() {
        links.push(format!("Covers: {}", list(&covers, LIST_LIMIT)));
    }
    if !links.is_empty() {
        out.push(links.join("  \n"));
    }

    if is_coverable(item.kind) {
        let by: Vec<&str> = covered_by(ws, item).iter().map(|i| i.id.as_str()).collect();
        // Where nothing covers any item of the file, "no task" says nothing.
        if !by.is_empty() {
            out.push(format!("Covered by {}", list(&shown.ids(&by), LIST_LIMIT)));
        } else if is_traced(ws, file) {
            out.push("Covered by no task".to_string());
        }
    } else if item.kind == ItemKind::Milestone {
        if let Some(members) = members(ws, derived, item) {
            out.push(members);
        }
    } else if item.kind.is_work() {
        out.push(standing(ws, derived, item, &shown));
    }
    out.join("\n\n")
}

/// Done, dropped, ready, waiting in a later wave, or blocked and why.
fn standing(ws: &Workspace, derived: &Derived, item: &Item, shown: &Shown) -> String {
    if derived.is_dropped(&item.id) {
        return "✗ Dropped: closed without being done".to_string();
    }
    if derived.is_done(&item.id) {
        return "✓ Done".to_string();
    }
    if let Some(blocked) = derived.blocked(&item.id) {
        return format!("⛔ Blocked: {}", blocked.reason);
    }
    let started = derived.in_progress(&item.id);
    match derived.wave_of(&item.id) {
        Some(1) if started => "Wave 1 · in progress".to_string(),
        Some(1) => "Wave 1 · ready to start".to_string(),
        Some(wave) => {
            let mut open: Vec<Id> = item
                .deps
                .iter()
                .filter_map(|d| ws.resolve(&d.target))
                .filter(|id| !derived.is_done(id))
                .collect();
            let mut seen = BTreeSet::new();
            open.retain(|id| seen.insert(*id));
            if open.is_empty() {
                format!("Wave {wave}")
            } else {
                format!(
                    "Wave {wave} · waits for {}",
                    list(&shown.ids(&open), LIST_LIMIT)
                )
            }
        }
        None => "Not in any wave".to_string(),
    }
}

/// The items that name a milestone as theirs, found through the files that
/// refer to it.
fn members(ws: &Workspace, derived: &Derived, milestone: &Item) -> Option<String> {
    let files: BTreeSet<&str> = ws
        .referrers(&milestone.id)
        .chain(derived.title_referrers(&milestone.id))
        .collect();
    let mut ids: Vec<&str> = files
        .into_iter()
        .filter_map(|rel| ws.file(rel))
        .flat_map(|f| &f.facts.items)
        .filter(|i| {
            i.milestone
                .as_ref()
                .is_some_and(|m| ws.resolve(&m.target).as_deref() == Some(milestone.id.as_str()))
        })
        .map(|i| i.id.as_str())
        .collect();
    if ids.is_empty() {
        return None;
    }
    ids.sort_unstable();
    ids.dedup();
    let dropped = ids.iter().filter(|id| derived.is_dropped(id)).count();
    let done = ids.iter().filter(|id| derived.is_done(id)).count() - dropped;
    let dropped = if dropped > 0 {
        format!(", {dropped} dropped")
    } else {
        String::new()
    };
    Some(format!(
        "{} {}, {done} done{dropped}: {}",
        ids.len(),
        if ids.len() == 1 { "item" } else { "items" },
        list(&ids, LIST_LIMIT)
    ))
}
