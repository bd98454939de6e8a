//! Gateway snapshots end to end: an audit against a snapshot gives, for
//! every load-lab scenario and in both build modes, the verdict the real
//! build and `plugin.Open` gave; a snapshot made from the host binary gives
//! the same; making one twice gives the same bytes; a damaged, edited or
//! unknown-format snapshot is refused (exit 2) naming the field.
#![expect(
    clippy::print_stdout,
    reason = "the test prints how many verdicts matched"
)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::support;
use crate::support::lab::{self, Lab, Mode, Record};

fn tykdeps(dir: &Path, env: &BTreeMap<String, String>, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tykdeps"))
        .args(args)
        .current_dir(dir)
        .envs(env)
        .output()
        .expect("tykdeps runs")
}

/// `tykdeps snapshot` of the gateway `from` (flag and value) into `out`.
fn make(lab: &Lab, from: [&str; 2], out: &Path) {
    let made = tykdeps(
        Path::new("/"),
        lab.go_env(),
        &[
            "snapshot",
            "--gateway-module",
            "lab.example/gateway",
            from[0],
            from[1],
            "-o",
            &out.display().to_string(),
        ],
    );
    assert!(
        made.status.success(),
        "tykdeps snapshot {from:?}: {}",
        String::from_utf8_lossy(&made.stderr)
    );
}

fn mode_name(mode: Mode) -> &'static str {
    match mode {
        Mode::Standalone => "standalone",
        Mode::Workspace => "workspace",
    }
}

/// Audit every scenario's plugin, alone in its directory, against
/// `snapshot` in the build mode of each recorded outcome: the verdict must
/// equal plugin.Open's. Only a snapshot made from a binary (`own_unknown`),
/// which holds none of the gateway's sources, may answer `unknown` for a
/// workspace plugin importing the gateway's own packages.
fn verdicts_match(lab: &Lab, recorded: &Record, snapshot: &Path, label: &str, own_unknown: bool) {
    let (mut matched, mut unknown, mut wrong) = (0, 0, Vec::new());
    for outcome in &recorded.outcomes {
        let source = lab::lab_dir().join("scenarios").join(&outcome.scenario);
        let name = format!("snap-{label}-{}", outcome.scenario);
        let (dir, env) = lab.copy_for_tools(&source, &name, Mode::Standalone);
        let out = tykdeps(
            &dir,
            &env,
            &[
                "audit",
                "--format",
                "json",
                "--gateway-snapshot",
                &snapshot.display().to_string(),
                "--build-mode",
                mode_name(outcome.mode),
            ],
        );
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
        let loads = outcome
            .load
            .as_deref()
            .is_some_and(|l| l.starts_with("loads:"));
        let want = if loads { "loads" } else { "fails" };
        let own_packages = own_unknown
            && outcome.mode == Mode::Workspace
            && outcome.scenario.starts_with("gateway-package");
        match json["verdict"].as_str() {
            Some(v) if v == want => matched += 1,
            Some("unknown") if own_packages => unknown += 1,
            _ => wrong.push(format!(
                "{} ({:?}): plugin.Open {want}, tykdeps {}\n{}",
                outcome.scenario,
                outcome.mode,
                json["verdict"],
                String::from_utf8_lossy(&out.stderr)
            )),
        }
    }
    println!(
        "audit against the {label} snapshot: {matched}/{} verdicts match plugin.Open, {unknown} unknown (workspace plugins importing the gateway's own packages)",
        recorded.outcomes.len()
    );
    assert!(wrong.is_empty(), "{}", wrong.join("\n\n"));
}

fn recorded() -> Record {
    let text = std::fs::read_to_string(lab::record_path()).expect("corpus/lab/outcomes.json");
    serde_json::from_str(&text).expect("outcomes.json parses")
}

fn lab_checkout() -> PathBuf {
    lab::lab_dir().join("modules").join(lab::GATEWAY)
}

#[test]
fn snapshot_audits_equal_plugin_open() {
    if !support::have_go() {
        println!("skipped: the go command is not on PATH");
        return;
    }
    let recorded = recorded();
    let lab = Lab::new();
    let work = tempfile::tempdir().expect("a temporary directory");
    let from_checkout = work.path().join("checkout.snapshot.json");
    make(
        &lab,
        ["--gateway", &lab_checkout().display().to_string()],
        &from_checkout,
    );
    verdicts_match(&lab, &recorded, &from_checkout, "checkout", false);
    let from_binary = work.path().join("binary.snapshot.json");
    make(
        &lab,
        ["--gateway-bin", &lab.host().display().to_string()],
        &from_binary,
    );
    verdicts_match(&lab, &recorded, &from_binary, "binary", true);
}

#[test]
fn snapshots_are_deterministic_and_refused_when_damaged() {
    if !support::have_go() {
        println!("skipped: the go command is not on PATH");
        return;
    }
    let lab = Lab::new();
    let work = tempfile::tempdir().expect("a temporary directory");
    let (first, second) = (work.path().join("a.json"), work.path().join("b.json"));
    make(&lab, ["--gateway", lab::GATEWAY], &first);
    make(&lab, ["--gateway", lab::GATEWAY], &second);
    let text = std::fs::read_to_string(&first).expect("the snapshot is written");
    assert_eq!(
        text,
        std::fs::read_to_string(&second).expect("the snapshot is written"),
        "two snapshots of one gateway are byte-identical"
    );
    let source = lab::lab_dir().join("scenarios").join("same-version");
    let (dir, env) = lab.copy_for_tools(&source, "snap-damaged", Mode::Standalone);
    let edited_version = text.replacen("lab.example/alpha v1.2.0", "lab.example/alpha v1.2.1", 1);
    assert_ne!(edited_version, text, "the go.mod requires alpha v1.2.0");
    let cases = [
        ("edited", edited_version, "field `go_mod`"),
        (
            "unknown-format",
            text.replacen("\"format\": 1", "\"format\": 7", 1),
            "field `format`: 7",
        ),
        (
            "corrupt",
            text[..text.len() / 2].to_owned(),
            "not a tykdeps gateway snapshot",
        ),
        (
            "unknown-field",
            text.replacen("\"tool\":", "\"extra\": true,\n  \"tool\":", 1),
            "unknown field `extra`",
        ),
    ];
    for (name, body, field) in cases {
        let file = work.path().join(format!("{name}.json"));
        std::fs::write(&file, body).expect("the snapshot is writable");
        let out = tykdeps(
            &dir,
            &env,
            &["audit", "--gateway-snapshot", &file.display().to_string()],
        );
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{name}: exit 2\n{stderr}");
        assert!(stderr.contains(field), "{name}: names {field}\n{stderr}");
    }
    // In a matrix, the gateway whose snapshot cannot be used is the one named.
    let corrupt = work.path().join("corrupt.json").display().to_string();
    let good = first.display().to_string();
    let args = [
        "audit",
        "--gateway-snapshot",
        &good,
        "--gateway-snapshot",
        &corrupt,
    ];
    let out = tykdeps(&dir, &env, &args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "matrix: exit 2\n{stderr}");
    assert!(
        stderr.contains(&format!("gateway {corrupt}"))
            && !stderr.contains(&format!("gateway {good}")),
        "matrix: names the corrupt snapshot's gateway\n{stderr}"
    );
}

/// The gateway comes from the flags, else tykdeps.toml's `[gateway]`
/// (`module`, `version`, `snapshot`), else the default module.
#[test]
fn the_gateway_is_the_flags_else_tykdeps_toml() {
    if !support::have_go() {
        println!("skipped: the go command is not on PATH");
        return;
    }
    let lab = Lab::new();
    let source = lab::lab_dir().join("scenarios").join("same-version");
    let (dir, env) = lab.copy_for_tools(&source, "snap-config", Mode::Standalone);
    let config = dir.join("tykdeps.toml");
    let audit = |extra: &[&str]| {
        let mut args = vec!["audit", "--format", "json"];
        args.extend(extra);
        let out = tykdeps(&dir, &env, &args);
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
        (out, json)
    };

    // No file: the default module, which the plugin does not require.
    let (out, _) = audit(&[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("github.com/TykTechnologies/tyk"));

    // The file's module, at the version the plugin requires.
    std::fs::write(&config, "[gateway]\nmodule = \"lab.example/gateway\"\n").expect("written");
    let (out, json) = audit(&[]);
    assert_eq!(
        json["verdict"],
        "loads",
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(json["gateway"]["module"], "lab.example/gateway");

    // A flag wins over the file.
    let (out, _) = audit(&["--gateway-module", "lab.example/other"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("lab.example/other"));

    // The file's version is the gateway audited against.
    std::fs::write(
        &config,
        "[gateway]\nmodule = \"lab.example/gateway\"\nversion = \"v1.0.0\"\n",
    )
    .expect("written");
    let (_, json) = audit(&[]);
    assert_eq!(json["gateway"]["version"], "v1.0.0", "{json:#}");

    // The file's snapshot, relative to the file, audited offline.
    let snapshot = dir.join("gateway.snapshot.json");
    make(&lab, ["--gateway", lab::GATEWAY], &snapshot);
    std::fs::write(
        &config,
        "[gateway]\nmodule = \"lab.example/gateway\"\nsnapshot = \"gateway.snapshot.json\"\n",
    )
    .expect("written");
    let mut offline = env.clone();
    offline.insert("GOPROXY".to_owned(), "off".to_owned());
    let out = tykdeps(&dir, &offline, &["audit", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(json["verdict"], "loads", "{stderr}\n{json:#}");
    assert_eq!(
        json["mode"], "workspace",
        "a snapshot assumes the workspace build"
    );
    assert_eq!(json["gateway"]["version"], "v1.0.0", "{json:#}");
}
