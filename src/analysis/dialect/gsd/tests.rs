//! GSD: what the parser reads, each rule firing and silent, and the generic
//! features (hover, lens, completion, plan) on GSD items.

use std::fmt::Write as _;
use std::sync::Arc;

use expect_test::{expect, Expect};

use crate::analysis::features::{self, Derived};
use crate::analysis::fixture::{actions_at, derived, findings, renamed, workspace};
use crate::analysis::graph::Graph;
use crate::analysis::model::Progress;
use crate::analysis::rules::Context;
use crate::analysis::text::ColumnUnit;
use crate::analysis::workspace::Workspace;

const REQUIREMENTS: &str = "//- .planning/REQUIREMENTS.md
# Requirements: Parcel

## v1 Requirements

### Accounts

- [x] **AUTH-01**: User can sign in
- [ ] **AUTH-02**: User can sign out

## v2 Requirements (Deferred)

- **SYNC-01**: Devices share state
";

const ROADMAP: &str = "//- .planning/ROADMAP.md
# Roadmap: Parcel

## Phases

- [ ] **Phase 1: Accounts** - sign-in and sign-out
- [ ] **Phase 2: Sync** - devices

## Phase Details

### Phase 1: Accounts
**Goal:** People can sign in.

Plans:
- [ ] 01-01-PLAN.md — Sign-in

### Phase 2: Sync
**Goal:** Devices agree.
";

/// A plan file of phase 1 with the given front matter lines.
fn plan(number: &str, front: &str) -> String {
    format!(
        "//- .planning/phases/01-accounts/01-{number}-PLAN.md\n---\nphase: 01-accounts\nplan: {number}\n{front}---\n\n<objective>\nPlan {number} of the accounts.\n</objective>\n"
    )
}

fn check(fixture: &str, expect: Expect) {
    expect.assert_eq(&findings(&workspace(fixture).workspace));
}

#[test]
fn the_parser_reads_phases_plans_and_requirements() {
    let fixture = format!(
        "{REQUIREMENTS}{ROADMAP}{}{}",
        plan("01", "wave: 1\ndepends_on: []\nrequirements:\n  - AUTH-01\n"),
        plan(
            "02",
            "wave: 2\ndepends_on: [\"01-01\"]\nrequirements: [AUTH-02]\nmust_haves:\n  truths:\n    - \"a\\.b\"\n"
        ),
    );
    let ws = workspace(&fixture).workspace;
    let mut out = String::new();
    for (file, item) in ws.items() {
        let ids = |refs: &[crate::analysis::model::Reference]| -> Vec<String> {
            refs.iter()
                .map(|r| {
                    format!(
                        "{}@{}",
                        r.target.as_id().unwrap_or(""),
                        &file.text[r.range.start()..r.range.end()]
                    )
                })
                .collect()
        };
        writeln!(
            out,
            "{} {} {:?} parent={:?} progress={:?} deps={:?} covers={:?} title={:?}",
            item.kind.name(),
            item.id,
            item.number,
            item.parent,
            item.progress,
            ids(&item.deps),
            ids(&item.covers),
            item.title
        )
        .unwrap();
    }
    expect![[r#"
        requirement AUTH-01 None parent=None progress=Some(Done) deps=[] covers=[] title="User can sign in"
        requirement AUTH-02 None parent=None progress=Some(NotStarted) deps=[] covers=[] title="User can sign out"
        requirement SYNC-01 None parent=None progress=None deps=[] covers=[] title="Devices share state"
        phase phase-1 Some("1") parent=None progress=Some(NotStarted) deps=[] covers=[] title="Accounts"
        phase phase-2 Some("2") parent=None progress=Some(NotStarted) deps=[] covers=[] title="Sync"
        plan 01-01 None parent=Some("phase-1") progress=None deps=[] covers=["AUTH-01@AUTH-01"] title="Plan 01 of the accounts."
        plan 01-02 None parent=Some("phase-1") progress=None deps=["01-01@01-01"] covers=["AUTH-02@AUTH-02"] title="Plan 02 of the accounts."
    "#]].assert_eq(&out);
    assert_eq!(findings(&ws), "");
    // The roadmap's plan list names the plan.
    let roadmap = ws.file(".planning/ROADMAP.md").unwrap();
    let named: Vec<String> = roadmap
        .facts
        .references
        .iter()
        .map(|r| {
            format!(
                "{:?} {}",
                r.target,
                &roadmap.text[r.range.start()..r.range.end()]
            )
        })
        .collect();
    assert_eq!(named, ["Id(\"01-01\") 01-01"]);
}

/// The IDs the dependencies of plan `01-02` name.
fn dependencies_of_plan_02(ws: &Workspace) -> Vec<&str> {
    let file = ws
        .file(".planning/phases/01-accounts/01-02-PLAN.md")
        .unwrap();
    file.facts.items[0]
        .deps
        .iter()
        .filter_map(|r| r.target.as_id())
        .collect()
}

/// Each `depends_on` form, written in plan 02 beside a plan 01, names plan
/// 01-01 and nothing else, with no finding.
fn assert_each_names_plan_01_01(forms: &[&str]) {
    for form in forms {
        let fixture = format!("{}{}", plan("01", ""), plan("02", form));
        let ws = workspace(&fixture).workspace;
        assert_eq!(dependencies_of_plan_02(&ws), ["01-01"], "{form}");
        assert_eq!(findings(&ws), "", "{form}");
    }
}

#[test]
fn depends_on_means_the_same_in_every_yaml_form() {
    assert_each_names_plan_01_01(&[
        "depends_on: [01-01]\n",
        "depends_on:\n  - 01-01\n",
        "depends_on: [\"01-01\"]\n",
        "depends_on:\n  - \"01-01\"\n",
        "depends_on: 01-01\n",
        "depends_on: [1-1]\n",
    ]);
    let ws = workspace(&plan("01", "depends_on: []\n")).workspace;
    let file = ws
        .file(".planning/phases/01-accounts/01-01-PLAN.md")
        .unwrap();
    assert!(file.facts.items[0].deps.is_empty());
}

#[test]
fn a_bare_plan_number_in_depends_on_names_the_plan_of_the_same_phase() {
    // GSD's plan template writes `depends_on: ["01", "02"]` for plans of
    // the same phase, and real plans write it unquoted (`[01, 04]`).
    for form in [
        "depends_on: [01]\n",
        "depends_on: [\"01\"]\n",
        "depends_on: [1]\n",
        "depends_on:\n  - 01\n",
        "depends_on: 01\n",
    ] {
        let fixture = format!("{}{}", plan("01", "wave: 1\n"), plan("02", form));
        let ws = workspace(&fixture).workspace;
        assert_eq!(dependencies_of_plan_02(&ws), ["01-01"], "{form}");
        assert_eq!(findings(&ws), "", "{form}");
    }
    // They count for the waves too.
    check(
        &format!(
            "{}{}{}",
            plan("01", "wave: 1\n"),
            plan("02", "wave: 1\n"),
            plan("03", "wave: 2\ndepends_on: [01, 02]\n"),
        ),
        expect![[r#""#]],
    );
    check(
        &format!(
            "{}{}",
            plan("01", "wave: 1\n"),
            plan("02", "wave: 1\ndepends_on: [01]\n"),
        ),
        expect![[r#"
            .planning/phases/01-accounts/01-02-PLAN.md:4:7 gsd-wave-order: wave 1 is not after wave 1 of `01-01`, which this plan depends on: GSD runs a wave's plans together, so write `wave: 2` [1]
        "#]],
    );
    // A plan carried out (its summary written) runs no more: its wave
    // orders nothing.
    check(
        &format!(
            "{}{}//- .planning/phases/01-accounts/01-01-SUMMARY.md\nDone.\n//- .planning/phases/01-accounts/01-02-SUMMARY.md\nDone.\n",
            plan("01", "wave: 1\n"),
            plan("02", "wave: 1\ndepends_on: [01]\n"),
        ),
        expect![[r#""#]],
    );
}

/// Some plans list their dependencies by file name (`06-01-PLAN.md`): the
/// entry names the plan of that file, in any case, and a finding on it
/// still shows it as written.
#[test]
fn a_plan_file_name_in_depends_on_names_its_plan() {
    assert_each_names_plan_01_01(&[
        "depends_on:\n  - 01-01-PLAN.md\n",
        "depends_on: [01-01-plan.md]\n",
        "depends_on: [\"1-1-Plan.md\"]\n",
        "depends_on: [01-01-sign-in-PLAN.md]\n",
    ]);
    check(
        &plan("02", "depends_on:\n  - 01-07-PLAN.md\n"),
        expect![[r#"
            .planning/phases/01-accounts/01-02-PLAN.md:5:5 dangling-dependency: `01-07` names no known plan [01-07-PLAN.md]
        "#]],
    );
}

/// Some plans name their dependencies in words: `Phase 6 Plan 01` is plan
/// 06-01, while `Phase 15` is a phase, not a plan of this one (GSD's
/// executor takes none of the phase's plans for it, and the roadmap's
/// `**Depends on:**` orders phases), so it is no dangling dependency.
#[test]
fn a_dependency_in_words_names_a_plan_or_a_phase() {
    assert_each_names_plan_01_01(&[
        "depends_on: [\"Phase 1 Plan 01\"]\n",
        "depends_on:\n  - \"Phase 01, Plan 1\"\n",
        "depends_on: [\"phase 1 plan 1\", \"Phase 15\"]\n",
        "depends_on:\n  - \"Phase 1 Plan 01\"\n  - Phase 3 (algorithms)\n  - Phases 4-5\n",
    ]);
    check(
        &plan("02", "depends_on: [\"Phase 1 Plan 07\"]\n"),
        expect![[r#"
            .planning/phases/01-accounts/01-02-PLAN.md:4:15 dangling-dependency: `01-07` (from `Phase 1 Plan 07`) names no known plan [Phase 1 Plan 07]
        "#]],
    );
}

#[test]
fn a_heading_that_only_names_the_plan_is_no_title() {
    for (heading, title) in [
        ("# Plan 02.1-01", "Plan 01-01"),
        ("# Plan 02.1-01: Hotfix the login", "Hotfix the login"),
        ("# Phase 2 Plan 1 - Hotfix", "Hotfix"),
        ("# Plan 07-01. Attribute extraction", "Attribute extraction"),
    ] {
        let fixture = format!(
            "//- .planning/phases/01-accounts/01-01-PLAN.md\n---\nphase: 01\nplan: 01\n---\n\n{heading}\n"
        );
        let ws = workspace(&fixture).workspace;
        let (_, item) = ws.item("01-01").unwrap();
        assert_eq!(item.title.to_string(), title, "{heading}");
    }
}

#[test]
fn a_missing_dependency_and_a_cycle_are_reported_by_the_generic_rules() {
    check(
        &format!(
            "{}{}",
            plan("01", "depends_on: [01-02, 01-07]\n"),
            plan("02", "depends_on: [01-01]\n")
        ),
        expect![[r#"
            .planning/phases/01-accounts/01-01-PLAN.md:4:14 dependency-cycle: dependency cycle: 01-01 -> 01-02 -> 01-01 [01-02]
            .planning/phases/01-accounts/01-01-PLAN.md:4:21 dangling-dependency: `01-07` names no known plan; did you mean `01-02`? (it would close a dependency cycle) [01-07]
            .planning/phases/01-accounts/01-02-PLAN.md:4:14 dependency-cycle: dependency cycle: 01-01 -> 01-02 -> 01-01 [01-01]
        "#]],
    );
}

#[test]
fn wave_order_fires_when_a_wave_is_not_after_its_dependencies() {
    check(
        &format!(
            "{}{}{}",
            plan("01", "wave: 1\n"),
            plan("02", "wave: 2\ndepends_on: [01-01]\n"),
            plan("03", "wave: 2\ndepends_on:\n  - 01-01\n  - 01-02\n"),
        ),
        expect![[r#"
            .planning/phases/01-accounts/01-03-PLAN.md:4:7 gsd-wave-order: wave 2 is not after wave 2 of `01-02`, which this plan depends on: GSD runs a wave's plans together, so write `wave: 3` [2]
        "#]],
    );
}

#[test]
fn wave_order_reads_dependencies_in_the_plans_own_phase_folder() {
    // Two phase folders with the same number (a project that started its
    // numbering again without archiving the shipped phases): GSD schedules
    // `04-real-time-chat/04-04-PLAN.md`'s `depends_on: ["04-01", "04-02"]`
    // within its own folder, where `04-02` is wave 1.
    let fixture = [
        plan_at(
            ".planning/phases/04-bug-fixes-ui-polish/04-01-PLAN.md",
            "phase: 04-bug-fixes-ui-polish\nplan: 01\nwave: 1\n",
        ),
        plan_at(
            ".planning/phases/04-bug-fixes-ui-polish/04-02-PLAN.md",
            "phase: 04-bug-fixes-ui-polish\nplan: 02\nwave: 2\ndepends_on: [\"04-01\"]\n",
        ),
        plan_at(
            ".planning/phases/04-real-time-chat/04-01-PLAN.md",
            "phase: 04-real-time-chat\nplan: 01\nwave: 1\n",
        ),
        plan_at(
            ".planning/phases/04-real-time-chat/04-02-PLAN.md",
            "phase: 04-real-time-chat\nplan: 02\nwave: 1\ndepends_on: []\n",
        ),
        plan_at(
            ".planning/phases/04-real-time-chat/04-04-PLAN.md",
            "phase: 04-real-time-chat\nplan: 04\nwave: 2\ndepends_on: [\"04-01\", \"04-02\"]\n",
        ),
    ]
    .concat();
    let found = findings(&workspace(&fixture).workspace);
    assert!(!found.contains("gsd-wave-order"), "{found}");
    // The same dependency with a wave that is not after the own folder's
    // plan is still reported.
    let late = fixture.replace(
        "plan: 02\nwave: 1\ndepends_on: []",
        "plan: 02\nwave: 2\ndepends_on: []",
    );
    let found = findings(&workspace(&late).workspace);
    assert!(
        found.contains("04-real-time-chat/04-04-PLAN.md:4:7 gsd-wave-order: wave 2 is not after wave 2 of `04-02`"),
        "{found}"
    );
}

#[test]
fn wave_order_is_silent_on_later_waves_and_other_phases() {
    // A later wave than needed is no breakage; a dependency on a plan of
    // an earlier phase says nothing about waves, which run per phase.
    check(
        &format!(
            "{}{}//- .planning/phases/02-sync/02-01-PLAN.md\n---\nphase: 02-sync\nplan: 01\nwave: 1\ndepends_on: [01-01]\n---\n",
            plan("01", "wave: 1\n"),
            plan("02", "wave: 3\ndepends_on: [01-01]\n"),
        ),
        expect![[r#""#]],
    );
}

#[test]
fn a_wave_can_be_moved_after_its_dependencies() {
    let got = actions_at(&format!(
        "{}//- .planning/phases/01-accounts/01-02-PLAN.md\n---\nwave: $01\ndepends_on: [01-01]\n---\n",
        plan("01", "wave: 1\n"),
    ));
    expect![[r#"
        ## Write `wave: 2` (preferred: true)
        ---
        wave: 2
        depends_on: [01-01]
        ---
    "#]]
    .assert_eq(&got);
}

#[test]
fn unknown_requirement_fires_only_with_a_requirements_file() {
    let plans = plan("01", "requirements: [AUTH-01, AUTH-09]\n");
    check(
        &format!("{REQUIREMENTS}{plans}"),
        expect![[r#"
        .planning/REQUIREMENTS.md:8:9 gsd-uncovered-requirement: no plan lists `AUTH-02` in its `requirements:` [AUTH-02]
        .planning/phases/01-accounts/01-01-PLAN.md:4:25 gsd-unknown-requirement: `AUTH-09` names no requirement of `.planning/REQUIREMENTS.md` [AUTH-09]
    "#]],
    );
    check(&plans, expect![""]);
}

/// An ID whose number follows a letter (`**REQ-native-r1**`, as
/// FerroxLabs/wayland-core's REQUIREMENTS.md lists a phase's repair
/// requirements, or `**NFR-R1**`) is a requirement: before, its line was
/// prose, so every plan listing it was reported for naming no requirement.
#[test]
fn an_id_numbered_after_a_letter_is_a_requirement() {
    let requirements = "//- .planning/REQUIREMENTS.md
# Requirements

- [x] **REQ-native-r1**: The sandbox is available on real Windows
- [ ] **NFR-R1**: The service stays up
";
    check(
        &format!(
            "{requirements}{}",
            plan(
                "01",
                "requirements: [REQ-native-r1, NFR-R1, REQ-native-r9]\n"
            )
        ),
        expect![[r#"
            .planning/phases/01-accounts/01-01-PLAN.md:4:39 gsd-unknown-requirement: `REQ-native-r9` names no requirement of `.planning/REQUIREMENTS.md` [REQ-native-r9]
        "#]],
    );
}

/// Some REQUIREMENTS.md files define requirements in tables whose first
/// column is headed `ID` (or `Requirement`): each row's first cell is a
/// requirement, its second cell the title. A traceability table repeats
/// requirements listed above it: they stay one requirement each.
#[test]
fn requirements_in_a_table_are_defined_once() {
    let requirements = "//- .planning/REQUIREMENTS.md
# Requirements

## Phase 42: Trip Cost Tracking
| ID | Description | Priority |
|----|-------------|----------|
| EXP-01 | TripExpense model: id, tripId | Must |
| **EXP-02** | Expense list | Should |

## Accounts

- [ ] **AUTH-01**: User can sign in

## Traceability

| Requirement | Phase | Status |
|-------------|-------|--------|
| EXP-01 | Phase 42 | Complete |
| AUTH-01 | Phase 1 | Pending |
";
    let plans = plan("01", "requirements: [EXP-01, EXP-02, AUTH-01, EXP-09]\n");
    let fixture = format!("{requirements}{plans}");
    check(
        &fixture,
        expect![[r#"
        .planning/phases/01-accounts/01-01-PLAN.md:4:41 gsd-unknown-requirement: `EXP-09` names no requirement of `.planning/REQUIREMENTS.md` [EXP-09]
    "#]],
    );
    let ws = workspace(&fixture).workspace;
    let file = ws.file(".planning/REQUIREMENTS.md").unwrap();
    let defined: Vec<String> = file
        .facts
        .items
        .iter()
        .map(|i| format!("{} {}", i.id, i.title))
        .collect();
    expect![[r#"
        [
            "AUTH-01 User can sign in",
            "EXP-01 TripExpense model: id, tripId",
            "EXP-02 Expense list",
        ]
    "#]]
    .assert_debug_eq(&defined);
}

/// Requirements written as headings that start with their ID, the
/// section below holding the details (szTheory/oban_powertools: `### R-01:
/// Performance & Security Sweep`), are requirements: plans that list them
/// are no longer told `R-01` names no requirement. A heading that only
/// mentions an ID, or names a phase, defines none.
#[test]
fn a_heading_that_starts_with_an_id_is_a_requirement() {
    let requirements = "//- .planning/REQUIREMENTS.md
# Requirements

## Requirements

### R-01: Performance & Security Sweep
- Run static analysis with 0 warnings.

### **R-02** — Feature matrix
- Write the matrix.

### Phase 3: Release
### Notes on R-09
### R-03
";
    let plans = [
        plan("01", "requirements: [\"R-01\", R-09]\n"),
        plan("02", "requirements: [R-02]\n"),
    ]
    .concat();
    let fixture = format!("{requirements}{plans}");
    check(
        &fixture,
        expect![[r#"
            .planning/REQUIREMENTS.md:13:5 gsd-uncovered-requirement: no plan lists `R-03` in its `requirements:` [R-03]
            .planning/phases/01-accounts/01-01-PLAN.md:4:24 gsd-unknown-requirement: `R-09` names no requirement of `.planning/REQUIREMENTS.md` [R-09]
        "#]],
    );
    let ws = workspace(&fixture).workspace;
    let file = ws.file(".planning/REQUIREMENTS.md").unwrap();
    let defined: Vec<String> = file
        .facts
        .items
        .iter()
        .map(|i| {
            format!(
                "{} {:?} {}",
                i.id,
                &file.text[i.def_range.start()..i.def_range.end()],
                i.title
            )
        })
        .collect();
    expect![[r#"
        [
            "R-01 \"R-01\" Performance & Security Sweep",
            "R-02 \"R-02\" Feature matrix",
            "R-03 \"R-03\" R-03",
        ]
    "#]]
    .assert_debug_eq(&defined);
}

/// A traceability table (`| Requirement | Phase | Status |`) maps the
/// requirements the file defines to phases: a row alone defines no
/// requirement, and one naming no requirement is reported. Its rows
/// mention the requirements, for find references and hover.
#[test]
fn a_traceability_row_maps_a_requirement_and_defines_none() {
    let requirements = "//- .planning/REQUIREMENTS.md
# Requirements

- [ ] **AUTH-01**: User can sign in

## Traceability

| Requirement | Phase | Status |
|-------------|-------|--------|
| AUTH-01 | Phase 1 | Complete |
| AUTH-09 | Phase 2 | Complete |
";
    let fixture = format!(
        "{requirements}{}",
        plan("01", "requirements: [AUTH-01, AUTH-09]\n")
    );
    check(
        &fixture,
        expect![[r#"
            .planning/REQUIREMENTS.md:10:3 gsd-unknown-requirement: the traceability table maps `AUTH-09`, which `.planning/REQUIREMENTS.md` does not define: add its requirement line, or remove the row [AUTH-09]
            .planning/phases/01-accounts/01-01-PLAN.md:4:25 gsd-unknown-requirement: `AUTH-09` names no requirement of `.planning/REQUIREMENTS.md` [AUTH-09]
        "#]],
    );
    let ws = workspace(&fixture).workspace;
    let file = ws.file(".planning/REQUIREMENTS.md").unwrap();
    let read: Vec<String> = file
        .facts
        .items
        .iter()
        .map(|i| format!("defines {}", i.id))
        .chain(
            file.facts
                .references
                .iter()
                .map(|r| format!("mentions {:?}", r.target)),
        )
        .collect();
    expect![[r#"
        [
            "defines AUTH-01",
            "mentions Id(\"AUTH-01\")",
            "mentions Id(\"AUTH-09\")",
        ]
    "#]]
    .assert_debug_eq(&read);
    // A requirement written as a heading, not as a requirement line, has
    // its row as its entry.
    let headed = requirements.replace(
        "- [ ] **AUTH-01**: User can sign in\n",
        "- [ ] **AUTH-01**: User can sign in\n\n#### 6.1. AUTH-09: Sign out everywhere\n\nText.\n",
    );
    check(
        &format!(
            "{headed}{}",
            plan("01", "requirements: [AUTH-01, AUTH-09]\n")
        ),
        expect![""],
    );
}

/// Each phase of ROADMAP.md lists its requirements on a
/// `**Requirements**:` line (or `**Requirements:**`, in brackets as GSD's
/// planner allows), which the planner shares out among the phase's plans:
/// they are what the phase covers, as a plan's `requirements:` covers
/// them. Find references on a requirement reaches them, definition and
/// hover work on them, and one that REQUIREMENTS.md does not define is
/// `gsd-unknown-requirement`. An entry of prose names nothing.
#[test]
fn a_phase_covers_the_requirements_of_its_roadmap_line() {
    let roadmap = ROADMAP
        .replace(
            "**Goal:** People can sign in.\n",
            "**Goal:** People can sign in.\n**Requirements**: AUTH-01, AUTH-02 (sign-out only), AUTH-07\n",
        )
        .replace(
            "**Goal:** Devices agree.\n",
            "**Goal:** Devices agree.\n**Requirements:** [AUTH-01], Infrastructure for SYNC-01, TBD\n",
        );
    let fixture = format!(
        "{REQUIREMENTS}{roadmap}{}",
        plan("01", "requirements: [AUTH-01]\n")
    );
    let ws = workspace(&fixture).workspace;
    let derived = derived(&ws);
    let rel = ".planning/ROADMAP.md";
    let text = &ws.file(rel).expect("the roadmap").text;
    let covered: Vec<String> = ws
        .file(rel)
        .expect("the roadmap")
        .facts
        .items
        .iter()
        .map(|phase| {
            let ids: Vec<&str> = phase.covers.iter().map(|r| &*r.written).collect();
            format!("{}: {ids:?}", phase.id)
        })
        .collect();
    expect![[r#"
        phase-1: ["AUTH-01", "AUTH-02", "AUTH-07"]
        phase-2: ["AUTH-01"]"#]]
    .assert_eq(&covered.join("\n"));
    expect![[r#"
        .planning/REQUIREMENTS.md:8:9 gsd-uncovered-requirement: no plan lists `AUTH-02` in its `requirements:` [AUTH-02]
        .planning/ROADMAP.md:12:53 gsd-unknown-requirement: `AUTH-07` names no requirement of `.planning/REQUIREMENTS.md` [AUTH-07]
    "#]]
    .assert_eq(&findings(&ws));
    let requirements = ".planning/REQUIREMENTS.md";
    let at = ws
        .file(requirements)
        .expect("the requirements")
        .text
        .find("AUTH-01")
        .expect("AUTH-01");
    let refs: Vec<String> =
        features::navigation::references(&ws, &derived, requirements, at, false)
            .into_iter()
            .map(|r| {
                let file = ws.file(&r.rel).expect("a loaded file");
                let at = file
                    .line_index()
                    .line_col(&file.text, r.range.start(), ColumnUnit::Char);
                format!("{}:{}:{}", r.rel, at.line + 1, at.col + 1)
            })
            .collect();
    expect![[r#"
        .planning/ROADMAP.md:12:19
        .planning/ROADMAP.md:19:20
        .planning/phases/01-accounts/01-01-PLAN.md:4:16"#]]
    .assert_eq(&refs.join("\n"));
    let on_line = text.find("AUTH-02 (").expect("the entry") + 1;
    let definition = features::navigation::definition(&ws, rel, on_line).expect("a definition");
    assert_eq!(definition.targets[0].rel, requirements);
    let hover = features::hover::hover(&ws, &derived, rel, on_line).expect("a hover");
    expect![[r#"
        **AUTH-02** · User can sign out

        requirement

        Covered by phase-1"#]]
    .assert_eq(&hover.markdown);
}

#[test]
fn a_depends_on_line_reaches_the_phases_it_names() {
    let roadmap = ROADMAP
        .replace(
            "- [ ] **Phase 2: Sync** - devices\n",
            "- [ ] **Phase 2: Sync** - devices\n- [ ] **Phase 3: Share** - links\n",
        )
        .replace(
            "**Goal:** Devices agree.\n",
            "**Goal:** Devices agree.\n**Depends on:** Phase 1 (accounts first)\n\n### Phase 3: Share\n**Goal:** Links.\n**Depends on:** Phases 1-2, and Phase 9\n",
        );
    let ws = workspace(&roadmap).workspace;
    let derived = derived(&ws);
    let rel = ".planning/ROADMAP.md";
    let text = &ws.file(rel).expect("the roadmap").text;
    let named: Vec<String> = ws
        .file(rel)
        .expect("the roadmap")
        .facts
        .references
        .iter()
        .filter(|r| r.expects == Some(crate::analysis::model::ItemKind::Phase))
        .map(|r| format!("{} {}", &*r.written, r.target.as_id().unwrap_or("")))
        .collect();
    // The range stands for each phase in it; `9` names no phase and is
    // still a mention, which no rule reports.
    expect![[r#"
        1 phase-1
        1-2 phase-1
        1-2 phase-2
        9 phase-9"#]]
    .assert_eq(&named.join("\n"));
    let on = text.find("Phase 1 (accounts").expect("the line") + "Phase ".len();
    let definition = features::navigation::definition(&ws, rel, on).expect("a definition");
    let target = &definition.targets[0];
    assert_eq!(
        &text[target.range.start()..target.range.end()]
            .lines()
            .next(),
        &Some("### Phase 1: Accounts")
    );
    let hover = features::hover::hover(&ws, &derived, rel, on).expect("a hover");
    assert!(
        hover.markdown.starts_with("**phase-1** · Accounts"),
        "{}",
        hover.markdown
    );
    let refs = features::navigation::references(&ws, &derived, rel, on, false);
    assert_eq!(refs.len(), 2, "{refs:?}");
}

#[test]
fn a_requirement_of_an_archived_milestone_is_known() {
    // GSD's `complete-milestone` copies REQUIREMENTS.md, under a header, to
    // `milestones/<version>-REQUIREMENTS.md`; the shipped milestone's phase
    // folders may stay in `phases/`, their plans naming those requirements.
    let archive = "//- .planning/milestones/v3.8.0-REQUIREMENTS.md
# Requirements Archive: v3.8.0 Revenue CRM

**Archived:** 2026-04-15
**Status:** SHIPPED

For current requirements, see `.planning/REQUIREMENTS.md`.

---

# Requirements: Parcel v3.8.0

### Tracking and Intelligence

- [x] **TRK-01**: First-party activity is normalized into the ledger.
- [x] **AUTH-01**: User can sign in

## v3.7 Requirements (Complete)

- [x] **TRK-01**: Events reach the warehouse
";
    let tracking = plan_at(
        ".planning/phases/101-behavioral-tracking/101-01-PLAN.md",
        "phase: 101-behavioral-tracking\nplan: 01\nrequirements:\n  - TRK-01\n  - TRK-02\n  - AUTH-01\n",
    );
    let fixture = format!("{REQUIREMENTS}{archive}{tracking}");
    let ws = workspace(&fixture).workspace;
    // `TRK-02` is in neither file; the archive's requirements are no
    // duplicates of the current ones (nor of its older section's) and want
    // no plan of their own.
    expect![[r#"
        .planning/REQUIREMENTS.md:8:9 gsd-uncovered-requirement: no plan lists `AUTH-02` in its `requirements:` [AUTH-02]
        .planning/phases/101-behavioral-tracking/101-01-PLAN.md:6:5 gsd-unknown-requirement: `TRK-02` names no requirement of `.planning/REQUIREMENTS.md` [TRK-02]
    "#]]
    .assert_eq(&findings(&ws));
}

/// A plan left in `phases/` by a shipped milestone names a requirement
/// that only the milestone's archived requirements define (centik's
/// `INFRA-03`, in `milestones/v1.0-REQUIREMENTS.md`): hover shows that
/// requirement, and go-to-definition opens its line there, the latest
/// archive's when two define it.
#[test]
fn hover_and_definition_reach_a_requirement_only_an_archive_defines() {
    let archive = |version: &str, title: &str| {
        format!(
            "//- .planning/milestones/{version}-REQUIREMENTS.md
# Requirements Archive: {version}

- [x] **INFRA-01**: Repository scaffolded
- [x] **INFRA-03**: {title}
"
        )
    };
    let fixture = format!(
        "{REQUIREMENTS}{}{}//- .planning/phases/01-infrastructure/01-02-PLAN.md\n---\nphase: 01-infrastructure\nplan: 02\nrequirements:\n  - INFRA-$003\n---\n",
        archive("v1.0", "Lint with zero warnings"),
        archive("v1.1", "Lint and format with zero warnings"),
    );
    let fixture = workspace(&fixture);
    let ws = &fixture.workspace;
    let (rel, offset) = fixture.cursor.clone().expect("a cursor");
    let hover = features::hover::hover(ws, &derived(ws), &rel, offset).expect("a hover");
    let definition = features::navigation::definition(ws, &rel, offset).expect("a definition");
    let targets: Vec<String> = definition
        .targets
        .iter()
        .map(|t| {
            let text = &ws.file(&t.rel).expect("the target").text;
            format!(
                "{}: {:?} at {:?}",
                t.rel,
                t.focus.of(text),
                t.range.of(text)
            )
        })
        .collect();
    expect![[r#"
        **v1.1/INFRA-03** · Lint and format with zero warnings

        requirement
        .planning/milestones/v1.1-REQUIREMENTS.md: "INFRA-03" at "- [x] **INFRA-03**: Lint and format with zero warnings""#]]
    .assert_eq(&format!("{}\n{}", hover.markdown, targets.join("\n")));
}

#[test]
fn a_requirement_range_stands_for_each_requirement_in_it() {
    // REQUIREMENTS.md may define a run of requirements on one line, and
    // plans list them one by one or by the same range.
    let requirements = "//- .planning/REQUIREMENTS.md
## Active Requirements

- [ ] **API-01**: Public OpenAPI stays current.
- [ ] **QA-01..03**: The quality baseline gates apply to every phase.
";
    let fixture = format!(
        "{requirements}{}{}",
        plan("01", "requirements:\n  - API-01\n  - QA-01\n  - QA-03\n"),
        plan("02", "requirements:\n  - QA-01..03\n"),
    );
    let ws = workspace(&fixture).workspace;
    let defined: Vec<&str> = ws
        .items()
        .filter(|(_, item)| item.kind == crate::analysis::model::ItemKind::Requirement)
        .map(|(_, item)| item.id.as_str())
        .collect();
    assert_eq!(defined, ["API-01", "QA-01", "QA-02", "QA-03"]);
    assert_eq!(findings(&ws), "");
    // A member the requirements lack is still reported, named on its own.
    check(
        &format!(
            "{requirements}{}",
            plan(
                "01",
                "requirements: [API-01, QA-02..04, QA-07, QA-09..02]\n"
            )
        ),
        expect![[r#"
            .planning/REQUIREMENTS.md:4:9 gsd-uncovered-requirement: no plan lists `QA-01` in its `requirements:` [QA-01..03]
            .planning/phases/01-accounts/01-01-PLAN.md:4:24 gsd-unknown-requirement: `QA-02..04` includes `QA-04`, which names no requirement of `.planning/REQUIREMENTS.md` [QA-02..04]
            .planning/phases/01-accounts/01-01-PLAN.md:4:35 gsd-unknown-requirement: `QA-07` names no requirement of `.planning/REQUIREMENTS.md` [QA-07]
            .planning/phases/01-accounts/01-01-PLAN.md:4:42 gsd-unknown-requirement: `QA-09..02` names no requirement of `.planning/REQUIREMENTS.md` [QA-09..02]
        "#]],
    );
}

#[test]
fn uncovered_requirement_waits_for_plans_and_skips_deferred_ones() {
    // No plan lists requirements yet: nothing to say.
    check(&format!("{REQUIREMENTS}{}", plan("01", "")), expect![""]);
    check(
        &format!("{REQUIREMENTS}{}", plan("01", "requirements: [AUTH-01]\n")),
        expect![[r#"
            .planning/REQUIREMENTS.md:8:9 gsd-uncovered-requirement: no plan lists `AUTH-02` in its `requirements:` [AUTH-02]
        "#]],
    );
}

#[test]
fn requirements_addressed_lists_a_plan_s_requirements_too() {
    // Fearvox/dash-persona's planner writes `requirements_addressed:`: its
    // IDs are covered, and one that does not exist is still reported.
    check(
        &format!(
            "{REQUIREMENTS}{}{}",
            plan("01", "requirements_addressed: [AUTH-01]\n"),
            plan("02", "requirements_addressed:\n  - AUTH-02\n  - AUTH-09\n"),
        ),
        expect![[r#"
            .planning/phases/01-accounts/01-02-PLAN.md:6:5 gsd-unknown-requirement: `AUTH-09` names no requirement of `.planning/REQUIREMENTS.md` [AUTH-09]
        "#]],
    );
}

/// Teams keep every milestone's requirements in one `REQUIREMENTS.md` and
/// archive only the shipped phases (`archive/v1.0/01-accounts/`): the
/// archived plans still cover what they list. A summary's
/// `requirements-completed:` covers its requirements as its plan did, the
/// plan file perhaps gone since. A requirement the shipped milestone
/// archived with it (`milestones/v1.0-REQUIREMENTS.md`) is that file's,
/// and the current one of the same ID is still reported.
#[test]
fn archived_plans_and_summaries_cover_requirements() {
    let requirements = "//- .planning/REQUIREMENTS.md
# Requirements: Parcel

## v1 Requirements

- [x] **AUTH-01**: User can sign in
- [x] **AUTH-02**: User can sign out
- [x] **AUTH-03**: User can reset a password
- [ ] **AUTH-04**: User can delete the account
";
    let archived = "//- .planning/archive/v1.0/01-accounts/01-01-PLAN.md
---
phase: 01-accounts
plan: 01
requirements: [AUTH-01]
---
//- .planning/archive/v1.0/01-accounts/01-02-SUMMARY.md
---
phase: 01-accounts
plan: 02
requirements-completed: [AUTH-02]
---
";
    let current = "//- .planning/phases/02-more/02-01-PLAN.md
---
phase: 02-more
plan: 01
requirements: [AUTH-04]
---
//- .planning/phases/02-more/02-02-SUMMARY.md
---
phase: 02-more
plan: 02
requirements-completed:
  - AUTH-03
---
";
    check(&format!("{requirements}{archived}{current}"), expect![""]);
    let shipped = "//- .planning/milestones/v1.0-REQUIREMENTS.md
# Requirements Archive: v1.0

- [x] **AUTH-01**: User can sign in
";
    check(
        &format!("{requirements}{shipped}{archived}{current}"),
        expect![[r#"
            .planning/REQUIREMENTS.md:5:9 gsd-uncovered-requirement: no plan lists `AUTH-01` in its `requirements:` [AUTH-01]
        "#]],
    );
}

/// GSD's planner shares a phase's requirements out among its plans when it
/// plans the phase: the requirements the roadmap gives to phases with no
/// plans yet wait for them, while those of a planned phase that none of
/// its plans lists are reported.
#[test]
fn requirements_of_phases_not_planned_yet_wait() {
    let requirements = "//- .planning/REQUIREMENTS.md
# Requirements: Parcel

## v1 Requirements

- [x] **AUTH-01**: User can sign in
- [ ] **AUTH-02**: User can sign out
- [ ] **SYNC-01**: Devices share state
- [ ] **SYNC-02**: Devices resolve conflicts
";
    let roadmap = ROADMAP
        .replace(
            "**Goal:** People can sign in.\n",
            "**Goal:** People can sign in.\n**Requirements**: AUTH-01, AUTH-02, SYNC-02\n",
        )
        .replace(
            "**Goal:** Devices agree.\n",
            "**Goal:** Devices agree.\n**Requirements**: SYNC-01, SYNC-02\n",
        );
    check(
        &format!(
            "{requirements}{roadmap}{}",
            plan("01", "requirements: [AUTH-01]\n")
        ),
        expect![[r#"
            .planning/REQUIREMENTS.md:6:9 gsd-uncovered-requirement: no plan lists `AUTH-02` in its `requirements:` [AUTH-02]
            .planning/REQUIREMENTS.md:8:9 gsd-uncovered-requirement: no plan lists `SYNC-02` in its `requirements:` [SYNC-02]
        "#]],
    );
}

/// A REQUIREMENTS.md started afresh for milestone v2.0 heads its
/// requirements `## v2.0 Requirements`: they are for now, not deferred as a
/// `## v2 Requirements` under `## v1 Requirements` is.
#[test]
fn requirements_of_the_file_s_first_version_are_for_now() {
    let requirements = "//- .planning/REQUIREMENTS.md
# Requirements: Parcel

## v2.0 Requirements

- [ ] **UI-01**: A list
- [ ] **UI-02**: A detail view

## v3.0 Requirements

- **UI-03**: A map
";
    check(
        &format!("{requirements}{}", plan("01", "requirements: [UI-01]\n")),
        expect![[r#"
            .planning/REQUIREMENTS.md:6:9 gsd-uncovered-requirement: no plan lists `UI-02` in its `requirements:` [UI-02]
        "#]],
    );
}

#[test]
fn phase_without_plans_fires_on_a_skipped_open_phase_only() {
    let roadmap = "//- .planning/ROADMAP.md\n## Phases\n\n- [x] **Phase 1: Done without plans**\n- [ ] **Phase 2: Skipped**\n- [ ] **Phase 3: Started**\n- [ ] **Phase 4: Next**\n";
    check(
        &format!("{roadmap}//- .planning/phases/03-started/03-01-PLAN.md\n---\nphase: 03\nplan: 01\n---\n"),
        expect![[r#"
            .planning/ROADMAP.md:4:15 gsd-phase-without-plans: phase 2 has no plans in `.planning/phases/` while a later phase has some: plan it (`/gsd:plan-phase 2`) or mark it complete [2]
        "#]],
    );
    // Phases after the last planned one are what comes next.
    check(
        &format!(
            "{roadmap}//- .planning/phases/01-done/01-01-PLAN.md\n---\nphase: 01\nplan: 01\n---\n"
        ),
        expect![""],
    );
}

/// GSD's `/gsd:add-backlog` parks ideas as phases `999.1`, `999.2` under
/// `## Backlog`, out of the active sequence: a planned one makes no active
/// phase look skipped, and an unplanned one is no phase skipped either.
#[test]
fn backlog_phases_are_out_of_the_phase_sequence() {
    let roadmap = "//- .planning/ROADMAP.md
## Phases

- [x] **Phase 1: Accounts**
- [ ] **Phase 2: Export**

## Backlog

### Phase 999.1: Offline mode (BACKLOG)

**Plans:** 0 plans

### Phase 999.2: Dark theme (BACKLOG)

Plans:
- [ ] 999.2-01-PLAN.md — Theme tokens
";
    check(
        &format!(
            "{roadmap}{}",
            plan_at(
                ".planning/phases/999.2-dark-theme/999.2-01-PLAN.md",
                "plan: 01\n"
            )
        ),
        expect![""],
    );
    // An active phase skipped before a planned one is still reported.
    check(
        &format!(
            "{roadmap}{}{}",
            plan_at(
                ".planning/phases/999.2-dark-theme/999.2-01-PLAN.md",
                "plan: 01\n"
            ),
            plan_at(".planning/phases/03-share/03-01-PLAN.md", "plan: 01\n"),
        )
        .replace(
            "- [ ] **Phase 2: Export**\n",
            "- [ ] **Phase 2: Export**\n- [ ] **Phase 3: Share**\n",
        ),
        expect![[r#"
            .planning/ROADMAP.md:4:15 gsd-phase-without-plans: phase 2 has no plans in `.planning/phases/` while a later phase has some: plan it (`/gsd:plan-phase 2`) or mark it complete [2]
        "#]],
    );
}

/// A phase whose roadmap section lists plans not written yet (`- [ ]
/// 02-01: Signup`, as GSD's template does before planning) has no plans:
/// `check` reports it where `plan` holds its dependents back as waiting for
/// it. A ticked line is a plan carried out, its file perhaps gone: both
/// count the phase as planned.
#[test]
fn phase_without_plans_agrees_with_the_plan_on_listed_plans() {
    let roadmap = |mark: &str| {
        format!(
            "//- .planning/ROADMAP.md
## Phases

- [x] **Phase 1: Foundation**
- [ ] **Phase 2: Auth**
- [ ] **Phase 3: Feed**

### Phase 2: Auth
Plans:
- [{mark}] 02-01: Signup
- [ ] 02-02: Reset

### Phase 3: Feed
**Depends on**: Phase 2
"
        )
    };
    let feed = plan_at(".planning/phases/03-feed/03-01-PLAN.md", "plan: 01\n");
    let report = |mark: &str| {
        let ws = workspace(&format!("{}{feed}", roadmap(mark))).workspace;
        let schedule = crate::analysis::plan::plan(&Graph::build(&ws));
        let blocked: Vec<String> = schedule
            .blocked
            .iter()
            .map(|b| format!("{}: {}", b.id, b.reason))
            .collect();
        format!("{}{blocked:?}\n", findings(&ws))
    };
    expect![[r#"
        .planning/ROADMAP.md:7:1 gsd-phase-without-plans: phase 2 has no plans in `.planning/phases/` while a later phase has some: plan it (`/gsd:plan-phase 2`) or mark it complete [### Phase 2: Auth]
        ["03-01: depends on phase-2, which is not planned yet"]
    "#]]
    .assert_eq(&report(" "));
    expect![[r#"
        []
    "#]]
    .assert_eq(&report("x"));
}

/// What the roadmap of a fixture names.
fn roadmap_references(ws: &Workspace) -> &[crate::analysis::model::Reference] {
    &ws.file(".planning/ROADMAP.md")
        .expect("the roadmap")
        .facts
        .references
}

/// A roadmap as GSD leaves it after a milestone ships: the shipped
/// phases folded into `<details>` with ticked plan lines and no plan files
/// left, later plans named by ID before their files exist, and the
/// progress table.
const SHIPPED_ROADMAP: &str = "//- .planning/ROADMAP.md
# Roadmap

<details>
<summary>v1.0 (Phases 1-2) - SHIPPED</summary>

### Phase 1: Fork
Plans:
- [x] 01-01-PLAN.md — Fork the repository
- [x] 01-02-PLAN.md — Push checks

### Phase 2: Package
**Plans**: TBD

</details>

### Phase 3: Witness
Plans:
- [ ] 03-01: Research the event API

### Phase 4: Refinery
Plans:
- [x] 04-01: Merge queue

### Phase 5: Beads

### Phase 6: Seance

## Progress

| Phase | Milestone | Plans Complete | Status | Completed |
|-------|-----------|----------------|--------|-----------|
| 1. Fork | v1.0 | 2/2 | Complete | 2026-04-13 |
| 2. Package | v1.0 | 1/1 | Complete | 2026-04-13 |
| 3. Witness | v2.0 | 0/1 | Not started | - |
| 4. Refinery | v2.0 | 1/1 | Complete | 2026-04-13 |
| 5. Beads | v2.0 | 0/1 | Not started | - |
| 6. Seance | v2.0 | 0/0 | Not started | - |
";

#[test]
fn a_shipped_roadmap_reads_its_table_plan_lines_and_summaries() {
    let fixture = format!(
        "{SHIPPED_ROADMAP}//- .planning/phases/05-beads/05-01-SUMMARY.md\nDone.\n//- .planning/phases/06-seance/06-01-PLAN.md\n---\nphase: 06\nplan: 01\n---\n"
    );
    // Phase 4 has a ticked plan line, phase 5 a summary: neither is
    // without plans. Phase 3's unticked line lists a plan not written yet,
    // as GSD's template does before planning: the phase is not planned.
    check(
        &fixture,
        expect![[r#"
        .planning/ROADMAP.md:16:1 gsd-phase-without-plans: phase 3 has no plans in `.planning/phases/` while a later phase has some: plan it (`/gsd:plan-phase 3`) or mark it complete [### Phase 3: Witness]
    "#]],
    );
    let ws = workspace(&fixture).workspace;
    let progress = |id: &str| ws.progress(ws.item(id).expect("the item").1);
    assert_eq!(progress("phase-1"), Some(Progress::Done));
    assert_eq!(progress("phase-3"), Some(Progress::NotStarted));
    assert_eq!(progress("phase-4"), Some(Progress::Done));
    assert_eq!(progress("06-01"), None);
    // The plan lines name plans, with or without `-PLAN.md`.
    let named: Vec<&str> = roadmap_references(&ws)
        .iter()
        .filter_map(|r| r.target.as_id())
        .collect();
    expect![[r#"["01-01", "01-02", "03-01", "04-01"]"#]].assert_eq(&format!("{named:?}"));
}

#[test]
fn a_ticked_plan_line_finishes_its_plan() {
    let roadmap = "//- .planning/ROADMAP.md\n### Phase 1: Accounts\nPlans:\n- [x] 01-01-PLAN.md — Sign-in\n- [ ] 01-02-PLAN.md — Sign-out\n";
    let ws = workspace(&format!(
        "{roadmap}{}{}",
        plan("01", "wave: 1\n"),
        plan("02", "wave: 2\ndepends_on: [01-01]\n"),
    ))
    .workspace;
    let planned = crate::analysis::plan::plan(&Graph::build(&ws));
    expect![[r#"[["01-02"]]"#]].assert_eq(&format!("{:?}", planned.waves));
    // With both boxes ticked the phase is done by its plan lines.
    let ticked = roadmap.replace("- [ ] 01-02", "- [x] 01-02");
    let ws = workspace(&format!("{ticked}{}", plan("02", "wave: 1\n"))).workspace;
    let (_, phase) = ws.item("phase-1").expect("the phase");
    assert_eq!(ws.progress(phase), Some(Progress::Done));
    // A plan line may write the ID in bold, as GSD reads it.
    let bold = "//- .planning/ROADMAP.md\n### Phase 1: Accounts\nPlans:\n- [x] **01-01**: Sign-in\n- [ ] **01-02** Sign-out\n";
    let ws = workspace(&format!(
        "{bold}{}{}",
        plan("01", "wave: 1\n"),
        plan("02", "wave: 2\ndepends_on: [01-01]\n"),
    ))
    .workspace;
    let planned = crate::analysis::plan::plan(&Graph::build(&ws));
    expect![[r#"[["01-02"]]"#]].assert_eq(&format!("{:?}", planned.waves));
}

#[test]
fn a_requirement_may_write_its_colon_inside_the_bold() {
    let requirements = "//- .planning/REQUIREMENTS.md\n## v1 Requirements\n\n- [ ] **AUTH-01:** User can sign in\n- [x] **AUTH-02**: User can sign out\n";
    let ws = workspace(&format!(
        "{requirements}{}",
        plan("01", "requirements: [AUTH-01, AUTH-02]\n")
    ))
    .workspace;
    expect![""].assert_eq(&findings(&ws));
    let (_, requirement) = ws.item("AUTH-01").expect("the requirement");
    assert_eq!(requirement.title.as_str(), "User can sign in");
}

#[test]
fn a_range_in_prose_is_no_plan_line() {
    let roadmap = "//- .planning/ROADMAP.md\n### Phase 1: Accounts\n- 3-5: people per team\n- [ ] 1-2 - weeks\n- 12-3 - no: a two-digit phase\n";
    let ws = workspace(roadmap).workspace;
    let named: Vec<&str> = roadmap_references(&ws)
        .iter()
        .map(|r| r.written.as_str())
        .collect();
    expect![[r#"["12-3"]"#]].assert_eq(&format!("{named:?}"));
}

#[test]
fn unlisted_phase_fires_on_plans_of_a_phase_the_roadmap_lacks() {
    check(
        &format!("{ROADMAP}//- .planning/phases/03-extra/03-01-PLAN.md\n---\nphase: 03-extra\nplan: 01\n---\n{}", plan("01", "")),
        expect![[r#"
            .planning/phases/03-extra/03-01-PLAN.md:2:8 gsd-unlisted-phase: this plan belongs to phase 3, which `.planning/ROADMAP.md` does not list: add the phase to the roadmap (GSD's `/gsd:add-phase` or `/gsd:insert-phase`), or, if its milestone has shipped, archive its folder (`/gsd:cleanup`) [03-extra]
        "#]],
    );
    // Without a roadmap there is nothing to compare with.
    check(
        "//- .planning/phases/03-extra/03-01-PLAN.md\n---\nphase: 03-extra\nplan: 01\n---\n",
        expect![""],
    );
}

#[test]
fn two_folders_of_one_phase_number_are_reported_once_each_not_per_plan() {
    // A milestone that numbered its phases from 1 again, the shipped one's
    // folders left in `phases/`: each plan number is defined twice, and
    // one finding per folder says why, where `duplicate-id` gave one per
    // plan.
    let folder = |dir: &str, number: &str| {
        format!("//- .planning/phases/{dir}/02-{number}-PLAN.md\n---\nphase: {dir}\nplan: {number}\n---\n")
    };
    check(
        &format!(
            "{}{}{}{}",
            folder("02-sync", "01"),
            folder("02-sync", "02"),
            folder("02-gdpr", "01"),
            folder("02-gdpr", "02")
        ),
        expect![[r#"
            .planning/phases/02-gdpr/02-01-PLAN.md:3:7 gsd-duplicate-phase: phase folders `02-gdpr` and `02-sync` have the number 02: GSD finds a phase by its number, so its commands reach only one of them: renumber one, or, if its milestone has shipped, archive its folder (`/gsd:cleanup`) [01]
            .planning/phases/02-sync/02-01-PLAN.md:3:7 gsd-duplicate-phase: phase folders `02-sync` and `02-gdpr` have the number 02: GSD finds a phase by its number, so its commands reach only one of them: renumber one, or, if its milestone has shipped, archive its folder (`/gsd:cleanup`) [01]
        "#]],
    );
    // A plan written twice in one folder is still a duplicate of its own.
    check(
        &format!(
            "{}//- .planning/phases/02-sync/02-01-copy-PLAN.md\n---\nphase: 02-sync\nplan: 01\n---\n",
            folder("02-sync", "01")
        ),
        expect![[r#"
            .planning/phases/02-sync/02-01-PLAN.md:3:7 duplicate-id: plan `02-01` is defined 2 times [01]
            .planning/phases/02-sync/02-01-copy-PLAN.md:3:7 duplicate-id: plan `02-01` is defined 2 times [01]
        "#]],
    );
}

/// A roadmap may list its shipped milestones without their phases, each
/// pointing to its archived roadmap (hanzckernel/MathPaperParser), while
/// the phase folders stay in `phases/`. GSD numbers phases on across
/// milestones, so a folder numbered before the roadmap's first phase was a
/// shipped milestone's; one after its last is still reported, and so is
/// every one when a milestone line names phases but none its number.
#[test]
fn phases_before_the_roadmap_s_are_shipped_when_milestones_name_none() {
    let roadmap = |second: &str| {
        format!(
            "//- .planning/ROADMAP.md
# Roadmap

## Milestones

- ✅ **v1.0 TeX MVP** — shipped 2026-04-02
  Archives: `.planning/milestones/v1.0-ROADMAP.md`
- {second}
- 🚧 **v1.5 Deploy** — Phases 23-25 planned

### Phase 23: Bootstrap
### Phase 25: Smoke
"
        )
    };
    let plan_of = |folder: &str, number: &str| {
        format!("//- .planning/phases/{folder}/{number}-01-PLAN.md\n---\nphase: {folder}\nplan: 01\n---\n")
    };
    let plans = [
        plan_of("10-export", "10"),
        plan_of("23-bootstrap", "23"),
        plan_of("26-after", "26"),
    ]
    .concat();
    check(
        &format!(
            "{}{plans}",
            roadmap("✅ **v1.2 Dashboard** — shipped 2026-04-03")
        ),
        expect![[r#"
            .planning/phases/26-after/26-01-PLAN.md:2:8 gsd-unlisted-phase: this plan belongs to phase 26, which `.planning/ROADMAP.md` does not list: add the phase to the roadmap (GSD's `/gsd:add-phase` or `/gsd:insert-phase`), or, if its milestone has shipped, archive its folder (`/gsd:cleanup`) [26-after]
        "#]],
    );
    check(
        &format!(
            "{}{plans}",
            roadmap("✅ **v1.2 Dashboard** — Phases 5-9 (shipped 2026-04-03)")
        ),
        expect![[r#"
            .planning/phases/10-export/10-01-PLAN.md:2:8 gsd-unlisted-phase: this plan belongs to phase 10, which `.planning/ROADMAP.md` does not list: add the phase to the roadmap (GSD's `/gsd:add-phase` or `/gsd:insert-phase`), or, if its milestone has shipped, archive its folder (`/gsd:cleanup`) [10-export]
            .planning/phases/26-after/26-01-PLAN.md:2:8 gsd-unlisted-phase: this plan belongs to phase 26, which `.planning/ROADMAP.md` does not list: add the phase to the roadmap (GSD's `/gsd:add-phase` or `/gsd:insert-phase`), or, if its milestone has shipped, archive its folder (`/gsd:cleanup`) [26-after]
        "#]],
    );
}

#[test]
fn unlisted_phase_counts_the_lines_of_a_collapsed_shipped_milestone() {
    // GSD collapses a shipped milestone's phases into plain lines, and
    // lists the milestone with its range of phases.
    let roadmap = "//- .planning/ROADMAP.md
# Roadmap: Parcel

## Milestones

- ✅ **v1.0 MVP** — Phases 1-3 (shipped 2026-02-20)
- ✅ **v1.1 Fixes** — Phases 4, 6-7.1 (shipped 2026-02-25)
- v1.2 Polish - Phases 10-11 (shipped 2026-02-26)
- 🚧 **v1.3 Sync** — Phase 9 (in progress)

## Phases

<details>
<summary>✅ v1.2 Prep — SHIPPED 2026-02-27</summary>

- [x] Phase 8: Trigger.dev Env Var Delivery (2/2 plans) — completed 2026-02-27
- [x] Phase 12: Shutdown Ordering Fix -- completed 2026-02-28

</details>

### Phase 9: Sync
**Goal**: sync
";
    let plan_of = |folder: &str, number: &str| {
        format!("//- .planning/phases/{folder}/{number}-01-PLAN.md\n---\nphase: {folder}\nplan: 01\n---\n")
    };
    let fixture = format!(
        "{roadmap}{}{}{}{}{}{}{}{}",
        plan_of("02-core", "02"),
        plan_of("07.1-hotfix", "07.1"),
        plan_of("08-env", "08"),
        plan_of("09-sync", "09"),
        plan_of("05-skipped", "05"),
        plan_of("07.2-later", "07.2"),
        plan_of("11-polish", "11"),
        plan_of("12-shutdown", "12"),
    );
    check(
        &fixture,
        expect![[r#"
            .planning/phases/05-skipped/05-01-PLAN.md:2:8 gsd-unlisted-phase: this plan belongs to phase 5, which `.planning/ROADMAP.md` does not list: add the phase to the roadmap (GSD's `/gsd:add-phase` or `/gsd:insert-phase`), or, if its milestone has shipped, archive its folder (`/gsd:cleanup`) [05-skipped]
            .planning/phases/07.2-later/07.2-01-PLAN.md:2:8 gsd-unlisted-phase: this plan belongs to phase 7.2, which `.planning/ROADMAP.md` does not list: add the phase to the roadmap (GSD's `/gsd:add-phase` or `/gsd:insert-phase`), or, if its milestone has shipped, archive its folder (`/gsd:cleanup`) [07.2-later]
        "#]],
    );
    let ws = workspace(&fixture).workspace;
    let (_, phase) = ws.item("phase-8").unwrap();
    assert_eq!(phase.title.to_string(), "Trigger.dev Env Var Delivery");
    let (_, phase) = ws.item("phase-12").unwrap();
    assert_eq!(phase.title.to_string(), "Shutdown Ordering Fix");
    assert_eq!(phase.progress, Some(Progress::Done));
}

#[test]
fn no_front_matter_fires_on_a_plan_without_one_or_left_open() {
    check(
        "//- .planning/phases/01-a/01-01-PLAN.md\n# Plan\n//- .planning/phases/01-a/01-02-PLAN.md\n---\nwave: 1\n",
        expect![[r#"
            .planning/phases/01-a/01-01-PLAN.md:1:1 gsd-no-front-matter: this plan has no front matter, so GSD reads no wave, `depends_on` or `requirements` from it: start the file with a `---` block [# Plan]
            .planning/phases/01-a/01-02-PLAN.md:1:1 gsd-no-front-matter: the front matter has no closing `---` line, so GSD reads no wave, `depends_on` or `requirements` from it [---]
        "#]],
    );
}

#[test]
fn the_roadmap_and_its_siblings_are_gsd_files() {
    let config = crate::analysis::config::Config::default();
    for path in [
        ".planning/ROADMAP.md",
        ".planning/REQUIREMENTS.md",
        ".planning/PROJECT.md",
        ".planning/STATE.md",
        "web/.planning/phases/02.1-hotfix/02.1-01-PLAN.md",
        ".planning/phases/01-a/01-01-SUMMARY.md",
    ] {
        let kind = crate::analysis::parse::classify(path, &config);
        assert!(
            matches!(kind, Some(crate::analysis::model::FileKind::Dialect(d)) if d.dialect == crate::analysis::dialect::Dialect::Gsd),
            "{path}: {kind:?}"
        );
    }
    assert_eq!(
        crate::analysis::parse::classify(".planning/phases/01-a/01-CONTEXT.md", &config),
        None
    );
}

#[test]
fn a_nested_planning_folder_scopes_its_ids() {
    let ws = workspace("//- web/.planning/phases/01-a/01-01-PLAN.md\n---\nplan: 01\n---\n//- web/.planning/phases/01-a/01-02-PLAN.md\n---\ndepends_on: [01-01]\n---\n").workspace;
    let ids: Vec<&str> = ws.items().map(|(_, i)| i.id.as_str()).collect();
    assert_eq!(ids, ["web/01-01", "web/01-02"]);
    assert_eq!(findings(&ws), "");
}

/// A roadmap after v1.0 shipped: its phases folded into `<details>`,
/// without boxes or a progress table, and phase 3 the next one.
const ROADMAP_AFTER_V1: &str = "//- .planning/ROADMAP.md
# Roadmap

<details>
<summary>v1.0 (Phases 1-2) - SHIPPED</summary>

### Phase 1: Accounts
### Phase 2: Sync

</details>

### Phase 3: Search
";

/// A plan file at `path` with the given front matter lines.
fn plan_at(path: &str, front: &str) -> String {
    format!("//- {path}\n---\n{front}---\n\n# The plan\n")
}

#[test]
fn archived_phases_are_read_with_their_milestone_in_their_ids() {
    let active = plan_at(".planning/phases/03-search/03-01-PLAN.md", "plan: 01\n");
    let archive = format!(
        "{}//- .planning/milestones/v1.0-phases/01-accounts/01-01-SUMMARY.md\nDone.\n{}",
        plan_at(
            ".planning/milestones/v1.0-phases/01-accounts/01-01-PLAN.md",
            "plan: 01\nrequirements: [OLD-01]\n"
        ),
        plan_at(
            ".planning/milestones/v1.0-phases/02-sync/02-01-PLAN.md",
            "plan: 01\ndepends_on: [01-01]\n"
        ),
    );
    // Without the archive, the shipped phases look skipped.
    check(
        &format!("{ROADMAP_AFTER_V1}{active}"),
        expect![[r#"
            .planning/ROADMAP.md:6:1 gsd-phase-without-plans: phase 1 has no plans in `.planning/phases/` while a later phase has some: plan it (`/gsd:plan-phase 1`) or mark it complete [### Phase 1: Accounts]
            .planning/ROADMAP.md:7:1 gsd-phase-without-plans: phase 2 has no plans in `.planning/phases/` while a later phase has some: plan it (`/gsd:plan-phase 2`) or mark it complete [### Phase 2: Sync]
        "#]],
    );
    let fixture = format!("{REQUIREMENTS}{ROADMAP_AFTER_V1}{active}{archive}");
    let ws = workspace(&fixture).workspace;
    // An archived plan's requirement is not checked against the current
    // REQUIREMENTS.md, nor its phase against the current roadmap.
    assert_eq!(findings(&ws), "");
    let out = plans_read(&ws);
    expect![[r#"
        v1.0/01-01 parent=Some("v1.0/phase-1") progress=Some(Done) deps=[]
        v1.0/02-01 parent=Some("v1.0/phase-2") progress=Some(Done) deps=["v1.0/01-01"]
        03-01 parent=Some("phase-3") progress=None deps=[]
    "#]]
    .assert_eq(&out);
    // A shipped milestone's plans are history, summary or not: the plan
    // offers only the current one.
    let plan = crate::analysis::plan::plan(&Graph::build(&ws));
    expect![[r#"[["03-01"]]"#]].assert_eq(&format!("{:?}", plan.waves));
}

/// GSD numbers phases on from one milestone to the next, so a current
/// plan's `depends_on: ["02-01"]` names the plan of phase 2, shipped and
/// archived in `milestones/v1.0-phases/`: the dependency is met (it was
/// `dangling-dependency: 02-01 names no known plan; did you mean 03-01?`,
/// and the plan blocked), and the editor says so. A plan number no
/// archive holds, or one of a phase the current milestone has a folder for
/// (`02-02`, its plan not written yet), still names nothing.
#[test]
fn depends_on_a_shipped_milestone_s_archived_plan_is_met() {
    let roadmap = "//- .planning/ROADMAP.md
# Roadmap

## Milestones

- ✅ **v1.0 MVP** — Phases 1-2 (shipped 2025-03-01)
- 🚧 **v1.1 Sharing** — Phases 3-4 (in progress)

## Phases

- [x] Phase 1: Foundation (1/1 plans) — completed 2025-02-01
- [x] Phase 2: Accounts (1/1 plans) — completed 2025-02-20
- [ ] **Phase 3: Share links**
- [ ] **Phase 4: Permissions**
";
    let fixture = [
        roadmap.to_string(),
        plan_at(
            ".planning/milestones/v1.0-phases/01-foundation/01-01-PLAN.md",
            "plan: 01\n",
        ),
        plan_at(
            ".planning/milestones/v1.0-phases/02-accounts/02-01-PLAN.md",
            "plan: 01\ndepends_on: [01-01]\n",
        ),
        plan_at(
            ".planning/phases/03-share-links/03-01-PLAN.md",
            "plan: 01\ndepends_on: [\"02-01\"]\n",
        ),
        plan_at(
            ".planning/phases/04-permissions/04-01-PLAN.md",
            "plan: 01\ndepends_on: [03-01, 02-07]\n",
        ),
    ]
    .concat();
    let ws = workspace(&fixture).workspace;
    expect![[r#"
        .planning/phases/04-permissions/04-01-PLAN.md:3:21 dangling-dependency: `02-07` names no known plan [02-07]
    "#]]
    .assert_eq(&findings(&ws));
    let plan = crate::analysis::plan::plan(&Graph::build(&ws));
    expect![[r#"[["03-01"]]"#]].assert_eq(&format!("{:?}", plan.waves));
    let derived = derived(&ws);
    let rel = ".planning/phases/03-share-links/03-01-PLAN.md";
    let text = &ws.file(rel).expect("the plan").text;
    let at = text.find("02-01").expect("the entry") + 1;
    let hover = features::hover::hover(&ws, &derived, rel, at).expect("a hover");
    let hints: Vec<String> = features::inlay::inlay_hints(&ws, &derived, rel, None)
        .into_iter()
        .map(|h| h.label)
        .collect();
    let dangling = features::semantic::semantic_tokens(&ws, rel)
        .iter()
        .filter(|t| t.kind == features::semantic::TokenKind::DanglingReference)
        .count();
    expect![[r#"
        **02-01**

        ✓ Shipped in `.planning/milestones/v1.0-phases/02-accounts/02-01-PLAN.md`: done, outside the plan.
        hints ["✓ shipped"]; dangling tokens 0"#]]
    .assert_eq(&format!(
        "{}\nhints {hints:?}; dangling tokens {dangling}",
        hover.markdown
    ));
    // Go to definition opens the shipped plan, and the graph draws the
    // dependency on it (met: the plan is done).
    let definition = features::navigation::definition(&ws, rel, at).expect("a definition");
    let graph = Graph::build(&ws);
    let node = graph.node_of("03-01").expect("the plan's node");
    let deps: Vec<&str> = graph.nodes[node]
        .deps
        .iter()
        .map(|&d| graph.nodes[d].id.as_str())
        .collect();
    expect![[r#"
        definition [".planning/milestones/v1.0-phases/02-accounts/02-01-PLAN.md"]
        graph deps ["v1.0/02-01"]"#]]
    .assert_eq(&format!(
        "definition {:?}\ngraph deps {deps:?}",
        definition
            .targets
            .iter()
            .map(|t| t.rel.as_str())
            .collect::<Vec<_>>()
    ));
    // Phase 2 of the current milestone has a folder: `02-01` is its plan,
    // not written yet.
    let fixture = format!(
        "{fixture}{}",
        plan_at(".planning/phases/02-hotfix/02-02-PLAN.md", "plan: 02\n")
    );
    expect![[r#"
        .planning/phases/03-share-links/03-01-PLAN.md:3:15 dangling-dependency: `02-01` names no known plan; did you mean `02-02`? [02-01]
        .planning/phases/04-permissions/04-01-PLAN.md:3:21 dangling-dependency: `02-07` names no known plan; did you mean `02-02`? [02-07]
    "#]]
    .assert_eq(&findings(&workspace(&fixture).workspace));
}

/// A missing plan's "did you mean" offers a plan of the same phase only,
/// never the plan that depends on it (9thLevelSoftware/SoundCheck: phase
/// 12's `12-07` keeps `depends_on: [05, 06]` after plans 01 to 06 were
/// removed, and was told `did you mean 10-05?` and `11-06?`, plans of
/// other phases one digit off).
#[test]
fn a_missing_plan_is_offered_a_plan_of_its_own_phase_only() {
    let fixture = [
        plan_at(".planning/phases/10-growth/10-05-PLAN.md", "plan: 05\n"),
        plan_at(".planning/phases/11-trust/11-06-PLAN.md", "plan: 06\n"),
        plan_at(
            ".planning/phases/12-wrapped/12-07-PLAN.md",
            "plan: 07\ndepends_on: [05, 06]\n",
        ),
        plan_at(".planning/phases/13-security/13-01-PLAN.md", "plan: 01\n"),
        plan_at(
            ".planning/phases/13-security/13-02-PLAN.md",
            "plan: 02\ndepends_on: [13-1, 13-03, 12-01]\n",
        ),
    ]
    .concat();
    check(
        &fixture,
        expect![[r#"
            .planning/phases/12-wrapped/12-07-PLAN.md:3:14 dangling-dependency: `12-05` names no known plan [05]
            .planning/phases/12-wrapped/12-07-PLAN.md:3:18 dangling-dependency: `12-06` names no known plan [06]
            .planning/phases/13-security/13-02-PLAN.md:3:20 dangling-dependency: `13-03` names no known plan; did you mean `13-01`? [13-03]
            .planning/phases/13-security/13-02-PLAN.md:3:27 dangling-dependency: `12-01` names no known plan; did you mean `12-07`? [12-01]
        "#]],
    );
}

/// A plan whose file is gone but whose line the roadmap ticks (`- [x]
/// 12-05-PLAN.md`) was carried out: a `depends_on` naming it is met, and
/// the editor says so (9thLevelSoftware/SoundCheck: `12-07`'s `depends_on:
/// [05, 06]`, plans 01 to 06 removed after they ran, was `dangling-dependency:
/// 12-05 names no known plan`, and the plan blocked). An unticked line
/// meets nothing.
#[test]
fn depends_on_a_plan_the_roadmap_ticks_is_met_without_its_file() {
    let roadmap = "//- .planning/ROADMAP.md
# Roadmap

## Phases

- [ ] **Phase 12: Wrapped**

### Phase 12: Wrapped

Plans:
- [x] 12-05-PLAN.md — Mobile Wrapped feature
- [ ] 12-06-PLAN.md — Subscriptions
- [ ] 12-07-PLAN.md — Integration
";
    let fixture = [
        roadmap.to_string(),
        plan_at(
            ".planning/phases/12-wrapped/12-07-PLAN.md",
            "plan: 07\ndepends_on: [05, 06]\n",
        ),
    ]
    .concat();
    let ws = workspace(&fixture).workspace;
    let rel = ".planning/phases/12-wrapped/12-07-PLAN.md";
    let text = &ws.file(rel).expect("the plan").text;
    let at = text.find("05").expect("the entry");
    let hover = features::hover::hover(&ws, &derived(&ws), rel, at).expect("a hover");
    let schedule = crate::analysis::plan::plan(&Graph::build(&ws));
    let blocked: Vec<String> = schedule
        .blocked
        .iter()
        .map(|b| format!("{}: {}", b.id, b.reason))
        .collect();
    // Go-to-definition opens the roadmap's ticked line, not its top.
    let definition = features::navigation::definition(&ws, rel, at).expect("a definition");
    let roadmap_text = &ws.file(".planning/ROADMAP.md").expect("the roadmap").text;
    let opened: Vec<String> = definition
        .targets
        .iter()
        .map(|t| format!("{}: {:?}", t.rel, t.range.of(roadmap_text)))
        .collect();
    expect![[r#"
        .planning/phases/12-wrapped/12-07-PLAN.md:3:18 dangling-dependency: `12-06` names no known plan [06]
        **12-05**

        ✓ Ticked in `.planning/ROADMAP.md`: done, outside the plan.
        ["12-07: depends on 12-06, which does not exist"]
        [".planning/ROADMAP.md: \"- [x] 12-05-PLAN.md — Mobile Wrapped feature\""]"#]]
    .assert_eq(&format!(
        "{}{}\n{blocked:?}\n{opened:?}",
        findings(&ws),
        hover.markdown
    ));
}

/// `/gsd:new-milestone --reset-phase-numbers` starts the new milestone at
/// phase 1 again, with the shipped phases archived in
/// `milestones/v1.0-phases/` and collapsed in the roadmap. The shipped
/// phase 2's ticked line does not mark the new phase 2 complete (its plan
/// was taken as done, and the plan offered nothing), nor does the shipped
/// phase 1's folder plan the new phase 1 (no `gsd-phase-without-plans`,
/// and the new phase 2 ready although the phase it depends on is not
/// planned); nor does `01-01` name the shipped plan of that number.
#[test]
fn a_milestone_numbering_its_phases_again_is_not_the_shipped_one() {
    let roadmap = |collapsed: &str| {
        format!(
            "//- .planning/ROADMAP.md
# Roadmap

## Milestones

- ✅ **v1.0 MVP** — Phases 1-2 (shipped 2025-03-01)
- 🚧 **v2.0 Mobile** — Phases 1-3 (in progress)

## Phases
{collapsed}
- [ ] **Phase 1: Mobile shell**
- [ ] **Phase 2: Offline sync**
- [ ] **Phase 3: Push**

### Phase 1: Mobile shell
**Depends on**: Nothing (first phase)

### Phase 2: Offline sync
**Depends on**: Phase 1

### Phase 3: Push
**Depends on**: Phase 2
"
        )
    };
    let collapsed = "
<details>
<summary>✅ v1.0 MVP (Phases 1-2) — SHIPPED 2025-03-01</summary>

- [x] Phase 1: Foundation (1/1 plans) — completed 2025-02-01
- [x] Phase 2: Accounts (1/1 plans) — completed 2025-02-20

</details>
";
    let plans = [
        plan_at(
            ".planning/milestones/v1.0-phases/01-foundation/01-01-PLAN.md",
            "plan: 01\n",
        ),
        plan_at(
            ".planning/milestones/v1.0-phases/02-accounts/02-01-PLAN.md",
            "plan: 01\ndepends_on: [01-01]\n",
        ),
        plan_at(
            ".planning/phases/02-offline-sync/02-01-PLAN.md",
            "plan: 01\ndepends_on: [\"01-01\"]\n",
        ),
    ]
    .concat();
    let mut got = String::new();
    for (said, collapsed) in [("collapsed", collapsed), ("without", "")] {
        let ws = workspace(&format!("{}{plans}", roadmap(collapsed))).workspace;
        let schedule = crate::analysis::plan::plan(&Graph::build(&ws));
        let blocked: Vec<String> = schedule
            .blocked
            .iter()
            .map(|b| format!("{}: {}", b.id, b.reason))
            .collect();
        writeln!(
            got,
            "{said}:\n{}{}{:?} {blocked:?}",
            findings(&ws),
            plans_read(&ws),
            schedule.waves
        )
        .unwrap();
    }
    expect![[r#"
        collapsed:
        .planning/ROADMAP.md:22:1 gsd-phase-without-plans: phase 1 has no plans in `.planning/phases/` while a later phase has some: plan it (`/gsd:plan-phase 1`) or mark it complete [### Phase 1: Mobile shell]
        .planning/phases/02-offline-sync/02-01-PLAN.md:3:15 dangling-dependency: `01-01` names no known plan [01-01]
        v1.0/01-01 parent=Some("v1.0/phase-1") progress=Some(Done) deps=[]
        v1.0/02-01 parent=Some("v1.0/phase-2") progress=Some(Done) deps=["v1.0/01-01"]
        02-01 parent=Some("phase-2") progress=None deps=["01-01"]
        [] ["02-01: depends on 01-01, which does not exist, and phase-1, which is not planned yet"]
        without:
        .planning/ROADMAP.md:14:1 gsd-phase-without-plans: phase 1 has no plans in `.planning/phases/` while a later phase has some: plan it (`/gsd:plan-phase 1`) or mark it complete [### Phase 1: Mobile shell]
        .planning/phases/02-offline-sync/02-01-PLAN.md:3:15 dangling-dependency: `01-01` names no known plan [01-01]
        v1.0/01-01 parent=Some("v1.0/phase-1") progress=Some(Done) deps=[]
        v1.0/02-01 parent=Some("v1.0/phase-2") progress=Some(Done) deps=["v1.0/01-01"]
        02-01 parent=Some("phase-2") progress=None deps=["01-01"]
        [] ["02-01: depends on 01-01, which does not exist, and phase-1, which is not planned yet"]
    "#]].assert_eq(&got);
}

/// Phase folders archived under `archive/<version>/` (as older GSD, and
/// teams by hand, archive a milestone) are a shipped milestone's, as under
/// `milestones/<version>-phases/`: their plans plan their phases and are
/// history (5teel/SOPstart: phase 7, its box left unticked, its one plan in
/// `archive/v2.0/`, was reported as a phase without plans).
#[test]
fn phase_folders_under_archive_are_a_shipped_milestone_s() {
    let roadmap = "//- .planning/ROADMAP.md
# Roadmap

## Phases

- [x] **Phase 6: Upload**
- [ ] **Phase 7: Recording**
- [ ] **Phase 8: Builder**
";
    let fixture = [
        roadmap.to_string(),
        plan_at(
            ".planning/archive/v2.0/06-upload/06-01-PLAN.md",
            "phase: 06-upload\nplan: 01\n",
        ),
        plan_at(
            ".planning/archive/v2.0/07-recording/07-01-PLAN.md",
            "phase: 07-recording\nplan: 01\ndepends_on: [06-01]\n",
        ),
        "//- .planning/archive/v2.0/07-recording/07-01-SUMMARY.md\nDone.\n".to_string(),
        plan_at(".planning/phases/08-builder/08-01-PLAN.md", "plan: 01\n"),
    ]
    .concat();
    let ws = workspace(&fixture).workspace;
    assert_eq!(findings(&ws), "");
    expect![[r#"
        v2.0/06-01 parent=Some("v2.0/phase-6") progress=Some(Done) deps=[]
        v2.0/07-01 parent=Some("v2.0/phase-7") progress=Some(Done) deps=["v2.0/06-01"]
        08-01 parent=Some("phase-8") progress=None deps=[]
    "#]]
    .assert_eq(&plans_read(&ws));
    let plan = crate::analysis::plan::plan(&Graph::build(&ws));
    expect![[r#"[["08-01"]]"#]].assert_eq(&format!("{:?}", plan.waves));
}

/// A shipped milestone's plans kept flat in its archive, without phase
/// folders, the phase in each file's name (szTheory/oban_powertools:
/// `milestones/v1-phases/5-05-PLAN.md`, `0-PLAN.md`), are its archived
/// plans as nested ones are: they plan their phases, are history, and meet
/// a current plan's dependency on their number. Before, they were not
/// read: phases 0 and 1 had no plans and `02-01` named none.
#[test]
fn plans_kept_flat_in_a_milestone_archive_are_its_plans() {
    let roadmap = "//- .planning/ROADMAP.md
# Roadmap

## Phases

- [ ] **Phase 0: Foundation**
- [ ] **Phase 1: Workers**
- [ ] **Phase 3: Browse**
";
    let fixture = [
        roadmap.to_string(),
        plan_at(
            ".planning/milestones/v1-phases/0-PLAN.md",
            "phase: 0\nplan: 01\n",
        ),
        "//- .planning/milestones/v1-phases/0-01-SUMMARY.md\nDone.\n".to_string(),
        "//- .planning/milestones/v1-phases/0-PLAN-CHECK.md\nChecked.\n".to_string(),
        plan_at(
            ".planning/milestones/v1-phases/1-01-PLAN.md",
            "phase: 1\nplan: 01\ndepends_on: [\"Phase 0\"]\n",
        ),
        plan_at(
            ".planning/milestones/v1-phases/2-01-PLAN.md",
            "phase: 2\nplan: 01\ndepends_on: [\"Phase 1 Plan 01\"]\n",
        ),
        plan_at(
            ".planning/phases/03-browse/03-01-PLAN.md",
            "plan: 01\ndepends_on: [\"02-01\"]\n",
        ),
    ]
    .concat();
    let ws = workspace(&fixture).workspace;
    assert_eq!(findings(&ws), "");
    expect![[r#"
        v1/00-01 parent=Some("v1/phase-0") progress=Some(Done) deps=[]
        v1/01-01 parent=Some("v1/phase-1") progress=Some(Done) deps=[]
        v1/02-01 parent=Some("v1/phase-2") progress=Some(Done) deps=["v1/01-01"]
        03-01 parent=Some("phase-3") progress=None deps=["02-01"]
    "#]]
    .assert_eq(&plans_read(&ws));
    let plan = crate::analysis::plan::plan(&Graph::build(&ws));
    expect![[r#"[["03-01"]]"#]].assert_eq(&format!("{:?}", plan.waves));
}

#[test]
fn lettered_and_decimal_inserted_phases_are_phases() {
    // Gap-closure phases inserted after phase 14 as `14a`, `14b` (GSD reads
    // a letter after the number, in any case), and a decimal phase as
    // `/gsd:insert-phase` writes it, with its plans `NN.M-MM-PLAN.md`.
    let roadmap = "//- .planning/ROADMAP.md
# Roadmap

## Milestones

- 🚧 **v1.0 MVP** — Phases 1-14 (in progress)

## Phases

- [x] **Phase 22: Docs** - module boundaries
- [x] **Phase 22.1: Tech Debt Cleanup** (INSERTED)
- [ ] **Phase 23: Testing**
";
    let fixture = [
        roadmap.to_string(),
        plan_at(
            ".planning/phases/14a-integration-wiring-fixes-critical/14a-01-PLAN.md",
            "phase: 14a-integration-wiring-fixes-critical\nplan: 01\nwave: 1\ndepends_on: []\n",
        ),
        "//- .planning/phases/14a-integration-wiring-fixes-critical/14a-01-SUMMARY.md\nDone.\n"
            .to_string(),
        plan_at(
            ".planning/phases/14B-integration-wiring-fixes-remaining/14B-01-PLAN.md",
            "phase: 14B-integration-wiring-fixes-remaining\nplan: 01\nwave: 1\ndepends_on:\n  - 14a-integration-wiring-fixes-critical\n",
        ),
        plan_at(
            ".planning/phases/14B-integration-wiring-fixes-remaining/14B-02-PLAN.md",
            "phase: 14B-integration-wiring-fixes-remaining\nplan: 02\nwave: 1\ndepends_on: [\"14b-01\"]\n",
        ),
        plan_at(
            ".planning/phases/22.1-tech-debt-cleanup/22.1-01-PLAN.md",
            "phase: 22.1-tech-debt-cleanup\nplan: 01\nwave: 1\n",
        ),
        plan_at(".planning/phases/23-testing/23-01-PLAN.md", "plan: 01\n"),
    ]
    .concat();
    let ws = workspace(&fixture).workspace;
    let mut out = String::new();
    for (_, item) in ws.items() {
        let deps: Vec<&str> = item.deps.iter().filter_map(|r| r.target.as_id()).collect();
        writeln!(
            out,
            "{} {} parent={:?} progress={:?} deps={deps:?}",
            item.kind.name(),
            item.id,
            item.parent,
            ws.progress(item)
        )
        .unwrap();
    }
    expect![[r#"
        phase phase-22 parent=None progress=Some(Done) deps=[]
        phase phase-22.1 parent=None progress=Some(Done) deps=[]
        phase phase-23 parent=None progress=Some(NotStarted) deps=[]
        plan 14b-01 parent=Some("phase-14b") progress=None deps=[]
        plan 14b-02 parent=Some("phase-14b") progress=None deps=["14b-01"]
        plan 14a-01 parent=Some("phase-14a") progress=Some(Done) deps=[]
        plan 22.1-01 parent=Some("phase-22.1") progress=Some(Done) deps=[]
        plan 23-01 parent=Some("phase-23") progress=None deps=[]
    "#]]
    .assert_eq(&out);
    // The wave of `14b-02` is not after that of `14b-01`; the lettered
    // phases are in the milestone's `Phases 1-14`, and a phase
    // folder's name in `depends_on` names no missing plan.
    expect![[r#"
        .planning/phases/14B-integration-wiring-fixes-remaining/14B-02-PLAN.md:4:7 gsd-wave-order: wave 1 is not after wave 1 of `14b-01`, which this plan depends on: GSD runs a wave's plans together, so write `wave: 2` [1]
    "#]]
    .assert_eq(&findings(&ws));
}

/// With `project_code: "CK"` in its config, GSD names a phase's folder
/// `CK-03-feed/` and strips the code to find the phase's number: its plans
/// are phase 3's, paired with their summaries and checked like any other.
#[test]
fn a_project_code_before_a_phase_folder_s_number_is_no_part_of_it() {
    let roadmap = "//- .planning/ROADMAP.md\n## Phases\n\n- [ ] **Phase 2: Auth**\n- [ ] **Phase 3: Feed**\n\n### Phase 3: Feed\n**Depends on**: Phase 2\n";
    let fixture = [
        roadmap.to_string(),
        plan_at(".planning/phases/CK-02-auth/02-01-PLAN.md", "plan: 01\n"),
        "//- .planning/phases/CK-02-auth/02-01-SUMMARY.md\nDone.\n".to_string(),
        plan_at(".planning/phases/CK-03-feed/03-01-PLAN.md", "plan: 01\n"),
        plan_at(
            ".planning/phases/CK-03-feed/03-02-PLAN.md",
            "plan: 02\ndepends_on: [\"03-09\", CK-02-auth]\n",
        ),
    ]
    .concat();
    let ws = workspace(&fixture).workspace;
    let out = plans_read(&ws);
    expect![[r#"
        02-01 parent=Some("phase-2") progress=Some(Done) deps=[]
        03-01 parent=Some("phase-3") progress=None deps=[]
        03-02 parent=Some("phase-3") progress=None deps=["03-09"]
    "#]]
    .assert_eq(&out);
    // The folder's name in `depends_on` names the phase, no plan.
    expect![[r#"
        .planning/phases/CK-03-feed/03-02-PLAN.md:3:15 dangling-dependency: `03-09` names no known plan; did you mean `03-01`? [03-09]
    "#]]
    .assert_eq(&findings(&ws));
}

/// A milestone that numbers its phases from 1 again defines `01-01` once
/// more: the archived one is `v1.0/01-01`, no duplicate.
#[test]
fn archived_plans_of_restarted_numbering_are_no_duplicates() {
    let fixture = format!(
        "{ROADMAP}{}{}{}{}{}",
        plan("01", "wave: 1\n"),
        plan_at(
            ".planning/milestones/v1.0-phases/01-setup/01-01-PLAN.md",
            "plan: 01\nwave: 1\n"
        ),
        plan_at(
            ".planning/milestones/v1.0-phases/01-setup/01-02-PLAN.md",
            "plan: 02\nwave: 2\ndepends_on: [01-01]\n"
        ),
        plan_at(
            ".planning/milestones/v0.9-phases/01-setup/01-01-PLAN.md",
            "plan: 01\n"
        ),
        // A phase the current roadmap does not list: no `gsd-unlisted-phase`.
        plan_at(
            ".planning/milestones/v0.9-phases/07-extra/07-01-PLAN.md",
            "plan: 01\n"
        ),
    );
    let ws = workspace(&fixture).workspace;
    assert_eq!(findings(&ws), "");
    let mut ids: Vec<&str> = ws.items().map(|(_, i)| i.id.as_str()).collect();
    ids.retain(|id| id.contains("01-0"));
    expect![[r#"["v0.9/01-01", "v1.0/01-01", "v1.0/01-02", "01-01"]"#]]
        .assert_eq(&format!("{ids:?}"));
    // The archived plan is written with its milestone, and so named it is
    // the archived one, from an archived plan or a current one.
    let (_, archived) = ws.item("v1.0/01-01").expect("the archived plan");
    assert_eq!(super::written_id(archived), "v1.0/01-01");
    let (_, current) = ws.item("01-01").expect("the current plan");
    assert_eq!(super::written_id(current), "01-01");
    let fixture = workspace(&format!(
        "{fixture}{}",
        plan_at(
            ".planning/phases/01-accounts/01-03-PLAN.md",
            "plan: 03\ndepends_on: [v1.0/01-02, $0]\n"
        )
    ));
    let ws = &fixture.workspace;
    let (_, third) = ws.item("01-03").expect("the third plan");
    let deps: Vec<&str> = third.deps.iter().filter_map(|r| r.target.as_id()).collect();
    assert_eq!(deps, ["v1.0/01-02"]);
    assert_eq!(findings(ws), "");
    // Completion tells the archived plans from the current ones.
    let (rel, offset) = fixture.cursor.clone().expect("a cursor");
    let got = features::completion::completion(ws, &derived(ws), &rel, offset);
    let labels: Vec<&str> = got.items.iter().map(|c| c.label.as_str()).collect();
    expect![[r#"["01-01", "v0.9/01-01", "v0.9/07-01", "v1.0/01-01"]"#]]
        .assert_eq(&format!("{labels:?}"));
    let config = crate::analysis::config::Config::default();
    for path in [
        ".planning/milestones/v1.0-ROADMAP.md",
        ".planning/milestones/phases/01-a/01-01-PLAN.md",
        ".planning/milestones/-phases/01-a/01-01-PLAN.md",
    ] {
        assert_eq!(
            crate::analysis::parse::classify(path, &config),
            None,
            "{path}"
        );
    }
}

/// The derived facts of a fixture, as a request would see them.

#[test]
fn hover_lens_and_completion_follow_requirements() {
    let fixture = format!(
        "{REQUIREMENTS}//- .planning/phases/01-accounts/01-01-PLAN.md\n---\nrequirements:\n  - AUTH-$001\n---\n"
    );
    let fixture = workspace(&fixture);
    let ws = &fixture.workspace;
    let (rel, offset) = fixture.cursor.clone().expect("a cursor");
    let facts = derived(ws);
    let hover = features::hover::hover(ws, &facts, &rel, offset).expect("a hover");
    expect![[r#"
        **AUTH-01** · User can sign in

        requirement

        Covered by 01-01"#]]
    .assert_eq(&hover.markdown);
    let lenses: Vec<String> = features::lens::code_lenses(ws, &facts, ".planning/REQUIREMENTS.md")
        .into_iter()
        .map(|l| format!("{}: {}", l.id, l.title))
        .collect();
    expect![[r#"
        AUTH-01: covered by 01-01
        AUTH-02: not covered
        SYNC-01: not covered"#]]
    .assert_eq(&lenses.join("\n"));

    let fixture = workspace(&format!(
        "{REQUIREMENTS}//- .planning/phases/01-accounts/01-01-PLAN.md\n---\nrequirements: [AUTH-01, $0]\n---\n"
    ));
    let ws = &fixture.workspace;
    let (rel, offset) = fixture.cursor.clone().expect("a cursor");
    let got = features::completion::completion(ws, &derived(ws), &rel, offset);
    let labels: Vec<&str> = got.items.iter().map(|c| c.label.as_str()).collect();
    expect![[r#"["AUTH-02", "SYNC-01"]"#]].assert_eq(&format!("{labels:?}"));
}

#[test]
fn completion_in_a_roadmap_requirements_line_before_an_entry_parses() {
    // An empty line, after a comma, and in an entry not yet an ID: the
    // cursor is in the list all the same.
    for line in [
        "**Requirements:** $0",
        "**Requirements**: AUTH-01, $0",
        "**Requirements**: AUTH-01, SYNC-0$0",
    ] {
        let fixture = workspace(&format!(
            "{REQUIREMENTS}//- .planning/ROADMAP.md\n# Roadmap\n\n### Phase 1: Accounts\n{line}\n"
        ));
        let ws = &fixture.workspace;
        let (rel, offset) = fixture.cursor.clone().expect("a cursor");
        let got = features::completion::completion(ws, &derived(ws), &rel, offset);
        let labels: Vec<&str> = got.items.iter().map(|c| c.label.as_str()).collect();
        assert!(labels.contains(&"SYNC-01"), "{line}: {labels:?}");
        assert!(
            !labels.contains(&"AUTH-01") || !line.contains("AUTH-01,"),
            "{line}: {labels:?}"
        );
    }
}

#[test]
fn completion_in_depends_on_offers_plans_only() {
    let fixture = workspace(&format!(
        "{ROADMAP}{}{}//- .planning/phases/01-accounts/01-03-PLAN.md\n---\nphase: 01-accounts\nplan: 03\ndepends_on: [01-01, $0]\n---\n",
        plan("01", "wave: 1\n"),
        plan("02", "wave: 1\n"),
    ));
    let ws = &fixture.workspace;
    let (rel, offset) = fixture.cursor.clone().expect("a cursor");
    let got = features::completion::completion(ws, &derived(ws), &rel, offset);
    let labels: Vec<&str> = got.items.iter().map(|c| c.label.as_str()).collect();
    // Not the phases the roadmap defines, nor the plan itself.
    expect![[r#"["01-02"]"#]].assert_eq(&format!("{labels:?}"));
}

#[test]
fn the_plan_schedules_plans_by_depends_on() {
    let ws = workspace(&format!(
        "{ROADMAP}{}{}{}",
        plan("01", "wave: 1\n"),
        plan("02", "wave: 1\n"),
        plan("03", "wave: 2\ndepends_on: [01-01, 01-02]\n"),
    ))
    .workspace;
    let plan = crate::analysis::plan::plan(&Graph::build(&ws));
    expect![[r#"[["01-01", "01-02"], ["01-03"]]"#]].assert_eq(&format!("{:?}", plan.waves));
}

#[test]
fn a_plan_with_a_summary_is_done_and_leaves_the_plan() {
    let summary = "//- .planning/phases/01-accounts/01-01-SUMMARY.md\n# Plan 01-01 summary\n\nSign-in works.\n";
    let plans = format!(
        "{ROADMAP}{}{}{}",
        plan("01", "wave: 1\n"),
        plan("02", "wave: 2\ndepends_on: [01-01]\n"),
        plan("03", "wave: 3\ndepends_on: [01-02]\n"),
    );
    let open = workspace(&plans).workspace;
    let done = workspace(&format!("{plans}{summary}")).workspace;
    let waves = |ws: &Workspace| {
        let plan = crate::analysis::plan::plan(&Graph::build(ws));
        format!("{:?}", plan.waves)
    };
    expect![[r#"[["01-01"], ["01-02"], ["01-03"]]"#]].assert_eq(&waves(&open));
    expect![[r#"[["01-02"], ["01-03"]]"#]].assert_eq(&waves(&done));
    // Only the plan beside the summary is done.
    let progress = |ws: &Workspace, id: &str| {
        let (_, item) = ws.item(id).expect("the plan");
        ws.progress(item)
    };
    assert_eq!(progress(&done, "01-01"), Some(Progress::Done));
    assert_eq!(progress(&done, "01-02"), None);
    assert_eq!(progress(&open, "01-01"), None);
}

#[test]
fn a_plan_file_named_with_a_slug_is_the_plan_of_its_numbers() {
    // GSD reads any `*-PLAN.md`, and some projects name a plan's file
    // after it: `200-04-preset-onboarding-PLAN.md` beside its
    // `200-04-preset-onboarding-SUMMARY.md`. `depends_on` may name it by
    // that name without `-PLAN.md`, as GSD's plan index accepts.
    let roadmap = "//- .planning/ROADMAP.md
## Phases

- [ ] **Phase 200: SaaS readiness**

### Phase 200: SaaS readiness

Plans:
- [x] 200-01-PLAN.md — Public OpenAPI
- [ ] 200-02-cli-generate-PLAN.md — CLI generate
";
    let fixture = format!(
        "{roadmap}{}{}{}{}//- .planning/phases/200-saas-readiness/200-01-openapi-SUMMARY.md\nDone.\n//- .planning/phases/200-saas-readiness/200-02-SUMMARY.md\nDone.\n",
        plan_at(
            ".planning/phases/200-saas-readiness/200-01-openapi-PLAN.md",
            "phase: 200-saas-readiness\nplan: 01\nwave: 1\n"
        ),
        plan_at(
            ".planning/phases/200-saas-readiness/200-02-cli-generate-PLAN.md",
            "phase: 200-saas-readiness\nplan: 02\nwave: 2\ndepends_on: [\"200-01-openapi\"]\n"
        ),
        plan_at(
            ".planning/phases/200-saas-readiness/200-03-webhooks-PLAN.md",
            "phase: 200-saas-readiness\nplan: 03\nwave: 1\ndepends_on: [200-01]\n"
        ),
        plan_at(
            ".planning/phases/200-saas-readiness/200-04-preset-onboarding-PLAN.md",
            "phase: 200-saas-readiness\nplan: 04\nwave: 1\ndepends_on: [01]\n"
        ),
    );
    let ws = workspace(&fixture).workspace;
    let plans: Vec<String> = ws
        .items()
        .filter(|(_, item)| item.kind == crate::analysis::model::ItemKind::Plan)
        .map(|(_, item)| {
            let deps: Vec<&str> = item.deps.iter().filter_map(|d| d.target.as_id()).collect();
            format!(
                "{} parent={:?} progress={:?} deps={deps:?}",
                item.id,
                item.parent,
                ws.progress(item)
            )
        })
        .collect();
    expect![[r#"
        [
            "200-01 parent=Some(\"phase-200\") progress=Some(Done) deps=[]",
            "200-02 parent=Some(\"phase-200\") progress=Some(Done) deps=[\"200-01\"]",
            "200-03 parent=Some(\"phase-200\") progress=None deps=[\"200-01\"]",
            "200-04 parent=Some(\"phase-200\") progress=None deps=[\"200-01\"]",
        ]
    "#]]
    .assert_debug_eq(&plans);
    // The roadmap's lines name the plans, with or without the slug.
    let named: Vec<&str> = roadmap_references(&ws)
        .iter()
        .filter_map(|r| r.target.as_id())
        .collect();
    assert_eq!(named, ["200-01", "200-02"]);
    // The waves count plans in slugged files: `200-02` (wave 2) is after
    // `200-01`, while `200-03` and `200-04` are not.
    expect![[r#"
        .planning/phases/200-saas-readiness/200-03-webhooks-PLAN.md:4:7 gsd-wave-order: wave 1 is not after wave 1 of `200-01`, which this plan depends on: GSD runs a wave's plans together, so write `wave: 2` [1]
        .planning/phases/200-saas-readiness/200-04-preset-onboarding-PLAN.md:4:7 gsd-wave-order: wave 1 is not after wave 1 of `200-01`, which this plan depends on: GSD runs a wave's plans together, so write `wave: 2` [1]
    "#]].assert_eq(&findings(&ws));
}

#[test]
fn a_summary_before_its_dependencies_is_done_with_an_open_dependency() {
    let summary = "//- .planning/phases/01-accounts/01-02-SUMMARY.md\nDone early.\n";
    check(
        &format!(
            "{ROADMAP}{}{}{summary}",
            plan("01", "wave: 1\n"),
            plan("02", "wave: 2\ndepends_on: [01-01]\n"),
        ),
        expect![[r#"
            .planning/phases/01-accounts/01-02-PLAN.md:5:14 done-with-open-dependency: `01-02` is done but its dependency `01-01` is not [01-01]
        "#]],
    );
}

#[test]
fn a_done_plan_depends_on_the_plan_of_its_own_folder_when_two_phases_share_a_number() {
    // A project that numbered its phases from 1 again without archiving
    // them: `02-database-stability/` and `02-x-platform-pipeline/` each
    // have a plan `02-01`. GSD reads `depends_on` within the plan's own
    // phase folder, where `02-01` is done.
    let summary = |path: &str| format!("//- {path}\nDone.\n");
    let fixture = [
        plan_at(
            ".planning/phases/02-database-stability/02-01-PLAN.md",
            "phase: 02-database-stability\nplan: 01\nwave: 1\ndepends_on: []\n",
        ),
        plan_at(
            ".planning/phases/02-x-platform-pipeline/02-01-PLAN.md",
            "phase: 02-x-platform-pipeline\nplan: 01\nwave: 1\ndepends_on: []\n",
        ),
        summary(".planning/phases/02-x-platform-pipeline/02-01-SUMMARY.md"),
        plan_at(
            ".planning/phases/02-x-platform-pipeline/02-03-PLAN.md",
            "phase: 02-x-platform-pipeline\nplan: 03\nwave: 2\ndepends_on:\n  - 02-01\n",
        ),
        summary(".planning/phases/02-x-platform-pipeline/02-03-SUMMARY.md"),
    ]
    .concat();
    let found = findings(&workspace(&fixture).workspace);
    assert!(!found.contains("done-with-open-dependency"), "{found}");
}

#[test]
fn positions_hold_with_crlf_and_multi_byte_text() {
    let fixture = "//- .planning/REQUIREMENTS.md\r\n- [ ] **AUTH-01**: Café ☕ 通知\r\n//- .planning/phases/01-a/01-01-PLAN.md\r\n---\r\nphase: 01-a\r\nrequirements: [\"AUTH-01\", AUTH-07]\r\npattern: \"a\\.b 😀\"\r\n---\r\n";
    let ws = workspace(fixture).workspace;
    let file = ws.file(".planning/phases/01-a/01-01-PLAN.md").unwrap();
    let written: Vec<&str> = file.facts.items[0]
        .covers
        .iter()
        .map(|r| &file.text[r.range.start()..r.range.end()])
        .collect();
    assert_eq!(written, ["AUTH-01", "AUTH-07"]);
    let requirements = ws.file(".planning/REQUIREMENTS.md").unwrap();
    assert_eq!(requirements.facts.items[0].title, "Café ☕ 通知");
    expect![[r#"
        .planning/phases/01-a/01-01-PLAN.md:3:27 gsd-unknown-requirement: `AUTH-07` names no requirement of `.planning/REQUIREMENTS.md` [AUTH-07]
    "#]].assert_eq(&findings(&ws));
}

#[test]
fn a_requirement_is_renamed_everywhere_and_a_plan_is_not() {
    let fixture = format!(
        "{}{}",
        REQUIREMENTS.replacen("**AUTH-01**", "**AUTH-$001**", 1),
        plan("01", "requirements:\n  - AUTH-01\n  - \"AUTH-02\"\n"),
    );
    expect![[r#"
        .planning/REQUIREMENTS.md: AUTH-01 -> AUTH-10
        .planning/phases/01-accounts/01-01-PLAN.md: AUTH-01 -> AUTH-10
    "#]]
    .assert_eq(&renamed(&fixture, "AUTH-10"));
    // A range names it at the range's place: rewriting an end of the range
    // would change which requirements it names.
    let fixture = format!(
        "{}{}",
        REQUIREMENTS.replacen("**AUTH-01**", "**AUTH-$001**", 1),
        plan("01", "requirements: [AUTH-01..02]\n"),
    );
    expect![[r#"
        refused: `AUTH-01` is named by the range `AUTH-01..02` in `.planning/phases/01-accounts/01-01-PLAN.md`: write the range out as a list first
    "#]]
    .assert_eq(&renamed(&fixture, "AUTH-10"));
    // A plan's ID is its file name: renaming it is moving files, not an
    // edit.
    let fixture = format!(
        "{}{}",
        plan("01", ""),
        plan("02", "depends_on: [01-$001]\n")
    );
    expect![[r#"
        refused: this plan's ID comes from its place, its heading or its file's name in GSD: edit or rename the file instead
    "#]]
    .assert_eq(&renamed(&fixture, "01-05"));
}

/// What the editor says of a `requirements:` entry that names nothing
/// (inlay hint, hover on the plan and on the entry, semantic token):
/// missing only where `gsd-unknown-requirement` says so, not in a
/// `.planning/` folder without a REQUIREMENTS.md, where nothing can tell.
#[test]
fn the_editor_calls_a_requirement_missing_only_where_the_check_does() {
    let said = |fixture: &str| {
        let ws = workspace(fixture).workspace;
        let derived = Derived::new(&ws, Arc::new(Context::new(&ws)));
        let rel = ".planning/phases/01-accounts/01-01-PLAN.md";
        let text = &ws.file(rel).expect("the plan").text;
        let entry = text.find("AUTH-09").expect("the entry") + 1;
        let on_entry = features::hover::hover(&ws, &derived, rel, entry).map(|h| h.markdown);
        let plan_at = text.find("plan: 01").expect("the plan number") + "plan: ".len();
        let shown = crate::analysis::fixture::covers_as_shown(&ws, rel, plan_at);
        format!(
            "findings:\n{}{shown}\nentry: {}\n",
            findings(&ws),
            on_entry.unwrap_or_default()
        )
    };
    let plans = plan("01", "requirements: [AUTH-01, AUTH-09]\n");
    expect![[r#"
        findings:
        .planning/REQUIREMENTS.md:8:9 gsd-uncovered-requirement: no plan lists `AUTH-02` in its `requirements:` [AUTH-02]
        .planning/phases/01-accounts/01-01-PLAN.md:4:25 gsd-unknown-requirement: `AUTH-09` names no requirement of `.planning/REQUIREMENTS.md` [AUTH-09]
        hints ["⚠ missing"]; Covers: AUTH-01, AUTH-09 ⚠ missing; dangling tokens 1
        entry: **AUTH-09**

        ⚠ No requirement has this ID.
    "#]]
    .assert_eq(&said(&format!("{REQUIREMENTS}{plans}")));
    expect![[r#"
        findings:
        hints []; Covers: AUTH-01, AUTH-09; dangling tokens 0
        entry: **AUTH-09**

        No item of this ID is read here, and planmark cannot tell whether one is missing.
    "#]]
    .assert_eq(&said(&plans));
}

/// A roadmap whose phases 2 and 4 depend on others in ROADMAP.md's
/// `**Depends on:**`, phase 3 on nothing it says, with the given box for
/// phase 2's overview line.
fn ordered_roadmap(phase_two_box: &str) -> String {
    format!(
        "//- .planning/ROADMAP.md
# Roadmap

- [ ] **Phase 1: Accounts**
- [{phase_two_box}] **Phase 2: Sync**
- [ ] **Phase 3: Search**
- [ ] **Phase 4: Billing**

### Phase 1: Accounts
**Goal:** People can sign in.
**Depends on**: Nothing (first phase)

### Phase 2: Sync
**Goal:** Devices agree.
**Depends on:** Phase 1

### Phase 3: Search
**Goal:** People find things.

### Phase 4: Billing
**Goal:** People pay.
**Depends on:** Phases 1-2 (accounts and devices to bill)
"
    )
}

/// The plans of `ordered_roadmap`'s phases: two in phase 1, one in each
/// other phase.
fn ordered_plans() -> String {
    [
        plan("01", "wave: 1\n"),
        plan("02", "wave: 2\ndepends_on: [01-01]\n"),
        plan_at(".planning/phases/02-sync/02-01-PLAN.md", "wave: 1\n"),
        plan_at(".planning/phases/03-search/03-01-PLAN.md", "wave: 1\n"),
        plan_at(".planning/phases/04-billing/04-01-PLAN.md", "wave: 1\n"),
    ]
    .concat()
}

/// The waves of a workspace's plan, and what each plan waits for in the
/// graph.
fn waves_and_edges(ws: &Workspace) -> String {
    let graph = Graph::build(ws);
    let plan = crate::analysis::plan::plan(&graph);
    let mut out = format!("{:?}\n", plan.waves);
    let mut nodes: Vec<_> = graph.nodes.iter().collect();
    nodes.sort_by_key(|node| node.id);
    for node in nodes {
        let mut deps: Vec<&str> = node
            .deps
            .iter()
            .map(|&d| graph.nodes[d].id.as_str())
            .collect();
        deps.sort_unstable();
        if !deps.is_empty() {
            writeln!(out, "{} waits for {deps:?}", node.id).unwrap();
        }
    }
    out
}

#[test]
fn the_plan_puts_a_phase_after_the_phases_it_depends_on() {
    // Phase 2 waits for phase 1, phase 4 for phases 1 and 2 (a range); phase
    // 3 says nothing, so it runs beside them, as GSD's manager runs it. A
    // plan waits for the last open plans of the phases its phase depends
    // on: 04-01 for 01-02 (which waits for 01-01) and 02-01.
    let ws = workspace(&format!("{}{}", ordered_roadmap(" "), ordered_plans())).workspace;
    expect![[r#"
        [["01-01", "03-01"], ["01-02"], ["02-01"], ["04-01"]]
        01-02 waits for ["01-01"]
        02-01 waits for ["01-02"]
        04-01 waits for ["01-02", "02-01"]
    "#]]
    .assert_eq(&waves_and_edges(&ws));
    // Without `Depends on`, every phase's first plans are ready at once, as
    // before.
    let unordered = ordered_roadmap(" ").replace("**Depends on:**", "**Needs:**");
    let ws = workspace(&format!("{unordered}{}", ordered_plans())).workspace;
    expect![[r#"
        [["01-01", "02-01", "03-01", "04-01"], ["01-02"]]
        01-02 waits for ["01-01"]
    "#]]
    .assert_eq(&waves_and_edges(&ws));
}

#[test]
fn plans_carried_out_and_phases_marked_complete_hold_nothing_back() {
    // Phase 1's plans carried out (a summary, a ticked plan line): phase 2
    // and 4 no longer wait for them.
    let summary = "//- .planning/phases/01-accounts/01-01-SUMMARY.md\nDone.\n";
    let ticked = ordered_roadmap(" ").replace(
        "**Depends on**: Nothing (first phase)\n",
        "**Depends on**: Nothing (first phase)\n\nPlans:\n- [x] 01-02: Sign-out\n",
    );
    let ws = workspace(&format!("{ticked}{}{summary}", ordered_plans())).workspace;
    expect![[r#"
        [["02-01", "03-01"], ["04-01"]]
        01-02 waits for ["01-01"]
        04-01 waits for ["02-01"]
    "#]]
    .assert_eq(&waves_and_edges(&ws));
    // Phase 2 marked complete in the roadmap holds nothing back either,
    // and its plan, though it has no summary, is done: GSD counts the
    // phase complete, so it is no work left.
    let ws = workspace(&format!("{}{}", ordered_roadmap("x"), ordered_plans())).workspace;
    expect![[r#"
        [["01-01", "03-01"], ["01-02"], ["04-01"]]
        01-02 waits for ["01-01"]
        04-01 waits for ["01-02"]
    "#]]
    .assert_eq(&waves_and_edges(&ws));
}

#[test]
fn a_depends_on_against_the_phase_order_closes_a_cycle() {
    // 01-01 names a plan of phase 2, which runs after phase 1: neither can
    // start, and the check says so where the plan names it.
    let plans = ordered_plans().replace(
        "plan: 01\nwave: 1\n",
        "plan: 01\nwave: 1\ndepends_on: [02-01]\n",
    );
    let fixture = format!("{}{plans}", ordered_roadmap(" "));
    let ws = workspace(&fixture).workspace;
    let plan = crate::analysis::plan::plan(&Graph::build(&ws));
    expect![[r#"[["03-01"]] [["01-01", "02-01", "01-02"]]"#]]
        .assert_eq(&format!("{:?} {:?}", plan.waves, plan.cycles));
    check(
        &fixture,
        expect![[r#"
            .planning/phases/01-accounts/01-01-PLAN.md:5:14 dependency-cycle: dependency cycle: 01-01 -> 02-01 -> 01-02 -> 01-01 [02-01]
            .planning/phases/01-accounts/01-02-PLAN.md:5:14 dependency-cycle: dependency cycle: 01-01 -> 02-01 -> 01-02 -> 01-01 [01-01]
        "#]],
    );
}

#[test]
fn depends_on_names_phases_as_roadmaps_write_it() {
    let roadmap = "//- .planning/ROADMAP.md
### Phase 200: A
### Phase 200.1: B
### Phase 201: C
### Phase 204: D
### Phase 204.1: E
### Phase 205: F
### Phase 207: G
";
    let ws = workspace(roadmap).workspace;
    let file = ws.file(".planning/ROADMAP.md").expect("the roadmap");
    let phases: Vec<&crate::analysis::model::Item> = file.facts.items.iter().collect();
    let mut out = String::new();
    for value in [
        "Phase 201",
        "Nothing (first phase)",
        "None",
        "Phase 201, Phase 204 CLI/API key surfaces where relevant",
        "Phases 200–205; design must stay compatible with Phases 207–213",
        "Phases 200-201, 207",
        "Phase 4, 08, and 09.",
        "Phase 9 (captures). Phase 10 (`akp05e` is functional). Can run with any phase.",
        "Phase 11.1 (macOS), Phase 12.3.1 (identity)",
        "Phase 201 through 204",
        "Phase 5 (Milestone 2 complete)",
        "v3.9.0 closure",
        "existing v1-v2 baseline and the data model",
        "Phases 204-205 (P204 HARD; rest SOFT)",
    ] {
        let ids = super::depended_phases(value, "", &phases);
        writeln!(out, "{value} => {}", ids.join(" ")).unwrap();
    }
    expect![[r#"
        Phase 201 => phase-201
        Nothing (first phase) => 
        None => 
        Phase 201, Phase 204 CLI/API key surfaces where relevant => phase-201 phase-204
        Phases 200–205; design must stay compatible with Phases 207–213 => phase-200 phase-200.1 phase-201 phase-204 phase-204.1 phase-205
        Phases 200-201, 207 => phase-200 phase-200.1 phase-201 phase-207
        Phase 4, 08, and 09. => phase-4 phase-8 phase-9
        Phase 9 (captures). Phase 10 (`akp05e` is functional). Can run with any phase. => phase-9 phase-10
        Phase 11.1 (macOS), Phase 12.3.1 (identity) => phase-11.1 phase-12.3.1
        Phase 201 through 204 => phase-201 phase-204
        Phase 5 (Milestone 2 complete) => phase-5
        v3.9.0 closure => 
        existing v1-v2 baseline and the data model => 
        Phases 204-205 (P204 HARD; rest SOFT) => phase-204 phase-204.1 phase-205
    "#]]
    .assert_eq(&out);
}

/// A plan without a heading is named by its objective: on one line with
/// its tags, or the first sentence of the paragraph GSD's planner writes
/// (the whole paragraph made every line of `plan` a screen wide).
#[test]
fn a_plan_is_named_by_the_first_sentence_of_its_objective() {
    let title = |body: &str| {
        let fixture = format!(
            "//- .planning/phases/01-ship/01-01-PLAN.md\n---\nphase: 01-ship\nplan: 01\n---\n{body}"
        );
        let ws = workspace(&fixture).workspace;
        let (_, item) = ws.items().next().expect("the plan");
        item.title.as_str().to_string()
    };
    expect![[r#"
        Sign up
        Ship the webhook validator and wire it into subscribe
        Ship the cache, e.g. for sessions
        Add the login form
        Set up the repo"#]]
    .assert_eq(
        &[
            title("<objective>Sign up</objective>\n"),
            title("<objective>\nShip the webhook validator and wire it into subscribe. Closes review concern H1.\n\nPurpose: safety.\n</objective>\n"),
            title("<objective>\nShip the cache, e.g. for sessions. Then more.\n</objective>\n"),
            title("# Plan 01-01: Add the login form\n\n<objective>\nOther words.\n</objective>\n"),
            title("<objective>\nSet up the repo\n</objective>\n"),
        ]
        .join("\n"),
    );
}

#[test]
fn plan_files_named_in_gsds_other_forms_are_plans_of_their_phase() {
    // GSD reads any `*-PLAN.md` and a bare `PLAN.md` as a plan, and knows
    // it by its name without `-PLAN.md`: the phase's one plan (`21-PLAN.md`,
    // `PLAN.md`), a fix plan (`09-FIX-01-PLAN.md`), a plan named with the
    // word first (`12-PLAN-05.md`, paired with `12-05-SUMMARY.md`), and
    // plan numbers alone in a phase's folder (`02-PLAN.md` in `01-fix/`,
    // or `01-PLAN.md` whose front matter says `plan: 01`). A `P` before a
    // plan number says "plan": `26-P01-PLAN.md` is plan `26-01`, as
    // `depends_on: [26-P01]` names it.
    let roadmap = "//- .planning/ROADMAP.md
## Phases

- [ ] **Phase 1: Fix**
- [ ] **Phase 9: Classical**
- [ ] **Phase 12: MFA**
- [ ] **Phase 21: Permits**
- [ ] **Phase 26: Days**
- [ ] **Phase 56: Scenic**

### Phase 12: MFA

Plans:
- [x] 12-PLAN-04.md — Login screen
- [ ] 12-PLAN-05.md — Migration
";
    let done = |path: &str| format!("//- {path}\nDone.\n");
    let fixture = [
        roadmap.to_string(),
        plan_at(".planning/phases/01-fix/01-PLAN.md", "plan: 01\nwave: 1\n"),
        plan_at(".planning/phases/01-fix/02-PLAN.md", "plan: 02\nwave: 1\n"),
        done(".planning/phases/01-fix/01-01-SUMMARY.md"),
        plan_at(
            ".planning/phases/09-classical/09-FIX-01-PLAN.md",
            "wave: 1\n",
        ),
        plan_at(
            ".planning/phases/09-classical/09-FIX-02-PLAN.md",
            "wave: 2\ndepends_on: [9-FIX-01]\n",
        ),
        done(".planning/phases/09-classical/09-FIX-01-SUMMARY.md"),
        plan_at(
            ".planning/phases/12-mfa/12-PLAN-04.md",
            "plan: 04\nwave: 1\n",
        ),
        plan_at(
            ".planning/phases/12-mfa/12-PLAN-05.md",
            "plan: 05\nwave: 2\ndepends_on: ['12-04']\n",
        ),
        done(".planning/phases/12-mfa/12-04-SUMMARY.md"),
        plan_at(".planning/phases/21-permits/21-PLAN.md", "wave: 1\n"),
        done(".planning/phases/21-permits/21-SUMMARY.md"),
        plan_at(".planning/phases/56-scenic/PLAN.md", "wave: 1\n"),
        done(".planning/phases/08-offline/08-SUMMARY.md"),
        plan_at(".planning/phases/26-days/26-P01-PLAN.md", "plan: 26-P01\n"),
        plan_at(
            ".planning/phases/26-days/26-02-PLAN.md",
            "depends_on: [26-P01]\n",
        ),
    ]
    .concat();
    let ws = workspace(&fixture).workspace;
    let plans: Vec<String> = ws
        .items()
        .filter(|(_, item)| item.kind == crate::analysis::model::ItemKind::Plan)
        .map(|(file, item)| {
            let deps: Vec<&str> = item.deps.iter().filter_map(|d| d.target.as_id()).collect();
            format!(
                "{} {} parent={:?} progress={:?} deps={deps:?}",
                file.rel,
                item.id,
                item.parent,
                ws.progress(item)
            )
        })
        .collect();
    expect![[r#"
        [
            ".planning/phases/01-fix/01-PLAN.md 01-01 parent=Some(\"phase-1\") progress=Some(Done) deps=[]",
            ".planning/phases/01-fix/02-PLAN.md 01-02 parent=Some(\"phase-1\") progress=None deps=[]",
            ".planning/phases/09-classical/09-FIX-01-PLAN.md 09-FIX-01 parent=Some(\"phase-9\") progress=Some(Done) deps=[]",
            ".planning/phases/09-classical/09-FIX-02-PLAN.md 09-FIX-02 parent=Some(\"phase-9\") progress=None deps=[\"09-FIX-01\"]",
            ".planning/phases/12-mfa/12-PLAN-04.md 12-04 parent=Some(\"phase-12\") progress=Some(Done) deps=[]",
            ".planning/phases/12-mfa/12-PLAN-05.md 12-05 parent=Some(\"phase-12\") progress=None deps=[\"12-04\"]",
            ".planning/phases/21-permits/21-PLAN.md 21 parent=Some(\"phase-21\") progress=Some(Done) deps=[]",
            ".planning/phases/26-days/26-02-PLAN.md 26-02 parent=Some(\"phase-26\") progress=None deps=[\"26-01\"]",
            ".planning/phases/26-days/26-P01-PLAN.md 26-01 parent=Some(\"phase-26\") progress=None deps=[]",
            ".planning/phases/56-scenic/PLAN.md 56 parent=Some(\"phase-56\") progress=None deps=[]",
        ]
    "#]]
    .assert_debug_eq(&plans);
    // The roadmap's lines name the plans of their files.
    let named: Vec<&str> = roadmap_references(&ws)
        .iter()
        .filter_map(|r| r.target.as_id())
        .collect();
    assert_eq!(named, ["12-04", "12-05"]);
    // No plan is a stranger to its phase, nor a dependency unknown; the
    // phase-level `08-SUMMARY.md` counts as phase 8's planning.
    check(&fixture, expect![""]);
    let plan = crate::analysis::plan::plan(&Graph::build(&ws));
    expect![[r#"[["01-02", "09-FIX-02", "12-05", "26-01", "56"], ["26-02"]]"#]]
        .assert_eq(&format!("{:?}", plan.waves));
}

#[test]
fn a_phase_that_depends_on_a_phase_without_plans_is_held_back() {
    // Phase 1 is open in the roadmap but has no plans yet: phase 2, which
    // depends on it, cannot start, nor phase 4 (which depends on phases 1
    // and 2); phase 3 depends on nothing and is ready.
    let plans = [
        plan_at(".planning/phases/02-sync/02-01-PLAN.md", "wave: 1\n"),
        plan_at(".planning/phases/03-search/03-01-PLAN.md", "wave: 1\n"),
        plan_at(".planning/phases/04-billing/04-01-PLAN.md", "wave: 1\n"),
    ]
    .concat();
    let ws = workspace(&format!("{}{plans}", ordered_roadmap(" "))).workspace;
    let schedule = crate::analysis::plan::plan(&Graph::build(&ws));
    let blocked: Vec<String> = schedule
        .blocked
        .iter()
        .map(|b| format!("{}: {}", b.id, b.reason))
        .collect();
    expect![[r#"
        [["03-01"]]
        [
            "02-01: depends on phase-1, which is not planned yet",
            "04-01: depends on phase-1, which is not planned yet",
        ]
    "#]]
    .assert_eq(&format!("{:?}\n{blocked:#?}\n", schedule.waves));
    // Once phase 1 is marked complete, or has a plan, it holds back only
    // what its open plans do.
    let complete = ordered_roadmap(" ").replace("- [ ] **Phase 1", "- [x] **Phase 1");
    let ws = workspace(&format!("{complete}{plans}")).workspace;
    let schedule = crate::analysis::plan::plan(&Graph::build(&ws));
    expect![[r#"[["02-01", "03-01"], ["04-01"]]"#]].assert_eq(&format!("{:?}", schedule.waves));
    let planned = format!("{}{plans}{}", ordered_roadmap(" "), plan("01", "wave: 1\n"));
    let ws = workspace(&planned).workspace;
    let schedule = crate::analysis::plan::plan(&Graph::build(&ws));
    expect![[r#"[["01-01", "03-01"], ["02-01"], ["04-01"]]"#]]
        .assert_eq(&format!("{:?}", schedule.waves));
}

#[test]
fn a_shipped_milestones_phases_left_in_phases_are_history() {
    // `/gsd:complete-milestone` lists the milestone as shipped and may leave
    // its phase folders in `phases/` (archiving them is optional), while
    // REQUIREMENTS.md starts afresh for the next milestone: the old plans'
    // requirements (and those of a shipped phase's section the roadmap
    // kept) are in no current file, and a plan the milestone shipped
    // without a summary is no work left.
    let roadmap = |restarted: &str| {
        format!(
            "//- .planning/ROADMAP.md
# Roadmap: Parcel

## Milestones

- ✅ **v1.0 MVP** — Phases 1-2 (shipped 2026-01-17)
- 🚧 **v1.1 Sync** — Phase 3 (in progress){restarted}

## Phases

<details>
<summary>✅ v1.0 MVP (Phases 1-2) — SHIPPED 2026-01-17</summary>

See `.planning/milestones/v1.0-ROADMAP.md`.

### Phase 2: Profiles
**Requirements**: PROF-01

</details>

### Phase 3: Sync
**Goal**: Devices agree.

## Execution Order

- v1.0 Wave 1: Phases 1, 2 (parallel)
"
        )
    };
    let requirements = "//- .planning/REQUIREMENTS.md
# Requirements: Parcel v1.1

- [ ] **SYNC-01**: Devices share state
";
    let plans = [
        plan_at(
            ".planning/phases/01-accounts/01-01-PLAN.md",
            "phase: 01-accounts\nplan: 01\nrequirements: [AUTH-01]\n",
        ),
        "//- .planning/phases/01-accounts/01-01-SUMMARY.md\n# Summary\n".to_string(),
        plan_at(
            ".planning/phases/02-profiles/02-01-PLAN.md",
            "phase: 02-profiles\nplan: 01\nrequirements: [PROF-01]\n",
        ),
        plan_at(
            ".planning/phases/03-sync/03-01-PLAN.md",
            "phase: 03-sync\nplan: 01\nrequirements: [SYNC-01, SYNC-09]\n",
        ),
    ]
    .concat();
    let shipped = workspace(&format!("{}{requirements}{plans}", roadmap(""))).workspace;
    expect![[r#"
        .planning/phases/03-sync/03-01-PLAN.md:4:25 gsd-unknown-requirement: `SYNC-09` names no requirement of `.planning/REQUIREMENTS.md` [SYNC-09]
    "#]]
    .assert_eq(&findings(&shipped));
    let waves =
        |ws: &Workspace| format!("{:?}", crate::analysis::plan::plan(&Graph::build(ws)).waves);
    expect![[r#"[["03-01"]]"#]].assert_eq(&waves(&shipped));
    // A milestone under way that numbers its phases from 1 again holds
    // phase 2 open: its plan is work, judged by the current requirements.
    let restarted = workspace(&format!(
        "{}{requirements}{plans}",
        roadmap("\n- 🚧 **v2.0 Redo** — Phases 1-2 (in progress)")
    ))
    .workspace;
    expect![[r#"
        .planning/ROADMAP.md:17:19 gsd-unknown-requirement: `PROF-01` names no requirement of `.planning/REQUIREMENTS.md` [PROF-01]
        .planning/phases/01-accounts/01-01-PLAN.md:4:16 gsd-unknown-requirement: `AUTH-01` names no requirement of `.planning/REQUIREMENTS.md` [AUTH-01]
        .planning/phases/02-profiles/02-01-PLAN.md:4:16 gsd-unknown-requirement: `PROF-01` names no requirement of `.planning/REQUIREMENTS.md` [PROF-01]
        .planning/phases/03-sync/03-01-PLAN.md:4:25 gsd-unknown-requirement: `SYNC-09` names no requirement of `.planning/REQUIREMENTS.md` [SYNC-09]
    "#]]
    .assert_eq(&findings(&restarted));
    expect![[r#"[["02-01", "03-01"]]"#]].assert_eq(&waves(&restarted));
}

#[test]
fn a_range_of_unknown_requirements_is_one_finding() {
    // A roadmap kept from an earlier milestone names runs of requirements
    // that REQUIREMENTS.md no longer holds: one finding per run, saying
    // which of its requirements are unknown, not one per requirement at
    // the same place.
    let requirements = "//- .planning/REQUIREMENTS.md
## v1.1 Requirements

- [ ] **DOCK-01**: Multi-stage Dockerfile
- [ ] **DOCK-03**: Standalone output
";
    let roadmap = "//- .planning/ROADMAP.md
# Roadmap

### Phase 1: Foundation
**Requirements**: AUTH-01–AUTH-04, DOCK-01–DOCK-04, DOCK-01..03
";
    let ws = workspace(&format!("{requirements}{roadmap}")).workspace;
    expect![[r#"
        .planning/ROADMAP.md:4:19 gsd-unknown-requirement: `AUTH-01–AUTH-04` names 4 requirements and `.planning/REQUIREMENTS.md` defines none of them [AUTH-01–AUTH-04]
        .planning/ROADMAP.md:4:36 gsd-unknown-requirement: `DOCK-01–DOCK-04` includes `DOCK-02` and `DOCK-04`, which name no requirement of `.planning/REQUIREMENTS.md` [DOCK-01–DOCK-04]
        .planning/ROADMAP.md:4:53 gsd-unknown-requirement: `DOCK-01..03` includes `DOCK-02`, which names no requirement of `.planning/REQUIREMENTS.md` [DOCK-01..03]
    "#]]
    .assert_eq(&findings(&ws));
}

#[test]
fn a_roadmap_requirement_range_may_be_written_with_an_en_dash() {
    // Roadmaps write a phase's run of requirements with an en dash,
    // `AUTH-01–04` or `AUTH-01–AUTH-04`, as they write `QA-01..15`.
    let requirements = "//- .planning/REQUIREMENTS.md
## v1 Requirements

- [ ] **AUTH-01**: User can sign in
- [ ] **AUTH-02**: User can sign out
- [ ] **SYNC-01**: Devices share state
- [ ] **SYNC-02**: Devices merge edits
";
    let roadmap = "//- .planning/ROADMAP.md
# Roadmap

### Phase 1: Accounts
**Requirements**: AUTH-01–02, SYNC-01–SYNC-03
";
    let ws = workspace(&format!("{requirements}{roadmap}")).workspace;
    let (_, phase) = ws.item("phase-1").expect("the phase");
    let covered: Vec<&str> = phase
        .covers
        .iter()
        .filter_map(|r| r.target.as_id())
        .collect();
    assert_eq!(
        covered,
        ["AUTH-01", "AUTH-02", "SYNC-01", "SYNC-02", "SYNC-03"]
    );
    expect![[r#"
        .planning/ROADMAP.md:4:31 gsd-unknown-requirement: `SYNC-01–SYNC-03` includes `SYNC-03`, which names no requirement of `.planning/REQUIREMENTS.md` [SYNC-01–SYNC-03]
    "#]]
    .assert_eq(&findings(&ws));
}

/// Only a phase alone in words (`Phase 14a`, `Phases 3, 4`, `Phase 3
/// (algorithms)`) is left out of `depends_on`; an entry that says more
/// (`Phase 06-01`, `Phase 6 Plans 01-02`, `Phase 6 (Plan 2)`) stays a
/// reference, reported when it names no plan.
#[test]
fn a_dependency_in_words_is_a_phase_only_when_it_names_a_phase_alone() {
    let fixture = format!(
        "{}{}",
        plan("01", ""),
        plan(
            "02",
            "depends_on:\n  - \"01-01\"\n  - Phase 14a\n  - \"Phases 3, 4\"\n  - Phase 2.1 (hotfix)\n"
        )
    );
    let ws = workspace(&fixture).workspace;
    assert_eq!(dependencies_of_plan_02(&ws), ["01-01"]);
    assert_eq!(findings(&ws), "");
    check(
        &plan(
            "02",
            "depends_on:\n  - Phase 06-01\n  - Phase 6 Plans 01-02\n  - Phase 6 (Plan 2)\n",
        ),
        expect![[r#"
            .planning/phases/01-accounts/01-02-PLAN.md:5:5 dangling-dependency: `Phase 06-01` names no known plan [Phase 06-01]
            .planning/phases/01-accounts/01-02-PLAN.md:6:5 dangling-dependency: `Phase 6 Plans 01-02` names no known plan [Phase 6 Plans 01-02]
            .planning/phases/01-accounts/01-02-PLAN.md:7:5 dangling-dependency: `Phase 6 (Plan 2)` names no known plan [Phase 6 (Plan 2)]
        "#]],
    );
}

/// An unquoted `Phase 3, Plan 4` is split at its comma, in a flow list or
/// a plain value alike; the two halves are joined again into the plan they
/// name, and a phase alone before another entry stays a phase.
#[test]
fn an_unquoted_plan_in_words_is_read_whole() {
    assert_each_names_plan_01_01(&[
        "depends_on: [Phase 1, Plan 1]\n",
        "depends_on: Phase 1, Plan 01\n",
        "depends_on: [Phase 15, Phase 1, plan 1]\n",
    ]);
    check(
        &plan("02", "depends_on: [Phase 1, Plan 7]\n"),
        expect![[r#"
            .planning/phases/01-accounts/01-02-PLAN.md:4:14 dangling-dependency: `01-07` (from `Phase 1, Plan 7`) names no known plan [Phase 1, Plan 7]
        "#]],
    );
}

/// A roadmap of 5,000 complete phases, each naming a requirement
/// REQUIREMENTS.md lacks, is checked in time: the roadmap's milestone lines
/// are read once, not once for each reference, and plans of phases the
/// roadmap does not hold open ask for their progress, and whether a
/// milestone lists their phase, without reading them again either.
#[test]
fn a_large_roadmap_with_unknown_requirements_is_checked_in_time() {
    const PHASES: usize = 5_000;
    const PLANS: usize = 1_000;
    let mut fixture = format!("{REQUIREMENTS}//- .planning/ROADMAP.md\n# Roadmap: Parcel\n\n## Milestones\n\n- ✅ **v1.0 MVP** — Phases 1-2 (shipped 2026-01-17)\n\n## Phases\n\n");
    for n in 3..PHASES + 3 {
        writeln!(fixture, "- [x] **Phase {n}: Step {n}** - work").unwrap();
    }
    fixture.push_str("\n## Phase Details\n\n");
    for n in 3..PHASES + 3 {
        write!(
            fixture,
            "### Phase {n}: Step {n}\n**Goal:** Step {n}.\n**Requirements**: GONE-{n:02}\n\n"
        )
        .unwrap();
    }
    let unlisted = PHASES + 3..PHASES + PLANS + 3;
    for n in unlisted.clone() {
        write!(
            fixture,
            "//- .planning/phases/{n:02}-step/{n:02}-01-PLAN.md\n---\nphase: {n:02}-step\nplan: 01\n---\n\n# Step {n}\n"
        )
        .unwrap();
    }
    let ws = workspace(&fixture).workspace;
    let found = findings(&ws);
    let unknown = found
        .lines()
        .filter(|line| line.contains("gsd-unknown-requirement"))
        .count();
    assert_eq!(unknown, PHASES);
    let unlisted_phases = found
        .lines()
        .filter(|line| line.contains("gsd-unlisted-phase"))
        .count();
    assert_eq!(unlisted_phases, PLANS);
    let open = unlisted
        .filter(|n| {
            ws.item(&format!("{n:02}-01"))
                .is_some_and(|(_, item)| ws.progress(item) != Some(Progress::Done))
        })
        .count();
    assert_eq!(open, PLANS);
}

/// Each plan of the workspace, one line each: its ID, phase, progress and
/// dependencies.
fn plans_read(ws: &Workspace) -> String {
    let mut out = String::new();
    for (_, item) in ws.items().filter(|(_, i)| i.kind.name() == "plan") {
        let deps: Vec<&str> = item.deps.iter().filter_map(|r| r.target.as_id()).collect();
        writeln!(
            out,
            "{} parent={:?} progress={:?} deps={deps:?}",
            item.id,
            item.parent,
            ws.progress(item)
        )
        .unwrap();
    }
    out
}

/// A roadmap with two `### Phase 58` sections (FablrWill/Camping-Manager
/// wrote the phase again after a review): GSD's commands read the first
/// only, so the second is reported, and the requirements it lists wait for
/// phase 58 to be planned like the first's rather than go uncovered. A
/// milestone that numbered its phases again has a phase of each number for
/// itself, and is not reported.
#[test]
fn a_second_section_of_a_phase_is_reported_and_its_requirements_wait() {
    let roadmap = "//- .planning/ROADMAP.md
# Roadmap

### Phase 1: Accounts
**Requirements**: AUTH-01

### Phase 2: Sync
**Goal**: Devices agree.

### Phase 2: Sync and sharing
**Goal**: Devices and people agree.
**Requirements**: AUTH-02, SYNC-01
";
    let fixture = [
        REQUIREMENTS.to_string(),
        roadmap.to_string(),
        plan("01", "requirements: [AUTH-01]\n"),
    ]
    .concat();
    let ws = workspace(&fixture).workspace;
    expect![[r#"
        .planning/ROADMAP.md:9:5 gsd-duplicate-phase: phase 2 has a section already, `Sync` (line 6): GSD's commands read only that one, so what this section says is not what they plan: merge the two sections, or give this phase a number of its own (`/gsd:insert-phase`) [Phase 2: Sync and sharing]
    "#]]
    .assert_eq(&findings(&ws));

    let renumbered = "//- .planning/ROADMAP.md
# Roadmap

## Milestones

- ✅ **v1.0 MVP** — Phases 1-2 (shipped 2026-01-10)
- 🚧 **v2.0 Teams** — Phases 1-2 (renumbered)

<details>
<summary>✅ v1.0 MVP (Phases 1-2) — SHIPPED</summary>

### Phase 1: Accounts
### Phase 2: Sync

</details>

### Phase 1: Teams
### Phase 2: Roles
";
    let ws = workspace(renumbered).workspace;
    expect![[r#""#]].assert_eq(&findings(&ws));
}

/// Many GSD planners repeat the phase folder's name in the plan's
/// (harshit-singhania/archai-bom's `01-concerns-remediation-01-PLAN.md`):
/// the file is plan `01-01`, its summary finishes it, `depends_on: [01-01]`
/// reaches it, and the roadmap's line for it (in backticks too) names it.
/// A plan named with a word in capitals stays a named plan.
#[test]
fn a_plan_file_repeating_its_folder_name_is_a_numbered_plan() {
    let fixture = "//- .planning/ROADMAP.md
# Roadmap

### Phase 1: Concerns remediation
Plans:
- [x] 01-concerns-remediation-01-PLAN.md — Persistence
- [ ] `01-concerns-remediation-02-PLAN.md` — Costs
//- .planning/phases/01-concerns-remediation/01-concerns-remediation-01-PLAN.md
---
phase: 01-concerns-remediation
plan: 01
---
//- .planning/phases/01-concerns-remediation/01-concerns-remediation-01-SUMMARY.md
# Summary
//- .planning/phases/01-concerns-remediation/01-concerns-remediation-02-PLAN.md
---
phase: 01-concerns-remediation
plan: 02
depends_on: [01-01]
---
//- .planning/phases/01-concerns-remediation/01-FIX-01-PLAN.md
---
phase: 01-concerns-remediation
plan: FIX-01
---
";
    let ws = workspace(fixture).workspace;
    let facts = derived(&ws);
    let mut plans: Vec<String> = ws
        .files()
        .into_iter()
        .flat_map(|f| f.facts.items.iter())
        .filter(|i| i.kind == crate::analysis::model::ItemKind::Plan)
        .map(|i| format!("{} done={}", i.id, facts.is_done(&i.id)))
        .collect();
    plans.sort();
    let mentions: Vec<String> = roadmap_references(&ws)
        .iter()
        .filter_map(|r| r.target.as_id().map(str::to_string))
        .collect();
    expect![[r#"
        ["01-01 done=true", "01-02 done=false", "01-FIX-01 done=false"]
        ["01-01", "01-02"]
    "#]]
    .assert_eq(&format!("{plans:?}\n{mentions:?}\n{}", findings(&ws)));
}
