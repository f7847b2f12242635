//! Execution waves, ready and blocked items, and the critical path
//! (`seeds/milestone-waves-to-prs.md`).

use std::collections::{HashMap, HashSet, VecDeque};

use rustc_hash::FxHashMap;

use crate::analysis::graph::{Dangling, Graph, MAX_LOOP_SEARCHED};
use crate::analysis::intern::{self, Id};
use crate::analysis::model::ItemKind;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Plan {
    /// Wave 1 first; each wave in ID order.
    pub waves: Vec<Vec<Id>>,
    pub ready: Vec<Id>,
    pub blocked: Vec<Blocked>,
    /// The members of each dependency cycle, in cycle order.
    pub cycles: Vec<Vec<Id>>,
    /// For each cycle, the shortest loop through its first member, which
    /// is the path to show: a cycle of several loops has members that no
    /// single path visits in turn. Its first member is not repeated at the
    /// end. A cycle too large to search is its members.
    pub loops: Vec<Vec<Id>>,
    pub critical_path: CriticalPath,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Blocked {
    pub id: Id,
    pub blocked_by: Vec<Id>,
    pub reason: String,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct CriticalPath {
    /// From the first item to do to the last.
    pub items: Vec<Id>,
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
    Dangling(Vec<Dangling>),
    OpenMilestone(Vec<usize>),
    Behind(Vec<usize>),
    /// Its dialect holds it back, for this reason (a Backlog.md draft).
    Held(&'static str),
}

/// What a blocked item's reason says of blockers in a cycle, and of
/// blockers their dialect holds back.
const IN_A_CYCLE: &str = "in a dependency cycle";
const HELD_BACK: &str = "held back";

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
        if let Some(reason) = node.held {
            block[i] = Some(Block::Held(reason));
            continue;
        }
        if !node.dangling.is_empty() {
            block[i] = Some(Block::Dangling(node.dangling.to_vec()));
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
    let mut waves: Vec<Vec<Id>> = vec![Vec::new(); wave_count];
    for &i in &order {
        waves[wave[i] - 1].push(graph.nodes[i].id);
    }
    // Numbers by value (`task-2` before `task-10`), as a reader looks for
    // them.
    for w in &mut waves {
        w.sort_by(|a, b| crate::analysis::ids::natural_cmp(a, b));
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
        critical.push(graph.nodes[i].id);
        cursor = best_next[i];
    }
    critical.reverse();
    let length = end.map_or(0.0, |i| best[i]);

    let ids = |list: &[usize]| -> Vec<Id> { list.iter().map(|&i| graph.nodes[i].id).collect() };
    let mut blocked: Vec<Blocked> = block
        .iter()
        .enumerate()
        .filter(|&(i, _)| graph.nodes[i].kind != ItemKind::Milestone)
        .filter_map(|(i, b)| {
            let cause = |b: usize| match block[b] {
                Some(Block::Cycle(_)) => Some(IN_A_CYCLE),
                Some(Block::Held(_)) => Some(HELD_BACK),
                _ => None,
            };
            Some(describe(graph, &cycles, i, b.as_ref()?, cause))
        })
        .collect();
    blocked.sort_by(|a, b| crate::analysis::ids::natural_cmp(&a.id, &b.id));
    Plan {
        waves,
        ready,
        blocked,
        cycles: cycles.iter().map(|c| ids(c)).collect(),
        loops: cycles
            .iter()
            .map(|c| ids(shortest_loop(graph, c, c[0]).as_deref().unwrap_or(c)))
            .collect(),
        critical_path: CriticalPath {
            items: critical,
            length,
        },
    }
}

/// The shortest loop through node `i`, one of the nodes of the cycle
/// `members`, starting at its smallest ID (a cycle of several loops has
/// members that no one path visits in turn); `None` for a cycle too large
/// to search, which is then named by its members.
fn shortest_loop(graph: &Graph, members: &[usize], i: usize) -> Option<Vec<usize>> {
    if members.len() > MAX_LOOP_SEARCHED {
        return None;
    }
    graph.nodes[i]
        .deps
        .iter()
        .filter(|d| members.contains(d))
        .filter_map(|&d| graph.loop_through(members, i, d))
        .min_by_key(Vec::len)
}

/// What `plan` says of a blocked item: what blocks it and why. `cause`
/// says what holds a blocker when that is its own state (a cycle it is in,
/// or its dialect holding it back), `None` when it is blocked itself.
fn describe(
    graph: &Graph,
    cycles: &[Vec<usize>],
    i: usize,
    block: &Block,
    cause: impl Fn(usize) -> Option<&'static str>,
) -> Blocked {
    let ids = |list: &[usize]| -> Vec<Id> { list.iter().map(|&i| graph.nodes[i].id).collect() };
    let (by, reason) = match block {
        Block::Cycle(c) => {
            let members = &cycles[*c];
            let looped = shortest_loop(graph, members, i);
            let cycle = looped.as_deref().unwrap_or(members);
            // Each member's reason names the cycle: past its first
            // members, a count, or a 10,000-item cycle would write
            // 10,000² names.
            let shown = &cycle[..cycle.len().min(MAX_CYCLE_SHOWN)];
            let mut names: Vec<String> = ids(shown).iter().map(Id::to_string).collect();
            if shown.len() < cycle.len() {
                names.push(format!("... {} more", cycle.len() - shown.len()));
            }
            names.push(names[0].clone());
            let by = ids(&graph.nodes[i]
                .deps
                .iter()
                .copied()
                .filter(|d| members.contains(d))
                .collect::<Vec<_>>());
            (by, format!("in a dependency cycle: {}", names.join(" -> ")))
        }
        Block::Dangling(missing) => {
            let (by, what) = unknown_reason(missing);
            (by, format!("depends on {what}"))
        }
        Block::OpenMilestone(ms) => (
            ids(ms),
            format!(
                "waits for milestone {}, which is not done",
                quoted(&ids(ms))
            ),
        ),
        Block::Held(reason) => (Vec::new(), (*reason).to_string()),
        Block::Behind(by_nodes) => {
            let mut by = ids(by_nodes);
            by.sort();
            let verb = if by.len() == 1 { "is" } else { "are" };
            // Say why when every blocker is held the same way (in a
            // cycle, or as a draft), so the reader need not look the
            // blocker up to find the cause.
            let first = by_nodes.first().and_then(|&b| cause(b));
            let why = match first {
                Some(why) if by_nodes.iter().all(|&b| cause(b) == Some(why)) => why,
                _ => "blocked",
            };
            let reason = format!("waits for {}, which {verb} {why}", quoted(&by));
            (by, reason)
        }
    };
    Blocked {
        id: graph.nodes[i].id,
        blocked_by: by,
        reason,
    }
}

/// Where single items stand in the plan, found from their own
/// dependencies without planning the rest of the graph: what [`plan`]
/// would say of them (the same wave, the same blocked reason), at the cost
/// of the items they wait for. `cycles` and `cycle_of` are the graph's
/// cycles as [`Graph::cycles`] gives them, and each member's cycle.
pub struct Placement<'g> {
    graph: &'g Graph,
    cycles: &'g [Vec<usize>],
    cycle_of: &'g FxHashMap<usize, usize>,
    blocked: HashMap<usize, bool>,
    wave: HashMap<usize, usize>,
}

impl<'g> Placement<'g> {
    pub fn new(
        graph: &'g Graph,
        cycles: &'g [Vec<usize>],
        cycle_of: &'g FxHashMap<usize, usize>,
    ) -> Placement<'g> {
        Placement {
            graph,
            cycles,
            cycle_of,
            blocked: HashMap::new(),
            wave: HashMap::new(),
        }
    }

    /// What blocks the node by itself, as `plan` sets it before passing
    /// blocks on to dependents.
    fn own_block(&self, i: usize) -> Option<Block> {
        let node = &self.graph.nodes[i];
        if node.done {
            return None;
        }
        if let Some(&c) = self.cycle_of.get(&i) {
            return Some(Block::Cycle(c));
        }
        if let Some(reason) = node.held {
            return Some(Block::Held(reason));
        }
        if !node.dangling.is_empty() {
            return Some(Block::Dangling(node.dangling.to_vec()));
        }
        if node.kind == ItemKind::Milestone {
            return None;
        }
        let milestones: Vec<usize> = node
            .deps
            .iter()
            .copied()
            .filter(|&d| {
                self.graph.nodes[d].kind == ItemKind::Milestone && !self.graph.nodes[d].done
            })
            .collect();
        (!milestones.is_empty()).then_some(Block::OpenMilestone(milestones))
    }

    /// Whether the node is blocked: by itself, or by waiting (through open
    /// items) for a blocked one.
    pub fn is_blocked(&mut self, start: usize) -> bool {
        if let Some(&known) = self.blocked.get(&start) {
            return known;
        }
        // Depth first without recursion (dependency chains can be long):
        // each frame is a node and how many of its dependencies it has
        // looked at. Only open nodes without a block of their own are
        // descended into; a cycle among them would be in `cycle_of`, so
        // the walk meets none.
        let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
        let mut on_stack: HashSet<usize> = HashSet::from([start]);
        while let Some(&(i, looked)) = stack.last() {
            let deps = &self.graph.nodes[i].deps;
            let settled = if looked == 0 {
                if self.graph.nodes[i].done {
                    Some(false)
                } else if self.own_block(i).is_some() {
                    Some(true)
                } else {
                    None
                }
            } else if self.blocked.get(&deps[looked - 1]) == Some(&true) {
                // The dependency looked at last turned out blocked.
                Some(true)
            } else {
                None
            };
            let settled = settled.or((looked == deps.len()).then_some(false));
            if let Some(value) = settled {
                self.blocked.insert(i, value);
                on_stack.remove(&i);
                stack.pop();
                continue;
            }
            let d = deps[looked];
            if let Some(frame) = stack.last_mut() {
                frame.1 += 1;
            }
            if !self.blocked.contains_key(&d) && on_stack.insert(d) {
                stack.push((d, 0));
            }
        }
        self.blocked.get(&start).copied().unwrap_or(false)
    }

    /// Whether `plan` puts the node in a wave.
    fn in_plan(&mut self, i: usize) -> bool {
        let node = &self.graph.nodes[i];
        !node.done && node.kind != ItemKind::Milestone && !self.is_blocked(i)
    }

    /// The wave (1-based) `plan` puts the node in: one after the latest of
    /// the dependencies it places.
    pub fn wave(&mut self, start: usize) -> Option<usize> {
        if !self.in_plan(start) {
            return None;
        }
        let mut stack: Vec<usize> = vec![start];
        while let Some(&i) = stack.last() {
            if self.wave.contains_key(&i) {
                stack.pop();
                continue;
            }
            let mut pending = None;
            let mut latest = 0;
            for &d in &self.graph.nodes[i].deps {
                if !self.in_plan(d) {
                    continue;
                }
                match self.wave.get(&d) {
                    Some(&w) => latest = latest.max(w),
                    None => {
                        pending = Some(d);
                        break;
                    }
                }
            }
            match pending {
                Some(d) => stack.push(d),
                None => {
                    self.wave.insert(i, latest + 1);
                    stack.pop();
                }
            }
        }
        self.wave.get(&start).copied()
    }

    /// What blocks the node and why, as `plan` says it; `None` when it is
    /// not blocked (or is a milestone, which `plan` does not list).
    pub fn blocked(&mut self, i: usize) -> Option<Blocked> {
        if self.graph.nodes[i].kind == ItemKind::Milestone || !self.is_blocked(i) {
            return None;
        }
        let block = match self.own_block(i) {
            Some(block) => block,
            None => {
                // The graph outlives `self`: its dependencies need no copy
                // while `is_blocked` updates the placement.
                let graph = self.graph;
                let by: Vec<usize> = graph.nodes[i]
                    .deps
                    .iter()
                    .copied()
                    .filter(|&d| self.is_blocked(d))
                    .collect();
                Block::Behind(by)
            }
        };
        let cause = |b: usize| {
            let node = &self.graph.nodes[b];
            if node.done {
                None
            } else if self.cycle_of.contains_key(&b) {
                Some(IN_A_CYCLE)
            } else {
                node.held.map(|_| HELD_BACK)
            }
        };
        Some(describe(self.graph, self.cycles, i, &block, cause))
    }
}

/// What the dependencies that name nothing are: first those nothing is
/// known of (`task-8, which does not exist`), then those their dialect took
/// out of the plan, by what became of them (`task-133, which is archived`),
/// as `dangling-dependency` words them; with their IDs in that order.
fn unknown_reason(missing: &[Dangling]) -> (Vec<Id>, String) {
    let mut groups: Vec<(Option<&str>, Vec<Id>)> = Vec::new();
    for d in missing {
        match groups.iter_mut().find(|(state, _)| *state == d.retired) {
            Some((_, ids)) => ids.push(d.id),
            None => groups.push((d.retired, vec![d.id])),
        }
    }
    groups.sort_by_key(|(state, _)| state.is_some());
    let parts: Vec<String> = groups
        .iter()
        .map(|(state, ids)| {
            let one = ids.len() == 1;
            let what = match state {
                None if one => "does not exist".to_string(),
                None => "do not exist".to_string(),
                Some(state) => format!("{} {state}", if one { "is" } else { "are" }),
            };
            format!("{}, which {what}", quoted(ids))
        })
        .collect();
    let ids = groups.into_iter().flat_map(|(_, ids)| ids).collect();
    (ids, parts.join(", and "))
}

fn quoted(ids: &[Id]) -> String {
    intern::join(ids, ", ")
}

/// Each item's wave, for hover and code lenses.
pub fn waves_by_id(plan: &Plan) -> HashMap<&str, usize> {
    plan.waves
        .iter()
        .enumerate()
        .flat_map(|(w, ids)| ids.iter().map(move |id| (id.as_str(), w + 1)))
        .collect()
}

#[cfg(test)]
mod tests {
    //! `Placement` against `plan` on generated graphs: every node's wave
    //! and blocked reason must be the same found either way.

    use std::sync::Arc;

    use proptest::prelude::*;

    use super::*;
    use crate::analysis::graph::{Graph, InlineId, Node};

    /// One generated node: done, a milestone, with a dangling dependency,
    /// held back by its dialect, and the nodes it waits for.
    type NodeSpec = (bool, bool, bool, bool, Vec<usize>);

    fn graph_of(specs: &[NodeSpec]) -> Graph {
        let n = specs.len();
        let nodes: Vec<Node> = specs
            .iter()
            .enumerate()
            .map(|(i, (done, milestone, dangling, held, deps))| {
                let mut deps: Vec<usize> = deps.iter().map(|d| d % n).collect();
                deps.sort_unstable();
                deps.dedup();
                let id = Id::new(&format!("n{i:02}"));
                Node {
                    id,
                    kind: if *milestone {
                        ItemKind::Milestone
                    } else {
                        ItemKind::Issue
                    },
                    title_text: Box::default(),
                    id_inline: InlineId::of(id),
                    done: *done,
                    in_progress: false,
                    dropped: false,
                    weight: 1.0,
                    deps: deps.into_boxed_slice(),
                    dangling: if *dangling {
                        Box::new([Dangling {
                            id: Id::new("gone"),
                            retired: None,
                        }])
                    } else {
                        Box::default()
                    },
                    held: (*held && !*done).then_some("is a draft"),
                }
            })
            .collect();
        let index: FxHashMap<Id, usize> =
            nodes.iter().enumerate().map(|(i, n)| (n.id, i)).collect();
        Graph {
            nodes: nodes.into_iter().collect(),
            index: Arc::new(index),
            titles: crate::analysis::graph::Titles::Keep,
        }
    }

    fn node_spec() -> impl Strategy<Value = NodeSpec> {
        (
            prop::bool::weighted(0.3),
            prop::bool::weighted(0.1),
            prop::bool::weighted(0.05),
            prop::bool::weighted(0.05),
            prop::collection::vec(0usize..40, 0..4),
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn placement_says_what_the_plan_says(specs in prop::collection::vec(node_spec(), 1..40)) {
            let graph = graph_of(&specs);
            let cycles = graph.cycles();
            let mut cycle_of = FxHashMap::default();
            for (c, cycle) in cycles.iter().enumerate() {
                for &node in cycle {
                    cycle_of.insert(node, c);
                }
            }
            let planned = plan(&graph);
            let waves = waves_by_id(&planned);
            let mut placement = Placement::new(&graph, &cycles, &cycle_of);
            for (i, node) in graph.nodes.iter().enumerate() {
                let id = node.id.as_str();
                prop_assert_eq!(placement.wave(i), waves.get(id).copied(), "wave of {}", id);
                let listed = planned.blocked.iter().find(|b| b.id == id);
                let blocked = placement.blocked(i);
                prop_assert_eq!(blocked.as_ref(), listed, "blocked {}", id);
                // A fresh placement (nothing remembered) says the same.
                let mut fresh = Placement::new(&graph, &cycles, &cycle_of);
                prop_assert_eq!(fresh.wave(i), waves.get(id).copied(), "fresh wave of {}", id);
            }
        }
    }
}
