//! `planmark plan`: waves, ready and blocked items, cycles and the critical
//! path, as text or JSON.

use std::collections::HashSet;
use std::process::ExitCode;

use serde::Serialize;
use unicode_width::UnicodeWidthStr;

use crate::analysis::graph::Graph;
use crate::analysis::intern::{self, Id};
use crate::analysis::plan::{plan, Plan};
use crate::cli::output::plural;
use crate::cli::paths::load_root;
use crate::cli::{PlanArgs, PlanFormat};

pub(crate) fn run(args: PlanArgs) -> anyhow::Result<ExitCode> {
    let root = load_root(args.path.as_deref())?;
    let ws = &root.loaded.workspace;
    let broken = super::graph::report_load_problems(&root);
    let graph = Graph::build(ws);
    let plan = plan(&graph);
    let out = match args.format {
        PlanFormat::Json => plan_json(&plan),
        PlanFormat::Text => plan_text(&plan, &graph),
    };
    super::graph::print(&out);
    Ok(if broken {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

/// The JSON of `plan --format json`: the CLI's own shape, so that the
/// analysis types stay free to change. Keys are in alphabetical order, as
/// the output has always had them.
#[derive(Serialize)]
struct PlanJson<'a> {
    blocked: Vec<BlockedJson<'a>>,
    critical_path: CriticalPathJson,
    cycles: Vec<Vec<&'static str>>,
    ready: Vec<&'static str>,
    waves: Vec<Vec<&'static str>>,
}

#[derive(Serialize)]
struct BlockedJson<'a> {
    blocked_by: Vec<&'static str>,
    id: &'static str,
    reason: &'a str,
}

#[derive(Serialize)]
struct CriticalPathJson {
    items: Vec<&'static str>,
    length: f64,
}

fn texts(ids: &[Id]) -> Vec<&'static str> {
    ids.iter().map(|id| id.as_str()).collect()
}

pub(crate) fn plan_json(plan: &Plan) -> String {
    let value = PlanJson {
        waves: plan.waves.iter().map(|wave| texts(wave)).collect(),
        ready: texts(&plan.ready),
        blocked: plan
            .blocked
            .iter()
            .map(|b| BlockedJson {
                id: b.id.as_str(),
                blocked_by: texts(&b.blocked_by),
                reason: &b.reason,
            })
            .collect(),
        cycles: plan.cycles.iter().map(|cycle| texts(cycle)).collect(),
        critical_path: CriticalPathJson {
            items: texts(&plan.critical_path.items),
            length: plan.critical_path.length,
        },
    };
    serde_json::to_string_pretty(&value).expect("plan JSON serialises") + "\n"
}

fn plan_text(plan: &Plan, graph: &Graph) -> String {
    let mut out = String::new();
    let open: usize = plan.waves.iter().map(Vec::len).sum();
    // The closed items are counted, not listed: a project whose work is
    // all done shows `0 open items` next to how much is done, not as if
    // it had nothing.
    let dropped = graph.nodes.iter().filter(|n| n.dropped).count();
    let done = graph.nodes.iter().filter(|n| n.done).count() - dropped;
    let closed = match (done, dropped) {
        (0, 0) => String::new(),
        (done, 0) => format!(" ({done} done)"),
        (done, dropped) => format!(" ({done} done, {dropped} dropped)"),
    };
    out.push_str(&format!(
        "Waves: {} in {}{closed}\n",
        plural(open, "open item"),
        plural(plan.waves.len(), "wave")
    ));
    // One item a line with its title: a BMAD project's first wave holds
    // fifteen stories and tasks, which made a line no one could read.
    for (i, wave) in plan.waves.iter().enumerate() {
        out.push_str(&format!("  Wave {} ({}):\n", i + 1, wave.len()));
        push_titled(&mut out, "    ", wave, graph);
    }
    out.push_str(&format!("\nReady ({}):\n", plan.ready.len()));
    push_titled(&mut out, "  ", &plan.ready, graph);
    out.push_str(&format!("\nBlocked ({}):\n", plan.blocked.len()));
    for b in &plan.blocked {
        out.push_str(&format!("  {}  {}\n", b.id, b.reason));
    }
    out.push_str(&format!("\nCycles ({}):\n", plan.cycles.len()));
    // Each cycle as the shortest loop through its first member, and the
    // members that loop leaves out (a cycle can be several loops).
    for (cycle, looped) in plan.cycles.iter().zip(&plan.loops) {
        out.push_str(&format!(
            "  {} -> {}\n",
            intern::join(looped, " -> "),
            looped[0]
        ));
        if looped.len() < cycle.len() {
            let shown: HashSet<Id> = looped.iter().copied().collect();
            let rest: Vec<Id> = cycle
                .iter()
                .copied()
                .filter(|id| !shown.contains(id))
                .collect();
            out.push_str(&format!(
                "    and in the same cycle: {}\n",
                intern::join(&rest, ", ")
            ));
        }
    }
    let cp = &plan.critical_path;
    // Its length is effort (`[plan.weights]`), not a count of items.
    out.push_str(&format!(
        "\nCritical path ({}, effort {}):\n",
        plural(cp.items.len(), "item"),
        cp.length
    ));
    // In order, from the item to start first to the last one.
    push_titled(&mut out, "  ", &cp.items, graph);
    out
}

/// Each of `ids` on a line of its own after `indent`, with its title in a
/// column after the longest ID of the list.
fn push_titled(out: &mut String, indent: &str, ids: &[Id], graph: &Graph) {
    let id_width = ids.iter().map(|id| id.as_str().width()).max().unwrap_or(0);
    for id in ids {
        let id = id.as_str();
        let line = format!(
            "{indent}{id}{}  {}",
            " ".repeat(id_width - id.width()),
            graph.node_of(id).map_or("", |i| graph.nodes[i].title())
        );
        out.push_str(line.trim_end());
        out.push('\n');
    }
}
