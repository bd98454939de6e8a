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
use tykdeps_resolver::atomic::{self, Durability};
use tykdeps_resolver::audit::engine::Request;
use tykdeps_resolver::fix;

use super::{audit, source_audit, upgrade};
use crate::args::FixArgs;
use crate::diff;
use crate::exit::{CommandError, ExitStatus};
use crate::printer;
use crate::settings::Settings;

pub(crate) fn run(args: &FixArgs) -> Result<ExitStatus, CommandError> {
    // The same policy as `audit`, applied by the engine, so both give one
    // verdict on one tree and what the policy allows is never edited.
    let policy = audit::policy(args.report.config.as_deref())?;
    let docs = audit::docs_url(args.report.docs_url.as_deref(), policy.as_ref()).map(str::to_owned);
    let settings = Settings::from_env()?;
    // The fixes, the report they answer, and the audit to run after them.
    let (fixes, report, after) = if let Some(to) = &args.to {
        let source = &args.source;
        let (from, to) = upgrade::requests(source, to, args.from.as_deref(), &settings, policy)?;
        let plan = upgrade::plan(&from, &to, &settings)?;
        (fix::from_upgrade(&plan), plan.proven.report, to)
    } else {
        let request = source_audit::request(&args.source, &settings, policy)?;
        let before = source_audit::run(&request, &settings)?;
        let fixes =
            fix::from_audit(&before).map_err(|e| CommandError::invalid(miette::Report::new(e)))?;
        (fixes, before.report, request)
    };
    let mut changed = false;
    for fix in &fixes {
        for manual in &fix.by_hand {
            printer::diagnostic(&miette!(severity = miette::Severity::Warning, "{manual}"));
        }
        if args.dry_run {
            printer::out(&diff::unified(&fix.go_mod, &fix.text, &fix.fixed));
        } else if fix.fixed != fix.text {
            write(&fix.go_mod, &fix.fixed)?;
            changed = true;
        }
    }
    let (format, verbose, docs) = (args.report.format, args.report.verbose, docs.as_deref());
    if args.dry_run || !changed {
        return Ok(audit::print(&report, format, verbose, docs));
    }
    // The proxy's answers were just fetched (or refreshed): the audit after
    // the fix reads them from the metadata cache.
    let again = Request {
        refresh: false,
        ..after
    };
    let after = source_audit::run(&again, &settings)?;
    Ok(audit::print(&after.report, format, verbose, docs))
}

fn write(go_mod: &Path, text: &str) -> Result<(), CommandError> {
    atomic::write(go_mod, text.as_bytes(), Durability::Durable).map_err(|e| {
        CommandError::invalid(miette!(
            "cannot write {}: {e}; it is unchanged",
            go_mod.display()
        ))
    })
}
