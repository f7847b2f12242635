//! `unreadable-file`: a planning file could not be read (not UTF-8, a
//! permission error, ...). The check lives here (the rule has no fix); the
//! metadata is `Rule::UnreadableFile` in `rule.rs`.

use crate::analysis::rules::{Rule, Sink};
use crate::analysis::text::TextRange;
use crate::analysis::workspace::Workspace;

/// Reports `rel` when the workspace could not read it, and returns whether
/// it could not: such a file has no text for the other rules to check.
pub(crate) fn check(ws: &Workspace, rel: &str, sink: &mut Sink<'_>) -> bool {
    let Some(reason) = ws.unreadable().get(rel) else {
        return false;
    };
    sink.push(
        Rule::UnreadableFile,
        TextRange::empty(0),
        format!("`{rel}` {reason}"),
    );
    true
}

#[cfg(test)]
mod tests {
    use crate::analysis::fixture;
    use crate::analysis::rules::{check_file, Context, Rule};

    #[test]
    fn an_unreadable_file_has_that_finding_alone() {
        let rel = "issues/backlog/swe-feature-001.md";
        let mut ws = fixture::workspace(&format!("//- {rel}\n# Login\n")).workspace;
        let readable = check_file(&ws, &Context::new(&ws), rel);
        assert!(!readable.is_empty());
        assert!(readable.iter().all(|d| d.rule != Rule::UnreadableFile));
        ws.set_unreadable(rel, "is not valid UTF-8".to_string());
        let found = check_file(&ws, &Context::new(&ws), rel);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].rule, Rule::UnreadableFile);
        assert_eq!(found[0].message, format!("`{rel}` is not valid UTF-8"));
    }
}
