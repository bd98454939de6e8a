//! The pull-request comment as GitHub shows it: bodies of real reports
//! (the example plugin's, with and without a base report, and a Tyk-sized
//! audit of gateway v5.14.0 with 616 findings) rendered by comrak, a
//! GitHub-flavoured Markdown renderer. Tables keep their columns, every
//! `<details>` is HTML GitHub keeps and is closed, and the Tyk-sized body
//! stays under GitHub's 65,536 characters, saying what it cut and where the
//! rest is.

#![allow(clippy::print_stdout, reason = "the body sizes are measurements")]

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::audit_source::Example;
use crate::comment::{audit, base_and_pr, comment, write};
use crate::support;

/// GitHub's limit on a comment body, in characters.
const LIMIT: usize = 65_536;

/// The body as GitHub's Markdown renders it: GFM's extensions, raw HTML
/// kept (GitHub keeps `<details>` and `<summary>`).
fn gfm(markdown: &str) -> String {
    let mut options = comrak::Options::default();
    options.extension.table = true;
    options.extension.strikethrough = true;
    options.extension.autolink = true;
    options.render.r#unsafe = true;
    comrak::markdown_to_html(markdown, &options)
}

/// A table row's cells as GFM splits them: at every `|` not escaped with a
/// backslash (inside code spans too), less the outer pipes.
fn cells(row: &str) -> usize {
    let row = row.trim();
    let mut count = 1;
    let mut escaped = false;
    for c in row.trim_start_matches('|').chars() {
        match c {
            '\\' => escaped = !escaped,
            '|' if !escaped => count += 1,
            _ => escaped = false,
        }
    }
    if row.len() > 1 && row.ends_with('|') && !row.ends_with("\\|") {
        count -= 1;
    }
    count
}

/// Each source table's rows: the header, then the body rows.
fn source_tables(markdown: &str) -> Vec<Vec<&str>> {
    let lines: Vec<&str> = markdown.lines().collect();
    let mut tables = Vec::new();
    let mut i = 1;
    while i < lines.len() {
        let delimiter = lines[i].trim();
        if delimiter.starts_with("| ---") || delimiter.starts_with("|---") {
            let mut rows = vec![lines[i - 1]];
            i += 1;
            while i < lines.len() && lines[i].trim_start().starts_with('|') {
                rows.push(lines[i]);
                i += 1;
            }
            tables.push(rows);
        }
        i += 1;
    }
    tables
}

/// The cells of each rendered table's rows, the header row first.
fn rendered_tables(html: &str) -> Vec<Vec<usize>> {
    html.split("<table>")
        .skip(1)
        .map(|table| {
            let table = table.split("</table>").next().unwrap();
            table
                .split("<tr>")
                .skip(1)
                .map(|row| {
                    let row = row.split("</tr>").next().unwrap();
                    row.matches("<th>").count()
                        + row.matches("<th ").count()
                        + row.matches("<td>").count()
                        + row.matches("<td ").count()
                })
                .collect()
        })
        .collect()
}

/// What GitHub shows of `body` is whole: each table's source rows have the
/// header's cell count (GFM pads or drops cells silently, so this is where
/// a stray `|` shows) and render as as many rows; `<details>` blocks are
/// HTML, balanced, each with a summary. Returns the rendered HTML.
fn assert_renders_whole(body: &str) -> String {
    let html = gfm(body);
    let sources = source_tables(body);
    let rendered = rendered_tables(&html);
    assert_eq!(sources.len(), rendered.len(), "tables in {body}");
    for (source, rows) in sources.iter().zip(&rendered) {
        let columns = cells(source[0]);
        for row in source {
            assert_eq!(
                cells(row),
                columns,
                "a row breaks the table's columns: {row}"
            );
        }
        assert_eq!(rows.len(), source.len(), "rows of {source:?}");
        assert!(rows.iter().all(|&n| n == columns), "{rows:?} != {columns}");
    }
    assert!(
        !html.contains("&lt;details") && !html.contains("&lt;/details"),
        "a <details> tag was shown as text (an unclosed code block?):\n{html}"
    );
    let opened = html.matches("<details>").count();
    assert_eq!(opened, html.matches("</details>").count(), "{html}");
    assert_eq!(opened, html.matches("<details><summary>").count(), "{html}");
    html
}

#[test]
fn the_checks_catch_a_broken_table_and_an_unclosed_block() {
    let table = "| a | b |\n| --- | --- |\n| 1 | 2 |\n";
    assert_renders_whole(table);
    let broken = "| a | b |\n| --- | --- |\n| 1 | `x|y` |\n";
    let caught = std::panic::catch_unwind(|| assert_renders_whole(broken));
    assert!(caught.is_err(), "a pipe in a code span splits the cell");
    assert_eq!(cells(r"| 1 | `x\|y` |"), 2);
    // A code block left open swallows the closing tag as text.
    let unclosed = "<details><summary>s</summary>\n\n```sh\ngo\n\n</details>\n";
    assert!(std::panic::catch_unwind(|| assert_renders_whole(unclosed)).is_err());
}

fn tykdeps(args: &[&str], env: &[(&str, &str)]) -> (Option<i32>, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_tykdeps"))
        .args(args)
        .env_remove("GITHUB_TOKEN")
        .env_remove("GITHUB_RUN_ID")
        .envs(env.iter().copied())
        .output()
        .expect("tykdeps runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.code().is_some_and(|c| c <= 1), "{stderr}");
    (
        out.status.code(),
        String::from_utf8(out.stdout).expect("UTF-8"),
    )
}

#[test]
fn the_example_comment_and_job_summary_render_whole() {
    // Without a base report, and the audit's Markdown (the job summary).
    let example = Example::new();
    let report = audit(&example);
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "pr.json", &report);
    let (_, body) = tykdeps(&["comment", &path.display().to_string(), "--dry-run"], &[]);
    let html = assert_renders_whole(&body);
    assert!(html.contains("<h3>tykdeps: ❌ fails</h3>"), "{html}");
    assert!(html.contains("<td><strong>All</strong></td>"), "{html}");
    assert!(body.contains("No base report was given"), "{body}");
    let summary = example.tykdeps(&["audit", "--format", "markdown"]);
    let summary = String::from_utf8(summary.stdout).unwrap();
    let html = assert_renders_whole(&summary);
    assert_eq!(
        rendered_tables(&html)[0].len(),
        1 + 8,
        "one row per finding"
    );
    // With a base report: one new, one fixed, two unchanged.
    let (_base, _pr, _dir, base, pr) = base_and_pr(true);
    let out = comment(&pr, &base, "none");
    let body = String::from_utf8(out.stdout).unwrap();
    let html = assert_renders_whole(&body);
    assert!(
        html.contains("<summary>Fixed since the base (1)</summary>"),
        "{html}"
    );
    assert!(html.contains("Compared with the base report <code>base.json</code>"));
}

/// The Tyk-sized report (corpus/reports/README.md says how it was made),
/// unpacked into `dir`.
fn tyk_report(dir: &Path) -> (Value, PathBuf) {
    let zip = support::own_corpus().join("reports/tyk-v5.14.0-report.json.zip");
    let mut archive = zip::ZipArchive::new(std::fs::File::open(&zip).expect("the fixture"))
        .expect("a zip archive");
    let mut text = String::new();
    archive
        .by_name("tyk-v5.14.0-report.json")
        .expect("the report in the archive")
        .read_to_string(&mut text)
        .unwrap();
    let report: Value = serde_json::from_str(&text).expect("JSON");
    let path = dir.join("tyk-v5.14.0.json");
    std::fs::write(&path, text).unwrap();
    (report, path)
}

const RUN: &[(&str, &str)] = &[
    ("GITHUB_SERVER_URL", "https://github.com"),
    ("GITHUB_REPOSITORY", "example/plugins"),
    ("GITHUB_RUN_ID", "7"),
];

/// The findings a body lists, and the count its cut note gives.
fn shown_and_cut(body: &str) -> (usize, usize) {
    let shown = body.lines().filter(|l| l.starts_with("- ")).count();
    let cut = body
        .split("✂️ **")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .map_or(0, |n| n.parse().expect("a count"));
    (shown, cut)
}

#[test]
fn a_tyk_sized_comment_stays_under_the_limit_and_says_what_it_cut() {
    let dir = tempfile::tempdir().unwrap();
    let (report, path) = tyk_report(dir.path());
    let findings = report["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 616, "the fixture's findings");
    let (status, body) = tykdeps(&["comment", &path.display().to_string(), "--dry-run"], RUN);
    assert_eq!(status, Some(1), "its error is new");
    let chars = body.chars().count();
    println!(
        "Tyk-sized comment, no base: {chars} characters ({} bytes)",
        body.len()
    );
    assert!(chars <= LIMIT, "{chars}");
    let (shown, cut) = shown_and_cut(&body);
    println!("  {shown} findings shown, {cut} cut");
    assert!(shown >= 100 && cut >= 100, "{shown} shown, {cut} cut");
    assert_eq!(shown + cut, 616);
    assert!(
        body.contains(&format!("**{cut} findings not shown**")),
        "{}",
        &body[body.len() - 500..]
    );
    assert!(
        body.contains("[the job summary](https://github.com/example/plugins/actions/runs/7)"),
        "{}",
        &body[body.len() - 500..]
    );
    let html = assert_renders_whole(&body);
    assert!(
        html.contains("<h4>Errors (1)</h4>"),
        "the error is shown in full"
    );
    assert!(
        html.contains("<summary>Notes (615, 615 new)</summary>"),
        "{html}"
    );
    // Cut within the notes: the last item shown is followed by the note.
    assert!(body.trim_end().ends_with("and the JSON report."), "{body}");

    // Against a base without the error and the first 100 notes, and with 30
    // findings the pull request no longer has.
    let mut base = report.clone();
    base["findings"] = Value::Array(
        findings
            .iter()
            .filter(|f| f["severity"] != "error")
            .skip(100)
            .cloned()
            .collect(),
    );
    let mut pr = report.clone();
    pr["findings"] = Value::Array(findings[..findings.len() - 30].to_vec());
    let base_path = write(dir.path(), "base.json", &base);
    let pr_path = write(dir.path(), "pr.json", &pr);
    let (status, body) = tykdeps(
        &[
            "comment",
            &pr_path.display().to_string(),
            "--baseline",
            &base_path.display().to_string(),
            "--dry-run",
        ],
        RUN,
    );
    assert_eq!(status, Some(1));
    let chars = body.chars().count();
    let (shown, cut) = shown_and_cut(&body);
    println!("Tyk-sized comment against a base: {chars} characters, {shown} shown, {cut} cut");
    assert!(chars <= LIMIT, "{chars}");
    assert!(
        body.contains("| **All** | **101** | **30** | **485** |"),
        "{body}"
    );
    assert_eq!(shown + cut, 586 + 30, "every finding listed or counted");
    assert!(body.contains(&format!("**{cut} findings not shown**")));
    let html = assert_renders_whole(&body);
    // New findings are listed before unchanged ones.
    let notes = &body[body.find("<summary>Notes").unwrap()..];
    let first = notes.lines().find(|l| l.starts_with("- ")).unwrap();
    assert!(first.starts_with("- **new**"), "{first}");
    assert!(
        html.contains("<summary>Notes (585, 100 new)</summary>"),
        "{html}"
    );
}
