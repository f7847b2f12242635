//! A small workspace from one input: the first three bytes pick the paths
//! (and so the kinds) of up to three files, whose contents are the rest of
//! the input split at `0xFF` bytes (never part of UTF-8). A part that is
//! not UTF-8 is loaded as unreadable. The workspace is checked and planned:
//! no panic, every range valid, unreadable files reported, and editing the
//! files one by one gives the same diagnostics as loading them fresh.

#![no_main]

use std::collections::BTreeMap;
use std::sync::Arc;

use libfuzzer_sys::fuzz_target;
use planmark::analysis::config::Config;
use planmark::analysis::graph::Graph;
use planmark::analysis::plan::plan;
use planmark::analysis::rules::check_workspace;
use planmark::analysis::workspace::{FileInput, InvalidUtf8, Workspace};

#[path = "../../tests/support/ranges.rs"]
mod ranges;

const PATHS: &[&str] = &[
    "issues/backlog/swe-feature-001.md",
    "issues/done/swe-feature-002.md",
    "issues/in-progress/qa-bug-001.md",
    "issues/planned/swe-feature-3.md",
    "issues/issues-list.md",
    "docs/stories/015-login.md",
    "docs/stories/016-saved-views.md",
    "docs/roadmap.md",
    "docs/project-brief.md",
    "docs/milestones/m3/01-exception-rules.md",
    "docs/milestones/m3/02-exception-emails.md",
    "docs/milestones/m3/00-epic.md",
];

/// The bytes as the loader reads them: UTF-8 as it is, else with U+FFFD
/// for each bad sequence, or refused when they hold a NUL (binary data).
fn input(bytes: &[u8]) -> FileInput {
    match std::str::from_utf8(bytes) {
        Ok(text) => FileInput::Text(Arc::from(text)),
        Err(_) if bytes.contains(&0) => FileInput::Unreadable("is binary data".to_string()),
        Err(e) => FileInput::NotUtf8 {
            text: Arc::from(String::from_utf8_lossy(bytes)),
            bad: InvalidUtf8::BadByte {
                offset: e.valid_up_to() as u32,
                byte: bytes[e.valid_up_to()],
            },
        },
    }
}

fn check(ws: &Workspace) -> Vec<planmark::analysis::rules::Diagnostic> {
    let diagnostics = check_workspace(ws);
    if let Err(e) = ranges::check_workspace_ranges(ws, &diagnostics) {
        panic!("{e}");
    }
    if let Err(e) = ranges::check_unreadable_reported(ws, &diagnostics) {
        panic!("{e}");
    }
    let graph = Graph::build(ws);
    let plan = plan(&graph);
    if let Err(e) = ranges::check_plan(&graph, &plan) {
        panic!("{e}");
    }
    diagnostics
}

fuzz_target!(|data: &[u8]| {
    if data.len() < 3 {
        return;
    }
    let (selectors, rest) = data.split_at(3);
    let parts: Vec<&[u8]> = rest.splitn(3, |&b| b == 0xFF).collect();
    let mut files: BTreeMap<&str, &[u8]> = BTreeMap::new();
    for (selector, part) in selectors.iter().zip(&parts) {
        files.insert(PATHS[*selector as usize % PATHS.len()], part);
    }

    let mut fresh = Workspace::new(Config::default(), Vec::new());
    fresh.load(
        files
            .iter()
            .map(|(rel, bytes)| (rel.to_string(), input(bytes)))
            .collect(),
    );
    let expected = check(&fresh);

    // The same files, arriving one edit at a time, over a first version
    // in which every file holds another file's text.
    let mut edited = Workspace::new(Config::default(), Vec::new());
    let rels: Vec<&str> = files.keys().copied().collect();
    let texts: Vec<&[u8]> = files.values().copied().collect();
    edited.load(
        rels.iter()
            .enumerate()
            .map(|(i, rel)| (rel.to_string(), input(texts[(i + 1) % texts.len()])))
            .collect(),
    );
    check(&edited);
    for (rel, bytes) in &files {
        match input(bytes) {
            FileInput::Text(text) => {
                edited.set_file(rel, text);
            }
            FileInput::NotUtf8 { text, bad } => {
                edited.set_file_not_utf8(rel, text, bad);
            }
            FileInput::Unreadable(reason) => edited.set_unreadable(rel, reason),
        }
    }
    let got = check(&edited);
    assert!(
        got == expected,
        "edited one by one: {got:#?}\nloaded fresh: {expected:#?}"
    );
});
