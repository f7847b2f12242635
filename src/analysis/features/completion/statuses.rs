//! Status words in dialect files: after a `Status:` label (markdown or
//! YAML), on the line under a `## Status` heading, and over a status already
//! written. The words are the dialect's for the file (a BMAD v4 story's
//! template words, a backlog's `config.yml` statuses); the first workflow's
//! files use the vocabulary completion of `values.rs`.

use std::sync::LazyLock;

use regex::Regex;

use crate::analysis::dialect;
use crate::analysis::features::completion::{Completion, CompletionKind, Completions};
use crate::analysis::features::item_at;
use crate::analysis::model::FileKind;
use crate::analysis::text::TextRange;
use crate::analysis::workspace::{SourceFile, Workspace};

/// `Status:`, `**Status:**`, `- **Status**:`, YAML's `status:`.
static STATUS_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:[-*+]\s+)?(?:\*\*)?status(?:\*\*)?\s*:\s*(?:\*\*)?\s*")
        .expect("valid regex")
});

/// The status words to offer at `offset`, replacing the status written on
/// the line (`line` without its line break); `None` when the cursor is not
/// where a status goes, or the file's dialect has no words.
pub(super) fn at(
    ws: &Workspace,
    file: &SourceFile,
    offset: usize,
    line: TextRange,
) -> Option<Completions> {
    if !matches!(file.facts.kind, FileKind::Dialect(_)) {
        return None;
    }
    let text = &*file.text;
    let raw = &text[line.start()..line.end()];
    let start = if let Some(label) = STATUS_LABEL.find(raw) {
        line.start() + label.end()
    } else if in_status_section(file, offset, line) {
        line.start() + (raw.len() - raw.trim_start().len())
    } else {
        return None;
    };
    if offset < start {
        return None;
    }
    let words = dialect::status_words(ws, file);
    if words.is_empty() {
        return None;
    }
    let value = text[start..line.end()].trim_end_matches(['*', ' ', '\t']);
    let range = TextRange::new(start, (start + value.len()).max(offset));
    let items = words
        .into_iter()
        .map(|word| Completion::new(word, CompletionKind::Value, range))
        .collect();
    Some(Completions {
        items,
        incomplete: false,
    })
}

/// Whether `line` is in the body of a `Status` section of the item at
/// `offset` (BMAD's `## Status` over the word).
fn in_status_section(file: &SourceFile, offset: usize, line: TextRange) -> bool {
    item_at(file, offset).is_some_and(|item| {
        item.sections.iter().any(|s| {
            s.is_titled(&file.text, "status")
                && s.heading_range.end() <= line.start()
                && s.range.touches(offset)
        })
    })
}
