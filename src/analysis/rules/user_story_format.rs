//! `user-story-format`: the first paragraph of an issue's or story's `User
//! Story` section does not read "As a <persona>, I <need|want|desire>
//! <capability> so that <value>". The check lives here (the rule has no
//! fix), with the reading of the story that `generic-persona` goes on
//! from; the metadata is `Rule::UserStoryFormat` in `rule.rs`.

use std::sync::LazyLock;

use memchr::memmem::Finder;

use crate::analysis::model::Item;
use crate::analysis::parse::lines_in;
use crate::analysis::rules::{Rule, Sink};
use crate::analysis::text::TextRange;
use crate::analysis::workspace::SourceFile;

/// A user story in the expected form, as one line (see `flatten`).
pub(crate) struct UserStory<'a> {
    /// The story's text with emphasis, quote markers and line breaks read
    /// as spaces.
    pub(crate) flat: String,
    /// The story as written in the file, and where it starts there.
    written: &'a str,
    written_at: usize,
    /// Where the persona starts in `flat`: right after "As a ".
    pub(crate) persona_start: usize,
    /// Where the first "I need", "I want" or "I desire" (with the comma
    /// before it, if any) starts in `flat`.
    pub(crate) verb_at: usize,
}

impl UserStory<'_> {
    /// The file offset of the byte at `flat_at` in `flat`, or of the
    /// story's end for `flat.len()`. Worked out again on each call: only a
    /// finding asks, and most stories have none.
    pub(crate) fn file_offset(&self, flat_at: usize) -> usize {
        let mut seen = 0;
        let mut found = None;
        flat_chars(self.written, |c, at| {
            if flat_at < seen + c.len_utf8() {
                found = Some(at + (flat_at - seen));
                return false;
            }
            seen += c.len_utf8();
            true
        });
        self.written_at + found.unwrap_or(self.written.len())
    }
}

/// The verbs of a story, each searched for in turn (a searcher made once:
/// `str::find` sets one up on every call, for every story of a workspace).
static VERBS: LazyLock<[Finder<'static>; 6]> = LazyLock::new(|| {
    [
        ", i need",
        ", i want",
        ", i desire",
        " i need",
        " i want",
        " i desire",
    ]
    .map(Finder::new)
});

/// The clauses that give a story its value.
static VALUE_CLAUSES: LazyLock<[Finder<'static>; 4]> =
    LazyLock::new(|| [" so that ", " so i can ", " so we can ", " in order to "].map(Finder::new));

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
fn flatten(text: &str) -> String {
    let mut flat = Vec::with_capacity(text.len());
    // Every character `flat_chars` reads as a blank is ASCII, and no byte
    // of a longer UTF-8 character is: reading bytes gives the same text as
    // reading characters, without decoding each one.
    let mut line_start = true;
    let mut after_blank = true;
    for &b in text.as_bytes() {
        let blank =
            matches!(b, b'*' | b'_' | b' ' | b'\t' | b'\n' | b'\r') || (b == b'>' && line_start);
        line_start = matches!(b, b'\n' | b'\r') || (line_start && blank);
        if !blank {
            after_blank = false;
            flat.push(b);
        } else if !after_blank {
            after_blank = true;
            flat.push(b' ');
        }
    }
    String::from_utf8(flat).expect("blanks replace only ASCII bytes")
}

/// Walks `text` as [`flatten`] reads it: `visit` hears each character of
/// the flat form with the offset in `text` it stands for (a run of blanks
/// stands at its first), and stops the walk by returning `false`.
fn flat_chars(text: &str, mut visit: impl FnMut(char, usize) -> bool) {
    let mut line_start = true;
    // Nothing is read yet: blanks at the start make no space.
    let mut after_blank = true;
    for (i, c) in text.char_indices() {
        let blank = matches!(c, '*' | '_' | ' ' | '\t' | '\n' | '\r') || (c == '>' && line_start);
        line_start = matches!(c, '\n' | '\r') || (line_start && blank);
        let keep_going = if blank {
            after_blank || {
                after_blank = true;
                visit(' ', i)
            }
        } else {
            after_blank = false;
            visit(c, i)
        };
        if !keep_going {
            return;
        }
    }
}

/// Reports a user story that is not in the expected form, and returns one
/// that is. An item without a `User Story` section has nothing to report.
pub(crate) fn check<'a>(
    file: &'a SourceFile,
    item: &Item,
    sink: &mut Sink<'_>,
) -> Option<UserStory<'a>> {
    let range = user_story_text(file, item)?;
    let written = &file.text[range.start()..range.end()];
    let flat = flatten(written);
    // ASCII lower-casing keeps every byte where it is, so offsets found in
    // `lower` are valid in `flat` (`İ` grows when fully lower-cased).
    let lower = flat.to_ascii_lowercase();
    let persona_start = ["as an ", "as a ", "as the ", "as "]
        .iter()
        .find_map(|p| lower.strip_prefix(p).map(|_| p.len()));
    let verb = VERBS
        .iter()
        .find_map(|v| v.find(lower.as_bytes()).map(|i| (i, v.needle().len())));
    // The value clause: "so that", or the equally common "so I can", "so we
    // can" and "in order to".
    let has_value = VALUE_CLAUSES
        .iter()
        .any(|clause| clause.find(lower.as_bytes()).is_some());
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
        written,
        written_at: range.start(),
        persona_start,
        verb_at,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::fixture;
    use crate::analysis::rules::{check_file, Context};

    proptest::proptest! {
        /// Flattening bytes reads as the character walk that places
        /// findings does.
        #[test]
        fn flattening_bytes_reads_as_the_character_walk(
            pieces in proptest::collection::vec(
                proptest::sample::select(vec![
                    "As a", " ", "**", "_", "*", ">", "> ", "\n", "\r\n", "\r", "\t", "façade", "é",
                    "漢字", "😀", ",", "I want",
                ]),
                0..12,
            ),
        ) {
            let text: String = pieces.concat();
            let mut by_chars = String::new();
            flat_chars(&text, |c, _| {
                by_chars.push(c);
                true
            });
            proptest::prop_assert_eq!(flatten(&text), by_chars);
        }
    }

    #[test]
    fn flattening_keeps_each_byte_s_offset() {
        let text = "> **As a** façade\n> _manager_,  I want";
        let flat = flatten(text);
        assert_eq!(flat, "As a façade manager , I want");
        let story = UserStory {
            flat: flat.clone(),
            written: text,
            written_at: 100,
            persona_start: 5,
            verb_at: 20,
        };
        let at = flat.find("façade").unwrap();
        assert_eq!(
            &text
                [story.file_offset(at) - 100..story.file_offset(at + "façade".len() - 1) + 1 - 100],
            "façade"
        );
        // A byte inside `ç` is that byte in the file.
        assert_eq!(story.file_offset(at + 3), 100 + text.find('ç').unwrap() + 1);
        // The space read for "_,  " stands where the run starts.
        let space = flat.find(" ,").unwrap();
        assert_eq!(&text[story.file_offset(space) - 100..][..1], "_");
        assert_eq!(story.file_offset(flat.len()), 100 + text.len());
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
