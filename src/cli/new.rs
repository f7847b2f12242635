//! `planmark new`: the next issue from the workflow's template, in
//! `backlog/`, with its row in the issues index. Prints the new file's path.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{anyhow, bail};

use crate::analysis::actions::new_issue::{self, NewIssue};
use crate::analysis::actions::Change;
use crate::analysis::dialect::{self, Dialect, DialectFile};
use crate::analysis::model::FileKind;
use crate::analysis::workspace::Workspace;
use crate::cli::paths::{display_path, load_root};
use crate::load::load_workspace;

#[derive(clap::Args, Debug)]
pub struct NewArgs {
    /// The expert that will work on it (`swe`, `qa`, `devops`...).
    #[arg(long, default_value = "swe")]
    pub expert: String,
    /// The issue type (`feature`, `bug`, `techdebt`...).
    #[arg(long = "type", default_value = "feature")]
    pub kind: String,
    /// The milestone (`M5`).
    #[arg(long)]
    pub milestone: Option<String>,
    /// The workspace root (default: the project of the current directory).
    #[arg(long, value_name = "PATH")]
    pub root: Option<PathBuf>,
    /// The issue's title.
    #[arg(required = true)]
    pub title: Vec<String>,
}

pub(crate) fn run(args: NewArgs) -> anyhow::Result<ExitCode> {
    // Run from inside a project's layout (`issues/backlog/`), the issue
    // belongs to that project, not to a new layout nested in the folder:
    // the current folder is read as `plan` reads it.
    let (root, loaded) = match &args.root {
        Some(root) => {
            let root = crate::discover::absolute(root);
            if !root.is_dir() {
                bail!("`{}` is not a folder", root.display());
            }
            let loaded = load_workspace(&root);
            (root, loaded)
        }
        None => {
            let found = load_root(None)?;
            (found.dir, found.loaded)
        }
    };
    let ws = &loaded.workspace;
    if let Some(dialects) = other_formats_only(ws) {
        bail!(
            "`{}` plans with {dialects}, not with issue files: `planmark new` would start an `issues/` folder beside it. Create the item with that format's own tool",
            root.display()
        );
    }
    let new = NewIssue {
        title: args.title.join(" "),
        expert: args.expert.clone(),
        kind: args.kind.clone(),
        milestone: args.milestone.clone(),
        near: None,
        number: None,
    };
    let (rel, _, changes) = new_issue::create(ws, &new).map_err(|e| anyhow!(e))?;
    let mut texts = std::collections::BTreeMap::new();
    for change in &changes {
        if let Change::Edit { rel, .. } = change {
            let file = ws
                .file(rel)
                .ok_or_else(|| anyhow!("`{rel}` was not read"))?;
            texts.insert(rel.clone(), file.text.to_string());
        }
    }
    crate::disk::apply_changes(&root, &texts, &changes)?;
    println!("{}", display_path(&root, &rel));
    Ok(ExitCode::SUCCESS)
}

/// The names of the other planning formats `ws` is written in, when it
/// holds none of the issue workflow's files (issues, their index, stories,
/// a roadmap, milestone folders): a new issue file would start a second
/// way of planning in a project that has chosen one.
fn other_formats_only(ws: &Workspace) -> Option<String> {
    let mut dialects = std::collections::BTreeSet::new();
    for file in ws.files() {
        match file.facts.kind {
            FileKind::Dialect(DialectFile {
                dialect: Dialect::Milestones,
                ..
            }) => return None,
            FileKind::Dialect(DialectFile { dialect, .. }) => {
                dialects.insert(dialect::name(dialect));
            }
            _ => return None,
        }
    }
    (!dialects.is_empty()).then(|| dialects.into_iter().collect::<Vec<_>>().join(" and "))
}
