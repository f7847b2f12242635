//! Reads a workspace from disk: finds the planning files under a root
//! (respecting `.gitignore` and `.ignore`, never leaving the root through a
//! symlink), reads them on every core and loads the configuration.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

mod read;

pub use read::read_input;

use crate::analysis::config::{Config, ConfigError, CONFIG_FILE_NAME};
use crate::analysis::model::FileKind;
use crate::analysis::parse::classify;
use crate::analysis::workspace::Workspace;

/// Folders never entered: version control, dependencies and build output.
/// The server's watcher ignores changes inside them too.
pub const SKIPPED_FOLDERS: &[&str] = &[".git", "node_modules", "target"];

/// Whether a folder name is one of [`SKIPPED_FOLDERS`].
pub fn is_skipped_folder(name: &str) -> bool {
    SKIPPED_FOLDERS.contains(&name)
}

/// A problem met while walking the tree that is not about one planning
/// file's content (a symlink loop, a folder that cannot be listed).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WalkProblem {
    pub path: String,
    pub message: String,
}

pub struct Loaded {
    pub workspace: Workspace,
    pub walk_problems: Vec<WalkProblem>,
    /// Whether a `planmark.toml` was found.
    pub has_config: bool,
}

/// Reads `planmark.toml` at `root`, if there is one, and which backlog
/// folders the root's Backlog.md project reads (see
/// [`settle_backlog_layout`]; the projects below the root are known once
/// the walk has listed their files).
pub fn read_config(root: &Path) -> (Config, Vec<ConfigError>, bool) {
    let (mut config, errors, found) = read_planmark_toml(root);
    settle_backlog_layout(root, &mut config, std::iter::empty());
    (config, errors, found)
}

/// The name of Backlog.md's project config file, at a workspace's root.
pub const BACKLOG_CONFIG_NAME: &str = "backlog.config.yml";

/// Backlog.md's questions to the disk, asked of the files under a root.
struct BacklogDiskAt<'a>(&'a Path);

impl crate::analysis::dialect::backlog::BacklogDisk for BacklogDiskAt<'_> {
    fn text(&self, rel: &str) -> Option<String> {
        std::fs::read_to_string(self.0.join(rel)).ok()
    }
    fn is_folder(&self, rel: &str) -> bool {
        self.0.join(rel).is_dir()
    }
    fn is_file(&self, rel: &str) -> bool {
        self.0.join(rel).is_file()
    }
}

/// Sets `config`'s backlog folders as Backlog.md would choose them for the
/// workspace root and the projects that the paths `rels` (relative to
/// `root`) show: the folders that `backlog.config.yml` files name besides
/// those found by their name (`Config::backlog_folders`), and the
/// `backlog/` or `.backlog/` folders their projects do not read
/// (`Config::unread_backlog_folders`). Read once for the workspace, so
/// that classifying a path never reads a file. Says whether they changed.
pub fn settle_backlog_layout<'a>(
    root: &Path,
    config: &mut Config,
    rels: impl IntoIterator<Item = &'a str>,
) -> bool {
    use crate::analysis::dialect::backlog;
    let projects = backlog::backlog_projects(rels);
    let layout = backlog::backlog_layout(&projects, &BacklogDiskAt(root));
    let changed =
        config.backlog_folders != layout.read || config.unread_backlog_folders != layout.unread;
    config.backlog_folders = layout.read;
    config.unread_backlog_folders = layout.unread;
    changed
}

/// Lists the planning files under `root` with their formats, as
/// [`list_planning_files_skipping`] does, and settles `config`'s backlog
/// folders for the projects found (see [`settle_backlog_layout`]): when a
/// project below the root reads another folder than its name says, the
/// root is listed again with them.
pub fn list_planning_files_settled(
    root: &Path,
    config: &mut Config,
    skip: &[PathBuf],
) -> (Vec<ListedFile>, Vec<WalkProblem>) {
    let listed = walk(root, config, None, skip);
    let rels = listed.0.iter().map(|(rel, _, _)| rel.as_str());
    if settle_backlog_layout(root, config, rels) {
        return walk(root, config, None, skip);
    }
    listed
}

fn read_planmark_toml(root: &Path) -> (Config, Vec<ConfigError>, bool) {
    let path = root.join(CONFIG_FILE_NAME);
    match std::fs::read_to_string(&path) {
        Ok(text) => {
            let (config, errors) = Config::parse(&text, &crate::analysis::rules::rule_names());
            (config, errors, true)
        }
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            (Config::default(), Vec::new(), false)
        }
        Err(err) => (
            Config::default(),
            vec![ConfigError {
                line: None,
                key: None,
                message: format!("cannot be read: {err}"),
            }],
            true,
        ),
    }
}

/// The path of `path` relative to `root`, with `/` separators.
pub fn relative(root: &Path, path: &Path) -> Option<String> {
    // Every path the walk lists is `root` joined with the rest: its bytes
    // start with the root's, which is cheaper to see than comparing the two
    // paths component by component.
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let rest = path
            .as_os_str()
            .as_bytes()
            .strip_prefix(root.as_os_str().as_bytes())
            .and_then(|rest| rest.strip_prefix(b"/"));
        if let Some(text) = rest.and_then(|rest| std::str::from_utf8(rest).ok()) {
            if is_plain(text) {
                return Some(text.to_string());
            }
        }
    }
    let rel = path.strip_prefix(root).ok()?;
    // A path of plain components already joined by `/` (every path the
    // walk lists on Unix) is taken as it is.
    if let Some(text) = rel.to_str() {
        if std::path::MAIN_SEPARATOR == '/' && is_plain(text) {
            return Some(text.to_string());
        }
    }
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    Some(parts.join("/"))
}

/// The path of `path` relative to `root`, as [`relative`] gives it, but
/// only when the rest of the path is UTF-8, so that the root joined with
/// it names the same file again. Planmark keys files by UTF-8 relative
/// paths; a name that is not UTF-8 (possible on Unix) would become one
/// with U+FFFD in place of its bad bytes, which names no file on disk.
pub fn relative_exact(root: &Path, path: &Path) -> Option<String> {
    let rel = relative(root, path)?;
    // Only a lossy conversion puts U+FFFD in; a name may hold it itself.
    let exact = !rel.contains(char::REPLACEMENT_CHARACTER)
        || path
            .strip_prefix(root)
            .is_ok_and(|rest| rest.to_str().is_some());
    exact.then_some(rel)
}

/// What the walk says of a planning file whose name is not UTF-8.
const NOT_UTF8_NAME: &str =
    "has a name that is not UTF-8; skipped (planmark names files by UTF-8 paths: rename it to check it)";

/// Whether `rel` is a relative path of plain parts joined by single `/`s
/// (no `.`, `..`, empty part, nor a `/` at either end): the path its
/// components would join to again.
pub(crate) fn is_plain(rel: &str) -> bool {
    !rel.is_empty()
        && !rel.starts_with('/')
        && !rel.ends_with('/')
        && !rel.contains("//")
        && rel.split('/').all(|part| part != "." && part != "..")
}

/// Lists the planning files under `root`.
pub fn list_planning_files(
    root: &Path,
    config: &Config,
) -> (Vec<(String, PathBuf)>, Vec<WalkProblem>) {
    without_kinds(walk(root, config, None, &[]))
}

/// Lists the planning files under `root` with their formats, never
/// entering the folders in `skip` (the roots nested in it, which the
/// language server reads on their own).
pub fn list_planning_files_skipping(
    root: &Path,
    config: &Config,
    skip: &[PathBuf],
) -> (Vec<ListedFile>, Vec<WalkProblem>) {
    walk(root, config, None, skip)
}

/// Lists the planning files of `root` that lie in `within` (files or
/// folders inside `root`), exactly as [`list_planning_files`] would list
/// them (never entering the folders in `skip`): the walk starts at `root`, so every ignore file on the way applies
/// (a folder an ignore rule excludes is not entered), but it enters only
/// the folders that lead to `within` and lists only what is under it. The
/// server uses it for files and folders that changed after the first index.
pub fn list_planning_files_within(
    root: &Path,
    config: &Config,
    within: &[PathBuf],
    skip: &[PathBuf],
) -> (Vec<(String, PathBuf)>, Vec<WalkProblem>) {
    if within.is_empty() {
        return (Vec::new(), Vec::new());
    }
    let mut targets = HashSet::new();
    let mut leading = HashSet::new();
    for path in within {
        targets.insert(path.clone());
        leading.extend(
            path.ancestors()
                .skip(1)
                .take_while(|a| a.starts_with(root))
                .map(Path::to_path_buf),
        );
    }
    let within = Within { targets, leading };
    without_kinds(walk(root, config, Some(Arc::new(within)), skip))
}

/// A planning file as the walk lists it: its path relative to the root,
/// its path on disk, and its format (found while listing, so that loading
/// need not classify it again).
pub type ListedFile = (String, PathBuf, FileKind);

fn without_kinds(
    (files, problems): (Vec<ListedFile>, Vec<WalkProblem>),
) -> (Vec<(String, PathBuf)>, Vec<WalkProblem>) {
    let files = files
        .into_iter()
        .map(|(rel, path, _)| (rel, path))
        .collect();
    (files, problems)
}

/// The part of a root a restricted walk covers.
struct Within {
    /// The files and folders asked for.
    targets: HashSet<PathBuf>,
    /// The folders that lead from the root to a target.
    leading: HashSet<PathBuf>,
}

impl Within {
    fn covers(&self, path: &Path) -> bool {
        self.leading.contains(path) || path.ancestors().any(|a| self.targets.contains(a))
    }
}

fn walk(
    root: &Path,
    config: &Config,
    within: Option<Arc<Within>>,
    skip: &[PathBuf],
) -> (Vec<ListedFile>, Vec<WalkProblem>) {
    let skip = skip.to_vec();
    let canonical_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let mut files = Vec::new();
    let mut problems = Vec::new();
    // Folder symlinks that lead out of the root: never entered, so nothing
    // outside the workspace is listed or read (a file's own symlink is only
    // one level deep and is checked below, once it is known to matter).
    let left: Arc<Mutex<Vec<PathBuf>>> = Arc::default();
    // The dialects' planning folders at the root (`.planning/`, `openspec/`,
    // ...): the main walk leaves them to walks of their own, below.
    let planning_folders: Arc<Vec<PathBuf>> = Arc::new(
        crate::analysis::dialect::planning_folders()
            .map(|name| root.join(name))
            // A backlog folder at the root that `backlog.config.yml` names
            // is one too; one deeper is found by the walk of the root.
            .chain(
                config
                    .backlog_folders
                    .iter()
                    .filter(|folder| {
                        !folder.contains('/')
                            && !crate::analysis::dialect::planning_folders().any(|f| f == *folder)
                    })
                    .map(|name| root.join(name)),
            )
            .collect(),
    );
    // The root's `.ignore`, which the planning folders' own walks (without
    // the ignore files above them) still answer to.
    let own_ignore = Arc::new(
        Some(root.join(".ignore"))
            .filter(|path| path.is_file())
            .map(|path| ignore::gitignore::Gitignore::new(path).0),
    );
    let (filter_root, filter_left) = (canonical_root.clone(), left.clone());
    let (filter_folders, filter_own_ignore) = (planning_folders.clone(), own_ignore.clone());
    let filter_within = within.clone();
    let filter_skip = skip.clone();
    let keep = Arc::new(move |entry: &ignore::DirEntry| {
        if filter_within
            .as_ref()
            .is_some_and(|w| !w.covers(entry.path()))
        {
            return false;
        }
        if entry.file_name().to_str().is_some_and(is_skipped_folder) {
            return false;
        }
        if filter_skip.iter().any(|folder| entry.path() == folder) {
            return false;
        }
        if entry.path_is_symlink() && entry.file_type().is_some_and(|t| t.is_dir()) {
            let inside = entry
                .path()
                .canonicalize()
                .is_ok_and(|target| target.starts_with(&filter_root));
            if !inside {
                filter_left
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push(entry.path().to_path_buf());
                return false;
            }
        }
        // The walk of the root only: a planning folder's own walk starts
        // at depth 0.
        if entry.depth() == 1 && filter_folders.iter().any(|f| f == entry.path()) {
            return false;
        }
        let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
        !filter_own_ignore
            .as_ref()
            .as_ref()
            .is_some_and(|own| own.matched(entry.path(), is_dir).is_ignore())
    });
    let walker = |start: &Path, parents: bool| {
        let keep = keep.clone();
        ignore::WalkBuilder::new(start)
            .hidden(false)
            .follow_links(true)
            .require_git(false)
            .parents(parents)
            .filter_entry(move |entry| keep(entry))
            .build_parallel()
    };
    // A planning folder is the plan, whatever `.gitignore` says: GSD keeps
    // `.planning/` out of git on purpose (`commit_docs: false`), and
    // repositories commit `openspec/` or `.kiro/` past an ignore rule for
    // the folder or for its files (`*.md` with `!README.md`: git tracks
    // committed files whatever their ignore rules say). Each is walked on
    // its own, without the ignore files above it (those inside it still
    // apply); a `.ignore` at the root, planmark's and other tools' own
    // ignore file, still applies, to the folder and to its files.
    let planning_folder_walks = || {
        planning_folders
            .iter()
            .filter(|folder| within.as_ref().is_none_or(|w| w.covers(folder)))
            .filter(|folder| !skip.contains(folder))
            .filter(|folder| {
                !own_ignore
                    .as_ref()
                    .as_ref()
                    .is_some_and(|own| own.matched(folder, true).is_ignore())
            })
            .filter(|folder| match folder.symlink_metadata() {
                Ok(meta) if meta.is_dir() => true,
                // A link to a folder is followed, as the main walk follows
                // one, when it leads to a folder inside the workspace.
                Ok(meta) if meta.file_type().is_symlink() && folder.is_dir() => {
                    let inside = folder
                        .canonicalize()
                        .is_ok_and(|target| target.starts_with(&canonical_root));
                    if !inside {
                        left.lock()
                            .unwrap_or_else(|e| e.into_inner())
                            .push(folder.to_path_buf());
                    }
                    inside
                }
                _ => false,
            })
            .map(|folder| walker(folder, false))
            .collect::<Vec<_>>()
    };
    // The walks themselves run on every core, each thread keeping what it
    // finds; turning each entry into a relative path, classifying it and
    // checking where a symlink leads are done on every core afterwards.
    let found: Mutex<Vec<Vec<WalkEntry>>> = Mutex::default();
    let run = |walk: ignore::WalkParallel| {
        walk.visit(&mut EntryCollector {
            root,
            config,
            found: &found,
        })
    };
    run(walker(root, true));
    for walk in planning_folder_walks() {
        run(walk);
    }
    let entries: Vec<WalkEntry> = found
        .into_inner()
        .unwrap_or_else(|e| e.into_inner())
        .into_iter()
        .flatten()
        .collect();
    let listed: Vec<Option<Result<ListedFile, WalkProblem>>> = entries
        .into_par_iter()
        .map(|entry| {
            let (path, symlink) = match entry {
                Ok(file) => file,
                Err(problem) => return Some(Err(problem)),
            };
            let Some(rel) = relative_exact(root, &path) else {
                // A planning file whose name is not UTF-8 is reported and
                // left out, rather than loaded under a name that is not its
                // own (U+FFFD for its bad bytes) and pointed to by URIs
                // that name no file.
                let shown = relative(root, &path)?;
                classify(&shown, config)?;
                return Some(Err(WalkProblem {
                    path: shown,
                    message: NOT_UTF8_NAME.into(),
                }));
            };
            let kind = classify(&rel, config)?;
            if symlink {
                let inside = path
                    .canonicalize()
                    .is_ok_and(|target| target.starts_with(&canonical_root));
                if !inside {
                    return Some(Err(WalkProblem {
                        path: rel,
                        message: "is a symlink that leads out of the workspace; not followed"
                            .into(),
                    }));
                }
            }
            Some(Ok((rel, path, kind)))
        })
        .collect();
    for entry in listed.into_iter().flatten() {
        match entry {
            Ok(file) => files.push(file),
            Err(problem) => problems.push(problem),
        }
    }
    for path in left.lock().unwrap_or_else(|e| e.into_inner()).drain(..) {
        problems.push(WalkProblem {
            path: relative(root, &path).unwrap_or_else(|| path.display().to_string()),
            message: "is a symlink that leads out of the workspace; not followed".into(),
        });
    }
    // Each path is listed once: sorting by the relative path alone orders
    // the list as sorting the pairs did. The walks' threads met problems
    // in no set order: they are reported by path.
    files.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
    problems.sort_by(|a, b| (&a.path, &a.message).cmp(&(&b.path, &b.message)));
    (files, problems)
}

/// What a walk found: a file (its path, and whether it is a symlink), or a
/// problem to report.
type WalkEntry = Result<(PathBuf, bool), WalkProblem>;

/// Keeps what the walk's threads find, each thread in a list of its own
/// that joins the others when the thread's walk ends.
struct EntryCollector<'a> {
    root: &'a Path,
    config: &'a Config,
    found: &'a Mutex<Vec<Vec<WalkEntry>>>,
}

impl<'s> ignore::ParallelVisitorBuilder<'s> for EntryCollector<'s> {
    fn build(&mut self) -> Box<dyn ignore::ParallelVisitor + 's> {
        Box::new(ThreadEntries {
            root: self.root,
            config: self.config,
            found: self.found,
            entries: Vec::new(),
        })
    }
}

/// One walk thread's finds.
struct ThreadEntries<'a> {
    root: &'a Path,
    config: &'a Config,
    found: &'a Mutex<Vec<Vec<WalkEntry>>>,
    entries: Vec<WalkEntry>,
}

impl ignore::ParallelVisitor for ThreadEntries<'_> {
    fn visit(&mut self, entry: Result<ignore::DirEntry, ignore::Error>) -> ignore::WalkState {
        if let Some(found) = walk_entry(self.root, self.config, entry) {
            self.entries.push(found);
        }
        ignore::WalkState::Continue
    }
}

impl Drop for ThreadEntries<'_> {
    fn drop(&mut self) {
        let entries = std::mem::take(&mut self.entries);
        self.found
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(entries);
    }
}

/// A walked entry as the listing takes it: a file, a problem worth
/// reporting, or nothing (a folder, or a problem where no planning file
/// would be).
fn walk_entry(
    root: &Path,
    config: &Config,
    entry: Result<ignore::DirEntry, ignore::Error>,
) -> Option<WalkEntry> {
    match entry {
        Ok(entry) => {
            let is_file = entry.file_type().is_some_and(|t| t.is_file());
            let symlink = entry.path_is_symlink();
            is_file.then(|| Ok((entry.into_path(), symlink)))
        }
        Err(err) => {
            let full_path = error_path(&err);
            let path = full_path
                .as_ref()
                .map(|p| relative(root, p).unwrap_or_else(|| p.display().to_string()));
            // A symlink that leads nowhere matters only where a planning
            // file would be: a dangling link among the sources or the
            // editor settings is not planmark's to report.
            let message = match full_path.as_deref().and_then(dangling_symlink) {
                Some(_)
                    if path
                        .as_deref()
                        .is_none_or(|rel| classify(rel, config).is_none()) =>
                {
                    return None
                }
                Some(why) => why,
                None => clean_walk_error(&err),
            };
            Some(Err(WalkProblem {
                path: path.unwrap_or_default(),
                message,
            }))
        }
    }
}

/// Why the symlink at `path` cannot be followed, when it is one that
/// leads nowhere (its target is missing, or a chain of links never ends).
fn dangling_symlink(path: &Path) -> Option<String> {
    let is_link = path
        .symlink_metadata()
        .is_ok_and(|meta| meta.file_type().is_symlink());
    if !is_link {
        return None;
    }
    let err = std::fs::metadata(path).err()?;
    let target = std::fs::read_link(path)
        .map(|target| format!(" `{}`", target.display()))
        .unwrap_or_default();
    Some(match err.kind() {
        std::io::ErrorKind::NotFound => {
            format!("is a symlink to{target}, which does not exist; not followed")
        }
        _ => format!("is a symlink to{target} that cannot be followed ({err}); not followed"),
    })
}

fn error_path(err: &ignore::Error) -> Option<PathBuf> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        ignore::Error::Loop { child, .. } => Some(child.clone()),
        _ => None,
    }
}

fn clean_walk_error(err: &ignore::Error) -> String {
    match err {
        ignore::Error::WithPath { err, .. } | ignore::Error::WithDepth { err, .. } => {
            clean_walk_error(err)
        }
        ignore::Error::Loop { ancestor, .. } => format!(
            "is a symlink loop back to {}; not followed",
            ancestor.display()
        ),
        ignore::Error::Io(io) => format!("cannot be read: {io}"),
        other => other.to_string(),
    }
}

/// Reads and parses the `listed` planning files of `root` (as
/// [`list_planning_files_skipping`] lists them, each with its format) into
/// a new workspace, with the names its status folders hold besides them
/// (looked up beside the load). `on_added` hears how many files each batch
/// added.
pub fn load_listed(
    root: &Path,
    listed: Vec<ListedFile>,
    config: Config,
    errors: Vec<ConfigError>,
    taken: TakenNames,
    on_added: impl FnMut(usize) + Send,
) -> Workspace {
    let mut workspace = Workspace::new(config.clone(), errors);
    if taken == TakenNames::Skip {
        let sources: Vec<(String, FileKind, PathBuf)> = listed
            .into_iter()
            .map(|(rel, path, kind)| (rel, kind, path))
            .collect();
        workspace.load_classified(sources, |path| read::read_listed(&path), on_added);
        read::forget_folders();
        return workspace;
    }
    let reserved = std::thread::scope(|scope| {
        let reserved = scope.spawn(|| reserved_issue_names(root, &listed, &config));
        let sources: Vec<(String, FileKind, &Path)> = listed
            .iter()
            .map(|(rel, path, kind)| (rel.clone(), *kind, path.as_path()))
            .collect();
        workspace.load_classified(sources, read::read_listed, on_added);
        read::forget_folders();
        reserved.join().unwrap_or_default()
    });
    workspace.set_reserved_names(reserved);
    workspace
}

/// Whether a load also finds the names the status folders hold besides
/// the planning files (see [`reserved_issue_names`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TakenNames {
    /// Find them, so that a new issue never takes one: the language
    /// server and `planmark new` give new issues their numbers.
    Find,
    /// Leave them out: `planmark check` numbers nothing, and listing the
    /// status folders again took 85 ms of a core at 100,000 files.
    Skip,
}

/// Loads the whole workspace under `root`.
pub fn load_workspace(root: &Path) -> Loaded {
    load_workspace_with(root, TakenNames::Find, &|_| {})
}

/// Loads the whole workspace under `root`, calling `on_listed` with the
/// number of planning files once they are listed (to size a progress bar).
pub fn load_workspace_with(root: &Path, taken: TakenNames, on_listed: &dyn Fn(usize)) -> Loaded {
    let (mut config, errors, has_config) = read_config(root);
    let (files, walk_problems) = list_planning_files_settled(root, &mut config, &[]);
    on_listed(files.len());
    let workspace = load_listed(root, files, config, errors, taken, |_| {});
    Loaded {
        workspace,
        walk_problems,
        has_config,
    }
}

/// The names in the status folders of every issues folder that look like
/// issue files or folders (`swe-feature-017.md`, `swe-feature-018`) but are
/// not among the planning files listed: ignored, of another extension, or
/// folders. New issues must not be given their numbers.
fn reserved_issue_names(
    root: &Path,
    listed: &[ListedFile],
    config: &Config,
) -> std::collections::BTreeSet<String> {
    let listed_rels: std::collections::HashSet<&str> =
        listed.iter().map(|(rel, _, _)| rel.as_str()).collect();
    // The status folders of every issues folder a listed file sits in,
    // each folder taken once (not once per file).
    let mut issues_dirs: std::collections::BTreeSet<&str> = std::collections::BTreeSet::new();
    issues_dirs.insert("issues");
    for (rel, _, kind) in listed {
        let Some(issues_dir) = crate::analysis::actions::issues_dir_of(rel) else {
            continue;
        };
        if !issues_dirs.contains(issues_dir) && *kind == FileKind::Issue {
            issues_dirs.insert(issues_dir);
        }
    }
    let mut folders = std::collections::BTreeSet::new();
    for issues_dir in issues_dirs {
        for status in &config.status_folders {
            folders.insert(join_rel(issues_dir, status));
        }
    }
    let mut reserved = std::collections::BTreeSet::new();
    // A status folder holds as many entries as issues: each name is
    // looked at without a copy, and only an issue-like one is joined to
    // its folder to see whether it was listed.
    for folder in folders {
        let Ok(entries) = std::fs::read_dir(root.join(&folder)) else {
            continue;
        };
        for entry in entries.flatten() {
            let file_name = entry.file_name();
            let name = file_name.to_string_lossy();
            let stem = name.split_once('.').map_or(&*name, |(stem, _)| stem);
            if crate::analysis::ids::issue_parts(stem).is_none() {
                continue;
            }
            let rel = join_rel(&folder, &name);
            if !listed_rels.contains(rel.as_str()) {
                reserved.insert(rel);
            }
        }
    }
    reserved
}

fn join_rel(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_string()
    } else {
        format!("{dir}/{name}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A path under the root is its rest after the root, joined by `/`,
    /// whether the root's bytes start it or only its components do.
    #[test]
    fn a_path_is_made_relative_to_its_root() {
        let cases = [
            ("/r", "/r/a/b.md", Some("a/b.md")),
            ("/r/", "/r/a/b.md", Some("a/b.md")),
            ("/r", "/r/./a/b.md", Some("a/b.md")),
            ("/r", "/r//a.md", Some("a.md")),
            ("/r", "/r", Some("")),
            ("/r", "/rr/a.md", None),
            ("/r", "/other/a.md", None),
            ("r", "r/é 1/日本.md", Some("é 1/日本.md")),
        ];
        for (root, path, expected) in cases {
            let got = relative(Path::new(root), Path::new(path));
            assert_eq!(got.as_deref(), expected, "{root} {path}");
        }
    }

    /// A planning file whose name is not UTF-8 is reported and left out;
    /// a name with U+FFFD of its own is listed as it is; neither panics.
    #[cfg(unix)]
    #[test]
    fn a_planning_file_whose_name_is_not_utf8_is_reported_not_mangled() {
        use std::os::unix::ffi::OsStrExt;
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, "issues/backlog/swe-feature-001.md", "# One\n");
        write(
            root,
            "issues/backlog/swe-feature-002-\u{FFFD}.md",
            "# Two\n",
        );
        let latin1 = std::ffi::OsStr::from_bytes(b"swe-feature-003-caf\xE9.md");
        std::fs::write(root.join("issues/backlog").join(latin1), "# Three\n").unwrap();
        // Sources are no concern of planmark's, whatever their names.
        std::fs::write(root.join(std::ffi::OsStr::from_bytes(b"notes\xFF.txt")), "").unwrap();
        let (files, problems) = list_planning_files(root, &Config::default());
        let rels: Vec<&str> = files.iter().map(|(rel, _)| rel.as_str()).collect();
        assert_eq!(
            rels,
            [
                "issues/backlog/swe-feature-001.md",
                "issues/backlog/swe-feature-002-\u{FFFD}.md"
            ]
        );
        assert_eq!(
            problems,
            [WalkProblem {
                path: "issues/backlog/swe-feature-003-caf\u{FFFD}.md".into(),
                message: NOT_UTF8_NAME.into(),
            }]
        );
        let path = root.join("issues/backlog").join(latin1);
        assert_eq!(relative_exact(root, &path), None);
        assert!(relative(root, &path).is_some());
    }

    fn write(root: &Path, rel: &str, text: &str) {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    /// A restricted walk lists a path exactly when the full walk does:
    /// ignore files at every level (with negations), ignored folders and
    /// `.ignore` over `.gitignore` included.
    #[test]
    fn a_walk_within_agrees_with_the_full_walk() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, ".gitignore", "issues/done/\n*-wip.md\n");
        write(
            root,
            "issues/backlog/.gitignore",
            "!swe-feature-003-wip.md\n",
        );
        write(root, "issues/backlog/.ignore", "swe-feature-004.md\n");
        let rels = [
            "issues/backlog/swe-feature-001.md",
            "issues/backlog/swe-feature-002-wip.md",
            "issues/backlog/swe-feature-003-wip.md",
            "issues/backlog/swe-feature-004.md",
            "issues/done/swe-feature-005.md",
            "issues/planned/swe-feature-006-wip.md",
            "issues/planned/swe-feature-007.md",
        ];
        for rel in rels {
            write(root, rel, "# Title\n");
        }
        let config = Config::default();
        let (all, problems) = list_planning_files(root, &config);
        assert!(problems.is_empty(), "{problems:?}");
        let all: Vec<String> = all.into_iter().map(|(rel, _)| rel).collect();
        assert_eq!(
            all,
            [
                "issues/backlog/swe-feature-001.md",
                "issues/backlog/swe-feature-003-wip.md",
                "issues/planned/swe-feature-007.md",
            ]
        );
        for rel in rels {
            let (one, _) = list_planning_files_within(root, &config, &[root.join(rel)], &[]);
            let listed = one.iter().any(|(r, _)| r == rel);
            assert_eq!(listed, all.iter().any(|r| r == rel), "{rel}: {one:?}");
            assert!(one.len() <= 1, "only the file asked for: {one:?}");
        }
        // A folder stands for what is under it, and only that.
        let (under, _) =
            list_planning_files_within(root, &config, &[root.join("issues/backlog")], &[]);
        let under: Vec<&str> = under.iter().map(|(rel, _)| rel.as_str()).collect();
        assert_eq!(
            under,
            [
                "issues/backlog/swe-feature-001.md",
                "issues/backlog/swe-feature-003-wip.md"
            ]
        );
        let (ignored, _) =
            list_planning_files_within(root, &config, &[root.join("issues/done")], &[]);
        assert!(
            ignored.is_empty(),
            "an ignored folder lists nothing: {ignored:?}"
        );
    }

    /// The backlog folder that the root's `backlog.config.yml` names is
    /// read with the configuration, and the walk lists its files (even
    /// when `.gitignore` leaves the folder out, as it does `backlog/`);
    /// without the file, the folder is nobody's.
    #[test]
    fn the_backlog_folder_of_backlog_config_yml_is_listed() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, ".gitignore", "planning/\n");
        write(
            root,
            "backlog.config.yml",
            "project_name: Demo\nbacklog_directory: ./planning/\n",
        );
        write(
            root,
            "planning/tasks/task-1 - A.md",
            "---\nid: task-1\n---\n",
        );
        write(
            root,
            "planning/drafts/draft-1 - B.md",
            "---\nid: draft-1\n---\n",
        );
        write(root, "planning/notes.md", "# Notes\n");
        let listed = |config: &Config| -> Vec<String> {
            let (files, problems) = list_planning_files(root, config);
            assert!(problems.is_empty(), "{problems:?}");
            let mut rels: Vec<String> = files.into_iter().map(|(rel, _)| rel).collect();
            rels.sort();
            rels
        };
        let (config, errors, _) = read_config(root);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(config.backlog_folders, ["planning"]);
        assert_eq!(
            listed(&config),
            [
                "backlog.config.yml",
                "planning/drafts/draft-1 - B.md",
                "planning/tasks/task-1 - A.md",
            ]
        );
        std::fs::remove_file(root.join("backlog.config.yml")).unwrap();
        let (config, _, _) = read_config(root);
        assert!(config.backlog_folders.is_empty());
        assert!(listed(&config).is_empty());
    }

    /// The loader settles which backlog folder each Backlog.md project
    /// reads: a nested project's `backlog.config.yml` has the folder it
    /// names read (under the project's scope), and of a project's
    /// `backlog/` and `.backlog/` only the one Backlog.md prefers defines
    /// tasks (`.backlog/` here, as it holds the `config.yml`).
    #[test]
    fn the_loader_reads_the_backlog_folder_each_project_reads() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let task = |id: &str| format!("---\nid: {id}\ntitle: A\nstatus: To Do\n---\n");
        write(
            root,
            "apps/web/backlog.config.yml",
            "project_name: Web\nbacklog_directory: planning\n",
        );
        write(
            root,
            "apps/web/planning/tasks/task-1 - A.md",
            &task("task-1"),
        );
        write(root, "backlog/tasks/task-1 - A.md", &task("task-1"));
        write(root, ".backlog/config.yml", "project_name: Demo\n");
        write(root, ".backlog/tasks/task-1 - A.md", &task("task-1"));
        let loaded = load_workspace(root);
        let config = loaded.workspace.config();
        assert_eq!(config.backlog_folders, ["apps/web/planning"]);
        assert_eq!(config.unread_backlog_folders, ["backlog"]);
        let (file, _) = loaded
            .workspace
            .item("apps/web/task-1")
            .expect("the nested task");
        assert_eq!(&*file.rel, "apps/web/planning/tasks/task-1 - A.md");
        let (file, _) = loaded.workspace.item("task-1").expect("the root's task");
        assert_eq!(&*file.rel, ".backlog/tasks/task-1 - A.md");
    }
}
