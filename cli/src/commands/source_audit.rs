//! `tykdeps audit [DIR]`: will the plugin load, judged from source before
//! anything is built.
//!
//! Two builds are reconstructed: the gateway as its releases are built (its
//! module alone, `-tags=goplugin`) and each plugin as the go command will
//! build it (standalone against the published gateway module, or in the
//! go.work that uses a gateway checkout). For each, the module graph comes
//! from the resolver, the versions really loaded from the go command's
//! loader rules ([`loader`]) and the linked packages from the import
//! declarations of the module sources (local directories, the module cache,
//! else zips fetched through the GOPROXY chain). The resolver's rules then
//! compare the packages both link; a pin is only offered as proven after the
//! plugin's graph is resolved again with it.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use miette::miette;
use tokio::task::JoinSet;
use tykdeps_resolver::audit::compare::{self, Build, Code, Difference, ModuleUse, Shared};
use tykdeps_resolver::audit::rules::{self, PluginFiles};
use tykdeps_resolver::audit::{
    AssumedBuild, Finding, Gateway, Mode, PluginReport, Report, RuleId, Severity, Verdict,
    gateway_binary, loader,
};
use tykdeps_resolver::gomod::{self, ModFile, SumFile};
use tykdeps_resolver::graph::{
    Inputs, MainModule, ModKey, ModMode, ModuleGraph, Replacer, WhyIndex, is_pruned_go,
};
use tykdeps_resolver::metadata;
use tykdeps_resolver::packages::{
    self, BuildConfig, DirTree, FactCache, ModuleTree, Owner, PackageError, PackageFacts, STD_KEY,
    Universe, ZipTree, store,
};
use tykdeps_resolver::source::ModuleSource;
use tykdeps_resolver::source::http::HttpOptions;
use tykdeps_resolver::source::metadata_cache::{self, Freshness, MetadataSource};
use tykdeps_resolver::source::summaries::SummaryCache;
use tykdeps_resolver::source::verify;

use crate::args::SourceArgs;
use crate::exit::ExitStatus;
use crate::load::{self, Failure, Mirror};
use crate::printer;
use crate::settings::{BuildTarget, Settings};
use crate::vcs::Identity;

/// The static audit of the module or workspace `args` names.
pub(crate) fn report(args: &SourceArgs) -> Result<Report, Failure> {
    Ok(run(args)?.report)
}

/// What the audit saw, for `fix` to edit: the report and each plugin's go.mod.
pub(crate) struct Audit {
    pub(crate) report: Report,
    pub(crate) plugin_go_mods: Vec<PathBuf>,
}

pub(crate) fn run(args: &SourceArgs) -> Result<Audit, Failure> {
    let settings = Settings::from_env()?;
    let start = load::absolute(args.dir.as_deref().unwrap_or(Path::new(".")))?;
    let (inputs, sums) = load::inputs(&start, &settings, Mirror::List)?;
    let summaries = load::summary_cache(&settings, &sums);
    let http = HttpOptions::default();
    let in_flight = Arc::clone(&http.in_flight);
    let cached = load::cached_source(&settings, sums, http)?;
    let metadata = Arc::new(MetadataSource::open(
        cached.upstream(),
        Arc::clone(&cached) as Arc<dyn ModuleSource>,
        settings
            .env
            .gomodcache()
            .ok()
            .map(metadata_cache::cache_file),
        Freshness {
            now: unix_now(),
            ttl: args.metadata_ttl,
            refresh: args.refresh,
        },
    ));
    let checked_source: Arc<dyn ModuleSource> = cached;
    let trees = Trees::new(
        Arc::clone(&checked_source),
        settings.env.gomodcache().ok(),
        StdLibrary::new(&settings.target),
    );
    let target = settings.target.clone();
    let mode = if inputs.work.is_some() {
        Mode::Workspace
    } else {
        Mode::Standalone
    };
    let mains: Vec<(String, String)> = inputs
        .mains
        .iter()
        .map(|m| (m.path.clone(), m.dir.clone()))
        .collect();
    let deadline = std::time::Duration::from_secs(args.timeout);
    let audited = load::runtime()?.block_on(load::within(deadline, &in_flight, async {
        let setup = Setup::find(args, inputs, &checked_source, summaries, target).await?;
        setup.audit(&checked_source, &metadata, &trees).await
    }));
    // A shortcut only, as the other caches: failing to write it changes no answer.
    let _ = metadata.save();
    match audited {
        Err((cause, ExitStatus::CouldNotCheck)) => {
            printer::diagnostic(&cause);
            Ok(unfetched(args, mode, &mains, &cause))
        }
        other => other,
    }
}

/// The time now, in seconds since the Unix epoch (0 if the clock is before it).
fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// The report when module data could not be fetched: every plugin is
/// `unknown`, and says why (the full diagnostic went to stderr), so a reader
/// of JSON, SARIF or Markdown still gets a verdict.
fn unfetched(
    args: &SourceArgs,
    mode: Mode,
    mains: &[(String, String)],
    cause: &miette::Report,
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
        .filter(|(path, _)| *path != args.gateway_module)
        .map(|(path, dir)| PluginReport {
            module: Some(path.clone()),
            dir: dir.clone(),
            verdict: Verdict::Unknown,
            loader_message: None,
            findings: vec![finding.clone()],
        })
        .collect();
    let gateway = Gateway {
        module: Some(args.gateway_module.clone()),
        ..Gateway::default()
    };
    Audit {
        report: Report::new(mode, gateway, Vec::new(), plugins),
        plugin_go_mods: Vec::new(),
    }
}

/// The gateway and the plugins to audit, and how the plugins are built.
struct Setup {
    mode: Mode,
    gateway: GatewaySource,
    plugins: Vec<MainModule>,
    /// The plugins' build: a workspace with the gateway, or one plugin alone.
    plugin_inputs: Inputs,
    /// go.mod summaries kept between runs, shared by every graph resolved.
    summaries: tokio::sync::Mutex<SummaryCache>,
    /// What the builds are for.
    target: BuildTarget,
}

/// Where the gateway's source comes from.
struct GatewaySource {
    main: MainModule,
    /// The published version, for a gateway fetched through the sources.
    version: Option<String>,
    /// The build a gateway binary records, which then replaces the
    /// reconstructed one (`main.go_mod` is what its build info says).
    binary: Option<Build>,
    /// The commit it comes from, for the report.
    identity: Identity,
}

impl Setup {
    async fn find(
        args: &SourceArgs,
        inputs: Inputs,
        source: &Arc<dyn ModuleSource>,
        summaries: SummaryCache,
        target: BuildTarget,
    ) -> Result<Self, Failure> {
        let module = args.gateway_module.as_str();
        if inputs.work.is_some() {
            let (gateways, plugins): (Vec<MainModule>, Vec<MainModule>) =
                inputs.mains.iter().cloned().partition(|m| m.path == module);
            let main = match (&args.gateway, gateways.into_iter().next()) {
                _ if args.gateway_bin.is_some() => gateway_binary(args.gateway_bin.as_deref())?,
                (Some(g), _) => gateway_from_flag(g, args, source).await?,
                (None, Some(main)) => GatewaySource {
                    identity: Identity::of_checkout(Path::new(&main.dir), &main.path),
                    main,
                    version: None,
                    binary: None,
                },
                (None, None) => {
                    return Err(usage(&format!(
                        "the workspace uses no module {module}: add the gateway checkout to go.work, or pass --gateway DIR and --gateway-module PATH"
                    )));
                }
            };
            let plugins = select_plugins(plugins, &args.plugin)?;
            return Ok(Setup {
                mode: Mode::Workspace,
                gateway: main,
                plugins,
                plugin_inputs: inputs,
                summaries: tokio::sync::Mutex::new(summaries),
                target,
            });
        }
        let plugin = inputs.mains[0].clone();
        let gateway = if args.gateway_bin.is_some() {
            gateway_binary(args.gateway_bin.as_deref())?
        } else if let Some(g) = &args.gateway {
            gateway_from_flag(g, args, source).await?
        } else {
            let version = loader::root_versions(&plugin.go_mod).remove(module).ok_or_else(|| {
                usage(&format!(
                    "{} does not require the gateway module {module}: pass --gateway MODULE@VERSION or --gateway DIR (or --gateway-module PATH)",
                    plugin.path
                ))
            })?;
            remote_gateway(module, &version, source).await?
        };
        Ok(Setup {
            mode: Mode::Standalone,
            gateway,
            plugins: vec![plugin],
            plugin_inputs: inputs,
            summaries: tokio::sync::Mutex::new(summaries),
            target,
        })
    }

    async fn audit(
        self,
        source: &Arc<dyn ModuleSource>,
        metadata: &Arc<MetadataSource>,
        trees: &Trees,
    ) -> Result<Audit, Failure> {
        for plugin in &self.plugins {
            if let Some((sum, _)) = read_sum(Path::new(&plugin.dir))? {
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
            .gateway_build(source, trees, gateway_go.as_deref())
            .await?;
        let workspace_graph = match self.mode {
            Mode::Workspace => Some(self.resolve(&self.plugin_inputs, source).await?),
            _ => None,
        };
        let assumed = assumed_build(&self.target);
        let mut reports = Vec::new();
        let configs = Configs {
            gateway: gateway_config(&self.target, gateway_go.as_deref()),
            plugin: plugin_config(&self.target, gateway_go.as_deref()),
        };
        for plugin in &self.plugins {
            let config = configs.plugin.clone();
            let (plugin_graph, plugin_build) = if let Some(graph) = &workspace_graph {
                let side = Side::new(plugin, graph, false);
                let build = side.build(trees, source, config, &[plugin]).await;
                (Cow::Borrowed(graph), build)
            } else {
                let (graph, build) = self.standalone(trees, source, config).await?;
                (Cow::Owned(graph), build)
            };
            let audit = PluginAudit {
                plugin,
                graph: &plugin_graph,
                workspace: self.mode == Mode::Workspace,
                gateway: &self.gateway.main,
                gateway_build: &gateway_build,
                gateway_sum: gateway_sum.as_ref(),
                configs: &configs,
                assumed: &assumed,
            };
            let mut report = audit.report(&plugin_build, trees, metadata).await?;
            self.prove_pins(plugin, &mut report.findings, &gateway_build, source)
                .await;
            reports.push(report);
        }
        trees.save_facts();
        // Both caches are shortcuts: failing to write them changes no answer.
        let _ = self.summaries.lock().await.save();
        let tampered = trees.tampered();
        if !tampered.is_empty() {
            return Err((
                miette!("{}", tampered.join("\n")),
                ExitStatus::CouldNotCheck,
            ));
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
            report,
            plugin_go_mods: self
                .plugins
                .iter()
                .map(|p| Path::new(&p.dir).join("go.mod"))
                .collect(),
        })
    }

    /// The module graph of `inputs`, through the shared summary cache.
    async fn resolve(
        &self,
        inputs: &Inputs,
        source: &Arc<dyn ModuleSource>,
    ) -> Result<ModuleGraph, Failure> {
        let mut summaries = self.summaries.lock().await;
        load::resolve(inputs, source, &mut summaries)
            .await
            .map(|(graph, _)| graph)
    }

    /// The gateway's build, and its go.sum: as its binary records them, or
    /// reconstructed from its source like a release build.
    async fn gateway_build(
        &self,
        source: &Arc<dyn ModuleSource>,
        trees: &Trees,
        go: Option<&str>,
    ) -> Result<(SideBuild, Option<(SumFile, String)>), Failure> {
        if let Some(build) = &self.gateway.binary {
            let build = SideBuild {
                build: build.clone(),
                error: None,
            };
            return Ok((build, None));
        }
        let gateway_root = BTreeSet::from([Code::Dir(self.gateway.main.dir.clone())]);
        trees.fetch(gateway_root).await;
        let gateway_sum = read_gateway_sum(&self.gateway, trees);
        if let Some((sum, _)) = &gateway_sum {
            trees.add_sums(sum);
        }
        let graph = self.resolve(&alone(&self.gateway.main), source).await?;
        let side = Side::new(&self.gateway.main, &graph, false);
        let build = side
            .build(
                trees,
                source,
                gateway_config(&self.target, go),
                &[&self.gateway.main],
            )
            .await;
        Ok((build, gateway_sum))
    }

    /// The standalone plugin's graph and build. Under `-mod=mod` an import
    /// no required module provides is resolved as go build resolves it: the
    /// longest module path prefix with a version is required at its latest
    /// version (retracted and excluded ones left out) and the graph is resolved again.
    async fn standalone(
        &self,
        trees: &Trees,
        source: &Arc<dyn ModuleSource>,
        config: BuildConfig,
    ) -> Result<(ModuleGraph, SideBuild), Failure> {
        let mut inputs = self.plugin_inputs.clone();
        loop {
            let graph = self.resolve(&inputs, source).await?;
            let main = inputs.mains[0].clone();
            let side = Side::new(&main, &graph, true);
            let build = side.build(trees, source, config.clone(), &[&main]).await;
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

    /// Resolve the plugin's build again with every pin of `findings` applied,
    /// and say in each pin whether it gives the gateway's versions.
    async fn prove_pins(
        &self,
        plugin: &MainModule,
        findings: &mut [Finding],
        gateway: &SideBuild,
        source: &Arc<dyn ModuleSource>,
    ) {
        let edits: Vec<gomod::Edit> = findings
            .iter()
            .filter(|f| f.rule == RuleId::VersionConflict)
            .flat_map(|f| f.suggestions.iter())
            .filter(|s| s.kind == "pin-version")
            .flat_map(|s| s.edits.iter().cloned())
            .collect();
        if edits.is_empty() {
            return;
        }
        let verdict = self
            .pinned_selection(plugin, &edits, source)
            .await
            .map(|selected| {
                findings
                    .iter()
                    .filter(|f| f.rule == RuleId::VersionConflict)
                    .filter_map(|f| {
                        let module = f.module.as_deref()?;
                        let want = gateway.build.modules.get(module)?;
                        let got = selected.get(module).map_or("none", String::as_str);
                        (got != want.version).then(|| format!("{module} would still be {got}"))
                    })
                    .collect::<Vec<_>>()
            });
        let proven = matches!(&verdict, Ok(left) if left.is_empty());
        let note = match verdict {
            Ok(left) if left.is_empty() => "; proven by resolving again: with every pin of this audit applied, the plugin's graph selects the gateway's version of each of these modules".to_owned(),
            Ok(left) => format!("; not enough alone: with every pin applied, {}, raised by another requirement (see why), so `tykdeps fix` leaves this to you", left.join(", ")),
            Err(e) => format!("; not proven: resolving the pinned go.mod failed ({e}), so `tykdeps fix` leaves this to you"),
        };
        for s in findings
            .iter_mut()
            .filter(|f| f.rule == RuleId::VersionConflict)
            .flat_map(|f| f.suggestions.iter_mut())
            .filter(|s| s.kind == "pin-version")
        {
            s.description.push_str(&note);
            if !proven {
                s.edits.clear();
            }
        }
    }

    /// The versions the plugin's graph selects with `edits` applied to its
    /// go.mod. The graph's selection, not the go.mod's own lines: once it
    /// selects the pinned versions, so does the loader, since the roots then
    /// agree with every requirement.
    async fn pinned_selection(
        &self,
        plugin: &MainModule,
        edits: &[gomod::Edit],
        source: &Arc<dyn ModuleSource>,
    ) -> Result<BTreeMap<String, String>, String> {
        let name = Path::new(&plugin.dir).join("go.mod").display().to_string();
        let text = std::fs::read_to_string(&name).map_err(|e| e.to_string())?;
        let edited = gomod::apply(&name, &text, edits).map_err(|e| e.to_string())?;
        let go_mod =
            gomod::parse_mod(&name, &edited, gomod::Mode::Strict).map_err(|e| e.to_string())?;
        let mut inputs = self.plugin_inputs.clone();
        if let Some(main) = inputs.mains.iter_mut().find(|m| m.path == plugin.path) {
            main.go_mod = go_mod.clone();
        }
        if let ModMode::Readonly { .. } = inputs.mode {
            inputs.mode = ModMode::Mod;
        }
        let graph = self
            .resolve(&inputs, source)
            .await
            .map_err(|(e, _)| e.to_string())?;
        Ok(graph
            .build_list()
            .into_iter()
            .map(|m| (m.path, m.version))
            .collect())
    }
}

/// `main`'s go.mod with `path version` required, as go build -mod=mod writes it.
fn with_requirement(main: &MainModule, path: &str, version: &str) -> Result<ModFile, Failure> {
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
        .ok_or_else(|| usage(&format!("{name}: cannot require {path} {version}")))
}

fn usage(message: &str) -> Failure {
    (miette!("{message}"), ExitStatus::Invalid)
}

/// `--plugin DIR` picks plugins among the workspace's modules; by default every non-gateway module is one.
fn select_plugins(
    plugins: Vec<MainModule>,
    wanted: &[PathBuf],
) -> Result<Vec<MainModule>, Failure> {
    if wanted.is_empty() {
        return Ok(plugins);
    }
    wanted
        .iter()
        .map(|dir| {
            let dir = load::clean(&load::absolute(dir)?);
            plugins
                .iter()
                .find(|p| Path::new(&p.dir) == dir)
                .cloned()
                .ok_or_else(|| {
                    usage(&format!(
                        "--plugin {}: not a module the workspace uses",
                        dir.display()
                    ))
                })
        })
        .collect()
}

/// `--gateway-bin FILE`: the gateway as its binary records it.
fn gateway_binary(file: Option<&Path>) -> Result<GatewaySource, Failure> {
    let file = file.expect("called with --gateway-bin");
    let quiet = |status: ExitStatus| (miette!("cannot audit against {}", file.display()), status);
    let binary = super::audit::binary(file).map_err(quiet)?;
    let Some(info) = &binary.facts.build_info else {
        return Err(usage(&format!(
            "{}: no Go build info, so its modules are unknown; audit the built plugin with --plugin-so instead",
            file.display()
        )));
    };
    let name = format!("{} (build info)", file.display());
    let go_mod = gomod::parse_mod(&name, &gateway_binary::go_mod_text(info), gomod::Mode::Lax)
        .map_err(|e| (miette::Report::new(e), ExitStatus::Invalid))?;
    let real = load::absolute(file)?.display().to_string();
    Ok(GatewaySource {
        main: MainModule {
            path: info.main.path.clone(),
            dir: real.clone(),
            go_mod,
        },
        version: Some(info.main.version.clone()).filter(|v| !v.is_empty() && v != "(devel)"),
        binary: Some(gateway_binary::build(info, &binary.facts.hashes, &real)),
        identity: Identity::of_binary(info),
    })
}

/// `--gateway DIR`, `--gateway MODULE@VERSION`, or a Tyk release or commit
/// (`gateway resolve`'s ways) that names a published version.
async fn gateway_from_flag(
    flag: &str,
    args: &SourceArgs,
    source: &Arc<dyn ModuleSource>,
) -> Result<GatewaySource, Failure> {
    if let Some((module, version)) = flag.split_once('@')
        && !Path::new(flag).exists()
    {
        return remote_gateway(module, version, source).await;
    }
    if !Path::new(flag).exists() {
        let reference =
            tykdeps_resolver::version::release::GatewayRef::parse(flag).map_err(|e| {
                usage(&format!(
                    "--gateway {flag}: no such directory, not MODULE@VERSION, and {e}"
                ))
            })?;
        let module = args.gateway_module.as_str();
        let resolved = super::gateway::resolve(
            flag,
            &reference,
            module,
            &args.gateway_repo,
            source.as_ref(),
        )
        .await?;
        let mut gateway = remote_gateway(module, &resolved.version, source).await?;
        gateway.identity = resolved.identity();
        return Ok(gateway);
    }
    let dir = load::clean(&load::absolute(Path::new(flag))?);
    let main = load::main_module(&dir)?;
    Ok(GatewaySource {
        identity: Identity::of_checkout(&dir, &main.path),
        main,
        version: None,
        binary: None,
    })
}

/// The published gateway `module@version`: its go.mod through the sources;
/// its directory is where the module cache would extract it.
async fn remote_gateway(
    module: &str,
    version: &str,
    source: &Arc<dyn ModuleSource>,
) -> Result<GatewaySource, Failure> {
    let bytes = source.go_mod(module, version).await.map_err(|e| {
        (
            miette!("fetching the gateway's go.mod: {e}"),
            ExitStatus::CouldNotCheck,
        )
    })?;
    let name = format!("{module}@{version}/go.mod");
    let text = String::from_utf8_lossy(&bytes);
    let go_mod = gomod::parse_mod(&name, &text, gomod::Mode::Strict)
        .map_err(|e| (miette::Report::new(e), ExitStatus::Invalid))?;
    Ok(GatewaySource {
        main: MainModule {
            path: module.to_owned(),
            dir: format!("{module}@{version}"),
            go_mod,
        },
        version: Some(version.to_owned()),
        binary: None,
        identity: Identity::default(),
    })
}

/// The gateway built alone, as its releases are (`GOWORK=off`).
fn alone(main: &MainModule) -> Inputs {
    Inputs {
        mains: vec![main.clone()],
        work: None,
        mode: ModMode::Mod,
    }
}

fn read_gateway_sum(gateway: &GatewaySource, trees: &Trees) -> Option<(SumFile, String)> {
    let tree = trees.main_tree(&gateway.main)?;
    let text = String::from_utf8(tree.read("go.sum").ok()?).ok()?;
    let name = format!("{}/go.sum", gateway.main.dir);
    let sum = gomod::parse_sum(&name, &text).ok()?;
    Some((sum, name))
}

/// `dir/go.sum` parsed, with its text; `None` when there is none.
fn read_sum(dir: &Path) -> Result<Option<(SumFile, String)>, Failure> {
    let file = dir.join("go.sum");
    if !file.is_file() {
        return Ok(None);
    }
    let name = file.display().to_string();
    let text = load::read(&file)?;
    let sum = gomod::parse_sum(&name, &text)
        .map_err(|e| (miette::Report::new(e), ExitStatus::Invalid))?;
    Ok(Some((sum, text)))
}

fn build_config(target: &BuildTarget, mut tags: Vec<String>, go: Option<&str>) -> BuildConfig {
    if target.goarch == "amd64" {
        tags.push("amd64.v1".to_owned());
    }
    let go_minor = go
        .and_then(|g| g.split('.').nth(1))
        .and_then(|m| m.parse().ok())
        .unwrap_or(26);
    BuildConfig {
        goos: target.goos.clone(),
        goarch: target.goarch.clone(),
        cgo_enabled: target.cgo_enabled,
        tags,
        go_minor,
    }
}

/// The tags Tyk builds its releases with: `goplugin` turns plugin loading on.
const GATEWAY_TAGS: &[&str] = &["goplugin"];

/// The gateway as its releases are built; the user's GOFLAGS tags are for
/// the plugin's build, not the release's.
fn gateway_config(target: &BuildTarget, go: Option<&str>) -> BuildConfig {
    let tags = GATEWAY_TAGS.iter().map(|t| (*t).to_owned()).collect();
    build_config(target, tags, go)
}

/// The build both configurations stand for, as every report states it.
fn assumed_build(target: &BuildTarget) -> AssumedBuild {
    AssumedBuild {
        toolchain: target.toolchain.as_ref().and_then(|t| t.version.clone()),
        trimpath: true,
        gateway_tags: GATEWAY_TAGS.iter().map(|t| (*t).to_owned()).collect(),
        plugin_tags: target.tags.clone(),
        goos: target.goos.clone(),
        goarch: target.goarch.clone(),
        cgo_enabled: target.cgo_enabled,
    }
}

/// The build configurations of the gateway and the plugins.
struct Configs {
    gateway: BuildConfig,
    plugin: BuildConfig,
}

/// The plugin is built as `go build` builds it here (GOOS, GOARCH,
/// CGO_ENABLED, GOFLAGS' `-tags`).
fn plugin_config(target: &BuildTarget, go: Option<&str>) -> BuildConfig {
    build_config(target, target.tags.clone(), go)
}

/// The standard library of the toolchain that builds: `$GOROOT/src`, which
/// alone says which imports are the standard library's, and whether its
/// own imports are followed. They are when the two builds' tags differ, so
/// a tag that selects other files of a standard package both link is seen.
struct StdLibrary {
    src: Option<Arc<dyn ModuleTree>>,
    /// The toolchain's release, which keys the stored facts.
    version: Option<String>,
    follow: bool,
    /// How many packages' facts the store held when loaded.
    stored: usize,
}

impl StdLibrary {
    fn new(target: &BuildTarget) -> Self {
        let toolchain = target.toolchain.as_ref();
        let mut gateway: Vec<&str> = GATEWAY_TAGS.to_vec();
        let mut plugin: Vec<&str> = target.tags.iter().map(String::as_str).collect();
        gateway.sort_unstable();
        plugin.sort_unstable();
        plugin.dedup();
        Self {
            src: toolchain
                .map(|t| Arc::new(DirTree::new(t.goroot.join("src"))) as Arc<dyn ModuleTree>),
            version: toolchain.and_then(|t| t.version.clone()),
            follow: gateway != plugin,
            stored: 0,
        }
    }
}

/// A zip fetch's answer: the tree, and the zip's go.sum hash.
type Fetched = (Code, Option<Arc<dyn ModuleTree>>, Option<String>);

/// Module sources for the package scan: local directories, the module
/// cache, then zips fetched through the sources, each opened once.
struct Trees {
    source: Arc<dyn ModuleSource>,
    modcache: Option<PathBuf>,
    /// The standard library of the toolchain that builds.
    std: StdLibrary,
    opened: Mutex<HashMap<Code, Option<Arc<dyn ModuleTree>>>>,
    /// Module versions known to be absent from the module cache.
    not_cached: Mutex<BTreeSet<Code>>,
    /// Module versions answered from the facts store, with how many
    /// packages it held (more read this run means it is saved again).
    stored: Mutex<HashMap<Code, usize>>,
    /// Package facts read so far, shared by every scan of this audit.
    facts: Mutex<FactCache>,
    /// go.sum's zip hashes (`path version h1:`), from every go.sum read.
    zip_sums: Mutex<HashMap<(String, String), Vec<String>>>,
    /// Fetched zips that disagreed with go.sum: never used.
    tampered: Mutex<Vec<String>>,
}

impl Trees {
    fn new(source: Arc<dyn ModuleSource>, modcache: Option<&Path>, std: StdLibrary) -> Self {
        let mut trees = Self {
            source,
            modcache: modcache.map(Path::to_path_buf),
            std,
            opened: Mutex::new(HashMap::new()),
            not_cached: Mutex::new(BTreeSet::new()),
            stored: Mutex::new(HashMap::new()),
            facts: Mutex::new(FactCache::default()),
            zip_sums: Mutex::new(HashMap::new()),
            tampered: Mutex::new(Vec::new()),
        };
        trees.load_std_facts();
        trees
    }

    /// Check zips fetched from now on against `sum`'s hashes too.
    fn add_sums(&self, sum: &SumFile) {
        let mut sums = self
            .zip_sums
            .lock()
            .expect("no panics while holding the lock");
        for line in sum.lines.iter().filter(|l| !l.go_mod) {
            sums.entry((line.path.clone(), line.version.clone()))
                .or_default()
                .push(line.hash.clone());
        }
    }

    /// Why fetched zips were refused, as go words it.
    fn tampered(&self) -> Vec<String> {
        self.tampered
            .lock()
            .expect("no panics while holding the lock")
            .clone()
    }

    /// Whether a fetched zip may be used: go.sum has no hash for it, or this one.
    fn verify(&self, code: &Code, hash: Option<String>) -> bool {
        let Some((path, version)) = published(code) else {
            return false;
        };
        let sums = self
            .zip_sums
            .lock()
            .expect("no panics while holding the lock");
        let Some(want) = sums.get(&(path.to_owned(), version.to_owned())) else {
            return true;
        };
        let got = hash.unwrap_or_else(|| "an unreadable zip".to_owned());
        if want.contains(&got) {
            return true;
        }
        self.tampered
            .lock()
            .expect("no panics while holding the lock")
            .push(format!(
                "{path}@{version}: verifying module: checksum mismatch\n\tdownloaded: {got}\n\tgo.sum:     {}\nSECURITY ERROR: this download does NOT match an earlier download recorded in go.sum",
                want.join(", ")
            ));
        false
    }

    /// The tree of `code` if it is local or already fetched.
    fn get(&self, code: &Code) -> Option<Arc<dyn ModuleTree>> {
        let mut opened = self
            .opened
            .lock()
            .expect("no panics while holding the lock");
        if let Some(tree) = opened.get(code) {
            return tree.clone();
        }
        let tree = match published(code) {
            None => match code {
                Code::Dir(dir) => Some(Arc::new(DirTree::new(dir)) as Arc<dyn ModuleTree>),
                Code::Version(_) => None,
            },
            Some(_) if self.lock_not_cached().contains(code) => None,
            Some((path, version)) if let Some(tree) = self.stored_tree(code, path, version) => {
                Some(tree)
            }
            Some((path, version)) => {
                let cached = packages::open_cached(self.modcache.as_deref()?, path, version);
                if cached.is_none() {
                    self.lock_not_cached().insert(code.clone());
                }
                cached
            }
        };
        if tree.is_some() {
            opened.insert(code.clone(), tree.clone());
        }
        tree
    }

    /// The stored facts of `path@version`, as a tree answering from its
    /// index, its packages' facts made known to every scan.
    fn stored_tree(&self, code: &Code, path: &str, version: &str) -> Option<Arc<dyn ModuleTree>> {
        let modcache = self.modcache.clone()?;
        let stored = store::load(&store::file(&modcache, path, version)?)?;
        let key = fact_key(code);
        let mut facts = self.facts.lock().expect("no panics while holding the lock");
        for (import, headers) in &stored.packages {
            facts.insert(&key, import, Arc::new(headers.clone()));
        }
        self.stored
            .lock()
            .expect("no panics while holding the lock")
            .insert(code.clone(), stored.packages.len());
        let (path, version) = (path.to_owned(), version.to_owned());
        let open = move || packages::open_cached(&modcache, &path, &version);
        Some(Arc::new(store::IndexedTree::new(
            stored.dirs,
            Box::new(open),
        )))
    }

    /// The facts of `package` as module `m` supplies it, read by an earlier scan.
    fn package_facts(&self, m: &ModuleUse, package: &str) -> Option<PackageFacts> {
        let facts = self.facts.lock().expect("no panics while holding the lock");
        facts.get(&fact_key(&m.code()), package).cloned()
    }

    /// The standard library's package facts kept by an earlier audit with
    /// the same toolchain release.
    fn load_std_facts(&mut self) {
        let Some(stored) = self.std_store_file().and_then(|file| store::load(&file)) else {
            return;
        };
        self.std.stored = stored.packages.len();
        let facts = self
            .facts
            .get_mut()
            .expect("no panics while holding the lock");
        for (import, headers) in stored.packages {
            facts.insert(STD_KEY, &import, Arc::new(headers));
        }
    }

    fn std_store_file(&self) -> Option<PathBuf> {
        store::std_file(self.modcache.as_ref()?, self.std.version.as_ref()?)
    }

    /// Keep what this audit learned about module versions for the next one.
    /// A store that cannot be written costs only speed.
    fn save_facts(&self) {
        let Some(modcache) = &self.modcache else {
            return;
        };
        let opened = self
            .opened
            .lock()
            .expect("no panics while holding the lock");
        let stored = self
            .stored
            .lock()
            .expect("no panics while holding the lock");
        let facts = self.facts.lock().expect("no panics while holding the lock");
        for (code, tree) in opened.iter() {
            let (Some(tree), Some((path, version))) = (tree, published(code)) else {
                continue;
            };
            let packages = facts.of(&fact_key(code));
            if packages.len() <= stored.get(code).copied().unwrap_or(0) {
                continue;
            }
            let module = store::StoredModule {
                dirs: tree.listing(),
                packages: packages
                    .into_iter()
                    .map(|(import, headers)| (import, headers.as_ref().clone()))
                    .collect(),
            };
            if let Some(file) = store::file(modcache, path, version) {
                let _ = store::save(&file, &module);
            }
        }
        let std = facts.of(STD_KEY);
        if let Some(file) = self.std_store_file()
            && std.len() > self.std.stored
        {
            let module = store::StoredModule {
                dirs: BTreeMap::new(),
                packages: std
                    .into_iter()
                    .map(|(import, headers)| (import, headers.as_ref().clone()))
                    .collect(),
            };
            let _ = store::save(&file, &module);
        }
    }

    fn lock_not_cached(&self) -> std::sync::MutexGuard<'_, BTreeSet<Code>> {
        self.not_cached
            .lock()
            .expect("no panics while holding the lock")
    }

    /// A main module's tree: its directory, or for a published gateway its zip.
    fn main_tree(&self, main: &MainModule) -> Option<Arc<dyn ModuleTree>> {
        self.get(&Code::Dir(main.dir.clone()))
    }

    /// Fetch the zips of `codes` not on disk, concurrently; a failure leaves
    /// the module unknown (remembered, so it is asked once).
    async fn fetch(&self, codes: BTreeSet<Code>) {
        let mut tasks: JoinSet<Fetched> = JoinSet::new();
        for code in codes {
            if self.get(&code).is_some() {
                continue;
            }
            let Some((path, version)) = published(&code) else {
                self.remember(code, None);
                continue;
            };
            let (path, version) = (path.to_owned(), version.to_owned());
            let source = Arc::clone(&self.source);
            tasks.spawn(async move {
                let Ok(zip) = source.zip(&path, &version).await else {
                    return (code, None, None);
                };
                let hash = verify::zip_hash(&zip).ok();
                let tree = ZipTree::from_bytes(zip)
                    .ok()
                    .map(|t| Arc::new(t) as Arc<dyn ModuleTree>);
                (code, tree, hash)
            });
        }
        while let Some(joined) = tasks.join_next().await {
            let (code, tree, hash) = joined.expect("a zip fetch task does not panic");
            let tree = tree.filter(|_| self.verify(&code, hash));
            self.remember(code, tree);
        }
    }

    fn remember(&self, code: Code, tree: Option<Arc<dyn ModuleTree>>) {
        self.opened
            .lock()
            .expect("no panics while holding the lock")
            .insert(code, tree);
    }

    fn was_tried(&self, code: &Code) -> bool {
        self.opened
            .lock()
            .expect("no panics while holding the lock")
            .contains_key(code)
    }
}

/// The key of a module's package facts: its version, or its directory (which
/// cannot change during one audit).
fn fact_key(code: &Code) -> String {
    match code {
        Code::Version(key) => key.clone(),
        Code::Dir(dir) => format!("dir:{dir}"),
    }
}

/// The module version a code comes from the proxy as: a version, or the
/// `path@version` standing for a published gateway's main module directory.
fn published(code: &Code) -> Option<(&str, &str)> {
    match code {
        Code::Version(key) => key.rsplit_once('@'),
        Code::Dir(dir) if !Path::new(dir).is_absolute() => dir.rsplit_once('@'),
        Code::Dir(_) => None,
    }
}

/// One side's graph and how its build loads modules.
struct Side<'a> {
    main: &'a MainModule,
    graph: &'a ModuleGraph,
    /// The main go.mod's own versions, when the loader keeps them (a pruned
    /// graph outside a workspace).
    roots: Option<BTreeMap<String, String>>,
    /// The main go.mod's replacements, for the root versions.
    replacer: Option<Replacer>,
}

/// A side's build, with notes about what could not be known.
struct SideBuild {
    build: Build,
    /// Why the build would fail (an import nothing provides).
    error: Option<PackageError>,
}

impl<'a> Side<'a> {
    fn new(main: &'a MainModule, graph: &'a ModuleGraph, standalone: bool) -> Self {
        let pruned = main
            .go_mod
            .go
            .as_ref()
            .is_some_and(|g| is_pruned_go(&g.version));
        let roots = (standalone && pruned).then(|| loader::root_versions(&main.go_mod));
        // Already checked by the graph's resolution, which would have failed.
        let replacer = roots
            .as_ref()
            .and_then(|_| Replacer::new(&alone(main)).ok());
        Side {
            main,
            graph,
            roots,
            replacer,
        }
    }

    /// The modules the build uses: the graph's selection, or the go.mod's
    /// own version for a root when `keep_roots`.
    fn uses(&self, keep_roots: bool) -> BTreeMap<String, ModuleUse> {
        self.graph
            .build_list()
            .into_iter()
            .filter(|m| m.path != "go" && m.path != "toolchain")
            .map(|m| {
                let root = self
                    .roots
                    .as_ref()
                    .filter(|_| keep_roots)
                    .and_then(|r| r.get(&m.path));
                let use_ = match (self.graph.main_dir(&m.path), root) {
                    (Some(dir), _) if m.version.is_empty() => ModuleUse {
                        path: m.path.clone(),
                        version: String::new(),
                        replacement: None,
                        main_dir: Some(self.main_dir(&m.path, dir)),
                    },
                    (_, Some(root)) if *root != m.version => ModuleUse {
                        path: m.path.clone(),
                        version: root.clone(),
                        replacement: self.replacer.as_ref().and_then(|r| {
                            r.replacement(&ModKey::new(&m.path, root)).ok().flatten()
                        }),
                        main_dir: None,
                    },
                    _ => ModuleUse {
                        replacement: self.graph.replacement(&m).cloned(),
                        path: m.path,
                        version: m.version,
                        main_dir: None,
                    },
                };
                (use_.path.clone(), use_)
            })
            .collect()
    }

    /// A main module's directory; a published gateway's is its `path@version`.
    fn main_dir(&self, path: &str, graph_dir: &str) -> String {
        if path == self.main.path {
            self.main.dir.clone()
        } else {
            graph_dir.to_owned()
        }
    }

    /// The build: at the root versions when the loader keeps them, else at
    /// the graph's selection.
    async fn build(
        &self,
        trees: &Trees,
        source: &Arc<dyn ModuleSource>,
        config: BuildConfig,
        roots: &[&MainModule],
    ) -> SideBuild {
        if let Some(root_versions) = &self.roots {
            let uses = self.uses(true);
            let kept = link(uses.clone(), trees, &config, roots).await;
            if let Some(linked) = &kept.build.linked {
                let owners = owners(linked, &self.main.path);
                let requirements = root_requirements(&uses, &owners, source).await;
                let lookup = |path: &str, version: &str| {
                    requirements
                        .get(&(path.to_owned(), version.to_owned()))
                        .cloned()
                };
                if loader::roots_suffice(root_versions, &owners, &lookup) {
                    return kept;
                }
            }
        }
        link(self.uses(false), trees, &config, roots).await
    }
}

/// The requirements of each owner as the build uses it, from its go.mod (or
/// its replacement's), as the go command's spot check reads them.
async fn root_requirements(
    uses: &BTreeMap<String, ModuleUse>,
    owners: &BTreeSet<String>,
    source: &Arc<dyn ModuleSource>,
) -> BTreeMap<(String, String), Vec<ModKey>> {
    let mut found = BTreeMap::new();
    for m in owners.iter().filter_map(|o| uses.get(o)) {
        let bytes = match m.code() {
            Code::Dir(dir) => std::fs::read(Path::new(&dir).join("go.mod")).ok(),
            Code::Version(key) => match key.rsplit_once('@') {
                Some((path, version)) => source.go_mod(path, version).await.ok(),
                None => None,
            },
        };
        let parsed = bytes.and_then(|b| {
            gomod::parse_mod("go.mod", &String::from_utf8_lossy(&b), gomod::Mode::Lax).ok()
        });
        if let Some(file) = parsed {
            let required = file
                .require
                .iter()
                .map(|r| ModKey::new(&r.path, &r.version))
                .collect();
            found.insert((m.path.clone(), m.version.clone()), required);
        }
    }
    found
}

/// Modules providing linked packages, main modules left out.
fn owners(linked: &packages::Linked, main: &str) -> BTreeSet<String> {
    linked
        .values()
        .filter_map(|o| match o {
            Owner::Module(m) | Owner::Unknown(m) if m != main => Some(m.clone()),
            _ => None,
        })
        .collect()
}

/// Scan the packages `roots`' main packages link, fetching the zips of
/// modules reached but not on disk until nothing new is reached.
async fn link(
    modules: BTreeMap<String, ModuleUse>,
    trees: &Trees,
    config: &BuildConfig,
    roots: &[&MainModule],
) -> SideBuild {
    let absent_mains: BTreeSet<Code> = roots
        .iter()
        .map(|m| Code::Dir(m.dir.clone()))
        .filter(|c| trees.get(c).is_none() && !trees.was_tried(c))
        .collect();
    trees.fetch(absent_mains).await;
    let package_roots = main_packages(roots, trees);
    if package_roots.is_empty() {
        return SideBuild {
            build: Build {
                modules,
                linked: None,
            },
            error: None,
        };
    }
    let root_refs: Vec<&str> = package_roots.iter().map(String::as_str).collect();
    loop {
        let universe = Universe {
            goroot_src: trees.std.src.clone(),
            follow_std: trees.std.follow,
            modules: modules
                .values()
                .map(|m| packages::Module {
                    path: m.path.clone(),
                    cache_key: Some(fact_key(&m.code())),
                    tree: trees.get(&m.code()),
                })
                .collect(),
        };
        let scanned = {
            let mut facts = trees
                .facts
                .lock()
                .expect("no panics while holding the lock");
            universe.linked(config, &root_refs, &mut facts)
        };
        let linked = match scanned {
            Ok(linked) => linked,
            Err(e) => {
                return SideBuild {
                    build: Build {
                        modules,
                        linked: None,
                    },
                    error: Some(e),
                };
            }
        };
        let missing: BTreeSet<Code> = owners(&linked, "")
            .iter()
            .filter_map(|m| modules.get(m))
            .map(ModuleUse::code)
            .filter(|c| trees.get(c).is_none() && !trees.was_tried(c))
            .collect();
        if missing.is_empty() {
            return SideBuild {
                build: Build {
                    modules,
                    linked: Some(linked),
                },
                error: None,
            };
        }
        trees.fetch(missing).await;
    }
}

/// The `package main` directories of the main modules: the module root when
/// it is one (Tyk's gateway, most plugins), else every such directory.
fn main_packages(mains: &[&MainModule], trees: &Trees) -> Vec<String> {
    let mut found = Vec::new();
    for main in mains {
        let Some(tree) = trees.main_tree(main) else {
            continue;
        };
        let mut dirs = vec![String::new()];
        let mut mains_here = Vec::new();
        while let Some(dir) = dirs.pop() {
            if is_main_package(tree.as_ref(), &dir) {
                mains_here.push(dir.clone());
                if dir.is_empty() {
                    break;
                }
            }
            for (name, is_dir) in tree.read_dir(&dir).unwrap_or_default() {
                let skip = name.starts_with('.')
                    || name.starts_with('_')
                    || name == "testdata"
                    || name == "vendor";
                if is_dir && !skip {
                    dirs.push(if dir.is_empty() {
                        name
                    } else {
                        format!("{dir}/{name}")
                    });
                }
            }
        }
        let root_is_main = mains_here.iter().any(String::is_empty);
        found.extend(
            mains_here
                .into_iter()
                .filter(|d| !root_is_main || d.is_empty())
                .map(|d| {
                    if d.is_empty() {
                        main.path.clone()
                    } else {
                        format!("{}/{d}", main.path)
                    }
                }),
        );
    }
    found
}

fn is_main_package(tree: &dyn ModuleTree, dir: &str) -> bool {
    packages::read_package(tree, dir).is_ok_and(|files| files.iter().any(|f| f.package == "main"))
}

/// One plugin's audit against the gateway's build.
struct PluginAudit<'a> {
    plugin: &'a MainModule,
    graph: &'a ModuleGraph,
    workspace: bool,
    gateway: &'a MainModule,
    gateway_build: &'a SideBuild,
    gateway_sum: Option<&'a (SumFile, String)>,
    configs: &'a Configs,
    assumed: &'a AssumedBuild,
}

impl PluginAudit<'_> {
    async fn report(
        &self,
        build: &SideBuild,
        trees: &Trees,
        metadata: &Arc<MetadataSource>,
    ) -> Result<PluginReport, Failure> {
        let go_mod_name = Path::new(&self.plugin.dir)
            .join("go.mod")
            .display()
            .to_string();
        let go_mod_text = load::read(Path::new(&go_mod_name))?;
        let why = WhyIndex::new(self.graph);
        let files = PluginFiles {
            go_mod_name: &go_mod_name,
            go_mod_text: &go_mod_text,
            go_mod: &self.plugin.go_mod,
            graph: self.graph,
            why: &why,
            workspace: self.workspace,
        };
        let mut findings = Vec::new();
        if let Some(e) = &build.error {
            findings.push(does_not_build(e, &files));
        }
        let same_files = |g: &ModuleUse, p: &ModuleUse, pkgs: &[String]| {
            same_files(trees, self.configs, g, p, pkgs)
        };
        let mut shared = compare::shared(&self.gateway_build.build, &build.build, &same_files);
        let facts = |m: &ModuleUse, package: &str| trees.package_facts(m, package);
        compare::with_build_files(
            &mut shared,
            &self.configs.gateway,
            &self.configs.plugin,
            &facts,
        );
        let std_facts = |package: &str| {
            let facts = trees
                .facts
                .lock()
                .expect("no panics while holding the lock");
            facts.get(STD_KEY, package).cloned()
        };
        findings.extend(rules::std_build_files(
            compare::std_files_differ(
                &self.gateway_build.build,
                &build.build,
                &self.configs.gateway,
                &self.configs.plugin,
                &std_facts,
            ),
            &files,
            self.assumed,
        ));
        let without = without_go_mod(&shared, &trees.source).await;
        let no_go_mod = |m: &ModuleUse| without.contains(&m.code());
        findings.extend(rules::shared_findings(
            &shared,
            &files,
            &self.gateway.go_mod,
            self.assumed,
            &no_go_mod,
        ));
        findings.extend(rules::plugin_module_path(&self.own_packages(build), &files));
        findings.extend(rules::go_directive(
            &files,
            &self.gateway.go_mod,
            self.assumed.toolchain.as_deref(),
        ));
        findings.extend(self.sum_findings()?);
        let required = self
            .plugin
            .go_mod
            .require
            .iter()
            .filter_map(|r| build.build.modules.get(&r.path).cloned())
            .collect();
        super::proxy_queries::enrich(&mut findings, required, &files, metadata).await;
        let verdict = verdict(&findings, &shared, build, self.gateway_build);
        Ok(PluginReport {
            module: Some(self.plugin.path.clone()),
            dir: self.plugin.dir.clone(),
            verdict,
            loader_message: None,
            findings,
        })
    }

    /// The plugin module's own linked packages; without its sources, its
    /// module path (where a plugin package usually sits).
    fn own_packages(&self, build: &SideBuild) -> Vec<String> {
        let own = Owner::Module(self.plugin.path.clone());
        match &build.build.linked {
            Some(linked) => linked
                .iter()
                .filter(|(_, owner)| **owner == own)
                .map(|(package, _)| package.clone())
                .collect(),
            None => vec![self.plugin.path.clone()],
        }
    }

    fn sum_findings(&self) -> Result<Vec<Finding>, Failure> {
        let (Some((gateway_sum, _)), Some((sum, text))) =
            (self.gateway_sum, read_sum(Path::new(&self.plugin.dir))?)
        else {
            return Ok(Vec::new());
        };
        let name = Path::new(&self.plugin.dir)
            .join("go.sum")
            .display()
            .to_string();
        Ok(rules::go_sum_mismatches(&sum, &name, &text, gateway_sum))
    }
}

fn does_not_build(e: &PackageError, files: &PluginFiles<'_>) -> Finding {
    Finding {
        rule: RuleId::PluginDoesNotBuild,
        severity: Severity::Error,
        module: files.go_mod.module.as_ref().map(|m| m.path.clone()),
        gateway_version: None,
        plugin_version: None,
        packages: Vec::new(),
        message: format!("go build would fail: {e}"),
        why: "a plugin that does not build is never opened".to_owned(),
        suggestions: Vec::new(),
        location: Some(tykdeps_resolver::audit::Location {
            file: files.go_mod_name.to_owned(),
            line: None,
            column: None,
            span: None,
        }),
    }
}

/// The gateway's code of each shared module that has no go.mod of its own,
/// as the go command decides it (`versionHasGoMod`, in
/// [`metadata::has_own_go_mod`]): a version's `.mod` through the sources,
/// where a go.mod holding only its module line counts as none; a directory
/// without a go.mod file. A `.mod` that cannot be had, or a directory not on
/// this machine, is not counted: the rule does not guess.
async fn without_go_mod(shared: &[Shared], source: &Arc<dyn ModuleSource>) -> BTreeSet<Code> {
    let codes: BTreeSet<Code> = shared
        .iter()
        .filter(|s| !s.gateway.version.is_empty())
        .map(|s| s.gateway.code())
        .collect();
    let mut tasks: JoinSet<Option<Code>> = JoinSet::new();
    for code in codes {
        let source = Arc::clone(source);
        tasks.spawn(async move {
            let none = match &code {
                Code::Version(key) => match key.rsplit_once('@') {
                    Some((path, version)) => {
                        metadata::has_own_go_mod(source.as_ref(), path, version)
                            .await
                            .is_ok_and(|has| !has)
                    }
                    None => false,
                },
                Code::Dir(dir) => {
                    Path::new(dir).is_dir() && !Path::new(dir).join("go.mod").is_file()
                }
            };
            none.then_some(code)
        });
    }
    let mut found = BTreeSet::new();
    while let Some(joined) = tasks.join_next().await {
        found.extend(joined.expect("a go.mod question does not panic"));
    }
    found
}

/// Compare the files of `packages` each build compiles, as `g` (under the
/// gateway's configuration) and `p` (under the plugin's) supply them: a
/// file neither compiles may differ without changing a fingerprint.
fn same_files(
    trees: &Trees,
    configs: &Configs,
    g: &ModuleUse,
    p: &ModuleUse,
    packages: &[String],
) -> Option<bool> {
    let (gt, pt) = (tree_of(trees, g)?, tree_of(trees, p)?);
    for package in packages {
        let rel = package.strip_prefix(&g.path)?.trim_start_matches('/');
        let compiled = |t: &Arc<dyn ModuleTree>, config: &BuildConfig| {
            // A directory that cannot be listed (a binary's build stands for
            // the gateway's sources) cannot be compared.
            t.read_dir(rel)?;
            let facts = packages::read_package(t.as_ref(), rel).ok()?;
            packages::selected_files(&facts, config)
                .map(|f| t.read(&f.name).ok().map(|bytes| (f.name.clone(), bytes)))
                .collect::<Option<Vec<_>>>()
        };
        if compiled(&gt, &configs.gateway)? != compiled(&pt, &configs.plugin)? {
            return Some(false);
        }
    }
    Some(true)
}

fn tree_of(trees: &Trees, m: &ModuleUse) -> Option<Arc<dyn ModuleTree>> {
    trees.get(&m.code())
}

/// Fails on any error; unknown when a shared module could not be compared
/// or some linked module's sources could not be read (its imports, and so
/// what else is linked, are unknown); else loads. A side compared at module
/// level (no sources at all) is decisive: every module both build lists
/// hold was compared.
fn verdict(
    findings: &[Finding],
    shared: &[Shared],
    plugin: &SideBuild,
    gateway: &SideBuild,
) -> Verdict {
    if findings.iter().any(|f| f.severity == Severity::Error) {
        return Verdict::Fails;
    }
    let unknown_difference = shared.iter().any(|s| s.difference == Difference::Unknown);
    let partial = |b: &SideBuild| !b.build.unknown_sources().is_empty();
    if unknown_difference || partial(plugin) || partial(gateway) {
        Verdict::Unknown
    } else {
        Verdict::Loads
    }
}
