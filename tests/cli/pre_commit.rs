//! The pre-commit hook, run by the real pre-commit framework: installed from
//! this repository's `.pre-commit-hooks.yaml` (pre-commit clones it and runs
//! `cargo install --path .`), in a plugin repository of the lab that commits
//! its gateway snapshot, with the module proxy off as on pre-commit.ci and
//! no trace of the gateway module in the module cache. A commit that raises
//! a module the gateway links must be refused with the finding printed; a
//! clean one passes.
#![expect(
    clippy::print_stdout,
    clippy::disallowed_methods,
    reason = "the test says why it skips and what the hook printed; it finds pre-commit, cargo and rustup through the environment"
)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::support::gitrepo::{git, git_env, have_git};
use crate::support::{self, lab};

/// The plugin at the gateway's version, then one that raises a shared module.
const CLEAN: &str = "dotless-testplugin-same";
const RAISED: &str = "dotless-testplugin-upgrade";

/// The pre-commit executable: `$PRE_COMMIT`, else `pre-commit` on PATH.
/// Outside CI its absence skips the test with the reason printed.
fn pre_commit() -> Option<PathBuf> {
    let exe =
        std::env::var_os("PRE_COMMIT").map_or_else(|| PathBuf::from("pre-commit"), PathBuf::from);
    let runs = Command::new(&exe)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if runs {
        return Some(exe);
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "pre-commit is required in CI (.ci/run installs it from PyPI)"
    );
    println!("skipped: pre-commit is not installed (pip install pre-commit, or set PRE_COMMIT)");
    None
}

/// The commit of this repository that pre-commit installs the hook from.
fn hook_source() -> Option<(PathBuf, String)> {
    let root = support::repo_root();
    let out = Command::new("git")
        .args(["rev-parse", "HEAD"])
        .current_dir(&root)
        .output()
        .ok()?;
    let rev = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    if !out.status.success() || rev.is_empty() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI runs in a git clone"
        );
        println!("skipped: {} is not a git repository", root.display());
        return None;
    }
    Some((root, rev))
}

/// A scenario's plugin, tidied through the lab proxy so its go.sum and the
/// module cache hold what an offline build needs.
fn tidy_plugin(scenario: &str, dir: &Path, env: &BTreeMap<String, String>) {
    support::copy_dir(&lab::lab_dir().join("scenarios").join(scenario), dir);
    std::fs::remove_file(dir.join("scenario.toml")).expect("scenario.toml is removable");
    let out = support::go(dir, env, ["mod", "tidy"]);
    assert!(
        out.status.success(),
        "go mod tidy: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The committed snapshot of the gateway release, made through the lab
/// proxy by the tykdeps under test.
fn make_snapshot(repo: &Path, env: &BTreeMap<String, String>) {
    let out = Command::new(env!("CARGO_BIN_EXE_tykdeps"))
        .args([
            "snapshot",
            "--gateway-module",
            "lab.example/gateway",
            "--gateway",
            lab::GATEWAY,
            "-o",
            "gateway.snapshot.json",
        ])
        .current_dir(repo)
        .envs(env)
        .output()
        .expect("tykdeps runs");
    assert!(out.status.success(), "tykdeps snapshot: {}", text(&out));
}

/// Remove every trace of the gateway module from the module cache (its
/// extracted source and its downloads), so the hook has no gateway on disk.
fn forget_gateway(modcache: &Path) {
    let module = lab::GATEWAY.split('@').next().expect("module@version");
    for dir in [
        modcache.join(lab::GATEWAY),
        modcache.join("cache/download").join(module),
    ] {
        if dir.exists() {
            make_writable(&dir);
            std::fs::remove_dir_all(&dir).expect("the gateway download is removable");
        }
    }
    let left = walk(modcache)
        .into_iter()
        .filter(|p| p.display().to_string().contains(module))
        .collect::<Vec<_>>();
    assert!(
        left.is_empty(),
        "the gateway is still in the module cache: {left:?}"
    );
}

/// The module cache is read-only, as the go command leaves it.
fn make_writable(dir: &Path) {
    for path in walk(dir) {
        if let Ok(meta) = std::fs::metadata(&path) {
            let mut perms = meta.permissions();
            #[expect(
                clippy::permissions_set_readonly_false,
                reason = "a test's own temporary module cache"
            )]
            perms.set_readonly(false);
            let _ = std::fs::set_permissions(&path, perms);
        }
    }
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = vec![dir.to_path_buf()];
    let mut i = 0;
    while i < out.len() {
        if let Ok(entries) = std::fs::read_dir(&out[i]) {
            out.extend(entries.flatten().map(|e| e.path()));
        }
        i += 1;
    }
    out
}

fn commit(repo: &Path, env: &BTreeMap<String, String>, message: &str) -> Output {
    Command::new("git")
        .args(["commit", "-q", "-m", message])
        .current_dir(repo)
        .envs(env)
        .output()
        .expect("git commit runs")
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn the_hook_refuses_a_commit_that_raises_a_gateway_module() {
    let Some(pre_commit) = pre_commit() else {
        return;
    };
    let Some((hooks_repo, rev)) = hook_source() else {
        return;
    };
    if !support::have_go() || !have_git() {
        println!("skipped: go and git are needed");
        return;
    }
    let work = tempfile::tempdir().expect("a temporary directory");
    let proxy = lab::build_proxy(work.path());
    let online = support::hermetic_go_env(
        &format!("file://{}", proxy.display()),
        &work.path().join("modcache"),
    );
    let (clean, raised) = (work.path().join("clean"), work.path().join("raised"));
    tidy_plugin(CLEAN, &clean, &online);
    tidy_plugin(RAISED, &raised, &online);

    let repo = work.path().join("plugin-repo");
    support::copy_dir(&clean, &repo);
    std::fs::write(
        repo.join("tykdeps.toml"),
        "[gateway]\nmodule = \"lab.example/gateway\"\nsnapshot = \"gateway.snapshot.json\"\n",
    )
    .expect("tykdeps.toml is writable");
    make_snapshot(&repo, &online);
    forget_gateway(&work.path().join("modcache"));
    std::fs::write(
        repo.join(".pre-commit-config.yaml"),
        format!(
            "repos:\n  - repo: {}\n    rev: {rev}\n    hooks:\n      - id: tykdeps-audit\n",
            hooks_repo.display()
        ),
    )
    .expect("the pre-commit config is writable");

    let mut env = git_env(work.path());
    env.extend(online);
    env.insert("GOPROXY".into(), "off".into());
    env.insert(
        "PRE_COMMIT_HOME".into(),
        work.path().join("pre-commit").display().to_string(),
    );
    // pre-commit builds the hook with `cargo install`: keep its artifacts
    // between runs, and find cargo and rustup where the test's user has them.
    let target = support::repo_root()
        .join("target")
        .join("pre-commit-install");
    env.insert("CARGO_TARGET_DIR".into(), target.display().to_string());
    for key in ["CARGO_HOME", "RUSTUP_HOME"] {
        if let Some(value) = std::env::var_os(key) {
            env.insert(key.into(), value.to_string_lossy().into_owned());
        } else if let Some(home) = std::env::var_os("HOME") {
            let dir = if key == "CARGO_HOME" {
                ".cargo"
            } else {
                ".rustup"
            };
            env.insert(key.into(), Path::new(&home).join(dir).display().to_string());
        }
    }

    git(&repo, &env, &["init", "-q"]);
    let install = Command::new(&pre_commit)
        .arg("install")
        .current_dir(&repo)
        .envs(&env)
        .output()
        .expect("pre-commit runs");
    assert!(
        install.status.success(),
        "pre-commit install: {}",
        text(&install)
    );

    git(&repo, &env, &["add", "-A"]);
    let first = commit(&repo, &env, "a plugin at the gateway's versions");
    assert!(
        first.status.success(),
        "the clean commit was refused:\n{}",
        text(&first)
    );
    println!("clean commit: passed\n{}", text(&first));

    std::fs::copy(raised.join("go.mod"), repo.join("go.mod")).expect("go.mod is writable");
    std::fs::copy(raised.join("go.sum"), repo.join("go.sum")).expect("go.sum is writable");
    git(&repo, &env, &["add", "-A"]);
    let second = commit(&repo, &env, "raise alpha");
    let output = text(&second);
    assert!(
        !second.status.success(),
        "the commit raising alpha passed:\n{output}"
    );
    // With a snapshot the plugin is assumed built in the docs' workspace,
    // where raising alpha hides the conflict from a locally built gateway.
    assert!(
        output.contains("workspace-hides-conflict") && output.contains("lab.example/alpha"),
        "the refusal names the rule and the module:\n{output}"
    );
    let commits = git(&repo, &env, &["rev-list", "--count", "HEAD"]);
    assert_eq!(
        commits.trim(),
        "1",
        "only the clean commit is in the history"
    );
    println!("raising commit: refused\n{output}");
}
