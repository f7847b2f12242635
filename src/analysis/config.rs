//! `planmark.toml`: vocabularies, extra planning locations, plan weights and
//! rule settings. Every part that parses applies, even when another part of
//! the file is broken; each problem names its line and key.

use std::collections::BTreeMap;

use toml::{Table, Value};

use crate::analysis::rules::{OptionKind, Rule};

pub const CONFIG_FILE_NAME: &str = "planmark.toml";

/// Severity of a diagnostic, as configured or by a rule's default.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
    Hint,
}

impl Severity {
    pub fn name(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
            Severity::Hint => "hint",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        match s.to_ascii_lowercase().as_str() {
            "error" => Some(Severity::Error),
            "warning" | "warn" => Some(Severity::Warning),
            "info" | "information" => Some(Severity::Info),
            "hint" => Some(Severity::Hint),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Vocabulary {
    pub types: Vec<String>,
    pub experts: Vec<String>,
    pub statuses: Vec<String>,
    pub task_statuses: Vec<String>,
    pub domains: Vec<String>,
    pub efforts: Vec<String>,
}

fn strings(words: &[&str]) -> Vec<String> {
    words.iter().map(|w| w.to_string()).collect()
}

impl Default for Vocabulary {
    fn default() -> Vocabulary {
        Vocabulary {
            // The templates' values, plus those formats.md records as seen
            // in real projects, so that common conventions are not flagged.
            types: strings(&["feature", "bug", "techdebt", "research"]),
            experts: strings(&["swe", "qa", "devops", "sa", "pm", "doc", "system-architect"]),
            statuses: strings(&["backlog", "planned", "in-progress", "done"]),
            task_statuses: strings(&["pending", "in_progress", "done"]),
            domains: strings(&["backend", "compute", "electron", "packaging"]),
            efforts: strings(&["Small session", "Medium session", "Large session"]),
        }
    }
}

/// Effort weights for the critical path.
#[derive(Clone, Debug, PartialEq)]
pub struct Weights {
    pub small: f64,
    pub medium: f64,
    pub large: f64,
    pub unknown: f64,
    pub task: f64,
}

impl Default for Weights {
    fn default() -> Weights {
        Weights {
            small: 1.0,
            medium: 2.0,
            large: 3.0,
            unknown: 2.0,
            task: 1.0,
        }
    }
}

/// A rule's configured severity (`None` = off) and options.
#[derive(Clone, Debug, PartialEq)]
pub struct RuleSetting {
    /// `Some(None)` turns the rule off; `None` keeps its default severity.
    pub severity: Option<Option<Severity>>,
    pub options: Table,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    pub vocabulary: Vocabulary,
    /// Extra folders (relative to the root) that hold issue status folders.
    pub issue_dirs: Vec<String>,
    /// Extra folders that hold story files.
    pub story_dirs: Vec<String>,
    /// Names of the status folders under an issues folder.
    pub status_folders: Vec<String>,
    pub weights: Weights,
    pub rules: BTreeMap<String, RuleSetting>,
    /// The backlog folders that projects' `backlog.config.yml` files name,
    /// when they are not ones found by their name (`planning` for the
    /// root's `backlog_directory: planning`, `apps/web/planning` for
    /// `apps/web/backlog.config.yml`): not a setting of `planmark.toml`,
    /// but read beside it by the loader, as it decides which paths are
    /// Backlog.md's.
    pub backlog_folders: Vec<String>,
    /// The folders named `backlog` or `.backlog` that Backlog.md does not
    /// read, because their project's backlog is another folder (`.backlog`
    /// when `backlog/` holds the `config.yml`): their files define no task.
    /// Read by the loader, as `backlog_folders` is.
    pub unread_backlog_folders: Vec<String>,
    /// The text of `planmark.toml` this was read from (`None`: there is no
    /// such file), for the fixes that add to it.
    pub source: Option<std::sync::Arc<str>>,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            vocabulary: Vocabulary::default(),
            issue_dirs: Vec::new(),
            story_dirs: Vec::new(),
            status_folders: strings(&["backlog", "planned", "in-progress", "done"]),
            weights: Weights::default(),
            rules: BTreeMap::new(),
            backlog_folders: Vec::new(),
            unread_backlog_folders: Vec::new(),
            source: None,
        }
    }
}

/// A problem in `planmark.toml`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    /// One-based line, when known.
    pub line: Option<usize>,
    /// The dotted key (`rules.oversized-issue`), when the problem has one.
    pub key: Option<String>,
    pub message: String,
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (&self.key, self.line) {
            (Some(key), _) => write!(f, "`{key}`: {}", self.message),
            (None, _) => write!(f, "{}", self.message),
        }
    }
}

impl Config {
    /// Parses a config file. The returned config holds every value that
    /// parsed; the errors list everything that did not.
    pub fn parse(text: &str, known_rules: &[&str]) -> (Config, Vec<ConfigError>) {
        let mut config = Config {
            source: Some(text.into()),
            ..Config::default()
        };
        let mut errors = Vec::new();
        let table: Table = match text.parse() {
            Ok(table) => table,
            Err(err) => {
                let err: toml::de::Error = err;
                let line = err.span().map(|span| line_of(text, span.start));
                errors.push(ConfigError {
                    line,
                    key: None,
                    message: format!("not valid TOML: {}", err.message()),
                });
                return (config, errors);
            }
        };
        let mut ctx = Ctx {
            text,
            errors: &mut errors,
        };
        for (key, value) in &table {
            match key.as_str() {
                "vocabulary" => ctx.vocabulary(value, &mut config.vocabulary),
                "locations" => ctx.locations(value, &mut config),
                "plan" => ctx.plan(value, &mut config.weights),
                "rules" => ctx.rules(value, known_rules, &mut config.rules),
                _ => ctx.error(
                    key,
                    "unknown section (expected `vocabulary`, `locations`, `plan` or `rules`)",
                ),
            }
        }
        (config, errors)
    }
}

struct Ctx<'a> {
    text: &'a str,
    errors: &'a mut Vec<ConfigError>,
}

impl Ctx<'_> {
    fn error(&mut self, key: &str, message: impl Into<String>) {
        let leaf = key.rsplit('.').next().unwrap_or(key);
        self.errors.push(ConfigError {
            line: find_key_line(self.text, leaf),
            key: Some(key.to_string()),
            message: message.into(),
        });
    }

    fn table<'v>(&mut self, key: &str, value: &'v Value) -> Option<&'v Table> {
        match value {
            Value::Table(t) => Some(t),
            other => {
                self.error(key, format!("expected a table, found {}", other.type_str()));
                None
            }
        }
    }

    fn string_list(&mut self, key: &str, value: &Value) -> Option<Vec<String>> {
        let Value::Array(items) = value else {
            self.error(
                key,
                format!("expected a list of strings, found {}", value.type_str()),
            );
            return None;
        };
        let mut out = Vec::new();
        for item in items {
            match item {
                Value::String(s) => out.push(s.clone()),
                other => {
                    self.error(
                        key,
                        format!(
                            "expected a list of strings, found a {} in it",
                            other.type_str()
                        ),
                    );
                    return None;
                }
            }
        }
        Some(out)
    }

    fn vocabulary(&mut self, value: &Value, vocabulary: &mut Vocabulary) {
        let Some(table) = self.table("vocabulary", value) else {
            return;
        };
        for (key, value) in table {
            let full = format!("vocabulary.{key}");
            let slot = match key.as_str() {
                "types" => &mut vocabulary.types,
                "experts" => &mut vocabulary.experts,
                "statuses" => &mut vocabulary.statuses,
                "task-statuses" | "task_statuses" => &mut vocabulary.task_statuses,
                "domains" => &mut vocabulary.domains,
                "efforts" => &mut vocabulary.efforts,
                _ => {
                    self.error(&full, "unknown key (expected types, experts, statuses, task-statuses, domains or efforts)");
                    continue;
                }
            };
            if let Some(list) = self.string_list(&full, value) {
                *slot = list;
            }
        }
    }

    fn locations(&mut self, value: &Value, config: &mut Config) {
        let Some(table) = self.table("locations", value) else {
            return;
        };
        for (key, value) in table {
            let full = format!("locations.{key}");
            let slot = match key.as_str() {
                "issues" => &mut config.issue_dirs,
                "stories" => &mut config.story_dirs,
                "status-folders" | "status_folders" => &mut config.status_folders,
                _ => {
                    self.error(
                        &full,
                        "unknown key (expected issues, stories or status-folders)",
                    );
                    continue;
                }
            };
            if let Some(list) = self.string_list(&full, value) {
                *slot = list;
            }
        }
    }

    fn plan(&mut self, value: &Value, weights: &mut Weights) {
        let Some(table) = self.table("plan", value) else {
            return;
        };
        for (key, value) in table {
            let full = format!("plan.{key}");
            if key != "weights" {
                self.error(&full, "unknown key (expected weights)");
                continue;
            }
            let Some(table) = self.table(&full, value) else {
                continue;
            };
            for (name, value) in table {
                let full = format!("plan.weights.{name}");
                let slot = match name.as_str() {
                    "small" => &mut weights.small,
                    "medium" => &mut weights.medium,
                    "large" => &mut weights.large,
                    "unknown" => &mut weights.unknown,
                    "task" => &mut weights.task,
                    _ => {
                        self.error(
                            &full,
                            "unknown key (expected small, medium, large, unknown or task)",
                        );
                        continue;
                    }
                };
                match value {
                    Value::Integer(n) if *n >= 0 => *slot = *n as f64,
                    Value::Float(x) if *x >= 0.0 => *slot = *x,
                    other => self.error(
                        &full,
                        format!("expected a non-negative number, found {}", other.type_str()),
                    ),
                }
            }
        }
    }

    fn rules(&mut self, value: &Value, known: &[&str], rules: &mut BTreeMap<String, RuleSetting>) {
        let Some(table) = self.table("rules", value) else {
            return;
        };
        for (name, value) in table {
            let full = format!("rules.{name}");
            if !known.contains(&name.as_str()) {
                let hint = crate::analysis::suggest::closest(name, known.iter().copied())
                    .map(|s| format!(" (did you mean `{s}`?)"))
                    .unwrap_or_default();
                self.error(&full, format!("unknown rule `{name}`{hint}"));
                continue;
            }
            let setting = match value {
                Value::String(s) => match parse_level(s) {
                    Some(level) => RuleSetting {
                        severity: Some(level),
                        options: Table::new(),
                    },
                    None => {
                        self.error(&full, format!("unknown severity `{s}` (expected off, error, warning, info or hint)"));
                        continue;
                    }
                },
                Value::Table(t) => {
                    let mut options = t.clone();
                    let severity = match options.remove("severity") {
                        None => None,
                        Some(Value::String(s)) => match parse_level(&s) {
                            Some(level) => Some(level),
                            None => {
                                self.error(&format!("{full}.severity"), format!("unknown severity `{s}` (expected off, error, warning, info or hint)"));
                                None
                            }
                        },
                        Some(other) => {
                            self.error(
                                &format!("{full}.severity"),
                                format!("expected a string, found {}", other.type_str()),
                            );
                            None
                        }
                    };
                    self.rule_options(name, &mut options);
                    RuleSetting { severity, options }
                }
                other => {
                    self.error(
                        &full,
                        format!(
                            "expected a severity string or a table, found {}",
                            other.type_str()
                        ),
                    );
                    continue;
                }
            };
            rules.insert(name.clone(), setting);
        }
    }
}

impl Ctx<'_> {
    /// Checks a rule's options against those it declares: an unknown key or
    /// a value of the wrong type is an error, and is dropped so that the
    /// rule uses its default.
    fn rule_options(&mut self, rule_name: &str, options: &mut Table) {
        let Some(rule) = Rule::from_name(rule_name) else {
            return;
        };
        let declared = rule.info().options;
        options.retain(|key, value| {
            let full = format!("rules.{rule_name}.{key}");
            let line = find_option_line(self.text, rule_name, key);
            let mut error = |message: String| {
                self.errors.push(ConfigError {
                    line,
                    key: Some(full.clone()),
                    message,
                });
                false
            };
            let Some(option) = declared.iter().find(|o| o.key == key) else {
                let expected = match declared {
                    [] => "it has none besides `severity`".to_string(),
                    _ => format!(
                        "expected {}",
                        declared
                            .iter()
                            .map(|o| format!("`{}`", o.key))
                            .chain(["`severity`".to_string()])
                            .collect::<Vec<_>>()
                            .join(" or ")
                    ),
                };
                return error(format!(
                    "unknown option `{key}` of `{rule_name}` ({expected})"
                ));
            };
            let fits = match (option.kind, &*value) {
                (OptionKind::Count(_), Value::Integer(n)) => *n >= 0,
                (OptionKind::Strings(_), Value::Array(items)) => {
                    items.iter().all(|item| item.is_str())
                }
                _ => false,
            };
            if fits {
                return true;
            }
            let found = match value {
                Value::Integer(n) if *n < 0 => "a negative integer".to_string(),
                Value::Array(items) => match items.iter().find(|item| !item.is_str()) {
                    Some(item) => format!("a {} in it", item.type_str()),
                    None => "a list of strings".to_string(),
                },
                other => other.type_str().to_string(),
            };
            error(format!(
                "expected {}, found {found}",
                option.kind.expected()
            ))
        });
    }
}

/// The one-based line where the option `key` of `rule` is set: the first
/// assignment of `key` at or after the line that names the rule.
fn find_option_line(text: &str, rule: &str, key: &str) -> Option<usize> {
    let names_rule = |line: &str| {
        line.trim_start()
            .trim_start_matches('[')
            .trim_start()
            .trim_start_matches("rules.")
            .trim_start_matches('"')
            .starts_with(rule)
    };
    let from = text.lines().position(names_rule).unwrap_or(0);
    let assigns = |line: &str| {
        line.match_indices(key).any(|(at, _)| {
            let before = line[..at].chars().next_back();
            let boundary = !before.is_some_and(|c| c.is_alphanumeric() || c == '-' || c == '_');
            let after = line[at + key.len()..].trim_start_matches(['"', ' ', '\t']);
            boundary && after.starts_with('=')
        })
    };
    text.lines()
        .enumerate()
        .skip(from)
        .find(|(_, line)| assigns(line))
        .map(|(i, _)| i + 1)
}

fn parse_level(s: &str) -> Option<Option<Severity>> {
    if s.eq_ignore_ascii_case("off") || s.eq_ignore_ascii_case("none") {
        Some(None)
    } else {
        Severity::parse(s).map(Some)
    }
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

/// The one-based line where `key` is first assigned or opened as a table.
fn find_key_line(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .position(|line| {
            let line = line.trim_start();
            let line = line.trim_start_matches('[').trim_start();
            let line = line.strip_prefix('"').unwrap_or(line);
            line.starts_with(key)
                && line[key.len()..]
                    .trim_start()
                    .starts_with(['=', ']', '"', '.'])
        })
        .map(|i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn good_values_apply_beside_bad_ones() {
        let text = "[vocabulary]\nexperts = [\"swe\", \"sa\"]\ntypes = 3\ncolour = 1\n\n[rules]\noversized-issue = { max-criteria = 10 }\nno-such-rule = \"off\"\n";
        let (config, errors) = Config::parse(text, &["oversized-issue"]);
        assert_eq!(config.vocabulary.experts, vec!["swe", "sa"]);
        assert_eq!(config.vocabulary.types, Vocabulary::default().types);
        assert!(config.rules.contains_key("oversized-issue"));
        let mut got: Vec<_> = errors
            .iter()
            .map(|e| format!("{}:{}", e.line.unwrap_or(0), e))
            .collect();
        got.sort();
        assert_eq!(
            got,
            vec![
                "3:`vocabulary.types`: expected a list of strings, found integer",
                "4:`vocabulary.colour`: unknown key (expected types, experts, statuses, task-statuses, domains or efforts)",
                "8:`rules.no-such-rule`: unknown rule `no-such-rule`",
            ]
        );
    }

    #[test]
    fn rule_options_are_checked_against_the_declared_ones() {
        let text = "[rules]\noversized-issue = { max-criteria = \"ten\" }\noversized-story = { max-tasks = 10, max-task = 3 }\nvague-criterion = { phrases = [\"is fast\", 1] }\ndependency-cycle = { severity = \"error\", depth = 2 }\nuser-story-format = { severity = \"off\" }\n\n[rules.generic-persona]\npersonas = \"user\"\n";
        let (config, errors) = Config::parse(text, &crate::analysis::rules::rule_names());
        let mut got: Vec<_> = errors
            .iter()
            .map(|e| format!("{}:{}", e.line.unwrap_or(0), e))
            .collect();
        got.sort();
        assert_eq!(
            got,
            vec![
                "2:`rules.oversized-issue.max-criteria`: expected a non-negative integer, found string",
                "3:`rules.oversized-story.max-task`: unknown option `max-task` of `oversized-story` (expected `max-tasks` or `severity`)",
                "4:`rules.vague-criterion.phrases`: expected a list of strings, found a integer in it",
                "5:`rules.dependency-cycle.depth`: unknown option `depth` of `dependency-cycle` (it has none besides `severity`)",
                "9:`rules.generic-persona.personas`: expected a list of strings, found string",
            ]
        );
        // The good options apply; the bad ones are dropped for the defaults.
        let options = |rule: &str| {
            let mut keys: Vec<&String> = config.rules[rule].options.keys().collect();
            keys.sort();
            keys
        };
        assert_eq!(options("oversized-story"), vec!["max-tasks"]);
        assert!(options("oversized-issue").is_empty());
        assert!(options("generic-persona").is_empty());
        assert_eq!(
            config.rules["dependency-cycle"].severity,
            Some(Some(Severity::Error))
        );
        assert_eq!(config.rules["user-story-format"].severity, Some(None));
    }

    #[test]
    fn negative_counts_are_refused() {
        let (_, errors) = Config::parse(
            "[rules.oversized-story]\nseverity = \"error\"\nmax-tasks = -1\n",
            &crate::analysis::rules::rule_names(),
        );
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].line, Some(3));
        assert_eq!(
            errors[0].to_string(),
            "`rules.oversized-story.max-tasks`: expected a non-negative integer, found a negative integer"
        );
    }

    #[test]
    fn broken_toml_names_the_line() {
        let (_, errors) = Config::parse("[vocabulary]\nexperts = [\n", &[]);
        assert_eq!(errors.len(), 1);
        assert!(errors[0].message.starts_with("not valid TOML"));
        assert!(errors[0].line.is_some());
    }
}
