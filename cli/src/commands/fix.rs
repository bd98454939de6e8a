//! `tykdeps fix [DIR]`: apply what the audit proposes, then audit again.
//!
//! The audit's suggestions carry their go.mod edits; this applies every edit
//! of every error finding to the plugin's go.mod in one format-preserving
//! pass (comments and layout kept), writes it atomically, and runs the audit
//! again so the verdict printed is the one after the fix. Fixes that are not
//! go.mod edits (building in a workspace, rebuilding with other flags) are
//! listed, never guessed at.
//!
//! With `--to REF` the edits are `tykdeps upgrade --to REF`'s proven plan
//! (the gateway requirement, then the pins the new gateway needs), and the
//! audit after the fix is against REF.

use std::path::Path;

use miette::miette;
use tykdeps_resolver::audit::engine::Request;
use tykdeps_resolver::gomod;

use super::{audit, source_audit, upgrade};
use crate::args::FixArgs;
use crate::diff;
use crate::exit::{CommandError, ExitStatus};
use crate::printer;
use crate::settings::Settings;
use tykdeps_resolver::atomic::{self, Durability};

pub(crate) fn run(args: &FixArgs) -> Result<ExitStatus, CommandError> {
    // The same policy as `audit`, applied by the engine, so both give one
    // verdict on one tree and what the policy allows is never edited.
    let policy = audit::policy(args.report.config.as_deref())?;
    let docs = audit::docs_url(args.report.docs_url.as_deref(), policy.as_ref()).map(str::to_owned);
    let docs = docs.as_deref();
    let settings = Settings::from_env()?;
    if let Some(to) = &args.to {
        return fix_to(args, to, &settings, policy, docs);
    }
    let request = source_audit::request(&args.source, &settings, policy)?;
    let before = source_audit::run(&request, &settings)?;
    let mut changed = false;
    for (plugin, go_mod) in before.report.plugins.iter().zip(&before.plugin_go_mods) {
        for manual in plugin.manual_fixes() {
            printer::diagnostic(&miette!(severity = miette::Severity::Warning, "{manual}"));
        }
        let edits = plugin.fix_edits();
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
            args.report.format,
            args.report.verbose,
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
    Ok(audit::print(
        &after.report,
        args.report.format,
        args.report.verbose,
        docs,
    ))
}

fn write(go_mod: &Path, text: &str) -> Result<(), CommandError> {
    atomic::write(go_mod, text.as_bytes(), Durability::Durable).map_err(|e| {
        CommandError::invalid(miette!(
            "cannot write {}: {e}; it is unchanged",
            go_mod.display()
        ))
    })
}

/// `fix --to REF`: write `upgrade --to REF`'s proven plan, then audit
/// against REF; with `--dry-run`, its diffs and proven verdict.
fn fix_to(
    args: &FixArgs,
    to: &str,
    settings: &Settings,
    policy: Option<tykdeps_resolver::audit::config::Config>,
    docs: Option<&str>,
) -> Result<ExitStatus, CommandError> {
    let (from, to) = upgrade::requests(&args.source, to, args.from.as_deref(), settings, policy)?;
    let plan = upgrade::plan(&from, &to, settings)?;
    let mut changed = false;
    for plugin in &plan.plugins {
        for manual in &plugin.by_hand {
            printer::diagnostic(&miette!(severity = miette::Severity::Warning, "{manual}"));
        }
        if args.dry_run {
            printer::out(&diff::unified(
                &plugin.go_mod,
                &plugin.text,
                &plugin.planned,
            ));
        } else if plugin.planned != plugin.text {
            write(&plugin.go_mod, &plugin.planned)?;
            changed = true;
        }
    }
    if args.dry_run || !changed {
        return Ok(audit::print(
            &plan.proven.report,
            args.report.format,
            args.report.verbose,
            docs,
        ));
    }
    let again = Request {
        refresh: false,
        ..to
    };
    let after = source_audit::run(&again, settings)?;
    Ok(audit::print(
        &after.report,
        args.report.format,
        args.report.verbose,
        docs,
    ))
}
