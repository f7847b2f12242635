//! Where a workspace starts: the root of a file, the project a file opened
//! in an editor belongs to (or none, for a lone file), projects nested in a
//! root, the project a folder with no planning files of its own is one part
//! of, and lexical path clean-up. The command line and the language server
//! both use it; it reads only whether marker files exist, but for that last
//! question, which walks the folder.

use std::path::{Component, Path, PathBuf};

use crate::analysis::config::CONFIG_FILE_NAME;

/// The workspace root for a file: the project it belongs to (see
/// [`project_of_file`]: a marker, or the root of the planning layout of any
/// dialect it sits in), else the ancestor that holds its `issues/` or
/// `docs/` folder, else its own folder.
pub fn root_of_file(file: &Path) -> PathBuf {
    let absolute = absolute(file);
    let parent = absolute.parent().unwrap_or(Path::new("/")).to_path_buf();
    project_of_file(&absolute)
        .or_else(|| layout_folder_root(&parent))
        .unwrap_or(parent)
}

/// The nearest ancestor-or-self of `folder` holding `planmark.toml` or
/// `.git`.
fn marked_root(folder: &Path) -> Option<PathBuf> {
    folder
        .ancestors()
        .find(|dir| is_marked(dir))
        .map(Path::to_path_buf)
}

/// Whether `folder` holds `planmark.toml`, `.git` or Backlog.md's
/// `backlog.config.yml` (which may name a backlog folder of any name),
/// which make it a project's root.
pub fn is_marked(folder: &Path) -> bool {
    folder.join(CONFIG_FILE_NAME).exists()
        || folder.join(".git").exists()
        || folder.join(crate::load::BACKLOG_CONFIG_NAME).is_file()
}

/// The folder above the nearest `issues/` or `docs/` folder among `folder`
/// and its ancestors (above `.sdlc` too for `.sdlc/issues`).
fn layout_folder_root(folder: &Path) -> Option<PathBuf> {
    for dir in folder.ancestors() {
        let name = dir.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if matches!(name, "issues" | "docs") {
            if let Some(up) = dir.parent() {
                // `.sdlc/issues` keeps its own parent; the roadmap sits beside `.sdlc`.
                let up_name = up.file_name().and_then(|n| n.to_str()).unwrap_or("");
                if up_name.starts_with('.') {
                    return Some(up.parent().unwrap_or(up).to_path_buf());
                }
                return Some(up.to_path_buf());
            }
        }
    }
    None
}

/// The project a file opened in the language server belongs to, or `None`
/// for a lone file, which is served alone rather than walking its folder.
/// In order:
///
/// - the nearest ancestor holding `planmark.toml`, `.git` or `backlog.config.yml`;
/// - the root of the planning layout the file sits in: the nearest
///   ancestor from which the file's path is a planning file
///   (`issues/<status>/x.md`, `stories/NNN-x.md`,
///   `milestones/<mN>/x.md`, `roadmap.md`, `project-brief.md`,
///   `issues-list.md`), or its own folder when that holds `roadmap.md` or
///   an `issues/` folder; in both cases the folder above it when it is a
///   `docs/` folder or a hidden one, and above its parent when that is a
///   `docs/` folder (`docs/stories/`, `docs/notes/milestones/`,
///   `.sdlc/issues/`).
///
/// `path` must be absolute.
pub fn project_of_file(path: &Path) -> Option<PathBuf> {
    let folder = path.parent()?;
    if let Some(root) = marked_root(folder) {
        return Some(root);
    }
    let config = crate::analysis::config::Config::default();
    let layout = folder
        .ancestors()
        .find(|dir| {
            crate::load::relative(dir, path)
                .is_some_and(|rel| crate::analysis::parse::classify(&rel, &config).is_some())
        })
        .or_else(|| {
            (folder.join("roadmap.md").is_file() || folder.join("issues").is_dir())
                .then_some(folder)
        })?;
    let name = |dir: Option<&Path>| {
        dir.and_then(Path::file_name)
            .and_then(|n| n.to_str())
            .unwrap_or("")
            .to_string()
    };
    let own = name(Some(layout));
    let lifted = if own == "docs" || own.starts_with('.') {
        layout.parent()
    } else if name(layout.parent()) == "docs" {
        layout.parent().and_then(Path::parent)
    } else {
        None
    };
    Some(lifted.unwrap_or(layout).to_path_buf())
}

/// The nearest folder holding `planmark.toml` between `path`'s folder and
/// `root` (which is left out): a project nested in the root.
pub fn nested_project(root: &Path, path: &Path) -> Option<PathBuf> {
    path.parent()?
        .ancestors()
        .take_while(|dir| *dir != root && dir.starts_with(root))
        .find(|dir| dir.join(CONFIG_FILE_NAME).is_file())
        .map(Path::to_path_buf)
}

/// How many folders up [`enclosing_project`] looks: deeper than any
/// dialect's layout nests.
const MAX_LEVELS_UP: usize = 8;

/// The names of the folders a planning layout starts with: the first
/// workflow's (`issues/`, `docs/`, `.sdlc/`, `stories/`, `milestones/`) and
/// each dialect's (`.planning/`, `openspec/`, `.kiro/`, `specs/`, …).
fn is_layout_folder_name(name: &str) -> bool {
    matches!(name, "issues" | "docs" | ".sdlc" | "stories" | "milestones")
        || crate::analysis::dialect::planning_folders().any(|folder| folder == name)
}

/// The project that `folder` is one part of because it lies in a planning
/// layout's folder (`issues/`, `.planning/`, `docs/stories/`): the folder
/// above the outermost such folder among `folder` and its ancestors, up to
/// the first one holding `planmark.toml`, `.git` or `backlog.config.yml`. Read on its own, such a
/// folder loses what its files mean: `issues/issues-list.md` without the
/// `issues/` its rows point into, `.planning/ROADMAP.md` without the
/// `.planning/` that makes it GSD's. `None` for a folder in no such layout
/// folder, or one that is a project's root itself.
pub fn project_above_layout_folder(folder: &Path) -> Option<PathBuf> {
    let folder = lexical(&absolute(folder));
    let mut project = None;
    for dir in folder.ancestors().take(MAX_LEVELS_UP) {
        if is_marked(dir) {
            break;
        }
        let Some(name) = dir.file_name().and_then(|n| n.to_str()) else {
            break;
        };
        if is_layout_folder_name(name) {
            project = dir.parent();
        }
    }
    project.map(Path::to_path_buf)
}

/// The project that `folder`, which holds no planning files when read as a
/// workspace of its own, lies in: the nearest ancestor, up to the first
/// one holding `planmark.toml`, `.git` or `backlog.config.yml`, from which some file under
/// `folder` is a planning file. A spec-kit feature folder
/// (`specs/001-login/`), an OpenSpec change or a GSD phase folder is one
/// part of its project, whose layout starts above it. Each ancestor's walk
/// enters only the folders that lead to `folder`.
pub fn enclosing_project(folder: &Path) -> Option<PathBuf> {
    let folder = lexical(&absolute(folder));
    if is_marked(&folder) {
        return None;
    }
    for ancestor in folder.ancestors().skip(1).take(MAX_LEVELS_UP) {
        let (config, _, _) = crate::load::read_config(ancestor);
        let (files, _) = crate::load::list_planning_files_within(
            ancestor,
            &config,
            std::slice::from_ref(&folder),
            &[],
        );
        if !files.is_empty() {
            return Some(ancestor.to_path_buf());
        }
        if is_marked(ancestor) {
            break;
        }
    }
    None
}

pub fn absolute(path: &Path) -> PathBuf {
    if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .map(|d| d.join(path))
            .unwrap_or_else(|_| path.to_path_buf())
    }
}

/// Removes `.` and resolves `..` without touching the file system (`..`
/// at the top stays at the top).
pub fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn touch(root: &Path, rel: &str) -> PathBuf {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, "# x\n").unwrap();
        path
    }

    #[test]
    fn a_file_belongs_to_a_project_only_when_something_marks_one() {
        let dir = tempfile::Builder::new()
            .prefix("planmark-paths-")
            .tempdir()
            .unwrap();
        let t = dir.path();
        let project = |rel: &str| project_of_file(&touch(t, rel));
        // Planning layouts, with the folder above `docs/` or `.sdlc/`.
        assert_eq!(project("a/issues/backlog/x.md"), Some(t.join("a")));
        assert_eq!(project("b/docs/stories/001-x.md"), Some(t.join("b")));
        assert_eq!(project("c/.sdlc/issues/done/x.md"), Some(t.join("c")));
        assert_eq!(
            project("d/docs/notes/milestones/m5/x.md"),
            Some(t.join("d"))
        );
        assert_eq!(project("e/roadmap.md"), Some(t.join("e")));
        // A file beside a roadmap or an issues folder.
        assert_eq!(project("e/notes.md"), Some(t.join("e")));
        assert_eq!(project("a/notes.md"), Some(t.join("a")));
        // Markers.
        touch(t, "f/planmark.toml");
        assert_eq!(project("f/deep/er/notes.md"), Some(t.join("f")));
        std::fs::create_dir_all(t.join("g/.git")).unwrap();
        assert_eq!(project("g/notes.md"), Some(t.join("g")));
        // Backlog.md's project file, whose backlog folder may have any name.
        touch(t, "bc/backlog.config.yml");
        assert_eq!(
            project("bc/planning/tasks/task-1 - Start.md"),
            Some(t.join("bc"))
        );
        // The dialects' layouts, without a marker.
        assert_eq!(
            project("os/openspec/changes/add-x/specs/auth/spec.md"),
            Some(t.join("os"))
        );
        assert_eq!(project("ki/.kiro/specs/login/tasks.md"), Some(t.join("ki")));
        assert_eq!(project("sk/specs/001-login/tasks.md"), Some(t.join("sk")));
        assert_eq!(
            project("bl/backlog/tasks/task-1 - Start.md"),
            Some(t.join("bl"))
        );
        assert_eq!(
            project("gs/.planning/phases/01-setup/01-01-PLAN.md"),
            Some(t.join("gs"))
        );
        // `check` given one file loads the same project, so that findings
        // that need the file's neighbours (a delta's base spec) are made.
        let root = |rel: &str| root_of_file(&t.join(rel));
        assert_eq!(
            root("os/openspec/changes/add-x/specs/auth/spec.md"),
            t.join("os")
        );
        assert_eq!(
            root("gs/.planning/phases/01-setup/01-01-PLAN.md"),
            t.join("gs")
        );
        assert_eq!(root("a/issues/backlog/x.md"), t.join("a"));
        // Lone files: nothing marks a project.
        assert_eq!(project("scratch.md"), None);
        assert_eq!(project("etc/passwd"), None);
        assert_eq!(project("h/docs/notes.md"), None);
        assert_eq!(project("h/issues/notes.md"), None);
        // A project with its own `planmark.toml` nested in a root.
        assert_eq!(
            nested_project(&t.join("f"), &touch(t, "f/deep/er/x.md")),
            None
        );
        touch(t, "f/deep/planmark.toml");
        assert_eq!(
            nested_project(&t.join("f"), &touch(t, "f/deep/er/x.md")),
            Some(t.join("f/deep"))
        );
        assert_eq!(nested_project(&t.join("f"), &t.join("f/x.md")), None);
    }
}
