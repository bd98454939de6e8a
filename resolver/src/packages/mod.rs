//! Which packages a Go build links, from import declarations alone.
//!
//! `plugin.Open` compares only the packages both the gateway and the plugin
//! link, so a module that is required but never linked does not matter. This
//! module finds the linked set: it maps import paths to the modules of a build
//! list (or to GOROOT for the standard library), reads each package's files
//! honouring build constraints, and follows imports transitively. Module
//! sources come through [`ModuleTree`] (a directory or a module zip); a module whose sources cannot be had
//! is answered as [`Owner::Unknown`] so callers fall back to module level.
//! Vendor directories of modules are not consulted (module mode ignores them
//! unless `-mod=vendor`); GOROOT's own `vendor/` is, as the go command does.

pub mod config;
pub mod constraint;
pub mod scan;
pub mod store;
pub mod tree;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, OnceLock};

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use thiserror::Error;

pub use config::BuildConfig;
pub use scan::{FileHeader, ScanError, scan_file};
pub use tree::{DirTree, ModuleTree, ZipTree, modcache_paths, open_cached};

/// A module of the build list and where its sources are.
pub struct Module<'a> {
    /// The module path.
    pub path: String,
    /// What identifies its sources for [`FactCache`]: `path@version` of the
    /// module or of its replacement (a version never changes); `None` for main
    /// modules and directory replacements, whose files can change.
    pub cache_key: Option<String>,
    /// Its sources.
    pub tree: Sources<'a>,
}

/// A module's sources, opened the first time an import is looked up in
/// them: a build list names hundreds of modules, an import path is looked
/// up only in those whose path is a prefix of it, and opening one (its
/// stored index, its zip) is most of a scan's cost.
pub struct Sources<'a> {
    open: Box<dyn Fn() -> Option<Arc<dyn ModuleTree>> + Send + Sync + 'a>,
    tree: OnceLock<Option<Arc<dyn ModuleTree>>>,
}

impl<'a> Sources<'a> {
    /// Sources that `open` opens on first use (`None`: they cannot be had).
    pub fn lazy(open: impl Fn() -> Option<Arc<dyn ModuleTree>> + Send + Sync + 'a) -> Self {
        Self {
            open: Box::new(open),
            tree: OnceLock::new(),
        }
    }

    /// The tree, opened now if it was not yet.
    #[must_use]
    pub fn get(&self) -> Option<&Arc<dyn ModuleTree>> {
        self.tree.get_or_init(&self.open).as_ref()
    }
}

impl From<Option<Arc<dyn ModuleTree>>> for Sources<'_> {
    fn from(tree: Option<Arc<dyn ModuleTree>>) -> Self {
        Self {
            open: Box::new(|| None),
            tree: OnceLock::from(tree),
        }
    }
}

/// Who provides a linked package.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Owner {
    /// The standard library.
    Std,
    /// A module of the build list, by path.
    Module(String),
    /// A module whose sources were unavailable: the package's own imports
    /// are unknown, so the answer for this module is module-level only.
    Unknown(String),
}

/// Why the linked package set could not be computed.
#[derive(Debug, Error)]
pub enum PackageError {
    /// No module of the build list (nor GOROOT) provides an imported package.
    #[error("no required module provides package {import} (imported by {})", importer.as_deref().unwrap_or("the command line"))]
    NotFound {
        /// The import path.
        import: String,
        /// The importing package; `None` for a root.
        importer: Option<String>,
    },
    /// A file could not be read.
    #[error("reading {file}: {source}")]
    Read {
        /// The file, relative to its module.
        file: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A file's header is malformed.
    #[error(transparent)]
    Scan(#[from] ScanError),
}

/// The configuration-independent facts of one package directory: its Go
/// files' headers. Cached per (module, version, directory).
pub type PackageFacts = Arc<Vec<FileHeader>>;

/// The key [`FactCache`] files the standard library's packages under (and
/// the module path their facts are stored as, per toolchain release).
pub const STD_KEY: &str = "std";

/// Memoised package facts, keyed by ([`Module::cache_key`], import path);
/// reusable across builds since a module version never changes. Shared by
/// every scan of an audit, and filled while one runs (a module's stored
/// facts arrive when its sources are first opened), so it locks inside.
#[derive(Default)]
pub struct FactCache {
    /// Module key → import path → facts.
    facts: Mutex<HashMap<String, HashMap<String, PackageFacts>>>,
}

impl FactCache {
    /// Remember `facts` of package `import` of the module with `key`.
    pub fn insert(&self, key: &str, import: &str, facts: PackageFacts) {
        self.extend(key, [(import.to_owned(), facts)]);
    }

    /// Remember the facts of `packages` (import path, facts) of the module with `key`.
    pub fn extend(&self, key: &str, packages: impl IntoIterator<Item = (String, PackageFacts)>) {
        self.lock()
            .entry(key.to_owned())
            .or_default()
            .extend(packages);
    }

    /// The facts of package `import` of the module with `key`, when known.
    #[must_use]
    pub fn get(&self, key: &str, import: &str) -> Option<PackageFacts> {
        self.lock().get(key)?.get(import).cloned()
    }

    /// Every package remembered for the module with `key`.
    #[must_use]
    pub fn of(&self, key: &str) -> BTreeMap<String, PackageFacts> {
        self.lock()
            .get(key)
            .into_iter()
            .flatten()
            .map(|(import, facts)| (import.clone(), Arc::clone(facts)))
            .collect()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, HashMap<String, PackageFacts>>> {
        self.facts.lock().expect("no panics while holding the lock")
    }
}

/// Everything a set of packages can import from: GOROOT/src and the build list.
pub struct Universe<'a> {
    /// `$GOROOT/src` of the toolchain that builds: an import path is a
    /// standard-library package only when it is one there, as the go command
    /// decides (`testplugin`, `main` or `my_plugin` are module paths, not
    /// std, though they have no dot). `None` when no toolchain was found:
    /// then a dotless path is std unless a module of the build list provides it.
    pub goroot_src: Option<Arc<dyn ModuleTree>>,
    /// Whether the standard library's own imports are followed (its packages
    /// are then listed as `go list -deps` lists them); when not, they are
    /// leaves, which leaves the linked module packages the same, since the
    /// standard library imports nothing from modules.
    pub follow_std: bool,
    /// The build list, main modules included.
    pub modules: Vec<Module<'a>>,
}

/// Packages linked by a build: import path → who provides it.
pub type Linked = BTreeMap<String, Owner>;

/// Packages cgo's generated code imports (cmd/go's `cgoExclude` and
/// `cgoSyscallExclude` keep the runtime from importing itself).
fn cgo_imports(path: &str, std: bool) -> Vec<&'static str> {
    let mut imports = vec!["unsafe"];
    if !(std && path == "runtime/cgo") {
        imports.push("runtime/cgo");
    }
    let syscall_excluded = [
        "runtime/cgo",
        "runtime/race",
        "runtime/msan",
        "runtime/asan",
    ];
    if !(std && syscall_excluded.contains(&path)) {
        imports.push("syscall");
    }
    imports
}

/// cmd/go's `search.IsStandardImportPath`: only a path whose first element
/// has no dot may be in the standard library. It is a precondition, never
/// the decision: the toolchain's GOROOT decides.
fn may_be_std(path: &str) -> bool {
    !path.split('/').next().unwrap_or(path).contains('.')
}

/// An import waiting to be resolved: the path, and its importer with
/// whether that importer is a standard package (only those see GOROOT's
/// vendored packages).
type Pending = (String, Option<(String, bool)>);

impl Universe<'_> {
    /// Whether `import` is a standard-library package for this universe's
    /// toolchain (imported from outside the standard library).
    #[must_use]
    pub fn is_std(&self, import: &str) -> bool {
        let by_path = self.modules.iter().map(|m| (m.path.as_str(), m)).collect();
        self.resolve_std(&by_path, import, None).is_some()
    }

    /// The packages linked by `roots` (import paths of main or plugin
    /// packages) under `config`, roots included, as `go list -deps` lists them.
    ///
    /// # Errors
    /// A [`PackageError`] when an import is provided by nothing or a file is unreadable.
    pub fn linked(
        &self,
        config: &BuildConfig,
        roots: &[&str],
        cache: &FactCache,
    ) -> Result<Linked, PackageError> {
        let by_path: HashMap<&str, &Module<'_>> =
            self.modules.iter().map(|m| (m.path.as_str(), m)).collect();
        let mut linked = Linked::new();
        // Imports already resolved for a standard importer: the answer
        // depends only on the import, and was linked the first time.
        let mut resolved_for_std: HashSet<String> = HashSet::default();
        let mut queue: Vec<Pending> = roots.iter().map(|r| ((*r).to_owned(), None)).collect();
        while let Some((import, importer)) = queue.pop() {
            // Only the standard library sees GOROOT's vendored packages, so
            // an import already linked by its own path needs no resolving
            // unless a standard package imports it.
            let std_importer = importer.as_ref().is_some_and(|(_, std)| *std);
            let known = if std_importer {
                !resolved_for_std.insert(import.clone())
            } else {
                linked.contains_key(&import)
            };
            if known {
                continue;
            }
            let resolved = self.resolve(&by_path, &import, importer.as_ref())?;
            let (path, owner, tree) = resolved;
            if linked.contains_key(&path) {
                continue;
            }
            let Some(tree) = tree else {
                linked.insert(path, owner);
                continue;
            };
            let facts = Self::facts(&by_path, &path, &owner, &tree, cache)?;
            let std = owner == Owner::Std;
            for dep in imports_of(&path, std, &facts, config) {
                queue.push((dep, Some((path.clone(), std))));
            }
            linked.insert(path, owner);
        }
        Ok(linked)
    }

    /// Map `import` to (its import path, its owner, its module tree and
    /// directory), GOROOT's vendored packages included. As cmd/go's
    /// `importFromModules`: the standard library first, when GOROOT holds the
    /// package, then the modules of the build list, longest path first.
    #[allow(clippy::type_complexity)]
    fn resolve(
        &self,
        by_path: &HashMap<&str, &Module<'_>>,
        import: &str,
        importer: Option<&(String, bool)>,
    ) -> Result<(String, Owner, Option<(Arc<dyn ModuleTree>, String)>), PackageError> {
        let not_found = || PackageError::NotFound {
            import: import.to_owned(),
            importer: importer.map(|(path, _)| path.clone()),
        };
        if let Some(found) = self.resolve_std(by_path, import, importer) {
            return Ok(found);
        }
        let mut unknown = None;
        // Every prefix of the import path that is a module, longest first.
        for module in module_candidates(by_path, import) {
            let rel = import[module.path.len()..].trim_start_matches('/');
            let Some(tree) = module.tree.get() else {
                unknown.get_or_insert_with(|| module.path.clone());
                continue;
            };
            if has_go_files(tree.as_ref(), rel) && !nested_module(tree.as_ref(), rel) {
                let found = (Arc::clone(tree), rel.to_owned());
                return Ok((
                    import.to_owned(),
                    Owner::Module(module.path.clone()),
                    Some(found),
                ));
            }
        }
        let owner = Owner::Unknown(unknown.ok_or_else(not_found)?);
        Ok((import.to_owned(), owner, None))
    }

    /// `import` as a standard-library package (or, for a standard importer,
    /// one GOROOT vendors), when it is one.
    #[allow(clippy::type_complexity)]
    fn resolve_std(
        &self,
        by_path: &HashMap<&str, &Module<'_>>,
        import: &str,
        importer: Option<&(String, bool)>,
    ) -> Option<(String, Owner, Option<(Arc<dyn ModuleTree>, String)>)> {
        let std_importer = importer.is_some_and(|(_, std)| *std);
        let path = if may_be_std(import) {
            import.to_owned()
        } else if std_importer {
            format!("vendor/{import}")
        } else {
            return None;
        };
        let Some(goroot_src) = &self.goroot_src else {
            // No toolchain to ask: a module of the build list providing the
            // path wins, since GOROOT would not have held it either.
            let provided = module_candidates(by_path, import).next().is_some();
            return (may_be_std(import) && !provided).then(|| (path, Owner::Std, None));
        };
        if !has_go_files(goroot_src.as_ref(), &path) {
            return None;
        }
        let tree = self
            .follow_std
            .then(|| (Arc::clone(goroot_src), path.clone()));
        Some((path, Owner::Std, tree))
    }

    fn facts(
        by_path: &HashMap<&str, &Module<'_>>,
        path: &str,
        owner: &Owner,
        (tree, rel): &(Arc<dyn ModuleTree>, String),
        cache: &FactCache,
    ) -> Result<PackageFacts, PackageError> {
        let source = match owner {
            Owner::Std => Some(STD_KEY),
            Owner::Module(m) => by_path.get(m.as_str()).and_then(|x| x.cache_key.as_deref()),
            Owner::Unknown(_) => None,
        };
        if let Some(facts) = source.and_then(|s| cache.get(s, path)) {
            return Ok(facts);
        }
        let facts = Arc::new(read_package(tree.as_ref(), rel)?);
        if let Some(key) = source {
            cache.insert(key, path, Arc::clone(&facts));
        }
        Ok(facts)
    }
}

/// The headers of every `.go` file of directory `rel` that is not a test and
/// not hidden; build constraints are applied later, per configuration.
///
/// # Errors
/// A [`PackageError`] for an unreadable or malformed file.
pub fn read_package(tree: &dyn ModuleTree, rel: &str) -> Result<Vec<FileHeader>, PackageError> {
    let mut names: Vec<String> = tree
        .read_dir(rel)
        .unwrap_or_default()
        .into_iter()
        .filter(|(name, is_dir)| !is_dir && config::is_go_source(name))
        .map(|(name, _)| name)
        .collect();
    names.sort();
    names
        .iter()
        .map(|name| {
            let file = if rel.is_empty() {
                name.clone()
            } else {
                format!("{rel}/{name}")
            };
            let bytes = tree.read(&file).map_err(|source| PackageError::Read {
                file: file.clone(),
                source,
            })?;
            Ok(scan_file(&file, &bytes)?)
        })
        .collect()
}

/// The imports of a package under `config`: those of its included files,
/// plus what cgo and the linker add.
fn imports_of(path: &str, std: bool, facts: &[FileHeader], config: &BuildConfig) -> Vec<String> {
    let files: Vec<&FileHeader> = selected_files(facts, config).collect();
    let mut imports: Vec<String> = files
        .iter()
        .flat_map(|f| f.imports.iter().filter(|i| *i != "C").cloned())
        .collect();
    if files.iter().any(|f| f.imports_c()) {
        imports.extend(cgo_imports(path, std).into_iter().map(str::to_owned));
    }
    if files.iter().any(|f| f.package == "main") {
        imports.push("runtime".to_owned());
    }
    imports
}

/// The modules of the build list whose path is a prefix of `import`, longest first.
fn module_candidates<'m, 'a>(
    by_path: &'m HashMap<&str, &'m Module<'a>>,
    import: &'m str,
) -> impl Iterator<Item = &'m Module<'a>> + 'm {
    std::iter::successors(Some(import), |p| p.rsplit_once('/').map(|(a, _)| a))
        .filter_map(|prefix| by_path.get(prefix).copied())
}

/// The files of a package (its [`PackageFacts`]) that a build under
/// `config` compiles: file name suffixes and build constraints applied.
pub fn selected_files<'f>(
    facts: &'f [FileHeader],
    config: &'f BuildConfig,
) -> impl Iterator<Item = &'f FileHeader> {
    facts.iter().filter(|f| {
        let name = f.name.rsplit('/').next().unwrap_or(&f.name);
        config.is_candidate(name) && f.included(config)
    })
}

fn has_go_files(tree: &dyn ModuleTree, rel: &str) -> bool {
    tree.read_dir(rel)
        .is_some_and(|entries| entries.iter().any(|(n, d)| !d && config::is_go_file(n)))
}

/// Whether a directory between the module root and `rel` (or `rel` itself)
/// holds a go.mod, making it another module's.
fn nested_module(tree: &dyn ModuleTree, rel: &str) -> bool {
    let mut dir = String::new();
    rel.split('/').filter(|p| !p.is_empty()).any(|part| {
        if !dir.is_empty() {
            dir.push('/');
        }
        dir.push_str(part);
        tree.read_dir(&dir)
            .is_some_and(|e| e.iter().any(|(n, d)| !d && n == "go.mod"))
    })
}
