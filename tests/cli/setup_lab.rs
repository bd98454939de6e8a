//! `tykdeps setup` end to end on the load lab: for several scenarios, set
//! up the workspace against the lab's gateway (through its `file://`
//! proxy), run the plugin build command it prints, and open the plugin in
//! the release-built gateway: it must load exactly where setup's audit said
//! `loads`. A second setup must change no file.

// Lab tests report what they compared.
#![allow(clippy::print_stdout)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::support;
use crate::support::lab::{self, Lab};

fn setup(root: &Path, env: &BTreeMap<String, String>, extra: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tykdeps"))
        .args([
            "setup",
            "--gateway",
            lab::GATEWAY,
            "--gateway-module",
            "lab.example/gateway",
        ])
        .args(extra)
        .arg("plugin")
        .current_dir(root)
        .envs(env)
        .output()
        .expect("tykdeps runs")
}

/// Every file under `dir` but build outputs, with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    for entry in std::fs::read_dir(dir)
        .expect("a readable directory")
        .flatten()
    {
        let path = entry.path();
        if path.is_dir() {
            files.extend(snapshot(&path));
        } else if !path.ends_with("plugin.so") && !path.ends_with("tyk-gateway") {
            files.insert(path.clone(), std::fs::read(&path).expect("a readable file"));
        }
    }
    files
}

/// The printed command that builds `what` (`-buildmode=plugin` or `-tags=goplugin`).
fn printed(stdout: &str, what: &str) -> String {
    stdout
        .lines()
        .map(str::trim)
        .find(|l| l.starts_with("cd ") && l.contains(what))
        .unwrap_or_else(|| panic!("no command with {what} in:\n{stdout}"))
        .to_owned()
}

fn sh(root: &Path, env: &BTreeMap<String, String>, line: &str) -> Output {
    Command::new("sh")
        .args(["-c", line])
        .current_dir(root)
        .envs(env)
        .output()
        .expect("sh runs")
}

#[test]
fn setup_then_the_printed_build_loads_where_the_audit_says() {
    if !support::have_go() {
        println!("skipped: the go command is not on PATH");
        return;
    }
    let lab = Lab::new();
    let mut env = lab.go_env().clone();
    // The workspace setup writes is the one the go command must find.
    env.remove("GOWORK");
    env.insert("GOFLAGS".to_owned(), "-buildvcs=false".to_owned());
    let work = tempfile::tempdir().expect("a temporary directory");
    let (mut agree, mut wrong, mut unchanged) = (0, Vec::new(), 0);
    let scenarios = [
        "same-version",
        "minor-upgrade",
        "patch-upgrade",
        "no-overlap",
        "lower-requirement",
        "transitive-upgrade",
    ];
    for (i, scenario) in scenarios.iter().enumerate() {
        let root = work.path().join(scenario);
        copy_dir(
            &lab::lab_dir().join("scenarios").join(scenario),
            &root.join("plugin"),
        );
        let first = setup(&root, &env, &[]);
        let stdout = String::from_utf8_lossy(&first.stdout).into_owned();
        let said = match first.status.code() {
            Some(0) => "loads",
            Some(1) => "fails",
            _ => panic!(
                "{scenario}: setup failed:\n{stdout}\n{}",
                String::from_utf8_lossy(&first.stderr)
            ),
        };
        let build = sh(&root, &env, &printed(&stdout, "-buildmode=plugin"));
        assert!(
            build.status.success(),
            "{scenario}: the printed plugin build failed:\n{}",
            String::from_utf8_lossy(&build.stderr)
        );
        let so = root.join("plugin/plugin.so");
        let loaded = lab.load(&so);
        if i == 0 {
            // The printed gateway build is a release build: it loads what the lab's host loads.
            // The lab's module zips carry no go.sum (a release's does), so
            // the go command records the sums as the lab's host build does.
            let mut release_env = env.clone();
            release_env.insert("GOFLAGS".to_owned(), "-mod=mod -buildvcs=false".to_owned());
            let gateway = sh(&root, &release_env, &printed(&stdout, "-tags=goplugin"));
            assert!(
                gateway.status.success(),
                "the printed gateway build failed:\n{}",
                String::from_utf8_lossy(&gateway.stderr)
            );
            assert_eq!(lab.load_in(&root.join("tyk-gateway"), &so), loaded);
        }
        let loads = loaded.starts_with("loads:");
        println!("{scenario}: setup's audit {said}, plugin.Open {loaded:?}");
        if loads == (said == "loads") {
            agree += 1;
        } else {
            wrong.push(format!(
                "{scenario}: audit {said}, plugin.Open {loaded}\n{stdout}"
            ));
        }
        let before = snapshot(&root);
        let second = setup(&root, &env, &[]);
        assert_eq!(
            second.status.code(),
            first.status.code(),
            "{scenario}: the second run's verdict"
        );
        let after = snapshot(&root);
        let in_place = String::from_utf8_lossy(&second.stdout).contains("everything is in place");
        if before == after && in_place {
            unchanged += 1;
        } else {
            let changed: Vec<_> = after
                .iter()
                .filter(|(p, bytes)| before.get(*p) != Some(*bytes))
                .map(|(p, _)| p.display().to_string())
                .collect();
            wrong.push(format!(
                "{scenario}: the second setup changed {changed:?} (planned nothing: {in_place})"
            ));
        }
    }
    println!(
        "setup end to end: {agree}/{} plugins load in the release-built gateway exactly where setup's audit said loads; {unchanged}/{} second runs found everything in place and changed no file",
        scenarios.len(),
        scenarios.len()
    );
    assert!(wrong.is_empty(), "{}", wrong.join("\n\n"));
}

/// Without a plugin, setup starts one (a module path with a dot, a
/// middleware symbol), and the printed commands build one that loads.
#[test]
fn a_new_plugin_builds_and_loads() {
    if !support::have_go() {
        println!("skipped: the go command is not on PATH");
        return;
    }
    let lab = Lab::new();
    let mut env = lab.go_env().clone();
    env.remove("GOWORK");
    env.insert("GOFLAGS".to_owned(), "-buildvcs=false".to_owned());
    let root = tempfile::tempdir().expect("a temporary directory");
    let first = setup(root.path(), &env, &[]);
    let stdout = String::from_utf8_lossy(&first.stdout).into_owned();
    assert_eq!(
        first.status.code(),
        Some(0),
        "{stdout}\n{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let go_mod = std::fs::read_to_string(root.path().join("plugin/go.mod")).expect("go.mod");
    assert!(
        go_mod.starts_with("module example.com/plugin\n"),
        "{go_mod}"
    );
    let build = sh(root.path(), &env, &printed(&stdout, "-buildmode=plugin"));
    assert!(
        build.status.success(),
        "{}",
        String::from_utf8_lossy(&build.stderr)
    );
    let loaded = lab.load(&root.path().join("plugin/plugin.so"));
    println!("a new plugin: plugin.Open {loaded:?}");
    // plugin.Open succeeded: the lab's host then looks up Describe, which a
    // Tyk middleware does not export.
    assert!(loaded.contains("symbol Describe not found"), "{loaded}");
    let before = snapshot(root.path());
    let second = setup(root.path(), &env, &[]);
    assert!(String::from_utf8_lossy(&second.stdout).contains("everything is in place"));
    assert_eq!(snapshot(root.path()), before);
}

#[test]
fn setup_never_overwrites_a_go_work_it_did_not_write() {
    if !support::have_go() {
        println!("skipped: the go command is not on PATH");
        return;
    }
    let lab = Lab::new();
    let root = tempfile::tempdir().expect("a temporary directory");
    copy_dir(
        &lab::lab_dir().join("scenarios/same-version"),
        &root.path().join("plugin"),
    );
    let mine = "go 1.21\n\nuse ./plugin\n";
    std::fs::write(root.path().join("go.work"), mine).expect("go.work");
    let mut env = lab.go_env().clone();
    env.remove("GOWORK");
    let out = setup(root.path(), &env, &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("go.work") && stderr.contains("does not use gateway"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_to_string(root.path().join("go.work")).unwrap(),
        mine
    );
    // --dry-run on a fresh plugin prints the plan and writes nothing.
    std::fs::remove_file(root.path().join("go.work")).unwrap();
    let before = snapshot(root.path());
    let dry = setup(root.path(), &env, &["--dry-run"]);
    let stdout = String::from_utf8_lossy(&dry.stdout);
    assert_eq!(dry.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains("setup would:")
            && stdout.contains("create ")
            && stdout.contains("-buildmode=plugin"),
        "{stdout}"
    );
    assert_eq!(snapshot(root.path()), before, "--dry-run wrote files");
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("a directory");
    for entry in std::fs::read_dir(from)
        .expect("a readable directory")
        .flatten()
    {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("a copyable file");
        }
    }
}
