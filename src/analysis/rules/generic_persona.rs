//! `generic-persona`: a user story's persona is a generic one ("user")
//! rather than who it is. The check lives here (the rule has no fix); it
//! reads the story as `user_story_format.rs` found it, so a story not in
//! the expected form is not checked. The metadata, with the `personas`
//! option and its default list, is `Rule::GenericPersona` in `rule.rs`.

use crate::analysis::rules::user_story_format::UserStory;
use crate::analysis::rules::{Rule, Sink};
use crate::analysis::text::TextRange;

pub(crate) fn check(story: &UserStory, sink: &mut Sink<'_>) {
    // "I want" before "As a" leaves no persona to read.
    if story.verb_at < story.persona_start {
        return;
    }
    let written = &story.flat[story.persona_start..story.verb_at];
    let persona = written.trim().trim_end_matches(',').trim_end();
    let generic = !persona.is_empty()
        && sink.option_strings_any(Rule::GenericPersona, "personas", |g| {
            g.eq_ignore_ascii_case(persona)
        });
    if generic {
        let start = story.persona_start + (written.len() - written.trim_start().len());
        let end = start + persona.len();
        sink.push(
            Rule::GenericPersona,
            TextRange::new(story.file_offset(start), story.file_offset(end - 1) + 1),
            format!("\"{persona}\" is a generic persona: name who it is (\"warehouse manager\", not \"user\")"),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::analysis::fixture;
    use crate::analysis::rules::{check_file, Context, Rule};

    /// The text each `generic-persona` finding of a story file covers.
    fn flagged(config: &str, story: &str) -> Vec<String> {
        let rel = "docs/stories/015-login.md";
        let ws = fixture::workspace(&format!(
            "//- planmark.toml\n{config}\n//- {rel}\n# Story 015: Login\n\n**Status:** In Progress\n\n## User Story\n\n{story}\n\n## Acceptance Criteria\n\n- [ ] The clerk sees the form\n"
        ))
        .workspace;
        let ctx = Context::new(&ws);
        let file = ws.file(rel).expect("the fixture has the file");
        check_file(&ws, &ctx, rel)
            .into_iter()
            .filter(|d| d.rule == Rule::GenericPersona)
            .map(|d| file.text[d.range.start()..d.range.end()].to_string())
            .collect()
    }

    #[test]
    fn flags_the_persona_as_written() {
        assert_eq!(
            flagged("", "As a **User**,\nI want to sign in so that I can work."),
            ["User"]
        );
        assert_eq!(
            flagged("", "As a clerk, I want to sign in so that I can work."),
            Vec::<String>::new()
        );
        // A story not in the form is `user-story-format`'s alone.
        assert_eq!(
            flagged("", "As a user, I want to sign in."),
            Vec::<String>::new()
        );
    }

    #[test]
    fn reads_the_configured_personas() {
        let config = "[rules.generic-persona]\npersonas = [\"clerk\"]\n";
        assert_eq!(
            flagged(config, "As a clerk, I want to sign in so that I can work."),
            ["clerk"]
        );
        assert_eq!(
            flagged(config, "As a user, I want to sign in so that I can work."),
            Vec::<String>::new()
        );
    }
}
