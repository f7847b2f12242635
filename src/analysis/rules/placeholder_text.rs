//! `placeholder-text`: a template placeholder was left unfilled. The check
//! lives here (the rule has no fix); the metadata is `Rule::PlaceholderText`
//! in `rule.rs`.

use crate::analysis::rules::{DiagnosticTag, Rule, Sink};
use crate::analysis::workspace::SourceFile;

pub(crate) fn check(file: &SourceFile, sink: &mut Sink<'_>) {
    for range in &file.facts.placeholders {
        let text = &file.text[range.start()..range.end()];
        if let Some(d) = sink.push(
            Rule::PlaceholderText,
            *range,
            format!("template placeholder `{text}` was left unfilled"),
        ) {
            d.tags.push(DiagnosticTag::Unnecessary);
        }
    }
}
