//! Canonical IDs. Issues are their file stem (`swe-feature-001`); stories are
//! `story-NNN`; tasks are `story-NNN/TTT`; milestones are `M<n>`; milestone
//! specs are `m<n>/<NN>` with their GitHub number `#301` as an alias.

/// The parts of an issue ID `<expert>-<type>-<number>`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IssueIdParts<'a> {
    pub expert: &'a str,
    pub kind: &'a str,
    pub number: u32,
    /// The digits as written (`007`).
    pub digits: &'a str,
}

/// Splits an issue ID into expert, type and number. The expert may contain
/// dashes (`system-architect-feature-013`); the type is the last word
/// before the number.
pub fn issue_parts(id: &str) -> Option<IssueIdParts<'_>> {
    let (head, digits) = id.rsplit_once('-')?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (expert, kind) = head.rsplit_once('-')?;
    if expert.is_empty() || kind.is_empty() {
        return None;
    }
    let valid = |s: &str| {
        s.split('-')
            .all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_alphanumeric()))
    };
    if !valid(expert) || !valid(kind) {
        return None;
    }
    Some(IssueIdParts {
        expert,
        kind,
        number: digits.parse().ok()?,
        digits,
    })
}

/// Formats an issue number the way the workflow does: three digits at
/// least, wider past 999.
pub fn format_issue_number(number: u32) -> String {
    format!("{number:03}")
}

pub fn issue_id(expert: &str, kind: &str, number: u32) -> String {
    format!("{expert}-{kind}-{}", format_issue_number(number))
}

/// Pads a numeric story or task number to three digits (`15` -> `015`),
/// keeping a letter suffix (`11a` -> `011a`, `011B` -> `011b`); dotted
/// numbers (`1.1`) stay as written.
/// Writes the number onto the end of `out` without the formatting
/// machinery, which cost more than the rest of reading a task reference.
pub(crate) fn push_padded(out: &mut String, number: &str) {
    let digits = number.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    match digits.parse::<u32>() {
        Ok(mut n) if !digits.contains('.') => {
            let mut decimal = [0u8; 10];
            let mut start = decimal.len();
            loop {
                start -= 1;
                decimal[start] = b'0' + (n % 10) as u8;
                n /= 10;
                if n == 0 {
                    break;
                }
            }
            for _ in decimal.len() - start..3 {
                out.push('0');
            }
            out.extend(decimal[start..].iter().map(|&digit| char::from(digit)));
            out.extend(
                number[digits.len()..]
                    .chars()
                    .map(|c| c.to_ascii_lowercase()),
            );
        }
        _ => out.push_str(number),
    }
}

/// An ID without the scope a dialect puts before it, as its files write
/// it: `T012` of `001-auth/T012`, `AUTH-01` of `v1.0/AUTH-01`.
pub(crate) fn without_scope(id: &str) -> &str {
    id.rsplit('/').next().unwrap_or(id)
}

pub fn story_id(number: &str) -> String {
    let mut id = String::with_capacity("story-".len() + number.len() + 2);
    id.push_str("story-");
    push_padded(&mut id, number);
    id
}

pub fn task_id(story: &str, number: &str) -> String {
    let mut id = String::with_capacity(story.len() + 1 + number.len() + 2);
    id.push_str(story);
    id.push('/');
    push_padded(&mut id, number);
    id
}

/// Expands `swe-feature-064 through swe-feature-073` into every ID between,
/// when both ends share expert and type and the range is not absurd.
pub fn expand_issue_range(from: &str, to: &str) -> Option<Vec<String>> {
    let a = issue_parts(from)?;
    let b = issue_parts(to)?;
    if a.expert != b.expert || a.kind != b.kind || a.number > b.number || b.number - a.number > 500
    {
        return None;
    }
    Some(
        (a.number..=b.number)
            .map(|n| issue_id(a.expert, a.kind, n))
            .collect(),
    )
}

/// The canonical form of an ID a user typed: lower-case issue and story IDs,
/// `M5` for milestones, `story-015/002` for `015/002`.
pub fn normalize(written: &str) -> String {
    let w = written.trim();
    if let Some(rest) = w.strip_prefix(['M', 'm']) {
        if !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit()) {
            return format!("M{}", rest.parse::<u32>().unwrap_or(0));
        }
    }
    let lower = w.to_ascii_lowercase();
    let lower = lower
        .trim_start_matches("story")
        .trim_start_matches([' ', '-']);
    if let Some((story, task)) = lower.split_once('/') {
        if story.bytes().all(|b| b.is_ascii_digit()) && !story.is_empty() {
            return task_id(&story_id(story), task.trim_start_matches("task").trim());
        }
    }
    if !lower.is_empty()
        && lower.bytes().all(|b| b.is_ascii_digit())
        && written.to_ascii_lowercase().starts_with("story")
    {
        return story_id(lower);
    }
    written.trim().to_ascii_lowercase()
}

/// Orders two IDs as people count: the numbers in them by value (`task-2`
/// before `task-10`, story `2.4` before `10.3`), everything else by its
/// bytes. IDs that differ only in leading zeros (`T7`, `T007`) are ordered
/// by their text, so the order is total.
pub(crate) fn natural_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    let (mut x, mut y) = (a.as_bytes(), b.as_bytes());
    loop {
        match (x.first(), y.first()) {
            (None, None) => return a.cmp(b),
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(p), Some(q)) if p.is_ascii_digit() && q.is_ascii_digit() => {
                let run = |s: &[u8]| s.iter().take_while(|c| c.is_ascii_digit()).count();
                let (n, m) = (run(x), run(y));
                let zeros = |digits: &[u8]| digits.iter().take_while(|&&c| c == b'0').count();
                let (dx, dy) = (&x[zeros(&x[..n])..n], &y[zeros(&y[..m])..m]);
                // Without leading zeros, the longer run is the larger number.
                let order = dx.len().cmp(&dy.len()).then_with(|| dx.cmp(dy));
                if order != Ordering::Equal {
                    return order;
                }
                x = &x[n..];
                y = &y[m..];
            }
            (Some(p), Some(q)) => {
                if p != q {
                    return p.cmp(q);
                }
                x = &x[1..];
                y = &y[1..];
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Numbers count by value wherever they sit; text orders the rest.
    #[test]
    fn ids_sort_as_people_count() {
        let mut ids = vec![
            "task-10",
            "task-2",
            "task-1.10",
            "task-1.2",
            "bmad-story-10.3",
            "bmad-story-2.4",
            "T007",
            "T7",
            "T10",
            "swe-feature-011",
            "swe-feature-009",
            "b",
            "a10",
            "a9",
        ];
        ids.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(
            ids,
            [
                "T007",
                "T7",
                "T10",
                "a9",
                "a10",
                "b",
                "bmad-story-2.4",
                "bmad-story-10.3",
                "swe-feature-009",
                "swe-feature-011",
                "task-1.2",
                "task-1.10",
                "task-2",
                "task-10",
            ]
        );
    }

    proptest::proptest! {
        /// The order is total, as sorting needs: it says `Equal` only for
        /// the same text, agrees with itself both ways, and is transitive.
        #[test]
        fn the_natural_order_is_total(
            a in "[a-c0-2.-]{0,6}",
            b in "[a-c0-2.-]{0,6}",
            c in "[a-c0-2.-]{0,6}",
        ) {
            use std::cmp::Ordering::*;
            proptest::prop_assert_eq!(natural_cmp(&a, &b) == Equal, a == b);
            proptest::prop_assert_eq!(natural_cmp(&a, &b), natural_cmp(&b, &a).reverse());
            if natural_cmp(&a, &b) != Greater && natural_cmp(&b, &c) != Greater {
                proptest::prop_assert_ne!(natural_cmp(&a, &c), Greater);
            }
        }
    }

    /// Padding as `format!("{n:03}{suffix}")` did it, for every shape of
    /// number a story or task is given.
    #[test]
    fn numbers_are_padded_to_three_digits_keeping_their_suffix() {
        let cases = [
            ("0", "000"),
            ("5", "005"),
            ("15", "015"),
            ("015", "015"),
            ("0015", "015"),
            ("1234", "1234"),
            ("11a", "011a"),
            ("011B", "011b"),
            ("7xYz", "007xyz"),
            ("+5", "005"),
            ("1.1", "1.1"),
            ("abc", "abc"),
            ("", ""),
            ("4294967295", "4294967295"),
            ("4294967296", "4294967296"),
        ];
        for (number, padded) in cases {
            assert_eq!(story_id(number), format!("story-{padded}"), "{number:?}");
            assert_eq!(task_id("story-015", number), format!("story-015/{padded}"));
        }
    }

    #[test]
    fn issue_ids() {
        let p = issue_parts("system-architect-feature-013").unwrap();
        assert_eq!(
            (p.expert, p.kind, p.number),
            ("system-architect", "feature", 13)
        );
        assert!(issue_parts("readme").is_none());
        assert!(issue_parts("feature-001").is_none());
        assert_eq!(issue_id("swe", "bug", 1234), "swe-bug-1234");
        assert_eq!(
            expand_issue_range("swe-feature-064", "swe-feature-066")
                .unwrap()
                .len(),
            3
        );
        assert_eq!(normalize("Story 015"), "story-015");
        assert_eq!(normalize("015/2"), "story-015/002");
        assert_eq!(normalize("015/11a"), "story-015/011a");
        assert_eq!(task_id("story-015", "011B"), "story-015/011b");
        assert_eq!(normalize("m05"), "M5");
        assert_eq!(normalize("SWE-Feature-001"), "swe-feature-001");
    }
}
