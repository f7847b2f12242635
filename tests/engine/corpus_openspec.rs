//! The findings on two real OpenSpec projects, reviewed: none.
//!
//! `openspec-AGIBuild-Modulus` (8 capability specs, 14 changes of which 9
//! archived) and `openspec-7174Andy-spendwise-tracker` (1 spec, 7 changes
//! of which 5 archived) keep their specs valid with OpenSpec's own
//! validator, and every requirement has SHALL or MUST and a `#### Scenario:`
//! block, so OpenSpec's rules stay silent. Their active deltas modify only
//! requirements the base specs have; their task lists are numbered within
//! their groups; archived changes have every task ticked. The test also
//! checks that the files were read as OpenSpec (requirements, changes and
//! tasks found), so an empty result cannot come from reading nothing.

use planmark::analysis::model::ItemKind;
use planmark::analysis::rules::check_workspace;

fn check_corpus(name: &str) -> (usize, usize, usize, Vec<String>) {
    let loaded = crate::corpus::load(name);
    let ws = &loaded.workspace;
    let count = |kind| ws.items().filter(|(_, i)| i.kind == kind).count();
    let findings = check_workspace(ws)
        .into_iter()
        .map(|d| format!("{} {} {}", d.rel, d.rule, d.message))
        .collect();
    (
        count(ItemKind::Requirement),
        count(ItemKind::Change),
        count(ItemKind::Task),
        findings,
    )
}

#[test]
fn openspec_corpora_read_and_pass() {
    let (requirements, changes, tasks, findings) = check_corpus("openspec-AGIBuild-Modulus");
    assert_eq!(findings, Vec::<String>::new());
    assert!(requirements > 50, "{requirements} requirements");
    assert!(changes >= 10, "{changes} changes");
    assert!(tasks > 50, "{tasks} tasks");
    let (requirements, changes, tasks, findings) =
        check_corpus("openspec-7174Andy-spendwise-tracker");
    assert_eq!(findings, Vec::<String>::new());
    assert!(requirements > 5, "{requirements} requirements");
    assert!(changes >= 5, "{changes} changes");
    assert!(tasks > 10, "{tasks} tasks");
}
