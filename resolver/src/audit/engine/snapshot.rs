//! Making a gateway snapshot ([`crate::snapshot`]): the gateway a request
//! names, its build reconstructed as the audit does (or read from its
//! binary), and every go.mod its module graph reads, recorded on the way.

use std::sync::Arc;

use super::gateway::gateway_from_spec;
use super::memo::TreeStamps;
use super::setup::{Setup, alone};
use super::trees::{StdLibrary, Trees};
use super::{AuditError, GatewaySpec, Host, Request};
use crate::audit::Mode;
use crate::audit::compare::Code;
use crate::gomod;
use crate::graph::discover::Project;
use crate::graph::{Inputs, ModMode};
use crate::snapshot::{BuildFacts, FORMAT, GatewayFacts, Recording, Snapshot, source_index};
use crate::source::ModuleSource;
use crate::source::summaries::SummaryCache;
use crate::source::verify::GoModSums;

/// The snapshot of the gateway `request.gateway` names, made by `tool`
/// (`tykdeps 0.1.0`).
///
/// # Errors
/// The gateway cannot be found or read, its module data cannot be fetched,
/// or the request names no gateway.
pub async fn make_snapshot(
    request: &Request,
    host: &dyn Host,
    tool: &str,
) -> Result<Snapshot, AuditError> {
    let project = Project {
        inputs: Inputs {
            mains: Vec::new(),
            work: None,
            mode: ModMode::Mod,
        },
        go_mod_sums: GoModSums::default(),
    };
    let sources = host.open_sources(&project, None)?;
    let recording = Arc::new(Recording::new(sources.checked));
    let source: Arc<dyn ModuleSource> = Arc::clone(&recording) as Arc<dyn ModuleSource>;
    let gomodcache = request.env.gomodcache().ok();
    let trees = Trees::new(
        Arc::clone(&source),
        gomodcache,
        StdLibrary::new(&request.target),
    );
    super::within(super::Deadline::start(request.deadline), host, async {
        let gateway = gateway_from_spec(&request.gateway, request, host, &source)
            .await?
            .ok_or_else(|| {
                AuditError::Usage(
                    "a snapshot needs a gateway: --gateway DIR|MODULE@VERSION|RELEASE or --gateway-bin FILE".to_owned(),
                )
            })?;
        let made_from = match &request.gateway {
            GatewaySpec::Binary { .. } => "binary",
            GatewaySpec::Dir(_) => "checkout",
            _ => "module",
        };
        let release = match &request.gateway {
            GatewaySpec::Reference { given, .. } => Some(given.clone()),
            _ => None,
        };
        let summaries = tokio::sync::RwLock::new(SummaryCache::disabled());
        let stamps = TreeStamps::default();
        let setup = Setup {
            host,
            mode: Mode::Standalone,
            plugin_inputs: alone(&gateway.main),
            gateway,
            plugins: Vec::new(),
            summaries: &summaries,
            request,
            stamps: &stamps,
        };
        let go = setup.gateway.main.go_mod.go.as_ref().map(|g| g.version.clone());
        let (build, _) = setup.gateway_build(&source, &trees, go.as_deref(), false).await?;
        if setup.gateway.binary.is_some() {
            // Its build is recorded; its graph is still what a workspace build reads.
            setup.resolve(&setup.plugin_inputs, &source).await?;
        }
        if let Some(error) = &build.error {
            return Err(AuditError::Usage(format!(
                "the gateway's packages cannot be listed: {error}"
            )));
        }
        let sources = if setup.gateway.binary.is_some() {
            None
        } else {
            trees
                .module_facts(&Code::Dir(setup.gateway.main.dir.clone()))
                .map(|mut stored| {
                    stored.dirs = source_index(&stored.dirs);
                    stored
                })
        };
        let gateway = &setup.gateway;
        let mut graph = recording.go_mods();
        // The gateway's own go.mod is a section of its own.
        if let Some(version) = &gateway.version {
            graph.remove(&format!("{}@{version}", gateway.main.path));
        }
        Ok(Snapshot {
            format: FORMAT,
            tool: tool.to_owned(),
            gateway: GatewayFacts {
                module: gateway.main.path.clone(),
                made_from: made_from.to_owned(),
                release,
                version: gateway.version.clone(),
                commit: gateway.identity.commit.clone(),
                commit_time: gateway.identity.commit_time.clone(),
                pseudo_version: gateway.identity.pseudo_version.clone(),
            },
            go_mod: gomod::format(&gateway.main.go_mod.syntax),
            go_sum: trees
                .main_tree(&gateway.main)
                .and_then(|tree| tree.read("go.sum").ok())
                .and_then(|bytes| String::from_utf8(bytes).ok())
                .unwrap_or_default(),
            graph,
            build: BuildFacts::of(&build.build),
            sources,
            integrity: std::collections::BTreeMap::new(),
        }
        .seal())
    })
    .await
}
