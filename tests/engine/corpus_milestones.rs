//! The findings on a real milestone-tracking project
//! (`tests/corpora/milestone-yaml-Bensonluo-4bit-QLoRA-post-training`:
//! `.milestones/active/milestone-001.yaml` to `milestone-005.yaml` and
//! `dependencies.yaml`), reviewed one by one. The files were taken at
//! different commits (see its `SOURCE.md`), so cross-file findings would
//! be suspect; there are none.
//!
//! - `milestone-yaml-syntax` (2, errors): `dependencies.yaml` line 28,
//!   `rationale:` indented under `critical_path:`, whose value is a list
//!   (`- "milestone-001 → …"`): a mapping key cannot follow a list entry at
//!   that indentation, and YAML readers reject the file.
//!   `milestone-002.yaml` starts with a line of prose (`.milestones 记录由
//!   milestone-001 样式沿用;…`) that is not a comment, so line 2's `id:`
//!   is a mapping inside a plain scalar. `SOURCE.md` records that both
//!   files are invalid in the repository itself: real, and the workflow's
//!   tools cannot read them. Each is reported on the line the YAML reader
//!   stops at.
//!
//! Silent, and why: milestone 001 `enables` 002 and 003, which have no
//! `dependencies:` of their own to disagree with (and 002, whose file does
//! not parse, is not called unknown); milestones 001 and 003 to 005 have
//! `success_criteria`; none writes a `status` (their progress is their
//! tasks': 001 not started, 003 to 005 done) or a progress percentage;
//! 001's task dependencies (`task-001` … `task-005`) all name its tasks;
//! `config/` is not read.

use std::fs;
use std::path::Path;
use std::process::Command;

use planmark::analysis::model::ItemKind;
use planmark::load::load_workspace;

use crate::tree::Tree;

const NAME: &str = "milestone-yaml-Bensonluo-4bit-QLoRA-post-training";

fn corpus() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/corpora")
        .join(NAME)
}

/// Every finding under `root`, one line each, and how many are errors.
fn findings(root: &Path) -> (String, usize) {
    let loaded = load_workspace(root);
    assert!(
        loaded.walk_problems.is_empty(),
        "{:?}",
        loaded.walk_problems
    );
    crate::corpus::findings(&loaded.workspace)
}

#[test]
fn milestone_corpus_findings_are_the_reviewed_ones() {
    let root = corpus();
    assert_eq!(load_workspace(&root).workspace.file_count(), 6);
    let (actual, errors) = findings(&root);
    assert_eq!(errors, 2, "the two files that are not YAML, no more");
    expect_test::expect_file!["../snapshots/corpus_milestones.txt"].assert_eq(&actual);
    let code = Command::new(env!("CARGO_BIN_EXE_planmark"))
        .arg("check")
        .arg(&root)
        .output()
        .expect("planmark runs")
        .status
        .code();
    assert_eq!(code, Some(1), "its two real errors");
}

#[test]
fn each_milestone_file_is_read_on_its_own() {
    let ws = load_workspace(&corpus()).workspace;
    let mut out = Vec::new();
    for (file, item) in ws.items() {
        let deps: Vec<&str> = item.deps.iter().map(|d| d.written.as_str()).collect();
        let line = file.line_index().line_of(item.def_range.start()) + 1;
        out.push(format!(
            "{}:{line} {} {} {:?} {:?} deps={deps:?}",
            file.rel.rsplit('/').next().unwrap_or(""),
            item.kind.name(),
            item.id,
            item.status.as_ref().map(|(s, _)| s.as_str()),
            item.progress,
        ));
    }
    expect_test::expect![[r#"
        milestone-001.yaml:1 milestone milestone-001 None Some(NotStarted) deps=[]
        milestone-001.yaml:68 task milestone-001/task-001 Some("pending") Some(NotStarted) deps=[]
        milestone-001.yaml:78 task milestone-001/task-002 Some("pending") Some(NotStarted) deps=["task-001"]
        milestone-001.yaml:88 task milestone-001/task-003 Some("pending") Some(NotStarted) deps=["task-001"]
        milestone-001.yaml:98 task milestone-001/task-004 Some("pending") Some(NotStarted) deps=[]
        milestone-001.yaml:108 task milestone-001/task-005 Some("pending") Some(NotStarted) deps=[]
        milestone-001.yaml:118 task milestone-001/task-006 Some("pending") Some(NotStarted) deps=["task-001", "task-002", "task-003", "task-004", "task-005"]
        milestone-003.yaml:1 milestone milestone-003 None Some(Done) deps=[]
        milestone-003.yaml:11 task milestone-003/task-001 Some("completed") Some(Done) deps=[]
        milestone-003.yaml:12 task milestone-003/task-002 Some("completed") Some(Done) deps=[]
        milestone-003.yaml:13 task milestone-003/task-003 Some("completed") Some(Done) deps=[]
        milestone-003.yaml:14 task milestone-003/task-004 Some("completed") Some(Done) deps=[]
        milestone-003.yaml:15 task milestone-003/task-005 Some("completed") Some(Done) deps=[]
        milestone-003.yaml:16 task milestone-003/task-006 Some("completed") Some(Done) deps=[]
        milestone-004.yaml:1 milestone milestone-004 None Some(Done) deps=[]
        milestone-004.yaml:12 task milestone-004/task-001 Some("completed") Some(Done) deps=[]
        milestone-004.yaml:13 task milestone-004/task-002 Some("completed") Some(Done) deps=[]
        milestone-004.yaml:14 task milestone-004/task-003 Some("completed") Some(Done) deps=[]
        milestone-004.yaml:15 task milestone-004/task-004 Some("completed") Some(Done) deps=[]
        milestone-004.yaml:16 task milestone-004/task-005 Some("completed") Some(Done) deps=[]
        milestone-004.yaml:17 task milestone-004/task-006 Some("completed") Some(Done) deps=[]
        milestone-005.yaml:1 milestone milestone-005 None Some(Done) deps=[]
        milestone-005.yaml:10 task milestone-005/task-001 Some("completed") Some(Done) deps=[]
        milestone-005.yaml:11 task milestone-005/task-002 Some("completed") Some(Done) deps=[]
        milestone-005.yaml:12 task milestone-005/task-003 Some("completed") Some(Done) deps=[]
        milestone-005.yaml:13 task milestone-005/task-004 Some("completed") Some(Done) deps=[]"#]].assert_eq(&out.join("\n"));
    let tasks = ws.items().filter(|(_, i)| i.kind == ItemKind::Task).count();
    assert_eq!(
        tasks,
        3 * 6 + 4,
        "001, 003 and 004 hold six tasks, 005 four"
    );
}

/// `milestone-002.yaml` with its line of prose made a comment, copied into
/// a temporary folder: it then reads as the other milestones do, and
/// milestone 001's `enables` still finds nothing to disagree with.
#[test]
fn milestone_002_reads_once_its_prose_line_is_a_comment() {
    let tree = Tree::new();
    let active = tree.root.join(".milestones/active");
    fs::create_dir_all(&active).unwrap();
    for name in [
        "milestone-001.yaml",
        "milestone-002.yaml",
        "milestone-003.yaml",
    ] {
        let text = fs::read_to_string(corpus().join(".milestones/active").join(name)).unwrap();
        let text = if name == "milestone-002.yaml" {
            format!("# {text}")
        } else {
            text
        };
        fs::write(active.join(name), text).unwrap();
    }
    let (actual, errors) = findings(&tree.root);
    assert_eq!(errors, 0);
    assert_eq!(actual, "\n");
    let ws = load_workspace(&tree.root).workspace;
    let (_, m2) = ws.item("milestone-002").expect("milestone 002 is read");
    assert_eq!(m2.title, "旅程串联与非专家可视化");
}
