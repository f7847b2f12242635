//! Completion of templates: missing field names after `**`, missing
//! sections after `## `, and the story's next task after `### `.

use super::{is_dependency_label, Completion, CompletionKind, Completions};
use crate::analysis::features::item_at;
use crate::analysis::model::{FileKind, ItemKind};
use crate::analysis::text::TextRange;
use crate::analysis::workspace::{SourceFile, Workspace};

/// Whether the text before the cursor is `**` and a partial label, at the
/// start of the line.
pub(super) fn is_label_start(before: &str) -> bool {
    before
        .strip_prefix("**")
        .is_some_and(|rest| rest.chars().all(|c| c.is_alphabetic() || c == ' '))
}

/// The end of a replacement that starts at the line start: the line's end
/// when only white space, `*` or `:` follow the cursor (an editor closing
/// `**` by itself), else the cursor.
pub(super) fn replace_end(text: &str, offset: usize, line: TextRange) -> usize {
    let rest = &text[offset..line.end()];
    if rest
        .chars()
        .all(|c| c.is_whitespace() || c == '*' || c == ':')
    {
        line.end()
    } else {
        offset
    }
}

pub(super) fn fields(file: &SourceFile, offset: usize, line: TextRange) -> Completions {
    let Some(item) = item_at(file, offset) else {
        return Completions::default();
    };
    let section = item
        .sections
        .iter()
        .filter(|s| {
            s.level >= 2 && s.heading_range.end() <= line.start() && s.range.touches(offset)
        })
        .max_by_key(|s| s.level);
    let names: &[&str] = match (
        item.kind,
        section.map(|s| s.title(&file.text).to_ascii_lowercase()),
    ) {
        (ItemKind::Task, _) => &["Domain", "Status", "Depends on"],
        (ItemKind::Issue, None) => &["Type", "Expert", "Milestone", "Status"],
        (ItemKind::Issue, Some(s)) if s == "technical notes" || s == "notes" => {
            &["Estimated effort", "Dependencies", "Inputs", "Out of scope"]
        }
        (ItemKind::Story, None) => &["Status", "Milestone"],
        _ => &[],
    };
    let has = |name: &str| {
        if name == "Depends on" || name == "Dependencies" {
            item.fields
                .iter()
                .any(|f| is_dependency_label(&f.label.to_ascii_lowercase()))
        } else {
            item.field(name).is_some()
        }
    };
    let range = TextRange::new(line.start(), replace_end(&file.text, offset, line));
    let items = names
        .iter()
        .filter(|n| !has(n))
        .map(|name| {
            let label = format!("**{name}:**");
            let mut c = Completion::new(label.clone(), CompletionKind::Field, range);
            c.insert = format!("{label} ");
            c
        })
        .collect();
    Completions {
        items,
        incomplete: false,
    }
}

const ISSUE_SECTIONS: &[&str] = &[
    "User Story",
    "Description",
    "Acceptance Criteria",
    "Technical Notes",
];
const STORY_SECTIONS: &[&str] = &[
    "User Story",
    "Description",
    "Acceptance Criteria",
    "Technical Notes",
    "Out of Scope",
    "Dependencies",
    "Tasks",
];

pub(super) fn sections(file: &SourceFile, offset: usize, line: TextRange) -> Completions {
    let names = match file.facts.kind {
        FileKind::Issue => ISSUE_SECTIONS,
        FileKind::Story => STORY_SECTIONS,
        _ => return Completions::default(),
    };
    let Some(item) = file.facts.items.first() else {
        return Completions::default();
    };
    let range = TextRange::new(line.start(), replace_end(&file.text, offset, line));
    let items = names
        .iter()
        .filter(|name| {
            // The heading being typed does not count as present.
            !item
                .sections
                .iter()
                .any(|s| s.is_titled(&file.text, name) && !s.heading_range.touches(offset))
        })
        .map(|name| Completion::new(format!("## {name}"), CompletionKind::Section, range))
        .collect();
    Completions {
        items,
        incomplete: false,
    }
}

pub(super) fn next_task(
    ws: &Workspace,
    file: &SourceFile,
    offset: usize,
    line: TextRange,
) -> Completions {
    if file.facts.kind != FileKind::Story {
        return Completions::default();
    }
    let Some(story) = file.facts.items.first() else {
        return Completions::default();
    };
    let in_tasks = story.sections.iter().any(|s| {
        s.level == 2
            && s.is_titled(&file.text, "tasks")
            && s.heading_range.end() <= line.start()
            && s.range.touches(offset)
    });
    if !in_tasks {
        return Completions::default();
    }
    let next = file
        .facts
        .items
        .iter()
        .filter(|i| i.kind == ItemKind::Task && !i.def_range.touches(offset))
        .filter_map(|i| {
            i.number
                .as_deref()?
                .split('.')
                .next()?
                .trim_end_matches(|c: char| c.is_ascii_alphabetic())
                .parse::<u32>()
                .ok()
        })
        .max()
        .unwrap_or(0)
        + 1;
    let number = format!("{next:03}");
    let status = ws
        .config()
        .vocabulary
        .task_statuses
        .first()
        .map_or("pending", String::as_str);
    let nl = if file.text.contains("\r\n") {
        "\r\n"
    } else {
        "\n"
    };
    let range = TextRange::new(line.start(), replace_end(&file.text, offset, line));
    let mut c = Completion::new(format!("### {number}: "), CompletionKind::Task, range);
    c.label = format!("### {number}: new task");
    c.detail = Some(format!("task {number} with Domain, Status and Depends on"));
    c.insert = format!(
        "### {number}: {nl}**Domain:** {nl}**Status:** {status}{nl}**Depends on:** none{nl}"
    );
    c.snippet = Some(format!(
        "### {number}: ${{1:Short title}}{nl}**Domain:** ${{2}}{nl}**Status:** {status}{nl}**Depends on:** ${{3:none}}{nl}{nl}$0"
    ));
    c.filter_text = format!("### {number}");
    Completions {
        items: vec![c],
        incomplete: false,
    }
}
