//! Markdown for a pull-request comment: a reviewer sees at a glance whether
//! each plugin loads, scans one table of findings, opens a why-chain only when
//! curious, and copies the fix commands as they are.

use std::fmt::Write as _;

use tykdeps_resolver::audit::engine::Matrix;
use tykdeps_resolver::audit::{Finding, Report, RuleId, Severity, Verdict};

use super::{counts, mode_word, rule_url, verdict_word};

/// The report as a GitHub-flavoured Markdown comment.
pub(super) fn render(report: &Report, docs: Option<&str>) -> String {
    let mut out = String::new();
    let gateway = &report.gateway;
    let _ = writeln!(
        out,
        "### tykdeps audit: {} {}\n",
        mark(report.verdict),
        verdict_word(report.verdict)
    );
    let _ = write!(
        out,
        "Gateway {} {}{} · {} · {}",
        code(gateway.module.as_deref().unwrap_or("(unknown module)")),
        code(gateway.shown_version().unwrap_or("(unknown version)")),
        gateway
            .commit_note()
            .map_or_else(String::new, |note| format!(" ({note})")),
        mode_word(report.mode),
        counts(report.summary)
    );
    out.push_str("\n\n");
    if let Some(build) = &report.assumed_build {
        let _ = writeln!(out, "Assumed build: {}\n", build.describe());
    }
    for plugin in &report.plugins {
        let _ = writeln!(
            out,
            "- {} **{}** {} (`{}`)",
            mark(plugin.verdict),
            verdict_word(plugin.verdict),
            code(plugin.module.as_deref().unwrap_or("(unknown module)")),
            cell(&plugin.dir)
        );
        if let Some(message) = &plugin.loader_message {
            let _ = writeln!(out, "  - the loader says: {}", code(message));
        }
    }
    if report.findings.is_empty() {
        return out;
    }
    out.push_str("\n| Severity | Rule | Module | Gateway | Plugin | Finding |\n");
    out.push_str("| --- | --- | --- | --- | --- | --- |\n");
    for f in &report.findings {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            severity_word(f.severity),
            rule_link(docs, f.rule),
            f.module.as_deref().map(code).unwrap_or_default(),
            f.gateway_version.as_deref().unwrap_or(""),
            f.plugin_version.as_deref().unwrap_or(""),
            cell(&f.message)
        );
    }
    for f in &report.findings {
        write_details(&mut out, f);
    }
    write_fixes(&mut out, report);
    out
}

/// The matrix as a pull-request comment: one row per gateway, whether one
/// build loads into all (or the modules that stop it), then each gateway's
/// report folded under its row's name.
pub(super) fn render_matrix(matrix: &Matrix, docs: Option<&str>) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "### tykdeps audit: {} {} in {} gateways\n",
        mark(matrix.verdict),
        verdict_word(matrix.verdict),
        matrix.cells.len()
    );
    out.push_str("| Gateway | Version | Verdict | Errors | Warnings |\n");
    out.push_str("| --- | --- | --- | --- | --- |\n");
    for c in &matrix.cells {
        let report = &c.audit.report;
        let _ = writeln!(
            out,
            "| {} | {} | {} {} | {} | {} |",
            code(&c.gateway),
            report.gateway.shown_version().map(code).unwrap_or_default(),
            mark(report.verdict),
            verdict_word(report.verdict),
            report.summary.errors,
            report.summary.warnings
        );
    }
    let build = &matrix.one_build;
    if build.possible {
        let _ = writeln!(
            out,
            "\nOne build for all: ✅ possible ({} shared module{} at the gateways' versions).",
            build.pins.len(),
            if build.pins.len() == 1 { "" } else { "s" }
        );
    } else {
        out.push_str("\nOne build for all: ❌ impossible.\n\n| Module | Needed |\n| --- | --- |\n");
        for conflict in &build.conflicts {
            let needs: Vec<String> = conflict
                .needs
                .iter()
                .map(|n| format!("{} by {}", code(&n.version), code(&n.gateway)))
                .collect();
            let _ = writeln!(out, "| {} | {} |", code(&conflict.module), needs.join(", "));
        }
    }
    if !build.unchecked.is_empty() {
        let unchecked: Vec<String> = build.unchecked.iter().map(|g| code(g)).collect();
        let _ = writeln!(
            out,
            "\nNot checked (module data not fetched): {}.",
            unchecked.join(", ")
        );
    }
    for c in &matrix.cells {
        let report = &c.audit.report;
        let _ = writeln!(
            out,
            "\n<details><summary>Gateway <code>{}</code>: {} {}</summary>\n",
            html(&c.gateway),
            mark(report.verdict),
            verdict_word(report.verdict)
        );
        // Its own heading is the summary line.
        let text = render(report, docs);
        let body = text
            .split_once('\n')
            .map_or(text.as_str(), |(_, rest)| rest);
        out.push_str(body.trim_start_matches('\n'));
        out.push_str("\n</details>\n");
    }
    out
}

/// The why-chain and the suggestions of one finding, folded.
fn write_details(out: &mut String, f: &Finding) {
    if f.why.is_empty() && f.suggestions.is_empty() {
        return;
    }
    let subject = f.module.as_deref().unwrap_or(&f.message);
    let _ = writeln!(
        out,
        "\n<details><summary><code>{}</code> {}</summary>\n",
        f.rule,
        html(subject)
    );
    if !f.why.is_empty() {
        let _ = writeln!(out, "{}\n", f.why);
    }
    for s in &f.suggestions {
        let _ = writeln!(out, "- {}", s.description);
        if let Some(edit) = &s.edit {
            let _ = writeln!(out, "  - go.mod: {}", code(edit));
        }
    }
    if !f.suggestions.is_empty() {
        out.push('\n');
    }
    out.push_str("</details>\n");
}

/// Every go command, per plugin, in one block to copy.
fn write_fixes(out: &mut String, report: &Report) {
    let commands = |findings: &[Finding]| -> Vec<String> {
        let mut all: Vec<String> = findings
            .iter()
            .flat_map(|f| f.suggestions.iter().filter_map(|s| s.go_command.clone()))
            .collect();
        all.dedup();
        all
    };
    let per_plugin: Vec<(&str, Vec<String>)> = report
        .plugins
        .iter()
        .map(|p| (p.dir.as_str(), commands(&p.findings)))
        .filter(|(_, c)| !c.is_empty())
        .collect();
    if per_plugin.is_empty() {
        return;
    }
    out.push_str("\n#### Fix\n");
    for (dir, commands) in per_plugin {
        let _ = writeln!(out, "\nIn `{}`:\n\n```sh", cell(dir));
        for command in commands {
            let _ = writeln!(out, "{command}");
        }
        out.push_str("```\n");
    }
}

/// The rule id in code, linked to its page when the guide is published.
pub(crate) fn rule_link(docs: Option<&str>, rule: RuleId) -> String {
    match rule_url(docs, rule) {
        Some(url) => format!("[`{rule}`]({url})"),
        None => format!("`{rule}`"),
    }
}

fn mark(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Loads => "✅",
        Verdict::Fails => "❌",
        Verdict::Unknown => "❔",
    }
}

fn severity_word(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

/// Text inside a table cell: pipes would end the cell, newlines the row.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', "<br>")
}

/// Inline code that survives backticks in the text and sits in a table.
fn code(text: &str) -> String {
    let fence = if text.contains('`') { "`` " } else { "`" };
    let close = if text.contains('`') { " ``" } else { "`" };
    format!("{fence}{}{close}", cell(text))
}

/// Text inside HTML (the `<summary>` line).
fn html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::super::fixture;

    #[test]
    fn matrix_snapshot() {
        insta::assert_snapshot!(super::render_matrix(&fixture::matrix(), None));
    }

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(super::render(&fixture::report(), None));
    }

    #[test]
    fn rules_link_to_the_docs_url_when_set() {
        let linked = super::render(&fixture::report(), Some("https://docs.example.org/tykdeps"));
        assert!(
            linked.contains(
                "| [`version-conflict`](https://docs.example.org/tykdeps/rules/version-conflict.html) |"
            ),
            "{linked}"
        );
        let plain = super::render(&fixture::report(), None);
        assert!(plain.contains("| `version-conflict` |"), "{plain}");
        assert!(!plain.contains("http"), "{plain}");
    }

    #[test]
    fn cells_keep_their_row() {
        assert_eq!(super::cell("a|b\nc"), "a\\|b<br>c");
        assert_eq!(super::code("x`y"), "`` x`y ``");
    }
}
