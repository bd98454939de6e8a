//! One plugin's findings against the gateway's build: the packages both
//! link compared, the plugin's own files checked, the proxy asked, and the
//! verdict those findings give.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;

use tokio::task::JoinSet;

use super::AuditError;
use super::builds::Configs;
use super::link::SideBuild;
use super::trees::Trees;
use crate::audit::compare::{self, Code, Difference, ModuleUse, Shared};
use crate::audit::rules::{self, PluginFiles};
use crate::audit::toolchain::{self, GatewayToolchain};
use crate::audit::{AssumedBuild, Finding, Location, PluginReport, RuleId, Severity, Verdict};
use crate::gomod::SumFile;
use crate::graph::discover::{self, Files};
use crate::graph::{MainModule, ModuleGraph, WhyIndex, Workspace};
use crate::metadata;
use crate::packages::{self, BuildConfig, ModuleTree, Owner, PackageError, STD_KEY};
use crate::source::metadata_cache::MetadataSource;

/// One plugin's audit against the gateway's build.
pub(super) struct PluginAudit<'a> {
    pub(super) plugin: &'a MainModule,
    pub(super) graph: &'a ModuleGraph,
    /// Built in a workspace that also builds the gateway's source.
    pub(super) workspace: bool,
    /// The go.work the plugin is built in, whose go and toolchain lines
    /// the go command reads instead of the plugin's go.mod.
    pub(super) work: Option<&'a Workspace>,
    /// Whether the gateway's go.mod is what its binary's build info says.
    pub(super) gateway_from_binary: bool,
    /// `GOTOOLCHAIN` as the go command reads it.
    pub(super) gotoolchain: &'a str,
    pub(super) gateway: &'a MainModule,
    pub(super) gateway_build: &'a SideBuild,
    pub(super) gateway_sum: Option<&'a (SumFile, String)>,
    pub(super) configs: &'a Configs,
    pub(super) assumed: &'a AssumedBuild,
}

impl PluginAudit<'_> {
    pub(super) async fn report(
        &self,
        build: &SideBuild,
        trees: &Trees,
        metadata: &Arc<MetadataSource>,
        disk: &dyn Files,
    ) -> Result<PluginReport, AuditError> {
        let go_mod_name = Path::new(&self.plugin.dir)
            .join("go.mod")
            .display()
            .to_string();
        let go_mod_text = discover::read(Path::new(&go_mod_name), disk)?;
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
        let std_facts = |package: &str| trees.facts.get(STD_KEY, package);
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
        let without = without_go_mod(&shared, trees, disk).await;
        let no_go_mod = |m: &ModuleUse| without.contains(&m.code());
        findings.extend(rules::shared_findings(
            &shared,
            &files,
            &self.gateway.go_mod,
            self.assumed,
            &no_go_mod,
        ));
        findings.extend(rules::plugin_module_path(&self.own_packages(build), &files));
        let go_directive = rules::go_directive(
            &files,
            &self.gateway.go_mod,
            self.assumed.toolchain.as_deref(),
        );
        // A plugin line newer than the gateway's is the one fact go-directive states.
        if go_directive.is_none() {
            findings.extend(self.toolchain_mismatch(&files));
        }
        findings.extend(go_directive);
        findings.extend(self.sum_findings(disk)?);
        let required = self
            .plugin
            .go_mod
            .require
            .iter()
            .filter_map(|r| build.build.modules.get(&r.path).cloned())
            .collect();
        super::queries::enrich(&mut findings, required, &files, metadata).await;
        let verdict = verdict(&findings, &shared, build, self.gateway_build);
        if verdict == Verdict::Unknown {
            findings.extend(self.unread_sources(build, trees));
        }
        Ok(PluginReport {
            module: Some(self.plugin.path.clone()),
            dir: self.plugin.dir.clone(),
            verdict,
            loader_message: None,
            findings,
        })
    }

    /// `fetch-failed` for each module whose sources either build needed and
    /// could not have, saying why (the fetch error, or which of go's zip
    /// limits was broken): what the verdict is `unknown` for.
    fn unread_sources(&self, build: &SideBuild, trees: &Trees) -> Vec<Finding> {
        let mut codes = BTreeSet::new();
        for (side, main) in [(build, self.plugin), (self.gateway_build, self.gateway)] {
            codes.extend(
                side.build
                    .unknown_sources()
                    .into_iter()
                    .filter_map(|m| side.build.modules.get(m))
                    .map(|m| (m.path.clone(), m.code())),
            );
            if side.roots_unread {
                codes.insert((main.path.clone(), Code::Dir(main.dir.clone())));
            }
        }
        codes
            .into_iter()
            .filter_map(|(module, code)| {
                Some(Finding {
                    rule: RuleId::FetchFailed,
                    severity: Severity::Warning,
                    message: trees.why_unread(&code)?,
                    module: Some(module),
                    gateway_version: None,
                    plugin_version: None,
                    packages: Vec::new(),
                    why: "without its sources, what its packages import (and so what else both builds link) is unknown".to_owned(),
                    suggestions: Vec::new(),
                    location: None,
                })
            })
            .collect()
    }

    /// `toolchain-mismatch`: the toolchain the go command will run for the
    /// plugin's build against the gateway's.
    fn toolchain_mismatch(&self, files: &PluginFiles<'_>) -> Option<Finding> {
        let work_name = self
            .work
            .map(|w| Path::new(&w.dir).join("go.work").display().to_string());
        let selected = toolchain::plugin_toolchain(
            self.gotoolchain,
            self.assumed.toolchain.as_deref(),
            work_name.as_deref().zip(self.work.map(|w| &w.file)),
            (files.go_mod_name, files.go_mod),
        )?
        .ok()?;
        let gateway = GatewayToolchain::of(&self.gateway.go_mod, self.gateway_from_binary)?;
        let line = self
            .plugin
            .go_mod
            .toolchain
            .as_ref()
            .or(self.plugin.go_mod.go.as_ref())
            .map(|d| d.span);
        let location = match &work_name {
            Some(name) => Location {
                file: name.clone(),
                line: None,
                column: None,
                span: None,
            },
            None => files.location(line),
        };
        toolchain::toolchain_mismatch(&selected, &gateway, location)
    }

    /// The plugin module's own linked packages; without its sources, its
    /// module path (where a plugin package usually sits).
    pub(super) fn own_packages(&self, build: &SideBuild) -> Vec<String> {
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

    pub(super) fn sum_findings(&self, disk: &dyn Files) -> Result<Vec<Finding>, AuditError> {
        let (Some((gateway_sum, _)), Some((sum, text))) = (
            self.gateway_sum,
            super::setup::read_sum(Path::new(&self.plugin.dir), disk)?,
        ) else {
            return Ok(Vec::new());
        };
        let name = Path::new(&self.plugin.dir)
            .join("go.sum")
            .display()
            .to_string();
        Ok(rules::go_sum_mismatches(&sum, &name, &text, gateway_sum))
    }
}

pub(super) fn does_not_build(e: &PackageError, files: &PluginFiles<'_>) -> Finding {
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
        location: Some(Location {
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
/// this machine, is not counted: the rule does not guess. Answers are
/// kept in `trees` for the run (a matrix asks once per module version).
pub(super) async fn without_go_mod(
    shared: &[Shared],
    trees: &Trees,
    disk: &dyn Files,
) -> BTreeSet<Code> {
    let codes: BTreeSet<Code> = shared
        .iter()
        .filter(|s| !s.gateway.version.is_empty())
        .map(|s| s.gateway.code())
        .collect();
    let mut found = BTreeSet::new();
    let mut tasks: JoinSet<(Code, Option<bool>)> = JoinSet::new();
    for code in codes {
        let key = match &code {
            Code::Version(key) => key.clone(),
            Code::Dir(dir) => {
                let dir = Path::new(dir);
                if disk.is_dir(dir) && !disk.is_file(&dir.join("go.mod")) {
                    found.insert(code);
                }
                continue;
            }
        };
        let known = trees
            .own_go_mod
            .lock()
            .expect("no panics while holding the lock")
            .get(&code)
            .copied();
        if let Some(has) = known {
            if !has {
                found.insert(code);
            }
            continue;
        }
        let source = Arc::clone(&trees.source);
        tasks.spawn(async move {
            let has = match key.rsplit_once('@') {
                Some((path, version)) => metadata::has_own_go_mod(source.as_ref(), path, version)
                    .await
                    .ok(),
                None => None,
            };
            (code, has)
        });
    }
    while let Some(joined) = tasks.join_next().await {
        let (code, has) = joined.expect("a go.mod question does not panic");
        // A go.mod that could not be had is asked again by the next gateway.
        let Some(has) = has else { continue };
        trees
            .own_go_mod
            .lock()
            .expect("no panics while holding the lock")
            .insert(code.clone(), has);
        if !has {
            found.insert(code);
        }
    }
    found
}

/// Compare the files of `packages` each build compiles, as `g` (under the
/// gateway's configuration) and `p` (under the plugin's) supply them: a
/// file neither compiles may differ without changing a fingerprint.
pub(super) fn same_files(
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

pub(super) fn tree_of(trees: &Trees, m: &ModuleUse) -> Option<Arc<dyn ModuleTree>> {
    trees.get(&m.code())
}

/// Fails on any error; unknown when a shared module could not be compared
/// or some linked module's sources could not be read (its imports, and so
/// what else is linked, are unknown); else loads. A side compared at module
/// level (no sources at all) is decisive: every module both build lists
/// hold was compared.
pub(super) fn verdict(
    findings: &[Finding],
    shared: &[Shared],
    plugin: &SideBuild,
    gateway: &SideBuild,
) -> Verdict {
    let partial = |b: &SideBuild| b.roots_unread || !b.build.unknown_sources().is_empty();
    let partial = partial(plugin) || partial(gateway);
    // Compared by module list only because sources did not come, a module
    // both lists hold may be linked by neither: its error decides nothing.
    let module_level: BTreeSet<&str> = shared
        .iter()
        .filter(|s| !s.package_level)
        .map(|s| s.gateway.path.as_str())
        .collect();
    let decides = |f: &Finding| {
        !(partial
            && f.module
                .as_deref()
                .is_some_and(|m| module_level.contains(m)))
    };
    let errors = findings.iter().filter(|f| f.severity == Severity::Error);
    if errors.clone().any(decides) {
        return Verdict::Fails;
    }
    let unknown_difference = shared.iter().any(|s| s.difference == Difference::Unknown);
    if unknown_difference || partial || errors.count() > 0 {
        Verdict::Unknown
    } else {
        Verdict::Loads
    }
}
