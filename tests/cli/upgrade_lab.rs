//! `tykdeps upgrade --to` and `fix --to` against the truth of the load lab:
//! every scenario is moved from the host's gateway (v1.0.0) to the later
//! release in the lab's proxy (v1.1.0, which raises alpha), then built for
//! real (standalone, and in a workspace with v1.1.0's source) and opened
//! in a host built from v1.1.0 as releases are. Where `fix --to` says the
//! plugin loads it must load; where it says it cannot, it must say why and
//! the real build or load must fail. `upgrade --to` must prove the same
//! verdict and write nothing.

// Lab tests report what they compared.
#![allow(clippy::print_stdout)]

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Output;

use crate::support;
use crate::support::lab::{self, Lab, Mode};

#[test]
fn fix_to_the_next_gateway_loads_or_says_why() {
    if !support::have_go() {
        println!("skipped: the go command is not on PATH");
        return;
    }
    let lab = Lab::new();
    let host = lab.release_host(lab::NEXT_GATEWAY);
    let scenarios = lab::scenarios();
    let (mut loads, mut cannot, mut workspace_loads) = (0, 0, 0);
    let mut wrong = Vec::new();
    for scenario in &scenarios {
        let source = lab::lab_dir().join("scenarios").join(scenario);
        let name = format!("upgrade-{scenario}");
        let (dir, env) =
            lab.copy_for_tools_against(&source, &name, Mode::Standalone, lab::NEXT_GATEWAY);
        let files = contents(&dir);
        let plan = tykdeps(&dir, &env, &["upgrade", "--format", "json"]);
        let plan_json: serde_json::Value = serde_json::from_slice(&plan.stdout).unwrap_or_default();
        let proven = plan_json["verdict"].as_str().unwrap_or("(none)").to_owned();
        if contents(&dir) != files {
            wrong.push(format!("{scenario}: upgrade --to wrote files"));
        }
        let dry_run = tykdeps(&dir, &env, &["fix", "--dry-run"]);
        if contents(&dir) != files || verdict(&dry_run).as_deref() != Some(proven.as_str()) {
            wrong.push(format!(
                "{scenario}: fix --to --dry-run wrote files or ends {:?}, not {proven}",
                verdict(&dry_run)
            ));
        }
        let fix = tykdeps(&dir, &env, &["fix"]);
        let fixed = verdict(&fix);
        if fixed.as_deref() != Some(proven.as_str()) || fix.status.code() != plan.status.code() {
            wrong.push(format!(
                "{scenario}: upgrade proves {proven} (exit {:?}), fix --to ends {fixed:?} (exit {:?})\n{}{}",
                plan.status.code(),
                fix.status.code(),
                String::from_utf8_lossy(&fix.stdout),
                String::from_utf8_lossy(&plan.stderr)
            ));
            continue;
        }
        let standalone = built_and_loaded(&lab, &host, &dir, scenario, Mode::Standalone);
        let workspace = built_and_loaded(&lab, &host, &dir, scenario, Mode::Workspace);
        if workspace.starts_with("loads:") {
            workspace_loads += 1;
        }
        let reasons: usize = plan_json["upgrade"]["plugins"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|p| {
                p["conflicts"].as_array().map_or(0, Vec::len)
                    + p["by_hand"].as_array().map_or(0, Vec::len)
            })
            .sum();
        let go_mod = std::fs::read_to_string(dir.join("go.mod")).unwrap_or_default();
        match proven.as_str() {
            "loads" if standalone.starts_with("loads:") && workspace.starts_with("loads:") => {
                loads += 1;
            }
            "fails" | "unknown" if !standalone.starts_with("loads:") && reasons > 0 => {
                cannot += 1;
                println!("{scenario}: cannot ({proven}), standalone {standalone:?}, workspace {workspace:?}");
            }
            _ => wrong.push(format!(
                "{scenario}: fix --to says {proven} ({reasons} reasons), standalone {standalone}, workspace {workspace}\n{go_mod}{}",
                String::from_utf8_lossy(&fix.stdout)
            )),
        }
    }
    let total = scenarios.len();
    println!(
        "upgrade to {}: {loads} load after fix --to, {cannot} cannot (each named); agreement with plugin.Open {}/{total}; upgrade --to and fix --to --dry-run prove fix's verdict and write nothing; {workspace_loads}/{total} load built in a v1.1.0 workspace",
        lab::NEXT_GATEWAY,
        total - wrong.len()
    );
    assert!(wrong.is_empty(), "{}", wrong.join("\n\n"));
    assert!(loads > 0 && cannot > 0, "the lab shows both cases");
    let broken = tempfile::tempdir().expect("a temporary directory");
    std::fs::write(
        broken.path().join("go.mod"),
        "module p\n\nrequire lab.example/alpha\n",
    )
    .expect("go.mod is writable");
    let bad = tykdeps(broken.path(), lab.go_env(), &["upgrade"]);
    let said = String::from_utf8_lossy(&bad.stderr);
    assert!(
        bad.status.code() == Some(2) && said.contains("go.mod"),
        "a broken go.mod is bad input, named: {:?}\n{said}",
        bad.status.code()
    );
}

/// Build the plugin module in `dir` as `mode` does, with v1.1.0's source
/// beside it, and open it in `host`: what it printed, or the build error.
fn built_and_loaded(lab: &Lab, host: &Path, dir: &Path, scenario: &str, mode: Mode) -> String {
    let name = format!("upgraded-{scenario}");
    match lab.build_plugin_against(dir, &name, mode, &[], lab::NEXT_GATEWAY) {
        Ok(so) => lab.load_in(host, &so),
        Err(e) => format!("build failed: {e}"),
    }
}

/// Every file under `dir`, for checking that nothing was written.
fn contents(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    for entry in std::fs::read_dir(dir)
        .expect("the plugin directory is readable")
        .flatten()
    {
        if entry.path().is_file() {
            files.insert(
                entry.file_name().to_string_lossy().into_owned(),
                std::fs::read(entry.path()).expect("a plugin file is readable"),
            );
        }
    }
    files
}

/// The verdict the human report ends with.
fn verdict(out: &Output) -> Option<String> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .rev()
        .find_map(|l| l.strip_prefix("verdict: "))
        .map(|v| v.split(' ').next().unwrap_or("").to_lowercase())
}

/// `tykdeps COMMAND --to v1.1.0` in `dir` for the lab's gateway module.
fn tykdeps(dir: &Path, env: &BTreeMap<String, String>, args: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_tykdeps"))
        .args(args)
        .args([
            "--gateway-module",
            "lab.example/gateway",
            "--to",
            lab::NEXT_GATEWAY,
        ])
        .current_dir(dir)
        .envs(env)
        .output()
        .expect("tykdeps runs")
}
