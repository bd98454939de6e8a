//! `tykdeps.toml`: the project's audit policy.
//!
//! A team decides once which gateway it targets, how seriously to take each
//! rule, and which findings it has looked at and accepts (with a reason, so the
//! next reader knows why). The file is checked strictly: a misspelt key or rule
//! id would otherwise silently change nothing, so every mistake is an error that
//! points at its bytes. Applying the policy to a [`Report`] is pure, so the same
//! file gives the same verdict everywhere.

use std::collections::BTreeMap;
use std::fmt;

use miette::{Diagnostic, LabeledSpan, NamedSource, SourceCode};
use serde::Deserialize;
use toml::Spanned;

use super::{Finding, Level, Location, PluginReport, Report, RuleId, Severity, Verdict};
use crate::span::{LineIndex, Span};
use crate::version::module::{canonical_version, check_path};

/// The gateway module audited against when the file names none.
pub const DEFAULT_GATEWAY_MODULE: &str = "github.com/TykTechnologies/tyk";

/// A parsed, checked `tykdeps.toml`.
#[derive(Debug, Clone)]
pub struct Config {
    /// The file it was read from, as named in findings and messages.
    pub file_name: String,
    /// The gateway's module path.
    pub gateway_module: String,
    /// The gateway version to audit against, when pinned here.
    pub gateway_version: Option<String>,
    /// The committed gateway snapshot to audit against (`tykdeps snapshot`),
    /// as written: relative to the file's directory.
    pub gateway_snapshot: Option<String>,
    /// The gateway versions to audit against at once (`[gateway] versions`,
    /// the matrix of a rolling upgrade), empty when none are listed.
    pub gateway_versions: Vec<String>,
    /// The gateway snapshots to audit against at once (`[gateway]
    /// snapshots`), as written: relative to the file's directory.
    pub gateway_snapshots: Vec<String>,
    /// Per-rule levels.
    pub rules: BTreeMap<RuleId, Level>,
    /// Accepted findings.
    pub ignores: Vec<Ignore>,
    /// Where the user guide is published (`https://docs.example.org/tykdeps`):
    /// reports link each rule to `<docs_url>/rules/<id>.html`.
    pub docs_url: Option<String>,
    line_index: LineIndex,
}

/// An `[[ignore]]` entry: findings of `rule` (about `module`, if given) that
/// the team accepts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ignore {
    /// The rule whose findings are accepted.
    pub rule: RuleId,
    /// Only findings about this module; every module when absent.
    pub module: Option<String>,
    /// Why they are accepted.
    pub reason: String,
    /// The entry's bytes in the file.
    pub span: Span,
}

impl Ignore {
    fn matches(&self, finding: &Finding) -> bool {
        finding.rule == self.rule
            && self
                .module
                .as_ref()
                .is_none_or(|m| finding.module.as_ref() == Some(m))
    }
}

/// Why a `tykdeps.toml` was refused: one message at one place in the file.
#[derive(Debug)]
pub struct ConfigError(Box<ErrorInner>);

#[derive(Debug)]
struct ErrorInner {
    file_name: String,
    message: String,
    span: Span,
    line: usize,
    column: usize,
    code: NamedSource<String>,
}

impl ConfigError {
    fn new(file_name: &str, text: &str, span: Span, message: String) -> Self {
        let at = LineIndex::new(text).line_col(span.start);
        Self(Box::new(ErrorInner {
            file_name: file_name.to_owned(),
            message,
            span,
            line: at.line,
            column: at.column,
            code: NamedSource::new(file_name, text.to_owned()),
        }))
    }

    /// The file name used in the message.
    pub fn file_name(&self) -> &str {
        &self.0.file_name
    }

    /// 1-based line of the mistake.
    pub fn line(&self) -> usize {
        self.0.line
    }

    /// 1-based byte column of the mistake.
    pub fn column(&self) -> usize {
        self.0.column
    }

    /// What is wrong, without the position.
    pub fn message(&self) -> &str {
        &self.0.message
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let e = &self.0;
        write!(f, "{}:{}:{}: {}", e.file_name, e.line, e.column, e.message)
    }
}

impl std::error::Error for ConfigError {}

impl Diagnostic for ConfigError {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new("tykdeps::config"))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(
            "`tykdeps init` writes a commented template; rule ids are listed in book/src/rules/",
        ))
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.0.code)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let span = self.0.span;
        Some(Box::new(std::iter::once(LabeledSpan::new(
            Some(self.0.message.clone()),
            span.start,
            span.len(),
        ))))
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    docs_url: Option<Spanned<String>>,
    #[serde(default)]
    gateway: Option<RawGateway>,
    #[serde(default)]
    rules: BTreeMap<Spanned<String>, Spanned<Level>>,
    #[serde(default)]
    ignore: Vec<Spanned<RawIgnore>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGateway {
    module: Option<Spanned<String>>,
    version: Option<Spanned<String>>,
    snapshot: Option<Spanned<String>>,
    versions: Option<Spanned<Vec<Spanned<String>>>>,
    snapshots: Option<Spanned<Vec<Spanned<String>>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIgnore {
    rule: Spanned<String>,
    module: Option<Spanned<String>>,
    reason: Option<Spanned<String>>,
}

fn span_of<T>(s: &Spanned<T>) -> Span {
    let r = s.span();
    Span::new(r.start, r.end)
}

/// Read `tykdeps.toml` text, named `file_name` in messages.
pub fn parse(file_name: &str, text: &str) -> Result<Config, ConfigError> {
    let error = |span: Span, message: String| ConfigError::new(file_name, text, span, message);
    let raw: RawConfig = toml::from_str(text).map_err(|e| {
        let span = e
            .span()
            .map_or(Span::default(), |r| Span::new(r.start, r.end));
        error(span, e.message().trim_end().to_owned())
    })?;
    let rule = |id: &Spanned<String>| {
        RuleId::from_id(id.get_ref())
            .ok_or_else(|| error(span_of(id), format!("unknown rule `{}`", id.get_ref())))
    };
    let mut rules = BTreeMap::new();
    for (id, level) in &raw.rules {
        rules.insert(rule(id)?, *level.get_ref());
    }
    let mut ignores = Vec::new();
    for entry in &raw.ignore {
        let item = entry.get_ref();
        let reason = item
            .reason
            .as_ref()
            .filter(|r| !r.get_ref().trim().is_empty())
            .ok_or_else(|| {
                let at = item.reason.as_ref().map_or(span_of(entry), span_of);
                error(
                    at,
                    "an ignore needs a `reason`: say why the finding is accepted".to_owned(),
                )
            })?;
        if let Some(module) = &item.module {
            check_path(module.get_ref()).map_err(|e| error(span_of(module), e.to_string()))?;
        }
        ignores.push(Ignore {
            rule: rule(&item.rule)?,
            module: item.module.as_ref().map(|m| m.get_ref().clone()),
            reason: reason.get_ref().clone(),
            span: span_of(entry),
        });
    }
    let Gateways {
        module: gateway_module,
        version: gateway_version,
        snapshot: gateway_snapshot,
        versions: gateway_versions,
        snapshots: gateway_snapshots,
    } = gateways(raw.gateway.as_ref(), &error)?;
    let docs_url = raw
        .docs_url
        .as_ref()
        .map(|u| docs_base(u.get_ref()).map_err(|e| error(span_of(u), e)))
        .transpose()?;
    Ok(Config {
        file_name: file_name.to_owned(),
        gateway_module,
        gateway_version,
        gateway_snapshot,
        gateway_versions,
        gateway_snapshots,
        rules,
        ignores,
        docs_url,
        line_index: LineIndex::new(text),
    })
}

/// The `[gateway]` table, checked.
struct Gateways {
    module: String,
    version: Option<String>,
    snapshot: Option<String>,
    versions: Vec<String>,
    snapshots: Vec<String>,
}

/// Check the `[gateway]` table; `error` names a span of the file.
fn gateways(
    gateway: Option<&RawGateway>,
    error: &dyn Fn(Span, String) -> ConfigError,
) -> Result<Gateways, ConfigError> {
    let gateway_module = match gateway.and_then(|g| g.module.as_ref()) {
        Some(m) => {
            check_path(m.get_ref()).map_err(|e| error(span_of(m), e.to_string()))?;
            m.get_ref().clone()
        }
        None => DEFAULT_GATEWAY_MODULE.to_owned(),
    };
    let full_version = |v: &Spanned<String>| {
        if canonical_version(v.get_ref()).as_deref() == Some(v.get_ref()) {
            return Ok(v.get_ref().clone());
        }
        Err(error(
            span_of(v),
            format!(
                "`{}` is not a full module version (like v5.14.0 or a pseudo-version)",
                v.get_ref()
            ),
        ))
    };
    let gateway_version = gateway
        .and_then(|g| g.version.as_ref())
        .map(full_version)
        .transpose()?;
    // A list beside its single key, or an empty list, names no clear gateway.
    let list = |one: Option<&Spanned<String>>,
                many: Option<&Spanned<Vec<Spanned<String>>>>,
                names: &str|
     -> Result<(), ConfigError> {
        match (one, many) {
            (Some(_), Some(many)) => Err(error(
                span_of(many),
                format!("{names} both name the gateway: keep one"),
            )),
            (_, Some(many)) if many.get_ref().is_empty() => Err(error(
                span_of(many),
                "an empty list names no gateway".to_owned(),
            )),
            _ => Ok(()),
        }
    };
    let versions = gateway.and_then(|g| g.versions.as_ref());
    list(
        gateway.and_then(|g| g.version.as_ref()),
        versions,
        "`version` and `versions`",
    )?;
    let gateway_versions = versions
        .map_or(&[][..], |v| v.get_ref().as_slice())
        .iter()
        .map(full_version)
        .collect::<Result<Vec<_>, _>>()?;
    let snapshots = gateway.and_then(|g| g.snapshots.as_ref());
    list(
        gateway.and_then(|g| g.snapshot.as_ref()),
        snapshots,
        "`snapshot` and `snapshots`",
    )?;
    let gateway_snapshots = snapshots
        .map_or(&[][..], |v| v.get_ref().as_slice())
        .iter()
        .map(|s| s.get_ref().clone())
        .collect();
    let gateway_snapshot = gateway
        .and_then(|g| g.snapshot.as_ref())
        .map(|s| s.get_ref().clone());
    if let (Some(version), Some(_)) = (gateway.and_then(|g| g.version.as_ref()), &gateway_snapshot)
    {
        return Err(error(
            span_of(version),
            "`version` and `snapshot` both name the gateway: keep one".to_owned(),
        ));
    }
    Ok(Gateways {
        module: gateway_module,
        version: gateway_version,
        snapshot: gateway_snapshot,
        versions: gateway_versions,
        snapshots: gateway_snapshots,
    })
}

/// Check a docs base URL (`docs_url`, `--docs-url`): an `http` or `https`
/// URL with a host and no query or fragment, since rule pages are appended
/// to it. Returned without a trailing `/`.
pub fn docs_base(text: &str) -> Result<String, String> {
    let rest = text
        .strip_prefix("https://")
        .or_else(|| text.strip_prefix("http://"))
        .ok_or_else(|| {
            format!("`{text}` is not an http(s) URL (like https://docs.example.org/tykdeps)")
        })?;
    let host = rest.split('/').next().unwrap_or("");
    if host.is_empty() {
        return Err(format!("`{text}` names no host"));
    }
    if text.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(format!("`{text}` contains a space or control character"));
    }
    if text.contains(['?', '#']) {
        return Err(format!(
            "`{text}` has a query or fragment; rule pages are appended to the URL as `/rules/<id>.html`"
        ));
    }
    Ok(text.trim_end_matches('/').to_owned())
}

impl Config {
    /// Apply the policy to a report: rule levels change severities (or drop
    /// findings), ignores drop the findings they match, and an ignore that
    /// matches nothing becomes an `unused-ignore` finding of its own.
    ///
    /// Verdicts follow the policy: a plugin fails when an error remains; a
    /// plugin the audit failed only through findings the policy dropped or
    /// lowered counts as loading (the team accepted them); `unknown` stays
    /// unknown unless an error remains. The loader's predicted message, if
    /// any, is kept, so the prediction is still visible.
    #[must_use]
    pub fn apply(&self, report: Report) -> Report {
        let mut used = vec![false; self.ignores.len()];
        let mut suppressed = 0;
        let mut keep = |findings: &[Finding]| {
            let kept: Vec<Finding> = findings
                .iter()
                .filter_map(|f| self.filter(f, &mut used))
                .collect();
            suppressed += findings.len() - kept.len();
            kept
        };
        let mut gateway_findings = keep(report.gateway_findings());
        let plugins: Vec<PluginReport> = report
            .plugins
            .iter()
            .map(|p| {
                let findings = keep(&p.findings);
                PluginReport {
                    verdict: policy_verdict(p, &findings),
                    findings,
                    ..p.clone()
                }
            })
            .collect();
        let unused = self
            .ignores
            .iter()
            .zip(&used)
            .filter(|(_, used)| !**used)
            .filter_map(|(ignore, _)| self.with_level(self.unused_ignore(ignore)));
        gateway_findings.extend(unused);
        let mut out = Report::new(report.mode, report.gateway, gateway_findings, plugins);
        out.summary.suppressed = suppressed;
        out
    }

    fn filter(&self, finding: &Finding, used: &mut [bool]) -> Option<Finding> {
        if let Some(i) = self.ignores.iter().position(|i| i.matches(finding)) {
            used[i] = true;
            return None;
        }
        self.with_level(finding.clone())
    }

    fn with_level(&self, mut finding: Finding) -> Option<Finding> {
        if let Some(level) = self.rules.get(&finding.rule) {
            finding.severity = level.severity()?;
        }
        Some(finding)
    }

    fn unused_ignore(&self, ignore: &Ignore) -> Finding {
        let at = self.line_index.line_col(ignore.span.start);
        let what = ignore
            .module
            .as_ref()
            .map_or_else(String::new, |m| format!(" about {m}"));
        Finding {
            rule: RuleId::UnusedIgnore,
            severity: Severity::Warning,
            module: ignore.module.clone(),
            gateway_version: None,
            plugin_version: None,
            packages: Vec::new(),
            message: format!("this ignore matches no `{}` finding{what}", ignore.rule),
            why: format!(
                "An ignore that matches nothing hides nothing today but would hide a new problem later; it was added because: {}",
                ignore.reason
            ),
            suggestions: vec![super::Suggestion {
                kind: "remove-ignore",
                description: format!("remove this [[ignore]] entry from {}", self.file_name),
                go_command: None,
                edit: None,
                edits: Vec::new(),
            }],
            location: Some(Location {
                file: self.file_name.clone(),
                line: Some(at.line),
                column: Some(at.column),
                span: Some(ignore.span),
            }),
        }
    }
}

fn policy_verdict(before: &PluginReport, after: &[Finding]) -> Verdict {
    let has_error = |fs: &[Finding]| fs.iter().any(|f| f.severity == Severity::Error);
    if has_error(after) {
        Verdict::Fails
    } else if before.verdict == Verdict::Fails && has_error(&before.findings) {
        Verdict::Loads
    } else {
        before.verdict
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::{Gateway, Mode};

    const TEMPLATE: &str = include_str!("../../../corpus/config/template.toml");

    fn err(text: &str) -> ConfigError {
        parse("tykdeps.toml", text).expect_err("the file is refused")
    }

    #[test]
    fn the_template_parses_to_the_defaults() {
        let config = parse("tykdeps.toml", TEMPLATE).unwrap();
        assert_eq!(config.gateway_module, DEFAULT_GATEWAY_MODULE);
        assert_eq!(config.gateway_version, None);
        assert!(config.rules.is_empty() && config.ignores.is_empty());
        assert_eq!(config.docs_url, None);
    }

    #[test]
    fn lists_name_a_matrix_of_gateways_beside_no_single_one() {
        let config = parse(
            "tykdeps.toml",
            "[gateway]\nversions = [\"v5.3.6\", \"v5.8.15\"]\nsnapshots = [\"a.json\"]\n",
        )
        .unwrap();
        assert_eq!(config.gateway_versions, ["v5.3.6", "v5.8.15"]);
        assert_eq!(config.gateway_snapshots, ["a.json"]);
        assert_eq!(config.gateway_version, None);
        let e = err("[gateway]\nversion = \"v1.0.0\"\nversions = [\"v1.1.0\"]\n");
        assert_eq!(
            e.message(),
            "`version` and `versions` both name the gateway: keep one"
        );
        assert_eq!(e.line(), 3);
        let e = err("[gateway]\nversions = [\"v1.0.0\", \"5.14\"]\n");
        assert_eq!(
            e.message(),
            "`5.14` is not a full module version (like v5.14.0 or a pseudo-version)"
        );
        assert_eq!((e.line(), e.column()), (2, 23));
        let e = err("[gateway]\nsnapshots = []\n");
        assert_eq!(e.message(), "an empty list names no gateway");
    }

    #[test]
    fn a_snapshot_names_the_gateway_and_excludes_a_version() {
        let config = parse("tykdeps.toml", "[gateway]\nsnapshot = \"gw.json\"\n").unwrap();
        assert_eq!(config.gateway_snapshot.as_deref(), Some("gw.json"));
        let e = err("[gateway]\nversion = \"v1.0.0\"\nsnapshot = \"gw.json\"\n");
        assert!(e.to_string().contains("keep one"), "{e}");
    }

    #[test]
    fn uncommented_template_lines_parse() {
        let lines: Vec<&str> = TEMPLATE
            .lines()
            .map(|l| {
                l.strip_prefix("# ")
                    .filter(|l| l.contains(" = ") || l.starts_with("[["))
                    .unwrap_or(l)
            })
            .collect();
        let text = lines.join("\n");
        let config = parse("tykdeps.toml", &text).unwrap();
        assert_eq!(config.gateway_version.as_deref(), Some("v5.14.0"));
        assert_eq!(config.rules[&RuleId::Deprecated], Level::Deny);
        assert_eq!(config.rules[&RuleId::SharedDependency], Level::Allow);
        assert_eq!(config.ignores.len(), 1);
        assert_eq!(config.ignores[0].rule, RuleId::Deprecated);
        assert_eq!(
            config.docs_url.as_deref(),
            Some("https://docs.example.org/tykdeps")
        );
    }

    #[test]
    fn docs_url_loses_its_trailing_slash() {
        let config = parse("t.toml", "docs_url = \"http://localhost:3000/\"\n").unwrap();
        assert_eq!(config.docs_url.as_deref(), Some("http://localhost:3000"));
        assert_eq!(
            docs_base("https://d.org/a/b/").unwrap(),
            "https://d.org/a/b"
        );
    }

    #[test]
    fn mistakes_are_refused_at_their_line() {
        let cases = [
            (
                "[gateway]\nmodul = \"x.com/y\"\n",
                2,
                "unknown field `modul`",
            ),
            ("colour = 1\n", 1, "unknown field `colour`"),
            (
                "[rules]\nno-such-rule = \"deny\"\n",
                2,
                "unknown rule `no-such-rule`",
            ),
            (
                "[rules]\ndeprecated = \"error\"\n",
                2,
                "unknown variant `error`",
            ),
            (
                "\n[[ignore]]\nrule = \"deprecated\"\n",
                2,
                "an ignore needs a `reason`",
            ),
            (
                "[[ignore]]\nrule = \"deprecated\"\nreason = \"  \"\n",
                3,
                "an ignore needs a `reason`",
            ),
            (
                "[[ignore]]\nrule = \"retract\"\nreason = \"r\"\n",
                2,
                "unknown rule `retract`",
            ),
            (
                "[[ignore]]\nrule = \"deprecated\"\nreason = \"r\"\nmodul = \"a.com/b\"\n",
                4,
                "unknown field `modul`",
            ),
            (
                "[gateway]\nversion = \"5.14\"\n",
                2,
                "not a full module version",
            ),
            (
                "[gateway]\nmodule = \"Not A Path\"\n",
                2,
                "malformed module path",
            ),
            ("[rules\n", 1, ""),
            (
                "\ndocs_url = \"ftp://docs.example.org\"\n",
                2,
                "is not an http(s) URL",
            ),
            (
                "docs_url = \"https://docs.example.org/x?page=1\"\n",
                1,
                "has a query or fragment",
            ),
            ("docs_url = \"https:///x\"\n", 1, "names no host"),
        ];
        for (text, line, message) in cases {
            let e = err(text);
            assert_eq!(e.line(), line, "{text:?}: {e}");
            assert!(e.message().contains(message), "{text:?}: {e}");
            assert!(
                e.to_string().starts_with(&format!("tykdeps.toml:{line}:")),
                "{e}"
            );
        }
    }

    fn finding(rule: RuleId, severity: Severity, module: &str) -> Finding {
        Finding {
            rule,
            severity,
            module: Some(module.to_owned()),
            gateway_version: None,
            plugin_version: None,
            packages: Vec::new(),
            message: String::new(),
            why: String::new(),
            suggestions: Vec::new(),
            location: None,
        }
    }

    fn report(verdict: Verdict, findings: Vec<Finding>) -> Report {
        let plugin = PluginReport {
            module: Some("example.com/plugin".to_owned()),
            dir: "plugin".to_owned(),
            verdict,
            loader_message: None,
            findings,
        };
        let gateway = Gateway::default();
        Report::new(Mode::Standalone, gateway, Vec::new(), vec![plugin])
    }

    #[test]
    fn levels_change_severity_and_verdict() {
        let config = parse(
            "t.toml",
            "[rules]\ndeprecated = \"deny\"\nversion-conflict = \"warn\"\nretracted = \"allow\"\n",
        )
        .unwrap();
        let failing = report(
            Verdict::Fails,
            vec![
                finding(RuleId::VersionConflict, Severity::Error, "a.com/x"),
                finding(RuleId::Retracted, Severity::Warning, "a.com/y"),
            ],
        );
        let out = config.apply(failing);
        assert_eq!(out.verdict, Verdict::Loads, "the conflict was lowered");
        assert_eq!(out.findings.len(), 1);
        assert_eq!(out.findings[0].severity, Severity::Warning);
        assert_eq!((out.summary.warnings, out.summary.suppressed), (1, 1));

        let loading = report(
            Verdict::Loads,
            vec![finding(RuleId::Deprecated, Severity::Warning, "a.com/z")],
        );
        let out = config.apply(loading);
        assert_eq!(out.verdict, Verdict::Fails, "deprecated is denied");
        assert_eq!(out.summary.errors, 1);
    }

    #[test]
    fn ignores_drop_matching_findings_and_report_unused_ones() {
        let text = "[[ignore]]\nrule = \"version-conflict\"\nmodule = \"a.com/x\"\nreason = \"accepted\"\n\n[[ignore]]\nrule = \"deprecated\"\nmodule = \"a.com/gone\"\nreason = \"old\"\n";
        let config = parse("t.toml", text).unwrap();
        let out = config.apply(report(
            Verdict::Fails,
            vec![
                finding(RuleId::VersionConflict, Severity::Error, "a.com/x"),
                finding(RuleId::VersionConflict, Severity::Error, "a.com/other"),
            ],
        ));
        assert_eq!(out.verdict, Verdict::Fails, "only a.com/x is accepted");
        let rules: Vec<RuleId> = out.findings.iter().map(|f| f.rule).collect();
        assert_eq!(rules, [RuleId::UnusedIgnore, RuleId::VersionConflict]);
        let unused = &out.findings[0];
        assert_eq!(unused.severity, Severity::Warning);
        assert_eq!(unused.module.as_deref(), Some("a.com/gone"));
        let at = unused.location.as_ref().unwrap();
        assert_eq!(
            (at.file.as_str(), at.line, at.column),
            ("t.toml", Some(6), Some(1))
        );
        assert_eq!(out.summary.suppressed, 1);

        let denied = parse(
            "t.toml",
            &format!("{text}[rules]\nunused-ignore = \"deny\"\n"),
        )
        .unwrap();
        let out = denied.apply(report(Verdict::Loads, Vec::new()));
        assert_eq!(out.verdict, Verdict::Fails, "two unused ignores, denied");
        assert_eq!(out.summary.errors, 2);
    }

    #[test]
    fn a_fail_without_an_error_finding_stays_failed() {
        let config = parse("t.toml", "[rules]\nnot-reached = \"allow\"\n").unwrap();
        let out = config.apply(report(
            Verdict::Fails,
            vec![finding(RuleId::NotReached, Severity::Note, "a.com/x")],
        ));
        assert_eq!(out.verdict, Verdict::Fails);
    }
}
