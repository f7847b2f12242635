//! GitHub spec-kit: one folder per feature, `specs/NNN-feature/`, holding
//! `spec.md` (user stories with a priority, `FR-001` requirements, `SC-001`
//! success criteria), `plan.md` and `tasks.md` (phases of checklist tasks
//! such as `- [ ] T012 [P] [US1] Create model in src/m.py (depends on
//! T010)`). IDs are scoped to the feature folder: task 12 of `001-auth` is
//! `001-auth/T012`, its first user story `001-auth/US1`, its first
//! requirement `001-auth/FR-001`; another feature names them that way.
//! A `specs/` folder below the workspace root is a project of its own (a
//! package of a monorepo): its features' IDs start with the path of the
//! folder that holds `specs/` (`apps/web/001-auth/T012`), and the IDs its
//! files write name features of that project. Features kept in
//! `.specify/specs/` (a layout of forks, not of spec-kit itself) are read
//! as those of `specs/`.
//!
//! The plan follows spec-kit's execution order: a phase waits for the one
//! before it, every user-story phase waits for the last phase before the
//! stories (Foundational) but not for the other stories, and inside a phase
//! a task without `[P]` waits for the tasks above it. That order is written
//! nowhere as a dependency, so it is given to the graph as dependencies of
//! the open tasks with an empty range at the end of the task's line.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use regex::Regex;

use crate::analysis::actions::{Action, ActionKind, Change};
use crate::analysis::dialect::order::{add_order, written_dependencies, Schedule, Segment, Step};
use crate::analysis::dialect::{
    dialect_rules, folder_scope, project_feature, yaml, Dialect, DialectSpec, ParseInput,
};
use crate::analysis::ids::without_scope;
use crate::analysis::intern::Id;
use crate::analysis::model::{Field, FileFacts, FileKind, Item, ItemKind, Progress, RefRole};
use crate::analysis::model::{Reference, Target};
use crate::analysis::parse::{
    fields, is_ignored, is_struck_through, lines_in, placeholders_among, progress_of, trim_range,
    value_before_next_field, Heading,
};
use crate::analysis::rules::{dangling_dependency, folder_of, Context, Diagnostic, Related, Sink};
use crate::analysis::slice::Slice;
use crate::analysis::text::TextRange;
use crate::analysis::workspace::{SourceFile, Workspace};

#[cfg(test)]
mod tests;

pub(crate) static SPEC: DialectSpec = DialectSpec {
    dialect: Dialect::SpecKit,
    name: "spec-kit",
    planning_folders: &["specs"],
    classify,
    parse,
    check,
    fixes,
    rules: RULES,
    scope: folder_scope,
    written_id: written_in_feature,
    retired_item: crate::analysis::dialect::no_retired_items,
    status_words: crate::analysis::dialect::no_status_words,
    progress: crate::analysis::dialect::own_progress,
    progress_sources: &[],
    renumber_below: crate::analysis::dialect::nothing_below,
    list_words: crate::analysis::dialect::no_list_words,
    covers_every: crate::analysis::dialect::covers_by_name_only,
    judges_reference: crate::analysis::dialect::judges_every_cover,
    implied_deps: crate::analysis::dialect::no_implied_deps,
    implied_deps_sources: &[],
    held_back: crate::analysis::dialect::never_held,
    explains_duplicate: crate::analysis::dialect::no_duplicates_explained,
};

/// The feature folder of a file (with its `/`): a checklist's is the folder
/// above `checklists/`. (The dialect's scope stays the file's own folder: a
/// change to tasks.md checks the files under its folder again, checklists
/// included, and a checklist's findings read only itself and tasks.md.)
fn feature_scope(rel: &str) -> &str {
    let folder = folder_scope(rel);
    match folder.strip_suffix("checklists/") {
        Some(feature) if feature.ends_with('/') => feature,
        _ => folder,
    }
}

/// An item as its own feature's files write it: its ID without the
/// feature (`T012` for `001-auth/T012`).
fn written_in_feature(item: &Item) -> String {
    item.id.rsplit('/').next().unwrap_or(&item.id).to_string()
}

dialect_rules! { Dialect::SpecKit;
    UNKNOWN_STORY = 0, "speckit-unknown-story", Warning, CrossFile,
        "A task's `[USn]` label names a user story that spec.md does not have.";
    STORY_WITHOUT_TASKS = 1, "speckit-story-without-tasks", Warning, CrossFile,
        "A user story of spec.md that no task of tasks.md implements.";
    PARALLEL_SAME_FILE = 2, "speckit-parallel-same-file", Warning, Local,
        "Two `[P]` tasks of one `[P]` run change the same file, so they cannot run in parallel.";
    DEPENDENCY_ORDER = 3, "speckit-dependency-order", Warning, Local,
        "A task depends on a task that comes after it, or a `[P]` task depends on an open task of its own `[P]` run.";
    UNKNOWN_REQUIREMENT = 4, "speckit-unknown-requirement", Warning, CrossFile,
        "plan.md or tasks.md names an `FR-`, `NFR-` or `SC-` ID that spec.md does not define.";
    OPEN_CLARIFICATION = 5, "speckit-open-clarification", Warning, CrossFile,
        "A `[NEEDS CLARIFICATION: …]` marker is still in spec.md while its tasks are under way.";
    CLARIFICATION_AFTER_DONE = 6, "speckit-clarification-after-done", Error, CrossFile,
        "A `[NEEDS CLARIFICATION: …]` marker is still in spec.md although every task is done.";
    DRAFT_WHEN_DONE = 7, "speckit-draft-when-done", Info, CrossFile,
        "spec.md still says `**Status**: Draft` although every task is done.";
    MISSING_SPEC = 8, "speckit-missing-spec", Warning, CrossFile,
        "A feature folder has a plan.md or tasks.md but no spec.md.";
    OPEN_CHECKLIST = 9, "speckit-open-checklist", Warning, CrossFile,
        "A checklist of `checklists/` still has unchecked items while the feature's tasks are under way.";
    TASK_SHAPE = 10, "speckit-task-shape", Warning, Local,
        "A task of tasks.md in a shape spec-kit's commands do not work with: a heading (`### T001: Title`), which has no box for /speckit.implement to tick, or a checklist line with the template's `TXXX` for its ID, which is not read.";
}

/// The roles of a feature folder's files.
const SPEC_MD: &str = "spec";
const PLAN_MD: &str = "plan";
const TASKS_MD: &str = "tasks";
/// A file of the feature's `checklists/` folder (`/speckit.checklist`).
const CHECKLIST_MD: &str = "checklist";

/// The role of `specs/<NNN-name>/<file>` (or of a checklist,
/// `specs/<NNN-name>/checklists/<name>.md`), anywhere in the tree. The
/// folder name must start with a feature number (digits, or a
/// `YYYYMMDD-HHMMSS` timestamp) and a dash, or be the default branch's
/// (`specs/main/`): a `specs/` folder of another shape is not spec-kit's. Kiro's and OpenSpec's `specs/` folders belong to
/// their own formats. Below `.specify/specs/`, where some forks of
/// spec-kit and projects that edited its scripts keep their features,
/// the folder may have any name: `.specify/` is spec-kit's own folder.
fn classify(_rel: &str, parts: &[&str]) -> Option<&'static str> {
    if let [before @ .., specs, feature, "checklists", name] = parts {
        let is_checklist = name.len() > ".md".len() && name.ends_with(".md");
        return (is_checklist && in_feature_folder(before, specs, feature)).then_some(CHECKLIST_MD);
    }
    let [before @ .., specs, feature, name] = parts else {
        return None;
    };
    if !in_feature_folder(before, specs, feature) {
        return None;
    }
    match *name {
        "spec.md" => Some(SPEC_MD),
        // `/speckit.plan` run on the default branch copies the plan template
        // to `specs/main/plan.md`, where it is mostly left untouched while
        // the plan is written in the feature's own folder: that copy is not
        // read (a plan holds references only).
        "plan.md" if matches!(*feature, "main" | "master") => None,
        "plan.md" => Some(PLAN_MD),
        "tasks.md" => Some(TASKS_MD),
        _ => None,
    }
}

/// Whether `specs/<feature>`, below the folders `before`, is a spec-kit
/// feature folder.
fn in_feature_folder(before: &[&str], specs: &str, feature: &str) -> bool {
    if specs != "specs" {
        return false;
    }
    match before.last() {
        Some(&".specify") => !feature.starts_with('.'),
        Some(&(".kiro" | "openspec")) => false,
        _ => is_feature_folder(feature),
    }
}

/// `001-auth`, `1-auth`, `20250101-120000-auth`: digits, a dash and a
/// name; or `main` and `master`, where spec-kit's scripts put the feature
/// of a project that runs its commands on the default branch rather than on
/// a numbered feature branch. spec-kit's script pads the number to three
/// digits, but its `/specify` command has the agent find the next number
/// itself and start at 1, and agents (SpecKit Plus's among them) often make
/// the folder as `1-auth`: the number is read however it is written.
fn is_feature_folder(name: &str) -> bool {
    if matches!(name, "main" | "master") {
        return true;
    }
    let digits = name.bytes().take_while(u8::is_ascii_digit).count();
    digits >= 1
        && name[digits..]
            .strip_prefix('-')
            .and_then(|rest| rest.bytes().next())
            .is_some_and(|b| b.is_ascii_alphanumeric())
}

/// The scope of the file's IDs: the feature folder's name (`001-auth`),
/// after the path of the folder that holds `specs/` when that is not the
/// workspace root (`apps/web/001-auth`). A feature of `.specify/specs/`
/// belongs to the project that holds `.specify/`, as one of `specs/` does
/// (`sorcha-ui`, `apps/web/sorcha-ui`).
fn feature_of(rel: &str) -> String {
    let feature = project_feature(rel, 1);
    match feature.rsplit_once('/') {
        Some((".specify", name)) => name.to_string(),
        Some((project, name)) => match project.strip_suffix("/.specify") {
            Some(project) => format!("{project}/{name}"),
            None => feature,
        },
        None => feature,
    }
}

/// The ID of the feature folder `name` of the project `feature` belongs
/// to: what `002-search/FR-004`, written in a file of `feature`, names.
fn sibling_feature(feature: &str, name: &str) -> String {
    match feature.rsplit_once('/') {
        Some((project, _)) => format!("{project}/{name}"),
        None => name.to_string(),
    }
}

fn scoped(feature: &str, local: &str) -> String {
    format!("{feature}/{local}")
}

/// `T012`: task numbers are written with at least three digits.
fn task_local(n: u64) -> String {
    format!("T{n:03}")
}

/// `T017b`: a task inserted after `T017` once the list was numbered (a
/// letter after the number, written in lower case in the ID); `T005-TEST`:
/// a companion of `T005` (a dash and a word of capitals, as written);
/// `T158-1`: a sub-task inserted after `T158` (a dash and one or two
/// digits, as written).
fn task_local_with(n: u64, suffix: Option<&str>) -> String {
    match suffix {
        Some(suffix) => format!("T{n:03}{suffix}"),
        None => task_local(n),
    }
}

/// The suffix of a task ID as its ID writes it: an inserted task's letter
/// in lower case, a companion's `-TEST` and a sub-task's `-1` as they are.
fn task_suffix(written: &str) -> Box<str> {
    if written.starts_with('-') {
        written.into()
    } else {
        written.to_ascii_lowercase().into()
    }
}

/// `FR-001`, `SC-002`, `NFR-003`, and `FR-007a` for a requirement
/// inserted after `FR-007` once the list was numbered (its letter in lower
/// case in the ID, however it is written).
fn requirement_local(prefix: &str, n: u64, letter: Option<&str>) -> String {
    let letter = letter.map(str::to_ascii_lowercase).unwrap_or_default();
    format!("{}-{n:03}{letter}", prefix.to_ascii_uppercase())
}

/// A number of at most nine digits; longer ones are not IDs.
fn number(digits: &str) -> Option<u64> {
    (digits.len() <= 9).then(|| digits.parse().ok()).flatten()
}

/// A user story's number as its ID writes it, from the digits a heading or
/// label gives: `1` (`01` is `1`), or a story numbered inside an area,
/// `1.2` (`### User Story 1.2 - …`, labelled `[US1.2]`), each part without
/// its leading zeros.
fn story_number(written: &str) -> Option<String> {
    let mut parts = Vec::new();
    for part in written.split('.') {
        parts.push(number(part)?.to_string());
    }
    Some(parts.join("."))
}

fn parse(input: &ParseInput<'_>, facts: &mut FileFacts) {
    match input.role {
        SPEC_MD => parse_spec(input, facts),
        PLAN_MD => {
            let text = input.text;
            // A plan names requirements; it implements none itself.
            facts.references = requirement_refs(
                text,
                TextRange::new(0, text.len()),
                &input.outline.ignored,
                &feature_of(input.rel),
                &[],
                RefRole::Mention,
            );
        }
        TASKS_MD => parse_tasks(input, facts),
        _ => {}
    }
    if matches!(input.role, SPEC_MD | PLAN_MD | TASKS_MD) {
        let text = input.text;
        facts
            .placeholders
            .retain(|r| !in_path_or_name_pattern(text, *r));
        facts.placeholders.extend(template_placeholders(input));
        facts.placeholders.sort_by_key(|r| (r.start(), r.end()));
        facts.placeholders.dedup();
    }
}

/// The bracketed placeholders of spec-kit's spec, plan and tasks templates
/// beyond the words the first workflow's templates share with them
/// (`[Title]`), lower-cased. `[Story]`, `[ID]` and `[P?]` are left out:
/// the task format legend that generated task lists keep names them.
const TEMPLATE_PLACEHOLDERS: &[&str] = &[
    "feature name",
    "feature",
    "date",
    "brief title",
    "entity",
    "entity 1",
    "entity 2",
    "entity1",
    "entity2",
    "language",
    "framework",
    "endpoint",
    "endpoint/feature",
    "service",
    "user journey",
    "initial state",
    "action",
    "expected outcome",
    "error scenario",
    "boundary condition",
    "specific action",
    "specific value",
    "specific problem",
    "current need",
    "link",
    "remove if unused",
];

/// The template's placeholders that run on with instructions (`[Describe
/// this user journey in plain language]`, `[e.g., Python 3.11, Swift 5.9
/// or NEEDS CLARIFICATION]`), matched by their first words.
const TEMPLATE_PLACEHOLDER_PREFIXES: &[&str] = &[
    "describe this user journey",
    "describe how this can be tested",
    "explain the value and why",
    "brief description of what this story delivers",
    "how to verify this story works",
    "add more user stor",
    "measurable metric",
    "user satisfaction metric",
    "business metric",
    "specific capability",
    "key interaction",
    "data requirement",
    "behavior, e.g.",
    "what it represents",
    "dependency on existing system",
    "assumption about",
    "extract from feature spec",
    "gates determined based on",
    "e.g.,",
    "domain-specific, e.g.",
    "if applicable, e.g.",
    "platform-specific structure",
    "same as backend above",
    "why 3 projects insufficient",
    "why direct db access insufficient",
];

/// spec-kit's template placeholders left in a spec, plan or task list.
/// A placeholder that is a path's segment (`src/models/[entity1].py`,
/// `app/[locale]/page.tsx`) is left alone: real paths have them. So are
/// the example rows of the plan's Complexity Tracking table, which the
/// template says to fill only when the Constitution Check found a
/// violation to justify, and which plans without one keep as they are. The
/// feature folder's placeholder (`[###-feature-name]`) can be no real
/// name, so it counts in inline code too, where the templates write it
/// (``**Branch**: `[###-feature-name]` ``), though not in a code block.
fn template_placeholders(input: &ParseInput<'_>) -> Vec<TextRange> {
    let text = input.text;
    let ignored = &input.outline.ignored;
    let mut found: Vec<TextRange> = placeholders_among(
        text,
        ignored,
        TEMPLATE_PLACEHOLDERS,
        TEMPLATE_PLACEHOLDER_PREFIXES,
    )
    .into_iter()
    .filter(|r| !in_path_or_name_pattern(text, *r))
    .collect();
    let headings = &input.outline.headings;
    let optional: Vec<TextRange> = headings
        .iter()
        .enumerate()
        .filter(|(_, h)| h.text.to_ascii_lowercase().contains("complexity tracking"))
        .map(|(i, h)| {
            let end = headings[i + 1..]
                .iter()
                .find(|next| next.level <= h.level)
                .map_or(text.len(), |next| next.range.start());
            TextRange::new(h.range.start(), end)
        })
        .collect();
    found.retain(|r| !optional.iter().any(|o| o.contains_range(*r)));
    for (at, _) in text.match_indices("[###-feature") {
        let Some(len) = text[at..].find([']', '\n']) else {
            continue;
        };
        let end = at + len;
        if !text[end..].starts_with(']')
            || !matches!(&text[at + 1..end], "###-feature-name" | "###-feature")
        {
            continue;
        }
        let in_block = ignored.iter().any(|r| {
            r.start() <= at
                && at < r.end()
                && (text[r.start()..].starts_with("```")
                    || text[r.start()..].starts_with("~~~")
                    || text[r.start()..].starts_with("<!--"))
        });
        if !in_block {
            found.push(TextRange::new(at, end + 1));
        }
    }
    found
}

/// Whether the bracketed slot at `range` is a segment of a path
/// (`src/models/[entity1].py`, `specs/[number]-[name]/`) or is joined by a
/// dash to another slot in a name's pattern (`branches named
/// [number]-[feature-name]`): a spec about the workflow's own folders
/// writes such patterns, and they are no template left unfilled.
fn in_path_or_name_pattern(text: &str, range: TextRange) -> bool {
    let (before, after) = (&text[..range.start()], &text[range.end()..]);
    before.ends_with('/')
        || after.starts_with(['/', '.'])
        || before.ends_with("]-")
        || after.starts_with("-[")
}

/// `FR-001`, `NFR-002`, `SC-003`, `FR-007a` (an inserted requirement), or
/// `002-search/FR-004` for another feature's.
static REQUIREMENT_REF: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:\b(\d{3,}-[A-Za-z0-9][A-Za-z0-9._-]*)/)?\b(NFR|FR|SC)-(\d+)([A-Za-z])?\b")
        .expect("valid regex")
});

/// Every requirement or success criterion named in `range`, outside code and
/// comments and outside `skip` (the definitions themselves, or the tasks
/// read on their own), as references of `role`.
fn requirement_refs(
    text: &str,
    range: TextRange,
    ignored: &[TextRange],
    feature: &str,
    skip: &[TextRange],
    role: RefRole,
) -> Vec<Reference> {
    let mut out = Vec::new();
    for caps in REQUIREMENT_REF.captures_iter(&text[range.start()..range.end()]) {
        let Some(whole) = caps.get(0) else {
            continue;
        };
        let at = TextRange::new(range.start() + whole.start(), range.start() + whole.end());
        if is_ignored(ignored, at.start())
            || skip.iter().any(|s| s.contains_range(at))
            || suffixed(&text[at.end()..])
        {
            continue;
        }
        let (Some(prefix), Some(digits)) = (caps.get(2), caps.get(3)) else {
            continue;
        };
        let Some(n) = number(digits.as_str()) else {
            continue;
        };
        let scope = caps.get(1).map_or_else(
            || feature.to_string(),
            |m| sibling_feature(feature, m.as_str()),
        );
        out.push(Reference {
            target: Target::Id(
                scoped(
                    &scope,
                    &requirement_local(prefix.as_str(), n, caps.get(4).map(|m| m.as_str())),
                )
                .into(),
            ),
            written: whole.as_str().into(),
            range: at,
            role,
            expects: Some(requirement_kind(prefix.as_str())),
        });
    }
    out
}

/// Whether the text after a requirement's ID makes it another ID: a dash
/// and a word of capitals or a number that ends there (`FR-003-NOTE`,
/// `FR-007-NEW`, `FR-001-010`), not a dash before the next ID
/// (`FR-001-FR-003`) nor a word in lowercase (`FR-003-compliant`), which
/// leaves the ID naming the requirement.
fn suffixed(after: &str) -> bool {
    let Some(rest) = after.strip_prefix('-') else {
        return false;
    };
    let suffix_len = rest
        .find(|c: char| !(c.is_ascii_uppercase() || c.is_ascii_digit()))
        .unwrap_or(rest.len());
    let ends_at_word_boundary =
        !rest[suffix_len..].starts_with(|c: char| c.is_alphanumeric() || c == '_');
    suffix_len > 0
        && ends_at_word_boundary
        && !["FR-", "NFR-", "SC-"].iter().any(|id| rest.starts_with(id))
}

/// Whether the text after a requirement's ID numbers an item below it: a
/// dot and a digit (`FR-1.8`, `FR-005.1`).
fn numbered_below(after: &str) -> bool {
    after
        .strip_prefix('.')
        .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit()))
}

/// A success criterion is a criterion; a functional or non-functional
/// requirement a requirement.
fn requirement_kind(prefix: &str) -> ItemKind {
    if prefix.eq_ignore_ascii_case("SC") {
        ItemKind::Criterion
    } else {
        ItemKind::Requirement
    }
}

/// "User story" in the languages spec-kit's templates are translated to
/// (spec.md files in Chinese write `### 用户故事 1 — 标题`).
const STORY_WORDS: &str = r"user\s+story|用户故事|用戶故事|使用者故事|ユーザーストーリー|사용자\s*스토리|historia\s+de\s+usuario|hist[óo]ria\s+d[eo]\s+usu[áa]rio|r[ée]cit\s+utilisateur|histoire\s+utilisateur|benutzergeschichte|anwendergeschichte|пользовательская\s+история";
static STORY_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)^(?:{STORY_WORDS}|story|US-?)\s*(\d+(?:\.\d+)*)\b\s*(?:[-–—:：.]\s*)?(.*)$"
    ))
    .expect("valid regex")
});
/// `(Priority: P1)`, and as translations write it (`（优先级：P1）`).
static PRIORITY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)[(（]\s*(?:priority|优先级|優先級|優先度|우선순위|prioridad|prioridade|priorité|priorität)\s*[:：]\s*(P\d+)\s*[)）]")
        .expect("valid regex")
});
/// A list item that opens with an ID in bold, a requirement's statement:
/// `- **FR-001**: …`, `- **FR-TEST-023**: …`, `- **NFR-PERF-01**: …`.
static BOLD_STATEMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^\s*(?:[-*+]|\d+[.)])\s+(?:\*\*|__)[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*-\d+[A-Za-z]?(?:\*\*|__)",
    )
    .expect("valid regex")
});
/// `- **FR-001**: System MUST …`, `- **FR-030** [OUT OF SCOPE]: …`,
/// `- ~~**FR-035**: …~~`, `- **SC-001:** …`, `FR-002: …`, `- **FR-007a**:
/// …` (inserted after `FR-007`), with a tag in parentheses, `- **FR-001
/// (Experience, Simplicity)**: …`, `**SC-001（稽核完整性）**: …`, and with
/// tags in code, `- **FR-001** `[Deliberate Simplicity]` `[Reliability]`: …`
/// (projects that tie each requirement to their constitution's principles).
/// A sub-item numbered below one (`- **FR-005a.1**: …`) defines nothing: a
/// `.` ends the ID only before a space.
static REQUIREMENT_DEF: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^\s*(?:[-*+]\s+|\d+[.)]\s+)?(?:~~)?(?:\*\*|__)?((NFR|FR|SC)-(\d+)([A-Za-z])?)(?:\s*[(（][^)）\n]*[)）])?(?:\*\*|__)?\s*(?:(?:\[[^\]\n]*\]|`[^`\n]*`)\s*)*(?:\*\*|__)?\s*(?:[:：–—-]|\.(?:\s|$))\s*(?P<statement>.*)$",
    )
    .expect("valid regex")
});

/// The text after a title's `Label:` (`Feature Specification: Login`).
fn after_label(title: &str) -> &str {
    title
        .split_once([':', '：'])
        .map_or(title, |(_, rest)| rest)
        .trim()
}

/// Where the markdown of a file starts: after its YAML front matter, when
/// it opens with a `---` block that closes. Markdown reads the closing
/// `---` as the underline of a heading made of the block's last line.
fn body_start(text: &str) -> usize {
    yaml::front_matter(text)
        .map(|front| front.range.end())
        .filter(|&end| end < text.len())
        .unwrap_or(0)
}

/// The feature, its user stories, requirements and success criteria.
fn parse_spec(input: &ParseInput<'_>, facts: &mut FileFacts) {
    let text = input.text;
    let feature = &feature_of(input.rel);
    let body = body_start(text);
    let headings: Vec<&Heading> = input
        .outline
        .headings
        .iter()
        .filter(|h| h.range.start() >= body)
        .collect();
    let ignored = &input.outline.ignored;

    let title = headings.iter().find(|h| h.level == 1);
    let mut spec = Item::new(
        ItemKind::Feature,
        feature.to_string(),
        title.map_or(TextRange::empty(0), |h| h.range),
    );
    spec.title = title
        .map(|h| after_label(&h.text).to_string())
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| feature.rsplit('/').next().unwrap_or(feature).to_string())
        .into();
    spec.range = TextRange::new(0, text.len());
    // The header fields (`**Feature Branch**`, `**Status**`, ...) come
    // before the first section.
    let header_end = headings
        .iter()
        .find(|h| h.level >= 2)
        .map_or(text.len(), |h| h.range.start());
    spec.fields = fields(
        &input.outline.base,
        TextRange::new(body, header_end),
        ignored,
    )
    .into_iter()
    .filter(|f| !REQUIREMENT_REF.is_match(&f.label))
    .collect();
    if let Some(status) = spec.field("status").cloned() {
        // `**Status**: Draft **Input**: …` on one line, as a template whose
        // line breaks were lost writes it.
        let value = value_before_next_field(text, status.value_range);
        spec.progress = progress_of(&text[value.start()..value.end()]);
        spec.status = Some((input.outline.slice_at(value), value));
    }
    facts.items.push(spec);

    for (i, heading) in headings.iter().enumerate() {
        let Some(caps) = STORY_HEADING.captures(heading.text.trim()) else {
            continue;
        };
        let Some(n) = caps.get(1).and_then(|m| story_number(m.as_str())) else {
            continue;
        };
        let local = format!("US{n}");
        let end = headings[i + 1..]
            .iter()
            .find(|next| next.level <= heading.level)
            .map_or(text.len(), |next| next.range.start());
        let mut story = Item::new(
            ItemKind::Requirement,
            scoped(feature, &local),
            heading.range,
        );
        let rest = caps.get(2).map_or("", |m| m.as_str());
        let priority = PRIORITY.captures(rest);
        let title = PRIORITY.replace(rest, "");
        story.title = Some(title.trim())
            .filter(|t| !t.is_empty())
            .map_or_else(|| format!("User Story {n}").into(), Slice::from);
        story.number = Some(local);
        story.range = TextRange::new(heading.range.start(), end);
        story.fields = fields(
            &input.outline.base,
            TextRange::new(heading.range.end(), end),
            ignored,
        );
        if let Some(p) = priority.as_ref().and_then(|c| c.get(1)) {
            // Where `rest` starts in the file: the heading's text is its
            // `text_range`, which the match ran on once trimmed.
            let base = heading.text_range.start()
                + (heading.text.len() - heading.text.trim_start().len())
                + caps.get(2).map_or(0, |m| m.start());
            let at = TextRange::new(base + p.start(), base + p.end());
            // Should the heading's text differ from the file's, the range
            // would not hold the priority: it is then left out.
            if text.get(at.start()..at.end()) == Some(p.as_str()) {
                story
                    .fields
                    .insert(0, Field::new("Priority", at, at, heading.range));
            }
        }
        facts.items.push(story);
    }

    let mut definitions = Vec::new();
    let mut defined = HashSet::new();
    // The requirements defined on a line of their own, in the order written,
    // and whether each is a plain ID nested in another's statement.
    let mut line_definitions = Vec::new();
    let mut nested_definitions = HashSet::new();
    // The indentation of the list item above that states a requirement of
    // its own in bold (`- **FR-TEST-023**: Tests MUST ...`), while the
    // lines below are nested in it.
    let mut statement_indent: Option<usize> = None;
    for line in lines_in(text, TextRange::new(0, text.len())) {
        if is_ignored(ignored, line.start()) {
            continue;
        }
        let raw = &text[line.start()..line.end()];
        let indent = indent_of(raw);
        let blank = raw.trim().is_empty();
        if !blank && statement_indent.is_some_and(|above| indent <= above) {
            statement_indent = None;
        }
        let nested = !blank && statement_indent.is_some();
        if !nested && BOLD_STATEMENT.is_match(raw) {
            statement_indent = Some(indent);
        }
        let Some(caps) = REQUIREMENT_DEF.captures(raw) else {
            continue;
        };
        let (Some(id), Some(prefix), Some(digits)) = (caps.get(1), caps.get(2), caps.get(3)) else {
            continue;
        };
        // `FR-003-NOTE` and `FR-007-NEW` are IDs of their own, not `FR-003`
        // and `FR-007` once more.
        if suffixed(&raw[id.end()..]) {
            continue;
        }
        // A plain ID in an item nested in another requirement's statement
        // (`  - SC-003: Branch lookups < 150ms` under a test requirement)
        // may name a criterion the file defines elsewhere; whether it does
        // is known once every line is read.
        let bold = raw[..id.start()].ends_with("**") || raw[..id.start()].ends_with("__");
        let tentative = nested && !bold;
        let Some(n) = number(digits.as_str()) else {
            continue;
        };
        let at = TextRange::new(line.start() + id.start(), line.start() + id.end());
        let local = requirement_local(prefix.as_str(), n, caps.get(4).map(|m| m.as_str()));
        let mut item = Item::new(
            requirement_kind(prefix.as_str()),
            scoped(feature, &local),
            at,
        );
        // A struck-out definition ends at its closing `~~`.
        let rest = caps.name("statement").map_or("", |m| m.as_str());
        item.title = rest
            .split("~~")
            .next()
            .unwrap_or(rest)
            .trim_matches(|c: char| c == '*' || c == '_' || c.is_whitespace())
            .to_string()
            .into();
        item.number = Some(local.clone());
        item.range = line;
        if !tentative {
            defined.insert(local);
        }
        line_definitions.push((item, at, tentative));
    }
    // A nested plain ID names the requirement the file defines elsewhere
    // (`FR-003` repeated under `**FR-010**`) and defines nothing; where the
    // file defines it nowhere else (`  - FR-011: Email` under a statement),
    // the nested item is its definition.
    for (item, at, tentative) in line_definitions {
        let Some(local) = item.number.clone() else {
            continue;
        };
        if tentative && defined.contains(&local) {
            continue;
        }
        if tentative {
            nested_definitions.insert(local);
        }
        definitions.push(at);
        facts.items.push(item);
    }
    defined.extend(nested_definitions);
    // A requirements table: a row whose first cell is the ID.
    for table in &input.outline.tables {
        for row in &table.rows {
            let Some(first) = row.cells.first() else {
                continue;
            };
            let id = first.text.trim_matches(['*', '_', ' ']);
            let Some(caps) = REQUIREMENT_REF
                .captures(id)
                .filter(|c| c.get(0).is_some_and(|m| m.as_str() == id) && c.get(1).is_none())
            else {
                continue;
            };
            let (Some(prefix), Some(digits)) = (caps.get(2), caps.get(3)) else {
                continue;
            };
            let Some(n) = number(digits.as_str()) else {
                continue;
            };
            let local = requirement_local(prefix.as_str(), n, caps.get(4).map(|m| m.as_str()));
            if defined.contains(&local) || is_ignored(ignored, first.range.start()) {
                continue;
            }
            let offset = first.text.find(id).unwrap_or(0);
            let at = TextRange::new(
                first.range.start() + offset,
                first.range.start() + offset + id.len(),
            );
            let mut item = Item::new(
                requirement_kind(prefix.as_str()),
                scoped(feature, &local),
                at,
            );
            item.title = row.cells.get(1).map_or("", |c| c.text.trim()).into();
            item.number = Some(local.clone());
            item.range = row.range;
            defined.insert(local);
            definitions.push(at);
            facts.items.push(item);
        }
    }
    // Other mentions of requirements (a checklist saying `FR-035` was
    // deferred) are references, for navigation.
    facts.references = requirement_refs(
        text,
        TextRange::new(0, text.len()),
        ignored,
        feature,
        &definitions,
        RefRole::Mention,
    );
}

static PHASE_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:phase|阶段|階段|フェーズ|단계|fase|étape|etappe)\s*(\d+(?:\.\d+)*[a-z]?)\b\.?\s*(?:[:：\-–—]\s*)?(.*)$")
        .expect("valid regex")
});
/// A checklist line: indentation, bullet, box; the task ID follows.
static TASK_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^([ \t]*)(?:[-*+]|\d+[.)])[ \t]+\[([ xX\-~])\][ \t]+").expect("valid regex")
});
/// `T012`, `T017b`, `T005-TEST` (a dash and at least two capitals, so that
/// `T001-T009` stays a range), `T158-1` (a dash and one or two digits: a
/// sub-task inserted after `T158`, which three digits would not be).
static TASK_ID: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^T(\d+)([a-zA-Z]|-[A-Z]{2,}[A-Z0-9]*|-\d{1,2})?\b").expect("valid regex")
});
/// The words that say what a task waits for in the languages spec-kit's
/// task lists are written in, other than English: `依存`, `依赖`, `Depende
/// de`, `Dependências`, `Abhängig von`, … Longer words come first, so that
/// `依存関係` is read whole. Words of letters are read as whole words; the
/// Chinese, Japanese and Korean ones, written without spaces, anywhere.
const DEPENDENCY_WORDS_LATIN: &str = r"depende\s+de|dependen\s+de|dependencias|dependencia|dependências|dependência|dépend\s+de|dépendances|dépendance|abhängig\s+von|hängt\s+ab\s+von|abhängigkeiten|зависит\s+от|зависимости";
const DEPENDENCY_WORDS_CJK: &str = r"依存関係|依存タスク|依存|前提タスク|依赖于|依賴於|依赖|依賴|前置任务|前置任務|의존성|선행\s*작업";
/// Where a task's dependencies start: `depends on`, `Dependencies:`,
/// `blocked by`, `after`, `requires`, or one of the words above, with a
/// colon, ASCII or full-width, or none.
static DEPENDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)(?:\b(?:depends?\s+on|dependencies|blocked\s+by|requires|after|{DEPENDENCY_WORDS_LATIN})\b|{DEPENDENCY_WORDS_CJK})\s*[:：]?\s*"
    ))
    .expect("valid regex")
});
/// Whether a dependency found by [`DEPENDS`] is a word of prose (`after`,
/// `requires`) rather than a label or phrase only dependencies are written
/// with (`depends on`, `Dependencies:`, `blocked by`, `依赖`).
fn loose_dependency_word(found: &str) -> bool {
    let word = found.trim_start().to_ascii_lowercase();
    word.starts_with("after") || word.starts_with("requires")
}
/// One task or range of tasks: `T010`, `T158-1`, `T001-T009`,
/// `002-search/T004`.
static TASK_REF: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:(\d{3,}-[A-Za-z0-9][A-Za-z0-9._-]*)/)?T(\d+)([a-zA-Z]|-[A-Z]{2,}[A-Z0-9]*|-\d{1,2})?\b(?:\s*(?:-|–|—|\.\.|\bto\b|\bthrough\b|\bthru\b)\s*T(\d+)\b)?",
    )
    .expect("valid regex")
});
static LIST_SEPARATOR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:\s*(?:,|;|&|\band\b)\s*|\s+)").expect("valid regex"));
/// `T010-T011 depend on T001-T009`, in a Dependencies section.
static DEPEND_ON: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:\([^)\n]*\)\s*)?(?:depends?|must\s+wait)\s+(?:on|for)\s+")
        .expect("valid regex")
});
/// A list of the requirements a task implements, where completion offers
/// the spec's: `(FR-001, SC-002)` or `Requirements: FR-001, FR-002`.
static COVERS_LIST: LazyLock<Regex> = LazyLock::new(|| {
    let ids = r"(?:NFR|FR|SC|US)-?\d+[a-z]?(?:\s*[,;]\s*(?:(?:NFR|FR|SC|US)-?\d+[a-z]?)?)*";
    Regex::new(&format!(
        r"\(\s*({ids})\s*\)|(?i:\b(?:requirements?|covers|implements)\s*:\s*)({ids})"
    ))
    .expect("valid regex")
});
/// A user-story phase: `Phase 3: User Story 1 - Login (Priority: P1)`.
static STORY_PHASE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)(?:{STORY_WORDS})\s*(\d+(?:\.\d+)*)|\bUS-?\s*(\d+(?:\.\d+)*)\b"
    ))
    .expect("valid regex")
});
static STORY_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)^(?:US-?|(?:{STORY_WORDS})\s*)(\d+(?:\.\d+)*)$"
    ))
    .expect("valid regex")
});

/// One `T012` or `T001-T009` written in a list of tasks.
#[derive(Clone)]
struct TaskToken {
    range: TextRange,
    /// The other feature the token names, when it is written with one.
    feature: Option<String>,
    from: u64,
    /// The letter of an inserted task (`T017b`), the word of a companion
    /// (`T005-TEST`) or the number of a sub-task (`T158-1`), which names
    /// one task.
    suffix: Option<Box<str>>,
    to: Option<u64>,
}

/// The tasks listed at `start` (`T010, T011 and T012-T014`), up to `end`.
fn task_list(text: &str, start: usize, end: usize) -> Vec<TaskToken> {
    let mut out = Vec::new();
    let mut at = start;
    while let Some(caps) = TASK_REF.captures(&text[at..end]) {
        let Some(whole) = caps.get(0) else {
            break;
        };
        let Some(from) = caps.get(2).and_then(|m| number(m.as_str())) else {
            break;
        };
        out.push(TaskToken {
            range: TextRange::new(at + whole.start(), at + whole.end()),
            feature: caps.get(1).map(|m| m.as_str().to_string()),
            from,
            suffix: caps.get(3).map(|m| task_suffix(m.as_str())),
            to: caps.get(4).and_then(|m| number(m.as_str())),
        });
        at += whole.end();
        match LIST_SEPARATOR.find(&text[at..end]) {
            Some(sep) if !sep.is_empty() => at += sep.end(),
            _ => break,
        }
    }
    out
}

/// How many tasks one range may stand for.
const MAX_RANGE: u64 = 1000;

/// The task IDs a token stands for: a range is the tasks of this file in
/// between (a removed task leaves a gap, not a dangling reference) and its
/// two ends, which must exist; a range of another feature's tasks is every
/// number in between.
fn expand(token: &TaskToken, feature: &str, defined: &HashSet<u64>) -> Vec<String> {
    let scope = token.feature.as_deref().map_or_else(
        || feature.to_string(),
        |name| sibling_feature(feature, name),
    );
    let scope = scope.as_str();
    if let Some(suffix) = token.suffix.as_deref() {
        return vec![scoped(scope, &task_local_with(token.from, Some(suffix)))];
    }
    let to = match token.to {
        Some(to) if to > token.from && to - token.from <= MAX_RANGE => to,
        Some(to) if to != token.from => {
            return vec![
                scoped(scope, &task_local(token.from)),
                scoped(scope, &task_local(to)),
            ]
        }
        _ => token.from,
    };
    (token.from..=to)
        .filter(|n| token.feature.is_some() || *n == token.from || *n == to || defined.contains(n))
        .map(|n| scoped(scope, &task_local(n)))
        .collect()
}

/// How many written dependencies one file may hold once ranges are
/// expanded: `T001-T999 depend on T001-T999` would otherwise make a million.
const MAX_WRITTEN_DEPS: usize = 100_000;

/// A dependency as read, before ranges are expanded.
struct WrittenDep {
    /// The index of the task in the file's items.
    owner: usize,
    token: TaskToken,
}

/// The number and range of a task's `T012`.
struct TaskHead {
    indent: usize,
    number: u64,
    /// The letter of an inserted task (`T017b`), the word of a companion
    /// (`T005-TEST`) or the number of a sub-task (`T158-1`).
    suffix: Option<Box<str>>,
    id: TextRange,
    /// The mark in the task's box and the box: a checklist line has one, a
    /// heading rarely (`### [x] T001 Title`).
    checkbox: Option<(char, TextRange)>,
    /// Where the text after the ID and its markers starts.
    rest: usize,
    /// The `[P]` marker and its letter.
    parallel: Option<(TextRange, TextRange)>,
    /// The stories its labels name, by number (`1`, `1.2`).
    stories: Vec<(String, TextRange)>,
    /// The inside of the first `[US…]` tag, even one still being typed
    /// (`[US]`): where completion offers the spec's stories.
    story_tag: Option<TextRange>,
    /// Whether the task is struck out (`- [x] ~~T021 Add the cache~~`):
    /// dropped from the list, not done.
    struck: bool,
}

/// A task whose box follows its ID, as some agents write their task lists:
/// `- **T001**: [X] Text`, `1.  **T018**: [x] Text`, `- T006 [x] Text`,
/// and `**T005**: [X] Text` with no bullet at all. The ID and the box are
/// both needed: a bare `- **T001**: Text` stays prose.
static ID_THEN_BOX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^([ \t]*)(?:(?:[-*+]|\d+[.)])[ \t]+)?((?:\*\*|__)?T\d+[^\s\[\]*_:]*(?:\*\*|__)?:?)[ \t]+\[([ xX\-~])\](?:[ \t]|$)",
    )
    .expect("valid regex")
});

/// Reads `- [x] **T002 [P]** [US1] Text`: the ID, then `[P]`, story labels
/// and other bracketed tags (`[DEFERRED]`) in any order. A line whose box
/// follows the ID (`- **T001**: [X] Text`) is read the same way.
fn task_head(text: &str, line: TextRange) -> Option<TaskHead> {
    let raw = &text[line.start()..line.end()];
    let Some(caps) = TASK_LINE.captures(raw) else {
        return id_then_box_head(text, line);
    };
    let whole = caps.get(0)?;
    let checkbox = checkbox_of(line, caps.get(2)?);
    let indent = caps.get(1).map_or(0, |m| indent_of(m.as_str()));
    head_from(text, line, whole.end(), indent, Some(checkbox))
}

/// The mark in a task's box and the box's range, from the match of the
/// mark inside `[` and `]` on `line`.
fn checkbox_of(line: TextRange, mark: regex::Match<'_>) -> (char, TextRange) {
    (
        mark.as_str().chars().next().unwrap_or(' '),
        TextRange::new(
            line.start() + mark.start() - 1,
            line.start() + mark.end() + 1,
        ),
    )
}

/// Reads a task line whose box follows the ID, `- **T001**: [X] Text`:
/// the ID starts the head and the box, read as the task's status, is
/// passed over with the tags after it.
fn id_then_box_head(text: &str, line: TextRange) -> Option<TaskHead> {
    let raw = &text[line.start()..line.end()];
    let caps = ID_THEN_BOX.captures(raw)?;
    let checkbox = checkbox_of(line, caps.get(3)?);
    let indent = caps.get(1).map_or(0, |m| indent_of(m.as_str()));
    // The token before the box is one ID, not a range (`- T010-T012 [x]`).
    let written = caps.get(2)?.as_str();
    let id = written
        .trim_end_matches(':')
        .trim_matches(|c: char| c == '*' || c == '_');
    if TASK_ID.find(id).is_none_or(|found| found.end() != id.len()) {
        return None;
    }
    head_from(text, line, caps.get(2)?.start(), indent, Some(checkbox))
}

/// A box at the start of a heading's text (`[x] T001 Title`).
static HEADING_BOX: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\[([ xX\-~])\][ \t]+").expect("valid regex"));
/// What follows a task ID when it starts a range (`T001-T005`, `T002 to
/// T004`) rather than names one task.
static RANGE_AFTER_ID: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:-|–|—|\.\.|\bto\b|\bthrough\b)\s*T\d").expect("valid regex")
});

/// Reads a task written as a heading, `### T001: Title` or `#### T002 [P]:
/// Title`, as [`task_head`] reads a checklist line; the text after the ID
/// is the task's and the heading's level is its indentation.
fn heading_task_head(text: &str, heading: &Heading) -> Option<TaskHead> {
    let line = heading.range;
    let raw = &text[line.start()..line.end()];
    // Only an ATX heading (`### T001`) holds a task; its text starts after
    // the `#` markers.
    if !raw.trim_start().starts_with('#') {
        return None;
    }
    let mut at = heading.text_range.start().checked_sub(line.start())?;
    let mut checkbox = None;
    if let Some(caps) = raw.get(at..).and_then(|rest| HEADING_BOX.captures(rest)) {
        let (whole, mark) = (caps.get(0)?, caps.get(1)?);
        let start = line.start() + at;
        checkbox = Some((
            mark.as_str().chars().next().unwrap_or(' '),
            TextRange::new(start + mark.start() - 1, start + mark.end() + 1),
        ));
        at += whole.end();
    }
    let head = head_from(text, line, at, usize::from(heading.level), checkbox)?;
    if RANGE_AFTER_ID.is_match(&text[head.id.end()..line.end()]) {
        return None;
    }
    Some(head)
}

impl TaskHead {
    /// Reads the bracketed tag at `at` of the line `raw` (which starts at
    /// `line_start` in the file), up to its `]` at `at + close`: `[P]`, a
    /// story label (`[US1]`, and several joined: `[US1, US2]`, `[US2/US3]`,
    /// `[US1+US2]`, `[US1 & US2]`), or another tag, which says nothing the
    /// head keeps.
    fn note_tag(&mut self, line_start: usize, raw: &str, at: usize, close: usize) {
        let inner_start = at + 1;
        let inner = &raw[inner_start..at + close];
        if inner.trim().eq_ignore_ascii_case("p") {
            let p = inner_start + (inner.len() - inner.trim_start().len());
            self.parallel = Some((
                TextRange::new(line_start + at, line_start + at + close + 1),
                TextRange::new(line_start + p, line_start + p + 1),
            ));
        } else {
            let tag = inner.trim();
            if self.story_tag.is_none()
                && tag.get(..2).is_some_and(|h| h.eq_ignore_ascii_case("us"))
            {
                let start = inner_start + (inner.len() - inner.trim_start().len());
                self.story_tag = Some(TextRange::new(
                    line_start + start,
                    line_start + start + tag.len(),
                ));
            }
            // One tag may name several stories: `[US1, US2]`, `[US2/US3]`,
            // `[US1+US2]`, `[US1 & US2]`.
            let mut offset = inner_start;
            for part in inner.split([',', '/', '+', '&']) {
                let label = part.trim();
                let start = offset + (part.len() - part.trim_start().len());
                offset += part.len() + 1;
                if let Some(n) = STORY_LABEL
                    .captures(label)
                    .and_then(|c| c.get(1))
                    .and_then(|m| story_number(m.as_str()))
                {
                    self.stories.push((
                        n,
                        TextRange::new(line_start + start, line_start + start + label.len()),
                    ));
                }
            }
        }
    }
}

/// How many bracketed tags a task line may write before its ID (`- [ ]
/// [P] [US1] T001`); more, and the line is not read as a task.
const MAX_LEADING_TAGS: usize = 4;

/// Reads what follows a task's box, from `at` in `line`: the ID (`T012`,
/// `**T012**`, `[T012]`), then `[P]`, story labels and other bracketed
/// tags in any order, which may also come before the ID.
fn head_from(
    text: &str,
    line: TextRange,
    start: usize,
    indent: usize,
    checkbox: Option<(char, TextRange)>,
) -> Option<TaskHead> {
    let raw = &text[line.start()..line.end()];
    let mut at = start;
    let skip = |at: &mut usize, s: &str| {
        if raw[*at..].starts_with(s) {
            *at += s.len();
            true
        } else {
            false
        }
    };
    // Tags written before the ID (`- [ ] [P] T001`, `- [X] [US1] T007`),
    // read once the head exists. A bracketed ID (`[T010]`) is no tag.
    let mut leading_tags = Vec::new();
    while raw[at..].starts_with('[') && leading_tags.len() < MAX_LEADING_TAGS {
        let Some(close) = raw[at..].find(']') else {
            break;
        };
        let inner = &raw[at + 1..at + close];
        if TASK_ID
            .find(inner)
            .is_some_and(|id| id.end() == inner.len())
        {
            break;
        }
        leading_tags.push((at, close));
        at += close + 1;
        at += raw[at..].len() - raw[at..].trim_start().len();
    }
    // A task crossed out of the list keeps its ID: `~~T021 Add the
    // cache~~ (moved to 004)`.
    let struck = is_struck_through(&raw[at..]) && skip(&mut at, "~~");
    let _ = skip(&mut at, "**") || skip(&mut at, "__");
    let bracketed = skip(&mut at, "[");
    let id = TASK_ID.captures(&raw[at..])?;
    let id_match = id.get(0)?;
    let task_number = number(id.get(1)?.as_str())?;
    let id_range = TextRange::new(line.start() + at, line.start() + at + id_match.end());
    at += id_match.end();
    if bracketed && !skip(&mut at, "]") {
        return None;
    }
    // `T001:` and `T001.` end the ID with a mark of their own.
    let _ = skip(&mut at, ":") || skip(&mut at, ".");
    let mut head = TaskHead {
        indent,
        number: task_number,
        suffix: id.get(2).map(|m| task_suffix(m.as_str())),
        id: id_range,
        checkbox,
        rest: 0,
        parallel: None,
        stories: Vec::new(),
        story_tag: None,
        struck,
    };
    for (tag_at, close) in leading_tags {
        head.note_tag(line.start(), raw, tag_at, close);
    }
    loop {
        at += raw[at..].len() - raw[at..].trim_start().len();
        if skip(&mut at, "**") || skip(&mut at, "__") {
            // `**T001**:` ends the ID with a colon after its bold.
            let _ = skip(&mut at, ":");
            continue;
        }
        if !raw[at..].starts_with('[') {
            break;
        }
        let Some(close) = raw[at..].find(']') else {
            break;
        };
        head.note_tag(line.start(), raw, at, close);
        at += close + 1;
    }
    head.rest = line.start() + at;
    Some(head)
}

/// Notes where a task's first list of dependencies is written: from its
/// first task to its last, or, when a label (`Depends on: `) has no task
/// after it yet, the empty place at the line's end where an editor
/// completes one. A later list does not move it.
fn note_deps_field(task: &mut Item, list: &[TaskToken], value_start: usize, line_end: usize) {
    if let (Some(first), Some(last)) = (list.first(), list.last()) {
        let field = TextRange::new(first.range.start(), last.range.end());
        task.deps_field.get_or_insert(field);
    } else if value_start == line_end {
        task.deps_field.get_or_insert(TextRange::empty(value_start));
    }
}

/// The task item a checklist line or a heading writes: ID, title, status
/// from its box (open without one), `[P]`, story labels and the
/// requirements named in `extent`.
fn task_item(
    input: &ParseInput<'_>,
    feature: &str,
    head: &TaskHead,
    line: TextRange,
    extent: TextRange,
) -> Item {
    let text = input.text;
    let ignored = &input.outline.ignored;
    let local = task_local_with(head.number, head.suffix.as_deref());
    let mut task = Item::new(ItemKind::Task, scoped(feature, &local), head.id);
    task.number = Some(local);
    let title = text[head.rest..line.end()].trim();
    // A struck-out task's title ends at its closing `~~`.
    let title = if head.struck {
        title.split("~~").next().unwrap_or(title)
    } else {
        title
    };
    task.title = title
        .trim()
        .trim_end_matches("**")
        .trim()
        .to_string()
        .into();
    task.range = extent;
    task.progress = Some(Progress::NotStarted);
    if let Some((mark, at)) = head.checkbox {
        let (word, progress) = match mark {
            _ if head.struck => ("dropped", Progress::Dropped),
            'x' | 'X' => ("done", Progress::Done),
            '-' | '~' => ("in progress", Progress::InProgress),
            _ => ("not started", Progress::NotStarted),
        };
        task.status = Some((word.into(), at));
        task.progress = Some(progress);
    }
    if let Some((marker, p)) = head.parallel {
        task.fields.push(Field::new("Parallel", marker, p, line));
    }
    for (n, at) in &head.stories {
        task.covers.push(Reference {
            target: Target::Id(scoped(feature, &format!("US{n}")).into()),
            written: input.outline.slice_at(*at),
            range: *at,
            role: RefRole::Covers,
            expects: Some(ItemKind::Requirement),
        });
    }
    task.covers.extend(requirement_refs(
        text,
        TextRange::new(head.rest, extent.end()),
        ignored,
        feature,
        &[],
        RefRole::Covers,
    ));
    task.covers_field = COVERS_LIST
        .captures(&text[head.rest..extent.end()])
        .and_then(|caps| caps.get(1).or_else(|| caps.get(2)))
        .map(|m| TextRange::new(head.rest + m.start(), head.rest + m.end()))
        .or(head.story_tag);
    task
}

/// A line of a heading task's section that names what the task waits for:
/// `**Dependencies**: T001, T002`, `- **Blocked By**: [T001]`,
/// `**Preconditions**: T001 complete`, and the words a checklist task's
/// dependencies are read after in other languages (`**依存**: T001`,
/// `**Depende de**: T002`), the colon ASCII or full-width.
static DEPENDENCY_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)^\s*(?:[-*+]\s+)?(?:\*\*|__)?(?:depends(?:\s+on)?|dependencies|dependency|blocked\s+by|prerequisites?|preconditions?|requires|waits\s+for|{DEPENDENCY_WORDS_LATIN}|{DEPENDENCY_WORDS_CJK})\s*(?:[:：]\s*(?:\*\*|__)?|(?:\*\*|__)\s*[:：])\s*\[?\s*",
    ))
    .expect("valid regex")
});
/// A heading task's status line: `**Status**: ✅ Complete`, `- Status: done`.
static STATUS_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:[-*+]\s+)?(?:\*\*|__)?status\s*(?::\s*(?:\*\*|__)?|(?:\*\*|__)\s*:)\s*(\S.*?)\s*$")
        .expect("valid regex")
});
/// A bracketed tag at the end of a heading task's title: `[P]`, `[US1]`,
/// `[COMPLETED]`, `(done)`.
static TRAILING_TAG: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\s*(?:\[([^\[\]\n]+)\]|\(([^()\n]+)\))$").expect("valid regex"));
/// A status word in capitals after a dash at the end of a heading task's
/// title: `— COMPLETE`, `- DONE`.
static TRAILING_STATUS_WORD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\s+[-–—]\s+([A-Z][A-Z _-]*[A-Z])$").expect("valid regex"));
/// The marks that end a heading task's title to say it is done or under
/// way.
const DONE_MARKS: &[char] = &['✅', '✔', '☑'];
const STARTED_MARKS: &[char] = &['⏳', '🚧', '🔄'];

/// What a task written as a heading says beyond its ID: a title without
/// the `:` or `-` after the ID, `[P]` and story labels written after the
/// title (`#### T001: Update the struct [P]`), and its status: a mark
/// ending the heading (`✅`, `[COMPLETED]`, `— COMPLETE`) or the first
/// `**Status**:` line of its section, unless its box said one.
fn read_heading_task(
    input: &ParseInput<'_>,
    feature: &str,
    task: &mut Item,
    head: &TaskHead,
    line: TextRange,
    extent: TextRange,
) {
    let text = input.text;
    let ignored = &input.outline.ignored;
    let mut title = text[head.rest..line.end()]
        .trim_start_matches(|c: char| c.is_whitespace() || matches!(c, ':' | '-' | '–' | '—' | '.'))
        .trim_end();
    let title_start = line.end()
        - text[head.rest..line.end()]
            .trim_start_matches(|c: char| {
                c.is_whitespace() || matches!(c, ':' | '-' | '–' | '—' | '.')
            })
            .len();
    let mut status: Option<(String, TextRange, Progress)> = None;
    loop {
        let trimmed = title.trim_end_matches(|c: char| c.is_whitespace() || c == '\u{fe0f}');
        let base = title_start;
        if let Some(last) = trimmed
            .chars()
            .last()
            .filter(|c| DONE_MARKS.contains(c) || STARTED_MARKS.contains(c))
        {
            let at = base + trimmed.len() - last.len_utf8();
            if status.is_none() {
                let progress = if DONE_MARKS.contains(&last) {
                    Progress::Done
                } else {
                    Progress::InProgress
                };
                status = Some((
                    last.to_string(),
                    TextRange::new(at, at + last.len_utf8()),
                    progress,
                ));
            }
            title = &trimmed[..trimmed.len() - last.len_utf8()];
            continue;
        }
        let Some(caps) = TRAILING_TAG
            .captures(trimmed)
            .or_else(|| TRAILING_STATUS_WORD.captures(trimmed))
        else {
            title = trimmed;
            break;
        };
        let (Some(whole), Some(inner)) = (caps.get(0), caps.get(1).or_else(|| caps.get(2))) else {
            title = trimmed;
            break;
        };
        // A tag is only a mark after a title, never the title itself.
        if trimmed[..whole.start()].trim().is_empty() {
            title = trimmed;
            break;
        }
        let word = inner.as_str().trim();
        let at = TextRange::new(base + inner.start(), base + inner.end());
        if word.eq_ignore_ascii_case("p") {
            if task.field("parallel").is_none() {
                task.fields.push(Field::new(
                    "Parallel",
                    TextRange::new(
                        base + whole.start() + whole.as_str().len()
                            - whole.as_str().trim_start().len(),
                        base + whole.end(),
                    ),
                    at,
                    line,
                ));
            }
        } else if let Some(n) = STORY_LABEL
            .captures(word)
            .and_then(|c| c.get(1))
            .and_then(|m| story_number(m.as_str()))
        {
            task.covers.push(Reference {
                target: Target::Id(scoped(feature, &format!("US{n}")).into()),
                written: input.outline.slice_at(at),
                range: at,
                role: RefRole::Covers,
                expects: Some(ItemKind::Requirement),
            });
        } else if let Some(progress) = progress_of(word).filter(|p| *p != Progress::NotStarted) {
            if status.is_none() {
                status = Some((word.to_string(), at, progress));
            }
        } else {
            title = trimmed;
            break;
        }
        title = &trimmed[..whole.start()];
    }
    task.title = title
        .trim()
        .trim_end_matches("**")
        .trim()
        .to_string()
        .into();
    if head.checkbox.is_some() {
        return;
    }
    if status.is_none() {
        // The first status line of the section, before any heading inside
        // it.
        let body_end = input
            .outline
            .headings
            .iter()
            .map(|h| h.range.start())
            .find(|&start| start > line.start())
            .map_or(extent.end(), |start| start.min(extent.end()));
        status = lines_in(text, TextRange::new(line.end(), body_end))
            .filter(|part| !is_ignored(ignored, part.start()))
            .find_map(|part| {
                let value = STATUS_LINE
                    .captures(&text[part.start()..part.end()])?
                    .get(1)?;
                let at = TextRange::new(part.start() + value.start(), part.start() + value.end());
                let progress = progress_of(value.as_str())?;
                Some((value.as_str().to_string(), at, progress))
            });
    }
    if let Some((word, at, progress)) = status {
        task.status = Some((word.into(), at));
        task.progress = Some(progress);
    }
}

/// The leading white space of a line, tabs counting as four.
fn indent_of(raw: &str) -> usize {
    raw.chars()
        .take_while(|c| c.is_whitespace())
        .map(|c| if c == '\t' { 4 } else { 1 })
        .sum()
}

/// A `Phase N` heading and the part of the file it spans.
struct PhaseHeading {
    number: String,
    title: String,
    heading: TextRange,
    range: TextRange,
}

/// The innermost phase around each of a series of increasing offsets.
struct PhaseSweep<'a> {
    phases: &'a [PhaseHeading],
    /// The next phase not yet opened.
    next: usize,
    /// The phases open at the last offset, outermost first.
    open: Vec<usize>,
}

impl PhaseSweep<'_> {
    fn at(&mut self, offset: usize) -> Option<usize> {
        while self
            .phases
            .get(self.next)
            .is_some_and(|p| p.range.start() <= offset)
        {
            self.open.push(self.next);
            self.next += 1;
        }
        let phases = self.phases;
        self.open.retain(|&o| phases[o].range.end() > offset);
        self.open.last().copied()
    }
}

/// Phases, tasks and their dependencies.
fn parse_tasks(input: &ParseInput<'_>, facts: &mut FileFacts) {
    let text = input.text;
    let feature = &feature_of(input.rel);
    let headings = &input.outline.headings;
    let ignored = &input.outline.ignored;
    let section_end = |i: usize| {
        headings[i + 1..]
            .iter()
            .find(|next| next.level <= headings[i].level)
            .map_or(text.len(), |next| next.range.start())
    };
    let phases: Vec<PhaseHeading> = headings
        .iter()
        .enumerate()
        .filter_map(|(i, h)| {
            let words = h
                .text
                .trim_start_matches(|c: char| !c.is_alphanumeric())
                .trim();
            let caps = PHASE_HEADING.captures(words)?;
            Some(PhaseHeading {
                number: caps.get(1)?.as_str().to_string(),
                title: caps.get(2).map_or("", |m| m.as_str()).trim().to_string(),
                heading: h.range,
                range: TextRange::new(h.range.start(), section_end(i)),
            })
        })
        .collect();
    // Sections nest, so one walk over the headings in order finds the phase
    // around each phase (and, below, around each task): the deepest one
    // still open.
    let mut outer: Vec<Option<usize>> = Vec::with_capacity(phases.len());
    let mut open: Vec<usize> = Vec::new();
    for (p, phase) in phases.iter().enumerate() {
        open.retain(|&o| phases[o].range.end() > phase.range.start());
        outer.push(open.last().copied());
        open.push(p);
    }
    let mut sweep = PhaseSweep {
        phases: &phases,
        next: 0,
        open: Vec::new(),
    };

    let mut tasks: Vec<(Item, Option<usize>, TextRange)> = Vec::new();
    let mut written: Vec<(usize, TaskToken)> = Vec::new();
    let lines: Vec<TextRange> = lines_in(text, TextRange::new(0, text.len())).collect();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        i += 1;
        if is_ignored(ignored, line.start()) {
            continue;
        }
        let Some(head) = task_head(text, line) else {
            continue;
        };
        // The task runs on over the lines indented below it.
        let mut end = line;
        while i < lines.len() {
            let next = lines[i];
            let raw = &text[next.start()..next.end()];
            if raw.trim().is_empty() {
                i += 1;
                continue;
            }
            if indent_of(raw) <= head.indent || task_head(text, next).is_some() {
                break;
            }
            end = next;
            i += 1;
        }
        let extent = TextRange::new(line.start(), end.end());
        let mut task = task_item(input, feature, &head, line, extent);
        let owner = tasks.len();
        // Where each `depends on`, `after` or `requires` of the task starts
        // its list, and where the line that holds it ends.
        let mut found_deps = Vec::new();
        for part in lines_in(text, extent) {
            if is_ignored(ignored, part.start()) {
                continue;
            }
            let from = if part.start() == line.start() {
                head.rest
            } else {
                part.start()
            };
            for found in DEPENDS.find_iter(&text[from..part.end()]) {
                found_deps.push((
                    loose_dependency_word(found.as_str()),
                    from + found.end(),
                    part,
                ));
            }
        }
        // A task that names its dependencies (`dependencies: T001`) says
        // all of them there: an `after T017` elsewhere in it is prose
        // (`acceptance: tests pass after T017`), not one more.
        let labelled = found_deps.iter().any(|(loose, _, _)| !loose);
        for (loose, value_start, part) in found_deps {
            if labelled && loose {
                continue;
            }
            let list = task_list(text, value_start, part.end());
            note_deps_field(&mut task, &list, value_start, part.end());
            written.extend(list.into_iter().map(|t| (owner, t)));
        }
        let phase = sweep.at(line.start());
        tasks.push((task, phase, line));
    }

    // Tasks written as headings (`### T001: Title`), as some task lists
    // are: the section below the heading is the task's. A heading over a
    // task that a checklist line writes is that task's details, and its
    // `**Dependencies**:` line is the task's too.
    let checklist_tasks = tasks.len();
    for (h, heading) in headings.iter().enumerate() {
        if is_ignored(ignored, heading.range.start()) {
            continue;
        }
        let Some(head) = heading_task_head(text, heading) else {
            continue;
        };
        let line = heading.range;
        let extent = TextRange::new(line.start(), section_end(h));
        let local = task_local_with(head.number, head.suffix.as_deref());
        let listed = tasks[..checklist_tasks]
            .iter()
            .position(|(t, _, _)| t.number.as_deref() == Some(local.as_str()));
        let owner = match listed {
            Some(owner) => owner,
            None => {
                let mut task = task_item(input, feature, &head, line, extent);
                read_heading_task(input, feature, &mut task, &head, line, extent);
                let phase = phases
                    .iter()
                    .rposition(|p| p.range.start() <= line.start() && line.start() < p.range.end());
                tasks.push((task, phase, line));
                // The heading's own `(depends on T002)`.
                for found in DEPENDS.find_iter(&text[head.rest..line.end()]) {
                    let from = head.rest + found.end();
                    let list = task_list(text, from, line.end());
                    written.extend(list.into_iter().map(|t| (tasks.len() - 1, t)));
                }
                tasks.len() - 1
            }
        };
        for part in lines_in(text, TextRange::new(line.end(), extent.end())) {
            if is_ignored(ignored, part.start()) {
                continue;
            }
            let Some(label) = DEPENDENCY_LABEL.find(&text[part.start()..part.end()]) else {
                continue;
            };
            let value_start = part.start() + label.end();
            let list = task_list(text, value_start, part.end());
            note_deps_field(&mut tasks[owner].0, &list, value_start, part.end());
            written.extend(list.into_iter().map(|t| (owner, t)));
        }
    }

    // What a Dependencies section says: `- T010-T011 depend on T001-T009`
    // and `- T001 → T002 → T003-T005`.
    // Each task by its number as the ID writes it (`T017`, `T017b`); the
    // first task of a number written twice owns what names it.
    let by_local: HashMap<&str, usize> = tasks
        .iter()
        .enumerate()
        .rev()
        .filter_map(|(i, (t, _, _))| Some((t.number.as_deref()?, i)))
        .collect();
    let defined: HashSet<u64> = by_local
        .keys()
        .filter_map(|local| local.strip_prefix('T')?.parse().ok())
        .collect();
    let owners = |tokens: &[TaskToken]| -> Vec<usize> {
        tokens
            .iter()
            .filter(|t| t.feature.is_none())
            .flat_map(|t| expand(t, feature, &defined))
            .filter_map(|id| by_local.get(id.rsplit('/').next()?).copied())
            .collect()
    };
    // The tasks a statement is about (`T004` in `- T004 depends on T003`):
    // references, so that hover, rename and a misspelt number reach them.
    let mut subject_tokens: Vec<TaskToken> = Vec::new();
    for (h, heading) in headings.iter().enumerate() {
        if !heading.text.to_ascii_lowercase().contains("depend") {
            continue;
        }
        for line in lines_in(text, TextRange::new(heading.range.end(), section_end(h))) {
            if is_ignored(ignored, line.start()) {
                continue;
            }
            let raw = &text[line.start()..line.end()];
            let trimmed = raw.trim_start();
            let Some(content) = trimmed
                .strip_prefix("- ")
                .or_else(|| trimmed.strip_prefix("* "))
            else {
                continue;
            };
            let start = line.start() + (raw.len() - content.len());
            for (subjects, objects) in statements(text, start, line.end()) {
                subject_tokens.extend(subjects.iter().cloned());
                for owner in owners(&subjects) {
                    for token in &objects {
                        written.push((owner, token.clone()));
                    }
                }
            }
        }
    }

    // Expand the ranges into dependencies, each target once per task.
    let mut deps: Vec<WrittenDep> = written
        .into_iter()
        .map(|(owner, token)| WrittenDep { owner, token })
        .collect();
    deps.sort_by_key(|d| (d.owner, d.token.range.start()));
    let mut seen: HashSet<(usize, String)> = HashSet::new();
    let mut budget = MAX_WRITTEN_DEPS;
    for dep in deps {
        let task = &mut tasks[dep.owner].0;
        let written = text[dep.token.range.start()..dep.token.range.end()].to_string();
        for id in expand(&dep.token, feature, &defined) {
            if budget == 0 {
                break;
            }
            if !seen.insert((dep.owner, id.clone())) {
                continue;
            }
            budget -= 1;
            task.deps.push(Reference {
                target: Target::Id(id.into()),
                written: written.as_str().into(),
                range: dep.token.range,
                role: RefRole::Dependency,
                expects: Some(ItemKind::Task),
            });
        }
    }

    // The phases that hold tasks are items; each task belongs to its
    // innermost phase, each phase to the phase around it.
    // How many tasks each phase holds, directly or in the phases inside
    // it, and how many of them are done or started.
    let mut counts = vec![(0usize, 0usize, 0usize); phases.len()];
    for (task, phase, _) in &tasks {
        let mut at = *phase;
        while let Some(p) = at {
            counts[p].0 += 1;
            counts[p].1 += usize::from(task.is_done());
            counts[p].2 += usize::from(task.progress != Some(Progress::NotStarted));
            at = outer[p];
        }
    }
    let phase_id = |p: usize| scoped(feature, &format!("phase-{}", phases[p].number));
    let mut phase_items: Vec<Item> = Vec::new();
    for (p, phase) in phases.iter().enumerate() {
        let (total, done, started) = counts[p];
        if total == 0 {
            continue;
        }
        let mut item = Item::new(ItemKind::Phase, phase_id(p), phase.heading);
        item.title = if phase.title.is_empty() {
            format!("Phase {}", phase.number).into()
        } else {
            phase.title.as_str().into()
        };
        item.number = Some(phase.number.clone());
        item.range = phase.range;
        // The phase around it holds tasks too, through this one.
        item.parent = outer[p].map(phase_id).map(Id::from);
        item.progress = Some(if done == total {
            Progress::Done
        } else if started > 0 {
            Progress::InProgress
        } else {
            Progress::NotStarted
        });
        phase_items.push(item);
    }
    for (task, phase, _) in &mut tasks {
        task.parent = phase.map(phase_id).map(Id::from);
    }
    // Requirements named outside the tasks (a "Future enhancements" list)
    // are mentions: no task implements them.
    let extents: Vec<TextRange> = tasks.iter().map(|(t, _, _)| t.range).collect();
    facts.references = requirement_refs(
        text,
        TextRange::new(0, text.len()),
        ignored,
        feature,
        &extents,
        RefRole::Mention,
    );
    // A range's ends that name no task are left alone (`T026-T032` for a
    // phase written as headings): a misspelt task is written alone.
    let subjects = subject_tokens
        .iter()
        .filter(|t| t.feature.is_none())
        .take(MAX_WRITTEN_DEPS);
    for token in subjects {
        let written = &text[token.range.start()..token.range.end()];
        let range = token.to.is_some_and(|to| to != token.from);
        for id in expand(token, feature, &defined) {
            let number = id
                .rsplit('/')
                .next()
                .and_then(|local| number(local.strip_prefix('T')?));
            if range && !number.is_some_and(|n| defined.contains(&n)) {
                continue;
            }
            facts.references.push(Reference {
                target: Target::Id(id.into()),
                written: written.into(),
                range: token.range,
                role: RefRole::Dependency,
                expects: Some(ItemKind::Task),
            });
        }
    }
    facts.items.extend(phase_items);
    facts.items.extend(tasks.into_iter().map(|(t, _, _)| t));
    // Items are listed in file order: phases and tasks interleaved.
    facts.items.sort_by_key(|item| item.range.start());
    let schedule = schedule_of(text, ignored, &facts.items);
    add_order(text, &mut facts.items, &schedule);
}

/// The statements of one line of a Dependencies section: each pair is the
/// tasks that wait and the tasks they wait for.
fn statements(text: &str, start: usize, end: usize) -> Vec<(Vec<TaskToken>, Vec<TaskToken>)> {
    let subjects = task_list(text, start, end);
    if let Some(last) = subjects.last() {
        let after = last.range.end();
        if let Some(verb) = DEPEND_ON.find(&text[after..end]) {
            let objects = task_list(text, after + verb.end(), end);
            return if objects.is_empty() {
                Vec::new()
            } else {
                vec![(subjects, objects)]
            };
        }
    }
    if let Some(statement) = comes_before(text, start, end) {
        return vec![statement];
    }
    if subjects.is_empty() {
        return Vec::new();
    }
    // A chain: every link is a list of tasks, with a note in parentheses
    // at most.
    let mut links: Vec<Vec<TaskToken>> = Vec::new();
    let mut at = start;
    for part in split_arrows(&text[start..end]) {
        let part_start = at + (part.len() - part.trim_start().len());
        let part_end = at + part.len();
        at = part_end;
        at += arrow_len(&text[at..end]);
        let list = task_list(text, part_start, part_end);
        let Some(last) = list.last() else {
            return Vec::new();
        };
        let rest = text[last.range.end()..part_end].trim();
        if !(rest.is_empty() || (rest.starts_with('(') && rest.ends_with(')'))) {
            return Vec::new();
        }
        links.push(list);
    }
    links
        .windows(2)
        .map(|pair| (pair[1].clone(), pair[0].clone()))
        .collect()
}

/// The verb of spec-kit's first tasks template, whose Dependencies section
/// says which tasks go first: `T008 blocks T009, T015`, `T005 before T007`,
/// `T006 must be done before T008`.
static BLOCKS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\s+(?:blocks?|(?:must\s+(?:be\s+(?:done|completed|finished)|complete|finish)\s+)?before|must\s+precede|precedes?)\s+",
    )
    .expect("valid regex")
});

/// A statement that names the tasks going first before the verb:
/// `T008 blocks T009, T015`, `T005 before T007`, or as the template wrote
/// its first line, `Tests (T004-T007) before implementation (T008-T014)`.
/// The tasks after the verb wait for those before it.
fn comes_before(text: &str, start: usize, end: usize) -> Option<(Vec<TaskToken>, Vec<TaskToken>)> {
    let verb = BLOCKS.find(&text[start..end])?;
    let first = listed_side(text, start, start + verb.start(), true)?;
    let then = listed_side(text, start + verb.end(), end, false)?;
    Some((then, first))
}

/// The tasks one side of `T005 before T007` names: a list of tasks, or a
/// word or two and the list in parentheses (`Tests (T004-T007)`). The side
/// before the verb must hold nothing else; after the list of the side after
/// it, a note may follow.
fn listed_side(text: &str, start: usize, end: usize, whole: bool) -> Option<Vec<TaskToken>> {
    let side = &text[start..end];
    let from = start + (side.len() - side.trim_start().len());
    let mut list = task_list(text, from, end);
    let mut list_end = list.last().map(|t| t.range.end());
    if list.is_empty() {
        // A label, then the tasks in parentheses.
        let open = from + text[from..end].find('(')?;
        let label = &text[from..open];
        if label.trim().is_empty() || label.split_whitespace().count() > 3 || label.contains(')') {
            return None;
        }
        let inner = open + 1;
        list = task_list(
            text,
            inner + (text[inner..end].len() - text[inner..end].trim_start().len()),
            end,
        );
        let last = list.last()?.range.end();
        let close = last + text[last..end].find(')')?;
        if !text[last..close].trim().is_empty() {
            return None;
        }
        list_end = Some(close + 1);
    }
    let rest = text[list_end?..end].trim();
    (!list.is_empty() && (!whole || rest.is_empty())).then_some(list)
}

/// The parts of `T001 → T002 -> T003`.
fn split_arrows(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut from = 0;
    let mut i = 0;
    while i < s.len() {
        let len = arrow_len(&s[i..]);
        if len > 0 {
            out.push(&s[from..i]);
            i += len;
            from = i;
        } else {
            i += s[i..].chars().next().map_or(1, char::len_utf8);
        }
    }
    out.push(&s[from..]);
    out
}

/// The length of the arrow `s` starts with, or 0.
fn arrow_len(s: &str) -> usize {
    ["→", "->", "⟶"]
        .iter()
        .find(|a| s.starts_with(**a))
        .map_or(0, |a| a.len())
}

/// Whether a heading (`### Implementation for User Story 1`) stands on a
/// line of `text` between `start` and `end`, outside code.
fn heading_between(text: &str, ignored: &[TextRange], start: usize, end: usize) -> bool {
    start < end
        && lines_in(text, TextRange::new(start, end)).any(|line| {
            let raw = text[line.start()..line.end()].trim_start();
            let hashes = raw.len() - raw.trim_start_matches('#').len();
            (1..=6).contains(&hashes)
                && raw[hashes..].chars().next().is_none_or(char::is_whitespace)
                && !is_ignored(ignored, line.start())
        })
}

/// spec-kit's execution order: a segment per phase (a user-story phase
/// waits for the last phase before the stories, any other phase for the
/// phases before it) and, inside one, a step per task without `[P]` or per
/// run of `[P]` tasks. A heading inside a phase ends a run: the template's
/// `### Tests for User Story 1` are written, and fail, before `###
/// Implementation for User Story 1` starts, however many of each are `[P]`.
fn schedule_of(text: &str, ignored: &[TextRange], items: &[Item]) -> Schedule {
    let phases: HashMap<&str, &Item> = items
        .iter()
        .filter(|i| i.kind == ItemKind::Phase)
        .map(|i| (i.id.as_str(), i))
        .collect();
    let tasks: Vec<usize> = items
        .iter()
        .enumerate()
        .filter(|(_, i)| i.kind == ItemKind::Task)
        .map(|(i, _)| i)
        .collect();
    let mut schedule = Schedule {
        step_of: Vec::with_capacity(tasks.len()),
        steps: Vec::new(),
        segments: Vec::new(),
        tasks,
    };
    let mut last_base: Option<usize> = None;
    let mut since_base: Vec<usize> = Vec::new();
    let mut previous: Option<(Option<&str>, bool)> = None;
    let mut previous_end = 0;
    let mut segment_phases: Vec<Option<&Item>> = Vec::new();
    for pos in 0..schedule.tasks.len() {
        let item = &items[schedule.tasks[pos]];
        let under_new_heading = heading_between(text, ignored, previous_end, item.range.start());
        previous_end = item.range.end();
        let phase = item.parent.as_deref();
        let parallel = item.field("parallel").is_some();
        if previous.map(|(p, _)| p) != Some(phase) {
            let story = phase
                .and_then(|p| phases.get(p))
                .is_some_and(|p| STORY_PHASE.is_match(&p.title));
            let s = schedule.segments.len();
            // A story waits for the last phase before the stories; the
            // first phase after stories waits for all of them.
            let preds = if story || since_base.is_empty() {
                last_base.into_iter().collect()
            } else {
                std::mem::take(&mut since_base)
            };
            if story {
                since_base.push(s);
            } else {
                last_base = Some(s);
            }
            let step_preds = preds
                .iter()
                .map(|&p: &usize| schedule.segments[p].last_step)
                .collect();
            schedule.segments.push(Segment {
                story,
                base: if story { last_base } else { Some(s) },
                last_step: schedule.steps.len(),
                waits_for: Vec::new(),
            });
            segment_phases.push(phase.and_then(|p| phases.get(p)).copied());
            schedule.steps.push(Step {
                segment: s,
                members: Vec::new(),
                preds: step_preds,
            });
            previous = Some((phase, false));
        }
        let s = schedule.segments.len() - 1;
        let same_run = previous.is_some_and(|(_, p)| p) && parallel && !under_new_heading;
        let current = schedule.steps.len() - 1;
        if !schedule.steps[current].members.is_empty() && !same_run {
            schedule.steps.push(Step {
                segment: s,
                members: Vec::new(),
                preds: vec![current],
            });
            schedule.segments[s].last_step = schedule.steps.len() - 1;
        }
        let step = schedule.steps.len() - 1;
        schedule.steps[step].members.push(pos);
        schedule.step_of.push(step);
        previous = Some((phase, parallel));
    }
    let said = story_dependencies(text, ignored);
    add_story_dependencies(&mut schedule, &segment_phases, &said);
    schedule
}

/// What a line of a Dependencies section names: a user story (`User Story
/// 2`, `US2`) or a phase (`Phase 4`), by its number.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Named {
    /// A story's number, with the prefix of a project that numbers its
    /// stories per area (`AUTH-US1`, `TASK-US1`).
    Story(Option<String>, String),
    Phase(String),
}

impl Named {
    /// Whether a phase whose title names `stories` is this story's; a
    /// prefix written on one side only does not tell stories apart.
    fn is_story_of(&self, stories: &[Named]) -> bool {
        let Named::Story(prefix, number) = self else {
            return false;
        };
        stories.iter().any(|other| match other {
            Named::Story(other_prefix, other_number) => {
                other_number == number
                    && (prefix.is_none() || other_prefix.is_none() || prefix == other_prefix)
            }
            Named::Phase(_) => false,
        })
    }
}

/// A bullet whose bold label names a story or a phase: `- **User Story 2
/// (P2)**: Depends on US1`, `- **Phase 4 (US2)**: Depends on Phase 3`.
static LABELLED_BULLET: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*[-*+]\s+\*\*([^*\n]+?)\*\*\s*[:：]?\s*(.*)$").expect("valid regex")
});
/// Where a bullet starts saying what its story waits for; the clause runs
/// to the end of its sentence.
static WAITS_FOR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:depends?\s+on|dependent\s+on|requires|needs|(?:can\s+)?starts?\s+(?:only\s+)?after|blocked\s+by)\b|依賴|依赖",
    )
    .expect("valid regex")
});
/// What ends a clause: a dash between spaces, a full stop (not the dot of a
/// number, `US1.2`), a semicolon, a parenthesis or `but`.
static CLAUSE_END: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\s[-–—]\s|\.(?:[^0-9]|$)|[;(（。；]|\bbut\b").expect("valid regex")
});
static NAMED_STORY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)(?:{STORY_WORDS}|\bstory|(?:\b([a-z][a-z0-9]*)-)?\bUS-?)\s*(\d+(?:\.\d+)*)\b"
    ))
    .expect("valid regex")
});

fn story_named(c: &regex::Captures<'_>) -> Named {
    Named::Story(
        c.get(1).map(|p| p.as_str().to_uppercase()),
        story_number(&c[2]).unwrap_or_else(|| c[2].to_string()),
    )
}
static NAMED_PHASE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\bphase\s*0*(\d+)\b").expect("valid regex"));

/// What `text` names first: a story, else a phase.
fn named_in(text: &str) -> Option<Named> {
    if let Some(c) = NAMED_STORY.captures(text) {
        return Some(story_named(&c));
    }
    NAMED_PHASE
        .captures(text)
        .map(|c| Named::Phase(c[1].to_string()))
}

/// Every story and phase `text` names, in order.
fn all_named_in(text: &str) -> Vec<(usize, Named)> {
    let stories = NAMED_STORY
        .captures_iter(text)
        .map(|c| (c.get(0).map_or(0, |m| m.start()), story_named(&c)));
    let phases = NAMED_PHASE.captures_iter(text).map(|c| {
        (
            c.get(0).map_or(0, |m| m.start()),
            Named::Phase(c[1].to_string()),
        )
    });
    let mut named: Vec<(usize, Named)> = stories.chain(phases).collect();
    named.sort_by_key(|(at, _)| *at);
    named
}

/// The stories and phases the file says wait for others: `- **User Story
/// 3 (P3)**: Depends on US1 and US2 (…)`, `- **Phase 4 (US2)**: Depends on
/// Phase 3`. Only what follows a word of waiting counts, up to the end of
/// its clause: `Can start after Foundational - May integrate with US1`
/// waits for no story.
fn story_dependencies(text: &str, ignored: &[TextRange]) -> Vec<(Named, Vec<Named>)> {
    let mut said = Vec::new();
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let start = at;
        at += line.len();
        if is_ignored(ignored, start) {
            continue;
        }
        let Some(bullet) = LABELLED_BULLET.captures(line.trim_end()) else {
            continue;
        };
        let Some(subject) = named_in(&bullet[1]) else {
            continue;
        };
        let rest = &bullet[2];
        let mut waits: Vec<Named> = Vec::new();
        for verb in WAITS_FOR.find_iter(rest) {
            let clause = &rest[verb.end()..];
            let clause = CLAUSE_END
                .find(clause)
                .map_or(clause, |end| &clause[..end.start()]);
            for (_, named) in all_named_in(clause) {
                if named != subject && !waits.contains(&named) {
                    waits.push(named);
                }
            }
        }
        if !waits.is_empty() {
            said.push((subject, waits));
        }
    }
    said
}

/// Makes each user story's phase wait for the phases of the stories (or
/// phases) the file says it depends on, when those come before it: a story
/// after its own would make no order.
fn add_story_dependencies(
    schedule: &mut Schedule,
    segment_phases: &[Option<&Item>],
    said: &[(Named, Vec<Named>)],
) {
    if said.is_empty() {
        return;
    }
    let names = |phase: &Option<&Item>, named: &Named| {
        let Some(phase) = phase else {
            return false;
        };
        match named {
            Named::Story(..) => {
                let stories: Vec<Named> = all_named_in(&phase.title)
                    .into_iter()
                    .map(|(_, named)| named)
                    .collect();
                named.is_story_of(&stories)
            }
            Named::Phase(n) => phase
                .number
                .as_deref()
                .is_some_and(|number| number.trim_start_matches('0') == n.as_str()),
        }
    };
    let first_step = |schedule: &Schedule, s: usize| {
        schedule
            .steps
            .iter()
            .position(|step| step.segment == s)
            .unwrap_or(0)
    };
    for (subject, waits) in said {
        for s in 0..schedule.segments.len() {
            if !schedule.segments[s].story || !names(&segment_phases[s], subject) {
                continue;
            }
            let first = first_step(schedule, s);
            for (t, phase) in segment_phases.iter().enumerate().take(s) {
                if waits.iter().any(|w| names(phase, w))
                    && !schedule.segments[s].waits_for.contains(&t)
                {
                    let last = schedule.segments[t].last_step;
                    schedule.segments[s].waits_for.push(t);
                    schedule.steps[first].preds.push(last);
                }
            }
        }
    }
    // Through the stories it waits for, a story waits for theirs: those
    // come before it, so they are complete when it is reached.
    for s in 0..schedule.segments.len() {
        let mut through: Vec<usize> = schedule.segments[s]
            .waits_for
            .iter()
            .flat_map(|&t| schedule.segments[t].waits_for.iter().copied())
            .collect();
        let own = &mut schedule.segments[s].waits_for;
        through.retain(|t| !own.contains(t));
        own.extend(through);
        own.sort_unstable();
        own.dedup();
    }
}

fn check(ws: &Workspace, ctx: &Context, file: &SourceFile, sink: &mut Sink<'_>) {
    let FileKind::Dialect(dialect_file) = file.facts.kind else {
        return;
    };
    let folder = Folder::of(ws, feature_scope(&file.rel));
    match dialect_file.role {
        SPEC_MD => check_spec(&folder, file, sink),
        PLAN_MD => {
            if folder.spec_missing() {
                missing_spec(file, sink);
            }
            unknown_requirements(ws, &folder, &file.text, &file.facts.references, sink);
        }
        TASKS_MD => {
            // Said once per folder: on plan.md, unless it is absent or
            // cannot be read (and so is not checked).
            if folder.spec_missing() && folder.plan.is_none() {
                missing_spec(file, sink);
            }
            check_tasks(ws, &folder, file, sink);
            unknown_subjects(ws, ctx, file, sink);
        }
        CHECKLIST_MD => check_checklist(&folder, file, sink),
        _ => {}
    }
}

/// A Dependencies statement about a task the file does not have (`- T044
/// depends on T003`, for T004): what it says waits for nothing.
fn unknown_subjects(ws: &Workspace, ctx: &Context, file: &SourceFile, sink: &mut Sink<'_>) {
    let mut suggestions = dangling_dependency::Suggestions::default();
    for reference in &file.facts.references {
        if reference.role == RefRole::Dependency && ws.resolve(&reference.target).is_none() {
            dangling_dependency::check(ws, ctx, file, None, reference, &mut suggestions, sink);
        }
    }
}

/// The files of a feature folder.
struct Folder<'a> {
    spec: Option<&'a SourceFile>,
    spec_unreadable: bool,
    plan: Option<&'a SourceFile>,
    tasks: Option<&'a SourceFile>,
    /// Whether the folder is named after the default branch (`specs/main/`),
    /// a name other tools give a folder of their own too.
    default_branch: bool,
}

impl<'a> Folder<'a> {
    /// The files of the feature folder `folder` (a path ending in `/`).
    fn of(ws: &'a Workspace, folder: &str) -> Folder<'a> {
        let file = |name: &str| {
            let path = format!("{folder}{name}");
            (
                ws.file(&path).map(|f| &**f),
                ws.unreadable().contains_key(&path),
            )
        };
        let (spec, spec_unreadable) = file("spec.md");
        let (plan, _) = file("plan.md");
        let (tasks, _) = file("tasks.md");
        let name = folder
            .trim_end_matches('/')
            .rsplit('/')
            .next()
            .unwrap_or("");
        Folder {
            spec,
            spec_unreadable,
            plan,
            tasks,
            default_branch: matches!(name, "main" | "master"),
        }
    }

    /// Whether the folder lacks its spec.md. A `specs/main/` folder without
    /// one is not taken for a feature whose spec went missing: other tools
    /// keep per-module specs in folders named after the module
    /// (`specs/main/tasks.md` beside `specs/main/main.spec.md`).
    fn spec_missing(&self) -> bool {
        self.spec.is_none() && !self.spec_unreadable && !self.default_branch
    }

    /// The tasks of tasks.md, when there is one.
    fn tasks(&self) -> Vec<&'a Item> {
        self.tasks
            .iter()
            .flat_map(|f| &f.facts.items)
            .filter(|i| i.kind == ItemKind::Task)
            .collect()
    }

    /// How many of the tasks are under way or done.
    fn started(&self) -> usize {
        self.tasks()
            .iter()
            .filter(|t| t.progress.is_some_and(|p| p != Progress::NotStarted))
            .count()
    }
}

/// Where a finding about the whole file goes: its first line with text.
fn title_range(file: &SourceFile) -> TextRange {
    lines_in(&file.text, TextRange::new(0, file.text.len()))
        .map(|line| trim_range(&file.text, line))
        .find(|line| !line.is_empty())
        .unwrap_or(TextRange::empty(0))
}

fn missing_spec(file: &SourceFile, sink: &mut Sink<'_>) {
    let folder = folder_of(&file.rel);
    sink.push(
        MISSING_SPEC,
        title_range(file),
        format!("the feature has no `{folder}spec.md`: its user stories and requirements cannot be checked; write the spec (`/speckit.specify`) or restore it"),
    );
}

/// A checklist item, `- [ ] CHK001 …` or `- [x] …`; the group is the mark.
static CHECKLIST_ITEM: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?m)^[ \t]*[-*+][ \t]+\[([ xX])\]").expect("valid regex"));

/// A checklist with unchecked items while the feature's tasks are under
/// way: `/speckit.implement` counts every checklist's items and stops to
/// ask when one is incomplete, so either the gate was passed over or the
/// checklist was never brought up to date. Said once per checklist, at its
/// first open item.
fn check_checklist(folder: &Folder<'_>, file: &SourceFile, sink: &mut Sink<'_>) {
    let started = folder.started();
    if started == 0 {
        return;
    }
    let text = &*file.text;
    let mut total = 0;
    let mut open = Vec::new();
    for item in CHECKLIST_ITEM.captures_iter(text) {
        let Some(mark) = item.get(1) else {
            continue;
        };
        if is_ignored(&file.facts.ignored, mark.start()) {
            continue;
        }
        total += 1;
        if mark.as_str() == " " {
            open.push(TextRange::new(mark.start() - 1, mark.end() + 1));
        }
    }
    let Some(&first) = open.first() else {
        return;
    };
    let name = file.rel.rsplit('/').next().unwrap_or(&file.rel);
    sink.push(
        OPEN_CHECKLIST,
        first,
        format!(
            "checklist `{name}` has {} of {total} items unchecked while {started} of {} tasks of tasks.md are under way or done: `/speckit.implement` stops at an incomplete checklist; check what holds, or settle the rest",
            open.len(),
            folder.tasks().len()
        ),
    );
}

static CLARIFICATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\[\s*NEEDS\s+CLARIFICATION\s*:[^\]\n]*\]").expect("valid regex")
});

/// Whether a clarification marker is the one spec-kit's old spec template
/// shows in its instructions (`Use [NEEDS CLARIFICATION: specific
/// question] for any assumption`): an example, not an open question.
fn is_template_example(marker: &str) -> bool {
    let inner = marker.split_once(':').map_or("", |(_, rest)| rest);
    let words: Vec<&str> = inner.trim_end_matches(']').split_whitespace().collect();
    words.join(" ").eq_ignore_ascii_case("specific question")
}

fn check_spec(folder: &Folder<'_>, file: &SourceFile, sink: &mut Sink<'_>) {
    let text = &*file.text;
    let tasks = folder.tasks();
    let done = tasks.iter().filter(|t| t.is_done()).count();
    let started = folder.started();
    let all_done = !tasks.is_empty() && done == tasks.len();

    if started > 0 {
        for found in CLARIFICATION.find_iter(text) {
            let at = TextRange::new(found.start(), found.end());
            if is_ignored(&file.facts.ignored, at.start())
                || struck_out(text, at)
                || is_template_example(found.as_str())
            {
                continue;
            }
            if all_done {
                sink.push(
                    CLARIFICATION_AFTER_DONE,
                    at,
                    format!("the spec still asks for a clarification but all {} tasks of tasks.md are done: record the decision the work made, or remove the question", tasks.len()),
                );
            } else {
                sink.push(
                    OPEN_CLARIFICATION,
                    at,
                    format!("the spec still asks for a clarification while {started} of {} tasks of tasks.md are under way or done: settle it (`/speckit.clarify`) before more is built on a guess", tasks.len()),
                );
            }
        }
    }

    let items = &file.facts.items;
    if let Some(spec) = items.iter().find(|i| i.kind == ItemKind::Feature) {
        if let Some((status, at)) = &spec.status {
            let draft = status
                .trim_start_matches(|c: char| !c.is_alphanumeric())
                .to_ascii_lowercase()
                .starts_with("draft");
            if draft && all_done {
                sink.push(
                    DRAFT_WHEN_DONE,
                    *at,
                    format!("the spec is still `{status}` but all {} tasks of tasks.md are done: give it the status it has reached", tasks.len()),
                );
            }
        }
    }

    // Stories are checked against their tasks only when the tasks name
    // stories at all: before that, every story would be reported.
    let named: HashSet<&str> = tasks
        .iter()
        .flat_map(|t| &t.covers)
        .filter(|r| r.expects == Some(ItemKind::Requirement) && is_story_label(&r.written))
        .filter_map(|r| r.target.as_id())
        .collect();
    let story_phases: Vec<&Item> = folder
        .tasks
        .iter()
        .flat_map(|f| &f.facts.items)
        .filter(|i| i.kind == ItemKind::Phase && STORY_PHASE.is_match(&i.title))
        .collect();
    if named.is_empty() && story_phases.is_empty() {
        return;
    }
    for story in items
        .iter()
        .filter(|i| i.kind == ItemKind::Requirement && is_story(i))
    {
        let number = story.number.as_deref().unwrap_or("");
        let in_phase = story_phases.iter().any(|phase| {
            story_numbers(&phase.title).contains(&number.trim_start_matches("US").to_string())
                && tasks
                    .iter()
                    .any(|t| t.parent.as_deref() == Some(phase.id.as_str()))
        });
        let said_taskless = folder
            .tasks
            .is_some_and(|tasks| says_story_has_no_tasks(&tasks.text, number));
        if !named.contains(story.id.as_str()) && !in_phase && !said_taskless {
            sink.push(
                STORY_WITHOUT_TASKS,
                story.def_range,
                format!("user story {number} ({}) has no task in tasks.md: add its tasks, labelled `[{number}]`", story.title),
            );
        }
    }
}

/// What a task list writes on a story's line to say that it leaves the
/// story without tasks on purpose, compared lower-cased as whole words:
/// in English, and in the languages spec-kit's users write their task
/// lists in most often after it (Portuguese, Spanish, French, German), as
/// agents write a summary in the spec's own language (`**User Story 10**
/// foi OMITIDA conforme solicitado`). Whole words, so that French `omis`
/// is not found in `promise`.
const NO_TASKS_WORDS: &[&str] = &[
    // English.
    "0 tasks",
    "no tasks",
    "no implementation tasks",
    "out of scope",
    "omitted",
    // Portuguese and Spanish.
    "omitida",
    "omitido",
    "0 tarefas",
    "sem tarefas",
    "fora do escopo",
    "0 tareas",
    "sin tareas",
    "fuera de alcance",
    "fuera del alcance",
    // French.
    "omise",
    "omis",
    "0 tâche",
    "0 tâches",
    "aucune tâche",
    "hors périmètre",
    "hors du périmètre",
    // German.
    "ausgelassen",
    "0 aufgaben",
    "keine aufgaben",
];

/// Whether `lower` holds `word` with no letter or digit right before or
/// after it.
fn has_word(lower: &str, word: &str) -> bool {
    lower.match_indices(word).any(|(at, _)| {
        let before = lower[..at].chars().next_back();
        let after = lower[at + word.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// Whether the task list `text` says, on a line naming story `number`
/// (`US3`) as `User Story 3` or `US3`, that the story has no tasks (`-
/// User Story 3 (P3 - Uninstall): 0 tasks (out of scope)`, as speck's
/// summary writes it).
fn says_story_has_no_tasks(text: &str, number: &str) -> bool {
    let Some(digits) = number.strip_prefix("US") else {
        return false;
    };
    text.lines().any(|line| {
        let lower = line.to_lowercase();
        NO_TASKS_WORDS.iter().any(|w| has_word(&lower, w))
            && story_numbers(line).iter().any(|n| n == digits)
    })
}

/// Whether a requirement item is a user story (`US1`).
fn is_story(item: &Item) -> bool {
    item.number.as_deref().is_some_and(|n| n.starts_with("US"))
}

fn is_story_label(written: &str) -> bool {
    STORY_LABEL.is_match(written.trim())
}

/// The story numbers a phase title names (`User Story 2`, `US2`, `US1.2`).
fn story_numbers(title: &str) -> Vec<String> {
    STORY_PHASE
        .captures_iter(title)
        .filter_map(|c| c.get(1).or_else(|| c.get(2)))
        .filter_map(|m| story_number(m.as_str()))
        .collect()
}

/// Whether `at` sits between `~~` marks on its line: struck out, so no
/// longer asked.
fn struck_out(text: &str, at: TextRange) -> bool {
    let line_start = text[..at.start()].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[at.end()..]
        .find('\n')
        .map_or(text.len(), |i| at.end() + i);
    text[line_start..at.start()].matches("~~").count() % 2 == 1
        && text[at.end()..line_end].contains("~~")
}

/// `FR-`, `NFR-` and `SC-` IDs that spec.md does not define; one of
/// another feature (`002-search/FR-001`) is looked up in that feature's
/// spec. `text` is the text of the file that writes the `references`.
fn unknown_requirements(
    ws: &Workspace,
    folder: &Folder<'_>,
    text: &str,
    references: &[Reference],
    sink: &mut Sink<'_>,
) {
    let Some(own_spec) = folder.spec else {
        return;
    };
    let own_feature = feature_of(&own_spec.rel);
    let specs_folder = folder_of(folder_of(&own_spec.rel).trim_end_matches('/'));
    for reference in references {
        let Some(id) = reference.target.as_id() else {
            continue;
        };
        if !matches!(
            reference.expects,
            Some(ItemKind::Requirement | ItemKind::Criterion)
        ) || is_story_label(&reference.written)
        {
            continue;
        }
        let Some((feature, local)) = id.rsplit_once('/') else {
            continue;
        };
        if ws.resolve_str(&reference.target).is_some() {
            continue;
        }
        // `FR-1.8` names a requirement of a spec that numbers them under
        // groups (`### FR-1: Router`, then `**FR-1.8**: …`), which are read
        // as no requirement of their own: unknown, it is not reported.
        if numbered_below(text.get(reference.range.end()..).unwrap_or("")) {
            continue;
        }
        // The features a file names are of its own project, in its
        // `specs/` folder.
        let folder_name = feature.rsplit('/').next().unwrap_or(feature);
        let path = format!("{specs_folder}{folder_name}/spec.md");
        let spec = if feature == own_feature {
            Some(own_spec)
        } else {
            ws.file(&path).map(|f| &**f)
        };
        let Some(spec) = spec else {
            // Whether the other feature's spec is there or not, the ID is
            // unknown; saying so either way keeps the finding a matter of
            // the ID alone.
            sink.push(
                UNKNOWN_REQUIREMENT,
                reference.range,
                format!("`{}` is not defined: there is no {path}", reference.written),
            );
            continue;
        };
        let prefix = local.split('-').next().unwrap_or("");
        let known: Vec<&str> = spec
            .facts
            .items
            .iter()
            .filter_map(|i| i.number.as_deref())
            .filter(|n| n.split('-').next() == Some(prefix))
            .collect();
        let hint = match (known.first(), known.last()) {
            (Some(first), Some(last)) if first != last => {
                format!(" (it defines {first} to {last})")
            }
            (Some(only), _) => format!(" (it defines {only} only)"),
            _ => format!(" (it defines no {prefix}- IDs)"),
        };
        sink.push(
            UNKNOWN_REQUIREMENT,
            reference.range,
            format!(
                "`{}` is not defined in {}{hint}",
                reference.written, spec.rel
            ),
        );
    }
}

fn check_tasks(ws: &Workspace, folder: &Folder<'_>, file: &SourceFile, sink: &mut Sink<'_>) {
    let items = &file.facts.items;
    let references: Vec<Reference> = items
        .iter()
        .flat_map(|i| i.covers.iter().cloned())
        .chain(file.facts.references.iter().cloned())
        .collect();
    unknown_requirements(ws, folder, &file.text, &references, sink);
    if let Some(spec) = folder.spec {
        let stories: Vec<&str> = spec
            .facts
            .items
            .iter()
            .filter(|i| is_story(i))
            .filter_map(|i| i.number.as_deref())
            .collect();
        for reference in references
            .iter()
            .filter(|r| r.expects == Some(ItemKind::Requirement) && is_story_label(&r.written))
        {
            let known = reference
                .target
                .as_id()
                .is_some_and(|id| spec.facts.items.iter().any(|i| i.id == id));
            if known {
                continue;
            }
            let hint = match (stories.first(), stories.last()) {
                (Some(first), Some(last)) if first != last => format!("it has {first} to {last}"),
                (Some(only), _) => format!("it has {only} only"),
                _ => "it has no `### User Story N - Title` headings".to_string(),
            };
            sink.push(
                UNKNOWN_STORY,
                reference.range,
                format!(
                    "`[{}]` names no user story of {} ({hint})",
                    reference.written, spec.rel
                ),
            );
        }
    }
    dependency_order(file, sink);
    parallel_same_file(file, sink);
    task_shapes(file, sink);
}

/// A checklist line whose ID is still the template's placeholder
/// (`- [ ] TXXX Title`).
static PLACEHOLDER_TASK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*[-*+]\s+\[[ xX]\]\s+(TXXX)\b").expect("valid regex"));

/// Tasks that tasks.md writes in a shape spec-kit's commands do not work
/// with. A checklist line with the template's `TXXX` for its ID is not
/// read at all. A task written as a heading (`### T001: Title`) is read,
/// but `/speckit.tasks` writes every task as a checklist line and
/// `/speckit.implement` ticks its box (`[X]`) when the task is done: a
/// heading has no box, so the file never records the task as done.
fn task_shapes(file: &SourceFile, sink: &mut Sink<'_>) {
    let text = &*file.text;
    let tasks: Vec<&Item> = file
        .facts
        .items
        .iter()
        .filter(|i| i.kind == ItemKind::Task)
        .collect();
    let next = tasks
        .iter()
        .filter_map(|t| {
            TASK_ID
                .captures(without_scope(&t.id))?
                .get(1)?
                .as_str()
                .parse::<u64>()
                .ok()
        })
        .max()
        .map_or(1, |n| n.saturating_add(1));
    for line in lines_in(text, TextRange::new(0, text.len())) {
        if !is_ignored(&file.facts.ignored, line.start())
            && PLACEHOLDER_TASK.is_match(&text[line.start()..line.end()])
        {
            sink.push(
                TASK_SHAPE,
                trim_range(text, line),
                format!("`TXXX` is the template's placeholder, so this task is not read: give it an ID of its own (the next free one is `T{next:03}`)"),
            );
        }
    }
    // Tasks written as headings without a box: one finding, on the first,
    // counting the others (a file written so has dozens).
    let headed: Vec<&&Item> = tasks
        .iter()
        .filter(|t| {
            let line_start = text[..t.def_range.start()].rfind('\n').map_or(0, |i| i + 1);
            let before = text[line_start..t.def_range.start()].trim_start();
            before.starts_with('#')
                && !HEADING_BOX.is_match(before.trim_start_matches('#').trim_start())
        })
        .collect();
    if let Some(first) = headed.first() {
        let id = first.number.as_deref().unwrap_or("T001");
        let line_start = text[..first.def_range.start()]
            .rfind('\n')
            .map_or(0, |i| i + 1);
        let line_end = text[first.def_range.start()..]
            .find('\n')
            .map_or(text.len(), |i| first.def_range.start() + i);
        let (others, shape, counts) = match headed.len() - 1 {
            0 => (String::new(), "is written as a heading", "it counts"),
            1 => (
                " (and 1 more task)".to_string(),
                "are written as headings",
                "they count",
            ),
            n => (
                format!(" (and {n} more tasks)"),
                "are written as headings",
                "they count",
            ),
        };
        sink.push(
            TASK_SHAPE,
            trim_range(text, TextRange::new(line_start, line_end)),
            format!(
                "{id}{others} {shape}, not as checklist lines (`- [ ] {id} Title`): /speckit.implement ticks a task's box when it is done and a heading has none, so {counts} as open until the heading or a `**Status**:` line under it says done"
            ),
        );
    }
}

/// The phase a task belongs to, as messages name it.
fn phase_name(items: &[Item], task: &Item) -> String {
    task.parent
        .as_deref()
        .and_then(|p| items.iter().find(|i| i.id == p))
        .map_or_else(
            || "the task list".to_string(),
            |p| format!("Phase {}", p.number.as_deref().unwrap_or("")),
        )
}

fn dependency_order(file: &SourceFile, sink: &mut Sink<'_>) {
    let items = &file.facts.items;
    let schedule = schedule_of(&file.text, &file.facts.ignored, items);
    let name = |item: &Item| item.number.clone().unwrap_or_default();
    // A checked task has run: `/implement` runs only the open ones, so its
    // order and its `[P]` decide nothing any more. One finding per written
    // list entry (`T001-T009` names several).
    for written in written_dependencies(items, &schedule) {
        let (pos, range, targets) = (written.task, written.range, written.targets);
        let task = &items[schedule.tasks[pos]];
        let later: Vec<&Item> = targets
            .iter()
            .filter(|&&q| schedule.comes_after(pos, q))
            .map(|&q| &items[schedule.tasks[q]])
            .collect();
        let names = |list: &[&Item]| list.iter().map(|t| name(t)).collect::<Vec<_>>().join(", ");
        if let Some(first) = later.first() {
            let message = if later.iter().all(|t| t.parent == task.parent) {
                format!(
                    "{} depends on {}, which comes after it in {}: tasks of a phase run from the top, so move {} below them",
                    name(task),
                    names(&later),
                    phase_name(items, task),
                    name(task)
                )
            } else {
                format!(
                    "{} ({}) depends on {} of {}, a later phase: move {} there or drop the dependency",
                    name(task),
                    phase_name(items, task),
                    names(&later),
                    phase_name(items, first),
                    name(task)
                )
            };
            sink.push(DEPENDENCY_ORDER, range, message);
            continue;
        }
        if task.field("parallel").is_none() {
            continue;
        }
        // A [P] task runs together with the [P] tasks beside it, after the
        // tasks above the run: a dependency on one of those, or on a done
        // task, is what the order gives it anyway (spec-kit's `[P]` means
        // no dependency on an incomplete task it would run beside).
        let step = schedule.step_of[pos];
        let beside: Vec<&Item> = targets
            .iter()
            .filter(|&&q| schedule.step_of[q] == step)
            .map(|&q| &items[schedule.tasks[q]])
            .filter(|t| !t.is_done())
            .collect();
        if !beside.is_empty() {
            sink.push(
                DEPENDENCY_ORDER,
                range,
                format!(
                    "{} is marked [P] but depends on {}, which {} beside it in the same [P] run of {}: drop the [P] of {} or the dependency",
                    name(task),
                    names(&beside),
                    if beside.len() == 1 { "runs" } else { "run" },
                    phase_name(items, task),
                    name(task)
                ),
            );
        }
    }
}

static BACKTICKED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"`([^`\n]+)`").expect("valid regex"));
static BARE_PATH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[\s(])([A-Za-z0-9_.@~\[\]{}-]+(?:/[A-Za-z0-9_.@~\[\]{}-]*)+)")
        .expect("valid regex")
});

/// Folders a path without an extension (`src/cli/run`) may start in.
const COMMON_FOLDERS: &[&str] = &[
    "src",
    "app",
    "apps",
    "lib",
    "libs",
    "bin",
    "cmd",
    "internal",
    "pkg",
    "packages",
    "test",
    "tests",
    "spec",
    "specs",
    "backend",
    "frontend",
    "server",
    "client",
    "web",
    "api",
    "docs",
    "scripts",
    "components",
    "pages",
    "public",
    "config",
    ".github",
];

/// Whether a token names a file: a relative path with a `/` whose last part
/// has an extension or whose first part is a common folder, or (when
/// `name_only` allows it) a name with an extension. A folder (`docs/`) is
/// not one: two tasks may well add different files to it.
fn path_like(token: &str, name_only: bool) -> bool {
    if token.is_empty()
        || token.contains(char::is_whitespace)
        || token.starts_with('/')
        || token.ends_with('/')
        || token.contains("://")
    {
        return false;
    }
    if let Some((folder, name)) = token.rsplit_once('/') {
        // A path names its file with an extension (`src/app.ts`,
        // `backend/.eslintrc.cjs`) or starts in a folder projects have;
        // `lint/format`, `ESLint/Prettier` and `list/create/update` are
        // words joined by a slash.
        let first = folder.split('/').next().unwrap_or("");
        return name.trim_start_matches('.').contains('.')
            || name.starts_with('.')
            || COMMON_FOLDERS.contains(&first);
    }
    name_only
        && token.rsplit_once('.').is_some_and(|(stem, ext)| {
            !ext.is_empty()
                && ext.len() <= 6
                && ext.chars().all(|c| c.is_ascii_alphanumeric())
                && ext.chars().any(|c| c.is_ascii_alphabetic())
                && !stem.is_empty()
        })
}

/// The file a task changes, as its line names it: the path after ` in `
/// (as spec-kit writes `Create model in src/models/user.py`), else the
/// first path in backticks, else the first bare path.
fn task_path(text: &str, task: &Item) -> Option<(String, TextRange)> {
    let line_end = text[task.range.start()..task.range.end()]
        .find('\n')
        .map_or(task.range.end(), |i| task.range.start() + i);
    let start = task.def_range.end().min(line_end);
    let line = &text[start..line_end];
    let clean = |token: &str| {
        token
            .trim_start_matches(['(', '"', '\''])
            .trim_end_matches([':', ',', ';', ')', '"', '\'', '.'])
            .trim_start_matches("./")
            .to_string()
    };
    let mut quoted: Vec<(usize, usize, String)> = Vec::new();
    for caps in BACKTICKED.captures_iter(line) {
        if let Some(m) = caps.get(1) {
            quoted.push((m.start(), m.end(), m.as_str().to_string()));
        }
    }
    let range_of = |from: usize, token: &str| {
        let offset = from + line[from..].find(token)?;
        Some(TextRange::new(start + offset, start + offset + token.len()))
    };
    // After ` in `.
    let mut search = 0;
    while let Some(i) = line[search..].find(" in ") {
        let after = search + i + 4;
        search = after;
        let rest = &line[after..];
        let token = if let Some(inner) = rest.strip_prefix('`') {
            inner.split('`').next().unwrap_or("")
        } else {
            rest.split(char::is_whitespace).next().unwrap_or("")
        };
        let token = clean(token);
        if path_like(&token, true) {
            if let Some(at) = range_of(after, &token) {
                return Some((token, at));
            }
        }
    }
    for (from, _, inner) in &quoted {
        let token = clean(inner);
        if path_like(&token, true) {
            if let Some(at) = range_of(*from, &token) {
                return Some((token, at));
            }
        }
    }
    for caps in BARE_PATH.captures_iter(line) {
        let Some(m) = caps.get(1) else {
            continue;
        };
        if quoted
            .iter()
            .any(|(s, e, _)| *s <= m.start() && m.end() <= *e)
        {
            continue;
        }
        let token = clean(m.as_str());
        if path_like(&token, false) {
            if let Some(at) = range_of(m.start(), &token) {
                return Some((token, at));
            }
        }
    }
    None
}

/// Two open `[P]` tasks of one run (consecutive `[P]` tasks of a phase,
/// which start together) that change the same file. Tasks of different
/// runs never run at once: a task without `[P]` between them makes the
/// later run wait for the earlier.
fn parallel_same_file(file: &SourceFile, sink: &mut Sink<'_>) {
    let text = &*file.text;
    let items = &file.facts.items;
    let schedule = schedule_of(text, &file.facts.ignored, items);
    let mut first: HashMap<(usize, String), (&Item, TextRange)> = HashMap::new();
    // A checked task has run: `/implement` runs only the open ones, so
    // only they can edit a file at the same time.
    for (pos, &i) in schedule.tasks.iter().enumerate() {
        let task = &items[i];
        if task.field("parallel").is_none() || task.is_done() {
            continue;
        }
        let Some((path, at)) = task_path(text, task) else {
            continue;
        };
        let key = (schedule.step_of[pos], path.clone());
        match first.get(&key) {
            None => {
                first.insert(key, (task, at));
            }
            Some((other, other_at)) => {
                let name = task.number.as_deref().unwrap_or("");
                let other_name = other.number.as_deref().unwrap_or("");
                if let Some(d) = sink.push(
                    PARALLEL_SAME_FILE,
                    at,
                    format!("{name} and {other_name} run side by side in one [P] run of {} but both change `{path}`: two agents would edit it at once; drop the [P] of {name} so it runs after {other_name}", phase_name(items, task)),
                ) {
                    d.related.push(Related {
                        rel: file.rel.to_string(),
                        range: *other_at,
                        message: format!("{other_name} changes `{path}` too"),
                    });
                }
            }
        }
    }
}

/// The quick fix of `speckit-parallel-same-file`: drop the task's `[P]`.
/// The statuses a finished spec is given (`Complete` the one seen most in
/// real specs), each written in place of the word `Draft`, keeping what
/// follows it (`Draft - second pass`).
fn status_reached_fixes(file: &SourceFile, d: &Diagnostic) -> Vec<Action> {
    let Some(value) = file.text.get(d.range.start()..d.range.end()) else {
        return Vec::new();
    };
    let Some(at) = value.to_ascii_lowercase().find("draft") else {
        return Vec::new();
    };
    let start = d.range.start() + at;
    let word = TextRange::new(start, start + "draft".len());
    ["Complete", "Implemented"]
        .iter()
        .enumerate()
        .map(|(i, status)| Action {
            title: format!("Set the status to `{status}`"),
            kind: ActionKind::QuickFix,
            is_preferred: i == 0,
            fixes: Some((d.rule, d.range)),
            safe: false,
            changes: vec![Change::Edit {
                rel: file.rel.to_string(),
                edits: vec![(word, (*status).to_string())],
            }],
        })
        .collect()
}

fn fixes(_ws: &Workspace, file: &SourceFile, d: &Diagnostic) -> Vec<Action> {
    if d.rule == DRAFT_WHEN_DONE {
        return status_reached_fixes(file, d);
    }
    if d.rule != PARALLEL_SAME_FILE {
        return Vec::new();
    }
    let text = &*file.text;
    let Some(task) = file
        .facts
        .items
        .iter()
        .find(|i| i.kind == ItemKind::Task && i.range.contains_range(d.range))
    else {
        return Vec::new();
    };
    let Some(marker) = task.field("parallel").map(|f| f.label_range) else {
        return Vec::new();
    };
    if text.get(marker.start()..marker.end()).map(str::len) != Some(3) {
        return Vec::new();
    }
    // The marker and the space before it.
    let start = if text[..marker.start()].ends_with(' ') {
        marker.start() - 1
    } else {
        marker.start()
    };
    vec![Action {
        title: format!(
            "Drop the [P] of {}",
            task.number.as_deref().unwrap_or("the task")
        ),
        kind: ActionKind::QuickFix,
        is_preferred: true,
        fixes: Some((d.rule, d.range)),
        safe: false,
        changes: vec![Change::Edit {
            rel: file.rel.to_string(),
            edits: vec![(TextRange::new(start, marker.end()), String::new())],
        }],
    }]
}
