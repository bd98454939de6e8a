//! Module data for the graph commands: the module cache's download directory
//! first, then each `file://` GOPROXY entry, read in the proxy protocol's
//! escaped layout (`<path>/@v/<version>.mod`).
//!
//! A stop-gap until the `sources` branch (HTTP proxies, GOPROXY chain
//! semantics, GOPRIVATE routing) is merged: entries other than `file://`,
//! `off` and `direct` are not reached, and a miss reports exit 3.

use std::path::PathBuf;

use tykdeps_resolver::source::{BoxFuture, FetchError, FetchErrorKind, Info, ModuleSource};
use tykdeps_resolver::version::escape::{escape_path, escape_version};

/// Directories laid out like a `file://` proxy, searched in order.
#[derive(Debug, Clone)]
pub(crate) struct FileTrees {
    roots: Vec<PathBuf>,
}

impl FileTrees {
    /// The module cache's `cache/download` plus every `file://` proxy.
    pub(crate) fn new(modcache: Option<&std::path::Path>, proxies: &[String]) -> Self {
        let mut roots: Vec<PathBuf> = modcache
            .map(|m| m.join("cache/download"))
            .into_iter()
            .collect();
        roots.extend(
            proxies
                .iter()
                .filter_map(|p| p.strip_prefix("file://"))
                .map(PathBuf::from),
        );
        Self { roots }
    }

    fn read(&self, path: &str, version: &str, ext: &str) -> Result<Vec<u8>, FetchError> {
        let module = format!("{path}@{version}");
        let failed = |detail: String| FetchError {
            module: module.clone(),
            kind: FetchErrorKind::Failed,
            detail,
        };
        let (p, v) = (
            escape_path(path).map_err(|e| failed(e.to_string()))?,
            escape_version(version).map_err(|e| failed(e.to_string()))?,
        );
        for root in &self.roots {
            if let Ok(bytes) = std::fs::read(root.join(&p).join("@v").join(format!("{v}.{ext}"))) {
                return Ok(bytes);
            }
        }
        Err(FetchError {
            module,
            kind: FetchErrorKind::NotFound,
            detail: format!("no {ext} file in the module cache or a file:// proxy"),
        })
    }
}

impl ModuleSource for FileTrees {
    fn versions<'a>(&'a self, path: &'a str) -> BoxFuture<'a, Result<Vec<String>, FetchError>> {
        let answer = Err(FetchError {
            module: path.to_owned(),
            kind: FetchErrorKind::Failed,
            detail: "version listing is not needed to build a graph".to_owned(),
        });
        Box::pin(async move { answer })
    }

    fn info<'a>(
        &'a self,
        path: &'a str,
        version: &'a str,
    ) -> BoxFuture<'a, Result<Info, FetchError>> {
        let answer = self.read(path, version, "info").map(|bytes| Info {
            version: version.to_owned(),
            time: serde_json::from_slice::<serde_json::Value>(&bytes)
                .ok()
                .and_then(|v| v.get("Time")?.as_str().map(str::to_owned)),
        });
        Box::pin(async move { answer })
    }

    fn go_mod<'a>(
        &'a self,
        path: &'a str,
        version: &'a str,
    ) -> BoxFuture<'a, Result<Vec<u8>, FetchError>> {
        let answer = self.read(path, version, "mod");
        Box::pin(async move { answer })
    }
}
