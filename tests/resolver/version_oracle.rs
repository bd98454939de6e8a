//! The version oracle: every function of `tykdeps_resolver::version` asked
//! the same questions as golang.org/x/mod (and go/version for `gover`), on
//! thousands of real and generated inputs, through the Go program in
//! `tests/version-oracle`. Every answer must match, error messages included.

// Oracle tests report what they compared.
#![allow(clippy::print_stdout)]

mod answers;
mod cases;
mod inputs;
mod privacy;
mod soup;

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use serde::Deserialize;
use tykdeps_resolver::goenv::GoEnv;
use tykdeps_resolver::version::module;

use crate::support;

/// One answer of the Go program.
#[derive(Debug, Deserialize)]
struct GoAnswer {
    #[serde(rename = "fn")]
    function: String,
    #[serde(rename = "in")]
    input: Vec<String>,
    out: String,
}

#[test]
fn version_functions_agree_with_x_mod() {
    if !support::have_go() {
        println!("skipped: the go command is not on PATH");
        return;
    }
    let corpus = support::shared_corpus();
    let request = inputs::request(corpus.as_deref());
    let inputs = request.versions.len()
        + request.pairs.len()
        + request.paths.len()
        + request.path_majors.len()
        + request.globs.len()
        + request.gover.len()
        + request.gover_pairs.len()
        + request.pseudo_builds.len();
    assert!(
        inputs >= 2000,
        "only {inputs} inputs: the generators lost cases"
    );

    let go_answers = run_oracle(&request);
    let disagreements: Vec<String> = go_answers
        .iter()
        .filter_map(|a| {
            let ours = answers::answer(&a.function, &a.input);
            (ours != a.out).then(|| {
                format!(
                    "{}({:?})\n    go:   {:?}\n    rust: {:?}",
                    a.function, a.input, a.out, ours
                )
            })
        })
        .collect();
    println!(
        "version oracle: {}/{} answers agree ({} versions, {} paths, {} version pairs, {} path/major pairs, \
         {} pattern/path pairs, {} Go versions, {} Go version pairs, {} pseudo-version builds{})",
        go_answers.len() - disagreements.len(),
        go_answers.len(),
        request.versions.len(),
        request.paths.len(),
        request.pairs.len(),
        request.path_majors.len(),
        request.globs.len(),
        request.gover.len(),
        request.gover_pairs.len(),
        request.pseudo_builds.len(),
        if corpus.is_some() {
            "; shared corpus included"
        } else {
            "; generated cases only"
        },
    );
    assert!(
        disagreements.is_empty(),
        "{} answers differ from x/mod ({}); the first 20:\n{}",
        disagreements.len(),
        count_by_function(&disagreements),
        disagreements
            .iter()
            .take(20)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert_every_function_asked(&go_answers);
}

/// GOPRIVATE, GONOPROXY and GONOSUMDB decide which paths never reach a
/// proxy or the checksum database: on 12,000 generated pattern lists, the
/// matcher and the environment built on it must say what x/mod's
/// `MatchPrefixPatterns` says, for every variable.
#[test]
fn private_patterns_agree_with_x_mod() {
    if !support::have_go() {
        println!("skipped: the go command is not on PATH");
        return;
    }
    let request = inputs::Request {
        globs: privacy::pairs(12_000),
        ..inputs::Request::default()
    };
    let go_answers = run_oracle(&request);
    assert_eq!(go_answers.len(), request.globs.len());
    let mut private = 0;
    let mut disagreements = Vec::new();
    for a in &go_answers {
        let [patterns, path] = [&a.input[0], &a.input[1]];
        let go_private = a.out == "true";
        private += usize::from(go_private);
        let env = |key: &str| {
            let vars = BTreeMap::from([(key.to_owned(), patterns.clone())]);
            GoEnv::new(&vars, &BTreeMap::new()).expect("no GOFLAGS, no error")
        };
        let ours = [
            (
                "match_prefix_patterns",
                module::match_prefix_patterns(patterns, path),
            ),
            ("GOPRIVATE → no proxy", env("GOPRIVATE").is_no_proxy(path)),
            ("GOPRIVATE → no sumdb", env("GOPRIVATE").is_no_sumdb(path)),
            ("GONOPROXY", env("GONOPROXY").is_no_proxy(path)),
            ("GONOSUMDB", env("GONOSUMDB").is_no_sumdb(path)),
        ];
        for (what, answer) in ours {
            if answer != go_private {
                disagreements.push(format!(
                    "{what}: patterns {patterns:?} path {path:?}: go {go_private}, rust {answer}"
                ));
            }
        }
    }
    println!(
        "private patterns: {} pattern/path pairs compared with x/mod ({private} private), {} disagreements",
        go_answers.len(),
        disagreements.len()
    );
    assert!(
        private * 10 > go_answers.len() && private * 10 < go_answers.len() * 9,
        "the generator should make both private and public paths: {private} private"
    );
    assert!(
        disagreements.is_empty(),
        "the first 20:\n{}",
        disagreements[..disagreements.len().min(20)].join("\n")
    );
}

/// Build the Go program (fetching golang.org/x/mod through the module proxy
/// on first use) and run it once over the whole request.
fn run_oracle(request: &inputs::Request) -> Vec<GoAnswer> {
    let bin_dir = tempfile::tempdir().expect("a temporary directory");
    let exe = support::build_go_helper("version-oracle", bin_dir.path());
    run_program(
        &exe,
        &serde_json::to_vec(request).expect("the request serialises"),
    )
}

fn run_program(exe: &Path, stdin: &[u8]) -> Vec<GoAnswer> {
    let mut child = Command::new(exe)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the version oracle starts");
    // The program reads the whole request before it writes, so writing
    // first and reading after cannot deadlock.
    child
        .stdin
        .take()
        .expect("stdin is piped")
        .write_all(stdin)
        .expect("the version oracle reads its request");
    let output = child
        .wait_with_output()
        .expect("the version oracle finishes");
    assert!(
        output.status.success(),
        "the version oracle failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout)
        .expect("the version oracle writes a JSON array of answers")
}

fn count_by_function(disagreements: &[String]) -> String {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for d in disagreements {
        *counts.entry(d.split('(').next().unwrap_or(d)).or_default() += 1;
    }
    counts
        .iter()
        .map(|(f, n)| format!("{f}: {n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Guard against a request that silently stops exercising a function.
fn assert_every_function_asked(go_answers: &[GoAnswer]) {
    let asked: BTreeSet<&str> = go_answers.iter().map(|a| a.function.as_str()).collect();
    assert_eq!(asked.len(), 29, "functions asked: {asked:?}");
}
