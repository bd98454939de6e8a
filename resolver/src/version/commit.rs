//! The version the go command gives a commit of a module (cmd/go
//! `modfetch/coderepo.go`, `(*codeRepo).convert`, as of Go 1.26), from facts a caller reads
//! out of git: the hash, the commit time and two tag lists.
//!
//! Reports use it to name a gateway checkout or binary the way `go get
//! module@commit` would, so that users see `v1.9.2-0.20240924125426-1db1935d8992`
//! rather than "(devel)". Tyk shows why the major-version rules matter: its
//! `v5.x.y` tags are not valid for the path `github.com/TykTechnologies/tyk`
//! (no `/v5` suffix, and a go.mod, so no `+incompatible`), and the go command
//! bases its pseudo-versions on the highest `v1` tag instead.
//!
//! Scope: a module at the root of its repository (tags carry no
//! subdirectory prefix) that has a go.mod, so `+incompatible` versions never
//! arise; retractions are not considered (they need the latest go.mod).

use super::module::{check_path_major, path_major_prefix, split_path_version};
use super::pseudo::{Timestamp, is_pseudo_version, pseudo_version};
use super::semver;

/// A commit as git describes it.
#[derive(Debug, Clone, Copy)]
pub struct Commit<'a> {
    /// The full hash (40 hex digits for SHA-1).
    pub hash: &'a str,
    /// The committer time, in UTC.
    pub time: Timestamp,
    /// The tags pointing at the commit (`git tag --points-at`).
    pub tags: &'a [String],
    /// The tags reachable from the commit, its own included
    /// (`git tag --merged`).
    pub reachable_tags: &'a [String],
}

/// The version of `module_path` at `commit`: the highest canonical tag on the
/// commit that is valid for the path's major version, else a pseudo-version
/// based on the highest such tag reachable from it. `None` for a module
/// path whose major-version suffix is malformed (`/v1`, `/v01`).
pub fn commit_version(module_path: &str, commit: &Commit<'_>) -> Option<String> {
    let (_, path_major) = split_path_version(module_path)?;
    let pseudo_major = path_major_prefix(path_major)?;
    // tagToVersion: the canonical version a tag names, and whether the tag is
    // spelled exactly so; tags like `v1.2` or pseudo-versions name none.
    let tag_version = |tag: &str| -> Option<(String, bool)> {
        if is_pseudo_version(tag) {
            return None;
        }
        let v = semver::canonical(tag).filter(|v| tag.starts_with(v.as_str()))?;
        check_path_major(&v, path_major).ok()?;
        let exact = v == tag;
        Some((v, exact))
    };
    let on_commit = commit
        .tags
        .iter()
        .filter_map(|t| tag_version(t).filter(|(_, exact)| *exact))
        .map(|(v, _)| v)
        .reduce(|a, b| {
            if semver::compare(&a, &b).is_lt() {
                b
            } else {
                a
            }
        });
    if on_commit.is_some() {
        return on_commit;
    }
    // RecentTag with convert's tagAllowed: the highest reachable tag that
    // names a version valid for the path's major.
    let base = commit
        .reachable_tags
        .iter()
        .filter_map(|t| tag_version(t))
        .map(|(v, _)| v)
        .reduce(|a, b| {
            if semver::compare(&a, &b).is_lt() {
                b
            } else {
                a
            }
        });
    Some(pseudo_version(
        pseudo_major,
        base.as_deref().unwrap_or(""),
        commit.time,
        short_hash(commit.hash),
    ))
}

/// The hash as pseudo-versions spell it (`ShortenSHA1`): the first 12 digits
/// of a 40-digit hex hash, anything else unchanged.
pub fn short_hash(hash: &str) -> &str {
    if hash.len() == 40 && hash.bytes().all(|c| c.is_ascii_hexdigit()) {
        &hash[..12]
    } else {
        hash
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HASH: &str = "1db1935d8992a1b2c3d4e5f60718293a4b5c6d7e";

    fn version(path: &str, tags: &[&str], reachable: &[&str]) -> Option<String> {
        let tags: Vec<String> = tags.iter().map(|&t| t.to_owned()).collect();
        let mut reachable: Vec<String> = reachable.iter().map(|&t| t.to_owned()).collect();
        reachable.extend(tags.iter().cloned());
        let commit = Commit {
            hash: HASH,
            time: Timestamp::parse_compact("20240924125426").unwrap(),
            tags: &tags,
            reachable_tags: &reachable,
        };
        commit_version(path, &commit)
    }

    // The shapes the go command oracle (tests/resolver/commit_oracle.rs)
    // cannot reach offline: gopkg.in paths and an invalid path.
    #[test]
    fn gopkg_in_and_invalid_paths() {
        assert_eq!(
            version("gopkg.in/yaml.v3", &[], &["v3.0.1", "v2.4.0"]).as_deref(),
            Some("v3.0.2-0.20240924125426-1db1935d8992")
        );
        assert_eq!(
            version("gopkg.in/yaml.v1", &[], &[]).as_deref(),
            Some("v1.0.0-20240924125426-1db1935d8992")
        );
        assert_eq!(version("example.com/m/v1", &[], &[]), None);
        assert_eq!(short_hash("abc"), "abc");
    }
}
