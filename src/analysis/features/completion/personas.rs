//! Completion of personas after `As a ` in a user story: the personas other
//! user stories of the workspace name, most used first, generic ones
//! ("user") left out.

use std::sync::OnceLock;

use regex::Regex;

use super::{Completion, CompletionKind, Completions};
use crate::analysis::features::item_at;
use crate::analysis::model::Item;
use crate::analysis::text::TextRange;
use crate::analysis::workspace::SourceFile;

/// The openings of a user story, lower-case, longest first.
const OPENINGS: &[&str] = &["as an ", "as the ", "as a "];

/// Personas never offered: the `generic-persona` rule's defaults.
const GENERIC: &[&str] = &["user", "a user", "the user", "users", "someone", "person"];

/// Personas longer than this are sentences, not names.
const MAX_LEN: usize = 40;

/// The persona of an item's user story, as written (`warehouse manager`).
pub(crate) fn persona_of(text: &str, item: &Item) -> Option<String> {
    let section = item
        .sections
        .iter()
        .find(|s| s.is_titled(text, "user story"))?;
    let body = text.get(section.heading_range.end()..section.range.end())?;
    let line = body.lines().map(str::trim).find(|l| !l.is_empty())?;
    let line = line.trim_start_matches(['>', ' ']).replace(['*', '_'], "");
    let lower = line.to_ascii_lowercase();
    let start = OPENINGS.iter().find(|o| lower.starts_with(*o))?.len();
    let rest = &lower[start..];
    let end = [",", " i need", " i want", " i desire"]
        .iter()
        .filter_map(|stop| rest.find(stop))
        .min()?;
    let persona = line[start..start + end].trim();
    let plain = !persona.is_empty()
        && persona.len() <= MAX_LEN
        && !GENERIC.iter().any(|g| g.eq_ignore_ascii_case(persona));
    plain.then(|| persona.to_string())
}

/// Where the persona being typed starts, when the text before the cursor
/// on its line is the opening of a user story in a `User Story` section.
pub(super) fn persona_start(file: &SourceFile, line: TextRange, offset: usize) -> Option<usize> {
    static OPENING: OnceLock<Regex> = OnceLock::new();
    let opening = OPENING.get_or_init(|| {
        Regex::new(r"(?i)^[>\s*_]*as\s+(?:an|a|the)[*_]*\s+[*_]*").expect("valid pattern")
    });
    let before = &file.text[line.start()..offset];
    let typed = &before[opening.find(before)?.end()..];
    if typed.contains([',', '*', '_']) || typed.len() > MAX_LEN {
        return None;
    }
    let item = item_at(file, offset)?;
    item.sections.iter().find(|s| {
        s.is_titled(&file.text, "user story")
            && s.heading_range.end() <= line.start()
            && s.range.touches(offset)
    })?;
    Some(offset - typed.len())
}

pub(super) fn personas(
    file: &SourceFile,
    known: &[(String, usize)],
    start: usize,
    offset: usize,
    line_end: usize,
) -> Completions {
    let text = &*file.text;
    let typed = text[start..offset].to_lowercase();
    // The rest of the persona already written after the cursor is replaced
    // too, up to the comma or the verb.
    let rest = text[offset..line_end].to_ascii_lowercase();
    let stop = [",", "*", "_", " i need", " i want", " i desire"]
        .iter()
        .filter_map(|s| rest.find(s))
        .min();
    let end = offset + stop.unwrap_or(rest.len());
    let end = start + text[start..end].trim_end().len();
    let range = TextRange::new(start, end.max(offset));
    // The persona being written counts once, in this very story.
    let written = text[range.start()..range.end()].trim();
    let items = known
        .iter()
        .filter(|(p, n)| !(*n == 1 && p.eq_ignore_ascii_case(written)))
        .filter(|(p, _)| p.to_lowercase().contains(typed.trim()))
        .map(|(persona, count)| {
            let mut c = Completion::new(persona.clone(), CompletionKind::Persona, range);
            c.detail = Some(match count {
                1 => "named by 1 user story".to_string(),
                n => format!("named by {n} user stories"),
            });
            c
        })
        .collect();
    Completions {
        items,
        incomplete: false,
    }
}
