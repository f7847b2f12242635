//! The markdown structure every planning format is read from: headings,
//! checklists, tables, `**Label:** value` fields, and the code and comments
//! whose text never counts. Built on pulldown-cmark's byte ranges.

use std::cell::RefCell;
use std::sync::Arc;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use crate::analysis::model::{Criterion, Field, Section};
use crate::analysis::slice::Slice;
use crate::analysis::text::TextRange;

#[derive(Debug, Default)]
pub(crate) struct Outline {
    /// The file's text, which the facts' slices share.
    pub(crate) base: Arc<str>,
    pub(crate) headings: Vec<Heading>,
    pub(crate) checkboxes: Vec<Criterion>,
    pub(crate) tables: Vec<Table>,
    /// Code blocks, inline code and HTML: references in them do not count.
    /// Sorted and disjoint, so that lookups can binary-search.
    pub(crate) ignored: Vec<TextRange>,
    /// HTML comments, with their inner text.
    pub(crate) comments: Vec<(TextRange, String)>,
    /// Start offsets of list items (for story dependency bullets).
    pub(crate) list_items: Vec<TextRange>,
    /// How many more IDs `A through B` ranges in this file may expand
    /// into (see `refs::RANGE_BUDGET`).
    pub(crate) range_budget: std::cell::Cell<usize>,
    /// The file's path from the workspace root, for links (set by
    /// `parse_file`; empty elsewhere).
    pub(crate) rel: String,
}

#[derive(Clone, Debug)]
pub(crate) struct Heading {
    pub(crate) level: u8,
    pub(crate) text: Slice,
    /// The heading line without its line break.
    pub(crate) range: TextRange,
    /// The heading's text, without `#` markers.
    pub(crate) text_range: TextRange,
}

#[derive(Clone, Debug, Default)]
pub(crate) struct Table {
    pub(crate) range: TextRange,
    pub(crate) header: Vec<Cell>,
    pub(crate) rows: Vec<Row>,
}

#[derive(Clone, Debug, Default)]
pub(crate) struct Row {
    pub(crate) range: TextRange,
    pub(crate) cells: Vec<Cell>,
}

#[derive(Clone, Debug)]
pub(crate) struct Cell {
    pub(crate) text: Slice,
    pub(crate) range: TextRange,
}

/// The length of a leading byte-order mark, if the text has one.
impl Outline {
    /// `piece` of the file's text as a fact's text, shared with the file
    /// (copied when it is not a piece of the file).
    pub(crate) fn slice(&self, piece: &str) -> Slice {
        Slice::of(&self.base, piece)
    }

    /// The file's text in `range`, shared with the file.
    pub(crate) fn slice_at(&self, range: TextRange) -> Slice {
        Slice::new(&self.base, range)
    }
}

pub(crate) fn bom_len(text: &str) -> usize {
    if text.starts_with('\u{feff}') {
        '\u{feff}'.len_utf8()
    } else {
        0
    }
}

/// The lists of the outlines a thread made before, emptied, for its next
/// outline to fill: an outline lives only while its file is parsed, and
/// growing its lists afresh for each of 100,000 files cost a reallocation
/// or a new page every few events.
#[derive(Default)]
struct SpareLists {
    headings: Vec<Heading>,
    checkboxes: Vec<Criterion>,
    tables: Vec<Table>,
    comments: Vec<(TextRange, String)>,
    list_items: Vec<TextRange>,
}

thread_local! {
    static SPARE_LISTS: RefCell<SpareLists> = RefCell::default();
}

/// Lists longer than this are not kept for the next outline: one very
/// large file must not pin its lists' memory to a thread for good.
const MAX_SPARE_LEN: usize = 4096;

/// Empties `used` and keeps it in `spare` when it has more room.
fn keep_spare<T>(spare: &mut Vec<T>, used: &mut Vec<T>) {
    used.clear();
    if used.capacity() > spare.capacity() && used.capacity() <= MAX_SPARE_LEN {
        std::mem::swap(spare, used);
    }
}

impl Drop for Outline {
    fn drop(&mut self) {
        // A thread that is exiting has no spare lists any more; a nested
        // borrow cannot happen (nothing here makes an outline), but is
        // harmless: the lists are then simply freed.
        let _ = SPARE_LISTS.try_with(|spare| {
            if let Ok(mut spare) = spare.try_borrow_mut() {
                let spare = &mut *spare;
                keep_spare(&mut spare.headings, &mut self.headings);
                keep_spare(&mut spare.checkboxes, &mut self.checkboxes);
                keep_spare(&mut spare.tables, &mut self.tables);
                keep_spare(&mut spare.comments, &mut self.comments);
                keep_spare(&mut spare.list_items, &mut self.list_items);
            }
        });
    }
}

/// The outline of `base`; `rel` is the file's path from the workspace root
/// (empty when there is none).
pub(crate) fn outline(base: &Arc<str>, rel: &str) -> Outline {
    let text: &str = base;
    let skip = bom_len(text);
    let body = &text[skip..];
    let spare = SPARE_LISTS
        .try_with(|spare| {
            spare
                .try_borrow_mut()
                .map(|mut spare| std::mem::take(&mut *spare))
                .unwrap_or_default()
        })
        .unwrap_or_default();
    let mut out = Outline {
        base: Arc::clone(base),
        headings: spare.headings,
        checkboxes: spare.checkboxes,
        tables: spare.tables,
        ignored: Vec::new(),
        comments: spare.comments,
        list_items: spare.list_items,
        range_budget: std::cell::Cell::new(super::refs::RANGE_BUDGET),
        rel: rel.to_string(),
    };
    let options = Options::ENABLE_TABLES | Options::ENABLE_TASKLISTS;
    let mut table: Option<Table> = None;
    let mut row: Option<Row> = None;
    let mut in_head = false;
    let mut heading: Option<(u8, TextRange)> = None;
    for (event, range) in Parser::new_ext(body, options).into_offset_iter() {
        let range = TextRange::new(range.start + skip, range.end + skip);
        match event {
            Event::Start(Tag::Heading { level, .. }) => heading = Some((level as u8, range)),
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, range)) = heading.take() {
                    out.headings.push(make_heading(base, level, range));
                }
            }
            Event::Start(Tag::CodeBlock(_)) => out.ignored.push(range),
            Event::Code(_) => out.ignored.push(range),
            Event::Html(_) | Event::InlineHtml(_) => {
                out.ignored.push(range);
                collect_comments(text, range, &mut out.comments);
            }
            Event::TaskListMarker(checked) => {
                out.checkboxes.push(make_criterion(base, range, checked));
            }
            Event::Start(Tag::Item) => out.list_items.push(range),
            Event::Start(Tag::Table(_)) => {
                table = Some(Table {
                    range,
                    ..Table::default()
                })
            }
            Event::End(TagEnd::Table) => out.tables.extend(table.take()),
            Event::Start(Tag::TableHead) => {
                in_head = true;
                row = Some(Row {
                    range,
                    cells: Vec::new(),
                });
            }
            Event::Start(Tag::TableRow) => {
                row = Some(Row {
                    range,
                    cells: Vec::new(),
                })
            }
            Event::End(TagEnd::TableHead) | Event::End(TagEnd::TableRow) => {
                if let (Some(row), Some(table)) = (row.take(), table.as_mut()) {
                    if in_head {
                        table.header = row.cells;
                    } else {
                        table.rows.push(row);
                    }
                }
                in_head = false;
            }
            Event::Start(Tag::TableCell) => {
                if let Some(row) = row.as_mut() {
                    let range = trim_range(text, range);
                    row.cells.push(Cell {
                        text: Slice::new(base, range),
                        range,
                    });
                }
            }
            _ => {}
        }
    }
    out.ignored = sorted_disjoint(std::mem::take(&mut out.ignored));
    out
}

/// Ranges sorted by start with overlapping ones merged (pulldown-cmark's
/// code and HTML events do not nest, so this is a sort at most).
fn sorted_disjoint(mut ranges: Vec<TextRange>) -> Vec<TextRange> {
    ranges.sort_unstable();
    let mut out: Vec<TextRange> = Vec::with_capacity(ranges.len());
    for r in ranges {
        match out.last_mut() {
            Some(last) if r.start() < last.end() => *last = last.with_end(last.end().max(r.end())),
            _ => out.push(r),
        }
    }
    out
}

fn make_heading(base: &Arc<str>, level: u8, range: TextRange) -> Heading {
    let text: &str = base;
    let line = trim_range(text, range);
    let raw = &text[line.start()..line.end()];
    // ATX headings: drop the leading `#`s and any closing sequence.
    let hashes = raw.len() - raw.trim_start_matches('#').len();
    let mut text_range = TextRange::new(line.start() + hashes, line.end());
    if hashes > 0 {
        let inner = &text[text_range.start()..text_range.end()];
        let trimmed = inner.trim_end_matches('#');
        if trimmed.len() < inner.len() && (trimmed.is_empty() || trimmed.ends_with(' ')) {
            text_range = text_range.with_end(text_range.start() + trimmed.len());
        }
    } else {
        // Setext headings: the text is the first line.
        let first = line_break(raw).unwrap_or(raw.len());
        text_range = TextRange::new(line.start(), line.start() + first);
    }
    let text_range = trim_range(text, text_range);
    Heading {
        level,
        text: Slice::new(base, text_range),
        range: line,
        text_range,
    }
}

fn make_criterion(base: &Arc<str>, box_range: TextRange, checked: bool) -> Criterion {
    let text: &str = base;
    let line_start = text[..box_range.start()].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[box_range.end()..]
        .find('\n')
        .map_or(text.len(), |i| box_range.end() + i + 1);
    let text_range = trim_range(text, TextRange::new(box_range.end(), line_end));
    Criterion {
        checked,
        text_range,
        box_range,
        line_range: TextRange::new(line_start, line_end),
    }
}

fn collect_comments(text: &str, range: TextRange, out: &mut Vec<(TextRange, String)>) {
    let html = &text[range.start()..range.end()];
    let mut from = 0;
    while let Some(open) = html[from..].find("<!--") {
        let start = from + open;
        let Some(close) = html[start + 4..].find("-->") else {
            break;
        };
        let end = start + 4 + close + 3;
        let inner = html[start + 4..end - 3].trim().to_string();
        out.push((
            TextRange::new(range.start() + start, range.start() + end),
            inner,
        ));
        from = end;
    }
}

/// The range without leading and trailing white space (line breaks included).
pub(crate) fn trim_range(text: &str, range: TextRange) -> TextRange {
    let slice = &text[range.start()..range.end()];
    let start = range.start() + (slice.len() - slice.trim_start().len());
    let end = range.start() + slice.trim_end().len();
    TextRange::new(start.min(end), end)
}

/// Sections from headings: each runs to the next heading of the same or a
/// higher level, or to `end`.
pub(crate) fn sections(headings: &[Heading], end: usize) -> Vec<Section> {
    headings
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let stop = headings[i + 1..]
                .iter()
                .find(|next| next.level <= h.level)
                .map_or(end, |next| next.range.start());
            Section {
                level: h.level,
                title_range: h.text_range,
                heading_range: h.range,
                range: TextRange::new(h.range.start(), stop.max(h.range.start())),
            }
        })
        .collect()
}

/// Whether `offset` falls in code or an HTML comment. `ignored` is sorted
/// and disjoint (`Outline::ignored`): a binary search, as this runs once per
/// line and a large file has as many code spans as lines.
pub(crate) fn is_ignored(ignored: &[TextRange], offset: usize) -> bool {
    let after = ignored.partition_point(|r| r.start() <= offset);
    after > 0 && offset < ignored[after - 1].end()
}

/// Where the first line break (`\n` or `\r`) of `text` is. A byte search:
/// `str::find` with two chars decodes every character on the way, which
/// was a twelfth of `check`'s instructions.
pub(crate) fn line_break(text: &str) -> Option<usize> {
    memchr::memchr2(b'\n', b'\r', text.as_bytes())
}

/// Iterates over the lines of `text[range]` as (line range without the line
/// break) pairs.
pub(crate) fn lines_in(text: &str, range: TextRange) -> impl Iterator<Item = TextRange> + '_ {
    let mut pos = range.start();
    let end = range.end().min(text.len());
    std::iter::from_fn(move || {
        if pos >= end {
            return None;
        }
        let rest = &text[pos..end];
        let (len, skip) = match line_break(rest) {
            Some(i) if rest[i..].starts_with("\r\n") => (i, 2),
            Some(i) => (i, 1),
            None => (rest.len(), 0),
        };
        let line = TextRange::new(pos, pos + len);
        pos += len + skip;
        if skip == 0 {
            pos = end;
        }
        Some(line)
    })
}

/// Every `**Label:** value` field in `range`, skipping code and comments.
/// Accepts a list marker before the label and `**Label**:` as well.
pub(crate) fn fields(base: &Arc<str>, range: TextRange, ignored: &[TextRange]) -> Vec<Field> {
    lines_with_bold_marks(base, range)
        .filter(|line| !is_ignored(ignored, line.start()))
        .filter_map(|line| field_on_line(base, line))
        .collect()
}

/// The lines of `text[range]` (as [`lines_in`] gives them) that hold `**`,
/// which every field's label opens with: one vectorised search over the
/// range finds them, where reading each line in turn cost a tenth of
/// `check`'s instructions.
fn lines_with_bold_marks(text: &str, range: TextRange) -> impl Iterator<Item = TextRange> + '_ {
    let end = range.end().min(text.len());
    let start = range.start().min(end);
    let bytes = &text.as_bytes()[..end];
    let finder = memchr::memmem::Finder::new(b"**");
    let mut pos = start;
    std::iter::from_fn(move || {
        let mark = pos + finder.find(&bytes[pos..])?;
        let line_start =
            memchr::memrchr2(b'\n', b'\r', &bytes[start..mark]).map_or(start, |i| start + i + 1);
        let line_end = memchr::memchr2(b'\n', b'\r', &bytes[mark..]).map_or(end, |i| mark + i);
        pos = line_end;
        Some(TextRange::new(line_start, line_end))
    })
}

/// A field's value without another field written after it on its line:
/// `Draft` of `**Status**: Draft **Input**: User description: "…"`, as
/// templates whose line breaks were lost write a spec's header. The next
/// field starts at a space followed by a bold label and its colon
/// (`**Input**:` or `**Input:**`).
pub(crate) fn value_before_next_field(text: &str, value: TextRange) -> TextRange {
    let written = &text[value.start()..value.end()];
    let mut from = 0;
    while let Some(found) = memchr::memmem::find(&written.as_bytes()[from..], b" **") {
        let at = from + found;
        let label = &written[at + 3..];
        let is_label = label.find("**").is_some_and(|close| {
            let inner = &label[..close];
            (inner.ends_with(':') || label[close + 2..].starts_with(':'))
                && !inner.trim_end_matches(':').trim().is_empty()
                && !inner.contains('*')
        });
        if is_label {
            return TextRange::new(
                value.start(),
                value.start() + written[..at].trim_end().len(),
            );
        }
        from = at + 3;
    }
    value
}

pub(crate) fn field_on_line(base: &Arc<str>, line: TextRange) -> Option<Field> {
    let text: &str = base;
    let raw = &text[line.start()..line.end()];
    // Most lines are prose, headings or blank: a field starts, after spaces
    // and tabs, with `*` or a list marker. Other white space and non-ASCII
    // bytes (a byte-order mark, a no-break space) take the long way below.
    match raw.bytes().find(|&b| b != b' ' && b != b'\t') {
        Some(b'*' | b'-' | b'+' | b'\n' | 0x0b | 0x0c | b'\r' | 0x80..) => {}
        _ => return None,
    }
    // A byte-order mark opening the file is skipped like indentation, or a
    // field on a BOM file's first line would be lost.
    let indent = raw.len()
        - raw
            .trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
            .len();
    let mut rest = &raw[indent..];
    let mut offset = indent;
    for marker in ["- ", "* ", "+ "] {
        if let Some(after) = rest.strip_prefix(marker) {
            let spaces = after.len() - after.trim_start().len();
            offset += marker.len() + spaces;
            rest = &after[spaces..];
            break;
        }
    }
    let inner = rest.strip_prefix("**")?;
    let close = memchr::memmem::find(inner.as_bytes(), b"**")?;
    let label_part = &inner[..close];
    let after_bold = &inner[close + 2..];
    let (label, value_part, value_offset) = if let Some(label) = label_part.strip_suffix(':') {
        (label, after_bold, offset + 2 + close + 2)
    } else if let Some(after_colon) = after_bold.strip_prefix(':') {
        (label_part, after_colon, offset + 2 + close + 3)
    } else {
        return None;
    };
    let label = label.trim();
    if label.is_empty() || label.len() > 40 {
        return None;
    }
    let label_start =
        line.start() + offset + 2 + (label_part.len() - label_part.trim_start().len());
    let value_range = trim_range(
        text,
        TextRange::new(
            line.start() + value_offset,
            line.start() + value_offset + value_part.len(),
        ),
    );
    Some(Field::new(
        label,
        TextRange::new(label_start, label_start + label.len()),
        value_range,
        line,
    ))
}

/// `text[range]` with every byte of code and HTML replaced by a space, so
/// that references in them are not seen while every offset stays put.
pub(crate) fn masked(text: &str, range: TextRange, ignored: &[TextRange]) -> String {
    let mut out = text[range.start()..range.end()].to_string();
    // `ignored` is sorted and disjoint: only the ranges that overlap.
    let first = ignored.partition_point(|r| r.end() <= range.start());
    for r in ignored[first..]
        .iter()
        .take_while(|r| r.start() < range.end())
    {
        let start = r.start().max(range.start());
        let end = r.end().min(range.end());
        if start < end {
            let (s, e) = (start - range.start(), end - range.start());
            // Replace char by char so the string stays valid UTF-8 with the
            // same byte length.
            let blank: String = out[s..e]
                .chars()
                .map(|c| " ".repeat(c.len_utf8()))
                .collect();
            out.replace_range(s..e, &blank);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// Finding the lines with `**` first gives the fields that reading
        /// every line gives, whatever the line breaks and the range.
        #[test]
        fn fields_are_found_on_the_lines_with_bold_marks(
            pieces in proptest::collection::vec(
                proptest::sample::select(vec![
                    "**", "*", "- ", "* ", "\n", "\r\n", "\r", "Status:", "**Type:**", " done",
                    "é", "\u{feff}", " ", "\t", ":", "x", "**Depends on**: 001",
                ]),
                0..12,
            ),
            from in 0..64usize,
            to in 0..64usize,
        ) {
            let text: String = pieces.concat();
            let boundary = |at: usize| {
                let mut at = at.min(text.len());
                while !text.is_char_boundary(at) {
                    at -= 1;
                }
                at
            };
            let range = TextRange::new(boundary(from.min(to)), boundary(from.max(to)));
            let base: Arc<str> = Arc::from(text.as_str());
            let every_line: Vec<Field> = lines_in(&base, range)
                .filter_map(|line| field_on_line(&base, line))
                .collect();
            proptest::prop_assert_eq!(fields(&base, range, &[]), every_line);
        }
    }

    #[test]
    fn field_variants() {
        let text: Arc<str> = Arc::from(
            "**Type:** feature\n- **Depends on:** 001\n**Status**: Done\n**bold** text\n",
        );
        let fields = fields(&text, TextRange::new(0, text.len()), &[]);
        let got: Vec<_> = fields
            .iter()
            .map(|f| {
                (
                    f.label.as_str(),
                    f.value(&text),
                    &text[f.value_range.start()..f.value_range.end()],
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                ("Type", "feature", "feature"),
                ("Depends on", "001", "001"),
                ("Status", "Done", "Done")
            ]
        );
    }

    /// The quick turn-away of lines that cannot be fields keeps every
    /// indentation and marker a field may have.
    #[test]
    fn a_field_is_read_after_any_indentation_and_marker() {
        let lines = [
            ("**A:** 1", Some(("A", "1"))),
            ("\t  **A:** 1", Some(("A", "1"))),
            ("\u{feff}**A:** 1", Some(("A", "1"))),
            ("\u{a0}**A:** 1", Some(("A", "1"))),
            ("\u{b}\u{c}**A:** 1", Some(("A", "1"))),
            ("- **A:** 1", Some(("A", "1"))),
            ("+   **A**: 1", Some(("A", "1"))),
            ("* **A:*** 1", Some(("A", "* 1"))),
            ("**A: x** y", None),
            ("Status: 1", None),
            ("# **A:** 1", None),
            ("1. **A:** 1", None),
            ("", None),
            ("- [ ] **A:** 1", None),
        ];
        for (line, expected) in lines {
            let text: Arc<str> = Arc::from(line);
            let field = field_on_line(&text, TextRange::new(0, text.len()));
            let got = field.as_ref().map(|f| (f.label.as_str(), f.value(&text)));
            assert_eq!(got, expected, "{line:?}");
        }
    }

    #[test]
    fn an_outline_made_after_another_on_the_same_thread_holds_only_its_own_file() {
        let big: Arc<str> = Arc::from(
            "# One\n\n## Two\n\n- [ ] a\n- [x] b\n\n| A | B |\n|---|---|\n| 1 | 2 |\n\n<!-- note -->\n",
        );
        let small: Arc<str> = Arc::from("# Only\n\n- [ ] c\n");
        let first = outline(&big, "issues/backlog/swe-feature-001.md");
        assert_eq!(
            (
                first.headings.len(),
                first.checkboxes.len(),
                first.tables.len(),
                first.comments.len()
            ),
            (2, 2, 1, 1)
        );
        drop(first);
        let second = outline(&small, "x.md");
        let headings: Vec<&str> = second.headings.iter().map(|h| h.text.as_str()).collect();
        assert_eq!(headings, ["Only"]);
        let boxes: Vec<&str> = second.checkboxes.iter().map(|c| c.text(&small)).collect();
        assert_eq!(boxes, ["c"]);
        assert!(second.tables.is_empty() && second.comments.is_empty());
        assert_eq!(second.list_items.len(), 1);
        assert_eq!(second.rel, "x.md");
    }

    #[test]
    fn masking_keeps_offsets() {
        let text: &str = "a `swe-feature-001` <!-- x --> é";
        let o = outline(&Arc::from(text), "");
        let m = masked(text, TextRange::new(0, text.len()), &o.ignored);
        assert_eq!(m.len(), text.len());
        assert!(!m.contains("swe-feature-001"));
        assert!(m.ends_with('é'));
    }
}
