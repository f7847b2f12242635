//! The main loop: the one task that owns the analysed workspaces. It waits
//! for news (edits, files changed on disk, finished indexes), lets a burst
//! settle for [`DEBOUNCE`] (or `planmark.diagnostics.debounceMs`), applies everything in one pass on a blocking
//! thread (re-parsing only the changed files and re-checking only the
//! files they can affect), then publishes what changed and swaps in a new
//! snapshot for requests.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{mpsc, oneshot};
use tokio::time::Instant;
use tower_lsp_server::ls_types::{MessageType, Uri};

use crate::server::capabilities::ClientCaps;
use crate::server::convert::{self, Encoding};
use crate::server::diagnostics::{self, StoredDiagnostic};
use crate::server::indexing::{self, Indexed};
use crate::server::roots::{Message, Outcome, RootAnalysis, RootPhase, Source};
use crate::server::settings::{Scope, Settings};
use crate::server::state::{locate, FileId, RootId, RootSnapshot, Shared, Snapshot, State};

/// How long a burst of changes may settle before a pass (the brief allows
/// 50 ms between an edit and its diagnostics; a pass takes a few more).
pub(crate) const DEBOUNCE: Duration = Duration::from_millis(25);

pub(crate) enum Event {
    /// `State::pending` has news.
    Changed,
    /// `initialized` arrived: start indexing the roots.
    Start,
    /// A root finished indexing.
    Indexed(Box<Indexed>),
    /// Apply everything pending now (no debounce) and answer when every
    /// file it affects is checked again.
    Flush(oneshot::Sender<()>),
    /// Apply everything pending now (no debounce) and answer as soon as
    /// the workspace holds it: a request about the files (completion,
    /// hover) need not wait for the re-check of other files' findings.
    Apply(oneshot::Sender<()>),
    /// A large re-check left files: check the next slice (no debounce).
    Continue,
}

/// How long the re-check of deferred files waits after a pass that applied
/// changes: the requests that came with an edit (completion, hover) run
/// first, with every core to themselves.
const YIELD_TO_REQUESTS: Duration = Duration::from_millis(30);

/// The events gathered for one pass.
#[derive(Default)]
struct Wave {
    start: bool,
    indexed: Vec<Indexed>,
    flushes: Vec<oneshot::Sender<()>>,
    applies: Vec<oneshot::Sender<()>>,
    resume: bool,
}

impl Wave {
    fn add(&mut self, event: Event) {
        match event {
            Event::Changed => {}
            Event::Start => self.start = true,
            Event::Indexed(indexed) => self.indexed.push(*indexed),
            Event::Flush(tx) => self.flushes.push(tx),
            Event::Apply(tx) => self.applies.push(tx),
            Event::Continue => self.resume = true,
        }
    }

    /// Someone waits for this wave, or it goes on with deferred work: no
    /// debounce.
    fn awaited(&self) -> bool {
        !self.flushes.is_empty() || !self.applies.is_empty() || self.resume
    }
}

pub(crate) async fn run(shared: Arc<Shared>, mut events: mpsc::UnboundedReceiver<Event>) {
    let mut engine = Engine::default();
    while let Some(first) = events.recv().await {
        let mut wave = Wave::default();
        wave.add(first);
        if !wave.awaited() {
            let deadline = Instant::now() + shared.debounce();
            loop {
                tokio::select! {
                    event = events.recv() => match event {
                        Some(event) => {
                            wave.add(event);
                            if wave.awaited() {
                                break;
                            }
                        }
                        None => break,
                    },
                    _ = tokio::time::sleep_until(deadline) => break,
                }
            }
        }
        while let Ok(event) = events.try_recv() {
            wave.add(event);
        }
        engine.pass(&shared, wave).await;
    }
}

/// The diagnostics last pushed for a file, and the URI they went to: the
/// client's own URI while it has the document open, the server's spelling
/// of the path otherwise. The two can differ (Neovim leaves `(`, `)` and
/// `+` unencoded), and a client that compares URIs as strings would keep
/// findings under a spelling the server no longer uses.
struct Published {
    uri: Uri,
    /// Whether `uri` is the client's, of an open document.
    from_client: bool,
    items: Arc<[StoredDiagnostic]>,
}

/// What the main loop keeps between passes.
#[derive(Default)]
struct Engine {
    roots: Vec<RootAnalysis>,
    started: bool,
    passes: u64,
    scope: Scope,
    /// What each file's diagnostics are on the client, in push mode, and
    /// the URI they were published under.
    published: HashMap<FileId, Published>,
    /// The open documents whose URIs the client spells otherwise than the
    /// server, as of the last push (or, in pull mode, the last pass):
    /// related locations point at them.
    respell: diagnostics::Respell,
    /// Other files' findings changed in a pass that left files for later:
    /// the client is asked to pull diagnostics again after the last one.
    diagnostics_owed: bool,
    /// Likewise for inlay hints, semantic tokens and lenses.
    views_owed: bool,
    /// A `Continue` is on its way: deferred files are checked when it comes.
    continue_scheduled: bool,
}

/// Everything a pass needs from the shared state, taken under the lock.
struct Batch {
    new_roots: Vec<(RootId, std::path::PathBuf)>,
    indexed: Vec<(Indexed, Vec<(String, Source)>)>,
    files: Vec<(FileId, Source)>,
    /// Roots whose `planmark.toml` changed, with the open document's text.
    configs: Vec<(RootId, Option<Arc<str>>)>,
    /// Roots to read again from disk, with why.
    rescans: Vec<(RootId, MessageType, String)>,
    encoding: Encoding,
    /// The open documents of each root, checked first.
    open: HashMap<RootId, BTreeSet<String>>,
    /// Whether files deferred by earlier passes are checked in this one.
    resume: bool,
    /// Roots found to be one part of a project, which is a root now.
    hollowed: Vec<RootId>,
    /// Roots whose folder the client removed from the workspace.
    removed: Vec<RootId>,
}

/// What a pass tells the client about, taken under the lock too.
struct View {
    caps: ClientCaps,
    settings: Option<Settings>,
    /// Open documents in roots.
    open: HashMap<FileId, Uri>,
    /// Open documents whose new text is in this pass.
    edited: BTreeSet<FileId>,
    visibility: BTreeSet<FileId>,
}

impl Engine {
    async fn pass(&mut self, shared: &Arc<Shared>, wave: Wave) {
        self.started |= wave.start;
        let (mut batch, view) = self.collect(&mut shared.lock(), wave.indexed);
        // Deferred files are checked when the scheduled `Continue` comes,
        // or at once for a flush; not in a pass that an edit or a request
        // started, which leaves the cores to the requests.
        batch.resume = wave.resume || !wave.flushes.is_empty();
        if wave.resume {
            self.continue_scheduled = false;
        }
        let newly_indexed = !batch.indexed.is_empty();
        let busy_with_changes = !(batch.files.is_empty()
            && batch.configs.is_empty()
            && batch.indexed.is_empty()
            && batch.new_roots.is_empty()
            && batch.rescans.is_empty());
        let mut roots = std::mem::take(&mut self.roots);
        let started = self.started;
        let timer = std::time::Instant::now();
        let joined =
            tokio::task::spawn_blocking(move || (apply(&mut roots, batch, started), roots)).await;
        let applied_in = timer.elapsed();
        let mut outcome = match joined {
            Ok((outcome, roots)) => {
                self.roots = roots;
                outcome
            }
            Err(err) => {
                // Not expected: `apply` catches panics of the analysis. Start
                // over from the disk rather than stop.
                shared.log(
                    MessageType::ERROR,
                    format!("an analysis pass failed ({err}); reading the workspace again"),
                );
                self.roots.clear();
                self.started = true;
                shared.wake();
                Outcome::default()
            }
        };
        // A pass that only re-checked files a previous one left is work too.
        let busy = busy_with_changes || !outcome.checked.is_empty();
        if busy {
            self.passes += 1;
        }
        for message in outcome.messages.iter() {
            tell(shared, message);
        }
        let caps = view.caps.clone();
        indexing::spawn(
            shared.clone(),
            std::mem::take(&mut outcome.index_jobs),
            caps.work_done_progress,
        );
        let scope_changed = view
            .settings
            .as_ref()
            .is_some_and(|s| s.scope != self.scope);
        if let Some(settings) = &view.settings {
            self.scope = settings.scope;
        }
        let encoding = shared.encoding();
        // While a large re-check goes slice by slice, the client is asked to
        // pull or redraw once, after the last slice.
        let others_changed = outcome.changed.iter().any(|f| !view.edited.contains(f));
        self.diagnostics_owed |= others_changed || scope_changed;
        self.views_owed |= others_changed;
        shared.set_snapshot(self.snapshot(&view, encoding));
        // Every change is in the workspace now, whatever re-checks were
        // left for the next pass: requests waiting for it go ahead while
        // the diagnostics are sent.
        for tx in wave.applies {
            let _ = tx.send(());
        }
        if caps.pull_diagnostics {
            // A pulled report's related locations name open documents by
            // the client's URIs, and its result ID changes with them: when
            // a document the client spells otherwise opens or closes, the
            // client is asked to pull again.
            let respell = self.respellings(&view);
            if respell != self.respell {
                self.respell = respell;
                self.diagnostics_owed = true;
            }
            let owed = !outcome.more && std::mem::take(&mut self.diagnostics_owed);
            if owed && caps.diagnostic_refresh {
                let client = shared.client.clone();
                shared.runtime.spawn(async move {
                    if let Err(err) = client.workspace_diagnostic_refresh().await {
                        tracing::warn!("workspace/diagnostic/refresh failed: {err}");
                    }
                });
            }
        } else {
            self.diagnostics_owed = false;
            self.publish(shared, &outcome, &view, scope_changed).await;
        }
        // Inlay hints, semantic tokens and lenses of other open files show
        // facts of the files that changed: ask for them again when a root
        // was read or other files' findings changed (once the last slice of
        // a large re-check is done).
        let views_owed = !outcome.more && std::mem::take(&mut self.views_owed);
        if newly_indexed || views_owed {
            refresh_views(shared, &caps);
        }
        if busy {
            tracing::debug!(
                "pass {}: {} file(s) checked, {} changed, analysed in {} ms, done in {} ms",
                self.passes,
                outcome.checked.len(),
                outcome.changed.len(),
                applied_in.as_millis(),
                timer.elapsed().as_millis()
            );
        }
        if outcome.more {
            // A large re-check left files for the next pass: run it now,
            // and answer the flushes (requests that wait for a settled
            // analysis) after it.
            if wave.flushes.is_empty() && !self.continue_scheduled {
                self.continue_scheduled = true;
                if busy_with_changes {
                    let shared = shared.clone();
                    shared.runtime.clone().spawn(async move {
                        tokio::time::sleep(YIELD_TO_REQUESTS).await;
                        shared.send(Event::Continue);
                    });
                } else {
                    shared.send(Event::Continue);
                }
            }
            for tx in wave.flushes {
                shared.send(Event::Flush(tx));
            }
        } else {
            for tx in wave.flushes {
                let _ = tx.send(());
            }
        }
    }

    /// Takes the pending changes and the texts they need.
    fn collect(&self, state: &mut State, indexed: Vec<Indexed>) -> (Batch, View) {
        // A root that is one part of a project (a folder with no planning
        // files of its own) gives way to the project before anything else:
        // the project joins the new roots and takes the open documents.
        let mut hollowed = Vec::new();
        for result in &indexed {
            let current = self
                .roots
                .get(result.root)
                .is_some_and(|r| r.is_current(result));
            if let Some(project) = result.enclosing.clone().filter(|_| current) {
                state.hollow_out(result.root, project);
                hollowed.push(result.root);
            }
        }
        let pending = std::mem::take(&mut state.pending);
        let mut open: HashMap<FileId, Uri> = HashMap::new();
        for doc in state.docs.values() {
            if let Some(file) = &doc.file {
                open.insert(file.clone(), doc.uri.clone());
            }
        }
        let known = self.roots.len();
        let new_roots: Vec<(RootId, std::path::PathBuf)> = state
            .roots
            .iter()
            .enumerate()
            .skip(known)
            .map(|(id, path)| (id, path.clone()))
            .collect();
        let mut edited = BTreeSet::new();
        // `edit`: the client changed the document in this pass (an open
        // document applied again over a finished index was not edited).
        let mut source = |state: &mut State, file: &FileId, edit: bool| -> Source {
            if let Some(doc) = open.get(file).and_then(|uri| state.docs.get_mut(uri)) {
                if edit {
                    edited.insert(file.clone());
                }
                return Source::Open {
                    text: doc.text(),
                    version: doc.version,
                };
            }
            Source::Disk(state.roots[file.root].join(&file.rel))
        };
        let mut indexed_batch = Vec::new();
        for result in indexed {
            let Some(root) = self.roots.get(result.root) else {
                continue;
            };
            if !root.is_current(&result) {
                continue;
            }
            let mut rels: BTreeSet<String> = root.touched.clone();
            rels.extend(
                open.keys()
                    .filter(|f| f.root == result.root && !f.is_config())
                    .map(|f| f.rel.clone()),
            );
            let files = rels
                .into_iter()
                .map(|rel| {
                    let file = FileId {
                        root: result.root,
                        rel,
                    };
                    let edit = pending.files.contains(&file);
                    let src = source(state, &file, edit);
                    (file.rel, src)
                })
                .collect();
            indexed_batch.push((result, files));
        }
        let files = pending
            .files
            .iter()
            .map(|file| (file.clone(), source(state, file, true)))
            .collect();
        let mut config_roots = pending.configs.clone();
        for (id, _) in &new_roots {
            let config = FileId {
                root: *id,
                rel: crate::analysis::config::CONFIG_FILE_NAME.to_string(),
            };
            if open.contains_key(&config) {
                config_roots.insert(*id);
            }
        }
        let configs = config_roots
            .into_iter()
            .map(|root| {
                let file = FileId {
                    root,
                    rel: crate::analysis::config::CONFIG_FILE_NAME.to_string(),
                };
                let text = open
                    .get(&file)
                    .and_then(|uri| state.docs.get_mut(uri))
                    .map(|doc| doc.text());
                (root, text)
            })
            .collect();
        let mut open_by_root: HashMap<RootId, BTreeSet<String>> = HashMap::new();
        for file in open.keys() {
            open_by_root
                .entry(file.root)
                .or_default()
                .insert(file.rel.clone());
        }
        let rescans = pending
            .rescans
            .into_iter()
            .map(|(root, (typ, reason))| (root, typ, reason))
            .collect();
        let batch = Batch {
            open: open_by_root,
            new_roots,
            indexed: indexed_batch,
            files,
            configs,
            rescans,
            encoding: state.encoding,
            resume: false,
            hollowed,
            removed: pending.removed_roots,
        };
        let view = View {
            caps: state.caps.clone(),
            settings: pending.settings.then(|| state.settings.clone()),
            open,
            edited,
            visibility: pending.visibility,
        };
        (batch, view)
    }

    /// The open documents of `view` whose URIs the client spells otherwise
    /// than the server (see [`diagnostics::Respell`]).
    fn respellings(&self, view: &View) -> diagnostics::Respell {
        diagnostics::respellings(view.open.iter().filter_map(|(file, uri)| {
            let root = self.roots.get(file.root)?;
            Some((root.path.as_path(), file.rel.as_str(), uri))
        }))
    }

    /// Pushes the diagnostics that differ from what the client has, and
    /// always those of documents edited in this pass (with their version).
    async fn publish(&mut self, shared: &Shared, outcome: &Outcome, view: &View, all: bool) {
        let mut candidates: BTreeSet<FileId> = outcome.checked.clone();
        candidates.extend(view.visibility.iter().cloned());
        candidates.extend(view.edited.iter().cloned());
        let respell = self.respellings(view);
        if respell != self.respell {
            // Related locations name documents opened or closed under
            // another spelling since: the findings pointing there go again.
            let pointing = self
                .published
                .iter()
                .filter(|(_, p)| p.items.iter().any(|d| !d.related.is_empty()));
            candidates.extend(pointing.map(|(file, _)| file.clone()));
            self.respell = respell;
        }
        if all {
            candidates.extend(self.published.keys().cloned());
            for root in &self.roots {
                candidates.extend(root.diagnostics.keys().map(|rel| root.file_id(rel)));
            }
        }
        // The documents in front of the user first: a pass after indexing
        // publishes thousands of files.
        let (open_first, others): (Vec<FileId>, Vec<FileId>) = candidates
            .into_iter()
            .partition(|file| view.open.contains_key(file));
        for file in open_first.into_iter().chain(others) {
            let Some(root) = self.roots.get(file.root) else {
                continue;
            };
            // A file an inner root took over is that root's to publish:
            // clearing what the outer root said must not wipe it.
            let whole = self.roots.iter().filter(|r| !r.hollow);
            let owner = locate(
                whole.map(|r| (r.id, r.path.as_path())),
                &root.path.join(&file.rel),
            );
            if let Some(owner) = owner.filter(|owner| owner.root != file.root) {
                if self.published.contains_key(&owner) {
                    self.published.remove(&file);
                    continue;
                }
            }
            let is_open = view.open.contains_key(&file);
            let visible = is_open
                || (self.scope == Scope::Workspace
                    && (root.phase == RootPhase::Ready || file.is_config()));
            let current = root.diagnostics.get(&file.rel);
            let desired = match current {
                Some(d) if visible => d.items.clone(),
                _ => diagnostics::no_diagnostics(),
            };
            let desired = diagnostics::respelled(desired, &self.respell);
            let before = self.published.get(&file);
            // An edited planning file hears back at each version, even
            // when it has nothing to report (and so no entry).
            let analysed = current.is_some() || root.ws.file(&file.rel).is_some();
            let force = view.edited.contains(&file) && visible && analysed;
            let same = match before {
                Some(before) => *before.items == *desired,
                None => desired.is_empty(),
            };
            // Only a document open now or at the last push can have changed
            // spelling; the others skip making their URI.
            let may_respell = is_open || before.is_some_and(|b| b.from_client);
            if same && !force && !may_respell {
                continue;
            }
            let uri = match view.open.get(&file) {
                Some(uri) => uri.clone(),
                None => match convert::path_to_uri(&root.path.join(&file.rel)) {
                    Some(uri) => uri,
                    None => continue,
                },
            };
            // Findings pushed under another spelling of this file's URI
            // (the document was opened or closed since) are cleared there
            // and pushed again under the URI in use now.
            let respelled = before.map(|b| &b.uri).filter(|old| **old != uri).cloned();
            if same && !force && respelled.is_none() {
                continue;
            }
            if let Some(old) = respelled {
                shared
                    .client
                    .publish_diagnostics(old, Vec::new(), None)
                    .await;
            }
            let version = if is_open {
                root.versions.get(&file.rel).copied()
            } else {
                None
            };
            if desired.is_empty() {
                self.published.remove(&file);
            } else {
                let published = Published {
                    uri: uri.clone(),
                    from_client: is_open,
                    items: desired.clone(),
                };
                self.published.insert(file, published);
            }
            shared
                .client
                .publish_diagnostics(uri, diagnostics::to_lsp_list(&desired), version)
                .await;
        }
    }

    fn snapshot(&self, view: &View, encoding: Encoding) -> Snapshot {
        Snapshot {
            roots: self
                .roots
                .iter()
                .map(|r| RootSnapshot {
                    path: r.path.clone(),
                    ws: r.ws.clone(),
                    ctx: r.ctx.clone(),
                    derived: r.derived.clone(),
                    indexed: r.phase == RootPhase::Ready,
                    hollow: r.hollow,
                    index_runs: r.index_runs,
                    diagnostics: r.diagnostics.clone(),
                })
                .collect(),
            passes: self.passes,
            encoding,
            open: view
                .open
                .iter()
                .map(|(file, uri)| {
                    let version = self
                        .roots
                        .get(file.root)
                        .and_then(|r| r.versions.get(&file.rel).copied());
                    (file.clone(), (uri.clone(), version))
                })
                .collect(),
        }
    }
}

/// One pass over every root: new roots, finished indexes, configuration
/// changes, file changes, then the re-checks. Runs on a blocking thread.
fn apply(roots: &mut Vec<RootAnalysis>, batch: Batch, started: bool) -> Outcome {
    let mut out = Outcome::default();
    let enc = batch.encoding;
    let mut changes: HashMap<RootId, Vec<_>> = HashMap::new();
    for &id in &batch.hollowed {
        roots[id].hollow = true;
    }
    for (id, path) in batch.new_roots {
        debug_assert_eq!(id, roots.len());
        let mut root = RootAnalysis::new(id, path, enc, &mut out);
        // A root never holds another root's files, whichever came first;
        // a hollow root holds none.
        for other in roots.iter_mut().filter(|other| !other.hollow) {
            root.add_inner(&other.path);
            let dropped = other.add_inner(&root.path);
            changes.entry(other.id).or_default().extend(dropped);
        }
        roots.push(root);
    }
    for (indexed, files) in batch.indexed {
        let id = indexed.root;
        let merged = roots[id].merge_index(indexed, files, &mut out);
        changes.entry(id).or_default().extend(merged);
    }
    // A root a hollow one was nested in takes its folder back, over its
    // index when that has come.
    for id in batch.hollowed {
        let path = roots[id].path.clone();
        out.messages.push(Message::log(
            MessageType::INFO,
            format!(
                "{} holds no planning files of its own; reading the project that holds it",
                path.display()
            ),
        ));
        for other in roots.iter_mut() {
            let taken_back = other.remove_inner(&path, &mut out);
            changes.entry(other.id).or_default().extend(taken_back);
        }
    }
    // A folder the client removed: its files and findings go, and a root
    // it was nested in takes its folder back.
    for id in batch.removed {
        let Some(root) = roots.get_mut(id) else {
            continue;
        };
        root.close(&mut out);
        let path = root.path.clone();
        out.messages.push(Message::log(
            MessageType::INFO,
            format!(
                "{} left the workspace; no longer reading it",
                path.display()
            ),
        ));
        for other in roots.iter_mut().filter(|other| !other.hollow) {
            let taken_back = other.remove_inner(&path, &mut out);
            changes.entry(other.id).or_default().extend(taken_back);
        }
    }
    for (id, text) in batch.configs {
        if let Some(root) = roots.get_mut(id).filter(|r| !r.hollow) {
            root.set_config(text, enc, &mut out);
        }
    }
    for (id, typ, reason) in batch.rescans {
        if let Some(root) = roots.get_mut(id).filter(|r| !r.hollow) {
            out.messages.push(Message::log(
                typ,
                format!("{reason}: reading {} again", root.path.display()),
            ));
            root.rescan();
        }
    }
    let mut by_root: HashMap<RootId, Vec<(String, Source)>> = HashMap::new();
    for (file, source) in batch.files {
        by_root
            .entry(file.root)
            .or_default()
            .push((file.rel, source));
    }
    for (id, files) in by_root {
        if let Some(root) = roots.get_mut(id).filter(|r| !r.hollow) {
            let applied = root.apply_files(files, &mut out);
            changes.entry(id).or_default().extend(applied);
        }
    }
    if started {
        for root in roots.iter_mut() {
            out.index_jobs.extend(root.start_index());
        }
    }
    for root in roots.iter_mut() {
        let changes = changes.remove(&root.id).unwrap_or_default();
        let open = batch.open.get(&root.id).cloned().unwrap_or_default();
        root.recheck(&changes, &open, batch.resume, enc, &mut out);
    }
    out
}

fn tell(shared: &Shared, message: &Message) {
    if message.show {
        shared.show(message.typ, message.text.clone());
    }
    shared.log(message.typ, message.text.clone());
}

/// Asks the client to request inlay hints, semantic tokens and code lenses
/// again: those answered while a root was still being indexed left out
/// what was not read yet, and those of other files may name what changed.
fn refresh_views(shared: &Arc<Shared>, caps: &ClientCaps) {
    let client = shared.client.clone();
    let (inlay, tokens, lenses) = (
        caps.inlay_hint_refresh,
        caps.semantic_tokens_refresh,
        caps.code_lens_refresh,
    );
    shared.runtime.spawn(async move {
        if inlay {
            if let Err(err) = client.inlay_hint_refresh().await {
                tracing::warn!("workspace/inlayHint/refresh failed: {err}");
            }
        }
        if tokens {
            if let Err(err) = client.semantic_tokens_refresh().await {
                tracing::warn!("workspace/semanticTokens/refresh failed: {err}");
            }
        }
        if lenses {
            if let Err(err) = client.code_lens_refresh().await {
                tracing::warn!("workspace/codeLens/refresh failed: {err}");
            }
        }
    });
}
