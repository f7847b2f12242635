//! Dialects: planning formats other than the first workflow's, each read by
//! one module. A dialect says which paths it owns, turns a file's text into
//! the shared item model (`model.rs`: items, criteria, references with
//! their relation, all with byte ranges) and adds the findings only it can
//! make. Rules and features that work on the model (dangling references,
//! duplicates, cycles, hover, definition, references, rename, symbols,
//! plan) then apply to its items with no change. A new dialect is a module
//! here and one line in `DIALECTS`.

pub(crate) mod backlog;
pub(crate) mod bmad;
pub(crate) mod gsd;
pub(crate) mod kiro;
mod marked;
pub(crate) mod milestones;
pub(crate) mod openspec;
mod order;
pub(crate) mod speckit;
pub(crate) mod yaml;

use crate::analysis::actions::Action;
use crate::analysis::intern::Id;
use crate::analysis::model::{FileFacts, FileKind, Item, Progress, Reference};
use crate::analysis::parse::Outline;
use crate::analysis::rules::{Context, Diagnostic, RuleInfo, Sink};
use crate::analysis::workspace::{SourceFile, Workspace};

/// Every dialect planmark reads besides the first workflow's formats, in
/// the order of `DIALECTS`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Dialect {
    Kiro,
    OpenSpec,
    Backlog,
    SpecKit,
    Bmad,
    Gsd,
    Milestones,
}

/// The table of dialects, indexed by `Dialect as usize`. A dialect earlier
/// in the table claims a path before a later one and before the first
/// workflow's formats.
static DIALECTS: &[&DialectSpec] = &[
    &kiro::SPEC,
    &openspec::SPEC,
    &backlog::SPEC,
    &speckit::SPEC,
    &bmad::SPEC,
    &gsd::SPEC,
    &milestones::SPEC,
];

/// A file that a dialect reads, and its role in that dialect
/// (`requirements`, `tasks`, ...).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DialectFile {
    pub dialect: Dialect,
    pub role: &'static str,
}

/// A rule that belongs to one dialect: its metadata is entry `index` of
/// the dialect's rule table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct DialectRule {
    pub dialect: Dialect,
    pub index: u8,
}

impl DialectRule {
    pub(crate) fn info(self) -> &'static RuleInfo {
        &spec(self.dialect).rules[usize::from(self.index)]
    }
}

/// What a parser of a dialect file is given.
pub(crate) struct ParseInput<'a> {
    /// The path relative to the workspace root.
    pub rel: &'a str,
    pub text: &'a str,
    /// The file's role, as the dialect's `classify` named it.
    pub role: &'static str,
    /// The markdown outline shared by every parser (headings, checkboxes,
    /// code and comment ranges where nothing counts).
    pub outline: &'a Outline,
}

/// One dialect: how it is recognised, read and checked.
pub(crate) struct DialectSpec {
    pub dialect: Dialect,
    /// The name used in documentation and `planmark.toml`.
    pub name: &'static str,
    /// The folders at a workspace's root that hold this dialect's planning
    /// files (`.planning`): read even when `.gitignore` leaves them out.
    pub planning_folders: &'static [&'static str],
    /// The role of the file at a path relative to the workspace root (with
    /// `/` separators), given with its parts, when the dialect owns it.
    pub classify: fn(rel: &str, parts: &[&str]) -> Option<&'static str>,
    /// Turns a file's text into facts. Never fails: what it cannot read is
    /// absent from the facts.
    pub parse: fn(&ParseInput<'_>, &mut FileFacts),
    /// The findings that only this dialect makes, for one of its files.
    pub check: fn(&Workspace, &Context, &SourceFile, &mut Sink<'_>),
    /// The quick fixes of a finding of one of the dialect's rules.
    pub fixes: fn(&Workspace, &SourceFile, &Diagnostic) -> Vec<Action>,
    /// The dialect's own rules; `Rule::Dialect` points into this table.
    pub rules: &'static [RuleInfo],
    /// The folder (a path prefix ending in `/`, or empty for the root)
    /// whose files of this dialect read each other, given one of them: all
    /// are checked again after an edit of one, and completion offers their
    /// items.
    pub scope: fn(rel: &str) -> &str,
    /// How a reference in this dialect writes an item's ID (`T012` for
    /// `001-auth/T012`).
    pub written_id: fn(&Item) -> String,
    /// The item that an ID no item defines names in the plan's history,
    /// given the file whose reference writes the ID: an item the dialect
    /// took out of the plan (Backlog.md's archived task). The reference
    /// still names nothing the plan can wait for, so it stays a finding;
    /// the finding says where the item went instead of guessing at a
    /// misspelling. An item carried out before it left the plan (state
    /// [`SHIPPED`]: a GSD plan archived with its shipped milestone) is
    /// history instead: the dependency on it is met, no finding, and holds
    /// nothing back.
    pub retired_item: fn(&Workspace, &SourceFile, id: &str) -> Option<RetiredItem>,
    /// The status words an item of this file may have, in the order to
    /// offer them; empty where statuses are checkboxes.
    pub status_words: fn(&Workspace, &SourceFile) -> Vec<String>,
    /// The progress of an item whose own file does not say it, read from
    /// the dialect's other files (a GSD plan is done when its summary
    /// exists), given the item's file.
    pub progress: fn(&Workspace, &SourceFile, &Item) -> Option<Progress>,
    /// The roles of the files that `progress` reads: a change to one of
    /// them changes other files' items, so the workspace-wide facts are
    /// made again.
    pub progress_sources: &'static [&'static str],
    /// The new spelling of an ID that a renamed item carries in its own
    /// (Backlog.md's sub-task `TASK-7.1` under `task-7`): given the ID as
    /// a file spells it, the renamed item's written ID and its new name,
    /// the ID renumbered in its own style (`TASK-9.1` for `task-9`), or
    /// `None` when the ID does not name an item below the renamed one.
    /// Rename renames those items with it.
    pub renumber_below: fn(spelled: &str, renamed: &str, new_name: &str) -> Option<String>,
    /// The words a front-matter list under `key` of this file takes, in
    /// the order to offer them (Backlog.md's `labels:`); empty for keys
    /// the dialect offers nothing for.
    pub list_words: fn(&Workspace, &SourceFile, key: &str) -> Vec<String>,
    /// The items that say they satisfy every requirement and criterion of
    /// `file` without naming them (a Kiro task whose `_Requirements:` line
    /// says `All`), given a file of requirements.
    pub covers_every: for<'a> fn(&'a Workspace, &'a SourceFile) -> Vec<&'a Item>,
    /// Whether a `covers` reference or an index row of `file` that names
    /// nothing can be called missing: `false` where the dialect's own check
    /// holds it back for want of anything to judge it by (a GSD plan
    /// without a `REQUIREMENTS.md`, a BMAD story whose criteria are in a
    /// form not read, an epic's key in `sprint-status.yaml`). Hover, inlay
    /// hints and semantic tokens say it is missing only when the check
    /// would.
    pub judges_reference: fn(&Workspace, &SourceFile, &Reference) -> bool,
    /// The items an item waits for by the word of the dialect's other
    /// files, beside the dependencies it names itself (a GSD plan waits for
    /// the open plans of the phases its phase depends on in ROADMAP.md).
    /// The dependency graph adds them as it adds a story's dependencies to
    /// its tasks; an ID that names no item is passed over, never reported,
    /// and one that names an item that is no work (a GSD phase that has no
    /// plans yet) holds the item back in the plan as waiting for work not
    /// planned yet.
    /// What it reads must change the graph's facts only through files
    /// named in `progress_sources` or `implied_deps_sources` or through
    /// items added or removed, so that an edit which changes the answer
    /// makes the graph afresh.
    pub implied_deps: fn(&Workspace, &SourceFile, &Item) -> Vec<Id>,
    /// The roles of the files whose items' dependencies `implied_deps`
    /// reads for other files' items (GSD's plans: which of a phase's open
    /// plans come last depends on each one's `depends_on`): a change to
    /// the dependency graph's facts of one makes the graph afresh. Unlike
    /// a progress source, an edit that leaves those facts alone (prose)
    /// costs nothing more.
    pub implied_deps_sources: &'static [&'static str],
    /// Why the plan holds an open item back although nothing it waits for
    /// is open (a Backlog.md draft is an idea until it is promoted to a
    /// task), as the plan's blocked reason says it; `None` for an item the
    /// plan may schedule. It may read the item, its file (a BMAD story's
    /// status holds back its tasks) and the dialect's `progress_sources`
    /// (a BMAD story without a status of its own is `backlog` in
    /// `sprint-status.yaml`), whose change makes the graph afresh; a change
    /// elsewhere does not make the item's node afresh.
    pub held_back: fn(&Workspace, &SourceFile, &Item) -> Option<&'static str>,
    /// Whether one of the dialect's own rules says why `item` of `file` is
    /// defined more than once, once for all its copies (GSD: two phase
    /// folders with one number give each plan number twice), so that
    /// `duplicate-id` leaves the item alone.
    pub explains_duplicate: fn(&Workspace, &SourceFile, &Item) -> bool,
}

/// An item taken out of its dialect's plan (see
/// `DialectSpec::retired_item`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct RetiredItem {
    /// What became of the item, as the dialect says it (`archived`).
    pub state: &'static str,
    /// The file that holds the item now.
    pub rel: String,
}

/// The state of a retired item that was carried out before it left the
/// plan (a GSD plan of a shipped milestone, archived with its phase): a
/// dependency on it is met.
pub(crate) const SHIPPED: &str = "shipped";

/// The state of a retired item whose file is gone but which its dialect's
/// record ticks as carried out (a GSD plan whose `- [x] 12-05-PLAN.md`
/// line the roadmap keeps): a dependency on it is met.
pub(crate) const TICKED: &str = "ticked";

impl RetiredItem {
    /// Whether the item was carried out before it left the plan (its state
    /// is [`SHIPPED`] or [`TICKED`]), so that a dependency on it is met.
    pub(crate) fn is_done(&self) -> bool {
        self.state == SHIPPED || self.state == TICKED
    }
}

/// `items` as a sentence lists them: `a`, `a and b`, `a, b and c`.
pub(crate) fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [only] => only.clone(),
        [head @ .., last] => format!("{} and {last}", head.join(", ")),
    }
}

/// The folders at a workspace's root that hold some dialect's planning
/// files, which the walk reads even when `.gitignore` leaves them out.
pub fn planning_folders() -> impl Iterator<Item = &'static str> {
    DIALECTS
        .iter()
        .flat_map(|spec| spec.planning_folders.iter().copied())
}

fn spec(dialect: Dialect) -> &'static DialectSpec {
    DIALECTS[dialect as usize]
}

/// The `/`-separated parts of a path. Every path of a workspace is
/// classified by every dialect: paths of up to [`INLINE_PARTS`] parts are
/// split without an allocation.
// The inline variant is large on purpose: a `PathParts` lives on the stack
// for one classification, and boxing it would be the allocation it avoids.
#[allow(clippy::large_enum_variant)]
pub(crate) enum PathParts<'a> {
    Inline([&'a str; INLINE_PARTS], usize),
    Heap(Vec<&'a str>),
}

/// How many parts a path may have and still be split in place.
const INLINE_PARTS: usize = 16;

impl<'a> PathParts<'a> {
    pub(crate) fn of(rel: &'a str) -> PathParts<'a> {
        let mut parts = [""; INLINE_PARTS];
        let mut count = 0;
        let mut start = 0;
        // A byte loop: paths are short, and `str::split` costs more to set
        // up than to run on them.
        for (at, byte) in rel.bytes().enumerate() {
            if byte == b'/' {
                if count == INLINE_PARTS - 1 {
                    return PathParts::Heap(rel.split('/').collect());
                }
                parts[count] = &rel[start..at];
                count += 1;
                start = at + 1;
            }
        }
        parts[count] = &rel[start..];
        PathParts::Inline(parts, count + 1)
    }
}

impl<'a> std::ops::Deref for PathParts<'a> {
    type Target = [&'a str];

    fn deref(&self) -> &[&'a str] {
        match self {
            PathParts::Inline(parts, count) => &parts[..*count],
            PathParts::Heap(parts) => parts,
        }
    }
}

/// The dialect file at `rel`, split into its `parts`, when a dialect owns
/// the path. Every path of a workspace is asked of every dialect: splitting
/// it once for all of them, not once each, saved a twentieth of `check`'s
/// instructions.
pub(crate) fn classify(rel: &str, parts: &[&str]) -> Option<DialectFile> {
    DIALECTS.iter().find_map(|d| {
        (d.classify)(rel, parts).map(|role| DialectFile {
            dialect: d.dialect,
            role,
        })
    })
}

pub(crate) fn parse(file: DialectFile, input: &ParseInput<'_>, facts: &mut FileFacts) {
    (spec(file.dialect).parse)(input, facts)
}

/// The dialect's own findings on one of its files.
pub(crate) fn check(ws: &Workspace, ctx: &Context, file: &SourceFile, sink: &mut Sink<'_>) {
    if let FileKind::Dialect(dialect_file) = file.facts.kind {
        (spec(dialect_file.dialect).check)(ws, ctx, file, sink)
    }
}

/// The quick fixes of a finding of a dialect rule.
pub(crate) fn fixes(
    rule: DialectRule,
    ws: &Workspace,
    file: &SourceFile,
    d: &Diagnostic,
) -> Vec<Action> {
    (spec(rule.dialect).fixes)(ws, file, d)
}

/// The scope of the IDs of a spec folder's file `rel`: the feature
/// folder's name, after the path of the project that holds the dialect's
/// folders (the `levels` folders above the feature folder: `specs/` for
/// spec-kit, `.kiro/specs/` for Kiro) when that project is not the
/// workspace root. Each project of a workspace plans on its own and may
/// name its features as another does, so a feature is known by its
/// project too: `001-auth`, but `apps/web/001-auth`.
pub(crate) fn project_feature(rel: &str, levels: usize) -> String {
    let mut parts = rel.rsplitn(levels + 3, '/').skip(1);
    let name = parts.next().unwrap_or("");
    match parts.nth(levels) {
        Some(project) if !project.is_empty() => format!("{project}/{name}"),
        _ => name.to_string(),
    }
}

/// The folder whose files of the dialect read each other (see
/// `DialectSpec::scope`).
pub(crate) fn scope(file: DialectFile, rel: &str) -> &str {
    (spec(file.dialect).scope)(rel)
}

/// How a reference of the dialect writes `item`'s ID.
pub(crate) fn written_id(file: DialectFile, item: &Item) -> String {
    (spec(file.dialect).written_id)(item)
}

/// How a finding on `file` names `item`: as the dialect writes it there
/// (`2.1`, `T046`, `task-7`) when `item` is of the same scope as the ID
/// `near` (the item the finding is about) or of `near` itself (a BMAD
/// story's tasks), else, and in the first workflow's files, by its ID
/// (`notify/task-2.1`).
pub(crate) fn shown_id(file: &SourceFile, near: &str, item: &Item) -> String {
    let scope = |id: &str| id.rsplit_once('/').map(|(scope, _)| scope.to_string());
    let own = scope(&item.id);
    match file.facts.kind {
        FileKind::Dialect(d) if own == scope(near) || own.as_deref() == Some(near) => {
            written_id(d, item)
        }
        _ => item.id.to_string(),
    }
}

/// The retired item that `id`, written in `file`, names (see
/// `DialectSpec::retired_item`).
pub(crate) fn retired_item(ws: &Workspace, file: &SourceFile, id: &str) -> Option<RetiredItem> {
    match file.facts.kind {
        FileKind::Dialect(d) => (spec(d.dialect).retired_item)(ws, file, id),
        _ => None,
    }
}

/// Whether a "did you mean" hint for `missing`, which `item` (if any) of
/// `file` names, may offer `candidate`, an ID near it in spelling. Only GSD
/// narrows the hints: a plan ID one digit off is mostly another phase's
/// plan, no typo (see `gsd::likely_meant`).
pub(crate) fn may_suggest(
    file: &SourceFile,
    item: Option<&Item>,
    missing: &str,
    candidate: &str,
) -> bool {
    match file.facts.kind {
        FileKind::Dialect(d) if d.dialect == Dialect::Gsd => {
            gsd::likely_meant(item, missing, candidate)
        }
        _ => true,
    }
}

/// The path of the project that `file`'s IDs begin with, ending in `/`
/// (`apps/a/` of `apps/a/bmad-story-1.2`), where the dialect puts it there
/// only to keep two projects' items apart: what the user wrote is the rest
/// (see `bmad::project_scope`). Empty for the workspace's own project and
/// for dialects whose scope is part of the ID as written (spec-kit's
/// `001-auth/T012`).
pub(crate) fn id_project(file: &SourceFile) -> String {
    match file.facts.kind {
        FileKind::Dialect(d) if d.dialect == Dialect::Bmad => bmad::project_scope(&file.rel),
        _ => String::new(),
    }
}

/// For dialects that keep no retired items.
pub(crate) fn no_retired_items(_: &Workspace, _: &SourceFile, _: &str) -> Option<RetiredItem> {
    None
}

/// The status words of a dialect file (see `DialectSpec::status_words`).
pub(crate) fn status_words(ws: &Workspace, file: &SourceFile) -> Vec<String> {
    match file.facts.kind {
        FileKind::Dialect(d) => (spec(d.dialect).status_words)(ws, file),
        _ => Vec::new(),
    }
}

/// The progress another file of its dialect gives `item` of `file` (see
/// `DialectSpec::progress`).
pub(crate) fn progress(ws: &Workspace, file: &SourceFile, item: &Item) -> Option<Progress> {
    match file.facts.kind {
        FileKind::Dialect(d) => (spec(d.dialect).progress)(ws, file, item),
        _ => None,
    }
}

/// Whether the items of `file` keep their own progress whatever their
/// parent's: a Backlog.md sub-task is a file of its own with its own
/// status, which Backlog.md's board and readiness read alone, so a done
/// parent leaves an open sub-task open. Elsewhere a done story closes its
/// tasks, as the `done/` folder closes an issue.
pub(crate) fn keeps_own_progress(file: &SourceFile) -> bool {
    matches!(file.facts.kind, FileKind::Dialect(d) if d.dialect == Dialect::Backlog)
}

/// Whether a change to `file` can change the progress of other files'
/// items (see `DialectSpec::progress_sources`).
pub(crate) fn informs_progress(file: &SourceFile) -> bool {
    match file.facts.kind {
        FileKind::Dialect(d) => spec(d.dialect).progress_sources.contains(&d.role),
        _ => false,
    }
}

/// The file that tells how far along `item` is when its own file does
/// not: a stories index, or a dialect file others take their progress from
/// (BMAD's `sprint-status.yaml`), that names it. Messages say where a
/// status comes from that the item's file does not show.
pub(crate) fn progress_told_by<'a>(ws: &'a Workspace, item: &Item) -> Option<&'a str> {
    if item.progress.is_some() {
        return None;
    }
    ws.referrers(&item.id).find(|rel| {
        ws.file(rel)
            .is_some_and(|f| f.facts.kind == FileKind::StoryIndex || informs_progress(f))
    })
}

/// Whether a change to `file`'s dependencies can change what other files'
/// items wait for (see `DialectSpec::implied_deps_sources`).
pub(crate) fn informs_implied_deps(file: &SourceFile) -> bool {
    match file.facts.kind {
        FileKind::Dialect(d) => spec(d.dialect).implied_deps_sources.contains(&d.role),
        _ => false,
    }
}

/// For dialects whose items say their own progress.
pub(crate) fn own_progress(_: &Workspace, _: &SourceFile, _: &Item) -> Option<Progress> {
    None
}

/// The words of a front-matter list of a dialect file (see
/// `DialectSpec::list_words`).
pub(crate) fn list_words(ws: &Workspace, file: &SourceFile, key: &str) -> Vec<String> {
    match file.facts.kind {
        FileKind::Dialect(d) => (spec(d.dialect).list_words)(ws, file, key),
        _ => Vec::new(),
    }
}

/// The items that satisfy every requirement of `file` without naming
/// them (see `DialectSpec::covers_every`).
pub(crate) fn covers_every<'a>(ws: &'a Workspace, file: &'a SourceFile) -> Vec<&'a Item> {
    match file.facts.kind {
        FileKind::Dialect(d) => (spec(d.dialect).covers_every)(ws, file),
        _ => Vec::new(),
    }
}

/// Whether the unresolved `covers` reference or index row `reference` of
/// `file` can be called missing (see `DialectSpec::judges_reference`); always for the
/// first workflow's files.
pub(crate) fn judges_reference(ws: &Workspace, file: &SourceFile, reference: &Reference) -> bool {
    match file.facts.kind {
        FileKind::Dialect(d) => (spec(d.dialect).judges_reference)(ws, file, reference),
        _ => true,
    }
}

/// The items `item` of `file` waits for by the word of its dialect's
/// other files (see `DialectSpec::implied_deps`).
pub(crate) fn implied_deps(ws: &Workspace, file: &SourceFile, item: &Item) -> Vec<Id> {
    match file.facts.kind {
        FileKind::Dialect(d) => (spec(d.dialect).implied_deps)(ws, file, item),
        _ => Vec::new(),
    }
}

/// Why the plan holds `item` of `file` back (see `DialectSpec::held_back`).
pub(crate) fn held_back(ws: &Workspace, file: &SourceFile, item: &Item) -> Option<&'static str> {
    match file.facts.kind {
        FileKind::Dialect(d) => (spec(d.dialect).held_back)(ws, file, item),
        _ => None,
    }
}

/// Whether the dialect of `file` reports why `item` is defined more than
/// once (see `DialectSpec::explains_duplicate`).
pub(crate) fn explains_duplicate(ws: &Workspace, file: &SourceFile, item: &Item) -> bool {
    match file.facts.kind {
        FileKind::Dialect(d) => (spec(d.dialect).explains_duplicate)(ws, file, item),
        _ => false,
    }
}

/// For dialects that leave every duplicate to `duplicate-id`.
pub(crate) fn no_duplicates_explained(_: &Workspace, _: &SourceFile, _: &Item) -> bool {
    false
}

/// For dialects whose open items the plan schedules.
pub(crate) fn never_held(_: &Workspace, _: &SourceFile, _: &Item) -> Option<&'static str> {
    None
}

/// For dialects whose items wait only for what they name.
pub(crate) fn no_implied_deps(_: &Workspace, _: &SourceFile, _: &Item) -> Vec<Id> {
    Vec::new()
}

/// For dialects whose check reports every `covers` reference that names
/// nothing.
pub(crate) fn judges_every_cover(_: &Workspace, _: &SourceFile, _: &Reference) -> bool {
    true
}

/// For dialects where covering is always by name.
pub(crate) fn covers_by_name_only<'a>(_: &'a Workspace, _: &'a SourceFile) -> Vec<&'a Item> {
    Vec::new()
}

/// For dialects without front-matter lists to complete.
pub(crate) fn no_list_words(_: &Workspace, _: &SourceFile, _: &str) -> Vec<String> {
    Vec::new()
}

/// For dialects whose statuses are checkboxes: no words to offer.
pub(crate) fn no_status_words(_: &Workspace, _: &SourceFile) -> Vec<String> {
    Vec::new()
}

/// How a renamed item renumbers an ID below it (see
/// `DialectSpec::renumber_below`).
pub(crate) fn renumber_below(
    file: DialectFile,
    spelled: &str,
    renamed: &str,
    new_name: &str,
) -> Option<String> {
    (spec(file.dialect).renumber_below)(spelled, renamed, new_name)
}

/// For dialects whose IDs carry no other item's: nothing is below.
pub(crate) fn nothing_below(_: &str, _: &str, _: &str) -> Option<String> {
    None
}

/// The folder holding `rel` (with its `/`), the scope of a dialect whose
/// files read only those beside them.
pub(crate) fn folder_scope(rel: &str) -> &str {
    rel.rfind('/').map_or("", |i| &rel[..=i])
}

/// The written form of an item that says its number (`1.2`), else its ID.
pub(crate) fn number_or_id(item: &Item) -> String {
    item.number.clone().unwrap_or_else(|| item.id.to_string())
}

/// The rules of every dialect, in table order.
pub(crate) fn rules() -> impl Iterator<Item = &'static RuleInfo> {
    DIALECTS.iter().flat_map(|d| d.rules.iter())
}

/// The name of a dialect, as documentation writes it.
pub fn name(dialect: Dialect) -> &'static str {
    spec(dialect).name
}

/// Declares a dialect's rules: a `Rule` constant for each and the `RULES`
/// table its `DialectSpec` points at.
macro_rules! dialect_rules {
    ($dialect:expr; $($konst:ident = $index:literal, $name:literal, $severity:ident, $reach:ident, $summary:literal;)*) => {
        $(
            pub(crate) const $konst: $crate::analysis::rules::Rule =
                $crate::analysis::rules::Rule::Dialect($crate::analysis::dialect::DialectRule {
                    dialect: $dialect,
                    index: $index,
                });
        )*
        pub(crate) static RULES: &[$crate::analysis::rules::RuleInfo] = &[$(
            $crate::analysis::rules::RuleInfo {
                rule: $konst,
                name: $name,
                severity: $crate::analysis::config::Severity::$severity,
                summary: $summary,
                options: &[],
                reach: $crate::analysis::rules::Reach::$reach,
            },
        )*];
    };
}
pub(crate) use dialect_rules;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::rules::Rule;

    #[test]
    fn a_feature_below_the_root_is_known_by_its_project() {
        assert_eq!(project_feature("specs/001-auth/spec.md", 1), "001-auth");
        assert_eq!(
            project_feature("apps/web/specs/001-auth/spec.md", 1),
            "apps/web/001-auth"
        );
        assert_eq!(project_feature(".kiro/specs/notify/tasks.md", 2), "notify");
        assert_eq!(
            project_feature("apps/web/.kiro/specs/notify/tasks.md", 2),
            "apps/web/notify"
        );
        assert_eq!(project_feature("tasks.md", 2), "");
    }

    #[test]
    fn the_table_follows_the_enum_and_each_rule_points_at_itself() {
        for (i, d) in DIALECTS.iter().enumerate() {
            assert_eq!(d.dialect as usize, i, "`{}` is out of place", d.name);
            for (j, info) in d.rules.iter().enumerate() {
                assert_eq!(
                    info.rule,
                    Rule::Dialect(DialectRule {
                        dialect: d.dialect,
                        index: j as u8
                    }),
                    "`{}` is out of place",
                    info.name
                );
                assert_eq!(Rule::from_name(info.name), Some(info.rule));
            }
        }
    }
}

#[cfg(test)]
mod path_parts_tests {
    use super::PathParts;

    #[test]
    fn a_path_splits_the_same_in_place_and_on_the_heap() {
        let sixteen = format!("{}x", "p/".repeat(15));
        let seventeen = format!("{}x", "p/".repeat(16));
        for rel in [
            "",
            "a",
            "a/b/c.md",
            "/x/",
            "//",
            "é/ü/日本.md",
            &sixteen,
            &seventeen,
            &"d/".repeat(40),
        ] {
            let expected: Vec<&str> = rel.split('/').collect();
            let parts = PathParts::of(rel);
            assert_eq!(&*parts, expected.as_slice(), "{rel}");
            assert_eq!(
                matches!(parts, PathParts::Heap(_)),
                expected.len() > super::INLINE_PARTS
            );
        }
    }
}
