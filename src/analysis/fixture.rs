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
/// section is read as the configuration, and a `//- backlog.config.yml`
/// one names the backlog folder as the loader reads it. Text before the first marker is
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
    // As the loader does, the projects' `backlog.config.yml` files and
    // `config.yml` files decide which backlog folders are read.
    {
        use crate::analysis::dialect::backlog;
        let projects = backlog::backlog_projects(files.iter().map(|(p, _)| p.as_str()));
        let layout = backlog::backlog_layout(&projects, &FixtureDisk(&files));
        config.backlog_folders = layout.read;
        config.unread_backlog_folders = layout.unread;
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
            .line_index()
            .line_col(&file.text, d.range.start(), ColumnUnit::Char);
        let shown = file.text.get(d.range.start()..d.range.end()).unwrap_or("");
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

/// Each code action at the fixture's cursor, titled, with the text of the
/// cursor's file after applying it.
pub fn actions_at(fixture: &str) -> String {
    actions_at_showing(fixture, None)
}

/// Each code action at the fixture's cursor, titled, with the text of
/// `shown` (the cursor's file when `None`) after applying it.
pub fn actions_at_showing(fixture: &str, shown: Option<&str>) -> String {
    let fixture = workspace(fixture);
    let ws = &fixture.workspace;
    let (rel, offset) = fixture.cursor.clone().expect("a cursor");
    let shown = shown.unwrap_or(&rel);
    let ctx = crate::analysis::rules::Context::new(ws);
    let files: std::collections::BTreeMap<String, String> = ws
        .files()
        .iter()
        .map(|f| (f.rel.to_string(), f.text.to_string()))
        .collect();
    let mut out = String::new();
    let range = crate::analysis::text::TextRange::empty(offset);
    for action in crate::analysis::actions::code_actions(ws, &ctx, &rel, range) {
        let after = crate::analysis::actions::apply::apply(&files, &action.changes)
            .expect("the action applies");
        let _ = writeln!(
            out,
            "## {} (preferred: {})",
            action.title, action.is_preferred
        );
        out.push_str(&after[shown]);
    }
    out
}

/// The rename of the ID at the fixture's cursor to `new_name`: one line
/// per edit (`rel: old text -> new text`) and per file moved, or why it is
/// refused.
pub fn renamed(fixture: &str, new_name: &str) -> String {
    let fixture = workspace(fixture);
    let ws = &fixture.workspace;
    let (rel, offset) = fixture.cursor.clone().expect("a cursor");
    let ctx = crate::analysis::rules::Context::new(ws);
    let edit = match crate::analysis::features::rename::rename(ws, &ctx, &rel, offset, new_name) {
        Ok(edit) => edit,
        Err(refusal) => return format!("refused: {refusal}\n"),
    };
    let mut out = String::new();
    for e in &edit.edits {
        let text = &ws.file(&e.rel).expect("an edited file").text[e.range.start()..e.range.end()];
        let _ = writeln!(out, "{}: {text} -> {}", e.rel, e.new_text);
    }
    for r in &edit.file_renames {
        let _ = writeln!(out, "move {} -> {}", r.old_rel, r.new_rel);
    }
    out
}

/// The workspace-wide facts the editor's features read, made from `ws`.
pub fn derived(ws: &Workspace) -> crate::analysis::features::Derived {
    crate::analysis::features::Derived::new(ws, Arc::new(crate::analysis::rules::Context::new(ws)))
}

/// What completion offers at the fixture's cursor, and the cursor's offset.
pub fn completion_at(
    fixture: &Fixture,
) -> (crate::analysis::features::completion::Completions, usize) {
    let ws = &fixture.workspace;
    let (rel, offset) = fixture.cursor.clone().expect("a cursor");
    let got = crate::analysis::features::completion::completion(ws, &derived(ws), &rel, offset);
    (got, offset)
}

/// Completion's candidates, one `label "detail"` line each.
pub fn completion_lines(got: &crate::analysis::features::completion::Completions) -> String {
    got.items
        .iter()
        .map(|c| format!("{} {:?}", c.label, c.detail.as_deref().unwrap_or("")))
        .collect::<Vec<_>>()
        .join("\n")
}

/// What the editor shows of the criteria and requirements the item at
/// `item_at` in `rel` covers: its inlay hints, the `Covers` line of its
/// hover, and how many references are drawn as dangling, on one line.
pub fn covers_as_shown(ws: &Workspace, rel: &str, item_at: usize) -> String {
    use crate::analysis::features;
    let derived = derived(ws);
    let hints: Vec<String> = features::inlay::inlay_hints(ws, &derived, rel, None)
        .into_iter()
        .map(|h| h.label)
        .collect();
    let hover = features::hover::hover(ws, &derived, rel, item_at)
        .map(|h| h.markdown)
        .unwrap_or_default();
    let covers = hover
        .lines()
        .find(|l| l.starts_with("Covers"))
        .unwrap_or("");
    let dangling = features::semantic::semantic_tokens(ws, rel)
        .iter()
        .filter(|t| t.kind == features::semantic::TokenKind::DanglingReference)
        .count();
    format!("hints {hints:?}; {covers}; dangling tokens {dangling}")
}

/// The outline of `rel`, one symbol a line, indented by its depth, with
/// its detail.
pub fn outline(ws: &Workspace, rel: &str) -> String {
    fn walk(
        out: &mut String,
        symbols: &[crate::analysis::features::symbols::Symbol],
        depth: usize,
    ) {
        for symbol in symbols {
            out.push_str(&format!(
                "{}{} ({:?})\n",
                "  ".repeat(depth),
                symbol.name,
                symbol.detail
            ));
            walk(out, &symbol.children, depth + 1);
        }
    }
    let mut out = String::new();
    walk(
        &mut out,
        &crate::analysis::features::symbols::document_symbols(ws, rel),
        0,
    );
    out
}

/// The disk as a fixture's files make it, for the backlog layout.
struct FixtureDisk<'a>(&'a [(String, String)]);

impl crate::analysis::dialect::backlog::BacklogDisk for FixtureDisk<'_> {
    fn text(&self, rel: &str) -> Option<String> {
        self.0
            .iter()
            .find(|(path, _)| path == rel)
            .map(|(_, text)| text.clone())
    }
    fn is_folder(&self, rel: &str) -> bool {
        self.0.iter().any(|(path, _)| {
            path.strip_prefix(rel)
                .is_some_and(|rest| rest.starts_with('/'))
        })
    }
    fn is_file(&self, rel: &str) -> bool {
        self.0.iter().any(|(path, _)| path == rel)
    }
}
