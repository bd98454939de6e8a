//! `tykdeps bot-config --renovate|--dependabot`: the dependency bots' rules
//! for the modules the gateway links, from one audit; printed, written, or
//! checked against the committed file (for CI and pre-commit).

use std::path::Path;

use miette::miette;
use tykdeps_resolver::atomic::{self, Durability};
use tykdeps_resolver::bots::{self, Origin, from_audit};

use super::{audit, source_audit};
use crate::args::BotConfigArgs;
use crate::exit::{CommandError, ExitStatus};
use crate::settings::Settings;
use crate::{diff, printer, repo_paths};

pub(crate) fn run(args: &BotConfigArgs) -> Result<ExitStatus, CommandError> {
    let policy = audit::policy(args.config.as_deref())?;
    let settings = Settings::from_env()?;
    let request = source_audit::request(&args.source, &settings, policy)?;
    let done = source_audit::run(&request, &settings)?;
    if let Some(cause) = done.unfetched {
        return Err(CommandError::new(
            ExitStatus::CouldNotCheck,
            miette!("cannot tell which modules the gateway links: {cause}"),
        ));
    }
    let gateway = from_audit::gateway_label(&done);
    let origin = Origin { gateway: &gateway };
    let target = args.write.as_deref().or(args.check.as_deref());
    let existing = target.map(read_existing).transpose()?.flatten();
    let generated = if args.renovate {
        bots::renovate(origin, &from_audit::all_ceilings(&done))
    } else {
        let root = repo_paths::root(&request.start);
        let directories = from_audit::by_directory(&done, root.as_deref(), &request.start);
        let block = bots::dependabot_block(origin, &directories);
        let file = target.map_or_else(|| "dependabot.yml".to_owned(), |t| t.display().to_string());
        match (target, &existing) {
            (Some(_), _) => bots::splice_dependabot(&file, existing.as_deref(), &block)
                .map_err(|e| CommandError::invalid(miette!("{e}")))?,
            (None, _) => block,
        }
    };
    match (&args.check, &args.write) {
        (Some(file), _) => Ok(check(file, existing.as_deref(), &generated)),
        (None, Some(file)) => {
            atomic::write(file, generated.as_bytes(), Durability::Durable).map_err(|e| {
                CommandError::invalid(miette!(
                    "cannot write {}: {e}; it is unchanged",
                    file.display()
                ))
            })?;
            Ok(ExitStatus::Ok)
        }
        (None, None) => {
            printer::out(&generated);
            Ok(ExitStatus::Ok)
        }
    }
}

fn read_existing(file: &Path) -> Result<Option<String>, CommandError> {
    match std::fs::read_to_string(file) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(CommandError::invalid(miette!(
            "cannot read {}: {e}",
            file.display()
        ))),
    }
}

/// Exit 1 with the difference when `file` does not hold `generated`.
fn check(file: &Path, existing: Option<&str>, generated: &str) -> ExitStatus {
    let existing = existing.unwrap_or("");
    if existing == generated {
        printer::out(&format!("{}: up to date\n", file.display()));
        return ExitStatus::Ok;
    }
    printer::out(&diff::unified(file, existing, generated));
    printer::diagnostic(&miette!(
        help = "regenerate it with the same command and --write instead of --check",
        "{} is stale: its rules are not the ones the gateway and the plugin call for now",
        file.display()
    ));
    ExitStatus::Fails
}
