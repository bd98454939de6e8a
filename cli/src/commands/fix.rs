//! `tykdeps fix [DIR]`: apply what the audit proposes, then audit again.
//!
//! The audit's suggestions carry their go.mod edits; this applies every edit
//! of every error finding to the plugin's go.mod in one format-preserving
//! pass (comments and layout kept), writes it atomically, and runs the audit
//! again so the verdict printed is the one after the fix. Fixes that are not
//! go.mod edits (building in a workspace, rebuilding with other flags) are
//! listed, never guessed at.

use std::path::Path;

use miette::miette;
use tykdeps_resolver::audit::engine::Request;
use tykdeps_resolver::audit::{PluginReport, Severity};
use tykdeps_resolver::gomod::{self, Edit};

use super::{audit, source_audit};
use crate::args::FixArgs;
use crate::diff;
use crate::exit::{CommandError, ExitStatus};
use crate::printer;
use crate::settings::Settings;
use tykdeps_resolver::atomic::{self, Durability};

pub(crate) fn run(args: &FixArgs) -> Result<ExitStatus, CommandError> {
    // The same policy as `audit`, applied by the engine, so both give one
    // verdict on one tree and what the policy allows is never edited.
    let policy = audit::policy(args.config.as_deref())?;
    let docs = audit::docs_url(args.docs_url.as_deref(), policy.as_ref()).map(str::to_owned);
    let docs = docs.as_deref();
    let settings = Settings::from_env()?;
    let request = source_audit::request(&args.source, &settings, policy)?;
    let before = source_audit::run(&request, &settings)?;
    let mut changed = false;
    for (plugin, go_mod) in before.report.plugins.iter().zip(&before.plugin_go_mods) {
        for manual in manual_fixes(plugin) {
            printer::diagnostic(&miette!(severity = miette::Severity::Warning, "{manual}"));
        }
        let edits = edits(plugin);
        if edits.is_empty() {
            continue;
        }
        let name = go_mod.display().to_string();
        let text = std::fs::read_to_string(go_mod)
            .map_err(|e| CommandError::invalid(miette!("cannot read {name}: {e}")))?;
        let fixed = gomod::apply(&name, &text, &edits)
            .map_err(|e| CommandError::invalid(miette!("cannot fix {name}: {e}")))?;
        if args.dry_run {
            printer::out(&diff::unified(go_mod, &text, &fixed));
        } else if fixed != text {
            write(go_mod, &fixed)?;
            changed = true;
        }
    }
    if args.dry_run || !changed {
        return Ok(audit::print(
            &before.report,
            args.format,
            args.verbose,
            docs,
        ));
    }
    // The proxy's answers were just fetched (or refreshed): the audit after
    // the fix reads them from the metadata cache.
    let again = Request {
        refresh: false,
        ..request
    };
    let after = source_audit::run(&again, &settings)?;
    Ok(audit::print(&after.report, args.format, args.verbose, docs))
}

fn write(go_mod: &Path, text: &str) -> Result<(), CommandError> {
    atomic::write(go_mod, text.as_bytes(), Durability::Durable).map_err(|e| {
        CommandError::invalid(miette!(
            "cannot write {}: {e}; it is unchanged",
            go_mod.display()
        ))
    })
}

/// The go.mod edits of the error findings' suggestions, once each.
fn edits(plugin: &PluginReport) -> Vec<Edit> {
    let mut edits: Vec<Edit> = Vec::new();
    let fixable = plugin
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

/// What must be done by hand: error findings whose first suggestion is not a go.mod edit.
fn manual_fixes(plugin: &PluginReport) -> Vec<String> {
    plugin
        .findings
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
