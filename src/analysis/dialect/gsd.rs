//! GSD (get-shit-done): a `.planning/` folder holding `PROJECT.md`,
//! `REQUIREMENTS.md` (requirements as `- [ ] **AUTH-01**: text` lines or
//! rows of a table headed `| ID | ... |`),
//! `ROADMAP.md` (phases as `### Phase 3: Name` headings and `- [x]
//! **Phase 3: Name**` lines, each heading's `**Depends on:** Phase 2`
//! ordering the phases' plans), `STATE.md`, and `phases/NN-slug/` folders
//! whose `NN-MM-PLAN.md` files start with YAML front matter (`phase`,
//! `plan`, `wave`, `depends_on`, `requirements`, `must_haves`) and whose
//! `NN-MM-SUMMARY.md` files GSD writes when a plan is carried out. Plans
//! are `NN-MM` (`03-01`, `06-03a`; the other names GSD gives plans, such
//! as `PLAN.md`, `21-PLAN.md`, `12-PLAN-05.md` and `09-FIX-01-PLAN.md`, are
//! read as [`plan_file_id`] says), phases `phase-N`, requirements their
//! ID; a `.planning/` folder below the workspace root scopes its IDs with
//! its parent's path (`web/03-01`). GSD moves a shipped milestone's phase
//! folders to `milestones/<version>-phases/`: their plans are read too,
//! their IDs scoped with the version (`v1.0/01-01`, since a milestone may
//! number its phases from 1 again; plans kept there without phase folders,
//! and `archive/<version>/` folders of phase folders, are read the same
//! way), and its requirements to
//! `milestones/<version>-REQUIREMENTS.md`, read as requirements scoped with
//! the version too (`v1.0/AUTH-01`).

#[cfg(test)]
mod tests;

use std::cell::{OnceCell, RefCell};
use std::collections::{HashMap, HashSet};
use std::rc::Rc;
use std::sync::{Arc, LazyLock, Weak};

use regex::Regex;

use crate::analysis::actions::fixes::edit;
use crate::analysis::actions::Action;
use crate::analysis::dialect::yaml::{self, Entry, FrontMatter, Value};
use crate::analysis::dialect::{
    and_list, dialect_rules, no_status_words, Dialect, DialectSpec, ParseInput, RetiredItem,
    SHIPPED, TICKED,
};
use crate::analysis::ids::without_scope;
use crate::analysis::intern::Id;
use crate::analysis::model::{
    Field, FileFacts, FileKind, Item, ItemKind, Progress, RefRole, Reference, Target,
};
use crate::analysis::parse::{is_ignored, lines_in, trim_range};
use crate::analysis::rules::{Context, Diagnostic, Related, Sink};
use crate::analysis::text::TextRange;
use crate::analysis::workspace::{ItemLoc, SourceFile, Workspace};

pub(crate) static SPEC: DialectSpec = DialectSpec {
    dialect: Dialect::Gsd,
    name: "GSD",
    planning_folders: &[".planning"],
    classify,
    parse,
    check,
    fixes,
    rules: RULES,
    scope: planning_scope,
    written_id,
    retired_item: shipped_plan,
    // Plans have no status of their own, and requirements and phases
    // are checkboxes.
    status_words: no_status_words,
    progress: plan_progress,
    progress_sources: &[SUMMARY, ROADMAP],
    renumber_below: crate::analysis::dialect::nothing_below,
    list_words: crate::analysis::dialect::no_list_words,
    covers_every: crate::analysis::dialect::covers_by_name_only,
    judges_reference: judges_requirement,
    implied_deps: plans_of_depended_phases,
    // Which open plans of a phase come last (the ones a later phase's
    // plans wait for) changes with any plan's `depends_on`.
    implied_deps_sources: &[PLAN],
    held_back: crate::analysis::dialect::never_held,
    explains_duplicate: in_folders_of_one_number,
};

dialect_rules! { Dialect::Gsd;
    NO_FRONT_MATTER = 0, "gsd-no-front-matter", Warning, Local,
        "A plan without front matter, or whose front matter has no closing `---`: GSD reads no wave, dependencies or requirements from it.";
    UNKNOWN_REQUIREMENT = 1, "gsd-unknown-requirement", Warning, CrossFile,
        "A plan's `requirements:` entry, a phase's `**Requirements**:` entry in ROADMAP.md, or a row of REQUIREMENTS.md's traceability table names no requirement of REQUIREMENTS.md.";
    UNCOVERED_REQUIREMENT = 2, "gsd-uncovered-requirement", Info, CrossFile,
        "A current requirement of REQUIREMENTS.md that no plan lists in its `requirements:`.";
    WAVE_ORDER = 3, "gsd-wave-order", Warning, CrossFile,
        "A plan's `wave:` is not after the waves of the plans of its phase it depends on.";
    PHASE_WITHOUT_PLANS = 4, "gsd-phase-without-plans", Warning, CrossFile,
        "A roadmap phase, not marked complete, that has no plans while a later phase has some.";
    UNLISTED_PHASE = 5, "gsd-unlisted-phase", Warning, CrossFile,
        "A plan of a phase that ROADMAP.md does not list.";
    DUPLICATE_PHASE = 6, "gsd-duplicate-phase", Warning, CrossFile,
        "Two phase folders, or two sections of ROADMAP.md, have one phase number, so GSD's commands reach only one of them.";
}

/// The roles of a planning folder's files.
const PROJECT: &str = "project";
const REQUIREMENTS: &str = "requirements";
/// A shipped milestone's requirements, archived by GSD's
/// `complete-milestone` as `milestones/<version>-REQUIREMENTS.md`.
const ARCHIVED_REQUIREMENTS: &str = "archived-requirements";
const ROADMAP: &str = "roadmap";
const STATE: &str = "state";
const PLAN: &str = "plan";
const SUMMARY: &str = "summary";

/// A phase folder's name: its number, then an optional slug. A number is
/// GSD's phase number: digits, then, for a phase inserted after another,
/// a letter (`14a`, as GSD reads it in any case) or decimal parts (`02.1`,
/// as its `/gsd:insert-phase` writes them), or both (`12a.1`). With
/// `project_code` set in its config (GSD 1.31 and later), GSD starts the
/// folder's name with the code, one to six letters and a dash
/// (`CK-03-feed/`), and strips it again to find the phase's number.
static PHASE_DIR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[A-Za-z]{1,6}-)?(\d+[A-Za-z]?(?:\.\d+)*)(?:-.*)?$").expect("valid regex")
});
/// A plan's file name: `03-01-PLAN.md`, `06-03a-SUMMARY.md`, or with a
/// slug after the plan number, `200-04-preset-onboarding-PLAN.md` (the
/// slug starts with a letter, as GSD's own roadmap renumbering expects).
static PLAN_FILE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(\d+[A-Za-z]?(?:\.\d+)*)-(\d+[A-Za-z]?)(?:-[A-Za-z][A-Za-z0-9-]*)?-(PLAN|SUMMARY)\.md$",
    )
    .expect("valid regex")
});
/// A plan's file name with the word before the plan number, as GSD's
/// planner sometimes writes it and GSD's plan scan reads it:
/// `12-PLAN-05.md`, `5-PLAN-01-setup.md`, `12-SUMMARY-05.md`.
static WORD_FIRST_FILE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(\d+[A-Za-z]?(?:\.\d+)*)-(PLAN|SUMMARY)-(\d+[A-Za-z]?)(?:-[A-Za-z][A-Za-z0-9-]*)?\.md$",
    )
    .expect("valid regex")
});
/// A plan's file name with one number only, `21-PLAN.md` (the phase's one
/// plan, or, in another phase's folder, a plan number: `02-PLAN.md`), or
/// none, `PLAN.md`; GSD reads both as plans.
static NUMBER_FILE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:(\d+[A-Za-z]?(?:\.\d+)*)-)?(PLAN|SUMMARY)\.md$").expect("valid regex")
});
/// A plan's file name that repeats its phase folder's name before the plan
/// number, as many GSD planners write it: `01-concerns-remediation-01-PLAN.md`
/// in `phases/01-concerns-remediation/` is plan `01-01`. The slug is lower
/// case, as GSD writes folder slugs, which tells it from a plan named with
/// a word (`09-FIX-01-PLAN.md`, see [`NAMED_FILE`]).
static SLUGGED_FILE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(\d+[A-Za-z]?(?:\.\d+)*)-[a-z][a-z0-9]*(?:-[a-z0-9]+)*?-(\d+[a-z]?)-(PLAN|SUMMARY)\.md$",
    )
    .expect("valid regex")
});
/// A plan's file name whose plan part is a word and a number, as fix and
/// gap-closure plans are named: `09-FIX-01-PLAN.md`, `26-P01-SUMMARY.md`.
/// GSD knows such a plan by its file name without `-PLAN.md`.
static NAMED_FILE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\d+[A-Za-z]?(?:\.\d+)*)-([A-Za-z]+-?\d+[A-Za-z]?)-(PLAN|SUMMARY)\.md$")
        .expect("valid regex")
});
/// A plan ID whose plan part is a word and a number (`09-FIX-01`,
/// `26-P01`), as `depends_on` names a plan of a [`NAMED_FILE`].
static NAMED_PLAN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\d+[A-Za-z]?(?:\.\d+)*)-([A-Za-z]+-?\d+[A-Za-z]?)$").expect("valid regex")
});
/// The phase number an ID of a plan starts with (`14a` of `14a-01`, `21`
/// of `21`, `09` of `09-FIX-01`).
static PLAN_PHASE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d+[A-Za-z]?(?:\.\d+)*)(?:-|$)").expect("valid regex"));
/// A plan ID as `depends_on` writes it: `03-01`, `3-1`, `06-03a`, or the
/// name of a slugged plan file without `-PLAN.md` (`23-01-identity-audit`),
/// which GSD's plan index accepts too.
static PLAN_ID: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\d+[A-Za-z]?(?:\.\d+)*)-(\d+)([A-Za-z]?)(?:-[A-Za-z][A-Za-z0-9-]*)?$")
        .expect("valid regex")
});
/// A plan named by its number alone (`01`, `4`, `03a`), as GSD's plan
/// template writes `depends_on: ["01"]` for a plan of the same phase.
static BARE_PLAN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d+)([A-Za-z]?)$").expect("valid regex"));
/// A plan named by its phase and plan numbers in words, as some plans'
/// `depends_on` write it: `Phase 6 Plan 01`, `Phase 3, Plan 4`.
static WORDED_PLAN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^phase\s+(\d+[a-z]?(?:\.\d+)*)\s*,?\s*plan\s+(\d+)([a-z]?)\b")
        .expect("valid regex")
});
/// A `depends_on` entry that names a phase alone, not a plan: `Phase 15`,
/// `Phase 14a`, `Phase 3 (algorithms)`, `Phases 3, 4`, `Phases 4-5`. A
/// range or list follows `Phases` only, so that `Phase 06-01` is a plan.
/// The note in parentheses, if any, is the second group.
static PHASE_ENTRY: LazyLock<Regex> = LazyLock::new(|| {
    let number = r"\d+[a-z]?(?:\.\d+)*";
    Regex::new(&format!(
        r"(?i)^(?:phase\s+{number}|phases\s+{number}(?:\s*(?:,|&|\band\b|\bto\b|-|–|—)\s*{number})*)\s*(\(([^()]*)\))?\s*$"
    ))
    .expect("valid regex")
});
/// The ID a plan's heading may start with (`Plan 07-01:`, `Phase 3 Plan
/// 2 -`), or be (`Plan 02.1-01`): a `.` or `-` ends it only before a space,
/// so that `02.1-01` is not read as `02.1` and a title `01`.
static PLAN_PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:phase\s+[\w.]+\s+)?plan\s+[\w.-]*\w\s*(?:[:–—]\s*|[.\-](?:\s+|$)|$)")
        .expect("valid regex")
});
/// A roadmap line naming a plan: its file (`- [x] 03-01-PLAN.md —
/// Schema`, `- [x] 03-01-schema-PLAN.md`) or, before the plan is written,
/// its ID with two-digit phase (`- [ ] 07-01: Research the API`, or in
/// bold, `- [x] **07-01**: Research`). The box says whether it is done.
static PLAN_MENTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^\s*[-*]\s+(?:\[([ xX])\]\s+)?(?:\*\*)?((\d+[A-Za-z]?(?:\.\d+)*)-(\d+[A-Za-z]?))(?:(-(?:[A-Za-z][A-Za-z0-9-]*-)?PLAN\.md)\b|\*\*\s|(?:\*\*)?\s*[:—–]|\s+-\s)",
    )
    .expect("valid regex")
});
/// A roadmap line naming a plan's file in another of the forms GSD reads:
/// `- [ ] 12-PLAN-01.md — Backend`, `- [x] 21-PLAN.md`, `- [x]
/// 09-FIX-01-PLAN.md`, `- [x] 01-setup-01-PLAN.md` (see [`SLUGGED_FILE`]).
static PLAN_FILE_MENTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^\s*[-*]\s+(?:\[([ xX])\]\s+)?`?(\d+[A-Za-z]?(?:\.\d+)*-(?:PLAN-\d+[A-Za-z]?(?:-[A-Za-z][A-Za-z0-9-]*)?|[A-Za-z]+-?\d+[A-Za-z]?-PLAN|[a-z][a-z0-9]*(?:-[a-z0-9]+)*?-\d+[a-z]?-PLAN|PLAN)\.md)(?:$|[\s:—–`])",
    )
    .expect("valid regex")
});
/// A row of the roadmap's progress table: `| 3. Auto-Setup | v1.0 | 2/2 |
/// Complete | 2026-04-13 |` (the phase number first, as GSD writes it).
static PROGRESS_ROW: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*\|\s*(?:phase\s+)?(\d+[a-z]?(?:\.\d+)*)[.:]?(?:\s[^|]*)?\|")
        .expect("valid regex")
});
/// A requirement line: a list item, an optional box, the ID in bold, or
/// a range of IDs (`**QA-01..15**`), the colon after the bold or inside
/// it (`**AUTH-01:**`). The number may follow a letter (`**NFR-R1**`,
/// `**REQ-native-r1**`).
static REQUIREMENT_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*[-*]\s+(?:\[([ xX])\]\s+)?\*\*([A-Za-z][A-Za-z0-9]*(?:[-_][A-Za-z0-9]+)*-[A-Za-z]?\d+[a-z]?(?:\.\.(?:[A-Za-z][A-Za-z0-9_-]*-)?\d+)?):?\*\*:?\s*(.*)$")
        .expect("valid regex")
});
/// A heading that is a requirement: its ID first, perhaps in bold, then
/// the end or a colon or dash and the title (`R-01: Performance sweep`,
/// `**AUTH-01** — Sign in`).
static REQUIREMENT_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:\*\*)?([A-Za-z][A-Za-z0-9]*(?:[-_][A-Za-z0-9]+)*-\d+[a-z]?)(?:\*\*)?(?:\s*[:.\-–—]\s*(.*?))?\s*$")
        .expect("valid regex")
});
/// A table cell holding one requirement ID, perhaps in bold or code:
/// `EXP-01`, `**EXP-01**`, `` `EXP-01` ``.
static REQUIREMENT_CELL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\*\*|`)?([A-Za-z][A-Za-z0-9]*(?:[-_][A-Za-z0-9]+)*-\d+[a-z]?)(?:\*\*|`)?$")
        .expect("valid regex")
});
/// The first header cell of a table that lists requirements: `ID`,
/// `Requirement`, `Req` (in any case, perhaps in bold).
static REQUIREMENT_TABLE_HEADER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:\*\*)?(?:id|req|requirement)(?:\*\*)?$").expect("valid regex")
});
/// The header cell of a traceability table's column after the ID: `Phase`,
/// `Phases`, `Phase(s)` (in any case, perhaps in bold). Such a table, as
/// GSD's template writes it (`| Requirement | Phase | Status |`), maps
/// requirements to phases; it defines none.
static PHASE_COLUMN_HEADER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:\*\*)?phases?(?:\(s\))?(?:\*\*)?$").expect("valid regex")
});
/// A table's delimiter row: `|----|:---:|`.
static TABLE_DELIMITER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*\|?(?:\s*:?-+:?\s*\|)+\s*:?-*:?\s*$").expect("valid regex"));
/// A range of requirement IDs, as REQUIREMENTS.md, a plan's
/// `requirements:` and the roadmap write it: `QA-01..15`, or `QA-01..QA-15`
/// with the prefix again, or with an en dash (`AUTH-01–04`,
/// `AUTH-01–AUTH-09`).
static REQUIREMENT_RANGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^([A-Za-z][A-Za-z0-9_-]*-)(\d+)(?:\.\.|–)([A-Za-z][A-Za-z0-9_-]*-)?(\d+)$")
        .expect("valid regex")
});
/// An entry of a phase's `**Requirements**:` line in the roadmap that
/// names a requirement: its ID or range first, then the end of the entry,
/// a space (`MFA-01 (partial)`) or a closing bracket.
static ROADMAP_REQUIREMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^([A-Za-z][A-Za-z0-9]*(?:[-_][A-Za-z0-9]+)*-\d+[a-z]?(?:(?:\.\.|–)(?:[A-Za-z][A-Za-z0-9_-]*-)?\d+)?)(?:$|[\s\])`*.;:])")
        .expect("valid regex")
});
/// The most requirements a range is read as: a longer one is more likely a
/// slip than a list.
const MAX_REQUIREMENT_RANGE: u32 = 100;
/// A phase heading's text: `Phase 3: Storage`, `Phase 2.1 - Hotfix`,
/// `Phase 14a: Fixes`.
static PHASE_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:\*\*)?phase\s+(\d+[a-z]?(?:\.\d+)*)\b\s*[:.\-–—]?\s*(.*?)(?:\*\*)?\s*$")
        .expect("valid regex")
});
/// A phase line of the roadmap's overview: `- [x] **Phase 1: Name** - ...`,
/// or, as GSD writes a shipped milestone's phases when it collapses them,
/// without bold but with a colon: `- [x] Phase 25: Name (2/2 plans) —
/// completed 2026-02-27`.
static PHASE_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^\s*[-*]\s+\[([ xX])\]\s+(?:\*\*phase\s+(\d+[a-z]?(?:\.\d+)*)\b\s*[:.\-–—]?\s*([^*]*)\*\*|phase\s+(\d+[a-z]?(?:\.\d+)*):\s*(.*))",
    )
    .expect("valid regex")
});
/// Where the name on a collapsed phase line ends: at its plan count
/// (`(2/2 plans)`) or at the dash before a note (`— completed ...`).
static PHASE_LINE_NOTE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\s+(?:\(\d+/\d+ plans?\)|[—–]\s|--?\s)").expect("valid regex"));
/// A milestone line of the roadmap naming its phases: `- ✅ **v1.0 MVP** —
/// Phases 1-14 (shipped 2026-02-20)`, `- v1.1 Fixes - Phases 1, 15-20`,
/// `<summary>v2.0 Beta (Phases 8-16) -- SHIPPED</summary>`, `Phase 2`.
/// A milestone line of the roadmap that says its milestone shipped without
/// naming its phases: `- ✅ **v1.2 Dashboard** — shipped 2026-04-03`.
static SHIPPED_MILESTONE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:[-*]\s+|<summary>).*?\bv\d+(?:\.\d+)*\b.*\bshipped\b")
        .expect("valid regex")
});
static MILESTONE_PHASES: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^\s*(?:[-*]\s+|<summary>).*?\bv\d+(?:\.\d+)*\b.*?\bPhases?\s+(\d+[A-Za-z]?(?:\.\d+)*(?:\s*[-–,]\s*\d+[A-Za-z]?(?:\.\d+)*)*)",
    )
    .expect("valid regex")
});
/// Words of a `##` heading of REQUIREMENTS.md over requirements that are
/// not for now (GSD's `## v2 Requirements (Deferred)`, `## Out of Scope`).
static LATER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)deferred|future|later|out of scope|backlog").expect("valid regex")
});
/// The version a `##` heading of REQUIREMENTS.md names (`v2`, `v2.0`,
/// `v1.2`): past the file's first version, its requirements are for a
/// later milestone (GSD's template writes `## v1 Requirements` over
/// `## v2 Requirements`; a file started afresh for milestone v2.0 has
/// `## v2.0 Requirements` alone, which are for now).
static HEADING_VERSION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\bv(\d{1,6})(?:\.(\d{1,6}))?\b").expect("valid regex"));

/// The word that opens a list of phases in a roadmap's `**Depends on:**`
/// value (`Phase 3`, `Phases 205-212`).
static PHASE_WORD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^phases?\b\s*").expect("valid regex"));
/// A phase number, or a range of them (`205-212`, `200–205`, `4 through
/// 10`), at the start of a clause of a `**Depends on:**` value.
static PHASE_REFERENCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(\d+[a-z]?(?:\.\d+)*)(?:\s*(?:-|–|\.\.|\bthrough\b|\bto\b)\s*(?:phases?\s+)?(\d+[a-z]?(?:\.\d+)*))?",
    )
    .expect("valid regex")
});
/// What separates the clauses of a `**Depends on:**` value: a comma, an
/// `and`, a `&` or `+`, or the full stop that ends a sentence (not the
/// dot inside `12.3`).
static CLAUSE_BREAK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\s*(?:,|&|\+|\band\b|\.(?:\s|$))\s*").expect("valid regex"));

/// Where a file sits in its planning folder.
struct Place<'a> {
    /// What IDs defined here start with: empty for a `.planning/` folder
    /// at the root, else its parent's path and a slash (`web/`).
    scope: &'a str,
    /// The planning folder with its slash (`.planning/`, `web/.planning/`).
    dir: &'a str,
    role: &'static str,
    /// The shipped milestone whose archive holds the file (`v1.0` for
    /// `milestones/v1.0-phases/01-a/01-01-PLAN.md`,
    /// `milestones/v1.0-phases/01-01-PLAN.md`,
    /// `archive/v1.0/01-a/01-01-PLAN.md` and
    /// `milestones/v1.0-REQUIREMENTS.md`); `None` elsewhere.
    milestone: Option<&'a str>,
}

impl Place<'_> {
    /// What the IDs of the plans and phases of the file start with: the
    /// scope, then an archived milestone's version (`v1.0/`), so that a
    /// milestone numbering its phases from 1 again defines no ID twice.
    fn ids(&self) -> String {
        match self.milestone {
            Some(version) => format!("{}{version}/", self.scope),
            None => self.scope.to_string(),
        }
    }
}

/// What the name of a plan's file, or of its summary, says of the plan.
#[derive(Clone, Copy)]
enum PlanName<'a> {
    /// A phase number and a plan number: `03-01-PLAN.md`,
    /// `200-04-slug-PLAN.md`, `12-PLAN-05.md`.
    Numbered { phase: &'a str, plan: &'a str },
    /// One number, `21-PLAN.md`, or none, `PLAN.md`: which plan it is
    /// depends on the folder (see [`plan_file_id`]).
    Number(Option<&'a str>),
    /// A phase number and a plan's word and number: `09-FIX-01-PLAN.md`.
    Named { phase: &'a str, plan: &'a str },
}

/// What a file name of a phase folder says of its plan, and whether the
/// file is the plan or its summary; `None` for any other file.
fn plan_name(name: &str) -> Option<(PlanName<'_>, &'static str)> {
    let role = |word: &str| if word == "PLAN" { PLAN } else { SUMMARY };
    if let Some(caps) = PLAN_FILE.captures(name) {
        let (phase, plan, word) = (caps.get(1)?, caps.get(2)?, caps.get(3)?);
        let (phase, plan) = (phase.as_str(), plan.as_str());
        return Some((PlanName::Numbered { phase, plan }, role(word.as_str())));
    }
    if let Some(caps) = WORD_FIRST_FILE.captures(name) {
        let (phase, word, plan) = (caps.get(1)?, caps.get(2)?, caps.get(3)?);
        let (phase, plan) = (phase.as_str(), plan.as_str());
        return Some((PlanName::Numbered { phase, plan }, role(word.as_str())));
    }
    if let Some(caps) = SLUGGED_FILE.captures(name) {
        let (phase, plan, word) = (caps.get(1)?, caps.get(2)?, caps.get(3)?);
        let (phase, plan) = (phase.as_str(), plan.as_str());
        return Some((PlanName::Numbered { phase, plan }, role(word.as_str())));
    }
    if let Some(caps) = NAMED_FILE.captures(name) {
        let (phase, plan, word) = (caps.get(1)?, caps.get(2)?, caps.get(3)?);
        let (phase, plan) = (phase.as_str(), plan.as_str());
        let name = match plan_after_p(plan) {
            Some(plan) => PlanName::Numbered { phase, plan },
            None => PlanName::Named { phase, plan },
        };
        return Some((name, role(word.as_str())));
    }
    let caps = NUMBER_FILE.captures(name)?;
    let number = caps.get(1).map(|m| m.as_str());
    Some((PlanName::Number(number), role(caps.get(2)?.as_str())))
}

/// The ID of the plan a `PLAN` or `SUMMARY` file name is of, its IDs
/// starting with `ids`, and the phase number it belongs to as written
/// (`200-04` of phase `200` for `200-04-preset-onboarding-PLAN.md`).
/// `folder` is the number of the phase folder the file is in, and
/// `front_plan` the `plan:` of a plan's front matter, which names the plan
/// when the file name does not: `PLAN.md` or `01-PLAN.md` with `plan: 02`
/// in folder `01-…` is plan `01-02`. Otherwise `02-PLAN.md` in folder
/// `01-…` is plan `01-02`, and `21-PLAN.md` in folder `21-…` (or
/// `PLAN.md`) is the phase's one plan, `21`, as GSD calls it.
fn plan_file_id<'a>(
    ids: &str,
    folder: Option<&'a str>,
    name: PlanName<'a>,
    front_plan: Option<&str>,
) -> Option<(String, &'a str)> {
    match name {
        PlanName::Numbered { phase, plan } => {
            let (digits, letter) = split_letter(plan);
            Some((plan_id(ids, phase, digits, letter), phase))
        }
        PlanName::Named { phase, plan } => {
            Some((format!("{ids}{}-{plan}", padded_phase(phase)), phase))
        }
        PlanName::Number(number) => {
            let other_phase = match (number, folder) {
                (Some(n), Some(f)) => phase_number(n) != phase_number(f),
                _ => false,
            };
            if let (true, Some(n), Some(f)) = (other_phase, number, folder) {
                if let Some(caps) = BARE_PLAN.captures(n) {
                    return Some((plan_id(ids, f, &caps[1], &caps[2]), f));
                }
            }
            let phase = number.or(folder)?;
            match front_plan
                .map(str::trim)
                .and_then(|p| BARE_PLAN.captures(p))
            {
                Some(caps) => Some((plan_id(ids, phase, &caps[1], &caps[2]), phase)),
                None => Some((format!("{ids}{}", padded_phase(phase)), phase)),
            }
        }
    }
}

/// The plan number of a plan part written with a `P` for "plan" before it
/// (`01` of `P01`): `26-P01-PLAN.md` is plan `26-01`, as `depends_on:
/// [40-P01]` names plan `40-01`.
fn plan_after_p(plan: &str) -> Option<&str> {
    let number = plan.strip_prefix(['P', 'p'])?;
    BARE_PLAN.is_match(number).then_some(number)
}

/// The role of a file of a phase folder, from its name.
fn plan_role(name: &str) -> Option<&'static str> {
    plan_name(name).map(|(_, role)| role)
}

/// The name GSD gives the summary of the plan in the file `name`:
/// `03-01-SUMMARY.md` for `03-01-PLAN.md`, `SUMMARY.md` for `PLAN.md`,
/// `12-SUMMARY-05.md` for `12-PLAN-05.md`.
fn summary_name(name: &str) -> String {
    match name.strip_suffix("PLAN.md") {
        Some(stem) => format!("{stem}SUMMARY.md"),
        None => name.replacen("-PLAN-", "-SUMMARY-", 1),
    }
}

fn place(rel: &str) -> Option<Place<'_>> {
    place_in(rel, &super::PathParts::of(rel))
}

/// [`place`] of a path already split into `parts`.
fn place_in<'a>(rel: &'a str, parts: &[&'a str]) -> Option<Place<'a>> {
    let b = parts.iter().rposition(|p| *p == ".planning")?;
    let mut milestone = None;
    let role = match &parts[b + 1..] {
        ["PROJECT.md"] => PROJECT,
        ["REQUIREMENTS.md"] => REQUIREMENTS,
        ["ROADMAP.md"] => ROADMAP,
        ["STATE.md"] => STATE,
        ["phases", dir, name] if PHASE_DIR.is_match(dir) => plan_role(name)?,
        ["milestones", name] => {
            let version = name
                .strip_suffix("-REQUIREMENTS.md")
                .filter(|v| !v.is_empty())?;
            milestone = Some(version);
            ARCHIVED_REQUIREMENTS
        }
        ["milestones", archive, dir, name] if PHASE_DIR.is_match(dir) => {
            let version = archive.strip_suffix("-phases").filter(|v| !v.is_empty())?;
            milestone = Some(version);
            plan_role(name)?
        }
        // Some teams keep a milestone's plans flat in its archive, without
        // phase folders (`milestones/v1-phases/5-05-PLAN.md`): the file's
        // name gives the phase.
        ["milestones", archive, name] => {
            let version = archive.strip_suffix("-phases").filter(|v| !v.is_empty())?;
            milestone = Some(version);
            plan_role(name)?
        }
        // Older GSD, and some teams by hand, archived a milestone's phase
        // folders under `archive/<version>/`, a folder GSD still lists as
        // its archived milestones.
        ["archive", version, dir, name] if PHASE_DIR.is_match(dir) && !version.is_empty() => {
            milestone = Some(version);
            plan_role(name)?
        }
        _ => return None,
    };
    let scope_len: usize = parts[..b].iter().map(|p| p.len() + 1).sum();
    let dir_len = scope_len + ".planning/".len();
    Some(Place {
        scope: &rel[..scope_len],
        dir: &rel[..dir_len.min(rel.len())],
        role,
        milestone,
    })
}

fn classify(rel: &str, parts: &[&str]) -> Option<&'static str> {
    place_in(rel, parts).map(|p| p.role)
}

/// A planning folder's files read each other: the folder, with its `/`.
fn planning_scope(rel: &str) -> &str {
    place(rel).map_or("", |p| p.dir)
}

/// An ID as GSD writes it: without the scope of its planning folder. An
/// archived plan keeps its milestone (`v1.0/01-01`, its `number`), so
/// that it is not taken for the current plan `01-01`.
fn written_id(item: &Item) -> String {
    let id = item.id.rsplit('/').next().unwrap_or(&item.id);
    match item.kind {
        ItemKind::Phase | ItemKind::Plan => item.number.clone().unwrap_or_else(|| id.to_string()),
        _ => id.to_string(),
    }
}

/// A phase number without leading zeros and with a lower-case letter
/// (`03` and `3` are `3`, `02.1` is `2.1`, `14A` is `14a`).
fn phase_number(raw: &str) -> String {
    raw.split('.')
        .map(|part| {
            let (digits, letter) = split_letter(part);
            let trimmed = digits.trim_start_matches('0');
            let digits = if trimmed.is_empty() { "0" } else { trimmed };
            format!("{digits}{}", letter.to_ascii_lowercase())
        })
        .collect::<Vec<_>>()
        .join(".")
}

/// A number part split before its letter: `("14", "a")` for `14a`, `("3",
/// "")` for `3`.
fn split_letter(part: &str) -> (&str, &str) {
    let at = part
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(part.len());
    part.split_at(at)
}

fn phase_id(scope: &str, number: &str) -> String {
    format!("{scope}phase-{}", phase_number(number))
}

/// The canonical ID of a plan: the phase and plan numbers with two digits
/// at least and a lower-case letter (`3-1` and `03-01` are `03-01`).
fn plan_id(scope: &str, phase: &str, plan: &str, letter: &str) -> String {
    let plan = plan.trim_start_matches('0');
    format!(
        "{scope}{}-{:0>2}{}",
        padded_phase(phase),
        plan,
        letter.to_ascii_lowercase()
    )
}

/// A phase number as a plan's ID writes it: its first part with two
/// digits at least (`3` and `03` are `03`, `2.1` is `02.1`).
fn padded_phase(phase: &str) -> String {
    let mut phase_parts = phase_number(phase)
        .split('.')
        .map(str::to_string)
        .collect::<Vec<_>>();
    if let Some(first) = phase_parts.first_mut() {
        let (digits, letter) = split_letter(first);
        *first = format!("{digits:0>2}{letter}");
    }
    phase_parts.join(".")
}

/// The canonical plan ID of a `depends_on` entry in a plan of `phase` in
/// a file at `place`, or the entry itself (after the scope) when it is not
/// written as a plan ID. `v1.0/01-01` names an archived milestone's plan;
/// a bare plan number (`01`, `"01"`, `1`) names the plan of the same
/// phase.
fn canonical_plan(place: &Place<'_>, phase: &str, raw: &str) -> String {
    let raw = without_plan_file_suffix(raw.trim());
    let (ids, local) = match raw.split_once('/') {
        Some((version, local)) => (format!("{}{version}/", place.scope), local),
        None => (place.ids(), raw),
    };
    if let Some(caps) = PLAN_ID
        .captures(local)
        .or_else(|| WORDED_PLAN.captures(local))
    {
        return plan_id(&ids, &caps[1], &caps[2], &caps[3]);
    }
    // A fix plan (`9-FIX-01`) keeps its word, its phase written as in its
    // ID (`09-FIX-01`).
    if let Some(caps) = NAMED_PLAN.captures(local) {
        if let Some(number) = plan_after_p(&caps[2]) {
            let (digits, letter) = split_letter(number);
            return plan_id(&ids, &caps[1], digits, letter);
        }
        return format!("{ids}{}-{}", padded_phase(&caps[1]), &caps[2]);
    }
    match BARE_PLAN.captures(local) {
        Some(caps) => plan_id(&ids, phase, &caps[1], &caps[2]),
        None => format!("{ids}{local}"),
    }
}

/// A `depends_on` entry without the `-PLAN.md` (in any case) of a plan
/// file's name: `06-01-PLAN.md` names the plan of that file, `06-01`.
fn without_plan_file_suffix(entry: &str) -> &str {
    const SUFFIX: &str = "-plan.md";
    let cut = entry.len().saturating_sub(SUFFIX.len());
    match entry.get(cut..) {
        Some(tail) if cut > 0 && tail.eq_ignore_ascii_case(SUFFIX) => &entry[..cut],
        _ => entry,
    }
}

/// A phase alone (`Phase 3`) and a plan alone (`Plan 4`), the two halves
/// of a plan in words that an unquoted list splits at its comma
/// (`depends_on: [Phase 3, Plan 4]`).
static PHASE_HALF: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^phase\s+\d+[a-z]?(?:\.\d+)*$").expect("valid regex"));
static PLAN_HALF: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^plan\s+\d+[a-z]?$").expect("valid regex"));

/// `depends_on` entries with a `Phase N` entry and the `Plan M` entry right
/// after it joined into the one plan they name (`Phase 3, Plan 4`, which
/// the comma of an unquoted entry splits), spanning both.
fn with_worded_plans_joined(values: Vec<(String, TextRange)>) -> Vec<(String, TextRange)> {
    let mut out: Vec<(String, TextRange)> = Vec::with_capacity(values.len());
    let mut pending_phase: Option<(String, TextRange)> = None;
    for (value, range) in values {
        if let Some((phase, phase_range)) = pending_phase.take() {
            if PLAN_HALF.is_match(&value) {
                out.push((
                    format!("{phase}, {value}"),
                    TextRange::new(phase_range.start(), range.end()),
                ));
                continue;
            }
            out.push((phase, phase_range));
        }
        if PHASE_HALF.is_match(&value) {
            pending_phase = Some((value, range));
        } else {
            out.push((value, range));
        }
    }
    out.extend(pending_phase);
    out
}

/// Whether a `depends_on` entry names a phase rather than a plan: the
/// name of a phase folder (a phase number, then a slug starting with a
/// letter) or a phase alone in words (`Phase 15`, `Phase 3 (algorithms)`,
/// but not `Phase 6 Plan 01`, `Phase 06-01` nor `Phase 6 (Plan 2)`, which
/// stay references to plans).
fn names_phase(entry: &str) -> bool {
    if let Some(caps) = PHASE_ENTRY.captures(entry) {
        let note = caps.get(2).map_or("", |m| m.as_str());
        return !note.to_ascii_lowercase().contains("plan");
    }
    if PLAN_ID.is_match(entry) || NAMED_PLAN.is_match(entry) {
        return false;
    }
    // The slug after the number (and after a project code before it,
    // `CK-03-feed`) starts with a letter.
    PHASE_DIR
        .captures(entry)
        .and_then(|caps| caps.get(1))
        .and_then(|number| entry[number.end()..].strip_prefix('-'))
        .is_some_and(|slug| slug.starts_with(|c: char| c.is_ascii_alphabetic()))
}

/// The phase a plan ID belongs to (`phase-3` for `03-01`, `21` and
/// `03-FIX-01`).
fn phase_of_plan(scope: &str, plan: &str) -> Option<Id> {
    let local = plan.strip_prefix(scope)?;
    let caps = PLAN_PHASE.captures(local)?;
    Some(phase_id(scope, &caps[1]).into())
}

/// A plan is done once its `NN-MM-SUMMARY.md` exists beside it (GSD
/// writes the summary when it has carried the plan out, and counts plans
/// with summaries as complete) or its line in ROADMAP.md is ticked. A
/// shipped milestone's archived plan is history: done, summary or not, as
/// GSD runs it no more.
fn plan_progress(ws: &Workspace, file: &SourceFile, item: &Item) -> Option<Progress> {
    if item.kind != ItemKind::Plan {
        return None;
    }
    let place = place(&file.rel)?;
    if place.milestone.is_some() {
        return Some(Progress::Done);
    }
    let folder = file.rel.rfind('/').map_or("", |i| &file.rel[..=i]);
    let name = &file.rel[folder.len()..];
    if ws
        .file(&format!("{folder}{}", summary_name(name)))
        .is_some()
    {
        return Some(Progress::Done);
    }
    // A summary named with another slug, or none, is the same plan's when
    // its plan number is (GSD pairs them by that number too).
    let ids = place.ids();
    let number = phase_folder(&file.rel).map(|(_, n)| n);
    let summarised = ws.files_in_folder(folder).any(|f| {
        let name = &f.rel[folder.len()..];
        // The name first: the plan graph asks this of every open plan of a
        // phase another depends on, and most files beside it are plans.
        name.contains("SUMMARY")
            && plan_name(name).is_some_and(|(plan, role)| {
                role == SUMMARY
                    && plan_file_id(&ids, number, plan, None).is_some_and(|(id, _)| id == *item.id)
            })
    });
    if summarised {
        return Some(Progress::Done);
    }
    let roadmap = sibling(ws, &place, "ROADMAP.md")?;
    // A phase the roadmap marks complete (its box ticked, or `Complete` in
    // the progress table) has run all its plans, summaries or not (a
    // phase-level `08-SUMMARY.md` stands for them).
    let phase = item.parent.or_else(|| phase_of_plan(place.scope, &item.id));
    let phase_complete = phase.is_some_and(|phase| {
        roadmap
            .facts
            .items
            .iter()
            .any(|p| p.id == phase && p.progress == Some(Progress::Done))
    });
    // A shipped milestone's phase left in `phases/` is history too.
    if phase_complete || in_shipped_phase(ws, &place, &file.rel) {
        return Some(Progress::Done);
    }
    let mention = roadmap
        .facts
        .references
        .iter()
        .find(|r| r.target.as_id() == Some(item.id.as_str()))?;
    ticked(&roadmap.text, mention).then_some(Progress::Done)
}

/// The archived plan of a shipped milestone that a current plan's
/// `depends_on` names by its number alone (`02-01` for `v1.0/02-01`, kept
/// in `milestones/v1.0-phases/02-accounts/`) when no current plan has that
/// number: GSD numbers phases on from one milestone to the next, so the
/// number is the shipped plan's, carried out, and the dependency is met
/// (GSD's own wave computation passes over plans outside the phase). Not
/// when the phase's number is the current milestone's too (a folder of it
/// in `phases/`, or a milestone line still to come that lists it after
/// `/gsd:new-milestone --reset-phase-numbers`): the number then names a
/// plan of the new phase not written yet. Or, state [`TICKED`], a plan
/// whose file is gone but whose line the roadmap ticks (`- [x]
/// 12-05-PLAN.md`, the file removed once carried out), unless the phase was
/// numbered again.
fn shipped_plan(ws: &Workspace, file: &SourceFile, id: &str) -> Option<RetiredItem> {
    let place = place(&file.rel)?;
    if place.milestone.is_some() {
        return None;
    }
    // An ID written with its milestone (`v1.0/02-01`) names that one only.
    let local = id.strip_prefix(place.scope).filter(|l| !l.contains('/'))?;
    let Some(phase) = PLAN_PHASE.captures(local).and_then(|caps| caps.get(1)) else {
        return archived_requirement(ws, &place, local);
    };
    if place.role != PLAN {
        return None;
    }
    let phase = phase_number(phase.as_str());
    let renumbered =
        || ShippedPhases::of(ws, &place).is_some_and(|s| s.milestones.renumbered(&phase));
    // A plan whose file is gone but whose line the roadmap ticks (`- [x]
    // 12-05-PLAN.md`) was carried out: the dependency is met.
    if let Some(roadmap) = sibling(ws, &place, "ROADMAP.md") {
        let ticked_line = roadmap.facts.references.iter().any(|r| {
            r.expects == Some(ItemKind::Plan)
                && r.target.as_id() == Some(id)
                && ticked(&roadmap.text, r)
        });
        if ticked_line && !renumbered() {
            return Some(RetiredItem {
                state: TICKED,
                rel: roadmap.rel.to_string(),
            });
        }
    }
    let current = phase_files(ws, &place, PLAN)
        .into_iter()
        .chain(phase_files(ws, &place, SUMMARY))
        .any(|f| phase_folder(&f.rel).is_some_and(|(_, n)| phase_number(n) == phase));
    if current || renumbered() {
        return None;
    }
    let archived = archived_files(ws, &place, PLAN)
        .into_iter()
        .rev()
        .find(|f| {
            f.facts.items.iter().any(|plan| {
                plan.kind == ItemKind::Plan
                    && plan
                        .id
                        .strip_prefix(place.scope)
                        .and_then(|rest| rest.split_once('/'))
                        .is_some_and(|(_, rest)| rest == local)
            })
        })?;
    Some(RetiredItem {
        state: SHIPPED,
        rel: archived.rel.to_string(),
    })
}

/// The archived requirements file of the latest shipped milestone that
/// defines `requirement` (an ID without scope), when the folder at `place`
/// defines it nowhere else: a plan left in `phases/` by its shipped
/// milestone, or the roadmap's section of a shipped phase, still names the
/// requirement it met there (centik's `INFRA-03`, defined only in
/// `milestones/v1.0-REQUIREMENTS.md`).
fn archived_requirement(
    ws: &Workspace,
    place: &Place<'_>,
    requirement: &str,
) -> Option<RetiredItem> {
    files_under(ws, place, "milestones/", ARCHIVED_REQUIREMENTS)
        .into_iter()
        .rev()
        .find(|archive| {
            let id = format!(
                "{}{}/{requirement}",
                place.scope,
                place_of_archive(&archive.rel)
            );
            archive
                .facts
                .items
                .iter()
                .any(|item| item.kind == ItemKind::Requirement && *item.id == *id)
        })
        .map(|archive| RetiredItem {
            state: ARCHIVED,
            rel: archive.rel.to_string(),
        })
}

/// The state of a requirement that only a shipped milestone's archived
/// requirements define (see [`archived_requirement`]).
const ARCHIVED: &str = "archived";

/// Whether a plan that depends on `missing`, a plan ID that names nothing,
/// may be offered `candidate` as the plan it meant: not itself, and, when
/// both are plan IDs, only a plan of the same phase (and milestone). GSD
/// numbers plans by phase, so `10-05` is no typo of `12-05` (written `05`
/// in phase 12) but another step of the work; and after a milestone
/// numbered its phases again, `01-01` names the new phase 1's plan not
/// written yet, not `02-01`.
pub(crate) fn likely_meant(item: Option<&Item>, missing: &str, candidate: &str) -> bool {
    if item.is_some_and(|i| *i.id == *candidate) {
        return false;
    }
    let phase_of = |id: &str| {
        let (scope, local) = id.rsplit_once('/').unwrap_or(("", id));
        let phase = PLAN_PHASE.captures(local)?.get(1)?.as_str();
        Some((scope.to_string(), phase_number(phase)))
    };
    match (phase_of(missing), phase_of(candidate)) {
        (Some(missing), Some(candidate)) => missing == candidate,
        _ => true,
    }
}

/// Whether the roadmap line of `mention` (`- [x] 02-01: Signup`) has its
/// box ticked.
fn ticked(roadmap: &str, mention: &Reference) -> bool {
    let start = mention.range.start().min(roadmap.len());
    let line_start = roadmap[..start].rfind('\n').map_or(0, |i| i + 1);
    let before = roadmap.get(line_start..start).unwrap_or("");
    before.contains("[x]") || before.contains("[X]")
}

/// The phases a roadmap phase's `**Depends on:**` value names, as GSD's
/// roadmap writes it: `Phase 3`, `Phase 11.1 (note), Phase 12.6 (note)`,
/// `Phases 205-212`, `Phases 209, 211, 221-224`, `Phase 4, 08, and 09`,
/// `Phase 9 (note). Phase 10 (note).`; `Nothing (first phase)` names none.
/// Parenthesised notes, prose after a spaced dash and everything after a
/// semicolon (`Phases 200–205; design must stay compatible with Phases
/// 207–213`) are not read, nor a clause that does not open with a phase
/// number (`Phase 202 MCP substrate` names 202; `v3.9.0 closure` nothing).
/// A range stands for the phases of `phases` (the roadmap's) inside it, the
/// phases inserted between its ends included. IDs are scoped with `scope`.
fn depended_phases(value: &str, scope: &str, phases: &[&Item]) -> Vec<String> {
    depended_phases_at(value, scope, phases)
        .into_iter()
        .map(|(id, _)| id)
        .collect()
}

/// [`depended_phases`], each with where the value writes it: its number,
/// or the whole range that gives it (`205-212`), as offsets in `value`.
fn depended_phases_at(
    value: &str,
    scope: &str,
    phases: &[&Item],
) -> Vec<(String, std::ops::Range<usize>)> {
    if crate::analysis::parse::refs::says_none(value) {
        return Vec::new();
    }
    // Notes and prose are blanked with their offsets kept: an offset in
    // `whole` is one in `value`.
    let whole = crate::analysis::parse::refs::dependency_part(value);
    let part = whole.split(';').next().unwrap_or("");
    let offset_of = |piece: &str| piece.as_ptr() as usize - whole.as_ptr() as usize;
    let mut out = Vec::new();
    // Whether the clause before named phases, so that a bare number goes on
    // its list (`Phase 4, 08`).
    let mut listing = false;
    for clause in CLAUSE_BREAK.split(part) {
        let clause = clause.trim();
        // Two breaks in a row (`, and`) leave an empty clause between.
        if clause.is_empty() {
            continue;
        }
        let rest = match PHASE_WORD.find(clause) {
            Some(word) => &clause[word.end()..],
            None if listing => clause,
            None => continue,
        };
        let Some(caps) = PHASE_REFERENCE.captures(rest) else {
            listing = false;
            continue;
        };
        listing = true;
        let (Some(first), last) = (caps.get(1), caps.get(2)) else {
            continue;
        };
        let at = offset_of(rest);
        let Some(last) = last else {
            out.push((
                phase_id(scope, first.as_str()),
                at + first.start()..at + first.end(),
            ));
            continue;
        };
        let (low, high) = (phase_key(first.as_str()), phase_key(last.as_str()));
        out.extend(
            phases
                .iter()
                .filter(|p| {
                    let key = phase_key(p.number.as_deref().unwrap_or(""));
                    low <= key && key <= high
                })
                .map(|p| (p.id.to_string(), at + first.start()..at + last.end())),
        );
    }
    out
}

/// The phases each roadmap phase's `**Depends on:**` line names, as
/// mentions: hover, go to definition and find references reach them. The
/// plan reads the line itself (see [`plans_of_depended_phases`]).
fn phase_dependency_mentions(
    input: &ParseInput<'_>,
    place: &Place<'_>,
    items: &[Item],
) -> Vec<Reference> {
    let phases: Vec<&Item> = items.iter().filter(|i| i.kind == ItemKind::Phase).collect();
    let mut out = Vec::new();
    for phase in &phases {
        let Some(field) = phase.field("depends on") else {
            continue;
        };
        let start = field.value_range.start();
        let Some(value) = input.text.get(start..field.value_range.end()) else {
            continue;
        };
        for (id, at) in depended_phases_at(value, place.scope, &phases) {
            let range = TextRange::new(start + at.start, start + at.end);
            out.push(Reference {
                target: Target::Id(id.into()),
                written: input.outline.slice_at(range),
                range,
                role: RefRole::Mention,
                expects: Some(ItemKind::Phase),
            });
        }
    }
    out
}

/// The plans a plan waits for because ROADMAP.md says its phase depends on
/// other phases (`**Depends on:** Phase 3`): the plans of those phases not
/// yet carried out, GSD's manager running a phase once the phases it
/// depends on are complete. A phase the roadmap marks complete holds
/// nothing back, nor does a plan carried out (a summary, a ticked line),
/// nor a phase without a `Depends on` line: GSD's manager runs such phases
/// side by side, the roadmap's order being only the order its one-at-a-time
/// runner takes them in. A plan carried out waits for nothing, and a
/// shipped milestone's plans are history.
fn plans_of_depended_phases(ws: &Workspace, file: &SourceFile, item: &Item) -> Vec<Id> {
    let (Some(place), Some(phase)) = (place(&file.rel), item.parent) else {
        return Vec::new();
    };
    if item.kind != ItemKind::Plan
        || place.role != PLAN
        || place.milestone.is_some()
        || plan_progress(ws, file, item) == Some(Progress::Done)
    {
        return Vec::new();
    }
    let Some(roadmap) = sibling(ws, &place, "ROADMAP.md") else {
        return Vec::new();
    };
    let phases: Vec<&Item> = roadmap
        .facts
        .items
        .iter()
        .filter(|i| i.kind == ItemKind::Phase)
        .collect();
    let Some(value) = phases
        .iter()
        .find(|p| p.id == phase)
        .and_then(|p| p.field_value(&roadmap.text, "depends on"))
    else {
        return Vec::new();
    };
    let depended: HashSet<Id> = depended_phases(value, place.scope, &phases)
        .into_iter()
        .map(Id::from)
        .filter(|id| *id != phase)
        .filter(|id| !phases.iter().any(|p| p.id == *id && p.is_done()))
        .collect();
    if depended.is_empty() {
        return Vec::new();
    }
    let mut open: Vec<&Item> = Vec::new();
    for plan_file in phase_files(ws, &place, PLAN) {
        for plan in &plan_file.facts.items {
            if plan.kind == ItemKind::Plan
                && plan.parent.is_some_and(|p| depended.contains(&p))
                && plan_progress(ws, plan_file, plan) != Some(Progress::Done)
            {
                open.push(plan);
            }
        }
    }
    let mut out = last_of(&open);
    // A phase the roadmap lists as open that has no plans yet holds its
    // dependents back until it is planned and carried out: waiting for the
    // phase itself, which is no work of the plan, says so.
    let unplanned: Vec<Id> = phases
        .iter()
        .map(|p| p.id)
        .filter(|id| depended.contains(id) && !open.iter().any(|plan| plan.parent == Some(*id)))
        .collect();
    if !unplanned.is_empty() {
        let planned = planned_phases(ws, &place);
        out.extend(unplanned.into_iter().filter(|id| !planned.contains(id)));
    }
    out
}

/// The phases of a planning folder that have plans: a plan file, a summary
/// or a ticked plan line of the roadmap (`- [x] 02-01: Signup`; either way
/// the plan carried out and its file perhaps gone since), or an archived
/// phase folder of that number (see [`ARCHIVES`]) unless a new milestone
/// numbered the phase again. An unticked plan line
/// (`- [ ] 02-01: Signup`, as GSD's roadmap template lists plans before
/// they are written) plans nothing yet.
fn planned_phases(ws: &Workspace, place: &Place<'_>) -> HashSet<Id> {
    let mut planned: HashSet<Id> = plans(ws, place)
        .into_iter()
        .filter_map(|p| p.parent)
        .collect();
    let phase_of_file = |rel: &str| -> Option<Id> {
        let name = rel.rsplit('/').next()?;
        let (plan, _) = plan_name(name)?;
        let folder = phase_folder(rel).map(|(_, n)| n);
        let (_, phase) = plan_file_id(place.scope, folder, plan, None)?;
        Some(phase_id(place.scope, phase).into())
    };
    planned.extend(summaries(ws, place).into_iter().filter_map(phase_of_file));
    // So were the phases of a shipped milestone, archived with their
    // plans under `milestones/<version>-phases/` (or `archive/<version>/`),
    // but for a number a new milestone numbered again
    // (`--reset-phase-numbers`): the roadmap's phase of that number is the
    // new one, and the shipped phase plans nothing of it.
    let shipped = ShippedPhases::of(ws, place);
    let renumbered = |phase: &Id| {
        shipped.as_ref().is_some_and(|shipped| {
            let number = phase.rsplit("phase-").next().unwrap_or("");
            shipped.milestones.renumbered(number)
        })
    };
    planned.extend(
        [PLAN, SUMMARY]
            .into_iter()
            .flat_map(|role| archived_files(ws, place, role))
            .filter_map(|f| phase_of_file(&f.rel))
            .filter(|phase| !renumbered(phase)),
    );
    if let Some(roadmap) = sibling(ws, place, "ROADMAP.md") {
        planned.extend(roadmap.facts.references.iter().filter_map(|r| {
            if r.expects != Some(ItemKind::Plan) || !ticked(&roadmap.text, r) {
                return None;
            }
            phase_of_plan(place.scope, r.target.as_id()?)
        }));
    }
    planned
}

/// The IDs of the plans of `open` that no other plan of `open` waits for,
/// save through a cycle they share: waiting for those is waiting for all
/// of `open` (each other plan is on the way to one of them), with a few
/// edges in the graph where waiting for each would draw one from every
/// plan of a phase to every plan of the phases it depends on. A plan in
/// a cycle stays, so that what waits for it is held back by the cycle.
fn last_of(open: &[&Item]) -> Vec<Id> {
    let index: HashMap<Id, usize> = open.iter().enumerate().map(|(i, p)| (p.id, i)).collect();
    // The plans of `open` each one names in its `depends_on`.
    let waits_for: Vec<Vec<usize>> = open
        .iter()
        .map(|plan| {
            plan.deps
                .iter()
                .filter_map(|d| index.get(&d.target.id()?).copied())
                .collect()
        })
        .collect();
    let reaches = |from: usize, to: usize| {
        let mut seen = vec![false; open.len()];
        let mut stack = vec![from];
        while let Some(at) = stack.pop() {
            if at == to {
                return true;
            }
            for &next in &waits_for[at] {
                if !std::mem::replace(&mut seen[next], true) {
                    stack.push(next);
                }
            }
        }
        false
    };
    let mut out: Vec<Id> = Vec::new();
    for (i, plan) in open.iter().enumerate() {
        let waited_for = waits_for
            .iter()
            .enumerate()
            .any(|(j, deps)| j != i && deps.contains(&i) && !reaches(i, j));
        if !waited_for && !out.contains(&plan.id) {
            out.push(plan.id);
        }
    }
    out
}

fn parse(input: &ParseInput<'_>, facts: &mut FileFacts) {
    let Some(place) = place(input.rel) else {
        return;
    };
    match input.role {
        PLAN => parse_plan(input, &place, facts),
        REQUIREMENTS | ARCHIVED_REQUIREMENTS => parse_requirements(input, &place, facts),
        ROADMAP => {
            let later_requirements = parse_roadmap(input, &place, facts);
            for phase in &mut facts.items {
                if let Some(value) = phase.field("requirements").map(|f| f.value_range) {
                    phase.covers = phase_requirements(input, &place, value);
                    phase.covers_field = Some(value);
                }
            }
            if !later_requirements.is_empty() {
                let at: HashMap<String, usize> = facts
                    .items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| (item.id.to_string(), i))
                    .collect();
                for (id, value) in later_requirements {
                    if let Some(&i) = at.get(&id) {
                        let listed = phase_requirements(input, &place, value);
                        facts.items[i].covers.extend(listed);
                    }
                }
            }
            let mentions = phase_dependency_mentions(input, &place, &facts.items);
            facts.references.extend(mentions);
        }
        _ => {}
    }
}

/// The plan of a `NN-MM-PLAN.md` file: its ID from the file name, its
/// dependencies and requirements from the front matter.
fn parse_plan(input: &ParseInput<'_>, place: &Place<'_>, facts: &mut FileFacts) {
    let text = input.text;
    let name = input.rel.rsplit('/').next().unwrap_or(input.rel);
    let Some((plan_name, _)) = plan_name(name) else {
        return;
    };
    let ids = place.ids();
    let front = yaml::front_matter(text);
    let entries = front
        .as_ref()
        .map_or_else(Vec::new, |fm| front_matter_keys(text, fm));
    let entries = entries.as_slice();
    let front_plan = yaml::get(entries, "plan")
        .and_then(Entry::scalar)
        .map(|s| s.value.as_str());
    let folder = phase_folder(input.rel).map(|(_, n)| n);
    let Some((id, phase)) = plan_file_id(&ids, folder, plan_name, front_plan) else {
        return;
    };
    let def_range = yaml::get(entries, "plan")
        .and_then(Entry::scalar)
        .map_or(TextRange::empty(0), |s| s.inner);
    let mut item = Item::new(ItemKind::Plan, id, def_range);
    item.range = TextRange::new(0, text.len());
    item.parent = Some(phase_id(&ids, phase).into());
    if let Some(version) = place.milestone {
        item.number = Some(format!("{version}/{}", without_scope(&item.id)));
    }
    item.title = plan_title(text, front.as_ref().map_or(0, |fm| fm.range.end()))
        .unwrap_or_else(|| format!("Plan {}", without_scope(&item.id)))
        .into();
    item.fields = scalar_fields(text, entries);
    if let Some(entry) = yaml::get(entries, "depends_on") {
        let (values, field) = entry_values(text, &entry.value);
        item.deps_field = field.or_else(|| entry.empty_value_at(text));
        for (value, range) in with_worded_plans_joined(values) {
            // A phase folder's name (`14a-integration-fixes`) or a phase
            // (`Phase 15`) names no plan: GSD schedules a plan within its
            // phase and leaves out an entry that is none of the phase's
            // plans, and the roadmap's `**Depends on:**` orders phases.
            if names_phase(without_plan_file_suffix(value.trim())) {
                continue;
            }
            item.deps.push(Reference {
                target: Target::Id(canonical_plan(place, phase, &value).into()),
                written: input.outline.slice_at(range),
                range,
                role: RefRole::Dependency,
                expects: Some(ItemKind::Plan),
            });
        }
    }
    // Planners in many projects name the key `requirements_addressed`
    // (`requirements_addressed: [STOR-01, STOR-03]`): it lists the same IDs,
    // and is read when the plan has no `requirements:` of its own.
    if let Some(entry) =
        yaml::get(entries, "requirements").or_else(|| yaml::get(entries, "requirements_addressed"))
    {
        let (values, field) = entry_values(text, &entry.value);
        item.covers_field = field.or_else(|| entry.empty_value_at(text));
        // A range (`QA-01..15`) covers each requirement in it.
        for (value, range) in values {
            for requirement in requirement_ids(&value) {
                item.covers.push(Reference {
                    target: Target::Id(format!("{}{requirement}", place.scope).into()),
                    written: input.outline.slice_at(range),
                    range,
                    role: RefRole::Covers,
                    expects: Some(ItemKind::Requirement),
                });
            }
        }
    }
    facts.items.push(item);
}

/// Whether a front matter block has its closing fence.
fn closed(text: &str, fm: &FrontMatter) -> bool {
    let block = &text[fm.range.start()..fm.range.end()];
    block
        .trim_end_matches(['\r', '\n'])
        .rsplit('\n')
        .next()
        .is_some_and(|last| last.trim_end() == "---")
        && block.trim_end().len() > 3
}

/// The top-level keys of a plan's front matter. GSD reads front matter
/// line by line, not as strict YAML: a value it never looks at (a
/// `must_haves` pattern with `\.` in double quotes) does not hide the
/// keys it reads. So the keys are read as YAML when the block is valid,
/// else line by line as GSD does.
fn front_matter_keys(text: &str, fm: &FrontMatter) -> Vec<Entry> {
    match &fm.keys {
        Ok(entries) => entries.clone(),
        Err(_) if closed(text, fm) => lenient_keys(text, fm.range),
        Err(_) => Vec::new(),
    }
}

static TOP_KEY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^([A-Za-z0-9_-]+):[ \t]*(.*?)[ \t]*$").expect("valid regex"));
static BLOCK_ITEM: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[ \t]*-[ \t]+(.*?)[ \t]*$").expect("valid regex"));

/// The keys of a front matter block read line by line: `key: value`,
/// `key: [a, b]`, and `key:` followed by `- a` lines.
fn lenient_keys(text: &str, block: TextRange) -> Vec<Entry> {
    let mut entries: Vec<Entry> = Vec::new();
    // The block list being read, and whether a line of it was not a
    // plain `- value` (a list of mappings, which planmark does not read).
    let mut open: Option<(Vec<yaml::Item>, TextRange, bool)> = None;
    let finish = |entries: &mut Vec<Entry>,
                  open: &mut Option<(Vec<yaml::Item>, TextRange, bool)>| {
        if let (Some((items, range, nested)), Some(entry)) = (open.take(), entries.last_mut()) {
            entry.value = if nested {
                Value::Other
            } else if items.is_empty() {
                Value::Null
            } else {
                Value::List { items, range }
            };
        }
    };
    for line in lines_in(text, block) {
        let raw = &text[line.start()..line.end()];
        if raw.trim_end() == "---" || raw.trim().is_empty() || raw.trim_start().starts_with('#') {
            continue;
        }
        if let Some(caps) = TOP_KEY.captures(raw) {
            finish(&mut entries, &mut open);
            let (Some(key), Some(value)) = (caps.get(1), caps.get(2)) else {
                continue;
            };
            let key_range = TextRange::new(line.start() + key.start(), line.start() + key.end());
            let value_range =
                TextRange::new(line.start() + value.start(), line.start() + value.end());
            let written = value.as_str();
            let value = if written.is_empty() {
                open = Some((Vec::new(), value_range, false));
                Value::Null
            } else if written.starts_with('[') && written.ends_with(']') {
                let items = flow_items(text, value_range)
                    .into_iter()
                    .map(yaml::Item::Scalar)
                    .collect();
                Value::List {
                    items,
                    range: value_range,
                }
            } else {
                Value::Scalar(scalar_at(text, value_range))
            };
            entries.push(Entry {
                key: key.as_str().to_string(),
                key_range,
                value,
            });
            continue;
        }
        let Some((items, range, nested)) = open.as_mut() else {
            continue;
        };
        match BLOCK_ITEM.captures(raw).and_then(|caps| caps.get(1)) {
            Some(item) if !item.as_str().contains(": ") && !item.as_str().ends_with(':') => {
                let at = TextRange::new(line.start() + item.start(), line.start() + item.end());
                if items.is_empty() {
                    *range =
                        TextRange::new(line.start() + raw.len() - raw.trim_start().len(), at.end());
                } else {
                    *range = range.with_end(at.end());
                }
                items.push(yaml::Item::Scalar(scalar_at(text, at)));
            }
            _ => *nested = true,
        }
    }
    finish(&mut entries, &mut open);
    entries
}

/// A scalar written at `range`, its quotes taken off.
fn scalar_at(text: &str, range: TextRange) -> yaml::Scalar {
    let written = &text[range.start()..range.end()];
    let quoted = written.len() >= 2
        && (written.starts_with('"') && written.ends_with('"')
            || written.starts_with('\'') && written.ends_with('\''));
    let inner = if quoted {
        TextRange::new(range.start() + 1, range.end() - 1)
    } else {
        range
    };
    yaml::Scalar {
        value: text[inner.start()..inner.end()].to_string(),
        range,
        inner,
        quoted,
    }
}

/// The entries of a flow list written at `range` (`[a, "b"]`).
fn flow_items(text: &str, range: TextRange) -> Vec<yaml::Scalar> {
    let inner = TextRange::new(
        range.start() + 1,
        range.end().saturating_sub(1).max(range.start() + 1),
    );
    let mut out = Vec::new();
    let mut pos = inner.start();
    for part in text[inner.start()..inner.end()].split(',') {
        let at = trim_range(text, TextRange::new(pos, pos + part.len()));
        if !at.is_empty() {
            out.push(scalar_at(text, at));
        }
        pos += part.len() + 1;
    }
    out
}

/// The values of a list, or of a scalar holding a comma-separated list,
/// each with where it is written (without quotes), and the range of the
/// whole value (where completion offers items).
fn entry_values(text: &str, value: &Value) -> (Vec<(String, TextRange)>, Option<TextRange>) {
    match value {
        Value::List { items, range } => {
            let values = items
                .iter()
                .filter_map(|item| match item {
                    yaml::Item::Scalar(s) if !s.value.trim().is_empty() => {
                        Some((s.value.trim().to_string(), trim_range(text, s.inner)))
                    }
                    _ => None,
                })
                .collect();
            (values, Some(*range))
        }
        Value::Scalar(s) => {
            let mut values = Vec::new();
            let mut pos = s.inner.start();
            for part in text[s.inner.start()..s.inner.end()].split(',') {
                let range = trim_range(text, TextRange::new(pos, pos + part.len()));
                let value = text[range.start()..range.end()].trim_matches(['"', '\'']);
                if !value.is_empty() {
                    values.push((value.to_string(), range));
                }
                pos += part.len() + 1;
            }
            (values, Some(s.inner))
        }
        Value::Null | Value::Other => (Vec::new(), None),
    }
}

/// A plan's title: its first heading after the front matter, else the
/// first line of its `<objective>` element.
fn plan_title(text: &str, body_start: usize) -> Option<String> {
    let body = text.get(body_start..)?;
    let mut in_objective = false;
    for line in body.lines() {
        let line = line.trim();
        if let Some(heading) = line.strip_prefix('#') {
            let title = heading.trim_start_matches('#').trim();
            // `# Plan 07-01: Attribute extraction` says the ID again.
            let title = PLAN_PREFIX
                .find(title)
                .map_or(title, |m| title[m.end()..].trim());
            if !title.is_empty() {
                return Some(title.to_string());
            }
        }
        let line = match line.strip_prefix("<objective>") {
            // `<objective>Sign up</objective>` on one line.
            Some(inline) => {
                in_objective = true;
                inline.trim()
            }
            None if line.starts_with("<objective") => {
                in_objective = true;
                continue;
            }
            None => line,
        };
        let line = match line.strip_suffix("</objective>") {
            Some(before) => before.trim(),
            None if in_objective && line.starts_with("</objective") => {
                in_objective = false;
                continue;
            }
            None => line,
        };
        if in_objective && !line.is_empty() {
            return Some(first_sentence(line).to_string());
        }
    }
    None
}

/// The first sentence of an objective's first line, which is often a
/// paragraph: up to a full stop followed by a space, unless the stop ends
/// an abbreviation (`e.g.`) or leaves too little to name the plan.
fn first_sentence(line: &str) -> &str {
    const SHORTEST: usize = 12;
    let mut from = 0;
    while let Some(at) = line.get(from..).and_then(|rest| rest.find(". ")) {
        let end = from + at;
        let head = &line[..end];
        let word = head.rsplit(' ').next().unwrap_or(head);
        let abbreviation = matches!(
            word.to_ascii_lowercase().as_str(),
            "e.g" | "i.e" | "etc" | "vs" | "cf" | "approx"
        );
        if !abbreviation && head.chars().count() >= SHORTEST {
            return head;
        }
        from = end + ". ".len();
    }
    line
}

/// The front matter's scalar entries as fields (`wave`, `type`,
/// `autonomous`).
fn scalar_fields(text: &str, entries: &[Entry]) -> Vec<Field> {
    entries
        .iter()
        .filter_map(|entry| entry.scalar_field(text))
        .collect()
}

/// The requirement IDs a written ID or range stands for: `QA-01..15` is
/// `QA-01` to `QA-15`, each number as wide as the first one is written. A
/// range that is backwards, longer than [`MAX_REQUIREMENT_RANGE`] or that
/// changes its prefix (`QA-01..UX-03`) is read as one ID, as written.
fn requirement_ids(written: &str) -> Vec<String> {
    let as_written = || vec![written.to_string()];
    let Some(caps) = REQUIREMENT_RANGE.captures(written) else {
        return as_written();
    };
    let prefix = &caps[1];
    if caps.get(3).is_some_and(|again| again.as_str() != prefix) {
        return as_written();
    }
    let (Ok(first), Ok(last)) = (caps[2].parse::<u32>(), caps[4].parse::<u32>()) else {
        return as_written();
    };
    if first > last || last - first >= MAX_REQUIREMENT_RANGE {
        return as_written();
    }
    let width = caps[2].len();
    (first..=last)
        .map(|number| format!("{prefix}{number:0width$}"))
        .collect()
}

/// The requirements of REQUIREMENTS.md: each `**ID**` list line, each
/// requirement of a `**QA-01..15**` line, each heading that starts with
/// an ID (`### R-01: Sweep`), and each row of a table whose
/// first column is headed `ID` or `Requirement` that no list line or
/// earlier row defines (so a traceability table, `| AUTH-01 | Phase 1 |
/// Complete |`, repeats no requirement the file lists).
fn parse_requirements(input: &ParseInput<'_>, place: &Place<'_>, facts: &mut FileFacts) {
    parse_requirement_lines(input, place, facts);
    parse_requirement_headings(input, place, facts);
    parse_requirement_tables(input, place, facts);
}

/// The IDs of the requirements `facts` defines so far.
fn requirements_defined(facts: &FileFacts) -> HashSet<String> {
    facts
        .items
        .iter()
        .filter(|i| i.kind == ItemKind::Requirement)
        .map(|i| i.id.as_str().to_string())
        .collect()
}

/// The requirements of REQUIREMENTS.md written as headings that start
/// with their ID (`### R-01: Performance & Security Sweep`, the section
/// below holding its details), as some teams write GSD's requirements.
/// An ID a requirement line defines is skipped.
fn parse_requirement_headings(input: &ParseInput<'_>, place: &Place<'_>, facts: &mut FileFacts) {
    let ids = place.ids();
    let mut defined = requirements_defined(facts);
    let headings = &input.outline.headings;
    for (i, heading) in headings.iter().enumerate() {
        let written = &input.text[heading.text_range.start()..heading.text_range.end()];
        let Some(caps) = REQUIREMENT_HEADING.captures(written) else {
            continue;
        };
        let Some(id) = caps.get(1) else {
            continue;
        };
        let full_id = format!("{ids}{}", id.as_str());
        if !defined.insert(full_id.clone()) {
            continue;
        }
        let start = heading.text_range.start() + id.start();
        let mut item = Item::new(
            ItemKind::Requirement,
            full_id,
            TextRange::new(start, start + id.len()),
        );
        let end = headings[i + 1..]
            .iter()
            .find(|next| next.level <= heading.level)
            .map_or(input.text.len(), |next| next.range.start());
        item.range = TextRange::new(heading.range.start(), end);
        item.title = caps
            .get(2)
            .map(|m| m.as_str().trim().to_string())
            .filter(|t| !t.is_empty())
            .unwrap_or_else(|| id.as_str().to_string())
            .into();
        facts.items.push(item);
    }
}

/// The requirements of REQUIREMENTS.md's `**ID**` list lines.
fn parse_requirement_lines(input: &ParseInput<'_>, place: &Place<'_>, facts: &mut FileFacts) {
    let text = input.text;
    // An archive may keep the sections of older milestones, which reused
    // IDs (`## v2.7 Requirements (Complete)` under v2.8's): its first
    // definition of an ID is the one read.
    let mut archived = HashSet::new();
    for line in lines_in(text, TextRange::new(0, text.len())) {
        if is_ignored(&input.outline.ignored, line.start()) {
            continue;
        }
        let Some(caps) = REQUIREMENT_LINE.captures(&text[line.start()..line.end()]) else {
            continue;
        };
        let Some(id) = caps.get(2) else {
            continue;
        };
        let def_range = TextRange::new(line.start() + id.start(), line.start() + id.end());
        let progress = caps.get(1).map(|mark| {
            if mark.as_str().eq_ignore_ascii_case("x") {
                Progress::Done
            } else {
                Progress::NotStarted
            }
        });
        for requirement in requirement_ids(id.as_str()) {
            if place.milestone.is_some() && !archived.insert(requirement.clone()) {
                continue;
            }
            let mut item = Item::new(
                ItemKind::Requirement,
                format!("{}{requirement}", place.ids()),
                def_range,
            );
            item.range = line;
            item.title = caps
                .get(3)
                .map(|m| m.as_str().trim().to_string())
                .filter(|t| !t.is_empty())
                .unwrap_or_else(|| requirement.clone())
                .into();
            item.progress = progress;
            facts.items.push(item);
        }
    }
}

/// What a table of REQUIREMENTS.md holds, read from its header row.
#[derive(Clone, Copy, PartialEq, Eq)]
enum RequirementTable {
    /// Requirements: each row's first cell an ID, its second the title.
    Defines,
    /// A traceability table, `| Requirement | Phase | Status |`: each
    /// row's first cell names a requirement defined elsewhere.
    Maps,
    /// Anything else (`| Feature | Reason |`).
    Other,
}

/// The requirements of REQUIREMENTS.md's tables whose first column is
/// headed `ID`, `Req` or `Requirement`: each row's first cell is an ID,
/// its second cell the title. An ID the file already defines is skipped.
/// A traceability table (its second column headed `Phase`) defines none:
/// each of its rows mentions the requirement it maps, so that a row alone
/// (`| AUTH-09 | Phase 2 | Complete |`) is no requirement; but for one the
/// file writes as a heading, which the row defines as before.
fn parse_requirement_tables(input: &ParseInput<'_>, place: &Place<'_>, facts: &mut FileFacts) {
    let text = input.text;
    let ids = place.ids();
    let mut defined = requirements_defined(facts);
    // What the table whose rows are read holds; `None` outside any table.
    let mut in_table: Option<RequirementTable> = None;
    for line in lines_in(text, TextRange::new(0, text.len())) {
        let row = &text[line.start()..line.end()];
        if !row.trim_start().starts_with('|') || is_ignored(&input.outline.ignored, line.start()) {
            in_table = None;
            continue;
        }
        let cells = table_cells(row);
        let Some(&(first_start, first)) = cells.first() else {
            continue;
        };
        let Some(table) = in_table else {
            // The first row of a table is its header.
            let second = cells.get(1).map_or("", |&(_, cell)| cell);
            in_table = Some(if !REQUIREMENT_TABLE_HEADER.is_match(first) {
                RequirementTable::Other
            } else if PHASE_COLUMN_HEADER.is_match(second) {
                RequirementTable::Maps
            } else {
                RequirementTable::Defines
            });
            continue;
        };
        if table == RequirementTable::Other || TABLE_DELIMITER.is_match(row) {
            continue;
        }
        let Some(caps) = REQUIREMENT_CELL.captures(first) else {
            continue;
        };
        let Some(id) = caps.get(2) else {
            continue;
        };
        let start = line.start() + first_start + id.start();
        let requirement = id.as_str().to_string();
        // A requirement the file writes as a heading (`#### 6.1.1. REQ-001:
        // Per-file locking`) rather than as a requirement line has its
        // traceability row as its entry, as before.
        let headed = || {
            input.outline.headings.iter().any(|h| {
                h.text
                    .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
                    .any(|word| word == requirement)
            })
        };
        if table == RequirementTable::Maps && !headed() {
            let range = TextRange::new(start, start + id.len());
            facts.references.push(Reference {
                target: Target::Id(format!("{}{requirement}", place.ids()).into()),
                written: input.outline.slice_at(range),
                range,
                role: RefRole::Mention,
                expects: Some(ItemKind::Requirement),
            });
            continue;
        }
        let full_id = format!("{ids}{requirement}");
        if !defined.insert(full_id.clone()) {
            continue;
        }
        let mut item = Item::new(
            ItemKind::Requirement,
            full_id,
            TextRange::new(start, start + id.len()),
        );
        item.range = line;
        item.title = cells
            .get(1)
            .map(|&(_, title)| title.to_string())
            .filter(|t| !t.is_empty())
            .unwrap_or(requirement)
            .into();
        facts.items.push(item);
    }
}

/// The cells of a table row, each trimmed, with its offset in the row.
fn table_cells(row: &str) -> Vec<(usize, &str)> {
    let inner_start = row.find('|').map_or(0, |i| i + 1);
    let inner = row[inner_start..].trim_end();
    let inner = inner.strip_suffix('|').unwrap_or(inner);
    let mut cells = Vec::new();
    let mut offset = inner_start;
    for cell in inner.split('|') {
        let leading = cell.len() - cell.trim_start().len();
        cells.push((offset + leading, cell.trim()));
        offset += cell.len() + 1;
    }
    cells
}

/// The phases of ROADMAP.md: each `Phase N` heading, and each `- [ ]
/// **Phase N: Name**` line of a phase no heading defines. A line's box
/// gives the phase's progress.
fn parse_roadmap(
    input: &ParseInput<'_>,
    place: &Place<'_>,
    facts: &mut FileFacts,
) -> Vec<(String, TextRange)> {
    let text = input.text;
    let headings = &input.outline.headings;
    let mut checked: HashMap<String, (bool, TextRange, String)> = HashMap::new();
    let mut line_order: Vec<String> = Vec::new();
    // Read only when a phase is listed twice.
    let mut milestones: Option<MilestoneLines> = None;
    for line in lines_in(text, TextRange::new(0, text.len())) {
        if is_ignored(&input.outline.ignored, line.start()) {
            continue;
        }
        let Some(caps) = PHASE_LINE.captures(&text[line.start()..line.end()]) else {
            continue;
        };
        let (Some(mark), Some(number)) = (caps.get(1), caps.get(2).or_else(|| caps.get(4))) else {
            continue;
        };
        let id = phase_id(place.scope, number.as_str());
        let listed_before = checked.contains_key(&id);
        // A phase numbered again by a new milestone (`/gsd:new-milestone
        // --reset-phase-numbers`) is listed for the shipped milestone,
        // collapsed (`- [x] Phase 2: Accounts (1/1 plans) — completed`), and
        // again for the new one, after it: the later line is the phase of
        // the roadmap. Otherwise the first line says it.
        if listed_before
            && !milestones
                .get_or_insert_with(|| MilestoneLines::of(text))
                .renumbered(&phase_number(number.as_str()))
        {
            continue;
        }
        let range = TextRange::new(line.start() + number.start(), line.start() + number.end());
        let title = match (caps.get(3), caps.get(5)) {
            (Some(bold), _) => bold.as_str(),
            (None, Some(plain)) => {
                let plain = plain.as_str();
                PHASE_LINE_NOTE
                    .find(plain)
                    .map_or(plain, |note| &plain[..note.start()])
            }
            (None, None) => "",
        }
        .trim()
        .to_string();
        checked.insert(
            id.clone(),
            (mark.as_str().eq_ignore_ascii_case("x"), range, title),
        );
        if !listed_before {
            line_order.push(id);
        }
    }
    let plan_lines = plan_mentions(input, place, facts);
    let table = progress_table(input, place);
    // A phase's progress: its overview line's box, else its row of the
    // progress table, else its plan lines' boxes (all ticked: done).
    let progress_of_phase = |id: &str| -> Option<Progress> {
        if let Some((done, _, _)) = checked.get(id) {
            return Some(if *done {
                Progress::Done
            } else {
                Progress::NotStarted
            });
        }
        if let Some(progress) = table.get(id) {
            return Some(*progress);
        }
        let boxes: Vec<bool> = plan_lines
            .iter()
            .filter(|l| l.phase == id)
            .filter_map(|l| l.done)
            .collect();
        match (boxes.iter().all(|&d| d), boxes.iter().any(|&d| d)) {
            _ if boxes.is_empty() => None,
            (true, _) => Some(Progress::Done),
            (false, true) => Some(Progress::InProgress),
            (false, false) => Some(Progress::NotStarted),
        }
    };
    let mut seen: HashSet<String> = HashSet::new();
    let mut later_sections = Vec::new();
    for (i, heading) in headings.iter().enumerate() {
        let Some(caps) = PHASE_HEADING.captures(heading.text.trim()) else {
            continue;
        };
        let number = &caps[1];
        let id = phase_id(place.scope, number);
        let end = headings[i + 1..]
            .iter()
            .find(|next| next.level <= heading.level)
            .map_or(text.len(), |next| next.range.start());
        if !seen.insert(id.clone()) {
            // A milestone that numbered its phases again has a phase of
            // each number for itself; otherwise GSD's commands read the
            // first section of a number only.
            if !milestones
                .get_or_insert_with(|| MilestoneLines::of(text))
                .renumbered(&phase_number(number))
            {
                later_sections.push(LaterSection {
                    id,
                    heading: heading.text_range,
                    body: TextRange::new(heading.range.end(), end),
                });
            }
            continue;
        }
        let mut item = Item::new(ItemKind::Phase, id.clone(), heading.range);
        item.range = TextRange::new(heading.range.start(), end);
        item.number = Some(phase_number(number));
        item.title = caps[2].trim().trim_end_matches('*').trim().into();
        if item.title.is_empty() {
            item.title = format!("Phase {}", phase_number(number)).into();
        }
        item.fields = crate::analysis::parse::fields(
            &input.outline.base,
            TextRange::new(heading.range.end(), end),
            &input.outline.ignored,
        );
        item.progress = progress_of_phase(&id);
        facts.items.push(item);
    }
    let later_requirements = read_later_sections(input, facts, later_sections);
    for id in line_order {
        if seen.contains(&id) {
            continue;
        }
        let Some((done, range, title)) = checked.remove(&id) else {
            continue;
        };
        let mut item = Item::new(ItemKind::Phase, id.clone(), range);
        let number = id.rsplit("phase-").next().unwrap_or("").to_string();
        item.title = if title.is_empty() {
            format!("Phase {number}").into()
        } else {
            title.into()
        };
        item.number = Some(number);
        item.progress = Some(if done {
            Progress::Done
        } else {
            Progress::NotStarted
        });
        facts.items.push(item);
    }
    later_requirements
}

/// A second section of ROADMAP.md for a phase number that an earlier
/// heading already has (FablrWill/Camping-Manager's two `### Phase 58`).
struct LaterSection {
    id: String,
    heading: TextRange,
    body: TextRange,
}

/// Reads the later sections of phases the roadmap defines already: GSD's
/// commands read a phase's first section only, so the phase is the first
/// section's, but the requirements a later section lists are its too (they
/// wait for the phase to be planned rather than go uncovered): the
/// `**Requirements**:` values of the later sections are given back, each
/// with its phase's ID. Each later heading is kept as a mention of the
/// phase, which `gsd-duplicate-phase` reports: what its section says is
/// not what GSD plans.
fn read_later_sections(
    input: &ParseInput<'_>,
    facts: &mut FileFacts,
    sections: Vec<LaterSection>,
) -> Vec<(String, TextRange)> {
    let mut requirements = Vec::new();
    if sections.is_empty() {
        return requirements;
    }
    let defined: HashSet<&str> = facts.items.iter().map(|i| i.id.as_str()).collect();
    let mut mentions = Vec::new();
    for section in sections {
        if !defined.contains(section.id.as_str()) {
            continue;
        }
        let fields = crate::analysis::parse::fields(
            &input.outline.base,
            section.body,
            &input.outline.ignored,
        );
        if let Some(field) = fields.iter().find(|f| f.is("requirements")) {
            requirements.push((section.id.clone(), field.value_range));
        }
        mentions.push(Reference {
            target: Target::Id(section.id.into()),
            written: input.outline.slice_at(section.heading),
            range: section.heading,
            role: RefRole::Mention,
            expects: Some(ItemKind::Phase),
        });
    }
    facts.references.extend(mentions);
    requirements
}

/// The requirements a phase of the roadmap lists on its `**Requirements**:`
/// line (`value`), which GSD's planner shares out among the phase's plans:
/// each entry that starts with a requirement's ID (`AUTH-01`, `[AUTH-01`,
/// `QA-01..15`, `MFA-01 (partial)`), covered as a plan's `requirements:`
/// covers it. An entry of prose (`TBD`, `AUTH infrastructure`,
/// `Infrastructure for MFA-02`) names none.
fn phase_requirements(
    input: &ParseInput<'_>,
    place: &Place<'_>,
    value: TextRange,
) -> Vec<Reference> {
    let text = input.text;
    let Some(line) = text.get(value.start()..value.end()) else {
        return Vec::new();
    };
    let mut covers = Vec::new();
    let mut entry_start = value.start();
    for entry in line.split(',') {
        let start = entry_start;
        entry_start += entry.len() + 1;
        let lead = entry.len() - entry.trim_start_matches([' ', '\t', '[', '`']).len();
        let Some(id) = entry
            .get(lead..)
            .and_then(|rest| ROADMAP_REQUIREMENT.captures(rest))
            .and_then(|caps| caps.get(1))
        else {
            continue;
        };
        let range = TextRange::new(start + lead + id.start(), start + lead + id.end());
        for requirement in requirement_ids(id.as_str()) {
            covers.push(Reference {
                target: Target::Id(format!("{}{requirement}", place.scope).into()),
                written: input.outline.slice_at(range),
                range,
                role: RefRole::Covers,
                expects: Some(ItemKind::Requirement),
            });
        }
    }
    covers
}

/// A roadmap line naming a plan, with its box (`None` without one).
struct PlanLine {
    phase: String,
    done: Option<bool>,
}

/// A roadmap's `- [x] 03-01-PLAN.md — ...` and `- [ ] 07-01: ...` lines
/// name plans: hover, go to definition and find references reach them.
fn plan_mentions(
    input: &ParseInput<'_>,
    place: &Place<'_>,
    facts: &mut FileFacts,
) -> Vec<PlanLine> {
    let text = input.text;
    let mut lines = Vec::new();
    for line in lines_in(text, TextRange::new(0, text.len())) {
        if is_ignored(&input.outline.ignored, line.start()) {
            continue;
        }
        let line_text = &text[line.start()..line.end()];
        let Some(caps) = PLAN_MENTION.captures(line_text) else {
            if let Some(mention) = plan_file_mention(input, place, line) {
                facts.references.push(mention.0);
                lines.push(mention.1);
            }
            continue;
        };
        let (Some(id), Some(phase), Some(plan)) = (caps.get(2), caps.get(3), caps.get(4)) else {
            continue;
        };
        // Without its `-PLAN.md`, only a two-digit phase says it is a plan
        // (`07-01:`), not a range in prose (`3-5: people`).
        let named_file = caps.get(5).is_some();
        if !named_file && phase.as_str().split('.').next().is_none_or(|p| p.len() < 2) {
            continue;
        }
        let number = plan.as_str();
        let letter_at = number.find(|c: char| c.is_ascii_alphabetic());
        let (digits, letter) = letter_at.map_or((number, ""), |i| number.split_at(i));
        facts.references.push(Reference {
            target: Target::Id(plan_id(place.scope, phase.as_str(), digits, letter).into()),
            written: id.as_str().into(),
            range: TextRange::new(line.start() + id.start(), line.start() + id.end()),
            role: RefRole::Mention,
            expects: Some(ItemKind::Plan),
        });
        lines.push(PlanLine {
            phase: phase_id(place.scope, phase.as_str()),
            done: caps
                .get(1)
                .map(|mark| mark.as_str().eq_ignore_ascii_case("x")),
        });
    }
    lines
}

/// A roadmap line naming a plan's file in a form [`PLAN_MENTION`] does not
/// read (`- [ ] 12-PLAN-01.md`, `- [x] 21-PLAN.md`): the mention of its
/// plan, and the line.
fn plan_file_mention(
    input: &ParseInput<'_>,
    place: &Place<'_>,
    line: TextRange,
) -> Option<(Reference, PlanLine)> {
    let line_text = input.text.get(line.start()..line.end())?;
    let caps = PLAN_FILE_MENTION.captures(line_text)?;
    let file = caps.get(2)?;
    let (name, _) = plan_name(file.as_str())?;
    let (id, phase) = plan_file_id(place.scope, None, name, None)?;
    let range = TextRange::new(line.start() + file.start(), line.start() + file.end());
    let reference = Reference {
        target: Target::Id(id.into()),
        written: input.outline.slice_at(range),
        range,
        role: RefRole::Mention,
        expects: Some(ItemKind::Plan),
    };
    let plan_line = PlanLine {
        phase: phase_id(place.scope, phase),
        done: caps
            .get(1)
            .map(|mark| mark.as_str().eq_ignore_ascii_case("x")),
    };
    Some((reference, plan_line))
}

/// The status each phase has in the roadmap's progress table (`| 3.
/// Auto-Setup | v1.0 | 2/2 | Complete | ... |`), read from the column
/// headed `Status`.
fn progress_table(input: &ParseInput<'_>, place: &Place<'_>) -> HashMap<String, Progress> {
    let text = input.text;
    let mut statuses = HashMap::new();
    let mut status_column: Option<usize> = None;
    for line in lines_in(text, TextRange::new(0, text.len())) {
        if is_ignored(&input.outline.ignored, line.start()) {
            continue;
        }
        let line_text = text[line.start()..line.end()].trim();
        if !line_text.starts_with('|') {
            status_column = None;
            continue;
        }
        let cells: Vec<&str> = line_text
            .trim_matches('|')
            .split('|')
            .map(str::trim)
            .collect();
        if let Some(at) = cells.iter().position(|c| c.eq_ignore_ascii_case("status")) {
            status_column = Some(at);
            continue;
        }
        let Some(at) = status_column else {
            continue;
        };
        let Some(caps) = PROGRESS_ROW.captures(line_text) else {
            continue;
        };
        let progress = cells
            .get(at)
            .and_then(|cell| crate::analysis::parse::progress_of(cell));
        if let Some(progress) = progress {
            statuses.insert(phase_id(place.scope, &caps[1]), progress);
        }
    }
    statuses
}

fn check(ws: &Workspace, _ctx: &Context, file: &SourceFile, sink: &mut Sink<'_>) {
    let Some(place) = place(&file.rel) else {
        return;
    };
    match place.role {
        PLAN => check_plan(ws, file, &place, sink),
        REQUIREMENTS => check_requirements(ws, file, &place, sink),
        ROADMAP => {
            check_roadmap(ws, file, &place, sink);
            let judge = OnceCell::new();
            for phase in &file.facts.items {
                unknown_requirements(ws, file, &place, phase, &judge, sink);
            }
        }
        _ => {}
    }
}

/// The files of one role in a planning folder's `phases/`, in path order.
fn phase_files<'a>(ws: &'a Workspace, place: &Place<'_>, role: &str) -> Vec<&'a SourceFile> {
    files_under(ws, place, "phases/", role)
}

/// The files of one role under a folder of a planning folder (`phases/`,
/// `milestones/`), in path order.
fn files_under<'a>(
    ws: &'a Workspace,
    place: &Place<'_>,
    folder: &str,
    role: &str,
) -> Vec<&'a SourceFile> {
    let dir = format!("{}{folder}", place.dir);
    ws.files_under(&dir)
        .iter()
        .filter(|f| {
            matches!(f.facts.kind, FileKind::Dialect(d) if d.dialect == Dialect::Gsd && d.role == role)
        })
        .map(|f| &**f)
        .collect()
}

/// The folders of a planning folder that hold shipped milestones' phase
/// folders: `milestones/<version>-phases/`, as GSD's `complete-milestone`
/// and `cleanup` archive them, and `archive/<version>/`.
const ARCHIVES: [&str; 2] = ["milestones/", "archive/"];

/// The files of one role in the archived phase folders of a planning
/// folder (see [`ARCHIVES`]), in path order within each archive.
fn archived_files<'a>(ws: &'a Workspace, place: &Place<'_>, role: &str) -> Vec<&'a SourceFile> {
    ARCHIVES
        .into_iter()
        .flat_map(|folder| files_under(ws, place, folder, role))
        .collect()
}

/// The version of an archived requirements file
/// (`v3.8.0` for `.planning/milestones/v3.8.0-REQUIREMENTS.md`).
fn place_of_archive(rel: &str) -> &str {
    place(rel).and_then(|p| p.milestone).unwrap_or("")
}

/// The plans of a planning folder.
fn plans<'a>(ws: &'a Workspace, place: &Place<'_>) -> Vec<&'a Item> {
    phase_files(ws, place, PLAN)
        .into_iter()
        .flat_map(|f| f.facts.items.iter())
        .filter(|i| i.kind == ItemKind::Plan)
        .collect()
}

/// The paths of a planning folder's plan summaries.
fn summaries<'a>(ws: &'a Workspace, place: &Place<'_>) -> Vec<&'a str> {
    phase_files(ws, place, SUMMARY)
        .into_iter()
        .map(|f| &*f.rel)
        .collect()
}

/// A planning folder's file, when the workspace has it.
fn sibling<'a>(ws: &'a Workspace, place: &Place<'_>, name: &str) -> Option<&'a SourceFile> {
    ws.file(&format!("{}{name}", place.dir)).map(|f| &**f)
}

/// A plan's `wave:` as a number, with where it is written (`text` is the
/// plan file's).
fn wave(text: &str, item: &Item) -> Option<(u32, TextRange)> {
    let field = item.field("wave")?;
    Some((field.value(text).trim().parse().ok()?, field.value_range))
}

/// Whether a plan file of `phases/` belongs to a phase of a shipped
/// milestone that the roadmap lists but does not hold open: GSD's
/// `/gsd:complete-milestone` may leave the phase folders in `phases/` as
/// history (archiving them is optional), while `REQUIREMENTS.md` starts
/// afresh for the next milestone. A phase the roadmap still holds open (a
/// milestone numbering its phases from 1 again) is not one.
fn in_shipped_phase(ws: &Workspace, place: &Place<'_>, rel: &str) -> bool {
    phase_folder(rel).is_some_and(|(_, written)| shipped_phase(ws, place, written))
}

/// Whether phase `written` of the planning folder at `place` is a shipped
/// milestone's that the roadmap lists but does not hold open (see
/// [`in_shipped_phase`]).
fn shipped_phase(ws: &Workspace, place: &Place<'_>, written: &str) -> bool {
    ShippedPhases::of(ws, place).is_some_and(|shipped| shipped.contains(written))
}

/// What a roadmap says of its phases of shipped milestones, read once: the
/// phases it holds open and its milestone lines.
struct ShippedPhases {
    scope: String,
    /// Where the roadmap's items were when they were read, so that the
    /// same text parsed again is read again.
    items_at: *const Item,
    /// The IDs of the roadmap's phases not marked done.
    held_open: HashSet<String>,
    milestones: MilestoneLines,
}

thread_local! {
    /// The last roadmap read into [`ShippedPhases`], known by its text: the
    /// progress of each open plan, and the check of each plan, ask of the
    /// same roadmap. The weak reference keeps the text's memory from being
    /// reused for another roadmap's while the entry stands.
    static LAST_SHIPPED_PHASES: RefCell<Option<(Weak<str>, Rc<ShippedPhases>)>> =
        const { RefCell::new(None) };
}

impl ShippedPhases {
    /// The shipped phases of the roadmap of the planning folder at `place`;
    /// none for an archived milestone's folder or one without a roadmap.
    fn of(ws: &Workspace, place: &Place<'_>) -> Option<Rc<ShippedPhases>> {
        if place.milestone.is_some() {
            return None;
        }
        let roadmap = sibling(ws, place, "ROADMAP.md")?;
        let cached = LAST_SHIPPED_PHASES.with(|last| {
            last.borrow().as_ref().and_then(|(text, shipped)| {
                (std::ptr::eq(text.as_ptr(), Arc::as_ptr(&roadmap.text))
                    && std::ptr::eq(shipped.items_at, roadmap.facts.items.as_ptr())
                    && shipped.scope == place.scope)
                    .then(|| Rc::clone(shipped))
            })
        });
        if cached.is_some() {
            return cached;
        }
        let held_open = roadmap
            .facts
            .items
            .iter()
            .filter(|p| {
                p.kind == ItemKind::Phase
                    && p.progress
                        .is_some_and(|progress| progress != Progress::Done)
            })
            .map(|p| p.id.to_string())
            .collect();
        let shipped = Rc::new(ShippedPhases {
            scope: place.scope.to_string(),
            items_at: roadmap.facts.items.as_ptr(),
            held_open,
            milestones: MilestoneLines::of(&roadmap.text),
        });
        LAST_SHIPPED_PHASES.with(|last| {
            *last.borrow_mut() = Some((Arc::downgrade(&roadmap.text), Rc::clone(&shipped)));
        });
        Some(shipped)
    }

    /// Whether phase `written` is one of them.
    fn contains(&self, written: &str) -> bool {
        let number = phase_number(written);
        let id = phase_id(&self.scope, &number);
        !self.held_open.contains(id.as_str()) && self.milestones.shipped_lists(&number)
    }
}

/// The phase folder a file of `phases/` is in, with its `/`, and its
/// phase number as written (`02` of `…/phases/02-gdpr-compliance/`).
fn phase_folder(rel: &str) -> Option<(&str, &str)> {
    let (folder, _) = rel.rsplit_once('/')?;
    let name = folder.rsplit('/').next()?;
    let number = PHASE_DIR.captures(name)?.get(1)?.as_str();
    Some((&rel[..=folder.len()], number))
}

/// Whether `item`, a plan of a current phase folder, is defined again only
/// in other folders with the folder's phase number: `gsd-duplicate-phase`
/// says so once for the folder, where `duplicate-id` would for each plan.
fn in_folders_of_one_number(ws: &Workspace, file: &SourceFile, item: &Item) -> bool {
    if item.kind != ItemKind::Plan || place(&file.rel).is_none_or(|p| p.milestone.is_some()) {
        return false;
    }
    let Some((folder, number)) = phase_folder(&file.rel) else {
        return false;
    };
    let number = phase_number(number);
    ws.definitions(&item.id).iter().all(|loc| {
        loc.rel == file.rel
            || phase_folder(&loc.rel)
                .is_some_and(|(other, n)| other != folder && phase_number(n) == number)
    })
}

/// Reports, on the first plan of a phase folder, the other folders of
/// `phases/` with its phase number: GSD finds a phase's folder by its
/// number, so its commands reach one of them only. A milestone that
/// numbers its phases from 1 again leaves such pairs when the shipped
/// milestone's folders stay in `phases/`.
fn duplicate_phase(
    ws: &Workspace,
    file: &SourceFile,
    place: &Place<'_>,
    item: &Item,
    sink: &mut Sink<'_>,
) {
    let Some((folder, written)) = phase_folder(&file.rel) else {
        return;
    };
    let is_plan = |f: &&SourceFile| matches!(f.facts.kind, FileKind::Dialect(d) if d.dialect == Dialect::Gsd && d.role == PLAN);
    let first = ws.files_under(folder).iter().map(|f| &**f).find(is_plan);
    if first.is_none_or(|f| f.rel != file.rel) {
        return;
    }
    let number = phase_number(written);
    // The other folders with the number, each with its first plan.
    let mut others: Vec<(&str, &SourceFile)> = Vec::new();
    for plan in phase_files(ws, place, PLAN) {
        let Some((other, n)) = phase_folder(&plan.rel) else {
            continue;
        };
        if other != folder
            && phase_number(n) == number
            && others.last().is_none_or(|(o, _)| *o != other)
        {
            others.push((other, plan));
        }
    }
    if others.is_empty() {
        return;
    }
    let name = |path: &str| {
        let path = path.trim_end_matches('/');
        format!("`{}`", path.rsplit('/').next().unwrap_or(path))
    };
    let names: Vec<String> = others.iter().map(|(o, _)| name(o)).collect();
    let at = if item.def_range.is_empty() {
        trim_range(&file.text, file.line_index().line_range(0))
    } else {
        item.def_range
    };
    let message = format!(
        "phase folders {} and {} have the number {written}: GSD finds a phase by its number, so its commands reach only one of them: renumber one, or, if its milestone has shipped, archive its folder (`/gsd:cleanup`)",
        name(folder),
        names.join(", ")
    );
    if let Some(d) = sink.push(DUPLICATE_PHASE, at, message) {
        d.related = others
            .iter()
            .map(|(other, plan)| Related {
                rel: plan.rel.to_string(),
                range: plan
                    .facts
                    .items
                    .first()
                    .map_or(TextRange::empty(0), |i| i.def_range),
                message: format!("{} has the number too", name(other)),
            })
            .collect();
    }
}

fn check_plan(ws: &Workspace, file: &SourceFile, place: &Place<'_>, sink: &mut Sink<'_>) {
    // A shipped milestone's plans are history: GSD runs them no more, and
    // the roadmap and requirements they were checked against are archived
    // with them.
    if place.milestone.is_some() {
        return;
    }
    let text = &*file.text;
    match yaml::front_matter(text) {
        None => {
            let first = trim_range(text, file.line_index().line_range(0));
            sink.push(
                NO_FRONT_MATTER,
                first,
                "this plan has no front matter, so GSD reads no wave, `depends_on` or `requirements` from it: start the file with a `---` block",
            );
        }
        Some(fm) if !closed(text, &fm) => {
            sink.push(
                NO_FRONT_MATTER,
                TextRange::new(fm.range.start(), fm.range.start() + 3),
                "the front matter has no closing `---` line, so GSD reads no wave, `depends_on` or `requirements` from it",
            );
        }
        Some(_) => {}
    }
    let Some(item) = file.facts.items.first() else {
        return;
    };
    unknown_requirements(ws, file, place, item, &OnceCell::new(), sink);
    wave_order(ws, file, place, item, sink);
    duplicate_phase(ws, file, place, item, sink);
    unlisted_phase(ws, file, place, item, sink);
}

/// `gsd-unknown-requirement`: each requirement that a plan's
/// `requirements:` or a phase's `**Requirements**:` line in the roadmap
/// names and REQUIREMENTS.md does not define.
/// `judge` is found on the first reference that names no requirement, once
/// for all the items of the file.
fn unknown_requirements(
    ws: &Workspace,
    file: &SourceFile,
    place: &Place<'_>,
    item: &Item,
    judge: &OnceCell<RequirementJudge>,
    sink: &mut Sink<'_>,
) {
    // A range (`QA-01..15`) names each of its requirements, each a
    // reference at the range's place: one finding says which of them are
    // unknown, rather than one finding per requirement at the same place.
    for range in item.covers.chunk_by(|a, b| a.range == b.range) {
        let unknown: Vec<&Reference> = range
            .iter()
            .filter(|reference| {
                ws.resolve_str(&reference.target).is_none()
                    && judge
                        .get_or_init(|| RequirementJudge::of(ws, file))
                        .judges(ws, reference)
            })
            .collect();
        let Some(first) = unknown.first() else {
            continue;
        };
        let defines = format!("`{}REQUIREMENTS.md`", place.dir);
        let members: Vec<String> = unknown
            .iter()
            .map(|reference| reference.target.as_id().map_or("", without_scope))
            .filter(|member| !member.is_empty() && *member != &*first.written)
            .map(|member| format!("`{member}`"))
            .collect();
        let message = if members.is_empty() {
            format!("`{}` names no requirement of {defines}", first.written)
        } else if members.len() == range.len() && members.len() > 1 {
            format!(
                "`{}` names {} requirements and {defines} defines none of them",
                first.written,
                members.len()
            )
        } else {
            let which = if members.len() == 1 { "names" } else { "name" };
            format!(
                "`{}` includes {}, which {which} no requirement of {defines}",
                first.written,
                and_list(&members)
            )
        };
        sink.push(UNKNOWN_REQUIREMENT, first.range, message);
    }
}

/// Whether a `requirements:` entry of a plan (or of a phase's line in the
/// roadmap) that names no requirement is unknown, as
/// `gsd-unknown-requirement` reports it: not in a plan of a shipped
/// milestone (history, checked against archived files), archived or left
/// in `phases/`, nor without a `REQUIREMENTS.md` to name it, nor when a
/// shipped milestone's archived requirements hold it (it is still the one
/// the plan meant).
fn judges_requirement(ws: &Workspace, file: &SourceFile, reference: &Reference) -> bool {
    RequirementJudge::of(ws, file).judges(ws, reference)
}

/// What [`judges_requirement`] asks of a file, found once for all the
/// references of the file.
enum RequirementJudge {
    /// Every reference is judged (a file of no planning folder).
    EveryReference,
    /// No reference is judged: the file is history, or there is no
    /// `REQUIREMENTS.md` to name them.
    NoReference,
    /// The references are judged against the folder's `REQUIREMENTS.md`,
    /// but for those of shipped phases and those the archived
    /// requirements of a shipped milestone hold.
    AgainstRequirements {
        scope: String,
        /// The sections of the roadmap's phases of shipped milestones
        /// (their `**Requirements**:` lines, kept when the milestone's
        /// phases were not collapsed), whose references are history.
        shipped_sections: Vec<TextRange>,
        /// The versions of the shipped milestones with archived
        /// requirements.
        archived_versions: Vec<String>,
    },
}

impl RequirementJudge {
    fn of(ws: &Workspace, file: &SourceFile) -> RequirementJudge {
        let Some(place) = place(&file.rel) else {
            return RequirementJudge::EveryReference;
        };
        if place.milestone.is_some()
            || sibling(ws, &place, "REQUIREMENTS.md").is_none()
            || (place.role == PLAN && in_shipped_phase(ws, &place, &file.rel))
        {
            return RequirementJudge::NoReference;
        }
        let shipped_sections = match ShippedPhases::of(ws, &place) {
            Some(shipped) if place.role == ROADMAP => file
                .facts
                .items
                .iter()
                .filter(|phase| {
                    phase.kind == ItemKind::Phase
                        && phase
                            .number
                            .as_deref()
                            .is_some_and(|number| shipped.contains(number))
                })
                .map(|phase| phase.range)
                .collect(),
            _ => Vec::new(),
        };
        let archived_versions = files_under(ws, &place, "milestones/", ARCHIVED_REQUIREMENTS)
            .iter()
            .map(|archive| place_of_archive(&archive.rel).to_string())
            .collect();
        RequirementJudge::AgainstRequirements {
            scope: place.scope.to_string(),
            shipped_sections,
            archived_versions,
        }
    }

    /// Whether `reference`, of the file, is judged.
    fn judges(&self, ws: &Workspace, reference: &Reference) -> bool {
        let RequirementJudge::AgainstRequirements {
            scope,
            shipped_sections,
            archived_versions,
        } = self
        else {
            return matches!(self, RequirementJudge::EveryReference);
        };
        if shipped_sections
            .iter()
            .any(|section| section.contains_range(reference.range))
        {
            return false;
        }
        let requirement = reference.target.as_id().map_or("", without_scope);
        if requirement.is_empty() {
            return true;
        }
        !archived_versions.iter().any(|version| {
            let id = format!("{scope}{version}/{requirement}");
            !ws.definitions(id.as_str()).is_empty()
        })
    }
}

/// `gsd-wave-order`: GSD's planner gives a plan the wave after the latest
/// of the plans of its phase it depends on (1 without any), and runs a
/// wave's plans together.
fn wave_order(
    ws: &Workspace,
    file: &SourceFile,
    place: &Place<'_>,
    item: &Item,
    sink: &mut Sink<'_>,
) {
    // A plan carried out is history: GSD's executor skips the plans that
    // have a summary, so their waves order nothing any more.
    if plan_progress(ws, file, item) == Some(Progress::Done) {
        return;
    }
    let Some((written, range)) = wave(&file.text, item) else {
        return;
    };
    let Some((dep_wave, dep)) = latest_dependency_wave(ws, file, place, item) else {
        return;
    };
    if written <= dep_wave {
        sink.push(
            WAVE_ORDER,
            range,
            format!(
                "wave {written} is not after wave {dep_wave} of `{dep}`, which this plan depends on: GSD runs a wave's plans together, so write `wave: {}`",
                dep_wave + 1
            ),
        );
    }
}

/// The latest written wave among the plans of the item's phase that it
/// depends on, and that plan's ID as written. When two phase folders share
/// a number (`04-bug-fixes/` and `04-real-time-chat/`, both with a
/// `04-02-PLAN.md`), a plan's dependency is the plan of its own folder, as
/// GSD schedules a phase's plans within its folder.
fn latest_dependency_wave<'a>(
    ws: &Workspace,
    file: &SourceFile,
    place: &Place<'_>,
    item: &'a Item,
) -> Option<(u32, &'a str)> {
    let folder = file.rel.rfind('/').map_or("", |i| &file.rel[..=i]);
    let in_folder = |loc: &&ItemLoc| {
        loc.rel
            .strip_prefix(folder)
            .is_some_and(|name| !name.contains('/'))
    };
    let mut latest: Option<(u32, &str)> = None;
    for dep in &item.deps {
        let Some(id) = dep.target.as_id() else {
            continue;
        };
        if phase_of_plan(place.scope, id) != item.parent {
            continue;
        }
        let definitions = ws.definitions(id);
        let Some(loc) = definitions
            .iter()
            .find(in_folder)
            .or_else(|| definitions.first())
        else {
            continue;
        };
        let Some((dep_wave, _)) = ws.file(&loc.rel).and_then(|target_file| {
            let target = target_file.facts.items.get(loc.index)?;
            wave(&target_file.text, target)
        }) else {
            continue;
        };
        if latest.is_none_or(|(w, _)| dep_wave > w) {
            latest = Some((dep_wave, without_scope(id)));
        }
    }
    latest
}

/// The phases ROADMAP.md lists, when the planning folder has one that
/// lists any.
fn roadmap_phases<'a>(ws: &'a Workspace, place: &Place<'_>) -> Option<Vec<&'a Item>> {
    let roadmap = sibling(ws, place, "ROADMAP.md")?;
    let phases: Vec<&Item> = roadmap
        .facts
        .items
        .iter()
        .filter(|i| i.kind == ItemKind::Phase)
        .collect();
    (!phases.is_empty()).then_some(phases)
}

fn unlisted_phase(
    ws: &Workspace,
    file: &SourceFile,
    place: &Place<'_>,
    item: &Item,
    sink: &mut Sink<'_>,
) {
    let (Some(phases), Some(phase)) = (roadmap_phases(ws, place), item.parent.as_deref()) else {
        return;
    };
    if phases.iter().any(|p| p.id == phase) {
        return;
    }
    let number = phase.rsplit("phase-").next().unwrap_or(phase);
    // The plans of a current folder are checked, and its roadmap's milestone
    // lines are read once for them all.
    let first = phases
        .iter()
        .filter_map(|p| p.number.as_deref())
        .filter(|n| !is_backlog(n))
        .map(phase_key)
        .min()
        .unwrap_or_default();
    if ShippedPhases::of(ws, place).is_some_and(|shipped| {
        shipped.milestones.lists(number) || shipped.milestones.shipped_before(number, &first)
    }) {
        return;
    }
    let range = item
        .field("phase")
        .map(|f| f.value_range)
        .or_else(|| (!item.def_range.is_empty()).then_some(item.def_range))
        .unwrap_or_else(|| trim_range(&file.text, file.line_index().line_range(0)));
    sink.push(
        UNLISTED_PHASE,
        range,
        format!(
            "this plan belongs to phase {number}, which `{}ROADMAP.md` does not list: add the phase to the roadmap (GSD's `/gsd:add-phase` or `/gsd:insert-phase`), or, if its milestone has shipped, archive its folder (`/gsd:cleanup`)",
            place.dir
        ),
    );
}

/// A phase number as numbers to compare, as GSD orders phases: the
/// number, its letter's place in the alphabet (0 without one), then each
/// decimal part, so that `14` < `14.1` < `14a` < `14b` < `15` (`22.1` is
/// `[22, 0, 1]`, `14a` is `[14, 1]`).
fn phase_key(number: &str) -> Vec<u32> {
    let mut parts = number.split('.');
    let (digits, letter) = split_letter(parts.next().unwrap_or(""));
    let letter_place = letter.bytes().next().map_or(0, |b| {
        u32::from(b.to_ascii_lowercase().saturating_sub(b'a')) + 1
    });
    [digits.parse().unwrap_or(0), letter_place]
        .into_iter()
        .chain(parts.map(|part| part.parse().unwrap_or(0)))
        .collect()
}

/// One milestone line of the roadmap (`- ✅ **v1.0 MVP** — Phases 1-14
/// (shipped ...)`): the phases it lists, as the keys of the first and last
/// phase of each range (one phase is a range of itself), and what it says
/// of its milestone.
struct MilestoneLine {
    ranges: Vec<(Vec<u32>, Vec<u32>)>,
    shipped: bool,
    to_come: bool,
}

/// The milestone lines of a roadmap, read once.
struct MilestoneLines {
    lines: Vec<MilestoneLine>,
    /// Whether a line says a milestone shipped without naming its phases
    /// (see [`SHIPPED_MILESTONE`]).
    shipped_unnamed: bool,
}

impl MilestoneLines {
    fn of(roadmap: &str) -> MilestoneLines {
        let mut shipped_unnamed = false;
        let lines = roadmap
            .lines()
            .filter_map(|line| {
                let Some(caps) = MILESTONE_PHASES.captures(line) else {
                    shipped_unnamed |= SHIPPED_MILESTONE.is_match(line);
                    return None;
                };
                let ranges = caps[1]
                    .split(',')
                    .filter_map(|part| {
                        let mut ends = part.split(['-', '–']).map(|end| phase_key(end.trim()));
                        let first = ends.next()?;
                        let last = ends.next().unwrap_or_else(|| first.clone());
                        Some((first, last))
                    })
                    .collect();
                let lower = line.to_lowercase();
                Some(MilestoneLine {
                    ranges,
                    shipped: lower.contains("shipped"),
                    to_come: ["🚧", "📋", "in progress", "planned"]
                        .iter()
                        .any(|word| lower.contains(word)),
                })
            })
            .collect();
        MilestoneLines {
            lines,
            shipped_unnamed,
        }
    }

    /// Whether phase `number`, which no line lists, is one of a shipped
    /// milestone's all the same: a line says a milestone shipped without
    /// naming its phases (hanzckernel/MathPaperParser's `- ✅ **v1.2 …** —
    /// shipped 2026-04-03`), and the number comes before `first`, the
    /// roadmap's first phase. GSD numbers phases on across milestones, so
    /// the phases before the roadmap's were the shipped milestones'.
    fn shipped_before(&self, number: &str, first: &[u32]) -> bool {
        self.shipped_unnamed
            && !self
                .lines
                .iter()
                .any(|line| line.shipped && !line.ranges.is_empty())
            && phase_key(number).as_slice() < first
    }

    /// The milestone lines that name phase `number` alone or in a range. A
    /// lettered phase inserted after a phase goes with it (`Phases 1-14`
    /// lists `14a`, as a roadmap counts its gap-closure phases `14a-c`
    /// among its 14).
    fn listing<'a>(&'a self, number: &str) -> impl Iterator<Item = &'a MilestoneLine> {
        let key = phase_key(number);
        let first = number.split('.').next().unwrap_or(number);
        let unlettered = match split_letter(first) {
            (digits, letter) if !letter.is_empty() => phase_key(digits),
            _ => key.clone(),
        };
        self.lines.iter().filter(move |line| {
            line.ranges.iter().any(|(first, last)| {
                (first <= &key && &key <= last) || (first <= &unlettered && &unlettered <= last)
            })
        })
    }

    /// Whether a milestone line names phase `number` (see [`Self::listing`]).
    fn lists(&self, number: &str) -> bool {
        self.listing(number).next().is_some()
    }

    /// Whether phase `number` is one of a shipped milestone's: a milestone
    /// line that lists it says the milestone shipped, as GSD's
    /// `/gsd:complete-milestone` writes it (`- ✅ **v1.0 MVP** — Phases 1-4
    /// (shipped 2026-01-17)`, `<summary>✅ v1.0 MVP (Phases 1-4) — SHIPPED
    /// 2026-01-17</summary>`), and none lists it for a milestone still to
    /// come (`- 🚧 **v1.1** — Phases 1-2 (in progress)`, `📋 ... (planned)`,
    /// one numbering its phases from 1 again). Other lines that name
    /// versions and phases (`- v3.0 Wave 1: Phases 25, 26`) say neither.
    fn shipped_lists(&self, number: &str) -> bool {
        let (shipped, to_come) = self.shipped_and_to_come(number);
        shipped && !to_come
    }

    /// Whether phase `number` was numbered again: a shipped milestone's
    /// line lists it, and so does the line of one still to come, as
    /// `/gsd:new-milestone --reset-phase-numbers` starts the new
    /// milestone's phases at 1 again. The roadmap's phase of that number
    /// is then the new milestone's, and the shipped phase archived under
    /// `milestones/` (or left collapsed in the roadmap) is another.
    fn renumbered(&self, number: &str) -> bool {
        let (shipped, to_come) = self.shipped_and_to_come(number);
        shipped && to_come
    }

    /// Whether a shipped milestone's line lists phase `number`, and
    /// whether one still to come does.
    fn shipped_and_to_come(&self, number: &str) -> (bool, bool) {
        let (mut shipped, mut to_come) = (false, false);
        for line in self.listing(number) {
            shipped |= line.shipped;
            to_come |= line.to_come;
        }
        (shipped, to_come)
    }
}

/// The `##` heading a line is under in REQUIREMENTS.md.
/// The version a heading names, as (major, minor).
fn heading_version(heading: &str) -> Option<(u32, u32)> {
    let caps = HEADING_VERSION.captures(heading)?;
    let number = |i: usize| caps.get(i).map_or(Some(0), |m| m.as_str().parse().ok());
    Some((number(1)?, number(2)?))
}

/// The `##` headings of a file, each with where it starts, in text order.
fn level_two_headings(text: &str) -> Vec<(usize, &str)> {
    let mut headings = Vec::new();
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        if let Some(title) = line.strip_prefix("## ") {
            headings.push((at, title.trim()));
        }
        at += line.len();
    }
    headings
}

fn check_requirements(ws: &Workspace, file: &SourceFile, place: &Place<'_>, sink: &mut Sink<'_>) {
    unmapped_traceability_rows(ws, file, place, sink);
    let mut covered = covered_requirements(ws, place);
    // Before any plan lists requirements, every requirement would be
    // reported.
    if covered.is_empty() {
        return;
    }
    covered.extend(archived_coverage(ws, place));
    let awaiting = awaiting_planning(ws, place);
    let headings = level_two_headings(&file.text);
    let first_version = headings
        .iter()
        .filter_map(|(_, h)| heading_version(h))
        .min();
    let for_later = |heading: &str| {
        LATER.is_match(heading)
            || heading_version(heading).is_some_and(|v| first_version.is_some_and(|f| v > f))
    };
    for item in file
        .facts
        .items
        .iter()
        .filter(|i| i.kind == ItemKind::Requirement)
    {
        if covered.contains(item.id.as_str()) || awaiting.contains(item.id.as_str()) {
            continue;
        }
        let above = headings.partition_point(|(at, _)| *at < item.range.start());
        if above > 0 && for_later(headings[above - 1].1) {
            continue;
        }
        sink.push(
            UNCOVERED_REQUIREMENT,
            item.def_range,
            format!(
                "no plan lists `{}` in its `requirements:`",
                without_scope(&item.id)
            ),
        );
    }
}

/// The requirements that the plans of a planning folder's `phases/` cover:
/// listed in a plan's `requirements:`, or in the `requirements-completed:`
/// GSD's executor copies into the plan's summary (and reads back when it
/// audits a milestone), so that a plan whose file is gone since still
/// covers them.
fn covered_requirements(ws: &Workspace, place: &Place<'_>) -> HashSet<String> {
    let mut covered: HashSet<String> = plans(ws, place)
        .into_iter()
        .flat_map(|plan| &plan.covers)
        .filter_map(|r| r.target.as_id())
        .map(str::to_string)
        .collect();
    for summary in phase_files(ws, place, SUMMARY) {
        covered.extend(completed_requirements(place, &summary.text));
    }
    covered
}

/// The requirements that the plans and summaries of shipped milestones,
/// archived with their phases (see [`ARCHIVES`]), cover, as
/// [`covered_requirements`] reads them: teams keep every milestone's
/// requirements in `REQUIREMENTS.md` and archive only the phases. A
/// requirement that the milestone archived with them
/// (`milestones/v1.0-REQUIREMENTS.md`) is that file's, the one its plans
/// meant, and covers nothing of the current file.
fn archived_coverage(ws: &Workspace, place: &Place<'_>) -> HashSet<String> {
    let mut covered = HashSet::new();
    let kept_here = |version: &str, id: &str| {
        let archived = format!("{}{version}/{}", place.scope, without_scope(id));
        ws.definitions(archived.as_str()).is_empty()
    };
    for archived in archived_files(ws, place, PLAN) {
        let version = place_of_archive(&archived.rel);
        covered.extend(
            archived
                .facts
                .items
                .iter()
                .flat_map(|plan| &plan.covers)
                .filter_map(|r| r.target.as_id())
                .filter(|id| kept_here(version, id))
                .map(str::to_string),
        );
    }
    for archived in archived_files(ws, place, SUMMARY) {
        let version = place_of_archive(&archived.rel);
        covered.extend(
            completed_requirements(place, &archived.text)
                .into_iter()
                .filter(|id| kept_here(version, id)),
        );
    }
    covered
}

/// The requirements a summary's front matter says its plan completed
/// (`requirements-completed: [AUTH-01, AUTH-02]`), as IDs of the planning
/// folder's requirements.
fn completed_requirements(place: &Place<'_>, text: &str) -> Vec<String> {
    let Some(fm) = yaml::front_matter(text) else {
        return Vec::new();
    };
    let entries = front_matter_keys(text, &fm);
    let Some(entry) = yaml::get(&entries, "requirements-completed") else {
        return Vec::new();
    };
    let (values, _) = entry_values(text, &entry.value);
    values
        .iter()
        .flat_map(|(value, _)| requirement_ids(value))
        .map(|requirement| format!("{}{requirement}", place.scope))
        .collect()
}

/// The requirements the roadmap gives only to phases not planned yet (see
/// [`planned_phases`]): GSD's planner shares a phase's requirements out
/// among its plans when it plans the phase, so until then no plan could
/// list them.
fn awaiting_planning(ws: &Workspace, place: &Place<'_>) -> HashSet<String> {
    let Some(roadmap) = sibling(ws, place, "ROADMAP.md") else {
        return HashSet::new();
    };
    let planned = planned_phases(ws, place);
    let mut awaiting = HashSet::new();
    let mut of_planned = HashSet::new();
    for phase in roadmap
        .facts
        .items
        .iter()
        .filter(|i| i.kind == ItemKind::Phase)
    {
        let into = if planned.contains(&phase.id) {
            &mut of_planned
        } else {
            &mut awaiting
        };
        into.extend(
            phase
                .covers
                .iter()
                .filter_map(|r| r.target.as_id())
                .map(str::to_string),
        );
    }
    awaiting.retain(|id| !of_planned.contains(id));
    awaiting
}

/// Whether phase `number` is a backlog item: GSD's `/gsd:add-backlog`
/// numbers parked ideas `999.1`, `999.2`, … to keep them out of the active
/// phase sequence, and its progress and phase commands skip every phase
/// whose number is 999 or starts `999.`.
fn is_backlog(number: &str) -> bool {
    phase_number(number).split('.').next() == Some("999")
}

/// `gsd-unknown-requirement` on each row of the traceability table that
/// maps a requirement the file does not define (`| AUTH-09 | Phase 2 |
/// Complete |` without an `AUTH-09` line): the row traces nothing.
fn unmapped_traceability_rows(
    ws: &Workspace,
    file: &SourceFile,
    place: &Place<'_>,
    sink: &mut Sink<'_>,
) {
    for mention in &file.facts.references {
        if mention.expects != Some(ItemKind::Requirement) || ws.resolve(&mention.target).is_some() {
            continue;
        }
        sink.push(
            UNKNOWN_REQUIREMENT,
            mention.range,
            format!(
                "the traceability table maps `{}`, which `{}REQUIREMENTS.md` does not define: add its requirement line, or remove the row",
                mention.written, place.dir
            ),
        );
    }
}

fn check_roadmap(ws: &Workspace, file: &SourceFile, place: &Place<'_>, sink: &mut Sink<'_>) {
    later_phase_sections(file, sink);
    // The phases planned as `planmark plan` counts them, so that a phase it
    // holds back as not planned yet is the phase reported here.
    let planned = planned_phases(ws, place);
    let number = |item: &Item| phase_key(item.number.as_deref().unwrap_or(""));
    // Backlog items are out of the sequence: planning one says nothing of
    // the phases before it, and one left unplanned is an idea parked.
    let sequenced: Vec<&Item> = file
        .facts
        .items
        .iter()
        .filter(|i| i.kind == ItemKind::Phase && !is_backlog(i.number.as_deref().unwrap_or("")))
        .collect();
    let latest_planned = sequenced
        .iter()
        .filter(|i| planned.contains(&i.id))
        .map(|i| number(i))
        .max();
    let Some(latest) = latest_planned else {
        return;
    };
    for item in sequenced {
        if planned.contains(&item.id) || item.is_done() || number(item) >= latest {
            continue;
        }
        sink.push(
            PHASE_WITHOUT_PLANS,
            item.def_range,
            format!(
                "phase {} has no plans in `{}phases/` while a later phase has some: plan it (`/gsd:plan-phase {}`) or mark it complete",
                item.number.as_deref().unwrap_or(""),
                place.dir,
                item.number.as_deref().unwrap_or("")
            ),
        );
    }
}

/// `gsd-duplicate-phase` on a later section of the roadmap for a phase
/// number an earlier section has (see [`read_later_sections`]): GSD's
/// commands find a phase's section by its number, so they read the first
/// and never this one.
fn later_phase_sections(file: &SourceFile, sink: &mut Sink<'_>) {
    let text = &file.text;
    let headings = file.facts.references.iter().filter(|r| {
        r.role == RefRole::Mention && r.expects == Some(ItemKind::Phase) && {
            let start = r.range.start().min(text.len());
            let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
            let before = text[line_start..start].trim_end();
            !before.is_empty() && before.bytes().all(|b| b == b'#')
        }
    });
    for heading in headings {
        let Some(phase) = heading
            .target
            .as_id()
            .and_then(|id| file.facts.items.iter().find(|i| *i.id == *id))
        else {
            continue;
        };
        let number = phase.number.as_deref().unwrap_or("");
        let line = file.line_index().line_of(phase.def_range.start()) + 1;
        let message = format!(
            "phase {number} has a section already, `{}` (line {line}): GSD's commands read only that one, so what this section says is not what they plan: merge the two sections, or give this phase a number of its own (`/gsd:insert-phase`)",
            phase.title.trim()
        );
        if let Some(d) = sink.push(DUPLICATE_PHASE, heading.range, message) {
            d.related = vec![Related {
                rel: file.rel.to_string(),
                range: phase.def_range,
                message: format!("phase {number} is `{}` here", phase.title.trim()),
            }];
        }
    }
}

fn fixes(ws: &Workspace, file: &SourceFile, d: &Diagnostic) -> Vec<Action> {
    if d.rule != WAVE_ORDER {
        return Vec::new();
    }
    let (Some(place), Some(item)) = (place(&file.rel), file.facts.items.first()) else {
        return Vec::new();
    };
    let Some((dep_wave, _)) = latest_dependency_wave(ws, file, &place, item) else {
        return Vec::new();
    };
    let wave = (dep_wave + 1).to_string();
    vec![Action::fix(
        format!("Write `wave: {wave}`"),
        d,
        edit(file, vec![(d.range, wave.clone())]),
    )
    .preferred()]
}
