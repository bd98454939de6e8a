//! Go toolchain versions (`1.21`, `1.21rc1`, `1.21.0`), as the go command
//! orders the `go` and `toolchain` lines of go.mod (cmd/go `gover`).
//!
//! These are not semantic versions. Since Go 1.21 a bare `1.N` names the
//! language and sorts *below* its prereleases and releases (`1.21 < 1.21rc1 <
//! 1.21.0`), while before 1.21 a missing patch means `.0` (`1.20 == 1.20.0`).
//! Numbers are compared as decimal strings, so any size works, and a
//! malformed version sorts below every valid one. MVS compares the `go` and
//! `toolchain` pseudo-modules with [`mod_compare`].

use std::borrow::Cow;
use std::cmp::Ordering;

use super::semver::{self, compare_int};

/// `major[.minor[.patch]][kind[pre]]`, as slices; all empty when malformed
/// (Go's zero `Version`), which makes malformed versions sort first.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Parsed<'a> {
    major: &'a str,
    minor: &'a str,
    patch: &'a str,
    kind: &'a str,
    pre: &'a str,
}

fn parse(x: &str) -> Parsed<'_> {
    parse_valid(x).unwrap_or_default()
}

fn parse_valid(x: &str) -> Option<Parsed<'_>> {
    let (major, rest) = cut_int(x)?;
    let mut v = Parsed {
        major,
        ..Parsed::default()
    };
    if rest.is_empty() {
        // "1" is 1.0.0.
        v.minor = "0";
        v.patch = "0";
        return Some(v);
    }
    let (minor, rest) = cut_int(rest.strip_prefix('.')?)?;
    v.minor = minor;
    if rest.is_empty() {
        if compare_int(minor, "21") == Ordering::Less {
            v.patch = "0";
        }
        return Some(v);
    }
    if let Some(patch) = rest.strip_prefix('.') {
        // No prereleases of patch releases.
        let (patch, rest) = cut_int(patch)?;
        v.patch = patch;
        return rest.is_empty().then_some(v);
    }
    let letters = rest.bytes().take_while(u8::is_ascii_lowercase).count();
    if letters == 0 {
        return None;
    }
    let (kind, rest) = rest.split_at(letters);
    v.kind = kind;
    if rest.is_empty() {
        return Some(v);
    }
    let (pre, rest) = cut_int(rest)?;
    v.pre = pre;
    rest.is_empty().then_some(v)
}

/// A leading decimal number without a superfluous leading zero, and the rest.
fn cut_int(x: &str) -> Option<(&str, &str)> {
    let digits = x.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || (digits > 1 && x.starts_with('0')) {
        return None;
    }
    Some(x.split_at(digits))
}

/// Compare two Go versions written without `go` (`1.21`, not `go1.21`).
pub fn compare(x: &str, y: &str) -> Ordering {
    let (a, b) = (parse(x), parse(y));
    compare_int(a.major, b.major)
        .then_with(|| compare_int(a.minor, b.minor))
        .then_with(|| compare_int(a.patch, b.patch))
        // "" < alpha < beta < rc
        .then_with(|| a.kind.cmp(b.kind))
        .then_with(|| compare_int(a.pre, b.pre))
}

/// Whether `x` is a well-formed Go version.
pub fn is_valid(x: &str) -> bool {
    parse_valid(x).is_some()
}

/// The language version of `x`: `lang("1.21.3") == "1.21"`,
/// `lang("1.0.1") == "1"`, `lang("2") == "2.0"`; `""` if `x` is malformed.
pub fn lang(x: &str) -> Cow<'_, str> {
    let v = parse(x);
    if v.minor.is_empty() || (v.major == "1" && v.minor == "0") {
        return Cow::Borrowed(v.major);
    }
    match x.get(..v.major.len() + 1 + v.minor.len()) {
        Some(prefix) => Cow::Borrowed(prefix),
        None => Cow::Owned(format!("{}.{}", v.major, v.minor)),
    }
}

/// Whether `x` names a language version rather than a release (`1.21`, but
/// not `1.21.0` or `1.21rc1`).
pub fn is_lang(x: &str) -> bool {
    parse_valid(x).is_some_and(|v| v.patch.is_empty() && v.kind.is_empty())
}

/// The Go version a toolchain name stands for (`go1.21.3-custom` →
/// `1.21.3`); `None` for a name that is not `go` + a valid version (+ a
/// suffix after `-`, space or tab) or that holds a path separator.
pub fn from_toolchain(name: &str) -> Option<&str> {
    if name.contains(['/', '\\']) {
        return None;
    }
    let v = name.strip_prefix("go")?;
    let v = v.find([' ', '\t', '-']).map_or(v, |end| &v[..end]);
    is_valid(v).then_some(v)
}

/// Order two versions of module `path` as MVS does: the `go` pseudo-module
/// by Go version, `toolchain` by the Go version its names stand for, every
/// real module by [`semver::compare`].
pub fn mod_compare(path: &str, x: &str, y: &str) -> Ordering {
    match path {
        "go" => compare(x, y),
        "toolchain" => compare(toolchain_version(x), toolchain_version(y)),
        _ => semver::compare(x, y),
    }
}

fn toolchain_version(name: &str) -> &str {
    if is_valid(name) {
        name
    } else {
        from_toolchain(name).unwrap_or("")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_versions_sort_before_releases_from_1_21() {
        let ascending = [
            "bad",
            "1",
            "1.2",
            "1.19",
            "1.20rc1",
            "1.20",
            "1.20.1",
            "1.21",
            "1.21beta1",
            "1.21rc1",
            "1.21rc2",
            "1.21.0",
            "1.21.10",
            "1.22",
            "1.99999999999",
        ];
        for pair in ascending.windows(2) {
            assert_eq!(compare(pair[0], pair[1]), Ordering::Less, "{pair:?}");
        }
        assert_eq!(compare("1.20", "1.20.0"), Ordering::Equal);
        assert_eq!(compare("1", "1.0.0"), Ordering::Equal);
        assert_eq!(compare("bad", ""), Ordering::Equal);
    }

    #[test]
    fn validity_and_lang() {
        for bad in [
            "",
            "go1.21",
            "1.21.0rc1",
            "1.021",
            "1.21rc01",
            "1.21-x",
            "1.21RC1",
            "1.",
        ] {
            assert!(!is_valid(bad), "{bad}");
        }
        assert_eq!(lang("1.21.3"), "1.21");
        assert_eq!(lang("1.21rc2"), "1.21");
        assert_eq!(lang("1.0.1"), "1");
        assert_eq!(lang("1"), "1");
        assert_eq!(lang("2"), "2.0");
        assert_eq!(lang("x"), "");
        assert!(is_lang("1.21") && !is_lang("1.21.0") && !is_lang("1.21rc1"));
    }

    #[test]
    fn toolchain_names() {
        assert_eq!(from_toolchain("go1.21.3-bigcorp"), Some("1.21.3"));
        assert_eq!(from_toolchain("go1.21.3 x"), Some("1.21.3"));
        assert_eq!(from_toolchain("1.21.3"), None);
        assert_eq!(from_toolchain("go1.21/x"), None);
        assert_eq!(
            mod_compare("toolchain", "go1.21.1", "go1.21.0-custom"),
            Ordering::Greater
        );
        assert_eq!(mod_compare("go", "1.21", "1.21.0"), Ordering::Less);
        assert_eq!(
            mod_compare("example.com/m", "v1.21", "v1.21.0"),
            Ordering::Equal
        );
    }
}
