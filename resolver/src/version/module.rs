//! Module paths and their versions (x/mod `module`): which paths are legal,
//! how a major-version suffix (`/v2`, gopkg.in's `.v2`) binds a path to its
//! versions, and which module paths a GOPRIVATE-style pattern list covers.
//!
//! The go command refuses a go.mod whose paths break these rules, so we
//! reproduce the rules and the exact error wording (`malformed module path
//! "x": missing dot in first path element`) that users will search for.

use thiserror::Error;

use super::goquote::{quote, quote_rune};
use super::gounicode::is_letter;
use super::pathmatch;
use super::semver;

/// Which of Go's path grammars a path was checked against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathKind {
    /// A module path (`CheckPath`): strictest, must be downloadable.
    Module,
    /// A package import path (`CheckImportPath`).
    Import,
    /// A file path inside a module zip (`CheckFilePath`).
    File,
}

impl std::fmt::Display for PathKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            PathKind::Module => "module",
            PathKind::Import => "import",
            PathKind::File => "file",
        })
    }
}

/// A path that breaks Go's naming rules (x/mod `InvalidPathError`).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("malformed {kind} path {}: {reason}", quote(.path))]
pub struct PathError {
    /// The grammar it was checked against.
    pub kind: PathKind,
    /// The offending path.
    pub path: String,
    /// The first rule it breaks.
    pub reason: PathReason,
}

/// The rule a path breaks, worded as x/mod words it.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PathReason {
    /// The path is empty.
    #[error("empty string")]
    Empty,
    /// The path starts with `-` (it would read as a flag).
    #[error("leading dash")]
    LeadingDash,
    /// The path contains `//`.
    #[error("double slash")]
    DoubleSlash,
    /// The path ends with `/`.
    #[error("trailing slash")]
    TrailingSlash,
    /// An element between slashes is empty (a leading `/`).
    #[error("empty path element")]
    EmptyElement,
    /// An element is made of dots only.
    #[error("invalid path element {}", quote(.0))]
    DotsOnly(String),
    /// An element of a module path starts with `.`.
    #[error("leading dot in path element")]
    LeadingDot,
    /// An element ends with `.`.
    #[error("trailing dot in path element")]
    TrailingDot,
    /// A character outside the grammar's alphabet.
    #[error("invalid char {}", quote_rune(*.0))]
    InvalidChar(char),
    /// An element whose part before the first dot is a reserved Windows
    /// device name (CON, NUL, COM1, ...), in any case.
    #[error("{} disallowed as path element component on Windows", quote(.0))]
    WindowsReserved(String),
    /// An element that looks like a Windows short name (`PROGRA~1`).
    #[error("trailing tilde and digits in path element")]
    TildeDigits,
    /// A module path's first element is not a domain name.
    #[error("missing dot in first path element")]
    MissingDot,
    /// A module path's first element holds something other than `[a-z0-9.-]`.
    #[error("invalid char {} in first path element", quote_rune(*.0))]
    InvalidFirstChar(char),
    /// A malformed major-version suffix (`/v0`, `/v1`, `/v02`, `/v2.1`, a
    /// gopkg.in path without `.vN`).
    #[error("invalid version")]
    InvalidMajorSuffix,
}

/// A version that cannot be used where it was found (x/mod `InvalidVersionError`).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{} {} invalid: {reason}", noun(*.pseudo), quote(.version))]
pub struct VersionError {
    /// The offending version.
    pub version: String,
    /// Whether it was read as a pseudo-version.
    pub pseudo: bool,
    /// What is wrong with it.
    pub reason: VersionReason,
}

fn noun(pseudo: bool) -> &'static str {
    if pseudo { "pseudo-version" } else { "version" }
}

/// What is wrong with a version, worded as x/mod words it.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum VersionReason {
    /// The version's major does not match the path's major suffix.
    #[error("should be {want}, not {got}")]
    WrongMajor {
        /// The major the path allows (`v2`, or `v0 or v1`).
        want: String,
        /// The version's major (empty if the version is invalid).
        got: String,
    },
    /// Not in canonical form where go.mod requires it (x/mod `modfile`);
    /// holds the major the form should start with (`v1`, or the path's).
    #[error("must be of the form {0}.2.3")]
    NotCanonical(String),
    /// A v2+ version on a path without a major suffix (x/mod `modfile`'s
    /// suggestion in place of [`VersionReason::WrongMajor`]).
    #[error("should be {version}+incompatible (or module {path}/{major})")]
    ShouldBeIncompatible {
        /// The version as written.
        version: String,
        /// The module path.
        path: String,
        /// The version's major.
        major: String,
    },
    /// Not usable as a file name in the module cache.
    #[error("disallowed version string")]
    Disallowed,
    /// Not a pseudo-version.
    #[error("syntax error")]
    PseudoSyntax,
    /// The pseudo-version's timestamp is not a real UTC time.
    #[error("malformed time {}", quote(.0))]
    MalformedTime(String),
    /// `vX.0.0-T-R+build`: no base version, yet a build suffix.
    #[error("lacks base version, but has build metadata {}", quote(.0))]
    BuildWithoutBase(String),
    /// `vX.Y.0-0.T-R`: the base would be `vX.Y.-1`.
    #[error("version before {0} would have negative patch number")]
    NegativePatch(String),
}

/// The canonical form of a module version: [`semver::canonical`], except
/// that a `+incompatible` build suffix is kept. `None` if invalid.
pub fn canonical_version(v: &str) -> Option<String> {
    let canonical = semver::canonical(v)?;
    Some(if semver::build(v) == "+incompatible" {
        canonical + "+incompatible"
    } else {
        canonical
    })
}

/// Check a module path (`CheckPath`): an import path whose first element is
/// a lower-case domain name with a dot, with no element starting with a dot
/// and a well-formed major-version suffix.
pub fn check_path(path: &str) -> Result<(), PathError> {
    check_module_path(path).map_err(|reason| PathError {
        kind: PathKind::Module,
        path: path.to_owned(),
        reason,
    })
}

fn check_module_path(path: &str) -> Result<(), PathReason> {
    check_elements(path, PathKind::Module)?;
    let first = path.split('/').next().unwrap_or(path);
    if !first.contains('.') {
        return Err(PathReason::MissingDot);
    }
    let first_path_ok =
        |c: char| c == '-' || c == '.' || c.is_ascii_digit() || c.is_ascii_lowercase();
    if let Some(c) = first.chars().find(|&c| !first_path_ok(c)) {
        return Err(PathReason::InvalidFirstChar(c));
    }
    match split_path_version(path) {
        Some(_) => Ok(()),
        None => Err(PathReason::InvalidMajorSuffix),
    }
}

/// Check a package import path (`CheckImportPath`): slash-separated elements
/// of ASCII letters, digits and `-._~+`.
pub fn check_import_path(path: &str) -> Result<(), PathError> {
    check_kind(path, PathKind::Import)
}

/// Check a slash-separated file path inside a module (`CheckFilePath`).
pub fn check_file_path(path: &str) -> Result<(), PathError> {
    check_kind(path, PathKind::File)
}

fn check_kind(path: &str, kind: PathKind) -> Result<(), PathError> {
    check_elements(path, kind).map_err(|reason| PathError {
        kind,
        path: path.to_owned(),
        reason,
    })
}

/// The rules common to every kind of path (x/mod `checkPath`).
fn check_elements(path: &str, kind: PathKind) -> Result<(), PathReason> {
    if path.is_empty() {
        return Err(PathReason::Empty);
    }
    if path.starts_with('-') && kind != PathKind::File {
        return Err(PathReason::LeadingDash);
    }
    if path.contains("//") {
        return Err(PathReason::DoubleSlash);
    }
    if path.ends_with('/') {
        return Err(PathReason::TrailingSlash);
    }
    path.split('/')
        .try_for_each(|elem| check_element(elem, kind))
}

/// The rules for one path element (x/mod `checkElem`).
pub(crate) fn check_element(elem: &str, kind: PathKind) -> Result<(), PathReason> {
    if elem.is_empty() {
        return Err(PathReason::EmptyElement);
    }
    if elem.bytes().all(|c| c == b'.') {
        return Err(PathReason::DotsOnly(elem.to_owned()));
    }
    if elem.starts_with('.') && kind == PathKind::Module {
        return Err(PathReason::LeadingDot);
    }
    if elem.ends_with('.') {
        return Err(PathReason::TrailingDot);
    }
    if let Some(c) = elem.chars().find(|&c| !char_ok(c, kind)) {
        return Err(PathReason::InvalidChar(c));
    }
    let short = elem.split('.').next().unwrap_or(elem);
    if is_windows_reserved(short) {
        return Err(PathReason::WindowsReserved(short.to_owned()));
    }
    if kind != PathKind::File && has_tilde_digits(short) {
        return Err(PathReason::TildeDigits);
    }
    Ok(())
}

fn char_ok(c: char, kind: PathKind) -> bool {
    let module_ok = c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | '~');
    match kind {
        PathKind::Module => module_ok,
        PathKind::Import => module_ok || c == '+',
        PathKind::File if c.is_ascii() => {
            c.is_ascii_alphanumeric() || "!#$%&()+,-.=@[]^_{}~ ".contains(c)
        }
        PathKind::File => is_letter(c),
    }
}

fn is_windows_reserved(short: &str) -> bool {
    const RESERVED: [&str; 4] = ["CON", "PRN", "AUX", "NUL"];
    const NUMBERED: [&str; 2] = ["COM", "LPT"];
    RESERVED.iter().any(|r| short.eq_ignore_ascii_case(r))
        || (short.len() == 4
            && matches!(short.as_bytes()[3], b'1'..=b'9')
            && NUMBERED.iter().any(|r| short[..3].eq_ignore_ascii_case(r)))
}

/// `~` followed by one or more digits at the end (Windows short names).
fn has_tilde_digits(short: &str) -> bool {
    short.rfind('~').is_some_and(|tilde| {
        tilde + 1 < short.len() && short[tilde + 1..].bytes().all(|c| c.is_ascii_digit())
    })
}

/// Split a module path into its prefix and major-version suffix
/// (`SplitPathVersion`): `example.com/m/v2` → (`example.com/m`, `/v2`),
/// `gopkg.in/yaml.v2` → (`gopkg.in/yaml`, `.v2`), `example.com/m` →
/// (`example.com/m`, ``). `None` when the suffix is malformed (`/v0`, `/v1`,
/// `/v02`, `/v2.1`, a gopkg.in path without `.vN`).
pub fn split_path_version(path: &str) -> Option<(&str, &str)> {
    if path.starts_with("gopkg.in/") {
        return split_gopkg_in(path);
    }
    let b = path.as_bytes();
    let mut i = b.len();
    let mut dot = false;
    while i > 0 && (b[i - 1].is_ascii_digit() || b[i - 1] == b'.') {
        dot |= b[i - 1] == b'.';
        i -= 1;
    }
    if i <= 1 || i == b.len() || b[i - 1] != b'v' || b[i - 2] != b'/' {
        return Some((path, ""));
    }
    let (prefix, major) = path.split_at(i - 2);
    if dot || major.as_bytes()[2] == b'0' || major == "/v1" {
        return None;
    }
    Some((prefix, major))
}

/// gopkg.in paths must end in `.vN`, optionally followed by `-unstable`.
fn split_gopkg_in(path: &str) -> Option<(&str, &str)> {
    let b = path.as_bytes();
    let mut i = b.len()
        - if path.ends_with("-unstable") {
            "-unstable".len()
        } else {
            0
        };
    while i > 0 && b[i - 1].is_ascii_digit() {
        i -= 1;
    }
    if i <= 1 || b[i - 1] != b'v' || b[i - 2] != b'.' {
        return None;
    }
    let (prefix, major) = path.split_at(i - 2);
    if major.len() <= 2 || (major.as_bytes()[2] == b'0' && major != ".v0") {
        return None;
    }
    Some((prefix, major))
}

/// Check that version `v` suits a path whose major suffix is `path_major`
/// (`CheckPathMajor`). An empty suffix accepts v0, v1 and any
/// `+incompatible` version; gopkg.in's `-unstable` is ignored; `.v1` also
/// accepts `v0.0.0-` pseudo-versions (an old go bug that lives on in go.mod
/// files).
pub fn check_path_major(v: &str, path_major: &str) -> Result<(), VersionError> {
    let path_major = trim_unstable(path_major);
    if v.starts_with("v0.0.0-") && path_major == ".v1" {
        return Ok(());
    }
    let m = semver::major(v);
    let want = if path_major.is_empty() {
        if m == "v0" || m == "v1" || semver::build(v) == "+incompatible" {
            return Ok(());
        }
        "v0 or v1"
    } else if path_major.starts_with(['/', '.']) {
        if m == &path_major[1..] {
            return Ok(());
        }
        &path_major[1..]
    } else {
        path_major
    };
    Err(VersionError {
        version: v.to_owned(),
        pseudo: false,
        reason: VersionReason::WrongMajor {
            want: want.to_owned(),
            got: m.to_owned(),
        },
    })
}

/// gopkg.in's `.vN-unstable` is `.vN` as far as versions are concerned.
fn trim_unstable(path_major: &str) -> &str {
    if path_major.starts_with(".v") {
        path_major.strip_suffix("-unstable").unwrap_or(path_major)
    } else {
        path_major
    }
}

/// The tag prefix a major suffix implies (`PathMajorPrefix`): `/v2` → `v2`,
/// `.v1-unstable` → `v1`, `""` → `""` (v0 or v1). `None` for a suffix that
/// is not one (Go panics there).
pub fn path_major_prefix(path_major: &str) -> Option<&str> {
    if path_major.is_empty() {
        return Some("");
    }
    if !path_major.starts_with(['/', '.']) {
        return None;
    }
    let m = &trim_unstable(path_major)[1..];
    (m == semver::major(m)).then_some(m)
}

/// Whether some leading elements of module path `target` match one of the
/// comma-separated `path.Match` globs (`MatchPrefixPatterns`): the rule for
/// GOPRIVATE, GONOPROXY and GONOSUMDB. Empty and malformed patterns are
/// ignored; a trailing `/` on a pattern is dropped.
pub fn match_prefix_patterns(globs: &str, target: &str) -> bool {
    globs.split(',').any(|glob| {
        let glob = glob.strip_suffix('/').unwrap_or(glob);
        !glob.is_empty()
            && leading_elements(target, glob.bytes().filter(|&c| c == b'/').count())
                .is_some_and(|prefix| pathmatch::matches(glob, prefix) == Ok(true))
    })
}

/// The first `slashes + 1` elements of `target`, if it has that many.
fn leading_elements(target: &str, slashes: usize) -> Option<&str> {
    let mut seen = 0;
    for (i, c) in target.bytes().enumerate() {
        if c == b'/' {
            if seen == slashes {
                return Some(&target[..i]);
            }
            seen += 1;
        }
    }
    (seen == slashes).then_some(target)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_and_import_paths_differ() {
        for path in ["example/x", "example.com/.x", "example.com/a+b"] {
            assert!(check_path(path).is_err(), "{path}");
            assert!(check_import_path(path).is_ok(), "{path}");
        }
        assert_eq!(
            check_path("example/x").unwrap_err().to_string(),
            r#"malformed module path "example/x": missing dot in first path element"#
        );
        assert_eq!(
            check_path("example.com/m/v1").unwrap_err().to_string(),
            r#"malformed module path "example.com/m/v1": invalid version"#
        );
        assert_eq!(
            check_import_path("a/com1.txt/b").unwrap_err().reason,
            PathReason::WindowsReserved("com1".into())
        );
        assert_eq!(
            check_import_path("a/PROGRA~1").unwrap_err().reason,
            PathReason::TildeDigits
        );
        assert!(check_import_path("a/b~").is_ok());
        assert!(check_file_path("a/PROGRA~1").is_ok());
    }

    #[test]
    fn major_suffixes() {
        assert_eq!(
            split_path_version("example.com/m/v2"),
            Some(("example.com/m", "/v2"))
        );
        assert_eq!(
            split_path_version("example.com/v2"),
            Some(("example.com", "/v2"))
        );
        assert_eq!(
            split_path_version("example.com/m/v"),
            Some(("example.com/m/v", ""))
        );
        for bad in [
            "example.com/m/v1",
            "example.com/m/v0",
            "example.com/m/v02",
            "example.com/m/v2.1",
        ] {
            assert_eq!(split_path_version(bad), None, "{bad}");
        }
        assert_eq!(
            split_path_version("gopkg.in/yaml.v2"),
            Some(("gopkg.in/yaml", ".v2"))
        );
        assert_eq!(
            split_path_version("gopkg.in/yaml.v0"),
            Some(("gopkg.in/yaml", ".v0"))
        );
        assert_eq!(
            split_path_version("gopkg.in/yaml.v2-unstable"),
            Some(("gopkg.in/yaml", ".v2-unstable"))
        );
        assert_eq!(split_path_version("gopkg.in/yaml"), None);
    }

    #[test]
    fn path_major_rules() {
        assert!(check_path_major("v1.0.0+incompatible", "").is_ok());
        assert!(check_path_major("v2.0.0+incompatible", "/v2").is_ok());
        assert!(check_path_major("v0.0.0-20200101000000-abcdefabcdef", ".v1").is_ok());
        assert!(check_path_major("v1.5.0", ".v1-unstable").is_ok());
        assert_eq!(
            check_path_major("v2.0.0", "").unwrap_err().to_string(),
            r#"version "v2.0.0" invalid: should be v0 or v1, not v2"#
        );
    }

    #[test]
    fn major_prefixes() {
        assert_eq!(path_major_prefix("/v2"), Some("v2"));
        assert_eq!(path_major_prefix(".v1-unstable"), Some("v1"));
        assert_eq!(path_major_prefix(""), Some(""));
        assert_eq!(path_major_prefix("v2"), None);
        assert_eq!(path_major_prefix("/v2.1"), None);
    }

    #[test]
    fn canonical_version_keeps_incompatible() {
        assert_eq!(
            canonical_version("v2.0.0+incompatible").as_deref(),
            Some("v2.0.0+incompatible")
        );
        assert_eq!(canonical_version("v1.2+meta"), None);
        assert_eq!(canonical_version("v1.2.3+meta").as_deref(), Some("v1.2.3"));
    }

    #[test]
    fn prefix_patterns() {
        assert!(match_prefix_patterns(
            "corp.example.com",
            "corp.example.com/x/y"
        ));
        assert!(!match_prefix_patterns(
            "corp.example.com",
            "corp.example.com.evil/x"
        ));
        assert!(match_prefix_patterns("*.corp.com", "git.corp.com/a"));
        assert!(match_prefix_patterns(
            ",,github.com/org/",
            "github.com/org/repo/v2"
        ));
        assert!(!match_prefix_patterns(
            "github.com/org/repo",
            "github.com/org"
        ));
        assert!(!match_prefix_patterns("[a-", "a"));
    }
}
