//! The terminal format: each error and warning as a miette diagnostic, so a
//! person sees the rule id and its page, the go.mod line underlined, the
//! cause, and the exact command that fixes it, in the form Rust and Go users
//! already read; notes follow, one line each.

use std::fmt::{self, Write as _};

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceCode,
};
use tykdeps_resolver::audit::engine::{Matrix, OneBuild};
use tykdeps_resolver::audit::{Finding, Report, Severity, Verdict};

use super::{Human, Sources, counts, mode_word, rule_url, verdict_word};

/// Wide enough for a go.mod require line and its label, narrow enough for a
/// side-by-side terminal.
const WIDTH: usize = 100;

/// The matrix for a person: a table of the gateways' verdicts, whether one
/// build loads into all, then each gateway's report as [`render`] shows it.
pub(super) fn render_matrix(
    matrix: &Matrix,
    sources: &Sources,
    options: Human,
    docs: Option<&str>,
) -> String {
    let width = matrix
        .cells
        .iter()
        .map(|c| c.gateway.chars().count())
        .chain([7])
        .max()
        .unwrap_or(7);
    let mut out = format!("{:width$}  verdict  errors  warnings\n", "gateway");
    for cell in &matrix.cells {
        let report = &cell.audit.report;
        let _ = writeln!(
            out,
            "{:width$}  {:7}  {:>6}  {:>8}",
            cell.gateway,
            verdict_word(report.verdict),
            report.summary.errors,
            report.summary.warnings
        );
    }
    out.push('\n');
    out.push_str(&one_build_text(&matrix.one_build));
    for cell in &matrix.cells {
        let _ = writeln!(out, "\n══ gateway {} ══", cell.gateway);
        out.push_str(&render(&cell.audit.report, sources, options, docs));
    }
    let _ = writeln!(
        out,
        "\nmatrix: {} ({} gateways)",
        verdict_word(matrix.verdict),
        matrix.cells.len()
    );
    out
}

/// Whether one build loads into every gateway, in words: the pins it
/// needs, or each module two gateways need at different versions.
pub(super) fn one_build_text(build: &OneBuild) -> String {
    let mut out = String::new();
    if build.possible {
        let _ = writeln!(
            out,
            "one build for all: possible, with {} shared module{} at the gateways' versions",
            build.pins.len(),
            if build.pins.len() == 1 { "" } else { "s" }
        );
    } else {
        let _ = writeln!(out, "one build for all: impossible");
        for conflict in &build.conflicts {
            let needs: Vec<String> = conflict
                .needs
                .iter()
                .map(|n| format!("{} needs {}", n.gateway, n.version))
                .collect();
            let _ = writeln!(out, "  {}: {}", conflict.module, needs.join(", "));
        }
    }
    if !build.unchecked.is_empty() {
        let _ = writeln!(
            out,
            "  not checked (module data not fetched): {}",
            build.unchecked.join(", ")
        );
    }
    out
}

/// The report for a person: a header per gateway and plugin, each finding as
/// a diagnostic, and a closing verdict line.
pub(super) fn render(
    report: &Report,
    sources: &Sources,
    options: Human,
    docs: Option<&str>,
) -> String {
    let theme = if options.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(WIDTH)
        .with_links(false);
    let mut out = String::new();
    let gateway = &report.gateway;
    let _ = writeln!(
        out,
        "gateway {} {}{}",
        gateway.module.as_deref().unwrap_or("(unknown module)"),
        gateway.shown_version().unwrap_or("(unknown version)"),
        match (gateway.commit_note(), &gateway.dir) {
            (Some(note), Some(d)) => format!(" ({note}, {d})"),
            (Some(note), None) => format!(" ({note})"),
            (None, Some(d)) => format!(" ({d})"),
            (None, None) => String::new(),
        }
    );
    if let Some(build) = &report.assumed_build {
        let _ = writeln!(
            out,
            "assumed build: {}, {}",
            mode_word(report.mode),
            build.describe()
        );
    }
    // Notes are context, not problems: a Tyk-sized plugin shares ~100 modules
    // with the gateway, so they are counted on one line, or with --verbose
    // listed one per line after the diagnostics.
    let write_findings = |out: &mut String, findings: &[Finding]| {
        let (notes, problems): (Vec<&Finding>, Vec<&Finding>) =
            findings.iter().partition(|f| f.severity == Severity::Note);
        for finding in problems {
            let _ = handler.render_report(out, &FindingDiagnostic::new(finding, sources, docs));
        }
        if options.verbose && !notes.is_empty() {
            let _ = writeln!(out, "notes:");
            for note in &notes {
                let _ = writeln!(out, "  ☞ {}: {}", note.rule, note.message);
            }
        } else if !notes.is_empty() {
            let _ = writeln!(out, "notes: {} (--verbose lists them)", note_counts(&notes));
        }
    };
    write_findings(&mut out, report.gateway_findings());
    for plugin in &report.plugins {
        let _ = writeln!(
            out,
            "\nplugin {} ({}): {}",
            plugin.module.as_deref().unwrap_or("(unknown module)"),
            plugin.dir,
            shout(plugin.verdict)
        );
        if let Some(message) = &plugin.loader_message {
            let _ = writeln!(out, "  the loader says: {message}");
        }
        write_findings(&mut out, &plugin.findings);
    }
    let _ = writeln!(
        out,
        "\nverdict: {} ({})",
        verdict_word(report.verdict),
        counts(report.summary)
    );
    out
}

/// "107 (shared-dependency 100, no-go-mod 7)": notes counted by rule.
fn note_counts(notes: &[&Finding]) -> String {
    let mut by_rule: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for note in notes {
        *by_rule.entry(note.rule.id()).or_default() += 1;
    }
    let mut by_rule: Vec<(&str, usize)> = by_rule.into_iter().collect();
    by_rule.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let parts: Vec<String> = by_rule
        .iter()
        .map(|(rule, n)| format!("{rule} {n}"))
        .collect();
    format!("{} ({})", notes.len(), parts.join(", "))
}

/// A failing verdict stands out in a long scroll.
fn shout(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Fails => "FAILS",
        v => verdict_word(v),
    }
}

/// One finding as miette sees it.
#[derive(Debug)]
struct FindingDiagnostic<'a> {
    finding: &'a Finding,
    why: Why,
    source: Option<NamedSource<String>>,
    url: String,
    help: Option<String>,
}

/// The finding's cause, shown by miette as the diagnostic's cause chain.
#[derive(Debug)]
struct Why(String);

impl fmt::Display for Why {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Why {}

impl<'a> FindingDiagnostic<'a> {
    fn new(finding: &'a Finding, sources: &Sources, docs: Option<&str>) -> Self {
        let source = finding
            .location
            .as_ref()
            .filter(|l| l.span.is_some())
            .and_then(|l| {
                let text = sources.get(&l.file)?;
                Some(NamedSource::new(&l.file, text.clone()))
            });
        Self {
            finding,
            why: Why(finding.why.clone()),
            source,
            // Without a published guide, the binary's own copy of the page.
            url: rule_url(docs, finding.rule)
                .unwrap_or_else(|| format!("tykdeps explain {}", finding.rule)),
            help: help(finding),
        }
    }
}

/// One `help:` block: each suggestion, its go command and its go.mod edit.
fn help(finding: &Finding) -> Option<String> {
    let lines: Vec<String> = finding
        .suggestions
        .iter()
        .map(|s| {
            let mut text = s.description.clone();
            if let Some(command) = &s.go_command {
                let _ = write!(text, "\n  $ {command}");
            }
            if let Some(edit) = &s.edit {
                let _ = write!(text, "\n  go.mod: {edit}");
            }
            text
        })
        .collect();
    (!lines.is_empty()).then(|| lines.join("\n"))
}

impl fmt::Display for FindingDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.finding.message)
    }
}

impl std::error::Error for FindingDiagnostic<'_> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        (!self.why.0.is_empty()).then_some(&self.why as _)
    }
}

impl Diagnostic for FindingDiagnostic<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(self.finding.rule.id()))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.finding.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Note => miette::Severity::Advice,
        })
    }

    fn url<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(&self.url))
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.source.as_ref()?;
        let span = self.finding.location.as_ref()?.span?;
        let label = match (&self.finding.plugin_version, &self.finding.gateway_version) {
            (Some(p), Some(g)) if p != g => format!("{p} here; the gateway has {g}"),
            _ => "here".to_owned(),
        };
        Some(Box::new(std::iter::once(LabeledSpan::new(
            Some(label),
            span.start,
            span.len(),
        ))))
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture;

    use super::Human;

    #[test]
    fn matrix_snapshot() {
        insta::assert_snapshot!(super::render_matrix(
            &fixture::matrix(),
            &super::Sources::new(),
            Human::default(),
            None
        ));
    }

    #[test]
    fn snapshot() {
        let text = super::render(
            &fixture::report(),
            &fixture::sources(),
            Human::default(),
            None,
        );
        insta::assert_snapshot!(text);
    }

    #[test]
    fn verbose_lists_every_note() {
        let verbose = Human {
            color: false,
            verbose: true,
        };
        let text = super::render(&fixture::report(), &fixture::sources(), verbose, None);
        let quiet = super::render(
            &fixture::report(),
            &fixture::sources(),
            Human::default(),
            None,
        );
        assert!(text.contains("  ☞ shared-dependency: "), "{text}");
        assert!(!quiet.contains("  ☞ "), "{quiet}");
        assert!(
            quiet.contains("notes: 1 (shared-dependency 1) (--verbose lists them)"),
            "{quiet}"
        );
    }

    #[test]
    fn without_the_file_the_finding_is_still_shown() {
        let text = super::render(
            &fixture::report(),
            &super::Sources::new(),
            Human::default(),
            None,
        );
        assert!(text.contains("version-conflict"), "{text}");
        assert!(
            text.contains("$ go get github.com/buger/jsonparser@v1.1.0"),
            "{text}"
        );
        assert!(!text.contains("plugin/go.mod:7"), "{text}");
    }

    #[test]
    fn rules_name_explain_or_the_docs_url() {
        let plain = super::render(
            &fixture::report(),
            &fixture::sources(),
            Human::default(),
            None,
        );
        assert!(
            plain.contains("version-conflict (tykdeps explain version-conflict)"),
            "{plain}"
        );
        assert!(!plain.contains("http"), "{plain}");
        let linked = super::render(
            &fixture::report(),
            &fixture::sources(),
            Human::default(),
            Some("https://docs.example.org/tykdeps/"),
        );
        assert!(
            linked.contains(
                "version-conflict (https://docs.example.org/tykdeps/rules/version-conflict.html)"
            ),
            "{linked}"
        );
    }
}
