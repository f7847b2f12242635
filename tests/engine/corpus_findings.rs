//! The findings of every rule on a real project's planning files
//! (`tests/corpora/project-workflow`), reviewed one by one.
//!
//! What was concluded for each rule that fires there:
//!
//! - `status-folder-mismatch` (67): every one is an issue in `done/` whose
//!   `**Status:**` still says `backlog`. The project's `move-issue` script
//!   moves the file without editing the field; the corpus README names this
//!   as a real inconsistency. All 67 are real.
//! - `done-with-open-criteria` (96): one per done issue whose checklist has
//!   unticked boxes. The project closes issues without ticking boxes and
//!   records the outcome in a session summary; three of them say outright
//!   that criteria were not met (`swe-feature-034` "8 of 9 met", two "No —").
//!   The checklist and the status disagree in every case, so each finding is
//!   true; it is reported once per issue, not once per box, to keep it to one
//!   decision per issue (tick the boxes or reopen).
//! - `missing-field` (20): issues without `**Milestone:**` — bugs filed in
//!   the M19 close-out and four doc-debt items. The index leaves their
//!   Milestone cell empty too, so the field is absent, not misread. The
//!   workflow's template gives every issue a milestone.
//! - `unknown-value` (5): efforts `1 session`, `Trivial (...)`,
//!   `Small-Medium session` (twice) are outside the effort vocabulary and
//!   cannot be weighed for the critical path; `completed` is not one of the
//!   statuses. Experts `sa`, `pm`, `doc`, `system-architect` and type
//!   `research` are *not* reported: formats.md records them as seen in real
//!   projects, so they are in the default vocabulary.
//! - `user-story-format` (5): each of these user stories lacks the
//!   "so that <value>" clause. "As someone running ..." is accepted.
//! - `oversized-issue`: none, because every issue with more than eight
//!   criteria or a Large effort is already done, and splitting finished work
//!   helps no one.
//!
//! Silent, and why: no dangling dependency (ranges such as
//! `swe-feature-064 through swe-feature-073` expand to existing issues,
//! `none (parallel with ...)` names none, prose after `—` is not read); no
//! cycle; no duplicate number; the index lists every issue with matching
//! titles and statuses (a row may follow either the folder or the field);
//! no placeholder (the `[Expert Skill Restructure]` milestone groups are not
//! template text); `M19` and `[SDLC Boundary]` resolve to roadmap milestones.

use std::path::Path;

use planmark::analysis::rules::check_workspace;
use planmark::load::load_workspace;

#[test]
fn corpus_findings_are_the_reviewed_ones() {
    let root = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/corpora/project-workflow"
    ));
    assert!(
        root.is_dir(),
        "the corpus is missing: expected {}",
        root.display()
    );
    let loaded = load_workspace(root);
    let ws = &loaded.workspace;
    assert!(
        loaded.walk_problems.is_empty(),
        "{:?}",
        loaded.walk_problems
    );
    assert!(ws.unreadable().is_empty());
    let mut lines = Vec::new();
    for d in check_workspace(ws) {
        let file = ws.file(&d.rel).expect("findings are in loaded files");
        let line = file.line_index().line_of(d.range.start()) + 1;
        lines.push(format!("{}:{line} {} {}", d.rel, d.rule, d.message));
    }
    let actual = lines.join("\n") + "\n";
    expect_test::expect_file!["../snapshots/corpus_findings.txt"].assert_eq(&actual);
}
