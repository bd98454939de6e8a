//! The go command's environment (GOPROXY, GOPRIVATE, GONOPROXY, GONOSUMDB,
//! GOINSECURE, GOFLAGS, GOMODCACHE, GOWORK, NETRC), read from maps the CLI
//! passes in: the library never touches `std::env`, so every test is hermetic.
//!
//! The rules are cmd/go's (`cfg.EnvOrAndChanged`, `modfetch.proxyList`,
//! `base.InitGOFLAGS`): the process environment wins over the user's go env
//! file, which wins over the defaults of `$GOROOT/go.env`; an empty value counts
//! as unset everywhere, so `GONOPROXY=` cannot undo a non-empty `GOPRIVATE`.
//! Errors the go command only reports when it needs the value (a bad GOPROXY,
//! a relative GOMODCACHE) are kept and returned by the accessor, as go does.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::version::module::match_prefix_patterns;

/// The GOPROXY default of `$GOROOT/go.env`.
pub const DEFAULT_GOPROXY: &str = "https://proxy.golang.org,direct";
/// The GOSUMDB default of `$GOROOT/go.env`.
pub const DEFAULT_GOSUMDB: &str = "sum.golang.org";

/// A setting the go command rejects, worded as go words it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GoEnvError {
    /// GOPROXY does not parse (`proxyList`); the text is go's.
    #[error("{0}")]
    ProxyList(String),
    /// GOFLAGS does not parse (`base.InitGOFLAGS`).
    #[error("parsing $GOFLAGS: {0}")]
    GoFlags(String),
    /// GOFLAGS sets `-mod` to a value go does not know (`work.BuildInit`).
    #[error("-mod={0} not supported (can be '', 'mod', 'readonly', or 'vendor')")]
    ModFlag(String),
    /// GOMODCACHE (or the GOPATH it defaults from) is relative.
    #[error("GOMODCACHE entry is relative; must be absolute path: {0:?}")]
    RelativeModCache(String),
    /// Neither GOMODCACHE nor GOPATH (nor HOME) is set.
    #[error("module cache not found: neither GOMODCACHE nor GOPATH is set")]
    NoModCache,
    /// GOWORK names a relative file.
    #[error("invalid GOWORK: not an absolute path")]
    RelativeGoWork,
}

/// One entry of the GOPROXY list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProxyEntry {
    /// `off`: every lookup fails as not found.
    Off,
    /// `direct`: fetch from the module's version control system.
    Direct,
    /// The implicit first entry when GONOPROXY is set: direct for matching paths.
    NoProxy,
    /// A proxy base URL (`https`, `http` or `file`).
    Url(ProxyUrl),
}

/// A validated proxy base URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProxyUrl {
    /// The URL as configured (after the implicit `https://`), userinfo included.
    pub url: String,
    /// `https`, `http` or `file`, lower-case.
    pub scheme: String,
    /// The URL with any password replaced by `xxxxx`, for messages.
    pub redacted: String,
}

/// A GOPROXY entry and the separator that followed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProxySpec {
    /// The entry.
    pub entry: ProxyEntry,
    /// `true` after `|`: fall through on any error; `false` after `,` (or at the
    /// end): fall through only on not-found.
    pub fall_back_on_error: bool,
}

/// The `-mod` build flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModMode {
    /// `-mod=mod`: go.mod may be updated.
    Mod,
    /// `-mod=readonly`.
    Readonly,
    /// `-mod=vendor`: no module lookups at all.
    Vendor,
}

/// The module-related flags of GOFLAGS.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GoFlags {
    /// The last `-mod=` value; `None` if absent or empty (go's default applies).
    pub mod_mode: Option<ModMode>,
    /// `-modcacherw`: the module cache is left writable.
    pub modcacherw: bool,
    /// Every flag, as split by go (`quoted.Split`), in order.
    pub flags: Vec<String>,
}

/// Which go.work file applies (GOWORK).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Work {
    /// Unset: search upward from the working directory for `go.work`.
    Search,
    /// `off`: workspaces disabled.
    Off,
    /// An absolute path to a go.work file.
    File(PathBuf),
}

/// The go command's module environment.
#[derive(Debug, Clone)]
pub struct GoEnv {
    /// GOPROXY as configured.
    pub goproxy: String,
    /// GOSUMDB as configured.
    pub gosumdb: String,
    /// GOPRIVATE globs.
    pub goprivate: String,
    /// GONOPROXY globs (GOPRIVATE when unset).
    pub gonoproxy: String,
    /// GONOSUMDB globs (GOPRIVATE when unset).
    pub gonosumdb: String,
    /// GOINSECURE globs.
    pub goinsecure: String,
    /// GOAUTH (default `netrc`).
    pub goauth: String,
    /// GOFLAGS, parsed.
    pub goflags: GoFlags,
    /// The `.netrc` file to read (`$NETRC`, else `$HOME/.netrc`).
    pub netrc: Option<PathBuf>,
    /// `SSL_CERT_FILE`: the trusted roots go's crypto/x509 reads instead of
    /// the system bundle (process environment only, as x509 reads it).
    pub ssl_cert_file: Option<PathBuf>,
    proxy_list: Result<Vec<ProxySpec>, GoEnvError>,
    gomodcache: Result<PathBuf, GoEnvError>,
    work: Result<Work, GoEnvError>,
}

impl GoEnv {
    /// The environment go would see, from the process variables and the
    /// parsed user env file (see [`env_file_path`] and [`parse_env_file`]).
    /// Fails only where go fails at start-up (GOFLAGS).
    pub fn new(
        process: &BTreeMap<String, String>,
        env_file: &BTreeMap<String, String>,
    ) -> Result<Self, GoEnvError> {
        let get = |key: &str| -> Option<&str> {
            [process.get(key), env_file.get(key)]
                .into_iter()
                .flatten()
                .map(String::as_str)
                .find(|v| !v.is_empty())
        };
        let or = |key: &str, default: &str| get(key).unwrap_or(default).to_owned();
        let goproxy = or("GOPROXY", DEFAULT_GOPROXY);
        let goprivate = or("GOPRIVATE", "");
        let gonoproxy = or("GONOPROXY", &goprivate);
        let home = get("HOME");
        Ok(Self {
            proxy_list: parse_proxy_list(&goproxy, &gonoproxy),
            gomodcache: mod_cache(get("GOMODCACHE"), get("GOPATH"), home, get("GOROOT")),
            work: parse_work(get("GOWORK")),
            goflags: parse_goflags(get("GOFLAGS").unwrap_or(""))?,
            netrc: get("NETRC")
                .map(PathBuf::from)
                .or_else(|| home.map(|h| Path::new(h).join(".netrc"))),
            ssl_cert_file: process
                .get("SSL_CERT_FILE")
                .filter(|v| !v.is_empty())
                .map(PathBuf::from),
            gosumdb: or("GOSUMDB", DEFAULT_GOSUMDB),
            gonosumdb: or("GONOSUMDB", &goprivate),
            goinsecure: or("GOINSECURE", ""),
            goauth: or("GOAUTH", "netrc"),
            goproxy,
            goprivate,
            gonoproxy,
        })
    }

    /// The parsed GOPROXY list, or go's error for it.
    pub fn proxy_list(&self) -> Result<&[ProxySpec], GoEnvError> {
        self.proxy_list.as_deref().map_err(Clone::clone)
    }

    /// GOMODCACHE (default: first GOPATH element + `/pkg/mod`).
    pub fn gomodcache(&self) -> Result<&Path, GoEnvError> {
        self.gomodcache.as_deref().map_err(Clone::clone)
    }

    /// Which go.work applies.
    pub fn work(&self) -> Result<&Work, GoEnvError> {
        self.work.as_ref().map_err(Clone::clone)
    }

    /// Whether `path` matches GONOPROXY: it must never be sent to a proxy.
    pub fn is_no_proxy(&self, path: &str) -> bool {
        match_prefix_patterns(&self.gonoproxy, path)
    }

    /// Whether `path` matches GONOSUMDB: not checked against the checksum database.
    pub fn is_no_sumdb(&self, path: &str) -> bool {
        match_prefix_patterns(&self.gonosumdb, path)
    }

    /// Whether `path` matches GOINSECURE.
    pub fn is_insecure(&self, path: &str) -> bool {
        match_prefix_patterns(&self.goinsecure, path)
    }

    /// Whether GOAUTH asks for `.netrc` credentials.
    pub fn uses_netrc(&self) -> bool {
        self.goauth
            .split(';')
            .any(|c| c.split_whitespace().next() == Some("netrc"))
    }
}

/// The user go env file go reads (`os.UserConfigDir()/go/env`, or `$GOENV`);
/// `None` when `GOENV=off` or no config directory is known.
pub fn env_file_path(process: &BTreeMap<String, String>) -> Option<PathBuf> {
    let get = |k: &str| process.get(k).map(String::as_str).filter(|v| !v.is_empty());
    match get("GOENV") {
        Some("off") => None,
        Some(file) => Some(PathBuf::from(file)),
        None => {
            let config = match get("XDG_CONFIG_HOME") {
                Some(dir) if Path::new(dir).is_absolute() => PathBuf::from(dir),
                Some(_) => return None,
                None => Path::new(get("HOME")?).join(".config"),
            };
            Some(config.join("go/env"))
        }
    }
}

/// The `KEY=value` lines of a go env file, as `cfg.readEnvFile` reads them:
/// lines without `=` or not starting with `A`–`Z` are ignored, values are not
/// unquoted, and a later line for the same key wins.
pub fn parse_env_file(text: &str) -> BTreeMap<String, String> {
    text.split('\n')
        .filter(|line| line.as_bytes().first().is_some_and(u8::is_ascii_uppercase))
        .filter_map(|line| line.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
}

/// Parse GOPROXY exactly as `modfetch.proxyList` does.
pub fn parse_proxy_list(goproxy: &str, gonoproxy: &str) -> Result<Vec<ProxySpec>, GoEnvError> {
    let mut list = Vec::new();
    if !gonoproxy.is_empty() && goproxy != "direct" {
        list.push(ProxySpec {
            entry: ProxyEntry::NoProxy,
            fall_back_on_error: false,
        });
    }
    let mut rest = goproxy;
    while !rest.is_empty() {
        let (item, fall_back_on_error) = match rest.find([',', '|']) {
            Some(i) => {
                let sep = rest.as_bytes()[i];
                let item = &rest[..i];
                rest = &rest[i + 1..];
                (item, sep == b'|')
            }
            None => (std::mem::take(&mut rest), false),
        };
        let item = item.trim();
        let entry = match item {
            "" => continue,
            "off" => ProxyEntry::Off,
            "direct" => ProxyEntry::Direct,
            _ => ProxyEntry::Url(proxy_url(item)?),
        };
        let last = matches!(entry, ProxyEntry::Off | ProxyEntry::Direct);
        list.push(ProxySpec {
            entry,
            fall_back_on_error: fall_back_on_error && !last,
        });
        if last {
            break;
        }
    }
    if list.iter().all(|s| s.entry == ProxyEntry::NoProxy) {
        return Err(GoEnvError::ProxyList(
            "GOPROXY list is not the empty string, but contains no entries".to_owned(),
        ));
    }
    Ok(list)
}

/// One URL item: the implicit `https://`, then `newProxyRepo`'s checks.
fn proxy_url(item: &str) -> Result<ProxyUrl, GoEnvError> {
    let is_abs = item.starts_with('/');
    let url = if item.contains(['.', ':', '/']) && !item.contains(":/") && !is_abs {
        format!("https://{item}")
    } else {
        item.to_owned()
    };
    let parts = UrlParts::parse(&url)?;
    let redacted = parts.redacted(&url);
    let err = |msg: &str| Err(GoEnvError::ProxyList(format!("{msg}: {redacted}")));
    match parts.scheme.as_str() {
        "http" | "https" => {}
        "file" if parts.path_only => {}
        "file" => return err("invalid file:// proxy URL with non-path elements"),
        "" => return err("invalid proxy URL missing scheme"),
        _ => return err("invalid proxy URL scheme (must be https, http, file)"),
    }
    Ok(ProxyUrl {
        url,
        scheme: parts.scheme,
        redacted,
    })
}

/// The pieces of a URL that proxy validation and redaction need, split the way
/// Go's `net/url.Parse` splits them.
struct UrlParts {
    scheme: String,
    /// No authority, query, fragment or opaque part: only a path.
    path_only: bool,
    /// Byte range of the password in the URL text, if there is one.
    password: Option<(usize, usize)>,
}

impl UrlParts {
    fn parse(url: &str) -> Result<Self, GoEnvError> {
        let parse_err = |msg: &str| GoEnvError::ProxyList(format!("parse {url:?}: {msg}"));
        if url.bytes().any(|b| b < 0x20 || b == 0x7f) {
            return Err(parse_err("net/url: invalid control character in URL"));
        }
        let (scheme, rest, offset) = match scheme_split(url) {
            Some(0) => return Err(parse_err("missing protocol scheme")),
            Some(i) => (url[..i].to_ascii_lowercase(), &url[i + 1..], i + 1),
            None => (String::new(), url, 0),
        };
        let (rest, fragment) = rest
            .split_once('#')
            .map_or((rest, false), |(r, _)| (r, true));
        let (rest, query) = rest
            .split_once('?')
            .map_or((rest, false), |(r, _)| (r, true));
        let opaque = !scheme.is_empty() && !rest.starts_with('/');
        let mut password = None;
        let authority = rest
            .strip_prefix("//")
            .map(|a| a.split('/').next().unwrap_or(""));
        if let Some(auth) = authority
            && let Some(at) = auth.rfind('@')
            && let Some(colon) = auth[..at].find(':')
        {
            let start = offset + 2 + colon + 1;
            password = Some((start, offset + 2 + at));
        }
        let path_only = !fragment && !query && !opaque && authority.is_none_or(str::is_empty);
        Ok(Self {
            scheme,
            path_only,
            password,
        })
    }

    /// `url.Redacted()`: the password, if any, becomes `xxxxx`.
    fn redacted(&self, url: &str) -> String {
        match self.password {
            Some((a, b)) => format!("{}xxxxx{}", &url[..a], &url[b..]),
            None => url.to_owned(),
        }
    }
}

/// Where Go's `getScheme` finds the scheme's `:`; `None` if there is no scheme.
fn scheme_split(url: &str) -> Option<usize> {
    for (i, c) in url.bytes().enumerate() {
        match c {
            b'a'..=b'z' | b'A'..=b'Z' => {}
            b'0'..=b'9' | b'+' | b'-' | b'.' if i > 0 => {}
            b':' => return Some(i),
            _ => return None,
        }
    }
    None
}

/// GOMODCACHE, else `<first GOPATH element>/pkg/mod`, GOPATH defaulting to
/// `$HOME/go` unless that is GOROOT (go/build `defaultGOPATH`).
fn mod_cache(
    gomodcache: Option<&str>,
    gopath: Option<&str>,
    home: Option<&str>,
    goroot: Option<&str>,
) -> Result<PathBuf, GoEnvError> {
    let dir = match (gomodcache, gopath) {
        (Some(dir), _) => PathBuf::from(dir),
        (None, Some(gopath)) => match gopath.split(':').next().filter(|e| !e.is_empty()) {
            Some(first) => Path::new(first).join("pkg/mod"),
            None => return Err(GoEnvError::NoModCache),
        },
        (None, None) => {
            let default = Path::new(home.ok_or(GoEnvError::NoModCache)?).join("go");
            if goroot.is_some_and(|r| Path::new(r) == default) {
                return Err(GoEnvError::NoModCache);
            }
            default.join("pkg/mod")
        }
    };
    if dir.is_absolute() {
        Ok(dir)
    } else {
        Err(GoEnvError::RelativeModCache(dir.display().to_string()))
    }
}

fn parse_work(gowork: Option<&str>) -> Result<Work, GoEnvError> {
    match gowork {
        None => Ok(Work::Search),
        Some("off") => Ok(Work::Off),
        Some(file) if Path::new(file).is_absolute() => Ok(Work::File(PathBuf::from(file))),
        Some(_) => Err(GoEnvError::RelativeGoWork),
    }
}

/// GOFLAGS as `base.InitGOFLAGS` splits and checks it, keeping the module flags.
pub fn parse_goflags(goflags: &str) -> Result<GoFlags, GoEnvError> {
    let flags = split_quoted(goflags).map_err(GoEnvError::GoFlags)?;
    let mut out = GoFlags {
        flags: flags.clone(),
        ..GoFlags::default()
    };
    for f in &flags {
        let bad = !f.starts_with('-')
            || ["-", "--"].contains(&f.as_str())
            || ["---", "-=", "--="].iter().any(|p| f.starts_with(p));
        if bad {
            return Err(GoEnvError::GoFlags(format!("non-flag {f:?}")));
        }
        let name = f.strip_prefix("--").unwrap_or(&f[1..]);
        let (name, value) = name
            .split_once('=')
            .map_or((name, None), |(n, v)| (n, Some(v)));
        match (name, value) {
            ("mod", None) => {
                return Err(GoEnvError::GoFlags(
                    "flag needs an argument: -mod".to_owned(),
                ));
            }
            ("mod", Some(v)) => out.mod_mode = parse_mod_mode(v)?,
            ("modcacherw", v) => out.modcacherw = parse_bool_flag(name, v)?,
            _ => {}
        }
    }
    Ok(out)
}

fn parse_mod_mode(value: &str) -> Result<Option<ModMode>, GoEnvError> {
    Ok(match value {
        "" => None,
        "mod" => Some(ModMode::Mod),
        "readonly" => Some(ModMode::Readonly),
        "vendor" => Some(ModMode::Vendor),
        _ => return Err(GoEnvError::ModFlag(value.to_owned())),
    })
}

/// A boolean flag's value as Go's `strconv.ParseBool` reads it.
fn parse_bool_flag(name: &str, value: Option<&str>) -> Result<bool, GoEnvError> {
    match value {
        None | Some("1" | "t" | "T" | "true" | "TRUE" | "True") => Ok(true),
        Some("0" | "f" | "F" | "false" | "FALSE" | "False") => Ok(false),
        Some(v) => Err(GoEnvError::GoFlags(format!(
            "invalid boolean value {v:?} for -{name}: parse error"
        ))),
    }
}

/// cmd/internal/quoted `Split`: whitespace-separated fields, a field may be
/// wrapped in `'` or `"` (no escapes inside).
fn split_quoted(mut s: &str) -> Result<Vec<String>, String> {
    let is_space = |c: char| matches!(c, ' ' | '\t' | '\n' | '\r');
    let mut fields = Vec::new();
    loop {
        s = s.trim_start_matches(is_space);
        let Some(first) = s.chars().next() else {
            return Ok(fields);
        };
        if first == '"' || first == '\'' {
            let body = &s[1..];
            let end = body
                .find(first)
                .ok_or_else(|| format!("unterminated {first} string"))?;
            fields.push(body[..end].to_owned());
            s = &body[end + 1..];
        } else {
            let end = s.find(is_space).unwrap_or(s.len());
            fields.push(s[..end].to_owned());
            s = &s[end..];
        }
    }
}
