//! Inlay hints: after each dependency, the status of what it names; after
//! a criterion an item says it covers, a warning when there is none.

use crate::analysis::dialect;
use crate::analysis::features::{status_text, Derived};
use crate::analysis::intern::Id;
use crate::analysis::model::RefRole;
use crate::analysis::text::TextRange;
use crate::analysis::workspace::Workspace;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InlayHint {
    /// Where the hint goes: right after the reference (pad it on the left).
    pub offset: usize,
    /// `✓ done`, `backlog`, `⚠ missing`, or `2/3 done` after a range.
    pub label: String,
    /// The IDs the reference names.
    pub ids: Vec<String>,
}

/// The hints for the dependencies of the file `rel`, only those inside
/// `within` when given.
pub fn inlay_hints(
    ws: &Workspace,
    derived: &Derived,
    rel: &str,
    within: Option<TextRange>,
) -> Vec<InlayHint> {
    let Some(file) = ws.file(rel) else {
        return Vec::new();
    };
    let mut out: Vec<InlayHint> = Vec::new();
    // A range (`A through B`) is many references with one text: one hint.
    // The order a dialect's tasks run in (`dialect/order.rs`) is written
    // nowhere: its references have no text, and their hint at the end of
    // the waiting task's line names what it waits for, since the status
    // alone would read as the task's own.
    // Each group: its range, the IDs, and for an unwritten one their names.
    let mut groups: Vec<(TextRange, Vec<Id>, Vec<&str>)> = Vec::new();
    for item in &file.facts.items {
        for dep in &item.deps {
            if !matches!(dep.role, RefRole::Dependency | RefRole::MilestoneDependency)
                || within.is_some_and(|w| !w.contains_range(dep.range))
            {
                continue;
            }
            let Some(id) = dep.target.id() else {
                continue;
            };
            let name = dep.range.is_empty().then(|| dep.written.as_str());
            match groups.last_mut() {
                Some((range, ids, names)) if *range == dep.range => {
                    ids.push(id);
                    names.extend(name);
                }
                _ => groups.push((dep.range, vec![id], name.into_iter().collect())),
            }
        }
        // A criterion has no status of its own: what an item covers gets a
        // hint only when it names nothing, and its dialect can tell (see
        // `DialectSpec::judges_reference`).
        for covered in &item.covers {
            if within.is_some_and(|w| !w.contains_range(covered.range)) {
                continue;
            }
            if let Some(id) = covered.target.id() {
                if ws.resolve(&covered.target).is_none()
                    && dialect::judges_reference(ws, file, covered)
                {
                    groups.push((covered.range, vec![id], Vec::new()));
                }
            }
        }
    }
    groups.sort_by_key(|(range, _, _)| range.start());
    for (range, named, names) in groups {
        let resolved: Vec<Option<Id>> = named
            .iter()
            .map(|id| ws.resolve(&crate::analysis::model::Target::Id(*id)))
            .collect();
        let label = if let [one] = resolved.as_slice() {
            match one {
                // An item its dialect took out of the plan (an archived
                // Backlog.md task) is called what `dangling-dependency`
                // calls it.
                None => named
                    .first()
                    .and_then(|id| dialect::retired_item(ws, file, id.as_str()))
                    .map_or_else(
                        || "⚠ missing".to_string(),
                        |r| format!("{} {}", if r.is_done() { "✓" } else { "⚠" }, r.state),
                    ),
                Some(id) if derived.is_dropped(id) => "✗ dropped".to_string(),
                Some(id) if derived.is_done(id) => "✓ done".to_string(),
                Some(id) => ws
                    .item(id)
                    .and_then(|(f, item)| status_text(f, item))
                    .map_or_else(|| "open".to_string(), |s| s.to_lowercase()),
            }
        } else {
            let missing = resolved.iter().filter(|r| r.is_none()).count();
            let dropped = resolved
                .iter()
                .flatten()
                .filter(|id| derived.is_dropped(id))
                .count();
            let done = resolved
                .iter()
                .flatten()
                .filter(|id| derived.is_done(id))
                .count()
                - dropped;
            let mut label = format!("{done}/{} done", resolved.len());
            if dropped > 0 {
                label.push_str(&format!(" · {dropped} dropped"));
            }
            if missing > 0 {
                label.push_str(&format!(" · ⚠ {missing} missing"));
            }
            label
        };
        let label = if names.is_empty() {
            label
        } else {
            format!("after {}: {label}", names.join(", "))
        };
        out.push(InlayHint {
            offset: range.end(),
            label,
            ids: resolved
                .into_iter()
                .zip(named)
                .map(|(r, n)| r.unwrap_or(n).to_string())
                .collect(),
        });
    }
    out
}
