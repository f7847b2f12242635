//! Completion at a cursor: IDs in dependency fields, criteria where an item
//! lists what it covers, vocabulary values after
//! `**Status:**` and its kin, personas after `As a `, missing field names
//! after `**`, missing template sections after `## `, and the next task
//! after `### `, and in a dialect file the status words and the words of
//! its front-matter lists (`labels:`).

mod ids;
mod lists;
pub(crate) mod personas;
mod statuses;
mod templates;
mod values;
mod words;

use crate::analysis::features::{in_ignored, Derived, VALUE_LABELS};
use crate::analysis::model::{FileKind, ItemKind};
use crate::analysis::text::{floor_char_boundary, TextRange};
use crate::analysis::workspace::{SourceFile, Workspace};

use ids::ids;
pub(crate) use ids::{written_form, IdContext};
use templates::{fields, is_label_start, next_task, replace_end, sections};
use values::values;

/// At most this many candidates are returned; the list is then incomplete.
pub const LIMIT: usize = 200;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Completions {
    pub items: Vec<Completion>,
    /// More candidates matched than were returned: ask again as the user
    /// types.
    pub incomplete: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompletionKind {
    /// An ID of an item of this kind.
    Item(ItemKind),
    /// A vocabulary value or a milestone after a field label.
    Value,
    /// A persona after `As a ` in a user story.
    Persona,
    /// A `**Label:**` field name.
    Field,
    /// A `## ` template section.
    Section,
    /// A whole `### NNN:` task.
    Task,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Completion {
    pub label: String,
    pub kind: CompletionKind,
    /// One line shown next to the label (an item's title).
    pub detail: Option<String>,
    /// Markdown.
    pub documentation: Option<String>,
    /// The text the candidate replaces; it holds the cursor.
    pub range: TextRange,
    /// The plain text to insert.
    pub insert: String,
    /// The same text as an LSP snippet (`$1` tab stops), when it has any.
    pub snippet: Option<String>,
    /// What clients match the typed text against.
    pub filter_text: String,
    /// Clients sort by this; the list is already in this order.
    pub sort_text: String,
    /// Choosing this ID would close a dependency cycle (show it struck out).
    pub closes_cycle: bool,
}

impl Completion {
    fn new(label: String, kind: CompletionKind, range: TextRange) -> Completion {
        Completion {
            insert: label.clone(),
            filter_text: label.clone(),
            label,
            kind,
            detail: None,
            documentation: None,
            range,
            snippet: None,
            sort_text: String::new(),
            closes_cycle: false,
        }
    }
}

/// The candidates at `offset` in the file `rel`.
pub fn completion(ws: &Workspace, derived: &Derived, rel: &str, offset: usize) -> Completions {
    completion_lazy(ws, rel, offset, || Some(derived))
}

/// [`completion`], asking for the [`Derived`] facts only where the
/// candidates need them (IDs, values and personas), so that completing a
/// field name or a section right after an edit costs no plan. Nothing is
/// offered where they are needed and `derived` gives none.
pub fn completion_lazy<'d>(
    ws: &Workspace,
    rel: &str,
    offset: usize,
    derived: impl FnOnce() -> Option<&'d Derived>,
) -> Completions {
    let Some(file) = ws.file(rel) else {
        return Completions::default();
    };
    let text = &*file.text;
    let offset = floor_char_boundary(text, offset);
    if in_ignored(file, offset) {
        return Completions::default();
    }
    let line = file
        .line_index()
        .line_range(file.line_index().line_of(offset));
    let line = TextRange::new(
        line.start(),
        line.start()
            + text[line.start()..line.end()]
                .trim_end_matches(['\n', '\r'])
                .len(),
    );
    let before = &text[line.start()..offset];
    let mut out = if let Some((list, field)) = lists::list_at(file, offset) {
        lists::candidates(ws, file, offset, list, field)
    } else if let Some(words) = statuses::at(ws, file, offset, line) {
        words
    } else if let Some(words) = words::at(ws, file, offset, line) {
        words
    } else if matches!(file.facts.kind, FileKind::Dialect(_)) {
        // The rest is the first workflow's vocabulary and templates.
        Completions::default()
    } else if let Some(field) = field_line(text, line).filter(|f| offset >= f.value_start) {
        let label = field.label.to_ascii_lowercase();
        let wanted = is_dependency_label(&label) || VALUE_LABELS.contains(&label.as_str());
        let Some(derived) = derived().filter(|_| wanted) else {
            return Completions::default();
        };
        if is_dependency_label(&label) {
            ids(
                ws,
                derived,
                file,
                offset,
                field.value_start,
                IdContext::Field,
            )
        } else if let Some(&label) = VALUE_LABELS.iter().find(|l| **l == label) {
            values(
                ws,
                derived,
                file,
                offset,
                label,
                field.value_start,
                line.end(),
            )
        } else {
            Completions::default()
        }
    } else if let Some(value_start) = story_dependency_bullet(file, line, offset) {
        let Some(derived) = derived() else {
            return Completions::default();
        };
        ids(
            ws,
            derived,
            file,
            offset,
            value_start,
            IdContext::StoryBullet,
        )
    } else if let Some(start) = personas::persona_start(file, line, offset) {
        let Some(derived) = derived() else {
            return Completions::default();
        };
        personas::personas(file, derived.personas(), start, offset, line.end())
    } else if is_label_start(before) && replace_end(text, offset, line) == line.end() {
        fields(file, offset, line)
    } else if let Some(rest) = before.strip_prefix("### ") {
        if rest.contains('#') {
            Completions::default()
        } else {
            next_task(ws, file, offset, line)
        }
    } else if let Some(rest) = before.strip_prefix("## ") {
        if rest.contains('#') {
            Completions::default()
        } else {
            sections(file, offset, line)
        }
    } else {
        Completions::default()
    };
    for (i, item) in out.items.iter_mut().enumerate() {
        item.sort_text = format!("{i:04}");
    }
    out
}

/// Labels of the fields that hold dependencies.
const DEPENDENCY_LABELS: &[&str] = &[
    "dependencies",
    "depends on",
    "depends",
    "prerequisites",
    "blocked by",
];

fn is_dependency_label(label: &str) -> bool {
    DEPENDENCY_LABELS.contains(&label.trim())
}

/// A `**Label:** value` line as the user is typing it.
struct FieldLine {
    label: String,
    /// Where the value starts (after the label and any spaces).
    value_start: usize,
}

fn field_line(text: &str, line: TextRange) -> Option<FieldLine> {
    let raw = &text[line.start()..line.end()];
    let body = raw.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    let body = ["- ", "* ", "+ "]
        .iter()
        .find_map(|m| body.strip_prefix(m))
        .map_or(body, str::trim_start);
    let inner = body.strip_prefix("**")?;
    let close = inner.find("**")?;
    let label_part = &inner[..close];
    let after = &inner[close + 2..];
    let (label, value) = match label_part.strip_suffix(':') {
        Some(label) => (label, after),
        None => (label_part, after.strip_prefix(':')?),
    };
    let value_start = line.end() - value.len() + (value.len() - value.trim_start().len());
    Some(FieldLine {
        label: label.trim().to_string(),
        value_start,
    })
}

/// Where a story's `## Dependencies` bullet's value starts, when the cursor
/// is in one.
fn story_dependency_bullet(file: &SourceFile, line: TextRange, offset: usize) -> Option<usize> {
    if file.facts.kind != FileKind::Story {
        return None;
    }
    let story = file.facts.items.first()?;
    story.sections.iter().find(|s| {
        s.level == 2
            && s.is_titled(&file.text, "dependencies")
            && s.heading_range.end() < line.start()
            && s.range.touches(offset)
    })?;
    let raw = &file.text[line.start()..line.end()];
    let indent = raw.len() - raw.trim_start().len();
    let rest = raw[indent..].strip_prefix(['-', '*', '+'])?;
    let start = line.start() + indent + 1 + (rest.len() - rest.trim_start().len());
    (offset >= start).then_some(start)
}
