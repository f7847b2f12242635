//! Kiro specs: `.kiro/specs/<feature>/requirements.md` (numbered
//! requirements with EARS acceptance criteria) and `tasks.md` (a numbered
//! checklist whose tasks name the criteria they satisfy in a
//! `_Requirements: 1.1, 2.3_` line). IDs are scoped to the feature folder:
//! requirement 2 is `<feature>/requirement-2`, its third criterion
//! `<feature>/2.3`, task 1.2 `<feature>/task-1.2`. A bugfix spec writes
//! `bugfix.md` in place of requirements.md: its numbered statements of the
//! current, expected and unchanged behaviour (`2.1 WHEN …`) are read as
//! criteria, which its tasks name the same way. The `.kiro/` folder of
//! a project below the workspace root puts the project's path before the
//! feature (`apps/web/notify/2.3`).

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use regex::Regex;

use crate::analysis::actions::{Action, Change};
use crate::analysis::dialect::order::{add_list_order, list_schedule, written_dependencies};
use crate::analysis::dialect::{
    dialect_rules, folder_scope, number_or_id, project_feature, Dialect, DialectSpec, ParseInput,
};
use crate::analysis::model::{Field, FileFacts, FileKind, Item, ItemKind, Progress, RefRole};
use crate::analysis::model::{Reference, Target};
use crate::analysis::parse::{
    is_ignored, is_struck_through, lines_in, trim_range, Heading, Outline,
};
use crate::analysis::rules::{Context, Diagnostic, Sink};
use crate::analysis::text::TextRange;
use crate::analysis::workspace::{SourceFile, Workspace};

pub(crate) static SPEC: DialectSpec = DialectSpec {
    dialect: Dialect::Kiro,
    name: "Kiro",
    planning_folders: &[".kiro"],
    classify,
    parse,
    check,
    fixes,
    rules: RULES,
    scope: folder_scope,
    written_id: number_or_id,
    retired_item: crate::analysis::dialect::no_retired_items,
    status_words: crate::analysis::dialect::no_status_words,
    progress: crate::analysis::dialect::own_progress,
    progress_sources: &[],
    renumber_below: crate::analysis::dialect::nothing_below,
    list_words: crate::analysis::dialect::no_list_words,
    covers_every: tasks_covering_all,
    judges_reference: judges_requirement,
    implied_deps: crate::analysis::dialect::no_implied_deps,
    implied_deps_sources: &[],
    held_back: crate::analysis::dialect::never_held,
    explains_duplicate: crate::analysis::dialect::no_duplicates_explained,
};

dialect_rules! { Dialect::Kiro;
    UNKNOWN_REQUIREMENT = 0, "kiro-unknown-requirement", Error, CrossFile,
        "A task's `_Requirements:` line names a requirement or criterion that requirements.md does not have.";
    PROSE_REQUIREMENT = 1, "kiro-prose-requirement", Warning, CrossFile,
        "A `_Requirements:` entry is prose, not a criterion ID, so nothing can trace it.";
    UNCOVERED_CRITERION = 2, "kiro-uncovered-criterion", Info, CrossFile,
        "An acceptance criterion that no task names in its `_Requirements:` line.";
    TASK_ORDER = 3, "kiro-task-order", Warning, Local,
        "A task number out of sequence, or a sub-task under the wrong task.";
    TASK_SHAPE = 4, "kiro-task-shape", Warning, Local,
        "A task written as a heading, which Kiro does not run.";
    REQUIREMENT_WITHOUT_CRITERIA = 5, "kiro-requirement-without-criteria", Warning, Local,
        "A requirement with no numbered acceptance criteria.";
    CRITERION_NOT_EARS = 6, "kiro-criterion-not-ears", Hint, Local,
        "An acceptance criterion that is not an EARS sentence (no SHALL).";
    DEPENDENCY_ORDER = 7, "kiro-dependency-order", Warning, Local,
        "A task's `_Depends:` line names a task further down the list.";
}

/// The roles of a spec folder's files.
const REQUIREMENTS: &str = "requirements";
/// A bugfix spec's analysis: numbered statements of the current (`1.x`),
/// expected (`2.x`) and unchanged (`3.x`) behaviour, which tasks name as
/// they name a feature spec's criteria.
const BUGFIX: &str = "bugfix";
const TASKS: &str = "tasks";

fn classify(_rel: &str, parts: &[&str]) -> Option<&'static str> {
    let specs = specs_folder(parts)?;
    // A spec folder is one folder below `specs/`, or deeper when specs are
    // grouped (`specs/master-data/bank-master/`), as cc-sdd's commands
    // take a spec's path below `specs/`.
    let [_feature, .., name] = &parts[specs + 1..] else {
        return None;
    };
    match name.to_ascii_lowercase().as_str() {
        "requirements.md" => Some(REQUIREMENTS),
        "bugfix.md" => Some(BUGFIX),
        "tasks.md" => Some(TASKS),
        _ => None,
    }
}

/// Where the last `.kiro/specs/` of a path's `parts` has its `specs`.
fn specs_folder(parts: &[&str]) -> Option<usize> {
    (1..parts.len())
        .rev()
        .find(|&at| parts[at] == "specs" && parts[at - 1] == ".kiro")
}

/// The scope of the file's IDs: the spec folder's path below `specs/`
/// (`notify`, `master-data/bank-master`), after the path of the folder
/// that holds `.kiro/` when that is not the workspace root
/// (`apps/web/notify`).
fn feature_of(rel: &str) -> String {
    let parts: Vec<&str> = rel.split('/').collect();
    let Some(specs) = specs_folder(&parts) else {
        return project_feature(rel, 2);
    };
    let folders = parts.len().saturating_sub(1);
    let feature = parts.get(specs + 1..folders).unwrap_or_default().join("/");
    match parts.get(..specs - 1) {
        Some(project) if !project.is_empty() => format!("{}/{feature}", project.join("/")),
        _ => feature,
    }
}

fn requirement_id(feature: &str, n: &str) -> String {
    format!("{feature}/requirement-{n}")
}

fn criterion_id(feature: &str, n: &str) -> String {
    format!("{feature}/{n}")
}

fn task_id(feature: &str, number: &str) -> String {
    format!("{feature}/task-{number}")
}

fn parse(input: &ParseInput<'_>, facts: &mut FileFacts) {
    match input.role {
        REQUIREMENTS => parse_requirements(input, facts),
        BUGFIX => parse_bugfix(input, facts),
        TASKS => parse_tasks(input, facts),
        _ => {}
    }
}

/// "Requirement" as Kiro writes it in the languages it answers in
/// (`### 需求 1: 标题` in a Chinese spec, `### المتطلب 1` in an Arabic one).
const REQUIREMENT_WORDS: &str =
    r"requirement|需求|要求|要件|요구\s*사항|requisito|exigence|anforderung|требование|المتطلب";
/// "Requirement" abbreviated right before its number: `R1` (a capital R
/// only, so that a word ending in `r` does not count), `Req 1`, `REQ-1`,
/// `Req.1`.
const REQUIREMENT_ABBREVIATIONS: &str = r"(?:(?-i:R)|(?i:req)[-.]?\s*)";
/// The plural, as a task's `_Requirements:` line writes it.
const REQUIREMENTS_WORDS: &str = r"requirements?|需求|要求|要件|요구\s*사항|requisitos?|exigences?|anforderungen?|требования|المتطلبات";
/// A `_Requirements:` entry that names every requirement of the spec
/// (`All`, `All requirements`), in English and in the languages above,
/// compared lower-cased with single spaces.
const ALL_ENTRIES: &[&str] = &[
    "all",
    "all requirements",
    "全部",
    "所有",
    "全部需求",
    "所有需求",
    "全部要求",
    "所有要求",
    "すべて",
    "全て",
    "すべての要件",
    "全ての要件",
    "全要件",
    "모두",
    "전체",
    "모든 요구사항",
    "모든 요구 사항",
    "todos",
    "todos los requisitos",
    "todos os requisitos",
    "tous",
    "toutes",
    "toutes les exigences",
    "alle",
    "alle anforderungen",
    "все",
    "все требования",
    "الكل",
    "جميع المتطلبات",
];
/// "Acceptance criteria" as a requirement's criteria heading writes it.
const CRITERIA_HEADINGS: &[&str] = &[
    "acceptance criteria",
    "验收标准",
    "驗收標準",
    "验收条件",
    "驗收條件",
    "受入基準",
    "受け入れ基準",
    "受入条件",
    "受け入れ条件",
    "인수 기준",
    "수락 기준",
    "criterios de aceptación",
    "critérios de aceitação",
    "critères d'acceptation",
    "akzeptanzkriterien",
    "критерии приемки",
    "معايير القبول",
];
/// The words that make a criterion an EARS requirement: `SHALL`, or its
/// rendering in a translated spec.
const EARS_MODALS: &[&str] = &[
    "shall",
    "应当",
    "应该",
    "必须",
    "應當",
    "應該",
    "必須",
    "系统应",
    "系統應",
    // Japanese obligation, `…させなければならない` as well as
    // `…しなければならない`, and prohibition, `…してはならない` (shall not).
    "なければならない",
    "なくてはならない",
    "ねばならない",
    "てはならない",
    "ではならない",
    "ものとする",
    "해야 한다",
    "deberá",
    "debe ",
    "deverá",
    "deve ",
    "doit ",
    "muss ",
    "должн",
    // Arabic "must", as `يجب أن` opens the response.
    "يجب",
];

/// Whether a `_Requirements:` entry says the task covers every
/// requirement of the spec.
fn is_all_entry(written: &str) -> bool {
    let words: Vec<&str> = without_note(written).split_whitespace().collect();
    let normalised = words.join(" ").to_lowercase();
    ALL_ENTRIES.contains(&normalised.trim_end_matches('.'))
}

/// Whether a task's `_Requirements:` line (at `field`) has an entry that
/// names every requirement.
fn covers_all(text: &str, field: TextRange) -> bool {
    text.get(field.start()..field.end()).is_some_and(|value| {
        list_entries(value, REQUIREMENT_SEPARATORS)
            .into_iter()
            .any(|(_, entry)| is_all_entry(entry.trim().trim_matches(['_', '*']).trim()))
    })
}

/// What separates the entries of a `_Requirements:` line: a comma or a
/// semicolon, ASCII, full-width or Arabic (`،`), or the ideographic comma
/// (`1.1、1.2`) that Chinese and Japanese specs list with. A slash does only between
/// numbers (`15.1/15.3`), so that `N/A` stays one entry.
const REQUIREMENT_SEPARATORS: &[char] = &[',', ';', '、', '，', '；', '،', '؛', '/'];
/// What separates the entries of a `_Depends:` line.
const DEPENDS_SEPARATORS: &[char] = &[',', ';', '、', '，', '；', '،', '؛'];

/// A `_Requirements:` entry that says the task traces no requirement
/// (`None`, `N/A`, `无`), compared lower-cased.
const NONE_ENTRIES: &[&str] = &[
    "none",
    "n/a",
    "无",
    "無",
    "なし",
    "없음",
    "ninguno",
    "ninguna",
    "nenhum",
    "aucun",
    "aucune",
    "keine",
    "нет",
    "لا يوجد",
];
/// The words that open an entry about every requirement of some kind
/// (`All validation requirements`, `全部测试需求`): Latin ones as a word,
/// the others as the entry's first characters.
const ALL_WORDS: &[&str] = &["all", "todos", "todas", "tous", "toutes", "alle", "все"];
const ALL_PREFIXES: &[&str] = &["全", "所有", "すべて", "모두", "모든", "전체"];
/// The words that close a Chinese or Japanese entry about every
/// requirement of some kind (`テスト要件全般`, "the test requirements as a
/// whole").
const ALL_SUFFIXES: &[&str] = &["全般", "全体", "全體"];
/// The most criteria or requirements one range entry (`1.1-1.15`) is read
/// as: a longer one is more likely a typo than a plan.
const MAX_RANGE: u32 = 100;

/// The entries of a list (`1.1, 2 (ACs 1–3, 7); All (docs only; none)`):
/// its parts between the separators that stand outside parentheses, ASCII
/// or full-width, each with where it starts in `value`. A list whose
/// parentheses do not close is split at every separator. A slash
/// separates only when a digit stands on either side of it, spaces apart.
fn list_entries<'a>(value: &'a str, separators: &[char]) -> Vec<(usize, &'a str)> {
    let mut depth = 0usize;
    let mut cuts = Vec::new();
    let mut plain_cuts = Vec::new();
    for (at, c) in value.char_indices() {
        match c {
            '(' | '（' => depth += 1,
            ')' | '）' => depth = depth.saturating_sub(1),
            '/' if !between_digits(value, at) => {}
            _ if separators.contains(&c) => {
                plain_cuts.push((at, c.len_utf8()));
                if depth == 0 {
                    cuts.push((at, c.len_utf8()));
                }
            }
            _ => {}
        }
    }
    let cuts = if depth == 0 { cuts } else { plain_cuts };
    let mut out = Vec::with_capacity(cuts.len() + 1);
    let mut start = 0;
    for (at, width) in cuts {
        out.push((start, &value[start..at]));
        start = at + width;
    }
    out.push((start, &value[start..]));
    out
}

/// Whether the character at `at` (one byte wide) has a digit before and
/// after it, past any spaces.
fn between_digits(value: &str, at: usize) -> bool {
    let before = value[..at].trim_end().chars().next_back();
    let after = value[at + 1..].trim_start().chars().next();
    before.is_some_and(|c| c.is_ascii_digit()) && after.is_some_and(|c| c.is_ascii_digit())
}

/// The entry without a note in parentheses after it: `N/A` of
/// `N/A (project setup)`, `All` of `All (performance)`.
fn without_note(written: &str) -> &str {
    let Some(body) = written
        .strip_suffix(')')
        .or_else(|| written.strip_suffix('）'))
    else {
        return written;
    };
    match body.rfind(['(', '（']) {
        Some(open) if !body[..open].trim().is_empty() => body[..open].trim_end(),
        _ => written,
    }
}

/// What one `_Requirements:` entry says the task covers.
enum Entry {
    /// Criteria (`1.2`) and whole requirements (`3`), by number, from a
    /// single ID or a range (`1.1-1.15`, `需求16-18`).
    Numbers(Vec<(String, ItemKind)>),
    /// `None`, `N/A`, `All`, `All requirements (code quality)`, `All
    /// validation requirements`, a note alone (`(design)`): nothing to
    /// trace and nothing to report
    /// (a task covering `All` is counted by `covers_all`).
    NothingToTrace,
    /// Anything else: prose, reported.
    Prose,
}

static CRITERION_RANGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^(?:(?i:(?:{REQUIREMENT_WORDS})\s*)|{REQUIREMENT_ABBREVIATIONS})?(\d+)(?:\.(\d+))?\s*[-–—~〜～]\s*(?:(?i:(?:{REQUIREMENT_WORDS})\s*)|{REQUIREMENT_ABBREVIATIONS})?(\d+)(?:\.(\d+))?$"
    ))
    .expect("valid regex")
});

/// Reads one entry of a `_Requirements:` line, written without its
/// underscores and bold markers and without a note in parentheses.
fn read_entry(written: &str) -> Entry {
    if let Some(caps) = CRITERION_REF.captures(written) {
        return Entry::Numbers(vec![match caps.get(2) {
            Some(m) => (format!("{}.{}", &caps[1], m.as_str()), ItemKind::Criterion),
            None => (caps[1].to_string(), ItemKind::Requirement),
        }]);
    }
    if let Some(caps) = CRITERION_RANGE.captures(written) {
        return read_range(&caps).map_or(Entry::Prose, Entry::Numbers);
    }
    let lower = written.to_lowercase();
    let lower = lower.trim_end_matches('.');
    let first_word = lower.split_whitespace().next().unwrap_or("");
    if NONE_ENTRIES.contains(&lower)
        || is_only_a_note(written)
        || is_all_entry(written)
        || ALL_WORDS.contains(&first_word)
        || ALL_PREFIXES.iter().any(|p| lower.starts_with(p))
        || ALL_SUFFIXES.iter().any(|s| lower.ends_with(s))
    {
        return Entry::NothingToTrace;
    }
    Entry::Prose
}

/// Whether an entry is a note in parentheses and nothing else (`(design)`,
/// `(documentation)`): it says what the task is for in place of a
/// requirement, as `N/A (design)` would.
fn is_only_a_note(written: &str) -> bool {
    let Some(inside) = written
        .strip_prefix(['(', '（'])
        .and_then(|rest| rest.strip_suffix([')', '）']))
    else {
        return false;
    };
    !inside.trim().is_empty() && !inside.contains([')', '）'])
}

/// The numbers a range names: `1.1-1.15` each criterion of requirement 1
/// from 1 to 15, `需求16-18` requirements 16, 17 and 18. A range across
/// requirements (`1.3-2.2`), backwards or longer than `MAX_RANGE` is not
/// read.
fn read_range(caps: &regex::Captures<'_>) -> Option<Vec<(String, ItemKind)>> {
    let worded = !caps[0].starts_with(|c: char| c.is_ascii_digit());
    let number = |i: usize| caps.get(i).map(|m| m.as_str().parse::<u32>().ok());
    match (number(1)??, number(2), number(3)??, number(4)) {
        // Bare, `1-6` may as well be criterion 1.6 written with a hyphen (as
        // `Validates: Requirements 20-1` writes it): only a range that
        // says `Requirement` (`需求16-18`) is one of requirements.
        (from, None, to, None) if worded && from <= to && to - from < MAX_RANGE => Some(
            (from..=to)
                .map(|n| (n.to_string(), ItemKind::Requirement))
                .collect(),
        ),
        (requirement, Some(Some(from)), same, Some(Some(to)))
            if requirement == same && from <= to && to - from < MAX_RANGE =>
        {
            Some(
                (from..=to)
                    .map(|n| (format!("{requirement}.{n}"), ItemKind::Criterion))
                    .collect(),
            )
        }
        _ => None,
    }
}

/// Whether a heading opens a requirement's acceptance criteria.
fn is_criteria_heading(text: &str) -> bool {
    let text = text.trim().to_lowercase();
    CRITERIA_HEADINGS.iter().any(|h| text == *h)
}

/// Whether a criterion is written as EARS (it says what the system shall
/// do).
fn is_ears(text: &str) -> bool {
    let text = text.to_lowercase();
    EARS_MODALS.iter().any(|m| text.contains(m)) || ends_with_koto(&text)
}

/// Whether a Japanese criterion ends a sentence with `こと`
/// (`…が表示されること`), the way Japanese requirements say "shall"; a
/// `こと` inside a sentence (`…することができる`) says nothing of the kind.
fn ends_with_koto(text: &str) -> bool {
    text.match_indices("こと").any(|(at, koto)| {
        let rest = text[at + koto.len()..].trim_start();
        rest.is_empty() || rest.starts_with(['。', '.', '（', '(', '：', ':'])
    })
}

/// Whether a criterion is EARS-shaped but for its modal: it opens with a
/// trigger (`WHEN`, `IF`, `WHILE`, `WHERE`, which it gives) and has a `THEN`, as criteria
/// written in another language often do (`WHEN ユーザーがアクセス THEN
/// 表示される`). Both words are read in any case (`When …, then …`).
fn trigger_and_response(text: &str) -> Option<&'static str> {
    let trigger = ["WHEN", "IF", "WHILE", "WHERE"].into_iter().find(|t| {
        text.get(..t.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(t))
            && text.as_bytes().get(t.len()) == Some(&b' ')
    })?;
    text.as_bytes()
        .windows(" THEN ".len())
        .any(|word| word.eq_ignore_ascii_case(b" THEN "))
        .then_some(trigger)
}

/// A requirement's heading: `### Requirement 1: Title`, in any language
/// Kiro writes, or abbreviated (`### R1：Title`, `### REQ-1: Title`).
static REQUIREMENT_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)^(?:(?:{REQUIREMENT_WORDS})\s*|{REQUIREMENT_ABBREVIATIONS})(\d+)\s*(?:[:：.\-–—]\s*(.*))?$"
    ))
    .expect("valid regex")
});
/// A numbered heading (`### 1. Title`), which cc-sdd's Japanese specs
/// write for a requirement without the word.
static NUMBERED_HEADING: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d+)\.\s+(\S.*)$").expect("valid regex"));
/// A criterion line: `1. WHEN …` (a markdown list item) or `1.1. THE …`
/// (the criterion's own number, requirement and place, which markdown shows
/// as a paragraph), also without the last dot (`1.1 THE …`), with a colon
/// (`1.1: When …`) or as a bullet (`- 1.1: When …`).
static NUMBERED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\s*)(?:(?:[-*+]\s+)?(\d+\.\d+)(?:[.:)]?\s+|：\s*)|(\d+)[.)]\s+)(.*)$")
        .expect("valid regex")
});

/// A criterion written as a bullet: `- WHEN … THE … SHALL …`. The bullet
/// stands where a number would.
static BULLETED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\s*)(?:([-*+])\s+)(.*)$").expect("valid regex"));

/// Requirements and their numbered criteria.
fn parse_requirements(input: &ParseInput<'_>, facts: &mut FileFacts) {
    let text = input.text;
    let feature = &feature_of(input.rel);
    let headings = &input.outline.headings;
    // A numbered heading (`### 1. Title`) is a requirement only in a file
    // that names none with the word, and only with an acceptance-criteria
    // heading under it: a decision log's or a list of open questions'
    // numbered headings stay sections.
    let worded = headings
        .iter()
        .any(|h| REQUIREMENT_HEADING.is_match(h.text.trim()));
    let names_requirement = |h: &Heading| {
        let written = h.text.trim();
        REQUIREMENT_HEADING.is_match(written) || (!worded && NUMBERED_HEADING.is_match(written))
    };
    for (i, heading) in headings.iter().enumerate() {
        let section_end = || {
            let end = headings[i + 1..]
                .iter()
                .find(|next| next.level <= heading.level)
                .map_or(text.len(), |next| next.range.start());
            run_on_to_criteria(input, heading, end, &names_requirement)
        };
        let has_criteria_heading = |end: usize| {
            headings[i + 1..]
                .iter()
                .take_while(|h| h.range.start() < end)
                .any(|h| is_criteria_heading(&h.text))
        };
        let heading_text = heading.text.trim();
        let caps = match REQUIREMENT_HEADING.captures(heading_text) {
            Some(caps) => caps,
            None if !worded => match NUMBERED_HEADING.captures(heading_text) {
                Some(caps) if has_criteria_heading(section_end()) => caps,
                _ => continue,
            },
            None => continue,
        };
        let number = &caps[1];
        let end = section_end();
        let mut requirement = Item::new(
            ItemKind::Requirement,
            requirement_id(feature, number),
            heading.range,
        );
        requirement.title = caps
            .get(2)
            .map(|m| m.as_str().trim().to_string())
            .filter(|t| !t.is_empty())
            .unwrap_or_else(|| format!("Requirement {number}"))
            .into();
        requirement.number = Some(number.to_string());
        requirement.range = TextRange::new(heading.range.start(), end);
        let body = TextRange::new(heading.range.end(), end);
        requirement.fields =
            crate::analysis::parse::fields(&input.outline.base, body, &input.outline.ignored);
        let criteria_heading = headings[i + 1..]
            .iter()
            .take_while(|h| h.range.start() < end)
            .find(|h| is_criteria_heading(&h.text));
        let list = match criteria_heading {
            Some(criteria_heading) => {
                // Headings below the criteria heading (`##### Unit tests`)
                // group its criteria: the list runs on under them, up to a
                // heading of the criteria heading's level or above.
                let stop = headings
                    .iter()
                    .find(|h| {
                        h.range.start() > criteria_heading.range.start()
                            && h.level <= criteria_heading.level
                    })
                    .map_or(end, |h| h.range.start().min(end));
                Some(TextRange::new(criteria_heading.range.end(), stop))
            }
            None => criteria_label(text, body, input.outline),
        };
        let mut criteria = Vec::new();
        if let Some(list) = list {
            let mut lines = criterion_lines(text, list, input.outline, false);
            // Criteria written as bullets (`- WHEN … SHALL …`), as some
            // templates write them, are numbered by place: tasks name the
            // second one `4.2`.
            if lines.is_empty() {
                lines = criterion_lines(text, list, input.outline, true);
            }
            // A list numbered lazily (`1.` on every item, which markdown
            // shows as 1, 2, 3) is numbered by place.
            let lazy = lines.len() > 1
                && lines
                    .iter()
                    .all(|l| l.place.is_some() && l.written == lines[0].written);
            let first: u64 = lines.first().map_or(1, |l| l.written.parse().unwrap_or(1));
            for (index, line) in lines.iter().enumerate() {
                let group = numbered_group(headings, list.start(), line.range.start(), number);
                let number = match (line.place, group) {
                    _ if line.bullet => format!("{number}.{}", index + 1),
                    (None, _) => line.written.to_string(),
                    (Some(place), Some(group)) => format!("{number}.{group}.{place}"),
                    (Some(_), None) if lazy => {
                        format!("{number}.{}", first.saturating_add(index as u64))
                    }
                    (Some(place), None) => format!("{number}.{place}"),
                };
                let mut criterion =
                    Item::new(ItemKind::Criterion, criterion_id(feature, &number), line.at);
                criterion.title = line.title.into();
                criterion.range = line.range;
                criterion.parent = Some(requirement.id);
                criterion.number = Some(number);
                criteria.push(criterion);
            }
        }
        facts.items.push(requirement);
        facts.items.extend(criteria);
    }
}

/// Where the requirement under `heading` ends, given that its section (up
/// to the next heading of its level or above) ends at `end`. A heading
/// pasted into a requirement (`# Employee Master Requirements` between
/// `### Requirement 1` and its `#### Acceptance Criteria`) cuts the section
/// short of its criteria: when the section has no criteria of its own and
/// criteria follow before the next requirement heading, the requirement
/// runs on to that heading (or to the end of the file).
fn run_on_to_criteria(
    input: &ParseInput<'_>,
    heading: &Heading,
    end: usize,
    names_requirement: &dyn Fn(&Heading) -> bool,
) -> usize {
    let (text, outline) = (input.text, input.outline);
    let has_criteria = |from: usize, to: usize| {
        outline
            .headings
            .iter()
            .filter(|h| from <= h.range.start() && h.range.start() < to)
            .any(|h| is_criteria_heading(&h.text))
            || criteria_label(text, TextRange::new(from, to), outline).is_some()
    };
    if end == text.len() || has_criteria(heading.range.end(), end) {
        return end;
    }
    let next_requirement = outline
        .headings
        .iter()
        .filter(|h| h.range.start() >= end)
        .find(|h| names_requirement(h))
        .map_or(text.len(), |h| h.range.start());
    if has_criteria(end, next_requirement) {
        next_requirement
    } else {
        end
    }
}

/// A statement of a bugfix spec: `2.1 WHEN … THEN the system SHALL …`,
/// also as a bullet or with its number in bold, a dot or a colon after it.
static BUGFIX_STATEMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:[-*+]\s+)?(?:\*\*)?((\d+)\.\d+)\.?(?:\*\*)?[:：)]?\s+(\S.*)$")
        .expect("valid regex")
});

/// The statements of a bugfix spec (`bugfix.md`), as criteria: `2.1` is
/// `<feature>/2.1`, under `<feature>/requirement-2`, the group of
/// statements of its first number, titled by the heading above its first
/// statement (`Expected Behavior (Correct)`).
fn parse_bugfix(input: &ParseInput<'_>, facts: &mut FileFacts) {
    let text = input.text;
    let feature = &feature_of(input.rel);
    let headings = &input.outline.headings;
    let mut groups: Vec<Item> = Vec::new();
    let mut statements: Vec<Item> = Vec::new();
    for line in lines_in(text, TextRange::new(0, text.len())) {
        if is_ignored(&input.outline.ignored, line.start())
            || headings.iter().any(|h| h.range.contains_range(line))
        {
            continue;
        }
        let raw = &text[line.start()..line.end()];
        let Some(caps) = BUGFIX_STATEMENT.captures(raw) else {
            continue;
        };
        let (Some(number), Some(group), Some(title)) = (caps.get(1), caps.get(2), caps.get(3))
        else {
            continue;
        };
        let group_id = requirement_id(feature, group.as_str());
        match groups.iter_mut().find(|g| g.id == group_id.as_str()) {
            Some(existing) => existing.range = TextRange::new(existing.range.start(), line.end()),
            None => {
                let above = headings.partition_point(|h| h.range.start() < line.start());
                let heading = above.checked_sub(1).map(|h| &headings[h]);
                let at = heading.map_or(line, |h| h.range);
                let mut item = Item::new(ItemKind::Requirement, group_id, at);
                item.title = heading
                    .map(|h| h.text.trim().to_string())
                    .filter(|t| !t.is_empty())
                    .unwrap_or_else(|| format!("Statements {}", group.as_str()))
                    .into();
                item.number = Some(group.as_str().to_string());
                item.range = TextRange::new(at.start(), line.end());
                groups.push(item);
            }
        }
        let at = TextRange::new(line.start() + number.start(), line.start() + number.end());
        let mut statement = Item::new(
            ItemKind::Criterion,
            criterion_id(feature, number.as_str()),
            at,
        );
        statement.title = title.as_str().trim().into();
        statement.range = line;
        statement.parent = Some(requirement_id(feature, group.as_str()).into());
        statement.number = Some(number.as_str().to_string());
        statements.push(statement);
    }
    facts.items.extend(groups);
    facts.items.extend(statements);
    facts.items.sort_by_key(|item| item.range.start());
}

/// A heading that groups a requirement's criteria under a number of
/// their own (`##### 4.2 IPC channels` under requirement 4).
static GROUP_HEADING: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d+)\.(\d+)\.?\s+\S").expect("valid regex"));

/// The group number (`2`) of the heading over the criterion at `at`, when
/// that heading lies inside the criteria list (which starts at `from`) and
/// numbers a group of requirement `requirement` (`##### 4.2 IPC channels`
/// under requirement 4): its items are criteria 4.2.1, 4.2.2, ….
fn numbered_group<'a>(
    headings: &'a [Heading],
    from: usize,
    at: usize,
    requirement: &str,
) -> Option<&'a str> {
    let above = headings.partition_point(|h| h.range.start() < at);
    let heading = headings[..above]
        .last()
        .filter(|h| h.range.start() >= from)?;
    let caps = GROUP_HEADING.captures(heading.text.trim())?;
    let (written, group) = (caps.get(1)?, caps.get(2)?);
    (written.as_str() == requirement).then_some(group.as_str())
}

/// The criteria under a bold label instead of a heading
/// (`**Acceptance Criteria**:` on a line of its own): from the label to
/// the next heading or the end of the requirement's `body`.
fn criteria_label(text: &str, body: TextRange, outline: &Outline) -> Option<TextRange> {
    let label = lines_in(text, body).find(|line| {
        let raw = text[line.start()..line.end()].trim();
        raw.starts_with("**")
            && !is_ignored(&outline.ignored, line.start())
            && is_criteria_heading(raw.replace('*', "").trim_end_matches([':', '：']))
    })?;
    let stop = outline
        .headings
        .iter()
        .find(|h| h.range.start() > label.start())
        .map_or(body.end(), |h| h.range.start().min(body.end()));
    Some(TextRange::new(label.end(), stop.max(label.end())))
}

/// A numbered line of a requirement's criteria list.
struct CriterionLine<'a> {
    /// The whole list item: the numbered line and the lines that continue
    /// its text.
    range: TextRange,
    /// The number as written: `2` of `2. WHEN …`, `1.2` of `1.2. THE …`.
    at: TextRange,
    written: &'a str,
    /// The place in the list, for a list item (`2` of `2. WHEN …`); `None`
    /// when the line writes the criterion's whole number.
    place: Option<&'a str>,
    /// The text of the numbered line, after the number.
    title: &'a str,
    /// A bullet stands for the number: the criterion is numbered by its
    /// place in the list.
    bullet: bool,
}

/// The numbered lines of a criteria list (or, with `bullet`, its bulleted
/// lines): only the list's own items, since a numbered
/// line nested in one is part of that criterion. Each item runs on over the
/// lines that continue its text, indented or not, up to a blank line, a
/// heading, another list item or code.
fn criterion_lines<'a>(
    text: &'a str,
    list: TextRange,
    outline: &Outline,
    bullet: bool,
) -> Vec<CriterionLine<'a>> {
    let item: &Regex = if bullet { &BULLETED } else { &NUMBERED };
    let mut out: Vec<CriterionLine<'a>> = Vec::new();
    // Whether the line before continues the last criterion's text.
    let mut in_item = false;
    for line in lines_in(text, list) {
        let raw = &text[line.start()..line.end()];
        let ignored = is_ignored(&outline.ignored, line.start());
        let caps = item.captures(raw).filter(|_| !ignored);
        let Some(caps) = caps else {
            if in_item && continues_item(text, line, outline) {
                if let Some(last) = out.last_mut() {
                    last.range = TextRange::new(last.range.start(), line.end());
                }
            } else {
                in_item = false;
            }
            continue;
        };
        in_item = false;
        if !caps[1].is_empty() {
            continue;
        }
        let (number, title, place) = if bullet {
            (caps.get(2), caps.get(3), None)
        } else {
            (caps.get(2).or(caps.get(3)), caps.get(4), caps.get(3))
        };
        let (Some(number), Some(title)) = (number, title) else {
            continue;
        };
        out.push(CriterionLine {
            range: line,
            at: TextRange::new(line.start() + number.start(), line.start() + number.end()),
            written: number.as_str(),
            place: place.map(|m| m.as_str()),
            title: title.as_str().trim(),
            bullet,
        });
        in_item = true;
    }
    out
}

/// Whether a line goes on with the text of the list item above it: it has
/// text, and is neither a heading, another list item nor the start of a
/// fenced code block or of HTML. (A continuation line may open with inline
/// code, which counts as text.)
fn continues_item(text: &str, line: TextRange, outline: &Outline) -> bool {
    let trimmed = text[line.start()..line.end()].trim();
    let is_heading = outline
        .headings
        .iter()
        .any(|h| h.range.start() <= line.start() && line.start() < h.range.end());
    let is_list_item = LIST_ITEM.is_match(trimmed);
    !trimmed.is_empty()
        && !is_heading
        && !is_list_item
        && !trimmed.starts_with("```")
        && !trimmed.starts_with("~~~")
        && !trimmed.starts_with('<')
}

/// A line that opens a list item: a bullet (`- `, `* `, `+ `) or a number
/// (`3. `, `3) `).
static LIST_ITEM: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:[-*+]|\d+[.)])(?:\s|$)").expect("valid regex"));

/// The whole text of a criterion, its continuation lines joined to its
/// first line by single spaces, without its number.
fn criterion_text(text: &str, criterion: &Item) -> String {
    let start = criterion.def_range.end().min(criterion.range.end());
    let rest = &text[start..criterion.range.end()];
    let rest = rest.strip_prefix(['.', ')', ':', '：']).unwrap_or(rest);
    let words: Vec<&str> = rest.split_whitespace().collect();
    words.join(" ")
}

/// The first line of an item's range: where a finding on the whole item
/// is shown.
fn first_line(text: &str, range: TextRange) -> TextRange {
    let extent = &text[range.start()..range.end()];
    let length = extent.find(['\r', '\n']).unwrap_or(extent.len());
    TextRange::new(range.start(), range.start() + length)
}

static TASK_LINE: LazyLock<Regex> = LazyLock::new(|| {
    // Kiro marks an optional task with a `*` after the box (`- [ ]* 2.3`),
    // which some files escape (`- [ ]\* 2.3`) so that markdown shows it.
    // A bullet typed twice (`- - [x] 5.3`, as agents sometimes leave it)
    // still makes a task box in markdown, one list deeper. A task struck
    // out (`- [x] ~~15.2 Extend the dialog~~ **dropped**`) keeps its number.
    Regex::new(
        r"^(\s*)(?:[-*+]\s+){1,2}\[([ xX\-~])\](?:\\?(\*))?\s*(~~)?(?:\*\*)?(\d+(?:\.\d+)*)\.?(?:\*\*)?\s+(.*)$",
    )
    .expect("valid regex")
});
static REQUIREMENTS_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^\s*(?:[-*+]\s+)?_?\*{{0,2}}(?i:{REQUIREMENTS_WORDS})\*{{0,2}}[:：]\*{{0,2}}\s*(.*?)_?\s*$"
    ))
        .expect("valid regex")
});
/// `**Validates: Requirements 1.3, 2.1**`, as Kiro writes under the
/// property tests it plans.
static VALIDATES_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:[-*+]\s+)?_?\*{0,2}Validates\*{0,2}:\*{0,2}\s*Requirements?\*{0,2}:?\*{0,2}\s*(.*?)\*{0,2}_?\s*$")
        .expect("valid regex")
});
/// `_Depends: 1.1, 2.3_`, the tasks a task waits for, as cc-sdd (the
/// Kiro-style workflow for other agents) writes them.
static DEPENDS_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:[-*+]\s+)?_?\*{0,2}(?i:depends(?:\s+on)?)\*{0,2}[:：]\*{0,2}\s*(.*?)_?\s*$")
        .expect("valid regex")
});
/// A task number as a `_Depends:` entry writes it.
static TASK_NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\d+(?:\.\d+)*$").expect("valid regex"));
/// A criterion (`1.2`, or `4.2.1` in a numbered group of criteria) or a
/// whole requirement (`3`, `Requirement 3`, `R3`, `Req 3`, `REQ-3`;
/// `R10.1` is criterion 10.1).
static CRITERION_REF: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^(?:(?i:(?:{REQUIREMENT_WORDS})\s*)|{REQUIREMENT_ABBREVIATIONS})?(\d+)(?:\.(\d+(?:\.\d+)?))?$"
    ))
    .expect("valid regex")
});

/// The numbered checklist of tasks, with what each covers.
fn parse_tasks(input: &ParseInput<'_>, facts: &mut FileFacts) {
    let text = input.text;
    let feature = &feature_of(input.rel);
    let mut open: Option<Item> = None;
    let lines: Vec<TextRange> = lines_in(text, TextRange::new(0, text.len())).collect();
    let mut next_line = 0;
    while let Some(&line) = lines.get(next_line) {
        next_line += 1;
        // A task's details indented past its text after a blank line are
        // an indented code block to markdown, but are still the task's:
        // only their `_Requirements:` and `_Depends:` lines are read.
        let ignored = is_ignored(&input.outline.ignored, line.start());
        let in_indented_code =
            ignored && !in_fence_or_html(text, &input.outline.ignored, line.start());
        if ignored && !in_indented_code {
            continue;
        }
        let raw = &text[line.start()..line.end()];
        if let Some(caps) = TASK_LINE.captures(raw).filter(|_| !in_indented_code) {
            if let Some(done) = open.take() {
                facts.items.push(done);
            }
            let mark = caps.get(2).expect("group 2 always matches");
            let number = caps.get(5).expect("group 5 always matches");
            // A task crossed out of the list was dropped, not done; its
            // title ends at the closing `~~`.
            let struck = caps
                .get(4)
                .is_some_and(|strike| is_struck_through(&raw[strike.start()..]));
            let mut task = Item::new(
                ItemKind::Task,
                task_id(feature, number.as_str()),
                TextRange::new(line.start() + number.start(), line.start() + number.end()),
            );
            let title = caps[6].trim();
            let title = if struck {
                title.split("~~").next().unwrap_or(title)
            } else {
                title
            };
            // The `**` that closes a bold opened before the number
            // (`**1.1 Title**`) is not the title's; a bold phrase of the
            // title's own (`DTLS — **refused**`) is.
            let title = title.trim();
            let title = match title.strip_suffix("**") {
                Some(rest) if title.matches("**").count() % 2 == 1 => rest.trim(),
                _ => title,
            };
            // cc-sdd marks a task that can run beside the others with
            // `(P)`, before or after its title.
            let (title, parallel) = match title
                .strip_prefix("(P)")
                .or_else(|| title.strip_suffix("(P)"))
            {
                Some(rest) => (rest.trim(), true),
                None => (title, false),
            };
            task.title = title.into();
            task.number = Some(number.as_str().to_string());
            task.range = line;
            let box_range = TextRange::new(
                line.start() + mark.start() - 1,
                line.start() + mark.end() + 1,
            );
            let (word, progress) = match mark.as_str() {
                _ if struck => ("dropped", Progress::Dropped),
                "x" | "X" => ("done", Progress::Done),
                "-" => ("in progress", Progress::InProgress),
                _ => ("not started", Progress::NotStarted),
            };
            task.status = Some((word.into(), box_range));
            task.progress = Some(progress);
            if let Some((parent, _)) = number.as_str().rsplit_once('.') {
                task.parent = Some(task_id(feature, parent).into());
            }
            if parallel {
                let marker = raw
                    .rfind("(P)")
                    .map(|at| TextRange::new(line.start() + at, line.start() + at + "(P)".len()))
                    .unwrap_or(line);
                task.fields
                    .push(Field::new("Parallel", marker, marker, line));
            }
            if caps.get(3).is_some() {
                // The value is what the line writes: the `*` itself.
                let star = TextRange::new(
                    line.start() + caps.get(3).unwrap().start(),
                    line.start() + caps.get(3).unwrap().end(),
                );
                task.fields.push(Field::new("Optional", star, star, line));
            }
            open = Some(task);
            continue;
        }
        let Some(task) = open.as_mut() else {
            continue;
        };
        // A heading ends the task list item it follows.
        if raw.starts_with('#') && !in_indented_code {
            facts.items.push(open.take().expect("checked above"));
            continue;
        }
        task.range = TextRange::new(task.range.start(), line.end());
        let covers = REQUIREMENTS_LINE
            .captures(raw)
            .or_else(|| VALIDATES_LINE.captures(raw))
            .and_then(|caps| caps.get(1));
        let list = covers.map(|entries| (entries, true)).or_else(|| {
            DEPENDS_LINE
                .captures(raw)
                .and_then(|caps| caps.get(1))
                .map(|entries| (entries, false))
        });
        let Some((entries, is_covers)) = list else {
            continue;
        };
        let mut field =
            TextRange::new(line.start() + entries.start(), line.start() + entries.end());
        // A long list wrapped onto the lines below goes on to the `_` that
        // closes it.
        if leaves_emphasis_open(raw) {
            if let Some((last, end)) = wrapped_field_end(text, &lines[next_line..], input) {
                field = TextRange::new(field.start(), end);
                task.range = TextRange::new(task.range.start(), last.end());
                next_line += lines[next_line..].partition_point(|l| l.start() <= last.start());
            }
        }
        let value = &text[field.start()..field.end()];
        if is_covers {
            task.covers_field = Some(field);
            read_covers(feature, text, field.start(), value, task);
        } else {
            task.deps_field = Some(field);
            read_depends(feature, text, field.start(), value, task);
        }
    }
    if let Some(done) = open {
        facts.items.push(done);
    }
    // Kiro works through the list from the top; cc-sdd's `(P)` tasks may
    // run side by side, and an optional task (`- [ ]*`) holds nothing back.
    add_list_order(input.text, &mut facts.items, is_parallel);
}

/// Whether a field line opens an emphasis with `_` that it does not close
/// (`- _Requirements: 1.1, 1.2,`), as a long list wrapped at a fixed width
/// is written: the rest of the list and the closing `_` are on the lines
/// below.
fn leaves_emphasis_open(raw: &str) -> bool {
    let body = raw.trim();
    let body = body
        .strip_prefix(['-', '*', '+'])
        .map_or(body, str::trim_start);
    body.starts_with('_') && !body.ends_with('_')
}

/// The last line of a field wrapped onto `below` (the lines after its
/// first) and where its value ends, before the closing `_`: the lines that
/// go on with its text, up to the first that ends with `_`. `None` when no
/// such line closes it before a line that ends the list item (see
/// [`continues_item`]).
fn wrapped_field_end(
    text: &str,
    below: &[TextRange],
    input: &ParseInput<'_>,
) -> Option<(TextRange, usize)> {
    for &line in below {
        if !continues_item(text, line, input.outline) {
            return None;
        }
        let trimmed = text[line.start()..line.end()].trim_end();
        if let Some(value) = trimmed.strip_suffix('_') {
            return Some((line, line.start() + value.trim_end().len()));
        }
    }
    None
}

/// Whether the code or HTML that `offset` falls in is a fenced code
/// block, inline code or HTML, rather than an indented code block: the
/// first three open with a backtick, a tilde or `<`.
fn in_fence_or_html(text: &str, ignored: &[TextRange], offset: usize) -> bool {
    let after = ignored.partition_point(|r| r.start() <= offset);
    let Some(range) = after.checked_sub(1).map(|i| ignored[i]) else {
        return false;
    };
    let opening = text[range.start()..range.end()].trim_start_matches([' ', '\t', '>']);
    opening.starts_with(['`', '~', '<'])
}

/// A cc-sdd task marked `(P)`, which may run beside the `(P)` tasks next
/// to it under the same task.
fn is_parallel(task: &Item) -> bool {
    task.field("Parallel").is_some()
}

/// Reads `1.1, 2.3` into dependencies on those tasks of the spec. An entry
/// that is no task number (`none`, a sentence) is left out.
fn read_depends(feature: &str, text: &str, base: usize, value: &str, task: &mut Item) {
    for (offset, entry) in list_entries(value, DEPENDS_SEPARATORS) {
        let start = base + offset + (entry.len() - entry.trim_start().len());
        let written = without_note(entry.trim().trim_matches(['_', '*']).trim());
        if !TASK_NUMBER.is_match(written) {
            continue;
        }
        let range = trim_range(text, TextRange::new(start, start + written.len()));
        task.deps.push(Reference {
            target: Target::Id(task_id(feature, written).into()),
            written: written.into(),
            range,
            role: RefRole::Dependency,
            expects: Some(ItemKind::Task),
        });
    }
}

/// Reads `1.1, 2.3, Requirement 4, 3.1-3.4` into references: a criterion
/// for `N.M`, a whole requirement for `N`, each one a range names. Prose
/// entries are left out of the model (the check reports them).
fn read_covers(feature: &str, text: &str, base: usize, value: &str, task: &mut Item) {
    for (offset, entry) in list_entries(value, REQUIREMENT_SEPARATORS) {
        let start = base + offset + (entry.len() - entry.trim_start().len());
        let written = without_note(entry.trim().trim_matches(['_', '*']).trim());
        let Entry::Numbers(numbers) = read_entry(written) else {
            continue;
        };
        let range = trim_range(text, TextRange::new(start, start + written.len()));
        let single = numbers.len() == 1;
        for (number, expects) in numbers {
            let id = match expects {
                ItemKind::Criterion => criterion_id(feature, &number),
                _ => requirement_id(feature, &number),
            };
            task.covers.push(Reference {
                target: Target::Id(id.into()),
                // Each ID of a range is named in messages by its number.
                written: if single {
                    written.into()
                } else {
                    number.into()
                },
                range,
                role: RefRole::Covers,
                expects: Some(expects),
            });
        }
    }
}

fn check(ws: &Workspace, _ctx: &Context, file: &SourceFile, sink: &mut Sink<'_>) {
    let FileKind::Dialect(dialect_file) = file.facts.kind else {
        return;
    };
    match dialect_file.role {
        REQUIREMENTS => check_requirements(ws, file, sink),
        TASKS => check_tasks(ws, file, sink),
        _ => {}
    }
}

/// The tasks file next to a requirements file, when there is one.
fn tasks_beside<'a>(ws: &'a Workspace, rel: &str) -> Option<&'a SourceFile> {
    let folder = rel.rsplit_once('/').map_or("", |(folder, _)| folder);
    ws.file(&format!("{folder}/tasks.md")).map(|f| &**f)
}

/// The file the tasks file at `rel` names criteria of: a feature spec's
/// requirements.md, or a bugfix spec's bugfix.md; `None` when the spec
/// folder has neither.
fn requirements_beside(ws: &Workspace, rel: &str) -> Option<String> {
    let folder = rel.rsplit_once('/').map_or("", |(f, _)| f);
    ["requirements.md", "bugfix.md"]
        .iter()
        .map(|name| format!("{folder}/{name}"))
        .find(|path| ws.file(path).is_some())
}

/// Whether a task's `_Requirements:` entry that names nothing can be
/// called missing, as `kiro-unknown-requirement` reports it: only when
/// the spec has a requirements.md or bugfix.md to name criteria of (a
/// project may keep its requirements elsewhere).
fn judges_requirement(ws: &Workspace, file: &SourceFile, reference: &Reference) -> bool {
    reference.role != RefRole::Covers || requirements_beside(ws, &file.rel).is_some()
}

/// The tasks of the spec whose `_Requirements:` line says `All`, given
/// its requirements file: they cover every criterion.
fn tasks_covering_all<'a>(ws: &'a Workspace, file: &'a SourceFile) -> Vec<&'a Item> {
    if !matches!(file.facts.kind, FileKind::Dialect(d) if d.role == REQUIREMENTS) {
        return Vec::new();
    }
    let Some(tasks) = tasks_beside(ws, &file.rel) else {
        return Vec::new();
    };
    tasks
        .facts
        .items
        .iter()
        .filter(|t| {
            t.covers_field
                .is_some_and(|field| covers_all(&tasks.text, field))
        })
        .collect()
}

fn check_requirements(ws: &Workspace, file: &SourceFile, sink: &mut Sink<'_>) {
    let text = &*file.text;
    let items = &file.facts.items;
    let tasks = tasks_beside(ws, &file.rel);
    let all_covered = !tasks_covering_all(ws, file).is_empty();
    // What the tasks say they cover, when the spec has tasks that trace
    // requirements at all: before that, every criterion would be reported.
    let covered: Option<HashSet<&str>> = tasks.filter(|_| !all_covered).and_then(|tasks| {
        let set: HashSet<&str> = tasks
            .facts
            .items
            .iter()
            .flat_map(|t| &t.covers)
            .filter_map(|r| r.target.as_id())
            .collect();
        (!set.is_empty()).then_some(set)
    });
    for item in items {
        match item.kind {
            ItemKind::Requirement => {
                let has_criteria = items
                    .iter()
                    .any(|c| c.parent.as_deref() == Some(item.id.as_str()));
                if !has_criteria {
                    sink.push(
                        REQUIREMENT_WITHOUT_CRITERIA,
                        item.def_range,
                        format!(
                            "{} has no numbered acceptance criteria: add an `#### Acceptance Criteria` list",
                            item.title
                        ),
                    );
                }
            }
            ItemKind::Criterion => {
                let number = item.number.as_deref().unwrap_or("");
                let sentence = criterion_text(text, item);
                if !is_ears(&sentence) {
                    let message = if let Some(trigger) = trigger_and_response(&sentence) {
                        format!("criterion {number} has its {trigger} and THEN but no SHALL: say what the system shall do, `THEN the <system> SHALL <response>`")
                    } else {
                        format!("criterion {number} is not an EARS sentence: write `WHEN <trigger> THEN the <system> SHALL <response>`")
                    };
                    sink.push(CRITERION_NOT_EARS, first_line(text, item.range), message);
                }
                if let Some(covered) = &covered {
                    let parent = item.parent.as_deref().unwrap_or("");
                    if !covered.contains(item.id.as_str()) && !covered.contains(parent) {
                        sink.push(
                            UNCOVERED_CRITERION,
                            item.def_range,
                            format!("criterion {number} is covered by no task in tasks.md"),
                        );
                    }
                }
            }
            _ => {}
        }
    }
}

fn check_tasks(ws: &Workspace, file: &SourceFile, sink: &mut Sink<'_>) {
    let text = &*file.text;
    let feature = &feature_of(&file.rel);
    let requirements_file = requirements_beside(ws, &file.rel);
    let has_requirements = requirements_file.is_some();
    let requirements_file = requirements_file.unwrap_or_default();
    for item in &file.facts.items {
        for reference in &item.covers {
            let Some(id) = reference.target.as_id() else {
                continue;
            };
            if has_requirements && ws.resolve_str(&reference.target).is_none() {
                let what = reference.expects.map_or("item", |k| k.name());
                sink.push(
                    UNKNOWN_REQUIREMENT,
                    reference.range,
                    format!(
                        "`{}` names no {what} of `{requirements_file}`{}",
                        reference.written,
                        criteria_hint(ws, feature, id)
                    ),
                );
            }
        }
        // Without a requirements.md there are no criterion IDs to list
        // instead (a project may keep its user stories in a file of its
        // own), so an entry in words is no worse than a number.
        if let Some(field) = item.covers_field.filter(|_| has_requirements) {
            prose_entries(text, field, sink);
        }
    }
    task_order(file, sink);
    task_shapes(file, sink);
    dependency_order(file, sink);
}

/// Open tasks whose `_Depends:` line names a task further down, which
/// Kiro and cc-sdd reach only after this one (`plan` follows the written
/// dependency). A `(P)` task that depends on a task of its own parallel
/// run is not reported: cc-sdd's rules have such a task declare the
/// dependency, and `plan` runs it after that task.
fn dependency_order(file: &SourceFile, sink: &mut Sink<'_>) {
    let items = &file.facts.items;
    let schedule = list_schedule(items, is_parallel);
    let name = |pos: usize| {
        let task = &items[schedule.tasks[pos]];
        task.number.clone().unwrap_or_else(|| task.id.to_string())
    };
    for written in written_dependencies(items, &schedule) {
        let task = written.task;
        let later: Vec<String> = written
            .targets
            .iter()
            .filter(|&&q| schedule.comes_after(task, q))
            .map(|&q| name(q))
            .collect();
        if later.is_empty() {
            continue;
        }
        let (task, later) = (name(task), later.join(", "));
        sink.push(
            DEPENDENCY_ORDER,
            written.range,
            format!(
                "{task} depends on {later}, which comes after it in the list: tasks are worked from the top, so move {task} below {later} or drop the dependency"
            ),
        );
    }
}

/// "(requirement 2 has criteria 2.1 to 2.5)", to say why `2.6` is unknown.
fn criteria_hint(ws: &Workspace, feature: &str, id: &str) -> String {
    let Some((requirement, _)) = id.rsplit('/').next().and_then(|n| n.split_once('.')) else {
        return String::new();
    };
    let Some((file, item)) = ws.item(&requirement_id(feature, requirement)) else {
        return format!(" (there is no requirement {requirement})");
    };
    let numbers: Vec<&str> = file
        .facts
        .items
        .iter()
        .filter(|c| c.parent.as_deref() == Some(item.id.as_str()))
        .filter_map(|c| c.number.as_deref())
        .collect();
    match (numbers.first(), numbers.last()) {
        (Some(first), Some(last)) if numbers.len() == 2 => {
            format!(" (requirement {requirement} has criteria {first} and {last})")
        }
        (Some(first), Some(last)) if first != last => {
            format!(" (requirement {requirement} has criteria {first} to {last})")
        }
        (Some(only), _) => format!(" (requirement {requirement} has criterion {only} only)"),
        _ => format!(" (requirement {requirement} has no numbered criteria)"),
    }
}

/// Entries of a `_Requirements:` line that are neither IDs, ranges of
/// them, `None` nor `All`.
fn prose_entries(text: &str, field: TextRange, sink: &mut Sink<'_>) {
    let value = &text[field.start()..field.end()];
    for (offset, entry) in list_entries(value, REQUIREMENT_SEPARATORS) {
        let start = field.start() + offset;
        let written = entry.trim().trim_matches(['_', '*']).trim();
        if written.is_empty() || !matches!(read_entry(without_note(written)), Entry::Prose) {
            continue;
        }
        let range = trim_range(text, TextRange::new(start, start + entry.len()));
        sink.push(
            PROSE_REQUIREMENT,
            range,
            format!("`{written}` is not a criterion ID: list the criteria the task satisfies, as `1.2, 3.1`"),
        );
    }
}

/// Top-level tasks numbered 1, 2, 3, ...; sub-tasks N.1, N.2, ... under
/// task N.
fn task_order(file: &SourceFile, sink: &mut Sink<'_>) {
    let top_numbers: HashSet<&str> = file
        .facts
        .items
        .iter()
        .filter_map(|item| item.number.as_deref())
        .filter(|number| !number.contains('.'))
        .collect();
    // Sub-tasks without their task (`### Round 1` over `- [ ] 3.1 …`) each
    // count as part of the task above; they are reported once, at the
    // first of their run, since one `- [ ] 3. …` line answers them all. A
    // heading numbered as their task (`### 3. Database`) is their group.
    let orphans = orphan_runs(file, &top_numbers);
    let mut last_top: Option<u64> = None;
    let mut last_sub: Option<(String, u64)> = None;
    for item in &file.facts.items {
        let Some(number) = item.number.as_deref() else {
            continue;
        };
        let parts: Vec<u64> = number.split('.').filter_map(|p| p.parse().ok()).collect();
        match parts.as_slice() {
            [n] => {
                let expected = last_top.map_or(1, |l| l + 1);
                if *n != expected && last_top.is_some_and(|l| *n < l) {
                    sink.push(
                        TASK_ORDER,
                        item.def_range,
                        format!(
                            "task {n} comes after task {}: expected {expected}",
                            last_top.unwrap_or(0)
                        ),
                    );
                }
                last_top = Some(*n);
                last_sub = None;
            }
            [parent, .., sub] => {
                let parent_number = number.rsplit_once('.').map_or("", |(p, _)| p);
                if parts.len() == 2 && last_top.is_some_and(|top| top != *parent) {
                    let top = last_top.unwrap_or(0);
                    // No task of its number at all: a heading (`##
                    // Inspection Fixes`) is no task Kiro runs, but one
                    // numbered as the task (`### 19. Rename`) groups it.
                    if top_numbers.contains(parent_number) {
                        sink.push(
                            TASK_ORDER,
                            item.def_range,
                            format!("sub-task {number} is listed under task {top}: move it under task {parent}"),
                        );
                    } else if let Some(last) = orphans.get(&item.def_range.start()).filter(|_| {
                        !grouped_by_heading(&file.text, item.def_range.start(), *parent)
                    }) {
                        let (which, them) = match last {
                            Some(last) => (
                                format!("sub-tasks {number} to {last} have no task {parent} over them, so they count"),
                                "them",
                            ),
                            None => (
                                format!("sub-task {number} has no task {parent} over it, so it counts"),
                                "it",
                            ),
                        };
                        sink.push(
                            TASK_ORDER,
                            item.def_range,
                            format!(
                                "{which} as part of task {top}: add `- [ ] {parent}. …` above {them} (a heading is no task), or renumber {them} {top}.x"
                            ),
                        );
                    }
                } else if let Some((previous_parent, previous)) = &last_sub {
                    if previous_parent == parent_number && *sub <= *previous {
                        sink.push(
                            TASK_ORDER,
                            item.def_range,
                            format!("sub-task {number} comes after {parent_number}.{previous}"),
                        );
                    }
                }
                last_sub = Some((parent_number.to_string(), *sub));
            }
            [] => {}
        }
    }
}

/// Whether the heading nearest above `at` numbers the group of task
/// `parent`'s sub-tasks (`### 3. Database` or `## Task 3: Database` over
/// `- [ ] 3.1 …`): such a heading stands for the task, as the writer meant
/// it, and the sub-tasks under it belong to no other task.
fn grouped_by_heading(text: &str, at: usize, parent: u64) -> bool {
    let Some(heading) = text[..at]
        .lines()
        .rev()
        .map(str::trim)
        .find(|line| line.starts_with('#'))
    else {
        return false;
    };
    let title = heading.trim_start_matches('#').trim_start();
    let title = title
        .get(..4)
        .filter(|word| word.eq_ignore_ascii_case("task"))
        .map_or(title, |_| title[4..].trim_start());
    let number = parent.to_string();
    title.strip_prefix(number.as_str()).is_some_and(|rest| {
        rest.trim_start()
            .starts_with(['.', ':', '：', '-', '–', '—', ')'])
    })
}

/// The runs of sub-tasks, one after another in the list, whose task
/// (their number's first part) is no task of the list: each run's first
/// sub-task, by where its number starts, with the last one's number when
/// the run has more than one.
fn orphan_runs(file: &SourceFile, top_numbers: &HashSet<&str>) -> HashMap<usize, Option<String>> {
    let mut runs = HashMap::new();
    let mut current: Option<(usize, &str)> = None;
    for item in &file.facts.items {
        let Some(number) = item.number.as_deref() else {
            continue;
        };
        let parts: Vec<&str> = number.split('.').collect();
        // Only a sub-task (`3.1`) is reported; its own sub-tasks (`3.1.2`)
        // stay in the run.
        let sub_task = parts.len() == 2;
        match (parts.as_slice(), current) {
            ([parent, _, ..], Some((first, run_parent))) if *parent == run_parent => {
                if sub_task {
                    runs.insert(first, Some(number.to_string()));
                }
            }
            ([parent, _], _) if !top_numbers.contains(parent) => {
                runs.insert(item.def_range.start(), None);
                current = Some((item.def_range.start(), *parent));
            }
            _ => current = None,
        }
    }
    runs
}

static TASK_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^task\s+(\d+(?:\.\d+)*)\s*[:.\-–—]\s*\S").expect("valid regex")
});

/// Headings that hold tasks (`### Task 3: Title`) where the checklist has
/// no task of that number: Kiro offers "Start task" only on checklist
/// lines. A heading over the checklist's sub-tasks of its number (`- [ ]
/// 3.1 …`) only groups them: its work is in the checklist.
fn task_shapes(file: &SourceFile, sink: &mut Sink<'_>) {
    let text = &*file.text;
    let numbers: HashSet<&str> = file
        .facts
        .items
        .iter()
        .filter_map(|i| i.number.as_deref())
        .flat_map(|number| {
            // A sub-task's number stands for its task's too.
            std::iter::once(number).chain(number.split_once('.').map(|(top, _)| top))
        })
        .collect();
    for line in lines_in(text, TextRange::new(0, text.len())) {
        let raw = &text[line.start()..line.end()];
        let trimmed = raw.trim_start_matches('#');
        if trimmed.len() == raw.len() {
            continue;
        }
        let Some(caps) = TASK_HEADING.captures(trimmed.trim()) else {
            continue;
        };
        let number = &caps[1];
        if !numbers.contains(number) {
            // Kiro and cc-sdd put a dot after a task's number (`1.`) but
            // none after a sub-task's (`1.1`).
            let dot = if number.contains('.') { "" } else { "." };
            sink.push(
                TASK_SHAPE,
                trim_range(text, line),
                format!(
                    "Kiro runs tasks written as checklist lines (`- [ ] {number}{dot} Title`), not headings"
                ),
            );
        }
    }
}

/// An unknown or prose entry of a `_Requirements:` line can be removed
/// from it, with its separator, or with the line when it is the only one.
fn fixes(ws: &Workspace, file: &SourceFile, d: &Diagnostic) -> Vec<Action> {
    if d.rule == UNCOVERED_CRITERION {
        return cover_fixes(ws, file, d);
    }
    if d.rule != UNKNOWN_REQUIREMENT && d.rule != PROSE_REQUIREMENT {
        return Vec::new();
    }
    let Some(field) = file
        .facts
        .items
        .iter()
        .filter_map(|i| i.covers_field)
        .find(|f| f.start() <= d.range.start() && d.range.end() <= f.end())
    else {
        return Vec::new();
    };
    let text = &*file.text;
    let entry = &text[d.range.start()..d.range.end()];
    // One unknown ID of a range (`1.13` of `1.1-1.15`) is no reason to
    // remove the range.
    if matches!(read_entry(entry), Entry::Numbers(numbers) if numbers.len() > 1) {
        return Vec::new();
    }
    // The only entry goes with its line, which holds nothing else: an
    // empty `_Requirements: _` line would be left otherwise.
    let removed = entry_with_separator(text, field, d.range).unwrap_or_else(|| {
        let lines = file.line_index();
        lines.line_range(lines.line_of(field.start()))
    });
    vec![Action::fix(
        format!("Remove `{entry}` from the list"),
        d,
        vec![Change::Edit {
            rel: file.rel.to_string(),
            edits: vec![(removed, String::new())],
        }],
    )]
}

/// For a criterion no task covers: add it to the `_Requirements:` line of
/// each task that covers another criterion of its requirement (the likely
/// place it was forgotten).
fn cover_fixes(ws: &Workspace, file: &SourceFile, d: &Diagnostic) -> Vec<Action> {
    let Some(criterion) = file
        .facts
        .items
        .iter()
        .find(|i| i.kind == ItemKind::Criterion && i.def_range == d.range)
    else {
        return Vec::new();
    };
    let (Some(number), Some(requirement)) = (&criterion.number, &criterion.parent) else {
        return Vec::new();
    };
    let Some(tasks) = tasks_beside(ws, &file.rel) else {
        return Vec::new();
    };
    let siblings: HashSet<&str> = file
        .facts
        .items
        .iter()
        .filter(|i| i.parent.as_deref() == Some(requirement.as_str()))
        .map(|i| i.id.as_str())
        .collect();
    let mut out = Vec::new();
    for task in &tasks.facts.items {
        let Some(field) = task.covers_field else {
            continue;
        };
        let covers_sibling = task
            .covers
            .iter()
            .any(|r| r.target.as_id().is_some_and(|id| siblings.contains(id)));
        if !covers_sibling {
            continue;
        }
        let written = &tasks.text[field.start()..field.end()];
        let insert = if written.trim().is_empty() {
            number.clone()
        } else {
            format!(", {number}")
        };
        let at = field.start() + written.trim_end().len();
        out.push(Action::fix(
            format!(
                "Add `{number}` to the requirements of task {}",
                task.number.as_deref().unwrap_or(&task.id)
            ),
            d,
            vec![Change::Edit {
                rel: tasks.rel.to_string(),
                edits: vec![(TextRange::empty(at), insert)],
            }],
        ));
    }
    out
}

/// The entry at `entry`, with its note and the separator after it (or,
/// for the last entry, before it), so that the list stays well formed;
/// `None` when it is the only entry.
fn entry_with_separator(text: &str, field: TextRange, entry: TextRange) -> Option<TextRange> {
    let value = &text[field.start()..field.end()];
    let entries = list_entries(value, REQUIREMENT_SEPARATORS);
    let index = entries.iter().position(|&(offset, written)| {
        let start = field.start() + offset;
        start <= entry.start() && entry.end() <= start + written.len()
    })?;
    if let Some(&(offset, next)) = entries.get(index + 1) {
        let next_start = field.start() + offset + (next.len() - next.trim_start().len());
        return Some(TextRange::new(entry.start(), next_start));
    }
    let (offset, written) = entries[index];
    let written_end =
        field.start() + offset + written.trim_end().trim_end_matches(['_', '*']).len();
    let (before_offset, before) = *entries.get(index.checked_sub(1)?)?;
    let separator = field.start() + before_offset + before.len();
    Some(TextRange::new(separator, written_end.max(entry.end())))
}

#[cfg(test)]
mod tests;
