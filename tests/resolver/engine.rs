//! The static audit engine over the in-memory module source: no network, no
//! go command, no module cache of the machine. For each rule the engine
//! decides, a scenario where it fires and a twin, one fact changed, where it
//! stays quiet; so a rule that stops firing, or fires on everything, fails.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use tykdeps_resolver::audit::config;
use tykdeps_resolver::audit::engine::{
    self, AuditError, BuildMode, BuildTarget, GatewaySpec, Host, Request, ResolvedGateway, Sources,
    Toolchain,
};
use tykdeps_resolver::audit::{Identity, Report, RuleId, Verdict};
use tykdeps_resolver::goenv::GoEnv;
use tykdeps_resolver::graph::discover::{Disk, Files, Project};
use tykdeps_resolver::graph::driver::Progress;
use tykdeps_resolver::source::memory::MemorySource;
use tykdeps_resolver::source::metadata_cache::KeptAnswers;
use tykdeps_resolver::source::{BoxFuture, ModuleSource};
use tykdeps_resolver::version::release::GatewayRef;

/// The engine's host in a test: the disk for the plugin's own files, the
/// in-memory source for every module, and nothing else.
struct TestHost {
    source: Arc<MemorySource>,
}

impl Host for TestHost {
    fn files(&self) -> &dyn Files {
        &Disk
    }
    fn open_sources(
        &self,
        _: &Project,
        _: Option<&Arc<KeptAnswers>>,
    ) -> Result<Sources, AuditError> {
        Ok(Sources {
            checked: Arc::clone(&self.source) as Arc<dyn ModuleSource>,
            upstream: Arc::clone(&self.source) as Arc<dyn ModuleSource>,
        })
    }
    fn pending(&self) -> Vec<String> {
        Vec::new()
    }
    fn progress(&self) -> &dyn Progress {
        &()
    }
    fn checkout(&self, _: &Path, _: &str) -> Identity {
        Identity::default()
    }
    fn resolve_gateway<'a>(
        &'a self,
        _: &'a str,
        _: &'a GatewayRef,
        _: &'a str,
        _: &'a str,
        _: &'a dyn ModuleSource,
    ) -> BoxFuture<'a, Result<ResolvedGateway, AuditError>> {
        Box::pin(async { Err(AuditError::Gateway("no git in these tests".to_owned())) })
    }
    fn now(&self) -> u64 {
        1_000_000
    }
}

const GATEWAY_GO_MOD: &str =
    "module example.com/gateway\n\ngo 1.21\n\nrequire example.com/shared v1.0.0\n";
const GATEWAY_MAIN: &str = "package main\n\nimport (\n\t_ \"example.com/gateway/api\"\n\t_ \"example.com/shared\"\n)\n\nfunc main() {}\n";
const PLUGIN_MAIN: &str = "package main\n\nimport _ \"example.com/shared\"\n\nfunc main() {}\n";
const SHARED_GO_MOD: &str = "module example.com/shared\n\ngo 1.21\n";

/// A plugin and the modules it and the gateway are built from.
struct Scenario {
    plugin_go_mod: String,
    plugin_main: String,
    plugin_go_sum: Option<String>,
    source: MemorySource,
    policy: Option<String>,
    /// GOFLAGS' `-tags` of the plugin's build.
    tags: Vec<String>,
    /// Built in a go.work that also uses a checkout of the gateway v1.0.0.
    workspace: bool,
    /// `GOTOOLCHAIN` as the go command reads it.
    gotoolchain: String,
    /// The release of the go command found here (`$GOROOT/VERSION`).
    local_go: Option<&'static str>,
}

impl Scenario {
    /// A plugin at the gateway's version of the one module both link.
    fn base() -> Self {
        Self {
            plugin_go_mod: plugin_go_mod("v1.0.0", ""),
            plugin_main: PLUGIN_MAIN.to_owned(),
            plugin_go_sum: None,
            source: modules(GATEWAY_GO_MOD, &[], SHARED_GO_MOD),
            policy: None,
            tags: Vec::new(),
            workspace: false,
            gotoolchain: String::new(),
            local_go: None,
        }
    }

    fn audit(self) -> Report {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let plugin = dir.path().join("plugin");
        std::fs::create_dir(&plugin).expect("the plugin directory");
        std::fs::write(plugin.join("go.mod"), &self.plugin_go_mod).expect("go.mod");
        std::fs::write(plugin.join("main.go"), &self.plugin_main).expect("main.go");
        if let Some(sum) = &self.plugin_go_sum {
            std::fs::write(plugin.join("go.sum"), sum).expect("go.sum");
        }
        let (goflags, gowork) = if self.workspace {
            let gateway = dir.path().join("gateway");
            std::fs::create_dir_all(gateway.join("api")).expect("the gateway checkout");
            std::fs::write(gateway.join("go.mod"), GATEWAY_GO_MOD).expect("go.mod");
            std::fs::write(gateway.join("main.go"), GATEWAY_MAIN).expect("main.go");
            std::fs::write(gateway.join("api/api.go"), "package api\n").expect("api.go");
            let go_work = dir.path().join("go.work");
            std::fs::write(&go_work, "go 1.21\n\nuse (\n\t./gateway\n\t./plugin\n)\n")
                .expect("go.work");
            // -mod=mod is refused in a workspace.
            (String::new(), go_work.display().to_string())
        } else {
            ("-mod=mod".to_owned(), "off".to_owned())
        };
        let process: BTreeMap<String, String> = [
            ("GOFLAGS", goflags),
            ("GOWORK", gowork),
            ("GOPROXY", "off".to_owned()),
            (
                "GOMODCACHE",
                dir.path().join("modcache").display().to_string(),
            ),
            ("HOME", dir.path().display().to_string()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
        let env = GoEnv::new(&process, &BTreeMap::new()).expect("a Go environment");
        let request = Request {
            start: plugin,
            env,
            target: BuildTarget {
                goos: "linux".to_owned(),
                goarch: "amd64".to_owned(),
                cgo_enabled: true,
                tags: self.tags,
                // A GOROOT without sources: these plugins import no
                // standard package, and only the release is asked for.
                toolchain: self.local_go.map(|v| Toolchain {
                    goroot: dir.path().join("goroot"),
                    version: Some(v.to_owned()),
                }),
                gotoolchain: self.gotoolchain,
            },
            gateway: GatewaySpec::Required,
            gateway_module: "example.com/gateway".to_owned(),
            gateway_repo: String::new(),
            plugins: Vec::new(),
            policy: self
                .policy
                .as_deref()
                .map(|text| config::parse("tykdeps.toml", text).expect("a valid policy")),
            metadata_ttl: 0,
            refresh: false,
            deadline: Duration::ZERO,
            build_mode: BuildMode::Standalone,
        };
        let host = TestHost {
            source: Arc::new(self.source),
        };
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime");
        runtime
            .block_on(engine::run(&request, &host))
            .expect("the audit runs")
            .report
    }
}

/// The plugin's go.mod requiring the gateway and `example.com/shared` at
/// `shared`, with `extra` lines after.
fn plugin_go_mod(shared: &str, extra: &str) -> String {
    format!(
        "module example.com/plugin\n\ngo 1.21\n\nrequire (\n\texample.com/gateway v1.0.0\n\texample.com/shared {shared}\n)\n{extra}"
    )
}

/// The gateway v1.0.0 (`gateway_go_mod`, its main package linking its own
/// package `api` and `example.com/shared`, and `gateway_files`) and
/// `example.com/shared` v1.0.0 and v1.1.0 (both with `shared_go_mod`).
fn modules(
    gateway_go_mod: &str,
    gateway_files: &[(&str, &str)],
    shared_go_mod: &str,
) -> MemorySource {
    let mut files = vec![("main.go", GATEWAY_MAIN), ("api/api.go", "package api\n")];
    files.extend_from_slice(gateway_files);
    MemorySource::new()
        .with_files("example.com/gateway", "v1.0.0", gateway_go_mod, &files)
        .with_files(
            "example.com/shared",
            "v1.0.0",
            shared_go_mod,
            &[("shared.go", "package shared\n\nconst V = 0\n")],
        )
        .with_files(
            "example.com/shared",
            "v1.1.0",
            shared_go_mod,
            &[("shared.go", "package shared\n\nconst V = 1\n")],
        )
}

/// The rule ids of the report's findings and every plugin's.
fn rules(report: &Report) -> BTreeSet<RuleId> {
    report
        .plugins
        .iter()
        .flat_map(|p| &p.findings)
        .chain(&report.findings)
        .map(|f| f.rule)
        .collect()
}

/// `rule` fires in `fires` and not in `quiet`.
fn fires_and_quiet(rule: RuleId, fires: Scenario, quiet: Scenario) {
    let fired = fires.audit();
    assert!(
        rules(&fired).contains(&rule),
        "{rule} should fire: {:#?}",
        fired.plugins
    );
    let quiet = quiet.audit();
    assert!(
        !rules(&quiet).contains(&rule),
        "{rule} should stay quiet: {:#?}",
        quiet.plugins
    );
}

#[test]
fn the_base_plugin_loads() {
    let report = Scenario::base().audit();
    assert_eq!(report.verdict, Verdict::Loads, "{:#?}", report.plugins);
}

#[test]
fn version_conflict() {
    let fires = Scenario {
        plugin_go_mod: plugin_go_mod("v1.1.0", ""),
        ..Scenario::base()
    };
    fires_and_quiet(RuleId::VersionConflict, fires, Scenario::base());
}

#[test]
fn workspace_hides_conflict() {
    let raised = || Scenario {
        plugin_go_mod: plugin_go_mod("v1.1.0", ""),
        workspace: true,
        ..Scenario::base()
    };
    let quiet = Scenario {
        workspace: true,
        ..Scenario::base()
    };
    fires_and_quiet(RuleId::WorkspaceHidesConflict, raised(), quiet);
    // One fact, one finding: in the workspace the raise is not also a
    // version-conflict; outside one it is only that.
    assert!(!rules(&raised().audit()).contains(&RuleId::VersionConflict));
    let standalone = Scenario {
        plugin_go_mod: plugin_go_mod("v1.1.0", ""),
        ..Scenario::base()
    };
    assert!(!rules(&standalone.audit()).contains(&RuleId::WorkspaceHidesConflict));
}

#[test]
fn toolchain_mismatch() {
    // The gateway's go.mod names its toolchain; the local go is that one.
    let with = |gotoolchain: &str| Scenario {
        source: modules(
            "module example.com/gateway\n\ngo 1.21\n\ntoolchain go1.26.8\n\nrequire example.com/shared v1.0.0\n",
            &[],
            SHARED_GO_MOD,
        ),
        gotoolchain: gotoolchain.to_owned(),
        local_go: Some("go1.26.8"),
        ..Scenario::base()
    };
    fires_and_quiet(RuleId::ToolchainMismatch, with("go1.27.3"), with("auto"));
    let report = with("go1.27.3").audit();
    assert_eq!(report.verdict, Verdict::Fails);
    let finding = report.plugins[0]
        .findings
        .iter()
        .find(|f| f.rule == RuleId::ToolchainMismatch)
        .expect("the finding");
    assert_eq!(
        finding.suggestions[0].go_command.as_deref(),
        Some("GOTOOLCHAIN=go1.26.8 go build -buildmode=plugin -trimpath")
    );
    // The plugin's toolchain line switches the go command under auto: one
    // fact, which go-directive states at that line.
    let raised = Scenario {
        plugin_go_mod: plugin_go_mod("v1.0.0", "\ntoolchain go1.27.3\n"),
        ..with("auto")
    };
    let found = rules(&raised.audit());
    assert!(
        found.contains(&RuleId::GoDirective) && !found.contains(&RuleId::ToolchainMismatch),
        "{found:?}"
    );
}

#[test]
fn shared_dependency() {
    let quiet = Scenario {
        plugin_main: "package main\n\nfunc main() {}\n".to_owned(),
        ..Scenario::base()
    };
    fires_and_quiet(RuleId::SharedDependency, Scenario::base(), quiet);
}

#[test]
fn build_flags_mismatch() {
    // A file only a `goplugin` build compiles, as the gateway's release is built.
    let tagged = || {
        MemorySource::new()
            .with_files(
                "example.com/gateway",
                "v1.0.0",
                GATEWAY_GO_MOD,
                &[("main.go", GATEWAY_MAIN), ("api/api.go", "package api\n")],
            )
            .with_files(
                "example.com/shared",
                "v1.0.0",
                SHARED_GO_MOD,
                &[
                    ("shared.go", "package shared\n\nconst V = 0\n"),
                    (
                        "plugin.go",
                        "//go:build goplugin\n\npackage shared\n\nconst P = 1\n",
                    ),
                ],
            )
    };
    let fires = Scenario {
        source: tagged(),
        ..Scenario::base()
    };
    let quiet = Scenario {
        source: tagged(),
        tags: vec!["goplugin".to_owned()],
        ..Scenario::base()
    };
    fires_and_quiet(RuleId::BuildFlagsMismatch, fires, quiet);
}

#[test]
fn go_directive() {
    let fires = Scenario {
        plugin_go_mod: plugin_go_mod("v1.0.0", "").replace("go 1.21", "go 1.30"),
        ..Scenario::base()
    };
    fires_and_quiet(RuleId::GoDirective, fires, Scenario::base());
}

#[test]
fn plugin_does_not_build() {
    let fires = Scenario {
        plugin_main: "package main\n\nimport _ \"example.com/missing/pkg\"\n\nfunc main() {}\n"
            .to_owned(),
        ..Scenario::base()
    };
    fires_and_quiet(RuleId::PluginDoesNotBuild, fires, Scenario::base());
}

#[test]
fn gateway_package_standalone() {
    let fires = Scenario {
        plugin_main: "package main\n\nimport _ \"example.com/gateway/api\"\n\nfunc main() {}\n"
            .to_owned(),
        ..Scenario::base()
    };
    fires_and_quiet(RuleId::GatewayPackageStandalone, fires, Scenario::base());
}

#[test]
fn replace_not_mirrored() {
    let replace = "\nreplace example.com/shared v1.0.0 => example.com/shared v1.1.0\n";
    let gateway = || modules(&format!("{GATEWAY_GO_MOD}{replace}"), &[], SHARED_GO_MOD);
    let fires = Scenario {
        source: gateway(),
        ..Scenario::base()
    };
    let quiet = Scenario {
        plugin_go_mod: plugin_go_mod("v1.0.0", replace),
        source: gateway(),
        ..Scenario::base()
    };
    fires_and_quiet(RuleId::ReplaceNotMirrored, fires, quiet);
}

#[test]
fn fetch_failed() {
    let unpublished = || Scenario {
        plugin_go_mod: plugin_go_mod("v1.0.0", "").replace("gateway v1.0.0", "gateway v1.9.9"),
        ..Scenario::base()
    };
    assert_eq!(unpublished().audit().verdict, Verdict::Unknown);
    fires_and_quiet(RuleId::FetchFailed, unpublished(), Scenario::base());
}

#[test]
fn retracted() {
    let retracting = |retract: &str| {
        modules(GATEWAY_GO_MOD, &[], SHARED_GO_MOD).with_files(
            "example.com/shared",
            "v1.2.0",
            &format!("{SHARED_GO_MOD}\n{retract}"),
            &[("shared.go", "package shared\n\nconst V = 2\n")],
        )
    };
    let fires = Scenario {
        plugin_go_mod: plugin_go_mod("v1.1.0", ""),
        source: retracting("retract v1.1.0 // broken\n"),
        ..Scenario::base()
    };
    let quiet = Scenario {
        plugin_go_mod: plugin_go_mod("v1.1.0", ""),
        source: retracting(""),
        ..Scenario::base()
    };
    fires_and_quiet(RuleId::Retracted, fires, quiet);
}

#[test]
fn deprecated() {
    let fires = Scenario {
        source: modules(
            GATEWAY_GO_MOD,
            &[],
            &format!("// Deprecated: use example.com/other.\n{SHARED_GO_MOD}"),
        ),
        ..Scenario::base()
    };
    fires_and_quiet(RuleId::Deprecated, fires, Scenario::base());
}

#[test]
fn no_go_mod() {
    let fires = Scenario {
        source: modules(GATEWAY_GO_MOD, &[], "module example.com/shared\n"),
        ..Scenario::base()
    };
    fires_and_quiet(RuleId::NoGoMod, fires, Scenario::base());
}

#[test]
fn go_sum_mismatch() {
    let line = |hash: &str| format!("example.com/other v1.0.0/go.mod h1:{hash}\n");
    let gateway_hash = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
    let other_hash = "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=";
    let gateway_sum = line(gateway_hash);
    let source = || modules(GATEWAY_GO_MOD, &[("go.sum", &gateway_sum)], SHARED_GO_MOD);
    let fires = Scenario {
        plugin_go_sum: Some(line(other_hash)),
        source: source(),
        ..Scenario::base()
    };
    let quiet = Scenario {
        plugin_go_sum: Some(line(gateway_hash)),
        source: source(),
        ..Scenario::base()
    };
    fires_and_quiet(RuleId::GoSumMismatch, fires, quiet);
}

#[test]
fn plugin_module_path() {
    let fires = Scenario {
        plugin_go_mod: plugin_go_mod("v1.0.0", "")
            .replace("module example.com/plugin", "module main"),
        ..Scenario::base()
    };
    fires_and_quiet(RuleId::PluginModulePath, fires, Scenario::base());
    // A path without a dot (Tyk's docs' `testplugin`) loads today: a
    // warning with the rename, and the verdict stays `loads`.
    let dotless = Scenario {
        plugin_go_mod: plugin_go_mod("v1.0.0", "")
            .replace("module example.com/plugin", "module testplugin"),
        ..Scenario::base()
    }
    .audit();
    let finding = dotless.plugins[0]
        .findings
        .iter()
        .find(|f| f.rule == RuleId::PluginModulePath)
        .expect("the dotless path is reported");
    assert_eq!(finding.severity, tykdeps_resolver::audit::Severity::Warning);
    assert_eq!(
        finding.suggestions[0].go_command.as_deref(),
        Some("go mod edit -module=example.com/plugin")
    );
    assert_eq!(dotless.verdict, Verdict::Loads);
}

#[test]
fn unused_ignore() {
    let ignore = |module: &str| {
        format!(
            "[[ignore]]\nrule = \"shared-dependency\"\nmodule = \"{module}\"\nreason = \"a test\"\n"
        )
    };
    let fires = Scenario {
        policy: Some(ignore("example.com/nothing")),
        ..Scenario::base()
    };
    let quiet = Scenario {
        policy: Some(ignore("example.com/shared")),
        ..Scenario::base()
    };
    fires_and_quiet(RuleId::UnusedIgnore, fires, quiet);
}

/// The policy is applied inside the engine: what it allows is not reported,
/// so `audit` and `fix` share one verdict.
#[test]
fn the_policy_decides_the_verdict() {
    let conflicting = || Scenario {
        plugin_go_mod: plugin_go_mod("v1.1.0", ""),
        ..Scenario::base()
    };
    assert_eq!(conflicting().audit().verdict, Verdict::Fails);
    let allowed = Scenario {
        policy: Some("[rules]\nversion-conflict = \"allow\"\n".to_owned()),
        ..conflicting()
    }
    .audit();
    assert!(!rules(&allowed).contains(&RuleId::VersionConflict));
    assert_eq!(allowed.verdict, Verdict::Loads, "{:#?}", allowed.plugins);
}
