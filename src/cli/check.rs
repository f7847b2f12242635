//! `planmark check`: every diagnostic of one or more workspaces or files,
//! in the human, JSON, SARIF or GitHub format, with exit codes 0/1/2.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::bail;
use clap::ValueEnum;
use rayon::prelude::*;

use crate::analysis::config::{Severity, CONFIG_FILE_NAME};
use crate::analysis::rules::check_workspace;
use crate::cli::output::{self, Finding};
use crate::cli::paths::{display_path, PathDisplay};
use crate::cli::progress::Progress;
use crate::discover::enclosing_project;
use crate::load::{load_workspace_with, TakenNames};

#[derive(clap::Args, Debug)]
pub struct CheckArgs {
    /// Workspace folders or planning files (default: the current directory).
    pub paths: Vec<PathBuf>,
    /// How to report the findings.
    #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
    pub format: CheckFormat,
    /// Exit with 1 when there are more than this many warnings.
    #[arg(long, value_name = "N")]
    pub max_warnings: Option<usize>,
    /// Apply the safe fixes (index rows, a status taken from the folder, a
    /// status word a format spells otherwise) of the files checked, print what changed, then report what is left.
    /// A file that cannot be written gets an `error:` line on stderr and
    /// makes the exit code 1.
    #[arg(long)]
    pub fix: bool,
    /// With `--fix`: print the fixes as a unified diff and write nothing
    /// (exit code 1 when there is something to fix).
    #[arg(long, requires = "fix")]
    pub dry_run: bool,
}

/// Whether `rel` is among the parts of a root that `check` was asked about:
/// every file when `only` is `None`, else the files it names and the files
/// under the folders it names (those end with `/`).
fn in_scope(only: Option<&[String]>, rel: &str) -> bool {
    only.is_none_or(|parts| {
        parts
            .iter()
            .any(|part| part == rel || (part.ends_with('/') && rel.starts_with(part.as_str())))
    })
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum CheckFormat {
    /// For people: each finding with its source line underlined, then the counts.
    Human,
    /// One JSON document: `diagnostics`, `problems` and `summary`.
    Json,
    /// SARIF 2.1.0, for code scanning (GitHub's `upload-sarif`).
    Sarif,
    /// GitHub Actions workflow commands: annotations on the pull request.
    Github,
}

pub(crate) fn run(args: CheckArgs) -> anyhow::Result<ExitCode> {
    let targets = if args.paths.is_empty() {
        vec![std::env::current_dir()?]
    } else {
        args.paths.clone()
    };
    // Roots to load, each with the files to report (None = all of them).
    let mut roots: BTreeMap<PathBuf, Option<Vec<String>>> = BTreeMap::new();
    for target in &targets {
        if !target.exists() {
            bail!("`{}` does not exist", target.display());
        }
        if target.is_dir() {
            std::fs::read_dir(target)
                .map_err(|e| anyhow::anyhow!("cannot read `{}`: {e}", target.display()))?;
            // A folder of a planning layout (`issues/`, `.planning/`) is
            // checked within its project, for its files.
            match crate::discover::project_above_layout_folder(target) {
                Some(project) => {
                    let folder = crate::load::relative(
                        &project,
                        &crate::discover::lexical(&crate::discover::absolute(target)),
                    )
                    .unwrap_or_default();
                    if let Some(files) = roots.entry(project).or_insert_with(|| Some(Vec::new())) {
                        files.push(format!("{folder}/"));
                    }
                }
                None => {
                    roots.insert(crate::discover::absolute(target), None);
                }
            }
        } else {
            let root = crate::discover::root_of_file(target);
            let rel = crate::load::relative(&root, &crate::discover::absolute(target))
                .unwrap_or_default();
            if let Some(files) = roots.entry(root).or_insert_with(|| Some(Vec::new())) {
                files.push(rel);
            }
        }
    }
    // One spinner for every root, cleared before the results are printed.
    let progress = Progress::start("looking for planning files");
    let mut findings = Vec::new();
    let mut problems = Vec::new();
    let mut files_checked = 0;
    let mut broken_config = false;
    let mut any_fix = false;
    // Whether `--fix` could not write a file (or another program changed
    // one while it was written).
    let mut fix_failed = false;
    // The roots read whole so far: a folder whose project is one of them
    // has been reported with it. Roots sort before the folders in them.
    let mut read_whole: Vec<PathBuf> = Vec::new();
    for (root, only) in roots {
        progress.set_message("looking for planning files".to_string());
        // Findings number nothing; fixes might, so `--fix` keeps new
        // numbers clear of every name taken on disk.
        let taken = if args.fix {
            TakenNames::Find
        } else {
            TakenNames::Skip
        };
        let listed = |count: usize| {
            progress.set_message(format!(
                "checking {}",
                output::plural(count, "planning file")
            ));
        };
        let mut loaded = load_workspace_with(&root, taken, &listed);
        let (mut root, mut only) = (root, only);
        // A folder that is one part of a project (a spec-kit feature, an
        // OpenSpec change) is checked within the project, for its files.
        if only.is_none()
            && loaded.workspace.file_count() == 0
            && loaded.workspace.config_errors().is_empty()
        {
            if let Some(project) = enclosing_project(&root) {
                if read_whole.contains(&project) {
                    continue;
                }
                let folder = crate::load::relative(&project, &root).unwrap_or_default();
                only = Some(vec![format!("{folder}/")]);
                loaded = load_workspace_with(&project, taken, &listed);
                root = project;
            }
        }
        if only.is_none() {
            read_whole.push(root.clone());
            // A folder with nothing to check would pass as clean: say so,
            // as `plan` and `graph` do.
            let nothing_found = loaded.workspace.file_count() == 0
                && loaded.workspace.unreadable().is_empty()
                && loaded.workspace.config_errors().is_empty();
            if nothing_found {
                let shown = display_path(&root, "");
                let path = match shown.trim_end_matches('/') {
                    "" => ".".to_string(),
                    shown => shown.to_string(),
                };
                let message = "no planning files in this folder or below it".to_string();
                progress.suspend(|| eprintln!("{path}: warning: {message}"));
                problems.push(output::Problem { path, message });
            }
        }
        let root = &root;
        let covers = |rel: &str| in_scope(only.as_deref(), rel);
        let mut workspace = loaded.workspace;
        if args.fix && workspace.config_errors().is_empty() {
            let fixed = crate::cli::fix::fix(root, workspace, &covers, args.dry_run)?;
            if args.dry_run {
                progress.suspend(|| {
                    let mut stdout = std::io::stdout().lock();
                    let _ = stdout.write_all(fixed.diff.as_bytes());
                });
                any_fix |= fixed.changed;
                continue;
            }
            progress.suspend(|| {
                for line in &fixed.log {
                    if args.format == CheckFormat::Human {
                        println!("fixed {line}");
                    } else {
                        eprintln!("fixed {line}");
                    }
                }
                for line in fixed.warnings.iter().chain(&fixed.errors) {
                    eprintln!("{line}");
                }
            });
            fix_failed |= !fixed.errors.is_empty();
            workspace = fixed.workspace;
        }
        let ws = &workspace;
        for err in ws.config_errors() {
            broken_config = true;
            let line = err.line.map(|l| format!(":{l}")).unwrap_or_default();
            // One line per problem: the TOML parser's messages span two.
            let message = err.to_string().replace('\n', "; ");
            progress.suspend(|| {
                eprintln!(
                    "{}{line}: error: {message}",
                    display_path(root, CONFIG_FILE_NAME)
                )
            });
        }
        for problem in &loaded.walk_problems {
            let path = display_path(root, &problem.path);
            progress.suspend(|| eprintln!("{path}: warning: {}", problem.message));
            problems.push(output::Problem {
                path,
                message: problem.message.clone(),
            });
        }
        // A file named that is no planning file has nothing checked in it:
        // say so, rather than count it as clean.
        for part in only.iter().flatten() {
            if !part.ends_with('/')
                && ws.file(part).is_none()
                && !ws.unreadable().contains_key(part)
            {
                let path = display_path(root, part);
                // Its path is a planning file's, but the walk left it out:
                // an ignore file (`.gitignore`, `.ignore`) or a skipped
                // folder excludes it.
                let message = if ws.classify(part).is_some() {
                    "is left out by an ignore file (`.gitignore` or `.ignore`) or lies in a folder planmark skips, so nothing in it was checked".to_string()
                } else {
                    "not a planning file of any format planmark reads, so nothing in it was checked"
                        .to_string()
                };
                progress.suspend(|| eprintln!("{path}: warning: {message}"));
                problems.push(output::Problem { path, message });
            }
        }
        let diagnostics = check_workspace(ws);
        files_checked += match &only {
            Some(_) => ws.files().iter().filter(|f| covers(&f.rel)).count(),
            None => ws.file_count(),
        };
        let paths = PathDisplay::new(root);
        let excerpts = matches!(args.format, CheckFormat::Human);
        // The human and JSON summaries count what `--fix` would fix.
        let count_fixable =
            matches!(args.format, CheckFormat::Human | CheckFormat::Json) && !args.fix;
        // Placing 45,000 findings (a line index per file, a displayed path
        // each) is a tenth of a second on one core at 100,000 issues.
        let fixable = count_fixable.then(|| crate::cli::fix::Fixable::new(ws, &diagnostics));
        findings.par_extend(
            diagnostics
                .into_par_iter()
                .filter(|d| covers(&d.rel))
                .map(|d| {
                    let fixable = fixable.as_ref().is_some_and(|f| f.fixes(ws, &d));
                    Finding::new(ws, &paths, d, excerpts, fixable)
                }),
        );
        // The process ends soon: handing the pages back to the system at
        // exit is much cheaper than freeing 100,000 parsed files one by
        // one (a second at that size).
        std::mem::forget(workspace);
    }
    progress.finish();
    if args.dry_run {
        return Ok(if any_fix {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        });
    }
    findings.par_sort_by(|a, b| {
        (&a.path, a.line, a.column, a.rule).cmp(&(&b.path, b.line, b.column, b.rule))
    });
    let summary = output::Summary::of(&findings, files_checked);
    let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
    // A closed pipe (`planmark check | head`) is not an error.
    let _ = match args.format {
        CheckFormat::Human => {
            stdout.write_all(output::human(&findings, &summary, output::use_color()).as_bytes())
        }
        CheckFormat::Json => output::write_json(&mut stdout, &findings, &problems, &summary),
        CheckFormat::Sarif => output::write_sarif(&mut stdout, &findings, &problems),
        CheckFormat::Github => stdout.write_all(output::github(&findings).as_bytes()),
    };
    let _ = stdout.flush();
    if broken_config {
        return Ok(ExitCode::from(2));
    }
    let too_many_warnings = args.max_warnings.is_some_and(|max| summary.warnings > max);
    let has_errors = findings.iter().any(|f| f.severity == Severity::Error);
    Ok(if has_errors || too_many_warnings || fix_failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
