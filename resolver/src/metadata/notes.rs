//! What a module's author says about it in the go.mod of its latest version:
//! `retract` directives and a `// Deprecated:` comment on the module line.
//!
//! The go command reads both from one file only, the go.mod of the version
//! `queryLatestVersionIgnoringRetractions` picks, and applies that file's
//! retractions to every version of the path (cmd/go `CheckRetractions`,
//! `CheckDeprecation`). A retraction in an older version's go.mod, or in a
//! pre-release above the latest release, counts for nothing.

use unicode_general_category::{GeneralCategory, get_general_category};

use super::MetadataError;
use super::latest::latest_ignoring_retractions;
use crate::gomod::{self, Mode, Retract};
use crate::source::ModuleSource;
use crate::version::semver;

/// The retractions and deprecation of one module path, read from the go.mod
/// of its latest version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorNotes {
    /// The module path.
    pub path: String,
    /// The version whose go.mod was read.
    pub latest: String,
    /// The `// Deprecated:` paragraph (go list's `Deprecated` field), if any.
    pub deprecated: Option<String>,
    /// The `retract` directives, in file order.
    pub retract: Vec<Retract>,
}

/// That a version is retracted, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Retraction {
    /// The rationale of every `retract` directive covering the version, in
    /// file order, empty ones left out (as in `ModuleRetractedError`).
    pub rationale: Vec<String>,
}

impl AuthorNotes {
    /// Read the notes of `path` from `data`, the go.mod bytes of
    /// `path@latest`, as `rawGoModSummary` does (`modfile.ParseLax`; the
    /// module line's path is not checked, so renamed modules keep their
    /// retractions).
    pub fn from_go_mod(path: &str, latest: &str, data: &[u8]) -> Result<Self, MetadataError> {
        let module = format!("{path}@{latest}");
        let bad = |detail: String| MetadataError::BadGoMod {
            module: module.clone(),
            detail,
        };
        let text = std::str::from_utf8(data).map_err(|e| bad(e.to_string()))?;
        let file = gomod::parse_mod("go.mod", text, Mode::Lax).map_err(|e| bad(e.to_string()))?;
        Ok(Self {
            path: path.to_owned(),
            latest: latest.to_owned(),
            deprecated: file.module.and_then(|m| m.deprecated),
            retract: file.retract,
        })
    }

    /// Whether `version` of this path is retracted: covered by some
    /// `retract` interval, bounds included, build metadata ignored.
    pub fn retraction(&self, version: &str) -> Option<Retraction> {
        let covering: Vec<&Retract> = self
            .retract
            .iter()
            .filter(|r| {
                semver::compare(&r.low, version).is_le()
                    && semver::compare(version, &r.high).is_le()
            })
            .collect();
        (!covering.is_empty()).then(|| Retraction {
            rationale: covering
                .iter()
                .filter(|r| !r.rationale.is_empty())
                .map(|r| r.rationale.clone())
                .collect(),
        })
    }
}

impl Retraction {
    /// go list's `Retracted` field: the rationales, or
    /// `["retracted by module author"]` when none was given.
    pub fn reasons(&self) -> Vec<String> {
        if self.rationale.is_empty() {
            vec![RETRACTED.to_owned()]
        } else {
            self.rationale.clone()
        }
    }

    /// The one-line message the go command prints for a retracted version
    /// (`ModuleRetractedError`): only the first rationale, made safe for a
    /// terminal by [`short_message`].
    pub fn message(&self) -> String {
        match self.rationale.first() {
            Some(first) => format!("{RETRACTED}: {}", short_message(first, RETRACTED)),
            None => RETRACTED.to_owned(),
        }
    }
}

const RETRACTED: &str = "retracted by module author";

/// cmd/go `ShortMessage`: the first line of a go.mod message, trimmed;
/// `empty_default` if that is empty, a fixed text if it is longer than 500
/// bytes or holds a character that is neither graphic nor space.
pub fn short_message(message: &str, empty_default: &str) -> String {
    let first = message
        .split('\n')
        .next()
        .unwrap_or_default()
        .trim_matches(is_go_space);
    if first.is_empty() {
        return empty_default.to_owned();
    }
    if first.len() > 500 {
        return "(message omitted: too long)".to_owned();
    }
    if !first.chars().all(|c| is_graphic(c) || is_go_space(c)) {
        return "(message omitted: contains non-printable characters)".to_owned();
    }
    first.to_owned()
}

/// Go's `unicode.IsGraphic`: letters, marks, numbers, punctuation, symbols
/// and space separators (`Zs`).
fn is_graphic(c: char) -> bool {
    !matches!(
        get_general_category(c),
        GeneralCategory::LineSeparator
            | GeneralCategory::ParagraphSeparator
            | GeneralCategory::Control
            | GeneralCategory::Format
            | GeneralCategory::PrivateUse
            | GeneralCategory::Surrogate
            | GeneralCategory::Unassigned
    )
}

/// Go's `unicode.IsSpace` (which `strings.TrimSpace` also uses): the
/// Unicode `White_Space` property, as Rust's `char::is_whitespace`.
fn is_go_space(c: char) -> bool {
    c.is_whitespace()
}

/// The notes of `path`: its latest version as the go command picks it,
/// ignoring retractions, then that version's go.mod.
pub async fn author_notes(
    source: &dyn ModuleSource,
    path: &str,
) -> Result<AuthorNotes, MetadataError> {
    let latest = latest_ignoring_retractions(source, path).await?;
    let data = source.go_mod(path, &latest).await?;
    AuthorNotes::from_go_mod(path, &latest, &data)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn notes(go_mod: &str) -> AuthorNotes {
        AuthorNotes::from_go_mod("example.com/m", "v1.9.0", go_mod.as_bytes()).unwrap()
    }

    #[test]
    fn intervals_include_their_bounds_and_ignore_build_metadata() {
        let n = notes("module example.com/m\nretract [v1.1.0, v1.2.0] // bad\nretract v1.5.0\n");
        assert_eq!(n.retraction("v1.1.0").unwrap().reasons(), ["bad"]);
        assert!(n.retraction("v1.2.0").is_some() && n.retraction("v1.1.5-pre").is_some());
        assert!(n.retraction("v1.2.1").is_none() && n.retraction("v1.0.9").is_none());
        assert_eq!(
            n.retraction("v1.5.0").unwrap().reasons(),
            ["retracted by module author"]
        );
    }

    #[test]
    fn every_covering_rationale_is_kept_and_the_first_printed() {
        let n =
            notes("module example.com/m\nretract v1.0.0 // one\nretract [v0.9.0, v1.0.0] // two\n");
        let r = n.retraction("v1.0.0").unwrap();
        assert_eq!(r.reasons(), ["one", "two"]);
        assert_eq!(r.message(), "retracted by module author: one");
    }

    #[test]
    fn short_message_keeps_one_safe_line() {
        assert_eq!(short_message("  first\nsecond", "d"), "first");
        assert_eq!(short_message(" \n x", "d"), "d");
        assert_eq!(
            short_message(&"x".repeat(501), "d"),
            "(message omitted: too long)"
        );
        assert_eq!(
            short_message("bell\u{7}", "d"),
            "(message omitted: contains non-printable characters)"
        );
        assert_eq!(short_message("a\u{2003}b", "d"), "a\u{2003}b");
    }

    #[test]
    fn a_go_mod_that_does_not_parse_is_an_error_naming_it() {
        let err = AuthorNotes::from_go_mod("example.com/m", "v1.0.0", b"module\n").unwrap_err();
        assert!(
            matches!(err, MetadataError::BadGoMod { ref module, .. } if module == "example.com/m@v1.0.0")
        );
    }
}
