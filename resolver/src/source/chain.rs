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

/// A question for one source, so the walk is written once.
trait Query: Sync {
    type Out: Send;
    fn module(&self, path: &str) -> String;
    fn ask<'a>(
        &'a self,
        source: &'a (dyn ModuleSource + 'static),
        path: &'a str,
    ) -> BoxFuture<'a, Result<Self::Out, FetchError>>;
}

/// A [`ModuleSource`] method asking about a module path.
type PathMethod<T> =
    for<'a> fn(&'a dyn ModuleSource, &'a str) -> BoxFuture<'a, Result<T, FetchError>>;

/// A [`ModuleSource`] method asking about a module version.
type VersionMethod<T> = for<'a> fn(
    &'a (dyn ModuleSource + 'static),
    &'a str,
    &'a str,
) -> BoxFuture<'a, Result<T, FetchError>>;

/// Ask `method` about the path.
struct OfPath<T>(PathMethod<T>);

/// Ask `method` about the path at version `.0`.
struct OfVersion<'v, T>(&'v str, VersionMethod<T>);

impl<T: Send> Query for OfPath<T> {
    type Out = T;
    fn module(&self, path: &str) -> String {
        path.to_owned()
    }
    fn ask<'a>(
        &'a self,
        source: &'a (dyn ModuleSource + 'static),
        path: &'a str,
    ) -> BoxFuture<'a, Result<T, FetchError>> {
        (self.0)(source, path)
    }
}

impl<T: Send> Query for OfVersion<'_, T> {
    type Out = T;
    fn module(&self, path: &str) -> String {
        format!("{path}@{}", self.0)
    }
    fn ask<'a>(
        &'a self,
        source: &'a (dyn ModuleSource + 'static),
        path: &'a str,
    ) -> BoxFuture<'a, Result<T, FetchError>> {
        (self.1)(source, path, self.0)
    }
}

impl ModuleSource for Chain {
    fn versions<'a>(&'a self, path: &'a str) -> BoxFuture<'a, Result<Vec<String>, FetchError>> {
        Box::pin(async move { self.walk(path, &OfPath(|s, p| s.versions(p))).await })
    }

    fn info<'a>(
        &'a self,
        path: &'a str,
        version: &'a str,
    ) -> BoxFuture<'a, Result<Info, FetchError>> {
        Box::pin(async move {
            self.walk(path, &OfVersion(version, |s, p, v| s.info(p, v)))
                .await
        })
    }

    fn go_mod<'a>(
        &'a self,
        path: &'a str,
        version: &'a str,
    ) -> BoxFuture<'a, Result<Vec<u8>, FetchError>> {
        Box::pin(async move {
            self.walk(path, &OfVersion(version, |s, p, v| s.go_mod(p, v)))
                .await
        })
    }

    fn zip<'a>(
        &'a self,
        path: &'a str,
        version: &'a str,
    ) -> BoxFuture<'a, Result<Vec<u8>, FetchError>> {
        Box::pin(async move {
            self.walk(path, &OfVersion(version, |s, p, v| s.zip(p, v)))
                .await
        })
    }

    fn latest<'a>(&'a self, path: &'a str) -> BoxFuture<'a, Result<Info, FetchError>> {
        Box::pin(async move { self.walk(path, &OfPath(|s, p| s.latest(p))).await })
    }
}
