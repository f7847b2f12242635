//! "Did you mean ...?": the closest known name to a misspelt one.

/// Names longer than this (in characters) get no suggestion.
const MAX_LEN: usize = 200;

/// The candidate nearest to `name` by edit distance, when it is near enough
/// to be a likely typo (at most a third of the name's length, and at most 3).
pub fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    ranked(name, candidates).into_iter().next()
}

/// Every candidate near enough to `name` to be a likely typo (see
/// [`closest`]), nearest first, then by name.
pub fn ranked<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let lower = name.to_lowercase();
    let len = lower.chars().count();
    // The distance takes time and memory in the product of the lengths: a
    // name this long is no typo of a known one (a 1 MB ID written in a
    // dependency must not be compared with every ID, or with another 1 MB
    // one).
    if len > MAX_LEN {
        return Vec::new();
    }
    let limit = (name.chars().count() / 3).clamp(1, 3);
    let mut near: Vec<(usize, &str)> = candidates
        .into_iter()
        // The distance is at least the difference in length. A candidate
        // has at least a quarter as many characters as bytes, and lower-
        // casing adds characters: this skips a huge one without copying it.
        .filter(|c| c.len() <= 4 * (len + limit))
        .map(|c| (c.to_lowercase(), c))
        .filter(|(lower_c, _)| lower_c.chars().count().abs_diff(len) <= limit)
        .map(|(lower_c, c)| (strsim::damerau_levenshtein(&lower, &lower_c), c))
        .filter(|(d, _)| *d <= limit)
        .collect();
    near.sort_unstable();
    near.dedup();
    near.into_iter().map(|(_, c)| c).collect()
}

#[cfg(test)]
mod tests {
    use super::closest;

    #[test]
    fn near_names_only() {
        let known = ["oversized-issue", "oversized-story", "dangling-dependency"];
        assert_eq!(closest("oversize-issue", known), Some("oversized-issue"));
        assert_eq!(closest("completely-else", known), None);
        // Nearest first; one too far is left out.
        assert_eq!(
            super::ranked(
                "oversized-isue",
                ["oversized-issues", "oversized-issue", "dangling"]
            ),
            vec!["oversized-issue", "oversized-issues"]
        );
    }
}
