//! A soak test over stdio: 10,000 random edits across 20 open documents
//! (the sample workspace's issue files and copies of one), interleaved
//! with hover and completion requests. At the end every document's
//! diagnostics, pulled and pushed, equal what `planmark check --format
//! json` reports for the same texts written to disk, and the server's
//! resident memory is within 20% of what it was after the first 1,000
//! edits.
//!
//! Edits are sent in bursts without waiting for diagnostics;
//! `planmark/status` (which answers once every change received is
//! analysed) flushes now and then, so the test runs in well under a
//! minute in a debug build.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

use crate::copy_dir::copy_dir;
use crate::support::{uri, Server};
use serde_json::{json, Value};

const DOCUMENTS: usize = 20;
const EDITS: usize = 10_000;
const BASELINE_AFTER: usize = 1_000;

/// A deterministic pseudo-random sequence.
struct Rng(u64);

impl Rng {
    fn next(&mut self, bound: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % bound.max(1) as u64) as usize
    }
}

/// The sample workspace's issue files, plus copies of one under new IDs,
/// `DOCUMENTS` in all (relative paths).
fn documents(root: &Path) -> Vec<String> {
    let mut rels = Vec::new();
    for status in ["backlog", "planned", "in-progress", "done"] {
        let folder = root.join("issues").join(status);
        let mut names: Vec<String> = std::fs::read_dir(&folder)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        rels.extend(names.into_iter().map(|n| format!("issues/{status}/{n}")));
    }
    let model = std::fs::read_to_string(root.join("issues/backlog/swe-feature-010.md")).unwrap();
    let mut n = 101;
    while rels.len() < DOCUMENTS {
        let rel = format!("issues/backlog/swe-feature-{n}.md");
        std::fs::write(root.join(&rel), &model).unwrap();
        rels.push(rel);
        n += 1;
    }
    rels.truncate(DOCUMENTS);
    rels
}

/// What random edits insert: planning text, IDs that exist and IDs that
/// do not, multi-byte characters and line breaks.
const SNIPPETS: &[&str] = &[
    "x",
    " ",
    "\n",
    "\r\n",
    "😀",
    "漢字",
    "e\u{301}",
    "user",
    "TODO",
    "- [ ] The manager sees the exception list within a minute\n",
    "- [x] Done already\n",
    "- [ ] It works correctly\n",
    "\n**Dependencies:** swe-feature-009\n",
    "\n**Dependencies:** swe-feature-011, swe-feature-404\n",
    "swe-feature-012",
    "## Acceptance Criteria\n",
    "**Status:** done\n",
    "**Milestone:** M9\n",
    "<!-- planmark-disable-next-line -->\n",
    "`code`",
];

/// The char boundaries of `text` where an edit may start or end: not
/// between the CR and LF of a pair (no LSP position names that place).
fn cuts(text: &str) -> Vec<usize> {
    text.char_indices()
        .map(|(i, _)| i)
        .chain([text.len()])
        .filter(|&i| !(i > 0 && text.as_bytes()[i - 1] == b'\r'))
        .collect()
}

/// The UTF-16 LSP position of a byte offset (the texts have no lone CRs).
fn position(text: &str, offset: usize) -> [u32; 2] {
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    let col: usize = before[start..].chars().map(char::len_utf16).sum();
    [line as u32, col as u32]
}

/// One random edit of `text`: returns the LSP range and the new text.
fn random_edit(rng: &mut Rng, text: &mut String, original_len: usize) -> ([[u32; 2]; 2], String) {
    let cuts = cuts(text);
    let i = rng.next(cuts.len());
    let start = cuts[i];
    // Documents stay near their size (so memory use can be compared):
    // deletions shrink those that grew, those that shrank only grow.
    let deletes = if text.len() * 4 > original_len * 5 {
        7
    } else if text.len() * 4 < original_len * 3 {
        0
    } else {
        4
    };
    let snippet = SNIPPETS[rng.next(SNIPPETS.len())];
    let (len, insert) = match rng.next(10) {
        k if k < deletes => (1 + rng.next(30), ""),
        k if k < deletes + 2 => (1 + rng.next(3), snippet),
        _ => (0, snippet),
    };
    let end = cuts[(i + len).min(cuts.len() - 1)];
    let range = [position(text, start), position(text, end)];
    text.replace_range(start..end, insert);
    (range, insert.to_string())
}

/// A field in kB of `/proc/<pid>/status`, such as `VmRSS`.
fn status_kb(pid: u32, field: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or_else(|| panic!("no {field} in /proc/{pid}/status"))
}

/// The resident memory and its anonymous part (the heap, stacks), in kB.
fn rss_kb(pid: u32) -> (u64, u64) {
    (status_kb(pid, "VmRSS"), status_kb(pid, "RssAnon"))
}

/// A diagnostic as (path, start line, start char column, end line, end
/// char column, rule, severity, message), lines and columns from 0.
type Finding = (String, u64, u64, u64, u64, String, u64, String);

/// The column `planmark check` gives for a UTF-16 column on `line` of
/// `text`: in chars, not counting a byte-order mark (the server counts it:
/// it is in the text the client sent).
fn char_column(text: &str, line: u64, utf16: u64) -> u64 {
    let line_text = text.split('\n').nth(line as usize).unwrap_or("");
    let mut units = 0;
    let mut chars = 0;
    for ch in line_text.chars() {
        if units >= utf16 {
            break;
        }
        units += ch.len_utf16() as u64;
        chars += 1;
    }
    let bom = line == 0 && chars > 0 && text.starts_with('\u{feff}');
    chars - u64::from(bom)
}

fn server_findings(rel: &str, text: &str, diagnostics: &[Value]) -> BTreeSet<Finding> {
    diagnostics
        .iter()
        .map(|d| {
            let at = |end: &str, field: &str| d["range"][end][field].as_u64().unwrap();
            (
                rel.to_string(),
                at("start", "line"),
                char_column(text, at("start", "line"), at("start", "character")),
                at("end", "line"),
                char_column(text, at("end", "line"), at("end", "character")),
                d["code"].as_str().unwrap().to_string(),
                d["severity"].as_u64().unwrap(),
                d["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn check_findings(root: &Path, rels: &[String]) -> BTreeSet<Finding> {
    let output = Command::new(env!("CARGO_BIN_EXE_planmark"))
        .args(["check", ".", "--format", "json"])
        .current_dir(root)
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "check's output is not JSON ({e}): {}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    let severity = |s: &str| match s {
        "error" => 1,
        "warning" => 2,
        "info" => 3,
        _ => 4,
    };
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|d| {
            let path = d["path"].as_str().unwrap().trim_start_matches("./");
            rels.iter().any(|r| r == path).then(|| {
                let n = |field: &str| d[field].as_u64().unwrap() - 1;
                (
                    path.to_string(),
                    n("line"),
                    n("column"),
                    n("end_line"),
                    n("end_column"),
                    d["rule"].as_str().unwrap().to_string(),
                    severity(d["severity"].as_str().unwrap()),
                    d["message"].as_str().unwrap().to_string(),
                )
            })
        })
        .collect()
}

#[test]
fn ten_thousand_edits_across_twenty_documents() {
    let started = Instant::now();
    let dir = crate::tree::tempdir();
    let root = dir.path();
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("examples"),
        root,
    );
    let rels = documents(root);
    let mut texts: Vec<String> = rels
        .iter()
        .map(|rel| std::fs::read_to_string(root.join(rel)).unwrap())
        .collect();
    let original_lens: Vec<usize> = texts.iter().map(String::len).collect();
    let uris: Vec<String> = rels.iter().map(|rel| uri(&root.join(rel))).collect();

    let mut server = Server::start(root);
    server.initialize_root(root);
    server.wait_indexed();
    for (rel, text) in rels.iter().zip(&texts) {
        server.open_text(&root.join(rel), 1, text);
    }
    let mut versions = [1; DOCUMENTS];
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut baseline = None;
    let mut answered = [0usize; 1];
    for edit in 1..=EDITS {
        let d = rng.next(DOCUMENTS);
        let (range, insert) = random_edit(&mut rng, &mut texts[d], original_lens[d]);
        versions[d] += 1;
        server.change(&uris[d], versions[d], range, &insert);
        if edit % 25 == 0 {
            // A hover or a completion at a random place of a random
            // document: it must be answered, whatever the text is now.
            let d = rng.next(DOCUMENTS);
            let cuts = cuts(&texts[d]);
            let at = position(&texts[d], cuts[rng.next(cuts.len())]);
            let method = if edit % 50 == 0 {
                "textDocument/hover"
            } else {
                "textDocument/completion"
            };
            let params = json!({
                "textDocument": {"uri": uris[d]},
                "position": {"line": at[0], "character": at[1]},
            });
            match server.request(method, params) {
                Ok(_) => answered[0] += 1,
                Err(error) => panic!("{method} failed after {edit} edits: {error}"),
            }
        }
        if edit % 100 == 0 {
            server.request("planmark/status", Value::Null).unwrap();
        }
        if edit == BASELINE_AFTER {
            baseline = Some(rss_kb(server.pid()));
        }
    }
    server.request("planmark/status", Value::Null).unwrap();
    let (end_rss, end_anon) = rss_kb(server.pid());
    let (baseline, baseline_anon) = baseline.unwrap();
    eprintln!(
        "{EDITS} edits in {:.1?}; VmRSS {baseline} kB (anonymous {baseline_anon} kB) after \
         {BASELINE_AFTER} edits, {end_rss} kB ({end_anon} kB) at the end; \
         {} hover/completion answers",
        started.elapsed(),
        answered[0],
    );

    // Every document as the server holds it, then its diagnostics.
    let mut got = BTreeSet::new();
    for (d, rel) in rels.iter().enumerate() {
        assert_eq!(
            server.document_text(&uris[d]).as_deref(),
            Some(texts[d].as_str()),
            "{rel}"
        );
        let report = server
            .request(
                "textDocument/diagnostic",
                json!({"textDocument": {"uri": uris[d]}}),
            )
            .unwrap();
        let items = report["items"].as_array().unwrap().clone();
        // The last push for the document says the same.
        server.wait_diagnostics(&uris[d], |pushed| pushed == items.as_slice());
        got.extend(server_findings(rel, &texts[d], &items));
        std::fs::write(root.join(rel), &texts[d]).unwrap();
    }
    let expected = check_findings(root, &rels);
    assert!(!expected.is_empty(), "the edits leave findings to compare");
    let missing: Vec<_> = expected.difference(&got).collect();
    let extra: Vec<_> = got.difference(&expected).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "only `planmark check` reports {missing:#?}\nonly the server reports {extra:#?}"
    );
    // Growth is what a leak looks like; the memory may also shrink.
    assert!(
        end_rss * 10 <= baseline * 12,
        "VmRSS grew from {baseline} kB after {BASELINE_AFTER} edits to {end_rss} kB"
    );
    assert_eq!(server.shutdown_and_exit().code(), Some(0));
    eprintln!("soak test: {:.1?} in all", started.elapsed());
}
