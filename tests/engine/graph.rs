//! The dependency graph and the plan (waves, ready, blocked, cycles, the
//! critical path) on small fixtures, plus a property test over random
//! dependency sets.

use std::collections::{HashMap, HashSet};

use expect_test::{expect, Expect};
use planmark::analysis::fixture::workspace;
use planmark::analysis::graph::Graph;
use planmark::analysis::plan::{plan, Plan};
use proptest::prelude::*;

/// An issue file in `folder` (`backlog`, `done`...) with the given
/// dependency field and effort.
fn issue(id: &str, folder: &str, deps: &str, effort: Option<&str>) -> String {
    let effort = effort
        .map(|e| format!("**Estimated effort:** {e}\n"))
        .unwrap_or_default();
    format!(
        "//- issues/{folder}/{id}.md\n# {id}\n\n**Type:** feature\n**Status:** {folder}\n\n## Technical Notes\n\n{effort}**Dependencies:** {deps}\n"
    )
}

fn open(id: &str, deps: &str) -> String {
    issue(id, "backlog", deps, None)
}

fn done(id: &str, deps: &str) -> String {
    issue(id, "done", deps, None)
}

fn plan_of(fixture: &str) -> (Graph, Plan) {
    let ws = workspace(fixture).workspace;
    let graph = Graph::build(&ws);
    let plan = plan(&graph);
    check_invariants(&graph, &plan);
    (graph, plan)
}

/// What every plan must satisfy, whatever the input.
fn check_invariants(graph: &Graph, plan: &Plan) {
    let mut seen = HashSet::new();
    for (w, wave) in plan.waves.iter().enumerate() {
        for id in wave {
            assert!(seen.insert(*id), "{id} is in two waves");
            let node = &graph.nodes[graph.node_of(id).unwrap()];
            assert!(!node.done, "{id} is done but in wave {}", w + 1);
            for &d in &node.deps {
                let dep = &graph.nodes[d];
                let earlier = plan.wave_of(&dep.id).is_some_and(|dw| dw < w + 1);
                assert!(
                    dep.done || earlier,
                    "{id} (wave {}) depends on {}, which is neither done nor in an earlier wave",
                    w + 1,
                    dep.id
                );
            }
        }
    }
    assert_eq!(plan.ready, plan.waves.first().cloned().unwrap_or_default());
    let blocked: HashSet<&str> = plan.blocked.iter().map(|b| b.id.as_str()).collect();
    for node in &graph.nodes {
        if node.done || node.kind == planmark::analysis::model::ItemKind::Milestone {
            continue;
        }
        let in_wave = plan.wave_of(&node.id).is_some();
        assert!(
            in_wave != blocked.contains(node.id.as_str()),
            "{} must be in exactly one of: a wave, blocked",
            node.id
        );
    }
}

/// The plan as text for snapshots.
fn show(plan: &Plan) -> String {
    use planmark::analysis::intern::join;
    let mut out = String::new();
    for (i, wave) in plan.waves.iter().enumerate() {
        out.push_str(&format!("wave {}: {}\n", i + 1, join(wave, ", ")));
    }
    for b in &plan.blocked {
        out.push_str(&format!(
            "blocked {} by [{}]: {}\n",
            b.id,
            join(&b.blocked_by, ", "),
            b.reason
        ));
    }
    for c in &plan.cycles {
        out.push_str(&format!("cycle {}\n", join(c, " -> ")));
    }
    out.push_str(&format!(
        "critical path {} (length {})\n",
        join(&plan.critical_path.items, " -> "),
        plan.critical_path.length
    ));
    out
}

fn check(fixture: &str, expect: Expect) {
    expect.assert_eq(&show(&plan_of(fixture).1));
}

#[test]
fn diamond() {
    // a <- b, a <- c, (b, c) <- d
    let fixture = [
        open("swe-feature-001", "none"),
        open("swe-feature-002", "swe-feature-001"),
        open("swe-feature-003", "swe-feature-001"),
        open("swe-feature-004", "swe-feature-002, swe-feature-003"),
    ]
    .concat();
    check(
        &fixture,
        expect![[r#"
            wave 1: swe-feature-001
            wave 2: swe-feature-002, swe-feature-003
            wave 3: swe-feature-004
            critical path swe-feature-001 -> swe-feature-002 -> swe-feature-004 (length 6)
        "#]],
    );
}

#[test]
fn chain() {
    let fixture = [
        open("swe-feature-001", "none"),
        open("swe-feature-002", "swe-feature-001"),
        open("swe-feature-003", "swe-feature-002"),
        open("swe-feature-004", "swe-feature-003"),
    ]
    .concat();
    check(
        &fixture,
        expect![[r#"
            wave 1: swe-feature-001
            wave 2: swe-feature-002
            wave 3: swe-feature-003
            wave 4: swe-feature-004
            critical path swe-feature-001 -> swe-feature-002 -> swe-feature-003 -> swe-feature-004 (length 8)
        "#]],
    );
}

#[test]
fn two_disjoint_cycles() {
    let fixture = [
        open("swe-feature-001", "swe-feature-002"),
        open("swe-feature-002", "swe-feature-001"),
        open("swe-feature-005", "swe-feature-007"),
        open("swe-feature-006", "swe-feature-005"),
        open("swe-feature-007", "swe-feature-006"),
        open("swe-feature-009", "none"),
    ]
    .concat();
    let (graph, plan) = plan_of(&fixture);
    assert_eq!(graph.cycles().len(), 2);
    expect![[r#"
        wave 1: swe-feature-009
        blocked swe-feature-001 by [swe-feature-002]: in a dependency cycle: swe-feature-001 -> swe-feature-002 -> swe-feature-001
        blocked swe-feature-002 by [swe-feature-001]: in a dependency cycle: swe-feature-001 -> swe-feature-002 -> swe-feature-001
        blocked swe-feature-005 by [swe-feature-007]: in a dependency cycle: swe-feature-005 -> swe-feature-007 -> swe-feature-006 -> swe-feature-005
        blocked swe-feature-006 by [swe-feature-005]: in a dependency cycle: swe-feature-005 -> swe-feature-007 -> swe-feature-006 -> swe-feature-005
        blocked swe-feature-007 by [swe-feature-006]: in a dependency cycle: swe-feature-005 -> swe-feature-007 -> swe-feature-006 -> swe-feature-005
        cycle swe-feature-001 -> swe-feature-002
        cycle swe-feature-005 -> swe-feature-007 -> swe-feature-006
        critical path swe-feature-009 (length 2)
    "#]]
    .assert_eq(&show(&plan));
}

#[test]
fn self_loop() {
    let fixture = [
        open("swe-feature-001", "swe-feature-001"),
        open("swe-feature-002", "none"),
    ]
    .concat();
    check(
        &fixture,
        expect![[r#"
            wave 1: swe-feature-002
            blocked swe-feature-001 by [swe-feature-001]: in a dependency cycle: swe-feature-001 -> swe-feature-001
            cycle swe-feature-001
            critical path swe-feature-002 (length 2)
        "#]],
    );
}

#[test]
fn dangling_reference() {
    let fixture = [
        open("swe-feature-011", "none"),
        open("devops-feature-015", "swe-feature-111"),
        open("qa-feature-016", "devops-feature-015"),
    ]
    .concat();
    let (graph, plan) = plan_of(&fixture);
    let node = &graph.nodes[graph.node_of("devops-feature-015").unwrap()];
    let dangling: Vec<&str> = node.dangling.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(dangling, ["swe-feature-111"]);
    assert_eq!(node.dangling[0].retired, None);
    assert!(node.deps.is_empty());
    expect![[r#"
        wave 1: swe-feature-011
        blocked devops-feature-015 by [swe-feature-111]: depends on swe-feature-111, which does not exist
        blocked qa-feature-016 by [devops-feature-015]: waits for devops-feature-015, which is blocked
        critical path swe-feature-011 (length 2)
    "#]]
    .assert_eq(&show(&plan));
}

#[test]
fn item_depending_on_a_cycle_is_blocked() {
    let fixture = [
        open("swe-feature-012", "swe-feature-013"),
        open("swe-feature-013", "swe-feature-012"),
        open("swe-feature-014", "swe-feature-012"),
        open("swe-feature-015", "swe-feature-014"),
        open("swe-feature-016", "none"),
    ]
    .concat();
    let (_, plan) = plan_of(&fixture);
    for id in ["swe-feature-014", "swe-feature-015"] {
        assert_eq!(plan.wave_of(id), None, "{id} is in a wave");
    }
    let b = plan
        .blocked
        .iter()
        .find(|b| b.id == "swe-feature-014")
        .expect("swe-feature-014 is blocked");
    assert_eq!(b.blocked_by, ["swe-feature-012"]);
    assert!(
        b.reason.contains("swe-feature-012") && b.reason.contains("cycle"),
        "the reason names the cycle member and the cycle: {}",
        b.reason
    );
    expect![[r#"
        wave 1: swe-feature-016
        blocked swe-feature-012 by [swe-feature-013]: in a dependency cycle: swe-feature-012 -> swe-feature-013 -> swe-feature-012
        blocked swe-feature-013 by [swe-feature-012]: in a dependency cycle: swe-feature-012 -> swe-feature-013 -> swe-feature-012
        blocked swe-feature-014 by [swe-feature-012]: waits for swe-feature-012, which is in a dependency cycle
        blocked swe-feature-015 by [swe-feature-014]: waits for swe-feature-014, which is blocked
        cycle swe-feature-012 -> swe-feature-013
        critical path swe-feature-016 (length 2)
    "#]]
    .assert_eq(&show(&plan));
}

#[test]
fn done_items_are_excluded_from_waves() {
    let fixture = [
        done("swe-feature-001", "none"),
        done("swe-feature-002", "swe-feature-001"),
        open("swe-feature-003", "swe-feature-002"),
        open("swe-feature-004", "swe-feature-003, swe-feature-001"),
        // Done, but depending on an open item: still out of the plan.
        done("swe-feature-005", "swe-feature-004"),
    ]
    .concat();
    let (_, plan) = plan_of(&fixture);
    for id in ["swe-feature-001", "swe-feature-002", "swe-feature-005"] {
        assert_eq!(plan.wave_of(id), None);
        assert!(plan.blocked.iter().all(|b| b.id != id));
    }
    expect![[r#"
        wave 1: swe-feature-003
        wave 2: swe-feature-004
        critical path swe-feature-003 -> swe-feature-004 (length 4)
    "#]]
    .assert_eq(&show(&plan));
}

#[test]
fn ready_is_wave_one() {
    let fixture = [
        done("swe-feature-001", "none"),
        open("swe-feature-002", "swe-feature-001"),
        open("swe-feature-003", "none"),
        open("swe-feature-004", "swe-feature-003"),
        open("swe-feature-005", "swe-feature-999"),
    ]
    .concat();
    let (_, plan) = plan_of(&fixture);
    assert_eq!(plan.ready, ["swe-feature-002", "swe-feature-003"]);
    assert_eq!(plan.ready, plan.waves[0]);
}

/// A chain of four issues with every effort, a single Large issue beside
/// it, and a story with a chain of three tasks.
fn weighted_fixture() -> String {
    [
        issue("swe-feature-001", "backlog", "none", Some("Small session")),
        issue(
            "swe-feature-002",
            "backlog",
            "swe-feature-001",
            Some("Medium session"),
        ),
        issue(
            "swe-feature-003",
            "backlog",
            "swe-feature-002",
            Some("Large session"),
        ),
        issue("swe-feature-004", "backlog", "swe-feature-003", None),
        issue("swe-feature-005", "backlog", "none", Some("Large session")),
        "//- docs/stories/020-tasks.md\n# Story 020: Tasks\n\n## Tasks\n\n### 001: One\n**Depends on:** none\n\n### 002: Two\n**Depends on:** 001\n\n### 003: Three\n**Depends on:** 002\n".to_string(),
    ]
    .concat()
}

#[test]
fn critical_path_default_weights() {
    let (graph, plan) = plan_of(&weighted_fixture());
    let weights: Vec<String> = graph
        .nodes
        .iter()
        .map(|n| format!("{} {}", n.id, n.weight))
        .collect();
    expect![[r#"
        [
            "story-020 0",
            "story-020/001 1",
            "story-020/002 1",
            "story-020/003 1",
            "swe-feature-001 1",
            "swe-feature-002 2",
            "swe-feature-003 3",
            "swe-feature-004 2",
            "swe-feature-005 3",
        ]
    "#]]
    .assert_debug_eq(&weights);
    // Small 1 + Medium 2 + Large 3 + unknown 2.
    assert_eq!(plan.critical_path.length, 8.0);
    assert_eq!(
        plan.critical_path.items,
        [
            "swe-feature-001",
            "swe-feature-002",
            "swe-feature-003",
            "swe-feature-004"
        ]
    );
}

#[test]
fn critical_path_tasks_weigh_one() {
    // Three tasks of weight 1 beat a single Medium issue (2).
    let fixture = [
        issue("swe-feature-001", "backlog", "none", Some("Medium session")),
        "//- docs/stories/020-tasks.md\n# Story 020: Tasks\n\n## Tasks\n\n### 001: One\n**Depends on:** none\n\n### 002: Two\n**Depends on:** 001\n\n### 003: Three\n**Depends on:** 002\n".to_string(),
    ]
    .concat();
    let (_, plan) = plan_of(&fixture);
    expect![[r#"
        wave 1: story-020/001, swe-feature-001
        wave 2: story-020/002
        wave 3: story-020/003
        wave 4: story-020
        critical path story-020/001 -> story-020/002 -> story-020/003 -> story-020 (length 3)
    "#]]
    .assert_eq(&show(&plan));
    assert_eq!(plan.critical_path.length, 3.0);
}

#[test]
fn critical_path_weights_from_config() {
    let fixture = format!(
        "//- planmark.toml\n[plan.weights]\nsmall = 10\nmedium = 20\nlarge = 30\nunknown = 5\ntask = 0.5\n{}",
        weighted_fixture()
    );
    let ws = workspace(&fixture).workspace;
    assert!(ws.config_errors().is_empty(), "{:?}", ws.config_errors());
    let graph = Graph::build(&ws);
    let weight: HashMap<&str, f64> = graph
        .nodes
        .iter()
        .map(|n| (n.id.as_str(), n.weight))
        .collect();
    assert_eq!(weight["swe-feature-001"], 10.0);
    assert_eq!(weight["swe-feature-002"], 20.0);
    assert_eq!(weight["swe-feature-003"], 30.0);
    assert_eq!(weight["swe-feature-004"], 5.0);
    assert_eq!(weight["story-020/001"], 0.5);
    let plan = plan(&graph);
    check_invariants(&graph, &plan);
    assert_eq!(plan.critical_path.length, 65.0);

    // With tasks heavy enough, the story's chain becomes the critical path.
    let fixture = format!(
        "//- planmark.toml\n[plan.weights]\ntask = 40\n{}",
        weighted_fixture()
    );
    let (_, plan) = plan_of(&fixture);
    expect![[r#"
        wave 1: story-020/001, swe-feature-001, swe-feature-005
        wave 2: story-020/002, swe-feature-002
        wave 3: story-020/003, swe-feature-003
        wave 4: story-020, swe-feature-004
        critical path story-020/001 -> story-020/002 -> story-020/003 -> story-020 (length 120)
    "#]]
    .assert_eq(&show(&plan));
}

#[test]
fn story_tasks_inherit_story_dependencies() {
    let fixture = [
        open("swe-feature-001", "none"),
        "//- docs/stories/015-login.md\n# Story 015: Login\n\n## Tasks\n\n### 001: Endpoint\n**Status:** pending\n**Depends on:** none\n".to_string(),
        "//- docs/stories/016-views.md\n# Story 016: Views\n\n## Dependencies\n\n- Story 015 (login must exist)\n- swe-feature-001\n\n## Tasks\n\n### 001: Table\n**Status:** pending\n**Depends:** none\n\n### 002: API\n**Status:** pending\n**Depends On:** 001\n".to_string(),
        "//- docs/stories/017-broken.md\n# Story 017: Broken\n\n## Dependencies\n\n- swe-feature-404\n\n## Tasks\n\n### 001: Anything\n**Depends on:** none\n".to_string(),
    ]
    .concat();
    let (graph, plan) = plan_of(&fixture);
    let deps = |id: &str| -> Vec<&str> {
        graph.nodes[graph.node_of(id).unwrap()]
            .deps
            .iter()
            .map(|&d| graph.nodes[d].id.as_str())
            .collect()
    };
    assert_eq!(deps("story-016/001"), ["story-015", "swe-feature-001"]);
    assert_eq!(
        deps("story-016/002"),
        ["story-016/001", "story-015", "swe-feature-001"]
    );
    assert_eq!(
        deps("story-016"),
        [
            "story-015",
            "swe-feature-001",
            "story-016/001",
            "story-016/002"
        ]
    );
    expect![[r#"
        wave 1: story-015/001, swe-feature-001
        wave 2: story-015
        wave 3: story-016/001
        wave 4: story-016/002
        wave 5: story-016
        blocked story-017 by [swe-feature-404]: depends on swe-feature-404, which does not exist
        blocked story-017/001 by [swe-feature-404]: depends on swe-feature-404, which does not exist
        critical path swe-feature-001 -> story-016/001 -> story-016/002 -> story-016 (length 4)
    "#]]
    .assert_eq(&show(&plan));
}

// ---------------------------------------------------------------------------
// Property test

/// Random dependency sets over `n` issues: mostly on earlier issues (a DAG),
/// sometimes on later ones (cycles), sometimes on a missing issue.
fn random_workspace() -> impl Strategy<Value = Vec<(bool, Vec<usize>)>> {
    (1usize..24).prop_flat_map(|n| {
        prop::collection::vec(
            (
                prop::bool::weighted(0.25),
                prop::collection::vec((0..=n, prop::bool::weighted(0.08)), 0..4),
            ),
            n,
        )
        .prop_map(move |items| {
            items
                .into_iter()
                .enumerate()
                .map(|(i, (done, deps))| {
                    let deps = deps
                        .into_iter()
                        .filter_map(|(j, backward)| match (j, backward) {
                            // `n` stands for an issue that does not exist.
                            (j, _) if j == n => Some(n),
                            (j, true) => Some(j),
                            (_, false) if i == 0 => None,
                            (j, false) => Some(j % i),
                        })
                        .collect();
                    (done, deps)
                })
                .collect()
        })
    })
}

fn id(i: usize) -> String {
    format!("swe-feature-{:03}", i + 1)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn waves_respect_dependencies(items in random_workspace()) {
        let n = items.len();
        let mut fixture = String::new();
        for (i, (is_done, deps)) in items.iter().enumerate() {
            let list: Vec<String> = deps
                .iter()
                .map(|&j| if j == n { "swe-feature-999".to_string() } else { id(j) })
                .collect();
            let value = if list.is_empty() { "none".to_string() } else { list.join(", ") };
            fixture.push_str(&issue(&id(i), if *is_done { "done" } else { "backlog" }, &value, None));
        }
        let ws = workspace(&fixture).workspace;
        let graph = Graph::build(&ws);
        let plan = plan(&graph);

        // Checked against the generated input, not the graph.
        let mut seen = HashSet::new();
        for (w, wave) in plan.waves.iter().enumerate() {
            for item in wave {
                prop_assert!(seen.insert(*item), "{} is in two waves", item);
                let i = (0..n).find(|&i| id(i) == *item).expect("a known issue");
                prop_assert!(!items[i].0, "{} is done but in a wave", item);
                for &j in &items[i].1 {
                    prop_assert!(j != n, "{} has a dangling dependency but is in a wave", item);
                    let dep_ok = items[j].0 || plan.wave_of(&id(j)).is_some_and(|dw| dw < w + 1);
                    prop_assert!(dep_ok, "{} (wave {}) waits for {}", item, w + 1, id(j));
                }
            }
        }
        let blocked: HashSet<&str> = plan.blocked.iter().map(|b| b.id.as_str()).collect();
        for (i, (is_done, _)) in items.iter().enumerate() {
            let in_wave = plan.wave_of(&id(i)).is_some();
            let is_blocked = blocked.contains(id(i).as_str());
            if *is_done {
                prop_assert!(!in_wave && !is_blocked, "done {} is planned", id(i));
            } else {
                prop_assert!(in_wave != is_blocked, "open {}: in wave {}, blocked {}", id(i), in_wave, is_blocked);
            }
        }
        for cycle in &plan.cycles {
            for member in cycle {
                let i = (0..n).find(|&i| id(i) == *member).expect("a known issue");
                prop_assert!(items[i].0 || blocked.contains(member.as_str()));
            }
        }
        check_invariants(&graph, &plan);
    }
}

/// The body of an issue file in `backlog/` with the given status field.
fn issue_body(id: &str, status: &str, deps: &str) -> String {
    format!("# {id}\n\n**Type:** feature\n**Status:** {status}\n\n## Technical Notes\n\n**Dependencies:** {deps}\n")
}

/// What a context says, by ID, for comparing two of them.
fn context_summary(ctx: &planmark::analysis::rules::Context) -> String {
    let g = &ctx.graph;
    let mut out = String::new();
    for node in &g.nodes {
        let mut deps: Vec<&str> = node.deps.iter().map(|&d| g.nodes[d].id.as_str()).collect();
        deps.sort();
        out.push_str(&format!(
            "{} done={} progress={} deps={:?} dangling={:?}\n",
            node.id, node.done, node.in_progress, deps, node.dangling
        ));
    }
    for cycle in &ctx.cycles {
        let ids: Vec<&str> = cycle.iter().map(|&n| g.nodes[n].id.as_str()).collect();
        out.push_str(&format!("cycle {ids:?}\n"));
        for &n in cycle {
            assert_eq!(ctx.cycles[ctx.cycle_of[&n]], *cycle);
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// The context updated after each edit of one file's dependencies or
    /// status says the same as a context computed afresh.
    #[test]
    fn updated_context_equals_a_fresh_one(
        items in random_workspace(),
        edits in prop::collection::vec((0usize..24, prop::collection::vec(0usize..25, 0..4), 0usize..3), 1..12),
    ) {
        use planmark::analysis::rules::Context;
        use std::sync::Arc;
        let n = items.len();
        let name = |j: usize| if j >= n { "swe-feature-999".to_string() } else { id(j) };
        let list = |deps: &[usize]| {
            let names: Vec<String> = deps.iter().map(|&j| name(j)).collect();
            if names.is_empty() { "none".to_string() } else { names.join(", ") }
        };
        let mut fixture = String::new();
        for (i, (_, deps)) in items.iter().enumerate() {
            fixture.push_str(&format!("//- issues/backlog/{}.md\n{}", id(i), issue_body(&id(i), "backlog", &list(deps))));
        }
        let mut ws = workspace(&fixture).workspace;
        let mut ctx = Context::new(&ws);
        let mut incremental = 0;
        for (k, deps, status) in edits {
            let k = k % n;
            let rel = format!("issues/backlog/{}.md", id(k));
            let before = ws.file(&rel).cloned().expect("loaded");
            let status = ["backlog", "in progress", "done"][status];
            ws.set_file(&rel, Arc::from(issue_body(&id(k), status, &list(&deps))));
            let after = ws.file(&rel).cloned().expect("loaded");
            ctx = match ctx.updated(&ws, &[(&before, &after)]) {
                Some(updated) => { incremental += 1; updated }
                None => Context::new(&ws),
            };
            prop_assert_eq!(context_summary(&ctx), context_summary(&Context::new(&ws)));
        }
        prop_assert!(incremental > 0, "every edit rebuilt the context");
    }
}

/// Every dependency edge of the graph goes where `Workspace::resolve` says
/// its target resolves (the graph resolves through its own table), on the
/// sample workspace (milestone spec aliases like `#301`) and on a fixture
/// with an ID defined twice and an alias shadowing another file's ID.
#[test]
fn graph_edges_follow_workspace_resolve() {
    use planmark::analysis::model::ItemKind;
    let sample = planmark::load::load_workspace(std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples"
    )))
    .workspace;
    let dup = workspace(&format!(
        "{}{}{}",
        open("swe-feature-001", "swe-feature-002, swe-feature-009"),
        open("swe-feature-002", "none"),
        "//- issues/done/swe-feature-002.md\n# Again\n\n**Status:** done\n\n**Dependencies:** swe-feature-001\n"
    ))
    .workspace;
    for ws in [&sample, &dup] {
        let graph = Graph::build(ws);
        let mut checked = 0;
        for node in &graph.nodes {
            let Some((_, item)) = ws.item(&node.id) else {
                continue;
            };
            let has_children = ws
                .items()
                .any(|(_, child)| child.parent.as_deref() == Some(item.id.as_str()));
            if item.kind == ItemKind::Story || has_children {
                continue; // A story, or a parent task, also waits for its tasks.
            }
            let story_deps = item
                .parent
                .as_deref()
                .and_then(|p| ws.item(p))
                .map_or(&[][..], |(_, s)| &s.deps[..]);
            let mut expected: Vec<&str> = Vec::new();
            for dep in item.deps.iter().chain(story_deps) {
                if dep.target.as_id().is_none() {
                    continue;
                }
                if let Some(id) = ws.resolve(&dep.target) {
                    let id = graph.nodes[graph.node_of(&id).unwrap()].id.as_str();
                    if !expected.contains(&id) {
                        expected.push(id);
                    }
                }
                checked += 1;
            }
            let got: Vec<&str> = node
                .deps
                .iter()
                .map(|&d| graph.nodes[d].id.as_str())
                .collect();
            assert_eq!(got, expected, "edges of {}", node.id);
        }
        assert!(checked >= 2, "too few dependencies were compared");
    }
}
