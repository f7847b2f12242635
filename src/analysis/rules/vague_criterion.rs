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
        VagueMatcher { phrases, automaton }
    }

    /// The first configured phrase that stands in `text` as whole words.
    pub fn first_in(&self, text: &str) -> Option<&str> {
        match &self.automaton {
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
}
