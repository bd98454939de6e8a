//! The go.mod files known so far, reduced to what the graph needs from each
//! (cmd/go's `modFileSummary`). The driver fills it; the pure step reads it.

use rustc_hash::FxHashMap as HashMap;

use super::{GoModId, ModKey};
use crate::gomod::{self, ModFile};
use crate::packed::{Packed, PackedStrings};
use crate::source::FetchError;
use crate::version::gover;

/// The Go version from which `go` lines add a `go@V` requirement (`GoStrictVersion`).
pub(crate) const GO_STRICT: &str = "1.21";
/// The Go version from which module graphs are pruned.
const PRUNING: &str = "1.17";

/// What a go.mod contributes to the graph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    /// The path on its `module` line, if it has one.
    pub module: Option<String>,
    /// Its `go` line.
    pub go_version: Option<String>,
    /// Its requirements in file order, plus `go@V` for `go` ≥ 1.21.
    pub require: Requirements,
    /// Whether its requirements are pruned (go ≥ 1.17).
    pub pruned: bool,
}

/// A go.mod's requirements, their paths and versions kept end to end in one
/// buffer: a graph load reads ~1,000 summaries (~11,000 requirements for
/// Tyk's), and two strings a requirement were a tenth of a `graph` run; the
/// graph numbers them as it reads them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Requirements {
    text: PackedStrings,
    /// Each requirement's path and version in `text`.
    pairs: Vec<[Packed; 2]>,
}

impl Requirements {
    /// Room for `n` requirements of `bytes` bytes in all.
    pub fn with_capacity(n: usize, bytes: usize) -> Self {
        Self {
            text: PackedStrings::with_capacity(bytes),
            pairs: Vec::with_capacity(n),
        }
    }

    /// Add a requirement of `path` at `version`.
    pub fn push(&mut self, path: &str, version: &str) {
        let pair = [self.text.push(path), self.text.push(version)];
        self.pairs.push(pair);
    }

    /// Each (path, version), in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&str, &str)> {
        self.pairs
            .iter()
            .map(|[path, version]| (self.text.get(*path), self.text.get(*version)))
    }

    /// How many there are.
    pub fn len(&self) -> usize {
        self.pairs.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }

    /// Each requirement as a module version.
    pub fn keys(&self) -> Vec<ModKey> {
        self.iter().map(|(p, v)| ModKey::new(p, v)).collect()
    }
}

impl<'a> FromIterator<(&'a str, &'a str)> for Requirements {
    fn from_iter<I: IntoIterator<Item = (&'a str, &'a str)>>(iter: I) -> Self {
        let mut require = Self::default();
        for (path, version) in iter {
            require.push(path, version);
        }
        require
    }
}

impl Summary {
    /// The summary of a parsed go.mod (cmd/go `summaryFromModFile`).
    pub fn from_mod_file(f: &ModFile) -> Self {
        let go_version = f.go.as_ref().map(|g| g.version.clone());
        let mut require: Requirements = f
            .require
            .iter()
            .map(|r| (r.path.as_str(), r.version.as_str()))
            .collect();
        if let Some(v) = &go_version
            && gover::compare(v, GO_STRICT).is_ge()
        {
            require.push("go", v);
        }
        Self {
            module: f.module.as_ref().map(|m| m.path.clone()),
            pruned: go_version.as_deref().is_some_and(is_pruned_go),
            go_version,
            require,
        }
    }

    /// The summary of `id`'s go.mod bytes, parsed as a dependency go.mod
    /// (`ParseLax`).
    ///
    /// # Errors
    /// [`LoadError::Invalid`] naming the file, when it does not parse.
    pub fn parse(id: &GoModId, bytes: &[u8]) -> Result<Self, LoadError> {
        let name = match id {
            GoModId::Remote(_) => "go.mod".to_owned(),
            GoModId::Dir(dir) => format!("{dir}/go.mod"),
        };
        gomod::parse_dependency(&name, bytes)
            .map(|f| Self::from_mod_file(&f))
            .map_err(|e| LoadError::Invalid(format!("parsing {name}: {e}")))
    }
}

/// Whether a main module or dependency at this `go` version prunes its graph.
pub fn is_pruned_go(v: &str) -> bool {
    gover::compare(v, PRUNING).is_ge()
}

/// Why a go.mod could not be loaded.
#[derive(Debug, Clone, thiserror::Error)]
pub enum LoadError {
    /// The source could not deliver it.
    #[error(transparent)]
    Fetch(#[from] FetchError),
    /// It was delivered but is not a valid go.mod, or does not describe the
    /// module it was fetched for.
    #[error("{0}")]
    Invalid(String),
}

/// go.mod summaries held outside a store (a summary cache kept between
/// runs), which the store answers from for what it does not hold itself:
/// a resolution then reads what it needs where it lies, instead of copying
/// thousands of summaries in first or stepping again for each one missed.
pub trait KnownSummaries: Sync {
    /// The summary of `m`'s go.mod, if it is known.
    fn summary(&self, m: &ModKey) -> Option<&Summary>;
}

/// go.mod files by identity, each parsed or with the reason it is missing.
#[derive(Default, Clone)]
pub struct GoModStore<'k> {
    /// Module versions' go.mod files, apart so they are found by `ModKey`
    /// without building a [`GoModId`].
    remote: HashMap<ModKey, Result<Summary, LoadError>>,
    dirs: HashMap<String, Result<Summary, LoadError>>,
    /// What answers for a module version the maps above do not hold.
    known: Option<&'k dyn KnownSummaries>,
}

impl GoModStore<'_> {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }
}

impl<'k> GoModStore<'k> {
    /// A store that answers from `known` what it does not hold itself.
    pub fn over(known: &'k dyn KnownSummaries) -> Self {
        Self {
            known: Some(known),
            ..Self::default()
        }
    }

    /// Record the bytes of `id`'s go.mod, parsed as a dependency go.mod
    /// (`ParseLax`); a parse failure is recorded as the answer, which is
    /// returned.
    pub fn insert_bytes(&mut self, id: GoModId, bytes: &[u8]) -> &Result<Summary, LoadError> {
        let parsed = Summary::parse(&id, bytes);
        self.insert(id, parsed)
    }

    /// Record that `id` could not be loaded.
    pub fn insert_error(&mut self, id: GoModId, error: LoadError) {
        self.insert(id, Err(error));
    }

    fn insert(
        &mut self,
        id: GoModId,
        answer: Result<Summary, LoadError>,
    ) -> &Result<Summary, LoadError> {
        match id {
            GoModId::Remote(m) => self.remote.entry(m).insert_entry(answer).into_mut(),
            GoModId::Dir(d) => self.dirs.entry(d).insert_entry(answer).into_mut(),
        }
    }

    /// The answer for `id`, if it is known.
    pub fn get(&self, id: &GoModId) -> Option<Result<&Summary, &LoadError>> {
        match id {
            GoModId::Remote(m) => self.get_remote(m),
            GoModId::Dir(d) => self.dirs.get(d).map(Result::as_ref),
        }
    }

    /// The answer for `m`'s own go.mod, if it is known.
    pub fn get_remote(&self, m: &ModKey) -> Option<Result<&Summary, &LoadError>> {
        match self.remote.get(m) {
            Some(answer) => Some(answer.as_ref()),
            None => self.known?.summary(m).map(Ok),
        }
    }

    /// How many go.mod files the store holds itself.
    pub fn len(&self) -> usize {
        self.remote.len() + self.dirs.len()
    }

    /// Whether the store holds nothing itself.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
