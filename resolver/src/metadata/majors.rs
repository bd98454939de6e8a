//! The other major versions of a module: `example.com/m`, `example.com/m/v2`,
//! `example.com/m/v3`... (`gopkg.in/yaml.v1`, `gopkg.in/yaml.v2`... on
//! gopkg.in). Each is its own module path, so two of them can live in one
//! build: the way out of a version conflict that a newer major offers.
//!
//! No proxy lists the majors of a module, so they are probed in order. A
//! missing major does not end the search while it is at or below the highest
//! major the module is known to have reached (the path's own major, or the
//! major of a `+incompatible` tag of the base path); above that, the first
//! missing one does. A 404 or 410 on a probed path's version list is how the
//! GOPROXY protocol says the module does not exist, so it counts as missing;
//! a module known only by pseudo-versions (an empty list) is not found either.
//! A path whose list fails otherwise is reported as unchecked and counts as
//! missing for the search, so a failing proxy cannot make it run on.

use super::MetadataError;
use super::latest::latest_allowed;
use crate::source::{FetchError, FetchErrorKind, ModuleSource};
use crate::version::module::{check_path, split_path_version};
use crate::version::semver;

/// Probing never goes beyond this many majors, whatever a proxy answers.
const MAX_MAJOR: u64 = 100;

/// The other majors of a module, as far as the proxy could tell.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Majors {
    /// Those that exist, lowest first.
    pub found: Vec<OtherMajor>,
    /// Those whose existence could not be decided (their version list failed
    /// other than by 404/410, e.g. a 403, or GOPROXY reached `direct`).
    pub unchecked: Vec<Unchecked>,
}

/// Another major version of a module that exists on the proxy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OtherMajor {
    /// Its module path.
    pub path: String,
    /// Its major version number (1 for the base path, which holds v0 and v1).
    pub major: u64,
    /// The version `go get <path>@latest` would pick, or why it cannot be had.
    pub latest: Result<String, MetadataError>,
}

/// A major version path that could not be checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unchecked {
    /// Its module path.
    pub path: String,
    /// Its major version number.
    pub major: u64,
    /// Why.
    pub error: MetadataError,
}

/// The module paths of one module's majors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Family<'a> {
    prefix: &'a str,
    gopkg: bool,
}

impl<'a> Family<'a> {
    /// The family of `path` and the major its path names (1 for a base path).
    /// `None` for a path that is not a module path.
    pub fn of(path: &'a str) -> Option<(Self, u64)> {
        check_path(path).ok()?;
        let (prefix, suffix) = split_path_version(path)?;
        let gopkg = path.starts_with("gopkg.in/");
        let major = match suffix {
            "" => 1,
            s => s[2..].trim_end_matches("-unstable").parse().ok()?,
        };
        Some((Self { prefix, gopkg }, major))
    }

    /// The path of major `k` (`prefix` itself for k ≤ 1 outside gopkg.in).
    pub fn member(self, k: u64) -> String {
        match (self.gopkg, k) {
            (true, k) => format!("{}.v{k}", self.prefix),
            (false, 0 | 1) => self.prefix.to_owned(),
            (false, k) => format!("{}/v{k}", self.prefix),
        }
    }

    /// The first major there is a path for: gopkg.in has `.v0`.
    fn first(self) -> u64 {
        u64::from(!self.gopkg)
    }
}

/// The highest major among a base path's `+incompatible` tags.
fn incompatible_reach(versions: &[String]) -> u64 {
    versions
        .iter()
        .filter(|v| semver::build(v) == "+incompatible")
        .filter_map(|v| semver::major(v)[1..].parse().ok())
        .max()
        .unwrap_or(0)
}

/// Every other major of `path` that exists on the proxy, lowest first, with
/// its latest version, and those that could not be checked.
pub async fn other_majors(source: &dyn ModuleSource, path: &str) -> Result<Majors, MetadataError> {
    let (family, own) = Family::of(path).ok_or_else(|| MetadataError::InvalidPath {
        path: path.to_owned(),
    })?;
    let mut reach = own;
    // The base path's +incompatible tags tell how far the majors went.
    let mut base_listed = None;
    if !family.gopkg {
        let listed = source.versions(&family.member(1)).await;
        reach = reach.max(listed.as_deref().map_or(0, incompatible_reach));
        base_listed = Some(listed);
    }
    let mut majors = Majors::default();
    for k in family.first()..=MAX_MAJOR {
        let member = family.member(k);
        if member == path {
            continue;
        }
        let listed = match base_listed.take() {
            Some(listed) if k == 1 => listed,
            _ => source.versions(&member).await,
        };
        let missing = match probe(listed) {
            Probe::Exists => {
                majors.found.push(OtherMajor {
                    latest: latest_allowed(source, &member).await,
                    path: member,
                    major: k,
                });
                false
            }
            Probe::Missing => true,
            Probe::Unknown(e) => {
                majors.unchecked.push(Unchecked {
                    path: member,
                    major: k,
                    error: e.into(),
                });
                true
            }
        };
        if missing && k > reach {
            break;
        }
    }
    Ok(majors)
}

/// What a probed path's version list says about it.
enum Probe {
    Exists,
    Missing,
    Unknown(FetchError),
}

fn probe(listed: Result<Vec<String>, FetchError>) -> Probe {
    match listed {
        Ok(list) if !list.is_empty() => Probe::Exists,
        Ok(_) => Probe::Missing,
        Err(e) if matches!(e.kind, FetchErrorKind::NotFound | FetchErrorKind::Gone) => {
            Probe::Missing
        }
        Err(e) => Probe::Unknown(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn families_name_their_members() {
        let (f, k) = Family::of("example.com/m/v3").unwrap();
        assert_eq!(k, 3);
        assert_eq!(
            [f.member(1), f.member(2)],
            ["example.com/m", "example.com/m/v2"]
        );
        let (g, k) = Family::of("gopkg.in/yaml.v2").unwrap();
        assert_eq!(k, 2);
        assert_eq!(
            [g.member(0), g.member(3)],
            ["gopkg.in/yaml.v0", "gopkg.in/yaml.v3"]
        );
        assert_eq!(Family::of("example.com/m").unwrap().1, 1);
        assert!(Family::of("example.com/m/v1").is_none() && Family::of("gopkg.in/yaml").is_none());
    }

    #[test]
    fn incompatible_tags_reach_their_major() {
        let vs = ["v1.0.0", "v2.0.0+incompatible", "v4.1.0+incompatible"].map(str::to_owned);
        assert_eq!(incompatible_reach(&vs), 4);
    }
}
