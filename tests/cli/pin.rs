//! `tykdeps pin` end to end: on every go.mod of both corpora the pinned file
//! means what `go mod edit -require` makes of it, `--dry-run` prints the diff
//! and writes nothing, and a malformed go.mod, a bad argument or a directory
//! that cannot be written gives exit 2 and leaves the file as it was.
#![expect(
    clippy::print_stdout,
    reason = "oracle tests report what they compared"
)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use tykdeps_resolver::gomod::{self, Mode};
use tykdeps_resolver::version::semver;

use crate::support;

fn tykdeps(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tykdeps"))
        .args(args)
        .output()
        .expect("tykdeps runs")
}

/// A fresh directory holding `text` as its go.mod.
fn module_dir(text: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("go.mod"), text).unwrap();
    dir
}

fn go_mods() -> Vec<PathBuf> {
    let mut roots = vec![support::own_corpus()];
    roots.extend(support::shared_corpus());
    let bad = support::own_corpus().join("bad");
    roots
        .iter()
        .flat_map(|root| support::find_files(root, "go.mod"))
        .filter(|p| !p.starts_with(&bad))
        .collect()
}

/// Pins worth checking in `text`: a new version of its first and last
/// requirements, and a module it does not require.
fn pins(text: &str) -> Vec<String> {
    let Ok(file) = gomod::parse_mod("go.mod", text, Mode::Strict) else {
        return Vec::new();
    };
    let mut pins = vec!["example.com/tykdeps/pinned@v1.4.0".to_owned()];
    for r in [file.require.first(), file.require.last()]
        .into_iter()
        .flatten()
    {
        let incompatible = if semver::build(&r.version).is_empty() {
            ""
        } else {
            "+incompatible"
        };
        let major = semver::major(&r.version);
        pins.push(format!("{}@{major}.77.1{incompatible}", r.path));
    }
    pins.dedup();
    pins
}

#[test]
fn pin_means_what_go_mod_edit_require_means() {
    if !support::have_go() {
        println!("skipped: no go command");
        return;
    }
    let (mut same, mut total, mut refused) = (0, 0, 0);
    let mut failures = Vec::new();
    for file in go_mods() {
        let text = std::fs::read_to_string(&file).unwrap();
        for pin in pins(&text) {
            total += 1;
            let ours = module_dir(&text);
            let out = tykdeps(&["pin", &pin, &ours.path().display().to_string()]);
            let theirs = module_dir(&text);
            let go = support::go_mod_edit_json(theirs.path(), &[&format!("-require={pin}")]);
            if out.status.code() == Some(2) {
                // Refused: go must not have produced a readable file either.
                refused += 1;
                if let Ok(json) = go {
                    failures.push(format!(
                        "{} {pin}: we refuse, go gives {json}",
                        file.display()
                    ));
                }
                continue;
            }
            let mine = support::go_mod_edit_json(ours.path(), &[]);
            if out.status.success()
                && mine.clone().map(support::unordered_json)
                    == go.clone().map(support::unordered_json)
            {
                same += 1;
            } else {
                failures.push(format!(
                    "{} {pin}: exit {:?} {}\n  go:   {go:?}\n  ours: {mine:?}",
                    file.display(),
                    out.status.code(),
                    String::from_utf8_lossy(&out.stderr)
                ));
            }
        }
    }
    println!(
        "tykdeps pin vs go mod edit -require: {same}/{} identical in meaning ({refused} refused by both)",
        total - refused
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(same >= 200, "only {same} pins compared");
}

#[test]
fn dry_run_prints_the_diff_and_writes_nothing() {
    let text = "module example.com/p\n\ngo 1.22\n\nrequire (\n\tgithub.com/pkg/errors v0.9.0 // keep me\n)\n";
    let dir = module_dir(text);
    let arg = dir.path().display().to_string();
    let out = tykdeps(&["pin", "github.com/pkg/errors@v0.9.1", &arg, "--dry-run"]);
    assert_eq!(out.status.code(), Some(0));
    let diff = String::from_utf8(out.stdout).unwrap();
    assert!(
        diff.contains("-\tgithub.com/pkg/errors v0.9.0 // keep me\n")
            && diff.contains("+\tgithub.com/pkg/errors v0.9.1 // keep me\n"),
        "{diff}"
    );
    assert_eq!(
        diff.lines().filter(|l| l.starts_with(['+', '-'])).count(),
        4
    );
    assert_eq!(read(dir.path()), text);

    let out = tykdeps(&["pin", "github.com/pkg/errors@v0.9.1", &arg]);
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
    assert_eq!(read(dir.path()), text.replace("v0.9.0", "v0.9.1"));
}

fn read(dir: &Path) -> String {
    std::fs::read_to_string(dir.join("go.mod")).unwrap()
}

#[test]
fn malformed_go_mod_files_and_arguments_exit_2_and_change_nothing() {
    let mut checked = 0;
    for bad in support::sorted_entries(&support::own_corpus().join("bad")) {
        if bad.extension().is_none_or(|e| e != "mod") {
            continue;
        }
        let text = std::fs::read(&bad).unwrap();
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("go.mod"), &text).unwrap();
        let arg = dir.path().display().to_string();
        let out = tykdeps(&["pin", "example.com/x@v1.0.0", &arg]);
        assert_eq!(out.status.code(), Some(2), "{}", bad.display());
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("go.mod"),
            "{}",
            bad.display()
        );
        assert_eq!(std::fs::read(dir.path().join("go.mod")).unwrap(), text);
        checked += 1;
    }
    let text = "module example.com/p\n";
    let dir = module_dir(text);
    let arg = dir.path().display().to_string();
    for pin in [
        "example.com/x",
        "example.com/x@v1",
        "example.com/x@v2.0.0",
        "Bad Path@v1.0.0",
    ] {
        let out = tykdeps(&["pin", pin, &arg]);
        assert_eq!(out.status.code(), Some(2), "{pin}");
        assert_eq!(read(dir.path()), text);
        checked += 1;
    }
    let missing = dir.path().join("nowhere").display().to_string();
    assert_eq!(
        tykdeps(&["pin", "example.com/x@v1.0.0", &missing])
            .status
            .code(),
        Some(2)
    );
    println!("pin: {checked} malformed inputs refused with exit 2, files unchanged");
}

#[cfg(unix)]
#[test]
fn a_directory_that_cannot_be_written_exits_2_and_changes_nothing() {
    use std::os::unix::fs::PermissionsExt;
    let text = "module example.com/p\n\nrequire example.com/x v1.0.0\n";
    let dir = module_dir(text);
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o555)).unwrap();
    let arg = dir.path().display().to_string();
    let args = ["pin", "example.com/x@v1.1.0", arg.as_str()];
    let out = if std::fs::write(dir.path().join("probe"), "").is_err() {
        tykdeps(&args)
    } else {
        // Root ignores directory permissions: run as nobody instead.
        std::fs::remove_file(dir.path().join("probe")).unwrap();
        let Some(out) = as_nobody(&args) else {
            println!("skipped: running as root without setpriv");
            return;
        };
        out
    };
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("cannot write") && stderr.contains("unchanged"),
        "{stderr}"
    );
    assert_eq!(read(dir.path()), text);
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no temporary file left"
    );
}

/// Run tykdeps as the unprivileged user `nobody`, if `setpriv` is there.
fn as_nobody(args: &[&str]) -> Option<Output> {
    Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .arg(env!("CARGO_BIN_EXE_tykdeps"))
        .args(args)
        .output()
        .ok()
        .filter(|o| o.status.code() != Some(127))
}
