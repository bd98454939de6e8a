//! The build target of `go build` on this machine, as the go command reads
//! it: GOOS, GOARCH and CGO_ENABLED (the process environment over the go
//! env file over the host), GOFLAGS' `-tags`, GOTOOLCHAIN, and the toolchain
//! that builds (GOROOT, else the `go` on PATH). It reads the toolchain's
//! files, so it sits at the edge with the sources, not in the pure core;
//! the front end passes the environment in.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::audit::engine::{BuildTarget, Toolchain};
use crate::goenv;

/// The Go toolchain `go build` would run here: the one GOROOT names, else
/// the `go` found on PATH (whose GOROOT is two directories above the real
/// binary, as the go command finds its own).
fn toolchain(process: &BTreeMap<String, String>) -> Option<Toolchain> {
    let goroot = if let Some(goroot) = process.get("GOROOT").filter(|g| !g.is_empty()) {
        PathBuf::from(goroot)
    } else {
        let go = std::env::split_paths(process.get("PATH")?)
            .map(|dir| dir.join("go"))
            .find(|go| go.is_file())?;
        let real = std::fs::canonicalize(go).ok()?;
        real.parent()?.parent()?.to_path_buf()
    };
    if !goroot.join("src").join("runtime").is_dir() {
        return None;
    }
    let version = std::fs::read_to_string(goroot.join("VERSION"))
        .ok()
        .and_then(|text| text.lines().next().map(str::to_owned))
        .filter(|v| v.starts_with("go"));
    Some(Toolchain { goroot, version })
}

/// The build target of `go build` in the environment `process` (with the
/// go env file `env_file` and GOFLAGS' `goflags`): GOOS, GOARCH and
/// CGO_ENABLED (process over go env file over the host), GOFLAGS' `-tags`,
/// and the toolchain that builds.
pub fn detect(
    process: &BTreeMap<String, String>,
    env_file: &BTreeMap<String, String>,
    goflags: &[String],
) -> BuildTarget {
    let var = |key: &str| {
        process
            .get(key)
            .or_else(|| env_file.get(key))
            .filter(|v| !v.is_empty())
            .cloned()
    };
    let host_os = match std::env::consts::OS {
        "macos" => "darwin",
        other => other,
    };
    let host_arch = match std::env::consts::ARCH {
        "x86_64" => "amd64",
        "aarch64" => "arm64",
        "x86" => "386",
        other => other,
    };
    // The last -tags wins, as with any repeated go flag.
    let tags = goflags
        .iter()
        .filter_map(|f| {
            f.strip_prefix("--tags=")
                .or_else(|| f.strip_prefix("-tags="))
        })
        .next_back()
        .map(|t| {
            t.split([',', ' '])
                .filter(|t| !t.is_empty())
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    let toolchain = toolchain(process);
    BuildTarget {
        goos: var("GOOS").unwrap_or_else(|| host_os.to_owned()),
        goarch: var("GOARCH").unwrap_or_else(|| host_arch.to_owned()),
        cgo_enabled: var("CGO_ENABLED").as_deref() != Some("0"),
        tags,
        gotoolchain: gotoolchain(process, env_file, toolchain.as_ref()),
        toolchain,
    }
}

/// `GOTOOLCHAIN` as the go command reads it: the environment, then the
/// `go env -w` file, then the toolchain's `$GOROOT/go.env` (which sets
/// `auto` in every release); empty when none sets it.
fn gotoolchain(
    process: &BTreeMap<String, String>,
    env_file: &BTreeMap<String, String>,
    toolchain: Option<&Toolchain>,
) -> String {
    let go_env = || {
        let text = std::fs::read_to_string(toolchain?.goroot.join("go.env")).ok()?;
        goenv::parse_env_file(&text).remove("GOTOOLCHAIN")
    };
    process
        .get("GOTOOLCHAIN")
        .or_else(|| env_file.get("GOTOOLCHAIN"))
        .filter(|v| !v.is_empty())
        .cloned()
        .or_else(go_env)
        .unwrap_or_default()
}
