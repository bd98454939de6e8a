//! `replace` as cmd/go applies it (`replacementFrom`, `makeMainModules`,
//! `toReplaceMap`): exact `path@version` beats a wildcard `path`; in a
//! workspace go.work's replaces come first, then each module's own in `use`
//! order, where a later hit overrides an earlier one unless it is an
//! exact-version hit with a different target, which is an error.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use super::paths::{is_directory_path, join, rel, to_directory_path};
use super::{GraphError, Inputs, ModKey};
use crate::gomod::{ModuleRef, Replace};

/// What replaces a module version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replacement {
    /// The replacement as `go list -m` prints it: a module path, or a
    /// directory (relative to the go.work directory in workspace mode).
    pub path: String,
    /// The replacement version; `None` for a directory.
    pub version: Option<String>,
    /// For a directory replacement, the absolute directory.
    pub dir: Option<String>,
}

type Key = (String, Option<String>);

/// One file's replace map and the directory its relative targets start from.
#[derive(Debug)]
struct ReplaceMap {
    file: String,
    base: String,
    map: HashMap<Key, ModuleRef>,
    /// The replaced paths, so most lookups end without building a key.
    paths: HashSet<String>,
}

impl ReplaceMap {
    /// cmd/go `toReplaceMap`: two different targets for one key is fatal.
    fn new(file: String, base: String, replaces: &[Replace]) -> Result<Self, GraphError> {
        let mut map: HashMap<Key, ModuleRef> = HashMap::default();
        for r in replaces {
            let key = (r.old.path.clone(), r.old.version.clone());
            if let Some(prev) = map.get(&key)
                && *prev != r.new
            {
                return Err(GraphError::Replace(format!(
                    "conflicting replacements for {}:\n\t{}\n\t{}",
                    ref_text(&r.old),
                    ref_text(prev),
                    ref_text(&r.new)
                )));
            }
            map.insert(key, r.new.clone());
        }
        let paths = map.keys().map(|(p, _)| p.clone()).collect();
        Ok(Self {
            file,
            base,
            map,
            paths,
        })
    }

    /// cmd/go `replacement`: the exact key, then the wildcard; the bool says
    /// whether the exact key matched.
    fn lookup(&self, m: &ModKey) -> Option<(bool, &ModuleRef)> {
        if !self.paths.contains(&m.path) {
            return None;
        }
        let exact = (m.path.clone(), Some(m.version.clone()));
        if let Some(r) = self.map.get(&exact) {
            return Some((true, r));
        }
        self.map.get(&(m.path.clone(), None)).map(|r| (false, r))
    }
}

fn ref_text(r: &ModuleRef) -> String {
    match &r.version {
        Some(v) => format!("{}@{v}", r.path),
        None => r.path.clone(),
    }
}

/// Every replace directive that applies, by file: the one place a
/// module version's replacement is decided (the graph's, and the audit's
/// for the versions a pruned build loads).
#[derive(Debug)]
pub struct Replacer {
    work: Option<ReplaceMap>,
    modules: Vec<ReplaceMap>,
    main_paths: Vec<String>,
}

impl Replacer {
    /// Collect and check the replaces of the main modules and go.work.
    pub fn new(inputs: &Inputs) -> Result<Self, GraphError> {
        let work = match &inputs.work {
            Some(w) => Some(ReplaceMap::new(
                format!("{}/go.work", w.dir),
                w.dir.clone(),
                &w.file.replace,
            )?),
            None => None,
        };
        let modules = inputs
            .mains
            .iter()
            .map(|m| {
                ReplaceMap::new(
                    format!("{}/go.mod", m.dir),
                    m.dir.clone(),
                    &m.go_mod.replace,
                )
            })
            .collect::<Result<Vec<_>, _>>()?;
        let replacer = Self {
            work,
            modules,
            main_paths: inputs.mains.iter().map(|m| m.path.clone()).collect(),
        };
        if let Some(w) = &inputs.work {
            replacer.check_workspace(&w.file.replace)?;
        }
        Ok(replacer)
    }

    /// cmd/go `makeMainModules`: a workspace module replaced at all versions
    /// by go.work, or one key replaced differently by two modules (unless
    /// go.work replaces that path), is an error.
    fn check_workspace(&self, work_replaces: &[Replace]) -> Result<(), GraphError> {
        for r in work_replaces {
            if r.old.version.is_none() && self.main_paths.contains(&r.old.path) {
                return Err(GraphError::Replace(format!(
                    "workspace module {} is replaced at all versions in the go.work file. To fix, remove the replacement from the go.work file or specify the version at which to replace the module.",
                    r.old.path
                )));
            }
        }
        let by_work = |p: &str| work_replaces.iter().any(|r| r.old.path == p);
        let mut seen: HashMap<Key, String> = HashMap::default();
        for m in &self.modules {
            let mut keys: Vec<(&Key, &ModuleRef)> =
                m.map.iter().filter(|(k, _)| !by_work(&k.0)).collect();
            keys.sort_by(|a, b| a.0.cmp(b.0));
            for (key, new) in keys {
                let target = resolved_target(&m.base, new);
                if let Some(prev) = seen.get(key)
                    && *prev != target
                {
                    let old = ref_text(&ModuleRef {
                        path: key.0.clone(),
                        version: key.1.clone(),
                    });
                    return Err(GraphError::Replace(format!(
                        "conflicting replacements for {old}:\n\t{prev}\n\t{target}\nuse \"go work edit -replace {old}=[override]\" to resolve"
                    )));
                }
                seen.insert(key.clone(), target);
            }
        }
        Ok(())
    }

    /// The replacement of `m`, if one applies (cmd/go `Replacement`).
    pub fn replacement(&self, m: &ModKey) -> Result<Option<Replacement>, GraphError> {
        if m.version.is_empty() && self.main_paths.contains(&m.path) {
            return Ok(None);
        }
        if let Some(w) = &self.work
            && let Some((_, r)) = w.lookup(m)
        {
            return Ok(Some(self.finish(w, r)));
        }
        let mut found: Option<(&ReplaceMap, &ModuleRef)> = None;
        for file in &self.modules {
            if let Some((exact, r)) = file.lookup(m) {
                if let Some((prev_file, prev)) = found
                    && exact
                    && prev != r
                {
                    return Err(GraphError::Replace(format!(
                        "conflicting replacements found for {m} in workspace modules defined by {} and {}",
                        prev_file.file, file.file
                    )));
                }
                found = Some((file, r));
            }
        }
        Ok(found.map(|(file, r)| self.finish(file, r)))
    }

    /// Whether a replace directive names `path`: most paths are named by
    /// none, and then have no replacement at any version.
    pub fn names(&self, path: &str) -> bool {
        self.work
            .iter()
            .chain(&self.modules)
            .any(|f| f.paths.contains(path))
    }

    /// Make a directory target absolute, and in workspace mode print it
    /// relative to go.work (cmd/go `canonicalizeReplacePath`).
    fn finish(&self, file: &ReplaceMap, r: &ModuleRef) -> Replacement {
        if r.version.is_some() || !is_directory_path(&r.path) {
            return Replacement {
                path: r.path.clone(),
                version: r.version.clone(),
                dir: None,
            };
        }
        let dir = join(&file.base, &r.path);
        let path = match &self.work {
            Some(w) if !std::ptr::eq(w, file) && !r.path.starts_with('/') => {
                to_directory_path(&rel(&w.base, &dir))
            }
            _ => r.path.clone(),
        };
        Replacement {
            path,
            version: None,
            dir: Some(dir),
        }
    }
}

/// A go.mod replace target as `makeMainModules` compares them: directories
/// made absolute against their module root.
fn resolved_target(base: &str, new: &ModuleRef) -> String {
    if new.version.is_none() && is_directory_path(&new.path) {
        join(base, &new.path)
    } else {
        ref_text(new)
    }
}
