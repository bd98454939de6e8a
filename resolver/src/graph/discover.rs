//! Which main modules a command works on, found as the go command finds
//! them (cmd/go `modload.Init`): go.work upward unless GOWORK says
//! otherwise, else the nearest go.mod; then those files read and parsed,
//! with the go.mod hashes of the main module's go.sum.
//!
//! Every front end (the graph commands, the audit) starts here, so the
//! files are read through [`Files`]: the program passes [`Disk`], a test
//! anything that answers.

use std::path::{Path, PathBuf};

use crate::goenv::{self, GoEnv, Work};
use crate::gomod::{self, Mode, ParseError};
use crate::graph::{Inputs, MainModule, ModMode, Workspace, paths};
use crate::source::summaries::{self, SummaryCache};
use crate::source::verify::GoModSums;
use crate::version::module::{PathError, PathKind, check_import_path};

/// The files discovery (and the audit after it) reads.
pub trait Files: Sync {
    /// The bytes of `path`.
    ///
    /// # Errors
    /// Whatever reading it gives.
    fn read(&self, path: &Path) -> std::io::Result<Vec<u8>>;
    /// Whether `path` is a file.
    fn is_file(&self, path: &Path) -> bool;
    /// Whether `path` is a directory.
    fn is_dir(&self, path: &Path) -> bool;
}

/// The real filesystem.
#[derive(Debug, Clone, Copy, Default)]
pub struct Disk;

impl Files for Disk {
    fn read(&self, path: &Path) -> std::io::Result<Vec<u8>> {
        std::fs::read(path)
    }
    fn is_file(&self, path: &Path) -> bool {
        path.is_file()
    }
    fn is_dir(&self, path: &Path) -> bool {
        path.is_dir()
    }
}

/// Which go command a graph is computed as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mirror {
    /// `go list -m all` (and `go build`): GOFLAGS `-mod` applies (readonly
    /// by default) and every listed version is resolved.
    List,
    /// `go mod graph` (and `go mod why`): always `-mod=mod`, never writing.
    ModGraph,
}

/// Why the main modules could not be found or read.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum InputError {
    /// A file could not be read.
    #[error("cannot read {path}: {source}")]
    #[diagnostic(code(tykdeps::input))]
    Read {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// A go.mod, go.work or go.sum is malformed.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Parse(#[from] ParseError),
    /// GOWORK names no usable file.
    #[error("GOWORK: {0}")]
    #[diagnostic(code(tykdeps::environment))]
    Gowork(goenv::GoEnvError),
    /// `-mod=vendor`.
    #[error("-mod=vendor is not supported: tykdeps does not read vendor directories")]
    #[diagnostic(code(tykdeps::environment))]
    Vendor,
    /// `-mod=mod` in a workspace, as the go command refuses it.
    #[error(
        "-mod may only be set to readonly or vendor when in workspace mode, but it is set to \"mod\"\n\tRemove the -mod flag to use the default readonly value, \n\tor set GOWORK=off to disable workspace mode."
    )]
    #[diagnostic(code(tykdeps::environment))]
    WorkspaceModMod,
    /// Neither a go.work nor a go.mod.
    #[error("go.mod file not found in {0} or any parent directory")]
    #[diagnostic(code(tykdeps::input))]
    NoGoMod(String),
    /// A go.mod without its `module` line.
    #[error("{0}: no module declaration in go.mod")]
    #[diagnostic(code(tykdeps::input))]
    NoModule(String),
    /// A main module's path is no valid import path, which the go command
    /// refuses before loading anything (`modload`'s `CheckImportPath`).
    #[error("{file}: {error}")]
    #[diagnostic(code(tykdeps::input))]
    ModulePath {
        /// The go.mod.
        file: String,
        /// The rule its path breaks.
        error: PathError,
    },
    /// Two `use` directories of one go.work declare the same module path,
    /// which the go command refuses before any build.
    #[error(
        "{work}: module {path} appears multiple times in workspace ({first} and {second}); as plugins, the second would be refused anyway (\"plugin already loaded\"): give each module its own path"
    )]
    #[diagnostic(code(tykdeps::input))]
    DuplicateModule {
        /// The go.work.
        work: String,
        /// The module path both declare.
        path: String,
        /// The first directory declaring it.
        first: String,
        /// The next one.
        second: String,
    },
}

/// The main module(s) found from a directory.
#[derive(Debug, Clone)]
pub struct Project {
    /// The main module(s) and how their graph is loaded.
    pub inputs: Inputs,
    /// The go.mod hashes of the main module's go.sum (none in a workspace):
    /// fetched go.mod files are checked against them, as go checks.
    pub go_mod_sums: GoModSums,
}

impl Project {
    /// The main module(s) at `start` (absolute) in `env`, as `mirror` would load them.
    ///
    /// # Errors
    /// The go command's refusals (no go.mod, `-mod=vendor`, ...) and files
    /// that cannot be read or parsed.
    pub fn find(
        start: &Path,
        env: &GoEnv,
        mirror: Mirror,
        files: &dyn Files,
    ) -> Result<Self, InputError> {
        let work = env.work().map_err(InputError::Gowork)?;
        let work_file = match work {
            Work::Off => None,
            Work::File(path) => Some(path.clone()),
            Work::Search => find_upward(start, "go.work", files),
        };
        // GOFLAGS' -mod is read, and any other value refused, by goenv.
        let flag = env.goflags.mod_mode;
        match (flag, &work_file) {
            (Some(goenv::ModMode::Vendor), _) => return Err(InputError::Vendor),
            (Some(goenv::ModMode::Mod), Some(_)) => return Err(InputError::WorkspaceModMod),
            _ => {}
        }
        if let Some(work_file) = work_file {
            return Ok(Self {
                inputs: workspace(&work_file, files)?,
                go_mod_sums: GoModSums::new(),
            });
        }
        let Some(go_mod) = find_upward(start, "go.mod", files) else {
            return Err(InputError::NoGoMod(start.display().to_string()));
        };
        let dir = go_mod.parent().expect("a file has a directory");
        let go_sum = read_go_sum(dir, files)?;
        let go_mod_sums = match go_sum {
            Some((name, text)) => GoModSums::parse(&name, text)?,
            None => GoModSums::new(),
        };
        let readonly = mirror != Mirror::ModGraph && flag != Some(goenv::ModMode::Mod);
        let mode = if readonly {
            ModMode::Readonly {
                explicit: flag == Some(goenv::ModMode::Readonly),
                go_mod_sums: go_mod_sums.clone(),
            }
        } else {
            ModMode::Mod
        };
        let inputs = Inputs {
            mains: vec![main_module(dir, files)?],
            work: None,
            mode,
        };
        Ok(Self {
            inputs,
            go_mod_sums,
        })
    }

    /// The summary cache below `gomodcache`, checked against this project's
    /// go.sum (disabled without a usable module cache: the source setup
    /// reports that).
    pub fn summary_cache(&self, gomodcache: Option<&Path>) -> SummaryCache {
        match gomodcache {
            Some(dir) => SummaryCache::open(&summaries::cache_file(dir), self.go_mod_sums.clone()),
            None => SummaryCache::disabled(),
        }
    }
}

/// The name and text of `dir/go.sum`, if there is one.
pub(crate) fn read_go_sum(
    dir: &Path,
    files: &dyn Files,
) -> Result<Option<(String, String)>, InputError> {
    let file = dir.join("go.sum");
    if !files.is_file(&file) {
        return Ok(None);
    }
    Ok(Some((file.display().to_string(), read(&file, files)?)))
}

fn workspace(work_file: &Path, files: &dyn Files) -> Result<Inputs, InputError> {
    let name = work_file.display().to_string();
    let text = read(work_file, files)?;
    let file = gomod::parse_work(&name, &text)?;
    let dir = work_file.parent().expect("a file has a directory");
    let mains: Vec<MainModule> = file
        .uses
        .iter()
        .map(|u| main_module(&clean(&dir.join(&u.disk_path)), files))
        .collect::<Result<_, _>>()?;
    for (i, later) in mains.iter().enumerate() {
        if let Some(first) = mains[..i].iter().find(|m| m.path == later.path) {
            return Err(InputError::DuplicateModule {
                work: name,
                path: later.path.clone(),
                first: first.dir.clone(),
                second: later.dir.clone(),
            });
        }
    }
    Ok(Inputs {
        mains,
        mode: ModMode::Mod,
        work: Some(Workspace {
            dir: dir.display().to_string(),
            file,
        }),
    })
}

/// The main module in `dir`: its go.mod read and parsed strictly.
///
/// # Errors
/// The go.mod cannot be read or parsed, or declares no module.
pub(crate) fn main_module(dir: &Path, files: &dyn Files) -> Result<MainModule, InputError> {
    let file = dir.join("go.mod");
    let name = file.display().to_string();
    let text = read(&file, files)?;
    let go_mod = gomod::parse_mod(&name, &text, Mode::Strict)?;
    let Some(module) = &go_mod.module else {
        return Err(InputError::NoModule(name));
    };
    check_import_path(&module.path).map_err(|error| InputError::ModulePath {
        file: name.clone(),
        error: PathError {
            kind: PathKind::Module,
            ..error
        },
    })?;
    Ok(MainModule {
        path: module.path.clone(),
        dir: dir.display().to_string(),
        go_mod,
    })
}

/// The text of `file`, invalid UTF-8 read as U+FFFD. go's lexer takes the
/// bytes as they are: in a comment or an unused replacement directory they
/// are accepted, in a module path or version refused, and U+FFFD is accepted
/// and refused in the same places (tests/cli/hostile_inputs.rs asks go).
/// Commands that print or rewrite a file (`parse`, `fix`, `pin`) read it
/// strictly instead, so its bytes are never changed.
///
/// # Errors
/// [`InputError::Read`] naming the file.
pub(crate) fn read(file: &Path, files: &dyn Files) -> Result<String, InputError> {
    let bytes = files.read(file).map_err(|source| InputError::Read {
        path: file.display().to_string(),
        source,
    })?;
    Ok(match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    })
}

/// The nearest `name` in `start` or a parent directory, as go searches.
pub fn find_upward(start: &Path, name: &str, files: &dyn Files) -> Option<PathBuf> {
    start
        .ancestors()
        .map(|d| d.join(name))
        .find(|f| files.is_file(f))
}

/// Lexical clean (Go's `filepath.Clean`), so `use ./a` gives `/w/a` as go reports it.
pub fn clean(p: &Path) -> PathBuf {
    PathBuf::from(paths::clean(&p.to_string_lossy()))
}
