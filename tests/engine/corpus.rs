//! What the corpus tests share: loading one of the real projects kept in
//! `tests/corpora/`, which must be there and walk without a problem.

use std::path::{Path, PathBuf};

use planmark::analysis::rules::check_workspace;
use planmark::analysis::workspace::Workspace;
use planmark::load::{load_workspace, Loaded};

/// The folder of the corpus `name`.
pub fn root(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/corpora")
        .join(name)
}

/// The corpus `name`, loaded as `planmark check` loads a workspace.
pub fn load(name: &str) -> Loaded {
    let root = root(name);
    assert!(
        root.is_dir(),
        "the corpus is missing: expected {}",
        root.display()
    );
    let loaded = load_workspace(&root);
    assert!(
        loaded.walk_problems.is_empty(),
        "{:?}",
        loaded.walk_problems
    );
    loaded
}

/// Every finding of a workspace, one line each (`rel:line rule (severity)
/// message`, a file that could not be read on line 1), and how many are
/// errors.
pub fn findings(ws: &Workspace) -> (String, usize) {
    let mut lines = Vec::new();
    let mut errors = 0;
    for d in check_workspace(ws) {
        let line = ws
            .file(&d.rel)
            .map_or(1, |file| file.line_index().line_of(d.range.start()) + 1);
        errors += usize::from(d.severity.name() == "error");
        lines.push(format!(
            "{}:{line} {} ({}) {}",
            d.rel,
            d.rule,
            d.severity.name(),
            d.message
        ));
    }
    (lines.join("\n") + "\n", errors)
}
