//! The engine and the loader on hostile input: huge files, binary and
//! non-UTF-8 bytes, empty files, a 1 MB line, 10,000-deep nesting, 5,000
//! headings; and workspaces on disk with symlink loops, symlinks out of the
//! root, unreadable folders, files deleted while loading, odd file names
//! and references that look like paths. Each is handled in reasonable time
//! and reported where it is a problem; nothing outside the root is read.
//!
//! Every case also checks that each range the engine hands out lies inside
//! its file on char boundaries (`tests/support/ranges.rs`).

use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use planmark::analysis::config::Config;
use planmark::analysis::graph::Graph;
use planmark::analysis::model::{FileKind, ItemKind};
use planmark::analysis::parse::parse_file;
use planmark::analysis::plan::plan;
use planmark::analysis::rules::{check_workspace, Diagnostic};
use planmark::analysis::workspace::{FileInput, Workspace};
use planmark::load::{list_planning_files, load_workspace, read_input, Loaded};

use crate::ranges;
use crate::tree::{permissions_apply, Tree};

/// Runs `f`, failing when it takes longer than `limit`.
fn within<T>(what: &str, limit: Duration, f: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let out = f();
    let took = start.elapsed();
    eprintln!("{what}: {took:.2?}");
    assert!(took <= limit, "{what} took {took:.2?}, more than {limit:?}");
    out
}

/// A generous bound for one file's parse, check and plan in a debug build:
/// the point is to catch quadratic behaviour and hangs, not to benchmark.
/// Quadratic work on a megabyte takes hours, so the bound can leave room
/// for a machine busy with other builds (the slowest case took 25 s there
/// against about 8 s on an idle one).
const LIMIT: Duration = Duration::from_secs(60);

/// Loads `files` into a workspace, checks and plans it, and checks every
/// range and the plan's consistency.
fn check_files(files: Vec<(&str, FileInput)>) -> (Workspace, Vec<Diagnostic>) {
    let mut ws = Workspace::new(Config::default(), Vec::new());
    ws.load(
        files
            .into_iter()
            .map(|(rel, input)| (rel.to_string(), input))
            .collect(),
    );
    let diagnostics = check_workspace(&ws);
    let graph = Graph::build(&ws);
    let plan = plan(&graph);
    ranges::check_workspace_ranges(&ws, &diagnostics).unwrap();
    ranges::check_unreadable_reported(&ws, &diagnostics).unwrap();
    ranges::check_plan(&graph, &plan).unwrap();
    (ws, diagnostics)
}

fn text(s: impl Into<String>) -> FileInput {
    FileInput::Text(Arc::from(s.into()))
}

fn rules_of<'a>(diagnostics: &'a [Diagnostic], rel: &str) -> Vec<&'a str> {
    diagnostics
        .iter()
        .filter(|d| d.rel == rel)
        .map(|d| d.rule.name())
        .collect()
}

/// Parses `text` as every kind within the limit, checking the ranges.
fn parse_every_kind(what: &str, text: &str) {
    for kind in ranges::all_kinds() {
        let path = ranges::path_for(kind);
        let facts = within(&format!("{what} as {kind:?}"), LIMIT, || {
            parse_file(path, &std::sync::Arc::from(text), kind)
        });
        ranges::check_facts(text, &facts).unwrap_or_else(|e| panic!("{what} as {kind:?}: {e}"));
    }
}

// ---------------------------------------------------------------------------
// Huge files

/// An issue file of about `size` bytes that uses everything the parsers
/// read: fields, sections, checklists, dependency fields with notes, ranges
/// and prose, code, comments, tables and multi-byte text.
fn huge_issue(size: usize) -> String {
    let mut out = String::with_capacity(size + 4096);
    out.push_str(
        "# Huge issue 😀\n\n**Type:** feature\n**Expert:** swe\n**Milestone:** M1\n**Status:** backlog\n\n\
         ## User Story\n\nAs a warehouse manager, I want a huge file so that the checker is tested.\n\n\
         ## Acceptance Criteria\n\n",
    );
    let mut n = 0usize;
    while out.len() < size {
        n += 1;
        write!(
            out,
            "- [ ] Criterion {n} names `swe-feature-{n:03}` and 漢字 e\u{301} [persona]\n\
             **Dependencies:** swe-feature-{a:03} (note swe-feature-999) — prose swe-feature-{b:03}, `swe-feature-{n:03}`\n\
             <!-- swe-feature-{n:03} planmark-disable-next-line vague-criterion -->\n\
             | File | Title |\n|---|---|\n| swe-feature-{n:03}.md | Row {n} |\n\n",
            a = n % 997 + 2,
            b = n % 991 + 2,
        )
        .unwrap();
        if n % 50 == 0 {
            write!(out, "### Section {n}\n\n```\nswe-feature-{n:03}\n```\n\n").unwrap();
        }
    }
    out
}

fn check_huge_issue(size: usize, limit: Duration) {
    let file = huge_issue(size);
    let rel = "issues/backlog/swe-feature-001.md";
    let (ws, diagnostics) = within(&format!("{} MB issue file", size >> 20), limit, || {
        check_files(vec![(rel, text(file))])
    });
    let issue = &ws.file(rel).unwrap().facts.items[0];
    assert!(issue.criteria.len() > 1000, "{}", issue.criteria.len());
    assert!(!issue.deps.is_empty());
    let rules = rules_of(&diagnostics, rel);
    assert!(rules.contains(&"oversized-issue"), "{rules:?}");
    assert!(rules.contains(&"dangling-dependency"), "{rules:?}");
}

#[test]
fn a_5_mb_issue_file_parses_and_checks() {
    check_huge_issue(5 << 20, LIMIT);
}

#[test]
#[cfg_attr(debug_assertions, ignore = "50 MB is for release builds")]
fn a_50_mb_issue_file_parses_and_checks_in_release() {
    check_huge_issue(50 << 20, LIMIT);
}

// ---------------------------------------------------------------------------
// Bytes that are not text, and no bytes at all

/// A deterministic stream of pseudo-random bytes.
fn noise(len: usize, seed: u64, ascii: bool) -> Vec<u8> {
    let mut x = seed;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let b = (x >> 24) as u8;
            if ascii {
                b & 0x7f
            } else {
                b
            }
        })
        .collect()
}

#[test]
fn binary_and_non_utf8_files_are_reported_never_dropped() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let write = |rel: &str, bytes: &[u8]| {
        let path = root.join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, bytes).unwrap();
    };
    let binary = "issues/backlog/swe-feature-001.md";
    let latin1 = "docs/stories/015-login.md";
    let truncated = "docs/roadmap.md";
    let ascii_noise = "issues/done/swe-feature-002.md";
    let nul_issue = "issues/planned/swe-feature-003.md";
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    png.extend(noise(64 << 10, 7, false));
    write(binary, &png);
    write(latin1, b"# Story 015: Caf\xe9\n\n**Status:** pending\n");
    // A file cut in the middle of a multi-byte character.
    write(truncated, &"| M1 | 漢字 |".as_bytes()[..8]);
    // Control characters and NULs are valid UTF-8: parsed, not rejected.
    write(ascii_noise, &noise(64 << 10, 11, true));
    write(
        nul_issue,
        b"# Title\0with NUL\n\n**Type:** feature\0\n\x07\x1b[31m\n",
    );

    let loaded = within("loading binary files", LIMIT, || load_workspace(root));
    let ws = &loaded.workspace;
    let diagnostics = check_workspace(ws);
    ranges::check_workspace_ranges(ws, &diagnostics).unwrap();
    assert_eq!(ws.file_count(), 5, "no file is dropped");
    // Binary data is refused, and says why.
    let d = diagnostics
        .iter()
        .find(|d| d.rel == binary)
        .unwrap_or_else(|| panic!("{binary} is not reported: {diagnostics:#?}"));
    assert_eq!(d.rule, "unreadable-file");
    assert!(d.message.contains(binary), "{}", d.message);
    assert!(d.message.contains("binary data"), "{}", d.message);
    // Text with bytes that are not UTF-8 is read, each bad sequence as
    // U+FFFD, and the first bad byte is named.
    for (rel, offset) in [(latin1, 16), (truncated, 7)] {
        assert!(ws.file(rel).is_some(), "{rel} should be parsed");
        assert!(ws.invalid_utf8(rel).is_some(), "{rel}");
        let d = diagnostics
            .iter()
            .find(|d| d.rel == rel && d.rule == "invalid-utf8")
            .unwrap_or_else(|| panic!("{rel} is not reported: {diagnostics:#?}"));
        assert_eq!(d.range.start(), offset, "{rel}: {}", d.message);
        assert!(!rules_of(&diagnostics, rel).contains(&"unreadable-file"));
    }
    assert_eq!(ws.file(latin1).unwrap().facts.items[0].title, "Caf\u{FFFD}");
    for rel in [ascii_noise, nul_issue] {
        assert!(ws.file(rel).is_some(), "{rel} should be parsed");
        assert!(!rules_of(&diagnostics, rel).contains(&"unreadable-file"));
    }
    assert_eq!(
        ws.file(nul_issue).unwrap().facts.items[0].title,
        "Title\0with NUL"
    );
}

#[test]
fn random_bytes_parse_as_every_kind() {
    for seed in 1..=8 {
        let bytes = noise(256 << 10, seed, seed % 2 == 0);
        let text = String::from_utf8_lossy(&bytes);
        parse_every_kind(&format!("noise {seed}"), &text);
    }
}

/// A front matter value ending in a vertical tab, or quoted with spaces
/// inside, is a field without the white space around it; the YAML reader
/// refuses the NULs of the first body, so the line-by-line reader reads it
/// (the fuzzer's find, from a GSD plan).
#[test]
fn front_matter_values_are_fields_without_white_space_around_them() {
    for body in [
        "---\nphase: 01-login\nplan: 01\ntitle: Carrier webho\0\0ks\u{b}\nwave: 1\u{c}\n---\n# Plan\n",
        "---\nid: task-1\ntitle: \" Quoted with spaces \"\nstatus: ' To Do '\nwave: \"\t2\u{b}\"\n---\n# Task\n",
        "---\r\ntitle:\u{b}\u{b}\r\nassignee: \u{a0}someone\u{2003}\r\n---\r\n",
    ] {
        parse_every_kind(&format!("front matter {body:?}"), body);
    }
}

#[test]
fn empty_and_blank_files_of_every_kind_are_checked() {
    for body in ["", "\n", "\r\n\r\n", "   \t", "\u{feff}", "\u{feff}\n"] {
        let mut files: Vec<(&str, FileInput)> = ranges::all_kinds()
            .into_iter()
            .map(|kind| (ranges::path_for(kind), text(body)))
            .collect();
        files.push(("issues/done/swe-feature-002.md", text(body)));
        let (ws, diagnostics) = check_files(files);
        assert_eq!(
            ws.file_count(),
            ranges::all_kinds().len() + 1,
            "{body:?}: every empty file is kept"
        );
        let issue = ranges::path_for(FileKind::Issue);
        let rules = rules_of(&diagnostics, issue);
        assert!(
            rules.contains(&"missing-acceptance-criteria") && rules.contains(&"missing-field"),
            "{body:?}: an empty issue is reported: {rules:?}"
        );
        let story = ranges::path_for(FileKind::Story);
        assert!(
            rules_of(&diagnostics, story).contains(&"missing-acceptance-criteria"),
            "{body:?}: an empty story is reported"
        );
    }
}

// ---------------------------------------------------------------------------
// Pathological shapes

const MB: usize = 1 << 20;

fn repeat_to(unit: &str, size: usize) -> String {
    unit.repeat(size / unit.len() + 1)
}

#[test]
fn a_single_line_of_1_mb() {
    let lines = [
        ("letters", repeat_to("a", MB)),
        ("emoji", repeat_to("😀", MB)),
        ("combining marks", format!("e{}", "\u{301}".repeat(MB / 2))),
        ("brackets", repeat_to("[", MB)),
        ("closed brackets", repeat_to("[persona]", MB)),
        ("backticks", repeat_to("`", MB)),
        ("code spans", repeat_to("`x` ", MB)),
        ("pipes", repeat_to("|", MB)),
        ("stars", repeat_to("**", MB)),
        ("comment openers", repeat_to("<!--", MB)),
        ("dashes", repeat_to(" — ", MB)),
        ("parentheses", repeat_to("(", MB)),
        ("ids", repeat_to("swe-feature-001 ", MB)),
        ("digits", repeat_to("0", MB)),
    ];
    for (what, line) in &lines {
        parse_every_kind(what, line);
        parse_every_kind(&format!("heading of {what}"), &format!("# {line}\n"));
    }
}

#[test]
fn a_1_mb_dependency_field_is_read_and_reported() {
    let rel = "issues/backlog/swe-feature-001.md";
    let head = "# Title\n\n**Type:** feature\n**Expert:** swe\n**Milestone:** M1\n\n## Acceptance Criteria\n\n- [ ] The list shows\n\n**Dependencies:** ";
    // Distinct IDs, none defined: each is a dangling dependency.
    let mut ids = String::new();
    let mut n = 2;
    while ids.len() < MB {
        write!(ids, "swe-feature-{n:06}, ").unwrap();
        n += 1;
    }
    let (ws, diagnostics) = within("1 MB list of dependencies", LIMIT, || {
        check_files(vec![(rel, text(format!("{head}{ids}\n")))])
    });
    let deps = ws.file(rel).unwrap().facts.items[0].deps.len();
    assert_eq!(deps, n - 2);
    let dangling = diagnostics
        .iter()
        .filter(|d| d.rule == "dangling-dependency")
        .count();
    assert_eq!(dangling, deps);
}

#[test]
fn a_1_mb_line_of_id_ranges_stays_bounded() {
    // Each range expands to up to 500 IDs; a line of them must not take the
    // engine down.
    let rel = "issues/backlog/swe-feature-001.md";
    let head = "# Title\n\n## Acceptance Criteria\n\n- [ ] The list shows\n\n**Dependencies:** ";
    let ranges_line = repeat_to("swe-feature-002 through swe-feature-501, ", MB);
    let (ws, diagnostics) = within("1 MB line of ID ranges", LIMIT, || {
        check_files(vec![(rel, text(format!("{head}{ranges_line}\n")))])
    });
    let deps = &ws.file(rel).unwrap().facts.items[0].deps;
    // The first ranges expand; past the file's budget a range names its
    // two ends, so the references stay proportional to the text.
    let ranges = ranges_line.matches("through").count();
    assert_eq!(deps[499].target.as_id(), Some("swe-feature-501"));
    assert!(
        deps.len() <= 5_000 + 2 * ranges,
        "{} references",
        deps.len()
    );
    assert!(diagnostics.iter().any(|d| d.rule == "dangling-dependency"));
}

#[test]
fn ten_thousand_deep_nesting() {
    let depth = 10_000;
    let shapes = [
        (
            "list markers on one line",
            format!("{}x\n", "- ".repeat(depth)),
        ),
        ("checkboxes", format!("{}x\n", "- [ ] ".repeat(depth))),
        ("block quotes", format!("{}x\n", "> ".repeat(depth))),
        ("ordered lists", format!("{}x\n", "1. ".repeat(depth))),
        (
            "links",
            format!("{}x{}", "[".repeat(depth), "](y)".repeat(depth)),
        ),
        (
            "emphasis",
            format!("{}x{}", "*".repeat(depth), "*".repeat(depth)),
        ),
        (
            "parentheses in a field",
            format!(
                "**Dependencies:** {}swe-feature-002{}\n",
                "(".repeat(depth),
                ")".repeat(depth)
            ),
        ),
        (
            "html",
            format!("{}x{}", "<div>".repeat(depth), "</div>".repeat(depth)),
        ),
    ];
    for (what, text) in &shapes {
        parse_every_kind(what, text);
    }
    // Lines indented one more step each: 1,000 levels (the text grows with
    // the square of the depth).
    let mut indented = String::new();
    for level in 0..1_000 {
        writeln!(
            indented,
            "{}- [ ] level {level} swe-feature-002",
            "  ".repeat(level)
        )
        .unwrap();
    }
    parse_every_kind("indented list", &indented);
    let rel = "issues/backlog/swe-feature-001.md";
    let body = format!("# Deep\n\n## Acceptance Criteria\n\n{}", shapes[1].1);
    let (_, diagnostics) = within("checking a 10,000-deep checklist", LIMIT, || {
        check_files(vec![(rel, text(body))])
    });
    assert!(rules_of(&diagnostics, rel).contains(&"missing-field"));
}

#[test]
fn five_thousand_headings() {
    let n = 5_000;
    // An issue with 5,000 sections.
    let mut issue = String::from("# Issue\n\n");
    for i in 0..n {
        writeln!(issue, "## Acceptance Criteria {i}\n\n- [ ] Item {i}\n").unwrap();
    }
    // A story with 5,000 tasks, each depending on the one before.
    let mut story =
        String::from("# Story 015: Big\n\n## Acceptance Criteria\n\n- [ ] Shows\n\n## Tasks\n\n");
    for i in 1..=n {
        writeln!(
            story,
            "### {i:03}: Task {i}\n**Domain:** backend\n**Status:** pending\n**Depends on:** {}\n\nText.\n\n---\n",
            if i == 1 { "none".to_string() } else { format!("{:03}", i - 1) }
        )
        .unwrap();
    }
    // A roadmap with 5,000 milestone headings, and headings of every level.
    let mut roadmap = String::new();
    for i in 1..=n {
        writeln!(
            roadmap,
            "{} M{i} - Milestone {i}\n\n**Status:** planned\n",
            "#".repeat(i % 6 + 1)
        )
        .unwrap();
    }
    let story_rel = ranges::path_for(FileKind::Story);
    let issue_rel = ranges::path_for(FileKind::Issue);
    let roadmap_rel = ranges::path_for(FileKind::Roadmap);
    let (ws, diagnostics) = within("5,000 headings in three files", LIMIT, || {
        check_files(vec![
            (issue_rel, text(issue)),
            (story_rel, text(story)),
            (roadmap_rel, text(roadmap)),
        ])
    });
    let tasks = ws
        .file(story_rel)
        .unwrap()
        .facts
        .items
        .iter()
        .filter(|i| i.kind == ItemKind::Task)
        .count();
    assert_eq!(tasks, n);
    assert!(rules_of(&diagnostics, story_rel).contains(&"oversized-story"));
    let milestones = ws.file(roadmap_rel).unwrap().facts.items.len();
    assert_eq!(milestones, n);
    // The chain of tasks makes 5,000 waves, and the story that waits for
    // them one more.
    let plan = plan(&Graph::build(&ws));
    assert_eq!(plan.waves.len(), n + 1);
}

#[test]
fn a_dependency_cycle_of_thousands_of_issues() {
    let n = if cfg!(debug_assertions) {
        2_000
    } else {
        10_000
    };
    let files: Vec<(String, String)> = (1..=n)
        .map(|i| {
            let next = i % n + 1;
            (
                format!("issues/backlog/swe-feature-{i:04}.md"),
                format!("# Issue {i}\n\n**Dependencies:** swe-feature-{next:04}\n\n## Acceptance Criteria\n\n- [ ] Shows\n"),
            )
        })
        .collect();
    let (ws, diagnostics) = within(&format!("a {n}-issue cycle"), LIMIT, || {
        check_files(
            files
                .iter()
                .map(|(rel, body)| (rel.as_str(), text(body.clone())))
                .collect(),
        )
    });
    // Each member is reported, naming the cycle by its first members: the
    // output grows with the cycle, not with its square.
    let cycles: Vec<_> = diagnostics
        .iter()
        .filter(|d| d.rule == "dependency-cycle")
        .collect();
    assert_eq!(cycles.len(), n);
    let more = format!("... {} more", n - 20);
    for d in &cycles {
        assert!(d.message.len() < 1_000, "{}", d.message);
        assert!(d.message.contains(&more), "{}", d.message);
        assert!(d.related.len() <= 20);
    }
    let plan = within("planning the cycle", LIMIT, || plan(&Graph::build(&ws)));
    assert_eq!(plan.cycles.len(), 1);
    assert_eq!(plan.cycles[0].len(), n);
    assert_eq!(plan.blocked.len(), n);
    assert!(plan.blocked.iter().all(|b| b.reason.len() < 1_000));
    assert!(plan.waves.is_empty());
}

// ---------------------------------------------------------------------------
// Workspaces on disk

/// What the engine's tests do with a [`Tree`].
impl Tree {
    fn write(&self, rel: &str, body: &str) -> std::path::PathBuf {
        let path = self.root.join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, body).unwrap();
        path
    }

    fn load(&self) -> (Loaded, Vec<Diagnostic>) {
        let loaded = within("loading the tree", LIMIT, || load_workspace(&self.root));
        let diagnostics = check_workspace(&loaded.workspace);
        ranges::check_workspace_ranges(&loaded.workspace, &diagnostics).unwrap();
        ranges::check_unreadable_reported(&loaded.workspace, &diagnostics).unwrap();
        (loaded, diagnostics)
    }
}

const ISSUE: &str = "# Title\n\n**Type:** feature\n**Expert:** swe\n**Milestone:** M1\n\n## Acceptance Criteria\n\n- [ ] The list shows\n";

/// Nothing the workspace holds or reports contains `sentinel`.
fn assert_not_read(loaded: &Loaded, diagnostics: &[Diagnostic], sentinel: &str) {
    for file in loaded.workspace.files() {
        assert!(
            !file.text.contains(sentinel),
            "`{}` holds text from outside the root",
            file.rel
        );
        assert!(!file.rel.contains(".."), "{}", file.rel);
    }
    for d in diagnostics {
        assert!(!d.message.contains(sentinel), "{}", d.message);
    }
}

#[cfg(unix)]
#[test]
fn symlink_loops_are_reported_and_not_followed() {
    use std::os::unix::fs::symlink;
    let tree = Tree::new();
    tree.write("issues/backlog/swe-feature-001.md", ISSUE);
    symlink(&tree.root, tree.root.join("issues/backlog/loop")).unwrap();
    symlink("..", tree.root.join("issues/up")).unwrap();
    // Two links pointing at each other.
    symlink(tree.root.join("b"), tree.root.join("a")).unwrap();
    symlink(tree.root.join("a"), tree.root.join("b")).unwrap();
    let (loaded, _) = tree.load();
    assert!(
        loaded
            .walk_problems
            .iter()
            .any(|p| p.message.contains("loop")),
        "{:?}",
        loaded.walk_problems
    );
    let rels: Vec<_> = loaded
        .workspace
        .files()
        .into_iter()
        .map(|f| f.rel.to_string())
        .collect();
    assert_eq!(rels, ["issues/backlog/swe-feature-001.md"]);
}

/// The planning files a full walk lists, which must meet no problem.
fn listed_without_problems(tree: &Tree) -> Vec<String> {
    let (files, problems) = list_planning_files(&tree.root, &Config::default());
    assert!(problems.is_empty(), "{problems:?}");
    files.into_iter().map(|(rel, _)| rel).collect()
}

/// A dialect's planning folder that `.gitignore` leaves out as a whole (GSD
/// keeps `.planning/` out of git on purpose) is read all the same, with the
/// ignore files inside it; a root `.ignore` still keeps one out, and other
/// ignored folders stay unread.
#[test]
fn planning_folders_left_out_by_gitignore_are_read() {
    const PLAN: &str = "---\nphase: 01-setup\nplan: 01\nwave: 1\n---\n# Plan 01-01: Setup\n";
    const SPEC: &str = "# Login\n\n### Requirement: Sign in\nThe system SHALL sign users in.\n\n#### Scenario: ok\n- WHEN a user signs in\n- THEN they are in\n";
    let tree = Tree::new();
    tree.write(".gitignore", ".planning/\nopenspec\nissues/\n");
    tree.write(".planning/ROADMAP.md", "# Roadmap\n\n### Phase 1: Setup\n");
    tree.write(".planning/phases/01-setup/01-01-PLAN.md", PLAN);
    tree.write(".planning/.gitignore", "scratch/\n");
    tree.write(".planning/scratch/01-02-PLAN.md", PLAN);
    tree.write("openspec/specs/login/spec.md", SPEC);
    tree.write("issues/backlog/swe-feature-001.md", ISSUE);
    assert_eq!(
        listed_without_problems(&tree),
        [
            ".planning/ROADMAP.md",
            ".planning/phases/01-setup/01-01-PLAN.md",
            "openspec/specs/login/spec.md",
        ]
    );
    // One file of an ignored planning folder, as the language server asks
    // for it when the file changes.
    let (one, _) = planmark::load::list_planning_files_within(
        &tree.root,
        &Config::default(),
        &[tree.root.join("openspec/specs/login/spec.md")],
        &[],
    );
    let one: Vec<&str> = one.iter().map(|(rel, _)| rel.as_str()).collect();
    assert_eq!(one, ["openspec/specs/login/spec.md"]);
    tree.write(".ignore", "openspec/\n");
    assert_eq!(
        listed_without_problems(&tree),
        [
            ".planning/ROADMAP.md",
            ".planning/phases/01-setup/01-01-PLAN.md"
        ]
    );
}

/// Git tracks a committed file whatever its ignore rules say, so a rule
/// for files (`*.md` with `!README.md`) does not hide a planning folder's
/// files either; a root `.ignore` still leaves out what it names inside.
#[test]
fn ignore_rules_for_files_do_not_hide_planning_files() {
    const REQUIREMENTS: &str = "# Requirements\n\n### Requirement 1\n\n**User Story:** As a user, I want to sign in, so that I see my data.\n\n#### Acceptance Criteria\n\n1. WHEN a user signs in THEN the system SHALL show the data\n";
    let tree = Tree::new();
    tree.write(".gitignore", "*.md\n!README.md\n");
    tree.write(".kiro/specs/login/requirements.md", REQUIREMENTS);
    tree.write(".planning/ROADMAP.md", "# Roadmap\n\n### Phase 1: Setup\n");
    tree.write(".planning/drafts/ROADMAP.md", "# Roadmap\n");
    tree.write("issues/backlog/swe-feature-001.md", ISSUE);
    assert_eq!(
        listed_without_problems(&tree),
        [
            ".kiro/specs/login/requirements.md",
            ".planning/ROADMAP.md",
            ".planning/drafts/ROADMAP.md",
        ],
        "issues/ is outside the planning folders: the rule for files applies there"
    );
    tree.write(".ignore", ".planning/drafts/\n");
    assert_eq!(
        listed_without_problems(&tree),
        [".kiro/specs/login/requirements.md", ".planning/ROADMAP.md"]
    );
}

/// A symlink that leads nowhere is a warning where a planning file would
/// be, and nothing elsewhere: a dangling link among a repository's prompts
/// or sources is not a planning problem.
#[cfg(unix)]
#[test]
fn dangling_symlinks_are_reported_only_where_planning_files_are_read() {
    use std::os::unix::fs::symlink;
    let tree = Tree::new();
    tree.write("issues/backlog/swe-feature-001.md", ISSUE);
    tree.write("docs/notes.md", "# Notes\n");
    symlink(
        "../../gone.md",
        tree.root.join("issues/backlog/swe-feature-002.md"),
    )
    .unwrap();
    symlink("../gone.md", tree.root.join("docs/readme.md")).unwrap();
    symlink("../gone.prompt.md", tree.root.join("docs/review.prompt.md")).unwrap();
    symlink("nowhere.py", tree.root.join("tool.py")).unwrap();
    let (loaded, _) = tree.load();
    let problems: Vec<(&str, &str)> = loaded
        .walk_problems
        .iter()
        .map(|p| (p.path.as_str(), p.message.as_str()))
        .collect();
    assert_eq!(
        problems,
        [(
            "issues/backlog/swe-feature-002.md",
            "is a symlink to `../../gone.md`, which does not exist; not followed"
        )]
    );
}

#[cfg(unix)]
#[test]
fn symlinks_out_of_the_root_are_not_followed() {
    use std::os::unix::fs::symlink;
    let tree = Tree::new();
    let sentinel = "SENTINEL-OUTSIDE-7f3a";
    let secret = tree.outside.join("swe-feature-009.md");
    fs::write(&secret, format!("# {sentinel}\n")).unwrap();
    fs::create_dir_all(tree.outside.join("stories")).unwrap();
    fs::write(
        tree.outside.join("stories/015-outside.md"),
        format!("# Story 015: {sentinel}\n"),
    )
    .unwrap();
    fs::create_dir_all(tree.outside.join("done")).unwrap();
    fs::write(
        tree.outside.join("done/swe-feature-010.md"),
        format!("# {sentinel}\n"),
    )
    .unwrap();
    tree.write("issues/backlog/swe-feature-001.md", ISSUE);
    // A file symlink and two folder symlinks that lead out.
    symlink(&secret, tree.root.join("issues/backlog/swe-feature-009.md")).unwrap();
    fs::create_dir_all(tree.root.join("docs")).unwrap();
    symlink(tree.outside.join("stories"), tree.root.join("docs/stories")).unwrap();
    symlink(tree.outside.join("done"), tree.root.join("issues/done")).unwrap();
    // A link to the file system's root would otherwise walk the machine.
    symlink("/", tree.root.join("docs/everything")).unwrap();
    // A symlink that stays inside is followed.
    symlink(
        "swe-feature-001.md",
        tree.root.join("issues/backlog/swe-feature-002.md"),
    )
    .unwrap();

    let (loaded, diagnostics) = tree.load();
    assert_not_read(&loaded, &diagnostics, sentinel);
    let problems: Vec<_> = loaded
        .walk_problems
        .iter()
        .map(|p| p.path.as_str())
        .collect();
    for rel in [
        "issues/backlog/swe-feature-009.md",
        "docs/stories",
        "issues/done",
        "docs/everything",
    ] {
        assert!(
            problems.iter().any(|p| p.starts_with(rel)),
            "{rel} is not reported: {:?}",
            loaded.walk_problems
        );
    }
    assert!(loaded
        .workspace
        .file("issues/backlog/swe-feature-002.md")
        .is_some());
}

#[cfg(unix)]
#[test]
fn unreadable_folders_and_files_are_reported() {
    use std::os::unix::fs::PermissionsExt;
    let tree = Tree::new();
    tree.write("issues/backlog/swe-feature-001.md", ISSUE);
    tree.write("issues/planned/swe-feature-002.md", ISSUE);
    let locked_file = tree.write("issues/done/swe-feature-003.md", ISSUE);
    let locked_dir = tree.root.join("issues/planned");
    let lock = |path: &Path, mode: u32| {
        fs::set_permissions(path, fs::Permissions::from_mode(mode)).unwrap()
    };
    lock(&locked_file, 0o000);
    lock(&locked_dir, 0o000);
    let applies = permissions_apply(&locked_dir) && permissions_apply(&locked_file);
    let (loaded, diagnostics) = tree.load();
    lock(&locked_dir, 0o755);
    lock(&locked_file, 0o644);
    assert!(loaded
        .workspace
        .file("issues/backlog/swe-feature-001.md")
        .is_some());
    if !applies {
        return;
    }
    assert!(
        loaded
            .walk_problems
            .iter()
            .any(|p| p.path == "issues/planned" && p.message.contains("cannot be read")),
        "{:?}",
        loaded.walk_problems
    );
    let d = diagnostics
        .iter()
        .find(|d| d.rel == "issues/done/swe-feature-003.md")
        .expect("the locked file is reported");
    assert_eq!(d.rule, "unreadable-file");
    assert!(d.message.contains("permission denied"), "{}", d.message);
}

#[test]
fn a_file_deleted_between_listing_and_reading_is_reported() {
    let tree = Tree::new();
    tree.write("issues/backlog/swe-feature-001.md", ISSUE);
    let gone = tree.write("issues/backlog/swe-feature-002.md", ISSUE);
    let (files, problems) = list_planning_files(&tree.root, &Config::default());
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(files.len(), 2);
    fs::remove_file(&gone).unwrap();
    let inputs: Vec<(String, FileInput)> = files
        .into_iter()
        .map(|(rel, path)| (rel, read_input(&path)))
        .collect();
    match &inputs[1] {
        (rel, FileInput::Unreadable(reason)) => {
            assert_eq!(rel, "issues/backlog/swe-feature-002.md");
            assert!(reason.contains("deleted"), "{reason}");
        }
        (rel, FileInput::Text(_) | FileInput::NotUtf8 { .. }) => {
            panic!("{rel} was read after being deleted")
        }
    }
    let mut ws = Workspace::new(Config::default(), Vec::new());
    ws.load(inputs);
    let diagnostics = check_workspace(&ws);
    let d = diagnostics
        .iter()
        .find(|d| d.rule == "unreadable-file")
        .expect("the deleted file is reported");
    assert_eq!(d.rel, "issues/backlog/swe-feature-002.md");
    assert!(d.message.contains("issues/backlog/swe-feature-002.md"));
    assert!(d.message.contains("deleted"), "{}", d.message);
}

#[test]
fn names_with_spaces_and_non_ascii_characters_load() {
    let tree = Tree::new();
    tree.write("issues/backlog/swe-feature-001.md", ISSUE);
    tree.write("issues/backlog/swe-feature-001 copy.md", ISSUE);
    tree.write(
        "docs/stories/015-café ☕.md",
        "# Story 015: Café ☕\n\n**Status:** pending\n\n## Acceptance Criteria\n\n- [ ] The barista sees the order\n",
    );
    tree.write("issues/backlog/swe-feature-005 — ünïcödé.md", ISSUE);
    let (loaded, diagnostics) = tree.load();
    assert!(
        loaded.walk_problems.is_empty(),
        "{:?}",
        loaded.walk_problems
    );
    let ws = &loaded.workspace;
    let copy = "issues/backlog/swe-feature-001 copy.md";
    assert!(ws.file(copy).is_some());
    let d = diagnostics
        .iter()
        .find(|d| d.rel == copy && d.rule == "filename-mismatch")
        .expect("the copy's name is reported");
    assert!(
        d.message.contains("swe-feature-001 copy.md"),
        "{}",
        d.message
    );
    let story = ws
        .file("docs/stories/015-café ☕.md")
        .expect("the story is parsed");
    assert_eq!(story.facts.items[0].id, "story-015");
    assert_eq!(story.facts.items[0].title, "Café ☕");
    assert!(ws
        .file("issues/backlog/swe-feature-005 — ünïcödé.md")
        .is_some());
    assert!(ws.unreadable().is_empty(), "{:?}", ws.unreadable());
}

#[test]
fn references_that_look_like_paths_are_ids_and_never_opened() {
    let tree = Tree::new();
    let sentinel = "SENTINEL-PATH-REF-51c2";
    fs::write(
        tree.outside.join("swe-feature-099.md"),
        format!("# {sentinel}\n"),
    )
    .unwrap();
    fs::write(tree.outside.join("passwd"), format!("root:{sentinel}\n")).unwrap();
    tree.write(
        "issues/backlog/swe-feature-001.md",
        &format!(
            "{ISSUE}\n**Dependencies:** ../../etc/passwd, ../outside/swe-feature-099.md, {}/passwd, file:///etc/shadow\n",
            tree.outside.display()
        ),
    );
    let (loaded, diagnostics) = tree.load();
    assert_not_read(&loaded, &diagnostics, sentinel);
    let item = &loaded
        .workspace
        .file("issues/backlog/swe-feature-001.md")
        .unwrap()
        .facts
        .items[0];
    let deps: Vec<_> = item.deps.iter().filter_map(|d| d.target.as_id()).collect();
    assert_eq!(deps, ["swe-feature-099"], "only the ID-shaped part counts");
    let dangling: Vec<_> = diagnostics
        .iter()
        .filter(|d| d.rule == "dangling-dependency")
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(dangling.len(), 1, "{dangling:?}");
    assert!(dangling[0].contains("swe-feature-099"), "{dangling:?}");
    assert_eq!(loaded.workspace.file_count(), 1);
}

#[test]
fn thousands_of_duplicate_ids() {
    let n = if cfg!(debug_assertions) {
        2_000
    } else {
        10_000
    };
    // One story whose tasks all have the same number, and issues of every
    // expert sharing one number.
    let mut story =
        String::from("# Story 015: Dup\n\n## Acceptance Criteria\n\n- [ ] Shows\n\n## Tasks\n\n");
    for _ in 0..n {
        story.push_str(
            "### 001: Same\n**Domain:** backend\n**Status:** pending\n**Depends on:** none\n\n",
        );
    }
    let issues: Vec<(String, String)> = (0..n)
        .map(|i| {
            (
                format!("issues/backlog/e{i}-feature-001.md"),
                ISSUE.to_string(),
            )
        })
        .collect();
    let mut files = vec![(ranges::path_for(FileKind::Story), text(story))];
    files.extend(
        issues
            .iter()
            .map(|(rel, body)| (rel.as_str(), text(body.clone()))),
    );
    let (_, diagnostics) = within(&format!("{n} duplicate IDs"), LIMIT, || check_files(files));
    // Each copy is reported, listing a bounded number of the others.
    let duplicates: Vec<_> = diagnostics
        .iter()
        .filter(|d| d.rule == "duplicate-id")
        .collect();
    assert_eq!(duplicates.len(), 2 * n);
    for d in duplicates {
        assert!(d.related.len() <= 20, "{} related", d.related.len());
        assert!(d.message.len() < 1_000, "{}", d.message);
    }
    let shared = diagnostics
        .iter()
        .find(|d| d.rel == "issues/backlog/e0-feature-001.md")
        .unwrap();
    assert!(
        shared.message.contains(&format!("{} more", n - 21)),
        "{}",
        shared.message
    );
}

#[test]
fn many_suppression_comments_and_findings() {
    // Every other line a suppression comment, every line a finding.
    let rel = "issues/backlog/swe-feature-001.md";
    let mut body = String::from("# Many\n\n**Type:** feature\n**Expert:** swe\n**Milestone:** M1\n\n## Acceptance Criteria\n\n");
    let mut n = 0;
    while body.len() < 2 * MB {
        n += 1;
        body.push_str("<!-- planmark-disable-next-line vague-criterion -->\n- [ ] It works correctly\n- [ ] It is handled correctly\n");
    }
    let (_, diagnostics) = within("2 MB of suppressions and findings", LIMIT, || {
        check_files(vec![(rel, text(body))])
    });
    let vague = diagnostics
        .iter()
        .filter(|d| d.rule == "vague-criterion")
        .count();
    assert_eq!(vague, n, "one of each pair is suppressed");
}

#[test]
fn a_huge_id_among_thousands_of_items() {
    // IDs whose number runs on for 256 KB name nothing: reporting them must
    // not compare 256 KB with every known ID.
    let n = 2_000;
    // A quarter of a megabyte keeps the debug run short (the regex alone
    // is slow there); before the fix any size past a few KB hung.
    let digits = "7".repeat(MB / 4);
    let issue = format!(
        "{ISSUE}\n**Dependencies:** swe-feature-{digits}, story-015/{digits}, Task {digits}, M{digits}\n"
    );
    // A task whose number is a megabyte long, and dependencies on a
    // slightly different one: two huge IDs are not compared either.
    let other = format!("{digits}8");
    let story = format!(
        "# Story 015: Long\n\n## Acceptance Criteria\n\n- [ ] Shows\n\n## Tasks\n\n### 001: Long\n**Domain:** backend\n**Status:** pending\n**Depends on:** {digits}, Task {other}, 015/{other}\n\n### {digits}: Huge\n**Domain:** backend\n**Status:** pending\n**Depends on:** {other}\n"
    );
    let others: Vec<(String, String)> = (2..n)
        .map(|i| {
            (
                format!("issues/backlog/swe-feature-{i:04}.md"),
                ISSUE.to_string(),
            )
        })
        .collect();
    let mut files = vec![
        ("issues/backlog/swe-feature-0001.md", text(issue)),
        (ranges::path_for(FileKind::Story), text(story)),
    ];
    files.extend(
        others
            .iter()
            .map(|(rel, body)| (rel.as_str(), text(body.clone()))),
    );
    let (_, diagnostics) = within("256 KB IDs among 2,000 items", LIMIT, || check_files(files));
    let dangling = diagnostics
        .iter()
        .filter(|d| d.rule == "dangling-dependency")
        .count();
    assert!(dangling >= 4, "{dangling}");
}

/// Facts a parser adds for a marker (Kiro's optional `*`, a BMAD task's
/// `(optional)`) hold what the text writes at their range: the fuzzer found
/// one that said `yes` over a `*`.
#[test]
fn optional_markers_are_the_text_they_point_at() {
    parse_every_kind(
        "a Kiro optional sub-task",
        "## 1. Estimate\n\n- [x] 1.1 Compute the window\n- [ ]* 1.2 Store the window\n",
    );
    parse_every_kind(
        "a BMAD optional task",
        "## Tasks / Subtasks\n\n- [ ] Task 7 (Optional): polish (AC: 1)\n",
    );
}
