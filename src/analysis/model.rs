//! The facts a planning file holds: items (issues, stories, tasks,
//! milestones), their fields, criteria and references, all with byte ranges.

use crate::analysis::compact::compact;
use crate::analysis::dialect::DialectFile;
use crate::analysis::intern::Id;
use crate::analysis::slice::Slice;
use crate::analysis::text::TextRange;

/// What kind of planning file a path holds, decided from its location.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FileKind {
    /// `issues/<status>/<id>.md`.
    Issue,
    /// `issues/issues-list.md`.
    Index,
    /// `docs/stories/NNN-slug.md`.
    Story,
    /// `docs/stories/README.md`: a table of the stories with their status.
    StoryIndex,
    /// `docs/roadmap.md`.
    Roadmap,
    /// `docs/project-brief.md`.
    Brief,
    /// A numbered issue spec in a milestone folder (`milestones/m5/01-x.md`).
    MilestoneSpec,
    /// `00-epic.md`, `00-SPECIFICATION.md` or `IMPLEMENTATION_PLAN.md` of a
    /// milestone folder.
    MilestoneDoc,
    /// A file of another planning format, read by its dialect module
    /// (`analysis/dialect/`).
    Dialect(DialectFile),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ItemKind {
    Issue,
    Story,
    Task,
    Milestone,
    /// A requirement that criteria belong to (Kiro's `Requirement 2`,
    /// spec-kit's `FR-001`).
    Requirement,
    /// One acceptance criterion with an ID of its own (Kiro's `2.3`,
    /// spec-kit's `SC-001`), which tasks can name as covered.
    Criterion,
    /// A feature or spec that holds requirements and tasks (a Kiro spec
    /// folder, a spec-kit feature).
    Feature,
    /// A group of stories (BMAD's epic 1).
    Epic,
    /// A phase of a plan (spec-kit's `Phase 2`, GSD's `03`).
    Phase,
    /// A plan of a phase (GSD's `03-02`).
    Plan,
    /// A proposed change (OpenSpec's change folder).
    Change,
}

impl ItemKind {
    pub fn name(self) -> &'static str {
        match self {
            ItemKind::Issue => "issue",
            ItemKind::Story => "story",
            ItemKind::Task => "task",
            ItemKind::Milestone => "milestone",
            ItemKind::Requirement => "requirement",
            ItemKind::Criterion => "criterion",
            ItemKind::Feature => "feature",
            ItemKind::Epic => "epic",
            ItemKind::Phase => "phase",
            ItemKind::Plan => "plan",
            ItemKind::Change => "change",
        }
    }

    /// Whether items of this kind are work that the plan schedules. A
    /// requirement or criterion is what work satisfies, and a feature or
    /// epic only groups it.
    pub fn is_work(self) -> bool {
        matches!(
            self,
            ItemKind::Issue
                | ItemKind::Story
                | ItemKind::Task
                | ItemKind::Milestone
                | ItemKind::Plan
                | ItemKind::Change
        )
    }
}

/// How far along an item is, whatever words its file uses for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Progress {
    NotStarted,
    InProgress,
    Done,
    /// Closed without being done: cancelled, superseded, dropped. Nothing
    /// waits for it and it is not offered as work, but it is not done
    /// either, so no rule about done items applies to it.
    Dropped,
}

/// A `**Label:** value` line, a `## Status` section's first line, or a
/// front-matter key and its value. A workspace holds about ten fields per
/// item and writes a handful of labels: the label is interned and the
/// value is read through the file's text, which keeps a field at 32 bytes
/// (72 with copies of the label and the value).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Field {
    /// The label as written, without the bold markers and colon and with
    /// surrounding white space removed (or the name a dialect gives what
    /// its file marks otherwise, such as `Priority` for spec-kit's `(P1)`).
    pub label: Id,
    pub label_range: TextRange,
    /// The value with surrounding white space removed: read it with
    /// [`Field::value`].
    pub value_range: TextRange,
    /// The whole line without its line break.
    pub line_range: TextRange,
}

impl Field {
    /// A field labelled `label` (interned without surrounding white space).
    pub fn new(
        label: &str,
        label_range: TextRange,
        value_range: TextRange,
        line_range: TextRange,
    ) -> Field {
        Field {
            label: Id::frequent(label.trim()),
            label_range,
            value_range,
            line_range,
        }
    }

    /// Whether the label names `name`, ignoring case.
    pub fn is(&self, name: &str) -> bool {
        self.label.eq_ignore_ascii_case(name)
    }

    /// The value, read from `text`: the text of the file the field is in.
    pub fn value<'t>(&self, text: &'t str) -> &'t str {
        self.value_range.of(text)
    }
}

/// One `- [ ]` / `- [x]` checklist line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Criterion {
    pub checked: bool,
    /// The text after the checkbox, with surrounding white space removed:
    /// read it with [`Criterion::text`].
    pub text_range: TextRange,
    /// The `[ ]` or `[x]` box.
    pub box_range: TextRange,
    /// The whole line including its line break.
    pub line_range: TextRange,
}

impl Criterion {
    /// The text after the checkbox, read from `text`: the text of the file
    /// the criterion is in.
    pub fn text<'t>(&self, text: &'t str) -> &'t str {
        self.text_range.of(text)
    }
}

/// A `## ` heading and the text under it up to the next heading of the same
/// or a higher level.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Section {
    pub level: u8,
    /// The heading's text without its markers and surrounding white
    /// space: read it with [`Section::title`].
    pub title_range: TextRange,
    pub heading_range: TextRange,
    /// From the start of the heading line to the start of the next section.
    pub range: TextRange,
}

impl Section {
    /// The title, read from `text`: the text of the file the section is in.
    pub fn title<'t>(&self, text: &'t str) -> &'t str {
        self.title_range.of(text)
    }

    /// Whether the title is `name`, ignoring case.
    pub fn is_titled(&self, text: &str, name: &str) -> bool {
        self.title(text).eq_ignore_ascii_case(name)
    }
}

/// What a reference points at, before the workspace resolves it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Target {
    /// A canonical item ID (`swe-feature-001`, `story-015`, `story-015/002`,
    /// `M5`, `#301`).
    Id(Id),
    /// A milestone named by its title (`Detection ingest`), or by its
    /// `[Group]` alone; the workspace resolves it against the roadmap.
    MilestoneTitle(String),
}

impl Target {
    pub fn as_id(&self) -> Option<&'static str> {
        self.id().map(Id::as_str)
    }

    pub fn id(&self) -> Option<Id> {
        match self {
            Target::Id(id) => Some(*id),
            Target::MilestoneTitle(_) => None,
        }
    }
}

/// Where a reference was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RefRole {
    /// A dependency: the item cannot finish before the target.
    Dependency,
    /// The item's milestone.
    Milestone,
    /// A row of the issues index.
    IndexRow,
    /// The brief's `Next task:`.
    NextTask,
    /// A roadmap milestone's `Depends On` cell.
    MilestoneDependency,
    /// A criterion or requirement that the item says it satisfies (Kiro's
    /// `_Requirements: 1.2_`, BMAD's `(AC: 1, 3)`).
    Covers,
    /// An item named without a relation the plan reads (an OpenSpec delta
    /// naming the requirement it modifies).
    Mention,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reference {
    pub target: Target,
    /// The text as written (`Story 015`, `#301`, `002`).
    pub written: Slice,
    pub range: TextRange,
    pub role: RefRole,
    /// What kind of item the reference must name, when the place it is
    /// written in says so; messages about it use that word.
    pub expects: Option<ItemKind>,
}

/// A planning item defined in a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
    pub kind: ItemKind,
    /// The canonical ID.
    pub id: Id,
    /// Other IDs the item answers to (a milestone spec's `#301`).
    pub aliases: Vec<Id>,
    pub title: Slice,
    /// Where the item is defined: the title heading, task heading or
    /// roadmap row.
    pub def_range: TextRange,
    /// The whole extent of the item in its file.
    pub range: TextRange,
    pub fields: Vec<Field>,
    pub sections: Vec<Section>,
    pub criteria: Vec<Criterion>,
    /// References in the dependency field(s), in order.
    pub deps: Vec<Reference>,
    /// The range of the dependency field's value, when the item has one.
    pub deps_field: Option<TextRange>,
    /// The criteria and requirements the item says it satisfies, in order.
    pub covers: Vec<Reference>,
    /// The range of the value that lists them (`1.1, 2.3` in
    /// `_Requirements: 1.1, 2.3_`), when the item has one: completion
    /// offers criteria there.
    pub covers_field: Option<TextRange>,
    /// Boxed: few items name a milestone, and a reference inline made
    /// every item 56 bytes larger (an item is the one large allocation of
    /// most files).
    pub milestone: Option<Box<Reference>>,
    /// The status as written, with its range.
    pub status: Option<(Slice, TextRange)>,
    pub progress: Option<Progress>,
    /// For a task, the canonical ID of its story.
    pub parent: Option<Id>,
    /// The task number as written in its heading (`001`, `1.1`).
    pub number: Option<String>,
}

impl Item {
    pub fn new(kind: ItemKind, id: impl Into<Id>, def_range: TextRange) -> Item {
        Item {
            kind,
            id: id.into(),
            aliases: Vec::new(),
            title: Slice::default(),
            def_range,
            range: def_range,
            fields: Vec::new(),
            sections: Vec::new(),
            criteria: Vec::new(),
            deps: Vec::new(),
            deps_field: None,
            covers: Vec::new(),
            covers_field: None,
            milestone: None,
            status: None,
            progress: None,
            parent: None,
            number: None,
        }
    }

    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.is(name))
    }

    /// The value of the field named `name`, read from `text`: the text of
    /// the file the item is in.
    pub fn field_value<'t>(&self, text: &'t str, name: &str) -> Option<&'t str> {
        self.field(name).map(|f| f.value(text))
    }

    pub fn is_done(&self) -> bool {
        self.progress == Some(Progress::Done)
    }

    /// Whether the item is done or was dropped: nothing is left to do.
    pub fn is_closed(&self) -> bool {
        matches!(self.progress, Some(Progress::Done | Progress::Dropped))
    }

    pub fn criteria_done(&self) -> usize {
        self.criteria.iter().filter(|c| c.checked).count()
    }
}

/// One row of the issues index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IndexRow {
    pub id: Id,
    pub id_range: TextRange,
    pub line_range: TextRange,
    /// Cells by lower-cased column header.
    pub cells: Vec<IndexCell>,
}

/// One cell of an index row. A 100,000-row index has 600,000 of them,
/// 16 bytes each: the column's name is interned, and the value is read
/// through the file's text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IndexCell {
    /// The column's header, lower-cased.
    pub column: Id,
    /// The value, with surrounding white space removed: read it with
    /// [`IndexCell::value`].
    pub range: TextRange,
}

impl IndexCell {
    /// The value, read from `text`: the text of the index file.
    pub fn value<'t>(&self, text: &'t str) -> &'t str {
        self.range.of(text)
    }
}

impl IndexRow {
    pub fn cell(&self, column: &str) -> Option<&IndexCell> {
        self.cells
            .iter()
            .find(|c| c.column.eq_ignore_ascii_case(column))
    }
}

/// The issues index table.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct IndexTable {
    /// Column headers as written.
    pub columns: Vec<String>,
    pub table_range: TextRange,
    pub rows: Vec<IndexRow>,
}

/// A `<!-- planmark-... -->` suppression comment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SuppressionKind {
    Disable,
    Enable,
    DisableNextLine,
    DisableFile,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suppression {
    pub kind: SuppressionKind,
    /// Rule names; empty means every rule.
    pub rules: Vec<String>,
    pub range: TextRange,
}

/// Everything planmark knows about one file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileFacts {
    pub kind: FileKind,
    pub items: Vec<Item>,
    /// References outside any item (index rows, the brief's next task).
    pub references: Vec<Reference>,
    /// Boxed: one file in thousands has one, and the others keep 8 bytes
    /// for it instead of 56.
    pub index: Option<Box<IndexTable>>,
    pub suppressions: Vec<Suppression>,
    /// Template placeholders such as `[Short descriptive title]`.
    pub placeholders: Vec<TextRange>,
    /// The status folder the file sits in, for issue files.
    pub folder_status: Option<String>,
    /// Byte ranges that are code or HTML comments: nothing in them counts.
    pub ignored: Vec<TextRange>,
}

impl FileFacts {
    pub fn new(kind: FileKind) -> FileFacts {
        FileFacts {
            kind,
            items: Vec::new(),
            references: Vec::new(),
            index: None,
            suppressions: Vec::new(),
            placeholders: Vec::new(),
            folder_status: None,
            ignored: Vec::new(),
        }
    }

    /// Gives back the room the lists grew into while the file was read:
    /// a workspace keeps the facts of every file for as long as it runs.
    pub fn shrink_to_fit(&mut self) {
        for item in &mut self.items {
            compact(&mut item.fields);
            compact(&mut item.sections);
            compact(&mut item.criteria);
            compact(&mut item.deps);
            compact(&mut item.covers);
            compact(&mut item.aliases);
        }
        compact(&mut self.items);
        compact(&mut self.references);
        compact(&mut self.suppressions);
        compact(&mut self.placeholders);
        compact(&mut self.ignored);
        if let Some(index) = &mut self.index {
            for row in &mut index.rows {
                compact(&mut row.cells);
            }
            compact(&mut index.rows);
        }
    }

    /// Every reference in the file, inside items or not.
    pub fn all_references(&self) -> impl Iterator<Item = &Reference> {
        self.items
            .iter()
            .flat_map(|item| {
                item.deps
                    .iter()
                    .chain(item.milestone.as_deref())
                    .chain(item.covers.iter())
            })
            .chain(self.references.iter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The sizes the documentation gives: a 100,000-issue workspace holds
    /// about a million fields, and half a million criteria, sections and
    /// index cells each.
    #[test]
    fn facts_keep_to_their_sizes() {
        let sizes = [
            std::mem::size_of::<Id>(),
            std::mem::size_of::<Field>(),
            std::mem::size_of::<Criterion>(),
            std::mem::size_of::<Section>(),
            std::mem::size_of::<IndexCell>(),
            std::mem::size_of::<Reference>(),
            std::mem::size_of::<Item>(),
        ];
        assert_eq!(sizes, [8, 32, 28, 28, 16, 64, 296]);
    }
}
