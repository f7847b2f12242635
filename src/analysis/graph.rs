//! The dependency graph of every item, and its strongly connected
//! components (cycles), found without recursion so deep chains are safe.

use std::collections::{HashMap, HashSet};

use crate::analysis::config::Weights;
use crate::analysis::model::{Item, ItemKind, Progress};
use crate::analysis::workspace::Workspace;

#[derive(Clone, Debug)]
pub struct Node {
    pub id: String,
    pub kind: ItemKind,
    pub title: String,
    pub done: bool,
    /// The status says work has started (and it is not done).
    pub in_progress: bool,
    pub weight: f64,
    /// Indices of the nodes this one waits for, without repeats.
    pub deps: Vec<usize>,
    /// Dependency IDs that name no known item.
    pub dangling: Vec<String>,
}

#[derive(Clone, Debug, Default)]
pub struct Graph {
    pub nodes: Vec<Node>,
    pub index: HashMap<String, usize>,
}

impl Graph {
    /// Builds the graph from the workspace. Items defined twice appear once,
    /// from their first definition. A task also waits for its story's
    /// dependencies, and a story with tasks waits for its tasks.
    pub fn build(ws: &Workspace) -> Graph {
        let weights = &ws.config().weights;
        let mut graph = Graph::default();
        let mut items: Vec<&Item> = Vec::new();
        for (_, item) in ws.items() {
            if graph.index.contains_key(&item.id) {
                continue;
            }
            graph.index.insert(item.id.clone(), graph.nodes.len());
            items.push(item);
            graph.nodes.push(Node {
                id: item.id.clone(),
                kind: item.kind,
                title: item.title.clone(),
                done: false,
                in_progress: false,
                weight: 0.0,
                deps: Vec::new(),
                dangling: Vec::new(),
            });
        }
        let mut tasks_of: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, item) in items.iter().enumerate() {
            if let Some(parent) = &item.parent {
                tasks_of.entry(parent.as_str()).or_default().push(i);
            }
        }
        for (i, item) in items.iter().enumerate() {
            let mut deps = Vec::new();
            let mut dangling = Vec::new();
            // Sets beside the lists keep the dedup linear for an item with
            // tens of thousands of dependencies.
            let mut seen_deps = HashSet::new();
            let mut seen_dangling = HashSet::new();
            let story_deps = item
                .parent
                .as_deref()
                .and_then(|p| graph.index.get(p))
                .map(|&p| &items[p].deps[..])
                .unwrap_or(&[]);
            for dep in item.deps.iter().chain(story_deps) {
                let Some(id) = dep.target.as_id() else {
                    continue;
                };
                match ws
                    .resolve(&dep.target)
                    .and_then(|id| graph.index.get(&id).copied())
                {
                    Some(j) if seen_deps.insert(j) => deps.push(j),
                    Some(_) => {}
                    None if seen_dangling.insert(id) => dangling.push(id.to_string()),
                    None => {}
                }
            }
            let tasks = tasks_of
                .get(item.id.as_str())
                .map_or(&[][..], Vec::as_slice);
            if item.kind == ItemKind::Story {
                deps.extend(tasks.iter().copied().filter(|&t| t != i));
            }
            let done = match item.progress {
                Some(Progress::Done) => true,
                _ if item.kind == ItemKind::Story && !tasks.is_empty() => tasks
                    .iter()
                    .all(|&t| items[t].progress == Some(Progress::Done)),
                _ => false,
            };
            let node = &mut graph.nodes[i];
            node.deps = deps;
            node.dangling = dangling;
            node.done = done;
            node.in_progress = !done && item.progress == Some(Progress::InProgress);
            node.weight = weight_of(item, !tasks.is_empty(), weights);
        }
        graph
    }

    /// Every strongly connected component of more than one node, and every
    /// node that depends on itself, each in a stable order: the cycle starts
    /// at its smallest ID and follows dependency edges where it can.
    pub fn cycles(&self) -> Vec<Vec<usize>> {
        let mut out: Vec<Vec<usize>> = strongly_connected(self)
            .into_iter()
            .filter(|scc| scc.len() > 1 || self.nodes[scc[0]].deps.contains(&scc[0]))
            .map(|scc| self.order_cycle(scc))
            .collect();
        out.sort_by(|a, b| self.nodes[a[0]].id.cmp(&self.nodes[b[0]].id));
        out
    }

    /// Orders a component as a walk along its edges from its smallest ID.
    fn order_cycle(&self, scc: Vec<usize>) -> Vec<usize> {
        let start = *scc
            .iter()
            .min_by(|&&a, &&b| self.nodes[a].id.cmp(&self.nodes[b].id))
            .expect("non-empty");
        let mut order = vec![start];
        let mut current = start;
        while order.len() < scc.len() {
            let next = self.nodes[current]
                .deps
                .iter()
                .copied()
                .filter(|d| scc.contains(d) && !order.contains(d))
                .min_by(|&a, &b| self.nodes[a].id.cmp(&self.nodes[b].id));
            match next {
                Some(n) => {
                    order.push(n);
                    current = n;
                }
                None => {
                    // The walk hit a dead end inside the component: add the
                    // rest in ID order so every member is still listed.
                    let mut rest: Vec<_> =
                        scc.iter().copied().filter(|n| !order.contains(n)).collect();
                    rest.sort_by(|&a, &b| self.nodes[a].id.cmp(&self.nodes[b].id));
                    order.extend(rest);
                }
            }
        }
        order
    }
}

fn weight_of(item: &Item, has_tasks: bool, weights: &Weights) -> f64 {
    match item.kind {
        ItemKind::Milestone => 0.0,
        ItemKind::Story if has_tasks => 0.0,
        ItemKind::Task => weights.task,
        _ => {
            let effort = item
                .field("estimated effort")
                .or_else(|| item.field("effort"));
            match effort.map(|f| f.value.to_ascii_lowercase()) {
                Some(v) if v.starts_with("small") => weights.small,
                Some(v) if v.starts_with("medium") => weights.medium,
                Some(v) if v.starts_with("large") => weights.large,
                _ => weights.unknown,
            }
        }
    }
}

/// Tarjan's algorithm with an explicit stack.
fn strongly_connected(graph: &Graph) -> Vec<Vec<usize>> {
    let n = graph.nodes.len();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut out = Vec::new();
    let mut counter = 0;
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        let mut call: Vec<(usize, usize)> = vec![(root, 0)];
        index[root] = counter;
        low[root] = counter;
        counter += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&mut (v, ref mut next)) = call.last_mut() {
            if let Some(&w) = graph.nodes[v].deps.get(*next) {
                *next += 1;
                if index[w] == usize::MAX {
                    index[w] = counter;
                    low[w] = counter;
                    counter += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    call.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            call.pop();
            if let Some(&(parent, _)) = call.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                let mut component = Vec::new();
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    component.push(w);
                    if w == v {
                        break;
                    }
                }
                out.push(component);
            }
        }
    }
    out
}
