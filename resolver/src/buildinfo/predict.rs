//! Predicting `plugin.Open` from the files alone.
//!
//! The runtime (`plugin_lastmoduleinit`) rejects a plugin whose plugin path is
//! already loaded, then compares, for every package the plugin links, its own
//! link-time fingerprint with the one the dynamic loader resolves first: the
//! gateway's, else an earlier plugin's (failed ones included — they are never
//! unloaded). This module replays that over the facts read by [`super::elf`],
//! reports every mismatch rather than the first, and uses build info to say why.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use super::elf::{ElfFacts, GlibcVersion, ObjectType, SymbolSource};
use super::modinfo::{BuildInfo, Module};
use crate::audit::PluginReport;
pub use crate::audit::{Finding, Location, RuleId, Severity, Suggestion, Verdict};

/// A binary given to the predictor.
#[derive(Debug, Clone)]
pub struct Binary {
    /// The path as the user (and the gateway's `plugin.Open` call) spells it.
    pub name: String,
    /// The canonical path: the loader caches outcomes by it.
    pub real_path: String,
    /// What the file says.
    pub facts: ElfFacts,
}

/// Facts about the machine the gateway runs on.
#[derive(Debug, Clone, Copy, Default)]
pub struct Target {
    /// The glibc the gateway's runtime image has, if known.
    pub max_glibc: Option<GlibcVersion>,
}

/// What opening the plugins inside the gateway does: the parts of the
/// binary audit's [`Report`](crate::audit::Report), which derives the
/// verdict from them (fails if the gateway cannot load plugins).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Prediction {
    /// Findings about the gateway itself.
    pub gateway_findings: Vec<Finding>,
    /// One report per plugin, in load order.
    pub plugins: Vec<PluginReport>,
}

/// A plugin the loader has `dlopen`ed: its symbols take part in later lookups
/// whether or not its checks passed.
struct Opened<'a> {
    binary: &'a Binary,
    plugin_path: Option<String>,
    error: Option<String>,
}

/// Predict opening `plugins` in order inside `gateway`.
pub fn predict(gateway: &Binary, plugins: &[Binary], target: Target) -> Prediction {
    let gateway_findings = gateway_findings(gateway, target);
    let blocked = gateway_findings
        .iter()
        .any(|f| f.severity == Severity::Error);
    let mut opened: Vec<Opened<'_>> = Vec::new();
    let mut dead = false;
    let outcomes: Vec<PluginReport> = plugins
        .iter()
        .map(|plugin| {
            if blocked || dead {
                return blocked_outcome(plugin, dead, stub_message(gateway));
            }
            let outcome = open_one(gateway, plugin, &mut opened, target);
            dead = outcome
                .loader_message
                .as_deref()
                .is_some_and(|m| m.starts_with(FATAL));
            outcome
        })
        .collect();
    let mut outcomes = outcomes;
    if gateway.facts.hashes.source == SymbolSource::None {
        // The gateway can load plugins but its hashes are unreadable: only
        // failures found without them stand.
        for o in outcomes.iter_mut().filter(|o| o.verdict == Verdict::Loads) {
            o.verdict = Verdict::Unknown;
        }
    }
    Prediction {
        gateway_findings,
        plugins: outcomes,
    }
}

fn module_of(binary: &Binary) -> Option<String> {
    binary
        .facts
        .build_info
        .as_ref()
        .map(|b| b.main.path.clone())
        .filter(|p| !p.is_empty())
}

/// How the runtime starts a message when it kills the process.
pub const FATAL: &str = "fatal error: ";

/// A plugin the gateway never gets to open: it cannot load plugins, or an earlier
/// plugin killed the process.
fn blocked_outcome(plugin: &Binary, dead: bool, stub: Option<String>) -> PluginReport {
    let mut findings = Vec::new();
    if dead {
        findings.push(finding(
            RuleId::NotReached,
            Severity::Note,
            &plugin.name,
            format!(
                "{} is never opened: an earlier plugin crashes the gateway",
                plugin.name
            ),
            "A fatal runtime error ends the process.".to_owned(),
        ));
    }
    PluginReport {
        module: module_of(plugin),
        dir: plugin.name.clone(),
        verdict: Verdict::Fails,
        loader_message: if dead { None } else { stub },
        findings,
    }
}

/// What a gateway built without cgo answers to every `plugin.Open`: package
/// plugin's stub error (no `plugin.Open("…")` prefix).
fn stub_message(gateway: &Binary) -> Option<String> {
    let info = gateway.facts.build_info.as_ref()?;
    (info.setting("CGO_ENABLED") == Some("0")).then(|| "plugin: not implemented".to_owned())
}

/// Same release line, other patch release, equal fingerprints: it loads today
/// (a patch release rarely changes export data), but nothing guarantees it.
fn patch_skew(gateway: &Binary, plugin: &Binary) -> Option<Finding> {
    let theirs = &gateway.facts.build_info.as_ref()?.go_version;
    let ours = &plugin.facts.build_info.as_ref()?.go_version;
    (theirs != ours).then(|| {
        let mut f = finding(
            RuleId::ToolchainDiffers,
            Severity::Warning,
            &plugin.name,
            format!("{} was built with {ours}, the gateway with {theirs}; every shared package still has the same fingerprint", plugin.name),
            "Fingerprints cover export data only, so a patch release that changes no export data loads; one that does will not.".to_owned(),
        );
        (f.gateway_version, f.plugin_version) = (Some(theirs.clone()), Some(ours.clone()));
        f
    })
}

/// `go1.26.8` → (1, 26); `devel go1.27-abc …` → (1, 27).
fn release_line(version: &str) -> Option<(u32, u32)> {
    let v = version
        .strip_prefix("devel ")
        .unwrap_or(version)
        .strip_prefix("go")?;
    let mut parts = v.split(|c: char| !c.is_ascii_digit());
    Some((parts.next()?.parse().ok()?, parts.next()?.parse().ok()?))
}

/// A plugin from another Go release line: the runtimes' module data layouts
/// differ, so the gateway's runtime misreads the plugin's and dies before any hash
/// is compared (observed with go1.24 and go1.25 plugins in a go1.26 gateway).
fn release_mismatch(gateway: &Binary, plugin: &Binary) -> Option<Finding> {
    let theirs = &gateway.facts.build_info.as_ref()?.go_version;
    let ours = &plugin.facts.build_info.as_ref()?.go_version;
    if release_line(theirs)? == release_line(ours)? {
        return None;
    }
    let mut f = finding(
        RuleId::ToolchainMismatch,
        Severity::Error,
        &plugin.name,
        format!("{} was built with {ours}, the gateway with {theirs}: the gateway crashes with \"runtime: no plugin module data\"", plugin.name),
        "Each Go release changes the runtime's module data layout; the gateway's runtime cannot even find a plugin built by another release, and throws.".to_owned(),
    );
    f.suggestions.push(suggestion(
        "rebuild-plugin",
        format!("Rebuild the plugin with {theirs}."),
        Some(format!(
            "GOTOOLCHAIN={theirs} {}",
            build_command(gateway.facts.build_info.as_ref())
        )),
    ));
    (f.gateway_version, f.plugin_version) = (Some(theirs.clone()), Some(ours.clone()));
    Some(f)
}

fn finding(rule: RuleId, severity: Severity, file: &str, message: String, why: String) -> Finding {
    Finding {
        rule,
        severity,
        module: None,
        gateway_version: None,
        plugin_version: None,
        packages: Vec::new(),
        message,
        why,
        suggestions: Vec::new(),
        location: Some(Location {
            file: file.to_owned(),
            line: None,
            column: None,
            span: None,
        }),
    }
}

fn suggestion(kind: &'static str, description: String, go_command: Option<String>) -> Suggestion {
    Suggestion {
        kind,
        description,
        go_command,
        edit: None,
        edits: Vec::new(),
    }
}

/// Can this gateway load plugins at all?
fn gateway_findings(gateway: &Binary, target: Target) -> Vec<Finding> {
    let facts = &gateway.facts;
    let file = gateway.name.as_str();
    let mut out = Vec::new();
    let cgo_off = facts
        .build_info
        .as_ref()
        .and_then(|b| b.setting("CGO_ENABLED"))
        == Some("0");
    if cgo_off {
        let mut f = finding(
            RuleId::GatewayCannotLoadPlugins,
            Severity::Error,
            file,
            format!(
                "{file} was built with CGO_ENABLED=0: plugin.Open returns \"plugin: not implemented\""
            ),
            "The plugin loader needs cgo (dlopen); without it package plugin is a stub.".to_owned(),
        );
        f.suggestions.push(suggestion(
            "rebuild-gateway",
            "Rebuild the gateway with CGO_ENABLED=1.".to_owned(),
            None,
        ));
        out.push(f);
    } else if !facts.links_plugin_open && facts.hashes.source == SymbolSource::None {
        out.push(finding(
            RuleId::GatewayCannotLoadPlugins,
            Severity::Error,
            file,
            format!("{file} does not link package plugin and exports no package hashes"),
            "Only a binary that imports \"plugin\" (with cgo) can open Go plugins.".to_owned(),
        ));
    } else if facts.hashes.source == SymbolSource::None {
        out.push(finding(
            RuleId::GatewayHashesUnreadable,
            Severity::Warning,
            file,
            format!("{file} links plugin.Open but no package-hash symbols could be read"),
            "Without the gateway's fingerprints the package check cannot be made.".to_owned(),
        ));
    }
    if let (Some(have), Some(max)) = (facts.max_glibc, target.max_glibc)
        && have > max
    {
        out.push(glibc_finding(file, have, max, "the gateway"));
    }
    out
}

fn glibc_finding(file: &str, needed: GlibcVersion, max: GlibcVersion, what: &str) -> Finding {
    let mut f = finding(
        RuleId::GlibcTooNew,
        Severity::Error,
        file,
        format!("{what} needs GLIBC_{needed}, the target has {max}"),
        "The dynamic loader refuses a file that needs a newer glibc symbol version than the system libc provides."
            .to_owned(),
    );
    f.suggestions.push(suggestion(
        "rebuild-older-glibc",
        format!("Build {what} in an image whose glibc is at most {max} (e.g. the gateway's own build image)."),
        None,
    ));
    f
}

/// Replay one `plugin.Open`.
fn open_one<'a>(
    gateway: &'a Binary,
    plugin: &'a Binary,
    opened: &mut Vec<Opened<'a>>,
    target: Target,
) -> PluginReport {
    let mut outcome = PluginReport {
        module: module_of(plugin),
        dir: plugin.name.clone(),
        verdict: Verdict::Loads,
        loader_message: None,
        findings: Vec::new(),
    };
    let prefix = format!("plugin.Open(\"{}\"): ", plugin.name);
    if let Some(earlier) = opened
        .iter()
        .find(|o| o.binary.real_path == plugin.real_path)
    {
        if let Some(error) = &earlier.error {
            outcome.verdict = Verdict::Fails;
            outcome.loader_message = Some(format!("{prefix}{error} (previous failure)"));
        }
        return outcome;
    }
    if let Some((f, dlerror)) = dlopen_problem(gateway, plugin, target) {
        outcome.findings.push(f);
        outcome.verdict = Verdict::Fails;
        outcome.loader_message = Some(format!("{prefix}{dlerror}"));
        return outcome;
    }
    note_glibc(plugin, target, &mut outcome.findings);
    if let Some(problem) = &plugin.facts.build_info_problem {
        outcome.findings.push(finding(
            RuleId::PluginBuildInfoMissing,
            Severity::Note,
            &plugin.name,
            format!("{} carries no Go build info ({problem})", plugin.name),
            "The package check still runs on the hash symbols, but causes cannot be explained from module versions and build flags.".to_owned(),
        ));
    }
    if let Some(f) = release_mismatch(gateway, plugin) {
        outcome.findings.push(f);
        outcome.verdict = Verdict::Fails;
        outcome.loader_message = Some(format!("{FATAL}runtime: no plugin module data"));
        return outcome;
    }
    let short = plugin
        .name
        .strip_suffix(".so")
        .filter(|s| !s.is_empty())
        .unwrap_or(&plugin.name);
    let error = runtime_checks(gateway, plugin, opened, &mut outcome);
    if let Some(error) = &error {
        outcome.verdict = Verdict::Fails;
        outcome.loader_message = Some(if error.starts_with(FATAL) {
            error.clone()
        } else {
            format!("plugin.Open(\"{short}\"): {error}")
        });
    }
    opened.push(Opened {
        binary: plugin,
        plugin_path: plugin_path(plugin),
        error,
    });
    outcome
}

/// What the dynamic loader itself refuses, with its `dlerror` text.
fn dlopen_problem(gateway: &Binary, plugin: &Binary, target: Target) -> Option<(Finding, String)> {
    let (g, p) = (&gateway.facts, &plugin.facts);
    let file = plugin.name.as_str();
    let real = plugin.real_path.as_str();
    if p.class != g.class {
        let text = format!("{real}: wrong ELF class: ELFCLASS{}", p.class);
        let f = finding(
            RuleId::ElfClassMismatch,
            Severity::Error,
            file,
            format!(
                "{file} is a {}-bit ELF file, the gateway is {}-bit",
                p.class, g.class
            ),
            "The dynamic loader only loads objects of its own class.".to_owned(),
        );
        return Some((f, text));
    }
    if p.machine != g.machine || p.big_endian != g.big_endian {
        let f = finding(
            RuleId::MachineMismatch,
            Severity::Error,
            file,
            format!(
                "{file} is built for {}, the gateway for {}",
                p.machine_name(),
                g.machine_name()
            ),
            "Build the plugin with the gateway's GOOS/GOARCH.".to_owned(),
        );
        return Some((
            f,
            format!(
                "{real}: cannot open shared object file (built for {})",
                p.machine_name()
            ),
        ));
    }
    if p.object_type != ObjectType::SharedObject {
        let f = finding(
            RuleId::NotASharedObject,
            Severity::Error,
            file,
            format!("{file} is an executable, not a plugin"),
            "Plugins are built with `go build -buildmode=plugin`.".to_owned(),
        );
        return Some((f, format!("{real}: cannot dynamically load executable")));
    }
    let (needed, max) = (p.max_glibc?, target.max_glibc?);
    (needed > max).then(|| {
        let text = format!("libc.so.6: version `GLIBC_{needed}' not found (required by {real})");
        (glibc_finding(file, needed, max, "the plugin"), text)
    })
}

fn note_glibc(plugin: &Binary, target: Target, findings: &mut Vec<Finding>) {
    if let (Some(needed), None) = (plugin.facts.max_glibc, target.max_glibc) {
        findings.push(finding(
            RuleId::GlibcRequirement,
            Severity::Note,
            &plugin.name,
            format!("{} needs glibc {needed} or newer", plugin.name),
            "Pass --max-glibc with the gateway image's glibc to check it.".to_owned(),
        ));
    }
}

/// The plugin path the runtime compares: the linker's record, else the main
/// package path from build info escaped as the linker does.
fn plugin_path(plugin: &Binary) -> Option<String> {
    plugin.facts.plugin_path.clone().or_else(|| {
        let path = &plugin.facts.build_info.as_ref()?.path;
        (!path.is_empty() && path != "command-line-arguments").then(|| path_to_prefix(path))
    })
}

/// `cmd/internal/objabi.PathToPrefix`: escape control bytes, `%`, `"`, non-ASCII,
/// and dots in the last path element.
pub fn path_to_prefix(path: &str) -> String {
    let slash = path.rfind('/');
    let mut out = String::with_capacity(path.len());
    for (i, b) in path.bytes().enumerate() {
        let dot_in_last = b == b'.' && slash.is_none_or(|s| i > s);
        if b <= b' ' || dot_in_last || b == b'%' || b == b'"' || b >= 0x7f {
            let _ = write!(out, "%{b:02x}");
        } else {
            out.push(char::from(b));
        }
    }
    out
}

/// `plugin_lastmoduleinit`'s checks; the error string when one fails.
fn runtime_checks(
    gateway: &Binary,
    plugin: &Binary,
    opened: &[Opened<'_>],
    outcome: &mut PluginReport,
) -> Option<String> {
    let facts = &plugin.facts;
    if facts.hashes.source == SymbolSource::None {
        let after_plugin = opened.iter().any(|o| o.error.is_none());
        let text = if after_plugin {
            "plugin already loaded"
        } else {
            "fatal error: runtime: no plugin module data"
        };
        outcome.findings.push(finding(
            RuleId::NotAGoPlugin,
            Severity::Error,
            &plugin.name,
            format!(
                "{} has no Go package hashes: it is not a Go plugin",
                plugin.name
            ),
            "The runtime finds no new Go module after dlopen and blames the last one it knows."
                .to_owned(),
        ));
        return Some(text.to_owned());
    }
    let own_path = plugin_path(plugin);
    if own_path.is_none() {
        outcome.findings.push(finding(
            RuleId::PluginPathUnknown,
            Severity::Warning,
            &plugin.name,
            format!(
                "the plugin path of {} is unknown (stripped and built from files)",
                plugin.name
            ),
            "Two plugins with one plugin path cannot both load; this could not be checked."
                .to_owned(),
        ));
    }
    if let Some(earlier) = opened
        .iter()
        .find(|o| o.error.is_none() && o.plugin_path.is_some() && o.plugin_path == own_path)
    {
        outcome.findings.push(already_loaded(
            plugin,
            earlier,
            own_path.as_deref().unwrap_or_default(),
        ));
        return Some("plugin already loaded".to_owned());
    }
    let mismatches = mismatches(gateway, plugin, opened);
    if mismatches.is_empty() {
        outcome.findings.extend(patch_skew(gateway, plugin));
        return None;
    }
    let first = first_checked(&plugin.facts, &mismatches);
    if plugin.facts.hashes.check_order.is_empty() && mismatches.len() > 1 {
        outcome.findings.push(finding(
            RuleId::CheckOrderUnknown,
            Severity::Note,
            &plugin.name,
            format!("{} is stripped: the loader may name any of the mismatching packages", plugin.name),
            "The runtime's check order is recorded only in the plugin's .symtab; this report assumes the first by name.".to_owned(),
        ));
    }
    outcome
        .findings
        .extend(explain(gateway, plugin, &mismatches, &first));
    Some(format!(
        "plugin was built with a different version of package {first}"
    ))
}

fn already_loaded(plugin: &Binary, earlier: &Opened<'_>, path: &str) -> Finding {
    let mut f = finding(RuleId::PluginAlreadyLoaded, Severity::Error, &plugin.name, format!("{} has plugin path {path}, like {} loaded before it", plugin.name, earlier.binary.name), "The runtime keys plugins by the import path of their main package; a second plugin with the same one is refused before any hash is compared.".to_owned());
    f.module = module_of(plugin);
    f.suggestions.push(suggestion(
        "rename-plugin",
        "Give each plugin its own main package import path (its own module path or directory)."
            .to_owned(),
        None,
    ));
    f
}

/// A package whose fingerprint differs from the one the loader resolves.
struct Mismatch<'a> {
    package: &'a str,
    /// Who defines the fingerprint that wins: the gateway or an earlier plugin.
    definer: &'a Binary,
}

fn mismatches<'a>(
    gateway: &'a Binary,
    plugin: &'a Binary,
    opened: &[Opened<'a>],
) -> Vec<Mismatch<'a>> {
    let definers = std::iter::once(gateway).chain(opened.iter().map(|o| o.binary));
    let definers: Vec<&Binary> = definers.collect();
    plugin
        .facts
        .hashes
        .by_package
        .iter()
        .filter_map(|(package, own)| {
            let (definer, hash) = definers
                .iter()
                .find_map(|d| d.facts.hashes.by_package.get(package).map(|h| (*d, h)))?;
            (hash != own).then_some(Mismatch { package, definer })
        })
        .collect()
}

/// The package the runtime names: the first mismatch in the plugin's check order
/// (when the symbol table is gone, the first by name).
fn first_checked(facts: &ElfFacts, mismatches: &[Mismatch<'_>]) -> String {
    facts
        .hashes
        .check_order
        .iter()
        .find(|p| mismatches.iter().any(|m| m.package == p.as_str()))
        .map_or_else(|| mismatches[0].package.to_owned(), Clone::clone)
}

/// Why a group of packages mismatches.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Cause {
    Toolchain,
    Flags(Vec<String>),
    GatewayRevision(String),
    VersionSkew(String),
    SamePlugin,
    PluginModuleMain,
    Unknown,
}

impl Cause {
    /// A cause that explains a difference for certain, unlike a `-tags`
    /// difference, which changes a package only when one of its files is
    /// constrained by a differing tag (unknowable from the binaries).
    fn is_certain(&self) -> bool {
        !matches!(self, Cause::Unknown) && *self != Cause::Flags(vec!["-tags".to_owned()])
    }
}

fn explain(
    gateway: &Binary,
    plugin: &Binary,
    mismatches: &[Mismatch<'_>],
    first: &str,
) -> Vec<Finding> {
    let mut all = finding(
        RuleId::PackageHashMismatch,
        Severity::Error,
        &plugin.name,
        format!("{} of the packages {} shares with the gateway (or earlier plugins) were built differently; the loader names {first}", mismatches.len(), plugin.name),
        "plugin.Open compares a link-time fingerprint of every shared package's export data and stops at the first difference, so fixing the one it names often reveals the next.".to_owned(),
    );
    all.packages = mismatches.iter().map(|m| m.package.to_owned()).collect();
    let causes: Vec<Cause> = mismatches
        .iter()
        .map(|m| classify(gateway, plugin, m))
        .collect();
    // Packages of the same version that differ beside a certain cause were
    // compiled against the differing packages; blaming a tag there would
    // send the user after the wrong fix.
    let certain = causes.iter().any(Cause::is_certain);
    let mut groups: BTreeMap<(String, Cause), Vec<&str>> = BTreeMap::new();
    for (m, cause) in mismatches.iter().zip(causes) {
        let cause = if certain && !cause.is_certain() {
            Cause::Unknown
        } else {
            cause
        };
        groups
            .entry((m.definer.name.clone(), cause))
            .or_default()
            .push(m.package);
    }
    let mut out = vec![all];
    for ((_, cause), packages) in groups {
        let definer = mismatches
            .iter()
            .find(|m| m.package == packages[0])
            .map_or(gateway, |m| m.definer);
        if let Some(f) = cause_finding(gateway, plugin, definer, &cause, &packages) {
            out.push(f);
        }
    }
    out
}

/// The module and version that provide `package` in a build, replacement applied.
fn provider<'b>(info: &'b BuildInfo, package: &str) -> Option<(&'b Module, String)> {
    let m = info.module_of(package)?;
    let version = match &m.replace {
        Some(r) if r.version == "(devel)" || r.version.is_empty() => {
            format!("{} => {}", m.version, r.path)
        }
        Some(r) => format!("{} => {} {}", m.version, r.path, r.version),
        None => m.version.clone(),
    };
    Some((m, version))
}

fn classify(gateway: &Binary, plugin: &Binary, m: &Mismatch<'_>) -> Cause {
    let (Some(theirs), Some(ours)) = (
        m.definer.facts.build_info.as_ref(),
        plugin.facts.build_info.as_ref(),
    ) else {
        return Cause::Unknown;
    };
    let providers = (provider(theirs, m.package), provider(ours, m.package));
    // The plugin's own package linked as `main` meets the gateway's package
    // main, whatever the flags.
    if let (None, Some((our_mod, _))) = &providers
        && m.package == "main"
        && our_mod.path == ours.main.path
    {
        return Cause::PluginModuleMain;
    }
    if let (Some((their_mod, their_ver)), Some((_, our_ver))) = providers {
        let definer_main = their_mod.path == theirs.main.path;
        let from_gateway = std::ptr::eq(m.definer, gateway);
        if definer_main && !from_gateway && theirs.main.path == ours.main.path {
            return Cause::SamePlugin;
        }
        if their_ver != our_ver {
            return if definer_main && from_gateway {
                Cause::GatewayRevision(their_mod.path.clone())
            } else {
                Cause::VersionSkew(their_mod.path.clone())
            };
        }
    } else if providers.0.is_some() || providers.1.is_some() {
        // Only a package no module of either build provides is the
        // standard library's: module paths may have no dot.
        return Cause::Unknown;
    }
    flag_cause(theirs, ours)
}

/// Build settings that change export data (and so fingerprints). The
/// architecture levels (`GOAMD64`, `GOARM`, ...) do not: a `GOAMD64=v2` plugin
/// loads into a `v1` gateway (binary lab), so they are never named as a cause.
const HASH_SETTINGS: &[&str] = &[
    "-asan",
    "-msan",
    "-race",
    "-cover",
    "-tags",
    "-trimpath",
    "-gcflags",
    "-asmflags",
    "-compiler",
    "CGO_ENABLED",
    "GOEXPERIMENT",
    "GOFIPS140",
    "GOARCH",
    "GOOS",
];

fn flag_cause(theirs: &BuildInfo, ours: &BuildInfo) -> Cause {
    if theirs.go_version != ours.go_version {
        return Cause::Toolchain;
    }
    let mut differing: Vec<String> = HASH_SETTINGS
        .iter()
        .filter(|k| theirs.setting(k) != ours.setting(k))
        .map(|k| (*k).to_owned())
        .collect();
    // Any other setting changes every package; tags only some, perhaps none.
    if differing.len() > 1 {
        differing.retain(|k| k != "-tags");
    }
    if differing.is_empty() {
        Cause::Unknown
    } else {
        Cause::Flags(differing)
    }
}

fn setting_text(info: Option<&BuildInfo>, key: &str) -> String {
    info.and_then(|b| b.setting(key))
        .map_or_else(|| "unset".to_owned(), |v| format!("{key}={v}"))
}

fn cause_finding(
    gateway: &Binary,
    plugin: &Binary,
    definer: &Binary,
    cause: &Cause,
    packages: &[&str],
) -> Option<Finding> {
    let theirs = definer.facts.build_info.as_ref();
    let ours = plugin.facts.build_info.as_ref();
    let who = if std::ptr::eq(definer, gateway) {
        "the gateway".to_owned()
    } else {
        format!("the earlier plugin {}", definer.name)
    };
    let mut f = match cause {
        Cause::Unknown => return None,
        Cause::Toolchain => {
            let (tv, ov) = (theirs.map(|b| b.go_version.clone()), ours.map(|b| b.go_version.clone()));
            let mut f = finding(RuleId::ToolchainMismatch, Severity::Error, &plugin.name, format!("{} was built with {}, {who} with {}", plugin.name, ov.clone().unwrap_or_default(), tv.clone().unwrap_or_default()), "Every package's fingerprint depends on the compiler; a plugin must be built by exactly the gateway's Go release.".to_owned());
            f.suggestions.push(suggestion("rebuild-plugin", format!("Rebuild the plugin with {}.", tv.clone().unwrap_or_default()), tv.as_ref().map(|v| format!("GOTOOLCHAIN={v} {}", build_command(theirs)))));
            (f.gateway_version, f.plugin_version) = (tv, ov);
            f
        }
        Cause::Flags(keys) => {
            let diffs: Vec<String> = keys.iter().map(|k| format!("{} ({who}) vs {} (plugin)", setting_text(theirs, k), setting_text(ours, k))).collect();
            let mut f = finding(RuleId::BuildFlagsMismatch, Severity::Error, &plugin.name, format!("{} and {who} were built with different settings: {}", plugin.name, diffs.join("; ")), "Build flags such as -trimpath, -race, -tags, CGO_ENABLED and GOEXPERIMENT change the export data of the packages they touch, so their fingerprints differ.".to_owned());
            f.suggestions.push(suggestion("rebuild-plugin", format!("Rebuild the plugin with the settings {who} was built with."), Some(build_command(theirs))));
            f
        }
        Cause::GatewayRevision(module) | Cause::VersionSkew(module) => return Some(skew_finding(plugin, &who, cause, module, packages, theirs, ours)),
        Cause::PluginModuleMain => {
            let mut f = finding(RuleId::PluginModulePath, Severity::Error, &plugin.name, format!("{}'s module path is `main`, so its plugin package is linked as package main, which {who} already holds", plugin.name), "A plugin's packages keep their import paths, and every Go binary's own package main is linked as `main`: the two never agree, whatever the flags.".to_owned());
            f.suggestions.push(suggestion("rename-module", "Give the plugin a module path with a dot in its first element (e.g. example.com/my-plugin), update its own imports, and rebuild it.".to_owned(), Some("go mod edit -module=example.com/my-plugin".to_owned())));
            f
        }
        Cause::SamePlugin => finding(RuleId::PluginPackageConflict, Severity::Error, &plugin.name, format!("{who} holds another build of {}'s own packages", plugin.name), "A plugin opened earlier (even one that failed to load) stays mapped, and its copy of these packages wins.".to_owned()),
    };
    f.packages = packages.iter().map(|p| (*p).to_owned()).collect();
    Some(f)
}

fn skew_finding(
    plugin: &Binary,
    who: &str,
    cause: &Cause,
    module: &str,
    packages: &[&str],
    theirs: Option<&BuildInfo>,
    ours: Option<&BuildInfo>,
) -> Finding {
    let tv = theirs
        .and_then(|b| provider(b, packages[0]))
        .map(|(_, v)| v);
    let ov = ours.and_then(|b| provider(b, packages[0])).map(|(_, v)| v);
    let (rule, why) = match cause {
        Cause::GatewayRevision(_) => (
            RuleId::GatewayRevisionMismatch,
            "The plugin was compiled against another revision (or build mode) of the gateway's own module than the gateway binary.",
        ),
        _ => (
            RuleId::ModuleVersionSkew,
            "The plugin and the gateway link different versions of this module; every package of it they share must be built from identical source.",
        ),
    };
    let mut f = finding(
        rule,
        Severity::Error,
        &plugin.name,
        format!(
            "{module}: {who} has {}, the plugin has {}",
            tv.clone().unwrap_or_default(),
            ov.clone().unwrap_or_default()
        ),
        why.to_owned(),
    );
    let plain = theirs
        .and_then(|b| b.module_of(packages[0]))
        .filter(|m| m.replace.is_none())
        .map(|m| m.version.clone());
    f.suggestions.push(Suggestion {
        kind: "align-version",
        description: format!(
            "Make the plugin use {module} exactly as {who} does ({})",
            tv.clone().unwrap_or_default()
        ),
        go_command: plain
            .as_ref()
            .filter(|v| v.as_str() != "(devel)")
            .map(|v| format!("go get {module}@{v}")),
        edit: plain
            .filter(|v| v.as_str() != "(devel)")
            .map(|v| format!("require {module} {v}")),
        edits: Vec::new(),
    });
    (f.module, f.gateway_version, f.plugin_version) = (Some(module.to_owned()), tv, ov);
    f.packages = packages.iter().map(|p| (*p).to_owned()).collect();
    f
}

/// A `go build` command line reproducing the hash-relevant settings of `info`.
fn build_command(info: Option<&BuildInfo>) -> String {
    let Some(info) = info else {
        return "go build -buildmode=plugin .".to_owned();
    };
    let mut env = Vec::new();
    let mut flags = vec!["-buildmode=plugin".to_owned()];
    for s in &info.settings {
        match s.key.as_str() {
            "-trimpath" | "-race" | "-msan" | "-asan" | "-cover" if s.value == "true" => {
                flags.push(s.key.clone());
            }
            "-tags" | "-gcflags" | "-asmflags" => {
                flags.push(format!("{}={}", s.key, shell_word(&s.value)));
            }
            k if !k.starts_with('-')
                && HASH_SETTINGS.contains(&k)
                && k != "GOOS"
                && k != "GOARCH" =>
            {
                env.push(format!("{k}={}", shell_word(&s.value)));
            }
            _ => {}
        }
    }
    env.push("go build".to_owned());
    format!("{} {} .", env.join(" "), flags.join(" "))
}

fn shell_word(value: &str) -> String {
    if value
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "-_.,=/:+".contains(c))
    {
        value.to_owned()
    } else {
        format!("'{}'", value.replace('\'', "'\\''"))
    }
}

#[cfg(test)]
mod tests {
    //! The runtime's rules on hand-made facts; real files are checked against
    //! real `plugin.Open` in the binary lab (tests/cli/binary_lab.rs).
    use super::*;
    use crate::buildinfo::elf::PackageHashes;
    use crate::buildinfo::parse_modinfo;

    /// The verdict the binary audit's report derives (`Report::new`).
    fn verdict(p: &Prediction) -> Verdict {
        let gateway_fails = p
            .gateway_findings
            .iter()
            .any(|f| f.severity == Severity::Error);
        Verdict::combine(
            p.plugins
                .iter()
                .map(|o| o.verdict)
                .chain(gateway_fails.then_some(Verdict::Fails)),
        )
    }

    fn binary(
        name: &str,
        go: &str,
        modinfo: &str,
        hashes: &[(&str, u8)],
        plugin_path: Option<&str>,
    ) -> Binary {
        let by_package = hashes
            .iter()
            .map(|(p, h)| ((*p).to_owned(), vec![*h; 8]))
            .collect();
        Binary {
            name: name.to_owned(),
            real_path: format!("/lab/{name}"),
            facts: ElfFacts {
                class: 64,
                big_endian: false,
                machine: object::elf::EM_X86_64,
                object_type: if plugin_path.is_some() {
                    ObjectType::SharedObject
                } else {
                    ObjectType::Executable
                },
                build_info: Some(parse_modinfo(go, modinfo.as_bytes()).unwrap()),
                build_info_problem: None,
                hashes: PackageHashes {
                    source: SymbolSource::Symtab,
                    by_package,
                    check_order: hashes.iter().map(|(p, _)| (*p).to_owned()).collect(),
                },
                plugin_path: plugin_path.map(str::to_owned),
                links_plugin_open: plugin_path.is_none(),
                needed: vec!["libc.so.6".to_owned()],
                max_glibc: GlibcVersion::parse("2.34"),
            },
        }
    }

    const GW: &str =
        "path\tgw\nmod\tgw\tv5.0.0\t\ndep\texample.com/d\tv1.0.0\th1:x\nbuild\t-trimpath=true\n";
    const PL: &str = "path\tex.com/p\nmod\tex.com/p\t(devel)\t\ndep\texample.com/d\tv1.1.0\th1:y\ndep\tgw\tv5.0.1\th1:z\n";

    fn gateway() -> Binary {
        binary(
            "gw",
            "go1.26.8",
            GW,
            &[("runtime", 1), ("example.com/d", 2), ("gw/api", 3)],
            None,
        )
    }

    #[test]
    fn lists_every_mismatch_and_names_the_first_checked() {
        let plugin = binary(
            "p.so",
            "go1.26.8",
            PL,
            &[
                ("example.com/d", 9),
                ("gw/api", 8),
                ("runtime", 7),
                ("ex.com/p", 6),
            ],
            Some("ex.com/p"),
        );
        let prediction = predict(&gateway(), &[plugin], Target::default());
        let outcome = &prediction.plugins[0];
        assert_eq!(verdict(&prediction), Verdict::Fails);
        assert_eq!(
            outcome.loader_message.as_deref(),
            Some(
                "plugin.Open(\"p\"): plugin was built with a different version of package example.com/d"
            )
        );
        let rules: Vec<&str> = outcome.findings.iter().map(|f| f.rule.id()).collect();
        assert!(
            rules.contains(&"module-version-skew") && rules.contains(&"gateway-revision-mismatch"),
            "{rules:?} {:#?}",
            outcome.findings
        );
        assert!(
            rules.contains(&"build-flags-mismatch"),
            "runtime differs by -trimpath: {rules:?}"
        );
        let all = outcome
            .findings
            .iter()
            .find(|f| f.rule == RuleId::PackageHashMismatch)
            .unwrap();
        assert_eq!(all.packages, ["example.com/d", "gw/api", "runtime"]);
        let skew = outcome
            .findings
            .iter()
            .find(|f| f.rule == RuleId::ModuleVersionSkew)
            .unwrap();
        assert_eq!(
            (
                skew.gateway_version.as_deref(),
                skew.plugin_version.as_deref()
            ),
            (Some("v1.0.0"), Some("v1.1.0"))
        );
        assert_eq!(
            skew.suggestions[0].go_command.as_deref(),
            Some("go get example.com/d@v1.0.0")
        );
    }

    #[test]
    fn failed_plugins_still_interpose_and_paths_collide_only_with_loaded_ones() {
        let bad = binary(
            "a1.so",
            "go1.26.8",
            PL,
            &[("runtime", 7), ("ex.com/s", 4)],
            Some("ex.com/a"),
        );
        let a2 = binary(
            "a2.so",
            "go1.26.8",
            PL,
            &[("runtime", 1), ("ex.com/s", 5)],
            Some("ex.com/a"),
        );
        let prediction = predict(&gateway(), &[bad.clone(), a2, bad], Target::default());
        let messages: Vec<Option<&str>> = prediction
            .plugins
            .iter()
            .map(|p| p.loader_message.as_deref())
            .collect();
        assert_eq!(
            messages[0],
            Some(
                "plugin.Open(\"a1\"): plugin was built with a different version of package runtime"
            )
        );
        assert_eq!(
            messages[1],
            Some(
                "plugin.Open(\"a2\"): plugin was built with a different version of package ex.com/s"
            )
        );
        assert_eq!(
            messages[2],
            Some(
                "plugin.Open(\"a1.so\"): plugin was built with a different version of package runtime (previous failure)"
            )
        );
    }

    #[test]
    fn same_plugin_path_is_already_loaded() {
        let a = binary("a.so", "go1.26.8", PL, &[("runtime", 1)], Some("ex.com/a"));
        let mut copy = a.clone();
        copy.name = "copy.so".to_owned();
        copy.real_path = "/lab/copy.so".to_owned();
        let prediction = predict(&gateway(), &[a, copy], Target::default());
        assert_eq!(prediction.plugins[0].verdict, Verdict::Loads);
        assert_eq!(
            prediction.plugins[1].loader_message.as_deref(),
            Some("plugin.Open(\"copy\"): plugin already loaded")
        );
    }

    #[test]
    fn another_release_crashes_the_gateway_and_later_plugins_are_not_reached() {
        let old = binary(
            "old.so",
            "go1.25.5",
            PL,
            &[("runtime", 2)],
            Some("ex.com/o"),
        );
        let a = binary("a.so", "go1.26.8", PL, &[("runtime", 1)], Some("ex.com/a"));
        let prediction = predict(
            &gateway(),
            &[old, a],
            Target {
                max_glibc: GlibcVersion::parse("2.36"),
            },
        );
        assert_eq!(
            prediction.plugins[0].loader_message.as_deref(),
            Some("fatal error: runtime: no plugin module data")
        );
        assert_eq!(prediction.plugins[1].findings[0].rule, RuleId::NotReached);
        assert_eq!(verdict(&prediction), Verdict::Fails);
    }

    #[test]
    fn glibc_and_gateway_capability() {
        let a = binary("a.so", "go1.26.8", PL, &[("runtime", 1)], Some("ex.com/a"));
        let old_libc = Target {
            max_glibc: GlibcVersion::parse("2.31"),
        };
        let prediction = predict(&gateway(), std::slice::from_ref(&a), old_libc);
        assert!(
            prediction
                .gateway_findings
                .iter()
                .any(|f| f.rule == RuleId::GlibcTooNew)
        );
        let mut no_cgo = gateway();
        no_cgo
            .facts
            .build_info
            .as_mut()
            .unwrap()
            .settings
            .push(crate::buildinfo::Setting {
                key: "CGO_ENABLED".to_owned(),
                value: "0".to_owned(),
            });
        let prediction = predict(&no_cgo, &[a], Target::default());
        assert_eq!(
            prediction.gateway_findings[0].rule,
            RuleId::GatewayCannotLoadPlugins
        );
        assert_eq!(verdict(&prediction), Verdict::Fails);
    }

    #[test]
    fn plugin_paths_escape_like_the_linker() {
        assert_eq!(
            path_to_prefix("example.com/pdot.v1"),
            "example.com/pdot%2ev1"
        );
        assert_eq!(path_to_prefix("a.b/c d"), "a.b/c%20d");
    }
}
