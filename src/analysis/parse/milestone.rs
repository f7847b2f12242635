//! Milestone folders (`milestones/m5/`, formats.md §5): numbered issue specs
//! that may carry a GitHub issue number and refer to others as `#301`.

use crate::analysis::model::{Item, ItemKind};
use crate::analysis::parse::issue::{criteria_of, fill_common};
use crate::analysis::parse::markdown::{self, Outline};
use crate::analysis::parse::refs::RefContext;
use crate::analysis::text::TextRange;

/// `m5` or `M05` into 5.
pub(crate) fn folder_number(folder: &str) -> Option<u32> {
    let digits = folder.strip_prefix(['m', 'M'])?;
    digits.parse().ok()
}

/// `01-ingest-endpoint.md` is a spec; `00-epic.md` and
/// `IMPLEMENTATION_PLAN.md` are the milestone's own documents.
pub(crate) fn is_spec_name(name: &str) -> bool {
    let digits: String = name.chars().take_while(char::is_ascii_digit).collect();
    !digits.is_empty() && digits.parse::<u32>().is_ok_and(|n| n > 0)
}

pub(crate) fn parse_spec(text: &str, outline: &Outline, folder: &str, stem: &str) -> Option<Item> {
    let milestone = folder_number(folder)?;
    let number: String = stem.chars().take_while(char::is_ascii_digit).collect();
    let title = outline.headings.iter().find(|h| h.level == 1);
    let def_range = title.map_or(TextRange::empty(markdown::bom_len(text)), |h| h.text_range);
    let mut item = Item::new(ItemKind::Issue, format!("m{milestone}/{number}"), def_range);
    item.range = TextRange::new(0, text.len());
    item.title = title.map(|h| h.text.clone()).unwrap_or_default();
    item.sections = markdown::sections(&outline.headings, text.len());
    item.fields = markdown::fields(&outline.base, item.range, &outline.ignored);
    item.criteria = criteria_of(&item, outline);
    fill_common(text, outline, &mut item, RefContext::Issue);
    if let Some(github) = github_issue(text) {
        item.aliases.push(format!("#{github}").into());
    }
    Some(item)
}

/// The `github_issue: 301` line (front matter or plain).
fn github_issue(text: &str) -> Option<u32> {
    text.lines().take(30).find_map(|line| {
        // `\u{feff}`: a byte-order mark before `github_issue:` on line 1.
        let line = line.trim().trim_start_matches(['\u{feff}', '*', '-', ' ']);
        let rest = line
            .strip_prefix("github_issue")
            .or_else(|| line.strip_prefix("GitHub issue"))?;
        let rest = rest.trim_start_matches(['*', ':', ' ', '#']);
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        digits.parse().ok()
    })
}
