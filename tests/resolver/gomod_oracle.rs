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
    let mut files: Vec<PathBuf> = std::fs::read_dir(support::own_corpus().join("bad"))
        .expect("corpus/bad exists")
        .map(|e| e.expect("readable directory").path())
        .filter(|p| {
            p.extension()
                .is_some_and(|x| extensions.iter().any(|e| x == *e))
        })
        .collect();
    files.sort();
    files
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
