//! `tykdeps explain RULE` and where reports link rules: the page compiled
//! into the binary, `--docs-url` and tykdeps.toml's `docs_url`, and the
//! `tykdeps explain` pointer when neither is set.

use std::process::{Command, Output};

use serde_json::Value;

use crate::audit_source::Example;
use crate::support;

fn tykdeps(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tykdeps"))
        .args(args)
        .output()
        .expect("tykdeps runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn explain_prints_the_rules_book_page() {
    for id in ["version-conflict", "glibc-too-new", "unused-ignore"] {
        let out = tykdeps(&["explain", id]);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        let page =
            std::fs::read_to_string(support::repo_root().join(format!("book/src/rules/{id}.md")))
                .unwrap();
        assert_eq!(text(&out.stdout).trim_end(), page.trim_end());
    }
}

#[test]
fn explain_of_an_unknown_rule_exits_2_naming_close_ids() {
    let out = tykdeps(&["explain", "version-conflit"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("unknown rule `version-conflit`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("did you mean: version-conflict"),
        "{stderr}"
    );
    assert!(out.stdout.is_empty());
    let out = tykdeps(&["explain", "qqqqqqqqqqqqqqqqqqqqqqqqqqqqqq"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("the rules are:"), "{stderr}");
    assert!(stderr.contains("deprecated"), "{stderr}");
}

#[test]
fn without_a_docs_url_reports_name_explain_and_print_no_url() {
    let example = Example::new();
    let human = text(&example.tykdeps(&["audit"]).stdout);
    assert!(
        human.contains("version-conflict (tykdeps explain version-conflict)"),
        "{human}"
    );
    let markdown = text(&example.tykdeps(&["audit", "--format", "markdown"]).stdout);
    assert!(markdown.contains("| `version-conflict` |"), "{markdown}");
    for format in ["json", "sarif", "markdown", "human"] {
        let out = text(&example.tykdeps(&["audit", "--format", format]).stdout);
        // (SARIF's `$schema` is the log's own URL, not a link to a rule.)
        let links = out.matches("://").count() - out.matches("json.schemastore.org").count();
        assert_eq!(links, 0, "{format} prints no URL: {out}");
        assert!(
            !out.contains("helpUri") && !out.contains("help_url"),
            "{out}"
        );
    }
}

#[test]
fn docs_url_from_the_flag_or_the_config_links_every_format() {
    let example = Example::new();
    let page = "https://docs.example.org/tykdeps/rules/version-conflict.html";
    let flag = ["--docs-url", "https://docs.example.org/tykdeps/"];
    let human = text(&example.tykdeps(&[&["audit"][..], &flag].concat()).stdout);
    assert!(
        human.contains(&format!("version-conflict ({page})")),
        "{human}"
    );
    let markdown = text(
        &example
            .tykdeps(&[&["audit", "--format", "markdown"][..], &flag].concat())
            .stdout,
    );
    assert!(
        markdown.contains(&format!("[`version-conflict`]({page})")),
        "{markdown}"
    );
    // The config's docs_url, found as ./tykdeps.toml.
    std::fs::write(
        example.plugin.join("tykdeps.toml"),
        "docs_url = \"https://docs.example.org/tykdeps\"\n",
    )
    .unwrap();
    let sarif: Value =
        serde_json::from_slice(&example.tykdeps(&["audit", "--format", "sarif"]).stdout).unwrap();
    let driver = &sarif["runs"][0]["tool"]["driver"];
    let conflict = driver["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "version-conflict")
        .unwrap();
    assert_eq!(conflict["helpUri"], page);
    let json: Value =
        serde_json::from_slice(&example.tykdeps(&["audit", "--format", "json"]).stdout).unwrap();
    let finding = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "version-conflict")
        .unwrap();
    assert_eq!(finding["help_url"], page);
    // The flag wins over the config.
    let other = text(
        &example
            .tykdeps(&[
                "audit",
                "--format",
                "markdown",
                "--docs-url",
                "http://localhost:3000",
            ])
            .stdout,
    );
    assert!(
        other.contains("(http://localhost:3000/rules/version-conflict.html)"),
        "{other}"
    );
    // fix takes the flag too (--dry-run prints the diff, then the report).
    let fix = text(
        &example
            .tykdeps(&[&["fix", "--dry-run", "--format", "markdown"][..], &flag].concat())
            .stdout,
    );
    assert!(fix.contains(page), "{fix}");
}

#[test]
fn a_bad_docs_url_exits_2_at_its_line_or_flag() {
    let example = Example::new();
    std::fs::write(
        example.plugin.join("tykdeps.toml"),
        "\ndocs_url = \"docs.example.org\"\n",
    )
    .unwrap();
    let out = example.tykdeps(&["audit"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("tykdeps.toml:2:"), "{stderr}");
    assert!(stderr.contains("is not an http(s) URL"), "{stderr}");
    let out = example.tykdeps(&["audit", "--config", "/dev/null", "--docs-url", "ftp://x"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("is not an http(s) URL"));
}
