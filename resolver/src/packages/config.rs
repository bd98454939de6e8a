//! The build configuration a package set is computed for, and go/build's rules
//! for which tags and file names it satisfies: a file's inclusion depends on
//! GOOS, GOARCH, cgo, the toolchain's release tags and `-tags`.

/// Operating systems go/build knows as file name suffixes.
const KNOWN_OS: &[&str] = &[
    "aix",
    "android",
    "darwin",
    "dragonfly",
    "freebsd",
    "hurd",
    "illumos",
    "ios",
    "js",
    "linux",
    "nacl",
    "netbsd",
    "openbsd",
    "plan9",
    "solaris",
    "wasip1",
    "windows",
    "zos",
];

/// The operating systems the `unix` tag stands for.
const UNIX_OS: &[&str] = &[
    "aix",
    "android",
    "darwin",
    "dragonfly",
    "freebsd",
    "hurd",
    "illumos",
    "ios",
    "linux",
    "netbsd",
    "openbsd",
    "solaris",
];

/// Architectures go/build knows as file name suffixes.
const KNOWN_ARCH: &[&str] = &[
    "386",
    "amd64",
    "amd64p32",
    "arm",
    "armbe",
    "arm64",
    "arm64be",
    "loong64",
    "mips",
    "mipsle",
    "mips64",
    "mips64le",
    "mips64p32",
    "mips64p32le",
    "ppc",
    "ppc64",
    "ppc64le",
    "riscv",
    "riscv64",
    "s390",
    "s390x",
    "sparc",
    "sparc64",
    "wasm",
];

/// What a build is for: the inputs of go/build's `Context` that decide which files count.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BuildConfig {
    /// `GOOS`
    pub goos: String,
    /// `GOARCH`
    pub goarch: String,
    /// `CGO_ENABLED=1`: the `cgo` tag holds and files importing "C" count.
    pub cgo_enabled: bool,
    /// `-tags` plus the toolchain's tool tags (`go list -f '{{context.ToolTags}}'`:
    /// `goexperiment.*` and architecture levels such as `amd64.v1`).
    pub tags: Vec<String>,
    /// The toolchain's minor release: 26 for go1.26 enables `go1.1` … `go1.26`.
    pub go_minor: u32,
}

impl BuildConfig {
    /// Whether `tag` holds, as go/build's `matchTag`.
    pub fn matches(&self, tag: &str) -> bool {
        if tag == self.goos || tag == self.goarch || self.tags.iter().any(|t| t == tag) {
            return true;
        }
        match tag {
            "gc" => true,
            "cgo" => self.cgo_enabled,
            "unix" => UNIX_OS.contains(&self.goos.as_str()),
            "linux" => self.goos == "android",
            "solaris" => self.goos == "illumos",
            "darwin" => self.goos == "ios",
            _ => tag
                .strip_prefix("go1.")
                .and_then(|minor| minor.parse::<u32>().ok())
                .is_some_and(|minor| minor >= 1 && minor <= self.go_minor),
        }
    }

    /// Whether a file's name lets it into the build: `_GOOS`, `_GOARCH` and
    /// `_GOOS_GOARCH` suffixes (before `_test`), as go/build's `goodOSArchFile`.
    pub fn good_os_arch_file(&self, name: &str) -> bool {
        let stem = name.split('.').next().unwrap_or(name);
        let Some(i) = stem.find('_') else {
            return true;
        };
        let mut parts: Vec<&str> = stem[i..].split('_').collect();
        if parts.last() == Some(&"test") {
            parts.pop();
        }
        match parts.as_slice() {
            [.., os, arch] if KNOWN_OS.contains(os) && KNOWN_ARCH.contains(arch) => {
                self.matches(arch) && self.matches(os)
            }
            [.., last] if KNOWN_OS.contains(last) || KNOWN_ARCH.contains(last) => {
                self.matches(last)
            }
            _ => true,
        }
    }

    /// Whether a directory entry is a Go source file of the build at all,
    /// before its contents are read: `.go`, not a test, not `_` or `.` hidden.
    pub fn is_candidate(&self, name: &str) -> bool {
        is_go_source(name) && self.good_os_arch_file(name)
    }
}

/// Whether `name` is a Go file at all; the go command matches `.go` exactly.
#[allow(clippy::case_sensitive_file_extension_comparisons)]
pub fn is_go_file(name: &str) -> bool {
    name.ends_with(".go")
}

/// Whether `name` is a Go file some configuration may build: not a test,
/// not hidden by a leading `_` or `.`.
pub fn is_go_source(name: &str) -> bool {
    is_go_file(name) && !name.ends_with("_test.go") && !name.starts_with(['_', '.'])
}
