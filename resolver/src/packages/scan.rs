//! Reading what a Go file contributes to a build without parsing Go: its build
//! constraints (the comment header before the package clause), its package
//! name and its import declarations, stopping at the first other declaration
//! as go/build's `readImports` does. This keeps scanning a module cheap.

use thiserror::Error;

use super::config::BuildConfig;
use super::constraint::{self, ConstraintError, Expr};

/// What one Go file says about the build, independent of any configuration.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FileHeader {
    /// The file name within its package directory.
    pub name: String,
    /// The package clause's name.
    pub package: String,
    /// Import paths in order of appearance (`"C"` included).
    pub imports: Vec<String>,
    /// The `//go:build` expression, which overrides any `// +build` lines.
    pub go_build: Option<Expr>,
    /// Legacy `// +build` lines, all of which must hold.
    pub plus_build: Vec<Expr>,
}

/// Why a Go file's header could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ScanError {
    /// A malformed `//go:build` line.
    #[error("{file}: {source}")]
    Constraint {
        /// The file.
        file: String,
        /// The parse error.
        source: ConstraintError,
    },
    /// More than one `//go:build` line.
    #[error("{file}: multiple //go:build comments")]
    MultipleGoBuild {
        /// The file.
        file: String,
    },
    /// No package clause, or a malformed import declaration.
    #[error("{file}: syntax error: {cause}")]
    Syntax {
        /// The file.
        file: String,
        /// What was expected.
        cause: &'static str,
    },
}

impl FileHeader {
    /// Whether the file is built under `config` (file name rules are
    /// [`BuildConfig::is_candidate`]'s; this checks constraints and cgo).
    pub fn included(&self, config: &BuildConfig) -> bool {
        let tag = |t: &str| config.matches(t);
        let constrained = match &self.go_build {
            Some(x) => x.eval(&tag),
            None => self.plus_build.iter().all(|x| x.eval(&tag)),
        };
        constrained && (config.cgo_enabled || !self.imports_c())
    }

    /// Whether the file uses cgo (`import "C"`).
    pub fn imports_c(&self) -> bool {
        self.imports.iter().any(|i| i == "C")
    }
}

/// Read `name`'s header from its bytes.
///
/// # Errors
/// A [`ScanError`] for a malformed constraint or import declaration.
pub fn scan_file(name: &str, bytes: &[u8]) -> Result<FileHeader, ScanError> {
    // The strict check is much faster than the lossy one on valid text.
    let text = std::str::from_utf8(bytes).map_or_else(
        |_| String::from_utf8_lossy(bytes),
        std::borrow::Cow::Borrowed,
    );
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let (go_build, plus_build) = read_constraints(name, text)?;
    let syntax = |cause| ScanError::Syntax {
        file: name.to_owned(),
        cause,
    };
    let mut lexer = Lexer { rest: text };
    if lexer.word() != Some("package") {
        return Err(syntax("expected package clause"));
    }
    let package = lexer
        .word()
        .ok_or_else(|| syntax("expected package name"))?;
    let mut imports = Vec::new();
    lexer.semicolon();
    while lexer.word_if("import") {
        if lexer.punct('(') {
            while !lexer.punct(')') {
                imports.push(lexer.import_spec().ok_or_else(|| syntax("bad import"))?);
                lexer.semicolon();
            }
        } else {
            imports.push(lexer.import_spec().ok_or_else(|| syntax("bad import"))?);
        }
        lexer.semicolon();
    }
    Ok(FileHeader {
        name: name.to_owned(),
        package: package.to_owned(),
        imports,
        go_build,
        plus_build,
    })
}

/// go/build's `parseFileHeader`: the `//go:build` line anywhere in the leading
/// comments, and `// +build` lines only above the last blank line before code.
fn read_constraints(name: &str, text: &str) -> Result<(Option<Expr>, Vec<Expr>), ScanError> {
    let mut go_build = None;
    let mut header_end = 0;
    let mut ended = false;
    let mut in_block = false;
    let mut offset = 0;
    'lines: for raw in text.split_inclusive('\n') {
        offset += raw.len();
        let line = raw.trim();
        if line.is_empty() && !ended {
            header_end = offset;
            continue;
        }
        if !line.starts_with("//") {
            ended = true;
        }
        if !in_block && constraint::is_go_build(line) {
            if go_build.is_some() {
                return Err(ScanError::MultipleGoBuild {
                    file: name.to_owned(),
                });
            }
            let expr =
                constraint::parse_go_build(line).map_err(|source| ScanError::Constraint {
                    file: name.to_owned(),
                    source,
                })?;
            go_build = Some(expr);
        }
        let mut rest = line;
        while !rest.is_empty() {
            if in_block {
                let Some(i) = rest.find("*/") else {
                    continue 'lines;
                };
                in_block = false;
                rest = rest[i + 2..].trim();
            } else if rest.starts_with("//") {
                continue 'lines;
            } else if let Some(after) = rest.strip_prefix("/*") {
                in_block = true;
                rest = after.trim();
            } else {
                break 'lines;
            }
        }
    }
    let plus_build = text[..header_end]
        .lines()
        .map(str::trim)
        .filter(|l| constraint::is_plus_build(l))
        .filter_map(|l| constraint::parse_plus_build(l).ok())
        .collect();
    Ok((go_build, plus_build))
}

/// Just enough of Go's lexer for the package clause and import declarations.
struct Lexer<'a> {
    rest: &'a str,
}

impl<'a> Lexer<'a> {
    /// Skip spaces and comments; newlines too unless `stop_at_newline`,
    /// in which case whether one was crossed is returned.
    fn skip(&mut self, stop_at_newline: bool) -> bool {
        loop {
            let trimmed = self.rest.trim_start_matches([' ', '\t', '\r']);
            self.rest = trimmed;
            if let Some(after) = trimmed.strip_prefix('\n') {
                if stop_at_newline {
                    return true;
                }
                self.rest = after;
            } else if trimmed.starts_with("//") {
                let end = trimmed.find('\n').unwrap_or(trimmed.len());
                self.rest = &trimmed[end..];
            } else if let Some(after) = trimmed.strip_prefix("/*") {
                let end = after.find("*/").map_or(after.len(), |i| i + 2);
                let newline = after[..end].contains('\n');
                self.rest = &after[end..];
                if newline && stop_at_newline {
                    return true;
                }
            } else {
                return false;
            }
        }
    }

    fn word(&mut self) -> Option<&'a str> {
        self.skip(false);
        let n: usize = self
            .rest
            .chars()
            .take_while(|&c| c.is_alphanumeric() || c == '_')
            .map(char::len_utf8)
            .sum();
        let (word, rest) = self.rest.split_at(n);
        self.rest = rest;
        (n > 0).then_some(word)
    }

    fn word_if(&mut self, expected: &str) -> bool {
        let saved = self.rest;
        if self.word() == Some(expected) {
            return true;
        }
        self.rest = saved;
        false
    }

    fn punct(&mut self, c: char) -> bool {
        self.skip(false);
        match self.rest.strip_prefix(c) {
            Some(rest) => {
                self.rest = rest;
                true
            }
            None => false,
        }
    }

    /// A statement end: `;` or a newline (Go's automatic semicolons).
    fn semicolon(&mut self) {
        if !self.skip(true) {
            self.punct(';');
        }
    }

    /// `[name | . | _] "path"`: the path.
    fn import_spec(&mut self) -> Option<String> {
        if !self.punct('.') {
            self.word();
        }
        self.skip(false);
        self.string()
    }

    fn string(&mut self) -> Option<String> {
        if let Some(raw) = self.rest.strip_prefix('`') {
            let end = raw.find('`')?;
            self.rest = &raw[end + 1..];
            return Some(raw[..end].to_owned());
        }
        let body = self.rest.strip_prefix('"')?;
        let mut out = String::new();
        let mut chars = body.char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '"' => {
                    self.rest = &body[i + 1..];
                    return Some(out);
                }
                '\\' => out.push(chars.next().filter(|(_, e)| matches!(e, '"' | '\\'))?.1),
                '\n' => return None,
                _ => out.push(c),
            }
        }
        None
    }
}
