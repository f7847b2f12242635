//! `missing-acceptance-criteria`: an issue or story has no Acceptance
//! Criteria checklist. The check and its fix (a checklist with one
//! placeholder box) live here; the metadata is `Rule::MissingAcceptanceCriteria`
//! in `rule.rs`.

use crate::analysis::actions::fixes::edit;
use crate::analysis::actions::{eol, line_end_after, Action};
use crate::analysis::model::Item;
use crate::analysis::rules::content::title_range;
use crate::analysis::rules::{Diagnostic, Rule, Sink};
use crate::analysis::text::TextRange;
use crate::analysis::workspace::SourceFile;

pub(crate) fn check(file: &SourceFile, item: &Item, sink: &mut Sink<'_>) {
    if !item.criteria.is_empty() {
        return;
    }
    let section = item.sections.iter().find(|s| {
        s.title(&file.text)
            .to_ascii_lowercase()
            .starts_with("acceptance criteria")
    });
    let what = item.kind.name();
    match section {
        Some(s) => sink.push(
            Rule::MissingAcceptanceCriteria,
            s.heading_range,
            format!("the Acceptance Criteria section of this {what} has no checklist item (`- [ ] ...`)"),
        ),
        None => sink.push(
            Rule::MissingAcceptanceCriteria,
            title_range(file, item),
            format!("{what} `{}` has no `## Acceptance Criteria` section", item.id),
        ),
    };
}

const CRITERION_PLACEHOLDER: &str =
    "[Criterion from the persona's perspective: what they can now do or see]";

/// Its fix: an Acceptance Criteria checklist with one placeholder box,
/// under the empty section or as a new section before the notes.
pub(crate) fn fixes(file: &SourceFile, d: &Diagnostic) -> Vec<Action> {
    let Some(item) = file.facts.items.iter().find(|i| {
        i.def_range == d.range
            || i.sections.iter().any(|s| s.heading_range == d.range)
            || (i.def_range.is_empty() && d.range.start() == 0)
    }) else {
        return Vec::new();
    };
    let text = &*file.text;
    let nl = eol(text);
    let checkbox = format!("- [ ] {CRITERION_PLACEHOLDER}");
    let edits = if let Some(section) = item.sections.iter().find(|s| s.heading_range == d.range) {
        let at = line_end_after(text, section.heading_range.end());
        let lead = if at == text.len() && !text.ends_with('\n') {
            nl
        } else {
            ""
        };
        vec![(TextRange::empty(at), format!("{lead}{nl}{checkbox}{nl}"))]
    } else {
        const BEFORE: &[&str] = &[
            "technical notes",
            "notes",
            "out of scope",
            "dependencies",
            "tasks",
        ];
        let next = item
            .sections
            .iter()
            .filter(|s| s.level == 2)
            .find(|s| BEFORE.contains(&s.title(&file.text).to_ascii_lowercase().as_str()));
        match next {
            Some(s) => vec![(
                TextRange::empty(s.heading_range.start()),
                format!("## Acceptance Criteria{nl}{nl}{checkbox}{nl}{nl}"),
            )],
            None => {
                let lead = if text.is_empty() || text.ends_with('\n') {
                    nl.to_string()
                } else {
                    format!("{nl}{nl}")
                };
                vec![(
                    TextRange::empty(text.len()),
                    format!("{lead}## Acceptance Criteria{nl}{nl}{checkbox}{nl}"),
                )]
            }
        }
    };
    vec![Action::fix("Add an Acceptance Criteria checklist", d, edit(file, edits)).preferred()]
}

#[cfg(test)]
mod tests {
    use crate::analysis::actions::apply::apply_edits;
    use crate::analysis::actions::Change;
    use crate::analysis::fixture;
    use crate::analysis::rules::{check_file, Context, Rule};

    #[test]
    fn the_fix_adds_a_checklist_the_rule_accepts() {
        let rel = "issues/backlog/swe-feature-001.md";
        let ws = fixture::workspace(
            "//- issues/backlog/swe-feature-001.md\n# swe-feature-001: Login\n\n**Type:** feature\n**Expert:** swe\n**Milestone:** M1\n\n## Notes\n\nNone.\n",
        )
        .workspace;
        let ctx = Context::new(&ws);
        let file = ws.file(rel).expect("the fixture has the file");
        let found: Vec<_> = check_file(&ws, &ctx, rel)
            .into_iter()
            .filter(|d| d.rule == Rule::MissingAcceptanceCriteria)
            .collect();
        assert_eq!(found.len(), 1);
        let fixes = super::fixes(file, &found[0]);
        assert_eq!(fixes.len(), 1);
        assert!(fixes[0].is_preferred);
        let [Change::Edit { rel: edited, edits }] = &fixes[0].changes[..] else {
            panic!("one edit: {:?}", fixes[0].changes);
        };
        assert_eq!(edited, rel);
        let text = apply_edits(&file.text, edits).expect("the fix applies");
        assert!(
            text.contains("## Acceptance Criteria\n\n- [ ] [Criterion from the persona's perspective: what they can now do or see]\n\n## Notes"),
            "{text}"
        );
    }
}
