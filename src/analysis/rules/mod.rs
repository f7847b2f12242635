//! The rules: each has a stable kebab-case name, a default severity and
//! a documentation entry in `docs/rules.md`. `check_file` runs every rule
//! on one file against the workspace; `check_workspace` on every file.

mod content;
mod context;
pub(crate) mod dependencies;
mod index;
pub(crate) mod status;
mod suppress;
mod vague;

use rayon::prelude::*;

pub use context::Context;
pub(crate) use status::folder_of;
pub use vague::VagueMatcher;

use crate::analysis::config::{Config, Severity};
use crate::analysis::text::TextRange;
use crate::analysis::workspace::Workspace;

/// A rule's identity and defaults.
#[derive(Clone, Copy, Debug)]
pub struct RuleInfo {
    pub name: &'static str,
    pub severity: Severity,
    /// One line for SARIF and listings; the full text is in `docs/rules.md`.
    pub summary: &'static str,
}

macro_rules! rules {
    ($($name:literal, $severity:ident, $summary:literal;)*) => {
        pub const RULES: &[RuleInfo] = &[
            $(RuleInfo { name: $name, severity: Severity::$severity, summary: $summary },)*
        ];
        pub const RULE_NAMES: &[&str] = &[$($name,)*];
    };
}

rules! {
    "missing-acceptance-criteria", Error, "An issue or story has no Acceptance Criteria checklist.";
    "dangling-dependency", Error, "A dependency names no known issue, story, task or milestone.";
    "dependency-cycle", Error, "Dependencies form a cycle, so none of its members can ever start.";
    "self-dependency", Error, "An item depends on itself.";
    "duplicate-id", Error, "Two issues share a number, two files share an ID, or two tasks share a number.";
    "unreadable-file", Error, "A planning file cannot be read or is not UTF-8.";
    "placeholder-text", Warning, "A template placeholder was left unfilled.";
    "status-folder-mismatch", Warning, "The Status field disagrees with the status folder the file is in.";
    "done-with-open-criteria", Warning, "A done item still has unchecked acceptance criteria.";
    "done-with-open-tasks", Warning, "A done story still has tasks that are not done.";
    "done-with-open-dependency", Warning, "A done item depends on something that is not done.";
    "unknown-value", Warning, "A Type, Expert, Status, Domain or Effort value is outside the vocabulary.";
    "missing-field", Warning, "A required metadata field is absent.";
    "missing-story-status", Warning, "A story has no Status while most stories of its folder have one.";
    "filename-mismatch", Warning, "An issue file's name does not follow <expert>-<type>-<NNN>.md or disagrees with its fields, or a story's title number disagrees with its file name.";
    "index-out-of-sync", Warning, "The issues index disagrees with the issue files.";
    "user-story-format", Warning, "A user story does not read \"As a <persona>, I <need|want|desire> <capability> so that <value>\".";
    "oversized-issue", Warning, "An issue has too many acceptance criteria or a Large effort: it will not fit one session.";
    "oversized-story", Warning, "A story has too many tasks and should be split.";
    "unknown-milestone", Warning, "A milestone that the roadmap does not define.";
    "generic-persona", Info, "The user story's persona is a generic \"user\".";
    "vague-criterion", Hint, "An acceptance criterion no one can verify.";
}

pub fn rule_info(name: &str) -> Option<&'static RuleInfo> {
    RULES.iter().find(|r| r.name == name)
}

/// A location related to a diagnostic (the other copy of a duplicate ID,
/// the other members of a cycle).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Related {
    pub rel: String,
    pub range: TextRange,
    pub message: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DiagnosticTag {
    /// The text is an unfilled placeholder or otherwise dead weight.
    Unnecessary,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub rel: String,
    pub rule: &'static str,
    pub severity: Severity,
    pub message: String,
    pub range: TextRange,
    pub related: Vec<Related>,
    pub tags: Vec<DiagnosticTag>,
}

/// Collects one file's diagnostics, applying configured severities.
pub(crate) struct Sink<'a> {
    rel: &'a str,
    config: &'a Config,
    vague: &'a VagueMatcher,
    out: Vec<Diagnostic>,
}

impl<'a> Sink<'a> {
    fn new(rel: &'a str, config: &'a Config, vague: &'a VagueMatcher) -> Sink<'a> {
        Sink {
            rel,
            config,
            vague,
            out: Vec::new(),
        }
    }

    /// The severity `rule` is configured to, or `None` when it is off.
    pub(crate) fn severity(&self, rule: &str) -> Option<Severity> {
        let default = rule_info(rule).map_or(Severity::Warning, |r| r.severity);
        match self.config.rules.get(rule).and_then(|s| s.severity) {
            Some(level) => level,
            None => Some(default),
        }
    }

    pub(crate) fn push(
        &mut self,
        rule: &'static str,
        range: TextRange,
        message: impl Into<String>,
    ) -> Option<&mut Diagnostic> {
        let severity = self.severity(rule)?;
        self.out.push(Diagnostic {
            rel: self.rel.to_string(),
            rule,
            severity,
            message: message.into(),
            range,
            related: Vec::new(),
            tags: Vec::new(),
        });
        self.out.last_mut()
    }

    /// An integer option of a rule, or its default.
    pub(crate) fn option_usize(&self, rule: &str, key: &str, default: usize) -> usize {
        self.config
            .rules
            .get(rule)
            .and_then(|s| s.options.get(key))
            .and_then(|v| v.as_integer())
            .and_then(|n| usize::try_from(n).ok())
            .unwrap_or(default)
    }

    /// A list-of-strings option of a rule, or its default.
    pub(crate) fn option_strings(&self, rule: &str, key: &str, default: &[&str]) -> Vec<String> {
        rule_option_strings(self.config, rule, key, default)
    }
}

/// A rule's list-of-strings option from `[rules.<rule>]`, or the default.
pub(crate) fn rule_option_strings(
    config: &Config,
    rule: &str,
    key: &str,
    default: &[&str],
) -> Vec<String> {
    config
        .rules
        .get(rule)
        .and_then(|s| s.options.get(key))
        .and_then(|v| v.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_else(|| default.iter().map(|s| s.to_string()).collect())
}

/// Every diagnostic of one file. `ctx` holds the workspace-wide facts
/// (cycles, duplicate numbers) computed once per workspace version.
pub fn check_file(ws: &Workspace, ctx: &Context, rel: &str) -> Vec<Diagnostic> {
    let config = ws.config();
    let mut sink = Sink::new(rel, config, &ctx.vague);
    if let Some(reason) = ws.unreadable().get(rel) {
        sink.push(
            "unreadable-file",
            TextRange::empty(0),
            format!("`{rel}` {reason}"),
        );
        return sink.out;
    }
    let Some(file) = ws.file(rel) else {
        return Vec::new();
    };
    content::check(ws, file, &mut sink);
    status::check(ws, file, &mut sink);
    dependencies::check(ws, ctx, file, &mut sink);
    index::check(ws, file, &mut sink);
    let mut out = suppress::apply(file, sink.out);
    out.sort_by(|a, b| (a.range.start, a.rule).cmp(&(b.range.start, b.rule)));
    out
}

/// Every diagnostic of the workspace, files checked on every core, sorted
/// by path and position.
pub fn check_workspace(ws: &Workspace) -> Vec<Diagnostic> {
    let ctx = Context::new(ws);
    let mut rels: Vec<&str> = ws.sorted_files().iter().map(|f| f.rel.as_str()).collect();
    rels.extend(ws.unreadable().keys().map(String::as_str));
    rels.sort_unstable();
    // An index lists every issue: checking it costs as much as thousands of
    // files. Checked first, it runs beside the others instead of last and
    // alone on one core.
    let mut order: Vec<usize> = (0..rels.len()).collect();
    order.sort_by_key(|&i| !ws.index_files().any(|index| index == rels[i]));
    let mut per_file: Vec<(usize, Vec<Diagnostic>)> = order
        .par_iter()
        .map(|&i| (i, check_file(ws, &ctx, rels[i])))
        .collect();
    per_file.sort_unstable_by_key(|(i, _)| *i);
    per_file.into_iter().flat_map(|(_, found)| found).collect()
}
