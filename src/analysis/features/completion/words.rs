//! Words of a YAML list in a dialect file's front matter, as the dialect
//! offers them (Backlog.md's `labels:` from `config.yml` and the other
//! tasks, its `assignee:` from the other tasks): in a flow list
//! (`labels: [ui, |]`), on a block list's `- ` line, or after the key. The
//! words already in the list are left out. Read line by line, since the
//! list is usually half typed and not valid YAML.

use std::sync::LazyLock;

use regex::Regex;

use crate::analysis::dialect::{self, yaml};
use crate::analysis::features::completion::{Completion, CompletionKind, Completions};
use crate::analysis::model::FileKind;
use crate::analysis::text::TextRange;
use crate::analysis::workspace::{SourceFile, Workspace};

/// `key:` at the start of a line, and what follows it.
static KEY_LINE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\s*)([A-Za-z_][\w-]*)\s*:[ \t]*").expect("valid regex"));
/// A block list's item: `  - `.
static LIST_ITEM: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*-(?:[ \t]+|$)").expect("valid regex"));

/// Where the cursor is in a front-matter list.
struct ListAt {
    key: String,
    /// The entry being typed, which a candidate replaces (without its
    /// opening quote).
    token: TextRange,
    /// The user opened a quote: insert the word as it is.
    quoted: bool,
    /// The entries the list already has, besides the one being typed.
    present: Vec<String>,
}

/// The words to offer at `offset` of a dialect file's front matter;
/// `None` when the cursor is in no list or the dialect has no words for it.
pub(super) fn at(
    ws: &Workspace,
    file: &SourceFile,
    offset: usize,
    line: TextRange,
) -> Option<Completions> {
    if !matches!(file.facts.kind, FileKind::Dialect(_)) {
        return None;
    }
    let text = &*file.text;
    let front = yaml::front_matter(text)?;
    // Inside the block, after its opening `---` line.
    let opening_end = text[front.range.start()..].find('\n')? + front.range.start();
    if offset <= opening_end || offset >= front.range.end() {
        return None;
    }
    let list = list_at(text, offset, line)?;
    let words = dialect::list_words(ws, file, &list.key);
    let present: Vec<String> = list.present.iter().map(|w| w.to_lowercase()).collect();
    let items: Vec<Completion> = words
        .into_iter()
        .filter(|w| !present.contains(&w.to_lowercase()))
        .map(|word| {
            let mut c = Completion::new(word.clone(), CompletionKind::Value, list.token);
            if !list.quoted && needs_quotes(&word) {
                c.insert = format!("'{word}'");
            }
            c
        })
        .collect();
    (!items.is_empty()).then_some(Completions {
        items,
        incomplete: false,
    })
}

/// A word YAML would not read as the plain string it is (`@alice`).
fn needs_quotes(word: &str) -> bool {
    word.starts_with([
        '@', '`', '!', '&', '*', '%', '|', '>', '\'', '"', '[', '{', '#',
    ]) || word.contains(": ")
        || word.contains(" #")
        || word.contains([',', ']', '['])
}

fn list_at(text: &str, offset: usize, line: TextRange) -> Option<ListAt> {
    let raw = &text[line.start()..line.end()];
    let col = offset - line.start();
    if let Some(caps) = KEY_LINE.captures(raw) {
        let value_start = caps.get(0)?.end();
        if col < value_start {
            return None;
        }
        let key = caps[2].to_string();
        let value = &raw[value_start..];
        if let Some(inner) = value.strip_prefix('[') {
            // A flow list: the entry between the separators around the
            // cursor.
            let inner_start = value_start + 1;
            if col < inner_start {
                return None;
            }
            let close = inner.find(']').map_or(raw.len(), |i| inner_start + i);
            if col > close {
                return None;
            }
            let from = raw[inner_start..col]
                .rfind(',')
                .map_or(inner_start, |i| inner_start + i + 1);
            let to = raw[col..close].find(',').map_or(close, |i| col + i);
            let present = raw[inner_start..close]
                .split(',')
                .scan(inner_start, |at, entry| {
                    let start = *at;
                    *at += entry.len() + 1;
                    Some((start, entry))
                })
                .filter(|(start, _)| *start != from)
                .map(|(_, entry)| unquote(entry.trim()).to_string())
                .filter(|e| !e.is_empty())
                .collect();
            return Some(entry(line.start(), raw, from, to, key, present));
        }
        // After the key, on its line: the list's first entry, written as a
        // scalar.
        return Some(entry(
            line.start(),
            raw,
            value_start,
            raw.len(),
            key,
            Vec::new(),
        ));
    }
    let item = LIST_ITEM.find(raw)?;
    if col < item.end() {
        return None;
    }
    // A block list: the key is on the nearest line above that is no item.
    let indent = raw.len() - raw.trim_start().len();
    let mut present = Vec::new();
    let mut cursor = line.start();
    while cursor > 0 {
        let above_end = cursor - 1;
        let above_start = text[..above_end].rfind('\n').map_or(0, |i| i + 1);
        let above = text[above_start..above_end].trim_end_matches('\r');
        cursor = above_start;
        if above.trim().is_empty() {
            continue;
        }
        if let Some(m) = LIST_ITEM.find(above) {
            present.push(unquote(above[m.end()..].trim()).to_string());
            continue;
        }
        let caps = KEY_LINE.captures(above)?;
        let rest = &above[caps.get(0)?.end()..];
        if !rest.trim().is_empty() || caps[1].len() > indent {
            return None;
        }
        collect_items_below(text, line, &mut present);
        return Some(entry(
            line.start(),
            raw,
            item.end(),
            raw.len(),
            caps[2].to_string(),
            present,
        ));
    }
    None
}

/// The block list's items after the line being typed.
fn collect_items_below(text: &str, line: TextRange, present: &mut Vec<String>) {
    let after = text[line.end()..].trim_start_matches(['\r', '\n']);
    for below in after.lines() {
        match LIST_ITEM.find(below) {
            Some(m) => present.push(unquote(below[m.end()..].trim()).to_string()),
            None => break,
        }
    }
}

/// The entry between `from` and `to` of a line (columns), trimmed, without
/// an opening quote.
fn entry(
    line_start: usize,
    raw: &str,
    from: usize,
    to: usize,
    key: String,
    present: Vec<String>,
) -> ListAt {
    let segment = &raw[from..to];
    let lead = segment.len() - segment.trim_start().len();
    let mut start = from + lead;
    let trimmed = segment.trim();
    let quoted = trimmed.starts_with(['\'', '"']);
    if quoted {
        start += 1;
    }
    let end = (from + lead + trimmed.len()).max(start);
    let end = if quoted && raw[start..end].ends_with(['\'', '"']) {
        end - 1
    } else {
        end
    };
    ListAt {
        key,
        token: TextRange::new(line_start + start, line_start + end.max(start)),
        quoted,
        present,
    }
}

fn unquote(entry: &str) -> &str {
    entry.trim_matches(['\'', '"'])
}
