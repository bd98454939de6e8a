//! `tykdeps upgrade --to REF [DIR]`: what moving the plugin to another
//! gateway requires, proven by auditing the planned go.mod against it.
//!
//! The plan is the library's ([`engine::upgrade`]); this turns the flags
//! into its two requests (the gateway now, the gateway to move to), prints
//! the plan and the proof in the format asked for, and exits with the
//! proof's verdict. `tykdeps fix --to` applies the same plan.

use tykdeps_resolver::audit::engine::{self, Request, Upgrade};

use super::{audit, source_audit};
use crate::args::{SourceArgs, UpgradeArgs};
use crate::exit::{CommandError, ExitStatus};
use crate::settings::Settings;
use crate::{diff, load, printer};

pub(crate) fn run(args: &UpgradeArgs) -> Result<ExitStatus, CommandError> {
    let policy = audit::policy(args.report.config.as_deref())?;
    let docs = audit::docs_url(args.report.docs_url.as_deref(), policy.as_ref()).map(str::to_owned);
    let settings = Settings::from_env()?;
    let (from, to) = requests(
        &args.source,
        &args.to,
        args.from.as_deref(),
        &settings,
        policy,
    )?;
    let upgrade = plan(&from, &to, &settings)?;
    let format = args.report.format;
    let report = audit::rendered(
        &upgrade.proven.report,
        format,
        args.report.verbose,
        docs.as_deref(),
    );
    printer::out(&tykdeps_render::upgrade::render(
        &upgrade,
        format,
        report,
        &diff::label,
    ));
    Ok(audit::status(upgrade.proven.report.verdict))
}

/// The requests of the gateway now (`from`, else what `source` names) and
/// of the gateway `to`; a REF that is a file is a snapshot.
pub(crate) fn requests(
    source: &SourceArgs,
    to: &str,
    from: Option<&str>,
    settings: &Settings,
    policy: Option<tykdeps_resolver::audit::config::Config>,
) -> Result<(Request, Request), CommandError> {
    let now = match from {
        Some(from) => naming(source, from),
        None => source.clone(),
    };
    let from_request = source_audit::request(&now, settings, policy.clone())
        .map_err(|e| naming_flag(e, "--from", from.unwrap_or("(the current gateway)")))?;
    let to_request = source_audit::request(&naming(source, to), settings, policy)
        .map_err(|e| naming_flag(e, "--to", to))?;
    Ok((from_request, to_request))
}

/// `e` said of the gateway flags, named as the user gave the gateway.
fn naming_flag(e: CommandError, flag: &str, reference: &str) -> CommandError {
    CommandError::new(e.status, e.report.wrap_err(format!("{flag} {reference}")))
}

/// `source` with its gateway flags replaced by `reference` (a snapshot
/// file too, as `--gateway` reads one).
fn naming(source: &SourceArgs, reference: &str) -> SourceArgs {
    SourceArgs {
        gateway: vec![reference.to_owned()],
        gateway_snapshot: Vec::new(),
        gateway_bin: None,
        ..source.clone()
    }
}

/// The plan of moving from `from`'s gateway to `to`'s, proven.
pub(crate) fn plan(
    from: &Request,
    to: &Request,
    settings: &Settings,
) -> Result<Upgrade, CommandError> {
    let host = source_audit::CliHost::new(settings);
    let mut upgrade = load::runtime()?.block_on(engine::upgrade(from, to, &host))?;
    if let Some(cause) = upgrade.proven.unfetched.take() {
        printer::diagnostic(&miette::Report::new(cause));
    }
    Ok(upgrade)
}
