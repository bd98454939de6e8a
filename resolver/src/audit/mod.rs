//! The findings model every audit shares.
//!
//! The static audit (go.mod and go.sum, before a build) and the binary audit
//! (the gateway binary and plugin `.so` files, after one) answer the same
//! question, so they report through one vocabulary: stable rule ids, one
//! `Finding` shape and one top-level `Report` with the verdict rule. Renderers
//! (JSON, SARIF, Markdown, human) and the book's rule pages key on these ids,
//! which is why an id never changes once published.

pub mod compare;
pub mod config;
#[cfg(feature = "net")]
pub mod engine;
mod fixes;
pub mod gateway_binary;
mod identity;
pub mod loader;
pub mod read_back;
pub mod rules;
pub mod toolchain;

pub use identity::Identity;

use serde::{Deserialize, Serialize, Serializer};

use crate::span::Span;

/// Declares [`RuleId`] once: variant, kebab-case id and one-line description
/// stay side by side, so no list can drift from another.
macro_rules! rules {
    ($($variant:ident => $id:literal, $description:literal;)+) => {
        /// A stable rule id; [`RuleId::id`] is its published kebab-case spelling.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum RuleId {
            $(
                #[doc = $description]
                $variant,
            )+
        }

        impl RuleId {
            /// Every rule, in declaration order.
            pub const ALL: &'static [RuleId] = &[$(RuleId::$variant),+];

            /// The kebab-case id, as printed and as named by `book/src/rules/<id>.md`.
            #[must_use]
            pub const fn id(self) -> &'static str {
                match self { $(RuleId::$variant => $id),+ }
            }

            /// What the rule detects, in one line.
            #[must_use]
            pub const fn description(self) -> &'static str {
                match self { $(RuleId::$variant => $description),+ }
            }
        }
    };
}

rules! {
    // Static rules (issue 4).
    NoGoMod => "no-go-mod", "A module linked by both sides has no go.mod (+incompatible or synthesized), so its version cannot be pinned reliably.";
    SharedDependency => "shared-dependency", "A module linked by both the gateway and the plugin, which must stay at the gateway's version.";
    VersionConflict => "version-conflict", "The plugin selects another version of a module whose packages the gateway also links.";
    WorkspaceHidesConflict => "workspace-hides-conflict", "In a workspace with the gateway's source, the plugin raises a module the release gateway links at a lower version: a gateway built in the workspace loads the plugin, the release binary refuses it.";
    ReplaceNotMirrored => "replace-not-mirrored", "The gateway's go.mod replaces a shared module and the plugin's go.mod does not mirror that replace.";
    GatewayPackageStandalone => "gateway-package-standalone", "A standalone plugin imports the gateway's own packages, which never match a release built from the gateway module alone.";
    GoSumMismatch => "go-sum-mismatch", "The gateway's and the plugin's go.sum disagree on the hash of one module version.";
    PluginModulePath => "plugin-module-path", "The plugin's own package has the import path of one the gateway links (module path `main`), so plugin.Open refuses it whatever its dependencies.";
    PluginDoesNotBuild => "plugin-does-not-build", "The go command would refuse to build the plugin (an import no required module provides, a missing go.sum line, ...).";
    GoDirective => "go-directive", "The plugin's go, toolchain or godebug line asks for something the gateway's Go release rejects.";
    Retracted => "retracted", "A selected module version is retracted by its author.";
    Deprecated => "deprecated", "A selected module is deprecated by its author.";
    FetchFailed => "fetch-failed", "Module data the audit needs could not be fetched (offline, private, not found, refused), so the verdict is unknown.";
    UnusedIgnore => "unused-ignore", "An ignore in tykdeps.toml matches no finding.";
    // Binary rules (issue 5), predicted from the built files.
    PackageHashMismatch => "package-hash-mismatch", "Packages both files link were built differently, so plugin.Open rejects the plugin.";
    ModuleVersionSkew => "module-version-skew", "The gateway and the plugin binary link different versions of one module.";
    GatewayRevisionMismatch => "gateway-revision-mismatch", "The plugin was built against another revision of the gateway's own module than the gateway binary.";
    ToolchainMismatch => "toolchain-mismatch", "The plugin was built by another Go release than the gateway.";
    ToolchainDiffers => "toolchain-differs", "Another patch release of Go built the plugin; the fingerprints still agree today.";
    BuildFlagsMismatch => "build-flags-mismatch", "The plugin and the gateway were built with different settings (-trimpath, -tags, CGO_ENABLED, ...).";
    PluginPackageConflict => "plugin-package-conflict", "A plugin opened earlier holds another build of this plugin's own packages.";
    PluginAlreadyLoaded => "plugin-already-loaded", "Two plugins share one plugin path; the second is refused.";
    NotReached => "not-reached", "The plugin is never opened because an earlier plugin crashes the gateway.";
    GatewayCannotLoadPlugins => "gateway-cannot-load-plugins", "The gateway binary cannot open plugins at all (built without cgo, or not a plugin host).";
    GatewayHashesUnreadable => "gateway-hashes-unreadable", "The gateway binary carries no package fingerprints to compare.";
    GlibcTooNew => "glibc-too-new", "The plugin needs a newer glibc than the gateway's runtime image has.";
    GlibcRequirement => "glibc-requirement", "The highest glibc symbol version the plugin needs.";
    PluginBuildInfoMissing => "plugin-build-info-missing", "The plugin carries no build info, so causes are explained from fingerprints alone.";
    ElfClassMismatch => "elf-class-mismatch", "The plugin and the gateway are built for different ELF classes (32 or 64 bits).";
    MachineMismatch => "machine-mismatch", "The plugin and the gateway are built for different machines (GOARCH).";
    NotASharedObject => "not-a-shared-object", "The plugin file is not an ELF shared object.";
    NotAGoPlugin => "not-a-go-plugin", "The shared object is not a Go plugin (no plugin path, no fingerprints).";
    PluginPathUnknown => "plugin-path-unknown", "The plugin's plugin path cannot be read, so duplicate loads cannot be ruled out.";
    CheckOrderUnknown => "check-order-unknown", "Several packages differ and the loader's first report cannot be predicted exactly.";
}

impl RuleId {
    /// The rule's page in the user guide, relative to the repository root.
    #[must_use]
    pub fn doc_url(self) -> String {
        format!("book/src/rules/{}.md", self.id())
    }

    /// Whether the finding says the plugin builds another version of a
    /// shared module than the gateway links, so pinning the gateway's
    /// version is its fix (whatever wording the build's layout calls for).
    #[must_use]
    pub const fn is_version_conflict(self) -> bool {
        matches!(
            self,
            RuleId::VersionConflict | RuleId::WorkspaceHidesConflict
        )
    }

    /// The rule with this id, if there is one.
    #[must_use]
    pub fn from_id(id: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|r| r.id() == id)
    }
}

impl std::fmt::Display for RuleId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id())
    }
}

impl Serialize for RuleId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.id())
    }
}

impl<'de> Deserialize<'de> for RuleId {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let id = String::deserialize(deserializer)?;
        Self::from_id(&id).ok_or_else(|| serde::de::Error::custom(format!("no rule {id}")))
    }
}

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Context, no action needed.
    Note,
    /// A risk that does not stop loading.
    Warning,
    /// The plugin will not load.
    Error,
}

/// The level a user gives a rule in `tykdeps.toml`: how seriously to take
/// its findings, whatever severity the audit gave them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Drop the rule's findings.
    Allow,
    /// Report them as warnings: shown, never failing the audit.
    Warn,
    /// Report them as errors: the audit fails.
    Deny,
}

impl Level {
    /// The severity a finding gets at this level; `None` drops it.
    #[must_use]
    pub fn severity(self) -> Option<Severity> {
        match self {
            Level::Allow => None,
            Level::Warn => Some(Severity::Warning),
            Level::Deny => Some(Severity::Error),
        }
    }
}

/// Whether something loads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// `plugin.Open` succeeds.
    Loads,
    /// `plugin.Open` returns an error (or the process dies).
    Fails,
    /// The data needed to decide could not be had.
    Unknown,
}

impl Verdict {
    /// The top-level verdict: `fails` if any part fails, else `unknown` if any
    /// is unknown, else `loads` (also when there is nothing to check).
    #[must_use]
    pub fn combine(verdicts: impl IntoIterator<Item = Verdict>) -> Verdict {
        verdicts
            .into_iter()
            .fold(Verdict::Loads, |acc, v| match (acc, v) {
                (Verdict::Fails, _) | (_, Verdict::Fails) => Verdict::Fails,
                (Verdict::Unknown, _) | (_, Verdict::Unknown) => Verdict::Unknown,
                _ => Verdict::Loads,
            })
    }
}

/// A way to fix a finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Suggestion {
    /// Stable kind id, e.g. `rebuild-plugin`, `pin-version`.
    pub kind: &'static str,
    /// What to do, in words.
    pub description: String,
    /// A go command that does it, when there is one.
    pub go_command: Option<String>,
    /// A go.mod edit that does it, when there is one.
    pub edit: Option<String>,
    /// The same edits in the form `tykdeps fix` applies; empty when the fix
    /// is not a go.mod edit.
    #[serde(skip)]
    pub edits: Vec<crate::gomod::Edit>,
}

/// A suggestion read back (an audit memo): its kind becomes the
/// `&'static str` the rules write, each distinct kind kept once for the
/// process, so reading many reports costs no more than the few kinds there are.
impl<'de> Deserialize<'de> for Suggestion {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Read {
            kind: String,
            description: String,
            go_command: Option<String>,
            edit: Option<String>,
        }
        static KINDS: std::sync::Mutex<Vec<&'static str>> = std::sync::Mutex::new(Vec::new());
        let read = Read::deserialize(deserializer)?;
        let mut kinds = KINDS
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let kind = if let Some(known) = kinds.iter().find(|k| **k == read.kind) {
            known
        } else {
            let leaked: &'static str = Box::leak(read.kind.into_boxed_str());
            kinds.push(leaked);
            leaked
        };
        Ok(Suggestion {
            kind,
            description: read.description,
            go_command: read.go_command,
            edit: read.edit,
            edits: Vec::new(),
        })
    }
}

/// Where a finding points: a file, and within it a 1-based line and column
/// when the finding comes from a line of text (a go.mod requirement).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Location {
    /// The file.
    pub file: String,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 1-based column, when known.
    pub column: Option<usize>,
    /// The bytes to underline when the file's text is shown; not part of
    /// the JSON contract, since byte offsets mean nothing to its readers.
    #[serde(skip)]
    pub span: Option<Span>,
}

/// One problem or fact about loading a plugin.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// The rule that found it.
    pub rule: RuleId,
    /// How serious it is.
    pub severity: Severity,
    /// The module concerned, if one is.
    pub module: Option<String>,
    /// The version the gateway (or the earlier plugin that wins) has.
    pub gateway_version: Option<String>,
    /// The version the plugin has.
    pub plugin_version: Option<String>,
    /// The packages concerned.
    pub packages: Vec<String>,
    /// One line: what is wrong.
    pub message: String,
    /// Why it matters: the cause, or the requirement chain that leads here.
    pub why: String,
    /// How to fix it.
    pub suggestions: Vec<Suggestion>,
    /// Where it points.
    pub location: Option<Location>,
}

/// The version of the fingerprint scheme, named in SARIF's
/// `partialFingerprints` key (`tykdeps/v1`) so a change of scheme is never
/// mistaken for changed findings.
pub const FINGERPRINT_VERSION: &str = "tykdeps/v1";

impl Finding {
    /// A stable identity for the finding across runs and commits: SHA-256
    /// (hex) of the rule id, the plugin it is about (`None` for the gateway's
    /// own findings), the module and both versions. Line numbers, messages
    /// and chains are left out, so moving or reordering lines in go.mod, or
    /// rewording a message, keeps the fingerprint; a change of version
    /// makes it another finding.
    #[must_use]
    pub fn fingerprint(&self, plugin: Option<&str>) -> String {
        use sha2::{Digest, Sha256};
        use std::fmt::Write as _;
        let mut hash = Sha256::new();
        hash.update(FINGERPRINT_VERSION.as_bytes());
        for part in [
            Some(self.rule.id()),
            plugin,
            self.module.as_deref(),
            self.gateway_version.as_deref(),
            self.plugin_version.as_deref(),
        ] {
            // Length-prefixed, with absence distinct from the empty string.
            match part {
                Some(text) => {
                    hash.update([1]);
                    hash.update((text.len() as u64).to_be_bytes());
                    hash.update(text.as_bytes());
                }
                None => hash.update([0]),
            }
        }
        hash.finalize()
            .iter()
            .fold(String::with_capacity(64), |mut hex, b| {
                let _ = write!(hex, "{b:02x}");
                hex
            })
    }
}

/// How the plugins were (or will be) built.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// The plugin module alone, requiring the published gateway module.
    Standalone,
    /// A go.work using a gateway checkout and the plugin modules.
    Workspace,
    /// Built files: the gateway binary and plugin `.so` files.
    Binary,
}

/// The gateway audited against.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Gateway {
    /// Its module path.
    pub module: Option<String>,
    /// Its module version.
    pub version: Option<String>,
    /// The checkout or file it was read from.
    pub dir: Option<String>,
    /// The commit it was checked out or built from (the full hash), when git
    /// or the binary's build info says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commit: Option<String>,
    /// That commit's time, UTC RFC 3339 (`2024-09-24T12:54:26Z`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commit_time: Option<String>,
    /// The version the go command gives that commit: a tag on it, or a
    /// pseudo-version ([`crate::version::commit::commit_version`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pseudo_version: Option<String>,
    /// Whether the checkout had uncommitted changes (`vcs.modified` for a
    /// binary), so the commit is not all of it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub modified: Option<bool>,
}

impl Gateway {
    /// The version to show: the module version, else the commit's.
    pub fn shown_version(&self) -> Option<&str> {
        self.version.as_deref().or(self.pseudo_version.as_deref())
    }

    /// `commit 1db1935d8992, 2024-09-24, modified`: what is known of the
    /// commit, for the renderers' gateway line; `None` when nothing is.
    pub fn commit_note(&self) -> Option<String> {
        let mut parts = Vec::new();
        if let Some(commit) = &self.commit {
            parts.push(format!(
                "commit {}",
                crate::version::commit::short_hash(commit)
            ));
        }
        if let Some(time) = &self.commit_time {
            parts.push(time.get(..10).unwrap_or(time).to_owned());
        }
        if self.modified == Some(true) {
            parts.push("modified".to_owned());
        }
        (!parts.is_empty()).then(|| parts.join(", "))
    }
}

/// The build a static audit assumes. Sources cannot say how the plugin and
/// the gateway will be compiled, so the verdict rests on this, and every
/// report states it: a plugin built otherwise (another toolchain, without
/// `-trimpath`, other tags) is judged by the binary audit, not this one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssumedBuild {
    /// The Go release assumed to build both the gateway and the plugin: the
    /// toolchain found here (`go1.26.8`), when one was.
    pub toolchain: Option<String>,
    /// Both are built with `-trimpath`, as Tyk's releases and its plugin compiler are.
    pub trimpath: bool,
    /// The gateway's build tags (Tyk's releases: `goplugin`).
    pub gateway_tags: Vec<String>,
    /// The plugin's build tags (GOFLAGS' `-tags`).
    pub plugin_tags: Vec<String>,
    /// `GOOS` of both.
    pub goos: String,
    /// `GOARCH` of both.
    pub goarch: String,
    /// `CGO_ENABLED` of both.
    pub cgo_enabled: bool,
}

impl AssumedBuild {
    /// One line for people: `go1.26.8, -trimpath, linux/amd64, CGO_ENABLED=1,
    /// gateway -tags=goplugin, plugin without tags`.
    #[must_use]
    pub fn describe(&self) -> String {
        let tags = |tags: &[String]| tags_flag(tags).unwrap_or_else(|| "without tags".to_owned());
        format!(
            "{}, {}, {}/{}, CGO_ENABLED={}, gateway {}, plugin {}",
            self.toolchain
                .as_deref()
                .unwrap_or("the gateway's Go toolchain"),
            if self.trimpath {
                "-trimpath"
            } else {
                "no -trimpath"
            },
            self.goos,
            self.goarch,
            u8::from(self.cgo_enabled),
            tags(&self.gateway_tags),
            tags(&self.plugin_tags)
        )
    }
}

/// `-tags=a,b` as go build takes a tag list; `None` for no tags.
#[must_use]
pub fn tags_flag(tags: &[String]) -> Option<String> {
    (!tags.is_empty()).then(|| format!("-tags={}", tags.join(",")))
}

/// The audit of one plugin.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PluginReport {
    /// The plugin's main module.
    pub module: Option<String>,
    /// The directory (or file) the plugin was read from.
    pub dir: String,
    /// What `plugin.Open` does with it.
    pub verdict: Verdict,
    /// The loader's error, exactly, when it is predicted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub loader_message: Option<String>,
    /// Everything found about this plugin.
    pub findings: Vec<Finding>,
}

impl PluginReport {
    /// The plugin as fingerprints name it: its module path, else its
    /// directory (or file).
    #[must_use]
    pub fn identity(&self) -> &str {
        self.module.as_deref().unwrap_or(&self.dir)
    }
}

/// Counts of findings by severity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    /// Findings of severity error.
    pub errors: usize,
    /// Findings of severity warning.
    pub warnings: usize,
    /// Findings of severity note.
    pub notes: usize,
    /// Findings dropped by `tykdeps.toml` (a rule set to `allow`, or an
    /// `[[ignore]]`), so that a clean report still says what it hides.
    pub suppressed: usize,
}

/// The whole audit: the JSON contract every format renders.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    /// `fails` if any plugin fails, else `unknown` if any is unknown, else `loads`.
    pub verdict: Verdict,
    /// How the plugins are built.
    pub mode: Mode,
    /// The gateway.
    pub gateway: Gateway,
    /// One entry per plugin.
    pub plugins: Vec<PluginReport>,
    /// Every finding: the gateway's own first, then each plugin's.
    pub findings: Vec<Finding>,
    /// Counts by severity.
    pub summary: Summary,
    /// The build a static audit assumes; `None` for built files, which say
    /// how they were built.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assumed_build: Option<AssumedBuild>,
}

impl Report {
    /// Assemble a report, deriving the verdict, the flat finding list and the
    /// summary from the parts so they can never disagree. A gateway finding of
    /// severity error fails the audit even when no plugin is given.
    #[must_use]
    pub fn new(
        mode: Mode,
        gateway: Gateway,
        gateway_findings: Vec<Finding>,
        plugins: Vec<PluginReport>,
    ) -> Self {
        let gateway_fails = gateway_findings
            .iter()
            .any(|f| f.severity == Severity::Error);
        let verdict = Verdict::combine(
            plugins
                .iter()
                .map(|p| p.verdict)
                .chain(gateway_fails.then_some(Verdict::Fails)),
        );
        let findings: Vec<Finding> = gateway_findings
            .into_iter()
            .chain(plugins.iter().flat_map(|p| p.findings.iter().cloned()))
            .collect();
        let count = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
        let summary = Summary {
            errors: count(Severity::Error),
            warnings: count(Severity::Warning),
            notes: count(Severity::Note),
            suppressed: 0,
        };
        Report {
            verdict,
            mode,
            gateway,
            plugins,
            findings,
            summary,
            assumed_build: None,
        }
    }

    /// The same report, stating the build it assumes.
    #[must_use]
    pub fn assuming(mut self, build: AssumedBuild) -> Self {
        self.assumed_build = Some(build);
        self
    }
}

impl Report {
    /// The findings about the gateway itself (not about one plugin): they
    /// come first in [`Report::findings`].
    #[must_use]
    pub fn gateway_findings(&self) -> &[Finding] {
        let per_plugin: usize = self.plugins.iter().map(|p| p.findings.len()).sum();
        &self.findings[..self.findings.len() - per_plugin]
    }

    /// The fingerprint of every finding of [`Report::findings`], in order:
    /// the gateway's own findings with no plugin, then each plugin's.
    #[must_use]
    pub fn fingerprints(&self) -> Vec<String> {
        self.gateway_findings()
            .iter()
            .map(|f| f.fingerprint(None))
            .chain(self.plugins.iter().flat_map(|p| {
                p.findings
                    .iter()
                    .map(move |f| f.fingerprint(Some(p.identity())))
            }))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conflict() -> Finding {
        Finding {
            rule: RuleId::VersionConflict,
            severity: Severity::Error,
            module: Some("example.com/shared".to_owned()),
            gateway_version: Some("v1.2.0".to_owned()),
            plugin_version: Some("v1.3.0".to_owned()),
            packages: vec!["example.com/shared".to_owned()],
            message: "m".to_owned(),
            why: "w".to_owned(),
            suggestions: Vec::new(),
            location: Some(Location {
                file: "go.mod".to_owned(),
                line: Some(7),
                column: Some(2),
                span: None,
            }),
        }
    }

    #[test]
    fn fingerprints_ignore_lines_and_words_but_not_versions() {
        let base = conflict();
        let fp = base.fingerprint(Some("example.com/plugin"));
        assert_eq!(fp.len(), 64);
        assert!(fp.bytes().all(|b| b.is_ascii_hexdigit()));
        let mut moved = base.clone();
        moved.location.as_mut().unwrap().line = Some(12);
        moved.message = "reworded".to_owned();
        moved.why = "another chain".to_owned();
        moved.severity = Severity::Warning;
        assert_eq!(moved.fingerprint(Some("example.com/plugin")), fp);
        assert_ne!(base.fingerprint(Some("example.com/other")), fp);
        assert_ne!(base.fingerprint(None), fp);
        let mut bumped = base.clone();
        bumped.plugin_version = Some("v1.4.0".to_owned());
        assert_ne!(bumped.fingerprint(Some("example.com/plugin")), fp);
        let mut renamed = base.clone();
        renamed.rule = RuleId::ModuleVersionSkew;
        assert_ne!(renamed.fingerprint(Some("example.com/plugin")), fp);
        // Absent and empty differ, and parts cannot run into each other.
        let mut empty = base.clone();
        empty.gateway_version = Some(String::new());
        let mut none = base;
        none.gateway_version = None;
        assert_ne!(empty.fingerprint(None), none.fingerprint(None));
    }

    #[test]
    fn rule_ids_are_unique_kebab_case_and_round_trip() {
        let mut seen = std::collections::BTreeSet::new();
        for &rule in RuleId::ALL {
            let id = rule.id();
            assert!(seen.insert(id), "duplicate rule id {id}");
            assert!(
                !id.is_empty()
                    && !id.starts_with('-')
                    && !id.ends_with('-')
                    && !id.contains("--")
                    && id
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                "{id} is not kebab-case"
            );
            assert_eq!(RuleId::from_id(id), Some(rule));
            assert_eq!(serde_json::to_value(rule).unwrap(), id);
            assert_eq!(rule.doc_url(), format!("book/src/rules/{id}.md"));
        }
        assert_eq!(RuleId::from_id("no-such-rule"), None);
    }

    #[test]
    fn verdict_fails_beats_unknown_beats_loads() {
        use Verdict::{Fails, Loads, Unknown};
        assert_eq!(Verdict::combine([]), Loads);
        assert_eq!(Verdict::combine([Loads, Loads]), Loads);
        assert_eq!(Verdict::combine([Loads, Unknown, Loads]), Unknown);
        assert_eq!(Verdict::combine([Unknown, Fails, Loads]), Fails);
    }

    fn finding(rule: RuleId, severity: Severity) -> Finding {
        Finding {
            rule,
            severity,
            module: None,
            gateway_version: None,
            plugin_version: None,
            packages: Vec::new(),
            message: String::new(),
            why: String::new(),
            suggestions: Vec::new(),
            location: None,
        }
    }

    #[test]
    fn report_derives_verdict_findings_and_summary() {
        let plugin = |verdict, findings| PluginReport {
            module: None,
            dir: "p".to_owned(),
            verdict,
            loader_message: None,
            findings,
        };
        let gateway = Gateway {
            module: Some("example.com/gw".to_owned()),
            ..Gateway::default()
        };
        let report = Report::new(
            Mode::Standalone,
            gateway.clone(),
            vec![finding(RuleId::GoDirective, Severity::Note)],
            vec![
                plugin(
                    Verdict::Loads,
                    vec![finding(RuleId::Deprecated, Severity::Warning)],
                ),
                plugin(Verdict::Unknown, vec![]),
            ],
        );
        assert_eq!(report.verdict, Verdict::Unknown);
        assert_eq!(report.findings.len(), 2);
        assert_eq!(report.findings[0].rule, RuleId::GoDirective);
        assert_eq!(report.gateway_findings().len(), 1);
        assert_eq!(
            report.summary,
            Summary {
                errors: 0,
                warnings: 1,
                notes: 1,
                suppressed: 0
            }
        );
        let json = serde_json::to_value(&report).unwrap();
        assert_eq!(json["mode"], "standalone");
        assert_eq!(json["findings"][1]["rule"], "deprecated");
        let failing = Report::new(
            Mode::Binary,
            gateway,
            vec![finding(RuleId::GatewayCannotLoadPlugins, Severity::Error)],
            vec![],
        );
        assert_eq!(failing.verdict, Verdict::Fails);
    }
}
