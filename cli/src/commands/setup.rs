//! `tykdeps setup`: finds the gateway (a checkout, `MODULE@VERSION`, or a
//! Tyk release or commit), has the library plan the workspace from the disk
//! and carry the plan out ([`tykdeps_resolver::setup::disk`]), then audits
//! the workspace and prints the commands that build and load the plugin.

use std::path::Path;

use miette::miette;
use tykdeps_resolver::audit::engine::{BuildMode, GatewaySpec, Request};
use tykdeps_resolver::graph::discover;
use tykdeps_resolver::setup::Target;
use tykdeps_resolver::setup::disk::{self, Gateway, SetupError};
use tykdeps_resolver::source::http::HttpOptions;
use tykdeps_resolver::version::release::GatewayRef;

use super::{audit, gateway, source_audit};
use crate::args::{SetupArgs, SourceArgs};
use crate::exit::{CommandError, ExitStatus};
use crate::settings::Settings;
use crate::{load, printer};

pub(crate) fn run(args: &SetupArgs) -> Result<ExitStatus, CommandError> {
    let settings = Settings::from_env()?;
    let plugin_dir = discover::clean(&load::absolute(
        args.plugin_dir.as_deref().unwrap_or(Path::new("plugin")),
    )?);
    let root = plugin_dir
        .parent()
        .ok_or_else(|| {
            CommandError::invalid(miette!(
                "{}: no parent directory to hold go.work",
                plugin_dir.display()
            ))
        })?
        .to_path_buf();
    let gateway = find_gateway(args, &settings, &root)?;
    let target = Target {
        goos: settings.target.goos.clone(),
        goarch: settings.target.goarch.clone(),
        cgo_enabled: settings.target.cgo_enabled,
    };
    let plan = disk::plan(&root, &plugin_dir, &gateway, &target).map_err(failed)?;
    let text = tykdeps_render::setup::actions(&plan, args.dry_run);
    let commands = tykdeps_render::setup::commands(&plan);
    if args.dry_run {
        printer::out(&(text + &commands));
        return Ok(ExitStatus::Ok);
    }
    for action in &plan.actions {
        disk::carry_out(action, &gateway, &root).map_err(failed)?;
    }
    printer::out(&text);
    let request = audit_request(args, &settings, &root, &plugin_dir, &gateway.module)?;
    let report = source_audit::run(&request, &settings)?.report;
    let status = audit::print(&report, crate::args::Format::Human, false, None);
    printer::out(&commands);
    Ok(status)
}

/// A setup error's exit status: 1 when tidy refused the plugin, 3 when the
/// go command could not fetch, else 2.
fn failed(e: SetupError) -> CommandError {
    let status = match e {
        SetupError::Invalid(_) => ExitStatus::Invalid,
        SetupError::Go(_) => ExitStatus::CouldNotCheck,
        SetupError::Tidy(_) => ExitStatus::Fails,
    };
    CommandError::new(status, miette::Report::new(e))
}

/// The audit of the workspace setup made, built as `audit`'s is (one home
/// for the flags and the environment: `--timeout`, `TYKDEPS_TIMEOUT`,
/// `--metadata-ttl`, tykdeps.toml). The gateway is the checkout the go.work
/// at `root` uses, whatever a policy names.
fn audit_request(
    args: &SetupArgs,
    settings: &Settings,
    root: &Path,
    plugin_dir: &Path,
    gateway_module: &str,
) -> Result<Request, CommandError> {
    let source = SourceArgs {
        dir: Some(root.to_path_buf()),
        gateway: Vec::new(),
        gateway_repo: args.repo.gateway_repo.clone(),
        gateway_module: Some(gateway_module.to_owned()),
        gateway_snapshot: Vec::new(),
        build_mode: None,
        plugin: vec![plugin_dir.to_path_buf()],
        gateway_bin: None,
        network: args.network.clone(),
    };
    let request = source_audit::request(&source, settings, audit::policy(None)?)?;
    Ok(Request {
        gateway: GatewaySpec::Required,
        build_mode: BuildMode::Standalone,
        ..request
    })
}

/// The gateway `--gateway` names: a checkout, or a version whose source
/// goes beside the plugin.
fn find_gateway(
    args: &SetupArgs,
    settings: &Settings,
    root: &Path,
) -> Result<Gateway, CommandError> {
    let given = Path::new(&args.gateway);
    if given.is_dir() {
        return disk::checkout(discover::clean(&load::absolute(given)?)).map_err(failed);
    }
    let (module, version) = if let Some((module, version)) = args.gateway.split_once('@') {
        (module.to_owned(), version.to_owned())
    } else {
        let reference = GatewayRef::parse(&args.gateway).map_err(|e| {
            CommandError::invalid(miette!(
                "--gateway {}: no such directory, not MODULE@VERSION, and {e}",
                args.gateway
            ))
        })?;
        let source = load::cached_source(settings, None, HttpOptions::default())?;
        let resolved = load::runtime()?.block_on(gateway::resolve(
            &args.gateway,
            &reference,
            &args.repo.gateway_module,
            &args.repo.gateway_repo,
            source.as_ref(),
        ))?;
        (resolved.module, resolved.version)
    };
    disk::beside(root, module, version).map_err(failed)
}

#[cfg(test)]
mod tests {
    use clap::Parser as _;

    use super::*;
    use crate::args::{Cli, Command};

    fn setup_args(flags: &[&str]) -> SetupArgs {
        let line = ["tykdeps", "setup", "--gateway", "v5.3.6"];
        match Cli::try_parse_from(line.iter().chain(flags))
            .unwrap()
            .command
        {
            Command::Setup(args) => args,
            other => panic!("parsed as {other:?}"),
        }
    }

    #[test]
    fn the_audit_after_setup_takes_the_network_flags_as_audit_does() {
        let settings = Settings::from_env().unwrap();
        let root = std::env::temp_dir();
        let plugin = root.join("plugin");
        let request = |flags: &[&str]| {
            audit_request(
                &setup_args(flags),
                &settings,
                &root,
                &plugin,
                "example.com/gw",
            )
            .unwrap()
        };
        let set = request(&["--timeout", "7s", "--metadata-ttl", "1h", "--refresh"]);
        assert_eq!(set.deadline, std::time::Duration::from_secs(7));
        assert_eq!(set.metadata_ttl, 3600);
        assert!(set.refresh);
        assert_eq!(set.plugins, std::slice::from_ref(&plugin));
        assert_eq!(set.gateway_module, "example.com/gw");
        assert!(matches!(set.gateway, GatewaySpec::Required));
        let defaults = request(&[]);
        assert_eq!(defaults.metadata_ttl, 24 * 3600);
        assert!(!defaults.refresh);
    }
}
