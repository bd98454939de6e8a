//! The load lab through a proxy that fails at random: every scenario
//! audited over and over, several at a time, while the proxy answers
//! requests for the lab's files with 404, 410, 500 or 429, resets the
//! connection, cuts a body short, serves garbage or a wrong `.info`, drips
//! the file slowly or never answers. An audit may say `unknown` (exit 3,
//! naming a module and the fault: a garbled file is the proxy's fault, not
//! the user's, so never exit 2); it may never give a verdict other than the
//! one `plugin.Open` gave (corpus/lab/outcomes.json), panic, or run past its
//! deadline. After each faulty audit a clean one, with the cache the faulty
//! run left, must give the right verdict: nothing a fault served was kept.
//!
//! `bench/faulty-proxy.sh` runs it (minutes of load, so not in CI).

// Load tests report what they counted.
#![allow(clippy::print_stdout)]

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crate::support;
use crate::support::http_proxy::{Fault, TestProxy};
use crate::support::lab::{self, Lab, Mode, Record};

/// What each audit is given: the deadline it is asked to keep, and the
/// ceiling past which it counts as hung.
const DEADLINE: &str = "15s";
const CEILING: Duration = Duration::from_secs(45);

/// `bench/faulty-proxy.sh` runs this with TYKDEPS_FAULTY_AUDITS (default 1,000).
#[test]
#[ignore = "a load test of minutes, run by bench/faulty-proxy.sh"]
#[allow(clippy::disallowed_methods)] // the script's knob, read by the test alone
fn audits_under_a_faulty_proxy_at_load() {
    let audits =
        std::env::var("TYKDEPS_FAULTY_AUDITS").map_or(1000, |n| n.parse().expect("a count"));
    run(audits, 4);
}

/// One lab scenario, copied once, with its recorded verdict.
struct Plugin {
    name: String,
    mode: Mode,
    dir: PathBuf,
    env: BTreeMap<String, String>,
    verdict: &'static str,
}

#[derive(Default)]
struct Tally {
    audits: usize,
    right: usize,
    unknown: BTreeMap<String, usize>,
    wrong: Vec<String>,
    clean_wrong: Vec<String>,
    faults: BTreeMap<&'static str, usize>,
}

fn run(audits: usize, at_once: usize) {
    if !support::have_go() {
        println!("skipped: the go command is not on PATH");
        return;
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    let lab = Lab::tools_only();
    let (faulty, clean) =
        runtime.block_on(async { (TestProxy::start().await, TestProxy::start().await) });
    faulty.serve_dir(&lab.proxy_dir());
    clean.serve_dir(&lab.proxy_dir());
    let files: Vec<String> = support::files_where(&lab.proxy_dir(), &|_| true)
        .iter()
        .map(|f| {
            f.strip_prefix(lab.proxy_dir())
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    let scratch = tempfile::tempdir().unwrap();
    let plugins = plugins(&lab);

    let next = AtomicUsize::new(0);
    let tally = Mutex::new(Tally::default());
    let started = Instant::now();
    std::thread::scope(|scope| {
        for _ in 0..at_once {
            scope.spawn(|| {
                loop {
                    let n = next.fetch_add(1, Ordering::Relaxed);
                    if n >= audits {
                        return;
                    }
                    let plugin = &plugins[n % plugins.len()];
                    let mut random = Random(0x9E37_79B9_7F4A_7C15 ^ (n as u64 + 1).wrapping_mul(0x2545_F491_4F6C_DD1D));
                    let faults = inject(&faulty, &files, &mut random);
                    let cache = scratch.path().join(format!("cache-{n}"));
                    let (code, said, stderr) = audit(plugin, &faulty.url, &cache);
                    let (clean_code, clean_said, clean_stderr) = audit(plugin, &clean.url, &cache);
                    let _ = std::fs::remove_dir_all(&cache);
                    let mut t = tally.lock().unwrap();
                    t.audits += 1;
                    for fault in faults {
                        *t.faults.entry(fault).or_default() += 1;
                    }
                    let who = format!("{} ({:?})", plugin.name, plugin.mode);
                    match (code, said.as_str()) {
                        (Some(0 | 1), v) if v == plugin.verdict => t.right += 1,
                        (Some(3), "unknown") => *t.unknown.entry(cause(&stderr)).or_default() += 1,
                        _ => t.wrong.push(format!("{who}: exit {code:?}, said {said:?}, plugin.Open {}\n{stderr}", plugin.verdict)),
                    }
                    if clean_said != plugin.verdict {
                        t.clean_wrong.push(format!(
                            "{who}: clean rerun exit {clean_code:?} said {clean_said:?}, plugin.Open {}\n{clean_stderr}",
                            plugin.verdict
                        ));
                    }
                }
            });
        }
    });
    let t = tally.into_inner().unwrap();
    println!(
        "faulty proxy: {} audits ({at_once} at a time, {:.0?}), {} faults injected: {} right, {} unknown, {} wrong; clean reruns wrong: {}",
        t.audits,
        started.elapsed(),
        t.faults.values().sum::<usize>(),
        t.right,
        t.unknown.values().sum::<usize>(),
        t.wrong.len(),
        t.clean_wrong.len()
    );
    for (fault, n) in &t.faults {
        println!("  fault injected, {fault}: {n}");
    }
    for (cause, n) in &t.unknown {
        println!("  unknown, {cause}: {n}");
    }
    assert!(
        t.wrong.is_empty() && t.clean_wrong.is_empty(),
        "wrong verdicts:\n{}\n\nclean reruns wrong:\n{}",
        t.wrong.join("\n\n"),
        t.clean_wrong.join("\n\n")
    );
    assert!(
        t.unknown.keys().all(|c| !c.starts_with(UNNAMED)),
        "an unknown named no module or no fault"
    );
}

/// Every recorded scenario and mode, copied once, with plugin.Open's verdict.
fn plugins(lab: &Lab) -> Vec<Plugin> {
    let recorded: Record =
        serde_json::from_str(&std::fs::read_to_string(lab::record_path()).unwrap()).unwrap();
    recorded
        .outcomes
        .iter()
        .map(|o| {
            let source = lab::lab_dir().join("scenarios").join(&o.scenario);
            let (dir, env) = lab.copy_for_tools(&source, &format!("faulty-{}", o.scenario), o.mode);
            let loads = o.load.as_deref().is_some_and(|l| l.starts_with("loads:"));
            Plugin {
                name: o.scenario.clone(),
                mode: o.mode,
                dir,
                env,
                verdict: if loads { "loads" } else { "fails" },
            }
        })
        .collect()
}

/// A deterministic xorshift generator: each audit's faults follow from its number.
struct Random(u64);

impl Random {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        usize::try_from(self.0 % n as u64).unwrap()
    }
}

/// Queue one to three faults on random lab files; their kinds.
fn inject(proxy: &TestProxy, files: &[String], random: &mut Random) -> Vec<&'static str> {
    let count = 1 + random.below(3);
    let mut kinds = Vec::new();
    for _ in 0..count {
        let file = &files[random.below(files.len())];
        let (kind, fault) = match random.below(20) {
            0..=2 => ("404", Fault::Status(404)),
            3 => ("410", Fault::Status(410)),
            4..=6 => ("500", Fault::Status(500)),
            7..=8 => ("429", Fault::Status(429)),
            9..=10 => ("reset", Fault::Reset),
            11..=12 => ("body cut short", Fault::Truncate),
            13..=14 => (
                "garbage body",
                Fault::Body(b"\x00garbage\xff not what was asked for".to_vec()),
            ),
            15 => (
                "wrong .info",
                Fault::Body(br#"{"Version":"v9.9.9","Time":"2030-01-01T00:00:00Z"}"#.to_vec()),
            ),
            16..=18 => ("slow drip", Fault::Drip),
            _ => ("never answers", Fault::Hang),
        };
        proxy.fault(file, fault, 1 + random.below(2));
        kinds.push(kind);
    }
    kinds
}

/// `tykdeps audit --format json` of `plugin` through `proxy` with module
/// cache `cache`: exit code, verdict and stderr. Panics past [`CEILING`].
fn audit(plugin: &Plugin, proxy: &str, cache: &std::path::Path) -> (Option<i32>, String, String) {
    let mut args = vec![
        "audit",
        "--format",
        "json",
        "--timeout",
        DEADLINE,
        "--gateway-module",
        "lab.example/gateway",
    ];
    if plugin.mode == Mode::Standalone {
        args.extend(["--gateway", lab::GATEWAY]);
    }
    let child = Command::new(env!("CARGO_BIN_EXE_tykdeps"))
        .args(&args)
        .current_dir(&plugin.dir)
        .envs(&plugin.env)
        .env("GOPROXY", proxy)
        .env("GOMODCACHE", cache)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("tykdeps starts");
    let pid = child.id();
    let (send, receive) = std::sync::mpsc::channel();
    std::thread::spawn(move || send.send(child.wait_with_output()));
    let Ok(output) = receive.recv_timeout(CEILING) else {
        let _ = Command::new("kill").args(["-9", &pid.to_string()]).status();
        panic!(
            "{} ({:?}) ran past {CEILING:?} with a {DEADLINE} deadline",
            plugin.name, plugin.mode
        );
    };
    let output = output.expect("tykdeps runs");
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap_or_default();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let said = json["verdict"].as_str().unwrap_or("(no report)").to_owned();
    let report = format!("{json}\n{stderr}");
    (output.status.code(), said, report)
}

/// How [`cause`] names an unknown that does not say which module or fault.
const UNNAMED: &str = "(unnamed)";

/// The kind of fault an unknown verdict names, from its report and stderr.
fn cause(report: &str) -> String {
    if !report.contains("lab.example/") {
        return format!("{UNNAMED} no module named");
    }
    let causes = [
        ("404", "404 Not Found"),
        ("410", "410 Gone"),
        ("500", "500 Internal Server Error"),
        ("429", "429"),
        ("truncated", "a body cut short"),
        ("deadline", "the deadline"),
        ("timed out", "a timeout"),
        ("connection", "a connection error"),
        ("invalid", "an invalid file"),
        ("unexpected", "an invalid file"),
        ("zip", "a bad zip"),
    ];
    causes
        .iter()
        .find(|(needle, _)| report.contains(needle))
        .map_or_else(
            || format!("{UNNAMED} no fault named (module named)"),
            |(_, c)| (*c).to_owned(),
        )
}
