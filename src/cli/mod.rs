//! The command line: argument parsing, workspace discovery and the
//! commands `check`, `plan`, `graph` and `lsp`.

mod bench_floor;
mod check;
mod fix;
mod graph;
mod new;
pub(crate) mod output;
pub(crate) mod paths;
mod plan;
mod progress;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

pub use paths::display_path;

#[derive(Parser, Debug)]
#[command(
    name = "planmark",
    version,
    about = "A language server and checker for planning written as markdown"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Check planning files and report every problem found.
    #[command(after_help = CHECK_EXIT_CODES)]
    Check(check::CheckArgs),
    /// Print execution waves, ready and blocked items, cycles and the critical path.
    Plan(PlanArgs),
    /// Print the dependency graph as Mermaid or Graphviz DOT.
    Graph(GraphArgs),
    /// Create the next issue from the template in `backlog/` and add its index row.
    New(new::NewArgs),
    /// Run the language server over stdio.
    Lsp(LspArgs),
    /// Time reading and bare-parsing the planning files (for bench/run.py).
    #[command(hide = true)]
    BenchFloor(bench_floor::BenchFloorArgs),
}

/// The end of `planmark check --help`: what its exit codes mean.
const CHECK_EXIT_CODES: &str = "\
Exit codes:
  0  no errors (warnings, infos and hints alone do not fail)
  1  errors found, more warnings than --max-warnings, a file --fix could not write,
     or (with --fix --dry-run) something to fix
  2  planmark could not run: bad arguments, a missing path, a broken planmark.toml";

/// The language server's arguments: stdio is its only transport.
#[derive(clap::Args, Debug)]
pub struct LspArgs {
    /// Accepted and ignored: clients such as vscode-languageclient add it,
    /// and stdio is the only transport.
    #[arg(long)]
    pub stdio: bool,
}

#[derive(clap::Args, Debug)]
pub struct PlanArgs {
    /// The workspace root (default: the current directory).
    pub path: Option<PathBuf>,
    /// How to print the plan.
    #[arg(long, value_enum, default_value_t = PlanFormat::Text)]
    pub format: PlanFormat,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum PlanFormat {
    /// For people: waves, ready, blocked, cycles, critical path.
    Text,
    /// One JSON document with the same parts, by item ID.
    Json,
}

#[derive(clap::Args, Debug)]
pub struct GraphArgs {
    /// The workspace root (default: the current directory).
    pub path: Option<PathBuf>,
    /// The graph language to print.
    #[arg(long, value_enum, default_value_t = GraphFormat::Mermaid)]
    pub format: GraphFormat,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum GraphFormat {
    /// A Mermaid flowchart: renders in GitHub markdown (a ```mermaid block).
    Mermaid,
    /// Graphviz DOT: render it with `dot -Tsvg`.
    Dot,
}

/// Runs a command-line command and returns the process exit code. (`lsp`
/// is started by `main`: the server is not a command-line front end.)
pub fn run(command: Command) -> ExitCode {
    let result = match command {
        Command::Check(args) => check::run(args),
        Command::Plan(args) => plan::run(args),
        Command::Graph(args) => graph::run(args),
        Command::New(args) => new::run(args),
        // `main` starts the server itself; this arm only keeps the match whole.
        Command::Lsp(_) => return crate::server::run(),
        Command::BenchFloor(args) => bench_floor::run(args),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(2)
        }
    }
}
