//! go.mod, go.work and go.sum, read as the go command reads them.
//!
//! One lexer serves the go.mod and go.work grammars (x/mod's `modfile`), so both
//! keep byte spans for every directive and comment: findings underline the exact
//! line and `fix` can edit a file without disturbing its formatting. The parsed
//! values below are what the go command would act on (versions canonicalised,
//! `// indirect` decoded, deprecation and retraction rationale extracted); the
//! `syntax` tree beside them keeps everything else.
//!
//! Two modes mirror the go command: [`Mode::Strict`] for a main module's go.mod
//! (x/mod `Parse`), which rejects what go rejects, and [`Mode::Lax`] for
//! dependency go.mod files (`ParseLax`), which ignores what go ignores.

mod edit;
mod error;
mod format;
mod json;
mod lex;
mod main_module;
pub mod pin;
mod rules;
mod sum;
pub mod syntax;

pub use edit::{Edit, EditError, apply, unified_diff};
pub use error::{ParseError, SyntaxError};
pub use format::format;
pub use json::{mod_json, sum_json, work_json};
pub use main_module::check_main_module;
pub use sum::{SumFields, for_each_sum_line, parse_sum};

use crate::span::Span;
use syntax::FileSyntax;

/// Parse a go.mod file as the go command does (`modfile.Parse` in
/// [`Mode::Strict`], `modfile.ParseLax` in [`Mode::Lax`]).
pub fn parse_mod(file_name: &str, text: &str, mode: Mode) -> Result<ModFile, ParseError> {
    let syntax =
        syntax::parse(file_name, text).map_err(|e| ParseError::new(file_name, text, vec![e]))?;
    let mut file = ModFile {
        syntax,
        ..ModFile::default()
    };
    let errors = rules::mod_directives(&mut file, mode);
    if errors.is_empty() {
        Ok(file)
    } else {
        Err(ParseError::new(file_name, text, errors))
    }
}

/// Parse a dependency's go.mod bytes as the go command does (`ParseLax` of
/// the bytes a proxy or the module cache served). Invalid UTF-8 is read as
/// U+FFFD: go keeps the bytes, and refuses them where the replacement
/// character is refused too (module paths, versions).
pub fn parse_dependency(file_name: &str, bytes: &[u8]) -> Result<ModFile, ParseError> {
    parse_mod(file_name, &String::from_utf8_lossy(bytes), Mode::Lax)
}

/// Parse a go.work file as the go command does (`modfile.ParseWork`).
pub fn parse_work(file_name: &str, text: &str) -> Result<WorkFile, ParseError> {
    let syntax =
        syntax::parse(file_name, text).map_err(|e| ParseError::new(file_name, text, vec![e]))?;
    let mut file = WorkFile {
        syntax,
        ..WorkFile::default()
    };
    let errors = rules::work_directives(&mut file);
    if errors.is_empty() {
        Ok(file)
    } else {
        Err(ParseError::new(file_name, text, errors))
    }
}

/// How strictly to read a go.mod file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// A main module's go.mod: unknown directives and malformed lines are errors.
    Strict,
    /// A dependency's go.mod: only `module`, `go`, `require`, `retract` and
    /// `ignore` are kept, everything else is silently dropped.
    Lax,
}

/// A parsed go.mod file.
#[derive(Debug, Clone, Default)]
pub struct ModFile {
    /// The `module` directive, if present.
    pub module: Option<ModuleDecl>,
    /// The `go` directive.
    pub go: Option<VersionDecl>,
    /// The `toolchain` directive.
    pub toolchain: Option<VersionDecl>,
    /// `godebug key=value` directives, in file order.
    pub godebug: Vec<Godebug>,
    /// `require` directives, in file order, duplicates kept (MVS takes the maximum).
    pub require: Vec<Require>,
    /// `exclude` directives, in file order.
    pub exclude: Vec<ModuleVersion>,
    /// `replace` directives, in file order.
    pub replace: Vec<Replace>,
    /// `retract` directives, in file order.
    pub retract: Vec<Retract>,
    /// `tool` directives.
    pub tool: Vec<PathDecl>,
    /// `ignore` directives.
    pub ignore: Vec<PathDecl>,
    /// Versions written in a non-canonical form (`v1.2`, `v1.2.3+meta`):
    /// `go mod edit` reads them as their canonical form, but the go command
    /// proper resolves them with a version query and rewrites the file.
    pub noncanonical: Vec<NonCanonical>,
    /// The comment-preserving syntax tree.
    pub syntax: FileSyntax,
}

/// A version that was written in a non-canonical form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NonCanonical {
    /// The module path it belongs to.
    pub path: String,
    /// The version as written (unquoted).
    pub written: String,
    /// What `modfile.Parse` makes of it.
    pub canonical: String,
    /// The directive's line.
    pub span: Span,
}

/// The `module` directive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModuleDecl {
    /// The module path, unquoted.
    pub path: String,
    /// The text of a `// Deprecated:` paragraph in its comments.
    pub deprecated: Option<String>,
    /// The directive's line.
    pub span: Span,
}

/// A `go` or `toolchain` directive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionDecl {
    /// The version as the go command keeps it (lax mode may truncate it).
    pub version: String,
    /// The directive's line.
    pub span: Span,
}

/// A `godebug key=value` directive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Godebug {
    /// The setting's name.
    pub key: String,
    /// Its value.
    pub value: String,
    /// The directive's line.
    pub span: Span,
}

/// A `require path version` line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Require {
    /// Module path.
    pub path: String,
    /// Canonical version.
    pub version: String,
    /// Whether the line carries a `// indirect` comment.
    pub indirect: bool,
    /// The line.
    pub span: Span,
}

/// A module path at a version (used by `exclude`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModuleVersion {
    /// Module path.
    pub path: String,
    /// Canonical version.
    pub version: String,
    /// The line.
    pub span: Span,
}

/// One side of a `replace`: a module path with an optional version, or a directory.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct ModuleRef {
    /// Module path, or a directory path for a local replacement.
    pub path: String,
    /// Canonical version; `None` for a wildcard left side or a directory right side.
    pub version: Option<String>,
}

/// A `replace old [v] => new [v]` line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replace {
    /// What is replaced.
    pub old: ModuleRef,
    /// What replaces it.
    pub new: ModuleRef,
    /// The line.
    pub span: Span,
}

/// A `retract` line: one version (`low == high`) or a closed interval.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Retract {
    /// Lower bound.
    pub low: String,
    /// Upper bound.
    pub high: String,
    /// The comment text explaining the retraction.
    pub rationale: String,
    /// The line.
    pub span: Span,
}

/// A directive that names a single path (`tool`, `ignore`, go.work `use`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathDecl {
    /// The path, unquoted.
    pub path: String,
    /// The line.
    pub span: Span,
}

/// A parsed go.work file.
#[derive(Debug, Clone, Default)]
pub struct WorkFile {
    /// The `go` directive.
    pub go: Option<VersionDecl>,
    /// The `toolchain` directive.
    pub toolchain: Option<VersionDecl>,
    /// `godebug` directives.
    pub godebug: Vec<Godebug>,
    /// `use` directives: directories relative to the go.work file.
    pub uses: Vec<Use>,
    /// `replace` directives.
    pub replace: Vec<Replace>,
    /// The comment-preserving syntax tree.
    pub syntax: FileSyntax,
}

/// A go.work `use dir` line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Use {
    /// The directory as written.
    pub disk_path: String,
    /// The module path `go work edit -json` reports as `ModPath`. x/mod sets
    /// it only when `go work use` edits the file, never when reading one, so
    /// parsing always leaves it `None`.
    pub module_path: Option<String>,
    /// The line.
    pub span: Span,
}

/// A parsed go.sum file.
#[derive(Debug, Clone, Default)]
pub struct SumFile {
    /// Every hash line, in file order.
    pub lines: Vec<SumLine>,
}

/// One go.sum line: `path version[/go.mod] h1:...`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SumLine {
    /// Module path.
    pub path: String,
    /// Version, without the `/go.mod` suffix.
    pub version: String,
    /// Whether this is the hash of the go.mod file alone.
    pub go_mod: bool,
    /// The hash, e.g. `h1:...`.
    pub hash: String,
    /// The line.
    pub span: Span,
}
