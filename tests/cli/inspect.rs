//! `tykdeps inspect` against `go version -m`: the text must be byte-identical
//! and the JSON build info equal to `go version -m -json`, for the toolchain's
//! own executables and the lab's.
#![allow(
    clippy::print_stdout,
    reason = "oracle tests report what they compared"
)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::binary_lab;
use crate::support;

fn tykdeps(args: &[&str], file: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_tykdeps"))
        .args(args)
        .arg(file)
        .output()
        .expect("tykdeps runs")
}

/// `go`, `gofmt` and every tool in `pkg/tool/<os_arch>/`.
fn toolchain_executables() -> Vec<PathBuf> {
    let out = support::go(
        Path::new("."),
        &BTreeMap::new(),
        ["env", "GOROOT", "GOHOSTOS", "GOHOSTARCH"],
    );
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let [goroot, os, arch] = text.lines().collect::<Vec<_>>()[..] else {
        panic!("go env: {text}")
    };
    let goroot = PathBuf::from(goroot);
    let mut files = vec![goroot.join("bin/go"), goroot.join("bin/gofmt")];
    let tools = goroot.join(format!("pkg/tool/{os}_{arch}"));
    files.extend(support::sorted_entries(&tools));
    files
}

#[test]
fn inspect_equals_go_version_m() {
    if !support::have_go() {
        return;
    }
    let mut files = toolchain_executables();
    if let Some(lab) = binary_lab::lab() {
        files.extend(lab.executables());
    }
    let mut same = 0;
    for file in &files {
        let ours = tykdeps(&["inspect"], file);
        let go = support::go(
            Path::new("."),
            &BTreeMap::new(),
            [Path::new("version"), Path::new("-m"), file],
        );
        assert!(
            ours.status.success(),
            "{}: {}",
            file.display(),
            String::from_utf8_lossy(&ours.stderr)
        );
        assert_eq!(
            String::from_utf8_lossy(&ours.stdout),
            String::from_utf8_lossy(&go.stdout),
            "{}",
            file.display()
        );
        let ours: serde_json::Value =
            serde_json::from_slice(&tykdeps(&["inspect", "--json"], file).stdout).expect("JSON");
        let go = support::go(
            Path::new("."),
            &BTreeMap::new(),
            [
                Path::new("version"),
                Path::new("-m"),
                Path::new("-json"),
                file,
            ],
        );
        let go: serde_json::Value = serde_json::from_slice(&go.stdout).expect("go JSON");
        assert_eq!(ours["build_info"], go, "{}", file.display());
        same += 1;
    }
    println!(
        "inspect: {same}/{} identical to go version -m (text and JSON)",
        files.len()
    );
    assert!(same >= 10);
}

#[test]
fn plugins_show_hashes_and_plugin_path() {
    let Some(lab) = binary_lab::lab() else { return };
    let out = tykdeps(&["inspect", "--symbols"], &lab.path("a.so"));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("pluginpath\texample.com/pluga\n"), "{text}");
    assert!(text.contains("\texample.com/shared\t"), "{text}");
    assert!(text.contains("needed\tlibc.so.6\n"), "{text}");
    let host = tykdeps(&["inspect", "--json"], &lab.path("host-stripped"));
    let json: serde_json::Value = serde_json::from_slice(&host.stdout).expect("JSON");
    assert_eq!(
        json["elf"]["hashes"]["source"], "dynsym",
        "a stripped host keeps its hashes in .dynsym"
    );
}

#[test]
fn rejects_what_is_not_a_go_binary() {
    let dir = tempfile::tempdir().expect("temp dir");
    let script = dir.path().join("script.sh");
    std::fs::write(&script, "#!/bin/sh\n").expect("write");
    let out = tykdeps(&["inspect"], &script);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("script.sh") && err.contains("not an ELF file"),
        "{err}"
    );
    let missing = tykdeps(&["inspect"], &dir.path().join("missing"));
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("missing"));
    let not_go = tykdeps(&["inspect"], Path::new("/bin/sh"));
    assert_eq!(not_go.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&not_go.stderr).contains("not a Go binary"));
}
