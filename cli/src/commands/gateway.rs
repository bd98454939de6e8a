//! `tykdeps gateway resolve REF`: the gateway module version of a Tyk
//! release (`v5.3.6`, `5.3.6`, `release-5.3.6`) or a commit, as `--gateway`
//! resolves it (`tykdeps_resolver::source::release`).

use miette::miette;
use tykdeps_resolver::source::ModuleSource;
use tykdeps_resolver::source::http::HttpOptions;
use tykdeps_resolver::source::release::{self, Resolved};
use tykdeps_resolver::version::release::GatewayRef;

use crate::args::GatewayResolveArgs;
use crate::exit::{CommandError, ExitStatus};
use crate::load;
use crate::printer;
use crate::settings::Settings;

pub(crate) fn run(args: &GatewayResolveArgs) -> Result<ExitStatus, CommandError> {
    printer::finish(resolve_command(args))
}

fn resolve_command(args: &GatewayResolveArgs) -> Result<String, CommandError> {
    let reference =
        GatewayRef::parse(&args.reference).map_err(|e| CommandError::invalid(miette!("{e}")))?;
    let settings = Settings::from_env()?;
    let source = load::cached_source(&settings, None, HttpOptions::default())?;
    let resolved = load::runtime()?.block_on(resolve(
        &args.reference,
        &reference,
        &args.repo.gateway_module,
        &args.repo.gateway_repo,
        source.as_ref(),
    ))?;
    Ok(tykdeps_render::gateway::resolved(&resolved, args.json))
}

/// [`release::resolve`]; exit 3 when no way answers.
pub(crate) async fn resolve(
    given: &str,
    reference: &GatewayRef,
    module: &str,
    repo: &str,
    source: &dyn ModuleSource,
) -> Result<Resolved, CommandError> {
    release::resolve(given, reference, module, repo, source)
        .await
        .map_err(|e| CommandError::new(ExitStatus::CouldNotCheck, miette::Report::new(e)))
}
