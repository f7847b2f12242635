//! Execution waves, ready and blocked items, and the critical path
//! (`seeds/milestone-waves-to-prs.md`).

use std::collections::{HashMap, VecDeque};

use crate::analysis::graph::Graph;
use crate::analysis::model::ItemKind;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Plan {
    /// Wave 1 first; each wave in ID order.
    pub waves: Vec<Vec<String>>,
    pub ready: Vec<String>,
    pub blocked: Vec<Blocked>,
    pub cycles: Vec<Vec<String>>,
    pub critical_path: CriticalPath,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Blocked {
    pub id: String,
    pub blocked_by: Vec<String>,
    pub reason: String,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct CriticalPath {
    /// From the first item to do to the last.
    pub items: Vec<String>,
    pub length: f64,
}

impl Plan {
    /// The wave (1-based) of an item, if it is in one.
    pub fn wave_of(&self, id: &str) -> Option<usize> {
        self.waves
            .iter()
            .position(|w| w.iter().any(|i| i == id))
            .map(|w| w + 1)
    }
}

/// Why an open item cannot be placed in a wave.
#[derive(Clone)]
enum Block {
    /// The index of the cycle in `Graph::cycles`: one copy per cycle, not
    /// per member.
    Cycle(usize),
    Dangling(Vec<String>),
    OpenMilestone(Vec<usize>),
    Behind(Vec<usize>),
}

/// How many members of a cycle a blocked item's reason names.
const MAX_CYCLE_SHOWN: usize = 20;

pub fn plan(graph: &Graph) -> Plan {
    let n = graph.nodes.len();
    let cycles = graph.cycles();
    let mut block: Vec<Option<Block>> = vec![None; n];
    for (c, cycle) in cycles.iter().enumerate() {
        for &member in cycle {
            if !graph.nodes[member].done {
                block[member] = Some(Block::Cycle(c));
            }
        }
    }
    for (i, node) in graph.nodes.iter().enumerate() {
        if node.done || block[i].is_some() {
            continue;
        }
        if !node.dangling.is_empty() {
            block[i] = Some(Block::Dangling(node.dangling.clone()));
            continue;
        }
        let milestones: Vec<usize> = node
            .deps
            .iter()
            .copied()
            .filter(|&d| graph.nodes[d].kind == ItemKind::Milestone && !graph.nodes[d].done)
            .collect();
        if !milestones.is_empty() && node.kind != ItemKind::Milestone {
            block[i] = Some(Block::OpenMilestone(milestones));
        }
    }
    // Everything that waits, directly or not, for a blocked item is blocked.
    let mut dependents: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, node) in graph.nodes.iter().enumerate() {
        for &d in &node.deps {
            dependents[d].push(i);
        }
    }
    let mut queue: VecDeque<usize> = (0..n).filter(|&i| block[i].is_some()).collect();
    while let Some(b) = queue.pop_front() {
        for &dependent in &dependents[b] {
            if graph.nodes[dependent].done {
                continue;
            }
            match &mut block[dependent] {
                None => {
                    block[dependent] = Some(Block::Behind(vec![b]));
                    queue.push_back(dependent);
                }
                Some(Block::Behind(by)) if !by.contains(&b) => by.push(b),
                Some(_) => {}
            }
        }
    }

    // Waves over the open, unblocked items, which form an acyclic graph.
    let in_plan = |i: usize| {
        !graph.nodes[i].done && block[i].is_none() && graph.nodes[i].kind != ItemKind::Milestone
    };
    let mut wave = vec![0usize; n];
    let mut best = vec![0f64; n];
    let mut best_next: Vec<Option<usize>> = vec![None; n];
    let mut pending: Vec<usize> = vec![0; n];
    for i in (0..n).filter(|&i| in_plan(i)) {
        pending[i] = graph.nodes[i].deps.iter().filter(|&&d| in_plan(d)).count();
    }
    let mut queue: VecDeque<usize> = (0..n).filter(|&i| in_plan(i) && pending[i] == 0).collect();
    let mut order = Vec::new();
    while let Some(i) = queue.pop_front() {
        order.push(i);
        let deps_wave = graph.nodes[i]
            .deps
            .iter()
            .filter(|&&d| in_plan(d))
            .map(|&d| wave[d])
            .max()
            .unwrap_or(0);
        wave[i] = deps_wave + 1;
        let heaviest = graph.nodes[i]
            .deps
            .iter()
            .copied()
            .filter(|&d| in_plan(d))
            .max_by(|&a, &b| {
                best[a]
                    .total_cmp(&best[b])
                    .then_with(|| graph.nodes[b].id.cmp(&graph.nodes[a].id))
            });
        best[i] = graph.nodes[i].weight + heaviest.map_or(0.0, |d| best[d]);
        best_next[i] = heaviest;
        for &dependent in &dependents[i] {
            if in_plan(dependent) {
                pending[dependent] -= 1;
                if pending[dependent] == 0 {
                    queue.push_back(dependent);
                }
            }
        }
    }
    let wave_count = order.iter().map(|&i| wave[i]).max().unwrap_or(0);
    let mut waves: Vec<Vec<String>> = vec![Vec::new(); wave_count];
    for &i in &order {
        waves[wave[i] - 1].push(graph.nodes[i].id.clone());
    }
    for w in &mut waves {
        w.sort();
    }
    let ready = waves.first().cloned().unwrap_or_default();

    let end = order.iter().copied().max_by(|&a, &b| {
        best[a]
            .total_cmp(&best[b])
            .then_with(|| graph.nodes[b].id.cmp(&graph.nodes[a].id))
    });
    let mut critical = Vec::new();
    let mut cursor = end;
    while let Some(i) = cursor {
        critical.push(graph.nodes[i].id.clone());
        cursor = best_next[i];
    }
    critical.reverse();
    let length = end.map_or(0.0, |i| best[i]);

    let ids = |list: &[usize]| -> Vec<String> {
        list.iter().map(|&i| graph.nodes[i].id.clone()).collect()
    };
    let mut blocked: Vec<Blocked> = block
        .iter()
        .enumerate()
        .filter(|&(i, _)| graph.nodes[i].kind != ItemKind::Milestone)
        .filter_map(|(i, b)| {
            let (by, reason) = match b.as_ref()? {
                Block::Cycle(c) => {
                    let cycle = &cycles[*c];
                    // Each member's reason names the cycle: past its first
                    // members, a count, or a 10,000-item cycle would write
                    // 10,000² names.
                    let shown = &cycle[..cycle.len().min(MAX_CYCLE_SHOWN)];
                    let mut names = ids(shown);
                    if shown.len() < cycle.len() {
                        names.push(format!("... {} more", cycle.len() - shown.len()));
                    }
                    names.push(names[0].clone());
                    let by = ids(&graph.nodes[i]
                        .deps
                        .iter()
                        .copied()
                        .filter(|d| cycle.contains(d))
                        .collect::<Vec<_>>());
                    (by, format!("in a dependency cycle: {}", names.join(" -> ")))
                }
                Block::Dangling(missing) => (
                    missing.clone(),
                    format!(
                        "depends on {}, which {} not exist",
                        quoted(missing),
                        if missing.len() == 1 { "does" } else { "do" }
                    ),
                ),
                Block::OpenMilestone(ms) => (
                    ids(ms),
                    format!(
                        "waits for milestone {}, which is not done",
                        quoted(&ids(ms))
                    ),
                ),
                Block::Behind(by_nodes) => {
                    let mut by = ids(by_nodes);
                    by.sort();
                    let verb = if by.len() == 1 { "is" } else { "are" };
                    // Say why when every blocker sits in a cycle, so the
                    // reader need not look the blocker up to find the cause.
                    let why = if by_nodes
                        .iter()
                        .all(|&b| matches!(block[b], Some(Block::Cycle(_))))
                    {
                        "in a dependency cycle"
                    } else {
                        "blocked"
                    };
                    let reason = format!("waits for {}, which {verb} {why}", quoted(&by));
                    (by, reason)
                }
            };
            Some(Blocked {
                id: graph.nodes[i].id.clone(),
                blocked_by: by,
                reason,
            })
        })
        .collect();
    blocked.sort_by(|a, b| a.id.cmp(&b.id));
    Plan {
        waves,
        ready,
        blocked,
        cycles: cycles.iter().map(|c| ids(c)).collect(),
        critical_path: CriticalPath {
            items: critical,
            length,
        },
    }
}

fn quoted(ids: &[String]) -> String {
    ids.join(", ")
}

/// Each item's wave, for hover and code lenses.
pub fn waves_by_id(plan: &Plan) -> HashMap<&str, usize> {
    plan.waves
        .iter()
        .enumerate()
        .flat_map(|(w, ids)| ids.iter().map(move |id| (id.as_str(), w + 1)))
        .collect()
}
