//! New issues from the workflow's template (`seeds/issue-files-from-a-
//! milestone.md`): the next free number, in the `backlog/` folder, with a
//! row in the issues index. Used by `planmark new` and by the quick fix that
//! creates the issue a dangling dependency names.

use crate::analysis::actions::index_fix::{self, RowValues};
use crate::analysis::actions::{default_issues_dir, join, new_issue_id, next_issue_number, Change};
use crate::analysis::workspace::Workspace;

/// What a new issue says.
#[derive(Clone, Debug, Default)]
pub struct NewIssue {
    pub title: String,
    pub expert: String,
    pub kind: String,
    pub milestone: Option<String>,
    /// A file next to which the issue goes (its `issues/` folder).
    pub near: Option<String>,
    /// The number to use instead of the next free one.
    pub number: Option<u32>,
}

/// A one-line value: line breaks and `|` become spaces, and it is trimmed.
pub(crate) fn one_line(value: &str) -> String {
    value
        .split(['\n', '\r'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The path, ID and changes (the file and its index row) of a new issue.
pub fn create(ws: &Workspace, new: &NewIssue) -> Result<(String, String, Vec<Change>), String> {
    let number = new.number.unwrap_or_else(|| next_issue_number(ws));
    let id = new_issue_id(&new.expert, &new.kind, number).ok_or_else(|| {
        format!(
            "`{}-{}` cannot name an issue file: the expert and type are lower-case words (`swe`, `feature`)",
            new.expert.trim(),
            new.kind.trim()
        )
    })?;
    let dir = default_issues_dir(ws, new.near.as_deref());
    let rel = join(&join(&dir, "backlog"), &format!("{id}.md"));
    if ws.file(&rel).is_some() || ws.item(&id).is_some() {
        return Err(format!("`{id}` already exists"));
    }
    let expert = new.expert.trim().to_ascii_lowercase();
    let kind = new.kind.trim().to_ascii_lowercase();
    let title = one_line(&new.title);
    let title = if title.is_empty() {
        "[Short descriptive title]".to_string()
    } else {
        title
    };
    let milestone = new
        .milestone
        .as_deref()
        .map(one_line)
        .filter(|m| !m.is_empty())
        .unwrap_or_else(|| "[Milestone name]".to_string());
    let text = template(&title, &expert, &kind, &milestone);
    let heading = text
        .lines()
        .next()
        .unwrap_or("")
        .trim_start_matches("# ")
        .to_string();
    let mut changes = vec![Change::CreateFile {
        rel: rel.clone(),
        text,
    }];
    let values = RowValues {
        id: id.clone(),
        folder: "backlog".to_string(),
        title: heading,
        expert: expert.clone(),
        kind: kind.clone(),
        milestone,
        status: "backlog".to_string(),
        deps: "none".to_string(),
        effort: String::new(),
    };
    changes.extend(index_fix::add_row(ws, &rel, &values, None));
    Ok((rel, id, changes))
}

/// The issue template of the workflow for this expert.
pub fn template(title: &str, expert: &str, kind: &str, milestone: &str) -> String {
    let prefixed = |prefix: &str| {
        if title
            .to_ascii_lowercase()
            .starts_with(&prefix.to_ascii_lowercase())
        {
            title.to_string()
        } else {
            format!("{prefix}{title}")
        }
    };
    let head = |title: String| {
        format!(
            "# {title}\n\n**Type:** {kind}\n**Expert:** {expert}\n**Milestone:** {milestone}\n**Status:** backlog\n\n"
        )
    };
    match expert {
        "qa" => head(prefixed("QA: "))
            + "## Description\n\n[What needs to be reviewed, tested, or validated.]\n\n\
               ## Scope\n\n- [What to cover]\n\n\
               ## Acceptance Criteria\n\n- [ ] [Criterion for this QA task: what \"done\" looks like]\n\n\
               ## Notes\n\n**Depends on:** none\n**Inputs:** [handoff notes, test plan, code to review]\n",
        "devops" => head(prefixed("DevOps: "))
            + "## Description\n\n[What infrastructure, pipeline, or deployment work is needed.]\n\n\
               ## Acceptance Criteria\n\n- [ ] [Criterion for this task: what \"done\" looks like]\n\n\
               ## Notes\n\n**Depends on:** none\n**Inputs:** [env-context, project brief, etc.]\n",
        _ => head(title.to_string())
            + "## User Story\n\nAs a [persona], I need [feature / capability] so that I can [value proposition].\n\n\
               ## Description\n\n[2-3 sentences. What needs to be built or changed, and why.]\n\n\
               ## Acceptance Criteria\n\n- [ ] [Criterion from the persona's perspective: what they can now do or see]\n\n\
               ## Technical Notes\n\n**Dependencies:** none\n**Inputs:** project brief (always)\n",
    }
}
