//! `planmark check --fix`: the safe fixes (index rows, a status taken from
//! the folder) applied until nothing is left to fix, then written to disk
//! (or, with `--dry-run`, printed as a unified diff).

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use anyhow::anyhow;
use rustc_hash::FxHashSet;

use crate::analysis::actions::{self, apply, fixes, index_fix};
use crate::analysis::model::FileKind;
use crate::analysis::rules::{status_folder_mismatch, Context, Diagnostic, Rule};
use crate::analysis::workspace::{FileInput, Workspace};
use crate::cli::paths::display_path;

/// The core rules with a safe fix; any dialect rule may have one. The
/// others' fixes are never safe, and some cost much to make (a
/// dependency's suggestions, a split's new numbers): at 20,000 issues
/// asking each of them made `check` four times slower.
const RULES_WITH_SAFE_FIXES: [Rule; 2] = [Rule::IndexOutOfSync, Rule::StatusFolderMismatch];

/// Tells which findings `check --fix` fixes, for the count in `check`'s
/// summary.
pub(crate) struct Fixable {
    /// The issues indexes with findings whose whole-index fix edits
    /// something: that fix is safe and fixes each of their
    /// `index-out-of-sync` findings.
    syncable_indexes: FxHashSet<Arc<str>>,
}

impl Fixable {
    /// Made once for the findings of `ws`: the whole-index fix of each
    /// issues index with an `index-out-of-sync` finding is worked out once,
    /// not once per finding (an index of 20,000 rows none of whose files
    /// exist took 84 s to count).
    pub(crate) fn new(ws: &Workspace, diagnostics: &[Diagnostic]) -> Fixable {
        let mut indexes: Vec<&str> = diagnostics
            .iter()
            .filter(|d| d.rule == Rule::IndexOutOfSync)
            .map(|d| &*d.rel)
            .collect();
        indexes.sort_unstable();
        indexes.dedup();
        let syncable_indexes = indexes
            .into_iter()
            .filter_map(|rel| ws.file(rel))
            .filter(|file| file.facts.kind == FileKind::Index)
            .filter(|file| !index_fix::whole_index_edits(ws, file).is_empty())
            .map(|file| file.rel.clone())
            .collect();
        Fixable { syncable_indexes }
    }

    /// Whether `check --fix` fixes `d`: it has a safe fix that edits text
    /// only (as [`actions::safe_fixes`] keeps), and its file was read as
    /// UTF-8.
    pub(crate) fn fixes(&self, ws: &Workspace, d: &Diagnostic) -> bool {
        if !(matches!(d.rule, Rule::Dialect(_)) || RULES_WITH_SAFE_FIXES.contains(&d.rule))
            || ws.invalid_utf8(&d.rel).is_some()
        {
            return false;
        }
        let Some(file) = ws.file(&d.rel) else {
            return false;
        };
        // Building these fixes searches the index's rows: at 100,000
        // issues, done for each finding, that cost seconds.
        if d.rule == Rule::StatusFolderMismatch {
            return status_folder_mismatch::has_safe_fix(file, d);
        }
        if d.rule == Rule::IndexOutOfSync && self.syncable_indexes.contains(&file.rel) {
            return true;
        }
        fixes::without_graph(ws, file, d)
            .iter()
            .any(|a| a.safe && !a.has_file_operations())
    }
}

/// What fixing a workspace changed.
pub(crate) struct Fixed {
    /// The workspace with the fixes applied.
    pub(crate) workspace: Workspace,
    /// One line per fix in a file written (or, with `--dry-run`, to
    /// write): `path: what`.
    pub(crate) log: Vec<String>,
    /// One line per file that could not be written: `path: error: why`
    /// (its fixes are then not in [`Fixed::workspace`]), and per file
    /// another program changed while it was written.
    pub(crate) errors: Vec<String>,
    /// One line per file another program appended to while it was
    /// written (the appended text is kept): `path: warning: what`.
    pub(crate) warnings: Vec<String>,
    /// The unified diff of every changed file.
    pub(crate) diff: String,
    /// Whether anything changed.
    pub(crate) changed: bool,
}

/// Applies the safe fixes of every file `covers` (the files `check` was
/// asked about; a fix may still edit another file, as a status fix updates
/// its index row), in passes (a fixed status can make an index row stale),
/// and writes the changed files unless `dry_run`.
/// A file that cannot be written does not stop the others: each is
/// reported in [`Fixed::errors`], and every file written in
/// [`Fixed::log`].
pub(crate) fn fix(
    root: &Path,
    ws: Workspace,
    covers: &dyn Fn(&str) -> bool,
    dry_run: bool,
) -> anyhow::Result<Fixed> {
    let original: BTreeMap<String, String> = ws
        .files()
        .into_iter()
        .map(|f| (f.rel.to_string(), f.text.to_string()))
        .collect();
    let mut current = original.clone();
    let mut ws = ws;
    // The fixes made, with the file each one changes.
    let mut log: Vec<(String, String)> = Vec::new();
    for _ in 0..4 {
        let ctx = Context::new(&ws);
        let mut changes = Vec::new();
        // Issue files first: an index row copies the status they end with.
        let (indexes, others): (Vec<_>, Vec<_>) = ws
            .files()
            .into_iter()
            .filter(|f| covers(&f.rel))
            .partition(|f| f.facts.kind == FileKind::Index);
        let mut rels: Vec<String> = others.iter().map(|f| f.rel.to_string()).collect();
        if !rels
            .iter()
            .any(|rel| !actions::safe_fixes(&ws, &ctx, rel).is_empty())
        {
            rels = indexes.iter().map(|f| f.rel.to_string()).collect();
        }
        for rel in rels {
            for action in actions::safe_fixes(&ws, &ctx, &rel) {
                log.push((
                    rel.clone(),
                    format!("{}: {}", display_path(root, &rel), action.title),
                ));
                changes.extend(action.changes);
            }
        }
        if changes.is_empty() {
            break;
        }
        current = apply::apply(&current, &actions::merge(changes)).map_err(|e| anyhow!(e))?;
        ws = reload(&ws, &current);
    }
    let mut diff = String::new();
    let mut to_write: Vec<(&str, &str, &str)> = Vec::new();
    for (rel, after) in &current {
        let before = &original[rel];
        if before == after {
            continue;
        }
        diff.push_str(&apply::unified_diff(
            &display_path(root, rel),
            Some(before),
            Some(after),
        ));
        to_write.push((rel, before, after));
    }
    let changed = !to_write.is_empty();
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    if !dry_run {
        let mut refused = Vec::new();
        for (result, (rel, _, _)) in crate::disk::replace_all(root, &to_write)
            .into_iter()
            .zip(&to_write)
        {
            let path = display_path(root, rel);
            match result {
                Ok(written) => {
                    if written.merged > 0 {
                        warnings.push(format!(
                            "{path}: warning: another program appended {} bytes to the file \
                             while planmark wrote it; they are kept at its end",
                            written.merged
                        ));
                    }
                    if let Some(copy) = written.saved {
                        errors.push(format!(
                            "{path}: error: another program changed the file while planmark \
                             wrote it; its text then is saved in `{}`",
                            display_copy(root, &copy)
                        ));
                    }
                }
                Err(err) => {
                    // One line per problem, whatever the error's chain.
                    let why = format!("{err:#}").replace('\n', "; ");
                    errors.push(format!("{path}: error: {why}"));
                    refused.push(rel.to_string());
                }
            }
        }
        if !refused.is_empty() {
            log.retain(|(rel, _)| !refused.contains(rel));
            // What is checked next is what the disk holds.
            for rel in &refused {
                current.insert(rel.clone(), original[rel].clone());
            }
            ws = reload(&ws, &current);
        }
    }
    Ok(Fixed {
        workspace: ws,
        log: log.into_iter().map(|(_, line)| line).collect(),
        errors,
        warnings,
        diff,
        changed,
    })
}

/// A workspace like `ws` holding `texts` (and the files `ws` could not
/// read).
fn reload(ws: &Workspace, texts: &BTreeMap<String, String>) -> Workspace {
    let mut next = Workspace::new(ws.config().clone(), ws.config_errors().to_vec());
    let mut inputs: Vec<(String, FileInput)> = texts
        .iter()
        .map(|(rel, text)| {
            let text = Arc::from(text.as_str());
            let input = match ws.invalid_utf8(rel) {
                Some(bad) => FileInput::NotUtf8 { text, bad },
                None => FileInput::Text(text),
            };
            (rel.clone(), input)
        })
        .collect();
    inputs.extend(
        ws.unreadable()
            .iter()
            .map(|(rel, reason)| (rel.clone(), FileInput::Unreadable(reason.clone()))),
    );
    next.load(inputs);
    next
}

/// A saved copy's path as the other paths are printed.
fn display_copy(root: &Path, copy: &Path) -> String {
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    match copy.strip_prefix(&root) {
        Ok(rel) => display_path(&root, &rel.to_string_lossy()),
        Err(_) => copy.display().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every core rule whose fixes can be safe is counted as fixable: a
    /// rule file that marks an action safe is one of
    /// [`RULES_WITH_SAFE_FIXES`]. (Another file marking actions safe
    /// would have to be looked at, so it fails the test too.)
    #[test]
    fn each_rule_with_a_safe_fix_is_counted_as_fixable() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/analysis");
        let mut marking_safe = Vec::new();
        for folder in ["rules", "actions"] {
            let entries = std::fs::read_dir(root.join(folder)).expect("source folder");
            for entry in entries {
                let path = entry.expect("folder entry").path();
                let text = std::fs::read_to_string(&path).expect("source file");
                if text.contains(".safe()") {
                    let stem = path.file_stem().expect("file name").to_string_lossy();
                    marking_safe.push(stem.replace('_', "-"));
                }
            }
        }
        marking_safe.sort();
        let mut counted: Vec<String> = RULES_WITH_SAFE_FIXES
            .iter()
            .map(|rule| rule.to_string())
            .collect();
        counted.sort();
        assert_eq!(marking_safe, counted);
    }
}
