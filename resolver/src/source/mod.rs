//! Where module metadata comes from: the module cache, `file://` and HTTP proxies,
//! and memory (tests), behind one trait.
//!
//! The build-list algorithm never fetches: it asks a [`ModuleSource`] and gets
//! either the data or a reason it is missing, which the explainer turns into a
//! sentence (not found, gone, offline, private, tampered).

pub mod memory;

use std::future::Future;
use std::pin::Pin;

pub mod cache_clean;
pub mod cached;
pub mod chain;
pub mod file;
pub mod git;
#[cfg(feature = "net")]
pub mod http;
pub mod metadata_cache;
pub mod modcache;
pub mod modzip;
pub mod netrc;
pub mod proxy;
#[cfg(feature = "net")]
pub mod release;
pub mod summaries;
pub mod text_file;
pub mod verify;

#[cfg(feature = "net")]
pub use from_env::{SourceError, from_env};

/// `$GOMODCACHE/cache/tykdeps`: everything tykdeps keeps between runs
/// (one folder per store), apart from the module files it downloads into
/// the go command's own layout. Deleting it is always safe.
pub fn tykdeps_cache_dir(gomodcache: &std::path::Path) -> std::path::PathBuf {
    gomodcache.join("cache").join("tykdeps")
}

/// Bytes of a [`cache_checksum`].
pub(crate) const CACHE_CHECKSUM_LEN: usize = 4;

/// The checksum the binary stores below [`tykdeps_cache_dir`] keep beside
/// what they hold (CRC-32, little-endian): it finds a damaged entry; it is
/// no defence against whoever can write the file, and neither would a
/// cryptographic hash be, since the writer writes the checksum too.
pub(crate) fn cache_checksum(bytes: &[u8]) -> [u8; CACHE_CHECKSUM_LEN] {
    crc32fast::hash(bytes).to_le_bytes()
}

/// A boxed future, so sources can be chained behind `dyn ModuleSource`.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// The `.info` answer for a module version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Info {
    /// Canonical version.
    pub version: String,
    /// Commit time, RFC 3339, when the source knows it.
    pub time: Option<String>,
}

/// Module metadata, by module path and version.
///
/// `path` and `version` are unescaped (`github.com/Azure/x`, `v1.0.0-RC1`);
/// implementations escape them for URLs and cache paths.
pub trait ModuleSource: Send + Sync {
    /// The tagged versions of `path`, as the go command filters `@v/list`
    /// (valid, canonical, no pseudo-versions), sorted ascending.
    fn versions<'a>(&'a self, path: &'a str) -> BoxFuture<'a, Result<Vec<String>, FetchError>>;

    /// `path@version`'s `.info`.
    fn info<'a>(
        &'a self,
        path: &'a str,
        version: &'a str,
    ) -> BoxFuture<'a, Result<Info, FetchError>>;

    /// The bytes of `path@version`'s go.mod (synthesized `module path` for
    /// modules without one, as proxies serve it).
    fn go_mod<'a>(
        &'a self,
        path: &'a str,
        version: &'a str,
    ) -> BoxFuture<'a, Result<Vec<u8>, FetchError>>;

    /// The bytes of `path@version`'s module zip (the package sources the
    /// audit reads imports from).
    fn zip<'a>(
        &'a self,
        path: &'a str,
        version: &'a str,
    ) -> BoxFuture<'a, Result<Vec<u8>, FetchError>>;

    /// `path`'s latest version when `@v/list` names no tagged one, as
    /// `Repo.Latest` answers it (a proxy's `@latest`, else the newest
    /// pseudo-version its list names). A source that cannot say answers
    /// [`FetchErrorKind::Failed`], never "not found".
    fn latest<'a>(&'a self, path: &'a str) -> BoxFuture<'a, Result<Info, FetchError>> {
        Box::pin(async move {
            Err(FetchError {
                module: path.to_owned(),
                kind: FetchErrorKind::Failed,
                detail: "this module source cannot answer @latest".to_owned(),
            })
        })
    }
}

/// Why a source could not answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{module}: {kind}: {detail}")]
pub struct FetchError {
    /// `path` or `path@version` that was asked for.
    pub module: String,
    /// The class of failure, which decides GOPROXY fallthrough.
    pub kind: FetchErrorKind,
    /// What happened, naming the source (proxy URL, cache directory).
    pub detail: String,
}

/// Classes of fetch failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum FetchErrorKind {
    /// 404, or no such file: the next proxy after `,` is tried.
    #[error("not found")]
    NotFound,
    /// 410: treated like not found for fallthrough.
    #[error("gone")]
    Gone,
    /// `GOPROXY=off`, or a cache-only source without the data.
    #[error("offline")]
    Offline,
    /// The path matches GOPRIVATE/GONOPROXY and may not go to a proxy.
    #[error("private")]
    Private,
    /// The data disagrees with go.sum.
    #[error("tampered")]
    Tampered,
    /// Any other failure: network, server error, malformed answer.
    #[error("failed")]
    Failed,
}

impl FetchErrorKind {
    /// Whether the go command would try the next proxy after a `,`.
    pub fn is_not_found(self) -> bool {
        matches!(
            self,
            Self::NotFound | Self::Gone | Self::Offline | Self::Private
        )
    }
}

#[cfg(feature = "net")]
mod from_env {
    use std::sync::Arc;

    use super::cached::CachedSource;
    use super::chain::Chain;
    use super::http::{HttpClient, HttpOptions, HttpTransport, SystemRoots};
    use super::metadata_cache::{KeepRefusals, KeptAnswers};
    use super::modcache::ModCache;
    use super::netrc::Netrc;
    use super::proxy::ProxySource;
    use super::verify::GoModSums;
    use crate::goenv::{GoEnv, GoEnvError};

    /// Why the module source could not be set up.
    #[derive(Debug, thiserror::Error)]
    pub enum SourceError {
        /// GOPROXY or GOMODCACHE is invalid.
        #[error(transparent)]
        Env(#[from] GoEnvError),
    }

    /// The source the CLI uses: `$GOMODCACHE/cache/download` first, then the
    /// GOPROXY chain over one shared HTTP client, written through to the cache,
    /// go.mod files checked against `sums`. `netrc` is the text of the
    /// `.netrc` file (`env.netrc`) when the CLI could read it and
    /// `env.uses_netrc()`. The system CA bundle go would use is trusted too
    /// (read only if a proxy is asked). With `kept`, the HTTP
    /// proxies' refusals of exact versions are kept there (and answered from
    /// there while fresh).
    pub fn from_env(
        env: &GoEnv,
        sums: GoModSums,
        mut options: HttpOptions,
        netrc: Option<&str>,
        kept: Option<&Arc<KeptAnswers>>,
    ) -> Result<CachedSource, SourceError> {
        options.system_roots.get_or_insert_with(|| SystemRoots {
            ssl_cert_file: env.ssl_cert_file.clone(),
        });
        let client = Arc::new(HttpClient::new(
            options,
            netrc.map(Netrc::parse).unwrap_or_default(),
        ));
        let chain = Chain::new(env, &|url| {
            let transport = HttpTransport::new(Arc::clone(&client), url);
            match kept {
                Some(kept) => Box::new(ProxySource::new(KeepRefusals::new(
                    transport,
                    Arc::clone(kept),
                ))),
                None => Box::new(ProxySource::new(transport)),
            }
        })?;
        let cache = ModCache::new(env.gomodcache()?);
        Ok(CachedSource::new(cache, Box::new(chain), sums))
    }
}
