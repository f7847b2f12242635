//! Parsers, one per planning format, and the classification of paths into
//! formats. Each takes a file's text and returns its facts with byte ranges.

mod issue;
mod markdown;
mod milestone;
pub(crate) mod refs;
mod roadmap;
mod story;
mod table;

use std::sync::Arc;

use crate::analysis::config::Config;
use crate::analysis::dialect;
use crate::analysis::model::{FileFacts, FileKind, Progress, Suppression, SuppressionKind};
use crate::analysis::text::TextRange;

pub(crate) use issue::is_dependency_label;
pub(crate) use markdown::{
    fields, is_ignored, line_break, lines_in, sections, trim_range, value_before_next_field,
    Heading, Outline,
};

/// The extensions of the files any format or dialect reads: markdown, and
/// YAML for the dialects that plan in it. File watchers ask for these.
pub const PLANNING_EXTENSIONS: &[&str] = &["md", "yml", "yaml"];

/// Decides from a path relative to the workspace root (with `/` separators)
/// which planning format the file holds, if any.
pub fn classify(rel_path: &str, config: &Config) -> Option<FileKind> {
    let parts = dialect::PathParts::of(rel_path);
    // A backlog folder that its project does not read holds files that
    // define nothing, whatever their name says.
    if !config.unread_backlog_folders.is_empty() {
        if let Some(role) =
            dialect::backlog::classify_unread(rel_path, &config.unread_backlog_folders)
        {
            return Some(FileKind::Dialect(dialect::DialectFile {
                dialect: dialect::Dialect::Backlog,
                role,
            }));
        }
    }
    if let Some(file) = dialect::classify(rel_path, &parts) {
        return Some(FileKind::Dialect(file));
    }
    if !config.backlog_folders.is_empty() {
        if let Some(role) = dialect::backlog::classify_configured(rel_path, &config.backlog_folders)
        {
            return Some(FileKind::Dialect(dialect::DialectFile {
                dialect: dialect::Dialect::Backlog,
                role,
            }));
        }
    }
    // Called for every file of the tree while it is listed, and again
    // while it loads: no allocation but the lower-cased name.
    let has_md_extension = rel_path
        .len()
        .checked_sub(3)
        .and_then(|at| rel_path.as_bytes().get(at..))
        .is_some_and(|ext| ext.eq_ignore_ascii_case(b".md"));
    if !has_md_extension {
        return None;
    }
    let name = *parts.last()?;
    let lower_name = name.to_ascii_lowercase();
    let dirs = &parts[..parts.len() - 1];
    let under = |configured: &[String]| {
        configured.iter().any(|dir| {
            rel_path
                .strip_prefix(dir.trim_end_matches('/'))
                .is_some_and(|rest| rest.starts_with('/'))
        })
    };

    // A template (`000-story-template.md`, `issue-template.md`) shows how
    // items are written; it is not one, and its placeholders, sample IDs and
    // story number would be read as real ones.
    if lower_name.contains("template") {
        return None;
    }
    if lower_name == "issues-list.md" {
        return Some(FileKind::Index);
    }
    if let [.., parent, folder] = dirs {
        let is_status = config
            .status_folders
            .iter()
            .any(|s| s.eq_ignore_ascii_case(folder));
        if is_status && (parent.eq_ignore_ascii_case("issues") || under(&config.issue_dirs)) {
            return Some(FileKind::Issue);
        }
    }
    let in_stories = dirs
        .last()
        .is_some_and(|d| d.eq_ignore_ascii_case("stories"))
        || under(&config.story_dirs);
    if in_stories && name.bytes().next().is_some_and(|b| b.is_ascii_digit()) {
        return Some(FileKind::Story);
    }
    if in_stories && lower_name == "readme.md" {
        return Some(FileKind::StoryIndex);
    }
    if let [.., milestones, folder] = dirs {
        if milestones.eq_ignore_ascii_case("milestones")
            && milestone::folder_number(folder).is_some()
        {
            return Some(if milestone::is_spec_name(name) {
                FileKind::MilestoneSpec
            } else {
                FileKind::MilestoneDoc
            });
        }
    }
    match lower_name.as_str() {
        "roadmap.md" => Some(FileKind::Roadmap),
        "project-brief.md" => Some(FileKind::Brief),
        _ => None,
    }
}

/// Parses one planning file. Never fails: what cannot be understood is left
/// out of the facts, and the rules report what is missing.
pub fn parse_file(rel_path: &str, base: &Arc<str>, kind: FileKind) -> FileFacts {
    let text: &str = base;
    let mut outline = markdown::outline(base, rel_path);
    let mut facts = FileFacts::new(kind);
    facts.suppressions = suppressions(&outline.comments);
    // The placeholders are those of the first workflow's templates, and of
    // spec-kit's, which use the same words; in other dialects' prose a
    // bracketed `[type]` or `[title]` is a slot of a path or a format.
    let from_these_templates = match kind {
        FileKind::Dialect(d) => d.dialect == crate::analysis::dialect::Dialect::SpecKit,
        _ => true,
    };
    if from_these_templates {
        facts.placeholders = placeholders(text, &outline.ignored);
    }
    let stem = rel_path
        .rsplit('/')
        .next()
        .unwrap_or(rel_path)
        .trim_end_matches(".md")
        .trim_end_matches(".MD");
    match kind {
        FileKind::Issue => {
            let folder = rel_path.rsplit('/').nth(1).unwrap_or("");
            facts.folder_status = Some(folder.to_ascii_lowercase());
            facts
                .items
                .push(issue::parse_issue(text, &outline, stem, Some(folder)));
        }
        FileKind::Story => story::parse_story(text, &outline, stem, &mut facts),
        FileKind::Index => {
            facts.index = Some(Box::new(table::parse_index(
                text,
                &outline,
                &mut facts.references,
            )))
        }
        FileKind::StoryIndex => {
            facts.index =
                table::parse_story_index(text, &outline, &mut facts.references).map(Box::new)
        }
        FileKind::Roadmap => roadmap::parse_roadmap(text, &outline, &mut facts.items),
        FileKind::Brief => roadmap::parse_brief(text, &outline, &mut facts.references),
        FileKind::MilestoneSpec => {
            let folder = rel_path.rsplit('/').nth(1).unwrap_or("");
            facts
                .items
                .extend(milestone::parse_spec(text, &outline, folder, stem));
        }
        FileKind::MilestoneDoc => {}
        FileKind::Dialect(file) => {
            let input = dialect::ParseInput {
                rel: rel_path,
                text,
                role: file.role,
                outline: &outline,
            };
            dialect::parse(file, &input, &mut facts);
        }
    }
    facts.ignored = std::mem::take(&mut outline.ignored);
    facts.shrink_to_fit();
    facts
}

/// What a status word means, for issues, stories, tasks and milestones.
pub fn progress_of(status: &str) -> Option<Progress> {
    let status = status
        .trim()
        .trim_matches(|c: char| c == '*' || c == '`' || c == '.');
    // The word ends where a note in brackets or after a comma starts.
    let head = &status[..status
        .bytes()
        .position(|b| b == b'(' || b == b',')
        .unwrap_or(status.len())];
    // Lower-cased with `_` and spaces read as `-`, on the stack when short
    // (statuses are read for every file, in parsing and in rules). Only
    // ASCII bytes change, so the bytes stay UTF-8.
    let mut stack = [0u8; 64];
    let mut heap = Vec::new();
    let mapped: &mut [u8] = if head.len() <= stack.len() {
        &mut stack[..head.len()]
    } else {
        heap.resize(head.len(), 0);
        &mut heap
    };
    for (out, byte) in mapped.iter_mut().zip(head.bytes()) {
        *out = match byte {
            b'_' | b' ' => b'-',
            byte => byte.to_ascii_lowercase(),
        };
    }
    let mapped = std::str::from_utf8(mapped).ok()?;
    let word = mapped.trim().trim_end_matches('-');
    // A decoration before or after the word (`✅ Done`, `🚧 In Progress`,
    // `Done ✅`) does not change it; an emoji alone still may (`✅`).
    let undecorated = word.trim_matches(|c: char| !c.is_ascii_alphanumeric());
    let word = if undecorated.is_empty() || word == "✅" {
        word
    } else {
        undecorated
    };
    match word {
        "backlog" | "planned" | "pending" | "todo" | "to-do" | "not-started" | "ready"
        | "draft" | "open" | "new" => Some(Progress::NotStarted),
        "in-progress" | "active" | "doing" | "started" | "wip" | "in-review" | "review"
        | "blocked" => Some(Progress::InProgress),
        "done" | "complete" | "completed" | "closed" | "finished" | "shipped" | "resolved"
        | "✅" => Some(Progress::Done),
        word if is_dropped_word(word) => Some(Progress::Dropped),
        _ => None,
    }
}

/// Whether a task's text is struck through, `~~Create the hook~~ (removed
/// per review)`: the task was crossed out of the list, closed without
/// being done, as writers of any Markdown list mark it.
pub fn is_struck_through(text: &str) -> bool {
    let Some(rest) = text.trim_start().strip_prefix("~~") else {
        return false;
    };
    // `~~~` opens a code fence, and `~~~~` strikes nothing out.
    !rest.starts_with('~') && rest.find("~~").is_some_and(|end| end > 0)
}

/// Whether a status word, lower-cased with `-` or nothing between its
/// words, says the item was closed without being done (`cancelled`,
/// `superseded`, `won't-do`). Trackers close such items (GitHub's "not planned",
/// Linear's "Canceled"); no planning format has a word of its own for it.
pub fn is_dropped_word(word: &str) -> bool {
    let word: std::borrow::Cow<'_, str> = if word.contains(['\'', '’']) {
        word.replace(['\'', '’'], "").into()
    } else {
        word.into()
    };
    matches!(
        &*word,
        "cancelled"
            | "canceled"
            | "superseded"
            | "obsolete"
            | "dropped"
            | "abandoned"
            | "rejected"
            | "withdrawn"
            | "removed"
            | "wont-do"
            | "wontdo"
            | "wont-fix"
            | "wontfix"
            | "not-planned"
            | "notplanned"
    )
}

fn suppressions(comments: &[(TextRange, String)]) -> Vec<Suppression> {
    comments
        .iter()
        .filter_map(|(range, inner)| {
            let mut words = inner.split_whitespace();
            let kind = match words.next()? {
                "planmark-disable" => SuppressionKind::Disable,
                "planmark-enable" => SuppressionKind::Enable,
                "planmark-disable-next-line" => SuppressionKind::DisableNextLine,
                "planmark-disable-file" => SuppressionKind::DisableFile,
                _ => return None,
            };
            Some(Suppression {
                kind,
                rules: words
                    .map(|w| w.trim_matches(',').to_string())
                    .filter(|w| !w.is_empty())
                    .collect(),
                range: *range,
            })
        })
        .collect()
}

/// Template placeholders from the planning workflows' templates, matched
/// whole (`[persona]`).
const PLACEHOLDERS: &[&str] = &[
    "short descriptive title",
    "another criterion",
    "persona",
    "milestone name",
    "feature / capability",
    "value proposition",
    "short title",
    "description",
    "title",
    "expert",
    "type",
    "number",
    "criterion",
];

/// Placeholders that run on with template prose (`[Criterion from the
/// persona's perspective ...]`), matched by their first words.
const PLACEHOLDER_PREFIXES: &[&str] = &[
    "criterion ",
    "another criterion ",
    "2-3 sentences",
    "1-3 sentences",
    "short descriptive title",
];

fn placeholders(text: &str, ignored: &[TextRange]) -> Vec<TextRange> {
    placeholders_among(text, ignored, PLACEHOLDERS, PLACEHOLDER_PREFIXES)
}

/// The bracketed placeholders of `text` that are one of `whole` or start
/// with one of `prefixes` (both lower-case), outside code, links, quotes
/// and array indexes: a dialect's own templates have words of their own.
/// Brackets nest (`[e.g., [FEATURE]]`, `[Link to [FEATURE NAME]]`): a
/// placeholder runs to the bracket that closes it, and one inside another
/// counts only when the outer one is none. Double brackets (`[[Page]]`, a
/// wiki link or a TOML table) are no placeholder.
pub(crate) fn placeholders_among(
    text: &str,
    ignored: &[TextRange],
    whole: &[&str],
    prefixes: &[&str],
) -> Vec<TextRange> {
    let bytes = text.as_bytes();
    // Each pair once, with whether it is a placeholder (or else a link's
    // text, which holds none).
    let mut candidates: Vec<(TextRange, bool)> = Vec::new();
    // Made when a first placeholder needs it.
    let mut quotes: Option<Quotes> = None;
    for (start, end) in bracket_pairs(bytes) {
        let range = TextRange::new(start, end + 1);
        if matches!(bytes.get(end + 1), Some(b'(') | Some(b'[')) {
            candidates.push((range, false));
            continue;
        }
        let doubled = start
            .checked_sub(1)
            .is_some_and(|before| bytes[before] == b'[')
            && bytes.get(end + 1) == Some(&b']');
        let inner = text[start + 1..end].trim();
        let is_placeholder = is_template_word(inner, whole, prefixes);
        // `tenantList[number]` indexes an array in prose about code.
        let indexes = start
            .checked_sub(1)
            .and_then(|before| bytes.get(before))
            .is_some_and(|&b| b.is_ascii_alphanumeric() || b == b'_' || b == b')');
        if is_placeholder
            && !doubled
            && !indexes
            && !markdown::is_ignored(ignored, start)
            && !quotes
                .get_or_insert_with(|| Quotes::new(text))
                .around(text.len(), start, end + 1)
        {
            candidates.push((range, true));
        }
    }
    // Pairs nest or stand apart: in order of their start, one that ends
    // before the end of one already seen lies inside it, and an outer
    // placeholder or a link's text takes it in.
    candidates.sort_by_key(|(range, _)| range.start());
    let mut out = Vec::new();
    let mut covered_to = 0;
    for (range, is_placeholder) in candidates {
        if range.end() <= covered_to {
            continue;
        }
        covered_to = range.end();
        if is_placeholder {
            out.push(range);
        }
    }
    out
}

/// The matching brackets of `bytes`, each as the places of its `[` and
/// its `]`, inner ones before the ones around them. A pair is on one line:
/// a line break forgets the brackets still open, so a `[` that never
/// closes pairs with nothing.
fn bracket_pairs(bytes: &[u8]) -> Vec<(usize, usize)> {
    let mut pairs = Vec::new();
    let mut open: Vec<usize> = Vec::new();
    // Brackets are found a word at a time; the text between two of them
    // is looked at only while a bracket is open, for a line break.
    let mut looked_to = 0;
    for at in memchr::memchr2_iter(b'[', b']', bytes) {
        if !open.is_empty() && memchr::memchr2(b'\n', b'\r', &bytes[looked_to..at]).is_some() {
            open.clear();
        }
        looked_to = at + 1;
        if bytes[at] == b'[' {
            open.push(at);
        } else if let Some(start) = open.pop() {
            pairs.push((start, at));
        }
    }
    pairs
}

/// Whether a bracket's text `inner` is one of the placeholder words
/// `whole` or starts with one of `prefixes` (both lower-case), compared
/// without regard to ASCII case.
fn is_template_word(inner: &str, whole: &[&str], prefixes: &[&str]) -> bool {
    let inner = inner.as_bytes();
    let starts_with = |word: &str| {
        inner
            .get(..word.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(word.as_bytes()))
    };
    whole
        .iter()
        .any(|word| word.len() == inner.len() && starts_with(word))
        || prefixes.iter().any(|prefix| starts_with(prefix))
}

/// Where a text's line breaks and quotation marks are, found in one pass,
/// so that asking whether a range sits inside a quotation costs a few
/// binary searches instead of a scan of its line: a 1 MB line of
/// placeholders asked it once per placeholder.
struct Quotes {
    line_breaks: Vec<usize>,
    straight: Vec<usize>,
    curly_open: Vec<usize>,
    curly_close: Vec<usize>,
}

impl Quotes {
    fn new(text: &str) -> Quotes {
        let mut quotes = Quotes {
            line_breaks: Vec::new(),
            straight: Vec::new(),
            curly_open: Vec::new(),
            curly_close: Vec::new(),
        };
        for (at, c) in text.char_indices() {
            match c {
                '\n' | '\r' => quotes.line_breaks.push(at),
                '"' => quotes.straight.push(at),
                '“' => quotes.curly_open.push(at),
                '”' => quotes.curly_close.push(at),
                _ => {}
            }
        }
        quotes
    }

    /// Whether `start..end` of the text sits inside a quotation on its
    /// line (`with a "Link [Type]" button`, `in “Ready: [title]” format`):
    /// prose quoting a text the product shows, with a slot in it, rather
    /// than a template's placeholder left unfilled.
    fn around(&self, len: usize, start: usize, end: usize) -> bool {
        let breaks = &self.line_breaks;
        let line_start = match breaks.partition_point(|&b| b < start) {
            0 => 0,
            i => breaks[i - 1] + 1,
        };
        let line_end = breaks
            .get(breaks.partition_point(|&b| b < end))
            .copied()
            .unwrap_or(len);
        // How many of `marks` lie in `from..to`.
        let count = |marks: &[usize], from: usize, to: usize| {
            marks.partition_point(|&m| m < to) - marks.partition_point(|&m| m < from)
        };
        let straight = count(&self.straight, line_start, start) % 2 == 1
            && count(&self.straight, end, line_end) > 0;
        // The last curly mark before the range opens a quotation, and one
        // after it on the line closes it.
        let last_before = |marks: &[usize]| {
            let i = marks.partition_point(|&m| m < start);
            (i > 0 && marks[i - 1] >= line_start).then(|| marks[i - 1])
        };
        let curly = last_before(&self.curly_open)
            .is_some_and(|open| last_before(&self.curly_close).is_none_or(|close| close < open))
            && count(&self.curly_close, end, line_end) > 0;
        straight || curly
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classification() {
        let c = Config::default();
        assert_eq!(
            classify(".sdlc/issues/done/swe-bug-007.md", &c),
            Some(FileKind::Issue)
        );
        assert_eq!(classify("issues/issues-list.md", &c), Some(FileKind::Index));
        assert_eq!(
            classify("docs/stories/015-login.md", &c),
            Some(FileKind::Story)
        );
        assert_eq!(classify("docs/roadmap.md", &c), Some(FileKind::Roadmap));
        assert_eq!(classify("docs/project-brief.md", &c), Some(FileKind::Brief));
        assert_eq!(
            classify("docs/03-build-notes/milestones/m5/01-ingest.md", &c),
            Some(FileKind::MilestoneSpec)
        );
        assert_eq!(
            classify("docs/03-build-notes/milestones/m5/00-epic.md", &c),
            Some(FileKind::MilestoneDoc)
        );
        assert_eq!(classify("README.md", &c), None);
        assert_eq!(classify("docs/stories/000-story-template.md", &c), None);
        assert_eq!(classify("issues/backlog/swe-feature-template.md", &c), None);
        assert_eq!(classify("issues/README.md", &c), None);
        assert_eq!(
            classify("docs/stories/README.md", &c),
            Some(FileKind::StoryIndex)
        );
        assert_eq!(progress_of("✅ Done"), Some(Progress::Done));
        assert_eq!(progress_of("🚧 In Progress"), Some(Progress::InProgress));
        assert_eq!(progress_of("✅"), Some(Progress::Done));
    }

    #[test]
    fn a_status_word_is_read_through_its_decoration_and_notes() {
        use Progress::{Done, InProgress, NotStarted};
        let long_note = format!("Done ({})", "x".repeat(200));
        let long_word = format!("in{}progress", "_".repeat(100));
        let cases: &[(&str, Option<Progress>)] = &[
            ("  **In Progress**  ", Some(InProgress)),
            ("`done`.", Some(Done)),
            ("IN_PROGRESS", Some(InProgress)),
            ("Not Started", Some(NotStarted)),
            ("not_started (waiting on M2)", Some(NotStarted)),
            ("Done, merged", Some(Done)),
            ("Done\t(x)", Some(Done)),
            ("To Do ", Some(NotStarted)),
            ("In Review -", Some(InProgress)),
            ("** Done**", Some(Done)),
            (&long_note, Some(Done)),
            (&long_word, None),
            ("Donezo", None),
            ("Ｄone", None),
            ("", None),
            ("()", None),
            ("✅✅ Completed", Some(Done)),
        ];
        for (status, progress) in cases {
            assert_eq!(progress_of(status), *progress, "{status:?}");
        }
    }

    #[test]
    fn placeholder_detection() {
        let text = "# [Short descriptive title]\n- [ ] [Criterion from the persona's perspective]\n[Group] x [link](y) `[persona]`\n\
                    - Shows a \"Link [Type]\" button, in “Ready: [title]” form\n\"a\" [persona] \"b\"\n";
        let got: Vec<_> = placeholders(text, &markdown::outline(&Arc::from(text), "").ignored)
            .into_iter()
            .map(|r| &text[r.start()..r.end()])
            .collect();
        assert_eq!(
            got,
            vec![
                "[Short descriptive title]",
                "[Criterion from the persona's perspective]",
                "[persona]"
            ]
        );
    }

    /// A pair of brackets is on one line, whatever ends it (LF, CRLF or a
    /// lone CR), and an unclosed bracket pairs with nothing; brackets
    /// nest, inner pairs first.
    #[test]
    fn brackets_pair_within_a_line() {
        let text = "[a\n] [b [c] d]\r\n[e\r] [f] ] [[g]]";
        let pairs: Vec<&str> = bracket_pairs(text.as_bytes())
            .into_iter()
            .map(|(start, end)| &text[start..=end])
            .collect();
        assert_eq!(pairs, ["[c]", "[b [c] d]", "[f]", "[g]", "[[g]]"]);
        let found = placeholders("[PERSONA] [Persona x] [ persona ]\n", &[]);
        assert_eq!(found.len(), 2, "{found:?}");
    }

    /// Every placeholder of a long line is told quoted or not by where the
    /// marks before it on its line stand, as for a short line: a line that
    /// is one long run of placeholders (a pasted table, a generated file)
    /// is read in one pass, not once per placeholder.
    #[test]
    fn quotes_are_told_for_every_placeholder_of_a_long_line() {
        let unit = "\"[persona]\" [persona] “[title] ” [title] ";
        let line = unit.repeat(2_000);
        let text = format!("{line}\n\"\n[persona]\n“\n[title]”\n");
        let found = placeholders(&text, &[]);
        // One unquoted `[persona]` and one `[title]` per unit, and the two
        // on lines of their own (a mark on the line before does not count).
        assert_eq!(found.len(), 2 * 2_000 + 2);
        for (i, range) in found.iter().take(2 * 2_000).enumerate() {
            let unit_start = (i / 2) * unit.len();
            let expected = if i % 2 == 0 { 12 } else { 37 };
            assert_eq!(range.start() - unit_start, expected, "placeholder {i}");
        }
    }
}
