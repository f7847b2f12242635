//! Applying [`Change`]s to a set of file texts in memory: for the tests,
//! for `planmark check --fix --dry-run`, and to compute what the command
//! line writes. Nothing here touches the disk.

use std::collections::BTreeMap;

use crate::analysis::actions::{is_safe_rel, Change};
use crate::analysis::text::TextRange;

/// Applies sorted, non-overlapping replacements to `text`.
pub fn apply_edits(text: &str, edits: &[(TextRange, String)]) -> Result<String, String> {
    let mut sorted: Vec<&(TextRange, String)> = edits.iter().collect();
    sorted.sort_by_key(|(r, _)| (r.start(), r.end()));
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (range, new_text) in sorted {
        if range.start() < at || range.end() > text.len() || range.start() > range.end() {
            return Err(format!(
                "edit {range:?} overlaps another or leaves the text"
            ));
        }
        if !text.is_char_boundary(range.start()) || !text.is_char_boundary(range.end()) {
            return Err(format!("edit {range:?} splits a character"));
        }
        out.push_str(&text[at..range.start()]);
        out.push_str(new_text);
        at = range.end();
    }
    out.push_str(&text[at..]);
    Ok(out)
}

/// Applies changes to `files` (path to text): text edits first, then
/// renames, then new files. Refuses to overwrite a file, to write outside
/// the workspace (an unsafe path) and to edit a file that does not exist.
pub fn apply(
    files: &BTreeMap<String, String>,
    changes: &[Change],
) -> Result<BTreeMap<String, String>, String> {
    let mut out = files.clone();
    for change in changes {
        if let Change::Edit { rel, edits } = change {
            let text = out
                .get(rel)
                .ok_or_else(|| format!("`{rel}` does not exist"))?;
            let new = apply_edits(text, edits)?;
            out.insert(rel.clone(), new);
        }
    }
    for change in changes {
        if let Change::RenameFile { from, to } = change {
            if !is_safe_rel(to) {
                return Err(format!("`{to}` is not a path inside the workspace"));
            }
            if out.contains_key(to) {
                return Err(format!("`{to}` already exists"));
            }
            let text = out
                .remove(from)
                .ok_or_else(|| format!("`{from}` does not exist"))?;
            out.insert(to.clone(), text);
        }
    }
    for change in changes {
        if let Change::CreateFile { rel, text } = change {
            if !is_safe_rel(rel) {
                return Err(format!("`{rel}` is not a path inside the workspace"));
            }
            if out.contains_key(rel) {
                return Err(format!("`{rel}` already exists"));
            }
            out.insert(rel.clone(), text.clone());
        }
    }
    Ok(out)
}

/// A unified diff of one file's change, for `--dry-run` (whole hunks of
/// changed lines with up to three lines of context).
pub fn unified_diff(path: &str, old: Option<&str>, new: Option<&str>) -> String {
    let a: Vec<&str> = old.map_or(Vec::new(), |t| t.split_inclusive('\n').collect());
    let b: Vec<&str> = new.map_or(Vec::new(), |t| t.split_inclusive('\n').collect());
    let ops = diff_lines(&a, &b);
    let mut out = String::new();
    out.push_str(&format!(
        "--- {}\n+++ {}\n",
        if old.is_some() {
            format!("a/{path}")
        } else {
            "/dev/null".to_string()
        },
        if new.is_some() {
            format!("b/{path}")
        } else {
            "/dev/null".to_string()
        }
    ));
    // Group operations into hunks around changes.
    const CONTEXT: usize = 3;
    let changed: Vec<usize> = ops
        .iter()
        .enumerate()
        .filter(|(_, op)| !matches!(op, Op::Same(..)))
        .map(|(i, _)| i)
        .collect();
    let mut i = 0;
    while i < changed.len() {
        let start = changed[i].saturating_sub(CONTEXT);
        let mut end = changed[i] + 1;
        while i < changed.len() && changed[i] <= end + 2 * CONTEXT {
            end = changed[i] + 1;
            i += 1;
        }
        let end = (end + CONTEXT).min(ops.len());
        let (mut a_start, mut b_start) = (0, 0);
        for op in &ops[..start] {
            match op {
                Op::Same(..) => {
                    a_start += 1;
                    b_start += 1;
                }
                Op::Del(_) => a_start += 1,
                Op::Add(_) => b_start += 1,
            }
        }
        let a_len = ops[start..end]
            .iter()
            .filter(|o| !matches!(o, Op::Add(_)))
            .count();
        let b_len = ops[start..end]
            .iter()
            .filter(|o| !matches!(o, Op::Del(_)))
            .count();
        let first = |s: usize, len: usize| if len == 0 { s } else { s + 1 };
        out.push_str(&format!(
            "@@ -{},{a_len} +{},{b_len} @@\n",
            first(a_start, a_len),
            first(b_start, b_len)
        ));
        for op in &ops[start..end] {
            let (mark, line) = match op {
                Op::Same(line, _) => (' ', *line),
                Op::Del(line) => ('-', *line),
                Op::Add(line) => ('+', *line),
            };
            out.push(mark);
            out.push_str(line);
            if !line.ends_with('\n') {
                out.push_str("\n\\ No newline at end of file\n");
            }
        }
    }
    out
}

enum Op<'a> {
    Same(&'a str, ()),
    Del(&'a str),
    Add(&'a str),
}

/// A line diff: the common prefix and suffix, and the longest common
/// subsequence of what lies between (quadratic only in the changed middle,
/// which is small for the edits planmark makes).
fn diff_lines<'a>(a: &[&'a str], b: &[&'a str]) -> Vec<Op<'a>> {
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..]
        .iter()
        .rev()
        .zip(b[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (am, bm) = (&a[prefix..a.len() - suffix], &b[prefix..b.len() - suffix]);
    let mut ops: Vec<Op<'a>> = a[..prefix].iter().map(|l| Op::Same(l, ())).collect();
    if am.len() * bm.len() > 4_000_000 {
        ops.extend(am.iter().map(|l| Op::Del(l)));
        ops.extend(bm.iter().map(|l| Op::Add(l)));
    } else {
        let (n, m) = (am.len(), bm.len());
        let mut lcs = vec![vec![0u32; m + 1]; n + 1];
        for i in (0..n).rev() {
            for j in (0..m).rev() {
                lcs[i][j] = if am[i] == bm[j] {
                    lcs[i + 1][j + 1] + 1
                } else {
                    lcs[i + 1][j].max(lcs[i][j + 1])
                };
            }
        }
        let (mut i, mut j) = (0, 0);
        while i < n || j < m {
            if i < n && j < m && am[i] == bm[j] {
                ops.push(Op::Same(am[i], ()));
                i += 1;
                j += 1;
            } else if i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1]) {
                ops.push(Op::Del(am[i]));
                i += 1;
            } else {
                ops.push(Op::Add(bm[j]));
                j += 1;
            }
        }
    }
    ops.extend(a[a.len() - suffix..].iter().map(|l| Op::Same(l, ())));
    ops
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_and_diffs() {
        let text = "a\nb\nc\n";
        let new = apply_edits(text, &[(TextRange::new(2, 3), "B".into())]).unwrap();
        assert_eq!(new, "a\nB\nc\n");
        assert!(apply_edits(
            text,
            &[
                (TextRange::new(0, 3), "x".into()),
                (TextRange::new(2, 4), "y".into())
            ]
        )
        .is_err());
        let diff = unified_diff("f.md", Some(text), Some(&new));
        assert_eq!(
            diff,
            "--- a/f.md\n+++ b/f.md\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n"
        );
        let created = unified_diff("g.md", None, Some("x\n"));
        assert_eq!(created, "--- /dev/null\n+++ b/g.md\n@@ -0,0 +1,1 @@\n+x\n");
    }

    #[test]
    fn never_overwrites_or_leaves_the_root() {
        let mut files = BTreeMap::new();
        files.insert("a.md".to_string(), "x".to_string());
        let create = |rel: &str| {
            vec![Change::CreateFile {
                rel: rel.into(),
                text: "y".into(),
            }]
        };
        assert!(apply(&files, &create("a.md")).is_err());
        assert!(apply(&files, &create("../a.md")).is_err());
        assert!(apply(&files, &create("/etc/passwd")).is_err());
        assert!(apply(&files, &create("b.md")).is_ok());
    }
}
