//! The proxy metadata cache as the binary uses it, on the shipped example
//! (`corpus/examples/audit`) served by a logging HTTP proxy: a second audit
//! within the time to live sends the proxy nothing, `--refresh` asks again,
//! a damaged cache file is ignored and rewritten, and when the proxy cannot
//! be asked the metadata rules are skipped (or answered from expired
//! entries) with one note saying so, the exit code unchanged. A private
//! module's metadata never goes to the proxy. A proxy's 403 for a go.mod is
//! kept for the time to live, by the proxy that gave it.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::{Command, Output};

use serde_json::Value;

use crate::support;
use crate::support::http_proxy::{Fault, TestProxy};

/// A scratch copy of the example plugin, its module cache, and the example
/// proxy served over HTTP.
struct Served {
    _runtime: tokio::runtime::Runtime,
    proxy: TestProxy,
    dir: tempfile::TempDir,
    env: BTreeMap<String, String>,
}

impl Served {
    fn new() -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("a runtime");
        let proxy = runtime.block_on(TestProxy::start());
        let root = support::repo_root().join("corpus/examples/audit/proxy");
        for file in support::find_files_ending(&root, "") {
            let rel = file.strip_prefix(&root).expect("below the root");
            proxy.file(
                &rel.to_string_lossy(),
                std::fs::read(&file).expect("a proxy file"),
            );
        }
        let dir = tempfile::tempdir().expect("a scratch dir");
        let example = support::repo_root().join("corpus/examples/audit/plugin");
        let plugin = dir.path().join("plugin");
        std::fs::create_dir(&plugin).expect("plugin dir");
        for name in ["go.mod", "plugin.go"] {
            std::fs::copy(example.join(name), plugin.join(name)).expect("copy");
        }
        let env = support::hermetic_go_env(&proxy.url, &dir.path().join("modcache"));
        Self {
            _runtime: runtime,
            proxy,
            dir,
            env,
        }
    }

    fn audit(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_tykdeps"))
            .args(["audit", "--format", "json", "--gateway-module"])
            .arg("example.com/gateway")
            .args(args)
            .current_dir(self.dir.path().join("plugin"))
            .envs(&self.env)
            .envs(env.iter().copied())
            .output()
            .expect("tykdeps runs")
    }

    fn cache(&self) -> PathBuf {
        PathBuf::from(&self.env["GOMODCACHE"]).join("cache/tykdeps/metadata-v2")
    }

    /// Requests since `from` for version lists and `@latest`.
    fn metadata_requests(&self, from: usize) -> Vec<String> {
        self.proxy.log()[from..]
            .iter()
            .filter(|t| t.ends_with("/@v/list") || t.ends_with("/@latest"))
            .cloned()
            .collect()
    }
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("audit JSON: {e}: {}", String::from_utf8_lossy(&out.stderr)))
}

/// (rule, severity, module) of every finding, sorted.
fn rules(report: &Value) -> Vec<(String, String, String)> {
    let mut found: Vec<(String, String, String)> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            let s = |k: &str| f[k].as_str().unwrap_or_default().to_owned();
            (s("rule"), s("severity"), s("module"))
        })
        .collect();
    found.sort();
    found
}

fn note(report: &Value) -> String {
    let notes: Vec<&Value> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule"] == "fetch-failed")
        .collect();
    assert_eq!(notes.len(), 1, "one fetch-failed finding: {notes:?}");
    assert_eq!(notes[0]["severity"], "note");
    notes[0]["message"].as_str().expect("a message").to_owned()
}

#[test]
fn a_second_audit_within_the_ttl_asks_the_proxy_nothing_and_refresh_asks_again() {
    let s = Served::new();
    let first = s.audit(&[], &[]);
    assert_eq!(first.status.code(), Some(1));
    let asked = s.metadata_requests(0);
    assert!(
        asked.iter().any(|t| t == "/example.com/oldlib/@v/list"),
        "the first audit asks for version lists: {asked:?}"
    );
    assert!(s.cache().is_file(), "the answers are kept");

    let before = s.proxy.log().len();
    let second = s.audit(&[], &[]);
    assert_eq!(first.stdout, second.stdout, "the kept answers say the same");
    assert_eq!(
        s.proxy.log()[before..],
        [] as [String; 0],
        "a warm audit within the time to live sends no request at all"
    );

    let before = s.proxy.log().len();
    let refreshed = s.audit(&["--refresh"], &[]);
    assert_eq!(first.stdout, refreshed.stdout);
    assert_eq!(
        s.metadata_requests(before).len(),
        asked.len(),
        "--refresh asks every metadata question again"
    );

    let before = s.proxy.log().len();
    let expired = s.audit(&["--metadata-ttl", "0"], &[]);
    assert_eq!(first.stdout, expired.stdout);
    assert_eq!(s.metadata_requests(before).len(), asked.len());
}

#[test]
fn a_damaged_cache_file_is_ignored_and_rewritten() {
    let s = Served::new();
    let first = s.audit(&[], &[]);
    let good = std::fs::read(s.cache()).expect("the cache is written");
    let mut flipped = good.clone();
    let last = flipped.len() - 5;
    flipped[last] ^= 0x01;
    for damaged in [good[..good.len() - 2].to_vec(), flipped, b"junk".to_vec()] {
        std::fs::write(s.cache(), &damaged).expect("damage the cache");
        // The audit output memo would answer without the metadata.
        let memo = s.cache().with_file_name("audits-v1");
        let _ = std::fs::remove_dir_all(memo);
        let before = s.proxy.log().len();
        let out = s.audit(&[], &[]);
        assert_eq!(
            first.stdout, out.stdout,
            "a damaged cache changes no answer"
        );
        assert!(
            !s.metadata_requests(before).is_empty(),
            "a damaged cache is not used"
        );
        let rewritten = std::fs::read(s.cache()).expect("rewritten");
        assert_ne!(rewritten, damaged, "the damaged file is replaced");
        let before = s.proxy.log().len();
        assert_eq!(first.stdout, s.audit(&[], &[]).stdout);
        assert!(
            s.metadata_requests(before).is_empty(),
            "the rewritten file is used"
        );
    }
}

#[test]
fn offline_the_metadata_rules_are_skipped_or_answered_from_expired_entries_with_a_note() {
    let s = Served::new();
    let online = s.audit(&[], &[]);
    let online = (online.status.code(), json(&online));
    let expected_online = rules(&online.1);
    assert!(
        expected_online
            .iter()
            .any(|(r, _, m)| r == "retracted" && m == "example.com/oldlib"),
        "{expected_online:?}"
    );

    // Expired entries stand in, and the note says so.
    let stale = s.audit(&["--metadata-ttl", "0"], &[("GOPROXY", "off")]);
    assert_eq!(stale.status.code(), online.0, "the exit code is unchanged");
    let report = json(&stale);
    let mut want = expected_online.clone();
    want.push(("fetch-failed".into(), "note".into(), String::new()));
    want.sort();
    assert_eq!(rules(&report), want);
    let message = note(&report);
    assert!(
        message.contains("older than the metadata time to live")
            && message.contains("example.com/oldlib")
            && message.contains("GOPROXY=off"),
        "{message}"
    );

    // Nothing kept: the rules are skipped, and the note says which and why.
    std::fs::remove_file(s.cache()).expect("empty the metadata cache");
    let before = s.proxy.log().len();
    let offline = s.audit(&[], &[("GOPROXY", "off")]);
    assert_eq!(s.proxy.log().len(), before, "GOPROXY=off asks nothing");
    assert_eq!(
        offline.status.code(),
        online.0,
        "the exit code is unchanged"
    );
    let report = json(&offline);
    let mut want: Vec<_> = expected_online
        .iter()
        .filter(|(r, _, _)| r != "retracted" && r != "deprecated")
        .cloned()
        .collect();
    want.push(("fetch-failed".into(), "note".into(), String::new()));
    want.sort();
    assert_eq!(rules(&report), want);
    let message = note(&report);
    assert!(
        message.contains("retracted and deprecated rules were skipped")
            && message.contains("example.com/oldlib")
            && message.contains("module lookup disabled by GOPROXY=off"),
        "{message}"
    );
    assert!(!s.cache().exists(), "failures are not kept");
}

#[test]
fn a_private_modules_metadata_never_goes_to_the_proxy() {
    let s = Served::new();
    let out = s.audit(&[], &[]);
    assert_eq!(out.status.code(), Some(1));
    std::fs::remove_file(s.cache()).expect("empty the metadata cache");
    let before = s.proxy.log().len();
    let private = s.audit(&[], &[("GOPRIVATE", "example.com/oldlib")]);
    assert_eq!(private.status.code(), Some(1));
    let sent = &s.proxy.log()[before..];
    assert!(
        !sent.iter().any(|t| t.contains("oldlib")),
        "a private module is not sent: {sent:?}"
    );
    let message = note(&json(&private));
    assert!(
        message.contains("example.com/oldlib") && message.contains("GOPRIVATE"),
        "{message}"
    );
}

/// The verdict and the fetch-failed warning of an audit that could not
/// fetch a go.mod.
fn unfetched(out: &Output) -> (String, String) {
    let report = json(out);
    let warnings: Vec<&Value> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule"] == "fetch-failed" && f["severity"] == "warning")
        .collect();
    assert_eq!(warnings.len(), 1, "one warning: {warnings:?}");
    let message = warnings[0]["message"].as_str().expect("a message");
    (report["verdict"].to_string(), message.to_owned())
}

#[test]
fn a_proxys_refusal_of_a_go_mod_is_kept_for_the_ttl_by_the_proxy_that_gave_it() {
    let s = Served::new();
    let refused = "example.com/logger/@v/v1.0.0.mod";
    s.proxy.always(refused, Fault::Status(403));
    let first = s.audit(&[], &[]);
    assert_eq!(first.status.code(), Some(3), "unknown");
    let (verdict, live) = unfetched(&first);
    assert!(
        live.contains(&format!("reading {}/{refused}: 403 Forbidden", s.proxy.url)),
        "the proxy and its answer are named: {live}"
    );
    assert_eq!(s.proxy.hits(refused), 1, "asked once");

    let second = s.audit(&[], &[]);
    assert_eq!(
        s.proxy.hits(refused),
        1,
        "within the time to live it is not asked"
    );
    assert_eq!(second.status.code(), Some(3));
    assert_eq!(
        unfetched(&second),
        (verdict.clone(), live.clone()),
        "the same verdict and words as the live answer"
    );

    let localhost = s.proxy.url.replace("127.0.0.1", "localhost");
    for (why, args, env) in [
        ("--refresh", &["--refresh"][..], &[][..]),
        ("a zero time to live", &["--metadata-ttl", "0"][..], &[][..]),
        (
            "another GOPROXY",
            &[][..],
            &[("GOPROXY", localhost.as_str())][..],
        ),
    ] {
        let before = s.proxy.hits(refused);
        let out = s.audit(args, env);
        assert_eq!(s.proxy.hits(refused), before + 1, "{why} asks again");
        assert_eq!(out.status.code(), Some(3), "{why}");
        let proxy = env.first().map_or(s.proxy.url.as_str(), |(_, p)| p);
        let said = (verdict.clone(), live.replace(&s.proxy.url, proxy));
        assert_eq!(unfetched(&out), said, "{why}");
    }
}
