//! Build lists as the go command computes them: minimal version selection with
//! graph pruning, replace, exclude and workspaces.
//!
//! The algorithm is a pure step ([`step`]): given the main modules and the
//! go.mod files known so far ([`GoModStore`]), it either finishes with a
//! [`ModuleGraph`] or names the go.mod files it still needs. The async
//! [`driver`] (feature `net`) fetches those through a
//! [`ModuleSource`](crate::source::ModuleSource) and calls the step again, so
//! nothing in here does I/O — local directory replacements included: their
//! go.mod is requested like any other, as a [`GoModId::Dir`].
//!
//! Names follow cmd/go (`modload/buildlist.go`, `mvs/graph.go`) so the code
//! can be diffed against it.

pub mod discover;
#[cfg(feature = "net")]
pub mod driver;
mod load;
mod names;
mod output;
pub mod paths;
mod replace;
mod store;
mod why;

use std::collections::{BTreeMap, BTreeSet};

pub use load::{Missing, lookahead, step};
pub use output::ListJson;
pub use replace::{Replacement, Replacer};
pub use store::{GoModStore, KnownSummaries, LoadError, Requirements, Summary, is_pruned_go};
pub use why::{Chain, WhyIndex};

use crate::gomod::{ModFile, WorkFile};
use crate::source::verify::GoModSums;

/// A module at a version; the version is empty for a main module, as in cmd/go.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ModKey {
    /// Module path (`go` and `toolchain` for the pseudo-modules).
    pub path: String,
    /// Version; `""` for a main module.
    pub version: String,
}

/// A module version looked up by its borrowed path and version: it hashes
/// as the `ModKey` it equals (both hash the path, then the version).
impl hashbrown::Equivalent<ModKey> for (&str, &str) {
    fn equivalent(&self, key: &ModKey) -> bool {
        self.0 == key.path && self.1 == key.version
    }
}

impl ModKey {
    /// `path@version`.
    pub fn new(path: &str, version: &str) -> Self {
        Self {
            path: path.to_owned(),
            version: version.to_owned(),
        }
    }
}

impl std::fmt::Display for ModKey {
    /// `path@version`, or `path` for a main module (`go mod graph` notation).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.version.is_empty() {
            f.write_str(&self.path)
        } else {
            write!(f, "{}@{}", self.path, self.version)
        }
    }
}

/// A go.mod file the algorithm needs: a module version's (from a proxy or the
/// module cache), or a local directory's (a directory replacement).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum GoModId {
    /// `path@version`'s go.mod.
    Remote(ModKey),
    /// `<dir>/go.mod`, `dir` absolute and clean.
    Dir(String),
}

/// A main module: its path, its root directory and its parsed go.mod.
#[derive(Debug, Clone)]
pub struct MainModule {
    /// The module path from the `module` line.
    pub path: String,
    /// The module root, absolute.
    pub dir: String,
    /// The parsed go.mod (strict mode).
    pub go_mod: ModFile,
}

/// A go.work file and the directory it lives in.
#[derive(Debug, Clone)]
pub struct Workspace {
    /// The directory holding go.work, absolute.
    pub dir: String,
    /// The parsed go.work.
    pub file: WorkFile,
}

/// What the build list is computed from: one main module, or a workspace of
/// several (in `use` order).
#[derive(Debug, Clone)]
pub struct Inputs {
    /// Main modules; exactly one unless `work` is set.
    pub mains: Vec<MainModule>,
    /// The workspace, in workspace mode.
    pub work: Option<Workspace>,
    /// `-mod=mod` or `-mod=readonly`.
    pub mode: ModMode,
}

/// How the go command may treat the main go.mod (`-mod`).
#[derive(Debug, Clone)]
pub enum ModMode {
    /// `-mod=mod`: inconsistent roots are fixed up (as `go mod graph` always
    /// does, and `go list -m all` with `-mod=mod`).
    Mod,
    /// `-mod=readonly` (go's default outside workspaces): every loaded go.mod
    /// needs a go.sum line and inconsistent roots are an error.
    Readonly {
        /// Whether `-mod=readonly` was given explicitly (it changes go's wording).
        explicit: bool,
        /// The `path version/go.mod` lines of the main module's go.sum.
        go_mod_sums: GoModSums,
    },
}

/// The answer of one [`step`].
#[derive(Debug)]
pub enum Step {
    /// These go.mod files are needed before the graph can be finished.
    Missing(Missing),
    /// The finished graph.
    Done(ModuleGraph),
}

/// Why a build list could not be computed.
#[derive(Debug, Clone, thiserror::Error)]
pub enum GraphError {
    /// A go.mod in the graph could not be loaded; `chain` leads from a main
    /// module to the module whose go.mod failed.
    #[error("{}: {cause}", chain_text(chain))]
    Load {
        /// Requirement chain, main module first.
        chain: Vec<ModKey>,
        /// What went wrong.
        cause: LoadError,
    },
    /// The main modules' replace directives contradict each other.
    #[error("{0}")]
    Replace(String),
    /// The go.mod is not tidy and `-mod=readonly` forbids fixing it.
    #[error("{0}")]
    Dirty(String),
}

fn chain_text(chain: &[ModKey]) -> String {
    let names: Vec<String> = chain.iter().map(ToString::to_string).collect();
    match names.as_slice() {
        [only] => only.clone(),
        _ => names.join(" requires "),
    }
}

/// The finished module graph: the requirement edges cmd/go loaded, the
/// selected version of every path, and what `go list -m` reports about each.
#[derive(Debug, Clone)]
pub struct ModuleGraph {
    /// `mvs.Graph` roots: the main module, or in workspace mode the main
    /// modules plus `go`/`toolchain`, sorted.
    pub(crate) roots: Vec<ModKey>,
    /// The selected version of every module path, and the requirements (in
    /// go.mod order) and `go` line of each go.mod loaded.
    loaded: load::LoadedGraph,
    /// Main modules by path, with their directories and go versions.
    pub(crate) mains: BTreeMap<String, MainInfo>,
    /// Paths required directly (without `// indirect`) by a main module.
    pub(crate) direct: BTreeSet<String>,
    /// The replacement applied to each build-list module that has one.
    pub(crate) replaced: BTreeMap<ModKey, Replacement>,
    /// The `go` lines `go list -m` reads of listed modules whose go.mod the
    /// graph did not load (filled by the driver's `complete_listed`).
    pub(crate) listed_go_versions: BTreeMap<ModKey, String>,
    /// [`Self::build_list`], made when first asked.
    build_list: std::sync::OnceLock<Vec<ModKey>>,
    /// Commit times from `.info`, by listed module (filled by the driver's
    /// `complete_listed`).
    pub(crate) times: BTreeMap<ModKey, String>,
}

/// What `go list -m` reports about a main module.
#[derive(Debug, Clone)]
pub(crate) struct MainInfo {
    pub(crate) dir: String,
    pub(crate) go_version: String,
}

impl ModuleGraph {
    /// The build list in `go list -m all` order: main module(s) first, then
    /// every other path sorted, `go` and `toolchain` included.
    pub fn build_list(&self) -> &[ModKey] {
        self.build_list.get_or_init(|| {
            let mut seen = BTreeSet::new();
            let mut list = Vec::new();
            for root in &self.roots {
                if seen.insert(root.path.as_str())
                    && let Some(v) = self.selected(&root.path)
                {
                    list.push(ModKey::new(&root.path, v));
                }
            }
            let head = list.len();
            for (path, version) in self.loaded.selections() {
                if !seen.contains(path) {
                    list.push(ModKey::new(path, version));
                }
            }
            list[head..].sort_by(load::mod_sort);
            list
        })
    }

    /// The selected version of `path`, if it is in the graph.
    pub fn selected(&self, path: &str) -> Option<&str> {
        self.loaded.selected(path)
    }

    /// The requirements loaded for `m`, in go.mod order (`None` when its
    /// go.mod was pruned away).
    pub fn required_by(&self, m: &ModKey) -> Option<&[ModKey]> {
        self.loaded.required_by(m).map(|r| &**r)
    }

    /// The `go` line of `m`'s go.mod, as `go list -m` reports it.
    pub(crate) fn go_version(&self, m: &ModKey) -> Option<&str> {
        self.loaded
            .go_version(m)
            .or_else(|| self.listed_go_versions.get(m).map(String::as_str))
    }

    /// The directory of main module `path`, if it is one.
    pub fn main_dir(&self, path: &str) -> Option<&str> {
        self.mains.get(path).map(|m| m.dir.as_str())
    }

    /// The replacement applied to `m`, if any.
    pub fn replacement(&self, m: &ModKey) -> Option<&Replacement> {
        self.replaced.get(m)
    }
}
