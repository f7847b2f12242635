//! The YAML of dialect files: front matter between `---` fences (Backlog.md
//! tasks, GSD plans) and whole files (Backlog.md's `config.yml`), read
//! into their top-level keys with the byte range in the file of every key
//! and value. Only the top-level mapping is built:
//! its values are scalars or lists of scalars, and anything deeper is
//! skipped by counting, so no input can nest deep enough to exhaust the
//! stack. A YAML error is returned with where it was found, never raised.

use std::borrow::Cow;

use saphyr_parser::{Event, Parser, ScalarStyle, Span};

use crate::analysis::dialect::marked::line_around;
use crate::analysis::model::Field;
use crate::analysis::parse::trim_range;
use crate::analysis::text::TextRange;

/// A front matter block: the fences and the YAML between them.
#[derive(Debug)]
pub(crate) struct FrontMatter {
    /// From the opening fence to the end of the closing fence's line,
    /// break included (to the end of the text when the block is not
    /// closed).
    pub range: TextRange,
    /// The keys, or why they cannot be read.
    pub keys: Result<Vec<Entry>, YamlError>,
}

/// Why a YAML text cannot be read, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct YamlError {
    pub message: String,
    /// Where the parser stopped: a point or a key in the file.
    pub at: TextRange,
}

/// One top-level key and its value.
#[derive(Clone, Debug)]
pub(crate) struct Entry {
    pub key: String,
    pub key_range: TextRange,
    pub value: Value,
}

#[derive(Clone, Debug)]
pub(crate) enum Value {
    /// A string, number, date or boolean, as one scalar.
    Scalar(Scalar),
    /// A list, flow (`[a, b]`) or block (`- a` lines). `range` runs from
    /// its first to its last character (the brackets of a flow list).
    List { items: Vec<Item>, range: TextRange },
    /// No value (`key:`, `key: null`, `key: ~`).
    Null,
    /// A mapping, an alias or a tagged value: nothing the dialects read.
    Other,
}

/// An entry of a list: a scalar, or something nested.
#[derive(Clone, Debug)]
pub(crate) enum Item {
    Scalar(Scalar),
    Other,
}

/// A scalar value with its text as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Scalar {
    /// The value after unquoting and unescaping.
    pub value: String,
    /// The value as written, quotes included.
    pub range: TextRange,
    /// The value as written, without its quotes (for a block scalar,
    /// without the surrounding white space).
    pub inner: TextRange,
    pub quoted: bool,
}

impl Entry {
    pub fn scalar(&self) -> Option<&Scalar> {
        match &self.value {
            Value::Scalar(s) => Some(s),
            _ => None,
        }
    }

    /// The entry as an item's field, when its value is a scalar: labelled
    /// with the key, its value the scalar as written without quotes or the
    /// white space around it (a vertical tab or a quoted `" a "` included),
    /// on the key's line.
    pub fn scalar_field(&self, text: &str) -> Option<Field> {
        let scalar = self.scalar()?;
        Some(Field::new(
            &self.key,
            self.key_range,
            trim_range(text, scalar.inner),
            line_around(text, self.key_range.start()),
        ))
    }

    /// Where the value of a key written with none yet goes (`depends_on: `
    /// as the user starts a list): an empty range after the colon and one
    /// space, when nothing but white space follows on the key's line. An
    /// editor completes a value there; without the space it could not be
    /// typed as YAML (`depends_on:x` is one plain scalar).
    pub fn empty_value_at(&self, text: &str) -> Option<TextRange> {
        if !matches!(self.value, Value::Null) {
            return None;
        }
        let after_key = text.get(self.key_range.end()..)?;
        let colon = after_key.len() - after_key.trim_start_matches([' ', '\t']).len();
        let rest = after_key[colon..].strip_prefix(':')?;
        let line = &rest[..rest.find(['\n', '\r']).unwrap_or(rest.len())];
        if !line.starts_with([' ', '\t']) || !line.trim().is_empty() {
            return None;
        }
        Some(TextRange::empty(self.key_range.end() + colon + 2))
    }
}

/// The value of `key` among `entries`, when it has one.
pub(crate) fn get<'a>(entries: &'a [Entry], key: &str) -> Option<&'a Entry> {
    entries.iter().find(|e| e.key == key)
}

/// The front matter at the top of `text`, when the text starts with a
/// `---` line (after a byte-order mark). The block ends at the next line
/// that starts with `---`, whatever follows on it, and the rest of the file
/// starts right after those three dashes (after the line break when
/// nothing else is on the line): Backlog.md (through gray-matter) and
/// GSD's tools both split their files this way, so a closing
/// `---## Description` line still ends the block.
pub(crate) fn front_matter(text: &str) -> Option<FrontMatter> {
    let start = if text.starts_with('\u{feff}') {
        '\u{feff}'.len_utf8()
    } else {
        0
    };
    let rest = &text[start..];
    let first_break = if rest.starts_with("---\n") {
        4
    } else if rest.starts_with("---\r\n") {
        5
    } else {
        return None;
    };
    let body_start = start + first_break;
    let mut pos = body_start;
    while pos <= text.len() {
        let line_end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
        let line = text[pos..line_end].trim_end_matches('\r');
        if line.starts_with("---") {
            // The body ends before the break that precedes the fence.
            let body_end = if pos == body_start {
                pos
            } else {
                let before = &text[..pos - 1];
                pos - 1 - usize::from(before.ends_with('\r'))
            };
            let body = TextRange::new(body_start, body_end.max(body_start));
            // The fence's line break belongs to the block only when the
            // fence is alone on its line; otherwise the rest of the file
            // starts just after the dashes.
            let end = if line.trim_end() == "---" {
                (line_end + 1).min(text.len())
            } else {
                pos + 3
            };
            return Some(FrontMatter {
                range: TextRange::new(start, end),
                keys: read_mapping(text, body, true),
            });
        }
        if line_end >= text.len() {
            break;
        }
        pos = line_end + 1;
    }
    let opening = TextRange::new(start, start + 3);
    Some(FrontMatter {
        range: TextRange::new(start, text.len()),
        keys: Err(YamlError {
            message: "the front matter has no closing `---` line".to_string(),
            at: opening,
        }),
    })
}

/// Reads the YAML of `text[range]` (a whole `config.yml`, or a front
/// matter's body) into its top-level keys. `lenient` reads `assignee`,
/// `reporter` and `due_date` values as Backlog.md does before it parses:
/// it quotes them, so `assignee: @alice` is no YAML error there.
pub(crate) fn read_mapping(
    text: &str,
    range: TextRange,
    lenient: bool,
) -> Result<Vec<Entry>, YamlError> {
    let source = &text[range.start()..range.end()];
    let prepared: Cow<'_, str> = if lenient {
        blank_quoted_by_backlog(source)
    } else {
        Cow::Borrowed(source)
    };
    let positions = Positions::new(&prepared, range.start());
    let mut reader = Reader {
        parser: Parser::new_from_str(&prepared),
        positions: &positions,
        text,
    };
    let entries = reader.document()?;
    // What follows the mapping may still be broken (a second document,
    // a stray indentation): Backlog.md refuses the whole text then.
    reader.drain()?;
    let mut seen: Vec<&str> = Vec::new();
    for entry in &entries {
        if seen.contains(&entry.key.as_str()) {
            return Err(YamlError {
                message: format!("the key `{}` is written twice", entry.key),
                at: entry.key_range,
            });
        }
        seen.push(&entry.key);
    }
    Ok(entries)
}

/// The text with the values Backlog.md quotes before parsing (unquoted
/// `assignee:`, `reporter:` and `due_date:` values) replaced by spaces:
/// planmark reads none of them, and every other byte keeps its offset.
fn blank_quoted_by_backlog(source: &str) -> Cow<'_, str> {
    let mut out: Option<String> = None;
    // How much of `source` is in `out` already.
    let mut copied = 0;
    let mut pos = 0;
    for line in source.split_inclusive('\n') {
        let content = line.trim_end_matches(['\r', '\n']);
        let indent = content.len() - content.trim_start().len();
        let body = &content[indent..];
        let value_at = ["assignee:", "reporter:", "due_date:"]
            .iter()
            .find(|key| body.starts_with(**key))
            .map(|key| indent + key.len());
        if let Some(at) = value_at {
            let value = content[at..].trim();
            let quoted_already = value.starts_with(['\'', '"', '-']);
            let flow_list = value.starts_with('[');
            if !value.is_empty() && (!quoted_already || flow_list) {
                let out = out.get_or_insert_with(|| String::with_capacity(source.len()));
                let start = pos + at;
                let end = pos + content.len();
                out.push_str(&source[copied..start]);
                out.extend(std::iter::repeat_n(' ', end - start));
                copied = end;
            }
        }
        pos += line.len();
    }
    match out {
        Some(mut out) => {
            out.push_str(&source[copied..]);
            Cow::Owned(out)
        }
        None => Cow::Borrowed(source),
    }
}

/// Turns the parser's positions (counted in characters from the start of
/// the parsed text) into byte offsets in the file.
struct Positions {
    /// The byte offset of each character, and the text's length last;
    /// empty when the text is ASCII (a character is a byte).
    offsets: Vec<usize>,
    len: usize,
    base: usize,
}

impl Positions {
    fn new(source: &str, base: usize) -> Positions {
        let offsets = if source.is_ascii() {
            Vec::new()
        } else {
            source
                .char_indices()
                .map(|(i, _)| i)
                .chain(std::iter::once(source.len()))
                .collect()
        };
        Positions {
            offsets,
            len: source.len(),
            base,
        }
    }

    fn byte(&self, chars: usize) -> usize {
        let local = if self.offsets.is_empty() {
            chars.min(self.len)
        } else {
            self.offsets.get(chars).copied().unwrap_or(self.len)
        };
        self.base + local
    }

    fn range(&self, span: &Span) -> TextRange {
        let start = self.byte(span.start.index());
        let end = self.byte(span.end.index()).max(start);
        TextRange::new(start, end)
    }
}

struct Reader<'a> {
    parser: Parser<'a, saphyr_parser::StrInput<'a>>,
    positions: &'a Positions,
    text: &'a str,
}

impl<'a> Reader<'a> {
    fn next(&mut self) -> Result<Option<(Event<'a>, Span)>, YamlError> {
        match self.parser.next_event() {
            None => Ok(None),
            Some(Ok(event)) => Ok(Some(event)),
            Some(Err(err)) => {
                let at = self.positions.byte(err.marker().index());
                let at = crate::analysis::text::floor_char_boundary(self.text, at);
                Err(YamlError {
                    message: err.info().to_string(),
                    at: TextRange::empty(at),
                })
            }
        }
    }

    /// The top-level mapping of the first document; no keys when the text
    /// holds nothing but comments.
    fn document(&mut self) -> Result<Vec<Entry>, YamlError> {
        loop {
            let Some((event, span)) = self.next()? else {
                return Ok(Vec::new());
            };
            match event {
                Event::StreamStart | Event::DocumentStart(_) | Event::Nothing => continue,
                Event::StreamEnd | Event::DocumentEnd => return Ok(Vec::new()),
                Event::MappingStart(..) => return self.mapping(),
                Event::Scalar(value, ScalarStyle::Plain, ..) if value.trim().is_empty() => {
                    return Ok(Vec::new())
                }
                _ => {
                    return Err(YamlError {
                        message: "the YAML is not a mapping of keys to values".to_string(),
                        at: self.positions.range(&span),
                    })
                }
            }
        }
    }

    fn mapping(&mut self) -> Result<Vec<Entry>, YamlError> {
        let mut entries = Vec::new();
        loop {
            let Some((event, span)) = self.next()? else {
                return Ok(entries);
            };
            let key_range = self.positions.range(&span);
            let key = match event {
                Event::MappingEnd => return Ok(entries),
                Event::Scalar(key, ..) => Some(key.into_owned()),
                Event::SequenceStart(..) | Event::MappingStart(..) => {
                    self.skip_nested()?;
                    None
                }
                _ => None,
            };
            let value = self.value()?;
            if let Some(key) = key {
                entries.push(Entry {
                    key,
                    key_range,
                    value,
                });
            }
        }
    }

    /// The value after a key.
    fn value(&mut self) -> Result<Value, YamlError> {
        let Some((event, span)) = self.next()? else {
            return Ok(Value::Null);
        };
        let range = self.positions.range(&span);
        Ok(match event {
            Event::Scalar(value, style, _, tag) => match self.scalar(value, style, range) {
                Some(s) if tag.is_none() => Value::Scalar(s),
                Some(_) => Value::Other,
                None => Value::Null,
            },
            Event::SequenceStart(..) => self.list(range)?,
            Event::MappingStart(..) => {
                self.skip_nested()?;
                Value::Other
            }
            _ => Value::Other,
        })
    }

    /// The entries of a list whose start event was at `start`: the `[` of
    /// a flow list, or an empty range before the first `-` of a block list.
    fn list(&mut self, start: TextRange) -> Result<Value, YamlError> {
        let flow = !start.is_empty();
        let mut items = Vec::new();
        let mut end = start.end();
        while let Some((event, span)) = self.next()? {
            let range = self.positions.range(&span);
            match event {
                // A block list ends where the next key starts: its last
                // entry ends it here.
                Event::SequenceEnd => {
                    if flow {
                        end = range.end();
                    }
                    break;
                }
                Event::Scalar(value, style, _, tag) => {
                    end = range.end();
                    match self.scalar(value, style, range) {
                        Some(s) if tag.is_none() => items.push(Item::Scalar(s)),
                        _ => items.push(Item::Other),
                    }
                }
                Event::SequenceStart(..) | Event::MappingStart(..) => {
                    end = self.skip_nested()?.max(range.end());
                    items.push(Item::Other);
                }
                _ => {
                    end = range.end();
                    items.push(Item::Other);
                }
            }
        }
        Ok(Value::List {
            items,
            range: TextRange::new(start.start(), end.max(start.start())),
        })
    }

    /// Skips the rest of a mapping or list whose start was just read, and
    /// returns where it ends (for a block one, where the next token
    /// starts). Counts, rather than recurses, through what it holds.
    fn skip_nested(&mut self) -> Result<usize, YamlError> {
        let mut depth = 1usize;
        let mut end = 0;
        while depth > 0 {
            let Some((event, span)) = self.next()? else {
                break;
            };
            end = self.positions.range(&span).end();
            match event {
                Event::SequenceStart(..) | Event::MappingStart(..) => depth += 1,
                Event::SequenceEnd | Event::MappingEnd => depth -= 1,
                Event::StreamEnd => break,
                _ => {}
            }
        }
        Ok(end)
    }

    /// Reads the rest of the stream, for the errors it may hold.
    fn drain(&mut self) -> Result<(), YamlError> {
        while self.next()?.is_some() {}
        Ok(())
    }

    /// A scalar, or `None` for a null.
    fn scalar(&self, value: Cow<'a, str>, style: ScalarStyle, range: TextRange) -> Option<Scalar> {
        let plain = style == ScalarStyle::Plain;
        if plain && matches!(value.trim(), "" | "~" | "null" | "Null" | "NULL") {
            return None;
        }
        let quoted = matches!(style, ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted);
        // The parser's span of a quoted scalar runs on over a comment after
        // it (`'done' # note`): the scalar ends at its closing quote.
        let range = match quoted_length(&self.text[range.start()..range.end()]) {
            Some(length) if quoted => TextRange::new(range.start(), range.start() + length),
            _ => range,
        };
        let written = &self.text[range.start()..range.end()];
        let inner = if quoted && written.len() >= 2 {
            TextRange::new(range.start() + 1, range.end() - 1)
        } else {
            crate::analysis::parse::trim_range(self.text, range)
        };
        Some(Scalar {
            value: value.trim().to_string(),
            range,
            inner,
            quoted,
        })
    }
}

/// The length of the quoted scalar that opens `written`, closing quote
/// included: `''` is a quote inside a single-quoted scalar, and `\"` inside
/// a double-quoted one. `None` when `written` opens with no quote or never
/// closes it.
fn quoted_length(written: &str) -> Option<usize> {
    let quote = written.chars().next().filter(|c| matches!(c, '\'' | '"'))?;
    let mut chars = written.char_indices().skip(1).peekable();
    while let Some((at, c)) = chars.next() {
        if quote == '"' && c == '\\' {
            chars.next();
        } else if c == quote {
            if quote == '\'' && chars.next_if(|&(_, next)| next == '\'').is_some() {
                continue;
            }
            return Some(at + c.len_utf8());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str, range: TextRange) -> &str {
        &text[range.start()..range.end()]
    }

    #[test]
    fn keys_and_values_have_their_byte_ranges_with_crlf_and_multi_byte_text() {
        let text = "---\r\nid: task-7\r\ntitle: 'Café — crème brûlée'\r\nstatus: \"In Progress\"\r\nassignee: @zoë\r\ndependencies:\r\n  - task-1\r\n  - 'TASK-2'\r\nlabels: [ünï, 'b c']\r\nparent_task_id:\r\nmeta: {a: [1]}\r\n---\r\n\r\nBody\r\n";
        let fm = front_matter(text).expect("a front matter");
        assert!(at(text, fm.range).ends_with("---\r\n"));
        let keys = fm.keys.expect("valid YAML");
        let shown: Vec<String> = keys
            .iter()
            .map(|e| {
                let value = match &e.value {
                    Value::Scalar(s) => format!("{:?} {:?}", at(text, s.range), at(text, s.inner)),
                    Value::List { items, range } => {
                        let items: Vec<&str> = items
                            .iter()
                            .map(|i| match i {
                                Item::Scalar(s) => at(text, s.inner),
                                Item::Other => "(nested)",
                            })
                            .collect();
                        format!("list {:?} {items:?}", at(text, *range))
                    }
                    Value::Null => "null".to_string(),
                    Value::Other => "other".to_string(),
                };
                format!("{} {:?} = {value}", e.key, at(text, e.key_range))
            })
            .collect();
        expect_test::expect![[r#"
            [
                "id \"id\" = \"task-7\" \"task-7\"",
                "title \"title\" = \"'Café — crème brûlée'\" \"Café — crème brûlée\"",
                "status \"status\" = \"\\\"In Progress\\\"\" \"In Progress\"",
                "assignee \"assignee\" = null",
                "dependencies \"dependencies\" = list \"- task-1\\r\\n  - 'TASK-2'\" [\"task-1\", \"TASK-2\"]",
                "labels \"labels\" = list \"[ünï, 'b c']\" [\"ünï\", \"b c\"]",
                "parent_task_id \"parent_task_id\" = null",
                "meta \"meta\" = other",
            ]
        "#]]
        .assert_debug_eq(&shown);
    }

    #[test]
    fn a_yaml_error_says_where_it_is() {
        let text = "---\nid: task-1\ntitle: Fix: the café\n---\n";
        let fm = front_matter(text).expect("a front matter");
        let err = fm.keys.expect_err("an unquoted colon");
        let line = text[..err.at.start()].matches('\n').count() + 1;
        assert_eq!(line, 3, "{err:?}");
        expect_test::expect!["mapping values are not allowed in this context"]
            .assert_eq(&err.message);
    }

    #[test]
    fn a_repeated_key_an_open_block_and_a_list_are_errors() {
        let twice = front_matter("---\nstatus: Done\nstatus: To Do\n---\n").expect("a block");
        assert_eq!(
            twice.keys.expect_err("twice").message,
            "the key `status` is written twice"
        );
        let open = front_matter("---\nid: task-1\n").expect("a block");
        assert_eq!(open.keys.expect_err("open").at, TextRange::new(0, 3));
        let list = front_matter("---\n- a\n- b\n---\n").expect("a block");
        assert!(list.keys.is_err());
        assert!(front_matter("--- \nid: x\n---\n").is_none());
        assert!(front_matter("# Title\n").is_none());
    }

    #[test]
    fn the_first_line_that_starts_with_dashes_closes_the_block() {
        let text = "---\nid: task-1\n---## Notes\n\n---\n";
        let fm = front_matter(text).expect("a block");
        assert_eq!(
            &text[fm.range.start()..fm.range.end()],
            "---\nid: task-1\n---"
        );
        let keys = fm.keys.expect("valid YAML");
        assert_eq!(keys.len(), 1);
        let alone = front_matter("---\nid: task-1\n---\r\nBody\n").expect("a block");
        assert_eq!(alone.range, TextRange::new(0, 20));
    }

    #[test]
    fn empty_and_comment_only_front_matter_has_no_keys() {
        for text in ["---\n---\n", "---\n# nothing yet\n---\n", "---\n\n---"] {
            let fm = front_matter(text).expect("a block");
            assert!(fm.keys.expect("valid").is_empty(), "{text:?}");
        }
    }

    #[test]
    fn nesting_deeper_than_any_stack_is_skipped_or_refused() {
        let deep_block: String = (0..3000)
            .map(|i| format!("{}- \n", " ".repeat(i)))
            .collect();
        let text = format!("---\na:\n{deep_block}b: 1\n---\n");
        let keys = front_matter(&text).expect("a block").keys.expect("valid");
        assert_eq!(keys.len(), 2);
        let deep_flow = format!("---\na: {}\n---\n", "[".repeat(100_000));
        assert!(front_matter(&deep_flow).expect("a block").keys.is_err());
    }

    /// A comment after a quoted value is no part of it (BMAD's
    /// `bmad-build` template writes `status: 'draft' # draft | …`).
    #[test]
    fn a_quoted_value_ends_at_its_closing_quote_before_a_comment() {
        let text = "---\na: 'x' # c\nb: \"y \\\" z\"  # d\nc: 'it''s' #e\nd: plain # f\n---\n";
        let keys = front_matter(text)
            .expect("a block")
            .keys
            .expect("valid YAML");
        let shown: Vec<String> = keys
            .iter()
            .filter_map(|e| e.scalar())
            .map(|s| format!("{:?} {:?}", at(text, s.range), at(text, s.inner)))
            .collect();
        expect_test::expect![[r#"
            [
                "\"'x'\" \"x\"",
                "\"\\\"y \\\\\\\" z\\\"\" \"y \\\\\\\" z\"",
                "\"'it''s'\" \"it''s\"",
                "\"plain\" \"plain\"",
            ]"#]]
        .assert_eq(&format!("{shown:#?}"));
    }
}
