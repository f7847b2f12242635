//! Code lenses: above each item, its wave, how many items it blocks and how
//! many of its criteria are done.

use rustc_hash::FxHashMap;

use crate::analysis::features::{coverage_of_file, dependents_of, is_coverable, list, Derived};
use crate::analysis::model::ItemKind;
use crate::analysis::text::TextRange;
use crate::analysis::workspace::Workspace;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lens {
    /// The item's name (its title, task heading or roadmap cell).
    pub range: TextRange,
    pub id: String,
    /// `wave 2 · blocks 3 · 1/4 criteria`.
    pub title: String,
    /// The IDs of the items that depend on this one.
    pub blocks: Vec<String>,
}

/// A lens for every item of the file `rel`.
pub fn code_lenses(ws: &Workspace, derived: &Derived, rel: &str) -> Vec<Lens> {
    let Some(file) = ws.file(rel) else {
        return Vec::new();
    };
    let coverage = coverage_of_file(ws, file);
    let traced = coverage.iter().any(|by| !by.is_empty());
    // Each coverable item's place in the file, by the ID of its parent.
    let mut children: FxHashMap<&str, Vec<usize>> = FxHashMap::default();
    for (at, item) in file.facts.items.iter().enumerate() {
        if let Some(parent) = item.parent.as_deref().filter(|_| is_coverable(item.kind)) {
            children.entry(parent).or_default().push(at);
        }
    }
    file.facts
        .items
        .iter()
        .enumerate()
        .filter_map(|(at, item)| {
            // Features, epics and phases only group work: no wave to show.
            if !item.kind.is_work() && !is_coverable(item.kind) {
                return None;
            }
            let blocks: Vec<String> = dependents_of(ws, item)
                .into_iter()
                .map(String::from)
                .collect();
            let mut parts = Vec::new();
            if is_coverable(item.kind) {
                let by: Vec<String> = coverage[at]
                    .iter()
                    .map(|i| i.number.clone().unwrap_or_else(|| i.id.to_string()))
                    .collect();
                let criteria: &[usize] = children.get(item.id.as_str()).map_or(&[], Vec::as_slice);
                let title = if !by.is_empty() {
                    format!("covered by {}", list(&by, 6))
                } else if item.kind == ItemKind::Criterion || (criteria.is_empty() && traced) {
                    "not covered".to_string()
                } else if criteria.is_empty() {
                    return None;
                } else {
                    // A requirement is covered through its criteria.
                    let covered = criteria
                        .iter()
                        .filter(|&&c| !coverage[c].is_empty())
                        .count();
                    format!("{covered}/{} criteria covered", criteria.len())
                };
                return Some(Lens {
                    range: item.def_range,
                    id: item.id.to_string(),
                    title,
                    blocks,
                });
            }
            if item.kind != ItemKind::Milestone {
                parts.push(if derived.is_dropped(&item.id) {
                    "dropped".to_string()
                } else if derived.is_done(&item.id) {
                    "done".to_string()
                } else if derived.blocked(&item.id).is_some() {
                    "blocked".to_string()
                } else {
                    match derived.wave_of(&item.id) {
                        Some(w) => format!("wave {w}"),
                        None => "no wave".to_string(),
                    }
                });
            }
            parts.push(format!("blocks {}", blocks.len()));
            if !item.criteria.is_empty() {
                parts.push(format!(
                    "{}/{} criteria",
                    item.criteria_done(),
                    item.criteria.len()
                ));
            }
            Some(Lens {
                range: item.def_range,
                id: item.id.to_string(),
                title: parts.join(" · "),
                blocks,
            })
        })
        .collect()
}
