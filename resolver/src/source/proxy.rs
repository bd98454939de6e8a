//! The GOPROXY protocol (`@v/list`, `@v/<v>.info`, `@v/<v>.mod`) over any
//! transport that can fetch a file below a base: `file://` trees, the module
//! cache and HTTP proxies share this one reading of the answers
//! (cmd/go `modfetch/proxy.go`: list filtering, `.info` checks, canonical
//! `.mod` requests), so they cannot drift apart.

use serde::Deserialize;

use super::{BoxFuture, FetchError, FetchErrorKind, Info, ModuleSource};
use crate::gomod;
use crate::version::escape::{escape_path, escape_version};
use crate::version::module::{canonical_version, check_path, check_path_major, split_path_version};
use crate::version::pseudo::Timestamp;
use crate::version::{pseudo, semver};

/// A failure to get one file, before it is tied to a module.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransportError {
    /// How the failure counts for GOPROXY fallthrough.
    pub kind: FetchErrorKind,
    /// What happened, naming the URL (`reading <url>: 404 Not Found`).
    pub detail: String,
    /// The HTTP status the server answered with, when one answered.
    pub status: Option<u16>,
}

/// How an HTTP proxy's answer counts for GOPROXY fallthrough, as cmd/go's
/// `web.HTTPError` does: 404 and 410 are "not found" (the next proxy after
/// a `,` is tried), any other status but 200 is a failure.
pub fn status_kind(status: u16) -> Option<FetchErrorKind> {
    match status {
        200 => None,
        404 => Some(FetchErrorKind::NotFound),
        410 => Some(FetchErrorKind::Gone),
        _ => Some(FetchErrorKind::Failed),
    }
}

/// Fetches files below a proxy base URL.
pub trait Transport: Send + Sync {
    /// The bytes at `rel` (`<escaped path>/@v/list`, ...) below the base.
    fn get<'a>(&'a self, rel: &'a str) -> BoxFuture<'a, Result<Vec<u8>, TransportError>>;

    /// The base URL with any password redacted, for messages.
    fn base(&self) -> &str;

    /// Whether a request for `rel` carries credentials (URL userinfo,
    /// `.netrc`): an answer to it may change when they do.
    fn sends_credentials(&self, _rel: &str) -> bool {
        false
    }
}

/// A [`ModuleSource`] speaking the GOPROXY protocol over a [`Transport`].
#[derive(Debug, Clone)]
pub struct ProxySource<T> {
    transport: T,
}

impl<T: Transport> ProxySource<T> {
    /// A source reading through `transport`.
    pub fn new(transport: T) -> Self {
        Self { transport }
    }

    /// The raw bytes of `<path>/@v/<file>`, errors naming `module`.
    async fn get(&self, module: &str, path: &str, file: &str) -> Result<Vec<u8>, FetchError> {
        self.get_rel(module, path, &format!("@v/{file}")).await
    }

    /// The raw bytes of `<path>/<rel>`, errors naming `module`.
    async fn get_rel(&self, module: &str, path: &str, rel: &str) -> Result<Vec<u8>, FetchError> {
        let escaped = escape_path(path).map_err(|e| invalid(module, &e))?;
        let rel = format!("{escaped}/{rel}");
        self.transport.get(&rel).await.map_err(|e| FetchError {
            module: module.to_owned(),
            kind: e.kind,
            detail: e.detail,
        })
    }
}

impl<T: Transport> ProxySource<T> {
    /// `<path>/@v/<version>.<ext>`, errors naming `path@version`.
    async fn version_file(
        &self,
        path: &str,
        version: &str,
        ext: &str,
    ) -> Result<Vec<u8>, FetchError> {
        let module = format!("{path}@{version}");
        let escaped = escape_version(version).map_err(|e| invalid(&module, &e))?;
        self.get(&module, path, &format!("{escaped}.{ext}")).await
    }
}

impl<T: Transport> ModuleSource for ProxySource<T> {
    fn versions<'a>(&'a self, path: &'a str) -> BoxFuture<'a, Result<Vec<String>, FetchError>> {
        Box::pin(async move {
            let data = self.get(path, path, "list").await?;
            Ok(parse_list(&String::from_utf8_lossy(&data)))
        })
    }

    fn info<'a>(
        &'a self,
        path: &'a str,
        version: &'a str,
    ) -> BoxFuture<'a, Result<Info, FetchError>> {
        Box::pin(async move {
            let data = self.version_file(path, version, "info").await?;
            parse_info(
                &format!("{path}@{version}"),
                self.transport.base(),
                version,
                &data,
            )
        })
    }

    fn go_mod<'a>(
        &'a self,
        path: &'a str,
        version: &'a str,
    ) -> BoxFuture<'a, Result<Vec<u8>, FetchError>> {
        Box::pin(async move {
            let module = format!("{path}@{version}");
            if canonical_version(version).as_deref() != Some(version) {
                return Err(invalid(
                    &module,
                    &"version passed to GoMod is not canonical",
                ));
            }
            let data = self.version_file(path, version, "mod").await?;
            check_go_mod(&module, self.transport.base(), &data)?;
            Ok(data)
        })
    }

    fn zip<'a>(
        &'a self,
        path: &'a str,
        version: &'a str,
    ) -> BoxFuture<'a, Result<Vec<u8>, FetchError>> {
        Box::pin(async move { self.version_file(path, version, "zip").await })
    }

    fn latest<'a>(&'a self, path: &'a str) -> BoxFuture<'a, Result<Info, FetchError>> {
        Box::pin(async move {
            match self.get_rel(path, path, "@latest").await {
                Ok(data) => {
                    let json: InfoJson = serde_json::from_slice(&data).map_err(|e| FetchError {
                        module: path.to_owned(),
                        kind: FetchErrorKind::Failed,
                        detail: format!(
                            "invalid response from proxy {:?}: {e}",
                            self.transport.base()
                        ),
                    })?;
                    Ok(Info {
                        version: json.version,
                        time: json.time.filter(|t| !t.is_empty()),
                    })
                }
                Err(e) if matches!(e.kind, FetchErrorKind::NotFound | FetchErrorKind::Gone) => {
                    let list = self.get(path, path, "list").await?;
                    match latest_from_list(&String::from_utf8_lossy(&list)) {
                        Some(v) => self.info(path, &v).await,
                        None => Err(FetchError {
                            module: path.to_owned(),
                            kind: FetchErrorKind::NotFound,
                            detail: "no commits".to_owned(),
                        }),
                    }
                }
                Err(e) => Err(e),
            }
        })
    }
}

/// `proxyRepo.latestFromList`: of the valid versions `@v/list` names, the
/// newest by the timestamp after it, or by the time a pseudo-version records;
/// tagged versions without a timestamp are skipped, the earliest line wins a
/// tie. Timestamps are read in UTC (`...Z`) form only; others are skipped.
pub fn latest_from_list(text: &str) -> Option<String> {
    let mut best: Option<(Timestamp, &str)> = None;
    for line in text.split('\n') {
        let mut fields = line.split_whitespace();
        let Some(v) = fields.next().filter(|v| semver::is_valid(v)) else {
            continue;
        };
        let time = match fields.next() {
            Some(stamp) => Timestamp::parse_rfc3339_utc(stamp),
            None if pseudo::is_pseudo_version(v) => pseudo::pseudo_version_time(v).ok(),
            None => None,
        };
        if let Some(t) = time
            && best.is_none_or(|(b, _)| b < t)
        {
            best = Some((t, v));
        }
    }
    best.map(|(_, v)| v.to_owned())
}

/// A request the go command would refuse before fetching anything.
fn invalid(module: &str, cause: &dyn std::fmt::Display) -> FetchError {
    FetchError {
        module: module.to_owned(),
        kind: FetchErrorKind::Failed,
        detail: cause.to_string(),
    }
}

/// `@v/list` as `proxyRepo.Versions` reads it: the first field of each line,
/// kept if it is valid semver and not a pseudo-version, semver-sorted (ties by
/// string, as `semver.Sort`).
pub fn parse_list(text: &str) -> Vec<String> {
    let mut list: Vec<String> = text
        .split('\n')
        .filter_map(|line| line.split_whitespace().next())
        .filter(|v| semver::is_valid(v) && !pseudo::is_pseudo_version(v))
        .map(str::to_owned)
        .collect();
    list.sort_by(|a, b| semver::compare(a, b).then_with(|| a.cmp(b)));
    list
}

/// The `.info` fields we use; Go's decoder matches names case-insensitively
/// and ignores unknown keys.
#[derive(Deserialize)]
struct InfoJson {
    #[serde(rename = "Version", alias = "version", alias = "VERSION", default)]
    version: String,
    #[serde(rename = "Time", alias = "time", alias = "TIME", default)]
    time: Option<String>,
}

/// Decode an `.info` body and apply `proxyRepo.Stat`'s rule: asked for a
/// canonical version valid for the path, the proxy must answer that version.
/// `module` is `path@version`; `base` names the proxy in messages.
pub fn parse_info(
    module: &str,
    base: &str,
    version: &str,
    data: &[u8],
) -> Result<Info, FetchError> {
    let path = module
        .strip_suffix(version)
        .and_then(|m| m.strip_suffix('@'))
        .unwrap_or(module);
    let failed = |detail: String| FetchError {
        module: module.to_owned(),
        kind: FetchErrorKind::Failed,
        detail,
    };
    let json: InfoJson = serde_json::from_slice(data)
        .map_err(|e| failed(format!("invalid response from proxy {base:?}: {e}")))?;
    if json.version != version && version_fits_path(path, version) {
        return Err(failed(format!(
            "proxy returned info for version {} instead of requested version (proxy {base:?})",
            json.version
        )));
    }
    Ok(Info {
        version: json.version,
        time: json.time.filter(|t| !t.is_empty()),
    })
}

/// A go.mod a proxy served must parse as a dependency's go.mod and name its
/// module: one that does not is the proxy's fault (a garbled or cut body), not
/// the user's, so it is a failed fetch naming the proxy, never cached.
/// `module` is `path@version`; `base` names the proxy in messages.
///
/// # Errors
/// [`FetchErrorKind::Failed`] with the parse error.
fn check_go_mod(module: &str, base: &str, data: &[u8]) -> Result<(), FetchError> {
    match go_mod_problem(data) {
        None => Ok(()),
        Some(problem) => Err(FetchError {
            module: module.to_owned(),
            kind: FetchErrorKind::Failed,
            detail: format!("invalid go.mod from proxy {base:?}: {problem}"),
        }),
    }
}

/// Why served go.mod bytes are no dependency's go.mod (they do not parse,
/// or name no module); `None` when they are one.
pub fn go_mod_problem(data: &[u8]) -> Option<String> {
    match gomod::parse_dependency("go.mod", data) {
        Ok(file) if file.module.is_some() => None,
        Ok(_) => Some("missing module line".to_owned()),
        Err(e) => Some(e.to_string()),
    }
}

/// x/mod `module.Check` for a canonical version: the path is valid and the
/// version's major version agrees with the path's suffix.
fn version_fits_path(path: &str, version: &str) -> bool {
    canonical_version(version).as_deref() == Some(version)
        && check_path(path).is_ok()
        && split_path_version(path)
            .is_some_and(|(_, major)| check_path_major(version, major).is_ok())
}

/// Decode `%XX` escapes of a URL part (malformed escapes are kept as they
/// are), for `file:` URL paths and URL userinfo.
pub(crate) fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| u8::from_str_radix(std::str::from_utf8(h).ok()?, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_newest_pseudo_version_or_timestamped_line_is_latest() {
        let list =
            "v1.0.0\nv0.0.0-20200101000000-aaaaaaaaaaaa\nv0.0.0-20210101000000-bbbbbbbbbbbb\n";
        assert_eq!(
            latest_from_list(list).as_deref(),
            Some("v0.0.0-20210101000000-bbbbbbbbbbbb")
        );
        let stamped = "v1.0.0 2022-01-01T00:00:00Z\nv0.0.0-20210101000000-bbbbbbbbbbbb\n";
        assert_eq!(latest_from_list(stamped).as_deref(), Some("v1.0.0"));
        assert_eq!(latest_from_list("v1.0.0\nv1.1.0\n"), None);
        assert_eq!(
            latest_from_list("v1.0.0 2022-01-01T00:00:00.5Z\n").as_deref(),
            Some("v1.0.0")
        );
        assert_eq!(latest_from_list("v1.0.0 2022-01-01T00:00:00+01:00\n"), None);
    }
}
