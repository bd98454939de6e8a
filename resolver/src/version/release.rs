//! Naming a gateway by a Tyk release or a commit, and reading the answers
//! that turn such a name into a module version (the pure part; the CLI runs
//! git and asks the module proxy).
//!
//! Tyk's release tags (`v5.3.6`) are not versions of the module
//! `github.com/TykTechnologies/tyk`: a `v2`+ tag is only valid for a path
//! ending in `/v5`, and the repository has a go.mod, so `+incompatible` is
//! ruled out too. `go get github.com/TykTechnologies/tyk@v5.3.6` fails; the
//! module version of a release is the pseudo-version of its commit
//! (`v1.9.2-0.20240924125426-1db1935d8992`). So a release name is first
//! mapped to its commit through the repository's tags (`git ls-remote
//! --tags`), and the commit to a version through the proxy's query endpoint
//! (`<module>/@v/<commit>.info`) or, from git's facts, by
//! [`super::commit::commit_version`].

use super::escape::{escape_path, escape_version};

/// What `--gateway` or `gateway resolve` was given, when it is neither a
/// directory nor `MODULE@VERSION`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GatewayRef {
    /// A Tyk release, as its tag is spelled (`v5.3.6`, `v5.3.6-rc4`), from
    /// `v5.3.6`, `5.3.6` or `release-5.3.6`.
    Release {
        /// The tag name in the repository.
        tag: String,
    },
    /// A commit hash or prefix of one: 7 to 40 hex digits, lower-cased.
    Commit {
        /// The hash as given, lower-cased.
        hash: String,
    },
}

/// Why a text names no release and no commit.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{text:?} is not a Tyk release name (v5.3.6, 5.3.6 or release-5.3.6, optionally with a prerelease such as -rc4) nor a commit hash (7 to 40 hex digits)"
)]
pub struct RefError {
    /// The text given.
    pub text: String,
}

impl GatewayRef {
    /// Read a release name or a commit hash.
    ///
    /// A release is `MAJOR.MINOR.PATCH` (decimal, no leading zeros), with an
    /// optional `-prerelease` of dot-separated alphanumerics and hyphens, after
    /// `v`, `release-` or nothing. A hash is 7 to 40 hex digits. The two never
    /// overlap: a release has dots, a hash has none.
    pub fn parse(text: &str) -> Result<Self, RefError> {
        let err = || RefError {
            text: text.to_owned(),
        };
        if (7..=40).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Ok(Self::Commit {
                hash: text.to_ascii_lowercase(),
            });
        }
        let bare = text
            .strip_prefix("release-")
            .or_else(|| text.strip_prefix('v'))
            .unwrap_or(text);
        let (core, pre) = match bare.split_once('-') {
            Some((core, pre)) => (core, Some(pre)),
            None => (bare, None),
        };
        let numbers: Vec<&str> = core.split('.').collect();
        let number_ok = |n: &&str| {
            !n.is_empty()
                && n.bytes().all(|b| b.is_ascii_digit())
                && (n.len() == 1 || !n.starts_with('0'))
        };
        if numbers.len() != 3 || !numbers.iter().all(number_ok) {
            return Err(err());
        }
        if let Some(pre) = pre {
            let ident_ok = |id: &str| {
                !id.is_empty() && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            };
            if !pre.split('.').all(ident_ok) {
                return Err(err());
            }
        }
        Ok(Self::Release {
            tag: format!("v{bare}"),
        })
    }

    /// Whether `text` reads as a release name or a commit hash.
    pub fn matches(text: &str) -> bool {
        Self::parse(text).is_ok()
    }
}

impl std::fmt::Display for GatewayRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Release { tag } => write!(f, "release {tag}"),
            Self::Commit { hash } => write!(f, "commit {hash}"),
        }
    }
}

/// One tag as `git ls-remote --tags` lists it: the commit it names, peeled
/// through annotated tag objects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteTag {
    /// The tag name without `refs/tags/`.
    pub name: String,
    /// The commit (for an annotated tag, the `^{}` line's object).
    pub commit: String,
}

/// The tags `git ls-remote --tags` prints (`<hash>\trefs/tags/<name>`, and
/// `<hash>\trefs/tags/<name>^{}` after an annotated tag for the commit it
/// peels to), in the order listed. An annotated tag's `^{}` line replaces
/// the tag object's hash; malformed lines are skipped.
pub fn parse_ls_remote(text: &str) -> Vec<RemoteTag> {
    let mut tags: Vec<RemoteTag> = Vec::new();
    for line in text.lines() {
        let Some((hash, reference)) = line.split_once('\t') else {
            continue;
        };
        let Some(name) = reference.trim_end().strip_prefix("refs/tags/") else {
            continue;
        };
        let hash = hash.trim();
        if hash.is_empty() || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
            continue;
        }
        if let Some(name) = name.strip_suffix("^{}") {
            match tags.iter_mut().find(|t| t.name == name) {
                Some(tag) => hash.clone_into(&mut tag.commit),
                None => tags.push(RemoteTag {
                    name: name.to_owned(),
                    commit: hash.to_owned(),
                }),
            }
        } else if !tags.iter().any(|t| t.name == name) {
            // (A tag already seen by its peeled line keeps that commit.)
            tags.push(RemoteTag {
                name: name.to_owned(),
                commit: hash.to_owned(),
            });
        }
    }
    tags
}

/// The commit `tag` names, if listed.
pub fn tag_commit<'a>(tags: &'a [RemoteTag], tag: &str) -> Option<&'a str> {
    tags.iter()
        .find(|t| t.name == tag)
        .map(|t| t.commit.as_str())
}

/// The full hashes of listed tags' commits that start with `prefix`,
/// deduplicated in listing order.
pub fn commits_with_prefix<'a>(tags: &'a [RemoteTag], prefix: &str) -> Vec<&'a str> {
    let mut found: Vec<&str> = Vec::new();
    for tag in tags {
        if tag.commit.starts_with(prefix) && !found.contains(&tag.commit.as_str()) {
            found.push(&tag.commit);
        }
    }
    found
}

/// The names of the tags on `commit` (a full hash), in listing order.
pub fn tags_at<'a>(tags: &'a [RemoteTag], commit: &str) -> Vec<&'a str> {
    tags.iter()
        .filter(|t| t.commit == commit)
        .map(|t| t.name.as_str())
        .collect()
}

/// The proxy request that resolves `query` (a commit hash, tag or branch)
/// for `module`: `<escaped module>/@v/<escaped query>.info`, relative to a
/// GOPROXY entry (the go command's proxy protocol).
pub fn info_query(module: &str, query: &str) -> Result<String, String> {
    let path = escape_path(module).map_err(|e| e.to_string())?;
    let query = escape_version(query).map_err(|e| e.to_string())?;
    Ok(format!("{path}/@v/{query}.info"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[allow(clippy::unnecessary_wraps)] // compared with parse's answers
    fn release(tag: &str) -> Result<GatewayRef, RefError> {
        Ok(GatewayRef::Release {
            tag: tag.to_owned(),
        })
    }

    #[test]
    fn release_names_in_every_form_name_the_tag() {
        for text in ["v5.3.6", "5.3.6", "release-5.3.6"] {
            assert_eq!(GatewayRef::parse(text), release("v5.3.6"), "{text}");
        }
        assert_eq!(
            GatewayRef::parse("release-5.3.6-rc4"),
            release("v5.3.6-rc4")
        );
        assert_eq!(
            GatewayRef::parse("v5.10.0-alpha.1"),
            release("v5.10.0-alpha.1")
        );
        assert_eq!(GatewayRef::parse("0.0.0"), release("v0.0.0"));
    }

    #[test]
    fn hashes_are_7_to_40_hex_digits() {
        let full = "1db1935d899296c91a55ba528e7b653aec02883b";
        for text in [full, "1db1935", "1DB1935D8992"] {
            assert_eq!(
                GatewayRef::parse(text),
                Ok(GatewayRef::Commit {
                    hash: text.to_ascii_lowercase()
                })
            );
        }
    }

    #[test]
    fn other_texts_are_refused() {
        for text in [
            "",
            "v5.3",
            "release-5.3",
            "5",
            "v05.3.6",
            "5.3.6.1",
            "5.3.6+meta",
            "5.3.6-",
            "5.3.6-rc..1",
            "release-v5.3.6",
            "vv5.3.6",
            "1db193",
            "1db1935d899296c91a55ba528e7b653aec02883b0",
            "master",
            "./gw",
            "1db193g",
        ] {
            let err = GatewayRef::parse(text).expect_err(text);
            assert!(err.to_string().contains("release-5.3.6"), "{err}");
            assert!(!GatewayRef::matches(text));
        }
    }

    #[test]
    fn annotated_tags_resolve_to_the_peeled_commit() {
        let text = "\
aaaa000000000000000000000000000000000000\trefs/tags/v1.9.1
bbbb000000000000000000000000000000000000\trefs/tags/v5.3.6
cccc000000000000000000000000000000000000\trefs/tags/v5.3.6^{}
cccc000000000000000000000000000000000000\trefs/tags/v5.3.6-rc4
not a line
dddd\trefs/heads/master
";
        let tags = parse_ls_remote(text);
        assert_eq!(tags.len(), 3);
        assert_eq!(
            tag_commit(&tags, "v1.9.1"),
            Some("aaaa000000000000000000000000000000000000")
        );
        assert_eq!(
            tag_commit(&tags, "v5.3.6"),
            Some("cccc000000000000000000000000000000000000")
        );
        assert_eq!(tag_commit(&tags, "v5.3.7"), None);
        assert_eq!(
            tags_at(&tags, "cccc000000000000000000000000000000000000"),
            ["v5.3.6", "v5.3.6-rc4"]
        );
        assert_eq!(
            commits_with_prefix(&tags, "cccc"),
            ["cccc000000000000000000000000000000000000"]
        );
        assert!(commits_with_prefix(&tags, "eeee").is_empty());
    }

    #[test]
    fn the_info_query_escapes_the_module_path() {
        assert_eq!(
            info_query("github.com/TykTechnologies/tyk", "1db1935d8992").as_deref(),
            Ok("github.com/!tyk!technologies/tyk/@v/1db1935d8992.info")
        );
    }
}
