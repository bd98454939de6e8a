//! `tykdeps comment`: fingerprints in real reports of the shipped example
//! (stable when go.mod lines move), findings classified new, fixed and
//! unchanged against a base report, the comment body, `--fail-on`, and
//! damaged reports refused naming file and field.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

use crate::audit_source::Example;

fn tykdeps(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tykdeps"))
        .args(args)
        .env_remove("GITHUB_TOKEN")
        .env_remove("GITHUB_RUN_ID")
        .output()
        .expect("tykdeps runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The example's JSON report.
pub(crate) fn audit(example: &Example) -> Value {
    let out = example.tykdeps(&["audit", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("JSON report")
}

fn findings(report: &Value) -> &Vec<Value> {
    report["findings"].as_array().expect("findings")
}

pub(crate) fn write(dir: &Path, name: &str, report: &Value) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, serde_json::to_string_pretty(report).unwrap()).unwrap();
    path
}

/// The require block's lines, in reverse order, with blank lines added.
fn reorder(go_mod: &str) -> String {
    let start = go_mod.find("require (\n").expect("a require block") + "require (\n".len();
    let end = start + go_mod[start..].find(")\n").unwrap();
    let mut lines: Vec<&str> = go_mod[start..end]
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect();
    lines.reverse();
    format!(
        "\n\n{}\n{}\n{})\n",
        &go_mod[..start],
        lines.join("\n\n"),
        &go_mod[end + 2..]
    )
}

#[test]
fn moving_go_mod_lines_changes_no_fingerprint() {
    let example = Example::new();
    let before = audit(&example);
    let go_mod = example.go_mod();
    std::fs::write(example.plugin.join("go.mod"), reorder(&go_mod)).unwrap();
    let after = audit(&example);
    let key = |f: &Value| {
        (
            f["rule"].as_str().unwrap().to_owned(),
            f["module"].as_str().unwrap_or_default().to_owned(),
            f["fingerprint"].as_str().expect("a fingerprint").to_owned(),
        )
    };
    let mut a: Vec<_> = findings(&before).iter().map(key).collect();
    let mut b: Vec<_> = findings(&after).iter().map(key).collect();
    a.sort();
    b.sort();
    assert_eq!(a.len(), 8);
    assert_eq!(a, b);
    for f in findings(&before) {
        assert_eq!(f["fingerprint"].as_str().unwrap().len(), 64, "{f}");
    }
    // The lines did move.
    let line = |r: &Value| {
        findings(r)
            .iter()
            .find(|f| f["rule"] == "version-conflict")
            .unwrap()["location"]["line"]
            .clone()
    };
    assert_ne!(line(&before), line(&after));
    // Each plugin finding carries the same fingerprint as in the flat list.
    let plugin = before["plugins"][0]["findings"].as_array().unwrap();
    for f in plugin {
        assert!(findings(&before).iter().any(|g| g == f), "{f}");
    }
    // SARIF carries them as partialFingerprints.
    let sarif: Value =
        serde_json::from_slice(&example.tykdeps(&["audit", "--format", "sarif"]).stdout).unwrap();
    let mut partial: Vec<String> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r["partialFingerprints"]["tykdeps/v1"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    partial.sort();
    let mut fps: Vec<String> = b.into_iter().map(|k| k.2).collect();
    fps.sort();
    assert_eq!(partial, fps);
    // The comment against the moved report: nothing new, nothing fixed.
    let dir = tempfile::tempdir().unwrap();
    let base = write(dir.path(), "base.json", &before);
    let pr = write(dir.path(), "pr.json", &after);
    let out = tykdeps(&[
        "comment",
        &pr.display().to_string(),
        "--baseline",
        &base.display().to_string(),
        "--dry-run",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let body = text(&out.stdout);
    assert!(
        body.contains("| **All** | **0** | **0** | **8** |"),
        "{body}"
    );
}

/// A base report with three of the example's findings, and a pull
/// request's that fixes one of them and adds one.
pub(crate) fn base_and_pr(
    new_is_error: bool,
) -> (Value, Value, tempfile::TempDir, PathBuf, PathBuf) {
    let example = Example::new();
    let report = audit(&example);
    let (errors, others): (Vec<Value>, Vec<Value>) = findings(&report)
        .iter()
        .cloned()
        .partition(|f| f["severity"] == "error");
    assert!(errors.len() >= 2 && others.len() >= 3, "{report}");
    let mut base = report.clone();
    let mut pr = report;
    base["findings"] = Value::Array(vec![
        others[0].clone(),
        others[1].clone(),
        errors[0].clone(),
    ]);
    let added = if new_is_error { &errors[1] } else { &others[2] };
    pr["findings"] = Value::Array(vec![others[1].clone(), errors[0].clone(), added.clone()]);
    let dir = tempfile::tempdir().unwrap();
    let base_path = write(dir.path(), "base.json", &base);
    let pr_path = write(dir.path(), "pr.json", &pr);
    (base, pr, dir, base_path, pr_path)
}

pub(crate) fn comment(pr: &Path, base: &Path, fail_on: &str) -> Output {
    tykdeps(&[
        "comment",
        &pr.display().to_string(),
        "--baseline",
        &base.display().to_string(),
        "--dry-run",
        "--fail-on",
        fail_on,
    ])
}

#[test]
fn one_fixed_and_one_added_is_one_new_one_fixed_two_unchanged() {
    let (base, pr, _dir, base_path, pr_path) = base_and_pr(true);
    let out = comment(&pr_path, &base_path, "new");
    assert_eq!(
        out.status.code(),
        Some(1),
        "a new error: {}",
        text(&out.stderr)
    );
    let body = text(&out.stdout);
    assert!(
        body.starts_with("<!-- tykdeps-comment -->\n### tykdeps: ❌ fails\n"),
        "{body}"
    );
    assert!(
        body.contains("| **All** | **1** | **1** | **2** |"),
        "{body}"
    );
    assert!(
        body.contains("**1 new error** · 1 fixed · 2 unchanged"),
        "{body}"
    );
    assert!(body.contains("| Errors | 1 | 0 | 1 |"), "{body}");
    // The summary comes before the findings; errors show their commands.
    assert!(body.find("| New |").unwrap() < body.find("#### Errors").unwrap());
    let added = &pr["findings"][2];
    let fixed = &base["findings"][0];
    let errors = &body[body.find("#### Errors").unwrap()..];
    let new_line = errors
        .lines()
        .find(|l| l.starts_with("- **new**"))
        .expect("the new error");
    assert!(
        new_line.contains(added["rule"].as_str().unwrap()),
        "{new_line}"
    );
    if let Some(command) = added["suggestions"][0]["go_command"].as_str() {
        assert!(errors.contains(&format!("  {command}\n")), "{errors}");
    }
    let fixed_section = &body[body.find("Fixed since the base (1)").expect("fixed listed")..];
    assert!(
        fixed_section.contains(fixed["message"].as_str().unwrap()),
        "{fixed_section}"
    );
    assert_eq!(
        body.matches("<details>").count(),
        body.matches("</details>").count()
    );
    assert!(body.chars().count() <= 65_536);
    // --fail-on: none never fails, any fails on the unchanged error too.
    assert_eq!(comment(&pr_path, &base_path, "none").status.code(), Some(0));
    assert_eq!(comment(&pr_path, &base_path, "any").status.code(), Some(1));
}

#[test]
fn an_added_warning_is_not_a_new_error() {
    let (_base, _pr, _dir, base_path, pr_path) = base_and_pr(false);
    let out = comment(&pr_path, &base_path, "new");
    let body = text(&out.stdout);
    assert!(
        body.contains("| **All** | **1** | **1** | **2** |"),
        "{body}"
    );
    assert!(body.contains("No new error"), "{body}");
    assert_eq!(out.status.code(), Some(0), "{body}");
    assert_eq!(comment(&pr_path, &base_path, "any").status.code(), Some(1));
}

#[test]
fn damaged_or_foreign_reports_exit_2_naming_file_and_field() {
    let (_base, mut pr, dir, base_path, _pr_path) = base_and_pr(true);
    pr["findings"][1]["severity"] = "fatal".into();
    let damaged = write(dir.path(), "damaged.json", &pr);
    let out = comment(&damaged, &base_path, "none");
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("damaged.json"), "{stderr}");
    assert!(stderr.contains("findings[1].severity"), "{stderr}");
    assert!(out.stdout.is_empty());
    // A SARIF log is not a report; nor is text.
    let sarif = write(
        dir.path(),
        "log.sarif",
        &serde_json::json!({"version": "2.1.0", "runs": []}),
    );
    let out = comment(&base_path, &sarif, "none");
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("log.sarif") && stderr.contains("`verdict`"),
        "{stderr}"
    );
    let garbage = dir.path().join("garbage.json");
    std::fs::write(&garbage, "not json").unwrap();
    let out = comment(&garbage, &base_path, "none");
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("garbage.json"));
    let out = comment(&dir.path().join("missing.json"), &base_path, "none");
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("missing.json"));
}

#[test]
fn several_reports_make_one_comment() {
    let (base, pr, dir, _base_path, _pr_path) = base_and_pr(true);
    // The pull request's findings over two reports (one per plugin
    // directory, as the action writes them), the base's over two others.
    let split = |report: &Value, at: usize, verdicts: [&str; 2], names: [&str; 2]| {
        let all = findings(report);
        [
            (&all[..at], verdicts[0], names[0]),
            (&all[at..], verdicts[1], names[1]),
        ]
        .map(|(part, verdict, name)| {
            let mut one = report.clone();
            one["findings"] = Value::Array(part.to_vec());
            one["verdict"] = verdict.into();
            write(dir.path(), name, &one).display().to_string()
        })
    };
    let [pr_a, pr_b] = split(&pr, 2, ["unknown", "fails"], ["pr-a.json", "pr-b.json"]);
    let [base_a, base_b] = split(&base, 1, ["loads", "loads"], ["base-a.json", "base-b.json"]);
    let out = tykdeps(&[
        "comment",
        &pr_a,
        &pr_b,
        "--baseline",
        &base_a,
        "--baseline",
        &base_b,
        "--dry-run",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let body = text(&out.stdout);
    assert!(body.contains("### tykdeps: ❌ fails"), "{body}");
    assert!(
        body.contains("| **All** | **1** | **1** | **2** |"),
        "{body}"
    );
    assert!(
        body.contains(
            "Compared with the base reports `base-a.json`, `base-b.json` by fingerprint."
        ),
        "{body}"
    );
    // The worst verdict wins: unknown over loads.
    let out = tykdeps(&["comment", &base_a, &pr_a, "--dry-run", "--fail-on", "none"]);
    assert!(text(&out.stdout).contains("### tykdeps: ❔ unknown"));
}
