//! Property tests of the engine on arbitrary and damaged input: parsing any
//! text as any kind of planning file never panics, hands out only ranges
//! that lie inside the text on char boundaries, and gives the same facts
//! twice; a whole workspace of such files checks and plans without a
//! panic; and the line index converts offsets to positions and back in
//! every column unit.
//!
//! Three sources of text: markdown-ish strings built from the fragments the
//! parsers look for (fields, checkboxes, task headings, tables, line breaks
//! of every kind, a BOM, emoji, CJK, combining marks, code and comments,
//! IDs, ranges, dashes, parentheses), fully arbitrary strings, and the
//! planning files of `examples/` with random deletions, insertions and
//! duplications at char boundaries.
//!
//! `PROPTEST_CASES=10000 cargo test --test engine proptest_parse::` runs longer.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use planmark::analysis::config::Config;
use planmark::analysis::graph::Graph;
use planmark::analysis::model::FileKind;
use planmark::analysis::parse::{classify, parse_file};
use planmark::analysis::plan::plan;
use planmark::analysis::rules::check_workspace;
use planmark::analysis::text::{floor_char_boundary, ColumnUnit, LineCol, LineIndex};
use planmark::analysis::workspace::{FileInput, Workspace};
use proptest::prelude::*;
use proptest::sample::{select, Index};

use crate::ranges::{
    self, check_facts, check_plan, check_unreadable_reported, check_workspace_ranges,
};

/// The pieces of planning markdown the parsers react to, and the text that
/// trips up byte arithmetic.
const FRAGMENTS: &[&str] = &[
    "**Dependencies:** ",
    "**Depends on:** ",
    "**Depends:** ",
    "**Status:** ",
    "**Status**: ",
    "**Milestone:** ",
    "**Type:** ",
    "**Expert:** ",
    "**Estimated effort:** ",
    "**Domain:** ",
    "**Next task:** ",
    "- **Depends on:** ",
    "- [ ] ",
    "- [x] ",
    "* [X] ",
    "# ",
    "## ",
    "### ",
    "### 001: ",
    "### Task 1.1: ",
    "## Tasks\n",
    "## Acceptance Criteria\n",
    "## User Story\n",
    "## Dependencies\n",
    "## Current Status\n",
    "## Status\n",
    "As a user, I want ",
    " so that ",
    "| a | b |",
    "|---|---|",
    "| File | Title | Status |\n",
    "| Milestone | Title | Status | Depends On |\n",
    "| M5 | Ingest | Done | M3, M4 |\n",
    "| swe-feature-001.md | T | backlog |\n",
    "|",
    "\n",
    "\n",
    "\n\n",
    "\r\n",
    "\r",
    "\u{feff}",
    "😀",
    "漢字",
    "e\u{301}",
    "```",
    "```\n",
    "~~~",
    "<!--",
    "-->",
    "<!-- planmark-disable -->",
    "<!-- planmark-disable-next-line dangling-dependency -->",
    "<!-- planmark-disable-file -->",
    "<div>",
    "`",
    "swe-feature-0",
    "swe-feature-001",
    "swe-feature-002",
    "qa-bug-1234",
    "through",
    " through ",
    "swe-feature-001 through swe-feature-009",
    "—",
    " — ",
    "–",
    "(",
    ")",
    "none",
    "N/A",
    "M5",
    "m05",
    "Story 015",
    "015/002",
    "Task 9",
    "#301",
    "github_issue: 301\n",
    "[persona]",
    "[Short descriptive title]",
    "[link](x)",
    "> ",
    "* ",
    "1. ",
    "    ",
    "\t",
    "**",
    ":",
    ",",
    "[",
    "]",
    "-",
    "0",
    "9",
    "done",
    "in-progress",
    "Setext\n===\n",
    "\\",
    "&amp;",
    "\u{0}",
    "\u{200b}",
    "İ",
    "ß",
];

/// Text assembled from fragments, ASCII words and arbitrary characters.
fn markdownish() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        8 => select(FRAGMENTS).prop_map(str::to_string),
        2 => "[a-z0-9 ]{0,8}",
        1 => any::<String>(),
    ];
    prop::collection::vec(piece, 0..80).prop_map(|pieces| pieces.concat())
}

/// The planning files of `examples/`, with paths relative to it.
fn examples() -> &'static [(String, String)] {
    static FILES: OnceLock<Vec<(String, String)>> = OnceLock::new();
    FILES.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
        let mut out = Vec::new();
        let mut stack: Vec<PathBuf> = vec![root.clone()];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).expect("examples/ is readable") {
                let path = entry.expect("an entry of examples/").path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "md") {
                    let rel = path
                        .strip_prefix(&root)
                        .unwrap()
                        .to_string_lossy()
                        .replace('\\', "/");
                    let text = std::fs::read_to_string(&path).expect("examples are UTF-8");
                    out.push((rel, text));
                }
            }
        }
        out.sort();
        assert!(out.len() >= 10, "examples/ should hold planning files");
        out
    })
}

/// One edit of a text, at char boundaries.
#[derive(Clone, Debug)]
enum Mutation {
    Delete {
        at: Index,
        len: usize,
    },
    Insert {
        at: Index,
        fragment: String,
    },
    Duplicate {
        at: Index,
        len: usize,
    },
    /// Copies a stretch of the text to somewhere else in it.
    Transplant {
        from: Index,
        len: usize,
        to: Index,
    },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<Index>(), 0usize..200).prop_map(|(at, len)| Mutation::Delete { at, len }),
        (any::<Index>(), markdownish())
            .prop_map(|(at, fragment)| Mutation::Insert { at, fragment }),
        (any::<Index>(), 0usize..200).prop_map(|(at, len)| Mutation::Duplicate { at, len }),
        (any::<Index>(), 0usize..200, any::<Index>())
            .prop_map(|(from, len, to)| Mutation::Transplant { from, len, to }),
    ]
}

/// A char boundary of `text` picked by `at`.
fn boundary(text: &str, at: &Index) -> usize {
    floor_char_boundary(text, at.index(text.len() + 1))
}

/// The char-boundary range of about `len` bytes starting at `at`.
fn stretch(text: &str, at: &Index, len: usize) -> std::ops::Range<usize> {
    let start = boundary(text, at);
    let end = floor_char_boundary(text, start.saturating_add(len));
    start..end
}

fn apply(text: &mut String, mutation: &Mutation) {
    match mutation {
        Mutation::Delete { at, len } => {
            let range = stretch(text, at, *len);
            text.replace_range(range, "");
        }
        Mutation::Insert { at, fragment } => {
            let at = boundary(text, at);
            text.insert_str(at, fragment);
        }
        Mutation::Duplicate { at, len } => {
            let range = stretch(text, at, *len);
            let copy = text[range.clone()].to_string();
            text.insert_str(range.end, &copy);
        }
        Mutation::Transplant { from, len, to } => {
            let copy = text[stretch(text, from, *len)].to_string();
            let to = boundary(text, to);
            text.insert_str(to, &copy);
        }
    }
}

/// An example file, damaged.
fn mutated_example() -> impl Strategy<Value = (String, String)> {
    (any::<Index>(), prop::collection::vec(mutation(), 1..8)).prop_map(|(which, mutations)| {
        let (rel, text) = which.get(examples());
        let mut text = text.clone();
        for m in &mutations {
            apply(&mut text, m);
        }
        (rel.clone(), text)
    })
}

/// Parses `text` as every kind of file (and under `rel`'s own kind), twice
/// each, checking the ranges and that both parses agree.
fn parse_every_way(rel: &str, text: &str) -> Result<(), TestCaseError> {
    let own = classify(rel, &Config::default());
    for kind in ranges::all_kinds().into_iter().chain(own) {
        let path = if Some(kind) == own {
            rel
        } else {
            ranges::path_for(kind)
        };
        let facts = parse_file(path, &Arc::from(text), kind);
        if let Err(e) = check_facts(text, &facts) {
            return Err(TestCaseError::fail(format!("{path} as {kind:?}: {e}")));
        }
        let again = parse_file(path, &Arc::from(text), kind);
        prop_assert_eq!(
            &facts,
            &again,
            "{} as {:?} parsed twice differs",
            path,
            kind
        );
    }
    Ok(())
}

/// Loads `files` (a path to text, or to bytes that are not UTF-8), checks
/// and plans the workspace, and checks every range and the plan.
fn check_whole(files: Vec<(String, FileInput)>) -> Result<(), TestCaseError> {
    let mut ws = Workspace::new(Config::default(), Vec::new());
    ws.load(files);
    let diagnostics = check_workspace(&ws);
    let fail = |e: String| TestCaseError::fail(e);
    check_workspace_ranges(&ws, &diagnostics).map_err(fail)?;
    check_unreadable_reported(&ws, &diagnostics).map_err(fail)?;
    let again = check_workspace(&ws);
    prop_assert_eq!(&diagnostics, &again, "checking twice differs");
    let graph = Graph::build(&ws);
    let plan = plan(&graph);
    check_plan(&graph, &plan).map_err(fail)?;
    Ok(())
}

/// Paths of every kind, several of some, so that generated workspaces have
/// cross-file references, duplicates and an index to compare.
const WORKSPACE_PATHS: &[&str] = &[
    "issues/backlog/swe-feature-001.md",
    "issues/done/swe-feature-002.md",
    "issues/in-progress/qa-bug-001.md",
    "issues/planned/swe-feature-3.md",
    "issues/backlog/README-notes.md",
    "issues/issues-list.md",
    "docs/stories/015-login.md",
    "docs/stories/016-saved-views.md",
    "docs/roadmap.md",
    "docs/project-brief.md",
    "docs/milestones/m3/01-exception-rules.md",
    "docs/milestones/m3/02-exception-emails.md",
    "docs/milestones/m3/00-epic.md",
];

fn config() -> ProptestConfig {
    // Each case parses every kind twice; 256 cases keep a debug run short.
    ProptestConfig {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(256),
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn arbitrary_strings_parse_as_every_kind(text in any::<String>()) {
        parse_every_way("issues/backlog/swe-feature-001.md", &text)?;
    }

    #[test]
    fn markdownish_strings_parse_as_every_kind(text in markdownish()) {
        parse_every_way("issues/backlog/swe-feature-001.md", &text)?;
    }

    #[test]
    fn mutated_examples_parse_as_every_kind((rel, text) in mutated_example()) {
        parse_every_way(&rel, &text)?;
    }

    #[test]
    fn generated_workspaces_check_and_plan(
        files in prop::collection::vec((select(WORKSPACE_PATHS), markdownish()), 1..8),
        unreadable in prop::option::of(select(WORKSPACE_PATHS)),
    ) {
        let mut by_path: BTreeMap<String, FileInput> = files
            .into_iter()
            .map(|(rel, text)| (rel.to_string(), FileInput::Text(Arc::from(text))))
            .collect();
        if let Some(rel) = unreadable {
            by_path.insert(
                rel.to_string(),
                FileInput::Unreadable("is not valid UTF-8 (invalid byte at offset 0)".into()),
            );
        }
        check_whole(by_path.into_iter().collect())?;
    }

    #[test]
    fn editing_files_one_by_one_matches_loading_them_fresh(
        first in prop::collection::vec((select(WORKSPACE_PATHS), markdownish()), 1..6),
        edits in prop::collection::vec(
            (select(WORKSPACE_PATHS), prop::option::weighted(0.8, markdownish())),
            1..8,
        ),
    ) {
        let mut edited = Workspace::new(Config::default(), Vec::new());
        edited.load(
            first
                .iter()
                .map(|(rel, text)| (rel.to_string(), FileInput::Text(Arc::from(text.as_str()))))
                .collect(),
        );
        let mut state: BTreeMap<String, String> = first
            .into_iter()
            .map(|(rel, text)| (rel.to_string(), text))
            .collect();
        for (rel, text) in edits {
            match text {
                Some(text) => {
                    edited.set_file(rel, Arc::from(text.as_str()));
                    state.insert(rel.to_string(), text);
                }
                None => {
                    edited.remove_file(rel);
                    state.remove(rel);
                }
            }
        }
        let mut fresh = Workspace::new(Config::default(), Vec::new());
        fresh.load(
            state
                .into_iter()
                .map(|(rel, text)| (rel, FileInput::Text(Arc::from(text))))
                .collect(),
        );
        prop_assert_eq!(check_workspace(&edited), check_workspace(&fresh));
        let (a, b) = (plan(&Graph::build(&edited)), plan(&Graph::build(&fresh)));
        prop_assert_eq!(a, b);
    }

    #[test]
    fn examples_with_damaged_files_check_and_plan(
        damaged in prop::collection::vec(mutated_example(), 1..4),
    ) {
        let mut by_path: BTreeMap<String, String> = examples().iter().cloned().collect();
        by_path.extend(damaged);
        let files = by_path
            .into_iter()
            .map(|(rel, text)| (rel, FileInput::Text(Arc::from(text))))
            .collect();
        check_whole(files)?;
    }

    #[test]
    fn line_index_matches_a_naive_count(text in markdownish()) {
        let index = LineIndex::new(&text);
        let model = naive_positions(&text);
        let breaks = model.iter().filter(|p| p.starts_line).count();
        prop_assert_eq!(index.line_count(), breaks + 1);
        for p in &model {
            for (unit, col) in [
                (ColumnUnit::Utf8, p.utf8),
                (ColumnUnit::Utf16, p.utf16),
                (ColumnUnit::Char, p.chars),
            ] {
                let got = index.line_col(&text, p.offset, unit);
                prop_assert_eq!(got, LineCol { line: p.line, col }, "{:?} at {} ({:?})", text, p.offset, unit);
                let back = index.offset(&text, got, unit);
                // On a line break a position maps back to where the break
                // starts: the column is clamped to the line's content.
                let expected = if p.in_break { p.break_start } else { p.offset };
                prop_assert_eq!(back, expected, "{:?} at {} ({:?})", text, p.offset, unit);
            }
            prop_assert_eq!(index.line_of(p.offset), p.line as usize);
            let line = index.line_range(p.line as usize);
            prop_assert!(line.start() <= p.offset && (p.offset < line.end() || p.offset == text.len()));
        }
        // The lines tile the text.
        let mut end = 0;
        for line in 0..index.line_count() {
            let range = index.line_range(line);
            prop_assert_eq!(range.start(), end);
            end = range.end();
        }
        prop_assert_eq!(end, text.len());
    }

    #[test]
    fn line_index_offsets_inside_characters_move_back(text in markdownish(), at in any::<Index>()) {
        let index = LineIndex::new(&text);
        let offset = at.index(text.len() + 1);
        let floor = floor_char_boundary(&text, offset);
        for unit in [ColumnUnit::Utf8, ColumnUnit::Utf16, ColumnUnit::Char] {
            prop_assert_eq!(
                index.line_col(&text, offset, unit),
                index.line_col(&text, floor, unit)
            );
        }
        // Past the end clamps to the end.
        prop_assert_eq!(
            index.line_col(&text, text.len() + 7, ColumnUnit::Utf16),
            index.line_col(&text, text.len(), ColumnUnit::Utf16)
        );
    }

    #[test]
    fn line_index_any_position_maps_to_a_boundary_on_its_line(
        text in markdownish(),
        line in 0u32..40,
        col in 0u32..200,
    ) {
        let index = LineIndex::new(&text);
        for unit in [ColumnUnit::Utf8, ColumnUnit::Utf16, ColumnUnit::Char] {
            let offset = index.offset(&text, LineCol { line, col }, unit);
            prop_assert!(offset <= text.len());
            prop_assert!(text.is_char_boundary(offset));
            if (line as usize) < index.line_count() {
                let range = index.line_range(line as usize);
                prop_assert!(range.start() <= offset && offset <= range.end());
                prop_assert_eq!(index.line_of(offset), line as usize);
                // Going there and back never moves further right.
                let pos = index.line_col(&text, offset, unit);
                prop_assert_eq!(pos.line, line);
                prop_assert!(pos.col <= col);
            } else {
                prop_assert_eq!(offset, text.len());
            }
        }
    }
}

/// Where a char boundary sits, counted the slow way.
#[derive(Debug)]
struct Position {
    offset: usize,
    line: u32,
    utf8: u32,
    utf16: u32,
    chars: u32,
    /// The offset is a line-break character (`\r`, `\n`, or the `\n` of
    /// `\r\n`).
    in_break: bool,
    /// Where that line break starts.
    break_start: usize,
    /// A line starts right after this boundary's character (`\n`, a lone
    /// `\r`, or the `\n` of `\r\n`).
    starts_line: bool,
}

fn naive_positions(text: &str) -> Vec<Position> {
    let mut out = Vec::new();
    let (mut line, mut utf8, mut utf16, mut chars) = (0u32, 0u32, 0u32, 0u32);
    let mut break_start = 0;
    let bytes = text.as_bytes();
    for (offset, c) in text.char_indices() {
        let crlf_head = c == '\r' && bytes.get(offset + 1) == Some(&b'\n');
        let crlf_tail = c == '\n' && offset > 0 && bytes[offset - 1] == b'\r';
        let in_break = c == '\n' || c == '\r';
        if in_break && !crlf_tail {
            break_start = offset;
        }
        out.push(Position {
            offset,
            line,
            utf8,
            utf16,
            chars,
            in_break,
            break_start,
            starts_line: in_break && !crlf_head,
        });
        if in_break && !crlf_head {
            line += 1;
            (utf8, utf16, chars) = (0, 0, 0);
        } else {
            utf8 += c.len_utf8() as u32;
            utf16 += c.len_utf16() as u32;
            chars += 1;
        }
    }
    out.push(Position {
        offset: text.len(),
        line,
        utf8,
        utf16,
        chars,
        in_break: false,
        break_start,
        starts_line: false,
    });
    out
}

/// A file of every kind, built from the fragments, is at least sometimes
/// understood: the generator reaches the parsers' interesting paths.
#[test]
fn fragments_reach_the_parsers() {
    let text = "\u{feff}# Title 😀\n**Status:** done\n**Dependencies:** swe-feature-001 through swe-feature-003 (note) — swe-feature-009\n## Acceptance Criteria\n- [x] e\u{301} `swe-feature-004`\n<!-- swe-feature-005 -->\n## Tasks\n### 001: 漢字\r\n**Depends on:** 002\r\n";
    let facts = parse_file(
        "issues/done/swe-feature-010.md",
        &Arc::from(text),
        FileKind::Issue,
    );
    check_facts(text, &facts).unwrap();
    let deps: Vec<_> = facts.items[0]
        .deps
        .iter()
        .filter_map(|d| d.target.as_id())
        .collect();
    assert_eq!(
        deps,
        ["swe-feature-001", "swe-feature-002", "swe-feature-003"]
    );
    assert_eq!(facts.items[0].criteria.len(), 1);
    let story = parse_file("docs/stories/015-x.md", &Arc::from(text), FileKind::Story);
    check_facts(text, &story).unwrap();
    assert_eq!(story.items.len(), 2, "{story:#?}");
}
