//! The go.mod/go.work parser against the go command: for every file of the
//! corpora, `go mod edit -json` / `go work edit -json` and our JSON agree, and
//! where go rejects a file our errors read exactly as go's.
#![expect(
    clippy::print_stdout,
    reason = "oracle tests report what they compared"
)]

use std::path::{Path, PathBuf};

use tykdeps_resolver::gomod::{self, Mode};

use crate::support;

/// Every go.mod and go.work of both corpora, and every `*.mod`/`*.work` in
/// `corpus/bad/`.
pub(crate) fn oracle_files() -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut roots = vec![support::own_corpus()];
    roots.extend(support::shared_corpus());
    for root in &roots {
        for name in ["go.mod", "go.work"] {
            files.extend(
                support::find_files(root, name)
                    .into_iter()
                    .filter(|p| !p.starts_with(support::own_corpus().join("bad"))),
            );
        }
    }
    files.extend(bad_files(&["mod", "work"]));
    files
}

/// The files of `corpus/bad/` with one of `extensions`.
pub(crate) fn bad_files(extensions: &[&str]) -> Vec<PathBuf> {
    support::sorted_entries(&support::own_corpus().join("bad"))
        .into_iter()
        .filter(|p| {
            p.extension()
                .is_some_and(|x| extensions.iter().any(|e| x == *e))
        })
        .collect()
}

/// What the go command makes of a file: its JSON, or its error lines
/// (`name:line: message`, the file named as given).
pub(crate) fn go_reading(file: &Path) -> Result<serde_json::Value, String> {
    let dir = file.parent().expect("a file has a directory");
    let name = file.file_name().expect("a file name");
    let tool = if file.extension().is_some_and(|e| e == "work") {
        "work"
    } else {
        "mod"
    };
    let env = support::hermetic_go_env(
        "off",
        &std::env::temp_dir().join("tykdeps-gomod-oracle-cache"),
    );
    let out = support::go(
        dir,
        &env,
        [
            std::ffi::OsStr::new(tool),
            "edit".as_ref(),
            "-json".as_ref(),
            name,
        ],
    );
    if out.status.success() {
        return Ok(serde_json::from_slice(&out.stdout).expect("go prints JSON"));
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    let errors: Vec<&str> = stderr
        .lines()
        .skip_while(|l| l.starts_with("go: errors parsing") || l.starts_with("errors parsing"))
        .collect();
    Err(errors.join("\n"))
}

#[test]
fn go_mod_and_go_work_match_go_edit_json() {
    if !support::have_go() {
        println!("skipped: no go command");
        return;
    }
    let files = oracle_files();
    let mut same = 0;
    let mut failures = Vec::new();
    for file in &files {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(file).expect("corpus files are UTF-8");
        let ours = if file.extension().is_some_and(|e| e == "work") {
            gomod::parse_work(&name, &text).map(|f| gomod::work_json(&f))
        } else {
            gomod::parse_mod(&name, &text, Mode::Strict).map(|f| gomod::mod_json(&f))
        };
        let ours = ours.map_err(|e| e.to_string());
        if ours == go_reading(file) {
            same += 1;
        } else {
            failures.push(format!(
                "{}:\n  go:   {:?}\n  ours: {:?}",
                file.display(),
                go_reading(file),
                ours
            ));
        }
    }
    println!(
        "go.mod oracle: {same}/{} identical (JSON, or error text where go rejects)",
        files.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(files.len() >= 50, "the corpora hold at least 50 files");
}

#[test]
fn go_sum_matches_a_plain_field_split() {
    let Some(shared) = support::shared_corpus() else {
        return;
    };
    let files = support::find_files(&shared, "go.sum");
    let mut lines = 0;
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        let parsed = gomod::parse_sum("go.sum", &text).expect("real go.sum files parse");
        let plain: Vec<Vec<&str>> = text
            .lines()
            .map(|l| l.split(' ').filter(|f| !f.is_empty()).collect::<Vec<_>>())
            .filter(|f| !f.is_empty())
            .collect();
        assert_eq!(parsed.lines.len(), plain.len(), "{}", file.display());
        for (line, fields) in parsed.lines.iter().zip(&plain) {
            let version = if line.go_mod {
                format!("{}/go.mod", line.version)
            } else {
                line.version.clone()
            };
            assert_eq!(
                [line.path.as_str(), version.as_str(), line.hash.as_str()],
                fields.as_slice()
            );
            assert_eq!(
                &text[line.span.start..line.span.end],
                text.lines()
                    .nth(text[..line.span.start].matches('\n').count())
                    .unwrap()
            );
        }
        lines += plain.len();
    }
    println!(
        "go.sum: {} files, {lines} lines identical to a plain field split",
        files.len()
    );
}

#[test]
fn format_round_trips_the_corpus() {
    let mut count = 0;
    for file in oracle_files() {
        let text = std::fs::read_to_string(&file).unwrap();
        let Ok(parsed) = gomod::parse_mod("go.mod", &text, Mode::Lax) else {
            continue;
        };
        let printed = gomod::format(&parsed.syntax);
        let again =
            gomod::parse_mod("go.mod", &printed, Mode::Lax).expect("formatted output parses");
        assert_eq!(gomod::format(&again.syntax), printed, "{}", file.display());
        assert_eq!(
            gomod::mod_json(&again),
            gomod::mod_json(&parsed),
            "{}",
            file.display()
        );
        count += 1;
    }
    println!("format round trip: {count} files");
}

/// A file:// proxy serving `example.com/leaf` v1.0.0 and v1.1.0, and
/// `example.com/dep` v1.0.0 with `dep_go_mod` as its go.mod, and a main
/// module requiring the dependency; returns the proxy URL.
fn proxy_with_dependency(root: &Path, dep_go_mod: &str) -> String {
    let leaf = "module example.com/leaf\n";
    let proxy = support::file_proxy(
        root,
        &[
            ("example.com/leaf", "v1.0.0", leaf),
            ("example.com/leaf", "v1.1.0", leaf),
            ("example.com/dep", "v1.0.0", dep_go_mod),
        ],
    );
    let main = root.join("main");
    std::fs::create_dir_all(&main).unwrap();
    let go_mod = "module example.com/main\n\ngo 1.22\n\nrequire example.com/dep v1.0.0\n";
    std::fs::write(main.join("go.mod"), go_mod).unwrap();
    proxy
}

/// Lax mode against the go command reading a dependency's go.mod: go's
/// `go mod graph` edges from the dependency equal our requirements, `go list`
/// shows the same go version, and a go.mod that go refuses we refuse with go's text.
#[test]
fn lax_mode_reads_dependency_go_mod_as_go_does() {
    if !support::have_go() {
        return;
    }
    let files = support::sorted_entries(&support::own_corpus().join("lax"));
    let mut refused = 0;
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        let root = tempfile::tempdir().unwrap();
        let proxy = proxy_with_dependency(root.path(), &text);
        let mut env = support::hermetic_go_env(&proxy, &root.path().join("cache"));
        env.insert("GOFLAGS".into(), "-mod=mod -modcacherw".into());
        let out = support::go(&root.path().join("main"), &env, ["mod", "graph"]);
        let ours = gomod::parse_mod("go.mod", &text, Mode::Lax);
        if out.status.success() {
            let graph = String::from_utf8(out.stdout).unwrap();
            // Module edges only: whether go adds a `go@` edge depends on the
            // version (a loader matter); the version itself is checked below.
            let go_edges: Vec<&str> = graph
                .lines()
                .filter_map(|l| l.strip_prefix("example.com/dep@v1.0.0 "))
                .filter(|to| !to.starts_with("go@"))
                .collect();
            let ours =
                ours.unwrap_or_else(|e| panic!("{}: go accepts it, we say {e}", file.display()));
            let our_edges: Vec<String> = ours
                .require
                .iter()
                .map(|r| format!("{}@{}", r.path, r.version))
                .collect();
            let listed = support::go(
                &root.path().join("main"),
                &env,
                ["list", "-m", "-f", "{{.GoVersion}}", "example.com/dep"],
            );
            let go_version = String::from_utf8(listed.stdout).unwrap();
            assert_eq!(
                go_version.trim(),
                ours.go.as_ref().map_or("", |g| g.version.as_str()),
                "{}",
                file.display()
            );
            assert_eq!(go_edges, our_edges, "{}", file.display());
        } else {
            let stderr = String::from_utf8_lossy(&out.stderr);
            let error = ours
                .err()
                .unwrap_or_else(|| panic!("{}: go refuses it: {stderr}", file.display()));
            assert!(
                stderr.contains(&error.to_string()),
                "{}: go says {stderr}, we say {error}",
                file.display()
            );
            refused += 1;
        }
    }
    println!(
        "lax oracle: {}/{} dependency go.mod files read as go reads them ({refused} refused by both)",
        files.len(),
        files.len()
    );
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(150))]

    /// Differential test: random go.mod and go.work texts, read by go and by
    /// us, give the same JSON or the same error text.
    #[test]
    fn random_files_read_as_go_reads_them(text in crate::gomod_roundtrip::go_mod_text(), work in proptest::bool::ANY) {
        if !support::have_go() {
            return Ok(());
        }
        let dir = tempfile::tempdir().unwrap();
        let name = if work { "go.work" } else { "go.mod" };
        let file = dir.path().join(name);
        std::fs::write(&file, &text).unwrap();
        let ours = if work {
            gomod::parse_work(name, &text).map(|f| gomod::work_json(&f))
        } else {
            gomod::parse_mod(name, &text, Mode::Strict).map(|f| gomod::mod_json(&f))
        };
        proptest::prop_assert_eq!(ours.map_err(|e| e.to_string()), go_reading(&file), "text:\n{}", text);
    }
}

/// cmd/go's main-module checks against `go list -m`: the files of
/// `corpus/main/` that go refuses we refuse with go's message, the others we
/// accept.
#[test]
fn main_module_checks_match_go_list() {
    if !support::have_go() {
        return;
    }
    let files = support::sorted_entries(&support::own_corpus().join("main"));
    let mut refused = 0;
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("go.mod"), &text).unwrap();
        let env = support::hermetic_go_env("off", &dir.path().join("cache"));
        let out = support::go(dir.path(), &env, ["list", "-m"]);
        let parsed =
            gomod::parse_mod("go.mod", &text, Mode::Strict).expect("corpus/main files parse");
        let ours = gomod::check_main_module("go.mod", &text, &parsed);
        let stderr = String::from_utf8_lossy(&out.stderr);
        match ours {
            Ok(()) => assert!(
                out.status.success(),
                "{}: go refuses it: {stderr}",
                file.display()
            ),
            Err(e) => {
                assert!(
                    !out.status.success(),
                    "{}: go accepts it, we say {e}",
                    file.display()
                );
                let message = &e.errors()[0].message;
                assert!(
                    stderr.contains(message.as_str()),
                    "{}: go says {stderr}, we say {message}",
                    file.display()
                );
                refused += 1;
            }
        }
    }
    println!(
        "main-module oracle: {}/{} agree with go list -m ({refused} refused)",
        files.len(),
        files.len()
    );
}
