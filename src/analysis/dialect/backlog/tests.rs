//! The Backlog.md dialect on small backlogs: each finding where it fires
//! and where a near miss stays silent, its quick fixes, and the editing
//! features and the plan on its tasks.

use std::fmt::Write as _;
use std::sync::Arc;

use expect_test::{expect, Expect};

use crate::analysis::actions::fixes::for_diagnostic;
use crate::analysis::actions::Change;
use crate::analysis::features::{hover, navigation, Derived};
use crate::analysis::fixture;
use crate::analysis::model::Progress;
use crate::analysis::rules::{check_workspace, Context, Diagnostic};
use crate::analysis::text::ColumnUnit;
use crate::analysis::workspace::Workspace;

/// One line per finding: `rel:line:col rule: message «flagged text»`.
fn render(ws: &Workspace, diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let file = ws.file(&d.rel).expect("findings are in loaded files");
        let pos = file
            .line_index()
            .line_col(&file.text, d.range.start(), ColumnUnit::Char);
        let flagged = &file.text[d.range.start()..d.range.end()];
        writeln!(
            out,
            "{}:{}:{} {}: {} «{flagged}»",
            d.rel,
            pos.line + 1,
            pos.col + 1,
            d.rule,
            d.message
        )
        .expect("writing to a string");
    }
    out
}

/// The role the dialect gives a path, found by its folders' names.
fn role_of(rel: &str) -> Option<&'static str> {
    super::classify(rel, &crate::analysis::dialect::PathParts::of(rel))
}

fn check(fixture: &str, expect: Expect) {
    let ws = fixture::workspace(fixture).workspace;
    expect.assert_eq(&render(&ws, &check_workspace(&ws)));
}

/// A task file's text: front matter with `id`, `title` and `status`, the
/// `extra` keys, and `body` after it.
fn task(id: &str, status: &str, extra: &str, body: &str) -> String {
    format!("---\nid: {id}\ntitle: Step {id}\nstatus: {status}\n{extra}---\n\n{body}")
}

/// A backlog of open task files, `backlog/tasks/<id> - Step.md`, each with
/// its `extra` front-matter keys.
fn open_tasks(tasks: &[(&str, &str)]) -> String {
    tasks
        .iter()
        .map(|(id, extra)| {
            format!(
                "//- backlog/tasks/{id} - Step.md\n{}",
                task(id, "To Do", extra, "")
            )
        })
        .collect()
}

/// A criteria block as Backlog.md writes it.
fn criteria(lines: &[&str]) -> String {
    let mut out = String::from("## Acceptance Criteria\n<!-- AC:BEGIN -->\n");
    for (i, line) in lines.iter().enumerate() {
        writeln!(out, "- {} #{} {}", &line[..3], i + 1, &line[4..]).expect("writing to a string");
    }
    out.push_str("<!-- AC:END -->\n");
    out
}

const CONFIG: &str = "project_name: \"Shop\"\ndefault_status: \"To Do\"\nstatuses: [\"To Do\", \"In Progress\", \"Review\", \"Done\"]\nlabels: []\n";

#[test]
fn a_tidy_backlog_has_no_findings() {
    let fixture = format!(
        "//- backlog/config.yml\n{CONFIG}\
         //- backlog/tasks/task-1 - Sign-in.md\n{}\
         //- backlog/tasks/task-1.1 - Sign-in-form.md\n{}\
         //- backlog/tasks/task-2 - Sign-out.md\n{}\
         //- backlog/completed/task-3 - Accounts.md\n{}\
         //- backlog/drafts/draft-1 - Passkeys.md\n{}\
         //- backlog/archive/tasks/task-4 - Old-idea.md\n# task-4 - Old idea\n\nNo front matter: written before Backlog.md had it.\n\
         //- backlog/decisions/decision-1 - Use-sessions.md\n---\nid: decision-1\ntitle: Use sessions\ndate: '2025-06-01'\nstatus: accepted\n---\n\n## Context\n\
         //- backlog/docs/guide.md\n# Guide\n\nNot a Backlog.md document: no `doc-` prefix.\n",
        task(
            "task-1",
            "In Progress",
            "assignee:\n  - '@alice'\nlabels: [auth]\ndependencies:\n  - task-3\n",
            &criteria(&["[x] A clerk signs in with email and password", "[ ] A wrong password shows an error"]),
        ),
        // A sub-task listing its parent among its dependencies, an
        // unquoted `@` handle as Backlog.md allows, and a zero-padded ID.
        task(
            "TASK-001.1",
            "Review",
            "assignee: @bob\nparent_task_id: task-1\ndependencies: [task-1, TASK-3]\n",
            "## Description\n\n<!-- SECTION:DESCRIPTION:BEGIN -->\nThe form.\n<!-- SECTION:DESCRIPTION:END -->\n",
        ),
        task("task-2", "todo", "dependencies: []\n", ""),
        task("task-3", "Done", "", &criteria(&["[x] An account has an email"])),
        task("draft-1", "Draft", "", "Maybe later.\n"),
    );
    check(&fixture, expect![[""]]);
    let ws = fixture::workspace(&fixture).workspace;
    let items: Vec<String> = ws
        .items()
        .map(|(file, item)| {
            let deps: Vec<&str> = item.deps.iter().filter_map(|d| d.target.as_id()).collect();
            format!(
                "{} {:?} {:?} parent={:?} deps={deps:?} criteria={}/{} ({})",
                item.id,
                item.status.as_ref().map(|(s, _)| s),
                item.progress,
                item.parent,
                item.criteria_done(),
                item.criteria.len(),
                file.rel
            )
        })
        .collect();
    expect![[r#"
        [
            "task-3 Some(\"Done\") Some(Done) parent=None deps=[] criteria=1/1 (backlog/completed/task-3 - Accounts.md)",
            "draft-1 Some(\"Draft\") Some(NotStarted) parent=None deps=[] criteria=0/0 (backlog/drafts/draft-1 - Passkeys.md)",
            "task-1 Some(\"In Progress\") Some(InProgress) parent=None deps=[\"task-3\"] criteria=1/2 (backlog/tasks/task-1 - Sign-in.md)",
            "task-1.1 Some(\"Review\") Some(InProgress) parent=Some(\"task-1\") deps=[\"task-3\"] criteria=0/0 (backlog/tasks/task-1.1 - Sign-in-form.md)",
            "task-2 Some(\"todo\") Some(NotStarted) parent=None deps=[] criteria=0/0 (backlog/tasks/task-2 - Sign-out.md)",
        ]
    "#]]
    .assert_debug_eq(&items);
}

#[test]
fn front_matter_that_is_not_yaml_is_reported_at_its_line() {
    let broken = "---\nid: task-2\ntitle: Fix: the login\nstatus: To Do\n---\n\nBody.\n";
    let quoted =
        "---\nid: task-3\ntitle: \"Fix: the logout\"\nstatus: To Do\ndependencies: [task-2]\n---\n";
    let config = "statuses: [To Do, Done\n";
    check(
        &format!(
            "//- backlog/config.yml\n{config}\
             //- backlog/tasks/task-2 - Fix-the-login.md\n{broken}\
             //- backlog/tasks/task-3 - Fix-the-logout.md\n{quoted}\
             //- backlog/archive/tasks/task-9 - Old.md\n---\nid: task-9\n  title: x\n---\n"
        ),
        expect![[r#"
            backlog/archive/tasks/task-9 - Old.md:3:3 backlog-invalid-yaml: the front matter is not valid YAML at line 3: mapping values are not allowed in this context (a value holding `: ` must be quoted, as in `title: "Fix: the login"`); Backlog.md skips this file «title: x»
            backlog/config.yml:1:1 backlog-invalid-yaml: `config.yml` is not valid YAML at line 1: while parsing a flow sequence, expected ',' or ']' «statuses: [To Do, Done»
            backlog/tasks/task-2 - Fix-the-login.md:3:1 backlog-invalid-yaml: the front matter is not valid YAML at line 3: mapping values are not allowed in this context (a value holding `: ` must be quoted, as in `title: "Fix: the login"`); Backlog.md skips this file «title: Fix: the login»
        "#]],
    );
}

/// Backlog.md ends the front matter at the first line that starts with
/// `---`, whatever follows the dashes, and reads the body from just after
/// them: a `---## Description` line closes the block and opens the first
/// section, and a later `---` rule is body text, not the closing fence.
#[test]
fn a_fence_with_a_heading_after_its_dashes_closes_the_front_matter() {
    let text = "---\nid: task-46\ntitle: Rent\nstatus: Done\nordinal: 1000\n---## Description\n\n<!-- SECTION:DESCRIPTION:BEGIN -->\nPay the rent.\n<!-- SECTION:DESCRIPTION:END -->\n\n---\n\n## Notes\n\nPaid.\n";
    let fixture = format!("//- backlog/tasks/task-46 - Rent.md\n{text}");
    check(&fixture, expect![[r#""#]]);
    let ws = fixture::workspace(&fixture).workspace;
    let file = ws
        .file("backlog/tasks/task-46 - Rent.md")
        .expect("the task");
    let item = &file.facts.items[0];
    let sections: Vec<(u8, &str)> = item
        .sections
        .iter()
        .map(|s| (s.level, s.title(&file.text)))
        .collect();
    let status = item.status.as_ref().map(|(s, r)| (s.to_string(), r));
    expect![[r#"(Some(("Done", 36..40)), [(2, "Description"), (2, "Notes")])"#]]
        .assert_eq(&format!("{:?}", (status, sections)));
}

#[test]
fn an_unquoted_colon_is_fixed_by_quoting_the_value() {
    let ws = fixture::workspace(
        "//- backlog/tasks/task-2 - Fix.md\n---\nid: task-2\ntitle: Fix: the \"login\"\nstatus: To Do\n---\n",
    )
    .workspace;
    let ctx = Context::new(&ws);
    let found = check_workspace(&ws);
    let file = ws.file(&found[0].rel).expect("the file");
    let fixes = for_diagnostic(&ws, &ctx, file, &found[0]);
    let titles: Vec<&str> = fixes.iter().map(|a| a.title.as_str()).collect();
    assert_eq!(titles, [r#"Quote the value: "Fix: the \"login\"""#]);
    let [Change::Edit { edits, .. }] = &fixes[0].changes[..] else {
        panic!("one edit: {:?}", fixes[0].changes);
    };
    let text = crate::analysis::actions::apply::apply_edits(&file.text, edits).expect("applies");
    assert!(
        text.contains("title: \"Fix: the \\\"login\\\"\"\n"),
        "{text}"
    );
    assert!(crate::analysis::dialect::yaml::front_matter(&text)
        .expect("front matter")
        .keys
        .is_ok());
}

#[test]
fn a_task_file_without_front_matter_is_reported_and_still_defines_its_task() {
    check(
        "//- backlog/tasks/task-1 - Sign-in.md\n# task-1 - Sign in\n\nThe clerk signs in.\n\
         //- backlog/tasks/task-2 - Sign-out.md\n---\nid: task-2\ntitle: Sign out\nstatus: To Do\ndependencies: [task-1]\n---\n\
         //- backlog/archive/tasks/task-3 - Old.md\n# task-3 - Old\n",
        expect![[r#"
            backlog/tasks/task-1 - Sign-in.md:1:1 backlog-no-front-matter: this task file has no YAML front matter, so Backlog.md reads no ID, title or status from it: start the file with a `---` block holding `id:`, `title:` and `status:` «# task-1 - Sign in»
        "#]],
    );
}

#[test]
fn two_files_of_one_id_are_a_duplicate_unless_one_is_archived() {
    check(
        &format!(
            "//- backlog/tasks/task-3 - Export.md\n{}//- backlog/completed/task-3 - Import.md\n{}//- backlog/tasks/task-4 - Print.md\n{}//- backlog/archive/tasks/task-4 - Old-print.md\n{}",
            task("task-3", "To Do", "", ""),
            task("TASK-003", "Done", "", ""),
            task("task-4", "To Do", "", ""),
            task("task-4", "Done", "", ""),
        ),
        expect![[r#"
            backlog/completed/task-3 - Import.md:2:5 duplicate-id: task `task-3` is defined 2 times «TASK-003»
            backlog/tasks/task-3 - Export.md:2:5 duplicate-id: task `task-3` is defined 2 times «task-3»
        "#]],
    );
}

#[test]
fn dependencies_are_checked_by_the_generic_rules() {
    check(
        &format!(
            "//- backlog/tasks/task-1 - A.md\n{}//- backlog/tasks/task-2 - B.md\n{}//- backlog/tasks/task-3 - C.md\n{}//- backlog/tasks/task-4 - D.md\n{}//- backlog/completed/task-5 - E.md\n{}",
            task("task-1", "To Do", "dependencies:\n  - task-2\n  - \"TASK-9\"\n", ""),
            task("task-2", "To Do", "dependencies: [task-1]\n", ""),
            task("task-3", "To Do", "dependencies: [task-3, task-5]\n", ""),
            task("task-4", "Done", "dependencies: [task-2]\n", ""),
            task("task-5", "Done", "", ""),
        ),
        expect![[r#"
            backlog/tasks/task-1 - A.md:6:5 dependency-cycle: dependency cycle: task-1 -> task-2 -> task-1 «task-2»
            backlog/tasks/task-1 - A.md:7:5 dangling-dependency: `task-9` names no known task; did you mean `task-3`? «"TASK-9"»
            backlog/tasks/task-2 - B.md:5:16 dependency-cycle: dependency cycle: task-1 -> task-2 -> task-1 «task-1»
            backlog/tasks/task-3 - C.md:5:16 self-dependency: `task-3` depends on itself «task-3»
            backlog/tasks/task-4 - D.md:5:16 done-with-open-dependency: `task-4` is done but its dependency `task-2` is not «task-2»
        "#]],
    );
}

/// Archiving a task in Backlog.md drops the dependencies on it; one left
/// behind (as `task-283` of a real backlog lists its archived `task-281`)
/// is unknown to Backlog.md's readiness check, so the task stays blocked.
/// The finding says the task is archived, with no "did you mean" guess at
/// a near ID, and its one fix removes the dependency.
#[test]
fn a_dependency_on_an_archived_task_says_it_is_archived() {
    let fixture = format!(
        "//- backlog/tasks/task-283 - Post-workflow-hook.md\n{}//- backlog/tasks/task-284 - Docs.md\n{}//- backlog/archive/tasks/task-281 - Archive-script.md\n{}",
        task(
            "task-283",
            "To Do",
            "labels:\n  - infrastructure\ndependencies:\n  - task-281\n  - task-285\npriority: medium\n",
            ""
        ),
        task("task-284", "To Do", "", ""),
        task("task-281", "Done", "", ""),
    );
    check(
        &fixture,
        expect![[r#"
            backlog/tasks/task-283 - Post-workflow-hook.md:8:5 dangling-dependency: `task-281` is archived in `backlog/archive/tasks/`; remove the dependency or restore the task «task-281»
            backlog/tasks/task-283 - Post-workflow-hook.md:9:5 dangling-dependency: `task-285` names no known task; did you mean `task-284`? «task-285»
        "#]],
    );
    let ws = fixture::workspace(&fixture).workspace;
    let file = ws
        .file("backlog/tasks/task-283 - Post-workflow-hook.md")
        .expect("the task");
    assert_eq!(
        super::archived_task(&ws, file, "task-281").map(|retired| retired.rel),
        Some("backlog/archive/tasks/task-281 - Archive-script.md".to_string())
    );
    assert_eq!(super::archived_task(&ws, file, "task-285"), None);
    let ctx = Context::new(&ws);
    let found = check_workspace(&ws);
    let fixes = for_diagnostic(&ws, &ctx, file, &found[0]);
    let titles: Vec<(&str, bool)> = fixes
        .iter()
        .map(|fix| (fix.title.as_str(), fix.is_preferred))
        .collect();
    assert_eq!(titles, [("Remove the dependency on `task-281`", true)]);
    let [Change::Edit { edits, .. }] = &fixes[0].changes[..] else {
        panic!("one edit: {:?}", fixes[0].changes);
    };
    let text = crate::analysis::actions::apply::apply_edits(&file.text, edits).expect("applies");
    assert!(
        text.contains("dependencies:\n  - task-285\npriority: medium\n"),
        "{text}"
    );
}

/// `plan` says a dependency on an archived task is archived, as
/// `dangling-dependency` does, rather than that the task does not exist
/// (as it said of `task-134` of a real backlog, whose `task-133` was
/// archived). The task stays blocked, as Backlog.md's readiness check
/// leaves it; the IDs nothing is known of come first.
#[test]
fn the_plan_says_which_dependencies_are_archived() {
    let fixture = format!(
        "//- backlog/tasks/task-134 - Diagrams.md\n{}//- backlog/tasks/task-283 - Hook.md\n{}//- backlog/archive/tasks/task-133 - Docs.md\n{}//- backlog/archive/tasks/task-281 - Script.md\n{}",
        task("task-134", "To Do", "dependencies:\n  - task-133\n", ""),
        task(
            "task-283",
            "To Do",
            "dependencies:\n  - task-281\n  - task-285\n  - task-133\n",
            ""
        ),
        task("task-133", "Done", "", ""),
        task("task-281", "Done", "", ""),
    );
    let ws = fixture::workspace(&fixture).workspace;
    let plan = crate::analysis::plan::plan(&crate::analysis::graph::Graph::build(&ws));
    let blocked: String = plan
        .blocked
        .iter()
        .map(|b| {
            let by = crate::analysis::intern::join(&b.blocked_by, ", ");
            format!("{} by [{by}]: {}\n", b.id, b.reason)
        })
        .collect();
    expect![[r#"
        task-134 by [task-133]: depends on task-133, which is archived
        task-283 by [task-285, task-281, task-133]: depends on task-285, which does not exist, and task-281, task-133, which are archived
    "#]]
    .assert_eq(&blocked);
    assert!(plan.waves.is_empty());
}

/// Each blocked item of the workspace's plan and why, one per line.
fn blocked_reasons(ws: &Workspace) -> String {
    let plan = crate::analysis::plan::plan(&crate::analysis::graph::Graph::build(ws));
    plan.blocked
        .iter()
        .map(|b| format!("{}: {}\n", b.id, b.reason))
        .collect()
}

/// A draft is an idea until it is promoted: the plan holds it back, and
/// what depends on it, instead of offering it as ready work. A done draft
/// holds nothing back.
#[test]
fn the_plan_holds_drafts_back() {
    let fixture = format!(
        "//- backlog/tasks/task-1 - Export.md\n{}//- backlog/tasks/task-2 - Import.md\n{}//- backlog/drafts/draft-1 - Sync.md\n{}//- backlog/drafts/draft-2 - Old.md\n{}",
        task("task-1", "To Do", "dependencies: [draft-1]\n", ""),
        task("task-2", "To Do", "dependencies: [draft-2]\n", ""),
        task("draft-1", "To Do", "", ""),
        task("draft-2", "Done", "", ""),
    );
    let ws = fixture::workspace(&fixture).workspace;
    let blocked = blocked_reasons(&ws);
    expect![[r#"
        draft-1: is a draft: promote it to a task (`backlog draft promote`) to plan it
        task-1: waits for draft-1, which is held back
    "#]]
    .assert_eq(&blocked);
    let plan = crate::analysis::plan::plan(&crate::analysis::graph::Graph::build(&ws));
    expect![[r#"[["task-2"]]"#]].assert_eq(&format!("{:?}", plan.waves));
}

/// Two tasks given one ID (Backlog.md's `task create` may hand an ID out
/// again): both are reported, and the plan keeps the open one, not the
/// finished one `completed/` sorts before it (rent-loop's RENTL-29).
#[test]
fn a_finished_copy_of_an_id_does_not_hide_the_open_task() {
    let fixture = format!(
        "//- backlog/completed/task-29 - Logout.md\n{}//- backlog/tasks/task-29 - Read flag.md\n{}//- backlog/tasks/task-30 - Badge.md\n{}",
        task("task-29", "Done", "", ""),
        task("task-29", "To Do", "", ""),
        task("task-30", "To Do", "dependencies: [task-29]\n", ""),
    );
    let ws = fixture::workspace(&fixture).workspace;
    let plan = crate::analysis::plan::plan(&crate::analysis::graph::Graph::build(&ws));
    expect![[r#"[["task-29"], ["task-30"]]"#]].assert_eq(&format!("{:?}", plan.waves));
    expect![[r#"
        backlog/completed/task-29 - Logout.md:2:5 duplicate-id: task `task-29` is defined 2 times «task-29»
        backlog/tasks/task-29 - Read flag.md:2:5 duplicate-id: task `task-29` is defined 2 times «task-29»
    "#]]
    .assert_eq(&render(&ws, &check_workspace(&ws)));
}

/// The editor calls an archived dependency archived too: the hover on the
/// task (its dependencies and why it is blocked), the hover on the
/// dependency, which says where the task went, and the inlay hint after it.
#[test]
fn the_editor_says_a_dependency_is_archived() {
    let fixture = format!(
        "//- backlog/tasks/task-134 - Diagrams.md\n{}//- backlog/archive/tasks/task-133 - Docs.md\n{}",
        task(
            "task-134",
            "To Do",
            "dependencies:\n  - task-133\n  - task-135\n",
            ""
        ),
        task("task-133", "Done", "", ""),
    );
    let ws = fixture::workspace(&fixture).workspace;
    let derived = Derived::new(&ws, Arc::new(Context::new(&ws)));
    let rel = "backlog/tasks/task-134 - Diagrams.md";
    let text = &ws.file(rel).expect("the task").text;
    let at = |needle: &str| text.find(needle).expect("in the text") + 2;
    let on_task = hover::hover(&ws, &derived, rel, at("task-134")).expect("a hover");
    let on_dependency = hover::hover(&ws, &derived, rel, at("task-133")).expect("a hover");
    let hints: Vec<String> =
        crate::analysis::features::inlay::inlay_hints(&ws, &derived, rel, None)
            .into_iter()
            .map(|h| h.label)
            .collect();
    expect![[r#"
        **task-134** · Step task-134

        task · Status: To Do

        Depends on: task-133 ⚠ archived, task-135 ⚠ missing

        ⛔ Blocked: depends on task-135, which does not exist, and task-133, which is archived
        ---
        **task-133**

        ⚠ Archived in `backlog/archive/tasks/task-133 - Docs.md`: the plan holds no item of this ID.
        ---
        ["⚠ archived", "⚠ missing"]"#]]
    .assert_eq(&format!(
        "{}\n---\n{}\n---\n{hints:?}",
        on_task.markdown, on_dependency.markdown
    ));
}

#[test]
fn a_status_outside_the_configured_ones_is_reported() {
    let tasks = format!(
        "//- backlog/tasks/task-1 - A.md\n{}//- backlog/tasks/task-2 - B.md\n{}//- backlog/tasks/task-3 - C.md\n{}//- backlog/drafts/draft-1 - D.md\n{}//- backlog/tasks/task-4 - E.md\n{}",
        task("task-1", "Blocked", "", ""),
        task("task-2", "\"in review\"", "", ""),
        task("task-3", "inprogress", "", ""),
        task("draft-1", "Draft", "", ""),
        task("task-4", "Draft", "", ""),
    );
    check(
        &format!(
            "//- backlog/config.yml\n{}{tasks}",
            CONFIG.replace("\"Review\"", "\"In Review\"")
        ),
        expect![[r#"
            backlog/tasks/task-1 - A.md:4:9 backlog-unknown-status: status `Blocked` is not one of the statuses of `config.yml` (`To Do`, `In Progress`, `In Review`, `Done`) «Blocked»
            backlog/tasks/task-4 - E.md:4:9 backlog-unknown-status: status `Draft` is not one of the statuses of `config.yml` (`To Do`, `In Progress`, `In Review`, `Done`) «Draft»
        "#]],
    );
    // Without a config.yml, Backlog.md's own three apply.
    check(
        &tasks,
        expect![[r#"
            backlog/tasks/task-1 - A.md:4:9 backlog-unknown-status: status `Blocked` is not one of Backlog.md's default statuses (`To Do`, `In Progress`, `Done`) «Blocked»
            backlog/tasks/task-2 - B.md:4:10 backlog-unknown-status: status `in review` is not one of Backlog.md's default statuses (`To Do`, `In Progress`, `Done`) «in review»
            backlog/tasks/task-4 - E.md:4:9 backlog-unknown-status: status `Draft` is not one of Backlog.md's default statuses (`To Do`, `In Progress`, `Done`) «Draft»
        "#]],
    );
    // A config.yml that cannot be read is reported alone.
    check(
        &format!("//- backlog/config.yml\nstatuses: [\n{tasks}"),
        expect![[r#"
            backlog/config.yml:1:1 backlog-invalid-yaml: `config.yml` is not valid YAML at line 1: while parsing a node, did not find expected node content «statuses: [»
        "#]],
    );
}

/// Backlog.md (since v1.41) reads the project's `backlog.config.yml`
/// beside the backlog folder in place of the folder's `config.yml` when it
/// sets `project_name`: its statuses are the ones tasks are checked
/// against, and its last status is done.
#[test]
fn the_project_backlog_config_yml_gives_the_statuses() {
    let tasks = format!(
        "//- backlog/tasks/task-1 - A.md\n{}//- backlog/tasks/task-2 - B.md\n{}//- backlog/tasks/task-3 - C.md\n{}",
        task("task-1", "Shipped", "", ""),
        task("task-2", "QA", "dependencies: [task-1]\n", ""),
        task("task-3", "Blocked", "", ""),
    );
    let root = "project_name: \"Demo\"\nbacklog_directory: \"backlog\"\nstatuses: [\"Todo\", \"Doing\", \"QA\", \"Shipped\"]\n";
    let folder = "project_name: \"Demo\"\nstatuses: [\"To Do\", \"Done\"]\n";
    let fixture = format!("//- backlog.config.yml\n{root}//- backlog/config.yml\n{folder}{tasks}");
    check(
        &fixture,
        expect![[r#"
            backlog/tasks/task-3 - C.md:4:9 backlog-unknown-status: status `Blocked` is not one of the statuses of `backlog.config.yml` (`Todo`, `Doing`, `QA`, `Shipped`) «Blocked»
        "#]],
    );
    let ws = fixture::workspace(&fixture).workspace;
    let progress = |id: &str| ws.progress(ws.item(id).expect("the task").1);
    assert_eq!(progress("task-1"), Some(Progress::Done));
    assert_eq!(progress("task-2"), Some(Progress::InProgress));
    // Without `project_name`, Backlog.md ignores the project's file and
    // reads the folder's.
    check(
        &fixture.replace(
            "project_name: \"Demo\"\nbacklog_directory",
            "backlog_directory",
        ),
        expect![[r#"
            backlog/tasks/task-1 - A.md:4:9 backlog-unknown-status: status `Shipped` is not one of the statuses of `config.yml` (`To Do`, `Done`) «Shipped»
            backlog/tasks/task-2 - B.md:4:9 backlog-unknown-status: status `QA` is not one of the statuses of `config.yml` (`To Do`, `Done`) «QA»
            backlog/tasks/task-3 - C.md:4:9 backlog-unknown-status: status `Blocked` is not one of the statuses of `config.yml` (`To Do`, `Done`) «Blocked»
        "#]],
    );
    // A backlog below the workspace root reads the project's file beside
    // it, and only that one.
    check(
        &format!(
            "//- web/backlog.config.yml\n{root}{}//- api/backlog/tasks/task-1 - A.md\n{}",
            tasks.replace("//- backlog/", "//- web/backlog/"),
            task("task-1", "QA", "", ""),
        ),
        expect![[r#"
            api/backlog/tasks/task-1 - A.md:4:9 backlog-unknown-status: status `QA` is not one of Backlog.md's default statuses (`To Do`, `In Progress`, `Done`) «QA»
            web/backlog/tasks/task-3 - C.md:4:9 backlog-unknown-status: status `Blocked` is not one of the statuses of `backlog.config.yml` (`Todo`, `Doing`, `QA`, `Shipped`) «Blocked»
        "#]],
    );
    // The project's file is checked as YAML like `config.yml`.
    check(
        &format!("//- backlog.config.yml\nproject_name: Demo\nstatuses: [\n{tasks}"),
        expect![[r#"
            backlog.config.yml:2:1 backlog-invalid-yaml: `backlog.config.yml` is not valid YAML at line 2: while parsing a node, did not find expected node content «statuses: [»
        "#]],
    );
}

/// A `backlog_directory` naming another folder than `backlog/` or
/// `.backlog/` is read as the backlog, whether the `backlog.config.yml`
/// naming it sits at the workspace root or below it (the loader reads the
/// files, see the next tests), so it is no finding. Only a workspace whose
/// configuration was not read again since the file named the folder
/// reports it (see the last part).
#[test]
fn a_backlog_directory_planmark_reads_is_no_finding() {
    let config = |at: &str, directory: &str| {
        format!(
            "//- {at}backlog.config.yml\nproject_name: \"Demo\"\nbacklog_directory: {directory}\n//- {at}planning/tasks/task-2 - B.md\n{}",
            task("task-2", "To Do", "", "")
        )
    };
    let mut got = String::new();
    for at in ["", "web/"] {
        for directory in [
            "\"planning\"",
            "docs/backlog/",
            "backlog",
            "'.backlog'",
            "../elsewhere",
            "",
        ] {
            let ws = fixture::workspace(&config(at, directory)).workspace;
            writeln!(
                got,
                "{at}{directory}:\n{}",
                render(&ws, &check_workspace(&ws))
            )
            .expect("writing to a string");
        }
    }
    expect![[r#"
        "planning":

        docs/backlog/:

        backlog:

        '.backlog':

        ../elsewhere:

        :

        web/"planning":

        web/docs/backlog/:

        web/backlog:

        web/'.backlog':

        web/../elsewhere:

        web/:

    "#]]
    .assert_eq(&got);

    // A workspace whose configuration does not know the folder yet (the
    // language server reads it again when the file is saved).
    let mut ws = fixture::workspace(&config("web/", "planning")).workspace;
    ws.set_config(crate::analysis::config::Config::default(), Vec::new());
    expect![[r#"
        web/backlog.config.yml:2:20 backlog-custom-directory: Backlog.md keeps this project's backlog in `web/planning/`, which planmark has not read: it reads the folder that a `backlog.config.yml` names when it reads the workspace, so save the file (the language server then reads the folder), or run `planmark check` again «planning»
    "#]].assert_eq(&render(&ws, &check_workspace(&ws)));
}

/// A `backlog.config.yml` below the workspace root (a project of its own,
/// `apps/web/`) that names a folder of another name than `backlog/` has
/// that folder read as the project's backlog, as the root's file has: its
/// tasks are defined under the project's scope and checked against the
/// file's statuses, and a dependency on a task of another project is
/// dangling.
#[test]
fn a_backlog_directory_below_the_root_is_read_for_its_project() {
    let fixture = format!(
        "//- apps/web/backlog.config.yml\nproject_name: Web\nbacklog_directory: planning\nstatuses: [Todo, Shipped]\n//- apps/web/planning/tasks/task-1 - A.md\n{}//- apps/web/planning/tasks/task-2 - B.md\n{}//- backlog/tasks/task-3 - C.md\n{}",
        task("task-1", "Shipped", "", ""),
        task("task-2", "Done", "dependencies: [task-1, task-3]\n", ""),
        task("task-3", "To Do", "", ""),
    );
    check(
        &fixture,
        expect![[r#"
            apps/web/planning/tasks/task-2 - B.md:4:9 backlog-unknown-status: status `Done` is not one of the statuses of `backlog.config.yml` (`Todo`, `Shipped`) «Done»
            apps/web/planning/tasks/task-2 - B.md:5:24 dangling-dependency: `task-3` names no known task of `apps/web`; did you mean `task-1`? «task-3»
        "#]],
    );
    let ws = fixture::workspace(&fixture).workspace;
    let progress = |id: &str| ws.progress(ws.item(id).expect("the task").1);
    assert_eq!(progress("apps/web/task-1"), Some(Progress::Done));
    assert!(ws.item("apps/web/task-2").is_some());
    assert!(ws.item("task-3").is_some());
}

/// Backlog.md reads one backlog folder per project: the one its
/// `backlog.config.yml` names, else the one of `backlog/` and `.backlog/`
/// that holds a `config.yml` (`backlog/` first), else `backlog/`. The
/// other one's files define no task (so the same tasks in both folders
/// are no duplicates) and each is reported, naming the folder read.
#[test]
fn only_one_of_backlog_and_dot_backlog_is_read() {
    let both = |at: &str, configs: &str| {
        let mut out = String::from(configs);
        for folder in ["backlog", ".backlog"] {
            write!(
                out,
                "//- {at}{folder}/tasks/task-1 - A.md\n{}",
                task("task-1", "To Do", "dependencies: [task-2]\n", "")
            )
            .expect("writing to a string");
        }
        write!(
            out,
            "//- {at}.backlog/tasks/task-2 - B.md\n{}",
            task("task-2", "To Do", "", "")
        )
        .expect("writing to a string");
        out
    };
    let mut got = String::new();
    for at in ["", "web/"] {
        for (case, configs) in [
            ("no config", String::new()),
            (
                "config in .backlog",
                format!("//- {at}.backlog/config.yml\nproject_name: Demo\n"),
            ),
            (
                "config in both",
                format!("//- {at}backlog/config.yml\nproject_name: Demo\n//- {at}.backlog/config.yml\nproject_name: Demo\n"),
            ),
            (
                "backlog.config.yml names .backlog",
                format!("//- {at}backlog.config.yml\nproject_name: Demo\nbacklog_directory: .backlog\n"),
            ),
        ] {
            let ws = fixture::workspace(&both(at, &configs)).workspace;
            writeln!(
                got,
                "{at}, {case}:\n{}",
                render(&ws, &check_workspace(&ws))
            )
            .expect("writing to a string");
        }
    }
    expect![[r#"
        , no config:
        .backlog/tasks/task-1 - A.md:1:1 backlog-unread-folder: Backlog.md reads one backlog folder for this project, `backlog/` (Backlog.md prefers `backlog/` when neither folder holds a `config.yml`), so it reads neither `.backlog/` nor this file: what it holds is on no board and defines nothing; move it to `backlog/`, or remove `.backlog/` «---»
        .backlog/tasks/task-2 - B.md:1:1 backlog-unread-folder: Backlog.md reads one backlog folder for this project, `backlog/` (Backlog.md prefers `backlog/` when neither folder holds a `config.yml`), so it reads neither `.backlog/` nor this file: what it holds is on no board and defines nothing; move it to `backlog/`, or remove `.backlog/` «---»
        backlog/tasks/task-1 - A.md:5:16 dangling-dependency: `task-2` names no known task; did you mean `task-1`? (it would close a dependency cycle) «task-2»

        , config in .backlog:
        backlog/tasks/task-1 - A.md:1:1 backlog-unread-folder: Backlog.md reads one backlog folder for this project, `.backlog/` (it holds the project's `config.yml`), so it reads neither `backlog/` nor this file: what it holds is on no board and defines nothing; move it to `.backlog/`, or remove `backlog/` «---»

        , config in both:
        .backlog/config.yml:1:1 backlog-unread-folder: Backlog.md reads one backlog folder for this project, `backlog/` (it holds the project's `config.yml`), so it reads neither `.backlog/` nor this file: what it holds is on no board and defines nothing; move it to `backlog/`, or remove `.backlog/` «project_name: Demo»
        .backlog/tasks/task-1 - A.md:1:1 backlog-unread-folder: Backlog.md reads one backlog folder for this project, `backlog/` (it holds the project's `config.yml`), so it reads neither `.backlog/` nor this file: what it holds is on no board and defines nothing; move it to `backlog/`, or remove `.backlog/` «---»
        .backlog/tasks/task-2 - B.md:1:1 backlog-unread-folder: Backlog.md reads one backlog folder for this project, `backlog/` (it holds the project's `config.yml`), so it reads neither `.backlog/` nor this file: what it holds is on no board and defines nothing; move it to `backlog/`, or remove `.backlog/` «---»
        backlog/tasks/task-1 - A.md:5:16 dangling-dependency: `task-2` names no known task; did you mean `task-1`? (it would close a dependency cycle) «task-2»

        , backlog.config.yml names .backlog:
        backlog/tasks/task-1 - A.md:1:1 backlog-unread-folder: Backlog.md reads one backlog folder for this project, `.backlog/` (`backlog.config.yml` names it), so it reads neither `backlog/` nor this file: what it holds is on no board and defines nothing; move it to `.backlog/`, or remove `backlog/` «---»

        web/, no config:
        web/.backlog/tasks/task-1 - A.md:1:1 backlog-unread-folder: Backlog.md reads one backlog folder for this project, `web/backlog/` (Backlog.md prefers `backlog/` when neither folder holds a `config.yml`), so it reads neither `web/.backlog/` nor this file: what it holds is on no board and defines nothing; move it to `web/backlog/`, or remove `web/.backlog/` «---»
        web/.backlog/tasks/task-2 - B.md:1:1 backlog-unread-folder: Backlog.md reads one backlog folder for this project, `web/backlog/` (Backlog.md prefers `backlog/` when neither folder holds a `config.yml`), so it reads neither `web/.backlog/` nor this file: what it holds is on no board and defines nothing; move it to `web/backlog/`, or remove `web/.backlog/` «---»
        web/backlog/tasks/task-1 - A.md:5:16 dangling-dependency: `task-2` names no known task of `web`; did you mean `task-1`? (it would close a dependency cycle) «task-2»

        web/, config in .backlog:
        web/backlog/tasks/task-1 - A.md:1:1 backlog-unread-folder: Backlog.md reads one backlog folder for this project, `web/.backlog/` (it holds the project's `config.yml`), so it reads neither `web/backlog/` nor this file: what it holds is on no board and defines nothing; move it to `web/.backlog/`, or remove `web/backlog/` «---»

        web/, config in both:
        web/.backlog/config.yml:1:1 backlog-unread-folder: Backlog.md reads one backlog folder for this project, `web/backlog/` (it holds the project's `config.yml`), so it reads neither `web/.backlog/` nor this file: what it holds is on no board and defines nothing; move it to `web/backlog/`, or remove `web/.backlog/` «project_name: Demo»
        web/.backlog/tasks/task-1 - A.md:1:1 backlog-unread-folder: Backlog.md reads one backlog folder for this project, `web/backlog/` (it holds the project's `config.yml`), so it reads neither `web/.backlog/` nor this file: what it holds is on no board and defines nothing; move it to `web/backlog/`, or remove `web/.backlog/` «---»
        web/.backlog/tasks/task-2 - B.md:1:1 backlog-unread-folder: Backlog.md reads one backlog folder for this project, `web/backlog/` (it holds the project's `config.yml`), so it reads neither `web/.backlog/` nor this file: what it holds is on no board and defines nothing; move it to `web/backlog/`, or remove `web/.backlog/` «---»
        web/backlog/tasks/task-1 - A.md:5:16 dangling-dependency: `task-2` names no known task of `web`; did you mean `task-1`? (it would close a dependency cycle) «task-2»

        web/, backlog.config.yml names .backlog:
        web/backlog/tasks/task-1 - A.md:1:1 backlog-unread-folder: Backlog.md reads one backlog folder for this project, `web/.backlog/` (`web/backlog.config.yml` names it), so it reads neither `web/backlog/` nor this file: what it holds is on no board and defines nothing; move it to `web/.backlog/`, or remove `web/backlog/` «---»

    "#]].assert_eq(&got);
}

/// The backlog folder that the root's `backlog.config.yml` names
/// (`backlog_directory: planning`, as `backlog init --backlog-dir` writes
/// it) holds the backlog: its tasks, drafts and completed tasks are read
/// and checked against the file's statuses, as in `backlog/`. A folder of
/// that name that the file does not name is not a backlog, and a path
/// that fits a backlog's layout twice (`planning/tasks/tasks/…` for
/// `backlog_directory: planning/tasks`) takes the folder the file names.
#[test]
fn the_backlog_directory_of_the_root_config_is_read_as_the_backlog() {
    let root = "project_name: \"Demo\"\nbacklog_directory: planning\nstatuses: [\"Todo\", \"Building\", \"Shipped\"]\n";
    let fixture = format!(
        "//- backlog.config.yml\n{root}//- planning/tasks/task-1 - A.md\n{}//- planning/completed/task-2 - B.md\n{}//- planning/drafts/draft-1 - C.md\n{}//- elsewhere/tasks/task-9 - D.md\n{}",
        task("task-1", "Building", "dependencies: [task-2, task-9]\n", ""),
        task("task-2", "Done", "", ""),
        task("draft-1", "Todo", "", ""),
        task("task-9", "Todo", "", ""),
    );
    check(
        &fixture,
        expect![[r#"
            planning/completed/task-2 - B.md:4:9 backlog-unknown-status: status `Done` is not one of the statuses of `backlog.config.yml` (`Todo`, `Building`, `Shipped`) «Done»
            planning/tasks/task-1 - A.md:5:24 dangling-dependency: `task-9` names no known task; did you mean `task-2`? «task-9»
        "#]],
    );
    let ws = fixture::workspace(&fixture).workspace;
    let progress = |id: &str| ws.progress(ws.item(id).expect("the task").1);
    assert_eq!(progress("task-1"), Some(Progress::InProgress));
    assert_eq!(progress("task-2"), Some(Progress::Done));
    assert!(ws.item("draft-1").is_some());
    assert!(ws.item("task-9").is_none());

    let nested = format!(
        "//- backlog.config.yml\nproject_name: \"Demo\"\nbacklog_directory: plan/tasks\n//- plan/tasks/tasks/task-1 - A.md\n{}",
        task("task-1", "Shipped", "", ""),
    );
    let ws = fixture::workspace(&nested).workspace;
    let (file, item) = ws.item("plan/task-1").expect("a task of `plan/tasks/`");
    assert_eq!(&*file.rel, "plan/tasks/tasks/task-1 - A.md");
    assert_eq!(ws.progress(item), Some(Progress::Done));
    expect![[r#"
        plan/tasks/tasks/task-1 - A.md:4:9 backlog-unknown-status: status `Shipped` is not one of Backlog.md's default statuses (`To Do`, `In Progress`, `Done`) «Shipped»
    "#]].assert_eq(&render(&ws, &check_workspace(&ws)));
}

/// A `backlog_directory` naming a `backlog/` folder below the project
/// (`docs/backlog`) is the backlog the file configures: its tasks are
/// checked against the file's statuses, and the setting is no finding. A
/// backlog folder of that name that the setting does not name keeps its
/// own settings.
#[test]
fn a_backlog_folder_below_the_project_takes_the_project_s_config() {
    let root = "project_name: \"Demo\"\nbacklog_directory: docs/backlog\nstatuses: [\"Todo\", \"Shipped\"]\n";
    let fixture = format!(
        "//- backlog.config.yml\n{root}//- docs/backlog/tasks/task-1 - A.md\n{}//- docs/backlog/tasks/task-2 - B.md\n{}//- tools/backlog/tasks/task-1 - A.md\n{}",
        task("task-1", "Shipped", "", ""),
        task("task-2", "Blocked", "dependencies: [task-1]\n", ""),
        task("task-1", "Shipped", "", ""),
    );
    check(
        &fixture,
        expect![[r#"
            docs/backlog/tasks/task-2 - B.md:4:9 backlog-unknown-status: status `Blocked` is not one of the statuses of `backlog.config.yml` (`Todo`, `Shipped`) «Blocked»
            tools/backlog/tasks/task-1 - A.md:4:9 backlog-unknown-status: status `Shipped` is not one of Backlog.md's default statuses (`To Do`, `In Progress`, `Done`) «Shipped»
        "#]],
    );
    let ws = fixture::workspace(&fixture).workspace;
    let progress = |id: &str| ws.progress(ws.item(id).expect("the task").1);
    assert_eq!(progress("docs/task-1"), Some(Progress::Done));
}

/// A list key written as one value (`statuses: To Do, Done`) makes
/// Backlog.md refuse to start: it is reported, at the value, with a fix
/// that writes the list, instead of silently checking no status. A
/// `config.yml` that the project's `backlog.config.yml` replaces is not
/// read by Backlog.md, so it is not reported.
#[test]
fn a_config_list_written_as_one_value_is_reported() {
    let config = "project_name: Shop\nstatuses: To Do, In Progress, Done\nlabels: bug\ntypes:\n  bug: yes\npriorities: [high, low]\ndefault_assignee: '@alice'\n";
    // An alias may name a list: Backlog.md resolves it, so it is no
    // finding; a flow mapping still is one.
    check(
        &format!(
            "//- backlog/config.yml\nbase: &statuses [\"To Do\", \"Done\"]\nstatuses: *statuses\nlabels: {{bug: yes}}\n{}",
            "//- backlog/tasks/task-1 - A.md\n---\nid: task-1\n---\n"
        ),
        expect![[r#"
            backlog/config.yml:3:1 backlog-config-not-a-list: `labels` holds a mapping, not a list: Backlog.md refuses to start with this `config.yml`; write it as a list, as in `labels: [a, b]` «labels»
        "#]],
    );
    let tasks = format!(
        "//- backlog/tasks/task-1 - A.md\n{}",
        task("task-1", "Doing", "", "")
    );
    let fixture = format!("//- backlog/config.yml\n{config}{tasks}");
    check(
        &fixture,
        expect![[r#"
            backlog/config.yml:2:11 backlog-config-not-a-list: `statuses` holds a single value, not a list: Backlog.md refuses to start with this `config.yml`, and planmark checks no task's status; write it as a list, as in `statuses: ["To Do", "In Progress", "Done"]` «To Do, In Progress, Done»
            backlog/config.yml:3:9 backlog-config-not-a-list: `labels` holds a single value, not a list: Backlog.md refuses to start with this `config.yml`; write it as a list, as in `labels: ["bug"]` «bug»
            backlog/config.yml:4:1 backlog-config-not-a-list: `types` holds a mapping, not a list: Backlog.md refuses to start with this `config.yml`; write it as a list, as in `types: [a, b]` «types»
        "#]],
    );
    let ws = fixture::workspace(&fixture).workspace;
    let ctx = Context::new(&ws);
    let found = check_workspace(&ws);
    let file = ws.file(&found[0].rel).expect("the file");
    let fixes: Vec<String> = for_diagnostic(&ws, &ctx, file, &found[0])
        .iter()
        .map(|a| a.title.clone())
        .collect();
    expect![[r#"
        [
            "Write as a list: [\"To Do\", \"In Progress\", \"Done\"]",
        ]
    "#]]
    .assert_debug_eq(&fixes);
    // Read from the project's file instead, the folder's is left alone.
    check(
        &format!("//- backlog.config.yml\n{config}{fixture}"),
        expect![[r#"
            backlog.config.yml:2:11 backlog-config-not-a-list: `statuses` holds a single value, not a list: Backlog.md refuses to start with this `backlog.config.yml`, and planmark checks no task's status; write it as a list, as in `statuses: ["To Do", "In Progress", "Done"]` «To Do, In Progress, Done»
            backlog.config.yml:3:9 backlog-config-not-a-list: `labels` holds a single value, not a list: Backlog.md refuses to start with this `backlog.config.yml`; write it as a list, as in `labels: ["bug"]` «bug»
            backlog.config.yml:4:1 backlog-config-not-a-list: `types` holds a mapping, not a list: Backlog.md refuses to start with this `backlog.config.yml`; write it as a list, as in `types: [a, b]` «types»
        "#]],
    );
}

/// Backlog.md lists only the `<task_prefix>-*.md` files of `tasks/` and
/// `completed/`: a task file left with another prefix after the prefix
/// changed is reported. Drafts are always `draft-`, and a backlog
/// without a config file is not set up, so neither is judged.
#[test]
fn a_task_file_without_the_configured_prefix_is_reported() {
    let fixture = |config: &str| {
        format!(
            "{config}//- backlog/tasks/back-1 - A.md\n{}//- backlog/tasks/task-3 - Legacy.md\n{}//- backlog/completed/TASK-2 - Old.md\n{}//- backlog/tasks/backlog-4.md\n{}//- backlog/drafts/draft-1 - Idea.md\n{}",
            task("BACK-1", "To Do", "dependencies: [TASK-3]\n", ""),
            task("TASK-3", "To Do", "", ""),
            task("TASK-2", "Done", "", ""),
            "No front matter.\n",
            task("draft-1", "Draft", "", ""),
        )
    };
    check(
        &fixture("//- backlog/config.yml\nproject_name: Demo\ntask_prefix: \"back\"\n"),
        expect![[r#"
            backlog/completed/TASK-2 - Old.md:2:5 backlog-other-prefix: Backlog.md lists only the `back-*.md` files of `backlog/completed/` (the task prefix of `config.yml`), so it does not see this task: it is on no board or list, and it keeps the tasks that depend on it blocked; rename the file and its `id:` to the `back-` prefix «TASK-2»
            backlog/tasks/back-1 - A.md:5:16 dangling-dependency: `TASK-3` is `backlog/tasks/task-3 - Legacy.md`, which Backlog.md does not list (its name lacks the `back-` prefix), so it finds no such task and keeps this one blocked; rename that file and its `id:` to the `back-` prefix «TASK-3»
            backlog/tasks/backlog-4.md:1:1 backlog-no-front-matter: this task file has no YAML front matter, so Backlog.md reads no ID, title or status from it: start the file with a `---` block holding `id:`, `title:` and `status:` «No front matter.»
            backlog/tasks/backlog-4.md:1:1 backlog-other-prefix: Backlog.md lists only the `back-*.md` files of `backlog/tasks/` (the task prefix of `config.yml`), so it does not see this task: it is on no board or list, and it keeps the tasks that depend on it blocked; rename the file and its `id:` to the `back-` prefix «No front matter.»
            backlog/tasks/task-3 - Legacy.md:2:5 backlog-other-prefix: Backlog.md lists only the `back-*.md` files of `backlog/tasks/` (the task prefix of `config.yml`), so it does not see this task: it is on no board or list, and it keeps the tasks that depend on it blocked; rename the file and its `id:` to the `back-` prefix «TASK-3»
        "#]],
    );
    // Without `task_prefix`, the prefix is `task`.
    check(
        &fixture("//- backlog/config.yml\nproject_name: Demo\n"),
        expect![[r#"
            backlog/tasks/back-1 - A.md:2:5 backlog-other-prefix: Backlog.md lists only the `task-*.md` files of `backlog/tasks/` (the task prefix of `config.yml`), so it does not see this task: it is on no board or list, and it keeps the tasks that depend on it blocked; rename the file and its `id:` to the `task-` prefix «BACK-1»
            backlog/tasks/backlog-4.md:1:1 backlog-no-front-matter: this task file has no YAML front matter, so Backlog.md reads no ID, title or status from it: start the file with a `---` block holding `id:`, `title:` and `status:` «No front matter.»
            backlog/tasks/backlog-4.md:1:1 backlog-other-prefix: Backlog.md lists only the `task-*.md` files of `backlog/tasks/` (the task prefix of `config.yml`), so it does not see this task: it is on no board or list, and it keeps the tasks that depend on it blocked; rename the file and its `id:` to the `task-` prefix «No front matter.»
        "#]],
    );
    check(
        &fixture(""),
        expect![[r#"
        backlog/tasks/backlog-4.md:1:1 backlog-no-front-matter: this task file has no YAML front matter, so Backlog.md reads no ID, title or status from it: start the file with a `---` block holding `id:`, `title:` and `status:` «No front matter.»
    "#]],
    );
}

/// Backlog.md lists only `<prefix>-*.md`, so a dependency on a task file
/// left with another prefix finds nothing and the task stays blocked: it
/// dangles, though planmark reads the file. A done task waits for nothing.
#[test]
fn a_dependency_on_a_task_backlog_md_does_not_list_dangles() {
    check(
        &format!(
            "//- backlog/config.yml\nproject_name: Demo\ntask_prefix: back\n//- backlog/tasks/back-4 - Gamma.md\n{}//- backlog/tasks/back-5 - Delta.md\n{}//- backlog/completed/back-6 - Old.md\n{}//- backlog/tasks/task-3 - Legacy.md\n{}//- backlog/tasks/back-1 - Alpha.md\n{}",
            task("BACK-4", "To Do", "dependencies: [TASK-3, back-1]\n", ""),
            task("BACK-5", "Done", "dependencies: [TASK-3]\n", ""),
            task("BACK-6", "In Progress", "dependencies: [TASK-3]\n", ""),
            task("TASK-3", "To Do", "", ""),
            task("BACK-1", "To Do", "", ""),
        ),
        expect![[r#"
            backlog/completed/back-6 - Old.md:5:16 done-with-open-dependency: `back-6` is done but its dependency `task-3` is not «TASK-3»
            backlog/tasks/back-4 - Gamma.md:5:16 dangling-dependency: `TASK-3` is `backlog/tasks/task-3 - Legacy.md`, which Backlog.md does not list (its name lacks the `back-` prefix), so it finds no such task and keeps this one blocked; rename that file and its `id:` to the `back-` prefix «TASK-3»
            backlog/tasks/back-5 - Delta.md:5:16 done-with-open-dependency: `back-5` is done but its dependency `task-3` is not «TASK-3»
            backlog/tasks/task-3 - Legacy.md:2:5 backlog-other-prefix: Backlog.md lists only the `back-*.md` files of `backlog/tasks/` (the task prefix of `config.yml`), so it does not see this task: it is on no board or list, and it keeps the tasks that depend on it blocked; rename the file and its `id:` to the `back-` prefix «TASK-3»
        "#]],
    );
}

/// Backlog.md reads `dependencies:` only as a list (`Array.isArray` in its
/// parser): a single value or a mapping is ignored, so the task depends on
/// nothing, and planmark says so where it would have been read in silence.
#[test]
fn dependencies_that_are_not_a_list_are_reported() {
    let fixture = format!(
        "//- backlog/tasks/task-1 - A.md\n{}//- backlog/tasks/task-2 - B.md\n{}//- backlog/tasks/task-3 - C.md\n{}//- backlog/tasks/task-4 - D.md\n{}",
        task("task-1", "To Do", "dependencies: task-98\n", ""),
        task("task-2", "To Do", "dependencies: {task-1: yes}\n", ""),
        task("task-3", "To Do", "dependencies:\n", ""),
        task("task-4", "To Do", "dependencies: [task-1]\n", ""),
    );
    check(
        &fixture,
        expect![[r#"
        backlog/tasks/task-1 - A.md:5:15 backlog-dependencies-not-a-list: Backlog.md reads `dependencies:` only as a list, so it ignores `task-98` and this task depends on nothing; write a list, as in `dependencies: [task-98]` «task-98»
        backlog/tasks/task-2 - B.md:5:1 backlog-dependencies-not-a-list: Backlog.md reads `dependencies:` only as a list, so it ignores a mapping and this task depends on nothing; write a list, as in `dependencies: [task-1, task-2]` «dependencies»
    "#]],
    );
    let ws = fixture::workspace(&fixture).workspace;
    let ctx = Context::new(&ws);
    let found = check_workspace(&ws);
    let file = ws.file(&found[0].rel).expect("the file");
    let fixes: Vec<String> = for_diagnostic(&ws, &ctx, file, &found[0])
        .iter()
        .map(|a| a.title.clone())
        .collect();
    expect![[r#"
        [
            "Write as a list: [task-98]",
        ]
    "#]]
    .assert_debug_eq(&fixes);
    // As Backlog.md, the plan reads no dependency there: task-1 is ready.
    let plan = crate::analysis::plan::plan(&crate::analysis::graph::Graph::build(&ws));
    expect![[r#"[["task-1", "task-2", "task-3"], ["task-4"]]"#]]
        .assert_eq(&format!("{:?}", plan.waves));
}

#[test]
fn the_fixes_of_an_unknown_status_offer_the_nearest_first() {
    let ws = fixture::workspace(&format!(
        "//- backlog/config.yml\n{CONFIG}//- backlog/tasks/task-1 - A.md\n{}",
        task("task-1", "Reveiw", "", "")
    ))
    .workspace;
    let ctx = Context::new(&ws);
    let found = check_workspace(&ws);
    let file = ws.file(&found[0].rel).expect("the file");
    let titles: Vec<String> = for_diagnostic(&ws, &ctx, file, &found[0])
        .iter()
        .map(|a| {
            format!(
                "{}{}",
                a.title,
                if a.is_preferred { " (preferred)" } else { "" }
            )
        })
        .collect();
    expect![[r#"
        [
            "Change the status to `Review` (preferred)",
            "Change the status to `To Do`",
            "Change the status to `In Progress`",
            "Change the status to `Done`",
        ]
    "#]]
    .assert_debug_eq(&titles);
}

#[test]
fn a_parent_that_no_task_defines_is_reported_unless_it_was_archived() {
    check(
        &format!(
            "//- backlog/tasks/task-1.1 - A.md\n{}//- backlog/tasks/task-2.1 - B.md\n{}//- backlog/completed/task-3.1 - C.md\n{}//- backlog/archive/tasks/task-3 - Parent.md\n{}//- backlog/tasks/task-4.1 - D.md\n{}//- backlog/completed/task-4 - E.md\n{}//- backlog/tasks/back-5.1 - F.md\n{}//- backlog/tasks/back-5 - G.md\n{}",
            task("task-1.1", "To Do", "parent_task_id: task-1\n", ""),
            task("task-2.1", "To Do", "parent_task_id: TASK-2\ndependencies: [task-2]\n", ""),
            task("task-3.1", "Done", "parent_task_id: task-3\n", ""),
            task("task-3", "Done", "", ""),
            task("task-4.1", "To Do", "parent_task_id: task-4\n", ""),
            task("task-4", "Done", "", ""),
            // The backlog's prefix changed from `task` to `back`; the
            // sub-task still names its parent by the old one.
            task("back-5.1", "To Do", "parent_task_id: task-5\n", ""),
            task("back-5", "To Do", "", ""),
        ),
        expect![[r#"
            backlog/completed/task-4 - E.md:4:9 done-with-open-tasks: task `task-4` is done but 1 sub-task is not (first task `task-4.1`): mark them done or reopen the task «Done»
            backlog/tasks/back-5.1 - F.md:5:17 backlog-unknown-parent: `parent_task_id` names `task-5`, which no task of backlog/ defines; did you mean `back-5`? «task-5»
            backlog/tasks/task-1.1 - A.md:5:17 backlog-unknown-parent: `parent_task_id` names `task-1`, which no task of backlog/ defines «task-1»
            backlog/tasks/task-2.1 - B.md:5:17 backlog-unknown-parent: `parent_task_id` names `TASK-2`, which no task of backlog/ defines «TASK-2»
            backlog/tasks/task-2.1 - B.md:6:16 dangling-dependency: `task-2` names no known task; did you mean `task-4`? «task-2»
        "#]],
    );
}

/// A backlog whose prefix changed (Backlog.md's own went from `task-` to
/// `back-`) keeps sub-tasks whose `parent_task_id` writes the old one:
/// the task above the sub-task by its own ID is offered in its place,
/// written as its `id:` writes it, inside the quotes if any.
#[test]
fn an_unknown_parent_is_fixed_with_the_task_above_by_number() {
    let ws = fixture::workspace(&format!(
        "//- backlog/tasks/back-7 - Parent.md\n{}//- backlog/tasks/back-7.1 - A.md\n{}//- backlog/tasks/back-7.2 - B.md\n{}//- backlog/tasks/back-8.1 - C.md\n{}",
        task("BACK-7", "To Do", "", ""),
        task("BACK-7.1", "To Do", "parent_task_id: task-7\n", ""),
        task("BACK-7.2", "To Do", "parent_task_id: \"task-7\"\n", ""),
        task("BACK-8.1", "To Do", "parent_task_id: task-8\n", ""),
    ))
    .workspace;
    let ctx = Context::new(&ws);
    let mut got = String::new();
    for d in check_workspace(&ws) {
        let file = ws.file(&d.rel).expect("the file");
        for fix in for_diagnostic(&ws, &ctx, file, &d) {
            let [Change::Edit { edits, .. }] = &fix.changes[..] else {
                panic!("one edit: {:?}", fix.changes);
            };
            let text =
                crate::analysis::actions::apply::apply_edits(&file.text, edits).expect("applies");
            let parent = text
                .lines()
                .find(|l| l.starts_with("parent_task_id"))
                .unwrap_or("");
            writeln!(
                got,
                "{}: {} ({}) -> {parent}",
                d.rel, fix.title, fix.is_preferred
            )
            .expect("writing to a string");
        }
    }
    expect![[r#"
        backlog/tasks/back-7.1 - A.md: Change to `BACK-7` (true) -> parent_task_id: BACK-7
        backlog/tasks/back-7.2 - B.md: Change to `BACK-7` (true) -> parent_task_id: "BACK-7"
    "#]]
    .assert_eq(&got);
}

#[test]
fn a_mark_other_than_a_space_or_a_lower_case_x_is_reported() {
    let body = "## Acceptance Criteria\n<!-- AC:BEGIN -->\n- [X] #1 Shipped\n- [-] #2 Half done\n- [x] #3 Tested\n- [ ] #4 Documented\n<!-- AC:END -->\n\n## Notes\n\n- [~] Not a criterion: outside the block.\n";
    let ws = fixture::workspace(&format!(
        "//- backlog/tasks/task-1 - A.md\n{}",
        task("task-1", "In Progress", "", body)
    ))
    .workspace;
    let found = check_workspace(&ws);
    expect![[r#"
        backlog/tasks/task-1 - A.md:9:3 backlog-criterion-mark: Backlog.md reads only `[ ]` and `[x]`, so it skips this criterion: write `[x]`, in lower case «[X]»
        backlog/tasks/task-1 - A.md:10:3 backlog-criterion-mark: Backlog.md reads only `[ ]` and `[x]`, so it skips this criterion: write `[x]` for a met criterion, `[ ]` for an open one «[-]»
    "#]]
    .assert_eq(&render(&ws, &found));
    let file = ws.file("backlog/tasks/task-1 - A.md").expect("the file");
    let criteria: Vec<(bool, &str)> = file.facts.items[0]
        .criteria
        .iter()
        .map(|c| (c.checked, c.text(&file.text)))
        .collect();
    assert_eq!(criteria, [(true, "Tested"), (false, "Documented")]);
    let ctx = Context::new(&ws);
    let titles: Vec<String> = found
        .iter()
        .flat_map(|d| for_diagnostic(&ws, &ctx, file, d))
        .map(|a| {
            format!(
                "{}{}",
                a.title,
                if a.is_preferred { " (preferred)" } else { "" }
            )
        })
        .collect();
    assert_eq!(
        titles,
        [
            "Write `[x]` (preferred)",
            "Write `[ ]`",
            "Write `[ ]` (preferred)",
            "Write `[x]`"
        ]
    );
}

#[test]
fn a_done_task_with_open_criteria_is_reported_once() {
    let open = criteria(&["[x] Exported", "[ ] Imported", "[ ] Documented"]);
    let legacy = "## Acceptance Criteria\n\n- [x] Old layout, still read\n- [ ] Not met\n\n## Notes\n\n- [ ] Not a criterion\n";
    check(
        &format!(
            "//- backlog/tasks/task-1 - A.md\n{}//- backlog/completed/task-2 - B.md\n{}//- backlog/tasks/task-3 - C.md\n{}//- backlog/tasks/task-4 - D.md\n{}//- backlog/tasks/task-5 - E.md\n{}",
            task("task-1", "Done", "", &open),
            task("task-2", "In Progress", "", &open),
            task("task-3", "Done", "", legacy),
            task("task-4", "In Progress", "", &open),
            task("task-5", "Done", "", &criteria(&["[x] Exported"])),
        ),
        expect![[r#"
            backlog/completed/task-2 - B.md:10:3 backlog-done-with-open-criteria: task `task-2` is in `completed/` but 2 of its 3 acceptance criteria are unchecked «[ ]»
            backlog/tasks/task-1 - A.md:10:3 backlog-done-with-open-criteria: task `task-1` is `Done` but 2 of its 3 acceptance criteria are unchecked «[ ]»
            backlog/tasks/task-3 - C.md:10:3 backlog-done-with-open-criteria: task `task-3` is `Done` but 1 of its 2 acceptance criteria is unchecked «[ ]»
        "#]],
    );
}

#[test]
fn the_last_configured_status_is_done_and_the_ones_between_in_progress() {
    let config = "statuses: [Backlog, Building, QA, Released]\n";
    let open = criteria(&["[x] Exported", "[ ] Imported"]);
    let fixture = format!(
        "//- backlog/config.yml\n{config}//- backlog/tasks/task-1 - A.md\n{}//- backlog/tasks/task-2 - B.md\n{}//- backlog/tasks/task-3 - C.md\n{}",
        task("task-1", "Released", "", &open),
        task("task-2", "QA", "dependencies: [task-1]\n", &open),
        task("task-3", "Backlog", "dependencies: [task-2]\n", ""),
    );
    check(
        &fixture,
        expect![[r#"
            backlog/tasks/task-1 - A.md:10:3 backlog-done-with-open-criteria: task `task-1` is `Released` but 1 of its 2 acceptance criteria is unchecked «[ ]»
        "#]],
    );
    let ws = fixture::workspace(&fixture).workspace;
    let progress = |id: &str| ws.progress(ws.item(id).expect("the task").1);
    assert_eq!(progress("task-1"), Some(Progress::Done));
    assert_eq!(progress("task-2"), Some(Progress::InProgress));
    assert_eq!(progress("task-3"), Some(Progress::NotStarted));
    let plan = crate::analysis::plan::plan(&crate::analysis::graph::Graph::build(&ws));
    expect![[r#"[["task-2"], ["task-3"]]"#]].assert_eq(&format!("{:?}", plan.waves));
    // Without `config.yml`, `Released` is no status Backlog.md knows.
    let bare = fixture::workspace(&fixture.replace("//- backlog/config.yml\n", "//- notes.txt\n"))
        .workspace;
    assert_eq!(
        bare.progress(bare.item("task-1").expect("the task").1),
        None
    );
}

#[test]
fn section_markers_must_pair_up() {
    let body = "## Description\n\n<!-- SECTION:DESCRIPTION:BEGIN -->\nText.\n\n## Plan\n\n<!-- SECTION:PLAN:END -->\n\n## Acceptance Criteria\n<!-- AC:BEGIN -->\n- [ ] #1 One\n<!-- AC:BEGIN -->\n- [ ] #2 Two\n<!-- AC:END -->\n";
    let ws = fixture::workspace(&format!(
        "//- backlog/tasks/task-1 - A.md\n{}//- backlog/tasks/task-2 - B.md\n{}",
        task("task-1", "To Do", "", body),
        task("task-2", "To Do", "", &criteria(&["[ ] One"])),
    ))
    .workspace;
    expect![[r#"
        backlog/tasks/task-1 - A.md:9:1 backlog-unbalanced-markers: `<!-- SECTION:DESCRIPTION:BEGIN -->` has no `<!-- SECTION:DESCRIPTION:END -->` after it «<!-- SECTION:DESCRIPTION:BEGIN -->»
        backlog/tasks/task-1 - A.md:14:1 backlog-unbalanced-markers: `<!-- SECTION:PLAN:END -->` has no `<!-- SECTION:PLAN:BEGIN -->` before it «<!-- SECTION:PLAN:END -->»
        backlog/tasks/task-1 - A.md:17:1 backlog-unbalanced-markers: `<!-- AC:BEGIN -->` has no `<!-- AC:END -->` after it «<!-- AC:BEGIN -->»
        backlog/tasks/task-1 - A.md:19:1 backlog-unbalanced-markers: a second `<!-- AC:BEGIN -->` before the `<!-- AC:END -->` of the first: Backlog.md reads none of these criteria «<!-- AC:BEGIN -->»
    "#]]
    .assert_eq(&render(&ws, &check_workspace(&ws)));
    let file = ws.file("backlog/tasks/task-1 - A.md").expect("the file");
    assert!(file.facts.items[0].criteria.is_empty());
}

#[test]
fn markers_quoted_in_another_section_are_text() {
    // A plan that talks about the criteria markers: Backlog.md reads the
    // body between a section's markers as text.
    let body = "## Acceptance Criteria\n<!-- AC:BEGIN -->\n- [ ] #1 No blank line is inserted\n<!-- AC:END -->\n\n## Implementation Plan\n\n<!-- SECTION:PLAN:BEGIN -->\nThe regex captures a trailing newline before `<!-- AC:END -->`.\nThen <!-- AC:BEGIN --> is written again.\n<!-- SECTION:PLAN:END -->\n";
    let ws = fixture::workspace(&format!(
        "//- backlog/tasks/task-1 - A.md\n{}",
        task("task-1", "To Do", "", body),
    ))
    .workspace;
    expect![[r#""#]].assert_eq(&render(&ws, &check_workspace(&ws)));
    let file = ws.file("backlog/tasks/task-1 - A.md").expect("the file");
    assert_eq!(file.facts.items[0].criteria.len(), 1);
}

#[test]
fn a_nested_backlog_scopes_its_ids_with_its_path() {
    let ws = fixture::workspace(&format!(
        "//- web/backlog/tasks/task-1 - A.md\n{}//- api/.backlog/tasks/task-1 - B.md\n{}",
        task("task-1", "To Do", "", ""),
        task("task-1", "To Do", "dependencies: [task-2]\n", ""),
    ))
    .workspace;
    let ids: Vec<&str> = ws.items().map(|(_, i)| i.id.as_str()).collect();
    assert_eq!(ids, ["api/task-1", "web/task-1"]);
    expect![[r#"
        api/.backlog/tasks/task-1 - B.md:5:16 dangling-dependency: `task-2` names no known task of `api`; did you mean `task-1`? (it would close a dependency cycle) «task-2»
    "#]]
    .assert_eq(&render(&ws, &check_workspace(&ws)));
}

#[test]
fn paths_outside_a_backlog_folders_layout_are_not_read() {
    for rel in [
        "backlog/tasks/readme.md",
        "backlog/tasks/task-1 - A.txt",
        "backlog/drafts/drift-review.md",
        "backlog/docs/vision.md",
        "backlog/notes/task-1 - A.md",
        "issues/backlog/swe-feature-001.md",
        "backlog/config.toml",
    ] {
        assert_eq!(role_of(rel), None, "{rel}");
    }
    for (rel, role) in [
        ("backlog/config.yml", "config"),
        (".backlog/tasks/TASK-12.3 - A.md", "task"),
        ("backlog/archive/drafts/draft-2 - B.md", "archived"),
        ("backlog/docs/design/doc-5.1 - C.md", "doc"),
        ("backlog/decisions/decision-10 - D.md", "decision"),
        ("backlog/completed/task-9 - E.MD", "completed"),
    ] {
        assert_eq!(role_of(rel), Some(role), "{rel}");
    }
}

/// Backlog.md lists `tasks/task-*.md`, not the folders below: a task file
/// in `tasks/epics/epic-6-call-graph/` (as real backlogs keep them),
/// `completed/2025/` or `drafts/ideas/` defines no task, and is reported
/// once, at its `id:`; a dependency on it names no task Backlog.md knows.
/// One in `archive/tasks/2024/` is still archived work, and a dependency on
/// archived work is unknown to Backlog.md's readiness check too.
#[test]
fn task_files_below_the_listed_folders_are_reported_and_define_no_task() {
    for (rel, role) in [
        ("backlog/tasks/task-12 - Title.md", "task"),
        ("backlog/tasks/epics/task-12 - Title.md", "nested"),
        ("backlog/tasks/a/b/TASK-12.1 - Deep.md", "nested"),
        ("backlog/completed/2025/task-9 - E.md", "nested"),
        ("backlog/drafts/ideas/draft-2 - B.md", "nested"),
        ("backlog/archive/tasks/2024/task-3 - Old.md", "archived"),
    ] {
        assert_eq!(role_of(rel), Some(role), "{rel}");
    }
    assert_eq!(role_of("backlog/tasks/epics/README.md"), None);
    let fixture = format!(
        "//- backlog/tasks/epics/epic-6-call-graph/task-41 - Add-error-handling.md\n{}//- backlog/tasks/task-13 - Print.md\n{}//- backlog/completed/2025/task-9 - Import.md\n{}//- backlog/drafts/ideas/draft-2 - Idea.md\n# draft-2 - Idea\n//- backlog/archive/tasks/2024/task-3 - Parent.md\n{}//- backlog/tasks/task-3.1 - Child.md\n{}",
        task("task-41", "To Do", "dependencies:\n  - task-33\n", ""),
        task("task-13", "To Do", "dependencies: [task-41, task-3]\n", ""),
        task("task-9", "Done", "", ""),
        task("task-3", "Done", "", ""),
        task("task-3.1", "To Do", "parent_task_id: task-3\n", ""),
    );
    check(
        &fixture,
        expect![[r#"
            backlog/completed/2025/task-9 - Import.md:2:5 backlog-nested-task: Backlog.md lists only the task files directly in `backlog/completed/`, so it does not see this task: it is on no board or list, and no task can depend on it; move the file to `backlog/completed/` «task-9»
            backlog/drafts/ideas/draft-2 - Idea.md:1:1 backlog-nested-task: Backlog.md lists only the task files directly in `backlog/drafts/`, so it does not see this task: it is on no board or list, and no task can depend on it; move the file to `backlog/drafts/` «# draft-2 - Idea»
            backlog/tasks/epics/epic-6-call-graph/task-41 - Add-error-handling.md:2:5 backlog-nested-task: Backlog.md lists only the task files directly in `backlog/tasks/`, so it does not see this task: it is on no board or list, and no task can depend on it; move the file to `backlog/tasks/` «task-41»
            backlog/tasks/task-13 - Print.md:5:16 dangling-dependency: `task-41` names no known task; did you mean `task-3.1`? «task-41»
            backlog/tasks/task-13 - Print.md:5:25 dangling-dependency: `task-3` is archived in `backlog/archive/tasks/2024/`; remove the dependency or restore the task «task-3»
        "#]],
    );
    let ws = fixture::workspace(&fixture).workspace;
    let ids: Vec<&str> = ws.items().map(|(_, item)| item.id.as_str()).collect();
    assert_eq!(ids, ["task-13", "task-3.1"]);
}

#[test]
fn hover_definition_and_the_plan_see_the_tasks_and_their_links() {
    let parent = task(
        "task-1",
        "In Progress",
        "dependencies: [task-3]\n",
        &criteria(&["[x] One", "[ ] Two"]),
    );
    let child = task(
        "task-1.1",
        "To Do",
        "parent_task_id: task-1\ndependencies:\n  - task-1\n  - TASK-2\n",
        "",
    );
    let fixture = fixture::workspace(&format!(
        "//- backlog/tasks/task-1 - Parent.md\n{parent}//- backlog/tasks/task-1.1 - Child.md\n{child}//- backlog/tasks/task-2 - Other.md\n{}//- backlog/completed/task-3 - Done.md\n{}",
        task("task-2", "To Do", "", ""),
        task("task-3", "Done", "", ""),
    ));
    let ws = fixture.workspace;
    let ctx = Arc::new(Context::new(&ws));
    let derived = Derived::new(&ws, ctx.clone());
    let rel = "backlog/tasks/task-1.1 - Child.md";
    let text = &ws.file(rel).expect("the child").text;
    let at = |needle: &str| text.find(needle).expect("in the text") + 2;
    let shown = hover::hover(&ws, &derived, rel, at("TASK-2")).expect("a hover");
    expect![[r#"
        **task-2** · Step task-2

        task · Status: To Do

        Depended on by: task-1.1

        Wave 1 · ready to start"#]]
    .assert_eq(&shown.markdown);
    let parent_hover = hover::hover(&ws, &derived, rel, at("task-1\ndep")).expect("a hover");
    assert!(
        parent_hover.markdown.starts_with(
            "**task-1** · Step task-1\n\ntask · Status: In Progress · Criteria: 1/2 done"
        ),
        "{}",
        parent_hover.markdown
    );
    let definition = navigation::definition(&ws, rel, at("task-1\ndep")).expect("a definition");
    assert_eq!(
        definition.targets[0].rel,
        "backlog/tasks/task-1 - Parent.md"
    );
    // The parent waits for its sub-task, which waits for task-2; the
    // sub-task's link to its parent makes no cycle.
    assert!(ctx.cycles.is_empty());
    expect![[r#"
        [
            [
                "task-2",
            ],
            [
                "task-1.1",
            ],
            [
                "task-1",
            ],
        ]
    "#]]
    .assert_debug_eq(&derived.plan().waves);
}

/// Every range in the facts and findings of `text` as a task file lies on
/// char boundaries inside it, and nothing panics.
fn parse_and_check_hostile(what: &str, text: &str) {
    let started = std::time::Instant::now();
    let rel = "backlog/tasks/task-1.1 - Hostile.md";
    let ws = fixture::workspace(&format!(
        "//- {rel}\n{text}//- backlog/archive/tasks/task-7 - Old.md\n---\nid: task-7\n---\n"
    ))
    .workspace;
    let found = check_workspace(&ws);
    let file = ws.file(rel).expect("the file");
    let text = &*file.text;
    let ok = |r: crate::analysis::text::TextRange| {
        r.start() <= r.end()
            && r.end() <= text.len()
            && text.is_char_boundary(r.start())
            && text.is_char_boundary(r.end())
    };
    for item in &file.facts.items {
        assert!(ok(item.def_range) && ok(item.range), "{what}: item ranges");
        for f in &item.fields {
            assert!(
                ok(f.label_range) && ok(f.value_range) && ok(f.line_range),
                "{what}: field ranges"
            );
        }
        for c in &item.criteria {
            assert!(
                ok(c.box_range) && ok(c.text_range) && ok(c.line_range),
                "{what}: criterion ranges"
            );
        }
        assert!(
            item.deps.iter().all(|d| ok(d.range)),
            "{what}: dependency ranges"
        );
    }
    assert!(file.facts.references.iter().all(|r| ok(r.range)), "{what}");
    for d in found.iter().filter(|d| d.rel == rel) {
        assert!(ok(d.range), "{what}: {d:?}");
    }
    // A bound that catches a hang or a blow-up (minutes), not a speed
    // target: a debug build on a busy two-core machine took 23 s for the
    // slowest of these once, where it takes 7 s alone.
    let elapsed = started.elapsed();
    assert!(elapsed.as_secs() < 90, "{what} took {elapsed:?}");
}

#[test]
fn hostile_front_matter_is_read_in_bounded_time_with_valid_ranges() {
    let big = 1 << 20;
    let assignees = "assignee: @someone: with colons\n".repeat(big / 32);
    parse_and_check_hostile(
        "a megabyte of unquoted assignees",
        &format!("---\nid: task-1.1\n{assignees}---\n"),
    );
    let parents = "  - task-1\n".repeat(big / 11);
    parse_and_check_hostile(
        "a megabyte of dependencies on the parent",
        &format!("---\nid: task-1.1\nparent_task_id: task-7\ndependencies:\n{parents}---\n"),
    );
    let dotted = format!("task-1{}", ".1".repeat(big / 2));
    parse_and_check_hostile(
        "a megabyte-long dotted ID",
        &format!("---\nid: {dotted}\ndependencies: [task-1, {dotted}]\n---\n"),
    );
    let deep: String = (0..2000)
        .map(|i| format!("{}- \n", " ".repeat(i)))
        .collect();
    parse_and_check_hostile(
        "deep nesting",
        &format!("---\nid: task-1.1\nx:\n{deep}---\n"),
    );
    parse_and_check_hostile(
        "deep flow nesting",
        &format!("---\nid: [{}\n---\n", "[".repeat(big)),
    );
    let markers = "<!-- AC:BEGIN -->\n- [X] #1 é\n".repeat(big / 32);
    parse_and_check_hostile(
        "a megabyte of markers",
        &format!("---\nid: task-1.1\n---\n{markers}"),
    );
    // Noise made of YAML's and Backlog.md's own tokens, multi-byte
    // characters and line breaks of both kinds.
    let tokens = [
        "---",
        "\n",
        "\r\n",
        ": ",
        "- ",
        "[",
        "]",
        "{",
        "}",
        "'",
        "\"",
        "#",
        "&a",
        "*a",
        "!!str",
        "|",
        ">",
        "id",
        "status",
        "dependencies",
        "parent_task_id",
        "task-1",
        "TASK-01.1",
        "é",
        "🦀",
        " ",
        "\t",
        "<!-- AC:BEGIN -->",
        "<!-- AC:END -->",
        "- [ ] #1 ",
        "- [x] ",
        "\\",
        "? ",
        ",",
        "%YAML 1.2",
        "...",
    ];
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    for round in 0..300 {
        let mut text = String::from("---\n");
        for _ in 0..200 {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            text.push_str(tokens[(seed >> 33) as usize % tokens.len()]);
        }
        parse_and_check_hostile(&format!("noise {round}"), &text);
    }
}

#[test]
fn only_a_sub_task_reads_a_task_above_it_as_its_parent_link() {
    let ws = fixture::workspace(&format!(
        "//- backlog/tasks/task-5 - A.md\n{}//- backlog/tasks/task-5.1 - B.md\n{}//- backlog/tasks/task-5.2 - C.md\n{}",
        task("task-5", "To Do", "", ""),
        task("task-5.1", "To Do", "dependencies: [task-5]\n", ""),
        task("task-5.2", "To Do", "parent_task_id: task-5\ndependencies: [task-5, task-5.1]\n", ""),
    ))
    .workspace;
    let deps = |rel: &str| -> Vec<String> {
        let file = ws.file(rel).expect("the file");
        file.facts.items[0]
            .deps
            .iter()
            .filter_map(|d| d.target.as_id().map(str::to_string))
            .collect()
    };
    // Without `parent_task_id`, `task-5.1` is no sub-task: its dependency
    // on `task-5` is one.
    assert_eq!(deps("backlog/tasks/task-5.1 - B.md"), ["task-5"]);
    assert_eq!(deps("backlog/tasks/task-5.2 - C.md"), ["task-5.1"]);
}

#[test]
fn the_fix_of_open_criteria_ticks_every_box() {
    check(
        &format!(
            "//- backlog/tasks/task-1 - A.md\n{}",
            task(
                "task-1",
                "Done",
                "",
                &criteria(&["[ ] One", "[x] Two", "[ ] Three"])
            )
        ),
        expect![[r#"
            backlog/tasks/task-1 - A.md:9:3 backlog-done-with-open-criteria: task `task-1` is `Done` but 2 of its 3 acceptance criteria are unchecked «[ ]»
        "#]],
    );
    let ws = fixture::workspace(&format!(
        "//- backlog/tasks/task-1 - A.md\n{}",
        task(
            "task-1",
            "Done",
            "",
            &criteria(&["[ ] One", "[x] Two", "[ ] Three"])
        )
    ))
    .workspace;
    let ctx = Context::new(&ws);
    let found = check_workspace(&ws);
    let file = ws.file(&found[0].rel).expect("the file");
    let fixes = for_diagnostic(&ws, &ctx, file, &found[0]);
    let [Change::Edit { edits, .. }] = &fixes[0].changes[..] else {
        panic!("one edit: {:?}", fixes[0].changes);
    };
    let text = crate::analysis::actions::apply::apply_edits(&file.text, edits).expect("applies");
    assert!(
        text.contains("- [x] #1 One\n- [x] #2 Two\n- [x] #3 Three\n"),
        "{text}"
    );
}

/// The labels completion offers at the fixture's cursor.
fn completion_labels(fixture_text: &str) -> Vec<String> {
    let fixture = fixture::workspace(fixture_text);
    let ws = &fixture.workspace;
    let (rel, offset) = fixture.cursor.clone().expect("a cursor");
    let derived = Derived::new(ws, Arc::new(Context::new(ws)));
    crate::analysis::features::completion::completion(ws, &derived, &rel, offset)
        .items
        .into_iter()
        .map(|c| format!("{} {}", c.label, c.detail.unwrap_or_default()))
        .collect()
}

#[test]
fn completion_offers_tasks_in_a_dependencies_list() {
    let others = format!(
        "//- backlog/tasks/task-1 - Sign-in.md\n{}//- backlog/tasks/task-2 - Sign-out.md\n{}",
        task("task-1", "Done", "", ""),
        task("task-2", "To Do", "", "")
    );
    // A flow list: the task itself and the entries already listed are left
    // out.
    let got = completion_labels(&format!(
        "{others}//- backlog/tasks/task-3 - Audit.md\n---\nid: task-3\ntitle: Audit\nstatus: To Do\ndependencies: [task-1, t$0]\n---\n"
    ));
    assert_eq!(got, ["task-2 Step task-2"]);
    // A block list, typing the second entry.
    let got = completion_labels(&format!(
        "{others}//- backlog/tasks/task-3 - Audit.md\n---\nid: task-3\ntitle: Audit\nstatus: To Do\ndependencies:\n  - task-2\n  - task-$0\n---\n"
    ));
    assert_eq!(got, ["task-1 Step task-1"]);
}

/// A sub-task's `parent_task_id:` names a task, as an entry of
/// `dependencies:` does: completion offers the other tasks there, the
/// sub-task itself left out, replacing what is typed.
#[test]
fn completion_offers_tasks_for_a_parent_task_id() {
    let got = completion_beside(
        &[("task-1", "Done"), ("task-12", "To Do")],
        "task-1.1",
        "id: task-1.1\ntitle: Audit\nstatus: To Do\nparent_task_id: task-1$0\n",
    );
    expect![[r#"
        [
            "task-1 «task-1»",
            "task-12 «task-1»",
        ]
    "#]]
    .assert_debug_eq(&got);
}

/// A project that writes its IDs in capitals (`id: BACK-222`, as
/// Backlog.md's own backlog does) gets them completed so, not in the lower
/// case planmark compares them in.
#[test]
fn completion_writes_an_id_as_its_task_defines_it() {
    let got = completion_beside(
        &[("BACK-1", "Done"), ("back-12", "To Do")],
        "back-2",
        "id: BACK-2\ntitle: Audit\nstatus: To Do\ndependencies: [$0]\n",
    );
    expect![[r#"
        [
            "BACK-1 «»",
            "back-12 «»",
        ]
    "#]]
    .assert_debug_eq(&got);
}

/// The completions in the front matter `front` (with a `$0` cursor) of
/// task file `name`, beside tasks of the given IDs and statuses.
fn completion_beside(tasks: &[(&str, &str)], name: &str, front: &str) -> Vec<String> {
    let mut fixture = String::new();
    for (id, status) in tasks {
        let file = id.to_ascii_lowercase();
        fixture.push_str(&format!(
            "//- backlog/tasks/{file} - Step.md\n{}",
            task(id, status, "", "")
        ));
    }
    fixture.push_str(&format!(
        "//- backlog/tasks/{name} - Edited.md\n---\n{front}---\n"
    ));
    completion_inserts(&fixture)
}

/// The completions at the cursor with what each inserts and replaces.
fn completion_inserts(fixture_text: &str) -> Vec<String> {
    let fixture = fixture::workspace(fixture_text);
    let ws = &fixture.workspace;
    let (rel, offset) = fixture.cursor.clone().expect("a cursor");
    let derived = Derived::new(ws, Arc::new(Context::new(ws)));
    let text = &ws.file(&rel).expect("the file").text;
    crate::analysis::features::completion::completion(ws, &derived, &rel, offset)
        .items
        .into_iter()
        .map(|c| format!("{} «{}»", c.insert, &text[c.range.start()..c.range.end()]))
        .collect()
}

#[test]
fn completion_offers_labels_from_the_config_and_the_other_tasks() {
    let others = "//- backlog/tasks/task-2 - B.md\n---\nid: task-2\ntitle: B\nstatus: To Do\nlabels: [api, backend]\nassignee: ['@alice']\n---\n//- backlog/tasks/task-3 - C.md\n---\nid: task-3\ntitle: C\nstatus: To Do\nlabels:\n  - backend\nassignee:\n  - '@bob'\n  - '@alice'\n---\n";
    let config = "//- backlog/config.yml\nstatuses: [To Do, Done]\nlabels: [ui, docs]\n";
    let task = |front: &str| {
        format!("{config}{others}//- backlog/tasks/task-1 - A.md\n---\nid: task-1\ntitle: A\nstatus: To Do\n{front}---\n")
    };
    // In a flow list: the config's labels, then the used ones by count,
    // without those already listed.
    expect![[r#"["ui «»", "backend «»", "api «»"]"#]].assert_eq(&format!(
        "{:?}",
        completion_inserts(&task("labels: [docs, $0]\n"))
    ));
    expect![[r#"["ui «u»", "docs «u»", "backend «u»", "api «u»"]"#]].assert_eq(&format!(
        "{:?}",
        completion_inserts(&task("labels: [u$0]\n"))
    ));
    // On a block list's item line.
    expect![[r#"["docs «d»", "backend «d»", "api «d»"]"#]].assert_eq(&format!(
        "{:?}",
        completion_inserts(&task("labels:\n  - ui\n  - d$0\n"))
    ));
    // Assignees come from the other tasks, quoted as YAML needs `@`.
    expect![[r#"["'@alice' «»", "'@bob' «»"]"#]].assert_eq(&format!(
        "{:?}",
        completion_inserts(&task("assignee: [$0]\n"))
    ));
    expect![[r#"["@bob «@»"]"#]].assert_eq(&format!(
        "{:?}",
        completion_inserts(&task("assignee: ['@alice', '@$0']\n"))
    ));
    // Not in the body, nor for a key without words.
    assert!(completion_inserts(&format!("{}labels: [$0]\n", task(""))).is_empty());
    assert!(completion_inserts(&task("title2: [$0]\n")).is_empty());
}

#[test]
fn completion_offers_the_configured_statuses() {
    let got = completion_labels(
        "//- backlog/config.yml\nstatuses: [\"To Do\", \"Doing\", \"Done\"]\n//- backlog/tasks/task-1 - A.md\n---\nid: task-1\ntitle: A\nstatus: Do$0\n---\n",
    );
    // Each label is followed by its (empty) detail.
    let labels: Vec<&str> = got.iter().map(|l| l.trim_end()).collect();
    assert_eq!(labels, ["To Do", "Doing", "Done"]);
}

#[test]
fn a_task_is_renamed_with_its_file_and_its_references() {
    let got = fixture::renamed(
        &format!(
            "//- backlog/tasks/task-1 - Sign-in.md\n{}//- backlog/tasks/task-2 - Sign-out.md\n{}",
            task("task-$01", "To Do", "", ""),
            task("task-2", "To Do", "dependencies: [TASK-1]\n", "")
        ),
        "task-7",
    );
    // Without sub-tasks, nothing else changes.
    expect![[r#"
        backlog/tasks/task-1 - Sign-in.md: task-1 -> task-7
        backlog/tasks/task-2 - Sign-out.md: TASK-1 -> task-7
        move backlog/tasks/task-1 - Sign-in.md -> backlog/tasks/task-7 - Sign-in.md
    "#]]
    .assert_eq(&got);
}

#[test]
fn a_dependency_written_as_a_number_is_renamed_as_a_number() {
    // `dependencies: [1]` names `task-1`, as find references says: a
    // rename rewrites it too, as the new number alone.
    let got = fixture::renamed(
        &format!(
            "//- backlog/tasks/task-1 - Sign-in.md\n{}//- backlog/tasks/task-2 - Sign-out.md\n{}",
            task("task-$01", "To Do", "", ""),
            task("task-2", "To Do", "dependencies: [1]\n", "")
        ),
        "task-7",
    );
    expect![[r#"
        backlog/tasks/task-1 - Sign-in.md: task-1 -> task-7
        backlog/tasks/task-2 - Sign-out.md: 1 -> 7
        move backlog/tasks/task-1 - Sign-in.md -> backlog/tasks/task-7 - Sign-in.md
    "#]]
    .assert_eq(&got);
}

/// Backlog.md names a task's file after its ID in lower case (`BACK-166`
/// lives in `back-166 - Title.md`): the renamed file keeps that case
/// whatever case the new ID is typed in; a file named in capitals takes
/// the ID as typed.
#[test]
fn a_renamed_task_file_keeps_the_case_of_its_name() {
    let fixture = |file: &str| {
        format!(
            "//- backlog/tasks/{file} - Sign-in.md\n{}",
            task("TASK-$01", "To Do", "", "")
        )
    };
    expect![[r#"
        backlog/tasks/task-1 - Sign-in.md: TASK-1 -> TASK-7
        move backlog/tasks/task-1 - Sign-in.md -> backlog/tasks/task-7 - Sign-in.md
    "#]]
    .assert_eq(&fixture::renamed(&fixture("task-1"), "TASK-7"));
    expect![[r#"
        backlog/tasks/TASK-1 - Sign-in.md: TASK-1 -> Task-7
        move backlog/tasks/TASK-1 - Sign-in.md -> backlog/tasks/Task-7 - Sign-in.md
    "#]]
    .assert_eq(&fixture::renamed(&fixture("TASK-1"), "Task-7"));
}

/// Backlog.md writes IDs with zeros when `zero_padded_ids` is set
/// (`TASK-042`), and its references to them may drop the zeros or the
/// capitals (`task-42`): the rename takes each form, from the `id:` or
/// from a reference.
#[test]
fn a_task_written_with_zeros_is_renamed_with_its_references() {
    let fixture = format!(
        "//- backlog/tasks/task-042 - Flag.md\n{}//- backlog/tasks/task-043 - Api.md\n{}",
        task("TASK-04$02", "To Do", "", ""),
        task(
            "TASK-043",
            "To Do",
            "dependencies:\n  - TASK-042\n  - \"task-42\"\n",
            ""
        )
    );
    let expected = expect![[r#"
        backlog/tasks/task-042 - Flag.md: TASK-042 -> TASK-048
        backlog/tasks/task-043 - Api.md: TASK-042 -> TASK-048
        backlog/tasks/task-043 - Api.md: task-42 -> TASK-048
        move backlog/tasks/task-042 - Flag.md -> backlog/tasks/task-048 - Flag.md
    "#]];
    expected.assert_eq(&fixture::renamed(&fixture, "TASK-048"));
    let from_reference = fixture
        .replace("TASK-04$02", "TASK-042")
        .replace("  - TASK-042", "  - TASK-0$042");
    expected.assert_eq(&fixture::renamed(&from_reference, "TASK-048"));
    let loaded = fixture::workspace(&fixture);
    let (rel, offset) = loaded.cursor.clone().expect("a cursor");
    let prepared =
        crate::analysis::features::rename::prepare_rename(&loaded.workspace, &rel, offset);
    assert_eq!(
        prepared
            .ok()
            .flatten()
            .map(|(_, placeholder)| placeholder)
            .as_deref(),
        Some("TASK-042")
    );
}

/// A backlog with a task-7 (the cursor on its `id:`) and its sub-tasks,
/// `TASK-7.1` written in capitals and `task-7.1.2` below it; `task-8`
/// depends on them; `task-70.1` and another backlog's `task-7.1` are not
/// below `task-7`.
fn family() -> String {
    format!(
        "//- backlog/tasks/task-7 - Sign-in.md\n{}\
         //- backlog/tasks/TASK-7.1 - Form.md\n{}\
         //- backlog/tasks/task-7.1.2 - Button.md\n{}\
         //- backlog/tasks/task-7.2 - Mail.md\n{}\
         //- backlog/tasks/task-8 - Audit.md\n{}\
         //- backlog/tasks/task-70.1 - Other.md\n{}\
         //- web/backlog/tasks/task-7.1 - Elsewhere.md\n{}",
        task("task-$07", "To Do", "", ""),
        task("TASK-7.1", "To Do", "parent_task_id: task-7\n", ""),
        task(
            "task-7.1.2",
            "To Do",
            "parent_task_id: TASK-7.1\ndependencies: [task-7.2]\n",
            ""
        ),
        task("task-7.2", "To Do", "parent_task_id: task-7\n", ""),
        task(
            "task-8",
            "To Do",
            "dependencies:\n  - \"task-07.1.2\"\n  - task-7\n  - task-70.1\n",
            ""
        ),
        task("task-70.1", "To Do", "", ""),
        task("task-7.1", "To Do", "", ""),
    )
}

#[test]
fn renaming_a_task_renumbers_its_sub_tasks_and_theirs() {
    expect![[r#"
        backlog/tasks/TASK-7.1 - Form.md: TASK-7.1 -> TASK-9.1
        backlog/tasks/TASK-7.1 - Form.md: task-7 -> task-9
        backlog/tasks/task-7 - Sign-in.md: task-7 -> task-9
        backlog/tasks/task-7.1.2 - Button.md: task-7.1.2 -> task-9.1.2
        backlog/tasks/task-7.1.2 - Button.md: TASK-7.1 -> TASK-9.1
        backlog/tasks/task-7.1.2 - Button.md: task-7.2 -> task-9.2
        backlog/tasks/task-7.2 - Mail.md: task-7.2 -> task-9.2
        backlog/tasks/task-7.2 - Mail.md: task-7 -> task-9
        backlog/tasks/task-8 - Audit.md: task-07.1.2 -> task-9.1.2
        backlog/tasks/task-8 - Audit.md: task-7 -> task-9
        move backlog/tasks/task-7 - Sign-in.md -> backlog/tasks/task-9 - Sign-in.md
        move backlog/tasks/TASK-7.1 - Form.md -> backlog/tasks/TASK-9.1 - Form.md
        move backlog/tasks/task-7.1.2 - Button.md -> backlog/tasks/task-9.1.2 - Button.md
        move backlog/tasks/task-7.2 - Mail.md -> backlog/tasks/task-9.2 - Mail.md
    "#]]
    .assert_eq(&fixture::renamed(&family(), "task-9"));
}

#[test]
fn renaming_a_sub_task_renumbers_its_own_sub_tasks_only() {
    let fixture = family()
        .replace("task-$07", "task-7")
        .replace("id: TASK-7.1", "id: TASK-7.$01");
    expect![[r#"
        backlog/tasks/TASK-7.1 - Form.md: TASK-7.1 -> TASK-7.3
        backlog/tasks/task-7.1.2 - Button.md: task-7.1.2 -> task-7.3.2
        backlog/tasks/task-7.1.2 - Button.md: TASK-7.1 -> TASK-7.3
        backlog/tasks/task-8 - Audit.md: task-07.1.2 -> task-7.3.2
        move backlog/tasks/TASK-7.1 - Form.md -> backlog/tasks/TASK-7.3 - Form.md
        move backlog/tasks/task-7.1.2 - Button.md -> backlog/tasks/task-7.3.2 - Button.md
    "#]]
    .assert_eq(&fixture::renamed(&fixture, "TASK-7.3"));
}

#[test]
fn a_rename_whose_sub_task_would_take_a_used_id_is_refused() {
    let fixture = format!(
        "{}//- backlog/completed/task-9.2 - Done.md\n{}",
        family(),
        task("task-9.2", "Done", "", "")
    );
    expect![[r#"
        refused: `task-7.2` is below `task-7` and would become `task-9.2`, which already exists, in `backlog/completed/task-9.2 - Done.md`
    "#]]
    .assert_eq(&fixture::renamed(&fixture, "task-9"));
}

#[test]
fn a_rename_to_a_used_id_written_with_zeros_or_capitals_is_refused() {
    let fixture = format!(
        "{}//- backlog/tasks/task-9 - Other.md\n{}",
        family(),
        task("task-9", "To Do", "", "")
    );
    for name in ["task-09", "TASK-9", "Task-009"] {
        assert_eq!(
            fixture::renamed(&fixture, name),
            format!("refused: `{name}` already exists, in `backlog/tasks/task-9 - Other.md`\n"),
        );
    }
}

#[test]
fn a_sub_task_id_is_renumbered_in_its_own_style_only_when_below() {
    let below_7 = |spelled: &str| super::renumber_sub_task(spelled, "task-7", "task-9");
    assert_eq!(below_7("TASK-007.01").as_deref(), Some("TASK-9.01"));
    assert_eq!(below_7("Task-7.1").as_deref(), Some("task-9.1"));
    assert_eq!(below_7("7.1.2").as_deref(), Some("9.1.2"));
    for not_below in ["task-7", "task-70.1", "draft-7.1", "task-7.x", "task-"] {
        assert_eq!(below_7(not_below), None, "{not_below}");
    }
    assert_eq!(
        super::renumber_sub_task("task-7.1.2", "TASK-7.1", "task-7.3").as_deref(),
        Some("task-7.3.2")
    );
}

/// A done parent with an open sub-task is reported wherever the parent
/// sits: in `tasks/` with a Done status, or moved to `completed/` while its
/// sub-tasks stay in `tasks/`.
#[test]
fn a_done_task_with_an_open_sub_task_in_its_own_file_is_reported() {
    let backlog = |parent_folder: &str, sub_status: &str| {
        format!(
            "//- backlog/config.yml\n{CONFIG}\
             //- backlog/{parent_folder}/task-12 - Parent.md\n{}\
             //- backlog/tasks/task-12.1 - Child.md\n{}\
             //- backlog/tasks/task-12.2 - Other.md\n{}",
            task("task-12", "Done", "", ""),
            task("task-12.1", sub_status, "parent_task_id: task-12\n", ""),
            task("task-12.2", "Done", "parent_task_id: task-12\n", ""),
        )
    };
    check(
        &backlog("tasks", "In Progress"),
        expect![[r#"
            backlog/tasks/task-12 - Parent.md:4:9 done-with-open-tasks: task `task-12` is done but 1 sub-task is not (first task `task-12.1`): mark them done or reopen the task «Done»
        "#]],
    );
    check(
        &backlog("completed", "In Progress"),
        expect![[r#"
            backlog/completed/task-12 - Parent.md:4:9 done-with-open-tasks: task `task-12` is done but 1 sub-task is not (first task `task-12.1`): mark them done or reopen the task «Done»
        "#]],
    );
    check(&backlog("tasks", "Done"), expect![""]);
    check(&backlog("completed", "Done"), expect![""]);
}

/// A cycle's message walks the loop through the dependency it sits on, and
/// names the steps no file writes: a parent waits for its sub-task, and a
/// sub-task for its parent's dependencies.
#[test]
fn a_cycle_through_sub_tasks_is_shown_step_by_step() {
    let fixture = open_tasks(&[
        ("task-1", "dependencies: [task-2]\n"),
        ("task-2", ""),
        (
            "task-2.1",
            "parent_task_id: task-2\ndependencies: [task-1]\n",
        ),
        ("task-3", "dependencies: [task-4]\n"),
        ("task-3.1", "parent_task_id: task-3\n"),
        ("task-4", "dependencies: [task-3.1]\n"),
    ]);
    check(
        &fixture,
        expect![[r#"
            backlog/tasks/task-1 - Step.md:5:16 dependency-cycle: dependency cycle: task-1 -> task-2 -> task-2.1 (its sub-task) -> task-1 «task-2»
            backlog/tasks/task-2.1 - Step.md:6:16 dependency-cycle: dependency cycle: task-1 -> task-2 -> task-2.1 (its sub-task) -> task-1 «task-1»
            backlog/tasks/task-4 - Step.md:5:16 dependency-cycle: dependency cycle: task-3.1 -> task-4 (a dependency of task-3) -> task-3.1 «task-3.1»
        "#]],
    );
}

/// The plan names, for each member of a cycle that is more than one loop,
/// the shortest loop through it: `task-15`'s sub-tasks inherit its
/// dependency on `task-6`, whose sub-task depends on `task-15`.
#[test]
fn the_plan_shows_a_loop_through_each_member_of_a_cycle() {
    let fixture = open_tasks(&[
        ("task-15", "dependencies: [task-6]\n"),
        ("task-15.1", "parent_task_id: task-15\n"),
        ("task-15.2", "parent_task_id: task-15\n"),
        ("task-6", ""),
        (
            "task-6.1",
            "parent_task_id: task-6\ndependencies: [task-15]\n",
        ),
    ]);
    let ws = fixture::workspace(&fixture).workspace;
    let blocked = blocked_reasons(&ws);
    expect![[r#"
        task-6: in a dependency cycle: task-15 -> task-6 -> task-6.1 -> task-15
        task-6.1: in a dependency cycle: task-15 -> task-6 -> task-6.1 -> task-15
        task-15: in a dependency cycle: task-15 -> task-6 -> task-6.1 -> task-15
        task-15.1: in a dependency cycle: task-15 -> task-15.1 -> task-6 -> task-6.1 -> task-15
        task-15.2: in a dependency cycle: task-15 -> task-15.2 -> task-6 -> task-6.1 -> task-15
    "#]]
    .assert_eq(&blocked);
}

/// Each task keeps its own status, as Backlog.md's board and readiness
/// read it: a parent that is done (by its status, or by sitting in
/// `completed/`) or cancelled leaves its open sub-tasks in the plan, ready
/// or waiting for each other.
#[test]
fn a_closed_parent_leaves_its_open_sub_tasks_in_the_plan() {
    let backlog = |parent_folder: &str, parent_status: &str| {
        format!(
            "//- backlog/{parent_folder}/task-8 - Epic.md\n{}\
             //- backlog/tasks/task-8.1 - Fix.md\n{}\
             //- backlog/tasks/task-8.2 - Log.md\n{}\
             //- backlog/tasks/task-8.3 - Done.md\n{}",
            task("task-8", parent_status, "", ""),
            task("task-8.1", "In Progress", "parent_task_id: task-8\n", ""),
            task(
                "task-8.2",
                "To Do",
                "parent_task_id: task-8\ndependencies: [task-8.1]\n",
                ""
            ),
            task("task-8.3", "Done", "parent_task_id: task-8\n", ""),
        )
    };
    let mut got = String::new();
    for (folder, status) in [
        ("tasks", "Done"),
        ("completed", "Done"),
        ("completed", "In Progress"),
        ("tasks", "Cancelled"),
    ] {
        let ws = fixture::workspace(&backlog(folder, status)).workspace;
        let graph = crate::analysis::graph::Graph::build(&ws);
        let plan = crate::analysis::plan::plan(&graph);
        let open: Vec<&str> = graph
            .nodes
            .iter()
            .filter(|node| !node.done)
            .map(|node| node.id.as_str())
            .collect();
        writeln!(
            got,
            "parent in {folder}/, {status}: waves {:?}, open {open:?}",
            plan.waves
        )
        .expect("writing to a string");
    }
    expect![[r#"
        parent in tasks/, Done: waves [["task-8.1"], ["task-8.2"]], open ["task-8.1", "task-8.2"]
        parent in completed/, Done: waves [["task-8.1"], ["task-8.2"]], open ["task-8.1", "task-8.2"]
        parent in completed/, In Progress: waves [["task-8.1"], ["task-8.2"]], open ["task-8.1", "task-8.2"]
        parent in tasks/, Cancelled: waves [["task-8.1"], ["task-8.2"]], open ["task-8.1", "task-8.2"]
    "#]].assert_eq(&got);
}
