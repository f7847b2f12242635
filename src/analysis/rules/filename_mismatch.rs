//! `filename-mismatch`: an issue file's name does not follow
//! `<expert>-<type>-<NNN>.md` or disagrees with its fields, or a story's
//! title number disagrees with its file name. The checks live here (the
//! rule has no fix); the metadata is `Rule::FilenameMismatch` in `rule.rs`.

use crate::analysis::ids;
use crate::analysis::model::Item;
use crate::analysis::rules::content::title_range;
use crate::analysis::rules::{Rule, Sink};
use crate::analysis::workspace::{SourceFile, Workspace};

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

pub(crate) fn check(ws: &Workspace, file: &SourceFile, item: &Item, sink: &mut Sink<'_>) {
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
        let value = field.value(&file.text);
        let value = value.split('(').next().unwrap_or("").trim();
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
            .value(&file.text)
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

/// A story's title number (`# Story 008: Title`) must be its file's
/// (`009-title.md`): references use the file's number, readers the title's.
pub(crate) fn story_number(file: &SourceFile, item: &Item, sink: &mut Sink<'_>) {
    let heading = &file.text[item.def_range.start()..item.def_range.end()];
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
