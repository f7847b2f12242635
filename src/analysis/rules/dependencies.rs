//! Rules on references between items: dangling and self dependencies,
//! cycles, done items waiting on open ones, unknown milestones and
//! duplicate IDs.

use crate::analysis::graph::closes_cycle;
use crate::analysis::ids;
use crate::analysis::model::{Item, ItemKind, RefRole, Reference, Target};
use crate::analysis::parse::refs;
use crate::analysis::rules::context::Context;
use crate::analysis::rules::status::counts_as_done;
use crate::analysis::rules::{Payload, Related, Rule, Sink};
use crate::analysis::suggest;
use crate::analysis::workspace::{SourceFile, Workspace};

/// How many "did you mean" suggestions one file's check looks up: past
/// that, a file holding hundreds of thousands of unknown IDs gets its
/// diagnostics without them rather than late.
const MAX_SUGGESTIONS_PER_FILE: usize = 1000;

/// How many graph nodes the test whether a "did you mean" hint would close
/// a cycle may visit: every check of every file runs it for each dangling
/// reference, so it stays small (the quick fix looks further).
const HINT_CYCLE_BUDGET: usize = 2_000;

/// The suggestions a file's check has looked up, by ID.
#[derive(Default)]
struct Suggestions {
    found: rustc_hash::FxHashMap<String, Vec<String>>,
}

impl Suggestions {
    fn for_id(&mut self, ws: &Workspace, ctx: &Context, id: &str) -> &[String] {
        if !self.found.contains_key(id) {
            let found = if self.found.len() >= MAX_SUGGESTIONS_PER_FILE {
                Vec::new()
            } else {
                suggest_ids(ws, ctx, id)
            };
            self.found.insert(id.to_string(), found);
        }
        &self.found[id]
    }
}

pub(crate) fn check(ws: &Workspace, ctx: &Context, file: &SourceFile, sink: &mut Sink<'_>) {
    let mut suggestions = Suggestions::default();
    for item in &file.facts.items {
        let node = ctx.graph.index.get(&item.id).copied();
        let done = counts_as_done(file, item);
        for dep in &item.deps {
            let Some(id) = dep.target.as_id() else {
                continue;
            };
            // A link names a file: the file must be there, whatever the ID
            // its name stands for.
            if let Some(path) = refs::written_link_path(&file.rel, &dep.written) {
                if ws.file(&path).is_none() && !ws.unreadable().contains_key(&path) {
                    let message = format!("the link points at `{path}`, which is not a planning file of the workspace");
                    sink.push_with(
                        Rule::DanglingDependency,
                        dep.range,
                        message,
                        Payload::DanglingLink {
                            id: id.to_string(),
                            path,
                        },
                    );
                    continue;
                }
            }
            let Some(resolved) = ws.resolve(&dep.target) else {
                dangling(ws, ctx, Some(item), dep, id, &mut suggestions, sink);
                continue;
            };
            if resolved == item.id {
                sink.push(
                    Rule::SelfDependency,
                    dep.range,
                    format!("`{}` depends on itself", item.id),
                );
                continue;
            }
            let target = ctx.graph.index.get(&resolved).copied();
            if let (Some(n), Some(t)) = (node, target) {
                let cycle = ctx
                    .cycle_of
                    .get(&n)
                    .filter(|&&c| ctx.cycle_of.get(&t) == Some(&c));
                if let Some(&c) = cycle {
                    cycle_diagnostic(ws, ctx, c, dep, sink);
                }
            }
            if done && !ctx.is_done(&resolved) {
                sink.push(
                    Rule::DoneWithOpenDependency,
                    dep.range,
                    format!(
                        "`{}` is done but its dependency `{resolved}` is not",
                        item.id
                    ),
                );
            }
        }
        if let Some(milestone) = &item.milestone {
            if ws.has_roadmap() && ws.resolve(&milestone.target).is_none() {
                let hint = match &milestone.target {
                    Target::Id(_) => String::new(),
                    Target::MilestoneTitle(_) => {
                        " (write it as `M<n>` or as the roadmap's title)".to_string()
                    }
                };
                sink.push(
                    Rule::UnknownMilestone,
                    milestone.range,
                    format!(
                        "milestone `{}` is not defined in the roadmap{hint}",
                        milestone.written.trim()
                    ),
                );
            }
        }
        duplicates(ws, ctx, file, item, sink);
    }
    for reference in &file.facts.references {
        if reference.role == RefRole::NextTask && ws.resolve(&reference.target).is_none() {
            if let Some(id) = reference.target.as_id() {
                dangling(ws, ctx, None, reference, id, &mut suggestions, sink);
            }
        }
    }
}

fn dangling(
    ws: &Workspace,
    ctx: &Context,
    item: Option<&Item>,
    dep: &Reference,
    id: &str,
    suggestions: &mut Suggestions,
    sink: &mut Sink<'_>,
) {
    let kind = if id.starts_with('M') {
        "milestone"
    } else if id.starts_with("story-") && id.contains('/') {
        "task"
    } else if id.starts_with("story-") {
        "story"
    } else {
        "issue"
    };
    let in_range = if !dep.written.eq_ignore_ascii_case(id) && dep.written.contains(' ') {
        format!(" (from `{}`)", dep.written)
    } else {
        String::new()
    };
    // The nearest ID that closes no dependency cycle, as the preferred
    // quick fix writes; else the nearest, with a warning.
    let found = suggestions.for_id(ws, ctx, id);
    let (suggestion, closes) = match found
        .iter()
        .find(|s| !item.is_some_and(|i| closes_cycle(&ctx.graph, i, s, HINT_CYCLE_BUDGET)))
    {
        Some(s) => (Some(s), false),
        None => (found.first(), true),
    };
    let hint = match (suggestion, closes) {
        (Some(s), false) => format!("; did you mean `{s}`?"),
        (Some(s), true) => format!("; did you mean `{s}`? (it would close a dependency cycle)"),
        (None, _) => String::new(),
    };
    sink.push_with(
        Rule::DanglingDependency,
        dep.range,
        format!("`{id}`{in_range} names no known {kind}{hint}"),
        Payload::Dangling {
            id: id.to_string(),
            suggestion: suggestion.cloned(),
            closes_cycle: suggestion.is_some() && closes,
        },
    );
}

/// The likely intended IDs for a misspelt one, nearest first, found by
/// looking up near variants rather than comparing with every ID in the
/// workspace.
pub(crate) fn suggest_ids(ws: &Workspace, ctx: &Context, id: &str) -> Vec<String> {
    if let Some(parts) = ids::issue_parts(id) {
        let mut candidates: Vec<String> = Vec::new();
        // The same number with another expert or type.
        candidates.extend(
            ctx.by_number
                .get(&parts.number)
                .into_iter()
                .flatten()
                .cloned(),
        );
        // One digit changed, dropped, added or swapped.
        let digits = parts.digits;
        let mut variants = Vec::new();
        for i in 0..digits.len() {
            variants.push(format!("{}{}", &digits[..i], &digits[i + 1..]));
            for d in '0'..='9' {
                variants.push(format!("{}{d}{}", &digits[..i], &digits[i + 1..]));
                variants.push(format!("{}{d}{}", &digits[..i], &digits[i..]));
            }
            if i + 1 < digits.len() {
                let mut b: Vec<char> = digits.chars().collect();
                b.swap(i, i + 1);
                variants.push(b.into_iter().collect());
            }
        }
        for v in variants {
            if let Ok(n) = v.parse::<u32>() {
                let candidate = ids::issue_id(parts.expert, parts.kind, n);
                if candidate != id && ws.item(&candidate).is_some() {
                    candidates.push(candidate);
                }
            }
        }
        candidates.sort();
        candidates.dedup();
        return suggest::ranked(id, candidates.iter().map(String::as_str))
            .into_iter()
            .map(str::to_string)
            .collect();
    }
    if ctx.graph.nodes.len() <= 5000 {
        return suggest::ranked(id, ctx.graph.nodes.iter().map(|n| n.id.as_str()))
            .into_iter()
            .map(str::to_string)
            .collect();
    }
    Vec::new()
}

/// How many members of a dependency cycle a diagnostic names.
const MAX_CYCLE_SHOWN: usize = 20;

/// How many other definitions a `duplicate-id` diagnostic lists.
const MAX_RELATED: usize = 20;

fn cycle_diagnostic(
    ws: &Workspace,
    ctx: &Context,
    cycle: usize,
    dep: &Reference,
    sink: &mut Sink<'_>,
) {
    let members = &ctx.cycles[cycle];
    // Every member of the cycle gets this diagnostic: naming all of them in
    // each would make a 10,000-issue cycle cost 10,000² names and related
    // locations, so a long cycle is shown by its first members.
    let shown = &members[..members.len().min(MAX_CYCLE_SHOWN)];
    let mut names: Vec<String> = shown
        .iter()
        .map(|&m| ctx.graph.nodes[m].id.clone())
        .collect();
    if shown.len() < members.len() {
        names.push(format!("... {} more", members.len() - shown.len()));
    }
    names.push(names[0].clone());
    let related: Vec<Related> = shown
        .iter()
        .filter_map(|&m| {
            let id = &ctx.graph.nodes[m].id;
            let (file, item) = ws.item(id)?;
            Some(Related {
                rel: file.rel.clone(),
                range: item.def_range,
                message: format!("`{id}` is part of the cycle"),
            })
        })
        .collect();
    if let Some(d) = sink.push(
        Rule::DependencyCycle,
        dep.range,
        format!("dependency cycle: {}", names.join(" -> ")),
    ) {
        d.related = related;
    }
}

fn duplicates(
    ws: &Workspace,
    ctx: &Context,
    file: &SourceFile,
    item: &crate::analysis::model::Item,
    sink: &mut Sink<'_>,
) {
    let defs = ws.definitions(&item.id);
    if defs.len() > 1 {
        let related = defs
            .iter()
            .filter(|loc| !(loc.rel == file.rel && ws.item_at(loc).def_range == item.def_range))
            // Every copy is reported: listing all the others in each would
            // make 10,000 copies cost 10,000² related locations.
            .take(MAX_RELATED)
            .map(|loc| Related {
                rel: loc.rel.clone(),
                range: ws.item_at(loc).def_range,
                message: format!("`{}` is also defined here", item.id),
            })
            .collect();
        if let Some(d) = sink.push(
            Rule::DuplicateId,
            item.def_range,
            format!(
                "{} `{}` is defined {} times",
                item.kind.name(),
                item.id,
                defs.len()
            ),
        ) {
            d.related = related;
        }
        return;
    }
    if item.kind != ItemKind::Issue {
        return;
    }
    let Some(parts) = ids::issue_parts(&item.id) else {
        return;
    };
    let Some(sharing) = ctx.shared_numbers.get(&parts.number) else {
        return;
    };
    let others: Vec<_> = sharing
        .iter()
        .filter(|loc| ws.item_at(loc).id != item.id)
        .take(MAX_RELATED)
        .collect();
    if others.is_empty() {
        return;
    }
    let mut names: Vec<String> = others
        .iter()
        .map(|loc| format!("`{}`", ws.item_at(loc).id))
        .collect();
    // The item's ID is defined once here (a duplicate returned above), so
    // every other issue with the number is one of the others.
    let more = sharing.len().saturating_sub(1 + others.len());
    if more > 0 {
        names.push(format!("{more} more"));
    }
    let related = others
        .iter()
        .map(|loc| Related {
            rel: loc.rel.clone(),
            range: ws.item_at(loc).def_range,
            message: format!("`{}` uses the same number", ws.item_at(loc).id),
        })
        .collect();
    if let Some(d) = sink.push(
        Rule::DuplicateId,
        item.def_range,
        format!(
            "issue number {} is also used by {}; issue numbers are unique across experts and types",
            parts.digits,
            names.join(", ")
        ),
    ) {
        d.related = related;
    }
}
