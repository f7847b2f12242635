//! Diagnostics: turning the rules' findings into LSP diagnostics, and the
//! diagnostics of a broken `planmark.toml`. Which files to re-check after a
//! change is decided in `analysis::impact`.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::panic::AssertUnwindSafe;
use std::path::Path;
use std::str::FromStr;
use std::sync::{Arc, LazyLock};

use tower_lsp_server::ls_types as lsp;

use crate::analysis::config::{ConfigError, Severity};
use crate::analysis::impact::Held;
use crate::analysis::rules::{self, all_rules, Context, DiagnosticTag, Rule};
use crate::analysis::text::{LineIndex, TextRange};
use crate::analysis::workspace::{SourceFile, Workspace};
use crate::server::convert::{self, Encoding};

/// The `source` of every diagnostic the server reports.
pub(crate) const SOURCE: &str = "planmark";

/// One file's current diagnostics.
#[derive(Clone, Debug)]
pub(crate) struct FileDiagnostics {
    pub(crate) items: Arc<[StoredDiagnostic]>,
    /// Changes whenever `items` does; the base of the result ID a pull
    /// client is given (see [`FileDiagnostics::pulled`]).
    pub(crate) result_id: u64,
}

impl FileDiagnostics {
    /// The diagnostics as they would be sent now, with related locations
    /// in open documents under the client's URIs, and the result ID that
    /// names exactly that. What is sent depends on which linked documents
    /// are open as well as on the findings: the ID is `result_id` when no
    /// related location is respelled, and `result_id` with a hash of the
    /// related locations' URIs when some are, so that opening or closing a
    /// linked document changes it and a pull client never keeps a link
    /// under a spelling the client no longer uses.
    pub(crate) fn pulled(&self, respell: &Respell) -> (String, Arc<[StoredDiagnostic]>) {
        let items = respelled(self.items.clone(), respell);
        if Arc::ptr_eq(&items, &self.items) {
            return (self.result_id.to_string(), items);
        }
        let mut hasher = rustc_hash::FxHasher::default();
        for related in items.iter().flat_map(|d| d.related.iter()) {
            related.location.uri.as_str().hash(&mut hasher);
        }
        let result_id = format!("{}-{:016x}", self.result_id, hasher.finish());
        (result_id, items)
    }
}

/// A diagnostic as the server keeps it between checks: placed for the
/// client already (ranges in the negotiated encoding), without what its
/// rule implies (the code, the link to the rule's documentation, the
/// source), which [`StoredDiagnostic::to_lsp`] adds when it is sent. An
/// `lsp::Diagnostic` with those takes about 500 bytes, this about 70: at
/// 100,000 issues the server keeps 45,000 of them.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct StoredDiagnostic {
    pub(crate) range: lsp::Range,
    /// The rule that found it; `None` for a problem of `planmark.toml`.
    pub(crate) rule: Option<Rule>,
    pub(crate) severity: lsp::DiagnosticSeverity,
    /// Shown faded: text that can go.
    pub(crate) unnecessary: bool,
    pub(crate) message: Box<str>,
    pub(crate) related: Box<[lsp::DiagnosticRelatedInformation]>,
}

impl StoredDiagnostic {
    /// The diagnostic as the client receives it.
    pub(crate) fn to_lsp(&self) -> lsp::Diagnostic {
        let code = match self.rule {
            Some(rule) => rule.name(),
            None => CONFIG_CODE,
        };
        lsp::Diagnostic {
            range: self.range,
            severity: Some(self.severity),
            code: Some(lsp::NumberOrString::String(code.to_string())),
            code_description: self
                .rule
                .and_then(docs_uri)
                .map(|href| lsp::CodeDescription { href }),
            source: Some(SOURCE.to_string()),
            message: self.message.to_string(),
            related_information: (!self.related.is_empty()).then(|| self.related.to_vec()),
            tags: self
                .unnecessary
                .then(|| vec![lsp::DiagnosticTag::UNNECESSARY]),
            data: None,
        }
    }
}

/// The diagnostics as the client receives them.
pub(crate) fn to_lsp_list(items: &[StoredDiagnostic]) -> Vec<lsp::Diagnostic> {
    items.iter().map(StoredDiagnostic::to_lsp).collect()
}

/// The client's spelling of the URIs of open documents, by the server's
/// spelling of the same file, for the documents where the two differ
/// (Neovim leaves `(`, `)` and `+` unencoded; the server encodes them).
/// Usually empty: VS Code spells file URIs as the server does.
pub(crate) type Respell = HashMap<lsp::Uri, lsp::Uri>;

/// The [`Respell`] map of open documents given as (root folder, path in
/// the root, the client's URI).
pub(crate) fn respellings<'a>(
    open: impl IntoIterator<Item = (&'a Path, &'a str, &'a lsp::Uri)>,
) -> Respell {
    open.into_iter()
        .filter_map(|(root, rel, client)| {
            let ours = convert::path_to_uri(&root.join(rel))?;
            (ours != *client).then(|| (ours, client.clone()))
        })
        .collect()
}

/// `items` with related locations in open documents under the client's
/// URIs; the same list (not a copy) when none needs it.
pub(crate) fn respelled(
    items: Arc<[StoredDiagnostic]>,
    respell: &Respell,
) -> Arc<[StoredDiagnostic]> {
    let affected = |d: &StoredDiagnostic| {
        d.related
            .iter()
            .any(|r| respell.contains_key(&r.location.uri))
    };
    if respell.is_empty() || !items.iter().any(affected) {
        return items;
    }
    items
        .iter()
        .map(|d| {
            let mut d = d.clone();
            for r in d.related.iter_mut() {
                if let Some(client) = respell.get(&r.location.uri) {
                    r.location.uri = client.clone();
                }
            }
            d
        })
        .collect()
}

/// The code of a problem of `planmark.toml`.
const CONFIG_CODE: &str = "config";

/// The link to a rule's documentation, parsed once per rule.
fn docs_uri(rule: Rule) -> Option<lsp::Uri> {
    static PARSED: LazyLock<HashMap<Rule, lsp::Uri>> = LazyLock::new(|| {
        all_rules()
            .filter_map(|info| Some((info.rule, lsp::Uri::from_str(&info.rule.docs_url()).ok()?)))
            .collect()
    });
    PARSED.get(&rule).cloned()
}

/// The empty list of diagnostics.
pub(crate) fn no_diagnostics() -> Arc<[StoredDiagnostic]> {
    static EMPTY: LazyLock<Arc<[StoredDiagnostic]>> = LazyLock::new(|| Arc::from([]));
    Arc::clone(&EMPTY)
}

/// What [`check`] found in one file.
#[derive(Default)]
pub(crate) struct Checked {
    pub(crate) items: Vec<StoredDiagnostic>,
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
    let mut found_here = found
        .iter()
        .filter(|d| indexed || !d.rule.is_cross_file())
        .peekable();
    // One line index for all of the file's findings, not kept after.
    let file = ws.file(rel).filter(|_| found_here.peek().is_some());
    let index = file.map(|file| file.line_index_for_once());
    let placed = file.zip(index.as_deref());
    let items: Vec<StoredDiagnostic> = found_here
        .map(|d| stored(ws, root, d, placed, enc))
        .collect();
    Ok(Checked {
        held: Held::of(&found),
        items,
    })
}

/// A finding placed for the client; related locations in other files are
/// placed with those files' line indexes.
fn stored(
    ws: &Workspace,
    root: &Path,
    d: &rules::Diagnostic,
    placed: Option<(&Arc<SourceFile>, &LineIndex)>,
    enc: Encoding,
) -> StoredDiagnostic {
    let related: Box<[lsp::DiagnosticRelatedInformation]> = d
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
    StoredDiagnostic {
        range: match placed {
            Some((file, index)) if *file.rel == *d.rel => {
                convert::range(&file.text, index, d.range, enc)
            }
            _ => file_range(ws.file(&d.rel).map(|f| &**f), d.range, enc),
        },
        rule: Some(d.rule),
        severity: severity(d.severity),
        unnecessary: d.tags.contains(&DiagnosticTag::Unnecessary),
        message: d.message.as_str().into(),
        related,
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
) -> Vec<StoredDiagnostic> {
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
            StoredDiagnostic {
                range: convert::range(text, &index, range, enc),
                rule: None,
                severity: lsp::DiagnosticSeverity::ERROR,
                unnecessary: false,
                message: err.to_string().into(),
                related: Box::default(),
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
