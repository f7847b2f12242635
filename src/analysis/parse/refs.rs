//! Recognising IDs in text and reading dependency fields: `none`, notes in
//! parentheses, `A through B` ranges, and prose after a dash.

use std::borrow::Cow;
use std::cell::Cell;
use std::sync::{Arc, OnceLock};

use regex::Regex;

use crate::analysis::ids;
use crate::analysis::intern::Id;
use crate::analysis::model::{RefRole, Reference, Target};
use crate::analysis::slice::Slice;
use crate::analysis::text::TextRange;

/// Where a dependency field is written: it decides what a bare number means.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RefContext<'a> {
    /// An issue or milestone spec: bare numbers mean nothing.
    Issue,
    /// A task of the story with this canonical ID: `002` is a sibling task.
    Task { story: &'a str },
    /// A story's `## Dependencies` bullets: `015` is a story.
    Story,
}

/// The ID pattern and the index of each of its named groups: a group
/// looked up by name hashes the name each time, which cost a twentieth of
/// parsing a dependency value.
struct IdPattern {
    regex: Regex,
    range: usize,
    from: usize,
    to: usize,
    issue: usize,
    storytask: usize,
    st_story: usize,
    st_task: usize,
    story: usize,
    story_num: usize,
    task: usize,
    task_num: usize,
    milestone: usize,
    m_num: usize,
    hash: usize,
    hash_num: usize,
    number: usize,
}

fn id_pattern() -> &'static IdPattern {
    static PATTERN: OnceLock<IdPattern> = OnceLock::new();
    PATTERN.get_or_init(|| {
        let regex = Regex::new(concat!(
            r"(?i)",
            r"(?P<range>(?P<from>\b[a-z][a-z0-9]*(?:-[a-z][a-z0-9]*)*-\d{2,})\s+(?:through|thru|to)\s+(?P<to>\b[a-z][a-z0-9]*(?:-[a-z][a-z0-9]*)*-\d{2,})\b)",
            r"|(?P<issue>\b[a-z][a-z0-9]*(?:-[a-z][a-z0-9]*)*-\d{2,}\b)",
            r"|(?P<storytask>\b(?:story[ -]?)?(?P<st_story>\d{1,4})/(?:task[ -]?)?(?P<st_task>\d+(?:\.\d+)?[a-z]?)\b)",
            r"|(?P<story>\bstory[ -]?(?P<story_num>\d{1,4})\b)",
            r"|(?P<task>\btask[ -]?(?P<task_num>\d+(?:\.\d+)?[a-z]?)\b)",
            r"|(?P<milestone>\bM(?P<m_num>\d{1,4})\b)",
            r"|(?P<hash>\#(?P<hash_num>\d{1,7})\b)",
            r"|(?P<number>\b\d+(?:\.\d+)?[a-z]?\b)",
        ))
        .expect("the ID pattern compiles");
        let group = |name: &str| {
            regex
                .capture_names()
                .position(|n| n == Some(name))
                .expect("the ID pattern names the group")
        };
        IdPattern {
            range: group("range"),
            from: group("from"),
            to: group("to"),
            issue: group("issue"),
            storytask: group("storytask"),
            st_story: group("st_story"),
            st_task: group("st_task"),
            story: group("story"),
            story_num: group("story_num"),
            task: group("task"),
            task_num: group("task_num"),
            milestone: group("milestone"),
            m_num: group("m_num"),
            hash: group("hash"),
            hash_num: group("hash_num"),
            number: group("number"),
            regex,
        }
    })
}

/// How many IDs the `A through B` ranges of one file may expand into, all
/// ranges together. Each range is capped at 500 IDs, but a line of ranges
/// would otherwise turn a 1 MB file into millions of references; past the
/// budget a range stands for its two ends, like an absurd range.
pub(crate) const RANGE_BUDGET: usize = 5_000;

/// Every reference written in `masked` (a slice of the file starting at
/// byte `base`, with code and comments blanked out). `A through B` ranges
/// expand into every ID between while `budget` lasts (`None`: never, for
/// the places that want the first ID only); otherwise they name their ends.
pub(crate) fn find_refs(
    file: &Arc<str>,
    masked: &str,
    base: usize,
    context: RefContext<'_>,
    role: RefRole,
    budget: Option<&Cell<usize>>,
    out: &mut Vec<Reference>,
) {
    // A list of plain IDs and numbers is read token by token; at the first
    // token that is neither, what was read is dropped and the pattern reads
    // it all.
    let read_before = out.len();
    for token in list_tokens(masked) {
        let Some(read) = plain_reference(token, context) else {
            out.truncate(read_before);
            find_refs_by_pattern(file, masked, base, context, role, budget, out);
            return;
        };
        // A bare number names nothing in an issue.
        let Some(id) = read else {
            continue;
        };
        let start = base + (token.as_ptr() as usize - masked.as_ptr() as usize);
        let range = TextRange::new(start, start + token.len());
        out.push(Reference {
            target: Target::Id(id),
            written: shared(file, range, token),
            range,
            role,
            expects: None,
        });
    }
}

/// [`find_refs`] by the ID pattern, for any text.
fn find_refs_by_pattern(
    file: &Arc<str>,
    masked: &str,
    base: usize,
    context: RefContext<'_>,
    role: RefRole,
    budget: Option<&Cell<usize>>,
    out: &mut Vec<Reference>,
) {
    let p = id_pattern();
    for caps in p.regex.captures_iter(masked) {
        let whole = caps.get(0).expect("a match has a whole group");
        let range = TextRange::new(base + whole.start(), base + whole.end());
        let written = whole.as_str();
        let group = |index: usize| caps.get(index).map_or("", |m| m.as_str());
        let mut push = |id: String| {
            out.push(Reference {
                target: Target::Id(id.into()),
                written: shared(file, range, written),
                range,
                role,
                expects: None,
            })
        };
        if caps.get(p.range).is_some() {
            let from = group(p.from).to_ascii_lowercase();
            let to = group(p.to).to_ascii_lowercase();
            let expanded = budget.and_then(|budget| {
                let all = ids::expand_issue_range(&from, &to)?;
                let left = budget.get().checked_sub(all.len())?;
                budget.set(left);
                Some(all)
            });
            match expanded {
                Some(all) => all.into_iter().for_each(&mut push),
                None => {
                    push(from);
                    push(to);
                }
            }
        } else if let Some(m) = caps.get(p.issue) {
            push(m.as_str().to_ascii_lowercase());
        } else if caps.get(p.storytask).is_some() {
            let story = ids::story_id(group(p.st_story));
            push(ids::task_id(&story, group(p.st_task)));
        } else if caps.get(p.story).is_some() {
            push(ids::story_id(group(p.story_num)));
        } else if caps.get(p.task).is_some() {
            if let RefContext::Task { story } = context {
                push(ids::task_id(story, group(p.task_num)));
            }
        } else if caps.get(p.milestone).is_some() {
            push(format!(
                "M{}",
                group(p.m_num).trim_start_matches('0').max_or_zero()
            ));
        } else if caps.get(p.hash).is_some() {
            push(format!("#{}", group(p.hash_num)));
        } else if let Some(m) = caps.get(p.number) {
            match context {
                RefContext::Task { story } => push(ids::task_id(story, m.as_str())),
                // A story number has neither a dot nor a letter suffix.
                RefContext::Story if m.as_str().bytes().all(|b| b.is_ascii_digit()) => {
                    push(ids::story_id(m.as_str()))
                }
                _ => {}
            }
        }
    }
}

/// The words of a list (`qa-feature-007, swe-feature-006`, `M5`): what
/// commas, semicolons and ASCII white space separate. Nearly every
/// dependency and milestone value is such a list of plain IDs, which
/// `find_refs` reads without the ID pattern.
fn list_tokens(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| c == ',' || c == ';' || c.is_ascii_whitespace())
        .filter(|token| !token.is_empty())
}

/// What the ID pattern reads `token` as in `context`, when it reads all of
/// it as one reference or as nothing: a [`plain_id`], or a bare number
/// (`002`: a sibling task in a task's field, a story in a story's, nothing
/// in an issue's, as the pattern's last branch reads it). `None` when the
/// token takes the pattern. Task lists of stories are mostly numbers.
fn plain_reference(token: &str, context: RefContext<'_>) -> Option<Option<Id>> {
    if token.bytes().all(|b| b.is_ascii_digit()) {
        return Some(match context {
            RefContext::Task { story } => Some(Id::new(&ids::task_id(story, token))),
            RefContext::Story => Some(Id::new(&ids::story_id(token))),
            RefContext::Issue => None,
        });
    }
    plain_id(token).map(Some)
}

/// The ID that the ID pattern reads `token` as, when it reads all of it as
/// one in every context: an issue ID (its `issue` branch: words of ASCII
/// letters and digits that start with a letter, joined by `-`, then `-`
/// and two digits or more), or a milestone (`M5`, `m05`: `M` and one to
/// four digits). `None` for anything else, which the pattern then reads.
fn plain_id(token: &str) -> Option<Id> {
    if is_issue_id(token) {
        return Some(if token.bytes().any(|b| b.is_ascii_uppercase()) {
            Id::new(&token.to_ascii_lowercase())
        } else {
            Id::new(token)
        });
    }
    let digits = token.strip_prefix(['M', 'm'])?;
    if (1..=4).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit()) {
        let number = digits.trim_start_matches('0').max_or_zero();
        return Some(Id::new(&format!("M{number}")));
    }
    None
}

fn is_issue_id(token: &str) -> bool {
    let Some((words, number)) = token.rsplit_once('-') else {
        return false;
    };
    number.len() >= 2
        && number.bytes().all(|b| b.is_ascii_digit())
        && !words.is_empty()
        && words.split('-').all(|word| {
            word.as_bytes().first().is_some_and(u8::is_ascii_alphabetic)
                && word.bytes().all(|b| b.is_ascii_alphanumeric())
        })
}

/// `written`, found at `range` of a masked copy of `file`, as a piece of
/// `file` when it reads the same there (it does unless masking changed it):
/// no copy of its own per reference.
fn shared(file: &Arc<str>, range: TextRange, written: &str) -> Slice {
    if file.get(range.start()..range.end()) == Some(written) {
        Slice::new(file, range)
    } else {
        Slice::owned(written)
    }
}

trait OrZero {
    fn max_or_zero(&self) -> &str;
}

impl OrZero for str {
    fn max_or_zero(&self) -> &str {
        if self.is_empty() {
            "0"
        } else {
            self
        }
    }
}

/// Whether a value says "no dependencies": `none`, `None`, `—`, `-`,
/// `N/A`, possibly followed by a note.
pub(crate) fn says_none(value: &str) -> bool {
    let v = value.trim().trim_end_matches('.').trim();
    let first = v
        .split(|c: char| c == '(' || c == ',' || c == ';' || c.is_whitespace())
        .next()
        .unwrap_or("");
    ["none", "n/a", "na", "—", "-", "–", "nothing", ""]
        .iter()
        .any(|word| first.eq_ignore_ascii_case(word))
        || matches!(v, "—" | "-" | "–")
}

/// The part of a dependency value that names dependencies: parenthetical
/// notes are blanked out and prose after a spaced dash is cut off. Offsets
/// are kept, so the result can be searched with `find_refs`.
pub(crate) fn dependency_part(masked_value: &str) -> Cow<'_, str> {
    // Nearly every value is a plain list (`swe-feature-011, M5`): with no
    // parenthesis, no spaced hyphen and no en or em dash (whose UTF-8 both
    // start with byte 0xE2) there is nothing to blank or cut.
    let plain = !masked_value
        .bytes()
        .any(|b| matches!(b, b'(' | b')' | 0xE2))
        && !masked_value.contains(" -");
    if plain {
        Cow::Borrowed(masked_value)
    } else {
        Cow::Owned(without_notes_and_prose(masked_value))
    }
}

/// `masked_value` with its parenthetical notes and the prose after a
/// spaced dash blanked, offsets kept (see [`dependency_part`]).
fn without_notes_and_prose(masked_value: &str) -> String {
    // Only a dash outside parentheses starts prose: in
    // `swe-feature-035 (rules — use as reference), swe-feature-036` the
    // dash is part of the note and swe-feature-036 is still a dependency.
    let mut cut = masked_value.len();
    let mut depth = 0usize;
    for (i, c) in masked_value.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            // A lone leading em dash means "none", handled by `says_none`.
            _ if depth == 0 && i > 0 => {
                let rest = &masked_value[i..];
                if [" — ", " – ", " -- ", " - ", "—"]
                    .iter()
                    .any(|dash| rest.starts_with(dash))
                {
                    cut = i;
                    break;
                }
            }
            _ => {}
        }
    }
    let mut out = String::with_capacity(masked_value.len());
    let mut depth = 0usize;
    for (i, c) in masked_value.char_indices() {
        let keep = i < cut && depth == 0 && c != '(';
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ => {}
        }
        if keep && c != ')' {
            out.push(c);
        } else {
            out.extend(std::iter::repeat_n(' ', c.len_utf8()));
        }
    }
    out
}

/// Parses a dependency field's value at `value_range`, with `masked` the
/// value's text with code and comments blanked; ranges draw on `budget`.
/// `from_rel` is the path of the file it is in: links to planning files
/// (`[Setup story](001-project-setup.md)`) resolve against it.
pub(crate) fn parse_dependency_value(
    file: &Arc<str>,
    masked: &str,
    value_range: TextRange,
    context: RefContext<'_>,
    from_rel: &str,
    budget: &Cell<usize>,
    out: &mut Vec<Reference>,
) {
    let masked = links(file, masked, value_range.start(), context, from_rel, out);
    if says_none(&masked) {
        return;
    }
    let part = dependency_part(&masked);
    find_refs(
        file,
        &part,
        value_range.start(),
        context,
        RefRole::Dependency,
        Some(budget),
        out,
    );
}

fn link_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r#"\[[^\]\n]*\]\(\s*<?(?P<url>[^)\s>#]+\.md)(?:#[^)\s>]*)?>?(?:\s+"[^"\n]*")?\s*\)"#,
        )
        .expect("the link pattern compiles")
    })
}

/// The references of the markdown links to planning files in `masked` (a
/// slice of the file at byte `base`), pushed to `out`; returns `masked`
/// with every link to a `.md` file blanked, so that numbers in its text or
/// file name are not read a second time.
fn links<'a>(
    file: &Arc<str>,
    masked: &'a str,
    base: usize,
    context: RefContext<'_>,
    from_rel: &str,
    out: &mut Vec<Reference>,
) -> Cow<'a, str> {
    // Most values link nothing: the pattern runs only where a link's
    // `](` is written.
    if !masked.contains("](") {
        return Cow::Borrowed(masked);
    }
    let mut rest = masked.to_string();
    for caps in link_regex().captures_iter(masked) {
        let whole = caps.get(0).expect("a match has a whole group");
        let blank = " ".repeat(whole.len());
        rest.replace_range(whole.range(), &blank);
        let Some(path) = link_path(from_rel, &caps["url"]) else {
            continue;
        };
        let from_story = !matches!(context, RefContext::Issue);
        if let Some(id) = id_of_path(&path, from_rel, from_story) {
            let range = TextRange::new(base + whole.start(), base + whole.end());
            out.push(Reference {
                target: Target::Id(id.into()),
                written: shared(file, range, whole.as_str()),
                range,
                role: RefRole::Dependency,
                expects: None,
            });
        }
    }
    Cow::Owned(rest)
}

/// The workspace path a link in the file `from_rel` points at: relative to
/// the file's folder, or to the root when it starts with `/`; `None` for a
/// URL or a path that leaves the root.
pub(crate) fn link_path(from_rel: &str, url: &str) -> Option<String> {
    if url.contains("://") || url.starts_with("mailto:") {
        return None;
    }
    let mut parts: Vec<&str> = if url.starts_with('/') {
        Vec::new()
    } else {
        from_rel.split('/').collect()
    };
    if !url.starts_with('/') {
        parts.pop();
    }
    for segment in url.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// The path a dependency written as a link points at, when `written` is a
/// link (`[text](path.md)`).
pub(crate) fn written_link_path(from_rel: &str, written: &str) -> Option<String> {
    let caps = link_regex().captures(written)?;
    link_path(from_rel, &caps["url"])
}

/// The ID of the item a planning file defines, from its path alone: an
/// issue file's stem, `story-NNN` for a numbered file in a `stories/`
/// folder (or beside the story that links to it), `m5/01` for a milestone
/// spec. `None` for any other file.
fn id_of_path(path: &str, from_rel: &str, from_story: bool) -> Option<String> {
    let parts: Vec<&str> = path.split('/').collect();
    let name = *parts.last()?;
    let stem = name.get(..name.len().checked_sub(3)?)?;
    let lower = stem.to_ascii_lowercase();
    if lower.contains("template") {
        return None;
    }
    let parent = parts.len().checked_sub(2).map(|i| parts[i]);
    let grandparent = parts.len().checked_sub(3).map(|i| parts[i]);
    if ids::issue_parts(&lower).is_some() {
        return Some(lower);
    }
    let digits: String = stem.chars().take_while(char::is_ascii_digit).collect();
    if digits.is_empty() {
        return None;
    }
    let same_folder =
        from_rel.rsplit_once('/').map(|(d, _)| d) == path.rsplit_once('/').map(|(d, _)| d);
    if parent.is_some_and(|p| p.eq_ignore_ascii_case("stories")) || (from_story && same_folder) {
        return Some(ids::story_id(&digits));
    }
    let milestone = parent.and_then(|p| {
        let n = p.strip_prefix(['m', 'M'])?.parse::<u32>().ok()?;
        grandparent
            .is_some_and(|g| g.eq_ignore_ascii_case("milestones"))
            .then_some(n)
    })?;
    (digits.parse::<u32>().ok()? > 0).then(|| format!("m{milestone}/{digits}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deps(value: &str, context: RefContext<'_>) -> Vec<String> {
        let mut out = Vec::new();
        let budget = Cell::new(RANGE_BUDGET);
        parse_dependency_value(
            &Arc::from(value),
            value,
            TextRange::new(0, value.len()),
            context,
            "docs/stories/016-saved-views.md",
            &budget,
            &mut out,
        );
        out.into_iter()
            .map(|r| format!("{}@{:?}", r.target.as_id().unwrap(), r.range))
            .collect()
    }

    #[test]
    fn dependency_values() {
        assert!(deps(
            "none (parallel with swe-feature-089, swe-feature-090)",
            RefContext::Issue
        )
        .is_empty());
        assert!(deps("—", RefContext::Issue).is_empty());
        assert!(deps("N/A", RefContext::Issue).is_empty());
        assert_eq!(
            deps(
                "swe-feature-014 (files must be in new locations first)",
                RefContext::Issue
            ),
            vec!["swe-feature-014@0..15"]
        );
        assert_eq!(
            deps(
                "swe-feature-088, swe-feature-089 — **HARD** Downstream of 091: swe-feature-093",
                RefContext::Issue
            ),
            vec!["swe-feature-088@0..15", "swe-feature-089@17..32"]
        );
        assert_eq!(
            deps("swe-feature-008 through swe-feature-010", RefContext::Issue).len(),
            3
        );
        assert_eq!(
            deps("M19 (the boundary)", RefContext::Issue),
            vec!["M19@0..3"]
        );
        assert_eq!(
            deps(
                "001, 015/002, Task 9",
                RefContext::Task { story: "story-016" }
            ),
            vec![
                "story-016/001@0..3",
                "story-015/002@5..12",
                "story-016/009@14..20"
            ]
        );
        assert_eq!(
            deps(
                "010, 011a, 015/011B",
                RefContext::Task { story: "story-016" }
            ),
            vec![
                "story-016/010@0..3",
                "story-016/011a@5..9",
                "story-015/011b@11..19"
            ]
        );
        assert!(deps("011a", RefContext::Story).is_empty());
        assert_eq!(
            deps(
                "It can be done after [Setup story 3 is done](001-project-setup.md).",
                RefContext::Story
            ),
            vec!["story-001@21..66"]
        );
        assert_eq!(
            deps(
                "[login](../../issues/backlog/swe-feature-004.md#notes), [spec](/milestones/m3/02-mail.md)",
                RefContext::Story
            ),
            vec!["swe-feature-004@0..54", "m3/02@56..89"]
        );
        assert!(deps("[readme](../README.md)", RefContext::Story).is_empty());
        assert_eq!(
            link_path("docs/stories/002-x.md", "../../a/./b.md").as_deref(),
            Some("a/b.md")
        );
        assert_eq!(link_path("docs/x.md", "../../b.md"), None);
        assert_eq!(
            deps("Story 035 (orchestrator)", RefContext::Story),
            vec!["story-035@0..9"]
        );
    }

    proptest::proptest! {
        /// Lists of issue IDs, milestones and bare numbers skip the ID
        /// pattern; what they give must be what the pattern gives in every
        /// context, and texts that only look like such a list (a range, a
        /// dotted or lettered number, a word joined to an ID, five digits
        /// after `M`) must still go to the pattern.
        #[test]
        fn an_issue_id_list_reads_as_the_pattern_reads_it(
            pieces in proptest::collection::vec(
                proptest::sample::select(vec![
                    "swe-feature-001", "QA-Bug-12", "a1-b2-003", "abc-12-003", "story-015",
                    "x-1", "m-5a", "-01", "fe-", "through", "M5", "015", "1.2", "é-01",
                    "swe-feature-007.", "(note)", ",", ", ", ";", " ", "\t", "\u{a0}", "",
                    "M440", "m05", "M0", "M00", "M12345", "M", "M5a", "#301", "002", "7",
                    "0", "000123456", "011a", "15/2", "٣",
                ]),
                0..8,
            ),
            context in 0..3u8,
        ) {
            let text: String = pieces.concat();
            let file: Arc<str> = Arc::from(text.as_str());
            let context = match context {
                0 => RefContext::Issue,
                1 => RefContext::Story,
                _ => RefContext::Task { story: "story-015" },
            };
            let mut fast = Vec::new();
            find_refs(&file, &text, 0, context, RefRole::Dependency, None, &mut fast);
            let mut by_pattern = Vec::new();
            find_refs_by_pattern(&file, &text, 0, context, RefRole::Dependency, None, &mut by_pattern);
            proptest::prop_assert_eq!(fast, by_pattern);
        }

        /// A value the quick test finds plain is what blanking its notes
        /// and prose would give.
        #[test]
        fn a_plain_value_needs_no_blanking(
            pieces in proptest::collection::vec(
                proptest::sample::select(vec![
                    "swe-feature-001", "M5", "(note)", "(", ")", " - ", " -- ", "-", " — ",
                    "—", "–", " – ", ", ", " ", "a-b", "é", "x)", "(y",
                ]),
                0..8,
            ),
        ) {
            let text: String = pieces.concat();
            proptest::prop_assert_eq!(dependency_part(&text), without_notes_and_prose(&text));
        }
    }
}
