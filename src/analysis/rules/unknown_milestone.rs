//! `unknown-milestone`: an item's `Milestone` names no milestone of the
//! roadmap, nor of the milestone YAML files (`.milestones/`). The check
//! lives here (the rule has no fix); without a roadmap or milestone file
//! there is nothing to compare with, and no finding. The metadata is
//! `Rule::UnknownMilestone` in `rule.rs`.

use crate::analysis::model::{FileKind, Item, ItemKind, Target};
use crate::analysis::rules::{Rule, Sink};
use crate::analysis::workspace::{defines_milestones, Workspace};

/// Where a workspace defines its milestones: a roadmap, milestone files
/// (a dialect's, the milestone YAML), or both.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Sources {
    pub roadmap: bool,
    pub files: bool,
}

impl Sources {
    pub(crate) fn of(ws: &Workspace) -> Sources {
        let mut sources = Sources {
            roadmap: false,
            files: false,
        };
        let milestones = |f: &&std::sync::Arc<crate::analysis::workspace::SourceFile>| {
            defines_milestones(f) && f.facts.items.iter().any(|i| i.kind == ItemKind::Milestone)
        };
        for file in ws.sorted_files().iter().filter(milestones) {
            if file.facts.kind == FileKind::Roadmap {
                sources.roadmap = true;
            } else {
                sources.files = true;
            }
        }
        sources
    }

    /// Where the milestones are defined, to end "is not defined in ...".
    pub(crate) fn place(self) -> &'static str {
        match (self.roadmap, self.files) {
            (true, true) => "the roadmap or the milestone files",
            (false, true) => "the milestone files",
            _ => "the roadmap",
        }
    }

    /// How a milestone named by title should be written instead.
    fn hint(self) -> &'static str {
        match (self.roadmap, self.files) {
            (true, true) => {
                " (write it as `M<n>`, as a milestone file's ID such as `milestone-001`, or as a milestone's title)"
            }
            (false, true) => {
                " (write it as a milestone file's ID, such as `milestone-001`, or as a milestone's title)"
            }
            _ => " (write it as `M<n>` or as the roadmap's title)",
        }
    }
}

pub(crate) fn check(ws: &Workspace, item: &Item, sink: &mut Sink<'_>) {
    let Some(milestone) = &item.milestone else {
        return;
    };
    if ws.has_roadmap() && ws.resolve(&milestone.target).is_none() {
        // Only when reporting: which files define milestones.
        let sources = Sources::of(ws);
        let hint = match &milestone.target {
            Target::Id(_) => "",
            Target::MilestoneTitle(_) => sources.hint(),
        };
        sink.push(
            Rule::UnknownMilestone,
            milestone.range,
            format!(
                "milestone `{}` is not defined in {}{hint}",
                milestone.written.trim(),
                sources.place()
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::analysis::fixture;
    use crate::analysis::rules::{check_file, Context, Rule};

    /// The messages of `unknown-milestone` for an issue whose milestone is
    /// `milestone`, with the roadmap or without it.
    fn messages(roadmap: bool, milestone: &str) -> Vec<String> {
        let rel = "issues/backlog/swe-feature-001.md";
        let roadmap = if roadmap {
            "//- docs/roadmap.md\n# Roadmap\n\n| # | Milestone | Status |\n|---|---|---|\n| M1 | Tracking core | Done |\n"
        } else {
            ""
        };
        let ws = fixture::workspace(&format!(
            "{roadmap}//- {rel}\n# swe-feature-001: Login\n\n**Type:** feature\n**Expert:** swe\n**Milestone:** {milestone}\n\n## Acceptance Criteria\n\n- [ ] The clerk sees the form\n"
        ))
        .workspace;
        let ctx = Context::new(&ws);
        check_file(&ws, &ctx, rel)
            .into_iter()
            .filter(|d| d.rule == Rule::UnknownMilestone)
            .map(|d| d.message)
            .collect()
    }

    #[test]
    fn a_title_gets_a_hint_and_no_roadmap_no_finding() {
        assert_eq!(messages(true, "M1"), Vec::<String>::new());
        assert_eq!(messages(true, "tracking core"), Vec::<String>::new());
        assert_eq!(
            messages(true, "M2"),
            ["milestone `M2` is not defined in the roadmap"]
        );
        assert_eq!(
            messages(true, "Customer portal"),
            ["milestone `Customer portal` is not defined in the roadmap (write it as `M<n>` or as the roadmap's title)"]
        );
        assert_eq!(messages(false, "M2"), Vec::<String>::new());
    }
}
