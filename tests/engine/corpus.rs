//! What the corpus tests share: loading one of the real projects kept in
//! `tests/corpora/`, which must be there and walk without a problem.

use std::path::{Path, PathBuf};

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
