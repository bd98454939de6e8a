//! The pull-request comment: findings classified against the base report by
//! fingerprint, rendered as GitHub Markdown that fits in one comment.

use std::collections::HashMap;
use std::fmt::Write as _;

use tykdeps_resolver::audit::{RuleId, Verdict};

use crate::{rule_url, verdict_word};
use tykdeps_resolver::audit::Severity;
use tykdeps_resolver::audit::read_back::{Finding, Loaded};

/// The hidden line that marks tykdeps' comment, so it is updated, not repeated.
pub const MARKER: &str = "<!-- tykdeps-comment -->";

/// GitHub's limit on a comment body, in characters.
pub const LIMIT: usize = 65_536;

/// Room kept for closing a section and the note on what was cut.
const RESERVE: usize = 600;

/// The findings of the pull request's report against the base's.
#[derive(Debug, Default)]
pub struct Classified<'a> {
    /// In the pull request, not in the base.
    pub new: Vec<&'a Finding>,
    /// In the base, gone from the pull request.
    pub fixed: Vec<&'a Finding>,
    /// In both (the pull request's copy).
    pub unchanged: Vec<&'a Finding>,
}

/// Match findings by fingerprint, as multisets: two findings with one
/// fingerprint in the pull request and one in the base are one unchanged
/// and one new. Without a base every finding is new.
pub fn classify<'a>(pr: &'a Loaded, base: Option<&'a Loaded>) -> Classified<'a> {
    let count = |findings: &'a [Finding]| {
        let mut counts: HashMap<&'a str, usize> = HashMap::new();
        for f in findings {
            *counts.entry(f.fingerprint.as_str()).or_default() += 1;
        }
        counts
    };
    let mut in_base = base.map(|b| count(&b.findings)).unwrap_or_default();
    let mut in_pr = count(&pr.findings);
    let mut classified = Classified::default();
    for f in &pr.findings {
        match in_base.get_mut(f.fingerprint.as_str()) {
            Some(n) if *n > 0 => {
                *n -= 1;
                classified.unchanged.push(f);
            }
            _ => classified.new.push(f),
        }
    }
    for f in base.map(|b| b.findings.as_slice()).unwrap_or_default() {
        match in_pr.get_mut(f.fingerprint.as_str()) {
            Some(n) if *n > 0 => *n -= 1,
            _ => classified.fixed.push(f),
        }
    }
    classified
}

/// What the comment says besides the findings.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// The base reports' file names; empty without a base.
    pub baseline: &'a [String],
    /// The published user guide, for rule links.
    pub docs: Option<&'a str>,
    /// The CI run whose job summary holds the whole report.
    pub run_url: Option<&'a str>,
}

/// The comment body: marker, verdict, counts table, errors with their fix
/// commands, then warnings, notes and fixed findings folded; never over
/// `limit` bytes (so never over as many characters), cutting findings from
/// the end with a count of what was cut.
pub fn render(
    pr: &Loaded,
    classified: &Classified<'_>,
    context: Context<'_>,
    limit: usize,
) -> String {
    let mut out = head(pr, classified, context);
    let item = |f: &Finding, label: &str, commands: bool| finding(f, label, commands, context.docs);
    let mut sections = Vec::new();
    // Errors in full, new first, each with its fix commands.
    let errors: Vec<String> = of(&classified.new, Severity::Error)
        .into_iter()
        .map(|f| item(f, "**new**", true))
        .chain(
            of(&classified.unchanged, Severity::Error)
                .into_iter()
                .map(|f| item(f, "unchanged", true)),
        )
        .collect();
    sections.push(Section {
        open: format!("\n#### Errors ({})\n\n", errors.len()),
        items: errors,
        close: String::new(),
    });
    for (severity, word) in [(Severity::Warning, "Warnings"), (Severity::Note, "Notes")] {
        let new = of(&classified.new, severity);
        let items: Vec<String> = new
            .iter()
            .map(|f| item(f, "**new**", false))
            .chain(
                of(&classified.unchanged, severity)
                    .into_iter()
                    .map(|f| item(f, "unchanged", false)),
            )
            .collect();
        sections.push(Section {
            open: format!(
                "\n<details><summary>{word} ({}, {} new)</summary>\n\n",
                items.len(),
                new.len()
            ),
            items,
            close: "\n</details>\n".to_owned(),
        });
    }
    let fixed: Vec<String> = classified
        .fixed
        .iter()
        .map(|f| item(f, "fixed", false))
        .collect();
    sections.push(Section {
        open: format!(
            "\n<details><summary>Fixed since the base ({})</summary>\n\n",
            fixed.len()
        ),
        items: fixed,
        close: "\n</details>\n".to_owned(),
    });
    let cut = fill(&mut out, sections, limit);
    if cut > 0 {
        let summary = context.run_url.map_or_else(
            || "the CI job's summary".to_owned(),
            |url| format!("[the job summary]({url})"),
        );
        let _ = writeln!(
            out,
            "\n> ✂️ **{cut} {} not shown**: a comment holds at most {LIMIT} characters. Every finding is in {summary} and the JSON report.",
            if cut == 1 { "finding" } else { "findings" }
        );
    }
    out
}

/// The marker, the verdict, the counts table and what was compared.
fn head(pr: &Loaded, classified: &Classified<'_>, context: Context<'_>) -> String {
    let mut out = format!("{MARKER}\n");
    let _ = writeln!(
        out,
        "### tykdeps: {} {}\n",
        mark(pr.verdict),
        verdict_word(pr.verdict)
    );
    let errors_new = of(&classified.new, Severity::Error).len();
    let _ = writeln!(
        out,
        "{} · {} fixed · {} unchanged\n",
        match errors_new {
            0 => "No new error".to_owned(),
            1 => "**1 new error**".to_owned(),
            n => format!("**{n} new errors**"),
        },
        classified.fixed.len(),
        classified.unchanged.len()
    );
    out.push_str("| | New | Fixed | Unchanged |\n| --- | ---: | ---: | ---: |\n");
    for (severity, word) in [
        (Severity::Error, "Errors"),
        (Severity::Warning, "Warnings"),
        (Severity::Note, "Notes"),
    ] {
        let _ = writeln!(
            out,
            "| {word} | {} | {} | {} |",
            of(&classified.new, severity).len(),
            of(&classified.fixed, severity).len(),
            of(&classified.unchanged, severity).len()
        );
    }
    let _ = writeln!(
        out,
        "| **All** | **{}** | **{}** | **{}** |\n",
        classified.new.len(),
        classified.fixed.len(),
        classified.unchanged.len()
    );
    match context.baseline {
        [] => out.push_str("No base report was given: every finding counts as new.\n"),
        [base] => {
            let _ = writeln!(
                out,
                "Compared with the base report {} by fingerprint.",
                code(base)
            );
        }
        bases => {
            let names: Vec<String> = bases.iter().map(|b| code(b)).collect();
            let _ = writeln!(
                out,
                "Compared with the base reports {} by fingerprint.",
                names.join(", ")
            );
        }
    }
    out
}

/// A heading, its items and its closing text.
struct Section {
    open: String,
    items: Vec<String>,
    close: String,
}

/// Append sections while they fit in `limit` (keeping room for the note);
/// once one item does not fit, it and everything after are cut. Returns
/// the number of items cut.
fn fill(out: &mut String, sections: Vec<Section>, limit: usize) -> usize {
    let mut cut = 0;
    let mut full = false;
    for section in sections {
        if section.items.is_empty() {
            continue;
        }
        if full {
            cut += section.items.len();
            continue;
        }
        let mut text = section.open;
        let mut shown = 0;
        for item in &section.items {
            if out.len() + text.len() + item.len() + section.close.len() + RESERVE > limit {
                full = true;
                break;
            }
            text.push_str(item);
            shown += 1;
        }
        cut += section.items.len() - shown;
        if shown > 0 {
            out.push_str(&text);
            out.push_str(&section.close);
        }
    }
    cut
}

fn of<'a>(findings: &[&'a Finding], severity: Severity) -> Vec<&'a Finding> {
    findings
        .iter()
        .copied()
        .filter(|f| f.severity == severity)
        .collect()
}

/// One finding as a list item: label, rule, module and versions, message,
/// where it points and (for errors) the commands that fix it.
fn finding(f: &Finding, label: &str, commands: bool, docs: Option<&str>) -> String {
    let rule = match RuleId::from_id(&f.rule).and_then(|r| rule_url(docs, r)) {
        Some(url) => format!("[{}]({url})", code(&f.rule)),
        None => code(&f.rule),
    };
    let mut text = format!("- {label} {rule}");
    if let Some(module) = &f.module {
        let _ = write!(text, " {}", code(module));
    }
    match (&f.plugin_version, &f.gateway_version) {
        (Some(p), Some(g)) if p != g => {
            let _ = write!(text, " {p} (gateway {g})");
        }
        (Some(v), _) | (None, Some(v)) => {
            let _ = write!(text, " {v}");
        }
        (None, None) => {}
    }
    let _ = write!(text, ": {}", one_line(&f.message));
    if let Some(location) = &f.location {
        let _ = write!(text, " ({})", code(location));
    }
    text.push('\n');
    if commands && !f.commands.is_empty() {
        text.push_str("  ```sh\n");
        for command in &f.commands {
            let _ = writeln!(text, "  {}", one_line(command));
        }
        text.push_str("  ```\n");
    }
    text
}

fn one_line(text: &str) -> String {
    text.replace(['\n', '\r'], " ")
}

fn code(text: &str) -> String {
    let text = one_line(text);
    if text.contains('`') {
        format!("`` {text} ``")
    } else {
        format!("`{text}`")
    }
}

fn mark(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Loads => "✅",
        Verdict::Fails => "❌",
        Verdict::Unknown => "❔",
    }
}

#[cfg(test)]
mod tests {
    use super::{Context, LIMIT, MARKER, classify, render};
    use tykdeps_resolver::audit::Severity;
    use tykdeps_resolver::audit::read_back::{Finding, Loaded};

    fn finding(fingerprint: &str, severity: Severity) -> Finding {
        Finding {
            rule: "version-conflict".to_owned(),
            severity,
            module: Some(format!("example.com/{fingerprint}")),
            gateway_version: Some("v1.2.0".to_owned()),
            plugin_version: Some("v1.3.0".to_owned()),
            message: "the plugin selects another version".to_owned(),
            commands: vec![format!(
                "go mod edit -require=example.com/{fingerprint}@v1.2.0"
            )],
            location: Some("go.mod:7".to_owned()),
            fingerprint: fingerprint.to_owned(),
        }
    }

    fn loaded(findings: Vec<Finding>) -> Loaded {
        Loaded {
            verdict: tykdeps_resolver::audit::Verdict::Fails,
            findings,
        }
    }

    const CONTEXT: Context<'static> = Context {
        baseline: &[],
        docs: None,
        run_url: None,
    };

    #[test]
    fn findings_are_matched_as_a_multiset() {
        let base = loaded(vec![
            finding("aa", Severity::Error),
            finding("bb", Severity::Warning),
            finding("cc", Severity::Note),
            finding("cc", Severity::Note),
        ]);
        let pr = loaded(vec![
            finding("aa", Severity::Error),
            finding("cc", Severity::Note),
            finding("dd", Severity::Error),
        ]);
        let c = classify(&pr, Some(&base));
        let fps = |fs: &[&Finding]| fs.iter().map(|f| f.fingerprint.clone()).collect::<Vec<_>>();
        assert_eq!(fps(&c.new), ["dd"]);
        assert_eq!(fps(&c.fixed), ["bb", "cc"]);
        assert_eq!(fps(&c.unchanged), ["aa", "cc"]);
        let none = classify(&pr, None);
        assert_eq!(
            (none.new.len(), none.fixed.len(), none.unchanged.len()),
            (3, 0, 0)
        );
    }

    #[test]
    fn the_body_starts_with_the_marker_verdict_and_table() {
        let base = loaded(vec![finding("aa", Severity::Error)]);
        let pr = loaded(vec![
            finding("aa", Severity::Error),
            finding("dd", Severity::Error),
        ]);
        let body = render(&pr, &classify(&pr, Some(&base)), CONTEXT, LIMIT);
        assert!(
            body.starts_with(&format!("{MARKER}\n### tykdeps: ❌ fails\n")),
            "{body}"
        );
        assert!(body.contains("| Errors | 1 | 0 | 1 |"), "{body}");
        assert!(body.contains("**1 new error**"), "{body}");
        let errors = body.find("#### Errors (2)").expect("errors listed");
        assert!(body.find("| New |").unwrap() < errors);
        assert!(
            body.contains("  go mod edit -require=example.com/dd@v1.2.0\n"),
            "{body}"
        );
        assert!(!body.contains("✂️"), "{body}");
    }

    #[test]
    fn a_long_body_is_cut_with_a_count_and_a_pointer() {
        let mut many = Vec::new();
        for i in 0..3000 {
            let mut f = finding(
                &format!("{i:04x}"),
                [Severity::Error, Severity::Warning, Severity::Note][i % 3],
            );
            f.message = "x".repeat(200);
            many.push(f);
        }
        let pr = loaded(many);
        let context = Context {
            run_url: Some("https://github.com/o/r/actions/runs/1"),
            ..CONTEXT
        };
        let body = render(&pr, &classify(&pr, None), context, LIMIT);
        assert!(body.chars().count() <= LIMIT, "{}", body.len());
        assert!(body.starts_with(MARKER));
        assert!(
            body.contains("| All | ") || body.contains("| **All** | **3000** |"),
            "table kept"
        );
        let shown = body.matches("\n- ").count();
        assert!(shown > 10, "{shown}");
        let note = format!("**{} findings not shown**", 3000 - shown);
        assert!(
            body.contains(&note),
            "{note} in …{}",
            &body[body.len() - 400..]
        );
        assert!(body.contains("[the job summary](https://github.com/o/r/actions/runs/1)"));
        // Every <details> opened is closed.
        assert_eq!(
            body.matches("<details>").count(),
            body.matches("</details>").count()
        );
        // A tiny limit still leaves a valid body.
        let tiny = render(&pr, &classify(&pr, None), CONTEXT, 2000);
        assert!(tiny.len() <= 2000, "{}", tiny.len());
        let shown = tiny.matches("\n- ").count();
        assert!(
            tiny.contains(&format!("**{} findings not shown**", 3000 - shown)),
            "{tiny}"
        );
    }
}
