//! The gateway matrix end to end: `tykdeps audit --gateway A --gateway B …`
//! gives, in every cell, exactly the report the single-gateway audit of
//! that pair gives (the whole JSON report, only the cell's `label` added),
//! its overall verdict and exit status are the cells' combined, and one
//! build is impossible exactly where two gateways need a module at
//! different versions. Checked over every load-lab scenario against the two
//! published lab gateways and a snapshot, and for the example plugin against
//! the 17 real gateway releases of the shared corpus.
#![expect(
    clippy::print_stdout,
    reason = "the test prints how many cells matched"
)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::support;
use crate::support::lab::{self, Lab, Mode};

/// `tykdeps ARGS` in `dir`: its exit code and its stdout as JSON.
fn audit(dir: &Path, env: &BTreeMap<String, String>, args: &[String]) -> (Option<i32>, Value) {
    let out = Command::new(env!("CARGO_BIN_EXE_tykdeps"))
        .arg("audit")
        .args(["--format", "json"])
        .args(args)
        .current_dir(dir)
        .envs(env)
        .output()
        .expect("tykdeps runs");
    let json = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "tykdeps audit {args:?} in {}: stdout is not JSON ({e})\n{}",
            dir.display(),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.code(), json)
}

/// The exit status a verdict maps to.
fn exit_of(verdict: &Value) -> Option<i32> {
    match verdict.as_str() {
        Some("loads") => Some(0),
        Some("fails") => Some(1),
        Some("unknown") => Some(3),
        _ => None,
    }
}

/// Audit `dir` against all `gateways` (flag, value) at once and against
/// each alone; the differences, and the matrix's JSON.
fn compare(
    dir: &Path,
    env: &BTreeMap<String, String>,
    common: &[String],
    gateways: &[[String; 2]],
) -> (Vec<String>, Value) {
    let mut args = common.to_vec();
    args.extend(gateways.iter().flatten().cloned());
    let (code, matrix) = audit(dir, env, &args);
    let mut wrong = Vec::new();
    let cells = matrix["matrix"].as_array().cloned().unwrap_or_default();
    if cells.len() != gateways.len() {
        wrong.push(format!(
            "{} cells for {} gateways",
            cells.len(),
            gateways.len()
        ));
    }
    for (cell, gateway) in cells.iter().zip(gateways) {
        let mut single_args = common.to_vec();
        single_args.extend(gateway.iter().cloned());
        let (_, single) = audit(dir, env, &single_args);
        let mut cell = cell.clone();
        let label = cell
            .as_object_mut()
            .and_then(|c| c.remove("label"))
            .unwrap_or_default();
        if label != gateway[1].as_str() {
            wrong.push(format!("cell labelled {label}, gateway {}", gateway[1]));
        }
        if cell != single {
            wrong.push(format!(
                "{}: the cell differs from the single audit\ncell:   {}\nsingle: {}\nthe cell in full: {}",
                gateway[1],
                summary(&cell),
                summary(&single),
                serde_json::to_string(&cell).unwrap_or_default()
            ));
        }
    }
    let verdicts: Vec<&str> = cells.iter().filter_map(|c| c["verdict"].as_str()).collect();
    let combined = if verdicts.contains(&"fails") {
        "fails"
    } else if verdicts.contains(&"unknown") {
        "unknown"
    } else {
        "loads"
    };
    if matrix["verdict"] != combined || code != exit_of(&matrix["verdict"]) {
        wrong.push(format!(
            "matrix verdict {} (exit {code:?}), cells {verdicts:?}",
            matrix["verdict"]
        ));
    }
    (wrong, matrix)
}

/// The verdict and the findings' rules and modules, to show a difference.
fn summary(report: &Value) -> String {
    let findings: Vec<String> = report["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| format!("{}:{}", f["rule"], f["module"]))
        .collect();
    format!("{} {}", report["verdict"], findings.join(" "))
}

/// `one_build` must say impossible exactly when it names a conflict, and
/// each conflict must be two versions of one module.
fn one_build_consistent(matrix: &Value) -> Result<(), String> {
    let build = &matrix["one_build"];
    let conflicts = build["conflicts"].as_array().cloned().unwrap_or_default();
    if build["possible"].as_bool() != Some(conflicts.is_empty()) {
        return Err(format!(
            "one_build says possible and names conflicts: {build}"
        ));
    }
    for conflict in &conflicts {
        let versions: std::collections::BTreeSet<&str> = conflict["needs"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|n| n["version"].as_str())
            .collect();
        if versions.len() < 2 {
            return Err(format!("a conflict of one version: {conflict}"));
        }
    }
    Ok(())
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

#[test]
fn lab_matrix_cells_equal_single_audits() {
    if !support::have_go() {
        println!("skipped: the go command is not on PATH");
        return;
    }
    let lab = Lab::tools_only();
    let work = tempfile::tempdir().expect("a temporary directory");
    let snapshot = work.path().join("checkout.snapshot.json");
    let checkout = lab::lab_dir().join("modules").join(lab::GATEWAY);
    let made = Command::new(env!("CARGO_BIN_EXE_tykdeps"))
        .args([
            "snapshot",
            "--gateway-module",
            "lab.example/gateway",
            "--gateway",
        ])
        .arg(&checkout)
        .arg("-o")
        .arg(&snapshot)
        .envs(lab.go_env())
        .output()
        .expect("tykdeps runs");
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let gateways = [
        strings(&["--gateway", "lab.example/gateway@v1.0.0"]),
        strings(&["--gateway", "lab.example/gateway@v1.1.0"]),
        vec![
            "--gateway-snapshot".to_owned(),
            snapshot.display().to_string(),
        ],
    ]
    .map(|g| [g[0].clone(), g[1].clone()]);
    let common = strings(&["--gateway-module", "lab.example/gateway"]);
    let (mut cells, mut impossible, mut wrong) = (0, 0, Vec::new());
    for scenario in lab::scenarios() {
        let source = lab::lab_dir().join("scenarios").join(&scenario);
        let (dir, env) =
            lab.copy_for_tools(&source, &format!("matrix-{scenario}"), Mode::Standalone);
        let (differences, matrix) = compare(&dir, &env, &common, &gateways);
        cells += gateways.len() - differences.len().min(gateways.len());
        wrong.extend(differences.into_iter().map(|d| format!("{scenario}: {d}")));
        if let Err(e) = one_build_consistent(&matrix) {
            wrong.push(format!("{scenario}: {e}"));
        }
        impossible += usize::from(matrix["one_build"]["possible"] == false);
        // v1.1.0 raised lab.example/alpha from v1.2.0 to v1.3.0: a plugin
        // sharing it at v1.2.0 cannot be one build for both releases.
        if scenario == "same-version" {
            let alpha = matrix["one_build"]["conflicts"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|c| c["module"] == "lab.example/alpha");
            let needs: Vec<(String, String)> = alpha
                .and_then(|c| c["needs"].as_array())
                .into_iter()
                .flatten()
                .map(|n| (n["gateway"].to_string(), n["version"].to_string()))
                .collect();
            if needs.len() < 2
                || !needs.contains(&(
                    "\"lab.example/gateway@v1.0.0\"".to_owned(),
                    "\"v1.2.0\"".to_owned(),
                ))
                || !needs.contains(&(
                    "\"lab.example/gateway@v1.1.0\"".to_owned(),
                    "\"v1.3.0\"".to_owned(),
                ))
            {
                wrong.push(format!(
                    "same-version: no alpha conflict between the releases: {}",
                    matrix["one_build"]
                ));
            }
        }
    }
    println!(
        "lab matrix: {cells} cells equal their single audit ({} scenarios x {} gateways), one build impossible for {impossible}",
        lab::scenarios().len(),
        gateways.len()
    );
    assert!(wrong.is_empty(), "{}", wrong.join("\n\n"));
}

/// The gateway releases of the shared corpus, each as the matrix takes it:
/// a snapshot made through the real module proxy where the proxy serves
/// every go.mod of its graph, else the directory of its go.mod (whose
/// audit then cannot fetch them either: `unknown`, in both), in the order
/// the matrix takes them.
fn corpus_gateways(corpus: &Path, out: &Path, env: &BTreeMap<String, String>) -> Vec<[String; 2]> {
    let mut releases: Vec<PathBuf> = support::sorted_entries(&corpus.join("gateway"))
        .into_iter()
        .filter(|p| p.join("go.mod").is_file())
        .collect();
    releases.sort();
    let mut gateways: Vec<[String; 2]> = releases
        .iter()
        .map(|dir| {
            let name = dir.file_name().expect("a name").to_string_lossy();
            let file = out.join(format!("{name}.json"));
            let made = Command::new(env!("CARGO_BIN_EXE_tykdeps"))
                .args(["snapshot", "--gateway"])
                .arg(dir)
                .arg("-o")
                .arg(&file)
                .envs(env)
                .output()
                .expect("tykdeps runs");
            if made.status.success() {
                ["--gateway-snapshot".to_owned(), file.display().to_string()]
            } else {
                ["--gateway".to_owned(), dir.display().to_string()]
            }
        })
        .collect();
    // The matrix takes every --gateway before the snapshots.
    gateways.sort_by_key(|g| g[0] != "--gateway");
    gateways
}

#[test]
fn example_plugin_matrix_over_the_corpus_releases() {
    let Some((corpus, _bin_dir, _bin)) = crate::graph_real::real_proxy_setup() else {
        return;
    };
    let work = tempfile::tempdir().expect("a temporary directory");
    let modcache = work.path().join("modcache");
    let real = support::hermetic_go_env("https://proxy.golang.org", &modcache);
    let gateways = corpus_gateways(&corpus, work.path(), &real);
    let snapshots = gateways
        .iter()
        .filter(|g| g[0] == "--gateway-snapshot")
        .count();
    let example = support::own_corpus().join("examples/audit");
    let plugin = work.path().join("plugin");
    support::copy_dir(&example.join("plugin"), &plugin);
    // The example modules from their file proxy, the gateways' from the
    // real one (what the snapshots do not hold).
    let proxy = format!(
        "file://{},https://proxy.golang.org",
        example.join("proxy").display()
    );
    let env = support::hermetic_go_env(&proxy, &modcache);
    let (wrong, matrix) = compare(&plugin, &env, &[], &gateways);
    let verdicts: Vec<String> = matrix["matrix"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| {
            let label = c["label"].as_str().unwrap_or_default();
            let name = label.rsplit('/').next().unwrap_or(label);
            format!("{}={}", name.trim_end_matches(".json"), c["verdict"])
        })
        .collect();
    println!(
        "corpus matrix: {} gateways ({snapshots} as snapshots through the real proxy, the rest as go.mod directories), {} cells differ from the single audit; {}",
        gateways.len(),
        wrong.len(),
        verdicts.join(" ")
    );
    assert_eq!(gateways.len(), 17, "the corpus holds 17 gateway releases");
    assert!(
        one_build_consistent(&matrix).is_ok(),
        "{}",
        matrix["one_build"]
    );
    assert!(wrong.is_empty(), "{}", wrong.join("\n\n"));
    one_thread_gives_the_same_matrix(&plugin, &env, &gateways);
    // Lab plugins too: their modules from the lab's proxy.
    let lab = Lab::tools_only();
    let mut wrong = Vec::new();
    for scenario in LAB_PLUGINS {
        let source = lab::lab_dir().join("scenarios").join(scenario);
        let (dir, mut env) =
            lab.copy_for_tools(&source, &format!("corpus-{scenario}"), Mode::Standalone);
        let proxy = format!("{},https://proxy.golang.org", env["GOPROXY"]);
        env.insert("GOPROXY".to_owned(), proxy);
        env.insert("GOMODCACHE".to_owned(), modcache.display().to_string());
        let (differences, matrix) = compare(&dir, &env, &[], &gateways);
        wrong.extend(differences.into_iter().map(|d| format!("{scenario}: {d}")));
        if let Err(e) = one_build_consistent(&matrix) {
            wrong.push(format!("{scenario}: {e}"));
        }
    }
    println!(
        "corpus matrix, lab plugins {LAB_PLUGINS:?}: {} cells differ from the single audit",
        wrong.len()
    );
    assert!(wrong.is_empty(), "{}", wrong.join("\n\n"));
}

/// The matrix's cells run on every core; held to one (`taskset`), the
/// matrix must print exactly the same.
fn one_thread_gives_the_same_matrix(
    dir: &Path,
    env: &BTreeMap<String, String>,
    gateways: &[[String; 2]],
) {
    let run = |pinned: bool| {
        let mut command = if pinned {
            let mut c = Command::new("taskset");
            c.args(["-c", "0", env!("CARGO_BIN_EXE_tykdeps")]);
            c
        } else {
            Command::new(env!("CARGO_BIN_EXE_tykdeps"))
        };
        command
            .args(["audit", "--format", "json", "--refresh"])
            .args(gateways.iter().flatten())
            .current_dir(dir)
            .envs(env)
            .output()
    };
    let Ok(one) = run(true) else {
        println!("skipped the one-thread matrix: taskset cannot be run here");
        return;
    };
    let all = run(false).expect("tykdeps runs");
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    println!(
        "corpus matrix on one core and on {threads}: {}",
        if one.stdout == all.stdout {
            "same output"
        } else {
            "outputs differ"
        }
    );
    assert_eq!(one.status.code(), all.status.code());
    assert_eq!(
        String::from_utf8_lossy(&one.stdout),
        String::from_utf8_lossy(&all.stdout),
        "{}",
        String::from_utf8_lossy(&one.stderr)
    );
}

/// Lab plugins audited against the corpus releases: one sharing a module
/// with the lab gateway, one importing its packages, one sharing nothing.
const LAB_PLUGINS: [&str; 3] = ["same-version", "gateway-package", "no-overlap"];
