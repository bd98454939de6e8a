//! The gateway and the plugins to audit, found from the request and the
//! main modules, and the audit's run over them: the gateway's build, each
//! plugin's build (standalone or in the workspace), their findings.

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::builds::{Configs, assumed_build, gateway_config, plugin_config};
use super::gateway::{gateway_from_spec, remote_gateway};
use super::gateway_memo::GatewayMemo;
use super::link::{Side, SideBuild};
use super::memo::TreeStamps;
use super::plugin::PluginAudit;
use super::trees::Trees;
use super::{Audit, AuditError, BuildMode, GatewaySpec, Host, Request};
use crate::audit::compare::{Build, Code};
use crate::audit::{Gateway, Identity, Mode, Report, loader};
use crate::bots;
use crate::gomod::{self, ModFile, SumFile};
use crate::graph::discover::{self, Files};
use crate::graph::driver::resolve_in;
use crate::graph::{Inputs, MainModule, ModKey, ModMode, ModuleGraph, Workspace};
use crate::metadata;
use crate::packages::{BuildConfig, PackageError};
use crate::source::ModuleSource;
use crate::source::metadata_cache::MetadataSource;
use crate::source::summaries::SummaryCache;

/// The gateway and the plugins to audit, and how the plugins are built.
pub(super) struct Setup<'a> {
    pub(super) host: &'a dyn Host,
    pub(super) mode: Mode,
    pub(super) gateway: GatewaySource,
    pub(super) plugins: Vec<MainModule>,
    /// The plugins' build: a workspace with the gateway, or one plugin alone.
    pub(super) plugin_inputs: Inputs,
    /// go.mod summaries kept between runs, shared by every graph resolved
    /// (read by several at once, written after each).
    pub(super) summaries: &'a tokio::sync::RwLock<SummaryCache>,
    /// The request: what the builds are for, and the environment.
    pub(super) request: &'a Request,
    /// The stamps of the directory trees the memos' keys cover.
    pub(super) stamps: &'a TreeStamps,
}

/// Where the gateway's source comes from.
pub(super) struct GatewaySource {
    pub(super) main: MainModule,
    /// The published version, for a gateway fetched through the sources.
    pub(super) version: Option<String>,
    /// The build a gateway binary records, which then replaces the
    /// reconstructed one (`main.go_mod` is what its build info says).
    pub(super) binary: Option<Build>,
    /// Whether `main.go_mod` stands for a binary's build info, whose
    /// toolchain is then known exactly (a binary, or a snapshot of one).
    pub(super) from_build_info: bool,
    /// The commit it comes from, for the report.
    pub(super) identity: Identity,
    /// The go.sum recorded with `binary` (a snapshot's), with its name:
    /// the go.sum rules read it as they read a checkout's.
    pub(super) recorded_sum: Option<(SumFile, String)>,
}

impl<'a> Setup<'a> {
    pub(super) async fn find(
        request: &'a Request,
        host: &'a dyn Host,
        inputs: Inputs,
        source: &Arc<dyn ModuleSource>,
        summaries: &'a tokio::sync::RwLock<SummaryCache>,
        stamps: &'a TreeStamps,
    ) -> Result<Self, AuditError> {
        let module = request.gateway_module.as_str();
        let setup = |mode, gateway, plugins, plugin_inputs| Setup {
            host,
            mode,
            gateway,
            plugins,
            plugin_inputs,
            summaries,
            request,
            stamps,
        };
        if inputs.work.is_some() {
            let (gateways, plugins): (Vec<MainModule>, Vec<MainModule>) =
                inputs.mains.iter().cloned().partition(|m| m.path == module);
            let main = match (&request.gateway, gateways.into_iter().next()) {
                (GatewaySpec::Required, Some(main)) => GatewaySource {
                    identity: host.checkout(Path::new(&main.dir), &main.path),
                    main,
                    version: None,
                    binary: None,
                    from_build_info: false,
                    recorded_sum: None,
                },
                (GatewaySpec::Required, None) => {
                    return Err(AuditError::Usage(format!(
                        "the workspace uses no module {module}: add the gateway checkout to go.work, or pass --gateway DIR and --gateway-module PATH"
                    )));
                }
                (spec, _) => gateway_from_spec(spec, request, host, source)
                    .await?
                    .expect("a gateway other than the required one"),
            };
            let plugins = select_plugins(plugins, &request.plugins)?;
            return Ok(setup(Mode::Workspace, main, plugins, inputs));
        }
        let plugin = inputs.mains[0].clone();
        let gateway = if let Some(gateway) =
            gateway_from_spec(&request.gateway, request, host, source).await?
        {
            gateway
        } else {
            let version = loader::root_versions(&plugin.go_mod).remove(module).ok_or_else(|| {
                AuditError::Usage(format!(
                    "{} does not require the gateway module {module}: pass --gateway MODULE@VERSION or --gateway DIR (or --gateway-module PATH)",
                    plugin.path
                ))
            })?;
            remote_gateway(module, &version, source).await?
        };
        if matches!(request.gateway, GatewaySpec::Snapshot(_))
            && request.build_mode == BuildMode::Workspace
        {
            let work = assumed_workspace(&gateway.main, &plugin)?;
            return Ok(setup(Mode::Workspace, gateway, vec![plugin], work));
        }
        Ok(setup(Mode::Standalone, gateway, vec![plugin], inputs))
    }

    /// Each plugin's ceilings for dependency bots.
    fn ceilings(&self, gateway: &Build, report: &Report) -> Vec<Vec<bots::Ceiling>> {
        let version = report.gateway.shown_version();
        let module = &self.gateway.main.path;
        self.plugins
            .iter()
            .map(|p| bots::ceilings(gateway, module, version, &p.go_mod))
            .collect()
    }

    pub(super) async fn audit(
        self,
        source: &Arc<dyn ModuleSource>,
        metadata: &Arc<MetadataSource>,
        trees: &Trees,
    ) -> Result<Audit, AuditError> {
        for plugin in &self.plugins {
            if let Some((sum, _)) = read_sum(Path::new(&plugin.dir), self.host.files())? {
                trees.add_sums(&sum);
            }
        }
        let gateway_go = self
            .gateway
            .main
            .go_mod
            .go
            .as_ref()
            .map(|g| g.version.clone());
        let (gateway_build, gateway_sum) = self
            .gateway_build(source, trees, gateway_go.as_deref(), true)
            .await?;
        let workspace_graph = match self.mode {
            Mode::Workspace => Some(self.resolve(&self.plugin_inputs, source).await?),
            _ => None,
        };
        let assumed = assumed_build(&self.request.target);
        let mut reports = Vec::new();
        let configs = Configs {
            gateway: gateway_config(&self.request.target, gateway_go.as_deref()),
            plugin: plugin_config(&self.request.target, gateway_go.as_deref()),
        };
        for plugin in &self.plugins {
            let config = configs.plugin.clone();
            let (plugin_graph, plugin_build) = if let Some(graph) = &workspace_graph {
                let side = Side::new(plugin, graph, false);
                let build = side
                    .build(trees, source, config, &[plugin], self.host.files())
                    .await;
                (Cow::Borrowed(graph), build)
            } else {
                let (graph, build) = self.standalone(trees, source, config).await?;
                (Cow::Owned(graph), build)
            };
            let audit = PluginAudit {
                plugin,
                graph: &plugin_graph,
                workspace: self.mode == Mode::Workspace
                    && self
                        .plugin_inputs
                        .mains
                        .iter()
                        .any(|m| m.path == self.gateway.main.path),
                work: self.plugin_inputs.work.as_ref(),
                gateway_from_binary: self.gateway.from_build_info,
                gotoolchain: &self.request.target.gotoolchain,
                gateway: &self.gateway.main,
                gateway_build: &gateway_build,
                gateway_sum: gateway_sum.as_deref(),
                configs: &configs,
                assumed: &assumed,
            };
            let mut report = audit
                .report(&plugin_build, trees, metadata, self.host.files())
                .await?;
            self.prove_pins(plugin, &mut report.findings, &gateway_build, source)
                .await;
            reports.push(report);
        }
        let tampered = trees.tampered();
        if !tampered.is_empty() {
            return Err(AuditError::Tampered(tampered));
        }
        let report = Report::new(
            self.mode,
            self.gateway.identity.clone().fill(Gateway {
                module: Some(self.gateway.main.path.clone()),
                version: self.gateway.version.clone(),
                dir: (self.gateway.version.is_none()).then(|| self.gateway.main.dir.clone()),
                ..Gateway::default()
            }),
            Vec::new(),
            reports,
        )
        .assuming(assumed);
        Ok(Audit {
            ceilings: self.ceilings(&gateway_build.build, &report),
            report,
            plugin_go_mods: self
                .plugins
                .iter()
                .map(|p| Path::new(&p.dir).join("go.mod"))
                .collect(),
            unfetched: None,
        })
    }

    /// The module graph of `inputs`, through the shared summary cache.
    pub(super) async fn resolve(
        &self,
        inputs: &Inputs,
        source: &Arc<dyn ModuleSource>,
    ) -> Result<ModuleGraph, AuditError> {
        let (resolved, fetched) = resolve_in(
            inputs,
            source,
            &*self.summaries.read().await,
            self.host.files(),
            self.host.progress(),
        )
        .await;
        // Not asked for when there is nothing to record: a write waits for
        // every resolution under way on other threads.
        if !fetched.is_empty() {
            fetched.record_in(&mut *self.summaries.write().await);
        }
        resolved.map(|(graph, _)| graph).map_err(AuditError::Graph)
    }

    /// The gateway's build, and its go.sum: as its binary records them, or
    /// reconstructed from its source like a release build, or as the
    /// gateway build memo kept it when `memo` (a snapshot is made from what
    /// the build reads, so it never asks the memo).
    pub(super) async fn gateway_build(
        &self,
        source: &Arc<dyn ModuleSource>,
        trees: &Trees,
        go: Option<&str>,
        memo: bool,
    ) -> Result<(SideBuild, Option<Cow<'_, (SumFile, String)>>), AuditError> {
        if let Some(build) = &self.gateway.binary {
            let build = SideBuild {
                build: build.clone(),
                error: None,
                roots_unread: false,
            };
            if let Some((sum, _)) = &self.gateway.recorded_sum {
                trees.add_sums(sum);
            }
            return Ok((build, self.gateway.recorded_sum.as_ref().map(Cow::Borrowed)));
        }
        let gateway_root = BTreeSet::from([Code::Dir(self.gateway.main.dir.clone())]);
        trees.fetch(gateway_root).await;
        // Read when the build is known: a gateway whose graph cannot be
        // resolved never needs it.
        let gateway_sum = || {
            let sum = read_gateway_sum(&self.gateway, trees);
            if let Some((sum, _)) = &sum {
                trees.add_sums(sum);
            }
            sum.map(Cow::Owned)
        };
        let config = gateway_config(&self.request.target, go);
        let memo = (memo && self.host.files_are_disk())
            .then(|| {
                GatewayMemo::new(
                    self.request,
                    &self.gateway,
                    &config,
                    &trees.std,
                    self.stamps,
                )
            })
            .flatten();
        if let Some(build) = memo.as_ref().and_then(GatewayMemo::build) {
            return Ok((build, gateway_sum()));
        }
        let graph = self.resolve(&alone(&self.gateway.main), source).await?;
        let gateway_sum = gateway_sum();
        let side = Side::new(&self.gateway.main, &graph, false);
        let build = side
            .build(
                trees,
                source,
                config,
                &[&self.gateway.main],
                self.host.files(),
            )
            .await;
        if let Some(memo) = &memo {
            memo.save(&build);
        }
        Ok((build, gateway_sum))
    }

    /// The standalone plugin's graph and build. Under `-mod=mod` an import
    /// no required module provides is resolved as go build resolves it: the
    /// longest module path prefix with a version is required at its latest
    /// version (retracted and excluded ones left out) and the graph is resolved again.
    pub(super) async fn standalone(
        &self,
        trees: &Trees,
        source: &Arc<dyn ModuleSource>,
        config: BuildConfig,
    ) -> Result<(ModuleGraph, SideBuild), AuditError> {
        let mut inputs = self.plugin_inputs.clone();
        loop {
            let graph = self.resolve(&inputs, source).await?;
            let main = inputs.mains[0].clone();
            let side = Side::new(&main, &graph, true);
            let build = side
                .build(trees, source, config.clone(), &[&main], self.host.files())
                .await;
            let missing = match (&build.error, &inputs.mode) {
                (Some(PackageError::NotFound { import, .. }), ModMode::Mod) => import.clone(),
                _ => return Ok((graph, build)),
            };
            let Some(ModKey { path, version }) =
                metadata::module_for_import(source.as_ref(), &missing, &main.go_mod).await
            else {
                return Ok((graph, build));
            };
            inputs.mains[0].go_mod = with_requirement(&main, &path, &version)?;
        }
    }
}

/// `main`'s go.mod with `path version` required, as go build -mod=mod writes it.
pub(super) fn with_requirement(
    main: &MainModule,
    path: &str,
    version: &str,
) -> Result<ModFile, AuditError> {
    let name = Path::new(&main.dir).join("go.mod").display().to_string();
    let text = gomod::format(&main.go_mod.syntax);
    let edit = gomod::Edit::SetRequire {
        path: path.to_owned(),
        version: version.to_owned(),
        indirect: None,
    };
    gomod::apply(&name, &text, &[edit])
        .ok()
        .and_then(|t| gomod::parse_mod(&name, &t, gomod::Mode::Strict).ok())
        .ok_or_else(|| AuditError::Usage(format!("{name}: cannot require {path} {version}")))
}

/// The plugins the request picks among the workspace's modules (all
/// of them, the gateway aside, when it names none).
pub(super) fn select_plugins(
    plugins: Vec<MainModule>,
    wanted: &[PathBuf],
) -> Result<Vec<MainModule>, AuditError> {
    if wanted.is_empty() {
        return Ok(plugins);
    }
    wanted
        .iter()
        .map(|dir| {
            plugins
                .iter()
                .find(|p| Path::new(&p.dir) == dir)
                .cloned()
                .ok_or_else(|| {
                    AuditError::Usage(format!(
                        "--plugin {}: not a module the workspace uses",
                        dir.display()
                    ))
                })
        })
        .collect()
}

/// The gateway built alone, as its releases are (`GOWORK=off`).
pub(super) fn alone(main: &MainModule) -> Inputs {
    Inputs {
        mains: vec![main.clone()],
        work: None,
        mode: ModMode::Mod,
    }
}

pub(super) fn read_gateway_sum(
    gateway: &GatewaySource,
    trees: &Trees,
) -> Option<(SumFile, String)> {
    let tree = trees.main_tree(&gateway.main)?;
    let text = String::from_utf8(tree.read("go.sum").ok()?).ok()?;
    let name = format!("{}/go.sum", gateway.main.dir);
    let sum = gomod::parse_sum(&name, &text).ok()?;
    Some((sum, name))
}

/// `dir/go.sum` parsed, with its text; `None` when there is none.
pub(super) fn read_sum(
    dir: &Path,
    files: &dyn Files,
) -> Result<Option<(SumFile, String)>, AuditError> {
    let Some((name, text)) = discover::read_go_sum(dir, files)? else {
        return Ok(None);
    };
    let sum = gomod::parse_sum(&name, &text).map_err(discover::InputError::from)?;
    Ok(Some((sum, text)))
}

/// The go.work the docs' flow and Tyk's plugin compiler build `plugin` in:
/// the gateway's source and the plugin, at the newer of their `go` lines.
pub(super) fn assumed_workspace(
    gateway: &MainModule,
    plugin: &MainModule,
) -> Result<Inputs, AuditError> {
    let go = [&gateway.go_mod, &plugin.go_mod]
        .iter()
        .filter_map(|m| m.go.as_ref().map(|g| g.version.clone()))
        .max_by(|a, b| crate::version::gover::compare(a, b))
        .unwrap_or_else(|| "1.21".to_owned());
    let name = format!("{}/go.work (assumed)", plugin.dir);
    let text = format!("go {go}\n\nuse (\n\t./gateway\n\t.\n)\n");
    let file = gomod::parse_work(&name, &text).map_err(discover::InputError::from)?;
    Ok(Inputs {
        mains: vec![gateway.clone(), plugin.clone()],
        work: Some(Workspace {
            dir: plugin.dir.clone(),
            file,
        }),
        mode: ModMode::Mod,
    })
}
