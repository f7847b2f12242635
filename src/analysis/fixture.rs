//! Workspace fixtures for tests: one string holding several files, each
//! introduced by a `//- path` line, and an optional `$0` cursor marker.

use std::sync::Arc;

use std::fmt::Write as _;

use crate::analysis::config::Config;
use crate::analysis::rules::check_workspace;
use crate::analysis::text::ColumnUnit;
use crate::analysis::workspace::{FileInput, Workspace};

/// A parsed fixture: the workspace, and the cursor (file and byte offset)
/// when the text held a `$0` marker.
pub struct Fixture {
    pub workspace: Workspace,
    pub cursor: Option<(String, usize)>,
}

/// Builds a workspace from `//- path` sections. A `//- planmark.toml`
/// section is read as the configuration. Text before the first marker is
/// ignored; each file's text starts on the line after its marker.
pub fn workspace(fixture: &str) -> Fixture {
    let mut files: Vec<(String, String)> = Vec::new();
    for line in fixture.split_inclusive('\n') {
        if let Some(path) = line.trim_start().strip_prefix("//- ") {
            files.push((path.trim().to_string(), String::new()));
        } else if let Some((_, text)) = files.last_mut() {
            text.push_str(line);
        }
    }
    let mut config = Config::default();
    let mut errors = Vec::new();
    if let Some((_, text)) = files.iter().find(|(p, _)| p == "planmark.toml") {
        (config, errors) = Config::parse(text, &crate::analysis::rules::rule_names());
    }
    let mut cursor = None;
    let mut inputs = Vec::new();
    for (path, mut text) in files {
        if path == "planmark.toml" {
            continue;
        }
        if let Some(at) = text.find("$0") {
            text.replace_range(at..at + 2, "");
            cursor = Some((path.clone(), at));
        }
        inputs.push((path, FileInput::Text(Arc::from(text))));
    }
    let mut workspace = Workspace::new(config, errors);
    workspace.load(inputs);
    Fixture { workspace, cursor }
}

/// Every finding of the workspace, one line each: `rel:line:col rule:
/// message [flagged text]`, lines and columns counted from one, columns in
/// characters.
pub fn findings(ws: &Workspace) -> String {
    let mut out = String::new();
    for d in check_workspace(ws) {
        let Some(file) = ws.file(&d.rel) else {
            let _ = writeln!(out, "{} {}: {}", d.rel, d.rule, d.message);
            continue;
        };
        let at = file
            .line_index
            .line_col(&file.text, d.range.start, ColumnUnit::Char);
        let shown = file.text.get(d.range.start..d.range.end).unwrap_or("");
        let _ = writeln!(
            out,
            "{}:{}:{} {}: {} [{shown}]",
            d.rel,
            at.line + 1,
            at.col + 1,
            d.rule,
            d.message
        );
    }
    out
}
