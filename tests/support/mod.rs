//! Helpers shared by the integration test binaries: where the corpora are, and
//! how to run the go command as an oracle in a hermetic environment.
#![allow(
    dead_code,
    unreachable_pub,
    clippy::disallowed_methods,
    clippy::print_stdout
)]

pub mod github_api;
pub mod gitrepo;
pub mod http_proxy;
pub mod lab;

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root (the workspace directory, which holds Cargo.lock):
/// the `tykdeps` package's own directory, or the parent of `resolver/`.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .find(|dir| dir.join("Cargo.lock").is_file())
        .expect("a package lives in the workspace")
        .to_path_buf()
}

/// Our own fixtures: `corpus/` in the repository.
pub fn own_corpus() -> PathBuf {
    repo_root().join("corpus")
}

/// The real-world corpus of Tyk gateway and plugin module files
/// (`TYKDEPS_CORPUS`, default `../shared/corpus` beside the repository).
///
/// Outside CI a missing corpus skips the test with a printed reason; in CI
/// (`CI=true`) it is a failure, since CI always has it.
pub fn shared_corpus() -> Option<PathBuf> {
    let dir = std::env::var_os("TYKDEPS_CORPUS")
        .map_or_else(|| repo_root().join("../shared/corpus"), PathBuf::from);
    if dir.is_dir() {
        return Some(dir);
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "the shared corpus is missing at {} (set TYKDEPS_CORPUS)",
        dir.display()
    );
    println!(
        "skipped: the shared corpus is not at {} (set TYKDEPS_CORPUS)",
        dir.display()
    );
    None
}

/// Every file named `name` below `dir`, sorted.
pub fn find_files(dir: &Path, name: &str) -> Vec<PathBuf> {
    files_where(dir, &|path| path.file_name() == Some(OsStr::new(name)))
}

/// Every file below `dir` whose name ends with `suffix`, sorted.
pub fn find_files_ending(dir: &Path, suffix: &str) -> Vec<PathBuf> {
    files_where(dir, &|path| {
        path.file_name()
            .is_some_and(|n| n.to_string_lossy().ends_with(suffix))
    })
}

/// Every file below `dir` that `keep` accepts, sorted.
pub fn files_where(dir: &Path, keep: &dyn Fn(&Path) -> bool) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if keep(&path) {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

/// The entries of `dir`, sorted by path (panics if `dir` cannot be read: the
/// fixtures a test lists are part of the repository).
pub fn sorted_entries(dir: &Path) -> Vec<PathBuf> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{} is readable: {e}", dir.display()))
        .map(|e| e.expect("a readable directory entry").path())
        .collect();
    entries.sort();
    entries
}

/// An environment for the go command that reaches nothing but `proxy` (a
/// `file://` tree, or `off`), with its own module cache and no checksum database.
pub fn hermetic_go_env(proxy: &str, modcache: &Path) -> BTreeMap<String, String> {
    let mut env = BTreeMap::new();
    for (key, value) in [
        ("GOPROXY", proxy),
        ("GOSUMDB", "off"),
        ("GOFLAGS", "-mod=mod"),
        ("GOWORK", "off"),
        ("GOTOOLCHAIN", "local"),
        ("GONOSUMDB", ""),
        ("GOPRIVATE", ""),
        ("GONOPROXY", ""),
        ("GOENV", "off"),
    ] {
        env.insert(key.to_owned(), value.to_owned());
    }
    env.insert("GOMODCACHE".to_owned(), modcache.display().to_string());
    env
}

/// Run `go args...` in `dir` with `env` added to the environment.
pub fn go<I, S>(dir: &Path, env: &BTreeMap<String, String>, args: I) -> Output
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    Command::new("go")
        .args(args)
        .current_dir(dir)
        .envs(env)
        .output()
        .expect("the go command runs")
}

/// Build the Go helper program in `tests/<name>` (its own module, whose
/// dependencies come through the module proxy) into `dir`; the executable.
pub fn build_go_helper(name: &str, dir: &Path) -> PathBuf {
    let exe = dir.join(name);
    let env: BTreeMap<String, String> = [
        ("GOFLAGS", "-mod=mod -buildvcs=false"),
        ("GOWORK", "off"),
        ("GOTOOLCHAIN", "local"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    let source = repo_root().join("tests").join(name);
    let built = go(
        &source,
        &env,
        [
            "build".as_ref(),
            "-o".as_ref(),
            exe.as_os_str(),
            ".".as_ref(),
        ],
    );
    assert!(
        built.status.success(),
        "building tests/{name} failed:\n{}",
        String::from_utf8_lossy(&built.stderr)
    );
    exe
}

/// Whether this is CI (`CI=true`), where a missing tool fails a test
/// instead of skipping it.
pub fn in_ci() -> bool {
    std::env::var("CI").as_deref() == Ok("true")
}

/// Whether the go command is on PATH; tests that need it fail in CI without it.
pub fn have_go() -> bool {
    let ok = Command::new("go")
        .arg("version")
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        ok || std::env::var("CI").as_deref() != Ok("true"),
        "go is required in CI"
    );
    ok
}

/// Run `go args...` in `dir` with exactly `env` (plus PATH and
/// `GOTOOLCHAIN=local`): for checking how go reads its environment.
pub fn go_clean_env<I, S>(dir: &Path, env: &BTreeMap<String, String>, args: I) -> Output
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    Command::new("go")
        .args(args)
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("GOTOOLCHAIN", "local")
        .envs(env)
        .output()
        .expect("the go command runs")
}

/// Write a `file://` module proxy under `root/proxy` serving each
/// `(module path, version, go.mod text)` (`list`, `.info` and `.mod` only:
/// enough for commands that load the module graph), and return its URL for
/// `hermetic_go_env`. File names are case-escaped as go expects
/// (`example.com/!upper/@v/v1.0.0-!r!c1.mod`).
pub fn file_proxy(root: &Path, modules: &[(&str, &str, &str)]) -> String {
    use tykdeps_resolver::version::escape::{escape_path, escape_version};
    for (module, version, go_mod) in modules {
        let module = escape_path(module).expect("a valid module path");
        let dir = root.join("proxy").join(module).join("@v");
        std::fs::create_dir_all(&dir).expect("proxy directory");
        let list = dir.join("list");
        let old = std::fs::read_to_string(&list).unwrap_or_default();
        std::fs::write(&list, format!("{old}{version}\n")).expect("proxy list");
        let info = format!(r#"{{"Version":"{version}","Time":"2020-01-01T00:00:00Z"}}"#);
        let escaped = escape_version(version).expect("a valid version");
        std::fs::write(dir.join(format!("{escaped}.info")), info).expect("proxy info");
        std::fs::write(dir.join(format!("{escaped}.mod")), go_mod).expect("proxy go.mod");
    }
    format!("file://{}", root.join("proxy").display())
}

/// Copy the directory tree `from` into `to` (created if needed), so a test
/// can let the go command rewrite files without touching the corpus.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create the copy's directory");
    for entry in std::fs::read_dir(from)
        .expect("read the directory to copy")
        .flatten()
    {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy a file");
        }
    }
}

/// Run `go mod edit FLAG go.mod` in `dir` for each of `flags` (offline), then
/// return `go mod edit -json go.mod`: what go reads from the file afterwards,
/// or go's complaint.
pub fn go_mod_edit_json(dir: &Path, flags: &[&str]) -> Result<serde_json::Value, String> {
    let env = hermetic_go_env("off", &std::env::temp_dir().join("tykdeps-go-mod-edit"));
    for flag in flags {
        let out = go(dir, &env, ["mod", "edit", flag, "go.mod"]);
        if !out.status.success() {
            return Err(String::from_utf8_lossy(&out.stderr).into_owned());
        }
    }
    let out = go(dir, &env, ["mod", "edit", "-json", "go.mod"]);
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).into_owned());
    }
    Ok(serde_json::from_slice(&out.stdout).expect("go prints JSON"))
}

/// `go mod edit -json` output with every list sorted: where a new line goes
/// and the order of lines carry no meaning, and tykdeps places new lines as
/// `go get` does while `go mod edit` appends them to the last block.
pub fn unordered_json(mut v: serde_json::Value) -> serde_json::Value {
    if let serde_json::Value::Object(map) = &mut v {
        for value in map.values_mut() {
            if let serde_json::Value::Array(items) = value {
                items.sort_by_key(serde_json::Value::to_string);
            }
        }
    }
    v
}
