//! Everything tykdeps shows, as text: library values in, `String` out, with
//! no environment, no arguments and no I/O, so every front end (the
//! command line, the pull-request bot, the pre-commit hook) words a result
//! the same way and the wording is tested without running anything.
//!
//! The four ways an audit report is shown: to a person in a terminal, to a
//! program (JSON), to code-scanning services (SARIF) and in a pull-request
//! comment (Markdown). All render the one `Report`, so they can never
//! disagree about a verdict; they differ only in what their reader needs.

pub mod binary;
pub mod cache;
pub mod comment;
pub mod diff;
pub mod gateway;
pub mod go_files;
mod human;
mod json;
mod markdown;
pub mod repo_paths;
pub mod rule_pages;
mod sarif;
pub mod setup;
pub mod upgrade;

use std::collections::BTreeMap;
use std::fmt::Write as _;

use tykdeps_resolver::audit::engine::Matrix;
use tykdeps_resolver::audit::{Mode, Report, RuleId, Summary, Verdict};

/// How an audit report is printed. (With the `clap` feature it is also the
/// `--format` flag's value, so the flag's values are these and no others.)
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
pub enum Format {
    /// Diagnostics for a terminal.
    Human,
    /// The JSON contract (book: reference/output-formats).
    Json,
    /// SARIF 2.1.0, for code-scanning services.
    Sarif,
    /// Markdown, for a pull-request comment.
    Markdown,
}

/// The text of the files findings point into, by the name findings use, so
/// the human format can underline the line.
pub type Sources = BTreeMap<String, String>;

/// The files the report's findings point at with a byte span: what a front
/// end reads into [`Sources`] (a file it cannot read is shown without text).
pub fn spanned_files(report: &Report) -> impl Iterator<Item = &str> {
    report
        .findings
        .iter()
        .filter_map(|f| f.location.as_ref().filter(|l| l.span.is_some()))
        .map(|l| l.file.as_str())
}

/// How the human format is shown.
#[derive(Debug, Clone, Copy, Default)]
pub struct Human {
    /// Colour for a terminal.
    pub color: bool,
    /// Every note listed, not counted.
    pub verbose: bool,
}

/// Render `report` in `format`; `human` only affects the human format.
/// `docs` is the published user guide's base URL (`--docs-url`, `docs_url`),
/// which rule links point into; without it no format prints a URL.
pub fn render(
    report: &Report,
    format: Format,
    sources: &Sources,
    human: Human,
    docs: Option<&str>,
) -> String {
    match format {
        Format::Human => human::render(report, sources, human, docs),
        Format::Json => json::render(report, docs),
        Format::Sarif => sarif::render(report, docs),
        Format::Markdown => markdown::render(report, docs),
    }
}

/// Render the gateway `matrix` in `format`, as [`render`] renders one report
/// (`sources` holding the files of every cell's report).
pub fn render_matrix(
    matrix: &Matrix,
    format: Format,
    sources: &Sources,
    human: Human,
    docs: Option<&str>,
) -> String {
    match format {
        Format::Human => human::render_matrix(matrix, sources, human, docs),
        Format::Json => json::render_matrix(matrix, docs),
        Format::Sarif => sarif::render_matrix(matrix, docs),
        Format::Markdown => markdown::render_matrix(matrix, docs),
    }
}

/// Where a rule's page is published: `<docs>/rules/<id>.html`, the page
/// mdBook builds from `book/src/rules/<id>.md`; `None` without a docs URL.
pub fn rule_url(docs: Option<&str>, rule: RuleId) -> Option<String> {
    docs.map(|base| format!("{}/rules/{}.html", base.trim_end_matches('/'), rule.id()))
}

/// "1 error", "2 warnings": the summary's counts in words.
fn counts(summary: Summary) -> String {
    let count = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let mut text = format!(
        "{}, {}, {}",
        count(summary.errors, "error"),
        count(summary.warnings, "warning"),
        count(summary.notes, "note")
    );
    if summary.suppressed > 0 {
        let _ = write!(text, "; {} suppressed by tykdeps.toml", summary.suppressed);
    }
    text
}

/// The build mode's word, as the JSON contract spells it.
fn mode_word(mode: Mode) -> &'static str {
    match mode {
        Mode::Standalone => "standalone",
        Mode::Workspace => "workspace",
        Mode::Binary => "binary",
    }
}

/// The verdict's word, as the JSON contract spells it.
pub fn verdict_word(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Loads => "loads",
        Verdict::Fails => "fails",
        Verdict::Unknown => "unknown",
    }
}

/// A fixed report exercising every part of every format, for the snapshot
/// tests (rendering only: the findings are made up, not predicted).
#[cfg(test)]
pub(crate) mod fixture {
    use tykdeps_resolver::audit::engine::{
        Audit, Matrix, MatrixCell, OneBuild, PinConflict, PinNeed,
    };
    use tykdeps_resolver::audit::{
        AssumedBuild, Finding, Gateway, Location, Mode, PluginReport, Report, RuleId, Severity,
        Suggestion, Verdict,
    };
    use tykdeps_resolver::span::Span;

    use super::Sources;

    /// The plugin's go.mod the conflict points into.
    pub(crate) const GO_MOD: &str = "module example.com/plugin\n\ngo 1.24\n\nrequire (\n\tgithub.com/TykTechnologies/tyk v1.9.2\n\tgithub.com/buger/jsonparser v1.1.1\n)\n";

    fn conflict() -> Finding {
        let line = "\tgithub.com/buger/jsonparser v1.1.1";
        let start = GO_MOD.find(line).unwrap() + 1;
        Finding {
            rule: RuleId::VersionConflict,
            severity: Severity::Error,
            module: Some("github.com/buger/jsonparser".to_owned()),
            gateway_version: Some("v1.1.0".to_owned()),
            plugin_version: Some("v1.1.1".to_owned()),
            packages: vec!["github.com/buger/jsonparser".to_owned()],
            message: "the plugin selects github.com/buger/jsonparser v1.1.1; the gateway links v1.1.0".to_owned(),
            why: "example.com/plugin requires github.com/buger/jsonparser v1.1.1 (go.mod line 7) | pipes too".to_owned(),
            suggestions: vec![Suggestion {
                kind: "pin-version",
                description: "pin the gateway's version".to_owned(),
                go_command: Some("go get github.com/buger/jsonparser@v1.1.0".to_owned()),
                edit: Some("require github.com/buger/jsonparser v1.1.0".to_owned()),
                edits: Vec::new(),
            }],
            location: Some(Location {
                file: "plugin/go.mod".to_owned(),
                line: Some(7),
                column: Some(2),
                span: Some(Span::new(start, start + line.len() - 1)),
            }),
        }
    }

    fn deprecated() -> Finding {
        Finding {
            rule: RuleId::Deprecated,
            severity: Severity::Warning,
            module: Some("github.com/golang/protobuf".to_owned()),
            gateway_version: Some("v1.5.4".to_owned()),
            plugin_version: Some("v1.5.4".to_owned()),
            packages: Vec::new(),
            message: "github.com/golang/protobuf is deprecated: Use the \"google.golang.org/protobuf\" module instead.".to_owned(),
            why: "the gateway requires it".to_owned(),
            suggestions: Vec::new(),
            location: None,
        }
    }

    fn shared() -> Finding {
        Finding {
            rule: RuleId::SharedDependency,
            severity: Severity::Note,
            module: Some("github.com/sirupsen/logrus".to_owned()),
            gateway_version: Some("v1.9.3".to_owned()),
            plugin_version: Some("v1.9.3".to_owned()),
            packages: vec!["github.com/sirupsen/logrus".to_owned()],
            message: "github.com/sirupsen/logrus is shared with the gateway at github.com/sirupsen/logrus@v1.9.3 (1 package both link)".to_owned(),
            why: "example.com/other requires github.com/sirupsen/logrus@v1.9.3".to_owned(),
            suggestions: Vec::new(),
            location: None,
        }
    }

    fn unused_ignore() -> Finding {
        Finding {
            rule: RuleId::UnusedIgnore,
            severity: Severity::Warning,
            module: Some("a.com/gone".to_owned()),
            gateway_version: None,
            plugin_version: None,
            packages: Vec::new(),
            message: "this ignore matches no `deprecated` finding about a.com/gone".to_owned(),
            why: "An ignore that matches nothing would hide a new problem later.".to_owned(),
            suggestions: vec![Suggestion {
                kind: "remove-ignore",
                description: "remove this [[ignore]] entry from tykdeps.toml".to_owned(),
                go_command: None,
                edit: None,
                edits: Vec::new(),
            }],
            location: Some(Location {
                file: "tykdeps.toml".to_owned(),
                line: Some(1),
                column: Some(1),
                span: Some(Span::new(0, 10)),
            }),
        }
    }

    /// Two plugins, one failing with a located conflict, one loading with a
    /// warning and a note, and a gateway-level finding from the config.
    pub(crate) fn report() -> Report {
        let failing = PluginReport {
            module: Some("example.com/plugin".to_owned()),
            dir: "plugin".to_owned(),
            verdict: Verdict::Fails,
            loader_message: Some("plugin.Open(\"plugin\"): plugin was built with a different version of package github.com/buger/jsonparser".to_owned()),
            findings: vec![conflict()],
        };
        let loading = PluginReport {
            module: Some("example.com/other".to_owned()),
            dir: "other".to_owned(),
            verdict: Verdict::Loads,
            loader_message: None,
            findings: vec![deprecated(), shared()],
        };
        let gateway = Gateway {
            module: Some("github.com/TykTechnologies/tyk".to_owned()),
            version: None,
            dir: None,
            commit: Some("1db1935d89925c2e1dd5d3f1a7aa8c3d5d7e2b10".to_owned()),
            commit_time: Some("2024-09-24T12:54:26Z".to_owned()),
            pseudo_version: Some("v1.9.2-0.20240924125426-1db1935d8992".to_owned()),
            modified: Some(true),
        };
        Report::new(
            Mode::Standalone,
            gateway,
            vec![unused_ignore()],
            vec![failing, loading],
        )
        .assuming(AssumedBuild {
            toolchain: Some("go1.26.8".to_owned()),
            trimpath: true,
            gateway_tags: vec!["goplugin".to_owned()],
            plugin_tags: Vec::new(),
            goos: "linux".to_owned(),
            goarch: "amd64".to_owned(),
            cgo_enabled: true,
        })
    }

    /// The fixed report against one gateway (failing) and its loading plugin
    /// alone against another, with one module the two need at different
    /// versions.
    pub(crate) fn matrix() -> Matrix {
        let cell = |gateway: &str, report: Report| MatrixCell {
            gateway: gateway.to_owned(),
            audit: Audit {
                report,
                plugin_go_mods: Vec::new(),
                ceilings: Vec::new(),
                unfetched: None,
            },
        };
        let failing = report();
        let mut loading = failing.clone();
        loading.plugins.remove(0);
        let loading = Report::new(
            loading.mode,
            Gateway {
                pseudo_version: Some("v1.9.2-0.20260630105001-301579e685f8".to_owned()),
                ..loading.gateway
            },
            Vec::new(),
            loading.plugins,
        );
        let need = |gateway: &str, version: &str| PinNeed {
            gateway: gateway.to_owned(),
            version: version.to_owned(),
        };
        Matrix {
            verdict: Verdict::Fails,
            one_build: OneBuild {
                possible: false,
                pins: [("github.com/sirupsen/logrus".to_owned(), "v1.9.3".to_owned())].into(),
                conflicts: vec![PinConflict {
                    module: "github.com/buger/jsonparser".to_owned(),
                    needs: vec![need("v5.3.6", "v1.1.0"), need("v5.8.15", "v1.1.1")],
                }],
                unchecked: Vec::new(),
            },
            cells: vec![cell("v5.3.6", failing), cell("v5.8.15", loading)],
        }
    }

    /// The texts of the files the fixture points into.
    pub(crate) fn sources() -> Sources {
        Sources::from([
            ("plugin/go.mod".to_owned(), GO_MOD.to_owned()),
            (
                "tykdeps.toml".to_owned(),
                "[[ignore]]\nrule = \"deprecated\"\nmodule = \"a.com/gone\"\nreason = \"old\"\n"
                    .to_owned(),
            ),
        ])
    }
}
