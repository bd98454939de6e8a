//! `tykdeps graph` and `tykdeps why` on bad input: the documented exit codes
//! (2 for a go.mod that cannot be used, 3 when module data cannot be
//! fetched), a message naming the file or module, and no output on stdout.

use std::path::Path;
use std::process::{Command, Output};

use crate::support;

/// Run tykdeps in `dir` over the corpus proxy with `-mod=mod`; GOWORK is
/// unset, so a go.work above `dir` is found as the go command finds it.
fn tykdeps(dir: &Path, args: &[&str]) -> Output {
    run(dir, args, "-mod=mod")
}

fn run(dir: &Path, args: &[&str], goflags: &str) -> Output {
    let proxy = format!("file://{}", support::own_corpus().join("proxy").display());
    let modcache = dir.join(".modcache");
    let mut env = support::hermetic_go_env(&proxy, &modcache);
    env.remove("GOWORK");
    env.insert("GOFLAGS".to_owned(), goflags.to_owned());
    Command::new(env!("CARGO_BIN_EXE_tykdeps"))
        .args(args)
        .current_dir(dir)
        .env_remove("GOWORK")
        .envs(env)
        .output()
        .expect("tykdeps runs")
}

fn scenario_copy(name: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("a temp dir");
    support::copy_dir(
        &support::own_corpus().join("scenarios").join(name),
        tmp.path(),
    );
    tmp
}

#[test]
fn a_malformed_go_mod_exits_2_naming_the_line() {
    let tmp = tempfile::tempdir().expect("a temp dir");
    std::fs::write(
        tmp.path().join("go.mod"),
        "module example.com/m\n\ngo 1.22\n\nrequire example.com/a\n",
    )
    .expect("write go.mod");
    let out = tykdeps(tmp.path(), &["graph"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("go.mod:5"), "{stderr}");
}

#[test]
fn a_module_the_proxy_lacks_exits_3_naming_the_chain() {
    let tmp = scenario_copy("missing-module");
    let out = tykdeps(tmp.path(), &["graph"]);
    assert_eq!(out.status.code(), Some(3));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("example.com/a@v1.9.9"), "{stderr}");
}

#[test]
fn conflicting_workspace_replaces_exit_2() {
    let tmp = scenario_copy("workspace-conflict");
    // Workspaces reject -mod=mod, as go does.
    let out = run(&tmp.path().join("one"), &["graph"], "");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("conflicting replacements for example.com/c"),
        "{stderr}"
    );
}

/// Two plugins with one module path in one workspace: the go command
/// refuses before any build, and so do `tykdeps graph` and `tykdeps audit`
/// (exit 2), in go's words, naming both directories.
#[test]
fn two_plugins_with_one_module_path_in_a_workspace_exit_2_before_any_build() {
    let tmp = tempfile::tempdir().expect("a temp dir");
    for dir in ["a", "b"] {
        let plugin = tmp.path().join(dir);
        std::fs::create_dir(&plugin).expect("a plugin dir");
        std::fs::write(
            plugin.join("go.mod"),
            "module example.com/plugin\n\ngo 1.21\n",
        )
        .expect("go.mod");
        std::fs::write(plugin.join("main.go"), "package main\n\nfunc main() {}\n")
            .expect("main.go");
    }
    std::fs::write(
        tmp.path().join("go.work"),
        "go 1.21\n\nuse (\n\t./a\n\t./b\n)\n",
    )
    .expect("go.work");
    let said = "module example.com/plugin appears multiple times in workspace";
    if support::have_go() {
        let mut env = support::hermetic_go_env("off", &tmp.path().join(".modcache"));
        env.remove("GOWORK");
        env.insert("GOFLAGS".to_owned(), String::new());
        let go = support::go(
            &tmp.path().join("a"),
            &env,
            ["build", "-buildmode=plugin", "-o", "a.so", "."],
        );
        let stderr = String::from_utf8_lossy(&go.stderr);
        assert!(
            !go.status.success() && stderr.contains(said),
            "go: {stderr}"
        );
    }
    for args in [
        &["graph"][..],
        &["audit", "--gateway-module", "example.com/gateway"][..],
    ] {
        let out = run(&tmp.path().join("a"), args, "");
        // miette wraps the message: compare its words.
        let stderr = String::from_utf8_lossy(&out.stderr)
            .split_whitespace()
            .filter(|w| *w != "│")
            .collect::<Vec<_>>()
            .join(" ");
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains(said) && stderr.contains("plugin already loaded"),
            "{args:?}: {stderr}"
        );
        assert!(out.stdout.is_empty(), "{args:?}");
    }
}

#[test]
fn why_prints_every_chain_to_the_selected_version() {
    let tmp = scenario_copy("diamond");
    let out = tykdeps(tmp.path(), &["why", "example.com/c"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "# example.com/c v1.1.0\n\
         example.com/main -> example.com/c@v1.1.0\n\
         example.com/main -> example.com/a@v1.1.0 -> example.com/c@v1.1.0\n"
    );
}
