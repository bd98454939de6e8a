//! The environment, read once: the only place in tykdeps that touches
//! `std::env`, so everything below it is driven by explicit values. It
//! builds the resolver's `GoEnv` as go would see it (process variables over
//! the user's go env file) and reads `.netrc` when GOAUTH asks for it.

use std::collections::BTreeMap;
use std::path::PathBuf;

use miette::miette;
use tykdeps_resolver::audit::engine::BuildTarget;
use tykdeps_resolver::build_target;
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
        let target = build_target::detect(&process, &env_file, &env.goflags.flags);
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
