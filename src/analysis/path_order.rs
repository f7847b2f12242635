//! The parsed files of a workspace in path order, in chunks behind `Arc`s.
//!
//! The language server hands each request a copy of the workspace and
//! applies the next edit to the original. With one flat list, every edit
//! copied the pointers to all files (110,000 at the top of the benchmarks'
//! scale) and touched each file's reference count; with chunks an edit
//! copies the list of chunks and the one chunk holding the file.

use rayon::prelude::*;
use std::sync::Arc;

use crate::analysis::workspace::SourceFile;

/// How many files a chunk starts with; one that grows to twice this is
/// split in two.
const CHUNK: usize = 1024;

type Chunk = Arc<Vec<Arc<SourceFile>>>;

#[derive(Clone, Default)]
pub(crate) struct PathOrder {
    /// Never an empty chunk.
    chunks: Vec<Chunk>,
    len: usize,
}

/// Where a file is, or would go, in the list.
struct Position {
    chunk: usize,
    offset: usize,
}

impl PathOrder {
    /// The list of `files`, which are in path order.
    pub(crate) fn from_sorted(files: Vec<Arc<SourceFile>>) -> PathOrder {
        PathOrder {
            len: files.len(),
            chunks: files
                .chunks(CHUNK)
                .map(|chunk| Arc::new(chunk.to_vec()))
                .collect(),
        }
    }

    pub(crate) fn all(&self) -> FileList<'_> {
        FileList {
            chunks: &self.chunks,
            first: 0,
            len: self.len,
        }
    }

    /// The files whose path starts with `folder`.
    pub(crate) fn under(&self, folder: &str) -> FileList<'_> {
        let start = self.position(|f| &*f.rel < folder);
        let end = self.position(|f| &*f.rel < folder || f.rel.starts_with(folder));
        FileList {
            chunks: &self.chunks[start.chunk.min(self.chunks.len())..],
            first: start.offset,
            len: self.index_of(&end) - self.index_of(&start),
        }
    }

    /// Puts `file` at `rel`, or takes `rel` out (`None`).
    pub(crate) fn set(&mut self, rel: &str, file: Option<&Arc<SourceFile>>) {
        let at = self.position(|f| &*f.rel < rel);
        let found = self
            .chunks
            .get(at.chunk)
            .and_then(|chunk| chunk.get(at.offset))
            .is_some_and(|f| &*f.rel == rel);
        match (found, file) {
            (true, Some(file)) => {
                Arc::make_mut(&mut self.chunks[at.chunk])[at.offset] = Arc::clone(file);
            }
            (true, None) => {
                let chunk = Arc::make_mut(&mut self.chunks[at.chunk]);
                chunk.remove(at.offset);
                if chunk.is_empty() {
                    self.chunks.remove(at.chunk);
                }
                self.len -= 1;
            }
            (false, Some(file)) => {
                self.insert(at, Arc::clone(file));
                self.len += 1;
            }
            (false, None) => {}
        }
    }

    fn insert(&mut self, at: Position, file: Arc<SourceFile>) {
        // Past the last file: at the end of the last chunk.
        let (index, offset) = match self.chunks.len() {
            0 => {
                self.chunks.push(Arc::new(vec![file]));
                return;
            }
            count if at.chunk >= count => (count - 1, self.chunks[count - 1].len()),
            _ => (at.chunk, at.offset),
        };
        let chunk = Arc::make_mut(&mut self.chunks[index]);
        chunk.insert(offset, file);
        if chunk.len() >= 2 * CHUNK {
            let tail = chunk.split_off(CHUNK);
            self.chunks.insert(index + 1, Arc::new(tail));
        }
    }

    /// The first place where `before` no longer holds; it must hold for a
    /// leading run of the list and for nothing after it.
    fn position(&self, before: impl Fn(&SourceFile) -> bool) -> Position {
        let chunk = self
            .chunks
            .partition_point(|c| c.last().is_some_and(|f| before(f)));
        let offset = self
            .chunks
            .get(chunk)
            .map_or(0, |c| c.partition_point(|f| before(f)));
        Position { chunk, offset }
    }

    /// How many files come before `at`.
    fn index_of(&self, at: &Position) -> usize {
        let before: usize = self.chunks[..at.chunk.min(self.chunks.len())]
            .iter()
            .map(|c| c.len())
            .sum();
        before + at.offset
    }
}

/// Some files of a workspace in path order: all of them, or those under a
/// folder. It borrows the workspace's list.
#[derive(Clone, Copy)]
pub struct FileList<'a> {
    chunks: &'a [Chunk],
    /// Where the list starts in the first chunk.
    first: usize,
    len: usize,
}

impl<'a> FileList<'a> {
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn iter(&self) -> FileIter<'a> {
        FileIter {
            chunks: self.chunks,
            chunk: 0,
            offset: self.first,
            left: self.len,
        }
    }

    pub fn get(&self, index: usize) -> Option<&'a Arc<SourceFile>> {
        self.iter().nth(index)
    }

    pub fn first(&self) -> Option<&'a Arc<SourceFile>> {
        self.get(0)
    }

    /// The files on every core.
    pub fn par_iter(&self) -> impl ParallelIterator<Item = &'a Arc<SourceFile>> + 'a {
        let mut pieces: Vec<&'a [Arc<SourceFile>]> = Vec::new();
        let (mut offset, mut left) = (self.first, self.len);
        for chunk in self.chunks {
            if left == 0 {
                break;
            }
            let piece = chunk.get(offset..).unwrap_or_default();
            let piece = &piece[..piece.len().min(left)];
            left -= piece.len();
            offset = 0;
            pieces.push(piece);
        }
        pieces.into_par_iter().flat_map_iter(|piece| piece.iter())
    }
}

impl<'a> IntoIterator for FileList<'a> {
    type Item = &'a Arc<SourceFile>;
    type IntoIter = FileIter<'a>;

    fn into_iter(self) -> FileIter<'a> {
        self.iter()
    }
}

impl<'a> IntoIterator for &FileList<'a> {
    type Item = &'a Arc<SourceFile>;
    type IntoIter = FileIter<'a>;

    fn into_iter(self) -> FileIter<'a> {
        self.iter()
    }
}

/// The files of a [`FileList`], chunk after chunk.
#[derive(Clone)]
pub struct FileIter<'a> {
    chunks: &'a [Chunk],
    chunk: usize,
    offset: usize,
    left: usize,
}

impl<'a> Iterator for FileIter<'a> {
    type Item = &'a Arc<SourceFile>;

    fn next(&mut self) -> Option<&'a Arc<SourceFile>> {
        while self.left > 0 {
            let chunk = self.chunks.get(self.chunk)?;
            if let Some(file) = chunk.get(self.offset) {
                self.offset += 1;
                self.left -= 1;
                return Some(file);
            }
            self.chunk += 1;
            self.offset = 0;
        }
        None
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.left, Some(self.left))
    }
}

impl ExactSizeIterator for FileIter<'_> {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::model::FileKind;

    fn file(n: usize) -> Arc<SourceFile> {
        let rel = format!("issues/{}/f-{n:05}.md", if n % 2 == 0 { "a" } else { "b" });
        Arc::new(SourceFile::parse(&rel, Arc::from(""), FileKind::Issue))
    }

    fn rels(list: FileList<'_>) -> Vec<String> {
        list.iter().map(|f| f.rel.to_string()).collect()
    }

    fn sorted(mut files: Vec<Arc<SourceFile>>) -> Vec<String> {
        files.sort_by(|a, b| a.rel.cmp(&b.rel));
        files.iter().map(|f| f.rel.to_string()).collect()
    }

    #[test]
    fn edits_keep_the_order_and_copy_one_chunk() {
        let mut files: Vec<Arc<SourceFile>> = (0..3 * CHUNK).map(file).collect();
        files.sort_by(|a, b| a.rel.cmp(&b.rel));
        let mut order = PathOrder::from_sorted(files.clone());
        let before = order.clone();
        // Inserts enough at the end of `issues/b/` (the last chunk) to
        // split it, replaces and removes in the first chunk.
        let added: Vec<Arc<SourceFile>> =
            (10_001..10_001 + 4 * CHUNK).step_by(2).map(file).collect();
        for f in &added {
            order.set(&f.rel, Some(f));
        }
        let replaced = Arc::new(SourceFile::parse(
            &files[5].rel,
            Arc::from("# New\n"),
            FileKind::Issue,
        ));
        order.set(&files[5].rel, Some(&replaced));
        order.set(&files[7].rel, None);
        order.set("issues/a/absent.md", None);
        let mut expected: Vec<Arc<SourceFile>> = files.iter().chain(&added).cloned().collect();
        expected.retain(|f| f.rel != files[7].rel);
        assert_eq!(rels(order.all()), sorted(expected.clone()));
        assert_eq!(order.all().len(), expected.len());
        assert!(order
            .chunks
            .iter()
            .all(|c| !c.is_empty() && c.len() < 2 * CHUNK));
        assert!(Arc::ptr_eq(
            order.all().iter().find(|f| f.rel == files[5].rel).unwrap(),
            &replaced
        ));
        // The copy made before the edits is as it was, and shares the
        // chunk the edits did not touch (the middle one).
        assert_eq!(rels(before.all()), sorted(files.clone()));
        let shared = |c: &Chunk| order.chunks.iter().any(|d| Arc::ptr_eq(c, d));
        assert_eq!(
            before.chunks.iter().map(shared).collect::<Vec<_>>(),
            [false, true, false]
        );
    }

    #[test]
    fn a_folder_gives_its_files_across_chunks() {
        let mut files: Vec<Arc<SourceFile>> = (0..3 * CHUNK + 7).map(file).collect();
        files.sort_by(|a, b| a.rel.cmp(&b.rel));
        let order = PathOrder::from_sorted(files.clone());
        let under_b = order.under("issues/b/");
        let expected: Vec<String> = sorted(files.clone())
            .into_iter()
            .filter(|r| r.starts_with("issues/b/"))
            .collect();
        assert_eq!(rels(under_b), expected);
        assert_eq!(under_b.len(), expected.len());
        assert_eq!(
            under_b.get(1).map(|f| f.rel.to_string()),
            expected.get(1).cloned()
        );
        let parallel: Vec<String> = under_b.par_iter().map(|f| f.rel.to_string()).collect();
        assert_eq!(parallel, expected);
        assert!(order.under("issues/c/").is_empty());
        assert_eq!(order.under("").len(), files.len());
        assert!(PathOrder::default().under("issues/").is_empty());
    }
}
