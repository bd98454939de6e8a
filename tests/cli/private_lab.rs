//! Privacy over the whole load lab: every scenario, in both modes, audited
//! through a logging proxy that serves the lab's modules, once with no
//! private patterns and once per set of GOPRIVATE / GONOPROXY patterns. A
//! request for a path the patterns cover is a private path sent to a proxy:
//! there must be none, whatever else the audit says. The run without
//! patterns shows the patterns cover paths the audits do ask for.

// Privacy tests report what they counted.
#![allow(clippy::print_stdout)]

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use tykdeps_resolver::version::escape::unescape_path;
use tykdeps_resolver::version::module::match_prefix_patterns;

use crate::support;
use crate::support::http_proxy::{TestProxy, percent_decode};
use crate::support::lab::{self, Lab, Mode};

/// (variable, patterns): the lab's modules covered in the ways people
/// write these lists (prefixes, globs, classes, trailing slashes, commas,
/// a case that does not match, the gateway itself, everything).
const PRIVATE: [(&str, &str); 6] = [
    ("GOPRIVATE", "lab.example/alpha"),
    ("GOPRIVATE", "lab.example/*eta*,,lab.example/gam?a/"),
    ("GONOPROXY", "lab.example/[d-g]*"),
    (
        "GOPRIVATE",
        "*.example/incompat, lab.example/legacy,lab.example/pdep/",
    ),
    (
        "GONOPROXY",
        "LAB.EXAMPLE/solo,lab.example/unlinked,lab.example/solo/x",
    ),
    ("GOPRIVATE", "lab.example"),
];

#[test]
fn no_private_path_reaches_the_proxy_in_any_lab_scenario() {
    if !support::have_go() {
        println!("skipped: the go command is not on PATH");
        return;
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("a runtime");
    let lab = Lab::tools_only();
    let proxy = runtime.block_on(TestProxy::start());
    proxy.serve_dir(&lab.proxy_dir());
    let scratch = tempfile::tempdir().expect("a temporary directory");

    let mut audits = 0;
    let mut unprivate_requests = 0;
    let mut leaks = Vec::new();
    let mut private_asked = 0;
    for scenario in lab::scenarios() {
        let source = lab::lab_dir().join("scenarios").join(&scenario);
        for mode in Mode::ALL {
            let (dir, mut env) = lab.copy_for_tools(&source, &format!("private-{scenario}"), mode);
            env.insert("GOPROXY".to_owned(), proxy.url.clone());
            // What this scenario asks for with no patterns set.
            let mut baseline: Vec<String> = Vec::new();
            for private in std::iter::once(None).chain(PRIVATE.iter().map(Some)) {
                // A fresh module cache each time: nothing may be answered
                // from disk that would otherwise have been asked for.
                let cache = scratch.path().join(format!("cache-{audits}"));
                env.insert("GOMODCACHE".to_owned(), cache.display().to_string());
                for key in ["GOPRIVATE", "GONOPROXY", "GONOSUMDB"] {
                    env.insert(key.to_owned(), String::new());
                }
                if let Some((key, patterns)) = private {
                    env.insert((*key).to_owned(), (*patterns).to_owned());
                }
                let before = proxy.log().len();
                audit(&dir, &env, mode);
                audits += 1;
                let asked: Vec<String> = proxy.log()[before..]
                    .iter()
                    .filter_map(|t| requested_module(t))
                    .collect();
                match private {
                    None => {
                        unprivate_requests += asked.len();
                        baseline = asked;
                    }
                    Some((key, patterns)) => {
                        private_asked += baseline_hits(&baseline, patterns);
                        leaks.extend(
                            asked
                                .into_iter()
                                .filter(|path| match_prefix_patterns(patterns, path))
                                .map(|path| {
                                    format!("{scenario} ({mode:?}) {key}={patterns}: {path}")
                                }),
                        );
                    }
                }
                let _ = std::fs::remove_dir_all(&cache);
            }
        }
    }
    println!(
        "private lab: {audits} audits, {} requests without patterns and {private_asked} (request, pattern set) pairs where a set covers the path asked for, {} private paths requested with patterns set",
        unprivate_requests,
        leaks.len()
    );
    assert!(
        private_asked > 0,
        "the patterns cover no path the audits ask for: the test proves nothing"
    );
    assert!(
        leaks.is_empty(),
        "private paths sent to the proxy:\n{}",
        leaks.join("\n")
    );
}

/// How many of the requests made without patterns were for paths `patterns` covers.
fn baseline_hits(baseline: &[String], patterns: &str) -> usize {
    baseline
        .iter()
        .filter(|p| match_prefix_patterns(patterns, p))
        .count()
}

/// The module path a proxy request target asks about
/// (`/lab.example/alpha/@v/v1.2.0.mod` → `lab.example/alpha`).
fn requested_module(target: &str) -> Option<String> {
    let decoded = percent_decode(target);
    let escaped = decoded.strip_prefix('/')?;
    let end = escaped
        .find("/@v/")
        .or_else(|| escaped.find("/@latest"))
        .unwrap_or(escaped.len());
    // An unescapable target is still a request: report it as sent.
    Some(unescape_path(&escaped[..end]).unwrap_or_else(|_| escaped[..end].to_owned()))
}

/// `tykdeps audit` in `dir` against the lab's gateway; the verdict does not
/// matter here (a private module has no source to fetch), only what was asked.
fn audit(dir: &Path, env: &BTreeMap<String, String>, mode: Mode) {
    let mut args = vec![
        "audit",
        "--format",
        "json",
        "--gateway-module",
        "lab.example/gateway",
    ];
    if mode == Mode::Standalone {
        args.extend(["--gateway", lab::GATEWAY]);
    }
    let out = Command::new(env!("CARGO_BIN_EXE_tykdeps"))
        .args(&args)
        .current_dir(dir)
        .envs(env)
        .output()
        .expect("tykdeps runs");
    assert!(
        matches!(out.status.code(), Some(0 | 1 | 3)),
        "{}: tykdeps exited {:?}\n{}",
        dir.display(),
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
}
