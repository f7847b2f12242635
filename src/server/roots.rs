//! One workspace root as the main loop analyses it: its `Workspace`, its
//! `planmark.toml`, its indexing state and every file's diagnostics. The
//! methods here are synchronous; the main loop calls them on a blocking
//! thread.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use rayon::prelude::*;
use tower_lsp_server::ls_types::MessageType;

use crate::analysis::config::{Config, ConfigError, CONFIG_FILE_NAME};
use crate::analysis::impact::{self, FileChange, Held};
use crate::analysis::rules::{rule_names, Context};
use crate::analysis::shard_map::ShardMap;
use crate::analysis::workspace::{FileInput, Workspace};
use crate::server::convert::Encoding;
use crate::server::deferred::Deferred;
use crate::server::diagnostics::{self, FileDiagnostics};
use crate::server::indexing::{IndexJob, Indexed};
use crate::server::state::{DerivedCell, FileId, RootId};

/// Where a changed file's text comes from.
pub(crate) enum Source {
    /// An open document, at a version.
    Open { text: Arc<str>, version: i32 },
    /// The file on disk (it may have been deleted).
    Disk(PathBuf),
    /// A file the walk no longer lists: its folder was moved away or cannot
    /// be listed any more. It is dropped, as `planmark check` drops it.
    Gone,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RootPhase {
    /// Known, but indexing has not started (before `initialized`, or after
    /// a configuration change moved the planning folders).
    Waiting,
    Indexing,
    /// Indexed: the workspace holds every planning file.
    Ready,
}

/// Something to tell the user, collected on the blocking thread.
pub(crate) struct Message {
    pub(crate) typ: MessageType,
    pub(crate) text: String,
    /// Show it (`window/showMessage`), not only log it.
    pub(crate) show: bool,
}

impl Message {
    pub(crate) fn log(typ: MessageType, text: impl Into<String>) -> Message {
        Message {
            typ,
            text: text.into(),
            show: false,
        }
    }
}

/// What one pass over a root produced, besides its new state.
#[derive(Default)]
pub(crate) struct Outcome {
    /// Files whose diagnostics were recomputed.
    pub(crate) checked: BTreeSet<FileId>,
    /// Files whose diagnostics differ from before.
    pub(crate) changed: BTreeSet<FileId>,
    pub(crate) index_jobs: Vec<IndexJob>,
    pub(crate) messages: Vec<Message>,
    /// Some files were left for the next pass (see [`RootAnalysis::deferred`]).
    pub(crate) more: bool,
}

/// A re-check of more files than this checks the open documents first,
/// publishes, and leaves the rest to later passes, a slice each.
const DEFER_ABOVE: usize = 512;

/// How long a pass re-checks deferred files: an edit that comes in
/// meanwhile waits for it.
const SLICE_BUDGET: std::time::Duration = std::time::Duration::from_millis(6);

/// How many deferred files (whole shards) are checked at a time until the
/// budget is spent.
const SLICE_STEP: usize = 64;

/// Result IDs are unique across the server's life.
static NEXT_RESULT_ID: AtomicU64 = AtomicU64::new(1);

pub(crate) struct RootAnalysis {
    pub(crate) id: RootId,
    pub(crate) path: PathBuf,
    pub(crate) ws: Arc<Workspace>,
    pub(crate) ctx: Option<Arc<Context>>,
    pub(crate) phase: RootPhase,
    /// Identifies the current index run; results of older runs are dropped.
    generation: u64,
    pub(crate) index_runs: u32,
    /// Files changed while indexing; they are applied again over the index.
    pub(crate) touched: BTreeSet<String>,
    /// For open documents, the version whose text `ws` holds.
    pub(crate) versions: HashMap<String, i32>,
    /// The last `planmark.toml` text applied (`None` when there is none),
    /// once one has been.
    config_text: Option<Option<Arc<str>>>,
    /// Every file's diagnostics, `planmark.toml`'s included.
    pub(crate) diagnostics: ShardMap<String, FileDiagnostics>,
    /// The files whose findings hold something that a change elsewhere can
    /// undo (see [`Held`]): a change to the graph checks them again without
    /// going over every file's diagnostics.
    held: BTreeMap<String, Held>,
    /// Re-check every file in the next pass.
    recheck_all: bool,
    /// Files to re-check in later passes: a large re-check did the open
    /// documents first and left these.
    deferred: Deferred,
    /// The editing features' facts for the current `ws` and `ctx`, made by
    /// the first request that needs them; replaced by every re-check.
    pub(crate) derived: DerivedCell,
    /// The roots nested in this one: their files are theirs, never this
    /// root's.
    inner: Vec<PathBuf>,
    /// The root turned out to be one part of a project that is now a root
    /// of its own: it holds nothing and is never read again.
    pub(crate) hollow: bool,
}

impl RootAnalysis {
    /// A root with its configuration read from disk and no files yet.
    pub(crate) fn new(id: RootId, path: PathBuf, enc: Encoding, out: &mut Outcome) -> Self {
        let mut root = RootAnalysis {
            id,
            path,
            ws: Arc::new(Workspace::new(Config::default(), Vec::new())),
            ctx: None,
            phase: RootPhase::Waiting,
            generation: 0,
            index_runs: 0,
            touched: BTreeSet::new(),
            versions: HashMap::new(),
            config_text: None,
            diagnostics: ShardMap::new(),
            held: BTreeMap::new(),
            recheck_all: false,
            deferred: Deferred::default(),
            derived: DerivedCell::default(),
            inner: Vec::new(),
            hollow: false,
        };
        let text = root.read_config_from_disk(out);
        root.set_config_text(text, enc, out);
        root
    }

    pub(crate) fn file_id(&self, rel: &str) -> FileId {
        FileId {
            root: self.id,
            rel: rel.to_string(),
        }
    }

    pub(crate) fn config_path(&self) -> PathBuf {
        self.path.join(CONFIG_FILE_NAME)
    }

    fn read_config_from_disk(&self, out: &mut Outcome) -> Option<Arc<str>> {
        match std::fs::read_to_string(self.config_path()) {
            Ok(text) => Some(Arc::from(text)),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => None,
            Err(err) => {
                out.messages.push(Message::log(
                    MessageType::ERROR,
                    format!("cannot read {}: {err}", self.config_path().display()),
                ));
                None
            }
        }
    }

    /// Applies a new `planmark.toml` (from an open document, or `None` to
    /// read the disk). A file that is not valid TOML is reported and the
    /// last good configuration stays in force; otherwise every value that
    /// parsed applies, as in `planmark check`.
    pub(crate) fn set_config(&mut self, text: Option<Arc<str>>, enc: Encoding, out: &mut Outcome) {
        let text = match text {
            Some(text) => Some(text),
            None => self.read_config_from_disk(out),
        };
        self.set_config_text(text, enc, out);
        self.refresh_backlog_folders();
    }

    /// Reads again which backlog folders the root's Backlog.md projects
    /// read (as `planmark check` reads them with `planmark.toml`): when
    /// they changed, other files are Backlog.md's now, and the root is
    /// read again. The files on disk count, as for `planmark.toml`'s
    /// `[locations]`: an edit not saved yet moves no folder.
    pub(crate) fn refresh_backlog_folders(&mut self) {
        let mut config = self.ws.config().clone();
        let files = impact::all_files(&self.ws);
        if !crate::load::settle_backlog_layout(
            &self.path,
            &mut config,
            files.iter().map(String::as_str),
        ) {
            return;
        }
        let errors = self.ws.config_errors().to_vec();
        self.apply_config(config, errors);
    }

    fn set_config_text(&mut self, text: Option<Arc<str>>, enc: Encoding, out: &mut Outcome) {
        if self.config_text.as_ref() == Some(&text) {
            return;
        }
        self.config_text = Some(text.clone());
        let (mut config, errors) = match &text {
            Some(text) => Config::parse(text, &rule_names()),
            None => (Config::default(), Vec::new()),
        };
        let files = impact::all_files(&self.ws);
        crate::load::settle_backlog_layout(
            &self.path,
            &mut config,
            files.iter().map(String::as_str),
        );
        let broken = text
            .as_deref()
            .is_some_and(|t| t.parse::<toml::Table>().is_err());
        let items = diagnostics::config_diagnostics(text.as_deref().unwrap_or(""), &errors, enc);
        let checked = diagnostics::Checked {
            items,
            ..Default::default()
        };
        self.store(CONFIG_FILE_NAME, checked, out);
        if let Some(first) = errors.first() {
            let line = first
                .line
                .map(|l| format!(" (line {l})"))
                .unwrap_or_default();
            let more = match errors.len() {
                1 => String::new(),
                n => format!(" and {} more problem(s)", n - 1),
            };
            let kept = if broken {
                "; the last good configuration stays in force"
            } else {
                ""
            };
            out.messages.push(Message {
                typ: MessageType::ERROR,
                text: format!(
                    "{}: {first}{line}{more}{kept}",
                    self.config_path().display()
                ),
                show: true,
            });
        }
        if broken {
            // The quick fixes that edit planmark.toml must not work on the
            // last good text: with this one they offer nothing.
            Arc::make_mut(&mut self.ws).set_config_source(text);
            return;
        }
        self.apply_config(config, errors);
    }

    fn apply_config(&mut self, config: Config, errors: Vec<ConfigError>) {
        let old = self.ws.config();
        let same_places = old.issue_dirs == config.issue_dirs
            && old.story_dirs == config.story_dirs
            && old.status_folders == config.status_folders
            && old.backlog_folders == config.backlog_folders
            && old.unread_backlog_folders == config.unread_backlog_folders;
        let unchanged = *old == config && self.ws.config_errors() == errors.as_slice();
        Arc::make_mut(&mut self.ws).set_config(config, errors);
        if unchanged {
            return;
        }
        if !same_places && self.phase != RootPhase::Waiting {
            // Other files are planning files now: read the root again.
            self.phase = RootPhase::Waiting;
        }
        self.recheck_all = true;
    }

    /// Reads the root again from disk: the file watcher lost events, or an
    /// ignore file changed which files are planning files. A run already
    /// under way is dropped for a new one. Until the new index arrives the
    /// root holds what it held; files changed meanwhile are applied over
    /// the new index, as during the first one.
    pub(crate) fn rescan(&mut self) {
        if self.phase != RootPhase::Waiting {
            self.phase = RootPhase::Waiting;
        }
    }

    /// Starts indexing when the root is waiting for it.
    pub(crate) fn start_index(&mut self) -> Option<IndexJob> {
        if self.phase != RootPhase::Waiting || self.hollow {
            return None;
        }
        self.phase = RootPhase::Indexing;
        self.generation += 1;
        self.index_runs += 1;
        Some(IndexJob {
            root: self.id,
            generation: self.generation,
            path: self.path.clone(),
            config: self.ws.config().clone(),
            config_errors: self.ws.config_errors().to_vec(),
            skip: self.inner.clone(),
            first: self.index_runs == 1,
        })
    }

    /// Whether a file of this root lies in a nested root (and so is not
    /// this root's).
    fn in_inner(&self, rel: &str) -> bool {
        let path = self.path.join(rel);
        self.inner.iter().any(|inner| path.starts_with(inner))
    }

    /// Hands the folder of a root nested in this one over to it: its files
    /// leave this root (their diagnostics go with them) and are never read
    /// here again. An index under way starts over without them.
    pub(crate) fn add_inner(&mut self, inner: &Path) -> Vec<FileChange> {
        if inner == self.path
            || !inner.starts_with(&self.path)
            || self.inner.iter().any(|i| i == inner)
        {
            return Vec::new();
        }
        self.inner.push(inner.to_path_buf());
        if self.phase == RootPhase::Indexing {
            self.phase = RootPhase::Waiting;
        }
        let mut gone = impact::all_files(&self.ws);
        gone.extend(self.diagnostics.keys().cloned());
        gone.extend(self.touched.iter().cloned());
        gone.retain(|rel| rel != CONFIG_FILE_NAME && self.in_inner(rel));
        let mut changes = Vec::new();
        for rel in gone {
            self.touched.remove(&rel);
            self.versions.remove(&rel);
            self.deferred.remove(&rel);
            let before = self.ws.file(&rel).cloned();
            Arc::make_mut(&mut self.ws).remove_file(&rel);
            changes.push(FileChange::new(rel, before, None));
        }
        changes
    }

    /// Takes back the folder of a nested root that turned out hollow: its
    /// files are read now (or by the index under way, which starts over).
    pub(crate) fn remove_inner(&mut self, inner: &Path, out: &mut Outcome) -> Vec<FileChange> {
        let Some(at) = self.inner.iter().position(|i| i == inner) else {
            return Vec::new();
        };
        self.inner.remove(at);
        match self.phase {
            RootPhase::Waiting => Vec::new(),
            RootPhase::Indexing => {
                self.phase = RootPhase::Waiting;
                Vec::new()
            }
            RootPhase::Ready => {
                let Some(rel) = crate::load::relative_exact(&self.path, inner) else {
                    return Vec::new();
                };
                self.apply_files(vec![(rel, Source::Disk(inner.to_path_buf()))], out)
            }
        }
    }

    /// Drops everything: the client removed the folder from the workspace.
    /// Every finding is withdrawn, an index under way is dropped when it
    /// comes, and the root is never read again.
    pub(crate) fn close(&mut self, out: &mut Outcome) {
        self.hollow = true;
        // Nothing more to read: requests need not wait for it, and an index
        // under way is no longer current.
        self.phase = RootPhase::Ready;
        let findings: Vec<String> = self.diagnostics.keys().cloned().collect();
        for rel in findings {
            self.forget(&rel, out);
        }
        let config = self.ws.config().clone();
        self.ws = Arc::new(Workspace::new(config, Vec::new()));
        self.ctx = None;
        self.derived = DerivedCell::default();
        self.touched.clear();
        self.versions.clear();
        self.held.clear();
        self.deferred = Deferred::default();
        self.recheck_all = false;
    }

    /// Whether an index result belongs to the current run.
    pub(crate) fn is_current(&self, indexed: &Indexed) -> bool {
        self.phase == RootPhase::Indexing && indexed.generation == self.generation
    }

    /// Replaces the workspace with a finished index, then applies `files`
    /// (those changed while indexing and the open documents) over it.
    pub(crate) fn merge_index(
        &mut self,
        indexed: Indexed,
        files: Vec<(String, Source)>,
        out: &mut Outcome,
    ) -> Vec<FileChange> {
        self.ws = Arc::new(indexed.ws);
        // A root nested in this one may have come while it was read.
        let taken: Vec<String> = impact::all_files(&self.ws)
            .into_iter()
            .filter(|rel| self.in_inner(rel))
            .collect();
        for rel in taken {
            Arc::make_mut(&mut self.ws).remove_file(&rel);
        }
        self.phase = RootPhase::Ready;
        self.touched.clear();
        self.versions.clear();
        self.recheck_all = true;
        self.apply_files(files, out)
    }

    /// Applies new texts, reading from disk what is not open. Reads nothing
    /// else and re-parses only these files.
    pub(crate) fn apply_files(
        &mut self,
        files: Vec<(String, Source)>,
        out: &mut Outcome,
    ) -> Vec<FileChange> {
        let mut changes = Vec::new();
        let files: Vec<(String, Source)> = files
            .into_iter()
            .filter(|(rel, _)| !self.in_inner(rel))
            .collect();
        for (rel, source) in self.expand_folders(files, out) {
            let before = self.ws.file(&rel).cloned();
            let was_unreadable = self.ws.unreadable().contains_key(&rel);
            let was_not_utf8 = self.ws.invalid_utf8(&rel);
            let version = match &source {
                Source::Open { version, .. } => Some(*version),
                Source::Disk(_) | Source::Gone => None,
            };
            let ws = Arc::make_mut(&mut self.ws);
            let applied = std::panic::catch_unwind(AssertUnwindSafe(|| match source {
                Source::Open { text, .. } => {
                    ws.set_file(&rel, text);
                }
                Source::Gone => ws.remove_file(&rel),
                Source::Disk(path) => match read_disk(&path) {
                    None => ws.remove_file(&rel),
                    Some(FileInput::Text(text)) => {
                        ws.set_file(&rel, text);
                    }
                    Some(FileInput::NotUtf8 { text, bad }) => {
                        ws.set_file_not_utf8(&rel, text, bad);
                    }
                    Some(FileInput::Unreadable(reason)) => {
                        if ws.classify(&rel).is_some() {
                            ws.set_unreadable(&rel, reason);
                        }
                    }
                },
            }));
            if let Err(panic) = applied {
                out.messages.push(Message::log(
                    MessageType::ERROR,
                    format!(
                        "parsing `{rel}` failed: {}",
                        diagnostics::panic_message(&*panic)
                    ),
                ));
                continue;
            }
            match version {
                Some(v) => self.versions.insert(rel.clone(), v),
                None => self.versions.remove(&rel),
            };
            if self.phase != RootPhase::Ready {
                self.touched.insert(rel.clone());
            }
            let after = self.ws.file(&rel);
            let same = match (&before, after) {
                (Some(a), Some(b)) => Arc::ptr_eq(a, b),
                (None, None) => true,
                _ => false,
            };
            if same
                && was_unreadable == self.ws.unreadable().contains_key(&rel)
                && was_not_utf8 == self.ws.invalid_utf8(&rel)
            {
                continue;
            }
            changes.push(FileChange::new(rel, before, after.cloned()));
        }
        changes
    }

    /// Decides what each changed path stands for, as the first index (and
    /// `planmark check`) would see it now. A file already known is read
    /// again. A new file counts only when the walk lists it: not excluded
    /// by an ignore file, not a symlink out of the root, in a folder that
    /// can be listed. A folder created, moved, deleted or made unreadable
    /// may arrive as one path: it stands for the planning files under it,
    /// those known before (dropped when the walk no longer lists them) and
    /// those listed now (open documents keep their text). All of them are
    /// listed in one walk, which enters only the folders leading to them.
    fn expand_folders(
        &self,
        files: Vec<(String, Source)>,
        out: &mut Outcome,
    ) -> Vec<(String, Source)> {
        let known =
            |rel: &str| self.ws.file(rel).is_some() || self.ws.unreadable().contains_key(rel);
        // Paths to look up in the walk: new files, then folders.
        let mut new_files = Vec::new();
        let mut folders = Vec::new();
        let mut expanded = Vec::new();
        for (rel, source) in files {
            let Source::Disk(path) = &source else {
                expanded.push((rel, source));
                continue;
            };
            if rel.is_empty() || (self.ws.classify(&rel).is_some() && known(&rel)) {
                expanded.push((rel, source));
            } else if self.ws.classify(&rel).is_some() {
                new_files.push((rel, path.clone()));
            } else {
                folders.push((rel, path.clone()));
            }
        }
        if new_files.is_empty() && folders.is_empty() {
            return expanded;
        }
        let targets: Vec<PathBuf> = new_files
            .iter()
            .filter(|(_, path)| std::fs::symlink_metadata(path).is_ok())
            .chain(folders.iter().filter(|(_, path)| path.is_dir()))
            .map(|(_, path)| path.clone())
            .collect();
        let (listed, problems) = crate::load::list_planning_files_within(
            &self.path,
            self.ws.config(),
            &targets,
            &self.inner,
        );
        // Only the problems about what was asked for: the walk also meets
        // the neighbours of the folders it passes through.
        let concerned = |problem: &crate::load::WalkProblem| {
            let path = self.path.join(&problem.path);
            targets
                .iter()
                .any(|t| path.starts_with(t) || t.starts_with(&path))
        };
        for problem in problems.into_iter().filter(concerned) {
            out.messages.push(Message::log(
                MessageType::WARNING,
                format!(
                    "{}: {}",
                    self.path.join(&problem.path).display(),
                    problem.message
                ),
            ));
        }
        let listed: BTreeSet<String> = listed.into_iter().map(|(rel, _)| rel).collect();
        for (rel, path) in new_files {
            if listed.contains(&rel) {
                expanded.push((rel, Source::Disk(path)));
            }
        }
        if folders.is_empty() {
            return expanded;
        }
        let all = impact::all_files(&self.ws);
        for (rel, source_path) in folders {
            let prefix = format!("{rel}/");
            let mut under: BTreeSet<String> = all
                .range(prefix.clone()..)
                .take_while(|known| known.starts_with(&prefix))
                .cloned()
                .collect();
            under.extend(
                listed
                    .range(prefix.clone()..)
                    .take_while(|listed| listed.starts_with(&prefix))
                    .cloned(),
            );
            if under.is_empty() {
                expanded.push((rel, Source::Disk(source_path)));
            }
            for rel in under {
                if self.versions.contains_key(&rel) {
                    continue;
                }
                let source = if listed.contains(&rel) {
                    Source::Disk(self.path.join(&rel))
                } else {
                    Source::Gone
                };
                expanded.push((rel, source));
            }
        }
        expanded
    }

    /// Recomputes the workspace-wide facts once, then the diagnostics of
    /// the files `changes` can affect (or of every file after a
    /// configuration change or a new index). When they are more than
    /// [`DEFER_ABOVE`], the `open` ones are checked now and the rest are
    /// deferred: a pass with `resume` set checks them for about
    /// [`SLICE_BUDGET`], a slice of whole shards at a time, so the
    /// documents in front of the user get their diagnostics first and an
    /// edit never waits long for a pass.
    pub(crate) fn recheck(
        &mut self,
        changes: &[FileChange],
        open: &BTreeSet<String>,
        resume: bool,
        enc: Encoding,
        out: &mut Outcome,
    ) {
        if changes.is_empty() && !self.recheck_all && self.deferred.is_empty() {
            return;
        }
        // Whatever happens below, `ws` has changed since the last cell: the
        // next one starts from it, unless everything is checked again (the
        // configuration or the whole tree changed).
        self.derived = if self.recheck_all {
            DerivedCell::default()
        } else if changes.is_empty() {
            // A pass that only re-checks deferred files: `ws` is the same.
            self.derived.clone()
        } else {
            self.derived.next(changes)
        };
        let previous = self.ctx.as_ref().filter(|_| !self.recheck_all);
        let timer = std::time::Instant::now();
        let computed = std::panic::catch_unwind(AssertUnwindSafe(|| {
            impact::updated_context(&self.ws, previous, changes)
        }));
        let context_time = timer.elapsed();
        let ctx = match computed {
            Ok(ctx) => ctx,
            Err(panic) => {
                out.messages.push(Message::log(
                    MessageType::ERROR,
                    format!(
                        "analysing {} failed: {}",
                        self.path.display(),
                        diagnostics::panic_message(&*panic)
                    ),
                ));
                return;
            }
        };
        let targeted = if self.recheck_all {
            None
        } else {
            impact::affected(
                &self.ws,
                &ctx,
                changes,
                self.held.iter().map(|(rel, held)| (rel.as_str(), *held)),
            )
        };
        self.recheck_all = false;
        let mut files = match targeted {
            Some(files) => files,
            None => {
                let mut all = impact::all_files(&self.ws);
                all.extend(self.diagnostics.keys().cloned());
                all
            }
        };
        files.remove(CONFIG_FILE_NAME);
        // A large re-check goes in slices: the open documents first (when
        // an edit touched one, they alone), then whole shards of the rest
        // for about [`SLICE_BUDGET`] per pass.
        let slicing = files.len() + self.deferred.len() > DEFER_ABOVE;
        let mut open_only = false;
        if slicing {
            let (now, later): (Vec<String>, Vec<String>) =
                files.into_iter().partition(|f| open.contains(f));
            self.deferred.extend(later);
            open_only = !now.is_empty();
            files = now.into_iter().collect();
        } else {
            files.append(&mut self.deferred.take_slice(usize::MAX));
        }
        let ws = &*self.ws;
        let indexed = self.phase == RootPhase::Ready;
        let root = self.path.as_path();
        let check = |files: BTreeSet<String>| -> Vec<(String, Option<Result<diagnostics::Checked, String>>)> {
            files
                .into_par_iter()
                .map(|rel| {
                    let exists = ws.file(&rel).is_some() || ws.unreadable().contains_key(&rel);
                    let result =
                        exists.then(|| diagnostics::check(ws, &ctx, root, &rel, indexed, enc));
                    (rel, result)
                })
                .collect()
        };
        let timer = std::time::Instant::now();
        let mut results = check(files);
        if slicing && !open_only && resume {
            while timer.elapsed() < SLICE_BUDGET && !self.deferred.is_empty() {
                results.extend(check(self.deferred.take_slice(SLICE_STEP)));
            }
        }
        out.more |= !self.deferred.is_empty();
        let check_time = timer.elapsed();
        tracing::debug!(
            "{}: context in {} ms, {} file(s) checked in {} ms, {} left",
            self.path.display(),
            context_time.as_millis(),
            results.len(),
            check_time.as_millis(),
            self.deferred.len()
        );
        for (rel, result) in results {
            match result {
                None => self.forget(&rel, out),
                Some(Ok(checked)) => self.store(&rel, checked, out),
                Some(Err(message)) => {
                    out.messages.push(Message::log(MessageType::ERROR, message));
                    self.store(&rel, diagnostics::Checked::default(), out);
                }
            }
        }
        self.ctx = Some(ctx);
    }

    fn store(&mut self, rel: &str, checked: diagnostics::Checked, out: &mut Outcome) {
        let file = self.file_id(rel);
        out.checked.insert(file.clone());
        if checked.held == Held::default() {
            self.held.remove(rel);
        } else if self.held.get(rel) != Some(&checked.held) {
            self.held.insert(rel.to_string(), checked.held);
        }
        // The same findings leave the map (and the snapshot sharing it)
        // untouched: changing it copies a shard.
        // Most files have nothing to report: they have no entry, and a
        // client asking about one is told it has none.
        let unchanged = match self.diagnostics.get(rel) {
            Some(old) => *old.items == *checked.items,
            None => checked.items.is_empty(),
        };
        if unchanged {
            return;
        }
        if checked.items.is_empty() {
            self.diagnostics.remove(rel);
        } else {
            self.diagnostics.insert(
                rel.to_string(),
                FileDiagnostics {
                    items: Arc::from(checked.items),
                    result_id: NEXT_RESULT_ID.fetch_add(1, Ordering::Relaxed),
                },
            );
        }
        out.changed.insert(file);
    }

    /// Drops a file that no longer exists or is no longer a planning file.
    fn forget(&mut self, rel: &str, out: &mut Outcome) {
        let file = self.file_id(rel);
        out.checked.insert(file.clone());
        self.held.remove(rel);
        if self.diagnostics.remove(rel).is_some() {
            out.changed.insert(file);
        }
    }
}

/// A file's content, or `None` when it no longer exists.
fn read_disk(path: &Path) -> Option<FileInput> {
    match std::fs::metadata(path) {
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => None,
        Ok(meta) if meta.is_dir() => None,
        _ => Some(crate::load::read_input(path)),
    }
}
