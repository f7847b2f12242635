//! Semantic tokens: references (resolved or dangling) and field labels.

use crate::analysis::features::span_of;
use crate::analysis::model::{RefRole, Target};
use crate::analysis::text::TextRange;
use crate::analysis::workspace::Workspace;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum TokenKind {
    /// A reference to a known item.
    Reference,
    /// A reference that names no known item.
    DanglingReference,
    /// The label of a `**Label:** value` field.
    FieldLabel,
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Token {
    /// One line at most.
    pub range: TextRange,
    pub kind: TokenKind,
}

/// The tokens of the file `rel`, by position, never overlapping.
pub fn semantic_tokens(ws: &Workspace, rel: &str) -> Vec<Token> {
    let Some(file) = ws.file(rel) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for reference in file.facts.all_references() {
        let Some(range) = span_of(&file.text, reference) else {
            continue;
        };
        // A dependency on an item carried out before it left the plan (a
        // GSD plan of a shipped milestone) is met, as no dangling one is.
        let resolved = ws.resolve(&reference.target).is_some()
            || (reference.role == RefRole::Dependency
                && reference.target.as_id().is_some_and(|id| {
                    crate::analysis::dialect::retired_item(ws, file, id)
                        .is_some_and(|retired| retired.is_done())
                }));
        // Without a roadmap, milestones cannot be checked: say nothing.
        let uncheckable = !ws.has_roadmap()
            && (reference.role == RefRole::Milestone
                || matches!(reference.target, Target::MilestoneTitle(_)));
        // Nor of what an item covers, where its dialect cannot tell.
        let unjudged = matches!(reference.role, RefRole::Covers | RefRole::IndexRow)
            && !crate::analysis::dialect::judges_reference(ws, file, reference);
        if !resolved && (uncheckable || unjudged) {
            continue;
        }
        out.push(Token {
            range,
            kind: if resolved {
                TokenKind::Reference
            } else {
                TokenKind::DanglingReference
            },
        });
    }
    for item in &file.facts.items {
        for field in &item.fields {
            // A roadmap's Status cell is a field without a label of its own.
            if field.label_range != field.value_range {
                out.push(Token {
                    range: field.label_range,
                    kind: TokenKind::FieldLabel,
                });
            }
        }
    }
    out.sort();
    let mut end = 0;
    out.retain(|t| {
        let keep = t.range.start() >= end && !t.range.is_empty();
        if keep {
            end = t.range.end();
        }
        keep
    });
    out
}
