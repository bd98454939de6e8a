//! The static rules: from the modules both sides link (see [`compare`]) and
//! the two go.mod and go.sum files to findings, each pointing at the line
//! of the plugin's go.mod a person would change.
//!
//! The rules only judge; proving a fix (re-running the resolution with the
//! edit applied) needs fetching and lives with the driver.
//!
//! [`compare`]: super::compare

use std::collections::BTreeMap;

use super::compare::{Difference, ModuleUse, Shared};
use super::{AssumedBuild, Finding, Location, RuleId, Severity, Suggestion, tags_flag};
use crate::gomod::Edit;
use crate::gomod::{ModFile, ModuleRef, SumFile};
use crate::graph::{ModuleGraph, WhyIndex};
use crate::span::{LineIndex, Span};
use crate::version::{gover, pseudo, semver};

/// The plugin's side of the audit: its go.mod (with its text, for lines) and graph.
pub struct PluginFiles<'a> {
    /// The go.mod as shown to the user (a path).
    pub go_mod_name: &'a str,
    /// Its text.
    pub go_mod_text: &'a str,
    /// Its parsed form.
    pub go_mod: &'a ModFile,
    /// The plugin's module graph, for requirement chains.
    pub graph: &'a ModuleGraph,
    /// The same graph indexed for requirement chains.
    pub why: &'a WhyIndex<'a>,
    /// Whether the plugin is built in a workspace with the gateway's source.
    pub workspace: bool,
}

impl PluginFiles<'_> {
    /// A place in the plugin's go.mod.
    pub(crate) fn location(&self, span: Option<Span>) -> Location {
        let at = span.map(|s| LineIndex::new(self.go_mod_text).line_col(s.start));
        Location {
            file: self.go_mod_name.to_owned(),
            line: at.map(|a| a.line),
            column: at.map(|a| a.column),
            span,
        }
    }

    /// The plugin's `require` line for `path`, else its module line.
    fn require_location(&self, path: &str) -> Location {
        let span = self
            .go_mod
            .require
            .iter()
            .find(|r| r.path == path)
            .map(|r| r.span)
            .or_else(|| self.go_mod.module.as_ref().map(|m| m.span));
        self.location(span)
    }

    fn requires_exactly(&self, path: &str, version: &str) -> bool {
        self.go_mod
            .require
            .iter()
            .any(|r| r.path == path && r.version == version)
    }

    /// How the plugin came to use `m`: the requirement chains of its graph
    /// when the build uses the graph's selection, else its own go.mod line.
    fn why(&self, m: &ModuleUse) -> String {
        if self.graph.selected(&m.path) != Some(m.version.as_str()) {
            return format!(
                "the plugin's go.mod requires {} {} and its graph is pruned, so go build loads that version without reading the whole graph (the go.mod is not tidy)",
                m.path, m.version
            );
        }
        let chains: Vec<String> = self
            .why
            .why(&m.path)
            .iter()
            .take(3)
            .map(|chain| {
                chain
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(" requires ")
            })
            .collect();
        if chains.is_empty() {
            format!("{} {} is selected", m.path, m.version)
        } else {
            chains.join("; ")
        }
    }
}

/// Findings about the modules both sides link. `has_no_go_mod` tells
/// whether a module version has no go.mod of its own.
#[must_use]
pub fn shared_findings(
    shared: &[Shared],
    plugin: &PluginFiles<'_>,
    gateway_go_mod: &ModFile,
    build: &AssumedBuild,
    has_no_go_mod: &dyn Fn(&ModuleUse) -> bool,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    for s in shared {
        findings.extend(match s.difference {
            // At module level a shared module is only a guess; its sameness is not news.
            Difference::None if !s.package_level => None,
            Difference::None => Some(shared_dependency(s, plugin)),
            Difference::Version => Some(version_conflict(s, plugin)),
            Difference::MainVersusDependency => Some(gateway_package_standalone(s, plugin)),
            Difference::Code => Some(replaced_code(s, plugin, gateway_go_mod)),
            Difference::Files => Some(build_files(s, plugin, build)),
            Difference::Unknown => Some(code_unknown(s, plugin)),
        });
        if !s.gateway.version.is_empty() && has_no_go_mod(&s.gateway) {
            findings.push(no_go_mod(s, plugin));
        }
    }
    findings
}

fn finding(rule: RuleId, severity: Severity, s: &Shared, message: String) -> Finding {
    Finding {
        rule,
        severity,
        module: Some(s.gateway.path.clone()),
        gateway_version: Some(s.gateway.version.clone()).filter(|v| !v.is_empty()),
        plugin_version: Some(s.plugin.version.clone()).filter(|v| !v.is_empty()),
        packages: s.packages.clone(),
        message,
        why: String::new(),
        suggestions: Vec::new(),
        location: None,
    }
}

/// Pin `path` at `version` in the plugin's go.mod.
#[must_use]
pub fn pin(path: &str, version: &str, description: String) -> Suggestion {
    Suggestion {
        kind: "pin-version",
        description,
        go_command: Some(format!("go mod edit -require={path}@{version}")),
        edit: Some(format!("require {path} {version}")),
        edits: vec![Edit::SetRequire {
            path: path.to_owned(),
            version: version.to_owned(),
            indirect: None,
        }],
    }
}

fn linked_what(s: &Shared) -> String {
    if s.package_level {
        let n = s.packages.len();
        format!("{n} package{} both link", if n == 1 { "" } else { "s" })
    } else {
        "module level: the linked packages are unknown".to_owned()
    }
}

fn shared_dependency(s: &Shared, plugin: &PluginFiles<'_>) -> Finding {
    let (path, version) = (&s.gateway.path, &s.gateway.version);
    let pinned = version.is_empty() || plugin.requires_exactly(path, version);
    let mut f = finding(
        RuleId::SharedDependency,
        Severity::Note,
        s,
        format!(
            "{} is shared with the gateway at {} ({})",
            path,
            s.gateway.trimmed_name(),
            linked_what(s)
        ),
    );
    f.why = plugin.why(&s.plugin);
    if !pinned {
        f.suggestions.push(pin(
            path,
            version,
            format!("require {path} {version} explicitly, so an upgrade elsewhere cannot move it away from the gateway's version"),
        ));
    }
    f.location = Some(plugin.require_location(path));
    f
}

/// `build-flags-mismatch`, statically: the module is the same on both
/// sides, but the plugin's build tags select other files of packages the
/// gateway links.
fn build_files(s: &Shared, plugin: &PluginFiles<'_>, build: &AssumedBuild) -> Finding {
    let mut f = files_differ(&s.gateway.trimmed_name(), s.files_differ.clone(), build);
    f.module = Some(s.gateway.path.clone());
    f.gateway_version = Some(s.gateway.version.clone()).filter(|v| !v.is_empty());
    f.plugin_version = Some(s.plugin.version.clone()).filter(|v| !v.is_empty());
    f.location = Some(plugin.require_location(&s.gateway.path));
    f
}

/// `build-flags-mismatch` for standard-library packages both builds link
/// whose compiled files the two builds' tags change.
#[must_use]
pub fn std_build_files(
    packages: Vec<String>,
    plugin: &PluginFiles<'_>,
    build: &AssumedBuild,
) -> Option<Finding> {
    if packages.is_empty() {
        return None;
    }
    let mut f = files_differ("the standard library", packages, build);
    f.location = Some(plugin.location(None));
    Some(f)
}

fn files_differ(what: &str, packages: Vec<String>, build: &AssumedBuild) -> Finding {
    let tags = |t: &[String]| tags_flag(t).unwrap_or_else(|| "no tags".to_owned());
    Finding {
        rule: RuleId::BuildFlagsMismatch,
        severity: Severity::Error,
        module: None,
        gateway_version: None,
        plugin_version: None,
        message: format!(
            "the plugin's build ({}) compiles other files of {what} than the gateway's ({}): {}",
            tags(&build.plugin_tags),
            tags(&build.gateway_tags),
            packages.join(", ")
        ),
        packages,
        why: "a build constraint in these packages depends on a tag one side sets and the other does not, so the two builds compile different code under the same name and version".to_owned(),
        suggestions: vec![Suggestion {
            kind: "rebuild-plugin",
            description: format!(
                "build the plugin with the tags the gateway's build uses for these packages ({})",
                tags(&build.gateway_tags)
            ),
            go_command: None,
            edit: None,
            edits: Vec::new(),
        }],
        location: None,
    }
}

/// `version-conflict`, or `workspace-hides-conflict` when the plugin is
/// built in a workspace with the gateway's source and raises the module:
/// one fact, worded for the layout, because there a gateway built in the
/// workspace gets the raised version too and a local load test passes.
fn version_conflict(s: &Shared, plugin: &PluginFiles<'_>) -> Finding {
    let path = &s.gateway.path;
    let raised = plugin.workspace && semver::compare(&s.plugin.version, &s.gateway.version).is_gt();
    let (rule, message) = if raised {
        (
            RuleId::WorkspaceHidesConflict,
            format!(
                "loads into a gateway built in this workspace; fails with the release binary, which links {path} {}: the workspace raises it to {} for the gateway it builds too ({})",
                s.gateway.version,
                s.plugin.version,
                linked_what(s)
            ),
        )
    } else {
        (
            RuleId::VersionConflict,
            format!(
                "the plugin builds {path} {} but the gateway links {} ({})",
                s.plugin.version,
                s.gateway.version,
                linked_what(s)
            ),
        )
    };
    let mut f = finding(rule, Severity::Error, s, message);
    f.why = plugin.why(&s.plugin);
    let mut fix = pin(
        path,
        &s.gateway.version,
        format!(
            "require {path} {} (the gateway's version)",
            s.gateway.version
        ),
    );
    if let Some(excluded) = plugin
        .go_mod
        .exclude
        .iter()
        .find(|e| e.path == *path && e.version == s.gateway.version)
    {
        fix.description
            .push_str(", and stop excluding it: the plugin's go.mod excludes that very version");
        fix.edits.insert(
            0,
            Edit::DropExclude {
                path: excluded.path.clone(),
                version: excluded.version.clone(),
            },
        );
    }
    f.suggestions.push(fix);
    f.location = Some(plugin.require_location(path));
    f
}

fn gateway_package_standalone(s: &Shared, plugin: &PluginFiles<'_>) -> Finding {
    let path = &s.gateway.path;
    let mut f = finding(
        RuleId::GatewayPackageStandalone,
        Severity::Error,
        s,
        format!(
            "the plugin links the gateway's own packages as {}, but the gateway binary built them as its main module {path}",
            s.plugin.trimmed_name()
        ),
    );
    "-trimpath names a dependency's files path@version and a main module's files by its path alone, so these packages never match a gateway built from its own source".clone_into(&mut f.why);
    f.suggestions.push(Suggestion {
        kind: "use-workspace",
        description: "build the plugin in a Go workspace with the gateway source checked out at the release's commit".to_owned(),
        go_command: Some("go work init ./tyk ./plugin".to_owned()),
        edit: None,
        edits: Vec::new(),
    });
    f.location = Some(plugin.require_location(path));
    f
}

fn replaced_code(s: &Shared, plugin: &PluginFiles<'_>, gateway_go_mod: &ModFile) -> Finding {
    let path = &s.gateway.path;
    let gateway_replace = gateway_go_mod.replace.iter().find(|r| {
        r.old.path == *path
            && r.old
                .version
                .as_ref()
                .is_none_or(|v| *v == s.gateway.version)
    });
    if let Some(r) = gateway_replace {
        let target = match &r.new.version {
            Some(v) => format!("{} {v}", r.new.path),
            None => r.new.path.clone(),
        };
        let mut f = finding(
            RuleId::ReplaceNotMirrored,
            Severity::Error,
            s,
            format!(
                "the gateway replaces {path} with {target}; the plugin builds other code for {path} {} ({})",
                s.plugin.version,
                linked_what(s)
            ),
        );
        "a go.mod's replace directives apply only when it is the main module, so a plugin built outside the gateway's workspace does not inherit them".clone_into(&mut f.why);
        f.suggestions.push(Suggestion {
            kind: "mirror-replace",
            description: format!(
                "add the gateway's replace to the plugin's go.mod: {path} => {target}"
            ),
            go_command: r
                .new
                .version
                .as_ref()
                .map(|v| format!("go mod edit -replace={path}={}@{v}", r.new.path)),
            edit: Some(format!("replace {path} => {target}")),
            edits: vec![Edit::AddReplace {
                old: ModuleRef {
                    path: path.clone(),
                    version: None,
                },
                new: r.new.clone(),
            }],
        });
        f.location = Some(plugin.require_location(path));
        return f;
    }
    let mut f = finding(
        RuleId::VersionConflict,
        Severity::Error,
        s,
        format!(
            "the plugin builds {path} {} from other code than the gateway ({})",
            s.plugin.version,
            linked_what(s)
        ),
    );
    let replace = plugin.go_mod.replace.iter().find(|r| r.old.path == *path);
    f.why = match replace {
        Some(_) => format!(
            "the plugin's go.mod replaces {path}; the gateway builds the module version itself"
        ),
        None => format!("the plugin's workspace or go.mod supplies other code for {path}"),
    };
    f.suggestions.push(Suggestion {
        kind: "drop-replace",
        description: format!(
            "remove the plugin's replace of {path} so it builds the gateway's {path} {}",
            s.gateway.version
        ),
        go_command: Some(format!("go mod edit -dropreplace={path}")),
        edit: None,
        edits: replace
            .map(|r| Edit::DropReplace { old: r.old.clone() })
            .into_iter()
            .collect(),
    });
    f.location = Some(
        plugin.location(
            replace
                .map(|r| r.span)
                .or_else(|| plugin.go_mod.module.as_ref().map(|m| m.span)),
        ),
    );
    f
}

fn code_unknown(s: &Shared, plugin: &PluginFiles<'_>) -> Finding {
    let path = &s.gateway.path;
    let mut f = finding(
        RuleId::SharedDependency,
        Severity::Warning,
        s,
        format!(
            "{path} is shared with the gateway, but one side's code could not be read to compare"
        ),
    );
    f.why = plugin.why(&s.plugin);
    f.location = Some(plugin.require_location(path));
    f
}

fn no_go_mod(s: &Shared, plugin: &PluginFiles<'_>) -> Finding {
    let (path, version) = (&s.gateway.path, &s.gateway.version);
    let kind = if version.ends_with("+incompatible") {
        "+incompatible"
    } else if pseudo::is_pseudo_version(version) {
        "a pseudo-version"
    } else {
        "a tag"
    };
    // At the gateway's exact version the module loads; what is left is the
    // risk of drifting later, which an explicit requirement removes.
    let in_step = s.difference == Difference::None && s.plugin.version == *version;
    let pinned = plugin.requires_exactly(path, version);
    let severity = if in_step {
        Severity::Note
    } else {
        Severity::Warning
    };
    let mut f = finding(
        RuleId::NoGoMod,
        severity,
        s,
        format!(
            "{path} {version} ({kind}) has no go.mod, and both the gateway and the plugin build it ({})",
            linked_what(s)
        ),
    );
    "without a go.mod the module declares no requirements, so nothing keeps the plugin's version in step with the gateway's but an explicit pin".clone_into(&mut f.why);
    if !(in_step && pinned) {
        f.suggestions.push(pin(
            path,
            version,
            format!("pin {path} {version} exactly as the gateway does, or move both to a version of it that has a go.mod"),
        ));
    }
    f.location = Some(plugin.require_location(path));
    f
}

/// `plugin-module-path`: a plugin package whose import path is `main`.
/// A plugin's packages keep their import paths in the binary (cmd/go's
/// `pluginPath`), while every gateway binary's own `package main` is linked
/// as `main`; so a plugin module named `main` (with its plugin package at
/// the root) always differs from the gateway's package `main`.
#[must_use]
pub fn plugin_module_path(plugin_packages: &[String], plugin: &PluginFiles<'_>) -> Option<Finding> {
    if !plugin_packages.iter().any(|p| p == "main") {
        return dotless_module_path(plugin);
    }
    let new_path = renamed_module_path(plugin);
    let span = plugin.go_mod.module.as_ref().map(|m| m.span);
    Some(Finding {
        rule: RuleId::PluginModulePath,
        severity: Severity::Error,
        module: Some("main".to_owned()),
        gateway_version: None,
        plugin_version: None,
        packages: vec!["main".to_owned()],
        message: "the plugin's module path is `main`, so its plugin package is linked as package main, which the gateway already holds".to_owned(),
        why: "plugin.Open checks every package both binaries hold, and the gateway's own package main is always there under that path: plugin was built with a different version of package main".to_owned(),
        suggestions: vec![rename_module(&new_path)],
        location: Some(plugin.location(span)),
    })
}

/// `plugin-module-path`, warning: a module path without a dot in its first
/// element (`testplugin`, as Tyk's docs write it) loads today, but nothing
/// keeps a gateway release, or another plugin, from holding a package at
/// that path; Tyk's plugin compiler warns about it too.
fn dotless_module_path(plugin: &PluginFiles<'_>) -> Option<Finding> {
    let module = plugin.go_mod.module.as_ref()?;
    let first = module.path.split('/').next().unwrap_or("");
    if first.contains('.') {
        return None;
    }
    let new_path = renamed_module_path(plugin);
    Some(Finding {
        rule: RuleId::PluginModulePath,
        severity: Severity::Warning,
        module: Some(module.path.clone()),
        gateway_version: None,
        plugin_version: None,
        packages: Vec::new(),
        message: format!(
            "the plugin's module path {} has no dot in its first element",
            module.path
        ),
        why: "paths without a dot are the standard library's; a gateway or another plugin holding a package at the same path makes plugin.Open refuse this one (\"plugin already loaded\" or \"different version of package\")".to_owned(),
        suggestions: vec![rename_module(&new_path)],
        location: Some(plugin.location(Some(module.span))),
    })
}

/// The module path a rename suggests: `example.com/` and the plugin's
/// directory name when that makes a valid path.
fn renamed_module_path(plugin: &PluginFiles<'_>) -> String {
    let dir_name = std::path::Path::new(plugin.go_mod_name)
        .parent()
        .and_then(|d| d.file_name())
        .and_then(|n| n.to_str())
        .filter(|n| crate::version::module::check_path(&format!("example.com/{n}")).is_ok())
        .unwrap_or("plugin");
    format!("example.com/{dir_name}")
}

fn rename_module(new_path: &str) -> Suggestion {
    Suggestion {
        kind: "rename-module",
        description: format!(
            "give the plugin a module path with a dot in its first element, e.g. {new_path}, and update the imports of its own packages"
        ),
        go_command: Some(format!("go mod edit -module={new_path}")),
        edit: Some(format!("module {new_path}")),
        edits: Vec::new(),
    }
}

/// `go-sum-mismatch`: the two go.sum files record different hashes for one
/// module version (or its go.mod): one of them was not built from the code
/// the other was.
#[must_use]
pub fn go_sum_mismatches(
    plugin_sum: &SumFile,
    plugin_sum_name: &str,
    plugin_sum_text: &str,
    gateway_sum: &SumFile,
) -> Vec<Finding> {
    let gateway: BTreeMap<(&str, &str, bool), Vec<&str>> =
        gateway_sum
            .lines
            .iter()
            .fold(BTreeMap::new(), |mut map, l| {
                map.entry((l.path.as_str(), l.version.as_str(), l.go_mod))
                    .or_default()
                    .push(l.hash.as_str());
                map
            });
    let index = LineIndex::new(plugin_sum_text);
    plugin_sum
        .lines
        .iter()
        .filter_map(|l| {
            let theirs = gateway.get(&(l.path.as_str(), l.version.as_str(), l.go_mod))?;
            if theirs.contains(&l.hash.as_str()) {
                return None;
            }
            let what = if l.go_mod { "/go.mod" } else { "" };
            let at = index.line_col(l.span.start);
            Some(Finding {
                rule: RuleId::GoSumMismatch,
                severity: Severity::Error,
                module: Some(l.path.clone()),
                gateway_version: Some(l.version.clone()),
                plugin_version: Some(l.version.clone()),
                packages: Vec::new(),
                message: format!(
                    "go.sum disagrees with the gateway's on {} {}{what}: {} here, {} there",
                    l.path,
                    l.version,
                    l.hash,
                    theirs.join(", ")
                ),
                why: "one module version has one content; two hashes mean one side built other bytes under that version".to_owned(),
                suggestions: vec![Suggestion {
                    kind: "refresh-go-sum",
                    description: "delete the line and let the go command record the checksum database's hash again".to_owned(),
                    go_command: Some("go mod download && go mod verify".to_owned()),
                    edit: None,
                    edits: Vec::new(),
                }],
                location: Some(Location {
                    file: plugin_sum_name.to_owned(),
                    line: Some(at.line),
                    column: Some(at.column),
                    span: Some(l.span),
                }),
            })
        })
        .collect()
}

/// `go-directive`: the plugin asks for a newer Go than the gateway is built
/// with. A plugin must be built by the gateway's own Go release; one whose
/// `go` or `toolchain` line is newer makes the go command refuse
/// (`GOTOOLCHAIN=local`) or switch toolchains, and a plugin from another
/// release never loads.
///
/// A gateway go.mod without a toolchain line declares only a minimum: the
/// assumed toolchain (`toolchain`, `go1.26.8`) builds both, so a plugin
/// line newer than the gateway's but not than that toolchain is a warning
/// (it loads into a gateway that toolchain built, not into a release built
/// by an older Go); newer than the toolchain, or than an exact gateway
/// toolchain line, it is an error.
#[must_use]
pub fn go_directive(
    plugin: &PluginFiles<'_>,
    gateway_go_mod: &ModFile,
    toolchain: Option<&str>,
) -> Option<Finding> {
    let gateway_go = gateway_toolchain(gateway_go_mod)?;
    let (asked, span) = [&plugin.go_mod.toolchain, &plugin.go_mod.go]
        .into_iter()
        .flatten()
        .map(|d| {
            let v = gover::from_toolchain(&d.version).unwrap_or(&d.version);
            (v.to_owned(), d.span)
        })
        .max_by(|a, b| gover::compare(&a.0, &b.0))?;
    let exact = gateway_go_mod.toolchain.is_some();
    let too_new = if exact {
        gover::compare(&asked, &gateway_go).is_gt()
    } else {
        gover::compare(&gover::lang(&asked), &gover::lang(&gateway_go)).is_gt()
    };
    if !too_new {
        return None;
    }
    let builder = toolchain.and_then(gover::from_toolchain);
    let refused = exact || builder.is_none_or(|t| gover::compare(&asked, t).is_gt());
    let (severity, why) = match builder {
        Some(t) if !refused => (
            Severity::Warning,
            format!("the gateway's go.mod asks only for go {gateway_go}, and go{t} (the toolchain assumed to build both) builds this plugin, so it loads into a gateway built by go{t}; a release built by an older Go cannot be matched, since that Go refuses the plugin's go line"),
        ),
        _ => (
            Severity::Error,
            "a plugin must be built by the same Go release as the gateway; the go command refuses a go line newer than its own release, or switches to that newer toolchain".to_owned(),
        ),
    };
    Some(Finding {
        rule: RuleId::GoDirective,
        severity,
        module: plugin.go_mod.module.as_ref().map(|m| m.path.clone()),
        gateway_version: Some(format!("go{gateway_go}")),
        plugin_version: Some(format!("go{asked}")),
        packages: Vec::new(),
        message: format!("the plugin needs go {asked}, newer than the gateway's go {gateway_go}"),
        why,
        suggestions: vec![Suggestion {
            kind: "lower-go-directive",
            description: format!(
                "lower the plugin's go line to the gateway's ({gateway_go}) and drop a newer toolchain line"
            ),
            go_command: Some(format!("go mod edit -go={gateway_go} -toolchain=none")),
            edit: Some(format!("go {gateway_go}")),
            edits: vec![
                Edit::SetGo {
                    version: Some(gateway_go.clone()),
                },
                Edit::SetToolchain { name: None },
            ],
        }],
        location: Some(plugin.location(Some(span))),
    })
}

/// The Go release the gateway declares: its toolchain line, else its go line.
fn gateway_toolchain(gateway: &ModFile) -> Option<String> {
    if let Some(t) = &gateway.toolchain
        && let Some(v) = gover::from_toolchain(&t.version)
    {
        return Some(v.to_owned());
    }
    gateway.go.as_ref().map(|g| g.version.clone())
}

/// `retracted`: the plugin builds a version its author retracted (the
/// latest go.mod's `retract` directives, as `go list -m -retracted` reads them).
#[must_use]
pub fn retracted(plugin: &PluginFiles<'_>, m: &ModuleUse, message: &str, latest: &str) -> Finding {
    Finding {
        rule: RuleId::Retracted,
        severity: Severity::Warning,
        module: Some(m.path.clone()),
        gateway_version: None,
        plugin_version: Some(m.version.clone()),
        packages: Vec::new(),
        message: format!("{} {} is {message}", m.path, m.version),
        why: format!(
            "the go.mod of {} {latest}, its latest version, retracts it",
            m.path
        ),
        suggestions: Vec::new(),
        location: Some(plugin.require_location(&m.path)),
    }
}

/// `deprecated`: the plugin builds a module its author deprecated (`//
/// Deprecated:` on the module line of its latest go.mod).
#[must_use]
pub fn deprecated(plugin: &PluginFiles<'_>, m: &ModuleUse, message: &str) -> Finding {
    Finding {
        rule: RuleId::Deprecated,
        severity: Severity::Warning,
        module: Some(m.path.clone()),
        gateway_version: None,
        plugin_version: Some(m.version.clone()),
        packages: Vec::new(),
        message: format!("{} is deprecated: {message}", m.path),
        why: "the module's latest go.mod says so on its module line".to_owned(),
        suggestions: Vec::new(),
        location: Some(plugin.require_location(&m.path)),
    }
}

/// A pin to another version of a module that has a go.mod (the nearest the
/// proxy has), for a `no-go-mod` finding.
#[must_use]
pub fn move_to_go_mod_version(path: &str, version: &str) -> Suggestion {
    Suggestion {
        kind: "use-version-with-go-mod",
        description: format!(
            "{path} {version} is the nearest version with a go.mod; moving the gateway and the plugin to it together makes the version pinnable"
        ),
        go_command: Some(format!("go get {path}@{version}")),
        edit: Some(format!("require {path} {version}")),
        edits: Vec::new(),
    }
}

/// Another major version of a module, which has other import paths and so
/// loads beside the gateway's, for a `version-conflict` finding.
#[must_use]
pub fn other_major(path: &str, major_path: &str, latest: &str) -> Suggestion {
    Suggestion {
        kind: "use-other-major",
        description: format!(
            "{major_path} (latest {latest}) is another major version of {path}: its packages have other import paths and load beside the gateway's; moving the plugin's imports to it ends the conflict"
        ),
        go_command: Some(format!("go get {major_path}@{latest}")),
        edit: None,
        edits: Vec::new(),
    }
}
