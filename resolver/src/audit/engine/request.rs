//! What a front end hands the audit: the [`Request`] (plain values, turned
//! from its flags and environment once) and the [`Host`] (everything the
//! audit asks of the world outside the process). Nothing here knows of a
//! command line, so a hook or a bot builds the same values.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use super::AuditError;
use super::builds::BuildTarget;
use crate::audit::Identity;
use crate::audit::config::Config;
use crate::buildinfo::predict::Binary;
use crate::goenv::GoEnv;
use crate::graph::discover::{Files, Project};
use crate::graph::driver::Progress;
use crate::snapshot::SnapshotFile;
use crate::source::metadata_cache::KeptAnswers;
use crate::source::{BoxFuture, ModuleSource};
use crate::version::release::GatewayRef;

/// One audit to run.
#[derive(Debug, Clone)]
pub struct Request {
    /// The plugin module or the workspace, as an absolute directory (its
    /// go.mod or go.work is searched upward, as go does).
    pub start: PathBuf,
    /// The Go environment the plugin is built in.
    pub env: GoEnv,
    /// What the plugin is built for.
    pub target: BuildTarget,
    /// Which gateway.
    pub gateway: GatewaySpec,
    /// The gateway's module path.
    pub gateway_module: String,
    /// The gateway's git repository, whose tags name its releases.
    pub gateway_repo: String,
    /// In a workspace, the plugin directories to audit (absolute, clean);
    /// none for every module that is not the gateway.
    pub plugins: Vec<PathBuf>,
    /// The project's policy (`tykdeps.toml`), applied to the report.
    pub policy: Option<Config>,
    /// Seconds the module proxy's version lists and `@latest` answers are kept.
    pub metadata_ttl: u64,
    /// Ask the module proxy again, whatever answers are kept.
    pub refresh: bool,
    /// The deadline for the run's network work (none when zero).
    pub deadline: Duration,
    /// How a plugin outside a workspace is built against a snapshot's gateway.
    pub build_mode: BuildMode,
}

/// How a plugin module (not a workspace) is assumed built.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BuildMode {
    /// In a go.work with the gateway's source, as the docs' flow and Tyk's
    /// plugin compiler (since 5.1) build: the plugin's requirements raise
    /// modules the gateway shares. Needs a gateway whose go.mod is at hand
    /// without its module data: a snapshot.
    Workspace,
    /// On its own, against the gateway module version it requires.
    Standalone,
}

/// Which gateway the plugins are audited against.
#[derive(Debug, Clone)]
pub enum GatewaySpec {
    /// The workspace's gateway module, else the version the plugin requires.
    Required,
    /// A checkout (absolute, clean).
    Dir(PathBuf),
    /// A published `module@version`.
    Published {
        /// The module path.
        module: String,
        /// Its version.
        version: String,
    },
    /// A Tyk release or commit, resolved by the [`Host`].
    Reference {
        /// As the user spelled it.
        given: String,
        /// As parsed.
        reference: GatewayRef,
    },
    /// A gateway snapshot (`tykdeps snapshot`), read once the output memo
    /// has not answered.
    Snapshot(SnapshotFile),
    /// A built gateway, as its build info records it.
    Binary {
        /// The file, absolute.
        path: PathBuf,
        /// What it says.
        binary: Box<Binary>,
    },
}

/// The module sources, checked against the main module's go.sum.
pub struct Sources {
    /// The module cache in front of the GOPROXY chain: go.mod files and zips.
    pub checked: Arc<dyn ModuleSource>,
    /// The chain itself, which the metadata questions (versions, `@latest`) ask.
    pub upstream: Arc<dyn ModuleSource>,
}

/// A Tyk release or commit resolved to a published version.
#[derive(Debug, Clone)]
pub struct ResolvedGateway {
    /// The module version.
    pub version: String,
    /// The commit it is.
    pub identity: Identity,
}

/// What the audit asks of the program running it.
pub trait Host: Sync {
    /// The files it reads (go.mod, go.sum, go.work).
    fn files(&self) -> &dyn Files;

    /// The module sources, checking fetched go.mod files against `project`'s
    /// go.sum; proxies' refusals of exact versions kept in `kept` when given.
    ///
    /// # Errors
    /// The environment names sources that cannot be used.
    fn open_sources(
        &self,
        project: &Project,
        kept: Option<&Arc<KeptAnswers>>,
    ) -> Result<Sources, AuditError>;

    /// The network requests under way, named when the deadline passes.
    fn pending(&self) -> Vec<String>;

    /// Where resolution progress is shown.
    fn progress(&self) -> &dyn Progress;

    /// The commit the checkout `dir` of `module` is at.
    fn checkout(&self, dir: &Path, module: &str) -> Identity;

    /// Resolve a Tyk release or commit (`given` as spelled) to a version
    /// of `module`, through the repository `repo`'s tags and `source`.
    ///
    /// # Errors
    /// No way answered ([`AuditError::Gateway`]).
    fn resolve_gateway<'a>(
        &'a self,
        given: &'a str,
        reference: &'a GatewayRef,
        module: &'a str,
        repo: &'a str,
        source: &'a dyn ModuleSource,
    ) -> BoxFuture<'a, Result<ResolvedGateway, AuditError>>;

    /// Seconds since the Unix epoch.
    fn now(&self) -> u64;

    /// Whether [`Host::files`] are the files on disk as they are (no
    /// overlay of planned edits), so the audit output memo, which stamps
    /// them there, may answer for them.
    fn files_are_disk(&self) -> bool {
        false
    }
}
