//! `fix --dry-run` and `pin --dry-run` print diffs that `git apply` and
//! `patch -p1` take as printed, run from the repository root, and that give
//! exactly the file the command writes without `--dry-run`.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use crate::support;

fn run(program: &str, dir: &Path, args: &[&str], env: &BTreeMap<String, String>) -> Output {
    Command::new(program)
        .args(args)
        .current_dir(dir)
        .envs(env)
        .output()
        .unwrap_or_else(|e| panic!("{program} runs: {e}"))
}

/// Feed `diff` to `program args` in `dir`; whether it applied.
fn apply(program: &str, args: &[&str], dir: &Path, diff: &[u8]) -> Output {
    let mut child = Command::new(program)
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("runs");
    std::io::Write::write_all(&mut child.stdin.take().expect("stdin"), diff).expect("write");
    child.wait_with_output().expect("waits")
}

/// A git repository holding the example plugin in `plugin/`.
fn repo() -> (tempfile::TempDir, BTreeMap<String, String>) {
    let dir = tempfile::tempdir().expect("a scratch dir");
    let example = support::repo_root().join("corpus/examples/audit");
    let plugin = dir.path().join("repo/plugin");
    std::fs::create_dir_all(&plugin).expect("plugin dir");
    for name in ["go.mod", "plugin.go"] {
        std::fs::copy(example.join("plugin").join(name), plugin.join(name)).expect("copy");
    }
    let proxy = format!("file://{}", example.join("proxy").display());
    let env = support::hermetic_go_env(&proxy, &dir.path().join("modcache"));
    let git = |args: &[&str]| {
        let out = run("git", &dir.path().join("repo"), args, &BTreeMap::new());
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    git(&["init", "-q"]);
    git(&["add", "."]);
    git(&[
        "-c",
        "user.name=t",
        "-c",
        "user.email=t@t",
        "commit",
        "-qm",
        "plugin",
    ]);
    (dir, env)
}

/// The diff `args --dry-run` prints in `plugin/` applies with `git apply`
/// and with `patch -p1` at the repository root, each giving the go.mod
/// `args` writes.
fn check(args: &[&str]) {
    let (dir, env) = repo();
    let root = dir.path().join("repo");
    let plugin = root.join("plugin");
    let tykdeps = env!("CARGO_BIN_EXE_tykdeps");
    let mut dry_args = args.to_vec();
    dry_args.push("--dry-run");
    let dry = run(tykdeps, &plugin, &dry_args, &env);
    let diff = String::from_utf8_lossy(&dry.stdout).into_owned();
    assert!(
        diff.contains("--- a/plugin/go.mod\n+++ b/plugin/go.mod\n"),
        "{diff}"
    );
    let original = std::fs::read_to_string(plugin.join("go.mod")).expect("go.mod");
    let mut applied = Vec::new();
    for (program, flags) in [("git", &["apply", "-"][..]), ("patch", &["-p1", "-s"][..])] {
        let out = apply(program, flags, &root, diff.as_bytes());
        assert!(
            out.status.success(),
            "{program} refuses the diff: {}\n{diff}",
            String::from_utf8_lossy(&out.stderr)
        );
        applied.push(std::fs::read_to_string(plugin.join("go.mod")).expect("go.mod"));
        std::fs::write(plugin.join("go.mod"), &original).expect("restore");
    }
    run(tykdeps, &plugin, args, &env);
    let written = std::fs::read_to_string(plugin.join("go.mod")).expect("go.mod");
    assert_ne!(written, original, "{args:?} changes go.mod");
    assert_eq!(applied, [written.clone(), written], "{args:?}");
}

#[test]
fn fix_dry_run_diff_applies_with_git_and_patch() {
    check(&["fix", "--gateway-module", "example.com/gateway"]);
}

#[test]
fn pin_dry_run_diff_applies_with_git_and_patch() {
    check(&["pin", "example.com/shared@v1.2.0"]);
}
