//! `tykdeps audit` on every real plugin go.mod of the shared corpus, against
//! the gateway release that go.mod requires, through the real module proxy.
//!
//! There is no `plugin.Open` to compare with here (the corpus holds go.mod
//! files, not sources), so the go command is the judge of what can be
//! decided: where it resolves both build lists (the plugin's, and the
//! gateway's from the go.mod the proxy serves for the required version),
//! tykdeps must reach a verdict, `loads` or `fails`, never `unknown`.
//! Everywhere, tykdeps must end with a documented exit code, never a panic
//! or a signal, and an exit 2 or 3 must say why on stderr. One module cache
//! serves the whole test, so each module zip is fetched once. Set
//! `TYKDEPS_SKIP_NETWORK=1` to skip this test.
#![expect(
    clippy::print_stdout,
    reason = "oracle tests report what they compared"
)]

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use serde_json::Value;

use crate::support;

const GATEWAY: &str = "github.com/TykTechnologies/tyk";

#[test]
fn real_corpus_audit_reaches_a_verdict_where_go_resolves_both_sides() {
    let Some((corpus, _bin_dir, bin)) = crate::graph_real::real_proxy_setup() else {
        return;
    };
    let modcache = tempfile::tempdir().expect("a temp module cache");
    let mut env = support::hermetic_go_env("https://proxy.golang.org", modcache.path());
    env.insert("GOFLAGS".to_owned(), "-mod=mod".to_owned());

    let plugins = support::find_files(&corpus.join("plugins"), "go.mod");
    let (mut resolved, mut failures) = (0, Vec::new());
    println!(
        "plugin | gateway | go resolves both | exit | verdict | errors/warnings/notes | cause"
    );
    for go_mod in &plugins {
        let dir = go_mod.parent().expect("a directory");
        let row = audit_one(&bin, dir, &env);
        let name = dir.file_name().expect("a name").to_string_lossy();
        println!(
            "{name} | {} | {} | {} | {} | {} | {}",
            row.gateway, row.go_resolves, row.exit, row.verdict, row.counts, row.cause
        );
        resolved += usize::from(row.go_resolves);
        failures.extend(row.problems.into_iter().map(|p| format!("{name}: {p}")));
    }
    println!(
        "audit real corpus: {} plugins, go resolves both sides of {resolved}, {} problems",
        plugins.len(),
        failures.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// One line of the verdict table, and what was wrong with it.
struct Row {
    gateway: String,
    go_resolves: bool,
    exit: String,
    verdict: String,
    counts: String,
    /// The start of tykdeps' complaint, for an exit 2 or 3.
    cause: String,
    problems: Vec<String>,
}

fn audit_one(bin: &Path, dir: &Path, env: &BTreeMap<String, String>) -> Row {
    let tmp = tempfile::tempdir().expect("a temp dir");
    let restore = || {
        for name in ["go.mod", "go.sum"] {
            if dir.join(name).is_file() {
                std::fs::copy(dir.join(name), tmp.path().join(name)).expect("copy");
            }
        }
    };
    restore();
    let gateway = required_gateway(tmp.path(), env);
    let go_resolves = go_resolves_plugin(tmp.path(), env)
        && gateway
            .as_deref()
            .is_some_and(|v| go_resolves_gateway(v, env));
    // -mod=mod may have rewritten go.mod and go.sum: audit what the author wrote.
    restore();
    let out = Command::new(bin)
        .args(["audit", "--format", "json"])
        .current_dir(tmp.path())
        .envs(env)
        .output()
        .expect("tykdeps runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let mut row = Row {
        gateway: gateway.unwrap_or_else(|| "-".to_owned()),
        go_resolves,
        exit: out
            .status
            .code()
            .map_or_else(|| "signal".to_owned(), |c| c.to_string()),
        verdict: "-".to_owned(),
        counts: "-".to_owned(),
        cause: "-".to_owned(),
        problems: Vec::new(),
    };
    let code = out.status.code();
    if !matches!(code, Some(0..=3)) {
        row.problems
            .push(format!("exit {} (not 0-3)\n{stderr}", row.exit));
    }
    if matches!(code, Some(2 | 3)) && !names_a_cause(&stderr) {
        row.problems.push(format!(
            "exit {} without a cause on stderr: {stderr:?}",
            row.exit
        ));
    }
    if matches!(code, Some(2 | 3)) {
        row.cause = one_line(&stderr);
    }
    if !out.stdout.is_empty() {
        match serde_json::from_slice::<Value>(&out.stdout) {
            Ok(json) => read_report(&json, &mut row),
            Err(e) => row.problems.push(format!("stdout is not JSON: {e}")),
        }
    }
    if go_resolves && !matches!(row.verdict.as_str(), "loads" | "fails") {
        row.problems.push(format!(
            "go resolves both sides, tykdeps says {} (exit {})\n{stderr}",
            row.verdict, row.exit
        ));
    }
    row
}

/// The gateway version the plugin's go.mod requires, as the go command reads
/// it; where the file asks for a query (`latest`), the version go selects.
fn required_gateway(dir: &Path, env: &BTreeMap<String, String>) -> Option<String> {
    let json = support::go_mod_edit_json(dir, &[]).ok()?;
    let required = json["Require"]
        .as_array()?
        .iter()
        .find(|r| r["Path"] == GATEWAY)?["Version"]
        .as_str()?
        .to_owned();
    if required.starts_with('v') {
        return Some(required);
    }
    let out = support::go(dir, env, ["list", "-m", "-f", "{{.Version}}", GATEWAY]);
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

fn go_resolves_plugin(dir: &Path, env: &BTreeMap<String, String>) -> bool {
    support::go(dir, env, ["list", "-m", "all"])
        .status
        .success()
}

/// Whether the go command resolves the build list of the gateway release
/// `version`, taken alone: its go.mod as the main module.
fn go_resolves_gateway(version: &str, env: &BTreeMap<String, String>) -> bool {
    let tmp = tempfile::tempdir().expect("a temp dir");
    let query = format!("{GATEWAY}@{version}");
    let out = support::go(tmp.path(), env, ["mod", "download", "-json", &query]);
    let Ok(info) = serde_json::from_slice::<Value>(&out.stdout) else {
        return false;
    };
    let Some(go_mod) = info["GoMod"].as_str().filter(|_| out.status.success()) else {
        return false;
    };
    std::fs::copy(go_mod, tmp.path().join("go.mod")).expect("copy the gateway's go.mod");
    support::go(tmp.path(), env, ["list", "-m", "all"])
        .status
        .success()
}

/// An exit 2 or 3 must say which file or module it could not use.
fn names_a_cause(stderr: &str) -> bool {
    stderr.contains("go.mod") || stderr.contains("go.sum") || stderr.contains('@')
}

/// miette's box drawing and line wrapping undone, cut to fit a table cell.
fn one_line(stderr: &str) -> String {
    let words: Vec<&str> = stderr
        .split_whitespace()
        .filter(|w| !matches!(*w, "×" | "│" | "╭─" | "╰─"))
        .collect();
    words.join(" ").chars().take(160).collect()
}

/// Check the JSON contract's fields and fill in the verdict and counts.
fn read_report(json: &Value, row: &mut Row) {
    for field in [
        "verdict", "mode", "gateway", "plugins", "findings", "summary",
    ] {
        if json.get(field).is_none() {
            row.problems.push(format!("JSON lacks `{field}`"));
        }
    }
    for field in ["module", "version", "dir"] {
        if json["gateway"].get(field).is_none() {
            row.problems.push(format!("JSON lacks `gateway.{field}`"));
        }
    }
    let summary = &json["summary"];
    let count = |k: &str| {
        summary[k]
            .as_u64()
            .map_or("?".to_owned(), |n| n.to_string())
    };
    row.counts = format!(
        "{}/{}/{}",
        count("errors"),
        count("warnings"),
        count("notes")
    );
    json["verdict"]
        .as_str()
        .unwrap_or("?")
        .clone_into(&mut row.verdict);
    let plugins = json["plugins"].as_array().map_or(&[][..], Vec::as_slice);
    for plugin in plugins {
        for field in ["module", "dir", "verdict", "findings"] {
            if plugin.get(field).is_none() {
                row.problems.push(format!("JSON plugin lacks `{field}`"));
            }
        }
    }
}
