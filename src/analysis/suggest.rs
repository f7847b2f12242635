//! "Did you mean ...?": the closest known name to a misspelt one.

/// The candidate nearest to `name` by edit distance, when it is near enough
/// to be a likely typo (at most a third of the name's length, and at most 3).
pub fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let lower = name.to_lowercase();
    let limit = (name.chars().count() / 3).clamp(1, 3);
    candidates
        .into_iter()
        .map(|c| (strsim::damerau_levenshtein(&lower, &c.to_lowercase()), c))
        .filter(|(d, _)| *d <= limit)
        .min_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1)))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::closest;

    #[test]
    fn near_names_only() {
        let known = ["oversized-issue", "oversized-story", "dangling-dependency"];
        assert_eq!(closest("oversize-issue", known), Some("oversized-issue"));
        assert_eq!(closest("completely-else", known), None);
    }
}
