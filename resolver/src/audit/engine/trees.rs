//! Where the package scan reads module sources from: local directories,
//! the facts store, the module cache, then zips fetched through the
//! sources (checked against go.sum), each opened once per audit and shared
//! by every scan; and the standard library of the toolchain that builds.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rustc_hash::FxHashMap as HashMap;
use tokio::task::JoinSet;

use super::builds::{BuildTarget, GATEWAY_TAGS};
use crate::audit::compare::{Code, ModuleUse};
use crate::gomod::SumFile;
use crate::graph::MainModule;
use crate::packages::{
    self, DirTree, FactCache, ModuleTree, PackageFacts, STD_KEY, ZipTree, store,
};
use crate::source::{ModuleSource, verify};

/// The standard library of the toolchain that builds: `$GOROOT/src`, which
/// alone says which imports are the standard library's, and whether its
/// own imports are followed. They are when the two builds' tags differ, so
/// a tag that selects other files of a standard package both link is seen.
pub(super) struct StdLibrary {
    pub(super) src: Option<Arc<DirTree>>,
    /// The toolchain's release, which keys the stored facts.
    pub(super) version: Option<String>,
    pub(super) follow: bool,
    /// How many packages' facts the store held when loaded.
    pub(super) stored: usize,
    /// How many directories' listings the store held when loaded: an audit
    /// resolves each standard import against `$GOROOT/src` (~200
    /// directories for a plugin importing `tyk/ctx`), which the store then
    /// answers without reading them.
    pub(super) stored_dirs: usize,
}

impl StdLibrary {
    pub(super) fn new(target: &BuildTarget) -> Self {
        let toolchain = target.toolchain.as_ref();
        let mut gateway: Vec<&str> = GATEWAY_TAGS.to_vec();
        let mut plugin: Vec<&str> = target.tags.iter().map(String::as_str).collect();
        gateway.sort_unstable();
        plugin.sort_unstable();
        plugin.dedup();
        Self {
            src: toolchain.map(|t| Arc::new(DirTree::new(t.goroot.join("src")))),
            version: toolchain.and_then(|t| t.version.clone()),
            follow: gateway != plugin,
            stored: 0,
            stored_dirs: 0,
        }
    }
}

/// A zip fetch's answer: the tree or why there is none, and the zip's go.sum hash.
pub(super) type Fetched = (Code, Result<Arc<dyn ModuleTree>, String>, Option<String>);

/// Module sources for the package scan: local directories, the module
/// cache, then zips fetched through the sources, each opened once.
pub(super) struct Trees {
    pub(super) source: Arc<dyn ModuleSource>,
    pub(super) modcache: Option<PathBuf>,
    /// The standard library of the toolchain that builds.
    pub(super) std: StdLibrary,
    pub(super) opened: Mutex<HashMap<Code, Option<Arc<dyn ModuleTree>>>>,
    /// Module versions known to be absent from the module cache.
    pub(super) not_cached: Mutex<BTreeSet<Code>>,
    /// Module versions answered from the facts store, with how many
    /// packages it held (more read this run means it is saved again).
    pub(super) stored: Mutex<HashMap<Code, usize>>,
    /// Package facts read so far, shared by every scan of this audit.
    pub(super) facts: FactCache,
    /// go.sum's zip hashes (`path version h1:`), from every go.sum read.
    pub(super) zip_sums: Mutex<HashMap<(String, String), Vec<String>>>,
    /// Fetched zips that disagreed with go.sum: never used.
    pub(super) tampered: Mutex<Vec<String>>,
    /// Why module versions' zips could not be had (the fetch error, or the
    /// limit go would refuse the zip for), so an `unknown` can say why.
    pub(super) unread: Mutex<BTreeMap<Code, String>>,
    /// Whether module versions have a go.mod of their own, as answered so
    /// far: every gateway of a matrix asks about the modules it shares.
    pub(super) own_go_mod: Mutex<HashMap<Code, bool>>,
}

impl Trees {
    pub(super) fn new(
        source: Arc<dyn ModuleSource>,
        modcache: Option<&Path>,
        std: StdLibrary,
    ) -> Self {
        let mut trees = Self {
            source,
            modcache: modcache.map(Path::to_path_buf),
            std,
            opened: Mutex::new(HashMap::default()),
            not_cached: Mutex::new(BTreeSet::new()),
            stored: Mutex::new(HashMap::default()),
            facts: FactCache::default(),
            zip_sums: Mutex::new(HashMap::default()),
            tampered: Mutex::new(Vec::new()),
            unread: Mutex::new(BTreeMap::new()),
            own_go_mod: Mutex::new(HashMap::default()),
        };
        trees.load_std_facts();
        trees
    }

    /// Check zips fetched from now on against `sum`'s hashes too.
    pub(super) fn add_sums(&self, sum: &SumFile) {
        let mut sums = self
            .zip_sums
            .lock()
            .expect("no panics while holding the lock");
        for line in sum.lines.iter().filter(|l| !l.go_mod) {
            sums.entry((line.path.clone(), line.version.clone()))
                .or_default()
                .push(line.hash.clone());
        }
    }

    /// Why fetched zips were refused, as go words it.
    pub(super) fn tampered(&self) -> Vec<String> {
        self.tampered
            .lock()
            .expect("no panics while holding the lock")
            .clone()
    }

    /// Whether a fetched zip may be used: go.sum has no hash for it, or this one.
    pub(super) fn verify(&self, code: &Code, hash: Option<String>) -> bool {
        let Some((path, version)) = published(code) else {
            return false;
        };
        let sums = self
            .zip_sums
            .lock()
            .expect("no panics while holding the lock");
        let Some(want) = sums.get(&(path.to_owned(), version.to_owned())) else {
            return true;
        };
        let got = hash.unwrap_or_else(|| "an unreadable zip".to_owned());
        if want.contains(&got) {
            return true;
        }
        self.tampered
            .lock()
            .expect("no panics while holding the lock")
            .push(format!(
                "{path}@{version}: verifying module: checksum mismatch\n\tdownloaded: {got}\n\tgo.sum:     {}\nSECURITY ERROR: this download does NOT match an earlier download recorded in go.sum",
                want.join(", ")
            ));
        false
    }

    /// The tree of `code` if it is local or already fetched.
    pub(super) fn get(&self, code: &Code) -> Option<Arc<dyn ModuleTree>> {
        if let Some(tree) = self.lock_opened().get(code) {
            return tree.clone();
        }
        // Opened without holding the lock: reading a module's stored facts
        // takes a while, and a matrix's other cells ask for other modules
        // meanwhile. Two opening one module at once keep the first.
        let tree = self.open(code)?;
        self.lock_opened()
            .entry(code.clone())
            .or_insert(Some(tree))
            .clone()
    }

    fn lock_opened(&self) -> std::sync::MutexGuard<'_, HashMap<Code, Option<Arc<dyn ModuleTree>>>> {
        self.opened
            .lock()
            .expect("no panics while holding the lock")
    }

    /// The tree of `code`: its directory, its stored facts or its extracted
    /// copy in the module cache.
    fn open(&self, code: &Code) -> Option<Arc<dyn ModuleTree>> {
        match published(code) {
            None => match code {
                Code::Dir(dir) => Some(Arc::new(DirTree::new(dir)) as Arc<dyn ModuleTree>),
                Code::Version(_) => None,
            },
            Some(_) if self.lock_not_cached().contains(code) => None,
            Some((path, version)) if let Some(tree) = self.stored_tree(code, path, version) => {
                Some(tree)
            }
            Some((path, version)) => {
                let cached = packages::open_cached(self.modcache.as_deref()?, path, version);
                if cached.is_none() {
                    self.lock_not_cached().insert(code.clone());
                }
                cached
            }
        }
    }

    /// The stored facts of `path@version`, as a tree answering from its
    /// index, its packages' facts made known to every scan.
    pub(super) fn stored_tree(
        &self,
        code: &Code,
        path: &str,
        version: &str,
    ) -> Option<Arc<dyn ModuleTree>> {
        let modcache = self.modcache.clone()?;
        let stored = store::load(&store::file(&modcache, path, version)?)?;
        self.learn(code, stored.packages);
        let (path, version) = (path.to_owned(), version.to_owned());
        let open = move || packages::open_cached(&modcache, &path, &version);
        Some(Arc::new(store::IndexedTree::new(
            stored.dirs,
            Box::new(open),
        )))
    }

    /// Make stored package facts known to every scan, as `code`'s.
    fn learn(&self, code: &Code, packages: BTreeMap<String, Vec<packages::FileHeader>>) {
        self.stored
            .lock()
            .expect("no panics while holding the lock")
            .insert(code.clone(), packages.len());
        let packages = packages.into_iter().map(|(i, h)| (i, Arc::new(h)));
        self.facts.extend(&fact_key(code), packages);
    }

    /// `code`'s tree and package facts are `stored`, with no files behind
    /// them (a snapshot's gateway module); with none, its sources are
    /// unavailable, so what its packages import is unknown.
    pub(super) fn preload(&self, code: Code, stored: Option<&store::StoredModule>) {
        let tree = stored.map(|stored| {
            self.learn(&code, stored.packages.clone());
            Arc::new(store::IndexedTree::new(
                stored.dirs.clone(),
                Box::new(|| None),
            )) as Arc<dyn ModuleTree>
        });
        self.lock_opened().insert(code, tree);
    }

    /// What this audit read of `code`: its directory index and the facts of
    /// its packages read.
    pub(super) fn module_facts(&self, code: &Code) -> Option<store::StoredModule> {
        let tree = self.get(code)?;
        Some(store::StoredModule {
            dirs: tree.listing(),
            packages: self
                .facts
                .of(&fact_key(code))
                .into_iter()
                .map(|(import, headers)| (import, headers.as_ref().clone()))
                .collect(),
        })
    }

    /// The facts of `package` as module `m` supplies it, read by an earlier scan.
    pub(super) fn package_facts(&self, m: &ModuleUse, package: &str) -> Option<PackageFacts> {
        self.facts.get(&fact_key(&m.code()), package)
    }

    /// The standard library's package facts kept by an earlier audit with
    /// the same toolchain release.
    pub(super) fn load_std_facts(&mut self) {
        let Some(stored) = self.std_store_file().and_then(|file| store::load(&file)) else {
            return;
        };
        self.std.stored = stored.packages.len();
        self.std.stored_dirs = stored.dirs.len();
        if let Some(src) = &self.std.src {
            src.know(stored.dirs);
        }
        let packages = stored.packages.into_iter().map(|(i, h)| (i, Arc::new(h)));
        self.facts.extend(STD_KEY, packages);
    }

    pub(super) fn std_store_file(&self) -> Option<PathBuf> {
        store::std_file(self.modcache.as_ref()?, self.std.version.as_ref()?)
    }

    /// Keep what this audit learned about module versions for the next one.
    /// A store that cannot be written costs only speed.
    pub(super) fn save_facts(&self) {
        let Some(modcache) = &self.modcache else {
            return;
        };
        let opened = self.lock_opened();
        let stored = self
            .stored
            .lock()
            .expect("no panics while holding the lock");
        let facts = &self.facts;
        for (code, tree) in opened.iter() {
            let (Some(tree), Some((path, version))) = (tree, published(code)) else {
                continue;
            };
            let packages = facts.of(&fact_key(code));
            if packages.len() <= stored.get(code).copied().unwrap_or(0) {
                continue;
            }
            let module = store::StoredModule {
                dirs: tree.listing(),
                packages: packages
                    .into_iter()
                    .map(|(import, headers)| (import, headers.as_ref().clone()))
                    .collect(),
            };
            if let Some(file) = store::file(modcache, path, version) {
                let _ = store::save(&file, &module);
            }
        }
        let std = facts.of(STD_KEY);
        let src = self.std.src.as_deref();
        let dirs = src.map_or(0, DirTree::listed_count);
        if let Some(file) = self.std_store_file()
            && (std.len() > self.std.stored || dirs > self.std.stored_dirs)
        {
            let module = store::StoredModule {
                dirs: src.map(DirTree::listed).unwrap_or_default(),
                packages: std
                    .into_iter()
                    .map(|(import, headers)| (import, headers.as_ref().clone()))
                    .collect(),
            };
            let _ = store::save(&file, &module);
        }
    }

    pub(super) fn lock_not_cached(&self) -> std::sync::MutexGuard<'_, BTreeSet<Code>> {
        self.not_cached
            .lock()
            .expect("no panics while holding the lock")
    }

    /// A main module's tree: its directory, or for a published gateway its zip.
    pub(super) fn main_tree(&self, main: &MainModule) -> Option<Arc<dyn ModuleTree>> {
        self.get(&Code::Dir(main.dir.clone()))
    }

    /// Fetch the zips of `codes` not on disk, concurrently; a failure leaves
    /// the module unknown (remembered, so it is asked once).
    pub(super) async fn fetch(&self, codes: BTreeSet<Code>) {
        let mut tasks: JoinSet<Fetched> = JoinSet::new();
        for code in codes {
            if self.get(&code).is_some() {
                continue;
            }
            let Some((path, version)) = published(&code) else {
                self.remember(code, None);
                continue;
            };
            let (path, version) = (path.to_owned(), version.to_owned());
            let source = Arc::clone(&self.source);
            tasks.spawn(async move {
                let zip = match source.zip(&path, &version).await {
                    Ok(zip) => zip,
                    Err(e) => return (code, Err(e.to_string()), None),
                };
                let hash = verify::zip_hash(&zip).ok();
                let tree = ZipTree::from_bytes(zip)
                    .map(|t| Arc::new(t) as Arc<dyn ModuleTree>)
                    .map_err(|e| format!("{path}@{version}: module zip refused: {e}"));
                (code, tree, hash)
            });
        }
        while let Some(joined) = tasks.join_next().await {
            let (code, tree, hash) = joined.expect("a zip fetch task does not panic");
            let tree = match tree {
                Ok(tree) => Some(tree).filter(|_| self.verify(&code, hash)),
                Err(why) => {
                    self.unread
                        .lock()
                        .expect("no panics while holding the lock")
                        .insert(code.clone(), why);
                    None
                }
            };
            self.remember(code, tree);
        }
    }

    /// Why `code`'s zip could not be had, if it was fetched and was not.
    pub(super) fn why_unread(&self, code: &Code) -> Option<String> {
        self.unread
            .lock()
            .expect("no panics while holding the lock")
            .get(code)
            .cloned()
    }

    pub(super) fn remember(&self, code: Code, tree: Option<Arc<dyn ModuleTree>>) {
        self.lock_opened().insert(code, tree);
    }

    pub(super) fn was_tried(&self, code: &Code) -> bool {
        self.lock_opened().contains_key(code)
    }
}

/// The key of a module's package facts: its version, or its directory (which
/// cannot change during one audit).
pub(super) fn fact_key(code: &Code) -> String {
    match code {
        Code::Version(key) => key.clone(),
        Code::Dir(dir) => format!("dir:{dir}"),
    }
}

/// The module version a code comes from the proxy as: a version, or the
/// `path@version` standing for a published gateway's main module directory.
pub(super) fn published(code: &Code) -> Option<(&str, &str)> {
    match code {
        Code::Version(key) => key.rsplit_once('@'),
        Code::Dir(dir) if !Path::new(dir).is_absolute() => dir.rsplit_once('@'),
        Code::Dir(_) => None,
    }
}
