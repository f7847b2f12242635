//! `planmark graph`: the dependency graph as Mermaid (renders on GitHub) or
//! Graphviz DOT, nodes styled by status and cycle edges marked.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::io::Write;
use std::process::ExitCode;

use crate::analysis::config::CONFIG_FILE_NAME;
use crate::analysis::graph::Graph;
use crate::analysis::model::ItemKind;
use crate::analysis::plan::plan;
use crate::cli::display_path;
use crate::cli::paths::{load_root, Root};
use crate::cli::{GraphArgs, GraphFormat};

/// Prints config errors, walk problems and a workspace without planning
/// files to stderr; true when the config is broken (exit code 2 once the
/// command's output is printed).
pub(crate) fn report_load_problems(root: &Root) -> bool {
    let ws = &root.loaded.workspace;
    for err in ws.config_errors() {
        let line = err.line.map(|l| format!(":{l}")).unwrap_or_default();
        // One line per problem, as `check` prints it: the TOML parser's
        // messages span two.
        let message = err.to_string().replace('\n', "; ");
        eprintln!(
            "{}{line}: error: {message}",
            display_path(&root.dir, CONFIG_FILE_NAME)
        );
    }
    for (rel, reason) in ws.unreadable() {
        eprintln!("{}: error: {reason}", display_path(&root.dir, rel));
    }
    for problem in &root.loaded.walk_problems {
        eprintln!(
            "{}: warning: {}",
            display_path(&root.dir, &problem.path),
            problem.message
        );
    }
    if ws.file_count() == 0 {
        // Else an empty plan reads as work all done, when the path is
        // likely not the project's.
        eprintln!(
            "{}: warning: no planning files in this folder or below it",
            root.dir.display()
        );
    }
    !ws.config_errors().is_empty()
}

/// Writes to stdout, ignoring a closed pipe.
pub(crate) fn print(text: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(text.as_bytes());
    let _ = stdout.flush();
}

pub(crate) fn run(args: GraphArgs) -> anyhow::Result<ExitCode> {
    let root = load_root(args.path.as_deref())?;
    let broken = report_load_problems(&root);
    let graph = Graph::build(&root.loaded.workspace);
    let out = match args.format {
        GraphFormat::Mermaid => mermaid(&graph),
        GraphFormat::Dot => dot(&graph),
    };
    if args.format == GraphFormat::Mermaid {
        if let Some(warning) = mermaid_too_large(&out) {
            eprintln!("warning: {warning}");
        }
    }
    print(&out);
    Ok(if broken {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Style {
    Done,
    Dropped,
    InProgress,
    Blocked,
    Ready,
    Waiting,
}

impl Style {
    fn class(self) -> &'static str {
        match self {
            Style::Done => "done",
            Style::Dropped => "dropped",
            Style::InProgress => "inprogress",
            Style::Blocked => "blocked",
            Style::Ready => "ready",
            Style::Waiting => "waiting",
        }
    }

    fn fill(self) -> &'static str {
        match self {
            Style::Done => "#c8e6c9",
            Style::Dropped => "#f5f5f5",
            Style::InProgress => "#bbdefb",
            Style::Blocked => "#ffcdd2",
            Style::Ready => "#fff9c4",
            Style::Waiting => "#eeeeee",
        }
    }
}

/// The nodes to draw (milestones only when something depends on them),
/// each with its style, and the edges as (dependency, dependent, in cycle).
/// A drawn edge: the dependency's node, the dependent's node, and whether
/// the edge is part of a cycle.
type Edge = (usize, usize, bool);

fn layout(graph: &Graph) -> (Vec<(usize, Style)>, Vec<Edge>) {
    let plan = plan(graph);
    let blocked: HashSet<&str> = plan.blocked.iter().map(|b| b.id.as_str()).collect();
    let ready: HashSet<&str> = plan.ready.iter().map(|id| id.as_str()).collect();
    let mut cycle_edges = HashSet::new();
    for cycle in graph.cycles() {
        for &member in &cycle {
            for &dep in &graph.nodes[member].deps {
                if cycle.contains(&dep) {
                    cycle_edges.insert((dep, member));
                }
            }
        }
    }
    // Milestones are drawn only when an edge touches them, so every edge's
    // ends are declared and lone roadmap rows do not clutter the picture.
    let referenced: HashSet<usize> = graph
        .nodes
        .iter()
        .enumerate()
        .filter(|(_, n)| !n.deps.is_empty())
        .flat_map(|(i, n)| n.deps.iter().copied().chain(std::iter::once(i)))
        .collect();
    let nodes = graph
        .nodes
        .iter()
        .enumerate()
        .filter(|(i, n)| n.kind != ItemKind::Milestone || referenced.contains(i))
        .map(|(i, n)| {
            let style = if n.dropped {
                Style::Dropped
            } else if n.done {
                Style::Done
            } else if blocked.contains(n.id.as_str()) {
                Style::Blocked
            } else if n.in_progress {
                Style::InProgress
            } else if ready.contains(n.id.as_str()) {
                Style::Ready
            } else {
                Style::Waiting
            };
            (i, style)
        })
        .collect();
    let mut edges = Vec::new();
    for (i, node) in graph.nodes.iter().enumerate() {
        for &dep in &node.deps {
            edges.push((dep, i, cycle_edges.contains(&(dep, i))));
        }
    }
    (nodes, edges)
}

/// A text as a Mermaid label shows it as written: each character Mermaid
/// would read (the quote that ends the label, `<` opening HTML, `#` opening
/// an entity code, `&` an HTML entity) and each it has read in some version
/// (brackets, braces, the bar and the backtick) is written as its entity
/// code, `#96;` for a backtick, which Mermaid turns back into the character.
fn mermaid_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '#' | '&' | '[' | ']' | '{' | '}' | '<' | '>' | '|' | '`' => {
                // Writing to a `String` cannot fail.
                let _ = write!(out, "#{};", u32::from(c));
            }
            _ => out.push(c),
        }
    }
    out
}

pub(crate) fn mermaid(graph: &Graph) -> String {
    let (nodes, edges) = layout(graph);
    let mut out = String::from("flowchart LR\n");
    for &(i, style) in &nodes {
        let n = &graph.nodes[i];
        let label = if n.title().is_empty() {
            mermaid_text(&n.id)
        } else {
            format!("{}<br/>{}", mermaid_text(&n.id), mermaid_text(n.title()))
        };
        out.push_str(&format!("  n{i}[\"{label}\"]:::{}\n", style.class()));
    }
    let mut cycle_links = Vec::new();
    for (k, &(from, to, cycle)) in edges.iter().enumerate() {
        if cycle {
            out.push_str(&format!("  n{from} -. cycle .-> n{to}\n"));
            cycle_links.push(k.to_string());
        } else {
            out.push_str(&format!("  n{from} --> n{to}\n"));
        }
    }
    for style in [
        Style::Done,
        Style::Dropped,
        Style::InProgress,
        Style::Blocked,
        Style::Ready,
        Style::Waiting,
    ] {
        // A dropped item's box is dashed, its text grey.
        let stroke = match style {
            Style::Dropped => "stroke:#9e9e9e,stroke-dasharray:4 3,color:#757575",
            _ => "stroke:#555",
        };
        out.push_str(&format!(
            "  classDef {} fill:{},{stroke}\n",
            style.class(),
            style.fill()
        ));
    }
    if !cycle_links.is_empty() {
        out.push_str(&format!(
            "  linkStyle {} stroke:#d32f2f,stroke-width:2px\n",
            cycle_links.join(",")
        ));
    }
    out
}

/// Mermaid's default limits (`maxTextSize`, `maxEdges`), which GitHub
/// keeps: a larger diagram shows an error in place of the graph.
const MERMAID_MAX_TEXT: usize = 50_000;
const MERMAID_MAX_EDGES: usize = 500;

/// Why Mermaid with its default limits (as on GitHub) will not draw `text`,
/// if it will not.
fn mermaid_too_large(text: &str) -> Option<String> {
    let edges = text
        .lines()
        .filter(|line| line.contains(" --> ") || line.contains(" .-> "))
        .count();
    let too_much = if text.len() > MERMAID_MAX_TEXT {
        format!(
            "{} characters (Mermaid draws at most {MERMAID_MAX_TEXT})",
            text.len()
        )
    } else if edges > MERMAID_MAX_EDGES {
        format!("{edges} edges (Mermaid draws at most {MERMAID_MAX_EDGES})")
    } else {
        return None;
    };
    Some(format!(
        "this graph is {too_much}: GitHub will show an error instead; \
         `--format dot` draws it with `dot -Tsvg`"
    ))
}

fn dot_text(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

pub(crate) fn dot(graph: &Graph) -> String {
    let (nodes, edges) = layout(graph);
    let mut out = String::from(
        "digraph planmark {\n  rankdir=LR;\n  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\"];\n",
    );
    for &(i, style) in &nodes {
        let n = &graph.nodes[i];
        let dashed = if style == Style::Dropped {
            ", style=\"rounded,filled,dashed\", fontcolor=\"#757575\""
        } else {
            ""
        };
        out.push_str(&format!(
            "  \"{}\" [label=\"{}\\n{}\", fillcolor=\"{}\"{dashed}, tooltip=\"{}\"];\n",
            dot_text(&n.id),
            dot_text(&n.id),
            dot_text(n.title()),
            style.fill(),
            style.class()
        ));
    }
    for &(from, to, cycle) in &edges {
        let attrs = if cycle {
            " [color=\"#d32f2f\", penwidth=2, label=\"cycle\"]"
        } else {
            ""
        };
        out.push_str(&format!(
            "  \"{}\" -> \"{}\"{attrs};\n",
            dot_text(&graph.nodes[from].id),
            dot_text(&graph.nodes[to].id)
        ));
    }
    out.push_str("}\n");
    out
}
