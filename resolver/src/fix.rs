//! What `tykdeps fix` writes: each plugin's go.mod as it is and as fixed,
//! with the fixes a go.mod edit cannot make (to be done by hand). Fixes come
//! from an audit (every error finding's go.mod edits, applied in one
//! format-preserving pass) or from an upgrade's proven plan; either way the
//! front end shows or writes the same values.

use std::path::PathBuf;

use crate::audit::engine::{Audit, Upgrade};
use crate::gomod;

/// One plugin's go.mod, before and after its fixes.
#[derive(Debug, Clone)]
pub struct GoModFix {
    /// The plugin's go.mod.
    pub go_mod: PathBuf,
    /// Its text now (empty, as `fixed`, when nothing edits it).
    pub text: String,
    /// Its text with the fixes applied.
    pub fixed: String,
    /// What must be fixed by hand, in words.
    pub by_hand: Vec<String>,
}

/// Why a go.mod could not be fixed.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum FixError {
    /// It could not be read.
    #[error("cannot read {file}: {reason}")]
    Read {
        /// The go.mod.
        file: String,
        /// Why (in the message, not a source: the message says it all).
        reason: std::io::Error,
    },
    /// The edits do not apply to it.
    #[error("cannot fix {file}: {reason}")]
    Edit {
        /// The go.mod.
        file: String,
        /// Why.
        reason: gomod::EditError,
    },
}

/// The fixes of `audit`'s error findings, each plugin's go.mod read from
/// the disk when there is an edit to make.
pub fn from_audit(audit: &Audit) -> Result<Vec<GoModFix>, FixError> {
    let plugins = audit.report.plugins.iter().zip(&audit.plugin_go_mods);
    plugins
        .map(|(plugin, go_mod)| {
            let edits = plugin.fix_edits();
            let (mut text, mut fixed) = (String::new(), String::new());
            if !edits.is_empty() {
                let file = go_mod.display().to_string();
                text = std::fs::read_to_string(go_mod).map_err(|reason| FixError::Read {
                    file: file.clone(),
                    reason,
                })?;
                fixed = gomod::apply(&file, &text, &edits)
                    .map_err(|reason| FixError::Edit { file, reason })?;
            }
            Ok(GoModFix {
                go_mod: go_mod.clone(),
                text,
                fixed,
                by_hand: plugin.manual_fixes(),
            })
        })
        .collect()
}

/// The go.mod files `upgrade`'s proven plan writes.
pub fn from_upgrade(upgrade: &Upgrade) -> Vec<GoModFix> {
    upgrade
        .plugins
        .iter()
        .map(|plugin| GoModFix {
            go_mod: plugin.go_mod.clone(),
            text: plugin.text.clone(),
            fixed: plugin.planned.clone(),
            by_hand: plugin.by_hand.clone(),
        })
        .collect()
}
