//! Completion in the lists a dialect file writes IDs in: the criteria and
//! requirements an item covers (Kiro's `_Requirements: 1.1, 2.3_`), and the
//! items it depends on (Backlog.md's `dependencies:`, spec-kit's `depends
//! on`) or belongs to (Backlog.md's `parent_task_id:`). Candidates are the
//! items of the files of the dialect's scope (see `DialectSpec::scope`),
//! written as the dialect writes them.

use crate::analysis::dialect;
use crate::analysis::features::completion::{Completion, CompletionKind, Completions, LIMIT};
use crate::analysis::features::is_coverable;
use crate::analysis::model::{FileKind, Item, RefRole};
use crate::analysis::text::TextRange;
use crate::analysis::workspace::{SourceFile, Workspace};

/// Which list the cursor is in.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum List {
    Covers,
    Dependencies,
}

/// How far past what parsed of a list the cursor may be and still be in
/// it: a line's tail, so that a request looks at a few bytes per list, not
/// at the rest of the file.
const MAX_TAIL: usize = 256;

/// The list under the cursor in a dialect file, and where its value
/// starts.
pub(super) fn list_at(file: &SourceFile, offset: usize) -> Option<(List, TextRange)> {
    let text = &*file.text;
    // The cursor may be past what parsed of the list, on its line: after
    // a comma (`AUTH-01, |`) or in an entry that is no ID yet (`SYNC-0|`).
    // A bracket, a closing `_` or a line break ends the list.
    let inside = |field: &TextRange| {
        field.start() <= offset
            && (offset <= field.end()
                || (offset - field.end() <= MAX_TAIL
                    && text.get(field.end()..offset).is_some_and(|after| {
                        !after.contains(['\n', '\r', ')', ']', '_', '`', '*'])
                    })))
    };
    let dialect = matches!(file.facts.kind, FileKind::Dialect(_));
    let in_lists = file.facts.items.iter().find_map(|item| {
        if let Some(field) = item.covers_field.filter(inside) {
            return Some((List::Covers, field));
        }
        item.deps_field
            .filter(|f| dialect && inside(f))
            .map(|field| (List::Dependencies, field))
    });
    // A dialect file's link to an item outside its lists (Backlog.md's
    // `parent_task_id:`) names an item its dependencies could name.
    in_lists.or_else(|| {
        file.facts
            .references
            .iter()
            .filter(|r| dialect && r.role == RefRole::Dependency)
            .find(|r| inside(&r.range))
            .map(|r| (List::Dependencies, r.range))
    })
}

/// The candidates for the entry at `offset` of a list whose value is
/// `field`; entries already listed, and the item holding the list, are
/// left out.
pub(super) fn candidates(
    ws: &Workspace,
    file: &SourceFile,
    offset: usize,
    list: List,
    field: TextRange,
) -> Completions {
    let text = &*file.text;
    let is_separator = |c: char| matches!(c, ',' | ';' | '[' | '\n' | '\r');
    let before = &text[field.start()..offset];
    let entry_start = field.start() + before.rfind(is_separator).map_or(0, |i| i + 1);
    // BMAD v6 writes a criterion's number after a `#` (`(AC: #1, #3)`),
    // which stays as typed.
    let typed = text[entry_start..offset]
        .trim_start()
        .trim_start_matches(['-', ' ', '"', '\'', '#'])
        .trim_start();
    let start = offset - typed.len();
    let range = TextRange::new(start, offset);
    // An ID is written as its definition writes it when that differs only
    // in case (Backlog.md's `id: BACK-222` for `back-222`).
    let written = |defined_in: &SourceFile, item: &Item| {
        let canonical = match file.facts.kind {
            FileKind::Dialect(d) => dialect::written_id(d, item),
            _ => item.number.clone().unwrap_or_else(|| item.id.to_string()),
        };
        match defined_in
            .text
            .get(item.def_range.start()..item.def_range.end())
        {
            Some(as_defined)
                if as_defined != canonical && as_defined.eq_ignore_ascii_case(&canonical) =>
            {
                as_defined.to_string()
            }
            _ => canonical,
        }
    };
    let listed: Vec<&str> = text[field.start()..start]
        .split(is_separator)
        .map(|e| e.trim().trim_matches(['-', ' ', '"', '\'', '#']))
        .collect();
    // The item whose list it is; for a link outside the lists, the item
    // whose text holds it.
    let own = file
        .facts
        .items
        .iter()
        .find(|i| i.covers_field == Some(field) || i.deps_field == Some(field))
        .or_else(|| {
            file.facts
                .items
                .iter()
                .find(|i| i.range.contains_range(field))
        });
    let scope = match file.facts.kind {
        FileKind::Dialect(d) => dialect::scope(d, &file.rel),
        _ => crate::analysis::dialect::folder_scope(&file.rel),
    };
    // A front-matter key with no value yet (`dependencies: `) gets a
    // one-entry list: a bare ID there is a scalar, which Backlog.md does
    // not read as a list.
    let starts_yaml_list = field.is_empty()
        && dialect::yaml::front_matter(text).is_some_and(|fm| fm.range.contains_range(field));
    let typed_lower = typed.to_lowercase();
    // Each candidate with how many folders its file shares with this one.
    let mut found: Vec<(usize, Completion)> = Vec::new();
    for other in ws.files_under(scope) {
        if !same_dialect(other, file) {
            continue;
        }
        let nearness = shared_folders(&file.rel, &other.rel);
        for item in &other.facts.items {
            // A dependency names an item of the kind of the one whose list
            // it is (a GSD plan waits for plans, not for phases).
            let wanted = match (list, own) {
                (List::Covers, _) => is_coverable(item.kind),
                (List::Dependencies, Some(own)) => item.kind == own.kind,
                (List::Dependencies, None) => item.kind.is_work(),
            };
            if !wanted || own.is_some_and(|o| o.id == item.id) {
                continue;
            }
            // What an item covers belongs to its own spec or story: the
            // part of its ID before the last `/` (`notify/`,
            // `bmad-story-1.2/`, and `apps/a/bmad-story-1.2/` in a project
            // below the root, whose stories all start `apps/`).
            let same_owner = own
                .and_then(|o| o.id.rsplit_once('/'))
                .is_none_or(|(owner, _)| {
                    item.id
                        .rsplit_once('/')
                        .is_some_and(|(other, _)| other == owner)
                });
            if list == List::Covers && !same_owner {
                continue;
            }
            let label = written(other, item);
            if listed.contains(&label.as_str()) || !label.to_lowercase().starts_with(&typed_lower) {
                continue;
            }
            let mut candidate = Completion::new(label, CompletionKind::Item(item.kind), range);
            if starts_yaml_list {
                candidate.insert = format!("[{}]", candidate.label);
            }
            candidate.detail = (!item.title.is_empty()).then(|| item.title.to_string());
            found.push((nearness, candidate));
        }
    }
    // The items of nearby files first (a GSD plan's own phase before
    // other phases, and those before archived milestones; Backlog.md's
    // open tasks before completed ones), each group in path order.
    found.sort_by_key(|(nearness, _)| std::cmp::Reverse(*nearness));
    let incomplete = found.len() > LIMIT;
    Completions {
        items: found
            .into_iter()
            .take(LIMIT)
            .map(|(_, candidate)| candidate)
            .collect(),
        incomplete,
    }
}

/// How many folders (from the workspace root) two paths share.
fn shared_folders(a: &str, b: &str) -> usize {
    fn folders(rel: &str) -> impl Iterator<Item = &str> {
        let dir = rel.rsplit_once('/').map_or("", |(dir, _)| dir);
        dir.split('/').filter(|folder| !folder.is_empty())
    }
    folders(a)
        .zip(folders(b))
        .take_while(|(x, y)| x == y)
        .count()
}

/// Whether two files belong to one dialect (whatever their roles).
fn same_dialect(a: &SourceFile, b: &SourceFile) -> bool {
    match (a.facts.kind, b.facts.kind) {
        (FileKind::Dialect(x), FileKind::Dialect(y)) => x.dialect == y.dialect,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use expect_test::{expect, Expect};

    use crate::analysis::features::{completion::completion, Derived};
    use crate::analysis::fixture::workspace;
    use crate::analysis::rules::Context;

    /// Each candidate at the fixture's cursor, as its label and the text
    /// that choosing it writes into the cursor's line.
    fn check(fixture: &str, expect: Expect) {
        let fixture = workspace(fixture);
        let ws = &fixture.workspace;
        let (rel, offset) = fixture.cursor.clone().expect("a cursor");
        let derived = Derived::new(ws, Arc::new(Context::new(ws)));
        let text = &ws.file(&rel).expect("the cursor's file").text;
        let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
        let got: Vec<String> = completion(ws, &derived, &rel, offset)
            .items
            .into_iter()
            .map(|c| {
                let line = format!(
                    "{}{}{}",
                    &text[line_start..c.range.start()],
                    c.insert,
                    &text[c.range.end()..line_end]
                );
                format!("{} => {line}", c.label)
            })
            .collect();
        expect.assert_eq(&got.join("\n"));
    }

    fn backlog_task(id: &str, front: &str) -> String {
        format!("//- backlog/tasks/{id} - Work.md\n---\nid: {id}\ntitle: Work on {id}\nstatus: To Do\n{front}---\n\n## Description\n\nWork.\n")
    }

    fn gsd_plan(number: &str, front: &str) -> String {
        format!("//- .planning/phases/01-accounts/01-{number}-PLAN.md\n---\nphase: 01-accounts\nplan: {number}\n{front}---\n\n<objective>\nPlan {number}.\n</objective>\n")
    }

    /// A key typed with no value yet (`dependencies: `) is completed, as a
    /// one-entry flow list: a bare ID would be a YAML scalar, which
    /// Backlog.md does not read as a list.
    #[test]
    fn a_front_matter_key_with_no_value_yet_is_completed_as_a_list() {
        let backlog = format!(
            "{}{}",
            backlog_task("task-1", ""),
            backlog_task("task-2", "dependencies: $0\n"),
        );
        check(&backlog, expect!["task-1 => dependencies: [task-1]"]);
        let plans = format!(
            "//- .planning/REQUIREMENTS.md\n# Requirements\n\n- [ ] **AUTH-01**: User can sign in\n{}{}",
            gsd_plan("01", ""),
            gsd_plan("02", "depends_on: $0\n"),
        );
        check(&plans, expect!["01-01 => depends_on: [01-01]"]);
        check(
            &plans.replace("depends_on: $0", "requirements:  $0"),
            expect!["AUTH-01 => requirements:  [AUTH-01]"],
        );
        // In a list already, an entry is written bare.
        check(
            &backlog.replace("dependencies: $0", "dependencies: [$0]"),
            expect!["task-1 => dependencies: [task-1]"],
        );
        // Right after the colon, a value would join the key.
        check(
            &backlog.replace("dependencies: $0", "dependencies:$0"),
            expect![""],
        );
    }

    /// A spec-kit task's dependency label with no task after it yet is
    /// completed too.
    #[test]
    fn a_dependency_label_with_no_task_yet_is_completed() {
        let tasks = "//- specs/001-shop/tasks.md\n# Tasks\n\n- [ ] T001 Create the cart\n- [ ] T002 List the cart\n  - Depends on: $0\n";
        check(tasks, expect!["T001 =>   - Depends on: T001"]);
        let headings = "//- specs/001-shop/tasks.md\n# Tasks\n\n### T001: Create the cart\n\n### T002: List the cart\n\n**Preconditions**: $0\n";
        check(headings, expect!["T001 => **Preconditions**: T001"]);
    }

    /// The plans of the plan's own phase come first, then the other
    /// phases', then those archived with a milestone.
    #[test]
    fn nearby_items_are_offered_first() {
        let plan = |path: &str, front: &str| {
            format!("//- {path}\n---\n{front}---\n\n<objective>\nWork.\n</objective>\n")
        };
        let fixture = [
            plan(
                ".planning/milestones/v1.0-phases/01-setup/01-01-PLAN.md",
                "phase: 01-setup\nplan: 01\n",
            ),
            plan(
                ".planning/phases/02-accounts/02-01-PLAN.md",
                "phase: 02-accounts\nplan: 01\n",
            ),
            plan(
                ".planning/phases/03-billing/03-01-PLAN.md",
                "phase: 03-billing\nplan: 01\n",
            ),
            plan(
                ".planning/phases/03-billing/03-02-PLAN.md",
                "phase: 03-billing\nplan: 02\ndepends_on: [$0]\n",
            ),
        ]
        .concat();
        check(
            &fixture,
            expect![[r#"
                03-01 => depends_on: [03-01]
                02-01 => depends_on: [02-01]
                v1.0/01-01 => depends_on: [v1.0/01-01]"#]],
        );
    }
}
