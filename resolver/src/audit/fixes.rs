//! What fixing a plugin's report means, decided once for every front end
//! (`tykdeps fix`, `fix --to`, `upgrade --to`): the go.mod edits of its
//! error findings' first suggestions, and the fixes that are no go.mod edit
//! and are left to the user.

use super::{PluginReport, Severity};
use crate::gomod::Edit;

impl PluginReport {
    /// The go.mod edits of the error findings' first suggestions, once each.
    #[must_use]
    pub fn fix_edits(&self) -> Vec<Edit> {
        let mut edits: Vec<Edit> = Vec::new();
        let fixable = self
            .findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .filter_map(|f| f.suggestions.first());
        for edit in fixable.flat_map(|s| s.edits.iter()) {
            if !edits.contains(edit) {
                edits.push(edit.clone());
            }
        }
        edits
    }

    /// What must be done by hand: error findings whose first suggestion is
    /// not a go.mod edit, as `rule: what to do`.
    #[must_use]
    pub fn manual_fixes(&self) -> Vec<String> {
        self.findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .filter_map(|f| {
                let s = f.suggestions.first().filter(|s| s.edits.is_empty())?;
                Some(format!(
                    "{}: not a go.mod edit, do it by hand: {}",
                    f.rule, s.description
                ))
            })
            .collect()
    }
}
