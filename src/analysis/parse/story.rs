//! Story files with task lists (`docs/stories/NNN-slug.md`, formats.md §4).

use crate::analysis::ids;
use crate::analysis::intern::Id;
use crate::analysis::model::{FileFacts, Item, ItemKind, Section};
use crate::analysis::parse::issue::{criteria_of, fill_common};
use crate::analysis::parse::markdown::{self, Outline};
use crate::analysis::parse::progress_of;
use crate::analysis::parse::refs::{self, RefContext};
use crate::analysis::text::TextRange;

pub(crate) fn parse_story(text: &str, outline: &Outline, stem: &str, facts: &mut FileFacts) {
    let digits: String = stem.chars().take_while(char::is_ascii_digit).collect();
    let story_id = ids::story_id(if digits.is_empty() { "0" } else { &digits });
    let sections = markdown::sections(&outline.headings, text.len());
    let title = outline.headings.iter().find(|h| h.level == 1);
    let def_range = title.map_or(TextRange::empty(markdown::bom_len(text)), |h| h.text_range);
    let mut story = Item::new(ItemKind::Story, story_id.clone(), def_range);
    story.range = TextRange::new(0, text.len());
    story.title = title
        .map(|h| outline.slice(strip_story_prefix(&h.text)))
        .unwrap_or_default();

    let tasks_section = sections
        .iter()
        .find(|s| s.level == 2 && s.is_titled(text, "tasks"))
        .cloned();
    let outside_tasks = |r: TextRange| {
        tasks_section
            .as_ref()
            .is_none_or(|t| !t.range.contains_range(r))
    };

    story.sections = sections
        .iter()
        .filter(|s| outside_tasks(s.heading_range))
        .cloned()
        .collect();
    if let Some(tasks) = &tasks_section {
        story.sections.push(*tasks);
    }
    story.fields = markdown::fields(&outline.base, story.range, &outline.ignored)
        .into_iter()
        .filter(|f| outside_tasks(f.line_range))
        .collect();
    story.criteria = criteria_of(&story, outline);
    fill_common(text, outline, &mut story, RefContext::Story);
    if story.status.is_none() {
        if let Some(status) = sections.iter().find(|s| s.is_titled(text, "status")) {
            let body = TextRange::new(status.heading_range.end(), status.range.end());
            if let Some(line) = markdown::lines_in(text, body)
                .map(|l| markdown::trim_range(text, l))
                .find(|l| !l.is_empty())
            {
                let value = outline.slice(text[line.start()..line.end()].trim_matches('*').trim());
                story.progress = progress_of(&value);
                story.status = Some((value, line));
            }
        }
    }
    if let Some(deps) = sections
        .iter()
        .find(|s| s.level == 2 && s.is_titled(text, "dependencies"))
    {
        story_dependency_bullets(text, outline, deps, &mut story);
    }

    let mut tasks = Vec::new();
    if let Some(section) = &tasks_section {
        let task_headings: Vec<_> = outline
            .headings
            .iter()
            .filter(|h| h.level == 3 && section.range.contains_range(h.range))
            .collect();
        for (i, heading) in task_headings.iter().enumerate() {
            let Some((number, title)) = task_heading(&heading.text) else {
                continue;
            };
            let end = task_headings
                .get(i + 1)
                .map_or(section.range.end(), |next| next.range.start());
            let range = TextRange::new(heading.range.start(), end);
            let mut task = Item::new(
                ItemKind::Task,
                ids::task_id(&story_id, &number),
                heading.text_range,
            );
            task.range = range;
            task.title = outline.slice(title);
            task.number = Some(number);
            task.parent = Some(Id::new(&story_id));
            task.fields = markdown::fields(&outline.base, range, &outline.ignored);
            fill_common(
                text,
                outline,
                &mut task,
                RefContext::Task { story: &story_id },
            );
            tasks.push(task);
        }
    }
    facts.items.push(story);
    facts.items.extend(tasks);
}

fn strip_story_prefix(title: &str) -> &str {
    let lower = title.to_ascii_lowercase();
    if let Some(rest) = lower.strip_prefix("story") {
        let rest_start = title.len() - rest.len();
        let after_number = title[rest_start..]
            .trim_start()
            .trim_start_matches(|c: char| c.is_ascii_digit());
        if let Some(t) = after_number.trim_start().strip_prefix([':', '-', '—']) {
            return t.trim();
        }
    }
    title.trim()
}

/// `001: Title`, `Task 1.1: Title`, `001 - Title` into number and title.
pub(crate) fn task_heading(heading: &str) -> Option<(String, &str)> {
    let h = heading.trim();
    let h = h
        .strip_prefix("Task")
        .or_else(|| h.strip_prefix("task"))
        .map_or(h, str::trim_start);
    let number_len = h
        .char_indices()
        .take_while(|(_, c)| c.is_ascii_digit() || *c == '.')
        .last()
        .map(|(i, c)| i + c.len_utf8())?;
    let number = h[..number_len].trim_end_matches('.');
    if number.is_empty() || !number.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    // A letter right after the number is a suffix (`011a`, `011b`): tasks
    // inserted between two others keep their neighbour's number.
    let suffix_len = h[number_len..]
        .chars()
        .next()
        .filter(|c| c.is_ascii_alphabetic())
        .filter(|_| {
            !h[number_len + 1..].starts_with(|c: char| c.is_ascii_alphanumeric())
                && number.len() == number_len
        })
        .map_or(0, char::len_utf8);
    let suffix = h[number_len..number_len + suffix_len].to_ascii_lowercase();
    let number_len = number_len + suffix_len;
    let rest = h[number_len..].trim_start();
    let title = rest
        .strip_prefix(':')
        .or_else(|| rest.strip_prefix('-'))
        .or_else(|| rest.strip_prefix('—'))
        .unwrap_or(rest)
        .trim();
    let mut padded = String::with_capacity(number.len() + suffix.len() + 2);
    crate::analysis::ids::push_padded(&mut padded, number);
    padded.push_str(&suffix);
    Some((padded, title))
}

fn story_dependency_bullets(text: &str, outline: &Outline, section: &Section, story: &mut Item) {
    let body = TextRange::new(section.heading_range.end(), section.range.end());
    for line in markdown::lines_in(text, body) {
        let trimmed = markdown::trim_range(text, line);
        let raw = &text[trimmed.start()..trimmed.end()];
        let Some(rest) = raw.strip_prefix(['-', '*', '+']) else {
            continue;
        };
        let start = trimmed.start() + (raw.len() - rest.len());
        let value = TextRange::new(start, trimmed.end());
        let masked = markdown::masked(text, value, &outline.ignored);
        refs::parse_dependency_value(
            &outline.base,
            &masked,
            value,
            RefContext::Story,
            &outline.rel,
            &outline.range_budget,
            &mut story.deps,
        );
        if story.deps_field.is_none() {
            story.deps_field = Some(body);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::task_heading;

    #[test]
    fn task_headings() {
        assert_eq!(
            task_heading("001: Add login"),
            Some(("001".into(), "Add login"))
        );
        assert_eq!(
            task_heading("Task 1.1: Schema"),
            Some(("1.1".into(), "Schema"))
        );
        assert_eq!(
            task_heading("011a: Retry queue"),
            Some(("011a".into(), "Retry queue"))
        );
        assert_eq!(
            task_heading("Task 11B - Retry queue"),
            Some(("011b".into(), "Retry queue"))
        );
        assert_eq!(
            task_heading("3 steps to go"),
            Some(("003".into(), "steps to go"))
        );
        assert_eq!(task_heading("Notes"), None);
    }
}
