//! The binary lab: a small gateway-like host and plugins built with the real go
//! command, opened with the real `plugin.Open`, and the outcome compared with what
//! `tykdeps audit` predicts from the files alone.
//!
//! One lab is built per test process (builds share the go build cache) and the
//! inspect tests reuse its binaries.
#![allow(
    clippy::print_stdout,
    reason = "oracle tests report what they compared"
)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use serde_json::Value;

use crate::support;

/// The Go release an "other release" plugin is built with (through the module
/// proxy, as `GOTOOLCHAIN` does).
const OTHER_RELEASE: &str = "go1.25.5";

/// The lab's files: a host and plugins.
pub(crate) struct Lab {
    _dir: tempfile::TempDir,
    pub(crate) root: PathBuf,
    /// Plugin a built by another Go release, when that toolchain could be had.
    pub(crate) other_release: Option<PathBuf>,
    /// Plugin a built by the previous patch release of the local toolchain.
    pub(crate) other_patch: Option<PathBuf>,
    /// Plugin a built with `GOAMD64=v2` (amd64 only): it loads into the v1 host,
    /// the architecture level is not part of any fingerprint.
    pub(crate) amd64_v2: Option<PathBuf>,
}

impl Lab {
    pub(crate) fn path(&self, name: &str) -> PathBuf {
        self.root.join(name)
    }

    /// Every executable the lab built.
    pub(crate) fn executables(&self) -> Vec<PathBuf> {
        ["host", "host-stripped", "host-race"]
            .iter()
            .map(|n| self.path(n))
            .collect()
    }
}

/// The lab, built once per process; `None` without the go command.
pub(crate) fn lab() -> Option<&'static Lab> {
    static LAB: OnceLock<Option<Lab>> = OnceLock::new();
    LAB.get_or_init(|| support::have_go().then(build_lab))
        .as_ref()
}

/// A package only plugins import: the host does not define it, so the first
/// plugin the loader maps defines it for every later one.
const EXTRA: &[(&str, &str)] = &[
    (
        "extra.go",
        "package extra\n\nfunc X() string { return Kind }\n",
    ),
    (
        "kind_plain.go",
        "//go:build !special\n\npackage extra\n\nconst Kind = \"plain\"\n",
    ),
    (
        "kind_special.go",
        "//go:build special\n\npackage extra\n\nconst Kind = \"special\"\n",
    ),
];

/// The file that makes plugins b and c import `extra`.
const USES_EXTRA: &str =
    "package main\n\nimport \"example.com/shared/extra\"\n\nvar _ = extra.X()\n";

const SHARED: &[(&str, &str)] = &[
    ("go.mod", "module example.com/shared\n\ngo 1.22\n"),
    (
        "shared.go",
        "package shared\n\nvar Var = 1\n\nfunc Hello() string { return \"hello \" + Mode }\n",
    ),
    (
        "mode_plain.go",
        "//go:build !special\n\npackage shared\n\nconst Mode = \"plain\"\n",
    ),
    (
        "mode_special.go",
        "//go:build special\n\npackage shared\n\nconst Mode = \"special\"\n",
    ),
];

fn dep(version: &str, body: &str) -> Vec<(&'static str, String)> {
    vec![
        ("go.mod", "module example.com/dep\n\ngo 1.22\n".to_owned()),
        (
            "dep.go",
            format!(
                "package dep\n\n// Version is the release.\nconst Version = \"{version}\"\n\n{body}\n"
            ),
        ),
    ]
}

fn main_module(
    path: &str,
    dep_version: &str,
    dep_dir: &str,
    body: &str,
) -> Vec<(&'static str, String)> {
    vec![
        (
            "go.mod",
            format!(
                "module {path}\n\ngo 1.22\n\nrequire (\n\texample.com/shared v0.0.0\n\texample.com/dep {dep_version}\n)\n\n\
                 replace example.com/shared => ../src-shared\n\nreplace example.com/dep => ../src-{dep_dir}\n"
            ),
        ),
        (
            "main.go",
            format!(
                "package main\n\nimport (\n\t\"example.com/dep\"\n\t\"example.com/shared\"\n)\n\n{body}\n"
            ),
        ),
    ]
}

const HOST_BODY: &str = "import (\n\t\"fmt\"\n\t\"os\"\n\t\"plugin\"\n)\n\n\
    var _ = dep.Version + shared.Hello()\n\n\
    func main() {\n\tfor _, p := range os.Args[1:] {\n\t\tif _, err := plugin.Open(p); err != nil {\n\t\t\t\
    fmt.Printf(\"%s\\t%v\\n\", p, err)\n\t\t} else {\n\t\t\tfmt.Printf(\"%s\\tok\\n\", p)\n\t\t}\n\t}\n}";

fn write_tree(dir: &Path, files: &[(&str, String)]) {
    std::fs::create_dir_all(dir).expect("lab dir");
    for (name, text) in files {
        std::fs::write(dir.join(name), text).expect("lab file");
    }
}

fn go_env(lab: &Path) -> BTreeMap<String, String> {
    let modcache = support::go(lab, &BTreeMap::new(), ["env", "GOMODCACHE"]);
    let modcache = String::from_utf8_lossy(&modcache.stdout).trim().to_owned();
    let mut env = support::hermetic_go_env("off", Path::new(&modcache));
    env.insert("GOFLAGS".to_owned(), "-mod=mod -buildvcs=false".to_owned());
    env
}

fn build(dir: &Path, env: &BTreeMap<String, String>, args: &[&str]) -> bool {
    let out = support::go(
        dir,
        env,
        std::iter::once("build").chain(args.iter().copied()),
    );
    if !out.status.success() {
        println!(
            "go build {args:?} in {}: {}",
            dir.display(),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    out.status.success()
}

/// The lab's module sources: the shared modules, the host and each plugin.
fn write_sources(root: &Path) {
    let shared: Vec<(&str, String)> = SHARED.iter().map(|(n, t)| (*n, (*t).to_owned())).collect();
    write_tree(&root.join("src-shared"), &shared);
    let extra: Vec<(&str, String)> = EXTRA.iter().map(|(n, t)| (*n, (*t).to_owned())).collect();
    write_tree(&root.join("src-shared/extra"), &extra);
    write_tree(
        &root.join("src-dep1"),
        &dep("v1.0.0", "func F() int { return 1 }"),
    );
    write_tree(
        &root.join("src-dep2"),
        &dep("v1.1.0", "func F() int { return 2 }\n\nfunc G() {}"),
    );
    write_tree(
        &root.join("src-host"),
        &main_module("example.com/host", "v1.0.0", "dep1", HOST_BODY),
    );
    let plugin_body = "func Greet() string { return shared.Hello() + dep.Version }";
    write_tree(
        &root.join("src-pluga"),
        &main_module("example.com/pluga", "v1.0.0", "dep1", plugin_body),
    );
    for plugin in ["b", "c"] {
        let mut files = main_module(
            &format!("example.com/plug{plugin}"),
            "v1.0.0",
            "dep1",
            plugin_body,
        );
        files.push(("extra.go", USES_EXTRA.to_owned()));
        write_tree(&root.join(format!("src-plug{plugin}")), &files);
    }
    write_tree(
        &root.join("src-plugskew"),
        &main_module("example.com/plugskew", "v1.1.0", "dep2", plugin_body),
    );
    // A module named `main`, as some published Tyk plugins are.
    write_tree(
        &root.join("src-plugmain"),
        &main_module("main", "v1.0.0", "dep1", plugin_body),
    );
}

fn build_lab() -> Lab {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().to_path_buf();
    write_sources(&root);
    let env = go_env(&root);
    let p = "-buildmode=plugin";
    for (dir, args) in [
        ("src-host", vec!["-trimpath", "-o", "../host", "."]),
        (
            "src-host",
            vec!["-trimpath", "-ldflags=-s -w", "-o", "../host-stripped", "."],
        ),
        ("src-pluga", vec![p, "-trimpath", "-o", "../a.so", "."]),
        ("src-pluga", vec![p, "-o", "../a-notrim.so", "."]),
        (
            "src-pluga",
            vec![p, "-trimpath", "-tags=special", "-o", "../a-tags.so", "."],
        ),
        ("src-plugb", vec![p, "-trimpath", "-o", "../b.so", "."]),
        (
            "src-plugc",
            vec![p, "-trimpath", "-tags=special", "-o", "../c-tags.so", "."],
        ),
        (
            "src-plugskew",
            vec![p, "-trimpath", "-o", "../skew.so", "."],
        ),
        (
            "src-plugskew",
            vec![p, "-trimpath", "-tags=unused", "-o", "../skew-tags.so", "."],
        ),
        (
            "src-plugmain",
            vec![p, "-trimpath", "-o", "../main.so", "."],
        ),
        // -race needs cgo, which the lab's environment enables.
        (
            "src-host",
            vec!["-race", "-trimpath", "-o", "../host-race", "."],
        ),
        (
            "src-pluga",
            vec![p, "-race", "-trimpath", "-o", "../a-race.so", "."],
        ),
    ] {
        assert!(build(&root.join(dir), &env, &args), "the lab builds");
    }
    let amd64_v2 = build_amd64_v2(&root, &env);
    let mut no_cgo = env.clone();
    no_cgo.insert("CGO_ENABLED".to_owned(), "0".to_owned());
    let args = ["-trimpath", "-o", "../host-nocgo", "."];
    assert!(
        build(&root.join("src-host"), &no_cgo, &args),
        "the lab builds"
    );
    std::fs::copy(root.join("a.so"), root.join("a-copy.so")).expect("copy a plugin");
    let other_release = build_with_toolchain(&root, &env, OTHER_RELEASE, "a-other.so");
    let other_patch = previous_patch(&root)
        .and_then(|version| build_with_toolchain(&root, &env, &version, "a-patch.so"));
    Lab {
        _dir: dir,
        root,
        other_release,
        other_patch,
        amd64_v2,
    }
}

/// Plugin a with `GOAMD64=v2` (the lab's default is v1), where the host is amd64.
fn build_amd64_v2(root: &Path, env: &BTreeMap<String, String>) -> Option<PathBuf> {
    let arch = support::go(root, env, ["env", "GOARCH"]);
    if String::from_utf8_lossy(&arch.stdout).trim() != "amd64" {
        return None;
    }
    let mut env = env.clone();
    env.insert("GOAMD64".to_owned(), "v2".to_owned());
    let args = ["-buildmode=plugin", "-trimpath", "-o", "../a-v2.so", "."];
    assert!(
        build(&root.join("src-pluga"), &env, &args),
        "the lab builds"
    );
    Some(root.join("a-v2.so"))
}

/// The local toolchain's previous patch release (`go1.26.8` → `go1.26.7`).
fn previous_patch(dir: &Path) -> Option<String> {
    let out = support::go(dir, &BTreeMap::new(), ["env", "GOVERSION"]);
    let version = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    let (line, patch) = version.rsplit_once('.')?;
    let patch: u32 = patch.parse().ok()?;
    (patch > 0).then(|| format!("{line}.{}", patch - 1))
}

/// Build plugin a with toolchain `version`, fetched through the module proxy.
#[allow(
    clippy::disallowed_methods,
    reason = "CI must not skip, like support::have_go"
)]
fn build_with_toolchain(
    root: &Path,
    env: &BTreeMap<String, String>,
    version: &str,
    output: &str,
) -> Option<PathBuf> {
    let mut env = env.clone();
    env.insert("GOTOOLCHAIN".to_owned(), version.to_owned());
    env.insert("GOPROXY".to_owned(), "https://proxy.golang.org".to_owned());
    env.insert("GOSUMDB".to_owned(), "sum.golang.org".to_owned());
    let target = format!("../{output}");
    let ok = build(
        &root.join("src-pluga"),
        &env,
        &["-buildmode=plugin", "-trimpath", "-o", &target, "."],
    );
    if !ok {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "{version} could not be fetched in CI"
        );
        println!("skipped: {version} could not be fetched through the module proxy");
    }
    ok.then(|| root.join(output))
}

/// What the real host printed for each plugin: `None` for ok, else the error.
/// When a plugin crashes the process, its outcome is the runtime's fatal error
/// and later plugins are "not reached".
fn real_open(host: &Path, plugins: &[PathBuf]) -> Vec<Option<String>> {
    let out = Command::new(host)
        .args(plugins)
        .output()
        .expect("the lab host runs");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let mut results: Vec<Option<String>> = text
        .lines()
        .map(|line| {
            let (_, result) = line.split_once('\t').expect("host output: path TAB result");
            (result != "ok").then(|| result.to_owned())
        })
        .collect();
    if !out.status.success() {
        let stderr = String::from_utf8_lossy(&out.stderr);
        let fatal = stderr
            .lines()
            .find(|l| l.starts_with("fatal error: "))
            .unwrap_or_else(|| panic!("host died: {stderr}"));
        results.push(Some(fatal.to_owned()));
    }
    while results.len() < plugins.len() {
        results.push(Some(NOT_REACHED.to_owned()));
    }
    results
}

/// The real outcome of a plugin the host never opened.
const NOT_REACHED: &str = "(not reached)";

/// `tykdeps audit --format json` for the host and plugins.
fn audit(host: &Path, plugins: &[PathBuf]) -> (Value, i32) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tykdeps"));
    cmd.arg("audit")
        .arg("--gateway-bin")
        .arg(host)
        .args(["--format", "json"]);
    for p in plugins {
        cmd.arg("--plugin-so").arg(p);
    }
    let out = cmd.output().expect("tykdeps runs");
    let json = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("audit JSON: {e}: {}", String::from_utf8_lossy(&out.stderr)));
    (json, out.status.code().unwrap_or(-1))
}

/// One lab case: a host, plugins in load order, and findings each plugin must carry.
struct Case {
    host: &'static str,
    plugins: Vec<PathBuf>,
    rules: Vec<Vec<&'static str>>,
}

fn cases(lab: &Lab) -> Vec<Case> {
    let p = |n: &str| lab.path(n);
    let mut cases = vec![
        Case {
            host: "host",
            plugins: vec![p("a.so")],
            rules: vec![vec![]],
        },
        Case {
            host: "host",
            plugins: vec![p("a-notrim.so")],
            rules: vec![vec!["package-hash-mismatch", "build-flags-mismatch"]],
        },
        Case {
            host: "host",
            plugins: vec![p("a-tags.so")],
            rules: vec![vec!["build-flags-mismatch"]],
        },
        Case {
            host: "host",
            plugins: vec![p("skew.so")],
            rules: vec![vec!["module-version-skew"]],
        },
        Case {
            host: "host-stripped",
            plugins: vec![p("a.so")],
            rules: vec![vec![]],
        },
        Case {
            host: "host",
            plugins: vec![p("main.so")],
            rules: vec![vec!["plugin-module-path"]],
        },
        Case {
            host: "host",
            plugins: vec![p("skew-tags.so")],
            rules: vec![vec!["module-version-skew"]],
        },
        Case {
            host: "host-stripped",
            plugins: vec![p("skew.so")],
            rules: vec![vec!["module-version-skew"]],
        },
        Case {
            host: "host",
            plugins: vec![p("a.so"), p("a-copy.so")],
            rules: vec![vec![], vec!["plugin-already-loaded"]],
        },
        Case {
            host: "host-nocgo",
            plugins: vec![p("a.so")],
            rules: vec![vec![]],
        },
        Case {
            host: "host",
            plugins: vec![p("c-tags.so"), p("b.so")],
            rules: vec![vec!["build-flags-mismatch"], vec!["build-flags-mismatch"]],
        },
        Case {
            host: "host",
            plugins: vec![p("a.so"), p("b.so")],
            rules: vec![vec![], vec![]],
        },
        Case {
            host: "host",
            plugins: vec![p("a-notrim.so"), p("b.so")],
            rules: vec![vec!["build-flags-mismatch"], vec![]],
        },
        // The race runtime changes the standard library on one side only:
        // plugin.Open names sync/atomic one way, internal/runtime/sys the other.
        Case {
            host: "host",
            plugins: vec![p("a-race.so")],
            rules: vec![vec!["package-hash-mismatch", "build-flags-mismatch"]],
        },
        Case {
            host: "host-race",
            plugins: vec![p("a.so")],
            rules: vec![vec!["package-hash-mismatch", "build-flags-mismatch"]],
        },
        Case {
            host: "host-race",
            plugins: vec![p("a-race.so")],
            rules: vec![vec![]],
        },
    ];
    cases.extend(cases_with_other_toolchains(lab));
    cases
}

/// Cases that need a build the lab could not make on every machine.
fn cases_with_other_toolchains(lab: &Lab) -> Vec<Case> {
    let p = |n: &str| lab.path(n);
    let mut cases = Vec::new();
    if let Some(other) = &lab.other_release {
        cases.push(Case {
            host: "host",
            plugins: vec![other.clone(), p("b.so")],
            rules: vec![vec!["toolchain-mismatch"], vec!["not-reached"]],
        });
    }
    if let Some(v2) = &lab.amd64_v2 {
        cases.push(Case {
            host: "host",
            plugins: vec![v2.clone()],
            rules: vec![vec![]],
        });
    }
    if let Some(patch) = &lab.other_patch {
        cases.push(Case {
            host: "host",
            plugins: vec![patch.clone()],
            rules: vec![vec!["toolchain-differs"]],
        });
    }
    cases
}

/// The rule ids of a JSON findings array.
fn rules_of(findings: &Value) -> Vec<&str> {
    findings
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| f["rule"].as_str())
        .collect()
}

#[test]
fn predicted_verdicts_match_plugin_open() {
    let Some(lab) = lab() else { return };
    let (mut total, mut matched) = (0, 0);
    for case in cases(lab) {
        let host = lab.path(case.host);
        let real = real_open(&host, &case.plugins);
        let (report, code) = audit(&host, &case.plugins);
        let plugins = report["plugins"].as_array().expect("plugins array");
        for ((real, predicted), rules) in real.iter().zip(plugins).zip(&case.rules) {
            total += 1;
            let message = match predicted["loader_message"].as_str() {
                None if predicted["verdict"] == "fails" => Some(NOT_REACHED.to_owned()),
                other => other.map(str::to_owned),
            };
            if &message == real {
                matched += 1;
            } else {
                println!(
                    "MISMATCH {} in {}: real {real:?}, predicted {message:?}",
                    predicted["dir"], case.host
                );
            }
            let found = rules_of(&predicted["findings"]);
            for rule in rules {
                assert!(
                    found.contains(rule),
                    "{}: expected finding {rule}, got {found:?}",
                    predicted["dir"]
                );
            }
        }
        let fails = real.iter().any(Option::is_some);
        assert_eq!(code, i32::from(fails), "exit status for {:?}", case.plugins);
        assert_eq!(report["verdict"], if fails { "fails" } else { "loads" });
    }
    println!("binary lab: {matched}/{total} verdicts match");
    assert_eq!(matched, total);
}

#[test]
fn skew_names_the_package_and_both_versions() {
    let Some(lab) = lab() else { return };
    let (report, _) = audit(&lab.path("host"), &[lab.path("skew.so")]);
    let skew = report["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|f| f["rule"] == "module-version-skew")
        .expect("a version-skew finding");
    assert_eq!(skew["module"], "example.com/dep");
    assert_eq!(skew["packages"], serde_json::json!(["example.com/dep"]));
    assert!(
        skew["gateway_version"]
            .as_str()
            .unwrap()
            .starts_with("v1.0.0"),
        "{skew}"
    );
    assert!(
        skew["plugin_version"]
            .as_str()
            .unwrap()
            .starts_with("v1.1.0"),
        "{skew}"
    );
    assert_eq!(report["summary"]["errors"].as_u64(), Some(2));
}

/// A cause that is certain (another version, a module named `main`) is the
/// one named: a `-tags` difference beside it changes a package only when a
/// file of it is constrained by the tag, which the binaries cannot show.
#[test]
fn a_tags_difference_is_not_blamed_beside_a_certain_cause() {
    let Some(lab) = lab() else { return };
    for (plugin, cause) in [
        ("skew-tags.so", "module-version-skew"),
        ("main.so", "plugin-module-path"),
    ] {
        let (report, _) = audit(&lab.path("host"), &[lab.path(plugin)]);
        let rules = rules_of(&report["findings"]);
        assert!(rules.contains(&cause), "{plugin}: {rules:?}");
        assert!(
            !rules.contains(&"build-flags-mismatch"),
            "{plugin}: {rules:?}"
        );
    }
}

#[test]
fn flag_skew_lists_every_package_and_names_the_flag() {
    let Some(lab) = lab() else { return };
    let (report, _) = audit(&lab.path("host"), &[lab.path("a-notrim.so")]);
    let findings = report["findings"].as_array().expect("findings");
    let all = findings
        .iter()
        .find(|f| f["rule"] == "package-hash-mismatch")
        .expect("hash mismatch");
    let packages = all["packages"].as_array().expect("packages");
    assert!(
        packages.len() > 10 && packages.contains(&Value::from("runtime")),
        "{all}"
    );
    let flags = findings
        .iter()
        .find(|f| f["rule"] == "build-flags-mismatch")
        .expect("flags");
    assert!(
        flags["message"].as_str().unwrap().contains("-trimpath"),
        "{flags}"
    );
}

#[test]
fn an_old_target_glibc_refuses_the_plugin_and_a_bad_version_is_a_usage_error() {
    let Some(lab) = lab() else { return };
    let run = |glibc: &str| {
        Command::new(env!("CARGO_BIN_EXE_tykdeps"))
            .arg("audit")
            .arg("--gateway-bin")
            .arg(lab.path("host"))
            .arg("--plugin-so")
            .arg(lab.path("a.so"))
            .args(["--format", "json", "--max-glibc", glibc])
            .output()
            .expect("tykdeps runs")
    };
    let old = run("2.17");
    assert_eq!(old.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&old.stdout).expect("JSON");
    let rules = rules_of(&report["findings"]);
    assert!(rules.contains(&"glibc-too-new"), "{rules:?}");
    let bad = run("two");
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--max-glibc two"));
}

/// What a gateway binary says it was built from, in the static audit's shapes,
/// is what the go command selected: every linked module at the version and with
/// the replacement `go list -m all` gives in the gateway's source.
#[test]
fn gateway_build_from_the_binary_equals_go_list() {
    let Some(lab) = lab() else { return };
    let facts = tykdeps_resolver::buildinfo::file::read_elf_file(&lab.path("host"))
        .expect("the lab host is readable");
    let build = tykdeps_resolver::buildinfo::gateway::from_build_info(
        facts.build_info.as_ref().expect("build info"),
    );
    let src = lab.path("src-host");
    let out = support::go(
        &src,
        &go_env(&lab.root),
        [
            "list",
            "-m",
            "-f",
            "{{.Path}} {{.Version}}{{with .Replace}} => {{.Path}} {{.Version}}{{end}}",
            "all",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let listed: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| l.trim_end().to_owned())
        .collect();
    let from_binary: Vec<String> = build
        .build_list
        .iter()
        .map(|(key, replace)| {
            let to = replace.as_ref().map_or_else(String::new, |r| {
                format!(
                    " => {} {}",
                    r.path,
                    r.version.as_deref().unwrap_or_default()
                )
            });
            format!("{} {}{to}", key.path, key.version)
                .trim_end()
                .to_owned()
        })
        .collect();
    for line in &from_binary {
        assert!(
            listed.contains(line),
            "{line} not in go list -m all: {listed:?}"
        );
    }
    assert_eq!(build.main.path, listed[0]);
    let mut linked: Vec<&str> = build.linked.iter().map(String::as_str).collect();
    linked.retain(|p| *p != build.main.path);
    assert_eq!(linked, ["example.com/dep", "example.com/shared"]);
    assert!(build.settings.trimpath && build.settings.cgo_enabled);
    println!(
        "gateway build: {}/{} linked modules as go list -m all selected them",
        from_binary.len(),
        build.build_list.len()
    );
}
