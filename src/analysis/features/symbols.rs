//! Document symbols (item, sections, criteria, tasks) as a tree, and
//! workspace symbols: every item by ID and title, fuzzy-matched.

use std::collections::HashSet;

use crate::analysis::model::{Criterion, FileKind, Item, ItemKind, Section};
use crate::analysis::text::TextRange;
use crate::analysis::workspace::{SourceFile, Workspace};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SymbolKind {
    Item(ItemKind),
    Section,
    Criterion,
    /// A row of the issues index.
    IndexRow,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Symbol {
    pub name: String,
    pub detail: Option<String>,
    pub kind: SymbolKind,
    /// The whole extent, holding every child.
    pub range: TextRange,
    /// The name to select, inside `range`.
    pub selection_range: TextRange,
    pub children: Vec<Symbol>,
}

/// The outline of the file `rel`.
pub fn document_symbols(ws: &Workspace, rel: &str) -> Vec<Symbol> {
    let Some(file) = ws.file(rel) else {
        return Vec::new();
    };
    let ids: HashSet<&str> = file.facts.items.iter().map(|i| i.id.as_str()).collect();
    let stories: Vec<TextRange> = file
        .facts
        .items
        .iter()
        .filter(|i| i.kind == ItemKind::Story)
        .map(|i| i.range)
        .collect();
    let mut out: Vec<Symbol> = file
        .facts
        .items
        .iter()
        .filter(|i| !i.parent.as_deref().is_some_and(|p| ids.contains(p)))
        // A criterion item in a story (BMAD's) is shown in its section.
        .filter(|i| !(i.kind == ItemKind::Criterion && in_story(&stories, i)))
        .map(|item| symbol_tree(file, item, 0))
        .collect();
    if let Some(index) = &file.facts.index {
        for row in &index.rows {
            out.push(Symbol {
                name: row.id.to_string(),
                detail: row.cell("title").map(|c| c.value(&file.text).to_string()),
                kind: SymbolKind::IndexRow,
                range: without_break(&file.text, row.line_range),
                selection_range: row.id_range,
                children: Vec::new(),
            });
        }
    }
    out
}

/// An item's symbol with its children of the same file below it: a
/// story's tasks sit in its `## Tasks` section, a task's sub-tasks and a
/// requirement's criteria directly under it. The symbol's range grows to
/// hold its children, as LSP clients expect. Repeated IDs can make the
/// parent links loop, so the tree stops at [`MAX_DEPTH`] levels.
fn symbol_tree(file: &SourceFile, item: &Item, depth: usize) -> Symbol {
    let mut symbol = item_symbol(file, item);
    if item.kind == ItemKind::Story || depth == MAX_DEPTH {
        return symbol;
    }
    for child in file
        .facts
        .items
        .iter()
        .filter(|c| c.parent.as_deref() == Some(item.id.as_str()) && c.id != item.id)
    {
        let child = symbol_tree(file, child, depth + 1);
        symbol.range = TextRange::new(
            symbol.range.start().min(child.range.start()),
            symbol.range.end().max(child.range.end()),
        );
        symbol.children.push(child);
    }
    symbol.children.sort_by_key(|s| s.range.start());
    symbol
}

/// Whether `item` lies in one of the `stories` (their ranges).
fn in_story(stories: &[TextRange], item: &Item) -> bool {
    stories.iter().any(|story| story.contains_range(item.range))
}

/// How deep the outline nests items (sub-sub-tasks are three levels).
const MAX_DEPTH: usize = 16;

fn item_symbol(file: &SourceFile, item: &Item) -> Symbol {
    let mut sections: Vec<Symbol> = Vec::new();
    // Sections nest by level: a stack of the open ones, closed as a heading
    // of the same or a higher level comes.
    let mut stack: Vec<(u8, Symbol)> = Vec::new();
    let own = |s: &Section| s.level == 1 && s.heading_range.contains_range(item.def_range);
    for section in item.sections.iter().filter(|s| !own(s)) {
        while stack
            .last()
            .is_some_and(|(level, _)| *level >= section.level)
        {
            close(&mut stack, &mut sections);
        }
        let mut symbol = Symbol {
            name: section.title(&file.text).to_string(),
            detail: None,
            kind: SymbolKind::Section,
            range: section.range,
            selection_range: section.heading_range,
            children: Vec::new(),
        };
        let direct = |r: TextRange| {
            // Only what no deeper section holds belongs to this one.
            section.range.contains_range(r)
                && !item.sections.iter().any(|s| {
                    s.level > section.level
                        && s.range.contains_range(r)
                        && section.range.contains_range(s.range)
                })
        };
        for c in item.criteria.iter().filter(|c| direct(c.line_range)) {
            symbol.children.push(criterion_symbol(&file.text, c));
        }
        if item.kind == ItemKind::Story {
            let stories = [item.range];
            for criterion in file.facts.items.iter().filter(|c| {
                c.kind == ItemKind::Criterion
                    && c.parent.as_deref().is_none_or(|p| p == item.id.as_str())
                    && in_story(&stories, c)
                    && direct(c.range)
            }) {
                symbol.children.push(plain_item_symbol(criterion));
            }
            for task in file.facts.items.iter().filter(|t| {
                t.kind == ItemKind::Task && t.parent.as_deref() == Some(&item.id) && direct(t.range)
            }) {
                // A task with its sub-tasks under it.
                symbol.children.push(symbol_tree(file, task, 1));
            }
        }
        stack.push((section.level, symbol));
    }
    while !stack.is_empty() {
        close(&mut stack, &mut sections);
    }
    let mut symbol = plain_item_symbol(item);
    symbol.children = sections;
    symbol
}

fn close(stack: &mut Vec<(u8, Symbol)>, top: &mut Vec<Symbol>) {
    if let Some((_, symbol)) = stack.pop() {
        match stack.last_mut() {
            Some((_, parent)) => {
                parent.children.push(symbol);
                parent.children.sort_by_key(|s| s.range.start());
            }
            None => top.push(symbol),
        }
    }
}

fn plain_item_symbol(item: &Item) -> Symbol {
    Symbol {
        name: item.id.to_string(),
        detail: (!item.title.is_empty()).then(|| item.title.to_string()),
        kind: SymbolKind::Item(item.kind),
        range: item.range,
        selection_range: item.def_range,
        children: Vec::new(),
    }
}

fn criterion_symbol(text: &str, c: &Criterion) -> Symbol {
    let name: String = c.text(text).chars().take(80).collect();
    Symbol {
        name: if name.is_empty() {
            "(empty)".into()
        } else {
            name
        },
        detail: Some(if c.checked { "done" } else { "open" }.into()),
        kind: SymbolKind::Criterion,
        range: without_break(text, c.line_range),
        selection_range: if c.text_range.is_empty() {
            c.box_range
        } else {
            c.text_range
        },
        children: Vec::new(),
    }
}

fn without_break(text: &str, range: TextRange) -> TextRange {
    let slice = &text[range.start()..range.end()];
    TextRange::new(
        range.start(),
        range.start() + slice.trim_end_matches(['\n', '\r']).len(),
    )
}

/// At most this many workspace symbols are returned.
pub const WORKSPACE_LIMIT: usize = 200;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkspaceSymbol {
    pub id: String,
    pub title: String,
    /// What a symbol list shows: the ID and the title (`swe-feature-002 ·
    /// Receive carrier webhooks`), or the ID alone when it ends with the
    /// title (OpenSpec's `tracking/Parcel timeline`). Clients filter the
    /// matches by it, so a query of title words must find it there.
    pub name: String,
    /// What holds the item: its parent's ID (a criterion's requirement, a
    /// task's story), else its file's path.
    pub container: String,
    pub kind: ItemKind,
    pub rel: String,
    /// The item's name in its file.
    pub range: TextRange,
}

/// Every item whose ID and title hold the query's characters in order,
/// best matches first. The files are scored on every core, without an
/// allocation per item that does not match, and only the best
/// [`WORKSPACE_LIMIT`] are sorted.
pub fn workspace_symbols(ws: &Workspace, query: &str) -> Vec<WorkspaceSymbol> {
    use rayon::prelude::*;

    let query = FuzzyQuery::new(query);
    // Each thread keeps its best matches only, trimmed back to the limit
    // whenever they reach twice it: a query most items match (`swe-feat`,
    // or none at all) collects hundreds, not 100,000.
    let mut scored: Vec<Scored<'_>> = ws
        .sorted_files()
        .par_iter()
        .filter(|file| file.facts.kind != FileKind::Index)
        .fold(Vec::new, |mut best, file| {
            for (i, item) in file.facts.items.iter().enumerate() {
                if let Some(score) = query.score(&item.id, &item.title) {
                    best.push((score, item.id.as_str(), &**file, i));
                }
            }
            if best.len() >= 2 * WORKSPACE_LIMIT {
                keep_best(&mut best);
            }
            best
        })
        .reduce(Vec::new, |mut best, more| {
            best.extend(more);
            if best.len() >= 2 * WORKSPACE_LIMIT {
                keep_best(&mut best);
            }
            best
        });
    keep_best(&mut scored);
    scored.sort_by(best_first);
    scored
        .into_iter()
        .map(|(_, _, file, i)| {
            let item = &file.facts.items[i];
            WorkspaceSymbol {
                id: item.id.to_string(),
                title: item.title.to_string(),
                name: shown_name(item),
                container: item
                    .parent
                    .as_deref()
                    .map_or_else(|| file.rel.to_string(), str::to_string),
                kind: item.kind,
                rel: file.rel.to_string(),
                range: item.def_range,
            }
        })
        .collect()
}

/// The ID and the title, or the ID alone when it says the title already.
pub(crate) fn shown_name(item: &Item) -> String {
    let title = item.title.trim();
    if title.is_empty() || *item.id == *title || item.id.ends_with(&format!("/{title}")) {
        item.id.to_string()
    } else {
        format!("{} · {title}", item.id)
    }
}

/// A match: its score, the item's ID, its file and its index there.
type Scored<'a> = (i64, &'a str, &'a SourceFile, usize);

/// Higher scores first, then by ID, path and place in the file.
fn best_first(a: &Scored<'_>, b: &Scored<'_>) -> std::cmp::Ordering {
    b.0.cmp(&a.0)
        .then_with(|| a.1.cmp(b.1))
        .then_with(|| a.2.rel.cmp(&b.2.rel))
        .then_with(|| a.3.cmp(&b.3))
}

/// The best [`WORKSPACE_LIMIT`] of `scored`, in no particular order.
fn keep_best(scored: &mut Vec<Scored<'_>>) {
    if scored.len() > WORKSPACE_LIMIT {
        scored.select_nth_unstable_by(WORKSPACE_LIMIT, best_first);
        scored.truncate(WORKSPACE_LIMIT);
    }
}

/// A query for [`workspace_symbols`], prepared once for every item.
struct FuzzyQuery {
    /// The query's characters, lower-cased, without white space.
    chars: Vec<char>,
    /// The same as text, for the bonus of an ID that starts with it.
    text: String,
    /// Whether `text` is all ASCII: then an item whose ID and title are
    /// ASCII too is scored byte by byte, with no case mapping of chars.
    ascii: bool,
}

impl FuzzyQuery {
    fn new(query: &str) -> FuzzyQuery {
        let chars: Vec<char> = query
            .chars()
            .filter(|c| !c.is_whitespace())
            .flat_map(char::to_lowercase)
            .collect();
        let text: String = chars.iter().collect();
        FuzzyQuery {
            ascii: text.is_ascii(),
            chars,
            text,
        }
    }

    /// A subsequence match of the query in `id title`: higher for matches
    /// at word starts and in runs, and for a match of the ID's start.
    /// `None` when the characters are not all there in order.
    fn score(&self, id: &str, title: &str) -> Option<i64> {
        if self.chars.is_empty() {
            return Some(0);
        }
        if self.ascii && id.is_ascii() && title.is_ascii() {
            self.score_ascii(id, title)
        } else {
            self.score_by_chars(id, title)
        }
    }

    /// [`FuzzyQuery::score`] of an ASCII query, ID and title.
    fn score_ascii(&self, id: &str, title: &str) -> Option<i64> {
        let candidate = id
            .bytes()
            .chain([b' '])
            .chain(title.bytes())
            .map(|b| char::from(b.to_ascii_lowercase()));
        let score = self.subsequence_score(candidate)?;
        let prefix = id
            .as_bytes()
            .get(..self.text.len())
            .is_some_and(|start| start.eq_ignore_ascii_case(self.text.as_bytes()));
        Some(score + if prefix { 50 } else { 0 })
    }

    /// [`FuzzyQuery::score`] of any text, char by char.
    fn score_by_chars(&self, id: &str, title: &str) -> Option<i64> {
        let candidate = id
            .chars()
            .chain([' '])
            .chain(title.chars())
            .flat_map(char::to_lowercase);
        let score = self.subsequence_score(candidate)?;
        let prefix = id.to_lowercase().starts_with(&self.text);
        Some(score + if prefix { 50 } else { 0 })
    }

    /// The score of the query's characters found in order in `candidate`
    /// (lower-case already), before the ID-start bonus.
    fn subsequence_score(&self, candidate: impl Iterator<Item = char>) -> Option<i64> {
        let query = &self.chars;
        let mut score = 0i64;
        let mut q = 0;
        let mut last: Option<usize> = None;
        let mut previous: Option<char> = None;
        for (i, c) in candidate.enumerate() {
            if q == query.len() {
                break;
            }
            let word_start = previous.is_none_or(|p| !p.is_alphanumeric());
            previous = Some(c);
            if c != query[q] {
                continue;
            }
            score += 1;
            if word_start {
                score += 8;
            }
            match last {
                Some(l) if l + 1 == i => score += 5,
                Some(l) => score -= ((i - l - 1) as i64).min(10),
                None => score -= (i as i64).min(10),
            }
            last = Some(i);
            q += 1;
        }
        (q == query.len()).then_some(score)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::analysis::config::Config;

    proptest::proptest! {
        /// The byte-wise scoring of ASCII text scores as the char-wise one.
        #[test]
        fn ascii_scoring_matches_scoring_by_chars(
            query in "[a-zA-Z0-9 -]{0,6}",
            id in "[a-zA-Z0-9-]{0,12}",
            title in "[a-zA-Z0-9 .,-]{0,24}",
        ) {
            let query = FuzzyQuery::new(&query);
            proptest::prop_assume!(!query.chars.is_empty());
            proptest::prop_assert_eq!(
                query.score_ascii(&id, &title),
                query.score_by_chars(&id, &title)
            );
        }
    }

    /// Matches are kept per thread and trimmed as they come; the result
    /// must be the best of all of them, as a full sort finds.
    #[test]
    fn the_best_matches_are_those_a_full_sort_finds() {
        let mut ws = Workspace::new(Config::default(), Vec::new());
        for n in 0..700 {
            let (expert, title) = match n % 3 {
                0 => ("swe", "Feature flags"),
                1 => ("qa", "Ensure sessions"),
                _ => ("devops", "Émigré ledger"),
            };
            ws.set_file(
                &format!("issues/backlog/{expert}-feature-{n:03}.md"),
                Arc::from(format!("# {title} {n}\n").as_str()),
            );
        }
        for text in ["", "ens", "swe-feat", "feat", "émi", "led"] {
            let query = FuzzyQuery::new(text);
            let mut all: Vec<Scored<'_>> = Vec::new();
            for file in ws.sorted_files() {
                for (i, item) in file.facts.items.iter().enumerate() {
                    if let Some(score) = query.score(&item.id, &item.title) {
                        all.push((score, item.id.as_str(), &**file, i));
                    }
                }
            }
            all.sort_by(best_first);
            all.truncate(WORKSPACE_LIMIT);
            let expected: Vec<&str> = all.iter().map(|s| s.1).collect();
            let found = workspace_symbols(&ws, text);
            let found: Vec<&str> = found.iter().map(|s| s.id.as_str()).collect();
            assert!(expected.len() == WORKSPACE_LIMIT || text == "émi", "{text}");
            assert_eq!(found, expected, "{text}");
        }
    }
}
