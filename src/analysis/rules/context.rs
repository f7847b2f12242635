//! Workspace-wide facts the rules share, computed once per workspace
//! version: the dependency graph, its cycles, and issue numbers in use.

use std::collections::HashMap;

use crate::analysis::graph::Graph;
use crate::analysis::ids;
use crate::analysis::model::ItemKind;
use crate::analysis::workspace::{ItemLoc, Workspace};

pub struct Context {
    pub graph: Graph,
    /// Each cycle as node indices, in walk order.
    pub cycles: Vec<Vec<usize>>,
    /// Node index to the cycle it belongs to.
    pub cycle_of: HashMap<usize, usize>,
    /// Issue number to the issues that use it, when more than one does.
    pub shared_numbers: HashMap<u32, Vec<ItemLoc>>,
    /// Issue number to the IDs of the issues that use it.
    pub by_number: HashMap<u32, Vec<String>>,
}

impl Context {
    pub fn new(ws: &Workspace) -> Context {
        let graph = Graph::build(ws);
        let cycles = graph.cycles();
        let mut cycle_of = HashMap::new();
        for (c, cycle) in cycles.iter().enumerate() {
            for &node in cycle {
                cycle_of.insert(node, c);
            }
        }
        let mut numbers: HashMap<u32, Vec<ItemLoc>> = HashMap::new();
        for file in ws.files() {
            for (index, item) in file.facts.items.iter().enumerate() {
                if item.kind != ItemKind::Issue {
                    continue;
                }
                if let Some(parts) = ids::issue_parts(&item.id) {
                    numbers.entry(parts.number).or_default().push(ItemLoc {
                        rel: file.rel.clone(),
                        index,
                    });
                }
            }
        }
        let by_number = numbers
            .iter()
            .map(|(&n, locs)| {
                (
                    n,
                    locs.iter().map(|loc| ws.item_at(loc).id.clone()).collect(),
                )
            })
            .collect();
        numbers.retain(|_, locs| locs.len() > 1);
        Context {
            graph,
            cycles,
            cycle_of,
            shared_numbers: numbers,
            by_number,
        }
    }

    /// Whether the item with this ID is done (unknown IDs are not).
    pub fn is_done(&self, id: &str) -> bool {
        self.graph
            .index
            .get(id)
            .is_some_and(|&i| self.graph.nodes[i].done)
    }
}
