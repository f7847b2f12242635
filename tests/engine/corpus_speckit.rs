//! The findings on a real spec-kit project
//! (`tests/corpora/speckit-0riva-oriva-platform`: features 001, 003, 004 and
//! 010 under `specs/`, written with the spec-kit templates of 2025, before
//! numbered user stories and `[USn]` labels), reviewed one by one.
//!
//! What was concluded for each rule that fires there:
//!
//! - `invalid-utf8` (1, warning): `specs/004-events-notifications-system/spec.md`
//!   holds a lone byte 0x92 at offset 302 (an arrow of its "Execution Flow"
//!   block mangled by an encoding change); it is not UTF-8, so planmark
//!   reads that byte as U+FFFD, checks the rest, and says where it was.
//!   Real. The spec being read, its `Draft` status with every task of the
//!   feature done is reported too (see `speckit-draft-when-done` below).
//! - `speckit-clarification-after-done` (2, errors): `003`'s spec still has
//!   `[NEEDS CLARIFICATION: Is this a gradual rollout or instant
//!   switchover?]` and `[NEEDS CLARIFICATION: What is the expected maximum
//!   knowledge base size?]` in its edge cases, while all 85 tasks of its
//!   tasks.md are ticked and its own checklist claims "No [NEEDS
//!   CLARIFICATION] markers remain". The work had to answer both (T070
//!   configured caching, T078 load-tested 100+ users) but the spec does not
//!   record the answers. Real. The three markers of its "Execution Flow"
//!   are in a code block (an example of the template's flow) and the one in
//!   `~~**FR-035**: …~~` is struck out as deferred: none of those is
//!   reported, nor the checklist lines that only mention the marker
//!   without a colon.
//! - `speckit-draft-when-done` (3, infos): `001` (25 tasks), `003` (85
//!   tasks) and `004` (43 tasks) are finished, yet their specs still say
//!   `**Status**: Draft`. Real: the spec-kit status is never updated by
//!   this project. `010` also says
//!   Draft, but 10 of its tasks are open, so it is right to stay silent.
//! - `speckit-parallel-same-file` and `speckit-dependency-order` (none):
//!   in `003` Phase 3.3, T046/T047 both implement endpoints in
//!   `api/hugo/user/progress.ts` and T047 says it depends on T046 (and so
//!   on for T048/T049, T052/T053; T067 and T070 both edit
//!   `oriva-platform/vercel.json`); in `004` Phase 3.3, T013 to T017 all
//!   write `tests/integration/notification-sync.test.ts`. By spec-kit's
//!   definition of `[P]` ("different files, no dependencies") these were
//!   slips, but every one of those tasks is ticked: `/implement` runs only
//!   open tasks, so the markers decide nothing any more and neither rule
//!   reports finished tasks.
//!
//! Silent, and why: every `(depends on …)` and Dependencies statement names
//! tasks that exist (`T001-T009` expands to the tasks in between; `010`'s
//! removed T060-T061 leave a gap in its numbering, not a dangling
//! reference, and the lines that mention them are prose); no task ID is
//! defined twice; the Dependencies sections' chains (`T001 → T002 → T003 →
//! T004-T021`) agree with the phase order, so there is no cycle; no task
//! carries a `[USn]` label and no spec numbers its user stories (they use
//! the older "Primary User Story"), so neither story rule applies; the
//! `FR-030` to `FR-033` named by `010`'s tasks are defined in its spec
//! (with an `[OUT OF SCOPE - MVP]` tag between the ID and the colon); every
//! feature folder has a spec.md; and the "Validation Checklist" headings
//! that repeat phase names (`### Phase 3.1: Foundation`) hold no tasks, so
//! they are not phases and define nothing twice.

use planmark::analysis::graph::Graph;
use planmark::analysis::plan::plan;

#[test]
fn speckit_corpus_findings_are_the_reviewed_ones() {
    let loaded = crate::corpus::load("speckit-0riva-oriva-platform");
    let ws = &loaded.workspace;
    let (actual, _) = crate::corpus::findings(ws);
    expect_test::expect_file!["../snapshots/speckit_corpus_findings.txt"].assert_eq(&actual);
}

#[test]
fn speckit_corpus_plan_schedules_the_open_tasks_in_phase_order() {
    let loaded = crate::corpus::load("speckit-0riva-oriva-platform");
    let plan = plan(&Graph::build(&loaded.workspace));
    let waves: Vec<String> = plan
        .waves
        .iter()
        .map(|w| {
            w.iter()
                .map(|id| id.rsplit('/').next().unwrap_or(id))
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    // `010`'s open tasks: Phase 8.3's four [P] tasks, then Phase 11.2's
    // three in turn (no [P]), then Phase 11.3's three [P] tasks; the done
    // phases in between are passed over.
    assert_eq!(
        waves,
        [
            "T203 T204 T205 T206",
            "T227",
            "T228",
            "T229",
            "T230 T231 T232"
        ]
    );
    assert!(plan.blocked.is_empty() && plan.cycles.is_empty());
}
