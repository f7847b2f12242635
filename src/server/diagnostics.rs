//! Diagnostics: turning the rules' findings into LSP diagnostics, choosing
//! which files to re-check after a change (without re-checking the whole
//! workspace), and the diagnostics of a broken `planmark.toml`.

use std::collections::BTreeSet;
use std::panic::AssertUnwindSafe;
use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;

use tower_lsp_server::ls_types as lsp;

use crate::analysis::config::{ConfigError, Severity};
use crate::analysis::model::FileKind;
use crate::analysis::rules::{self, Context, DiagnosticTag};
use crate::analysis::shard_map::ShardMap;
use crate::analysis::text::{LineIndex, TextRange};
use crate::analysis::workspace::{SourceFile, Workspace};
use crate::server::convert::{self, Encoding};

/// Where each rule is documented: `<DOCS_URL>#<rule>`.
const DOCS_URL: &str = crate::cli::output::DOCS_URL;

/// Rules whose findings depend on files other than the one they are in.
/// Until a root is indexed they would be guesses, so they are held back.
const CROSS_FILE_RULES: &[&str] = &[
    "dangling-dependency",
    "dependency-cycle",
    "duplicate-id",
    "done-with-open-dependency",
    "index-out-of-sync",
    "unknown-milestone",
];

/// Rules whose findings can appear or vanish through an edit of a file that
/// the file holding them does not name (a cycle through a third file, a
/// duplicate). A file holding one is re-checked after every change to its
/// root. (`done-with-open-dependency` needs no such care: it depends on the
/// items the file names, and a change to their file makes it a referrer of
/// the changed IDs.)
const STICKY_RULES: &[&str] = &["dependency-cycle", "duplicate-id"];

/// A dangling dependency's "did you mean" hint can change when any ID is
/// defined or removed: files holding one are re-checked when IDs change.
const DANGLING: &str = "dangling-dependency";

/// The `source` of every diagnostic the server reports.
pub(crate) const SOURCE: &str = "planmark";

/// One file's current diagnostics.
#[derive(Clone, Debug)]
pub(crate) struct FileDiagnostics {
    pub(crate) items: Arc<Vec<lsp::Diagnostic>>,
    /// Changes whenever `items` does; answers `previousResultId`.
    pub(crate) result_id: u64,
    /// Holds a finding of a [`STICKY_RULES`] rule.
    pub(crate) sticky: bool,
    /// Holds a dangling dependency.
    pub(crate) dangling: bool,
}

/// What [`check`] found in one file.
#[derive(Default)]
pub(crate) struct Checked {
    pub(crate) items: Vec<lsp::Diagnostic>,
    pub(crate) sticky: bool,
    pub(crate) dangling: bool,
}

/// The diagnostics of one planning file, converted for the client. A rule
/// that panics loses its file's findings rather than the server.
pub(crate) fn check(
    ws: &Workspace,
    ctx: &Context,
    root: &Path,
    rel: &str,
    indexed: bool,
    enc: Encoding,
) -> Result<Checked, String> {
    let found = std::panic::catch_unwind(AssertUnwindSafe(|| rules::check_file(ws, ctx, rel)))
        .map_err(|panic| format!("checking `{rel}` failed: {}", panic_message(&panic)))?;
    Ok(Checked {
        sticky: found.iter().any(|d| STICKY_RULES.contains(&d.rule)),
        dangling: found.iter().any(|d| d.rule == DANGLING),
        items: found
            .iter()
            .filter(|d| indexed || !CROSS_FILE_RULES.contains(&d.rule))
            .map(|d| to_lsp(ws, root, d, enc))
            .collect(),
    })
}

/// A finding as an LSP diagnostic; related locations in other files are
/// converted with those files' line indexes.
pub(crate) fn to_lsp(
    ws: &Workspace,
    root: &Path,
    d: &rules::Diagnostic,
    enc: Encoding,
) -> lsp::Diagnostic {
    let related: Vec<lsp::DiagnosticRelatedInformation> = d
        .related
        .iter()
        .filter_map(|r| {
            Some(lsp::DiagnosticRelatedInformation {
                location: lsp::Location {
                    uri: convert::path_to_uri(&root.join(&r.rel))?,
                    range: file_range(ws.file(&r.rel).map(|f| &**f), r.range, enc),
                },
                message: r.message.clone(),
            })
        })
        .collect();
    let tags: Vec<lsp::DiagnosticTag> = d
        .tags
        .iter()
        .map(|t| match t {
            DiagnosticTag::Unnecessary => lsp::DiagnosticTag::UNNECESSARY,
        })
        .collect();
    lsp::Diagnostic {
        range: file_range(ws.file(&d.rel).map(|f| &**f), d.range, enc),
        severity: Some(severity(d.severity)),
        code: Some(lsp::NumberOrString::String(d.rule.to_string())),
        code_description: lsp::Uri::from_str(&format!("{DOCS_URL}#{}", d.rule))
            .ok()
            .map(|href| lsp::CodeDescription { href }),
        source: Some(SOURCE.to_string()),
        message: d.message.clone(),
        related_information: (!related.is_empty()).then_some(related),
        tags: (!tags.is_empty()).then_some(tags),
        data: None,
    }
}

fn file_range(file: Option<&SourceFile>, range: TextRange, enc: Encoding) -> lsp::Range {
    match file {
        Some(file) => convert::range(&file.text, &file.line_index, range, enc),
        // An unreadable file has no text: its findings sit at the start.
        None => lsp::Range::default(),
    }
}

pub(crate) fn severity(severity: Severity) -> lsp::DiagnosticSeverity {
    match severity {
        Severity::Error => lsp::DiagnosticSeverity::ERROR,
        Severity::Warning => lsp::DiagnosticSeverity::WARNING,
        Severity::Info => lsp::DiagnosticSeverity::INFORMATION,
        Severity::Hint => lsp::DiagnosticSeverity::HINT,
    }
}

/// The problems of a `planmark.toml`, each on its line (the whole line) or
/// at the start of the file when the line is unknown.
pub(crate) fn config_diagnostics(
    text: &str,
    errors: &[ConfigError],
    enc: Encoding,
) -> Vec<lsp::Diagnostic> {
    let index = LineIndex::new(text);
    errors
        .iter()
        .map(|err| {
            let range = match err.line {
                Some(line) if line >= 1 => {
                    let line = index.line_range(line - 1);
                    let content = text[line.start..line.end].trim_end_matches(['\n', '\r']);
                    TextRange::new(line.start, line.start + content.len())
                }
                _ => TextRange::empty(0),
            };
            lsp::Diagnostic {
                range: convert::range(text, &index, range, enc),
                severity: Some(lsp::DiagnosticSeverity::ERROR),
                code: Some(lsp::NumberOrString::String("config".into())),
                source: Some(SOURCE.to_string()),
                message: err.to_string(),
                ..lsp::Diagnostic::default()
            }
        })
        .collect()
}

/// How one file changed in an analysis pass.
pub(crate) struct FileChange {
    pub(crate) rel: String,
    /// The file before and after (`None`: not a parsed planning file).
    pub(crate) before: Option<Arc<SourceFile>>,
    pub(crate) after: Option<Arc<SourceFile>>,
    /// The IDs and aliases the file defined before and after.
    pub(crate) old_ids: Vec<String>,
    pub(crate) new_ids: Vec<String>,
    /// The file is (or was) a roadmap: milestone titles may resolve
    /// differently everywhere.
    pub(crate) roadmap: bool,
    /// The file's items are the same for the dependency graph (see
    /// [`graph_facts`]): the workspace-wide `Context` still holds.
    pub(crate) same_graph: bool,
    /// What other files' rules read of the file's items is the same (see
    /// [`summary_facts`]): the files that name them need no re-check.
    pub(crate) same_summary: bool,
}

impl FileChange {
    pub(crate) fn new(
        rel: String,
        before: Option<Arc<SourceFile>>,
        after: Option<Arc<SourceFile>>,
    ) -> FileChange {
        let kind_of = |f: &Option<Arc<SourceFile>>| f.as_ref().map(|f| f.facts.kind);
        let (same_graph, same_summary) = match (&before, &after) {
            (Some(a), Some(b)) => (
                graph_facts(a) == graph_facts(b),
                a.facts.kind == b.facts.kind && summary_facts(a) == summary_facts(b),
            ),
            _ => (false, false),
        };
        FileChange {
            old_ids: defined_ids(before.as_ref()),
            new_ids: defined_ids(after.as_ref()),
            roadmap: kind_of(&before) == Some(FileKind::Roadmap)
                || kind_of(&after) == Some(FileKind::Roadmap),
            same_graph,
            same_summary,
            before,
            after,
            rel,
        }
    }

    fn ids_changed(&self) -> bool {
        self.old_ids != self.new_ids
    }
}

/// What the dependency graph and the other workspace-wide facts
/// (`rules::Context`: cycles, issue numbers, done items) read from a
/// file: each item's kind, IDs, title, parent, metadata fields, progress
/// and dependency targets, in order. Positions and prose are left out, so
/// typing in a description or a criterion keeps the `Context`. Fields are
/// compared whole (not only those the graph reads today) to stay safe when
/// the graph starts reading more of them.
pub(crate) fn graph_facts(file: &SourceFile) -> impl PartialEq + '_ {
    file.facts
        .items
        .iter()
        .map(|item| {
            (
                (
                    item.kind,
                    &item.id,
                    &item.aliases,
                    &item.title,
                    &item.parent,
                ),
                item.fields
                    .iter()
                    .map(|f| (&f.label, &f.value))
                    .collect::<Vec<_>>(),
                (item.progress, item.status.as_ref().map(|(s, _)| s)),
                item.deps
                    .iter()
                    .map(|d| (&d.target, d.role))
                    .collect::<Vec<_>>(),
                item.milestone.as_ref().map(|m| &m.target),
            )
        })
        .collect::<Vec<_>>()
}

/// What the rules of other files read of a file's items: whether they
/// exist and are done (dangling and done-with-open dependencies), their
/// titles and statuses (the index), and the parts of a task's story.
/// Dependencies are left out: a change to them reaches other files only
/// through cycles, which are re-checked where they are.
pub(crate) fn summary_facts(file: &SourceFile) -> impl PartialEq + '_ {
    file.facts
        .items
        .iter()
        .map(|item| {
            (
                (
                    item.kind,
                    &item.id,
                    &item.aliases,
                    &item.title,
                    &item.parent,
                ),
                (item.progress, item.status.as_ref().map(|(s, _)| s)),
                item.field("status").map(|f| &f.value),
            )
        })
        .collect::<Vec<_>>()
}

/// The IDs and aliases a file defines.
pub(crate) fn defined_ids(file: Option<&Arc<SourceFile>>) -> Vec<String> {
    file.map(|f| {
        f.facts
            .items
            .iter()
            .flat_map(|i| std::iter::once(&i.id).chain(&i.aliases))
            .cloned()
            .collect()
    })
    .unwrap_or_default()
}

/// The workspace-wide facts after `changes`: the previous ones when no
/// change touched the graph, updated from them when every change kept its
/// items' IDs, else computed afresh.
pub(crate) fn updated_context(
    ws: &Workspace,
    previous: Option<&Arc<Context>>,
    changes: &[FileChange],
) -> Arc<Context> {
    let Some(previous) = previous else {
        return Arc::new(Context::new(ws));
    };
    if changes.iter().all(|c| c.same_graph) {
        return previous.clone();
    }
    let pairs: Option<Vec<(&SourceFile, &SourceFile)>> = changes
        .iter()
        .filter(|c| !c.same_graph)
        .map(|c| Some((&**c.before.as_ref()?, &**c.after.as_ref()?)))
        .collect();
    pairs
        .and_then(|pairs| previous.updated(ws, &pairs))
        .map(Arc::new)
        .unwrap_or_else(|| Arc::new(Context::new(ws)))
}

/// The files whose diagnostics may differ after `changes`: the changed
/// files; when what others read of them changed, the files that name an
/// ID they defined before or after and the indexes; when the graph
/// changed, the files that held sticky findings and the files now in a
/// cycle or sharing an issue number; when IDs changed, the files with a
/// dangling dependency. `None` means every file (a roadmap changed).
pub(crate) fn affected(
    ws: &Workspace,
    ctx: &Context,
    changes: &[FileChange],
    computed: &ShardMap<FileDiagnostics>,
) -> Option<BTreeSet<String>> {
    if changes.iter().any(|c| c.roadmap) {
        return None;
    }
    let mut files: BTreeSet<String> = BTreeSet::new();
    let mut summaries_changed = false;
    for change in changes {
        files.insert(change.rel.clone());
        if change.same_summary && !change.ids_changed() {
            continue;
        }
        summaries_changed = true;
        for id in change.old_ids.iter().chain(&change.new_ids) {
            files.extend(ws.referrers(id).map(str::to_string));
            let defs = ws.definitions(id);
            if defs.len() > 1 {
                files.extend(defs.iter().map(|loc| loc.rel.clone()));
            }
        }
    }
    if summaries_changed {
        files.extend(ws.index_files().map(str::to_string));
    }
    if changes.iter().all(|c| c.same_graph) {
        return Some(files);
    }
    let ids_changed = changes.iter().any(FileChange::ids_changed);
    files.extend(
        computed
            .iter()
            .filter(|(_, d)| d.sticky || (ids_changed && d.dangling))
            .map(|(rel, _)| rel.clone()),
    );
    for cycle in &ctx.cycles {
        for &node in cycle {
            if let Some((file, _)) = ws.item(&ctx.graph.nodes[node].id) {
                files.insert(file.rel.clone());
            }
        }
    }
    for locs in ctx.shared_numbers.values() {
        files.extend(locs.iter().map(|loc| loc.rel.clone()));
    }
    Some(files)
}

/// Every file of a workspace that can have diagnostics.
pub(crate) fn all_files(ws: &Workspace) -> BTreeSet<String> {
    ws.files()
        .into_iter()
        .map(|f| f.rel.clone())
        .chain(ws.unreadable().keys().cloned())
        .collect()
}

pub(crate) fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = panic.downcast_ref::<&str>() {
        s.to_string()
    } else if let Some(s) = panic.downcast_ref::<String>() {
        s.clone()
    } else {
        "panic".to_string()
    }
}
