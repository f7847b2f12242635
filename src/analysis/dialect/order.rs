//! The order a tasks file is worked through, for dialects whose tasks wait
//! for the ones above them without saying so: spec-kit (phases, `[P]`
//! runs), Kiro and cc-sdd (tasks in number order, `(P)` runs), OpenSpec
//! and BMAD stories (tasks in file order). A dialect lays its tasks out as
//! a [`Schedule`]; [`add_order`] then gives each open task dependencies on
//! the open tasks it waits for, with an empty range at the end of the
//! task's first line, since the order is written nowhere as a dependency.

use std::collections::{HashMap, HashSet};

use crate::analysis::intern::Id;
use crate::analysis::model::{Item, ItemKind, RefRole, Reference, Target};
use crate::analysis::parse::trim_range;
use crate::analysis::text::TextRange;

/// The execution order of a tasks file: segments (runs of tasks of one
/// phase, in file order) and steps (a task without `[P]`, or a run of
/// `[P]` tasks, inside a segment).
pub(crate) struct Schedule {
    /// The item index of each task, in file order.
    pub(crate) tasks: Vec<usize>,
    /// Each task's step.
    pub(crate) step_of: Vec<usize>,
    pub(crate) steps: Vec<Step>,
    pub(crate) segments: Vec<Segment>,
}

pub(crate) struct Step {
    pub(crate) segment: usize,
    pub(crate) members: Vec<usize>,
    /// The steps this one waits for.
    pub(crate) preds: Vec<usize>,
}

pub(crate) struct Segment {
    /// A user-story phase, which waits for Foundational only.
    pub(crate) story: bool,
    /// The last phase before it that is not a user story's.
    pub(crate) base: Option<usize>,
    pub(crate) last_step: usize,
    /// The segments of other user stories a story waits for, because the
    /// file says so (`User Story 2: Depends on US1`), directly or through
    /// them.
    pub(crate) waits_for: Vec<usize>,
}

impl Schedule {
    /// One segment whose tasks run from the top, one after another; the
    /// tasks `parallel` marks form one step with the marked tasks right
    /// before them that have the same parent. `tasks` are item indexes in
    /// file order.
    fn in_file_order(
        items: &[Item],
        tasks: Vec<usize>,
        parallel: impl Fn(&Item) -> bool,
    ) -> Schedule {
        let mut schedule = Schedule {
            step_of: Vec::with_capacity(tasks.len()),
            steps: Vec::new(),
            segments: vec![Segment {
                story: false,
                base: Some(0),
                last_step: 0,
                waits_for: Vec::new(),
            }],
            tasks,
        };
        let mut previous: Option<&Item> = None;
        for &i in &schedule.tasks {
            let item = &items[i];
            let joins =
                previous.is_some_and(|p| parallel(p) && parallel(item) && p.parent == item.parent);
            if !joins {
                let preds = schedule.steps.len().checked_sub(1).into_iter().collect();
                schedule.steps.push(Step {
                    segment: 0,
                    members: Vec::new(),
                    preds,
                });
            }
            let step = schedule.steps.len() - 1;
            schedule.steps[step].members.push(schedule.step_of.len());
            schedule.step_of.push(step);
            previous = Some(item);
        }
        schedule.segments[0].last_step = schedule.steps.len().saturating_sub(1);
        schedule
    }

    /// Each task's place in the order by its ID, the first of a task
    /// written twice.
    pub(crate) fn positions<'a>(&self, items: &'a [Item]) -> HashMap<&'a str, usize> {
        self.tasks
            .iter()
            .enumerate()
            .rev()
            .map(|(pos, &i)| (items[i].id.as_str(), pos))
            .collect()
    }

    /// Whether task `b` comes after task `a` in the order: later in the
    /// same segment, or in a segment that waits for `a`'s.
    pub(crate) fn comes_after(&self, a: usize, b: usize) -> bool {
        let (sa, sb) = (self.step_of[a], self.step_of[b]);
        let (ga, gb) = (self.steps[sa].segment, self.steps[sb].segment);
        if ga == gb {
            return sb > sa;
        }
        let segment = &self.segments[gb];
        if segment.story {
            segment.base.is_some_and(|base| ga <= base) || segment.waits_for.contains(&ga)
        } else {
            ga < gb
        }
    }
}

/// Orders a checklist of tasks worked through from the top (Kiro, cc-sdd,
/// OpenSpec, BMAD's story tasks): each open task waits for the open tasks
/// above it, a parent for its sub-tasks (which the graph does already, so
/// parents stay out of the order), and the tasks `parallel` marks side by
/// side under one parent for what came before them only.
pub(crate) fn add_list_order(text: &str, items: &mut [Item], parallel: impl Fn(&Item) -> bool) {
    let schedule = list_schedule(items, parallel);
    add_order(text, items, &schedule);
}

/// The order of a checklist worked through from the top (see
/// [`add_list_order`]): its tasks without sub-tasks, in file order.
pub(crate) fn list_schedule(items: &[Item], parallel: impl Fn(&Item) -> bool) -> Schedule {
    let parents: HashSet<Id> = items.iter().filter_map(|i| i.parent).collect();
    let leaves = (0..items.len())
        .filter(|&i| items[i].kind == ItemKind::Task && !parents.contains(&items[i].id))
        .collect();
    Schedule::in_file_order(items, leaves, parallel)
}

/// A dependency list entry of an open task, as written, on tasks of its
/// file's order.
pub(crate) struct WrittenDependency {
    /// The task's place in the order.
    pub(crate) task: usize,
    /// Where the entry is written.
    pub(crate) range: TextRange,
    /// The places in the order of the tasks it names (`T001-T009` names
    /// several), other than the task's own.
    pub(crate) targets: Vec<usize>,
}

/// The dependencies the open tasks of `schedule` write on other tasks of
/// it, one per written entry. A checked task has run, so its order decides
/// nothing any more, and the order's own dependencies are written nowhere.
pub(crate) fn written_dependencies(items: &[Item], schedule: &Schedule) -> Vec<WrittenDependency> {
    let position = schedule.positions(items);
    let mut written: Vec<WrittenDependency> = Vec::new();
    for (pos, &i) in schedule.tasks.iter().enumerate() {
        let task = &items[i];
        if task.is_done() {
            continue;
        }
        let first = written.len();
        for dep in task.deps.iter().filter(|d| !d.range.is_empty()) {
            let Some(&q) = dep.target.as_id().and_then(|id| position.get(id)) else {
                continue;
            };
            if q == pos {
                continue;
            }
            match written[first..].last_mut() {
                Some(entry) if entry.range == dep.range => entry.targets.push(q),
                _ => written.push(WrittenDependency {
                    task: pos,
                    range: dep.range,
                    targets: vec![q],
                }),
            }
        }
    }
    written
}

/// How many dependencies the order may add to one file: a phase of
/// thousands of `[P]` tasks after another would otherwise make millions.
/// Past it, the remaining tasks wait only for what they name.
const MAX_ORDER_EDGES: usize = 100_000;

/// Gives each open task the order's dependencies: the open tasks it waits
/// for through the steps before its own. Done and optional tasks are passed
/// over (what waits for them waits for what they waited for), and so is a
/// task that depends on a later one: nothing waits for it through the
/// order, or the order and its dependency would form a cycle.
pub(crate) fn add_order(text: &str, items: &mut [Item], schedule: &Schedule) {
    let n = schedule.tasks.len();
    let position = schedule.positions(items);
    let explicit: Vec<Vec<usize>> = schedule
        .tasks
        .iter()
        .map(|&i| {
            items[i]
                .deps
                .iter()
                .filter_map(|d| position.get(d.target.as_id()?).copied())
                .collect()
        })
        .collect();
    let lifted: Vec<bool> = (0..n)
        .map(|pos| explicit[pos].iter().any(|&q| schedule.comes_after(pos, q)))
        .collect();
    let open: Vec<bool> = schedule
        .tasks
        .iter()
        .map(|&i| !items[i].is_done())
        .collect();
    // An optional task (Kiro's `- [ ]*`) may be skipped: it waits for the
    // tasks before it, but nothing after it waits for it.
    let holds: Vec<bool> = schedule
        .tasks
        .iter()
        .enumerate()
        .map(|(pos, &i)| open[pos] && items[i].field("Optional").is_none())
        .collect();
    // The open tasks a step stands for: its own, or, when all of its are
    // done or optional, those its predecessors stand for.
    let mut frontier: Vec<Vec<usize>> = Vec::with_capacity(schedule.steps.len());
    for step in &schedule.steps {
        let own: Vec<usize> = step
            .members
            .iter()
            .copied()
            .filter(|&pos| holds[pos] && !lifted[pos])
            .collect();
        let mut set = if own.is_empty() {
            let mut inherited: Vec<usize> = step
                .preds
                .iter()
                .flat_map(|&p| frontier[p].iter().copied())
                .collect();
            inherited.sort_unstable();
            inherited.dedup();
            inherited
        } else {
            own
        };
        set.shrink_to_fit();
        frontier.push(set);
    }
    let mut added: Vec<(usize, Vec<usize>)> = Vec::new();
    let mut budget = MAX_ORDER_EDGES;
    for pos in 0..n {
        if !open[pos] {
            continue;
        }
        let step = &schedule.steps[schedule.step_of[pos]];
        let own_id = &items[schedule.tasks[pos]].id;
        let mut waits: Vec<usize> = step
            .preds
            .iter()
            .flat_map(|&p| frontier[p].iter().copied())
            .filter(|&q| {
                // A task defined twice does not wait for its other copy.
                q != pos && !explicit[pos].contains(&q) && items[schedule.tasks[q]].id != *own_id
            })
            .collect();
        waits.sort_unstable();
        waits.dedup();
        if waits.len() > budget {
            break;
        }
        budget -= waits.len();
        if !waits.is_empty() {
            added.push((pos, waits));
        }
    }
    for (pos, waits) in added {
        let task = &items[schedule.tasks[pos]];
        let first_line = text[task.range.start()..task.range.end()]
            .find('\n')
            .map_or(task.range.end(), |i| task.range.start() + i);
        let at = trim_range(text, TextRange::new(task.range.start(), first_line)).end();
        let refs: Vec<Reference> = waits
            .iter()
            .map(|&q| {
                let target = &items[schedule.tasks[q]];
                Reference {
                    target: Target::Id(target.id),
                    written: target.number.as_deref().unwrap_or_default().into(),
                    range: TextRange::empty(at),
                    role: RefRole::Dependency,
                    expects: Some(ItemKind::Task),
                }
            })
            .collect();
        items[schedule.tasks[pos]].deps.extend(refs);
    }
}
