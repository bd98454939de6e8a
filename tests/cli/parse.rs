//! `tykdeps parse` end to end: `--json` equals the go command's JSON for every
//! corpus file, and every broken file gets a diagnostic naming the line go
//! names, exit code 2, and no change on disk.
#![expect(
    clippy::print_stdout,
    reason = "oracle tests report what they compared"
)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::support;

fn tykdeps(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tykdeps"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("tykdeps runs")
}

/// go.mod/go.work files of both corpora (bad ones excluded).
fn good_files() -> Vec<PathBuf> {
    let bad = support::own_corpus().join("bad");
    let mut roots = vec![support::own_corpus()];
    roots.extend(support::shared_corpus());
    let mut files = Vec::new();
    for root in &roots {
        for name in ["go.mod", "go.work"] {
            files.extend(
                support::find_files(root, name)
                    .into_iter()
                    .filter(|p| !p.starts_with(&bad)),
            );
        }
    }
    files
}

fn go_edit_json(dir: &Path, name: &str) -> Output {
    let tool = if Path::new(name).extension().is_some_and(|e| e == "work") {
        "work"
    } else {
        "mod"
    };
    let env =
        support::hermetic_go_env("off", &std::env::temp_dir().join("tykdeps-parse-cli-cache"));
    support::go(dir, &env, [tool, "edit", "-json", name])
}

/// The line numbers go names in its `name:LINE[:COL]: message` errors.
fn go_error_lines(stderr: &[u8], name: &str) -> Vec<usize> {
    let prefix = format!("{name}:");
    String::from_utf8_lossy(stderr)
        .lines()
        .filter_map(|l| l.strip_prefix(&prefix))
        .filter_map(|rest| rest.split(':').next()?.parse().ok())
        .collect()
}

/// The directory listing and every file's bytes, to prove nothing changed.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    support::sorted_entries(dir)
        .into_iter()
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap_or_default();
            (p, bytes)
        })
        .collect()
}

/// The lines go names in a malformed go.sum: go reads go.sum only while
/// loading a module graph, so the file is put beside a go.mod that requires
/// a module from a local proxy.
fn go_sum_error_lines(go_sum: &Path) -> Vec<usize> {
    let root = tempfile::tempdir().unwrap();
    let leaf = "module example.com/leaf\n";
    let proxy = support::file_proxy(root.path(), &[("example.com/leaf", "v1.0.0", leaf)]);
    let main = root.path().join("main");
    std::fs::create_dir_all(&main).unwrap();
    let go_mod = "module example.com/main\n\ngo 1.21\n\nrequire example.com/leaf v1.0.0\n";
    std::fs::write(main.join("go.mod"), go_mod).unwrap();
    std::fs::copy(go_sum, main.join("go.sum")).unwrap();
    let mut env = support::hermetic_go_env(&proxy, &root.path().join("cache"));
    env.insert("GOFLAGS".into(), "-mod=mod -modcacherw".into());
    let out = support::go(&main, &env, ["list", "-m", "all"]);
    assert!(!out.status.success(), "go accepts {}", go_sum.display());
    let full_name = main.join("go.sum").display().to_string();
    go_error_lines(&out.stderr, &full_name)
}

#[test]
fn json_equals_go_edit_json() {
    if !support::have_go() {
        return;
    }
    let files = good_files();
    let mut same = 0;
    for file in &files {
        let dir = file.parent().unwrap();
        let name = file.file_name().unwrap().to_str().unwrap();
        let go = go_edit_json(dir, name);
        let ours = tykdeps(dir, &["parse", "--json", name]);
        if go.status.success() {
            assert!(
                ours.status.success(),
                "{}: {}",
                file.display(),
                String::from_utf8_lossy(&ours.stderr)
            );
            let go: serde_json::Value = serde_json::from_slice(&go.stdout).unwrap();
            let ours: serde_json::Value = serde_json::from_slice(&ours.stdout).unwrap();
            assert_eq!(ours, go, "{}", file.display());
        } else {
            let line = go_error_lines(&go.stderr, name)[0];
            assert_eq!(ours.status.code(), Some(2), "{}", file.display());
            assert!(
                String::from_utf8_lossy(&ours.stderr).contains(&format!("{name}:{line}")),
                "{}",
                file.display()
            );
        }
        same += 1;
    }
    println!("go.mod oracle: {same}/{} identical", files.len());
}

#[test]
fn bad_files_name_go_s_line_and_change_nothing() {
    if !support::have_go() {
        return;
    }
    let dir = support::own_corpus().join("bad");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    let before = snapshot(&dir);
    let mut checked = 0;
    for name in &names {
        let expected = if Path::new(name).extension().is_some_and(|e| e == "sum") {
            go_sum_error_lines(&dir.join(name))
        } else {
            let go = go_edit_json(&dir, name);
            assert!(!go.status.success(), "go accepts {name}");
            go_error_lines(&go.stderr, name)
        };
        let ours = tykdeps(&dir, &["parse", "--json", name]);
        let stderr = String::from_utf8_lossy(&ours.stderr);
        assert_eq!(ours.status.code(), Some(2), "{name}: {stderr}");
        assert!(ours.stdout.is_empty(), "{name} printed data");
        assert!(
            stderr.contains(&format!("{name}:{}", expected[0])),
            "{name}: go names line {expected:?}, we said:\n{stderr}"
        );
        checked += 1;
    }
    assert_eq!(snapshot(&dir), before, "parse changed corpus/bad");
    println!("bad files: {checked}/{} rejected at go's line", names.len());
    assert!(checked >= 30);
}

#[test]
fn generated_hostile_inputs_are_refused_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.mod");
    std::fs::write(&big, "// padding\n".repeat(1_000_000)).unwrap();
    let nested = dir.path().join("nested.mod");
    std::fs::write(
        &nested,
        format!("module example.com/m\nrequire {}\n", "(".repeat(100_000)),
    )
    .unwrap();
    let latin1 = dir.path().join("go.sum");
    std::fs::write(&latin1, b"example.com/a v1.0.0 h1:\xe9=\n").unwrap();
    let before = snapshot(dir.path());
    for (name, needle) in [
        ("big.mod", "at most"),
        ("nested.mod", "nested.mod:"),
        ("go.sum", "not UTF-8"),
        ("missing.mod", "cannot read"),
        ("notes.txt", "--kind"),
    ] {
        let out = tykdeps(dir.path(), &["parse", name]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{name}: {stderr}");
        assert!(stderr.contains(needle), "{name}: {stderr}");
    }
    if support::have_go() {
        let go = go_edit_json(dir.path(), "nested.mod");
        let line = go_error_lines(&go.stderr, "nested.mod")[0];
        let out = tykdeps(dir.path(), &["parse", "nested.mod"]);
        assert!(String::from_utf8_lossy(&out.stderr).contains(&format!("nested.mod:{line}")));
    }
    assert_eq!(snapshot(dir.path()), before);
}

#[test]
fn summary_and_kind_flag() {
    let dir = support::own_corpus().join("gomod/everything");
    let out = tykdeps(&dir, &["parse", "go.mod"]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("module     example.com/all") && text.contains("toolchain  go1.24.2"),
        "{text}"
    );
    let tmp = tempfile::tempdir().unwrap();
    std::fs::copy(dir.join("go.mod"), tmp.path().join("deps.txt")).unwrap();
    let out = tykdeps(
        tmp.path(),
        &["parse", "--kind", "mod", "--json", "deps.txt"],
    );
    assert!(out.status.success());
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["Module"]["Path"], "example.com/all");
}
