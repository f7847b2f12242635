//! Pull diagnostics: `textDocument/diagnostic` and `workspace/diagnostic`,
//! answered from a snapshot with every change received so far applied.
//! Result IDs let the client skip files whose reports did not change; a
//! report changes with its findings and with the URIs of their related
//! locations (see `FileDiagnostics::pulled`).

use std::collections::HashMap;
use std::sync::Arc;

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{
    DocumentDiagnosticParams, DocumentDiagnosticReport, DocumentDiagnosticReportResult,
    FullDocumentDiagnosticReport, RelatedFullDocumentDiagnosticReport,
    RelatedUnchangedDocumentDiagnosticReport, UnchangedDocumentDiagnosticReport,
    WorkspaceDiagnosticParams, WorkspaceDiagnosticReport, WorkspaceDiagnosticReportResult,
    WorkspaceDocumentDiagnosticReport, WorkspaceFullDocumentDiagnosticReport,
    WorkspaceUnchangedDocumentDiagnosticReport,
};

use crate::server::diagnostics::{no_diagnostics, respellings, to_lsp_list, Respell};
use crate::server::settings::Scope;
use crate::server::state::{Shared, Snapshot};

/// The result ID of a file that has no diagnostics entry (not a planning
/// file, or not analysed).
const NONE: &str = "0";

pub(crate) async fn document(
    shared: &Arc<Shared>,
    params: DocumentDiagnosticParams,
) -> Result<DocumentDiagnosticReportResult> {
    let snapshot = shared.fresh_snapshot().await;
    let entry = snapshot.locate(&params.text_document.uri).and_then(|file| {
        snapshot
            .roots
            .get(file.root)?
            .diagnostics
            .get(&file.rel)
            .cloned()
    });
    let (result_id, items) = match entry {
        Some(d) => d.pulled(&respell(&snapshot)),
        None => (NONE.to_string(), no_diagnostics()),
    };
    let report = if params.previous_result_id.as_deref() == Some(result_id.as_str()) {
        DocumentDiagnosticReport::Unchanged(RelatedUnchangedDocumentDiagnosticReport {
            related_documents: None,
            unchanged_document_diagnostic_report: UnchangedDocumentDiagnosticReport { result_id },
        })
    } else {
        DocumentDiagnosticReport::Full(RelatedFullDocumentDiagnosticReport {
            related_documents: None,
            full_document_diagnostic_report: FullDocumentDiagnosticReport {
                result_id: Some(result_id),
                items: to_lsp_list(&items),
            },
        })
    };
    Ok(DocumentDiagnosticReportResult::Report(report))
}

/// Every file with diagnostics (in scope), plus the files the client asks
/// about by result ID; unchanged ones are reported as such.
pub(crate) async fn workspace(
    shared: &Arc<Shared>,
    params: WorkspaceDiagnosticParams,
) -> Result<WorkspaceDiagnosticReportResult> {
    let snapshot = shared.fresh_snapshot().await;
    let scope = shared.lock().settings.scope;
    let mut previous: HashMap<String, String> = params
        .previous_result_ids
        .into_iter()
        .map(|p| (p.uri.as_str().to_string(), p.value))
        .collect();
    let mut items = Vec::new();
    let respell = respell(&snapshot);
    for (root_id, root) in snapshot.roots.iter().enumerate() {
        for (rel, d) in root.diagnostics.iter() {
            let file = root_file(root_id, rel);
            let open = snapshot.open.get(&file);
            let in_scope =
                open.is_some() || (scope == Scope::Workspace && (root.indexed || file.is_config()));
            if !in_scope {
                continue;
            }
            let Some(uri) = snapshot.uri(&file) else {
                continue;
            };
            let (result_id, pulled) = d.pulled(&respell);
            let version = open.and_then(|(_, v)| *v).map(i64::from);
            let before = previous.remove(uri.as_str());
            if before.as_deref() == Some(result_id.as_str()) {
                items.push(WorkspaceDocumentDiagnosticReport::Unchanged(
                    WorkspaceUnchangedDocumentDiagnosticReport {
                        uri,
                        version,
                        unchanged_document_diagnostic_report: UnchangedDocumentDiagnosticReport {
                            result_id,
                        },
                    },
                ));
            } else if !pulled.is_empty() || before.is_some() {
                items.push(WorkspaceDocumentDiagnosticReport::Full(
                    WorkspaceFullDocumentDiagnosticReport {
                        uri,
                        version,
                        full_document_diagnostic_report: FullDocumentDiagnosticReport {
                            result_id: Some(result_id),
                            items: to_lsp_list(&pulled),
                        },
                    },
                ));
            }
        }
    }
    // Files the client knew that have no diagnostics any more.
    for uri in previous.into_keys() {
        if let Ok(uri) = uri.parse() {
            items.push(WorkspaceDocumentDiagnosticReport::Full(
                WorkspaceFullDocumentDiagnosticReport {
                    uri,
                    version: None,
                    full_document_diagnostic_report: FullDocumentDiagnosticReport {
                        result_id: Some(NONE.to_string()),
                        items: Vec::new(),
                    },
                },
            ));
        }
    }
    Ok(WorkspaceDiagnosticReportResult::Report(
        WorkspaceDiagnosticReport { items },
    ))
}

fn root_file(root: usize, rel: &str) -> crate::server::state::FileId {
    crate::server::state::FileId {
        root,
        rel: rel.to_string(),
    }
}

/// The open documents whose URIs the client spells otherwise than the
/// server (see [`Respell`]).
fn respell(snapshot: &Snapshot) -> Respell {
    respellings(snapshot.open.iter().filter_map(|(file, (uri, _))| {
        let root = snapshot.roots.get(file.root)?;
        Some((root.path.as_path(), file.rel.as_str(), uri))
    }))
}
