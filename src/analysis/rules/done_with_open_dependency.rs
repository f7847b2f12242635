//! `done-with-open-dependency`: a done item depends on an item that is not
//! done. The check lives here (the rule has no fix); the metadata is
//! `Rule::DoneWithOpenDependency` in `rule.rs`.

use crate::analysis::intern::Id;
use crate::analysis::model::{Item, Reference};
use crate::analysis::rules::context::Context;
use crate::analysis::rules::{Rule, Sink};

/// Reports `dep`, which names `resolved`, when `item` counts as done (`done`,
/// as `status::counts_as_done` says) and `resolved` does not.
pub(crate) fn check(
    ctx: &Context,
    item: &Item,
    done: bool,
    dep: &Reference,
    resolved: Id,
    sink: &mut Sink<'_>,
) {
    if done && !ctx.is_done(&resolved) {
        sink.push(
            Rule::DoneWithOpenDependency,
            dep.range,
            format!(
                "`{}` is done but its dependency `{resolved}` is not",
                item.id
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::analysis::fixture;
    use crate::analysis::rules::{check_file, Context, Rule};

    #[test]
    fn a_done_issue_waits_only_on_its_open_dependencies() {
        let issue = |id: &str, deps: &str| {
            format!("# {id}: Step\n\n**Type:** feature\n**Expert:** swe\n**Milestone:** M1\n**Dependencies:** {deps}\n\n## Acceptance Criteria\n\n- [x] The clerk sees the form\n")
        };
        let ws = fixture::workspace(&format!(
            "//- issues/done/swe-feature-001.md\n{}//- issues/done/swe-feature-002.md\n{}//- issues/backlog/swe-feature-003.md\n{}//- issues/backlog/swe-feature-004.md\n{}",
            issue("swe-feature-001", "none"),
            issue("swe-feature-002", "swe-feature-001, swe-feature-003"),
            issue("swe-feature-003", "none"),
            issue("swe-feature-004", "swe-feature-001, swe-feature-003"),
        ))
        .workspace;
        let ctx = Context::new(&ws);
        let flagged = |rel: &str| -> Vec<String> {
            let file = ws.file(rel).expect("the fixture has the file");
            check_file(&ws, &ctx, rel)
                .iter()
                .filter(|d| d.rule == Rule::DoneWithOpenDependency)
                .map(|d| file.text[d.range.start()..d.range.end()].to_string())
                .collect()
        };
        assert_eq!(
            flagged("issues/done/swe-feature-002.md"),
            ["swe-feature-003"]
        );
        // Open work may wait on open work.
        assert_eq!(
            flagged("issues/backlog/swe-feature-004.md"),
            Vec::<String>::new()
        );
    }
}
