//! `tykdeps snapshot`: the gateway side of an audit written to one file a
//! plugin repository commits (see `tykdeps_resolver::snapshot`), so the
//! audit and the pre-commit hook run with no gateway source and no network.

use miette::miette;
use tykdeps_resolver::atomic::{self, Durability};
use tykdeps_resolver::audit::engine::{self, GatewaySpec};

use super::source_audit::{self, CliHost};
use crate::args::SnapshotArgs;
use crate::exit::{CommandError, ExitStatus};
use crate::load;
use crate::printer;
use crate::settings::Settings;

pub(crate) fn run(args: &SnapshotArgs) -> Result<ExitStatus, CommandError> {
    let settings = Settings::from_env()?;
    let request = source_audit::request(&args.source, &settings, None)?;
    if matches!(
        request.gateway,
        GatewaySpec::Required | GatewaySpec::Snapshot(_)
    ) {
        return Err(CommandError::invalid(miette!(
            "which gateway? pass --gateway DIR|MODULE@VERSION|RELEASE or --gateway-bin FILE"
        )));
    }
    let host = CliHost::new(&settings);
    let tool = concat!("tykdeps ", env!("CARGO_PKG_VERSION"));
    let snapshot = load::runtime()?.block_on(engine::make_snapshot(&request, &host, tool))?;
    let bytes = snapshot.to_json();
    atomic::write(&args.output, &bytes, Durability::Durable).map_err(|e| {
        CommandError::invalid(miette!("cannot write {}: {e}", args.output.display()))
    })?;
    printer::out(&format!(
        "wrote {} ({} bytes): {} {}\n",
        args.output.display(),
        bytes.len(),
        snapshot.gateway.module,
        snapshot
            .gateway
            .version
            .as_deref()
            .or(snapshot.gateway.pseudo_version.as_deref())
            .unwrap_or("(checkout)")
    ));
    Ok(ExitStatus::Ok)
}
