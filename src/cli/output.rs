//! The output formats of `planmark check`: human (with the source line
//! underlined), JSON, SARIF 2.1.0 and GitHub workflow annotations.

use std::collections::HashMap;
use std::io::Write;

use serde::Serialize;

use crate::analysis::config::Severity;
use crate::analysis::rules::{all_rules, Diagnostic, Rule, DOCS_URL};
use crate::analysis::text::{floor_char_boundary, ColumnUnit};
use crate::analysis::workspace::{SourceFile, Workspace};
use crate::cli::paths::PathDisplay;

/// A diagnostic placed for printing: 1-based lines, columns in characters.
#[derive(Clone, Debug)]
pub(crate) struct Finding {
    pub(crate) path: String,
    pub(crate) rule: Rule,
    pub(crate) severity: Severity,
    pub(crate) message: String,
    pub(crate) line: usize,
    pub(crate) column: usize,
    pub(crate) end_line: usize,
    pub(crate) end_column: usize,
    /// The first line of the range, without its line break (an excerpt
    /// around the range when the line is long).
    pub(crate) source: Option<Excerpt>,
    pub(crate) related: Vec<RelatedFinding>,
    /// Whether `check --fix` fixes it.
    pub(crate) fixable: bool,
}

/// The source line shown under a finding, with where its caret goes.
#[derive(Clone, Debug)]
pub(crate) struct Excerpt {
    pub(crate) text: String,
    /// The 1-based character column of the range's start in `text`.
    pub(crate) caret_column: usize,
    /// How many characters the caret underlines.
    pub(crate) caret_width: usize,
}

/// Lines up to this many bytes are shown whole.
const EXCERPT_WHOLE_LINE: usize = 512;
/// How many bytes of a longer line are shown before and after a finding.
const EXCERPT_BEFORE: usize = 120;
const EXCERPT_AFTER: usize = 240;

impl Excerpt {
    /// The excerpt of `file`'s line holding byte `start`, underlining up to
    /// `end`. Only the bytes shown are read, so a 5 MB line with 300,000
    /// findings costs 300,000 short excerpts.
    fn new(file: &SourceFile, line: usize, start: usize, end: usize) -> Excerpt {
        let text = file.text.as_ref();
        let range = file.line_index().line_range(line);
        let line_end = range.start()
            + text[range.start()..range.end()]
                .trim_end_matches(['\n', '\r'])
                .len();
        let mut from = range.start();
        if text[from..].starts_with('\u{feff}') {
            from += '\u{feff}'.len_utf8();
        }
        let start = floor_char_boundary(text, start.clamp(from, line_end));
        let end = floor_char_boundary(text, end.clamp(start, line_end));
        let (show_from, show_to) = if line_end - from <= EXCERPT_WHOLE_LINE {
            (from, line_end)
        } else {
            (
                floor_char_boundary(text, start.saturating_sub(EXCERPT_BEFORE).max(from)),
                floor_char_boundary(text, (start + EXCERPT_AFTER).min(line_end)),
            )
        };
        let lead = if show_from > from { "…" } else { "" };
        let tail = if show_to < line_end { "…" } else { "" };
        let caret_width = text[start..end.min(show_to)].chars().count();
        Excerpt {
            caret_column: lead.chars().count() + text[show_from..start].chars().count() + 1,
            caret_width,
            text: format!("{lead}{}{tail}", &text[show_from..show_to]),
        }
    }
}

#[derive(Clone, Debug)]
pub(crate) struct RelatedFinding {
    pub(crate) path: String,
    pub(crate) line: usize,
    pub(crate) column: usize,
    pub(crate) message: String,
}

/// 1-based line and character column of a byte offset in a file.
fn place(ws: &Workspace, rel: &str, offset: usize) -> (usize, usize) {
    match ws.file(rel) {
        Some(file) => {
            let pos = file
                .line_index()
                .line_col(&file.text, offset, ColumnUnit::Char);
            // A byte-order mark is invisible in editors: columns of the
            // first line do not count it.
            let bom = pos.line == 0 && pos.col > 0 && file.text.starts_with('\u{feff}');
            (
                pos.line as usize + 1,
                pos.col as usize + 1 - usize::from(bom),
            )
        }
        None => (1, 1),
    }
}

impl Finding {
    /// `d` placed for printing; with its source line when `excerpt` is
    /// set (only the human format shows it).
    pub(crate) fn new(
        ws: &Workspace,
        paths: &PathDisplay,
        d: Diagnostic,
        excerpt: bool,
        fixable: bool,
    ) -> Finding {
        let (line, column) = place(ws, &d.rel, d.range.start());
        let (end_line, end_column) = place(ws, &d.rel, d.range.end());
        let source = ws
            .file(&d.rel)
            .filter(|_| excerpt)
            .map(|file| Excerpt::new(file, line - 1, d.range.start(), d.range.end()));
        let related = d
            .related
            .iter()
            .map(|r| {
                let (line, column) = place(ws, &r.rel, r.range.start());
                RelatedFinding {
                    path: paths.show(&r.rel),
                    line,
                    column,
                    message: r.message.clone(),
                }
            })
            .collect();
        Finding {
            path: paths.show(&d.rel),
            rule: d.rule,
            severity: d.severity,
            message: d.message,
            line,
            column,
            end_line,
            end_column,
            source,
            related,
            fixable,
        }
    }
}

#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Summary {
    pub(crate) files: usize,
    pub(crate) errors: usize,
    pub(crate) warnings: usize,
    pub(crate) infos: usize,
    pub(crate) hints: usize,
    /// How many findings `check --fix` fixes.
    pub(crate) fixable: usize,
}

impl Summary {
    pub(crate) fn of(findings: &[Finding], files: usize) -> Summary {
        let count = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
        Summary {
            files,
            errors: count(Severity::Error),
            warnings: count(Severity::Warning),
            infos: count(Severity::Info),
            hints: count(Severity::Hint),
            fixable: findings.iter().filter(|f| f.fixable).count(),
        }
    }
}

/// Colors only when stdout is a terminal and `NO_COLOR` is not set.
pub(crate) fn use_color() -> bool {
    use std::io::IsTerminal;
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stdout().is_terminal()
}

/// `n` and `word`, with an `s` unless `n` is one.
pub(crate) fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// How many findings of one rule with one message the human format shows
/// before it counts the rest in one line.
const SHOWN_REPEATS: usize = 3;

/// What goes before an excerpt's carets and how many there are, in the
/// columns a terminal gives each character: a CJK character or an emoji
/// takes two, a combining mark none, and a tab stays a tab so that the
/// carets line up under tabbed text. A range that goes on past its first
/// line is underlined to the end of the excerpt.
fn underline(excerpt: &Excerpt, single_line: bool) -> (String, usize) {
    let columns = |c: char| unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
    let start = excerpt.caret_column - 1;
    let mut pad = String::new();
    for c in excerpt.text.chars().take(start) {
        match c {
            '\t' => pad.push('\t'),
            c => pad.extend(std::iter::repeat_n(' ', columns(c))),
        }
    }
    let underlined = excerpt.text.chars().skip(start);
    let width: usize = if single_line {
        underlined.take(excerpt.caret_width).map(columns).sum()
    } else {
        underlined.map(columns).sum()
    };
    (pad, width.max(1))
}

pub(crate) fn human(findings: &[Finding], summary: &Summary, color: bool) -> String {
    let paint = |code: &str, text: &str| {
        if color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    };
    let mut out = String::new();
    // A rule repeating one message (a renamed vocabulary value, once per
    // task) is shown `SHOWN_REPEATS` times, then counted in one line.
    let mut repeats: HashMap<(Rule, &str), usize> = HashMap::new();
    for f in findings {
        *repeats.entry((f.rule, f.message.as_str())).or_default() += 1;
    }
    let mut shown: HashMap<(Rule, &str), usize> = HashMap::new();
    for f in findings {
        let key = (f.rule, f.message.as_str());
        let seen = shown.entry(key).or_default();
        *seen += 1;
        if *seen > SHOWN_REPEATS {
            continue;
        }
        let more = if *seen == SHOWN_REPEATS {
            repeats[&key] - SHOWN_REPEATS
        } else {
            0
        };
        // The label and the carets under the source share its colour.
        let (severity_color, label) = match f.severity {
            Severity::Error => ("1;31", "error"),
            Severity::Warning => ("1;33", "warning"),
            Severity::Info => ("1;36", "info"),
            Severity::Hint => ("1;32", "hint"),
        };
        let severity = paint(severity_color, label);
        out.push_str(&format!(
            "{}:{}:{}: {severity}[{}]: {}\n",
            paint("1", &f.path),
            f.line,
            f.column,
            f.rule,
            f.message
        ));
        if let Some(excerpt) = &f.source {
            let source = &excerpt.text;
            let (pad, width) = underline(excerpt, f.end_line == f.line);
            let gutter = format!("{:>4} | ", f.line);
            out.push_str(&format!("{gutter}{source}\n"));
            out.push_str(&format!(
                "{} | {pad}{}\n",
                " ".repeat(4),
                paint(severity_color, &"^".repeat(width))
            ));
        }
        for r in &f.related {
            out.push_str(&format!(
                "     = note: {}:{}:{}: {}\n",
                r.path, r.line, r.column, r.message
            ));
        }
        if more > 0 {
            out.push_str(&format!("… and {more} more like this\n"));
        }
    }
    let mut parts = vec![
        plural(summary.errors, "error"),
        plural(summary.warnings, "warning"),
    ];
    if summary.infos > 0 {
        parts.push(plural(summary.infos, "info"));
    }
    if summary.hints > 0 {
        parts.push(plural(summary.hints, "hint"));
    }
    if !findings.is_empty() {
        out.push('\n');
    }
    out.push_str(&format!(
        "{} in {}\n",
        parts.join(", "),
        plural(summary.files, "file")
    ));
    if summary.fixable > 0 {
        out.push_str(&format!(
            "{} fixable with `planmark check --fix` (add `--dry-run` to see the changes first)\n",
            summary.fixable
        ));
    }
    out
}

/// A problem met while listing a workspace (a folder that cannot be
/// listed, a symlink loop, a symlink out of the root): not a finding about
/// a file's content, but the files it hides were not checked.
#[derive(Clone, Debug)]
pub(crate) struct Problem {
    pub(crate) path: String,
    pub(crate) message: String,
}

/// `planmark check --format json`, written to `out` as it is made: at
/// 45,000 findings a tree of `serde_json::Value`s first cost 25 MB and a
/// tenth of a second more than the text itself. The keys are in the order
/// a `Value` map printed them (sorted), so the output is unchanged.
pub(crate) fn write_json(
    out: &mut impl Write,
    findings: &[Finding],
    problems: &[Problem],
    summary: &Summary,
) -> std::io::Result<()> {
    #[derive(Serialize)]
    struct Document<'a> {
        diagnostics: Vec<JsonFinding<'a>>,
        problems: Vec<JsonProblem<'a>>,
        summary: JsonSummary,
        version: u32,
    }
    #[derive(Serialize)]
    struct JsonSummary {
        errors: usize,
        files: usize,
        fixable: usize,
        hints: usize,
        infos: usize,
        warnings: usize,
    }
    #[derive(Serialize)]
    struct JsonFinding<'a> {
        column: usize,
        end_column: usize,
        end_line: usize,
        line: usize,
        message: &'a str,
        path: &'a str,
        related: Vec<JsonRelated<'a>>,
        rule: Rule,
        severity: &'static str,
    }
    #[derive(Serialize)]
    struct JsonRelated<'a> {
        column: usize,
        line: usize,
        message: &'a str,
        path: &'a str,
    }
    #[derive(Serialize)]
    struct JsonProblem<'a> {
        message: &'a str,
        path: &'a str,
    }
    let doc = Document {
        diagnostics: findings
            .iter()
            .map(|f| JsonFinding {
                column: f.column,
                end_column: f.end_column,
                end_line: f.end_line,
                line: f.line,
                message: &f.message,
                path: &f.path,
                related: f
                    .related
                    .iter()
                    .map(|r| JsonRelated {
                        column: r.column,
                        line: r.line,
                        message: &r.message,
                        path: &r.path,
                    })
                    .collect(),
                rule: f.rule,
                severity: f.severity.name(),
            })
            .collect(),
        problems: problems
            .iter()
            .map(|p| JsonProblem {
                message: &p.message,
                path: &p.path,
            })
            .collect(),
        summary: JsonSummary {
            errors: summary.errors,
            files: summary.files,
            fixable: summary.fixable,
            hints: summary.hints,
            infos: summary.infos,
            warnings: summary.warnings,
        },
        version: 1,
    };
    serde_json::to_writer_pretty(&mut *out, &doc).map_err(std::io::Error::from)?;
    out.write_all(b"\n")
}

/// The documentation of each rule, from `docs/rules.md`.
const RULES_DOC: &str = include_str!("../../docs/rules.md");

/// The paragraph under `## rule-name` in `docs/rules.md`.
pub fn rule_help(rule: &str) -> String {
    let heading = format!("## `{rule}`");
    let Some(start) = RULES_DOC.find(&heading) else {
        return String::new();
    };
    let body = &RULES_DOC[start + heading.len()..];
    // The section ends at the next `## ` heading; a `## ` line inside a
    // fenced example (`## Acceptance Criteria`) is not one.
    let mut end = body.len();
    let mut in_fence = false;
    let mut offset = 0;
    for line in body.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_fence = !in_fence;
        } else if !in_fence && offset > 0 && line.starts_with("## ") {
            end = offset;
            break;
        }
        offset += line.len();
    }
    body[..end].trim().to_string()
}

fn sarif_level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Hint => "note",
    }
}

/// `planmark check --format sarif`, written to `out` as it is made, like
/// [`write_json`]. The keys are in sorted order, as a `serde_json::Value`
/// map printed them.
pub(crate) fn write_sarif(
    out: &mut impl Write,
    findings: &[Finding],
    problems: &[Problem],
) -> std::io::Result<()> {
    #[derive(Serialize)]
    struct Document<'a> {
        #[serde(rename = "$schema")]
        schema: &'static str,
        runs: [Run<'a>; 1],
        version: &'static str,
    }
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Run<'a> {
        column_kind: &'static str,
        #[serde(skip_serializing_if = "Option::is_none")]
        invocations: Option<[Invocation<'a>; 1]>,
        results: Vec<SarifResult<'a>>,
        tool: Tool,
    }
    #[derive(Serialize)]
    struct Tool {
        driver: Driver,
    }
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Driver {
        information_uri: &'static str,
        name: &'static str,
        rules: Vec<RuleDescriptor>,
        version: &'static str,
    }
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct RuleDescriptor {
        default_configuration: Level,
        full_description: Text<'static>,
        help: Help,
        help_uri: String,
        id: &'static str,
        name: &'static str,
        short_description: Text<'static>,
    }
    #[derive(Serialize)]
    struct Level {
        level: &'static str,
    }
    #[derive(Serialize)]
    struct Text<'a> {
        text: &'a str,
    }
    #[derive(Serialize)]
    struct Help {
        markdown: String,
        text: String,
    }
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct SarifResult<'a> {
        level: &'static str,
        locations: [Location; 1],
        message: Text<'a>,
        related_locations: Vec<RelatedLocation<'a>>,
        rule_id: Rule,
        rule_index: usize,
    }
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Location {
        physical_location: PhysicalLocation<Region>,
    }
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct PhysicalLocation<R> {
        artifact_location: Uri,
        #[serde(skip_serializing_if = "Option::is_none")]
        region: Option<R>,
    }
    #[derive(Serialize)]
    struct Uri {
        uri: String,
    }
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Region {
        end_column: usize,
        end_line: usize,
        start_column: usize,
        start_line: usize,
    }
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct StartRegion {
        start_column: usize,
        start_line: usize,
    }
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct RelatedLocation<'a> {
        id: usize,
        message: Text<'a>,
        physical_location: PhysicalLocation<StartRegion>,
    }
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Invocation<'a> {
        execution_successful: bool,
        tool_execution_notifications: Vec<Notification<'a>>,
    }
    #[derive(Serialize)]
    struct Notification<'a> {
        level: &'static str,
        locations: [Location; 1],
        message: Text<'a>,
    }
    let rules = all_rules()
        .map(|r| RuleDescriptor {
            default_configuration: Level {
                level: sarif_level(r.severity),
            },
            full_description: Text { text: r.summary },
            help: Help {
                markdown: rule_help(r.name),
                text: rule_help(r.name),
            },
            help_uri: r.rule.docs_url(),
            id: r.name,
            name: r.name,
            short_description: Text { text: r.summary },
        })
        .collect();
    let index_of = |rule: Rule| all_rules().position(|r| r.rule == rule).unwrap_or(0);
    let results = findings
        .iter()
        .map(|f| SarifResult {
            level: sarif_level(f.severity),
            locations: [Location {
                physical_location: PhysicalLocation {
                    artifact_location: Uri {
                        uri: uri_path(&f.path),
                    },
                    region: Some(Region {
                        end_column: f.end_column.max(1),
                        end_line: f.end_line,
                        start_column: f.column,
                        start_line: f.line,
                    }),
                },
            }],
            message: Text { text: &f.message },
            related_locations: f
                .related
                .iter()
                .enumerate()
                .map(|(i, r)| RelatedLocation {
                    id: i,
                    message: Text { text: &r.message },
                    physical_location: PhysicalLocation {
                        artifact_location: Uri {
                            uri: uri_path(&r.path),
                        },
                        region: Some(StartRegion {
                            start_column: r.column,
                            start_line: r.line,
                        }),
                    },
                })
                .collect(),
            rule_id: f.rule,
            rule_index: index_of(f.rule),
        })
        .collect();
    // Walk problems are about the run, not a rule: SARIF's place for them
    // is the invocation's tool execution notifications.
    let invocations = (!problems.is_empty()).then(|| {
        [Invocation {
            execution_successful: true,
            tool_execution_notifications: problems
                .iter()
                .map(|p| Notification {
                    level: "warning",
                    locations: [Location {
                        physical_location: PhysicalLocation {
                            artifact_location: Uri {
                                uri: uri_path(&p.path),
                            },
                            region: None,
                        },
                    }],
                    message: Text { text: &p.message },
                })
                .collect(),
        }]
    });
    let doc = Document {
        schema: "https://json.schemastore.org/sarif-2.1.0.json",
        runs: [Run {
            column_kind: "unicodeCodePoints",
            invocations,
            results,
            tool: Tool {
                driver: Driver {
                    information_uri: DOCS_URL,
                    name: "planmark",
                    rules,
                    version: env!("CARGO_PKG_VERSION"),
                },
            },
        }],
        version: "2.1.0",
    };
    serde_json::to_writer_pretty(&mut *out, &doc).map_err(std::io::Error::from)?;
    out.write_all(b"\n")
}

/// A relative path as a SARIF URI reference: `/` separators, spaces and
/// other reserved characters percent-encoded.
fn uri_path(path: &str) -> String {
    let mut out = String::new();
    for b in path.replace('\\', "/").bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Escapes a GitHub workflow command's data (`%`, CR, LF) or property
/// value (also `:` and `,`).
fn gh_escape(s: &str, property: bool) -> String {
    let mut out = s
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A");
    if property {
        out = out.replace(':', "%3A").replace(',', "%2C");
    }
    out
}

pub(crate) fn github(findings: &[Finding]) -> String {
    let mut out = String::new();
    for f in findings {
        let level = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info | Severity::Hint => "notice",
        };
        out.push_str(&format!(
            "::{level} file={},line={},col={},endLine={},endColumn={},title={}::{}\n",
            gh_escape(&f.path, true),
            f.line,
            f.column,
            f.end_line,
            f.end_column,
            gh_escape(&format!("planmark {}", f.rule), true),
            gh_escape(&f.message, false)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn underline_of(text: &str, caret_column: usize, caret_width: usize) -> (String, usize) {
        let excerpt = Excerpt {
            text: text.to_string(),
            caret_column,
            caret_width,
        };
        underline(&excerpt, true)
    }

    fn carets(text: &str, caret_column: usize, caret_width: usize) -> String {
        let (pad, width) = underline_of(text, caret_column, caret_width);
        format!("{text}\n{pad}{}", "^".repeat(width))
    }

    /// Wide characters take two columns on screen, before the range and
    /// in it; a combining mark takes none; tabs stay tabs.
    #[test]
    fn carets_sit_under_the_range_as_a_terminal_shows_it() {
        expect_test::expect![[r#"
            顺丰速运 swe-1
                     ^^^^^"#]]
        .assert_eq(&carets("顺丰速运 swe-1", 6, 5));
        expect_test::expect![[r#"
            a 通知 b
              ^^^^"#]]
        .assert_eq(&carets("a 通知 b", 3, 2));
        // An emoji takes two columns; `e` and its combining accent one.
        assert_eq!(underline_of("😀 e\u{301}x", 3, 3), ("   ".to_string(), 2));
        assert_eq!(underline_of("\t通知", 2, 2), ("\t".to_string(), 4));
        // A range past its line is underlined to the excerpt's end.
        let excerpt = Excerpt {
            text: "ab 通知".to_string(),
            caret_column: 4,
            caret_width: 1,
        };
        assert_eq!(underline(&excerpt, false), ("   ".to_string(), 4));
    }

    /// A warning's carets are yellow as its label is, an info's cyan;
    /// without colour they are plain.
    #[test]
    fn carets_take_the_colour_of_the_severity() {
        let finding = |severity| Finding {
            path: "a.md".to_string(),
            rule: Rule::IndexOutOfSync,
            severity,
            message: "m".to_string(),
            line: 1,
            column: 1,
            end_line: 1,
            end_column: 2,
            source: Some(Excerpt {
                text: "ab".to_string(),
                caret_column: 1,
                caret_width: 1,
            }),
            related: Vec::new(),
            fixable: false,
        };
        let findings = [
            finding(Severity::Warning),
            finding(Severity::Info),
            finding(Severity::Error),
        ];
        let summary = Summary::of(&findings, 1);
        let carets = |color| {
            human(&findings, &summary, color)
                .lines()
                .filter(|line| line.contains('^'))
                .map(|line| line.trim_start().escape_debug().to_string())
                .collect::<Vec<_>>()
                .join("\n")
        };
        expect_test::expect![[r#"
                 | \u{1b}[1;33m^\u{1b}[0m
                 | \u{1b}[1;36m^\u{1b}[0m
                 | \u{1b}[1;31m^\u{1b}[0m"#]]
        .assert_eq(&carets(true));
        expect_test::expect![[r#"
                 | ^
                 | ^
                 | ^"#]]
        .assert_eq(&carets(false));
    }
}
