//! Rules on what one item says: criteria, required fields, vocabulary,
//! file names, user stories, placeholders and size.

use crate::analysis::model::{FileKind, Item, ItemKind};
use crate::analysis::parse::lines_in;
use crate::analysis::rules::{
    filename_mismatch, missing_acceptance_criteria, oversized_issue, oversized_story,
    placeholder_text, vague_criterion, Payload, Rule, Sink,
};
use crate::analysis::text::TextRange;
use crate::analysis::workspace::{SourceFile, Workspace};

pub(crate) fn check(ws: &Workspace, file: &SourceFile, sink: &mut Sink<'_>) {
    placeholder_text::check(file, sink);
    for item in &file.facts.items {
        match (file.facts.kind, item.kind) {
            (FileKind::Issue, ItemKind::Issue) => {
                missing_acceptance_criteria::check(file, item, sink);
                issue_fields(ws, file, item, sink);
                filename_mismatch::check(ws, file, item, sink);
                user_story(file, item, sink);
                vague_criterion::check(item, sink);
                oversized_issue::check(item, sink);
            }
            (FileKind::MilestoneSpec, ItemKind::Issue) => {
                missing_acceptance_criteria::check(file, item, sink);
                vague_criterion::check(item, sink);
            }
            (FileKind::Story, ItemKind::Story) => {
                missing_acceptance_criteria::check(file, item, sink);
                user_story(file, item, sink);
                vague_criterion::check(item, sink);
                oversized_story::check(file, item, sink);
                filename_mismatch::story_number(file, item, sink);
            }
            (FileKind::Story, ItemKind::Task) => task_fields(ws, item, sink),
            _ => {}
        }
    }
}

/// Where to report a problem of the whole item: its title, or the file's
/// first line when it has none.
pub(super) fn title_range(file: &SourceFile, item: &Item) -> TextRange {
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
