//! Token soup: thousands of strings glued from fragments of the grammars,
//! for the combinations no hand-written table thought of. A fixed-seed
//! generator keeps every run asking the same questions, so a disagreement
//! always reproduces.

/// Fragments of versions: numbers, separators, prerelease words, timestamps.
#[rustfmt::skip]
const VERSION_TOKENS: [&str; 24] = [
    "v", "0", "1", "2", "9", "00", "10", ".", ".", "-", "-", "+", "a", "A", "rc", "pre", "incompatible",
    "20191109021931", "0.", "!", "~", "/", "é", " ",
];

/// Fragments of paths: domains, slashes, major suffixes, awkward characters.
#[rustfmt::skip]
const PATH_TOKENS: [&str; 26] = [
    "example.com", "gopkg.in", "github.com", "/", "/", "/", "v2", "v0", "v1", ".v2", "-unstable", ".", "..", "a",
    "A", "~1", "con", "+", "-", "_", "é", "!", "x.y", "0", "1", ".v",
];

/// Fragments of Go versions.
#[rustfmt::skip]
const GO_TOKENS: [&str; 11] = [
    "1", ".", ".", "21", "0", "rc", "beta", "2", "01", "a", "99999999999",
];

/// Fragments of GOPRIVATE-style patterns.
#[rustfmt::skip]
const GLOB_TOKENS: [&str; 16] = [
    "*", "?", "[", "]", "^", "-", "\\", "a", "g", "/", ",", "github.com", "x", "org", "é", "[a-z]",
];

/// A deterministic xorshift generator (no need for cryptographic quality).
pub(super) struct Soup(u64);

impl Soup {
    pub(super) fn new() -> Self {
        Self::seeded(0x9E37_79B9_7F4A_7C15)
    }

    /// A generator of its own sequence (`seed` must not be 0).
    pub(super) fn seeded(seed: u64) -> Self {
        Self(seed)
    }

    /// One of `items`.
    pub(super) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// A number in `0..below`.
    pub(super) fn below(&mut self, below: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        usize::try_from(self.0 % below as u64).expect("below fits in usize")
    }

    fn string(&mut self, tokens: &[&str]) -> String {
        let len = 1 + self.below(8);
        (0..len).map(|_| tokens[self.below(tokens.len())]).collect()
    }

    /// Mostly `prefix` + soup, sometimes soup alone.
    fn strings(&mut self, prefix: &str, tokens: &[&str], count: usize) -> Vec<String> {
        (0..count)
            .map(|_| {
                let head = if self.below(5) == 0 { "" } else { prefix };
                head.to_owned() + &self.string(tokens)
            })
            .collect()
    }

    /// Strings that look like versions.
    pub(super) fn versions(&mut self, count: usize) -> Vec<String> {
        self.strings("v", &VERSION_TOKENS, count)
    }

    /// Strings that look like module paths.
    pub(super) fn paths(&mut self, count: usize) -> Vec<String> {
        self.strings("example.com/", &PATH_TOKENS, count)
    }

    /// Strings that look like Go versions.
    pub(super) fn go_versions(&mut self, count: usize) -> Vec<String> {
        self.strings("1.", &GO_TOKENS, count)
    }

    /// (pattern list, target path) pairs, targets drawn from `paths`.
    pub(super) fn globs(&mut self, paths: &[String], count: usize) -> Vec<[String; 2]> {
        (0..count)
            .map(|_| {
                [
                    self.string(&GLOB_TOKENS),
                    paths[self.below(paths.len())].clone(),
                ]
            })
            .collect()
    }
}
