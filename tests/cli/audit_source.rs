//! `tykdeps audit [DIR]` and `tykdeps fix` end to end on the shipped example
//! (`corpus/examples/audit`: a plugin, and a `file://` proxy serving the
//! example gateway release and its dependencies): which rule fires where,
//! what every format says, what `fix` writes (checked with the go command),
//! and how bad input and unreachable sources are reported.
//!
//! Whether a verdict is *right* is decided by `plugin.Open` in the load lab
//! (`lab::static_audit_verdicts_equal_plugin_open`); these tests pin down
//! the command's behaviour around it.
#![allow(clippy::print_stdout, reason = "a skipped test says why")]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

use crate::support;

/// A scratch copy of the example plugin and the environment that reaches the
/// example proxy only.
pub(crate) struct Example {
    _dir: tempfile::TempDir,
    pub(crate) plugin: PathBuf,
    env: BTreeMap<String, String>,
}

impl Example {
    pub(crate) fn new() -> Example {
        let dir = tempfile::tempdir().expect("a scratch dir");
        let example = support::repo_root().join("corpus/examples/audit");
        let plugin = dir.path().join("plugin");
        std::fs::create_dir(&plugin).expect("plugin dir");
        for name in ["go.mod", "plugin.go"] {
            std::fs::copy(example.join("plugin").join(name), plugin.join(name)).expect("copy");
        }
        let proxy = format!("file://{}", example.join("proxy").display());
        let env = support::hermetic_go_env(&proxy, &dir.path().join("modcache"));
        Example {
            _dir: dir,
            plugin,
            env,
        }
    }

    pub(crate) fn tykdeps(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("tykdeps runs")
    }

    /// `tykdeps ARGS` in the plugin's directory against the example gateway,
    /// for a test to add to.
    pub(crate) fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_tykdeps"));
        command
            .args(args)
            .args(["--gateway-module", "example.com/gateway"])
            .current_dir(&self.plugin)
            .env_remove("GITHUB_WORKSPACE")
            .envs(&self.env);
        command
    }

    pub(crate) fn go_mod(&self) -> String {
        std::fs::read_to_string(self.plugin.join("go.mod")).expect("go.mod")
    }
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("audit JSON: {e}: {}", String::from_utf8_lossy(&out.stderr)))
}

/// (rule, module) of every finding, sorted.
fn rules(report: &Value) -> Vec<(String, String)> {
    let mut found: Vec<(String, String)> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap_or_default().to_owned(),
                f["module"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    found.sort();
    found
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = expected
        .iter()
        .map(|(r, m)| ((*r).to_owned(), (*m).to_owned()))
        .collect();
    v.sort();
    v
}

#[test]
fn the_example_shows_each_case_at_its_go_mod_line() {
    let example = Example::new();
    let out = example.tykdeps(&["audit", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "fails → exit 1");
    let report = json(&out);
    assert_eq!(report["verdict"], "fails");
    assert_eq!(report["mode"], "standalone");
    assert_eq!(report["gateway"]["version"], "v1.0.0");
    assert_eq!(
        rules(&report),
        pairs(&[
            ("gateway-package-standalone", "example.com/gateway"),
            ("deprecated", "example.com/oldlib"),
            ("no-go-mod", "example.com/legacy"),
            ("replace-not-mirrored", "example.com/forked"),
            ("retracted", "example.com/oldlib"),
            ("shared-dependency", "example.com/legacy"),
            ("shared-dependency", "example.com/logger"),
            ("version-conflict", "example.com/shared"),
        ])
    );
    let conflict = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "version-conflict")
        .unwrap();
    let line = example
        .go_mod()
        .lines()
        .position(|l| l.contains("example.com/shared v1.3.0"))
        .unwrap()
        + 1;
    assert_eq!(conflict["location"]["line"], line);
    assert_eq!(
        (&conflict["gateway_version"], &conflict["plugin_version"]),
        (&Value::from("v1.2.0"), &Value::from("v1.3.0"))
    );
    assert_eq!(
        conflict["packages"],
        serde_json::json!(["example.com/shared"])
    );
    let pin = &conflict["suggestions"][0];
    assert_eq!(
        pin["go_command"],
        "go mod edit -require=example.com/shared@v1.2.0"
    );
    assert!(
        pin["description"].as_str().unwrap().contains("proven"),
        "{pin}"
    );
}

#[test]
fn every_format_tells_the_same_verdict() {
    let example = Example::new();
    let findings = json(&example.tykdeps(&["audit", "--format", "json"]))["findings"]
        .as_array()
        .unwrap()
        .len();
    let human = example.tykdeps(&["audit", "--format", "human"]);
    assert!(String::from_utf8_lossy(&human.stdout).contains("verdict: fails"));
    let markdown = example.tykdeps(&["audit", "--format", "markdown"]);
    assert!(String::from_utf8_lossy(&markdown.stdout).contains("fails"));
    let sarif: Value =
        serde_json::from_slice(&example.tykdeps(&["audit", "--format", "sarif"]).stdout)
            .expect("SARIF is JSON");
    assert_eq!(
        sarif["runs"][0]["results"].as_array().unwrap().len(),
        findings
    );
    for out in [human, markdown] {
        assert_eq!(out.status.code(), Some(1));
    }
}

#[test]
fn fix_edits_only_the_lines_it_fixes_and_go_agrees() {
    if !support::have_go() {
        println!("skipped: the go command is not on PATH");
        return;
    }
    let example = Example::new();
    let before = example.go_mod();
    let dry = example.tykdeps(&["fix", "--dry-run"]);
    assert_eq!(example.go_mod(), before, "--dry-run writes nothing");
    let diff = String::from_utf8_lossy(&dry.stdout);
    assert!(
        diff.contains("-\texample.com/shared v1.3.0")
            && diff.contains("+\texample.com/shared v1.2.0"),
        "{diff}"
    );
    let fixed = example.tykdeps(&["fix"]);
    assert!(
        String::from_utf8_lossy(&fixed.stderr)
            .contains("gateway-package-standalone: not a go.mod edit"),
        "{}",
        String::from_utf8_lossy(&fixed.stderr)
    );
    assert_eq!(
        fixed.status.code(),
        Some(1),
        "a gateway package still needs a workspace"
    );
    let after = example.go_mod();
    assert!(
        after.contains("// Newer than the gateway's v1.2.0"),
        "comments stay:\n{after}"
    );
    let changed: Vec<&str> = after
        .lines()
        .filter(|l| !before.lines().any(|b| b == *l))
        .collect();
    assert_eq!(
        changed,
        [
            "\texample.com/shared v1.2.0",
            "replace example.com/forked => example.com/forked-fix v1.0.0"
        ],
        "{after}"
    );
    let listed = support::go(&example.plugin, &example.env, ["list", "-m", "all"]);
    let listed = String::from_utf8_lossy(&listed.stdout);
    for line in [
        "example.com/shared v1.2.0",
        "example.com/forked v1.0.0 => example.com/forked-fix v1.0.0",
    ] {
        assert!(
            listed.lines().any(|l| l == line),
            "go list -m all lacks {line}:\n{listed}"
        );
    }
    let again = json(&example.tykdeps(&["audit", "--format", "json"]));
    assert_eq!(
        rules(&again)
            .into_iter()
            .filter(|(r, _)| r == "version-conflict"
                || r == "replace-not-mirrored"
                || r == "gateway-package-standalone")
            .collect::<Vec<_>>(),
        pairs(&[("gateway-package-standalone", "example.com/gateway")])
    );
}

#[test]
fn a_workspace_with_the_gateway_checkout_is_audited_as_one_build() {
    let example = Example::new();
    let root = example.plugin.parent().unwrap();
    copy_tree(
        &support::repo_root().join("corpus/examples/audit/modules/example.com/gateway@v1.0.0"),
        &root.join("gateway"),
    );
    std::fs::write(
        root.join("go.work"),
        "go 1.22\n\nuse (\n\t./gateway\n\t./plugin\n)\n",
    )
    .unwrap();
    let mut env = example.env.clone();
    env.insert(
        "GOWORK".to_owned(),
        root.join("go.work").display().to_string(),
    );
    env.insert("GOFLAGS".to_owned(), String::new());
    let out = Command::new(env!("CARGO_BIN_EXE_tykdeps"))
        .args([
            "audit",
            "--format",
            "json",
            "--gateway-module",
            "example.com/gateway",
        ])
        .current_dir(root)
        .envs(&env)
        .output()
        .expect("tykdeps runs");
    let report = json(&out);
    assert_eq!(report["mode"], "workspace");
    assert_eq!(report["plugins"].as_array().unwrap().len(), 1);
    let found = rules(&report);
    // MVS gives the whole workspace the plugin's v1.3.0 (a gateway built
    // there loads it); the gateway release has v1.2.0.
    assert!(
        found.contains(&(
            "workspace-hides-conflict".to_owned(),
            "example.com/shared".to_owned()
        )),
        "{found:?}"
    );
    // The gateway's replace and its own packages are the workspace's too.
    assert!(
        !found
            .iter()
            .any(|(r, _)| r == "replace-not-mirrored" || r == "gateway-package-standalone"),
        "{found:?}"
    );
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[test]
fn unreachable_sources_exit_3_naming_the_module() {
    let mut example = Example::new();
    example.env.insert("GOPROXY".to_owned(), "off".to_owned());
    let out = example.tykdeps(&["audit", "--format", "json"]);
    assert_eq!(out.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("example.com/gateway") && stderr.contains("GOPROXY=off"),
        "{stderr}"
    );
    let report = json(&out);
    assert_eq!(report["verdict"], "unknown");
    assert_eq!(rules(&report), pairs(&[("fetch-failed", "")]));
    let message = report["findings"][0]["message"].as_str().unwrap();
    assert!(message.contains("GOPROXY=off"), "{message}");
}

#[test]
fn bad_input_exits_2_naming_file_and_line_and_changes_nothing() {
    let example = Example::new();
    let broken = example
        .go_mod()
        .replace("example.com/shared v1.3.0", "example.com/shared 1.3");
    std::fs::write(example.plugin.join("go.mod"), &broken).unwrap();
    let out = example.tykdeps(&["fix"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let line = broken
        .lines()
        .position(|l| l.contains("shared 1.3"))
        .unwrap()
        + 1;
    assert!(stderr.contains(&format!("go.mod:{line}")), "{stderr}");
    assert_eq!(example.go_mod(), broken, "nothing written");

    let example = Example::new();
    let alone = "module example.com/alone\n\ngo 1.22\n";
    std::fs::write(example.plugin.join("go.mod"), alone).unwrap();
    let out = example.tykdeps(&["audit"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("does not require the gateway module example.com/gateway"),
        "{stderr}"
    );
}

#[test]
fn a_zip_that_disagrees_with_go_sum_is_refused() {
    let example = Example::new();
    let wrong = "example.com/shared v1.3.0 h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n";
    std::fs::write(example.plugin.join("go.sum"), wrong).unwrap();
    let out = example.tykdeps(&["audit"]);
    assert_eq!(out.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("example.com/shared@v1.3.0: verifying module: checksum mismatch")
            && stderr.contains("SECURITY ERROR"),
        "{stderr}"
    );
}

#[test]
fn go_sum_lines_disagreeing_with_the_gateway_point_at_the_line() {
    let example = Example::new();
    let sum = "example.com/shared v1.2.0 h1:BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB=\n";
    std::fs::write(example.plugin.join("go.sum"), sum).unwrap();
    let report = json(&example.tykdeps(&["audit", "--format", "json"]));
    let mismatch = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "go-sum-mismatch")
        .unwrap_or_else(|| panic!("no go-sum-mismatch: {report:#}"));
    assert_eq!(mismatch["module"], "example.com/shared");
    assert_eq!(mismatch["severity"], "error");
    assert_eq!(mismatch["location"]["line"], 1);
    assert!(
        mismatch["location"]["file"]
            .as_str()
            .unwrap()
            .ends_with("go.sum")
    );
}

/// A snapshot carries the gateway's go.sum, and the go.sum rule reads it as
/// it reads the gateway module's own: a plugin go.sum line disagreeing with
/// it is a `go-sum-mismatch` at that line with a snapshot too, in both
/// build modes; a line agreeing with it is none.
#[test]
fn go_sum_lines_disagreeing_with_a_snapshots_go_sum_point_at_the_line() {
    let example = Example::new();
    let snapshot = example.plugin.join("gateway.snapshot.json");
    let made = example.tykdeps(&[
        "snapshot",
        "--gateway",
        "example.com/gateway@v1.0.0",
        "-o",
        &snapshot.display().to_string(),
    ]);
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let text = std::fs::read_to_string(&snapshot).unwrap();
    let recorded: Value = serde_json::from_str(&text).unwrap();
    let gateway_line = recorded["go_sum"]
        .as_str()
        .unwrap()
        .lines()
        .find(|l| l.starts_with("example.com/shared v1.2.0 h1:"))
        .unwrap_or_else(|| panic!("the snapshot's go.sum has shared v1.2.0: {text}"))
        .to_owned();
    let mismatches = |sum: &str, mode: &str| -> Vec<Value> {
        std::fs::write(example.plugin.join("go.sum"), sum).unwrap();
        let out = example.tykdeps(&[
            "audit",
            "--format",
            "json",
            "--gateway-snapshot",
            &snapshot.display().to_string(),
            "--build-mode",
            mode,
        ]);
        json(&out)["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["rule"] == "go-sum-mismatch")
            .cloned()
            .collect()
    };
    let wrong = "example.com/shared v1.2.0 h1:BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB=\n";
    for mode in ["workspace", "standalone"] {
        let found = mismatches(wrong, mode);
        assert_eq!(found.len(), 1, "{mode}: {found:#?}");
        assert_eq!(found[0]["module"], "example.com/shared");
        assert_eq!(found[0]["location"]["line"], 1);
        assert!(
            found[0]["message"]
                .as_str()
                .unwrap()
                .contains(gateway_line.rsplit(' ').next().unwrap()),
            "{mode}: names the snapshot's hash: {:#}",
            found[0]
        );
        assert_eq!(
            mismatches(&format!("{gateway_line}\n"), mode),
            Vec::<Value>::new()
        );
    }
}

/// The example gateway's go.mod says `go 1.22` and no toolchain: a plugin
/// asking for go 1.23 still builds with the toolchain assumed to build both
/// (a warning), one asking for a Go newer than that toolchain does not.
#[test]
fn a_go_line_newer_than_the_gateways_is_a_warning_or_an_error() {
    let example = Example::new();
    let original = example.go_mod();
    for (line, plugin_version, severity) in [
        ("go 1.23", "go1.23", "warning"),
        ("go 1.999", "go1.999", "error"),
    ] {
        let newer = original.replace("\ngo 1.22\n", &format!("\n{line}\n"));
        std::fs::write(example.plugin.join("go.mod"), newer).unwrap();
        let report = json(&example.tykdeps(&["audit", "--format", "json"]));
        let directive = report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["rule"] == "go-directive")
            .unwrap_or_else(|| panic!("no go-directive: {report:#}"));
        assert_eq!(
            (&directive["gateway_version"], &directive["plugin_version"]),
            (&Value::from("go1.22"), &Value::from(plugin_version))
        );
        assert_eq!(directive["severity"], severity, "{directive:#}");
        assert_eq!(directive["location"]["line"], 4);
    }
}

/// The second audit answers from the package facts stored by the first
/// (no module zip opened, no Go file read); both, and one over a damaged
/// store, say the same.
#[test]
fn stored_package_facts_change_nothing_and_damage_is_ignored() {
    let example = Example::new();
    let first = example.tykdeps(&["audit", "--format", "json"]);
    let modcache = PathBuf::from(&example.env["GOMODCACHE"]);
    let stored = support::find_files_ending(&modcache.join("cache/tykdeps/facts-v2"), ".facts");
    assert!(stored.len() >= 5, "{stored:?}");
    // The standard library's facts too, per toolchain release: the two
    // builds' tags differ (goplugin), so its imports are followed. With
    // them, the listings of the `$GOROOT/src` directories the audit read,
    // so the next one resolves standard imports without reading them.
    let std = stored
        .iter()
        .find(|f| f.to_string_lossy().contains("facts-v2/std/go"))
        .unwrap_or_else(|| panic!("no standard library facts: {stored:?}"));
    let std = tykdeps_resolver::packages::store::load(std).expect("they load");
    let runtime = std
        .dirs
        .get("runtime")
        .expect("runtime's directory is listed");
    assert!(
        runtime
            .iter()
            .any(|(name, is_dir)| name == "runtime.go" && !is_dir),
        "{runtime:?}"
    );
    // The output memo would answer both runs below without the facts.
    let memo = modcache.join("cache/tykdeps/audits-v1");
    std::fs::remove_dir_all(&memo).expect("the first audit was memoized");
    let second = example.tykdeps(&["audit", "--format", "json"]);
    assert_eq!(first.stdout, second.stdout);
    std::fs::remove_dir_all(&memo).expect("the second audit was memoized");
    let intact: Vec<Vec<u8>> = stored.iter().map(|f| std::fs::read(f).unwrap()).collect();
    // Torn writes: every file loses its last byte.
    for (file, bytes) in stored.iter().zip(&intact) {
        std::fs::write(file, &bytes[..bytes.len() - 1]).unwrap();
    }
    let damaged = example.tykdeps(&["audit", "--format", "json"]);
    assert_eq!(first.stdout, damaged.stdout);
    assert_eq!(
        std::fs::read(&stored[0]).unwrap(),
        intact[0],
        "a damaged file is written again"
    );
}

/// Files are selected for the plugin as `go build` selects them here:
/// GOFLAGS' `-tags`, GOOS and GOARCH decide which imports count.
#[test]
fn goflags_tags_and_goos_select_the_plugins_files() {
    let example = Example::new();
    let tagged = "//go:build special\n\npackage main\n\nimport _ \"example.com/nosuch/tagged\"\n";
    std::fs::write(example.plugin.join("tagged.go"), tagged).unwrap();
    let windows = "package main\n\nimport _ \"example.com/nosuch/windows\"\n";
    std::fs::write(example.plugin.join("only_windows.go"), windows).unwrap();
    let missing = |env: &[(&str, &str)]| -> Vec<String> {
        let mut example_env = example.env.clone();
        for (k, v) in env {
            example_env.insert((*k).to_owned(), (*v).to_owned());
        }
        let out = Command::new(env!("CARGO_BIN_EXE_tykdeps"))
            .args([
                "audit",
                "--format",
                "json",
                "--gateway-module",
                "example.com/gateway",
            ])
            .current_dir(&example.plugin)
            .envs(&example_env)
            .output()
            .expect("tykdeps runs");
        json(&out)["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["rule"] == "plugin-does-not-build")
            .map(|f| f["message"].as_str().unwrap_or_default().to_owned())
            .collect()
    };
    assert!(missing(&[]).is_empty(), "{:?}", missing(&[]));
    let with_tag = missing(&[("GOFLAGS", "-mod=mod -tags=special")]);
    assert!(
        with_tag.len() == 1 && with_tag[0].contains("example.com/nosuch/tagged"),
        "{with_tag:?}"
    );
    let on_windows = missing(&[("GOOS", "windows")]);
    assert!(
        on_windows.len() == 1 && on_windows[0].contains("example.com/nosuch/windows"),
        "{on_windows:?}"
    );
}

/// `fix` reads tykdeps.toml as `audit` does: with the example's errors
/// allowed, both say `loads` (exit 0) and fix edits nothing.
#[test]
fn fix_honours_the_policy_audit_honours() {
    let example = Example::new();
    let policy = "[rules]\nversion-conflict = \"allow\"\nreplace-not-mirrored = \"allow\"\ngateway-package-standalone = \"allow\"\n";
    std::fs::write(example.plugin.join("tykdeps.toml"), policy).unwrap();
    let before = example.go_mod();
    let audit = example.tykdeps(&["audit", "--format", "json"]);
    let dry_run = example.tykdeps(&["fix", "--dry-run", "--format", "json"]);
    let fix = example.tykdeps(&["fix", "--format", "json"]);
    assert_eq!(
        audit.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&audit.stderr)
    );
    for out in [&dry_run, &fix] {
        assert_eq!(out.status.code(), audit.status.code());
        assert_eq!(json(out)["verdict"], json(&audit)["verdict"]);
        assert_eq!(json(out)["summary"], json(&audit)["summary"]);
    }
    assert_eq!(example.go_mod(), before, "an allowed finding is not fixed");
    // Without the policy the same tree fails, and fix edits it.
    std::fs::remove_file(example.plugin.join("tykdeps.toml")).unwrap();
    let unfixed = example.tykdeps(&["audit", "--format", "json"]);
    assert_eq!(unfixed.status.code(), Some(1));
    example.tykdeps(&["fix", "--format", "json"]);
    assert_ne!(example.go_mod(), before);
}
