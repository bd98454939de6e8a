//! Which toolchain the go command runs, against the go command itself:
//! `go env GOVERSION` in a directory holding a go.mod (and sometimes a
//! go.work) with every combination of `GOTOOLCHAIN`, `go` line and
//! `toolchain` line below. go never switches here: under `path` it names the
//! toolchain it cannot find on PATH, under `auto` the one it cannot
//! download with `GOPROXY=off`; otherwise it prints its own version.

// Oracle tests report what they compared.
#![allow(clippy::print_stdout)]

use std::fmt::Write as _;
use std::process::Command;

use tykdeps_resolver::version::toolchain::{self, FileLines};

use crate::support;

const GOTOOLCHAINS: &[&str] = &[
    "",
    "auto",
    "path",
    "local",
    "local+auto",
    "local+path",
    "go1.22.0",
    "go1.27.1",
    "go1.27.1+auto",
    "go1.22.0+path",
    "go1.30.0+path",
    "bash",
    "go1.2+fast",
    "default",
];
const GO_LINES: &[&str] = &[
    "", "1.16", "1.21", "1.22.3", "1.26", "1.27", "1.27rc1", "1.30.1",
];
const TOOLCHAIN_LINES: &[&str] = &[
    "",
    "go1.25.0",
    "go1.27.2",
    "go1.28.0-custom",
    "default",
    "1.22",
    "gccgo-go1.27.0",
];

/// What go says it runs: the toolchain it looks for or downloads, its own
/// version, or its error.
fn go_answer(dir: &std::path::Path, gotoolchain: &str) -> String {
    let out = Command::new("go")
        .args(["env", "GOVERSION"])
        .current_dir(dir)
        .env("GOTOOLCHAIN", gotoolchain)
        .env("GOPROXY", "off")
        .env("GOENV", "off")
        .env_remove("GOWORK")
        .output()
        .expect("go runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let first = stderr.lines().next().unwrap_or("");
    if let Some(rest) = first.strip_prefix("go: cannot find \"") {
        return rest.split('"').next().unwrap_or("").to_owned();
    }
    if let Some(rest) = first.strip_prefix("go: downloading ") {
        return rest.split(' ').next().unwrap_or("").to_owned();
    }
    if out.status.success() {
        return String::from_utf8_lossy(&out.stdout).trim().to_owned();
    }
    first.strip_prefix("go: ").unwrap_or(first).to_owned()
}

#[test]
fn selection_equals_the_go_command() {
    if !support::have_go() {
        println!("skipped: no go command");
        return;
    }
    let dir = tempfile::tempdir().expect("a temporary directory");
    let local = go_answer(dir.path(), "local");
    let (mut compared, mut differ) = (0, Vec::new());
    for in_work in [false, true] {
        for go in GO_LINES {
            for line in TOOLCHAIN_LINES {
                let mut text = String::new();
                if !go.is_empty() {
                    let _ = writeln!(text, "go {go}");
                }
                if !line.is_empty() {
                    let _ = writeln!(text, "toolchain {line}");
                }
                let (name, body) = if in_work {
                    ("go.work", text.clone())
                } else {
                    ("go.mod", format!("module example.com/m\n{text}"))
                };
                let _ = std::fs::remove_file(dir.path().join("go.work"));
                std::fs::write(dir.path().join("go.mod"), "module example.com/m\n")
                    .expect("go.mod");
                std::fs::write(dir.path().join(name), &body).expect("the file is writable");
                let lines = FileLines {
                    file: name,
                    go: toolchain::go_mod_lookup(&body, "go"),
                    toolchain: toolchain::go_mod_lookup(&body, "toolchain"),
                };
                for gotoolchain in GOTOOLCHAINS {
                    let ours = toolchain::select(gotoolchain, &local, Some(lines))
                        .map_or_else(|e| e.to_string(), |s| s.toolchain);
                    let theirs = go_answer(dir.path(), gotoolchain);
                    compared += 1;
                    if ours != theirs {
                        differ.push(format!(
                            "GOTOOLCHAIN={gotoolchain:?} {name}: {body:?}: go {theirs:?}, tykdeps {ours:?}"
                        ));
                    }
                }
            }
        }
    }
    println!(
        "toolchain selection: {} of {compared} equal to go",
        compared - differ.len()
    );
    assert!(
        differ.is_empty(),
        "{} differ:\n{}",
        differ.len(),
        differ.join("\n")
    );
}
