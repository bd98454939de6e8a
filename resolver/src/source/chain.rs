//! The GOPROXY list as one source, with cmd/go's routing (`modfetch.lookup`)
//! and walk (`TryProxies`).
//!
//! Entries are tried in order: after a `,` only a not-found answer moves on,
//! after a `|` any error does. A path matching GONOPROXY (GOPRIVATE) is never
//! handed to a proxy source — not even its name goes out. `direct` and the
//! implicit `noproxy` entry would fetch from version control, which tykdeps
//! does not do, so they answer with an error telling the user to let the go
//! command fetch the module into the module cache. The error reported is the
//! best-ranked one, as go ranks them: direct/noproxy errors, then other proxy
//! errors, then not-found (the last one seen).

use super::proxy::percent_decode;
use super::{BoxFuture, FetchError, FetchErrorKind, Info, ModuleSource};
use crate::goenv::{GoEnv, GoEnvError, ModMode, ProxyEntry, ProxyUrl};
use crate::version::module::match_prefix_patterns;

/// One GOPROXY entry, ready to ask.
enum Hop {
    Off,
    Direct,
    NoProxy,
    Proxy(Box<dyn ModuleSource>),
}

/// The GOPROXY list as a [`ModuleSource`].
pub struct Chain {
    hops: Vec<(Hop, bool)>,
    gonoproxy: String,
    vendor: bool,
}

impl std::fmt::Debug for Chain {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Chain")
            .field("gonoproxy", &self.gonoproxy)
            .finish_non_exhaustive()
    }
}

impl Chain {
    /// The chain for `env`'s GOPROXY; `connect` makes the source of an
    /// `http(s)://` entry (`file://` entries are read directly).
    pub fn new(
        env: &GoEnv,
        connect: &dyn Fn(&ProxyUrl) -> Box<dyn ModuleSource>,
    ) -> Result<Self, GoEnvError> {
        let hops = env
            .proxy_list()?
            .iter()
            .map(|spec| {
                let hop = match &spec.entry {
                    ProxyEntry::Off => Hop::Off,
                    ProxyEntry::Direct => Hop::Direct,
                    ProxyEntry::NoProxy => Hop::NoProxy,
                    ProxyEntry::Url(u) if u.scheme == "file" => {
                        Hop::Proxy(Box::new(super::file::file_source(file_url_path(&u.url))))
                    }
                    ProxyEntry::Url(u) => Hop::Proxy(connect(u)),
                };
                (hop, spec.fall_back_on_error)
            })
            .collect();
        Ok(Self {
            hops,
            gonoproxy: env.gonoproxy.clone(),
            vendor: env.goflags.mod_mode == Some(ModMode::Vendor),
        })
    }

    /// Ask every entry in turn, as `TryProxies` does.
    async fn walk<Q: Query>(&self, path: &str, query: &Q) -> Result<Q::Out, FetchError> {
        let module = query.module(path);
        if self.vendor {
            return Err(not_found(
                &module,
                FetchErrorKind::Offline,
                "module lookup disabled by -mod=vendor",
            ));
        }
        let private = match_prefix_patterns(&self.gonoproxy, path);
        let mut best: Option<(FetchError, Rank)> = None;
        for (hop, fall_back_on_error) in &self.hops {
            let (error, rank) = match (hop, private) {
                (Hop::Proxy(source), false) => match query.ask(source.as_ref(), path).await {
                    Ok(out) => return Ok(out),
                    Err(e) => {
                        let rank = if e.kind.is_not_found() {
                            Rank::NotExist
                        } else {
                            Rank::Proxy
                        };
                        (e, rank)
                    }
                },
                (Hop::Proxy(_) | Hop::Off, true) => (
                    not_found(
                        &module,
                        FetchErrorKind::Private,
                        "disabled by GOPRIVATE/GONOPROXY",
                    ),
                    Rank::NotExist,
                ),
                (Hop::Off, false) => (
                    not_found(
                        &module,
                        FetchErrorKind::Offline,
                        "module lookup disabled by GOPROXY=off",
                    ),
                    Rank::NotExist,
                ),
                (Hop::NoProxy, false) => (
                    not_found(
                        &module,
                        FetchErrorKind::NotFound,
                        "path does not match GOPRIVATE/GONOPROXY",
                    ),
                    Rank::NotExist,
                ),
                (Hop::Direct | Hop::NoProxy, _) => {
                    (self.direct_error(&module, private), Rank::Direct)
                }
            };
            let stop = !fall_back_on_error && !error.kind.is_not_found();
            if best.as_ref().is_none_or(|(_, r)| rank >= *r) {
                best = Some((error, rank));
            }
            if stop {
                break;
            }
        }
        Err(best.expect("a GOPROXY list has at least one entry").0)
    }

    /// What `direct` (or `noproxy` for a private path) answers: tykdeps
    /// fetches no version control repositories.
    fn direct_error(&self, module: &str, private: bool) -> FetchError {
        let (kind, why) = if private {
            (
                FetchErrorKind::Private,
                format!(
                    "the path matches GOPRIVATE/GONOPROXY ({:?}), so it is never sent to a proxy",
                    self.gonoproxy
                ),
            )
        } else {
            (
                FetchErrorKind::Failed,
                "GOPROXY reached \"direct\"".to_owned(),
            )
        };
        FetchError {
            module: module.to_owned(),
            kind,
            detail: format!(
                "{why} and the module must be fetched directly from its version control system, \
                 which tykdeps does not do; fetch it with the go command (`go mod download {module}`) \
                 so that it is in the module cache"
            ),
        }
    }
}

/// `TryProxies`' error ranks, worst to best.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Rank {
    NotExist,
    Proxy,
    Direct,
}

fn not_found(module: &str, kind: FetchErrorKind, detail: &str) -> FetchError {
    FetchError {
        module: module.to_owned(),
        kind,
        detail: detail.to_owned(),
    }
}

/// The filesystem path of a `file:` URL (`file:///srv/p` → `/srv/p`),
/// percent-decoded as Go's `url.URL.Path` is.
fn file_url_path(url: &str) -> String {
    let rest = url.split_once(':').map_or(url, |(_, r)| r);
    let path = rest.strip_prefix("//").unwrap_or(rest);
    percent_decode(path)
}

/// One of the three questions, so the walk is written once.
trait Query: Sync {
    type Out: Send;
    fn module(&self, path: &str) -> String;
    fn ask<'a>(
        &'a self,
        source: &'a dyn ModuleSource,
        path: &'a str,
    ) -> BoxFuture<'a, Result<Self::Out, FetchError>>;
}

struct Versions;
struct Latest;
struct InfoOf<'v>(&'v str);
struct GoModOf<'v>(&'v str);
struct ZipOf<'v>(&'v str);

impl Query for Versions {
    type Out = Vec<String>;
    fn module(&self, path: &str) -> String {
        path.to_owned()
    }
    fn ask<'a>(
        &'a self,
        source: &'a dyn ModuleSource,
        path: &'a str,
    ) -> BoxFuture<'a, Result<Self::Out, FetchError>> {
        source.versions(path)
    }
}

impl Query for Latest {
    type Out = Info;
    fn module(&self, path: &str) -> String {
        path.to_owned()
    }
    fn ask<'a>(
        &'a self,
        source: &'a dyn ModuleSource,
        path: &'a str,
    ) -> BoxFuture<'a, Result<Self::Out, FetchError>> {
        source.latest(path)
    }
}

impl Query for InfoOf<'_> {
    type Out = Info;
    fn module(&self, path: &str) -> String {
        format!("{path}@{}", self.0)
    }
    fn ask<'a>(
        &'a self,
        source: &'a dyn ModuleSource,
        path: &'a str,
    ) -> BoxFuture<'a, Result<Self::Out, FetchError>> {
        source.info(path, self.0)
    }
}

impl Query for GoModOf<'_> {
    type Out = Vec<u8>;
    fn module(&self, path: &str) -> String {
        format!("{path}@{}", self.0)
    }
    fn ask<'a>(
        &'a self,
        source: &'a dyn ModuleSource,
        path: &'a str,
    ) -> BoxFuture<'a, Result<Self::Out, FetchError>> {
        source.go_mod(path, self.0)
    }
}

impl Query for ZipOf<'_> {
    type Out = Vec<u8>;
    fn module(&self, path: &str) -> String {
        format!("{path}@{}", self.0)
    }
    fn ask<'a>(
        &'a self,
        source: &'a dyn ModuleSource,
        path: &'a str,
    ) -> BoxFuture<'a, Result<Self::Out, FetchError>> {
        source.zip(path, self.0)
    }
}

impl ModuleSource for Chain {
    fn versions<'a>(&'a self, path: &'a str) -> BoxFuture<'a, Result<Vec<String>, FetchError>> {
        Box::pin(async move { self.walk(path, &Versions).await })
    }

    fn info<'a>(
        &'a self,
        path: &'a str,
        version: &'a str,
    ) -> BoxFuture<'a, Result<Info, FetchError>> {
        Box::pin(async move { self.walk(path, &InfoOf(version)).await })
    }

    fn go_mod<'a>(
        &'a self,
        path: &'a str,
        version: &'a str,
    ) -> BoxFuture<'a, Result<Vec<u8>, FetchError>> {
        Box::pin(async move { self.walk(path, &GoModOf(version)).await })
    }

    fn zip<'a>(
        &'a self,
        path: &'a str,
        version: &'a str,
    ) -> BoxFuture<'a, Result<Vec<u8>, FetchError>> {
        Box::pin(async move { self.walk(path, &ZipOf(version)).await })
    }

    fn latest<'a>(&'a self, path: &'a str) -> BoxFuture<'a, Result<Info, FetchError>> {
        Box::pin(async move { self.walk(path, &Latest).await })
    }
}
