//! The static audit's front end: the flags and the environment turned into
//! the engine's [`Request`] once (nothing below sees clap), and the
//! [`Host`] the engine runs on here: the disk, the GOPROXY chain with its
//! deadline bookkeeping, git, the clock and the terminal's progress bar.

use std::path::Path;
use std::sync::Arc;

use miette::{Report, miette};
use tykdeps_resolver::audit::Identity;
use tykdeps_resolver::audit::config::{Config, DEFAULT_GATEWAY_MODULE};
use tykdeps_resolver::audit::engine::{
    self, Audit, AuditError, BuildMode, GatewaySpec, Host, Matrix, MatrixGateway, Request,
    ResolvedGateway, Sources,
};
use tykdeps_resolver::graph::discover::{self, Disk, Files, Project};
use tykdeps_resolver::graph::driver::Progress;
use tykdeps_resolver::snapshot::SnapshotFile;
use tykdeps_resolver::source::http::{HttpOptions, InFlight};
use tykdeps_resolver::source::metadata_cache::KeptAnswers;
use tykdeps_resolver::source::{self, BoxFuture, ModuleSource};
use tykdeps_resolver::version::release::GatewayRef;

use crate::args::{BuildModeArg, SourceArgs};
use crate::exit::CommandError;
use crate::load::{self, Bar};
use crate::settings::Settings;
use crate::{printer, vcs};

/// The request `args` make in `settings`, judged by `policy`. The gateway
/// is the flags', else tykdeps.toml's `[gateway]` (module, version or
/// snapshot), else the default module at the version the plugin requires.
/// Only one: several are a matrix ([`matrix_request`]).
pub(crate) fn request(
    args: &SourceArgs,
    settings: &Settings,
    policy: Option<Config>,
) -> Result<Request, CommandError> {
    let (mut request, gateways) = matrix_request(args, settings, policy)?;
    let count = gateways.len();
    let Some(gateway) = gateways.into_iter().next().filter(|_| count == 1) else {
        return Err(CommandError::invalid(miette!(
            "{count} gateways named: only `tykdeps audit` audits against several (the matrix)"
        )));
    };
    request.gateway = gateway.spec;
    Ok(request)
}

/// The request `args` make in `settings`, judged by `policy`, and the
/// gateways they name: each --gateway, then each --gateway-snapshot (or
/// --gateway-bin), else tykdeps.toml's, else the required one. The
/// request's own gateway is [`GatewaySpec::Required`].
pub(crate) fn matrix_request(
    args: &SourceArgs,
    settings: &Settings,
    policy: Option<Config>,
) -> Result<(Request, Vec<MatrixGateway>), CommandError> {
    let start = load::absolute(args.dir.as_deref().unwrap_or(Path::new(".")))?;
    let plugins = args
        .plugin
        .iter()
        .map(|dir| load::absolute(dir).map(|d| discover::clean(&d)))
        .collect::<Result<_, _>>()?;
    let gateway_module = args
        .gateway_module
        .clone()
        .or_else(|| policy.as_ref().map(|p| p.gateway_module.clone()))
        .unwrap_or_else(|| DEFAULT_GATEWAY_MODULE.to_owned());
    let gateways = gateways(args, policy.as_ref(), &gateway_module)?;
    let snapshots = |g: &MatrixGateway| matches!(g.spec, GatewaySpec::Snapshot(_));
    let build_mode = match args.build_mode {
        Some(BuildModeArg::Workspace) if !gateways.iter().all(snapshots) => {
            return Err(CommandError::invalid(miette!(
                "--build-mode workspace needs a gateway snapshot (--gateway-snapshot FILE); with a checkout, audit the go.work that uses it"
            )));
        }
        // Only a snapshot's gateway is assumed built in a workspace.
        Some(BuildModeArg::Workspace) | None => BuildMode::Workspace,
        Some(BuildModeArg::Standalone) => BuildMode::Standalone,
    };
    let request = Request {
        start,
        env: settings.env.clone(),
        target: settings.target.clone(),
        gateway: GatewaySpec::Required,
        gateway_module,
        gateway_repo: args.gateway_repo.clone(),
        plugins,
        policy,
        metadata_ttl: args.network.metadata_ttl,
        refresh: args.network.refresh,
        deadline: std::time::Duration::from_secs(args.network.timeout),
        build_mode,
    };
    Ok((request, gateways))
}

/// The gateways the flags name, else the policy's, else the required one.
fn gateways(
    args: &SourceArgs,
    policy: Option<&Config>,
    module: &str,
) -> Result<Vec<MatrixGateway>, CommandError> {
    let named = |label: String, spec| MatrixGateway { label, spec };
    let mut flags = Vec::new();
    if let Some(file) = &args.gateway_bin {
        flags.push(named(file.display().to_string(), gateway_bin(file)?));
    }
    for flag in &args.gateway {
        flags.push(named(flag.clone(), flag_gateway(flag)?));
    }
    for file in &args.gateway_snapshot {
        flags.push(named(file.display().to_string(), snapshot(file)?));
    }
    if !flags.is_empty() {
        return Ok(flags);
    }
    let required = || vec![named("required".to_owned(), GatewaySpec::Required)];
    let Some(policy) = policy else {
        return Ok(required());
    };
    let base = Path::new(&policy.file_name)
        .parent()
        .unwrap_or(Path::new(""));
    let published = |version: &String| {
        named(
            version.clone(),
            GatewaySpec::Published {
                module: module.to_owned(),
                version: version.clone(),
            },
        )
    };
    let mut listed: Vec<MatrixGateway> = policy
        .gateway_version
        .iter()
        .chain(&policy.gateway_versions)
        .map(published)
        .collect();
    let files: Vec<&String> = policy
        .gateway_snapshot
        .iter()
        .chain(&policy.gateway_snapshots)
        .collect();
    for file in files {
        listed.push(named(file.clone(), snapshot(&base.join(file))?));
    }
    Ok(if listed.is_empty() {
        required()
    } else {
        listed
    })
}

/// The snapshot `file`, read and checked once the audit's output memo has
/// not answered (exit 2 naming the field at fault).
pub(crate) fn snapshot(file: &Path) -> Result<GatewaySpec, CommandError> {
    let path = discover::clean(&load::absolute(file)?);
    Ok(GatewaySpec::Snapshot(SnapshotFile::new(
        file.display().to_string(),
        path,
    )))
}

/// `--gateway-bin FILE`.
fn gateway_bin(file: &Path) -> Result<GatewaySpec, CommandError> {
    let binary = super::audit::binary(file).map_err(|e| {
        CommandError::new(
            e.status,
            e.report
                .wrap_err(format!("cannot audit against {}", file.display())),
        )
    })?;
    Ok(GatewaySpec::Binary {
        path: load::absolute(file)?,
        binary: Box::new(binary),
    })
}

/// One `--gateway`: a checkout directory, a snapshot file,
/// `MODULE@VERSION`, or a Tyk release or commit (`gateway resolve`'s ways).
fn flag_gateway(flag: &str) -> Result<GatewaySpec, CommandError> {
    let path = Path::new(flag);
    let exists = path.exists();
    if let Some((module, version)) = flag.split_once('@')
        && !exists
    {
        return Ok(GatewaySpec::Published {
            module: module.to_owned(),
            version: version.to_owned(),
        });
    }
    if !exists {
        let reference = GatewayRef::parse(flag).map_err(|e| {
            CommandError::invalid(miette!(
                "--gateway {flag}: no such directory, not MODULE@VERSION, and {e}"
            ))
        })?;
        return Ok(GatewaySpec::Reference {
            given: flag.to_owned(),
            reference,
        });
    }
    if path.is_file() {
        return snapshot(path);
    }
    Ok(GatewaySpec::Dir(discover::clean(&load::absolute(path)?)))
}

/// Run the audit `request` asks for. When the module data could not be
/// fetched, its cause goes to stderr and the report says `unknown`.
pub(crate) fn run(request: &Request, settings: &Settings) -> Result<Audit, CommandError> {
    let host = CliHost::new(settings);
    let mut audit = load::runtime()?.block_on(engine::run(request, &host))?;
    if let Some(cause) = audit.unfetched.take() {
        printer::diagnostic(&Report::new(cause));
    }
    Ok(audit)
}

/// Run the matrix `request` and `gateways` ask for. A cell whose module
/// data could not be fetched says `unknown`; its cause goes to stderr,
/// named by its gateway.
pub(crate) fn run_matrix(
    request: &Request,
    gateways: Vec<MatrixGateway>,
    settings: &Settings,
) -> Result<Matrix, CommandError> {
    let host = CliHost::new(settings);
    let mut matrix = load::runtime()?
        .block_on(engine::run_matrix(request, gateways, &host))
        .map_err(|e| {
            let gateway = e.gateway;
            let error = CommandError::from(e.cause);
            CommandError::new(
                error.status,
                error.report.wrap_err(format!("gateway {gateway}")),
            )
        })?;
    for cell in &mut matrix.cells {
        if let Some(cause) = cell.audit.unfetched.take() {
            printer::diagnostic(&Report::new(cause).wrap_err(format!("gateway {}", cell.gateway)));
        }
    }
    Ok(matrix)
}

/// The engine's host in this process.
pub(crate) struct CliHost<'a> {
    settings: &'a Settings,
    http: HttpOptions,
    in_flight: Arc<InFlight>,
    bar: Bar,
}

impl<'a> CliHost<'a> {
    pub(crate) fn new(settings: &'a Settings) -> Self {
        let http = HttpOptions::default();
        CliHost {
            settings,
            in_flight: Arc::clone(&http.in_flight),
            http,
            bar: Bar::default(),
        }
    }
}

impl Host for CliHost<'_> {
    fn files(&self) -> &dyn Files {
        &Disk
    }

    fn open_sources(
        &self,
        project: &Project,
        kept: Option<&Arc<KeptAnswers>>,
    ) -> Result<Sources, AuditError> {
        let cached = source::from_env(
            &self.settings.env,
            project.go_mod_sums.clone(),
            self.http.clone(),
            self.settings.netrc.as_deref(),
            kept,
        )
        .map_err(|e| AuditError::Sources(e.to_string()))?;
        let cached = Arc::new(cached);
        Ok(Sources {
            upstream: cached.upstream(),
            checked: cached,
        })
    }

    fn pending(&self) -> Vec<String> {
        self.in_flight.pending()
    }

    fn progress(&self) -> &dyn Progress {
        &self.bar
    }

    fn checkout(&self, dir: &Path, module: &str) -> Identity {
        vcs::of_checkout(dir, module)
    }

    fn resolve_gateway<'a>(
        &'a self,
        given: &'a str,
        reference: &'a GatewayRef,
        module: &'a str,
        repo: &'a str,
        source: &'a dyn ModuleSource,
    ) -> BoxFuture<'a, Result<ResolvedGateway, AuditError>> {
        Box::pin(async move {
            let resolved = super::gateway::resolve(given, reference, module, repo, source)
                .await
                .map_err(|e| AuditError::Gateway(e.report.to_string()))?;
            Ok(ResolvedGateway {
                identity: resolved.identity(),
                version: resolved.version,
            })
        })
    }

    fn now(&self) -> u64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs())
    }

    fn files_are_disk(&self) -> bool {
        true
    }
}
