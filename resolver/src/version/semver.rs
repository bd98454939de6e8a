//! Semantic versions as Go modules spell them (x/mod `semver`).
//!
//! Go's dialect differs from SemVer 2.0 and from the `semver` crate in ways
//! that change answers: a `v` prefix is required, `v1` and `v1.2` are valid
//! shorthands, numbers may be of any size (they are compared as decimal
//! strings, never parsed into integers), build metadata never affects order,
//! and an invalid string sorts below every valid one instead of being an
//! error. MVS calls [`compare`] in its inner loop, so parsing here borrows
//! slices of the input and never allocates.

use std::borrow::Cow;
use std::cmp::Ordering;

/// The parts of a valid version, as slices of the original string.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Parsed<'a> {
    pub(crate) major: &'a str,
    pub(crate) minor: &'a str,
    pub(crate) patch: &'a str,
    /// What `canonical` appends to a shorthand (`.0.0`, `.0` or nothing).
    pub(crate) short: &'static str,
    /// Including the leading `-`, or empty.
    pub(crate) prerelease: &'a str,
    /// Including the leading `+`, or empty.
    pub(crate) build: &'a str,
}

/// Parse `v` with x/mod's grammar; `None` if it is not a valid version.
pub(crate) fn parse(v: &str) -> Option<Parsed<'_>> {
    let rest = v.strip_prefix('v')?;
    let (major, rest) = parse_int(rest)?;
    let mut p = Parsed {
        major,
        minor: "0",
        patch: "0",
        short: ".0.0",
        prerelease: "",
        build: "",
    };
    if rest.is_empty() {
        return Some(p);
    }
    let (minor, rest) = parse_int(rest.strip_prefix('.')?)?;
    p.minor = minor;
    p.short = ".0";
    if rest.is_empty() {
        return Some(p);
    }
    let (patch, mut rest) = parse_int(rest.strip_prefix('.')?)?;
    p.patch = patch;
    p.short = "";
    if rest.starts_with('-') {
        let end = rest.find('+').unwrap_or(rest.len());
        p.prerelease = &rest[..end];
        if !valid_identifiers(&p.prerelease[1..], true) {
            return None;
        }
        rest = &rest[end..];
    }
    if rest.starts_with('+') {
        p.build = rest;
        if !valid_identifiers(&rest[1..], false) {
            return None;
        }
        rest = "";
    }
    rest.is_empty().then_some(p)
}

/// A leading decimal number without a superfluous leading zero, and the rest.
fn parse_int(s: &str) -> Option<(&str, &str)> {
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || (digits > 1 && s.starts_with('0')) {
        return None;
    }
    Some(s.split_at(digits))
}

/// Non-empty dot-separated `[0-9A-Za-z-]` identifiers; prerelease numerics
/// may not have leading zeros (build numerics may).
fn valid_identifiers(s: &str, prerelease: bool) -> bool {
    s.split('.').all(|ident| {
        !ident.is_empty()
            && ident
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || c == b'-')
            && !(prerelease && ident.len() > 1 && ident.starts_with('0') && is_num(ident))
    })
}

fn is_num(s: &str) -> bool {
    s.bytes().all(|c| c.is_ascii_digit())
}

/// Whether `v` is a valid Go semantic version.
pub fn is_valid(v: &str) -> bool {
    parse(v).is_some()
}

/// The canonical form of `v`: shorthand filled in (`v1` → `v1.0.0`), build
/// metadata dropped. Two versions compare equal exactly when their canonical
/// forms are identical. `None` if `v` is invalid (Go returns `""`).
pub fn canonical(v: &str) -> Option<String> {
    let p = parse(v)?;
    let core = &v[..v.len() - p.build.len()];
    Some([core, p.short].concat())
}

/// The major version prefix: `major("v2.1.0") == "v2"`; `""` if invalid.
pub fn major(v: &str) -> &str {
    parse(v).map_or("", |p| &v[..=p.major.len()])
}

/// The `vMAJOR.MINOR` prefix: `major_minor("v1") == "v1.0"`; `""` if invalid.
pub fn major_minor(v: &str) -> Cow<'_, str> {
    let Some(p) = parse(v) else {
        return Cow::Borrowed("");
    };
    let end = 1 + p.major.len() + 1 + p.minor.len();
    if p.short == ".0.0" {
        Cow::Owned(format!("{v}.0"))
    } else {
        Cow::Borrowed(&v[..end])
    }
}

/// The prerelease suffix with its `-` (`"-pre"` for `v2.1.0-pre+meta`);
/// `""` if there is none or `v` is invalid.
pub fn prerelease(v: &str) -> &str {
    parse(v).map_or("", |p| p.prerelease)
}

/// The build suffix with its `+` (`"+meta"` for `v2.1.0+meta`); `""` if
/// there is none or `v` is invalid.
pub fn build(v: &str) -> &str {
    parse(v).map_or("", |p| p.build)
}

/// Go's version order: invalid versions are equal to each other and below
/// every valid one; build metadata is ignored; numbers of any length compare
/// numerically; a release is above its prereleases.
pub fn compare(v: &str, w: &str) -> Ordering {
    match (parse(v), parse(w)) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Less,
        (Some(_), None) => Ordering::Greater,
        (Some(a), Some(b)) => compare_int(a.major, b.major)
            .then_with(|| compare_int(a.minor, b.minor))
            .then_with(|| compare_int(a.patch, b.patch))
            .then_with(|| compare_prerelease(a.prerelease, b.prerelease)),
    }
}

/// Compare decimal strings without leading zeros: longer is larger.
pub(crate) fn compare_int(x: &str, y: &str) -> Ordering {
    x.len().cmp(&y.len()).then_with(|| x.cmp(y))
}

/// SemVer precedence of two prerelease suffixes (with their leading `-`).
fn compare_prerelease(x: &str, y: &str) -> Ordering {
    match (x.is_empty(), y.is_empty()) {
        (true, true) => return Ordering::Equal,
        (true, false) => return Ordering::Greater,
        (false, true) => return Ordering::Less,
        (false, false) => {}
    }
    let mut xs = x[1..].split('.');
    let mut ys = y[1..].split('.');
    loop {
        match (xs.next(), ys.next()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(a), Some(b)) => {
                let order = compare_identifier(a, b);
                if order != Ordering::Equal {
                    return order;
                }
            }
        }
    }
}

/// Numeric identifiers compare numerically and below alphanumeric ones,
/// which compare in ASCII order.
fn compare_identifier(a: &str, b: &str) -> Ordering {
    match (is_num(a), is_num(b)) {
        (true, true) => compare_int(a, b),
        (true, false) => Ordering::Less,
        (false, true) => Ordering::Greater,
        (false, false) => a.cmp(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn canonical_fills_shorthand_and_drops_build() {
        for (v, want) in [
            ("v1", Some("v1.0.0")),
            ("v1.2", Some("v1.2.0")),
            ("v1.2.3+001", Some("v1.2.3")),
            ("v2.0.0+incompatible", Some("v2.0.0")),
            ("v1.2.3-0a", Some("v1.2.3-0a")),
            ("v1.2-pre", None),
            ("v1.2.3-01", None),
            ("v01.2.3", None),
            ("1.2.3", None),
            ("v1.2.3-", None),
            ("v1.2.3-a..b", None),
            ("v1+meta", None),
            ("v1.2.3+", None),
            ("", None),
        ] {
            assert_eq!(canonical(v).as_deref(), want, "{v}");
        }
    }

    #[test]
    fn order_follows_x_mod() {
        let ascending = [
            "none",
            "v0.0.0",
            "v1.0.0-alpha",
            "v1.0.0-alpha.1",
            "v1.0.0-alpha.beta",
            "v1.0.0-beta",
            "v1.0.0-rc.2",
            "v1.0.0-rc.11",
            "v1.0.0",
            "v1.2.4-0.20190101000000-abcdefabcdef",
            "v1.2.4-pre",
            "v1.2.4",
            "v99999999999999999999999.0.0",
        ];
        for pair in ascending.windows(2) {
            assert_eq!(compare(pair[0], pair[1]), Ordering::Less, "{pair:?}");
            assert_eq!(compare(pair[1], pair[0]), Ordering::Greater, "{pair:?}");
        }
        assert_eq!(compare("v1.0.0", "v1.0.0+meta"), Ordering::Equal);
        assert_eq!(compare("v2.0.0+incompatible", "v2.0.0"), Ordering::Equal);
        assert_eq!(compare("", "none"), Ordering::Equal);
        assert_eq!(compare("v1", "v1.0.0"), Ordering::Equal);
    }

    #[test]
    fn accessors() {
        assert_eq!(major("v2.1.0"), "v2");
        assert_eq!(major("bad"), "");
        assert_eq!(major_minor("v1"), "v1.0");
        assert_eq!(major_minor("v1.2"), "v1.2");
        assert_eq!(major_minor("v1.2.3-pre"), "v1.2");
        assert_eq!(prerelease("v2.1.0-pre+meta"), "-pre");
        assert_eq!(build("v2.1.0-pre+meta"), "+meta");
        assert_eq!(build("v2.1.0-pre+"), "");
    }

    /// Where both dialects can express a version (small numbers, full
    /// triple, no `v`), Go's order is SemVer precedence as the `semver` crate
    /// computes it, build metadata aside.
    fn semver_crate_order(a: &str, b: &str) -> Ordering {
        let a = ::semver::Version::parse(a).expect("generated versions are valid");
        let b = ::semver::Version::parse(b).expect("generated versions are valid");
        a.cmp_precedence(&b)
    }

    fn small_version() -> impl Strategy<Value = String> {
        let ident = prop_oneof!["[1-9][0-9]{0,3}", "0", "[a-zA-Z-][a-zA-Z0-9-]{0,4}"];
        (
            0u32..3,
            0u32..3,
            0u32..3,
            proptest::collection::vec(ident, 0..3),
        )
            .prop_map(|(a, b, c, pre)| {
                let mut v = format!("{a}.{b}.{c}");
                if !pre.is_empty() {
                    v = format!("{v}-{}", pre.join("."));
                }
                v
            })
    }

    proptest! {
        #[test]
        fn agrees_with_the_semver_crate(a in small_version(), b in small_version()) {
            prop_assert_eq!(compare(&format!("v{a}"), &format!("v{b}+x")), semver_crate_order(&a, &b));
        }
    }
}
