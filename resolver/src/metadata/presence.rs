//! Whether a module version has a go.mod of its own, and the nearest version
//! of the module that does: the `no-go-mod` rule (a shared module without a
//! go.mod makes `plugin.Open` fail) and its suggestion.
//!
//! A proxy serves a `.mod` for every version; for one without a go.mod it
//! serves the file the go command synthesizes, `module <path>\n`
//! (cmd/go `modfetch.LegacyGoMod`). The go command itself tells the two apart
//! by comparing bytes (`versionHasGoMod`), so a real go.mod that says nothing
//! but its module line is taken for a synthesized one, by go and by us.
//! `+incompatible` versions never have one: the go command refuses the
//! suffix on a version that does.

use super::MetadataError;
use super::latest::latest_allowed;
use super::majors::{Family, Unchecked, other_majors};
use super::notes::author_notes;
use crate::graph::ModKey;
use crate::source::ModuleSource;
use crate::version::semver;

/// Whether `data` is the go.mod the go command synthesizes for `path`
/// (`"module " + AutoQuote(path) + "\n"`; a valid module path never needs
/// quoting).
pub fn is_synthesized_go_mod(path: &str, data: &[u8]) -> bool {
    data.strip_prefix(b"module ")
        .and_then(|rest| rest.strip_suffix(b"\n"))
        .is_some_and(|p| p == path.as_bytes())
}

/// Whether `path@version` has a go.mod of its own.
pub async fn has_own_go_mod(
    source: &dyn ModuleSource,
    path: &str,
    version: &str,
) -> Result<bool, MetadataError> {
    if semver::build(version) == "+incompatible" {
        return Ok(false);
    }
    let data = source.go_mod(path, version).await?;
    Ok(!is_synthesized_go_mod(path, &data))
}

/// The answer of [`nearest_with_go_mod`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Nearest {
    /// The nearest version with a go.mod that could be found, if any.
    pub found: Option<ModKey>,
    /// Majors below `found` (all of them when nothing was found) whose
    /// versions could not be read: one of them may hold a nearer version.
    pub unchecked: Vec<Unchecked>,
}

/// The nearest version above `path@version` that has a go.mod of its own and
/// is not retracted: the lowest such version of `path` itself (releases
/// before pre-releases), else of its lowest higher major that has one
/// (`path/v2`, `path/v3`...; for `v2.0.0+incompatible`, `path/v2` first).
/// For a module known only by pseudo-versions, the one the proxy calls
/// latest counts as a later version of `path`. A failure on `path` itself is
/// an error; a major that cannot be read is passed over and named in
/// [`Nearest::unchecked`].
pub async fn nearest_with_go_mod(
    source: &dyn ModuleSource,
    path: &str,
    version: &str,
) -> Result<Nearest, MetadataError> {
    let (_, own) = Family::of(path).ok_or_else(|| MetadataError::InvalidPath {
        path: path.to_owned(),
    })?;
    let later = |v: &str| semver::compare(v, version).is_gt();
    let same = match first_with_go_mod(source, path, later).await? {
        Some(at) => Some(at),
        None => later_pseudo_with_go_mod(source, path, version).await?,
    };
    if same.is_some() {
        return Ok(Nearest {
            found: same,
            unchecked: Vec::new(),
        });
    }
    let major: u64 = semver::major(version)
        .get(1..)
        .and_then(|m| m.parse().ok())
        .unwrap_or(0);
    nearest_in_majors(source, path, major.max(own + 1)).await
}

/// The first version with a go.mod in `path`'s majors from `lowest` up.
async fn nearest_in_majors(
    source: &dyn ModuleSource,
    path: &str,
    lowest: u64,
) -> Result<Nearest, MetadataError> {
    let majors = other_majors(source, path).await?;
    let mut unchecked = Vec::new();
    let mut found = None;
    for other in majors.found.into_iter().filter(|m| m.major >= lowest) {
        match first_with_go_mod(source, &other.path, |_| true).await {
            Ok(Some(at)) => {
                found = Some((at, other.major));
                break;
            }
            Ok(None) => {}
            Err(error) => unchecked.push(Unchecked {
                path: other.path,
                major: other.major,
                error,
            }),
        }
    }
    let below = found.as_ref().map_or(u64::MAX, |(_, k)| *k);
    unchecked.extend(
        majors
            .unchecked
            .into_iter()
            .filter(|u| (lowest..below).contains(&u.major)),
    );
    unchecked.sort_by_key(|u| u.major);
    Ok(Nearest {
        found: found.map(|(at, _)| at),
        unchecked,
    })
}

/// For a module known only by pseudo-versions, its latest one (the proxy's
/// `@latest`), if later than `version`, not retracted and with a go.mod.
async fn later_pseudo_with_go_mod(
    source: &dyn ModuleSource,
    path: &str,
    version: &str,
) -> Result<Option<ModKey>, MetadataError> {
    if !source.versions(path).await?.is_empty() {
        return Ok(None);
    }
    let latest = match latest_allowed(source, path).await {
        Ok(latest) => latest,
        Err(MetadataError::NoLatest { .. }) => return Ok(None),
        Err(e) => return Err(e),
    };
    let found =
        semver::compare(&latest, version).is_gt() && has_own_go_mod(source, path, &latest).await?;
    Ok(found.then(|| ModKey {
        path: path.to_owned(),
        version: latest,
    }))
}

/// The lowest listed version of `path` that `wanted` accepts, is not
/// `+incompatible` or retracted, and has its own go.mod; releases first.
async fn first_with_go_mod(
    source: &dyn ModuleSource,
    path: &str,
    wanted: impl Fn(&str) -> bool,
) -> Result<Option<ModKey>, MetadataError> {
    let versions = source.versions(path).await?;
    let candidates: Vec<&String> = versions
        .iter()
        .filter(|v| wanted(v) && semver::build(v) != "+incompatible")
        .collect();
    if candidates.is_empty() {
        return Ok(None);
    }
    let notes = author_notes(source, path).await?;
    let (releases, prereleases): (Vec<&String>, Vec<&String>) = candidates
        .into_iter()
        .filter(|v| notes.retraction(v).is_none())
        .partition(|v| semver::prerelease(v).is_empty());
    for v in releases.into_iter().chain(prereleases) {
        if has_own_go_mod(source, path, v).await? {
            return Ok(Some(ModKey {
                path: path.to_owned(),
                version: v.clone(),
            }));
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_exact_synthesized_bytes_count() {
        assert!(is_synthesized_go_mod(
            "example.com/m",
            b"module example.com/m\n"
        ));
        assert!(!is_synthesized_go_mod(
            "example.com/m",
            b"module example.com/m\n\ngo 1.21\n"
        ));
        assert!(!is_synthesized_go_mod(
            "example.com/m",
            b"module example.com/m"
        ));
        assert!(!is_synthesized_go_mod(
            "example.com/m",
            b"module \"example.com/m\"\n"
        ));
        assert!(!is_synthesized_go_mod(
            "example.com/m",
            b"module example.com/other\n"
        ));
    }
}
