//! The environment, read once: the only place in tykdeps that touches
//! `std::env`, so everything below it is driven by explicit values. It
//! builds the resolver's `GoEnv` as go would see it (process variables over
//! the user's go env file) and reads `.netrc` when GOAUTH asks for it.

use std::collections::BTreeMap;
use std::path::PathBuf;

use miette::miette;
use tykdeps_resolver::audit::engine::{BuildTarget, Toolchain};
use tykdeps_resolver::github::Env as GitHub;
use tykdeps_resolver::goenv::{self, GoEnv};

use crate::exit::CommandError;

/// The Go environment the graph commands honour.
#[derive(Debug, Clone)]
pub(crate) struct Settings {
    /// GOPROXY, GOPRIVATE, GOMODCACHE, GOWORK, GOFLAGS, ... as go reads them.
    pub(crate) env: GoEnv,
    /// The text of the `.netrc` file, when GOAUTH uses it and it exists.
    pub(crate) netrc: Option<String>,
    /// What a plugin build is for, as the go command reads it.
    pub(crate) target: BuildTarget,
}

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

/// The build target of `go build` in this environment: GOOS, GOARCH and
/// CGO_ENABLED (process over go env file over the host), GOFLAGS' `-tags`,
/// and the toolchain that builds.
fn build_target(
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

impl Settings {
    /// Read the process environment (and the files it points at).
    #[expect(
        clippy::disallowed_methods,
        reason = "the one place the environment is read"
    )]
    pub(crate) fn from_env() -> Result<Self, CommandError> {
        let process: BTreeMap<String, String> = std::env::vars().collect();
        let env_file = goenv::env_file_path(&process)
            .and_then(|f| std::fs::read_to_string(f).ok())
            .map(|text| goenv::parse_env_file(&text))
            .unwrap_or_default();
        let env = GoEnv::new(&process, &env_file)
            .map_err(|e| CommandError::invalid(miette!("go environment: {e}")))?;
        let netrc = env
            .uses_netrc()
            .then(|| {
                env.netrc
                    .as_ref()
                    .and_then(|f| std::fs::read_to_string(f).ok())
            })
            .flatten();
        let target = build_target(&process, &env_file, &env.goflags.flags);
        Ok(Self { env, netrc, target })
    }
}

/// What GitHub Actions tells the job: the `GITHUB_*` variables (empty ones
/// count as unset), for `tykdeps comment` and report paths.
#[expect(
    clippy::disallowed_methods,
    reason = "the one place the environment is read"
)]
pub(crate) fn github() -> GitHub {
    let var = |key: &str| std::env::var(key).ok().filter(|v| !v.is_empty());
    let repository = var("GITHUB_REPOSITORY");
    let run_url = match (var("GITHUB_SERVER_URL"), &repository, var("GITHUB_RUN_ID")) {
        (Some(server), Some(repo), Some(run)) => Some(format!(
            "{}/{repo}/actions/runs/{run}",
            server.trim_end_matches('/')
        )),
        _ => None,
    };
    GitHub {
        token: var("GITHUB_TOKEN"),
        repository,
        api_url: var("GITHUB_API_URL")
            .unwrap_or_else(|| "https://api.github.com".to_owned())
            .trim_end_matches('/')
            .to_owned(),
        event_path: var("GITHUB_EVENT_PATH").map(PathBuf::from),
        run_url,
        workspace: var("GITHUB_WORKSPACE").map(PathBuf::from),
    }
}
