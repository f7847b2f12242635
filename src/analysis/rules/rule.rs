//! The rules as a type: `Rule` has one variant per rule, and `RULES` holds
//! each rule's metadata (name, default severity, summary, options with
//! their types and defaults, documentation anchor, and what a change can
//! affect), so that nothing else keeps a list of rule names.

use crate::analysis::config::Severity;
use crate::analysis::dialect::{self, DialectRule};

/// Where every rule is documented: a rule's page is `<DOCS_URL>#<anchor>`.
pub const DOCS_URL: &str = "https://github.com/planmark/planmark/blob/main/docs/rules.md";

/// What a rule's findings depend on, which decides when a front end must
/// check a file again and which findings it holds back while a workspace is
/// only partly read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reach {
    /// The findings depend on the file alone.
    Local,
    /// The findings depend on other files: until a workspace is fully read
    /// they would be guesses.
    CrossFile,
    /// Like `CrossFile`, and a finding can appear or vanish through an edit
    /// of a file that the file holding it does not name (a cycle through a
    /// third file, a duplicate), so a file holding one is checked again
    /// after every change to the graph.
    Sticky,
}

/// The type of a rule option, with its default.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OptionKind {
    /// A non-negative integer.
    Count(usize),
    /// A list of strings.
    Strings(&'static [&'static str]),
}

impl OptionKind {
    /// How the type is named in a configuration error.
    pub fn expected(self) -> &'static str {
        match self {
            OptionKind::Count(_) => "a non-negative integer",
            OptionKind::Strings(_) => "a list of strings",
        }
    }
}

/// One option a rule reads from its `[rules]` table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RuleOption {
    pub key: &'static str,
    pub kind: OptionKind,
}

/// A rule's identity, defaults and metadata.
#[derive(Clone, Copy, Debug)]
pub struct RuleInfo {
    pub rule: Rule,
    pub name: &'static str,
    pub severity: Severity,
    /// One line for SARIF and listings; the full text is in `docs/rules.md`.
    pub summary: &'static str,
    /// The options `[rules.<name>]` may set besides `severity`.
    pub options: &'static [RuleOption],
    pub reach: Reach,
}

/// The phrases no one can verify, unless `[rules.vague-criterion]` sets
/// its own `phrases`.
const VAGUE_PHRASES: &[&str] = &[
    "works correctly",
    "work correctly",
    "working correctly",
    "is implemented",
    "are implemented",
    "properly",
    "as expected",
    "works as intended",
    "works well",
    "is done",
    "functions correctly",
    "is handled correctly",
];

/// The personas `generic-persona` flags, unless configured otherwise.
const GENERIC_PERSONAS: &[&str] = &["user", "a user", "the user", "users", "someone", "person"];

macro_rules! rules {
    ($($variant:ident, $name:literal, $severity:ident, $reach:ident, [$($option:expr),*], $summary:literal;)*) => {
        /// One variant per rule of the first workflow's formats, and one
        /// that holds the rules each dialect declares in its own module.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Rule {
            $($variant,)*
            Dialect(DialectRule),
        }

        /// The metadata of the rules of the first workflow's formats, in
        /// the order of `docs/rules.md`'s listing; `all_rules` adds the
        /// dialects' rules.
        pub const RULES: &[RuleInfo] = &[
            $(RuleInfo {
                rule: Rule::$variant,
                name: $name,
                severity: Severity::$severity,
                summary: $summary,
                options: &[$($option),*],
                reach: Reach::$reach,
            },)*
        ];


    };
}

const fn count(key: &'static str, default: usize) -> RuleOption {
    RuleOption {
        key,
        kind: OptionKind::Count(default),
    }
}

const fn strings(key: &'static str, default: &'static [&'static str]) -> RuleOption {
    RuleOption {
        key,
        kind: OptionKind::Strings(default),
    }
}

rules! {
    MissingAcceptanceCriteria, "missing-acceptance-criteria", Error, Local, [], "An issue or story has no Acceptance Criteria checklist.";
    DanglingDependency, "dangling-dependency", Error, CrossFile, [], "A dependency names no known issue, story, task or milestone.";
    DependencyCycle, "dependency-cycle", Error, Sticky, [], "Dependencies form a cycle, so none of its members can ever start.";
    SelfDependency, "self-dependency", Error, Local, [], "An item depends on itself.";
    DuplicateId, "duplicate-id", Error, Sticky, [], "Two issues share a number, two files share an ID, or two tasks share a number.";
    UnreadableFile, "unreadable-file", Error, Local, [], "A planning file cannot be read.";
    InvalidUtf8, "invalid-utf8", Warning, Local, [], "A planning file's bytes are not all UTF-8; it is checked with U+FFFD in their place and never fixed in place.";
    PlaceholderText, "placeholder-text", Warning, Local, [], "A template placeholder was left unfilled.";
    StatusFolderMismatch, "status-folder-mismatch", Warning, Local, [], "The Status field disagrees with the status folder the file is in.";
    DoneWithOpenCriteria, "done-with-open-criteria", Warning, Local, [], "A done item still has unchecked acceptance criteria.";
    DoneWithOpenTasks, "done-with-open-tasks", Warning, CrossFile, [], "A done story, or a done task with sub-tasks, still has tasks that are not done.";
    DoneWithOpenDependency, "done-with-open-dependency", Warning, CrossFile, [], "A done item depends on something that is not done.";
    UnknownValue, "unknown-value", Warning, Local, [], "A Type, Expert, Status, Domain or Effort value is outside the vocabulary.";
    MissingField, "missing-field", Warning, Local, [], "A required metadata field is absent.";
    MissingStoryStatus, "missing-story-status", Warning, CrossFile, [], "A story has no Status while most stories of its folder have one.";
    FilenameMismatch, "filename-mismatch", Warning, Local, [], "An issue file's name does not follow <expert>-<type>-<NNN>.md or disagrees with its fields, or a story's title number disagrees with its file name.";
    IndexOutOfSync, "index-out-of-sync", Warning, CrossFile, [], "The issues index disagrees with the issue files.";
    UserStoryFormat, "user-story-format", Warning, Local, [], "A user story does not read \"As a <persona>, I <need|want|desire> <capability> so that <value>\".";
    OversizedIssue, "oversized-issue", Warning, Local, [count("max-criteria", 8)], "An issue has too many acceptance criteria or a Large effort: it will not fit one session.";
    OversizedStory, "oversized-story", Warning, Local, [count("max-tasks", 14)], "A story has too many tasks and should be split.";
    UnknownMilestone, "unknown-milestone", Warning, CrossFile, [], "A milestone that neither the roadmap nor the milestone files define.";
    GenericPersona, "generic-persona", Info, Local, [strings("personas", GENERIC_PERSONAS)], "The user story's persona is a generic \"user\".";
    VagueCriterion, "vague-criterion", Hint, Local, [strings("phrases", VAGUE_PHRASES)], "An acceptance criterion no one can verify.";
}

impl Rule {
    /// The rule's metadata.
    pub fn info(self) -> &'static RuleInfo {
        match self {
            Rule::Dialect(rule) => rule.info(),
            // `RULES` lists the other variants in declaration order.
            core => RULES
                .iter()
                .find(|info| info.rule == core)
                .expect("every rule of the first workflow is in `RULES`"),
        }
    }

    /// The stable kebab-case name, as configured, suppressed and printed.
    pub fn name(self) -> &'static str {
        self.info().name
    }

    /// The rule of a kebab-case name.
    pub fn from_name(name: &str) -> Option<Rule> {
        all_rules().find(|r| r.name == name).map(|r| r.rule)
    }

    pub fn default_severity(self) -> Severity {
        self.info().severity
    }

    pub fn reach(self) -> Reach {
        self.info().reach
    }

    /// Whether the rule's findings depend on files other than their own.
    pub fn is_cross_file(self) -> bool {
        self.reach() != Reach::Local
    }

    /// The declared option `key`, when the rule has one.
    pub fn option(self, key: &str) -> Option<&'static RuleOption> {
        self.info().options.iter().find(|o| o.key == key)
    }

    /// The anchor of the rule's section in `docs/rules.md`.
    pub fn docs_anchor(self) -> &'static str {
        self.name()
    }

    /// Where the rule is documented.
    pub fn docs_url(self) -> String {
        format!("{DOCS_URL}#{}", self.docs_anchor())
    }
}

/// Every rule's metadata: the first workflow's rules, then each dialect's.
pub fn all_rules() -> impl Iterator<Item = &'static RuleInfo> {
    RULES.iter().chain(dialect::rules())
}

/// Every rule's name, in the order of `all_rules`.
pub fn rule_names() -> Vec<&'static str> {
    all_rules().map(|r| r.name).collect()
}

impl std::fmt::Display for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Rules sort by name, so findings at one position keep the order they
/// had when rules were strings.
impl Ord for Rule {
    fn cmp(&self, other: &Rule) -> std::cmp::Ordering {
        self.name().cmp(other.name())
    }
}

impl PartialOrd for Rule {
    fn partial_cmp(&self, other: &Rule) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq<str> for Rule {
    fn eq(&self, other: &str) -> bool {
        self.name() == other
    }
}

impl PartialEq<&str> for Rule {
    fn eq(&self, other: &&str) -> bool {
        self.name() == *other
    }
}

impl serde::Serialize for Rule {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_follows_the_variants() {
        let names = rule_names();
        for (i, info) in all_rules().enumerate() {
            assert!(
                std::ptr::eq(info.rule.info(), info),
                "`{}` is out of place",
                info.name
            );
            assert_eq!(Rule::from_name(info.name), Some(info.rule));
            assert_eq!(info.rule.name(), names[i]);
        }
        let unique: std::collections::HashSet<_> = names.iter().collect();
        assert_eq!(unique.len(), names.len(), "two rules share a name");
        assert_eq!(Rule::from_name("no-such-rule"), None);
    }

    #[test]
    fn sticky_rules_are_cross_file() {
        assert!(Rule::DependencyCycle.is_cross_file());
        assert!(Rule::DanglingDependency.is_cross_file());
        assert!(!Rule::MissingField.is_cross_file());
        assert_eq!(
            Rule::OversizedIssue.option("max-criteria").map(|o| o.kind),
            Some(OptionKind::Count(8))
        );
    }
}
