//! The server's shared state: open documents, workspace roots, settings and
//! the changes waiting for the main loop (all behind one mutex that is never
//! held across an `.await`), plus the latest immutable [`Snapshot`] that
//! requests read without waiting for analysis.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, RwLock};

use ropey::Rope;
use tokio::sync::{mpsc, oneshot};
use tower_lsp_server::ls_types::{MessageType, Uri};
use tower_lsp_server::Client;

use crate::analysis::config::CONFIG_FILE_NAME;
use crate::analysis::features::{Derived, FileVersions};
use crate::analysis::impact::FileChange;
use crate::analysis::rules::Context;
use crate::analysis::shard_map::ShardMap;
use crate::analysis::workspace::{SourceFile, Workspace};
use crate::server::capabilities::ClientCaps;
use crate::server::convert::{self, Encoding};
use crate::server::diagnostics::FileDiagnostics;
use crate::server::main_loop::Event;
use crate::server::settings::Settings;

/// Index of a workspace root in [`State::roots`]; roots are never removed,
/// so an ID stays valid.
pub(crate) type RootId = usize;

/// A file inside a root, by its path relative to the root.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct FileId {
    pub(crate) root: RootId,
    pub(crate) rel: String,
}

impl FileId {
    pub(crate) fn is_config(&self) -> bool {
        self.rel == CONFIG_FILE_NAME
    }
}

/// A document open in the editor. Its text overrides the file on disk.
pub(crate) struct Document {
    pub(crate) uri: Uri,
    pub(crate) version: i32,
    pub(crate) rope: Rope,
    /// The rope as a string, made once per version when analysis needs it.
    text: Option<Arc<str>>,
    /// Where the document sits, when it is a file inside a root.
    pub(crate) file: Option<FileId>,
}

impl Document {
    pub(crate) fn new(uri: Uri, version: i32, text: &str, file: Option<FileId>) -> Document {
        Document {
            uri,
            version,
            rope: Rope::from_str(text),
            text: None,
            file,
        }
    }

    pub(crate) fn text(&mut self) -> Arc<str> {
        self.text
            .get_or_insert_with(|| Arc::from(self.rope.to_string()))
            .clone()
    }

    /// Call after every change to the rope.
    pub(crate) fn edited(&mut self, version: i32) {
        self.version = version;
        self.text = None;
    }
}

/// Changes the main loop has not applied yet.
#[derive(Default)]
pub(crate) struct Pending {
    /// Files whose text changed (in the editor or on disk).
    pub(crate) files: BTreeSet<FileId>,
    /// Roots whose `planmark.toml` changed.
    pub(crate) configs: BTreeSet<RootId>,
    /// Roots added since the last pass.
    pub(crate) roots: Vec<RootId>,
    /// Roots whose folder left the workspace since the last pass.
    pub(crate) removed_roots: Vec<RootId>,
    /// Roots to read again from disk, each with why (logged at that level
    /// when the pass applies it).
    pub(crate) rescans: BTreeMap<RootId, (MessageType, String)>,
    /// The settings changed.
    pub(crate) settings: bool,
    /// Files opened or closed: whether their diagnostics are shown may
    /// change even when their text does not.
    pub(crate) visibility: BTreeSet<FileId>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Phase {
    Uninitialized,
    Running,
    ShutDown,
}

pub(crate) struct State {
    pub(crate) phase: Phase,
    pub(crate) caps: ClientCaps,
    pub(crate) encoding: Encoding,
    pub(crate) settings: Settings,
    /// Bumped by every settings fetch, so a late answer cannot overwrite a
    /// newer one.
    pub(crate) settings_seq: u64,
    /// Workspace roots, in the order they became known.
    pub(crate) roots: Vec<PathBuf>,
    /// Roots that turned out to be one part of a project, which became a
    /// root of its own: they hold no files (see [`State::hollow_out`]).
    pub(crate) hollow: BTreeSet<RootId>,
    /// Hollow roots whose folder the client removed from the workspace: a
    /// folder added again becomes a new root.
    pub(crate) removed: BTreeSet<RootId>,
    /// Roots the client named as workspace folders (in `initialize` or
    /// added later), as opposed to projects read on their behalf or for an
    /// opened file.
    pub(crate) folders: BTreeSet<RootId>,
    /// Each hollow root and the project root read in its place.
    pub(crate) read_for: BTreeMap<RootId, RootId>,
    pub(crate) docs: HashMap<Uri, Document>,
    pub(crate) pending: Pending,
    /// The `notify` watcher, when the client cannot watch files for us.
    pub(crate) watcher: Option<notify::RecommendedWatcher>,
    /// What feeds the `notify` watcher's events to the server (for the
    /// test hook that simulates an overflow).
    pub(crate) watch_feed: Option<crate::server::watch::Feed>,
}

impl State {
    fn new() -> State {
        State {
            phase: Phase::Uninitialized,
            caps: ClientCaps::default(),
            encoding: Encoding::default(),
            settings: Settings::default(),
            settings_seq: 0,
            roots: Vec::new(),
            hollow: BTreeSet::new(),
            removed: BTreeSet::new(),
            folders: BTreeSet::new(),
            read_for: BTreeMap::new(),
            docs: HashMap::new(),
            pending: Pending::default(),
            watcher: None,
            watch_feed: None,
        }
    }

    /// The file a path names, in the innermost root that holds it.
    pub(crate) fn locate(&self, path: &Path) -> Option<FileId> {
        let roots = self.roots.iter().enumerate();
        let whole = roots.filter(|(id, _)| !self.hollow.contains(id));
        locate(whole.map(|(id, root)| (id, root.as_path())), path)
    }

    /// Adds a root (once) and queues it for indexing. Open documents that
    /// lie in it move to it: from an outer root (the main loop makes the
    /// outer root drop its files), or from no root at all.
    pub(crate) fn add_root(&mut self, path: PathBuf) -> RootId {
        let known = self.roots.iter().enumerate();
        if let Some((id, _)) = known
            .filter(|(id, _)| !self.removed.contains(id))
            .find(|(_, r)| **r == path)
        {
            return id;
        }
        self.roots.push(path);
        let id = self.roots.len() - 1;
        self.pending.roots.push(id);
        if let Some(watcher) = &mut self.watcher {
            crate::server::watch::watch_root(watcher, &self.roots[id]);
        }
        self.move_documents_to(id);
        id
    }

    /// Makes `hollow` a root that holds nothing, for `project`, the project
    /// it is one part of, which becomes a root (or already is one) and
    /// takes its open documents. The main loop hands the folder back to
    /// any root it was nested in.
    pub(crate) fn hollow_out(&mut self, hollow: RootId, project: PathBuf) {
        self.hollow.insert(hollow);
        let id = self.add_root(project);
        self.read_for.insert(hollow, id);
        self.move_documents_to(id);
    }

    /// Adds a workspace folder the client named (see [`State::add_root`]).
    pub(crate) fn add_folder(&mut self, path: PathBuf) -> RootId {
        let id = self.add_root(path);
        self.folders.insert(id);
        id
    }

    /// Stops reading a workspace folder the client removed: the root holds
    /// nothing from the next pass on (its findings are withdrawn), a root
    /// it was nested in takes its folder back, and its open documents move
    /// to the root that now holds them, if any.
    ///
    /// A folder that was one part of a project (hollow) takes the project
    /// with it, unless the project is a workspace folder itself, another
    /// folder was read through it too, or a document open in the editor
    /// lies in it.
    pub(crate) fn remove_root(&mut self, path: &Path) {
        let known = self.roots.iter().enumerate();
        let Some((id, _)) = known
            .filter(|(id, _)| !self.removed.contains(id))
            .find(|(_, r)| r.as_path() == path)
        else {
            return;
        };
        self.folders.remove(&id);
        if !self.hollow.contains(&id) {
            self.close_root(id);
            return;
        }
        self.removed.insert(id);
        let Some(project) = self.read_for.remove(&id) else {
            return;
        };
        let still_wanted = self.folders.contains(&project)
            || self.removed.contains(&project)
            || self.read_for.values().any(|&other| other == project)
            || (self.docs.values()).any(|doc| doc.file.as_ref().is_some_and(|f| f.root == project));
        if !still_wanted {
            self.close_root(project);
        }
    }

    /// Closes root `id`, which holds files: see [`State::remove_root`].
    fn close_root(&mut self, id: RootId) {
        self.hollow.insert(id);
        self.removed.insert(id);
        self.pending.removed_roots.push(id);
        let orphans: Vec<Uri> = self
            .docs
            .values()
            .filter(|doc| doc.file.as_ref().is_some_and(|f| f.root == id))
            .map(|doc| doc.uri.clone())
            .collect();
        for uri in orphans {
            let file = convert::uri_to_path(&uri).and_then(|path| self.locate(&path));
            let Some(doc) = self.docs.get_mut(&uri) else {
                continue;
            };
            if let Some(old) = std::mem::replace(&mut doc.file, file.clone()) {
                self.pending.visibility.insert(old);
            }
            if let Some(file) = file {
                self.pending.visibility.insert(file.clone());
                self.file_changed(file);
            }
        }
    }

    /// Moves the open documents that now lie in root `id` to it.
    fn move_documents_to(&mut self, id: RootId) {
        let moved: Vec<(Uri, FileId)> = self
            .docs
            .values()
            .filter_map(|doc| {
                let file = self.locate(&convert::uri_to_path(&doc.uri)?)?;
                (file.root == id && doc.file.as_ref() != Some(&file))
                    .then(|| (doc.uri.clone(), file))
            })
            .collect();
        for (uri, file) in moved {
            if let Some(doc) = self.docs.get_mut(&uri) {
                if let Some(old) = doc.file.replace(file.clone()) {
                    self.pending.visibility.insert(old);
                }
            }
            self.pending.visibility.insert(file.clone());
            self.file_changed(file);
        }
    }

    /// The file a document at `path` belongs to, in the innermost root
    /// that holds it; `None` for a lone file (see
    /// [`crate::discover::project_of_file`]), which is served alone. A
    /// file outside every root brings its project as a new root; a file
    /// of a project nested in a root (one with its own `planmark.toml`)
    /// brings that project as an inner root.
    pub(crate) fn locate_or_add_root(&mut self, path: &Path) -> Option<FileId> {
        if let Some(file) = self.locate(path) {
            let outer = &self.roots[file.root];
            let Some(inner) = crate::discover::nested_project(outer, path) else {
                return Some(file);
            };
            let id = self.add_root(inner);
            return self.locate(path).filter(|f| f.root == id);
        }
        let root = crate::discover::project_of_file(path)?;
        let id = self.add_root(root);
        self.locate(path).filter(|f| f.root == id)
    }

    /// Queues a file whose text changed.
    pub(crate) fn file_changed(&mut self, file: FileId) {
        if file.is_config() {
            self.pending.configs.insert(file.root);
        } else {
            // A project's `backlog.config.yml` may name another backlog
            // folder, and a backlog folder's `config.yml` may make it the
            // one Backlog.md prefers: the configuration is read again.
            if crate::analysis::dialect::backlog::decides_layout(&file.rel) {
                self.pending.configs.insert(file.root);
            }
            self.pending.files.insert(file);
        }
    }

    /// Queues a path that changed on disk, if it lies in a root. A changed
    /// ignore file (`.gitignore`, `.ignore`) may change which files are
    /// planning files anywhere below it: the root is read again. Returns
    /// the warning to log for a planning file in a root whose name is not
    /// UTF-8, which is not read (as the walk that lists the root reports).
    #[must_use]
    pub(crate) fn path_changed(&mut self, path: &Path) -> Option<String> {
        let Some(file) = self.locate(path) else {
            return self.skipped_for_its_name(path);
        };
        // Folders `load` never enters, below the root.
        if crate::server::watch::in_skipped_folder(Path::new(&file.rel)) {
            return None;
        }
        if crate::server::watch::is_ignore_file(path) {
            let reason = format!("{} changed", path.display());
            self.rescan(file.root, MessageType::INFO, reason);
            return None;
        }
        self.file_changed(file);
        None
    }

    /// The warning for a file at `path` with a planning extension, in a
    /// root, whose name below the root is not UTF-8; `None` for any other
    /// path, and for one that no longer exists.
    fn skipped_for_its_name(&self, path: &Path) -> Option<String> {
        let in_root = self
            .roots
            .iter()
            .enumerate()
            .filter(|(id, _)| !self.hollow.contains(id))
            .any(|(_, root)| {
                path.starts_with(root)
                    && crate::load::relative_exact(root, path).is_none()
                    && crate::load::relative(root, path).is_some_and(|shown| {
                        !crate::server::watch::in_skipped_folder(Path::new(&shown))
                    })
            });
        let planning = path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
            crate::analysis::parse::PLANNING_EXTENSIONS
                .iter()
                .any(|p| e.eq_ignore_ascii_case(p))
        });
        (in_root && planning && path.is_file()).then(|| {
            format!(
                "{}: has a name that is not UTF-8; skipped (rename it to check it)",
                path.display()
            )
        })
    }

    /// Queues a root to be read again from disk; the first reason given
    /// before the next pass is the one logged.
    pub(crate) fn rescan(&mut self, root: RootId, typ: MessageType, reason: String) {
        self.pending.rescans.entry(root).or_insert((typ, reason));
    }
}

/// The innermost of `roots` that holds `path`, and the path relative to it;
/// `None` for a path whose rest after the root is not UTF-8 (see
/// [`crate::load::relative_exact`]): no file is known by such a name.
pub(crate) fn locate<'a>(
    roots: impl Iterator<Item = (RootId, &'a Path)>,
    path: &Path,
) -> Option<FileId> {
    roots
        .filter(|(_, root)| path.starts_with(root) && path != *root)
        .max_by_key(|(_, root)| root.components().count())
        .and_then(|(id, root)| {
            let rel = crate::load::relative_exact(root, path)?;
            Some(FileId { root: id, rel })
        })
}

/// What every part of the server shares.
pub(crate) struct Shared {
    pub(crate) client: Client,
    state: Mutex<State>,
    events: mpsc::UnboundedSender<Event>,
    snapshot: RwLock<Arc<Snapshot>>,
    /// Counts the snapshots made, so requests can wait for the next one.
    snapshot_count: tokio::sync::watch::Sender<u64>,
    pub(crate) runtime: tokio::runtime::Handle,
    /// A `shutdown` request was received (the exit code depends on it).
    pub(crate) shutdown_requested: AtomicBool,
    /// `PLANMARK_TEST_HOOKS=1`: extra requests that tests use to misbehave.
    pub(crate) test_hooks: bool,
    /// With the test hooks, `PLANMARK_TEST_INDEX_DELAY_MS` slows indexing
    /// down so tests can act while it runs.
    pub(crate) test_index_delay: Option<std::time::Duration>,
}

impl Shared {
    pub(crate) fn new(
        client: Client,
        events: mpsc::UnboundedSender<Event>,
        runtime: tokio::runtime::Handle,
    ) -> Shared {
        let test_hooks = std::env::var("PLANMARK_TEST_HOOKS").is_ok_and(|v| v == "1");
        Shared {
            client,
            state: Mutex::new(State::new()),
            events,
            snapshot: RwLock::new(Arc::new(Snapshot::default())),
            snapshot_count: tokio::sync::watch::Sender::new(0),
            runtime,
            shutdown_requested: AtomicBool::new(false),
            test_hooks,
            test_index_delay: std::env::var("PLANMARK_TEST_INDEX_DELAY_MS")
                .ok()
                .and_then(|ms| ms.parse().ok())
                .filter(|_| test_hooks)
                .map(std::time::Duration::from_millis),
        }
    }

    /// Locks the state. Callers must drop the guard before any `.await`; a
    /// panic that poisoned the lock does not stop the server.
    pub(crate) fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(crate) fn send(&self, event: Event) {
        // The main loop ends only when the server stops.
        let _ = self.events.send(event);
    }

    /// Tells the main loop that `State::pending` has news.
    pub(crate) fn wake(&self) {
        self.send(Event::Changed);
    }

    /// The latest analysed state. It may lag behind the last edits by one
    /// debounce interval; use [`Shared::fresh_snapshot`] when that matters.
    pub(crate) fn snapshot(&self) -> Arc<Snapshot> {
        self.snapshot
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    pub(crate) fn set_snapshot(&self, snapshot: Snapshot) {
        *self.snapshot.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(snapshot);
        self.snapshot_count.send_modify(|count| *count += 1);
    }

    /// A fresh snapshot in which every root has finished its first index,
    /// waiting up to `limit`; `Err` after it.
    pub(crate) async fn all_indexed_snapshot(
        &self,
        limit: std::time::Duration,
    ) -> Result<Arc<Snapshot>, Arc<Snapshot>> {
        self.snapshot_when(limit, Snapshot::all_indexed).await
    }

    /// A fresh snapshot in which the root holding `uri` has finished its
    /// first index, waiting up to `limit` for it. `Err` holds the latest
    /// snapshot when the limit passed first. A URI outside every root needs
    /// no index.
    pub(crate) async fn indexed_snapshot(
        &self,
        uri: &Uri,
        limit: std::time::Duration,
    ) -> Result<Arc<Snapshot>, Arc<Snapshot>> {
        self.snapshot_when(limit, |snapshot| snapshot.is_indexed(uri))
            .await
    }

    /// A snapshot with every change applied for which `ready` holds,
    /// waiting up to `limit` for the main loop to make one; `Err` holds the
    /// latest snapshot after it.
    async fn snapshot_when(
        &self,
        limit: std::time::Duration,
        ready: impl Fn(&Snapshot) -> bool,
    ) -> Result<Arc<Snapshot>, Arc<Snapshot>> {
        let deadline = tokio::time::Instant::now() + limit;
        // Subscribing before looking means no new snapshot can be missed.
        let mut counts = self.snapshot_count.subscribe();
        let snapshot = self.applied_snapshot().await;
        if ready(&snapshot) {
            return Ok(snapshot);
        }
        loop {
            match tokio::time::timeout_at(deadline, counts.changed()).await {
                Ok(Ok(())) if ready(&self.snapshot()) => {
                    // Apply the edits received while waiting, too.
                    return Ok(self.applied_snapshot().await);
                }
                Ok(Ok(())) => {}
                _ => return Err(self.snapshot()),
            }
        }
    }

    /// A snapshot with every change received so far applied (roots still
    /// being indexed hold what is known: the open documents).
    pub(crate) async fn fresh_snapshot(&self) -> Arc<Snapshot> {
        let (tx, rx) = oneshot::channel();
        self.send(Event::Flush(tx));
        let _ = rx.await;
        self.snapshot()
    }

    /// A snapshot with every change received so far in its workspace, not
    /// waiting for other files' findings to be checked again after them
    /// (what requests about the files need).
    pub(crate) async fn applied_snapshot(&self) -> Arc<Snapshot> {
        let (tx, rx) = oneshot::channel();
        self.send(Event::Apply(tx));
        let _ = rx.await;
        self.snapshot()
    }

    pub(crate) fn encoding(&self) -> Encoding {
        self.lock().encoding
    }

    /// How long a burst of changes may settle before a pass.
    pub(crate) fn debounce(&self) -> std::time::Duration {
        std::time::Duration::from_millis(self.lock().settings.debounce_ms)
    }

    /// Logs to stderr and, for the client's log, as `window/logMessage`.
    pub(crate) fn log(&self, typ: MessageType, message: impl Into<String>) {
        let message = message.into();
        match typ {
            MessageType::ERROR => tracing::error!("{message}"),
            MessageType::WARNING => tracing::warn!("{message}"),
            _ => tracing::info!("{message}"),
        }
        let client = self.client.clone();
        self.runtime
            .spawn(async move { client.log_message(typ, message).await });
    }

    /// Shows a message to the user (`window/showMessage`) and logs it.
    pub(crate) fn show(&self, typ: MessageType, message: impl Into<String>) {
        let message = message.into();
        tracing::warn!("{message}");
        let client = self.client.clone();
        self.runtime
            .spawn(async move { client.show_message(typ, message).await });
    }

    pub(crate) fn shutdown_requested(&self) -> bool {
        self.shutdown_requested.load(Ordering::SeqCst)
    }
}

/// An immutable view of the analysed workspaces, cheap to clone.
#[derive(Default)]
pub(crate) struct Snapshot {
    pub(crate) roots: Vec<RootSnapshot>,
    /// How many analysis passes have run.
    pub(crate) passes: u64,
    pub(crate) encoding: Encoding,
    /// Open documents (those inside roots) and the version analysed.
    pub(crate) open: HashMap<FileId, (Uri, Option<i32>)>,
}

pub(crate) struct RootSnapshot {
    pub(crate) path: PathBuf,
    pub(crate) ws: Arc<Workspace>,
    /// Workspace-wide facts for `ws`, when any file has been analysed (for
    /// request handlers such as hover and completion).
    pub(crate) ctx: Option<Arc<Context>>,
    /// The editing features' facts for `ws`, shared by every snapshot of
    /// this version of the root (see [`RootSnapshot::derived`]).
    pub(crate) derived: DerivedCell,
    /// The first index of the root has finished.
    pub(crate) indexed: bool,
    /// The root holds nothing: it is one part of a project that is a root
    /// of its own.
    pub(crate) hollow: bool,
    /// How many times the root was read from disk in full.
    pub(crate) index_runs: u32,
    /// Every file's diagnostics, including `planmark.toml`'s.
    pub(crate) diagnostics: ShardMap<String, FileDiagnostics>,
}

/// How many times a [`Derived`] was made (`planmark/status` reports it, so
/// that tests can check it is made once per version).
pub(crate) static DERIVED_BUILDS: AtomicU64 = AtomicU64::new(0);

/// A [`Derived`] made at most once per version of a root, by the first
/// request that needs it, from an earlier version's when there is one.
/// Cloning shares the cell.
#[derive(Clone, Default)]
pub(crate) struct DerivedCell(Arc<DerivedSlot>);

#[derive(Default)]
struct DerivedSlot {
    made: OnceLock<Arc<Derived>>,
    /// What this version's facts can be made from.
    base: Option<DerivedBase>,
}

/// A file before and after a change (`None`: not a parsed planning file).
type ChangedFile = (Option<Arc<SourceFile>>, Option<Arc<SourceFile>>);

/// An earlier version's facts and the files changed since, in order.
struct DerivedBase {
    derived: Arc<Derived>,
    changes: Vec<ChangedFile>,
}

/// Past this many changed files since the last facts were made, making
/// them afresh costs about as much as updating them.
const MAX_PENDING_CHANGES: usize = 2_000;

impl DerivedCell {
    /// The cell of the version after `changes`: empty, and able to start
    /// from this version's facts (or from what this cell would have
    /// started from, when no request made them).
    pub(crate) fn next(&self, changes: &[FileChange]) -> DerivedCell {
        let pairs = changes.iter().map(|c| (c.before.clone(), c.after.clone()));
        let base = match self.0.made.get() {
            Some(derived) => Some(DerivedBase {
                derived: derived.clone(),
                changes: pairs.collect(),
            }),
            None => self.0.base.as_ref().map(|base| DerivedBase {
                derived: base.derived.clone(),
                changes: base.changes.iter().cloned().chain(pairs).collect(),
            }),
        }
        .filter(|base| base.changes.len() <= MAX_PENDING_CHANGES);
        DerivedCell(Arc::new(DerivedSlot {
            made: OnceLock::new(),
            base,
        }))
    }
}

impl RootSnapshot {
    /// The editing features' facts, made now if no request has made them
    /// for this version yet: from the last version's facts and the files
    /// changed since when possible, else from the whole workspace (which
    /// computes a plan, so call it on a blocking thread). `None` before
    /// the root's first analysis.
    pub(crate) fn derived(&self) -> Option<Arc<Derived>> {
        let ctx = self.ctx.as_ref()?;
        let slot = &self.derived.0;
        let derived = slot.made.get_or_init(|| {
            DERIVED_BUILDS.fetch_add(1, Ordering::Relaxed);
            Arc::new(match &slot.base {
                Some(base) => {
                    let changes: Vec<FileVersions<'_>> = base
                        .changes
                        .iter()
                        .map(|(before, after)| (before.as_deref(), after.as_deref()))
                        .collect();
                    Derived::updated(&base.derived, &self.ws, ctx.clone(), &changes)
                }
                None => Derived::new(&self.ws, ctx.clone()),
            })
        });
        Some(derived.clone())
    }
}

impl Snapshot {
    /// Whether the root holding `uri` has finished its first index (true
    /// for a URI outside every root: there is nothing to wait for).
    pub(crate) fn is_indexed(&self, uri: &Uri) -> bool {
        self.locate(uri)
            .and_then(|file| self.roots.get(file.root))
            .is_none_or(|root| root.indexed)
    }

    /// Whether every root has finished its first index.
    pub(crate) fn all_indexed(&self) -> bool {
        self.roots.iter().all(|root| root.indexed)
    }

    pub(crate) fn locate(&self, uri: &Uri) -> Option<FileId> {
        let path = convert::uri_to_path(uri)?;
        let roots = self.roots.iter().enumerate();
        let whole = roots.filter(|(_, root)| !root.hollow);
        locate(whole.map(|(id, root)| (id, root.path.as_path())), &path)
    }

    /// The URI to use for a file: the client's own for open documents.
    pub(crate) fn uri(&self, file: &FileId) -> Option<Uri> {
        if let Some((uri, _)) = self.open.get(file) {
            return Some(uri.clone());
        }
        convert::path_to_uri(&self.roots.get(file.root)?.path.join(&file.rel))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changed_paths_are_sorted_relative_to_their_root() {
        let mut state = State::new();
        // A root may lie in a folder that is skipped inside roots.
        let root = state.add_root(PathBuf::from("/work/target/plans"));
        let issue = "/work/target/plans/issues/backlog/swe-feature-001.md";
        let _ = state.path_changed(Path::new(issue));
        let _ = state.path_changed(Path::new(
            "/work/target/plans/node_modules/pkg/issues/backlog/swe-feature-002.md",
        ));
        let _ = state.path_changed(Path::new("/work/target/plans/target/.gitignore"));
        let _ = state.path_changed(Path::new("/elsewhere/issues/backlog/swe-feature-003.md"));
        let files: Vec<&str> = state.pending.files.iter().map(|f| f.rel.as_str()).collect();
        assert_eq!(files, ["issues/backlog/swe-feature-001.md"]);
        assert!(state.pending.rescans.is_empty());
        // An ignore file anywhere else in the root reads the root again.
        let _ = state.path_changed(Path::new("/work/target/plans/issues/.ignore"));
        assert_eq!(
            state.pending.rescans.keys().copied().collect::<Vec<_>>(),
            [root]
        );
        assert_eq!(state.pending.files.len(), 1);
    }
}
