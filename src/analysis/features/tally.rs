//! What completion and hover count across the workspace: the field values
//! written for each scope and label, the personas of user stories, and the
//! files that name a milestone by its title. Made once from every file,
//! then kept up to date after an edit by taking out the changed files' old
//! facts and adding their new ones, so no request after an edit reads the
//! whole workspace again.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::analysis::features::completion::personas::persona_of;
use crate::analysis::features::{Scope, VALUE_LABELS};
use crate::analysis::model::{ItemKind, Target};
use crate::analysis::workspace::{SourceFile, Workspace};

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Tally {
    /// How many items write each value, by scope and lower-case label.
    values: HashMap<(Scope, &'static str), BTreeMap<String, usize>>,
    /// Lower-case persona to each way it is written, with its count.
    personas: BTreeMap<String, BTreeMap<String, usize>>,
    /// Milestone ID to the files that name it by its title.
    pub(crate) title_refs: HashMap<String, BTreeSet<String>>,
}

impl Tally {
    pub(crate) fn new(ws: &Workspace) -> Tally {
        let mut tally = Tally::default();
        for file in ws.files() {
            tally.count(ws, file, true);
        }
        tally
    }

    /// Adds (`add`) or takes out a file's contribution. Taking out a file
    /// needs the milestone titles it named to resolve as they did when it
    /// was added: callers start afresh when a roadmap changes.
    pub(crate) fn count(&mut self, ws: &Workspace, file: &SourceFile, add: bool) {
        for item in &file.facts.items {
            let scope = match item.kind {
                ItemKind::Issue => Scope::Issue,
                ItemKind::Story => Scope::Story,
                ItemKind::Task => Scope::Task,
                // Milestones and dialect items carry no vocabulary fields.
                _ => continue,
            };
            for field in &item.fields {
                let Some(&label) = VALUE_LABELS.iter().find(|l| field.is(l)) else {
                    continue;
                };
                let value = field.value(&file.text);
                let value = value.split('(').next().unwrap_or("").trim();
                let plain =
                    !value.is_empty() && value.len() <= 30 && !value.contains(['*', '`', '[', ',']);
                if plain && label != "milestone" {
                    let values = self.values.entry((scope, label)).or_default();
                    bump(values, value, add);
                    if values.is_empty() {
                        self.values.remove(&(scope, label));
                    }
                }
            }
            if let Some(persona) = persona_of(&file.text, item) {
                let lower = persona.to_lowercase();
                let forms = self.personas.entry(lower.clone()).or_default();
                bump(forms, &persona, add);
                if forms.is_empty() {
                    self.personas.remove(&lower);
                }
            }
        }
        for reference in file.facts.all_references() {
            if let Target::MilestoneTitle(_) = reference.target {
                if let Some(id) = ws.resolve(&reference.target) {
                    let files = self.title_refs.entry(id.to_string()).or_default();
                    if add {
                        files.insert(file.rel.to_string());
                    } else {
                        files.remove(&*file.rel);
                        if files.is_empty() {
                            self.title_refs.remove(id.as_str());
                        }
                    }
                }
            }
        }
    }

    /// The values written for each scope and label, most used first.
    pub(crate) fn seen(&self) -> HashMap<(Scope, &'static str), Vec<String>> {
        self.values
            .iter()
            .map(|(&key, values)| {
                let mut values: Vec<(&String, &usize)> = values.iter().collect();
                values.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
                (key, values.into_iter().map(|(v, _)| v.clone()).collect())
            })
            .collect()
    }

    /// Every persona, most used first (then in alphabetical order), each
    /// in its most used spelling, with how many stories name it.
    pub(crate) fn personas(&self) -> Vec<(String, usize)> {
        let mut out: Vec<(String, usize)> = self
            .personas
            .values()
            .map(|forms| {
                let total = forms.values().sum();
                let (form, _) = forms
                    .iter()
                    .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
                    .expect("a persona is counted while it has a spelling");
                (form.clone(), total)
            })
            .collect();
        out.sort_by_key(|(_, count)| std::cmp::Reverse(*count));
        out
    }
}

/// Adds one to `key`'s count, or takes one away and forgets it at zero.
fn bump(counts: &mut BTreeMap<String, usize>, key: &str, add: bool) {
    if add {
        *counts.entry(key.to_string()).or_default() += 1;
    } else if let Some(count) = counts.get_mut(key) {
        *count -= 1;
        if *count == 0 {
            counts.remove(key);
        }
    }
}
