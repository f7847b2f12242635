//! BMAD-METHOD, v4 and v6. A v4 project keeps its stories in
//! `docs/stories/{epic}.{story}.{slug}.story.md` (sections `## Status`,
//! `## Story`, `## Acceptance Criteria` as a numbered list, `## Tasks /
//! Subtasks` as a checklist whose tasks name the criteria they meet as
//! `(AC: 1, 3)`) and its epics in the PRD (`docs/prd.md`, sharded into
//! `docs/prd/`). A v6 project keeps its stories as `{epic}-{story}-{slug}.md`
//! in `_bmad-output/implementation-artifacts/`, beside the
//! `sprint-status.yaml` that tracks their status, and its epics in
//! `planning-artifacts/epics.md`.
//!
//! IDs: story 1.2 is `bmad-story-1.2` (never a first-workflow `story-015`),
//! its third criterion `bmad-story-1.2/ac-3`, its second task
//! `bmad-story-1.2/task-2` and that task's first subtask
//! `bmad-story-1.2/task-2.1`; epic 1 is `bmad-epic-1`. A project below the
//! workspace root puts its path before them (`apps/a/bmad-story-1.2`; see
//! `project_scope`), as each project numbers its stories from 1. A story
//! moved into a folder of old copies (`implementation-artifacts/archive/`)
//! keeps its project's ID and is history (see `is_archived`).
//!
//! Files are recognised by their names, which no other format uses: a path
//! says nothing of its neighbours, so `.bmad-core/` and `_bmad/` (BMAD's
//! agents and configuration) are not read. The whole PRD, `docs/prd.md`,
//! defines no items: BMAD's `shard-doc` leaves it beside its shards in
//! `docs/prd/`, which would define every epic a second time. Its epic
//! numbers still count when a story's epic is checked.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::LazyLock;

use regex::Regex;
use saphyr::{LoadableYamlNode, MarkedYaml, YamlData};

use crate::analysis::actions::fixes::edit;
use crate::analysis::actions::Action;
use crate::analysis::dialect::marked::{line_around, nesting, scalar_range, Offsets, MAX_NESTING};
use crate::analysis::dialect::order::add_list_order;
use crate::analysis::dialect::yaml;
use crate::analysis::dialect::{
    and_list, dialect_rules, folder_scope, number_or_id, Dialect, DialectSpec, ParseInput,
};
use crate::analysis::ids::without_scope;
use crate::analysis::intern::Id;
use crate::analysis::model::{
    Criterion, Field, FileFacts, FileKind, IndexCell, IndexRow, IndexTable, Item, ItemKind,
    Progress, RefRole, Reference, Section, Target,
};
use crate::analysis::parse::{
    fields, is_dropped_word, is_ignored, is_struck_through, lines_in, progress_of, sections,
    trim_range, Heading,
};
use crate::analysis::rules::{folder_of, Context, Diagnostic, Related, Sink};
use crate::analysis::text::TextRange;
use crate::analysis::workspace::{SourceFile, Workspace};

pub(crate) static SPEC: DialectSpec = DialectSpec {
    dialect: Dialect::Bmad,
    name: "BMAD-METHOD",
    planning_folders: &["_bmad-output"],
    classify,
    parse,
    check,
    fixes,
    rules: RULES,
    scope: bmad_scope,
    written_id: number_or_id,
    retired_item: crate::analysis::dialect::no_retired_items,
    status_words: bmad_status_words,
    progress: tracked_progress,
    progress_sources: &[SPRINT_STATUS],
    renumber_below: crate::analysis::dialect::nothing_below,
    list_words: crate::analysis::dialect::no_list_words,
    covers_every: crate::analysis::dialect::covers_by_name_only,
    judges_reference: judges_criterion,
    implied_deps: crate::analysis::dialect::no_implied_deps,
    implied_deps_sources: &[],
    held_back: not_approved,
    explains_duplicate: archived_copy_of_a_story,
};

/// A BMAD project's planning files read each other across folders: v4
/// stories check their epics against the PRD, both under `docs/`; v6
/// stories their statuses against `sprint-status.yaml` and their epics
/// against `epics.md`, all under the output folder.
///
/// A PRD or epics file also names the epics of the projects below its own
/// that have none (see `epic_sources`): its scope is the folder that holds
/// its project's planning folder, whose BMAD files are all checked again
/// after an edit of it.
fn bmad_scope(rel: &str) -> &str {
    if matches!(
        classify(rel, &[]),
        Some(PRD | PRD_SHARD | EPICS | MORE_EPICS)
    ) {
        return project_folder(rel);
    }
    for folder in [
        "/implementation-artifacts/",
        "/sprint-artifacts/",
        "/planning-artifacts/",
        "/docs/",
    ] {
        if let Some(at) = rel.find(folder) {
            let keep = if folder == "/docs/" {
                at + folder.len()
            } else {
                at + 1
            };
            return &rel[..keep];
        }
        let top = &folder[1..];
        if rel.starts_with(top) {
            return if folder == "/docs/" { top } else { "" };
        }
    }
    folder_scope(rel)
}

dialect_rules! { Dialect::Bmad;
    UNKNOWN_STATUS = 0, "bmad-unknown-status", Warning, Local,
        "A story's status, or a `sprint-status.yaml` value, is not one of the words BMAD's agents set and read.";
    UNKNOWN_CRITERION = 1, "bmad-unknown-criterion", Error, CrossFile,
        "A task's `(AC: 5)` names an acceptance criterion that the story does not have.";
    UNCOVERED_CRITERION = 2, "bmad-uncovered-criterion", Info, Local,
        "An acceptance criterion that no task names in its `(AC: …)`.";
    MISSING_SECTION = 3, "bmad-missing-section", Warning, Local,
        "A story without a status or without an `## Acceptance Criteria` section.";
    UNKNOWN_EPIC = 4, "bmad-unknown-epic", Warning, CrossFile,
        "A story of an epic that the PRD (or v6's `epics.md`) does not have.";
    STATUS_MISMATCH = 5, "bmad-status-mismatch", Warning, CrossFile,
        "A v6 story file's status disagrees with `sprint-status.yaml`.";
    UNTRACKED_STORY = 6, "bmad-untracked-story", Warning, CrossFile,
        "A v6 story file that `sprint-status.yaml` does not list.";
    MISSING_STORY_FILE = 7, "bmad-missing-story-file", Warning, CrossFile,
        "A story that `sprint-status.yaml` has ready, in progress or in review but no story file holds.";
    SPRINT_STATUS_SYNTAX = 8, "bmad-sprint-status-syntax", Error, Local,
        "`sprint-status.yaml` is not valid YAML or has no `development_status` mapping.";
}

/// The roles of BMAD's files.
const STORY: &str = "story";
const V6_STORY: &str = "v6-story";
/// A story as v6.11's `bmad-build` writes it: `spec-1-2-login.md` in the
/// implementation artifacts, its status in its front matter (`draft`,
/// `ready-for-dev`, `in-progress`, `in-review`, `done`) and its tasks the
/// checklist under `**Execution:**`.
const SPEC_STORY: &str = "v6-spec";
/// Another file of a v4 stories folder named by an epic number
/// (`6.x.remaining-improvements.md`): BMAD's, but no story.
const STORY_NOTE: &str = "story-note";
/// One file of the sharded PRD (`docs/prd/epic-1-foundation.md`).
const PRD_SHARD: &str = "prd-shard";
/// The whole PRD, `docs/prd.md`.
const PRD: &str = "prd";
const EPICS: &str = "epics";
/// Another epics file of the planning folder (`epics-next.md`,
/// `epics-housekeeping.md`): BMAD's sprint planning reads every `*epic*.md`
/// there. Teams restart their numbering in such files, so they define no
/// items; their epic numbers count when a story's epic is checked.
const MORE_EPICS: &str = "more-epics";
const SPRINT_STATUS: &str = "sprint-status";

fn classify(rel: &str, _parts: &[&str]) -> Option<&'static str> {
    let (folder, name) = rel.rsplit_once('/').unwrap_or(("", rel));
    // Every path is asked (100,000 issue files in a large workspace): what
    // none of the tests below can take is turned away before anything is
    // lower-cased or matched.
    let raw_parent = folder.rsplit('/').next().unwrap_or("");
    let possible = ["sprint-status.yaml", "sprint-status.yml"]
        .iter()
        .any(|n| name.eq_ignore_ascii_case(n))
        || name.len() >= ".story.md".len()
            && name.as_bytes()[name.len() - ".story.md".len()..].eq_ignore_ascii_case(b".story.md")
        || [
            "stories",
            "implementation-artifacts",
            "sprint-artifacts",
            "planning-artifacts",
            "docs",
            "prd",
        ]
        .iter()
        .any(|p| raw_parent.eq_ignore_ascii_case(p))
        || raw_parent
            .get(..5)
            .is_some_and(|p| p.eq_ignore_ascii_case("epic-"))
        || !raw_parent.is_empty() && raw_parent.bytes().all(|b| b.is_ascii_digit())
        || folder.rsplit('/').nth(1).is_some_and(|grandparent| {
            ARTIFACT_FOLDERS
                .iter()
                .any(|a| grandparent.eq_ignore_ascii_case(a))
        });
    if !possible {
        return None;
    }
    let name = name.to_ascii_lowercase();
    let mut folders = folder.rsplit('/').map(str::to_ascii_lowercase);
    let parent = folders.next().unwrap_or_default();
    let grandparent = folders.next().unwrap_or_default();
    let great_grandparent = folders.next().unwrap_or_default();
    if name == "sprint-status.yaml" || name == "sprint-status.yml" {
        return Some(SPRINT_STATUS);
    }
    if !name.ends_with(".md") || is_template(&name) {
        return None;
    }
    // BMAD v6-alpha's `create-story` names a story `story-1.2.md`, and
    // teams write `story-1.14-fix-ground-truth.md` or prefix a sprint key
    // (`story-8-5-focus-mode.md`): the story is what follows the prefix.
    let raw_name = rel.rsplit('/').next().unwrap_or(rel);
    let prefixed = raw_name.starts_with("story-").then_some(&*name);
    if let Some(role) = prefixed.and_then(|name| prefixed_role(name, &parent, &grandparent)) {
        return Some(role);
    }
    // BMAD names a story `1.2.slug.story.md`, never with a zero-padded
    // epic: a `stories/` folder of `01.1.org-context.md` files is another
    // tool's numbering (their stories have no `## Status` BMAD could read).
    // Teams keep each epic's stories in a folder of their own under the
    // stories folder (`stories/epic-25/25.2.fix-wiring.md`): the folder
    // names the file's epic; so does a folder named by the number alone
    // in an `epic/` folder of the stories folder
    // (`stories/epic/3/3.2.Linking_Tasks.md`).
    if v4_number(&name).is_some_and(|number| {
        name.ends_with(".story.md")
            || !is_zero_padded(&name)
                && (parent == "stories"
                    || grandparent == "stories" && names_epic(&parent, &number.epic)
                    || grandparent == "epic"
                        && great_grandparent == "stories"
                        && parent == number.epic)
    }) {
        return Some(STORY);
    }
    // `7.6-13-contract-fields.md` is story 13 of epic 7.6 in v6's naming.
    if parent == "stories" && dotted_epic_length(stem_of(&name)).is_some() {
        return Some(V6_STORY);
    }
    // v4's `create-brownfield-story` names a story of an epic
    // `epic-2-story-1.md` in the stories folder.
    if parent == "stories" && epic_story_number(&name).is_some() {
        return Some(STORY);
    }
    // The first workflow's stories are `015-slug.md`: a digit and a dot
    // start no name of theirs.
    if parent == "stories" && V4_NOTE.is_match(&name) {
        return Some(STORY_NOTE);
    }
    if matches!(
        parent.as_str(),
        "implementation-artifacts" | "sprint-artifacts"
    ) && v6_number(&name).is_some()
    {
        return Some(V6_STORY);
    }
    if matches!(
        parent.as_str(),
        "implementation-artifacts" | "sprint-artifacts"
    ) && spec_story_key(&name).is_some()
    {
        return Some(SPEC_STORY);
    }
    // v6 stories kept in a `stories/` folder: the epic number is never
    // zero-padded, as the first workflow's story numbers are (`001-2fa.md`),
    // though epic 0.5 is `0-5-1-safety-contact.md`.
    if parent == "stories" && !is_zero_padded(&name) && v6_number(&name).is_some() {
        return Some(V6_STORY);
    }
    // Some teams keep each epic's stories in a folder of their own
    // (`stories/epic-1/1-1-scaffolding.md`) under the story location. The
    // folder must name the file's epic: `epic-3.5/3-5-0-cleanup.md` is story
    // 0 of epic 3.5.
    if matches!(
        grandparent.as_str(),
        "stories" | "implementation-artifacts" | "sprint-artifacts"
    ) && !is_zero_padded(&name)
        && folder_epic_length(&parent, &number_parts(stem_of(&name))).is_some()
    {
        return Some(V6_STORY);
    }
    // A project's own folder in the implementation artifacts
    // (`implementation-artifacts/ai-dev-orchestrator/0-3-ports.md`, beside
    // the project's `sprint-status.yaml`): BMAD writes the stories where
    // the project's configuration puts them, which the sprint-status file
    // records as its `story_location`.
    // So is a story in a folder of old copies there
    // (`implementation-artifacts/archive/1-2-login.md`), which is the
    // enclosing project's (see `is_archived`).
    if matches!(
        grandparent.as_str(),
        "implementation-artifacts" | "sprint-artifacts"
    ) && (is_project_folder(&parent) || is_archive_folder(&parent))
        && !is_zero_padded(&name)
        && v6_number(&name).is_some()
    {
        return Some(V6_STORY);
    }
    // Any other numbered file of a stories folder in BMAD's output
    // (`4-x-commissions-agent-name.md`, a story not numbered yet) is BMAD's
    // all the same, never the first workflow's `NNN-slug.md` story.
    let in_bmad_output = matches!(
        grandparent.as_str(),
        "implementation-artifacts" | "sprint-artifacts"
    ) || folder.to_ascii_lowercase().contains("_bmad-output/");
    if parent == "stories" && in_bmad_output && name.starts_with(|c: char| c.is_ascii_digit()) {
        return Some(STORY_NOTE);
    }
    if name == "epics.md"
        && (parent == "planning-artifacts"
            || grandparent == "planning-artifacts" && is_project_folder(&parent))
    {
        return Some(EPICS);
    }
    if name.contains("epic") && parent == "planning-artifacts" {
        return Some(MORE_EPICS);
    }
    if name == "prd.md" && parent == "docs" {
        return Some(PRD);
    }
    if parent == "prd" && grandparent == "docs" {
        return Some(PRD_SHARD);
    }
    None
}

/// The name after a `story-` prefix that a story number follows
/// (`story-1.2.md`, `story-8-5-focus-mode.md`); not `story-context-1.4.xml`
/// or `story-template.md`. The prefix is BMAD's only in lower case:
/// `STORY-1.14-INGESTION-GUIDE.md` and `STORY-001-setup.md` are a team's
/// own documents.
fn without_story_prefix(name: &str) -> Option<&str> {
    let rest = name.strip_prefix("story-")?;
    rest.starts_with(|c: char| c.is_ascii_digit())
        .then_some(rest)
}

/// The role of a lower-cased `story-…` file name in a folder where BMAD
/// keeps stories: a dotted number (`story-1.15a.md`, as v6-alpha's
/// `create-story` writes it) is read as a v4 story in a `stories/` folder
/// and as a v6 one beside `sprint-status.yaml`; a sprint key
/// (`story-8-5-focus-mode.md`) is a v6 story.
fn prefixed_role(name: &str, parent: &str, grandparent: &str) -> Option<&'static str> {
    let bare = without_story_prefix(name)?;
    if is_zero_padded(bare) {
        return None;
    }
    let tracked = matches!(parent, "implementation-artifacts" | "sprint-artifacts");
    let in_epic_folder = matches!(
        grandparent,
        "stories" | "implementation-artifacts" | "sprint-artifacts"
    ) && parent.starts_with("epic-");
    if parent != "stories" && !tracked && !in_epic_folder {
        return None;
    }
    if let Some(number) = prefixed_v4_number(bare) {
        // An epic's folder under a `stories/` folder is read as that
        // folder is (`stories/epic-14/story-14.5-strategy-guide.md`).
        if in_epic_folder && grandparent == "stories" && names_epic(parent, &number.epic) {
            return Some(STORY);
        }
        if parent != "stories" {
            return Some(V6_STORY);
        }
        // In a `stories/` folder v6-alpha names a story by its bare number
        // (`story-1.15a.md`); teams add a slug (`story-1.14-fix-tests.md`),
        // and other tools name their own story notes so, with no status
        // BMAD could read: `parse_story` tells them apart.
        return Some(STORY);
    }
    v6_number(bare).map(|_| V6_STORY)
}

/// A `bmad-build` spec's name (or stem) without its `spec-` prefix, when
/// it is a story's: `bmad-build` names a story's spec `spec-{slug}.md`, the
/// slug led by the story's sprint-status key (`spec-3-2-digest-delivery.md`).
/// A spec of other work (`spec-gh-47-fix-auth.md`, `spec-dark-mode.md`) is
/// no story.
fn spec_story_key(name: &str) -> Option<&str> {
    let rest = name.strip_prefix("spec-")?;
    (!is_zero_padded(rest) && v6_number(rest).is_some()).then_some(rest)
}

/// `epic-2-story-1.md`, and the story's whole number for `story-1.1-setup`.
static EPIC_STORY_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^epic-(\d+)-story-(\d+[a-z]?)(?:\.(\d+[a-z]?))?(?:[-.].*)?\.md$")
        .expect("valid regex")
});

/// The story number of a lower-cased file name as v4's
/// `create-brownfield-story` writes it for a story of an epic,
/// `epic-{n}-story-{m}.md` (`epic-2-story-1.md` is story 2.1); teams add a
/// slug (`epic-1-story-2-authentication.md`) or write the story's whole
/// number (`epic-1-story-1.1-project-setup.md`), which must then be of the
/// epic the name gives.
fn epic_story_number(name: &str) -> Option<StoryNumber> {
    let caps = EPIC_STORY_NAME.captures(name)?;
    let epic = &caps[1];
    match caps.get(3) {
        None => Some(StoryNumber::new(epic, &caps[2])),
        Some(story) => (without_leading_zeros(&caps[2]) == without_leading_zeros(epic))
            .then(|| StoryNumber::new(epic, story.as_str())),
    }
}

/// Whether a lower-cased `story-…` file name has a slug after its dotted
/// number (`story-1.14-fix-tests.md`), where v6-alpha writes the number
/// alone (`story-1.15a.md`).
fn is_slugged_story_name(name: &str) -> bool {
    without_story_prefix(name)
        .and_then(|bare| V4_NAME.captures(bare))
        .and_then(|caps| caps.get(2))
        .is_some_and(|number| name.len() - "story-".len() != number.end() + ".md".len())
}

/// Whether an `epic-…` folder (`epic-25`, `epic-07`) names the epic of
/// this number.
fn names_epic(folder: &str, epic: &str) -> bool {
    folder
        .strip_prefix("epic-")
        .is_some_and(|n| dotted_without_leading_zeros(&n.replace('-', ".")) == epic)
}

/// The story number of a file name after its `story-` prefix, when it is
/// dotted (`1.14-fix-ground-truth.md`, `1.15a.md`): a slug may follow a
/// dash, as the prefix already says the file is the story.
fn prefixed_v4_number(bare: &str) -> Option<StoryNumber> {
    let caps = V4_NAME.captures(bare)?;
    Some(StoryNumber::new(&caps[1], &caps[2]))
}

/// Whether a lower-cased file name is a template's rather than a story's:
/// BMAD names its templates `…-tmpl` and `…-template`, and a team's copy of
/// the story template is `story-template.md` or `1.2.story-template.md`. A
/// story's slug may hold the word (`4-5-template-customization-preview.md`,
/// `34-5-4-family-meeting-template.md`), so only those endings count.
fn is_template(name: &str) -> bool {
    let stem = name.strip_suffix(".md").unwrap_or(name);
    stem == "template"
        || ["tmpl", "story-template", "story_template", ".template"]
            .iter()
            .any(|ending| stem.ends_with(ending))
}

/// Which BMAD a story file follows: the status words differ.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Version {
    V4,
    V6,
}

fn version_of(role: &str) -> Version {
    if is_v6_story(role) {
        Version::V6
    } else {
        Version::V4
    }
}

/// Whether a role is a v6 story's, as `create-story` or `bmad-build`
/// writes it: `sprint-status.yaml` tracks both.
fn is_v6_story(role: &str) -> bool {
    role == V6_STORY || role == SPEC_STORY
}

/// The status words of a story file of this role.
fn story_vocabulary(role: &str) -> &'static Vocabulary {
    match role {
        SPEC_STORY => &V6_SPEC_STATUSES,
        V6_STORY => &V6_STORY_STATUSES,
        _ => &V4_STATUSES,
    }
}

/// `1.2.login.story.md`, and `2.3.1.story.md` or `4.2.2a.story.md` for a
/// story split in three levels (story `3.1` of epic 2); the slug may follow
/// a dash (`1.1.1-tracing.story.md`).
static V4_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\d+)\.(\d+[a-z]*(?:\.\d+[a-z]*)?)(?:[.\-].*)?\.md$").expect("valid regex")
});
static V4_NOTE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\d+\.[^/]*\.md$").expect("valid regex"));

/// A story's number: its epic's and its own (`2`, `1a`, or `3.1` for v4's
/// story 2.3.1).
#[derive(Clone, Debug, PartialEq, Eq)]
struct StoryNumber {
    epic: String,
    story: String,
}

impl StoryNumber {
    fn new(epic: &str, story: &str) -> StoryNumber {
        StoryNumber {
            epic: dotted_without_leading_zeros(&epic.to_ascii_lowercase()),
            story: dotted_without_leading_zeros(&story.to_ascii_lowercase()),
        }
    }

    /// The number whose first `epic_length` parts are the epic's and the
    /// rest the story's: `27`, `5`, `1` with an epic of two parts is story 1
    /// of epic 27.5. `parts` holds two parts or more.
    fn split(parts: &[&str], epic_length: usize) -> StoryNumber {
        let at = epic_length.min(parts.len().saturating_sub(1)).max(1);
        // A patch of a story keeps its dash (`6-2-p1` is story 6.2-p1, not
        // story p1 of epic 6.2, which `6.2-p1` is).
        let mut story = String::new();
        for (i, part) in parts[at..].iter().enumerate() {
            if i > 0 {
                story.push(if is_patch_part(part) { '-' } else { '.' });
            }
            story.push_str(part);
        }
        StoryNumber::new(&parts[..at].join("."), &story)
    }

    fn dotted(&self) -> String {
        format!("{}.{}", self.epic, self.story)
    }
}

/// `007` as `7`, `01a` as `1a`: `1.2` and `01.02` name one story.
fn without_leading_zeros(number: &str) -> String {
    if !number.starts_with('0') {
        return number.to_string();
    }
    let trimmed = number.trim_start_matches('0');
    if trimmed.is_empty() || !trimmed.starts_with(|c: char| c.is_ascii_digit()) {
        format!("0{trimmed}")
    } else {
        trimmed.to_string()
    }
}

/// The story number of a v4 file name (`1.2.login.story.md`). A slug after
/// a dash counts only in a `….story.md` name: `1.7-audit-references.md` in
/// a stories folder is a note on story 1.7, not the story.
fn v4_number(name: &str) -> Option<StoryNumber> {
    let caps = V4_NAME.captures(name)?;
    let number_end = caps.get(2)?.end();
    let dashed = name[number_end..].starts_with('-');
    if dashed && !name.to_ascii_lowercase().ends_with(".story.md") {
        return None;
    }
    Some(StoryNumber::new(&caps[1], &caps[2]))
}

/// Each part of a dotted number without its leading zeros: `01.05` as
/// `1.5`.
fn dotted_without_leading_zeros(number: &str) -> String {
    number
        .split('.')
        .map(without_leading_zeros)
        .collect::<Vec<_>>()
        .join(".")
}

/// Whether a file name starts with a zero-padded number (`001-2fa.md`), as
/// the first workflow's story files do and BMAD's never do.
fn is_zero_padded(name: &str) -> bool {
    name.starts_with('0') && name.as_bytes().get(1).is_some_and(u8::is_ascii_digit)
}

/// Whether one part of a v6 name is a number: `27`, or `19a` and `6a` as
/// teams letter an epic or story they add between two others.
fn is_number_part(part: &str) -> bool {
    let digits = part.bytes().take_while(u8::is_ascii_digit).count();
    digits > 0 && part.bytes().skip(digits).all(|b| b.is_ascii_alphabetic())
}

/// Whether one part of a v6 name is a patch's number (`p1` in
/// `6-2-p1-hmac-fix`): teams add a follow-up to a story, or a story to an
/// epic numbered in two parts (`6.2-p10-sql-module`), so numbered.
fn is_patch_part(part: &str) -> bool {
    part.len() > 1
        && part.starts_with(['p', 'P'])
        && part.bytes().skip(1).all(|b| b.is_ascii_digit())
}

/// The first `count` number parts, and a patch part after them.
fn with_patch<'p, 'a>(parts: &'p [&'a str], count: usize) -> &'p [&'a str] {
    let count = count.min(parts.len());
    let patched = parts.get(count).is_some_and(|p| is_patch_part(p));
    &parts[..count + usize::from(patched)]
}

/// The number parts that open a lower-cased v6 file stem or sprint-status
/// key: `27-5-1-check-in` gives `27`, `5` and `1`. Where the number ends and
/// the slug begins is not written (`0-5-7-72-hour-notice` is story 0.5.7),
/// so the callers decide how many of them to take.
fn number_parts(stem: &str) -> Vec<&str> {
    let (head, rest) = stem.split_once('-').unwrap_or((stem, ""));
    let mut parts: Vec<&str> = match dotted_head(head) {
        Some(pieces) => pieces,
        None if is_number_part(head) => vec![head],
        None => return Vec::new(),
    };
    let mut rest = rest.split('-').filter(|_| !rest.is_empty()).peekable();
    while let Some(part) = rest.next_if(|part| is_number_part(part)) {
        parts.push(part);
    }
    if let Some(patch) = rest.next_if(|part| is_patch_part(part)) {
        parts.push(patch);
    }
    parts
}

/// The pieces of a dotted number opening a v6 name or key (`7.6` in
/// `7.6-13-contract-fields`), when each is a number.
fn dotted_head(head: &str) -> Option<Vec<&str>> {
    let pieces: Vec<&str> = head.split('.').collect();
    (pieces.len() > 1 && pieces.iter().all(|p| is_number_part(p))).then_some(pieces)
}

/// How many parts a dotted number opening a v6 name says its epic has:
/// `7.6-13-contract-fields` is story 13 of epic 7.6, as teams number the
/// stories of an epic added between 7 and 8. `None` when the name does not
/// open that way, or no story number follows.
fn dotted_epic_length(stem: &str) -> Option<usize> {
    let (head, rest) = stem.split_once('-')?;
    let pieces = dotted_head(head)?.len();
    rest.split('-')
        .next()
        .is_some_and(|part| is_number_part(part) || is_patch_part(part))
        .then_some(pieces)
}

/// The story number of a v6 file name (`1-2-login.md`), read as epic and
/// story, when nothing tells how many parts the epic's number has.
fn v6_number(name: &str) -> Option<StoryNumber> {
    let name = name.to_ascii_lowercase();
    let stem = stem_of(&name);
    let parts = number_parts(stem);
    // A dotted number is a story's only with a story number after it:
    // `1.7-audit-references.md` is a note on story 1.7.
    if dotted_head(stem.split('-').next().unwrap_or("")).is_some() {
        let length = dotted_epic_length(stem)?;
        return Some(StoryNumber::split(with_patch(&parts, length + 1), length));
    }
    (parts.len() >= 2).then(|| StoryNumber::split(&parts, 1))
}

/// How many of a story file's number parts an `epic-…` folder names
/// (`epic-3.5` or `epic-3-5` for `3-5-0-cleanup.md`), when the folder names
/// the file's epic and one part is left for the story.
fn folder_epic_length(folder: &str, parts: &[&str]) -> Option<usize> {
    let epic = folder.to_ascii_lowercase();
    let epic = epic.strip_prefix("epic-")?;
    let epic: Vec<&str> = epic.split(['.', '-']).collect();
    (epic.len() < parts.len()
        && epic
            .iter()
            .zip(parts)
            .all(|(a, b)| without_leading_zeros(a) == without_leading_zeros(b)))
    .then_some(epic.len())
}

/// The story number of a v6 story file: how many of the name's number
/// parts are the epic's is told by an `epic-…` folder, else by the
/// `# Story 27.5.1:` title when the name opens with that number (the epic's
/// number is then all but the last part), else the epic is the first part.
fn v6_story_number(rel: &str, title: Option<&str>) -> Option<StoryNumber> {
    let number = v6_name_number(rel, title)?;
    Some(with_variant(
        number,
        &file_key(rel).to_ascii_lowercase(),
        title,
    ))
}

/// `# Story 10.1-H: …` over `10-1-h-polly-retry-policies.md`: a lettered
/// variant of story 10.1 (a hardening story, a forex one), which teams add
/// beside the story and track under a key of its own, is story 10.1-h, not
/// story 10.1 again. The title must say so, and the name must carry the
/// letters right after the number.
fn with_variant(mut number: StoryNumber, key: &str, title: Option<&str>) -> StoryNumber {
    let Some(caps) = title.and_then(|t| VARIANT_TITLE.captures(t.trim())) else {
        return number;
    };
    let variant = caps[2].to_ascii_lowercase();
    let dotted = number.dotted();
    if dotted_without_leading_zeros(&caps[1].to_ascii_lowercase()) != dotted {
        return number;
    }
    let named = [dotted.clone(), dotted.replace('.', "-")]
        .iter()
        .any(|written| {
            key.strip_prefix(written.as_str())
                .and_then(|rest| rest.strip_prefix('-'))
                .and_then(|rest| rest.strip_prefix(variant.as_str()))
                .is_some_and(|rest| rest.is_empty() || rest.starts_with(['-', '.']))
        });
    if named {
        number.story = format!("{}-{variant}", number.story);
    }
    number
}

/// The story number a v6 story file's name gives, read as its folder or
/// title says.
fn v6_name_number(rel: &str, title: Option<&str>) -> Option<StoryNumber> {
    let key = file_key(rel).to_ascii_lowercase();
    if key.len() < stem_of(rel).len() {
        if let Some(number) = prefixed_v4_number(&format!("{key}.md")) {
            return Some(number);
        }
    }
    let folder = rel.rsplit_once('/').map_or("", |(folder, _)| folder);
    let parts = number_parts(&key);
    if parts.len() < 2 {
        return None;
    }
    if let Some(length) = dotted_epic_length(&key) {
        return Some(StoryNumber::split(with_patch(&parts, length + 1), length));
    }
    let parent = folder.rsplit('/').next().unwrap_or(folder);
    if let Some(length) = folder_epic_length(parent, &parts) {
        return Some(StoryNumber::split(&parts, length));
    }
    let titled = title
        .and_then(|t| STORY_NUMBER.captures(t.trim()))
        .map(|caps| caps[1].to_ascii_lowercase())
        .map(|n| n.split('.').map(without_leading_zeros).collect::<Vec<_>>())
        .filter(|n| {
            (2..=parts.len()).contains(&n.len())
                && n.iter()
                    .zip(&parts)
                    .all(|(a, b)| *a == without_leading_zeros(b))
        });
    let epic_length = titled.map_or(1, |n| n.len() - 1);
    Some(StoryNumber::split(
        with_patch(&parts, epic_length + 1),
        epic_length,
    ))
}

/// The folders where BMAD keeps a project's planning: the output folder
/// (`_bmad-output/`, `docs/` in v4 and early v6), or, when a project keeps
/// them at its root, the artifact and story folders themselves.
const PLANNING_HOMES: [&str; 6] = [
    "_bmad-output",
    "docs",
    "implementation-artifacts",
    "sprint-artifacts",
    "planning-artifacts",
    "stories",
];

/// The folders of BMAD's artifacts, where a folder of their own may hold
/// one of several projects' artifacts (`implementation-artifacts/<name>/`
/// with its `sprint-status.yaml`, `planning-artifacts/<name>/epics.md`).
const ARTIFACT_FOLDERS: [&str; 3] = [
    "implementation-artifacts",
    "sprint-artifacts",
    "planning-artifacts",
];

/// The scope of the IDs of a BMAD file: the path (ending in `/`) of the
/// project whose planning it is, empty for the workspace root. The project
/// is the folder that holds the first planning folder on the file's path
/// (`apps/a/` of `apps/a/docs/stories/1.2.login.story.md`), followed by
/// the name of a project's own folder in the artifact folders
/// (`ai-dev-orchestrator/` of
/// `_bmad-output/implementation-artifacts/ai-dev-orchestrator/0-3-ports.md`):
/// each project numbers its stories and epics from 1, so story 1.2 of one
/// is not story 1.2 of another. A file on no planning folder's path (a
/// `1.2.login.story.md` anywhere) is of the workspace's project.
pub(crate) fn project_scope(rel: &str) -> String {
    let folders: Vec<&str> = rel.split('/').collect();
    let folders = &folders[..folders.len() - 1];
    let is = |folder: &str, names: &[&str]| names.iter().any(|n| folder.eq_ignore_ascii_case(n));
    let Some(home) = folders.iter().position(|f| is(f, &PLANNING_HOMES)) else {
        return String::new();
    };
    let mut scope: String = folders[..home].iter().map(|f| format!("{f}/")).collect();
    let own_folder = folders[home..]
        .iter()
        .position(|f| is(f, &ARTIFACT_FOLDERS))
        .and_then(|at| folders.get(home + at + 1));
    if let Some(name) = own_folder.filter(|name| is_project_folder(name)) {
        scope.push_str(name);
        scope.push('/');
    }
    scope
}

/// The folder (ending in `/`, empty for the workspace root) that holds the
/// first planning folder on a file's path (`apps/a/` of
/// `apps/a/docs/prd.md`), else the file's own folder.
fn project_folder(rel: &str) -> &str {
    let mut start = 0;
    for folder in rel.split('/') {
        let end = start + folder.len();
        if end == rel.len() {
            break;
        }
        if PLANNING_HOMES
            .iter()
            .any(|h| folder.eq_ignore_ascii_case(h))
        {
            return &rel[..start];
        }
        start = end + 1;
    }
    folder_scope(rel)
}

/// Whether a folder right under an artifact folder holds a project's own
/// artifacts: not a stories folder, nor an epic's folder of stories
/// (`epic-1/`), nor one of the planning folders BMAD's workflows write
/// beside the epics (`epic-readiness/`).
fn is_project_folder(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower != "stories" && !lower.starts_with("epic") && !is_archive_folder(name)
}

/// The words a folder of old copies is named by. BMAD's workflows never
/// move a story; teams move finished or replaced ones out of the story
/// folder into such a folder by hand.
const ARCHIVE_FOLDERS: [&str; 13] = [
    "old",
    "done",
    "completed",
    "complete",
    "finished",
    "deprecated",
    "obsolete",
    "legacy",
    "backup",
    "backups",
    "superseded",
    "retired",
    "trash",
];

/// Whether a folder's name says it keeps old copies (`archive/`,
/// `_archived/`, `Done/`, PROCONTENT's `arhiv/`) rather than a project's
/// own artifacts.
fn is_archive_folder(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let bare = lower.trim_start_matches(['_', '.']);
    bare.starts_with("archiv") || bare.starts_with("arhiv") || ARCHIVE_FOLDERS.contains(&bare)
}

/// Whether a story file is an old copy kept in a folder of old copies
/// right under the implementation artifacts
/// (`implementation-artifacts/archive/1-2-login.md`). The copy is of the
/// enclosing project and keeps its story's ID, so hover and definition
/// find it, but it is history: no sprint status tracks it, and it is no
/// second definition of the story it copies.
fn is_archived(rel: &str) -> bool {
    let mut folders = rel.rsplit('/').skip(1);
    let parent = folders.next().unwrap_or("");
    let grandparent = folders.next().unwrap_or("");
    is_archive_folder(parent)
        && ["implementation-artifacts", "sprint-artifacts"]
            .iter()
            .any(|a| grandparent.eq_ignore_ascii_case(a))
}

/// Whether `item` of `file` is defined more than once only because old
/// copies of a story are kept in a folder of old copies (see
/// `is_archived`): the copy is left alone, and so is the live story when
/// every other copy is an old one. Two live copies are still reported.
fn archived_copy_of_a_story(ws: &Workspace, file: &SourceFile, item: &Item) -> bool {
    is_archived(&file.rel)
        || ws
            .definitions(&item.id)
            .iter()
            .filter(|loc| !(*loc.rel == *file.rel && ws.item_at(loc).def_range == item.def_range))
            .all(|loc| is_archived(&loc.rel))
}

fn story_id(scope: &str, number: &StoryNumber) -> String {
    format!("{scope}bmad-story-{}", number.dotted())
}

fn criterion_id(story: &str, n: &str) -> String {
    format!("{story}/ac-{n}")
}

fn task_id(story: &str, number: &str) -> String {
    format!("{story}/task-{number}")
}

fn epic_id(scope: &str, n: &str) -> String {
    format!("{scope}bmad-epic-{n}")
}

/// The file's name without its folder, lower-cased.
fn file_name(rel: &str) -> String {
    rel.rsplit('/').next().unwrap_or(rel).to_ascii_lowercase()
}

fn parse(input: &ParseInput<'_>, facts: &mut FileFacts) {
    match input.role {
        STORY | V6_STORY | SPEC_STORY => parse_story(input, facts),
        PRD_SHARD | EPICS => parse_epics(input, facts),
        SPRINT_STATUS => parse_sprint_status(input.text, &project_scope(input.rel), facts),
        _ => {}
    }
}

// Stories: the story, its criteria and its tasks, from a v4 or v6 file.

/// `Status: review`, or `- Status: review` as a team's `## Story Details`
/// list writes it.
static STATUS_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:[-*+]\s+)?status\s*:\s*(\S.*?)\s*$").expect("valid regex")
});
/// `Current Status: done` under a `## Status` heading: a label that ends
/// in the word, before the status.
static LABELLED_STATUS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*[\w ]{0,40}\bstatus\s*:\s*(\S.*?)\s*$").expect("valid regex")
});
/// What a story's title opens with before the title itself: `Story 1.2: `,
/// or `Story: ` as v4's `create-brownfield-story` writes it.
static STORY_TITLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^story(?:\s+\d+[a-z]*(?:[.\-]\d+[a-z]*)*(?:[.\-]p\d+)?\s*(?:[:.\-–—]\s*)?|\s*:\s*)",
    )
    .expect("valid regex")
});
/// A title as BMAD's templates write it: `Story 1.2: Title` (or `Story
/// 1.2 - Title`, or the number alone), not `Story 1.6 Final Review` nor
/// `Story 7.4-FX Review Report`. A lettered variant's title (`Story 7.4-FX:
/// Wyckoff Team Review Report`) does not count: teams title reports on a
/// variant so, while its story has the template's story and tasks
/// sections, which count instead.
static BMAD_TITLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:\*\*)?story\s+\d+[a-z]*(?:[.\-]\d+[a-z]*)*(?:[.\-]p\d+)?(?:\*\*)?\s*(?:[:：]|[–—]|-\s|$)")
        .expect("valid regex")
});
/// A story's title followed by what a document about it is, after a
/// dash: `… - Implementation Summary`, `… – Amendment Document`.
static COMPANION_TITLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\s[-–—]\s+(?:[\w-]+\s+){0,3}(?:summary|report|document|amendments?|review|notes|results|analysis|retrospective|checklist)\s*$")
        .expect("valid regex")
});
/// `Story 10.1-H`: the number of a lettered variant, and its letters.
static VARIANT_TITLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^story\s+(\d+[a-z]*(?:\.\d+[a-z]*)+)-([a-z]{1,3})\b").expect("valid regex")
});
/// The number of a `# Story 27.5.1: Title` or `# Story 19A.1` title.
static STORY_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^story\s+(\d+[a-z]*(?:\.\d+[a-z]*)+)\b").expect("valid regex")
});
static CRITERIA_HEADING: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^acceptance\s+criteria\b").expect("valid regex"));
static TASKS_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:implementation\s+)?tasks?\b(?:\s*/\s*sub-?tasks?)?\s*$")
        .expect("valid regex")
});
/// `AC1: Title`, `AC-2 — Title`, `AC 3.` as a heading or at the start of
/// a list item; `AC-1.1.2: Title` (criterion 2 of story 1.1) is numbered by
/// its last part.
static AC_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^AC\s*[-#]?\s*(?:\d+\.\d+[a-z]?\.)?(\d+[a-z]?)(?:\*\*)?\s*(?:[:.)\-–—]|\*\*|\s|$)(?:\*\*)?\s*(.*)$")
        .expect("valid regex")
});
/// `1. …`, and `1a. …` for a criterion added after criterion 1.
static NUMBERED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d+[a-zA-Z]?)[.)]\s+(.*)$").expect("valid regex"));
static CHECKBOX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^([ \t]*)(?:[-*+]|\d+[.)])\s+\[([ xX~\-])\]\s*(.*)$").expect("valid regex")
});
/// `Task 3`, `**Task 3**:`, `Subtask 1.2` opening a task's text.
static TASK_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:\*\*)?(?:sub-?)?task\s+(\d+[a-z]?(?:\.\d+[a-z]?)*)\b")
        .expect("valid regex")
});
/// `1.2 Do this`: a subtask numbered as written.
static SUBTASK_NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d+(?:\.\d+)+)\.?\s").expect("valid regex"));
/// `(AC: 1, 3)`, `(AC1)`, `(AC-2)`, `(AC 1-3)`, `(ACs: #1, #2)`, and
/// `[AC2]`: the list inside, up to the closing bracket (where completion
/// offers the next criterion), is group 1 or 2.
static AC_GROUP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\(\s*ACs?\s*[:#\-]?\s*([^()]*)\)|\[\s*ACs?\s*[:#\-]?\s*([^\[\]]*)\]")
        .expect("valid regex")
});
static AC_SINGLE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^#?(\d+[a-z]?)$").expect("valid regex"));
static AC_RANGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^#?(\d+)\s*(?:-|–|—|to|through)\s*(?:AC\s*-?\s*)?#?(\d+)$")
        .expect("valid regex")
});
static AC_QUALIFIED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d+)\.(\d+[a-z]?)\.(\d+[a-z]?)$").expect("valid regex"));

/// A Given/When/Then line of a criterion (`**Given** …`, `- When …`).
static SCENARIO_STEP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:[-*+]\s+)?(?:\*\*|__)?(?:given|when|then)\b").expect("valid regex")
});

/// How many criteria one `(AC: 1-40)` range may name.
const MAX_RANGE: u32 = 50;

/// A story file: the story, its numbered criteria and its tasks.
fn parse_story(input: &ParseInput<'_>, facts: &mut FileFacts) {
    let text = input.text;
    let name = file_name(input.rel);
    let version = version_of(input.role);
    let spec = input.role == SPEC_STORY;
    // A front matter block (`baseline_commit: …` between `---` fences, as
    // newer dev workflows write) is no part of the story: its closing fence
    // would make its last line a heading, ending the preamble before the
    // `Status:` line. A `bmad-build` spec keeps its title and status there.
    let front_matter = yaml::front_matter(text);
    let front_matter_end = front_matter.as_ref().map_or(0, |fm| fm.range.end());
    let front_field = |key: &str| {
        let entries = front_matter.as_ref()?.keys.as_ref().ok()?;
        yaml::get(entries, key)?
            .scalar_field(text)
            .filter(|f| !f.value_range.is_empty())
    };
    // The headings are in text order: those past the front matter are a
    // tail of them.
    let all_headings = &input.outline.headings;
    let headings: &[Heading] =
        &all_headings[all_headings.partition_point(|h| h.range.start() < front_matter_end)..];
    let ignored = &input.outline.ignored;
    let title_index = headings.iter().position(|h| h.level == 1);
    let number = match version {
        Version::V4 => match without_story_prefix(input.rel.rsplit('/').next().unwrap_or("")) {
            Some(bare) => prefixed_v4_number(&bare.to_ascii_lowercase()),
            None => v4_number(&name).or_else(|| epic_story_number(&name)),
        },
        Version::V6 => v6_story_number(input.rel, title_index.map(|i| &*headings[i].text)),
    };
    let Some(number) = number else {
        return;
    };
    // A `bmad-build` spec is named for itself: besides the story's spec,
    // teams write one for later work on a story that `create-story` wrote
    // (`spec-1-2-review-findings.md` beside `1-2-login.md`), which is no
    // second story 1.2. Its key is found by its number all the same.
    let id = if spec {
        format!(
            "{}bmad-spec-{}",
            project_scope(input.rel),
            file_key(input.rel).to_lowercase()
        )
    } else {
        story_id(&project_scope(input.rel), &number)
    };
    let sections = sections(headings, text.len());
    // A level-2 heading right under the title is its subtitle, not the
    // first section.
    let subtitle = title_index.and_then(|i| {
        let (title, next) = (&headings[i], headings.get(i + 1)?);
        let between = text.get(title.range.end()..next.range.start());
        (next.level == 2 && between.is_some_and(|t| t.trim().is_empty())).then_some(i + 1)
    });
    let preamble_end = headings
        .iter()
        .enumerate()
        .find(|(i, h)| Some(*i) != title_index && Some(*i) != subtitle && h.level <= 2)
        .map_or(text.len(), |(_, h)| h.range.start());
    let criteria_section = sections
        .iter()
        .find(|s| CRITERIA_HEADING.is_match(s.title(text)));
    let tasks_section = if spec {
        spec_tasks(text, &sections)
    } else {
        sections
            .iter()
            .find(|s| s.level <= 2 && TASKS_HEADING.is_match(s.title(text)))
            .copied()
    };
    let status = if spec {
        front_field("status")
    } else {
        story_status(input, &sections, preamble_end, version)
    };
    // A v6 file named like a story that has neither a status nor the
    // story's criteria (`7-1-spike-findings.md`) goes with a story rather
    // than being one.
    if version == Version::V6 && status.is_none() && criteria_section.is_none() {
        return;
    }
    // Other tools name their story notes `story-1.1-project-scaffold.md`
    // (or `epic-1-story-2.md`) in a `stories/` folder (or an epic's folder
    // in it) too, with no status BMAD could read: a slugged name there is
    // a story only with a status.
    let mut folders = input.rel.rsplit('/').skip(1);
    let (parent, grandparent) = (folders.next(), folders.next());
    let is_stories =
        |folder: Option<&str>| folder.is_some_and(|f| f.eq_ignore_ascii_case("stories"));
    let in_stories_folder = is_stories(parent)
        || (parent.is_some_and(|f| f.to_ascii_lowercase().starts_with("epic-"))
            && is_stories(grandparent));
    if version == Version::V4
        && status.is_none()
        && in_stories_folder
        && (is_slugged_story_name(&name) || epic_story_number(&name).is_some())
    {
        return;
    }
    // A report on a story named after it (`1-6-final-code-review-report.md`,
    // `7.5-FX.IMPLEMENTATION-REVIEW.md`) is not the story, whatever status
    // it gives itself: BMAD's templates give every story its user story
    // (`## Story`) and its tasks and title it `Story 1.6: …`, where such a
    // report has neither section and titles itself otherwise.
    // So is a document about a story titled as the story with what it is
    // after a dash (`Story 11.6: Alerts - Implementation Summary`, `Story
    // 0.6: Testing - Amendment Document`), kept beside the story.
    let title_text = title_index.map_or("", |i| &*headings[i].text);
    if !spec
        && !name.ends_with(".story.md")
        && tasks_section.is_none()
        && !sections
            .iter()
            .any(|s| s.level == 2 && is_story_statement(s.title(text)))
        && (!BMAD_TITLE.is_match(title_text.trim()) || COMPANION_TITLE.is_match(title_text.trim()))
    {
        return;
    }

    let title_heading = title_index.map(|i| &headings[i]);
    let def_range = title_heading.map_or(TextRange::empty(0), |h| h.range);
    let mut story = Item::new(ItemKind::Story, id.clone(), def_range);
    story.title = title_heading
        .map(|h| STORY_TITLE.replace(h.text.trim(), "").trim().to_string())
        .or_else(|| front_field("title").map(|f| f.value(text).trim().to_string()))
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| format!("Story {}", number.dotted()))
        .into();
    story.range = TextRange::new(0, text.len());
    story.number = Some(number.dotted());
    story.parent = Some(epic_id(&project_scope(input.rel), &number.epic).into());
    story.fields = fields(
        &input.outline.base,
        TextRange::new(0, preamble_end),
        ignored,
    );
    if let Some(status) = status {
        story.progress = status_progress(story_vocabulary(input.role), status.value(text));
        story.status = Some((
            input.outline.slice_at(status.value_range),
            status.value_range,
        ));
        if !story.fields.iter().any(|f| f.is("status")) {
            story.fields.insert(0, status);
        }
    }
    let StoryCriteria {
        items: criteria,
        parts,
    } = criteria_section
        .map(|section| parse_criteria(input, headings, &id, section))
        .unwrap_or_default();
    // The section's checkboxes are the story's checklist of criteria, but
    // for those nested under a numbered criterion: they are part of its
    // text (Fledgely's "Then they have a checklist of verification steps:"
    // under `4. **AC4: …**`), not criteria of their own.
    if let Some(section) = criteria_section {
        story.criteria = input
            .outline
            .checkboxes
            .iter()
            .filter(|c| section.range.contains_range(c.box_range))
            .filter(|c| !parts.iter().any(|part| part.contains_range(c.box_range)))
            .cloned()
            .collect::<Vec<Criterion>>();
    }
    story.sections = sections.iter().filter(|s| s.level >= 2).cloned().collect();

    let numbers: Vec<String> = criteria.iter().filter_map(|c| c.number.clone()).collect();
    let owner = Owner {
        story: &id,
        number: &number,
        criteria: &numbers,
    };
    let tasks = tasks_section
        .map(|section| parse_tasks(input, headings, &owner, &section))
        .unwrap_or_default();
    facts.items.push(story);
    facts.items.extend(criteria);
    facts.items.extend(tasks);
}

/// A `bmad-build` spec's tasks: the checklist under `**Execution:**` in
/// its `## Tasks & Acceptance` section, up to the next bold label
/// (`**Acceptance Criteria:**`), as a section of its own; the whole
/// section when it has no such label.
fn spec_tasks(text: &str, sections: &[Section]) -> Option<Section> {
    let section = sections.iter().find(|s| {
        s.level <= 2
            && s.title(text)
                .get(..5)
                .is_some_and(|w| w.eq_ignore_ascii_case("tasks"))
    })?;
    let body = TextRange::new(section.heading_range.end(), section.range.end());
    let label = |line: &TextRange| {
        let raw = text[line.start()..line.end()].trim();
        raw.starts_with("**") && (raw.ends_with(":**") || raw.ends_with("**:"))
    };
    let mut lines = lines_in(text, body);
    let Some(execution) = lines.find(|line| {
        label(line)
            && text[line.start()..line.end()]
                .trim()
                .trim_matches(['*', ':'])
                .eq_ignore_ascii_case("execution")
    }) else {
        return Some(*section);
    };
    let end = lines.find(label).map_or(body.end(), |line| line.start());
    Some(Section {
        level: section.level,
        title_range: trim_range(text, execution),
        heading_range: execution,
        range: TextRange::new(execution.start(), end),
    })
}

/// The story's status: the first line of its `## Status` section (v4's
/// template) or the word after the colon of a `## Status: Done` heading,
/// else a `**Status:**` field or a `Status:` line (v6's template) before
/// the first section. A v6 story's `Status:` line under its title comes
/// first: v6's workflows set the status there, so a `## Status` section a
/// team added further down (`2-4-conversion-flow.md` ends with one still
/// saying `review` once the line at the top says `done`) is left behind.
fn story_status(
    input: &ParseInput<'_>,
    sections: &[Section],
    preamble_end: usize,
    version: Version,
) -> Option<Field> {
    if version == Version::V6 {
        if let Some(field) = preamble_status(input, sections, preamble_end) {
            return Some(field);
        }
    }
    let text = input.text;
    let ignored = &input.outline.ignored;
    // Many teams write the status on the heading line itself.
    let on_heading = sections.iter().filter(|s| s.level <= 2).find_map(|s| {
        let caps = STATUS_LINE.captures(s.title(text))?;
        let value = caps.get(1)?;
        let title_start = s.title_range.start();
        let value_range = TextRange::new(title_start + value.start(), title_start + value.end());
        let label_at = title_start + (s.title(text).len() - s.title(text).trim_start().len());
        Some(Field::new(
            "Status",
            TextRange::new(label_at, label_at + "status".len()),
            value_range,
            s.heading_range,
        ))
    });
    if on_heading.is_some() {
        return on_heading;
    }
    let heading = sections.iter().find(|s| {
        s.level <= 2
            && s.title(text)
                .trim_end_matches(':')
                .trim()
                .eq_ignore_ascii_case("status")
    });
    // An empty `## Status` section gives way to a status written otherwise.
    let first_line = heading.and_then(|section| {
        let body = TextRange::new(section.heading_range.end(), section.range.end());
        let line = lines_in(text, body).find(|line| {
            let raw = text[line.start()..line.end()].trim();
            !is_ignored(ignored, line.start()) && !raw.is_empty() && !raw.starts_with('#')
        })?;
        Some((section, line))
    });
    if let Some((section, line)) = first_line {
        let raw = &text[line.start()..line.end()];
        // A list marker before the word is not part of it.
        let rest = raw.trim_start();
        let marker = ["- ", "* ", "+ "]
            .iter()
            .find_map(|m| rest.strip_prefix(m))
            .map_or(raw.len() - rest.len(), |after| raw.len() - after.len());
        let mut value_range = trim_range(text, TextRange::new(line.start() + marker, line.end()));
        // `Status: review` (or `**Status:** review`) under the heading
        // repeats the label: the status is what follows it. Bold markers
        // become spaces, so offsets in `value` are offsets in the line.
        let value = text[value_range.start()..value_range.end()].replace("**", "  ");
        // So does `- **Current Status:** done`, a label ending in the word.
        if let Some(word) = STATUS_LINE
            .captures(&value)
            .or_else(|| LABELLED_STATUS.captures(&value))
            .and_then(|caps| caps.get(1))
        {
            let start = value_range.start();
            value_range = TextRange::new(start + word.start(), start + word.end());
        }
        let heading_line = &text[section.heading_range.start()..section.heading_range.end()];
        let label_at = heading_line
            .to_ascii_lowercase()
            .find("status")
            .map_or(section.heading_range.start(), |i| {
                section.heading_range.start() + i
            });
        return Some(Field::new(
            "Status",
            TextRange::new(label_at, (label_at + "status".len()).min(text.len())),
            value_range,
            line,
        ));
    }
    preamble_status(input, sections, preamble_end)
}

/// A status written before the first section, as v6's template writes it:
/// a `**Status:**` field or a `Status:` line, or one of a team's `## Story
/// Details` list.
fn preamble_status(
    input: &ParseInput<'_>,
    sections: &[Section],
    preamble_end: usize,
) -> Option<Field> {
    let text = input.text;
    let ignored = &input.outline.ignored;
    let preamble = TextRange::new(0, preamble_end);
    if let Some(field) = fields(&input.outline.base, preamble, ignored)
        .into_iter()
        .find(|f| f.is("status"))
        .filter(|f| !f.value_range.is_empty())
    {
        return Some(field);
    }
    // A team's `## Story Details` list (`- Status: review`) is read as the
    // preamble is, wherever it is: an agent that writes the front matter
    // under the title (`---` / `baseline_commit: …` / `---`, which
    // Markdown reads as a heading) ends the preamble before it.
    let details = sections
        .iter()
        .find(|s| s.level <= 2 && s.title(text).trim().eq_ignore_ascii_case("story details"))
        .map(|s| TextRange::new(s.heading_range.end(), s.range.end()));
    [Some(preamble), details]
        .into_iter()
        .flatten()
        .flat_map(|range| lines_in(text, range))
        .filter(|line| !is_ignored(ignored, line.start()))
        .find_map(|line| {
            let caps = STATUS_LINE.captures(&text[line.start()..line.end()])?;
            let value = caps.get(1)?;
            let value_range =
                TextRange::new(line.start() + value.start(), line.start() + value.end());
            let raw = &text[line.start()..line.end()];
            // The label follows the indentation and any list marker.
            let label_at = line.start() + raw.to_ascii_lowercase().find("status")?;
            Some(Field::new(
                "Status",
                TextRange::new(label_at, label_at + "status".len()),
                value_range,
                line,
            ))
        })
}

/// Whether a section's title is a story's statement or its details
/// (`Story`, `User Story`, `Story Details`), as BMAD's templates and teams'
/// own write them; not a report's `Story Point Estimate Revision`.
fn is_story_statement(title: &str) -> bool {
    let lower = title.to_lowercase();
    let mut words = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty());
    let first = match words.next() {
        Some("user") => words.next(),
        first => first,
    };
    first.is_some_and(|w| w == "story" || w == "stories") && words.count() <= 1
}

/// A story's numbered criteria, and the text nested under those written as
/// list items (`1. …` over its indented lines), which is part of them.
#[derive(Default)]
struct StoryCriteria {
    items: Vec<Item>,
    parts: Vec<TextRange>,
}

/// The acceptance criteria: `### AC1: Title` headings when the section
/// has them (the lines under each are its parts), else its numbered
/// lines, `1.` being criterion 1 unless the line names another
/// (`1. **AC3:** …`), and the `AC1: Given …` lines of its `gherkin`
/// blocks. A number written twice (lists restarting under sub-headings)
/// keeps its first criterion. A criterion has no parent: a story's
/// children are its tasks, which the story waits for.
fn parse_criteria(
    input: &ParseInput<'_>,
    headings: &[Heading],
    story: &str,
    section: &Section,
) -> StoryCriteria {
    let text = input.text;
    let body = TextRange::new(section.heading_range.end(), section.range.end());
    let inner: Vec<&Heading> = headings
        .iter()
        .filter(|h| body.contains_range(h.range) && h.range.start() >= body.start())
        .collect();
    let mut out = StoryCriteria::default();
    let mut seen: HashSet<String> = HashSet::new();
    let labelled: Vec<(&Heading, regex::Captures<'_>)> = inner
        .iter()
        .filter_map(|h| {
            let inner_text = &text[h.text_range.start()..h.text_range.end()];
            AC_LABEL.captures(inner_text).map(|caps| (*h, caps))
        })
        .collect();
    if !labelled.is_empty() {
        for (h, caps) in labelled {
            let n = caps.get(1).expect("group 1 always matches");
            let number = without_leading_zeros(&n.as_str().to_ascii_lowercase());
            if !seen.insert(number.clone()) {
                continue;
            }
            let end = inner
                .iter()
                .find(|next| next.range.start() > h.range.start() && next.level <= h.level)
                .map_or(body.end(), |next| next.range.start());
            let at = TextRange::new(h.text_range.start(), h.text_range.start() + n.end());
            let mut criterion = Item::new(ItemKind::Criterion, criterion_id(story, &number), at);
            criterion.title = clean_title(caps.get(2).map_or("", |m| m.as_str())).into();
            if criterion.title.is_empty() {
                criterion.title = format!("AC{number}").into();
            }
            criterion.range = TextRange::new(h.range.start(), end.max(h.range.end()));
            criterion.number = Some(number);
            out.items.push(criterion);
            // A box under the heading is the criterion's own check, but
            // the boxes its Given/When/Then goes on to describe are part
            // of its text (realitycam's "**Then** provide documented
            // checklist:" over `1. [ ] Run migrations`).
            let under = TextRange::new(h.range.end(), end.max(h.range.end()));
            if let Some(scenario) = lines_in(text, under)
                .find(|line| SCENARIO_STEP.is_match(&text[line.start()..line.end()]))
            {
                out.parts
                    .push(TextRange::new(scenario.start(), under.end()));
            }
        }
        return out;
    }
    let mut fenced = gherkin_criteria(input, body).into_iter().peekable();
    for line in lines_in(text, body) {
        // A scenario this loop did not stop at (a block pulldown-cmark
        // reads otherwise) is passed by.
        while fenced.next_if(|c| c.range.start() < line.start()).is_some() {}
        if is_ignored(&input.outline.ignored, line.start()) {
            if let Some(found) = fenced.next_if(|c| c.range.start() == line.start()) {
                if seen.insert(found.number.clone()) {
                    let id = criterion_id(story, &found.number);
                    let mut criterion = Item::new(ItemKind::Criterion, id, found.at);
                    criterion.title = clean_title(found.title).into();
                    criterion.range = found.range;
                    criterion.number = Some(found.number);
                    out.items.push(criterion);
                }
            }
            continue;
        }
        let raw = &text[line.start()..line.end()];
        if raw.starts_with([' ', '\t', '#']) {
            continue;
        }
        let mut rest = raw;
        let mut offset = 0;
        let mut listed: Option<(String, TextRange)> = None;
        if let Some(caps) = NUMBERED.captures(raw) {
            let n = caps.get(1).expect("group 1 always matches");
            listed = Some((
                without_leading_zeros(&n.as_str().to_ascii_lowercase()),
                TextRange::new(line.start() + n.start(), line.start() + n.end()),
            ));
            let after = caps.get(2).expect("group 2 always matches");
            rest = after.as_str();
            offset = after.start();
        } else if let Some(after) = ["- ", "* ", "+ "].iter().find_map(|m| raw.strip_prefix(m)) {
            offset = raw.len() - after.len();
            rest = after;
        }
        for prefix in ["[ ] ", "[x] ", "[X] ", "**"] {
            if let Some(after) = rest.strip_prefix(prefix) {
                offset += prefix.len();
                rest = after;
            }
        }
        let (number, at, title) = if let Some(caps) = AC_LABEL.captures(rest) {
            let n = caps.get(1).expect("group 1 always matches");
            (
                without_leading_zeros(&n.as_str().to_ascii_lowercase()),
                TextRange::new(line.start() + offset, line.start() + offset + n.end()),
                caps.get(2).map_or("", |m| m.as_str()),
            )
        } else if let Some((number, at)) = listed {
            (number, at, rest)
        } else {
            continue;
        };
        if !seen.insert(number.clone()) {
            continue;
        }
        let mut criterion = Item::new(ItemKind::Criterion, criterion_id(story, &number), at);
        criterion.title = clean_title(title).into();
        // A criterion written as a list item spans the lines nested under
        // it, which say more of it.
        criterion.range = list_item_at(input, line.start()).map_or(line, |item| {
            trim_range(text, item.with_end(item.end().min(body.end())))
        });
        if criterion.range.end() > line.end() {
            out.parts
                .push(TextRange::new(line.end(), criterion.range.end()));
        }
        criterion.number = Some(number);
        out.items.push(criterion);
    }
    out
}

/// The list item that starts at `offset`, which lies outside code.
fn list_item_at(input: &ParseInput<'_>, offset: usize) -> Option<TextRange> {
    let items = &input.outline.list_items;
    let at = items.partition_point(|item| item.start() < offset);
    items.get(at).copied().filter(|item| item.start() == offset)
}

/// A criterion read from a `gherkin` block: `AC1: Given …` at the block's
/// own indentation, with the indented `When`/`Then` lines under it.
struct FencedCriterion<'t> {
    number: String,
    /// The `AC1` label.
    at: TextRange,
    title: &'t str,
    /// From the label's line to the last line of its scenario.
    range: TextRange,
}

/// Whether a fenced block's info string names Gherkin, whose `AC1:` lines
/// are acceptance criteria.
fn is_gherkin(info: &str) -> bool {
    let language = info.split_whitespace().next().unwrap_or("");
    language.eq_ignore_ascii_case("gherkin") || language.eq_ignore_ascii_case("cucumber")
}

/// The criteria that the `gherkin` code blocks of `body` write as
/// `AC1: Given …` scenarios (vibe-dash's stories), in text order. Other
/// code blocks (`json`, `rust`, a directory tree) are examples, never
/// criteria.
fn gherkin_criteria<'t>(input: &ParseInput<'t>, body: TextRange) -> Vec<FencedCriterion<'t>> {
    let text = input.text;
    let ignored = &input.outline.ignored;
    let mut out: Vec<FencedCriterion<'t>> = Vec::new();
    // The open block: its fence's character, length and indentation, and
    // whether it holds Gherkin.
    let mut open: Option<(char, usize, &str, bool)> = None;
    // Whether an indented line goes on with the last criterion's scenario.
    let mut in_scenario = false;
    for line in lines_in(text, body) {
        let raw = &text[line.start()..line.end()];
        let content = raw.trim_start_matches([' ', '\t']);
        let indent = &raw[..raw.len() - content.len()];
        let Some((fence, length, block_indent, gherkin)) = open else {
            let fence = match content.chars().next() {
                Some(c @ ('`' | '~')) => c,
                _ => continue,
            };
            let length = content.len() - content.trim_start_matches(fence).len();
            // Only a fence that opens code here: not one in an HTML
            // comment or an indented code block, which began before this
            // line.
            let opens_code = length >= 3
                && ignored_range_at(ignored, line.start() + indent.len())
                    .is_some_and(|code| code.start() >= line.start());
            if opens_code {
                let info = content.get(length..).unwrap_or("");
                open = Some((fence, length, indent, is_gherkin(info)));
            }
            continue;
        };
        let run = content.len() - content.trim_start_matches(fence).len();
        if run >= length && content[run..].trim().is_empty() {
            open = None;
            in_scenario = false;
            continue;
        }
        if !gherkin || content.is_empty() {
            continue;
        }
        if indent.len() > block_indent.len() {
            // A `When`/`Then` line (or a note) of the scenario above.
            if let Some(last) = out.last_mut().filter(|_| in_scenario) {
                last.range = last.range.with_end(line.end());
            }
            continue;
        }
        in_scenario = false;
        let Some(caps) = AC_LABEL.captures(content) else {
            continue;
        };
        let n = caps.get(1).expect("group 1 always matches");
        let start = line.start() + indent.len();
        out.push(FencedCriterion {
            number: without_leading_zeros(&n.as_str().to_ascii_lowercase()),
            at: TextRange::new(start, start + n.end()),
            title: caps.get(2).map_or("", |m| m.as_str()),
            range: TextRange::new(line.start(), line.end()),
        });
        in_scenario = true;
    }
    out
}

/// The range of code or HTML (`Outline::ignored`) that holds `offset`.
fn ignored_range_at(ignored: &[TextRange], offset: usize) -> Option<TextRange> {
    let after = ignored.partition_point(|r| r.start() <= offset);
    let range = *ignored.get(after.checked_sub(1)?)?;
    (offset < range.end()).then_some(range)
}

/// A title without bold markers and surrounding space.
fn clean_title(title: &str) -> String {
    title.replace("**", "").trim().to_string()
}

/// The story whose tasks are read, and its criteria's numbers.
struct Owner<'a> {
    story: &'a str,
    number: &'a StoryNumber,
    criteria: &'a [String],
}

/// A task being read: its item and the indentation of its checkbox.
struct OpenTask {
    indent: usize,
    index: usize,
}

/// The tasks: the checklist of the `## Tasks / Subtasks` section, nested by
/// indentation (`- [ ] Task 1 (AC: 1)` over `  - [ ] Subtask 1.1`). A
/// heading inside the section that has checkboxes under it
/// (`### Registry (AC: 1)`, `### Task 2: Enable the graph`) is a task
/// whose subtasks they are; it is done when they all are.
fn parse_tasks(
    input: &ParseInput<'_>,
    headings: &[Heading],
    owner: &Owner<'_>,
    section: &Section,
) -> Vec<Item> {
    let story = owner.story;
    let text = input.text;
    let ignored = &input.outline.ignored;
    let body = TextRange::new(section.heading_range.end(), section.range.end());
    let mut items: Vec<Item> = Vec::new();
    let mut used: HashSet<String> = HashSet::new();
    let mut next_top: u64 = 1;
    let mut open: Vec<OpenTask> = Vec::new();
    // The heading that opened the current group, before its first
    // checkbox makes it a task, and the task it became.
    let mut pending: Option<&Heading> = None;
    let mut group: Option<usize> = None;
    let mut groups: Vec<usize> = Vec::new();
    for line in lines_in(text, body) {
        if is_ignored(ignored, line.start()) {
            continue;
        }
        if let Some(h) = headings.iter().find(|h| h.range.start() == line.start()) {
            if let Some(g) = group.take() {
                items[g].range = TextRange::new(items[g].range.start(), line.start());
            }
            pending = Some(h);
            open.clear();
            continue;
        }
        let raw = &text[line.start()..line.end()];
        let Some(caps) = CHECKBOX.captures(raw) else {
            continue;
        };
        let indent: usize = caps[1].chars().map(|c| if c == '\t' { 4 } else { 1 }).sum();
        while open.last().is_some_and(|o| o.indent >= indent) {
            open.pop();
        }
        if open.is_empty() {
            if let Some(h) = pending.take() {
                let heading_text = &text[h.text_range.start()..h.text_range.end()];
                let written = TASK_NUMBER
                    .captures(heading_text)
                    .map(|c| c[1].to_ascii_lowercase());
                let n = top_number(written, &mut used, &mut next_top);
                let mut task = Item::new(ItemKind::Task, task_id(story, &n), h.text_range);
                task.number = Some(n);
                task.parent = Some(Id::new(story));
                task.range = TextRange::new(h.range.start(), body.end());
                read_task_text(input, owner, h.text_range, &mut task);
                group = Some(items.len());
                groups.push(items.len());
                items.push(task);
            }
        }
        let parent = open.last().map(|o| o.index).or(group);
        let mark = caps.get(2).expect("group 2 always matches");
        let rest = caps.get(3).expect("group 3 always matches");
        let rest_range = trim_range(
            text,
            TextRange::new(line.start() + rest.start(), line.end()),
        );
        let task_text = &text[rest_range.start()..rest_range.end()];
        let n = match parent {
            None => {
                let written = TASK_NUMBER
                    .captures(task_text)
                    .map(|c| c[1].to_ascii_lowercase())
                    .filter(|w| !w.contains('.'));
                top_number(written, &mut used, &mut next_top)
            }
            Some(p) => {
                let parent_number = items[p].number.clone().unwrap_or_default();
                let written = SUBTASK_NUMBER
                    .captures(task_text)
                    .or_else(|| TASK_NUMBER.captures(task_text))
                    .map(|c| c[1].to_ascii_lowercase());
                child_number(&parent_number, written, &mut used)
            }
        };
        let mut task = Item::new(ItemKind::Task, task_id(story, &n), rest_range);
        task.number = Some(n);
        task.range = line;
        task.parent = Some(parent.map_or_else(|| Id::new(story), |p| items[p].id));
        let box_range = TextRange::new(
            line.start() + mark.start() - 1,
            line.start() + mark.end() + 1,
        );
        // `[~]` (and `[-]`) mark a subtask left out on purpose ("uses the
        // default", "deferred"): nothing is left to do for it.
        let (word, progress) = match mark.as_str() {
            "x" | "X" => ("done", Progress::Done),
            "-" | "~" => ("skipped", Progress::Done),
            // A task struck through was dropped from the story.
            _ if is_struck_through(task_text) => ("dropped", Progress::Dropped),
            _ => ("not started", Progress::NotStarted),
        };
        task.status = Some((word.into(), box_range));
        task.progress = Some(progress);
        read_task_text(input, owner, rest_range, &mut task);
        open.push(OpenTask {
            indent,
            index: items.len(),
        });
        items.push(task);
    }
    // A heading's task is as far along as its subtasks.
    for g in groups {
        let id = items[g].id;
        let children: Vec<Option<Progress>> = items
            .iter()
            .filter(|t| t.parent.as_deref() == Some(id.as_str()))
            .map(|t| t.progress)
            .collect();
        let done = children.iter().all(|p| *p == Some(Progress::Done));
        let started = children
            .iter()
            .any(|p| matches!(p, Some(Progress::Done | Progress::InProgress)));
        items[g].progress = Some(if done {
            Progress::Done
        } else if started {
            Progress::InProgress
        } else {
            Progress::NotStarted
        });
    }
    // The dev agent works through the tasks from the top, each with its
    // subtasks, one after another.
    add_list_order(text, &mut items, |_| false);
    items
}

/// The number of a top-level task: the one written (`Task 3`) when no
/// other task has it, else the next free one.
fn top_number(written: Option<String>, used: &mut HashSet<String>, next: &mut u64) -> String {
    if let Some(w) = written.map(|w| without_leading_zeros(&w)) {
        if !used.contains(&w) {
            if let Ok(n) = w.parse::<u64>() {
                *next = (*next).max(n.saturating_add(1));
            }
            used.insert(w.clone());
            return w;
        }
    }
    while used.contains(&next.to_string()) {
        *next = next.saturating_add(1);
    }
    let n = next.to_string();
    *next = next.saturating_add(1);
    used.insert(n.clone());
    n
}

/// The number of a subtask: the one written (`1.2`) when it sits under
/// its parent's number and is free, else the parent's next free one.
fn child_number(parent: &str, written: Option<String>, used: &mut HashSet<String>) -> String {
    if let Some(w) = written {
        let under = w
            .strip_prefix(parent)
            .and_then(|rest| rest.strip_prefix('.'))
            .is_some_and(|rest| !rest.is_empty() && !rest.contains('.'));
        if under && !used.contains(&w) {
            used.insert(w.clone());
            return w;
        }
    }
    let mut k: u64 = 1;
    loop {
        let n = format!("{parent}.{k}");
        if used.insert(n.clone()) {
            return n;
        }
        k = k.saturating_add(1);
    }
}

/// A task's title and the criteria its text names.
fn read_task_text(input: &ParseInput<'_>, owner: &Owner<'_>, range: TextRange, task: &mut Item) {
    let text = input.text;
    let written = &text[range.start()..range.end()];
    let mut title = String::new();
    let mut last = 0;
    for group in ac_groups(written) {
        title.push_str(&written[last..group.whole.start]);
        last = group.whole.end;
        if is_ignored(&input.outline.ignored, range.start() + group.whole.start) {
            continue;
        }
        let content = TextRange::new(
            range.start() + group.content.start,
            range.start() + group.content.end,
        );
        if let Some(refs) = ac_references(text, content, owner) {
            task.covers_field.get_or_insert(content);
            task.covers.extend(refs);
        }
    }
    title.push_str(&written[last..]);
    task.title = clean_title(&title).into();
    // `Task 7 (optional): …` may stay open when the story is done, and so
    // may a task moved out of the story (`(deferred to 27.5.4)`, `- DEFERRED
    // to Story 22.6`), which is as optional to this story.
    let optional = written
        .to_ascii_lowercase()
        .find("(optional)")
        .map(|at| at..at + "(optional)".len())
        .or_else(|| DEFERRED.find(written).map(|found| found.range()));
    if let Some(at) = optional {
        let range = TextRange::new(range.start() + at.start, range.start() + at.end);
        // The value is what the title writes, as every field's is.
        task.fields
            .push(Field::new("Optional", range, range, range));
    }
}

/// Whether an `(AC: …)` entry names every criterion: `all`, or the word
/// in the language the story is written in (`(AC: todos)`).
fn names_every_criterion(entry: &str) -> bool {
    const ALL: &[&str] = &[
        "all",
        "todos",
        "todas",
        "tous",
        "toutes",
        "alle",
        "tutti",
        "tutte",
        "全部",
        "所有",
        "すべて",
        "全て",
        "모두",
        "전체",
        "все",
    ];
    let entry = entry.trim().to_lowercase();
    ALL.contains(&entry.as_str())
}

/// A task marked as moved out of its story or left out of it: `(deferred
/// …)`, `(defer)`, `[deferred …]`, `- Deferred to …`, `— deferred`,
/// `DEFERRED` in capitals, or a text opening with `Deferred to`; `(moved to
/// Story 1.4)`, `→ Story 2.3`, `(skipped)`, `SKIPPED`, `(N/A)`, `- N/A`,
/// `(won't do)`, `(out of scope)`. The words in prose (`can be deferred`,
/// `add deferred imports`, `non-deferred`, `skip the header`) mark nothing.
static DEFERRED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?:[(\[]\s*\*{0,2}|(?:^|\s)[-–—]\s*\*{0,2})(?i:deferred)\b|[(\[]\s*(?i:defer)\s*[)\]]|\bDEFERRED\b|^(?i:deferred\s+to)\b",
        // Moved to another story, left out on purpose, or not needed:
        // `(moved to Story 1.4)`, `→ Story 2.3`, `SKIPPED (out of scope)`,
        // `N/A - not needed`, `(won't do)`.
        r"|(?i:\bmoved\s+to\s+(?:story|epic)\b)|(?:→|->)\s*(?i:story)\b",
        r"|[(\[]\s*(?i:skipped|n/a|won['’]?t\s+do|out\s+of\s+scope)\b|\bSKIPPED\b|(?:^|[-–—:]\s*)N/A\b",
    ))
    .expect("valid regex")
});

/// A criterion that says what its story leaves out (`**Nullable
/// trajectories explicitly OUT OF SCOPE** — …`, `the calendar view is
/// explicitly out of scope for this story`): there is nothing for a task
/// to meet.
static OUT_OF_SCOPE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\bout[\s-]+of[\s-]+scope\b").expect("valid regex"));

/// One `(AC: …)` or `[AC…]` in a text: the whole of it and the list
/// inside, as offsets into the text.
struct AcGroup {
    whole: std::ops::Range<usize>,
    content: std::ops::Range<usize>,
}

fn ac_groups(text: &str) -> Vec<AcGroup> {
    AC_GROUP
        .captures_iter(text)
        .filter_map(|caps| {
            let whole = caps.get(0)?;
            let content = caps.get(1).or_else(|| caps.get(2))?;
            // `[AC2](link)` is a link, not a reference.
            if whole.as_str().starts_with('[')
                && matches!(text[whole.end()..].chars().next(), Some('(' | '['))
            {
                return None;
            }
            Some(AcGroup {
                whole: whole.range(),
                content: content.range(),
            })
        })
        .collect()
}

/// The references of an AC list (`1, 3`, `#1-#3`, `AC1, AC2`, `1.1.1`,
/// `all`, which names each criterion of the story), or `None` when an
/// entry is in none of these forms (`AC1 validation`): such a list is
/// prose, not a reference.
fn ac_references(text: &str, content: TextRange, owner: &Owner<'_>) -> Option<Vec<Reference>> {
    let story = owner.story;
    static SEPARATOR: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i),|;|&|\band\b").expect("valid regex"));
    static AC_PREFIX: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)^AC\s*[-:]?\s*").expect("valid regex"));
    let list = &text[content.start()..content.end()];
    let mut out = Vec::new();
    let mut from = 0;
    let mut pieces: Vec<(usize, &str)> = Vec::new();
    for m in SEPARATOR.find_iter(list) {
        pieces.push((from, &list[from..m.start()]));
        from = m.end();
    }
    pieces.push((from, &list[from..]));
    for (at, piece) in pieces {
        let lead = piece.len() - piece.trim_start().len();
        let entry = piece.trim();
        if entry.is_empty() {
            continue;
        }
        let prefix = AC_PREFIX.find(entry).map_or(0, |m| m.end());
        let entry = &entry[prefix..];
        // An entry being typed (`#`, `AC`) names nothing yet, but the list
        // is still one, for completion.
        if entry.is_empty() || entry == "#" {
            continue;
        }
        let start = content.start() + at + lead + prefix;
        let whole = TextRange::new(start, start + entry.len());
        let reference = |id: String, range: TextRange, expects: ItemKind| Reference {
            target: Target::Id(id.into()),
            written: text[range.start()..range.end()].into(),
            range,
            role: RefRole::Covers,
            expects: Some(expects),
        };
        if names_every_criterion(entry) {
            for k in owner.criteria {
                out.push(reference(
                    criterion_id(story, k),
                    whole,
                    ItemKind::Criterion,
                ));
            }
        } else if let Some(caps) = AC_SINGLE.captures(entry) {
            let n = caps.get(1).expect("group 1 always matches");
            let range = TextRange::new(start + n.start(), start + n.end());
            let k = without_leading_zeros(&n.as_str().to_ascii_lowercase());
            out.push(reference(
                criterion_id(story, &k),
                range,
                ItemKind::Criterion,
            ));
        } else if let Some(caps) = AC_RANGE.captures(entry) {
            let (Ok(a), Ok(b)) = (caps[1].parse::<u32>(), caps[2].parse::<u32>()) else {
                return None;
            };
            if a > b || b - a >= MAX_RANGE {
                return None;
            }
            for k in a..=b {
                out.push(reference(
                    criterion_id(story, &k.to_string()),
                    whole,
                    ItemKind::Criterion,
                ));
            }
        } else if let Some(caps) = AC_QUALIFIED.captures(entry) {
            let other = StoryNumber::new(&caps[1], &caps[2]);
            let of = if other.dotted() == owner.number.dotted() {
                story.to_string()
            } else {
                story_id(folder_scope(story), &other)
            };
            let k = without_leading_zeros(&caps[3].to_ascii_lowercase());
            out.push(reference(criterion_id(&of, &k), whole, ItemKind::Criterion));
        } else {
            return None;
        }
    }
    Some(out)
}

/// What a story status word means for the plan.
fn status_progress(vocabulary: &Vocabulary, value: &str) -> Option<Progress> {
    let (core, _) = status_core(value);
    if core.is_empty() {
        return progress_of(value);
    }
    if is_dropped_word(&squash(core)) {
        return Some(Progress::Dropped);
    }
    let known = vocabulary
        .find(core)
        .or_else(|| suggestion(vocabulary, core).map(|(s, _)| s));
    known.map(|s| s.progress).or_else(|| progress_of(value))
}

// Status words: what BMAD's agents write, and what teams write instead.

/// A status word BMAD's agents write, and what it means for the plan.
struct StatusWord {
    word: &'static str,
    progress: Progress,
    /// Whether messages list it (a legacy or agent-only word is accepted
    /// without being offered).
    listed: bool,
    /// The listed word of the same stage, for a word an agent writes
    /// instead of it (`Ready for Review` for `review`): the two agree.
    same_as: Option<&'static str>,
}

/// The status words of one kind of entry, with the words teams write
/// instead of them.
struct Vocabulary {
    /// What the words are statuses of, for messages.
    name: &'static str,
    words: &'static [StatusWord],
    /// Squashed words (lower case, no space, `-` or `_`) and the status
    /// each means.
    synonyms: &'static [(&'static str, &'static str)],
}

const fn word(word: &'static str, progress: Progress) -> StatusWord {
    StatusWord {
        word,
        progress,
        listed: true,
        same_as: None,
    }
}

const fn unlisted(word: &'static str, progress: Progress) -> StatusWord {
    StatusWord {
        word,
        progress,
        listed: false,
        same_as: None,
    }
}

/// A word an agent writes for the stage of the listed word `same_as`.
const fn agent_word(word: &'static str, same_as: &'static str, progress: Progress) -> StatusWord {
    StatusWord {
        word,
        progress,
        listed: false,
        same_as: Some(same_as),
    }
}

/// v4's story template offers five statuses; the dev agent sets `Ready for
/// Review` when it hands a story over, and `Ready for Done` once QA's gate
/// passed (the story's owner then marks it `Done`), QA `Changes Required`
/// when it sends one back; v6-alpha's `review-story` (whose stories use
/// these words) sets `Review Passed` when it approves one, marking it done
/// in `sprint-status.yaml` at once.
static V4_STATUSES: Vocabulary = Vocabulary {
    name: "BMAD v4 story status",
    words: &[
        word("Draft", Progress::NotStarted),
        word("Approved", Progress::NotStarted),
        word("InProgress", Progress::InProgress),
        word("Review", Progress::InProgress),
        word("Done", Progress::Done),
        agent_word("Ready for Review", "Review", Progress::InProgress),
        agent_word("Ready for Done", "Review", Progress::InProgress),
        agent_word("Changes Required", "InProgress", Progress::InProgress),
        unlisted("Review Passed", Progress::Done),
    ],
    synonyms: &[
        ("complete", "Done"),
        ("completed", "Done"),
        ("finished", "Done"),
        ("closed", "Done"),
        ("resolved", "Done"),
        ("implemented", "Done"),
        ("shipped", "Done"),
        ("merged", "Done"),
        ("wip", "InProgress"),
        ("started", "InProgress"),
        ("active", "InProgress"),
        ("doing", "InProgress"),
        ("indevelopment", "InProgress"),
        ("implementing", "InProgress"),
        ("inreview", "Review"),
        ("underreview", "Review"),
        ("needsreview", "Review"),
        ("awaitingreview", "Review"),
        ("readyforqa", "Review"),
        ("readyforqavalidation", "Review"),
        ("inqa", "Review"),
        ("qa", "Review"),
        ("proposed", "Draft"),
        ("planned", "Draft"),
        ("planning", "Draft"),
        ("backlog", "Draft"),
        ("todo", "Draft"),
        ("new", "Draft"),
        ("notstarted", "Draft"),
        ("pending", "Draft"),
        ("drafted", "Draft"),
        ("ready", "Approved"),
        ("readyfordev", "Approved"),
        ("readyfordevelopment", "Approved"),
    ],
};

/// The words v6's workflows read, in story files and in
/// `sprint-status.yaml` (`drafted` is an older word they still map).
static V6_STORY_STATUSES: Vocabulary = Vocabulary {
    name: "BMAD v6 story status",
    words: &[
        word("backlog", Progress::NotStarted),
        word("ready-for-dev", Progress::NotStarted),
        word("in-progress", Progress::InProgress),
        word("review", Progress::InProgress),
        word("done", Progress::Done),
        unlisted("drafted", Progress::NotStarted),
        // v6-alpha's dev-story wrote this in the story file.
        agent_word("Ready for Review", "review", Progress::InProgress),
    ],
    synonyms: &[
        ("complete", "done"),
        ("completed", "done"),
        ("finished", "done"),
        ("closed", "done"),
        ("resolved", "done"),
        ("implemented", "done"),
        ("shipped", "done"),
        ("merged", "done"),
        ("wip", "in-progress"),
        ("started", "in-progress"),
        ("active", "in-progress"),
        ("doing", "in-progress"),
        ("indevelopment", "in-progress"),
        ("implementing", "in-progress"),
        ("inreview", "review"),
        ("readyforreview", "review"),
        ("codereview", "review"),
        ("underreview", "review"),
        ("qa", "review"),
        ("readyforqa", "review"),
        ("ready", "ready-for-dev"),
        ("readyfordevelopment", "ready-for-dev"),
        ("approved", "ready-for-dev"),
        ("todo", "backlog"),
        ("planned", "backlog"),
        ("proposed", "backlog"),
        ("new", "backlog"),
        ("notstarted", "backlog"),
        ("pending", "backlog"),
        ("draft", "backlog"),
    ],
};

/// The words of a `bmad-build` spec's front matter: `draft` while it is
/// planned, `ready-for-dev` once the human approved it, then
/// `in-progress`, `in-review` and `done`.
static V6_SPEC_STATUSES: Vocabulary = Vocabulary {
    name: "BMAD v6 spec status",
    words: &[
        word("draft", Progress::NotStarted),
        word("ready-for-dev", Progress::NotStarted),
        word("in-progress", Progress::InProgress),
        word("in-review", Progress::InProgress),
        word("done", Progress::Done),
    ],
    synonyms: &[
        ("complete", "done"),
        ("completed", "done"),
        ("finished", "done"),
        ("closed", "done"),
        ("implemented", "done"),
        ("merged", "done"),
        ("wip", "in-progress"),
        ("started", "in-progress"),
        ("active", "in-progress"),
        ("review", "in-review"),
        ("readyforreview", "in-review"),
        ("codereview", "in-review"),
        ("underreview", "in-review"),
        ("ready", "ready-for-dev"),
        ("approved", "ready-for-dev"),
        ("backlog", "draft"),
        ("drafted", "draft"),
        ("todo", "draft"),
        ("planned", "draft"),
        ("proposed", "draft"),
    ],
};

static V6_EPIC_STATUSES: Vocabulary = Vocabulary {
    name: "BMAD v6 epic status",
    words: &[
        word("backlog", Progress::NotStarted),
        word("in-progress", Progress::InProgress),
        word("done", Progress::Done),
        unlisted("contexted", Progress::InProgress),
    ],
    synonyms: &[
        ("complete", "done"),
        ("completed", "done"),
        ("finished", "done"),
        ("closed", "done"),
        ("started", "in-progress"),
        ("active", "in-progress"),
        ("wip", "in-progress"),
        ("todo", "backlog"),
        ("planned", "backlog"),
        ("proposed", "backlog"),
    ],
};

/// The older v6 sprint-status template defines `completed` ("Retrospective
/// has been done") where the newer one writes `done`.
static V6_RETROSPECTIVE_STATUSES: Vocabulary = Vocabulary {
    name: "BMAD v6 retrospective status",
    words: &[
        word("optional", Progress::NotStarted),
        word("done", Progress::Done),
        unlisted("completed", Progress::Done),
    ],
    synonyms: &[("complete", "done"), ("finished", "done")],
};

/// Lower case without spaces, `-` or `_`: `In Progress`, `in_progress`
/// and `InProgress` alike.
fn squash(word: &str) -> String {
    word.chars()
        .filter(|c| !matches!(c, ' ' | '-' | '_'))
        .flat_map(char::to_lowercase)
        .collect()
}

impl Vocabulary {
    fn find(&self, core: &str) -> Option<&'static StatusWord> {
        self.words
            .iter()
            .find(|w| w.word.eq_ignore_ascii_case(core))
    }

    fn named(&self, word: &str) -> Option<&'static StatusWord> {
        self.words.iter().find(|w| w.word == word)
    }

    /// The listed words, as messages write them.
    fn list(&self) -> String {
        self.words
            .iter()
            .filter(|w| w.listed)
            .map(|w| format!("`{}`", w.word))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// The status a written word most likely means, and whether that is sure
/// (the same word spelt otherwise, or a usual synonym) rather than a guess
/// from its spelling.
fn suggestion(vocabulary: &Vocabulary, core: &str) -> Option<(&'static StatusWord, bool)> {
    let squashed = squash(core);
    if let Some(w) = vocabulary.words.iter().find(|w| squash(w.word) == squashed) {
        // A word an agent writes instead of a listed one (`Ready for
        // Review`, spelt `ready-for-review`) is offered as the listed word
        // the message names (`review`).
        let listed = w.same_as.and_then(|same| vocabulary.named(same));
        return Some((listed.unwrap_or(w), true));
    }
    if let Some(w) = vocabulary
        .synonyms
        .iter()
        .find(|(s, _)| *s == squashed)
        .and_then(|(_, target)| vocabulary.named(target))
    {
        return Some((w, true));
    }
    let listed = vocabulary.words.iter().filter(|w| w.listed).map(|w| w.word);
    crate::analysis::suggest::closest(core, listed)
        .and_then(|found| vocabulary.named(found))
        .map(|w| (w, false))
}

/// The status word of a written status, without decoration or a note
/// after it (`✅ Done`, `**Done**`, `Draft - awaiting review`,
/// `Completed (2025-01-02)`), with its range in the value.
fn status_core(value: &str) -> (&str, std::ops::Range<usize>) {
    let cut = [" - ", " — ", " – ", "(", ":", ",", ";", " | ", "[", "#"]
        .iter()
        .filter_map(|p| value.find(p))
        .min()
        .unwrap_or(value.len());
    let head = &value[..cut];
    let Some(start) = head.find(char::is_alphanumeric) else {
        return ("", 0..0);
    };
    let end = head
        .char_indices()
        .rev()
        .find(|(_, c)| c.is_alphanumeric())
        .map_or(start, |(i, c)| i + c.len_utf8());
    (&head[start..end], start..end)
}

/// Whether two written statuses say the same: the same word, or a word
/// and its usual synonym (`complete` and `done`). A synonym is already
/// reported as an unknown status, whose fix makes the two agree.
fn same_status(vocabulary: &Vocabulary, a: &str, b: &str) -> bool {
    let meaning = |value: &str| {
        let core = status_core(value).0;
        match suggestion(vocabulary, core) {
            Some((word, true)) => squash(word.same_as.unwrap_or(word.word)),
            _ => squash(core),
        }
    };
    meaning(a) == meaning(b)
}

// Epics: those the PRD (v4) and `epics.md` (v6) define.

static EPIC_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:\d+(?:\.\d+)*\.?\s+)?epic\s+(\d+)\b\s*(?:[:.\-–—]\s*)?(.*)$")
        .expect("valid regex")
});
static STORY_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:\d+(?:\.\d+)*\.?\s+)?stor(?:y|ies)\s+\d+\.\d+").expect("valid regex")
});
/// `Epic 3` opening a heading, a list item or a table cell, for the epic
/// numbers a PRD names.
static EPIC_MENTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^[\s#>|*+\-]*(?:\d+(?:\.\d+)*[.)]?\s+)?(?:\*\*)?epic\s+(\d+)\b")
        .expect("valid regex")
});

/// The epics of a PRD shard or of v6's `epics.md`: each `Epic N` heading
/// with `Story N.M` headings under it. An epic listed without its stories
/// (the PRD's epic list, written before the details) is not defined there.
fn parse_epics(input: &ParseInput<'_>, facts: &mut FileFacts) {
    let text = input.text;
    let scope = project_scope(input.rel);
    let headings = &input.outline.headings;
    let mut seen: HashSet<String> = HashSet::new();
    for (i, h) in headings.iter().enumerate() {
        let Some(caps) = EPIC_HEADING.captures(h.text.trim()) else {
            continue;
        };
        let end = headings[i + 1..]
            .iter()
            .find(|next| next.level <= h.level)
            .map_or(text.len(), |next| next.range.start());
        let has_stories = headings[i + 1..]
            .iter()
            .take_while(|next| next.range.start() < end)
            .any(|next| STORY_HEADING.is_match(next.text.trim()));
        let n = without_leading_zeros(&caps[1]);
        if !has_stories || !seen.insert(n.clone()) {
            continue;
        }
        let mut epic = Item::new(ItemKind::Epic, epic_id(&scope, &n), h.range);
        epic.title = clean_title(&caps[2]).into();
        if epic.title.is_empty() {
            epic.title = format!("Epic {n}").into();
        }
        epic.range = TextRange::new(h.range.start(), end.max(h.range.end()));
        epic.number = Some(n);
        facts.items.push(epic);
    }
}

/// Every epic number a planning file names in a heading, a list item or a
/// table row.
fn epic_numbers(file: &SourceFile, into: &mut BTreeSet<u64>) {
    let text = &*file.text;
    for line in lines_in(text, TextRange::new(0, text.len())) {
        if is_ignored(&file.facts.ignored, line.start()) {
            continue;
        }
        if let Some(caps) = EPIC_MENTION.captures(&text[line.start()..line.end()]) {
            if let Ok(n) = caps[1].parse() {
                into.insert(n);
            }
        }
    }
}

// `sprint-status.yaml`: v6's tracking of every epic, story and retrospective.

/// One `key: status` entry of `development_status`.
#[derive(Clone, Debug)]
struct Entry {
    key: String,
    key_range: TextRange,
    value: String,
    value_range: TextRange,
    line: TextRange,
}

/// What `sprint-status.yaml` holds.
enum Tracking {
    Entries {
        entries: Vec<Entry>,
        mapping: TextRange,
    },
    /// Not readable: where the reader stopped, and why, as the finding
    /// says it.
    Invalid { at: TextRange, message: String },
    /// YAML without a `development_status` mapping.
    NoMapping,
}

/// The kind of a `development_status` key, as v6's workflows tell them
/// apart.
#[derive(Clone, Debug, PartialEq, Eq)]
enum EntryKind {
    Epic(String),
    Retrospective,
    Story(StoryNumber),
    /// A key in none of those forms: the workflows count it as a story.
    Other,
}

/// The kind of one key, read alone: a story key's epic is then its first
/// number part.
fn entry_kind(key: &str) -> EntryKind {
    let lower = key.to_ascii_lowercase();
    if lower.ends_with("-retrospective") {
        return EntryKind::Retrospective;
    }
    if let Some(parts) = epic_parts(&lower) {
        return EntryKind::Epic(dotted_without_leading_zeros(&parts.join(".")));
    }
    match v6_number(&lower) {
        Some(number) => EntryKind::Story(number),
        None => EntryKind::Other,
    }
}

/// The number parts of an epic key: `epic-1`, `epic-19a`, `epic-27-5` (epic
/// 27.5, added between 27 and 28).
fn epic_parts(lower_key: &str) -> Option<Vec<&str>> {
    let parts: Vec<&str> = lower_key.strip_prefix("epic-")?.split(['-', '.']).collect();
    parts
        .iter()
        .all(|part| is_number_part(part))
        .then_some(parts)
}

/// The kind of every key of `development_status`. A story key's number
/// runs into its slug (`27-5-1-check-in`, `0-5-7-72-hour-notice`), so the
/// epic keys beside it decide where its epic's number ends: the longest
/// epic whose parts open the key, else the key's first part. The story's
/// number is the part after that, or the next two parts when other keys
/// would give the same number (`1-0-1-scaffolding` and `1-0-2-web-shell`
/// of epic 1 are stories 1.0.1 and 1.0.2).
fn entry_kinds(entries: &[Entry]) -> Vec<EntryKind> {
    let lower: Vec<String> = entries.iter().map(|e| e.key.to_ascii_lowercase()).collect();
    let epics: Vec<Vec<&str>> = lower
        .iter()
        .filter(|key| !key.ends_with("-retrospective"))
        .filter_map(|key| epic_parts(key))
        .collect();
    let mut kinds: Vec<EntryKind> = lower.iter().map(|key| entry_kind(key)).collect();
    let mut splits: Vec<Option<(Vec<&str>, usize)>> = vec![None; kinds.len()];
    for ((kind, key), split) in kinds.iter_mut().zip(&lower).zip(&mut splits) {
        if !matches!(kind, EntryKind::Story(_)) {
            continue;
        }
        // Read as `entry_kind` read it, so that a key with a path or an
        // extension (`stories/1-3-x`, `1-2.md`) has the parts it was
        // counted a story for.
        let parts = number_parts(stem_of(key));
        if parts.len() < 2 {
            continue;
        }
        let epic_length = dotted_epic_length(stem_of(key)).unwrap_or_else(|| {
            epics
                .iter()
                .filter(|epic| epic.len() < parts.len() && parts.starts_with(epic))
                // `6-2-p1-hmac-fix` is a patch of story 6.2 even beside
                // `epic-6.2`, whose stories are `6.2-p1-…`.
                .filter(|epic| !is_patch_part(parts[epic.len()]))
                .map(Vec::len)
                .max()
                .unwrap_or(1)
        });
        *kind = EntryKind::Story(StoryNumber::split(
            with_patch(&parts, epic_length + 1),
            epic_length,
        ));
        *split = Some((parts, epic_length));
    }
    let mut uses: HashMap<String, usize> = HashMap::new();
    for kind in &kinds {
        if let EntryKind::Story(number) = kind {
            *uses.entry(number.dotted()).or_default() += 1;
        }
    }
    // The first key of a number is the story; a lettered variant is added
    // after it (`10-1-add-login` before `10-1-h-polly` is story 10.1, though
    // `add` could be a variant's letters).
    let mut seen: HashSet<String> = HashSet::new();
    for ((kind, split), key) in kinds.iter_mut().zip(&splits).zip(&lower) {
        let (EntryKind::Story(number), Some((parts, epic_length))) = (&*kind, split) else {
            continue;
        };
        if uses.get(&number.dotted()).is_none_or(|n| *n <= 1) {
            continue;
        }
        let first_of_number = seen.insert(number.dotted());
        if parts.len() > epic_length + 1 {
            *kind = EntryKind::Story(StoryNumber::split(
                with_patch(parts, epic_length + 2),
                *epic_length,
            ));
        } else if let Some(letters) =
            lettered_part(stem_of(key), parts.len()).filter(|_| !first_of_number)
        {
            // `10-1-h-polly-retry-policies` beside `10-1-graceful-errors`
            // is the lettered variant 10.1-h, as its file's title says.
            let story = format!("{}-{letters}", number.story);
            *kind = EntryKind::Story(StoryNumber {
                epic: number.epic.clone(),
                story,
            });
        }
    }
    kinds
}

/// The part of a dashed key after its `taken` number parts when it is one
/// to three letters (`h` in `10-1-h-polly`), as a variant's letters are.
fn lettered_part(stem: &str, taken: usize) -> Option<&str> {
    if dotted_head(stem.split('-').next().unwrap_or("")).is_some() {
        return None;
    }
    stem.split('-').nth(taken).filter(|part| {
        (1..=3).contains(&part.len()) && part.bytes().all(|b| b.is_ascii_alphabetic())
    })
}

fn vocabulary_of(kind: &EntryKind) -> &'static Vocabulary {
    match kind {
        EntryKind::Epic(_) => &V6_EPIC_STATUSES,
        EntryKind::Retrospective => &V6_RETROSPECTIVE_STATUSES,
        EntryKind::Story(_) | EntryKind::Other => &V6_STORY_STATUSES,
    }
}

/// A scalar's text and range: inside the quotes of a quoted one, and
/// without the comment after a plain one.
fn scalar(text: &str, offsets: &Offsets, node: &MarkedYaml<'_>) -> Option<(String, TextRange)> {
    if !matches!(node.data, YamlData::Value(_) | YamlData::Representation(..)) {
        return None;
    }
    let start = offsets.byte(&node.span.start);
    let end = offsets.byte(&node.span.end).max(start);
    let inner = scalar_range(text, TextRange::new(start, end));
    Some((text[inner.start()..inner.end()].to_string(), inner))
}

fn load_tracking(text: &str) -> Tracking {
    let (depth, at) = nesting(text);
    if depth > MAX_NESTING {
        return Tracking::Invalid {
            at,
            message: format!(
                "this nests up to {depth} levels deep, more than the {MAX_NESTING} planmark reads (a sprint status needs two)"
            ),
        };
    }
    let offsets = Offsets::new(text);
    let docs = match MarkedYaml::load_from_str(text) {
        Ok(docs) => docs,
        Err(err) => {
            let at = offsets.byte(err.marker());
            return Tracking::Invalid {
                at: trim_range(
                    text,
                    line_around(text, crate::analysis::text::floor_char_boundary(text, at)),
                ),
                message: format!(
                    "this is not valid YAML ({}), so BMAD's workflows cannot read the sprint's status",
                    err.info()
                ),
            };
        }
    };
    let Some(YamlData::Mapping(top)) = docs.first().map(|d| &d.data) else {
        return Tracking::NoMapping;
    };
    let Some(status) = top.iter().find_map(|(k, v)| {
        let (key, _) = scalar(text, &offsets, k)?;
        (key == "development_status").then_some(v)
    }) else {
        return Tracking::NoMapping;
    };
    let empty = saphyr::AnnotatedMapping::new();
    let map = match &status.data {
        YamlData::Mapping(map) => map,
        // `development_status:` with nothing under it yet: no entries.
        YamlData::Value(saphyr::Scalar::Null) => &empty,
        _ => return Tracking::NoMapping,
    };
    let mut entries = Vec::new();
    for (k, v) in map.iter() {
        let (Some((key, key_range)), Some((value, value_range))) =
            (scalar(text, &offsets, k), scalar(text, &offsets, v))
        else {
            continue;
        };
        let line = TextRange::new(
            line_around(text, key_range.start()).start(),
            line_around(text, value_range.end().max(key_range.end())).end(),
        );
        entries.push(Entry {
            key,
            key_range,
            value,
            value_range,
            line,
        });
    }
    let start = offsets.byte(&status.span.start);
    let end = offsets.byte(&status.span.end).max(start);
    Tracking::Entries {
        entries,
        mapping: TextRange::new(start, end),
    }
}

/// Whether a story with this status has a story file: `create-story`
/// writes it when the story leaves the backlog.
fn has_file(status: &str) -> bool {
    matches!(
        squash(status_core(status).0).as_str(),
        "readyfordev" | "drafted" | "inprogress" | "review" | "done"
    )
}

/// Whether BMAD's workflows still open the file of a story with this
/// status: `dev-story` the ones ready or in progress, `code-review` those
/// in review. No workflow needs a done story's file, and teams delete it
/// or never write one when a story was done another way (a quick spec):
/// `sprint-planning` keeps a done key whether or not its file is there.
fn opened_again(status: &str) -> bool {
    has_file(status) && squash(status_core(status).0) != "done"
}

/// `sprint-status.yaml` as a table: one row per key, whose ID is the
/// story's or epic's, and a reference from each story key past the
/// backlog, and each epic key, to what it tracks.
fn parse_sprint_status(text: &str, scope: &str, facts: &mut FileFacts) {
    let Tracking::Entries { entries, mapping } = load_tracking(text) else {
        return;
    };
    let mut table = IndexTable {
        columns: vec!["key".to_string(), "status".to_string()],
        table_range: mapping,
        rows: Vec::new(),
    };
    let kinds = entry_kinds(&entries);
    for (entry, kind) in entries.into_iter().zip(kinds) {
        let target = match &kind {
            EntryKind::Story(number) => Some((story_id(scope, number), ItemKind::Story)),
            EntryKind::Epic(n) => Some((epic_id(scope, n), ItemKind::Epic)),
            _ => None,
        };
        let id = target
            .as_ref()
            .map_or_else(|| entry.key.clone(), |(id, _)| id.clone());
        let tracked = match kind {
            EntryKind::Story(_) => has_file(&entry.value),
            _ => true,
        };
        if let Some((target, expects)) = target.filter(|_| tracked) {
            facts.references.push(Reference {
                target: Target::Id(target.into()),
                written: entry.key.as_str().into(),
                range: entry.key_range,
                role: RefRole::IndexRow,
                expects: Some(expects),
            });
        }
        table.rows.push(IndexRow {
            id: id.into(),
            id_range: entry.key_range,
            line_range: entry.line,
            cells: vec![
                IndexCell {
                    column: Id::frequent("key"),
                    range: entry.key_range,
                },
                IndexCell {
                    column: Id::frequent("status"),
                    range: entry.value_range,
                },
            ],
        });
    }
    facts.index = Some(Box::new(table));
}

// Checks: the findings only BMAD's files give.

fn check(ws: &Workspace, _ctx: &Context, file: &SourceFile, sink: &mut Sink<'_>) {
    let FileKind::Dialect(dialect_file) = file.facts.kind else {
        return;
    };
    match dialect_file.role {
        role @ (STORY | V6_STORY | SPEC_STORY) => check_story(ws, file, role, sink),
        SPRINT_STATUS => check_sprint_status(ws, file, sink),
        _ => {}
    }
}

/// Why the plan holds back a story that is not approved yet, and its
/// tasks: BMAD's dev agents start none. v4's dev agent is told "Do NOT
/// begin development until a story is not in draft mode", v6's dev
/// workflow picks only a `ready-for-dev` story, and `bmad-build` plans a
/// `draft` spec before implementing it. The story's status is its file's,
/// else, for a v6 story that says none (`create-story` has not run on it
/// yet), its key's in `sprint-status.yaml`, where BMAD's workflows read it.
/// An old copy of a story (see `is_archived`) is no work either, whatever
/// its stale status says.
fn not_approved(ws: &Workspace, file: &SourceFile, item: &Item) -> Option<&'static str> {
    let own_role = role_of(file)?;
    if !matches!(own_role, STORY | V6_STORY | SPEC_STORY)
        || !matches!(item.kind, ItemKind::Story | ItemKind::Task)
    {
        return None;
    }
    let is_story = item.kind == ItemKind::Story;
    if is_archived(&file.rel) {
        return Some(if is_story {
            "is an old copy in a folder of old copies: BMAD's workflows work on the story where it lives"
        } else {
            "belongs to an old copy of a story in a folder of old copies: BMAD's workflows work on the story where it lives"
        });
    }
    let story = file
        .facts
        .items
        .iter()
        .find(|i| i.kind == ItemKind::Story)?;
    let (value, role) = match &story.status {
        Some((value, _)) => (&**value, own_role),
        None if is_v6_story(own_role) => (tracked_status(ws, file, story)?, V6_STORY),
        None => return None,
    };
    let vocabulary = story_vocabulary(role);
    let core = status_core(value).0;
    let word = vocabulary.find(core).or_else(|| {
        suggestion(vocabulary, core)
            .filter(|(_, sure)| *sure)
            .map(|(word, _)| word)
    })?;
    match (role, word.word) {
        (STORY, "Draft") => Some(if is_story {
            "is a `Draft` story: BMAD's dev agent starts it once it is `Approved`"
        } else {
            "belongs to a `Draft` story: BMAD's dev agent starts it once it is `Approved`"
        }),
        (V6_STORY, "backlog" | "drafted") => Some(if is_story {
            "is not `ready-for-dev` yet: BMAD's dev workflow picks only `ready-for-dev` stories"
        } else {
            "belongs to a story not `ready-for-dev` yet: BMAD's dev workflow picks only `ready-for-dev` stories"
        }),
        (SPEC_STORY, "draft") => Some(if is_story {
            "is a `draft` spec: `bmad-build` implements it once it is approved (`ready-for-dev`)"
        } else {
            "belongs to a `draft` spec: `bmad-build` implements it once it is approved (`ready-for-dev`)"
        }),
        _ => None,
    }
}

/// The role of a BMAD file, if it is one.
fn role_of(file: &SourceFile) -> Option<&'static str> {
    match file.facts.kind {
        FileKind::Dialect(d) if d.dialect == Dialect::Bmad => Some(d.role),
        _ => None,
    }
}

/// Where to report a finding on a whole story: its title, or the file's
/// first line when it has none.
fn title_range(file: &SourceFile, item: &Item) -> TextRange {
    if item.def_range.is_empty() {
        let text = &*file.text;
        trim_range(text, line_around(text, 0))
    } else {
        item.def_range
    }
}

/// Whether a story is BMAD's by more than its path: named `….story.md`,
/// or titled `Story 1.2: …`, as BMAD's templates title every story. A
/// `stories/` folder of `10.1.slug.md` files titled `10.1 - Title` is
/// another tool's numbering, whose status (a `**State:**` field, say) no
/// BMAD agent reads or sets: a missing `## Status` is no finding there.
fn titled_as_bmad_titles(file: &SourceFile, story: &Item) -> bool {
    if file.rel.to_ascii_lowercase().ends_with(".story.md") || story.def_range.is_empty() {
        return true;
    }
    let heading = &file.text[story.def_range.start()..story.def_range.end()];
    let title = heading.trim_start_matches('#').trim_start();
    title
        .get(..5)
        .is_some_and(|word| word.eq_ignore_ascii_case("story"))
}

/// A status outside its vocabulary, reported on its word. A word that
/// closes the entry without doing it (`cancelled`, `superseded`) is no
/// mistake: BMAD has no word of its own for that.
fn unknown_status(vocabulary: &Vocabulary, value: &str, range: TextRange, sink: &mut Sink<'_>) {
    let (core, at) = status_core(value);
    if core.is_empty() || vocabulary.find(core).is_some() || is_dropped_word(&squash(core)) {
        return;
    }
    let hint = suggestion(vocabulary, core)
        .map(|(w, _)| format!("; did you mean `{}`?", w.word))
        .unwrap_or_default();
    sink.push(
        UNKNOWN_STATUS,
        TextRange::new(range.start() + at.start, range.start() + at.end),
        format!(
            "`{core}` is not a {} (BMAD's agents set {}){hint}",
            vocabulary.name,
            vocabulary.list()
        ),
    );
}

fn check_story(ws: &Workspace, file: &SourceFile, role: &str, sink: &mut Sink<'_>) {
    let Some(story) = file.facts.items.iter().find(|i| i.kind == ItemKind::Story) else {
        return;
    };
    let version = version_of(role);
    let number = story.number.as_deref().unwrap_or("");
    let title = title_range(file, story);
    match &story.status {
        None if !titled_as_bmad_titles(file, story) => {}
        None => {
            let message = match version {
                Version::V4 => format!(
                    "story {number} has no `## Status` section: BMAD's agents read and set the story's status there"
                ),
                Version::V6 => format!(
                    "story {number} has no `Status:` line: BMAD's workflows read and set the story's status there"
                ),
            };
            sink.push(MISSING_SECTION, title, message);
        }
        Some((value, range)) => unknown_status(story_vocabulary(role), value, *range, sink),
    }
    // A `bmad-build` spec writes its criteria under `**Acceptance
    // Criteria:**` in its `## Tasks & Acceptance` section.
    if role != SPEC_STORY
        && !story
            .sections
            .iter()
            .any(|s| CRITERIA_HEADING.is_match(s.title(&file.text)))
    {
        sink.push(
            MISSING_SECTION,
            title,
            format!("story {number} has no `## Acceptance Criteria` section: nothing says when it is done"),
        );
    }
    criteria(ws, file, story, sink);
    unknown_epic(ws, file, story, version, sink);
    if version == Version::V6 {
        tracking(ws, file, story, sink);
    }
}

/// "criteria 1 to 4", to say why `(AC: 5)` is unknown.
fn criteria_hint(numbers: &[&str]) -> String {
    // Numbers written with gaps (criteria 1 to 6, then 11 to 42) are told
    // run by run, so that the missing ones show.
    let mut runs: Vec<(&str, &str)> = Vec::new();
    for &number in numbers {
        match runs.last_mut() {
            Some((_, last)) if follows(last, number) => *last = number,
            _ => runs.push((number, number)),
        }
    }
    if runs.len() > 1 {
        // A run of two is told as two numbers of the list: `1, 1a, 2 and
        // 3`, where `1, 1a and 2, 3` read as three runs.
        let mut told: Vec<String> = Vec::new();
        for &(first, last) in &runs {
            if first == last {
                told.push(first.to_string());
            } else if follows(first, last) {
                told.extend([first.to_string(), last.to_string()]);
            } else {
                told.push(format!("{first} to {last}"));
            }
        }
        let end = told.pop().unwrap_or_default();
        return format!("criteria {} and {end}", told.join(", "));
    }
    match numbers {
        [] => "no numbered criteria".to_string(),
        [only] => format!("criterion {only} only"),
        [first, second] => format!("criteria {first} and {second}"),
        [first, .., last] => format!("criteria {first} to {last}"),
    }
}

/// Whether criterion `next` is numbered right after `number` (`4` after
/// `3`).
fn follows(number: &str, next: &str) -> bool {
    match (number.parse::<u32>(), next.parse::<u32>()) {
        (Ok(a), Ok(b)) => a.checked_add(1) == Some(b),
        _ => false,
    }
}

/// The criteria of a story: what its tasks name that it lacks, and what
/// no task names.
fn criteria(ws: &Workspace, file: &SourceFile, story: &Item, sink: &mut Sink<'_>) {
    let items = &file.facts.items;
    let number = story.number.as_deref().unwrap_or("");
    let own: Vec<&Item> = items
        .iter()
        .filter(|i| i.kind == ItemKind::Criterion)
        .collect();
    let own_numbers: Vec<&str> = own.iter().filter_map(|c| c.number.as_deref()).collect();
    let covers: Vec<&Reference> = items
        .iter()
        .filter(|i| i.kind == ItemKind::Task)
        .flat_map(|t| &t.covers)
        .collect();
    // A range (`(AC: 2-5)`) names each criterion in it, each a reference
    // at the range's place: one finding names those that are missing.
    let mut unknown: Vec<(&Reference, &str, &str)> = Vec::new();
    for reference in &covers {
        if reference.expects != Some(ItemKind::Criterion) {
            continue;
        }
        let Some(id) = reference.target.as_id() else {
            continue;
        };
        if ws.resolve_str(&reference.target).is_some() {
            continue;
        }
        let Some((owner, member)) = id.rsplit_once("/ac-") else {
            continue;
        };
        if !judges_criterion(ws, file, reference) {
            continue;
        }
        unknown.push((reference, owner, member));
    }
    for group in unknown.chunk_by(|a, b| a.0.range == b.0.range && a.1 == b.1) {
        let (reference, owner, _) = group[0];
        let in_range = covers.iter().filter(|r| r.range == reference.range).count();
        // Which members of a range are missing, when not all of them are.
        let missing = (in_range > group.len()).then(|| {
            let members: Vec<String> = group.iter().map(|(_, _, m)| format!("`{m}`")).collect();
            format!("`{}` includes {}", reference.written, and_list(&members))
        });
        let names = |story: &str, hint: String| match &missing {
            Some(missing) => format!("{missing}, but story {story} has {hint}"),
            None => format!(
                "`{}` names no acceptance criterion of story {story}, which has {hint}",
                reference.written
            ),
        };
        let message = if owner == story.id {
            names(number, criteria_hint(&own_numbers))
        } else {
            let other = without_scope(owner).trim_start_matches("bmad-story-");
            match ws.item(owner) {
                Some((other_file, _)) => {
                    let numbers: Vec<&str> = other_file
                        .facts
                        .items
                        .iter()
                        .filter(|c| c.kind == ItemKind::Criterion)
                        .filter_map(|c| c.number.as_deref())
                        .collect();
                    names(other, criteria_hint(&numbers))
                }
                None => format!(
                    "`{}` names a criterion of story {other}, and no file holds story {other}",
                    reference.written
                ),
            }
        };
        sink.push(UNKNOWN_CRITERION, reference.range, message);
    }
    // Until the tasks name criteria at all, every criterion would be
    // reported.
    if covers.is_empty() {
        return;
    }
    let named: HashSet<&str> = covers.iter().filter_map(|r| r.target.as_id()).collect();
    for criterion in own {
        if named.contains(criterion.id.as_str()) {
            continue;
        }
        // A criterion its title defers (`**AC6: Rate Limits (Deferred)**`,
        // moved to a later story) is no task's to meet in this one.
        if DEFERRED.is_match(criterion.title.as_str())
            || OUT_OF_SCOPE.is_match(criterion.title.as_str())
        {
            continue;
        }
        let k = criterion.number.as_deref().unwrap_or("");
        sink.push(
            UNCOVERED_CRITERION,
            criterion.def_range,
            format!(
                "criterion {k} of story {number} is covered by no task: name it as `(AC: {k})` on the task that meets it"
            ),
        );
    }
}

/// Whether a task's `(AC: …)` entry that names no criterion is unknown, as
/// `bmad-unknown-criterion` reports it: not when the story it names (its
/// own, or another by `1.2.3`) has no criteria read, as criteria in a
/// form not read (prose, a `gherkin` scenario without its `AC1:` label)
/// give no grounds to judge.
fn judges_criterion(ws: &Workspace, file: &SourceFile, reference: &Reference) -> bool {
    // An epic's key in `sprint-status.yaml` names an epic only an epics
    // file defines; the check says nothing of one it lacks.
    if reference.role == RefRole::IndexRow && reference.expects == Some(ItemKind::Epic) {
        return false;
    }
    let Some((owner, _)) = reference
        .target
        .as_id()
        .and_then(|id| id.rsplit_once("/ac-"))
    else {
        return true;
    };
    let has_criteria = |f: &SourceFile| f.facts.items.iter().any(|i| i.kind == ItemKind::Criterion);
    // A story's own criteria are those of its file, even when a copy of
    // the story is defined elsewhere.
    if file.facts.items.iter().any(|i| i.id.as_str() == owner) {
        return has_criteria(file);
    }
    // A story that no file holds is reported as such.
    ws.item(owner)
        .is_none_or(|(owner_file, _)| has_criteria(owner_file))
}

/// The BMAD files of a role, in path order.
fn files_of<'a>(ws: &'a Workspace, roles: &'a [&str]) -> impl Iterator<Item = &'a SourceFile> + 'a {
    ws.sorted_files()
        .iter()
        .map(|f| &**f)
        .filter(move |f| role_of(f).is_some_and(|r| roles.contains(&r)))
}

/// A story of an epic the PRD (v4) or `epics.md` (v6) does not name, when
/// there is one that names epics.
fn unknown_epic(
    ws: &Workspace,
    file: &SourceFile,
    story: &Item,
    version: Version,
    sink: &mut Sink<'_>,
) {
    let roles: &[&str] = match version {
        Version::V4 => &[PRD, PRD_SHARD],
        Version::V6 => &[EPICS, MORE_EPICS],
    };
    let mut known = BTreeSet::new();
    let mut sources = Vec::new();
    for source in epic_sources(ws, roles, &project_scope(&file.rel)) {
        epic_numbers(source, &mut known);
        sources.push(&*source.rel);
    }
    let Some(epic) = story
        .number
        .as_deref()
        .and_then(|n| n.split('.').next())
        .and_then(|e| e.parse::<u64>().ok())
    else {
        return;
    };
    if known.is_empty() || known.contains(&epic) {
        return;
    }
    let missing_from = match (sources.as_slice(), version) {
        ([one], _) => format!("`{one}` does not have"),
        (_, Version::V4) => "the PRD does not have".to_string(),
        (_, Version::V6) => "no epics file names".to_string(),
    };
    let numbers: Vec<String> = known.iter().map(u64::to_string).collect();
    let listed = match numbers.as_slice() {
        [only] => format!("epic {only} only"),
        [first, .., last] if numbers.len() > 6 => format!("epics {first} to {last}"),
        _ => format!("epics {}", numbers.join(", ")),
    };
    sink.push(
        UNKNOWN_EPIC,
        title_range(file, story),
        format!(
            "story {} belongs to epic {epic}, which {missing_from} ({listed})",
            story.number.as_deref().unwrap_or("")
        ),
    );
}

/// The files (of `roles`) that name the epics of the project `project`:
/// its own, else, for a project with none, those of the nearest project
/// above it that has some (`docs/prd.md` for `apps/a/`, the output
/// folder's `epics.md` for a project's own folder under the
/// implementation artifacts). BMAD's agents draft a project's stories from
/// the PRD or epics file its configuration names: a project whose folder
/// holds none was configured with one above it, since BMAD writes its
/// epics into the project's own planning folder.
fn epic_sources<'a>(ws: &'a Workspace, roles: &'a [&str], project: &str) -> Vec<&'a SourceFile> {
    let mut by_project: HashMap<String, Vec<&SourceFile>> = HashMap::new();
    for source in files_of(ws, roles) {
        by_project
            .entry(project_scope(&source.rel))
            .or_default()
            .push(source);
    }
    let mut scope = project;
    loop {
        if let Some(sources) = by_project.remove(scope) {
            return sources;
        }
        if scope.is_empty() {
            return Vec::new();
        }
        let without_slash = &scope[..scope.len() - 1];
        scope = without_slash.rfind('/').map_or("", |at| &scope[..=at]);
    }
}

/// The `sprint-status.yaml` that tracks the stories of a folder: the one
/// beside them, else one whose `story_location` holds them, else the
/// nearest in a folder above them, else the workspace's only one; none
/// tracks an old copy (see `is_archived`).
fn tracker_of<'a>(ws: &'a Workspace, rel: &str) -> Option<&'a SourceFile> {
    if is_archived(rel) {
        return None;
    }
    let folder = folder_of(rel);
    for name in ["sprint-status.yaml", "sprint-status.yml"] {
        if let Some(file) = ws.file(&format!("{folder}{name}")) {
            return Some(file);
        }
    }
    if let Some(file) = files_of(ws, &[SPRINT_STATUS]).find(|tracker| {
        story_folder(ws, tracker).is_some_and(|stories| rel.starts_with(stories.as_str()))
    }) {
        return Some(file);
    }
    // Else the one of the story's project nearest above the folder
    // (`stories/epic-1/` under the sprint status's folder), else the
    // project's only one: another project's tracker never tracks it.
    let project = project_scope(rel);
    let of_project = || {
        let project = project.clone();
        files_of(ws, &[SPRINT_STATUS]).filter(move |tracker| project_scope(&tracker.rel) == project)
    };
    if let Some(file) = of_project()
        .filter(|tracker| rel.starts_with(folder_of(&tracker.rel)))
        .max_by_key(|tracker| tracker.rel.len())
    {
        return Some(file);
    }
    let mut all = of_project();
    let only = all.next()?;
    all.next().is_none().then_some(only)
}

/// The `story_location:` a sprint-status file names, as written, without
/// quotes or a comment after it.
fn story_location(text: &str) -> Option<&str> {
    let line = text
        .lines()
        .find_map(|line| line.strip_prefix("story_location:"))?;
    let value = line.split(" #").next().unwrap_or(line).trim();
    let value = value
        .strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .or_else(|| value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))
        .unwrap_or(value)
        .trim();
    (!value.is_empty()).then_some(value)
}

/// The folder (ending in `/`) where BMAD's sprint workflows look for the
/// story files a sprint-status file tracks: its `story_location`, relative
/// to the project root or written after a variable for it
/// (`{project-root}/docs/sprint-artifacts/stories`). The project root is
/// the deepest folder above the sprint-status file where that location holds
/// files, else the workspace's root.
fn story_folder(ws: &Workspace, tracker: &SourceFile) -> Option<String> {
    let written = story_location(&tracker.text)?;
    if is_absolute(written) {
        return local_folder(ws, written);
    }
    let mut location = written;
    if location.starts_with('{') {
        location = location.split_once('}')?.1;
    }
    let location = location
        .trim_start_matches(['/', '.'])
        .trim_end_matches('/')
        .trim();
    if location.is_empty() || location.contains("{") || location.contains("..") {
        return None;
    }
    let mut root = folder_of(&tracker.rel).to_string();
    loop {
        let candidate = format!("{root}{location}/");
        if !ws.files_under(&candidate).is_empty() {
            return Some(candidate);
        }
        if root.is_empty() {
            return Some(format!("{location}/"));
        }
        root.pop();
        root.truncate(root.rfind('/').map_or(0, |at| at + 1));
    }
}

/// Whether a `story_location:` is an absolute path (`E:\\Projects\\…`,
/// `c:/Users/…`, `/home/…`), written on the machine that ran the workflow.
fn is_absolute(location: &str) -> bool {
    let bytes = location.as_bytes();
    location.starts_with('/')
        || location.contains('\\')
        || bytes.len() > 1 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':'
}

/// The workspace's folder that an absolute `story_location:` names: the
/// longest end of the path (`docs/sprint-artifacts` of
/// `c:/Users/me/app/docs/sprint-artifacts`) that is a folder of the
/// workspace with files in it; `None` when no end of it is.
fn local_folder(ws: &Workspace, written: &str) -> Option<String> {
    let path = written.replace('\\', "/");
    let parts: Vec<&str> = path
        .split('/')
        .filter(|p| !p.is_empty() && !p.ends_with(':'))
        .collect();
    (0..parts.len()).find_map(|from| {
        let candidate = format!("{}/", parts[from..].join("/"));
        (!ws.files_under(&candidate).is_empty()).then_some(candidate)
    })
}

/// The story files tracked by a sprint-status file, wherever they are, by
/// their keys in lower case: the files planmark pairs with its keys.
fn found_stories<'a>(ws: &'a Workspace, tracker: &SourceFile) -> HashMap<String, &'a SourceFile> {
    files_of(ws, &[V6_STORY, SPEC_STORY])
        .filter(|f| tracker_of(ws, &f.rel).is_some_and(|t| t.rel == tracker.rel))
        .map(|f| (file_key(&f.rel).to_ascii_lowercase(), f))
        .collect()
}

/// The story file a sprint-status key names: `{story_location}/{key}.md`
/// (or a file of that name in a folder under it), else `{key}.md` beside
/// the sprint-status file; either may be prefixed `story-`, and a file
/// named `story-1.2.md` is the file of story 1.2's key (`id` is the
/// story's).
fn story_file_of<'a>(
    ws: &'a Workspace,
    tracker: &SourceFile,
    stories: Option<&str>,
    key: &str,
    id: &str,
    found: &HashMap<String, &'a SourceFile>,
) -> Option<&'a SourceFile> {
    let beside = folder_of(&tracker.rel).to_string();
    let named = |folder: &str| {
        [
            format!("{folder}{key}.md"),
            format!("{folder}story-{key}.md"),
        ]
        .iter()
        .find_map(|rel| ws.file(rel))
        .map(|f| &**f)
    };
    let by_number = |f: &&std::sync::Arc<SourceFile>| {
        named_by_number(&f.rel)
            && f.facts
                .items
                .iter()
                .any(|i| i.kind == ItemKind::Story && is_story_of(i, id))
    };
    if let Some(stories) = stories {
        if let Some(file) = named(stories) {
            return Some(file);
        }
        if let Some(file) = ws.files_under(stories).iter().find(|f| {
            !is_archived(&f.rel)
                && (role_of(f).is_some_and(is_v6_story)
                    && file_key(&f.rel).eq_ignore_ascii_case(key)
                    || by_number(f))
        }) {
            return Some(&**file);
        }
    }
    if let Some(file) = named(&beside) {
        return Some(file);
    }
    if let Some(file) = ws
        .files_under(&beside)
        .iter()
        .find(|f| !f.rel[beside.len()..].contains('/') && by_number(f))
    {
        return Some(&**file);
    }
    // A story file found elsewhere is the key's all the same.
    found.get(&key.to_ascii_lowercase()).copied()
}

/// The key a row of `sprint-status.yaml` was written with (`text` is the
/// file's).
fn key_of<'a>(text: &'a str, row: &'a IndexRow) -> &'a str {
    row.cell("key").map_or(row.id.as_str(), |c| c.value(text))
}

/// The file's name without `.md`.
fn stem_of(rel: &str) -> &str {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    name.strip_suffix(".md")
        .or_else(|| name.strip_suffix(".MD"))
        .unwrap_or(name)
}

/// The sprint-status key a story file is named by: its name without `.md`
/// and without a `story-` or `spec-` prefix (`story-8-5-focus-mode.md` is
/// `8-5-focus-mode`).
fn file_key(rel: &str) -> &str {
    let stem = stem_of(rel);
    spec_story_key(stem)
        .or_else(|| without_story_prefix(stem))
        .unwrap_or(stem)
}

/// Whether `story` is the story of the ID `id` (`bmad-story-1.2`): by its
/// number, which a `bmad-build` spec (`bmad-spec-1-2-login`) shares.
fn is_story_of(story: &Item, id: &str) -> bool {
    story.id.as_str() == id
        || story
            .number
            .as_deref()
            .is_some_and(|n| without_scope(id).strip_prefix("bmad-story-") == Some(n))
}

/// Whether a story file is named by its dotted number after a `story-`
/// prefix (`story-1.2.md`), as v6-alpha's `create-story` names it: the
/// sprint-status key of its number is its own, whatever the key's slug.
/// So is a `bmad-build` spec's, which finds its key by the number alone
/// ("numeric equality on the first two segments").
fn named_by_number(rel: &str) -> bool {
    let stem = stem_of(rel);
    without_story_prefix(stem).is_some_and(|bare| bare.contains('.'))
        || spec_story_key(stem).is_some()
}

/// The row of `sprint-status.yaml` that tracks a story file: the one keyed
/// by the file's name, else, for a file named by its number, the one of
/// its number.
fn row_of<'a>(
    table: &'a IndexTable,
    tracker: &SourceFile,
    file: &SourceFile,
    story: &Item,
) -> Option<&'a IndexRow> {
    let key = file_key(&file.rel);
    table
        .rows
        .iter()
        .find(|r| key_of(&tracker.text, r).eq_ignore_ascii_case(key))
        .or_else(|| {
            named_by_number(&file.rel)
                .then(|| table.rows.iter().find(|r| is_story_of(story, &r.id)))
                .flatten()
        })
}

/// The progress `sprint-status.yaml` gives a v6 story whose file says no
/// status of its own (BMAD's workflows read the status there too).
fn tracked_progress(ws: &Workspace, file: &SourceFile, item: &Item) -> Option<Progress> {
    if item.kind != ItemKind::Story || !role_of(file).is_some_and(is_v6_story) {
        return None;
    }
    status_progress(&V6_STORY_STATUSES, tracked_status(ws, file, item)?)
}

/// The status `sprint-status.yaml` gives a v6 story (`story` of `file`),
/// as written there.
fn tracked_status<'a>(ws: &'a Workspace, file: &SourceFile, story: &Item) -> Option<&'a str> {
    let tracker = tracker_of(ws, &file.rel)?;
    let table = tracker.facts.index.as_ref()?;
    let row = row_of(table, tracker, file, story)?;
    Some(row.cell("status")?.value(&tracker.text))
}

/// Whether a story file other than a `bmad-build` spec holds the story
/// numbered `number` (`1.2`) in the project of `rel`.
fn has_story_file(ws: &Workspace, rel: &str, number: &str) -> bool {
    ws.definitions(&format!("{}bmad-story-{number}", project_scope(rel)))
        .iter()
        .any(|loc| {
            ws.file(&loc.rel)
                .is_some_and(|f| role_of(f) != Some(SPEC_STORY))
        })
}

/// A v6 story against `sprint-status.yaml`: listed, and with the same
/// status.
fn tracking(ws: &Workspace, file: &SourceFile, story: &Item, sink: &mut Sink<'_>) {
    let Some(tracker) = tracker_of(ws, &file.rel) else {
        return;
    };
    let Some(table) = &tracker.facts.index else {
        return;
    };
    let number = story.number.as_deref().unwrap_or("");
    let key = file_key(&file.rel);
    let Some(row) = row_of(table, tracker, file, story) else {
        // A quick-dev spec named after a story that has a file of its own
        // (`spec-3-4k-apply-review-patches.md` beside
        // `3-4k-moderator-ui.md`) is work on that story, not the story:
        // its key is no key to add, and the story's file reports the
        // story missing from `sprint-status.yaml`.
        if role_of(file) == Some(SPEC_STORY) && has_story_file(ws, &file.rel, number) {
            return;
        }
        // A key written with the story's dotted number (`1.2-user-login`)
        // is no key BMAD's workflows read: they look for `1-2-…`.
        let dotted = format!("{number}-");
        let dotted_row = table
            .rows
            .iter()
            .find(|r| !number.is_empty() && r.id.starts_with(dotted.as_str()));
        let message = match (table.rows.iter().find(|r| r.id == story.id), dotted_row) {
            (Some(row), _) => format!(
                "`{}` tracks story {number} as `{}`, not `{key}`: rename one so they agree",
                tracker.rel,
                key_of(&tracker.text, row)
            ),
            (None, Some(row)) => format!(
                "`{}` lists story {number} as `{}`, which BMAD's workflows do not read (they write the number with `-`): rename it `{key}`",
                tracker.rel,
                key_of(&tracker.text, row)
            ),
            (None, None) => format!(
                "story {number} is not in `{}`: add `{key}` to its `development_status`",
                tracker.rel
            ),
        };
        sink.push(UNTRACKED_STORY, title_range(file, story), message);
        return;
    };
    // `bmad-build` sets its spec's status at each step but syncs
    // `sprint-status.yaml` only on starting (`in-progress`) and on
    // finishing (`review`, the spec being `done`): the two differ on the
    // way, and neither is wrong.
    if role_of(file) == Some(SPEC_STORY) {
        return;
    }
    let (Some((value, range)), Some(cell)) = (&story.status, row.cell("status")) else {
        return;
    };
    let listed = cell.value(&tracker.text);
    if same_status(&V6_STORY_STATUSES, value, listed) {
        return;
    }
    let (core, at) = status_core(value);
    if core.is_empty() {
        return;
    }
    // One disagreement is one finding, on the story file: its `Status:`
    // is what falls behind when a workflow (`code-review` setting `done`)
    // or a hand edit moves the sprint's key on. The key's value is its
    // related place, and a quick fix copies either way.
    let listed_core = status_core(listed).0;
    if let Some(d) = sink.push(
        STATUS_MISMATCH,
        TextRange::new(range.start() + at.start, range.start() + at.end),
        format!(
            "story {number} is `{core}` here but `{listed_core}` in `{}`",
            tracker.rel
        ),
    ) {
        d.related = vec![Related {
            rel: tracker.rel.to_string(),
            range: core_range(listed, cell.range),
            message: format!("`{}` is `{listed_core}` here", key_of(&tracker.text, row)),
        }];
    }
}

fn check_sprint_status(ws: &Workspace, file: &SourceFile, sink: &mut Sink<'_>) {
    let text = &*file.text;
    let entries = match load_tracking(text) {
        Tracking::Entries { entries, .. } => entries,
        Tracking::Invalid { at, message } => {
            sink.push(SPRINT_STATUS_SYNTAX, at, message);
            return;
        }
        Tracking::NoMapping => {
            sink.push(
                SPRINT_STATUS_SYNTAX,
                trim_range(text, line_around(text, 0)),
                "there is no `development_status:` mapping, where BMAD's workflows read each story's status",
            );
            return;
        }
    };
    let folder = folder_of(&file.rel);
    let stories = story_folder(ws, file);
    let story_folder = stories.as_deref().unwrap_or(folder);
    let kinds = entry_kinds(&entries);
    let found = found_stories(ws, file);
    for (entry, kind) in entries.into_iter().zip(kinds) {
        unknown_status(vocabulary_of(&kind), &entry.value, entry.value_range, sink);
        let EntryKind::Story(number) = kind else {
            continue;
        };
        // A location on another machine is not where the workflow opens
        // the file here: the file is looked for beside this file and
        // where its other stories are.
        let path = match story_location(text).filter(|_| stories.is_none()) {
            Some(elsewhere) if is_absolute(elsewhere) => format!(
                "`{story_folder}{}.md` nor one with its other stories (`story_location` names `{elsewhere}`, outside this workspace)",
                entry.key
            ),
            _ => format!(
                "`{story_folder}{}.md`, where BMAD's dev workflow opens it",
                entry.key
            ),
        };
        // A story file that is there may still disagree with the key's
        // status: that is reported on the story file (see `tracking`).
        let file_of_key = story_file_of(
            ws,
            file,
            stories.as_deref(),
            &entry.key,
            &story_id(&project_scope(&file.rel), &number),
            &found,
        );
        if file_of_key.is_none()
            && opened_again(&entry.value)
            && is_read_as_story(&format!("{story_folder}{}.md", entry.key))
        {
            missing_story_file(ws, &entry, &number, (folder, story_folder), &path, sink);
        }
    }
}

/// Whether planmark reads stories in the folder of `rel`, a story file's
/// path: a story folder it does not know by name
/// (`implementation-artifacts/ai-dev-orchestrator/`, a second project's
/// `story_location`) holds files it never reads, so it cannot tell whether
/// one is missing there. The folder is asked with a story named as
/// `create-story` names one, whatever the key's own shape (`1-2.md`).
fn is_read_as_story(rel: &str) -> bool {
    let probe = format!("{}1-1-story.md", folder_of(rel));
    let parts: Vec<&str> = probe.split('/').collect();
    classify(&probe, &parts).is_some_and(|role| matches!(role, STORY | V6_STORY | SPEC_STORY))
}

/// A story past the backlog whose file is not where BMAD's dev workflow
/// opens it; `folders` are the sprint-status file's and the stories'.
fn missing_story_file(
    ws: &Workspace,
    entry: &Entry,
    number: &StoryNumber,
    folders: (&str, &str),
    path: &str,
    sink: &mut Sink<'_>,
) {
    let (folder, story_folder) = folders;

    let dotted = number.dotted();
    let elsewhere = ws
        .item(&story_id(&project_scope(folder), number))
        .filter(|(f, _)| {
            let at = folder_of(&f.rel);
            at == folder || at == story_folder
        })
        .map(|(f, _)| f.rel.rsplit('/').next().unwrap_or(&f.rel).to_string());
    let message = match elsewhere {
        Some(other) => format!(
            "there is no `{}.md` {}; `{other}` holds story {dotted}: rename one so they agree",
            entry.key,
            if story_folder == folder {
                "beside this file".to_string()
            } else {
                format!("in `{story_folder}`")
            }
        ),
        None => format!(
            "story {dotted} is `{}` but has no file {path}",
            status_core(&entry.value).0
        ),
    };
    sink.push(MISSING_STORY_FILE, entry.key_range, message);
}

// Fixes: the quick fixes of those findings.

fn fixes(ws: &Workspace, file: &SourceFile, d: &Diagnostic) -> Vec<Action> {
    if d.rule == UNKNOWN_STATUS {
        status_fix(file, d)
    } else if d.rule == STATUS_MISMATCH {
        mismatch_fixes(ws, file, d)
    } else if d.rule == UNKNOWN_CRITERION {
        unknown_criterion_fix(ws, file, d)
    } else {
        Vec::new()
    }
}

/// Remove an entry of a task's `(AC: …)` that names no criterion, with its
/// separator (`(AC: 1, 7)` becomes `(AC: 1)`), or the whole clause with
/// the space before it when it is the only entry (`(AC: #7)`). A range of
/// which some criteria exist (`#1-#4` of a story with three) stays.
fn unknown_criterion_fix(ws: &Workspace, file: &SourceFile, d: &Diagnostic) -> Vec<Action> {
    // The separators of an `(AC: …)` list, as `ac_references` splits it.
    static SEPARATOR: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i),|;|&|\band\b").expect("valid regex"));
    let mut named = file
        .facts
        .items
        .iter()
        .filter(|i| i.kind == ItemKind::Task)
        .flat_map(|t| &t.covers)
        .filter(|r| r.range == d.range)
        .peekable();
    if named.peek().is_none() || named.any(|r| ws.resolve_str(&r.target).is_some()) {
        return Vec::new();
    }
    let text = &*file.text;
    let lines = file.line_index();
    let line = lines.line_range(lines.line_of(d.range.start()));
    let Some(group) = ac_groups(&text[line.start()..line.end()])
        .into_iter()
        .find(|g| {
            line.start() + g.content.start <= d.range.start()
                && d.range.end() <= line.start() + g.content.end
        })
    else {
        return Vec::new();
    };
    let content = line.start() + group.content.start..line.start() + group.content.end;
    let before = &text[content.start..d.range.start()];
    let after = &text[d.range.end()..content.end];
    let separator_before = SEPARATOR.find_iter(before).last();
    let separator_after = SEPARATOR.find(after);
    // The entry with what it writes before the number (`#7`, `AC7`).
    let piece = separator_before.map_or(0, |m| m.end());
    let entry_start =
        content.start + piece + (before[piece..].len() - before[piece..].trim_start().len());
    let removed = match (separator_before, separator_after) {
        (_, Some(next)) => {
            let rest = &after[next.end()..];
            let spaces = rest.len() - rest.trim_start().len();
            TextRange::new(entry_start, d.range.end() + next.end() + spaces)
        }
        (Some(previous), None) => {
            let head = &before[..previous.start()];
            let spaces = head.len() - head.trim_end().len();
            TextRange::new(content.start + previous.start() - spaces, d.range.end())
        }
        (None, None) => {
            let head = &text[line.start()..line.start() + group.whole.start];
            let spaces = head.len() - head.trim_end_matches([' ', '\t']).len();
            TextRange::new(
                line.start() + group.whole.start - spaces,
                line.start() + group.whole.end,
            )
        }
    };
    let entry = &text[entry_start..d.range.end()];
    vec![Action::fix(
        format!("Remove `{entry}` from the list"),
        d,
        edit(file, vec![(removed, String::new())]),
    )]
}

/// The words a BMAD story's status may be, as its template lists them
/// (v4 or v6 by the file's kind).
fn bmad_status_words(_ws: &Workspace, file: &SourceFile) -> Vec<String> {
    let vocabulary = match role_of(file) {
        Some(STORY) => &V4_STATUSES,
        Some(V6_STORY) | Some(SPRINT_STATUS) => &V6_STORY_STATUSES,
        Some(SPEC_STORY) => &V6_SPEC_STATUSES,
        _ => return Vec::new(),
    };
    vocabulary
        .words
        .iter()
        .filter(|w| w.listed)
        .map(|w| w.word.to_string())
        .collect()
}

/// The vocabulary of the status at `range` in a BMAD file.
fn vocabulary_at(file: &SourceFile, range: TextRange) -> Option<&'static Vocabulary> {
    match role_of(file)? {
        STORY => Some(&V4_STATUSES),
        V6_STORY => Some(&V6_STORY_STATUSES),
        SPEC_STORY => Some(&V6_SPEC_STATUSES),
        SPRINT_STATUS => {
            let row = file.facts.index.as_ref()?.rows.iter().find(|r| {
                r.cell("status")
                    .is_some_and(|c| c.range.contains_range(range))
            })?;
            Some(vocabulary_of(&entry_kind(key_of(&file.text, row))))
        }
        _ => None,
    }
}

/// Change an unknown status word to the one it most likely means; safe
/// when that is sure (`In Progress` to `InProgress`, `Completed` to
/// `Done`).
fn status_fix(file: &SourceFile, d: &Diagnostic) -> Vec<Action> {
    let Some(vocabulary) = vocabulary_at(file, d.range) else {
        return Vec::new();
    };
    let Some(written) = file.text.get(d.range.start()..d.range.end()) else {
        return Vec::new();
    };
    let Some((word, sure)) = suggestion(vocabulary, written) else {
        return Vec::new();
    };
    let action = Action::fix(
        format!("Change `{written}` to `{}`", word.word),
        d,
        edit(file, vec![(d.range, word.word.to_string())]),
    )
    .preferred();
    vec![if sure { action.safe() } else { action }]
}

/// A status mismatch is settled either way: the story file's word into
/// `sprint-status.yaml`, or the other way round.
fn mismatch_fixes(ws: &Workspace, file: &SourceFile, d: &Diagnostic) -> Vec<Action> {
    // The two places: the story file's status word, where the finding
    // is, and its row's in `sprint-status.yaml`.
    if role_of(file) != Some(V6_STORY) {
        return Vec::new();
    }
    let Some(tracker) = tracker_of(ws, &file.rel) else {
        return Vec::new();
    };
    let Some(cell) = tracker
        .facts
        .index
        .as_deref()
        .zip(file.facts.items.iter().find(|i| i.kind == ItemKind::Story))
        .and_then(|(table, story)| row_of(table, tracker, file, story))
        .and_then(|r| r.cell("status"))
    else {
        return Vec::new();
    };
    let (story_file, story_at) = (file, d.range);
    let row_at = core_range(cell.value(&tracker.text), cell.range);
    let (Some(story_word), Some(row_word)) = (
        story_file.text.get(story_at.start()..story_at.end()),
        tracker.text.get(row_at.start()..row_at.end()),
    ) else {
        return Vec::new();
    };
    let set = |target: &SourceFile, at: TextRange, word: &str| {
        vec![crate::analysis::actions::Change::Edit {
            rel: target.rel.to_string(),
            edits: vec![(at, word.to_string())],
        }]
    };
    vec![
        Action::fix(
            format!(
                "Set the story file to `{row_word}`, as `{}` has it",
                tracker.rel
            ),
            d,
            set(story_file, story_at, row_word),
        ),
        Action::fix(
            format!(
                "Set `{}` to `{story_word}`, as the story file has it",
                tracker.rel
            ),
            d,
            set(tracker, row_at, story_word),
        ),
    ]
}

/// The range of a written status's word.
fn core_range(value: &str, range: TextRange) -> TextRange {
    let (_, at) = status_core(value);
    TextRange::new(range.start() + at.start, range.start() + at.end)
}

#[cfg(test)]
mod tests;
