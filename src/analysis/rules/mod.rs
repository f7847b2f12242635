//! The rules: `Rule` and its metadata table are in `rule.rs`; a finding is a
//! `Diagnostic` with its rule and a typed `Payload` for its fixes. Each rule
//! has a documentation entry in `docs/rules.md`. Each rule has its own file,
//! named after it, with its check, its fixes and their tests; `content.rs`,
//! `status.rs` and `dependencies.rs` run them in order. `check_file` runs
//! every rule on one file against the workspace; `check_workspace` on every
//! file.

mod content;
mod context;
pub(crate) mod dangling_dependency;
pub(crate) mod dependencies;
mod dependency_cycle;
pub(crate) mod done_with_open_criteria;
mod done_with_open_dependency;
pub(crate) mod done_with_open_tasks;
pub(crate) mod duplicate_id;
mod filename_mismatch;
mod generic_persona;
pub(crate) mod index_out_of_sync;
mod invalid_utf8;
pub(crate) mod missing_acceptance_criteria;
pub(crate) mod missing_field;
mod missing_story_status;
pub(crate) mod oversized_issue;
pub(crate) mod oversized_story;
mod placeholder_text;
mod rule;
pub(crate) mod self_dependency;
pub(crate) mod status;
pub(crate) mod status_folder_mismatch;
mod suppress;
pub(crate) mod unknown_milestone;
pub(crate) mod unknown_value;
mod unreadable_file;
mod user_story_format;
mod vague_criterion;

use rayon::prelude::*;

pub use context::Context;
pub use rule::{
    all_rules, rule_names, OptionKind, Reach, Rule, RuleInfo, RuleOption, DOCS_URL, RULES,
};
pub(crate) use status::folder_of;
pub use vague_criterion::VagueMatcher;

use crate::analysis::config::{Config, Severity};
use crate::analysis::graph::Titles;
use crate::analysis::text::TextRange;
use crate::analysis::workspace::Workspace;

pub fn rule_info(name: &str) -> Option<&'static RuleInfo> {
    Rule::from_name(name).map(Rule::info)
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

/// What a finding is about, in the form its fixes read: a fix never
/// parses the human message.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Payload {
    /// The finding's rule and range say all there is.
    #[default]
    None,
    /// `dangling-dependency`: the ID that names nothing, and the ID the
    /// message suggests instead, with whether it would close a cycle.
    Dangling {
        id: String,
        suggestion: Option<String>,
        closes_cycle: bool,
    },
    /// `dangling-dependency` of an ID whose item the dialect took out of
    /// the plan (an archived task): the only fix removes the dependency.
    Retired { id: String },
    /// `dangling-dependency` of a link: the planning file at `path`, which
    /// the link's `id` stands for, is not there.
    DanglingLink { id: String, path: String },
    /// `missing-field`: the label of the absent field (`Type`, `Depends on`).
    MissingField { label: &'static str },
    /// `unknown-value`: the field (`Type`, `Domain`, ...) and the value that
    /// is outside its vocabulary.
    UnknownValue { field: &'static str, value: String },
    /// `index-out-of-sync`: a row repeats the ID of the row on `first_line`
    /// (one-based).
    IndexRepeatedRow { id: String, first_line: usize },
    /// `index-out-of-sync`: a row lists an ID that no file defines.
    IndexStaleRow { id: String },
    /// `index-out-of-sync`: the issue `id` has no row.
    IndexMissingRow { id: String },
    /// `index-out-of-sync`: the `column` cell (`title`, `status`) of the row
    /// of `id` disagrees with the file.
    IndexCell { id: String, column: &'static str },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub rel: String,
    pub rule: Rule,
    pub severity: Severity,
    pub message: String,
    pub range: TextRange,
    pub related: Vec<Related>,
    pub tags: Vec<DiagnosticTag>,
    pub payload: Payload,
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
    pub(crate) fn severity(&self, rule: Rule) -> Option<Severity> {
        match self.config.rules.get(rule.name()).and_then(|s| s.severity) {
            Some(level) => level,
            None => Some(rule.default_severity()),
        }
    }

    pub(crate) fn push(
        &mut self,
        rule: Rule,
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
            payload: Payload::None,
        });
        self.out.last_mut()
    }

    /// Like `push`, with the payload the rule's fixes read.
    pub(crate) fn push_with(
        &mut self,
        rule: Rule,
        range: TextRange,
        message: impl Into<String>,
        payload: Payload,
    ) -> Option<&mut Diagnostic> {
        let d = self.push(rule, range, message)?;
        d.payload = payload;
        Some(d)
    }

    /// An integer option of a rule, or its declared default.
    pub(crate) fn option_usize(&self, rule: Rule, key: &str) -> usize {
        rule_option_usize(self.config, rule, key)
    }

    /// Whether a string of a rule's list option (see
    /// [`rule_option_strings`]) satisfies `test`; nothing is copied, as
    /// this is asked once per item.
    pub(crate) fn option_strings_any(
        &self,
        rule: Rule,
        key: &str,
        test: impl FnMut(&str) -> bool,
    ) -> bool {
        match configured_strings(self.config, rule, key) {
            ConfiguredStrings::Configured(list) => list.iter().filter_map(|v| v.as_str()).any(test),
            ConfiguredStrings::Default(list) => list.iter().copied().any(test),
        }
    }
}

/// A rule's list option as `[rules.<rule>]` writes it, or its declared
/// default when the configuration does not set it.
enum ConfiguredStrings<'a> {
    Configured(&'a [toml::Value]),
    Default(&'static [&'static str]),
}

/// The value `[rules.<rule>]` gives option `key`, if it sets it.
fn configured_option<'a>(config: &'a Config, rule: Rule, key: &str) -> Option<&'a toml::Value> {
    config
        .rules
        .get(rule.name())
        .and_then(|s| s.options.get(key))
}

fn configured_strings<'a>(config: &'a Config, rule: Rule, key: &str) -> ConfiguredStrings<'a> {
    let default = match rule.option(key).map(|o| o.kind) {
        Some(OptionKind::Strings(list)) => list,
        _ => unreachable!("`{rule}` declares no list option `{key}`"),
    };
    configured_option(config, rule, key)
        .and_then(|v| v.as_array())
        .map_or(ConfiguredStrings::Default(default), |list| {
            ConfiguredStrings::Configured(list)
        })
}

/// A rule's integer option from `[rules.<rule>]`, or its declared default.
pub(crate) fn rule_option_usize(config: &Config, rule: Rule, key: &str) -> usize {
    let default = match rule.option(key).map(|o| o.kind) {
        Some(OptionKind::Count(n)) => n,
        _ => unreachable!("`{rule}` declares no integer option `{key}`"),
    };
    configured_option(config, rule, key)
        .and_then(|v| v.as_integer())
        .and_then(|n| usize::try_from(n).ok())
        .unwrap_or(default)
}

/// A rule's list-of-strings option from `[rules.<rule>]`, or its declared
/// default.
pub(crate) fn rule_option_strings(config: &Config, rule: Rule, key: &str) -> Vec<String> {
    match configured_strings(config, rule, key) {
        ConfiguredStrings::Configured(list) => list
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect(),
        ConfiguredStrings::Default(list) => list.iter().map(|s| s.to_string()).collect(),
    }
}

/// Every diagnostic of one file. `ctx` holds the workspace-wide facts
/// (cycles, duplicate numbers) computed once per workspace version.
pub fn check_file(ws: &Workspace, ctx: &Context, rel: &str) -> Vec<Diagnostic> {
    let config = ws.config();
    let mut sink = Sink::new(rel, config, &ctx.vague);
    if unreadable_file::check(ws, rel, &mut sink) {
        return sink.out;
    }
    let Some(file) = ws.file(rel) else {
        return Vec::new();
    };
    invalid_utf8::check(ws, file, &mut sink);
    content::check(ws, file, &mut sink);
    status::check(ws, file, &mut sink);
    dependencies::check(ws, ctx, file, &mut sink);
    index_out_of_sync::check(ws, file, &mut sink);
    crate::analysis::dialect::check(ws, ctx, file, &mut sink);
    let mut out = suppress::apply(file, sink.out);
    out.sort_by_key(|d| (d.range.start(), d.rule));
    out
}

/// Every diagnostic of the workspace, files checked on every core, sorted
/// by path and position.
pub fn check_workspace(ws: &Workspace) -> Vec<Diagnostic> {
    // Nothing the rules report reads a title from the graph.
    let ctx = Context::new_with(ws, Titles::Skip);
    let mut rels: Vec<&str> = ws.sorted_files().iter().map(|f| &*f.rel).collect();
    rels.extend(ws.unreadable().keys().map(String::as_str));
    rels.sort_unstable();
    // An index lists every issue: checking it costs as much as thousands of
    // files. Checked first, it runs beside the others instead of last and
    // alone on one core.
    let mut order: Vec<usize> = (0..rels.len()).collect();
    order.sort_by_key(|&i| !ws.index_files().any(|index| index == rels[i]));
    let mut per_file: Vec<(usize, Vec<Diagnostic>)> = order
        .par_iter()
        .filter_map(|&i| {
            let mut found = check_file(ws, &ctx, rels[i]);
            // Most files have no finding or one: the room a list grows
            // into (four at its first push) took more memory at 100,000
            // files than the findings themselves.
            crate::analysis::compact::compact(&mut found);
            (!found.is_empty()).then_some((i, found))
        })
        .collect();
    // The findings are all made: the graph's memory is free for the list.
    drop(ctx);
    per_file.sort_unstable_by_key(|(i, _)| *i);
    let mut all = Vec::with_capacity(per_file.iter().map(|(_, found)| found.len()).sum());
    for (_, found) in per_file {
        all.extend(found);
    }
    all
}
