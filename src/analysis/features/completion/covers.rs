//! Criteria and requirements where an item lists what it covers (Kiro's
//! `_Requirements: 1.1, 2.3_`): the coverable items of the file and of the
//! files beside it, written as their number.

use crate::analysis::features::completion::{Completion, CompletionKind, Completions, LIMIT};
use crate::analysis::features::is_coverable;
use crate::analysis::rules::folder_of;
use crate::analysis::text::TextRange;
use crate::analysis::workspace::{SourceFile, Workspace};

/// Where the covers list under the cursor starts, when there is one.
pub(super) fn field_at(file: &SourceFile, offset: usize) -> Option<usize> {
    file.facts
        .items
        .iter()
        .filter_map(|item| item.covers_field)
        .find(|field| field.start <= offset && offset <= field.end)
        .map(|field| field.start)
}

/// The candidates for the entry at `offset` of a covers list starting at
/// `field_start`; entries already listed are left out.
pub(super) fn criteria(
    ws: &Workspace,
    file: &SourceFile,
    offset: usize,
    field_start: usize,
) -> Completions {
    let text = &*file.text;
    let before = &text[field_start..offset];
    let entry_start = field_start + before.rfind([',', ';']).map_or(0, |i| i + 1);
    let typed = text[entry_start..offset].trim_start();
    let start = offset - typed.len();
    let range = TextRange::new(start, offset);
    let listed: Vec<&str> = text[field_start..start]
        .split([',', ';'])
        .map(str::trim)
        .collect();
    let folder = folder_of(&file.rel);
    let mut out = Completions::default();
    for other in ws.files_in_folder(folder) {
        for item in &other.facts.items {
            if !is_coverable(item.kind) {
                continue;
            }
            let label = item.number.clone().unwrap_or_else(|| item.id.clone());
            if listed.contains(&label.as_str()) || !label.starts_with(typed) {
                continue;
            }
            if out.items.len() == LIMIT {
                out.incomplete = true;
                return out;
            }
            let mut candidate = Completion::new(label, CompletionKind::Item(item.kind), range);
            candidate.detail = Some(item.title.clone());
            out.items.push(candidate);
        }
    }
    out
}
