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
    self, Audit, AuditError, BuildMode, GatewaySpec, Host, Request, ResolvedGateway, Sources,
};
use tykdeps_resolver::graph::discover::{self, Disk, Files, Project};
use tykdeps_resolver::graph::driver::Progress;
use tykdeps_resolver::snapshot::Snapshot;
use tykdeps_resolver::source::http::{HttpOptions, InFlight};
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
pub(crate) fn request(
    args: &SourceArgs,
    settings: &Settings,
    policy: Option<Config>,
) -> Result<Request, CommandError> {
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
    let gateway = gateway(args, policy.as_ref(), &gateway_module)?;
    let build_mode = match (args.build_mode, &gateway) {
        (Some(BuildModeArg::Workspace), GatewaySpec::Snapshot { .. })
        | (None, GatewaySpec::Snapshot { .. }) => BuildMode::Workspace,
        (Some(BuildModeArg::Workspace), _) => {
            return Err(CommandError::invalid(miette!(
                "--build-mode workspace needs a gateway snapshot (--gateway-snapshot FILE); with a checkout, audit the go.work that uses it"
            )));
        }
        (Some(BuildModeArg::Standalone) | None, _) => BuildMode::Standalone,
    };
    Ok(Request {
        start,
        env: settings.env.clone(),
        target: settings.target.clone(),
        gateway,
        gateway_module,
        gateway_repo: args.gateway_repo.clone(),
        plugins,
        policy,
        metadata_ttl: args.network.metadata_ttl,
        refresh: args.network.refresh,
        deadline: std::time::Duration::from_secs(args.network.timeout),
        build_mode,
    })
}

/// The gateway the flags name, else the policy's.
fn gateway(
    args: &SourceArgs,
    policy: Option<&Config>,
    module: &str,
) -> Result<GatewaySpec, CommandError> {
    if let Some(file) = &args.gateway_snapshot {
        return snapshot(file);
    }
    if args.gateway_bin.is_some() || args.gateway.is_some() {
        return flag_gateway(args);
    }
    let Some(policy) = policy else {
        return Ok(GatewaySpec::Required);
    };
    if let Some(file) = &policy.gateway_snapshot {
        let base = Path::new(&policy.file_name)
            .parent()
            .unwrap_or(Path::new(""));
        return snapshot(&base.join(file));
    }
    Ok(policy
        .gateway_version
        .clone()
        .map_or(GatewaySpec::Required, |version| GatewaySpec::Published {
            module: module.to_owned(),
            version,
        }))
}

/// The snapshot `file`, read and checked (exit 2 naming the field at fault).
pub(crate) fn snapshot(file: &Path) -> Result<GatewaySpec, CommandError> {
    let path = discover::clean(&load::absolute(file)?);
    let text = std::fs::read_to_string(&path).map_err(|e| {
        CommandError::invalid(miette!(
            "cannot read the gateway snapshot {}: {e}",
            file.display()
        ))
    })?;
    let snapshot = Snapshot::parse(&file.display().to_string(), &text)
        .map_err(|e| CommandError::invalid(miette!("{e}")))?;
    Ok(GatewaySpec::Snapshot {
        path,
        snapshot: Box::new(snapshot),
    })
}

/// `--gateway-bin FILE`; `--gateway DIR`, `MODULE@VERSION`, or a Tyk
/// release or commit (`gateway resolve`'s ways); else the required one.
fn flag_gateway(args: &SourceArgs) -> Result<GatewaySpec, CommandError> {
    if let Some(file) = &args.gateway_bin {
        let binary = super::audit::binary(file).map_err(|e| {
            CommandError::new(
                e.status,
                e.report
                    .wrap_err(format!("cannot audit against {}", file.display())),
            )
        })?;
        return Ok(GatewaySpec::Binary {
            path: load::absolute(file)?,
            binary: Box::new(binary),
        });
    }
    let Some(flag) = &args.gateway else {
        return Ok(GatewaySpec::Required);
    };
    let exists = Path::new(flag).exists();
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
            given: flag.clone(),
            reference,
        });
    }
    Ok(GatewaySpec::Dir(discover::clean(&load::absolute(
        Path::new(flag),
    )?)))
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

    fn open_sources(&self, project: &Project) -> Result<Sources, AuditError> {
        let cached = source::from_env(
            &self.settings.env,
            project.go_mod_sums.clone(),
            self.http.clone(),
            self.settings.netrc.as_deref(),
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
}
