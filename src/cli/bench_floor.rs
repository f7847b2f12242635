//! `planmark bench-floor PATH` (hidden): the physical floor the benchmark
//! suite (`bench/run.py`) compares `planmark check` against. It lists the
//! planning files exactly as the loader does, then times (a) reading every
//! file on every core, the way `load` reads them, and (b) parsing every file
//! with bare pulldown-cmark (tables and task lists, the options planmark
//! uses), also on every core, and prints one JSON object:
//! `{"files": N, "bytes": B, "list_ms": l, "read_ms": r, "parse_ms": p}`.
//!
//! With `--phases` it then times what `planmark check` does with the same
//! texts — building the workspace (parse and index), running the rules and
//! freeing everything — and adds `load_ms`, `check_ms`, `drop_ms` and
//! `diagnostics`, to show where `check` spends its time above the floor.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::bail;
use pulldown_cmark::{Options, Parser};
use rayon::prelude::*;

use crate::analysis::rules::{check_file, check_workspace, Context};
use crate::analysis::workspace::{FileInput, Workspace};
use crate::load::{list_planning_files, read_config, read_input};

#[derive(clap::Args, Debug)]
pub struct BenchFloorArgs {
    /// The workspace root.
    pub path: PathBuf,
    /// Also time building the workspace, the rules and freeing them.
    #[arg(long)]
    pub phases: bool,
}

pub(crate) fn run(args: BenchFloorArgs) -> anyhow::Result<ExitCode> {
    if !args.path.is_dir() {
        bail!("`{}` is not a folder", args.path.display());
    }
    let started = Instant::now();
    let (config, config_errors, _) = read_config(&args.path);
    let (files, _) = list_planning_files(&args.path, &config);
    let list_ms = ms(started);

    let started = Instant::now();
    let inputs: Vec<(String, FileInput)> = files
        .into_par_iter()
        .map(|(rel, path)| (rel, read_input(&path)))
        .collect();
    let read_ms = ms(started);

    let texts: Vec<&str> = inputs
        .iter()
        .filter_map(|(_, input)| match input {
            FileInput::Text(text) | FileInput::NotUtf8 { text, .. } => Some(&**text),
            FileInput::Unreadable(_) => None,
        })
        .collect();
    let bytes: usize = texts.iter().map(|t| t.len()).sum();

    let started = Instant::now();
    let options = Options::ENABLE_TABLES | Options::ENABLE_TASKLISTS;
    let events: usize = texts
        .par_iter()
        .map(|text| Parser::new_ext(text, options).count())
        .sum();
    let parse_ms = ms(started);

    let mut report = serde_json::json!({
        "files": texts.len(),
        "bytes": bytes,
        "events": events,
        "list_ms": list_ms,
        "read_ms": read_ms,
        "parse_ms": parse_ms,
    });
    drop(texts);

    if args.phases {
        let started = Instant::now();
        let mut workspace = Workspace::new(config, config_errors);
        workspace.load(inputs);
        let load_ms = ms(started);

        let started = Instant::now();
        let diagnostics = check_workspace(&workspace);
        let check_ms = ms(started);
        let count = diagnostics.len();

        // Inside the rules: the workspace-wide context (serial), and the
        // slowest single file (the files are checked on every core).
        let started = Instant::now();
        let ctx = Context::new(&workspace);
        report["context_ms"] = ms(started).into();
        let mut slowest = (0.0, String::new());
        for file in workspace.files() {
            let started = Instant::now();
            check_file(&workspace, &ctx, &file.rel);
            let took = ms(started);
            if took > slowest.0 {
                slowest = (took, file.rel.to_string());
            }
        }
        report["slowest_file_ms"] = slowest.0.into();
        report["slowest_file"] = slowest.1.into();
        drop(ctx);

        let started = Instant::now();
        drop(diagnostics);
        drop(workspace);
        let drop_ms = ms(started);

        report["load_ms"] = load_ms.into();
        report["check_ms"] = check_ms.into();
        report["drop_ms"] = drop_ms.into();
        report["diagnostics"] = count.into();
    }
    println!("{report}");
    Ok(ExitCode::SUCCESS)
}

fn ms(started: Instant) -> f64 {
    started.elapsed().as_secs_f64() * 1000.0
}
