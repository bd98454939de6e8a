//! The environment, read once: the only place in tykdeps that touches
//! `std::env`, so everything below it is driven by explicit values (and tests
//! can pass their own).

use std::collections::BTreeMap;
use std::path::PathBuf;

/// The Go environment variables the graph commands honour.
#[derive(Debug, Clone)]
pub(crate) struct Settings {
    /// GOPROXY, as a list of entries (`,`/`|` separators kept apart only as far as we need).
    pub(crate) proxies: Vec<String>,
    /// The module cache (GOMODCACHE, else GOPATH's first entry + `/pkg/mod`).
    pub(crate) modcache: Option<PathBuf>,
    /// GOWORK: `None` to search upward for go.work, `Some("off")` to disable.
    pub(crate) gowork: Option<String>,
    /// The `-mod` value from GOFLAGS, if it sets one.
    pub(crate) mod_flag: Option<String>,
}

impl Settings {
    /// Read the process environment.
    #[expect(
        clippy::disallowed_methods,
        reason = "the one place the environment is read"
    )]
    pub(crate) fn from_env() -> Self {
        Self::from_map(&std::env::vars().collect())
    }

    /// Build settings from an environment map.
    pub(crate) fn from_map(env: &BTreeMap<String, String>) -> Self {
        let get = |k: &str| env.get(k).filter(|v| !v.is_empty()).cloned();
        let proxies = get("GOPROXY")
            .unwrap_or_else(|| "https://proxy.golang.org,direct".to_owned())
            .split([',', '|'])
            .map(str::to_owned)
            .collect();
        let modcache = get("GOMODCACHE").map(PathBuf::from).or_else(|| {
            let gopath = get("GOPATH").or_else(|| get("HOME").map(|h| format!("{h}/go")))?;
            let first = gopath.split(':').next()?.to_owned();
            Some(PathBuf::from(first).join("pkg/mod"))
        });
        let mod_flag = get("GOFLAGS").and_then(|flags| {
            flags.split_whitespace().rev().find_map(|f| {
                let f = f.strip_prefix("--").or_else(|| f.strip_prefix('-'))?;
                f.strip_prefix("mod=").map(str::to_owned)
            })
        });
        Self {
            proxies,
            modcache,
            gowork: get("GOWORK"),
            mod_flag,
        }
    }
}
