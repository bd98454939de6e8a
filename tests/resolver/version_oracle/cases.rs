//! The generated half of the version oracle's inputs: tables of awkward
//! pieces that `inputs` combines. Each table aims at a rule of x/mod's
//! grammar; the comments say which.

/// Version numbers: ordinary, leading zeros (invalid), beyond `u64`.
#[rustfmt::skip]
pub(super) const NUMBERS: [&str; 7] = ["0", "1", "2", "01", "10", "99999999999999999999", "18446744073709551616"];

/// Prereleases: numeric vs alphanumeric identifiers, leading zeros, empty
/// identifiers, upper case, a `+` with nothing after, non-ASCII.
#[rustfmt::skip]
pub(super) const PRERELEASES: [&str; 20] = [
    "", "-0", "-01", "-0a", "-00a", "-alpha", "-alpha.1", "-alpha.beta", "-beta.11", "-rc.2", "-rc.11", "-", "--",
    "-a..b", "-a.", "-.a", "-x-y", "-RC1", "-pre+", "-é",
];

/// Build suffixes: `+incompatible` and look-alikes, leading zeros (allowed).
#[rustfmt::skip]
pub(super) const BUILDS: [&str; 9] = ["", "+incompatible", "+meta", "+001", "+", "+a..b", "+a-b.C", "+incompatible.x", "+é"];

/// Full `major.minor.patch` triples the prereleases and builds are hung on.
#[rustfmt::skip]
pub(super) const TRIPLES: [(&str, &str, &str); 5] = [
    ("0", "0", "0"), ("1", "2", "3"), ("2", "0", "0"), ("1", "01", "0"), ("99999999999999999999", "0", "10"),
];

/// Strings that are not versions but reach version functions: queries,
/// spaces, `!` escapes, file-name trouble, Windows names.
#[rustfmt::skip]
pub(super) const ODD_VERSIONS: [&str; 47] = [
    "", "v", "V1.0.0", "1.2.3", "none", "latest", "upgrade", "patch", "master", "v1.2.3.4", "v1.2.3 ", " v1.2.3",
    "v1..2", "v-1", "v1.-2.3", "v1.2.3-!a", "v1.2.3-a!b", "v1.2.3-!r!c1", "v1.0.0-RC1", "!v1", "vé", "v1.0.0-日本",
    "v1.0.0-a b", "v1.0.0-a*b", "v1.0.0/go.mod", "v1.0.0-a/b", "v1.0.0:x", "con", "CON.v1", "v1~1", "a~1", ".", "..",
    "v1.", ".v1", "-v1", "v1.0.0\t", "v1.0.0\u{a0}", "v1!", "!", "!a", "!A", "a!", "!!a", "v1.0.0-!",
    "v1.2.3+!incompatible", "V!1",
];

/// Pseudo-version timestamps: real, zero, impossible dates (Feb 29 in and out
/// of leap years, month 13, day 0, 24:00, :60), wrong lengths.
#[rustfmt::skip]
pub(super) const STAMPS: [&str; 16] = [
    "20191109021931", "00010101000000", "99999999999999", "20190229000000", "20200229000000", "19000229000000",
    "20000229000000", "20191301000000", "20191100000000", "20191131000000", "20191109240000", "20191109236000",
    "20191109235960", "00000101000000", "2019110902193", "201911090219311",
];

/// Pseudo-version revisions: hex, short, upper case, empty, with separators.
#[rustfmt::skip]
pub(super) const REVS: [&str; 7] = ["daa7c04131f5", "abc", "ABC123", "", "a.b", "a-b", "000000000000"];

/// What precedes the timestamp: the three forms and near misses.
#[rustfmt::skip]
pub(super) const PSEUDO_BASES: [&str; 14] = [
    "v0.0.0-", "v1.0.0-", "v2.0.0-", "v1.2.0-", "v1.2.4-0.", "v1.0.0-0.", "v1.2.10-0.", "v1.2.3-pre.0.",
    "v1.2.3-pre.1.", "v1.2.3-0.0.", "v1.2.3-x-y.0.", "v1.2.3-00.", "v1.2.3-pre0.", "v0.0.0-0.",
];

/// First path elements: domain or not, upper case, leading dash or dot,
/// non-ASCII, a port.
#[rustfmt::skip]
pub(super) const FIRST_ELEMENTS: [&str; 17] = [
    "example.com", "Example.com", "example", "-example.com", "exa_mple.com", ".example.com", "example.com.",
    "gopkg.in", "github.com", "例子.com", "xn--e1afmkfd.com", "example.com~1", "con.com", "a.b-c", "1.2",
    "example.com:8080", "EXAMPLE.COM",
];

/// Later path elements: dots, `+`, `~` short names, Windows device names,
/// major suffixes, and characters Go quotes in its messages (spaces,
/// controls, format and private-use characters, unassigned code points).
#[rustfmt::skip]
pub(super) const ELEMENTS: [&str; 62] = [
    "x", "X", "Azure", ".x", "x.", "..", "...", "a+b", "a~1", "a~", "~1", "PROGRA~1", "a~1.txt", "con", "CON.txt",
    "com1", "COM0", "com10", "lpt9", "Lpt1.go", "aux.go", "nul.", "prn", "v0", "v1", "v2", "v02", "v2.1", "v", "v10",
    "v1.0", "v2.", "a b", "a@b", "a!b", "é", "ø", "a%20b", "a*b", "a:b", "日本", "a\\b", "a,b", "a#b", "a'b", "a\"b",
    "a\u{a0}b", "a\u{200b}b", "a\tb", "-x", "_x", "x_", "a\u{378}b", "a\u{e000}b", "a😀b", "a\u{7f}b", "a\u{0}b",
    "a\u{300}b", "a\u{2028}b", "a\u{10ffff}b", "a\u{fffd}b", "Ⅻ",
];

/// Whole paths: gopkg.in conventions, slashes, `!` escapes, case-folding
/// look-alikes (Kelvin sign, long s), standard-library paths.
#[rustfmt::skip]
pub(super) const ODD_PATHS: [&str; 52] = [
    "gopkg.in/yaml.v2", "gopkg.in/yaml.v0", "gopkg.in/yaml.v1", "gopkg.in/yaml.v01", "gopkg.in/yaml.v10",
    "gopkg.in/yaml.v2-unstable", "gopkg.in/yaml.v0-unstable", "gopkg.in/yaml.v-unstable", "gopkg.in/yaml.v",
    "gopkg.in/yaml", "gopkg.in/user/repo.v3", "gopkg.in/yaml.v2/v3", "gopkg.in/yaml.v2/sub", "gopkg.in/.v2",
    "gopkg.in/v2", "gopkg.in/yaml.V2", "gopkg.in", "gopkg.in/", "gopkg.in/yaml.v2.1", "gopkg.in/yaml-v2", "", "/",
    "/x", "x/", "a//b", "example.com//x", "example.com/x/", "-x", "example.com/v2/v3", "example.com/v3/sub",
    "example.com/m/v2/", "example.com/x.v2", "example.com/!azure", "example.com/!!x", "example.com/x!",
    "example.com/!Azure", "example.com/!1", "example.com/!a!b!c", "!example.com", "example.com/%21x",
    "example.com/\u{212a}", "example.com/ſ", "golang.org/x/mod", "std", "C", "go", "toolchain", "cmd/go",
    "example.com/a+b/c++", "example.com/m/v1/v2", "example.com/m/v2/v1", "example.com/ǅ",
];

/// Go versions: language versions around the 1.21 change, prereleases,
/// leading zeros, huge numbers, garbage.
#[rustfmt::skip]
pub(super) const GO_VERSIONS: [&str; 49] = [
    "", "1", "1.0", "1.0.0", "1.0.1", "1.2", "1.2.3", "1.19", "1.20", "1.20.0", "1.20rc1", "1.20.1", "1.21", "1.21.0",
    "1.21rc1", "1.21rc2", "1.21beta1", "1.21alpha", "1.21rc", "1.21.0rc1", "1.021", "01.21", "1.21rc01",
    "1.99999999999", "2", "2.0", "1.21.3", "1.22", "1.22.0", "1.x", "go1.21", "1.21RC1", "1.21 ", "1.", "1..2",
    "1.21.", "10.0", "1.21rc1x", "1.21.0.0", "1.22rc0", "1.100", "1.9", "1.9.0", "0", "0.1", "1.21é", "1.21rc1 ",
    "1.25.0", "1.26.5",
];

/// Versions whose every pair is compared: the SemVer precedence examples
/// and Go's extras (shorthand, build, invalid, pseudo-versions, huge numbers).
#[rustfmt::skip]
pub(super) const ORDERING: [&str; 38] = [
    "", "none", "v0.0.0", "v0.0.1", "v1", "v1.0", "v1.0.0", "v1.0.0+meta", "v1.0.0-alpha", "v1.0.0-alpha.1",
    "v1.0.0-alpha.beta", "v1.0.0-beta", "v1.0.0-beta.2", "v1.0.0-beta.11", "v1.0.0-rc.1", "v1.0.0-0", "v1.0.0-1",
    "v1.0.0-a", "v1.0.0-A", "v1.0.0--", "v1.0.0-0a", "v1.0.0-a.1.2", "v1.0.0-a.1", "v1.2",
    "v1.2.4-0.20190101000000-abcdefabcdef", "v1.2.4-pre", "v1.2.4", "v1.10.0", "v1.9.0", "v2.0.0+incompatible",
    "v2.0.0", "v10.0.0", "v99999999999999999999.0.0", "v99999999999999999998.0.0", "v1.2.3-99999999999999999999",
    "v1.2.3-100000000000000000000", "v01.0.0", "v1.2.3-01",
];

/// Path-major suffixes, real and malformed.
#[rustfmt::skip]
pub(super) const MAJORS: [&str; 18] = [
    "", "/v2", "/v3", ".v1", ".v0", ".v2", ".v1-unstable", ".v2-unstable", "/v1", "/", ".", "v2", "/v0", "-unstable",
    "/v2.1", ".v02-unstable", "/vx", "/v99999999999999999999",
];

/// GOPRIVATE-style pattern lists: empty items, trailing slashes, classes,
/// negation, escapes, malformed patterns, spaces, non-ASCII.
#[rustfmt::skip]
pub(super) const PATTERNS: [&str; 46] = [
    "", ",", "corp.example.com", "corp.example.com/", "*.corp.com", "github.com/org", "github.com/org/*",
    "github.com/*/repo", "github.com/[a-m]*", "github.com/[^a-m]*", "github.com/\\*", "[", "a[", "*", "*/*",
    "?ithub.com", "github.com/org,corp.example.com", " github.com", "github.com/org/repo/v2/extra", "GITHUB.com",
    "*.com/org", "github.com/o?g", "github.com/[o]rg", "github.com/[]", "gith\\ub.com", "*/org", "github.com//",
    "github.com/TykTechnologies", "*/TykTechnologies/*", "golang.org/x", "[g-h]*.com", "github.com/[\\]]",
    "github.com/[-a]", "github.com/[a-]", "github.com/*[", "github.com/\\", "*.org,*.io", "gopkg.in/*.v2",
    "é.com", "?.com", "[é].com", "[^a].com", "*é.com", "*\u{a9}.com", "[a-ü].com/x", "\\é.com",
];

/// Module paths the patterns are tried on (corpus paths are added).
#[rustfmt::skip]
pub(super) const TARGETS: [&str; 13] = [
    "github.com/org/repo", "github.com/org", "github.com/org/repo/v2", "corp.example.com", "corp.example.com.evil/x",
    "git.corp.com/a", "github.com", "github.com/Org/x", "github.com/*/x", "", "é.com/x", "github.com/]/x", "ü.com/x",
];

/// Tags a pseudo-version is built on: none, releases with patch carries,
/// prereleases, `+incompatible`, shorthand, invalid.
#[rustfmt::skip]
pub(super) const OLDER_TAGS: [&str; 12] = [
    "", "v1.2.3", "v1.2.9", "v1.2.99", "v1.2.3-pre", "v1.2.3-rc.1+incompatible", "v2.0.0+incompatible", "v1", "v1.2",
    "bad", "v1.2.3+meta", "v99999999999999999999.9.9",
];
