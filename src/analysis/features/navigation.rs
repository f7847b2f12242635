//! Navigation: go to an item's definition, find every reference to it, and
//! the links from each reference in a file to the file it names.

use std::collections::{BTreeSet, HashSet};

use crate::analysis::dialect;
use crate::analysis::features::{
    found_at, names_of, names_of_definitions, span_of, Derived, FileRange,
};
use crate::analysis::model::{RefRole, Target};
use crate::analysis::parse::trim_range;
use crate::analysis::text::TextRange;
use crate::analysis::workspace::{SourceFile, Workspace};

/// Where an item is defined.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NavTarget {
    pub rel: String,
    /// The item's whole extent in its file.
    pub range: TextRange,
    /// Its name there: the title, task heading or roadmap cell.
    pub focus: TextRange,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Definition {
    /// The name under the cursor.
    pub origin: TextRange,
    /// Every definition of the ID (more than one when it is duplicated).
    pub targets: Vec<NavTarget>,
}

/// The definition of the item named at `offset` in `rel`: where the plan
/// defines it, or, for a dependency on an item its dialect took out of the
/// plan (an archived Backlog.md task), the file that holds it now.
pub fn definition(ws: &Workspace, rel: &str, offset: usize) -> Option<Definition> {
    let file = ws.file(rel)?;
    let found = found_at(ws, file, offset)?;
    let Some(id) = found.id.as_deref() else {
        let reference = found
            .reference
            .filter(|r| matches!(r.role, RefRole::Dependency | RefRole::Covers))?;
        let named = reference.target.as_id()?;
        let retired = dialect::retired_item(ws, file, named)?;
        let holder = ws.file(&retired.rel)?;
        let (range, focus) = retired_place(holder, named);
        return Some(Definition {
            origin: found.range,
            targets: vec![NavTarget {
                rel: retired.rel,
                range,
                focus,
            }],
        });
    };
    let targets: Vec<NavTarget> = ws
        .definitions(id)
        .iter()
        .map(|loc| {
            let item = ws.item_at(loc);
            NavTarget {
                rel: loc.rel.to_string(),
                range: item.range,
                focus: item.def_range,
            }
        })
        .collect();
    (!targets.is_empty()).then_some(Definition {
        origin: found.range,
        targets,
    })
}

/// Where `holder`, the file that holds a retired item now, has the item
/// that `named` names: its item of that ID, or of that ID under an
/// archive's prefix (`v1.0/02-01` for `02-01`, `v1.0/INFRA-03` for
/// `INFRA-03`); else the line that mentions the ID (the roadmap's ticked
/// `- [x] 12-05-PLAN.md` of a plan whose file is gone); else its first
/// item; else its start.
fn retired_place(holder: &SourceFile, named: &str) -> (TextRange, TextRange) {
    let local = named.rsplit('/').next().unwrap_or(named);
    let same = |id: &str| id == named || id.rsplit_once('/').is_some_and(|(_, l)| l == local);
    if let Some(item) = holder.facts.items.iter().find(|i| same(&i.id)) {
        return (item.range, item.def_range);
    }
    if let Some(mention) = holder
        .facts
        .all_references()
        .find(|r| r.target.as_id() == Some(named))
    {
        let line = holder.line_index().line_of(mention.range.start());
        let whole = trim_range(&holder.text, holder.line_index().line_range(line));
        return (whole, mention.range);
    }
    holder
        .facts
        .items
        .first()
        .map_or((TextRange::empty(0), TextRange::empty(0)), |item| {
            (item.range, item.def_range)
        })
}

/// Every place that names the item at `offset` in `rel`, in path order,
/// with its definitions first when `include_declaration` is set. A
/// dangling ID finds the other places that name it.
pub fn references(
    ws: &Workspace,
    derived: &Derived,
    rel: &str,
    offset: usize,
    include_declaration: bool,
) -> Vec<FileRange> {
    let Some(file) = ws.file(rel) else {
        return Vec::new();
    };
    let Some(found) = found_at(ws, file, offset) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let (names, id): (Vec<String>, Option<&str>) = match found.id.as_deref() {
        Some(id) => {
            let names = ws
                .item(id)
                .map(|(_, item)| names_of(item).map(str::to_string).collect())
                .unwrap_or_else(|| vec![id.to_string()]);
            if include_declaration {
                for loc in ws.definitions(id) {
                    out.push(FileRange {
                        rel: loc.rel.to_string(),
                        range: ws.item_at(loc).def_range,
                    });
                }
            }
            (names, Some(id))
        }
        None => (vec![found.named.clone()], None),
    };
    let mut files: BTreeSet<&str> = names.iter().flat_map(|n| ws.referrers(n)).collect();
    if let Some(id) = id {
        files.extend(derived.title_referrers(id));
    }
    let every_name = names_of_definitions(ws, id);
    let mut found_refs = BTreeSet::new();
    for rel in files {
        let Some(file) = ws.file(rel) else {
            continue;
        };
        for reference in file.facts.all_references() {
            let hit = match (id, &reference.target) {
                (Some(_), Target::Id(named)) if !every_name.contains(named.as_str()) => false,
                (Some(id), target) => ws.resolve_str(target) == Some(id),
                (None, target) => target.as_id() == Some(found.named.as_str()),
            };
            if !hit {
                continue;
            }
            if let Some(range) = span_of(&file.text, reference) {
                found_refs.insert(FileRange {
                    rel: rel.to_string(),
                    range,
                });
            }
        }
    }
    out.extend(found_refs);
    out
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocumentLink {
    /// The reference.
    pub range: TextRange,
    /// The canonical ID it names.
    pub id: String,
    /// The file defining it, and the item's name there.
    pub target: FileRange,
}

/// A link for every reference in `rel` that names a known item.
pub fn document_links(ws: &Workspace, rel: &str) -> Vec<DocumentLink> {
    let Some(file) = ws.file(rel) else {
        return Vec::new();
    };
    let mut out: Vec<DocumentLink> = Vec::new();
    let mut seen = HashSet::new();
    for reference in file.facts.all_references() {
        let Some(range) = span_of(&file.text, reference) else {
            continue;
        };
        // An order the format implies is written nowhere: nothing to click.
        if range.is_empty() {
            continue;
        }
        let Some(id) = ws.resolve(&reference.target) else {
            continue;
        };
        let Some((target, item)) = ws.item(&id) else {
            continue;
        };
        if !seen.insert(range) {
            continue;
        }
        out.push(DocumentLink {
            range,
            id: id.to_string(),
            target: FileRange {
                rel: target.rel.to_string(),
                range: item.def_range,
            },
        });
    }
    out.sort_by_key(|l| l.range);
    out
}
