//! `tykdeps graph` against `go list -m all` and `tykdeps graph --edges`
//! against `go mod graph`, byte for byte, on every offline scenario in
//! `corpus/scenarios/` with the `file://` proxy `corpus/proxy/`.
//!
//! Each command runs on its own fresh copy of the scenario: with `-mod=mod`
//! the go command rewrites go.mod (raising the go line, regrouping
//! requirements), and the next command must not see that.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Output};

use crate::support;

struct Run {
    stdout: Vec<u8>,
    ok: bool,
}

impl From<Output> for Run {
    fn from(o: Output) -> Self {
        Self {
            stdout: o.stdout,
            ok: o.status.success(),
        }
    }
}

/// The environment for one scenario: hermetic, plus its GOWORK (workspace
/// mode forbids `-mod=mod`, and go.work scenarios run in workspace mode).
fn env(scenario: &Path, copy: &Path, modcache: &Path) -> BTreeMap<String, String> {
    let proxy = format!("file://{}", support::own_corpus().join("proxy").display());
    let mut env = support::hermetic_go_env(&proxy, modcache);
    if scenario.join("go.work").is_file() {
        env.insert(
            "GOWORK".to_owned(),
            copy.join("go.work").display().to_string(),
        );
        env.insert("GOFLAGS".to_owned(), String::new());
    }
    env
}

/// Run `program args` in a fresh copy of `scenario`.
fn run_in_copy(scenario: &Path, modcache: &Path, program: &str, args: &[&str]) -> Run {
    let tmp = tempfile::tempdir().expect("a temp dir");
    support::copy_dir(scenario, tmp.path());
    let env = env(scenario, tmp.path(), modcache);
    let dir = if scenario.join("go.work").is_file() {
        tmp.path().join("one")
    } else {
        tmp.path().to_path_buf()
    };
    if program == "go" {
        support::go(&dir, &env, args).into()
    } else {
        Command::new(env!("CARGO_BIN_EXE_tykdeps"))
            .args(args)
            .current_dir(&dir)
            .envs(&env)
            .output()
            .expect("tykdeps runs")
            .into()
    }
}

fn same(go: &Run, ours: &Run) -> bool {
    go.ok == ours.ok && (!go.ok || go.stdout == ours.stdout)
}

#[test]
fn graph_equals_go_list_and_go_mod_graph() {
    if !support::have_go() {
        println!("skipped: no go command");
        return;
    }
    let modcache = tempfile::tempdir().expect("a temp module cache");
    let mut scenarios: Vec<_> =
        support::find_files(&support::own_corpus().join("scenarios"), "scenario.toml");
    scenarios.sort();
    let mut failures = Vec::new();
    for toml in &scenarios {
        let dir = toml
            .parent()
            .expect("scenario.toml is in a scenario directory");
        let name = dir
            .file_name()
            .expect("named")
            .to_string_lossy()
            .into_owned();
        let pairs = [
            (&["list", "-m", "all"][..], &["graph"][..]),
            (&["mod", "graph"][..], &["graph", "--edges"][..]),
        ];
        for (go_args, our_args) in pairs {
            let go = run_in_copy(dir, modcache.path(), "go", go_args);
            let ours = run_in_copy(dir, modcache.path(), "tykdeps", our_args);
            if !same(&go, &ours) {
                failures.push(format!(
                    "{name}: `go {}` (ok={}) vs `tykdeps {}` (ok={})\n--- go\n{}--- tykdeps\n{}",
                    go_args.join(" "),
                    go.ok,
                    our_args.join(" "),
                    ours.ok,
                    String::from_utf8_lossy(&go.stdout),
                    String::from_utf8_lossy(&ours.stdout)
                ));
            }
        }
    }
    let identical = scenarios.len()
        - failures
            .iter()
            .map(|f| f.split(':').next().unwrap_or(""))
            .collect::<std::collections::BTreeSet<_>>()
            .len();
    println!(
        "graph oracle: {identical}/{} scenarios identical",
        scenarios.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(scenarios.len() >= 14, "the scenarios are missing");
}
