//! The Helix snippets (`editors/helix/*.toml`): they parse, use only the
//! keys Helix 25.07 accepts, keep its markdown servers beside planmark, and the planning-only
//! variant's globs, matched the way Helix matches them, select exactly the
//! files planmark reads (compared with planmark's own `classify` on every
//! file of `examples/` and on paths that must not match). The planning-only
//! language ships query files inheriting every query Helix has for
//! markdown, since Helix looks queries up by language name.

use std::path::Path;

use globset::{Glob, GlobSet, GlobSetBuilder};
use planmark::analysis::config::Config;
use planmark::analysis::parse::classify;
use toml::{Table, Value};

/// Keys of `[language-server.<name>]` (helix-core `LanguageServerConfiguration`).
const SERVER_KEYS: &[&str] = &[
    "command",
    "args",
    "environment",
    "config",
    "timeout",
    "required-root-patterns",
];

/// Keys of a `[[language]]` entry (helix-core `LanguageConfiguration` in
/// Helix 25.07, which denies unknown fields; `word-completion` and
/// `rainbow-brackets` came later, so 25.07 would refuse them).
const LANGUAGE_KEYS: &[&str] = &[
    "name",
    "language-id",
    "scope",
    "file-types",
    "shebangs",
    "roots",
    "comment-token",
    "comment-tokens",
    "block-comment-tokens",
    "text-width",
    "soft-wrap",
    "auto-format",
    "formatter",
    "path-completion",
    "diagnostic-severity",
    "grammar",
    "injection-regex",
    "language-servers",
    "indent",
    "debugger",
    "auto-pairs",
    "rulers",
    "workspace-lsp-roots",
    "persistent-diagnostic-sources",
];

/// The `language-servers` of Helix 25.07's built-in markdown language: a
/// user's list replaces it, so the snippets keep them.
const HELIX_MARKDOWN_SERVERS: &[&str] = &["marksman", "markdown-oxide"];

fn snippet(name: &str) -> Table {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("editors/helix")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap();
    text.parse::<Table>()
        .unwrap_or_else(|e| panic!("{name} is not valid TOML: {e}"))
}

fn check_server(doc: &Table) {
    let servers = doc["language-server"]
        .as_table()
        .expect("[language-server]");
    let planmark = servers["planmark"]
        .as_table()
        .expect("[language-server.planmark]");
    for key in planmark.keys() {
        assert!(
            SERVER_KEYS.contains(&key.as_str()),
            "Helix does not read language-server key `{key}`"
        );
    }
    assert_eq!(planmark["command"].as_str(), Some("planmark"));
    assert_eq!(
        planmark["args"].as_array().unwrap(),
        &vec![Value::from("lsp")]
    );
    // Helix sends `config` as initializationOptions and answers
    // workspace/configuration for section `planmark` from it.
    let scope = &planmark["config"]["planmark"]["diagnostics"]["scope"];
    assert!(
        matches!(scope.as_str(), Some("workspace" | "open")),
        "{scope}"
    );
}

fn languages(doc: &Table) -> Vec<&Table> {
    let list = doc["language"].as_array().expect("[[language]]");
    let list: Vec<&Table> = list.iter().map(|l| l.as_table().unwrap()).collect();
    for language in &list {
        for key in language.keys() {
            assert!(
                LANGUAGE_KEYS.contains(&key.as_str()),
                "Helix rejects language key `{key}`"
            );
        }
        let servers: Vec<&str> = language["language-servers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap())
            .collect();
        for server in HELIX_MARKDOWN_SERVERS.iter().chain(&["planmark"]) {
            assert!(
                servers.contains(server),
                "{servers:?} must keep Helix's markdown servers beside planmark: {server} is missing"
            );
        }
    }
    list
}

#[test]
fn the_default_snippet_adds_planmark_beside_marksman_for_markdown() {
    let doc = snippet("languages.toml");
    check_server(&doc);
    let list = languages(&doc);
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["name"].as_str(), Some("markdown"));
}

/// The globs of `file-types`, compiled the way Helix compiles them.
fn helix_globs(language: &Table) -> GlobSet {
    let mut builder = GlobSetBuilder::new();
    for file_type in language["file-types"].as_array().unwrap() {
        let table = file_type
            .as_table()
            .expect("only globs: no extension would limit it");
        assert_eq!(table.len(), 1);
        let mut glob = table["glob"].as_str().unwrap().to_string();
        if let Some(rest) = glob.strip_prefix('.') {
            glob = format!("{{.,dot-}}{rest}");
        }
        if !glob.starts_with('/') && !glob.starts_with("*/") {
            glob.insert_str(0, "*/");
        }
        builder.add(Glob::new(&glob).unwrap());
    }
    builder.build().unwrap()
}

fn files_under(dir: &Path, out: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files_under(&path, out);
        } else {
            out.push(path.to_string_lossy().replace('\\', "/"));
        }
    }
}

#[test]
fn the_planning_only_snippet_matches_exactly_the_planning_files() {
    let doc = snippet("languages-planning-only.toml");
    check_server(&doc);
    let list = languages(&doc);
    assert_eq!(list.len(), 1);
    let language = list[0];
    assert_ne!(language["name"].as_str(), Some("markdown"));
    for key in ["scope", "grammar", "language-id"] {
        assert!(
            language.contains_key(key),
            "`{key}` is needed for markdown highlighting and LSP"
        );
    }
    let globs = helix_globs(language);
    let config = Config::default();

    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    files_under(&root.join("examples"), &mut files);
    let mut planning = 0;
    for file in &files {
        let rel = file.strip_prefix(&format!("{}/", root.display())).unwrap();
        let rel_in_workspace = rel.strip_prefix("examples/").unwrap();
        // The snippet is for markdown: Backlog.md's `config.yml` and BMAD's
        // `sprint-status.yaml` are not attached in Helix (VS Code and
        // Neovim attach them).
        if rel_in_workspace.ends_with(".yml") || rel_in_workspace.ends_with(".yaml") {
            assert!(!globs.is_match(file), "{file} is YAML");
            continue;
        }
        let expected = classify(rel_in_workspace, &config).is_some();
        planning += usize::from(expected);
        assert_eq!(
            globs.is_match(file),
            expected,
            "{file}: planmark says {expected}"
        );
    }
    assert!(planning > 20, "only {planning} planning files in examples/");

    for path in [
        "/home/me/proj/issues/backlog/swe-feature-001.md",
        "/home/me/proj/.sdlc/issues/in-progress/qa-feature-002.md",
        "/home/me/proj/issues/issues-list.md",
        "/home/me/proj/docs/stories/015-login.md",
        "/home/me/proj/docs/stories/README.md",
        "/home/me/proj/docs/roadmap.md",
        "/home/me/proj/docs/project-brief.md",
        "/home/me/proj/docs/03-build-notes/milestones/m3/01-exception-rules.md",
        "/home/me/proj/.kiro/specs/login/requirements.md",
        "/home/me/proj/.kiro/specs/login/tasks.md",
        "/home/me/proj/openspec/changes/add-sso/specs/auth/spec.md",
        "/home/me/proj/backlog/drafts/draft-2 - Idea.md",
        "/home/me/proj/backlog/docs/guides/doc-1 - Setup.md",
        "/home/me/proj/specs/002-search/plan.md",
        "/home/me/proj/docs/stories/2.1a.remediation.story.md",
        "/home/me/proj/docs/prd/epic-2-search.md",
        "/home/me/proj/_bmad-output/sprint-artifacts/2-3-search.md",
        "/home/me/proj/.planning/ROADMAP.md",
        "/home/me/proj/.planning/phases/03-storage/03-02-PLAN.md",
    ] {
        assert!(globs.is_match(path), "{path} should get planmark");
        assert!(
            classify(path.trim_start_matches('/'), &config).is_some(),
            "{path}"
        );
    }
    for path in [
        "/home/me/proj/README.md",
        "/home/me/proj/examples/README.md",
        "/home/me/proj/issues/README.md",
        "/home/me/proj/docs/guide.md",
        "/home/me/proj/issues/backlog/notes.txt",
        "/home/me/proj/.kiro/specs/login/design.md",
        "/home/me/proj/.kiro/steering/tech.md",
        "/home/me/proj/openspec/project.md",
        "/home/me/proj/backlog/drafts/review.md",
        "/home/me/proj/specs/search/spec.md",
        "/home/me/proj/specs/002-search/research.md",
        "/home/me/proj/.planning/phases/03-storage/03-CONTEXT.md",
    ] {
        assert!(!globs.is_match(path), "{path} should not get planmark");
    }
}

/// The query files of Helix 25.07's `runtime/queries/markdown/` (the tag
/// holds `highlights.scm` and `injections.scm` only: no indents, locals or
/// textobjects). Helix reads a language's queries from
/// `runtime/queries/<language name>/`, so a language without them has no
/// colours, and `; inherits: markdown` pulls in markdown's.
const HELIX_MARKDOWN_QUERIES: &[&str] = &["highlights.scm", "injections.scm"];

#[test]
fn the_planning_only_language_inherits_every_markdown_query() {
    let doc = snippet("languages-planning-only.toml");
    let name = languages(&doc)[0]["name"].as_str().unwrap().to_string();
    assert_eq!(languages(&doc)[0]["grammar"].as_str(), Some("markdown"));
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("editors/helix/runtime/queries")
        .join(&name);
    let mut shipped: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    shipped.sort();
    assert_eq!(
        shipped, HELIX_MARKDOWN_QUERIES,
        "one file for each of markdown's queries, and no other"
    );
    for file in HELIX_MARKDOWN_QUERIES {
        let text = std::fs::read_to_string(dir.join(file)).unwrap();
        // tree-house (Helix's tree-sitter layer) replaces this line with the
        // parent language's query of the same name.
        assert_eq!(
            text.lines().next(),
            Some("; inherits: markdown"),
            "{name}/{file}"
        );
        let rest: Vec<&str> = text.lines().skip(1).collect();
        assert!(
            rest.iter()
                .all(|l| l.trim().is_empty() || l.starts_with(';')),
            "{name}/{file} adds nothing but comments: {rest:?}"
        );
    }
    // The snippet says where the queries go.
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("editors/helix/languages-planning-only.toml"),
    )
    .unwrap();
    assert!(
        text.contains(&format!("~/.config/helix/runtime/queries/{name}/")),
        "languages-planning-only.toml must say where to copy the queries"
    );
}
