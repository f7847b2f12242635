//! Loading the workspace a command names, and printing paths relative to
//! the current directory.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context as _};

use crate::discover::{absolute, enclosing_project, lexical, project_above_layout_folder};
use crate::load::{is_plain, load_workspace, Loaded};

/// A loaded workspace and where it lives.
pub(crate) struct Root {
    pub(crate) dir: PathBuf,
    pub(crate) loaded: Loaded,
}

/// Loads the workspace at `path` (a directory), failing with exit-code-2
/// errors when it does not exist or is not a directory.
pub(crate) fn load_root(path: Option<&Path>) -> anyhow::Result<Root> {
    let dir = match path {
        Some(p) => p.to_path_buf(),
        None => std::env::current_dir().context("cannot read the current directory")?,
    };
    if !dir.exists() {
        bail!("`{}` does not exist", dir.display());
    }
    if !dir.is_dir() {
        bail!("`{}` is not a directory", dir.display());
    }
    std::fs::read_dir(&dir).with_context(|| format!("cannot read `{}`", dir.display()))?;
    // A folder of a planning layout (`issues/`, `.planning/`) is read with
    // its project: on its own its files lose what they mean.
    if let Some(project) = project_above_layout_folder(&dir) {
        return Ok(project_root(
            project,
            format!(
                "`{}` is one part of the planning layout of the project at",
                dir.display()
            ),
        ));
    }
    let loaded = load_workspace(&dir);
    if loaded.workspace.file_count() == 0 && loaded.workspace.config_errors().is_empty() {
        if let Some(project) = enclosing_project(&dir) {
            return Ok(project_root(
                project,
                format!(
                    "`{}` holds no planning files of its own; it is one part of the project at",
                    dir.display()
                ),
            ));
        }
    }
    Ok(Root { dir, loaded })
}

/// The project a folder given is one part of, loaded, after a note on
/// stderr that says so (`why` is the note up to the project's path).
fn project_root(project: PathBuf, why: String) -> Root {
    eprintln!("note: {why} `{}`; reading the project", project.display());
    let loaded = load_workspace(&project);
    Root {
        dir: project,
        loaded,
    }
}

/// `root/rel` relative to the current directory, as the user would type it.
pub fn display_path(root: &Path, rel: &str) -> String {
    PathDisplay::new(root).show(rel)
}

/// [`display_path`] for the many paths of one root (every finding of a
/// check): the root and the current directory are read once, not once per
/// finding.
pub(crate) struct PathDisplay {
    root: PathBuf,
    cwd: PathBuf,
    /// The root as shown, with a `/` after it (empty for the current
    /// directory): a plain relative path is shown after it as it is.
    shown_root: Option<String>,
}

impl PathDisplay {
    pub(crate) fn new(root: &Path) -> PathDisplay {
        PathDisplay::seen_from(root, &std::env::current_dir().unwrap_or_default())
    }

    /// Paths of `root` as shown to someone in `cwd`.
    fn seen_from(root: &Path, cwd: &Path) -> PathDisplay {
        let root = lexical(&absolute(root));
        let cwd = lexical(cwd);
        // From a folder inside the root, a path may lead back through
        // that folder (`issues/a.md` seen from `issues/` is `a.md`): only
        // the long way sees it.
        let cwd_inside_root = cwd != root && cwd.starts_with(&root);
        let shown_root = (std::path::MAIN_SEPARATOR == '/' && !cwd_inside_root)
            .then(|| relative_to(&root, &cwd).to_str().map(str::to_string))
            .flatten()
            .map(|shown| match shown.as_str() {
                "" => shown,
                _ if shown.ends_with('/') => shown,
                _ => shown + "/",
            });
        PathDisplay {
            root,
            cwd,
            shown_root,
        }
    }

    pub(crate) fn show(&self, rel: &str) -> String {
        match &self.shown_root {
            // Every path of a check is plain: joining the shown root and
            // the path as text spares taking both apart again per finding.
            Some(shown_root) if is_plain(rel) => format!("{shown_root}{rel}"),
            _ => relative_to(&lexical(&self.root.join(rel)), &self.cwd)
                .display()
                .to_string(),
        }
    }
}

fn relative_to(path: &Path, base: &Path) -> PathBuf {
    let p: Vec<_> = path.components().collect();
    let b: Vec<_> = base.components().collect();
    let common = p.iter().zip(&b).take_while(|(x, y)| x == y).count();
    if common == 0 {
        return path.to_path_buf();
    }
    let mut out = PathBuf::new();
    for _ in common..b.len() {
        out.push("..");
    }
    for c in &p[common..] {
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A plain path is shown after the root as text; the result is what
    /// taking both paths apart gives, wherever the root is.
    #[test]
    fn a_plain_path_shows_as_the_long_way_would_show_it() {
        let cwd = Path::new("/home/ana/project");
        let roots = [
            "/home/ana/project",
            "/home/ana/project/docs/plan",
            "/home/ana/project/./x/../y/",
            "/home/bob/other",
            // The current directory is inside these: the long way only.
            "/home/ana",
            "/",
        ];
        let rels = [
            "x.md",
            "issues/done/a.md",
            "project/x.md",
            "ana/project/x.md",
            "home/ana/project/a.md",
            "./x.md",
            "a/../b.md",
            "a//b.md",
            "",
        ];
        for root in roots {
            let paths = PathDisplay::seen_from(Path::new(root), cwd);
            let cwd_inside_root = matches!(root, "/home/ana" | "/");
            assert_eq!(paths.shown_root.is_none(), cwd_inside_root, "{root}");
            for rel in rels {
                let long_way = relative_to(&lexical(&paths.root.join(rel)), &paths.cwd)
                    .display()
                    .to_string();
                assert_eq!(paths.show(rel), long_way, "{root} + {rel}");
            }
        }
        let paths = PathDisplay::seen_from(Path::new("/home/ana/project/docs"), cwd);
        assert_eq!(paths.show("issues/a.md"), "docs/issues/a.md");
        let paths = PathDisplay::seen_from(Path::new("/home/bob"), cwd);
        assert_eq!(paths.show("a.md"), "../../bob/a.md");
        let paths = PathDisplay::seen_from(Path::new("/home/ana"), cwd);
        assert_eq!(paths.show("project/issues/a.md"), "issues/a.md");
    }
}
