//! Case-escaping of module paths and versions (x/mod `EscapePath` and
//! friends), the form used in proxy URLs and module-cache directories.
//!
//! Module paths are case-sensitive but file systems often are not, so every
//! upper-case ASCII letter `X` is written `!x`: `github.com/Azure/x` becomes
//! `github.com/!azure/x`. Unescaping is strict, so that each escaped string
//! names exactly one module.

use thiserror::Error;

use super::goquote::quote;
use super::module::{
    PathError, PathKind, PathReason, VersionError, VersionReason, check_element, check_path,
};

/// Why a path or version cannot be escaped or unescaped.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum EscapeError {
    /// The path to escape is not a valid module path.
    #[error(transparent)]
    Path(#[from] PathError),
    /// The version to escape is not usable as a file name, or contains `!`.
    #[error(transparent)]
    Version(#[from] VersionError),
    /// The version to escape holds a non-ASCII letter: legal in a file name,
    /// but the escaping has no form for it (x/mod's own wording).
    #[error("internal error: inconsistency in EscapePath")]
    NonAscii,
    /// The escaped path holds an upper-case or non-ASCII letter, or a `!`
    /// not followed by a lower-case letter.
    #[error("invalid escaped module path {}", quote(.escaped))]
    MalformedPath {
        /// The escaped path as given.
        escaped: String,
    },
    /// The escaped path decodes to an invalid module path.
    #[error("invalid escaped module path {}: {cause}", quote(.escaped))]
    InvalidPath {
        /// The escaped path as given.
        escaped: String,
        /// Why the decoded path is invalid.
        cause: PathError,
    },
    /// The escaped version holds an upper-case or non-ASCII letter, or a `!`
    /// not followed by a lower-case letter.
    #[error("invalid escaped version {}", quote(.escaped))]
    MalformedVersion {
        /// The escaped version as given.
        escaped: String,
    },
    /// The escaped version decodes to something that is not a file name.
    /// (Go names the decoded version here, not the escaped one.)
    #[error("invalid escaped version {}: {cause}", quote(.version))]
    InvalidVersion {
        /// The decoded version.
        version: String,
        /// Why it is not a valid file name.
        cause: PathReason,
    },
}

/// The escaped form of a module path, which must pass [`check_path`].
pub fn escape_path(path: &str) -> Result<String, EscapeError> {
    check_path(path)?;
    escape_string(path)
}

/// The escaped form of a version. Versions need not be semantic versions
/// (a query like `master` is escaped too) but must be valid file names
/// without `!`.
pub fn escape_version(v: &str) -> Result<String, EscapeError> {
    if check_element(v, PathKind::File).is_err() || v.contains('!') {
        return Err(EscapeError::Version(VersionError {
            version: v.to_owned(),
            pseudo: false,
            reason: VersionReason::Disallowed,
        }));
    }
    escape_string(v)
}

fn escape_string(s: &str) -> Result<String, EscapeError> {
    if !s.is_ascii() || s.contains('!') {
        return Err(EscapeError::NonAscii);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if c.is_ascii_uppercase() {
            out.push('!');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    Ok(out)
}

/// The module path an escaped path stands for; it must be a valid module path.
pub fn unescape_path(escaped: &str) -> Result<String, EscapeError> {
    let path = unescape_string(escaped).ok_or_else(|| EscapeError::MalformedPath {
        escaped: escaped.to_owned(),
    })?;
    check_path(&path).map_err(|cause| EscapeError::InvalidPath {
        escaped: escaped.to_owned(),
        cause,
    })?;
    Ok(path)
}

/// The version an escaped version stands for; it must be a valid file name.
pub fn unescape_version(escaped: &str) -> Result<String, EscapeError> {
    let version = unescape_string(escaped).ok_or_else(|| EscapeError::MalformedVersion {
        escaped: escaped.to_owned(),
    })?;
    match check_element(&version, PathKind::File) {
        Ok(()) => Ok(version),
        Err(cause) => Err(EscapeError::InvalidVersion { version, cause }),
    }
}

fn unescape_string(escaped: &str) -> Option<String> {
    let mut out = String::with_capacity(escaped.len());
    let mut bytes = escaped.bytes();
    while let Some(c) = bytes.next() {
        match c {
            b'!' => match bytes.next() {
                Some(lower @ b'a'..=b'z') => out.push(char::from(lower.to_ascii_uppercase())),
                _ => return None,
            },
            b'A'..=b'Z' => return None,
            _ if c.is_ascii() => out.push(char::from(c)),
            _ => return None,
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        assert_eq!(
            escape_path("example.com/Azure/x").unwrap(),
            "example.com/!azure/x"
        );
        assert_eq!(
            unescape_path("example.com/!azure/x").unwrap(),
            "example.com/Azure/x"
        );
        assert_eq!(escape_version("v1.0.0-RC1").unwrap(), "v1.0.0-!r!c1");
        assert_eq!(unescape_version("v1.0.0-!r!c1").unwrap(), "v1.0.0-RC1");
    }

    #[test]
    fn rejects_what_go_rejects() {
        assert_eq!(
            unescape_path("example.com/Azure").unwrap_err().to_string(),
            r#"invalid escaped module path "example.com/Azure""#
        );
        assert!(unescape_path("example.com/x!").is_err());
        assert!(unescape_path("example.com/!!x").is_err());
        assert_eq!(
            escape_version("v1!").unwrap_err().to_string(),
            r#"version "v1!" invalid: disallowed version string"#
        );
        assert_eq!(escape_version("vé").unwrap_err(), EscapeError::NonAscii);
        assert_eq!(
            unescape_version("a*b").unwrap_err().to_string(),
            r#"invalid escaped version "a*b": invalid char '*'"#
        );
    }
}
