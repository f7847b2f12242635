//! `vague-criterion`: an acceptance criterion no one can verify. The check
//! lives here (the rule has no fix), with the matcher that compiles the
//! configured phrases once per workspace version into one automaton
//! instead of one substring search per phrase per criterion; the metadata,
//! with the `phrases` option and its default list, is
//! `Rule::VagueCriterion` in `rule.rs`.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use crate::analysis::config::Config;
use crate::analysis::model::Item;
use crate::analysis::rules::{rule_option_strings, Rule, Sink};

/// Checks the criteria of `item`, whose file's text is `text`.
pub(crate) fn check(text: &str, item: &Item, sink: &mut Sink<'_>) {
    if item.criteria.is_empty() || sink.severity(Rule::VagueCriterion).is_none() {
        return;
    }
    for criterion in &item.criteria {
        if let Some(phrase) = sink.vague.first_in(criterion.text(text)) {
            let message =
                format!("\"{phrase}\" cannot be verified: say what the persona can see or do");
            sink.push(Rule::VagueCriterion, criterion.text_range, message);
        }
    }
}

pub struct VagueMatcher {
    /// The configured phrases, lower-cased, in configuration order.
    phrases: Vec<String>,
    /// Every phrase at once, ignoring ASCII case; `None` when a phrase is
    /// not ASCII (then each phrase is searched in the lower-cased text).
    automaton: Option<AhoCorasick>,
    /// Whether any phrase occurs at all, in ASCII-lower-cased text: a
    /// leftmost search over a text of one case runs on a vectorised
    /// prefilter, about three times as fast as the overlapping search,
    /// which it spares nearly every criterion (those without a phrase).
    /// Made with `automaton`.
    any_in_lower_case: Option<AhoCorasick>,
}

impl VagueMatcher {
    pub fn new(config: &Config) -> VagueMatcher {
        let phrases: Vec<String> = rule_option_strings(config, Rule::VagueCriterion, "phrases")
            .into_iter()
            .map(|p| p.to_lowercase())
            .filter(|p| !p.is_empty())
            .collect();
        let automaton = phrases
            .iter()
            .all(|p| p.is_ascii())
            .then(|| {
                AhoCorasickBuilder::new()
                    .ascii_case_insensitive(true)
                    .match_kind(MatchKind::Standard)
                    .build(&phrases)
                    .ok()
            })
            .flatten();
        let any_in_lower_case = automaton.as_ref().and_then(|_| {
            AhoCorasickBuilder::new()
                .match_kind(MatchKind::LeftmostFirst)
                .build(&phrases)
                .ok()
        });
        VagueMatcher {
            phrases,
            automaton,
            any_in_lower_case,
        }
    }

    /// The first configured phrase that stands in `text` as whole words.
    pub fn first_in(&self, text: &str) -> Option<&str> {
        match &self.automaton {
            Some(_)
                if self
                    .any_in_lower_case
                    .as_ref()
                    .is_some_and(|any| !any.is_match(&text.to_ascii_lowercase())) =>
            {
                None
            }
            Some(automaton) => automaton
                .find_overlapping_iter(text)
                .filter(|m| whole_words(text, m.start(), m.end()))
                .map(|m| m.pattern().as_usize())
                .min()
                .map(|i| self.phrases[i].as_str()),
            None => {
                let lower = text.to_lowercase();
                self.phrases
                    .iter()
                    .find(|p| {
                        lower
                            .match_indices(p.as_str())
                            .any(|(i, _)| whole_words(&lower, i, i + p.len()))
                    })
                    .map(String::as_str)
            }
        }
    }
}

/// Whether `text[start..end]` has no letter or digit right before or after.
fn whole_words(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start]
        .chars()
        .next_back()
        .is_none_or(|c| !c.is_alphanumeric());
    let after = text[end..]
        .chars()
        .next()
        .is_none_or(|c| !c.is_alphanumeric());
    before && after
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_first_configured_phrase_as_whole_words() {
        let m = VagueMatcher::new(&Config::default());
        assert_eq!(m.first_in("It Works Correctly."), Some("works correctly"));
        assert_eq!(m.first_in("improperly sized"), None);
        assert_eq!(
            m.first_in("shown as expected, works well"),
            Some("as expected")
        );
        assert_eq!(m.first_in("Überall works well"), Some("works well"));
        assert_eq!(m.first_in("the export runs in 2 s"), None);
    }

    /// The quick "any phrase at all?" search never turns away a text in
    /// which the full search finds a phrase: both agree with a plain
    /// search for each phrase in turn, over texts pieced together from
    /// phrases, parts of them, other case and other scripts.
    #[test]
    fn the_quick_search_agrees_with_a_search_for_each_phrase() {
        let matcher = VagueMatcher::new(&Config::default());
        assert!(matcher.any_in_lower_case.is_some());
        let pieces = [
            "Works Correctly",
            "work",
            "s correctly",
            "is done",
            "IS DONE.",
            "properly",
            "im",
            "properly-sized",
            "as expected",
            "works as intended",
            "Überall",
            "é",
            " ",
            ", ",
            "x",
            "2 s",
        ];
        let mut texts = Vec::new();
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    texts.push(format!("{a}{b}{c}"));
                    texts.push(format!("{a} {b} {c}"));
                }
            }
        }
        let mut found = 0;
        for text in &texts {
            let lower = text.to_lowercase();
            let expected = matcher.phrases.iter().find(|p| {
                lower
                    .match_indices(p.as_str())
                    .any(|(i, _)| whole_words(&lower, i, i + p.len()))
            });
            assert_eq!(
                matcher.first_in(text),
                expected.map(String::as_str),
                "{text:?}"
            );
            found += usize::from(expected.is_some());
        }
        assert!(
            found > 1000 && found < texts.len(),
            "{found} of {}",
            texts.len()
        );
    }
}
