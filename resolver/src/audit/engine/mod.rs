//! The static audit: will the plugin load, judged from source before
//! anything is built. One entry, [`run`]: a [`Request`] and a [`Host`] in,
//! a [`Report`] with the project's policy applied out, so every front end
//! (`tykdeps audit`, `tykdeps fix`, hooks, bots) gives the same verdict.
//!
//! Two builds are reconstructed: the gateway as its releases are built (its
//! module alone, `-tags=goplugin`) and each plugin as the go command will
//! build it (standalone against the published gateway module, or in the
//! go.work that uses a gateway checkout). For each, the module graph comes
//! from the resolver, the versions really loaded from the go command's
//! loader rules ([`super::loader`]) and the linked packages from the import
//! declarations of the module sources (local directories, the module cache,
//! else zips fetched through the GOPROXY chain). The rules then compare the
//! packages both link; a pin is only offered as proven after the plugin's
//! graph is resolved again with it.
//!
//! Everything outside the process goes through the [`Host`]: files, the
//! module sources, git, the clock, progress.

mod builds;
mod error;
mod gateway;
mod gateway_memo;
mod link;
mod matrix;
mod memo;
mod pins;
mod plugin;
mod queries;
mod request;
mod setup;
mod snapshot;
mod trees;
mod upgrade;

use std::path::PathBuf;
use std::sync::Arc;

pub use builds::{BuildTarget, Toolchain};
pub use error::AuditError;
pub use matrix::{
    CellError, Matrix, MatrixCell, MatrixGateway, OneBuild, PinConflict, PinNeed, run_matrix,
};
pub use request::{BuildMode, GatewaySpec, Host, Request, ResolvedGateway, Sources};
pub use snapshot::make_snapshot;
pub use upgrade::{GoModChange, GoModChangeKind, Move, PluginUpgrade, Upgrade, upgrade};

use super::{Finding, Gateway, Mode, PluginReport, Report, RuleId, Severity, Verdict};
use crate::graph::discover::{Mirror, Project};
use crate::snapshot::{SnapshotFile, SnapshotSource};
use crate::source::ModuleSource;
use crate::source::metadata_cache::{self, Freshness, KeptAnswers, MetadataSource};
use crate::source::summaries::SummaryCache;
use memo::TreeStamps;
use setup::Setup;
use trees::StdLibrary;
use trees::Trees;

/// What the audit saw, for a front end to print and `fix` to edit.
#[derive(Debug)]
pub struct Audit {
    /// The report, the request's policy applied.
    pub report: Report,
    /// Each plugin's go.mod, in the order of the report's plugins (none
    /// when the module data could not be fetched).
    pub plugin_go_mods: Vec<PathBuf>,
    /// Each plugin's ceilings for dependency bots (the modules it requires
    /// that the gateway links, at the gateway's versions), in the order of
    /// the report's plugins (none when the module data could not be fetched).
    pub ceilings: Vec<Vec<crate::bots::Ceiling>>,
    /// Why every plugin is `unknown`, when the module data could not be
    /// fetched: the report says so too, this is the full diagnostic.
    pub unfetched: Option<AuditError>,
}

/// Audit the module or workspace `request` names.
///
/// # Errors
/// The inputs cannot be found, read or parsed, the request is wrong for
/// them (exit 2 in the CLI). Module data that cannot be fetched is no
/// error: it makes the verdict unknown, as [`Audit::unfetched`] says.
pub async fn run(request: &Request, host: &dyn Host) -> Result<Audit, AuditError> {
    let project = Project::find(&request.start, &request.env, Mirror::List, host.files())?;
    let stamps = TreeStamps::default();
    let memo = host
        .files_are_disk()
        .then(|| memo::Memo::new(request, &project, [&request.gateway], host.now(), &stamps))
        .flatten();
    if let Some([audit]) = memo
        .as_ref()
        .and_then(memo::Memo::audits)
        .and_then(|a| <[Audit; 1]>::try_from(a).ok())
    {
        return Ok(audit);
    }
    let side = PluginSide::open(project, request, host, [&request.gateway], stamps)?;
    let audit = side.audit(request, host).await;
    side.save().await;
    if let (Some(memo), Ok(audit)) = (&memo, &audit) {
        memo.save([audit]);
    }
    audit
}

/// The plugin side of audits: its project, module sources, go.mod
/// summaries, proxy metadata and package facts, read once and shared by
/// every gateway it is audited against ([`run_matrix`]).
struct PluginSide {
    project: Project,
    summaries: tokio::sync::RwLock<SummaryCache>,
    metadata: Arc<MetadataSource>,
    source: Arc<dyn ModuleSource>,
    trees: Trees,
    /// The stamps of the directory trees the memos' keys cover.
    stamps: TreeStamps,
    /// The run's deadline, shared by every gateway's audit.
    deadline: Deadline,
}

impl PluginSide {
    /// Open the plugin side of `project`, for audits against `gateways`:
    /// the go.mod files their snapshots hold answer before the sources
    /// (a module version's go.mod is the same whichever snapshot holds it).
    fn open<'g>(
        project: Project,
        request: &Request,
        host: &dyn Host,
        gateways: impl IntoIterator<Item = &'g GatewaySpec>,
        stamps: TreeStamps,
    ) -> Result<Self, AuditError> {
        let gomodcache = request.env.gomodcache().ok();
        let summaries = tokio::sync::RwLock::new(project.summary_cache(gomodcache));
        let kept = Arc::new(KeptAnswers::open(
            gomodcache.map(metadata_cache::cache_file),
            Freshness {
                now: host.now(),
                ttl: request.metadata_ttl,
                refresh: request.refresh,
            },
        ));
        let sources = host.open_sources(&project, Some(&kept))?;
        let metadata = Arc::new(MetadataSource::new(
            sources.upstream,
            Arc::clone(&sources.checked),
            kept,
        ));
        let files: Vec<&SnapshotFile> = gateways
            .into_iter()
            .filter_map(|g| match g {
                GatewaySpec::Snapshot(file) => Some(file),
                _ => None,
            })
            .collect();
        let held = crate::snapshot::read_all(&files, host.files())?;
        let source: Arc<dyn ModuleSource> = if held.is_empty() {
            sources.checked
        } else {
            Arc::new(SnapshotSource::new(held.clone(), sources.checked))
        };
        let trees = Trees::new(
            Arc::clone(&source),
            gomodcache,
            StdLibrary::new(&request.target),
        );
        for (file, snapshot) in files.iter().zip(&held) {
            trees.preload(
                crate::audit::compare::Code::Dir(gateway::snapshot_dir(file.path())),
                snapshot.sources.as_ref(),
            );
        }
        Ok(PluginSide {
            project,
            summaries,
            metadata,
            source,
            trees,
            stamps,
            deadline: Deadline::start(request.deadline),
        })
    }

    /// The audit against `request.gateway`, `request`'s policy applied.
    async fn audit(&self, request: &Request, host: &dyn Host) -> Result<Audit, AuditError> {
        let inputs = self.project.inputs.clone();
        let virtual_workspace = matches!(request.gateway, GatewaySpec::Snapshot(_))
            && request.build_mode == BuildMode::Workspace;
        let mode = if inputs.work.is_some() || virtual_workspace {
            Mode::Workspace
        } else {
            Mode::Standalone
        };
        let mains: Vec<(String, String)> = inputs
            .mains
            .iter()
            .map(|m| (m.path.clone(), m.dir.clone()))
            .collect();
        let audited = within(self.deadline, host, async {
            let setup = Setup::find(
                request,
                host,
                inputs,
                &self.source,
                &self.summaries,
                &self.stamps,
            )
            .await?;
            setup.audit(&self.source, &self.metadata, &self.trees).await
        })
        .await;
        let mut audit = match audited {
            Err(cause) if cause.could_not_check() => unfetched(request, mode, &mains, cause),
            other => other?,
        };
        if let Some(policy) = &request.policy {
            audit.report = policy.apply(audit.report);
        }
        Ok(audit)
    }

    /// Keep what was learnt for the next run. The caches are shortcuts only:
    /// failing to write them changes no answer.
    async fn save(&self) {
        let _ = self.metadata.kept().save();
        self.trees.save_facts();
        let _ = self.summaries.read().await.save();
    }
}

/// The one deadline of a run's network work: `limit` after the run began
/// (none when zero), however many audits the run holds.
#[derive(Debug, Clone, Copy)]
struct Deadline {
    limit: std::time::Duration,
    at: Option<std::time::Instant>,
}

impl Deadline {
    /// The deadline of a run beginning now.
    fn start(limit: std::time::Duration) -> Self {
        let at = (!limit.is_zero()).then(|| std::time::Instant::now() + limit);
        Self { limit, at }
    }
}

/// Run `work` within `deadline`; past it, the run is over, naming the
/// requests still under way.
async fn within<T>(
    deadline: Deadline,
    host: &dyn Host,
    work: impl Future<Output = Result<T, AuditError>>,
) -> Result<T, AuditError> {
    let Some(at) = deadline.at else {
        return work.await;
    };
    // Polled by reference, so the requests still under way are still
    // counted when the deadline passes.
    let mut work = std::pin::pin!(work);
    tokio::time::timeout_at(at.into(), work.as_mut())
        .await
        .unwrap_or_else(|_| {
            let pending = host.pending();
            let waiting = if pending.is_empty() {
                String::new()
            } else {
                format!("; no answer yet from:\n\t{}", pending.join("\n\t"))
            };
            Err(AuditError::Deadline {
                seconds: deadline.limit.as_secs(),
                waiting,
            })
        })
}

/// The report when module data could not be fetched: every plugin is
/// `unknown`, and says why (the full diagnostic is [`Audit::unfetched`]),
/// so a reader of JSON, SARIF or Markdown still gets a verdict.
fn unfetched(
    request: &Request,
    mode: Mode,
    mains: &[(String, String)],
    cause: AuditError,
) -> Audit {
    let finding = Finding {
        rule: RuleId::FetchFailed,
        severity: Severity::Warning,
        module: None,
        gateway_version: None,
        plugin_version: None,
        packages: Vec::new(),
        message: cause.to_string(),
        why: "without the module data the two builds cannot be reconstructed".to_owned(),
        suggestions: Vec::new(),
        location: None,
    };
    let plugins = mains
        .iter()
        .filter(|(path, _)| *path != request.gateway_module)
        .map(|(path, dir)| PluginReport {
            module: Some(path.clone()),
            dir: dir.clone(),
            verdict: Verdict::Unknown,
            loader_message: None,
            findings: vec![finding.clone()],
        })
        .collect();
    let gateway = Gateway {
        module: Some(request.gateway_module.clone()),
        ..Gateway::default()
    };
    Audit {
        report: Report::new(mode, gateway, Vec::new(), plugins),
        plugin_go_mods: Vec::new(),
        ceilings: Vec::new(),
        unfetched: Some(cause),
    }
}
