//! `tykdeps bot-config`: for every lab scenario, the Renovate rules name
//! exactly the modules the plugin's go.mod requires that the release-built
//! gateway links (`go version -m` of the lab host, recorded in
//! `corpus/lab/outcomes.json`, and the gateway module itself), each capped
//! at the gateway's version; the files validate against Renovate's and
//! Dependabot's published schemas (check-jsonschema's copies); `--check`
//! passes on the file `--write` made and fails once the plugin moves.
#![expect(
    clippy::print_stdout,
    clippy::disallowed_methods,
    reason = "the test says what it compared, and finds check-jsonschema through the environment"
)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::support::lab::{self, Record};
use crate::support::{self, go_mod_edit_json};

const GATEWAY_MODULE: &str = "lab.example/gateway";
const GATEWAY_VERSION: &str = "v1.0.0";

fn bot_config(dir: &Path, env: &BTreeMap<String, String>, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tykdeps"))
        .arg("bot-config")
        .args(args)
        .args(["--gateway-module", GATEWAY_MODULE, "--gateway"])
        .arg(format!("{GATEWAY_MODULE}@{GATEWAY_VERSION}"))
        .current_dir(dir)
        .envs(env)
        .output()
        .expect("tykdeps runs")
}

/// A scenario's plugin in `work/<scenario>/plugin`, the gateway source
/// beside it (where the lab's directory replaces point).
fn scenario_copy(work: &Path, scenario: &str) -> PathBuf {
    let base = work.join(scenario);
    support::copy_dir(
        &lab::lab_dir().join("modules").join(lab::GATEWAY),
        &base.join("gateway"),
    );
    let dir = base.join("plugin");
    support::copy_dir(&lab::lab_dir().join("scenarios").join(scenario), &dir);
    dir
}

/// `check-jsonschema` (`$CHECK_JSONSCHEMA`, else on PATH); outside CI its
/// absence skips the schema half with the reason printed.
fn check_jsonschema() -> Option<PathBuf> {
    let exe = std::env::var_os("CHECK_JSONSCHEMA")
        .map_or_else(|| PathBuf::from("check-jsonschema"), PathBuf::from);
    let runs = Command::new(&exe)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if runs {
        return Some(exe);
    }
    assert!(
        !support::in_ci(),
        "check-jsonschema is required in CI (.ci/run installs it from PyPI)"
    );
    println!("schemas skipped: check-jsonschema is not installed (pip install check-jsonschema)");
    None
}

fn validate(exe: &Path, schema: &str, file: &Path) {
    let out = Command::new(exe)
        .args(["--builtin-schema", schema])
        .arg(file)
        .output()
        .expect("check-jsonschema runs");
    assert!(
        out.status.success(),
        "{} against {schema}:\n{}{}",
        file.display(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// What the go command says the rules must cover: the plugin's required
/// module paths that the host links (or that are the gateway), at the
/// host's versions.
fn expected(dir: &Path, recorded: &Record) -> BTreeMap<String, String> {
    let json = go_mod_edit_json(dir, &[]).expect("go mod edit -json");
    let required: BTreeSet<String> = json["Require"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| r["Path"].as_str().map(str::to_owned))
        .collect();
    let mut linked: BTreeMap<String, String> = recorded
        .host_linked
        .iter()
        .filter_map(|line| {
            let mut words = line.split_whitespace();
            Some((words.next()?.to_owned(), words.next()?.to_owned()))
        })
        .collect();
    linked.insert(GATEWAY_MODULE.to_owned(), GATEWAY_VERSION.to_owned());
    linked.retain(|path, _| required.contains(path));
    linked
}

/// The modules and versions a Renovate preset caps.
fn capped(preset: &serde_json::Value) -> BTreeMap<String, String> {
    preset["packageRules"]
        .as_array()
        .expect("packageRules")
        .iter()
        .map(|rule| {
            let module = rule["matchPackageNames"][0]
                .as_str()
                .expect("a module")
                .to_owned();
            let version = rule["allowedVersions"]
                .as_str()
                .and_then(|v| v.strip_prefix("<="))
                .map_or_else(|| "(updates off)".to_owned(), |v| format!("v{v}"));
            (module, version)
        })
        .collect()
}

#[test]
fn rules_cover_exactly_the_linked_requirements() {
    if !support::have_go() {
        println!("skipped: the go command is not on PATH");
        return;
    }
    let text = std::fs::read_to_string(lab::record_path()).expect("corpus/lab/outcomes.json");
    let recorded: Record = serde_json::from_str(&text).expect("outcomes.json parses");
    let work = tempfile::tempdir().expect("a temporary directory");
    let proxy = lab::build_proxy(work.path());
    let env = support::hermetic_go_env(
        &format!("file://{}", proxy.display()),
        &work.path().join("modcache"),
    );
    let schemas = check_jsonschema();
    let mut differ = Vec::new();
    let scenarios = lab::scenarios();
    for scenario in &scenarios {
        let dir = scenario_copy(work.path(), scenario);
        let out = bot_config(&dir, &env, &["--renovate"]);
        assert!(
            out.status.success(),
            "{scenario}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let preset: serde_json::Value = serde_json::from_slice(&out.stdout).expect("a JSON preset");
        let mut want = expected(&dir, &recorded);
        let got = capped(&preset);
        // A pseudo-version cannot be capped by a range: its updates are off.
        for (module, version) in &mut want {
            if got.get(module).is_some_and(|v| v == "(updates off)")
                && tykdeps_resolver::version::pseudo::is_pseudo_version(version)
            {
                "(updates off)".clone_into(version);
            }
        }
        if got != want {
            differ.push(format!("{scenario}: go {want:?}, tykdeps {got:?}"));
        }
        if let Some(exe) = &schemas {
            let preset_file = dir.join("tykdeps-renovate.json");
            std::fs::write(&preset_file, &out.stdout).expect("the preset is writable");
            validate(exe, "vendor.renovate", &preset_file);
            let dependabot = dir.join(".github/dependabot.yml");
            let out = bot_config(
                &dir,
                &env,
                &["--dependabot", "--write", ".github/dependabot.yml"],
            );
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            validate(exe, "vendor.dependabot", &dependabot);
        }
    }
    println!(
        "bot-config: {} of {} scenarios cap exactly the required modules the gateway links",
        scenarios.len() - differ.len(),
        scenarios.len()
    );
    assert!(differ.is_empty(), "{}", differ.join("\n"));
}

#[test]
fn check_detects_a_stale_file() {
    if !support::have_go() {
        println!("skipped: the go command is not on PATH");
        return;
    }
    let work = tempfile::tempdir().expect("a temporary directory");
    let proxy = lab::build_proxy(work.path());
    let env = support::hermetic_go_env(
        &format!("file://{}", proxy.display()),
        &work.path().join("modcache"),
    );
    let dir = scenario_copy(work.path(), "same-version");
    let user = "version: 2\nupdates:\n  - package-ecosystem: \"npm\"\n    directory: \"/web\"\n    schedule:\n      interval: \"daily\"\n";
    std::fs::create_dir_all(dir.join(".github")).expect("a .github directory");
    std::fs::write(dir.join(".github/dependabot.yml"), user).expect("dependabot.yml");
    let args = |mode: &'static str| ["--dependabot", mode, ".github/dependabot.yml"];
    let wrote = bot_config(&dir, &env, &args("--write"));
    assert!(
        wrote.status.success(),
        "{}",
        String::from_utf8_lossy(&wrote.stderr)
    );
    let written = std::fs::read_to_string(dir.join(".github/dependabot.yml")).expect("written");
    assert!(
        written.contains("package-ecosystem: \"npm\""),
        "the user's entries stay:\n{written}"
    );
    let fresh = bot_config(&dir, &env, &args("--check"));
    assert_eq!(
        fresh.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&fresh.stdout)
    );
    // The plugin drops a shared module: the committed rules are stale.
    let go_mod = std::fs::read_to_string(dir.join("go.mod")).expect("go.mod");
    let fewer: String = go_mod
        .split_inclusive('\n')
        .filter(|l| !l.contains("lab.example/alpha"))
        .collect();
    assert_ne!(fewer, go_mod, "the scenario requires alpha");
    std::fs::write(dir.join("go.mod"), fewer).expect("go.mod is writable");
    let stale = bot_config(&dir, &env, &args("--check"));
    assert_eq!(
        stale.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&stale.stdout)
    );
    assert!(
        String::from_utf8_lossy(&stale.stdout)
            .contains("-      - dependency-name: \"lab.example/alpha\"")
    );
    assert_eq!(
        std::fs::read_to_string(dir.join(".github/dependabot.yml")).expect("unchanged"),
        written,
        "--check writes nothing"
    );
}

/// Outside a git repository (rules written before `git init`), a
/// workspace's plugin is named from the directory audited: `/plugin`, not
/// the root, where Dependabot would find no go.mod.
#[test]
fn a_workspace_plugin_outside_git_is_named_by_its_directory() {
    let work = tempfile::tempdir().expect("a temporary directory");
    let workspace = work.path().join("workspace");
    support::copy_dir(
        &support::repo_root().join("corpus/examples/workspace"),
        &workspace,
    );
    let mut env = support::hermetic_go_env("off", &work.path().join("modcache"));
    env.remove("GOWORK");
    env.remove("GOFLAGS");
    let out = Command::new(env!("CARGO_BIN_EXE_tykdeps"))
        .args([
            "bot-config",
            "--dependabot",
            "--gateway-module",
            "example.com/gateway",
        ])
        .current_dir(&workspace)
        .envs(&env)
        .env_remove("GITHUB_WORKSPACE")
        .output()
        .expect("tykdeps runs");
    let block = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(block.contains("directory: \"/plugin\""), "{block}");
    assert!(!block.contains("directory: \"/\"\n"), "{block}");
}
