//! The GSD dialect on a real `.planning/` folder
//! (`tests/corpora/gsd-Pouryaak-LokulMem`: eight phases, 29 plans with
//! their summaries, REQUIREMENTS.md with 92 current (v1) and 21 deferred
//! requirements, ROADMAP.md, STATE.md): every finding, snapshotted in
//! `tests/snapshots/corpus_gsd.txt`. There is none; the review of what
//! could have fired follows.
//!
//! Silent, and why:
//!
//! - Twelve plans (in phases 4 to 7) have front matter that is not valid YAML
//!   (`pattern: "EmbeddingEngine\.initialize"` under `must_haves`, an
//!   unknown escape in double quotes; `contains: "a", "b"`, text after a
//!   quoted scalar). GSD reads front matter line by line, not as YAML, so
//!   it still reads their `wave`, `depends_on` and `requirements`, and so
//!   does planmark: no finding, and their dependencies are checked.
//! - `depends_on` is written `[]`, `["04-03"]` and as `- 01-01` lines:
//!   each reads the same, and every named plan exists (no
//!   `dangling-dependency`), with no cycle.
//! - Every current (v1) requirement is listed by some plan
//!   (`08-05` lists none, `requirements: []`), so no
//!   `gsd-uncovered-requirement`; the v2 and v3 requirements sit under
//!   `## v2 Requirements (Deferred)` and `## v3 Requirements (Deferred)`
//!   and are not expected to be covered yet.
//! - Every requirement a plan names is defined (`EVENT-03` in `06-02` and
//!   `08-04` alike), so no `gsd-unknown-requirement`.
//! - Every phase of ROADMAP.md has plans and every phase folder is on the
//!   roadmap (`### Phase 5` has no `Plans:` list, but its folder has three
//!   plans, which is what counts).
//! - `05-03` is `type: gap_closure` with `wave: 3` after `05-02`'s wave 2:
//!   in order.
//! - `06-03a` is `wave: 2` and depends on `06-02`, also `wave: 2`: as
//!   written the two could have run together (the roadmap's own list
//!   repeats the slip). But both plans have their summaries: GSD's
//!   executor skips plans carried out, so `gsd-wave-order` leaves them be.
//! - ROADMAP.md is GSD's, not the first workflow's `roadmap.md`: its
//!   `Phase N` headings are read as phases and none of the first
//!   workflow's milestone rules apply to it.

#[test]
fn gsd_corpus_findings_are_the_reviewed_ones() {
    let loaded = crate::corpus::load("gsd-Pouryaak-LokulMem");
    let ws = &loaded.workspace;
    let plans = ws
        .items()
        .filter(|(_, i)| i.kind == planmark::analysis::model::ItemKind::Plan)
        .count();
    assert_eq!(plans, 29, "every NN-MM-PLAN.md is a plan");
    let (actual, errors) = crate::corpus::findings(ws);
    assert_eq!(errors, 0, "no false errors");
    expect_test::expect_file!["../snapshots/corpus_gsd.txt"].assert_eq(&actual);
}
