//! The Helix snippets (`editors/helix/*.toml`): they parse, use only the
//! keys Helix 25.07 accepts, keep its markdown and yaml servers beside
//! planmark, and the planning-only variant's globs, matched the way Helix
//! matches them, select exactly the files planmark reads (compared with
//! planmark's own `classify` on every file of `examples/` and on paths that
//! must not match): `planning-markdown` the markdown ones, `planning-yaml`
//! the YAML ones. Each planning-only language ships query files inheriting
//! every query Helix has for its grammar, since Helix looks queries up by
//! language name.

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

/// The `language-servers` of Helix 25.07's built-in yaml language, kept
/// for the same reason.
const HELIX_YAML_SERVERS: &[&str] = &["yaml-language-server", "ansible-language-server"];

/// The built-in servers a language of the snippets must keep: those of the
/// Helix language whose grammar it uses (`markdown` itself has no
/// `grammar` key, its name is the grammar's).
fn helix_servers(language: &Table) -> &'static [&'static str] {
    let grammar = language
        .get("grammar")
        .or_else(|| language.get("name"))
        .and_then(Value::as_str);
    match grammar {
        Some("markdown") => HELIX_MARKDOWN_SERVERS,
        Some("yaml") => HELIX_YAML_SERVERS,
        other => panic!("no Helix servers known for grammar {other:?}"),
    }
}

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
        for server in helix_servers(language).iter().chain(&["planmark"]) {
            assert!(
                servers.contains(server),
                "{servers:?} must keep Helix's servers beside planmark: {server} is missing"
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

/// The languages of the planning-only snippet, with its server checked:
/// `planning-markdown` and `planning-yaml`, in that order.
fn planning_languages(doc: &Table) -> (&Table, &Table) {
    check_server(doc);
    let list = languages(doc);
    let names: Vec<&str> = list.iter().map(|l| l["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["planning-markdown", "planning-yaml"]);
    (list[0], list[1])
}

/// Whether planmark would read `path` as YAML rather than markdown.
fn is_yaml(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    lower.ends_with(".yml") || lower.ends_with(".yaml")
}

/// Checks that `globs` select exactly the files of `examples/` that
/// `classify` reads and `wanted` keeps (markdown or YAML), and returns how
/// many they select.
fn check_examples(globs: &GlobSet, wanted: fn(&str) -> bool) -> usize {
    let config = Config::default();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    files_under(&root.join("examples"), &mut files);
    let mut planning = 0;
    for file in &files {
        let rel = file.strip_prefix(&format!("{}/", root.display())).unwrap();
        let rel_in_workspace = rel.strip_prefix("examples/").unwrap();
        let expected = wanted(rel_in_workspace) && classify(rel_in_workspace, &config).is_some();
        planning += usize::from(expected);
        assert_eq!(
            globs.is_match(file),
            expected,
            "{file}: planmark says {expected}"
        );
    }
    planning
}

#[test]
fn the_planning_only_snippet_has_a_markdown_and_a_yaml_language() {
    let doc = snippet("languages-planning-only.toml");
    let (markdown, yaml) = planning_languages(&doc);
    // Helix highlights and names a language by these keys; without them
    // the planning files would have no colours and servers would be told
    // an unknown language ID.
    for (language, grammar, scope) in [
        (markdown, "markdown", "source.md"),
        (yaml, "yaml", "source.yaml"),
    ] {
        assert_eq!(language["grammar"].as_str(), Some(grammar));
        assert_eq!(language["scope"].as_str(), Some(scope));
        assert_eq!(language["language-id"].as_str(), Some(grammar));
    }
    assert_eq!(yaml["roots"], markdown["roots"]);
    assert_eq!(yaml["comment-token"].as_str(), Some("#"));
}

#[test]
fn the_planning_only_snippet_matches_exactly_the_planning_files() {
    let doc = snippet("languages-planning-only.toml");
    let (language, yaml) = planning_languages(&doc);
    let globs = helix_globs(language);
    let yaml_globs = helix_globs(yaml);
    let config = Config::default();

    let planning = check_examples(&globs, |rel| !is_yaml(rel));
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
        "/home/me/proj/.backlog/tasks/task-3 - Fix login.md",
        "/home/me/proj/backlog/tasks/epics/task-12 - Title.md",
        "/home/me/proj/backlog/archive/tasks/2024/task-4 - Older.md",
        "/home/me/proj/.backlog/decisions/decision-2 - Use SSO.md",
        "/home/me/proj/specs/002-search/plan.md",
        "/home/me/proj/docs/stories/2.1a.remediation.story.md",
        "/home/me/proj/docs/prd/epic-2-search.md",
        "/home/me/proj/_bmad-output/sprint-artifacts/2-3-search.md",
        "/home/me/proj/.planning/ROADMAP.md",
        "/home/me/proj/.planning/phases/03-storage/03-02-PLAN.md",
        "/home/me/proj/.planning/milestones/v1.0-phases/01-setup/01-02-SUMMARY.md",
    ] {
        assert!(globs.is_match(path), "{path} should get planmark");
        assert!(!yaml_globs.is_match(path), "{path} is not YAML");
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
        "/home/me/proj/backlog/tasks/epics/readme.md",
        "/home/me/proj/specs/search/spec.md",
        "/home/me/proj/specs/002-search/research.md",
        "/home/me/proj/.planning/phases/03-storage/03-CONTEXT.md",
        "/home/me/proj/.planning/milestones/v1.0-phases/01-setup/01-CONTEXT.md",
        "/home/me/proj/.planning/milestones/-phases/01-setup/01-02-PLAN.md",
    ] {
        assert!(!globs.is_match(path), "{path} should not get planmark");
    }
}

#[test]
fn the_planning_only_snippet_matches_exactly_the_planning_yaml_files() {
    let doc = snippet("languages-planning-only.toml");
    let (markdown, language) = planning_languages(&doc);
    let globs = helix_globs(language);
    let markdown_globs = helix_globs(markdown);
    let config = Config::default();

    // examples/ holds Backlog.md's `backlog/config.yml` and BMAD v6's
    // `_bmad-output/implementation-artifacts/sprint-status.yaml`.
    let planning = check_examples(&globs, is_yaml);
    assert!(
        planning >= 2,
        "only {planning} planning YAML files in examples/"
    );

    for path in [
        "/home/me/proj/backlog/config.yml",
        "/home/me/proj/backlog/config.yaml",
        "/home/me/proj/web/backlog/config.yml",
        "/home/me/proj/.backlog/config.yml",
        "/home/me/proj/backlog.config.yml",
        "/home/me/proj/web/backlog.config.yml",
        "/home/me/proj/_bmad-output/implementation-artifacts/sprint-status.yaml",
        "/home/me/proj/docs/sprint-artifacts/sprint-status.yml",
        "/home/me/proj/.milestones/active/milestone-001.yaml",
        "/home/me/proj/.milestones/active/dependencies.yaml",
        "/home/me/proj/.milestones/completed/milestone-2.yml",
        "/home/me/proj/tools/.milestones/completed/milestone-007.yaml",
    ] {
        assert!(globs.is_match(path), "{path} should get planmark");
        assert!(!markdown_globs.is_match(path), "{path} is not markdown");
        assert!(
            classify(path.trim_start_matches('/'), &config).is_some(),
            "{path}"
        );
    }
    for path in [
        "/home/me/proj/config.yml",
        "/home/me/proj/.github/workflows/ci.yml",
        "/home/me/proj/docker-compose.yaml",
        "/home/me/proj/backlog/tasks/config.yml",
        "/home/me/proj/backlog/config.json",
        "/home/me/proj/my-backlog/config.yml",
        "/home/me/proj/my-backlog.config.yml",
        "/home/me/proj/sprint-status-old.yaml",
        "/home/me/proj/_bmad-output/sprint-status.md",
        // Only `milestone-*` files are milestones, and `dependencies.yaml`
        // is read in `active/` alone.
        "/home/me/proj/.milestones/completed/m-2.yaml",
        "/home/me/proj/.milestones/completed/dependencies.yaml",
        "/home/me/proj/.milestones/active/notes.yaml",
        "/home/me/proj/.milestones/milestone-001.yaml",
        "/home/me/proj/milestones/active/milestone-001.yaml",
    ] {
        assert!(!globs.is_match(path), "{path} should not get planmark");
        assert!(!markdown_globs.is_match(path), "{path} is not markdown");
        assert!(
            classify(path.trim_start_matches('/'), &config).is_none(),
            "planmark reads {path}"
        );
    }
}

/// The query files of Helix 25.07's `runtime/queries/markdown/` (the tag
/// holds `highlights.scm` and `injections.scm` only: no indents, locals or
/// textobjects). Helix reads a language's queries from
/// `runtime/queries/<language name>/`, so a language without them has no
/// colours, and `; inherits: markdown` pulls in markdown's.
const HELIX_MARKDOWN_QUERIES: &[&str] = &["highlights.scm", "injections.scm"];

/// The query files of Helix 25.07's `runtime/queries/yaml/` (no locals),
/// which `; inherits: yaml` pulls in the same way.
const HELIX_YAML_QUERIES: &[&str] = &[
    "highlights.scm",
    "indents.scm",
    "injections.scm",
    "textobjects.scm",
];

#[test]
fn each_planning_only_language_inherits_every_query_of_its_grammar() {
    let doc = snippet("languages-planning-only.toml");
    let (markdown, yaml) = planning_languages(&doc);
    // The snippet says where the queries go.
    let snippet_text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("editors/helix/languages-planning-only.toml"),
    )
    .unwrap();
    for (language, queries) in [
        (markdown, HELIX_MARKDOWN_QUERIES),
        (yaml, HELIX_YAML_QUERIES),
    ] {
        let name = language["name"].as_str().unwrap();
        let grammar = language["grammar"].as_str().unwrap();
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("editors/helix/runtime/queries")
            .join(name);
        let mut shipped: Vec<String> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        shipped.sort();
        assert_eq!(
            shipped, queries,
            "one file for each of {grammar}'s queries, and no other"
        );
        for file in queries {
            let text = std::fs::read_to_string(dir.join(file)).unwrap();
            // tree-house (Helix's tree-sitter layer) replaces this line with
            // the parent language's query of the same name.
            assert_eq!(
                text.lines().next(),
                Some(format!("; inherits: {grammar}").as_str()),
                "{name}/{file}"
            );
            let rest: Vec<&str> = text.lines().skip(1).collect();
            assert!(
                rest.iter()
                    .all(|l| l.trim().is_empty() || l.starts_with(';')),
                "{name}/{file} adds nothing but comments: {rest:?}"
            );
        }
        assert!(
            snippet_text.contains(&format!("~/.config/helix/runtime/queries/{name}/")),
            "languages-planning-only.toml must say where to copy {name}'s queries"
        );
        assert!(
            snippet_text.contains(&format!(
                "cp -r editors/helix/runtime/queries/{name} ~/.config/helix/runtime/queries/"
            )),
            "languages-planning-only.toml must show the copy of {name}'s queries"
        );
    }
}
