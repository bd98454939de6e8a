//! The module-information text a Go binary embeds (`runtime/debug.BuildInfo`):
//! parsed with `ParseBuildInfo`'s rules, printed with `BuildInfo.String`'s, so that
//! `tykdeps inspect` shows exactly what `go version -m` shows.

use std::fmt::Write as _;

use serde::Serialize;

use crate::version::goquote as quote;

/// Build information of a Go binary, shaped like Go's `debug.BuildInfo` (the
/// field names are those `go version -m -json` prints).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct BuildInfo {
    /// The toolchain that built the binary, e.g. `go1.26.8`.
    pub go_version: String,
    /// The main package's import path (`command-line-arguments` when built from files).
    pub path: String,
    /// The main module; all fields empty when the binary was not built in module mode.
    pub main: Module,
    /// The modules that provided packages, in the order recorded.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub deps: Vec<Module>,
    /// `build` lines: flags, environment and VCS settings, in the order recorded.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub settings: Vec<Setting>,
}

/// One `mod`, `dep` or `=>` line.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Module {
    /// Module path (or, for a replacement, a module path or directory).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub path: String,
    /// Version, `(devel)` for a directory or an unversioned main module.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub version: String,
    /// The `h1:` hash, empty when unknown.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub sum: String,
    /// What the module was replaced by.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replace: Option<Box<Module>>,
}

/// One `build key=value` line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Setting {
    /// The key, e.g. `-trimpath`, `CGO_ENABLED`, `vcs.revision`.
    pub key: String,
    /// The value (unquoted).
    pub value: String,
}

/// Why modinfo text could not be parsed; the line numbers are those Go reports.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("could not parse Go build info: line {line}: {reason}")]
pub struct ModinfoError {
    /// 1-based line number.
    pub line: usize,
    /// What is wrong with it, in Go's words.
    pub reason: String,
}

impl BuildInfo {
    /// The value of build setting `key`, if recorded.
    pub fn setting(&self, key: &str) -> Option<&str> {
        self.settings
            .iter()
            .find(|s| s.key == key)
            .map(|s| s.value.as_str())
    }

    /// The module (after replacement) that provides import path `package`: the
    /// main module or a dependency whose path is the longest prefix of it.
    pub fn module_of(&self, package: &str) -> Option<&Module> {
        std::iter::once(&self.main)
            .chain(&self.deps)
            .filter(|m| !m.path.is_empty() && is_path_prefix(&m.path, package))
            .max_by_key(|m| m.path.len())
    }

    /// `BuildInfo.String` without the `go` line, as `go version -m` prints it.
    pub fn modinfo_text(&self) -> String {
        let mut out = String::new();
        if !self.path.is_empty() {
            let _ = writeln!(out, "path\t{}", self.path);
        }
        if self.main != Module::default() {
            push_module(&mut out, "mod", &self.main);
        }
        for dep in &self.deps {
            push_module(&mut out, "dep", dep);
        }
        for s in &self.settings {
            let key = if needs_quoted_key(&s.key) {
                quote::quote(&s.key)
            } else {
                s.key.clone()
            };
            let value = if needs_quoted_value(&s.value) {
                quote::quote(&s.value)
            } else {
                s.value.clone()
            };
            let _ = writeln!(out, "build\t{key}={value}");
        }
        out
    }

    /// What `go version -m FILE` prints for this binary, `file` spelled as given.
    pub fn go_version_m(&self, file: &str) -> String {
        let mut out = format!("{file}: {}\n", self.go_version);
        let text = self.modinfo_text();
        if let Some(body) = text.strip_suffix('\n') {
            out.push('\t');
            out.push_str(&body.replace('\n', "\n\t"));
            out.push('\n');
        }
        out
    }
}

/// Whether import path `package` lies in module `module` (equal, or below it).
pub fn is_path_prefix(module: &str, package: &str) -> bool {
    package
        .strip_prefix(module)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

fn push_module(out: &mut String, word: &str, m: &Module) {
    let _ = write!(out, "{word}\t{}\t{}", m.path, m.version);
    match &m.replace {
        None => {
            let _ = write!(out, "\t{}", m.sum);
        }
        Some(replacement) => {
            out.push('\n');
            push_module(out, "=>", replacement);
        }
    }
    out.push('\n');
}

fn needs_quoted_key(key: &str) -> bool {
    key.is_empty() || key.contains(['=', ' ', '\t', '\r', '\n', '"', '`'])
}

fn needs_quoted_value(value: &str) -> bool {
    value.contains([' ', '\t', '\r', '\n', '"', '`'])
}

/// Which module the next `=>` line replaces.
#[derive(Clone, Copy)]
enum Last {
    None,
    Main,
    Dep(usize),
}

/// `debug.ParseBuildInfo`: parse modinfo text (framing already removed). Lines of
/// unknown kinds and the empty line after each replacement are ignored, as Go does;
/// an unterminated last line is dropped.
pub fn parse_modinfo(go_version: &str, text: &[u8]) -> Result<BuildInfo, ModinfoError> {
    let mut info = BuildInfo {
        go_version: go_version.to_owned(),
        ..BuildInfo::default()
    };
    let mut last = Last::None;
    let lines = text
        .split_inclusive(|&b| b == b'\n')
        .filter(|l| l.ends_with(b"\n"));
    for (number, line) in (1..).zip(lines) {
        let line = &line[..line.len() - 1];
        parse_line(&mut info, &mut last, line).map_err(|reason| ModinfoError {
            line: number,
            reason,
        })?;
    }
    Ok(info)
}

fn parse_line(info: &mut BuildInfo, last: &mut Last, line: &[u8]) -> Result<(), String> {
    if let Some(rest) = line.strip_prefix(b"path\t") {
        info.path = lossy(rest);
    } else if let Some(rest) = line.strip_prefix(b"mod\t") {
        info.main = module_line(rest)?;
        *last = Last::Main;
    } else if let Some(rest) = line.strip_prefix(b"dep\t") {
        info.deps.push(module_line(rest)?);
        *last = Last::Dep(info.deps.len() - 1);
    } else if let Some(rest) = line.strip_prefix(b"=>\t") {
        let cols: Vec<&[u8]> = rest.split(|&b| b == b'\t').collect();
        let [path, version, sum] = cols[..] else {
            return Err(format!(
                "expected 3 columns for replacement; got {}",
                cols.len()
            ));
        };
        let target = match *last {
            Last::None => return Err("replacement with no module on previous line".to_owned()),
            Last::Main => &mut info.main,
            Last::Dep(i) => &mut info.deps[i],
        };
        target.replace = Some(Box::new(Module {
            path: lossy(path),
            version: lossy(version),
            sum: lossy(sum),
            replace: None,
        }));
        *last = Last::None;
    } else if let Some(rest) = line.strip_prefix(b"build\t") {
        info.settings.push(setting_line(rest)?);
    }
    Ok(())
}

fn module_line(rest: &[u8]) -> Result<Module, String> {
    let cols: Vec<&[u8]> = rest.split(|&b| b == b'\t').collect();
    match cols[..] {
        [path, version] => Ok(Module {
            path: lossy(path),
            version: lossy(version),
            ..Module::default()
        }),
        [path, version, sum] => Ok(Module {
            path: lossy(path),
            version: lossy(version),
            sum: lossy(sum),
            replace: None,
        }),
        _ => Err(format!("expected 2 or 3 columns; got {}", cols.len())),
    }
}

fn setting_line(kv: &[u8]) -> Result<Setting, String> {
    let (key, raw_value) = match kv.first() {
        None => return Err("build line missing '='".to_owned()),
        Some(b'=') => return Err("build line with missing key".to_owned()),
        Some(b'`' | b'"') => {
            let len = quote::quoted_prefix_len(kv).ok_or("invalid quoted key in build line")?;
            match kv.get(len) {
                None => return Err("build line missing '=' after quoted key".to_owned()),
                Some(b'=') => {}
                Some(&c) => {
                    return Err(format!(
                        "unexpected character after quoted key: {}",
                        go_quote_byte(c)
                    ));
                }
            }
            (
                lossy(&quote::unquote(&kv[..len]).unwrap_or_default()),
                &kv[len + 1..],
            )
        }
        Some(_) => {
            let eq = kv
                .iter()
                .position(|&b| b == b'=')
                .ok_or("build line missing '=' after key")?;
            let key = lossy(&kv[..eq]);
            if needs_quoted_key(&key) {
                return Err(format!(
                    "unquoted key {} must be quoted",
                    quote::quote(&key)
                ));
            }
            (key, &kv[eq + 1..])
        }
    };
    let value = if let Some(b'`' | b'"') = raw_value.first() {
        lossy(&quote::unquote(raw_value).ok_or("invalid quoted value in build line")?)
    } else {
        let value = lossy(raw_value);
        if needs_quoted_value(&value) {
            return Err(format!(
                "unquoted value {} must be quoted",
                quote::quote(&value)
            ));
        }
        value
    };
    Ok(Setting { key, value })
}

/// Go's `%q` of a byte, as in the "unexpected character" message.
fn go_quote_byte(c: u8) -> String {
    crate::version::goquote::quote_rune(char::from(c))
}

fn lossy(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "path\texample.com/host\nmod\texample.com/host\t(devel)\t\n\
        dep\texample.com/a\tv1.2.0\th1:abc=\ndep\texample.com/b\tv1.0.0\n=>\t../b\t(devel)\t\n\n\
        build\t-ldflags=\"-s -w\"\nbuild\t\"a=b\"=`x`\nbuild\tCGO_ENABLED=1\n";

    #[test]
    fn parses_every_line_kind() {
        let info = parse_modinfo("go1.26.8", TEXT.as_bytes()).unwrap();
        assert_eq!(info.path, "example.com/host");
        assert_eq!(info.main.version, "(devel)");
        assert_eq!(info.deps.len(), 2);
        assert_eq!(info.deps[0].sum, "h1:abc=");
        assert_eq!(info.deps[1].replace.as_ref().unwrap().path, "../b");
        assert_eq!(info.setting("-ldflags"), Some("-s -w"));
        assert_eq!(info.setting("a=b"), Some("x"));
        assert_eq!(
            info.module_of("example.com/a/sub").unwrap().path,
            "example.com/a"
        );
        assert!(info.module_of("example.com/ab").is_none());
    }

    #[test]
    fn prints_like_go_version_m() {
        let info = parse_modinfo("go1.26.8", TEXT.as_bytes()).unwrap();
        let printed = info.go_version_m("h");
        assert!(printed.starts_with("h: go1.26.8\n\tpath\texample.com/host\n"));
        assert!(printed.contains("=>\t../b\t(devel)\t\n\t\n\tbuild\t-ldflags=\"-s -w\"\n"));
        assert!(printed.contains("\tbuild\t\"a=b\"=x\n"));
        assert_eq!(
            parse_modinfo("go1.26.8", info.modinfo_text().as_bytes()).unwrap(),
            info
        );
    }

    #[test]
    fn rejects_what_go_rejects() {
        let err = |text: &str| {
            parse_modinfo("go", text.as_bytes())
                .unwrap_err()
                .to_string()
        };
        assert_eq!(
            err("path\tx\n=>\ta\tb\tc\n"),
            "could not parse Go build info: line 2: replacement with no module on previous line"
        );
        assert!(err("mod\ta\n").contains("expected 2 or 3 columns; got 1"));
        assert!(err("build\tk=a b\n").contains("unquoted value \"a b\" must be quoted"));
        assert!(err("build\t\"k\"x\n").contains("unexpected character after quoted key: 'x'"));
        assert!(err("build\t=v\n").contains("missing key"));
    }
}
