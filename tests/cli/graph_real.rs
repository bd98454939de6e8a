//! `tykdeps graph` against `go list -m all` on the real Tyk gateway releases
//! and plugins of the shared corpus, through the real module proxy.
//!
//! The go command runs first and fills a module cache shared by the whole
//! test; tykdeps then runs with `GOPROXY=off` over that cache. It reads only
//! the cached `.mod` files and computes the build list itself: go's answer
//! is never an input. go.mod files the go command cannot resolve (revoked
//! versions, private modules) are counted as "go rejects too" when tykdeps
//! also fails on them. Set `TYKDEPS_SKIP_NETWORK=1` to skip this test.
#![expect(
    clippy::print_stdout,
    clippy::disallowed_methods,
    reason = "oracle tests report what they compared; the skip switch is read from the environment"
)]

use std::path::Path;
use std::process::Command;

use crate::support;

/// What a test through the real module proxy needs: the shared corpus and a
/// private copy of the binary (such a test runs for minutes, and a build
/// sharing the target directory may replace target/debug/tykdeps meanwhile).
/// `None`, saying why, when the test is skipped.
pub(crate) fn real_proxy_setup()
-> Option<(std::path::PathBuf, tempfile::TempDir, std::path::PathBuf)> {
    if std::env::var("TYKDEPS_SKIP_NETWORK").as_deref() == Ok("1") || !support::have_go() {
        println!("skipped: TYKDEPS_SKIP_NETWORK=1 or no go command");
        return None;
    }
    let corpus = support::shared_corpus()?;
    let bin_dir = tempfile::tempdir().expect("a temp dir");
    let bin = bin_dir.path().join("tykdeps");
    std::fs::copy(env!("CARGO_BIN_EXE_tykdeps"), &bin).expect("copy the binary");
    Some((corpus, bin_dir, bin))
}

#[test]
fn real_oracle_graph_equals_go_list() {
    let Some((corpus, _bin_dir, bin)) = real_proxy_setup() else {
        return;
    };
    let modcache = tempfile::tempdir().expect("a temp module cache");
    let (mut identical, mut both_reject, mut failures) = (0, 0, Vec::new());
    let files = support::find_files(&corpus, "go.mod");
    for go_mod in &files {
        match compare(&bin, go_mod.parent().expect("a directory"), modcache.path()) {
            Outcome::Identical => identical += 1,
            Outcome::BothReject => both_reject += 1,
            Outcome::Differ(why) => failures.push(format!("{}: {why}", go_mod.display())),
        }
    }
    println!(
        "graph real oracle: {identical}/{} identical to go list -m all, {both_reject} rejected by go too",
        files.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

enum Outcome {
    Identical,
    BothReject,
    Differ(String),
}

fn compare(bin: &Path, dir: &Path, modcache: &Path) -> Outcome {
    let tmp = tempfile::tempdir().expect("a temp dir");
    for name in ["go.mod", "go.sum"] {
        if dir.join(name).is_file() {
            std::fs::copy(dir.join(name), tmp.path().join(name)).expect("copy");
        }
    }
    let mut env = support::hermetic_go_env("https://proxy.golang.org", modcache);
    env.insert("GOFLAGS".to_owned(), "-mod=mod".to_owned());
    let go = support::go(tmp.path(), &env, ["list", "-m", "all"]);
    std::fs::copy(dir.join("go.mod"), tmp.path().join("go.mod")).expect("restore go.mod");
    env.insert("GOPROXY".to_owned(), "off".to_owned());
    let ours = Command::new(bin)
        .arg("graph")
        .current_dir(tmp.path())
        .envs(&env)
        .output()
        .expect("tykdeps runs");
    match (go.status.success(), ours.status.success()) {
        (true, true) if go.stdout == ours.stdout => Outcome::Identical,
        (false, false) => Outcome::BothReject,
        (g, o) => Outcome::Differ(format!(
            "go ok={g}, tykdeps ok={o}\n--- go\n{}{}--- tykdeps\n{}{}",
            String::from_utf8_lossy(&go.stdout),
            String::from_utf8_lossy(&go.stderr),
            String::from_utf8_lossy(&ours.stdout),
            String::from_utf8_lossy(&ours.stderr)
        )),
    }
}
