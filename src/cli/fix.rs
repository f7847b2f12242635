//! `planmark check --fix`: the safe fixes (index rows, a status taken from
//! the folder) applied until nothing is left to fix, then written to disk
//! (or, with `--dry-run`, printed as a unified diff).

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use anyhow::anyhow;

use crate::analysis::actions::{self, apply};
use crate::analysis::model::FileKind;
use crate::analysis::rules::Context;
use crate::analysis::workspace::{FileInput, Workspace};
use crate::cli::paths::display_path;

/// What fixing a workspace changed.
pub(crate) struct Fixed {
    /// The workspace with the fixes applied.
    pub(crate) workspace: Workspace,
    /// One line per fix: `path: what`.
    pub(crate) log: Vec<String>,
    /// The unified diff of every changed file.
    pub(crate) diff: String,
    /// Whether anything changed.
    pub(crate) changed: bool,
}

/// Applies the safe fixes of every file, in passes (a fixed status can
/// make an index row stale), and writes the changed files unless `dry_run`.
pub(crate) fn fix(root: &Path, ws: Workspace, dry_run: bool) -> anyhow::Result<Fixed> {
    let original: BTreeMap<String, String> = ws
        .files()
        .into_iter()
        .map(|f| (f.rel.clone(), f.text.to_string()))
        .collect();
    let mut current = original.clone();
    let mut ws = ws;
    let mut log = Vec::new();
    for _ in 0..4 {
        let ctx = Context::new(&ws);
        let mut changes = Vec::new();
        // Issue files first: an index row copies the status they end with.
        let (indexes, others): (Vec<_>, Vec<_>) = ws
            .files()
            .into_iter()
            .partition(|f| f.facts.kind == FileKind::Index);
        let mut rels: Vec<String> = others.iter().map(|f| f.rel.clone()).collect();
        if !rels
            .iter()
            .any(|rel| !actions::safe_fixes(&ws, &ctx, rel).is_empty())
        {
            rels = indexes.iter().map(|f| f.rel.clone()).collect();
        }
        for rel in rels {
            for action in actions::safe_fixes(&ws, &ctx, &rel) {
                log.push(format!("{}: {}", display_path(root, &rel), action.title));
                changes.extend(action.changes);
            }
        }
        if changes.is_empty() {
            break;
        }
        current = apply::apply(&current, &actions::merge(changes)).map_err(|e| anyhow!(e))?;
        let mut next = Workspace::new(ws.config().clone(), ws.config_errors().to_vec());
        let mut inputs: Vec<(String, FileInput)> = current
            .iter()
            .map(|(rel, text)| (rel.clone(), FileInput::Text(Arc::from(text.as_str()))))
            .collect();
        inputs.extend(
            ws.unreadable()
                .iter()
                .map(|(rel, reason)| (rel.clone(), FileInput::Unreadable(reason.clone()))),
        );
        next.load(inputs);
        ws = next;
    }
    let mut diff = String::new();
    let mut changed = false;
    for (rel, after) in &current {
        let before = &original[rel];
        if before == after {
            continue;
        }
        changed = true;
        diff.push_str(&apply::unified_diff(
            &display_path(root, rel),
            Some(before),
            Some(after),
        ));
        if !dry_run {
            crate::disk::replace(root, rel, before, after)?;
        }
    }
    Ok(Fixed {
        workspace: ws,
        log,
        diff,
        changed,
    })
}
