//! The cross-file model: every planning file's facts, the index from ID to
//! item, the reverse dependency map, and updates that touch one file only.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Arc, Mutex, OnceLock};

use rayon::prelude::*;
use rustc_hash::FxHashSet;

use crate::analysis::config::{Config, ConfigError};
use crate::analysis::ids;
use crate::analysis::intern::{AsId, Id};
use crate::analysis::model::{FileFacts, FileKind, Item, ItemKind, Progress, Target};
use crate::analysis::parse;
use crate::analysis::path_order::{FileList, PathOrder};
use crate::analysis::shard_map::ShardMap;
use crate::analysis::small_set::SmallSet;
use crate::analysis::text::LineIndex;

/// One parsed planning file.
#[derive(Debug)]
pub struct SourceFile {
    /// The path relative to the workspace root, with `/` separators,
    /// shared with the workspace's indexes.
    pub rel: Arc<str>,
    pub text: Arc<str>,
    /// Made on first use: `check` needs it only for the files it reports
    /// on, and a 100,000-file workspace's line starts are 15 MB. Boxed, so
    /// that a file without one keeps 16 bytes for it instead of 64.
    line_index: OnceLock<Box<LineIndex>>,
    pub facts: FileFacts,
}

impl SourceFile {
    pub fn parse(rel: &str, text: Arc<str>, kind: FileKind) -> SourceFile {
        let facts = parse::parse_file(rel, &text, kind);
        SourceFile {
            rel: Arc::from(rel),
            line_index: OnceLock::new(),
            text,
            facts,
        }
    }

    /// Where the file's lines start, to turn offsets into positions.
    pub fn line_index(&self) -> &LineIndex {
        self.line_index
            .get_or_init(|| Box::new(LineIndex::new(&self.text)))
    }

    /// The file's line index when it has been made, or one made for the
    /// caller alone when the file is small: a caller placing a few
    /// positions once (the server's findings for 27,000 files) need not
    /// keep it. A large file's is made and kept.
    pub fn line_index_for_once(&self) -> std::borrow::Cow<'_, LineIndex> {
        const KEEP_FROM_BYTES: usize = 64 * 1024;
        match self.line_index.get() {
            Some(index) => std::borrow::Cow::Borrowed(index),
            None if self.text.len() < KEEP_FROM_BYTES => {
                std::borrow::Cow::Owned(LineIndex::new(&self.text))
            }
            None => std::borrow::Cow::Borrowed(self.line_index()),
        }
    }
}

/// Two files are equal when their paths, texts and facts are: the line
/// index is made from the text, whether it was made yet or not.
impl PartialEq for SourceFile {
    fn eq(&self, other: &SourceFile) -> bool {
        self.rel == other.rel && self.text == other.text && self.facts == other.facts
    }
}

impl Eq for SourceFile {}

/// Where an item is defined: a file and the item's index in its facts.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ItemLoc {
    pub rel: Arc<str>,
    pub index: usize,
    /// The item's canonical ID, kept here so that resolving an alias or a
    /// dependency does not look the file up again.
    pub id: Id,
}

/// What a file loaded from disk turned out to be.
pub enum FileInput {
    Text(Arc<str>),
    /// The file is not valid UTF-8: its text has U+FFFD in place of each
    /// bad sequence, and `bad` says where the first one was.
    NotUtf8 {
        text: Arc<str>,
        bad: InvalidUtf8,
    },
    /// The file could not be read; the reason says why.
    Unreadable(String),
}

/// How a file read from disk was not UTF-8.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InvalidUtf8 {
    /// Its bytes are UTF-8 up to `offset` (the same offset in the bytes and
    /// in the text read from them), where `byte` begins no character; each
    /// bad sequence reads as U+FFFD.
    BadByte { offset: u32, byte: u8 },
    /// It is UTF-16 with a byte-order mark, and was read as such.
    Utf16,
}

#[derive(Clone, Default)]
pub struct Workspace {
    config: Arc<Config>,
    config_errors: Arc<Vec<ConfigError>>,
    // The maps are sharded so that the copy the server hands to requests
    // costs next to nothing and an edit copies a few shards only.
    /// Keyed by the file's own `rel`: no second copy of each path.
    files: ShardMap<Arc<str>, Arc<SourceFile>>,
    unreadable: BTreeMap<String, String>,
    /// Files read from disk whose bytes are not all UTF-8: they are checked
    /// as read (bad sequences as U+FFFD), but nothing fixes them in place,
    /// since writing the text back would replace the bytes for good.
    not_utf8: BTreeMap<String, InvalidUtf8>,
    /// Canonical IDs and aliases to where they are defined.
    defs: ShardMap<Id, Vec<ItemLoc>>,
    /// Target ID to the items whose dependencies name it.
    /// Each pair is an item and the file defining it: an ID defined in
    /// two files waits through both until both are gone.
    dependents: ShardMap<Id, SmallSet<(Id, Arc<str>)>>,
    /// Target ID to the files that refer to it in any way.
    referrers: ShardMap<Id, SmallSet<Arc<str>>>,
    /// The issue index files, in path order.
    index_files: BTreeSet<String>,
    /// Every parsed file in path order, made on first use and then kept up
    /// to date through single edits.
    sorted: Arc<OnceLock<PathOrder>>,
    /// Normalised milestone titles to milestone IDs, from the roadmap.
    milestone_titles: Arc<HashMap<String, Id>>,
    /// Whether some roadmap defines milestones (kept with the titles).
    has_roadmap: bool,
    /// Paths taken on disk in status folders that the model does not read.
    reserved_names: Arc<BTreeSet<String>>,
}

/// How many files `load_with` parses while it indexes the ones before:
/// large enough that each batch keeps every core busy, small enough that
/// the last batch, indexed alone, is short.
const LOAD_BATCH: usize = 4096;

/// Files at least this large (a 100,000-row issues index is 8.5 MB) are
/// parsed as tasks of their own while the batches go on, so that no batch
/// waits for one core to finish a long parse while the other has nothing
/// left to do.
const LARGE_FILE_BYTES: usize = 1 << 20;

/// One file as parsed for a load: its facts and where it stopped being
/// UTF-8, or why it could not be read.
type Parsed = Result<(SourceFile, Option<InvalidUtf8>), String>;

/// `sources` without the listings of a path that a later one repeats.
/// A listing from disk is sorted and has no repeats, which one pass finds.
fn last_of_each_path<S>(sources: Vec<(String, FileKind, S)>) -> Vec<(String, FileKind, S)> {
    if sources.windows(2).all(|pair| pair[0].0 < pair[1].0) {
        return sources;
    }
    let mut seen: FxHashSet<String> = FxHashSet::default();
    let mut kept: Vec<(String, FileKind, S)> = sources
        .into_iter()
        .rev()
        .filter(|(rel, _, _)| seen.insert(rel.clone()))
        .collect();
    kept.reverse();
    kept
}

/// A poisoned lock still holds every file parsed before the panic.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

impl Workspace {
    pub fn new(config: Config, config_errors: Vec<ConfigError>) -> Workspace {
        Workspace {
            config: Arc::new(config),
            config_errors: Arc::new(config_errors),
            ..Workspace::default()
        }
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    pub fn config_errors(&self) -> &[ConfigError] {
        &self.config_errors
    }

    /// Replaces the configuration. Files whose classification depends on it
    /// keep their facts; callers reload when locations change.
    pub fn set_config(&mut self, config: Config, errors: Vec<ConfigError>) {
        self.config = Arc::new(config);
        self.config_errors = Arc::new(errors);
    }

    /// Records the text of `planmark.toml` without applying it: a file that
    /// is not valid TOML leaves the last good configuration in force, but
    /// fixes that edit the file must see what it holds now.
    pub fn set_config_source(&mut self, source: Option<Arc<str>>) {
        if self.config.source != source {
            Arc::make_mut(&mut self.config).source = source;
        }
    }

    /// Whether `rel` names a planning file under the current configuration.
    pub fn classify(&self, rel: &str) -> Option<FileKind> {
        parse::classify(rel, &self.config)
    }

    /// Loads many files at once, parsing them on every core.
    pub fn load(&mut self, inputs: Vec<(String, FileInput)>) {
        self.load_with(inputs, |input| input, |_| {});
    }

    /// Loads many files at once: `read` turns each source (a path, say)
    /// into its content, and each file is read and parsed in one go on
    /// every core, so reading one overlaps parsing another. What is not a
    /// planning file under the configuration is left out, and counts as
    /// taken at once. See [`Workspace::load_classified`].
    pub fn load_with<S: Send>(
        &mut self,
        sources: Vec<(String, S)>,
        read: impl Fn(S) -> FileInput + Sync + Send,
        mut on_added: impl FnMut(usize) + Send,
    ) {
        let listed = sources.len();
        let config = self.config.clone();
        // Each source's format, found on every core.
        let sources: Vec<(String, FileKind, S)> = sources
            .into_par_iter()
            .filter_map(|(rel, source)| {
                let kind = parse::classify(&rel, &config)?;
                Some((rel, kind, source))
            })
            .collect();
        if sources.len() < listed {
            on_added(listed - sources.len());
        }
        self.load_classified(sources, read, on_added);
    }

    /// Loads many planning files at once, each given with its format as
    /// [`Workspace::classify`] finds it (the walk that listed them found it
    /// already): `read` turns each source into its content, and each file
    /// is read and parsed in one go on every core, so reading one overlaps
    /// parsing another. The files are taken in batches, and one batch is
    /// added to the indexes (which only one thread can do) while the next
    /// is parsed, in the order given. Issue and story indexes, and files of
    /// 1 MB or more, are parsed as tasks of their own beside the batches
    /// and added once parsed, beside the next batch's parse. A path given twice loads as its last listing.
    /// `on_added` hears how many of the sources each batch took, once they
    /// are indexed, for a progress report.
    pub fn load_classified<S: Send>(
        &mut self,
        sources: Vec<(String, FileKind, S)>,
        read: impl Fn(S) -> FileInput + Sync + Send,
        mut on_added: impl FnMut(usize) + Send,
    ) {
        // Nearly every file defines, depends on and names about one ID:
        // room for that much up front.
        self.files.reserve(sources.len());
        self.defs.reserve(sources.len());
        self.dependents.reserve(sources.len());
        self.referrers.reserve(sources.len());
        // Sources listed in path order into an empty workspace (a load from
        // disk) give the path-ordered list for free: no sort of 100,000
        // paths on first use.
        let mut in_order = (self.files.is_empty() && self.sorted.get().is_none()).then(Vec::new);
        // A path listed twice loads as its last listing: the indexes and
        // large files below are parsed out of order.
        let listed = sources.len();
        let sources = last_of_each_path(sources);
        if sources.len() < listed {
            on_added(listed - sources.len());
        }
        // Indexes (one file listing every issue) are parsed first, each as
        // a task of its own: parsing a 100,000-row table takes one core a
        // while and a transient tree many times the file's size, which is
        // better spent before the rest of the workspace is in memory.
        let (lists, rest): (Vec<_>, Vec<_>) = sources
            .into_iter()
            .partition(|(_, kind, _)| matches!(kind, FileKind::Index | FileKind::StoryIndex));
        let list_count = lists.len();
        let parse = |rel: &str, kind: FileKind, input: FileInput| match input {
            FileInput::Text(text) => Ok((SourceFile::parse(rel, text, kind), None)),
            FileInput::NotUtf8 { text, bad } => Ok((SourceFile::parse(rel, text, kind), Some(bad))),
            FileInput::Unreadable(reason) => Err(reason),
        };
        // The indexes and large files, parsed on their own while the
        // batches go on.
        let large: Mutex<Vec<(String, Parsed)>> = Mutex::new(Vec::new());
        // The indexes and large files added, apart from the others: they
        // were parsed out of order.
        let mut large_in_order = in_order.is_some().then(Vec::new);
        rayon::scope(|scope| {
            let (large, read, parse) = (&large, &read, &parse);
            for (rel, kind, source) in lists {
                scope.spawn(move |_| {
                    let file = parse(&rel, kind, read(source));
                    lock(large).push((rel, file));
                });
            }
            let parse_batch = |batch: Vec<(String, FileKind, S)>| -> Vec<(String, Parsed)> {
                batch
                    .into_par_iter()
                    .filter_map(|(rel, kind, source)| match read(source) {
                        FileInput::Text(text) if text.len() >= LARGE_FILE_BYTES => {
                            scope.spawn(move |_| {
                                let file = parse(&rel, kind, FileInput::Text(text));
                                lock(large).push((rel, file));
                            });
                            None
                        }
                        input => {
                            let file = parse(&rel, kind, input);
                            Some((rel, file))
                        }
                    })
                    .collect()
            };
            let mut sources = rest.into_iter();
            // The parsed files of the previous batch, and how many sources
            // that batch took.
            let mut parsed = Vec::new();
            let mut taken = 0;
            loop {
                let batch: Vec<_> = sources.by_ref().take(LOAD_BATCH).collect();
                if batch.is_empty() {
                    break;
                }
                let batch_len = batch.len();
                let previous = std::mem::take(&mut parsed);
                let (next, ()) = rayon::join(
                    || parse_batch(batch),
                    || {
                        self.add_parsed(previous, in_order.as_mut());
                        if taken > 0 {
                            on_added(taken);
                        }
                        // The indexes and large files parsed by now are
                        // added beside the next batch's parse too, rather
                        // than alone once every batch is in (a 100,000-row
                        // index names 100,000 IDs).
                        let ready = std::mem::take(&mut *lock(large));
                        self.add_parsed(ready, large_in_order.as_mut());
                    },
                );
                parsed = next;
                taken = batch_len;
            }
            self.add_parsed(parsed, in_order.as_mut());
            if taken > 0 {
                on_added(taken);
            }
        });
        // Sources listed in path order leave the files in path order, but
        // for the indexes and large files, kept apart and sorted in below.
        let listed_in_order = in_order
            .as_ref()
            .is_some_and(|files| files.is_sorted_by(|a, b| a.rel < b.rel));
        let large = large.into_inner().unwrap_or_else(|e| e.into_inner());
        self.add_parsed(large, large_in_order.as_mut());
        if list_count > 0 {
            on_added(list_count);
        }
        if let Some(mut files) = in_order.filter(|_| listed_in_order) {
            files.extend(large_in_order.into_iter().flatten());
            files.sort_by(|a, b| a.rel.cmp(&b.rel));
            if files.len() == self.files.len() {
                self.sorted = Arc::new(OnceLock::from(PathOrder::from_sorted(files)));
            }
        }
    }

    fn add_parsed(
        &mut self,
        parsed: Vec<(String, Parsed)>,
        mut in_order: Option<&mut Vec<Arc<SourceFile>>>,
    ) {
        for (rel, file) in parsed {
            match file {
                Ok((file, bad)) => {
                    let file = Arc::new(file);
                    if let Some(files) = in_order.as_deref_mut() {
                        files.push(file.clone());
                    }
                    self.insert(file);
                    if let Some(bad) = bad {
                        self.not_utf8.insert(rel, bad);
                    }
                }
                Err(reason) => self.set_unreadable(&rel, reason),
            }
        }
    }

    /// Replaces one file's text and updates the model, reading nothing else.
    /// Returns false when the path is not a planning file.
    pub fn set_file(&mut self, rel: &str, text: Arc<str>) -> bool {
        let Some(kind) = self.classify(rel) else {
            return false;
        };
        // Text given whole (an editor's, a fix's) is the file's text now.
        self.not_utf8.remove(rel);
        if self.files.get(rel).is_some_and(|f| f.text == text) {
            return true;
        }
        self.insert(Arc::new(SourceFile::parse(rel, text, kind)));
        true
    }

    /// Replaces one file's text with what was read from its bytes that are
    /// not all UTF-8 (see [`FileInput::NotUtf8`]). Returns false when the
    /// path is not a planning file.
    pub fn set_file_not_utf8(&mut self, rel: &str, text: Arc<str>, bad: InvalidUtf8) -> bool {
        if !self.set_file(rel, text) {
            return false;
        }
        self.not_utf8.insert(rel.to_string(), bad);
        true
    }

    /// Records a planning file that could not be read.
    pub fn set_unreadable(&mut self, rel: &str, reason: String) {
        self.remove_file(rel);
        self.unreadable.insert(rel.to_string(), reason);
    }

    pub fn remove_file(&mut self, rel: &str) {
        if self.files.contains_key(rel) {
            self.update_order(rel, None);
        }
        self.unreadable.remove(rel);
        self.not_utf8.remove(rel);
        if let Some(old) = self.files.remove(rel) {
            self.unindex(&old);
            self.index_files.remove(rel);
            if defines_milestones(&old) {
                self.rebuild_milestone_titles();
            }
        }
    }

    fn insert(&mut self, file: Arc<SourceFile>) {
        self.update_order(&file.rel, Some(&file));
        self.unreadable.remove(&*file.rel);
        let mut roadmap = defines_milestones(&file);
        match self.files.insert(Arc::clone(&file.rel), Arc::clone(&file)) {
            Some(old) => {
                // The map kept the old file's path as the key: the new one's
                // takes its place, so that no old path stays alive.
                self.files.remove(&*file.rel);
                self.files.insert(Arc::clone(&file.rel), Arc::clone(&file));
                self.reindex(&old, &file);
                self.index_files.remove(&*file.rel);
                roadmap |= defines_milestones(&old);
            }
            None => self.index(&file),
        }
        if matches!(file.facts.kind, FileKind::Index | FileKind::StoryIndex) {
            self.index_files.insert(file.rel.to_string());
        }
        if roadmap {
            self.rebuild_milestone_titles();
        }
    }

    /// Puts `file` at `rel` in the path-ordered list, or takes `rel` out
    /// (`None`), when the list was made: an edit then copies one chunk of
    /// it, not a sort of every path. A list not made yet stays unmade (a
    /// bulk load inserting 100,000 files allocates nothing for it).
    fn update_order(&mut self, rel: &str, file: Option<&Arc<SourceFile>>) {
        let Some(order) = self.sorted.get() else {
            return;
        };
        let mut order = order.clone();
        order.set(rel, file);
        self.sorted = Arc::new(OnceLock::from(order));
    }

    fn index(&mut self, file: &SourceFile) {
        self.index_defs(file);
        for item in &file.facts.items {
            for dep in effective_dep_ids(item) {
                self.dependents
                    .get_or_default(dep)
                    .insert((item.id, file.rel.clone()));
            }
        }
        for reference in file.facts.all_references() {
            if let Some(id) = reference.target.id() {
                self.referrers.get_or_default(id).insert(file.rel.clone());
            }
        }
    }

    /// Updates the indexes from a file's old facts to its new ones,
    /// touching only the entries that differ: an edit of a 2,000-row index
    /// changes none of its 2,000 references, and each entry touched copies
    /// its shard when an earlier version shares it.
    fn reindex(&mut self, old: &SourceFile, new: &SourceFile) {
        fn defined(f: &SourceFile) -> Vec<(Id, &[Id])> {
            f.facts
                .items
                .iter()
                .map(|item| (item.id, item.aliases.as_slice()))
                .collect()
        }
        if defined(old) != defined(new) {
            self.unindex_defs(old);
            self.index_defs(new);
        }
        fn waits(f: &SourceFile) -> FxHashSet<(Id, Id)> {
            f.facts
                .items
                .iter()
                .flat_map(|item| effective_dep_ids(item).map(|dep| (dep, item.id)))
                .collect()
        }
        let (old_waits, new_waits) = (waits(old), waits(new));
        for &(dep, id) in old_waits.difference(&new_waits) {
            if let Some(set) = self.dependents.get_mut(&dep) {
                set.remove(&(id, old.rel.clone()));
                if set.is_empty() {
                    self.dependents.remove(&dep);
                }
            }
        }
        for &(dep, id) in new_waits.difference(&old_waits) {
            self.dependents
                .get_or_default(dep)
                .insert((id, new.rel.clone()));
        }
        fn named(f: &SourceFile) -> FxHashSet<Id> {
            f.facts
                .all_references()
                .filter_map(|r| r.target.id())
                .collect()
        }
        let (old_named, new_named) = (named(old), named(new));
        for id in old_named.difference(&new_named) {
            if let Some(set) = self.referrers.get_mut(id) {
                set.remove(&old.rel);
                if set.is_empty() {
                    self.referrers.remove(id);
                }
            }
        }
        for id in new_named.difference(&old_named) {
            self.referrers.get_or_default(*id).insert(new.rel.clone());
        }
    }

    fn index_defs(&mut self, file: &SourceFile) {
        for (index, item) in file.facts.items.iter().enumerate() {
            let loc = ItemLoc {
                rel: file.rel.clone(),
                index,
                id: item.id,
            };
            for id in std::iter::once(&item.id).chain(&item.aliases) {
                let locs = self.defs.get_or_default(*id);
                // Nearly every ID has one definition: no room for four.
                locs.reserve_exact(1);
                locs.push(loc.clone());
                locs.sort();
            }
        }
    }

    fn unindex_defs(&mut self, file: &SourceFile) {
        for item in &file.facts.items {
            for id in std::iter::once(&item.id).chain(&item.aliases) {
                if let Some(locs) = self.defs.get_mut(id) {
                    locs.retain(|loc| loc.rel != file.rel);
                    if locs.is_empty() {
                        self.defs.remove(id);
                    }
                }
            }
        }
    }

    fn unindex(&mut self, file: &SourceFile) {
        self.unindex_defs(file);
        for item in &file.facts.items {
            for dep in effective_dep_ids(item) {
                if let Some(set) = self.dependents.get_mut(&dep) {
                    set.remove(&(item.id, file.rel.clone()));
                    if set.is_empty() {
                        self.dependents.remove(&dep);
                    }
                }
            }
        }
        for reference in file.facts.all_references() {
            if let Some(id) = reference.target.id() {
                if let Some(set) = self.referrers.get_mut(&id) {
                    set.remove(&file.rel);
                    if set.is_empty() {
                        self.referrers.remove(&id);
                    }
                }
            }
        }
    }

    /// The titles (and, for a dialect's milestones, the IDs) that name
    /// milestones, from the roadmaps and the dialect files that define
    /// milestones (the milestone-tracking workflow's YAML).
    fn rebuild_milestone_titles(&mut self) {
        let mut titles = HashMap::new();
        let mut groups: HashMap<String, Vec<Id>> = HashMap::new();
        for file in self.files.values().filter(|f| defines_milestones(f)) {
            for item in file
                .facts
                .items
                .iter()
                .filter(|i| i.kind == ItemKind::Milestone)
            {
                // A dialect's milestone (`milestone-001`) is also named by
                // its ID where a title is expected (`**Milestone:**`).
                if file.facts.kind != FileKind::Roadmap {
                    titles.entry(normalize_title(&item.id)).or_insert(item.id);
                }
                titles.insert(normalize_title(&item.title), item.id);
                if let Some((group, rest)) = split_group(&item.title) {
                    titles.insert(normalize_title(rest), item.id);
                    groups
                        .entry(normalize_title(group))
                        .or_default()
                        .push(item.id);
                }
            }
        }
        for (group, ids) in groups {
            if let [only] = ids.as_slice() {
                titles.entry(group).or_insert(*only);
            } else {
                // A group shared by several milestones names the latest one
                // only when written alone; keep it ambiguous instead.
                titles.remove(&group);
            }
        }
        self.has_roadmap = !titles.is_empty();
        self.milestone_titles = Arc::new(titles);
    }

    /// The canonical ID a target resolves to, if it names a known item.
    pub fn resolve(&self, target: &Target) -> Option<Id> {
        match target {
            Target::Id(id) => self
                .defs
                .get(id)
                .and_then(|locs| locs.first())
                .map(|loc| loc.id),
            Target::MilestoneTitle(title) => {
                let key = normalize_title(title);
                self.milestone_titles
                    .get(&key)
                    .or_else(|| {
                        split_group(title).and_then(|(group, rest)| {
                            self.milestone_titles
                                .get(&normalize_title(rest))
                                .or_else(|| self.milestone_titles.get(&normalize_title(group)))
                        })
                    })
                    .copied()
            }
        }
    }

    /// [`Workspace::resolve`], as text.
    pub fn resolve_str(&self, target: &Target) -> Option<&'static str> {
        self.resolve(target).map(Id::as_str)
    }

    /// Whether any roadmap defines milestones.
    pub fn has_roadmap(&self) -> bool {
        self.has_roadmap
    }

    pub fn file(&self, rel: &str) -> Option<&Arc<SourceFile>> {
        self.files.get(rel)
    }

    /// Every parsed file, in path order.
    pub fn files(&self) -> Vec<&Arc<SourceFile>> {
        self.sorted_files().iter().collect()
    }

    /// Every parsed file, in path order.
    pub fn sorted_files(&self) -> FileList<'_> {
        self.path_order().all()
    }

    fn path_order(&self) -> &PathOrder {
        self.sorted.get_or_init(|| {
            let mut files: Vec<Arc<SourceFile>> = self.files.values().cloned().collect();
            files.sort_unstable_by(|a, b| a.rel.cmp(&b.rel));
            PathOrder::from_sorted(files)
        })
    }

    /// The parsed files anywhere under `folder` (a path prefix ending in
    /// `/`, or empty for the root), in path order.
    pub fn files_under(&self, folder: &str) -> FileList<'_> {
        self.path_order().under(folder)
    }

    /// The parsed files directly in `folder` (a path prefix ending in `/`,
    /// or empty for the root), in path order.
    pub fn files_in_folder<'a>(
        &'a self,
        folder: &'a str,
    ) -> impl Iterator<Item = &'a Arc<SourceFile>> + 'a {
        self.files_under(folder)
            .into_iter()
            .filter(move |f| !f.rel[folder.len()..].contains('/'))
    }

    /// The status a stories index (`stories/README.md`) gives the story
    /// `id`, from the row's `Status` (or `State`) cell.
    pub fn story_index_progress(&self, id: &str) -> Option<Progress> {
        self.index_files
            .iter()
            .filter_map(|rel| self.files.get(rel.as_str()))
            .filter(|f| f.facts.kind == FileKind::StoryIndex)
            .filter_map(|f| Some((&*f.text, f.facts.index.as_ref()?)))
            .flat_map(|(text, table)| {
                table
                    .rows
                    .iter()
                    .filter(|row| row.id == id)
                    .map(move |row| (text, row))
            })
            .find_map(|(text, row)| {
                let cell = row.cell("status").or_else(|| row.cell("state"))?;
                crate::analysis::parse::progress_of(cell.value(text))
            })
    }

    /// How far along an item is: its own status; for a story without one,
    /// its stories index's; for a dialect's item, what the dialect's other
    /// files say (a GSD plan's summary, a Backlog.md board column, a BMAD
    /// story's row of `sprint-status.yaml`).
    pub fn progress(&self, item: &Item) -> Option<Progress> {
        match item.progress {
            None if item.kind == ItemKind::Story => {
                self.story_index_progress(&item.id).or_else(|| {
                    let file = self.file_of(item)?;
                    crate::analysis::dialect::progress(self, file, item)
                })
            }
            None => {
                let file = self.file_of(item)?;
                crate::analysis::dialect::progress(self, file, item)
            }
            progress => progress,
        }
    }

    /// The file that defines `item`: the one holding this very item when
    /// its ID is defined more than once, else its ID's first definition.
    fn file_of(&self, item: &Item) -> Option<&Arc<SourceFile>> {
        let defs = self.definitions(&item.id);
        let holds = |loc: &&ItemLoc| {
            self.files
                .get(&*loc.rel)
                .and_then(|f| f.facts.items.get(loc.index))
                .is_some_and(|defined| std::ptr::eq(defined, item))
        };
        let loc = defs.iter().find(holds).or(defs.first())?;
        self.files.get(&*loc.rel)
    }

    /// The issue and story index files, in path order.
    pub fn index_files(&self) -> impl Iterator<Item = &str> {
        self.index_files.iter().map(String::as_str)
    }

    pub fn file_count(&self) -> usize {
        self.files.len() + self.unreadable.len()
    }

    /// Planning files that could not be read, with the reason.
    pub fn unreadable(&self) -> &BTreeMap<String, String> {
        &self.unreadable
    }

    /// Where `rel`, as read from disk, stopped being UTF-8; `None` for a
    /// file that is UTF-8 or whose text came whole from an editor.
    pub fn invalid_utf8(&self, rel: &str) -> Option<InvalidUtf8> {
        self.not_utf8.get(rel).copied()
    }

    pub fn item_at(&self, loc: &ItemLoc) -> &Item {
        &self
            .files
            .get(&*loc.rel)
            .expect("a definition's file is loaded")
            .facts
            .items[loc.index]
    }

    /// Every place an ID (or alias) is defined.
    pub fn definitions(&self, id: &(impl AsId + ?Sized)) -> &[ItemLoc] {
        id.to_id()
            .and_then(|id| self.defs.get(&id))
            .map_or(&[], Vec::as_slice)
    }

    /// The first definition of an ID or alias.
    pub fn item(&self, id: &(impl AsId + ?Sized)) -> Option<(&Arc<SourceFile>, &Item)> {
        let loc = self.defs.get(&id.to_id()?)?.first()?;
        let file = self.files.get(&*loc.rel)?;
        Some((file, file.facts.items.get(loc.index)?))
    }

    /// Every item, in path order.
    pub fn items(&self) -> impl Iterator<Item = (&Arc<SourceFile>, &Item)> {
        self.files()
            .into_iter()
            .flat_map(|f| f.facts.items.iter().map(move |i| (f, i)))
    }

    /// The IDs of the items that depend on `id`, each once, in order.
    pub fn dependents(&self, id: &(impl AsId + ?Sized)) -> impl Iterator<Item = Id> + '_ {
        let mut last: Option<Id> = None;
        id.to_id()
            .and_then(|id| self.dependents.get(&id))
            .into_iter()
            .flatten()
            .map(|&(item, _)| item)
            .filter(move |&item| last.replace(item) != Some(item))
    }

    /// The files that name `id` anywhere (dependencies, index, brief).
    pub fn referrers(&self, id: &(impl AsId + ?Sized)) -> impl Iterator<Item = &str> {
        id.to_id()
            .and_then(|id| self.referrers.get(&id))
            .into_iter()
            .flatten()
            .map(|rel| &**rel)
    }

    /// The highest issue number in use anywhere in the workspace: parsed
    /// issues, index rows, files that could not be read, and names the
    /// loader saw in status folders without parsing them (ignored files,
    /// other extensions, folders).
    pub fn max_issue_number(&self) -> u32 {
        let number = |id: &str| ids::issue_parts(id).map(|p| p.number);
        let items = self
            .files
            .values()
            .flat_map(|f| &f.facts.items)
            .filter(|i| i.kind == ItemKind::Issue)
            .filter_map(|i| number(&i.id));
        let rows = self
            .files
            .values()
            .filter_map(|f| f.facts.index.as_ref())
            .flat_map(|t| &t.rows)
            .filter_map(|r| number(&r.id));
        let stem = |rel: &str| {
            let name = rel.rsplit('/').next().unwrap_or(rel);
            name.split_once('.')
                .map_or(name, |(stem, _)| stem)
                .to_string()
        };
        let unread = self.unreadable.keys().filter_map(|rel| number(&stem(rel)));
        let reserved = self
            .reserved_names
            .iter()
            .filter_map(|rel| number(&stem(rel)));
        items
            .chain(rows)
            .chain(unread)
            .chain(reserved)
            .max()
            .unwrap_or(0)
    }

    /// Records names taken on disk that are not planning files the model
    /// reads (an ignored or binary `swe-feature-017.md`, a folder of that
    /// name), so new items are never given them.
    pub fn set_reserved_names(&mut self, names: BTreeSet<String>) {
        self.reserved_names = Arc::new(names);
    }
}

/// The IDs an item's own dependency fields name. (The graph adds what a
/// task inherits from its story and what a story waits for in its tasks.)
pub fn effective_dep_ids(item: &Item) -> impl Iterator<Item = Id> + '_ {
    item.deps.iter().filter_map(|d| d.target.id())
}

/// Lower-case, single-spaced, without backticks or closing punctuation.
pub fn normalize_title(title: &str) -> String {
    // A table cell writes a `|` of its text as `\|`.
    title
        .replace("\\|", "|")
        .replace('`', "")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .trim_end_matches(['.', ':'])
        .to_lowercase()
}

/// `[Group] Title` into the group and the rest.
fn split_group(title: &str) -> Option<(&str, &str)> {
    let rest = title.trim().strip_prefix('[')?;
    let close = rest.find(']')?;
    Some((&rest[..close], rest[close + 1..].trim()))
}

/// Whether a file defines milestones that `**Milestone:**` fields name by
/// title: a roadmap, or a dialect file with milestone items.
pub(crate) fn defines_milestones(file: &SourceFile) -> bool {
    file.facts.kind == FileKind::Roadmap
        || (matches!(file.facts.kind, FileKind::Dialect(_))
            && file
                .facts
                .items
                .iter()
                .any(|i| i.kind == ItemKind::Milestone))
}

impl Workspace {
    /// The ID indexes (definitions, dependents, referrers), sorted, in a
    /// form tests compare between a workspace kept up to date through
    /// edits and one loaded afresh.
    #[cfg(test)]
    pub(crate) fn index_summary(&self) -> String {
        let mut defs: Vec<_> = self.defs.iter().collect();
        defs.sort();
        let mut dependents: Vec<_> = self.dependents.iter().collect();
        dependents.sort();
        let mut referrers: Vec<_> = self.referrers.iter().collect();
        referrers.sort();
        format!(
            "defs {defs:?}\ndependents {dependents:?}\nreferrers {referrers:?}\nindexes {:?}",
            self.index_files
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rels(ws: &Workspace) -> Vec<String> {
        ws.sorted_files()
            .iter()
            .map(|f| f.rel.to_string())
            .collect()
    }

    /// Indexes and files of 1 MB or more are parsed beside the batches and
    /// added once parsed, between batches or last; the workspace must be
    /// the one that adding every file in turn makes, and a path listed
    /// twice must load as its last listing.
    #[test]
    fn a_load_with_large_files_and_indexes_equals_adding_each_file() {
        let large_description = "Words of a long description. ".repeat(40_000);
        // Enough files for three batches, each waiting for the index.
        let fillers = (1000..1000 + 2 * LOAD_BATCH + 10).map(|n| {
            (
                format!("issues/open/swe-feature-{n}.md"),
                format!("# Filler {n}\n\n**Dependencies:** swe-feature-001\n"),
            )
        });
        let mut sources: Vec<(String, String)> = vec![
            (
                "issues/backlog/swe-feature-001.md".into(),
                "# One\n\n**Dependencies:** swe-feature-003\n".into(),
            ),
            (
                "issues/backlog/swe-feature-002.md".into(),
                format!("# Two\n\n## Description\n\n{large_description}\n"),
            ),
            (
                "issues/done/swe-feature-003.md".into(),
                "# Three\n\n**Status:** done\n".into(),
            ),
            (
                "issues/issues-list.md".into(),
                "| ID | Title |\n|---|---|\n| swe-feature-001 | One |\n".into(),
            ),
            (
                "issues/done/swe-feature-003.md".into(),
                "# Three again\n\n**Dependencies:** swe-feature-002\n".into(),
            ),
        ];
        sources.extend(fillers);
        assert!(sources[1].1.len() >= LARGE_FILE_BYTES);

        let mut loaded = Workspace::new(Config::default(), Vec::new());
        let mut added = 0;
        loaded.load_with(
            sources.clone(),
            |text| FileInput::Text(Arc::from(text)),
            |count| added += count,
        );
        let mut one_by_one = Workspace::new(Config::default(), Vec::new());
        for (rel, text) in &sources {
            one_by_one.set_file(rel, Arc::from(text.as_str()));
        }

        assert_eq!(added, sources.len());
        assert!(
            loaded.sorted.get().is_some(),
            "the load leaves its path order, indexes and large files in place"
        );
        assert_eq!(rels(&loaded), rels(&one_by_one));
        assert_eq!(loaded.index_summary(), one_by_one.index_summary());
        for file in one_by_one.sorted_files() {
            assert_eq!(loaded.file(&file.rel).map(|f| &**f), Some(&**file));
        }
        assert_eq!(
            loaded.dependents("swe-feature-002").collect::<Vec<_>>(),
            ["swe-feature-003"]
        );
    }

    /// An ID defined in two files waits through both: removing one file
    /// keeps the other's dependency (the property test of `impact.rs`
    /// found it lost when the index was keyed by the ID alone).
    #[test]
    fn a_dependency_of_an_id_defined_twice_outlives_one_definition() {
        let mut ws = Workspace::new(Config::default(), Vec::new());
        let text = "# Step\n\n**Dependencies:** swe-feature-005\n";
        ws.set_file("issues/done/swe-feature-001.md", Arc::from(text));
        ws.set_file("issues/backlog/swe-feature-001.md", Arc::from(text));
        assert_eq!(
            ws.dependents("swe-feature-005").collect::<Vec<_>>(),
            ["swe-feature-001"]
        );
        ws.remove_file("issues/backlog/swe-feature-001.md");
        assert_eq!(
            ws.dependents("swe-feature-005").collect::<Vec<_>>(),
            ["swe-feature-001"]
        );
        ws.set_file("issues/done/swe-feature-001.md", Arc::from("# Step\n"));
        assert_eq!(ws.dependents("swe-feature-005").count(), 0);
    }

    /// The path-ordered list kept through edits is the one a sort would
    /// make, and a version handed out before an edit keeps its own.
    #[test]
    fn the_path_order_follows_edits_without_touching_earlier_versions() {
        let mut ws = Workspace::new(Config::default(), Vec::new());
        let issue = |n: u32| {
            (
                format!("issues/backlog/swe-feature-{n:03}.md"),
                format!("# Step {n}\n"),
            )
        };
        for n in [5, 1, 9] {
            let (rel, text) = issue(n);
            ws.set_file(&rel, Arc::from(text));
        }
        assert_eq!(rels(&ws).len(), 3);
        let before = ws.clone();
        // Insert at the front, in the middle and at the end, replace one
        // and remove one, with the list made.
        for n in [0, 7, 12] {
            let (rel, text) = issue(n);
            ws.set_file(&rel, Arc::from(text));
        }
        ws.set_file(
            "issues/backlog/swe-feature-005.md",
            Arc::from("# Changed\n"),
        );
        ws.remove_file("issues/backlog/swe-feature-009.md");
        let mut expected: Vec<String> = ws.files.values().map(|f| f.rel.to_string()).collect();
        expected.sort();
        assert_eq!(rels(&ws), expected);
        assert_eq!(
            ws.files_under("issues/backlog/")
                .get(1)
                .map(|f| f.text.as_ref()),
            Some("# Step 1\n")
        );
        let changed = ws.file("issues/backlog/swe-feature-005.md").expect("kept");
        assert!(
            ws.sorted_files()
                .get(2)
                .is_some_and(|f| Arc::ptr_eq(changed, f)),
            "the list holds the new version"
        );
        assert_eq!(rels(&before).len(), 3, "the earlier version keeps its list");
        // Many edits in a row keep it in order, without a sort.
        for n in 100..400 {
            let (rel, text) = issue(n);
            ws.set_file(&rel, Arc::from(text));
        }
        assert!(ws.sorted.get().is_some(), "kept up to date, not dropped");
        let mut expected: Vec<String> = ws.files.values().map(|f| f.rel.to_string()).collect();
        expected.sort();
        assert_eq!(rels(&ws), expected);
    }

    /// A load in path order into an empty workspace makes the path-ordered
    /// list as it goes; any other order, or files that are unreadable or
    /// not planning files, still give the same list.
    #[test]
    fn a_load_gives_the_path_order_whatever_the_order_of_its_sources() {
        let sources = |numbers: &[u32]| -> Vec<(String, FileInput)> {
            let mut out: Vec<(String, FileInput)> = numbers
                .iter()
                .map(|n| {
                    (
                        format!("issues/backlog/swe-feature-{n:03}.md"),
                        FileInput::Text(Arc::from(format!("# Step {n}\n"))),
                    )
                })
                .collect();
            out.push(("notes/todo.txt".into(), FileInput::Text(Arc::from("x"))));
            out.push((
                "issues/backlog/swe-feature-500.md".into(),
                FileInput::Unreadable("permission denied".into()),
            ));
            out
        };
        let expected: Vec<String> = [1, 2, 3, 7]
            .iter()
            .map(|n| format!("issues/backlog/swe-feature-{n:03}.md"))
            .collect();
        let mut in_order = Workspace::new(Config::default(), Vec::new());
        let mut listed = sources(&[1, 2, 3, 7]);
        listed.sort_by(|a, b| a.0.cmp(&b.0));
        in_order.load(listed);
        assert!(in_order.sorted.get().is_some(), "made during the load");
        assert_eq!(rels(&in_order), expected);
        let mut shuffled = Workspace::new(Config::default(), Vec::new());
        shuffled.load(sources(&[7, 2, 3, 1]));
        assert!(
            shuffled.sorted.get().is_none(),
            "left for a sort on first use"
        );
        assert_eq!(rels(&shuffled), expected);
        // A second load into a workspace with files keeps them in order.
        in_order.load(sources(&[5]));
        let mut more = expected.clone();
        more.insert(3, "issues/backlog/swe-feature-005.md".into());
        assert_eq!(rels(&in_order), more);
    }
}
