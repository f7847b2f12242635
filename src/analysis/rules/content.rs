//! Rules on what one item says: criteria, required fields, vocabulary,
//! file names, user stories, placeholders and size.

use crate::analysis::ids;
use crate::analysis::model::{FileKind, Item, ItemKind};
use crate::analysis::parse::lines_in;
use crate::analysis::rules::{DiagnosticTag, Payload, Rule, Sink};
use crate::analysis::text::TextRange;
use crate::analysis::workspace::{SourceFile, Workspace};

pub(crate) fn check(ws: &Workspace, file: &SourceFile, sink: &mut Sink<'_>) {
    for range in &file.facts.placeholders {
        let text = &file.text[range.start..range.end];
        if let Some(d) = sink.push(
            Rule::PlaceholderText,
            *range,
            format!("template placeholder `{text}` was left unfilled"),
        ) {
            d.tags.push(DiagnosticTag::Unnecessary);
        }
    }
    for item in &file.facts.items {
        match (file.facts.kind, item.kind) {
            (FileKind::Issue, ItemKind::Issue) => {
                acceptance_criteria(file, item, sink);
                issue_fields(ws, file, item, sink);
                filename(ws, file, item, sink);
                user_story(file, item, sink);
                criteria_quality(item, sink);
                oversized_issue(item, sink);
            }
            (FileKind::MilestoneSpec, ItemKind::Issue) => {
                acceptance_criteria(file, item, sink);
                criteria_quality(item, sink);
            }
            (FileKind::Story, ItemKind::Story) => {
                acceptance_criteria(file, item, sink);
                user_story(file, item, sink);
                criteria_quality(item, sink);
                oversized_story(file, item, sink);
                story_number(file, item, sink);
            }
            (FileKind::Story, ItemKind::Task) => task_fields(ws, item, sink),
            _ => {}
        }
    }
}

fn acceptance_criteria(file: &SourceFile, item: &Item, sink: &mut Sink<'_>) {
    if !item.criteria.is_empty() {
        return;
    }
    let section = item.sections.iter().find(|s| {
        s.title
            .to_ascii_lowercase()
            .starts_with("acceptance criteria")
    });
    let what = item.kind.name();
    match section {
        Some(s) => sink.push(
            Rule::MissingAcceptanceCriteria,
            s.heading_range,
            format!("the Acceptance Criteria section of this {what} has no checklist item (`- [ ] ...`)"),
        ),
        None => sink.push(
            Rule::MissingAcceptanceCriteria,
            title_range(file, item),
            format!("{what} `{}` has no `## Acceptance Criteria` section", item.id),
        ),
    };
}

/// Where to report a problem of the whole item: its title, or the file's
/// first line when it has none.
fn title_range(file: &SourceFile, item: &Item) -> TextRange {
    if item.def_range.is_empty() {
        let first = file.line_index.line_range(0);
        TextRange::new(
            first.start,
            first.start + file.text[first.start..first.end].trim_end().len(),
        )
    } else {
        item.def_range
    }
}

fn issue_fields(ws: &Workspace, file: &SourceFile, item: &Item, sink: &mut Sink<'_>) {
    let vocabulary = &ws.config().vocabulary;
    let folder_gives_status = file.facts.folder_status.is_some();
    for (name, required) in [
        ("Type", true),
        ("Expert", true),
        ("Milestone", true),
        ("Status", !folder_gives_status),
    ] {
        if required && item.field(name).is_none() {
            sink.push_with(
                Rule::MissingField,
                title_range(file, item),
                format!("issue `{}` has no `**{name}:**` field", item.id),
                Payload::MissingField { label: name },
            );
        }
    }
    for (name, allowed) in [
        ("Type", &vocabulary.types),
        ("Expert", &vocabulary.experts),
        ("Status", &vocabulary.statuses),
        ("Estimated effort", &vocabulary.efforts),
    ] {
        if let Some(field) = item.field(name) {
            check_value(name, &field.value, field.value_range, allowed, sink);
        }
    }
}

fn task_fields(ws: &Workspace, item: &Item, sink: &mut Sink<'_>) {
    let vocabulary = &ws.config().vocabulary;
    let has = |names: &[&str]| names.iter().any(|n| item.field(n).is_some());
    for (names, shown) in [
        (&["domain"][..], "Domain"),
        (&["status"][..], "Status"),
        (&["depends on", "depends", "dependencies"][..], "Depends on"),
    ] {
        if !has(names) {
            sink.push_with(
                Rule::MissingField,
                item.def_range,
                format!("task `{}` has no `**{shown}:**` field", item.id),
                Payload::MissingField { label: shown },
            );
        }
    }
    if let Some(field) = item.field("Domain") {
        // A task may span domains: `weave + compute` is two known values,
        // not one unknown one.
        for (part, range) in split_values(&field.value, field.value_range) {
            check_value("Domain", part, range, &vocabulary.domains, sink);
        }
    }
    if let Some(field) = item.field("Status") {
        let allowed = &vocabulary.task_statuses;
        check_value("Status", &field.value, field.value_range, allowed, sink);
    }
}

/// The values of a multi-valued field (`weave + compute`, `backend,
/// electron`, `backend/compute`, `backend and compute`), each with its
/// range; a note in parentheses stays with the value before it.
pub(crate) fn split_values(value: &str, range: TextRange) -> Vec<(&str, TextRange)> {
    let head_len = value.find('(').unwrap_or(value.len());
    let mut cuts = Vec::new();
    for (i, c) in value[..head_len].char_indices() {
        if matches!(c, '+' | ',' | '/' | '&') {
            cuts.push((i, i + c.len_utf8()));
        }
    }
    let mut from = 0;
    while let Some(at) = value[from..head_len].find(" and ") {
        cuts.push((from + at, from + at + " and ".len()));
        from += at + " and ".len();
    }
    cuts.sort_unstable();
    let mut out = Vec::new();
    let mut start = 0;
    for end in cuts
        .iter()
        .map(|&(cut_start, cut_end)| (cut_start, Some(cut_end)))
        .chain([(value.len(), None)])
    {
        let part = &value[start..end.0];
        let lead = part.len() - part.trim_start().len();
        let trimmed = part.trim();
        if !trimmed.is_empty() {
            let at = range.start + start + lead;
            out.push((trimmed, TextRange::new(at, at + trimmed.len())));
        }
        match end.1 {
            Some(next) => start = next,
            None => break,
        }
    }
    out
}

/// A value compared with its vocabulary: case, a parenthetical note and a
/// trailing "session" do not matter.
fn check_value(
    name: &'static str,
    value: &str,
    range: TextRange,
    allowed: &[String],
    sink: &mut Sink<'_>,
) {
    fn norm(v: &str) -> String {
        let v = v
            .split('(')
            .next()
            .unwrap_or(v)
            .trim()
            .to_lowercase()
            .replace(['_', ' '], "-");
        v.trim_end_matches("-session").trim_matches('-').to_string()
    }
    let got = norm(value);
    if got.is_empty() || allowed.iter().any(|a| norm(a) == got) {
        return;
    }
    let list = allowed
        .iter()
        .map(|a| format!("`{a}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let hint = crate::analysis::suggest::closest(&got, allowed.iter().map(String::as_str))
        .map(|s| format!("; did you mean `{s}`?"))
        .unwrap_or_default();
    sink.push_with(
        Rule::UnknownValue,
        range,
        format!(
            "`{value}` is not a known {} (allowed: {list}){hint}",
            name.to_lowercase()
        ),
        Payload::UnknownValue {
            field: name,
            value: value.to_string(),
        },
    );
}

/// Whether a file-name expert stands for the field's expert: the same word,
/// or its initials (`sa` for `system-architect`).
fn expert_matches(in_name: &str, field: &str) -> bool {
    let field = field.trim().to_ascii_lowercase();
    let initials: String = field
        .split(['-', ' '])
        .filter_map(|w| w.chars().next())
        .collect();
    in_name == field || (field.contains(['-', ' ']) && in_name == initials)
}

fn filename(ws: &Workspace, file: &SourceFile, item: &Item, sink: &mut Sink<'_>) {
    let Some(parts) = ids::issue_parts(&item.id) else {
        sink.push(
            Rule::FilenameMismatch,
            title_range(file, item),
            format!(
                "issue file `{}` is not named `<expert>-<type>-<NNN>.md`",
                file.rel.rsplit('/').next().unwrap_or(&file.rel)
            ),
        );
        return;
    };
    let _ = ws;
    if parts.digits.len() < 3 {
        sink.push(
            Rule::FilenameMismatch,
            title_range(file, item),
            format!(
                "issue number `{}` should be zero-padded to 3 digits (`{}`)",
                parts.digits,
                ids::issue_id(parts.expert, parts.kind, parts.number)
            ),
        );
    }
    if let Some(field) = item.field("Expert") {
        let value = field.value.split('(').next().unwrap_or("").trim();
        if !value.is_empty() && !expert_matches(parts.expert, value) {
            sink.push(
                Rule::FilenameMismatch,
                field.value_range,
                format!(
                    "the file name says expert `{}` but the Expert field says `{value}`",
                    parts.expert
                ),
            );
        }
    }
    if let Some(field) = item.field("Type") {
        let value = field
            .value
            .split('(')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        if !value.is_empty() && value != parts.kind {
            sink.push(
                Rule::FilenameMismatch,
                field.value_range,
                format!(
                    "the file name says type `{}` but the Type field says `{value}`",
                    parts.kind
                ),
            );
        }
    }
}

/// The first paragraph of the `User Story` section.
fn user_story_text(file: &SourceFile, item: &Item) -> Option<TextRange> {
    let section = item
        .sections
        .iter()
        .find(|s| s.title.trim().eq_ignore_ascii_case("user story"))?;
    let body = TextRange::new(section.heading_range.end, section.range.end);
    let mut start = None;
    let mut end = body.start;
    for line in lines_in(&file.text, body) {
        let text = file.text[line.start..line.end].trim();
        if text.is_empty() {
            if start.is_some() {
                break;
            }
            continue;
        }
        if text.starts_with('#') {
            break;
        }
        // A comment line (`<!-- planmark-disable-next-line ... -->`) is
        // not part of the story.
        if text.starts_with("<!--") && text.ends_with("-->") {
            continue;
        }
        start.get_or_insert(
            line.start
                + (file.text[line.start..line.end].len()
                    - file.text[line.start..line.end].trim_start().len()),
        );
        end = line.start + file.text[line.start..line.end].trim_end().len();
    }
    start.map(|s| TextRange::new(s, end.max(s)))
}

/// A user story's text as one line, for matching: emphasis markers, quote
/// markers and line breaks read as spaces and runs of spaces as one, so that
/// `**As a** dispatcher` and stories wrapped over lines read like any other.
/// Also returns the file offset of every byte of the result, and of its end.
fn flatten(text: &str, base: usize) -> (String, Vec<usize>) {
    let mut flat = String::with_capacity(text.len());
    let mut offsets = Vec::with_capacity(text.len() + 1);
    let mut line_start = true;
    for (i, c) in text.char_indices() {
        let blank = matches!(c, '*' | '_' | ' ' | '\t' | '\n' | '\r') || (c == '>' && line_start);
        line_start = matches!(c, '\n' | '\r') || (line_start && blank);
        if blank {
            if !flat.is_empty() && !flat.ends_with(' ') {
                flat.push(' ');
                offsets.push(base + i);
            }
        } else {
            flat.push(c);
            offsets.extend((0..c.len_utf8()).map(|k| base + i + k));
        }
    }
    offsets.push(base + text.len());
    (flat, offsets)
}

fn user_story(file: &SourceFile, item: &Item, sink: &mut Sink<'_>) {
    let Some(range) = user_story_text(file, item) else {
        return;
    };
    let (flat, offsets) = flatten(&file.text[range.start..range.end], range.start);
    // ASCII lower-casing keeps every byte where it is, so offsets found in
    // `lower` are valid in `flat` (`İ` grows when fully lower-cased).
    let lower = flat.to_ascii_lowercase();
    let persona_start = ["as an ", "as a ", "as the ", "as "]
        .iter()
        .find_map(|p| lower.strip_prefix(p).map(|_| p.len()));
    let verb = [
        ", i need",
        ", i want",
        ", i desire",
        " i need",
        " i want",
        " i desire",
    ]
    .iter()
    .find_map(|v| lower.find(v).map(|i| (i, v.len())));
    // The value clause: "so that", or the equally common "so I can", "so we
    // can" and "in order to".
    let has_value = [" so that ", " so i can ", " so we can ", " in order to "]
        .iter()
        .any(|clause| lower.contains(clause));
    let Some(persona_start) = persona_start.filter(|_| verb.is_some() && has_value) else {
        let missing = if persona_start.is_none() {
            "does not start with \"As a <persona>,\""
        } else if verb.is_none() {
            "has no \"I need\", \"I want\" or \"I desire\""
        } else {
            "has no \"so that <value>\" clause"
        };
        sink.push(
            Rule::UserStoryFormat,
            range,
            format!(
                "the user story {missing}: it should read \"As a <persona>, I <need|want|desire> <capability> so that <value>\""
            ),
        );
        return;
    };
    let (verb_at, _) = verb.expect("checked above");
    if verb_at < persona_start {
        return;
    }
    let written = &flat[persona_start..verb_at];
    let persona = written.trim().trim_end_matches(',').trim_end();
    let generic = sink.option_strings(Rule::GenericPersona, "personas");
    if !persona.is_empty() && generic.iter().any(|g| g.eq_ignore_ascii_case(persona)) {
        let start = persona_start + (written.len() - written.trim_start().len());
        let end = start + persona.len();
        sink.push(
            Rule::GenericPersona,
            TextRange::new(offsets[start], offsets[end - 1] + 1),
            format!("\"{persona}\" is a generic persona: name who it is (\"warehouse manager\", not \"user\")"),
        );
    }
}

fn criteria_quality(item: &Item, sink: &mut Sink<'_>) {
    if item.criteria.is_empty() || sink.severity(Rule::VagueCriterion).is_none() {
        return;
    }
    for criterion in &item.criteria {
        if let Some(phrase) = sink.vague.first_in(&criterion.text) {
            let message =
                format!("\"{phrase}\" cannot be verified: say what the persona can see or do");
            sink.push(Rule::VagueCriterion, criterion.text_range, message);
        }
    }
}

fn oversized_issue(item: &Item, sink: &mut Sink<'_>) {
    // Size is a planning concern: splitting finished work helps no one.
    if item.is_done() {
        return;
    }
    let max = sink.option_usize(Rule::OversizedIssue, "max-criteria");
    let large = item
        .field("estimated effort")
        .filter(|f| f.value.to_ascii_lowercase().starts_with("large"));
    if item.criteria.len() > max {
        sink.push(
            Rule::OversizedIssue,
            item.def_range,
            format!(
                "{} acceptance criteria (more than {max}): this issue will not fit one session; split it",
                item.criteria.len()
            ),
        );
    } else if let Some(field) = large {
        sink.push(
            Rule::OversizedIssue,
            field.value_range,
            "a Large effort will not fit one session; split the issue",
        );
    }
}

fn oversized_story(file: &SourceFile, item: &Item, sink: &mut Sink<'_>) {
    if item.is_done() {
        return;
    }
    let max = sink.option_usize(Rule::OversizedStory, "max-tasks");
    let tasks = file
        .facts
        .items
        .iter()
        .filter(|t| t.parent.as_deref() == Some(&item.id))
        .count();
    if tasks > max {
        sink.push(
            Rule::OversizedStory,
            title_range(file, item),
            format!("{tasks} tasks (more than {max}): this story is too big; split it"),
        );
    }
}

/// A story's title number (`# Story 008: Title`) must be its file's
/// (`009-title.md`): references use the file's number, readers the title's.
fn story_number(file: &SourceFile, item: &Item, sink: &mut Sink<'_>) {
    let heading = &file.text[item.def_range.start..item.def_range.end];
    let lower = heading.trim_start().to_ascii_lowercase();
    let Some(rest) = lower.strip_prefix("story") else {
        return;
    };
    let digits: String = rest
        .trim_start_matches([' ', '-'])
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let Ok(in_heading) = digits.parse::<u32>() else {
        return;
    };
    let Some(in_name) = item
        .id
        .strip_prefix("story-")
        .and_then(|n| n.parse::<u32>().ok())
    else {
        return;
    };
    if in_heading != in_name {
        let name = file.rel.rsplit('/').next().unwrap_or(&file.rel);
        sink.push(
            Rule::FilenameMismatch,
            item.def_range,
            format!(
                "the title says story {digits} but the file name `{name}` says {}",
                ids::format_issue_number(in_name)
            ),
        );
    }
}
