//! `tykdeps.toml` and `tykdeps init` end to end: a wrong policy stops the audit
//! with the line named, a right one changes severities, verdict and exit code,
//! and every output format tells the same verdict. The audited files are the
//! binary lab's (built with the real go command).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

use crate::binary_lab::lab;
use crate::support;

fn tykdeps(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tykdeps"))
        .current_dir(dir)
        .args(args)
        .output()
        .expect("tykdeps runs")
}

/// `audit` of the lab's host and `plugin`, with `config` as tykdeps.toml in a
/// scratch directory (found there by default, without --config).
fn audit_with(config: &str, plugin: &str, format: &str) -> (Output, tempfile::TempDir) {
    let lab = lab().expect("the lab is built (callers check have_go)");
    let dir = tempfile::tempdir().expect("scratch dir");
    std::fs::write(dir.path().join("tykdeps.toml"), config).expect("config written");
    let host = lab.path("host");
    let so = lab.path(plugin);
    let out = tykdeps(
        dir.path(),
        &[
            "audit",
            "--gateway-bin",
            &host.display().to_string(),
            "--plugin-so",
            &so.display().to_string(),
            "--format",
            format,
        ],
    );
    (out, dir)
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("audit JSON: {e}: {}", String::from_utf8_lossy(&out.stderr)))
}

fn rules(report: &Value) -> Vec<(String, String)> {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_owned(),
                f["severity"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn rule_levels_change_severity_verdict_and_exit_code() {
    if !support::have_go() {
        return;
    }
    let (out, _dir) = audit_with("", "skew.so", "json");
    assert_eq!(out.status.code(), Some(1), "the version skew fails");
    let warned = "[rules]\nmodule-version-skew = \"warn\"\npackage-hash-mismatch = \"warn\"\n";
    let (out, _dir) = audit_with(warned, "skew.so", "json");
    let report = json(&out);
    assert_eq!(out.status.code(), Some(0), "{report}");
    assert_eq!(report["verdict"], "loads");
    assert!(rules(&report).iter().all(|(_, s)| s != "error"), "{report}");
    assert!(
        report["plugins"][0]["loader_message"]
            .as_str()
            .is_some_and(|m| m.contains("different version of package")),
        "the prediction stays visible: {report}"
    );

    let (out, _dir) = audit_with("[rules]\nglibc-requirement = \"deny\"\n", "a.so", "json");
    let report = json(&out);
    assert_eq!(out.status.code(), Some(1), "{report}");
    assert!(rules(&report).contains(&("glibc-requirement".to_owned(), "error".to_owned())));
}

#[test]
fn ignores_drop_findings_and_unused_ones_are_reported() {
    if !support::have_go() {
        return;
    }
    let accepted = "[[ignore]]\nrule = \"module-version-skew\"\nmodule = \"example.com/dep\"\nreason = \"we ship both together\"\n\n[rules]\npackage-hash-mismatch = \"allow\"\n";
    let (out, _dir) = audit_with(accepted, "skew.so", "json");
    let report = json(&out);
    assert_eq!(out.status.code(), Some(0), "{report}");
    assert!(
        rules(&report)
            .iter()
            .all(|(r, _)| r != "module-version-skew" && r != "package-hash-mismatch"),
        "{report}"
    );
    assert!(
        report["summary"]["suppressed"].as_u64() >= Some(2),
        "{report}"
    );

    let unused = "# policy\n[[ignore]]\nrule = \"deprecated\"\nmodule = \"example.com/gone\"\nreason = \"old\"\n";
    let (out, _dir) = audit_with(unused, "a.so", "json");
    let report = json(&out);
    assert_eq!(
        out.status.code(),
        Some(0),
        "a warning does not fail: {report}"
    );
    let finding = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "unused-ignore")
        .expect("an unused-ignore finding");
    assert_eq!(finding["severity"], "warning");
    assert_eq!(finding["location"]["file"], "tykdeps.toml");
    assert_eq!(finding["location"]["line"], 2);

    let (out, _dir) = audit_with(
        &format!("{unused}[rules]\nunused-ignore = \"deny\"\n"),
        "a.so",
        "human",
    );
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("unused-ignore"), "{text}");
    assert!(
        text.contains("tykdeps.toml:2:1"),
        "the ignore is underlined: {text}"
    );
}

#[test]
fn every_format_tells_the_same_verdict() {
    if !support::have_go() {
        return;
    }
    for (plugin, code) in [("a.so", 0), ("skew.so", 1)] {
        for format in ["human", "json", "sarif", "markdown"] {
            let (out, _dir) = audit_with("", plugin, format);
            assert_eq!(out.status.code(), Some(code), "{plugin} {format}");
            let text = String::from_utf8_lossy(&out.stdout);
            let verdict = if code == 0 { "loads" } else { "fails" };
            assert!(text.contains(verdict), "{plugin} {format}: {text}");
        }
        let (out, _dir) = audit_with("", plugin, "sarif");
        let sarif: Value = serde_json::from_slice(&out.stdout).expect("SARIF is JSON");
        assert_eq!(sarif["version"], "2.1.0");
        let results = sarif["runs"][0]["results"].as_array().unwrap();
        assert!(results.iter().all(|r| r["locations"].is_array()), "{sarif}");
    }
}

#[test]
fn a_wrong_policy_stops_the_audit_naming_the_line() {
    let dir = tempfile::tempdir().expect("scratch dir");
    let cases = [
        (
            "[rules]\nversion-conflicts = \"deny\"\n",
            2,
            "unknown rule `version-conflicts`",
        ),
        (
            "[gateway]\nmodule = \"github.com/TykTechnologies/tyk\"\nversoin = \"v5.14.0\"\n",
            3,
            "unknown field `versoin`",
        ),
        ("[[ignore]]\nrule = \"deprecated\"\n", 1, "needs a `reason`"),
    ];
    for (text, line, message) in cases {
        let config = dir.path().join("policy.toml");
        std::fs::write(&config, text).unwrap();
        // No such binaries: the policy is checked before anything else is read.
        let out = tykdeps(
            dir.path(),
            &[
                "audit",
                "--config",
                "policy.toml",
                "--gateway-bin",
                "no-host",
                "--plugin-so",
                "no.so",
            ],
        );
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(out.stdout.is_empty());
        assert!(stderr.contains("tykdeps::config"), "{stderr}");
        assert!(stderr.contains(message), "{stderr}");
        assert!(stderr.contains(&format!("policy.toml:{line}:")), "{stderr}");
        assert_eq!(std::fs::read_to_string(&config).unwrap(), text, "unchanged");
    }
    let out = tykdeps(
        dir.path(),
        &[
            "audit",
            "--config",
            "missing.toml",
            "--gateway-bin",
            "h",
            "--plugin-so",
            "p",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read missing.toml"));
}

#[test]
fn init_writes_the_template_once() {
    let dir = tempfile::tempdir().expect("scratch dir");
    let template: PathBuf = support::own_corpus().join("config/template.toml");
    let out = tykdeps(dir.path(), &["init"]);
    assert_eq!(out.status.code(), Some(0));
    let written = dir.path().join("tykdeps.toml");
    assert_eq!(
        std::fs::read_to_string(&written).unwrap(),
        std::fs::read_to_string(&template).unwrap()
    );
    std::fs::write(&written, "# ours\n").unwrap();
    let out = tykdeps(dir.path(), &["init", "."]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("already exists"));
    assert_eq!(std::fs::read_to_string(&written).unwrap(), "# ours\n");
    let out = tykdeps(dir.path(), &["init", "no/such/dir"]);
    assert_eq!(out.status.code(), Some(2));
}
