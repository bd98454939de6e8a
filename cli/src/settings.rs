//! The environment, read once: the only place in tykdeps that touches
//! `std::env`, so everything below it is driven by explicit values. It
//! builds the resolver's `GoEnv` as go would see it (process variables over
//! the user's go env file) and reads `.netrc` when GOAUTH asks for it.

use std::collections::BTreeMap;

use miette::{Report, miette};
use tykdeps_resolver::goenv::{self, GoEnv};

use crate::exit::ExitStatus;

/// The Go environment the graph commands honour.
#[derive(Debug, Clone)]
pub(crate) struct Settings {
    /// GOPROXY, GOPRIVATE, GOMODCACHE, GOWORK, GOFLAGS, ... as go reads them.
    pub(crate) env: GoEnv,
    /// The text of the `.netrc` file, when GOAUTH uses it and it exists.
    pub(crate) netrc: Option<String>,
}

impl Settings {
    /// Read the process environment (and the files it points at).
    #[expect(
        clippy::disallowed_methods,
        reason = "the one place the environment is read"
    )]
    pub(crate) fn from_env() -> Result<Self, (Report, ExitStatus)> {
        let process: BTreeMap<String, String> = std::env::vars().collect();
        let env_file = goenv::env_file_path(&process)
            .and_then(|f| std::fs::read_to_string(f).ok())
            .map(|text| goenv::parse_env_file(&text))
            .unwrap_or_default();
        let env = GoEnv::new(&process, &env_file)
            .map_err(|e| (miette!("go environment: {e}"), ExitStatus::Invalid))?;
        let netrc = env
            .uses_netrc()
            .then(|| {
                env.netrc
                    .as_ref()
                    .and_then(|f| std::fs::read_to_string(f).ok())
            })
            .flatten();
        Ok(Self { env, netrc })
    }
}
