//! `tykdeps cache dir` names `$GOMODCACHE/cache/tykdeps`, and `tykdeps
//! cache clean` removes exactly that directory, saying what each store
//! held, and leaves the module files the go command also uses.

use std::path::Path;
use std::process::{Command, Output};

use crate::support;

fn tykdeps(args: &[&str], dir: &Path, env: &std::collections::BTreeMap<String, String>) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tykdeps"))
        .args(args)
        .current_dir(dir)
        .envs(env)
        .output()
        .expect("tykdeps runs")
}

#[test]
fn cache_dir_names_the_stores_and_clean_removes_only_them() {
    let dir = tempfile::tempdir().expect("a scratch dir");
    let example = support::repo_root().join("corpus/examples/audit");
    let plugin = dir.path().join("plugin");
    support::copy_dir(&example.join("plugin"), &plugin);
    let proxy = format!("file://{}", example.join("proxy").display());
    let modcache = dir.path().join("modcache");
    let env = support::hermetic_go_env(&proxy, &modcache);

    let out = tykdeps(&["cache", "dir"], &plugin, &env);
    assert_eq!(out.status.code(), Some(0));
    let ours = modcache.join("cache/tykdeps");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        format!("{}\n", ours.display())
    );

    let out = tykdeps(&["cache", "clean"], &plugin, &env);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        String::from_utf8_lossy(&out.stdout).starts_with("nothing to remove"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );

    let audit = ["audit", "--gateway-module", "example.com/gateway"];
    assert_eq!(tykdeps(&audit, &plugin, &env).status.code(), Some(1));
    let go_files = support::find_files_ending(&modcache.join("cache/download"), ".mod");
    assert!(!go_files.is_empty(), "the audit fetched module files");
    let stores: Vec<String> = std::fs::read_dir(&ours)
        .expect("the audit kept what it learned")
        .map(|e| {
            e.expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    let out = tykdeps(&["cache", "clean"], &plugin, &env);
    assert_eq!(out.status.code(), Some(0));
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.starts_with(&format!("removed {}\n", ours.display())),
        "{said}"
    );
    for store in [
        "summaries-v3",
        "facts-v2",
        "metadata-v2",
        "audits-v1",
        "gateway-builds-v1",
    ] {
        assert!(stores.iter().any(|s| s == store), "{stores:?}");
        assert!(said.contains(&format!("  {store}: ")), "{said}");
    }
    assert!(!ours.exists(), "the stores are gone");
    assert_eq!(
        support::find_files_ending(&modcache.join("cache/download"), ".mod"),
        go_files,
        "the go command's files stay"
    );
}
