//! `planmark.toml`: vocabularies, extra planning locations, plan weights and
//! rule settings. Every part that parses applies, even when another part of
//! the file is broken; each problem names its line and key.

use std::collections::BTreeMap;

use toml::{Table, Value};

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
    fn broken_toml_names_the_line() {
        let (_, errors) = Config::parse("[vocabulary]\nexperts = [\n", &[]);
        assert_eq!(errors.len(), 1);
        assert!(errors[0].message.starts_with("not valid TOML"));
        assert!(errors[0].line.is_some());
    }
}
