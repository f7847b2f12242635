//! `oversized-issue`: an issue has too many acceptance criteria or a Large
//! effort. The check and its fix (splitting the criteria in two, done by
//! `actions::split_issue`, which the cursor's "split here" shares) live
//! here; the metadata, with the `max-criteria` option, is
//! `Rule::OversizedIssue` in `rule.rs`.

use crate::analysis::actions::{split_issue, Action};
use crate::analysis::model::Item;
use crate::analysis::rules::{Diagnostic, Rule, Sink};
use crate::analysis::workspace::{SourceFile, Workspace};

/// Checks `item`, whose file's text is `text`.
pub(crate) fn check(text: &str, item: &Item, sink: &mut Sink<'_>) {
    // Size is a planning concern: splitting finished work helps no one.
    if item.is_done() {
        return;
    }
    let max = sink.option_usize(Rule::OversizedIssue, "max-criteria");
    let large = item
        .field("estimated effort")
        .filter(|f| f.value(text).to_ascii_lowercase().starts_with("large"));
    if item.criteria.len() > max {
        sink.push(
            Rule::OversizedIssue,
            item.def_range,
            format!(
                "{} acceptance criteria (more than {max}): this issue will not fit one session; split it",
                item.criteria.len()
            ),
        );
    } else if let Some(field) = large {
        sink.push(
            Rule::OversizedIssue,
            field.value_range,
            "a Large effort will not fit one session; split the issue",
        );
    }
}

/// Its fix: the second half of the criteria move to a new issue.
pub(crate) fn fixes(ws: &Workspace, file: &SourceFile, d: &Diagnostic) -> Vec<Action> {
    split_issue::from_diagnostic(ws, file, d)
        .into_iter()
        .collect()
}
