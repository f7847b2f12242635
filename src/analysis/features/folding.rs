//! Folding ranges: sections, tasks, the index table, and code blocks and
//! comments that span lines.

use crate::analysis::model::ItemKind;
use crate::analysis::text::TextRange;
use crate::analysis::workspace::Workspace;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum FoldKind {
    Region,
    Comment,
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Fold {
    /// From the start of the first line to the end of the last non-blank
    /// one; the server folds the lines this covers.
    pub range: TextRange,
    pub kind: FoldKind,
}

/// The folding ranges of the file `rel`, by start.
pub fn folding_ranges(ws: &Workspace, rel: &str) -> Vec<Fold> {
    let Some(file) = ws.file(rel) else {
        return Vec::new();
    };
    let text = &*file.text;
    let mut candidates: Vec<(TextRange, FoldKind)> = Vec::new();
    for item in &file.facts.items {
        for section in item.sections.iter().filter(|s| s.level >= 2) {
            candidates.push((section.range, FoldKind::Region));
        }
        if item.kind == ItemKind::Task
            || (item.kind == ItemKind::Milestone && item.range != item.def_range)
        {
            candidates.push((item.range, FoldKind::Region));
        }
    }
    if let Some(index) = &file.facts.index {
        candidates.push((index.table_range, FoldKind::Region));
    }
    for r in &file.facts.ignored {
        let kind = if text[r.start()..r.end()].starts_with("<!--") {
            FoldKind::Comment
        } else {
            FoldKind::Region
        };
        candidates.push((*r, kind));
    }
    let mut out: Vec<Fold> = candidates
        .into_iter()
        .filter_map(|(range, kind)| {
            let trimmed = text[range.start()..range.end()].trim_end();
            let range = TextRange::new(range.start(), range.start() + trimmed.len());
            trimmed
                .contains(['\n', '\r'])
                .then_some(Fold { range, kind })
        })
        .collect();
    out.sort();
    out.dedup_by(|b, a| a.range == b.range);
    out
}
