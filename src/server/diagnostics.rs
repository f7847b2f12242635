//! Diagnostics: turning the rules' findings into LSP diagnostics, and the
//! diagnostics of a broken `planmark.toml`. Which files to re-check after a
//! change is decided in `analysis::impact`.

use std::panic::AssertUnwindSafe;
use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;

use tower_lsp_server::ls_types as lsp;

use crate::analysis::compact::compact;
use crate::analysis::config::{ConfigError, Severity};
use crate::analysis::impact::Held;
use crate::analysis::rules::{self, Context, DiagnosticTag};
use crate::analysis::text::{LineIndex, TextRange};
use crate::analysis::workspace::{SourceFile, Workspace};
use crate::server::convert::{self, Encoding};

/// The `source` of every diagnostic the server reports.
pub(crate) const SOURCE: &str = "planmark";

/// One file's current diagnostics.
#[derive(Clone, Debug)]
pub(crate) struct FileDiagnostics {
    pub(crate) items: Arc<Vec<lsp::Diagnostic>>,
    /// Changes whenever `items` does; answers `previousResultId`.
    pub(crate) result_id: u64,
}

/// The empty list of diagnostics that every file without any shares.
pub(crate) fn no_diagnostics() -> Arc<Vec<lsp::Diagnostic>> {
    static EMPTY: std::sync::OnceLock<Arc<Vec<lsp::Diagnostic>>> = std::sync::OnceLock::new();
    Arc::clone(EMPTY.get_or_init(|| Arc::new(Vec::new())))
}

/// What [`check`] found in one file.
#[derive(Default)]
pub(crate) struct Checked {
    pub(crate) items: Vec<lsp::Diagnostic>,
    pub(crate) held: Held,
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
    let mut items: Vec<lsp::Diagnostic> = found
        .iter()
        .filter(|d| indexed || !d.rule.is_cross_file())
        .map(|d| to_lsp(ws, root, d, enc))
        .collect();
    // Kept for as long as the file is open or indexed: a list grown for
    // four diagnostics took a kilobyte for one.
    compact(&mut items);
    Ok(Checked {
        held: Held::of(&found),
        items,
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
        code_description: lsp::Uri::from_str(&d.rule.docs_url())
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
        Some(file) => convert::range(&file.text, file.line_index(), range, enc),
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
                    let content = text[line.start()..line.end()].trim_end_matches(['\n', '\r']);
                    TextRange::new(line.start(), line.start() + content.len())
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

pub(crate) fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = panic.downcast_ref::<&str>() {
        s.to_string()
    } else if let Some(s) = panic.downcast_ref::<String>() {
        s.clone()
    } else {
        "panic".to_string()
    }
}
