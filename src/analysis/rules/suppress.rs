//! markdownlint-style suppression comments: `<!-- planmark-disable RULE -->`,
//! `planmark-enable`, `planmark-disable-next-line` and
//! `planmark-disable-file`; no rule names means every rule.

use crate::analysis::model::SuppressionKind;
use crate::analysis::rules::Diagnostic;
use crate::analysis::workspace::SourceFile;

pub(crate) fn apply(file: &SourceFile, diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let suppressions = &file.facts.suppressions;
    if suppressions.is_empty() {
        return diagnostics;
    }
    let names = |rules: &[String], rule: &str| rules.is_empty() || rules.iter().any(|r| r == rule);
    diagnostics
        .into_iter()
        .filter(|d| {
            let line = file.line_index.line_of(d.range.start);
            let mut disabled = false;
            for s in suppressions {
                if !names(&s.rules, d.rule) {
                    continue;
                }
                match s.kind {
                    SuppressionKind::DisableFile => return false,
                    SuppressionKind::DisableNextLine => {
                        let comment_line = file.line_index.line_of(s.range.end);
                        if line == comment_line + 1
                            || line == file.line_index.line_of(s.range.start)
                        {
                            return false;
                        }
                    }
                    SuppressionKind::Disable if s.range.start <= d.range.start => disabled = true,
                    SuppressionKind::Enable if s.range.start <= d.range.start => disabled = false,
                    _ => {}
                }
            }
            !disabled
        })
        .collect()
}
