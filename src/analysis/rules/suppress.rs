//! markdownlint-style suppression comments: `<!-- planmark-disable RULE -->`,
//! `planmark-enable`, `planmark-disable-next-line` and
//! `planmark-disable-file`; no rule names means every rule.

use std::collections::{HashMap, HashSet};

use crate::analysis::model::SuppressionKind;
use crate::analysis::rules::Diagnostic;
use crate::analysis::workspace::SourceFile;

pub(crate) fn apply(file: &SourceFile, diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    if file.facts.suppressions.is_empty() {
        return diagnostics;
    }
    let index = Index::new(file);
    diagnostics
        .into_iter()
        .filter(|d| !index.suppresses(file, d))
        .collect()
}

/// The rule key of a comment that names no rule: it covers every rule.
const EVERY_RULE: &str = "";

/// A file's suppressions arranged for lookups: a file with thousands of
/// comments and thousands of findings must not compare every pair.
struct Index<'a> {
    /// `planmark-disable-file` for every rule, or for these.
    whole_file: bool,
    whole_file_rules: HashSet<&'a str>,
    /// Line to the rule lists of the `planmark-disable-next-line` comments
    /// that cover it (the comment's own line and the one after it).
    lines: HashMap<usize, Vec<&'a [String]>>,
    /// Rule (or `EVERY_RULE`) to its `planmark-disable` (true) and
    /// `planmark-enable` (false) comments, by start offset.
    toggles: HashMap<&'a str, Vec<(usize, bool)>>,
}

impl<'a> Index<'a> {
    fn new(file: &'a SourceFile) -> Index<'a> {
        let mut index = Index {
            whole_file: false,
            whole_file_rules: HashSet::new(),
            lines: HashMap::new(),
            toggles: HashMap::new(),
        };
        for s in &file.facts.suppressions {
            let keys = || -> Vec<&'a str> {
                if s.rules.is_empty() {
                    vec![EVERY_RULE]
                } else {
                    s.rules.iter().map(String::as_str).collect()
                }
            };
            match s.kind {
                SuppressionKind::DisableFile if s.rules.is_empty() => index.whole_file = true,
                SuppressionKind::DisableFile => index.whole_file_rules.extend(keys()),
                SuppressionKind::DisableNextLine => {
                    let own = file.line_index().line_of(s.range.start());
                    let next = file.line_index().line_of(s.range.end()) + 1;
                    index.lines.entry(own).or_default().push(&s.rules);
                    if next != own {
                        index.lines.entry(next).or_default().push(&s.rules);
                    }
                }
                SuppressionKind::Disable | SuppressionKind::Enable => {
                    let disables = s.kind == SuppressionKind::Disable;
                    for key in keys() {
                        index
                            .toggles
                            .entry(key)
                            .or_default()
                            .push((s.range.start(), disables));
                    }
                }
            }
        }
        // Comments come in document order; a stable sort keeps it so
        // should they not.
        for toggles in index.toggles.values_mut() {
            toggles.sort_by_key(|&(start, _)| start);
        }
        index
    }

    fn suppresses(&self, file: &SourceFile, d: &Diagnostic) -> bool {
        let names = |rules: &[String]| rules.is_empty() || rules.iter().any(|r| r == d.rule.name());
        if self.whole_file || self.whole_file_rules.contains(d.rule.name()) {
            return true;
        }
        let line = file.line_index().line_of(d.range.start());
        if self
            .lines
            .get(&line)
            .is_some_and(|lists| lists.iter().any(|rules| names(rules)))
        {
            return true;
        }
        // The last disable or enable before the finding decides.
        let last = |key: &str| {
            let toggles = self.toggles.get(key)?;
            let before = toggles.partition_point(|&(start, _)| start <= d.range.start());
            before.checked_sub(1).map(|i| toggles[i])
        };
        match (last(d.rule.name()), last(EVERY_RULE)) {
            (Some(a), Some(b)) => {
                if a.0 >= b.0 {
                    a.1
                } else {
                    b.1
                }
            }
            (a, b) => a.or(b).is_some_and(|(_, disables)| disables),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::analysis::config::Severity;
    use crate::analysis::model::FileKind;
    use crate::analysis::rules::Rule;
    use crate::analysis::text::TextRange;

    /// The definition: every suppression against every finding, in order.
    fn apply_naive(file: &SourceFile, diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
        let suppressions = &file.facts.suppressions;
        let names =
            |rules: &[String], rule: &str| rules.is_empty() || rules.iter().any(|r| r == rule);
        diagnostics
            .into_iter()
            .filter(|d| {
                let line = file.line_index().line_of(d.range.start());
                let mut disabled = false;
                for s in suppressions {
                    if !names(&s.rules, d.rule.name()) {
                        continue;
                    }
                    match s.kind {
                        SuppressionKind::DisableFile => return false,
                        SuppressionKind::DisableNextLine => {
                            let comment_line = file.line_index().line_of(s.range.end());
                            if line == comment_line + 1
                                || line == file.line_index().line_of(s.range.start())
                            {
                                return false;
                            }
                        }
                        SuppressionKind::Disable if s.range.start() <= d.range.start() => {
                            disabled = true
                        }
                        SuppressionKind::Enable if s.range.start() <= d.range.start() => {
                            disabled = false
                        }
                        _ => {}
                    }
                }
                !disabled
            })
            .collect()
    }

    #[test]
    fn the_index_agrees_with_the_definition() {
        const PIECES: &[&str] = &[
            "<!-- planmark-disable -->\n",
            "<!-- planmark-enable -->\n",
            "<!-- planmark-disable missing-field -->\n",
            "<!-- planmark-enable missing-field -->\n",
            "<!-- planmark-disable missing-field, self-dependency -->\n",
            "<!-- planmark-enable self-dependency -->\n",
            "<!-- planmark-disable-next-line -->\n",
            "<!-- planmark-disable-next-line self-dependency -->\n",
            "x <!-- planmark-disable-next-line missing-field --> y\n",
            "<!-- planmark-disable-next-line missing-field\nself-dependency -->\n",
            "<!-- planmark-disable-file unknown-value -->\n",
            "text\n",
            "text\n",
            "text\n",
            "\n",
        ];
        const RULES: &[Rule] = &[
            Rule::MissingField,
            Rule::SelfDependency,
            Rule::UnknownValue,
            Rule::VagueCriterion,
        ];
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = move |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        let mut suppressed = 0;
        for _ in 0..500 {
            let text: String = (0..next(12) + 1)
                .map(|_| PIECES[next(PIECES.len())])
                .collect();
            let file = SourceFile::parse(
                "issues/backlog/swe-feature-001.md",
                Arc::from(text.as_str()),
                FileKind::Issue,
            );
            let diagnostics: Vec<Diagnostic> = (0..20)
                .map(|_| {
                    let at = next(text.len() + 1);
                    Diagnostic {
                        rel: file.rel.to_string(),
                        rule: RULES[next(RULES.len())],
                        severity: Severity::Warning,
                        message: String::new(),
                        range: TextRange::new(at, at),
                        related: Vec::new(),
                        tags: Vec::new(),
                        payload: Default::default(),
                    }
                })
                .collect();
            let kept = apply(&file, diagnostics.clone());
            suppressed += diagnostics.len() - kept.len();
            assert_eq!(kept, apply_naive(&file, diagnostics), "{text:?}");
        }
        // Both outcomes are exercised.
        assert!(suppressed > 1_000 && suppressed < 9_000, "{suppressed}");
    }
}
