//! Editing intelligence: completion, hover, navigation, rename, symbols,
//! folding, code lenses, inlay hints and semantic tokens, as plain functions
//! from a workspace, a file and a byte offset to plain data with byte ranges.
//!
//! Requests never scan the whole workspace (workspace symbols and the ID
//! candidates of completion aside): they read the ID index of [`Workspace`]
//! and the facts in [`Derived`], which the caller makes once per workspace
//! version, next to the rules' [`Context`].

pub mod completion;
pub mod folding;
pub mod hover;
pub mod inlay;
pub mod lens;
pub mod navigation;
pub mod rename;
pub mod semantic;
pub mod symbols;
mod tally;

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, OnceLock};

use crate::analysis::intern::{AsId, Id};
use crate::analysis::model::{FileKind, Item, ItemKind, RefRole, Reference, Target};
use crate::analysis::plan::{self, Plan};
use crate::analysis::rules::Context;
use crate::analysis::text::{floor_char_boundary, TextRange};
use crate::analysis::workspace::{SourceFile, Workspace};
use tally::Tally;

/// A range in a file of the workspace.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FileRange {
    pub rel: String,
    pub range: TextRange,
}

/// Where a field's value is read from, for the values seen in the
/// workspace.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Scope {
    Issue,
    Story,
    Task,
}

/// Workspace-wide facts the editing features read, made once per workspace
/// version (after the rules' [`Context`]) and shared by every request.
/// After an edit, [`Derived::updated`] makes the next version's from the
/// last one, reading only the changed files.
pub struct Derived {
    ctx: Arc<Context>,
    /// The whole plan, made on first use (requests ask single items'
    /// waves, found from their dependencies alone) and shared with the
    /// previous version while the dependency graph is the same.
    planned: Arc<OnceLock<Plan>>,
    tally: Tally,
    /// Field values written in the workspace, by scope and lower-case
    /// label, most used first.
    seen: HashMap<(Scope, &'static str), Vec<String>>,
    /// The personas of user stories, most used first, with their counts.
    personas: Vec<(String, usize)>,
    /// Milestone IDs, in roadmap order.
    milestones: Arc<Vec<Id>>,
}

/// The labels whose values completion offers, as they are compared.
pub(crate) const VALUE_LABELS: &[&str] = &[
    "status",
    "type",
    "expert",
    "domain",
    "estimated effort",
    "milestone",
];

/// One file changed between two workspace versions: its facts before and
/// after (`None`: it was not, or is no longer, a parsed planning file).
pub type FileVersions<'a> = (Option<&'a SourceFile>, Option<&'a SourceFile>);

impl Derived {
    pub fn new(ws: &Workspace, ctx: Arc<Context>) -> Derived {
        let planned = Arc::new(OnceLock::new());
        let tally = Tally::new(ws);
        let mut milestones = Vec::new();
        for file in ws.files() {
            for item in &file.facts.items {
                if item.kind == ItemKind::Milestone {
                    milestones.push(item.id);
                }
            }
        }
        let mut seen_ids = BTreeSet::new();
        milestones.retain(|id| seen_ids.insert(*id));
        Derived {
            ctx,
            planned,
            seen: tally.seen(),
            personas: tally.personas(),
            tally,
            milestones: Arc::new(milestones),
        }
    }

    /// The facts of the workspace `ws` (with its `ctx`), made from those of
    /// the version before `changes`: the plan is kept when the context is
    /// the same, the tallies are updated from the changed files alone. A
    /// change to a roadmap or a milestone (titles resolve differently, the
    /// milestone list changes) makes them afresh.
    pub fn updated(
        previous: &Derived,
        ws: &Workspace,
        ctx: Arc<Context>,
        changes: &[FileVersions<'_>],
    ) -> Derived {
        let touches_milestones = changes.iter().any(|(before, after)| {
            [before, after].into_iter().flatten().any(|f| {
                f.facts.kind == FileKind::Roadmap
                    || f.facts.items.iter().any(|i| i.kind == ItemKind::Milestone)
            })
        });
        if touches_milestones {
            return Derived::new(ws, ctx);
        }
        let planned = if Arc::ptr_eq(&previous.ctx, &ctx) {
            previous.planned.clone()
        } else {
            Arc::new(OnceLock::new())
        };
        let mut tally = previous.tally.clone();
        for (before, after) in changes {
            if let Some(before) = before {
                tally.count(ws, before, false);
            }
            if let Some(after) = after {
                tally.count(ws, after, true);
            }
        }
        Derived {
            ctx,
            planned,
            seen: tally.seen(),
            personas: tally.personas(),
            tally,
            milestones: previous.milestones.clone(),
        }
    }

    /// The plan of the workspace's dependency graph, made on first use.
    pub fn plan(&self) -> &Plan {
        self.planned.get_or_init(|| plan::plan(&self.ctx.graph))
    }

    /// Where single items stand in the plan, from their dependencies.
    fn placement(&self) -> plan::Placement<'_> {
        plan::Placement::new(&self.ctx.graph, &self.ctx.cycles, &self.ctx.cycle_of)
    }

    /// Everything the features read, in a form tests compare.
    #[cfg(test)]
    pub(crate) fn summary(&self) -> String {
        let mut seen: Vec<_> = self.seen.iter().collect();
        seen.sort();
        let mut title_refs: Vec<_> = self.tally.title_refs.iter().collect();
        title_refs.sort();
        let by_id = plan::waves_by_id(self.plan());
        let mut waves: Vec<_> = by_id.iter().collect();
        waves.sort();
        // What requests see: each item placed from its dependencies, which
        // must agree with the whole plan.
        let mut placed: Vec<_> = self
            .ctx
            .graph
            .nodes
            .iter()
            .map(|n| (n.id.as_str(), self.wave_of(&n.id), self.blocked(&n.id)))
            .collect();
        placed.sort_by(|a, b| a.0.cmp(b.0));
        for (id, wave, blocked) in &placed {
            assert_eq!(*wave, by_id.get(*id).copied(), "wave of {id}");
            let listed = self.plan().blocked.iter().find(|b| &b.id == id);
            assert_eq!(blocked.as_ref(), listed, "blocked {id}");
        }
        format!(
            "seen {seen:?}\npersonas {:?}\nmilestones {:?}\ntitles {title_refs:?}\nwaves {waves:?}\nplan {:?}\nplaced {placed:?}",
            self.personas, self.milestones, self.plan()
        )
    }

    pub fn ctx(&self) -> &Context {
        &self.ctx
    }

    /// The wave (1-based) an item is in, when it is open and not blocked:
    /// found from the items it waits for, so that a request right after an
    /// edit plans no more than those.
    pub fn wave_of(&self, id: &(impl AsId + ?Sized)) -> Option<usize> {
        let node = self.ctx.graph.node_of(id)?;
        self.placement().wave(node)
    }

    /// Why an item is blocked, when it is (found as `wave_of` is).
    pub fn blocked(&self, id: &(impl AsId + ?Sized)) -> Option<plan::Blocked> {
        let node = self.ctx.graph.node_of(id)?;
        self.placement().blocked(node)
    }

    /// Whether the dependency graph counts the item as done.
    pub fn is_done(&self, id: &(impl AsId + ?Sized)) -> bool {
        self.ctx.is_done(id)
    }

    /// Whether the item's status says it was closed without being done.
    pub fn is_dropped(&self, id: &(impl AsId + ?Sized)) -> bool {
        let graph = &self.ctx.graph;
        graph.node_of(id).is_some_and(|i| graph.nodes[i].dropped)
    }

    /// Whether the item's status says work on it has started.
    pub fn in_progress(&self, id: &(impl AsId + ?Sized)) -> bool {
        let graph = &self.ctx.graph;
        graph
            .node_of(id)
            .is_some_and(|i| graph.nodes[i].in_progress)
    }

    pub(crate) fn seen(&self, scope: Scope, label: &'static str) -> &[String] {
        self.seen.get(&(scope, label)).map_or(&[], Vec::as_slice)
    }

    pub(crate) fn personas(&self) -> &[(String, usize)] {
        &self.personas
    }

    pub(crate) fn milestones(&self) -> &[Id] {
        &self.milestones
    }

    /// The files that name a milestone by its title rather than its ID.
    pub(crate) fn title_referrers(&self, id: &str) -> impl Iterator<Item = &str> {
        self.tally
            .title_refs
            .get(id)
            .into_iter()
            .flatten()
            .map(String::as_str)
    }
}

/// What the cursor is on: a reference to an item, or an item's own
/// definition (its title, task heading or roadmap row).
#[derive(Clone, Debug)]
pub(crate) struct Found<'a> {
    /// The part of the text that names the item.
    pub range: TextRange,
    /// The canonical ID, when the name resolves.
    pub id: Option<String>,
    /// The ID as the reference names it (canonical form, resolved or not).
    pub named: String,
    /// The reference, when the cursor is on one rather than a definition.
    pub reference: Option<&'a Reference>,
}

/// The reference or definition at `offset` in `file`.
pub(crate) fn found_at<'a>(
    ws: &Workspace,
    file: &'a SourceFile,
    offset: usize,
) -> Option<Found<'a>> {
    let offset = floor_char_boundary(&file.text, offset);
    // The references under the cursor (inside their text, or touching only
    // its end) with the first one's text: several when it is a range
    // (`1-3`, `QA-01..15`), one per ID it names, in order.
    let mut inside: Vec<Found<'a>> = Vec::new();
    let mut touching: Vec<Found<'a>> = Vec::new();
    for reference in file.facts.all_references() {
        if !reference.range.touches(offset) {
            continue;
        }
        let Some(span) = span_of(&file.text, reference) else {
            continue;
        };
        if !span.touches(offset) {
            continue;
        }
        let found = Found {
            range: span,
            id: ws.resolve(&reference.target).map(String::from),
            named: match &reference.target {
                Target::Id(id) => id.to_string(),
                Target::MilestoneTitle(title) => title.clone(),
            },
            reference: Some(reference),
        };
        // A cursor inside a name wins over one that only touches its end.
        let under = if span.start() <= offset && offset < span.end() {
            &mut inside
        } else {
            &mut touching
        };
        if under.first().is_none_or(|first| first.range == span) {
            under.push(found);
        }
    }
    for mut under in [inside, touching] {
        if under.len() > 1 && after_range_separator(&file.text, under[0].range, offset) {
            return under.pop();
        }
        if !under.is_empty() {
            return Some(under.swap_remove(0));
        }
    }
    let item = file
        .facts
        .items
        .iter()
        .find(|i| !i.def_range.is_empty() && i.def_range.touches(offset))?;
    Some(Found {
        range: item.def_range,
        id: Some(item.id.to_string()),
        named: item.id.to_string(),
        reference: None,
    })
}

/// Whether `offset` lies after the separator of the range written at
/// `span` (`-` in `1-3` and `6.1-6.4`, `..` in `QA-01..15`, ` to `), so
/// that the cursor names the range's last ID rather than its first.
fn after_range_separator(text: &str, span: TextRange, offset: usize) -> bool {
    let Some(written) = text.get(span.start()..span.end()) else {
        return false;
    };
    let lower = written.to_ascii_lowercase();
    let separator = ["..", " to ", " through ", " thru ", "–", "—"]
        .iter()
        .filter_map(|s| lower.find(s))
        .min()
        .or_else(|| lower.rfind('-'));
    separator.is_some_and(|at| offset > span.start() + at)
}

/// The part of a reference's text that names its target, or `None` for an
/// ID inside a range (`064` to `073` names `065` nowhere).
pub(crate) fn span_of(text: &str, reference: &Reference) -> Option<TextRange> {
    let id = match &reference.target {
        Target::MilestoneTitle(_) => return Some(reference.range),
        Target::Id(_) if reference.role == RefRole::Milestone => return Some(reference.range),
        Target::Id(id) => id,
    };
    let written = &text[reference.range.start()..reference.range.end()];
    if let Some(at) = find_word(written, id) {
        let start = reference.range.start() + at;
        return Some(TextRange::new(start, start + id.len()));
    }
    if is_range(written) {
        return None;
    }
    Some(reference.range)
}

/// Whether a reference's text is an `A through B` range.
pub(crate) fn is_range(written: &str) -> bool {
    let lower = written.to_ascii_lowercase();
    [" through ", " thru ", " to "]
        .iter()
        .any(|w| lower.contains(w))
}

/// The byte offset of `word` in `haystack`, compared without case, where it
/// is not part of a longer name.
pub(crate) fn find_word(haystack: &str, word: &str) -> Option<usize> {
    if word.is_empty() || word.len() > haystack.len() {
        return None;
    }
    let hay = haystack.as_bytes();
    let needle = word.as_bytes();
    (0..=hay.len() - needle.len()).find(|&at| {
        hay[at..at + needle.len()].eq_ignore_ascii_case(needle)
            && (at == 0 || !is_name_byte(hay[at - 1]))
            && !matches!(hay.get(at + needle.len()), Some(&b) if is_name_byte(b))
    })
}

fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

/// The innermost item whose extent holds `offset` (a task before its story).
pub(crate) fn item_at(file: &SourceFile, offset: usize) -> Option<&Item> {
    file.facts
        .items
        .iter()
        .filter(|i| i.range.touches(offset))
        .min_by_key(|i| i.range.len())
}

/// Whether `offset` lies in code or an HTML comment.
pub(crate) fn in_ignored(file: &SourceFile, offset: usize) -> bool {
    file.facts
        .ignored
        .iter()
        .any(|r| r.start() < offset && offset < r.end())
}

/// How an item's status reads: as written, or from its folder for an issue
/// without a Status field.
pub(crate) fn status_text(file: &SourceFile, item: &Item) -> Option<String> {
    match &item.status {
        Some((status, _)) => Some(status.to_string()),
        None if item.kind == ItemKind::Issue && file.facts.kind == FileKind::Issue => {
            file.facts.folder_status.clone()
        }
        None => None,
    }
}

/// Every ID an item answers to: its own and its aliases.
pub(crate) fn names_of(item: &Item) -> impl Iterator<Item = &str> {
    std::iter::once(item.id.as_str()).chain(item.aliases.iter().map(|alias| alias.as_str()))
}

/// Every name (ID and alias) of every definition of `ids`: only a
/// reference naming one of them can resolve to one of `ids`, so a set
/// lookup spares resolving each of the 100,000 rows of an index that
/// names one.
pub(crate) fn names_of_definitions<'a>(
    ws: &'a Workspace,
    ids: impl IntoIterator<Item = &'a str>,
) -> rustc_hash::FxHashSet<&'a str> {
    ids.into_iter()
        .flat_map(|id| ws.definitions(id))
        .flat_map(|loc| names_of(ws.item_at(loc)))
        .collect()
}

/// The IDs of the items that depend on `item`, in order, without repeats.
pub(crate) fn dependents_of(ws: &Workspace, item: &Item) -> Vec<Id> {
    let set: BTreeSet<Id> = names_of(item)
        .flat_map(|name| ws.dependents(name))
        .filter(|&d| d != item.id)
        .collect();
    set.into_iter().collect()
}

/// The items that say they satisfy `item` (a criterion or requirement),
/// directly or through its requirement, in path order, found through the
/// files that refer to it; then those that satisfy everything of its file
/// without naming it (a Kiro task covering `All`).
pub(crate) fn covered_by<'a>(ws: &'a Workspace, item: &'a Item) -> Vec<&'a Item> {
    let names: Vec<&str> = std::iter::once(item.id.as_str())
        .chain(item.parent.as_deref())
        .collect();
    let files: BTreeSet<&str> = names.iter().flat_map(|n| ws.referrers(n)).collect();
    let mut by: Vec<&Item> = files
        .into_iter()
        .filter_map(|rel| ws.file(rel))
        .flat_map(|f| &f.facts.items)
        .filter(|i| {
            i.covers.iter().any(|r| {
                r.target
                    .as_id()
                    .is_some_and(|id| names.contains(&id) && ws.resolve_str(&r.target).is_some())
            })
        })
        .collect();
    if let Some((file, _)) = ws.item(&item.id) {
        for every in crate::analysis::dialect::covers_every(ws, file) {
            if !by.iter().any(|known| std::ptr::eq(*known, every)) {
                by.push(every);
            }
        }
    }
    by
}

/// Whether anything covers an item of `file`: only then does an uncovered
/// requirement or criterion say so (OpenSpec's requirements are covered by
/// nothing, by design; a BMAD story whose tasks name no criterion yet has
/// nothing to tell).
pub(crate) fn is_traced(ws: &Workspace, file: &SourceFile) -> bool {
    coverage_of_file(ws, file).iter().any(|by| !by.is_empty())
}

/// What covers each item of `file` (see [`covered_by`]; empty for an item
/// that cannot be covered), in the order of the file's items, found with
/// one pass over the files that refer to them: asked item by item, a
/// requirements file of 200 criteria read its task list 200 times.
pub(crate) fn coverage_of_file<'a>(ws: &'a Workspace, file: &'a SourceFile) -> Vec<Vec<&'a Item>> {
    let items = &file.facts.items;
    let names_of_item =
        |item: &'a Item| std::iter::once(item.id.as_str()).chain(item.parent.as_deref());
    let names: rustc_hash::FxHashSet<&str> = items
        .iter()
        .filter(|i| is_coverable(i.kind))
        .flat_map(names_of_item)
        .collect();
    let files: BTreeSet<&str> = names.iter().flat_map(|n| ws.referrers(n)).collect();
    // The covering items in path order, and for each name the places in
    // that order of the items covering it.
    let mut coverers: Vec<&Item> = Vec::new();
    let mut covering: rustc_hash::FxHashMap<&str, Vec<usize>> = Default::default();
    for other in files.into_iter().filter_map(|rel| ws.file(rel)) {
        for candidate in &other.facts.items {
            let mut place = None;
            for reference in &candidate.covers {
                let Some(id) = reference.target.as_id() else {
                    continue;
                };
                if !names.contains(id) || ws.resolve_str(&reference.target).is_none() {
                    continue;
                }
                let at = *place.get_or_insert_with(|| {
                    coverers.push(candidate);
                    coverers.len() - 1
                });
                covering.entry(id).or_default().push(at);
            }
        }
    }
    let every = crate::analysis::dialect::covers_every(ws, file);
    items
        .iter()
        .map(|item| {
            if !is_coverable(item.kind) {
                return Vec::new();
            }
            let mut at: Vec<usize> = names_of_item(item)
                .flat_map(|name| covering.get(name).into_iter().flatten().copied())
                .collect();
            at.sort_unstable();
            at.dedup();
            let mut by: Vec<&Item> = at.into_iter().map(|i| coverers[i]).collect();
            for all in &every {
                if !by.iter().any(|known| std::ptr::eq(*known, *all)) {
                    by.push(all);
                }
            }
            by
        })
        .collect()
}

/// Whether other items can say they satisfy items of this kind.
pub(crate) fn is_coverable(kind: ItemKind) -> bool {
    matches!(kind, ItemKind::Criterion | ItemKind::Requirement)
}

/// `a, b, c` with at most `limit` entries, then `and N more`.
pub(crate) fn list(ids: &[impl AsRef<str>], limit: usize) -> String {
    let mut out: Vec<String> = ids
        .iter()
        .take(limit)
        .map(|id| id.as_ref().to_string())
        .collect();
    if ids.len() > limit {
        out.push(format!("and {} more", ids.len() - limit));
    }
    out.join(", ")
}
