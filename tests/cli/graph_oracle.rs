//! `tykdeps graph` against `go list -m all` and `--edges` against
//! `go mod graph`, byte for byte, and `--json` against `go list -m -json all`
//! field for field, in go's field order (module-cache paths aside), on every
//! offline scenario in `corpus/scenarios/` with the `file://` proxy
//! `corpus/proxy/`.
//!
//! Each command runs on its own fresh copy of the scenario: with `-mod=mod`
//! the go command rewrites go.mod (raising the go line, regrouping
//! requirements), and the next command must not see that.
#![expect(
    clippy::print_stdout,
    reason = "oracle tests report what they compared"
)]

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use serde_json::Value;

use crate::support;

struct Run {
    stdout: Vec<u8>,
    ok: bool,
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

/// How a command runs: `-mod=mod`, or go's default `-mod=readonly` with a
/// go.sum holding exactly the go.mod hashes a `-mod=mod` run records.
#[derive(Clone, Copy, PartialEq, Eq)]
enum ModFlag {
    Mod,
    Readonly,
}

/// Run `program args` in a fresh copy of `scenario`.
fn run_in_copy(
    scenario: &Path,
    modcache: &Path,
    flag: ModFlag,
    program: &str,
    args: &[&str],
) -> Run {
    let tmp = tempfile::tempdir().expect("a temp dir");
    support::copy_dir(scenario, tmp.path());
    let mut env = env(scenario, tmp.path(), modcache);
    let dir = if scenario.join("go.work").is_file() {
        tmp.path().join("one")
    } else {
        tmp.path().to_path_buf()
    };
    if flag == ModFlag::Readonly {
        // go writes go.sum (and rewrites go.mod) under -mod=mod: keep the
        // go.sum, put the scenario's go.mod back.
        support::go(&dir, &env, ["list", "-m", "all"]);
        std::fs::copy(scenario.join("go.mod"), dir.join("go.mod")).expect("restore go.mod");
        env.insert("GOFLAGS".to_owned(), String::new());
    }
    let output = if program == "go" {
        support::go(&dir, &env, args)
    } else {
        Command::new(env!("CARGO_BIN_EXE_tykdeps"))
            .args(args)
            .current_dir(&dir)
            .envs(&env)
            .output()
            .expect("tykdeps runs")
    };
    // Each run has its own copy: name it the same way on both sides.
    let copy = tmp.path().display().to_string();
    let stdout = String::from_utf8_lossy(&output.stdout).replace(&copy, "$WORK");
    Run {
        stdout: stdout.into_bytes(),
        ok: output.status.success(),
    }
}

fn same(go: &Run, ours: &Run, json: bool) -> bool {
    if go.ok != ours.ok {
        return false;
    }
    if !go.ok {
        return true;
    }
    if !json {
        return go.stdout == ours.stdout;
    }
    let (theirs, mine) = (objects(&go.stdout), objects(&ours.stdout));
    theirs.len() == mine.len()
        && theirs.into_iter().zip(mine).all(|(mut t, m)| {
            known_fields_only(&mut t, &m);
            // Serialized, so the field order counts too.
            serde_json::to_vec(&t).ok() == serde_json::to_vec(&m).ok()
        })
}

fn objects(bytes: &[u8]) -> Vec<Value> {
    serde_json::Deserializer::from_slice(bytes)
        .into_iter::<Value>()
        .collect::<Result<_, _>>()
        .expect("a stream of JSON objects")
}

/// go reports module-cache locations (`GoMod`, `Dir`) of downloaded
/// modules; tykdeps reports them only for main modules and directory
/// replacements, so the cache paths are dropped where tykdeps has none.
fn known_fields_only(theirs: &mut Value, mine: &Value) {
    for key in ["GoMod", "Dir"] {
        if mine.get(key).is_none() {
            theirs.as_object_mut().expect("an object").shift_remove(key);
        }
    }
    if let (Some(t), Some(m)) = (theirs.get_mut("Replace"), mine.get("Replace")) {
        known_fields_only(t, m);
    }
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
    let (mut compared, mut both_fail) = (0, 0);
    for toml in &scenarios {
        let dir = toml
            .parent()
            .expect("scenario.toml is in a scenario directory");
        let name = dir
            .file_name()
            .expect("named")
            .to_string_lossy()
            .into_owned();
        let workspace = dir.join("go.work").is_file();
        let config: toml::Table =
            toml::from_str(&std::fs::read_to_string(toml).expect("read scenario.toml"))
                .expect("scenario.toml parses");
        let compare_json = config
            .get("compare_json")
            .and_then(toml::Value::as_bool)
            .unwrap_or(true);
        let pairs = [
            (ModFlag::Mod, &["list", "-m", "all"][..], &["graph"][..]),
            (
                ModFlag::Mod,
                &["list", "-m", "-json", "all"][..],
                &["graph", "--json"][..],
            ),
            (
                ModFlag::Mod,
                &["mod", "graph"][..],
                &["graph", "--edges"][..],
            ),
            (
                ModFlag::Readonly,
                &["list", "-m", "all"][..],
                &["graph"][..],
            ),
        ];
        for (flag, go_args, our_args) in pairs {
            if workspace && flag == ModFlag::Readonly {
                continue; // workspaces always run without -mod
            }
            if !compare_json && go_args.contains(&"-json") {
                continue; // the scenario says why
            }
            let go = run_in_copy(dir, modcache.path(), flag, "go", go_args);
            let ours = run_in_copy(dir, modcache.path(), flag, "tykdeps", our_args);
            compared += 1;
            both_fail += usize::from(!go.ok && !ours.ok);
            if !same(&go, &ours, go_args.contains(&"-json")) {
                failures.push(format!(
                    "{name}: `go {}`{} (ok={}) vs `tykdeps {}` (ok={})\n--- go\n{}--- tykdeps\n{}",
                    go_args.join(" "),
                    if flag == ModFlag::Readonly {
                        " with -mod=readonly"
                    } else {
                        ""
                    },
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
        "graph oracle: {identical}/{} scenarios identical ({compared} comparisons, {both_fail} of them failing on both sides)",
        scenarios.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(scenarios.len() >= 14, "the scenarios are missing");
}
