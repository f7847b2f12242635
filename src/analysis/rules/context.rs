//! Workspace-wide facts the rules share, computed once per workspace
//! version (or updated from the previous version's after an edit that kept
//! every ID): the dependency graph, its cycles, issue numbers in use and
//! the compiled vague phrases.

use rustc_hash::FxHashMap;
use std::sync::Arc;

use crate::analysis::graph::Graph;
use crate::analysis::ids;
use crate::analysis::intern::{AsId, Id};
use crate::analysis::model::{FileKind, ItemKind};
use crate::analysis::rules::VagueMatcher;
use crate::analysis::workspace::{ItemLoc, SourceFile, Workspace};

pub struct Context {
    pub graph: Graph,
    /// Each cycle as node indices, in walk order.
    pub cycles: Vec<Vec<usize>>,
    /// Node index to the cycle it belongs to.
    pub cycle_of: FxHashMap<usize, usize>,
    /// Issue number to the issues that use it, when more than one does.
    pub shared_numbers: Arc<FxHashMap<u32, Vec<ItemLoc>>>,
    /// Issue number to the IDs of the issues that use it.
    pub by_number: Arc<FxHashMap<u32, Vec<Id>>>,
    /// The `vague-criterion` phrases of the configuration.
    pub vague: Arc<VagueMatcher>,
}

impl Context {
    pub fn new(ws: &Workspace) -> Context {
        // The graph and the issue numbers read the workspace alone: they are
        // made in parallel.
        let ((graph, cycles), (by_number, numbers)) = rayon::join(
            || {
                let graph = Graph::build(ws);
                let cycles = graph.cycles();
                (graph, cycles)
            },
            || issue_numbers(ws),
        );
        Context {
            cycle_of: cycle_index(&cycles),
            graph,
            cycles,
            shared_numbers: Arc::new(numbers),
            by_number: Arc::new(by_number),
            vague: Arc::new(VagueMatcher::new(ws.config())),
        }
    }

    /// The context of `ws`, which differs from the workspace this context
    /// was made for only in the files `changed` (before, after), made by
    /// updating this one: only the changed items' nodes are rebuilt and
    /// only the cycles they can reach are searched again. `None` when the
    /// change is not of that kind (an ID, kind or parent changed, an item
    /// is defined twice, a roadmap or a stories index changed): then use [`Context::new`].
    /// Same configuration assumed.
    pub fn updated(
        &self,
        ws: &Workspace,
        changed: &[(&SourceFile, &SourceFile)],
    ) -> Option<Context> {
        for (before, after) in changed {
            if before.facts.kind != after.facts.kind
                || after.facts.kind == FileKind::Roadmap
                || after.facts.kind == FileKind::StoryIndex
                || before.facts.items.len() != after.facts.items.len()
            {
                return None;
            }
            for (a, b) in before.facts.items.iter().zip(&after.facts.items) {
                if (a.kind, &a.id, &a.aliases, &a.parent) != (b.kind, &b.id, &b.aliases, &b.parent)
                {
                    return None;
                }
                let once = |id: &Id| ws.definitions(id).len() == 1;
                if !once(&b.id) || !b.aliases.iter().all(once) {
                    return None;
                }
            }
        }
        let after: Vec<&SourceFile> = changed.iter().map(|(_, after)| *after).collect();
        let graph = self.graph.with_items_replaced(ws, &after)?;
        let touched: Vec<usize> = after
            .iter()
            .flat_map(|f| &f.facts.items)
            .filter_map(|item| graph.index.get(&item.id).copied())
            .collect();
        // Cycles change only among the nodes the changed ones reach now or
        // shared a cycle with before; the others keep theirs.
        let mut roots = touched.clone();
        for node in &touched {
            if let Some(&c) = self.cycle_of.get(node) {
                roots.extend(&self.cycles[c]);
            }
        }
        let (mut cycles, reached) = graph.cycles_from(roots);
        cycles.extend(
            self.cycles
                .iter()
                .filter(|cycle| !reached[cycle[0]])
                .cloned(),
        );
        graph.sort_cycles(&mut cycles);
        Some(Context {
            cycle_of: cycle_index(&cycles),
            graph,
            cycles,
            shared_numbers: self.shared_numbers.clone(),
            by_number: self.by_number.clone(),
            vague: self.vague.clone(),
        })
    }

    /// Whether the item with this ID is done (unknown IDs are not).
    pub fn is_done(&self, id: &(impl AsId + ?Sized)) -> bool {
        self.graph
            .node_of(id)
            .is_some_and(|i| self.graph.nodes[i].done)
    }
}

/// Node index to the index of the cycle it is in.
fn cycle_index(cycles: &[Vec<usize>]) -> FxHashMap<usize, usize> {
    let mut cycle_of = FxHashMap::default();
    for (c, cycle) in cycles.iter().enumerate() {
        for &node in cycle {
            cycle_of.insert(node, c);
        }
    }
    cycle_of
}

/// Issue numbers to IDs, and the places of a number only when several
/// issues share it (rare), so the common case copies no paths.
fn issue_numbers(ws: &Workspace) -> (FxHashMap<u32, Vec<Id>>, FxHashMap<u32, Vec<ItemLoc>>) {
    let mut by_number: FxHashMap<u32, Vec<Id>> = FxHashMap::default();
    for file in ws.sorted_files() {
        for item in &file.facts.items {
            if item.kind != ItemKind::Issue {
                continue;
            }
            if let Some(parts) = ids::issue_parts(&item.id) {
                by_number.entry(parts.number).or_default().push(item.id);
            }
        }
    }
    let mut numbers: FxHashMap<u32, Vec<ItemLoc>> = FxHashMap::default();
    if by_number.values().any(|ids| ids.len() > 1) {
        for file in ws.sorted_files() {
            for (index, item) in file.facts.items.iter().enumerate() {
                if item.kind != ItemKind::Issue {
                    continue;
                }
                let Some(parts) = ids::issue_parts(&item.id) else {
                    continue;
                };
                if by_number
                    .get(&parts.number)
                    .is_some_and(|ids| ids.len() > 1)
                {
                    numbers.entry(parts.number).or_default().push(ItemLoc {
                        rel: file.rel.clone(),
                        index,
                        id: item.id,
                    });
                }
            }
        }
    }
    (by_number, numbers)
}
