//! `user-story-format`: the first paragraph of an issue's or story's `User
//! Story` section does not read "As a <persona>, I <need|want|desire>
//! <capability> so that <value>". The check lives here (the rule has no
//! fix), with the reading of the story that `generic-persona` goes on
//! from; the metadata is `Rule::UserStoryFormat` in `rule.rs`.

use crate::analysis::model::Item;
use crate::analysis::parse::lines_in;
use crate::analysis::rules::{Rule, Sink};
use crate::analysis::text::TextRange;
use crate::analysis::workspace::SourceFile;

/// A user story in the expected form, as one line (see `flatten`).
pub(crate) struct UserStory {
    /// The story's text with emphasis, quote markers and line breaks read
    /// as spaces.
    pub(crate) flat: String,
    /// The file offset of every byte of `flat`, and of its end.
    pub(crate) offsets: Vec<usize>,
    /// Where the persona starts in `flat`: right after "As a ".
    pub(crate) persona_start: usize,
    /// Where the first "I need", "I want" or "I desire" (with the comma
    /// before it, if any) starts in `flat`.
    pub(crate) verb_at: usize,
}

/// The first paragraph of the `User Story` section.
fn user_story_text(file: &SourceFile, item: &Item) -> Option<TextRange> {
    let section = item
        .sections
        .iter()
        .find(|s| s.is_titled(&file.text, "user story"))?;
    let body = TextRange::new(section.heading_range.end(), section.range.end());
    let mut start = None;
    let mut end = body.start();
    for line in lines_in(&file.text, body) {
        let text = file.text[line.start()..line.end()].trim();
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
            line.start()
                + (file.text[line.start()..line.end()].len()
                    - file.text[line.start()..line.end()].trim_start().len()),
        );
        end = line.start() + file.text[line.start()..line.end()].trim_end().len();
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

/// Reports a user story that is not in the expected form, and returns one
/// that is. An item without a `User Story` section has nothing to report.
pub(crate) fn check(file: &SourceFile, item: &Item, sink: &mut Sink<'_>) -> Option<UserStory> {
    let range = user_story_text(file, item)?;
    let (flat, offsets) = flatten(&file.text[range.start()..range.end()], range.start());
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
        return None;
    };
    let (verb_at, _) = verb.expect("checked above");
    Some(UserStory {
        flat,
        offsets,
        persona_start,
        verb_at,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::fixture;
    use crate::analysis::rules::{check_file, Context};

    #[test]
    fn flattening_keeps_each_byte_s_offset() {
        let text = "> **As a** façade\n> _manager_,  I want";
        let (flat, offsets) = flatten(text, 100);
        assert_eq!(flat, "As a façade manager , I want");
        assert_eq!(offsets.len(), flat.len() + 1);
        let at = flat.find("façade").unwrap();
        assert_eq!(
            &text[offsets[at] - 100..offsets[at + "façade".len() - 1] + 1 - 100],
            "façade"
        );
        assert_eq!(offsets[flat.len()], 100 + text.len());
    }

    /// The messages of `user-story-format` for an issue whose story is `story`.
    fn messages(story: &str) -> Vec<String> {
        let rel = "issues/backlog/swe-feature-001.md";
        let ws = fixture::workspace(&format!(
            "//- {rel}\n# swe-feature-001: Login\n\n**Type:** feature\n**Expert:** swe\n**Milestone:** M1\n\n## User Story\n\n<!-- a note -->\n{story}\n\nNot part of the story.\n\n## Acceptance Criteria\n\n- [ ] The clerk sees the form\n"
        ))
        .workspace;
        let ctx = Context::new(&ws);
        check_file(&ws, &ctx, rel)
            .into_iter()
            .filter(|d| d.rule == Rule::UserStoryFormat)
            .map(|d| d.message)
            .collect()
    }

    #[test]
    fn names_what_the_story_lacks() {
        assert_eq!(
            messages("**As a** clerk, I want\nto sign in so I can work."),
            Vec::<String>::new()
        );
        let lacks = |story: &str| {
            let found = messages(story);
            assert_eq!(found.len(), 1, "{found:?}");
            found[0].split(':').next().unwrap_or_default().to_string()
        };
        assert_eq!(
            lacks("The clerk wants to sign in so that they can work."),
            "the user story does not start with \"As a <persona>,\""
        );
        assert_eq!(
            lacks("As a clerk, I would like to sign in so that I can work."),
            "the user story has no \"I need\", \"I want\" or \"I desire\""
        );
        assert_eq!(
            lacks("As a clerk, I want to sign in."),
            "the user story has no \"so that <value>\" clause"
        );
    }
}
