//! The dependency graph of every item, and its strongly connected
//! components (cycles), found without recursion so deep chains are safe.

use std::collections::{HashSet, VecDeque};
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use crate::analysis::config::Weights;
use crate::analysis::dialect;
use crate::analysis::intern::{AsId, Id};
use crate::analysis::model::{Item, ItemKind, Progress, Target};
use crate::analysis::workspace::{SourceFile, Workspace};

#[derive(Clone, Debug)]
pub struct Node {
    pub id: Id,
    pub kind: ItemKind,
    /// A copy of the item's title, which completion reads: copies made
    /// one after another while the graph is built sit together in memory,
    /// where the items' own text is spread over every file of the
    /// workspace. Empty in a graph built with [`Titles::Skip`].
    pub(crate) title_text: Box<str>,
    /// The ID's text once more, in the node itself when it is short (as
    /// nearly every ID is): completion tests every node's ID, and reading
    /// it from the interner (or from a copy beside the title, as before)
    /// was a cache miss per node at 100,000.
    pub(crate) id_inline: InlineId,
    /// Closed: done, or dropped (cancelled, superseded), which nothing
    /// waits for either.
    pub done: bool,
    /// The status says work has started (and it is not done).
    pub in_progress: bool,
    /// The status says it was closed without being done (cancelled,
    /// superseded); `done` is set too.
    pub dropped: bool,
    pub weight: f64,
    /// Indices of the nodes this one waits for, without repeats.
    pub deps: Box<[usize]>,
    /// The dependencies that name no known item.
    pub dangling: Box<[Dangling]>,
    /// Why the plan holds this open item back although it may wait for
    /// nothing (a Backlog.md draft), from its dialect.
    pub held: Option<&'static str>,
}

/// What a [`Dangling`] dependency's item is when it is no work of the plan
/// but stands for work still to be planned (a GSD phase without plans).
pub const NOT_PLANNED: &str = "not planned yet";

/// A dependency that names no item of the graph.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Dangling {
    pub id: Id,
    /// What became of the item when its dialect took it out of the plan
    /// (`archived`, for a Backlog.md task in `archive/tasks/`), as the
    /// `dangling-dependency` finding says it; `None` when nothing is known
    /// of the ID; [`NOT_PLANNED`] for the item of work still to be planned
    /// that a dialect says the item waits for. Either way the item waits
    /// for something the plan does not hold.
    pub retired: Option<&'static str>,
}

/// How many bytes of an ID a node keeps in itself (with the length, 24).
const INLINE_ID_BYTES: usize = 23;

/// An ID's text kept inline, when it is at most [`INLINE_ID_BYTES`] long.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct InlineId {
    /// The text's length; 0 when the ID is not kept (too long).
    len: u8,
    bytes: [u8; INLINE_ID_BYTES],
}

impl InlineId {
    pub(crate) fn of(id: Id) -> InlineId {
        let text = id.as_str().as_bytes();
        let mut bytes = [0; INLINE_ID_BYTES];
        match (bytes.get_mut(..text.len()), u8::try_from(text.len())) {
            (Some(head), Ok(len)) => {
                head.copy_from_slice(text);
                InlineId { len, bytes }
            }
            _ => InlineId::default(),
        }
    }

    /// The ID's text, when it is kept.
    fn text(&self) -> Option<&str> {
        let bytes = self
            .bytes
            .get(..usize::from(self.len))
            .filter(|b| !b.is_empty())?;
        // SAFETY: `of` copies every byte of a `str` or none (`len` 0), and
        // nothing changes them after: they are that text. Checking them
        // again took a tenth of a completion at 100,000 items.
        Some(unsafe { std::str::from_utf8_unchecked(bytes) })
    }
}

/// Whether a graph keeps a copy of each node's title beside it (see
/// [`Node::title`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Titles {
    /// Keep them: completion and the pictures read every node's title.
    #[default]
    Keep,
    /// Leave them out: the rules read no title from the graph, and at
    /// 100,000 items the copies are 5 MB of a `check`'s peak.
    Skip,
}

impl Node {
    /// The ID's text, read from the node's own copy when it has one.
    pub fn id_text(&self) -> &str {
        self.id_inline.text().unwrap_or_else(|| self.id.as_str())
    }

    /// The item's title; empty in a graph built with [`Titles::Skip`].
    pub fn title(&self) -> &str {
        &self.title_text
    }
}

/// The graph's nodes in chunks behind `Arc`s. A graph updated after an
/// edit copies the list of chunks and the chunk holding the changed node:
/// with one flat list it copied 100,000 node pointers, and touched every
/// node's reference count, on each keystroke. The nodes sit in their chunk
/// rather than behind a pointer each: completion reads every node, and a
/// pointer to follow per node was a cache miss per node at 100,000.
#[derive(Clone, Debug, Default)]
pub struct Nodes {
    chunks: Vec<Arc<Vec<Node>>>,
    len: usize,
}

/// How many nodes a chunk holds (a power of two, so that indexing shifts).
const NODE_CHUNK: usize = 1024;

impl Nodes {
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn iter(&self) -> NodesIter<'_> {
        fn chunk_nodes(chunk: &Arc<Vec<Node>>) -> &Vec<Node> {
            chunk
        }
        self.chunks.iter().flat_map(chunk_nodes)
    }

    /// Replaces node `i`, copying its chunk if another graph shares it.
    fn set(&mut self, i: usize, node: Node) {
        Arc::make_mut(&mut self.chunks[i / NODE_CHUNK])[i % NODE_CHUNK] = node;
    }
}

/// The nodes in order, chunk after chunk.
pub type NodesIter<'a> = std::iter::FlatMap<
    std::slice::Iter<'a, Arc<Vec<Node>>>,
    &'a Vec<Node>,
    fn(&'a Arc<Vec<Node>>) -> &'a Vec<Node>,
>;

impl<'a> IntoIterator for &'a Nodes {
    type Item = &'a Node;
    type IntoIter = NodesIter<'a>;

    fn into_iter(self) -> NodesIter<'a> {
        self.iter()
    }
}

impl std::ops::Index<usize> for Nodes {
    type Output = Node;

    fn index(&self, i: usize) -> &Node {
        &self.chunks[i / NODE_CHUNK][i % NODE_CHUNK]
    }
}

impl FromIterator<Node> for Nodes {
    fn from_iter<I: IntoIterator<Item = Node>>(nodes: I) -> Nodes {
        let mut out = Nodes::default();
        for node in nodes {
            if out.len % NODE_CHUNK == 0 {
                out.chunks.push(Arc::new(Vec::with_capacity(NODE_CHUNK)));
            }
            if let Some(chunk) = out.chunks.last_mut() {
                Arc::make_mut(chunk).push(node);
            }
            out.len += 1;
        }
        out
    }
}

#[derive(Clone, Debug, Default)]
pub struct Graph {
    /// The nodes, in chunks that a graph updated after an edit shares
    /// when the edit did not touch them.
    pub nodes: Nodes,
    pub index: Arc<FxHashMap<Id, usize>>,
    /// Whether the nodes keep their titles; nodes made again after an edit
    /// do as the others.
    pub titles: Titles,
}

/// A parent's view of one of its tasks: its node, its progress, and
/// whether it is optional.
#[derive(Clone, Copy)]
struct TaskOf {
    node: usize,
    progress: Option<Progress>,
    /// An optional task (Kiro's `- [ ]*`, BMAD's `(optional)`), which may
    /// stay open: its parent neither waits for it nor stays open for it.
    optional: bool,
}

impl TaskOf {
    fn new(node: usize, task: &Item) -> TaskOf {
        TaskOf {
            node,
            progress: task.progress,
            optional: task.field("optional").is_some(),
        }
    }
}

impl Graph {
    /// Builds the graph from the workspace. Items defined twice appear once,
    /// from their first definition that is not done, else their first. A
    /// child (a task of a story, a sub-task) also waits for its parent's
    /// dependencies, and an item with children waits for them.
    pub fn build(ws: &Workspace) -> Graph {
        Graph::build_with(ws, Titles::Keep)
    }

    /// [`Graph::build`], keeping or leaving out the nodes' titles.
    pub fn build_with(ws: &Workspace, titles: Titles) -> Graph {
        // Most files define one item: room for that many up front, so that
        // the maps are not grown and rehashed seventeen times at 100,000.
        let expected = ws.file_count();
        let mut index: FxHashMap<Id, usize> =
            FxHashMap::with_capacity_and_hasher(expected, Default::default());
        // Each item with its file.
        let mut items: Vec<(&SourceFile, &Item)> = Vec::with_capacity(expected);
        // What each ID and alias resolves to, as `Workspace::resolve` would
        // say (the first file in path order that defines it), without its
        // three map lookups per dependency.
        let mut lookup: FxHashMap<Id, usize> =
            FxHashMap::with_capacity_and_hasher(expected, Default::default());
        for (file, item) in ws.items().filter(|(_, item)| item.kind.is_work()) {
            let node = match index.get(&item.id) {
                Some(&node) => {
                    // An item defined twice is planned from a copy that is
                    // not done when the first is: the open copy is the work
                    // left (Backlog.md's task in `tasks/` beside a finished
                    // one of its ID in `completed/`). `duplicate-id`
                    // reports both.
                    let done = |item: &Item| ws.progress(item) == Some(Progress::Done);
                    if done(items[node].1) && !done(item) {
                        items[node] = (file, item);
                    }
                    node
                }
                None => {
                    index.insert(item.id, items.len());
                    items.push((file, item));
                    items.len() - 1
                }
            };
            for key in std::iter::once(&item.id).chain(&item.aliases) {
                lookup.entry(*key).or_insert(node);
            }
        }
        let resolve = |target: &Target| match target {
            Target::Id(id) => lookup.get(id).copied(),
            Target::MilestoneTitle(_) => ws.resolve(target).and_then(|id| index.get(&id).copied()),
        };
        let mut tasks_of: FxHashMap<Id, Vec<TaskOf>> = FxHashMap::default();
        for (i, (_, item)) in items.iter().enumerate() {
            if let Some(parent) = &item.parent {
                tasks_of
                    .entry(*parent)
                    .or_default()
                    .push(TaskOf::new(i, item));
            }
        }
        // Each node reads the items and the index only: make them on every
        // core.
        let nodes: Vec<Node> = items
            .par_iter()
            .enumerate()
            .map(|(i, &(file, item))| {
                let parent_of = |id: Id| index.get(&id).map(|&p| items[p].1);
                let story = Parent::of(ws, item, parent_of);
                let tasks = tasks_of.get(&item.id).map_or(&[][..], Vec::as_slice);
                make_node(ws, &resolve, titles, i, (file, item), story, tasks)
            })
            .collect();
        Graph {
            nodes: nodes.into_iter().collect(),
            index: Arc::new(index),
            titles,
        }
    }

    /// The node of the item `id` names, if it has one. An `Id` is looked
    /// up as it is; a text goes through the interner first.
    pub fn node_of(&self, id: &(impl AsId + ?Sized)) -> Option<usize> {
        self.index.get(&id.to_id()?).copied()
    }

    /// The graph after the items of some files changed while every item
    /// kept its ID, kind and parent, and each is defined once: only those
    /// items' nodes are made again. `None` when an item has no node here
    /// (the caller then builds the graph afresh).
    pub fn with_items_replaced(&self, ws: &Workspace, files: &[&SourceFile]) -> Option<Graph> {
        let mut graph = self.clone();
        for file in files {
            for item in file.facts.items.iter().filter(|item| item.kind.is_work()) {
                if family_elsewhere(ws, file, item) {
                    return None;
                }
                let i = *self.index.get(&item.id)?;
                // A parent counts only when it is a node, as in `build_with`:
                // a GSD plan's phase, a roadmap heading, is none, and its
                // box does not close the plan.
                let story = Parent::of(ws, item, |id: Id| {
                    ws.item(&id)
                        .map(|(_, ancestor)| ancestor)
                        .filter(|ancestor| ancestor.kind.is_work())
                });
                let tasks: Vec<TaskOf> = file
                    .facts
                    .items
                    .iter()
                    .filter(|t| t.parent == Some(item.id))
                    .map(|t| Some(TaskOf::new(*self.index.get(&t.id)?, t)))
                    .collect::<Option<_>>()?;
                let resolve = |target: &Target| {
                    ws.resolve(target)
                        .and_then(|id| self.index.get(&id).copied())
                };
                graph.nodes.set(
                    i,
                    make_node(ws, &resolve, self.titles, i, (file, item), story, &tasks),
                );
            }
        }
        Some(graph)
    }

    /// Every strongly connected component of more than one node, and every
    /// node that depends on itself, each in a stable order: the cycle starts
    /// at its smallest ID and follows dependency edges where it can.
    pub fn cycles(&self) -> Vec<Vec<usize>> {
        let (mut out, _) = self.cycles_from(0..self.nodes.len());
        self.sort_cycles(&mut out);
        out
    }

    /// The cycles among the nodes reachable from `roots` (unsorted), and
    /// which nodes those are. Every cycle through a reachable node is
    /// found whole: its other members are reachable too.
    pub fn cycles_from(
        &self,
        roots: impl IntoIterator<Item = usize>,
    ) -> (Vec<Vec<usize>>, Vec<bool>) {
        let (components, reached) = cyclic_components(self, roots);
        let cycles = components
            .into_iter()
            .map(|scc| self.order_cycle(scc))
            .collect();
        (cycles, reached)
    }

    /// Puts cycles in the order [`Graph::cycles`] gives: by their first ID.
    pub fn sort_cycles(&self, cycles: &mut [Vec<usize>]) {
        cycles.sort_by(|a, b| self.nodes[a[0]].id.cmp(&self.nodes[b[0]].id));
    }

    /// The shortest loop from node `from` through its dependency `to` back
    /// to `from`, inside the cycle `members`, starting at its smallest ID;
    /// `None` for a cycle of more than [`MAX_LOOP_SEARCHED`] members, which
    /// is named by its members instead.
    pub fn loop_through(&self, members: &[usize], from: usize, to: usize) -> Option<Vec<usize>> {
        if members.len() > MAX_LOOP_SEARCHED {
            return None;
        }
        let inside: FxHashSet<usize> = members.iter().copied().collect();
        // A breadth-first walk from `to` along the dependencies, inside the
        // cycle, until it reaches `from`.
        let mut came_from: FxHashMap<usize, usize> = FxHashMap::default();
        let mut queue = VecDeque::from([to]);
        came_from.insert(to, to);
        while let Some(node) = queue.pop_front() {
            if node == from {
                break;
            }
            for &next in self.nodes[node].deps.iter() {
                if inside.contains(&next) && !came_from.contains_key(&next) {
                    came_from.insert(next, node);
                    queue.push_back(next);
                }
            }
        }
        came_from.get(&from)?;
        let mut path = vec![from];
        let mut at = from;
        while at != to {
            at = came_from[&at];
            path.push(at);
        }
        // The walk went from `to` back to `from`: put it in the order of
        // the steps, `from` first.
        path[1..].reverse();
        let smallest = (0..path.len()).min_by_key(|&i| self.nodes[path[i]].id)?;
        path.rotate_left(smallest);
        Some(path)
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

/// The largest cycle in which a finding or the plan looks for the loop
/// through one of its members ([`Graph::loop_through`]).
pub const MAX_LOOP_SEARCHED: usize = 1_000;

/// How many graph nodes a cycle check may visit (per completion request,
/// per quick fix).
pub(crate) const CYCLE_BUDGET: usize = 100_000;

/// The items a new dependency of `item` must not reach: the item itself,
/// plus its story's tasks for a story (they inherit its dependencies) or
/// its story for a task (the story waits for it).
pub(crate) fn cycle_targets(graph: &Graph, item: &Item) -> FxHashSet<usize> {
    let mut targets = FxHashSet::default();
    targets.extend(graph.index.get(&item.id).copied());
    let story = match item.kind {
        ItemKind::Task => item.parent,
        ItemKind::Story => Some(item.id),
        _ => None,
    };
    if let Some(story) = story {
        targets.extend(graph.index.get(&story).copied());
        if item.kind == ItemKind::Story {
            let prefix = format!("{story}/");
            targets.extend(
                graph
                    .index
                    .iter()
                    .filter(|(id, _)| id.starts_with(&prefix))
                    .map(|(_, &i)| i),
            );
        }
    }
    targets
}

/// Whether making `item` depend on `candidate` closes a dependency cycle:
/// the test completion marks its candidates with, for a quick fix or a
/// "did you mean" hint that writes an ID. An ID the graph does not know
/// closes none, and neither does one whose test would visit more than
/// `budget` nodes (it says nothing rather than something wrong).
pub(crate) fn closes_cycle(graph: &Graph, item: &Item, candidate: &str, budget: usize) -> bool {
    let Some(node) = graph.node_of(candidate) else {
        return false;
    };
    let mut walk = Walk::new(graph, cycle_targets(graph, item));
    walk.budget = budget;
    walk.reaches(node)
}

/// Which nodes reach a set of targets along dependency edges, remembered
/// across candidates and bounded in work.
pub(crate) struct Walk<'g> {
    graph: &'g Graph,
    targets: FxHashSet<usize>,
    memo: FxHashMap<usize, bool>,
    budget: usize,
}

impl<'g> Walk<'g> {
    pub(crate) fn new(graph: &'g Graph, targets: FxHashSet<usize>) -> Walk<'g> {
        Walk {
            graph,
            targets,
            memo: FxHashMap::default(),
            budget: CYCLE_BUDGET,
        }
    }

    /// Whether `start` depends, directly or not, on a target.
    pub(crate) fn reaches(&mut self, start: usize) -> bool {
        if self.targets.is_empty() {
            return false;
        }
        // A story's own task inherits the story's dependencies, and a
        // task's story waits for it: either way, a cycle.
        if self.targets.contains(&start) {
            return true;
        }
        if let Some(&known) = self.memo.get(&start) {
            return known;
        }
        let mut seen = FxHashSet::default();
        seen.insert(start);
        let mut stack = vec![start];
        while let Some(n) = stack.pop() {
            if self.budget == 0 {
                // Out of budget: say nothing rather than something wrong.
                return false;
            }
            self.budget -= 1;
            for &d in &self.graph.nodes[n].deps {
                if self.targets.contains(&d) || self.memo.get(&d) == Some(&true) {
                    self.memo.insert(start, true);
                    return true;
                }
                if self.memo.get(&d) != Some(&false) && seen.insert(d) {
                    stack.push(d);
                }
            }
        }
        // Every node seen has been explored in full without reaching a
        // target, so none of them can.
        for n in seen {
            self.memo.insert(n, false);
        }
        false
    }
}

/// How many parents up a done ancestor is looked for: deeper than any real
/// nesting (a BMAD story's subtask is two below it), and a bound should
/// parents ever name each other in a loop.
const MAX_ANCESTORS: usize = 64;

/// An item's parent (a task's story, a subtask's task), and whether it or
/// an item above it is done.
#[derive(Clone, Copy)]
struct Parent<'a> {
    item: &'a Item,
    /// The parent or one of its ancestors is done or dropped: a done story
    /// closes its tasks' subtasks as it closes its tasks, and a cancelled
    /// one leaves them nothing to do.
    closed: bool,
}

impl<'a> Parent<'a> {
    /// The parent of `item`, found (with its own parents) by `parent_of`.
    fn of(
        ws: &Workspace,
        item: &Item,
        parent_of: impl Fn(Id) -> Option<&'a Item>,
    ) -> Option<Parent<'a>> {
        let parent = item.parent.and_then(&parent_of)?;
        let mut ancestor = Some(parent);
        let mut closed = false;
        for _ in 0..MAX_ANCESTORS {
            let Some(current) = ancestor else {
                break;
            };
            if matches!(
                ws.progress(current),
                Some(Progress::Done | Progress::Dropped)
            ) {
                closed = true;
                break;
            }
            ancestor = current.parent.and_then(&parent_of);
        }
        Some(Parent {
            item: parent,
            closed,
        })
    }
}

/// Whether `item` is a story with a status of its own, which its tasks'
/// boxes do not override.
fn has_own_story_status(item: &Item) -> bool {
    item.kind == ItemKind::Story && item.status.is_some()
}

/// The node of `item` (node `i`) of `file`, given its story and its tasks.
fn make_node(
    ws: &Workspace,
    resolve: &(dyn Fn(&Target) -> Option<usize> + Sync),
    titles: Titles,
    i: usize,
    (file, item): (&SourceFile, &Item),
    story: Option<Parent>,
    tasks: &[TaskOf],
) -> Node {
    let story_deps = story.map_or(&[][..], |s| &s.item.deps[..]);
    let mut deps = Vec::new();
    let mut dangling: Vec<Dangling> = Vec::new();
    // Few dependencies (the usual case) are deduplicated by looking back;
    // sets keep it linear for an item with tens of thousands of them.
    let many = item.deps.len() + story_deps.len() > 32;
    let mut seen_deps = HashSet::new();
    let mut seen_dangling = HashSet::new();
    for dep in item.deps.iter().chain(story_deps) {
        let Some(id) = dep.target.id() else {
            continue;
        };
        match resolve(&dep.target) {
            Some(j) if many && !seen_deps.insert(j) => {}
            Some(j) if !many && deps.contains(&j) => {}
            Some(j) => deps.push(j),
            None if many && !seen_dangling.insert(id) => {}
            None if !many && dangling.iter().any(|d| d.id == id) => {}
            // The dialect says what became of an item it took out of the
            // plan, as `dangling-dependency` asks it (a story's
            // dependencies are asked about from its task's file, which is
            // of the same dialect and folder). One carried out before it
            // left (a GSD plan of a shipped milestone) is a dependency met,
            // drawn to its item where the plan keeps it now.
            None => match dialect::retired_item(ws, file, id.as_str()) {
                Some(retired) if retired.is_done() => {
                    let held = ws.file(&retired.rel).and_then(|holder| {
                        let kept = holder.facts.items.iter().find(|i| i.kind.is_work())?;
                        resolve(&Target::Id(kept.id))
                    });
                    if let Some(j) = held.filter(|&j| j != i) {
                        let new = if many {
                            seen_deps.insert(j)
                        } else {
                            !deps.contains(&j)
                        };
                        if new {
                            deps.push(j);
                        }
                    }
                }
                retired => dangling.push(Dangling {
                    id,
                    retired: retired.map(|r| r.state),
                }),
            },
        }
    }
    // What the dialect's other files say it waits for (a GSD plan, the
    // open plans of the phases its phase depends on) counts as a
    // dependency of its own; an ID that names nothing is passed over, as
    // the item never wrote it. An ID of an item that is no work of the
    // plan (a GSD phase without plans yet) holds the item back until the
    // work is planned.
    let implied = crate::analysis::dialect::implied_deps(ws, file, item);
    if !implied.is_empty() {
        let mut known: FxHashSet<usize> = deps.iter().copied().collect();
        known.insert(i);
        for id in implied {
            match resolve(&Target::Id(id)) {
                Some(j) if known.insert(j) => deps.push(j),
                Some(_) => {}
                None if !ws.definitions(&id).is_empty() && !dangling.iter().any(|d| d.id == id) => {
                    dangling.push(Dangling {
                        id,
                        retired: Some(NOT_PLANNED),
                    });
                }
                None => {}
            }
        }
    }
    // An item with children (a story's tasks, a task's sub-tasks, a
    // phase's tasks) waits for them.
    // An optional one holds nothing back, its parent included.
    if !tasks.is_empty() {
        deps.extend(
            tasks
                .iter()
                .filter(|t| !t.optional)
                .map(|t| t.node)
                .filter(|&t| t != i),
        );
    }
    // A story without a Status takes its stories index's.
    let progress = ws.progress(item);
    let done = match progress {
        // A dropped item is closed too: nothing waits for it and it is not
        // offered as work.
        Some(Progress::Done | Progress::Dropped) => true,
        // A done story closes its tasks and their subtasks, as the `done/`
        // folder closes an issue: they are not offered as ready work
        // (`done-with-open-tasks` reports the disagreement). A dialect
        // whose sub-tasks keep their own status (Backlog.md) leaves them
        // open.
        _ if story.is_some_and(|s| s.closed) && !dialect::keeps_own_progress(file) => true,
        // A parent whose tasks are all done is done, its optional ones
        // left open or not (unless it has nothing but optional ones); a
        // story whose own status says it is under way (in review, say) is
        // not.
        _ if !tasks.is_empty() && !has_own_story_status(item) => {
            let required = tasks.iter().any(|t| !t.optional);
            tasks
                .iter()
                .filter(|t| !(required && t.optional))
                .all(|t| t.progress == Some(Progress::Done))
        }
        _ => false,
    };
    Node {
        id: item.id,
        kind: item.kind,
        title_text: match titles {
            Titles::Keep => item.title.as_str().into(),
            Titles::Skip => Box::default(),
        },
        id_inline: InlineId::of(item.id),
        done,
        in_progress: !done && progress == Some(Progress::InProgress),
        dropped: progress == Some(Progress::Dropped),
        weight: weight_of(&file.text, item, !tasks.is_empty(), &ws.config().weights),
        deps: deps.into_boxed_slice(),
        dangling: dangling.into_boxed_slice(),
        held: if done {
            None
        } else {
            dialect::held_back(ws, file, item)
        },
    }
}

/// Whether `item` of `file` has a parent that is a node, or a child, in
/// another file (Backlog.md writes each sub-task in a file of its own): a
/// parent's node reads its children's progress and a child's its parent's,
/// so [`Graph::with_items_replaced`], which remakes the nodes of the
/// changed files alone, would leave the other one stale.
fn family_elsewhere(ws: &Workspace, file: &SourceFile, item: &Item) -> bool {
    let parent_elsewhere = item.parent.is_some_and(|parent| {
        ws.definitions(&parent)
            .iter()
            .any(|loc| loc.rel != file.rel && ws.item_at(loc).kind.is_work())
    });
    parent_elsewhere
        || ws.referrers(&item.id).any(|rel| {
            rel != &*file.rel
                && ws
                    .file(rel)
                    .is_some_and(|f| f.facts.items.iter().any(|t| t.parent == Some(item.id)))
        })
}

/// The plan's weight of `item`, whose file's text is `text`.
fn weight_of(text: &str, item: &Item, has_tasks: bool, weights: &Weights) -> f64 {
    match item.kind {
        ItemKind::Milestone => 0.0,
        _ if has_tasks => 0.0,
        ItemKind::Task => weights.task,
        _ => {
            let effort = item
                .field("estimated effort")
                .or_else(|| item.field("effort"));
            let starts = |prefix: &str| {
                effort.is_some_and(|f| {
                    f.value(text)
                        .get(..prefix.len())
                        .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
                })
            };
            if starts("small") {
                weights.small
            } else if starts("medium") {
                weights.medium
            } else if starts("large") {
                weights.large
            } else {
                weights.unknown
            }
        }
    }
}

/// The strongly connected components that hold a cycle (more than one
/// node, or one that waits for itself), by Tarjan's algorithm with an
/// explicit stack over the nodes reachable from `roots`; also says which
/// nodes those were.
fn cyclic_components(
    graph: &Graph,
    roots: impl IntoIterator<Item = usize>,
) -> (Vec<Vec<usize>>, Vec<bool>) {
    let n = graph.nodes.len();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut out = Vec::new();
    let mut counter = 0;
    for root in roots {
        if root >= n || index[root] != usize::MAX {
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
                // A component of one node is a cycle only when the node
                // waits for itself: nearly every node is such a component,
                // and none gets a list of its own.
                if stack.last() == Some(&v) {
                    stack.pop();
                    on_stack[v] = false;
                    if graph.nodes[v].deps.contains(&v) {
                        out.push(vec![v]);
                    }
                    continue;
                }
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
    let reached = index.iter().map(|&i| i != usize::MAX).collect();
    (out, reached)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(i: usize) -> Node {
        let id = Id::new(&format!("n-{i}"));
        Node {
            id,
            kind: ItemKind::Issue,
            title_text: "title".into(),
            id_inline: InlineId::of(id),
            done: false,
            in_progress: false,
            dropped: false,
            weight: 1.0,
            deps: Box::default(),
            dangling: Box::default(),
            held: None,
        }
    }

    #[test]
    fn cycles_are_the_components_of_several_nodes_and_the_nodes_that_wait_for_themselves() {
        // 0 -> 1 -> 2 -> 0 is a cycle, 3 waits for itself, 4 waits for the
        // cycle without being in it, 5 waits for nothing, 6 -> 7 -> 6.
        let deps: [&[usize]; 8] = [&[1], &[2], &[0], &[3], &[0], &[], &[7], &[6]];
        let nodes: Nodes = deps
            .iter()
            .enumerate()
            .map(|(i, deps)| {
                let mut n = node(i);
                n.deps = (*deps).into();
                n
            })
            .collect();
        let index = (0..deps.len()).map(|i| (nodes[i].id, i)).collect();
        let graph = Graph {
            nodes,
            index: Arc::new(index),
            titles: Titles::Keep,
        };
        assert_eq!(graph.cycles(), vec![vec![0, 1, 2], vec![3], vec![6, 7]]);
        let (from_four, reached) = graph.cycles_from([4]);
        assert_eq!(from_four, vec![vec![0, 1, 2]]);
        assert_eq!(
            reached,
            [true, true, true, false, true, false, false, false]
        );
    }

    /// A node reads its ID from its own copy when the ID is short, and
    /// from the interned ID otherwise, multi-byte text too.
    #[test]
    fn a_node_reads_its_id_whole_however_long() {
        for text in [
            "",
            "a",
            "swe-feature-001",
            "story-é/こ📦",
            "x-23-bytes-long-exactly",
            "x-24-bytes-long-exactly!",
            &"long-".repeat(20),
        ] {
            let id = Id::new(text);
            let mut node = node(0);
            node.id = id;
            node.id_inline = InlineId::of(id);
            node.title_text = "Title".into();
            assert_eq!(node.id_text(), text);
            assert_eq!(node.title(), "Title");
            node.title_text = Box::default();
            assert_eq!(node.id_text(), text, "without a title");
        }
        assert!(InlineId::of(Id::new("x-24-bytes-long-exactly!"))
            .text()
            .is_none());
    }

    #[test]
    fn nodes_index_across_chunks_and_a_copy_keeps_its_nodes() {
        let count = NODE_CHUNK * 2 + 3;
        let nodes: Nodes = (0..count).map(node).collect();
        assert_eq!(nodes.len(), count);
        assert_eq!(nodes.iter().count(), count);
        for i in [0, NODE_CHUNK - 1, NODE_CHUNK, count - 1] {
            assert_eq!(nodes[i].id_text(), format!("n-{i}"));
            assert_eq!(nodes[i].title(), "title");
        }
        let mut changed = nodes.clone();
        changed.set(NODE_CHUNK + 1, node(count));
        assert_eq!(changed[NODE_CHUNK + 1].id, format!("n-{count}"));
        assert_eq!(nodes[NODE_CHUNK + 1].id, format!("n-{}", NODE_CHUNK + 1));
        // Only the changed node's chunk was copied.
        assert!(Arc::ptr_eq(&nodes.chunks[0], &changed.chunks[0]));
        assert!(!Arc::ptr_eq(&nodes.chunks[1], &changed.chunks[1]));
        assert!(Arc::ptr_eq(&nodes.chunks[2], &changed.chunks[2]));
        assert!(Nodes::default().is_empty());
    }

    #[test]
    fn a_graph_without_titles_has_the_same_nodes_and_no_titles() {
        let ws = crate::analysis::fixture::workspace(
            "//- issues/backlog/swe-feature-001.md\n# First\n\n**Depends on:** swe-feature-002\n\
             //- issues/done/swe-feature-002.md\n# Second\n",
        )
        .workspace;
        let kept = Graph::build(&ws);
        let skipped = Graph::build_with(&ws, Titles::Skip);
        assert_eq!(skipped.titles, Titles::Skip);
        assert_eq!(kept.nodes.len(), 2);
        for (a, b) in kept.nodes.iter().zip(skipped.nodes.iter()) {
            assert_eq!((a.id, &a.deps, a.done), (b.id, &b.deps, b.done));
            assert_eq!(a.id_text(), b.id_text());
            assert_eq!(b.id_text(), b.id.as_str());
            assert!(!a.title().is_empty() && b.title().is_empty());
        }
        let first = &kept.nodes[kept.node_of("swe-feature-001").unwrap()];
        assert_eq!(first.title(), "First");
    }
}
