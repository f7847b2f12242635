//! `self-dependency`: an item depends on itself. The check and its fix
//! (remove the dependency) live here; the metadata is
//! `Rule::SelfDependency` in `rule.rs`.

use crate::analysis::actions::fixes::{edit, reference_at, remove_reference};
use crate::analysis::actions::Action;
use crate::analysis::model::{Item, Reference};
use crate::analysis::rules::{Diagnostic, Rule, Sink};
use crate::analysis::workspace::SourceFile;

/// Reports `dep` when `resolved`, the ID it names, is `item`'s own, and
/// returns whether it was: such a dependency is checked no further.
pub(crate) fn check(
    file: &SourceFile,
    item: &Item,
    dep: &Reference,
    resolved: &str,
    sink: &mut Sink<'_>,
) -> bool {
    if resolved != item.id {
        return false;
    }
    sink.push(
        Rule::SelfDependency,
        dep.range,
        format!(
            "`{}` depends on itself",
            crate::analysis::dialect::shown_id(file, &item.id, item)
        ),
    );
    true
}

/// Its fix: the dependency goes.
pub(crate) fn fixes(file: &SourceFile, d: &Diagnostic) -> Vec<Action> {
    reference_at(file, d.range)
        .map(|(item, r)| {
            Action::fix(
                format!(
                    "Remove the dependency on `{}`",
                    match r.written.trim() {
                        "" => item.map_or("itself", |i| i.id.as_str()),
                        written => written,
                    }
                ),
                d,
                edit(file, remove_reference(file, item, r)),
            )
            .preferred()
        })
        .into_iter()
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::analysis::actions::apply::apply_edits;
    use crate::analysis::actions::Change;
    use crate::analysis::fixture;
    use crate::analysis::rules::{check_file, Context, Rule};

    #[test]
    fn the_fix_removes_only_the_dependency_on_itself() {
        let rel = "issues/backlog/swe-feature-001.md";
        let ws = fixture::workspace(
            "//- issues/backlog/swe-feature-001.md\n# swe-feature-001: Login\n\n**Type:** feature\n**Expert:** swe\n**Milestone:** M1\n**Dependencies:** swe-feature-002, swe-feature-001\n\n## Acceptance Criteria\n\n- [ ] The clerk sees the form\n//- issues/backlog/swe-feature-002.md\n# swe-feature-002: Logout\n\n**Type:** feature\n**Expert:** swe\n**Milestone:** M1\n\n## Acceptance Criteria\n\n- [ ] The clerk can leave\n",
        )
        .workspace;
        let ctx = Context::new(&ws);
        let file = ws.file(rel).expect("the fixture has the file");
        let found: Vec<_> = check_file(&ws, &ctx, rel)
            .into_iter()
            .filter(|d| d.rule == Rule::SelfDependency)
            .collect();
        assert_eq!(found.len(), 1, "{found:?}");
        let fixes = super::fixes(file, &found[0]);
        assert_eq!(fixes.len(), 1);
        assert_eq!(fixes[0].title, "Remove the dependency on `swe-feature-001`");
        assert!(fixes[0].is_preferred);
        let [Change::Edit { edits, .. }] = &fixes[0].changes[..] else {
            panic!("one edit: {:?}", fixes[0].changes);
        };
        let text = apply_edits(&file.text, edits).expect("the fix applies");
        assert!(
            text.contains("\n**Dependencies:** swe-feature-002\n"),
            "{text}"
        );
    }
}
