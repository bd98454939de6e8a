//! Which version the go command calls "latest" (cmd/go `queryProxy` with the
//! query `latest`): the highest release, else the highest pre-release, of the
//! listed versions it allows; `+incompatible` versions only when the highest
//! allowed compatible version below them has no go.mod of its own.
//!
//! Retractions are read from the go.mod of the latest version *ignoring*
//! retractions ([`latest_ignoring_retractions`]); `go get path@latest` then
//! skips the versions that file retracts ([`latest_allowed`]).

use super::MetadataError;
use super::notes::author_notes;
use super::presence::has_own_go_mod;
use crate::gomod::ModFile;
use crate::graph::ModKey;
use crate::source::{FetchErrorKind, ModuleSource};
use crate::version::semver;

/// How far [`pick_latest`] got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step<'a> {
    /// The pick: `None` when no listed version is allowed (the go command
    /// then asks the proxy's `@latest`).
    Latest(Option<&'a str>),
    /// The pick depends on whether this compatible version has a go.mod of
    /// its own; ask again with the answer.
    NeedGoMod(&'a str),
}

/// `queryMatcher.filterVersions` and the pick after it, for the `latest`
/// query: `versions` is the sorted `@v/list`, `allowed` filters them
/// (retractions, or nothing), `last_compatible_has_go_mod` is the answer to
/// an earlier [`Step::NeedGoMod`].
pub fn pick_latest(
    versions: &[String],
    allowed: impl Fn(&str) -> bool,
    last_compatible_has_go_mod: Option<bool>,
) -> Step<'_> {
    let mut need_incompatible = false;
    let mut last_compatible = None;
    let (mut release, mut prerelease) = (None, None);
    for v in versions.iter().map(String::as_str).filter(|v| allowed(v)) {
        if !need_incompatible {
            if !v.ends_with("+incompatible") {
                last_compatible = Some(v);
            } else if let Some(compatible) = last_compatible {
                match last_compatible_has_go_mod {
                    None => return Step::NeedGoMod(compatible),
                    // Module-aware from here on: higher +incompatible tags are not its versions.
                    Some(true) => break,
                    Some(false) => need_incompatible = true,
                }
            }
        }
        if semver::prerelease(v).is_empty() {
            release = Some(v);
        } else {
            prerelease = Some(v);
        }
    }
    Step::Latest(release.or(prerelease))
}

/// The version `queryLatestVersionIgnoringRetractions` picks for `path`:
/// the one whose go.mod holds the module's retractions and deprecation.
pub async fn latest_ignoring_retractions(
    source: &dyn ModuleSource,
    path: &str,
) -> Result<String, MetadataError> {
    let versions = source.versions(path).await?;
    query_latest(source, path, &versions, |_| true).await
}

/// The version `go get path@latest` picks: as
/// [`latest_ignoring_retractions`], skipping the versions that version's
/// go.mod retracts.
pub async fn latest_allowed(
    source: &dyn ModuleSource,
    path: &str,
) -> Result<String, MetadataError> {
    latest_allowed_excluding(source, path, |_| false).await
}

/// [`latest_allowed`] in a main module whose go.mod excludes the versions
/// `excluded` names: cmd/go `CheckAllowed` leaves out retracted and
/// excluded versions alike, as `go list -m path@latest` does in that module.
pub async fn latest_allowed_excluding(
    source: &dyn ModuleSource,
    path: &str,
    excluded: impl Fn(&str) -> bool,
) -> Result<String, MetadataError> {
    let notes = author_notes(source, path).await?;
    let versions = source.versions(path).await?;
    let allowed = |v: &str| notes.retraction(v).is_none() && !excluded(v);
    query_latest(source, path, &versions, allowed).await
}

/// The module `go build -mod=mod` adds for `import`, a package no required
/// module provides (cmd/go `queryImport`, `QueryPackages(path, "latest")`):
/// the longest path prefix of `import` that has a latest version `main`
/// allows ([`latest_allowed_excluding`]: not retracted, not excluded), at
/// that version. Unlike go, it does not look inside the module for the
/// package; `None` when no prefix has a latest version.
pub async fn module_for_import(
    source: &dyn ModuleSource,
    import: &str,
    main: &ModFile,
) -> Option<ModKey> {
    let mut prefix = import;
    loop {
        let excluded = |v: &str| {
            main.exclude
                .iter()
                .any(|e| e.path == prefix && e.version == v)
        };
        if let Ok(version) = latest_allowed_excluding(source, prefix, excluded).await {
            return Some(ModKey {
                path: prefix.to_owned(),
                version,
            });
        }
        prefix = prefix.rsplit_once('/')?.0;
    }
}

/// Run [`pick_latest`] to the end, fetching the one go.mod it may need, and
/// check the pick's `.info` as the go command's `repo.Stat` does.
async fn query_latest(
    source: &dyn ModuleSource,
    path: &str,
    versions: &[String],
    allowed: impl Fn(&str) -> bool,
) -> Result<String, MetadataError> {
    let mut has_go_mod = None;
    loop {
        match pick_latest(versions, &allowed, has_go_mod) {
            Step::NeedGoMod(v) => has_go_mod = Some(has_own_go_mod(source, path, v).await?),
            Step::Latest(Some(v)) => return Ok(source.info(path, v).await?.version),
            Step::Latest(None) => return proxy_latest(source, path, &allowed).await,
        }
    }
}

/// No listed version will do: the go command asks `Repo.Latest` and takes
/// its answer if allowed. A 404 or 410 there means there is no latest.
async fn proxy_latest(
    source: &dyn ModuleSource,
    path: &str,
    allowed: impl Fn(&str) -> bool,
) -> Result<String, MetadataError> {
    let none = || MetadataError::NoLatest {
        path: path.to_owned(),
    };
    match source.latest(path).await {
        Ok(info) if allowed(&info.version) => Ok(source.info(path, &info.version).await?.version),
        Ok(_) => Err(none()),
        Err(e) if matches!(e.kind, FetchErrorKind::NotFound | FetchErrorKind::Gone) => Err(none()),
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(vs: &[&str]) -> Vec<String> {
        vs.iter().map(|v| (*v).to_owned()).collect()
    }

    #[test]
    fn a_release_beats_a_higher_prerelease() {
        let vs = list(&["v1.0.0", "v1.1.0", "v1.2.0-rc.1"]);
        assert_eq!(
            pick_latest(&vs, |_| true, None),
            Step::Latest(Some("v1.1.0"))
        );
        let pre = list(&["v1.0.0-a", "v1.0.0-b"]);
        assert_eq!(
            pick_latest(&pre, |_| true, None),
            Step::Latest(Some("v1.0.0-b"))
        );
    }

    #[test]
    fn incompatible_versions_count_only_above_a_compatible_version_without_go_mod() {
        let vs = list(&["v1.0.0", "v2.0.0+incompatible"]);
        assert_eq!(pick_latest(&vs, |_| true, None), Step::NeedGoMod("v1.0.0"));
        assert_eq!(
            pick_latest(&vs, |_| true, Some(true)),
            Step::Latest(Some("v1.0.0"))
        );
        assert_eq!(
            pick_latest(&vs, |_| true, Some(false)),
            Step::Latest(Some("v2.0.0+incompatible"))
        );
        let only = list(&["v2.0.0+incompatible", "v3.0.0+incompatible"]);
        assert_eq!(
            pick_latest(&only, |_| true, None),
            Step::Latest(Some("v3.0.0+incompatible"))
        );
    }

    #[test]
    fn disallowed_versions_are_skipped_and_none_left_asks_for_latest() {
        let vs = list(&["v1.0.0", "v1.1.0"]);
        assert_eq!(
            pick_latest(&vs, |v| v != "v1.1.0", None),
            Step::Latest(Some("v1.0.0"))
        );
        assert_eq!(pick_latest(&vs, |_| false, None), Step::Latest(None));
    }
}
