//! One side's build: which module versions it uses (the graph's selection,
//! or the go.mod's own versions when the loader keeps them) and which
//! packages its main packages link, fetching module sources as the scan
//! reaches them.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Arc;

use super::setup::alone;
use super::trees::{Trees, fact_key};
use crate::audit::compare::{Build, Code, ModuleUse};
use crate::audit::loader;
use crate::gomod;
use crate::graph::discover::Files;
use crate::graph::{MainModule, ModKey, ModuleGraph, Replacer, is_pruned_go};
use crate::packages::{self, BuildConfig, ModuleTree, Owner, PackageError, Sources, Universe};
use crate::source::ModuleSource;

/// One side's graph and how its build loads modules.
pub(super) struct Side<'a> {
    pub(super) main: &'a MainModule,
    pub(super) graph: &'a ModuleGraph,
    /// The main go.mod's own versions, when the loader keeps them (a pruned
    /// graph outside a workspace).
    pub(super) roots: Option<BTreeMap<String, String>>,
    /// The main go.mod's replacements, for the root versions.
    pub(super) replacer: Option<Replacer>,
}

/// A side's build, with notes about what could not be known.
pub(super) struct SideBuild {
    pub(super) build: Build,
    /// Why the build would fail (an import nothing provides).
    pub(super) error: Option<PackageError>,
    /// Whether a main module's own sources could not be had (its module
    /// zip did not come): then only the module list is known, and what it
    /// links is not.
    pub(super) roots_unread: bool,
}

impl<'a> Side<'a> {
    pub(super) fn new(main: &'a MainModule, graph: &'a ModuleGraph, standalone: bool) -> Self {
        let pruned = main
            .go_mod
            .go
            .as_ref()
            .is_some_and(|g| is_pruned_go(&g.version));
        let roots = (standalone && pruned).then(|| loader::root_versions(&main.go_mod));
        // Already checked by the graph's resolution, which would have failed.
        let replacer = roots
            .as_ref()
            .and_then(|_| Replacer::new(&alone(main)).ok());
        Side {
            main,
            graph,
            roots,
            replacer,
        }
    }

    /// The modules the build uses: the graph's selection, or the go.mod's
    /// own version for a root when `keep_roots`.
    pub(super) fn uses(&self, keep_roots: bool) -> BTreeMap<String, ModuleUse> {
        self.graph
            .build_list()
            .iter()
            .filter(|m| m.path != "go" && m.path != "toolchain")
            .map(|m| {
                let root = self
                    .roots
                    .as_ref()
                    .filter(|_| keep_roots)
                    .and_then(|r| r.get(&m.path));
                let use_ = match (self.graph.main_dir(&m.path), root) {
                    (Some(dir), _) if m.version.is_empty() => ModuleUse {
                        path: m.path.clone(),
                        version: String::new(),
                        replacement: None,
                        main_dir: Some(self.main_dir(&m.path, dir)),
                    },
                    (_, Some(root)) if *root != m.version => ModuleUse {
                        path: m.path.clone(),
                        version: root.clone(),
                        replacement: self.replacer.as_ref().and_then(|r| {
                            r.replacement(&ModKey::new(&m.path, root)).ok().flatten()
                        }),
                        main_dir: None,
                    },
                    _ => ModuleUse {
                        replacement: self.graph.replacement(m).cloned(),
                        path: m.path.clone(),
                        version: m.version.clone(),
                        main_dir: None,
                    },
                };
                (use_.path.clone(), use_)
            })
            .collect()
    }

    /// A main module's directory; a published gateway's is its `path@version`.
    pub(super) fn main_dir(&self, path: &str, graph_dir: &str) -> String {
        if path == self.main.path {
            self.main.dir.clone()
        } else {
            graph_dir.to_owned()
        }
    }

    /// The build: at the root versions when the loader keeps them, else at
    /// the graph's selection.
    pub(super) async fn build(
        &self,
        trees: &Trees,
        source: &Arc<dyn ModuleSource>,
        config: BuildConfig,
        roots: &[&MainModule],
        disk: &dyn Files,
    ) -> SideBuild {
        if let Some(root_versions) = &self.roots {
            let uses = self.uses(true);
            let kept = link(uses.clone(), trees, &config, roots).await;
            if let Some(linked) = &kept.build.linked {
                let owners = owners(linked, &self.main.path);
                let requirements = root_requirements(&uses, &owners, source, disk).await;
                let lookup = |path: &str, version: &str| {
                    requirements
                        .get(&(path.to_owned(), version.to_owned()))
                        .cloned()
                };
                if loader::roots_suffice(root_versions, &owners, &lookup) {
                    return kept;
                }
            }
        }
        link(self.uses(false), trees, &config, roots).await
    }
}

/// The requirements of each owner as the build uses it, from its go.mod (or
/// its replacement's), as the go command's spot check reads them.
pub(super) async fn root_requirements(
    uses: &BTreeMap<String, ModuleUse>,
    owners: &BTreeSet<String>,
    source: &Arc<dyn ModuleSource>,
    disk: &dyn Files,
) -> BTreeMap<(String, String), Vec<ModKey>> {
    let mut found = BTreeMap::new();
    for m in owners.iter().filter_map(|o| uses.get(o)) {
        let bytes = match m.code() {
            Code::Dir(dir) => disk.read(&Path::new(&dir).join("go.mod")).ok(),
            Code::Version(key) => match key.rsplit_once('@') {
                Some((path, version)) => source.go_mod(path, version).await.ok(),
                None => None,
            },
        };
        let parsed = bytes.and_then(|b| {
            gomod::parse_mod("go.mod", &String::from_utf8_lossy(&b), gomod::Mode::Lax).ok()
        });
        if let Some(file) = parsed {
            let required = file
                .require
                .iter()
                .map(|r| ModKey::new(&r.path, &r.version))
                .collect();
            found.insert((m.path.clone(), m.version.clone()), required);
        }
    }
    found
}

/// Modules providing linked packages, main modules left out.
pub(super) fn owners(linked: &packages::Linked, main: &str) -> BTreeSet<String> {
    linked
        .values()
        .filter_map(|o| match o {
            Owner::Module(m) | Owner::Unknown(m) if m != main => Some(m.clone()),
            _ => None,
        })
        .collect()
}

/// Scan the packages `roots`' main packages link, fetching the zips of
/// modules reached but not on disk until nothing new is reached.
pub(super) async fn link(
    modules: BTreeMap<String, ModuleUse>,
    trees: &Trees,
    config: &BuildConfig,
    roots: &[&MainModule],
) -> SideBuild {
    let absent_mains: BTreeSet<Code> = roots
        .iter()
        .map(|m| Code::Dir(m.dir.clone()))
        .filter(|c| trees.get(c).is_none() && !trees.was_tried(c))
        .collect();
    trees.fetch(absent_mains).await;
    let package_roots = main_packages(roots, trees);
    if package_roots.is_empty() {
        let roots_unread = roots
            .iter()
            .any(|m| trees.get(&Code::Dir(m.dir.clone())).is_none());
        return SideBuild {
            build: Build {
                modules,
                linked: None,
            },
            error: None,
            roots_unread,
        };
    }
    let root_refs: Vec<&str> = package_roots.iter().map(String::as_str).collect();
    let mut rescanned: BTreeSet<Code> = BTreeSet::new();
    loop {
        let universe = Universe {
            goroot_src: trees.std.src.clone().map(|src| src as Arc<dyn ModuleTree>),
            follow_std: trees.std.follow,
            modules: modules
                .values()
                .map(|m| {
                    let code = m.code();
                    packages::Module {
                        path: m.path.clone(),
                        cache_key: Some(fact_key(&code)),
                        tree: Sources::lazy(move || trees.get(&code)),
                    }
                })
                .collect(),
        };
        let scanned = universe.linked(config, &root_refs, &trees.facts);
        let linked = match scanned {
            Ok(linked) => linked,
            Err(e) => {
                return SideBuild {
                    build: Build {
                        modules,
                        linked: None,
                    },
                    error: Some(e),
                    roots_unread: false,
                };
            }
        };
        let missing: BTreeSet<Code> = owners(&linked, "")
            .iter()
            .filter_map(|m| modules.get(m))
            .map(ModuleUse::code)
            .filter(|c| trees.get(c).is_none() && !trees.was_tried(c))
            .collect();
        // A matrix's other cells fetch into the same trees: a module this
        // scan found unreadable may have come since. Scan again with it
        // (once per module), or it would stay unknown with nothing wrong.
        let arrived = linked
            .values()
            .filter_map(|o| match o {
                Owner::Unknown(m) => modules.get(m).map(ModuleUse::code),
                _ => None,
            })
            .filter(|c| trees.get(c).is_some() && rescanned.insert(c.clone()))
            .count();
        if missing.is_empty() && arrived == 0 {
            return SideBuild {
                build: Build {
                    modules,
                    linked: Some(linked),
                },
                error: None,
                roots_unread: false,
            };
        }
        trees.fetch(missing).await;
    }
}

/// The `package main` directories of the main modules: the module root when
/// it is one (Tyk's gateway, most plugins), else every such directory.
pub(super) fn main_packages(mains: &[&MainModule], trees: &Trees) -> Vec<String> {
    let mut found = Vec::new();
    for main in mains {
        let Some(tree) = trees.main_tree(main) else {
            continue;
        };
        let mut dirs = vec![String::new()];
        let mut mains_here = Vec::new();
        while let Some(dir) = dirs.pop() {
            if is_main_package(tree.as_ref(), &dir) {
                mains_here.push(dir.clone());
                if dir.is_empty() {
                    break;
                }
            }
            for (name, is_dir) in tree.read_dir(&dir).unwrap_or_default() {
                let skip = name.starts_with('.')
                    || name.starts_with('_')
                    || name == "testdata"
                    || name == "vendor";
                if is_dir && !skip {
                    dirs.push(if dir.is_empty() {
                        name
                    } else {
                        format!("{dir}/{name}")
                    });
                }
            }
        }
        let root_is_main = mains_here.iter().any(String::is_empty);
        found.extend(
            mains_here
                .into_iter()
                .filter(|d| !root_is_main || d.is_empty())
                .map(|d| {
                    if d.is_empty() {
                        main.path.clone()
                    } else {
                        format!("{}/{d}", main.path)
                    }
                }),
        );
    }
    found
}

pub(super) fn is_main_package(tree: &dyn ModuleTree, dir: &str) -> bool {
    packages::read_package(tree, dir).is_ok_and(|files| files.iter().any(|f| f.package == "main"))
}
