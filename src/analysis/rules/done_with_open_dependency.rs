//! `done-with-open-dependency`: a done item depends on an item that is not
//! done. The check lives here (the rule has no fix); the metadata is
//! `Rule::DoneWithOpenDependency` in `rule.rs`.

use crate::analysis::dialect;
use crate::analysis::intern::Id;
use crate::analysis::model::{Item, Reference};
use crate::analysis::rules::{Rule, Sink};
use crate::analysis::workspace::{SourceFile, Workspace};

/// An item whose dependencies are checked, and whether it counts as done
/// (as `status::counts_as_done` says).
pub(crate) struct DoneItem<'a> {
    pub(crate) file: &'a SourceFile,
    pub(crate) item: &'a Item,
    pub(crate) done: bool,
}

/// Reports `dep`, which names `resolved`, when the item counts as done and
/// `resolved` does not (`dependency_done`, as `dependencies::check` finds
/// it).
pub(crate) fn check(
    ws: &Workspace,
    done: DoneItem<'_>,
    dependency_done: bool,
    dep: &Reference,
    resolved: Id,
    sink: &mut Sink<'_>,
) {
    let DoneItem { file, item, done } = done;
    if done && !dependency_done {
        let dependency = ws.item(&resolved).map_or_else(
            || resolved.to_string(),
            |(_, target)| dialect::shown_id(file, &item.id, target),
        );
        sink.push(
            Rule::DoneWithOpenDependency,
            dep.range,
            format!(
                "`{}` is done but its dependency `{dependency}` is not",
                dialect::shown_id(file, &item.id, item)
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

    #[test]
    fn a_dependency_defined_twice_is_the_one_in_the_depending_file_s_folder() {
        // Two phase folders share the number 02: each has a plan `02-01`,
        // done (with its summary) in `02-x/` and open in `02-db/`.
        let ws = fixture::workspace(
            "//- .planning/phases/02-db/02-01-PLAN.md\n---\nphase: 02-db\nplan: 01\n---\n\
             //- .planning/phases/02-x/02-01-PLAN.md\n---\nphase: 02-x\nplan: 01\n---\n\
             //- .planning/phases/02-x/02-01-SUMMARY.md\nDone.\n\
             //- .planning/phases/02-x/02-02-PLAN.md\n---\nphase: 02-x\nplan: 02\ndepends_on: [\"02-01\"]\n---\n\
             //- .planning/phases/02-x/02-02-SUMMARY.md\nDone.\n\
             //- .planning/phases/02-db/02-03-PLAN.md\n---\nphase: 02-db\nplan: 03\ndepends_on: [\"02-01\"]\n---\n\
             //- .planning/phases/02-db/02-03-SUMMARY.md\nDone.\n",
        )
        .workspace;
        let ctx = Context::new(&ws);
        let flagged = |rel: &str| -> usize {
            check_file(&ws, &ctx, rel)
                .iter()
                .filter(|d| d.rule == Rule::DoneWithOpenDependency)
                .count()
        };
        // `02-x/02-02` waits on the done `02-x/02-01` beside it.
        assert_eq!(flagged(".planning/phases/02-x/02-02-PLAN.md"), 0);
        // `02-db/02-03` waits on the open `02-db/02-01` beside it.
        assert_eq!(flagged(".planning/phases/02-db/02-03-PLAN.md"), 1);
    }
}
