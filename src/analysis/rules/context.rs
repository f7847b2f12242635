//! Workspace-wide facts the rules share, computed once per workspace
//! version (or updated from the previous version's after an edit that kept
//! every ID): the dependency graph, its cycles, issue numbers in use and
//! the compiled vague phrases.

use rustc_hash::FxHashMap;
use std::sync::Arc;

use crate::analysis::graph::{Graph, Titles};
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
    pub by_number: Arc<IssueNumbers>,
    /// The `vague-criterion` phrases of the configuration.
    pub vague: Arc<VagueMatcher>,
}

impl Context {
    pub fn new(ws: &Workspace) -> Context {
        Context::new_with(ws, Titles::Keep)
    }

    /// [`Context::new`], keeping or leaving out the graph's titles: the
    /// rules read none, completion reads every one.
    pub fn new_with(ws: &Workspace, titles: Titles) -> Context {
        // The graph and the issue numbers read the workspace alone: they are
        // made in parallel.
        let ((graph, cycles), (by_number, numbers)) = rayon::join(
            || {
                let graph = Graph::build_with(ws, titles);
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

/// The issue numbers in use, each with the IDs of the issues that use it
/// in path order. A sorted list of pairs is 16 bytes an issue, where a
/// map of lists took 60 at 100,000 issues.
#[derive(Debug, Default)]
pub struct IssueNumbers(Vec<(u32, Id)>);

impl IssueNumbers {
    /// The IDs of the issues numbered `number`, in path order.
    pub fn ids(&self, number: u32) -> impl Iterator<Item = Id> + '_ {
        let start = self.0.partition_point(|&(n, _)| n < number);
        self.0[start..]
            .iter()
            .take_while(move |&&(n, _)| n == number)
            .map(|&(_, id)| id)
    }

    /// The highest number in use.
    pub fn max(&self) -> Option<u32> {
        self.0.last().map(|&(n, _)| n)
    }

    /// Whether some number is used by more than one issue.
    fn any_shared(&self) -> bool {
        self.0.windows(2).any(|pair| pair[0].0 == pair[1].0)
    }

    fn is_shared(&self, number: u32) -> bool {
        self.ids(number).nth(1).is_some()
    }
}

/// Issue numbers to IDs, and the places of a number only when several
/// issues share it (rare), so the common case copies no paths.
fn issue_numbers(ws: &Workspace) -> (IssueNumbers, FxHashMap<u32, Vec<ItemLoc>>) {
    let mut pairs: Vec<(u32, Id)> = Vec::new();
    for file in ws.sorted_files() {
        for item in &file.facts.items {
            if item.kind != ItemKind::Issue {
                continue;
            }
            if let Some(parts) = ids::issue_parts(&item.id) {
                pairs.push((parts.number, item.id));
            }
        }
    }
    // A stable sort keeps each number's issues in path order.
    pairs.sort_by_key(|&(number, _)| number);
    crate::analysis::compact::compact(&mut pairs);
    let by_number = IssueNumbers(pairs);
    let mut numbers: FxHashMap<u32, Vec<ItemLoc>> = FxHashMap::default();
    if by_number.any_shared() {
        for file in ws.sorted_files() {
            for (index, item) in file.facts.items.iter().enumerate() {
                if item.kind != ItemKind::Issue {
                    continue;
                }
                let Some(parts) = ids::issue_parts(&item.id) else {
                    continue;
                };
                if by_number.is_shared(parts.number) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issue_numbers_list_each_number_s_issues_in_path_order() {
        let ws = crate::analysis::fixture::workspace(
            "//- issues/backlog/swe-feature-007.md\n# A\n\
             //- issues/backlog/qa-feature-007.md\n# B\n\
             //- issues/done/swe-feature-002.md\n# C\n",
        )
        .workspace;
        let (numbers, shared) = issue_numbers(&ws);
        let ids = |n| numbers.ids(n).map(Id::as_str).collect::<Vec<_>>();
        assert_eq!(ids(7), ["qa-feature-007", "swe-feature-007"]);
        assert_eq!(ids(2), ["swe-feature-002"]);
        assert!(ids(3).is_empty() && ids(100).is_empty());
        assert_eq!(numbers.max(), Some(7));
        assert!(numbers.is_shared(7) && !numbers.is_shared(2));
        assert_eq!(shared.keys().copied().collect::<Vec<_>>(), [7]);
        assert_eq!(shared[&7].len(), 2);
    }
}
