//! One deadline for a run's network work: a proxy that accepts connections
//! and never answers stalls nothing past `--timeout` (or `TYKDEPS_TIMEOUT`),
//! and the report says `unknown`, naming what did not answer.

use std::collections::BTreeMap;
use std::net::TcpListener;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::support;

/// A server on a loopback port that accepts every connection and never
/// writes a byte; it stops when the test process ends.
fn silent_server() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
    let address = listener.local_addr().expect("an address");
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming().flatten().take(64) {
            held.push(stream);
        }
        std::thread::sleep(Duration::from_secs(120));
    });
    format!("http://{address}")
}

/// A copy of the example plugin (in `plugin/` of the returned directory),
/// its GOPROXY a [`silent_server`]: the directory, the proxy and the
/// environment.
fn example_behind_a_silent_proxy() -> (tempfile::TempDir, String, BTreeMap<String, String>) {
    let work = tempfile::tempdir().expect("a scratch dir");
    let example = support::repo_root().join("corpus/examples/audit/plugin");
    let plugin = work.path().join("plugin");
    std::fs::create_dir(&plugin).unwrap();
    for name in ["go.mod", "plugin.go"] {
        std::fs::copy(example.join(name), plugin.join(name)).unwrap();
    }
    let proxy = silent_server();
    let env = support::hermetic_go_env(&proxy, &work.path().join("modcache"));
    (work, proxy, env)
}

#[test]
fn a_proxy_that_never_answers_ends_at_the_deadline_with_the_cause_named() {
    let (work, proxy, env) = example_behind_a_silent_proxy();
    let plugin = work.path().join("plugin");
    for (args, timeout_env) in [(vec!["--timeout", "3s"], None), (vec![], Some("3s"))] {
        let started = Instant::now();
        let mut command = Command::new(env!("CARGO_BIN_EXE_tykdeps"));
        command
            .args([
                "audit",
                "--format",
                "json",
                "--gateway-module",
                "example.com/gateway",
            ])
            .args(&args)
            .current_dir(&plugin)
            .envs(&env)
            .env_remove("TYKDEPS_TIMEOUT");
        if let Some(value) = timeout_env {
            command.env("TYKDEPS_TIMEOUT", value);
        }
        let out = command.output().expect("tykdeps runs");
        let took = started.elapsed();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(3), "{stderr}");
        assert!(took < Duration::from_secs(8), "took {took:?}");
        assert!(stderr.contains("within the deadline of 3s"), "{stderr}");
        assert!(
            stderr.contains(&format!("{proxy}/example.com/gateway/@v/")),
            "the request that did not answer is named: {stderr}"
        );
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("a JSON report");
        assert_eq!(report["verdict"], "unknown");
        assert_eq!(report["findings"][0]["rule"], "fetch-failed");
    }
}

#[test]
fn a_matrix_shares_one_deadline_across_its_gateways() {
    let (work, _, env) = example_behind_a_silent_proxy();
    let plugin = work.path().join("plugin");
    // Six gateways each waiting out a deadline of its own would take 18 s
    // in turn, 9 s on two cores: the run's deadline is one.
    let gateways = (0..6).flat_map(|i| {
        [
            "--gateway".to_owned(),
            format!("example.com/gateway@v1.{i}.0"),
        ]
    });
    let started = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_tykdeps"))
        .args(["audit", "--format", "json", "--timeout", "3s"])
        .args(["--gateway-module", "example.com/gateway"])
        .args(gateways)
        .current_dir(&plugin)
        .envs(&env)
        .env_remove("TYKDEPS_TIMEOUT")
        .output()
        .expect("tykdeps runs");
    let took = started.elapsed();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(took < Duration::from_secs(8), "took {took:?}");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("a JSON report");
    let cells = report["matrix"].as_array().expect("a matrix");
    assert_eq!(cells.len(), 6);
    assert!(cells.iter().all(|c| c["verdict"] == "unknown"), "{report}");
}
